/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco.yaml-like configuration: a YAML file (`-c FILE`) and `key=value`
 * overrides (`-o`), with Falco's key names.  Nested keys are written with
 * dots (`stdout_output.enabled=false`).  Keys we do not use are ignored, as
 * Falco ignores keys of components it does not have; a known key with a bad
 * value is an error naming the file, line and column (or the -o text).
 *
 * Differences from Falco's defaults, for a replay tool: syslog_output is off
 * unless enabled; outputs.rate 0 means no rate limit.
 *
 * Scalars of a file get Falco's `${VAR}` expansion (`$${` is a literal `${`).
 * `append_output` is a list of maps, as in falco.yaml: a file's list replaces
 * the default (one entry, `suggested_output: true`), `-o append_output[]={...}`
 * appends one entry (a YAML/JSON flow map).  Keys that Falco's config schema
 * does not know inside an entry, and matches Falco warns about, are kept as
 * warnings.
 */
#ifndef FF_CONFIG_H
#define FF_CONFIG_H

#include <stddef.h>

#include "ff_engine.h"
#include "ff_err.h"
#include "ff_rules.h"

struct ff_config {
	char **rules_files; /* rules_file / rules_files, in order */
	size_t nrules_files;
	enum ff_priority priority;               /* minimum priority (default debug: all) */
	int rule_matching_all;                   /* rule_matching: all (default first) */
	int time_format_iso_8601;                /* default false */
	int json_output;                         /* default false */
	int json_include_output_property;        /* default true */
	int json_include_output_fields_property; /* default true */
	int json_include_tags_property;          /* default true */
	int container_suffix; /* append Falco's container fields (default true) */
	int stdout_enabled;   /* default true */
	int file_enabled;     /* default false */
	char *file_filename;
	int file_keep_alive; /* default false: reopen per alert, like Falco */
	int syslog_enabled;  /* default false (Falco: true) */
	int program_enabled; /* default false */
	char *program;
	int program_keep_alive;
	int http_enabled; /* default false */
	char *http_url;
	char *http_user_agent;
	int http_insecure;               /* do not verify TLS peers */
	unsigned http_retries;           /* ours: attempts after the first (default 3) */
	unsigned http_queue;             /* ours: bounded queue length (default 1000) */
	double outputs_rate;             /* tokens per second, 0 = unlimited */
	double outputs_max_burst;        /* bucket size (default 1000) */
	struct ff_append_output *append; /* append_output entries, in order */
	size_t nappend;
	char **warnings; /* things Falco would accept with a warning */
	size_t nwarnings;
};

/* Defaults.  0 or -ENOMEM. */
int ff_config_init(struct ff_config *c);
void ff_config_free(struct ff_config *c);

/* Read a YAML config file over the current values.  0, -EINVAL (message
 * names file:line:col), or -errno for an unreadable file. */
int ff_config_load_file(struct ff_config *c, const char *path, struct ff_err *err);

/* Apply one `key=value` override (dotted key).  0 or -EINVAL. */
int ff_config_set(struct ff_config *c, const char *kv, struct ff_err *err);

#endif
