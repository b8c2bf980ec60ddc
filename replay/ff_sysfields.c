/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Syscall field extractors (ff_sysfields.h).  One definition table, one
 * extractor switching on the field id kept in def->user.  Values point into
 * the raw event, into the state (valid until the next ff_state_update) or
 * into a per-event arena that ff_sysctx_set_event() recycles, so the steady
 * state does not allocate.  Semantics follow sysdig 0.29.3's libsinsp
 * (checked against it by tests/e2e/replay_fields.sh); fields it lacks follow
 * docs/fields.md.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ff_containers.h"
#include "ff_dns.h"
#include "ff_meta.h"
#include "ff_path.h"
#include "ff_render.h"
#include "ff_sysfields.h"

#define PPM_O_RDONLY (1u << 0)
#define PPM_O_WRONLY (1u << 1)
#define PPM_O_CREAT (1u << 2)
#define PPM_O_TMPFILE (1u << 13)
#define PPM_S_IXALL 0111u
#define NSEC 1000000000ull
#define MAX_ANCESTORS 256 /* bounds ancestor walks (and loops in bad captures) */

/* ---------------------------------------------------------------- context */

struct chunk {
	struct chunk *next;
	size_t cap, used;
	char data[];
};

struct ff_sysctx {
	const struct ff_state *st;
	const struct ff_evt *ev;
	uint64_t evtnum;
	uint64_t gen;
	uint64_t first_ts; /* evt.reltime */
	uint64_t delta_ts; /* evt.deltatime: ts of the last event it was asked for */
	unsigned flags;
	int enter_state; /* 0 not looked up, 1 have, -1 none */
	struct ff_evt enter;
	struct chunk *arena;
	struct ff_sbuf sb, scratch;
	struct ff_value list[MAX_ANCESTORS + 2];
};

int ff_sysctx_new(struct ff_sysctx **out, const struct ff_state *st, struct ff_err *err)
{
	struct ff_sysctx *c = calloc(1, sizeof(*c));
	if (!c)
		return ff_errf(err, -ENOMEM, "out of memory");
	c->st = st;
	*out = c;
	return 0;
}

void ff_sysctx_free(struct ff_sysctx *c)
{
	if (!c)
		return;
	while (c->arena) {
		struct chunk *n = c->arena->next;
		free(c->arena);
		c->arena = n;
	}
	ff_sbuf_free(&c->sb);
	ff_sbuf_free(&c->scratch);
	free(c);
}

void ff_sysctx_set_flags(struct ff_sysctx *c, unsigned flags)
{
	c->flags = flags;
}

uint64_t ff_sysctx_set_event(struct ff_sysctx *c, const struct ff_evt *ev, uint64_t evtnum)
{
	c->ev = ev;
	c->evtnum = evtnum;
	if (!c->first_ts)
		c->first_ts = ev->ts;
	c->enter_state = 0;
	for (struct chunk *k = c->arena; k; k = k->next)
		k->used = 0;
	return ++c->gen;
}

/* Per-event storage; NULL on -ENOMEM. */
static char *arena_alloc(struct ff_sysctx *c, size_t n)
{
	struct chunk *k;
	for (k = c->arena; k; k = k->next)
		if (k->cap - k->used >= n)
			break;
	if (!k) {
		size_t cap = n > 65536 ? n : 65536;
		k = malloc(sizeof(*k) + cap);
		if (!k)
			return NULL;
		k->cap = cap;
		k->used = 0;
		k->next = c->arena;
		c->arena = k;
	}
	char *p = k->data + k->used;
	k->used += n;
	return p;
}

static int keep(struct ff_sysctx *c, const char *s, size_t n, struct ff_value *out)
{
	char *p = arena_alloc(c, n + 1);
	if (!p)
		return -ENOMEM;
	if (n)
		memcpy(p, s, n);
	p[n] = 0;
	out->s.p = p;
	out->s.len = n;
	return 0;
}

/* the string built in c->sb, kept for the event */
static int keep_sb(struct ff_sysctx *c, int rc, struct ff_value *out)
{
	if (rc)
		return -ENOMEM;
	return keep(c, c->sb.p ? c->sb.p : "", c->sb.len, out);
}

static int sval(const char *s, struct ff_value *out)
{
	out->s.p = s;
	out->s.len = strlen(s);
	return 0;
}

static const struct ff_evt *enter_evt(struct ff_sysctx *c)
{
	if (c->enter_state == 0)
		c->enter_state = ff_state_evt_enter(c->st, c->ev, &c->enter) ? 1 : -1;
	return c->enter_state > 0 ? &c->enter : NULL;
}

/* ---------------------------------------------------------------- helpers */

static const struct ff_event_info *info(const struct ff_sysctx *c)
{
	return ff_evt_info(c->ev);
}

