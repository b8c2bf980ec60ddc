/* SPDX-License-Identifier: Apache-2.0 */
/*
 * State tracker (see ff_state.h).  Event handling is table driven: at
 * ff_state_new every event id gets an operation code from its name and
 * direction, so all historical versions of a syscall (clone_11 ... clone_20,
 * the eight execve pairs) go through one handler, which finds parameters by
 * name rather than position.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_meta.h"
#include "ff_containers.h"
#include "ff_path.h"
#include "ff_state.h"

/* PPM_CL_* clone flags (scap-format, same values in 2022 and 2026) */
#define CL_CLONE_FILES (1u << 0)
#define CL_CLONE_FS (1u << 1)
#define CL_CLONE_THREAD (1u << 13)
#define CL_CLONE_INVERTED (1u << 16)
#define CL_CLOSED (1u << 18)
#define CL_CHILD_IN_PIDNS (1u << 29)
#define CL_CLONE_NEWPID (1u << 6)
#define CL_CLONE_PARENT (1u << 8)

#define PPM_O_DIRECTORY 1024u
#define PPM_AT_FDCWD (-100)
#define PPM_AF_UNIX 1
#define PPM_AF_INET 2
#define PPM_AF_INET6 10
#define PPM_AF_NETLINK 16

enum { L4_UNKNOWN = 0, L4_NA = 1, L4_TCP = 2, L4_UDP = 3, L4_ICMP = 4, L4_RAW = 5 };

/* fd record flags */
#define FDF_ROLE_CLIENT 1u
#define FDF_ROLE_SERVER 2u
#define FDF_CLOSE_IN_PROGRESS 4u
#define FDF_CONNECTED 8u

#define FD_MAX_DIRECT (1 << 20) /* fds above this are not tracked */
#define THREAD_TABLE_MAX 131072 /* like sinsp's default: stops invention of threads */
#define ENTER_MAX 65536         /* largest stored enter event */
#define DEAD_MAINS 4096         /* exited main threads kept for their children */

struct dstr {
	char *p; /* NUL-terminated when len > 0 or p set */
	uint32_t len, cap;
};

struct ff_fd {
	int64_t fd;
	uint8_t type, l4proto;
	uint32_t flags; /* FDF_* */
	uint32_t open_flags, dev;
	uint64_t ino;
	uint8_t sip[16], dip[16]; /* servsock: sip/sport is the bound address */
	uint16_t sport, dport;
	uint64_t usrc, udst; /* unix sockets */
	struct dstr name;
	struct dstr raw;      /* current libs' fd.nameraw: an open's path as passed */
	uint8_t name_changed; /* the current event changed the name */
	struct ff_fd *next_free;
};

struct fdtab {
	struct ff_fd **v; /* indexed by fd number */
	uint32_t cap;
	uint32_t n;
};

struct ff_thread {
	int64_t tid, pid, ptid, sid, vpgid, vtid, vpid, fdlimit;
	uint32_t uid, gid, loginuid, tty, flags;
	struct dstr comm, exe, exepath, args, cwd, env, cgroups, root;
	struct dstr trusted; /* trusted_exepath of the last execve (has_trusted) */
	char container[65];
	char fcontainer[65]; /* the id Falco's container plugin gives */
	uint8_t fkind;       /* FF_FALCO_CT_* of fcontainer */
	uint8_t has_trusted;
	uint64_t ctime_dur; /* Falco's exe_ino_ctime_duration_clone_ts */
	struct fdtab fds;
	uint64_t clone_ts;
	uint32_t vmsize, vmrss, vmswap; /* kB */
	uint64_t pfmajor, pfminor;
	uint64_t cap_inh, cap_perm, cap_eff;
	uint64_t exe_ino_ctime, exe_ino_mtime, pidns_ts;
	uint8_t has_caps, exe_flags; /* exe_flags: EXE_* bits, bit 7 = known */
	uint32_t nchilds;            /* threads of this process other than itself */
	uint64_t enter_ts;           /* timestamp of the last enter event */
	uint64_t latency;            /* of its last exit (what events in between show) */
	/* last enter event, for exit events that need its parameters */
	uint16_t last_type;
	uint8_t last_valid;
	uint8_t has_enter;
	int64_t last_fd;
	uint8_t *enter;
	uint32_t enter_cap;
	struct ff_thread *hnext;
};

struct uent {
	uint32_t id;
	char *name;
	char *home, *shell; /* users only; NULL for groups */
};

enum op {
	OP_NONE = 0,
	OP_STORE,
	OP_OPEN_X,
	OP_CREAT_X,
	OP_OPENAT_X,
	OP_SOCKET_X,
	OP_BIND_X,
	OP_CONNECT_E,
	OP_CONNECT_X,
	OP_ACCEPT_X,
	OP_CLOSE_E,
	OP_CLOSE_X,
	OP_PIPE_X,
	OP_SOCKETPAIR_X,
	OP_DUP_X,
	OP_FCNTL_X,
	OP_EVENTFD_X,
	OP_SIGNALFD_X,
	OP_TIMERFD_X,
	OP_INOTIFY_X,
	OP_CLONE_X,
	OP_EXECVE_X,
	OP_PROCEXIT,
	OP_CHDIR_X,
	OP_FCHDIR_X,
	OP_RW_X,
	OP_SETUID_X,
	OP_SETGID_X,
	OP_SETRESUID_X,
	OP_SETRESGID_X,
	OP_SENDTO_E,
	OP_GETCWD_X,
	OP_CHROOT_X,
	OP_SETSID_X,
	OP_SETPGID_X,
	OP_SETRLIMIT_X,
	OP_PRLIMIT_X,
	OP_VM_X,
	OP_SWITCH,
};

struct ff_state {
	struct ff_thread **buckets;
	uint32_t nbuckets;
	size_t nthreads;
	size_t nfds;
	struct ff_fd *free_fds; /* recycled records, names kept allocated */
	struct uent *users, *groups;
	size_t nusers, ngroups;
	/* interfaces, for guessing the local end of UDP tuples */
	uint8_t (*if4)[8]; /* addr[4], netmask[4] */
	size_t nif4;
	uint8_t (*if6)[16];
	size_t nif6;
	uint8_t op[FF_EVENT_MAX];
	uint8_t store[FF_EVENT_MAX]; /* enter events kept per thread */
	/* deferred removals, applied at the next event (like sinsp) */
	int64_t tid_to_remove;
	int64_t *dead; /* ring of main threads kept after their exit */
	uint32_t dead_head, ndead;
	int64_t fd_rm_tid;
	int64_t fd_rm_fd;
	int fd_rm_pending;
	int store_all; /* keep every enter event (ff_state_keep_enters) */
	int falco;     /* parse like current libs where they differ (ff_state_falco_view) */
	int pending;   /* ff_state_begin done, ff_state_finish to come */
	/* current event */
	struct ff_fd *renamed;   /* fd whose name the current event changed */
	struct ff_fd *keep_name; /* fd the event only looked up or copied (not renamed) */
	char name_before[512];
	struct ff_thread *cur;
	struct ff_fd *cur_fd;
	/* container metadata from the capture's container events */
	struct ff_containers *containers;
	struct ff_thread *cthread;               /* the thread sinsp gives a container event */
	int seen_event;                          /* an event other than a container event came */
	int hidden;                              /* the current event is for the state only */
	uint64_t bad_containers;                 /* container events whose JSON did not parse */
	char container_err[FF_ERR_MSG_MAX + 48]; /* the first one's message */
	char path[8192];                         /* scratch */
};

/* ---------------------------------------------------------------- strings */

static int dstr_set(struct dstr *s, const char *p, uint32_t len)
{
	if (len + 1 > s->cap) {
		uint32_t cap = s->cap ? s->cap : 16;
		while (cap < len + 1)
			cap *= 2;
		char *n = realloc(s->p, cap);
		if (!n)
			return -ENOMEM;
		s->p = n;
		s->cap = cap;
	}
	if (len)
		memcpy(s->p, p, len);
	s->p[len] = 0;
	s->len = len;
	return 0;
}

/* C string parameter: strip the trailing NUL the wire format includes */
static int dstr_set_cstr(struct dstr *s, const char *p, uint32_t len)
{
	return dstr_set(s, p, (uint32_t)strnlen(p, len));
}

static const char *dstr_c(const struct dstr *s)
{
	return s->p ? s->p : "";
}

/* ---------------------------------------------------------------- params */

