/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Capture writer.  Blocks are collected into frames of about `frame_bytes`
 * decoded bytes; a full frame is compressed on its own (a zstd frame, a gzip
 * member, or plain bytes) and written out at once, so a crash or a full disk
 * loses at most the frame being filled.  zstd files end with a seek table
 * (ff_seekidx.h); gzip files are multi-member gzip that sysdig and Falco read.
 *
 * Order inside a section is enforced: section header (written by open and by
 * ff_writer_new_section), metadata blocks, then events.
 */
#ifndef FF_WRITER_H
#define FF_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"
#include "ff_istream.h"

struct ff_writer;

struct ff_writer_opts {
	size_t sz;           /* sizeof(struct ff_writer_opts) */
	enum ff_codec codec; /* FF_CODEC_NONE, _GZIP or _ZSTD */
	int level;           /* 0: default (zstd FF_WRITER_DEFAULT_ZSTD_LEVEL, harder for
	                        frames under 1 MiB; gzip 6) */
	size_t frame_bytes;  /* decoded bytes per frame; 0: default (4 MiB) */
};

#define FF_WRITER_DEFAULT_FRAME (4u << 20)
#define FF_WRITER_DEFAULT_ZSTD_LEVEL 3

/* Create or truncate `path` ("-" is stdout) with mode 0600 and write a section
 * header.  opts NULL means zstd with the defaults. */
int ff_writer_open(struct ff_writer **out, const char *path, const struct ff_writer_opts *opts,
                   struct ff_err *err);

/* Append complete metadata blocks (built with ff_meta_*).  -EINVAL once an
 * event was written in the current section. */
int ff_writer_write_meta(struct ff_writer *w, const void *blocks, size_t len, struct ff_err *err);

/* Append one event as an EV_V2 block (EVF_V2 when its dump flags are not 0,
 * the LARGE ids only when the block exceeds 64 KiB). */
int ff_writer_write_event(struct ff_writer *w, const struct ff_evt *ev, struct ff_err *err);

/* Start a new section (concatenated captures): a section header; metadata
 * may follow again. */
int ff_writer_new_section(struct ff_writer *w, struct ff_err *err);

/* End the current frame and write it out. */
int ff_writer_flush(struct ff_writer *w, struct ff_err *err);

/* Flush, write the seek table (zstd), close and free.  Always frees `w`;
 * returns the first error met, if any. */
int ff_writer_close(struct ff_writer *w, struct ff_err *err);

struct ff_writer_stats {
	uint64_t events;
	uint64_t frames;        /* frames (zstd) / members (gzip) / flushes (none) written */
	uint64_t decoded_bytes; /* scap bytes written out */
	uint64_t file_bytes;    /* bytes in the file so far */
};
void ff_writer_stats(const struct ff_writer *w, struct ff_writer_stats *st);

#endif