/* index of parameter `name` among those sysdig shows (2022 layout), or -1 */
static int pidx2022(const struct ff_evt *ev, const char *name)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	unsigned n = ff_render_nparams(ev);
	for (unsigned i = 0; in && i < n; i++)
		if (in->params[i].name[0] == name[0] && strcmp(in->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* index over every recorded parameter (newer drivers' additions too) */
static int pidx_all(const struct ff_evt *ev, const char *name)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	unsigned n = in ? (in->nparams < ev->nparams ? in->nparams : ev->nparams) : 0;
	for (unsigned i = 0; i < n; i++)
		if (in->params[i].name[0] == name[0] && strcmp(in->params[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int falco(const struct ff_sysctx *c)
{
	return (c->flags & FF_SYSCTX_FALCO) != 0;
}

/* parameter index in the layout the view shows: sysdig's 2022 one, or
 * current libs' (names and all recorded parameters) */
static int pidx_v(const struct ff_sysctx *c, const struct ff_evt *ev, const char *name)
{
	return falco(c) ? ff_render_param_index26(ev, name) : pidx2022(ev, name);
}

/* "res" of an exit event, or its created fd (sinsp's TYPE_RESRAW rule) */
static int evt_res(const struct ff_sysctx *c, int64_t *res)
{
	const struct ff_event_info *in = info(c);
	int ok = 0, i = pidx_v(c, c->ev, "res");
	if (i < 0 && in && (in->flags & FF_EF_CREATES_FD) && in->dir == 'X')
		i = pidx_v(c, c->ev, "fd");
	if (i < 0)
		return 0;
	*res = ff_evt_param_int(c->ev, (unsigned)i, &ok);
	return ok;
}

/* NUL-separated strings joined by spaces into c->sb */
static int join_nul(struct ff_sysctx *c, const char *p, uint32_t len)
{
	int rc = 0;
	uint32_t i = 0;
	int first = 1;
	while (i < len) {
		size_t n = strnlen(p + i, len - i);
		if (!first)
			rc |= ff_sbuf_put(&c->sb, " ", 1);
		rc |= ff_sbuf_put(&c->sb, p + i, n);
		first = 0;
		i += (uint32_t)n + 1;
	}
	return rc;
}

/* current libs' argument list: one final NUL dropped, then every NUL a
 * separator ("a\0\0" is "a" and ""); with `lead`, a space before any */
static int join_args26(struct ff_sysctx *c, const char *p, uint32_t len, int lead)
{
	if (len && !p[len - 1])
		len--;
	if (!len)
		return 0;
	size_t start = c->sb.len;
	if ((lead && ff_sbuf_put(&c->sb, " ", 1)) || ff_sbuf_put(&c->sb, p, len))
		return -ENOMEM;
	for (size_t i = start; i < c->sb.len; i++)
		if (!c->sb.p[i])
			c->sb.p[i] = ' ';
	return 0;
}

/* value of KEY in NUL-separated KEY=VALUE strings */
static const char *kv_find(const char *p, uint32_t len, const char *key, size_t kl, size_t *vl)
{
	uint32_t i = 0;
	while (i < len) {
		size_t n = strnlen(p + i, len - i);
		if (n > kl && memcmp(p + i, key, kl) == 0 && p[i + kl] == '=') {
			*vl = n - kl - 1;
			return p + i + kl + 1;
		}
		i += (uint32_t)n + 1;
	}
	return NULL;
}

/* the container id of the view: "host" or an id */
static const char *cid_view(const struct ff_sysctx *c, const struct ff_thread *t, int *kind)
{
	if (falco(c))
		return ff_thread_container_id_falco(t, kind);
	if (kind)
		*kind = 0;
	return ff_thread_container_id(t);
}

/* sinsp's container id: empty for host processes */
static const char *cid_of_v(const struct ff_sysctx *c, const struct ff_thread *t)
{
	const char *id = cid_view(c, t, NULL);
	return strcmp(id, "host") == 0 ? "" : id;
}
#define cid_of(t) cid_of_v(c, t)

/* current libs take a recorded trusted_exepath as the exe path */
static const char *exepath_v(const struct ff_sysctx *c, const struct ff_thread *t)
{
	const char *tr = falco(c) ? ff_thread_trusted_exepath(t) : NULL;
	return tr ? tr : ff_thread_exepath(t);
}

static const struct ff_thread *main_of(const struct ff_sysctx *c, const struct ff_thread *t)
{
	return ff_thread_is_main(t) ? t : ff_state_main_thread(c->st, t);
}

/* ancestor n of t's process (0 = its main thread), NULL past the known chain */
static const struct ff_thread *ancestor(const struct ff_sysctx *c, const struct ff_thread *t,
                                        int64_t n)
{
	const struct ff_thread *m = main_of(c, t);
	for (int64_t i = 0; m && i < n; i++) {
		if (i >= MAX_ANCESTORS)
			return NULL;
		m = ff_state_parent(c->st, m);
		/* current libs go on from the parent's process */
		if (m && falco(c))
			m = main_of(c, m);
	}
	return m;
}

static int put_cmdline(struct ff_sysctx *c, const struct ff_thread *t)
{
	uint32_t al;
	const char *a = ff_thread_args(t, &al);
	int rc = ff_sbuf_puts(&c->sb, ff_thread_comm(t));
	if (falco(c))
		return rc | join_args26(c, a, al, 1);
	if (al) {
		rc |= ff_sbuf_put(&c->sb, " ", 1);
		rc |= join_nul(c, a, al);
	}
	return rc;
}

static const char *const cap_names[] = {
	"CAP_CHOWN",
	"CAP_DAC_OVERRIDE",
	"CAP_DAC_READ_SEARCH",
	"CAP_FOWNER",
	"CAP_FSETID",
	"CAP_KILL",
	"CAP_SETGID",
	"CAP_SETUID",
	"CAP_SETPCAP",
	"CAP_LINUX_IMMUTABLE",
	"CAP_NET_BIND_SERVICE",
	"CAP_NET_BROADCAST",
	"CAP_NET_ADMIN",
	"CAP_NET_RAW",
	"CAP_IPC_LOCK",
	"CAP_IPC_OWNER",
	"CAP_SYS_MODULE",
	"CAP_SYS_RAWIO",
	"CAP_SYS_CHROOT",
	"CAP_SYS_PTRACE",
	"CAP_SYS_PACCT",
	"CAP_SYS_ADMIN",
	"CAP_SYS_BOOT",
	"CAP_SYS_NICE",
	"CAP_SYS_RESOURCE",
	"CAP_SYS_TIME",
	"CAP_SYS_TTY_CONFIG",
	"CAP_MKNOD",
	"CAP_LEASE",
	"CAP_AUDIT_WRITE",
	"CAP_AUDIT_CONTROL",
	"CAP_SETFCAP",
	"CAP_MAC_OVERRIDE",
	"CAP_MAC_ADMIN",
	"CAP_SYSLOG",
	"CAP_WAKE_ALARM",
	"CAP_BLOCK_SUSPEND",
	"CAP_AUDIT_READ",
	"CAP_PERFMON",
	"CAP_BPF",
	"CAP_CHECKPOINT_RESTORE",
};

static int put_caps(struct ff_sysctx *c, uint64_t set)
{
	int rc = 0, first = 1;
	for (unsigned i = 0; i < sizeof(cap_names) / sizeof(cap_names[0]); i++) {
		if (!(set & (1ull << i)))
			continue;
		if (!first)
			rc |= ff_sbuf_put(&c->sb, " ", 1);
		rc |= ff_sbuf_puts(&c->sb, cap_names[i]);
		first = 0;
	}
	return rc;
}

/* ---------------------------------------------------------------- fds */

static int is_sock(uint8_t type)
{
	return type == FF_FD_IPV4_SOCK || type == FF_FD_IPV6_SOCK;
}
static int is_servsock(uint8_t type)
{
	return type == FF_FD_IPV4_SERVSOCK || type == FF_FD_IPV6_SERVSOCK;
}
static int is_v6(uint8_t type)
{
	return type == FF_FD_IPV6_SOCK || type == FF_FD_IPV6_SERVSOCK;
}

/* fd of the event: 1 with *f (may be NULL: an fd event whose fd is unknown),
 * 0 when the event concerns no fd at all (every fd.* field is missing) */
static int evt_fd(const struct ff_sysctx *c, const struct ff_fd **f)
{
	const struct ff_event_info *in = info(c);
	const struct ff_thread *t = ff_state_evt_thread(c->st);
	*f = NULL;
	if (!in || !(in->flags & (FF_EF_CREATES_FD | FF_EF_USES_FD | FF_EF_DESTROYS_FD)) || !t)
		return 0;
	*f = ff_state_evt_fd(c->st);
	if (!*f) {
		int64_t n = ff_state_evt_fdnum(c->st);
		if (n != -1)
			*f = ff_state_fd(c->st, t, n);
	}
	return 1;
}

static void set_ip(struct ff_value *out, int v6, const uint8_t *a)
{
	memset(&out->ip, 0, sizeof(out->ip));
	out->ip.family = v6 ? 6 : 4;
	out->ip.bits = v6 ? 128 : 32;
	memcpy(out->ip.a, a, v6 ? 16 : 4);
}

#define AT_FDCWD_PPM (-100)

/* the path a failed openat names, resolved as sinsp's open parser does (the
 * dirfd's name and '/', "<UNKNOWN>" for an unknown dirfd, the cwd for
 * AT_FDCWD), under its path size limit */
static int openat_name(struct ff_sysctx *c, struct ff_value *out)
{
	const struct ff_evt *ev = c->ev;
	const struct ff_thread *t = ff_state_evt_thread(c->st);
	int i = pidx_v(c, ev, "name");
	if (i < 0) {
		/* old openat exit: the path is in the enter event */
		ev = enter_evt(c);
		if (!ev || (i = pidx_v(c, ev, "name")) < 0)
			return sval("", out);
	}
	uint32_t len = 0;
	const char *name = (const char *)ff_evt_param(ev, (unsigned)i, &len);
	int di = pidx_v(c, ev, "dirfd"), ok = 0;
	int64_t dirfd = di >= 0 ? ff_evt_param_int(ev, (unsigned)di, &ok) : AT_FDCWD_PPM;
	if (!name || !t)
		return sval("", out);
	ff_sbuf_reset(&c->scratch);
	int rc = 0;
	if (len && name[0] == '/') {
		rc = ff_sbuf_puts(&c->scratch, ".");
	} else if (!ok || dirfd == AT_FDCWD_PPM) {
		rc = ff_sbuf_puts(&c->scratch, ff_state_cwd(c->st, t));
	} else {
		const struct ff_fd *d = ff_state_fd(c->st, t, dirfd);
		rc = d ? ff_sbuf_puts(&c->scratch, ff_fd_name(d)) | ff_sbuf_put(&c->scratch, "/", 1)
		       : ff_sbuf_puts(&c->scratch, "<UNKNOWN>");
	}
	if (rc)
		return -ENOMEM;
	char *p = arena_alloc(c, c->scratch.len + len + 16);
	if (!p)
		return -ENOMEM;
	out->s.len =
	    ff_path_concat(p, FF_PATH_SCAP_MAX, c->scratch.p, c->scratch.len, name, len, NULL);
	out->s.p = p;
	return 0;
}

/* name an fd-creating exit event gives even when no fd came out of it */
static int name_from_creator(struct ff_sysctx *c, struct ff_value *out)
{
	const struct ff_event_info *in = info(c);
	const char *n = in->name;
	if (in->dir != 'X')
		return 1;
	ff_sbuf_reset(&c->sb);
	ff_sbuf_reset(&c->scratch);
	int i = -1;
	if (!strcmp(n, "open") || !strcmp(n, "creat") || !strcmp(n, "accept") ||
	    !strcmp(n, "accept4") || !strcmp(n, "connect"))
		i = 1;
	else if (!strcmp(n, "openat") || !strcmp(n, "openat2"))
		return openat_name(c, out);
	if (i < 0)
		return sval("", out);
	if (ff_render_param(c->st, c->ev, (unsigned)i, 0, &c->sb, &c->scratch))
		return sval("", out);
	if (c->scratch.len)
		return keep(c, c->scratch.p, c->scratch.len, out);
	return keep_sb(c, 0, out);
}

static char typechar_of_creator(const struct ff_event_info *in)
{
	const char *n = in->name;
	if (!strcmp(n, "open") || !strcmp(n, "openat") || !strcmp(n, "openat2") ||
	    !strcmp(n, "creat"))
		return 'f';
	if (!strcmp(n, "socket") || !strcmp(n, "accept") || !strcmp(n, "accept4"))
		return '4';
	if (!strcmp(n, "pipe"))
		return 'p';
	if (!strcmp(n, "eventfd"))
		return 'e';
	if (!strcmp(n, "signalfd"))
		return 's';
	if (!strcmp(n, "timerfd_create"))
		return 't';
	if (!strcmp(n, "inotify_init"))
		return 'i';
	return 'o';
}

static const char *fd_typestr(uint8_t type)
{
	switch (type) {
	case FF_FD_FILE:
	case FF_FD_FILE_V2:
		return "file";
	case FF_FD_DIRECTORY:
		return "directory";
	case FF_FD_IPV4_SOCK:
	case FF_FD_IPV4_SERVSOCK:
		return "ipv4";
	case FF_FD_IPV6_SOCK:
	case FF_FD_IPV6_SERVSOCK:
		return "ipv6";
	case FF_FD_UNIX_SOCK:
		return "unix";
	case FF_FD_FIFO:
		return "pipe";
	case FF_FD_EVENT:
		return "event";
	case FF_FD_SIGNALFD:
		return "signalfd";
	case FF_FD_EVENTPOLL:
		return "eventpoll";
	case FF_FD_INOTIFY:
		return "inotify";
	case FF_FD_TIMERFD:
		return "timerfd";
	case FF_FD_NETLINK:
		return "netlink";
	case FF_FD_BPF:
		return "bpf";
	case FF_FD_USERFAULTFD:
		return "userfaultfd";
	case FF_FD_IOURING:
		return "io_uring";
	case FF_FD_MEMFD:
		return "memfd";
	case FF_FD_PIDFD:
		return "pidfd";
	default:
		return "<NA>";
	}
}

/* ---------------------------------------------------------------- field ids */

enum fid {
	/* evt */
	E_NUM,
	E_TIME,
	E_TIME_S,
	E_TIME_ISO,
	E_DATETIME,
	E_DATETIME_S,
	E_OUTPUTTIME,
	E_RAWTIME,
	E_RAWTIME_S,
	E_RAWTIME_NS,
	E_RELTIME,
	E_RELTIME_S,
	E_RELTIME_NS,
	E_LATENCY,
	E_LATENCY_S,
	E_LATENCY_NS,
	E_LATENCY_HUMAN,
	E_DELTATIME,
	E_DELTATIME_S,
	E_DELTATIME_NS,
	E_DIR,
	E_TYPE,
	E_SYSCALL_TYPE,
	E_CATEGORY,
	E_CPU,
	E_ARGS,
	E_ARG,
	E_RAWARG,
	E_INFO,
	E_BUFFER,
	E_BUFLEN,
	E_RES,
	E_RAWRES,
	E_FAILED,
	E_IS_IO,
	E_IS_IO_READ,
	E_IS_IO_WRITE,
	E_IO_DIR,
	E_IS_WAIT,
	E_WAIT_LATENCY,
	E_COUNT,
	E_COUNT_ERROR,
	E_COUNT_EXIT,
	E_IS_OPEN_READ,
	E_IS_OPEN_WRITE,
	E_IS_OPEN_EXEC,
	/* proc / thread */
	P_PID,
	P_EXE,
	P_NAME,
	P_ARGS,
	P_ENV,
	P_CMDLINE,
	P_EXELINE,
	P_CWD,
	P_NTHREADS,
	P_NCHILDS,
	P_PPID,
	P_PNAME,
	P_PCMDLINE,
	P_PEXE,
	P_PEXEPATH,
	P_APID,
	P_ANAME,
	P_AEXE,
	P_AEXEPATH,
	P_LOGINSHELLID,
	P_DURATION,
	P_FDOPENCOUNT,
	P_FDLIMIT,
	P_VMSIZE,
	P_VMRSS,
	P_VMSWAP,
	P_SID,
	P_SNAME,
	P_TTY,
	P_EXEPATH,
	P_VPGID,
	P_VPID,
	P_IS_VPGID_LEADER,
	P_IS_EXE_WRITABLE,
	P_IS_EXE_UPPER,
	P_IS_EXE_MEMFD,
	P_EXE_CTIME,
	P_EXE_MTIME,
	P_EXE_CTIME_DUR,
	P_IS_HEALTHCHECK,
	P_IS_LIVENESS,
	P_IS_READINESS,
	T_TID,
	T_ISMAIN,
	T_VTID,
	T_CGROUPS,
	T_CGROUP,
	T_VMSIZE,
	T_VMRSS,
	T_PFMAJOR,
	T_PFMINOR,
	T_CAP_EFF,
	T_CAP_PERM,
	T_CAP_INH,
	/* user / group */
	U_UID,
	U_NAME,
	U_HOMEDIR,
	U_SHELL,
	U_LOGINUID,
	U_LOGINNAME,
	G_GID,
	G_NAME,
	/* fd */
	F_NUM,
	F_TYPE,
	F_TYPECHAR,
	F_NAME,
	F_NAMERAW,
	F_DIRECTORY,
	F_FILENAME,
	F_IP,
	F_CIP,
	F_SIP,
	F_LIP,
	F_RIP,
	F_PORT,
	F_CPORT,
	F_SPORT,
	F_LPORT,
	F_RPORT,
	F_L4PROTO,
	F_SOCKFAMILY,
	F_IS_SERVER,
	F_UID,
	F_CONTAINERNAME,
	F_CONTAINERDIR,
	F_NET,
	F_CNET,
	F_SNET,
	F_LNET,
	F_RNET,
	F_CONNECTED,
	F_NAME_CHANGED,
	F_CIP_NAME,
	F_SIP_NAME,
	F_LIP_NAME,
	F_RIP_NAME,
	F_DEV,
	F_DEV_MAJOR,
	F_DEV_MINOR,
	F_INO,
	/* fs.path */
	FS_NAME,
	FS_NAMERAW,
	FS_SOURCE,
	FS_SOURCERAW,
	FS_TARGET,
	FS_TARGETRAW,
	/* container */
	C_ID,
	C_FULL_ID,
	C_NAME,
	C_IMAGE,
	C_IMAGE_ID,
	C_IMAGE_REPO,
	C_IMAGE_TAG,
	C_IMAGE_DIGEST,
	C_TYPE,
	C_PRIVILEGED,
	C_MOUNTS,
	C_MOUNT,
	C_MOUNT_SOURCE,
	C_MOUNT_DEST,
	C_MOUNT_MODE,
	C_MOUNT_RDWR,
	C_MOUNT_PROPAGATION,
	C_HEALTHCHECK,
	C_LIVENESS,
	C_READINESS,
	C_START_TS,
	/* k8s: known names, never a value in a replay */
	K_NONE,
};

/* ---------------------------------------------------------------- time */

/* datefmt: "T" time, "D" date and time, "I" ISO 8601 */
static int put_time(struct ff_sysctx *c, uint64_t ts, int utc, const char *datefmt, int ns,
                    const char *suffix, struct ff_value *out)
{
	time_t sec = (time_t)(ts / NSEC);
	struct tm tm;
	char b[96];
	if (!(utc ? gmtime_r(&sec, &tm) : localtime_r(&sec, &tm)))
		return 1;
	size_t n = datefmt[0] == 'T'   ? strftime(b, sizeof(b), "%H:%M:%S", &tm)
	           : datefmt[0] == 'I' ? strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm)
	                               : strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S", &tm);
	if (ns)
		n += (size_t)snprintf(b + n, sizeof(b) - n, ".%09u", (unsigned)(ts % NSEC));
	if (suffix)
		n += (size_t)snprintf(b + n, sizeof(b) - n, "%s", suffix);
	return keep(c, b, n, out);
}

/* sysdig's human-readable duration, digits truncated (not rounded):
 * "3.43us", "15us", "1.20ms", "12ms", "2.05s", "1:05", "01:02:03" */
static int put_human(struct ff_sysctx *c, uint64_t ns, struct ff_value *out)
{
	char b[48];
	int n;
	unsigned s = (unsigned)(ns / NSEC);
	if (ns >= 3600ull * NSEC)
		n = snprintf(b, sizeof(b), "%.2u:%.2u:%.2u", s / 3600, (s / 60) % 60, s % 60);
	else if (ns >= 60ull * NSEC)
		n = snprintf(b, sizeof(b), "%u:%u", s / 60, s % 60);
	else if (ns >= NSEC)
		n = snprintf(b, sizeof(b), "%u.%02us", s, (unsigned)((ns % NSEC) / 10000000));
	else if (ns >= 10000000)
		n = snprintf(b, sizeof(b), "%ums", (unsigned)(ns / 1000000));
	else if (ns >= 1000000)
		n = snprintf(b, sizeof(b), "%u.%02ums", (unsigned)(ns / 1000000),
		             (unsigned)((ns % 1000000) / 10000));
	else if (ns >= 10000)
		n = snprintf(b, sizeof(b), "%uus", (unsigned)(ns / 1000));
	else if (ns >= 1000)
		n = snprintf(b, sizeof(b), "%u.%02uus", (unsigned)(ns / 1000),
		             (unsigned)((ns % 1000) / 10));
	else
		n = snprintf(b, sizeof(b), "%uns", (unsigned)ns);
	return keep(c, b, (size_t)n, out);
}

/* ---------------------------------------------------------------- evt.arg */

/* parameter index named by `arg` in ev (index form or name), -1 if absent */
static int arg_index(const struct ff_evt *ev, const struct ff_field_arg *arg)
{
	if (arg->is_index)
		return arg->idx < (int64_t)ff_render_nparams(ev) ? (int)arg->idx : -1;
	return pidx2022(ev, arg->str);
}

/* evt.arg as current libs show it: a parameter of their layout (one an older
 * recording lacks from the enter event, as their converter fills it, else
 * empty), resolved form first */
static int x_arg26(struct ff_sysctx *c, const struct ff_field_arg *arg, int flags,
                   struct ff_value *out)
{
	const struct ff_evt *ev = c->ev;
	const struct ff_event_info *in = ff_render_info26(ev);
	const char *name = NULL;
	int i;
	if (!in)
		return 1;
	if (arg->is_index) {
		if (arg->idx < 0 || arg->idx >= (int64_t)in->nparams_2026)
			return 1;
		name = in->params_2026[arg->idx].name;
		i = arg->idx < (int64_t)ev->nparams ? (int)arg->idx : -1;
	} else {
		i = -1;
		for (unsigned k = 0; k < in->nparams_2026 && !name; k++)
			if (strlen(in->params_2026[k].name) == arg->len &&
			    !memcmp(in->params_2026[k].name, arg->str, arg->len))
				name = in->params_2026[k].name, i = k < ev->nparams ? (int)k : -1;
		if (!name)
			return 1;
	}
	if (i < 0 && (c->flags & FF_SYSCTX_MERGE_ENTER)) {
		ev = enter_evt(c);
		i = ev ? ff_render_param_index26(ev, name) : -1;
	}
	if (i < 0) {
		const struct ff_param_info *pi = &in->params_2026[0];
		while (strcmp(pi->name, name))
			pi++;
		return sval(ff_render_empty26(pi->type), out);
	}
	ff_sbuf_reset(&c->sb);
	ff_sbuf_reset(&c->scratch);
	int rc =
	    ff_render_param(c->st, ev, (unsigned)i, flags | FF_RENDER_2026, &c->sb, &c->scratch);
	if (rc == -ENOENT)
		return 1;
	if (rc)
		return rc;
	if (c->scratch.len)
		return keep(c, c->scratch.p, c->scratch.len, out);
	return keep_sb(c, 0, out);
}

static int x_arg(struct ff_sysctx *c, const struct ff_field_arg *arg, int flags,
                 struct ff_value *out)
{
	const struct ff_evt *ev = c->ev;
	if (falco(c))
		return x_arg26(c, arg, flags, out);
	int i = arg_index(ev, arg);
	if (i < 0 && (c->flags & FF_SYSCTX_MERGE_ENTER) && !arg->is_index) {
		ev = enter_evt(c);
		i = ev ? arg_index(ev, arg) : -1;
	}
	if (i < 0)
		return 1;
	ff_sbuf_reset(&c->sb);
	ff_sbuf_reset(&c->scratch);
	int rc = ff_render_param(c->st, ev, (unsigned)i, flags, &c->sb, &c->scratch);
	if (rc == -ENOENT)
		return 1;
	if (rc)
		return rc;
	if (c->scratch.len)
		return keep(c, c->scratch.p, c->scratch.len, out);
	return keep_sb(c, 0, out);
}

static int x_rawarg(struct ff_sysctx *c, const struct ff_field_arg *arg, struct ff_value *out)
{
	const struct ff_evt *ev = c->ev;
	int i = falco(c) ? ff_render_param_index26(ev, arg->str) : pidx_all(ev, arg->str);
	if (i < 0 && (c->flags & FF_SYSCTX_MERGE_ENTER)) {
		ev = enter_evt(c);
		i = !ev        ? -1
		    : falco(c) ? ff_render_param_index26(ev, arg->str)
		               : pidx_all(ev, arg->str);
	}
	int ok = 0;
	if (i < 0)
		return 1;
	out->i = ff_evt_param_int(ev, (unsigned)i, &ok);
	return ok ? 0 : 1;
}

/* evt.arg.NAME / evt.rawarg.NAME must name a parameter of some event */
static int check_evtarg(const struct ff_field_def *def, struct ff_field_arg *arg,
                        struct ff_err *err)
{
	int raw = strcmp(def->name, "evt.rawarg") == 0;
	if (arg->is_index) {
		if (raw)
			return ff_errf(err, -EINVAL, "evt.rawarg fields must name the argument");
		return 0;
	}
	for (unsigned id = 0; id < FF_EVENT_MAX; id++) {
		const struct ff_event_info *in = &ff_event_table[id];
		for (unsigned k = 0; in->name && k < in->nparams; k++) {
			const struct ff_param_info *pi = &in->params[k];
			if (strlen(pi->name) != arg->len || memcmp(pi->name, arg->str, arg->len))
				continue;
			if (!raw)
				return 0;
			switch (pi->type) {
			case FF_PT_CHARBUF:
			case FF_PT_BYTEBUF:
			case FF_PT_FSPATH:
			case FF_PT_FSRELPATH:
			case FF_PT_SOCKADDR:
			case FF_PT_SOCKTUPLE:
			case FF_PT_FDLIST:
				continue; /* some other event may have it as a number */
			default:
				return 0;
			}
		}
	}
	return ff_errf(err, -ENOENT, "unknown event argument '%.*s'%s", (int)arg->len, arg->str,
	               raw ? " (or not a number, for evt.rawarg)" : "");
}

static int check_index(const struct ff_field_def *def, struct ff_field_arg *arg, struct ff_err *err)
{
	if (arg->present && !arg->is_index)
		return ff_errf(err, -EINVAL, "field '%s' needs a numeric index", def->name);
	return 0;
}

/* ---------------------------------------------------------------- extractor */

static int x_evt(struct ff_sysctx *c, enum fid id, const struct ff_field_arg *arg,
                 struct ff_value *out)
{
	const struct ff_evt *ev = c->ev;
	const struct ff_event_info *in = info(c);
	int64_t res;
	uint64_t lat;

	switch (id) {
	case E_NUM:
		out->u = c->evtnum;
		return 0;
	case E_TIME:
	case E_OUTPUTTIME:
		return put_time(c, ev->ts, 0, "T", 1, NULL, out);
	case E_TIME_S:
		return put_time(c, ev->ts, 0, "T", 0, NULL, out);
	case E_TIME_ISO:
		return put_time(c, ev->ts, 1, "I", 1, "+0000", out);
	case E_DATETIME:
		return put_time(c, ev->ts, 0, "D", 1, NULL, out);
	case E_DATETIME_S:
		return put_time(c, ev->ts, 0, "D", 0, NULL, out);
	case E_RAWTIME:
		out->u = ev->ts;
		return 0;
	case E_RAWTIME_S:
		out->u = ev->ts / NSEC;
		return 0;
	case E_RAWTIME_NS:
		out->u = ev->ts % NSEC;
		return 0;
	case E_RELTIME:
		out->u = ev->ts - c->first_ts;
		return 0;
	case E_RELTIME_S:
		out->u = (ev->ts - c->first_ts) / NSEC;
		return 0;
	case E_RELTIME_NS:
		out->u = (ev->ts - c->first_ts) % NSEC;
		return 0;
	case E_LATENCY:
	case E_LATENCY_S:
	case E_LATENCY_NS:
	case E_LATENCY_HUMAN:
		if (in && (in->category & FF_EC_INTERNAL))
			return 1;
		lat = ff_state_evt_latency(c->st);
		if (id == E_LATENCY_HUMAN)
			return put_human(c, lat, out);
		out->u = id == E_LATENCY_S ? lat / NSEC : id == E_LATENCY_NS ? lat % NSEC : lat;
		return 0;
	case E_DELTATIME:
	case E_DELTATIME_S:
	case E_DELTATIME_NS: {
		/* like sinsp: the time since the last event this field was read for */
		uint64_t d = c->delta_ts ? ev->ts - c->delta_ts : 0;
		c->delta_ts = ev->ts;
		out->u = id == E_DELTATIME_S ? d / NSEC : id == E_DELTATIME_NS ? d % NSEC : d;
		return 0;
	}
	case E_DIR:
		if (!in)
			return 1;
		return sval(in->dir == 'E' ? ">" : "<", out);
	case E_TYPE:
		return sval(falco(c) ? ff_render_type26(ev) : ff_render_type(ev), out);
	case E_SYSCALL_TYPE:
		/* current libs: syscall events only */
		if (falco(c))
			return in && (ff_render_info26(ev)->category & FF_EC_SYSCALL)
			           ? sval(ff_render_type26(ev), out)
			           : 1;
		/* sinsp: every event but switch and those skipping the parser */
		if (!in || (in->flags & FF_EF_SKIPPARSERESET) || !strcmp(in->name, "switch"))
			return 1;
		return sval(ff_render_type(ev), out);
	case E_CATEGORY: {
		static const char *const names[] = {
			[FF_EC_UNKNOWN] = "unknown",
			[FF_EC_OTHER] = "other",
			[FF_EC_FILE] = "file",
			[FF_EC_NET] = "net",
			[FF_EC_IPC] = "IPC",
			[FF_EC_MEMORY] = "memory",
			[FF_EC_PROCESS] = "process",
			[FF_EC_SLEEP] = "sleep",
			[FF_EC_SYSTEM] = "system",
			[FF_EC_SIGNAL] = "signal",
			[FF_EC_USER] = "user",
			[FF_EC_TIME] = "time",
			[FF_EC_PROCESSING] = "processing",
		};
		uint32_t cat = in ? in->category & ~(uint32_t)(FF_EC_SYSCALL | FF_EC_TRACEPOINT |
		                                               FF_EC_METAEVENT | FF_EC_PLUGIN)
		                  : 0;
		if (ev->type == 0 || ev->type == 1) {
			/* generic events: the syscall's own category, no fd detail */
			int ok = 0;
			uint64_t sc = ff_evt_param_uint(ev, 0, &ok);
			cat = ok && sc < FF_PPM_SC_MAX ? ff_ppm_sc_names[sc].category_2022 : 0;
			if (cat >= FF_EC_IO_READ && cat <= FF_EC_IO_OTHER)
				return sval("unknown", out);
		}
		if (cat < sizeof(names) / sizeof(names[0]) && names[cat])
			return sval(names[cat], out);
		if (cat == FF_EC_IO_READ || cat == FF_EC_IO_WRITE || cat == FF_EC_IO_OTHER) {
			const struct ff_fd *f = ff_state_evt_fd(c->st);
			if (!f)
				return sval("unknown", out);
			switch (ff_fd_type(f)) {
			case FF_FD_FILE:
			case FF_FD_FILE_V2:
			case FF_FD_DIRECTORY:
				return sval("file", out);
			case FF_FD_IPV4_SOCK:
			case FF_FD_IPV6_SOCK:
			case FF_FD_IPV4_SERVSOCK:
			case FF_FD_IPV6_SERVSOCK:
				return sval("net", out);
			case FF_FD_FIFO:
			case FF_FD_UNIX_SOCK:
			case FF_FD_EVENT:
			case FF_FD_SIGNALFD:
			case FF_FD_INOTIFY:
				return sval("ipc", out);
			default:
				return sval("unknown", out);
			}
		}
		if (cat == FF_EC_WAIT)
			return sval("wait", out);
		if (cat & FF_EC_SCHEDULER)
			return sval("scheduler", out);
		return sval("unknown", out);
	}
	case E_CPU:
		out->i = ev->cpu;
		return 0;
	case E_ARGS:
	case E_INFO:
		ff_sbuf_reset(&c->sb);
		return keep_sb(c,
		               ff_render_info_flags(c->st, ev, falco(c) ? FF_RENDER_2026 : 0,
		                                    &c->sb, &c->scratch),
		               out);
	case E_ARG:
		return x_arg(c, arg, 0, out);
	case E_RAWARG:
		return x_rawarg(c, arg, out);
	case E_BUFFER: {
		uint32_t len;
		int i = pidx2022(ev, "data");
		const uint8_t *p = i >= 0 ? ff_evt_param(ev, (unsigned)i, &len) : NULL;
		if (!p)
			return 1;
		out->s.p = (const char *)p;
		out->s.len = len;
		return 0;
	}
	case E_BUFLEN: {
		const struct ff_fd *f;
		/* I/O-category exits on a known fd: the return value */
		uint32_t cat = in ? in->category & FF_EC_LOW_MASK : 0;
		if (!in || cat < FF_EC_IO_READ || cat > FF_EC_IO_OTHER || in->dir != 'X' ||
		    !ff_state_evt_fd(c->st) || !evt_res(c, &res) || res < 0)
			return 1;
		(void)f;
		out->u = (uint64_t)res;
		return 0;
	}
	case E_RES:
		if (!evt_res(c, &res))
			return 1;
		if (res >= 0)
			return sval("SUCCESS", out);
		{
			const char *e = ff_render_errno_name(res);
			char b[32];
			if (e)
				return sval(e, out);
			int n = snprintf(b, sizeof(b), "%" PRId64, res);
			return keep(c, b, (size_t)n, out);
		}
	case E_RAWRES:
		if (!evt_res(c, &res))
			return 1;
		out->i = res;
		return 0;
	case E_FAILED:
		out->b = evt_res(c, &res) && res < 0;
		return 0;
	case E_IS_IO:
		out->b = in && (in->flags & (FF_EF_READS_FROM_FD | FF_EF_WRITES_TO_FD));
		return 0;
	case E_IS_IO_READ:
		out->b = in && (in->flags & FF_EF_READS_FROM_FD);
		return 0;
	case E_IS_IO_WRITE:
		out->b = in && (in->flags & FF_EF_WRITES_TO_FD);
		return 0;
	case E_IO_DIR:
		if (in && (in->flags & FF_EF_WRITES_TO_FD))
			return sval("write", out);
		if (in && (in->flags & FF_EF_READS_FROM_FD))
			return sval("read", out);
		return 1;
	case E_IS_WAIT:
		out->b = in && (in->flags & FF_EF_WAITS);
		return 0;
	case E_WAIT_LATENCY:
		if (!in || !(in->flags & FF_EF_WAITS) || in->dir != 'X')
			return 1;
		out->u = ff_state_evt_latency(c->st);
		return 0;
	case E_COUNT:
		out->u = 1;
		return 0;
	case E_COUNT_ERROR:
		if (!evt_res(c, &res) || res >= 0)
			return 1;
		out->u = 1;
		return 0;
	case E_COUNT_EXIT:
		if (!in || in->dir != 'X')
			return 1;
		out->u = 1;
		return 0;
	case E_IS_OPEN_READ:
	case E_IS_OPEN_WRITE:
	case E_IS_OPEN_EXEC: {
		out->b = false;
		if (!in)
			return 0;
		int fi = pidx_v(c, ev, "flags");
		int mi = pidx_v(c, ev, "mode");
		int is_open = !strcmp(in->name, "open") || !strcmp(in->name, "openat") ||
		              !strcmp(in->name, "openat2");
		/* sinsp reads open exits and the openat enter of the old layout */
		int which = is_open && fi >= 0 &&
		            (in->dir == 'X' || (!strcmp(in->name, "openat") && ev->type < 200));
		int ok = 0;
		if (which) {
			uint32_t fl = (uint32_t)ff_evt_param_uint(ev, (unsigned)fi, &ok);
			if (id == E_IS_OPEN_READ)
				out->b = (fl & PPM_O_RDONLY) != 0;
			else if (id == E_IS_OPEN_WRITE)
				out->b = (fl & PPM_O_WRONLY) != 0;
			else if ((fl & (PPM_O_TMPFILE | PPM_O_CREAT)) && mi >= 0)
				out->b =
				    (ff_evt_param_uint(ev, (unsigned)mi, &ok) & PPM_S_IXALL) != 0;
		} else if (id == E_IS_OPEN_EXEC && !strcmp(in->name, "creat") && in->dir == 'X' &&
		           mi >= 0) {
			out->b = (ff_evt_param_uint(ev, (unsigned)mi, &ok) & PPM_S_IXALL) != 0;
		}
		return 0;
	}
	default:
		return 1;
	}
}

/* proc.sname as current libs give it: the session leader by its id outside
 * a pid namespace, else the eldest of the ancestors (from the parent) in the
 * session; "" when none */
static int sname_falco(struct ff_sysctx *c, const struct ff_thread *t, struct ff_value *out)
{
	int64_t sid = ff_thread_sid(t);
	const struct ff_thread *p, *leader = NULL;
	int in_ns = (ff_thread_flags(t) & (1u << 29)) ||
	            (ff_thread_vtid(t) >= 0 && ff_thread_vtid(t) != ff_thread_tid(t));
	if (sid == -1)
		return sval("", out);
	if (!in_ns && (p = ff_state_thread(c->st, sid)))
		return sval(ff_thread_comm(p), out);
	p = ff_state_thread(c->st, ff_thread_ptid(t));
	for (int k = 0; p && ff_thread_tid(p) != -1 && k < MAX_ANCESTORS; k++) {
		if (ff_thread_sid(p) != sid)
			break;
		leader = p;
		p = ff_state_thread(c->st, ff_thread_ptid(p));
	}
	return sval(leader ? ff_thread_comm(leader) : "", out);
}

/* user.* and group.name as current libs give them: the capture's users and
 * groups are the host's; a container's own are read from its /etc/passwd on
 * the live system only, so there a uid resolves to root (0) or "<NA>" */
static int user_falco(struct ff_sysctx *c, const struct ff_thread *t, enum fid id,
                      struct ff_value *out)
{
	int host = !*cid_of(t);
	uint32_t uid = id == U_LOGINNAME ? ff_thread_loginuid(t)
	               : id == G_NAME    ? ff_thread_gid(t)
	                                 : ff_thread_uid(t);
	const char *s = NULL;
	if (host)
		s = id == U_HOMEDIR ? ff_state_user_home(c->st, uid)
		    : id == U_SHELL ? ff_state_user_shell(c->st, uid)
		    : id == G_NAME  ? ff_state_group_name(c->st, uid)
		                    : ff_state_user_name(c->st, uid);
	if (!s)
		s = uid == 0 && id != U_SHELL ? (id == U_HOMEDIR ? "/root" : "root") : "<NA>";
	return sval(s, out);
}

static int x_proc(struct ff_sysctx *c, enum fid id, const struct ff_field_arg *arg,
                  struct ff_value *out)
{
	const struct ff_thread *t = ff_state_evt_thread(c->st), *m, *p;
	uint32_t len, a, b, d;
	uint64_t u1, u2, u3;
	const char *s;

	if (id == T_TID) {
		out->i = (int64_t)c->ev->tid;
		return 0;
	}
	if (!t)
		return 1;
	switch (id) {
	case P_PID:
		out->i = ff_thread_pid(t);
		return 0;
	case P_EXE:
		return sval(ff_thread_exe(t), out);
	case P_NAME:
		return sval(ff_thread_comm(t), out);
	case P_ARGS:
		s = ff_thread_args(t, &len);
		ff_sbuf_reset(&c->sb);
		return keep_sb(c, falco(c) ? join_args26(c, s, len, 0) : join_nul(c, s, len), out);
	case P_ENV:
		s = ff_thread_env(t, &len);
		if (arg->present) {
			size_t vl;
			const char *v = kv_find(s, len, arg->str, arg->len, &vl);
			if (!v)
				return 1;
			out->s.p = v;
			out->s.len = vl;
			return 0;
		}
		ff_sbuf_reset(&c->sb);
		return keep_sb(c, join_nul(c, s, len), out);
	case P_CMDLINE:
		ff_sbuf_reset(&c->sb);
		return keep_sb(c, put_cmdline(c, t), out);
	case P_EXELINE: {
		ff_sbuf_reset(&c->sb);
		int rc = ff_sbuf_puts(&c->sb, ff_thread_exe(t)) | ff_sbuf_put(&c->sb, " ", 1);
		s = ff_thread_args(t, &len);
		return keep_sb(c, rc | (falco(c) ? join_args26(c, s, len, 0) : join_nul(c, s, len)),
		               out);
	}
	case P_CWD:
		return sval(ff_state_cwd(c->st, t), out);
	case P_NTHREADS:
		m = main_of(c, t);
		if (!m)
			return 1;
		out->u = ff_thread_nchilds(m) + 1u;
		return 0;
	case P_NCHILDS:
		out->u = ff_thread_nchilds(t);
		return 0;
	case P_PPID:
		if (falco(c)) {
			p = ancestor(c, t, 1);
			if (!p)
				return 1;
			out->i = ff_thread_pid(p);
			return 0;
		}
		m = main_of(c, t);
		if (!m)
			return 1;
		out->i = ff_thread_ptid(m);
		return 0;
	case P_PNAME:
	case P_PCMDLINE:
	case P_PEXE:
	case P_PEXEPATH:
		/* sysdig: the thread's parent; current libs: its process's */
		p = falco(c) ? ancestor(c, t, 1) : ff_state_thread(c->st, ff_thread_ptid(t));
		if (!p)
			return 1;
		if (id == P_PNAME)
			return sval(ff_thread_comm(p), out);
		if (id == P_PEXE)
			return sval(ff_thread_exe(p), out);
		if (id == P_PEXEPATH)
			return sval(exepath_v(c, p), out);
		ff_sbuf_reset(&c->sb);
		return keep_sb(c, put_cmdline(c, p), out);
	case P_APID:
	case P_ANAME:
	case P_AEXE:
	case P_AEXEPATH:
		if (arg->present) {
			p = ancestor(c, t, arg->idx);
			if (!p)
				return 1;
			if (id == P_APID) {
				out->i = ff_thread_pid(p);
				return 0;
			}
			return sval(id == P_ANAME  ? ff_thread_comm(p)
			            : id == P_AEXE ? ff_thread_exe(p)
			                           : ff_thread_exepath(p),
			            out);
		} else {
			/* every ancestor, the process itself excluded */
			size_t n = 0;
			p = main_of(c, t);
			while (p && n < MAX_ANCESTORS) {
				p = ff_state_parent(c->st, p);
				if (!p)
					break;
				struct ff_value *v = &c->list[n++];
				if (id == P_APID)
					v->i = ff_thread_pid(p);
				else
					sval(id == P_ANAME  ? ff_thread_comm(p)
					     : id == P_AEXE ? ff_thread_exe(p)
					                    : exepath_v(c, p),
					     v);
			}
			if (!n)
				return 1;
			out->list.v = c->list;
			out->list.n = n;
			return 0;
		}
	case P_LOGINSHELLID: {
		const struct ff_thread *shell = NULL;
		p = main_of(c, t);
		for (int k = 0; p && k < MAX_ANCESTORS; k++, p = ff_state_parent(c->st, p)) {
			const char *cm = ff_thread_comm(p);
			size_t cl = strlen(cm);
			if (cl >= 2 && cm[cl - 2] == 's' && cm[cl - 1] == 'h')
				shell = p;
		}
		if (!shell)
			return 1;
		out->i = ff_thread_pid(shell);
		return 0;
	}
	case P_DURATION:
		if (!ff_thread_clone_ts(t))
			return 1;
		out->u = c->ev->ts - ff_thread_clone_ts(t);
		return 0;
	case P_FDOPENCOUNT:
		out->u = ff_state_fd_count(c->st, t);
		return 0;
	case P_FDLIMIT:
		m = main_of(c, t);
		out->i = ff_thread_fdlimit(m ? m : t);
		return 0;
	case P_VMSIZE:
	case P_VMRSS:
	case P_VMSWAP:
		ff_thread_vm(t, &a, &b, &d);
		out->u = id == P_VMSIZE ? a : id == P_VMRSS ? b : d;
		return 0;
	case T_VMSIZE:
	case T_VMRSS:
		ff_thread_vm(t, &a, &b, &d);
		out->u = !ff_thread_is_main(t) ? 0 : id == T_VMSIZE ? a : b;
		return 0;
	case T_PFMAJOR:
	case T_PFMINOR:
		ff_thread_pagefaults(t, &u1, &u2);
		out->u = id == T_PFMAJOR ? u1 : u2;
		return 0;
	case P_SID:
		out->i = ff_thread_sid(t);
		return 0;
	case P_SNAME: {
		if (falco(c))
			return sname_falco(c, t, out);
		p = ff_state_thread(c->st, ff_thread_sid(t));
		if (p)
			return sval(ff_thread_comm(p), out);
		/* the leader exited: the eldest ancestor in the same session */
		m = main_of(c, t);
		if (!m)
			return 1;
		int64_t sid = ff_thread_sid(m);
		for (int k = 0; k < MAX_ANCESTORS; k++) {
			p = ff_state_parent(c->st, m);
			if (!p || ff_thread_sid(p) != sid)
				break;
			m = p;
		}
		return sval(ff_thread_comm(m), out);
	}
	case P_TTY:
		out->u = ff_thread_tty(t);
		return 0;
	case P_EXEPATH:
		return sval(exepath_v(c, t), out);
	case P_VPGID:
		out->i = ff_thread_vpgid(t);
		return 0;
	case P_VPID:
		if (ff_thread_vpid(t) == -1)
			return 1;
		out->i = ff_thread_vpid(t);
		return 0;
	case T_VTID:
		if (ff_thread_vtid(t) == -1)
			return 1;
		out->i = ff_thread_vtid(t);
		return 0;
	case P_IS_VPGID_LEADER:
		/* current libs compare even unknown (-1) ids */
		if (!falco(c) && (ff_thread_vpgid(t) == -1 || ff_thread_vpid(t) == -1))
			return 1;
		out->b = ff_thread_vpgid(t) == ff_thread_vpid(t);
		return 0;
	case P_IS_EXE_WRITABLE:
	case P_IS_EXE_UPPER:
	case P_IS_EXE_MEMFD: {
		int fl = ff_thread_exe_flags(t);
		int bit = id == P_IS_EXE_WRITABLE ? 1 : id == P_IS_EXE_UPPER ? 2 : 4;
		out->b = fl >= 0 && (fl & bit);
		return 0;
	}
	case P_EXE_CTIME:
	case P_EXE_MTIME:
	case P_EXE_CTIME_DUR:
		ff_thread_exe_times(t, &u1, &u2);
		if (id == P_EXE_CTIME_DUR && falco(c)) {
			/* current libs: computed at the execve, inherited by clones */
			out->u = ff_thread_exe_ctime_dur(t);
			return out->u ? 0 : 1;
		}
		if (id == P_EXE_CTIME_DUR) {
			u3 = ff_thread_clone_ts(t);
			if (!u1 || !u3 || u3 < u1)
				return 1;
			out->u = u3 - u1;
			return 0;
		}
		out->u = id == P_EXE_CTIME ? u1 : u2;
		return out->u ? 0 : 1;
	case P_IS_HEALTHCHECK:
	case P_IS_LIVENESS:
	case P_IS_READINESS:
		out->b = false;
		return 0;
	case T_ISMAIN:
		out->b = ff_thread_is_main(t) != 0;
		return 0;
	case T_CGROUPS: {
		/* sinsp names the cgroup v2 "io" controller "blkio" */
		s = ff_thread_cgroups(t, &len);
		if (!len)
			return 1;
		ff_sbuf_reset(&c->sb);
		int rc = join_nul(c, s, len);
		for (size_t k = 0; !rc && k + 3 <= c->sb.len; k++) {
			if ((k == 0 || c->sb.p[k - 1] == ' ') && !memcmp(c->sb.p + k, "io=", 3)) {
				size_t tail = c->sb.len - k;
				rc = ff_sbuf_put(&c->sb, "   ", 3);
				if (!rc) {
					memmove(c->sb.p + k + 3, c->sb.p + k, tail);
					memcpy(c->sb.p + k, "blk", 3);
					k += 6;
				}
			}
		}
		return keep_sb(c, rc, out);
	}
	case T_CGROUP: {
		size_t vl;
		s = ff_thread_cgroups(t, &len);
		const char *v = kv_find(s, len, arg->str, arg->len, &vl);
		if (!v && arg->len == 5 && !memcmp(arg->str, "blkio", 5))
			v = kv_find(s, len, "io", 2, &vl);
		if (!v)
			return 1;
		out->s.p = v;
		out->s.len = vl;
		return 0;
	}
	case T_CAP_EFF:
	case T_CAP_PERM:
	case T_CAP_INH:
		/* current libs know no "unknown": the sets are then empty */
		if (!ff_thread_caps(t, &u1, &u2, &u3) && !falco(c))
			return 1;
		ff_sbuf_reset(&c->sb);
		return keep_sb(c,
		               put_caps(c, id == T_CAP_EFF    ? u3
		                           : id == T_CAP_PERM ? u2
		                                              : u1),
		               out);
	case U_UID:
		out->u = ff_thread_uid(t);
		return 0;
	case U_NAME:
	case U_HOMEDIR:
	case U_SHELL:
		if (falco(c))
			return user_falco(c, t, id, out);
		s = id == U_NAME      ? ff_state_user_name(c->st, ff_thread_uid(t))
		    : id == U_HOMEDIR ? ff_state_user_home(c->st, ff_thread_uid(t))
		                      : ff_state_user_shell(c->st, ff_thread_uid(t));
		return s ? sval(s, out) : 1;
	case U_LOGINUID:
		out->i = (int32_t)ff_thread_loginuid(t);
		return 0;
	case U_LOGINNAME:
		if (falco(c))
			return user_falco(c, t, id, out);
		s = ff_state_user_name(c->st, ff_thread_loginuid(t));
		return s ? sval(s, out) : 1;
	case G_GID:
		out->u = ff_thread_gid(t);
		return 0;
	case G_NAME:
		if (falco(c))
			return user_falco(c, t, id, out);
		s = ff_state_group_name(c->st, ff_thread_gid(t));
		return s ? sval(s, out) : 1;
	default:
		return 1;
	}
}

/* current libs' fd.nameraw: runs of '/' made one */
static int nameraw26(struct ff_sysctx *c, const char *s, struct ff_value *out)
{
	size_t n = strlen(s), k = 0;
	char *p = arena_alloc(c, n + 1);
	if (!p)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		if (!(s[i] == '/' && k && p[k - 1] == '/'))
			p[k++] = s[i];
	p[k] = 0;
	out->s.p = p;
	out->s.len = k;
	return 0;
}

/* whether an address is the machine's: an interface's (sysdig: IPv4 even in a
 * container; current libs: in a container only its own address, which a
 * replay does not know) */
static int local_ip(struct ff_sysctx *c, const struct ff_thread *t, int v6, const uint8_t *ip)
{
	if (*cid_of(t) && (v6 || falco(c)))
		return 0;
	return ff_state_ip_is_local(c->st, v6, ip);
}

static int x_fd(struct ff_sysctx *c, enum fid id, struct ff_value *out)
{
	const struct ff_event_info *in = info(c);
	const struct ff_thread *t = ff_state_evt_thread(c->st);
	const struct ff_fd *f;
	uint8_t sip[16], dip[16];
	uint16_t sport, dport;

	if (!evt_fd(c, &f))
		return 1;
	/* sinsp's last event fd: the enter's, or the fd an exit created (of a
	 * pair, the second) */
	int64_t fdnum = ff_state_evt_fdnum(c->st);
	if (id == F_NUM) {
		out->i = fdnum;
		return 0;
	}
	if (id == F_UID) {
		char b[48];
		int n = snprintf(b, sizeof(b), "%" PRId64 "%" PRId64, ff_thread_tid(t), fdnum);
		return keep(c, b, (size_t)n, out);
	}
	/* a failed connect names its target, as a failed open does */
	int64_t res = 0;
	int failed_connect = f && (id == F_NAME || id == F_NAMERAW || id == F_CONTAINERNAME) &&
	                     in->dir == 'X' && !strcmp(in->name, "connect") && evt_res(c, &res) &&
	                     res < 0;
	if (!f || failed_connect) {
		/* a creating call that failed (or an fd born before the capture) */
		switch (id) {
		case F_NAMERAW:
			if (falco(c) &&
			    (!strcmp(in->name, "openat") || !strcmp(in->name, "openat2"))) {
				/* the path as passed */
				int i = in->dir == 'X' ? pidx_v(c, c->ev, "name") : -1;
				uint32_t len = 0;
				const char *s =
				    i >= 0 ? ff_evt_param_str(c->ev, (unsigned)i, &len) : NULL;
				if (!s || !len)
					return 1;
				return nameraw26(c, s, out);
			}
			return name_from_creator(c, out);
		case F_NAME:
			return name_from_creator(c, out);
		case F_CONTAINERNAME: {
			int rc = name_from_creator(c, out);
			if (rc)
				return rc;
			ff_sbuf_reset(&c->sb);
			rc = ff_sbuf_puts(&c->sb, cid_of(t)) | ff_sbuf_put(&c->sb, ":", 1) |
			     ff_sbuf_put(&c->sb, out->s.p, out->s.len);
			return keep_sb(c, rc, out);
		}
		case F_DIRECTORY:
		case F_CONTAINERDIR: {
			int rc = name_from_creator(c, out);
			if (rc)
				return rc;
			const char *sl = memrchr(out->s.p, '/', out->s.len);
			if (sl && sl != out->s.p) {
				if ((size_t)(sl - out->s.p) < out->s.len - 1)
					out->s.len = (size_t)(sl - out->s.p);
			} else {
				sval("/", out);
			}
			if (id == F_CONTAINERDIR) {
				ff_sbuf_reset(&c->sb);
				rc = ff_sbuf_puts(&c->sb, cid_of(t)) | ff_sbuf_put(&c->sb, ":", 1) |
				     ff_sbuf_put(&c->sb, out->s.p, out->s.len);
				return keep_sb(c, rc, out);
			}
			return 0;
		}
		case F_FILENAME: {
			const char *n = in->name;
			if (in->dir != 'E' || (strcmp(n, "open") && strcmp(n, "openat") &&
			                       strcmp(n, "openat2") && strcmp(n, "creat")))
				return 1;
			return name_from_creator(c, out);
		}
		case F_TYPECHAR: {
			char ch = typechar_of_creator(in);
			char *p = arena_alloc(c, 2);
			if (!p)
				return -ENOMEM;
			p[0] = ch;
			p[1] = 0;
			out->s.p = p;
			out->s.len = 1;
			return 0;
		}
		default:
			return 1;
		}
	}

	uint8_t type = ff_fd_type(f);
	int role = ff_fd_role(f);
	ff_fd_tuple(f, sip, &sport, dip, &dport);
	int v6 = is_v6(type);
	switch (id) {
	case F_NAME:
		return sval(ff_fd_name(f), out);
	case F_CIP_NAME:
	case F_SIP_NAME:
	case F_LIP_NAME:
	case F_RIP_NAME: {
		/* the address whose name is asked (sinsp: the tuple's source for the
		 * client, its destination for the server, local by the interfaces);
		 * filters compare names by resolving them, outputs show one */
		if (!is_sock(type) || !role)
			return 1;
		int src = id == F_CIP_NAME;
		if (id == F_LIP_NAME || id == F_RIP_NAME)
			src =
			    (falco(c) ? local_ip(c, t, v6, sip)
			              : ff_state_ip_is_local(c->st, v6, sip)) == (id == F_LIP_NAME);
		set_ip(out, v6, src ? sip : dip);
		return 0;
	}
	case F_NAMERAW: {
		if (falco(c))
			return nameraw26(c, ff_fd_nameraw(f), out);
		/* the open that creates the fd: its path as passed, not normalized
		 * (Falco's rules look for "../" in it); absolute paths only */
		const struct ff_event_info *oi = info(c);
		int oat = !strcmp(oi->name, "openat") || !strcmp(oi->name, "openat2");
		if (oi->dir == 'X' &&
		    (oat || !strcmp(oi->name, "open") || !strcmp(oi->name, "creat"))) {
			int i = oat ? pidx_v(c, c->ev, "name") : 1;
			uint32_t len = 0;
			const char *s = i >= 0 ? ff_evt_param_str(c->ev, (unsigned)i, &len) : NULL;
			if (s && len && s[0] == '/')
				return keep(c, s, len, out);
		}
		return sval(ff_fd_name(f), out);
	}
	case F_CONTAINERNAME: {
		ff_sbuf_reset(&c->sb);
		int rc = ff_sbuf_puts(&c->sb, cid_of(t)) | ff_sbuf_put(&c->sb, ":", 1) |
		         ff_sbuf_puts(&c->sb, ff_fd_name(f));
		return keep_sb(c, rc, out);
	}
	case F_TYPE:
		return sval(fd_typestr(type), out);
	case F_TYPECHAR: {
		char *p = arena_alloc(c, 2);
		if (!p)
			return -ENOMEM;
		p[0] = ff_fd_typechar(f);
		p[1] = 0;
		out->s.p = p;
		out->s.len = 1;
		return 0;
	}
	case F_DIRECTORY:
	case F_CONTAINERDIR:
	case F_FILENAME: {
		int file = type == FF_FD_FILE || type == FF_FD_FILE_V2;
		if (!file && (id == F_FILENAME || type != FF_FD_DIRECTORY))
			return 1;
		const char *n = ff_fd_name(f);
		size_t nl = strlen(n);
		const char *sl = memrchr(n, '/', nl);
		if (id == F_FILENAME) {
			if (!sl)
				return sval("/", out);
			if ((size_t)(sl - n) < nl - 1) {
				out->s.p = sl + 1;
				out->s.len = nl - (size_t)(sl - n) - 1;
				return 0;
			}
			return sval(n, out);
		}
		out->s.p = n;
		out->s.len = nl;
		if (file) {
			if (sl && sl != n) {
				if ((size_t)(sl - n) < nl - 1)
					out->s.len = (size_t)(sl - n);
			} else {
				sval("/", out);
			}
		}
		if (id == F_CONTAINERDIR) {
			ff_sbuf_reset(&c->sb);
			int rc = ff_sbuf_puts(&c->sb, cid_of(t)) | ff_sbuf_put(&c->sb, ":", 1) |
			         ff_sbuf_put(&c->sb, out->s.p, out->s.len);
			return keep_sb(c, rc, out);
		}
		return 0;
	}
	case F_CIP:
	case F_CNET:
		if (!role || !is_sock(type))
			return 1;
		set_ip(out, v6, sip);
		return 0;
	case F_SIP:
	case F_SNET:
		if (is_servsock(type)) {
			set_ip(out, v6, sip);
			return 0;
		}
		if (!role || !is_sock(type))
			return 1;
		set_ip(out, v6, dip);
		return 0;
	case F_LIP:
	case F_RIP:
	case F_LNET:
	case F_RNET:
	case F_LPORT:
	case F_RPORT: {
		if (!is_sock(type) || !role)
			return 1;
		int local = local_ip(c, t, v6, sip);
		int want_local = id == F_LIP || id == F_LNET || id == F_LPORT;
		int client_side = local == want_local;
		if (id == F_LPORT || id == F_RPORT)
			out->u = client_side ? sport : dport;
		else
			set_ip(out, v6, client_side ? sip : dip);
		return 0;
	}
	case F_IP:
	case F_NET:
	case F_PORT: {
		/* client and server side, for the EITHER comparison */
		if (is_servsock(type)) {
			if (id == F_PORT)
				c->list[0].u = sport;
			else
				set_ip(&c->list[0], v6, sip);
			out->list.v = c->list;
			out->list.n = 1;
			return 0;
		}
		if (!is_sock(type))
			return 1;
		if (id == F_PORT) {
			c->list[0].u = sport;
			c->list[1].u = dport;
		} else {
			set_ip(&c->list[0], v6, sip);
			set_ip(&c->list[1], v6, dip);
		}
		out->list.v = c->list;
		out->list.n = 2;
		return 0;
	}
	case F_CPORT:
		/* sinsp reads a server socket's client port as 0 */
		if (!role)
			return 1;
		out->u = is_sock(type) ? sport : 0;
		return 0;
	case F_SPORT:
		if (is_servsock(type)) {
			out->u = sport;
			return 0;
		}
		if (!is_sock(type) || !role)
			return 1;
		out->u = dport;
		return 0;
	case F_L4PROTO:
		switch (ff_fd_l4proto(f)) {
		case 2:
			return sval("tcp", out);
		case 3:
			return sval("udp", out);
		case 4:
			return sval("icmp", out);
		case 5:
			return sval("raw", out);
		default:
			return sval("<NA>", out);
		}
	case F_SOCKFAMILY:
		if (is_sock(type) || is_servsock(type))
			return sval("ip", out);
		if (type == FF_FD_UNIX_SOCK)
			return sval("unix", out);
		return 1;
	case F_IS_SERVER:
		if (is_servsock(type))
			out->b = true;
		else if (is_sock(type))
			/* sinsp does not check IPv6 locality inside containers */
			out->b = local_ip(c, t, v6, dip);
		else
			out->b = false;
		return 0;
	case F_CONNECTED:
		out->b = ff_fd_connected(f) != 0;
		return 0;
	case F_NAME_CHANGED:
		out->b = ff_state_evt_fd_renamed(c->st) != 0;
		return 0;
	case F_DEV:
		out->u = ff_fd_dev(f);
		return 0;
	case F_DEV_MAJOR:
		out->u = (ff_fd_dev(f) & 0xfff00u) >> 8;
		return 0;
	case F_DEV_MINOR:
		out->u = (ff_fd_dev(f) & 0xffu) | ((ff_fd_dev(f) >> 12) & 0xfff00u);
		return 0;
	case F_INO:
		out->u = ff_fd_ino(f);
		return 0;
	default:
		return 1; /* DNS names: no resolution in a replay */
	}
}

/* fs.path.*: the path(s) a file system event works on */
static int x_fspath(struct ff_sysctx *c, enum fid id, struct ff_value *out)
{
	const struct ff_event_info *in = info(c);
	static const char *const name_params[] = { "name", "path", "pathname", "filename", NULL };
	static const char *const src_params[] = { "oldpath", "target", NULL };
	static const char *const dst_params[] = { "newpath", "linkpath", NULL };
	const char *const *list = id == FS_NAME || id == FS_NAMERAW       ? name_params
	                          : id == FS_SOURCE || id == FS_SOURCERAW ? src_params
	                                                                  : dst_params;
	int raw = id == FS_NAMERAW || id == FS_SOURCERAW || id == FS_TARGETRAW;
	if (!in || in->dir != 'X' || !(in->category & (FF_EC_FILE)))
		return 1;
	for (int k = 0; list[k]; k++) {
		int i = pidx_v(c, c->ev, list[k]);
		if (i < 0)
			continue;
		ff_sbuf_reset(&c->sb);
		ff_sbuf_reset(&c->scratch);
		int rc = ff_render_param(c->st, c->ev, (unsigned)i, falco(c) ? FF_RENDER_2026 : 0,
		                         &c->sb, &c->scratch);
		if (rc)
			return rc == -ENOENT ? 1 : rc;
		if (!raw && c->scratch.len)
			return keep(c, c->scratch.p, c->scratch.len, out);
		return keep_sb(c, 0, out);
	}
	return 1;
}

/* a non-empty metadata string, or no value (sinsp's NULL) */
static int meta_str(const char *s, struct ff_value *out)
{
	return *s ? sval(s, out) : 1;
}

/* container.mount[...] and friends: [N] is the Nth mount, [GLOB] the first
 * whose source (destination for .source) matches */
static const struct ff_container_mount *mount_arg(const struct ff_container *ci,
                                                  const struct ff_field_arg *arg, bool by_dest)
{
	if (!arg || !arg->present)
		return NULL;
	if (arg->is_index)
		return arg->idx >= 0 && (uint64_t)arg->idx < ci->nmounts ? &ci->mounts[arg->idx]
		                                                         : NULL;
	return ff_container_mount_match(ci, arg->str, by_dest);
}

/* container.mounts and container.mount*[...] of container `ci`, in both
 * views */
static int x_mount(struct ff_sysctx *c, const struct ff_container *ci, enum fid id,
                   const struct ff_field_arg *arg, struct ff_value *out)
{
	const struct ff_container_mount *m;
	switch (id) {
	case C_MOUNTS:
		return sval(ci->mounts_text, out);
	case C_MOUNT:
		if (!(m = mount_arg(ci, arg, false)))
			return 1;
		ff_sbuf_reset(&c->sb);
		return keep_sb(c,
		               ff_sbuf_printf(&c->sb, "%s:%s:%s:%s:%s", m->source, m->dest, m->mode,
		                              m->rw ? "true" : "false", m->propagation),
		               out);
	case C_MOUNT_SOURCE:
		return (m = mount_arg(ci, arg, true)) ? sval(m->source, out) : 1;
	case C_MOUNT_DEST:
		return (m = mount_arg(ci, arg, false)) ? sval(m->dest, out) : 1;
	case C_MOUNT_MODE:
		return (m = mount_arg(ci, arg, false)) ? sval(m->mode, out) : 1;
	case C_MOUNT_RDWR:
		return (m = mount_arg(ci, arg, false)) ? sval(m->rw ? "true" : "false", out) : 1;
	case C_MOUNT_PROPAGATION:
		return (m = mount_arg(ci, arg, false)) ? sval(m->propagation, out) : 1;
	default:
		return 1;
	}
}

/* The container.image* field `id` of container `ci`, as recorded (both views
 * read the same strings; they differ in what an empty one shows). */
static const char *image_str(const struct ff_container *ci, enum fid id)
{
	switch (id) {
	case C_IMAGE:
		return ci->image;
	case C_IMAGE_ID:
		return ci->imageid;
	case C_IMAGE_REPO:
		return ci->imagerepo;
	case C_IMAGE_TAG:
		return ci->imagetag;
	case C_IMAGE_DIGEST:
	default: /* only called for the five above */
		return ci->imagedigest;
	}
}

/* container.* as Falco's container plugin gives them: what a container event
 * of the capture said (empty strings included), the host's record (id and
 * name "host", the rest empty), the matcher's own record for lxc,
 * libvirt-lxc and bpm (id and type); else only the id. */
static int x_container_falco(struct ff_sysctx *c, const struct ff_thread *t, enum fid id,
                             const struct ff_field_arg *arg, struct ff_value *out)
{
	static const char *const kind_type[] = { "host", NULL, "lxc", "libvirt-lxc", "bpm" };
	static const struct ff_container none = { .id = "",
		                                  .name = "",
		                                  .image = "",
		                                  .imageid = "",
		                                  .imagerepo = "",
		                                  .imagetag = "",
		                                  .imagedigest = "",
		                                  .mounts_text = "" };
	int kind;
	const char *cid = ff_thread_container_id_falco(t, &kind);
	const struct ff_container *ci = ff_state_container(c->st, cid);
	const char *type = NULL;
	if (ci && ci->guessed)
		ci = NULL;
	if (ci) {
		type = ff_container_type_name(ci->type);
	} else if (kind != FF_FALCO_CT_RUNTIME) {
		ci = &none;
		type = kind_type[kind];
	}
	switch (id) {
	case C_ID:
		return sval(cid, out);
	case C_START_TS:
		if (!ff_thread_pidns_start(t))
			return 1;
		out->u = ff_thread_pidns_start(t);
		return 0;
	default:
		break;
	}
	if (!ci)
		return 1;
	switch (id) {
	case C_FULL_ID:
		return sval(ci == &none ? cid : ci->id, out);
	case C_NAME:
		return sval(kind == 0 && ci == &none ? "host" : ci->name, out);
	case C_TYPE:
		return type ? sval(type, out) : 1;
	case C_IMAGE:
	case C_IMAGE_ID:
	case C_IMAGE_REPO:
	case C_IMAGE_TAG:
	case C_IMAGE_DIGEST:
		return sval(image_str(ci, id), out);
	case C_PRIVILEGED:
		out->b = ci->privileged;
		return 0;
	case C_MOUNTS:
	case C_MOUNT:
	case C_MOUNT_SOURCE:
	case C_MOUNT_DEST:
	case C_MOUNT_MODE:
	case C_MOUNT_RDWR:
	case C_MOUNT_PROPAGATION:
		return x_mount(c, ci, id, arg, out);
	default:
		return 1;
	}
}

static int x_container(struct ff_sysctx *c, enum fid id, const struct ff_field_arg *arg,
                       struct ff_value *out)
{
	const struct ff_thread *t = ff_state_evt_thread(c->st);
	if (!t)
		return 1;
	if (falco(c))
		return x_container_falco(c, t, id, arg, out);
	const char *cid = ff_thread_container_id(t);
	int host = strcmp(cid, "host") == 0;
	const struct ff_container *ci = host ? NULL : ff_state_container(c->st, cid);
	switch (id) {
	case C_ID:
	case C_FULL_ID:
		return sval(cid, out);
	case C_NAME:
		if (host)
			return sval("host", out);
		return ci ? meta_str(ci->name, out) : 1;
	case C_TYPE: {
		if (host)
			return sval("host", out);
		const char *tn = ci ? ff_container_type_name(ci->type) : NULL;
		return tn ? sval(tn, out) : 1;
	}
	case C_START_TS:
		if (host || !ff_thread_pidns_start(t))
			return 1;
		out->u = ff_thread_pidns_start(t);
		return 0;
	default:
		break;
	}
	if (!ci)
		return 1;
	switch (id) {
	case C_IMAGE:
	case C_IMAGE_ID:
	case C_IMAGE_REPO:
	case C_IMAGE_TAG:
	case C_IMAGE_DIGEST:
		return meta_str(image_str(ci, id), out);
	case C_PRIVILEGED:
		/* only runtimes that report it are believed */
		if (!ff_container_type_knows_privileged(ci->type))
			return 1;
		out->b = ci->privileged;
		return 0;
	case C_MOUNTS:
	case C_MOUNT:
	case C_MOUNT_SOURCE:
	case C_MOUNT_DEST:
	case C_MOUNT_MODE:
	case C_MOUNT_RDWR:
	case C_MOUNT_PROPAGATION:
		return x_mount(c, ci, id, arg, out);
	default:
		/* health probes are not in the capture's metadata */
		return 1;
	}
}

static int sf_extract(void *ctx, const struct ff_field_def *def, const struct ff_field_arg *arg,
                      struct ff_value *out)
{
	struct ff_sysctx *c = ctx;
	enum fid id = (enum fid)(intptr_t)def->user;
	if (!c->ev)
		return 1;
	if (id <= E_IS_OPEN_EXEC)
		return x_evt(c, id, arg, out);
	if (id <= G_NAME)
		return x_proc(c, id, arg, out);
	if (id <= F_INO)
		return x_fd(c, id, out);
	if (id <= FS_TARGETRAW)
		return x_fspath(c, id, out);
	if (id <= C_START_TS)
		return x_container(c, id, arg, out);
	return 1;
}

/* ---------------------------------------------------------------- display */

/* Output forms that differ from the filter value (sysdig's print formats). */
static int sf_display(void *ctx, const struct ff_field_def *def, const struct ff_field_arg *arg,
                      int json, struct ff_value *out, enum ff_type *type)
{
	struct ff_sysctx *c = ctx;
	enum fid id = (enum fid)(intptr_t)def->user;
	int rc;
	char b[32];
	if (!c->ev)
		return 1;
	switch (id) {
	case F_CIP_NAME:
	case F_SIP_NAME:
	case F_LIP_NAME:
	case F_RIP_NAME: {
		/* the first name resolved so far that has the address */
		struct ff_value ip;
		rc = sf_extract(ctx, def, arg, &ip);
		if (rc)
			return rc;
		const char *name = ff_dns_name_of(&ip.ip);
		if (!name)
			return 1;
		*type = FF_T_STRING;
		return sval(name, out);
	}
	case E_TIME:
	case E_TIME_S:
	case E_TIME_ISO:
	case E_DATETIME:
	case E_DATETIME_S:
	case E_OUTPUTTIME:
		if (!json)
			break;
		out->u = c->ev->ts; /* JSON: the raw timestamp */
		*type = FF_T_UINT64;
		return 0;
	case E_RAWTIME_NS:
	case E_RELTIME:
	case E_RELTIME_NS:
	case E_LATENCY_NS:
	case E_DELTATIME_NS:
		/* sysdig pads these to 9 digits in text; JSON has plain numbers */
		if (json)
			break;
		rc = sf_extract(ctx, def, arg, out);
		if (rc)
			return rc;
		*type = FF_T_STRING;
		return keep(c, b, (size_t)snprintf(b, sizeof(b), "%09" PRIu64, out->u), out);
	case F_DEV:
		rc = sf_extract(ctx, def, arg, out);
		if (rc)
			return rc;
		*type = FF_T_STRING; /* sysdig: an INT32 in hex, a string in JSON */
		return keep(c, b, (size_t)snprintf(b, sizeof(b), "%" PRIX32, (uint32_t)out->u),
		            out);
	case E_ARGS:
	case E_INFO:
		if (!json)
			break;
		ff_sbuf_reset(&c->sb);
		*type = FF_T_STRING;
		return keep_sb(
		    c,
		    ff_render_info_flags(c->st, c->ev,
		                         FF_RENDER_FULLBUF | (falco(c) ? FF_RENDER_2026 : 0),
		                         &c->sb, &c->scratch),
		    out);
	case E_ARG:
		*type = FF_T_STRING;
		return x_arg(c, arg, json ? FF_RENDER_FULLBUF : 0, out);
	case E_BUFFER: {
		struct ff_field_arg a = { .present = true, .str = "data", .len = 4 };
		*type = FF_T_STRING;
		return x_arg(c, &a, json ? FF_RENDER_FULLBUF : 0, out);
	}
	default:
		break;
	}
	return FF_DISPLAY_VALUE;
}

/* ---------------------------------------------------------------- table */

#define F(ID, NAME, TYPE, FLAGS, DESC)                                                             \
	{                                                                                          \
		.name = NAME, .type = TYPE, .flags = FLAGS, .desc = DESC, .extract = sf_extract,   \
		.user = (void *)(intptr_t)(ID), .display = sf_display                              \
	}
#define FA(ID, NAME, TYPE, FLAGS, CHECK, DESC)                                                     \
	{                                                                                          \
		.name = NAME, .type = TYPE, .flags = FLAGS, .desc = DESC, .extract = sf_extract,   \
		.check_arg = CHECK, .user = (void *)(intptr_t)(ID), .display = sf_display          \
	}

#define S FF_T_STRING
#define P FF_T_PATH
#define I FF_T_INT64
#define U FF_T_UINT64
#define B FF_T_BOOL
#define ANYIDX (FF_FIELD_ARG_INDEX | FF_FIELD_ANY | FF_FIELD_MULTI_NOARG_ONLY | FF_FIELD_NO_RHS)

static const struct ff_field_def defs[] = {
	F(E_NUM, "evt.num", U, FF_FIELD_EVTNUM, "event number"),
	F(E_TIME, "evt.time", S, 0, "event time HH:MM:SS.nnnnnnnnn (local time)"),
	F(E_TIME_S, "evt.time.s", S, 0, "event time HH:MM:SS"),
	F(E_TIME_ISO, "evt.time.iso8601", S, 0,
	  "event time YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000 (UTC)"),
	F(E_DATETIME, "evt.datetime", S, 0, "event date and time with nanoseconds"),
	F(E_DATETIME_S, "evt.datetime.s", S, 0, "event date and time"),
	F(E_OUTPUTTIME, "evt.outputtime", S, 0, "event time as sysdig's default line shows it"),
	F(E_RAWTIME, "evt.rawtime", FF_T_ABSTIME, 0, "event timestamp, ns since the epoch"),
	F(E_RAWTIME_S, "evt.rawtime.s", U, 0, "seconds part of evt.rawtime"),
	F(E_RAWTIME_NS, "evt.rawtime.ns", U, 0, "nanoseconds part of evt.rawtime"),
	F(E_RELTIME, "evt.reltime", FF_T_RELTIME, 0, "ns since the first event of the capture"),
	F(E_RELTIME_S, "evt.reltime.s", U, 0, "seconds part of evt.reltime"),
	F(E_RELTIME_NS, "evt.reltime.ns", U, 0, "nanoseconds part of evt.reltime"),
	F(E_LATENCY, "evt.latency", FF_T_RELTIME, 0,
	  "ns between an exit event and its enter event"),
	F(E_LATENCY_S, "evt.latency.s", U, 0, "seconds part of evt.latency"),
	F(E_LATENCY_NS, "evt.latency.ns", U, 0, "nanoseconds part of evt.latency"),
	F(E_LATENCY_HUMAN, "evt.latency.human", S, 0, "evt.latency as text (10.3ms)"),
	F(E_DELTATIME, "evt.deltatime", FF_T_RELTIME, 0, "ns since the previous event shown"),
	F(E_DELTATIME_S, "evt.deltatime.s", U, 0, "seconds part of evt.deltatime"),
	F(E_DELTATIME_NS, "evt.deltatime.ns", U, 0, "nanoseconds part of evt.deltatime"),
	F(E_DIR, "evt.dir", S, 0, "'>' for enter events, '<' for exit events"),
	F(E_TYPE, "evt.type", S, FF_FIELD_EVTTYPE, "event name (open, execve, ...)"),
	F(E_SYSCALL_TYPE, "syscall.type", S, FF_FIELD_EVTTYPE,
	  "system call name; none for other events"),
	F(E_CATEGORY, "evt.category", S, 0, "event category (file, net, process, ...)"),
	F(E_CPU, "evt.cpu", I, 0, "CPU the event happened on"),
	F(E_ARGS, "evt.args", S, 0, "all the arguments as name=value text"),
	FA(E_ARG, "evt.arg", S, FF_FIELD_ARG_DOTTED | FF_FIELD_ARG_INDEX | FF_FIELD_ARG_REQUIRED,
	   check_evtarg, "one argument, rendered (evt.arg.NAME or evt.arg[N])"),
	FA(E_RAWARG, "evt.rawarg", I, FF_FIELD_ARG_DOTTED | FF_FIELD_ARG_REQUIRED, check_evtarg,
	   "one numeric argument, raw (evt.rawarg.NAME)"),
	F(E_INFO, "evt.info", S, 0, "the arguments as sysdig's default line shows them"),
	F(E_BUFFER, "evt.buffer", FF_T_BYTES, 0, "data buffer of I/O events"),
	F(E_BUFLEN, "evt.buflen", U, 0, "length of the data buffer of I/O events"),
	F(E_RES, "evt.res", S, 0, "SUCCESS, or the error name (ENOENT, ...)"),
	F(E_RAWRES, "evt.rawres", I, 0, "return value as a number"),
	F(E_FAILED, "evt.failed", B, 0, "true for events that returned an error"),
	F(E_IS_IO, "evt.is_io", B, 0, "true for events that read or write an fd"),
	F(E_IS_IO_READ, "evt.is_io_read", B, 0, "true for events that read an fd"),
	F(E_IS_IO_WRITE, "evt.is_io_write", B, 0, "true for events that write an fd"),
	F(E_IO_DIR, "evt.io_dir", S, 0, "read or write"),
	F(E_IS_WAIT, "evt.is_wait", B, 0, "true for events that make the thread wait"),
	F(E_WAIT_LATENCY, "evt.wait_latency", FF_T_RELTIME, 0, "ns spent waiting"),
	F(E_COUNT, "evt.count", U, 0, "1 for every event"),
	F(E_COUNT_ERROR, "evt.count.error", U, 0, "1 for events that failed"),
	F(E_COUNT_EXIT, "evt.count.exit", U, 0, "1 for exit events"),
	F(E_IS_OPEN_READ, "evt.is_open_read", B, 0, "true for opens for reading"),
	F(E_IS_OPEN_WRITE, "evt.is_open_write", B, 0, "true for opens for writing"),
	F(E_IS_OPEN_EXEC, "evt.is_open_exec", B, 0, "true for opens creating an executable file"),

	F(P_PID, "proc.pid", I, 0, "process id"),
	F(P_EXE, "proc.exe", S, 0, "argv[0] of the process"),
	F(P_NAME, "proc.name", S, 0, "process name (comm)"),
	FA(P_ARGS, "proc.args", S, 0, NULL, "command line arguments, space separated"),
	FA(P_ENV, "proc.env", S, FF_FIELD_ARG_KEY, NULL,
	   "environment, or one variable with [NAME]"),
	F(P_CMDLINE, "proc.cmdline", S, 0, "proc.name and proc.args"),
	F(P_EXELINE, "proc.exeline", S, 0, "proc.exe and proc.args"),
	F(P_CWD, "proc.cwd", S, 0, "current working directory"),
	F(P_NTHREADS, "proc.nthreads", U, 0, "threads of the process, the main one included"),
	F(P_NCHILDS, "proc.nchilds", U, 0, "threads of the process, the main one excluded"),
	F(P_PPID, "proc.ppid", I, 0, "parent process id"),
	F(P_PNAME, "proc.pname", S, 0, "parent process name"),
	F(P_PCMDLINE, "proc.pcmdline", S, 0, "parent command line"),
	F(P_PEXE, "proc.pexe", S, 0, "argv[0] of the parent"),
	F(P_PEXEPATH, "proc.pexepath", S, 0, "executable path of the parent"),
	FA(P_APID, "proc.apid", I, ANYIDX, check_index, "ancestor pid ([0] itself, [1] parent...)"),
	FA(P_ANAME, "proc.aname", S, ANYIDX, check_index,
	   "ancestor name ([0] itself, [1] parent...)"),
	FA(P_AEXE, "proc.aexe", S, ANYIDX, check_index, "ancestor argv[0]"),
	FA(P_AEXEPATH, "proc.aexepath", S, ANYIDX, check_index, "ancestor executable path"),
	F(P_LOGINSHELLID, "proc.loginshellid", I, 0, "pid of the eldest shell among the ancestors"),
	F(P_DURATION, "proc.duration", FF_T_RELTIME, 0, "ns since the process started"),
	F(P_FDOPENCOUNT, "proc.fdopencount", U, 0, "open fds of the process"),
	F(P_FDLIMIT, "proc.fdlimit", I, 0, "maximum number of fds"),
	F(P_VMSIZE, "proc.vmsize", U, 0, "virtual memory (kB)"),
	F(P_VMRSS, "proc.vmrss", U, 0, "resident memory (kB)"),
	F(P_VMSWAP, "proc.vmswap", U, 0, "swapped memory (kB)"),
	F(P_SID, "proc.sid", I, 0, "session id"),
	F(P_SNAME, "proc.sname", S, 0, "name of the session leader"),
	F(P_TTY, "proc.tty", FF_T_UINT64, 0, "controlling terminal, 0 for none"),
	F(P_EXEPATH, "proc.exepath", S, 0, "full executable path"),
	F(P_VPGID, "proc.vpgid", I, 0, "process group id in its pid namespace"),
	F(P_VPID, "proc.vpid", I, 0, "pid in its pid namespace"),
	F(P_IS_VPGID_LEADER, "proc.is_vpgid_leader", B, 0, "true for process group leaders"),
	F(P_IS_EXE_WRITABLE, "proc.is_exe_writable", B, 0, "true when the executable is writable"),
	F(P_IS_EXE_UPPER, "proc.is_exe_upper_layer", B, 0,
	  "true when the executable is in an overlay upper layer"),
	F(P_IS_EXE_MEMFD, "proc.is_exe_from_memfd", B, 0, "true for an executable from a memfd"),
	F(P_EXE_CTIME, "proc.exe_ino.ctime", FF_T_ABSTIME, 0, "ctime of the executable's inode"),
	F(P_EXE_MTIME, "proc.exe_ino.mtime", FF_T_ABSTIME, 0, "mtime of the executable's inode"),
	F(P_EXE_CTIME_DUR, "proc.exe_ino.ctime_duration_proc_start", FF_T_ABSTIME, 0,
	  "ns between the executable's ctime and the process start"),
	F(P_IS_HEALTHCHECK, "proc.is_container_healthcheck", B, 0, "always false in a replay"),
	F(P_IS_LIVENESS, "proc.is_container_liveness_probe", B, 0, "always false in a replay"),
	F(P_IS_READINESS, "proc.is_container_readiness_probe", B, 0, "always false in a replay"),
	F(T_TID, "thread.tid", I, 0, "thread id"),
	F(T_ISMAIN, "thread.ismain", B, 0, "true for the main thread of a process"),
	F(T_VTID, "thread.vtid", I, 0, "thread id in its pid namespace"),
	F(T_CGROUPS, "thread.cgroups", S, 0, "all cgroups, space separated"),
	FA(T_CGROUP, "thread.cgroup", S, FF_FIELD_ARG_DOTTED | FF_FIELD_ARG_REQUIRED, NULL,
	   "cgroup of one subsystem (thread.cgroup.cpu)"),
	F(T_VMSIZE, "thread.vmsize", U, 0, "virtual memory of a main thread (kB), else 0"),
	F(T_VMRSS, "thread.vmrss", U, 0, "resident memory of a main thread (kB), else 0"),
	F(T_PFMAJOR, "thread.pfmajor", U, 0, "major page faults"),
	F(T_PFMINOR, "thread.pfminor", U, 0, "minor page faults"),
	F(T_CAP_EFF, "thread.cap_effective", S, 0, "effective capabilities"),
	F(T_CAP_PERM, "thread.cap_permitted", S, 0, "permitted capabilities"),
	F(T_CAP_INH, "thread.cap_inheritable", S, 0, "inheritable capabilities"),

	F(U_UID, "user.uid", FF_T_UID, 0, "user id"),
	F(U_NAME, "user.name", S, 0, "user name"),
	F(U_HOMEDIR, "user.homedir", S, 0, "home directory"),
	F(U_SHELL, "user.shell", S, 0, "login shell"),
	F(U_LOGINUID, "user.loginuid", I, 0, "audit user id, -1 when unset"),
	F(U_LOGINNAME, "user.loginname", S, 0, "audit user name"),
	F(G_GID, "group.gid", FF_T_UID, 0, "group id"),
	F(G_NAME, "group.name", S, 0, "group name"),

	F(F_NUM, "fd.num", FF_T_FD, 0, "fd number"),
	F(F_TYPE, "fd.type", S, 0, "fd type: file, directory, ipv4, ipv6, unix, pipe, ..."),
	F(F_TYPECHAR, "fd.typechar", S, 0, "fd type as one character (f, 4, 6, u, p, ...)"),
	F(F_NAME, "fd.name", S, 0, "path of a file, tuple of a socket"),
	F(F_NAMERAW, "fd.nameraw", S, 0, "fd.name before normalization"),
	F(F_DIRECTORY, "fd.directory", S, 0, "directory of a file fd"),
	F(F_FILENAME, "fd.filename", S, 0, "file name of a file fd"),
	F(F_IP, "fd.ip", FF_T_IPADDR, FF_FIELD_EITHER | FF_FIELD_FILTER_ONLY | FF_FIELD_NO_RHS,
	  "client or server address (filters only)"),
	F(F_CIP, "fd.cip", FF_T_IPADDR, 0, "client address"),
	F(F_SIP, "fd.sip", FF_T_IPADDR, 0, "server address"),
	F(F_LIP, "fd.lip", FF_T_IPADDR, 0, "local address"),
	F(F_RIP, "fd.rip", FF_T_IPADDR, 0, "remote address"),
	F(F_PORT, "fd.port", FF_T_PORT, FF_FIELD_EITHER | FF_FIELD_FILTER_ONLY | FF_FIELD_NO_RHS,
	  "client or server port (filters only)"),
	F(F_CPORT, "fd.cport", FF_T_PORT, 0, "client port"),
	F(F_SPORT, "fd.sport", FF_T_PORT, 0, "server port"),
	F(F_LPORT, "fd.lport", FF_T_PORT, 0, "local port"),
	F(F_RPORT, "fd.rport", FF_T_PORT, 0, "remote port"),
	F(F_L4PROTO, "fd.l4proto", S, 0, "tcp, udp, icmp or raw"),
	F(F_SOCKFAMILY, "fd.sockfamily", S, 0, "ip or unix"),
	F(F_IS_SERVER, "fd.is_server", B, 0, "true when the process is the server end"),
	F(F_UID, "fd.uid", S, 0, "thread id and fd number chained"),
	F(F_CONTAINERNAME, "fd.containername", S, 0, "container id and fd name chained"),
	F(F_CONTAINERDIR, "fd.containerdirectory", S, 0, "container id and directory chained"),
	F(F_NET, "fd.net", FF_T_IPNET, FF_FIELD_EITHER | FF_FIELD_FILTER_ONLY | FF_FIELD_NO_RHS,
	  "client or server network (filters only)"),
	F(F_CNET, "fd.cnet", FF_T_IPNET, FF_FIELD_FILTER_ONLY | FF_FIELD_NO_RHS,
	  "client network (filters only)"),
	F(F_SNET, "fd.snet", FF_T_IPNET, FF_FIELD_FILTER_ONLY | FF_FIELD_NO_RHS,
	  "server network (filters only)"),
	F(F_LNET, "fd.lnet", FF_T_IPNET, FF_FIELD_FILTER_ONLY | FF_FIELD_NO_RHS,
	  "local network (filters only)"),
	F(F_RNET, "fd.rnet", FF_T_IPNET, FF_FIELD_FILTER_ONLY | FF_FIELD_NO_RHS,
	  "remote network (filters only)"),
	F(F_CONNECTED, "fd.connected", B, 0, "true for connected sockets"),
	F(F_NAME_CHANGED, "fd.name_changed", B, 0, "true when the event changed the fd name"),
	F(F_CIP_NAME, "fd.cip.name", S, FF_FIELD_NO_RHS | FF_FIELD_DNS,
	  "host name of the client address: compared by resolving the name"),
	F(F_SIP_NAME, "fd.sip.name", S, FF_FIELD_NO_RHS | FF_FIELD_DNS,
	  "host name of the server address: compared by resolving the name"),
	F(F_LIP_NAME, "fd.lip.name", S, FF_FIELD_NO_RHS | FF_FIELD_DNS,
	  "host name of the local address: compared by resolving the name"),
	F(F_RIP_NAME, "fd.rip.name", S, FF_FIELD_NO_RHS | FF_FIELD_DNS,
	  "host name of the remote address: compared by resolving the name"),
	F(F_DEV, "fd.dev", U, 0, "device of the file"),
	F(F_DEV_MAJOR, "fd.dev.major", U, 0, "major device number"),
	F(F_DEV_MINOR, "fd.dev.minor", U, 0, "minor device number"),
	F(F_INO, "fd.ino", U, 0, "inode number of the file"),

	F(FS_NAME, "fs.path.name", P, 0, "path a file system event works on"),
	F(FS_NAMERAW, "fs.path.nameraw", P, 0, "fs.path.name as passed by the process"),
	F(FS_SOURCE, "fs.path.source", P, 0, "source path of rename/link/symlink"),
	F(FS_SOURCERAW, "fs.path.sourceraw", P, 0, "fs.path.source as passed"),
	F(FS_TARGET, "fs.path.target", P, 0, "target path of rename/link/symlink"),
	F(FS_TARGETRAW, "fs.path.targetraw", P, 0, "fs.path.target as passed"),

	F(C_ID, "container.id", S, 0, "container id (12 hex characters) or host"),
	F(C_FULL_ID, "container.full_id", S, 0, "container id as known from the cgroups"),
	F(C_NAME, "container.name", S, 0, "container name; host for host processes"),
	F(C_IMAGE, "container.image", S, 0, "container image (runtime metadata)"),
	F(C_IMAGE_ID, "container.image.id", S, 0, "image id (runtime metadata)"),
	F(C_IMAGE_REPO, "container.image.repository", S, 0, "image repository (runtime metadata)"),
	F(C_IMAGE_TAG, "container.image.tag", S, 0, "image tag (runtime metadata)"),
	F(C_IMAGE_DIGEST, "container.image.digest", S, 0, "image digest (runtime metadata)"),
	F(C_TYPE, "container.type", S, 0, "container runtime; host for host processes"),
	F(C_PRIVILEGED, "container.privileged", B, 0,
	  "true for privileged containers (runtime metadata)"),
	F(C_MOUNTS, "container.mounts", S, 0, "mounts (runtime metadata)"),
	FA(C_MOUNT, "container.mount", S, FF_FIELD_ARG_KEY | FF_FIELD_ARG_REQUIRED, NULL,
	   "one mount"),
	FA(C_MOUNT_SOURCE, "container.mount.source", S, FF_FIELD_ARG_KEY | FF_FIELD_ARG_REQUIRED,
	   NULL, "mount source"),
	FA(C_MOUNT_DEST, "container.mount.dest", S, FF_FIELD_ARG_KEY | FF_FIELD_ARG_REQUIRED, NULL,
	   "mount destination"),
	FA(C_MOUNT_MODE, "container.mount.mode", S, FF_FIELD_ARG_KEY | FF_FIELD_ARG_REQUIRED, NULL,
	   "mount mode"),
	FA(C_MOUNT_RDWR, "container.mount.rdwr", S, FF_FIELD_ARG_KEY | FF_FIELD_ARG_REQUIRED, NULL,
	   "mount rdwr"),
	FA(C_MOUNT_PROPAGATION, "container.mount.propagation", S,
	   FF_FIELD_ARG_KEY | FF_FIELD_ARG_REQUIRED, NULL, "mount propagation"),
	F(C_HEALTHCHECK, "container.healthcheck", S, 0, "health check (runtime metadata)"),
	F(C_LIVENESS, "container.liveness_probe", S, 0, "liveness probe (runtime metadata)"),
	F(C_READINESS, "container.readiness_probe", S, 0, "readiness probe (runtime metadata)"),
	F(C_START_TS, "container.start_ts", FF_T_ABSTIME, 0,
	  "start of the container's pid namespace init"),

	F(K_NONE, "k8s.pod.name", S, 0, "Kubernetes pod name (no value in a replay)"),
	F(K_NONE, "k8s.pod.id", S, 0, "Kubernetes pod id (no value in a replay)"),
	FA(K_NONE, "k8s.pod.label", S,
	   FF_FIELD_ARG_DOTTED | FF_FIELD_ARG_KEY | FF_FIELD_ARG_REQUIRED, NULL,
	   "Kubernetes pod label (no value in a replay)"),
	F(K_NONE, "k8s.pod.labels", S, 0, "Kubernetes pod labels (no value in a replay)"),
	F(K_NONE, "k8s.ns.name", S, 0, "Kubernetes namespace (no value in a replay)"),
	F(K_NONE, "k8s.ns.id", S, 0, "Kubernetes namespace id (no value in a replay)"),
	F(K_NONE, "k8s.rc.name", S, 0, "Kubernetes replication controller (no value in a replay)"),
	F(K_NONE, "k8s.svc.name", S, 0, "Kubernetes service (no value in a replay)"),
	F(K_NONE, "k8s.rs.name", S, 0, "Kubernetes replica set (no value in a replay)"),
	F(K_NONE, "k8s.deployment.name", S, 0, "Kubernetes deployment (no value in a replay)"),
};

int ff_sysfields_new(ff_fields **out, struct ff_err *err)
{
	ff_fields *fs = ff_fields_new();
	if (!fs)
		return ff_errf(err, -ENOMEM, "out of memory");
	int rc = ff_fields_add(fs, defs, sizeof(defs) / sizeof(defs[0]), err);
	if (rc) {
		ff_fields_free(fs);
		return rc;
	}
	*out = fs;
	return 0;
}
