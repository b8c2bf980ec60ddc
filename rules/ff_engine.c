/* SPDX-License-Identifier: Apache-2.0 */
/* The rule engine (ff_engine.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ff_engine.h"
#include "ff_filter.h"
#include "ff_format.h"

/* an append_output extra field of a rule: JSON output_fields only */
struct xfield {
	const char *key;
	ff_format *fmt; /* NULL: an empty format, the key is left out */
	int raw;        /* the field's typed JSON value, else the text as a string */
};

struct erule {
	const struct ff_rule *r;
	ff_filter *cond;
	ff_format *fmt; /* "*%evt.time: Priority OUTPUT ADDITIONS" */
	struct xfield *xf;
	size_t nxf;
	size_t ntypes;
	uint64_t hits;
};

struct ff_engine {
	const struct ff_rules *rs;
	ff_fcache *cache, *own_cache;
	int match_all;
	int json_no_output, json_no_fields, json_no_tags;
	struct erule *rules;
	size_t nrules;
	/* per event type: the rules indexed under it, in definition order */
	uint32_t *idx_start; /* FF_EVENT_MAX + 1 offsets into idx */
	uint32_t *idx;
	uint64_t evaluated;
	struct ff_sbuf line, tmp;
};

/* ---- loader hooks ---- */

static int hook_condition(void *ctx, const char *cond, char *msg, size_t msgsz, long *offset)
{
	struct ff_filter_pos pos = { 0 };
	struct ff_filter_opts fo = { .sz = sizeof(fo), .fields = ctx, .errpos = &pos };
	struct ff_err err = { 0 };
	ff_filter *f = NULL;
	int rc = ff_filter_compile(cond, strlen(cond), &fo, &f, &err);

	ff_filter_free(f);
	if (!rc)
		return FF_RULES_COMPILE_OK;
	snprintf(msg, msgsz, "%s", err.msg);
	*offset = (long)pos.offset;
	return rc == -ENOENT ? FF_RULES_COMPILE_UNKNOWN : FF_RULES_COMPILE_ERROR;
}

static long hook_evttypes(void *ctx, const char *cond)
{
	struct ff_filter_opts fo = { .sz = sizeof(fo), .fields = ctx };
	struct ff_err err = { 0 };
	ff_filter *f = NULL;
	uint8_t set[FF_EVTSET_BYTES];
	long n = -1;
	if (ff_filter_compile(cond, strlen(cond), &fo, &f, &err) == 0)
		n = (long)ff_filter_evttypes(f, set);
	ff_filter_free(f);
	return n;
}

static int hook_output(void *ctx, const char *output, char *msg, size_t msgsz)
{
	struct ff_err err = { 0 };
	ff_format *f = NULL;
	int rc =
	    ff_format_compile(output, ctx, NULL, FF_FORMAT_ALL | FF_FORMAT_FILTER_ONLY, &f, &err);

	ff_format_free(f);
	if (!rc)
		return FF_RULES_COMPILE_OK;
	snprintf(msg, msgsz, "%s", err.msg);
	return rc == -ENOENT ? FF_RULES_COMPILE_UNKNOWN : FF_RULES_COMPILE_ERROR;
}

static int hook_field(void *ctx, const char *field)
{
	/* an exception field may carry an argument: proc.aname[2] */
	size_t n = strcspn(field, "[");
	const char *darg;
	size_t dlen;
	if (n == 0 || (field[n] && field[strlen(field) - 1] != ']'))
		return 0;
	return ff_fields_lookup(ctx, field, n, &darg, &dlen) != NULL;
}

void ff_engine_hooks(struct ff_rules_hooks *h, const ff_fields *fs)
{
	memset(h, 0, sizeof(*h));
	h->sz = sizeof(*h);
	h->ctx = (void *)(uintptr_t)fs; /* the hooks only read it */
	h->compile_condition = hook_condition;
	h->condition_evttypes = hook_evttypes;
	h->compile_output = hook_output;
	h->valid_field = hook_field;
}

/* ---- building ---- */

