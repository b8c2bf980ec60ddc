/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mkcap SPEC OUT.scap: write a capture from a small text spec, for the rule
 * tests (tests/rules/cases/).  Lines, `#` starts a comment:
 *
 *   proc tid=N ptid=N comm=S exepath=S [pid= args= cwd= uid= gid= loginuid=
 *        tty= container=ID cgroups=S caps=N env=S]  a process of the process list
 *        (cgroups: the raw list, 'cpu=/path\\0...'; container=ID writes /docker/ID)
 *   fd tid=N fd=N name=S [type=file|dir|pipe flags=F]  an fd of its fd list
 *   spawn ptid=N tid=N exepath=S comm=S [args= cwd= uid= loginuid= tty=
 *        container=ID cgroups=S caps=N env=S res=N flags=F exe=S euid=N
 *        xnparams=N]  clone, then execve (enter+exit); euid: the ids the
 *        execve leaves (a setuid program), uid by default
 *   open tid=N path=S flags=F fd=N [mode=N]        openat enter and exit
 *   sleep SECONDS                                  advance the clock
 *   TID > NAME[@ID] key=value...                   any enter event
 *   TID < NAME[@ID] key=value...                   any exit event
 *
 * An exit event gets the parameters of the thread's previous enter event of
 * the same syscall that it has and the line does not give (a socket exit its
 * domain, type and proto, a connect exit its addr), as current drivers fill
 * them; `spawn` gives the execve exit its filename.  `nparams=N` on an event
 * line (`xnparams=N` on a spawn line, for the execve exit) writes only the
 * first N parameters: an event of an older driver, which Falco's converter
 * completes from the enter event.
 *
 * Values are numbers (0x.., 0..), flag names joined by `|` for flag
 * parameters (O_WRONLY|O_CREAT), strings ('single' or "double" quoted, with
 * \0 \n \t \\ escapes: args are NUL-separated), "ip:port" for addresses and
 * "sip:sport->dip:dport" for tuples.  Missing parameters are 0 / empty.  Each
 * event is 10 us after the previous one, from 2026-11-01 10:00:00 UTC.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_evtbuild.h"
#include "ff_meta.h"
#include "ff_scap.h"
#include "ff_writer.h"

#define T0 1793527200000000000ULL
#define MAXKV 40

struct kv {
	char *k, *v;
	size_t vlen;
};

static struct ff_writer *w;
static struct ff_evtb eb;
static uint64_t ts = T0;
static const char *spec_name;
static unsigned lineno;

static void die(const char *msg, const char *arg)
{
	fprintf(stderr, "mkcap: %s:%u: %s%s%s\n", spec_name, lineno, msg, arg ? ": " : "",
	        arg ? arg : "");
	exit(1);
}

/* Split `s` into words; quoted words unescaped in place. */
static int split(char *s, char **words, size_t *lens, int max)
{
	int n = 0;
	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			break;
		if (n == max)
			die("too many words", NULL);
		char *d = s, *start = s;
		while (*s && !isspace((unsigned char)*s)) {
			if (*s == '\'' || *s == '"') {
				char q = *s++;
				while (*s && *s != q) {
					if (*s == '\\' && s[1]) {
						s++;
						*d++ = *s == '0'   ? '\0'
						       : *s == 'n' ? '\n'
						       : *s == 't' ? '\t'
						                   : *s;
						s++;
					} else {
						*d++ = *s++;
					}
				}
				if (*s != q)
					die("unterminated quote", NULL);
				s++;
			} else {
				*d++ = *s++;
			}
		}
		lens[n] = (size_t)(d - start);
		words[n++] = start;
		if (*s)
			s++;
		*d = '\0';
	}
	return n;
}

static int parse_kv(char **words, size_t *lens, int n, struct kv *kv)
{
	int m = 0;
	for (int i = 0; i < n; i++) {
		char *eq = memchr(words[i], '=', lens[i]);
		if (!eq)
			die("expected key=value", words[i]);
		*eq = '\0';
		kv[m].k = words[i];
		kv[m].v = eq + 1;
		kv[m].vlen = lens[i] - (size_t)(eq + 1 - words[i]);
		m++;
	}
	return m;
}

static const struct kv *get(const struct kv *kv, int n, const char *k)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(kv[i].k, k))
			return &kv[i];
	return NULL;
}

