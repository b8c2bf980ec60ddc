/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Falco rules loader: reads one or more rules files (YAML) in order into one
 * ruleset, with Falco's semantics for lists, macros, rules, append/override,
 * exceptions, engine/plugin requirements and its error/warning categories.
 *
 * What it produces for each rule is the *expanded condition text*: exceptions
 * turned into an `and not (...)` suffix, list names spliced in (textually, as
 * Falco does), and macro references replaced by their parenthesized
 * expansion.  The condition compiler (rules/ff_filter.h) parses that text; it
 * may be plugged in with ff_rules_set_hooks() so that its errors become load
 * errors like Falco's LOAD_ERR_COMPILE_CONDITION.
 *
 * Several files: after each file the whole collection is recompiled, exactly
 * as Falco does (a later file's list/macro redefinition changes the rules of
 * earlier files; every prefix of the file sequence must compile).  Loading
 * stops at the first file with an error; the ruleset then refuses further
 * loads (-ECANCELED) but can still be inspected.
 *
 * The library never prints.  Problems in the rules are *diagnostics* (kept
 * in the ruleset, read with ff_rules_diag_*); fatal problems (no memory) and
 * the summary of a failed load are reported through struct ff_err.
 *
 * Engine version: we announce 0.63.0, the Falco engine whose loader and
 * filter language rules-language.md describes (upstream rules need 0.57.0).
 */
#ifndef FF_RULES_H
#define FF_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"

#define FF_RULES_ENGINE_MAJOR 0
#define FF_RULES_ENGINE_MINOR 63
#define FF_RULES_ENGINE_PATCH 0
#define FF_RULES_ENGINE_VERSION "0.63.0"
/* Our built-in container support stands in for Falco's `container` plugin. */
#define FF_RULES_CONTAINER_PLUGIN_VERSION "0.4.0"

/* Expanded conditions larger than this are an error (macro expansion bombs). */
#define FF_RULES_MAX_EXPANDED (1u << 20)

enum ff_priority {
	FF_PRIO_EMERGENCY = 0,
	FF_PRIO_ALERT,
	FF_PRIO_CRITICAL,
	FF_PRIO_ERROR,
	FF_PRIO_WARNING,
	FF_PRIO_NOTICE,
	FF_PRIO_INFORMATIONAL,
	FF_PRIO_DEBUG,
};

/* Case-insensitive, "info" accepted for Informational; 0 or -EINVAL. */
int ff_priority_parse(const char *s, enum ff_priority *out);
/* Canonical name ("Informational"), "" for out-of-range values. */
const char *ff_priority_name(enum ff_priority p);

/* Falco's load_result codes (same names without the FF_ prefix), plus ours:
 * FF_LOAD_PLUGIN_REQUIREMENT, and FF_LOAD_SCHEMA for what Falco reports apart
 * as "Schema warnings" (neither errors nor warnings for ff_rules_nwarnings). */
enum ff_rules_code {
	FF_LOAD_ERR_FILE_READ = 0,
	FF_LOAD_ERR_YAML_PARSE,
	FF_LOAD_ERR_YAML_VALIDATE,
	FF_LOAD_ERR_COMPILE_CONDITION,
	FF_LOAD_ERR_COMPILE_OUTPUT,
	FF_LOAD_ERR_VALIDATE,
	FF_LOAD_ERR_EXTENSION,
	FF_LOAD_UNKNOWN_SOURCE, /* first warning code */
	FF_LOAD_UNSAFE_NA_CHECK,
	FF_LOAD_NO_EVTTYPE,
	FF_LOAD_UNKNOWN_FILTER,
	FF_LOAD_UNUSED_MACRO,
	FF_LOAD_UNUSED_LIST,
	FF_LOAD_UNKNOWN_ITEM,
	FF_LOAD_DEPRECATED_ITEM,
	FF_LOAD_WARNING_EXTENSION,
	FF_LOAD_APPEND_NO_VALUES,
	FF_LOAD_EXCEPTION_NAME_NOT_UNIQUE,
	FF_LOAD_INVALID_MACRO_NAME,
	FF_LOAD_INVALID_LIST_NAME,
	FF_LOAD_COMPILE_CONDITION,
	FF_LOAD_UNKNOWN_KEY,
	FF_LOAD_PLUGIN_REQUIREMENT, /* ours: a required plugin we cannot provide */
	FF_LOAD_SCHEMA,             /* Falco's schema warnings: reported, counted by no status */
	FF_LOAD_CODE_COUNT,
};

