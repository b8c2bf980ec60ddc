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

#include "ff_engine.h"
#include "ff_sysfields.h"
#include "ff_tuirules.h"

struct ff_tuirules {
	ff_fields *fs;
	ff_fcache *cache;
	struct ff_rules *rs;
	struct ff_engine *eng;
	/* bound to one state; the feed starts a fresh state after a seek */
	struct ff_sysctx *ctx;
	const struct ff_state *ctx_st;
	uint64_t gen_base, gen; /* generations keep growing across states */
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
	if ((rc = ff_sysfields_new(&r->fs, err)))
		goto fail;
	if (!(r->cache = ff_fcache_new())) {
		rc = ff_errf(err, -ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = ff_engine_load_rules(&r->rs, r->fs, paths, n, err)))
		goto fail;
	struct ff_engine_opts eo = { .sz = sizeof(eo), .fields = r->fs, .cache = r->cache };
	if ((rc = ff_engine_new(&r->eng, r->rs, &eo, err)))
		goto fail;
	*out = r;
	return 0;
fail:
	ff_tuirules_free(r);
	return rc;
}

void ff_tuirules_free(struct ff_tuirules *r)
{
	if (!r)
		return;
	ff_engine_free(r->eng);
	ff_rules_free(r->rs);
	ff_sysctx_free(r->ctx);
	ff_fcache_free(r->cache);
	ff_fields_free(r->fs);
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
	const struct ff_rule *rule = ff_engine_rule(r->eng, i);
	const struct ff_thread *t = ff_state_evt_thread(r->st);
	struct ff_tuialert a = { .ts = r->ev->ts, .evtnum = r->evtnum };
	int rc;

	ff_sbuf_reset(&r->line);
	rc = ff_engine_alert_text(r->eng, i, r->ctx, r->gen, &r->line);
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
	if (r->ctx_st != st) {
		struct ff_err err;
		ff_sysctx_free(r->ctx);
		r->ctx = NULL;
		r->ctx_st = NULL;
		int rc = ff_sysctx_new(&r->ctx, st, &err);
		if (rc)
			return rc;
		ff_sysctx_set_flags(r->ctx, FF_SYSCTX_MERGE_ENTER);
		r->ctx_st = st;
		r->gen_base = r->gen; /* the shared cache must not see old generations again */
	}
	r->st = st;
	r->ev = ev;
	r->evtnum = evtnum;
	r->m = m;
	r->raised = 0;
	r->gen = r->gen_base + ff_sysctx_set_event(r->ctx, ev, evtnum ? evtnum : 1);
	int rc = ff_engine_eval(r->eng, ev, r->ctx, r->gen, on_match, r);
	return rc < 0 ? rc : r->raised;
}

size_t ff_tuirules_count(const struct ff_tuirules *r)
{
	return r ? ff_engine_rule_count(r->eng) : 0;
}
