/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Row queue: the indexer's bridge to SQLite.  The replay thread records each
 * row as (prepared statement, values) into batches of a few MB; a writer
 * thread binds and steps them in the same order.  Replay and rendering then
 * run beside SQLite's inserts instead of before them: on two cores the index
 * builds in about the time of the inserts alone.
 *
 * Values of one row are given in parameter order (?1, ?2, ...); text is
 * copied into the batch, so the caller's buffers may change at once.
 */
#ifndef FF_ROWQ_H
#define FF_ROWQ_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"

struct sqlite3_stmt;
struct ff_rowq;

/* A queue over `nstmts` prepared statements, which must outlive it and are
 * used only by the writer until ff_rowq_finish().  `threaded` 0 steps each
 * batch in the caller's thread (also the fallback when no thread starts). */
int ff_rowq_new(struct ff_rowq **q, struct sqlite3_stmt *const *stmts, int nstmts, int threaded,
                struct ff_err *err);

/* Rows of `stmt` that come in a run go `k` at a time (2..64) through
 * `multi`, the same statement with k rows of parameters (an INSERT ...
 * VALUES (...), (...)): SQLite's per-statement cost is paid once per k rows.
 * Order is kept; a run cut short goes row by row.  Call before the first
 * row; `multi` must outlive the queue.  0 or -EINVAL. */
int ff_rowq_multi(struct ff_rowq *q, int stmt, struct sqlite3_stmt *multi, int k);

void ff_rowq_begin(struct ff_rowq *q, int stmt);
void ff_rowq_int(struct ff_rowq *q, int64_t v);
void ff_rowq_null(struct ff_rowq *q);
/* NULL `s` is SQL NULL */
void ff_rowq_text(struct ff_rowq *q, const char *s, size_t n);
/* Ends the row.  0, or the negative errno of an earlier failure (out of
 * memory here, or an SQLite error of the writer: ff_rowq_finish() tells). */
int ff_rowq_end(struct ff_rowq *q);

/* Hands the rows queued so far to the writer now (a commit must not wait
 * for a full batch).  0 or the negative errno of an earlier failure. */
int ff_rowq_flush(struct ff_rowq *q);

/* Runs what is queued and stops the writer: 0 or a negative errno with `err`
 * (the first failure).  The statements are then the caller's again. */
int ff_rowq_finish(struct ff_rowq *q, struct ff_err *err);

/* Stops the writer if still running (discarding rows) and frees. */
void ff_rowq_free(struct ff_rowq *q);

#endif
