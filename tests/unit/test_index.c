/* SPDX-License-Identifier: Apache-2.0 */
/* The indexer's row queue: rows reach SQLite whole and in order (an UPDATE
 * after its INSERT, across batch boundaries, with text of every size, NULL
 * apart from ''), in the writer thread and serially; SQLite errors come back
 * with their message; an index built with the writer thread holds exactly
 * the rows of one built serially; the alert slot stores what an alerter
 * emits against the right event and process row; a live index fed block by
 * block holds the same rows as the file's, is readable while it grows, and
 * drops what leaves its retention window. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ff_evt.h"
#include "ff_index.h"
#include "ff_reader.h"
#include "ff_render.h"
#include "ff_rowq.h"
#include "ff_sqlfn.h"
#include "ff_state.h"
#include "evbuild.h"

#define NROWS 200000

static sqlite3 *open_mem(void)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	assert_int_equal(
	    sqlite3_exec(db, "CREATE TABLE t (a INTEGER PRIMARY KEY, b TEXT, c)", NULL, NULL, NULL),
	    SQLITE_OK);
	return db;
}

static int64_t one(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* k > 1: inserts go k at a time through a multi-row INSERT (runs of 3
 * between updates: full groups and groups cut short) */
static void rows(int threaded, int k)
{
	sqlite3 *db = open_mem();
	sqlite3_stmt *st[2] = { NULL, NULL }, *multi = NULL;
	struct ff_rowq *q = NULL;
	struct ff_err err = { 0 };
	static char big[3 << 20];
	memset(big, 'x', sizeof(big));
	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, ?3)", -1, &st[0], NULL),
	    SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "UPDATE t SET c = ?2 WHERE a = ?1", -1, &st[1], NULL),
	    SQLITE_OK);
	assert_int_equal(ff_rowq_new(&q, st, 2, threaded, &err), 0);
	if (k > 1) {
		char sql[256] = "INSERT INTO t VALUES ";
		for (int j = 0; j < k; j++)
			snprintf(sql + strlen(sql), sizeof(sql) - strlen(sql), "%s(?,?,?)",
			         j ? "," : "");
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &multi, NULL), SQLITE_OK);
		assert_int_equal(ff_rowq_multi(q, 1, multi, k), -EINVAL); /* wrong shape */
		assert_int_equal(ff_rowq_multi(q, 0, multi, k), 0);
	}
	for (int64_t i = 1; i <= NROWS; i++) {
		char txt[32];
		int n = snprintf(txt, sizeof(txt), "row %lld", (long long)i);
		ff_rowq_begin(q, 0);
		ff_rowq_int(q, i);
		if (i % 1000 == 0)
			ff_rowq_text(q, big, (size_t)(i / 1000 % 300) * 1000); /* up to 199 kB */
		else if (i % 7 == 0)
			ff_rowq_text(q, "", 0);
		else if (i % 11 == 0)
			ff_rowq_text(q, NULL, 0);
		else
			ff_rowq_text(q, txt, (size_t)n);
		memset(txt, '?', sizeof(txt)); /* the queue copied it */
		ff_rowq_null(q);
		assert_int_equal(ff_rowq_end(q), 0);
		if (i % 3 == 0) { /* update a row given a while ago */
			ff_rowq_begin(q, 1);
			ff_rowq_int(q, i - 2);
			ff_rowq_int(q, -(i - 2));
			assert_int_equal(ff_rowq_end(q), 0);
		}
	}
	/* a row larger than a batch */
	ff_rowq_begin(q, 0);
	ff_rowq_int(q, NROWS + 1);
	ff_rowq_text(q, big, sizeof(big));
	ff_rowq_int(q, 7);
	assert_int_equal(ff_rowq_end(q), 0);
	assert_int_equal(ff_rowq_finish(q, &err), 0);
	ff_rowq_free(q);
	assert_int_equal(one(db, "SELECT length(b) FROM t WHERE a = 200001 AND c = 7"), 3 << 20);
	assert_int_equal(one(db, "DELETE FROM t WHERE a = 200001 RETURNING 1"), 1);
	assert_int_equal(one(db, "SELECT count(*) FROM t"), NROWS);
	assert_int_equal(one(db, "SELECT sum(a) FROM t"), (int64_t)NROWS * (NROWS + 1) / 2);
	assert_int_equal(one(db, "SELECT count(*) FROM t WHERE c = -a"), NROWS / 3);
	assert_int_equal(one(db, "SELECT count(*) FROM t WHERE c IS NULL"), NROWS - NROWS / 3);
	assert_int_equal(one(db, "SELECT count(*) FROM t WHERE a % 3 = 1 AND c = -a"), NROWS / 3);
	assert_int_equal(one(db, "SELECT count(*) FROM t WHERE b = 'row ' || a"),
	                 one(db, "SELECT count(*) FROM t WHERE a % 1000 AND a % 7 AND a % 11"));
	assert_int_equal(one(db, "SELECT count(*) FROM t WHERE b = '' AND a % 1000"),
	                 one(db, "SELECT count(*) FROM t WHERE a % 1000 AND a % 7 = 0"));
	assert_int_equal(one(db, "SELECT count(*) FROM t WHERE b IS NULL"),
	                 one(db, "SELECT count(*) FROM t WHERE a % 1000 AND a % 7 AND a % 11 = 0"));
	assert_int_equal(one(db, "SELECT length(b) FROM t WHERE a = 199000"), 199000);
	assert_int_equal(one(db, "SELECT count(*) FROM t WHERE a % 1000 = 0 AND "
	                         "length(b) = (a / 1000 % 300) * 1000 AND b NOT GLOB '*[^x]*'"),
	                 NROWS / 1000);
	sqlite3_finalize(st[0]);
	sqlite3_finalize(st[1]);
	sqlite3_finalize(multi);
	sqlite3_close(db);
}

