/* SPDX-License-Identifier: Apache-2.0 */
/* ff_writer and ff_seekidx: round trips through every codec, block choice
 * (EV/EVF/LARGE), section order, seeking to frames, truncation, write errors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "ff_meta.h"
#include "ff_reader.h"
#include "ff_scap.h"
#include "ff_seekidx.h"
#include "ff_writer.h"

/* Events of a real capture, copied out of the reader. */
struct evcopy {
	uint8_t *raw;
	uint32_t len, flags;
	uint16_t cpu;
	uint64_t ts;
};
static struct evcopy *g_ev;
static size_t g_nev;
static char g_dir[] = "/tmp/ff-test-writer.XXXXXX";

static int load_events(void **state)
{
	const char *shared = getenv("FF_SHARED");
	char path[4096];
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	size_t cap = 0;

	(void)state;
	if (!mkdtemp(g_dir))
		return -1;
	if (!shared)
		return 0;
	snprintf(path, sizeof(path), "%s/captures/single_ipv6_conn.scap", shared);
	if (ff_reader_open(&r, path, &err) < 0)
		return 0;
	while (ff_reader_next_event(r, &b, &err) == 1) {
		if (g_nev == cap) {
			cap = cap ? cap * 2 : 1024;
			g_ev = realloc(g_ev, cap * sizeof(*g_ev));
		}
		g_ev[g_nev].raw = malloc(b.ev.len);
		memcpy(g_ev[g_nev].raw, b.ev.raw, b.ev.len);
		g_ev[g_nev].len = b.ev.len;
		g_ev[g_nev].flags = b.ev.dump_flags;
		g_ev[g_nev].cpu = b.ev.cpu;
		g_ev[g_nev].ts = b.ev.ts;
		g_nev++;
	}
	ff_reader_close(r);
	return 0;
}

static int free_events(void **state)
{
	char cmd[256];

	(void)state;
	for (size_t i = 0; i < g_nev; i++)
		free(g_ev[i].raw);
	free(g_ev);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g_dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void tmp_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", g_dir, name);
}

static void put_event(struct ff_writer *w, const struct evcopy *e)
{
	struct ff_evt ev;
	struct ff_err err = { 0 };

	assert_int_equal(ff_evt_init(&ev, e->raw, e->len, &err), 0);
	ev.cpu = e->cpu;
	ev.dump_flags = e->flags;
	assert_int_equal(ff_writer_write_event(w, &ev, &err), 0);
}

/* Write all events of the sample capture with small frames. */
static void write_sample(const char *path, enum ff_codec codec, size_t frame,
                         struct ff_writer_stats *st)
{
	struct ff_writer *w;
	struct ff_err err = { 0 };
	struct ff_writer_opts o = { .sz = sizeof(o), .codec = codec, .frame_bytes = frame };

	assert_int_equal(ff_writer_open(&w, path, &o, &err), 0);
	for (size_t i = 0; i < g_nev; i++)
		put_event(w, &g_ev[i]);
	assert_int_equal(ff_writer_flush(w, &err), 0);
	ff_writer_stats(w, st);
	assert_int_equal(ff_writer_close(w, &err), 0);
}

static void check_event(const struct ff_block *b, size_t i)
{
	assert_true(i < g_nev);
	assert_int_equal(b->kind, FF_BLK_EVENT);
	assert_int_equal(b->ev.len, g_ev[i].len);
	assert_memory_equal(b->ev.raw, g_ev[i].raw, g_ev[i].len);
	assert_int_equal(b->ev.cpu, g_ev[i].cpu);
	assert_int_equal(b->ev.dump_flags, g_ev[i].flags);
}

