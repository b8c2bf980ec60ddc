/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ff_reader on captures built byte by byte in this test (rb_build.h frames
 * blocks independently of the library): every block kind and event layout
 * the format allows, the malformed ones it must refuse, truncation at every
 * byte offset, and the same captures through gzip and zstd.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "ff_reader.h"
#include "ff_scap.h"
#include "rb_build.h"

#define NAME "mem.scap"

static struct ff_reader *open_buf(const struct rb_buf *b)
{
	struct ff_reader *r = NULL;
	struct ff_err err = { 0 };

	assert_int_equal(ff_reader_open_mem(&r, b->p, b->len, NAME, &err), 0);
	return r;
}

static int next(struct ff_reader *r, struct ff_block *blk, struct ff_err *err)
{
	ff_err_clear(err);
	return ff_reader_next(r, blk, err);
}

static void expect_params(const struct ff_block *b, unsigned np, const struct rb_prm *pv)
{
	unsigned i;

	assert_int_equal(b->kind, FF_BLK_EVENT);
	assert_int_equal(b->ev.nparams, np);
	for (i = 0; i < np; i++) {
		uint32_t l = 12345;
		const uint8_t *p = ff_evt_param(&b->ev, i, &l);

		assert_non_null(p);
		assert_int_equal(l, pv[i].len);
		assert_memory_equal(p, pv[i].v, l);
	}
	assert_null(ff_evt_param(&b->ev, np, &(uint32_t){ 0 }));
}

/* Read to the end; the next call must give `want_rc` with `want_off` (if not
 * -1) named in the message, and must give it again (sticky). */
static void expect_end(struct ff_reader *r, int want_rc, long long want_off, const char *word)
{
	struct ff_block b;
	struct ff_err err = { 0 };
	int rc = next(r, &b, &err);

	assert_int_equal(rc, want_rc);
	if (want_rc < 0) {
		assert_non_null(strstr(err.msg, NAME));
		if (want_off >= 0 && !rb_msg_has_offset(err.msg, (unsigned long long)want_off))
			fail_msg("message lacks 'byte %lld': %s", want_off, err.msg);
		if (word && !strstr(err.msg, word))
			fail_msg("message lacks '%s': %s", word, err.msg);
		assert_int_equal(err.code, want_rc);
	}
	rc = next(r, &b, &err);
	assert_int_equal(rc, want_rc);
}

/* ---- well-formed captures ---- */

static const char openname[] = "/etc/passwd";
static const uint64_t fd3 = 3;
static const uint32_t oflags = 1, omode = 0644, odev = 0x803;

static void test_v2_blocks(void **state)
{
	struct rb_buf c = { 0 };
	struct rb_prm openx[5] = { { &fd3, 8 },
		                   { openname, sizeof(openname) },
		                   { &oflags, 4 },
		                   { &omode, 4 },
		                   { &odev, 4 } };
	struct rb_prm extra[6];
	uint64_t ino = 77;
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	size_t ev1, ev2, ev3;

	(void)state;
	memcpy(extra, openx, sizeof(openx));
	extra[5] = (struct rb_prm){ &ino, 8 };
	rb_shb(&c, 1); /* options: must be skipped by length */
	rb_mi(&c, "host1");
	ev1 = rb_ev_block(&c, FF_BT_EV_V2, 1, 0, 1000, 42, FFE_OPEN_X, 2, 5, openx, 0);
	ev2 = rb_ev_block(&c, FF_BT_EVF_V2, 3, FF_DF_STATE_ONLY, 1001, 43, FFE_OPEN_X, 2, 6, extra,
	                  0);
	ev3 = rb_ev_block(&c, FF_BT_EV_V2_LARGE, 0, 0, 1002, 44, FFE_OPEN_X, 2, 2, openx, 0);

	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.kind, FF_BLK_SECTION);
	assert_int_equal(b.version, 2);
	assert_int_equal(b.offset, 0);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.kind, FF_BLK_MACHINE);
	assert_int_equal(b.offset, c.blk[1]);
	assert_true(b.body_len >= FF_MI_BODY_LEN);
	assert_string_equal((const char *)b.body + 20, "host1");

	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.offset, ev1);
	assert_int_equal(b.type, FF_BT_EV_V2);
	assert_int_equal(b.version, 2);
	assert_int_equal(b.ev.cpu, 1);
	assert_int_equal(b.ev.dump_flags, 0);
	assert_int_equal(b.ev.ts, 1000);
	assert_int_equal(b.ev.tid, 42);
	assert_int_equal(b.ev.type, FFE_OPEN_X);
	assert_int_equal(b.ev.len, 26 + 10 + 8 + sizeof(openname) + 12);
	expect_params(&b, 5, openx);
	{
		int ok = 0;
		uint32_t sl = 0;
		const char *s = ff_evt_param_str(&b.ev, 1, &sl);

		assert_int_equal(ff_evt_param_int(&b.ev, 0, &ok), 3);
		assert_true(ok);
		assert_int_equal(ff_evt_param_uint(&b.ev, 3, &ok), 0644);
		assert_int_equal(sl, strlen(openname));
		assert_memory_equal(s, openname, sl);
		ff_evt_param_uint(&b.ev, 1, &ok); /* 12-byte string is no integer */
		assert_false(ok);
	}

	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.offset, ev2);
	assert_int_equal(b.type, FF_BT_EVF_V2);
	assert_int_equal(b.ev.cpu, 3);
	assert_int_equal(b.ev.dump_flags, FF_DF_STATE_ONLY);
	assert_int_equal(b.ev.ts, 1001);
	expect_params(&b, 6, extra); /* more params than the 2022 table: kept */

	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.offset, ev3);
	assert_int_equal(b.type, FF_BT_EV_V2_LARGE);
	expect_params(&b, 2, openx); /* fewer params than the table: kept as is */

	expect_end(r, 0, -1, NULL);
	ff_reader_close(r);
	rb_free(&c);
}

