/* SPDX-License-Identifier: Apache-2.0 */
/* falco-replay alert mode, --validate and -L (replay_alert.h). */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ff_engine.h"
#include "replay_list.h"
#include "ff_event_ids.h"
#include "ff_outputs.h"
#include "ff_state.h"
#include "ff_sysfields.h"
#include "replay_alert.h"

const char *replay_default_rules(void)
{
	return ff_engine_default_rules();
}

static void print_diag(FILE *out, const struct ff_rules_diag *d)
{
	/* Falco lists its schema warnings apart, without a code */
	if (d->code == FF_LOAD_SCHEMA)
		fprintf(out, "%s:%u:%u: schema warning", d->file, d->line, d->col);
	else
		fprintf(out, "%s:%u:%u: %s %s", d->file, d->line, d->col,
		        ff_rules_code_is_error(d->code) ? "error" : "warning",
		        ff_rules_code_name(d->code));
	if (d->item_kind && *d->item_kind)
		fprintf(out, " (%s '%s')", d->item_kind, d->item_name ? d->item_name : "");
	fprintf(out, ": %s\n", d->message);
}

/* Load `files` into a new ruleset with the engine's hooks. */
static int load_rules(struct ff_rules **out, const ff_fields *fs, char *const *files, size_t n,
                      FILE *diag, struct ff_err *err)
{
	struct ff_rules_hooks h;
	struct ff_rules *rs = ff_rules_new();
	int rc = 0;

	*out = rs;
	if (!rs)
		return ff_errf(err, -ENOMEM, "out of memory");
	ff_engine_hooks(&h, fs);
	ff_rules_set_hooks(rs, &h);
	for (size_t i = 0; i < n && !rc; i++)
		rc = ff_rules_load_file(rs, files[i], err);
	if (diag)
		for (size_t i = 0; i < ff_rules_diag_count(rs); i++)
			print_diag(diag, ff_rules_diag_get(rs, i));
	return rc;
}

int replay_validate(char *const *files, int nfiles, FILE *out)
{
	ff_fields *fs = NULL;
	struct ff_rules *rs = NULL;
	struct ff_err err = { 0 };
	int rc = ff_sysfields_new(&fs, &err);

	if (rc) {
		fprintf(stderr, "falco-replay: %s\n", err.msg);
		return 1;
	}
	rc = load_rules(&rs, fs, files, (size_t)nfiles, NULL, &err);
	for (size_t i = 0; i < ff_rules_diag_count(rs); i++)
		print_diag(out, ff_rules_diag_get(rs, i));
	for (int i = 0; i < nfiles; i++) {
		size_t ne = ff_rules_nerrors(rs, files[i]), nw = ff_rules_nwarnings(rs, files[i]);
		int loaded = 0;
		for (size_t k = 0; k < ff_rules_diag_count(rs); k++)
			if (!strcmp(ff_rules_diag_get(rs, k)->file, files[i]))
				loaded = 1;
		/* a file after the failing one was not read */
		if (rc && !ne && !loaded && i > 0 && ff_rules_nerrors(rs, files[i - 1])) {
			fprintf(out, "%s: not loaded (an earlier file is invalid)\n", files[i]);
			continue;
		}
		fprintf(out, "%s: %s", files[i],
		        ne ? "Invalid" : (nw ? "Ok, with warnings" : "Ok"));
		if (ne)
			fprintf(out, ": %zu error%s", ne, ne == 1 ? "" : "s");
		if (nw)
			fprintf(out, "%s %zu warning%s", ne ? "," : ":", nw, nw == 1 ? "" : "s");
		fputc('\n', out);
	}
	if (!rc)
		fprintf(out,
		        "%zu rules (%zu skipped), %zu macros, %zu lists, "
		        "required engine version %s\n",
		        ff_rules_count(rs) + ff_rules_skipped(rs), ff_rules_skipped(rs),
		        ff_rules_macro_count(rs), ff_rules_list_count(rs),
		        *ff_rules_required_engine_version(rs) ? ff_rules_required_engine_version(rs)
		                                              : "none");
	else if (!ff_rules_nerrors(rs, NULL))
		fprintf(stderr, "falco-replay: %s\n", err.msg);
	ff_rules_free(rs);
	ff_fields_free(fs);
	return rc ? 1 : 0;
}

