/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rules loader: YAML items -> collected lists/macros/rules (Falco's
 * "collector"), then after each file a compile pass over everything
 * collected (nested lists, list splicing, macro validation and expansion,
 * exception clauses, unused warnings).
 *
 * Memory: allocation failures set rs->oom and the load returns -ENOMEM;
 * strings that failed to copy are NULL and read as "" by the accessors.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ff_rules.h"
#include "ff_rules_int.h"
#include "ff_yaml.h"
#include "ff_num.h"

#define S(x) ((x) ? (x) : "")
#define FF_RULES_MAX_FILE (8u << 20)
#define MACRO_MAX_DEPTH 512

struct plugin_alt {
	char *name, *version;
};

struct plugin_req {
	struct plugin_alt *alts;
	size_t n;
};

struct ff_rules {
	struct strvec files; /* names given to loads; diags point into them */
	struct ff_rules_diag *diags;
	size_t ndiags, capdiags;
	struct ff_list **lists;
	size_t nlists, caplists;
	struct nmap lmap;
	struct ff_macro **macros;
	size_t nmacros, capmacros;
	struct nmap mmap;
	struct ff_rule **rules; /* every collected rule */
	size_t nrules, caprules;
	struct nmap rmap;
	struct ff_rule **view; /* loaded rules (supported source, not dropped) */
	size_t nview;
	size_t cur_index; /* Falco's shared definition counter */
	int failed, oom;
	struct ff_rules_hooks hooks;
	enum ff_priority min_prio;
	unsigned req_ver[3];
	char req_ver_str[64];
	struct plugin_req *preqs;
	size_t npreqs;
};

/* ---- small helpers ---- */

static char *xstrdup(struct ff_rules *rs, const char *s)
{
	char *d = strdup(S(s));

	if (!d)
		rs->oom = 1;
	return d;
}

static int grow(struct ff_rules *rs, void **v, size_t *cap, size_t n, size_t elsz)
{
	size_t ncap;
	void *nv;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	nv = realloc(*v, ncap * elsz);
	if (!nv) {
		rs->oom = 1;
		return -ENOMEM;
	}
	*v = nv;
	*cap = ncap;
	return 0;
}

static const char *const k_prio_names[] = { "Emergency", "Alert",  "Critical",      "Error",
	                                    "Warning",   "Notice", "Informational", "Debug" };