static void t_rows_threaded(void **state)
{
	(void)state;
	rows(1, 0);
	rows(1, 2);
	rows(1, 3);
}

static void t_rows_serial(void **state)
{
	(void)state;
	rows(0, 0);
	rows(0, 2);
}

/* a constraint failure in the writer: later rows are refused, the message
 * is SQLite's, nothing after the failing row is written */
static void errors(int threaded)
{
	sqlite3 *db = open_mem();
	sqlite3_stmt *st[1] = { NULL };
	struct ff_rowq *q = NULL;
	struct ff_err err = { 0 };
	int rc = 0;
	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, ?3)", -1, &st[0], NULL),
	    SQLITE_OK);
	assert_int_equal(ff_rowq_new(&q, st, 1, threaded, &err), 0);
	for (int64_t i = 1; i <= NROWS && !rc; i++) {
		ff_rowq_begin(q, 0);
		ff_rowq_int(q, i == NROWS / 2 ? 5 : i); /* a duplicate key */
		ff_rowq_text(q, "abc", 3);
		ff_rowq_int(q, i);
		rc = ff_rowq_end(q);
	}
	if (!rc)
		rc = ff_rowq_finish(q, &err);
	else
		assert_int_equal(ff_rowq_finish(q, &err), -EIO);
	assert_int_equal(rc, -EIO);
	assert_non_null(strstr(err.msg, "UNIQUE constraint failed: t.a"));
	ff_rowq_free(q);
	sqlite3_finalize(st[0]);
	assert_int_equal(one(db, "SELECT max(a) FROM t"), NROWS / 2 - 1);
	sqlite3_close(db);
}

static void t_error_threaded(void **state)
{
	(void)state;
	errors(1);
}

static void t_error_serial(void **state)
{
	(void)state;
	errors(0);
}

