/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark input builder (not a test): a big plain capture made of a real
 * capture's metadata blocks once, then its event blocks repeated N times with
 * every timestamp of copy k shifted by k * (span + 1) ns so that the whole file
 * stays in non-decreasing order.  Blocks are copied with their framing intact;
 * only the event `ts` fields change.
 *   mkbig -n 700 -o /tmp/big.scap /work/shared/captures/curl_google.scap
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ff_reader.h"
#include "ff_scap.h"
#include "rb_build.h"

static int is_evf(uint32_t t)
{
	return t == FF_BT_EVF || t == FF_BT_EVF_V2 || t == FF_BT_EVF_V2_LARGE;
}

static int usage(void)
{
	fprintf(stderr, "usage: mkbig -n COPIES -o OUT.scap IN.scap\n");
	return 2;
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	long copies = 0;
	struct ff_reader *r = NULL;
	struct ff_block b;
	struct ff_err err = { 0 };
	struct rb_buf meta = { 0 }, evs = { 0 };
	size_t *tsoff = NULL, nts = 0, capts = 0, i;
	uint64_t tmin = UINT64_MAX, tmax = 0, shift, nev = 0;
	FILE *f = NULL;
	int c, rc, ret = 1;

	while ((c = getopt(argc, argv, "n:o:")) != -1) {
		if (c == 'n')
			copies = strtol(optarg, NULL, 10);
		else if (c == 'o')
			out = optarg;
		else
			return usage();
	}
	if (optind != argc - 1 || !out || copies < 1)
		return usage();
	if (ff_reader_open(&r, argv[optind], &err) < 0)
		goto fail;
	/* Raw blocks are rebuilt from the view: 8-byte header, body, trailer. */
	while ((rc = ff_reader_next(r, &b, &err)) == 1) {
		uint32_t total = b.body_len + 12;
		struct rb_buf *dst = b.kind == FF_BLK_EVENT ? &evs : &meta;

		if (b.kind != FF_BLK_EVENT && evs.len) {
			fprintf(stderr, "mkbig: %s: block type 0x%x after the events ignored\n",
			        argv[optind], b.type);
			continue;
		}
		rb_put(dst, b.body - 8, total);
		if (b.kind != FF_BLK_EVENT)
			continue;
		if (nts == capts) {
			capts = capts ? capts * 2 : 1024;
			tsoff = realloc(tsoff, capts * sizeof(*tsoff));
			if (!tsoff)
				abort();
		}
		/* ts is the first field of the event, after cpu (and flags) */
		tsoff[nts++] = evs.len - total + 8 + (is_evf(b.type) ? 6 : 2);
		if (b.ev.ts < tmin)
			tmin = b.ev.ts;
		if (b.ev.ts > tmax)
			tmax = b.ev.ts;
	}
	if (rc < 0)
		goto fail;
	if (!nts) {
		fprintf(stderr, "mkbig: %s: no events\n", argv[optind]);
		goto out;
	}
	shift = tmax - tmin + 1;
	f = fopen(out, "wb");
	if (!f) {
		fprintf(stderr, "mkbig: %s: %s\n", out, strerror(errno));
		goto out;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	if (fwrite(meta.p, 1, meta.len, f) != meta.len)
		goto wfail;
	for (long k = 0; k < copies; k++) {
		if (k > 0)
			for (i = 0; i < nts; i++) {
				uint64_t ts;

				memcpy(&ts, evs.p + tsoff[i], 8);
				ts += shift;
				memcpy(evs.p + tsoff[i], &ts, 8);
			}
		if (fwrite(evs.p, 1, evs.len, f) != evs.len)
			goto wfail;
		nev += nts;
	}
	if (fclose(f) != 0) {
		f = NULL;
		goto wfail;
	}
	f = NULL;
	printf("mkbig: %s: %" PRIu64 " events, %llu bytes\n", out, nev,
	       (unsigned long long)(meta.len + evs.len * (size_t)copies));
	ret = 0;
	goto out;
wfail:
	fprintf(stderr, "mkbig: %s: write failed: %s\n", out, strerror(errno));
	goto out;
fail:
	fprintf(stderr, "mkbig: %s\n", err.msg);
out:
	if (f)
		fclose(f);
	ff_reader_close(r);
	rb_free(&meta);
	rb_free(&evs);
	free(tsoff);
	return ret;
}
