/* SPDX-License-Identifier: Apache-2.0 */
/* ff_state: process tree, fd tables, paths, sockets and bounded memory, from
 * hand-built events whose meaning is spelled out in scap-format.md §16. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evbuild.h"
#include "ff_meta.h"
#include "ff_scap.h"
#include "ff_state.h"

#define CL_FILES_FS_THREAD 0x2003u /* CLONE_FILES|CLONE_FS|CLONE_THREAD */
#define AT_FDCWD_ (-100)

/* process list: init(1) and bash(100, child of 1) with cwd /home/u */
static struct ff_state *seeded(void)
{
	struct ff_state *st;
	struct ff_buf b = { 0 };
	struct ff_err err;
	size_t mark;
	struct ff_proc p;
	struct ff_block blk;

	assert_int_equal(ff_state_new(&st, &err), 0);
	assert_int_equal(ff_meta_begin(&b, FF_BT_PL_V9, 0, &mark, &err), 0);
	memset(&p, 0, sizeof(p));
	p.tid = p.pid = 1;
	p.ptid = 0;
	p.comm = (struct ff_str){ "init", 4 };
	p.exe = (struct ff_str){ "/sbin/init", 10 };
	p.cwd = (struct ff_str){ "/", 1 };
	p.loginuid = 0xffffffffu;
	assert_int_equal(ff_meta_put_proc(&b, &p, &err), 0);
	p.tid = p.pid = 100;
	p.ptid = 1;
	p.comm = (struct ff_str){ "bash", 4 };
	p.exe = (struct ff_str){ "-bash", 5 };
	p.cwd = (struct ff_str){ "/home/u", 7 };
	p.uid = p.gid = 1000;
	p.cgroups =
	    (struct ff_str){ "cpu=/docker/"
		             "3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e\0",
		             12 + 64 + 1 };
	assert_int_equal(ff_meta_put_proc(&b, &p, &err), 0);
	assert_int_equal(ff_meta_end(&b, mark, &err), 0);
	memset(&blk, 0, sizeof(blk));
	blk.kind = FF_BLK_PROCLIST;
	blk.type = FF_BT_PL_V9;
	blk.version = 9;
	blk.body = b.p + 8;
	memcpy(&blk.body_len, b.p + 4, 4);
	blk.body_len -= 12;
	assert_int_equal(ff_state_load_block(st, &blk, &err), 0);
	ff_buf_free(&b);
	return st;
}

/* clone exit (20-param layout) as seen in the parent (res = child) or child (res = 0) */
static const struct ff_evt *clone_x(struct evb *b, int64_t tid, int64_t res, int64_t pid,
                                    int64_t ptid, uint32_t flags)
{
	return EV(b, 223, (uint64_t)tid, P64(res), PSTR("bash"), PBUF("", 0), P64(tid), P64(pid),
	          P64(ptid), PSTR("/home/u"), P64(1024), P64(0), P64(0), P32(0), P32(0), P32(0),
	          PSTR("bash"), PBUF("cpu=/\0", 6), P32(flags), P32(1000), P32(1000), P64(tid),
	          P64(pid));
}

