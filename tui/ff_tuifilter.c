/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-tui's filter (ff_tuifilter.h): the full syscall field provider
 * (replay/ff_sysfields.h), the same one falco-replay -f uses, so a filter
 * typed in the TUI means exactly what it means on the command line.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_filter.h"
#include "ff_sysfields.h"
#include "ff_tuifilter.h"

struct ff_tuifilter {
	ff_fields *fs;
	ff_fcache *cache;
	ff_filter *f;
	/* The extraction context is bound to one state; the feed may replace its
	 * state (a seek starts a fresh one), so it is rebuilt when that happens. */
	struct ff_sysctx *ctx;
	const struct ff_state *ctx_st;
};

int ff_tuifilter_compile(struct ff_tuifilter **out, const char *text, struct ff_err *err)
{
	struct ff_tuifilter *f = calloc(1, sizeof(*f));
	int rc;

	if (!f)
		return ff_errf(err, -ENOMEM, "out of memory");
	rc = ff_sysfields_new(&f->fs, err);
	if (rc)
		goto fail;
	f->cache = ff_fcache_new();
	if (!f->cache) {
		rc = ff_errf(err, -ENOMEM, "out of memory");
		goto fail;
	}
	struct ff_filter_opts o = { .sz = sizeof(o), .fields = f->fs, .cache = f->cache };
	rc = ff_filter_compile(text, strlen(text), &o, &f->f, err);
	if (rc)
		goto fail;
	*out = f;
	return 0;
fail:
	ff_tuifilter_free(f);
	return rc;
}

void ff_tuifilter_free(struct ff_tuifilter *f)
{
	if (!f)
		return;
	ff_filter_free(f->f);
	ff_sysctx_free(f->ctx);
	ff_fcache_free(f->cache);
	ff_fields_free(f->fs);
	free(f);
}

int ff_tuifilter_match(struct ff_tuifilter *f, const struct ff_state *st, const struct ff_evt *ev,
                       uint64_t evtnum)
{
	if (f->ctx_st != st) {
		struct ff_err err;
		ff_sysctx_free(f->ctx);
		f->ctx = NULL;
		f->ctx_st = NULL;
		int rc = ff_sysctx_new(&f->ctx, st, &err);
		if (rc)
			return rc;
		f->ctx_st = st;
	}
	uint64_t gen = ff_sysctx_set_event(f->ctx, ev, evtnum ? evtnum : 1);
	return ff_filter_eval(f->f, f->ctx, gen);
}

const char *ff_tuifilter_fields(void)
{
	return "every falco-replay field (falco-replay --list-fields), e.g. proc.name fd.name "
	       "evt.type user.name container.id";
}
