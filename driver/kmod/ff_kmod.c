// SPDX-License-Identifier: GPL-2.0-only
/*
 * falco-forensics kernel-module driver.  Probes on the sys_enter, sys_exit,
 * sched_process_exit and sched_process_fork tracepoints build events in the
 * scap layout (ff_event_abi.h) with the parameter encodings of the BPF probe
 * (driver/bpf/ff_probe.bpf.c), and append them to the ring of the CPU they
 * ran on; /dev/ff_kmodN maps CPU N's ring (ff_kmod_abi.h).
 *
 * Routing comes from the generated ff_bpf_routes.h (driver/gen_tables.awk,
 * out=bpf), the same table the BPF probe uses.  A routed syscall whose event
 * pair has a filler here gets its parameters; any other becomes a generic
 * event (0/1) with its ppm_sc code, in both directions.
 *
 * Context: tracepoint probes run with preemption disabled (non-faultable
 * tracepoints), so nothing here sleeps: user memory is read with the
 * *_nofault helpers, paths with d_path() under RCU, fds with the RCU lookup.
 * A CPU's ring and scratch are only touched by probes on that CPU, which do
 * not nest, so no lock is taken on the hot path.
 */
#include <linux/cdev.h>
#include <linux/cgroup.h>
#include <linux/cred.h>
#include <linux/dcache.h>
#include <linux/device.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/kernfs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/net.h>
#include <linux/openat2.h>
#include <linux/socket.h>
#include <linux/uio.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/tracepoint.h>
#include <linux/tty.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/version.h>
#include <net/af_unix.h>
#include <net/sock.h>

#include "ff_event_abi.h"
#include "ff_event_ids.h"
#include "ff_kmod_abi.h"
#include "ff_probe.h"
#include "ff_bpf_routes.h"

static_assert(FF_BPF_NR_MAX <= FF_KMOD_NR_MAX, "syscall bitmap too small");

static unsigned int ring_mb = 8;
module_param(ring_mb, uint, 0444);
MODULE_PARM_DESC(ring_mb, "per-CPU ring size in MiB (power of 2)");

#define SCRATCH_BYTES (FF_BPF_EVENT_MAX)
#define PATH_BYTES 4096
#define ARGS_MAX FF_BPF_ARGS_MAX

struct ff_ring {
	void *mem; /* vmalloc_user: ctl page then data */
	struct ff_kmod_ring_ctl *ctl;
	u8 *data;
	u32 size;
	u64 head;    /* private copy: userspace can write the ctl page */
	u8 *scratch; /* the event being built */
	char *path;  /* d_path() work area */
};

static struct ff_ring *rings;
static unsigned int nrings;
static dev_t devno;
static struct cdev cdev;
static struct class *dev_class;

/* Configuration: written under cfg_lock, read racily by the probes (a probe
 * seeing the old or the new value of a knob is fine). */
static DEFINE_MUTEX(cfg_lock);
static u8 interesting[FF_KMOD_NR_MAX];
static u32 snaplen = FF_KMOD_DEFAULT_SNAPLEN;
static u32 self_tgid;
static u32 procexit_on = 1;
static bool running;
static unsigned int openers;

static struct tracepoint *tp_enter, *tp_exit, *tp_pexit, *tp_fork;

/* ---- event assembly -------------------------------------------------------- */
struct ff_ev {
	u8 *buf;
	u32 off, pstart, idx, np;
	u16 type;
	bool overflow;
	u64 ts;
	struct ff_ring *r;
};

/* Begin event `type` with the parameter count of the generated table (the
 * probe's): a filler writing another count is caught at submit. */
static void ev_start(struct ff_ev *e, struct ff_ring *r, u16 type)
{
	u32 np = type < FF_BPF_NEVENTS ? ff_bpf_nparams[type] : 0;

	e->r = r;
	e->buf = r->scratch;
	e->ts = ktime_get_real_ns();
	e->type = type;
	e->np = np;
	e->idx = 0;
	e->off = FF_EVT_HDR_LEN + 2 * np;
	e->pstart = e->off;
	e->overflow = false;
}

static inline void p_begin(struct ff_ev *e)
{
	e->pstart = e->off;
}

static inline void p_end(struct ff_ev *e)
{
	if (e->idx < e->np) {
		u16 l = e->off - e->pstart;

		memcpy(e->buf + FF_EVT_HDR_LEN + 2 * e->idx, &l, 2);
	}
	e->idx++;
}

static inline bool room(struct ff_ev *e, u32 n)
{
	if (e->off + n > SCRATCH_BYTES || e->off + n - e->pstart > FF_MAX_PARAM_LEN) {
		e->overflow = true;
		return false;
	}
	return true;
}

static inline void app(struct ff_ev *e, const void *v, u32 n)
{
	if (!room(e, n))
		return;
	memcpy(e->buf + e->off, v, n);
	e->off += n;
}