static void test_fork_exec_exit(void **unused)
{
	struct ff_state *st = seeded();
	struct evb b;
	const struct ff_thread *t, *p;
	(void)unused;

	assert_int_equal(ff_state_update(st, EV0(&b, 222, 100)), 0);
	assert_int_equal(ff_state_update(st, clone_x(&b, 100, 200, 100, 1, 0)), 0);
	t = ff_state_thread(st, 200);
	assert_non_null(t);
	assert_string_equal(ff_thread_comm(t), "bash");
	assert_int_equal(ff_thread_pid(t), 200);
	assert_int_equal(ff_thread_ptid(t), 100);
	assert_string_equal(ff_state_cwd(st, t), "/home/u/");
	/* the child's own exit does not replace the entry */
	assert_int_equal(ff_state_update(st, clone_x(&b, 200, 0, 200, 100, 0)), 0);
	assert_ptr_equal(ff_state_thread(st, 200), t);

	assert_non_null(EV(&b, 292, 200, PSTR("/usr/bin/curl")));
	assert_int_equal(ff_state_update(st, &b.ev), 0);
	assert_non_null(EV(
	    &b, 293, 200, P64(0), PSTR("/usr/bin/curl"), PBUF("-s\0x.org\0", 9), P64(200), P64(200),
	    P64(100), PSTR("/tmp"), P64(1024), P64(0), P64(0), P32(0), P32(0), P32(0), PSTR("curl"),
	    PBUF("cpu=/kubepods/besteffort/pod1/"
	         "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\0",
	         30 + 65),
	    PBUF("A=1\0", 4), P32(34816), P64(200), P32(1000), P32(0)));
	assert_int_equal(ff_state_update(st, &b.ev), 0);
	t = ff_state_thread(st, 200);
	assert_string_equal(ff_thread_comm(t), "curl");
	assert_string_equal(ff_thread_exe(t), "/usr/bin/curl");
	assert_string_equal(ff_thread_exepath(t), "/usr/bin/curl");
	/* sinsp 0.29.3 ignores execve's cwd parameter: the clone-time cwd stays */
	assert_string_equal(ff_state_cwd(st, t), "/home/u/");
	assert_int_equal(ff_thread_tty(t), 34816);
	assert_string_equal(ff_thread_container_id(t), "0123456789ab");
	uint32_t alen;
	const char *args = ff_thread_args(t, &alen);
	assert_int_equal(alen, 9);
	assert_memory_equal(args, "-s\0x.org\0", 9);

	/* parent chain: curl -> bash -> init */
	p = ff_state_parent(st, t);
	assert_non_null(p);
	assert_string_equal(ff_thread_comm(p), "bash");
	assert_string_equal(ff_thread_container_id(p), "3f4e5d6c7b8a");
	p = ff_state_parent(st, p);
	assert_non_null(p);
	assert_string_equal(ff_thread_comm(p), "init");
	assert_string_equal(ff_thread_container_id(p), "host");
	assert_null(ff_state_parent(st, p));

	/* a thread of curl shares its fd table */
	assert_int_equal(ff_state_update(st, EV0(&b, 222, 200)), 0);
	assert_int_equal(ff_state_update(st, clone_x(&b, 200, 201, 200, 100, CL_FILES_FS_THREAD)),
	                 0);
	t = ff_state_thread(st, 201);
	assert_non_null(t);
	assert_int_equal(ff_thread_pid(t), 200);
	assert_false(ff_thread_is_main(t));
	assert_ptr_equal(ff_state_main_thread(st, t), ff_state_thread(st, 200));

	/* procexit: the thread stays for the event itself, is gone at the next */
	assert_int_equal(ff_state_update(st, EV(&b, 186, 201, P64(0), P64(0), P8(0), P8(0))), 0);
	assert_non_null(ff_state_thread(st, 201));
	assert_non_null(ff_state_evt_thread(st));
	assert_int_equal(ff_state_update(st, EV0(&b, 222, 200)), 0);
	assert_null(ff_state_thread(st, 201));
	assert_non_null(ff_state_thread(st, 200));
	ff_state_free(st);
}

static void test_unknown_thread_is_invented(void **unused)
{
	struct ff_state *st = seeded();
	struct evb b;
	(void)unused;
	assert_int_equal(ff_state_update(st, EV(&b, 4, 555, P64(3))), 0);
	const struct ff_thread *t = ff_state_thread(st, 555);
	assert_non_null(t);
	assert_string_equal(ff_thread_comm(t), "<NA>");
	assert_int_equal(ff_thread_uid(t), 0xffffffffu);
	ff_state_free(st);
}

