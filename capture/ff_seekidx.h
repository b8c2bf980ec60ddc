/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Seek table of a zstd capture written by ff_writer.  The capture is a series
 * of independent zstd frames, each holding whole scap blocks; at the end of
 * the file a zstd *skippable* frame (which every zstd decoder steps over)
 * lists, per frame, where it is in the file and in the decoded stream, its
 * time range and event count:
 *
 *   u32 0x184D2A5D          skippable frame magic (ours; not zstd's
 *   u32 content_len          "seekable format", which is 0x184D2A5E)
 *   n x 56-byte entries      u64 raw_off, raw_size, dec_off, dec_size,
 *                            first_ts, last_ts (lowest and highest event ts),
 *                            nevents
 *   footer, 16 bytes         u32 n, u16 version (1), u16 entry size (56),
 *                            u32 crc32 of the entries, u32 magic "FFSK"
 *
 * The footer ends the file, so a reader finds the table from the end.  A
 * truncated file has no table and is read sequentially.
 */
#ifndef FF_SEEKIDX_H
#define FF_SEEKIDX_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_istream.h"
#include "ff_meta.h"
#include "ff_reader.h"

#define FF_SEEKIDX_SKIPPABLE_MAGIC 0x184D2A5Du
#define FF_SEEKIDX_FOOTER_MAGIC 0x4B534646u /* "FFSK" */
#define FF_SEEKIDX_VERSION 1u
#define FF_SEEKIDX_ENTRY_LEN 56u
#define FF_SEEKIDX_FOOTER_LEN 16u

struct ff_seek_frame {
	uint64_t raw_off;           /* compressed offset of the frame in the file */
	uint64_t raw_size;          /* compressed size */
	uint64_t dec_off;           /* offset of its first block in the decoded stream */
	uint64_t dec_size;          /* decoded size */
	uint64_t first_ts, last_ts; /* lowest and highest event ts (0 if no events) */
	uint64_t nevents;
};

struct ff_seekidx {
	struct ff_seek_frame *frames;
	size_t n;
};

/* Load the table of a zstd capture.  Returns 0 (table in *out, release with
 * ff_seekidx_free), -ENOENT if the file has none (no footer: other codecs,
 * pipes, truncated files), or -EBADMSG if a footer is there but the table is
 * inconsistent. */
int ff_seekidx_load(struct ff_istream *in, struct ff_seekidx *out, struct ff_err *err);
void ff_seekidx_free(struct ff_seekidx *ix);

/* Append the skippable frame holding `n` entries to `out`. */
int ff_seekidx_encode(const struct ff_seek_frame *frames, size_t n, struct ff_buf *out,
                      struct ff_err *err);

/* Index of the first frame that may hold events at or after `ts` (frames are
 * in time order); ix->n if none. */
size_t ff_seekidx_find_ts(const struct ff_seekidx *ix, uint64_t ts);

/* Position reader `r` at the first block of frame `k`. */
int ff_seekidx_seek(struct ff_reader *r, const struct ff_seekidx *ix, size_t k, struct ff_err *err);

#endif
