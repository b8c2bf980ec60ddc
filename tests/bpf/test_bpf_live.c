/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live test of the BPF driver (root only; exit 77 = skipped otherwise).
 *
 * A child process performs a known syscall sequence and records the values
 * only it can know (fds, ports, inode) in shared memory; the test then finds
 * that child's events among everything the probe captured and checks every
 * parameter against those values.  Every event of the child must validate,
 * carry a type the table knows and either its 2022 or its full parameter
 * count, with fixed-width parameters of exactly their width.  The captured
 * events are then written with ff_writer (no compression) and, if sysdig is
 * installed, read back by `sysdig -r`.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ff_bpf_source.h"
#include "ff_event_table.h"
#include "ff_writer.h"

#define SKIP 77

static int failures;

#define CHECK(cond, ...)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			failures++;                                                                \
			fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
		}                                                                                  \
	} while (0)

/* What the child did, written by the child into shared memory. */
struct truth {
	pid_t a, b;            /* the child (A) and its forked grandchild (B) */
	int file_fd, file_fd2; /* openat results: write, then read */
	dev_t dev;
	ino_t ino;
	int lsock, csock, asock; /* listener, client, accepted */
	uint16_t lport, cport;
	int mfd; /* open() of a path read from a not-yet-faulted file mapping */
	int done;
};

static const char payload[] = "falco-forensics live test: 0123456789abcdefghijklmnopqrstuvwxyz"
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ-the-end-of-the-hundred-bytes-and-more";
#define PAYLOAD_LEN 100 /* bytes written; the snapshot keeps the first 80 */
_Static_assert(sizeof(payload) > PAYLOAD_LEN, "payload");

static char dir[PATH_MAX], path[PATH_MAX + 32], mpath[PATH_MAX + 32];

static void child(struct truth *t)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	socklen_t sl = sizeof(sa);
	char buf[256];
	struct stat st;
	pid_t b;
	int st_b;

	t->a = getpid();
	if (chdir(dir))
		_exit(10);
	t->file_fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	if (t->file_fd < 0 || write(t->file_fd, payload, PAYLOAD_LEN) != PAYLOAD_LEN)
		_exit(11);
	fstat(t->file_fd, &st);
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	close(t->file_fd);
	t->file_fd2 = openat(AT_FDCWD, path, O_RDONLY);
	if (t->file_fd2 < 0 || read(t->file_fd2, buf, sizeof(buf)) != PAYLOAD_LEN)
		_exit(12);
	close(t->file_fd2);
	syscall(SYS_getppid); /* not modelled in 2022: a generic event */

	t->lsock = socket(AF_INET, SOCK_STREAM, 0);
	if (t->lsock < 0 || bind(t->lsock, (struct sockaddr *)&sa, sizeof(sa)) ||
	    listen(t->lsock, 5) || getsockname(t->lsock, (struct sockaddr *)&sa, &sl))
		_exit(13);
	t->lport = ntohs(sa.sin_port);
	t->csock = socket(AF_INET, SOCK_STREAM, 0);
	if (t->csock < 0 || connect(t->csock, (struct sockaddr *)&sa, sizeof(sa)))
		_exit(14);
	sl = sizeof(sa);
	getsockname(t->csock, (struct sockaddr *)&sa, &sl);
	t->cport = ntohs(sa.sin_port);
	t->asock = accept4(t->lsock, NULL, NULL, 0);
	if (t->asock < 0)
		_exit(15);
	syscall(SYS_unlink, path);

	b = fork();
	if (b == 0) {
		/* Strings on the (touched) stack: a non-sleepable probe cannot fault
		 * in pages, e.g. .rodata not yet mapped in a fresh child. */
		char exe[] = "/bin/true", a1[] = "arg-one", a2[] = "arg two";
		char e1[] = "FF_TEST=1", e2[] = "OTHER=x";
		char *argv[] = { exe, a1, a2, NULL };
		char *envp[] = { e1, e2, NULL };

		execve(exe, argv, envp);
		_exit(16);
	}
	t->b = b;
	waitpid(b, &st_b, 0);

	/* A path the probe cannot read at enter: it lives in a file mapping the
	 * child never touched (the page is cached but not mapped), so only the
	 * kernel's own copy faults it in.  The exit must still carry it. */
	{
		int fd = openat(AT_FDCWD, mpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		char *m;

		if (fd < 0 || write(fd, mpath, strlen(mpath) + 1) != (ssize_t)strlen(mpath) + 1)
			_exit(17);
		close(fd);
		fd = openat(AT_FDCWD, mpath, O_RDONLY);
		m = fd < 0 ? MAP_FAILED : mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED)
			_exit(18);
		close(fd);
		t->mfd = openat(AT_FDCWD, m, O_RDONLY);
		if (t->mfd < 0)
			_exit(19);
		close(t->mfd);
		syscall(SYS_unlink, mpath);
	}
	t->done = 1;
	_exit(7);
}