/* Rules files of the configuration, or our default. */
static void rules_files(const struct ff_config *c, char *const **files, size_t *n)
{
	static char *def[1];
	if (c->nrules_files) {
		*files = c->rules_files;
		*n = c->nrules_files;
	} else {
		def[0] = (char *)(uintptr_t)replay_default_rules();
		*files = def;
		*n = 1;
	}
}

static void select_rules(const struct replay_alert_opts *o, struct ff_rules *rs)
{
	if (o->only_tags)
		ff_rules_enable(rs, FF_RULES_MATCH_SUBSTRING, "", 0);
	for (size_t i = 0; i < o->nsel; i++)
		ff_rules_enable(rs, o->sel[i].how, o->sel[i].pattern, o->sel[i].enable);
	ff_rules_set_min_priority(rs, o->cfg->priority);
}

int replay_list_rules(const struct replay_alert_opts *o, FILE *out, struct ff_err *err)
{
	ff_fields *fs = NULL;
	struct ff_rules *rs = NULL;
	char *const *files;
	size_t nf;
	int rc = ff_sysfields_new(&fs, err);

	if (rc)
		return 1;
	rules_files(o->cfg, &files, &nf);
	rc = load_rules(&rs, fs, files, nf, stderr, err);
	if (!rc) {
		select_rules(o, rs);
		fprintf(out, "%-56s %-13s %s\n", "Rule", "Priority", "Description");
		for (size_t i = 0; i < ff_rules_count(rs); i++) {
			const struct ff_rule *r = ff_rules_get(rs, i);
			if (!ff_rule_active(rs, r))
				continue;
			const char *d = ff_rule_desc(r) ? ff_rule_desc(r) : "";
			size_t dl = strcspn(d, "\n");
			fprintf(out, "%-56s %-13s %.*s%s\n", ff_rule_name(r),
			        ff_priority_name(ff_rule_priority(r)), (int)(dl > 100 ? 100 : dl),
			        d, dl > 100 ? "..." : "");
		}
	}
	ff_rules_free(rs);
	ff_fields_free(fs);
	return rc ? 2 : 0;
}

/* ---- alert mode ---- */

struct alerter {
	const struct replay_alert_opts *o;
	struct ff_engine *eng;
	struct ff_outputs *outs;
	struct ff_sysctx *ctx;
	const struct ff_evt *ev;
	uint64_t gen, gen_base; /* generations continue across files (shared cache) */
	char hostname[256];
	struct ff_sbuf line;
	struct ff_err *err;
	uint64_t by_prio[FF_PRIO_DEBUG + 1];
	uint64_t alerts, events;
	uint64_t dropped, drop_alerts; /* live: events lost, drop alerts raised */
	uint64_t drop_window;          /* lost since the last drop alert */
	uint64_t last_drop_alert;      /* ts of that alert (ns), 0 if none yet */
};

/* Falco's syscall_event_drops policy (actions log+alert, one alert per 30 s
 * at most): the driver's drop pair says how many events are missing here. */
#define DROP_ALERT_EVERY_NS (30ull * 1000000000ull)
static int on_drop(struct alerter *a, const struct ff_evt *ev)
{
	int ok = 0;
	uint64_t n = ff_evt_param_uint(ev, 0, &ok);
	char line[512], when[64];
	time_t sec = (time_t)(ev->ts / 1000000000u);
	struct tm tm;
	int len;

	n = ok && n ? n : 1;
	a->dropped += n;
	a->drop_window += n;
	if (a->last_drop_alert && ev->ts - a->last_drop_alert < DROP_ALERT_EVERY_NS)
		return 0;
	localtime_r(&sec, &tm);
	if (a->o->cfg->json_output) {
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		len = snprintf(line, sizeof(line),
		               "{\"hostname\":\"%s\",\"output\":\"Falco internal: syscall event "
		               "drop. %llu system calls dropped since the last report.\","
		               "\"output_fields\":{\"n_drops\":%llu},\"priority\":\"Debug\","
		               "\"rule\":\"Falco internal: syscall event drop\",\"source\":"
		               "\"syscall\",\"time\":\"%s.%09lluZ\"}",
		               a->hostname, (unsigned long long)a->drop_window,
		               (unsigned long long)a->drop_window, when,
		               (unsigned long long)(ev->ts % 1000000000u));
	} else {
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		len = snprintf(line, sizeof(line),
		               "%s.%09llu: Debug Falco internal: syscall event drop. %llu system "
		               "calls dropped since the last report.",
		               when, (unsigned long long)(ev->ts % 1000000000u),
		               (unsigned long long)a->drop_window);
	}
	a->last_drop_alert = ev->ts;
	a->drop_window = 0;
	a->drop_alerts++;
	if (len < 0 || (size_t)len >= sizeof(line))
		return 0;
	return ff_outputs_emit(a->outs, FF_PRIO_DEBUG, line, (size_t)len, a->err);
}

