/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zlib.h>
#include <zstd.h>

#include "ff_meta.h"
#include "ff_scap.h"
#include "ff_seekidx.h"
#include "ff_writer.h"

#define DF_LARGE 4u /* writer-side request for a LARGE block, never written */
/* With the default level, frames below this size (the last one, or frames cut
 * short by a flush) are compressed harder: they cost little CPU either way and
 * small captures would otherwise come out larger than sysdig's gzip. */
#define SMALL_FRAME (1u << 20)
#define SMALL_FRAME_LEVEL 9

struct ff_writer {
	int fd;
	int own_fd; /* not stdout */
	char *path;
	enum ff_codec codec;
	int level;
	int level_auto; /* level not chosen by the caller */
	size_t frame_bytes;
	int failed;          /* sticky write error: nothing more goes to the file */
	int in_events;       /* an event was written in this section */
	struct ff_buf frame; /* decoded bytes of the frame being filled */
	struct ff_buf out;   /* compressed frame */
	ZSTD_CCtx *zc;
	z_stream zs;
	int zs_live;
	uint64_t file_off;            /* bytes written to the file */
	uint64_t dec_off;             /* decoded bytes written out */
	struct ff_seek_frame cur;     /* stats of the frame being filled */
	struct ff_seek_frame *frames; /* done frames (zstd seek table) */
	size_t nframes, frames_cap;
	uint64_t events;
};

