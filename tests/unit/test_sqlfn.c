/* SPDX-License-Identifier: Apache-2.0 */
/* falco-query's SQL functions: glob semantics on paths, CIDR membership for
 * both families, timestamp text (checked against date(1)'s rendering of the
 * same instants), errno names; and the same through SQLite. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ff_render.h"
#include "ff_sqlfn.h"

static void t_path_match(void **state)
{
	(void)state;
	assert_int_equal(ff_path_match("/etc/passwd", "/etc/**"), 1);
	assert_int_equal(ff_path_match("/etc/ssh/sshd_config", "/etc/**"), 1);
	assert_int_equal(ff_path_match("/etc", "/etc/**"), 1);
	assert_int_equal(ff_path_match("/etcetera/x", "/etc/**"), 0);
	assert_int_equal(ff_path_match("/etc/passwd", "/etc/*"), 1);
	assert_int_equal(ff_path_match("/etc/ssh/sshd_config", "/etc/*"), 0);
	assert_int_equal(ff_path_match("/etc/ssh/sshd_config", "/etc/*/*_config"), 1);
	assert_int_equal(ff_path_match("/usr/lib/x86_64/libc.so.6", "/usr/**/libc.so.?"), 1);
	assert_int_equal(ff_path_match("/usr/lib/libc.so.61", "/usr/**/libc.so.?"), 0);
	assert_int_equal(ff_path_match("/tmp/a/b", "/tmp/?/b"), 1);
	assert_int_equal(ff_path_match("/tmp//b", "/tmp/?/b"), 0); /* ? never matches '/' */
	assert_int_equal(ff_path_match("/home/u/.ssh/id_rsa", "**/.ssh/*"), 1);
	assert_int_equal(ff_path_match("", "*"), 1);
	assert_int_equal(ff_path_match("abc", ""), 0);
}

static void t_in_cidr(void **state)
{
	(void)state;
	assert_int_equal(ff_in_cidr("10.1.2.3", "10.0.0.0/8"), 1);
	assert_int_equal(ff_in_cidr("11.1.2.3", "10.0.0.0/8"), 0);
	assert_int_equal(ff_in_cidr("203.0.113.7", "203.0.113.0/24"), 1);
	assert_int_equal(ff_in_cidr("203.0.114.7", "203.0.113.0/24"), 0);
	assert_int_equal(ff_in_cidr("192.168.1.1", "192.168.1.1"), 1); /* no /bits: host */
	assert_int_equal(ff_in_cidr("1.2.3.4", "0.0.0.0/0"), 1);
	assert_int_equal(ff_in_cidr("10.0.0.1", "10.0.0.0/31"), 1);
	assert_int_equal(ff_in_cidr("10.0.0.2", "10.0.0.0/31"), 0);
	assert_int_equal(ff_in_cidr("2001:db8::4", "2001:db8::/32"), 1);
	assert_int_equal(ff_in_cidr("2001:db9::4", "2001:db8::/32"), 0);
	assert_int_equal(ff_in_cidr("2607:f8b0:4004:802::2004", "2607:f8b0::/32"), 1);
	assert_int_equal(ff_in_cidr("::ffff:10.1.1.1", "10.0.0.0/8"), 1); /* mapped v4 */
	assert_int_equal(ff_in_cidr("10.1.1.1", "2001:db8::/32"), 0);     /* other family */
	assert_int_equal(ff_in_cidr("10.1.1.1", "10.0.0.0/33"), -EINVAL);
	assert_int_equal(ff_in_cidr("nonsense", "10.0.0.0/8"), -EINVAL);
	assert_int_equal(ff_in_cidr("10.1.1.1", "10.0.0.0/x"), -EINVAL);
}