#define P_INT(name, T)                                                                             \
	static inline void name(struct ff_ev *e, T v)                                              \
	{                                                                                          \
		p_begin(e);                                                                        \
		app(e, &v, sizeof(v));                                                             \
		p_end(e);                                                                          \
	}
P_INT(p_u8, u8)
P_INT(p_u16, u16)
P_INT(p_u32, u32)
P_INT(p_u64, u64)

static inline void app_u8(struct ff_ev *e, u8 v)
{
	app(e, &v, 1);
}
static inline void app_u16(struct ff_ev *e, u16 v)
{
	app(e, &v, 2);
}
static inline void app_u32(struct ff_ev *e, u32 v)
{
	app(e, &v, 4);
}
static inline void app_u64(struct ff_ev *e, u64 v)
{
	app(e, &v, 8);
}

static inline void p_empty(struct ff_ev *e)
{
	p_begin(e);
	p_end(e);
}

/* End a string parameter: an unreadable one is written as "\0", as the
 * probe and libscap's drivers do (sysdig 0.29.3 misprints 0-length ones). */
static inline void p_str_end(struct ff_ev *e)
{
	if (e->off == e->pstart)
		app_u8(e, 0);
	p_end(e);
}

/* Like bpf_probe_read_user(): 0, or an error with `dst` zeroed.  Never
 * faults (probes run with preemption off): a page not present reads as an
 * error. */
static inline long ff_read_user(void *dst, u32 n, const void __user *src)
{
	if (!copy_from_user_nofault(dst, src, n))
		return 0;
	memset(dst, 0, n);
	return -EFAULT;
}

/* strncpy_from_user_nofault() is not exported: copy in chunks that never
 * cross a page, so a string ending just before an unmapped page is read.
 * Returns the length without the NUL (max-1 when cut), or -EFAULT. */
static long ustr_nofault(char *dst, const char __user *u, long max)
{
	long n = 0;

	while (n < max - 1) {
		unsigned long a = (unsigned long)u + n;
		long chunk = min_t(long, PAGE_SIZE - (a & (PAGE_SIZE - 1)), 64);
		char *z;

		chunk = min_t(long, chunk, max - 1 - n);
		if (copy_from_user_nofault(dst + n, (const void __user *)a, chunk))
			return -EFAULT; /* like bpf_probe_read_user_str */
		z = memchr(dst + n, 0, chunk);
		if (z)
			return z - dst;
		n += chunk;
	}
	return n;
}

/* A user string with its NUL (at most 4096 bytes); returns its length with
 * the NUL, 0 when unreadable (nothing appended). */
static long app_ustr(struct ff_ev *e, const void __user *u)
{
	long n;

	if (!u || !room(e, PATH_BYTES))
		return 0;
	n = ustr_nofault(e->buf + e->off, u, PATH_BYTES);
	if (n < 0)
		return 0;
	if (n == PATH_BYTES) /* cut: keep it terminated, like the BPF helper */
		n--;
	e->buf[e->off + n] = 0;
	e->off += n + 1;
	return n + 1;
}

static long app_kstr(struct ff_ev *e, const char *k)
{
	size_t n;

	if (!k)
		return 0;
	n = strnlen(k, PATH_BYTES - 1);
	if (!room(e, n + 1))
		return 0;
	memcpy(e->buf + e->off, k, n);
	e->buf[e->off + n] = 0;
	e->off += n + 1;
	return n + 1;
}

static u32 app_ubytes(struct ff_ev *e, const void __user *u, u64 n)
{
	if (n > FF_BPF_SNAPLEN_MAX)
		n = FF_BPF_SNAPLEN_MAX;
	if (!u || !n || !room(e, n))
		return 0;
	if (copy_from_user_nofault(e->buf + e->off, u, n))
		return 0;
	e->off += n;
	return n;
}

static void p_ustr(struct ff_ev *e, const void __user *u)
{
	p_begin(e);
	app_ustr(e, u);
	p_str_end(e);
}

static void p_kstr(struct ff_ev *e, const char *k)
{
	p_begin(e);
	app_kstr(e, k);
	p_str_end(e);
}

static void p_data(struct ff_ev *e, const void __user *u, long len)
{
	u64 n = len > 0 ? (u64)len : 0;

	if (n > READ_ONCE(snaplen))
		n = READ_ONCE(snaplen);
	p_begin(e);
	app_ubytes(e, u, n);
	p_end(e);
}