static const char *gets_or(const struct kv *kv, int n, const char *k, const char *def)
{
	const struct kv *e = get(kv, n, k);
	return e ? e->v : def;
}

static long long num(const char *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 0);
	if (errno || end == v || *end) {
		unsigned long long u = strtoull(v, &end, 0);
		if (end == v || *end)
			die("bad number", v);
		x = (long long)u;
	}
	return x;
}

static long long numk(const struct kv *kv, int n, const char *k, long long def)
{
	const struct kv *e = get(kv, n, k);
	return e ? num(e->v) : def;
}

/* A flags value: a number, or names of the parameter's flag table. */
static long long flags_value(const char *v, unsigned tab)
{
	if (isdigit((unsigned char)v[0]) || v[0] == '-')
		return num(v);
	long long r = 0;
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", v);
	for (char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
		const struct ff_flag_name *f = tab < FF_FT_MAX ? ff_flag_tables[tab] : NULL;
		int found = 0;
		for (; f && f->name; f++)
			if (!strcmp(f->name, t)) {
				r |= f->value;
				found = 1;
				break;
			}
		if (!found)
			die("unknown flag", t);
	}
	return r;
}

static void hostport(const char *s, char *ip, size_t ipsz, uint16_t *port)
{
	const char *c = strrchr(s, ':');
	if (!c || (size_t)(c - s) >= ipsz)
		die("expected ip:port", s);
	memcpy(ip, s, (size_t)(c - s));
	ip[c - s] = '\0';
	*port = (uint16_t)num(c + 1);
}

static uint16_t find_event(const char *name, char dir)
{
	const char *at = strchr(name, '@');
	if (at)
		return (uint16_t)num(at + 1);
	int best = -1;
	for (int i = 0; i < FF_EVENT_MAX; i++) {
		const struct ff_event_info *e = &ff_event_table[i];
		if (e->name && e->dir == dir && !strcmp(e->name, name) && e->nparams)
			best = i; /* the newest layout */
	}
	if (best < 0) {
		for (int i = 0; i < FF_EVENT_MAX; i++)
			if (ff_event_table[i].name && ff_event_table[i].dir == dir &&
			    !strcmp(ff_event_table[i].name, name))
				best = i;
	}
	if (best < 0)
		die("unknown event", name);
	return (uint16_t)best;
}

static int strict = 1; /* unknown parameter names are errors (spec lines) */

/* the last enter event line of each thread, for its exit (see above) */
#define MAXENTER 64
static struct {
	uint64_t tid;
	char name[32];
	int n;
	struct kv kv[MAXKV];
} enters[MAXENTER];

static void remember_enter(uint64_t tid, const char *name, const struct kv *kv, int n)
{
	int i = 0;
	while (i < MAXENTER - 1 && enters[i].name[0] && enters[i].tid != tid)
		i++;
	for (int k = 0; k < enters[i].n; k++) {
		free(enters[i].kv[k].k);
		free(enters[i].kv[k].v);
	}
	enters[i].tid = tid;
	snprintf(enters[i].name, sizeof(enters[i].name), "%s", name);
	enters[i].n = 0;
	for (int k = 0; k < n && k < MAXKV; k++) {
		struct kv *e = &enters[i].kv[enters[i].n++];
		e->k = strdup(kv[k].k);
		e->v = malloc(kv[k].vlen + 1);
		if (!e->k || !e->v)
			die("out of memory", NULL);
		memcpy(e->v, kv[k].v, kv[k].vlen);
		e->v[kv[k].vlen] = '\0';
		e->vlen = kv[k].vlen;
	}
}

/* kv plus what the exit of `name` takes from the thread's enter line */
static int with_enter(uint64_t tid, const char *name, const struct ff_event_info *info,
                      struct kv *kv, int n)
{
	for (int i = 0; i < MAXENTER && enters[i].name[0]; i++) {
		if (enters[i].tid != tid || strcmp(enters[i].name, name))
			continue;
		for (int k = 0; k < enters[i].n && n < MAXKV; k++) {
			const struct kv *e = &enters[i].kv[k];
			int has = 0, known = 0;
			for (int j = 0; j < n; j++)
				has |= !strcmp(kv[j].k, e->k);
			for (unsigned j = 0; j < info->nparams; j++)
				known |= !strcmp(info->params[j].name, e->k);
			if (!has && known)
				kv[n++] = *e;
		}
		break;
	}
	return n;
}

