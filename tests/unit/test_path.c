/* SPDX-License-Identifier: Apache-2.0 */
/* ff_path: sysdig's path joining.  Every expected string is what sysdig
 * 0.29.3 printed as fd.name or as the resolved argument for the same base and
 * path (tests/e2e/state/at_paths.spec and the live captures of issue 5), and
 * the edge cases must stay inside their buffers (make check-asan). */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ff_path.h"

/* join base and a C string path as a capture records it (NUL included) */
static const char *join(const char *base, const char *path, size_t limit, int *rel)
{
	static char out[4096];
	size_t n = ff_path_concat(out, limit, base, strlen(base), path, strlen(path) + 1, rel);
	assert_int_equal(n, strlen(out));
	return out;
}

static void test_sysdig_joins(void **unused)
{
	(void)unused;
	int rel;
	/* a dirfd of "/" is "/" + "/": sysdig names the file "//etc" */
	assert_string_equal(join("//", "etc", FF_PATH_SCAP_MAX, &rel), "//etc");
	assert_int_equal(rel, 1);
	assert_string_equal(join("//", "etc/./passwd", 0, NULL), "//etc/passwd");
	assert_string_equal(join("//etc/", "foo./bar", 0, NULL), "//etc/foobar");
	assert_string_equal(join("//", "../etc/x", 0, NULL), "/etc/x");
	assert_string_equal(join("/root/", "a/", 0, NULL), "/root/a");
	assert_string_equal(join("/root/", "", 0, NULL), "/root");
	assert_string_equal(join("//", "", 0, NULL), "/");
	assert_string_equal(join("/root/", "file.", 0, NULL), "/root/file");
	assert_string_equal(join("/root/", ".../x..y/a../..", 0, NULL), "/root");
	assert_string_equal(join("//", "caf\xc3\xa9/\tx", 0, NULL), "//caf../.x");
	assert_string_equal(join("//", "srv//www/../data", 0, NULL), "//srv/data");
	assert_string_equal(join("<UNKNOWN>", "gone2", 0, NULL), "<UNKNOWN>gone2");
	/* absolute paths ignore the base and are cleaned */
	assert_string_equal(join("/root/", "/usr/bin/../lib/./x/../y/", 0, &rel), "/usr/lib/y");
	assert_int_equal(rel, 0);
	assert_string_equal(
	    join("/x/", "/usr/bin/../bin/../lib/bfd-plugins/../lib/libz.so", 0, NULL),
	    "/usr/lib/lib/libz.so");
}

static void test_limit_and_edges(void **unused)
{
	(void)unused;
	char base[1100];
	memset(base, 'd', sizeof(base));
	base[0] = '/';
	base[1000] = '/';
	base[1001] = 0;
	/* 1001 + 33 + 1 > 1024: sinsp's marker */
	assert_string_equal(join(base, "a-name-of-some-thirty-characters", FF_PATH_SCAP_MAX, NULL),
	                    "/PATH_TOO_LONG");
	assert_int_equal(strlen(join(base, "short", FF_PATH_SCAP_MAX, NULL)), 1006);
	/* ".." never goes below the first byte */
	assert_string_equal(join("", "../../a", 0, NULL), "a");
	assert_string_equal(join("/", "../..", 0, NULL), "/");
	assert_string_equal(join("ab", "..", 0, NULL), "");
	/* a missing parameter (length 0), and a path without its NUL */
	char out[32];
	assert_int_equal(ff_path_concat(out, 0, "/b/", 3, "xyz", 0, NULL), 0);
	assert_string_equal(out, "");
	assert_int_equal(ff_path_concat(out, 0, "/b/", 3, "xyzw", 2, NULL), 5);
	assert_string_equal(out, "/b/xy");
	/* joined in place */
	memcpy(out, "/etc/", 6);
	assert_int_equal(ff_path_concat(out, 0, out, 5, "passwd", 7, NULL), 11);
	assert_string_equal(out, "/etc/passwd");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysdig_joins),
		cmocka_unit_test(test_limit_and_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
