/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Damage the real captures ($FF_SHARED/captures) and read them back through
 * ff_reader.  The truth is the intact file read through the same reader: after
 * truncating or flipping a byte, every event whose block lies wholly before the
 * damage must come back byte-identical, nothing may crash (the suite also runs
 * under ASan+UBSan), and every error must name the file and a byte offset.
 * Damage is applied to plain, gzip and zstd forms.  Offsets are every block
 * boundary -1/0/+1 plus evenly spaced and pseudo-random ones (fixed seed;
 * FF_CORRUPT_SEED overrides it).  Skipped (77) without the captures.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ff_reader.h"
#include "ff_scap.h"
#include "rb_build.h"

#define NAME "damaged.scap"

static const char *const captures[] = { "curl_google.scap", "curl_google_comments.scap",
	                                "single_ipv6_conn.scap", "test_ipv6_client.scap" };

static int failures;
static uint64_t rng_state;

#define FAIL(...)                                                                                  \
	do {                                                                                       \
		fprintf(stderr, "FAIL %s: ", cur_file);                                            \
		fprintf(stderr, __VA_ARGS__);                                                      \
		fputc('\n', stderr);                                                               \
		if (++failures > 20)                                                               \
			exit(1);                                                                   \
	} while (0)

static const char *cur_file = "";

static uint64_t rnd(void)
{
	/* xorshift64*: reproducible across libcs */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ull;
}

struct tevt {
	uint64_t blk_off, blk_end; /* the event block in the decoded stream */
	uint16_t cpu;
	uint32_t flags;
	uint8_t *raw; /* copy of the (upgraded) event, ev.len bytes */
	uint32_t len;
};

struct truth {
	uint64_t *bstart; /* block starts, then the file length */
	size_t nblk;
	struct tevt *ev;
	size_t nev;
};

static int touch(const struct ff_evt *ev)
{
	int acc = 0, ok;
	unsigned i;

	for (i = 0; i < ev->nparams; i++) {
		uint32_t l = 0;
		const uint8_t *p = ff_evt_param(ev, i, &l);
		const char *s;

		if (l)
			acc += p[0] + p[l - 1];
		acc += (int)ff_evt_param_uint(ev, i, &ok);
		acc += (int)ff_evt_param_int(ev, i, &ok);
		s = ff_evt_param_str(ev, i, &l);
		if (s && l)
			acc += s[l - 1];
	}
	return acc;
}

static int load_truth(const uint8_t *plain, size_t len, struct truth *t)
{
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	size_t capb = 256, cape = 256;
	int rc;

	memset(t, 0, sizeof(*t));
	t->bstart = malloc(capb * sizeof(*t->bstart));
	t->ev = malloc(cape * sizeof(*t->ev));
	if (ff_reader_open_mem(&r, plain, len, cur_file, &err) < 0) {
		FAIL("open intact: %s", err.msg);
		return -1;
	}
	while ((rc = ff_reader_next(r, &b, &err)) == 1) {
		if (t->nblk + 1 >= capb)
			t->bstart = realloc(t->bstart, (capb *= 2) * sizeof(*t->bstart));
		t->bstart[t->nblk++] = b.offset;
		if (b.kind != FF_BLK_EVENT)
			continue;
		if (t->nev == cape)
			t->ev = realloc(t->ev, (cape *= 2) * sizeof(*t->ev));
		t->ev[t->nev].blk_off = b.offset;
		t->ev[t->nev].blk_end = ff_reader_offset(r);
		t->ev[t->nev].cpu = b.ev.cpu;
		t->ev[t->nev].flags = b.ev.dump_flags;
		t->ev[t->nev].len = b.ev.len;
		t->ev[t->nev].raw = malloc(b.ev.len);
		memcpy(t->ev[t->nev].raw, b.ev.raw, b.ev.len);
		touch(&b.ev);
		t->nev++;
	}
	t->bstart[t->nblk] = len;
	ff_reader_close(r);
	if (rc != 0) {
		FAIL("intact capture does not read cleanly: %s", err.msg);
		return -1;
	}
	if (t->nev < 100)
		FAIL("only %zu events in the intact capture", t->nev);
	return 0;
}

