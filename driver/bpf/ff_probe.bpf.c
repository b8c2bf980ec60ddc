// SPDX-License-Identifier: GPL-2.0-only
/*
 * The CO-RE syscall probe.  Every event is written in the exact scap layout
 * (ff_event_abi.h: header, u16 length array, values) into the ring of the CPU
 * it ran on, so userspace hands the bytes on untouched.  The hottest events,
 * whose size is fixed or bounded (generic, read/write/close, open/openat with
 * a path under 256 bytes), are written in place in a ring record; the others
 * are assembled in a scratch slot and copied.  A record may be longer than
 * its event (read/write exits reserve a full snapshot, opens a 256-byte
 * path): the event's own length is what counts.
 *
 * Cost (tests/bench/bench_probe_cost, this 2-core VM): a timestamp read is
 * ~45 ns of an event's ~170 ns; the path an open's enter and exit both carry
 * is read from user memory twice (~45 ns each): keeping the enter's copy in
 * task storage for the exit measured slower (238 vs 231 ns per program run).
 *
 * Routing: the x86_64 syscall number picks the 2022 event pair from the
 * generated table ff_bpf_routes.h (compat profile, scap-format.md section 15).
 * A syscall whose pair has a filler below gets its parameters; any other
 * routed syscall becomes a generic event (0/1) carrying its ppm_sc code.
 * Enter events carry the 2022 parameter list; exit events either the 2022
 * count or the full 2026 list, never anything in between.
 *
 * Scratch: an event is assembled in one of FF_BPF_SLOTS scratch slots of its
 * CPU, claimed with a compare-and-swap and released at submit.  Since 6.x the
 * syscall tracepoints may run with preemption enabled (faultable tracepoints;
 * PREEMPT or PREEMPT_DYNAMIC=full kernels), so a task can be preempted inside
 * the probe and another task on the same CPU enter it: with a plain per-CPU
 * buffer the second would overwrite the first's half-built event.  The claim
 * makes that impossible; a CPU with every slot busy counts a fill failure.
 * (The kernel itself skips a program re-entered on the same CPU and counts a
 * recursion miss; the loader reports those as drops.)
 *
 * Parameter counts come from the generated ff_bpf_nparams[] (event table):
 * enter events carry their 2022 list, exit events the full list.  A filler
 * that writes another count is caught at submit (fill failure), so the table
 * and the fillers cannot silently disagree.
 *
 * sched_process_fork / sched_process_exec are not hooked: on x86_64 the child
 * returns from clone through ret_from_fork and the syscall-exit tracepoint,
 * and a successful execve returns through it too, so sys_exit already yields
 * the child's clone exit and the execve exit (libs hooks them only on arm64,
 * s390, riscv and loongarch, where that path does not fire).
 *
 * Wakeups: records are submitted with BPF_RB_NO_WAKEUP; only when a ring
 * holds more than ff_wake_bytes is the consumer woken, which otherwise polls
 * on a timer.  A wakeup per event would double the cost of each syscall.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

#include "ff_event_abi.h"
#include "ff_event_ids.h"
#include "ff_probe.h"
#include "ff_bpf_routes.h"

char LICENSE[] SEC("license") = "GPL";

/* ---- knobs set by the loader before load -------------------------------- */
const volatile __u32 ff_self_tgid = 0; /* never trace the consumer */
const volatile __u32 ff_snaplen = FF_BPF_DEFAULT_SNAPLEN;
const volatile __u64 ff_boot_to_epoch_ns = 0;  /* realtime - boottime */
const volatile __u64 ff_wake_bytes = 1u << 20; /* pending bytes forcing a wakeup */
/* Syscalls of interest, by x86_64 number (writable at run time via mmap). */
__u8 ff_interesting[FF_BPF_NR_MAX] = {};
__u8 ff_procexit_on = 1;

/* ---- maps ---------------------------------------------------------------- */
struct ff_rb {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22); /* resized by the loader */
};

/* One ring per CPU: no producer contention, and a CPU's events stay in order. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1); /* number of possible CPUs, set by the loader */
	__type(key, __u32);
	__array(values, struct ff_rb);
} ff_rings SEC(".maps");

/* The state of the event being built lives in the map value, not on the
 * stack: the verifier then sees every offset as a fresh bounded scalar and
 * the branches of a loop body converge, instead of multiplying paths. */
struct ff_ev {
	__u32 busy; /* claimed by an event being built (cmpxchg 0 -> 1) */
	__u32 pad2;
	__u64 ts;      /* taken when the event started */
	__u32 off;     /* where the next value byte goes */
	__u32 pstart;  /* offset where the current parameter began */
	__u32 idx;     /* next parameter index */
	__u32 np;      /* parameters announced in the header */
	__u32 pos;     /* path building: start of the path in tmp */
	__u16 type;    /* event id */
	__u8 overflow; /* a value did not fit: the event is dropped */
	__u8 pad;
	__u8 buf[FF_BPF_SCRATCH];
	__u8 tmp[FF_BPF_TMP + 512]; /* +512: a 255-byte name may start at its end */
};

/* A plain array indexed by CPU * FF_BPF_SLOTS + slot: per-CPU values are
 * limited to 32 KiB. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1); /* possible CPUs * FF_BPF_SLOTS, set by the loader */
	__type(key, __u32);
	__type(value, struct ff_ev);
} ff_scratch_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ff_bpf_cpu_stats);
} ff_stats SEC(".maps");

/* ---- event assembly ------------------------------------------------------- */
#define HMASK (FF_BPF_HALF - 1)
#define TMASK (FF_BPF_TMP - 1)

/* x & mask that the compiler cannot drop: clang proves a bound from an
 * earlier check and removes the mask, but the verifier tracks another copy of
 * the register and then sees an unbounded offset. */
static __always_inline __u64 bound(__u64 x, __u64 mask)
{
	asm volatile("%[x] &= %[m]" : [x] "+r"(x) : [m] "i"(mask));
	return x;
}

static __always_inline struct ff_bpf_cpu_stats *stats(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&ff_stats, &zero);
}

/* Wake the consumer only once a ring holds more than ff_wake_bytes; the
 * fill level is looked at every 16th event of a CPU (a helper call saved on
 * the others), which the ring's headroom above ff_wake_bytes absorbs. */
static __always_inline __u64 wake_flag(void *rb, struct ff_bpf_cpu_stats *st)
{
	if ((st->events & 15) == 0 && bpf_ringbuf_query(rb, BPF_RB_AVAIL_DATA) > ff_wake_bytes) {
		st->wakeups++;
		return BPF_RB_FORCE_WAKEUP;
	}
	return BPF_RB_NO_WAKEUP;
}

static __always_inline __u32 nparams(__u16 type)
{
	return ff_bpf_nparams[bound(type, FF_BPF_NEVENTS_P2 - 1)];
}

/* Claim a free scratch slot of this CPU; NULL (counted) when all are busy. */
static __always_inline struct ff_ev *ev_claim(void)
{
	__u32 base = bpf_get_smp_processor_id() * FF_BPF_SLOTS;
	struct ff_bpf_cpu_stats *st;

#pragma clang loop unroll(full)
	for (__u32 k = 0; k < FF_BPF_SLOTS; k++) {
		__u32 key = base + k;
		struct ff_ev *e = bpf_map_lookup_elem(&ff_scratch_map, &key);

		if (e && __sync_val_compare_and_swap(&e->busy, 0, 1) == 0)
			return e;
	}
	st = stats();
	if (st)
		st->fill_fail++;
	return NULL;
}

