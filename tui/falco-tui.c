/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-tui: ncurses browser of alerts and activity in captures (and live).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ff_num.h"
#include "ff_tui.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: falco-tui [OPTIONS] CAPTURE [FILTER...]\n"
	           "       falco-tui --live [LIVE OPTIONS] [OPTIONS] [FILTER...]\n"
	           "Browse the activity and the alerts of a .scap capture (plain, gzip or zstd)\n"
	           "in csysdig-like views, with drill-down, filters and time travel; or of this\n"
	           "host as it runs (--live, root).\n\n"
	           "  -r, --read FILE        the capture (or give it as the first argument);\n"
	           "                         with --live: a rules file, as falco-replay's -r\n"
	           "  -v, --view ID          start view: alerts procs files dirs connections\n"
	           "                         ports syscalls errors containers events\n"
	           "      --rules FILE       rules file for the Alerts view (repeatable)\n"
	           "      --pcap FILE        packets taken with the capture (pcap/pcapng; default\n"
	           "                         CAPTURE.pcap or CAPTURE.pcapng when there is one)\n"
	           "      --bench-first-screen  draw the first screen, exit and print how long\n"
	           "                         it took (for benchmarks)\n"
	           "  -h, --help             show this help\n\n"
	           "Live:\n"
	           "      --live             watch this host: /proc is scanned, then the driver's\n"
	           "                         events refresh the views every interval\n"
	           "      --driver NAME      bpf or kmod (default: kmod if loaded, else bpf)\n"
	           "      --all              every syscall the driver knows, not the default set\n"
	           "  -s, --snaplen BYTES    I/O data kept per read/write event (default 80)\n"
	           "      --buffer-size B    per-CPU ring bytes, a power of 2 (default 8388608)\n"
	           "  -d, --delay MS         refresh interval (default 2000; + and - change it)\n\n"
	           "A FILTER (the words after the capture, joined) uses the filter language,\n"
	           "e.g. 'proc.name=curl and fd.name contains /etc'.  Press F1 or ? inside\n"
	           "for the keys.\n");
}

static int parse_num(const char *opt, const char *arg, unsigned long long min,
                     unsigned long long max, unsigned long long *out)
{
	uint64_t v;
	if (ff_num_u64(arg, &v) || v < min || v > max) {
		fprintf(stderr, "falco-tui: invalid %s '%s' (%llu to %llu)\n", opt, arg, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_RULES = 256, O_LIVE, O_BENCH, O_DRIVER, O_ALL, O_BUFSIZE, O_PCAP };
	static const struct option opts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "view", required_argument, NULL, 'v' },
		{ "rules", required_argument, NULL, O_RULES },
		{ "live", no_argument, NULL, O_LIVE },
		{ "delay", required_argument, NULL, 'd' },
		{ "driver", required_argument, NULL, O_DRIVER },
		{ "all", no_argument, NULL, O_ALL },
		{ "snaplen", required_argument, NULL, 's' },
		{ "buffer-size", required_argument, NULL, O_BUFSIZE },
		{ "pcap", required_argument, NULL, O_PCAP },
		{ "bench-first-screen", no_argument, NULL, O_BENCH },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ff_tui_opts o = { .sz = sizeof(o) };
	const char *rules[32], *reads[32];
	size_t nrules = 0, nreads = 0;
	char *filter = NULL;
	struct ff_err err = { 0 };
	int c, status = 0, live_only = 0;
	unsigned long long v;

	while ((c = getopt_long(argc, argv, "r:v:d:s:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			/* the capture, or with --live a rules file: decided below */
			if (nreads == sizeof(reads) / sizeof(reads[0])) {
				fprintf(stderr, "falco-tui: too many -r\n");
				return 2;
			}
			reads[nreads++] = optarg;
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
		case 'd':
			if (parse_num("-d (milliseconds)", optarg, 100, 600000, &v))
				return 2;
			o.interval_ms = (unsigned)v;
			break;
		case O_DRIVER:
			if (strcmp(optarg, "bpf") && strcmp(optarg, "kmod")) {
				fprintf(stderr,
				        "falco-tui: unknown driver '%s' (expected bpf or kmod)\n",
				        optarg);
				return 2;
			}
			o.driver = optarg;
			live_only = 1;
			break;
		case O_ALL:
			o.all_syscalls = 1;
			live_only = 1;
			break;
		case 's':
			if (parse_num("snaplen", optarg, 1, 16384, &v))
				return 2;
			o.snaplen = (uint32_t)v;
			live_only = 1;
			break;
		case O_BUFSIZE:
			if (parse_num("buffer size", optarg, 4096, 1ull << 30, &v))
				return 2;
			if (v & (v - 1)) {
				fprintf(stderr, "falco-tui: buffer size must be a power of 2\n");
				return 2;
			}
			o.buffer_bytes = (size_t)v;
			live_only = 1;
			break;
		case O_PCAP:
			o.pcap = optarg;
			break;
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
	if (o.live) {
		/* -r names rules files live, as with falco-replay --live */
		for (size_t i = 0; i < nreads; i++) {
			if (nrules == sizeof(rules) / sizeof(rules[0])) {
				fprintf(stderr, "falco-tui: too many rules files\n");
				return 2;
			}
			rules[nrules++] = reads[i];
		}
		if (o.pcap) {
			fprintf(stderr,
			        "falco-tui: --pcap joins packets with a capture, not --live\n");
			return 2;
		}
	} else if (nreads > 1) {
		fprintf(stderr, "falco-tui: one capture at a time (-r given %zu times)\n", nreads);
		return 2;
	} else if (nreads) {
		o.path = reads[0];
	}
	if (live_only && !o.live) {
		fprintf(stderr, "falco-tui: --driver, --all, -s and --buffer-size need --live\n");
		return 2;
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
	if (o.pcap && access(o.pcap, R_OK) != 0) {
		fprintf(stderr, "falco-tui: %s: %s\n", o.pcap, strerror(errno));
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