/* v1 events (22-byte header) are upgraded: nparams found from the table. */
static void test_v1_upgrade(void **state)
{
	struct rb_buf c = { 0 };
	const char a[] = "/a", id[] = "x", desc[] = "hello", src[] = "s", nm[] = "n", ds[] = "d",
	           sc[] = "scope";
	struct rb_prm opene3[3] = { { a, 3 }, { &oflags, 4 }, { &omode, 4 } };
	struct rb_prm notif[2] = { { id, 2 }, { desc, 6 } };
	struct rb_prm infra[4] = { { src, 2 }, { nm, 2 }, { ds, 2 }, { sc, 6 } };
	uint64_t cu = 5, cs = 6;
	struct rb_prm pinfo[2] = { { &cu, 8 }, { &cs, 8 } };
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	size_t at;

	(void)state;
	rb_shb(&c, 0);
	/* open E with its 3 params, in each v1 block id */
	rb_ev_block(&c, FF_BT_EV, 2, 0, 10, 1, FFE_OPEN_E, 2, 3, opene3, 0);
	rb_ev_block(&c, FF_BT_EV_INT, 0, 0, 11, 1, FFE_OPEN_E, 2, 3, opene3, 0);
	rb_ev_block(&c, FF_BT_EVF, 1, FF_DF_STATE_ONLY, 12, 1, FFE_OPEN_E, 2, 3, opene3, 0);
	/* open E with no params (the 2018 captures) and with 2 of 3: the reader
	 * tries 3, 2, ... until the lengths add up */
	rb_ev_block(&c, FF_BT_EV, 0, 0, 13, 1, FFE_OPEN_E, 2, 0, NULL, 0);
	rb_ev_block(&c, FF_BT_EV, 0, 0, 14, 1, FFE_OPEN_E, 2, 2, opene3, 0);
	/* notification and infra: old writers over-counted len by 3 */
	at = rb_blk_open(&c, FF_BT_EV);
	rb_u16(&c, 0);
	rb_evt(&c, 1, 15, 2, FFE_NOTIFICATION_E, 2, 2, notif, 3);
	rb_zero(&c, 3);
	rb_blk_close(&c, at);
	at = rb_blk_open(&c, FF_BT_EV);
	rb_u16(&c, 0);
	rb_evt(&c, 1, 16, 2, FFE_INFRA_E, 2, 4, infra, 3);
	rb_zero(&c, 3);
	rb_blk_close(&c, at);
	/* a v1 event followed by junk in its block */
	rb_ev_block(&c, FF_BT_EV, 0, 0, 17, 9, FFE_PROCINFO_E, 2, 2, pinfo, 9);

	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(next(r, &b, &err), 1);
		assert_int_equal(b.version, 1);
		assert_int_equal(b.ev.ts, 10 + i);
		assert_int_equal(b.ev.type, FFE_OPEN_E);
		assert_int_equal(b.ev.len, 26 + 6 + 11);
		expect_params(&b, 3, opene3);
	}
	assert_int_equal(b.ev.cpu, 1);
	assert_int_equal(b.ev.dump_flags, FF_DF_STATE_ONLY);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.ts, 13);
	assert_int_equal(b.ev.len, 26);
	expect_params(&b, 0, NULL);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.ts, 14);
	expect_params(&b, 2, opene3);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.type, FFE_NOTIFICATION_E);
	assert_int_equal(b.ev.len, 26 + 4 + 8);
	expect_params(&b, 2, notif);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.type, FFE_INFRA_E);
	assert_int_equal(b.ev.len, 26 + 8 + 12);
	expect_params(&b, 4, infra);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.tid, 9);
	assert_int_equal(b.ev.len, 26 + 4 + 16);
	expect_params(&b, 2, pinfo);
	expect_end(r, 0, -1, NULL);
	ff_reader_close(r);
	rb_free(&c);
}

