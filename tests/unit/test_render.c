/* SPDX-License-Identifier: Apache-2.0 */
/* ff_render: parameter texts as sysdig 0.29.3 prints them.  Expected strings
 * come from sysdig's output on the real captures (curl_google.scap lines are
 * quoted) and from scap-format.md §17, not from our own renderer. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "evbuild.h"
#include "ff_render.h"
#include "ff_state.h"

struct fx {
	struct ff_state *st;
	struct ff_sbuf out, scratch;
	struct evb b;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct ff_err err;
	if (!f || ff_state_new(&f->st, &err))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	ff_state_free(f->st);
	ff_sbuf_free(&f->out);
	ff_sbuf_free(&f->scratch);
	free(f);
	return 0;
}

/* apply ev to the state and return its evt.info */
static const char *info(struct fx *f, const struct ff_evt *ev)
{
	assert_non_null(ev);
	assert_int_equal(ff_state_update(f->st, ev), 0);
	ff_sbuf_reset(&f->out);
	assert_int_equal(ff_render_info(f->st, ev, &f->out, &f->scratch), 0);
	return f->out.p ? f->out.p : "";
}

static void test_errno_and_fd(void **state)
{
	struct fx *f = *state;
	/* "> open " then "< open fd=3(<f>/etc/ld.so.cache) name=... flags=4097(O_RDONLY|O_CLOEXEC)
	 * mode=0 " */
	assert_string_equal(info(f, EV0(&f->b, 2, 7)), "");
	assert_string_equal(
	    info(f, EV(&f->b, 3, 7, P64(3), PSTR("/etc/ld.so.cache"), P32(4097), P32(0), P32(0))),
	    "fd=3(<f>/etc/ld.so.cache) name=/etc/ld.so.cache "
	    "flags=4097(O_RDONLY|O_CLOEXEC) mode=0 dev=0 ");
	assert_string_equal(info(f, EV(&f->b, 4, 7, P64(3))), "fd=3(<f>/etc/ld.so.cache) ");
	assert_string_equal(info(f, EV(&f->b, 5, 7, P64(0))), "res=0 ");
	assert_string_equal(info(f, EV(&f->b, 5, 7, P64(-2))), "res=-2(ENOENT) ");
	/* "fd=-2(ENOENT) name=/home/ubuntu/.curlrc flags=1(O_RDONLY) mode=0" */
	assert_string_equal(
	    info(f, EV(&f->b, 3, 7, P64(-2), PSTR("/home/ubuntu/.curlrc"), P32(1), P32(0), P32(0))),
	    "fd=-2(ENOENT) name=/home/ubuntu/.curlrc flags=1(O_RDONLY) mode=0 dev=0 ");
	/* an unknown fd is a bare number; -1 reads as an errno, -100 as AT_FDCWD */
	assert_string_equal(info(f, EV(&f->b, 8, 7, P64(2), P32(23))), "fd=2 size=23 ");
	assert_string_equal(info(f, EV(&f->b, 8, 7, P64(-1), P32(23))), "fd=-1(EPERM) size=23 ");
	assert_string_equal(info(f, EV0(&f->b, 312, 7)), "");
	assert_string_equal(info(f, EV(&f->b, 313, 7, P64(0), P64(-100), PSTR("x"), P32(04755))),
	                    "res=0 dirfd=-100(AT_FDCWD) filename=x(x) "
	                    "mode=04755(S_IXOTH|S_IROTH|S_IXGRP|S_IRGRP|S_IXUSR|S_IWUSR|S_IRUSR|"
	                    "S_ISUID) ");
}

