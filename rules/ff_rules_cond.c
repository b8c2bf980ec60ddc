/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Condition text helpers for the rules loader: small containers, a
 * structural scanner of the condition grammar (to find macro references, the
 * identifiers standing where a check is expected), Falco's textual list
 * splicing, and the text of exception clauses.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_rules_int.h"

/* ---- containers ---- */

void sb_addn(struct sbuf *b, const char *s, size_t n)
{
	if (b->oom || b->over)
		return;
	if (b->max && b->len + n > b->max) {
		b->over = 1;
		return;
	}
	if (b->len + n + 1 > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		char *ns;

		while (ncap < b->len + n + 1)
			ncap *= 2;
		ns = realloc(b->s, ncap);
		if (!ns) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void sb_add(struct sbuf *b, const char *s)
{
	sb_addn(b, s, strlen(s));
}

void sb_addc(struct sbuf *b, char c)
{
	sb_addn(b, &c, 1);
}

char *sb_take(struct sbuf *b)
{
	char *s;

	if (b->oom) {
		free(b->s);
		s = NULL;
	} else {
		s = b->s ? b->s : strdup("");
	}
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

int sv_push(struct strvec *sv, const char *s)
{
	char *d;

	if (sv->n == sv->cap) {
		size_t ncap = sv->cap ? sv->cap * 2 : 8;
		char **nv = realloc(sv->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		sv->v = nv;
		sv->cap = ncap;
	}
	d = strdup(s);
	if (!d)
		return -ENOMEM;
	sv->v[sv->n++] = d;
	return 0;
}

void sv_free(struct strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	memset(sv, 0, sizeof(*sv));
}

static size_t nm_hash(const char *s)
{
	size_t h = (size_t)14695981039346656037ull;

	while (*s)
		h = (h ^ (unsigned char)*s++) * (size_t)1099511628211ull;
	return h;
}

long nm_get(const struct nmap *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return -1;
	for (i = nm_hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (!strcmp(m->keys[i], key))
			return (long)m->vals[i];
	return -1;
}

int nm_put(struct nmap *m, const char *key, size_t val)
{
	size_t i;

	if ((m->n + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 32, j;
		char **nk = calloc(ncap, sizeof(*nk));
		size_t *nv = calloc(ncap, sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return -ENOMEM;
		}
		for (j = 0; j < m->cap; j++) {
			if (!m->keys[j])
				continue;
			for (i = nm_hash(m->keys[j]) & (ncap - 1); nk[i]; i = (i + 1) & (ncap - 1))
				;
			nk[i] = m->keys[j];
			nv[i] = m->vals[j];
		}
		free(m->keys);
		free(m->vals);
		m->keys = nk;
		m->vals = nv;
		m->cap = ncap;
	}
	for (i = nm_hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1)) {
		if (!strcmp(m->keys[i], key)) {
			m->vals[i] = val;
			return 0;
		}
	}
	m->keys[i] = strdup(key);
	if (!m->keys[i])
		return -ENOMEM;
	m->vals[i] = val;
	m->n++;
	return 0;
}

void nm_free(struct nmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof(*m));
}

int ex_entry_valid(const struct ex_entry *e)
{
	return e->is_list == 1 ? e->n > 0 : (e->is_list == 0 && e->item && e->item[0]);
}

void ex_entry_free(struct ex_entry *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		ex_entry_free(&e->items[i]);
	free(e->items);
	free(e->item);
	memset(e, 0, sizeof(*e));
}

int ex_entry_copy(struct ex_entry *dst, const struct ex_entry *src)
{
	size_t i;

	memset(dst, 0, sizeof(*dst));
	dst->is_list = src->is_list;
	if (src->item && !(dst->item = strdup(src->item)))
		return -ENOMEM;
	if (src->n) {
		dst->items = calloc(src->n, sizeof(*dst->items));
		if (!dst->items)
			return -ENOMEM;
		dst->n = src->n;
		for (i = 0; i < src->n; i++)
			if (ex_entry_copy(&dst->items[i], &src->items[i]))
				return -ENOMEM;
	}
	return 0;
}

void exc_free(struct ff_exc *e)
{
	size_t i;

	free(e->name);
	ex_entry_free(&e->fields);
	ex_entry_free(&e->comps);
	for (i = 0; i < e->nvalues; i++)
		ex_entry_free(&e->values[i]);
	free(e->values);
	memset(e, 0, sizeof(*e));
}

/* ---- lexical helpers ---- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n' || c == '\f' ||
	       c == '\v';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum_(char c)
{
	return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}

static int is_bare(char c)
{
	return c && !is_blank(c) && !strchr("()\"'=,", c);
}

/* length of [a-zA-Z]+[a-zA-Z0-9_]* at s (0 if none) */
static size_t ident_len(const char *s)
{
	size_t n = 0;

	if (!is_alpha(s[0]))
		return 0;
	while (is_alnum_(s[n]))
		n++;
	return n;
}

/* length of a field name (identifier with at least one .identifier) */
static size_t field_len(const char *s)
{
	size_t n = ident_len(s), k;
	int dots = 0;

	if (!n)
		return 0;
	while (s[n] == '.' && (k = ident_len(s + n + 1)) > 0) {
		n += 1 + k;
		dots++;
	}
	return dots ? n : 0;
}

int is_identifier(const char *s)
{
	size_t n = ident_len(s);

	return n && !s[n];
}

int is_barestr(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!is_bare(*s))
			return 0;
	return 1;
}

static const char *const k_transformers[] = { "tolower", "toupper", "b64",    "basename",
	                                      "len",     "join",    "concat", "getopt" };

static int is_transformer(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(k_transformers) / sizeof(k_transformers[0]); i++)
		if (strlen(k_transformers[i]) == n && !memcmp(k_transformers[i], s, n))
			return 1;
	return 0;
}

static int word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && !memcmp(s, w, n);
}

/* Skip a quoted string starting at s[0] (a quote); returns the length
 * including both quotes, or 0 if unterminated. */
static size_t quoted_len(const char *s)
{
	char q = s[0];
	size_t i = 1;

	while (s[i]) {
		if (s[i] == '\\' && s[i + 1]) {
			i += 2;
			continue;
		}
		if (s[i] == q)
			return i + 1;
		i++;
	}
	return 0;
}

/* Skip a balanced parenthesized group starting at s[0] == '('; quotes respected.
 * Returns the length or 0 if unbalanced. */
static size_t group_len(const char *s)
{
	size_t i = 0, depth = 0, q;

	while (s[i]) {
		if (s[i] == '"' || s[i] == '\'') {
			q = quoted_len(s + i);
			if (!q)
				return 0;
			i += q;
			continue;
		}
		if (s[i] == '(')
			depth++;
		else if (s[i] == ')' && --depth == 0)
			return i + 1;
		i++;
	}
	return 0;
}

/* Optional `[arg]` right after a field or transformer; returns its length,
 * 0 if absent, (size_t)-1 if malformed. */
static size_t fieldarg_len(const char *s)
{
	size_t i = 1, q;

	if (s[0] != '[')
		return 0;
	if (s[1] == '"' || s[1] == '\'') {
		q = quoted_len(s + 1);
		if (!q)
			return (size_t)-1;
		i += q;
	} else {
		while (s[i] && s[i] != '[' && s[i] != ']' && s[i] != '"' && s[i] != '\'' &&
		       !is_blank(s[i]))
			i++;
		if (i == 1)
			return (size_t)-1;
	}
	return s[i] == ']' ? i + 1 : (size_t)-1;
}

/* A left-hand side: field[arg] or transformer(...)[arg], nothing after. */
static size_t lhs_len(const char *s)
{
	size_t n = field_len(s), k;

	if (!n) {
		n = ident_len(s);
		if (!n || !is_transformer(s, n) || s[n] != '(')
			return 0;
		k = group_len(s + n);
		if (!k)
			return 0;
		n += k;
	}
	k = fieldarg_len(s + n);
	if (k == (size_t)-1)
		return 0;
	return n + k;
}

int is_lhs_syntax(const char *s)
{
	size_t n = lhs_len(s);

	return n && !s[n];
}

/* ---- operators ---- */

static const char *const k_ops[] = { "=",         "==",   "!=",         "<=",         "<",
	                             ">=",        ">",    "exists",     "contains",   "icontains",
	                             "bcontains", "glob", "iglob",      "startswith", "bstartswith",
	                             "endswith",  "in",   "intersects", "pmatch",     "regex" };
static const char *const k_modifiable[] = { "=",          "==",          "!=",       "contains",
	                                    "icontains",  "bcontains",   "glob",     "iglob",
	                                    "startswith", "bstartswith", "endswith", "regex" };
static const char *const k_modifiers[] = { "oneof", "anyof", "allof" };

static int in_set(const char *s, size_t n, const char *const *set, size_t nset)
{
	size_t i;

	for (i = 0; i < nset; i++)
		if (word_is(s, n, set[i]))
			return 1;
	return 0;
}
#define IN_SET(s, n, set) in_set((s), (n), (set), sizeof(set) / sizeof((set)[0]))

int op_is_known(const char *op)
{
	return IN_SET(op, strlen(op), k_ops);
}

/* "startswith oneof": a modifiable string operator, blanks, a modifier. */
int op_is_str_with_modifier(const char *op)
{
	const char *p = op, *w;

	while (is_blank(*p))
		p++;
	w = p;
	while (*p && !is_blank(*p))
		p++;
	if (!IN_SET(w, (size_t)(p - w), k_modifiable))
		return 0;
	if (!is_blank(*p))
		return 0;
	while (is_blank(*p))
		p++;
	w = p;
	while (*p && !is_blank(*p))
		p++;
	if (!IN_SET(w, (size_t)(p - w), k_modifiers))
		return 0;
	while (is_blank(*p))
		p++;
	return *p == '\0';
}

int op_is_for_list(const char *op)
{
	return !strcmp(op, "in") || !strcmp(op, "intersects") || !strcmp(op, "pmatch") ||
	       op_is_str_with_modifier(op);
}

/* ---- the scanner ---- */

enum { ST_CHECK, ST_OP, ST_VALUE, ST_LIST, ST_AFTER };

static int refs_push(struct cond_refs *r, size_t off, size_t len)
{
	if (r->n == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 16;
		struct cond_ref *nv = realloc(r->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		r->v = nv;
		r->cap = ncap;
	}
	r->v[r->n].off = off;
	r->v[r->n].len = len;
	r->n++;
	return 0;
}

#define SCAN_MAX_DEPTH 1000

int cond_scan(const char *s, struct cond_refs *refs, const char **msg, size_t *off)
{
	size_t i = 0, n, depth = 0;
	int st = ST_CHECK, modifiable = 0;

#define FAIL(m)                                                                                    \
	do {                                                                                       \
		*msg = (m);                                                                        \
		*off = i;                                                                          \
		return -EINVAL;                                                                    \
	} while (0)

	if (refs)
		refs->n = 0;
	while (is_blank(s[i]))
		i++;
	if (!s[i])
		FAIL("filter input string is empty");
	for (;;) {
		while (is_blank(s[i]))
			i++;
		switch (st) {
		case ST_CHECK:
			if (s[i] == '(') {
				if (++depth > SCAN_MAX_DEPTH)
					FAIL("exceeded max depth limit of 1000");
				i++;
				break;
			}
			n = ident_len(s + i);
			if (!n)
				FAIL("expected a '(' token, a field check, or an identifier");
			if (word_is(s + i, n, "not") && (is_blank(s[i + n]) || s[i + n] == '(')) {
				i += n;
				break;
			}
			if ((n = lhs_len(s + i)) > 0) {
				i += n;
				st = ST_OP;
				break;
			}
			n = ident_len(s + i);
			if (word_is(s + i, n, "and") || word_is(s + i, n, "or") ||
			    word_is(s + i, n, "not"))
				FAIL("expected a '(' token, a field check, or an identifier");
			if (s[i + n] == '(' || s[i + n] == '[' || s[i + n] == '.')
				FAIL("expected a '(' token, a field check, or an identifier");
			if (refs && refs_push(refs, i, n))
				return -ENOMEM;
			i += n;
			st = ST_AFTER;
			break;
		case ST_OP:
			if (!strncmp(s + i, "exists", 6)) {
				/* `existsand` is accepted by libs: no blank needed after */
				i += 6;
				st = ST_AFTER;
				break;
			}
			if (s[i] == '=' || s[i] == '!' || s[i] == '<' || s[i] == '>') {
				n = (s[i + 1] == '=') ? 2 : 1;
				if (s[i] == '!' && n != 2)
					FAIL("expected a valid check operator");
				modifiable = s[i] == '=' || s[i] == '!';
				i += n;
				st = ST_VALUE;
				break;
			}
			n = ident_len(s + i);
			if (n &&
			    (word_is(s + i, n, "in") || word_is(s + i, n, "intersects") ||
			     word_is(s + i, n, "pmatch")) &&
			    (is_blank(s[i + n]) || s[i + n] == '(')) {
				i += n;
				st = ST_LIST;
				break;
			}
			if (n && IN_SET(s + i, n, k_ops) && is_blank(s[i + n])) {
				modifiable = IN_SET(s + i, n, k_modifiable);
				i += n;
				st = ST_VALUE;
				break;
			}
			FAIL("expected a valid check operator");
		case ST_VALUE:
			if (!s[i])
				FAIL("expected a value");
			n = ident_len(s + i);
			if (modifiable && n && IN_SET(s + i, n, k_modifiers) &&
			    is_blank(s[i + n])) {
				/* modifier form only if a list or identifier follows */
				size_t j = i + n, k;

				while (is_blank(s[j]))
					j++;
				k = ident_len(s + j);
				if (s[j] == '(' ||
				    (k && !word_is(s + j, k, "and") && !word_is(s + j, k, "or") &&
				     !word_is(s + j, k, "not"))) {
					i = j;
					st = ST_LIST;
					break;
				}
			}
			if (s[i] == '"' || s[i] == '\'') {
				n = quoted_len(s + i);
				if (!n)
					FAIL("unterminated quoted string");
				i += n;
			} else if (n && s[i + n] == '(' &&
			           (word_is(s + i, n, "val") || is_transformer(s + i, n))) {
				size_t k = group_len(s + i + n);

				if (!k)
					FAIL("expected a ')' token");
				i += n + k;
			} else if (is_bare(s[i])) {
				while (is_bare(s[i]))
					i++;
			} else {
				FAIL("expected a value");
			}
			st = ST_AFTER;
			break;
		case ST_LIST:
			n = ident_len(s + i);
			if (s[i] == '(') {
				n = group_len(s + i);
				if (!n)
					FAIL("expected a ')' token");
				i += n;
			} else if (n && s[i + n] == '(' &&
			           (word_is(s + i, n, "val") || is_transformer(s + i, n))) {
				size_t k = group_len(s + i + n);

				if (!k)
					FAIL("expected a ')' token");
				i += n + k;
			} else if (n) {
				i += n; /* identifier: a one-element list, not a macro */
			} else {
				FAIL("expected a list or an identifier");
			}
			st = ST_AFTER;
			break;
		case ST_AFTER:
			if (!s[i]) {
				if (depth)
					FAIL("expected a ')' token");
				return 0;
			}
			if (s[i] == ')') {
				if (!depth)
					FAIL("unexpected ')'");
				depth--;
				i++;
				break;
			}
			n = ident_len(s + i);
			if ((word_is(s + i, n, "and") || word_is(s + i, n, "or")) &&
			    (is_blank(s[i + n]) || s[i + n] == '(')) {
				i += n;
				st = ST_CHECK;
				break;
			}
			FAIL("unexpected token, expecting 'or', 'and'");
		}
	}
#undef FAIL
}

/* ---- list splicing (Falco's textual substitution) ---- */

static int is_splice_delim(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' ||
	       c == ',' || c == '=';
}

static int is_splice_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

void quote_item(struct sbuf *b, const char *item)
{
	if (strchr(item, ' ') && item[0] != '"' && item[0] != '\'') {
		sb_addc(b, '"');
		sb_add(b, item);
		sb_addc(b, '"');
	} else {
		sb_add(b, item);
	}
}

int cond_splice_list(char **cond, const char *name, const struct strvec *items)
{
	size_t nl = strlen(name), start, end, len, sublen;
	struct sbuf sub = { 0 }, out = { 0 };
	char *c = *cond, *hit;
	size_t i;
	int used = 0;

	if (!nl)
		return 0;
	for (i = 0; i < items->n; i++) {
		if (i)
			sb_add(&sub, ", ");
		quote_item(&sub, items->v[i]);
	}
	if (sub.oom)
		goto oom;
	sublen = sub.len;
	hit = strstr(c, name);
	while (hit) {
		len = strlen(c);
		start = (size_t)(hit - c);
		end = start + nl;
		if ((start == 0 || is_splice_delim(c[start - 1])) &&
		    (end >= len || is_splice_delim(c[end]))) {
			/* the blanks around the name go too */
			while (start > 0 && is_splice_blank(c[start - 1]))
				start--;
			while (end < len && is_splice_blank(c[end]))
				end++;
			/* an empty list takes one neighbouring comma with it */
			if (!sublen) {
				if (start > 0 && c[start - 1] == ',')
					start--;
				else if (end < len && c[end] == ',')
					end++;
			}
			out.len = 0;
			if (start > 0) {
				sb_addn(&out, c, start);
				sb_addc(&out, ' ');
			}
			sb_addn(&out, sub.s ? sub.s : "", sublen);
			sb_addc(&out, ' ');
			sb_add(&out, c + end);
			if (out.oom)
				goto oom;
			free(c);
			c = out.s;
			out.s = NULL;
			out.cap = out.len = 0;
			start += sublen + 1;
			used = 1;
		}
		hit = start + 1 <= strlen(c) ? strstr(c + start + 1, name) : NULL;
	}
	*cond = c;
	free(sub.s);
	return used;
oom:
	*cond = c;
	free(sub.s);
	free(out.s);
	return -ENOMEM;
}

/* ---- exceptions ---- */

static void paren_item(struct sbuf *b, const char *item)
{
	if (item[0] != '(') {
		sb_addc(b, '(');
		sb_add(b, item);
		sb_addc(b, ')');
	} else {
		sb_add(b, item);
	}
}

static int add_field(struct strvec *fields, const char *f)
{
	size_t i;

	if (!fields)
		return 0;
	for (i = 0; i < fields->n; i++)
		if (!strcmp(fields->v[i], f))
			return 0;
	return sv_push(fields, f);
}

/*
 * Same text shape as Falco's compiler:
 *   single field:  (F C (v1, v2))
 *   tuples:        ((F1 C1 v1 and F2 C2 v2) or (...))
 * with list values as (a, b), quoting of values containing a space, and
 * parentheses around a scalar value used with a list operator.
 */
int exc_build(const char *cond, const struct ff_exc *exc, size_t nexc, struct strvec *fields,
              char **out, char *msg, size_t msgsz)
{
	struct sbuf b = { 0 }, ic = { 0 };
	size_t e, j, k, m;

	*out = NULL;
	sb_addc(&b, '(');
	sb_add(&b, cond);
	sb_addc(&b, ')');
	for (e = 0; e < nexc; e++) {
		const struct ff_exc *x = &exc[e];

		ic.len = 0;
		if (ic.s)
			ic.s[0] = '\0';
		if (!x->fields.is_list) {
			for (j = 0; j < x->nvalues; j++) {
				if (x->values[j].is_list) {
					snprintf(
					    msg, msgsz,
					    "Expected values array to contain a list of strings");
					goto inval;
				}
				if (!j) {
					sb_addc(&ic, '(');
					sb_add(&ic, x->fields.item);
					sb_addc(&ic, ' ');
					sb_add(&ic, x->comps.item);
					sb_add(&ic, " (");
				} else {
					sb_add(&ic, ", ");
				}
				if (add_field(fields, x->fields.item))
					goto oom;
				quote_item(&ic, x->values[j].item);
			}
			if (x->nvalues)
				sb_add(&ic, "))");
		} else {
			for (j = 0; j < x->nvalues; j++) {
				const struct ex_entry *tuple = &x->values[j];

				if (!tuple->is_list || tuple->n != x->fields.n) {
					snprintf(msg, msgsz,
					         "Fields and values lists must have equal length");
					goto inval;
				}
				sb_add(&ic, j ? " or (" : "((");
				for (k = 0; k < x->fields.n; k++) {
					const struct ex_entry *v = &tuple->items[k];
					const char *comp = x->comps.items[k].item;

					if (k)
						sb_add(&ic, " and ");
					sb_add(&ic, x->fields.items[k].item);
					sb_addc(&ic, ' ');
					sb_add(&ic, comp);
					sb_addc(&ic, ' ');
					if (v->is_list) {
						sb_addc(&ic, '(');
						for (m = 0; m < v->n; m++) {
							if (m)
								sb_add(&ic, ", ");
							quote_item(&ic, v->items[m].item
							                    ? v->items[m].item
							                    : "");
						}
						sb_addc(&ic, ')');
					} else if (op_is_for_list(comp)) {
						paren_item(&ic, v->item);
					} else {
						quote_item(&ic, v->item);
					}
					if (add_field(fields, x->fields.items[k].item))
						goto oom;
				}
				sb_addc(&ic, ')');
			}
			if (x->nvalues)
				sb_addc(&ic, ')');
		}
		if (ic.oom)
			goto oom;
		if (ic.len) {
			sb_add(&b, " and not ");
			sb_addn(&b, ic.s, ic.len);
		}
	}
	free(ic.s);
	if (b.oom) {
		free(b.s);
		return -ENOMEM;
	}
	*out = sb_take(&b);
	return *out ? 0 : -ENOMEM;
inval:
	free(ic.s);
	free(b.s);
	return -EINVAL;
oom:
	free(ic.s);
	free(b.s);
	return -ENOMEM;
}