/* Falco's default config: one entry, suggested_output for every source */
static const struct ff_append_output default_append = { .suggested_output = 1 };

/* As Falco matches an entry: same source, same rule name, and every tag of
 * the entry among the rule's tags (unset parts match anything). */
static int append_matches(const struct ff_append_output *a, const struct ff_rule *r)
{
	const char *src = *ff_rule_source(r) ? ff_rule_source(r) : "syscall";
	if ((a->source && strcmp(a->source, src)) || (a->rule && strcmp(a->rule, ff_rule_name(r))))
		return 0;
	for (size_t t = 0; t < a->ntags; t++) {
		size_t k = 0, n = ff_rule_tag_count(r);
		while (k < n && strcmp(a->tags[t], ff_rule_tag(r, k)))
			k++;
		if (k == n)
			return 0;
	}
	return 1;
}

/* The extra field `f` of entry `a` into rule `er`'s list: a later entry's
 * field of the same key replaces the earlier one, as in Falco's map. */
static int add_xfield(struct ff_engine *e, const struct ff_engine_opts *o, struct erule *er,
                      const struct ff_append_output *a, const struct ff_append_field *f,
                      struct ff_err *err)
{
	struct xfield x = { .key = f->key, .raw = !f->format };
	struct ff_sbuf t = { 0 };
	int rc = 0;

	if (x.raw ? ff_sbuf_printf(&t, "%%%s", f->key) : ff_sbuf_puts(&t, f->format))
		rc = ff_errf(err, -ENOMEM, "out of memory");
	else if (t.len)
		rc = ff_format_compile(t.p, o->fields, e->cache, FF_FORMAT_ALL, &x.fmt, err);
	ff_sbuf_free(&t);
	if (rc) {
		ff_err_prefix(err, "%s: append_output: extra_fields '%s': ",
		              a->where ? a->where : "config", f->key);
		return rc;
	}
	size_t k = 0;
	while (k < er->nxf && strcmp(er->xf[k].key, x.key))
		k++;
	if (k == er->nxf) {
		struct xfield *n = realloc(er->xf, (er->nxf + 1) * sizeof(*n));
		if (!n) {
			ff_format_free(x.fmt);
			return ff_errf(err, -ENOMEM, "out of memory");
		}
		er->xf = n;
		er->nxf++;
	} else {
		ff_format_free(er->xf[k].fmt);
	}
	er->xf[k] = x;
	return 0;
}

