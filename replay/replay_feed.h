/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where falco-replay's modes take their blocks from: a capture file, or the
 * live system (--live).  A live feed first hands out the metadata blocks of
 * a /proc scan (machine, interfaces, users, processes and their fds: what a
 * capture file starts with, so the state tracker is seeded the same way),
 * then the events of a live source (capture/ff_source.h) as event blocks,
 * drop pairs included where the driver lost events, until it is told to
 * stop or its time is up.
 */
#ifndef REPLAY_FEED_H
#define REPLAY_FEED_H

#include <signal.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_reader.h"

struct replay_live {
	const char *driver;          /* "bpf", "kmod", or NULL (the default choice) */
	uint32_t snaplen;            /* 0: 80 */
	size_t buffer_bytes;         /* per-CPU buffer; 0: the driver's default */
	int all_syscalls;            /* --all */
	uint64_t seconds;            /* stop after this long; 0: until *stop */
	volatile sig_atomic_t *stop; /* set by a signal handler; may be NULL */
	/* called once tracing runs and /proc is scanned (may be NULL) */
	void (*on_ready)(const char *driver, uint32_t threads, uint32_t fds);
	int poll_ms; /* replay_feed_poll(): how long to wait for an event; 0: 100 */
};

struct replay_feed;

/* Open `path`, or the live system when `live` is not NULL (path is then only
 * a name for messages).  Errors as ff_reader_open / ff_source_open. */
int replay_feed_open(struct replay_feed **out, const char *path, const struct replay_live *live,
                     struct ff_err *err);

/* Like ff_reader_next(): 1 with *b filled, 0 at the end (end of file, or a
 * live feed stopped), or a negative errno.  An event block stays valid until
 * the next call. */
int replay_feed_next(struct replay_feed *f, struct ff_block *b, struct ff_err *err);

/* Like replay_feed_next(), but -EAGAIN when the live source had no event
 * within live->poll_ms, instead of waiting on: for a caller that has other
 * work between events (falco-tui keeps its screen and keys live). */
int replay_feed_poll(struct replay_feed *f, struct ff_block *b, struct ff_err *err);

/* The live driver in use ("bpf", "kmod"); NULL for files. */
const char *replay_feed_driver(const struct replay_feed *f);

/* Events the driver lost so far (live; 0 for files). */
uint64_t replay_feed_lost(const struct replay_feed *f);

void replay_feed_close(struct replay_feed *f);

#endif