static void test_flags_and_numbers(void **state)
{
	struct fx *f = *state;
	/* "clone ...
	 * flags=47619(CLONE_FILES|CLONE_FS|CLONE_PARENT_SETTID|CLONE_SIGHAND|CLONE_SYSVSEM|CLONE_THREAD|CLONE_VM)"
	 */
	ff_sbuf_reset(&f->out);
	ff_sbuf_reset(&f->scratch);
	assert_non_null(EV(&f->b, 223, 9, P64(10), PSTR("c"), PBUF("", 0), P64(9), P64(9), P64(1),
	                   PSTR("/"), P64(1024), P64(0), P64(0), P32(0), P32(0), P32(0), PSTR("c"),
	                   PBUF("", 0), P32(47619), P32(0), P32(0), P64(9), P64(9)));
	assert_int_equal(ff_state_update(f->st, &f->b.ev), 0);
	assert_int_equal(ff_render_param(f->st, &f->b.ev, 15, 0, &f->out, &f->scratch), 0);
	assert_string_equal(f->out.p, "47619");
	assert_string_equal(f->scratch.p, "CLONE_FILES|CLONE_FS|CLONE_PARENT_SETTID|CLONE_SIGHAND|"
	                                  "CLONE_SYSVSEM|CLONE_THREAD|CLONE_VM");
	/* evt.arg.flags gives the resolved form */
	ff_sbuf_reset(&f->out);
	assert_int_equal(ff_render_arg(f->st, &f->b.ev, "flags", &f->out, &f->scratch), 0);
	assert_string_equal(f->out.p, "CLONE_FILES|CLONE_FS|CLONE_PARENT_SETTID|CLONE_SIGHAND|"
	                              "CLONE_SYSVSEM|CLONE_THREAD|CLONE_VM");
	ff_sbuf_reset(&f->out);
	assert_int_equal(ff_render_arg(f->st, &f->b.ev, "nosuch", &f->out, &f->scratch), -ENOENT);
	/* "brk res=55DB0DE73000 vm_size=508 vm_rss=4 vm_swap=0" (HEX, no 0x) */
	assert_string_equal(
	    info(f, EV(&f->b, 159, 9, P64(0x55DB0DE73000ull), P32(508), P32(4), P32(0))),
	    "res=55DB0DE73000 vm_size=508 vm_rss=4 vm_swap=0 ");
	/* "getrlimit res=0 cur=8388608 max=-1": UINT64 printed signed */
	assert_string_equal(info(f, EV(&f->b, 141, 9, P64(0), P64(8388608), P64(-1))),
	                    "res=0 cur=8388608 max=-1 ");
	/* "futex addr=7FA6955AF740 op=129(FUTEX_PRIVATE_FLAG|FUTEX_WAKE) val=2147483647" */
	assert_string_equal(
	    info(f, EV(&f->b, 64, 9, P64(0x7FA6955AF740ull), P16(129), P64(2147483647))),
	    "addr=7FA6955AF740 op=129(FUTEX_PRIVATE_FLAG|FUTEX_WAKE) val=2147483647 ");
	/* "socket domain=10(AF_INET6) type=2 proto=0" */
	assert_string_equal(info(f, EV(&f->b, 18, 9, P32(10), P32(2), P32(0))),
	                    "domain=10(AF_INET6) type=2 proto=0 ");
}

static void test_sockets(void **state)
{
	struct fx *f = *state;
	uint8_t t4[13] = { 2, 10, 0, 0, 5, 0x40, 0x9c, 93, 184, 216, 34, 80, 0 };
	uint8_t a4[7] = { 2, 93, 184, 216, 34, 80, 0 };
	uint8_t un[17 + 21] = { 1 };
	uint64_t dst = 0xffff88003c420800ull;
	memcpy(un + 9, &dst, 8);
	memcpy(un + 17, "/var/run/nscd/socket", 21);

	assert_string_equal(info(f, EV(&f->b, 18, 11, P32(2), P32(1), P32(0))),
	                    "domain=2(AF_INET) type=1 proto=0 ");
	assert_string_equal(info(f, EV(&f->b, 19, 11, P64(3))), "fd=3(<4>) ");
	assert_string_equal(info(f, EV(&f->b, 22, 11, P64(3), PBUF(a4, 7))),
	                    "fd=3(<4>) addr=93.184.216.34:80 ");
	assert_string_equal(info(f, EV(&f->b, 23, 11, P64(0), PBUF(t4, 13))),
	                    "res=0 tuple=10.0.0.5:40000->93.184.216.34:80 ");
	assert_string_equal(info(f, EV(&f->b, 8, 11, P64(3), P32(5))),
	                    "fd=3(<4t>10.0.0.5:40000->93.184.216.34:80) size=5 ");
	/* "connect res=-2(ENOENT) tuple=0->ffff88003c420800 /var/run/nscd/socket" */
	assert_string_equal(info(f, EV(&f->b, 23, 11, P64(-2), PBUF(un, sizeof(un)))),
	                    "res=-2(ENOENT) tuple=0->ffff88003c420800 /var/run/nscd/socket ");
	/* absent tuple */
	assert_string_equal(info(f, EV(&f->b, 30, 11, P64(3), P32(6), PBUF("", 0))),
	                    "fd=3(<4t>10.0.0.5:40000->93.184.216.34:80) size=6 tuple=NULL ");
}

