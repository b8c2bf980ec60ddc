/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-tui's alerts (ff_tuirules.h): the rule engine of falco-replay
 * (rules/ff_engine.h) over the same field provider, so the Alerts view shows
 * exactly the alerts `falco-replay CAPTURE` prints.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_alerter.h"
#include "ff_tuirules.h"

struct ff_tuirules {
	struct ff_alerter *al;
	/* the event being evaluated, for the match callback */
	const struct ff_state *st;
	const struct ff_evt *ev;
	uint64_t evtnum;
	struct ff_tuimodel *m;
	struct ff_sbuf line;
	int raised;
};

int ff_tuirules_open(struct ff_tuirules **out, const char *const *paths, size_t n,
                     struct ff_err *err)
{
	struct ff_tuirules *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r)
		return ff_errf(err, -ENOMEM, "out of memory");
	if ((rc = ff_alerter_open(&r->al, paths, n, err))) {
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void ff_tuirules_free(struct ff_tuirules *r)
{
	if (!r)
		return;
	ff_alerter_free(r->al);
	ff_sbuf_free(&r->line);
	free(r);
}

/* The alert text after Falco's "time: Priority " prefix: the view has its
 * own time and priority columns. */
static const char *output_part(const char *line, const char *prio)
{
	const char *p = strstr(line, prio);
	if (p && p[strlen(prio)] == ' ')
		return p + strlen(prio) + 1;
	return line;
}

static int on_match(void *user, size_t i)
{
	struct ff_tuirules *r = user;
	struct ff_engine *eng = ff_alerter_engine(r->al);
	const struct ff_rule *rule = ff_engine_rule(eng, i);
	const struct ff_thread *t = ff_state_evt_thread(r->st);
	struct ff_tuialert a = { .ts = r->ev->ts, .evtnum = r->evtnum };
	int rc;

	ff_sbuf_reset(&r->line);
	rc = ff_engine_alert_text(eng, i, ff_alerter_ctx(r->al), ff_alerter_gen(r->al), &r->line);
	if (rc)
		return rc;
	if (ff_sbuf_put(&r->line, "", 1)) /* NUL-terminate */
		return -ENOMEM;
	a.priority = (int)ff_rule_priority(rule);
	a.rule = ff_rule_name(rule);
	a.output = output_part(r->line.p, ff_priority_name(ff_rule_priority(rule)));
	a.tid = (int64_t)r->ev->tid;
	a.pid = t ? ff_thread_pid(t) : a.tid;
	if (t) {
		const struct ff_thread *mt = ff_state_main_thread(r->st, t);
		const char *cid = ff_thread_container_id(mt ? mt : t);
		snprintf(a.comm, sizeof(a.comm), "%s", ff_thread_comm(mt ? mt : t));
		snprintf(a.container, sizeof(a.container), "%s", cid && *cid ? cid : "host");
	}
	rc = ff_tuimodel_add_alert(r->m, &a);
	if (rc)
		return rc;
	r->raised++;
	return 0;
}

int ff_tuirules_eval(struct ff_tuirules *r, const struct ff_state *st, const struct ff_evt *ev,
                     uint64_t evtnum, struct ff_tuimodel *m)
{
	r->st = st;
	r->ev = ev;
	r->evtnum = evtnum;
	r->m = m;
	r->raised = 0;
	int rc = ff_alerter_eval(r->al, st, ev, evtnum, on_match, r);
	return rc < 0 ? rc : r->raised;
}

size_t ff_tuirules_count(const struct ff_tuirules *r)
{
	return r ? ff_engine_rule_count(ff_alerter_engine(r->al)) : 0;
}