const char *ff_rules_code_name(enum ff_rules_code c); /* "LOAD_ERR_YAML_PARSE" */
const char *ff_rules_code_desc(enum ff_rules_code c); /* "YAML parse error" */
static inline int ff_rules_code_is_error(enum ff_rules_code c)
{
	return c < FF_LOAD_UNKNOWN_SOURCE;
}

struct ff_rules_diag {
	enum ff_rules_code code; /* ff_rules_code_is_error() tells error from warning */
	const char *file;        /* name given to the load call */
	unsigned line, col;      /* 1-based position in the file; 0 if not known */
	const char *item_kind;   /* "rule", "macro", "list", "required_engine_version", ... or "" */
	const char *item_name;   /* "" when unnamed */
	const char *message;
	long cond_offset; /* byte offset inside the (list-substituted) condition, or -1 */
};

/* Hooks for the parts owned elsewhere (condition compiler, field table). */
enum { FF_RULES_COMPILE_OK = 0, FF_RULES_COMPILE_ERROR = 1, FF_RULES_COMPILE_UNKNOWN = 2 };
struct ff_rules_hooks {
	size_t sz; /* sizeof(struct ff_rules_hooks) */
	void *ctx;
	/* Compile a fully expanded syscall condition.  Return FF_RULES_COMPILE_OK,
	 * FF_RULES_COMPILE_ERROR (a LOAD_ERR_COMPILE_CONDITION), or
	 * FF_RULES_COMPILE_UNKNOWN for an unknown field/event type (downgraded to
	 * LOAD_UNKNOWN_FILTER and the rule dropped when skip-if-unknown-filter).
	 * On failure write a message into msg and the byte offset into *offset. */
	int (*compile_condition)(void *ctx, const char *cond, char *msg, size_t msgsz,
	                         long *offset);
	/* Same for a rule output format (LOAD_ERR_COMPILE_OUTPUT). */
	int (*compile_output)(void *ctx, const char *output, char *msg, size_t msgsz);
	/* Is `field` a valid left-hand side (exception `fields`)?  Without this
	 * hook a syntactic check is made. */
	int (*valid_field)(void *ctx, const char *field);
	/* How many event types a condition that compiled admits; a rule that
	 * admits more than 100 (and does not set warn_evttypes: false) gets
	 * LOAD_NO_EVTTYPE.  May be NULL. */
	long (*condition_evttypes)(void *ctx, const char *cond);
};

struct ff_rules;
struct ff_rule;

/* NULL with errno = ENOMEM on failure. */
struct ff_rules *ff_rules_new(void);
void ff_rules_free(struct ff_rules *rs);

/* Install hooks (copied; fields beyond hooks->sz are taken as NULL). 0 or -EINVAL. */
int ff_rules_set_hooks(struct ff_rules *rs, const struct ff_rules_hooks *hooks);

/* Load a rules file / an in-memory rules document named `name`.
 * 0: loaded (warnings possible).  -EINVAL: the rules are invalid (the error
 * is a diagnostic; err->msg repeats it as "file:line:col: CODE: message").
 * -ENOENT/-EACCES/-EIO...: file unreadable (also a LOAD_ERR_FILE_READ
 * diagnostic).  -ENOMEM.  -ECANCELED: an earlier load failed. */
int ff_rules_load_file(struct ff_rules *rs, const char *path, struct ff_err *err);
int ff_rules_load_buf(struct ff_rules *rs, const char *name, const char *buf, size_t len,
                      struct ff_err *err);

/* Diagnostics of every load so far, in order. */
size_t ff_rules_diag_count(const struct ff_rules *rs);
const struct ff_rules_diag *ff_rules_diag_get(const struct ff_rules *rs, size_t i);
/* Errors / warnings among the diagnostics of `file` (NULL: all files). */
size_t ff_rules_nerrors(const struct ff_rules *rs, const char *file);
size_t ff_rules_nwarnings(const struct ff_rules *rs, const char *file);

/* Highest required_engine_version seen ("" if none). */
const char *ff_rules_required_engine_version(const struct ff_rules *rs);

/* Plugin requirements: each is a set of alternatives "name" >= "version". */
size_t ff_rules_plugin_req_count(const struct ff_rules *rs);
size_t ff_rules_plugin_req_alts(const struct ff_rules *rs, size_t i);
int ff_rules_plugin_req_get(const struct ff_rules *rs, size_t i, size_t alt, const char **name,
                            const char **version);

