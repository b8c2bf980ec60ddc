/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The /proc scan a live capture starts with: machine info, interfaces, users
 * and groups, every thread (PL_V9 entries: comm, exe, exepath, args, env,
 * cwd, root, cgroups, uid/gid, loginuid, capabilities, sid, vpgid, vtid,
 * vpid, fd limit, memory and page faults) and the fds of every process
 * (files with their open flags, directories, IPv4/IPv6 sockets with their
 * tuples from /proc/PID/net/{tcp,tcp6,udp,udp6}, unix sockets, netlink,
 * pipes, eventfd/signalfd/epoll/inotify/timerfd), encoded as the compat
 * metadata blocks of ff_meta.h that sysdig 0.29.3 and our state tracker read.
 *
 * Processes come and go during the scan: a thread or fd that vanishes
 * between two reads is left out (counted in `vanished`), never an error.
 */
#ifndef FF_PROCSCAN_H
#define FF_PROCSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_meta.h"

struct ff_procscan_opts {
	size_t sz;             /* sizeof(struct ff_procscan_opts) */
	const char *proc_root; /* NULL: "/proc" */
	int no_fds;            /* leave out the fd lists */
};

struct ff_procscan_stats {
	uint32_t processes, threads, fds, users, groups, ifaces;
	uint32_t vanished;    /* threads that exited mid-scan */
	uint32_t unknown_fds; /* fds of a kind with no list encoding (left out) */
};

/* Append MI, IL_V2, UL_V2, PL_V9 and FDL_V2 blocks (in that order, the order
 * readers expect) to `out`.  opts and st may be NULL.  Returns 0, -ENOMEM, or
 * a negative errno when /proc itself cannot be read. */
int ff_procscan_run(struct ff_buf *out, const struct ff_procscan_opts *opts,
                    struct ff_procscan_stats *st, struct ff_err *err);

#endif
