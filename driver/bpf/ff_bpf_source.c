/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loader and consumer of the CO-RE probe.  The rings are read directly from
 * their mmap()ed pages rather than through libbpf's callback API, so that
 * next() can return a pointer into the ring (zero copy) and pick, among the
 * heads of all CPU rings, the oldest event: a k-way merge by timestamp.  A
 * record is released (consumer position advanced) only at the following
 * next() call, which is what keeps the returned view valid until then.  A
 * record may be longer than the event in it (the probe reserves read/write
 * exits for a full snapshot); the event's own length is what is handed out.
 *
 * Ordering: each CPU's ring is in submission order, and the probe stamps an
 * event when it starts, so a ring is in timestamp order except when a task is
 * preempted inside the probe.  The merge is exact for what is visible when
 * next() looks; an event still being written on another CPU may arrive after
 * a younger one was handed out (libscap has the same property).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "ff_bpf_source.h"
#include "ff_event_table.h"
#include "ff_probe.h"
#include "ff_probe.skel.h"

#define DEFAULT_RING_BYTES (8u << 20)
#define DEFAULT_POLL_MS 100
#define POLL_SLICE_MS 10 /* the consumer's timer: the probe rarely wakes it */

struct ff_ring {
	int fd;                      /* BPF_MAP_TYPE_RINGBUF */
	unsigned long *consumer_pos; /* rw page shared with the kernel */
	const unsigned long *producer_pos;
	const uint8_t *data;       /* mapped twice: records never wrap */
	size_t size;               /* data bytes (power of 2) */
	void *cons_map, *prod_map; /* mappings to undo */
	size_t prod_map_len;
};

struct ff_bpf_source {
	struct ff_probe *skel;
	struct ff_ring *rings;
	unsigned nrings;
	int epfd;
	int poll_ms;
	int started;
	int held;          /* ring whose head record was handed out, or -1 */
	uint32_t held_len; /* its record length */
	uint64_t *read;    /* events handed out, per ring */
};

/* Does the running kernel have kfunc `name` (6.2+ for bpf_rdonly_cast)? The
 * probe reads some fields through it when it does, with helpers otherwise. */
static int has_kfunc(const char *name)
{
	struct btf *vm = btf__load_vmlinux_btf();
	int found;

	if (!vm)
		return 0;
	found = btf__find_by_name_kind(vm, name, BTF_KIND_FUNC) > 0;
	btf__free(vm);
	return found;
}

/* ---- libbpf log routing ---------------------------------------------------- */
static void (*log_hook)(void *, enum ff_bpf_log_level, const char *);
static void *log_ctx;

/* libbpf hands us its own format strings: nothing to check at compile time. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char small[512], *msg = small;
	va_list ap2;
	int n;

	if (!log_hook)
		return 0;
	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	/* verifier logs are long: format them whole */
	if (n >= (int)sizeof(small) && (msg = malloc((size_t)n + 1)) != NULL)
		vsnprintf(msg, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	log_hook(log_ctx,
	         level == LIBBPF_WARN   ? FF_BPF_LOG_WARN
	         : level == LIBBPF_INFO ? FF_BPF_LOG_INFO
	                                : FF_BPF_LOG_DEBUG,
	         msg ? msg : small);
	if (msg != small)
		free(msg);
	return 0;
}
#pragma GCC diagnostic pop