/* A v1 event whose lengths cannot add up is refused, the next one is read. */
static void test_v1_bad(void **state)
{
	struct rb_buf c = { 0 };
	uint64_t cu = 5;
	struct rb_prm p1[1] = { { &cu, 8 } };
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	size_t bad;

	(void)state;
	rb_shb(&c, 0);
	/* procinfo (2 params of 8) with one 8-byte param and 8 stray bytes counted
	 * in len: n=2 reads the stray bytes as a 0 length and falls short */
	bad = rb_blk_open(&c, FF_BT_EV);
	rb_u16(&c, 0);
	rb_evt(&c, 1, 1, 1, FFE_PROCINFO_E, 2, 1, p1, 8);
	rb_zero(&c, 8);
	rb_blk_close(&c, bad);
	rb_ev_block(&c, FF_BT_EV, 0, 0, 2, 1, FFE_PROCINFO_E, 2, 1, p1, 0);
	/* v1 event of a type beyond the table */
	rb_ev_block(&c, FF_BT_EV, 0, 0, 3, 1, 999, 2, 1, p1, 0);
	/* v1 event shorter than its header */
	rb_raw_block(&c, FF_BT_EV, 12, 0);

	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(next(r, &b, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, NAME));
	assert_true(rb_msg_has_offset(err.msg, bad));
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.ts, 2);
	expect_params(&b, 1, p1);
	assert_int_equal(next(r, &b, &err), -EBADMSG);
	assert_true(rb_msg_has_offset(err.msg, c.blk[3]));
	assert_int_equal(next(r, &b, &err), -EBADMSG);
	assert_true(rb_msg_has_offset(err.msg, c.blk[4]));
	expect_end(r, 0, -1, NULL);
	ff_reader_close(r);
	rb_free(&c);
}

/* Large-payload types have u32 length entries whatever the block id. */
static void test_large_payload(void **state)
{
	struct rb_buf c = { 0 };
	const char json[] = "{\"container\":{\"id\":\"abc\"}}";
	uint32_t pid = 7;
	size_t big = 70000;
	uint8_t *data = malloc(big);
	struct rb_prm pe[2] = { { &pid, 4 }, { data, (uint32_t)big } };
	struct rb_prm ct[1] = { { json, sizeof(json) } };
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };

	(void)state;
	for (size_t i = 0; i < big; i++)
		data[i] = (uint8_t)(i * 31 + 7);
	rb_shb(&c, 0);
	rb_ev_block(&c, FF_BT_EV_V2_LARGE, 0, 0, 1, 1, FFE_PLUGINEVENT_E, 4, 2, pe, 0);
	rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 2, (uint64_t)-1, FFE_CONTAINER_E, 4, 1, ct, 0);
	rb_ev_block(&c, FF_BT_EVF_V2_LARGE, 0, 4, 3, 1, FFE_PLUGINEVENT_E, 4, 2, pe, 0);
	/* the same big event in a non-LARGE block is refused: framing error */
	rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 4, 1, FFE_PLUGINEVENT_E, 4, 2, pe, 0);

	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.len, 26 + 8 + 4 + big);
	expect_params(&b, 2, pe);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.tid, UINT64_MAX);
	expect_params(&b, 1, ct);
	{
		uint32_t sl;
		const char *s = ff_evt_param_str(&b.ev, 0, &sl);

		assert_int_equal(sl, strlen(json));
		assert_memory_equal(s, json, sl);
	}
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.dump_flags, 4);
	expect_params(&b, 2, pe);
	expect_end(r, -EBADMSG, (long long)c.blk[4], "too large");
	ff_reader_close(r);
	free(data);
	rb_free(&c);
}

