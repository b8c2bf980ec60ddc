/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alerts for falco-tui: runs the rule engine on each event and records what
 * fires in the model, with the rule engine falco-replay uses (rules/ff_engine).
 * The state the events go through should keep enter events
 * (ff_state_keep_enters) so exit events see their enter parameters.
 */
#ifndef FF_TUIRULES_H
#define FF_TUIRULES_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"
#include "ff_state.h"
#include "ff_tuimodel.h"

struct ff_tuirules;

/* Load rules files (NULL/0: the default rules).  Returns 0 or a negative
 * errno with err set (the first error names file:line:col). */
int ff_tuirules_open(struct ff_tuirules **out, const char *const *paths, size_t n,
                     struct ff_err *err);
void ff_tuirules_free(struct ff_tuirules *r);

/* Run the rules on one event (after ff_state_update) and add any alert to m.
 * Returns the number of alerts raised or a negative errno. */
int ff_tuirules_eval(struct ff_tuirules *r, const struct ff_state *st, const struct ff_evt *ev,
                     uint64_t evtnum, struct ff_tuimodel *m);

/* Number of rules loaded. */
size_t ff_tuirules_count(const struct ff_tuirules *r);

#endif
