/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-tui: ncurses browser of alerts and activity in captures (and live).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ff_tui.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: falco-tui [OPTIONS] CAPTURE [FILTER...]\n"
	           "       falco-tui [OPTIONS] --live [FILTER...]\n"
	           "Browse the activity and the alerts of a .scap capture (plain, gzip or zstd)\n"
	           "in csysdig-like views, with drill-down, filters and time travel.\n\n"
	           "  -r, --read FILE        the capture (or give it as the first argument)\n"
	           "  -v, --view ID          start view: alerts procs files dirs connections\n"
	           "                         ports syscalls errors containers events\n"
	           "      --rules FILE       rules file for the Alerts view (repeatable)\n"
	           "      --live             watch this host instead of a file\n"
	           "  -d, --delay MS         live refresh interval (default 2000)\n"
	           "      --bench-first-screen  draw the first screen, exit and print how long\n"
	           "                         it took (for benchmarks)\n"
	           "  -h, --help             show this help\n\n"
	           "A FILTER (the words after the capture, joined) uses the filter language,\n"
	           "e.g. 'proc.name=curl and fd.name contains /etc'.  Press F1 or ? inside\n"
	           "for the keys.\n");
}

int main(int argc, char **argv)
{
	enum { O_RULES = 256, O_LIVE, O_BENCH };
	static const struct option opts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "view", required_argument, NULL, 'v' },
		{ "rules", required_argument, NULL, O_RULES },
		{ "live", no_argument, NULL, O_LIVE },
		{ "delay", required_argument, NULL, 'd' },
		{ "bench-first-screen", no_argument, NULL, O_BENCH },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ff_tui_opts o = { .sz = sizeof(o) };
	const char *rules[32];
	size_t nrules = 0;
	char *filter = NULL;
	struct ff_err err = { 0 };
	int c, status = 0;

	while ((c = getopt_long(argc, argv, "r:v:d:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			o.path = optarg;
			break;
		case 'v':
			o.view = optarg;
			break;
		case O_RULES:
			if (nrules == sizeof(rules) / sizeof(rules[0])) {
				fprintf(stderr, "falco-tui: too many --rules files\n");
				return 2;
			}
			rules[nrules++] = optarg;
			break;
		case O_LIVE:
			o.live = 1;
			break;
		case 'd': {
			char *end;
			errno = 0;
			long v = strtol(optarg, &end, 10);
			if (errno || *end || v < 100 || v > 600000) {
				fprintf(
				    stderr,
				    "falco-tui: -d needs milliseconds (100..600000), got '%s'\n",
				    optarg);
				return 2;
			}
			o.interval_ms = (unsigned)v;
			break;
		}
		case O_BENCH:
			o.bench_first_screen = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (!o.path && !o.live && optind < argc)
		o.path = argv[optind++];
	if (!o.path && !o.live) {
		fprintf(stderr, "falco-tui: no capture given (or --live)\n");
		usage(stderr);
		return 2;
	}
	if (o.path && o.live) {
		fprintf(stderr, "falco-tui: give a capture or --live, not both\n");
		return 2;
	}
	if (o.view) {
		int ok = 0;
		for (int i = 0; ff_tui_view_ids[i]; i++)
			ok |= strcmp(o.view, ff_tui_view_ids[i]) == 0;
		if (!ok) {
			fprintf(stderr, "falco-tui: unknown view '%s'\n", o.view);
			return 2;
		}
	}
	/* the remaining words form the filter, as with csysdig */
	if (optind < argc) {
		size_t len = 0;
		for (int i = optind; i < argc; i++)
			len += strlen(argv[i]) + 1;
		filter = calloc(1, len + 1);
		if (!filter) {
			fprintf(stderr, "falco-tui: out of memory\n");
			return 1;
		}
		size_t o2 = 0;
		for (int i = optind; i < argc; i++) {
			size_t l = strlen(argv[i]);
			if (i > optind)
				filter[o2++] = ' ';
			memcpy(filter + o2, argv[i], l);
			o2 += l;
		}
		o.filter = filter;
	}
	if (o.path && access(o.path, R_OK) != 0) {
		fprintf(stderr, "falco-tui: %s: %s\n", o.path, strerror(errno));
		free(filter);
		return 1;
	}
	if (!isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) {
		fprintf(stderr, "falco-tui: needs a terminal\n");
		free(filter);
		return 1;
	}
	o.rules = nrules ? rules : NULL;
	o.nrules = nrules;
	if (ff_tui_run(&o, &err)) {
		fprintf(stderr, "falco-tui: %s\n", err.msg);
		status = err.code == -EINVAL ? 2 : 1;
	}
	free(filter);
	return status;
}