/* Bytes between the end of the event and the trailer are ignored; unknown
 * block types are returned as FF_BLK_UNKNOWN and skipped by next_event. */
static void test_trailing_and_unknown(void **state)
{
	struct rb_buf c = { 0 };
	uint64_t v = 0x1122334455667788ull;
	struct rb_prm p[2] = { { &v, 8 }, { &v, 8 } };
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	size_t at;

	(void)state;
	rb_shb(&c, 0);
	rb_raw_block(&c, 0x7777u, 20, 0xab);
	/* event + a pcapng comment option before the trailer */
	at = rb_blk_open(&c, FF_BT_EV_V2);
	rb_u16(&c, 0);
	rb_evt(&c, 0, 5, 6, FFE_PROCINFO_E, 2, 2, p, 0);
	rb_u16(&c, 1);
	rb_u16(&c, 7);
	rb_put(&c, "comment\0", 8);
	rb_u32(&c, 0);
	rb_blk_close(&c, at);
	rb_raw_block(&c, 0x80000001u, 0, 0);
	rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 6, 6, FFE_PROCINFO_E, 2, 2, p, 0);

	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.kind, FF_BLK_UNKNOWN);
	assert_int_equal(b.type, 0x7777u);
	assert_int_equal(b.body_len, 20);
	assert_int_equal(b.body[19], 0xab);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.ts, 5);
	assert_int_equal(b.ev.len, 26 + 4 + 16);
	expect_params(&b, 2, p);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.kind, FF_BLK_UNKNOWN);
	assert_int_equal(b.body_len, 0);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.ts, 6);
	expect_end(r, 0, -1, NULL);
	ff_reader_close(r);

	r = open_buf(&c);
	assert_int_equal(ff_reader_next_event(r, &b, &err), 1);
	assert_int_equal(b.ev.ts, 5);
	assert_int_equal(ff_reader_next_event(r, &b, &err), 1);
	assert_int_equal(b.ev.ts, 6);
	assert_int_equal(ff_reader_next_event(r, &b, &err), 0);
	ff_reader_close(r);
	rb_free(&c);
}

/* Concatenated captures: each section starts with its own SHB. */
static void test_concatenated(void **state)
{
	struct rb_buf c = { 0 };
	uint64_t v = 1;
	struct rb_prm p[2] = { { &v, 8 }, { &v, 8 } };
	static const enum ff_blk_kind want[] = { FF_BLK_SECTION, FF_BLK_MACHINE, FF_BLK_EVENT,
		                                 FF_BLK_SECTION, FF_BLK_EVENT,   FF_BLK_EVENT,
		                                 FF_BLK_SECTION, FF_BLK_MACHINE };
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	size_t i;

	(void)state;
	rb_shb(&c, 0);
	rb_mi(&c, "a");
	rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 1, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	rb_shb(&c, 1);
	rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 2, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	rb_ev_block(&c, FF_BT_EV, 0, 0, 3, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	rb_shb(&c, 0);
	rb_mi(&c, "b");
	r = open_buf(&c);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(next(r, &b, &err), 1);
		assert_int_equal(b.kind, want[i]);
		assert_int_equal(b.offset, c.blk[i]);
	}
	assert_string_equal((const char *)b.body + 20, "b");
	expect_end(r, 0, -1, NULL);
	ff_reader_close(r);
	rb_free(&c);
}

/* ---- refused inputs ---- */

/* The first `skip` blocks read fine, then the error comes. */
static void expect_fails(const struct rb_buf *c, int skip, int rc, long long off, const char *word)
{
	struct ff_reader *r = open_buf(c);
	struct ff_block b;
	struct ff_err err;

	while (skip-- > 0)
		assert_int_equal(next(r, &b, &err), 1);

	expect_end(r, rc, off, word);
	ff_reader_close(r);
}

