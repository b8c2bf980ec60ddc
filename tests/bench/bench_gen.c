/* SPDX-License-Identifier: Apache-2.0 */
/* bench_gen IN OUT REPEAT: a large plain capture made of IN's metadata and
 * its events repeated REPEAT times, each repetition shifted in time after the
 * previous one.  For benchmarks only. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_meta.h"
#include "ff_reader.h"
#include "ff_writer.h"

struct ev {
	uint8_t *raw;
	uint32_t len, flags;
	uint16_t cpu;
};

int main(int argc, char **argv)
{
	struct ff_reader *r = NULL;
	struct ff_writer *w = NULL;
	struct ff_err err = { 0 };
	struct ff_buf meta = { 0 };
	struct ff_block b;
	struct ev *evs = NULL;
	size_t n = 0, cap = 0;
	uint64_t first = 0, last = 0;
	long reps;
	int rc = 1;

	if (argc != 4 || (reps = strtol(argv[3], NULL, 10)) < 1) {
		fprintf(stderr, "usage: bench_gen IN OUT REPEAT\n");
		return 2;
	}
	if (ff_reader_open(&r, argv[1], &err) < 0)
		goto out;
	while (ff_reader_next(r, &b, &err) == 1) {
		if (b.kind == FF_BLK_SECTION && n == 0 && meta.len == 0)
			continue;
		if (b.kind == FF_BLK_SECTION)
			break; /* first section only */
		if (b.kind != FF_BLK_EVENT) {
			uint32_t total = b.body_len + 12;

			/* metadata blocks are copied as they are */
			if (ff_buf_put(&meta, b.body - 8, total, &err) < 0)
				goto out;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			evs = realloc(evs, cap * sizeof(*evs));
			if (!evs)
				goto out;
		}
		evs[n].raw = malloc(b.ev.len);
		if (!evs[n].raw)
			goto out;
		memcpy(evs[n].raw, b.ev.raw, b.ev.len);
		evs[n].len = b.ev.len;
		evs[n].flags = b.ev.dump_flags;
		evs[n].cpu = b.ev.cpu;
		if (n == 0)
			first = b.ev.ts;
		last = b.ev.ts;
		n++;
	}
	if (ff_writer_open(&w, argv[2],
	                   &(struct ff_writer_opts){ .sz = sizeof(struct ff_writer_opts),
	                                             .codec = FF_CODEC_NONE },
	                   &err) < 0 ||
	    ff_writer_write_meta(w, meta.p, meta.len, &err) < 0)
		goto out;
	for (long k = 0; k < reps; k++) {
		uint64_t shift = (uint64_t)k * (last - first + 1000000);

		for (size_t i = 0; i < n; i++) {
			struct ff_evt ev = { 0 };
			uint64_t ts;

			memcpy(&ts, evs[i].raw, 8);
			ts += shift;
			memcpy(evs[i].raw, &ts, 8);
			if (ff_evt_init(&ev, evs[i].raw, evs[i].len, &err) < 0)
				goto out;
			ev.cpu = evs[i].cpu;
			ev.dump_flags = evs[i].flags;
			if (ff_writer_write_event(w, &ev, &err) < 0)
				goto out;
			ts -= shift;
			memcpy(evs[i].raw, &ts, 8);
		}
	}
	rc = 0;
out:
	if (w && ff_writer_close(w, rc ? NULL : &err) < 0)
		rc = 1;
	if (rc)
		fprintf(stderr, "bench_gen: %s\n", err.msg);
	for (size_t i = 0; i < n; i++)
		free(evs[i].raw);
	free(evs);
	ff_buf_free(&meta);
	ff_reader_close(r);
	return rc;
}
