/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-replay: read captures and print their events.  main() parses the
 * command line and hands over to a mode: the listing (replay_list.c), which
 * prints what `sysdig -r CAPTURE -p FORMAT FILTER` prints.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay_list.h"

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: falco-replay [-p FORMAT] [-f FILTER] [-j] [-n N] CAPTURE...\n"
	        "       falco-replay --list-fields\n"
	        "Print the events of .scap captures (plain, gzip or zstd) the way\n"
	        "`sysdig -r CAPTURE -p FORMAT FILTER` prints them.\n\n"
	        "  -p, --print FORMAT  output format: %%field, %%field[arg], %%Nfield (width),\n"
	        "                      literal text; a leading '*' prints events whose\n"
	        "                      fields are missing (as <NA>), otherwise they are skipped\n"
	        "  -f, --filter FILTER only events matching the Falco/sysdig filter expression\n"
	        "  -j, --json          one JSON object per event (the format's fields)\n"
	        "  -n, --count N       stop after N events have passed the filter (like sysdig)\n"
	        "  -l, --list-fields   list the fields with their types and descriptions\n"
	        "  -h, --help          show this help\n\n"
	        "Without -p, the line is sysdig's default: %s\n",
	        "*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type "
	        "%evt.info");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "count", required_argument, NULL, 'n' },
		                              { "print", required_argument, NULL, 'p' },
		                              { "filter", required_argument, NULL, 'f' },
		                              { "json", no_argument, NULL, 'j' },
		                              { "list-fields", no_argument, NULL, 'l' },
		                              { "help", no_argument, NULL, 'h' },
		                              { NULL, 0, NULL, 0 } };
	struct replay_list_opts lo = { .out = stdout, .count = UINT64_MAX };
	struct ff_err err = { 0 };
	int c, status, list_fields = 0;

	while ((c = getopt_long(argc, argv, "n:p:f:jlh", opts, NULL)) != -1) {
		switch (c) {
		case 'n': {
			char *end;
			errno = 0;
			unsigned long long v = strtoull(optarg, &end, 10);
			if (errno || *end || !*optarg || optarg[0] == '-') {
				fprintf(stderr, "falco-replay: -n needs a number, got '%s'\n",
				        optarg);
				return 2;
			}
			lo.count = v;
			break;
		}
		case 'p':
			lo.format = optarg;
			break;
		case 'f':
			lo.filter = optarg;
			break;
		case 'j':
			lo.json = 1;
			break;
		case 'l':
			list_fields = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (list_fields) {
		if (replay_list_fields(stdout, &err)) {
			fprintf(stderr, "falco-replay: %s\n", err.msg);
			return 1;
		}
		return fflush(stdout) ? 1 : 0;
	}
	if (optind >= argc) {
		fprintf(stderr, "falco-replay: no capture given\n");
		usage(stderr);
		return 2;
	}
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	status = replay_list(&lo, argv + optind, argc - optind, &err);
	fflush(stdout);
	if (status)
		fprintf(stderr, "falco-replay: %s\n", err.msg);
	if (ferror(stdout) && !status) {
		fprintf(stderr, "falco-replay: write error on standard output\n");
		status = 1;
	}
	return status;
}
