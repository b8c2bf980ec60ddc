/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Evaluation of a compiled filter tree: the hot path.  Nothing here
 * allocates; field values come from the shared per-event cache, so a field
 * is extracted at most once per event whatever the number of checks using it.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_dns.h"
#include "ff_filter_int.h"

static inline unsigned char lc(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

static int bytes_cmp(const char *a, size_t al, const char *b, size_t bl)
{
	int r = memcmp(a, b, al < bl ? al : bl);
	if (r)
		return r;
	return al < bl ? -1 : al > bl;
}

int ff_cval_cmp_str(const void *a, const void *b)
{
	const struct ff_cval *x = a, *y = b;
	return bytes_cmp(x->v.s.p, x->v.s.len, y->v.s.p, y->v.s.len);
}

int ff_cval_cmp_int(const void *a, const void *b)
{
	const struct ff_cval *x = a, *y = b;
	return (x->v.i > y->v.i) - (x->v.i < y->v.i);
}

int ff_cval_cmp_uint(const void *a, const void *b)
{
	const struct ff_cval *x = a, *y = b;
	return (x->v.u > y->v.u) - (x->v.u < y->v.u);
}

static bool find_bytes(const char *h, size_t hl, const char *n, size_t nl)
{
	if (nl == 0)
		return true;
	return nl <= hl && memmem(h, hl, n, nl) != NULL;
}

/* `n` is already lower case when `n_lower`, which saves half the folding. */
static bool find_ci(const char *h, size_t hl, const char *n, size_t nl, bool n_lower)
{
	if (nl > hl)
		return false;
	for (size_t i = 0; i + nl <= hl; i++) {
		size_t j = 0;
		while (j < nl && lc((unsigned char)h[i + j]) ==
		                     (n_lower ? (unsigned char)n[j] : lc((unsigned char)n[j])))
			j++;
		if (j == nl)
			return true;
	}
	return false;
}

/* One bracket expression at p[*pi] (just after '['): does c match?  Returns
 * -1 if the bracket is unterminated (then '[' is literal, as fnmatch does). */
static int glob_bracket(const char *p, size_t pl, size_t *pi, unsigned char c, bool icase)
{
	size_t i = *pi;
	bool neg = false, hit = false;
	if (i < pl && (p[i] == '!' || p[i] == '^')) {
		neg = true;
		i++;
	}
	size_t first = i;
	while (i < pl && (p[i] != ']' || i == first)) {
		unsigned char lo = (unsigned char)p[i];
		if (lo == '\\' && i + 1 < pl)
			lo = (unsigned char)p[++i];
		unsigned char hi = lo;
		if (i + 2 < pl && p[i + 1] == '-' && p[i + 2] != ']') {
			hi = (unsigned char)p[i + 2];
			if (hi == '\\' && i + 3 < pl) {
				hi = (unsigned char)p[i + 3];
				i++;
			}
			i += 2;
		}
		unsigned char cc = icase ? lc(c) : c;
		if (icase) {
			if ((cc >= lc(lo) && cc <= lc(hi)) || (c >= lo && c <= hi))
				hit = true;
		} else if (c >= lo && c <= hi) {
			hit = true;
		}
		i++;
	}
	if (i >= pl)
		return -1;
	*pi = i + 1;
	return hit != neg;
}

/* fnmatch(3) without flags over counted strings: '*' crosses '/' and
 * leading dots; backslash quotes the next character.  Backtracks only to
 * the last '*', which is enough for glob patterns (linear-ish, no recursion). */
bool ff_glob_match(const char *p, size_t pl, const char *s, size_t sl, bool icase)
{
	size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;

	while (si < sl) {
		if (pi < pl) {
			unsigned char pc = (unsigned char)p[pi];
			unsigned char c = (unsigned char)s[si];
			if (pc == '*') {
				star_p = ++pi;
				star_s = si;
				continue;
			}
			if (pc == '?') {
				pi++;
				si++;
				continue;
			}
			if (pc == '[') {
				size_t q = pi + 1;
				int m = glob_bracket(p, pl, &q, c, icase);
				if (m == 1) {
					pi = q;
					si++;
					continue;
				}
				if (m == 0)
					goto backtrack;
				/* unterminated: literal '[' */
			} else if (pc == '\\' && pi + 1 < pl) {
				pc = (unsigned char)p[++pi];
			}
			if (icase ? lc(pc) == lc(c) : pc == c) {
				pi++;
				si++;
				continue;
			}
		}
	backtrack:
		if (star_p == (size_t)-1)
			return false;
		pi = star_p;
		si = ++star_s;
	}
	while (pi < pl && p[pi] == '*')
		pi++;
	return pi == pl;
}

static bool has_glob_chars(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] == '*' || p[i] == '?' || p[i] == '[')
			return true;
	return false;
}

