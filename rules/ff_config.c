/* SPDX-License-Identifier: Apache-2.0 */
/* falco.yaml-like configuration (ff_config.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "ff_config.h"
#include "ff_num.h"

#define MAX_DEPTH 32
#define MAX_KEY 256

int ff_config_init(struct ff_config *c)
{
	memset(c, 0, sizeof(*c));
	c->priority = FF_PRIO_DEBUG;
	c->json_include_output_property = 1;
	c->json_include_output_fields_property = 1;
	c->json_include_tags_property = 1;
	c->container_suffix = 1;
	c->stdout_enabled = 1;
	c->http_retries = 3;
	c->http_queue = 1000;
	c->outputs_max_burst = 1000;
	/* falco.yaml's default: the fields the container plugin suggests */
	if (!(c->append = calloc(1, sizeof(*c->append))))
		return -ENOMEM;
	c->append[0].suggested_output = 1;
	c->nappend = 1;
	return 0;
}

static void clear_rules(struct ff_config *c)
{
	for (size_t i = 0; i < c->nrules_files; i++)
		free(c->rules_files[i]);
	free(c->rules_files);
	c->rules_files = NULL;
	c->nrules_files = 0;
}

static void free_append(struct ff_append_output *a)
{
	free(a->source);
	free(a->rule);
	for (size_t i = 0; i < a->ntags; i++)
		free(a->tags[i]);
	free(a->tags);
	free(a->extra_output);
	for (size_t i = 0; i < a->nfields; i++) {
		free(a->fields[i].key);
		free(a->fields[i].format);
	}
	free(a->fields);
	free(a->where);
	memset(a, 0, sizeof(*a));
}

static void clear_append(struct ff_config *c)
{
	for (size_t i = 0; i < c->nappend; i++)
		free_append(&c->append[i]);
	c->nappend = 0;
}

void ff_config_free(struct ff_config *c)
{
	clear_append(c);
	free(c->append);
	for (size_t i = 0; i < c->nwarnings; i++)
		free(c->warnings[i]);
	free(c->warnings);
	clear_rules(c);
	free(c->file_filename);
	free(c->program);
	free(c->http_url);
	free(c->http_user_agent);
	memset(c, 0, sizeof(*c));
}

static int add_rules(struct ff_config *c, const char *v)
{
	char **n = realloc(c->rules_files, (c->nrules_files + 1) * sizeof(*n));
	if (!n)
		return -ENOMEM;
	c->rules_files = n;
	if (!(n[c->nrules_files] = strdup(v)))
		return -ENOMEM;
	c->nrules_files++;
	return 0;
}

static int parse_bool(const char *v, int *out)
{
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") ||
	    !strcasecmp(v, "on"))
		*out = 1;
	else if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") ||
	         !strcasecmp(v, "off"))
		*out = 0;
	else
		return -EINVAL;
	return 0;
}

static int parse_double(const char *v, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || d < 0)
		return -EINVAL;
	*out = d;
	return 0;
}

static int parse_uint(const char *v, unsigned *out)
{
	char *end;
	errno = 0;
	unsigned long u = strtoul(v, &end, 10);
	if (errno || end == v || *end || v[0] == '-' || u > 1000000)
		return -EINVAL;
	*out = (unsigned)u;
	return 0;
}

static int set_str(char **dst, const char *v)
{
	char *s = strdup(v);
	if (!s)
		return -ENOMEM;
	free(*dst);
	*dst = s;
	return 0;
}