/* ---- rules: the loaded rules of supported sources, in evaluation order
 * (position of the first definition).  Rules of other sources (k8s_audit,
 * aws_cloudtrail, ...) are skipped with LOAD_UNKNOWN_SOURCE and so are rules
 * dropped by skip-if-unknown-filter; they are counted by ff_rules_skipped(). */
size_t ff_rules_count(const struct ff_rules *rs);
const struct ff_rule *ff_rules_get(const struct ff_rules *rs, size_t i);
const struct ff_rule *ff_rules_find(const struct ff_rules *rs, const char *name);
size_t ff_rules_skipped(const struct ff_rules *rs);

const char *ff_rule_name(const struct ff_rule *r);
const char *ff_rule_condition(const struct ff_rule *r); /* as written (after appends) */
const char *ff_rule_expanded(const struct ff_rule *r);  /* exceptions, lists, macros applied */
const char *ff_rule_output(const struct ff_rule *r);    /* trimmed */
const char *ff_rule_desc(const struct ff_rule *r);
const char *ff_rule_source(const struct ff_rule *r);
enum ff_priority ff_rule_priority(const struct ff_rule *r);
size_t ff_rule_tag_count(const struct ff_rule *r); /* tags sorted byte-wise, unique */
const char *ff_rule_tag(const struct ff_rule *r, size_t i);
int ff_rule_has_tag(const struct ff_rule *r, const char *tag);
int ff_rule_enabled(const struct ff_rule *r); /* after YAML and ff_rules_enable() */
/* Enabled and at least as severe as the minimum priority: the rule runs. */
int ff_rule_active(const struct ff_rules *rs, const struct ff_rule *r);
int ff_rule_capture(const struct ff_rule *r);
uint64_t ff_rule_capture_duration(const struct ff_rule *r);
int ff_rule_warn_evttypes(const struct ff_rule *r);
int ff_rule_skip_if_unknown_filter(const struct ff_rule *r);
const char *ff_rule_file(const struct ff_rule *r); /* file of the first definition */
unsigned ff_rule_line(const struct ff_rule *r);
size_t ff_rule_exception_count(const struct ff_rule *r);
const char *ff_rule_exception_name(const struct ff_rule *r, size_t i);
/* Fields used by the exceptions (sorted, unique), as Falco records them. */
size_t ff_rule_exception_field_count(const struct ff_rule *r);
const char *ff_rule_exception_field(const struct ff_rule *r, size_t i);

/* ---- selection (Falco -D/-T/-t and `priority`) ---- */
enum ff_rules_match {
	FF_RULES_MATCH_EXACT,     /* rule name equals the pattern */
	FF_RULES_MATCH_SUBSTRING, /* rule name contains it ("" matches all) */
	FF_RULES_MATCH_WILDCARD,  /* only '*' is special, whole name */
	FF_RULES_MATCH_TAG,       /* rule has this tag */
};
/* Enable (1) or disable (0) the matching rules; returns how many matched. */
size_t ff_rules_enable(struct ff_rules *rs, enum ff_rules_match how, const char *pattern,
                       int enabled);
void ff_rules_set_min_priority(struct ff_rules *rs, enum ff_priority p);
enum ff_priority ff_rules_min_priority(const struct ff_rules *rs);
/* Glob with '*' only, as Falco's wildcard rule selection. */
int ff_rules_wildcard_match(const char *pattern, const char *s);

/* ---- macros and lists, in definition order ---- */
size_t ff_rules_macro_count(const struct ff_rules *rs);
const char *ff_rules_macro_name(const struct ff_rules *rs, size_t i);
const char *ff_rules_macro_condition(const struct ff_rules *rs, size_t i); /* after appends */
int ff_rules_macro_used(const struct ff_rules *rs, size_t i);
size_t ff_rules_list_count(const struct ff_rules *rs);
const char *ff_rules_list_name(const struct ff_rules *rs, size_t i);
/* Items after one level of nested-list expansion. */
size_t ff_rules_list_item_count(const struct ff_rules *rs, size_t i);
const char *ff_rules_list_item(const struct ff_rules *rs, size_t i, size_t j);
int ff_rules_list_used(const struct ff_rules *rs, size_t i);

/* Expand an ad-hoc condition (e.g. a -F filter) against the loaded lists and
 * macros.  0 and *out (free() it), or -EINVAL with the reason in err. */
int ff_rules_expand(const struct ff_rules *rs, const char *cond, char **out, struct ff_err *err);

#endif