static int compile_rule(struct ff_engine *e, const struct ff_engine_opts *o, struct erule *er,
                        uint8_t set[FF_EVTSET_BYTES], struct ff_err *err)
{
	const struct ff_rule *r = er->r;
	const char *exp = ff_rule_expanded(r);
	struct ff_filter_opts fo = { .sz = sizeof(fo), .fields = o->fields, .cache = e->cache };
	struct ff_sbuf fmt = { 0 };
	int rc;

	if (!exp)
		return ff_errf(err, -EINVAL, "%s:%u: rule '%s' has no compiled condition",
		               ff_rule_file(r), ff_rule_line(r), ff_rule_name(r));
	rc = ff_filter_compile(exp, strlen(exp), &fo, &er->cond, err);
	if (rc) {
		ff_err_prefix(err, "%s:%u: rule '%s': condition: ", ff_rule_file(r),
		              ff_rule_line(r), ff_rule_name(r));
		return rc;
	}
	const char *out = ff_rule_output(r) ? ff_rule_output(r) : "";
	const struct ff_append_output *ap = o->append ? o->append : &default_append;
	size_t nap = o->append ? o->nappend : 1;
	int nomem =
	    ff_sbuf_printf(&fmt, "%s: %s %s", o->iso8601 ? "%evt.time.iso8601" : "%evt.time",
	                   ff_priority_name(ff_rule_priority(r)), out);
	/* entries in config order; within one, its text before the suggested
	 * fields, as Falco registers them */
	for (size_t k = 0; k < nap && !nomem; k++) {
		const struct ff_append_output *a = &ap[k];
		if (!append_matches(a, r))
			continue;
		if (a->extra_output && *a->extra_output)
			nomem |= ff_sbuf_printf(&fmt, " %s", a->extra_output);
		if (a->suggested_output && !o->no_container_suffix)
			nomem |= ff_sbuf_printf(&fmt, " %s", FF_ENGINE_CONTAINER_SUFFIX);
		for (size_t f = 0; f < a->nfields && !nomem; f++)
			if ((rc = add_xfield(e, o, er, a, &a->fields[f], err))) {
				ff_sbuf_free(&fmt);
				return rc;
			}
	}
	if (nomem) {
		ff_sbuf_free(&fmt);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	/* Falco accepts filter-only fields in outputs */
	rc = ff_format_compile(fmt.p, o->fields, e->cache, FF_FORMAT_ALL | FF_FORMAT_FILTER_ONLY,
	                       &er->fmt, err);
	ff_sbuf_free(&fmt);
	if (rc) {
		ff_err_prefix(err, "%s:%u: rule '%s': output: ", ff_rule_file(r), ff_rule_line(r),
		              ff_rule_name(r));
		return rc;
	}
	memset(set, 0, FF_EVTSET_BYTES);
	er->ntypes = ff_filter_evttypes(er->cond, set);
	/* Falco adds the async event to every syscall rule's set */
	if (er->ntypes && !(set[FFE_ASYNCEVENT_E / 8] & (1u << (FFE_ASYNCEVENT_E % 8)))) {
		set[FFE_ASYNCEVENT_E / 8] |= (uint8_t)(1u << (FFE_ASYNCEVENT_E % 8));
		er->ntypes++;
	}
	return 0;
}

int ff_engine_new(struct ff_engine **out, const struct ff_rules *rs, const struct ff_engine_opts *o,
                  struct ff_err *err)
{
	struct ff_engine *e;
	uint8_t(*sets)[FF_EVTSET_BYTES] = NULL;
	size_t n = 0, i, t, total = 0;
	int rc = -ENOMEM;

	*out = NULL;
	if (!rs || !o || o->sz < sizeof(*o) || !o->fields)
		return ff_errf(err, -EINVAL, "ff_engine_new: bad options");
	e = calloc(1, sizeof(*e));
	if (!e)
		return ff_errf(err, -ENOMEM, "out of memory");
	e->rs = rs;
	e->match_all = o->match_all;
	e->json_no_output = o->json_no_output;
	e->json_no_fields = o->json_no_output_fields;
	e->json_no_tags = o->json_no_tags;
	e->cache = o->cache;
	if (!e->cache && !(e->cache = e->own_cache = ff_fcache_new()))
		goto nomem;
	for (i = 0; o->append && i < o->nappend; i++) {
		const struct ff_append_output *a = &o->append[i];
		ff_format *f = NULL;
		if (!a->extra_output || !*a->extra_output)
			continue;
		rc =
		    ff_format_compile(a->extra_output, o->fields, e->cache, FF_FORMAT_ALL, &f, err);
		ff_format_free(f);
		if (rc) {
			ff_err_prefix(err, "%s: append_output: extra_output: ",
			              a->where ? a->where : "config");
			goto fail;
		}
	}
	for (i = 0; i < ff_rules_count(rs); i++)
		n += ff_rule_active(rs, ff_rules_get(rs, i)) ? 1 : 0;
	e->rules = calloc(n ? n : 1, sizeof(*e->rules));
	sets = calloc(n ? n : 1, sizeof(*sets));
	e->idx_start = calloc(FF_EVENT_MAX + 1, sizeof(*e->idx_start));
	if (!e->rules || !sets || !e->idx_start)
		goto nomem;
	for (i = 0; i < ff_rules_count(rs); i++) {
		const struct ff_rule *r = ff_rules_get(rs, i);
		if (!ff_rule_active(rs, r))
			continue;
		e->rules[e->nrules].r = r;
		rc = compile_rule(e, o, &e->rules[e->nrules], sets[e->nrules], err);
		e->nrules++;
		if (rc)
			goto fail;
		total += e->rules[e->nrules - 1].ntypes;
	}
	/* counting sort of (type, rule) pairs: rules stay in definition order */
	e->idx = calloc(total ? total : 1, sizeof(*e->idx));
	if (!e->idx)
		goto nomem;
	for (i = 0; i < e->nrules; i++)
		for (t = 0; t < FF_EVENT_MAX; t++)
			if (sets[i][t / 8] & (1u << (t % 8)))
				e->idx_start[t + 1]++;
	for (t = 0; t < FF_EVENT_MAX; t++)
		e->idx_start[t + 1] += e->idx_start[t];
	{
		uint32_t *fill = calloc(FF_EVENT_MAX, sizeof(*fill));
		if (!fill)
			goto nomem;
		for (i = 0; i < e->nrules; i++)
			for (t = 0; t < FF_EVENT_MAX; t++)
				if (sets[i][t / 8] & (1u << (t % 8)))
					e->idx[e->idx_start[t] + fill[t]++] = (uint32_t)i;
		free(fill);
	}
	free(sets);
	*out = e;
	return 0;
nomem:
	rc = ff_errf(err, -ENOMEM, "out of memory");
fail:
	free(sets);
	ff_engine_free(e);
	return rc;
}

void ff_engine_free(struct ff_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nrules; i++) {
		ff_filter_free(e->rules[i].cond);
		ff_format_free(e->rules[i].fmt);
		for (size_t k = 0; k < e->rules[i].nxf; k++)
			ff_format_free(e->rules[i].xf[k].fmt);
		free(e->rules[i].xf);
	}
	free(e->rules);
	free(e->idx);
	free(e->idx_start);
	ff_fcache_free(e->own_cache);
	ff_sbuf_free(&e->line);
	ff_sbuf_free(&e->tmp);
	free(e);
}