/* a row whose values do not fit its statement is refused, not bound */
static void t_mismatch(void **state)
{
	(void)state;
	sqlite3 *db = open_mem();
	sqlite3_stmt *st[1] = { NULL };
	struct ff_rowq *q = NULL;
	struct ff_err err = { 0 };
	assert_int_equal(
	    sqlite3_prepare_v2(db, "INSERT INTO t VALUES (?1, ?2, ?3)", -1, &st[0], NULL),
	    SQLITE_OK);
	assert_int_equal(ff_rowq_new(&q, st, 1, 1, &err), 0);
	ff_rowq_begin(q, 0);
	ff_rowq_int(q, 1);
	assert_int_equal(ff_rowq_end(q), 0);
	assert_int_equal(ff_rowq_finish(q, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "row of 1 values"));
	ff_rowq_free(q);
	/* freed unfinished, with the writer still running: no leak, no hang */
	assert_int_equal(ff_rowq_new(&q, st, 1, 1, &err), 0);
	for (int i = 0; i < 100000; i++) {
		ff_rowq_begin(q, 0);
		ff_rowq_null(q);
		ff_rowq_text(q, "y", 1);
		ff_rowq_null(q);
		assert_int_equal(ff_rowq_end(q), 0);
	}
	ff_rowq_free(q);
	sqlite3_finalize(st[0]);
	sqlite3_close(db);
}

/* the same captures indexed with and without the writer thread */
static void t_index_same(void **state)
{
	(void)state;
	const char *src = getenv("top_srcdir");
	char demo[4096], curl[4096], a[64], b[64];
	snprintf(demo, sizeof(demo), "%s/samples/demo.scap", src ? src : ".");
	snprintf(curl, sizeof(curl), "%s/../shared/captures/curl_google.scap", src ? src : ".");
	const char *caps[2] = { demo, curl };
	int ncaps = access(curl, R_OK) ? 1 : 2;
	snprintf(a, sizeof(a), "/tmp/ff-rowq-a-%ld.sqlite", (long)getpid());
	snprintf(b, sizeof(b), "/tmp/ff-rowq-b-%ld.sqlite", (long)getpid());
	struct ff_index_opts serial = { .serial = 1 }, threaded = { 0 };
	struct ff_index_stats sa, sb;
	struct ff_err err = { 0 };
	assert_int_equal(ff_index_build(a, caps, ncaps, &serial, &sa, &err), 0);
	assert_int_equal(ff_index_build(b, caps, ncaps, &threaded, &sb, &err), 0);
	assert_int_equal(sa.events, sb.events);
	assert_true(sa.events >= 70);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(a, &db), SQLITE_OK);
	assert_int_equal(ff_sqlfn_register(db), 0);
	char *att = sqlite3_mprintf("ATTACH %Q AS b", b);
	assert_int_equal(sqlite3_exec(db, att, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(att);
	static const char *const tabs[] = { "events", "processes", "files", "connections",
		                            "captures" };
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		char sql[256];
		snprintf(sql, sizeof(sql),
		         "SELECT (SELECT count(*) FROM (SELECT * FROM main.%s EXCEPT SELECT * FROM "
		         "b.%s)) + (SELECT count(*) FROM (SELECT * FROM b.%s EXCEPT SELECT * FROM "
		         "main.%s))",
		         tabs[i], tabs[i], tabs[i], tabs[i]);
		assert_int_equal(one(db, sql), 0);
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM %s", tabs[i]);
		assert_true(one(db, sql) > 0);
	}
	assert_int_equal(one(db, "SELECT count(*) FROM events WHERE params IS NULL"), 0);
	sqlite3_close(db);
	unlink(a);
	unlink(b);
}