/* ---- collected events ------------------------------------------------------- */
struct cev {
	uint8_t *raw;
	struct ff_evt ev;
};
static struct cev *evs;
static size_t nev, cap;

static void keep(const struct ff_evt *ev)
{
	struct ff_err err = { 0 };

	if (nev == cap) {
		cap = cap ? 2 * cap : 256;
		evs = realloc(evs, cap * sizeof(*evs));
		if (!evs)
			abort();
	}
	evs[nev].raw = malloc(ev->len);
	memcpy(evs[nev].raw, ev->raw, ev->len);
	CHECK(ff_evt_init(&evs[nev].ev, evs[nev].raw, ev->len, &err) == 0, "%s", err.msg);
	evs[nev].ev.cpu = ev->cpu;
	evs[nev].ev.dump_flags = 0; /* ff_evt_init leaves it: the slot is fresh realloc memory */
	nev++;
}

/* The n-th event (0-based) of `type` from thread `tid`. */
static const struct ff_evt *find(uint16_t type, uint64_t tid, int n)
{
	for (size_t i = 0; i < nev; i++)
		if (evs[i].ev.type == type && evs[i].ev.tid == tid && n-- == 0)
			return &evs[i].ev;
	return NULL;
}

static int64_t I(const struct ff_evt *ev, unsigned i)
{
	int ok = 0;
	int64_t v = ff_evt_param_int(ev, i, &ok);

	CHECK(ok, "%s param %u not an integer", ff_event_table[ev->type].name, i);
	return v;
}

static uint64_t U(const struct ff_evt *ev, unsigned i)
{
	int ok = 0;
	uint64_t v = ff_evt_param_uint(ev, i, &ok);

	CHECK(ok, "%s param %u not an integer", ff_event_table[ev->type].name, i);
	return v;
}

static int S(const struct ff_evt *ev, unsigned i, const char *want)
{
	uint32_t len = 0;
	const char *s = ff_evt_param_str(ev, i, &len);

	return s && len == strlen(want) && !memcmp(s, want, len);
}

static int B(const struct ff_evt *ev, unsigned i, const void *want, size_t n)
{
	uint32_t len = 0;
	const uint8_t *p = ff_evt_param(ev, i, &len);

	return p && len == n && !memcmp(p, want, n);
}

static size_t tuple4(uint8_t *o, uint32_t sip, uint16_t sport, uint32_t dip, uint16_t dport)
{
	o[0] = FF_AF_INET;
	memcpy(o + 1, &sip, 4);
	memcpy(o + 5, &sport, 2);
	memcpy(o + 7, &dip, 4);
	memcpy(o + 11, &dport, 2);
	return 13;
}

