/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A slice-at-a-time pass over a capture for falco-tui (ff_tuifeed.h).
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_meta.h"
#include "ff_reader.h"
#include "ff_render.h"
#include "ff_seekidx.h"
#include "ff_tuifeed.h"
#include "replay_feed.h"

struct ff_tuifeed {
	struct ff_reader *r;      /* file */
	struct replay_feed *live; /* or the live system */
	struct replay_live lopts; /* referenced by `live` */
	struct ff_state *st;
	struct ff_tuifilter *filter;
	struct ff_tuimodel *model;
	struct ff_tuirules *rules;
	struct ff_seekidx ix;
	int have_ix;
	uint64_t start_ts, end_ts;
	uint64_t evtnum; /* sysdig's evt.num of the last counted event */
	uint64_t nread;
	uint64_t nbad;      /* malformed events skipped */
	struct ff_err warn; /* the first of them */
	int seek_frame;     /* frame to jump to once the head metadata is read; -1 none */
	int done;
};

static int load_meta(struct ff_tuifeed *f, const struct ff_block *b, struct ff_err *err)
{
	int rc = ff_state_load_block(f->st, b, err);
	if (rc)
		return rc;
	if (b->kind != FF_BLK_PROCLIST || !f->model)
		return 0;
	/* processes that were running when the capture started, even idle ones */
	struct ff_meta_iter it;
	struct ff_proc p;
	if (ff_meta_iter_init(&it, b, NULL))
		return 0;
	while (ff_meta_proc_next(&it, &p, NULL) > 0) {
		const struct ff_thread *t = ff_state_thread(f->st, (int64_t)p.tid);
		if (t && (rc = ff_tuimodel_note_thread(f->model, f->st, t)))
			return ff_errf(err, rc, "out of memory");
	}
	return 0;
}

int ff_tuifeed_open(struct ff_tuifeed **out, const struct ff_tuifeed_opts *o, struct ff_err *err)
{
	struct ff_tuifeed *f;
	int rc;

	f = calloc(1, sizeof(*f));
	if (!f)
		return ff_errf(err, -ENOMEM, "out of memory");
	f->model = o->model;
	f->rules = o->rules;
	f->start_ts = o->start_ts;
	f->end_ts = o->end_ts ? o->end_ts : UINT64_MAX;
	f->seek_frame = -1;
	rc = ff_state_new(&f->st, err);
	if (rc)
		goto fail;
	if (o->live) {
		f->lopts = (struct replay_live){ .driver = o->driver,
			                         .snaplen = o->snaplen,
			                         .buffer_bytes = o->buffer_bytes,
			                         .all_syscalls = o->all_syscalls,
			                         .poll_ms = o->poll_ms };
		rc = replay_feed_open(&f->live, "live", &f->lopts, err);
		if (rc)
			goto fail;
	} else {
		rc = ff_reader_open(&f->r, o->path, err);
	}
	if (rc)
		goto fail;
	if (f->rules) /* exit events see their enter's parameters, as in Falco */
		ff_state_keep_enters(f->st, 1);
	if (o->filter && o->filter[0]) {
		rc = ff_tuifilter_compile(&f->filter, o->filter, err);
		if (rc)
			goto fail;
	}
	if (f->r && ff_reader_codec(f->r) == FF_CODEC_ZSTD) {
		struct ff_err e2 = { 0 };
		if (ff_seekidx_load(ff_reader_stream(f->r), &f->ix, &e2) == 0)
			f->have_ix = 1;
	}
	if (f->have_ix && f->start_ts) {
		size_t k = ff_seekidx_find_ts(&f->ix, f->start_ts);
		if (k > 0 && k < f->ix.n) {
			f->seek_frame = (int)k;
			/* evt.num: events in earlier frames (unknown ids included) */
			for (size_t i = 0; i < k; i++)
				f->evtnum += f->ix.frames[i].nevents;
		}
	}
	*out = f;
	return 0;
fail:
	ff_tuifeed_close(f);
	return rc;
}

void ff_tuifeed_close(struct ff_tuifeed *f)
{
	if (!f)
		return;
	if (f->have_ix)
		ff_seekidx_free(&f->ix);
	ff_tuifilter_free(f->filter);
	ff_state_free(f->st);
	ff_reader_close(f->r);
	replay_feed_close(f->live);
	free(f);
}

int ff_tuifeed_step(struct ff_tuifeed *f, size_t max, ff_tuifeed_fn fn, void *user,
                    struct ff_err *err)
{
	struct ff_block b;
	size_t n = 0;
	int rc = 0;