static __always_inline void ev_release(struct ff_ev *e)
{
	/* BPF has no release store: a compiler barrier, then a plain store
	 * (x86 keeps stores in order). */
	asm volatile("" ::: "memory");
	*(volatile __u32 *)&e->busy = 0;
}

/* Begin event `type` in `e` (claimed), with the parameter count of the table. */
static __always_inline void ev_begin(struct ff_ev *e, __u16 type)
{
	__u32 np = nparams(type);

	e->ts = bpf_ktime_get_boot_ns() + ff_boot_to_epoch_ns;
	e->type = type;
	e->np = np;
	e->idx = 0;
	e->off = FF_EVT_HDR_LEN + 2 * np;
	e->pstart = e->off;
	e->overflow = 0;
}

static __always_inline struct ff_ev *ev_start(__u16 type)
{
	struct ff_ev *e = ev_claim();

	if (e)
		ev_begin(e, type);
	return e;
}

static __always_inline void p_begin(struct ff_ev *e)
{
	e->pstart = e->off;
}

static __always_inline void p_end(struct ff_ev *e)
{
	__u32 i = e->idx;

	if (i < FF_MAX_NPARAMS)
		*(__u16 *)(e->buf + FF_EVT_HDR_LEN + bound(i, FF_MAX_NPARAMS - 1) * 2) =
		    (__u16)(e->off - e->pstart);
	e->idx = i + 1;
}

/* Room for `n` more bytes at the current offset? */
static __always_inline int room(struct ff_ev *e, __u32 n)
{
	if (e->off > FF_BPF_HALF - n) {
		e->overflow = 1;
		return 0;
	}
	return 1;
}

#define APP_INT(name, T)                                                                           \
	static __always_inline void name(struct ff_ev *e, T v)                                     \
	{                                                                                          \
		if (!room(e, sizeof(T)))                                                           \
			return;                                                                    \
		*(T *)(e->buf + bound(e->off, HMASK)) = v;                                         \
		e->off += sizeof(T);                                                               \
	}
APP_INT(app_u8, __u8)
APP_INT(app_u16, __u16)
APP_INT(app_u32, __u32)
APP_INT(app_u64, __u64)

#define P_INT(name, app, T)                                                                        \
	static __always_inline void name(struct ff_ev *e, T v)                                     \
	{                                                                                          \
		p_begin(e);                                                                        \
		app(e, v);                                                                         \
		p_end(e);                                                                          \
	}
P_INT(p_u8, app_u8, __u8)
P_INT(p_u16, app_u16, __u16)
P_INT(p_u32, app_u32, __u32)
P_INT(p_u64, app_u64, __u64)

/* End a string parameter: one that could not be read (NULL pointer, or a
 * user page not faulted in yet: reads here cannot fault) is written as "\0"
 * like the libscap drivers do; sysdig 0.29.3 misprints a 0-length string. */
static __always_inline void p_str_end(struct ff_ev *e)
{
	if (e->off == e->pstart)
		app_u8(e, 0);
	p_end(e);
}

static __always_inline void p_empty(struct ff_ev *e)
{
	p_begin(e);
	p_end(e);
}

/* Append a string from user memory with its NUL; nothing if unreadable. */
static __always_inline long app_ustr(struct ff_ev *e, const void *uptr)
{
	long n;

	if (!uptr || !room(e, FF_BPF_PATH_MAX))
		return 0;
	n = bpf_probe_read_user_str(e->buf + bound(e->off, HMASK), FF_BPF_PATH_MAX, uptr);
	if (n <= 0)
		return 0;
	e->off += bound(n, 2 * FF_BPF_PATH_MAX - 1);
	return n;
}

static __always_inline long app_kstr(struct ff_ev *e, const void *kptr)
{
	long n;

	if (!kptr || !room(e, FF_BPF_PATH_MAX))
		return 0;
	n = bpf_probe_read_kernel_str(e->buf + bound(e->off, HMASK), FF_BPF_PATH_MAX, kptr);
	if (n <= 0)
		return 0;
	e->off += bound(n, 2 * FF_BPF_PATH_MAX - 1);
	return n;
}

/* Append up to FF_BPF_SNAPLEN_MAX bytes of user memory; 0 if unreadable. */
static __always_inline __u32 app_ubytes(struct ff_ev *e, const void *uptr, __u64 n)
{
	if (n > FF_BPF_SNAPLEN_MAX)
		n = FF_BPF_SNAPLEN_MAX;
	n = bound(n, 2 * FF_BPF_SNAPLEN_MAX - 1);
	if (!uptr || !n || !room(e, FF_BPF_SNAPLEN_MAX))
		return 0;
	if (bpf_probe_read_user(e->buf + bound(e->off, HMASK), n, uptr))
		return 0;
	e->off += n;
	return n;
}

static __always_inline void p_ustr(struct ff_ev *e, const void *uptr)
{
	p_begin(e);
	app_ustr(e, uptr);
	p_str_end(e);
}

static __always_inline void p_kstr(struct ff_ev *e, const void *kptr)
{
	p_begin(e);
	app_kstr(e, kptr);
	p_str_end(e);
}

/* I/O data snapshot: the first min(len, snaplen) bytes. */
static __always_inline void p_data(struct ff_ev *e, const void *uptr, long len)
{
	__u64 n = len > 0 ? (__u64)len : 0;

	if (n > ff_snaplen)
		n = ff_snaplen;
	p_begin(e);
	app_ubytes(e, uptr, n);
	p_end(e);
}

static __always_inline void ev_submit(struct ff_ev *e, __u64 tid)
{
	struct ff_bpf_cpu_stats *st = stats();
	__u32 cpu = bpf_get_smp_processor_id();
	__u32 len = e->off;
	__u64 flags = BPF_RB_NO_WAKEUP;
	void *rb;

	if (!st)
		goto out;
	if (e->overflow || e->idx != e->np || len > FF_BPF_EVENT_MAX) {
		st->fill_fail++;
		goto out;
	}
	rb = bpf_map_lookup_elem(&ff_rings, &cpu);
	if (!rb) {
		st->fill_fail++;
		goto out;
	}
	*(__u64 *)(e->buf + FF_EVT_OFF_TS) = e->ts;
	*(__u64 *)(e->buf + FF_EVT_OFF_TID) = tid;
	*(__u32 *)(e->buf + FF_EVT_OFF_LEN) = len;
	*(__u16 *)(e->buf + FF_EVT_OFF_TYPE) = e->type;
	*(__u32 *)(e->buf + FF_EVT_OFF_NPARAMS) = e->np;
	flags = wake_flag(rb, st);
	if (bpf_ringbuf_output(rb, e->buf, bound(len, FF_BPF_SCRATCH - 1), flags))
		st->drops++;
	else
		st->events++;
out:
	ev_release(e);
}

/* ---- kernel lookups ------------------------------------------------------- */
/* Syscall arguments: regs is a trusted BTF pointer in tp_btf programs, so a
 * direct (CO-RE relocated) load is enough: no helper call per argument. */
static __always_inline __u64 arg(struct pt_regs *regs, int i)
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

static __always_inline struct task_struct *cur(void)
{
	return (struct task_struct *)bpf_get_current_task();
}

