/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to rules/: the extraction cache layout shared by ff_field.c (which
 * owns it) and ff_filter.c (which interns field references and reads slots
 * while evaluating).
 */
#ifndef FF_FILTER_INT_H
#define FF_FILTER_INT_H

#include "ff_field.h"

struct ff_fslot {
	const struct ff_field_def *def;
	struct ff_field_arg arg; /* arg.str points to argbuf */
	char *argbuf;            /* owned copy, NUL-terminated */
	uint64_t gen;            /* event the cached value belongs to; 0 = none */
	int rc;                  /* extractor result for `gen` */
	struct ff_value v;
};

struct ff_fcache {
	struct ff_fslot *slots;
	size_t n, cap;
};

/* Find or add the slot for (def, arg); returns its index or a negative errno. */
long ff_fcache_intern(ff_fcache *c, const struct ff_field_def *def, const struct ff_field_arg *arg);

/* The value of `slot` for generation `gen`, extracting it on first use.  Inline
 * because filters call it for every check of every event. */
static inline int ff_fslot_fetch(ff_fcache *c, size_t slot, void *ctx, uint64_t gen,
                                 const struct ff_value **v)
{
	struct ff_fslot *s = &c->slots[slot];
	if (s->gen != gen || gen == 0) {
		int rc = s->def->extract(ctx, s->def, &s->arg, &s->v);
		if (rc < 0)
			return rc;
		s->rc = rc ? 1 : 0;
		s->gen = gen;
	}
	*v = &s->v;
	return s->rc;
}

/* ---- compiled filter tree (ff_filter.c builds it, ff_filter_eval.c runs it) ---- */
#include <regex.h>

#include "ff_filter.h"

enum ff_fop {
	FOP_EQ,
	FOP_NE,
	FOP_LT,
	FOP_LE,
	FOP_GT,
	FOP_GE,
	FOP_CONTAINS,
	FOP_ICONTAINS,
	FOP_BCONTAINS,
	FOP_STARTSWITH,
	FOP_BSTARTSWITH,
	FOP_ENDSWITH,
	FOP_GLOB,
	FOP_IGLOB,
	FOP_REGEX,
	FOP_IN,
	FOP_INTERSECTS,
	FOP_PMATCH,
	FOP_EXISTS,
	FOP_MAX
};

enum ff_fmod { FMOD_NONE, FMOD_ONEOF, FMOD_ANYOF, FMOD_ALLOF };

/* How the left field's values combine (ff_field.h flags, fixed at compile). */
enum ff_fmulti { FM_SINGLE, FM_ANY, FM_EITHER, FM_LIST };

/* One right-hand constant, already converted to the left field's type. */
struct ff_cval {
	struct ff_value v; /* strings/bytes point into the filter's arena */
	const char *lower; /* icontains/iglob: lower-case copy of v.s (same length) */
	regex_t *re;       /* regex: compiled, anchored */
};

struct ff_check {
	const struct ff_field_def *def; /* left field */
	uint32_t slot;                  /* its cache slot */
	uint32_t rhs_slot;              /* val(field) slot when rhs_field */
	uint8_t op;                     /* enum ff_fop */
	uint8_t mod;                    /* enum ff_fmod */
	uint8_t multi;                  /* enum ff_fmulti */
	uint8_t tclass;                 /* enum ff_tclass of the left field */
	bool rhs_field;                 /* right side is val(field) */
	bool sorted;                    /* vals sorted for bsearch (set ops on str/int/uint) */
	bool has_arg;                   /* left field written with an argument */
	size_t nvals;
	struct ff_cval *vals;
};

enum ff_fnode_kind { FN_AND, FN_OR, FN_NOT, FN_CHECK, FN_PLACEHOLDER };

struct ff_fnode {
	uint8_t kind;
	struct ff_fnode *next; /* sibling in an and/or chain */
	struct ff_fnode *kids; /* and/or: first child; not: the child */
	struct ff_check c;     /* FN_CHECK */
};

struct ff_arena_chunk;

struct ff_filter {
	struct ff_fnode *root;
	ff_fcache *cache;
	bool own_cache;
	struct ff_arena_chunk *arena;
	regex_t **regs; /* every compiled regex, for regfree */
	size_t nregs, capregs;
	size_t nevt;
	uint8_t evtset[FF_EVTSET_BYTES];
};

/* ff_filter_eval.c */
int ff_filter_eval_node(const struct ff_fnode *n, ff_fcache *cache, void *ctx, uint64_t gen);
bool ff_glob_match(const char *p, size_t pl, const char *s, size_t sl, bool icase);
bool ff_pmatch(const char *pat, size_t pl, const char *s, size_t sl);
int ff_cval_cmp_str(const void *a, const void *b);
int ff_cval_cmp_int(const void *a, const void *b);
int ff_cval_cmp_uint(const void *a, const void *b);
#endif
