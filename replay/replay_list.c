/* SPDX-License-Identifier: Apache-2.0 */
/* falco-replay listing mode (replay_list.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ff_filter.h"
#include "ff_format.h"
#include "ff_render.h"
#include "ff_state.h"
#include "ff_sysfields.h"
#include "replay_list.h"

#define DEFAULT_FORMAT                                                                             \
	"*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info"

struct lister {
	const struct replay_list_opts *o;
	ff_fields *fields;
	ff_fcache *cache;
	ff_filter *filter;
	ff_format *format;               /* NULL: the default line's fast path */
	uint8_t evtset[FF_EVTSET_BYTES]; /* event types the filter can match */
	struct ff_sbuf line, scratch;
	uint64_t left;
	/* generations continue across files: each file has a new extraction
	 * context, but the cache shared by the filter and format remains */
	uint64_t gen_base, gen_last;
};

/* sysdig's command line expands \n, \t, \e and \\ in -p formats */
static char *unescape(const char *s)
{
	size_t n = strlen(s), j = 0;
	char *d = malloc(n + 1);
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			char c = s[i + 1];
			char r = c == 'n'    ? '\n'
			         : c == 't'  ? '\t'
			         : c == 'e'  ? '\033'
			         : c == '\\' ? '\\'
			                     : 0;
			if (r) {
				d[j++] = r;
				i++;
				continue;
			}
		}
		d[j++] = s[i];
	}
	d[j] = 0;
	return d;
}

static int setup(struct lister *l, struct ff_err *err)
{
	int rc = ff_sysfields_new(&l->fields, err);
	if (rc)
		return rc;
	l->cache = ff_fcache_new();
	if (!l->cache)
		return ff_errf(err, -ENOMEM, "out of memory");
	if (l->o->filter) {
		struct ff_filter_opts fo = { .sz = sizeof(fo),
			                     .fields = l->fields,
			                     .cache = l->cache };
		rc = ff_filter_compile(l->o->filter, strlen(l->o->filter), &fo, &l->filter, err);
		if (rc) {
			ff_err_prefix(err, "filter: ");
			return rc;
		}
		ff_filter_evttypes(l->filter, l->evtset);
	}
	if (l->o->format || l->o->json) {
		char *fmt = unescape(l->o->format ? l->o->format : DEFAULT_FORMAT);
		if (!fmt)
			return ff_errf(err, -ENOMEM, "out of memory");
		rc = ff_format_compile(fmt, l->fields, l->cache, 0, &l->format, err);
		free(fmt);
		if (rc) {
			ff_err_prefix(err, "format: ");
			return rc;
		}
	}
	return 0;
}

static int emit(struct lister *l, struct ff_state *st, struct ff_sysctx *ctx,
                const struct ff_evt *ev, uint64_t evtnum, uint64_t gen, struct ff_err *err)
{
	int rc;
	ff_sbuf_reset(&l->line);
	if (!l->format)
		rc = ff_render_line(st, ev, evtnum, &l->line, &l->scratch) ? -ENOMEM : 1;
	else if (l->o->json)
		rc = ff_format_render_json(l->format, ctx, gen, &l->line);
	else
		rc = ff_format_render(l->format, ctx, gen, &l->line);
	if (rc < 0)
		return ff_errf(err, rc, "event %" PRIu64 ": cannot format", evtnum);
	if (rc == 0)
		return 0; /* a value is missing and the format has no '*' */
	if (l->format && ff_sbuf_put(&l->line, "\n", 1))
		return ff_errf(err, -ENOMEM, "out of memory");
	if (fwrite(l->line.p, 1, l->line.len, l->o->out) != l->line.len)
		return ff_errf(err, -EIO, "write error on standard output");
	return 0;
}