/* Apply key=value; `seq_first` says a rules_file sequence starts (replace). */
static int apply(struct ff_config *c, const char *key, const char *v, int replace_rules)
{
	static const struct {
		const char *key;
		size_t off;
	} bools[] = {
		{ "time_format_iso_8601", offsetof(struct ff_config, time_format_iso_8601) },
		{ "json_output", offsetof(struct ff_config, json_output) },
		{ "json_include_output_property",
		  offsetof(struct ff_config, json_include_output_property) },
		{ "json_include_output_fields_property",
		  offsetof(struct ff_config, json_include_output_fields_property) },
		{ "json_include_tags_property",
		  offsetof(struct ff_config, json_include_tags_property) },
		{ "container_output", offsetof(struct ff_config, container_suffix) },
		{ "stdout_output.enabled", offsetof(struct ff_config, stdout_enabled) },
		{ "file_output.enabled", offsetof(struct ff_config, file_enabled) },
		{ "file_output.keep_alive", offsetof(struct ff_config, file_keep_alive) },
		{ "syslog_output.enabled", offsetof(struct ff_config, syslog_enabled) },
		{ "program_output.enabled", offsetof(struct ff_config, program_enabled) },
		{ "program_output.keep_alive", offsetof(struct ff_config, program_keep_alive) },
		{ "http_output.enabled", offsetof(struct ff_config, http_enabled) },
		{ "http_output.insecure", offsetof(struct ff_config, http_insecure) },
	};
	for (size_t i = 0; i < sizeof(bools) / sizeof(bools[0]); i++)
		if (!strcmp(key, bools[i].key))
			return parse_bool(v, (int *)(void *)((char *)c + bools[i].off));
	if (!strcmp(key, "rules_file") || !strcmp(key, "rules_files")) {
		if (replace_rules)
			clear_rules(c);
		return add_rules(c, v);
	}
	if (!strcmp(key, "priority"))
		return ff_priority_parse(v, &c->priority);
	if (!strcmp(key, "rule_matching")) {
		if (!strcmp(v, "first"))
			c->rule_matching_all = 0;
		else if (!strcmp(v, "all"))
			c->rule_matching_all = 1;
		else
			return -EINVAL;
		return 0;
	}
	if (!strcmp(key, "file_output.filename"))
		return set_str(&c->file_filename, v);
	if (!strcmp(key, "program_output.program"))
		return set_str(&c->program, v);
	if (!strcmp(key, "http_output.url"))
		return set_str(&c->http_url, v);
	if (!strcmp(key, "http_output.user_agent"))
		return set_str(&c->http_user_agent, v);
	if (!strcmp(key, "http_output.retries"))
		return parse_uint(v, &c->http_retries);
	if (!strcmp(key, "http_output.queue_capacity"))
		return parse_uint(v, &c->http_queue);
	if (!strcmp(key, "outputs.rate"))
		return parse_double(v, &c->outputs_rate);
	if (!strcmp(key, "outputs.max_burst"))
		return parse_double(v, &c->outputs_max_burst);
	return 1; /* not ours: ignored */
}

/* Falco's `${VAR}` expansion of config scalars: the variable's value (or
 * nothing when unset); `$${` keeps a literal `${`.  Like Falco, a `$` not
 * starting either form ends the expansion of the rest of the value. */
static char *expand_env(const char *v)
{
	char *out = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&out, &len);
	const char *s = v;

	if (!m)
		return NULL;
	while (*s) {
		const char *d = strchr(s, '$');
		if (!d) {
			fputs(s, m);
			break;
		}
		fwrite(s, 1, (size_t)(d - s), m);
		const char *close = strchr(d, '}');
		if (d[1] == '{' && close) {
			char name[256];
			size_t n = (size_t)(close - d - 2);
			if (n < sizeof(name)) {
				memcpy(name, d + 2, n);
				name[n] = '\0';
				const char *val = getenv(name);
				if (val)
					fputs(val, m);
			}
			s = close + 1;
		} else if (d[1] == '$' && d[2] == '{' && close) {
			fputs("${", m);
			s = d + 3;
		} else {
			fputs(d, m);
			break;
		}
	}
	if (ferror(m) | fclose(m)) {
		free(out);
		return NULL;
	}
	return out;
}

/* ---- append_output: a list of maps, read as a tree of YAML events ---- */

struct yrd {
	yaml_parser_t *p;
	const char *path; /* the file, or "-o" */
	int expand;       /* ${VAR} expansion (files only) */
	struct ff_config *c;
	struct ff_err *err;
};

