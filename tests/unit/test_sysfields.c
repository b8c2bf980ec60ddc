/* SPDX-License-Identifier: Apache-2.0 */
/* ff_sysfields and ff_format over hand-built events: every field group, the
 * filter operators on real extractors, output rendering (text, width, '*',
 * JSON typing and escaping), and the state-tracker additions they read
 * (getcwd, chroot, setsid, setpgid, prlimit, capabilities, exe flags). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "evbuild.h"
#include "ff_filter.h"
#include "ff_format.h"
#include "ff_meta.h"
#include "ff_scap.h"
#include "ff_state.h"
#include "ff_sysfields.h"

struct fx {
	struct ff_state *st;
	struct ff_sysctx *ctx;
	ff_fields *fields;
	ff_fcache *cache;
	struct ff_sbuf out;
	uint64_t num, gen;
	struct evb b;
	char text[4096];
};

static void load(struct ff_state *st, uint32_t bt, enum ff_blk_kind kind, struct ff_buf *b,
                 size_t mark)
{
	struct ff_err err;
	struct ff_block blk;
	assert_int_equal(ff_meta_end(b, mark, &err), 0);
	memset(&blk, 0, sizeof(blk));
	blk.kind = kind;
	blk.type = bt;
	blk.version = bt == FF_BT_PL_V9 ? 9 : 2;
	blk.body = b->p + 8;
	memcpy(&blk.body_len, b->p + 4, 4);
	blk.body_len -= 12;
	assert_int_equal(ff_state_load_block(st, &blk, &err), 0);
	ff_buf_free(b);
}

/* init(1) <- bash(100, uid 1000, in a docker container) ; users root, alice */
static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof(*x));
	struct ff_err err;
	struct ff_buf b = { 0 };
	size_t mark;
	struct ff_proc p;
	assert_non_null(x);
	assert_int_equal(ff_state_new(&x->st, &err), 0);
	assert_int_equal(ff_sysctx_new(&x->ctx, x->st, &err), 0);
	assert_int_equal(ff_sysfields_new(&x->fields, &err), 0);
	x->cache = ff_fcache_new();

	assert_int_equal(ff_meta_begin(&b, FF_BT_PL_V9, 0, &mark, &err), 0);
	memset(&p, 0, sizeof(p));
	p.tid = p.pid = 1;
	p.comm = (struct ff_str){ "init", 4 };
	p.exe = (struct ff_str){ "/sbin/init", 10 };
	p.cwd = (struct ff_str){ "/", 1 };
	p.sid = 1;
	p.loginuid = 0xffffffffu;
	p.fdlimit = 1024;
	assert_int_equal(ff_meta_put_proc(&b, &p, &err), 0);
	p.tid = p.pid = 100;
	p.ptid = 1;
	p.sid = 100;
	p.comm = (struct ff_str){ "bash", 4 };
	p.exe = (struct ff_str){ "-bash", 5 };
	p.args = (struct ff_str){ "-i\0", 3 };
	p.env = (struct ff_str){ "HOME=/home/u\0TERM=xterm\0", 24 };
	p.cwd = (struct ff_str){ "/home/u", 7 };
	p.uid = p.gid = 1000;
	p.loginuid = 1000;
	p.cgroups =
	    (struct ff_str){ "cpu=/docker/"
		             "3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e\0"
		             "io=/user.slice\0",
		             12 + 64 + 1 + 15 };
	assert_int_equal(ff_meta_put_proc(&b, &p, &err), 0);
	load(x->st, FF_BT_PL_V9, FF_BLK_PROCLIST, &b, mark);

	assert_int_equal(ff_meta_begin(&b, FF_BT_UL_V2, 0, &mark, &err), 0);
	struct ff_user u = { .kind = FF_UL_USER,
		             .uid = 1000,
		             .gid = 1000,
		             .name = { "alice", 5 },
		             .homedir = { "/home/u", 7 },
		             .shell = { "/bin/bash", 9 } };
	assert_int_equal(ff_meta_put_user(&b, &u, &err), 0);
	u = (struct ff_user){ .kind = FF_UL_GROUP, .gid = 1000, .name = { "staff", 5 } };
	assert_int_equal(ff_meta_put_user(&b, &u, &err), 0);
	load(x->st, FF_BT_UL_V2, FF_BLK_USERLIST, &b, mark);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	ff_fcache_free(x->cache);
	ff_fields_free(x->fields);
	ff_sysctx_free(x->ctx);
	ff_state_free(x->st);
	ff_sbuf_free(&x->out);
	free(x);
	return 0;
}