static void emit(uint16_t type, uint64_t tid, const struct kv *kv, int n)
{
	const struct ff_event_info *info = &ff_event_table[type];
	struct ff_evt ev;
	struct ff_err err = { 0 };
	unsigned np = info->nparams;

	ts += 10000;
	ff_evtb_start(&eb, ts, tid, type);
	for (int k = 0; k < n; k++) {
		int ok = !strcmp(kv[k].k, "nparams");
		if (ok) {
			long long x = num(kv[k].v);
			if (x < 0 || x > (long long)info->nparams)
				die("nparams out of range", kv[k].v);
			np = (unsigned)x;
		}
		for (unsigned i = 0; i < info->nparams && strict; i++)
			ok |= !strcmp(info->params[i].name, kv[k].k);
		if (!ok && strict)
			die("no such parameter", kv[k].k);
	}
	for (unsigned i = 0; i < np; i++) {
		const struct ff_param_info *p = &info->params[i];
		const struct kv *e = get(kv, n, p->name);
		const char *v = e ? e->v : NULL;
		long long x = 0;
		switch (p->type) {
		case FF_PT_CHARBUF:
		case FF_PT_FSPATH:
		case FF_PT_FSRELPATH:
			ff_evtb_str(&eb, v ? v : "");
			continue;
		case FF_PT_BYTEBUF:
			ff_evtb_raw(&eb, v ? v : "", e ? e->vlen : 0);
			continue;
		case FF_PT_SOCKADDR: {
			char ip[64];
			uint16_t port;
			if (!v) {
				ff_evtb_raw(&eb, "", 0);
				continue;
			}
			hostport(v, ip, sizeof(ip), &port);
			ff_evtb_sockaddr4(&eb, ip, port);
			continue;
		}
		case FF_PT_SOCKTUPLE: {
			char a[128], sip[64], dip[64];
			uint16_t sp, dp;
			const char *arrow = v ? strstr(v, "->") : NULL;
			if (!v) {
				ff_evtb_raw(&eb, "", 0);
				continue;
			}
			if (!arrow || (size_t)(arrow - v) >= sizeof(a))
				die("expected sip:sport->dip:dport", v);
			memcpy(a, v, (size_t)(arrow - v));
			a[arrow - v] = '\0';
			hostport(a, sip, sizeof(sip), &sp);
			hostport(arrow + 2, dip, sizeof(dip), &dp);
			ff_evtb_socktuple4(&eb, sip, sp, dip, dp);
			continue;
		}
		case FF_PT_DYN:
			if (v)
				die("dynamic parameters cannot be given", p->name);
			ff_evtb_raw(&eb, "", 0);
			continue;
		default:
			x = v ? (p->flagtab != FF_FT_NONE ? flags_value(v, p->flagtab) : num(v))
			      : 0;
		}
		switch (p->type) {
		case FF_PT_INT8:
		case FF_PT_UINT8:
		case FF_PT_SIGTYPE:
		case FF_PT_FLAGS8:
		case FF_PT_ENUMFLAGS8:
		case FF_PT_L4PROTO:
		case FF_PT_SOCKFAMILY:
			ff_evtb_u8(&eb, (uint8_t)x);
			break;
		case FF_PT_INT16:
		case FF_PT_UINT16:
		case FF_PT_FLAGS16:
		case FF_PT_ENUMFLAGS16:
		case FF_PT_PORT:
		case FF_PT_SYSCALLID:
			ff_evtb_u16(&eb, (uint16_t)x);
			break;
		case FF_PT_INT32:
		case FF_PT_UINT32:
		case FF_PT_FLAGS32:
		case FF_PT_ENUMFLAGS32:
		case FF_PT_UID:
		case FF_PT_GID:
		case FF_PT_MODE:
		case FF_PT_BOOL:
		case FF_PT_SIGSET:
		case FF_PT_FD32:
		case FF_PT_PID32:
			ff_evtb_u32(&eb, (uint32_t)x);
			break;
		default:
			ff_evtb_u64(&eb, (uint64_t)x);
		}
	}
	if (ff_evtb_finish(&eb, &ev, &err) || ff_writer_write_event(w, &ev, &err))
		die("cannot write the event", err.msg);
}

static char *cgroups_of(const char *id, size_t *len)
{
	static char buf[512];
	int n = snprintf(buf, sizeof(buf), "cpuset=/docker/%s%ccpu=/docker/%s%c", id, 0, id, 0);
	*len = (size_t)n;
	return buf;
}