size_t ff_engine_rule_count(const struct ff_engine *e)
{
	return e->nrules;
}

const struct ff_rule *ff_engine_rule(const struct ff_engine *e, size_t i)
{
	return i < e->nrules ? e->rules[i].r : NULL;
}

size_t ff_engine_rule_ntypes(const struct ff_engine *e, size_t i)
{
	return i < e->nrules ? e->rules[i].ntypes : 0;
}

uint64_t ff_engine_rule_hits(const struct ff_engine *e, size_t i)
{
	return i < e->nrules ? e->rules[i].hits : 0;
}

uint64_t ff_engine_evaluated(const struct ff_engine *e)
{
	return e->evaluated;
}

/* ---- evaluation ---- */

int ff_engine_eval(struct ff_engine *e, const struct ff_evt *ev, void *ctx, uint64_t gen,
                   ff_engine_match_fn fn, void *user)
{
	uint16_t t = ev->type;
	int matches = 0;

	if (t >= FF_EVENT_MAX || !ff_event_to_rules[t])
		return 0;
	/* the rules of the event Falco's libs convert it into (accept4's old
	 * "accept" events are accept4 to them) */
	t = ff_event_table[t].id_2026;
	uint32_t a = e->idx_start[t], b = e->idx_start[t + 1];
	if (a == b)
		return 0;
	e->evaluated++;
	for (uint32_t k = a; k < b; k++) {
		struct erule *er = &e->rules[e->idx[k]];
		int rc = ff_filter_eval(er->cond, ctx, gen);
		if (rc < 0)
			return rc;
		if (!rc)
			continue;
		er->hits++;
		matches++;
		if (fn && (rc = fn(user, e->idx[k])) != 0)
			return rc;
		if (!e->match_all)
			break;
	}
	return matches;
}

/* ---- alerts ---- */

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