/* One capture into a fresh state. */
static int list_file(struct lister *l, const char *path, struct ff_err *err)
{
	struct replay_feed *r = NULL;
	struct ff_state *st = NULL;
	struct ff_sysctx *ctx = NULL;
	struct ff_block b;
	uint64_t evtnum = 0;
	int rc;

	rc = replay_feed_open(&r, path, l->o->live, err);
	if (rc)
		return rc;
	if ((rc = ff_state_new(&st, err)) || (rc = ff_sysctx_new(&ctx, st, err)))
		goto out;
	while (l->left && (rc = replay_feed_next(r, &b, err)) > 0) {
		if (b.kind != FF_BLK_EVENT) {
			rc = ff_state_load_block(st, &b, err);
			if (rc) {
				ff_err_prefix(err, "%s: ", path);
				goto out;
			}
			continue;
		}
		if (!ff_render_counted(&b.ev))
			continue; /* sysdig 0.29.3 skips ids it does not know */
		evtnum++;
		/* sysdig 0.29.3 filters an event that does not modify the state
		 * before parsing it, and does not parse it when it is rejected */
		int early = l->filter && !(ff_evt_info(&b.ev)->flags & FF_EF_MODIFIES_STATE);
		if (early)
			ff_state_begin(st, &b.ev);
		else
			ff_state_update(st, &b.ev);
		if (ff_state_evt_hidden(st))
			continue;
		uint64_t gen = 0;
		if (l->filter) {
			/* most events fail on their type alone: no field to extract */
			if (!(l->evtset[b.ev.type / 8] & (1u << (b.ev.type % 8)))) {
				if (early)
					ff_state_drop(st);
				continue;
			}
			gen = l->gen_last = l->gen_base + ff_sysctx_set_event(ctx, &b.ev, evtnum);
			rc = ff_filter_eval(l->filter, ctx, gen);
			if (rc < 0) {
				ff_errf(err, rc, "%s: event %" PRIu64 ": filter failed", path,
				        evtnum);
				goto out;
			}
			if (!rc) {
				if (early)
					ff_state_drop(st);
				continue;
			}
			if (early)
				ff_state_finish(st, &b.ev);
		}
		/* a new generation: the state may have moved since the filter ran */
		if (!l->filter || early)
			gen = l->gen_last = l->gen_base + ff_sysctx_set_event(ctx, &b.ev, evtnum);
		/* like sysdig -n: every event the filter lets through counts */
		if (l->left != UINT64_MAX)
			l->left--;
		if (!ff_render_visible(&b.ev))
			continue;
		rc = emit(l, st, ctx, &b.ev, evtnum, gen, err);
		if (rc)
			goto out;
	}
	if (rc > 0)
		rc = 0;
out:
	l->gen_base = l->gen_last;
	if (st)
		replay_warn_state(path, st);
	ff_sysctx_free(ctx);
	ff_state_free(st);
	replay_feed_close(r);
	return rc;
}

int replay_list(const struct replay_list_opts *o, char *const *captures, int ncaptures,
                struct ff_err *err)
{
	struct lister l = { .o = o, .left = o->count };
	int status = 0;
	if (setup(&l, err)) {
		status = 2;
		goto out;
	}
	if (o->live) {
		static char live_name[] = "live";
		static char *const live_list[] = { live_name };
		captures = live_list;
		ncaptures = 1;
	}
	for (int i = 0; i < ncaptures && l.left; i++) {
		if (list_file(&l, captures[i], err)) {
			status = 1;
			break;
		}
	}
out:
	ff_format_free(l.format);
	ff_filter_free(l.filter);
	ff_fcache_free(l.cache);
	ff_fields_free(l.fields);
	ff_sbuf_free(&l.line);
	ff_sbuf_free(&l.scratch);
	return status;
}

static const char *type_name(enum ff_type t)
{
	switch (t) {
	case FF_T_STRING:
		return "string";
	case FF_T_PATH:
		return "path";
	case FF_T_BYTES:
		return "bytes";
	case FF_T_INT64:
	case FF_T_FD:
	case FF_T_PID:
	case FF_T_ERRNO:
		return "int64";
	case FF_T_UINT64:
	case FF_T_UID:
		return "uint64";
	case FF_T_PORT:
		return "port";
	case FF_T_MODE:
	case FF_T_FLAGS:
		return "uint32";
	case FF_T_ABSTIME:
		return "abstime";
	case FF_T_RELTIME:
		return "reltime";
	case FF_T_BOOL:
		return "bool";
	case FF_T_IPADDR:
		return "ipaddr";
	case FF_T_IPNET:
		return "ipnet";
	default:
		return "?";
	}
}

void replay_warn_state(const char *path, const struct ff_state *st)
{
	const char *first;
	uint64_t n = ff_state_container_errors(st, &first);
	if (n)
		fprintf(stderr,
		        "falco-replay: %s: warning: %" PRIu64
		        " container event(s) with unreadable metadata were skipped; first: %s\n",
		        path, n, first);
}

int replay_list_fields(FILE *out, struct ff_err *err)
{
	ff_fields *fs = NULL;
	const struct ff_field_def *d;
	int rc = ff_sysfields_new(&fs, err);
	if (rc)
		return rc;
	for (size_t i = 0; (d = ff_fields_at(fs, i)) != NULL; i++) {
		char name[64];
		const char *suffix = (d->flags & FF_FIELD_ARG_DOTTED)     ? ".NAME"
		                     : (d->flags & FF_FIELD_ARG_REQUIRED) ? "[ARG]"
		                     : (d->flags & (FF_FIELD_ARG_INDEX | FF_FIELD_ARG_KEY))
		                         ? "[ARG]?"
		                         : "";
		snprintf(name, sizeof(name), "%s%s", d->name, suffix);
		fprintf(out, "%-40s %-8s %s%s\n", name, type_name(d->type),
		        (d->flags & FF_FIELD_FILTER_ONLY) ? "(filter only) " : "", d->desc);
	}
	ff_fields_free(fs);
	return 0;
}
