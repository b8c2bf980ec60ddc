/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One pass over an event stream for falco-tui, run a slice at a time from the
 * idle loop so the screen stays live: reader -> state -> (filter) -> the
 * model, the rule engine and a per-event callback.  A pass can start at a time
 * (jumping with the seek table of a zstd capture when it has one, after the
 * metadata blocks at the head of the file) and stop at another.  The source
 * is a capture file, or the live system (replay/replay_feed.h: a /proc scan,
 * then the driver's events, drop pairs included).
 */
#ifndef FF_TUIFEED_H
#define FF_TUIFEED_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"
#include "ff_state.h"
#include "ff_tuifilter.h"
#include "ff_tuimodel.h"
#include "ff_tuirules.h"

struct ff_tuifeed_opts {
	size_t sz;                 /* sizeof(struct ff_tuifeed_opts) */
	const char *path;          /* capture file */
	int live;                  /* live source instead of a file */
	const char *filter;        /* filter text (compiled per pass), NULL for none */
	struct ff_tuimodel *model; /* if set: every matching event is added */
	struct ff_tuirules *rules; /* if set: alerts go to `model` */
	uint64_t start_ts, end_ts; /* deliver events in [start_ts, end_ts]; 0,0 = all */
	/* live only */
	const char *driver;  /* "bpf", "kmod", NULL: the default choice */
	uint32_t snaplen;    /* 0: 80 */
	size_t buffer_bytes; /* per-CPU ring; 0: the driver's default */
	int all_syscalls;
	int poll_ms; /* how long a step waits for an event; 0: 100 */
};

/* Called for every event delivered (visible in sysdig's listing, in the time
 * range, passing the filter).  Return 0 to go on, 1 to stop the pass, or a
 * negative errno. */
typedef int (*ff_tuifeed_fn)(void *user, const struct ff_state *st, const struct ff_evt *ev,
                             uint64_t evtnum);

struct ff_tuifeed;

/* Open the source.  Returns 0, -ENOTSUP for a source this build lacks, or
 * another negative errno with err set (e.g. a filter error with its column;
 * live: -EPERM when not root or BPF is not allowed). */
int ff_tuifeed_open(struct ff_tuifeed **out, const struct ff_tuifeed_opts *o, struct ff_err *err);
void ff_tuifeed_close(struct ff_tuifeed *f);

/* Process up to `max` events.  Returns 1 when more remain, 0 at the end of
 * the stream (or of the time range, or when fn asked to stop), -EAGAIN (live)
 * when no event came within poll_ms, or another negative errno (every event
 * before the failure was delivered). */
int ff_tuifeed_step(struct ff_tuifeed *f, size_t max, ff_tuifeed_fn fn, void *user,
                    struct ff_err *err);

/* Fraction of the input read (0..1; 0 when the size is unknown). */
double ff_tuifeed_progress(const struct ff_tuifeed *f);
uint64_t ff_tuifeed_nread(const struct ff_tuifeed *f); /* events read so far */
/* Time span from the seek table: 1 with first and last set, 0 when unknown. */
int ff_tuifeed_span(const struct ff_tuifeed *f, uint64_t *first, uint64_t *last);
/* Events in the whole capture from the seek table, 0 when unknown. */
uint64_t ff_tuifeed_total_events(const struct ff_tuifeed *f);
const char *ff_tuifeed_codec(const struct ff_tuifeed *f);
/* Live: the driver in use and the events it lost so far (0 for files). */
const char *ff_tuifeed_driver(const struct ff_tuifeed *f);
uint64_t ff_tuifeed_lost(const struct ff_tuifeed *f);
/* Live: filter the events from now on with `filter` (NULL or "": none).
 * 0, or a negative errno with err set (the old filter stays). */
int ff_tuifeed_set_filter(struct ff_tuifeed *f, const char *filter, struct ff_err *err);
/* Malformed events skipped so far (count in *nbad) and the first one's
 * message, or NULL when none. */
const char *ff_tuifeed_warning(const struct ff_tuifeed *f, uint64_t *nbad);

#endif
