/* SPDX-License-Identifier: Apache-2.0 */
/* Row queue (ff_rowq.h). */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "ff_rowq.h"

/* big enough that the hand-over lock is rare, small enough that the writer
 * starts early and the last batch is short */
#define BATCH_BYTES (2u << 20)
#define NBUF 3

enum { C_NULL, C_INT, C_TEXT };

struct qbuf {
	uint8_t *p;
	size_t len, cap;
};

#define MULTI_MAX 64

struct ff_rowq {
	sqlite3_stmt *const *stmts;
	int nstmts;
	/* stmt -> a statement inserting `mk` of its rows at once (or NULL) */
	sqlite3_stmt *multi[32];
	int mk[32];
	struct qbuf buf[NBUF];
	struct qbuf *cur;
	size_t row_start;
	unsigned ncells;
	int oom;
	/* writer thread; everything below mu is guarded by it */
	int threaded, started;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct qbuf *full[NBUF], *freeq[NBUF];
	int fhead, nfull, nfree;
	int done, failed;
	struct ff_err werr; /* the writer's, read after the join */
};

static int grow(struct ff_rowq *q, size_t n)
{
	struct qbuf *b = q->cur;
	if (q->oom)
		return -1;
	if (b->len + n <= b->cap)
		return 0;
	size_t nc = b->cap ? b->cap : BATCH_BYTES + 65536;
	while (nc < b->len + n)
		nc *= 2;
	uint8_t *np = realloc(b->p, nc);
	if (!np) {
		q->oom = 1;
		return -1;
	}
	b->p = np;
	b->cap = nc;
	return 0;
}

void ff_rowq_begin(struct ff_rowq *q, int stmt)
{
	if (grow(q, 2))
		return;
	q->row_start = q->cur->len;
	q->cur->p[q->cur->len++] = (uint8_t)stmt;
	q->cur->p[q->cur->len++] = 0;
	q->ncells = 0;
}

void ff_rowq_null(struct ff_rowq *q)
{
	if (grow(q, 1))
		return;
	q->cur->p[q->cur->len++] = C_NULL;
	q->ncells++;
}

void ff_rowq_int(struct ff_rowq *q, int64_t v)
{
	if (grow(q, 1 + sizeof(v)))
		return;
	q->cur->p[q->cur->len++] = C_INT;
	memcpy(q->cur->p + q->cur->len, &v, sizeof(v));
	q->cur->len += sizeof(v);
	q->ncells++;
}

void ff_rowq_text(struct ff_rowq *q, const char *s, size_t n)
{
	uint32_t n32 = (uint32_t)n;
	if (!s) {
		ff_rowq_null(q);
		return;
	}
	if (n > INT32_MAX)
		n32 = INT32_MAX; /* SQLite's own limit is lower: it reports it */
	if (grow(q, 1 + sizeof(n32) + n32))
		return;
	struct qbuf *b = q->cur;
	b->p[b->len++] = C_TEXT;
	memcpy(b->p + b->len, &n32, sizeof(n32));
	b->len += sizeof(n32);
	memcpy(b->p + b->len, s, n32);
	b->len += n32;
	q->ncells++;
}

/* Bind the n values at p to parameters off+1..off+n of s; p moves past them.
 * Text is bound in place (static): each row rebinds every parameter, so no
 * statement reads a recycled batch. */
static void bind_row(sqlite3_stmt *s, int off, unsigned n, const uint8_t **pp)
{
	const uint8_t *p = *pp;
	for (unsigned i = 1; i <= n; i++) {
		int64_t v;
		uint32_t len;
		switch (*p++) {
		case C_INT:
			memcpy(&v, p, sizeof(v));
			p += sizeof(v);
			sqlite3_bind_int64(s, off + (int)i, v);
			break;
		case C_TEXT:
			memcpy(&len, p, sizeof(len));
			p += sizeof(len);
			sqlite3_bind_text(s, off + (int)i, (const char *)p, (int)len,
			                  SQLITE_STATIC);
			p += len;
			break;
		default:
			sqlite3_bind_null(s, off + (int)i);
			break;
		}
	}
	*pp = p;
}