/* Generic checks for every event of the child. */
static void check_shape(const struct ff_evt *ev)
{
	const struct ff_event_info *info = ff_evt_info(ev);

	CHECK(info && !(info->flags & FF_EF_UNUSED), "unknown type %u", ev->type);
	if (!info)
		return;
	CHECK(ev->type < FF_EVENT_MAX_2022, "%s: id %u is not a 2022 id", info->name, ev->type);
	CHECK(ev->nparams == info->nparams || ev->nparams == info->nparams_2022,
	      "%s (%u): %u params, table has %u (2022: %u)", info->name, ev->type, ev->nparams,
	      info->nparams, info->nparams_2022);
	for (unsigned i = 0; i < ev->nparams && i < info->nparams; i++) {
		unsigned w = 0;

		switch (info->params[i].type) {
		case FF_PT_INT8:
		case FF_PT_UINT8:
		case FF_PT_FLAGS8:
		case FF_PT_SIGTYPE:
		case FF_PT_ENUMFLAGS8:
		case FF_PT_L4PROTO:
		case FF_PT_SOCKFAMILY:
			w = 1;
			break;
		case FF_PT_INT16:
		case FF_PT_UINT16:
		case FF_PT_FLAGS16:
		case FF_PT_SYSCALLID:
		case FF_PT_PORT:
		case FF_PT_ENUMFLAGS16:
			w = 2;
			break;
		case FF_PT_INT32:
		case FF_PT_UINT32:
		case FF_PT_FLAGS32:
		case FF_PT_UID:
		case FF_PT_GID:
		case FF_PT_MODE:
		case FF_PT_ENUMFLAGS32:
		case FF_PT_BOOL:
		case FF_PT_SIGSET:
			w = 4;
			break;
		case FF_PT_INT64:
		case FF_PT_UINT64:
		case FF_PT_ERRNO:
		case FF_PT_FD:
		case FF_PT_PID:
		case FF_PT_RELTIME:
		case FF_PT_ABSTIME:
			w = 8;
			break;
		}
		CHECK(!w || ev->plen[i] == w, "%s param %u (%s): %u bytes, want %u", info->name, i,
		      info->params[i].name, ev->plen[i], w);
		if (info->params[i].type == FF_PT_CHARBUF || info->params[i].type == FF_PT_FSPATH ||
		    info->params[i].type == FF_PT_FSRELPATH) /* never 0-length: "\0" at least */
			CHECK(ev->plen[i] >= 1 && ev->raw[ev->off[i] + ev->plen[i] - 1] == 0,
			      "%s param %u (%s): %u bytes, not a NUL-terminated string", info->name,
			      i, info->params[i].name, ev->plen[i]);
		if (info->params[i].type == FF_PT_SYSCALLID && ev->plen[i] == 2)
			CHECK(ff_ld16(ev->raw + ev->off[i]) <= 328,
			      "%s: syscall id %u unknown to sysdig 0.29.3", info->name,
			      ff_ld16(ev->raw + ev->off[i]));
	}
}