static void t_ts_format(void **state)
{
	char b[64];
	(void)state;
	assert_int_equal(ff_ts_format(0, 0, b, sizeof(b)), 0);
	assert_string_equal(b, "1970-01-01T00:00:00.000000000Z");
	/* date -u -d @1700000000 +%FT%T -> 2023-11-14T22:13:20 */
	assert_int_equal(ff_ts_format(1700000000123456789LL, 0, b, sizeof(b)), 0);
	assert_string_equal(b, "2023-11-14T22:13:20.123456789Z");
	/* one ns before the epoch */
	assert_int_equal(ff_ts_format(-1, 0, b, sizeof(b)), 0);
	assert_string_equal(b, "1969-12-31T23:59:59.999999999Z");
	assert_int_equal(ff_ts_format(0, 0, b, 10), -ENOSPC);
}

static const char *sql1(sqlite3 *db, const char *q, char *out, size_t cap)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		snprintf(out, cap, "ERROR");
	} else {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		snprintf(out, cap, "%s", t ? t : "NULL");
	}
	sqlite3_finalize(s);
	return out;
}

static void t_sqlite(void **state)
{
	sqlite3 *db = NULL;
	char b[128];
	(void)state;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(ff_sqlfn_register(db), 0);
	assert_string_equal(sql1(db, "SELECT errno_name(-2)", b, sizeof(b)), "ENOENT");
	assert_string_equal(sql1(db, "SELECT errno_name(-13)", b, sizeof(b)), "EACCES");
	assert_string_equal(sql1(db, "SELECT errno_name(-115)", b, sizeof(b)), "EINPROGRESS");
	assert_string_equal(sql1(db, "SELECT errno_name(3)", b, sizeof(b)), "NULL");
	assert_string_equal(sql1(db, "SELECT errno_name(NULL)", b, sizeof(b)), "NULL");
	assert_string_equal(sql1(db, "SELECT path_match('/etc/shadow', '/etc/**')", b, sizeof(b)),
	                    "1");
	assert_string_equal(sql1(db, "SELECT path_match(NULL, '/etc/**')", b, sizeof(b)), "NULL");
	assert_string_equal(sql1(db, "SELECT in_cidr('10.0.0.5', '10.0.0.0/24')", b, sizeof(b)),
	                    "1");
	assert_string_equal(sql1(db, "SELECT in_cidr(NULL, '10.0.0.0/24')", b, sizeof(b)), "NULL");
	/* a unix socket's address is simply outside; a bad network is an error */
	assert_string_equal(sql1(db, "SELECT in_cidr('/run/x.sock', '10.0.0.0/24')", b, sizeof(b)),
	                    "0");
	assert_string_equal(sql1(db, "SELECT in_cidr('10.0.0.5', '10.0.0.0/99')", b, sizeof(b)),
	                    "ERROR");
	assert_string_equal(sql1(db, "SELECT ts_format(1700000000123456789)", b, sizeof(b)),
	                    "2023-11-14T22:13:20.123456789Z");
	sqlite3_close(db);
}

static void t_info_params(void **state)
{
	struct ff_sbuf b = { 0 };
	(void)state;
	/* sysdig's evt.info of a write exit on the sample and a made-up execve
	 * whose args hold spaces and '=' */
	assert_int_equal(
	    ff_info_params("write", ">", "fd=5(<4t>10.0.0.5:51234->203.0.113.7:4444) size=46 ", &b),
	    0);
	assert_string_equal(b.p,
	                    "{\"fd\":\"5(<4t>10.0.0.5:51234->203.0.113.7:4444)\",\"size\":\"46\"}");
	ff_sbuf_reset(&b);
	assert_int_equal(
	    ff_info_params("execve", "<", "res=0 exe=sh args=-c x=1 ls -l tid=7(sh) ", &b), 0);
	assert_string_equal(
	    b.p, "{\"res\":\"0\",\"exe\":\"sh\",\"args\":\"-c x=1 ls -l\",\"tid\":\"7(sh)\"}");
	ff_sbuf_reset(&b);
	assert_int_equal(ff_info_params("switch", ">", "", &b), 0);
	assert_string_equal(b.p, "{}");
	ff_sbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_path_match),  cmocka_unit_test(t_in_cidr),
		cmocka_unit_test(t_ts_format),   cmocka_unit_test(t_sqlite),
		cmocka_unit_test(t_info_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