int ff_priority_parse(const char *s, enum ff_priority *out)
{
	size_t i;

	for (i = 0; i < 8; i++) {
		if (!strcasecmp(s, k_prio_names[i]) ||
		    (i == FF_PRIO_INFORMATIONAL && !strcasecmp(s, "info"))) {
			*out = (enum ff_priority)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *ff_priority_name(enum ff_priority p)
{
	return (unsigned)p < 8 ? k_prio_names[p] : "";
}

static const char *const k_code_names[FF_LOAD_CODE_COUNT][2] = {
	{ "LOAD_ERR_FILE_READ", "File read error" },
	{ "LOAD_ERR_YAML_PARSE", "YAML parse error" },
	{ "LOAD_ERR_YAML_VALIDATE", "Error validating internal structure of YAML file" },
	{ "LOAD_ERR_COMPILE_CONDITION", "Error compiling condition" },
	{ "LOAD_ERR_COMPILE_OUTPUT", "Error compiling output" },
	{ "LOAD_ERR_VALIDATE", "Error validating rule/macro/list/exception objects" },
	{ "LOAD_ERR_EXTENSION", "Error in extension item" },
	{ "LOAD_UNKNOWN_SOURCE", "Unknown event source" },
	{ "LOAD_UNSAFE_NA_CHECK", "Unsafe <NA> comparison in condition" },
	{ "LOAD_NO_EVTTYPE", "Condition has no event-type restriction" },
	{ "LOAD_UNKNOWN_FILTER", "Unknown field or event-type in condition or output" },
	{ "LOAD_UNUSED_MACRO", "Unused macro" },
	{ "LOAD_UNUSED_LIST", "Unused list" },
	{ "LOAD_UNKNOWN_ITEM", "Unknown rules file item" },
	{ "LOAD_DEPRECATED_ITEM", "Used deprecated item" },
	{ "LOAD_WARNING_EXTENSION", "Warning in extension item" },
	{ "LOAD_APPEND_NO_VALUES", "Overriding/appending with no values" },
	{ "LOAD_EXCEPTION_NAME_NOT_UNIQUE", "Multiple exceptions defined with the same name" },
	{ "LOAD_INVALID_MACRO_NAME", "Invalid macro name" },
	{ "LOAD_INVALID_LIST_NAME", "Invalid list name" },
	{ "LOAD_COMPILE_CONDITION", "Warning in rule condition" },
	{ "LOAD_UNKNOWN_KEY", "Unknown key in item definition" },
	{ "LOAD_PLUGIN_REQUIREMENT", "Required plugin not available" },
	{ "LOAD_SCHEMA", "Schema warning" },
};

const char *ff_rules_code_name(enum ff_rules_code c)
{
	return (unsigned)c < FF_LOAD_CODE_COUNT ? k_code_names[c][0] : "";
}

const char *ff_rules_code_desc(enum ff_rules_code c)
{
	return (unsigned)c < FF_LOAD_CODE_COUNT ? k_code_names[c][1] : "";
}

/* ---- diagnostics ---- */

struct rd {
	struct ff_rules *rs;
	const char *file;
	const char *kind;
	const char *name;
};

static int add_diag(struct ff_rules *rs, const char *file, enum ff_rules_code code, unsigned line,
                    unsigned col, const char *kind, const char *name, long off, const char *msg)
{
	struct ff_rules_diag *d;

	if (grow(rs, (void **)&rs->diags, &rs->capdiags, rs->ndiags, sizeof(*rs->diags)))
		return ff_rules_code_is_error(code) ? -EINVAL : 0;
	d = &rs->diags[rs->ndiags++];
	d->code = code;
	d->file = file;
	d->line = line;
	d->col = col;
	d->item_kind = xstrdup(rs, kind);
	d->item_name = xstrdup(rs, name);
	d->message = xstrdup(rs, msg);
	d->cond_offset = off;
	return ff_rules_code_is_error(code) ? -EINVAL : 0;
}

__attribute__((format(printf, 4, 5))) static int
rd_diag(struct rd *r, enum ff_rules_code code, const struct ff_yaml_node *at, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return add_diag(r->rs, r->file, code, at ? at->line : 0, at ? at->col : 0, r->kind, r->name,
	                -1, msg);
}

#define YERR(at, ...) rd_diag(r, FF_LOAD_ERR_YAML_VALIDATE, (at), __VA_ARGS__)
#define VERR(at, ...) rd_diag(r, FF_LOAD_ERR_VALIDATE, (at), __VA_ARGS__)
#define WARN(code, at, ...) rd_diag(r, (code), (at), __VA_ARGS__)

static const char *const k_warn_append =
    "'append' key is deprecated. Add an 'append' entry (e.g. 'condition: append') under "
    "'override' instead.";
static const char *const k_warn_enabled =
    "The standalone 'enabled' key usage is deprecated. The correct approach requires also a "
    "'replace' entry under the 'override' key (i.e. 'enabled: replace').";
static const char *const k_err_override_append =
    "Keys 'override' and 'append: true' cannot be used together. Add an 'append' entry (e.g. "
    "'condition: append') under 'override' instead.";

/* ---- YAML value decoding (Falco's rules: required/optional, may be empty) ---- */

enum { OPT = 1, EMPTY_OK = 2 };

static int get_scalar(struct rd *r, const struct ff_yaml_node *item, const char *key, int flags,
                      const struct ff_yaml_node **out)
{
	const struct ff_yaml_node *v = ff_yaml_get(item, key);

	*out = NULL;
	if (!v) {
		if (flags & OPT)
			return 0;
		return YERR(item, "Item has no mapping for key '%s'", key);
	}
	if (v->type == FF_YAML_NULL) {
		if (flags & EMPTY_OK)
			return 0;
		return YERR(v, "Mapping for key '%s' is empty", key);
	}
	if (v->type != FF_YAML_SCALAR)
		return YERR(v, "Value is not a scalar value");
	if (!v->len) {
		if (flags & EMPTY_OK)
			return 0;
		return YERR(v, "Value must be non-empty");
	}
	*out = v;
	return 0;
}

/* *out is replaced when the key has a value; *has tells whether it had. */
static int get_str(struct rd *r, const struct ff_yaml_node *item, const char *key, int flags,
                   char **out, int *has)
{
	const struct ff_yaml_node *v;
	int rc = get_scalar(r, item, key, flags, &v);

	if (has)
		*has = 0;
	if (rc)
		return rc;
	if (!v && !((flags & EMPTY_OK) && ff_yaml_get(item, key)))
		return 0;
	free(*out);
	*out = xstrdup(r->rs, v ? v->text : "");
	if (has)
		*has = 1;
	return 0;
}

/* yaml-cpp's boolean spellings: y/yes/true/on and their opposites, in
 * lower case, Capitalized or UPPER case. */
static int parse_bool(const char *s, int *out)
{
	static const char *const t[] = { "y", "yes", "true", "on" };
	static const char *const f[] = { "n", "no", "false", "off" };
	char low[8];
	size_t i, n = strlen(s);
	int all_up = 1, all_low = 1, cap;

	if (!n || n >= sizeof(low))
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			all_low = 0;
		else if (s[i] >= 'a' && s[i] <= 'z')
			all_up = 0;
		else
			return -EINVAL;
		low[i] = (char)(s[i] | 0x20);
	}
	low[n] = '\0';
	cap = s[0] >= 'A' && s[0] <= 'Z';
	for (i = 1; i < n && cap; i++)
		cap = s[i] >= 'a' && s[i] <= 'z';
	if (!all_low && !all_up && !cap)
		return -EINVAL;
	for (i = 0; i < 4; i++) {
		if (!strcmp(low, t[i])) {
			*out = 1;
			return 0;
		}
		if (!strcmp(low, f[i])) {
			*out = 0;
			return 0;
		}
	}
	return -EINVAL;
}

static int get_bool(struct rd *r, const struct ff_yaml_node *item, const char *key, int flags,
                    int *out, int *has)
{
	const struct ff_yaml_node *v;
	int rc = get_scalar(r, item, key, flags, &v);

	if (has)
		*has = 0;
	if (rc || !v)
		return rc;
	if (parse_bool(v->text, out))
		return YERR(v, "Can't decode YAML scalar value");
	if (has)
		*has = 1;
	return 0;
}

static int get_u64(struct rd *r, const struct ff_yaml_node *item, const char *key, int flags,
                   uint64_t *out, int *has)
{
	const struct ff_yaml_node *v;
	int rc = get_scalar(r, item, key, flags, &v);

	if (has)
		*has = 0;
	if (rc || !v)
		return rc;
	if (ff_num_u64(v->text, out))
		return YERR(v, "Can't decode YAML scalar value");
	if (has)
		*has = 1;
	return 0;
}

/* sorted unique insert (tags) */
static int tag_insert(struct ff_rules *rs, struct strvec *sv, const char *t)
{
	size_t lo = 0, hi = sv->n, i;
	int c;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		c = strcmp(sv->v[mid], t);
		if (!c)
			return 0;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (sv_push(sv, t)) {
		rs->oom = 1;
		return -ENOMEM;
	}
	/* sv_push appended at the end: rotate into place */
	{
		char *last = sv->v[sv->n - 1];

		for (i = sv->n - 1; i > lo; i--)
			sv->v[i] = sv->v[i - 1];
		sv->v[lo] = last;
	}
	return 0;
}

/* Sequence of scalars; `tags` mode inserts sorted-unique. */
static int get_seq(struct rd *r, const struct ff_yaml_node *item, const char *key, int flags,
                   struct strvec *out, int sorted, int *has)
{
	const struct ff_yaml_node *v = ff_yaml_get(item, key);
	size_t i;

	if (has)
		*has = 0;
	if (!v) {
		if (flags & OPT)
			return 0;
		return YERR(item, "Item has no mapping for key '%s'", key);
	}
	if (v->type != FF_YAML_SEQ)
		return YERR(v, "Value is not a sequence");
	for (i = 0; i < v->n; i++) {
		const struct ff_yaml_node *e = v->items[i];

		if (e->type != FF_YAML_SCALAR)
			return YERR(e, "sequence value is not scalar");
		if (sorted) {
			tag_insert(r->rs, out, e->text);
		} else if (sv_push(out, e->text)) {
			r->rs->oom = 1;
			return -ENOMEM;
		}
	}
	if (has)
		*has = 1;
	return 0;
}

static void warn_unknown_keys(struct rd *r, const struct ff_yaml_node *item,
                              const char *const *keys, size_t nkeys)
{
	size_t i, k;

	for (i = 0; i < item->n; i++) {
		const struct ff_yaml_node *key = item->items[2 * i];
		int known = 0;

		for (k = 0; k < nkeys && key->type == FF_YAML_SCALAR; k++)
			if (!strcmp(key->text, keys[k]))
				known = 1;
		if (!known)
			WARN(FF_LOAD_UNKNOWN_KEY, key, "Unknown key '%s'. The key will be ignored.",
			     key->text);
	}
}

/* ---- override: key -> append|replace ---- */

enum {
	OV_CONDITION,
	OV_OUTPUT,
	OV_DESC,
	OV_TAGS,
	OV_EXCEPTIONS,
	OV_PRIORITY,
	OV_CAPTURE,
	OV_CAPTURE_DURATION,
	OV_ENABLED,
	OV_WARN_EVTTYPES,
	OV_SKIP,
	OV_ITEMS,
	OV_NKEYS
};
static const char *const k_ov_keys[OV_NKEYS] = { "condition",
	                                         "output",
	                                         "desc",
	                                         "tags",
	                                         "exceptions",
	                                         "priority",
	                                         "capture",
	                                         "capture_duration",
	                                         "enabled",
	                                         "warn_evttypes",
	                                         "skip-if-unknown-filter",
	                                         "items" };

static int ov_key(const char *k)
{
	int i;

	for (i = 0; i < OV_NKEYS; i++)
		if (!strcmp(k, k_ov_keys[i]))
			return i;
	return -1;
}

/* can_append/can_replace: bitmasks over OV_*.  Fills the two masks. */
static int read_overrides(struct rd *r, const struct ff_yaml_node *item, unsigned can_append,
                          unsigned can_replace, unsigned *app, unsigned *rep)
{
	const struct ff_yaml_node *ov = ff_yaml_get(item, "override");
	size_t i;

	*app = *rep = 0;
	if (!ov || ov->type == FF_YAML_NULL || ov->type == FF_YAML_SCALAR)
		return 0;
	if (ov->type != FF_YAML_MAP)
		return YERR(ov, "Value of 'override' must be a mapping");
	for (i = 0; i < ov->n; i++) {
		const struct ff_yaml_node *k = ov->items[2 * i], *op = ov->items[2 * i + 1];
		int id = k->type == FF_YAML_SCALAR ? ov_key(k->text) : -1;
		int ca = id >= 0 && (can_append >> id & 1), cr = id >= 0 && (can_replace >> id & 1);

		if (op->type == FF_YAML_SEQ || op->type == FF_YAML_MAP)
			return YERR(op, "Value is not a scalar value");
		if (!strcmp(op->text, "append")) {
			if (!ca)
				return YERR(k,
				            "Key '%s' cannot be appended to, use 'replace' instead",
				            k->text);
			*app |= 1u << id;
		} else if (!strcmp(op->text, "replace")) {
			if (!cr)
				return YERR(k, "Key '%s' cannot be replaced", k->text);
			*rep |= 1u << id;
		} else {
			return YERR(op,
			            "Invalid override operation for key '%s': '%s'. Allowed values "
			            "are: %s%s",
			            k->text, op->text, ca ? "append " : "", cr ? "replace " : "");
		}
	}
	return 0;
}

/* ---- exceptions ---- */

/* Falco's exception entry decoding: scalar, or a (nested) sequence. */
static int read_ex_entry(struct rd *r, const struct ff_yaml_node *v, struct ex_entry *out)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (v->type == FF_YAML_SCALAR) {
		if (!v->len)
			return YERR(v, "Value must be non-empty");
		out->item = xstrdup(r->rs, v->text);
		return 0;
	}
	if (v->type == FF_YAML_SEQ) {
		out->is_list = 1;
		out->item = xstrdup(r->rs, "");
		if (!v->n)
			return 0;
		out->items = calloc(v->n, sizeof(*out->items));
		if (!out->items) {
			r->rs->oom = 1;
			return -ENOMEM;
		}
		for (i = 0; i < v->n; i++) {
			int rc = read_ex_entry(r, v->items[i], &out->items[i]);

			out->n = i + 1;
			if (rc)
				return rc;
		}
		return 0;
	}
	out->item = xstrdup(r->rs, ""); /* null / mapping: left invalid, as Falco does */
	return 0;
}

static void excs_free(struct ff_exc *e, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		exc_free(&e[i]);
	free(e);
}

static int read_exceptions(struct rd *r, const struct ff_yaml_node *item, int append,
                           struct ff_exc **out, size_t *nout)
{
	const struct ff_yaml_node *exs = ff_yaml_get(item, "exceptions");
	struct ff_exc *v;
	size_t i, j;
	int rc;

	*out = NULL;
	*nout = 0;
	if (!exs || exs->type == FF_YAML_NULL)
		return 0;
	if (exs->type != FF_YAML_SEQ)
		return YERR(exs, "Rule exceptions must be a sequence");
	if (!exs->n)
		return 0;
	v = calloc(exs->n, sizeof(*v));
	if (!v) {
		r->rs->oom = 1;
		return -ENOMEM;
	}
	*out = v;
	for (i = 0; i < exs->n; i++) {
		const struct ff_yaml_node *ex = exs->items[i], *f, *vals;
		struct ff_exc *x = &v[i];
		const char *saved_kind = r->kind;

		*nout = i + 1;
		if (ex->type != FF_YAML_MAP)
			return YERR(ex, "Rule exception must be a mapping");
		x->line = ex->line;
		x->col = ex->col;
		if ((rc = get_str(r, ex, "name", 0, &x->name, NULL)))
			return rc;
		for (j = 0; j < i; j++)
			if (!strcmp(S(v[j].name), S(x->name)))
				WARN(FF_LOAD_EXCEPTION_NAME_NOT_UNIQUE, ex,
				     "Multiple definitions of exception '%s' in the same rule",
				     S(x->name));
		f = ff_yaml_get(ex, "fields");
		if (!f && !append)
			return YERR(ex, "Item has no mapping for key 'fields'");
		if (f && (rc = read_ex_entry(r, f, &x->fields)))
			return rc;
		f = ff_yaml_get(ex, "comps");
		if (f && (rc = read_ex_entry(r, f, &x->comps)))
			return rc;
		vals = ff_yaml_get(ex, "values");
		if (vals) {
			if (vals->type != FF_YAML_SEQ)
				return YERR(vals, "Rule exception values must be a sequence");
			if (vals->n) {
				x->values = calloc(vals->n, sizeof(*x->values));
				if (!x->values) {
					r->rs->oom = 1;
					return -ENOMEM;
				}
			}
			for (j = 0; j < vals->n; j++) {
				x->nvalues = j + 1;
				if ((rc = read_ex_entry(r, vals->items[j], &x->values[j])))
					return rc;
			}
		} else if (append) {
			const char *saved_name = r->name;

			r->kind = "exception";
			r->name = S(x->name);
			WARN(FF_LOAD_APPEND_NO_VALUES, ex,
			     "Overriding/appending exception with no values");
			r->kind = saved_kind;
			r->name = saved_name;
		}
	}
	return 0;
}

static void trim_blanks(char *s)
{
	size_t n = strlen(s), a = 0;

	while (n && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	while (s[a] && strchr(" \t\r\n", s[a]))
		a++;
	memmove(s, s + a, n - a + 1);
}

static int field_ok(struct ff_rules *rs, const char *f)
{
	if (rs->hooks.valid_field)
		return rs->hooks.valid_field(rs->hooks.ctx, f);
	return is_lhs_syntax(f);
}

static int set_default_comps(struct ff_rules *rs, struct ff_exc *x, const char *op, size_t n)
{
	size_t i;

	ex_entry_free(&x->comps);
	x->comps.is_list = n ? 1 : 0;
	x->comps.item = xstrdup(rs, n ? "" : op);
	if (!n)
		return 0;
	x->comps.items = calloc(n, sizeof(*x->comps.items));
	if (!x->comps.items) {
		rs->oom = 1;
		return -ENOMEM;
	}
	x->comps.n = n;
	for (i = 0; i < n; i++)
		x->comps.items[i].item = xstrdup(rs, op);
	return 0;
}

/* Falco's validation of one exception (collector); `supported` is false for
 * rules of unknown sources (no field check). */
static int validate_exception(struct rd *r, struct ff_exc *x, int supported,
                              const struct ff_yaml_node *at)
{
	struct ff_rules *rs = r->rs;
	size_t i;

	if (x->fields.is_list) {
		if (!ex_entry_valid(&x->comps) && set_default_comps(rs, x, "=", x->fields.n))
			return -ENOMEM;
		if (!x->comps.is_list || x->comps.n != x->fields.n)
			return VERR(at, "Fields and comps lists must have equal length");
		for (i = 0; i < x->comps.n; i++) {
			char *c = x->comps.items[i].item;

			if (!c)
				return -ENOMEM;
			trim_blanks(c);
			if (!op_is_known(c) && !op_is_str_with_modifier(c))
				return VERR(at, "'%s' is not a supported comparison operator", c);
		}
		for (i = 0; supported && i < x->fields.n; i++)
			if (!field_ok(rs, S(x->fields.items[i].item)))
				return VERR(at, "'%s' is not a supported filter field",
				            S(x->fields.items[i].item));
	} else {
		if (!ex_entry_valid(&x->comps) && set_default_comps(rs, x, "in", 0))
			return -ENOMEM;
		if (x->comps.is_list)
			return VERR(at, "Fields and comps must both be strings");
		if (!x->comps.item)
			return -ENOMEM;
		trim_blanks(x->comps.item);
		if (strcmp(x->comps.item, "in") && strcmp(x->comps.item, "pmatch") &&
		    strcmp(x->comps.item, "intersects") && !op_is_str_with_modifier(x->comps.item))
			return VERR(at,
			            "When fields is a single value, comps must be one of (in, "
			            "pmatch, intersects) or a modifier operator (e.g. startswith "
			            "oneof)");
		if (supported && !field_ok(rs, S(x->fields.item)))
			return VERR(at, "'%s' is not a supported filter field", S(x->fields.item));
	}
	return 0;
}

/* ---- collector ---- */

static struct ff_rule *rule_lookup(struct ff_rules *rs, const char *name)
{
	long i = nm_get(&rs->rmap, name);

	return i < 0 ? NULL : rs->rules[i];
}

static void rule_clear(struct ff_rule *ru)
{
	free(ru->name);
	free(ru->cond);
	free(ru->output);
	free(ru->desc);
	free(ru->source);
	sv_free(&ru->tags);
	excs_free(ru->exc, ru->nexc);
	free(ru->expanded);
	sv_free(&ru->exc_fields);
	memset(ru, 0, sizeof(*ru));
}

static void rule_free(struct ff_rule *ru)
{
	if (ru) {
		rule_clear(ru);
		free(ru);
	}
}

/* "Rule has been re-defined with a different source" check of find_prev_rule. */
static int prev_rule(struct rd *r, const char *name, const char *source,
                     const struct ff_yaml_node *at, struct ff_rule **prev)
{
	struct ff_rule *p = rule_lookup(r->rs, name);

	*prev = p;
	if (p && p->source && p->source[0] && source && source[0] && strcmp(p->source, source))
		return VERR(at, "Rule has been re-defined with a different source");
	return 0;
}

static int is_supported_source(const char *s)
{
	return !strcmp(S(s), "syscall");
}

static int collect_rule(struct rd *r, struct ff_rule *nr, const struct ff_yaml_node *item)
{
	struct ff_rules *rs = r->rs;
	struct ff_rule *prev;
	size_t i;
	int rc;

	if ((rc = prev_rule(r, nr->name, nr->source, item, &prev)))
		return rc;
	if (!is_supported_source(nr->source)) {
		nr->unknown_source = 1;
		WARN(FF_LOAD_UNKNOWN_SOURCE, item, "Unknown source %s, skipping", S(nr->source));
	}
	for (i = 0; i < nr->nexc; i++) {
		const struct ff_yaml_node *at = item;

		if (!ex_entry_valid(&nr->exc[i].fields))
			return VERR(at,
			            "Rule exception item must have fields property with a list of "
			            "fields");
		if ((rc = validate_exception(r, &nr->exc[i], !nr->unknown_source, at)))
			return rc;
	}
	nr->visibility = rs->cur_index++;
	if (prev) {
		nr->index = prev->index;
		rule_clear(prev);
		*prev = *nr;
	} else {
		struct ff_rule *p = malloc(sizeof(*p));

		if (!p ||
		    grow(rs, (void **)&rs->rules, &rs->caprules, rs->nrules, sizeof(*rs->rules))) {
			free(p);
			rs->oom = 1;
			rule_clear(nr);
			return -ENOMEM;
		}
		nr->index = nr->visibility;
		*p = *nr;
		if (nm_put(&rs->rmap, S(p->name), rs->nrules)) {
			rs->oom = 1;
			rule_free(p);
			memset(nr, 0, sizeof(*nr));
			return -ENOMEM;
		}
		rs->rules[rs->nrules++] = p;
	}
	memset(nr, 0, sizeof(*nr));
	return 0;
}

struct rule_upd {
	char *source, *cond, *output, *desc;
	int has_cond, has_output, has_desc, has_tags, has_exc;
	struct strvec tags;
	struct ff_exc *exc;
	size_t nexc;
	enum ff_priority prio;
	int has_prio;
	int capture, has_capture, enabled, has_enabled, warn, has_warn, skip, has_skip;
	uint64_t capdur;
	int has_capdur;
};

static void upd_free(struct rule_upd *u)
{
	free(u->source);
	free(u->cond);
	free(u->output);
	free(u->desc);
	sv_free(&u->tags);
	excs_free(u->exc, u->nexc);
	memset(u, 0, sizeof(*u));
}

static int upd_has_any(const struct rule_upd *u)
{
	return u->has_cond || u->has_output || u->has_desc || u->has_tags || u->has_exc ||
	       u->has_prio || u->has_capture || u->has_capdur || u->has_enabled || u->has_warn ||
	       u->has_skip;
}

static int str_append(struct ff_rules *rs, char **dst, const char *add)
{
	size_t a, b;
	char *n;

	if (!add || !add[0])
		return 0;
	a = strlen(S(*dst));
	b = strlen(add);
	n = malloc(a + b + 2);
	if (!n) {
		rs->oom = 1;
		return -ENOMEM;
	}
	memcpy(n, S(*dst), a);
	n[a] = ' ';
	memcpy(n + a + 1, add, b + 1);
	free(*dst);
	*dst = n;
	return 0;
}

static int exc_push(struct ff_rules *rs, struct ff_rule *ru, struct ff_exc *x)
{
	struct ff_exc *nv = realloc(ru->exc, (ru->nexc + 1) * sizeof(*nv));

	if (!nv) {
		rs->oom = 1;
		return -ENOMEM;
	}
	ru->exc = nv;
	ru->exc[ru->nexc++] = *x;
	memset(x, 0, sizeof(*x));
	return 0;
}

static int collect_append(struct rd *r, struct rule_upd *u, const struct ff_yaml_node *item)
{
	struct ff_rules *rs = r->rs;
	struct ff_rule *prev;
	size_t i, j;
	int rc;

	if ((rc = prev_rule(r, r->name, u->source, item, &prev)))
		return rc;
	if (!prev)
		return VERR(item, "Rule uses 'append' or 'override.<key>: append' but no rule by "
		                  "that name already exists");
	if (!upd_has_any(u))
		return VERR(item, "Appended rule must have exceptions or condition property");
	if (u->has_cond)
		str_append(rs, &prev->cond, u->cond);
	if (u->has_output)
		str_append(rs, &prev->output, u->output);
	if (u->has_desc)
		str_append(rs, &prev->desc, u->desc);
	for (i = 0; u->has_tags && i < u->tags.n; i++)
		tag_insert(rs, &prev->tags, u->tags.v[i]);
	for (i = 0; u->has_exc && i < u->nexc; i++) {
		struct ff_exc *x = &u->exc[i], *pe = NULL;

		for (j = 0; j < prev->nexc && !pe; j++) /* the first of that name */
			if (!strcmp(S(prev->exc[j].name), S(x->name)))
				pe = &prev->exc[j];
		if (!pe) {
			if (!ex_entry_valid(&x->fields))
				return VERR(item, "Rule exception must have fields property with a "
				                  "list of fields");
			if (!x->nvalues)
				return VERR(item, "Rule exception must have values property with a "
				                  "list of values");
			if ((rc = validate_exception(r, x, !prev->unknown_source, item)))
				return rc;
			if ((rc = exc_push(rs, prev, x)))
				return rc;
		} else {
			struct ex_entry *nv;

			if (ex_entry_valid(&x->fields))
				return VERR(item, "Can not append exception fields to existing "
				                  "exception, only values");
			if (ex_entry_valid(&x->comps))
				return VERR(item, "Can not append exception comps to existing "
				                  "exception, only values");
			if (!x->nvalues)
				continue;
			nv = realloc(pe->values, (pe->nvalues + x->nvalues) * sizeof(*nv));
			if (!nv) {
				rs->oom = 1;
				return -ENOMEM;
			}
			pe->values = nv;
			memcpy(pe->values + pe->nvalues, x->values, x->nvalues * sizeof(*nv));
			pe->nvalues += x->nvalues;
			free(x->values);
			x->values = NULL;
			x->nvalues = 0;
		}
	}
	prev->visibility = rs->cur_index++;
	return 0;
}

static int collect_replace(struct rd *r, struct rule_upd *u, const struct ff_yaml_node *item)
{
	struct ff_rules *rs = r->rs;
	struct ff_rule *prev;
	size_t i;
	int rc;

	if ((rc = prev_rule(r, r->name, u->source, item, &prev)))
		return rc;
	if (!prev)
		return VERR(item,
		            "An 'override.<key>: replace' to a rule was requested but no rule "
		            "by that name already exists");
	if (!upd_has_any(u))
		return VERR(item, "The rule must have at least one field that can be replaced");
	/* Falco does not re-validate replaced exceptions; we do, so that the
	 * default comps exist when the clause is built. */
	for (i = 0; u->has_exc && i < u->nexc; i++)
		if ((rc = validate_exception(r, &u->exc[i], !prev->unknown_source, item)))
			return rc;
#define MOVE(f)                                                                                    \
	do {                                                                                       \
		free(prev->f);                                                                     \
		prev->f = u->f;                                                                    \
		u->f = NULL;                                                                       \
	} while (0)
	if (u->has_cond)
		MOVE(cond);
	if (u->has_output)
		MOVE(output);
	if (u->has_desc)
		MOVE(desc);
#undef MOVE
	if (u->has_tags) {
		sv_free(&prev->tags);
		prev->tags = u->tags;
		memset(&u->tags, 0, sizeof(u->tags));
	}
	if (u->has_exc) {
		excs_free(prev->exc, prev->nexc);
		prev->exc = u->exc;
		prev->nexc = u->nexc;
		u->exc = NULL;
		u->nexc = 0;
	}
	if (u->has_prio)
		prev->priority = u->prio;
	if (u->has_capture)
		prev->capture = u->capture;
	if (u->has_capdur)
		prev->capture_duration = u->capdur;
	if (u->has_enabled)
		prev->enabled = u->enabled;
	if (u->has_warn)
		prev->warn_evttypes = u->warn;
	if (u->has_skip)
		prev->skip_unknown = u->skip;
	prev->visibility = rs->cur_index++;
	return 0;
}

/* ---- items ---- */

static int read_engine_version(struct rd *r, const struct ff_yaml_node *item)
{
	static const char *const keys[] = { "required_engine_version" };
	const struct ff_yaml_node *v;
	unsigned req[3] = { 0 },
	         eng[3] = { FF_RULES_ENGINE_MAJOR, FF_RULES_ENGINE_MINOR, FF_RULES_ENGINE_PATCH };
	uint64_t n;
	int rc, i, cmp = 0;

	r->kind = "required_engine_version";
	if ((rc = get_scalar(r, item, "required_engine_version", 0, &v)))
		return rc;
	if (!ff_num_u64(v->text, &n) && n <= UINT32_MAX) {
		/* a bare number N is the historic form: <our major>.N.0 */
		req[0] = FF_RULES_ENGINE_MAJOR;
		req[1] = (unsigned)n;
	} else {
		/* x.y.z, anything after the third number ignored (like sscanf) */
		const char *p = v->text;
		char *e;

		for (i = 0; i < 3; i++) {
			unsigned long x;

			if (*p < '0' || *p > '9')
				break;
			errno = 0;
			x = strtoul(p, &e, 10);
			if (errno || x > UINT32_MAX)
				break;
			req[i] = (unsigned)x;
			p = e;
			if (i < 2) {
				if (*p != '.')
					break;
				p++;
			}
		}
		if (i < 3)
			return YERR(v,
			            "Unable to parse engine version '%s' as a semver string. "
			            "Expected \"x.y.z\" semver format.",
			            v->text);
	}
	for (i = 0; i < 3 && !cmp; i++)
		cmp = eng[i] < req[i] ? -1 : eng[i] > req[i];
	if (req[0] != eng[0] || cmp < 0)
		return VERR(item, "Rules require engine version %u.%u.%u, but engine version is %s",
		            req[0], req[1], req[2], FF_RULES_ENGINE_VERSION);
	cmp = 0;
	for (i = 0; i < 3 && !cmp; i++)
		cmp = r->rs->req_ver[i] < req[i] ? -1 : r->rs->req_ver[i] > req[i];
	if (cmp < 0 || !r->rs->req_ver_str[0]) {
		memcpy(r->rs->req_ver, req, sizeof(req));
		snprintf(r->rs->req_ver_str, sizeof(r->rs->req_ver_str), "%u.%u.%u", req[0], req[1],
		         req[2]);
	}
	warn_unknown_keys(r, item, keys, 1);
	return 0;
}

static int parse_semver(const char *s, unsigned v[3])
{
	char *e;
	int i;

	for (i = 0; i < 3; i++) {
		unsigned long x;

		if (*s < '0' || *s > '9')
			return -EINVAL;
		errno = 0;
		x = strtoul(s, &e, 10);
		if (errno || x > UINT32_MAX)
			return -EINVAL;
		v[i] = (unsigned)x;
		s = e;
		if (i < 2 && *s++ != '.')
			return -EINVAL;
	}
	return 0;
}

static int read_plugin_versions(struct rd *r, const struct ff_yaml_node *item)
{
	static const char *const keys[] = { "required_plugin_versions" };
	const struct ff_yaml_node *seq = ff_yaml_get(item, "required_plugin_versions");
	struct ff_rules *rs = r->rs;
	size_t i, j, k;
	int rc;

	r->kind = "required_plugin_versions";
	if (seq->type != FF_YAML_SEQ)
		return YERR(seq, "Value of required_plugin_versions must be a sequence");
	for (i = 0; i < seq->n; i++) {
		const struct ff_yaml_node *pl = seq->items[i], *alts;
		struct plugin_req req = { 0 };
		struct plugin_req *nr;
		size_t nalts;
		int ok = 0;

		if (pl->type != FF_YAML_MAP)
			return YERR(pl, "Plugin version must be a mapping");
		alts = ff_yaml_get(pl, "alternatives");
		if (alts && alts->type != FF_YAML_SEQ) {
			/* checked after name/version, as Falco does */
			alts = (const struct ff_yaml_node *)-1;
		}
		nalts = 1 + (alts && alts != (const void *)-1 ? alts->n : 0);
		req.alts = calloc(nalts, sizeof(*req.alts));
		if (!req.alts) {
			rs->oom = 1;
			return -ENOMEM;
		}
		for (j = 0; j < nalts; j++) {
			const struct ff_yaml_node *m = j ? alts->items[j - 1] : pl;

			if (j && m->type != FF_YAML_MAP) {
				rc = YERR(m, "Plugin version alternative must be a mapping");
				goto fail;
			}
			req.n = j + 1;
			if ((rc = get_str(r, m, "name", 0, &req.alts[j].name, NULL)) ||
			    (rc = get_str(r, m, "version", 0, &req.alts[j].version, NULL)))
				goto fail;
			if (!j && alts == (const void *)-1) {
				rc = YERR(
				    pl, "Value of plugin version alternatives must be a sequence");
				goto fail;
			}
		}
		for (j = 0; j < req.n; j++) {
			unsigned v[3], ours[3];

			if (parse_semver(S(req.alts[j].version), v)) {
				rc = VERR(pl, "Invalid required version '%s' for plugin '%s'",
				          S(req.alts[j].version), S(req.alts[j].name));
				goto fail;
			}
			for (k = 0; k < j; k++) {
				if (!strcmp(S(req.alts[k].name), S(req.alts[j].name))) {
					rc = VERR(
					    pl,
					    "Defined multiple alternative version requirements "
					    "for plugin '%s'",
					    S(req.alts[j].name));
					goto fail;
				}
			}
			parse_semver(FF_RULES_CONTAINER_PLUGIN_VERSION, ours);
			if (!strcmp(S(req.alts[j].name), "container") && ours[0] == v[0] &&
			    (ours[1] > v[1] || (ours[1] == v[1] && ours[2] >= v[2])))
				ok = 1;
		}
		if (!ok) {
			char msg[512];
			size_t off = 0;

			off +=
			    (size_t)snprintf(msg, sizeof(msg),
			                     "Plugin requirement not satisfied, must load one of:");
			for (j = 0; j < req.n && off < sizeof(msg); j++)
				off += (size_t)snprintf(
				    msg + off, sizeof(msg) - off, "%s %s (>= %s)", j ? "," : "",
				    S(req.alts[j].name), S(req.alts[j].version));
			WARN(FF_LOAD_PLUGIN_REQUIREMENT, pl, "%s", msg);
		}
		nr = realloc(rs->preqs, (rs->npreqs + 1) * sizeof(*nr));
		if (!nr) {
			rs->oom = 1;
			rc = -ENOMEM;
			goto fail;
		}
		rs->preqs = nr;
		rs->preqs[rs->npreqs++] = req;
		continue;
	fail:
		for (j = 0; j < req.n; j++) {
			free(req.alts[j].name);
			free(req.alts[j].version);
		}
		free(req.alts);
		return rc;
	}
	warn_unknown_keys(r, item, keys, 1);
	return 0;
}

static int read_list(struct rd *r, const struct ff_yaml_node *item)
{
	static const char *const keys[] = { "list", "items", "append", "override" };
	struct ff_rules *rs = r->rs;
	struct strvec items = { 0 };
	char *name = NULL;
	unsigned app, rep;
	int rc, append = 0;
	long idx;

	r->kind = "list";
	if ((rc = get_str(r, item, "list", 0, &name, NULL)))
		goto out;
	r->name = S(name);
	if (!is_barestr(S(name)))
		WARN(FF_LOAD_INVALID_LIST_NAME, item,
		     "List has an invalid name. List names should match a regular expression: "
		     "([^()\"'[:space:]=,]+)");
	if ((rc = get_seq(r, item, "items", 0, &items, 0, NULL)))
		goto out;
	if ((rc = get_bool(r, item, "append", OPT, &append, NULL)))
		goto out;
	if (append)
		WARN(FF_LOAD_DEPRECATED_ITEM, item, "%s", k_warn_append);
	if ((rc = read_overrides(r, item, 1u << OV_ITEMS, 1u << OV_ITEMS, &app, &rep)))
		goto out;
	if (append && (app | rep)) {
		rc = YERR(item, "%s", k_err_override_append);
		goto out;
	}
	append |= (app >> OV_ITEMS) & 1;
	idx = nm_get(&rs->lmap, S(name));
	if (append) {
		struct ff_list *l;
		size_t i;

		if (idx < 0) {
			rc = VERR(item,
			          "List uses 'append' or 'override.items: append' but no list by "
			          "that name already exists");
			goto out;
		}
		l = rs->lists[idx];
		for (i = 0; i < items.n; i++)
			if (sv_push(&l->items, items.v[i]))
				rs->oom = 1;
		l->visibility = rs->cur_index++;
	} else if (idx >= 0) {
		struct ff_list *l = rs->lists[idx];

		sv_free(&l->items);
		l->items = items;
		memset(&items, 0, sizeof(items));
		l->visibility = rs->cur_index++;
		l->file = r->file;
		l->line = item->line;
		l->col = item->col;
	} else {
		struct ff_list *l = calloc(1, sizeof(*l));

		if (!l ||
		    grow(rs, (void **)&rs->lists, &rs->caplists, rs->nlists, sizeof(*rs->lists)) ||
		    nm_put(&rs->lmap, S(name), rs->nlists)) {
			free(l);
			rs->oom = 1;
			rc = -ENOMEM;
			goto out;
		}
		l->name = name;
		name = NULL;
		l->items = items;
		memset(&items, 0, sizeof(items));
		l->index = l->visibility = rs->cur_index++;
		l->file = r->file;
		l->line = item->line;
		l->col = item->col;
		rs->lists[rs->nlists++] = l;
		r->name = l->name;
	}
	warn_unknown_keys(r, item, keys, 4);
out:
	sv_free(&items);
	free(name);
	r->name = "";
	return rc;
}

static int read_macro(struct rd *r, const struct ff_yaml_node *item)
{
	static const char *const keys[] = { "macro", "condition", "append", "override" };
	struct ff_rules *rs = r->rs;
	char *name = NULL, *cond = NULL;
	unsigned app, rep;
	int rc, append = 0;
	long idx;

	r->kind = "macro";
	if ((rc = get_str(r, item, "macro", 0, &name, NULL)))
		goto out;
	r->name = S(name);
	if (!is_identifier(S(name)))
		WARN(FF_LOAD_INVALID_MACRO_NAME, item,
		     "Macro has an invalid name. Macro names should match a regular expression: "
		     "([a-zA-Z]+[a-zA-Z0-9_]*)");
	if ((rc = get_str(r, item, "condition", 0, &cond, NULL)))
		goto out;
	if ((rc = get_bool(r, item, "append", OPT, &append, NULL)))
		goto out;
	if (append)
		WARN(FF_LOAD_DEPRECATED_ITEM, item, "%s", k_warn_append);
	if ((rc = read_overrides(r, item, 1u << OV_CONDITION, 1u << OV_CONDITION, &app, &rep)))
		goto out;
	if (append && (app | rep)) {
		rc = YERR(item, "%s", k_err_override_append);
		goto out;
	}
	append |= (app >> OV_CONDITION) & 1;
	idx = nm_get(&rs->mmap, S(name));
	if (append) {
		if (idx < 0) {
			rc =
			    VERR(item, "Macro uses 'append' or 'override.condition: append' but no "
			               "macro by that name already exists");
			goto out;
		}
		/* Falco joins with one space even when the addition is empty */
		{
			struct ff_macro *m = rs->macros[idx];
			size_t a = strlen(S(m->cond)), b = strlen(S(cond));
			char *n = malloc(a + b + 2);

			if (!n) {
				rs->oom = 1;
				rc = -ENOMEM;
				goto out;
			}
			memcpy(n, S(m->cond), a);
			n[a] = ' ';
			memcpy(n + a + 1, S(cond), b + 1);
			free(m->cond);
			m->cond = n;
			m->visibility = rs->cur_index++;
		}
	} else if (idx >= 0) {
		struct ff_macro *m = rs->macros[idx];

		free(m->cond);
		m->cond = cond;
		cond = NULL;
		m->visibility = rs->cur_index++;
		m->file = r->file;
		m->line = item->line;
		m->col = item->col;
	} else {
		struct ff_macro *m = calloc(1, sizeof(*m));

		if (!m ||
		    grow(rs, (void **)&rs->macros, &rs->capmacros, rs->nmacros,
		         sizeof(*rs->macros)) ||
		    nm_put(&rs->mmap, S(name), rs->nmacros)) {
			free(m);
			rs->oom = 1;
			rc = -ENOMEM;
			goto out;
		}
		m->name = name;
		name = NULL;
		m->cond = cond;
		cond = NULL;
		m->index = m->visibility = rs->cur_index++;
		m->file = r->file;
		m->line = item->line;
		m->col = item->col;
		rs->macros[rs->nmacros++] = m;
		r->name = m->name;
	}
	warn_unknown_keys(r, item, keys, 4);
out:
	free(name);
	free(cond);
	r->name = "";
	return rc;
}

static int read_priority(struct rd *r, const struct ff_yaml_node *item, enum ff_priority *p)
{
	const struct ff_yaml_node *v;
	int rc = get_scalar(r, item, "priority", 0, &v);

	if (rc)
		return rc;
	if (ff_priority_parse(v->text, p))
		return YERR(v, "Invalid priority");
	return 0;
}

/* One half (append or replace) of an override item. */
static int read_update(struct rd *r, const struct ff_yaml_node *item, unsigned ops,
                       unsigned *expected, const char *optype, const char *source,
                       struct rule_upd *u)
{
	int id, rc;

	for (id = 0; id < OV_NKEYS; id++) {
		const char *k = k_ov_keys[id];

		if (!(ops >> id & 1))
			continue;
		if (!(*expected >> id & 1))
			return YERR(item,
			            "An %s override for '%s' was specified but '%s' is not "
			            "defined",
			            optype, k, k);
		*expected &= ~(1u << id);
		switch (id) {
		case OV_CONDITION:
			free(u->source);
			u->source = xstrdup(r->rs, source);
			rc = get_str(r, item, k, 0, &u->cond, &u->has_cond);
			break;
		case OV_EXCEPTIONS:
			rc = read_exceptions(r, item, !strcmp(optype, "append"), &u->exc, &u->nexc);
			u->has_exc = !rc;
			break;
		case OV_OUTPUT:
			rc = get_str(r, item, k, 0, &u->output, &u->has_output);
			break;
		case OV_DESC:
			rc = get_str(r, item, k, 0, &u->desc, &u->has_desc);
			break;
		case OV_TAGS:
			rc = get_seq(r, item, k, OPT, &u->tags, 1, NULL);
			u->has_tags = !rc;
			break;
		case OV_PRIORITY:
			rc = read_priority(r, item, &u->prio);
			u->has_prio = !rc;
			break;
		case OV_CAPTURE:
			rc = get_bool(r, item, k, 0, &u->capture, &u->has_capture);
			break;
		case OV_CAPTURE_DURATION:
			rc = get_u64(r, item, k, 0, &u->capdur, &u->has_capdur);
			break;
		case OV_ENABLED:
			rc = get_bool(r, item, k, 0, &u->enabled, &u->has_enabled);
			break;
		case OV_WARN_EVTTYPES:
			rc = get_bool(r, item, k, 0, &u->warn, &u->has_warn);
			break;
		case OV_SKIP:
			rc = get_bool(r, item, k, 0, &u->skip, &u->has_skip);
			break;
		default:
			rc = 0;
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int read_rule(struct rd *r, const struct ff_yaml_node *item)
{
	static const char *const keys[] = { "rule",
		                            "condition",
		                            "output",
		                            "desc",
		                            "priority",
		                            "source",
		                            "enabled",
		                            "capture",
		                            "capture_duration",
		                            "warn_evttypes",
		                            "skip-if-unknown-filter",
		                            "tags",
		                            "exceptions",
		                            "override",
		                            "append" };
	static const unsigned can_app = 1u << OV_CONDITION | 1u << OV_OUTPUT | 1u << OV_DESC |
	                                1u << OV_TAGS | 1u << OV_EXCEPTIONS;
	static const unsigned can_rep = can_app | 1u << OV_PRIORITY | 1u << OV_CAPTURE |
	                                1u << OV_CAPTURE_DURATION | 1u << OV_ENABLED |
	                                1u << OV_WARN_EVTTYPES | 1u << OV_SKIP;
	struct ff_rules *rs = r->rs;
	struct ff_rule nr = { 0 };
	struct rule_upd u = { 0 };
	char *name = NULL, *source = NULL;
	unsigned app, rep, expected = 0;
	int rc, append_flag = 0, id;

	r->kind = "rule";
	if ((rc = get_str(r, item, "rule", 0, &name, NULL)))
		goto out;
	r->name = S(name);
	if ((rc = get_str(r, item, "source", OPT | EMPTY_OK, &source, NULL)))
		goto out;
	if ((rc = get_bool(r, item, "append", OPT, &append_flag, NULL)))
		goto out;
	if (append_flag)
		WARN(FF_LOAD_DEPRECATED_ITEM, item, "%s", k_warn_append);
	if ((rc = read_overrides(r, item, can_app, can_rep, &app, &rep)))
		goto out;
	if (append_flag && (app | rep)) {
		rc = YERR(item, "%s", k_err_override_append);
		goto out;
	}
	if (app | rep) {
		for (id = 0; id < OV_NKEYS; id++)
			if (((can_app | can_rep) >> id & 1) && ff_yaml_get(item, k_ov_keys[id]))
				expected |= 1u << id;
		if (app) {
			if ((rc = read_update(r, item, app, &expected, "append", source, &u)) ||
			    (rc = collect_append(r, &u, item)))
				goto out;
			upd_free(&u);
		}
		if (rep) {
			if ((rc = read_update(r, item, rep, &expected, "replace", source, &u)) ||
			    (rc = collect_replace(r, &u, item)))
				goto out;
		}
		for (id = 0; id < OV_NKEYS; id++) {
			if (expected >> id & 1) {
				rc = YERR(ff_yaml_get(item, k_ov_keys[id]),
				          "Unexpected key '%s': no corresponding entry under "
				          "'override' is defined.",
				          k_ov_keys[id]);
				goto out;
			}
		}
	} else if (append_flag) {
		/* legacy append: only condition and exceptions count */
		u.source = xstrdup(rs, source);
		if (ff_yaml_get(item, "condition") &&
		    (rc = get_str(r, item, "condition", 0, &u.cond, &u.has_cond)))
			goto out;
		if (ff_yaml_get(item, "exceptions")) {
			if ((rc = read_exceptions(r, item, 1, &u.exc, &u.nexc)))
				goto out;
			u.has_exc = 1;
		}
		if ((rc = collect_append(r, &u, item)))
			goto out;
	} else if (!ff_yaml_get(item, "condition") && !ff_yaml_get(item, "output") &&
	           !ff_yaml_get(item, "desc") && !ff_yaml_get(item, "priority")) {
		struct ff_rule *prev;
		int en = 1;

		if ((rc = get_bool(r, item, "enabled", 0, &en, NULL)))
			goto out;
		WARN(FF_LOAD_DEPRECATED_ITEM, item, "%s", k_warn_enabled);
		prev = rule_lookup(rs, S(name));
		if (!prev) {
			rc = VERR(item,
			          "Rule has 'enabled' key but no rule by that name already exists");
			goto out;
		}
		prev->enabled = en;
	} else {
		const struct ff_yaml_node *cv;
		char *t;

		nr.enabled = 1;
		nr.warn_evttypes = 1;
		nr.name = xstrdup(rs, name);
		nr.file = r->file;
		nr.line = item->line;
		nr.col = item->col;
		if ((rc = get_str(r, item, "condition", 0, &nr.cond, NULL)))
			goto out;
		cv = ff_yaml_get(item, "condition");
		nr.cline = cv->line;
		nr.ccol = cv->col;
		if ((rc = get_str(r, item, "output", 0, &nr.output, NULL)) ||
		    (rc = get_str(r, item, "desc", 0, &nr.desc, NULL)) ||
		    (rc = read_priority(r, item, &nr.priority)))
			goto out;
		/* output is trimmed (blanks and newlines of block scalars) */
		if (nr.output) {
			t = nr.output + strlen(nr.output);
			while (t > nr.output && strchr(" \t\r\n", t[-1]))
				*--t = '\0';
			t = nr.output;
			while (*t && strchr(" \t\r\n", *t))
				t++;
			memmove(nr.output, t, strlen(t) + 1);
		}
		nr.source = xstrdup(rs, "syscall");
		if ((rc = get_str(r, item, "source", OPT, &nr.source, NULL)) ||
		    (rc = get_bool(r, item, "enabled", OPT, &nr.enabled, NULL)) ||
		    (rc = get_bool(r, item, "capture", OPT, &nr.capture, NULL)) ||
		    (rc = get_u64(r, item, "capture_duration", OPT, &nr.capture_duration, NULL)) ||
		    (rc = get_bool(r, item, "warn_evttypes", OPT, &nr.warn_evttypes, NULL)) ||
		    (rc = get_bool(r, item, "skip-if-unknown-filter", OPT, &nr.skip_unknown,
		                   NULL)) ||
		    (rc = get_seq(r, item, "tags", OPT, &nr.tags, 1, NULL)) ||
		    (rc = read_exceptions(r, item, 0, &nr.exc, &nr.nexc)))
			goto out;
		if ((rc = collect_rule(r, &nr, item)))
			goto out;
	}
	warn_unknown_keys(r, item, keys, sizeof(keys) / sizeof(keys[0]));
out:
	rule_clear(&nr);
	upd_free(&u);
	free(name);
	free(source);
	r->name = "";
	return rc;
}

static int read_item(struct rd *r, const struct ff_yaml_node *item)
{
	r->kind = "rules content item";
	r->name = "";
	if (item->type != FF_YAML_MAP)
		return YERR(item, "Unexpected element type. Each element should be a yaml "
		                  "associative array.");
	if (ff_yaml_get(item, "required_engine_version"))
		return read_engine_version(r, item);
	if (ff_yaml_get(item, "required_plugin_versions"))
		return read_plugin_versions(r, item);
	if (ff_yaml_get(item, "list"))
		return read_list(r, item);
	if (ff_yaml_get(item, "macro"))
		return read_macro(r, item);
	if (ff_yaml_get(item, "rule"))
		return read_rule(r, item);
	WARN(FF_LOAD_UNKNOWN_ITEM, item, "Unknown top level item");
	return 0;
}

/* ---- compile ---- */

static int is_list_delim_char(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' ||
	       c == ',' || c == '=';
}

/* Smallest index >= from of a list whose name occurs in `text` as a whole
 * delimiter-bounded word, or names with delimiter characters (checked by
 * the splice itself).  SIZE_MAX if none. */
static size_t next_list_candidate(const struct ff_rules *rs, const char *text, size_t from,
                                  const unsigned char *odd)
{
	size_t best = SIZE_MAX, i = 0, j;
	char word[256];

	while (text[i]) {
		if (is_list_delim_char(text[i])) {
			i++;
			continue;
		}
		j = i;
		while (text[j] && !is_list_delim_char(text[j]))
			j++;
		if (j - i < sizeof(word)) {
			long idx;

			memcpy(word, text + i, j - i);
			word[j - i] = '\0';
			idx = nm_get(&rs->lmap, word);
			if (idx >= 0 && (size_t)idx >= from && (size_t)idx < best)
				best = (size_t)idx;
		}
		i = j;
	}
	for (i = from; i < best && i < rs->nlists; i++)
		if (odd[i])
			return i;
	return best;
}

/* Splice every list into *text, in list order (Falco's loop over all lists). */
static int splice_lists(const struct ff_rules *rs, char **text, const unsigned char *odd,
                        unsigned char *used)
{
	size_t cur = 0, idx;
	int rc;

	while ((idx = next_list_candidate(rs, *text, cur, odd)) != SIZE_MAX) {
		const struct ff_list *l = rs->lists[idx];

		rc = cond_splice_list(text, S(l->name), &l->compiled);
		if (rc < 0)
			return rc;
		if (rc && used)
			used[idx] = 1;
		if (strlen(*text) > FF_RULES_MAX_EXPANDED)
			return -E2BIG;
		cur = idx + 1;
	}
	return 0;
}

struct xctx {
	const struct ff_rules *rs;
	struct cond_refs *refs; /* per macro, from its ltext */
	char **memo;            /* full-visibility expansions */
	unsigned char *state;   /* 0 idle, 1 on the stack, 2 done */
	unsigned char *mused;   /* macros expanded (may be NULL) */
	int depth;
	char msg[512];
	long off; /* offset in the text where the problem is, -1 */
	enum ff_rules_code code;
};

__attribute__((format(printf, 4, 5))) static int xfail(struct xctx *x, enum ff_rules_code code,
                                                       long off, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->msg, sizeof(x->msg), fmt, ap);
	va_end(ap);
	x->code = code;
	x->off = off;
	return -EINVAL;
}

static int expand_macro(struct xctx *x, size_t mi, const char **out);

/* Replace macro references in `text` (refs precomputed) by "(expansion)". */
static int expand_text(struct xctx *x, const char *text, const struct cond_refs *refs, char **out)
{
	struct sbuf b = { .max = FF_RULES_MAX_EXPANDED };
	size_t prev = 0, k;
	char name[256];
	int rc;

	*out = NULL;
	for (k = 0; k < refs->n; k++) {
		const struct cond_ref *rf = &refs->v[k];
		const char *sub = "";
		long mi;

		if (rf->len >= sizeof(name)) {
			mi = -1;
			name[0] = '\0';
		} else {
			memcpy(name, text + rf->off, rf->len);
			name[rf->len] = '\0';
			mi = nm_get(&x->rs->mmap, name);
		}
		if (mi < 0) {
			free(b.s);
			return xfail(x, FF_LOAD_ERR_VALIDATE, (long)rf->off,
			             "Undefined macro '%s' used in filter.", name);
		}
		if (x->mused)
			x->mused[mi] = 1;
		if ((rc = expand_macro(x, (size_t)mi, &sub))) {
			free(b.s);
			return rc;
		}
		sb_addn(&b, text + prev, rf->off - prev);
		sb_addc(&b, '(');
		sb_add(&b, sub);
		sb_addc(&b, ')');
		prev = rf->off + rf->len;
	}
	sb_add(&b, text + prev);
	if (b.over) {
		free(b.s);
		return xfail(x, FF_LOAD_ERR_COMPILE_CONDITION, -1,
		             "expanded condition is larger than %u bytes", FF_RULES_MAX_EXPANDED);
	}
	*out = sb_take(&b);
	return *out ? 0 : -ENOMEM;
}

static int expand_macro(struct xctx *x, size_t mi, const char **out)
{
	const struct ff_macro *m = x->rs->macros[mi];
	int rc;

	if (x->memo[mi]) {
		*out = x->memo[mi];
		return 0;
	}
	if (x->state[mi] == 1)
		return xfail(x, FF_LOAD_ERR_VALIDATE, -1, "reference loop in macro '%s'",
		             S(m->name));
	if (x->depth >= MACRO_MAX_DEPTH)
		return xfail(x, FF_LOAD_ERR_VALIDATE, -1,
		             "macro references nested too deeply (in macro '%s')", S(m->name));
	x->state[mi] = 1;
	x->depth++;
	rc = expand_text(x, S(m->ltext), &x->refs[mi], &x->memo[mi]);
	x->depth--;
	x->state[mi] = 0;
	if (!rc)
		*out = x->memo[mi];
	return rc;
}

/* Macro visibility check: every reference reachable from macro `mi` must be
 * defined before `vis` (its last definition/append). */
static int validate_macro(struct xctx *x, size_t mi, size_t vis, size_t top)
{
	const struct ff_macro *m = x->rs->macros[mi];
	const struct cond_refs *refs = &x->refs[mi];
	char name[256];
	size_t k;
	int rc;

	if (x->state[mi] == 2)
		return 0;
	if (x->state[mi] == 1)
		return xfail(x, FF_LOAD_ERR_VALIDATE, -1, "reference loop in macro '%s'",
		             S(m->name));
	if (x->depth >= MACRO_MAX_DEPTH)
		return xfail(x, FF_LOAD_ERR_VALIDATE, -1,
		             "macro references nested too deeply (in macro '%s')", S(m->name));
	x->state[mi] = 1;
	for (k = 0; k < refs->n; k++) {
		long j = -1;

		if (refs->v[k].len < sizeof(name)) {
			memcpy(name, S(m->ltext) + refs->v[k].off, refs->v[k].len);
			name[refs->v[k].len] = '\0';
			j = nm_get(&x->rs->mmap, name);
		} else {
			name[0] = '\0';
		}
		if (j < 0 || x->rs->macros[j]->index >= vis)
			return xfail(x, FF_LOAD_ERR_VALIDATE, mi == top ? (long)refs->v[k].off : -1,
			             "Undefined macro '%s' used in filter.", name);
		if (x->mused)
			x->mused[j] = 1;
		x->depth++;
		rc = validate_macro(x, (size_t)j, vis, top);
		x->depth--;
		if (rc)
			return rc;
	}
	x->state[mi] = 2;
	return 0;
}

static void xctx_free(struct xctx *x, size_t n)
{
	size_t i;

	for (i = 0; x->refs && i < n; i++)
		free(x->refs[i].v);
	for (i = 0; x->memo && i < n; i++)
		free(x->memo[i]);
	free(x->refs);
	free(x->memo);
	free(x->state);
	free(x->mused);
}

static int xctx_init(struct xctx *x, const struct ff_rules *rs, int track_used)
{
	size_t n = rs->nmacros ? rs->nmacros : 1;

	memset(x, 0, sizeof(*x));
	x->rs = rs;
	x->refs = calloc(n, sizeof(*x->refs));
	x->memo = calloc(n, sizeof(*x->memo));
	x->state = calloc(n, 1);
	x->mused = track_used ? calloc(n, 1) : NULL;
	if (!x->refs || !x->memo || !x->state || (track_used && !x->mused)) {
		xctx_free(x, 0);
		return -ENOMEM;
	}
	return 0;
}

static unsigned char *odd_lists(const struct ff_rules *rs)
{
	unsigned char *odd = calloc(rs->nlists ? rs->nlists : 1, 1);
	size_t i;

	for (i = 0; odd && i < rs->nlists; i++) {
		const char *p;

		for (p = S(rs->lists[i]->name); *p; p++)
			if (is_list_delim_char(*p))
				odd[i] = 1;
	}
	return odd;
}

static int cdiag(struct ff_rules *rs, enum ff_rules_code code, const char *file, unsigned line,
                 unsigned col, const char *kind, const char *name, long off, const char *msg)
{
	return add_diag(rs, file, code, line, col, kind, name, off, msg);
}

static const char *const k_deprecated_fields[] = { "evt.dir",           "evt.latency",
	                                           "evt.latency.s",     "evt.latency.ns",
	                                           "evt.latency.human", "evt.wait_latency" };

static int compile_rule(struct ff_rules *rs, struct ff_rule *ru, struct xctx *x,
                        const unsigned char *odd, unsigned char *lused)
{
	char msg[512], *text = NULL, *exp = NULL, *p;
	const char *emsg;
	size_t eoff, i;
	int rc;

	sv_free(&ru->exc_fields);
	free(ru->expanded);
	ru->expanded = NULL;
	ru->dropped = 0;
	/* like Falco, the condition is parenthesized only when exceptions exist */
	if (ru->nexc)
		rc = exc_build(S(ru->cond), ru->exc, ru->nexc, &ru->exc_fields, &text, msg,
		               sizeof(msg));
	else
		rc = (text = strdup(S(ru->cond))) ? 0 : -ENOMEM;
	if (rc == -EINVAL)
		return cdiag(rs, FF_LOAD_ERR_VALIDATE, ru->file, ru->line, ru->col, "rule",
		             ru->name, -1, msg);
	if (rc)
		return rc;
	/* exception fields are kept sorted, like Falco's std::set */
	for (i = 1; i < ru->exc_fields.n; i++) {
		size_t j = i;

		while (j && strcmp(ru->exc_fields.v[j - 1], ru->exc_fields.v[j]) > 0) {
			p = ru->exc_fields.v[j];
			ru->exc_fields.v[j] = ru->exc_fields.v[j - 1];
			ru->exc_fields.v[j - 1] = p;
			j--;
		}
	}
	/* %container.info is dropped from outputs (Falco 0.41+) */
	while (ru->output && (p = strstr(ru->output, "%container.info"))) {
		memmove(p, p + 15, strlen(p + 15) + 1);
		cdiag(rs, FF_LOAD_DEPRECATED_ITEM, ru->file, ru->line, ru->col, "rule", ru->name,
		      -1,
		      "%container.info is deprecated and no more useful, and will be dropped by "
		      "Falco 1.0.0. The container plugin will automatically add required fields to "
		      "the output message.");
	}
	if (rs->hooks.compile_output) {
		msg[0] = '\0';
		rc = rs->hooks.compile_output(rs->hooks.ctx, S(ru->output), msg, sizeof(msg));
		if (rc == FF_RULES_COMPILE_UNKNOWN && ru->skip_unknown) {
			cdiag(rs, FF_LOAD_UNKNOWN_FILTER, ru->file, ru->line, ru->col, "rule",
			      ru->name, -1, msg);
			ru->dropped = 1;
			free(text);
			return 0;
		}
		if (rc != FF_RULES_COMPILE_OK) {
			free(text);
			return cdiag(rs, FF_LOAD_ERR_COMPILE_OUTPUT, ru->file, ru->line, ru->col,
			             "rule", ru->name, -1, msg);
		}
	}
	for (i = 0; i < sizeof(k_deprecated_fields) / sizeof(k_deprecated_fields[0]); i++) {
		if (strstr(S(ru->output), k_deprecated_fields[i])) {
			snprintf(
			    msg, sizeof(msg),
			    "usage of deprecated field '%s' has been detected in the rule output",
			    k_deprecated_fields[i]);
			cdiag(rs, FF_LOAD_DEPRECATED_ITEM, ru->file, ru->line, ru->col, "rule",
			      ru->name, -1, msg);
		}
	}
	rc = splice_lists(rs, &text, odd, lused);
	if (rc == -E2BIG) {
		free(text);
		return cdiag(rs, FF_LOAD_ERR_COMPILE_CONDITION, ru->file, ru->cline, ru->ccol,
		             "rule", ru->name, -1, "condition too large after list substitution");
	}
	if (rc)
		goto out;
	{
		struct cond_refs refs = { 0 };

		rc = cond_scan(text, &refs, &emsg, &eoff);
		if (rc == -EINVAL) {
			free(refs.v);
			free(text);
			return cdiag(rs, FF_LOAD_ERR_COMPILE_CONDITION, ru->file, ru->cline,
			             ru->ccol, "rule", ru->name, (long)eoff, emsg);
		}
		if (!rc)
			rc = expand_text(x, text, &refs, &exp);
		free(refs.v);
	}
	if (rc == -EINVAL) {
		free(text);
		return cdiag(rs, x->code, ru->file, ru->cline, ru->ccol, "rule", ru->name, x->off,
		             x->msg);
	}
	if (rc)
		goto out;
	if (rs->hooks.compile_condition) {
		long off = -1;

		msg[0] = '\0';
		rc = rs->hooks.compile_condition(rs->hooks.ctx, exp, msg, sizeof(msg), &off);
		if (rc == FF_RULES_COMPILE_UNKNOWN && ru->skip_unknown) {
			cdiag(rs, FF_LOAD_UNKNOWN_FILTER, ru->file, ru->cline, ru->ccol, "rule",
			      ru->name, off, msg);
			ru->dropped = 1;
		} else if (rc != FF_RULES_COMPILE_OK) {
			free(text);
			free(exp);
			return cdiag(rs, FF_LOAD_ERR_COMPILE_CONDITION, ru->file, ru->cline,
			             ru->ccol, "rule", ru->name, off, msg);
		}
		rc = 0;
		/* an empty set is a condition that can never hold, not a slow one */
		long nt = !ru->dropped && ru->warn_evttypes && rs->hooks.condition_evttypes
		              ? rs->hooks.condition_evttypes(rs->hooks.ctx, exp)
		              : 0;
		if (nt > 100) {
			snprintf(msg, sizeof(msg),
			         "the condition admits %ld event types: every event is tested "
			         "against this rule, which slows evaluation down",
			         nt);
			cdiag(rs, FF_LOAD_NO_EVTTYPE, ru->file, ru->cline, ru->ccol, "rule",
			      ru->name, -1, msg);
		}
	}
	ru->expanded = exp;
	exp = NULL;
out:
	free(text);
	free(exp);
	return rc;
}

/* Steps 2-5 of Falco's pipeline over everything collected so far. */
static int compile_all(struct ff_rules *rs)
{
	unsigned char *odd = NULL, *lused = NULL;
	struct xctx x;
	size_t i, j;
	int rc = 0;

	if (xctx_init(&x, rs, 1))
		return -ENOMEM;
	odd = odd_lists(rs);
	lused = calloc(rs->nlists ? rs->nlists : 1, 1);
	if (!odd || !lused) {
		rc = -ENOMEM;
		goto out;
	}
	/* lists: one level of nesting, only lists defined before */
	for (i = 0; i < rs->nlists; i++) {
		struct ff_list *l = rs->lists[i];

		sv_free(&l->compiled);
		for (j = 0; j < l->items.n; j++) {
			long ri = nm_get(&rs->lmap, l->items.v[j]);
			size_t k;

			if (ri >= 0 && rs->lists[ri]->index < l->visibility) {
				lused[ri] = 1;
				for (k = 0; k < rs->lists[ri]->items.n; k++)
					if (sv_push(&l->compiled, rs->lists[ri]->items.v[k]))
						rs->oom = 1;
			} else if (sv_push(&l->compiled, l->items.v[j])) {
				rs->oom = 1;
			}
		}
	}
	/* macros: lists spliced, parsed, then visibility-checked */
	for (i = 0; i < rs->nmacros; i++) {
		struct ff_macro *m = rs->macros[i];
		const char *emsg;
		size_t eoff;

		free(m->ltext);
		m->ltext = xstrdup(rs, m->cond);
		if (!m->ltext) {
			rc = -ENOMEM;
			goto out;
		}
		rc = splice_lists(rs, &m->ltext, odd, lused);
		if (rc == -E2BIG) {
			rc = cdiag(rs, FF_LOAD_ERR_COMPILE_CONDITION, m->file, m->line, m->col,
			           "macro", m->name, -1,
			           "condition too large after list substitution");
			goto out;
		}
		if (rc)
			goto out;
		rc = cond_scan(m->ltext, &x.refs[i], &emsg, &eoff);
		if (rc == -EINVAL) {
			rc = cdiag(rs, FF_LOAD_ERR_COMPILE_CONDITION, m->file, m->line, m->col,
			           "macro", m->name, (long)eoff, emsg);
			goto out;
		}
		if (rc)
			goto out;
	}
	for (i = 0; i < rs->nmacros; i++) {
		struct ff_macro *m = rs->macros[i];

		memset(x.state, 0, rs->nmacros);
		x.depth = 0;
		rc = validate_macro(&x, i, m->visibility, i);
		if (rc == -EINVAL) {
			rc = cdiag(rs, x.code, m->file, m->line, m->col, "macro", m->name, x.off,
			           x.msg);
			goto out;
		}
		if (rc)
			goto out;
	}
	memset(x.state, 0, rs->nmacros);
	/* rules, in order; unknown sources were warned about when collected */
	rs->nview = 0;
	free(rs->view);
	rs->view = calloc(rs->nrules ? rs->nrules : 1, sizeof(*rs->view));
	if (!rs->view) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < rs->nrules; i++) {
		struct ff_rule *ru = rs->rules[i];

		if (ru->unknown_source)
			continue;
		x.depth = 0;
		rc = compile_rule(rs, ru, &x, odd, lused);
		if (rc)
			goto out;
		if (!ru->dropped)
			rs->view[rs->nview++] = ru;
	}
	for (i = 0; i < rs->nmacros; i++) {
		struct ff_macro *m = rs->macros[i];

		m->used = x.mused[i];
		if (!m->used)
			cdiag(rs, FF_LOAD_UNUSED_MACRO, m->file, m->line, m->col, "macro", m->name,
			      -1, "Macro not referred to by any other rule/macro");
	}
	for (i = 0; i < rs->nlists; i++) {
		struct ff_list *l = rs->lists[i];

		l->used = lused[i];
		if (!l->used)
			cdiag(rs, FF_LOAD_UNUSED_LIST, l->file, l->line, l->col, "list", l->name,
			      -1, "List not referred to by any other rule/macro");
	}
out:
	xctx_free(&x, rs->nmacros);
	free(odd);
	free(lused);
	return rc;
}

/* ---- public API ---- */

struct ff_rules *ff_rules_new(void)
{
	struct ff_rules *rs = calloc(1, sizeof(*rs));

	if (!rs) {
		errno = ENOMEM;
		return NULL;
	}
	rs->min_prio = FF_PRIO_DEBUG;
	return rs;
}

void ff_rules_free(struct ff_rules *rs)
{
	size_t i, j;

	if (!rs)
		return;
	for (i = 0; i < rs->ndiags; i++) {
		free((char *)rs->diags[i].item_kind);
		free((char *)rs->diags[i].item_name);
		free((char *)rs->diags[i].message);
	}
	free(rs->diags);
	for (i = 0; i < rs->nlists; i++) {
		free(rs->lists[i]->name);
		sv_free(&rs->lists[i]->items);
		sv_free(&rs->lists[i]->compiled);
		free(rs->lists[i]);
	}
	free(rs->lists);
	for (i = 0; i < rs->nmacros; i++) {
		free(rs->macros[i]->name);
		free(rs->macros[i]->cond);
		free(rs->macros[i]->ltext);
		free(rs->macros[i]);
	}
	free(rs->macros);
	for (i = 0; i < rs->nrules; i++)
		rule_free(rs->rules[i]);
	free(rs->rules);
	free(rs->view);
	for (i = 0; i < rs->npreqs; i++) {
		for (j = 0; j < rs->preqs[i].n; j++) {
			free(rs->preqs[i].alts[j].name);
			free(rs->preqs[i].alts[j].version);
		}
		free(rs->preqs[i].alts);
	}
	free(rs->preqs);
	nm_free(&rs->lmap);
	nm_free(&rs->mmap);
	nm_free(&rs->rmap);
	sv_free(&rs->files);
	free(rs);
}

int ff_rules_set_hooks(struct ff_rules *rs, const struct ff_rules_hooks *hooks)
{
	if (!rs || !hooks || hooks->sz < offsetof(struct ff_rules_hooks, compile_condition))
		return -EINVAL;
	memset(&rs->hooks, 0, sizeof(rs->hooks));
	memcpy(&rs->hooks, hooks, hooks->sz < sizeof(*hooks) ? hooks->sz : sizeof(*hooks));
	rs->hooks.sz = sizeof(rs->hooks);
	return 0;
}

/* First error diagnostic from index `from` into err->msg. */
static int report_error(struct ff_rules *rs, size_t from, struct ff_err *err)
{
	size_t i;

	for (i = from; i < rs->ndiags; i++) {
		const struct ff_rules_diag *d = &rs->diags[i];

		if (ff_rules_code_is_error(d->code))
			return ff_errf(err, -EINVAL, "%s:%u:%u: %s: %s", S(d->file), d->line,
			               d->col, ff_rules_code_name(d->code), S(d->message));
	}
	return ff_errf(err, -EINVAL, "rules invalid");
}

int ff_rules_load_buf(struct ff_rules *rs, const char *name, const char *buf, size_t len,
                      struct ff_err *err)
{
	struct ff_yaml_limits lim = { .max_input = FF_RULES_MAX_FILE };
	struct ff_yaml *y = NULL;
	struct ff_err yerr = { 0 };
	struct rd r = { 0 };
	size_t first = rs->ndiags, d, i;
	unsigned line, col;
	int rc;

	if (rs->failed)
		return ff_errf(err, -ECANCELED, "%s: not loaded: an earlier rules file failed",
		               S(name));
	if (sv_push(&rs->files, S(name)))
		return ff_errf(err, -ENOMEM, "out of memory");
	r.rs = rs;
	r.file = rs->files.v[rs->files.n - 1];
	r.kind = "";
	r.name = "";
	rc = ff_yaml_parse(buf, len, &lim, &y, &line, &col, &yerr);
	if (rc == -ENOMEM) {
		rs->failed = 1;
		return ff_errf(err, -ENOMEM, "%s: out of memory", S(name));
	}
	if (rc) {
		add_diag(rs, r.file, FF_LOAD_ERR_YAML_PARSE, line, col, "", "", -1, yerr.msg);
		rs->failed = 1;
		return report_error(rs, first, err);
	}
	rc = 0;
	for (d = 0; d < ff_yaml_ndocs(y) && !rc; d++) {
		const struct ff_yaml_node *doc = ff_yaml_doc(y, d);

		if (doc->type == FF_YAML_NULL)
			continue;
		if (doc->type == FF_YAML_SCALAR) {
			rc = add_diag(rs, r.file, FF_LOAD_ERR_YAML_VALIDATE, doc->line, doc->col,
			              "", "", -1, "Rules content is not yaml");
			break;
		}
		if (doc->type == FF_YAML_MAP) {
			rc = add_diag(rs, r.file, FF_LOAD_ERR_YAML_VALIDATE, doc->line, doc->col,
			              "", "", -1, "Rules content is not yaml array of objects");
			break;
		}
		ff_rules_schema_check(rs, r.file, doc);
		for (i = 0; i < doc->n && !rc; i++) {
			if (doc->items[i]->type == FF_YAML_NULL)
				continue;
			rc = read_item(&r, doc->items[i]);
			if (rs->oom)
				rc = -ENOMEM;
		}
	}
	ff_yaml_free(y);
	if (!rc)
		rc = compile_all(rs);
	if (rs->oom || rc == -ENOMEM) {
		rs->failed = 1;
		return ff_errf(err, -ENOMEM, "%s: out of memory", S(name));
	}
	if (rc || ff_rules_nerrors(rs, r.file)) {
		rs->failed = 1;
		return report_error(rs, first, err);
	}
	return 0;
}

int ff_rules_load_file(struct ff_rules *rs, const char *path, struct ff_err *err)
{
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc, e;

	if (rs->failed)
		return ff_errf(err, -ECANCELED, "%s: not loaded: an earlier rules file failed",
		               path);
	f = fopen(path, "rb");
	if (!f) {
		e = errno ? errno : EIO;
		goto read_fail;
	}
	for (;;) {
		if (len == cap) {
			char *nb;

			if (cap >= FF_RULES_MAX_FILE) {
				fclose(f);
				free(buf);
				e = EFBIG;
				goto read_fail;
			}
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				fclose(f);
				free(buf);
				return ff_errf(err, -ENOMEM, "%s: out of memory", path);
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	e = ferror(f) ? EIO : 0;
	fclose(f);
	if (e) {
		free(buf);
		goto read_fail;
	}
	rc = ff_rules_load_buf(rs, path, buf ? buf : "", len, err);
	free(buf);
	return rc;
read_fail:
	if (sv_push(&rs->files, path))
		return ff_errf(err, -ENOMEM, "out of memory");
	{
		char msg[600];

		snprintf(msg, sizeof(msg), "Could not read rules file %s: %s", path,
		         e == EFBIG ? "file larger than 8 MiB" : strerror(e));
		add_diag(rs, rs->files.v[rs->files.n - 1], FF_LOAD_ERR_FILE_READ, 0, 0, "", "", -1,
		         msg);
		rs->failed = 1;
		return ff_errf(err, -e, "%s", msg);
	}
}

size_t ff_rules_diag_count(const struct ff_rules *rs)
{
	return rs->ndiags;
}

const struct ff_rules_diag *ff_rules_diag_get(const struct ff_rules *rs, size_t i)
{
	return i < rs->ndiags ? &rs->diags[i] : NULL;
}

static size_t count_diags(const struct ff_rules *rs, const char *file, int errors)
{
	size_t i, n = 0;

	for (i = 0; i < rs->ndiags; i++)
		if (ff_rules_code_is_error(rs->diags[i].code) == errors &&
		    (!file || !strcmp(S(rs->diags[i].file), file)))
			n++;
	return n;
}

size_t ff_rules_nerrors(const struct ff_rules *rs, const char *file)
{
	return count_diags(rs, file, 1);
}

size_t ff_rules_nwarnings(const struct ff_rules *rs, const char *file)
{
	size_t n = count_diags(rs, file, 0);
	for (size_t i = 0; i < rs->ndiags; i++)
		if (rs->diags[i].code == FF_LOAD_SCHEMA &&
		    (!file || !strcmp(S(rs->diags[i].file), file)))
			n--;
	return n;
}

void ff_rules_add_diag(struct ff_rules *rs, const char *file, enum ff_rules_code code,
                       unsigned line, unsigned col, const char *kind, const char *name,
                       const char *msg)
{
	add_diag(rs, file, code, line, col, kind, name, -1, msg);
}

const char *ff_rules_required_engine_version(const struct ff_rules *rs)
{
	return rs->req_ver_str;
}

size_t ff_rules_plugin_req_count(const struct ff_rules *rs)
{
	return rs->npreqs;
}

size_t ff_rules_plugin_req_alts(const struct ff_rules *rs, size_t i)
{
	return i < rs->npreqs ? rs->preqs[i].n : 0;
}

int ff_rules_plugin_req_get(const struct ff_rules *rs, size_t i, size_t alt, const char **name,
                            const char **version)
{
	if (i >= rs->npreqs || alt >= rs->preqs[i].n)
		return -ENOENT;
	*name = S(rs->preqs[i].alts[alt].name);
	*version = S(rs->preqs[i].alts[alt].version);
	return 0;
}

size_t ff_rules_count(const struct ff_rules *rs)
{
	return rs->nview;
}

const struct ff_rule *ff_rules_get(const struct ff_rules *rs, size_t i)
{
	return i < rs->nview ? rs->view[i] : NULL;
}

const struct ff_rule *ff_rules_find(const struct ff_rules *rs, const char *name)
{
	size_t i;

	for (i = 0; i < rs->nview; i++)
		if (!strcmp(S(rs->view[i]->name), name))
			return rs->view[i];
	return NULL;
}

size_t ff_rules_skipped(const struct ff_rules *rs)
{
	return rs->nrules - rs->nview;
}

const char *ff_rule_name(const struct ff_rule *r)
{
	return S(r->name);
}

const char *ff_rule_condition(const struct ff_rule *r)
{
	return S(r->cond);
}

const char *ff_rule_expanded(const struct ff_rule *r)
{
	return S(r->expanded);
}

const char *ff_rule_output(const struct ff_rule *r)
{
	return S(r->output);
}

const char *ff_rule_desc(const struct ff_rule *r)
{
	return S(r->desc);
}

const char *ff_rule_source(const struct ff_rule *r)
{
	return S(r->source);
}

enum ff_priority ff_rule_priority(const struct ff_rule *r)
{
	return r->priority;
}

size_t ff_rule_tag_count(const struct ff_rule *r)
{
	return r->tags.n;
}

const char *ff_rule_tag(const struct ff_rule *r, size_t i)
{
	return i < r->tags.n ? r->tags.v[i] : NULL;
}

int ff_rule_has_tag(const struct ff_rule *r, const char *tag)
{
	size_t i;

	for (i = 0; i < r->tags.n; i++)
		if (!strcmp(r->tags.v[i], tag))
			return 1;
	return 0;
}

int ff_rule_enabled(const struct ff_rule *r)
{
	return r->enabled;
}

int ff_rule_active(const struct ff_rules *rs, const struct ff_rule *r)
{
	return r->enabled && r->priority <= rs->min_prio;
}

int ff_rule_capture(const struct ff_rule *r)
{
	return r->capture;
}

uint64_t ff_rule_capture_duration(const struct ff_rule *r)
{
	return r->capture_duration;
}

int ff_rule_warn_evttypes(const struct ff_rule *r)
{
	return r->warn_evttypes;
}

int ff_rule_skip_if_unknown_filter(const struct ff_rule *r)
{
	return r->skip_unknown;
}

const char *ff_rule_file(const struct ff_rule *r)
{
	return S(r->file);
}

unsigned ff_rule_line(const struct ff_rule *r)
{
	return r->line;
}

size_t ff_rule_exception_count(const struct ff_rule *r)
{
	return r->nexc;
}

const char *ff_rule_exception_name(const struct ff_rule *r, size_t i)
{
	return i < r->nexc ? S(r->exc[i].name) : NULL;
}

size_t ff_rule_exception_field_count(const struct ff_rule *r)
{
	return r->exc_fields.n;
}

const char *ff_rule_exception_field(const struct ff_rule *r, size_t i)
{
	return i < r->exc_fields.n ? r->exc_fields.v[i] : NULL;
}

int ff_rules_wildcard_match(const char *p, const char *s)
{
	const char *star = NULL, *mark = NULL;

	/* greedy with backtracking to the last '*' */
	while (*s) {
		if (*p == '*') {
			star = p++;
			mark = s;
		} else if (*p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star + 1;
			s = ++mark;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return *p == '\0';
}

size_t ff_rules_enable(struct ff_rules *rs, enum ff_rules_match how, const char *pattern,
                       int enabled)
{
	size_t i, n = 0;

	for (i = 0; i < rs->nview; i++) {
		struct ff_rule *r = rs->view[i];
		int m;

		switch (how) {
		case FF_RULES_MATCH_EXACT:
			m = !strcmp(S(r->name), pattern);
			break;
		case FF_RULES_MATCH_SUBSTRING:
			m = strstr(S(r->name), pattern) != NULL;
			break;
		case FF_RULES_MATCH_WILDCARD:
			m = ff_rules_wildcard_match(pattern, S(r->name));
			break;
		case FF_RULES_MATCH_TAG:
			m = ff_rule_has_tag(r, pattern);
			break;
		default:
			m = 0;
		}
		if (m) {
			r->enabled = !!enabled;
			n++;
		}
	}
	return n;
}

void ff_rules_set_min_priority(struct ff_rules *rs, enum ff_priority p)
{
	rs->min_prio = p;
}

enum ff_priority ff_rules_min_priority(const struct ff_rules *rs)
{
	return rs->min_prio;
}

size_t ff_rules_macro_count(const struct ff_rules *rs)
{
	return rs->nmacros;
}

const char *ff_rules_macro_name(const struct ff_rules *rs, size_t i)
{
	return i < rs->nmacros ? S(rs->macros[i]->name) : NULL;
}

const char *ff_rules_macro_condition(const struct ff_rules *rs, size_t i)
{
	return i < rs->nmacros ? S(rs->macros[i]->cond) : NULL;
}

int ff_rules_macro_used(const struct ff_rules *rs, size_t i)
{
	return i < rs->nmacros ? rs->macros[i]->used : 0;
}

size_t ff_rules_list_count(const struct ff_rules *rs)
{
	return rs->nlists;
}

const char *ff_rules_list_name(const struct ff_rules *rs, size_t i)
{
	return i < rs->nlists ? S(rs->lists[i]->name) : NULL;
}

size_t ff_rules_list_item_count(const struct ff_rules *rs, size_t i)
{
	return i < rs->nlists ? rs->lists[i]->compiled.n : 0;
}

const char *ff_rules_list_item(const struct ff_rules *rs, size_t i, size_t j)
{
	if (i >= rs->nlists || j >= rs->lists[i]->compiled.n)
		return NULL;
	return rs->lists[i]->compiled.v[j];
}

int ff_rules_list_used(const struct ff_rules *rs, size_t i)
{
	return i < rs->nlists ? rs->lists[i]->used : 0;
}

int ff_rules_expand(const struct ff_rules *rs, const char *cond, char **out, struct ff_err *err)
{
	struct cond_refs refs = { 0 };
	unsigned char *odd;
	struct xctx x;
	const char *emsg;
	char *text;
	size_t eoff, i;
	int rc;

	*out = NULL;
	text = strdup(cond);
	odd = odd_lists(rs);
	if (!text || !odd || xctx_init(&x, rs, 0)) {
		free(text);
		free(odd);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	rc = splice_lists(rs, &text, odd, NULL);
	if (rc == -E2BIG) {
		rc = ff_errf(err, -EINVAL, "condition too large after list substitution");
		goto out;
	}
	if (rc) {
		rc = ff_errf(err, rc, "out of memory");
		goto out;
	}
	/* macro texts are only known after a successful compile */
	for (i = 0; i < rs->nmacros; i++) {
		if (!rs->macros[i]->ltext ||
		    cond_scan(rs->macros[i]->ltext, &x.refs[i], &emsg, &eoff)) {
			rc = ff_errf(err, -EINVAL, "macro '%s' is not compiled",
			             S(rs->macros[i]->name));
			goto out;
		}
	}
	rc = cond_scan(text, &refs, &emsg, &eoff);
	if (rc == -EINVAL) {
		rc = ff_errf(err, -EINVAL, "%s (at offset %zu)", emsg, eoff);
		goto out;
	}
	if (!rc)
		rc = expand_text(&x, text, &refs, out);
	if (rc == -EINVAL)
		rc = ff_errf(err, -EINVAL, "%s", x.msg);
	else if (rc)
		rc = ff_errf(err, rc, "out of memory");
out:
	free(refs.v);
	free(text);
	free(odd);
	xctx_free(&x, rs->nmacros);
	return rc;
}
