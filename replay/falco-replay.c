/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-replay: read captures and print their events.  main() parses the
 * command line and hands over to a mode: alerts (replay_alert.c, the
 * default: captures through the Falco rules), or the listing (replay_list.c,
 * with -e/-p/-f/-n), which prints what `sysdig -r CAPTURE -p FORMAT FILTER`
 * prints.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_config.h"
#include "ff_num.h"
#include "ff_stop.h"
#include "replay_alert.h"
#include "replay_list.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: falco-replay [-r RULES]... [-c CONFIG] [-o KEY=VALUE]... [-j]\n"
	        "                    [-D NAME] [-T TAG] [-t TAG] [-q] CAPTURE...\n"
	        "       falco-replay --validate RULES...\n"
	        "       falco-replay -L [-r RULES]...\n"
	        "       falco-replay -e|-p FORMAT|-f FILTER [-j] [-n N] CAPTURE...\n"
	        "       falco-replay --live [--driver bpf|kmod] [--all] [--seconds N]\n"
	        "                    [-s SNAPLEN] [alert or listing options]\n"
	        "       falco-replay --list-fields\n"
	        "Replay .scap captures (plain, gzip or zstd) through Falco rules and print\n"
	        "the alerts as Falco does; or list their events as `sysdig -r` does.\n\n"
	        "Alerts (default mode):\n"
	        "  -r, --rules FILE    rules file (repeatable, loaded in order); default:\n"
	        "                      %s\n"
	        "  -c, --config FILE   falco.yaml-like configuration (outputs, priority...)\n"
	        "  -o, --option K=V    override one configuration key (json_output=true,\n"
	        "                      priority=warning, rule_matching=all, ...)\n"
	        "  -j, --json          JSON alerts (json_output=true)\n"
	        "  -D, --disable NAME  disable the rules whose name contains NAME\n"
	        "  -T, --disable-tag T disable the rules tagged T\n"
	        "  -t, --tag T         run only the rules tagged T (repeatable)\n"
	        "  -q, --quiet         no summary on standard error\n"
	        "      --validate      load the rules files given as arguments and report\n"
	        "  -L, --list-rules    list the loaded rules\n\n"
	        "Listing (any of -e, -p, -f, -n):\n"
	        "  -e, --events        list every event in sysdig's default line\n"
	        "  -p, --print FORMAT  output format: %%field, %%field[arg], %%Nfield (width),\n"
	        "                      literal text; a leading '*' prints events whose\n"
	        "                      fields are missing (as <NA>), otherwise they are skipped\n"
	        "  -f, --filter FILTER only events matching the Falco/sysdig filter expression\n"
	        "  -j, --json          one JSON object per event (the format's fields)\n"
	        "  -n, --count N       stop after N events have passed the filter (like sysdig)\n"
	        "  -l, --list-fields   list the fields with their types and descriptions\n\n"
	        "Live (root; instead of captures, the running system, until SIGINT/SIGTERM):\n"
	        "      --live          /proc is scanned into the state, then the events of the\n"
	        "                      live driver go through the rules (or the listing);\n"
	        "                      events the driver loses raise Falco's \"Falco internal:\n"
	        "                      syscall event drop\" alert (at most one per 30 s)\n"
	        "      --driver NAME   bpf or kmod (default: kmod if loaded, else bpf)\n"
	        "      --all           every system call, not the default security set\n"
	        "      --seconds N     stop after N seconds\n"
	        "      --buffer-size B per-CPU ring bytes, a power of 2 (default 8388608)\n"
	        "  -s, --snaplen N     I/O bytes kept per read/write event (default 80)\n"
	        "  -h, --help          show this help\n\n"
	        "The default line of -e is sysdig's: %s\n",
	        replay_default_rules(),
	        "*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir "
	        "%evt.type %evt.info");
}

static void on_ready(const char *driver, uint32_t threads, uint32_t fds)
{
	fprintf(stderr, "falco-replay: live: %s driver, /proc scanned (%u threads, %u fds)\n",
	        driver, threads, fds);
}