static void feed(struct fx *x, const struct ff_evt *ev)
{
	assert_non_null(ev);
	assert_int_equal(ff_state_update(x->st, ev), 0);
	x->gen = ff_sysctx_set_event(x->ctx, ev, ++x->num);
}

/* the current event through a format (text, or JSON when json) */
static const char *render(struct fx *x, const char *format, int json)
{
	struct ff_err err = { 0 };
	ff_format *f;
	if (ff_format_compile(format, x->fields, x->cache, 0, &f, &err))
		fail_msg("format '%s': %s", format, err.msg);
	ff_sbuf_reset(&x->out);
	int rc = json ? ff_format_render_json(f, x->ctx, x->gen, &x->out)
	              : ff_format_render(f, x->ctx, x->gen, &x->out);
	ff_format_free(f);
	assert_true(rc >= 0);
	if (rc == 0)
		return NULL;
	snprintf(x->text, sizeof(x->text), "%s", x->out.p ? x->out.p : "");
	return x->text;
}
#define TEXT(x, f) render((x), (f), 0)

static int match(struct fx *x, const char *filter)
{
	struct ff_err err = { 0 };
	struct ff_filter_opts o = { .sz = sizeof(o), .fields = x->fields, .cache = x->cache };
	ff_filter *f;
	if (ff_filter_compile(filter, strlen(filter), &o, &f, &err))
		fail_msg("filter '%s': %s", filter, err.msg);
	int rc = ff_filter_eval(f, x->ctx, x->gen);
	ff_filter_free(f);
	assert_true(rc >= 0);
	return rc;
}

static const struct ff_evt *clone_x(struct evb *b, int64_t tid, int64_t res, int64_t pid,
                                    int64_t ptid, uint32_t flags)
{
	return EV(b, 223, (uint64_t)tid, P64(res), PSTR("bash"), PBUF("", 0), P64(tid), P64(pid),
	          P64(ptid), PSTR("/home/u"), P64(1024), P64(0), P64(0), P32(10), P32(20), P32(0),
	          PSTR("bash"), PBUF("cpu=/\0", 6), P32(flags), P32(1000), P32(1000), P64(tid),
	          P64(pid));
}

/* bash forks 200 which execs curl with capabilities and exe flags of a newer driver */
static void spawn_curl(struct fx *x)
{
	feed(x, EV0(&x->b, 222, 100));
	feed(x, clone_x(&x->b, 100, 200, 100, 1, 0));
	feed(x, EV(&x->b, 292, 200, PSTR("/usr/bin/curl")));
	feed(x, EV(&x->b, 293, 200, P64(0), PSTR("/usr/bin/curl"), PBUF("-s\0x.org\0", 9), P64(200),
	           P64(200), P64(100), PSTR("/tmp"), P64(4096), P64(1), P64(2), P32(300), P32(40),
	           P32(0), PSTR("curl"), PBUF("cpu=/\0", 6), PBUF("A=1\0B=two words\0", 16),
	           P32(34816), P64(200), P32(1000), P32(1 | 4), P64(0), P64(0x3), P64(0x200001),
	           P64(77), P64(5000000000ull), P64(6000000000ull)));
}

