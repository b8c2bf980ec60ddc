/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Falco's schema check of a rules document (its "Schema warnings"): the
 * shape each item's keys should have — known keys only, booleans written
 * true/false, integers, the upper-case priority names, override operations,
 * exception and plugin requirement objects.  Falco reports these apart from
 * its load result and loads the file all the same; so do we, as
 * FF_LOAD_SCHEMA diagnostics that no status counts.  Behaviour learnt from
 * Falco 0.45's -V on small files: scalars stand for strings whatever they
 * look like (null included), a boolean is the text true or false, an integer
 * an optional minus and digits; the elements of tags and items are not
 * looked at.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ff_rules_int.h"
#include "ff_yaml.h"

struct sc {
	struct ff_rules *rs;
	const char *file;
	const char *kind, *name;
};

__attribute__((format(printf, 3, 4))) static void warn(struct sc *c, const struct ff_yaml_node *at,
                                                       const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ff_rules_add_diag(c->rs, c->file, FF_LOAD_SCHEMA, at->line, at->col, c->kind, c->name, msg);
}

enum stype {
	T_STRING,
	T_BOOL,
	T_INT,
	T_PRIORITY,
	T_ITEMS,
	T_TAGS,
	T_EXCEPTIONS,
	T_OVERRIDE,
	T_PLUGINS
};

static const struct {
	const char *key;
	enum stype type;
} props[] = {
	{ "required_engine_version", T_STRING },
	{ "required_plugin_versions", T_PLUGINS },
	{ "macro", T_STRING },
	{ "condition", T_STRING },
	{ "list", T_STRING },
	{ "items", T_ITEMS },
	{ "rule", T_STRING },
	{ "desc", T_STRING },
	{ "enabled", T_BOOL },
	{ "output", T_STRING },
	{ "append", T_BOOL },
	{ "priority", T_PRIORITY },
	{ "capture", T_BOOL },
	{ "capture_duration", T_INT },
	{ "source", T_STRING },
	{ "exceptions", T_EXCEPTIONS },
	{ "override", T_OVERRIDE },
	{ "tags", T_TAGS },
	{ "warn_evttypes", T_BOOL },
	{ "skip-if-unknown-filter", T_BOOL },
};

static int is_scalar(const struct ff_yaml_node *v)
{
	return v->type == FF_YAML_SCALAR || v->type == FF_YAML_NULL;
}

