/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * What the CO-RE probe (ff_probe.bpf.c) and its loader (ff_bpf_source.c)
 * share besides the event layout of ff_event_abi.h: scratch sizes, the
 * per-CPU statistics record and the syscall route entry.  Fixed-width types
 * only; the sizes are checked below so that both sides agree.
 */
#ifndef FF_PROBE_H
#define FF_PROBE_H

#if defined(__bpf__) || defined(__BPF__)
/* vmlinux.h provides __u16 .. __u64 */
#else
#include <linux/types.h>
#endif

/* Per-CPU scratch where one event is assembled: values are written at
 * offsets masked to FF_BPF_HALF - 1 and no single write exceeds FF_BPF_HALF,
 * so the verifier can prove every store stays inside the map value. */
#define FF_BPF_HALF (1u << 16)
#define FF_BPF_SCRATCH (2u * FF_BPF_HALF)
/* Scratch slots per CPU: a task preempted inside the probe keeps its slot
 * while another task on the same CPU builds its event in the next one. */
#define FF_BPF_SLOTS 2u
/* Behind the event area: room to build paths backwards (dentry walks). */
#define FF_BPF_TMP 8192u
#define FF_BPF_PATH_MAX 4096u
/* Largest event the probe emits: FF_EVT_HDR_LEN + lengths + values. */
#define FF_BPF_EVENT_MAX FF_BPF_HALF

/* Bounds of what is copied from user memory. */
#define FF_BPF_SNAPLEN_MAX 16384u /* I/O data snapshots */
#define FF_BPF_ARGS_MAX 4096u     /* execve argv / env blocks */
#define FF_BPF_DEFAULT_SNAPLEN 80u

/* Counters per CPU, in a BPF_MAP_TYPE_PERCPU_ARRAY of one entry. */
struct ff_bpf_cpu_stats {
	__u64 events;    /* events written to the ring */
	__u64 drops;     /* ring full: reserve/output failed */
	__u64 fill_fail; /* not built: too large, every scratch slot busy, a filler/table
	                    mismatch, a failed tail call or no ring */
	__u64 wakeups;   /* forced consumer wakeups (ring above threshold) */
};

/* One row of the generated route table (driver/bpf/ff_bpf_routes.h). */
struct ff_bpf_route {
	__u16 enter;  /* 2022 enter event id; 0 = generic; FF_BPF_ROUTE_NONE */
	__u16 ppm_sc; /* ppm_sc code written in generic events */
};
#define FF_BPF_ROUTE_NONE 0xffffu

_Static_assert(sizeof(struct ff_bpf_cpu_stats) == 32, "ff_bpf_cpu_stats layout");
_Static_assert(sizeof(struct ff_bpf_route) == 4, "ff_bpf_route layout");
_Static_assert(FF_BPF_SNAPLEN_MAX + FF_BPF_ARGS_MAX < FF_BPF_HALF, "scratch too small");
_Static_assert((FF_BPF_TMP & (FF_BPF_TMP - 1)) == 0, "tmp area must be a power of 2");

#endif /* FF_PROBE_H */