static void test_process_fields(void **state)
{
	struct fx *x = *state;
	spawn_curl(x);
	assert_string_equal(TEXT(x, "%proc.name|%proc.exe|%proc.args|%proc.cmdline|%proc.pid"),
	                    "curl|/usr/bin/curl|-s x.org|curl -s x.org|200");
	assert_string_equal(TEXT(x, "%proc.pname|%proc.ppid|%proc.aname[0]|%proc.aname[1]|"
	                            "%proc.aname[2]|%proc.apid[2]|%proc.pcmdline"),
	                    "bash|100|curl|bash|init|1|bash -i");
	/* no third ancestor: <NA> with '*', nothing without */
	assert_string_equal(TEXT(x, "*%proc.aname[3]"), "<NA>");
	assert_null(TEXT(x, "%proc.aname[3]"));
	assert_string_equal(TEXT(x, "%proc.env|%proc.env[B]|%proc.exepath|%proc.tty"),
	                    "A=1 B=two words|two words|/usr/bin/curl|34816");
	assert_string_equal(TEXT(x, "%thread.cap_effective|%thread.cap_permitted"),
	                    "CAP_CHOWN CAP_SYS_ADMIN|CAP_CHOWN CAP_DAC_OVERRIDE");
	assert_string_equal(TEXT(x, "%proc.is_exe_writable %proc.is_exe_upper_layer "
	                            "%proc.is_exe_from_memfd %proc.exe_ino.ctime"),
	                    "true false true 5000000000");
	assert_string_equal(TEXT(x, "%user.name %user.uid %user.homedir %user.shell %group.name "
	                            "%user.loginuid %user.loginname"),
	                    "alice 1000 /home/u /bin/bash staff 1000 alice");
	assert_string_equal(TEXT(x, "%proc.vmsize %proc.vmrss %thread.pfminor %proc.fdlimit"),
	                    "300 40 2 4096");
	/* ancestors without an index: any of them, the process excluded */
	assert_true(match(x, "proc.aname=init"));
	assert_true(match(x, "proc.aname in (zsh, bash)"));
	assert_false(match(x, "proc.aname=curl"));
	assert_true(match(x, "proc.apid=1 and proc.apid[1]=100"));
	assert_true(match(x, "proc.cmdline contains x.org and proc.args startswith -s"));
	assert_true(match(x, "proc.env[B] = 'two words' and not proc.env[C] exists"));
	assert_true(match(x, "thread.cap_effective icontains cap_sys_admin"));
	assert_true(match(x, "user.name=alice and user.uid>=1000 and user.uid<1001"));
	assert_true(match(x, "proc.is_exe_writable=true and proc.is_exe_upper_layer=false"));
	/* containers: id from the cgroups, host for host processes */
	assert_string_equal(TEXT(x, "%container.id"), "host");
	feed(x, EV0(&x->b, 222, 100));
	assert_string_equal(TEXT(x, "%container.id|%thread.cgroups|%thread.cgroup.blkio"),
	                    "3f4e5d6c7b8a|cpu=/docker/"
	                    "3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e "
	                    "blkio=/user.slice|/user.slice");
	assert_string_equal(TEXT(x, "*%container.image.repository %k8s.ns.name %container.name"),
	                    "<NA> <NA> <NA>");
	assert_true(match(x, "container.id startswith 3f4e and not k8s.ns.name exists"));
}

static void test_threads_and_state_gaps(void **state)
{
	struct fx *x = *state;
	spawn_curl(x);
	/* two threads of curl */
	feed(x, EV0(&x->b, 222, 200));
	feed(x, clone_x(&x->b, 200, 201, 200, 100, 0x2003u));
	feed(x, EV0(&x->b, 222, 200));
	feed(x, clone_x(&x->b, 200, 202, 200, 100, 0x2003u));
	assert_string_equal(TEXT(x, "%proc.nthreads %proc.nchilds %thread.ismain"), "3 2 true");
	feed(x, EV(&x->b, 186, 201, P64(0), P64(0), P8(0), P8(0)));
	assert_string_equal(TEXT(x, "%thread.tid %thread.ismain %proc.pid"), "201 false 200");
	feed(x, EV0(&x->b, 92, 200)); /* the exiting thread goes at the next event */
	assert_string_equal(TEXT(x, "%proc.nthreads"), "2");
	/* getcwd tells the truth about the cwd */
	feed(x, EV(&x->b, 93, 200, P64(0), PSTR("/srv/data")));
	assert_string_equal(TEXT(x, "%proc.cwd"), "/srv/data/");
	/* chroot (relative to the cwd), setsid, setpgid, prlimit(RLIMIT_NOFILE) */
	feed(x, EV0(&x->b, 266, 200));
	feed(x, EV(&x->b, 267, 200, P64(0), PSTR("jail")));
	feed(x, EV0(&x->b, 274, 200));
	feed(x, EV(&x->b, 275, 200, P64(200)));
	assert_string_equal(TEXT(x, "%proc.sid %proc.sname"), "200 curl");
	feed(x, EV(&x->b, 294, 200, P64(0), P64(0)));
	feed(x, EV(&x->b, 295, 200, P64(0), P64(0), P64(0)));
	assert_string_equal(TEXT(x, "%proc.vpgid"), "200");
	feed(x, EV(&x->b, 144, 200, P64(0), P8(7)));
	feed(x, EV(&x->b, 145, 200, P64(0), P64(65536), P64(65536), P64(1024), P64(4096), P64(0),
	           P8(7)));
	assert_string_equal(TEXT(x, "%proc.fdlimit"), "65536");
	/* a limit other than RLIMIT_NOFILE changes nothing */
	feed(x, EV(&x->b, 144, 200, P64(0), P8(3)));
	feed(x, EV(&x->b, 145, 200, P64(0), P64(9), P64(9), P64(1), P64(1), P64(0), P8(3)));
	assert_string_equal(TEXT(x, "%proc.fdlimit"), "65536");
}