static void test_swapped_magic(void **state)
{
	struct rb_buf c = { 0 };
	uint32_t sw = FF_SHB_MAGIC_SWAPPED;

	(void)state;
	/* little-endian framing, big-endian magic */
	rb_shb(&c, 0);
	memcpy(c.p + 8, &sw, 4);
	expect_fails(&c, 0, -ENOTSUP, -1, "big-endian");
	/* a whole big-endian section header: the length reads as 0x1c000000 */
	c.p[4] = 0;
	c.p[7] = 28;
	c.p[24] = 0;
	c.p[27] = 28;
	c.p[12] = 0, c.p[13] = 1, c.p[14] = 0, c.p[15] = 2;
	expect_fails(&c, 0, -ENOTSUP, -1, "big-endian");
	rb_free(&c);
}

static void test_empty_and_shb_only(void **state)
{
	struct rb_buf c = { 0 };
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	static const uint8_t nothing[1];

	(void)state;
	assert_int_equal(ff_reader_open_mem(&r, nothing, 0, NAME, &err), 0);
	expect_end(r, -EBADMSG, -1, "empty");
	ff_reader_close(r);

	rb_shb(&c, 0);
	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.kind, FF_BLK_SECTION);
	expect_end(r, 0, -1, NULL);
	ff_reader_close(r);

	/* not a capture: the first block is an event block */
	c.len = 0;
	c.nblk = 0;
	rb_raw_block(&c, FF_BT_EV_V2, 40, 0);
	expect_fails(&c, 0, -EBADMSG, -1, "section header");
	/* version 2.0 is refused */
	c.len = 0;
	rb_shb(&c, 0);
	c.p[12] = 2;
	expect_fails(&c, 0, -ENOTSUP, -1, "newer");
	/* bad magic */
	c.p[12] = 1;
	c.p[8] ^= 0xff;
	expect_fails(&c, 0, -EBADMSG, 0, "magic");
	/* SHB shorter than 28 bytes */
	c.len = 0;
	c.nblk = 0;
	rb_raw_block(&c, FF_BT_SHB, 8, 0);
	expect_fails(&c, 0, -EBADMSG, 0, "too short");
	rb_free(&c);
}

static void test_trailer_mismatch(void **state)
{
	struct rb_buf c = { 0 };
	uint64_t v = 1;
	struct rb_prm p[2] = { { &v, 8 }, { &v, 8 } };
	size_t at;
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };

	(void)state;
	rb_shb(&c, 0);
	at = rb_blk_open(&c, FF_BT_MI);
	rb_zero(&c, FF_MI_BODY_LEN);
	rb_blk_close_t(&c, at, 196);
	rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 1, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	expect_end(r, -EBADMSG, (long long)at, "trailer");
	ff_reader_close(r);

	/* event trailers are not checked (libscap does not either) */
	c.len = 0;
	c.nblk = 0;
	rb_shb(&c, 0);
	at = rb_blk_open(&c, FF_BT_EV_V2);
	rb_u16(&c, 0);
	rb_evt(&c, 0, 1, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	rb_blk_close_t(&c, at, 0xdeadbeef);
	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(next(r, &b, &err), 1);
	expect_params(&b, 2, p);
	expect_end(r, 0, -1, NULL);
	ff_reader_close(r);
	rb_free(&c);
}

static void test_block_length(void **state)
{
	static const uint32_t bad[] = { 0, 4, 8, 11, 0xfffffff0u, 0x80000000u };
	struct rb_buf c = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c.len = 0;
		c.nblk = 0;
		rb_shb(&c, 0);
		rb_mi(&c, "x");
		memcpy(c.p + c.blk[1] + 4, &bad[i], 4);
		expect_fails(&c, 1, -EBADMSG, (long long)c.blk[1], "length");
	}
	/* plausible but far beyond the data: a truncation at the block start */
	c.len = 0;
	c.nblk = 0;
	rb_shb(&c, 0);
	rb_mi(&c, "x");
	memcpy(c.p + c.blk[1] + 4, &(uint32_t){ 64u << 20 }, 4);
	expect_fails(&c, 1, -EPIPE, (long long)c.blk[1], "truncated");
	/* a trailing 5 bytes after the last block */
	c.len = 0;
	c.nblk = 0;
	rb_shb(&c, 0);
	rb_put(&c, "\x16\x02\0\0\0", 5);
	{
		struct ff_reader *r = open_buf(&c);
		struct ff_block b;
		struct ff_err err;

		assert_int_equal(next(r, &b, &err), 1);
		expect_end(r, -EPIPE, 28, "truncated");
		ff_reader_close(r);
	}
	rb_free(&c);
}