/* Copy the finished event into the ring (padding record at the end). */
static void ev_submit(struct ff_ev *e, u64 tid)
{
	struct ff_ring *r = e->r;
	struct ff_kmod_ring_ctl *c = r->ctl;
	u32 len = e->off, need = FF_KMOD_ALIGN(len), off, left;
	u64 head = r->head, tail = smp_load_acquire(&c->tail);

	if (e->overflow || e->idx != e->np) {
		c->fill_fail++;
		return;
	}
	memcpy(e->buf + FF_EVT_OFF_TS, &e->ts, 8);
	memcpy(e->buf + FF_EVT_OFF_TID, &tid, 8);
	memcpy(e->buf + FF_EVT_OFF_LEN, &len, 4);
	memcpy(e->buf + FF_EVT_OFF_TYPE, &e->type, 2);
	memcpy(e->buf + FF_EVT_OFF_NPARAMS, &e->np, 4);

	off = head & (r->size - 1);
	left = r->size - off;
	if (left < need) { /* skip to the start; the skipped end must be free too */
		if (head + left + need - tail > r->size) {
			c->drops++;
			return;
		}
		if (left >= FF_KMOD_PAD_MIN) {
			u16 pt = FF_KMOD_PAD_TYPE;

			memset(r->data + off, 0, FF_KMOD_PAD_MIN);
			memcpy(r->data + off + FF_EVT_OFF_LEN, &left, 4);
			memcpy(r->data + off + FF_EVT_OFF_TYPE, &pt, 2);
		}
		head += left;
		off = 0;
	} else if (head + need - tail > r->size) {
		c->drops++;
		return;
	}
	memcpy(r->data + off, e->buf, len);
	c->events++;
	r->head = head + need;
	smp_store_release(&c->head, r->head); /* the record before the position */
}

/* ---- kernel lookups -------------------------------------------------------- */
static inline u64 arg(struct pt_regs *regs, int i)
{
	switch (i) {
	case 0:
		return regs->di;
	case 1:
		return regs->si;
	case 2:
		return regs->dx;
	case 3:
		return regs->r10;
	case 4:
		return regs->r8;
	default:
		return regs->r9;
	}
}

static inline struct task_struct *cur(void)
{
	return current;
}

/* The file behind `fd` in the current task (`t` is always current), no
 * reference taken: the probes run under rcu_read_lock(), and only read
 * fields.  Another thread closing it meanwhile is the race the probe has. */
static struct file *fd_file(struct task_struct *t, long fd)
{
	struct files_struct *files = t->files;

	if (fd < 0 || !files)
		return NULL;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 7, 0)
	return files_lookup_fd_raw(files, fd);
#else
	return files_lookup_fd_rcu(files, fd);
#endif
}

static struct sock *fd_sock(struct task_struct *t, long fd)
{
	struct file *f = fd_file(t, fd);
	struct socket *so = f ? sock_from_file(f) : NULL;

	return so ? so->sk : NULL;
}

static inline u64 ff_file_ino(struct file *f)
{
	return file_inode(f)->i_ino;
}

static inline void ff_sock_backlog(struct sock *sk, u32 *qlen, u32 *qmax)
{
	*qlen = sk ? READ_ONCE(sk->sk_ack_backlog) : 0;
	*qmax = sk ? READ_ONCE(sk->sk_max_ack_backlog) : 0;
}

static void p_file_devino(struct ff_ev *e, struct file *f, int with_ino)
{
	struct inode *ino = f ? file_inode(f) : NULL;

	p_u32(e, ino ? new_encode_dev(ino->i_sb->s_dev) : 0);
	if (with_ino)
		p_u64(e, ino ? ino->i_ino : 0);
}

/* PPM_O_F_CREATED when this open created the file. */
static inline u32 created(struct file *f)
{
	return f && (f->f_mode & FMODE_CREATED) ? 16384 : 0;
}

/* ---- paths ------------------------------------------------------------------ */
/* Under rcu_read_lock(): d_path() walks RCU-freed dentries and mounts. */
static void app_path(struct ff_ev *e, const struct path *p)
{
	char *s;

	if (!p->dentry || !p->mnt)
		return;
	s = d_path(p, e->r->path, PATH_BYTES);
	if (!IS_ERR(s))
		app_kstr(e, s);
}

/* ---- sockets ------------------------------------------------------------------ */
static void p_usockaddr(struct ff_ev *e, const void __user *ua, long ulen)
{
	u16 fam = 0;

	p_begin(e);
	if (ua && ulen >= 2 && !copy_from_user_nofault(&fam, ua, 2)) {
		if (fam == AF_INET && ulen >= 8) {
			struct sockaddr_in sin = {};

			ff_read_user(&sin, sizeof(sin), ua);
			app_u8(e, FF_AF_INET);
			app_u32(e, sin.sin_addr.s_addr);
			app_u16(e, ntohs(sin.sin_port));
		} else if (fam == AF_INET6 && ulen >= 24) {
			struct sockaddr_in6 s6 = {};

			ff_read_user(&s6, sizeof(s6), ua);
			app_u8(e, FF_AF_INET6);
			app(e, &s6.sin6_addr, 16);
			app_u16(e, ntohs(s6.sin6_port));
		} else if (fam == AF_UNIX) {
			char c = 0;

			app_u8(e, FF_AF_UNIX);
			ff_read_user(&c, 1, (const char __user *)ua + 2);
			if (c == 0 && ulen > 3) { /* abstract name: shown with '@' */
				app_u8(e, '@');
				if (!app_ustr(e, (const char __user *)ua + 3))
					app_u8(e, 0);
			} else if (!app_ustr(e, (const char __user *)ua + 2)) {
				app_u8(e, 0);
			}
		}
	}
	p_end(e);
}