static void check_sequence(const struct truth *t)
{
	const uint32_t lo = htonl(0x7f000001);
	const uint32_t oflags = 2 | 4 | 32 | 4096; /* WRONLY|CREAT|EXCL|CLOEXEC */
	const struct ff_evt *e, *x;
	char realexe[PATH_MAX];
	uint8_t tb[64];
	uint64_t prev_ts = 0;
	int nchild = 0;

	for (size_t i = 0; i < nev; i++) {
		const struct ff_evt *ev = &evs[i].ev;

		if (ev->tid != (uint64_t)t->a && ev->tid != (uint64_t)t->b)
			continue;
		check_shape(ev);
		if (ev->tid == (uint64_t)t->a) {
			CHECK(ev->ts >= prev_ts, "A's events out of order at %zu", i);
			prev_ts = ev->ts;
		}
		nchild++;
	}
	CHECK(nchild > 30, "only %d events of the child", nchild);

	/* openat for writing */
	e = find(FFE_OPENAT_E, t->a, 0);
	x = find(FFE_OPENAT_X, t->a, 0);
	CHECK(e && x, "openat pair missing");
	if (e && x) {
		CHECK(I(e, 0) == FF_AT_FDCWD, "dirfd");
		CHECK(S(e, 1, path), "enter name");
		CHECK(U(e, 2) == oflags, "enter flags %#lx", (unsigned long)U(e, 2));
		CHECK(U(e, 3) == 0640, "enter mode");
		CHECK(I(x, 0) == t->file_fd, "fd %ld", (long)I(x, 0));
		CHECK(I(x, 1) == FF_AT_FDCWD, "exit dirfd");
		CHECK(S(x, 2, path), "exit name");
		CHECK(U(x, 3) == (oflags | 16384), "exit flags %#lx (F_CREATED)",
		      (unsigned long)U(x, 3));
		CHECK(U(x, 4) == 0640, "exit mode");
		CHECK(U(x, 5) == (uint32_t)t->dev, "dev %#lx vs %#lx", (unsigned long)U(x, 5),
		      (unsigned long)t->dev);
		CHECK(x->nparams == 7 && U(x, 6) == t->ino, "ino");
	}
	/* the second openat: read-only, not created */
	x = find(FFE_OPENAT_X, t->a, 1);
	CHECK(x && I(x, 0) == t->file_fd2 && U(x, 3) == 1, "openat O_RDONLY");

	/* write */
	e = find(FFE_WRITE_E, t->a, 0);
	x = find(FFE_WRITE_X, t->a, 0);
	CHECK(e && x, "write pair missing");
	if (e && x) {
		CHECK(I(e, 0) == t->file_fd && U(e, 1) == PAYLOAD_LEN, "write enter");
		CHECK(I(x, 0) == PAYLOAD_LEN, "write res");
		CHECK(B(x, 1, payload, 80), "write data snapshot");
		CHECK(I(x, 2) == t->file_fd && U(x, 3) == PAYLOAD_LEN, "write fd/size");
	}
	/* read */
	x = find(FFE_READ_X, t->a, 0);
	CHECK(x, "read exit missing");
	if (x) {
		CHECK(I(x, 0) == PAYLOAD_LEN && B(x, 1, payload, 80), "read res/data");
		CHECK(I(x, 2) == t->file_fd2 && U(x, 3) == 256, "read fd/size");
	}
	/* close */
	e = find(FFE_CLOSE_E, t->a, 0);
	x = find(FFE_CLOSE_X, t->a, 0);
	CHECK(e && x && I(e, 0) == t->file_fd && I(x, 0) == 0 && I(x, 1) == t->file_fd, "close");
	/* generic getppid: ppm_sc code and native number */
	e = find(FFE_SYSCALL_E, t->a, 0);
	x = find(FFE_SYSCALL_X, t->a, 0);
	{
		int found = 0;

		for (size_t i = 0; i < nev; i++) {
			const struct ff_evt *g = &evs[i].ev;

			if (g->tid == (uint64_t)t->a && g->type == FFE_SYSCALL_X &&
			    U(g, 1) == SYS_getppid &&
			    !strcmp(ff_ppm_sc_names[U(g, 0)].name_2026, "getppid"))
				found++;
		}
		CHECK(found == 1, "generic getppid exit found %d times", found);
	}
	/* socket, bind, listen */
	x = find(FFE_SOCKET_X, t->a, 0);
	CHECK(x && I(x, 0) == t->lsock && U(x, 1) == AF_INET && U(x, 2) == SOCK_STREAM, "socket");
	x = find(FFE_BIND_X, t->a, 0);
	{
		uint8_t sa[7] = { FF_AF_INET };

		memcpy(sa + 1, &lo, 4);
		CHECK(x && I(x, 0) == 0 && B(x, 1, sa, 7) && I(x, 2) == t->lsock,
		      "bind to 127.0.0.1:0");
	}
	x = find(FFE_LISTEN_X, t->a, 0);
	CHECK(x && I(x, 0) == 0 && I(x, 1) == t->lsock && I(x, 2) == 5, "listen");
	/* connect: tuple local -> remote */
	e = find(FFE_CONNECT_E, t->a, 0);
	x = find(FFE_CONNECT_X, t->a, 0);
	CHECK(e && x, "connect pair missing");
	if (e && x) {
		uint8_t sa[7] = { FF_AF_INET };

		memcpy(sa + 1, &lo, 4);
		memcpy(sa + 5, &t->lport, 2);
		CHECK(I(e, 0) == t->csock && B(e, 1, sa, 7), "connect enter addr");
		CHECK(I(x, 0) == 0, "connect res %ld", (long)I(x, 0));
		CHECK(B(x, 1, tb, tuple4(tb, lo, t->cport, lo, t->lport)), "connect tuple");
		CHECK(I(x, 2) == t->csock && B(x, 3, sa, 7), "connect fd/addr");
	}
	/* accept4: the same client -> server orientation */
	x = find(FFE_ACCEPT_X, t->a, 0);
	CHECK(x, "accept4 exit missing");
	if (x) {
		CHECK(I(x, 0) == t->asock, "accept fd");
		CHECK(B(x, 1, tb, tuple4(tb, lo, t->cport, lo, t->lport)), "accept tuple");
		CHECK(U(x, 4) == 5, "accept queuemax %lu", (unsigned long)U(x, 4));
	}
	/* unlink */
	x = find(FFE_UNLINK_X, t->a, 0);
	CHECK(x && I(x, 0) == 0 && S(x, 1, path), "unlink");

	/* fork: clone exit in the parent (res = child) and in the child (res = 0).
	 * A's first clone exit is its own birth (the test forked it). */
	x = find(FFE_CLONE_X, t->a, 0);
	CHECK(x && I(x, 0) == 0 && I(x, 3) == t->a && I(x, 5) == getpid(), "A's birth");
	x = find(FFE_CLONE_X, t->a, 1);
	CHECK(x, "clone exit of the parent missing");
	if (x) {
		CHECK(I(x, 0) == t->b, "clone parent res %ld", (long)I(x, 0));
		CHECK(I(x, 3) == t->a && I(x, 4) == t->a && I(x, 5) == getpid(), "clone ids");
		CHECK(S(x, 6, dir), "clone cwd");
		CHECK(U(x, 15) & (1u << 23), "clone flags CHILD_CLEARTID %#lx",
		      (unsigned long)U(x, 15));
		CHECK(U(x, 16) == geteuid(), "clone uid");
	}
	x = find(FFE_CLONE_X, t->b, 0);
	CHECK(x && I(x, 0) == 0 && I(x, 3) == t->b && I(x, 4) == t->b && I(x, 5) == t->a,
	      "clone exit of the child");

	/* execve of /bin/true */
	e = find(FFE_EXECVE_E, t->b, 0);
	x = find(FFE_EXECVE_X, t->b, 0);
	CHECK(e && S(e, 0, "/bin/true"), "execve enter");
	CHECK(x, "execve exit missing");
	if (x) {
		static const char args[] = "arg-one\0arg two"; /* with the final NUL */
		static const char env[] = "FF_TEST=1\0OTHER=x";

		CHECK(I(x, 0) == 0, "execve res");
		CHECK(S(x, 1, "/bin/true"), "execve exe");
		CHECK(B(x, 2, args, sizeof(args)), "execve args");
		CHECK(I(x, 3) == t->b && I(x, 4) == t->b && I(x, 5) == t->a, "execve ids");
		CHECK(S(x, 6, dir), "execve cwd");
		CHECK(S(x, 13, "true"), "execve comm");
		CHECK(B(x, 15, env, sizeof(env)), "execve env");
		CHECK(x->nparams == 31, "execve nparams %u", x->nparams);
		if (x->nparams == 31) {
			CHECK(U(x, 26) == geteuid() && U(x, 29) == getegid(), "execve uid/gid");
			CHECK(realpath("/bin/true", realexe) && S(x, 27, realexe),
			      "execve trusted_exepath");
			CHECK(S(x, 30, "/bin/true"), "execve filename");
		}
	}
	/* procexit of both: B exits 0, A exits 7 */
	x = find(FFE_PROCEXIT_E, t->b, 0);
	CHECK(x && I(x, 0) == 0 && I(x, 1) == 0 && U(x, 2) == 0, "procexit of B");
	x = find(FFE_PROCEXIT_E, t->a, 0);
	CHECK(x && I(x, 0) == (7 << 8) && I(x, 1) == 7 && U(x, 2) == 0, "procexit of A");

	/* the path from the untouched mapping: the 5th openat of A */
	x = find(FFE_OPENAT_X, t->a, 4);
	CHECK(x && I(x, 0) == t->mfd && S(x, 2, mpath), "openat exit of the mapped path");
}