static void free_truth(struct truth *t)
{
	for (size_t i = 0; i < t->nev; i++)
		free(t->ev[i].raw);
	free(t->ev);
	free(t->bstart);
}

/* Start of the block containing decoded offset `off` (off < file length). */
static uint64_t block_at(const struct truth *t, uint64_t off)
{
	size_t lo = 0, hi = t->nblk; /* bstart[lo] <= off < bstart[hi] */

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;

		if (t->bstart[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return t->bstart[lo];
}

static int is_boundary(const struct truth *t, uint64_t off)
{
	return block_at(t, off) == off || off == t->bstart[t->nblk];
}

struct outcome {
	int rc;                   /* last non-1 result */
	int errors;               /* error results seen */
	char msg[FF_ERR_MSG_MAX]; /* first error */
	size_t good;              /* leading events identical to the truth */
};

/* Read `data`; the events whose block ends at or before `intact_upto` decoded
 * bytes must equal the truth, in order and all present.  Every error message
 * must name the file and an offset. */
static void run(const struct truth *t, const void *data, size_t len, uint64_t intact_upto,
                struct outcome *o, const char *what)
{
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	size_t i = 0, want = 0, calls = 0;
	uint64_t before;
	int rc;

	memset(o, 0, sizeof(*o));
	while (want < t->nev && t->ev[want].blk_end <= intact_upto)
		want++;
	if (ff_reader_open_mem(&r, data, len, NAME, &err) < 0) {
		FAIL("%s: open: %s", what, err.msg);
		return;
	}
	for (;;) {
		before = ff_reader_offset(r);
		rc = ff_reader_next(r, &b, &err);
		if (++calls > t->nblk * 4 + 1000) {
			FAIL("%s: reader does not stop", what);
			break;
		}
		if (rc == 1) {
			if (b.kind != FF_BLK_EVENT)
				continue;
			touch(&b.ev);
			if (i < want) {
				const struct tevt *e = &t->ev[i];

				if (b.offset != e->blk_off || b.ev.len != e->len ||
				    b.ev.cpu != e->cpu || b.ev.dump_flags != e->flags ||
				    memcmp(b.ev.raw, e->raw, e->len))
					FAIL("%s: event %zu (block at %" PRIu64 ") differs", what,
					     i, e->blk_off);
				else
					o->good++;
			}
			i++;
			continue;
		}
		o->rc = rc;
		if (rc == 0)
			break;
		if (o->errors++ == 0)
			memcpy(o->msg, err.msg, sizeof(o->msg));
		if (!strstr(err.msg, NAME) || (len > 0 && !strstr(err.msg, "byte ")))
			FAIL("%s: error message lacks file or offset: %s", what, err.msg);
		if (err.code != rc)
			FAIL("%s: err.code %d != rc %d", what, err.code, rc);
		if (ff_reader_offset(r) == before)
			break; /* sticky: no progress */
	}
	ff_reader_close(r);
	if (o->good != want)
		FAIL("%s: %zu of the %zu events before the damage came back (%s)", what, o->good,
		     want, o->errors ? o->msg : "no error");
}

/* ---- (a) truncation ---- */

static void truncate_plain(const struct truth *t, const uint8_t *plain, size_t len, size_t cut,
                           struct outcome *o)
{
	uint8_t *copy = malloc(cut ? cut : 1); /* exact size: ASan sees any overread */
	char what[64];

	memcpy(copy, plain, cut);
	snprintf(what, sizeof(what), "plain cut at %zu", cut);
	run(t, copy, cut, cut, o, what);
	free(copy);
	if (cut == len || (cut > 0 && is_boundary(t, cut))) {
		if (o->rc != 0 || o->errors)
			FAIL("%s (block boundary): error %s", what, o->msg);
	} else if (o->rc >= 0) {
		FAIL("%s: no error reported", what);
	} else if (cut > 0 && !rb_msg_has_offset(o->msg, block_at(t, cut))) {
		FAIL("%s: message does not name byte %" PRIu64 ": %s", what, block_at(t, cut),
		     o->msg);
	}
}

/* The truncated plain capture, compressed whole: must read exactly like plain. */
static void truncate_then_compress(const struct truth *t, const uint8_t *plain, size_t cut,
                                   int zstd, const struct outcome *po)
{
	struct rb_buf z = { 0 };
	struct outcome o;
	char what[64];

	if (zstd)
		rb_zstd_frame(&z, plain, cut, 1);
	else
		rb_gzip_member(&z, plain, cut, 1);
	snprintf(what, sizeof(what), "%s of plain cut at %zu", zstd ? "zstd" : "gzip", cut);
	run(t, z.p, z.len, cut, &o, what);
	if (cut > 0 && (o.rc != po->rc || strcmp(o.msg, po->msg)))
		FAIL("%s: '%s' (%d) where plain gave '%s' (%d)", what, o.msg, o.rc, po->msg,
		     po->rc);
	rb_free(&z);
}

/* The compressed capture cut at `cut` compressed bytes. */
static void truncate_compressed(const struct truth *t, const struct rb_buf *z, size_t cut, int zstd)
{
	uint8_t *copy = malloc(cut ? cut : 1);
	struct outcome o;
	char what[64];
	int clean;
	size_t d;

	memcpy(copy, z->p, cut);
	d = zstd ? rb_unzstd(copy, cut, NULL, &clean) : rb_gunzip(copy, cut, NULL, &clean);
	if (cut < 4)
		d = 0, clean = 0;
	snprintf(what, sizeof(what), "%s cut at compressed %zu", zstd ? "zstd" : "gzip", cut);
	run(t, copy, cut, d, &o, what);
	if (!(clean && is_boundary(t, d)) && o.rc >= 0)
		FAIL("%s: no error reported", what);
	free(copy);
}

/* ---- (b) byte flips ---- */

static void flip_plain(const struct truth *t, const uint8_t *plain, size_t len, size_t pos)
{
	uint8_t *copy = malloc(len);
	struct outcome o;
	char what[64];

	memcpy(copy, plain, len);
	copy[pos] ^= (uint8_t)(1 + rnd() % 255);
	snprintf(what, sizeof(what), "plain flip at %zu", pos);
	run(t, copy, len, block_at(t, pos), &o, what);
	free(copy);
}

static void flip_compressed(const struct truth *t, const struct rb_buf *z, size_t pos, int zstd)
{
	uint8_t *copy = malloc(z->len);
	struct outcome o;
	char what[64];

	memcpy(copy, z->p, z->len);
	copy[pos] ^= (uint8_t)(1 + rnd() % 255);
	snprintf(what, sizeof(what), "%s flip at compressed %zu", zstd ? "zstd" : "gzip", pos);
	/* a damaged deflate/zstd block may decode to wrong bytes before the
	 * checksum catches it: no event is promised, only safety and messages */
	run(t, copy, z->len, 0, &o, what);
	free(copy);
}

static int load(const char *path, struct rb_buf *plain)
{
	FILE *f = fopen(path, "rb");
	struct rb_buf raw = { 0 };
	uint8_t tmp[65536];
	size_t n;
	int clean;

	if (!f) {
		perror(path);
		return -1;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		rb_put(&raw, tmp, n);
	fclose(f);
	if (raw.len >= 2 && raw.p[0] == 0x1f && raw.p[1] == 0x8b) {
		rb_gunzip(raw.p, raw.len, plain, &clean);
		rb_free(&raw);
		return clean ? 0 : -1;
	}
	*plain = raw;
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? -1 : x > y;
}

static void one_capture(const char *path)
{
	struct rb_buf plain = { 0 }, gz = { 0 }, zs = { 0 };
	struct truth t;
	size_t *cuts, ncut = 0, i, k;
	struct outcome po;
	unsigned ncomp = 0, nflip = 0;

	if (load(path, &plain) < 0) {
		FAIL("cannot load %s", path);
		return;
	}
	if (load_truth(plain.p, plain.len, &t) < 0)
		goto out;

	/* cut offsets: each block boundary -1, 0, +1; 150 evenly spaced; 150 random */
	cuts = malloc((t.nblk * 3 + 400) * sizeof(*cuts));
	for (i = 0; i <= t.nblk; i++)
		for (k = 0; k < 3; k++) {
			uint64_t c = t.bstart[i] + k - 1;

			if (t.bstart[i] + k >= 1 && c <= plain.len)
				cuts[ncut++] = (size_t)c;
		}
	for (i = 0; i < 150; i++)
		cuts[ncut++] = plain.len * i / 150;
	for (i = 0; i < 150; i++)
		cuts[ncut++] = (size_t)(rnd() % plain.len);
	qsort(cuts, ncut, sizeof(*cuts), cmp_size);

	for (i = 0; i < ncut; i++) {
		if (i > 0 && cuts[i] == cuts[i - 1])
			continue;
		truncate_plain(&t, plain.p, plain.len, cuts[i], &po);
		/* every 40th cut again through each compressor */
		if (i % 40 == 7) {
			truncate_then_compress(&t, plain.p, cuts[i], 0, &po);
			truncate_then_compress(&t, plain.p, cuts[i], 1, &po);
			ncomp++;
		}
	}

	/* the whole capture compressed, then cut: gzip -1 in 3 members, zstd -1
	 * in 2 frames with a skippable frame between */
	{
		size_t half = (size_t)t.bstart[t.nblk / 2], third = plain.len / 3;

		rb_gzip_member(&gz, plain.p, third, 1);
		rb_gzip_member(&gz, plain.p + third, half > third ? half - third : 0, 1);
		rb_gzip_member(&gz, plain.p + (half > third ? half : third),
		               plain.len - (half > third ? half : third), 1);
		rb_zstd_frame(&zs, plain.p, half, 1);
		rb_zstd_skippable(&zs, 16, 0x5a);
		rb_zstd_frame(&zs, plain.p + half, plain.len - half, 1);
	}
	for (i = 0; i < 100; i++) {
		truncate_compressed(&t, &gz, i < 50 ? gz.len * i / 50 : rnd() % gz.len, 0);
		truncate_compressed(&t, &zs, i < 50 ? zs.len * i / 50 : rnd() % zs.len, 1);
	}
	truncate_compressed(&t, &gz, gz.len, 0);
	truncate_compressed(&t, &zs, zs.len, 1);

	/* flips: the 8 framing bytes of 60 random blocks, the event header bytes of
	 * 40 random events, 200 random positions */
	for (i = 0; i < 60; i++) {
		uint64_t b = t.bstart[rnd() % t.nblk];

		flip_plain(&t, plain.p, plain.len, (size_t)(b + rnd() % 8));
		nflip++;
	}
	for (i = 0; i < 40; i++) {
		const struct tevt *e = &t.ev[rnd() % t.nev];

		flip_plain(&t, plain.p, plain.len, (size_t)(e->blk_off + 10 + rnd() % 22));
		nflip++;
	}
	for (i = 0; i < 200; i++, nflip++)
		flip_plain(&t, plain.p, plain.len, (size_t)(rnd() % plain.len));
	for (i = 0; i < 40; i++) {
		flip_compressed(&t, &gz, (size_t)(rnd() % gz.len), 0);
		flip_compressed(&t, &zs, (size_t)(rnd() % zs.len), 1);
	}
	printf("%s: %zu blocks, %zu events, %zu bytes; %zu plain cuts (%u also via gzip/zstd), "
	       "200 compressed cuts, %u plain flips, 80 compressed flips\n",
	       cur_file, t.nblk, t.nev, plain.len, ncut, ncomp, nflip);
	free(cuts);
out:
	free_truth(&t);
	rb_free(&plain);
	rb_free(&gz);
	rb_free(&zs);
}

int main(void)
{
	const char *shared = getenv("FF_SHARED");
	const char *seed = getenv("FF_CORRUPT_SEED");
	char dir[4096];
	struct stat st;
	size_t i;

	if (!shared || !*shared) {
		printf("SKIP: FF_SHARED is not set (run through make check)\n");
		return 77;
	}
	snprintf(dir, sizeof(dir), "%s/captures", shared);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
		printf("SKIP: real captures not found at %s (set FF_SHARED)\n", dir);
		return 77;
	}
	rng_state = seed ? strtoull(seed, NULL, 0) : 0x5eed5eedcafef00dull;
	if (!rng_state)
		rng_state = 1;
	printf("seed 0x%" PRIx64 "\n", rng_state);
	for (i = 0; i < sizeof(captures) / sizeof(captures[0]); i++) {
		char path[4200];

		snprintf(path, sizeof(path), "%s/%s", dir, captures[i]);
		cur_file = captures[i];
		one_capture(path);
	}
	if (failures)
		printf("%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