/* A kernel pointer as a BTF-typed one: its fields are then read by direct
 * (fault-safe) loads instead of one helper call each.  The kfunc came with
 * 6.2; on older kernels (Debian 12's 6.1) the loader leaves ff_kcast at 0,
 * libbpf leaves the weak call unresolved, and the verifier drops it as dead
 * code (kernels >= 5.16 accept an unresolved weak kfunc call there): the
 * fields are then read with helper calls.  A rodata flag and not libbpf's
 * ld_imm64 existence test, which 6.2 and 6.3 reject. */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym __weak;
const volatile __u8 ff_kcast = 0; /* set by the loader when the kfunc exists */

#define kcast(p, T) ((T *)bpf_rdonly_cast((p), bpf_core_type_id_kernel(T)))

/* The current task's file of `fd` (`t` must be the current task): the table
 * walk uses direct loads from the BTF task, one helper call for the slot. */
static __always_inline struct file *fd_file(struct task_struct *t, long fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	struct file **fds;
	struct file *f = NULL;

	(void)t;
	if (fd < 0 || fd >= fdt->max_fds)
		return NULL;
	fds = fdt->fd;
	if (bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return NULL;
	return f;
}

static __always_inline struct sock *fd_sock(struct task_struct *t, long fd)
{
	struct file *f = fd_file(t, fd);
	struct socket *so;

	if (!f)
		return NULL;
	so = (struct socket *)BPF_CORE_READ(f, private_data);
	return so ? BPF_CORE_READ(so, sk) : NULL;
}

/* Flag conversions and the per-syscall fillers are shared with the kernel
 * module (driver/ff_fill.h, included below); these two are used earlier. */
static __always_inline __u32 encode_dev(__u32 dev);
static __always_inline __u32 clone_flags(__u64 f);

/* ---- paths ---------------------------------------------------------------- */
/* Append the absolute path of (dentry, vfsmount) with its NUL, walking up to
 * the global root and across mount points.  Deep paths are cut at the top. */
static __noinline int app_dpath(struct ff_ev *e, struct dentry *d, struct vfsmount *vm)
{
	__u8 *tmp = e->tmp;
	struct mount *mnt = container_of(vm, struct mount, mnt);
	long n;

	e->pos = FF_BPF_TMP - 1;
	tmp[FF_BPF_TMP - 1] = 0;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 48; i++) {
		struct dentry *root = BPF_CORE_READ(vm, mnt_root);
		struct dentry *parent = BPF_CORE_READ(d, d_parent);
		struct mount *mp;
		const unsigned char *name;
		__u32 len;

		if (d == root || d == parent) {
			mp = BPF_CORE_READ(mnt, mnt_parent);
			if (d != root || mp == mnt)
				break; /* reached the global root */
			d = BPF_CORE_READ(mnt, mnt_mountpoint);
			mnt = mp;
			vm = (struct vfsmount *)__builtin_preserve_access_index(&mp->mnt);
			continue;
		}
		len = BPF_CORE_READ(d, d_name.len) & 255;
		name = BPF_CORE_READ(d, d_name.name);
		if (len + 1 >= e->pos)
			break;
		e->pos -= len;
		bpf_probe_read_kernel(tmp + bound(e->pos, TMASK), bound(len, 255), name);
		e->pos--;
		tmp[bound(e->pos, TMASK)] = '/';
		d = parent;
	}
	if (e->pos == FF_BPF_TMP - 1) {
		e->pos = FF_BPF_TMP - 2;
		tmp[FF_BPF_TMP - 2] = '/';
	}
	n = FF_BPF_TMP - bound(e->pos, TMASK);
	if (n > FF_BPF_PATH_MAX || !room(e, FF_BPF_PATH_MAX))
		return 0;
	bpf_probe_read_kernel(e->buf + bound(e->off, HMASK), bound(n, 2 * FF_BPF_PATH_MAX - 1),
	                      tmp + bound(e->pos, TMASK));
	e->off += bound(n, 2 * FF_BPF_PATH_MAX - 1);
	return n;
}

static __always_inline void p_path(struct ff_ev *e, struct path *p)
{
	p_begin(e);
	app_dpath(e, BPF_CORE_READ(p, dentry), BPF_CORE_READ(p, mnt));
	p_str_end(e);
}

/* Append a kernfs node path (cgroup) with its NUL. */
static __noinline int app_knpath(struct ff_ev *e, struct kernfs_node *kn)
{
	__u8 *tmp = e->tmp;
	long n;

	e->pos = FF_BPF_TMP - 1;
	tmp[FF_BPF_TMP - 1] = 0;
#pragma clang loop unroll(disable)
	for (int i = 0; i < 24; i++) {
		struct kernfs_node *parent;
		const char *name;
		long len;

		if (bpf_core_field_exists(kn->__parent))
			parent = BPF_CORE_READ(kn, __parent);
		else
			parent = NULL;
		if (!parent)
			break; /* the hierarchy root is "/" */
		name = BPF_CORE_READ(kn, name);
		len = bpf_probe_read_kernel_str(tmp, 256, name); /* length first */
		if (len <= 1 || len > 256 || (__u32)len >= e->pos)
			break;
		len--;
		e->pos -= len;
		bpf_probe_read_kernel(tmp + bound(e->pos, TMASK), bound(len, 255), name);
		e->pos--;
		tmp[bound(e->pos, TMASK)] = '/';
		kn = parent;
	}
	if (e->pos == FF_BPF_TMP - 1) {
		e->pos = FF_BPF_TMP - 2;
		tmp[FF_BPF_TMP - 2] = '/';
	}
	n = FF_BPF_TMP - bound(e->pos, TMASK);
	if (n > FF_BPF_PATH_MAX || !room(e, FF_BPF_PATH_MAX))
		return 0;
	bpf_probe_read_kernel(e->buf + bound(e->off, HMASK), bound(n, 2 * FF_BPF_PATH_MAX - 1),
	                      tmp + bound(e->pos, TMASK));
	e->off += bound(n, 2 * FF_BPF_PATH_MAX - 1);
	return n;
}

/* cgroups: "controller=/path\0" for each mounted controller.  A controller
 * of the v2 (default) hierarchy is given the task's own v2 cgroup, as
 * /proc/PID/cgroup's "0::/path" and libscap's /proc scan show it: its css may
 * belong to an ancestor where the controller is enabled, which would hide a
 * leaf such as docker-<id>.scope.  v1 controllers keep their hierarchy's path. */
static __noinline void p_cgroups(struct ff_ev *e, struct task_struct *t)
{
	struct css_set *cs = BPF_CORE_READ(t, cgroups);
	struct cgroup *dfl = BPF_CORE_READ(cs, dfl_cgrp);

	p_begin(e);
#pragma clang loop unroll(disable)
	for (int i = 0; i < 12; i++) {
		struct cgroup_subsys_state *css = NULL;
		struct cgroup *cg;
		long n;

		bpf_probe_read_kernel(&css, sizeof(css), &cs->subsys[i]);
		if (!css)
			continue;
		n = app_kstr(e, BPF_CORE_READ(css, ss, name));
		if (n <= 1)
			continue;
		e->off--; /* replace the NUL by '=' */
		app_u8(e, '=');
		cg = BPF_CORE_READ(css, cgroup);
		if (dfl && BPF_CORE_READ(cg, root, hierarchy_id) == 0)
			cg = dfl; /* the default hierarchy has id 0 */
		app_knpath(e, BPF_CORE_READ(cg, kn));
	}
	p_end(e);
}

