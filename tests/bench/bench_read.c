/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Read benchmark (not a test, asserts nothing about time): read each capture
 * through ff_reader and decode every parameter of every event by its table
 * type, best of -r runs.  One line per file:
 *   file=F codec=C events=N bytes=B seconds=S events_per_s=E mb_per_s=M
 * where bytes are decoded bytes and MB/s is decoded MB (10^6) per second.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "ff_reader.h"

static volatile uint64_t sink;

static uint64_t decode(const struct ff_evt *ev)
{
	const struct ff_event_info *info = ff_evt_info(ev);
	uint64_t acc = ev->ts ^ ev->tid;
	unsigned i;

	for (i = 0; i < ev->nparams; i++) {
		uint8_t type = (info && i < info->nparams) ? info->params[i].type : FF_PT_BYTEBUF;
		uint32_t l = 0;
		int ok;

		switch (type) {
		case FF_PT_CHARBUF:
		case FF_PT_FSPATH:
		case FF_PT_FSRELPATH: {
			const char *s = ff_evt_param_str(ev, i, &l);

			if (s && l)
				acc += (unsigned char)s[l - 1] + l;
			break;
		}
		case FF_PT_BYTEBUF:
		case FF_PT_SOCKADDR:
		case FF_PT_SOCKTUPLE:
		case FF_PT_FDLIST:
		case FF_PT_DYN:
		case FF_PT_IPADDR:
		case FF_PT_IPV6ADDR: {
			const uint8_t *p = ff_evt_param(ev, i, &l);

			if (p && l)
				acc += p[0] + l;
			break;
		}
		case FF_PT_INT8:
		case FF_PT_INT16:
		case FF_PT_INT32:
		case FF_PT_INT64:
		case FF_PT_ERRNO:
		case FF_PT_FD:
		case FF_PT_PID:
			acc += (uint64_t)ff_evt_param_int(ev, i, &ok);
			break;
		default:
			acc += ff_evt_param_uint(ev, i, &ok);
			break;
		}
	}
	return acc;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench(const char *path, uint64_t *nev, uint64_t *nbytes, double *secs,
                 enum ff_codec *codec)
{
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	uint64_t acc = 0, n = 0;
	double t0 = now();
	int rc;

	if (ff_reader_open(&r, path, &err) < 0) {
		fprintf(stderr, "bench_read: %s\n", err.msg);
		return -1;
	}
	while ((rc = ff_reader_next(r, &b, &err)) == 1) {
		if (b.kind != FF_BLK_EVENT)
			continue;
		acc += decode(&b.ev);
		n++;
	}
	*secs = now() - t0;
	*nev = n;
	*nbytes = ff_reader_offset(r);
	*codec = ff_reader_codec(r);
	sink = acc;
	ff_reader_close(r);
	if (rc < 0) {
		fprintf(stderr, "bench_read: %s\n", err.msg);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int runs = 3, c, i, ret = 0;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c == 'r')
			runs = atoi(optarg);
		else
			return 2;
	}
	if (optind >= argc || runs < 1) {
		fprintf(stderr, "usage: bench_read [-r RUNS] CAPTURE...\n");
		return 2;
	}
	for (i = optind; i < argc; i++) {
		double best = 0, s;
		uint64_t nev = 0, nbytes = 0;
		enum ff_codec codec = FF_CODEC_NONE;

		for (c = 0; c < runs; c++) {
			if (bench(argv[i], &nev, &nbytes, &s, &codec) < 0) {
				ret = 1;
				break;
			}
			if (c == 0 || s < best)
				best = s;
		}
		if (c < runs)
			continue;
		printf("file=%s codec=%s events=%" PRIu64 " bytes=%" PRIu64
		       " seconds=%.3f events_per_s=%.0f mb_per_s=%.1f\n",
		       argv[i], ff_codec_name(codec), nev, nbytes, best, (double)nev / best,
		       (double)nbytes / 1e6 / best);
	}
	return ret;
}
