/* SPDX-License-Identifier: Apache-2.0 */
/* The rule engine as falco-query's alerter; see ff_qalerts.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_alerter.h"
#include "ff_qalerts.h"

struct ff_qalerts {
	struct ff_index_alerter alerter;
	struct ff_alerter *al;
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
	struct ff_engine *eng = ff_alerter_engine(q->al);
	void *ctx = ff_alerter_ctx(q->al);
	uint64_t gen = ff_alerter_gen(q->al);
	const struct ff_rule *rule = ff_engine_rule(eng, i);
	int rc;

	ff_sbuf_reset(&q->text);
	ff_sbuf_reset(&q->json);
	if ((rc = ff_engine_alert_text(eng, i, ctx, gen, &q->text)) || (rc = nul(&q->text)))
		return rc;
	if ((rc = ff_engine_alert_json(eng, i, ctx, gen, q->ev->ts, "", &q->json)))
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
	q->ev = ev;
	q->emit = emit;
	q->emit_ctx = ctx;
	int rc = ff_alerter_eval(q->al, st, ev, num, on_match, q);
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
	if ((rc = ff_alerter_open(&q->al, files, n, err))) {
		free(q);
		return rc;
	}
	*out = q;
	return 0;
}

void ff_qalerts_free(struct ff_qalerts *q)
{
	if (!q)
		return;
	ff_alerter_free(q->al);
	ff_sbuf_free(&q->text);
	ff_sbuf_free(&q->json);
	ff_sbuf_free(&q->fields);
	free(q);
}

const struct ff_index_alerter *ff_qalerts_alerter(struct ff_qalerts *q)
{
	return &q->alerter;
}