	if (f->done)
		return 0;
	while (n < max) {
		if (f->live) {
			rc = replay_feed_poll(f->live, &b, err);
			if (rc == -EAGAIN)
				return rc;
			if (rc < 0) {
				f->done = 1;
				return rc;
			}
		}
		uint64_t off = f->r ? ff_reader_offset(f->r) : 0;
		if (f->r)
			rc = ff_reader_next(f->r, &b, err);
		if (rc == 0) {
			f->done = 1;
			return 0;
		}
		if (rc == -EBADMSG && f->r && ff_reader_offset(f->r) != off) {
			/* one malformed event inside intact framing: skip it, say so */
			f->nbad++;
			if (!f->warn.msg[0] && err)
				f->warn = *err;
			continue;
		}
		if (rc < 0) {
			f->done = 1;
			return rc;
		}
		if (b.kind != FF_BLK_EVENT) {
			rc = load_meta(f, &b, err);
			if (rc) {
				f->done = 1;
				return rc;
			}
			continue;
		}
		if (f->seek_frame >= 0) {
			/* metadata is in: jump close to the start time */
			rc = ff_seekidx_seek(f->r, &f->ix, (size_t)f->seek_frame, err);
			f->seek_frame = -1;
			if (rc) {
				f->done = 1;
				return rc;
			}
			continue;
		}
		n++;
		f->nread++;
		if (!ff_render_counted(&b.ev))
			continue;
		f->evtnum++;
		ff_state_update(f->st, &b.ev);
		if (b.ev.ts > f->end_ts) {
			f->done = 1;
			return 0;
		}
		if (b.ev.ts < f->start_ts || !ff_render_visible(&b.ev) ||
		    ff_state_evt_hidden(f->st))
			continue;
		if (f->filter) {
			rc = ff_tuifilter_match(f->filter, f->st, &b.ev, f->evtnum);
			if (rc <= 0)
				continue; /* no match, or a field with no value */
		}
		if (f->model) {
			rc = ff_tuimodel_add(f->model, f->st, &b.ev);
			if (rc) {
				f->done = 1;
				return ff_errf(err, rc, "out of memory");
			}
			if (f->rules) {
				rc = ff_tuirules_eval(f->rules, f->st, &b.ev, f->evtnum, f->model);
				if (rc < 0) {
					f->done = 1;
					return ff_errf(err, rc, "rule engine failed");
				}
			}
		}
		if (fn) {
			rc = fn(user, f->st, &b.ev, f->evtnum);
			if (rc) {
				f->done = 1;
				return rc < 0 ? rc : 0;
			}
		}
	}
	return 1;
}

double ff_tuifeed_progress(const struct ff_tuifeed *f)
{
	if (f->done)
		return 1.0;
	if (!f->r)
		return 0.0;
	struct ff_istream *s = ff_reader_stream(f->r);
	uint64_t size = ff_istream_raw_size(s);
	if (!size)
		return 0.0;
	double p = (double)ff_istream_raw_pos(s) / (double)size;
	return p > 1.0 ? 1.0 : p;
}

uint64_t ff_tuifeed_nread(const struct ff_tuifeed *f)
{
	return f->nread;
}

int ff_tuifeed_span(const struct ff_tuifeed *f, uint64_t *first, uint64_t *last)
{
	if (!f->have_ix || !f->ix.n)
		return 0;
	uint64_t a = UINT64_MAX, z = 0;
	for (size_t i = 0; i < f->ix.n; i++) {
		if (!f->ix.frames[i].nevents)
			continue;
		if (f->ix.frames[i].first_ts < a)
			a = f->ix.frames[i].first_ts;
		if (f->ix.frames[i].last_ts > z)
			z = f->ix.frames[i].last_ts;
	}
	if (a > z)
		return 0;
	*first = a;
	*last = z;
	return 1;
}

uint64_t ff_tuifeed_total_events(const struct ff_tuifeed *f)
{
	uint64_t n = 0;
	for (size_t i = 0; f->have_ix && i < f->ix.n; i++)
		n += f->ix.frames[i].nevents;
	return n;
}

const char *ff_tuifeed_codec(const struct ff_tuifeed *f)
{
	return f->r ? ff_codec_name(ff_reader_codec(f->r)) : "live";
}

const char *ff_tuifeed_driver(const struct ff_tuifeed *f)
{
	return f->live ? replay_feed_driver(f->live) : NULL;
}

uint64_t ff_tuifeed_lost(const struct ff_tuifeed *f)
{
	return f->live ? replay_feed_lost(f->live) : 0;
}

int ff_tuifeed_set_filter(struct ff_tuifeed *f, const char *filter, struct ff_err *err)
{
	struct ff_tuifilter *nf = NULL;
	if (filter && filter[0]) {
		int rc = ff_tuifilter_compile(&nf, filter, err);
		if (rc)
			return rc;
	}
	ff_tuifilter_free(f->filter);
	f->filter = nf;
	return 0;
}

const char *ff_tuifeed_warning(const struct ff_tuifeed *f, uint64_t *nbad)
{
	*nbad = f->nbad;
	return f->nbad ? f->warn.msg : NULL;
}