/* ---- sockets -------------------------------------------------------------- */
/* SOCKADDR from user memory. */
static __noinline void p_usockaddr(struct ff_ev *e, const void *ua, long ulen)
{
	__u16 fam = 0;

	p_begin(e);
	if (ua && ulen >= 2 && !bpf_probe_read_user(&fam, 2, ua)) {
		if (fam == 2 && ulen >= 8) {
			struct sockaddr_in sin = {};

			bpf_probe_read_user(&sin, sizeof(sin), ua);
			app_u8(e, FF_AF_INET);
			app_u32(e, sin.sin_addr.s_addr);
			app_u16(e, bpf_ntohs(sin.sin_port));
		} else if (fam == 10 && ulen >= 24) {
			struct sockaddr_in6 s6 = {};

			bpf_probe_read_user(&s6, sizeof(s6), ua);
			app_u8(e, FF_AF_INET6);
			app_u64(e, *(__u64 *)&s6.sin6_addr.in6_u.u6_addr8[0]);
			app_u64(e, *(__u64 *)&s6.sin6_addr.in6_u.u6_addr8[8]);
			app_u16(e, bpf_ntohs(s6.sin6_port));
		} else if (fam == 1) {
			char c = 0;

			app_u8(e, FF_AF_UNIX);
			bpf_probe_read_user(&c, 1, ua + 2);
			if (c == 0 && ulen > 3) { /* abstract name: shown with '@' */
				app_u8(e, '@');
				if (!app_ustr(e, ua + 3))
					app_u8(e, 0);
			} else if (!app_ustr(e, ua + 2)) {
				app_u8(e, 0);
			}
		}
	}
	p_end(e);
}

static __always_inline void app_unix_path(struct ff_ev *e, struct sock *sk)
{
	struct unix_address *a = BPF_CORE_READ((struct unix_sock *)sk, addr);
	char c = 0;
	char *p;

	if (!a) {
		app_u8(e, 0);
		return;
	}
	p = (char *)a + bpf_core_type_size(struct unix_address) + 2; /* sun_path */
	bpf_probe_read_kernel(&c, 1, p);
	if (c == 0) {
		app_u8(e, '@');
		p++;
	}
	if (!app_kstr(e, p))
		app_u8(e, 0);
}

/* SOCKTUPLE of a socket.  Outbound: local end first; inbound: peer first.
 * `ua` (user sockaddr) supplies the peer of unconnected datagram sockets. */
static __noinline void p_tuple(struct ff_ev *e, struct sock *sk, int inbound, const void *ua,
                               long ulen)
{
	__u16 fam;

	p_begin(e);
	if (!sk)
		goto out;
	fam = BPF_CORE_READ(sk, __sk_common.skc_family);
	if (fam == 2) {
		__u32 lip = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u32 rip = BPF_CORE_READ(sk, __sk_common.skc_daddr);
		__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));

		if (!rip && !rport && ua && ulen >= 8) {
			struct sockaddr_in sin = {};

			bpf_probe_read_user(&sin, sizeof(sin), ua);
			if (sin.sin_family == 2) {
				rip = sin.sin_addr.s_addr;
				rport = bpf_ntohs(sin.sin_port);
			}
		}
		app_u8(e, FF_AF_INET);
		app_u32(e, inbound ? rip : lip);
		app_u16(e, inbound ? rport : lport);
		app_u32(e, inbound ? lip : rip);
		app_u16(e, inbound ? lport : rport);
	} else if (fam == 10) {
		struct in6_addr l = BPF_CORE_READ(sk, __sk_common.skc_v6_rcv_saddr);
		struct in6_addr r = BPF_CORE_READ(sk, __sk_common.skc_v6_daddr);
		__u16 lport = BPF_CORE_READ(sk, __sk_common.skc_num);
		__u16 rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
		struct in6_addr *s = inbound ? &r : &l, *d = inbound ? &l : &r;

		app_u8(e, FF_AF_INET6);
		app_u64(e, *(__u64 *)&s->in6_u.u6_addr8[0]);
		app_u64(e, *(__u64 *)&s->in6_u.u6_addr8[8]);
		app_u16(e, inbound ? rport : lport);
		app_u64(e, *(__u64 *)&d->in6_u.u6_addr8[0]);
		app_u64(e, *(__u64 *)&d->in6_u.u6_addr8[8]);
		app_u16(e, inbound ? lport : rport);
	} else if (fam == 1) {
		struct sock *peer = BPF_CORE_READ((struct unix_sock *)sk, peer);

		app_u8(e, FF_AF_UNIX);
		app_u64(e, (__u64)sk);
		app_u64(e, (__u64)peer);
		app_unix_path(e, peer ? peer : sk);
	}
out:
	p_end(e);
}

/* ---- processes ------------------------------------------------------------ */
/* Before 6.2 the counters were a struct mm_rss_stat of atomic_long_t
 * (Debian 12's 6.1 kernel): the probe must load there too. */
struct mm_rss_stat___pre62 {
	atomic_long_t count[4];
} __attribute__((preserve_access_index));
struct mm_struct___pre62 {
	struct mm_rss_stat___pre62 rss_stat;
} __attribute__((preserve_access_index));

static __always_inline __u32 mm_kb(struct mm_struct *mm, int which)
{
	s64 pages;

	if (bpf_core_field_exists(((struct mm_struct___pre62 *)0)->rss_stat.count))
		pages = BPF_CORE_READ((struct mm_struct___pre62 *)mm,
		                      rss_stat.count[which & 3].counter);
	else
		pages = BPF_CORE_READ(mm, rss_stat[which & 3].count);
	return pages > 0 ? (__u32)(pages << 2) : 0; /* 4 KiB pages -> KiB */
}

static __always_inline __s64 vnr(struct pid *p)
{
	__u32 level = BPF_CORE_READ(p, level);

	return BPF_CORE_READ(p, numbers[level & 7].nr);
}

/* exe, args: argv[0] and the rest of the argument block of the current mm. */
static __noinline void p_exe_args(struct ff_ev *e, struct mm_struct *mm)
{
	unsigned long s = BPF_CORE_READ(mm, arg_start), end = BPF_CORE_READ(mm, arg_end);
	__u64 total = end > s ? end - s : 0;
	long n;

	if (total > FF_BPF_ARGS_MAX)
		total = FF_BPF_ARGS_MAX;
	p_begin(e);
	n = total ? app_ustr(e, (void *)s) : 0;
	p_str_end(e);
	p_begin(e);
	if (n > 0 && (__u64)n < total) {
		__u32 got = app_ubytes(e, (void *)(s + n), total - n);

		if (got && total == FF_BPF_ARGS_MAX) /* cut: keep it NUL-terminated */
			e->buf[bound(e->off - 1, HMASK)] = 0;
	}
	p_end(e);
}

static __noinline void p_env(struct ff_ev *e, struct mm_struct *mm)
{
	unsigned long s = BPF_CORE_READ(mm, env_start), end = BPF_CORE_READ(mm, env_end);
	__u64 total = end > s ? end - s : 0;

	if (total > FF_BPF_ARGS_MAX)
		total = FF_BPF_ARGS_MAX;
	p_begin(e);
	if (app_ubytes(e, (void *)s, total) && total == FF_BPF_ARGS_MAX)
		e->buf[bound(e->off - 1, HMASK)] = 0;
	p_end(e);
}

