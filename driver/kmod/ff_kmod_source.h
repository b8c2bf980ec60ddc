/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Live events from the kernel module (driver/kmod/ff_kmod.c): the same shape
 * as ff_bpf_source.h.  The source opens and maps /dev/ff_kmodN for every CPU
 * and hands out the raw events (scap layout) in timestamp order, merged
 * across CPUs, as zero-copy views validated with ff_evt_init().
 *
 * Lifecycle: open (configure, nothing traced yet) -> start -> next ... ->
 * close (stops the capture).  Not thread-safe; one consumer.  Needs root and
 * the module loaded.
 */
#ifndef FF_KMOD_SOURCE_H
#define FF_KMOD_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"

struct ff_kmod_source;

struct ff_kmod_source_opts {
	size_t sz;               /* sizeof(struct ff_kmod_source_opts) */
	uint32_t snaplen;        /* I/O data bytes kept per event; 0: 80, max 16384 */
	const uint8_t *syscalls; /* FF_SYSCALL_NR_MAX flags by x86_64 syscall number
	                            (non-zero: capture); NULL: every syscall, as the
	                            BPF probe's all_syscalls */
	int no_procexit;         /* do not emit procexit events */
	int poll_ms;             /* how long next() waits for an event; 0: 100, <0: forever */
	const char *dev_prefix; /* device path prefix, the CPU number follows; NULL: /dev/ff_kmod */
};

struct ff_kmod_stats {
	uint64_t events;    /* events written to the ring */
	uint64_t drops;     /* lost because the ring was full */
	uint64_t fill_fail; /* lost because the event did not fit the module's scratch */
	uint64_t forks;     /* sched_process_fork hits */
	uint64_t read;      /* events handed out by next() */
};

/* Is the module loaded (the device of CPU 0 exists)? */
int ff_kmod_available(const char *dev_prefix);

/* Open and map the rings and configure the module.  Errors: -ENOENT (module
 * not loaded), -EPERM, -EINVAL (bad options), else the errno of the step
 * that `err` names. */
int ff_kmod_source_open(struct ff_kmod_source **out, const struct ff_kmod_source_opts *opts,
                        struct ff_err *err);

/* Register the probes: events start flowing (rings are reset). */
int ff_kmod_source_start(struct ff_kmod_source *src, struct ff_err *err);

/* Unregister the probes; events already in the rings can still be read. */
int ff_kmod_source_stop(struct ff_kmod_source *src, struct ff_err *err);

/* The next event in timestamp order, valid until the next call or close.
 * Returns 0, -EAGAIN when nothing arrived within poll_ms, -EBADMSG if the
 * module wrote an invalid record (it is skipped), or another negative errno. */
int ff_kmod_source_next(struct ff_kmod_source *src, struct ff_evt *ev, struct ff_err *err);

/* Counters: `per_cpu` receives up to `cap` entries (may be NULL), `total` the
 * sum (may be NULL).  Returns the number of CPUs. */
int ff_kmod_source_stats(const struct ff_kmod_source *src, struct ff_kmod_stats *per_cpu,
                         unsigned cap, struct ff_kmod_stats *total);

/* Stop, unmap and close; NULL is allowed. */
void ff_kmod_source_close(struct ff_kmod_source *src);

#endif