static void open_x(struct ff_state *st, struct evb *b, int64_t tid, int64_t fd, const char *name,
                   uint32_t flags)
{
	assert_int_equal(ff_state_update(st, EV(b, 2, tid, PSTR(name), P32(flags), P32(0))), 0);
	assert_int_equal(
	    ff_state_update(st, EV(b, 3, tid, P64(fd), PSTR(name), P32(flags), P32(0), P32(0))), 0);
}

static void openat_x(struct ff_state *st, struct evb *b, int64_t tid, int64_t fd, int64_t dirfd,
                     const char *name)
{
	assert_int_equal(
	    ff_state_update(st, EV(b, 306, tid, P64(dirfd), PSTR(name), P32(1), P32(0))), 0);
	assert_int_equal(ff_state_update(st, EV(b, 307, tid, P64(fd), P64(dirfd), PSTR(name),
	                                        P32(1), P32(0), P32(0))),
	                 0);
}

static void test_fds_and_paths(void **unused)
{
	struct ff_state *st = seeded();
	struct evb b;
	const struct ff_thread *t = ff_state_thread(st, 100);
	const struct ff_fd *f;
	(void)unused;

	open_x(st, &b, 100, 3, "/etc", 1024 | 1); /* O_DIRECTORY */
	f = ff_state_fd(st, t, 3);
	assert_non_null(f);
	assert_int_equal(ff_fd_typechar(f), 'd');
	openat_x(st, &b, 100, 4, 3, "passwd");
	f = ff_state_fd(st, t, 4);
	assert_non_null(f);
	assert_string_equal(ff_fd_name(f), "/etc/passwd");
	assert_int_equal(ff_fd_typechar(f), 'f');
	assert_ptr_equal(ff_state_evt_fd(st), f);
	/* relative to cwd, with . and .. */
	open_x(st, &b, 100, 6, "./a/../b//c", 1);
	assert_string_equal(ff_fd_name(ff_state_fd(st, t, 6)), "/home/u/b/c");
	/* chdir then AT_FDCWD */
	assert_int_equal(ff_state_update(st, EV0(&b, 94, 100)), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 95, 100, P64(0), PSTR("../../var"))), 0);
	assert_string_equal(ff_state_cwd(st, t), "/var/");
	openat_x(st, &b, 100, 7, AT_FDCWD_, "log/../lib/x");
	assert_string_equal(ff_fd_name(ff_state_fd(st, t, 7)), "/var/lib/x");
	/* a failed open adds nothing */
	openat_x(st, &b, 100, -2, AT_FDCWD_, "nope");

	/* dup copies the record */
	assert_int_equal(ff_state_update(st, EV(&b, 124, 100, P64(4))), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 125, 100, P64(5))), 0);
	f = ff_state_fd(st, t, 5);
	assert_non_null(f);
	assert_string_equal(ff_fd_name(f), "/etc/passwd");
	size_t n = ff_state_nfds(st);
	assert_int_equal(n, 5);

	/* close: still resolvable during the exit, removed at the next event */
	assert_int_equal(ff_state_update(st, EV(&b, 4, 100, P64(4))), 0);
	assert_ptr_equal(ff_state_evt_fd(st), ff_state_fd(st, t, 4));
	assert_int_equal(ff_state_update(st, EV(&b, 5, 100, P64(0))), 0);
	assert_non_null(ff_state_fd(st, t, 4));
	assert_int_equal(ff_state_update(st, EV0(&b, 222, 100)), 0);
	assert_null(ff_state_fd(st, t, 4));
	assert_non_null(ff_state_fd(st, t, 5));
	assert_int_equal(ff_state_nfds(st), n - 1);
	/* a failed close keeps it */
	assert_int_equal(ff_state_update(st, EV(&b, 4, 100, P64(5))), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 5, 100, P64(-9))), 0);
	assert_int_equal(ff_state_update(st, EV0(&b, 222, 100)), 0);
	assert_non_null(ff_state_fd(st, t, 5));

	/* fcntl(F_DUPFD) duplicates too; F_GETFD does not */
	assert_int_equal(ff_state_update(st, EV(&b, 150, 100, P64(5), P8(1))), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 151, 100, P64(9))), 0);
	assert_string_equal(ff_fd_name(ff_state_fd(st, t, 9)), "/etc/passwd");
	assert_int_equal(ff_state_update(st, EV(&b, 150, 100, P64(5), P8(2))), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 151, 100, P64(10))), 0);
	assert_null(ff_state_fd(st, t, 10));

	ff_state_free(st);
}

