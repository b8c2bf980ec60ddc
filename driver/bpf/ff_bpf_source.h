/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live events from the CO-RE probe (ff_probe.bpf.c).  The source loads and
 * verifies the probe, gives every CPU its own BPF ring buffer, and hands out
 * the raw events (scap layout) in timestamp order, merged across CPUs, as
 * zero-copy views validated with ff_evt_init().
 *
 * Lifecycle: open (load, nothing traced yet) -> start (attach) -> next ... ->
 * close.  Not thread-safe; one consumer.  Needs root (CAP_BPF + CAP_PERFMON)
 * and kernel BTF (/sys/kernel/btf/vmlinux).
 */
#ifndef FF_BPF_SOURCE_H
#define FF_BPF_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"

struct ff_bpf_source;

enum ff_bpf_log_level { FF_BPF_LOG_WARN = 0, FF_BPF_LOG_INFO = 1, FF_BPF_LOG_DEBUG = 2 };

struct ff_bpf_source_opts {
	size_t sz;               /* sizeof(struct ff_bpf_source_opts) */
	uint32_t snaplen;        /* I/O data bytes kept per event; 0: 80, max 16384 */
	size_t ring_bytes;       /* per-CPU ring size, power of 2 >= page; 0: 8 MiB */
	const uint8_t *syscalls; /* FF_SYSCALL_NR_MAX flags by x86_64 syscall number
	                            (non-zero: capture); NULL: ff_bpf_default_syscalls() */
	int all_syscalls;        /* capture every routed syscall (overrides syscalls) */
	int no_procexit;         /* do not emit procexit events */
	int poll_ms;             /* how long next() waits for an event; 0: 100, <0: forever */
	/* Optional log hook for libbpf's and the verifier's messages.  libbpf has
	 * one process-wide print callback: the hook of the last open wins. */
	void (*log)(void *ctx, enum ff_bpf_log_level level, const char *msg);
	void *log_ctx;
};

struct ff_bpf_stats {
	uint64_t events;    /* events written to the ring */
	uint64_t drops;     /* lost because the ring was full */
	uint64_t fill_fail; /* lost before the ring: too large for the scratch, every
	                       scratch slot of the CPU busy, or a probe bug (a filler
	                       that disagrees with the event table) */
	uint64_t wakeups;   /* forced consumer wakeups */
	uint64_t read;      /* events handed out by next() */
	uint64_t misses;    /* events the kernel skipped because one of our programs was
	                       already running on that CPU (a task preempted inside it):
	                       lost like drops; kept in `total` only (the kernel counts
	                       them per program, not per CPU) */
	uint64_t run_ns;    /* time spent in our programs and their runs, `total` only;  */
	uint64_t run_cnt;   /* non-zero only while kernel.bpf_stats_enabled is 1 */
};

/* Load and verify the probe and create the rings; nothing is traced until
 * ff_bpf_source_start().  opts may be NULL.  Errors: -EPERM (not root),
 * -ENOTSUP (no kernel BTF), -EINVAL (bad options), else the libbpf/kernel
 * errno; `err` says which step failed. */
int ff_bpf_source_open(struct ff_bpf_source **out, const struct ff_bpf_source_opts *opts,
                       struct ff_err *err);

/* Attach the programs: events start flowing. */
int ff_bpf_source_start(struct ff_bpf_source *src, struct ff_err *err);

/* The next event in timestamp order.  `ev` points into the ring and is valid
 * until the next call or close.  Returns 0, -EAGAIN when nothing arrived
 * within poll_ms, -EBADMSG if the probe wrote an invalid record (a bug; it is
 * skipped), or another negative errno. */
int ff_bpf_source_next(struct ff_bpf_source *src, struct ff_evt *ev, struct ff_err *err);

/* Counters: `per_cpu` receives up to `cap` entries (may be NULL), `total` the
 * sum (may be NULL).  Returns the number of CPUs or a negative errno. */
int ff_bpf_source_stats(const struct ff_bpf_source *src, struct ff_bpf_stats *per_cpu, unsigned cap,
                        struct ff_bpf_stats *total);

/* Detach, unload and free; NULL is allowed. */
void ff_bpf_source_close(struct ff_bpf_source *src);

/* Fill `set` (FF_SYSCALL_NR_MAX flags) with the default syscall set: the
 * process, file, network and privilege syscalls a security tool needs (the
 * spirit of Falco's base syscalls).  Returns how many were set. */
int ff_bpf_default_syscalls(uint8_t *set);

#endif