/* a stand-in for the rule engine: one alert per successful execve */
static int exec_alerter(void *arg, const struct ff_state *st, const struct ff_evt *ev, uint64_t num,
                        ff_index_emit_fn emit, void *ctx, struct ff_err *err)
{
	(void)num;
	const struct ff_event_info *in = ff_evt_info(ev);
	const struct ff_thread *t = ff_state_evt_thread(st);
	int ok = 0;
	(void)err;
	++*(int *)arg;
	if (!in || !t || in->dir != 'X' || strcmp(in->name, "execve") ||
	    ff_evt_param_int(ev, 0, &ok) != 0 || !ok)
		return 0;
	char out[128], fields[128];
	snprintf(out, sizeof(out), "exec of %s", ff_thread_comm(t));
	snprintf(fields, sizeof(fields), "{\"proc.name\":\"%s\"}", ff_thread_comm(t));
	struct ff_index_alert a = {
		.rule = "exec seen", .priority = "Notice", .output = out, .fields = fields
	};
	return emit(ctx, &a);
}

static int failing_alerter(void *arg, const struct ff_state *st, const struct ff_evt *ev,
                           uint64_t num, ff_index_emit_fn emit, void *ctx, struct ff_err *err)
{
	(void)num;
	(void)st;
	(void)emit;
	(void)ctx;
	if (++*(int *)arg < 10)
		return 0;
	return ff_errf(err, -EIO, "rule engine broke at event %u", (unsigned)ev->type);
}

static void t_alerts(void **state)
{
	(void)state;
	const char *src = getenv("top_srcdir");
	char demo[4096], db[64];
	snprintf(demo, sizeof(demo), "%s/samples/demo.scap", src ? src : ".");
	snprintf(db, sizeof(db), "/tmp/ff-alerts-%ld.sqlite", (long)getpid());
	const char *caps[1] = { demo };
	int calls = 0;
	struct ff_index_alerter al = { .eval = exec_alerter, .arg = &calls };
	struct ff_index_opts o = { .alerter = &al };
	struct ff_index_stats st;
	struct ff_err err = { 0 };
	assert_int_equal(ff_index_build(db, caps, 1, &o, &st, &err), 0);
	assert_true(calls >= 70); /* every counted event, not only those listed */
	sqlite3 *h = NULL;
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	int64_t execs = one(h, "SELECT count(*) FROM processes WHERE reason = 'exec'");
	assert_true(execs >= 5);
	assert_int_equal(one(h, "SELECT count(*) FROM alerts"), execs);
	assert_int_equal((int64_t)st.alerts, execs);
	/* each alert names the event and the image the execve started */
	assert_int_equal(
	    one(h, "SELECT count(*) FROM alerts a JOIN processes p ON p.id = a.proc_row "
	           "JOIN events e ON e.num = a.num AND e.ts = a.ts "
	           "WHERE p.reason = 'exec' AND p.start_num = a.num "
	           "AND a.output = 'exec of ' || p.name AND e.type = 'execve' "
	           "AND e.dir = '<' AND json_extract(a.fields, '$.\"proc.name\"') = p.name "
	           "AND a.rule = 'exec seen' AND a.priority = 'Notice'"),
	    execs);
	sqlite3_close(h);
	unlink(db);

	/* an alerter failure stops the build with its message, and leaves no file */
	calls = 0;
	al.eval = failing_alerter;
	assert_int_equal(ff_index_build(db, caps, 1, &o, &st, &err), -EIO);
	assert_non_null(strstr(err.msg, "rule engine broke"));
	assert_int_not_equal(access(db, F_OK), 0);
}

/* a live source standing in for ff_source: the sample's blocks, with pauses
 * (and with `drops`, a drop pair after every 20th block: 3 then 4 lost) */
struct fake {
	struct ff_reader *r;
	int n, stop_at, drops, ndrop;
	volatile int stop;
	const char *db;
	int64_t seen_mid;
	uint64_t last_ts;
	struct evb d;
};