/* argv text "a b c" -> "a\0b\0c\0" unless it already has NULs */
static size_t argv_block(const struct kv *e, char *out, size_t cap)
{
	if (!e || !e->vlen)
		return 0;
	if (memchr(e->v, '\0', e->vlen)) {
		size_t n = e->vlen < cap ? e->vlen : cap;
		memcpy(out, e->v, n);
		return n;
	}
	size_t n = 0;
	for (size_t i = 0; i < e->vlen && n + 1 < cap; i++)
		out[n++] = e->v[i] == ' ' ? '\0' : e->v[i];
	out[n++] = '\0';
	return n;
}

static void spawn(const struct kv *kv, int n)
{
	long long ptid = numk(kv, n, "ptid", 1), tid = numk(kv, n, "tid", 0);
	const char *exepath = gets_or(kv, n, "exepath", "/bin/true");
	const char *comm = gets_or(kv, n, "comm", strrchr(exepath, '/') + 1);
	const char *cwd = gets_or(kv, n, "cwd", "/");
	const char *pcomm = gets_or(kv, n, "pcomm", "bash");
	const char *cid = gets_or(kv, n, "container", NULL);
	char args[4096], env[4096], num1[32], num2[32], num3[32], uid[32], cap[32], tty[32],
	    luid[32], res[32], cwdb[512];
	size_t alen = argv_block(get(kv, n, "args"), args, sizeof(args));
	size_t elen = argv_block(get(kv, n, "env"), env, sizeof(env));
	size_t cglen = 0;
	char *cg = cid ? cgroups_of(cid, &cglen) : (char *)"";
	const struct kv *raw_cg = get(kv, n, "cgroups");
	if (raw_cg) {
		cg = raw_cg->v;
		cglen = raw_cg->vlen;
	}
	char euid[32];
	snprintf(euid, sizeof(euid), "%lld", numk(kv, n, "euid", numk(kv, n, "uid", 0)));

	snprintf(num1, sizeof(num1), "%lld", tid);
	snprintf(num2, sizeof(num2), "%lld", ptid);
	snprintf(num3, sizeof(num3), "%lld", numk(kv, n, "vpid", tid));
	snprintf(uid, sizeof(uid), "%lld", numk(kv, n, "uid", 0));
	snprintf(cap, sizeof(cap), "%lld", numk(kv, n, "caps", 0));
	snprintf(tty, sizeof(tty), "%lld", numk(kv, n, "tty", 0));
	snprintf(luid, sizeof(luid), "%lld", numk(kv, n, "loginuid", 4294967295LL));
	snprintf(res, sizeof(res), "%lld", numk(kv, n, "res", 0));
	snprintf(cwdb, sizeof(cwdb), "%s", cwd);

	strict = 0;
	emit(find_event("clone", 'E'), (uint64_t)ptid, NULL, 0);
	struct kv ck[] = {
		{ "res", num1, 0 },
		{ "exe", (char *)pcomm, 0 },
		{ "tid", num2, 0 },
		{ "pid", num2, 0 },
		{ "ptid", num2, 0 },
		{ "cwd", cwdb, 0 },
		{ "comm", (char *)pcomm, 0 },
		{ "cgroups", cg, cglen },
		{ "uid", uid, 0 },
		{ "gid", uid, 0 },
		{ "vtid", num2, 0 },
		{ "vpid", num2, 0 },
	};
	ck[7].vlen = cglen;
	emit(find_event("clone", 'X'), (uint64_t)ptid, ck, (int)(sizeof(ck) / sizeof(ck[0])));
	struct kv chk[] = {
		{ "res", (char *)"0", 0 },
		{ "exe", (char *)pcomm, 0 },
		{ "tid", num1, 0 },
		{ "pid", num1, 0 },
		{ "ptid", num2, 0 },
		{ "cwd", cwdb, 0 },
		{ "comm", (char *)pcomm, 0 },
		{ "cgroups", cg, cglen },
		{ "uid", uid, 0 },
		{ "gid", uid, 0 },
		{ "vtid", num3, 0 },
		{ "vpid", num3, 0 },
	};
	emit(find_event("clone", 'X'), (uint64_t)tid, chk, (int)(sizeof(chk) / sizeof(chk[0])));
	struct kv ee[] = { { "filename", (char *)exepath, 0 } };
	emit(find_event("execve", 'E'), (uint64_t)tid, ee, 1);
	struct kv ex[] = {
		{ "res", res, 0 },
		{ "exe", (char *)gets_or(kv, n, "exe", comm), 0 },
		{ "args", args, alen },
		{ "tid", num1, 0 },
		{ "pid", num1, 0 },
		{ "ptid", num2, 0 },
		{ "cwd", cwdb, 0 },
		{ "comm", (char *)comm, 0 },
		{ "cgroups", cg, cglen },
		{ "env", env, elen },
		{ "tty", tty, 0 },
		{ "vpgid", num1, 0 },
		{ "loginuid", luid, 0 },
		{ "uid", euid, 0 },
		{ "cap_effective", cap, 0 },
		{ "cap_permitted", cap, 0 },
		{ "trusted_exepath", (char *)exepath, 0 },
		{ "pgid", num1, 0 },
		{ "gid", euid, 0 },
		{ "flags", (char *)gets_or(kv, n, "flags", "0"), 0 },
		{ "filename", (char *)exepath, 0 },
		{ "nparams", (char *)gets_or(kv, n, "xnparams", "99"), 0 },
	};
	int nex = (int)(sizeof(ex) / sizeof(ex[0]));
	if (!get(kv, n, "xnparams"))
		nex--;
	emit(find_event("execve", 'X'), (uint64_t)tid, ex, nex);
	strict = 1;
}