/* ---- default syscall set ---------------------------------------------------- */
static const char *const default_names[] = {
	/* processes */
	"execve",
	"execveat",
	"clone",
	"clone3",
	"fork",
	"vfork",
	"exit",
	"exit_group",
	"kill",
	"tgkill",
	"tkill",
	"prctl",
	"ptrace",
	"setsid",
	"setpgid",
	"capset",
	"chroot",
	"unshare",
	"setns",
	"pidfd_open",
	"pidfd_getfd",
	/* privileges */
	"setuid",
	"setgid",
	"setresuid",
	"setresgid",
	"setreuid",
	"setregid",
	"setfsuid",
	"setfsgid",
	/* files */
	"open",
	"openat",
	"openat2",
	"open_by_handle_at",
	"creat",
	"close",
	"close_range",
	"read",
	"write",
	"pread64",
	"pwrite64",
	"readv",
	"writev",
	"preadv",
	"pwritev",
	"sendfile",
	"dup",
	"dup2",
	"dup3",
	"fcntl",
	"pipe",
	"pipe2",
	"eventfd",
	"eventfd2",
	"signalfd",
	"signalfd4",
	"inotify_init",
	"inotify_init1",
	"memfd_create",
	"userfaultfd",
	"unlink",
	"unlinkat",
	"rename",
	"renameat",
	"renameat2",
	"mkdir",
	"mkdirat",
	"rmdir",
	"chmod",
	"fchmod",
	"fchmodat",
	"chown",
	"fchown",
	"lchown",
	"fchownat",
	"symlink",
	"symlinkat",
	"link",
	"linkat",
	"chdir",
	"fchdir",
	"mknod",
	"mknodat",
	"truncate",
	"ftruncate",
	"mount",
	"umount2",
	"fsconfig",
	"quotactl",
	/* memory and kernel */
	"mmap",
	"mprotect",
	"munmap",
	"init_module",
	"finit_module",
	"delete_module",
	"bpf",
	"seccomp",
	"process_vm_readv",
	"process_vm_writev",
	"io_uring_setup",
	"io_uring_enter",
	"io_uring_register",
	"ioctl",
	/* network */
	"socket",
	"socketpair",
	"connect",
	"accept",
	"accept4",
	"bind",
	"listen",
	"sendto",
	"recvfrom",
	"sendmsg",
	"recvmsg",
	"sendmmsg",
	"recvmmsg",
	"shutdown",
	"getsockopt",
	"setsockopt",
};

int ff_bpf_default_syscalls(uint8_t *set)
{
	int n = 0;

	memset(set, 0, FF_SYSCALL_NR_MAX);
	for (size_t i = 0; i < sizeof(default_names) / sizeof(default_names[0]); i++)
		for (unsigned nr = 0; nr < FF_SYSCALL_NR_MAX; nr++) {
			const char *name = ff_syscalls_x86_64[nr].name;

			if (name && !strcmp(name, default_names[i]) && !set[nr]) {
				set[nr] = 1;
				n++;
			}
		}
	return n;
}

/* ---- rings -------------------------------------------------------------------- */
static int ring_map(struct ff_ring *r, int fd, size_t size, struct ff_err *err)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	r->fd = fd;
	r->size = size;
	r->cons_map = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (r->cons_map == MAP_FAILED) {
		r->cons_map = NULL;
		return ff_errf(err, -errno, "mmap of ring consumer page: %s", strerror(errno));
	}
	r->prod_map_len = page + 2 * size;
	r->prod_map = mmap(NULL, r->prod_map_len, PROT_READ, MAP_SHARED, fd, (off_t)page);
	if (r->prod_map == MAP_FAILED) {
		r->prod_map = NULL;
		return ff_errf(err, -errno, "mmap of ring data: %s", strerror(errno));
	}
	r->consumer_pos = r->cons_map;
	r->producer_pos = r->prod_map;
	r->data = (const uint8_t *)r->prod_map + page;
	return 0;
}

static void ring_unmap(struct ff_ring *r)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	if (r->cons_map)
		munmap(r->cons_map, page);
	if (r->prod_map)
		munmap(r->prod_map, r->prod_map_len);
	if (r->fd >= 0)
		close(r->fd);
}

static void ring_advance(struct ff_ring *r, uint32_t len)
{
	unsigned long cons = *r->consumer_pos;

	cons += (len + BPF_RINGBUF_HDR_SZ + 7) & ~7u;
	__atomic_store_n(r->consumer_pos, cons, __ATOMIC_RELEASE);
}