static int step(sqlite3_stmt *s, struct ff_err *err)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return ff_errf(err, -EIO, "index: %s: %s", sqlite3_sql(s),
		               sqlite3_errmsg(sqlite3_db_handle(s)));
	return 0;
}

/* Rows of one statement waiting to go together through its multi-row form
 * (bound as they come); cut short, they go one by one through the single
 * form instead. */
struct group {
	int si, n;
	const uint8_t *rows[MULTI_MAX]; /* each row's values, for the single form */
};

static int group_flush(struct ff_rowq *q, struct group *g, struct ff_err *err)
{
	int rc = 0;
	for (int i = 0; i < g->n && !rc; i++) {
		const uint8_t *p = g->rows[i];
		sqlite3_stmt *s = q->stmts[g->si];
		bind_row(s, 0, (unsigned)sqlite3_bind_parameter_count(s), &p);
		rc = step(s, err);
	}
	g->n = 0;
	return rc;
}

/* Bind and step every row of a batch, in order. */
static int run_batch(struct ff_rowq *q, const struct qbuf *b, struct ff_err *err)
{
	const uint8_t *p = b->p, *end = b->p + b->len;
	struct group g = { .si = -1 };
	int rc;
	while (p < end) {
		int si = p[0];
		unsigned n = p[1];
		p += 2;
		sqlite3_stmt *s = si < q->nstmts ? q->stmts[si] : NULL;
		if (!s || (int)n != sqlite3_bind_parameter_count(s))
			return ff_errf(err, -EINVAL, "index: row of %u values for statement %d", n,
			               si);
		sqlite3_stmt *m = si < 32 ? q->multi[si] : NULL;
		if (g.n && g.si != si && (rc = group_flush(q, &g, err)))
			return rc;
		if (!m) {
			bind_row(s, 0, n, &p);
			if ((rc = step(s, err)))
				return rc;
			continue;
		}
		g.si = si;
		g.rows[g.n] = p;
		bind_row(m, g.n * (int)n, n, &p);
		if (++g.n == q->mk[si]) {
			g.n = 0;
			if ((rc = step(m, err)))
				return rc;
		}
	}
	return g.n ? group_flush(q, &g, err) : 0;
}

