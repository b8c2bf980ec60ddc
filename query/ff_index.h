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
#define FF_INDEX_SCHEMA_VERSION 2

/* The schema as SQL with comments (tables, indexes, views). */
const char *ff_index_schema(void);

struct ff_index_opts {
	/* called every few thousand events and at the end: bytes read of all
	 * captures so far and their total size; may be NULL */
	void (*progress)(void *arg, uint64_t done, uint64_t total);
	void *progress_arg;
	/* leave out the rendered evt.info (and so params): a faster index */
	int no_text;
	/* packet files (pcap/pcapng) joined with the captures: packets, flows */
	const char *const *pcaps;
	int npcaps;
};

struct ff_index_stats {
	uint64_t events; /* rows of `events` */
	uint64_t processes, files, connections;
	int warnings; /* captures indexed only up to damage */
};

/* Index `ncaps` captures into a new database at `db_path` (replacing it).  A
 * damaged capture is indexed up to the damage: its `captures` row carries the
 * reader's message in `warning` and the build still succeeds.  Returns 0 or
 * a negative errno with `err` set. */
int ff_index_build(const char *db_path, const char *const *caps, int ncaps,
                   const struct ff_index_opts *o, struct ff_index_stats *stats, struct ff_err *err);

/* 1 when `db_path` holds an index of this schema version built from exactly
 * these captures and packet files, unchanged since; 0 when it is missing or stale; a negative
 * errno (with `err`) when a capture cannot be examined. */
int ff_index_fresh(const char *db_path, const char *const *caps, int ncaps,
                   const char *const *pcaps, int npcaps, struct ff_err *err);

#endif
