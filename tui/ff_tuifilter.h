/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The F4 filter of falco-tui: a condition in our filter language
 * (rules/ff_filter.h) compiled against a field provider and evaluated on each
 * event after ff_state_update(), with the full syscall field provider
 * (replay/ff_sysfields.h) that falco-replay -f uses.
 */
#ifndef FF_TUIFILTER_H
#define FF_TUIFILTER_H

#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"
#include "ff_state.h"

struct ff_tuifilter;

/* Compile `text`.  Returns 0, or a negative errno with the message (naming
 * the column) in err. */
int ff_tuifilter_compile(struct ff_tuifilter **out, const char *text, struct ff_err *err);
void ff_tuifilter_free(struct ff_tuifilter *f);

/* 1 match, 0 no match, negative errno on an extraction failure.  `evtnum` is
 * the event's number (never 0). */
int ff_tuifilter_match(struct ff_tuifilter *f, const struct ff_state *st, const struct ff_evt *ev,
                       uint64_t evtnum);

/* Space-separated field names the provider knows (for the help screen). */
const char *ff_tuifilter_fields(void);

#endif
