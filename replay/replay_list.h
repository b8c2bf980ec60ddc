/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-replay's listing mode: every event of the captures that passes an
 * optional filter, printed as `sysdig -r CAPTURE -p FORMAT FILTER` prints it
 * (text or -j JSON lines).  Kept apart from main() so that other modes (rule
 * alerts) sit beside it.
 */
#ifndef REPLAY_LIST_H
#define REPLAY_LIST_H

#include <stdint.h>
#include <stdio.h>

#include "ff_err.h"
#include "replay_feed.h"

struct replay_list_opts {
	const char *format; /* sysdig -p format, NULL for the default line */
	const char *filter; /* filter expression, NULL for none */
	int json;           /* -j */
	uint64_t count;     /* stop after this many events pass the filter (sysdig -n) */
	FILE *out;
	const struct replay_live *live; /* --live: the live system instead of captures */
};

/* Returns 0, 1 for a failure while reading (message in err, what came before
 * it printed), 2 for a bad filter or format (nothing printed).  With o->live
 * the captures are not read (ncaptures may be 0). */
int replay_list(const struct replay_list_opts *o, char *const *captures, int ncaptures,
                struct ff_err *err);

/* Print every field with its type and description (--list-fields). */
int replay_list_fields(FILE *out, struct ff_err *err);

/* Warn on stderr about what the state could not use in capture `path`
 * (container events with unreadable metadata). */
struct ff_state;
void replay_warn_state(const char *path, const struct ff_state *st);

#endif