static int yerr(struct yrd *y, const yaml_event_t *ev, const char *fmt, const char *a)
{
	return ff_errf(y->err, -EINVAL, "%s:%zu:%zu: append_output: %s%s", y->path,
	               ev->start_mark.line + 1, ev->start_mark.column + 1, fmt, a ? a : "");
}

static int ywarn(struct yrd *y, const yaml_event_t *ev, const char *what, const char *a)
{
	char buf[512];
	snprintf(buf, sizeof(buf), "%s:%zu:%zu: append_output: %s%s", y->path,
	         ev->start_mark.line + 1, ev->start_mark.column + 1, what, a ? a : "");
	char **n = realloc(y->c->warnings, (y->c->nwarnings + 1) * sizeof(*n));
	if (!n || !(n[y->c->nwarnings] = strdup(buf))) {
		if (n)
			y->c->warnings = n;
		return ff_errf(y->err, -ENOMEM, "out of memory");
	}
	y->c->warnings = n;
	y->c->nwarnings++;
	return 0;
}

static int ynext(struct yrd *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(y->p, ev))
		return ff_errf(y->err, -EINVAL, "%s:%zu:%zu: YAML error: %s", y->path,
		               y->p->problem_mark.line + 1, y->p->problem_mark.column + 1,
		               y->p->problem ? y->p->problem : "parse error");
	if (ev->type == YAML_ALIAS_EVENT) {
		int rc = ff_errf(y->err, -EINVAL, "%s:%zu:%zu: aliases are not supported", y->path,
		                 ev->start_mark.line + 1, ev->start_mark.column + 1);
		yaml_event_delete(ev);
		return rc;
	}
	return 0;
}

/* Consume the rest of the node that `ev` starts. */
static int yskip(struct yrd *y, const yaml_event_t *ev)
{
	int depth = ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT;
	while (depth > 0) {
		yaml_event_t e;
		int rc = ynext(y, &e);
		if (rc)
			return rc;
		if (e.type == YAML_MAPPING_START_EVENT || e.type == YAML_SEQUENCE_START_EVENT)
			depth++;
		else if (e.type == YAML_MAPPING_END_EVENT || e.type == YAML_SEQUENCE_END_EVENT)
			depth--;
		else if (e.type == YAML_STREAM_END_EVENT)
			depth = 0;
		yaml_event_delete(&e);
	}
	return 0;
}

/* A scalar value as a new string (expanded in files); `what` names it. */
static int ystr(struct yrd *y, const char *what, char **out)
{
	yaml_event_t ev;
	int rc = ynext(y, &ev);
	if (rc)
		return rc;
	if (ev.type != YAML_SCALAR_EVENT) {
		rc = yerr(y, &ev, what, ": expected a string");
		yaml_event_delete(&ev);
		return rc;
	}
	const char *v = (const char *)ev.data.scalar.value;
	char *s = y->expand ? expand_env(v) : strdup(v);
	yaml_event_delete(&ev);
	if (!s)
		return ff_errf(y->err, -ENOMEM, "out of memory");
	free(*out);
	*out = s;
	return 0;
}