/* The 15 parameters execve and clone exits share: res .. cgroups. */
static __noinline void p_proc_common(struct ff_ev *e, struct task_struct *t, long ret)
{
	struct mm_struct *mm = BPF_CORE_READ(t, mm);

	p_u64(e, ret);
	p_exe_args(e, mm);
	p_u64(e, BPF_CORE_READ(t, pid));
	p_u64(e, BPF_CORE_READ(t, tgid));
	p_u64(e, BPF_CORE_READ(t, real_parent, pid));
	p_begin(e);
	app_dpath(e, BPF_CORE_READ(t, fs, pwd.dentry), BPF_CORE_READ(t, fs, pwd.mnt));
	p_str_end(e);
	p_u64(e, BPF_CORE_READ(t, signal, rlim[7].rlim_cur)); /* RLIMIT_NOFILE */
	p_u64(e, BPF_CORE_READ(t, maj_flt));
	p_u64(e, BPF_CORE_READ(t, min_flt));
	p_u32(e, mm ? BPF_CORE_READ(mm, total_vm) << 2 : 0);
	p_u32(e, mm ? mm_kb(mm, 0) + mm_kb(mm, 1) + mm_kb(mm, 3) : 0);
	p_u32(e, mm ? mm_kb(mm, 2) : 0);
	p_kstr(e, &t->comm);
	p_cgroups(e, t);
}

/* A capability set as 64 bits: kernel_cap_t is u64 val since 6.3 and
 * __u32 cap[2] before (same bytes on x86_64); only the field is relocated. */
static __always_inline __u64 cap64(const kernel_cap_t *c)
{
	__u64 v = 0;

	bpf_core_read(&v, sizeof(v), c);
	return v;
}

/* The inode's ctime and mtime (ns): split into _sec/_nsec since 6.11,
 * __i_ctime / __i_mtime timespec64 before (6.6 / 6.7), i_ctime / i_mtime
 * before 6.6 (Debian 12's 6.1). */
struct inode___pre66 {
	struct timespec64 i_ctime;
	struct timespec64 i_mtime;
} __attribute__((preserve_access_index));
struct inode___v66 {
	struct timespec64 __i_ctime;
	struct timespec64 i_mtime;
} __attribute__((preserve_access_index));
struct inode___v67 {
	struct timespec64 __i_ctime;
	struct timespec64 __i_mtime;
} __attribute__((preserve_access_index));

static __always_inline __u64 ts64_ns(struct timespec64 t)
{
	return t.tv_sec * 1000000000ULL + t.tv_nsec;
}

static __always_inline void inode_times(struct inode *ino, __u64 *ctime, __u64 *mtime)
{
	*ctime = *mtime = 0;
	if (!ino)
		return;
	if (bpf_core_field_exists(ino->i_ctime_sec)) {
		*ctime = BPF_CORE_READ(ino, i_ctime_sec) * 1000000000ULL +
		         BPF_CORE_READ(ino, i_ctime_nsec);
		*mtime = BPF_CORE_READ(ino, i_mtime_sec) * 1000000000ULL +
		         BPF_CORE_READ(ino, i_mtime_nsec);
	} else if (bpf_core_field_exists(((struct inode___v67 *)0)->__i_mtime)) {
		*ctime = ts64_ns(BPF_CORE_READ((struct inode___v67 *)ino, __i_ctime));
		*mtime = ts64_ns(BPF_CORE_READ((struct inode___v67 *)ino, __i_mtime));
	} else if (bpf_core_field_exists(((struct inode___v66 *)0)->__i_ctime)) {
		*ctime = ts64_ns(BPF_CORE_READ((struct inode___v66 *)ino, __i_ctime));
		*mtime = ts64_ns(BPF_CORE_READ((struct inode___v66 *)ino, i_mtime));
	} else if (bpf_core_field_exists(((struct inode___pre66 *)0)->i_ctime)) {
		*ctime = ts64_ns(BPF_CORE_READ((struct inode___pre66 *)ino, i_ctime));
		*mtime = ts64_ns(BPF_CORE_READ((struct inode___pre66 *)ino, i_mtime));
	}
}

static __noinline void fill_execve_x(struct ff_ev *e, struct pt_regs *regs, long ret, int at)
{
	struct task_struct *t = cur();
	struct mm_struct *mm = BPF_CORE_READ(t, mm);
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
	struct file *exe = BPF_CORE_READ(mm, exe_file);
	struct inode *ino = BPF_CORE_READ(exe, f_inode);
	const struct cred *cr = BPF_CORE_READ(t, cred);
	struct pid *pg = BPF_CORE_READ(t, signal, pids[PIDTYPE_PGID]);
	__u32 flags = 0;
	__u64 ctime = 0, mtime = 0;

	p_proc_common(e, t, ret);
	p_env(e, mm);
	if (tty) {
		__u32 major = BPF_CORE_READ(tty, driver, major);
		__u32 minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);

		p_u32(e, (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12));
	} else {
		p_u32(e, 0);
	}
	p_u64(e, vnr(pg));
	p_u32(e, BPF_CORE_READ(t, loginuid.val));
	if (ino) { /* EXE_WRITABLE: the image is writable by this task (mode bits) */
		__u32 m = BPF_CORE_READ(ino, i_mode), euid = BPF_CORE_READ(cr, euid.val);

		if (!euid || (m & 02) || ((m & 0200) && euid == BPF_CORE_READ(ino, i_uid.val)) ||
		    ((m & 020) && BPF_CORE_READ(cr, egid.val) == BPF_CORE_READ(ino, i_gid.val)))
			flags |= 1;
	}
	p_u32(e, flags);
	p_u64(e, cap64(&cr->cap_inheritable));
	p_u64(e, cap64(&cr->cap_permitted));
	p_u64(e, cap64(&cr->cap_effective));
	p_u64(e, BPF_CORE_READ(ino, i_ino));
	inode_times(ino, &ctime, &mtime);
	p_u64(e, ctime);
	p_u64(e, mtime);
	p_u32(e, BPF_CORE_READ(cr, euid.val));
	p_begin(e);
	if (exe)
		app_dpath(e, BPF_CORE_READ(exe, f_path.dentry), BPF_CORE_READ(exe, f_path.mnt));
	p_str_end(e);
	p_u64(e, BPF_CORE_READ(pg, numbers[0].nr));
	p_u32(e, BPF_CORE_READ(cr, egid.val));
	if (!at) {
		/* After a successful exec the old arguments are gone; the kernel
		 * copied the file name to the top of the new stack (AT_EXECFN),
		 * right after the environment strings. */
		if (ret == 0)
			p_ustr(e, (void *)BPF_CORE_READ(mm, env_end));
		else
			p_ustr(e, (void *)arg(regs, 0));
	}
}

static __noinline void fill_clone_x(struct ff_ev *e, struct pt_regs *regs, long ret, __u16 type)
{
	struct task_struct *t = cur();
	const struct cred *cr = BPF_CORE_READ(t, cred);
	__u64 f = 0;

	p_proc_common(e, t, ret);
	if (type == FFE_CLONE_X) {
		f = arg(regs, 0);
	} else if (type == FFE_CLONE3_X) {
		bpf_probe_read_user(&f, sizeof(f), (void *)arg(regs, 0));
	} else if (type == FFE_VFORK_X) {
		f = 0x4000 | 0x100; /* CLONE_VFORK | CLONE_VM */
	}
	p_u32(e, clone_flags(f));
	p_u32(e, BPF_CORE_READ(cr, euid.val));
	p_u32(e, BPF_CORE_READ(cr, egid.val));
	p_u64(e, vnr(BPF_CORE_READ(t, thread_pid)));
	p_u64(e, vnr(BPF_CORE_READ(t, group_leader, thread_pid)));
	/* pidns_init_start_ts: when the init of the child's pid namespace
	 * started (monotonic ns); the child side only, as libs does. */
	if (ret == 0) {
		struct pid *tp = BPF_CORE_READ(t, group_leader, thread_pid);
		__u32 lvl = BPF_CORE_READ(tp, level);
		struct pid_namespace *ns = BPF_CORE_READ(tp, numbers[lvl & 7].ns);

		p_u64(e, BPF_CORE_READ(ns, child_reaper, start_time));
	} else {
		p_u64(e, 0);
	}
}

