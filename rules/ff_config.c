/* SPDX-License-Identifier: Apache-2.0 */
/* falco.yaml-like configuration (ff_config.h). */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "ff_config.h"

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

void ff_config_free(struct ff_config *c)
{
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

int ff_config_set(struct ff_config *c, const char *kv, struct ff_err *err)
{
	const char *eq = strchr(kv, '=');
	char key[MAX_KEY];

	if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof(key))
		return ff_errf(err, -EINVAL, "-o %s: expected key=value", kv);
	memcpy(key, kv, (size_t)(eq - kv));
	key[eq - kv] = '\0';
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
				break;
			}
			if (!top)
				break; /* a lone scalar document */
			int r = apply(c, key, v, !top->is_map ? top->seq_items == 0 : 1);
			if (r == -ENOMEM)
				rc = ff_errf(err, r, "out of memory");
			else if (r < 0)
				rc = ff_errf(err, -EINVAL, "%s:%u:%u: bad value '%s' for %s", path,
				             line, col, v, key);
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
