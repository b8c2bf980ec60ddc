/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The state tracker: threads (hash by tid, parent chain through ptid), per
 * process fd tables, users and groups, container ids, kept current from the
 * metadata blocks of a capture and from its events, the way sysdig 0.29.3's
 * sinsp does it, so that fields and rendered arguments agree with it.
 *
 * Invariants: a thread is removed at the event that follows its procexit (so
 * the procexit itself still resolves); a closed fd is removed at the event
 * that follows the close exit.  Memory is bounded by the live threads and fds
 * (plus freelists of recycled fd records), never by the length of the stream.
 * Every pointer handed out is valid until the next ff_state_update() or
 * ff_state_load_block() on the same state.
 */
#ifndef FF_STATE_H
#define FF_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"
#include "ff_reader.h"

struct ff_state;
struct ff_thread;
struct ff_fd;

/* Create an empty state.  Returns 0 or -ENOMEM. */
int ff_state_new(struct ff_state **out, struct ff_err *err);
void ff_state_free(struct ff_state *st);

/* Feed a metadata block (process, fd, user, interface lists, machine info);
 * other kinds are ignored.  Returns 0, -EBADMSG for a malformed block (the
 * entries before the bad one are kept) or -ENOMEM. */
int ff_state_load_block(struct ff_state *st, const struct ff_block *b, struct ff_err *err);

/* Apply one event.  Afterwards ff_state_evt_thread()/ff_state_evt_fd() give the
 * thread and fd the event refers to.  Returns 0 or -ENOMEM (state stays usable). */
int ff_state_update(struct ff_state *st, const struct ff_evt *ev);

/* ff_state_update() in two steps, for consumers that filter like sysdig
 * 0.29.3: ff_state_begin() resolves the thread and fd of the event (what
 * fields need); then either ff_state_finish() applies the event, or
 * ff_state_drop() discards it the way sinsp discards an event its filter
 * rejected before parsing (the thread's pending enter event is forgotten).
 * Both return what ff_state_update() returns (drop returns nothing). */
int ff_state_begin(struct ff_state *st, const struct ff_evt *ev);
int ff_state_finish(struct ff_state *st, const struct ff_evt *ev);
void ff_state_drop(struct ff_state *st);

/* Thread and fd of the last event given to ff_state_update (NULL if none). */
const struct ff_thread *ff_state_evt_thread(const struct ff_state *st);
const struct ff_fd *ff_state_evt_fd(const struct ff_state *st);

/* Lookups (no creation). */
const struct ff_thread *ff_state_thread(const struct ff_state *st, int64_t tid);
/* Parent process (by ptid) or NULL. */
const struct ff_thread *ff_state_parent(const struct ff_state *st, const struct ff_thread *t);
/* Main thread of t's process (tid == pid), t itself if it is one, or NULL. */
const struct ff_thread *ff_state_main_thread(const struct ff_state *st, const struct ff_thread *t);
/* fd table lookup through t's process (threads sharing files use the main thread's table). */
const struct ff_fd *ff_state_fd(const struct ff_state *st, const struct ff_thread *t, int64_t fd);
size_t ff_state_nthreads(const struct ff_state *st);
size_t ff_state_nfds(const struct ff_state *st);

/* user / group names from the user list; NULL when unknown */
const char *ff_state_user_name(const struct ff_state *st, uint32_t uid);
const char *ff_state_group_name(const struct ff_state *st, uint32_t gid);

/* ---- thread accessors (t must not be NULL) ---- */
int64_t ff_thread_tid(const struct ff_thread *t);
int64_t ff_thread_pid(const struct ff_thread *t);
int64_t ff_thread_ptid(const struct ff_thread *t);
int64_t ff_thread_sid(const struct ff_thread *t);
int64_t ff_thread_vpgid(const struct ff_thread *t);
int64_t ff_thread_vtid(const struct ff_thread *t);
int64_t ff_thread_vpid(const struct ff_thread *t);
int64_t ff_thread_fdlimit(const struct ff_thread *t);
const char *ff_thread_comm(const struct ff_thread *t);
const char *ff_thread_exe(const struct ff_thread *t);
const char *ff_thread_exepath(const struct ff_thread *t);
/* The cwd of t's process, kept on its main thread as sinsp does whatever the
 * clone flags ("" when the main thread is not known), with a trailing '/'. */