/* Next '/'-separated component at *i (empty components skipped). */
static bool next_comp(const char *s, size_t n, size_t *i, const char **c, size_t *cl)
{
	while (*i < n && s[*i] == '/')
		(*i)++;
	if (*i >= n)
		return false;
	size_t b = *i;
	while (*i < n && s[*i] != '/')
		(*i)++;
	*c = s + b;
	*cl = *i - b;
	return true;
}

/* Path-prefix match: every component of `pat` matches the corresponding
 * component of `s` (exactly, or as a glob), and `s` may go on deeper.  Like
 * libs, only components count: empty ones (leading, doubled or trailing
 * slashes) are ignored. */
bool ff_pmatch(const char *pat, size_t pl, const char *s, size_t sl)
{
	size_t pi = 0, si = 0;
	for (;;) {
		const char *pc, *sc;
		size_t pcl, scl;
		if (!next_comp(pat, pl, &pi, &pc, &pcl))
			return true;
		if (!next_comp(s, sl, &si, &sc, &scl))
			return false;
		if (has_glob_chars(pc, pcl)) {
			if (!ff_glob_match(pc, pcl, sc, scl, false))
				return false;
		} else if (pcl != scl || memcmp(pc, sc, pcl) != 0) {
			return false;
		}
	}
}

static bool ip_eq(const struct ff_ip *v, const struct ff_ip *r)
{
	if (v->family != r->family)
		return false;
	unsigned full = r->bits / 8, rest = r->bits % 8;
	if (memcmp(v->a, r->a, full) != 0)
		return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		return (v->a[full] & mask) == (r->a[full] & mask);
	}
	return true;
}

static bool run_regex(const regex_t *re, const char *s, size_t n)
{
#ifdef REG_STARTEND
	regmatch_t m = { .rm_so = 0, .rm_eo = (regoff_t)n };
	return regexec(re, s, 1, &m, REG_STARTEND) == 0;
#else
	(void)re;
	(void)s;
	(void)n;
	return false; /* the compiler refuses regex without REG_STARTEND */
#endif
}

/* v OP r for one value against one right-hand value. */
/* Ordering operators on a three-way comparison result (-1, 0, 1). */
static bool ord_match(int op, int c)
{
	switch (op) {
	case FOP_EQ:
	case FOP_IN:
	case FOP_INTERSECTS:
		return c == 0;
	case FOP_NE:
		return c != 0;
	case FOP_LT:
		return c < 0;
	case FOP_LE:
		return c <= 0;
	case FOP_GT:
		return c > 0;
	case FOP_GE:
		return c >= 0;
	default:
		return false;
	}
}