/* Write the child's events (time-sorted) and let sysdig read them. */
static int cmp_ts(const void *a, const void *b)
{
	const struct cev *x = a, *y = b;

	return x->ev.ts < y->ev.ts ? -1 : x->ev.ts > y->ev.ts;
}

static void check_sysdig(const struct truth *t)
{
	struct ff_writer_opts wo = { .sz = sizeof(wo), .codec = FF_CODEC_NONE };
	const char *sysdig = getenv("SYSDIG");
	struct ff_writer *w = NULL;
	struct ff_err err = { 0 };
	char file[PATH_MAX + 16], cmd[3 * PATH_MAX + 64], line[4096];
	int saw_open = 0, saw_exec = 0, saw_connect = 0;
	FILE *p;

	qsort(evs, nev, sizeof(*evs), cmp_ts);
	snprintf(file, sizeof(file), "%s/live.scap", dir);
	CHECK(ff_writer_open(&w, file, &wo, &err) == 0, "%s", err.msg);
	if (!w)
		return;
	for (size_t i = 0; i < nev; i++)
		if (evs[i].ev.tid == (uint64_t)t->a || evs[i].ev.tid == (uint64_t)t->b)
			CHECK(ff_writer_write_event(w, &evs[i].ev, &err) == 0, "%s", err.msg);
	CHECK(ff_writer_close(w, &err) == 0, "%s", err.msg);
	if (sysdig && *sysdig && !strchr(sysdig, '/')) { /* a name: look it up in PATH */
		static char found[PATH_MAX];
		const char *pathenv = getenv("PATH");
		char *copy = strdup(pathenv ? pathenv : "/usr/bin:/bin"), *save = NULL;

		for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
			snprintf(found, sizeof(found), "%s/%s", d, sysdig);
			if (!access(found, X_OK)) {
				sysdig = found;
				break;
			}
		}
		free(copy);
	}
	if (!sysdig || !*sysdig || access(sysdig, X_OK)) {
		fprintf(stderr, "sysdig not found: skipping the sysdig -r check\n");
		unlink(file);
		return;
	}
	snprintf(cmd, sizeof(cmd), "'%s' -r '%s' -p '%%evt.type %%evt.dir %%evt.args' 2>&1", sysdig,
	         file);
	p = popen(cmd, "r");
	CHECK(p, "popen sysdig");
	while (p && fgets(line, sizeof(line), p)) {
		/* 20518 = WRONLY|CREAT|EXCL|CLOEXEC|F_CREATED; sysdig separates
		 * args with '.' */
		if (!strncmp(line, "openat <", 8) && strstr(line, path) &&
		    strstr(line, "flags=20518(") && strstr(line, "mode=0640"))
			saw_open = 1;
		if (!strncmp(line, "execve <", 8) && strstr(line, "exe=/bin/true") &&
		    strstr(line, "args=arg-one.arg two.") && strstr(line, "comm=true"))
			saw_exec = 1;
		if (!strncmp(line, "connect <", 9) && strstr(line, "127.0.0.1:"))
			saw_connect = 1;
	}
	if (p)
		CHECK(pclose(p) == 0, "sysdig exit status");
	CHECK(saw_open, "sysdig: no openat exit line with path and flags");
	CHECK(saw_exec, "sysdig: no execve exit line with exe and args");
	CHECK(saw_connect, "sysdig: no connect exit line with the tuple");
	if (!getenv("FF_BPF_KEEP"))
		unlink(file);
}