static int push_str(char ***v, size_t *n, char *s)
{
	char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

/* The next node should open a list (`what` names it): 1 when it does; when
 * not, a warning and 0 (the node skipped) if `lenient`, else an error. */
static int ylist(struct yrd *y, const char *what, int lenient)
{
	yaml_event_t ev;
	int rc = ynext(y, &ev);
	if (rc)
		return rc;
	if (ev.type == YAML_SEQUENCE_START_EVENT)
		rc = 1;
	else if (!lenient)
		rc = yerr(y, &ev, what, ": expected a list");
	else if (!(rc = ywarn(y, &ev, what, " is not a list: ignored")))
		rc = yskip(y, &ev);
	yaml_event_delete(&ev);
	return rc;
}

static int ytags(struct yrd *y, struct ff_append_output *a)
{
	yaml_event_t ev;
	/* Falco ignores tags that are not a list (its schema warns) */
	int rc = ylist(y, "match.tags", 1);
	if (rc <= 0)
		return rc;
	for (;;) {
		if ((rc = ynext(y, &ev)))
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (ev.type != YAML_SCALAR_EVENT) {
			rc = yerr(y, &ev, "match.tags: a tag must be a string", NULL);
			yaml_event_delete(&ev);
			return rc;
		}
		const char *v = (const char *)ev.data.scalar.value;
		char *t = y->expand ? expand_env(v) : strdup(v);
		yaml_event_delete(&ev);
		if (!t || push_str(&a->tags, &a->ntags, t))
			return ff_errf(y->err, -ENOMEM, "out of memory");
	}
	yaml_event_delete(&ev);
	return 0;
}

/* Iterate the keys of the map `ev` starts: `fn` reads each key's value. */
typedef int (*ykey_fn)(struct yrd *y, struct ff_append_output *a, const yaml_event_t *key);

static int ymap(struct yrd *y, const yaml_event_t *start, const char *what,
                struct ff_append_output *a, ykey_fn fn)
{
	if (start->type != YAML_MAPPING_START_EVENT)
		return yerr(y, start, what, ": expected a map");
	for (;;) {
		yaml_event_t k;
		int rc = ynext(y, &k);
		if (rc)
			return rc;
		if (k.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&k);
			return 0;
		}
		if (k.type != YAML_SCALAR_EVENT) {
			rc = yerr(y, &k, what, ": a key must be a string");
			yaml_event_delete(&k);
			return rc;
		}
		rc = fn(y, a, &k);
		yaml_event_delete(&k);
		if (rc)
			return rc;
	}
}

/* A key no schema knows: Falco warns and goes on. */
static int yunknown(struct yrd *y, const yaml_event_t *key, const char *in)
{
	char what[300];
	snprintf(what, sizeof(what), "%sunknown key '%s' ignored", in,
	         (const char *)key->data.scalar.value);
	int rc = ywarn(y, key, what, NULL);
	yaml_event_t v;
	if (rc || (rc = ynext(y, &v)))
		return rc;
	rc = yskip(y, &v);
	yaml_event_delete(&v);
	return rc;
}

static int ematch_key(struct yrd *y, struct ff_append_output *a, const yaml_event_t *key)
{
	const char *k = (const char *)key->data.scalar.value;
	if (!strcmp(k, "source"))
		return ystr(y, "match.source", &a->source);
	if (!strcmp(k, "rule"))
		return ystr(y, "match.rule", &a->rule);
	if (!strcmp(k, "tags"))
		return ytags(y, a);
	return yunknown(y, key, "match: ");
}

static int add_field(struct yrd *y, struct ff_append_output *a, const yaml_event_t *at,
                     const char *key, const char *format)
{
	for (size_t i = 0; i < a->nfields; i++)
		/* Falco refuses a key defined twice, unless both are plain fields */
		if (!strcmp(a->fields[i].key, key) && (format || a->fields[i].format))
			return yerr(y, at, "extra_fields: key defined twice: ", key);
	struct ff_append_field *n = realloc(a->fields, (a->nfields + 1) * sizeof(*n));
	if (!n)
		return ff_errf(y->err, -ENOMEM, "out of memory");
	a->fields = n;
	n[a->nfields].key = y->expand ? expand_env(key) : strdup(key);
	n[a->nfields].format = format ? (y->expand ? expand_env(format) : strdup(format)) : NULL;
	if (!n[a->nfields].key || (format && !n[a->nfields].format)) {
		free(n[a->nfields].key);
		free(n[a->nfields].format);
		return ff_errf(y->err, -ENOMEM, "out of memory");
	}
	a->nfields++;
	return 0;
}