static int write_all(struct ff_writer *w, const uint8_t *p, size_t n, struct ff_err *err)
{
	while (n > 0) {
		ssize_t r = write(w->fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			int e = r < 0 ? errno : ENOSPC;

			w->failed = -e;
			/* drop a partly written frame so the file ends on a whole one */
			if (w->own_fd && ftruncate(w->fd, (off_t)w->file_off) == 0)
				lseek(w->fd, (off_t)w->file_off, SEEK_SET);
			return ff_errf(err, -e, "%s: write failed at byte %llu: %s", w->path,
			               (unsigned long long)w->file_off, strerror(e));
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int compress_frame(struct ff_writer *w, const uint8_t **p, size_t *n, struct ff_err *err)
{
	const struct ff_buf *in = &w->frame;
	int rc;

	if (w->codec == FF_CODEC_NONE) {
		*p = in->p;
		*n = in->len;
		return 0;
	}
	w->out.len = 0;
	if (w->codec == FF_CODEC_ZSTD) {
		size_t bound = ZSTD_compressBound(in->len), zr;
		int lvl = w->level_auto && in->len < SMALL_FRAME ? SMALL_FRAME_LEVEL : w->level;

		rc = ff_buf_reserve(&w->out, bound, err);
		if (rc)
			return rc;
		ZSTD_CCtx_setParameter(w->zc, ZSTD_c_compressionLevel, lvl);
		zr = ZSTD_compress2(w->zc, w->out.p, bound, in->p, in->len);
		if (ZSTD_isError(zr))
			return ff_errf(err, -EIO, "%s: zstd compression failed: %s", w->path,
			               ZSTD_getErrorName(zr));
		w->out.len = zr;
	} else {
		uLong bound;

		if (deflateReset(&w->zs) != Z_OK)
			return ff_errf(err, -EIO, "%s: zlib reset failed", w->path);
		bound = deflateBound(&w->zs, (uLong)in->len) + 64;
		rc = ff_buf_reserve(&w->out, bound, err);
		if (rc)
			return rc;
		w->zs.next_in = in->p;
		w->zs.avail_in = (uInt)in->len;
		w->zs.next_out = w->out.p;
		w->zs.avail_out = (uInt)bound;
		if (deflate(&w->zs, Z_FINISH) != Z_STREAM_END)
			return ff_errf(err, -EIO, "%s: gzip compression failed", w->path);
		w->out.len = bound - w->zs.avail_out;
	}
	*p = w->out.p;
	*n = w->out.len;
	return 0;
}

int ff_writer_flush(struct ff_writer *w, struct ff_err *err)
{
	const uint8_t *p = NULL;
	size_t n = 0;
	int rc;

	if (w->failed)
		return ff_errf(err, w->failed, "%s: an earlier write failed", w->path);
	if (w->frame.len == 0)
		return 0;
	if (w->nframes == w->frames_cap) {
		size_t ncap = w->frames_cap ? w->frames_cap * 2 : 64;
		struct ff_seek_frame *nf = realloc(w->frames, ncap * sizeof(*nf));

		if (!nf)
			return ff_errf(err, -ENOMEM, "out of memory");
		w->frames = nf;
		w->frames_cap = ncap;
	}
	rc = compress_frame(w, &p, &n, err);
	if (rc)
		return rc;
	rc = write_all(w, p, n, err);
	if (rc)
		return rc;
	w->cur.raw_off = w->file_off;
	w->cur.raw_size = n;
	w->cur.dec_off = w->dec_off;
	w->cur.dec_size = w->frame.len;
	w->frames[w->nframes++] = w->cur;
	w->file_off += n;
	w->dec_off += w->frame.len;
	w->frame.len = 0;
	memset(&w->cur, 0, sizeof(w->cur));
	return 0;
}

static int append(struct ff_writer *w, const void *p, size_t n, struct ff_err *err)
{
	if (w->failed)
		return ff_errf(err, w->failed, "%s: an earlier write failed", w->path);
	return ff_buf_put(&w->frame, p, n, err);
}

static int maybe_flush(struct ff_writer *w, struct ff_err *err)
{
	return w->frame.len >= w->frame_bytes ? ff_writer_flush(w, err) : 0;
}

int ff_writer_new_section(struct ff_writer *w, struct ff_err *err)
{
	int rc;

	if (w->failed)
		return ff_errf(err, w->failed, "%s: an earlier write failed", w->path);
	rc = ff_meta_put_shb(&w->frame, err);
	if (rc)
		return rc;
	w->in_events = 0;
	return maybe_flush(w, err);
}

int ff_writer_write_meta(struct ff_writer *w, const void *blocks, size_t len, struct ff_err *err)
{
	int rc;

	/* readers refuse metadata once events have started in a section */
	if (w->in_events)
		return ff_errf(err, -EINVAL,
		               "%s: metadata after the first event needs a new section", w->path);
	rc = append(w, blocks, len, err);
	return rc ? rc : maybe_flush(w, err);
}

int ff_writer_write_event(struct ff_writer *w, const struct ff_evt *ev, struct ff_err *err)
{
	uint32_t flags = ev->dump_flags & ~DF_LARGE;
	size_t hdr = flags ? 6 : 2, payload = hdr + ev->len, pad = (4 - payload % 4) % 4;
	size_t total = 8 + payload + pad + 4;
	uint32_t type, t32;
	uint8_t *p;
	int rc;

	if (w->failed)
		return ff_errf(err, w->failed, "%s: an earlier write failed", w->path);
	if (total > UINT32_MAX)
		return ff_errf(err, -E2BIG, "event of %u bytes is too large", ev->len);
	if (total - 8 > FF_EV_BLOCK_MAX_PAYLOAD)
		type = flags ? FF_BT_EVF_V2_LARGE : FF_BT_EV_V2_LARGE;
	else
		type = flags ? FF_BT_EVF_V2 : FF_BT_EV_V2;
	rc = ff_buf_reserve(&w->frame, total, err);
	if (rc)
		return rc;
	p = w->frame.p + w->frame.len;
	t32 = (uint32_t)total;
	memcpy(p, &type, 4);
	memcpy(p + 4, &t32, 4);
	memcpy(p + 8, &ev->cpu, 2);
	if (flags)
		memcpy(p + 10, &flags, 4);
	memcpy(p + 8 + hdr, ev->raw, ev->len);
	memset(p + 8 + payload, 0, pad);
	memcpy(p + total - 4, &t32, 4);
	w->frame.len += total;

	if (w->cur.nevents == 0 || ev->ts < w->cur.first_ts)
		w->cur.first_ts = ev->ts;
	if (w->cur.nevents == 0 || ev->ts > w->cur.last_ts)
		w->cur.last_ts = ev->ts;
	w->cur.nevents++;
	w->events++;
	w->in_events = 1;
	return maybe_flush(w, err);
}

static void writer_free(struct ff_writer *w)
{
	if (w->own_fd && w->fd >= 0)
		close(w->fd);
	ZSTD_freeCCtx(w->zc);
	if (w->zs_live)
		deflateEnd(&w->zs);
	ff_buf_free(&w->frame);
	ff_buf_free(&w->out);
	free(w->frames);
	free(w->path);
	free(w);
}

int ff_writer_open(struct ff_writer **out, const char *path, const struct ff_writer_opts *opts,
                   struct ff_err *err)
{
	struct ff_writer_opts o = { .sz = sizeof(o), .codec = FF_CODEC_ZSTD };
	struct ff_writer *w;
	struct stat st;
	int rc;

	*out = NULL;
	if (opts) {
		if (opts->sz < offsetof(struct ff_writer_opts, frame_bytes) + sizeof(size_t) ||
		    opts->sz > sizeof(o))
			return ff_errf(err, -EINVAL, "ff_writer_open: options of unknown size %zu",
			               opts->sz);
		memcpy(&o, opts, opts->sz);
	}
	if (o.codec != FF_CODEC_NONE && o.codec != FF_CODEC_GZIP && o.codec != FF_CODEC_ZSTD)
		return ff_errf(err, -EINVAL, "unknown codec %d", (int)o.codec);
	if (o.level == 0)
		o.level = o.codec == FF_CODEC_GZIP ? 6 : FF_WRITER_DEFAULT_ZSTD_LEVEL;
	if (o.codec == FF_CODEC_GZIP && (o.level < 1 || o.level > 9))
		return ff_errf(err, -EINVAL, "gzip level %d out of range 1..9", o.level);
	if (o.codec == FF_CODEC_ZSTD && (o.level < ZSTD_minCLevel() || o.level > ZSTD_maxCLevel()))
		return ff_errf(err, -EINVAL, "zstd level %d out of range %d..%d", o.level,
		               ZSTD_minCLevel(), ZSTD_maxCLevel());
	if (o.frame_bytes == 0)
		o.frame_bytes = FF_WRITER_DEFAULT_FRAME;

	w = calloc(1, sizeof(*w));
	if (!w)
		return ff_errf(err, -ENOMEM, "out of memory");
	w->fd = -1;
	w->codec = o.codec;
	w->level = o.level;
	w->level_auto = !opts || opts->level == 0;
	w->frame_bytes = o.frame_bytes;
	w->path = strdup(strcmp(path, "-") ? path : "<stdout>");
	if (!w->path) {
		rc = ff_errf(err, -ENOMEM, "out of memory");
		goto fail;
	}
	if (strcmp(path, "-") == 0) {
		w->fd = STDOUT_FILENO;
	} else {
		/* captures hold secrets (args, env, data snippets): owner only,
		 * also when an existing file is overwritten */
		w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (w->fd < 0) {
			rc = ff_errf(err, -errno, "%s: cannot create: %s", path, strerror(errno));
			goto fail;
		}
		w->own_fd = 1;
		if (fstat(w->fd, &st) < 0) {
			rc = ff_errf(err, -errno, "%s: cannot stat: %s", path, strerror(errno));
			goto fail;
		}
		if (S_ISREG(st.st_mode) && (st.st_mode & 07777) != 0600 &&
		    fchmod(w->fd, 0600) < 0) {
			rc = ff_errf(err, -errno, "%s: cannot set mode 0600: %s", path,
			             strerror(errno));
			goto fail;
		}
	}
	if (w->codec == FF_CODEC_ZSTD) {
		w->zc = ZSTD_createCCtx();
		if (!w->zc) {
			rc = ff_errf(err, -ENOMEM, "out of memory for zstd");
			goto fail;
		}
		ZSTD_CCtx_setParameter(w->zc, ZSTD_c_checksumFlag, 1);
	} else if (w->codec == FF_CODEC_GZIP) {
		if (deflateInit2(&w->zs, w->level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
		    Z_OK) {
			rc = ff_errf(err, -ENOMEM, "cannot initialise zlib");
			goto fail;
		}
		w->zs_live = 1;
	}
	rc = ff_buf_reserve(&w->frame, w->frame_bytes + 65536, err);
	if (rc)
		goto fail;
	rc = ff_writer_new_section(w, err);
	if (rc)
		goto fail;
	*out = w;
	return 0;
fail:
	writer_free(w);
	return rc;
}

int ff_writer_close(struct ff_writer *w, struct ff_err *err)
{
	struct ff_buf tab = { 0 };
	int rc;

	if (!w)
		return 0;
	rc = ff_writer_flush(w, err);
	if (rc == 0 && w->codec == FF_CODEC_ZSTD) {
		rc = ff_seekidx_encode(w->frames, w->nframes, &tab, err);
		if (rc == 0)
			rc = write_all(w, tab.p, tab.len, err);
		if (rc == 0)
			w->file_off += tab.len;
	}
	if (w->own_fd) {
		int fd = w->fd;

		w->fd = -1;
		if (close(fd) < 0 && rc == 0)
			rc = ff_errf(err, -errno, "%s: close failed: %s", w->path, strerror(errno));
	}
	ff_buf_free(&tab);
	writer_free(w);
	return rc;
}

void ff_writer_stats(const struct ff_writer *w, struct ff_writer_stats *st)
{
	st->events = w->events;
	st->frames = w->nframes;
	st->decoded_bytes = w->dec_off;
	st->file_bytes = w->file_off;
}