static void app_unix_path(struct ff_ev *e, struct sock *sk)
{
	struct unix_address *a = READ_ONCE(unix_sk(sk)->addr);
	const char *p;

	if (!a) {
		app_u8(e, 0);
		return;
	}
	p = a->name[0].sun_path;
	if (p[0] == 0) {
		app_u8(e, '@');
		p++;
	}
	if (!app_kstr(e, p))
		app_u8(e, 0);
}

/* SOCKTUPLE.  Outbound: local end first; inbound: peer first.  `ua` supplies
 * the peer of unconnected datagram sockets. */
static void p_tuple(struct ff_ev *e, struct sock *sk, int inbound, const void __user *ua, long ulen)
{
	p_begin(e);
	if (!sk)
		goto out;
	if (sk->sk_family == AF_INET) {
		u32 lip = sk->sk_rcv_saddr, rip = sk->sk_daddr;
		u16 lport = sk->sk_num, rport = ntohs(sk->sk_dport);

		if (!rip && !rport && ua && ulen >= 8) {
			struct sockaddr_in sin = {};

			ff_read_user(&sin, sizeof(sin), ua);
			if (sin.sin_family == AF_INET) {
				rip = sin.sin_addr.s_addr;
				rport = ntohs(sin.sin_port);
			}
		}
		app_u8(e, FF_AF_INET);
		app_u32(e, inbound ? rip : lip);
		app_u16(e, inbound ? rport : lport);
		app_u32(e, inbound ? lip : rip);
		app_u16(e, inbound ? lport : rport);
#if IS_ENABLED(CONFIG_IPV6)
	} else if (sk->sk_family == AF_INET6) {
		struct in6_addr l = sk->sk_v6_rcv_saddr, r = sk->sk_v6_daddr;
		u16 lport = sk->sk_num, rport = ntohs(sk->sk_dport);

		app_u8(e, FF_AF_INET6);
		app(e, inbound ? &r : &l, 16);
		app_u16(e, inbound ? rport : lport);
		app(e, inbound ? &l : &r, 16);
		app_u16(e, inbound ? lport : rport);
#endif
	} else if (sk->sk_family == AF_UNIX) {
		struct sock *peer = READ_ONCE(unix_sk(sk)->peer);

		app_u8(e, FF_AF_UNIX);
		app_u64(e, (u64)(unsigned long)sk);
		app_u64(e, (u64)(unsigned long)peer);
		app_unix_path(e, peer ? peer : sk);
	}
out:
	p_end(e);
}

/* ---- processes ------------------------------------------------------------------ */
static u32 mm_kb(struct mm_struct *mm, int which)
{
	long pages = get_mm_counter(mm, which);

	return pages > 0 ? (u32)(pages << (PAGE_SHIFT - 10)) : 0;
}

/* vm_size, vm_rss, vm_swap of the current task (KiB). */
static void p_mm_counters(struct ff_ev *e)
{
	struct mm_struct *mm = current->mm;

	p_u32(e, mm ? mm->total_vm << (PAGE_SHIFT - 10) : 0);
	p_u32(e, mm ? mm_kb(mm, MM_FILEPAGES) + mm_kb(mm, MM_ANONPAGES) + mm_kb(mm, MM_SHMEMPAGES)
	            : 0);
	p_u32(e, mm ? mm_kb(mm, MM_SWAPENTS) : 0);
}

/* The parameter fillers shared with the BPF probe. */
#define FF_INLINE static inline
#define FF_NOINLINE static
#define FF_NO_UNROLL
#define FF_READ_USER(dst, n, uptr) ff_read_user((dst), (n), (const void __user *)(uptr))
#define FF_SNAPLEN READ_ONCE(snaplen)
#include "ff_fill.h"

static s64 vnr(struct pid *p)
{
	return p ? p->numbers[p->level].nr : 0;
}

static void p_exe_args(struct ff_ev *e, struct mm_struct *mm)
{
	unsigned long s = mm ? mm->arg_start : 0, end = mm ? mm->arg_end : 0;
	u64 total = end > s ? end - s : 0;
	long n;

	if (total > ARGS_MAX)
		total = ARGS_MAX;
	p_begin(e);
	n = total ? app_ustr(e, (const void __user *)s) : 0;
	p_str_end(e);
	p_begin(e);
	if (n > 0 && (u64)n < total) {
		u32 got = app_ubytes(e, (const void __user *)(s + n), total - n);

		if (got && total == ARGS_MAX) /* cut: keep it NUL-terminated */
			e->buf[e->off - 1] = 0;
	}
	p_end(e);
}

