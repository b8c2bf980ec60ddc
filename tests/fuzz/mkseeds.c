/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seed corpus for fuzz_reader: small hand-made captures covering every block
 * and event layout (and their gzip/zstd forms), plus each real capture given
 * on the command line decompressed whole and cut after its first 8 and 40
 * blocks.  Usage: mkseeds OUTDIR [capture.scap...]
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_event_table.h"
#include "ff_scap.h"
#include "rb_build.h"

static int nseeds;

static int save(const char *dir, const char *name, const uint8_t *p, size_t n)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
		perror(path);
		return -1;
	}
	nseeds++;
	return 0;
}

/* plain, gzip and zstd forms */
static int save3(const char *dir, const char *name, const struct rb_buf *c)
{
	struct rb_buf z = { 0 };
	char nm[512];
	int rc = save(dir, name, c->p, c->len);

	rb_gzip_member(&z, c->p, c->len / 2, 1);
	rb_gzip_member(&z, c->p + c->len / 2, c->len - c->len / 2, 1);
	snprintf(nm, sizeof(nm), "%s.gz", name);
	rc |= save(dir, nm, z.p, z.len);
	z.len = 0;
	rb_zstd_frame(&z, c->p, c->len / 2, 1);
	rb_zstd_skippable(&z, 8, 0);
	rb_zstd_frame(&z, c->p + c->len / 2, c->len - c->len / 2, 1);
	snprintf(nm, sizeof(nm), "%s.zst", name);
	rc |= save(dir, nm, z.p, z.len);
	rb_free(&z);
	return rc;
}

static int handmade(const char *dir)
{
	struct rb_buf c = { 0 };
	const char path[] = "/etc/shadow", id[] = "i", desc[] = "d";
	uint64_t fd = 3, v = 0x0102030405060708ull;
	uint32_t fl = 1, mode = 0600, dev = 0x803, pid = 1;
	uint8_t blob[200];
	struct rb_prm openx[5] = {
		{ &fd, 8 }, { path, sizeof(path) }, { &fl, 4 }, { &mode, 4 }, { &dev, 4 }
	};
	struct rb_prm p2[2] = { { &v, 8 }, { &v, 8 } };
	struct rb_prm notif[2] = { { id, 2 }, { desc, 2 } };
	struct rb_prm pe[2] = { { &pid, 4 }, { blob, sizeof(blob) } };
	size_t at;
	int rc = 0;

	memset(blob, 0x41, sizeof(blob));
	rb_shb(&c, 1);
	rb_mi(&c, "seed");
	rb_raw_block(&c, 0x4242u, 6, 0);
	rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 1, 10, FFE_OPEN_X, 2, 5, openx, 0);
	rb_ev_block(&c, FF_BT_EVF_V2, 1, 1, 2, 10, FFE_PROCINFO_E, 2, 2, p2, 3);
	rb_ev_block(&c, FF_BT_EV_V2_LARGE, 0, 0, 3, 10, FFE_PLUGINEVENT_E, 4, 2, pe, 0);
	rb_ev_block(&c, FF_BT_EVF_V2_LARGE, 0, 1, 4, 10, FFE_CONTAINER_E, 4, 1, notif, 0);
	rc |= save3(dir, "v2", &c);

	c.len = c.nblk = 0;
	rb_shb(&c, 0);
	rb_ev_block(&c, FF_BT_EV, 0, 0, 1, 10, FFE_OPEN_X, 2, 5, openx, 0);
	rb_ev_block(&c, FF_BT_EVF, 0, 1, 2, 10, FFE_OPEN_E, 2, 0, NULL, 0);
	at = rb_blk_open(&c, FF_BT_EV);
	rb_u16(&c, 0);
	rb_evt(&c, 1, 3, 10, FFE_NOTIFICATION_E, 2, 2, notif, 3);
	rb_zero(&c, 3);
	rb_blk_close(&c, at);
	rb_ev_block(&c, FF_BT_EV_INT, 0, 0, 4, 10, FFE_PROCINFO_E, 2, 2, p2, 0);
	rb_shb(&c, 0);
	rb_ev_block(&c, FF_BT_EV_V2, 0, 0, 5, 10, FFE_PROCINFO_E, 2, 2, p2, 0);
	rc |= save3(dir, "v1", &c);
	rb_free(&c);
	return rc;
}

static int real(const char *dir, const char *path)
{
	FILE *f = fopen(path, "rb");
	struct rb_buf raw = { 0 }, plain = { 0 };
	const char *base = strrchr(path, '/');
	uint8_t tmp[65536];
	char nm[512];
	size_t n, off = 0, nb = 0;
	int clean, rc = 0;

	if (!f) {
		perror(path);
		return -1;
	}
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		rb_put(&raw, tmp, n);
	fclose(f);
	base = base ? base + 1 : path;
	if (raw.len >= 2 && raw.p[0] == 0x1f && raw.p[1] == 0x8b)
		rb_gunzip(raw.p, raw.len, &plain, &clean);
	else
		rb_put(&plain, raw.p, raw.len);
	snprintf(nm, sizeof(nm), "real-%s", base);
	rc |= save(dir, nm, plain.p, plain.len);
	/* prefixes ending at block boundaries: small inputs mutate fast */
	while (off + 8 <= plain.len) {
		uint32_t total;

		memcpy(&total, plain.p + off + 4, 4);
		if (total < 12 || off + total > plain.len)
			break;
		off += total;
		if (++nb == 8 || nb == 40) {
			struct rb_buf pre = { 0 };

			rb_put(&pre, plain.p, off);
			snprintf(nm, sizeof(nm), "real-%s-%zu", base, nb);
			rc |= save3(dir, nm, &pre);
			rb_free(&pre);
		}
	}
	rb_free(&raw);
	rb_free(&plain);
	return rc;
}

int main(int argc, char **argv)
{
	int rc, i;

	if (argc < 2) {
		fprintf(stderr, "usage: mkseeds OUTDIR [capture.scap...]\n");
		return 2;
	}
	rc = handmade(argv[1]);
	for (i = 2; i < argc; i++)
		rc |= real(argv[1], argv[i]);
	printf("mkseeds: %d seeds in %s\n", nseeds, argv[1]);
	return rc ? 1 : 0;
}