static void test_fd_and_event_fields(void **state)
{
	struct fx *x = *state;
	feed(x, EV(&x->b, 2, 100, PSTR("/etc/shadow"), P32(1), P32(0)));
	assert_string_equal(TEXT(x, "%evt.type %evt.dir %evt.num %evt.args"),
	                    "open > 1 name=/etc/shadow flags=1(O_RDONLY) mode=0 ");
	assert_null(TEXT(x, "%evt.res")); /* enter events have no result */
	feed(x, EV(&x->b, 3, 100, P64(3), PSTR("/etc/shadow"), P32(1), P32(0), P32(0)));
	assert_string_equal(
	    TEXT(x, "%fd.num %fd.name %fd.directory %fd.filename %fd.typechar %fd.type %evt.res"),
	    "3 /etc/shadow /etc shadow f file SUCCESS");
	assert_string_equal(TEXT(x, "%evt.arg.fd|%evt.arg[0]|%evt.arg.flags|%evt.rawarg.fd"),
	                    "<f>/etc/shadow|<f>/etc/shadow|O_RDONLY|3");
	assert_true(match(x, "evt.is_open_read=true and evt.is_open_write=false"));
	assert_true(match(x, "fd.name pmatch (/etc) and fd.name glob '/etc/sh*'"));
	assert_true(match(x, "fd.name endswith dow and fd.directory=/etc and fd.num<=3"));
	assert_true(match(x, "evt.arg.flags contains RDONLY and evt.rawarg.fd > 2"));
	assert_true(match(x, "fd.name_changed=true and evt.failed=false"));
	/* a failed open: no fd, the name still comes from the event */
	feed(x, EV(&x->b, 2, 100, PSTR("nope"), P32(1), P32(0)));
	feed(x, EV(&x->b, 3, 100, P64(-2), PSTR("nope"), P32(1), P32(0), P32(0)));
	assert_string_equal(TEXT(x, "%evt.res %evt.rawres %evt.failed %fd.name %fd.typechar"),
	                    "ENOENT -2 true /home/u/nope f");
	assert_true(match(x, "evt.res=ENOENT and evt.rawres<0 and evt.count.error=1"));
	/* evt.buffer compares raw bytes; shows printable ones */
	feed(x, EV(&x->b, 6, 100, P64(3), P32(64)));
	feed(x, EV(&x->b, 7, 100, P64(4),
	           PBUF("\x7f"
	                "ELF",
	                4)));
	assert_string_equal(TEXT(x, "%evt.buffer %evt.buflen %evt.io_dir %evt.is_io"),
	                    ".ELF 4 read true");
	assert_true(match(x, "evt.buffer bstartswith 7f454c46 and evt.buffer bcontains 4c46"));
	assert_false(match(x, "evt.buffer bcontains 4c4647"));
	assert_true(match(x, "evt.buffer contains ELF and evt.buffer startswith \"\\x7fE\""));
}

static void test_socket_fields(void **state)
{
	struct fx *x = *state;
	uint8_t addr[7] = { 2, 93, 184, 216, 34, 80, 0 };
	uint8_t tuple[13] = { 2, 10, 0, 0, 5, 0x40, 0x9c, 93, 184, 216, 34, 80, 0 };
	feed(x, EV(&x->b, 18, 100, P32(2), P32(1), P32(0)));
	feed(x, EV(&x->b, 19, 100, P64(3)));
	assert_string_equal(TEXT(x, "*%fd.typechar %fd.sockfamily %fd.l4proto %fd.sip"),
	                    "4 ip <NA> <NA>");
	feed(x, EV(&x->b, 22, 100, P64(3), PBUF(addr, 7)));
	feed(x, EV(&x->b, 23, 100, P64(0), PBUF(tuple, 13)));
	assert_string_equal(TEXT(x, "%fd.name|%fd.cip:%fd.cport|%fd.sip:%fd.sport|%fd.l4proto"),
	                    "10.0.0.5:40000->93.184.216.34:80|10.0.0.5:40000|93.184.216.34:80|tcp");
	assert_true(match(x, "fd.ip=93.184.216.34 and fd.ip=10.0.0.5 and not fd.ip!=10.0.0.5"));
	assert_true(match(x, "fd.net=93.184.0.0/16 and fd.snet=93.0.0.0/8 and fd.cnet=10.0.0.0/8"));
	assert_false(match(x, "fd.snet=10.0.0.0/8"));
	assert_true(
	    match(x, "fd.port=80 and fd.port in (40000) and fd.sport intersects (80, 443)"));
	assert_true(match(x, "fd.sip in (1.1.1.1, 93.184.216.34) and fd.cip!=1.1.1.1"));
	/* no interface list: the client end is not local, so sinsp calls it remote */
	assert_true(match(x, "fd.rip=10.0.0.5 and fd.lip=93.184.216.34 and fd.rport=40000"));
	/* a filter-only field has no display form */
	struct ff_err err = { 0 };
	ff_format *f = NULL;
	assert_int_equal(ff_format_compile("%fd.ip", x->fields, NULL, 0, &f, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "filter only"));
}