static void p_env(struct ff_ev *e, struct mm_struct *mm)
{
	unsigned long s = mm ? mm->env_start : 0, end = mm ? mm->env_end : 0;
	u64 total = end > s ? end - s : 0;

	if (total > ARGS_MAX)
		total = ARGS_MAX;
	p_begin(e);
	if (app_ubytes(e, (const void __user *)s, total) && total == ARGS_MAX)
		e->buf[e->off - 1] = 0;
	p_end(e);
}

/* "controller=/path\0" for each of the first 12 controllers, like the probe:
 * a controller of the v2 (default) hierarchy names the task's own v2 cgroup,
 * as /proc/PID/cgroup does; v1 controllers their hierarchy's path. */
static void p_cgroups(struct ff_ev *e, struct task_struct *t)
{
	struct css_set *cs;
	int i;

	p_begin(e);
	cs = task_css_set(t);
	for (i = 0; i < CGROUP_SUBSYS_COUNT && i < 12; i++) {
		struct cgroup_subsys_state *css = cs->subsys[i];
		struct cgroup *cg;
		int n;

		if (!css || !css->ss || !css->cgroup)
			continue;
		if (app_kstr(e, css->ss->name) <= 1)
			continue;
		e->off--; /* the NUL becomes '=' */
		app_u8(e, '=');
		cg = css->cgroup;
		if (cs->dfl_cgrp && cg->root->hierarchy_id == 0)
			cg = cs->dfl_cgrp;
		n = kernfs_path(cg->kn, e->r->path, PATH_BYTES);
		app_kstr(e, n > 0 ? e->r->path : "/");
	}
	p_end(e);
}

/* The 15 parameters execve and clone exits share: res .. cgroups. */
static void p_proc_common(struct ff_ev *e, struct task_struct *t, long ret)
{
	struct mm_struct *mm = t->mm;
	struct task_struct *parent = rcu_dereference(t->real_parent);
	struct path pwd = {};

	p_u64(e, ret);
	p_exe_args(e, mm);
	p_u64(e, t->pid);
	p_u64(e, t->tgid);
	p_u64(e, parent ? parent->pid : 0);
	/* no reference: a dput() could sleep, and RCU keeps the dentry and the
	 * mount alive for d_path() */
	if (t->fs) {
		spin_lock(&t->fs->lock);
		pwd = t->fs->pwd;
		spin_unlock(&t->fs->lock);
	}
	p_begin(e);
	app_path(e, &pwd);
	p_str_end(e);
	p_u64(e, READ_ONCE(t->signal->rlim[RLIMIT_NOFILE].rlim_cur));
	p_u64(e, t->maj_flt);
	p_u64(e, t->min_flt);
	p_mm_counters(e);
	p_kstr(e, t->comm);
	p_cgroups(e, t);
}