static void test_codecs_roundtrip(void **state)
{
	static const enum ff_codec codecs[] = { FF_CODEC_NONE, FF_CODEC_GZIP, FF_CODEC_ZSTD };

	(void)state;
	if (!g_nev)
		skip();
	for (size_t c = 0; c < 3; c++) {
		char path[4200];
		struct ff_writer_stats st;
		struct ff_reader *r;
		struct ff_block b;
		struct ff_err err = { 0 };
		struct stat sb;
		size_t i = 0;
		int fd, rc;

		tmp_path(path, sizeof(path), "rt.scap");
		/* an existing world-readable file is overwritten and becomes 0600 */
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		assert_true(fd >= 0);
		assert_int_equal(fchmod(fd, 0644), 0);
		close(fd);
		write_sample(path, codecs[c], 16384, &st);
		assert_int_equal(stat(path, &sb), 0);
		assert_int_equal(sb.st_mode & 07777, 0600);
		assert_int_equal(st.events, g_nev);
		assert_true(st.frames > 4);
		assert_int_equal(st.file_bytes,
		                 (uint64_t)sb.st_size -
		                     (codecs[c] == FF_CODEC_ZSTD ? 8 + 16 + 56 * st.frames : 0));

		assert_int_equal(ff_reader_open(&r, path, &err), 0);
		assert_int_equal(ff_reader_codec(r), codecs[c]);
		assert_int_equal(ff_reader_next(r, &b, &err), 1);
		assert_int_equal(b.kind, FF_BLK_SECTION);
		while ((rc = ff_reader_next(r, &b, &err)) == 1) {
			check_event(&b, i);
			assert_int_equal(b.type, g_ev[i].flags ? FF_BT_EVF_V2 : FF_BT_EV_V2);
			i++;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(i, g_nev);
		ff_reader_close(r);
	}
}

static void test_seek_frames(void **state)
{
	char path[4200];
	struct ff_writer_stats st;
	struct ff_reader *r;
	struct ff_seekidx ix;
	struct ff_block b;
	struct ff_err err = { 0 };
	size_t first = 0;

	(void)state;
	if (!g_nev)
		skip();
	tmp_path(path, sizeof(path), "seek.zst");
	write_sample(path, FF_CODEC_ZSTD, 16384, &st);
	assert_int_equal(ff_reader_open(&r, path, &err), 0);
	assert_int_equal(ff_seekidx_load(ff_reader_stream(r), &ix, &err), 0);
	assert_int_equal(ix.n, st.frames);
	assert_int_equal(ix.frames[0].raw_off, 0);
	/* jump to the frames backwards: each yields exactly its own events */
	for (size_t k = ix.n; k-- > 0;) {
		const struct ff_seek_frame *f = &ix.frames[k];
		size_t before = 0;

		for (size_t j = 0; j < k; j++)
			before += ix.frames[j].nevents;
		assert_int_equal(ff_seekidx_seek(r, &ix, k, &err), 0);
		for (uint64_t e = 0; e < f->nevents; e++) {
			int rc = ff_reader_next(r, &b, &err);

			if (rc != 1)
				fail_msg("frame %zu event %llu: %s", k, (unsigned long long)e,
				         err.msg);
			if (k == 0 && e == 0 && b.kind == FF_BLK_SECTION)
				assert_int_equal(ff_reader_next(r, &b, &err), 1);
			assert_int_equal(b.offset >= f->dec_off, 1);
			check_event(&b, before + e);
			if (e == 0)
				assert_true(b.ev.ts == f->first_ts);
			if (e + 1 == f->nevents)
				assert_true(b.ev.ts == f->last_ts);
		}
		/* the frame ends exactly where its last block ends */
		assert_int_equal(ff_reader_offset(r), f->dec_off + f->dec_size);
		first += f->nevents;
	}
	assert_int_equal(first, g_nev);
	{
		uint64_t ts = ix.frames[3].first_ts;
		size_t k = ff_seekidx_find_ts(&ix, ts);

		/* the first frame that can hold ts (equal stamps may straddle frames) */
		assert_true(k <= 3 && ix.frames[k].last_ts >= ts);
		for (size_t j = 0; j < k; j++)
			assert_true(ix.frames[j].last_ts < ts);
	}
	assert_int_equal(ff_seekidx_find_ts(&ix, UINT64_MAX), ix.n);
	ff_seekidx_free(&ix);
	ff_reader_close(r);
}

static void test_truncated(void **state)
{
	char path[4200], cut[4200];
	struct ff_writer_stats st;
	struct ff_reader *r;
	struct ff_seekidx ix;
	struct ff_block b;
	struct ff_err err = { 0 };
	const struct ff_seek_frame *last;
	uint64_t complete = 0;
	size_t i = 0;
	int rc;

	(void)state;
	if (!g_nev)
		skip();
	tmp_path(path, sizeof(path), "full.zst");
	tmp_path(cut, sizeof(cut), "cut.zst");
	write_sample(path, FF_CODEC_ZSTD, 16384, &st);
	assert_int_equal(ff_reader_open(&r, path, &err), 0);
	assert_int_equal(ff_seekidx_load(ff_reader_stream(r), &ix, &err), 0);
	ff_reader_close(r);
	last = &ix.frames[ix.n - 1];
	for (size_t k = 0; k + 1 < ix.n; k++)
		complete += ix.frames[k].nevents;
	/* keep the file up to the middle of its last frame, as after a crash */
	assert_int_equal(truncate(path, (off_t)(last->raw_off + last->raw_size / 2)), 0);
	ff_seekidx_free(&ix);
	assert_int_equal(ff_reader_open(&r, path, &err), 0);
	assert_int_equal(ff_seekidx_load(ff_reader_stream(r), &ix, &err), -ENOENT);
	assert_int_equal(ff_reader_next(r, &b, &err), 1);
	while ((rc = ff_reader_next(r, &b, &err)) == 1)
		check_event(&b, i++);
	assert_true(rc < 0);
	assert_true(i >= complete && i < g_nev);
	assert_non_null(strstr(err.msg, "byte"));
	assert_non_null(strstr(err.msg, path));
	print_message("truncated: %zu of %zu events back (%llu in complete frames): %s\n", i, g_nev,
	              (unsigned long long)complete, err.msg);
	ff_reader_close(r);
	ff_seekidx_free(&ix);
}

/* Hand-built event: type, one parameter of n bytes. */
static uint8_t *mk_event(uint16_t type, uint32_t n, uint64_t ts, uint32_t *len)
{
	unsigned w = ff_event_len_width(type);
	uint32_t l = 26 + w + n, one = 1;
	uint8_t *p = calloc(1, l);

	memcpy(p, &ts, 8);
	memcpy(p + 16, &l, 4);
	memcpy(p + 20, &type, 2);
	memcpy(p + 22, &one, 4);
	memcpy(p + 26, &n, w);
	memset(p + 26 + w, 'x', n);
	*len = l;
	return p;
}

static void test_block_kinds_and_order(void **state)
{
	char path[4200];
	struct ff_writer *w;
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	struct ff_evt ev = { 0 };
	struct ff_buf meta = { 0 };
	struct ff_machine mi = { .num_cpus = 2 };
	uint32_t l1, l2, l3, l4;
	/* 234 procinfo: 16-bit lengths; 322 pluginevent: 32-bit, large */
	uint8_t *small = mk_event(234, 16, 100, &l1), *big = mk_event(322, 70000, 200, &l2),
	        *edge = mk_event(234, 65536 - 2 - 4 - 28, 300, &l3),
	        *over = mk_event(234, 65536 - 2 - 4 - 28 + 1, 400, &l4);
	static const struct {
		uint32_t type, flags;
	} want[] = { { FF_BT_EV_V2, 0 },        { FF_BT_EVF_V2, 1 }, { FF_BT_EV_V2_LARGE, 0 },
		     { FF_BT_EVF_V2_LARGE, 1 }, { FF_BT_EV_V2, 0 },  { FF_BT_EV_V2_LARGE, 0 } };

	(void)state;
	tmp_path(path, sizeof(path), "kinds.scap");
	assert_int_equal(
	    ff_writer_open(&w, path,
	                   &(struct ff_writer_opts){ .sz = sizeof(struct ff_writer_opts),
	                                             .codec = FF_CODEC_NONE },
	                   &err),
	    0);
	assert_int_equal(ff_meta_put_machine(&meta, &mi, &err), 0);
	assert_int_equal(ff_writer_write_meta(w, meta.p, meta.len, &err), 0);
	assert_int_equal(ff_evt_init(&ev, small, l1, &err), 0);
	assert_int_equal(ff_writer_write_event(w, &ev, &err), 0);
	ev.dump_flags = 1;
	assert_int_equal(ff_writer_write_event(w, &ev, &err), 0);
	assert_int_equal(ff_evt_init(&ev, big, l2, &err), 0);
	ev.dump_flags = 0;
	assert_int_equal(ff_writer_write_event(w, &ev, &err), 0);
	ev.dump_flags = 1 | 4; /* the LARGE request bit is not written */
	assert_int_equal(ff_writer_write_event(w, &ev, &err), 0);
	/* a block of exactly 64 KiB payload stays a normal block */
	assert_int_equal(ff_evt_init(&ev, edge, l3, &err), 0);
	ev.dump_flags = 0;
	assert_int_equal(ff_writer_write_event(w, &ev, &err), 0);
	assert_int_equal(ff_evt_init(&ev, over, l4, &err), 0);
	assert_int_equal(ff_writer_write_event(w, &ev, &err), 0);
	/* metadata after events is refused until a new section starts */
	assert_int_equal(ff_writer_write_meta(w, meta.p, meta.len, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "new section"));
	assert_int_equal(ff_writer_new_section(w, &err), 0);
	assert_int_equal(ff_writer_write_meta(w, meta.p, meta.len, &err), 0);
	assert_int_equal(ff_evt_init(&ev, small, l1, &err), 0);
	ev.dump_flags = 0;
	assert_int_equal(ff_writer_write_event(w, &ev, &err), 0);
	assert_int_equal(ff_writer_close(w, &err), 0);

	assert_int_equal(ff_reader_open(&r, path, &err), 0);
	assert_int_equal(ff_reader_next(r, &b, &err), 1);
	assert_int_equal(b.kind, FF_BLK_SECTION);
	assert_int_equal(ff_reader_next(r, &b, &err), 1);
	assert_int_equal(b.kind, FF_BLK_MACHINE);
	assert_int_equal(b.body_len + 12, 192);
	for (size_t i = 0; i < 6; i++) {
		assert_int_equal(ff_reader_next(r, &b, &err), 1);
		assert_int_equal(b.type, want[i].type);
		assert_int_equal(b.ev.dump_flags, want[i].flags);
		if (i == 4) /* total - 8 == 64 KiB exactly: still a normal block */
			assert_int_equal(ff_ld32(b.body - 4), 65536 + 8);
	}
	assert_int_equal(ff_reader_next(r, &b, &err), 1);
	assert_int_equal(b.kind, FF_BLK_SECTION);
	assert_int_equal(ff_reader_next(r, &b, &err), 1);
	assert_int_equal(b.kind, FF_BLK_MACHINE);
	assert_int_equal(ff_reader_next(r, &b, &err), 1);
	assert_int_equal(b.type, FF_BT_EV_V2);
	assert_int_equal(ff_reader_next(r, &b, &err), 0);
	ff_reader_close(r);
	ff_buf_free(&meta);
	free(small);
	free(big);
	free(edge);
	free(over);
}

static void test_write_errors(void **state)
{
	struct ff_writer *w;
	struct ff_err err = { 0 };
	struct ff_evt ev;
	uint32_t l;
	uint8_t *e = mk_event(234, 16, 1, &l);
	struct ff_writer_opts o = { .sz = sizeof(o), .codec = FF_CODEC_NONE };
	int rc = 0;

	(void)state;
	assert_int_equal(ff_writer_open(&w, "/nonexistent-dir/x.scap", NULL, &err), -ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent-dir/x.scap"));
	o.sz = 3;
	assert_int_equal(ff_writer_open(&w, "/dev/null", &o, &err), -EINVAL);
	if (access("/dev/full", W_OK) != 0) {
		free(e);
		skip();
	}
	o.sz = sizeof(o);
	o.frame_bytes = 4096;
	assert_int_equal(ff_writer_open(&w, "/dev/full", &o, &err), 0);
	assert_int_equal(ff_evt_init(&ev, e, l, &err), 0);
	for (int i = 0; i < 1000 && rc == 0; i++)
		rc = ff_writer_write_event(w, &ev, &err);
	assert_int_equal(rc, -ENOSPC);
	assert_non_null(strstr(err.msg, "/dev/full"));
	assert_non_null(strstr(err.msg, "No space left"));
	/* the failure is sticky */
	assert_int_equal(ff_writer_write_event(w, &ev, &err), -ENOSPC);
	assert_int_equal(ff_writer_close(w, &err), -ENOSPC);
	free(e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codecs_roundtrip),
		cmocka_unit_test(test_seek_frames),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_block_kinds_and_order),
		cmocka_unit_test(test_write_errors),
	};
	return cmocka_run_group_tests(tests, load_events, free_events);
}