/* ---- the per-event fillers ------------------------------------------------ */
static __always_inline void p_file_devino(struct ff_ev *e, struct file *f, int with_ino)
{
	__u32 dev = 0;
	__u64 ino_nr = 0;

	if (f && ff_kcast) {
		struct inode *ino = kcast(f, struct file)->f_inode;

		if (ino) {
			dev = ino->i_sb->s_dev;
			ino_nr = ino->i_ino;
		}
	} else if (f) {
		struct inode *ino = BPF_CORE_READ(f, f_inode);

		if (ino) {
			dev = BPF_CORE_READ(ino, i_sb, s_dev);
			ino_nr = with_ino ? BPF_CORE_READ(ino, i_ino) : 0;
		}
	}
	p_u32(e, encode_dev(dev));
	if (with_ino)
		p_u64(e, ino_nr);
}

static __always_inline __u32 created(struct file *f)
{
	__u32 mode;

	if (!f)
		return 0;
	mode = ff_kcast ? kcast(f, struct file)->f_mode : BPF_CORE_READ(f, f_mode);
	return (mode & (1u << 20)) ? 16384 : 0; /* FMODE_CREATED */
}

static __always_inline __u64 ff_file_ino(struct file *f)
{
	return BPF_CORE_READ(f, f_inode, i_ino);
}

static __always_inline void ff_sock_backlog(struct sock *sk, __u32 *qlen, __u32 *qmax)
{
	*qlen = BPF_CORE_READ(sk, sk_ack_backlog);
	*qmax = BPF_CORE_READ(sk, sk_max_ack_backlog);
}

/* vm_size, vm_rss, vm_swap of the current task (KiB). */
static __always_inline void p_mm_counters(struct ff_ev *e)
{
	struct mm_struct *mm = BPF_CORE_READ(cur(), mm);

	p_u32(e, BPF_CORE_READ(mm, total_vm) << 2);
	p_u32(e, mm_kb(mm, 0) + mm_kb(mm, 1) + mm_kb(mm, 3));
	p_u32(e, mm_kb(mm, 2));
}

/* The parameter fillers shared with the kernel module.  read/write/close
 * are written in place in the ring (emit_* below). */
#define FF_INLINE static __always_inline
#define FF_NOINLINE static __noinline
#define FF_NO_UNROLL _Pragma("clang loop unroll(disable)")
#define FF_READ_USER(dst, n, uptr) bpf_probe_read_user((dst), (n), (const void *)(uptr))
#define FF_SNAPLEN ff_snaplen
#define FF_FILL_SKIP_RW
#include "ff_fill.h"

/* ---- programs ------------------------------------------------------------- */
static __always_inline int routed(long nr, struct ff_bpf_route *r)
{
	if (nr < 0 || nr >= FF_BPF_NR_MAX)
		return 0;
	if (!ff_interesting[nr])
		return 0;
	*r = ff_bpf_routes[nr];
	return r->enter != FF_BPF_ROUTE_NONE;
}

static __always_inline int is_self(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == ff_self_tgid;
}

/* Events of a fixed size are written straight into the ring: they need
 * neither a scratch slot nor a copy.  These are the hottest ones: generic
 * events (--all), read/write/close enter and close exit.  `len` and `np` are
 * compile-time constants at every call site (the reserve needs one). */
static __always_inline __u8 *ring_begin(__u32 len, __u16 type, __u32 np, __u64 tid, void **rbp,
                                        struct ff_bpf_cpu_stats **stp)
{
	struct ff_bpf_cpu_stats *st = stats();
	__u32 cpu = bpf_get_smp_processor_id();
	void *rb = bpf_map_lookup_elem(&ff_rings, &cpu);
	__u8 *p;

	if (!st)
		return NULL;
	/* the layout here must agree with the event table, like the fillers' */
	if (!rb || np != nparams(type)) {
		st->fill_fail++;
		return NULL;
	}
	p = bpf_ringbuf_reserve(rb, len, 0);
	if (!p) {
		st->drops++;
		return NULL;
	}
	*(__u64 *)(p + FF_EVT_OFF_TS) = bpf_ktime_get_boot_ns() + ff_boot_to_epoch_ns;
	*(__u64 *)(p + FF_EVT_OFF_TID) = tid;
	*(__u32 *)(p + FF_EVT_OFF_LEN) = len;
	*(__u16 *)(p + FF_EVT_OFF_TYPE) = type;
	*(__u32 *)(p + FF_EVT_OFF_NPARAMS) = np;
	*rbp = rb;
	*stp = st;
	return p;
}

static __always_inline void ring_end(__u8 *p, void *rb, struct ff_bpf_cpu_stats *st)
{
	bpf_ringbuf_submit(p, wake_flag(rb, st));
	st->events++;
}

#define FF_GENERIC_LEN (FF_EVT_HDR_LEN + 2 * 2 + 2 + 2)
static __always_inline void emit_generic(__u16 type, __u16 sc, long nr, __u64 tid)
{
	struct ff_bpf_cpu_stats *st;
	void *rb;
	__u8 *p = ring_begin(FF_GENERIC_LEN, type, 2, tid, &rb, &st);

	if (!p)
		return;
	*(__u16 *)(p + FF_EVT_HDR_LEN) = 2;
	*(__u16 *)(p + FF_EVT_HDR_LEN + 2) = 2;
	*(__u16 *)(p + FF_EVT_HDR_LEN + 4) = sc;
	*(__u16 *)(p + FF_EVT_HDR_LEN + 6) = (__u16)nr;
	ring_end(p, rb, st);
}

/* read/write enter: fd (FD, 8 bytes), size (UINT32). */
#define FF_FD_SIZE_LEN (FF_EVT_HDR_LEN + 2 * 2 + 8 + 4)
static __always_inline void emit_fd_size(__u16 type, __u64 fd, __u32 size, __u64 tid)
{
	struct ff_bpf_cpu_stats *st;
	void *rb;
	__u8 *p = ring_begin(FF_FD_SIZE_LEN, type, 2, tid, &rb, &st);

	if (!p)
		return;
	*(__u16 *)(p + FF_EVT_HDR_LEN) = 8;
	*(__u16 *)(p + FF_EVT_HDR_LEN + 2) = 4;
	*(__s64 *)(p + FF_EVT_HDR_LEN + 4) = (__s64)(int)fd;
	*(__u32 *)(p + FF_EVT_HDR_LEN + 12) = size;
	ring_end(p, rb, st);
}