/* A block claiming 400 MiB in a tiny input must not make the reader allocate
 * that much (glibc heap statistics; not under ASan, which has its own heap). */
static void test_bogus_length_memory(void **state)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
	struct rb_buf c = { 0 };
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err;
	struct mallinfo2 mi;

	(void)state;
	rb_shb(&c, 0);
	rb_u32(&c, FF_BT_EV_V2_LARGE);
	rb_u32(&c, 400u << 20);
	rb_zero(&c, 100);
	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(next(r, &b, &err), -EPIPE);
	assert_true(rb_msg_has_offset(err.msg, 28));
	mi = mallinfo2();
	if (mi.hblkhd + mi.arena > (64u << 20))
		fail_msg("reader holds %zu bytes for a 128-byte input", mi.hblkhd + mi.arena);
	ff_reader_close(r);
	rb_free(&c);
#else
	(void)state;
	skip();
#endif
}

/* Malformed events inside intact framing: -EBADMSG, then reading goes on. */
static void test_bad_events(void **state)
{
	struct rb_buf c = { 0 };
	uint64_t v = 9;
	struct rb_prm p[2] = { { &v, 8 }, { &v, 8 } };
	size_t bad[6], at;
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err = { 0 };
	int i;

	(void)state;
	rb_shb(&c, 0);
	/* len larger than the block */
	bad[0] = at = rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 1, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	c.p[at + 10 + 16] += 8;
	/* len smaller than the header */
	bad[1] = at = rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 1, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	memcpy(c.p + at + 10 + 16, &(uint32_t){ 20 }, 4);
	/* a parameter length running past len */
	bad[2] = at = rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 1, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	c.p[at + 10 + 26 + 2] = 9;
	/* the length array does not fit */
	bad[3] = at = rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 1, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	memcpy(c.p + at + 10 + 22, &(uint32_t){ 30 }, 4);
	/* nparams absurd */
	bad[4] = at = rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 1, 1, FFE_PROCINFO_E, 2, 2, p, 0);
	memcpy(c.p + at + 10 + 22, &(uint32_t){ 0xffffffffu }, 4);
	/* EVF block too short for its cpu + flags */
	bad[5] = rb_blk_open(&c, FF_BT_EVF_V2);
	rb_u16(&c, 0);
	rb_blk_close(&c, bad[5]);
	rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 77, 1, FFE_PROCINFO_E, 2, 2, p, 0);

	r = open_buf(&c);
	assert_int_equal(next(r, &b, &err), 1);
	for (i = 0; i < 6; i++) {
		assert_int_equal(next(r, &b, &err), -EBADMSG);
		assert_non_null(strstr(err.msg, NAME));
		if (!rb_msg_has_offset(err.msg, bad[i]))
			fail_msg("case %d: no offset %zu in: %s", i, bad[i], err.msg);
	}
	assert_int_equal(next(r, &b, &err), 1);
	assert_int_equal(b.ev.ts, 77);
	expect_params(&b, 2, p);
	expect_end(r, 0, -1, NULL);
	ff_reader_close(r);
	rb_free(&c);
}

/* ---- truncation and compression ---- */

/* A small capture using most block kinds. */
static void build_small(struct rb_buf *c)
{
	const char a[] = "/tmp/x";
	uint64_t v = 0x0102030405060708ull;
	uint32_t pid = 3;
	uint8_t blob[300];
	struct rb_prm p2[2] = { { &v, 8 }, { &v, 8 } };
	struct rb_prm po[3] = { { a, sizeof(a) }, { &oflags, 4 }, { &omode, 4 } };
	struct rb_prm pe[2] = { { &pid, 4 }, { blob, sizeof(blob) } };
	size_t at;

	for (size_t i = 0; i < sizeof(blob); i++)
		blob[i] = (uint8_t)i;
	rb_shb(c, 1);
	rb_mi(c, "small");
	rb_raw_block(c, 0x4242u, 7, 0x11);
	rb_ev_block(c, FF_BT_EV_V2, 0, 0, 100, 1, FFE_PROCINFO_E, 2, 2, p2, 0);
	rb_ev_block(c, FF_BT_EVF_V2, 1, 1, 101, 2, FFE_OPEN_E, 2, 3, po, 0);
	rb_ev_block(c, FF_BT_EV, 0, 0, 102, 3, FFE_OPEN_E, 2, 3, po, 0);
	rb_ev_block(c, FF_BT_EV_V2_LARGE, 0, 0, 103, 4, FFE_PLUGINEVENT_E, 4, 2, pe, 0);
	at = rb_blk_open(c, FF_BT_EV_V2);
	rb_u16(c, 0);
	rb_evt(c, 0, 104, 5, FFE_PROCINFO_E, 2, 2, p2, 0);
	rb_zero(c, 5);
	rb_blk_close(c, at);
	rb_shb(c, 0);
	rb_ev_block(c, FF_BT_EV_V2, 0, 0, 105, 6, FFE_PROCINFO_E, 2, 2, p2, 0);
}