/* The oldest committed record of a ring, skipping discarded ones. */
static const uint8_t *ring_peek(struct ff_ring *r, uint32_t *len)
{
	for (;;) {
		unsigned long cons = *r->consumer_pos;
		unsigned long prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
		const uint32_t *hdr;
		uint32_t h;

		if (cons >= prod)
			return NULL;
		hdr = (const uint32_t *)(r->data + (cons & (r->size - 1)));
		h = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
		if (h & BPF_RINGBUF_BUSY_BIT)
			return NULL; /* still being written */
		*len = h & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		if (h & BPF_RINGBUF_DISCARD_BIT) {
			ring_advance(r, *len);
			continue;
		}
		return (const uint8_t *)hdr + BPF_RINGBUF_HDR_SZ;
	}
}

/* ---- open / start / close ---------------------------------------------------- */
static uint64_t boot_to_epoch_ns(void)
{
	struct timespec rt, bt;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	return ((uint64_t)rt.tv_sec - (uint64_t)bt.tv_sec) * 1000000000ull + (uint64_t)rt.tv_nsec -
	       (uint64_t)bt.tv_nsec;
}

static int is_pow2(size_t v)
{
	return v && !(v & (v - 1));
}

int ff_bpf_source_open(struct ff_bpf_source **out, const struct ff_bpf_source_opts *opts,
                       struct ff_err *err)
{
	struct ff_bpf_source_opts o = { 0 };
	struct ff_bpf_source *s = NULL;
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	int ncpu, rc;

	*out = NULL;
	if (opts) {
		if (opts->sz < sizeof(size_t))
			return ff_errf(err, -EINVAL, "ff_bpf_source_opts.sz not set");
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	}
	if (!o.snaplen)
		o.snaplen = FF_BPF_DEFAULT_SNAPLEN;
	if (o.snaplen > FF_BPF_SNAPLEN_MAX)
		return ff_errf(err, -EINVAL, "snaplen %u exceeds %u", o.snaplen,
		               FF_BPF_SNAPLEN_MAX);
	if (!o.ring_bytes)
		o.ring_bytes = DEFAULT_RING_BYTES;
	if (!is_pow2(o.ring_bytes) || o.ring_bytes < page || o.ring_bytes < 2 * FF_BPF_EVENT_MAX)
		return ff_errf(err, -EINVAL,
		               "ring size %zu must be a power of 2 of at least %u bytes",
		               o.ring_bytes, 2 * FF_BPF_EVENT_MAX);
	if (geteuid() != 0)
		return ff_errf(err, -EPERM, "the BPF probe needs root (CAP_BPF and CAP_PERFMON)");
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return ff_errf(err, -ENOTSUP,
		               "no kernel BTF (/sys/kernel/btf/vmlinux): the CO-RE probe needs "
		               "a kernel built with CONFIG_DEBUG_INFO_BTF");
	ncpu = libbpf_num_possible_cpus();
	if (ncpu <= 0)
		return ff_errf(err, ncpu < 0 ? ncpu : -EINVAL, "cannot count possible CPUs");

	log_hook = o.log;
	log_ctx = o.log_ctx;
	libbpf_set_print(libbpf_print);

	s = calloc(1, sizeof(*s));
	if (!s)
		return ff_errf(err, -ENOMEM, "out of memory");
	s->epfd = -1;
	s->held = -1;
	s->poll_ms = o.poll_ms ? o.poll_ms : DEFAULT_POLL_MS;
	s->rings = calloc((size_t)ncpu, sizeof(*s->rings));
	s->read = calloc((size_t)ncpu, sizeof(*s->read));
	if (!s->rings || !s->read) {
		rc = ff_errf(err, -ENOMEM, "out of memory");
		goto fail;
	}
	for (int i = 0; i < ncpu; i++)
		s->rings[i].fd = -1;