static u64 ts_ns(struct timespec64 t)
{
	return (u64)t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static void fill_execve_x(struct ff_ev *e, struct pt_regs *regs, long ret, int at)
{
	struct task_struct *t = current;
	struct mm_struct *mm = t->mm;
	const struct cred *cr = current_cred();
	struct file *exe = mm ? rcu_dereference(mm->exe_file) : NULL;
	struct inode *ino = exe ? file_inode(exe) : NULL;
	struct tty_struct *tty = t->signal->tty;
	struct pid *pg = task_pgrp(t);
	u32 flags = 0;

	p_proc_common(e, t, ret);
	p_env(e, mm);
	if (tty && tty->driver) {
		u32 major = tty->driver->major, minor = tty->driver->minor_start + tty->index;

		p_u32(e, (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12));
	} else {
		p_u32(e, 0);
	}
	p_u64(e, vnr(pg));
#ifdef CONFIG_AUDIT
	p_u32(e, t->loginuid.val);
#else
	p_u32(e, (u32)-1);
#endif
	if (ino) { /* EXE_WRITABLE from the mode bits, as the probe does */
		u32 m = ino->i_mode, euid = cr->euid.val;

		if (!euid || (m & 02) || ((m & 0200) && euid == ino->i_uid.val) ||
		    ((m & 020) && cr->egid.val == ino->i_gid.val))
			flags |= 1;
	}
	p_u32(e, flags);
	p_u64(e, *(u64 *)&cr->cap_inheritable);
	p_u64(e, *(u64 *)&cr->cap_permitted);
	p_u64(e, *(u64 *)&cr->cap_effective);
	p_u64(e, ino ? ino->i_ino : 0);
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	p_u64(e, ino ? ts_ns(inode_get_ctime(ino)) : 0);
	p_u64(e, ino ? ts_ns(inode_get_mtime(ino)) : 0);
#else
	p_u64(e, ino ? ts_ns(ino->i_ctime) : 0);
	p_u64(e, ino ? ts_ns(ino->i_mtime) : 0);
#endif
	p_u32(e, cr->euid.val);
	p_begin(e);
	if (exe)
		app_path(e, &exe->f_path);
	p_str_end(e);
	p_u64(e, pg ? pg->numbers[0].nr : 0);
	p_u32(e, cr->egid.val);
	if (!at) {
		/* After a successful exec the kernel copied the file name to the
		 * top of the new stack, right after the environment. */
		if (ret == 0)
			p_ustr(e, (const void __user *)(mm ? mm->env_end : 0));
		else
			p_ustr(e, (const void __user *)arg(regs, 0));
	}
}

static void fill_clone_x(struct ff_ev *e, struct pt_regs *regs, long ret, u16 type)
{
	struct task_struct *t = current;
	const struct cred *cr = current_cred();
	u64 f = 0;

	p_proc_common(e, t, ret);
	if (type == FFE_CLONE_X)
		f = arg(regs, 0);
	else if (type == FFE_CLONE3_X)
		ff_read_user(&f, sizeof(f), (const void __user *)arg(regs, 0));
	else if (type == FFE_VFORK_X)
		f = 0x4000 | 0x100; /* CLONE_VFORK | CLONE_VM */
	p_u32(e, clone_flags(f));
	p_u32(e, cr->euid.val);
	p_u32(e, cr->egid.val);
	p_u64(e, vnr(task_pid(t)));
	p_u64(e, vnr(task_pid(t->group_leader)));
	/* pidns_init_start_ts: when the init of the child's pid namespace
	 * started (monotonic ns); the child side only, as libs does. */
	if (ret == 0) {
		struct pid *tp = task_pid(t->group_leader);
		struct pid_namespace *ns = tp ? tp->numbers[tp->level].ns : NULL;
		struct task_struct *reaper = ns ? READ_ONCE(ns->child_reaper) : NULL;

		p_u64(e, reaper ? reaper->start_time : 0);
	} else {
		p_u64(e, 0);
	}
}

/* ---- probes -------------------------------------------------------------------- */
static bool routed(long nr, struct ff_bpf_route *r)
{
	if (nr < 0 || nr >= FF_BPF_NR_MAX || !READ_ONCE(interesting[nr]))
		return false;
	*r = ff_bpf_routes[nr];
	return r->enter != FF_BPF_ROUTE_NONE;
}

static inline bool is_self(void)
{
	return current->tgid == READ_ONCE(self_tgid);
}

/* A generic event (syscall 0/1): the ppm_sc code and the native number. */
static void fill_generic(struct ff_ev *e, u16 type, u16 sc, long nr)
{
	ev_start(e, e->r, type);
	p_u16(e, sc);
	p_u16(e, nr);
}

/* Tracepoint probes run with preemption off on the kernels we build for; a
 * CPU's ring and scratch are ours until put_cpu() on faultable ones too. */
static void probe_sys_enter(void *data, struct pt_regs *regs, long nr)
{
	struct ff_bpf_route r;
	struct ff_ev e;

	if (!routed(nr, &r) || is_self())
		return;
	ev_start(&e, &rings[get_cpu()], r.enter ? r.enter : FFE_SYSCALL_E);
	rcu_read_lock();
	if (!r.enter || fill_enter(&e, regs, r.enter) < 0)
		fill_generic(&e, FFE_SYSCALL_E, r.ppm_sc, nr); /* no filler: start over */
	rcu_read_unlock();
	ev_submit(&e, current->pid);
	put_cpu();
}

static void probe_sys_exit(void *data, struct pt_regs *regs, long ret)
{
	long nr = syscall_get_nr(current, regs);
	struct ff_bpf_route r;
	struct ff_ev e;
	u16 ev;

	if (!routed(nr, &r) || is_self())
		return;
	ev = r.enter ? r.enter + 1 : FFE_SYSCALL_X;
	ev_start(&e, &rings[get_cpu()], ev);
	rcu_read_lock();
	switch (ev) {
	case FFE_SYSCALL_X:
		fill_generic(&e, FFE_SYSCALL_X, r.ppm_sc, nr);
		break;
	case FFE_EXECVE_X:
	case FFE_EXECVEAT_X:
		fill_execve_x(&e, regs, ret, ev == FFE_EXECVEAT_X);
		break;
	case FFE_CLONE_X:
	case FFE_FORK_X:
	case FFE_VFORK_X:
	case FFE_CLONE3_X:
		fill_clone_x(&e, regs, ret, ev);
		break;
	default:
		if (is_net_exit(ev))
			fill_exit_net(&e, regs, ev, ret);
		else if (fill_exit(&e, regs, ev, ret) < 0)
			fill_generic(&e, FFE_SYSCALL_X, r.ppm_sc, nr);
	}
	rcu_read_unlock();
	ev_submit(&e, current->pid);
	put_cpu();
}

/* procexit: the 2022 list (4 parameters), as the probe writes it. */
static void probe_proc_exit(void *data, struct task_struct *p)
{
	struct ff_ev e;
	s32 code;

	if (!READ_ONCE(procexit_on) || is_self())
		return;
	ev_start(&e, &rings[get_cpu()], FFE_PROCEXIT_E);
	code = p->exit_code;
	p_u64(&e, (s64)code);
	p_u64(&e, (code >> 8) & 0xff);
	p_u8(&e, code & 0x7f);
	p_u8(&e, (code & 0x80) ? 1 : 0);
	ev_submit(&e, p->pid);
	put_cpu();
}

/* Children report themselves through their clone exit (x86 runs sys_exit
 * from ret_from_fork); forks are only counted, to cross-check that. */
static void probe_proc_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	rings[get_cpu()].ctl->forks++;
	put_cpu();
}