/* extra_fields: a list of field names and {key: format} maps of one pair */
static int yfields(struct yrd *y, struct ff_append_output *a)
{
	yaml_event_t ev, k, v;
	int rc = ylist(y, "extra_fields", 0);
	if (rc <= 0)
		return rc;
	for (;;) {
		if ((rc = ynext(y, &ev)))
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (ev.type == YAML_SCALAR_EVENT) {
			rc = add_field(y, a, &ev, (const char *)ev.data.scalar.value, NULL);
			yaml_event_delete(&ev);
			if (rc)
				return rc;
			continue;
		}
		if (ev.type != YAML_MAPPING_START_EVENT) {
			rc = yerr(y, &ev, "extra_fields: an item is a field name or {key: format}",
			          NULL);
			yaml_event_delete(&ev);
			return rc;
		}
		if ((rc = ynext(y, &k))) {
			yaml_event_delete(&ev);
			return rc;
		}
		if (k.type != YAML_SCALAR_EVENT || (rc = ynext(y, &v))) {
			if (!rc)
				rc = yerr(y, &ev,
				          "extra_fields: an item is a field name or {key: format}",
				          NULL);
			yaml_event_delete(&k);
			yaml_event_delete(&ev);
			return rc;
		}
		if (v.type != YAML_SCALAR_EVENT)
			rc = yerr(y, &v, "extra_fields: the format must be a string", NULL);
		else
			rc = add_field(y, a, &k, (const char *)k.data.scalar.value,
			               (const char *)v.data.scalar.value);
		yaml_event_delete(&v);
		yaml_event_delete(&k);
		if (!rc) {
			/* exactly one pair */
			if (!(rc = ynext(y, &k))) {
				if (k.type != YAML_MAPPING_END_EVENT)
					rc = yerr(
					    y, &ev,
					    "extra_fields: a {key: format} item has one key only",
					    NULL);
				yaml_event_delete(&k);
			}
		}
		yaml_event_delete(&ev);
		if (rc)
			return rc;
	}
	yaml_event_delete(&ev);
	return 0;
}

static int entry_key(struct yrd *y, struct ff_append_output *a, const yaml_event_t *key)
{
	const char *k = (const char *)key->data.scalar.value;
	if (!strcmp(k, "match")) {
		yaml_event_t m;
		int rc = ynext(y, &m);
		if (rc)
			return rc;
		rc = ymap(y, &m, "match", a, ematch_key);
		yaml_event_delete(&m);
		return rc;
	}
	if (!strcmp(k, "extra_output"))
		return ystr(y, "extra_output", &a->extra_output);
	if (!strcmp(k, "extra_fields"))
		return yfields(y, a);
	if (!strcmp(k, "suggested_output")) {
		char *v = NULL;
		int rc = ystr(y, "suggested_output", &v);
		if (!rc && parse_bool(v, &a->suggested_output))
			rc = yerr(y, key, "suggested_output: expected true or false, got ", v);
		free(v);
		return rc;
	}
	return yunknown(y, key, "");
}

/* One entry (the map `start` opens) appended to the config's list. */
static int yentry(struct yrd *y, const yaml_event_t *start)
{
	struct ff_append_output a = { 0 };
	char where[PATH_MAX + 64];
	snprintf(where, sizeof(where), "%s:%zu:%zu", y->path, start->start_mark.line + 1,
	         start->start_mark.column + 1);
	int rc = ymap(y, start, "an entry", &a, entry_key);
	if (!rc && !(a.where = strdup(where)))
		rc = ff_errf(y->err, -ENOMEM, "out of memory");
	/* "" matches anything, as Falco's empty strings do */
	if (a.source && !*a.source) {
		free(a.source);
		a.source = NULL;
	}
	if (a.rule && !*a.rule) {
		free(a.rule);
		a.rule = NULL;
	}
	if (!rc && a.rule && a.ntags)
		rc = ywarn(y, start,
		           "an entry with both a rule and tags applies to that rule only "
		           "if it has all the tags",
		           NULL);
	struct ff_append_output *n =
	    rc ? NULL : realloc(y->c->append, (y->c->nappend + 1) * sizeof(*n));
	if (!rc && !n)
		rc = ff_errf(y->err, -ENOMEM, "out of memory");
	if (rc) {
		free_append(&a);
		return rc;
	}
	y->c->append = n;
	n[y->c->nappend++] = a;
	return 0;
}

