/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alerts for the falco-query index: the rule engine of falco-replay
 * (rules/ff_engine.h) plugged into ff_index as its alerter, so the `alerts`
 * table holds exactly the alerts `falco-replay CAPTURE` prints, with the
 * output fields as JSON.
 */
#ifndef FF_QALERTS_H
#define FF_QALERTS_H

#include <stddef.h>

#include "ff_err.h"
#include "ff_index.h"

struct ff_qalerts;

/* Load rules files (NULL/0: our default rules).  0 or a negative errno with
 * the first error (file:line:col) in err. */
int ff_qalerts_open(struct ff_qalerts **out, const char *const *files, size_t n,
                    struct ff_err *err);
void ff_qalerts_free(struct ff_qalerts *q);
/* The alerter to put in ff_index_opts (valid while q lives). */
const struct ff_index_alerter *ff_qalerts_alerter(struct ff_qalerts *q);

#endif /* FF_QALERTS_H */
