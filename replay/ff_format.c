/* SPDX-License-Identifier: Apache-2.0 */
/* Output formats (ff_format.h). */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ff_format.h"

struct fref {
	char *name; /* token as written, without width: "proc.aname[2]" */
	long slot;
	const struct ff_field_def *def;
};

struct piece {
	size_t off, len; /* literal: bytes of f->text */
	int field;       /* index in refs, or -1 for a literal */
	unsigned width;  /* %Nfield, 0 = as is */
};

struct ff_format {
	char *text;
	struct piece *pieces;
	size_t npieces;
	struct fref *refs;
	size_t nrefs;
	size_t *sorted;      /* refs by name, for JSON */
	bool all;            /* '*': print <NA> for missing values */
	bool filter_only_ok; /* FF_FORMAT_FILTER_ONLY */
	ff_fcache *cache;
	bool own_cache;
	struct ff_sbuf tmp;
};

static int is_alnum_(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* Longest field reference at s (sysdig: the longest registered name that is
 * a prefix of the text).  Fills def/arg (arg->str points into s) and returns
 * the length consumed, 0 when nothing matches, or a negative errno with err
 * set. */
static long match_field(const ff_fields *fs, const char *s, const struct ff_field_def **defp,
                        struct ff_field_arg *argp, struct ff_err *err)
{
	const struct ff_field_def *best = NULL;
	struct ff_field_arg best_arg = { 0 };
	size_t best_len = 0;
	const struct ff_field_def *d;
	for (size_t i = 0; (d = ff_fields_at(fs, i)) != NULL; i++) {
		size_t nl = strlen(d->name);
		if (strncmp(s, d->name, nl) != 0)
			continue;
		struct ff_field_arg a = { 0 };
		size_t len = nl;
		if ((d->flags & FF_FIELD_ARG_DOTTED) && s[nl] == '.' && is_alnum_(s[nl + 1])) {
			size_t al = 0;
			while (is_alnum_(s[nl + 1 + al]))
				al++;
			/* like sysdig's evt.arg: the longest name the field accepts */
			for (; al > 0; al--) {
				struct ff_err e2 = { 0 };
				a = (struct ff_field_arg){ .present = true,
					                   .str = s + nl + 1,
					                   .len = al };
				if (!d->check_arg || d->check_arg(d, &a, &e2) == 0)
					break;
			}
			if (!al)
				continue;
			len = nl + 1 + al;
		} else if ((d->flags & (FF_FIELD_ARG_INDEX | FF_FIELD_ARG_KEY)) && s[nl] == '[') {
			const char *e = strchr(s + nl + 1, ']');
			if (!e)
				return ff_errf(err, -EINVAL, "missing ']' after '%.*s'", (int)nl,
				               s);
			a.present = true;
			a.str = s + nl + 1;
			a.len = (size_t)(e - a.str);
			len = (size_t)(e - s) + 1;
		} else if (d->flags & FF_FIELD_ARG_REQUIRED) {
			continue;
		}
		if (len > best_len) {
			best = d;
			best_arg = a;
			best_len = len;
		}
	}
	*defp = best;
	*argp = best_arg;
	return (long)best_len;
}

static void free_refs(ff_format *f)
{
	for (size_t i = 0; i < f->nrefs; i++)
		free(f->refs[i].name);
	free(f->refs);
}

void ff_format_free(ff_format *f)
{
	if (!f)
		return;
	free_refs(f);
	free(f->pieces);
	free(f->sorted);
	free(f->text);
	if (f->own_cache)
		ff_fcache_free(f->cache);
	ff_sbuf_free(&f->tmp);
	free(f);
}

static int add_piece(ff_format *f, struct piece p)
{
	struct piece *n = realloc(f->pieces, (f->npieces + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	f->pieces = n;
	f->pieces[f->npieces++] = p;
	return 0;
}

/* the ref for (name), interned once */
static int add_ref(ff_format *f, const char *name, size_t nlen, const struct ff_field_def *def,
                   const struct ff_field_arg *arg, struct ff_err *err)
{
	for (size_t i = 0; i < f->nrefs; i++)
		if (strlen(f->refs[i].name) == nlen && memcmp(f->refs[i].name, name, nlen) == 0)
			return (int)i;
	struct fref *n = realloc(f->refs, (f->nrefs + 1) * sizeof(*n));
	if (!n)
		return ff_errf(err, -ENOMEM, "out of memory");
	f->refs = n;
	struct fref *r = &f->refs[f->nrefs];
	r->name = malloc(nlen + 1);
	if (!r->name)
		return ff_errf(err, -ENOMEM, "out of memory");
	memcpy(r->name, name, nlen);
	r->name[nlen] = 0;
	r->def = def;
	r->slot = ff_fcache_ref(f->cache, def, arg);
	if (r->slot < 0) {
		free(r->name);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	f->nrefs++;
	return (int)(f->nrefs - 1);
}

static int cmp_ref_names(const void *a, const void *b, void *refs)
{
	const struct fref *r = refs;
	return strcmp(r[*(const size_t *)a].name, r[*(const size_t *)b].name);
}

/* qsort_r is a GNU extension: a small insertion sort does (few fields) */
static void sort_refs(ff_format *f)
{
	for (size_t i = 0; i < f->nrefs; i++)
		f->sorted[i] = i;
	for (size_t i = 1; i < f->nrefs; i++) {
		size_t v = f->sorted[i], j = i;
		while (j > 0 && cmp_ref_names(&f->sorted[j - 1], &v, f->refs) > 0) {
			f->sorted[j] = f->sorted[j - 1];
			j--;
		}
		f->sorted[j] = v;
	}
}

static int compile_field(ff_format *f, const ff_fields *fs, size_t *j, struct ff_err *err)
{
	const char *s = f->text;
	size_t pct = *j, k = pct + 1;
	unsigned width = 0;
	if (!s[k])
		return ff_errf(err, -EINVAL, "offset %zu: formatting cannot end with a %%", pct);
	while (isdigit((unsigned char)s[k])) {
		if (width < 100000)
			width = width * 10 + (unsigned)(s[k] - '0');
		k++;
	}
	if (!s[k])
		return ff_errf(err, -EINVAL, "offset %zu: formatting cannot end with a number",
		               pct);
	const struct ff_field_def *def = NULL;
	struct ff_field_arg arg = { 0 };
	long n = match_field(fs, s + k, &def, &arg, err);
	if (n < 0) {
		ff_err_prefix(err, "offset %zu: ", k);
		return (int)n;
	}
	if (n == 0 || !def) {
		size_t tl = 0;
		while (s[k + tl] && !isspace((unsigned char)s[k + tl]) && tl < 64)
			tl++;
		return ff_errf(err, -ENOENT, "offset %zu: invalid formatting token '%%%.*s'", pct,
		               (int)tl, s + k);
	}
	if ((def->flags & FF_FIELD_FILTER_ONLY) && !f->filter_only_ok)
		return ff_errf(
		    err, -EINVAL,
		    "offset %zu: %s is filter only and cannot be used as a display field", pct,
		    def->name);
	/* the argument as the filter compiler would see it */
	char *abuf = NULL;
	if (arg.present) {
		abuf = malloc(arg.len + 1);
		if (!abuf)
			return ff_errf(err, -ENOMEM, "out of memory");
		memcpy(abuf, arg.str, arg.len);
		abuf[arg.len] = 0;
		arg.str = abuf;
		bool digits = arg.len > 0 && arg.len <= 18;
		for (size_t q = 0; q < arg.len && digits; q++)
			digits = isdigit((unsigned char)abuf[q]) != 0;
		if (digits) {
			arg.is_index = true;
			arg.idx = strtoll(abuf, NULL, 10);
		}
		if (def->check_arg) {
			struct ff_err e2 = { 0 };
			int rc = def->check_arg(def, &arg, &e2);
			if (rc) {
				free(abuf);
				return ff_errf(err, rc < 0 ? rc : -EINVAL, "offset %zu: %s", pct,
				               e2.msg);
			}
		}
	} else if (def->flags & (FF_FIELD_ANY | FF_FIELD_MULTI_NOARG_ONLY)) {
		/* display the process itself, as sysdig does */
		arg = (struct ff_field_arg){
			.present = true, .is_index = true, .str = "0", .len = 1
		};
	}
	int ri = add_ref(f, s + k, (size_t)n, def, &arg, err);
	free(abuf);
	if (ri < 0)
		return ri;
	if (add_piece(f, (struct piece){ .field = ri, .width = width }))
		return ff_errf(err, -ENOMEM, "out of memory");
	*j = k + (size_t)n;
	return 0;
}

int ff_format_compile(const char *fmt, const ff_fields *fs, ff_fcache *cache, unsigned flags,
                      ff_format **out, struct ff_err *err)
{
	*out = NULL;
	if (!fmt || !fs)
		return ff_errf(err, -EINVAL, "ff_format_compile: bad arguments");
	if (!*fmt)
		return ff_errf(err, -EINVAL, "empty formatting token");
	ff_format *f = calloc(1, sizeof(*f));
	if (!f || !(f->text = strdup(fmt))) {
		free(f);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	f->cache = cache;
	if (!cache) {
		f->cache = ff_fcache_new();
		f->own_cache = true;
		if (!f->cache) {
			ff_format_free(f);
			return ff_errf(err, -ENOMEM, "out of memory");
		}
	}
	size_t j = 0, lit = 0;
	if (f->text[0] == '*') {
		f->all = true;
		j = lit = 1;
	}
	if (flags & FF_FORMAT_ALL)
		f->all = true;
	f->filter_only_ok = (flags & FF_FORMAT_FILTER_ONLY) != 0;
	int rc = 0;
	while (f->text[j]) {
		if (f->text[j] != '%') {
			j++;
			continue;
		}
		if (j > lit &&
		    add_piece(f, (struct piece){ .off = lit, .len = j - lit, .field = -1 })) {
			rc = ff_errf(err, -ENOMEM, "out of memory");
			break;
		}
		rc = compile_field(f, fs, &j, err);
		if (rc)
			break;
		lit = j;
	}
	if (!rc && j > lit &&
	    add_piece(f, (struct piece){ .off = lit, .len = j - lit, .field = -1 }))
		rc = ff_errf(err, -ENOMEM, "out of memory");
	if (!rc && f->nrefs && !(f->sorted = malloc(f->nrefs * sizeof(*f->sorted))))
		rc = ff_errf(err, -ENOMEM, "out of memory");
	if (rc) {
		ff_format_free(f);
		return rc;
	}
	if (f->nrefs)
		sort_refs(f);
	*out = f;
	return 0;
}

/* ---------------------------------------------------------------- values */

/* The value to show for ref i: 0 with the value and its type, 1 missing, <0 error. */
static int ref_value(ff_format *f, size_t i, void *ctx, uint64_t gen, int json,
                     struct ff_value *tmp, const struct ff_value **v, enum ff_type *type)
{
	const struct fref *r = &f->refs[i];
	if (r->def->flags & FF_FIELD_FILTER_ONLY) {
		/* current libs: the address-or-port fields show nothing, the
		 * network ones a placeholder when there is a value */
		if (r->def->flags & FF_FIELD_EITHER)
			return 1;
		int rc = ff_fcache_fetch(f->cache, r->slot, ctx, gen, v);
		if (rc)
			return rc;
		tmp->s.p = "<IPNET>";
		tmp->s.len = 7;
		*v = tmp;
		*type = FF_T_STRING;
		return 0;
	}
	if (r->def->display) {
		int rc =
		    r->def->display(ctx, r->def, ff_fcache_arg(f->cache, r->slot), json, tmp, type);
		if (rc != FF_DISPLAY_VALUE) {
			*v = tmp;
			return rc;
		}
	}
	*type = r->def->type;
	return ff_fcache_fetch(f->cache, r->slot, ctx, gen, v);
}

static int put_text(struct ff_sbuf *out, const struct ff_value *v, enum ff_type type)
{
	char b[INET6_ADDRSTRLEN + 8];
	switch (ff_type_class(type)) {
	case FF_TC_STR:
	case FF_TC_BYTES:
		return ff_sbuf_put(out, v->s.p, strnlen(v->s.p, v->s.len));
	case FF_TC_INT:
		return ff_sbuf_printf(out, "%" PRId64, v->i);
	case FF_TC_UINT:
		return ff_sbuf_printf(out, "%" PRIu64, v->u);
	case FF_TC_BOOL:
		return ff_sbuf_puts(out, v->b ? "true" : "false");
	case FF_TC_IP:
		if (v->ip.family == 4)
			return ff_sbuf_printf(out, "%u.%u.%u.%u", v->ip.a[0], v->ip.a[1],
			                      v->ip.a[2], v->ip.a[3]);
		if (!inet_ntop(AF_INET6, v->ip.a, b, sizeof(b)))
			b[0] = 0;
		return ff_sbuf_puts(out, b);
	default:
		return 0;
	}
}

int ff_json_put_string(struct ff_sbuf *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	int rc = ff_sbuf_put(out, "\"", 1);
	size_t run = 0; /* bytes copied as they are, flushed in one go */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;
		char u[13];
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			run++;
			continue;
		}
		if (run)
			rc |= ff_sbuf_put(out, s + i - run, run);
		run = 0;
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
			break;
		}
		if (esc) {
			rc |= ff_sbuf_puts(out, esc);
			continue;
		}
		uint32_t cp = 0xfffd;
		if (c < 0x80) {
			cp = c;
		} else {
			/* decode one UTF-8 sequence; invalid bytes become U+FFFD */
			unsigned need = c >= 0xf0 && c < 0xf5 ? 3
			                : c >= 0xe0           ? 2
			                : c >= 0xc2           ? 1
			                                      : 0;
			if (c >= 0xf5)
				need = 0;
			if (need && i + need < n) {
				uint32_t v = c & (0x3fu >> need);
				size_t k;
				for (k = 1; k <= need; k++) {
					unsigned char cc = (unsigned char)s[i + k];
					if ((cc & 0xc0) != 0x80)
						break;
					v = (v << 6) | (cc & 0x3fu);
				}
				if (k > need && !(need == 2 && v < 0x800) &&
				    !(need == 3 && (v < 0x10000 || v > 0x10ffff)) &&
				    !(v >= 0xd800 && v <= 0xdfff)) {
					cp = v;
					i += need;
				}
			}
		}
		if (cp >= 0x10000) {
			uint32_t x = cp - 0x10000, hi = 0xd800 + (x >> 10),
			         lo = 0xdc00 + (x & 0x3ff);
			u[0] = '\\';
			u[1] = 'u';
			for (int q = 0; q < 4; q++)
				u[2 + q] = hex[(hi >> (12 - 4 * q)) & 15];
			u[6] = '\\';
			u[7] = 'u';
			for (int q = 0; q < 4; q++)
				u[8 + q] = hex[(lo >> (12 - 4 * q)) & 15];
			rc |= ff_sbuf_put(out, u, 12);
		} else {
			u[0] = '\\';
			u[1] = 'u';
			for (int q = 0; q < 4; q++)
				u[2 + q] = hex[(cp >> (12 - 4 * q)) & 15];
			rc |= ff_sbuf_put(out, u, 6);
		}
	}
	if (run)
		rc |= ff_sbuf_put(out, s + n - run, run);
	rc |= ff_sbuf_put(out, "\"", 1);
	return rc ? -ENOMEM : 0;
}

static int put_json(struct ff_sbuf *out, const struct ff_value *v, enum ff_type type,
                    struct ff_sbuf *tmp)
{
	switch (ff_type_class(type)) {
	case FF_TC_STR:
	case FF_TC_BYTES:
		return ff_json_put_string(out, v->s.p, strnlen(v->s.p, v->s.len));
	case FF_TC_INT:
	case FF_TC_UINT:
		return put_text(out, v, type);
	case FF_TC_BOOL:
		return ff_sbuf_puts(out, v->b ? "true" : "false");
	case FF_TC_IP:
		ff_sbuf_reset(tmp);
		if (put_text(tmp, v, type))
			return -ENOMEM;
		return ff_json_put_string(out, tmp->p ? tmp->p : "", tmp->len);
	default:
		return ff_sbuf_puts(out, "null");
	}
}

int ff_format_render(ff_format *f, void *ctx, uint64_t gen, struct ff_sbuf *out)
{
	size_t mark = out->len;
	int rc = 0;
	for (size_t i = 0; i < f->npieces; i++) {
		const struct piece *p = &f->pieces[i];
		if (p->field < 0) {
			rc = ff_sbuf_put(out, f->text + p->off, p->len);
			if (rc)
				goto fail;
			continue;
		}
		const struct ff_value *v;
		struct ff_value tmp;
		enum ff_type type;
		size_t start = out->len;
		rc = ref_value(f, (size_t)p->field, ctx, gen, 0, &tmp, &v, &type);
		if (rc < 0)
			goto fail;
		if (rc) {
			if (!f->all) {
				rc = 0;
				goto fail;
			}
			rc = ff_sbuf_puts(out, "<NA>");
		} else {
			rc = put_text(out, v, type);
		}
		if (rc)
			goto fail;
		if (p->width) {
			size_t got = out->len - start;
			if (got > p->width) {
				out->len = start + p->width;
				out->p[out->len] = 0;
			} else {
				for (; got < p->width && !rc; got++)
					rc = ff_sbuf_put(out, " ", 1);
				if (rc)
					goto fail;
			}
		}
	}
	return 1;
fail:
	out->len = mark;
	if (out->p)
		out->p[mark] = 0;
	return rc;
}

int ff_format_render_json(ff_format *f, void *ctx, uint64_t gen, struct ff_sbuf *out)
{
	size_t mark = out->len;
	int rc = 0;
	if (!f->nrefs)
		return ff_sbuf_puts(out, "null") ? -ENOMEM : 1;
	/* sysdig drops the event when a value is missing and there is no '*' */
	if (!f->all) {
		for (size_t i = 0; i < f->nrefs; i++) {
			const struct ff_value *v;
			struct ff_value tmp;
			enum ff_type type;
			rc = ref_value(f, i, ctx, gen, 1, &tmp, &v, &type);
			if (rc)
				return rc < 0 ? rc : 0;
		}
	}
	rc = ff_sbuf_put(out, "{", 1);
	for (size_t k = 0; k < f->nrefs && !rc; k++) {
		size_t i = f->sorted[k];
		const struct ff_value *v;
		struct ff_value tmp;
		enum ff_type type;
		if (k)
			rc |= ff_sbuf_put(out, ",", 1);
		rc |= ff_json_put_string(out, f->refs[i].name, strlen(f->refs[i].name));
		rc |= ff_sbuf_put(out, ":", 1);
		if (rc)
			break;
		int vr = ref_value(f, i, ctx, gen, 1, &tmp, &v, &type);
		if (vr < 0) {
			rc = vr;
			break;
		}
		rc = vr ? ff_sbuf_puts(out, "null") : put_json(out, v, type, &f->tmp);
	}
	if (!rc)
		rc = ff_sbuf_put(out, "}", 1);
	if (rc) {
		out->len = mark;
		if (out->p)
			out->p[mark] = 0;
		return rc < 0 ? rc : -ENOMEM;
	}
	return 1;
}

size_t ff_format_nfields(const ff_format *f)
{
	return f->nrefs;
}

const char *ff_format_field_name(const ff_format *f, size_t i)
{
	return i < f->nrefs ? f->refs[i].name : NULL;
}

int ff_format_field_text(ff_format *f, size_t i, void *ctx, uint64_t gen, struct ff_sbuf *out,
                         int *missing)
{
	const struct ff_value *v;
	struct ff_value tmp;
	enum ff_type type;
	if (i >= f->nrefs)
		return -EINVAL;
	int rc = ref_value(f, i, ctx, gen, 0, &tmp, &v, &type);
	if (rc < 0)
		return rc;
	*missing = rc != 0;
	return rc ? ff_sbuf_puts(out, "<NA>") : put_text(out, v, type);
}

int ff_format_field_json(ff_format *f, size_t i, void *ctx, uint64_t gen, struct ff_sbuf *out)
{
	const struct ff_value *v;
	struct ff_value tmp;
	enum ff_type type;
	if (i >= f->nrefs)
		return -EINVAL;
	int rc = ref_value(f, i, ctx, gen, 1, &tmp, &v, &type);
	if (rc < 0)
		return rc;
	return rc ? ff_sbuf_puts(out, "null") : put_json(out, v, type, &f->tmp);
}