static void open_file(const struct kv *kv, int n)
{
	uint64_t tid = (uint64_t)numk(kv, n, "tid", 0);
	const char *path = gets_or(kv, n, "path", "/");
	const char *flags = gets_or(kv, n, "flags", "O_RDONLY");
	const char *fd = gets_or(kv, n, "fd", "3");
	const char *mode = gets_or(kv, n, "mode", "0");
	struct kv e[] = { { "dirfd", (char *)"-100", 0 },
		          { "name", (char *)path, 0 },
		          { "flags", (char *)flags, 0 },
		          { "mode", (char *)mode, 0 } };
	strict = 0;
	emit(find_event("openat", 'E'), tid, e, 4);
	struct kv x[] = { { "fd", (char *)fd, 0 },     { "dirfd", (char *)"-100", 0 },
		          { "name", (char *)path, 0 }, { "flags", (char *)flags, 0 },
		          { "mode", (char *)mode, 0 }, { "dev", (char *)"0x803", 0 },
		          { "ino", (char *)"1234", 0 } };
	emit(find_event("openat", 'X'), tid, x, 7);
	strict = 1;
}

/* process list entries, collected then written as one block */
static struct ff_proc procs[64];
static char *proc_store[64][4];
static size_t nprocs;

static struct ff_str S(const char *s, size_t n) {
	return (struct ff_str){ s, (uint32_t)n };
}

static void
add_proc(const struct kv *kv, int n)
{
	if (nprocs == 64)
		die("too many processes", NULL);
	struct ff_proc *p = &procs[nprocs];
	const char *exepath = gets_or(kv, n, "exepath", "/bin/true");
	const char *comm = gets_or(kv, n, "comm", strrchr(exepath, '/') + 1);
	const char *cid = gets_or(kv, n, "container", NULL);
	char buf[4096];
	size_t len;

	memset(p, 0, sizeof(*p));
	p->tid = (uint64_t)numk(kv, n, "tid", 1);
	p->pid = (uint64_t)numk(kv, n, "pid", (long long)p->tid);
	p->ptid = (uint64_t)numk(kv, n, "ptid", 0);
	p->sid = p->vpgid = p->tid;
	p->comm = S(strdup(comm), strlen(comm));
	p->exe = S(strdup(exepath), strlen(exepath));
	p->exepath = p->exe;
	len = argv_block(get(kv, n, "args"), buf, sizeof(buf));
	proc_store[nprocs][0] = malloc(len + 1);
	memcpy(proc_store[nprocs][0], buf, len);
	p->args = S(proc_store[nprocs][0], len);
	const char *cwd = gets_or(kv, n, "cwd", "/");
	p->cwd = S(strdup(cwd), strlen(cwd));
	p->fdlimit = 1024;
	p->uid = p->gid = (uint32_t)numk(kv, n, "uid", 0);
	len = argv_block(get(kv, n, "env"), buf, sizeof(buf));
	proc_store[nprocs][1] = malloc(len + 1);
	memcpy(proc_store[nprocs][1], buf, len);
	p->env = S(proc_store[nprocs][1], len);
	p->vtid = p->vpid = numk(kv, n, "vpid", (long long)p->tid);
	const struct kv *raw_cg = get(kv, n, "cgroups");
	if (raw_cg) {
		/* cgroups=S: the list as recorded ("cpu=/path\0memory=/path") */
		proc_store[nprocs][2] = malloc(raw_cg->vlen + 1);
		memcpy(proc_store[nprocs][2], raw_cg->v, raw_cg->vlen);
		p->cgroups = S(proc_store[nprocs][2], raw_cg->vlen);
	} else if (cid) {
		char *cg = cgroups_of(cid, &len);
		proc_store[nprocs][2] = malloc(len);
		memcpy(proc_store[nprocs][2], cg, len);
		p->cgroups = S(proc_store[nprocs][2], len);
	} else {
		p->cgroups = S("", 0);
	}
	p->root = S("/", 1);
	p->has = FF_PROC_HAS_LOGINUID | FF_PROC_HAS_EXE_WRITABLE;
	p->loginuid = (uint32_t)numk(kv, n, "loginuid", 4294967295LL);
	p->cap_effective = p->cap_permitted = (uint64_t)numk(kv, n, "caps", 0);
	p->tty = (uint32_t)numk(kv, n, "tty", 0);
	nprocs++;
}