static int is_int(const struct ff_yaml_node *v)
{
	const char *s = v->text;
	if (v->type != FF_YAML_SCALAR)
		return 0;
	if (*s == '-')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* keys of a mapping among `allowed` (NULL-terminated); required ones present */
static void check_object(struct sc *c, const struct ff_yaml_node *m, const char *what,
                         const char *const *allowed, const char *const *required)
{
	if (m->type != FF_YAML_MAP) {
		warn(c, m, "%s is not an object", what);
		return;
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct ff_yaml_node *k = m->items[2 * i];
		int ok = 0;
		for (size_t a = 0; allowed[a] && !ok; a++)
			ok = k->type == FF_YAML_SCALAR && !strcmp(k->text, allowed[a]);
		if (!ok)
			warn(c, k, "%s has a property the schema does not know: '%s'", what,
			     k->text);
	}
	for (size_t r = 0; required && required[r]; r++)
		if (!ff_yaml_get(m, required[r]))
			warn(c, m, "%s misses the required property '%s'", what, required[r]);
}

static void check_value(struct sc *c, const char *key, enum stype t, const struct ff_yaml_node *v)
{
	static const char *const prios[] = { "EMERGENCY", "ALERT",         "CRITICAL",
		                             "ERROR",     "WARNING",       "NOTICE",
		                             "INFO",      "INFORMATIONAL", "DEBUG" };
	static const char *const exc_keys[] = { "name", "fields", "comps", "values", NULL };
	static const char *const exc_req[] = { "name", NULL };
	static const char *const plug_keys[] = { "name", "version", "alternatives", NULL };
	static const char *const alt_keys[] = { "name", "version", NULL };
	static const char *const nv_req[] = { "name", "version", NULL };
	static const char *const ov_keys[] = {
		"items",      "desc",          "condition",
		"output",     "priority",      "enabled",
		"exceptions", "capture",       "capture_duration",
		"tags",       "warn_evttypes", "skip-if-unknown-filter",
		NULL
	};
	switch (t) {
	case T_STRING:
		if (!is_scalar(v))
			warn(c, v, "'%s' is not a string", key);
		return;
	case T_BOOL:
		if (v->type != FF_YAML_SCALAR ||
		    (strcmp(v->text, "true") && strcmp(v->text, "false")))
			warn(c, v, "'%s' is not a boolean (true or false)", key);
		return;
	case T_INT:
		if (!is_int(v))
			warn(c, v, "'%s' is not an integer", key);
		return;
	case T_PRIORITY:
		for (size_t i = 0; i < sizeof(prios) / sizeof(prios[0]); i++)
			if (v->type == FF_YAML_SCALAR && !strcmp(v->text, prios[i]))
				return;
		warn(c, v,
		     "priority '%s' is none of EMERGENCY, ALERT, CRITICAL, ERROR, WARNING, NOTICE, "
		     "INFO, INFORMATIONAL, DEBUG",
		     is_scalar(v) ? v->text : "");
		return;
	case T_ITEMS:
	case T_TAGS:
		if (v->type != FF_YAML_SEQ)
			warn(c, v, "'%s' is not an array", key);
		return;
	case T_EXCEPTIONS:
		if (v->type != FF_YAML_SEQ) {
			warn(c, v, "'%s' is not an array", key);
			return;
		}
		for (size_t i = 0; i < v->n; i++)
			check_object(c, v->items[i], "an exception", exc_keys, exc_req);
		return;
	case T_OVERRIDE:
		if (v->type != FF_YAML_MAP) {
			warn(c, v, "'override' is not an object");
			return;
		}
		if (!v->n)
			warn(c, v, "'override' names no key");
		for (size_t i = 0; i < v->n; i++) {
			const struct ff_yaml_node *k = v->items[2 * i], *op = v->items[2 * i + 1];
			int known = 0;
			for (size_t p = 0; ov_keys[p] && !known; p++)
				known = k->type == FF_YAML_SCALAR && !strcmp(k->text, ov_keys[p]);
			if (!known)
				warn(c, k,
				     "'override' has a property the schema does not know: '%s'",
				     k->text);
			else if (op->type != FF_YAML_SCALAR ||
			         (strcmp(op->text, "append") && strcmp(op->text, "replace")))
				warn(c, op, "override of '%s' is neither append nor replace",
				     k->text);
		}
		return;
	case T_PLUGINS:
		if (v->type != FF_YAML_SEQ) {
			warn(c, v, "'%s' is not an array", key);
			return;
		}
		for (size_t i = 0; i < v->n; i++) {
			const struct ff_yaml_node *p = v->items[i], *alts;
			check_object(c, p, "a plugin requirement", plug_keys, nv_req);
			if (p->type != FF_YAML_MAP || !(alts = ff_yaml_get(p, "alternatives")))
				continue;
			if (alts->type != FF_YAML_SEQ) {
				warn(c, alts, "'alternatives' is not an array");
				continue;
			}
			for (size_t a = 0; a < alts->n; a++)
				check_object(c, alts->items[a], "an alternative", alt_keys, nv_req);
		}
		return;
	}
}

void ff_rules_schema_check(struct ff_rules *rs, const char *file, const struct ff_yaml_node *doc)
{
	struct sc c = { .rs = rs, .file = file };
	if (doc->type != FF_YAML_SEQ)
		return;
	for (size_t i = 0; i < doc->n; i++) {
		const struct ff_yaml_node *item = doc->items[i], *nm;
		if (item->type != FF_YAML_MAP)
			continue;
		c.kind = "rules content item";
		c.name = "";
		static const char *const kinds[] = { "rule", "macro", "list" };
		for (size_t k = 0; k < 3; k++)
			if ((nm = ff_yaml_get(item, kinds[k])) && nm->type == FF_YAML_SCALAR) {
				c.kind = kinds[k];
				c.name = nm->text;
				break;
			}
		for (size_t j = 0; j < item->n; j++) {
			const struct ff_yaml_node *k = item->items[2 * j],
			                          *v = item->items[2 * j + 1];
			size_t p = 0;
			while (p < sizeof(props) / sizeof(props[0]) &&
			       (k->type != FF_YAML_SCALAR || strcmp(k->text, props[p].key)))
				p++;
			if (p == sizeof(props) / sizeof(props[0]))
				warn(&c, k, "the schema knows no property '%s'", k->text);
			else
				check_value(&c, props[p].key, props[p].type, v);
		}
	}
}
