/* SPDX-License-Identifier: Apache-2.0 */
/* The rule engine over replayed events; see ff_alerter.h. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>

#include "ff_alerter.h"
#include "ff_sysfields.h"

struct ff_alerter {
	ff_fields *fs;
	ff_fcache *cache;
	struct ff_rules *rs;
	struct ff_engine *eng;
	struct ff_sysctx *ctx; /* bound to ctx_st */
	const struct ff_state *ctx_st;
	uint64_t gen_base, gen;
};

int ff_alerter_open(struct ff_alerter **out, const char *const *files, size_t n, struct ff_err *err)
{
	struct ff_alerter *a = calloc(1, sizeof(*a));
	int rc;

	*out = NULL;
	if (!a)
		return ff_errf(err, -ENOMEM, "out of memory");
	if ((rc = ff_sysfields_new(&a->fs, err)))
		goto fail;
	if (!(a->cache = ff_fcache_new())) {
		rc = ff_errf(err, -ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = ff_engine_load_rules(&a->rs, a->fs, files, n, err)))
		goto fail;
	struct ff_engine_opts eo = { .sz = sizeof(eo), .fields = a->fs, .cache = a->cache };
	if ((rc = ff_engine_new(&a->eng, a->rs, &eo, err)))
		goto fail;
	*out = a;
	return 0;
fail:
	ff_alerter_free(a);
	return rc;
}

void ff_alerter_free(struct ff_alerter *a)
{
	if (!a)
		return;
	ff_engine_free(a->eng);
	ff_rules_free(a->rs);
	ff_sysctx_free(a->ctx);
	ff_fcache_free(a->cache);
	ff_fields_free(a->fs);
	free(a);
}

int ff_alerter_eval(struct ff_alerter *a, const struct ff_state *st, const struct ff_evt *ev,
                    uint64_t evtnum, ff_engine_match_fn fn, void *user)
{
	if (a->ctx_st != st) {
		struct ff_err err;
		ff_sysctx_free(a->ctx);
		a->ctx = NULL;
		a->ctx_st = NULL;
		int rc = ff_sysctx_new(&a->ctx, st, &err);
		if (rc)
			return rc;
		ff_sysctx_set_flags(a->ctx, FF_SYSCTX_MERGE_ENTER | FF_SYSCTX_FALCO);
		a->ctx_st = st;
		a->gen_base = a->gen; /* the new context counts from 1 again */
	}
	a->gen = a->gen_base + ff_sysctx_set_event(a->ctx, ev, evtnum ? evtnum : 1);
	return ff_engine_eval(a->eng, ev, a->ctx, a->gen, fn, user);
}

struct ff_engine *ff_alerter_engine(struct ff_alerter *a)
{
	return a->eng;
}

void *ff_alerter_ctx(struct ff_alerter *a)
{
	return a->ctx;
}

uint64_t ff_alerter_gen(const struct ff_alerter *a)
{
	return a->gen;
}
