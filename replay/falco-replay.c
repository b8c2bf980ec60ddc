/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-replay: read captures and print their events.  This first version
 * prints sysdig's default line for every event; field selection (-p),
 * filters (-f) and JSON (-j) will sit between the state and ff_render.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_reader.h"
#include "ff_render.h"
#include "ff_state.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: falco-replay [-n N] CAPTURE...\n"
	           "Print the events of .scap captures (plain, gzip or zstd) the way\n"
	           "`sysdig -r CAPTURE` prints them.\n\n"
	           "  -n, --count N   stop after N printed events\n"
	           "  -h, --help      show this help\n");
}

struct out {
	struct ff_sbuf line, scratch;
	FILE *f;
};

/* Replay one capture into a fresh state.  Returns 0 or a negative errno with
 * err set; *printed counts events written; stops at *left == 0. */
static int replay_file(const char *path, struct out *o, uint64_t *left, struct ff_err *err)
{
	struct ff_reader *r = NULL;
	struct ff_state *st = NULL;
	struct ff_block b;
	uint64_t evtnum = 0;
	int rc;

	rc = ff_reader_open(&r, path, err);
	if (rc)
		return rc;
	rc = ff_state_new(&st, err);
	if (rc)
		goto out;
	while (*left && (rc = ff_reader_next(r, &b, err)) > 0) {
		if (b.kind != FF_BLK_EVENT) {
			rc = ff_state_load_block(st, &b, err);
			if (rc) {
				ff_err_prefix(err, "%s: ", path);
				goto out;
			}
			continue;
		}
		if (!ff_render_counted(&b.ev))
			continue; /* sysdig 0.29.3 skips ids it does not know */
		evtnum++;
		ff_state_update(st, &b.ev);
		if (!ff_render_visible(&b.ev))
			continue;
		ff_sbuf_reset(&o->line);
		rc = ff_render_line(st, &b.ev, evtnum, &o->line, &o->scratch);
		if (rc) {
			ff_errf(err, rc, "out of memory");
			goto out;
		}
		if (fwrite(o->line.p, 1, o->line.len, o->f) != o->line.len) {
			rc = ff_errf(err, -EIO, "write error on standard output");
			goto out;
		}
		if (*left != UINT64_MAX)
			(*left)--;
	}
	if (rc > 0)
		rc = 0;
out:
	ff_state_free(st);
	ff_reader_close(r);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "count", required_argument, NULL, 'n' },
		                              { "help", no_argument, NULL, 'h' },
		                              { NULL, 0, NULL, 0 } };
	struct out o = { .f = stdout };
	struct ff_err err = { 0 };
	uint64_t left = UINT64_MAX;
	int c, status = 0;

	while ((c = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
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
			left = v;
			break;
		}
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "falco-replay: no capture given\n");
		usage(stderr);
		return 2;
	}
	static char obuf[1 << 16];
	setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
	for (int i = optind; i < argc && left; i++) {
		if (replay_file(argv[i], &o, &left, &err)) {
			fflush(stdout);
			fprintf(stderr, "falco-replay: %s\n", err.msg);
			status = 1;
			break;
		}
	}
	if (fflush(stdout) != 0 && !status) {
		fprintf(stderr, "falco-replay: write error on standard output\n");
		status = 1;
	}
	ff_sbuf_free(&o.line);
	ff_sbuf_free(&o.scratch);
	return status;
}
