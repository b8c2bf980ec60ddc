/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rule engine over replayed syscall events, ready to use: our default
 * rules (or given files) compiled against the syscall field provider, and an
 * extraction context rebound whenever the caller's state tracker changes (a
 * new capture, a seek), with generations that never repeat so the shared
 * field cache stays valid.  falco-tui and falco-query use it; what they do
 * with a match (a model row, an SQL row) is theirs.
 */
#ifndef FF_ALERTER_H
#define FF_ALERTER_H

#include <stddef.h>
#include <stdint.h>

#include "ff_engine.h"
#include "ff_state.h"

struct ff_alerter;

/* Load `n` rules files (NULL/0: our default rules).  0 or a negative errno
 * with the first error (file:line:col) in err. */
int ff_alerter_open(struct ff_alerter **out, const char *const *files, size_t n,
                    struct ff_err *err);
void ff_alerter_free(struct ff_alerter *a);

/* Evaluate `ev` (already given to ff_state_update on `st`, which should keep
 * enter events: ff_state_keep_enters) as event number `evtnum`; `fn` is
 * called per matching rule.  Returns the matches, or a negative errno. */
int ff_alerter_eval(struct ff_alerter *a, const struct ff_state *st, const struct ff_evt *ev,
                    uint64_t evtnum, ff_engine_match_fn fn, void *user);

/* For formatting a match inside `fn`: the engine and the current event's
 * extraction context and generation (see ff_engine_alert_text/json). */
struct ff_engine *ff_alerter_engine(struct ff_alerter *a);
void *ff_alerter_ctx(struct ff_alerter *a);
uint64_t ff_alerter_gen(const struct ff_alerter *a);

#endif /* FF_ALERTER_H */