int ff_engine_json_escape(struct ff_sbuf *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0;
	int rc = 0;

	while (i < n && !rc) {
		unsigned char c = p[i];
		const char *esc = NULL;
		char hex[8];
		size_t l = 1;

		switch (c) {
		case '"':
			esc = "\\\"";
			break;
		case '\\':
			esc = "\\\\";
			break;
		case '\b':
			esc = "\\b";
			break;
		case '\f':
			esc = "\\f";
			break;
		case '\n':
			esc = "\\n";
			break;
		case '\r':
			esc = "\\r";
			break;
		case '\t':
			esc = "\\t";
			break;
		default:
			if (c < 0x20) {
				snprintf(hex, sizeof(hex), "\\u%04x", c);
				esc = hex;
			} else if (c >= 0x80) {
				l = utf8_len(p + i, n - i);
				if (!l) {
					esc = "\xef\xbf\xbd";
					l = 1;
				}
			}
		}
		if (!esc) {
			i += l;
			run += l;
			continue;
		}
		if (run)
			rc = ff_sbuf_put(out, (const char *)p + i - run, run);
		run = 0;
		if (!rc)
			rc = ff_sbuf_puts(out, esc);
		i += l;
	}
	if (!rc && run)
		rc = ff_sbuf_put(out, (const char *)p + i - run, run);
	return rc ? -ENOMEM : 0;
}

int ff_engine_alert_text(struct ff_engine *e, size_t i, void *ctx, uint64_t gen,
                         struct ff_sbuf *out)
{
	if (i >= e->nrules)
		return -EINVAL;
	ff_sbuf_reset(&e->line);
	int rc = ff_format_render(e->rules[i].fmt, ctx, gen, &e->line);
	if (rc < 0)
		return rc;
	return ff_engine_json_escape(out, e->line.p ? e->line.p : "", e->line.len);
}

