/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The last events of a live session, for falco-tui's Events view and alert
 * detail where nothing can be read a second time: each event's sysdig line,
 * rendered as it arrives (with the state of that moment), and what it is
 * about (ff_tuievkey), so that a drill-down scope can be matched later.
 * Bounded: at most `max_events` events and `max_bytes` of text; the oldest
 * go first.  Entries are numbered from 0 in arrival order.
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
};

int ff_tuiring_new(struct ff_tuiring **out, size_t max_events, size_t max_bytes);
void ff_tuiring_free(struct ff_tuiring *r);
void ff_tuiring_clear(struct ff_tuiring *r);

/* Keep one event (after ff_state_update).  0 or -ENOMEM. */
int ff_tuiring_add(struct ff_tuiring *r, const struct ff_state *st, const struct ff_evt *ev,
                   uint64_t num);

/* Entries first .. end-1 are kept. */
uint64_t ff_tuiring_first(const struct ff_tuiring *r);
uint64_t ff_tuiring_end(const struct ff_tuiring *r);
/* Entry i, valid until the next add or clear; NULL when not kept. */
const struct ff_tuiring_ent *ff_tuiring_get(const struct ff_tuiring *r, uint64_t i);
/* Whether entry i falls in `scope` (ff_tuievkey_match). */
int ff_tuiring_match(const struct ff_tuiring *r, uint64_t i, const struct ff_tuiscope *scope);
/* Bytes of text held. */
size_t ff_tuiring_bytes(const struct ff_tuiring *r);

#endif