struct rec {
	uint32_t type;
	uint64_t offset;
	uint32_t body_len;
	const uint8_t *body; /* into the intact capture */
};

/* Blocks of the intact capture straight from the builder's own record. */
static size_t truth_blocks(const struct rb_buf *c, struct rec *out, size_t max)
{
	size_t i;

	for (i = 0; i < c->nblk && i < max; i++) {
		uint32_t total;

		memcpy(&total, c->p + c->blk[i] + 4, 4);
		out[i].offset = c->blk[i];
		memcpy(&out[i].type, c->p + c->blk[i], 4);
		out[i].body_len = total - 12;
		out[i].body = c->p + c->blk[i] + 8;
	}
	return i;
}

static uint64_t blk_end(const struct rec *t, size_t i)
{
	return t[i].offset + t[i].body_len + 12;
}

/* Read `data` and compare with the first blocks of the truth: every block
 * wholly within `dlen` decoded bytes must come back identical.  Returns the
 * final rc; err holds its message. */
static int read_and_compare(const void *data, size_t len, const struct rec *t, size_t nt,
                            size_t dlen, struct ff_err *err)
{
	struct ff_reader *r;
	struct ff_block b;
	size_t i = 0, want = 0;
	int rc;

	while (want < nt && blk_end(t, want) <= dlen)
		want++;
	assert_int_equal(ff_reader_open_mem(&r, data, len, NAME, err), 0);
	while ((rc = ff_reader_next(r, &b, err)) == 1) {
		if (i >= want)
			fail_msg("block %zu returned beyond the %zu decodable bytes (len %zu)", i,
			         dlen, len);
		assert_int_equal(b.offset, t[i].offset);
		assert_int_equal(b.type, t[i].type);
		assert_int_equal(b.body_len, t[i].body_len);
		assert_memory_equal(b.body, t[i].body, b.body_len);
		i++;
	}
	if (i != want)
		fail_msg("got %zu blocks, expected %zu (input %zu bytes, %zu decodable): %s", i,
		         want, len, dlen, err->msg);
	ff_reader_close(r);
	return rc;
}

static int is_boundary(const struct rec *t, size_t nt, size_t off)
{
	for (size_t i = 0; i < nt; i++)
		if (blk_end(t, i) == off)
			return 1;
	return 0;
}

/* Offset of the block a cut at `off` falls into. */
static uint64_t cut_block(const struct rec *t, size_t nt, size_t off)
{
	for (size_t i = 0; i < nt; i++)
		if (blk_end(t, i) > off)
			return t[i].offset;
	return 0;
}

static void test_truncate_every_offset(void **state)
{
	struct rb_buf c = { 0 };
	struct rec t[32];
	size_t nt, cut;
	struct ff_err err;

	(void)state;
	build_small(&c);
	nt = truth_blocks(&c, t, 32);
	for (cut = 0; cut <= c.len; cut++) {
		int rc = read_and_compare(c.p, cut, t, nt, cut, &err);

		if (cut == c.len || (cut > 0 && is_boundary(t, nt, cut))) {
			if (rc != 0)
				fail_msg("cut %zu at a block boundary: rc %d %s", cut, rc, err.msg);
			continue;
		}
		if (rc >= 0)
			fail_msg("cut %zu: no error", cut);
		assert_non_null(strstr(err.msg, NAME));
		if (cut > 0 && !rb_msg_has_offset(err.msg, cut_block(t, nt, cut)))
			fail_msg("cut %zu: message lacks 'byte %llu': %s", cut,
			         (unsigned long long)cut_block(t, nt, cut), err.msg);
	}
	rb_free(&c);
}

/* Compressed form: cut the compressed bytes at every offset; the blocks the
 * independent decoder can recover must come back, then an error. */