static void test_socket_tuple(void **unused)
{
	struct ff_state *st = seeded();
	struct evb b;
	const struct ff_thread *t = ff_state_thread(st, 100);
	const struct ff_fd *f;
	uint8_t addr[7] = { 2, 93, 184, 216, 34, 80, 0 };
	uint8_t tuple[13] = { 2, 10, 0, 0, 5, 0x40, 0x9c, 93, 184, 216, 34, 80, 0 };
	(void)unused;

	assert_int_equal(ff_state_update(st, EV(&b, 18, 100, P32(2), P32(1), P32(0))), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 19, 100, P64(3))), 0);
	f = ff_state_fd(st, t, 3);
	assert_non_null(f);
	assert_int_equal(ff_fd_typechar(f), '4');
	assert_int_equal(ff_fd_l4proto(f), 1); /* no role yet: n/a, as sinsp */
	assert_int_equal(ff_state_update(st, EV(&b, 22, 100, P64(3), PBUF(addr, 7))), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 23, 100, P64(0), PBUF(tuple, 13))), 0);
	f = ff_state_fd(st, t, 3);
	assert_string_equal(ff_fd_name(f), "10.0.0.5:40000->93.184.216.34:80");
	assert_int_equal(ff_fd_l4proto(f), 2);
	assert_false(ff_fd_is_server(f));

	/* accept on a listening socket: the new fd reads client->server */
	uint8_t sa[7] = { 2, 0, 0, 0, 0, 0x90, 0x1f };
	assert_int_equal(ff_state_update(st, EV(&b, 18, 100, P32(2), P32(1), P32(6))), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 19, 100, P64(4))), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 20, 100, P64(4))), 0);
	assert_int_equal(ff_state_update(st, EV(&b, 21, 100, P64(0), PBUF(sa, 7))), 0);
	f = ff_state_fd(st, t, 4);
	assert_string_equal(ff_fd_name(f), "0.0.0.0:8080");
	uint8_t at[13] = { 2, 10, 0, 0, 9, 0x10, 0x27, 10, 0, 0, 5, 0x90, 0x1f };
	assert_int_equal(ff_state_update(st, EV0(&b, 246, 100)), 0);
	assert_int_equal(
	    ff_state_update(st, EV(&b, 247, 100, P64(7), PBUF(at, 13), P8(0), P32(0), P32(5))), 0);
	f = ff_state_fd(st, t, 7);
	assert_non_null(f);
	assert_string_equal(ff_fd_name(f), "10.0.0.9:10000->10.0.0.5:8080");
	assert_true(ff_fd_is_server(f));
	ff_state_free(st);
}

/* a million short-lived processes: the tables stay at the live set */
static void test_bounded_memory(void **unused)
{
	struct ff_state *st = seeded();
	struct evb b;
	size_t max_threads = 0, max_fds = 0;
	(void)unused;
	open_x(st, &b, 100, 3, "/etc/hosts", 1);
	for (int64_t i = 0; i < 1000000; i++) {
		int64_t child = 1000 + i % 30000; /* tids get reused, like the kernel's */
		assert_int_equal(ff_state_update(st, EV0(&b, 222, 100)), 0);
		assert_int_equal(ff_state_update(st, clone_x(&b, 100, child, 100, 1, 0)), 0);
		open_x(st, &b, child, 4, "/tmp/x", 1);
		assert_int_equal(
		    ff_state_update(st, EV(&b, 186, (uint64_t)child, P64(0), P64(0), P8(0), P8(0))),
		    0);
		if (ff_state_nthreads(st) > max_threads)
			max_threads = ff_state_nthreads(st);
		if (ff_state_nfds(st) > max_fds)
			max_fds = ff_state_nfds(st);
	}
	/* init, bash, the child being born/exiting */
	assert_true(max_threads <= 3);
	assert_true(max_fds <= 3);
	ff_state_free(st);
}

