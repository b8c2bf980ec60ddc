/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The rule engine: the active rules of a loaded ruleset (ff_rules.h)
 * compiled once against a field provider (ff_field.h), indexed by the event
 * types their conditions admit (ff_filter_evttypes), evaluated per event the
 * way current Falco does (docs/rules-language.md §10-§13):
 *
 *   - only exit events and the enter-direction events that have no exit
 *     (procexit, signaldeliver, container, async...) are evaluated
 *     (ff_event_to_rules[]); the provider is expected to show an exit event
 *     with its enter event's parameters (ff_sysfields: FF_SYSCTX_MERGE_ENTER);
 *   - an event is tried only against the rules indexed under its type, in
 *     rule definition order; `first` matching reports the first match only
 *     (Falco's default `rule_matching: first`), `all` every match;
 *   - every rule's set also holds the async event, as Falco adds it.
 *
 * Alerts are rendered like Falco's: the text line `TIME: Priority OUTPUT`
 * (JSON-escaped, without the quotes) and the JSON object with hostname,
 * output, output_fields, priority, rule, source, tags and time.  Outputs get
 * the additions of Falco's `append_output` entries that match the rule, in
 * order: extra_output text, the suffix Falco's container plugin suggests
 * (container_id=... k8s_ns_name=...; by default on every rule) and
 * extra_fields in output_fields only.
 */
#ifndef FF_ENGINE_H
#define FF_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"
#include "ff_field.h"
#include "ff_render.h"
#include "ff_rules.h"

/* The suffix Falco (container plugin, default config) appends to outputs. */
#define FF_ENGINE_CONTAINER_SUFFIX                                                                 \
	"container_id=%container.id container_name=%container.name "                               \
	"container_image_repository=%container.image.repository "                                  \
	"container_image_tag=%container.image.tag k8s_pod_name=%k8s.pod.name "                     \
	"k8s_ns_name=%k8s.ns.name"

/* Fill `h` so that the loader compiles conditions and outputs against `fs`
 * and checks exception fields (Falco's --validate catches unknown fields
 * this way).  `fs` must outlive the ruleset. */
void ff_engine_hooks(struct ff_rules_hooks *h, const ff_fields *fs);

/* A JSON-only field of an append_output entry: `key` in output_fields. */
struct ff_append_field {
	char *key;
	char *format; /* {key: format}: the format's text; NULL: the field `key` itself */
};

/* One entry of Falco's `append_output` config: the rules it matches and what
 * it adds to their alerts. */
struct ff_append_output {
	char *source; /* NULL: any source */
	char *rule;   /* NULL: any rule */
	char **tags;  /* the rule must have every one */
	size_t ntags;
	char *extra_output;             /* appended to the output after a space */
	int suggested_output;           /* the container fields Falco's container plugin suggests */
	struct ff_append_field *fields; /* extra_fields */
	size_t nfields;
	char *where; /* "FILE:LINE:COL" or "-o ..." for messages */
};

struct ff_engine_opts {
	size_t sz;               /* sizeof(struct ff_engine_opts) */
	const ff_fields *fields; /* required; must outlive the engine */
	ff_fcache *cache;        /* optional cache shared with other filters/formats */
	int match_all;           /* rule_matching: all (default first) */
	int iso8601;             /* time_format_iso_8601: the line starts with ISO time */
	int no_container_suffix; /* suggested_output adds nothing (no container plugin) */
	/* append_output entries in config order; NULL: Falco's default, one
	 * entry with suggested_output (the container suffix on every rule) */
	const struct ff_append_output *append;
	size_t nappend;
	/* JSON keys left out (Falco's json_include_*_property false) */
	int json_no_output, json_no_output_fields, json_no_tags;
};

struct ff_engine;

/* Compile every active rule of `rs` (enabled, priority at least the
 * ruleset's minimum; ff_rules_enable() before this call).  `rs` must outlive
 * the engine.  Returns 0, -EINVAL when a rule does not compile (the message
 * names the rule's file and line), or -ENOMEM. */
int ff_engine_new(struct ff_engine **out, const struct ff_rules *rs,
                  const struct ff_engine_opts *opts, struct ff_err *err);
void ff_engine_free(struct ff_engine *e);

/* The compiled rules, in evaluation order: 0 <= i < ff_engine_rule_count(). */
size_t ff_engine_rule_count(const struct ff_engine *e);
const struct ff_rule *ff_engine_rule(const struct ff_engine *e, size_t i);
/* Number of event types rule i is indexed under (0: it never runs). */
size_t ff_engine_rule_ntypes(const struct ff_engine *e, size_t i);
/* Alerts raised by rule i so far. */
uint64_t ff_engine_rule_hits(const struct ff_engine *e, size_t i);

/* Called for each match with the rule's index; a non-zero return stops the
 * evaluation and is returned by ff_engine_eval(). */
typedef int (*ff_engine_match_fn)(void *user, size_t rule);

/* Evaluate event `ev` (described to the extractors by `ctx`, generation
 * `gen`, see ff_filter_eval()).  Events Falco does not evaluate are skipped.
 * Returns the number of matches reported, a negative errno from an extractor,
 * or the callback's non-zero value. */
int ff_engine_eval(struct ff_engine *e, const struct ff_evt *ev, void *ctx, uint64_t gen,
                   ff_engine_match_fn fn, void *user);
/* Events that were tried against at least one rule. */
uint64_t ff_engine_evaluated(const struct ff_engine *e);

/* Append rule i's text alert for the current event, without newline:
 * `TIME: Priority OUTPUT`, escaped like Falco's (control characters, quotes,
 * backslashes, invalid UTF-8).  0 or a negative errno. */
int ff_engine_alert_text(struct ff_engine *e, size_t i, void *ctx, uint64_t gen,
                         struct ff_sbuf *out);
/* Append rule i's JSON alert (one compact object, keys sorted).  `ts` is the
 * event time (ns since epoch), `hostname` the host name to report. */
int ff_engine_alert_json(struct ff_engine *e, size_t i, void *ctx, uint64_t gen, uint64_t ts,
                         const char *hostname, struct ff_sbuf *out);

/* Append `n` bytes as Falco's JSON encoder writes a string, without the
 * quotes: \" \\ \b \f \n \r \t, other control characters \u00XX, valid
 * UTF-8 kept, invalid bytes replaced by U+FFFD. */
int ff_engine_json_escape(struct ff_sbuf *out, const char *s, size_t n);

/* Our default rules file: installed in pkgdatadir, else the source tree's
 * (uninstalled runs).  Returns the first that is readable, else the
 * installed path (so the error names where it should be). */
const char *ff_engine_default_rules(void);

/* A new ruleset with `n` files loaded in order (NULL/0: the default rules),
 * compiled against `fs` through ff_engine_hooks().  On a load error returns a
 * negative errno with the first error diagnostic (file:line:col) in err; the
 * ruleset is returned in *out either way (for its diagnostics) and is the
 * caller's to free. */
int ff_engine_load_rules(struct ff_rules **out, const ff_fields *fs, const char *const *files,
                         size_t n, struct ff_err *err);

#endif