/* close enter: fd. */
#define FF_FD_LEN (FF_EVT_HDR_LEN + 2 + 8)
static __always_inline void emit_fd(__u16 type, __u64 fd, __u64 tid)
{
	struct ff_bpf_cpu_stats *st;
	void *rb;
	__u8 *p = ring_begin(FF_FD_LEN, type, 1, tid, &rb, &st);

	if (!p)
		return;
	*(__u16 *)(p + FF_EVT_HDR_LEN) = 8;
	*(__s64 *)(p + FF_EVT_HDR_LEN + 2) = (__s64)(int)fd;
	ring_end(p, rb, st);
}

/* read/write exit: res, data (the first min(res, snaplen) bytes), fd, size.
 * The record is reserved for a full snapshot (ff_snaplen is a load-time
 * constant, so the verifier knows the size); the event's own length says
 * how much of it is used and the consumer goes by that. */
#define FF_RW_X_FIXED (FF_EVT_HDR_LEN + 4 * 2 + 8 + 8 + 4)
static __always_inline void emit_rw_x(__u16 type, long ret, const void *ubuf, __u64 fd, __u32 size,
                                      __u64 tid)
{
	struct ff_bpf_cpu_stats *st;
	void *rb;
	__u32 snap = ff_snaplen;
	__u8 *p;
	__u64 n = ret > 0 ? (__u64)ret : 0;

	if (snap > FF_BPF_SNAPLEN_MAX)
		return;
	p = ring_begin(FF_RW_X_FIXED + snap, type, 4, tid, &rb, &st);
	if (!p)
		return;
	if (n > snap)
		n = snap;
	n &= 2 * FF_BPF_SNAPLEN_MAX - 1;
	if (n && bpf_probe_read_user(p + FF_EVT_HDR_LEN + 8 + 8, n, ubuf))
		n = 0;
	*(__u32 *)(p + FF_EVT_OFF_LEN) = FF_RW_X_FIXED + n;
	*(__u16 *)(p + FF_EVT_HDR_LEN) = 8;
	*(__u16 *)(p + FF_EVT_HDR_LEN + 2) = n;
	*(__u16 *)(p + FF_EVT_HDR_LEN + 4) = 8;
	*(__u16 *)(p + FF_EVT_HDR_LEN + 6) = 4;
	*(__s64 *)(p + FF_EVT_HDR_LEN + 8) = ret;
	*(__s64 *)(p + FF_EVT_HDR_LEN + 16 + n) = (__s64)(int)fd;
	*(__u32 *)(p + FF_EVT_HDR_LEN + 24 + n) = size;
	ring_end(p, rb, st);
}

/* close exit: res (ERRNO), fd. */
#define FF_RES_FD_LEN (FF_EVT_HDR_LEN + 2 * 2 + 8 + 8)
static __always_inline void emit_res_fd(__u16 type, __s64 res, __u64 fd, __u64 tid)
{
	struct ff_bpf_cpu_stats *st;
	void *rb;
	__u8 *p = ring_begin(FF_RES_FD_LEN, type, 2, tid, &rb, &st);

	if (!p)
		return;
	*(__u16 *)(p + FF_EVT_HDR_LEN) = 8;
	*(__u16 *)(p + FF_EVT_HDR_LEN + 2) = 8;
	*(__s64 *)(p + FF_EVT_HDR_LEN + 4) = res;
	*(__s64 *)(p + FF_EVT_HDR_LEN + 12) = (__s64)(int)fd;
	ring_end(p, rb, st);
}

/* File details of an open's exit: dev, inode, PPM_O_F_CREATED. */
static __always_inline void open_file_info(long fd, __u32 *dev, __u64 *ino, __u32 *cr)
{
	struct file *f = fd >= 0 ? fd_file(cur(), fd) : NULL;

	*dev = 0;
	*ino = 0;
	*cr = 0;
	if (!f)
		return;
	if (ff_kcast) {
		struct file *kf = kcast(f, struct file);
		struct inode *in = kf->f_inode;

		*cr = kf->f_mode & (1u << 20);
		if (in) {
			*dev = in->i_sb->s_dev;
			*ino = in->i_ino;
		}
	} else {
		struct inode *in = BPF_CORE_READ(f, f_inode);

		*cr = BPF_CORE_READ(f, f_mode) & (1u << 20);
		if (in) {
			*dev = BPF_CORE_READ(in, i_sb, s_dev);
			*ino = BPF_CORE_READ(in, i_ino);
		}
	}
	*cr = *cr ? 16384 : 0; /* FMODE_CREATED -> PPM_O_F_CREATED */
}

/* open and openat, enter and exit, in place: the path is read from user
 * memory straight into the ring record (no scratch slot, no copy).  The
 * record has room for FF_INPLACE_PATH bytes; a path that may not have fit
 * makes the caller build the event in scratch instead (-1).  `type` is a
 * constant at every call site, so is the record size. */
#define FF_INPLACE_PATH 256u
static __always_inline int emit_open(__u16 type, struct pt_regs *regs, long ret, __u64 tid)
{
	const int at = type == FFE_OPENAT_E || type == FFE_OPENAT_X;
	const int x = type == FFE_OPEN_X || type == FFE_OPENAT_X;
	const __u32 np = x ? (at ? 7 : 6) : (at ? 4 : 3);
	const __u32 head = (x ? 8 : 0) + (at ? 8 : 0); /* fd, dirfd */
	const __u32 tail = 8 + (x ? 12 : 0);           /* flags, mode; dev, ino */
	const __u32 v0 = FF_EVT_HDR_LEN + 2 * np;
	__u64 fl = at ? regs->dx : regs->si, mode = at ? regs->r10 : regs->dx;
	const void *upath = (const void *)(at ? regs->si : regs->di);
	struct ff_bpf_cpu_stats *st;
	__u32 dev = 0, cr = 0, len;
	__u64 ino = 0;
	__u8 *p, *v;
	void *rb;
	long n;

	p = ring_begin(v0 + head + FF_INPLACE_PATH + tail, type, np, tid, &rb, &st);
	if (!p)
		return 0;
	v = p + v0;
	if (x)
		*(__s64 *)v = (__s64)(int)ret;
	if (at)
		*(__s64 *)(v + (x ? 8 : 0)) = (__s64)(int)regs->di;
	n = upath ? bpf_probe_read_user_str(v + head, FF_INPLACE_PATH, upath) : 0;
	if (n >= FF_INPLACE_PATH) {
		bpf_ringbuf_discard(p, BPF_RB_NO_WAKEUP);
		return -1;
	}
	if (n <= 0) { /* unreadable: "\0" like p_str_end */
		v[head] = 0;
		n = 1;
	}
	n = bound(n, FF_INPLACE_PATH - 1);
	if (x)
		open_file_info(ret, &dev, &ino, &cr);
	v += head + n;
	*(__u32 *)v = open_flags(fl) | cr;
	*(__u32 *)(v + 4) = open_mode(fl, mode);
	if (x) {
		*(__u32 *)(v + 8) = encode_dev(dev);
		*(__u64 *)(v + 12) = ino;
	}
	/* the length array */
	v = p + FF_EVT_HDR_LEN;
	if (x) {
		*(__u16 *)v = 8;
		v += 2;
	}
	if (at) {
		*(__u16 *)v = 8;
		v += 2;
	}
	*(__u16 *)v = n;
	*(__u16 *)(v + 2) = 4;
	*(__u16 *)(v + 4) = 4;
	if (x) {
		*(__u16 *)(v + 6) = 4;
		*(__u16 *)(v + 8) = 8;
	}
	len = v0 + head + n + tail;
	*(__u32 *)(p + FF_EVT_OFF_LEN) = len;
	ring_end(p, rb, st);
	return 0;
}