static void check_compressed_cuts(const struct rb_buf *c, const struct rb_buf *z, int zstd)
{
	struct rec t[32];
	size_t nt = truth_blocks(c, t, 32), cut;
	struct ff_err err;

	for (cut = 0; cut <= z->len; cut++) {
		int clean, rc;
		size_t d =
		    zstd ? rb_unzstd(z->p, cut, NULL, &clean) : rb_gunzip(z->p, cut, NULL, &clean);

		if (cut < 4) /* too short to be recognised: read as plain, refused */
			d = 0, clean = 0;
		rc = read_and_compare(z->p, cut, t, nt, d, &err);
		if (clean && (d == c->len || is_boundary(t, nt, d))) {
			if (rc != 0)
				fail_msg("cut %zu: clean stream end, rc %d: %s", cut, rc, err.msg);
			continue;
		}
		if (rc >= 0)
			fail_msg("cut %zu of %zu (%zu decodable): no error", cut, z->len, d);
		if (!strstr(err.msg, NAME) || (cut > 0 && !strstr(err.msg, "byte ")))
			fail_msg("cut %zu: message lacks file or offset: %s", cut, err.msg);
	}
}

static void test_gzip(void **state)
{
	struct rb_buf c = { 0 }, z = { 0 };
	struct rec t[32];
	size_t nt;
	struct ff_err err;
	int clean;

	(void)state;
	build_small(&c);
	nt = truth_blocks(&c, t, 32);
	/* single member */
	rb_gzip_member(&z, c.p, c.len, 6);
	assert_int_equal(rb_gunzip(z.p, z.len, NULL, &clean), c.len);
	assert_int_equal(read_and_compare(z.p, z.len, t, nt, c.len, &err), 0);
	check_compressed_cuts(&c, &z, 0);
	/* three members, split at a block boundary and inside a block */
	z.len = 0;
	rb_gzip_member(&z, c.p, t[3].offset, 1);
	rb_gzip_member(&z, c.p + t[3].offset, t[5].offset + 7 - t[3].offset, 9);
	rb_gzip_member(&z, c.p + t[5].offset + 7, c.len - t[5].offset - 7, 0);
	assert_int_equal(read_and_compare(z.p, z.len, t, nt, c.len, &err), 0);
	check_compressed_cuts(&c, &z, 0);
	/* garbage after the last member */
	rb_put(&z, "junk", 4);
	assert_true(read_and_compare(z.p, z.len, t, nt, c.len, &err) < 0);
	assert_non_null(strstr(err.msg, NAME));
	rb_free(&z);
	rb_free(&c);
}

static void test_zstd(void **state)
{
	struct rb_buf c = { 0 }, z = { 0 };
	struct rec t[32];
	size_t nt;
	struct ff_err err;

	(void)state;
	build_small(&c);
	nt = truth_blocks(&c, t, 32);
	rb_zstd_frame(&z, c.p, c.len, 3);
	assert_int_equal(read_and_compare(z.p, z.len, t, nt, c.len, &err), 0);
	check_compressed_cuts(&c, &z, 1);
	/* frames split inside and between blocks, a skippable frame between */
	z.len = 0;
	rb_zstd_frame(&z, c.p, t[2].offset + 3, 1);
	rb_zstd_skippable(&z, 24, 0xee);
	rb_zstd_frame(&z, c.p + t[2].offset + 3, t[6].offset - t[2].offset - 3, 19);
	rb_zstd_frame(&z, c.p + t[6].offset, c.len - t[6].offset, 1);
	rb_zstd_skippable(&z, 0, 0);
	assert_int_equal(read_and_compare(z.p, z.len, t, nt, c.len, &err), 0);
	check_compressed_cuts(&c, &z, 1);
	rb_free(&z);
	rb_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v2_blocks),
		cmocka_unit_test(test_v1_upgrade),
		cmocka_unit_test(test_v1_bad),
		cmocka_unit_test(test_large_payload),
		cmocka_unit_test(test_trailing_and_unknown),
		cmocka_unit_test(test_concatenated),
		cmocka_unit_test(test_swapped_magic),
		cmocka_unit_test(test_empty_and_shb_only),
		cmocka_unit_test(test_trailer_mismatch),
		cmocka_unit_test(test_block_length),
		cmocka_unit_test(test_bogus_length_memory),
		cmocka_unit_test(test_bad_events),
		cmocka_unit_test(test_truncate_every_offset),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_zstd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