	s->skel = ff_probe__open();
	if (!s->skel) {
		rc = ff_errf(err, -errno, "opening the BPF object: %s", strerror(errno));
		goto fail;
	}
	s->skel->rodata->ff_self_tgid = (uint32_t)getpid();
	s->skel->rodata->ff_snaplen = o.snaplen;
	s->skel->rodata->ff_boot_to_epoch_ns = boot_to_epoch_ns();
	/* Wake the consumer once a ring is a quarter full; otherwise it polls. */
	s->skel->rodata->ff_wake_bytes = o.ring_bytes / 4;
	s->skel->rodata->ff_kcast = has_kfunc("bpf_rdonly_cast");
	_Static_assert(sizeof(s->skel->bss->ff_interesting) == FF_SYSCALL_NR_MAX,
	               "route table and syscall table disagree");
	if (o.all_syscalls)
		memset(s->skel->bss->ff_interesting, 1, FF_SYSCALL_NR_MAX);
	else if (o.syscalls)
		for (unsigned i = 0; i < FF_SYSCALL_NR_MAX; i++)
			s->skel->bss->ff_interesting[i] = o.syscalls[i] ? 1 : 0;
	else
		ff_bpf_default_syscalls(s->skel->bss->ff_interesting);
	s->skel->data->ff_procexit_on = o.no_procexit ? 0 : 1;

	for (int i = 0; i < ncpu; i++) {
		int fd = bpf_map_create(BPF_MAP_TYPE_RINGBUF, "ff_ring", 0, 0,
		                        (uint32_t)o.ring_bytes, NULL);

		if (fd < 0) {
			rc = ff_errf(err, fd, "creating the ring of CPU %d: %s", i, strerror(-fd));
			goto fail;
		}
		if ((rc = ring_map(&s->rings[i], fd, o.ring_bytes, err)))
			goto fail;
	}
	s->nrings = (unsigned)ncpu;
	/* The first ring doubles as the inner-map prototype (its size must match). */
	if ((rc = bpf_map__set_max_entries(s->skel->maps.ff_rings, (uint32_t)ncpu)) ||
	    (rc = bpf_map__set_max_entries(s->skel->maps.ff_scratch_map,
	                                   (uint32_t)ncpu * FF_BPF_SLOTS)) ||
	    (rc = bpf_map__set_inner_map_fd(s->skel->maps.ff_rings, s->rings[0].fd))) {
		rc = ff_errf(err, rc, "sizing the BPF maps: %s", strerror(-rc));
		goto fail;
	}
	/* tail-call targets run through ff_exit_tail only */
	bpf_program__set_autoattach(s->skel->progs.ff_x_exec, false);
	bpf_program__set_autoattach(s->skel->progs.ff_x_clone, false);
	bpf_program__set_autoattach(s->skel->progs.ff_x_net, false);
	rc = ff_probe__load(s->skel);
	if (rc) {
		rc = ff_errf(err, rc,
		             rc == -EPERM ? "loading the BPF probe: %s (BPF disallowed: lockdown, "
		                            "kernel.unprivileged_bpf_disabled or missing CAP_BPF?)"
		                          : "loading the BPF probe: %s (the log hook has the "
		                            "verifier's output)",
		             strerror(-rc));
		goto fail;
	}

	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0) {
		rc = ff_errf(err, -errno, "epoll_create1: %s", strerror(errno));
		goto fail;
	}
	for (int i = 0; i < ncpu; i++) {
		struct epoll_event ee = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
		uint32_t key = (uint32_t)i;
		int fd = s->rings[i].fd;

		if (bpf_map_update_elem(bpf_map__fd(s->skel->maps.ff_rings), &key, &fd, BPF_ANY)) {
			rc = ff_errf(err, -errno, "installing the ring of CPU %d: %s", i,
			             strerror(errno));
			goto fail;
		}
		if (epoll_ctl(s->epfd, EPOLL_CTL_ADD, fd, &ee)) {
			rc = ff_errf(err, -errno, "epoll_ctl: %s", strerror(errno));
			goto fail;
		}
	}
	*out = s;
	return 0;
fail:
	ff_bpf_source_close(s);
	return rc;
}

int ff_bpf_source_start(struct ff_bpf_source *src, struct ff_err *err)
{
	int rc;

	if (src->started)
		return 0;
	rc = ff_probe__attach(src->skel);
	if (rc)
		return ff_errf(
		    err, rc, "attaching to the raw syscall tracepoints: %s%s", strerror(-rc),
		    rc == -ENOENT ? " (tracepoint missing: is tracefs/BTF complete?)" : "");
	src->started = 1;
	return 0;
}