static void test_format_rendering(void **state)
{
	struct fx *x = *state;
	struct ff_err err = { 0 };
	ff_format *f;
	spawn_curl(x);
	/* widths pad or cut; the longest field name wins and the rest is text */
	assert_string_equal(TEXT(x, "[%6proc.name][%2proc.name][%proc.name.x]"),
	                    "[curl  ][cu][curl.x]");
	/* JSON: sorted keys as written, typed values, missing null */
	assert_string_equal(
	    render(x, "*%proc.pid %proc.name %proc.aname[1] %fd.num %thread.ismain %evt.time", 1),
	    "{\"evt.time\":1000,\"fd.num\":null,\"proc.aname[1]\":\"bash\",\"proc.name\":\"curl\","
	    "\"proc.pid\":200,\"thread.ismain\":true}");
	assert_null(render(x, "%proc.name %fd.num", 1));
	/* strings are escaped like sysdig's JSON writer */
	struct ff_sbuf b = { 0 };
	assert_int_equal(ff_json_put_string(&b, "a\"b\\c\n\x01\xc3\xa9\xff", 10), 0);
	assert_string_equal(b.p, "\"a\\\"b\\\\c\\n\\u0001\\u00e9\\ufffd\"");
	ff_sbuf_free(&b);
	/* the field list Falco's output_fields is built from */
	assert_int_equal(ff_format_compile("%proc.name %evt.type x=%proc.name %proc.aname[2]",
	                                   x->fields, x->cache, FF_FORMAT_ALL, &f, &err),
	                 0);
	assert_int_equal(ff_format_nfields(f), 3);
	assert_string_equal(ff_format_field_name(f, 2), "proc.aname[2]");
	int missing = -1;
	ff_sbuf_reset(&x->out);
	assert_int_equal(ff_format_field_text(f, 2, x->ctx, x->gen, &x->out, &missing), 0);
	assert_string_equal(x->out.p, "init");
	assert_int_equal(missing, 0);
	ff_sbuf_reset(&x->out);
	assert_int_equal(ff_format_field_json(f, 0, x->ctx, x->gen, &x->out), 0);
	assert_string_equal(x->out.p, "\"curl\"");
	ff_format_free(f);
	/* errors name the offset */
	assert_int_equal(ff_format_compile("ab %nosuch.field", x->fields, NULL, 0, &f, &err),
	                 -ENOENT);
	assert_non_null(strstr(err.msg, "offset 3"));
	assert_int_equal(ff_format_compile("x %", x->fields, NULL, 0, &f, &err), -EINVAL);
	assert_int_equal(ff_format_compile("x %12", x->fields, NULL, 0, &f, &err), -EINVAL);
	assert_int_equal(ff_format_compile("%evt.arg.nosuchparam", x->fields, NULL, 0, &f, &err),
	                 -ENOENT);
}

/* a million short-lived threads: the thread table and the per-process thread
 * count stay at the live set, and so does every field that reads them */
static void test_bounded_threads(void **state)
{
	struct fx *x = *state;
	size_t max_threads = 0;
	spawn_curl(x);
	for (int64_t i = 0; i < 1000000; i++) {
		int64_t t = 1000 + i % 50000;
		feed(x, EV0(&x->b, 222, 200));
		feed(x, clone_x(&x->b, 200, t, 200, 100, 0x2003u));
		feed(x, EV(&x->b, 186, (uint64_t)t, P64(0), P64(0), P8(0), P8(0)));
		if (ff_state_nthreads(x->st) > max_threads)
			max_threads = ff_state_nthreads(x->st);
	}
	feed(x, EV0(&x->b, 222, 200));
	assert_true(max_threads <= 4); /* init, bash, curl, the thread being born */
	assert_string_equal(TEXT(x, "%proc.nthreads %proc.nchilds"), "1 0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_process_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_and_state_gaps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fd_and_event_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_socket_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_format_rendering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded_threads, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