static int fake_next(void *arg, struct ff_block *b, struct ff_err *err)
{
	struct fake *f = arg;
	if (++f->n % 7 == 0)
		return -EAGAIN;
	if (f->drops && f->n % 20 == 0 && f->last_ts) {
		uint32_t lost = 3 + (uint32_t)(f->ndrop++ % 2);
		memset(b, 0, sizeof(*b));
		b->kind = FF_BLK_EVENT;
		assert_non_null(evb_make(&f->d, FFE_DROP_E, (uint64_t)-1, f->last_ts,
		                         (const struct evp[]){ P32(lost) }, 1));
		b->ev = f->d.ev;
		return 1;
	}
	if (f->n == 60) { /* another process's view while the index grows */
		sqlite3 *h = NULL;
		assert_int_equal(sqlite3_open_v2(f->db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		f->seen_mid = one(h, "SELECT count(*) FROM events");
		sqlite3_close(h);
	}
	if (f->stop_at && f->n >= f->stop_at)
		f->stop = 1;
	int rc = ff_reader_next(f->r, b, err);
	if (rc > 0 && b->kind == FF_BLK_EVENT)
		f->last_ts = b->ev.ts;
	return rc;
}

static int commits;
static void on_commit(void *arg, const struct ff_index_stats *st)
{
	(void)arg;
	(void)st;
	commits++;
}

/* one live run over the sample; lo_in's retention fields are used */
static int64_t live_run_opts(const char *demo, const char *db,
                             const struct ff_index_live_opts *lo_in, const struct ff_index_opts *o,
                             int stop_at, int drops, struct fake *f, struct ff_index_stats *st)
{
	struct ff_err err = { 0 };
	memset(f, 0, sizeof(*f));
	f->db = db;
	f->stop_at = stop_at;
	f->drops = drops;
	assert_int_equal(ff_reader_open(&f->r, demo, &err), 0);
	struct ff_index_live_opts lo = *lo_in;
	lo.name = "live:test";
	lo.commit_events = 5;
	lo.stop = &f->stop;
	lo.on_commit = on_commit;
	commits = 0;
	assert_int_equal(ff_index_live(db, fake_next, f, o, &lo, st, &err), 0);
	assert_true(stop_at || commits >= 70 / 5);
	ff_reader_close(f->r);
	return (int64_t)st->events;
}

static int64_t live_run(const char *demo, const char *db, uint64_t retention, int stop_at,
                        struct fake *f)
{
	struct ff_index_stats st;
	struct ff_index_live_opts lo = { .retention_ns = retention };
	return live_run_opts(demo, db, &lo, NULL, stop_at, 0, f, &st);
}

/* every *_row of the live index names a row that is still there */
static void refs_resolve(sqlite3 *db)
{
	static const char *const q[] = {
		"SELECT count(*) FROM events WHERE proc_row NOT IN (SELECT id FROM processes)",
		"SELECT count(*) FROM files WHERE proc_row NOT IN (SELECT id FROM processes)",
		"SELECT count(*) FROM connections WHERE proc_row NOT IN (SELECT id FROM processes)",
		"SELECT count(*) FROM alerts WHERE proc_row NOT IN (SELECT id FROM processes)",
		"SELECT count(*) FROM processes WHERE parent_row NOT IN (SELECT id FROM processes)",
		"SELECT count(*) FROM processes WHERE prev_row NOT IN (SELECT id FROM processes)",
	};
	for (size_t i = 0; i < sizeof(q) / sizeof(q[0]); i++)
		assert_int_equal(one(db, q[i]), 0);
}

static void t_live(void **state)
{
	(void)state;
	const char *src = getenv("top_srcdir");
	char demo[4096], fdb[64], ldb[64];
	snprintf(demo, sizeof(demo), "%s/samples/demo.scap", src ? src : ".");
	snprintf(fdb, sizeof(fdb), "/tmp/ff-live-f-%ld.sqlite", (long)getpid());
	snprintf(ldb, sizeof(ldb), "/tmp/ff-live-l-%ld.sqlite", (long)getpid());
	const char *caps[1] = { demo };
	struct ff_err err = { 0 };
	struct fake f;
	assert_int_equal(ff_index_build(fdb, caps, 1, NULL, NULL, &err), 0);

	/* everything kept: the same rows as the file's index */
	int64_t n = live_run(demo, ldb, 0, 0, &f);
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(ldb, &db), SQLITE_OK);
	assert_int_equal(ff_sqlfn_register(db), 0);
	char *att = sqlite3_mprintf("ATTACH %Q AS f", fdb);
	assert_int_equal(sqlite3_exec(db, att, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(att);
	static const char *const tabs[] = { "events", "processes", "files", "connections" };
	for (size_t i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		char sql[256];
		snprintf(sql, sizeof(sql),
		         "SELECT (SELECT count(*) FROM (SELECT * FROM main.%s EXCEPT SELECT * FROM "
		         "f.%s)) + (SELECT count(*) FROM (SELECT * FROM f.%s EXCEPT SELECT * FROM "
		         "main.%s))",
		         tabs[i], tabs[i], tabs[i], tabs[i]);
		assert_int_equal(one(db, sql), 0);
	}
	assert_int_equal(one(db, "SELECT count(*) FROM events"), 70);
	assert_int_equal(n, 70);
	assert_int_equal(one(db, "SELECT events FROM captures WHERE path = 'live:test'"), 70);
	assert_int_equal(one(db, "SELECT last_ts FROM captures"),
	                 one(db, "SELECT max(ts) FROM f.events"));
	/* the reader saw committed rows part-way, not all of them */
	assert_true(f.seen_mid > 0 && f.seen_mid < 70);
	int64_t first = one(db, "SELECT min(ts) FROM f.events");
	int64_t last = one(db, "SELECT max(ts) FROM f.events");
	sqlite3_close(db);

	/* a window of a third of the span: older rows went, the window's stayed */
	uint64_t win = (uint64_t)(last - first) / 3;
	int64_t cutoff = last - (int64_t)win;
	live_run(demo, ldb, win, 0, &f);
	assert_int_equal(sqlite3_open(ldb, &db), SQLITE_OK);
	att = sqlite3_mprintf("ATTACH %Q AS f", fdb);
	assert_int_equal(sqlite3_exec(db, att, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(att);
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM events WHERE ts >= %lld",
	         (long long)cutoff);
	int64_t kept = one(db, sql);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM f.events WHERE ts >= %lld",
	         (long long)cutoff);
	assert_int_equal(kept, one(db, sql));
	assert_true(one(db, "SELECT count(*) FROM events") < 70);
	/* a process that ended before the kept events stays only while a row
	 * refers to it (its child, its next image): lineage of what is kept
	 * stays whole */
	assert_int_equal(one(db, "SELECT count(*) FROM processes p WHERE end_ts < (SELECT min(ts) "
	                         "FROM events) AND NOT EXISTS (SELECT 1 FROM processes c WHERE "
	                         "c.parent_row = p.id OR c.prev_row = p.id)"),
	                 0);
	assert_true(one(db, "SELECT count(*) FROM processes") <
	            one(db, "SELECT count(*) FROM f.processes"));
	refs_resolve(db);
	sqlite3_close(db);

	/* alerts outlive the events window by default, with their process rows */
	int calls = 0;
	struct ff_index_alerter al = { .eval = exec_alerter, .arg = &calls };
	struct ff_index_opts ao = { .alerter = &al };
	struct ff_index_stats st;
	struct ff_index_live_opts lo = { .retention_ns = win };
	live_run_opts(demo, ldb, &lo, &ao, 0, 0, &f, &st);
	assert_int_equal(sqlite3_open(ldb, &db), SQLITE_OK);
	int64_t execs = (int64_t)st.alerts;
	assert_true(execs >= 5);
	assert_int_equal(one(db, "SELECT count(*) FROM alerts"), execs);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM alerts WHERE ts < %lld",
	         (long long)cutoff);
	assert_true(one(db, sql) > 0);
	assert_int_equal(one(db, "SELECT count(*) FROM alerts a JOIN processes p ON "
	                         "p.id = a.proc_row WHERE a.output = 'exec of ' || p.name"),
	                 execs);
	refs_resolve(db);
	assert_int_equal(one(db, "SELECT value FROM meta WHERE key = 'retention_ns'"),
	                 (int64_t)win);
	sqlite3_close(db);
	/* ... or go with their own window */
	lo.alert_retention_ns = win;
	live_run_opts(demo, ldb, &lo, &ao, 0, 0, &f, &st);
	assert_int_equal(sqlite3_open(ldb, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM alerts WHERE ts < %lld",
	         (long long)cutoff);
	assert_int_equal(one(db, sql), 0);
	refs_resolve(db);
	sqlite3_close(db);

	/* a count bound keeps exactly the newest events; drop pairs become rows
	 * of `drops` (not events) with what they say was lost */
	struct ff_index_live_opts lm = { .max_events = 20 };
	n = live_run_opts(demo, ldb, &lm, NULL, 0, 1, &f, &st);
	assert_int_equal(n, 70);
	assert_int_equal(sqlite3_open(ldb, &db), SQLITE_OK);
	assert_int_equal(one(db, "SELECT count(*) FROM events"), 20);
	assert_int_equal(one(db, "SELECT min(id) FROM events"), 51);
	assert_int_equal(one(db, "SELECT count(*) FROM drops"), f.ndrop);
	assert_true(f.ndrop >= 3);
	assert_int_equal((int64_t)st.drops, f.ndrop);
	assert_int_equal(one(db, "SELECT sum(lost) FROM drops"), (int64_t)st.lost);
	assert_int_equal((int64_t)st.lost, 3 * ((f.ndrop + 1) / 2) + 4 * (f.ndrop / 2));
	assert_int_equal(one(db, "SELECT count(*) FROM events WHERE type = 'drop'"), 0);
	/* a drop row sits between the events around it */
	assert_int_equal(one(db, "SELECT count(*) FROM drops d WHERE num <= 1 OR ts <= 0"), 0);
	refs_resolve(db);
	sqlite3_close(db);

	/* a --db that names something else (a capture) is never replaced */
	{
		FILE *fp = fopen(ldb, "w");
		assert_non_null(fp);
		fputs("not a database\n", fp);
		fclose(fp);
		struct ff_err e2 = { 0 };
		struct ff_index_live_opts l2 = { .name = "live:test" };
		assert_int_equal(ff_index_live(ldb, fake_next, &f, NULL, &l2, NULL, &e2), -EEXIST);
		assert_non_null(strstr(e2.msg, "not an SQLite database"));
		fp = fopen(ldb, "r");
		char line[32] = "";
		assert_non_null(fgets(line, sizeof(line), fp));
		fclose(fp);
		assert_string_equal(line, "not a database\n");
		unlink(ldb);
	}

	/* stop set part-way: a clean end with what came so far */
	n = live_run(demo, ldb, 0, 30, &f);
	assert_true(n > 0 && n < 70);
	assert_int_equal(sqlite3_open(ldb, &db), SQLITE_OK);
	assert_int_equal(one(db, "SELECT count(*) FROM events"), n);
	sqlite3_close(db);
	unlink(fdb);
	unlink(ldb);
	snprintf(sql, sizeof(sql), "%s-wal", ldb);
	unlink(sql);
	snprintf(sql, sizeof(sql), "%s-shm", ldb);
	unlink(sql);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_rows_threaded),  cmocka_unit_test(t_rows_serial),
		cmocka_unit_test(t_error_threaded), cmocka_unit_test(t_error_serial),
		cmocka_unit_test(t_mismatch),       cmocka_unit_test(t_index_same),
		cmocka_unit_test(t_alerts),         cmocka_unit_test(t_live),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