const char *ff_state_cwd(const struct ff_state *st, const struct ff_thread *t);
/* argv[1..], env, cgroups: NUL-separated strings, length in *len */
const char *ff_thread_args(const struct ff_thread *t, uint32_t *len);
const char *ff_thread_env(const struct ff_thread *t, uint32_t *len);
const char *ff_thread_cgroups(const struct ff_thread *t, uint32_t *len);
const char *ff_thread_root(const struct ff_thread *t);
/* container id (12 hex chars, or "host") derived from the cgroups */
const char *ff_thread_container_id(const struct ff_thread *t);
uint32_t ff_thread_uid(const struct ff_thread *t);
uint32_t ff_thread_gid(const struct ff_thread *t);
uint32_t ff_thread_loginuid(const struct ff_thread *t);
uint32_t ff_thread_tty(const struct ff_thread *t);
uint32_t ff_thread_flags(const struct ff_thread *t); /* PPM_CL_* */
int ff_thread_is_main(const struct ff_thread *t);
int ff_thread_exited(const struct ff_thread *t);

/* ---- fd accessors ---- */
int64_t ff_fd_num(const struct ff_fd *f);
uint8_t ff_fd_type(const struct ff_fd *f); /* enum ff_fd_type (ff_meta.h) */
char ff_fd_typechar(
    const struct ff_fd *f); /* 'f' '4' '6' 'u' 'p' 'e' 's' 'l' 'i' 't' 'n' 'd' 'o' 'X' ... */
/* l4 protocol as sinsp reports it (0 unknown, 1 n/a, 2 tcp, 3 udp, 4 icmp, 5 raw) */
uint8_t ff_fd_l4proto(const struct ff_fd *f);
const char *ff_fd_name(const struct ff_fd *f);
uint32_t ff_fd_open_flags(const struct ff_fd *f);
/* socket ends: addresses in network order (IPv4 in the first 4 bytes), ports host order */
void ff_fd_tuple(const struct ff_fd *f, uint8_t sip[16], uint16_t *sport, uint8_t dip[16],
                 uint16_t *dport);
int ff_fd_is_server(const struct ff_fd *f);

/* ---- for the field extractors (replay/ff_sysfields) ---- */

/* Keep every thread's last enter event (not only those the tracker itself
 * needs), so that ff_state_evt_enter() finds the partner of any exit. */
void ff_state_keep_enters(struct ff_state *st, int on);
/* Parse the way current libs (Falco) do where they differ from sysdig
 * 0.29.3: a connect moves a socket's known remote end.  For the rule
 * engine's state; listings keep sysdig's. */
void ff_state_falco_view(struct ff_state *st, int on);
/* The enter event of exit event `ev` (the last event given to
 * ff_state_update) when it was kept: 1 with *out filled (valid until the next
 * update), else 0. */
int ff_state_evt_enter(const struct ff_state *st, const struct ff_evt *ev, struct ff_evt *out);
/* sinsp's latency of the current event's thread: ns from its last enter
 * event to its last exit event (0 right after an enter). */
uint64_t ff_state_evt_latency(const struct ff_state *st);
/* 1 when the current event gave its fd a new name (a new fd, a new tuple). */
int ff_state_evt_fd_renamed(const struct ff_state *st);
/* fd number the current event refers to (-1 if none), as sinsp's lastevent_fd. */
int64_t ff_state_evt_fdnum(const struct ff_state *st);
/* Whether an address belongs to one of the capture's interfaces. */
int ff_state_ip_is_local(const struct ff_state *st, int v6, const uint8_t *ip);
const char *ff_state_user_home(const struct ff_state *st, uint32_t uid);
const char *ff_state_user_shell(const struct ff_state *st, uint32_t uid);
/* Number of open fds of t's process. */
size_t ff_state_fd_count(const struct ff_state *st, const struct ff_thread *t);