/* The value of a file's top-level `append_output` key: a list (replacing
 * the current one) or null (an empty list). */
static int yappend_list(struct yrd *y)
{
	yaml_event_t ev;
	int rc = ynext(y, &ev);
	if (rc)
		return rc;
	if (ev.type == YAML_SCALAR_EVENT && ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (!ev.data.scalar.length || !strcmp((const char *)ev.data.scalar.value, "~") ||
	     !strcasecmp((const char *)ev.data.scalar.value, "null"))) {
		clear_append(y->c);
		yaml_event_delete(&ev);
		return 0;
	}
	if (ev.type != YAML_SEQUENCE_START_EVENT) {
		rc = yerr(y, &ev, "expected a list of entries", NULL);
		yaml_event_delete(&ev);
		return rc;
	}
	yaml_event_delete(&ev);
	clear_append(y->c);
	for (;;) {
		if ((rc = ynext(y, &ev)))
			return rc;
		if (ev.type == YAML_SEQUENCE_END_EVENT)
			break;
		if (ev.type != YAML_MAPPING_START_EVENT) {
			rc = yerr(y, &ev, "each entry must be a map", NULL);
			yaml_event_delete(&ev);
			return rc;
		}
		rc = yentry(y, &ev);
		yaml_event_delete(&ev);
		if (rc)
			return rc;
	}
	yaml_event_delete(&ev);
	return 0;
}

