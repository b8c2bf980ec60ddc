/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decompressing input stream over a file or a memory buffer.  The codec is
 * chosen by magic bytes: gzip (1F 8B, multi-member allowed), zstd (28 B5 2F FD,
 * any number of frames, skippable frames ignored) or plain.
 */
#ifndef FF_ISTREAM_H
#define FF_ISTREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ff_err.h"

enum ff_codec { FF_CODEC_NONE = 0, FF_CODEC_GZIP = 1, FF_CODEC_ZSTD = 2 };

struct ff_istream;

/* Open `path` ("-" is stdin).  Returns 0 or a negative errno (message in err). */
int ff_istream_open(struct ff_istream **out, const char *path, struct ff_err *err);
/* Read from a caller-owned buffer that must outlive the stream. */
int ff_istream_open_mem(struct ff_istream **out, const void *data, size_t len, const char *name,
                        struct ff_err *err);
void ff_istream_close(struct ff_istream *s);

/* Read up to n decompressed bytes.  Returns the count (0 at a clean end), or a
 * negative errno; a stream cut inside a compressed frame is an error
 * (-EPIPE) only after every byte that could be decoded was returned. */
ssize_t ff_istream_read(struct ff_istream *s, void *buf, size_t n, struct ff_err *err);

enum ff_codec ff_istream_codec(const struct ff_istream *s);
const char *ff_istream_name(const struct ff_istream *s);
const char *ff_codec_name(enum ff_codec c);
/* Bytes of the underlying (compressed) input consumed so far. */
uint64_t ff_istream_raw_pos(const struct ff_istream *s);
/* Size of the underlying file (0 if unknown, e.g. a pipe). */
uint64_t ff_istream_raw_size(const struct ff_istream *s);

/* Restart decoding at a compressed offset that begins a zstd frame or a gzip
 * member (or any offset of a plain file).  Files and memory only. */
int ff_istream_seek_raw(struct ff_istream *s, uint64_t raw_off, struct ff_err *err);
/* Read `n` raw (undecoded) bytes at `off` of the underlying input, for indexes
 * stored outside the decoded stream (zstd skippable frames). */
ssize_t ff_istream_pread_raw(struct ff_istream *s, void *buf, size_t n, uint64_t off,
                             struct ff_err *err);

#endif