/* fd list entries (written per thread after the process list) */
static struct ff_fdinfo fds[64];
static uint64_t fd_tids[64];
static size_t nfds;

static void add_fd(const struct kv *kv, int n)
{
	if (nfds == 64)
		die("too many fds", NULL);
	struct ff_fdinfo *f = &fds[nfds];
	const char *type = gets_or(kv, n, "type", "file");
	const char *name = gets_or(kv, n, "name", "");
	memset(f, 0, sizeof(*f));
	fd_tids[nfds] = (uint64_t)numk(kv, n, "tid", 1);
	f->fd = numk(kv, n, "fd", 0);
	if (!strcmp(type, "file")) {
		f->type = FF_FD_FILE_V2;
		f->open_flags =
		    (uint32_t)flags_value(gets_or(kv, n, "flags", "O_RDONLY"), FF_FT_FILE_FLAGS);
	} else if (!strcmp(type, "dir")) {
		f->type = FF_FD_DIRECTORY;
	} else if (!strcmp(type, "pipe")) {
		f->type = FF_FD_FIFO;
	} else {
		die("unknown fd type", type);
	}
	f->name = S(strdup(name), strlen(name));
	nfds++;
}

static void write_meta(void)
{
	struct ff_machine mi = { .num_cpus = 1, .memory_bytes = 1ULL << 30 };
	struct ff_user users[] = {
		{ FF_UL_USER, 0, 0, S("root", 4), S("/root", 5), S("/bin/bash", 9) },
		{ FF_UL_USER, 33, 33, S("www-data", 8), S("/var/www", 8),
		  S("/usr/sbin/nologin", 17) },
		{ FF_UL_USER, 1000, 1000, S("alice", 5), S("/home/alice", 11), S("/bin/bash", 9) },
		{ FF_UL_GROUP, 0, 0, S("root", 4), S("", 0), S("", 0) },
		{ FF_UL_GROUP, 0, 33, S("www-data", 8), S("", 0), S("", 0) },
		{ FF_UL_GROUP, 0, 1000, S("alice", 5), S("", 0), S("", 0) },
	};
	struct ff_buf buf = { 0 };
	struct ff_err err = { 0 };
	size_t mark;
	int rc;

	struct ff_iface ifs[] = {
		{ .type = FF_IF_IPV4,
		  .addr = { 127, 0, 0, 1 },
		  .netmask = { 255, 0, 0, 0 },
		  .name = S("lo", 2) },
		{ .type = FF_IF_IPV4,
		  .addr = { 10, 0, 0, 5 },
		  .netmask = { 255, 255, 255, 0 },
		  .bcast = { 10, 0, 0, 255 },
		  .linkspeed = 1000,
		  .name = S("eth0", 4) },
	};

	snprintf(mi.hostname, sizeof(mi.hostname), "ff-test");
	rc = ff_meta_put_machine(&buf, &mi, &err);
	rc = rc ?: ff_meta_begin(&buf, FF_BT_IL_V2, 0, &mark, &err);
	for (size_t i = 0; !rc && i < sizeof(ifs) / sizeof(ifs[0]); i++)
		rc = ff_meta_put_iface(&buf, &ifs[i], &err);
	rc = rc ?: ff_meta_end(&buf, mark, &err);
	rc = rc ?: ff_meta_begin(&buf, FF_BT_UL_V2, 0, &mark, &err);
	for (size_t i = 0; !rc && i < sizeof(users) / sizeof(users[0]); i++)
		rc = ff_meta_put_user(&buf, &users[i], &err);
	rc = rc ?: ff_meta_end(&buf, mark, &err);
	rc = rc ?: ff_meta_begin(&buf, FF_BT_PL_V9, 0, &mark, &err);
	for (size_t i = 0; !rc && i < nprocs; i++)
		rc = ff_meta_put_proc(&buf, &procs[i], &err);
	rc = rc ?: ff_meta_end(&buf, mark, &err);
	for (size_t i = 0; !rc && i < nfds; i++) {
		int first = 1;
		for (size_t k = 0; k < i; k++)
			first &= fd_tids[k] != fd_tids[i];
		if (!first)
			continue;
		rc = ff_meta_begin(&buf, FF_BT_FDL_V2, fd_tids[i], &mark, &err);
		for (size_t k = i; !rc && k < nfds; k++)
			if (fd_tids[k] == fd_tids[i])
				rc = ff_meta_put_fd(&buf, &fds[k], &err);
		rc = rc ?: ff_meta_end(&buf, mark, &err);
	}
	rc = rc ?: ff_writer_write_meta(w, buf.p, buf.len, &err);
	ff_buf_free(&buf);
	if (rc)
		die("cannot write the process list", err.msg);
}

