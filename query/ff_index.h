/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The capture indexer behind falco-query: replays captures through the state
 * tracker (replay/ff_state.h) into an SQLite database whose schema is stable
 * and versioned (ff_index_schema()).  A database remembers the captures it was
 * built from (path, size, mtime and a hash of their head and tail), so a
 * caller can tell whether it is still fresh.  A build writes a temporary file
 * beside the target and renames it into place: readers never see half an
 * index.
 */
#ifndef FF_INDEX_H
#define FF_INDEX_H

#include <stdint.h>

#include "ff_err.h"

/* Bumped on any change of table or column meaning; older files are rebuilt. */
#define FF_INDEX_SCHEMA_VERSION 3

/* The schema as SQL with comments (tables, indexes, views). */
const char *ff_index_schema(void);

struct ff_state;
struct ff_evt;

/* One alert of a rule over the event being indexed. */
struct ff_index_alert {
	const char *rule, *priority;
	const char *output; /* the alert's text */
	const char *fields; /* JSON object of the output fields, or NULL */
};
typedef int (*ff_index_emit_fn)(void *ctx, const struct ff_index_alert *a);

/* Where the `alerts` rows come from (the rule engine plugs in here): `eval`
 * sees every event the replay counts (`num`: its evt.num), after the state tracker and the other
 * tables did, and calls `emit` for each alert it raises.  A non-zero return
 * (a negative errno, message in `err`) stops the build. */
struct ff_index_alerter {
	int (*eval)(void *arg, const struct ff_state *st, const struct ff_evt *ev, uint64_t num,
	            ff_index_emit_fn emit, void *ctx, struct ff_err *err);
	void *arg;
};

struct ff_index_opts {
	/* called every few thousand events and at the end: bytes read of all
	 * captures so far and their total size; may be NULL */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* leave out the rendered evt.info (and so params): a faster index */
	int no_text;
	/* insert rows in the replaying thread instead of a writer thread */
	int serial;
	/* packet files (pcap/pcapng) joined with the captures: packets, flows */
	const char *const *pcaps;
	int npcaps;
	/* fills `alerts`; NULL leaves it empty */
	const struct ff_index_alerter *alerter;
	/* stored as meta 'rules' (what the alerts came from; ff_index_meta()) */
	const char *rules_tag;
};

struct ff_index_stats {
	uint64_t events; /* rows of `events` */
	uint64_t processes, files, connections, alerts;
	uint64_t drops, lost; /* drop reports (rows of `drops`) and the events they say were lost */
	int warnings;         /* captures indexed only up to damage */
};

/* Index `ncaps` captures into a new database at `db_path` (replacing it).  A
 * damaged capture is indexed up to the damage: its `captures` row carries the
 * reader's message in `warning` and the build still succeeds.  Returns 0 or
 * a negative errno with `err` set. */
int ff_index_build(const char *db_path, const char *const *caps, int ncaps,
                   const struct ff_index_opts *o, struct ff_index_stats *stats, struct ff_err *err);

/* ---- live ---- */

struct ff_block;

/* The next block of a live stream (metadata such as a process list, or an
 * event, valid until the next call): 1 a block, 0 the end, -EAGAIN nothing
 * arrived yet (call again), another negative errno (with `err`) a failure. */
typedef int (*ff_index_next_fn)(void *arg, struct ff_block *b, struct ff_err *err);

struct ff_index_live_opts {
	const char *name;            /* captures.path of the stream, e.g. "live:bpf" */
	uint64_t retention_ns;       /* events, files and connections older than this
	                              * behind the newest event go; 0 keeps all */
	uint64_t max_events;         /* keep at most this many events (the newest); 0: no limit */
	uint64_t alert_retention_ns; /* alerts and drops older than this go; 0 keeps them */
	unsigned commit_ms;          /* rows reach readers this often (wall time); 0: 1000 */
	unsigned commit_events;      /* ... or every this many events; 0: time only */
	const volatile int *stop;    /* non-zero (e.g. set by a signal handler) ends the stream */
	/* called after each commit with the totals so far (may be NULL) */
	void (*on_commit)(void *arg, const struct ff_index_stats *st);
	void *on_commit_arg;
};

/* Index a live stream into `db_path` (created anew, mode 0600, WAL: other
 * processes query it while it grows; a reader never blocks the writer).
 * Rows reach readers in commits every commit_ms.  Each commit first drops
 * what left the window: events, files and closed connections older than it
 * (or beyond max_events), processes that ended before it unless a row still
 * refers to them (an event, file, connection, alert, or a child or later
 * image: every *_row keeps resolving, so lineage survives), and alerts and
 * drops past alert_retention_ns.  The window is measured behind the newest
 * event.  meta holds 'live', 'retention_ns', 'max_events' and
 * 'alert_retention_ns'.  At the end the database leaves WAL mode when no
 * reader is in it.  Returns 0 when the stream ends or *stop is set, else a
 * negative errno with `err`. */
int ff_index_live(const char *db_path, ff_index_next_fn next, void *arg,
                  const struct ff_index_opts *o, const struct ff_index_live_opts *lo,
                  struct ff_index_stats *stats, struct ff_err *err);

/* 1 when `db_path` holds an index of this schema version built from exactly
 * these captures and packet files, unchanged since; 0 when it is missing or stale; a negative
 * errno (with `err`) when a capture cannot be examined. */
int ff_index_fresh(const char *db_path, const char *const *caps, int ncaps,
                   const char *const *pcaps, int npcaps, struct ff_err *err);

/* The value of `key` in the index's meta table, in buf (empty when absent).
 * Returns 0, or -ENOENT when the index cannot be read. */
int ff_index_meta(const char *db_path, const char *key, char *buf, size_t len);

#endif