void ff_bpf_source_close(struct ff_bpf_source *src)
{
	if (!src)
		return;
	if (src->skel)
		ff_probe__detach(src->skel);
	if (src->rings)
		for (unsigned i = 0; i < src->nrings; i++)
			ring_unmap(&src->rings[i]);
	if (src->epfd >= 0)
		close(src->epfd);
	ff_probe__destroy(src->skel);
	free(src->rings);
	free(src->read);
	free(src);
}

/* ---- consuming ------------------------------------------------------------------ */
static int ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int)((t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000);
}

int ff_bpf_source_next(struct ff_bpf_source *src, struct ff_evt *ev, struct ff_err *err)
{
	struct timespec t0;

	if (src->held >= 0) {
		ring_advance(&src->rings[src->held], src->held_len);
		src->held = -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		const uint8_t *best = NULL;
		uint32_t best_len = 0;
		int best_ring = -1;
		uint64_t best_ts = 0;

		for (unsigned i = 0; i < src->nrings; i++) {
			uint32_t len;
			const uint8_t *p = ring_peek(&src->rings[i], &len);

			if (!p)
				continue;
			if (len < FF_EVT_HDR_LEN) { /* cannot happen: drop it loudly */
				ring_advance(&src->rings[i], len);
				return ff_errf(err, -EBADMSG, "CPU %u: %u-byte record", i, len);
			}
			if (!best || ff_ld64(p) < best_ts) {
				best = p;
				best_len = len;
				best_ring = (int)i;
				best_ts = ff_ld64(p);
			}
		}
		if (best) {
			int rc = ff_evt_init(ev, best, best_len, err);

			src->held = best_ring;
			src->held_len = best_len;
			if (rc)
				return rc;
			ev->cpu = (uint16_t)best_ring;
			ev->dump_flags = 0; /* a live event is never "state only" */
			src->read[best_ring]++;
			return 0;
		}
		{
			struct epoll_event evs[8];
			int waited = ms_since(&t0), slice = POLL_SLICE_MS;

			if (src->poll_ms >= 0) {
				if (waited >= src->poll_ms)
					return -EAGAIN;
				if (src->poll_ms - waited < slice)
					slice = src->poll_ms - waited;
			}
			if (epoll_wait(src->epfd, evs, 8, slice) < 0 && errno != EINTR)
				return ff_errf(err, -errno, "epoll_wait: %s", strerror(errno));
			if (errno == EINTR)
				errno = 0;
		}
	}
}

int ff_bpf_source_stats(const struct ff_bpf_source *src, struct ff_bpf_stats *per_cpu, unsigned cap,
                        struct ff_bpf_stats *total)
{
	unsigned n = src->nrings;
	struct ff_bpf_cpu_stats *v = calloc(n, sizeof(*v));
	uint32_t zero = 0;

	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(src->skel->maps.ff_stats), &zero, v)) {
		int rc = -errno;

		free(v);
		return rc;
	}
	if (total)
		memset(total, 0, sizeof(*total));
	for (unsigned i = 0; i < n; i++) {
		struct ff_bpf_stats c = { v[i].events, v[i].drops, v[i].fill_fail, v[i].wakeups,
			                  src->read[i] };

		if (per_cpu && i < cap)
			per_cpu[i] = c;
		if (total) {
			total->events += c.events;
			total->drops += c.drops;
			total->fill_fail += c.fill_fail;
			total->wakeups += c.wakeups;
			total->read += c.read;
		}
	}
	free(v);
	if (total) {
		struct bpf_program *progs[] = { src->skel->progs.ff_sys_enter,
			                        src->skel->progs.ff_sys_exit,
			                        src->skel->progs.ff_proc_exit };

		for (size_t i = 0; i < sizeof(progs) / sizeof(progs[0]); i++) {
			struct bpf_prog_info info;
			__u32 len = sizeof(info);

			memset(&info, 0, sizeof(info));
			if (!bpf_obj_get_info_by_fd(bpf_program__fd(progs[i]), &info, &len)) {
				total->misses += info.recursion_misses;
				total->run_ns += info.run_time_ns;
				total->run_cnt += info.run_cnt;
			}
		}
	}
	return (int)n;
}