int main(int argc, char **argv)
{
	struct ff_writer_opts o = { .sz = sizeof(o), .codec = FF_CODEC_NONE };
	struct ff_err err = { 0 };
	char line[8192];
	int meta_done = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: mkcap SPEC OUT.scap\n");
		return 2;
	}
	spec_name = argv[1];
	FILE *f = fopen(argv[1], "r");
	if (!f) {
		perror(argv[1]);
		return 1;
	}
	if (ff_writer_open(&w, argv[2], &o, &err)) {
		fprintf(stderr, "mkcap: %s\n", err.msg);
		return 1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *words[MAXKV + 4];
		size_t lens[MAXKV + 4];
		struct kv kv[MAXKV];
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '=' || line[0] == '!')
			continue; /* an expectation or option for the test script */
		int nw = split(line, words, lens, MAXKV + 3);
		if (!nw)
			continue;
		if (!strcmp(words[0], "proc")) {
			if (meta_done)
				die("proc after events", NULL);
			add_proc(kv, parse_kv(words + 1, lens + 1, nw - 1, kv));
			continue;
		}
		if (!strcmp(words[0], "fd")) {
			if (meta_done)
				die("fd after events", NULL);
			add_fd(kv, parse_kv(words + 1, lens + 1, nw - 1, kv));
			continue;
		}
		if (!meta_done) {
			write_meta();
			meta_done = 1;
		}
		if (!strcmp(words[0], "sleep") && nw == 2) {
			ts += (uint64_t)num(words[1]) * 1000000000ULL;
		} else if (!strcmp(words[0], "spawn")) {
			spawn(kv, parse_kv(words + 1, lens + 1, nw - 1, kv));
		} else if (!strcmp(words[0], "open")) {
			open_file(kv, parse_kv(words + 1, lens + 1, nw - 1, kv));
		} else if (nw >= 3 && (!strcmp(words[1], ">") || !strcmp(words[1], "<"))) {
			uint16_t t = find_event(words[2], words[1][0] == '>' ? 'E' : 'X');
			uint64_t tid = (uint64_t)num(words[0]);
			int m = parse_kv(words + 3, lens + 3, nw - 3, kv);
			char name[32];
			snprintf(name, sizeof(name), "%.*s", (int)strcspn(words[2], "@"), words[2]);
			if (words[1][0] == '>')
				remember_enter(tid, name, kv, m);
			else
				m = with_enter(tid, name, &ff_event_table[t], kv, m);
			emit(t, tid, kv, m);
		} else {
			die("unknown line", words[0]);
		}
	}
	if (!meta_done)
		write_meta();
	fclose(f);
	if (ff_writer_close(w, &err)) {
		fprintf(stderr, "mkcap: %s\n", err.msg);
		return 1;
	}
	return 0;
}