/* A generic event (syscall 0/1): the ppm_sc code and the native number. */
static __always_inline void fill_generic(struct ff_ev *e, __u16 type, __u16 sc, long nr)
{
	ev_begin(e, type);
	p_u16(e, sc);
	p_u16(e, nr);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(ff_sys_enter, struct pt_regs *regs, long nr)
{
	struct ff_bpf_route r;
	struct ff_ev *e;
	__u64 pt, tid;

	/* the selection first: most syscalls of a busy host are not captured,
	 * and this costs them no helper call */
	if (!routed(nr, &r))
		return 0;
	pt = bpf_get_current_pid_tgid();
	if ((pt >> 32) == ff_self_tgid)
		return 0;
	tid = (__u32)pt;
	switch (r.enter) {
	case 0:
		emit_generic(FFE_SYSCALL_E, r.ppm_sc, nr, tid);
		return 0;
	case FFE_READ_E:
	case FFE_WRITE_E:
		emit_fd_size(r.enter, regs->di, regs->dx, tid);
		return 0;
	case FFE_CLOSE_E:
		emit_fd(r.enter, regs->di, tid);
		return 0;
	case FFE_OPEN_E:
		if (!emit_open(FFE_OPEN_E, regs, 0, tid))
			return 0;
		break;
	case FFE_OPENAT_E:
		if (!emit_open(FFE_OPENAT_E, regs, 0, tid))
			return 0;
		break;
	}
	if (!(e = ev_claim()))
		return 0;
	ev_begin(e, r.enter);
	if (fill_enter(e, regs, r.enter) < 0)
		fill_generic(e, FFE_SYSCALL_E, r.ppm_sc, nr); /* no filler: start over */
	ev_submit(e, tid);
	return 0;
}

enum ff_tail { FF_TAIL_EXEC, FF_TAIL_CLONE, FF_TAIL_NET, FF_TAIL_MAX };

static __always_inline int exit_class(__u16 ev)
{
	switch (ev) {
	case FFE_EXECVE_X:
	case FFE_EXECVEAT_X:
		return FF_TAIL_EXEC;
	case FFE_CLONE_X:
	case FFE_FORK_X:
	case FFE_VFORK_X:
	case FFE_CLONE3_X:
		return FF_TAIL_CLONE;
	}
	/* the socket exits: the set the shared fillers define */
	return is_net_exit(ev) ? FF_TAIL_NET : -1;
}

/* The exit event id of the current syscall (0 for generic), or -1 when the
 * syscall is not captured. */
static __always_inline int exit_event(struct pt_regs *regs, struct ff_bpf_route *r, long *nrp)
{
	long nr = regs->orig_ax;

	*nrp = nr;
	if (!routed(nr, r))
		return -1;
	return r->enter ? r->enter + 1 : 0;
}

static __always_inline __u64 cur_tid(void)
{
	return (__u32)bpf_get_current_pid_tgid();
}

/* The tail-called exit programs: the dispatcher checked the class. */
SEC("tp_btf/sys_exit")
int BPF_PROG(ff_x_exec, struct pt_regs *regs, long ret)
{
	struct ff_bpf_route r;
	struct ff_ev *e;
	long nr;
	int ev = exit_event(regs, &r, &nr);

	if (ev != FFE_EXECVE_X && ev != FFE_EXECVEAT_X)
		return 0;
	if (!(e = ev_start(ev)))
		return 0;
	fill_execve_x(e, regs, ret, ev == FFE_EXECVEAT_X);
	ev_submit(e, cur_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ff_x_clone, struct pt_regs *regs, long ret)
{
	struct ff_bpf_route r;
	struct ff_ev *e;
	long nr;
	int ev = exit_event(regs, &r, &nr);

	if (ev <= 0 || exit_class(ev) != FF_TAIL_CLONE)
		return 0;
	if (!(e = ev_start(ev)))
		return 0;
	fill_clone_x(e, regs, ret, ev);
	ev_submit(e, cur_tid());
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ff_x_net, struct pt_regs *regs, long ret)
{
	struct ff_bpf_route r;
	struct ff_ev *e;
	long nr;
	int ev = exit_event(regs, &r, &nr);

	if (ev <= 0 || exit_class(ev) != FF_TAIL_NET)
		return 0;
	if (!(e = ev_start(ev)))
		return 0;
	fill_exit_net(e, regs, ev, ret);
	ev_submit(e, cur_tid());
	return 0;
}

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, FF_TAIL_MAX);
	__type(key, __u32);
	__array(values, int(void *));
} ff_exit_tail SEC(".maps") = {
	.values =
	    {
		[FF_TAIL_EXEC] = (void *)&ff_x_exec,
		[FF_TAIL_CLONE] = (void *)&ff_x_clone,
		[FF_TAIL_NET] = (void *)&ff_x_net,
	    },
};

SEC("tp_btf/sys_exit")
int BPF_PROG(ff_sys_exit, struct pt_regs *regs, long ret)
{
	struct ff_bpf_route r;
	struct ff_ev *e;
	__u64 pt, tid;
	long nr;
	int ev, cls;

	ev = exit_event(regs, &r, &nr);
	if (ev < 0)
		return 0;
	pt = bpf_get_current_pid_tgid();
	if ((pt >> 32) == ff_self_tgid)
		return 0;
	tid = (__u32)pt;
	switch (ev) {
	case 0:
		emit_generic(FFE_SYSCALL_X, r.ppm_sc, nr, tid);
		return 0;
	case FFE_CLOSE_X:
		emit_res_fd(ev, ret, regs->di, tid);
		return 0;
	case FFE_READ_X:
	case FFE_WRITE_X:
		emit_rw_x(ev, ret, (void *)regs->si, regs->di, regs->dx, tid);
		return 0;
	case FFE_OPENAT_X:
		if (!emit_open(FFE_OPENAT_X, regs, ret, tid))
			return 0;
		break;
	case FFE_OPEN_X:
		if (!emit_open(FFE_OPEN_X, regs, ret, tid))
			return 0;
		break;
	}
	cls = exit_class(ev);
	if (cls >= 0) {
		/* nothing claimed yet: the tail program claims its own slot */
		bpf_tail_call(ctx, &ff_exit_tail, cls);
		struct ff_bpf_cpu_stats *st = stats();

		if (st) /* the tail call failed */
			st->fill_fail++;
		return 0;
	}
	if (!(e = ev_claim()))
		return 0;
	ev_begin(e, ev);
	if (fill_exit(e, regs, ev, ret) < 0)
		fill_generic(e, FFE_SYSCALL_X, r.ppm_sc, nr);
	ev_submit(e, tid);
	return 0;
}

/* procexit: one per exiting thread.  The 2022 list (4 params): the 2026
 * reaper_tid is not computed. */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(ff_proc_exit, struct task_struct *p)
{
	struct ff_ev *e;
	__s32 code;

	if (!ff_procexit_on || is_self())
		return 0;
	if (!(e = ev_start(FFE_PROCEXIT_E)))
		return 0;
	code = BPF_CORE_READ(p, exit_code);
	p_u64(e, code);
	p_u64(e, (code >> 8) & 0xff);
	p_u8(e, code & 0x7f);
	p_u8(e, (code & 0x80) ? 1 : 0);
	ev_submit(e, BPF_CORE_READ(p, pid));
	return 0;
}