/* ---- start / stop ---------------------------------------------------------------- */
static void find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sys_enter"))
		tp_enter = tp;
	else if (!strcmp(tp->name, "sys_exit"))
		tp_exit = tp;
	else if (!strcmp(tp->name, "sched_process_exit"))
		tp_pexit = tp;
	else if (!strcmp(tp->name, "sched_process_fork"))
		tp_fork = tp;
}

static void unregister_all(void)
{
	tracepoint_probe_unregister(tp_enter, probe_sys_enter, NULL);
	tracepoint_probe_unregister(tp_exit, probe_sys_exit, NULL);
	tracepoint_probe_unregister(tp_pexit, probe_proc_exit, NULL);
	tracepoint_probe_unregister(tp_fork, probe_proc_fork, NULL);
}

/* Called with cfg_lock held. */
static int capture_start(void)
{
	unsigned int i;
	int err;

	if (running)
		return 0;
	for (i = 0; i < nrings; i++) {
		struct ff_kmod_ring_ctl *c = rings[i].ctl;

		if (!c)
			continue;
		rings[i].head = c->head = c->tail = 0;
		c->events = c->drops = c->fill_fail = c->forks = 0;
	}
	err = tracepoint_probe_register(tp_enter, probe_sys_enter, NULL);
	if (!err)
		err = tracepoint_probe_register(tp_exit, probe_sys_exit, NULL);
	if (!err)
		err = tracepoint_probe_register(tp_pexit, probe_proc_exit, NULL);
	if (!err)
		err = tracepoint_probe_register(tp_fork, probe_proc_fork, NULL);
	if (err) {
		unregister_all(); /* -ENOENT for the ones not registered: harmless */
		tracepoint_synchronize_unregister();
		return err;
	}
	running = true;
	return 0;
}

static void capture_stop(void)
{
	if (!running)
		return;
	unregister_all();
	/* no probe is still writing into a ring once this returns */
	tracepoint_synchronize_unregister();
	running = false;
}

/* ---- device ------------------------------------------------------------------------ */
static int ffk_open(struct inode *inode, struct file *f)
{
	unsigned int cpu = iminor(inode);

	if (cpu >= nrings || !rings[cpu].mem)
		return -ENODEV;
	f->private_data = &rings[cpu];
	mutex_lock(&cfg_lock);
	openers++;
	mutex_unlock(&cfg_lock);
	return 0;
}

/* The last close stops the capture: a crashed consumer does not leave the
 * probes running. */
static int ffk_release(struct inode *inode, struct file *f)
{
	mutex_lock(&cfg_lock);
	if (--openers == 0)
		capture_stop();
	mutex_unlock(&cfg_lock);
	return 0;
}

static int ffk_mmap(struct file *f, struct vm_area_struct *vma)
{
	struct ff_ring *r = f->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;

	if (vma->vm_pgoff || len > FF_KMOD_CTL_BYTES + (unsigned long)r->size)
		return -EINVAL;
	return remap_vmalloc_range(vma, r->mem, 0);
}

static long ffk_ioctl(struct file *f, unsigned int cmd, unsigned long argp)
{
	void __user *up = (void __user *)argp;
	long ret = 0;
	u32 v;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	mutex_lock(&cfg_lock);
	switch (cmd) {
	case FF_KMOD_IOC_START:
		ret = capture_start();
		break;
	case FF_KMOD_IOC_STOP:
		capture_stop();
		break;
	case FF_KMOD_IOC_SNAPLEN:
		if (copy_from_user(&v, up, sizeof(v)))
			ret = -EFAULT;
		else if (v > FF_KMOD_SNAPLEN_MAX)
			ret = -EINVAL;
		else
			WRITE_ONCE(snaplen, v);
		break;
	case FF_KMOD_IOC_SYSCALLS: {
		static struct ff_kmod_syscalls tmp; /* under cfg_lock */

		if (copy_from_user(&tmp, up, sizeof(tmp)))
			ret = -EFAULT;
		else
			memcpy(interesting, tmp.set, sizeof(interesting));
		break;
	}
	case FF_KMOD_IOC_SELF:
		if (copy_from_user(&v, up, sizeof(v)))
			ret = -EFAULT;
		else
			WRITE_ONCE(self_tgid, v);
		break;
	case FF_KMOD_IOC_PROCEXIT:
		if (copy_from_user(&v, up, sizeof(v)))
			ret = -EFAULT;
		else
			WRITE_ONCE(procexit_on, v ? 1 : 0);
		break;
	default:
		ret = -ENOTTY;
	}
	mutex_unlock(&cfg_lock);
	return ret;
}