static void test_buffers_pids_time_type(void **state)
{
	struct fx *f = *state;
	char data[100];
	for (int i = 0; i < 100; i++)
		data[i] = (char)(i < 4 ? "\x7f"
		                         "ELF"[i]
		                       : 'a' + i % 26);
	const char *s = info(f, EV(&f->b, 7, 13, P64(100), PBUF(data, 100)));
	/* 80 characters kept, the last three replaced by "..." */
	assert_int_equal(strlen(s), strlen("res=100 data=") + 80 + 1);
	assert_memory_equal(s, "res=100 data=.ELFefgh", 21);
	assert_memory_equal(s + strlen(s) - 4, "... ", 4);
	/* "args=-6.http://www.google.com." : NULs become dots */
	s = info(f, EV(&f->b, 7, 13, P64(3), PBUF("a\0b\0", 4)));
	assert_string_equal(s, "res=3 data=a.b. ");
	/* PID resolves to the thread's comm: "ptid=3200(bash)"; unknown: bare */
	assert_string_equal(
	    info(f, EV(&f->b, 152, 13, P64(13), P64(0), P64(0), P32(0), P32(0), P32(0))),
	    "next=13(<NA>) pgft_maj=0 pgft_min=0 vm_size=0 vm_rss=0 vm_swap=0 ");
	/* after procexit the thread is gone from the next event on */
	assert_string_equal(info(f, EV(&f->b, 186, 13, P64(0), P64(0), P8(9), P8(0))),
	                    "status=0 ret=0 sig=9(SIGKILL) core=0 ");
	assert_string_equal(
	    info(f, EV(&f->b, 152, 13, P64(13), P64(0), P64(0), P32(0), P32(0), P32(0))),
	    "next=13 pgft_maj=0 pgft_min=0 vm_size=0 vm_rss=0 vm_swap=0 ");
	/* UID: unknown user and "none" */
	assert_string_equal(info(f, EV(&f->b, 198, 13, P32(1000))), "uid=1000(<NA>) ");
	assert_string_equal(info(f, EV(&f->b, 198, 13, P32(0xffffffffu))), "uid=-1(<NONE>) ");

	/* generic events: the syscall's name, no arguments (mprotect is ppm_sc 75) */
	const struct ff_evt *ev = EV(&f->b, 0, 13, P16(75), P16(10));
	assert_string_equal(ff_render_type(ev), "mprotect");
	assert_string_equal(info(f, ev), "");
	/* code 0: a syscall 2022 had no code for (rseq): sysdig 0.29.3 prints "<unknown>" */
	assert_string_equal(ff_render_type(EV(&f->b, 0, 13, P16(0), P16(334))), "<unknown>");
	/* visibility: procinfo hidden but counted; state-only hidden */
	ev = EV(&f->b, 234, 13, P64(1), P64(2));
	assert_true(ff_render_counted(ev));
	assert_false(ff_render_visible(ev));
	f->b.ev.dump_flags = 1;
	ev = EV(&f->b, 3, 13, P64(-2), PSTR("/x"), P32(1), P32(0), P32(0));
	f->b.ev.dump_flags = 1;
	assert_false(ff_render_visible(&f->b.ev));
	/* "17:35:48.514632619" for ts 1534527348514632619 in UTC */
	ff_sbuf_reset(&f->out);
	assert_int_equal(ff_render_outputtime(1534527348514632619ull, &f->out), 0);
	assert_string_equal(f->out.p, "17:35:48.514632619");
}

static void test_line(void **state)
{
	struct fx *f = *state;
	const struct ff_evt *ev = EV(&f->b, 246, 25886);
	f->b.ev.cpu = 1;
	f->b.ev.ts = 1533943853000949020ull;
	(void)ev;
	assert_int_equal(ff_state_update(f->st, &f->b.ev), 0);
	ff_sbuf_reset(&f->out);
	assert_int_equal(ff_render_line(f->st, &f->b.ev, 854, &f->out, &f->scratch), 0);
	/* single_ipv6_conn.scap: "854 23:30:53.000949020 1 <NA> (25886) > accept " */
	assert_string_equal(f->out.p, "854 23:30:53.000949020 1 <NA> (25886) > accept \n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_errno_and_fd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flags_and_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sockets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffers_pids_time_type, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line, setup, teardown),
	};
	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
