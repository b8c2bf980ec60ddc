/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The last events of a live session, for falco-tui's Events view and alert
 * detail where nothing can be read a second time: each event's sysdig line,
 * rendered as it arrives (with the state of that moment), and what it is
 * about (ff_tuievkey), so that a drill-down scope can be matched later.
 *
 * Bounded: the ring holds at most `max_events` events and `max_bytes` of
 * text, the oldest going first; on a busy host that is a second or so.  So
 * that a quiet process's recent events outlive the flood of a busy one, each
 * of the `max_procs` processes seen last also keeps its own last `per_proc`
 * events (shared with the ring, not copied).  Entries are numbered from 0 in
 * arrival order.
 */
#ifndef FF_TUIRING_H
#define FF_TUIRING_H

#include <stddef.h>
#include <stdint.h>

#include "ff_evt.h"
#include "ff_state.h"
#include "ff_tuimodel.h"

struct ff_tuiring;

struct ff_tuiring_ent {
	const char *text; /* sysdig's line, without the newline */
	uint64_t ts, num; /* event time, evt.num */
	int64_t pid;      /* -1 without a thread */
	uint64_t seq;     /* its number in the ring */
};

struct ff_tuiring_opts {
	size_t max_events, max_bytes; /* the ring */
	size_t max_procs, per_proc;   /* the per-process tails; 0: none */
};

int ff_tuiring_new(struct ff_tuiring **out, const struct ff_tuiring_opts *o);
void ff_tuiring_free(struct ff_tuiring *r);
void ff_tuiring_clear(struct ff_tuiring *r);

/* Keep one event (after ff_state_update).  0 or -ENOMEM. */
int ff_tuiring_add(struct ff_tuiring *r, const struct ff_state *st, const struct ff_evt *ev,
                   uint64_t num);

/* Entries first .. end-1 are in the ring. */
uint64_t ff_tuiring_first(const struct ff_tuiring *r);
uint64_t ff_tuiring_end(const struct ff_tuiring *r);
/* Entry i of the ring, valid until the next add or clear; NULL when gone. */
const struct ff_tuiring_ent *ff_tuiring_get(const struct ff_tuiring *r, uint64_t i);
/* Whether ring entry i falls in `scope` (ff_tuievkey_match). */
int ff_tuiring_match(const struct ff_tuiring *r, uint64_t i, const struct ff_tuiscope *scope);

/* The events of process `pid` that left the ring but are still in its
 * tail, oldest first (seq < ff_tuiring_first), valid until the next add or
 * clear.  Returns how many were written to out (at most max). */
size_t ff_tuiring_proc_older(const struct ff_tuiring *r, int64_t pid,
                             const struct ff_tuiring_ent **out, size_t max);

/* Bytes of text held by the ring and the tails. */
size_t ff_tuiring_bytes(const struct ff_tuiring *r);

#endif