static void *writer(void *arg)
{
	struct ff_rowq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->nfull && !q->done)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->nfull)
			break;
		struct qbuf *b = q->full[q->fhead];
		q->fhead = (q->fhead + 1) % NBUF;
		q->nfull--;
		int failed = q->failed;
		pthread_mutex_unlock(&q->mu);
		/* after a failure the rest is drained unread: the producer must not block */
		int rc = failed ? 0 : run_batch(q, b, &q->werr);
		pthread_mutex_lock(&q->mu);
		if (rc && !q->failed)
			q->failed = rc;
		b->len = 0;
		q->freeq[q->nfree++] = b;
		pthread_cond_broadcast(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

int ff_rowq_new(struct ff_rowq **qp, sqlite3_stmt *const *stmts, int nstmts, int threaded,
                struct ff_err *err)
{
	struct ff_rowq *q = calloc(1, sizeof(*q));
	*qp = NULL;
	if (!q)
		return ff_errf(err, -ENOMEM, "out of memory");
	q->stmts = stmts;
	q->nstmts = nstmts;
	q->cur = &q->buf[0];
	for (int i = 1; i < NBUF; i++)
		q->freeq[q->nfree++] = &q->buf[i];
	if (threaded && !pthread_mutex_init(&q->mu, NULL)) {
		if (!pthread_cond_init(&q->cv, NULL)) {
			q->threaded = 1;
			q->started = !pthread_create(&q->th, NULL, writer, q);
			if (!q->started) {
				pthread_cond_destroy(&q->cv);
				q->threaded = 0;
			}
		}
		if (!q->threaded)
			pthread_mutex_destroy(&q->mu);
	}
	*qp = q;
	return 0;
}

int ff_rowq_multi(struct ff_rowq *q, int stmt, struct sqlite3_stmt *multi, int k)
{
	if (stmt < 0 || stmt >= q->nstmts || stmt >= 32 || k < 2 || k > MULTI_MAX ||
	    !q->stmts[stmt] ||
	    sqlite3_bind_parameter_count(multi) != k * sqlite3_bind_parameter_count(q->stmts[stmt]))
		return -EINVAL;
	q->multi[stmt] = multi;
	q->mk[stmt] = k;
	return 0;
}

/* Give the current batch to the writer (or run it here) and get an empty one. */
static int handoff(struct ff_rowq *q)
{
	int rc;
	if (!q->started) {
		rc = q->failed ? q->failed : run_batch(q, q->cur, &q->werr);
		q->cur->len = 0;
		if (rc && !q->failed)
			q->failed = rc;
		return rc;
	}
	pthread_mutex_lock(&q->mu);
	q->full[(q->fhead + q->nfull) % NBUF] = q->cur;
	q->nfull++;
	pthread_cond_broadcast(&q->cv);
	while (!q->nfree)
		pthread_cond_wait(&q->cv, &q->mu);
	q->cur = q->freeq[--q->nfree];
	rc = q->failed;
	pthread_mutex_unlock(&q->mu);
	return rc;
}

int ff_rowq_end(struct ff_rowq *q)
{
	if (q->oom)
		return -ENOMEM;
	q->cur->p[q->row_start + 1] = (uint8_t)q->ncells;
	if (q->cur->len >= BATCH_BYTES)
		return handoff(q);
	return 0;
}

int ff_rowq_flush(struct ff_rowq *q)
{
	if (q->oom)
		return -ENOMEM;
	if (q->cur->len)
		return handoff(q);
	if (!q->started)
		return q->failed;
	pthread_mutex_lock(&q->mu);
	int rc = q->failed;
	pthread_mutex_unlock(&q->mu);
	return rc;
}

static void stop(struct ff_rowq *q)
{
	if (!q->started)
		return;
	pthread_mutex_lock(&q->mu);
	q->done = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->th, NULL);
	q->started = 0;
}

int ff_rowq_finish(struct ff_rowq *q, struct ff_err *err)
{
	int rc = 0;
	if (q->oom)
		rc = ff_errf(err, -ENOMEM, "out of memory");
	else if (q->cur->len)
		rc = handoff(q);
	stop(q);
	if (!rc && q->oom)
		rc = ff_errf(err, -ENOMEM, "out of memory");
	if (!rc && q->failed)
		rc = q->failed;
	if (rc && q->werr.code) {
		ff_errf(err, q->werr.code, "%s", q->werr.msg);
		rc = q->werr.code;
	}
	/* no binding may point into the batches once they are freed */
	for (int i = 0; i < q->nstmts; i++)
		if (q->stmts[i])
			sqlite3_clear_bindings(q->stmts[i]);
	for (int i = 0; i < 32; i++)
		if (q->multi[i])
			sqlite3_clear_bindings(q->multi[i]);
	return rc;
}

void ff_rowq_free(struct ff_rowq *q)
{
	if (!q)
		return;
	if (q->started) {
		pthread_mutex_lock(&q->mu);
		if (!q->failed)
			q->failed = -ECANCELED;
		pthread_mutex_unlock(&q->mu);
		stop(q);
	}
	if (q->threaded) {
		pthread_cond_destroy(&q->cv);
		pthread_mutex_destroy(&q->mu);
	}
	for (int i = 0; i < NBUF; i++)
		free(q->buf[i].p);
	free(q);
}