/* -o append_output[]={...} (or [N] to replace entry N): one flow map. */
static int set_append(struct ff_config *c, const char *kv, const char *key, const char *v,
                      struct ff_err *err)
{
	const char *ix = key + strlen("append_output");
	size_t n = strlen(v), at = c->nappend;
	if (strcmp(ix, "[]")) {
		/* [N]: the digits between the brackets */
		size_t k = strlen(ix);
		char num[24] = "";
		uint64_t u;
		if (ix[0] == '[' && k >= 3 && k - 2 < sizeof(num) && ix[k - 1] == ']') {
			memcpy(num, ix + 1, k - 2);
			num[k - 2] = '\0';
		}
		if (ff_num_u64(num, &u) || u > c->nappend)
			return ff_errf(err, -EINVAL,
			               "-o %s: use append_output[]={...} to add an entry (or "
			               "append_output[N] for N up to %zu)",
			               kv, c->nappend);
		at = (size_t)u;
	}
	if (n < 2 || v[0] != '{' || v[n - 1] != '}')
		return ff_errf(err, -EINVAL, "-o %s: an entry is a map: {\"match\": ..., ...}", kv);
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return ff_errf(err, -ENOMEM, "out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)v, n);
	struct yrd y = { .p = &p, .path = "-o", .c = c, .err = err };
	yaml_event_t ev;
	int rc = 0;
	/* stream and document start, then the map */
	for (int i = 0; i < 3 && !rc; i++) {
		if ((rc = ynext(&y, &ev)))
			break;
		if (i < 2) {
			yaml_event_delete(&ev);
			continue;
		}
		size_t before = c->nappend;
		rc = yentry(&y, &ev);
		yaml_event_delete(&ev);
		if (!rc && at < before) {
			/* replace entry `at` with the one just added at the end */
			free_append(&c->append[at]);
			c->append[at] = c->append[--c->nappend];
		}
	}
	yaml_parser_delete(&p);
	if (rc)
		ff_err_prefix(err, "%s: ", kv);
	return rc;
}

int ff_config_set(struct ff_config *c, const char *kv, struct ff_err *err)
{
	const char *eq = strchr(kv, '=');
	char key[MAX_KEY];

	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
		return ff_errf(err, -EINVAL, "-o %s: expected key=value", kv);
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
	if (!strncmp(key, "append_output", 13) && (!key[13] || key[13] == '['))
		return set_append(c, kv, key, eq + 1, err);
	int rc = apply(c, key, eq + 1, 1);
	if (rc == -ENOMEM)
		return ff_errf(err, rc, "out of memory");
	if (rc < 0)
		return ff_errf(err, -EINVAL, "-o %s: bad value '%s' for %s", kv, eq + 1, key);
	return 0;
}

struct frame {
	int is_map;
	int want_key;  /* map: next scalar is a key */
	size_t keylen; /* length of the path before this frame's key */
	int seq_items; /* sequence: items seen */
};

int ff_config_load_file(struct ff_config *c, const char *path, struct ff_err *err)
{
	FILE *f = fopen(path, "rb");
	yaml_parser_t p;
	yaml_event_t ev;
	struct frame st[MAX_DEPTH];
	char key[MAX_KEY] = "";
	int depth = 0, rc = 0, done = 0;

	if (!f)
		return ff_errf(err, -errno, "%s: %s", path, strerror(errno));
	if (!yaml_parser_initialize(&p)) {
		fclose(f);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	yaml_parser_set_input_file(&p, f);
	while (!done && !rc) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = ff_errf(err, -EINVAL, "%s:%zu:%zu: YAML error: %s", path,
			             p.problem_mark.line + 1, p.problem_mark.column + 1,
			             p.problem ? p.problem : "parse error");
			break;
		}
		unsigned line = (unsigned)ev.start_mark.line + 1,
		         col = (unsigned)ev.start_mark.column + 1;
		struct frame *top = depth ? &st[depth - 1] : NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_ALIAS_EVENT:
			rc = ff_errf(err, -EINVAL, "%s:%u:%u: aliases are not supported", path,
			             line, col);
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (depth == MAX_DEPTH) {
				rc = ff_errf(err, -EINVAL, "%s:%u:%u: nesting too deep", path, line,
				             col);
				break;
			}
			if (top && top->is_map)
				top->want_key = 1;
			st[depth].is_map = ev.type == YAML_MAPPING_START_EVENT;
			st[depth].want_key = 1;
			st[depth].keylen = strlen(key);
			st[depth].seq_items = 0;
			depth++;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			/* back to the parent's path without this frame's key */
			if (depth > 0 && st[depth - 1].is_map)
				key[st[depth - 1].keylen] = '\0';
			else if (depth > 0)
				key[st[depth].keylen] = '\0';
			break;
		case YAML_SCALAR_EVENT: {
			const char *v = (const char *)ev.data.scalar.value;
			if (top && top->is_map && top->want_key) {
				size_t base = top->keylen;
				int n = snprintf(key + base, sizeof(key) - base, "%s%s",
				                 base ? "." : "", v);
				if (n < 0 || (size_t)n >= sizeof(key) - base) {
					rc = ff_errf(err, -EINVAL, "%s:%u:%u: key too long", path,
					             line, col);
					break;
				}
				top->want_key = 0;
				if (depth == 1 && !strcmp(key, "append_output")) {
					/* a list of maps: read as a tree, not flattened */
					struct yrd y = { .p = &p,
						         .path = path,
						         .expand = 1,
						         .c = c,
						         .err = err };
					rc = yappend_list(&y);
					top->want_key = 1;
					key[0] = '\0';
				}
				break;
			}
			if (!top)
				break; /* a lone scalar document */
			char *xv = expand_env(v);
			if (!xv) {
				rc = ff_errf(err, -ENOMEM, "out of memory");
				break;
			}
			int r = apply(c, key, xv, !top->is_map ? top->seq_items == 0 : 1);
			if (r == -ENOMEM)
				rc = ff_errf(err, r, "out of memory");
			else if (r < 0)
				rc = ff_errf(err, -EINVAL, "%s:%u:%u: bad value '%s' for %s", path,
				             line, col, xv, key);
			free(xv);
			if (!top->is_map) {
				top->seq_items++;
			} else {
				top->want_key = 1;
				key[top->keylen] = '\0';
			}
			break;
		}
		default:
			break;
		}
		/* a finished collection value inside a map: the map wants a key */
		if ((ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT) &&
		    depth > 0 && st[depth - 1].is_map) {
			st[depth - 1].want_key = 1;
			key[st[depth - 1].keylen] = '\0';
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	fclose(f);
	return rc;
}