uint64_t ff_thread_clone_ts(const struct ff_thread *t); /* 0 when unknown */
void ff_thread_vm(const struct ff_thread *t, uint32_t *size_kb, uint32_t *rss_kb,
                  uint32_t *swap_kb);
void ff_thread_pagefaults(const struct ff_thread *t, uint64_t *major, uint64_t *minor);
/* Capability sets; returns 0 when the capture did not record them. */
int ff_thread_caps(const struct ff_thread *t, uint64_t *inheritable, uint64_t *permitted,
                   uint64_t *effective);
/* EXE_* bits of the last execve (1 writable, 2 upper layer, 4 from memfd), -1 unknown. */
int ff_thread_exe_flags(const struct ff_thread *t);
void ff_thread_exe_times(const struct ff_thread *t, uint64_t *ctime, uint64_t *mtime);
uint64_t ff_thread_pidns_start(const struct ff_thread *t); /* 0 when unknown */
uint32_t ff_thread_nchilds(const struct ff_thread *t);     /* other threads of a main thread */
/* What current Falco knows of a thread where it differs: the container id
 * its container plugin derives from the cgroups (kind: FF_FALCO_CT_*), the
 * trusted_exepath of the last execve (NULL when not recorded), and the
 * exe's ctime distance to the clone computed at that execve (0 unknown). */
const char *ff_thread_container_id_falco(const struct ff_thread *t, int *kind);
const char *ff_thread_trusted_exepath(const struct ff_thread *t);
/* The path an open-family call passed for this fd (current libs' fd.nameraw;
 * "" for other fds). */
const char *ff_fd_nameraw(const struct ff_fd *f);
uint64_t ff_thread_exe_ctime_dur(const struct ff_thread *t);

int ff_fd_connected(const struct ff_fd *f);
int ff_fd_role(const struct ff_fd *f); /* 0 none, 1 client, 2 server */
uint32_t ff_fd_dev(const struct ff_fd *f);
uint64_t ff_fd_ino(const struct ff_fd *f);

/* Container id from a cgroups block (subsys=path strings, NUL-separated):
 * writes 12 hex chars + NUL into out (size >= 13) and returns 1, or "host" and 0. */
/* The current event only fed the state and is not shown (sinsp consumes the
 * container events before a capture's first other event, and those of
 * failed metadata lookups): listings, rules and indexes skip it. */
int ff_state_evt_hidden(const struct ff_state *st);

/* Runtime metadata of container `id` from the capture's container events,
 * NULL when it had none (ff_containers.h). */
struct ff_container;
const struct ff_container *ff_state_container(const struct ff_state *st, const char *id);
/* Container events whose JSON did not parse, and the first one's message. */
uint64_t ff_state_container_errors(const struct ff_state *st, const char **first);

/* The container id the cgroups name ("host" when none), and which runtime's
 * layout named it: 0 (host) or FF_CGROUP_*. */
enum { FF_CGROUP_DOCKER = 1, FF_CGROUP_CRI = 2, FF_CGROUP_LXC = 3 };
int ff_state_container_from_cgroups(const char *cg, uint32_t len, char out[65]);

/* The same as Falco's container plugin sees it: host (0, "host"), an id of a
 * runtime it asks for metadata (docker, podman, cri, containerd: only what
 * the capture's container events say is known), or of one whose matcher
 * alone describes it (lxc, libvirt-lxc, bpm: type and id, the rest empty). */
enum { FF_FALCO_CT_RUNTIME = 1, FF_FALCO_CT_LXC, FF_FALCO_CT_LIBVIRT_LXC, FF_FALCO_CT_BPM };
int ff_state_container_falco(const char *cg, uint32_t len, char out[65]);

#endif
