/* SPDX-License-Identifier: Apache-2.0 */
/* The rule engine as falco-query's alerter; see ff_qalerts.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_engine.h"
#include "ff_qalerts.h"
#include "ff_sysfields.h"

struct ff_qalerts {
	struct ff_index_alerter alerter;
	ff_fields *fs;
	ff_fcache *cache;
	struct ff_rules *rs;
	struct ff_engine *eng;
	struct ff_sysctx *ctx; /* bound to one state: each capture has its own */
	const struct ff_state *ctx_st;
	uint64_t gen_base, gen;
	/* the event being evaluated, for the match callback */
	const struct ff_evt *ev;
	ff_index_emit_fn emit;
	void *emit_ctx;
	struct ff_sbuf text, json, fields;
};

/* The "output_fields" object of Falco's JSON alert, copied into `out`:
 * the JSON is ours, so a brace count that skips strings is enough. */
static int output_fields(const struct ff_sbuf *json, struct ff_sbuf *out)
{
	static const char key[] = "\"output_fields\":";
	const char *p = memmem(json->p, json->len, key, sizeof(key) - 1);
	if (!p)
		return 1;
	p += sizeof(key) - 1;
	const char *end = json->p + json->len, *q = p;
	int depth = 0, in_str = 0;
	for (; q < end; q++) {
		if (in_str) {
			if (*q == '\\')
				q++;
			else if (*q == '"')
				in_str = 0;
		} else if (*q == '"') {
			in_str = 1;
		} else if (*q == '{') {
			depth++;
		} else if (*q == '}' && --depth == 0) {
			q++;
			break;
		}
	}
	ff_sbuf_reset(out);
	if (ff_sbuf_put(out, p, (size_t)(q - p)) || ff_sbuf_put(out, "", 1))
		return -ENOMEM;
	return 0;
}

static int nul(struct ff_sbuf *b)
{
	return ff_sbuf_put(b, "", 1) ? -ENOMEM : 0;
}

static int on_match(void *user, size_t i)
{
	struct ff_qalerts *q = user;
	const struct ff_rule *rule = ff_engine_rule(q->eng, i);
	int rc;

	ff_sbuf_reset(&q->text);
	ff_sbuf_reset(&q->json);
	if ((rc = ff_engine_alert_text(q->eng, i, q->ctx, q->gen, &q->text)) ||
	    (rc = nul(&q->text)))
		return rc;
	if ((rc = ff_engine_alert_json(q->eng, i, q->ctx, q->gen, q->ev->ts, "", &q->json)))
		return rc;
	rc = output_fields(&q->json, &q->fields);
	if (rc < 0)
		return rc;
	struct ff_index_alert a = {
		.rule = ff_rule_name(rule),
		.priority = ff_priority_name(ff_rule_priority(rule)),
		.output = q->text.p,
		.fields = rc ? NULL : q->fields.p,
	};
	return q->emit(q->emit_ctx, &a);
}

static int eval(void *arg, const struct ff_state *st, const struct ff_evt *ev, uint64_t num,
                ff_index_emit_fn emit, void *ctx, struct ff_err *err)
{
	struct ff_qalerts *q = arg;
	if (q->ctx_st != st) {
		ff_sysctx_free(q->ctx);
		q->ctx = NULL;
		q->ctx_st = NULL;
		int rc = ff_sysctx_new(&q->ctx, st, err);
		if (rc)
			return rc;
		ff_sysctx_set_flags(q->ctx, FF_SYSCTX_MERGE_ENTER);
		q->ctx_st = st;
		q->gen_base = q->gen; /* the shared cache must not see old generations */
	}
	q->ev = ev;
	q->emit = emit;
	q->emit_ctx = ctx;
	q->gen = q->gen_base + ff_sysctx_set_event(q->ctx, ev, num ? num : 1);
	int rc = ff_engine_eval(q->eng, ev, q->ctx, q->gen, on_match, q);
	if (rc < 0)
		return ff_errf(err, rc, "rule evaluation failed");
	return 0;
}

int ff_qalerts_open(struct ff_qalerts **out, const char *const *files, size_t n, struct ff_err *err)
{
	struct ff_qalerts *q = calloc(1, sizeof(*q));
	int rc;

	*out = NULL;
	if (!q)
		return ff_errf(err, -ENOMEM, "out of memory");
	q->alerter.eval = eval;
	q->alerter.arg = q;
	if ((rc = ff_sysfields_new(&q->fs, err)))
		goto fail;
	if (!(q->cache = ff_fcache_new())) {
		rc = ff_errf(err, -ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = ff_engine_load_rules(&q->rs, q->fs, files, n, err)))
		goto fail;
	struct ff_engine_opts eo = { .sz = sizeof(eo), .fields = q->fs, .cache = q->cache };
	if ((rc = ff_engine_new(&q->eng, q->rs, &eo, err)))
		goto fail;
	*out = q;
	return 0;
fail:
	ff_qalerts_free(q);
	return rc;
}

void ff_qalerts_free(struct ff_qalerts *q)
{
	if (!q)
		return;
	ff_engine_free(q->eng);
	ff_rules_free(q->rs);
	ff_sysctx_free(q->ctx);
	ff_fcache_free(q->cache);
	ff_fields_free(q->fs);
	ff_sbuf_free(&q->text);
	ff_sbuf_free(&q->json);
	ff_sbuf_free(&q->fields);
	free(q);
}

const struct ff_index_alerter *ff_qalerts_alerter(struct ff_qalerts *q)
{
	return &q->alerter;
}
