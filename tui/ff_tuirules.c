/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Placeholder until the rule engine (rules/ff_engine) is in main: no rules,
 * no alerts.  The Alerts view, the model's alert list and the header's alert
 * counts are already wired to ff_tuirules_eval().
 */
#include "config.h"

#include <errno.h>

#include "ff_tuirules.h"

int ff_tuirules_open(struct ff_tuirules **out, const char *const *paths, size_t n,
                     struct ff_err *err)
{
	(void)paths;
	(void)n;
	*out = NULL;
	return ff_errf(err, -ENOTSUP, "the rule engine is not in this build yet: no alerts");
}

void ff_tuirules_free(struct ff_tuirules *r)
{
	(void)r;
}

int ff_tuirules_eval(struct ff_tuirules *r, const struct ff_state *st, const struct ff_evt *ev,
                     uint64_t evtnum, struct ff_tuimodel *m)
{
	(void)r;
	(void)st;
	(void)ev;
	(void)evtnum;
	(void)m;
	return 0;
}

size_t ff_tuirules_count(const struct ff_tuirules *r)
{
	(void)r;
	return 0;
}