/* The container id Falco's container plugin gives each cgroup layout: every
 * expected id and kind below is what Falco 0.45 with its container plugin
 * printed (container.id, container.type) for a process with that cgroup. */
static void test_container_ids_falco(void **unused)
{
#define H64 "3f2a9c1e7b5d4a60c8e2f1a9b3c7d5e1f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9"
	static const struct {
		const char *cg;
		const char *id;
		int kind;
	} c[] = {
		{ "cpu=/docker/" H64, "3f2a9c1e7b5d", FF_FALCO_CT_RUNTIME },
		{ "0=/system.slice/docker-" H64 ".scope", "3f2a9c1e7b5d", FF_FALCO_CT_RUNTIME },
		{ "0=/machine.slice/libpod-" H64 ".scope/container", "3f2a9c1e7b5d",
		  FF_FALCO_CT_RUNTIME },
		{ "0=/kubepods/besteffort/pod1234/crio-" H64, "3f2a9c1e7b5d", FF_FALCO_CT_RUNTIME },
		{ "0=/kubepods.slice/kubepods-pod12.slice/cri-containerd-" H64 ".scope",
		  "3f2a9c1e7b5d", FF_FALCO_CT_RUNTIME },
		{ "0=/k8s.io/" H64, "3f2a9c1e7b5d", FF_FALCO_CT_RUNTIME },
		/* containerd's namespace/id: any id up to 64 characters... */
		{ "0=/process_api/a473d6ca08456c3478c62fcb45bdf3ef", "a473d6ca0845",
		  FF_FALCO_CT_RUNTIME },
		{ "0=/default/web", "web", FF_FALCO_CT_RUNTIME },
		{ "0=/a/b/c.d", "b/c.d", FF_FALCO_CT_RUNTIME },
		{ "0=/libvirt/lxc/box1", "lxc/box1", FF_FALCO_CT_RUNTIME },
		/* ...but not a systemd unit, nor longer than 64 */
		{ "0=/user.slice/user-1000.slice/session-3.scope", "host", 0 },
		{ "0=/system.slice/cron.service", "host", 0 },
		{ "0=/ns/" H64 "x", "host", 0 },
		{ "0=/init.scope", "host", 0 },
		{ "0=/", "host", 0 },
		{ "0=/lxc/web01/init.scope", "web01", FF_FALCO_CT_LXC },
		{ "0=/lxc.payload.web02", "web02", FF_FALCO_CT_LXC },
		{ "0=/foo/box2.libvirt-lxc", "box2.libvirt", FF_FALCO_CT_RUNTIME },
		{ "0=/system.slice/bpm-job_1.scope", "job_1", FF_FALCO_CT_BPM },
	};
	(void)unused;
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		char id[65];
		int kind = ff_state_container_falco(c[i].cg, (uint32_t)strlen(c[i].cg) + 1, id);
		assert_string_equal(id, c[i].id);
		assert_int_equal(kind, c[i].kind);
	}
	/* the first cgroup that names one wins: cpu=/ does not, memory= does */
	static const char two[] = "cpu=/\0memory=/process_api/a473d6ca08456c3478c62fcb45bdf3ef";
	char id[65];
	ff_state_container_falco(two, sizeof(two), id);
	assert_string_equal(id, "a473d6ca0845");
#undef H64
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_exec_exit),
		cmocka_unit_test(test_unknown_thread_is_invented),
		cmocka_unit_test(test_fds_and_paths),
		cmocka_unit_test(test_socket_tuple),
		cmocka_unit_test(test_bounded_memory),
		cmocka_unit_test(test_container_ids_falco),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