static bool match_val(const struct ff_check *c, int op, const struct ff_value *v,
                      const struct ff_cval *r)
{
	switch (c->tclass) {
	case FF_TC_STR:
	case FF_TC_BYTES: {
		const char *a = v->s.p, *b = r->v.s.p;
		size_t al = v->s.len, bl = r->v.s.len;
		switch (op) {
		case FOP_EQ:
		case FOP_IN:
		case FOP_INTERSECTS:
			return al == bl && memcmp(a, b, al) == 0;
		case FOP_NE:
			return !(al == bl && memcmp(a, b, al) == 0);
		case FOP_LT:
			return bytes_cmp(a, al, b, bl) < 0;
		case FOP_LE:
			return bytes_cmp(a, al, b, bl) <= 0;
		case FOP_GT:
			return bytes_cmp(a, al, b, bl) > 0;
		case FOP_GE:
			return bytes_cmp(a, al, b, bl) >= 0;
		case FOP_CONTAINS:
		case FOP_BCONTAINS:
			return find_bytes(a, al, b, bl);
		case FOP_ICONTAINS:
			return r->lower ? find_ci(a, al, r->lower, bl, true)
			                : find_ci(a, al, b, bl, false);
		case FOP_STARTSWITH:
		case FOP_BSTARTSWITH:
			return al >= bl && memcmp(a, b, bl) == 0;
		case FOP_ENDSWITH:
			return al >= bl && memcmp(a + al - bl, b, bl) == 0;
		case FOP_GLOB:
			return ff_glob_match(b, bl, a, al, false);
		case FOP_IGLOB:
			return ff_glob_match(r->lower ? r->lower : b, bl, a, al, true);
		case FOP_REGEX:
			return r->re && run_regex(r->re, a, al);
		case FOP_PMATCH:
			return ff_pmatch(b, bl, a, al);
		default:
			return false;
		}
	}
	case FF_TC_INT:
		return ord_match(op, (v->i > r->v.i) - (v->i < r->v.i));
	case FF_TC_UINT:
		return ord_match(op, (v->u > r->v.u) - (v->u < r->v.u));
	case FF_TC_BOOL:
		if (op == FOP_NE)
			return v->b != r->v.b;
		return v->b == r->v.b;
	case FF_TC_IP:
		if (op == FOP_NE)
			return !ip_eq(&v->ip, &r->v.ip);
		return ip_eq(&v->ip, &r->v.ip);
	default:
		return false;
	}
}

static bool in_set(const struct ff_check *c, const struct ff_value *v)
{
	if (c->sorted) {
		struct ff_cval key = { .v = *v };
		int (*cmp)(const void *, const void *) = c->tclass == FF_TC_INT ? ff_cval_cmp_int
		                                         : c->tclass == FF_TC_UINT
		                                             ? ff_cval_cmp_uint
		                                             : ff_cval_cmp_str;
		return bsearch(&key, c->vals, c->nvals, sizeof(c->vals[0]), cmp) != NULL;
	}
	int op = c->op == FOP_PMATCH ? FOP_PMATCH : FOP_EQ;
	for (size_t i = 0; i < c->nvals; i++)
		if (match_val(c, op, v, &c->vals[i]))
			return true;
	return false;
}

/* One left value against the constant right side, under operator `op`. */
static bool match_const(const struct ff_check *c, int op, const struct ff_value *v)
{
	if (op == FOP_IN || op == FOP_INTERSECTS || op == FOP_PMATCH)
		return in_set(c, v);
	if (c->mod == FMOD_NONE)
		return c->nvals && match_val(c, op, v, &c->vals[0]);
	size_t hits = 0;
	for (size_t i = 0; i < c->nvals; i++) {
		if (match_val(c, op, v, &c->vals[i])) {
			hits++;
			if (c->mod == FMOD_ANYOF)
				return true;
		} else if (c->mod == FMOD_ALLOF) {
			return false;
		}
	}
	if (c->mod == FMOD_ONEOF)
		return hits == 1;
	return c->mod == FMOD_ALLOF && c->nvals > 0;
}

