/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live events, whichever driver delivers them: the CO-RE BPF probe ("bpf")
 * or the kernel module ("kmod", when built in).  One small vtable per driver
 * (ff_source.c); consumers (falco-capture, falco-replay --live, falco-query
 * and falco-tui --live) see only this API.
 *
 * Events come out in timestamp order as zero-copy views valid until the next
 * ff_source_next() or ff_source_close().  Losses are never hidden: when a
 * CPU's drop counter grows, a drop pair (PPME_DROP_E then PPME_DROP_X, tid
 * -1, `ratio` = events lost, capped at 2^32-1) is handed out before the first
 * event of that CPU stamped after the loss was seen, so a reader knows where
 * the record has a hole.  Our own process is never traced.
 *
 * Not thread-safe; one consumer.  Needs root.
 */
#ifndef FF_SOURCE_H
#define FF_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"

struct ff_source;

struct ff_source_opts {
	size_t sz;               /* sizeof(struct ff_source_opts) */
	const char *driver;      /* "bpf", "kmod", or NULL: kmod if loaded, else bpf */
	uint32_t snaplen;        /* I/O bytes kept per event; 0: 80 */
	size_t buffer_bytes;     /* per-CPU buffer, power of 2; 0: driver default (8 MiB) */
	int all_syscalls;        /* every syscall the driver knows, not the default set */
	const uint8_t *syscalls; /* FF_SYSCALL_NR_MAX flags by syscall number; NULL: default */
	int poll_ms;             /* how long next() waits; 0: 100, <0: forever */
};

struct ff_source_cpu {
	uint64_t events;    /* written by the driver */
	uint64_t drops;     /* lost: buffer full */
	uint64_t fill_fail; /* lost: the driver could not build the event */
	uint64_t read;      /* handed out */
};

struct ff_source_stats {
	unsigned ncpus;
	uint64_t events, drops, fill_fail, read;
	uint64_t misses;      /* lost, CPU unknown (BPF: a program re-entered on a CPU) */
	uint64_t drop_events; /* drop pairs inserted in the stream */
};

/* The drivers built in, comma-separated ("bpf", "bpf,kmod", or ""). */
const char *ff_source_drivers(void);

/* Open (load, verify, allocate; nothing traced yet).  Errors: -EPERM not
 * root or BPF disallowed, -ENOTSUP no BTF / driver not built in, -ENOENT no
 * such driver, -EINVAL bad options; `err` says which. */
int ff_source_open(struct ff_source **out, const struct ff_source_opts *opts, struct ff_err *err);

/* Start tracing. */
int ff_source_start(struct ff_source *s, struct ff_err *err);

/* Next event: 0, -EAGAIN when none arrived within poll_ms (call again), or
 * another negative errno. */
int ff_source_next(struct ff_source *s, struct ff_evt *ev, struct ff_err *err);

/* Counters: up to `cap` CPUs into per_cpu (may be NULL), sums into total (may
 * be NULL).  Returns the number of CPUs or a negative errno. */
int ff_source_stats(struct ff_source *s, struct ff_source_cpu *per_cpu, unsigned cap,
                    struct ff_source_stats *total);

/* Name of the driver in use ("bpf" or "kmod"). */
const char *ff_source_driver(const struct ff_source *s);

/* Stop and free; hands out nothing more.  NULL is allowed. */
void ff_source_close(struct ff_source *s);

#endif