/* index of the parameter called `name` in the event's 2022 layout, or -1 */
static int pidx(const struct ff_evt *ev, const char *name)
{
	const struct ff_event_info *info = ff_evt_info(ev);
	unsigned n;
	if (!info)
		return -1;
	n = info->nparams_2022 < ev->nparams ? info->nparams_2022 : ev->nparams;
	for (unsigned i = 0; i < n; i++)
		if (info->params[i].name[0] == name[0] && strcmp(info->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* the same over every parameter the event carries (2026 additions too) */
static int pidx_any(const struct ff_evt *ev, const char *name)
{
	const struct ff_event_info *info = ff_evt_info(ev);
	unsigned n;
	if (!info)
		return -1;
	n = info->nparams < ev->nparams ? info->nparams : ev->nparams;
	for (unsigned i = 0; i < n; i++)
		if (info->params[i].name[0] == name[0] && strcmp(info->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int64_t pint(const struct ff_evt *ev, int i, int64_t dflt)
{
	int ok = 0;
	int64_t v;
	if (i < 0)
		return dflt;
	v = ff_evt_param_int(ev, (unsigned)i, &ok);
	return ok ? v : dflt;
}

static uint64_t puint(const struct ff_evt *ev, int i, uint64_t dflt)
{
	int ok = 0;
	uint64_t v;
	if (i < 0)
		return dflt;
	v = ff_evt_param_uint(ev, (unsigned)i, &ok);
	return ok ? v : dflt;
}

static const uint8_t *praw(const struct ff_evt *ev, int i, uint32_t *len)
{
	*len = 0;
	if (i < 0)
		return NULL;
	return ff_evt_param(ev, (unsigned)i, len);
}

/* ---------------------------------------------------------------- fds */

static struct ff_fd *fd_alloc(struct ff_state *st)
{
	struct ff_fd *f = st->free_fds;
	if (f) {
		struct dstr keep = f->name, kraw = f->raw;
		st->free_fds = f->next_free;
		memset(f, 0, sizeof(*f));
		f->name = keep;
		f->name.len = 0;
		if (f->name.p)
			f->name.p[0] = 0;
		f->raw = kraw;
		f->raw.len = 0;
		if (f->raw.p)
			f->raw.p[0] = 0;
	} else {
		f = calloc(1, sizeof(*f));
	}
	return f;
}

static void fd_release(struct ff_state *st, struct ff_fd *f)
{
	/* keep a bounded freelist: names up to 4 KiB are recycled */
	if (f->name.cap > 4096) {
		free(f->name.p);
		f->name.p = NULL;
		f->name.cap = 0;
	}
	if (f->raw.cap > 4096) {
		free(f->raw.p);
		f->raw.p = NULL;
		f->raw.cap = 0;
	}
	f->next_free = st->free_fds;
	st->free_fds = f;
	st->nfds--;
}

static void fdtab_clear(struct ff_state *st, struct fdtab *t)
{
	for (uint32_t i = 0; i < t->cap; i++)
		if (t->v[i])
			fd_release(st, t->v[i]);
	free(t->v);
	t->v = NULL;
	t->cap = t->n = 0;
}

static struct ff_thread *thread_find(const struct ff_state *st, int64_t tid);

/* the table holding t's fds: the main thread's for threads sharing files */
static struct fdtab *fdtab_of(const struct ff_state *st, struct ff_thread *t)
{
	if ((t->flags & CL_CLONE_FILES) && t->tid != t->pid) {
		struct ff_thread *m = thread_find(st, t->pid);
		if (m)
			return &m->fds;
	}
	return &t->fds;
}

static struct ff_fd *fd_get(const struct ff_state *st, struct ff_thread *t, int64_t fd)
{
	struct fdtab *tab;
	if (!t || fd < 0 || fd >= FD_MAX_DIRECT)
		return NULL;
	tab = fdtab_of(st, t);
	return (uint64_t)fd < tab->cap ? tab->v[fd] : NULL;
}

/* Insert (replacing) a new, zeroed record for fd; NULL on -ENOMEM or fd out of range. */
static struct ff_fd *fd_add(struct ff_state *st, struct ff_thread *t, int64_t fd)
{
	struct fdtab *tab;
	struct ff_fd *f;
	if (!t || fd < 0 || fd >= FD_MAX_DIRECT)
		return NULL;
	tab = fdtab_of(st, t);
	if ((uint64_t)fd >= tab->cap) {
		uint32_t cap = tab->cap ? tab->cap : 16;
		while (cap <= (uint64_t)fd)
			cap *= 2;
		struct ff_fd **v = realloc(tab->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		memset(v + tab->cap, 0, (cap - tab->cap) * sizeof(*v));
		tab->v = v;
		tab->cap = cap;
	}
	f = fd_alloc(st);
	if (!f)
		return NULL;
	if (tab->v[fd]) {
		fd_release(st, tab->v[fd]);
		tab->n--;
	}
	tab->v[fd] = f;
	tab->n++;
	st->nfds++;
	f->fd = fd;
	return f;
}

static void fd_remove(struct ff_state *st, struct ff_thread *t, int64_t fd)
{
	struct fdtab *tab;
	if (!t || fd < 0 || fd >= FD_MAX_DIRECT)
		return;
	tab = fdtab_of(st, t);
	if ((uint64_t)fd < tab->cap && tab->v[fd]) {
		fd_release(st, tab->v[fd]);
		tab->v[fd] = NULL;
		tab->n--;
	}
}

static int fd_copy(struct ff_state *st, struct ff_fd *dst, const struct ff_fd *src)
{
	struct dstr keep = dst->name, kraw = dst->raw;
	int64_t fd = dst->fd;
	*dst = *src;
	dst->name = keep;
	dst->raw = kraw;
	dst->fd = fd;
	dst->next_free = NULL;
	(void)st;
	return dstr_set(&dst->name, dstr_c(&src->name), src->name.len) ||
	       dstr_set(&dst->raw, dstr_c(&src->raw), src->raw.len);
}

static int fdtab_copy(struct ff_state *st, struct ff_thread *dst, struct ff_thread *src)
{
	struct fdtab *s = fdtab_of(st, src);
	for (uint32_t i = 0; i < s->cap; i++) {
		if (!s->v[i])
			continue;
		struct ff_fd *f = fd_add(st, dst, i);
		if (!f || fd_copy(st, f, s->v[i]))
			return -ENOMEM;
	}
	return 0;
}

/* ---------------------------------------------------------------- threads */

static uint32_t thash(int64_t tid, uint32_t n)
{
	uint64_t x = (uint64_t)tid * 0x9E3779B97F4A7C15ull;
	return (uint32_t)(x >> 32) & (n - 1);
}

static struct ff_thread *thread_find(const struct ff_state *st, int64_t tid)
{
	struct ff_thread *t = st->buckets[thash(tid, st->nbuckets)];
	while (t && t->tid != tid)
		t = t->hnext;
	return t;
}

static void thread_destroy(struct ff_state *st, struct ff_thread *t)
{
	fdtab_clear(st, &t->fds);
	free(t->comm.p);
	free(t->exe.p);
	free(t->exepath.p);
	free(t->trusted.p);
	free(t->args.p);
	free(t->cwd.p);
	free(t->env.p);
	free(t->cgroups.p);
	free(t->root.p);
	free(t->enter);
	free(t);
}

static int grow_buckets(struct ff_state *st)
{
	uint32_t n = st->nbuckets * 2;
	struct ff_thread **b = calloc(n, sizeof(*b));
	if (!b)
		return -ENOMEM;
	for (uint32_t i = 0; i < st->nbuckets; i++) {
		struct ff_thread *t = st->buckets[i], *next;
		for (; t; t = next) {
			next = t->hnext;
			uint32_t h = thash(t->tid, n);
			t->hnext = b[h];
			b[h] = t;
		}
	}
	free(st->buckets);
	st->buckets = b;
	st->nbuckets = n;
	return 0;
}

static void thread_remove(struct ff_state *st, int64_t tid);

/* A main thread that exited before its threads: sinsp keeps it (children
 * processes still name it as their parent) and never drops it from a
 * capture's table.  We keep the last DEAD_MAINS of them, without their fds. */
static void keep_dead_main(struct ff_state *st, struct ff_thread *m)
{
	fdtab_clear(st, &m->fds);
	if (!st->dead) {
		st->dead = calloc(DEAD_MAINS, sizeof(*st->dead));
		if (!st->dead)
			return;
	}
	if (st->ndead == DEAD_MAINS) {
		int64_t old = st->dead[st->dead_head];
		struct ff_thread *o = thread_find(st, old);
		st->dead_head = (st->dead_head + 1) % DEAD_MAINS;
		st->ndead--;
		if (o && o != m && (o->flags & CL_CLOSED) && o->nchilds == 0)
			thread_remove(st, old);
	}
	st->dead[(st->dead_head + st->ndead) % DEAD_MAINS] = m->tid;
	st->ndead++;
}

static void thread_remove(struct ff_state *st, int64_t tid)
{
	struct ff_thread **pp = &st->buckets[thash(tid, st->nbuckets)];
	while (*pp && (*pp)->tid != tid)
		pp = &(*pp)->hnext;
	if (*pp) {
		struct ff_thread *t = *pp;
		*pp = t->hnext;
		/* sinsp counts threads made by clone(CLONE_THREAD) only */
		if ((t->flags & CL_CLONE_THREAD) && t->tid != t->pid) {
			struct ff_thread *m = thread_find(st, t->pid);
			if (m && m->nchilds && --m->nchilds == 0 && (m->flags & CL_CLOSED))
				keep_dead_main(st, m);
		}
		if (st->cur == t) {
			st->cur = NULL;
			st->cur_fd = NULL;
		}
		thread_destroy(st, t);
		st->nthreads--;
	}
}

/* A new, empty thread entry (replacing any with the same tid). */
static struct ff_thread *thread_new(struct ff_state *st, int64_t tid)
{
	struct ff_thread *t;
	thread_remove(st, tid);
	if (st->nthreads >= st->nbuckets && grow_buckets(st))
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->tid = tid;
	t->pid = tid;
	t->ptid = -1;
	t->sid = t->vpgid = t->vtid = t->vpid = -1;
	t->uid = t->gid = t->loginuid = 0xffffffffu;
	t->last_fd = 0;        /* sinsp's initial last event fd */
	t->last_type = 0xffff; /* no enter seen: no exit pairs with it */
	t->fdlimit = -1;
	memcpy(t->container, "host", 5);
	memcpy(t->fcontainer, "host", 5);
	uint32_t h = thash(tid, st->nbuckets);
	t->hnext = st->buckets[h];
	st->buckets[h] = t;
	st->nthreads++;
	return t;
}

/* The cgroups name the container; sinsp's engines that recognise it know
 * the container from then on, with no metadata until a container event
 * brings some (docker's says "not privileged", LXC's names it by its id). */
static int thread_set_cgroups(struct ff_state *st, struct ff_thread *t, const char *p, uint32_t len)
{
	int rc = dstr_set(&t->cgroups, p, len);
	int kind =
	    ff_state_container_from_cgroups(dstr_c(&t->cgroups), t->cgroups.len, t->container);
	if ((kind == FF_CGROUP_DOCKER || kind == FF_CGROUP_LXC) &&
	    !ff_containers_get(st->containers, t->container))
		ff_containers_add_guess(st->containers, t->container,
		                        kind == FF_CGROUP_LXC ? FF_CT_LXC : FF_CT_DOCKER,
		                        kind == FF_CGROUP_LXC ? t->container : "");
	t->fkind =
	    (uint8_t)ff_state_container_falco(dstr_c(&t->cgroups), t->cgroups.len, t->fcontainer);
	return rc;
}

/* sinsp invents an entry for an unknown thread so that later events resolve */
static struct ff_thread *thread_fake(struct ff_state *st, int64_t tid)
{
	struct ff_thread *t;
	if (st->nthreads >= THREAD_TABLE_MAX)
		return NULL;
	t = thread_new(st, tid);
	if (!t)
		return NULL;
	if (dstr_set(&t->comm, "<NA>", 4) || dstr_set(&t->exe, "<NA>", 4))
		return NULL;
	return t;
}

/* A thread whose main thread is gone: sinsp's first look for the main
 * invents it, counting the threads of that pid as its children. */
static void fake_main(struct ff_state *st, int64_t pid)
{
	struct ff_thread *m = thread_fake(st, pid);
	if (!m)
		return;
	for (uint32_t i = 0; i < st->nbuckets; i++)
		for (struct ff_thread *t = st->buckets[i]; t; t = t->hnext)
			if (t != m && t->pid == pid)
				m->nchilds++;
}

/* ---------------------------------------------------------------- paths */

/* The main thread of t's process: sinsp keeps the cwd there whatever the
 * clone flags (t itself for a main thread, NULL when it is not known). */
static struct ff_thread *main_of(const struct ff_state *st, const struct ff_thread *t)
{
	return t->tid == t->pid ? (struct ff_thread *)t : thread_find(st, t->pid);
}

const char *ff_state_cwd(const struct ff_state *st, const struct ff_thread *t)
{
	const struct ff_thread *m = main_of(st, t);
	return m ? dstr_c(&m->cwd) : "";
}

/* Join base and a path parameter (len as recorded) into st->path, under
 * sinsp's SCAP_MAX_PATH_SIZE; returns st->path. */
static const char *state_join(struct ff_state *st, const char *base, size_t blen, const char *p,
                              uint32_t len)
{
	if (blen + len + 2 > sizeof(st->path)) {
		memcpy(st->path, "/PATH_TOO_LONG", 15);
		return st->path;
	}
	ff_path_concat(st->path, FF_PATH_SCAP_MAX, base, blen, p, len, NULL);
	return st->path;
}

/* cwd is kept with a trailing '/', as sinsp does, on the main thread */
static int set_cwd(struct ff_state *st, struct ff_thread *t, const char *p, uint32_t len)
{
	struct ff_thread *m = main_of(st, t);
	if (!m)
		return 0;
	const char *np = state_join(st, dstr_c(&m->cwd), m->cwd.len, p, len);
	size_t n = strlen(np);
	if (n == 0 || np[n - 1] != '/') {
		st->path[n] = '/';
		st->path[n + 1] = 0;
		n++;
	}
	return dstr_set(&m->cwd, st->path, (uint32_t)n);
}

/* ---------------------------------------------------------------- container */

static int is_hex_run(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return 0;
	}
	return 1;
}

/* Find a 64-hex container id after one of the runtimes' cgroup markers. */
static int container_in_path(const char *p, size_t n, char out[65])
{
	static const char *const pre[] = {
		"/docker/",        "docker-",          "/crio-",  "crio-",
		"cri-containerd-", "/libpod-",         "libpod-", "/containerd/",
		"/kubepods/",      "/kubepods.slice/", NULL
	};
	/* the id is the last 64-hex component (or after a runtime prefix) */
	for (size_t i = 0; i + 64 <= n; i++) {
		if (!is_hex_run(p + i, 64))
			continue;
		if (i + 64 < n && p[i + 64] != '.' && p[i + 64] != '/')
			continue;
		if (i > 0 && p[i - 1] != '/' && p[i - 1] != '-')
			continue;
		int marked = 0;
		for (int k = 0; pre[k] && !marked; k++) {
			size_t pl = strlen(pre[k]);
			for (size_t j = 0; j + pl <= i && !marked; j++)
				marked = memcmp(p + j, pre[k], pl) == 0;
		}
		if (!marked && !(i > 0 && p[i - 1] == '/'))
			continue;
		memcpy(out, p + i, 12);
		out[12] = 0;
		/* CRI runtimes are only known through their socket, which a replay
		 * has not: sinsp keeps the id and nothing else */
		if ((i >= 5 && memcmp(p + i - 5, "crio-", 5) == 0) ||
		    (i >= 15 && memcmp(p + i - 15, "cri-containerd-", 15) == 0))
			return FF_CGROUP_CRI;
		return FF_CGROUP_DOCKER;
	}
	return 0;
}

/* LXC names a container by the cgroup component after /lxc/ (or
 * /lxc.payload/): the id and the name at once. */
static int lxc_in_path(const char *p, size_t n, char out[65])
{
	static const char *const pre[] = { "/lxc/", "/lxc.payload/" };
	for (int k = 0; k < 2; k++) {
		size_t pl = strlen(pre[k]);
		for (size_t i = 0; i + pl < n; i++) {
			if (memcmp(p + i, pre[k], pl) != 0)
				continue;
			const char *id = p + i + pl;
			size_t l = 0;
			while (i + pl + l < n && id[l] != '/' && l < 64)
				l++;
			if (!l)
				continue;
			memcpy(out, id, l);
			out[l] = 0;
			return 1;
		}
	}
	return 0;
}

/* The path of the next "subsystem=path" entry of a NUL-separated cgroup
 * list from *i on (*i moves past it): 1 with *path, *plen set, 0 at the end. */
static int next_cgroup_path(const char *cg, uint32_t len, uint32_t *i, const char **path,
                            size_t *plen)
{
	while (*i < len) {
		const char *s = cg + *i;
		uint32_t n = 0;
		while (*i + n < len && s[n])
			n++;
		*i += n + 1;
		const char *eq = memchr(s, '=', n);
		if (eq) {
			*path = eq + 1;
			*plen = n - (size_t)(eq + 1 - s);
			return 1;
		}
	}
	return 0;
}

int ff_state_container_from_cgroups(const char *cg, uint32_t len, char out[65])
{
	for (int pass = 0; pass < 2; pass++) {
		uint32_t i = 0;
		const char *p;
		size_t n;
		while (next_cgroup_path(cg, len, &i, &p, &n)) {
			int kind = pass == 0                ? container_in_path(p, n, out)
			           : lxc_in_path(p, n, out) ? FF_CGROUP_LXC
			                                    : 0;
			if (kind)
				return kind;
		}
	}
	memcpy(out, "host", 5);
	return 0;
}

/* Falco's container plugin: for each cgroup path in order, its runtimes'
 * layouts (podman, docker, cri, containerd, lxc, libvirt-lxc, bpm); the
 * first path that names an id wins. */

/* path ends with <prefix><id><suffix> (the last prefix, the last suffix):
 * the plugin's runc rule, quirks included (the hex test of a 64-char id
 * compares an absolute position; containerd takes any id up to 64 chars on
 * paths that are not systemd units) */
static int runc_match(const char *p, size_t n, const char *pre, size_t pl, const char *suf,
                      int containerd, char out[65])
{
	size_t start = SIZE_MAX, end = n, sl = strlen(suf);
	for (size_t i = n >= pl ? n - pl + 1 : 0; i-- > 0;)
		if (!memcmp(p + i, pre, pl)) {
			start = i + pl;
			break;
		}
	if (start == SIZE_MAX)
		return 0;
	if (sl) {
		end = SIZE_MAX;
		for (size_t i = n >= sl ? n - sl + 1 : 0; i-- > 0;)
			if (!memcmp(p + i, suf, sl)) {
				end = i;
				break;
			}
		if (end == SIZE_MAX)
			return 0;
	}
	size_t idlen = end - start; /* wraps when the suffix comes first, as upstream */
	if (idlen == 64) {
		size_t k = start;
		while (k < n && strchr("0123456789abcdefABCDEF", p[k]) && p[k])
			k++;
		if (k >= 64 || k == n) {
			memcpy(out, p + start, 12);
			out[12] = 0;
			return 1;
		}
	}
	if (idlen > 64 || idlen == 0 || !containerd)
		return 0;
	static const char *const units[] = { ".service", ".slice", ".scope" };
	for (int u = 0; u < 3; u++) {
		size_t ul = strlen(units[u]);
		if (n >= ul && !memcmp(p + n - ul, units[u], ul))
			return 0;
	}
	size_t l = idlen < 12 ? idlen : 12;
	memcpy(out, p + start, l);
	out[l] = 0;
	return 1;
}

static int runc_layouts(const char *p, size_t n, const char *const (*lay)[2], char out[65])
{
	for (int i = 0; lay[i][0]; i++)
		if (runc_match(p, n, lay[i][0], strlen(lay[i][0]), lay[i][1], 0, out))
			return 1;
	return 0;
}

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* the first "/name/" with name = alnum runs joined by . _ or - */
static int containerd_ns(const char *p, size_t n, size_t *at, size_t *len)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != '/')
			continue;
		size_t k = i + 1;
		int ok = 0;
		while (k < n && is_alnum(p[k])) {
			while (k < n && is_alnum(p[k]))
				k++;
			ok = 1;
			if (k + 1 < n && strchr("._-", p[k]) && is_alnum(p[k + 1]))
				k++;
			else
				break;
		}
		if (ok && k < n && p[k] == '/') {
			*at = i;
			*len = k + 1 - i;
			return 1;
		}
	}
	return 0;
}

static size_t find_str(const char *p, size_t n, size_t from, const char *s)
{
	size_t sl = strlen(s);
	for (size_t i = from; i + sl <= n; i++)
		if (!memcmp(p + i, s, sl))
			return i;
	return SIZE_MAX;
}

static int copy_id(const char *p, size_t len, char out[65])
{
	if (len > 64)
		len = 64;
	memcpy(out, p, len);
	out[len] = 0;
	return 1;
}

/* one path: 0 no runtime claims it, else FF_FALCO_CT_* (out may be "") */
static int falco_match(const char *p, size_t n, char out[65])
{
	static const char *const podman[][2] = { { "/libpod-", ".scope" },
		                                 { "/libpod-", ".scope/container" },
		                                 { "/libpod-", "" },
		                                 { "/libpod-payload-", ".scope" },
		                                 { "/libpod-payload-", ".scope/container" },
		                                 { "/libpod-payload-", "" },
		                                 { NULL, NULL } };
	static const char *const docker[][2] = { { "/", "" },
		                                 { "/docker-", ".scope" },
		                                 { NULL, NULL } };
	static const char *const cri[][2] = { { "/", "" },
		                              { "/crio-", "" },
		                              { "/cri-containerd-", ".scope" },
		                              { "/crio-", ".scope" },
		                              { ":cri-containerd:", "" },
		                              { "/docker-", ".scope" },
		                              { NULL, NULL } };
	size_t at, l, pos, end;
	if (runc_layouts(p, n, podman, out) || runc_layouts(p, n, docker, out) ||
	    runc_layouts(p, n, cri, out))
		return FF_FALCO_CT_RUNTIME;
	if (containerd_ns(p, n, &at, &l) && runc_match(p, n, p + at, l, "", 1, out))
		return FF_FALCO_CT_RUNTIME;
	static const char *const lxc[] = { "/lxc/", "/lxc.payload/", "/lxc.payload." };
	for (int i = 0; i < 3; i++)
		if ((pos = find_str(p, n, 0, lxc[i])) != SIZE_MAX) {
			size_t s0 = pos + strlen(lxc[i]);
			end = find_str(p, n, s0, "/");
			copy_id(p + s0, (end == SIZE_MAX ? n : end) - s0, out);
			return FF_FALCO_CT_LXC;
		}
	/* libvirt-lxc: "...ID.libvirt-lxc", "...-lxc\x2dID.scope[/libvirt]", "/libvirt/lxc/ID" */
	if (n >= 12 && (pos = find_str(p, n, 0, ".libvirt-lxc")) == n - 12) {
		size_t sl = pos;
		while (sl > 0 && p[sl - 1] != '/')
			sl--;
		if (sl > 0)
			return copy_id(p + sl, pos - sl, out) ? FF_FALCO_CT_LIBVIRT_LXC : 0;
	}
	if ((pos = find_str(p, n, 0, "-lxc\\x2")) != SIZE_MAX) {
		const char *delim =
		    find_str(p, n, 0, ".scope/libvirt") != SIZE_MAX ? ".scope/libvirt" : ".scope";
		size_t dl = strlen(delim), d = find_str(p, n, 0, delim);
		if (d != SIZE_MAX && d == n - dl && d >= pos + 8)
			return copy_id(p + pos + 8, d - pos - 8, out) ? FF_FALCO_CT_LIBVIRT_LXC : 0;
	}
	if ((pos = find_str(p, n, 0, "/libvirt/lxc/")) != SIZE_MAX)
		return copy_id(p + pos + 13, n - pos - 13, out) ? FF_FALCO_CT_LIBVIRT_LXC : 0;
	if ((pos = find_str(p, n, 0, "bpm-")) != SIZE_MAX) {
		size_t s0 = pos + 4;
		end = find_str(p, n, s0, ".scope");
		size_t il = (end == SIZE_MAX ? n : end) - s0;
		int ok = il > 0;
		for (size_t i = 0; i < il && ok; i++)
			ok = is_alnum(p[s0 + i]) || strchr("._-", p[s0 + i]);
		if (ok)
			return copy_id(p + s0, il, out) ? FF_FALCO_CT_BPM : 0;
	}
	return 0;
}

int ff_state_container_falco(const char *cg, uint32_t len, char out[65])
{
	uint32_t i = 0;
	const char *p;
	size_t n;
	while (next_cgroup_path(cg, len, &i, &p, &n)) {
		int kind = n ? falco_match(p, n, out) : 0;
		if (kind && out[0])
			return kind;
	}
	memcpy(out, "host", 5);
	return 0;
}

/* ---------------------------------------------------------------- lifecycle */

static const struct {
	const char *name;
	char dir;
	uint8_t op;
} op_names[] = {
	{ "open", 'X', OP_OPEN_X },
	{ "creat", 'X', OP_CREAT_X },
	{ "openat", 'X', OP_OPENAT_X },
	{ "openat2", 'X', OP_OPENAT_X },
	{ "socket", 'X', OP_SOCKET_X },
	{ "bind", 'X', OP_BIND_X },
	{ "connect", 'E', OP_CONNECT_E },
	{ "connect", 'X', OP_CONNECT_X },
	{ "accept", 'X', OP_ACCEPT_X },
	{ "accept4", 'X', OP_ACCEPT_X },
	{ "close", 'E', OP_CLOSE_E },
	{ "close", 'X', OP_CLOSE_X },
	{ "pipe", 'X', OP_PIPE_X },
	{ "pipe2", 'X', OP_PIPE_X },
	{ "socketpair", 'X', OP_SOCKETPAIR_X },
	{ "dup", 'X', OP_DUP_X },
	{ "dup2", 'X', OP_DUP_X },
	{ "dup3", 'X', OP_DUP_X },
	{ "fcntl", 'X', OP_FCNTL_X },
	{ "eventfd", 'X', OP_EVENTFD_X },
	{ "eventfd2", 'X', OP_EVENTFD_X },
	{ "signalfd", 'X', OP_SIGNALFD_X },
	{ "signalfd4", 'X', OP_SIGNALFD_X },
	{ "timerfd_create", 'X', OP_TIMERFD_X },
	{ "inotify_init", 'X', OP_INOTIFY_X },
	{ "inotify_init1", 'X', OP_INOTIFY_X },
	{ "clone", 'X', OP_CLONE_X },
	{ "fork", 'X', OP_CLONE_X },
	{ "vfork", 'X', OP_CLONE_X },
	{ "clone3", 'X', OP_CLONE_X },
	{ "execve", 'X', OP_EXECVE_X },
	{ "execveat", 'X', OP_EXECVE_X },
	{ "procexit", 'E', OP_PROCEXIT },
	{ "chdir", 'X', OP_CHDIR_X },
	{ "fchdir", 'X', OP_FCHDIR_X },
	{ "setuid", 'X', OP_SETUID_X },
	{ "setgid", 'X', OP_SETGID_X },
	{ "setresuid", 'X', OP_SETRESUID_X },
	{ "setresgid", 'X', OP_SETRESGID_X },
	{ "sendto", 'E', OP_SENDTO_E },
	{ "getcwd", 'X', OP_GETCWD_X },
	{ "chroot", 'X', OP_CHROOT_X },
	{ "setsid", 'X', OP_SETSID_X },
	{ "setpgid", 'X', OP_SETPGID_X },
	{ "setrlimit", 'X', OP_SETRLIMIT_X },
	{ "prlimit", 'X', OP_PRLIMIT_X },
	{ "brk", 'X', OP_VM_X },
	{ "mmap", 'X', OP_VM_X },
	{ "mmap2", 'X', OP_VM_X },
	{ "munmap", 'X', OP_VM_X },
	{ "switch", 'E', OP_SWITCH },
};

/* enter events whose parameters the exit handlers read (sinsp's store list) */
static const char *const stored_enters[] = {
	"open",     "creat",     "openat",    "openat2",   "socket",  "eventfd", "chdir",
	"fchdir",   "shutdown",  "getrlimit", "setrlimit", "prlimit", "sendmsg", "sendto",
	"sendfile", "setresuid", "setresgid", "setuid",    "setgid",  "execve",  "execveat",
	"setpgid",  "fcntl",     "dup",       "dup2",      "dup3",    NULL
};

static const char *const rw_names[] = { "read",    "write",  "recv",    "send",    "recvfrom",
	                                "recvmsg", "sendto", "sendmsg", "readv",   "writev",
	                                "pread",   "pwrite", "preadv",  "pwritev", NULL };

int ff_state_new(struct ff_state **out, struct ff_err *err)
{
	struct ff_state *st = calloc(1, sizeof(*st));
	if (!st)
		return ff_errf(err, -ENOMEM, "state: out of memory");
	st->nbuckets = 1024;
	st->buckets = calloc(st->nbuckets, sizeof(*st->buckets));
	if (!st->buckets) {
		free(st);
		return ff_errf(err, -ENOMEM, "state: out of memory");
	}
	st->tid_to_remove = -1;
	st->cthread = calloc(1, sizeof(*st->cthread));
	if (!st->cthread || ff_containers_new(&st->containers)) {
		ff_state_free(st);
		return ff_errf(err, -ENOMEM, "state: out of memory");
	}
	for (unsigned id = 0; id < FF_EVENT_MAX; id++) {
		const struct ff_event_info *in = &ff_event_table[id];
		if (!in->name)
			continue;
		for (size_t k = 0; k < sizeof(op_names) / sizeof(op_names[0]); k++)
			if (in->dir == op_names[k].dir && strcmp(in->name, op_names[k].name) == 0)
				st->op[id] = op_names[k].op;
		if (in->dir == 'X')
			for (int k = 0; rw_names[k]; k++)
				if (strcmp(in->name, rw_names[k]) == 0)
					st->op[id] = OP_RW_X;
		if (in->dir == 'E')
			for (int k = 0; stored_enters[k]; k++)
				if (strcmp(in->name, stored_enters[k]) == 0)
					st->store[id] = 1;
		if (in->dir == 'E' && strcmp(in->name, "setpgid") == 0)
			st->store[id] = 1;
	}
	*out = st;
	return 0;
}

void ff_state_free(struct ff_state *st)
{
	if (!st)
		return;
	for (uint32_t i = 0; i < st->nbuckets; i++) {
		struct ff_thread *t = st->buckets[i], *next;
		for (; t; t = next) {
			next = t->hnext;
			thread_destroy(st, t);
		}
	}
	free(st->buckets);
	free(st->dead);
	while (st->free_fds) {
		struct ff_fd *f = st->free_fds;
		st->free_fds = f->next_free;
		free(f->name.p);
		free(f->raw.p);
		free(f);
	}
	for (size_t i = 0; i < st->nusers; i++) {
		free(st->users[i].name);
		free(st->users[i].home);
		free(st->users[i].shell);
	}
	for (size_t i = 0; i < st->ngroups; i++)
		free(st->groups[i].name);
	free(st->users);
	free(st->groups);
	free(st->if4);
	free(st->if6);
	if (st->cthread)
		thread_destroy(st, st->cthread);
	ff_containers_free(st->containers);
	free(st);
}

/* ---------------------------------------------------------------- metadata */

static int load_proc(struct ff_state *st, const struct ff_proc *p)
{
	struct ff_thread *t = thread_new(st, (int64_t)p->tid);
	if (!t)
		return -ENOMEM;
	t->pid = (int64_t)p->pid;
	t->ptid = (int64_t)p->ptid;
	t->sid = (int64_t)p->sid;
	t->vpgid = (int64_t)p->vpgid;
	t->vtid = p->vtid;
	t->vpid = p->vpid;
	t->fdlimit = p->fdlimit;
	t->flags = p->flags;
	t->uid = p->uid;
	t->gid = p->gid;
	t->loginuid = p->loginuid;
	t->tty = p->tty;
	t->vmsize = p->vmsize_kb;
	t->vmrss = p->vmrss_kb;
	t->vmswap = p->vmswap_kb;
	t->pfmajor = p->pfmajor;
	t->pfminor = p->pfminor;
	if (p->has & FF_PROC_HAS_CAPS) {
		t->has_caps = 1;
		t->cap_inh = p->cap_inheritable;
		t->cap_perm = p->cap_permitted;
		t->cap_eff = p->cap_effective;
	}
	if (p->has & FF_PROC_HAS_EXE_WRITABLE)
		t->exe_flags = 0x80 | (p->exe_writable ? 1 : 0);
	if (p->has & FF_PROC_HAS_EXE_LAYERS)
		t->exe_flags |= 0x80 | (p->exe_upper_layer ? 2 : 0) | (p->exe_from_memfd ? 4 : 0);
	if (p->has & FF_PROC_HAS_EXE_INO) {
		t->exe_ino_ctime = p->exe_ino_ctime;
		t->exe_ino_mtime = p->exe_ino_mtime;
	}
	if (p->has & FF_PROC_HAS_PIDNS_TS)
		t->pidns_ts = p->pidns_init_start_ts;
	/* threads of the process list are not counted in nchilds (sinsp) */
	if (dstr_set(&t->comm, p->comm.p, p->comm.len) || dstr_set(&t->exe, p->exe.p, p->exe.len) ||
	    dstr_set(&t->exepath, p->exepath.p, p->exepath.len) ||
	    dstr_set(&t->args, p->args.p, p->args.len) || dstr_set(&t->env, p->env.p, p->env.len) ||
	    dstr_set(&t->root, p->root.p, p->root.len) ||
	    thread_set_cgroups(st, t, p->cgroups.p, p->cgroups.len))
		return -ENOMEM;
	/* sinsp sets the cwd of main threads only (the others use theirs) */
	if (t->tid == t->pid)
		return set_cwd(st, t, p->cwd.p, (uint32_t)strnlen(p->cwd.p, p->cwd.len));
	return 0;
}

static char *ipv4_str(char *buf, const uint8_t *ip);
static void ip6_str(char *out, size_t cap, const uint8_t ip[16]);
static void fmt_tuple(struct ff_state *st, struct ff_fd *f);

static int load_fd(struct ff_state *st, struct ff_thread *t, const struct ff_fdinfo *fi)
{
	struct ff_fd *f = fd_add(st, t, fi->fd);
	if (!f)
		return fi->fd < 0 || fi->fd >= FD_MAX_DIRECT ? 0 : -ENOMEM;
	f->type = fi->type;
	f->ino = fi->ino;
	f->open_flags = fi->open_flags;
	f->dev = fi->dev;
	f->l4proto = fi->l4proto;
	memcpy(f->sip, fi->sip, 16);
	memcpy(f->dip, fi->dip, 16);
	f->sport = fi->sport;
	f->dport = fi->dport;
	f->usrc = fi->source;
	f->udst = fi->dest;
	if (f->type > FF_FD_NETLINK && f->type != FF_FD_FILE_V2)
		f->type = FF_FD_UNSUPPORTED;
	switch (f->type) {
	case FF_FD_IPV4_SOCK:
	case FF_FD_IPV6_SOCK:
		f->flags |= FDF_ROLE_CLIENT; /* sinsp reads a socket of the list as resolved */
		fmt_tuple(st, f);
		return 0;
	case FF_FD_IPV4_SERVSOCK: {
		char b[64], ip[20];
		ipv4_str(ip, f->sip);
		int n = snprintf(b, sizeof(b), "%s:%u", ip, f->sport);
		return dstr_set(&f->name, b, (uint32_t)n);
	}
	case FF_FD_IPV6_SERVSOCK: {
		char b[80], ip[48];
		ip6_str(ip, sizeof(ip), f->sip);
		int n = snprintf(b, sizeof(b), "%s:%u", ip, f->sport);
		return dstr_set(&f->name, b, (uint32_t)n);
	}
	default:
		return dstr_set(&f->name, fi->name.p, fi->name.len);
	}
}

static char *str_dup(const struct ff_str *s)
{
	char *d = malloc(s->len + 1);
	if (d) {
		memcpy(d, s->p, s->len);
		d[s->len] = 0;
	}
	return d;
}

static int add_user(struct uent **v, size_t *n, uint32_t id, const struct ff_user *u)
{
	struct uent *nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	memset(&nv[*n], 0, sizeof(nv[*n]));
	nv[*n].id = id;
	nv[*n].name = str_dup(&u->name);
	if (u->kind == FF_UL_USER) {
		nv[*n].home = str_dup(&u->homedir);
		nv[*n].shell = str_dup(&u->shell);
	}
	(*n)++;
	if (!nv[*n - 1].name || (u->kind == FF_UL_USER && (!nv[*n - 1].home || !nv[*n - 1].shell)))
		return -ENOMEM;
	return 0;
}

/* Once a process list is in: like sinsp, every thread whose flags say
 * CLONE_THREAD counts in its main thread's nchilds (whatever the order of the
 * entries). */
static void count_threads(struct ff_state *st)
{
	for (uint32_t i = 0; i < st->nbuckets; i++)
		for (struct ff_thread *t = st->buckets[i]; t; t = t->hnext)
			t->nchilds = 0;
	for (uint32_t i = 0; i < st->nbuckets; i++)
		for (struct ff_thread *t = st->buckets[i]; t; t = t->hnext)
			if (t->flags & CL_CLONE_THREAD) {
				struct ff_thread *m = thread_find(st, t->pid);
				if (m)
					m->nchilds++;
			}
}

int ff_state_load_block(struct ff_state *st, const struct ff_block *b, struct ff_err *err)
{
	struct ff_meta_iter it;
	int rc;

	switch (b->kind) {
	case FF_BLK_PROCLIST:
	case FF_BLK_FDLIST:
	case FF_BLK_USERLIST:
	case FF_BLK_IFLIST:
		break;
	default:
		return 0;
	}
	rc = ff_meta_iter_init(&it, b, err);
	if (rc)
		return rc;
	if (b->kind == FF_BLK_PROCLIST) {
		struct ff_proc p;
		while ((rc = ff_meta_proc_next(&it, &p, err)) > 0)
			if (load_proc(st, &p))
				return ff_errf(err, -ENOMEM, "state: out of memory");
		count_threads(st);
	} else if (b->kind == FF_BLK_FDLIST) {
		struct ff_fdinfo fi;
		struct ff_thread *t = thread_find(st, (int64_t)it.tid);
		while ((rc = ff_meta_fd_next(&it, &fi, err)) > 0)
			if (t && load_fd(st, t, &fi))
				return ff_errf(err, -ENOMEM, "state: out of memory");
	} else if (b->kind == FF_BLK_USERLIST) {
		struct ff_user u;
		while ((rc = ff_meta_user_next(&it, &u, err)) > 0) {
			int r = u.kind == FF_UL_USER
			            ? add_user(&st->users, &st->nusers, u.uid, &u)
			            : add_user(&st->groups, &st->ngroups, u.gid, &u);
			if (r)
				return ff_errf(err, -ENOMEM, "state: out of memory");
		}
	} else {
		struct ff_iface f;
		while ((rc = ff_meta_iface_next(&it, &f, err)) > 0) {
			if (f.type == FF_IF_IPV4) {
				void *nv = realloc(st->if4, (st->nif4 + 1) * sizeof(*st->if4));
				if (!nv)
					return ff_errf(err, -ENOMEM, "state: out of memory");
				st->if4 = nv;
				memcpy(st->if4[st->nif4], f.addr, 4);
				memcpy(st->if4[st->nif4] + 4, f.netmask, 4);
				st->nif4++;
			} else {
				void *nv = realloc(st->if6, (st->nif6 + 1) * sizeof(*st->if6));
				if (!nv)
					return ff_errf(err, -ENOMEM, "state: out of memory");
				st->if6 = nv;
				memcpy(st->if6[st->nif6], f.addr, 16);
				st->nif6++;
			}
		}
	}
	return rc < 0 ? rc : 0;
}

/* ---------------------------------------------------------------- sockets */

static char *ipv4_str(char *buf, const uint8_t *ip)
{
	snprintf(buf, 20, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
	return buf;
}

static void ip6_str(char *out, size_t cap, const uint8_t ip[16])
{
	if (!inet_ntop(AF_INET6, ip, out, (socklen_t)cap) && cap)
		out[0] = 0;
}

static int is_v4mapped(const uint8_t *ip)
{
	static const uint8_t pre[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	return memcmp(ip, pre, 12) == 0;
}

static int is_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

/* fd name of a connected inet socket: "sip:sport->dip:dport" */
static void fmt_tuple(struct ff_state *st, struct ff_fd *f)
{
	char b[160], s[48], d[48];
	int n;
	if (f->l4proto != L4_TCP && f->l4proto != L4_UDP) {
		if (f->type == FF_FD_IPV4_SOCK && (f->l4proto == L4_ICMP || f->l4proto == L4_RAW))
			n = snprintf(b, sizeof(b), "%s->%s", ipv4_str(s, f->sip),
			             ipv4_str(d, f->dip));
		else
			n = snprintf(b, sizeof(b), "<unknown>");
	} else if (f->type == FF_FD_IPV4_SOCK) {
		n = snprintf(b, sizeof(b), "%s:%u->%s:%u", ipv4_str(s, f->sip), f->sport,
		             ipv4_str(d, f->dip), f->dport);
	} else if (is_v4mapped(f->sip) && is_v4mapped(f->dip)) {
		n = snprintf(b, sizeof(b), "%s:%u->%s:%u", ipv4_str(s, f->sip + 12), f->sport,
		             ipv4_str(d, f->dip + 12), f->dport);
	} else {
		ip6_str(s, sizeof(s), f->sip);
		ip6_str(d, sizeof(d), f->dip);
		n = snprintf(b, sizeof(b), "%s:%u->%s:%u", s, f->sport, d, f->dport);
	}
	(void)st;
	dstr_set(&f->name, b, (uint32_t)n);
}

/* store a tuple (family, ends) on f; returns 1 if it changed anything */
static int set_tuple(struct ff_fd *f, const uint8_t *p, uint32_t len, int overwrite)
{
	uint8_t sip[16] = { 0 }, dip[16] = { 0 };
	uint16_t sport, dport;
	int changed = 0;
	if (p[0] == PPM_AF_INET && len >= 13) {
		memcpy(sip, p + 1, 4);
		memcpy(&sport, p + 5, 2);
		memcpy(dip, p + 7, 4);
		memcpy(&dport, p + 11, 2);
		if (f->type == FF_FD_IPV4_SOCK && ((!memcmp(sip, f->sip, 4) && sport == f->sport &&
		                                    !memcmp(dip, f->dip, 4) && dport == f->dport) ||
		                                   (!memcmp(dip, f->sip, 4) && dport == f->sport &&
		                                    !memcmp(sip, f->dip, 4) && sport == f->dport)))
			return 0;
	} else if (p[0] == PPM_AF_INET6 && len >= 37) {
		memcpy(sip, p + 1, 16);
		memcpy(&sport, p + 17, 2);
		memcpy(dip, p + 19, 16);
		memcpy(&dport, p + 35, 2);
		if (is_v4mapped(sip) && is_v4mapped(dip)) {
			memmove(sip, sip + 12, 4);
			memset(sip + 4, 0, 12);
			memmove(dip, dip + 12, 4);
			memset(dip + 4, 0, 12);
			f->type = FF_FD_IPV4_SOCK;
		} else if (f->type == FF_FD_IPV6_SOCK &&
		           ((!memcmp(sip, f->sip, 16) && sport == f->sport &&
		             !memcmp(dip, f->dip, 16) && dport == f->dport) ||
		            (!memcmp(dip, f->sip, 16) && dport == f->sport &&
		             !memcmp(sip, f->dip, 16) && sport == f->dport))) {
			return 0;
		}
	} else {
		return 0;
	}
	/* sinsp 0.29.3 keeps an already known remote end (a later connect does
	 * not move it); current libs overwrite it on connect */
	if (memcmp(f->sip, sip, 16)) {
		memcpy(f->sip, sip, 16);
		changed = 1;
	}
	if (f->sport != sport) {
		f->sport = sport;
		changed = 1;
	}
	if ((f->type == FF_FD_IPV4_SOCK ? is_zero(f->dip, 4) : is_zero(f->dip, 16)) ||
	    (overwrite && memcmp(f->dip, dip, 16))) {
		memcpy(f->dip, dip, 16);
		changed = 1;
	}
	if (f->dport == 0 || (overwrite && f->dport != dport)) {
		f->dport = dport;
		changed = 1;
	}
	return changed;
}

/* A zero local address is guessed from the interface list, like sinsp. */
static void infer_local(struct ff_state *st, struct ff_fd *f)
{
	if (f->type == FF_FD_IPV4_SOCK) {
		uint8_t *zero_end, *other;
		if (!is_zero(f->sip, 4) && !is_zero(f->dip, 4))
			return;
		zero_end = is_zero(f->sip, 4) ? f->sip : f->dip;
		other = zero_end == f->sip ? f->dip : f->sip;
		uint8_t guess[4] = { 0 };
		int found = 0;
		for (size_t i = 0; i < st->nif4 && !found; i++)
			if (!memcmp(st->if4[i], other, 4)) {
				memcpy(guess, st->if4[i], 4);
				found = 1;
			}
		for (size_t i = 0; i < st->nif4 && !found; i++) {
			int same = 1;
			for (int k = 0; k < 4; k++)
				same &= (st->if4[i][k] & st->if4[i][4 + k]) ==
				        (other[k] & st->if4[i][4 + k]);
			if (same) {
				memcpy(guess, st->if4[i], 4);
				found = 1;
			}
		}
		for (size_t i = 0; i < st->nif4 && !found; i++)
			if (!(st->if4[i][0] == 127 && st->if4[i][1] == 0 && st->if4[i][2] == 0 &&
			      st->if4[i][3] == 1)) {
				memcpy(guess, st->if4[i], 4);
				found = 1;
			}
		if (!memcmp(guess, other, 4) && f->sport == f->dport)
			return;
		memcpy(zero_end, guess, 4);
	} else if (f->type == FF_FD_IPV6_SOCK) {
		static const uint8_t lo[16] = { [15] = 1 };
		uint8_t *zero_end, *other;
		uint8_t guess[16] = { 0 };
		int found = 0;
		if (!is_zero(f->sip, 16) && !is_zero(f->dip, 16))
			return;
		zero_end = is_zero(f->sip, 16) ? f->sip : f->dip;
		other = zero_end == f->sip ? f->dip : f->sip;
		for (size_t i = 0; i < st->nif6 && !found; i++)
			if (!memcmp(st->if6[i], other, 16)) {
				memcpy(guess, st->if6[i], 16);
				found = 1;
			}
		/* same /64 subnet */
		for (size_t i = 0; i < st->nif6 && !found; i++)
			if (!memcmp(st->if6[i], other, 8)) {
				memcpy(guess, st->if6[i], 16);
				found = 1;
			}
		for (size_t i = 0; i < st->nif6 && !found; i++)
			if (memcmp(st->if6[i], lo, 16)) {
				memcpy(guess, st->if6[i], 16);
				found = 1;
			}
		if (!memcmp(guess, other, 16) && f->sport == f->dport)
			return;
		memcpy(zero_end, guess, 16);
	}
}

static void swap_ends(struct ff_fd *f)
{
	uint8_t ip[16];
	uint16_t p = f->sport;
	memcpy(ip, f->sip, 16);
	memcpy(f->sip, f->dip, 16);
	memcpy(f->dip, ip, 16);
	f->sport = f->dport;
	f->dport = p;
}

static int bound_to_port(const struct ff_state *st, struct ff_thread *t, uint16_t port)
{
	struct fdtab *tab = fdtab_of(st, t);
	for (uint32_t i = 0; i < tab->cap; i++) {
		struct ff_fd *f = tab->v[i];
		if (f && (f->type == FF_FD_IPV4_SERVSOCK || f->type == FF_FD_IPV6_SERVSOCK) &&
		    f->sport == port)
			return 1;
	}
	return 0;
}

static int uses_client_port(const struct ff_state *st, struct ff_thread *t, uint16_t port)
{
	struct fdtab *tab = fdtab_of(st, t);
	for (uint32_t i = 0; i < tab->cap; i++) {
		struct ff_fd *f = tab->v[i];
		if (f && (f->type == FF_FD_IPV4_SOCK || f->type == FF_FD_IPV6_SOCK) &&
		    (f->flags & FDF_ROLE_CLIENT) && f->sport == port)
			return 1;
	}
	return 0;
}

static void guess_role(const struct ff_state *st, struct ff_thread *t, struct ff_fd *f,
                       int incoming)
{
	if (bound_to_port(st, t, f->dport) && !uses_client_port(st, t, f->sport)) {
		f->flags |= FDF_ROLE_SERVER;
		return;
	}
	if (!bound_to_port(st, t, f->dport)) {
		f->flags |= FDF_ROLE_CLIENT;
		return;
	}
	f->flags |= incoming ? FDF_ROLE_SERVER : FDF_ROLE_CLIENT;
}

static void sockaddr_name(struct ff_fd *f, const uint8_t *p, uint32_t len);

/* tuple from recvfrom/sendto & co. on a socket with no name yet or not TCP */
static void update_from_tuple(struct ff_state *st, struct ff_thread *t, struct ff_fd *f,
                              const uint8_t *p, uint32_t len, int incoming)
{
	if (!p || len == 0)
		return;
	if (p[0] == PPM_AF_UNIX) {
		if (len < 17)
			return;
		f->type = FF_FD_UNIX_SOCK;
		memcpy(&f->usrc, p + 1, 8);
		memcpy(&f->udst, p + 9, 8);
		/* sysdig 0.29.3 keeps a unix socket's name once it has one (the
		 * connect tuple): only a nameless one takes the path */
		if (!f->name.len)
			dstr_set_cstr(&f->name, (const char *)p + 17, len - 17);
		return;
	}
	if (p[0] == PPM_AF_INET) {
		if (f->type == FF_FD_IPV4_SERVSOCK)
			memset(f->sip, 0, 16);
		f->type = FF_FD_IPV4_SOCK;
	} else if (p[0] != PPM_AF_INET6) {
		return;
	}
	if (!set_tuple(f, p, len, st->falco))
		return;
	if (f->l4proto == L4_UNKNOWN)
		f->l4proto = L4_UDP;
	infer_local(st, f);
	if (f->type != FF_FD_IPV4_SOCK && f->type != FF_FD_IPV6_SOCK) {
		sockaddr_name(f, p, len);
		return;
	}
	if (!(f->flags & (FDF_ROLE_CLIENT | FDF_ROLE_SERVER)))
		guess_role(st, t, f, incoming);
	if (incoming ? (f->flags & FDF_ROLE_CLIENT) : (f->flags & FDF_ROLE_SERVER))
		swap_ends(f);
	fmt_tuple(st, f);
}

/* name of a bound/connecting socket: the address as sysdig prints a SOCKADDR */
static void sockaddr_name(struct ff_fd *f, const uint8_t *p, uint32_t len)
{
	char b[128], ip[48];
	int n = 0;
	uint16_t port;
	if (len == 0) {
		n = snprintf(b, sizeof(b), "NULL");
	} else if (p[0] == PPM_AF_UNIX) {
		dstr_set_cstr(&f->name, (const char *)p + 1, len - 1);
		return;
	} else if (p[0] == PPM_AF_INET && len == 7) {
		memcpy(&port, p + 5, 2);
		n = snprintf(b, sizeof(b), "%s:%u", ipv4_str(ip, p + 1), port);
	} else if (p[0] == PPM_AF_INET6 && len == 19) {
		memcpy(&port, p + 17, 2);
		ip6_str(ip, sizeof(ip), p + 1);
		n = snprintf(b, sizeof(b), "%s:%u", ip, port);
	} else {
		n = snprintf(b, sizeof(b), "family %d", (int)p[0]);
	}
	dstr_set(&f->name, b, (uint32_t)n);
}

/* ---------------------------------------------------------------- handlers */

/* stored enter event of t if it is the partner of exit event ev */
static int enter_of(struct ff_thread *t, const struct ff_evt *ev, struct ff_evt *out)
{
	struct ff_err e;
	uint32_t len;
	if (!t || !t->last_valid || !t->has_enter)
		return 0;
	memcpy(&len, t->enter + 16, 4);
	if (ff_evt_init(out, t->enter, len, &e))
		return 0;
	if (out->type != ev->type - 1) {
		t->last_valid = 0;
		return 0;
	}
	return 1;
}

static void store_enter(struct ff_thread *t, const struct ff_evt *ev)
{
	if (ev->len > ENTER_MAX)
		return;
	if (ev->len > t->enter_cap) {
		uint32_t cap = t->enter_cap ? t->enter_cap : 256;
		while (cap < ev->len)
			cap *= 2;
		uint8_t *n = realloc(t->enter, cap);
		if (!n)
			return;
		t->enter = n;
		t->enter_cap = cap;
	}
	memcpy(t->enter, ev->raw, ev->len);
	t->has_enter = 1;
}

/* fd creation by an event: sinsp also makes it the thread's last event fd */
static struct ff_fd *fd_add_evt(struct ff_state *st, struct ff_thread *t, int64_t fd)
{
	struct ff_fd *f = fd_add(st, t, fd);
	if (f)
		t->last_fd = fd;
	return f;
}

/* Directory sinsp's parsers resolve a relative *at path against, into st->path:
 * the cwd for AT_FDCWD, else the dirfd's name and '/' (even after a '/':
 * "/" gives "//etc"), "<UNKNOWN>" when the fd is not known.  The dirfd's
 * record becomes the event's fd (what a failed openat shows). */
static const char *at_base(struct ff_state *st, struct ff_thread *t, int64_t dirfd, size_t *blen)
{
	const char *b;
	if (dirfd == PPM_AT_FDCWD) {
		b = ff_state_cwd(st, t);
		*blen = strlen(b);
		return b;
	}
	struct ff_fd *d = fd_get(st, t, dirfd);
	st->cur_fd = d;
	st->keep_name = d;
	if (!d) {
		*blen = 9;
		return "<UNKNOWN>";
	}
	size_t n = d->name.len < sizeof(st->path) - 2 ? d->name.len : sizeof(st->path) - 2;
	memcpy(st->path, dstr_c(&d->name), n);
	st->path[n++] = '/';
	st->path[n] = 0;
	*blen = n;
	return st->path;
}

static int on_open_x(struct ff_state *st, struct ff_thread *t, const struct ff_evt *ev, int op)
{
	struct ff_evt en;
	uint32_t nlen = 0;
	const char *name = (const char *)praw(ev, pidx(ev, "name"), &nlen);
	uint32_t flags = (uint32_t)puint(ev, pidx(ev, "flags"), 0);
	int64_t dirfd = pint(ev, pidx(ev, "dirfd"), PPM_AT_FDCWD);
	int64_t fd = pint(ev, 0, -1);
	char base[FF_PATH_SCAP_MAX + 2];
	const char *b;
	size_t blen;

	if (op == OP_CREAT_X)
		flags = 0; /* sinsp: creat opens O_CREAT|O_WRONLY|O_TRUNC but records no flags */
	if (enter_of(t, ev, &en)) {
		uint32_t elen = 0;
		const char *ename = (const char *)praw(&en, pidx(&en, "name"), &elen);
		if (ename && elen && strcmp(ename, "(NULL)") != 0) {
			name = ename;
			nlen = elen;
			if (op != OP_CREAT_X)
				flags = (uint32_t)puint(&en, pidx(&en, "flags"), flags);
			if (op == OP_OPENAT_X)
				dirfd = pint(&en, pidx(&en, "dirfd"), dirfd);
		}
	}
	if (!name)
		return 0;
	if (op == OP_OPENAT_X && !(nlen && name[0] == '/')) {
		b = at_base(st, t, dirfd, &blen);
	} else {
		b = ff_state_cwd(st, t);
		blen = strlen(b);
	}
	if (fd < 0)
		return 0;
	/* at_base may have used st->path: keep the base apart from the result */
	if (blen > FF_PATH_SCAP_MAX)
		blen = FF_PATH_SCAP_MAX;
	memcpy(base, b, blen);
	const char *full = state_join(st, base, blen, name, nlen);
	struct ff_fd *f = fd_add_evt(st, t, fd);
	if (!f)
		return 0;
	f->type = (flags & PPM_O_DIRECTORY) ? FF_FD_DIRECTORY : FF_FD_FILE_V2;
	f->open_flags = flags;
	f->dev = (uint32_t)puint(ev, pidx(ev, "dev"), 0);
	st->cur_fd = f;
	if (dstr_set_cstr(&f->raw, name, nlen))
		return -ENOMEM;
	return dstr_set(&f->name, full, (uint32_t)strlen(full));
}

static int on_socket_x(struct ff_state *st, struct ff_thread *t, const struct ff_evt *ev)
{
	struct ff_evt en;
	int64_t fd = pint(ev, 0, -1);
	uint32_t domain, type, proto;
	uint8_t ftype, l4 = L4_UNKNOWN;
	if (fd < 0 || !t || !enter_of(t, ev, &en))
		return 0;
	domain = (uint32_t)puint(&en, 0, 0);
	type = (uint32_t)puint(&en, 1, 0);
	proto = (uint32_t)puint(&en, 2, 0);
	if (domain == PPM_AF_UNIX) {
		ftype = FF_FD_UNIX_SOCK;
	} else if (domain == PPM_AF_INET || domain == PPM_AF_INET6) {
		ftype = domain == PPM_AF_INET ? FF_FD_IPV4_SOCK : FF_FD_IPV6_SOCK;
		const uint32_t sock_raw = 3, sock_stream = 1, sock_dgram = 2;
		if (proto == 6)
			l4 = type == sock_raw ? L4_RAW : L4_TCP;
		else if (proto == 17)
			l4 = type == sock_raw ? L4_RAW : L4_UDP;
		else if (proto == 0)
			l4 = (type & 0xff) == sock_stream  ? L4_TCP
			     : (type & 0xff) == sock_dgram ? L4_UDP
			                                   : L4_UNKNOWN;
		else if (proto == 1)
			l4 = type == sock_raw ? L4_RAW : L4_ICMP;
		else if (proto == 255)
			l4 = L4_RAW;
	} else if (domain == PPM_AF_NETLINK) {
		ftype = FF_FD_NETLINK;
	} else {
		ftype = FF_FD_UNKNOWN; /* AF_PACKET & co.: sysdig keeps them, typechar 'o' */
	}
	struct ff_fd *f = fd_add_evt(st, t, fd);
	if (!f)
		return 0;
	f->type = ftype;
	f->l4proto = l4;
	st->cur_fd = f;
	return 0;
}

static void on_bind_x(struct ff_state *st, const struct ff_evt *ev)
{
	struct ff_fd *f = st->cur_fd;
	uint32_t len;
	const uint8_t *p;
	uint16_t port;
	if (!f || pint(ev, 0, -1) < 0)
		return;
	p = praw(ev, 1, &len);
	if (!p || len == 0)
		return;
	if (p[0] == PPM_AF_INET && len >= 7) {
		memcpy(&port, p + 5, 2);
		if (port > 0) {
			f->type = FF_FD_IPV4_SERVSOCK;
			memset(f->sip, 0, 16);
			memcpy(f->sip, p + 1, 4);
			f->sport = port;
			f->flags |= FDF_ROLE_SERVER;
		}
	} else if (p[0] == PPM_AF_INET6 && len >= 19) {
		memcpy(&port, p + 17, 2);
		if (port > 0) {
			if (is_v4mapped(p + 1)) {
				f->type = FF_FD_IPV4_SERVSOCK;
				memset(f->sip, 0, 16);
				memcpy(f->sip, p + 13, 4);
			} else {
				f->type = FF_FD_IPV6_SERVSOCK;
				memcpy(f->sip, p + 1, 16);
			}
			f->sport = port;
			f->flags |= FDF_ROLE_SERVER;
		}
	}
	sockaddr_name(f, p, len);
}

static void on_connect_e(struct ff_state *st, const struct ff_evt *ev)
{
	struct ff_fd *f = st->cur_fd;
	uint32_t len;
	const uint8_t *p;
	if (!f)
		return;
	p = praw(ev, 1, &len);
	if (!p || len == 0)
		return;
	if (p[0] == PPM_AF_INET && len >= 7) {
		f->type = FF_FD_IPV4_SOCK;
		memcpy(f->dip, p + 1, 4);
		memcpy(&f->dport, p + 5, 2);
	} else if (p[0] == PPM_AF_INET6 && len >= 19) {
		if (is_v4mapped(p + 1)) {
			f->type = FF_FD_IPV4_SOCK;
			memset(f->dip, 0, 16);
			memcpy(f->dip, p + 13, 4);
		} else {
			f->type = FF_FD_IPV6_SOCK;
			memcpy(f->dip, p + 1, 16);
		}
		memcpy(&f->dport, p + 17, 2);
	} else {
		sockaddr_name(f, p, len);
		if (len >= 17) {
			memcpy(&f->usrc, p + 1, 8);
			memcpy(&f->udst, p + 9, 8);
		}
	}
}

static void on_connect_x(struct ff_state *st, const struct ff_evt *ev)
{
	struct ff_fd *f = st->cur_fd;
	int64_t res = pint(ev, 0, -1);
	uint32_t len;
	const uint8_t *p;
	if (!f)
		return;
	if (res < 0 && res != -115) /* EINPROGRESS still connects */
		return;
	f->flags |= FDF_CONNECTED;
	p = praw(ev, 1, &len);
	if (!p || len == 0)
		return;
	if (p[0] == PPM_AF_INET || p[0] == PPM_AF_INET6) {
		int changed;
		if (p[0] == PPM_AF_INET6 && len >= 37 &&
		    !(is_v4mapped(p + 1) && is_v4mapped(p + 19)))
			f->type = FF_FD_IPV6_SOCK;
		else
			f->type = FF_FD_IPV4_SOCK;
		changed = set_tuple(f, p, len, st->falco);
		if (changed && (f->flags & FDF_ROLE_SERVER) && f->l4proto == L4_UDP)
			swap_ends(f);
		fmt_tuple(st, f);
	} else {
		/* unix: the tuple as printed ("src->dst path") without the type char */
		if (len >= 17) {
			char b[64];
			uint64_t s, d;
			memcpy(&s, p + 1, 8);
			memcpy(&d, p + 9, 8);
			f->usrc = s;
			f->udst = d;
			int n = snprintf(b, sizeof(b), "%" PRIx64 "->%" PRIx64 " ", s, d);
			uint32_t pl = 0;
			while (17 + pl < len && p[17 + pl])
				pl++;
			if (dstr_set(&f->name, b, (uint32_t)n) == 0) {
				char *tmp = malloc(n + pl + 1);
				if (tmp) {
					memcpy(tmp, b, (size_t)n);
					memcpy(tmp + n, p + 17, pl);
					dstr_set(&f->name, tmp, (uint32_t)n + pl);
					free(tmp);
				}
			}
		}
	}
	if (!(f->flags & (FDF_ROLE_CLIENT | FDF_ROLE_SERVER)))
		f->flags |= FDF_ROLE_CLIENT;
}

static void on_accept_x(struct ff_state *st, struct ff_thread *t, const struct ff_evt *ev)
{
	int64_t fd = pint(ev, 0, -1);
	uint32_t len;
	const uint8_t *p;
	struct ff_fd tmp;
	char b[64];
	if (!t || fd < 0)
		return;
	t->last_fd = fd;
	p = praw(ev, 1, &len);
	if (!p || len == 0)
		return;
	memset(&tmp, 0, sizeof(tmp));
	if (p[0] == PPM_AF_INET && len >= 13) {
		tmp.type = FF_FD_IPV4_SOCK;
	} else if (p[0] == PPM_AF_INET6 && len >= 37) {
		tmp.type =
		    (is_v4mapped(p + 1) && is_v4mapped(p + 19)) ? FF_FD_IPV4_SOCK : FF_FD_IPV6_SOCK;
	} else if (p[0] == PPM_AF_UNIX && len >= 17) {
		tmp.type = FF_FD_UNIX_SOCK;
	} else {
		return;
	}
	struct ff_fd *f = fd_add_evt(st, t, fd);
	if (!f)
		return;
	f->type = tmp.type;
	f->flags = FDF_ROLE_SERVER | FDF_CONNECTED;
	if (f->type == FF_FD_UNIX_SOCK) {
		memcpy(&f->usrc, p + 1, 8);
		memcpy(&f->udst, p + 9, 8);
		uint64_t s = f->usrc, d = f->udst;
		int n = snprintf(b, sizeof(b), "%" PRIx64 "->%" PRIx64 " ", s, d);
		uint32_t pl = 0;
		while (17 + pl < len && p[17 + pl])
			pl++;
		char *nm = malloc(n + pl + 1);
		if (nm) {
			memcpy(nm, b, (size_t)n);
			memcpy(nm + n, p + 17, pl);
			dstr_set(&f->name, nm, (uint32_t)n + pl);
			free(nm);
		}
	} else {
		f->l4proto = L4_TCP;
		set_tuple(f, p, len, 0);
		fmt_tuple(st, f);
	}
	st->cur_fd = f;
}

static void add_simple_fd(struct ff_state *st, struct ff_thread *t, int64_t fd, uint8_t type,
                          const char *name)
{
	struct ff_fd *f;
	if (fd < 0)
		return;
	f = fd_add_evt(st, t, fd);
	if (!f)
		return;
	f->type = type;
	dstr_set(&f->name, name, (uint32_t)strlen(name));
	st->cur_fd = f;
}

static void on_dup(struct ff_state *st, struct ff_thread *t, int64_t newfd)
{
	struct ff_fd *src = st->cur_fd;
	struct ff_fd *f;
	if (!t || newfd < 0 || !src)
		return;
	if (src->fd == newfd)
		return; /* dup2(fd, fd) */
	/* copy before fd_add may recycle the slot */
	struct ff_fd copy = *src;
	char *name = NULL, *raw = NULL;
	if (src->name.len) {
		name = malloc(src->name.len + 1);
		if (!name)
			return;
		memcpy(name, src->name.p, src->name.len + 1);
	}
	if (src->raw.len && !(raw = malloc(src->raw.len + 1))) {
		free(name);
		return;
	}
	if (raw)
		memcpy(raw, src->raw.p, src->raw.len + 1);
	f = fd_add_evt(st, t, newfd);
	if (f) {
		struct dstr keep = f->name, kraw = f->raw;
		*f = copy;
		f->name = keep;
		f->raw = kraw;
		f->fd = newfd;
		f->next_free = NULL;
		dstr_set(&f->name, name ? name : "", name ? copy.name.len : 0);
		dstr_set(&f->raw, raw ? raw : "", raw ? copy.raw.len : 0);
		st->cur_fd = f;
		st->keep_name = f; /* a copy keeps its name: sinsp shows no change */
	}
	free(name);
	free(raw);
}

#define CLONE_STALE_NS 2000000000ull /* sinsp: an older entry of the child is a leftover */

/* what a child takes from a known parent at clone time */
static int clone_inherit(struct ff_thread *c, struct ff_thread *parent, uint32_t flags)
{
	if (dstr_set(&c->comm, dstr_c(&parent->comm), parent->comm.len) ||
	    dstr_set(&c->exe, dstr_c(&parent->exe), parent->exe.len) ||
	    dstr_set(&c->exepath, dstr_c(&parent->exepath), parent->exepath.len) ||
	    dstr_set(&c->args, dstr_c(&parent->args), parent->args.len) ||
	    dstr_set(&c->root, dstr_c(&parent->root), parent->root.len) ||
	    dstr_set(&c->cgroups, dstr_c(&parent->cgroups), parent->cgroups.len))
		return -ENOMEM;
	/* the parent's cgroups named the container already */
	memcpy(c->container, parent->container, sizeof(c->container));
	memcpy(c->fcontainer, parent->fcontainer, sizeof(c->fcontainer));
	c->fkind = parent->fkind;
	c->has_trusted = parent->has_trusted;
	if (parent->has_trusted &&
	    dstr_set(&c->trusted, dstr_c(&parent->trusted), parent->trusted.len))
		return -ENOMEM;
	c->ctime_dur = parent->ctime_dur;
	c->sid = parent->sid;
	c->vpgid = parent->vpgid;
	c->tty = parent->tty;
	c->loginuid = parent->loginuid;
	if (!(flags & CL_CLONE_THREAD) && dstr_set(&c->env, dstr_c(&parent->env), parent->env.len))
		return -ENOMEM;
	c->has_caps = parent->has_caps;
	c->cap_inh = parent->cap_inh;
	c->cap_perm = parent->cap_perm;
	c->cap_eff = parent->cap_eff;
	c->exe_flags = parent->exe_flags;
	c->exe_ino_ctime = parent->exe_ino_ctime;
	c->exe_ino_mtime = parent->exe_ino_mtime;
	c->pidns_ts = parent->pidns_ts;
	return 0;
}

static int on_clone_x(struct ff_state *st, struct ff_thread *t, const struct ff_evt *ev)
{
	int64_t tid = (int64_t)ev->tid;
	int64_t child = pint(ev, 0, -1);
	uint32_t flags = (uint32_t)puint(ev, pidx(ev, "flags"), 0);
	int64_t vtid = pint(ev, pidx(ev, "vtid"), tid);
	int64_t vpid = pint(ev, pidx(ev, "vpid"), -1);
	int in_container = (flags & CL_CHILD_IN_PIDNS) || tid != vtid;
	int inverted = 0, valid_parent;
	struct ff_thread *parent, *c;
	uint32_t len;
	const char *s;

	if (child < 0)
		return 0;
	if (child == 0) {
		/* in the child: the parent's exit normally created the entry already */
		if (t && t->clone_ts && ev->ts - t->clone_ts > CLONE_STALE_NS) {
			thread_remove(st, t->tid);
			t = NULL;
		}
		if (t) {
			if (in_container) {
				t->vtid = vtid;
				t->vpid = vpid;
			}
			return 0;
		}
		inverted = 1;
		child = tid;
		tid = pint(ev, pidx(ev, (flags & CL_CLONE_THREAD) ? "pid" : "ptid"), -1);
	} else if (in_container) {
		return 0; /* wait for the child's own exit: the parent only sees the inner tid */
	} else if (st->falco && ((flags & (CL_CLONE_NEWPID | CL_CLONE_PARENT)) ||
	                         ((parent = thread_find(st, tid)) && parent->vtid != -1 &&
	                          parent->vtid != tid))) {
		/* current libs also leave a new pid namespace, runc's CLONE_PARENT
		 * and a caller they know to be in a container to the child's exit */
		return 0;
	}
	parent = thread_find(st, tid);
	if (!parent)
		parent = thread_fake(st, tid);
	if (!parent)
		return 0;
	/* a parent sinsp knows nothing about (invented for an earlier event, or
	 * right now) */
	valid_parent = !(parent->uid == 0xffffffffu && strcmp(dstr_c(&parent->comm), "<NA>") == 0);
	c = thread_find(st, child);
	if (c && (c->flags & CL_CLONE_INVERTED))
		return 0;
	if (c)
		thread_remove(st, child);
	if (!valid_parent) {
		/* sinsp drops it (fds, cwd and all) and invents it again: the child
		 * and then the parent take their names from this event */
		thread_remove(st, tid);
		parent = thread_fake(st, tid);
		if (!parent)
			return 0;
	}
	c = thread_new(st, child);
	if (!c)
		return -ENOMEM;
	c->ptid = tid;
	c->clone_ts = ev->ts;
	if (valid_parent) {
		if (clone_inherit(c, parent, flags))
			return -ENOMEM;
	} else {
		c->loginuid = 0; /* sinsp's default for a thread it builds */
	}
	c->pid = pint(ev, pidx(ev, "pid"), child);
	c->flags = flags;
	if (!(flags & CL_CLONE_THREAD)) {
		c->pid = child;
		/* a new process starts with a copy of the parent's fds and cwd */
		if (fdtab_copy(st, c, parent))
			return -ENOMEM;
		const char *cwd = ff_state_cwd(st, parent);
		if (dstr_set(&c->cwd, cwd, (uint32_t)strlen(cwd)))
			return -ENOMEM;
	}
	if (inverted)
		c->flags |= CL_CLONE_INVERTED;
	s = (const char *)praw(ev, 1, &len);
	if (s)
		dstr_set_cstr(&c->exe, s, len);
	s = (const char *)praw(ev, pidx(ev, "comm"), &len);
	if (s)
		dstr_set_cstr(&c->comm, s, len);
	else
		dstr_set(&c->comm, dstr_c(&c->exe), c->exe.len);
	s = (const char *)praw(ev, 2, &len);
	if (s)
		dstr_set(&c->args, s, len);
	if (!valid_parent && (dstr_set(&parent->comm, dstr_c(&c->comm), c->comm.len) ||
	                      dstr_set(&parent->exe, dstr_c(&c->exe), c->exe.len) ||
	                      dstr_set(&parent->exepath, "", 0) ||
	                      dstr_set(&parent->args, dstr_c(&c->args), c->args.len)))
		return -ENOMEM;
	c->fdlimit = pint(ev, pidx(ev, "fdlimit"), c->fdlimit);
	c->uid = (uint32_t)puint(ev, pidx(ev, "uid"), parent->uid);
	c->gid = (uint32_t)puint(ev, pidx(ev, "gid"), parent->gid);
	/* outside a pid namespace sinsp takes the real ids (the parent's exit
	 * carries the parent's view, not the child's) */
	c->vtid = in_container ? vtid : c->tid;
	c->vpid = in_container ? vpid : c->pid;
	s = (const char *)praw(ev, pidx(ev, "cgroups"), &len);
	if (s)
		thread_set_cgroups(st, c, s, len);
	c->vmsize = (uint32_t)puint(ev, pidx(ev, "vm_size"), 0);
	c->vmrss = (uint32_t)puint(ev, pidx(ev, "vm_rss"), 0);
	c->vmswap = (uint32_t)puint(ev, pidx(ev, "vm_swap"), 0);
	c->pfmajor = puint(ev, pidx(ev, "pgft_maj"), 0);
	c->pfminor = puint(ev, pidx(ev, "pgft_min"), 0);
	if (!st->falco) {
		c->pidns_ts = puint(ev, pidx_any(ev, "pidns_init_start_ts"), c->pidns_ts);
	} else {
		/* current libs: the machine's boot time, which a replay of theirs
		 * leaves 0, plus in a pid namespace the recorded start of its init
		 * (only when the child's own exit creates it) */
		int pi = pidx_any(ev, "pidns_init_start_ts");
		c->pidns_ts = 0;
		if (inverted && pi >= 0 && praw(ev, pi, &len) && len &&
		    ((flags & (CL_CHILD_IN_PIDNS | CL_CLONE_NEWPID)) || c->tid != c->vtid))
			c->pidns_ts = puint(ev, pi, 0);
	}
	if ((flags & CL_CLONE_THREAD) && c->tid != c->pid) {
		struct ff_thread *m = thread_find(st, c->pid);
		if (m)
			m->nchilds++;
	}
	return 0;
}

static int on_execve_x(struct ff_state *st, struct ff_thread *t, const struct ff_evt *ev)
{
	uint32_t len;
	const char *s;
	if (!t || pint(ev, 0, -1) < 0)
		return 0;
	s = (const char *)praw(ev, pidx(ev, "exe"), &len);
	if (s)
		dstr_set_cstr(&t->exe, s, len);
	s = (const char *)praw(ev, pidx(ev, "comm"), &len);
	if (s)
		dstr_set_cstr(&t->comm, s, len);
	else
		dstr_set(&t->comm, dstr_c(&t->exe), t->exe.len);
	s = (const char *)praw(ev, pidx(ev, "args"), &len);
	if (s)
		dstr_set(&t->args, s, len);
	t->pid = pint(ev, pidx(ev, "pid"), t->pid);
	if (!st->falco) {
		t->ptid = pint(ev, pidx(ev, "ptid"), t->ptid);
	} else if (t->ptid < 0 || t->pid < 0) {
		/* current libs patch only a thread they know nothing about: its
		 * parent, and outside a pid namespace its virtual ids */
		t->ptid = pint(ev, pidx(ev, "ptid"), t->ptid);
		if (!(t->flags & CL_CHILD_IN_PIDNS)) {
			t->vtid = t->tid;
			t->vpid = t->pid;
		}
	}
	/* sinsp 0.29.3 ignores execve's cwd parameter: the cwd stays the one
	 * inherited at clone time (relative paths resolve against it) */
	t->fdlimit = pint(ev, pidx(ev, "fdlimit"), t->fdlimit);
	s = (const char *)praw(ev, pidx(ev, "env"), &len);
	if (s)
		dstr_set(&t->env, s, len);
	s = (const char *)praw(ev, pidx(ev, "cgroups"), &len);
	if (s)
		thread_set_cgroups(st, t, s, len);
	t->tty = (uint32_t)puint(ev, pidx(ev, "tty"), t->tty);
	t->vpgid = pint(ev, pidx(ev, "pgid"), t->vpgid);
	t->loginuid = (uint32_t)puint(ev, pidx(ev, "loginuid"), t->loginuid);
	t->vmsize = (uint32_t)puint(ev, pidx(ev, "vm_size"), t->vmsize);
	t->vmrss = (uint32_t)puint(ev, pidx(ev, "vm_rss"), t->vmrss);
	t->vmswap = (uint32_t)puint(ev, pidx(ev, "vm_swap"), t->vmswap);
	t->pfmajor = puint(ev, pidx(ev, "pgft_maj"), t->pfmajor);
	t->pfminor = puint(ev, pidx(ev, "pgft_min"), t->pfminor);
	/* newer drivers: capabilities, exe flags and inode times */
	int ci = pidx_any(ev, "cap_effective");
	if (ci >= 0) {
		t->has_caps = 1;
		t->cap_inh = puint(ev, pidx_any(ev, "cap_inheritable"), 0);
		t->cap_perm = puint(ev, pidx_any(ev, "cap_permitted"), 0);
		t->cap_eff = puint(ev, ci, 0);
	}
	int fi = pidx_any(ev, "flags");
	if (fi >= 0)
		t->exe_flags = (uint8_t)(0x80 | (puint(ev, fi, 0) & 0x7f));
	t->exe_ino_ctime = puint(ev, pidx_any(ev, "exe_ino_ctime"), t->exe_ino_ctime);
	t->exe_ino_mtime = puint(ev, pidx_any(ev, "exe_ino_mtime"), t->exe_ino_mtime);
	/* current libs: the exe inode times give the ctime's distance to the
	 * clone (unsigned, whatever the order), and a recorded trusted_exepath
	 * is the exe path */
	int mi = pidx_any(ev, "exe_ino_mtime");
	if (mi >= 0 && praw(ev, mi, &len) && len && t->clone_ts)
		t->ctime_dur = t->clone_ts - t->exe_ino_ctime;
	if (st->falco) {
		/* current libs take the ids the execve left (setuid programs) */
		int ui = pidx_any(ev, "uid"), gi = pidx_any(ev, "gid");
		if (ui >= 0 && praw(ev, ui, &len) && len)
			t->uid = (uint32_t)puint(ev, ui, t->uid);
		if (gi >= 0 && praw(ev, gi, &len) && len)
			t->gid = (uint32_t)puint(ev, gi, t->gid);
	}
	int ti = pidx_any(ev, "trusted_exepath");
	s = ti >= 0 ? (const char *)praw(ev, ti, &len) : NULL;
	t->has_trusted = s && len;
	if (t->has_trusted)
		dstr_set_cstr(&t->trusted, s, len);
	/* the exe path is the enter's filename, joined to the thread's own cwd
	 * (execveat: to its dirfd, as an openat) */
	struct ff_evt en;
	if (enter_of(t, ev, &en)) {
		int at = strcmp(ff_evt_info(ev)->name, "execveat") == 0;
		s = (const char *)praw(&en, pidx(&en, at ? "pathname" : "filename"), &len);
		if (s && len >= 4 && memcmp(s, "<NA>", 4) == 0) {
			dstr_set(&t->exepath, "<NA>", 4);
		} else if (s) {
			char base[FF_PATH_SCAP_MAX + 2];
			const char *b = dstr_c(&t->cwd);
			size_t blen = t->cwd.len;
			if (at) {
				int64_t dirfd = pint(&en, pidx(&en, "dirfd"), PPM_AT_FDCWD);
				struct ff_fd *keep = st->cur_fd, *keep_dir = st->keep_name;
				if (len && s[0] == '/') {
					b = ".";
					blen = 1;
				} else {
					b = at_base(st, t, dirfd, &blen);
				}
				st->cur_fd = keep;
				st->keep_name = keep_dir;
				/* AT_EMPTY_PATH with "": the dirfd itself is the program */
				if ((puint(&en, pidx(&en, "flags"), 0) & 1) &&
				    strnlen(s, len) == 0) {
					if (blen > FF_PATH_SCAP_MAX)
						blen = FF_PATH_SCAP_MAX;
					memcpy(base, b, blen);
					base[blen] = 0;
					s = base;
					len = (uint32_t)blen + 1;
				}
			}
			if (blen > FF_PATH_SCAP_MAX)
				blen = FF_PATH_SCAP_MAX;
			if (b != base)
				memcpy(base, b, blen);
			const char *full = state_join(st, base, blen, s, len);
			dstr_set(&t->exepath, full, (uint32_t)strlen(full));
		}
	}
	/* sinsp keeps every fd across exec (O_CLOEXEC is not followed) and
	 * forgets the clone flags but these */
	t->flags &= CL_CLONE_INVERTED | CL_CLOSED;
	return 0;
}

static int on_rw_x(struct ff_state *st, struct ff_thread *t, const struct ff_evt *ev)
{
	struct ff_fd *f = st->cur_fd;
	const struct ff_event_info *in = ff_evt_info(ev);
	int64_t res = pint(ev, 0, -1);
	if (!f || !t || res < 0)
		return 0;
	if (f->type == FF_FD_IPV4_SOCK || f->type == FF_FD_IPV6_SOCK)
		f->flags |= FDF_CONNECTED;
	int tcp = f->l4proto == L4_TCP &&
	          (f->type == FF_FD_IPV4_SOCK || f->type == FF_FD_IPV6_SOCK ||
	           f->type == FF_FD_IPV4_SERVSOCK || f->type == FF_FD_IPV6_SERVSOCK);
	if (f->name.len != 0 && tcp)
		return 0;
	if (in->flags & FF_EF_READS_FROM_FD) {
		uint32_t len;
		int i = pidx(ev, "tuple");
		if (i < 0)
			return 0;
		const uint8_t *p = praw(ev, i, &len);
		update_from_tuple(st, t, f, p, len, 1);
	} else if (strcmp(in->name, "sendto") == 0 || strcmp(in->name, "sendmsg") == 0) {
		struct ff_evt en;
		uint32_t len;
		if (!enter_of(t, ev, &en))
			return 0;
		const uint8_t *p = praw(&en, pidx(&en, "tuple"), &len);
		update_from_tuple(st, t, f, p, len, 0);
	}
	return 0;
}

static void on_procexit(struct ff_state *st, struct ff_thread *t)
{
	if (!t)
		return;
	t->flags |= CL_CLOSED;
	st->tid_to_remove = t->tid;
}

/* setrlimit/prlimit of RLIMIT_NOFILE changes what proc.fdlimit shows */
static void on_rlimit(struct ff_state *st, struct ff_thread *t, const struct ff_evt *ev, int op)
{
	struct ff_evt en;
	struct ff_thread *target = t;
	if (!t || pint(ev, 0, -1) < 0)
		return;
	int ri = pidx(ev, "resource");
	uint64_t res = ri >= 0 ? puint(ev, ri, 255) : 255;
	int have_enter = enter_of(t, ev, &en);
	if (ri < 0 && have_enter)
		res = puint(&en, pidx(&en, "resource"), 255);
	if (res != 7) /* RLIMIT_NOFILE */
		return;
	int64_t cur = pint(ev, pidx(ev, op == OP_PRLIMIT_X ? "newcur" : "cur"), -1);
	if (op == OP_PRLIMIT_X) {
		int64_t pid = pint(ev, pidx(ev, "pid"), 0);
		if (pid == 0 && have_enter)
			pid = pint(&en, pidx(&en, "pid"), 0);
		if (pid != 0 && pid != t->pid)
			target = thread_find(st, pid);
	}
	if (target && cur >= 0) {
		struct ff_thread *m = thread_find(st, target->pid);
		(m ? m : target)->fdlimit = cur;
	}
}

static void on_setpgid(struct ff_state *st, struct ff_thread *t, const struct ff_evt *ev)
{
	struct ff_evt en;
	if (!t || pint(ev, 0, -1) < 0 || !enter_of(t, ev, &en))
		return;
	int64_t pid = pint(&en, pidx(&en, "pid"), 0);
	int64_t pgid = pint(&en, pidx(&en, "pgid"), 0);
	struct ff_thread *target = pid == 0 ? t : thread_find(st, pid);
	if (target)
		target->vpgid = pgid == 0 ? (target->vpid > 0 ? target->vpid : target->pid) : pgid;
}

/* memory counters that brk/mmap/munmap exits and context switches carry */
static void update_vm(struct ff_thread *t, const struct ff_evt *ev)
{
	int i = pidx(ev, "vm_size");
	if (i < 0)
		return;
	t->vmsize = (uint32_t)puint(ev, i, t->vmsize);
	t->vmrss = (uint32_t)puint(ev, pidx(ev, "vm_rss"), t->vmrss);
	t->vmswap = (uint32_t)puint(ev, pidx(ev, "vm_swap"), t->vmswap);
	t->pfmajor = puint(ev, pidx(ev, "pgft_maj"), t->pfmajor);
	t->pfminor = puint(ev, pidx(ev, "pgft_min"), t->pfminor);
}

static void on_ids(struct ff_thread *t, const struct ff_evt *ev, int op)
{
	struct ff_evt en;
	if (!t || pint(ev, 0, -1) < 0 || !enter_of(t, ev, &en))
		return;
	uint32_t a = (uint32_t)puint(&en, 0, 0xffffffffu);
	uint32_t b = (uint32_t)puint(&en, 1, 0xffffffffu);
	switch (op) {
	case OP_SETUID_X:
		t->uid = a;
		break;
	case OP_SETGID_X:
		t->gid = a;
		break;
	case OP_SETRESUID_X:
		if (b != 0xffffffffu) /* euid */
			t->uid = b;
		break;
	case OP_SETRESGID_X:
		if (b != 0xffffffffu)
			t->gid = b;
		break;
	}
}

/* ---------------------------------------------------------------- containers */

static int is_container_evt(uint16_t type)
{
	return type == FFE_CONTAINER_E || type == FFE_CONTAINER_272_E ||
	       type == FFE_CONTAINER_228_E;
}

/* sinsp shows a container event as a thread of its own: tid/pid -1,
 * vtid/vpid -2, named "container:ID", in that container. */
static void container_thread(struct ff_state *st, const char *id)
{
	struct ff_thread *t = st->cthread;
	char comm[80];
	int n = snprintf(comm, sizeof(comm), "container:%s", id);
	if (n < 0 || (size_t)n >= sizeof(comm))
		n = (int)sizeof(comm) - 1;
	t->tid = t->pid = -1;
	t->ptid = 0;
	t->sid = t->vpgid = -1;
	t->vtid = t->vpid = -2;
	t->uid = t->gid = t->loginuid = 0;
	t->fdlimit = -1;
	t->last_fd = -1;
	t->last_type = 0xffff;
	if (dstr_set(&t->comm, comm, (uint32_t)n) || dstr_set(&t->args, "", 0))
		return;
	snprintf(t->container, sizeof(t->container), "%s", id);
	snprintf(t->fcontainer, sizeof(t->fcontainer), "%s", id);
	t->fkind = FF_FALCO_CT_RUNTIME;
}

static void container_error(struct ff_state *st, const struct ff_evt *ev, const char *msg)
{
	if (!st->bad_containers++)
		snprintf(st->container_err, sizeof(st->container_err),
		         "event at %" PRIu64 ".%09" PRIu64 ": %s", ev->ts / 1000000000u,
		         ev->ts % 1000000000u, msg);
}

/* Container events update the metadata whether or not a filter keeps them
 * (sinsp parses them before filtering); those before the first other event
 * are consumed at open and never shown, nor are failed lookups. */
static void on_container(struct ff_state *st, const struct ff_evt *ev)
{
	const struct ff_container *c = NULL;
	uint32_t len;
	const uint8_t *p = ff_evt_param(ev, 0, &len);
	st->hidden = !st->seen_event;
	if (!p)
		return;
	if (ev->type == FFE_CONTAINER_228_E) {
		char id[65], name[256], image[256];
		uint32_t l1, l2, l3;
		const uint8_t *pn = ff_evt_param(ev, 2, &l2), *pi = ff_evt_param(ev, 3, &l3);
		l1 = len;
		snprintf(id, sizeof(id), "%.*s", (int)strnlen((const char *)p, l1),
		         (const char *)p);
		snprintf(name, sizeof(name), "%.*s", pn ? (int)strnlen((const char *)pn, l2) : 0,
		         pn ? (const char *)pn : "");
		snprintf(image, sizeof(image), "%.*s", pi ? (int)strnlen((const char *)pi, l3) : 0,
		         pi ? (const char *)pi : "");
		if (*id)
			ff_containers_add(st->containers, id, (uint32_t)pint(ev, 1, 0), name, image,
			                  NULL);
		st->cur = thread_find(st, (int64_t)ev->tid);
		return;
	}
	struct ff_err e = { 0 };
	if (ff_containers_add_json(st->containers, (const char *)p, len, &c, &e)) {
		container_error(st, ev, e.msg);
		return;
	}
	if (c->lookup_failed)
		st->hidden = 1;
	container_thread(st, c->id);
	st->cur = st->cthread;
}

int ff_state_update(struct ff_state *st, const struct ff_evt *ev)
{
	ff_state_begin(st, ev);
	return ff_state_finish(st, ev);
}

int ff_state_begin(struct ff_state *st, const struct ff_evt *ev)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	struct ff_thread *t;
	int op;
	int clone_exit;

	/* deferred removals of the previous event */
	if (st->tid_to_remove != -1) {
		/* sinsp keeps a main thread while its threads live */
		struct ff_thread *x = thread_find(st, st->tid_to_remove);
		if (x && x->nchilds == 0)
			thread_remove(st, st->tid_to_remove);
		st->tid_to_remove = -1;
	}
	if (st->fd_rm_pending) {
		struct ff_thread *ft = thread_find(st, st->fd_rm_tid);
		fd_remove(st, ft, st->fd_rm_fd);
		st->fd_rm_pending = 0;
	}
	st->cur = NULL;
	st->cur_fd = NULL;
	st->renamed = NULL;
	st->keep_name = NULL;
	st->pending = 0;
	st->hidden = 0;
	if (!in || !in->name)
		return 0;
	if (is_container_evt(ev->type)) {
		on_container(st, ev);
		return 0;
	}
	st->seen_event = 1;

	if (in->flags & FF_EF_SKIPPARSERESET) {
		if (strcmp(in->name, "procinfo") == 0)
			st->cur = thread_find(st, (int64_t)ev->tid);
		return 0;
	}
	op = st->op[ev->type];
	clone_exit = op == OP_CLONE_X;
	t = thread_find(st, (int64_t)ev->tid);
	if (!t && !clone_exit && op != OP_SWITCH)
		t = thread_fake(st, (int64_t)ev->tid);
	if (t && t->tid != t->pid && !clone_exit && op != OP_SWITCH && !thread_find(st, t->pid))
		fake_main(st, t->pid);
	st->cur = t;
	if (op == OP_SWITCH) {
		st->pending = t != NULL;
		return 0;
	}

	if (t) {
		if (in->dir == 'E') {
			t->last_fd = -1;
			t->last_type = ev->type;
			t->last_valid = 0;
			t->enter_ts = ev->ts;
			t->latency = 0;
			if (in->flags & FF_EF_USES_FD) {
				t->last_fd = pint(ev, 0, -1);
				st->cur_fd = fd_get(st, t, t->last_fd);
			}
			if (st->store[ev->type] || st->store_all)
				store_enter(t, ev);
		} else {
			/* sinsp measures from the last enter, matching or not */
			if (t->enter_ts && ev->ts >= t->enter_ts)
				t->latency = ev->ts - t->enter_ts;
			if (ev->type == t->last_type + 1) {
				t->last_valid = 1;
				if (in->flags & FF_EF_USES_FD)
					st->cur_fd = fd_get(st, t, t->last_fd);
			} else {
				t->last_valid = 0;
			}
		}
	}
	st->pending = 1;
	return 0;
}

void ff_state_drop(struct ff_state *st)
{
	/* sinsp forgets the last enter of a thread whose event it filtered out */
	if (st->pending && st->cur) {
		st->cur->last_type = 0xffff;
		st->cur->last_valid = 0;
	}
	st->pending = 0;
}

int ff_state_finish(struct ff_state *st, const struct ff_evt *ev)
{
	struct ff_thread *t = st->cur;
	int op, rc = 0;
	if (!st->pending)
		return 0;
	st->pending = 0;
	op = st->op[ev->type];

	/* remember a socket's name, to tell whether this event changes it (a
	 * file's name never changes under an existing fd) */
	const struct ff_fd *fd_before = st->cur_fd;
	uint32_t name_len_before = 0;
	int snap = 0;
	if (op != OP_NONE && fd_before && fd_before->type != FF_FD_FILE &&
	    fd_before->type != FF_FD_FILE_V2 && fd_before->type != FF_FD_DIRECTORY) {
		name_len_before = fd_before->name.len;
		if (name_len_before < sizeof(st->name_before)) {
			memcpy(st->name_before, dstr_c(&fd_before->name), name_len_before);
			snap = 1;
		}
	}

	switch (op) {
	case OP_OPEN_X:
	case OP_CREAT_X:
	case OP_OPENAT_X:
		if (t)
			rc = on_open_x(st, t, ev, op);
		break;
	case OP_SOCKET_X:
		rc = on_socket_x(st, t, ev);
		break;
	case OP_BIND_X:
		on_bind_x(st, ev);
		break;
	case OP_CONNECT_E:
		on_connect_e(st, ev);
		break;
	case OP_CONNECT_X:
		on_connect_x(st, ev);
		break;
	case OP_ACCEPT_X:
		on_accept_x(st, t, ev);
		break;
	case OP_CLOSE_E:
		if (st->cur_fd)
			st->cur_fd->flags |= FDF_CLOSE_IN_PROGRESS;
		break;
	case OP_CLOSE_X:
		if (st->cur_fd && t && pint(ev, 0, -1) >= 0) {
			st->fd_rm_pending = 1;
			st->fd_rm_tid = t->tid;
			st->fd_rm_fd = t->last_fd;
		} else if (st->cur_fd) {
			st->cur_fd->flags &= ~FDF_CLOSE_IN_PROGRESS;
		}
		break;
	case OP_PIPE_X:
		if (t && pint(ev, 0, -1) >= 0) {
			uint64_t ino = puint(ev, pidx(ev, "ino"), 0);
			add_simple_fd(st, t, pint(ev, pidx(ev, "fd1"), -1), FF_FD_FIFO, "");
			if (st->cur_fd)
				st->cur_fd->ino = ino;
			struct ff_fd *first = st->cur_fd;
			add_simple_fd(st, t, pint(ev, pidx(ev, "fd2"), -1), FF_FD_FIFO, "");
			if (st->cur_fd)
				st->cur_fd->ino = ino;
			st->cur_fd = first;
		}
		break;
	case OP_SOCKETPAIR_X:
		if (t && pint(ev, 0, -1) >= 0) {
			uint64_t src = puint(ev, pidx(ev, "source"), 0);
			uint64_t peer = puint(ev, pidx(ev, "peer"), 0);
			add_simple_fd(st, t, pint(ev, pidx(ev, "fd1"), -1), FF_FD_UNIX_SOCK, "");
			struct ff_fd *first = st->cur_fd;
			if (first) {
				first->usrc = src;
				first->udst = peer;
			}
			add_simple_fd(st, t, pint(ev, pidx(ev, "fd2"), -1), FF_FD_UNIX_SOCK, "");
			if (st->cur_fd) {
				st->cur_fd->usrc = src;
				st->cur_fd->udst = peer;
			}
			st->cur_fd = first;
		}
		break;
	case OP_DUP_X:
		on_dup(st, t, pint(ev, 0, -1));
		break;
	case OP_FCNTL_X: {
		struct ff_evt en;
		if (t && enter_of(t, ev, &en)) {
			uint64_t cmd = puint(&en, pidx(&en, "cmd"), 0);
			if (cmd == 1 || cmd == 26) /* F_DUPFD, F_DUPFD_CLOEXEC */
				on_dup(st, t, pint(ev, 0, -1));
		}
		break;
	}
	case OP_EVENTFD_X:
		if (t)
			add_simple_fd(st, t, pint(ev, 0, -1), FF_FD_EVENT, "");
		break;
	case OP_SIGNALFD_X:
		if (t)
			add_simple_fd(st, t, pint(ev, 0, -1), FF_FD_SIGNALFD, "");
		break;
	case OP_TIMERFD_X:
		if (t)
			add_simple_fd(st, t, pint(ev, 0, -1), FF_FD_TIMERFD, "");
		break;
	case OP_INOTIFY_X:
		if (t)
			add_simple_fd(st, t, pint(ev, 0, -1), FF_FD_INOTIFY, "");
		break;
	case OP_CLONE_X:
		rc = on_clone_x(st, t, ev);
		st->cur = thread_find(st, (int64_t)ev->tid);
		break;
	case OP_EXECVE_X:
		rc = on_execve_x(st, t, ev);
		break;
	case OP_PROCEXIT:
		on_procexit(st, t);
		break;
	case OP_CHDIR_X:
		if (t && pint(ev, 0, -1) >= 0) {
			uint32_t len;
			const char *s = (const char *)praw(ev, pidx(ev, "path"), &len);
			if (s)
				rc = set_cwd(st, t, s, len);
		}
		break;
	case OP_FCHDIR_X:
		if (t && pint(ev, 0, -1) >= 0 && st->cur_fd)
			rc = set_cwd(st, t, dstr_c(&st->cur_fd->name), st->cur_fd->name.len);
		break;
	case OP_RW_X:
		rc = on_rw_x(st, t, ev);
		break;
	case OP_SENDTO_E:
		/* sendto on an fd whose socket() was not seen: sinsp assumes UDP */
		if (t && !st->cur_fd && pint(ev, 0, -1) >= 0) {
			uint32_t len;
			const uint8_t *p = praw(ev, pidx(ev, "tuple"), &len);
			if (p && len && (p[0] == PPM_AF_INET || p[0] == PPM_AF_INET6)) {
				struct ff_fd *f = fd_add_evt(st, t, pint(ev, 0, -1));
				if (f) {
					f->type =
					    p[0] == PPM_AF_INET ? FF_FD_IPV4_SOCK : FF_FD_IPV6_SOCK;
					f->l4proto = L4_UDP;
					st->cur_fd = f;
				}
			}
		}
		break;
	case OP_SETUID_X:
	case OP_SETGID_X:
	case OP_SETRESUID_X:
	case OP_SETRESGID_X:
		on_ids(t, ev, op);
		break;
	case OP_GETCWD_X:
		/* the kernel's answer is the truth (a cwd inherited from before the capture) */
		if (t && pint(ev, 0, -1) >= 0) {
			uint32_t len;
			const char *s = (const char *)praw(ev, pidx(ev, "path"), &len);
			if (s)
				rc = set_cwd(st, t, s, len);
		}
		break;
	case OP_CHROOT_X:
		/* sinsp takes the path as it renders it: relative ones joined to the cwd */
		if (t && pint(ev, 0, -1) == 0) {
			uint32_t len;
			const char *s = (const char *)praw(ev, pidx(ev, "path"), &len);
			if (s && len && s[0] != '/' && !(len >= 4 && memcmp(s, "<NA>", 4) == 0)) {
				const char *cwd = ff_state_cwd(st, t);
				size_t cl = strlen(cwd);
				char *full = malloc(cl + len + 16);
				if (!full)
					return -ENOMEM;
				size_t n = ff_path_concat(full, 0, cwd, cl, s, len, NULL);
				rc = dstr_set(&t->root, full, (uint32_t)n);
				free(full);
			} else if (s) {
				/* as rendered: unprintable bytes dropped */
				char *v = malloc((size_t)len + 1);
				uint32_t n = 0;
				if (!v)
					return -ENOMEM;
				for (uint32_t i = 0; i < len && s[i]; i++)
					if (ff_path_printable((unsigned char)s[i]))
						v[n++] = s[i];
				rc = dstr_set(&t->root, v, n);
				free(v);
			}
		}
		break;
	case OP_SETSID_X:
		if (t && pint(ev, 0, -1) >= 0)
			t->sid = pint(ev, 0, -1);
		break;
	case OP_SETPGID_X:
		on_setpgid(st, t, ev);
		break;
	case OP_SETRLIMIT_X:
	case OP_PRLIMIT_X:
		on_rlimit(st, t, ev, op);
		break;
	case OP_VM_X:
		if (t)
			update_vm(t, ev);
		break;
	case OP_SWITCH: {
		/* page faults are the thread's, memory the process's */
		struct ff_thread *m = t->tid == t->pid ? t : thread_find(st, t->pid);
		t->pfmajor = puint(ev, pidx(ev, "pgft_maj"), t->pfmajor);
		t->pfminor = puint(ev, pidx(ev, "pgft_min"), t->pfminor);
		if (m) {
			m->vmsize = (uint32_t)puint(ev, pidx(ev, "vm_size"), m->vmsize);
			m->vmrss = (uint32_t)puint(ev, pidx(ev, "vm_rss"), m->vmrss);
			m->vmswap = (uint32_t)puint(ev, pidx(ev, "vm_swap"), m->vmswap);
		}
		break;
	}
	default:
		break;
	}
	if (op != OP_NONE && st->cur_fd && st->cur_fd != st->keep_name) {
		const struct ff_fd *f = st->cur_fd;
		int changed =
		    f != fd_before
		        ? f->name.len != 0
		        : snap && (f->name.len != name_len_before ||
		                   memcmp(st->name_before, dstr_c(&f->name), name_len_before) != 0);
		if (changed)
			st->renamed = st->cur_fd;
	}
	return rc;
}

/* ---------------------------------------------------------------- accessors */

const struct ff_thread *ff_state_evt_thread(const struct ff_state *st)
{
	return st->cur;
}
const struct ff_fd *ff_state_evt_fd(const struct ff_state *st)
{
	return st->cur_fd;
}
const struct ff_thread *ff_state_thread(const struct ff_state *st, int64_t tid)
{
	return thread_find(st, tid);
}
const struct ff_thread *ff_state_parent(const struct ff_state *st, const struct ff_thread *t)
{
	return t->ptid >= 0 ? thread_find(st, t->ptid) : NULL;
}
const struct ff_thread *ff_state_main_thread(const struct ff_state *st, const struct ff_thread *t)
{
	return t->tid == t->pid ? t : thread_find(st, t->pid);
}
const struct ff_fd *ff_state_fd(const struct ff_state *st, const struct ff_thread *t, int64_t fd)
{
	return fd_get(st, (struct ff_thread *)t, fd);
}
size_t ff_state_nthreads(const struct ff_state *st)
{
	return st->nthreads;
}
size_t ff_state_nfds(const struct ff_state *st)
{
	return st->nfds;
}

static const char *uname_of(const struct uent *v, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].id == id)
			return v[i].name;
	return NULL;
}
const char *ff_state_user_name(const struct ff_state *st, uint32_t uid)
{
	return uname_of(st->users, st->nusers, uid);
}
const char *ff_state_group_name(const struct ff_state *st, uint32_t gid)
{
	return uname_of(st->groups, st->ngroups, gid);
}

int64_t ff_thread_tid(const struct ff_thread *t)
{
	return t->tid;
}
int64_t ff_thread_pid(const struct ff_thread *t)
{
	return t->pid;
}
int64_t ff_thread_ptid(const struct ff_thread *t)
{
	return t->ptid;
}
int64_t ff_thread_sid(const struct ff_thread *t)
{
	return t->sid;
}
int64_t ff_thread_vpgid(const struct ff_thread *t)
{
	return t->vpgid;
}
int64_t ff_thread_vtid(const struct ff_thread *t)
{
	return t->vtid;
}
int64_t ff_thread_vpid(const struct ff_thread *t)
{
	return t->vpid;
}
int64_t ff_thread_fdlimit(const struct ff_thread *t)
{
	return t->fdlimit;
}
const char *ff_thread_comm(const struct ff_thread *t)
{
	return dstr_c(&t->comm);
}
const char *ff_thread_exe(const struct ff_thread *t)
{
	return dstr_c(&t->exe);
}
const char *ff_thread_exepath(const struct ff_thread *t)
{
	return dstr_c(&t->exepath);
}
const char *ff_thread_args(const struct ff_thread *t, uint32_t *len)
{
	*len = t->args.len;
	return dstr_c(&t->args);
}
const char *ff_thread_env(const struct ff_thread *t, uint32_t *len)
{
	*len = t->env.len;
	return dstr_c(&t->env);
}
const char *ff_thread_cgroups(const struct ff_thread *t, uint32_t *len)
{
	*len = t->cgroups.len;
	return dstr_c(&t->cgroups);
}
const char *ff_thread_root(const struct ff_thread *t)
{
	return dstr_c(&t->root);
}
const char *ff_thread_container_id(const struct ff_thread *t)
{
	return t->container;
}
const char *ff_fd_nameraw(const struct ff_fd *f)
{
	return dstr_c(&f->raw);
}
const char *ff_thread_container_id_falco(const struct ff_thread *t, int *kind)
{
	if (kind)
		*kind = t->fkind;
	return t->fcontainer;
}
const char *ff_thread_trusted_exepath(const struct ff_thread *t)
{
	return t->has_trusted ? dstr_c(&t->trusted) : NULL;
}
uint64_t ff_thread_exe_ctime_dur(const struct ff_thread *t)
{
	return t->ctime_dur;
}
uint32_t ff_thread_uid(const struct ff_thread *t)
{
	return t->uid;
}
uint32_t ff_thread_gid(const struct ff_thread *t)
{
	return t->gid;
}
uint32_t ff_thread_loginuid(const struct ff_thread *t)
{
	return t->loginuid;
}
uint32_t ff_thread_tty(const struct ff_thread *t)
{
	return t->tty;
}
uint32_t ff_thread_flags(const struct ff_thread *t)
{
	return t->flags;
}
int ff_thread_is_main(const struct ff_thread *t)
{
	return t->tid == t->pid;
}
int ff_thread_exited(const struct ff_thread *t)
{
	return (t->flags & CL_CLOSED) != 0;
}

int64_t ff_fd_num(const struct ff_fd *f)
{
	return f->fd;
}
uint8_t ff_fd_type(const struct ff_fd *f)
{
	return f->type;
}
char ff_fd_typechar(const struct ff_fd *f)
{
	static const char tc[] = {
		[FF_FD_UNKNOWN] = 'o',       [FF_FD_FILE] = 'f',        [FF_FD_DIRECTORY] = 'd',
		[FF_FD_IPV4_SOCK] = '4',     [FF_FD_IPV6_SOCK] = '6',   [FF_FD_IPV4_SERVSOCK] = '4',
		[FF_FD_IPV6_SERVSOCK] = '6', [FF_FD_FIFO] = 'p',        [FF_FD_UNIX_SOCK] = 'u',
		[FF_FD_EVENT] = 'e',         [FF_FD_UNSUPPORTED] = 'X', [FF_FD_SIGNALFD] = 's',
		[FF_FD_EVENTPOLL] = 'l',     [FF_FD_INOTIFY] = 'i',     [FF_FD_TIMERFD] = 't',
		[FF_FD_NETLINK] = 'n',       [FF_FD_FILE_V2] = 'f'
	};
	return f->type <= FF_FD_FILE_V2 ? tc[f->type] : '?';
}
uint8_t ff_fd_l4proto(const struct ff_fd *f)
{
	switch (f->type) {
	case FF_FD_IPV4_SOCK:
	case FF_FD_IPV6_SOCK:
		if (f->l4proto == L4_RAW)
			return L4_RAW;
		/* sinsp: a socket that is neither client nor server has no protocol yet */
		if (!(f->flags & (FDF_ROLE_CLIENT | FDF_ROLE_SERVER)))
			return L4_NA;
		return f->l4proto;
	case FF_FD_IPV4_SERVSOCK:
	case FF_FD_IPV6_SERVSOCK:
		return f->l4proto;
	default:
		return L4_NA;
	}
}
const char *ff_fd_name(const struct ff_fd *f)
{
	return dstr_c(&f->name);
}
uint32_t ff_fd_open_flags(const struct ff_fd *f)
{
	return f->open_flags;
}
void ff_fd_tuple(const struct ff_fd *f, uint8_t sip[16], uint16_t *sport, uint8_t dip[16],
                 uint16_t *dport)
{
	memcpy(sip, f->sip, 16);
	memcpy(dip, f->dip, 16);
	*sport = f->sport;
	*dport = f->dport;
}
int ff_fd_is_server(const struct ff_fd *f)
{
	return (f->flags & FDF_ROLE_SERVER) != 0;
}

/* ---------------------------------------------------------------- for fields */

void ff_state_keep_enters(struct ff_state *st, int on)
{
	st->store_all = on != 0;
}

void ff_state_falco_view(struct ff_state *st, int on)
{
	st->falco = on != 0;
}

int ff_state_evt_enter(const struct ff_state *st, const struct ff_evt *ev, struct ff_evt *out)
{
	const struct ff_thread *t = st->cur;
	const struct ff_event_info *in = ff_evt_info(ev);
	struct ff_err e;
	uint32_t len;
	if (!t || !in || in->dir != 'X' || !t->last_valid || !t->has_enter)
		return 0;
	memcpy(&len, t->enter + 16, 4);
	if (ff_evt_init(out, t->enter, len, &e))
		return 0;
	return out->type == ev->type - 1;
}

uint64_t ff_state_evt_latency(const struct ff_state *st)
{
	return st->cur ? st->cur->latency : 0;
}

int ff_state_evt_hidden(const struct ff_state *st)
{
	return st->hidden;
}

const struct ff_container *ff_state_container(const struct ff_state *st, const char *id)
{
	return ff_containers_get(st->containers, id);
}

uint64_t ff_state_container_errors(const struct ff_state *st, const char **first)
{
	if (first)
		*first = st->container_err;
	return st->bad_containers;
}

int ff_state_evt_fd_renamed(const struct ff_state *st)
{
	return st->renamed != NULL && st->renamed == st->cur_fd;
}

int64_t ff_state_evt_fdnum(const struct ff_state *st)
{
	return st->cur ? st->cur->last_fd : -1;
}

int ff_state_ip_is_local(const struct ff_state *st, int v6, const uint8_t *ip)
{
	if (!v6) {
		for (size_t i = 0; i < st->nif4; i++)
			if (!memcmp(st->if4[i], ip, 4))
				return 1;
		return 0;
	}
	/* sinsp: same first 64 bits as an interface (so :: is local, like ::1) */
	for (size_t i = 0; i < st->nif6; i++)
		if (!memcmp(st->if6[i], ip, 8))
			return 1;
	return 0;
}

static const struct uent *user_of(const struct ff_state *st, uint32_t uid)
{
	for (size_t i = 0; i < st->nusers; i++)
		if (st->users[i].id == uid)
			return &st->users[i];
	return NULL;
}
const char *ff_state_user_home(const struct ff_state *st, uint32_t uid)
{
	const struct uent *u = user_of(st, uid);
	return u ? u->home : NULL;
}
const char *ff_state_user_shell(const struct ff_state *st, uint32_t uid)
{
	const struct uent *u = user_of(st, uid);
	return u ? u->shell : NULL;
}

uint64_t ff_thread_clone_ts(const struct ff_thread *t)
{
	return t->clone_ts;
}
void ff_thread_vm(const struct ff_thread *t, uint32_t *size_kb, uint32_t *rss_kb, uint32_t *swap_kb)
{
	*size_kb = t->vmsize;
	*rss_kb = t->vmrss;
	*swap_kb = t->vmswap;
}
void ff_thread_pagefaults(const struct ff_thread *t, uint64_t *major, uint64_t *minor)
{
	*major = t->pfmajor;
	*minor = t->pfminor;
}
int ff_thread_caps(const struct ff_thread *t, uint64_t *inheritable, uint64_t *permitted,
                   uint64_t *effective)
{
	*inheritable = t->cap_inh;
	*permitted = t->cap_perm;
	*effective = t->cap_eff;
	return t->has_caps;
}
int ff_thread_exe_flags(const struct ff_thread *t)
{
	return (t->exe_flags & 0x80) ? (t->exe_flags & 0x7f) : -1;
}
void ff_thread_exe_times(const struct ff_thread *t, uint64_t *ctime, uint64_t *mtime)
{
	*ctime = t->exe_ino_ctime;
	*mtime = t->exe_ino_mtime;
}
uint64_t ff_thread_pidns_start(const struct ff_thread *t)
{
	return t->pidns_ts;
}
uint32_t ff_thread_nchilds(const struct ff_thread *t)
{
	return t->nchilds;
}
size_t ff_state_fd_count(const struct ff_state *st, const struct ff_thread *t)
{
	return fdtab_of(st, (struct ff_thread *)t)->n;
}

int ff_fd_connected(const struct ff_fd *f)
{
	return (f->flags & FDF_CONNECTED) != 0;
}
int ff_fd_role(const struct ff_fd *f)
{
	return (f->flags & FDF_ROLE_SERVER) ? 2 : (f->flags & FDF_ROLE_CLIENT) ? 1 : 0;
}
uint32_t ff_fd_dev(const struct ff_fd *f)
{
	return f->dev;
}
uint64_t ff_fd_ino(const struct ff_fd *f)
{
	return f->ino;
}
