/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * The contract between the kernel module (ff_kmod.c) and its userspace
 * reader (ff_kmod_source.c): device names, ioctls and the layout of the
 * per-CPU rings.  Events themselves follow ff_event_abi.h.
 *
 * Ring: /dev/ff_kmodN (N = CPU) maps FF_KMOD_CTL_BYTES of control (struct
 * ff_kmod_ring_ctl) followed by `size` data bytes.  head and tail count bytes
 * since start and only grow; a record starts at (pos % size), is 8-byte
 * aligned (its ring footprint is FF_KMOD_ALIGN(len)) and never wraps: when the
 * next record does not fit before the end, the producer writes a padding
 * record (type FF_KMOD_PAD_TYPE, len = bytes to the end) if at least
 * FF_KMOD_PAD_MIN bytes remain, and continues at the start.  Fewer than
 * FF_KMOD_PAD_MIN bytes at the end are skipped by both sides without a record.
 */
#ifndef FF_KMOD_ABI_H
#define FF_KMOD_ABI_H

#ifdef __KERNEL__
#include <linux/ioctl.h>
#include <linux/types.h>
#else
#include <linux/types.h>
#include <sys/ioctl.h>
#endif

#define FF_KMOD_NAME "ff_kmod"
#define FF_KMOD_DEV_PREFIX "/dev/ff_kmod" /* + CPU number */
#define FF_KMOD_CTL_BYTES 4096u
#define FF_KMOD_PAD_TYPE 0xffffu
#define FF_KMOD_PAD_MIN 24u
#define FF_KMOD_ALIGN(n) (((n) + 7u) & ~7u)
#define FF_KMOD_SNAPLEN_MAX 16384u
#define FF_KMOD_DEFAULT_SNAPLEN 80u
/* Bitmap of syscalls by x86_64 number (one byte each, non-zero: capture). */
#define FF_KMOD_NR_MAX 512u

struct ff_kmod_ring_ctl {
	__u64 head;      /* producer position (written by the kernel) */
	__u64 tail;      /* consumer position (written by userspace) */
	__u64 events;    /* events written to this ring */
	__u64 drops;     /* events lost: ring full */
	__u64 fill_fail; /* events lost: too large for the scratch */
	__u64 forks;     /* sched_process_fork hits on this CPU */
	__u32 size;      /* data bytes (power of 2) */
	__u32 pad;
};

struct ff_kmod_syscalls {
	__u8 set[FF_KMOD_NR_MAX];
};

#define FF_KMOD_IOC_MAGIC 0xf5
#define FF_KMOD_IOC_START _IO(FF_KMOD_IOC_MAGIC, 1)
#define FF_KMOD_IOC_STOP _IO(FF_KMOD_IOC_MAGIC, 2)
#define FF_KMOD_IOC_SNAPLEN _IOW(FF_KMOD_IOC_MAGIC, 3, __u32)
#define FF_KMOD_IOC_SYSCALLS _IOW(FF_KMOD_IOC_MAGIC, 4, struct ff_kmod_syscalls)
#define FF_KMOD_IOC_SELF _IOW(FF_KMOD_IOC_MAGIC, 5, __u32)     /* tgid never traced */
#define FF_KMOD_IOC_PROCEXIT _IOW(FF_KMOD_IOC_MAGIC, 6, __u32) /* 0: no procexit */

#endif
