/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Private to rules/ff_rules*.c: the collected items and the condition text
 * helpers (tokenizer, list splicing, macro expansion, exception clauses).
 */
#ifndef FF_RULES_INT_H
#define FF_RULES_INT_H

#include <stddef.h>
#include <stdint.h>

#include "ff_rules.h"

/* growable string */
struct sbuf {
	char *s;
	size_t len, cap;
	int oom;    /* an allocation failed: content is incomplete */
	size_t max; /* 0: unbounded; else appending beyond sets `over` */
	int over;
};
void sb_addn(struct sbuf *b, const char *s, size_t n);
void sb_add(struct sbuf *b, const char *s);
void sb_addc(struct sbuf *b, char c);
/* Take the string (never NULL unless oom); the buffer is reset. */
char *sb_take(struct sbuf *b);

struct strvec {
	char **v;
	size_t n, cap;
};
int sv_push(struct strvec *sv, const char *s); /* copies; 0 or -ENOMEM */
void sv_free(struct strvec *sv);

/* name -> index map (open addressing, keys owned) */
struct nmap {
	char **keys;
	size_t *vals;
	size_t n, cap;
};
long nm_get(const struct nmap *m, const char *key); /* -1 if absent */
int nm_put(struct nmap *m, const char *key, size_t val);
void nm_free(struct nmap *m);

/* an exception `fields`/`comps`/value entry: a scalar or a (nested) list */
struct ex_entry {
	int is_list;
	char *item; /* scalar text ("" for lists) */
	struct ex_entry *items;
	size_t n;
};
int ex_entry_valid(const struct ex_entry *e);
void ex_entry_free(struct ex_entry *e);
int ex_entry_copy(struct ex_entry *dst, const struct ex_entry *src);

struct ff_exc {
	char *name;
	struct ex_entry fields, comps; /* comps.is_list == -1: not given */
	int has_comps;
	struct ex_entry *values;
	size_t nvalues;
	unsigned line, col;
};
void exc_free(struct ff_exc *e);

struct ff_list {
	char *name;
	struct strvec items;    /* as collected */
	struct strvec compiled; /* nested lists expanded */
	size_t index, visibility;
	int used;
	const char *file;
	unsigned line, col;
};

struct ff_macro {
	char *name;
	char *cond;
	char *ltext; /* cond with lists spliced in */
	size_t index, visibility;
	int used;
	const char *file;
	unsigned line, col;
};

struct ff_rule {
	char *name, *cond, *output, *desc, *source;
	enum ff_priority priority;
	struct strvec tags; /* sorted, unique */
	int enabled, capture, warn_evttypes, skip_unknown;
	uint64_t capture_duration;
	struct ff_exc *exc;
	size_t nexc;
	size_t index, visibility;
	int unknown_source;
	int dropped; /* skip-if-unknown-filter dropped it in the last compile */
	char *expanded;
	struct strvec exc_fields;
	const char *file;
	unsigned line, col;   /* item */
	unsigned cline, ccol; /* condition value */
};

/* ---- condition text (ff_rules_cond.c) ---- */

/* Identifier references (macro positions) found in a condition. */
struct cond_ref {
	size_t off, len;
};
struct cond_refs {
	struct cond_ref *v;
	size_t n, cap;
};

/* Scan `s` with a light structural parser of the condition grammar and
 * collect the identifiers that stand where a check is expected (macro
 * references).  0, -ENOMEM, or -EINVAL with *msg and *off describing a
 * syntax error. */
int cond_scan(const char *s, struct cond_refs *refs, const char **msg, size_t *off);

/* Falco's textual list splicing of one list into `*cond` (may reallocate).
 * Returns 1 if the list was used, 0 if not, -ENOMEM. */
int cond_splice_list(char **cond, const char *name, const struct strvec *items);

/* Wrap in double quotes if it has a space and does not start with a quote. */
void quote_item(struct sbuf *b, const char *item);

/* Operators of the condition language. */
int op_is_known(const char *op);
int op_is_str_with_modifier(const char *op);
int op_is_for_list(const char *op);
int is_identifier(const char *s); /* [a-zA-Z]+[a-zA-Z0-9_]* */
int is_barestr(const char *s);    /* [^()"'[:space:]=,]+ */
int is_lhs_syntax(const char *s); /* field[arg] or transformer(...) shape */

/* Build `(cond) and not E1 and not E2 ...` for the rule's exceptions.  0,
 * -ENOMEM, or -EINVAL with a message in msg. */
int exc_build(const char *cond, const struct ff_exc *exc, size_t nexc, struct strvec *fields,
              char **out, char *msg, size_t msgsz);

/* A diagnostic of file `file` (kept name), for the rules modules. */
void ff_rules_add_diag(struct ff_rules *rs, const char *file, enum ff_rules_code code,
                       unsigned line, unsigned col, const char *kind, const char *name,
                       const char *msg);

/* Falco's schema warnings (FF_LOAD_SCHEMA) for one rules document, before its
 * items are read (ff_rules_schema.c). */
struct ff_yaml_node;
void ff_rules_schema_check(struct ff_rules *rs, const char *file, const struct ff_yaml_node *doc);

#endif