static int on_match(void *user, size_t i)
{
	struct alerter *a = user;
	const struct ff_config *c = a->o->cfg;
	int rc;

	ff_sbuf_reset(&a->line);
	if (c->json_output)
		rc = ff_engine_alert_json(a->eng, i, a->ctx, a->gen, a->ev->ts, a->hostname,
		                          &a->line);
	else
		rc = ff_engine_alert_text(a->eng, i, a->ctx, a->gen, &a->line);
	if (rc)
		return ff_errf(a->err, rc, "cannot format the alert of rule '%s'",
		               ff_rule_name(ff_engine_rule(a->eng, i)));
	enum ff_priority p = ff_rule_priority(ff_engine_rule(a->eng, i));
	a->by_prio[p]++;
	a->alerts++;
	rc = ff_outputs_emit(a->outs, p, a->line.p, a->line.len, a->err);
	return rc ? rc : 0;
}

static int alert_file(struct alerter *a, const char *path, struct ff_err *err)
{
	struct replay_feed *r = NULL;
	struct ff_state *st = NULL;
	struct ff_block b;
	uint64_t evtnum = 0;
	int rc;

	rc = replay_feed_open(&r, path, a->o->live, err);
	if (rc)
		return rc;
	if ((rc = ff_state_new(&st, err)) || (rc = ff_sysctx_new(&a->ctx, st, err)))
		goto out;
	/* Falco sees exit events with their enter event's parameters, and
	 * values as current libs and its container plugin give them */
	ff_state_keep_enters(st, 1);
	ff_state_falco_view(st, 1);
	ff_sysctx_set_flags(a->ctx, FF_SYSCTX_MERGE_ENTER | FF_SYSCTX_FALCO);
	while ((rc = replay_feed_next(r, &b, err)) > 0) {
		if (b.kind != FF_BLK_EVENT) {
			rc = ff_state_load_block(st, &b, err);
			if (rc) {
				ff_err_prefix(err, "%s: ", path);
				goto out;
			}
			continue;
		}
		if (a->o->live && b.ev.type == FFE_DROP_E) {
			rc = on_drop(a, &b.ev);
			if (rc)
				goto out;
		}
		evtnum++;
		a->events++;
		ff_state_update(st, &b.ev);
		if (ff_state_evt_hidden(st))
			continue;
		a->ev = &b.ev;
		a->gen = a->gen_base + ff_sysctx_set_event(a->ctx, &b.ev, evtnum);
		rc = ff_engine_eval(a->eng, &b.ev, a->ctx, a->gen, on_match, a);
		if (rc < 0) {
			if (!err->msg[0] || rc != -ENOMEM)
				ff_errf(err, rc, "event %" PRIu64 ": rule evaluation failed",
				        evtnum);
			ff_err_prefix(err, "%s: ", path);
			goto out;
		}
	}
	if (rc > 0)
		rc = 0;
out:
	a->gen_base = a->gen;
	if (st)
		replay_warn_state(path, st);
	ff_sysctx_free(a->ctx);
	a->ctx = NULL;
	ff_state_free(st);
	replay_feed_close(r);
	return rc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void summary(const struct alerter *a, double secs)
{
	static const char *const up[] = { "EMERGENCY", "ALERT",  "CRITICAL",      "ERROR",
		                          "WARNING",   "NOTICE", "INFORMATIONAL", "DEBUG" };
	struct ff_outputs_stats os;

	ff_outputs_stats(a->outs, &os);
	fprintf(stderr,
	        "Events: %" PRIu64 ", evaluated against rules: %" PRIu64 ", %.0f events/s\n",
	        a->events, ff_engine_evaluated(a->eng), secs > 0 ? (double)a->events / secs : 0.0);
	fprintf(stderr, "Events detected: %" PRIu64 "\n", a->alerts);
	if (a->o->live)
		fprintf(stderr,
		        "Syscall events dropped by the driver: %" PRIu64 " (%" PRIu64
		        " drop alerts)\n",
		        a->dropped, a->drop_alerts);
	if (os.throttled)
		fprintf(stderr, "Alerts dropped by outputs.rate: %" PRIu64 "\n", os.throttled);
	fprintf(stderr, "Rule counts by severity:\n");
	for (int p = 0; p <= FF_PRIO_DEBUG; p++)
		if (a->by_prio[p])
			fprintf(stderr, "   %s: %" PRIu64 "\n", up[p], a->by_prio[p]);
	fprintf(stderr, "Triggered rules by rule name:\n");
	for (size_t i = 0; i < ff_engine_rule_count(a->eng); i++)
		if (ff_engine_rule_hits(a->eng, i))
			fprintf(stderr, "   %s: %" PRIu64 "\n",
			        ff_rule_name(ff_engine_rule(a->eng, i)),
			        ff_engine_rule_hits(a->eng, i));
}

int replay_alert(const struct replay_alert_opts *o, char *const *captures, int ncaptures,
                 struct ff_err *err)
{
	struct alerter a = { .o = o, .err = err };
	const struct ff_config *c = o->cfg;
	ff_fields *fs = NULL;
	ff_fcache *cache = NULL;
	struct ff_rules *rs = NULL;
	char *const *files;
	size_t nf;
	int status = 0, rc;

	rc = ff_sysfields_new(&fs, err);
	if (rc)
		return 1;
	rules_files(c, &files, &nf);
	if (load_rules(&rs, fs, files, nf, stderr, err)) {
		status = 2;
		goto out;
	}
	select_rules(o, rs);
	const char *h = getenv("FALCO_HOSTNAME");
	if (h && *h)
		snprintf(a.hostname, sizeof(a.hostname), "%s", h);
	else if (gethostname(a.hostname, sizeof(a.hostname) - 1))
		snprintf(a.hostname, sizeof(a.hostname), "localhost");
	struct ff_engine_opts eo = { .sz = sizeof(eo),
		                     .fields = fs,
		                     .match_all = c->rule_matching_all,
		                     .iso8601 = c->time_format_iso_8601,
		                     .no_container_suffix = !c->container_suffix,
		                     .append = c->append,
		                     .nappend = c->nappend,
		                     .json_no_output = !c->json_include_output_property,
		                     .json_no_output_fields =
		                         !c->json_include_output_fields_property,
		                     .json_no_tags = !c->json_include_tags_property };
	if (!(cache = ff_fcache_new())) {
		ff_errf(err, -ENOMEM, "out of memory");
		status = 1;
		goto out;
	}
	eo.cache = cache;
	if (ff_engine_new(&a.eng, rs, &eo, err)) {
		status = 2;
		goto out;
	}
	if (ff_outputs_new(&a.outs, c, stdout, err)) {
		status = 2;
		goto out;
	}
	double t0 = now_s();
	if (o->live) {
		static char live_name[] = "live";
		static char *const live_list[] = { live_name };
		captures = live_list;
		ncaptures = 1;
	}
	for (int i = 0; i < ncaptures && !status; i++)
		if (alert_file(&a, captures[i], err))
			status = 1;
	double t1 = now_s();
	struct ff_err cerr = { 0 };
	if (ff_outputs_close(a.outs, &cerr) && !status) {
		*err = cerr;
		status = 1;
	}
	/* a live run that could not start has nothing to sum up */
	if (o->summary && !(o->live && status && !a.events))
		summary(&a, t1 - t0);
out:
	ff_outputs_free(a.outs);
	ff_engine_free(a.eng);
	ff_fcache_free(cache);
	ff_rules_free(rs);
	ff_fields_free(fs);
	ff_sbuf_free(&a.line);
	return status;
}