static const struct file_operations ffk_fops = {
	.owner = THIS_MODULE, /* an open device pins the module: rmmod gets -EBUSY */
	.open = ffk_open,
	.release = ffk_release,
	.mmap = ffk_mmap,
	.unlocked_ioctl = ffk_ioctl,
};

static char *ffk_devnode(
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
    const
#endif
    struct device *dev,
    umode_t *mode)
{
	if (mode)
		*mode = 0600;
	return NULL;
}

static void free_rings(void)
{
	unsigned int i;

	for (i = 0; rings && i < nrings; i++) {
		vfree(rings[i].mem);
		vfree(rings[i].scratch);
		kfree(rings[i].path);
	}
	kfree(rings);
	rings = NULL;
}

static int __init ff_kmod_init(void)
{
	unsigned long size = (unsigned long)ring_mb << 20;
	unsigned int cpu, i;
	int err;

	if (!ring_mb || (ring_mb & (ring_mb - 1)) || ring_mb > 1024)
		return -EINVAL;
	for_each_kernel_tracepoint(find_tp, NULL);
	if (!tp_enter || !tp_exit || !tp_pexit || !tp_fork) {
		pr_err(FF_KMOD_NAME ": tracepoints not found\n");
		return -ENOENT;
	}
	memset(interesting, 1, sizeof(interesting));
	nrings = nr_cpu_ids;
	rings = kcalloc(nrings, sizeof(*rings), GFP_KERNEL);
	if (!rings)
		return -ENOMEM;
	for_each_possible_cpu(cpu)
	{
		struct ff_ring *r = &rings[cpu];

		r->mem = vmalloc_user(FF_KMOD_CTL_BYTES + size);
		r->scratch = vmalloc(SCRATCH_BYTES);
		r->path = kmalloc(PATH_BYTES, GFP_KERNEL);
		if (!r->mem || !r->scratch || !r->path) {
			err = -ENOMEM;
			goto fail;
		}
		r->ctl = r->mem;
		r->data = (u8 *)r->mem + FF_KMOD_CTL_BYTES;
		r->size = size;
		r->ctl->size = size;
	}
	err = alloc_chrdev_region(&devno, 0, nrings, FF_KMOD_NAME);
	if (err)
		goto fail;
	cdev_init(&cdev, &ffk_fops);
	cdev.owner = THIS_MODULE;
	err = cdev_add(&cdev, devno, nrings);
	if (err)
		goto fail_region;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	dev_class = class_create(FF_KMOD_NAME);
#else
	dev_class = class_create(THIS_MODULE, FF_KMOD_NAME);
#endif
	if (IS_ERR(dev_class)) {
		err = PTR_ERR(dev_class);
		goto fail_cdev;
	}
	dev_class->devnode = ffk_devnode;
	for (i = 0; i < nrings; i++) {
		struct device *d;

		if (!rings[i].mem)
			continue;
		d = device_create(dev_class, NULL, MKDEV(MAJOR(devno), i), NULL, FF_KMOD_NAME "%u",
		                  i);
		if (IS_ERR(d)) {
			err = PTR_ERR(d);
			while (i--)
				device_destroy(dev_class, MKDEV(MAJOR(devno), i));
			goto fail_class;
		}
	}
	pr_info(FF_KMOD_NAME ": %u rings of %u MiB\n", nrings, ring_mb);
	return 0;

fail_class:
	class_destroy(dev_class);
fail_cdev:
	cdev_del(&cdev);
fail_region:
	unregister_chrdev_region(devno, nrings);
fail:
	free_rings();
	return err;
}

static void __exit ff_kmod_exit(void)
{
	unsigned int i;

	mutex_lock(&cfg_lock);
	capture_stop();
	mutex_unlock(&cfg_lock);
	for (i = 0; i < nrings; i++)
		if (rings[i].mem)
			device_destroy(dev_class, MKDEV(MAJOR(devno), i));
	class_destroy(dev_class);
	cdev_del(&cdev);
	unregister_chrdev_region(devno, nrings);
	free_rings();
}

module_init(ff_kmod_init);
module_exit(ff_kmod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("falco-forensics syscall capture driver");