static int put_jstr(struct ff_sbuf *out, const char *s)
{
	if (ff_sbuf_put(out, "\"", 1) || ff_engine_json_escape(out, s, strlen(s)) ||
	    ff_sbuf_put(out, "\"", 1))
		return -ENOMEM;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ,"output_fields":{...}: the output's fields and the rule's extra fields
 * (which win over a field of the same name), sorted by name like Falco's
 * JSON object */
static int json_fields(struct ff_engine *e, struct erule *er, void *ctx, uint64_t gen,
                       struct ff_sbuf *out)
{
	int rc = 0;
	size_t nf = ff_format_nfields(er->fmt), n = 0;
	struct jfield {
		const char *name; /* first: cmp_names */
		size_t idx;
		int extra;
	} *ord = calloc(nf + er->nxf + 1, sizeof(*ord));

	if (!ord || ff_sbuf_puts(out, ",\"output_fields\":{")) {
		free(ord);
		return -ENOMEM;
	}
	for (size_t k = 0; k < er->nxf; k++)
		if (er->xf[k].fmt)
			ord[n++] = (struct jfield){ er->xf[k].key, k, 1 };
	size_t nx = n;
	for (size_t k = 0; k < nf; k++) {
		const char *name = ff_format_field_name(er->fmt, k);
		size_t j = 0;
		while (j < nx && strcmp(ord[j].name, name))
			j++;
		if (j == nx)
			ord[n++] = (struct jfield){ name, k, 0 };
	}
	qsort(ord, n, sizeof(*ord), cmp_names);
	for (size_t k = 0; k < n && !rc; k++) {
		if ((k && ff_sbuf_put(out, ",", 1)) || put_jstr(out, ord[k].name) ||
		    ff_sbuf_put(out, ":", 1)) {
			rc = -ENOMEM;
			break;
		}
		if (!ord[k].extra) {
			rc = ff_format_field_json(er->fmt, ord[k].idx, ctx, gen, out);
			continue;
		}
		const struct xfield *x = &er->xf[ord[k].idx];
		if (x->raw) {
			rc = ff_format_field_json(x->fmt, 0, ctx, gen, out);
			continue;
		}
		ff_sbuf_reset(&e->tmp);
		rc = ff_format_render(x->fmt, ctx, gen, &e->tmp);
		if (rc >= 0)
			rc = put_jstr(out, e->tmp.p ? e->tmp.p : "");
	}
	free(ord);
	if (rc)
		return rc;

	return ff_sbuf_put(out, "}", 1) ? -ENOMEM : 0;
}

int ff_engine_alert_json(struct ff_engine *e, size_t i, void *ctx, uint64_t gen, uint64_t ts,
                         const char *hostname, struct ff_sbuf *out)
{
	struct erule *er;
	const struct ff_rule *r;
	int rc;

	if (i >= e->nrules)
		return -EINVAL;
	er = &e->rules[i];
	r = er->r;
	ff_sbuf_reset(&e->line);
	rc = ff_format_render(er->fmt, ctx, gen, &e->line);
	if (rc < 0)
		return rc;
	if (ff_sbuf_puts(out, "{\"hostname\":") || put_jstr(out, hostname ? hostname : ""))
		return -ENOMEM;
	if (!e->json_no_output &&
	    (ff_sbuf_puts(out, ",\"output\":\"") ||
	     ff_engine_json_escape(out, e->line.p ? e->line.p : "", e->line.len) ||
	     ff_sbuf_puts(out, "\"")))
		return -ENOMEM;
	if (!e->json_no_fields && (rc = json_fields(e, er, ctx, gen, out)) != 0)
		return rc;

	if (ff_sbuf_puts(out, ",\"priority\":") ||
	    put_jstr(out, ff_priority_name(ff_rule_priority(r))) ||
	    ff_sbuf_puts(out, ",\"rule\":") || put_jstr(out, ff_rule_name(r)) ||
	    ff_sbuf_puts(out, ",\"source\":") ||
	    put_jstr(out, *ff_rule_source(r) ? ff_rule_source(r) : "syscall"))
		return -ENOMEM;
	if (!e->json_no_tags) {
		if (ff_sbuf_puts(out, ",\"tags\":["))
			return -ENOMEM;
		for (size_t k = 0; k < ff_rule_tag_count(r); k++)
			if ((k && ff_sbuf_put(out, ",", 1)) || put_jstr(out, ff_rule_tag(r, k)))
				return -ENOMEM;
		if (ff_sbuf_put(out, "]", 1))
			return -ENOMEM;
	}
	time_t sec = (time_t)(ts / 1000000000u);
	struct tm tm;
	char tbuf[64];
	if (!gmtime_r(&sec, &tm) || !strftime(tbuf, sizeof(tbuf), "%Y-%m-%dT%H:%M:%S", &tm))
		return -EINVAL;
	if (ff_sbuf_printf(out, ",\"time\":\"%s.%09lluZ\"}", tbuf,
	                   (unsigned long long)(ts % 1000000000u)))
		return -ENOMEM;
	return 0;
}

#define FF_RULES_NAME "falco-forensics_rules.yaml"

const char *ff_engine_default_rules(void)
{
	static const char *const where[] = { FF_PKGDATADIR "/" FF_RULES_NAME,
		                             FF_SRCDIR "/rules/" FF_RULES_NAME };
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++)
		if (access(where[i], R_OK) == 0)
			return where[i];
	return where[0];
}

int ff_engine_load_rules(struct ff_rules **out, const ff_fields *fs, const char *const *files,
                         size_t n, struct ff_err *err)
{
	const char *def = ff_engine_default_rules();
	struct ff_rules_hooks h;
	struct ff_rules *rs = ff_rules_new();
	int rc = 0;

	*out = rs;
	if (!rs)
		return ff_errf(err, -ENOMEM, "out of memory");
	if (!files || !n) {
		files = &def;
		n = 1;
	}
	ff_engine_hooks(&h, fs);
	ff_rules_set_hooks(rs, &h);
	for (size_t i = 0; i < n && !rc; i++)
		rc = ff_rules_load_file(rs, files[i], err);
	if (!rc && ff_rules_nerrors(rs, NULL)) {
		for (size_t i = 0; i < ff_rules_diag_count(rs); i++) {
			const struct ff_rules_diag *d = ff_rules_diag_get(rs, i);
			if (ff_rules_code_is_error(d->code)) {
				rc = ff_errf(err, -EINVAL, "%s:%u:%u: %s: %s", d->file, d->line,
				             d->col, ff_rules_code_name(d->code), d->message);
				break;
			}
		}
	}
	return rc;
}