static int add_sel(struct replay_sel **sel, size_t *n, enum ff_rules_match how, const char *pat,
                   int enable)
{
	struct replay_sel *v = realloc(*sel, (*n + 1) * sizeof(*v));
	if (!v)
		return -1;
	v[*n] = (struct replay_sel){ how, pat, enable };
	*sel = v;
	(*n)++;
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_VALIDATE = 256, OPT_LIVE, OPT_DRIVER, OPT_ALL, OPT_SECONDS, OPT_BUFFER };
	static const struct option opts[] = { { "count", required_argument, NULL, 'n' },
		                              { "print", required_argument, NULL, 'p' },
		                              { "filter", required_argument, NULL, 'f' },
		                              { "events", no_argument, NULL, 'e' },
		                              { "json", no_argument, NULL, 'j' },
		                              { "list-fields", no_argument, NULL, 'l' },
		                              { "rules", required_argument, NULL, 'r' },
		                              { "config", required_argument, NULL, 'c' },
		                              { "option", required_argument, NULL, 'o' },
		                              { "disable", required_argument, NULL, 'D' },
		                              { "disable-tag", required_argument, NULL, 'T' },
		                              { "tag", required_argument, NULL, 't' },
		                              { "quiet", no_argument, NULL, 'q' },
		                              { "list-rules", no_argument, NULL, 'L' },
		                              { "validate", no_argument, NULL, OPT_VALIDATE },
		                              { "live", no_argument, NULL, OPT_LIVE },
		                              { "driver", required_argument, NULL, OPT_DRIVER },
		                              { "all", no_argument, NULL, OPT_ALL },
		                              { "seconds", required_argument, NULL, OPT_SECONDS },
		                              { "buffer-size", required_argument, NULL,
		                                OPT_BUFFER },
		                              { "snaplen", required_argument, NULL, 's' },
		                              { "help", no_argument, NULL, 'h' },
		                              { NULL, 0, NULL, 0 } };
	struct replay_list_opts lo = { .out = stdout, .count = UINT64_MAX };
	struct replay_alert_opts ao = { .summary = 1 };
	struct ff_config cfg;
	struct replay_sel *sel = NULL;
	size_t nsel = 0;
	struct ff_err err = { 0 };
	int c, status = 0, list_fields = 0, listing = 0, validate = 0, list_rules = 0, json = 0;
	int live = 0, live_opt = 0;
	struct replay_live lv = { .stop = ff_stop_flag(), .on_ready = on_ready };
	const char *config = NULL;
	char **rules = NULL, **over = NULL;
	size_t nrules = 0, nover = 0;

	ff_config_init(&cfg);
	while ((c = getopt_long(argc, argv, "n:p:f:ejlr:c:o:D:T:t:qLs:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-') {
				fprintf(stderr, "falco-replay: -n needs a number, got '%s'\n",
				        optarg);
				status = 2;
				goto out;
			}
			lo.count = v;
			listing = 1;
			break;
		}
		case 'p':
			lo.format = optarg;
			listing = 1;
			break;
		case 'f':
			lo.filter = optarg;
			listing = 1;
			break;
		case 'e':
			listing = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'l':
			list_fields = 1;
			break;
		case 'r':
		case 'o': {
			char ***v = c == 'r' ? &rules : &over;
			size_t *n = c == 'r' ? &nrules : &nover;
			char **nv = realloc(*v, (*n + 1) * sizeof(*nv));
			if (!nv) {
				fprintf(stderr, "falco-replay: out of memory\n");
				status = 1;
				goto out;
			}
			nv[(*n)++] = optarg;
			*v = nv;
			break;
		}
		case 'c':
			config = optarg;
			break;
		case 'D':
		case 'T':
		case 't':
			if (c == 't')
				ao.only_tags = 1;
			if (add_sel(&sel, &nsel,
			            c == 'D' ? FF_RULES_MATCH_SUBSTRING : FF_RULES_MATCH_TAG,
			            optarg, c == 't')) {
				fprintf(stderr, "falco-replay: out of memory\n");
				status = 1;
				goto out;
			}
			break;
		case 'q':
			ao.summary = 0;
			break;
		case 'L':
			list_rules = 1;
			break;
		case OPT_VALIDATE:
			validate = 1;
			break;
		case OPT_LIVE:
			live = 1;
			break;
		case OPT_DRIVER:
			lv.driver = optarg;
			live_opt = 1;
			break;
		case OPT_ALL:
			lv.all_syscalls = 1;
			live_opt = 1;
			break;
		case OPT_SECONDS:
		case OPT_BUFFER:
		case 's': {
			uint64_t v;
			if (ff_num_u64(optarg, &v) || (c == 's' && v > 65535)) {
				fprintf(stderr, "falco-replay: --%s needs a number, got '%s'\n",
				        c == 's'          ? "snaplen"
				        : c == OPT_BUFFER ? "buffer-size"
				                          : "seconds",
				        optarg);
				status = 2;
				goto out;
			}
			if (c == 's')
				lv.snaplen = (uint32_t)v;
			else if (c == OPT_BUFFER)
				lv.buffer_bytes = (size_t)v;
			else
				lv.seconds = v;
			live_opt = 1;
			break;
		}
		case 'h':
			usage(stdout);
			goto out;
		default:
			usage(stderr);
			status = 2;
			goto out;
		}
	}
	if (list_fields) {
		if (replay_list_fields(stdout, &err)) {
			fprintf(stderr, "falco-replay: %s\n", err.msg);
			status = 1;
		} else if (fflush(stdout)) {
			status = 1;
		}
		goto out;
	}
	if (validate) {
		if (optind >= argc) {
			fprintf(stderr, "falco-replay: --validate needs rules files\n");
			status = 2;
			goto out;
		}
		status = replay_validate(argv + optind, argc - optind, stdout);
		goto out;
	}
	/* the configuration: file, then -r, -j and -o in that order */
	if (config && ff_config_load_file(&cfg, config, &err)) {
		fprintf(stderr, "falco-replay: %s\n", err.msg);
		status = 2;
		goto out;
	}
	for (size_t i = 0; i < nrules; i++) {
		char kv[4096];
		snprintf(kv, sizeof(kv), "rules_file=%s", rules[i]);
		if (i == 0)
			status = ff_config_set(&cfg, kv, &err);
		else {
			char **nv = realloc(cfg.rules_files, (cfg.nrules_files + 1) * sizeof(*nv));
			if (!nv || !(nv[cfg.nrules_files] = strdup(rules[i]))) {
				if (nv)
					cfg.rules_files = nv;
				fprintf(stderr, "falco-replay: out of memory\n");
				status = 1;
				goto out;
			}
			cfg.rules_files = nv;
			cfg.nrules_files++;
		}
	}
	if (json)
		cfg.json_output = 1;
	for (size_t i = 0; i < nover && !status; i++)
		status = ff_config_set(&cfg, over[i], &err);
	if (status) {
		fprintf(stderr, "falco-replay: %s\n", err.msg);
		status = 2;
		goto out;
	}
	for (size_t i = 0; i < cfg.nwarnings; i++)
		fprintf(stderr, "falco-replay: warning: %s\n", cfg.warnings[i]);
	ao.cfg = &cfg;
	ao.sel = sel;
	ao.nsel = nsel;
	if (list_rules) {
		status = replay_list_rules(&ao, stdout, &err);
		if (status)
			fprintf(stderr, "falco-replay: %s\n", err.msg);
		goto out;
	}
	if (live_opt && !live) {
		fprintf(stderr, "falco-replay: --driver, --all, --seconds, --buffer-size and -s go "
		                "with --live\n");
		status = 2;
		goto out;
	}
	if (live && optind < argc) {
		fprintf(stderr, "falco-replay: --live reads no capture (got '%s')\n", argv[optind]);
		status = 2;
		goto out;
	}
	if (live) {
		ff_stop_catch();
		lo.live = &lv;
		ao.live = &lv;
	} else if (optind >= argc) {
		fprintf(stderr, "falco-replay: no capture given\n");
		usage(stderr);
		status = 2;
		goto out;
	}
	static char obuf[1 << 16];
	/* live: each line as it happens */
	setvbuf(stdout, obuf, live ? _IOLBF : _IOFBF, sizeof(obuf));
	if (listing) {
		lo.json = json;
		status = replay_list(&lo, argv + optind, argc - optind, &err);
	} else {
		status = replay_alert(&ao, argv + optind, argc - optind, &err);
	}
	fflush(stdout);
	if (status)
		fprintf(stderr, "falco-replay: %s\n", err.msg);
	if (ferror(stdout) && !status) {
		fprintf(stderr, "falco-replay: write error on standard output\n");
		status = 1;
	}
out:
	free(sel);
	free(rules);
	free(over);
	ff_config_free(&cfg);
	return status;
}