static void log_cb(void *ctx, enum ff_bpf_log_level lvl, const char *msg)
{
	(void)ctx;
	if (lvl == FF_BPF_LOG_WARN && getenv("FF_BPF_VERBOSE"))
		fputs(msg, stderr);
}

int main(void)
{
	struct ff_bpf_source_opts o = { .sz = sizeof(o), .poll_ms = 50, .log = log_cb };
	struct ff_bpf_source *src = NULL;
	struct ff_err err = { 0 };
	struct ff_bpf_stats st;
	uint8_t set[FF_SYSCALL_NR_MAX];
	struct truth *t;
	struct ff_evt ev;
	pid_t a;
	int rc, status, idle = 0;

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: the BPF driver test needs root\n");
		return SKIP;
	}
	snprintf(dir, sizeof(dir), "/tmp/ff-bpf-XXXXXX");
	{
		char real[PATH_MAX];

		if (!mkdtemp(dir) || !realpath(dir, real))
			return 99;
		memcpy(dir, real, sizeof(real));
	}
	snprintf(path, sizeof(path), "%s/known.txt", dir);
	snprintf(mpath, sizeof(mpath), "%s/mapped-path", dir);

	/* Only the syscalls the child makes, and a large ring: the whole host is
	 * traced, and under a loaded `make check-asan` a slow consumer must not
	 * lose the child's events. */
	{
		static const int used[] = { SYS_openat,  SYS_write,   SYS_read,   SYS_close,
			                    SYS_getppid, SYS_socket,  SYS_bind,   SYS_listen,
			                    SYS_connect, SYS_accept4, SYS_unlink, SYS_clone,
			                    SYS_clone3,  SYS_fork,    SYS_vfork,  SYS_execve,
			                    SYS_dup };

		memset(set, 0, sizeof(set));
		for (size_t i = 0; i < sizeof(used) / sizeof(used[0]); i++)
			set[used[i]] = 1;
	}
	o.syscalls = set;
	o.ring_bytes = 32u << 20;
	rc = ff_bpf_source_open(&src, &o, &err);
	if (rc == -EPERM || rc == -ENOTSUP) {
		fprintf(stderr, "SKIP: %s\n", err.msg);
		return SKIP;
	}
	if (rc) {
		fprintf(stderr, "open: %s\n", err.msg);
		return 1;
	}
	if ((rc = ff_bpf_source_start(src, &err))) {
		fprintf(stderr, "start: %s\n", err.msg);
		return 1;
	}
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED)
		return 99;
	memset(t, 0, sizeof(*t));
	a = fork();
	if (a == 0)
		child(t);
	waitpid(a, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 7, "child status %#x", status);
	close(dup(2)); /* captured syscalls of our own: the probe must leave them out */

	/* Drain until the rings stay empty a while after A's procexit. */
	unsigned long self_events = 0;

	while (idle < 4) {
		rc = ff_bpf_source_next(src, &ev, &err);
		if (rc == -EAGAIN) {
			if (find(FFE_PROCEXIT_E, (uint64_t)a, 0))
				idle++;
			else if (++idle > 100)
				break;
			continue;
		}
		CHECK(rc == 0, "next: %s", err.msg);
		if (rc == 0 && (ev.tid == (uint64_t)a || ev.tid == (uint64_t)t->b))
			keep(&ev);
		if (rc == 0)
			self_events += ev.tid == (uint64_t)getpid();
	}
	CHECK(self_events == 0, "%lu events of the consumer itself", self_events);
	ff_bpf_source_stats(src, NULL, 0, &st);
	printf("probe: %lu events, %lu drops, %lu fill failures, %lu read; child: %zu events\n",
	       (unsigned long)st.events, (unsigned long)st.drops, (unsigned long)st.fill_fail,
	       (unsigned long)st.read, nev);
	CHECK(st.fill_fail == 0, "%lu events not built", (unsigned long)st.fill_fail);
	ff_bpf_source_close(src);
	if (st.drops || st.misses) {
		/* a full ring is the host's load, not a probe fault: the child's
		 * events may be missing, so nothing below could be checked */
		fprintf(stderr, "SKIP: host too busy: %lu events lost (ring full), %lu missed\n",
		        (unsigned long)st.drops, (unsigned long)st.misses);
		return failures ? 1 : SKIP;
	}

	if (getenv("FF_BPF_DUMP"))
		for (size_t i = 0; i < nev; i++) {
			const struct ff_evt *d = &evs[i].ev;

			printf("%lu %s %c np=%u:", (unsigned long)d->tid,
			       ff_event_table[d->type].name, ff_event_table[d->type].dir,
			       d->nparams);
			for (unsigned k = 0; k < d->nparams; k++) {
				uint32_t l = d->plen[k];
				const uint8_t *v = d->raw + d->off[k];

				if (l == 8 || l == 4 || l == 2 || l == 1) {
					int ok;

					printf(" %lld", (long long)ff_evt_param_int(d, k, &ok));
				} else {
					printf(" \"");
					for (uint32_t j = 0; j < l && j < 60; j++)
						putchar(v[j] >= 32 && v[j] < 127 ? v[j] : '.');
					printf("\"");
				}
			}
			printf("\n");
		}
	check_sequence(t);
	check_sysdig(t);

	for (size_t i = 0; i < nev; i++)
		free(evs[i].raw);
	free(evs);
	munmap(t, sizeof(*t));
	if (!getenv("FF_BPF_KEEP"))
		rmdir(dir);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