/* One left value against a val(field) right side. */
static bool match_rhs(const struct ff_check *c, int op, const struct ff_value *v,
                      const struct ff_value *rv, bool rlist)
{
	struct ff_cval r = { 0 };
	if (!rlist) {
		r.v = *rv;
		return match_val(c, op, v, &r);
	}
	for (size_t i = 0; i < rv->list.n; i++) {
		r.v = rv->list.v[i];
		if (match_val(c, op, v, &r))
			return true;
	}
	return false;
}

static int eval_check(const struct ff_check *c, ff_fcache *cache, void *ctx, uint64_t gen)
{
	const struct ff_value *v, *rv = NULL;
	bool rlist = false;
	int rc = ff_fslot_fetch(cache, c->slot, ctx, gen, &v);
	if (rc)
		return rc < 0 ? rc : 0; /* a missing value fails every check */
	if (c->op == FOP_EXISTS)
		return 1;
	if (c->rhs_field) {
		rc = ff_fslot_fetch(cache, c->rhs_slot, ctx, gen, &rv);
		if (rc)
			return rc < 0 ? rc : 0;
		const struct ff_field_def *rd = cache->slots[c->rhs_slot].def;
		rlist = (rd->flags & (FF_FIELD_LIST | FF_FIELD_ANY | FF_FIELD_EITHER)) != 0 &&
		        !((rd->flags & FF_FIELD_MULTI_NOARG_ONLY) &&
		          cache->slots[c->rhs_slot].arg.present);
	}
	int op = c->op;
	if (c->def->flags & FF_FIELD_DNS) {
		/* the name is compared by resolving it, not as a string */
		bool m = false;
		for (size_t i = 0; i < c->nvals && !m; i++)
			m = ff_dns_match(c->vals[i].v.s.p, c->vals[i].v.s.len, &v->ip);
		return op == FOP_NE ? !m : m;
	}

#define MATCH(val, o)                                                                              \
	(c->rhs_field ? match_rhs(c, (o), (val), rv, rlist) : match_const(c, (o), (val)))
	switch (c->multi) {
	case FM_SINGLE:
		return MATCH(v, op);
	case FM_LIST:
		if (v->list.n == 0)
			return 0;
		for (size_t i = 0; i < v->list.n; i++) {
			bool m = MATCH(&v->list.v[i], op);
			if (op == FOP_IN && !m)
				return 0; /* `in`: every element must be in the set */
			if (op != FOP_IN && m)
				return 1; /* `intersects`: one is enough */
		}
		return op == FOP_IN;
	case FM_EITHER:
		if (op == FOP_NE) {
			/* client-or-server: != holds only when no side is equal */
			for (size_t i = 0; i < v->list.n; i++)
				if (MATCH(&v->list.v[i], FOP_EQ))
					return 0;
			return v->list.n > 0;
		}
		/* fallthrough */
	case FM_ANY:
		for (size_t i = 0; i < v->list.n; i++)
			if (MATCH(&v->list.v[i], op))
				return 1;
		return 0;
	}
#undef MATCH
	return 0;
}

int ff_filter_eval_node(const struct ff_fnode *n, ff_fcache *cache, void *ctx, uint64_t gen)
{
	int r;
	switch (n->kind) {
	case FN_AND:
		for (const struct ff_fnode *k = n->kids; k; k = k->next) {
			r = ff_filter_eval_node(k, cache, ctx, gen);
			if (r <= 0)
				return r;
		}
		return 1;
	case FN_OR:
		for (const struct ff_fnode *k = n->kids; k; k = k->next) {
			r = ff_filter_eval_node(k, cache, ctx, gen);
			if (r != 0)
				return r;
		}
		return 0;
	case FN_NOT:
		r = ff_filter_eval_node(n->kids, cache, ctx, gen);
		return r < 0 ? r : !r;
	case FN_CHECK:
		return eval_check(&n->c, cache, ctx, gen);
	default:
		return -ENOENT; /* unresolved macro placeholder */
	}
}
