/* SPDX-License-Identifier: Apache-2.0 */
/* falco-query: SQL over captures (see man/falco-query.1). */
#include "config.h"

#include <editline/readline.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ff_err.h"
#include "ff_format.h"
#include "ff_engine.h"
#include "ff_index.h"
#include "ff_qalerts.h"
#include "ff_render.h"
#include "ff_sqlfn.h"
#include "ff_num.h"
#include "ff_stop.h"
#include "replay_feed.h"

enum out_mode { OUT_TABLE, OUT_CSV, OUT_JSON };

struct opts {
	const char *db;
	enum out_mode mode;
	int reindex, writable, quiet, no_text, live, live_opt;
	struct replay_live lv;        /* --live: driver, snaplen, ... */
	struct ff_index_live_opts lo; /* --live: retention */
	const char *pcaps[64];        /* --pcap, then CAPTURE.pcap files found beside captures */
	int npcaps;
	const char *rules[32]; /* --rules; none: our default rules */
	int nrules, no_rules;
};

static void usage(FILE *f)
{
	fprintf(
	    f, "usage: falco-query [OPTIONS] CAPTURE... [SQL]\n"
	       "       falco-query --live --db FILE [LIVE OPTIONS]\n"
	       "       falco-query --schema\n"
	       "SQL over .scap captures.  The first run indexes the captures into SQLite\n"
	       "(CAPTURE.fq.sqlite, or --db); later runs reuse the index while the captures\n"
	       "are unchanged.  Without SQL, reads statements (ending with ';') from stdin.\n"
	       "  --db PATH     index file to use or create\n"
	       "  --csv         comma-separated output (header line first)\n"
	       "  --json        a JSON array of row objects\n"
	       "  --reindex     rebuild the index even when it is fresh\n"
	       "  --write       open the index read-write (default: read-only)\n"
	       "  --no-text     index without the rendered info and params columns (faster)\n"
	       "  --rules FILE  rules for the alerts table (repeatable; default: our rules)\n"
	       "  --no-rules    leave the alerts table empty\n"
	       "  --pcap FILE   join a packet file (pcap/pcapng, e.g. from tcpdump) taken at the\n"
	       "                same time: tables packets and flows, flows linked to connections\n"
	       "                and processes; CAPTURE.pcap beside a capture is joined by default\n"
	       "  -q, --quiet   no progress bar\n"
	       "  --schema      print the tables, views and SQL functions, and exit\n"
	       "  -h, --help    this help\n"
	       "Live (root): the running system into --db FILE until SIGINT/SIGTERM; other\n"
	       "falco-query --db FILE \"SQL\" processes query it meanwhile (WAL; commits\n"
	       "every second).\n"
	       "  --live                 /proc scanned, then every event indexed as it comes\n"
	       "  --retention SECONDS    keep the events, files, connections and ended\n"
	       "                         processes of the last SECONDS only (default: all)\n"
	       "  --max-events N         keep the newest N events only\n"
	       "  --alert-retention SEC  drop alerts and drop records older than SEC\n"
	       "                         (default: kept for the whole run)\n"
	       "  --driver bpf|kmod      default: kmod if loaded, else bpf\n"
	       "  --all                  every system call, not the default security set\n"
	       "  -s, --snaplen N        I/O bytes kept per read/write event (default 80)\n"
	       "  --buffer-size BYTES    per-CPU ring, a power of 2 (default 8388608)\n"
	       "  --seconds N            stop after N seconds\n"
	       "Exit status: 0 success, 1 failure (capture, index or SQL error), 2 usage error.\n");
}

static const char fn_doc[] =
    "-- SQL functions added by falco-query:\n"
    "--   path_match(path, pattern)  glob: '*' '?' within a component, '**' across '/'\n"
    "--   ts_format(ts [, 'local'])  ns since epoch -> 2024-01-02T03:04:05.000000000Z\n"
    "--   in_cidr(ip, 'net/bits')    IPv4 or IPv6\n"
    "--   errno_name(res)            -2 -> ENOENT\n";

/* ---- progress bar ---- */

struct progress {
	time_t last;
	int shown;
};

static void progress_cb(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	time_t now = time(NULL);
	if (done < total && p->shown && now == p->last)
		return;
	p->last = now;
	p->shown = 1;
	int pct = total ? (int)(done * 100 / total) : 100;
	char bar[41];
	int fill = pct * 40 / 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < fill ? '#' : ' ';
	bar[40] = 0;
	fprintf(stderr, "\rindexing [%s] %3d%% %.1f/%.1f MB", bar, pct, (double)done / 1e6,
	        (double)total / 1e6);
	if (done >= total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* ---- output ---- */

struct table {
	char **cells; /* rows * ncol, header first */
	size_t rows, cap;
	int ncol;
};

static int put_csv(FILE *o, const char *s)
{
	if (!s)
		return 0;
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, o);
		return 0;
	}
	fputc('"', o);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', o);
		fputc(*s, o);
	}
	fputc('"', o);
	return 0;
}

static void put_json_value(FILE *o, sqlite3_stmt *s, int i, struct ff_sbuf *b)
{
	switch (sqlite3_column_type(s, i)) {
	case SQLITE_NULL:
		fputs("null", o);
		break;
	case SQLITE_INTEGER:
		fprintf(o, "%lld", (long long)sqlite3_column_int64(s, i));
		break;
	case SQLITE_FLOAT:
		fprintf(o, "%.17g", sqlite3_column_double(s, i));
		break;
	default: {
		const char *t = (const char *)sqlite3_column_text(s, i);
		ff_sbuf_reset(b);
		ff_json_put_string(b, t ? t : "", (size_t)sqlite3_column_bytes(s, i));
		fwrite(b->p, 1, b->len, o);
	}
	}
}

static int table_add(struct table *t, char **row)
{
	if (t->rows == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 64;
		char **n = realloc(t->cells, nc * (size_t)t->ncol * sizeof(*n));
		if (!n)
			return -ENOMEM;
		t->cells = n;
		t->cap = nc;
	}
	memcpy(t->cells + t->rows * (size_t)t->ncol, row, (size_t)t->ncol * sizeof(*row));
	t->rows++;
	return 0;
}

/* display width: UTF-8 continuation bytes take no column */
static size_t width(const char *s)
{
	size_t w = 0;
	for (; *s; s++)
		w += ((unsigned char)*s & 0xc0) != 0x80;
	return w;
}

static void table_print(FILE *o, struct table *t)
{
	size_t *w = calloc((size_t)t->ncol, sizeof(*w));
	if (!w)
		return;
	for (size_t r = 0; r < t->rows; r++)
		for (int c = 0; c < t->ncol; c++) {
			size_t n = width(t->cells[r * (size_t)t->ncol + (size_t)c]);
			if (n > w[c])
				w[c] = n;
		}
	for (size_t r = 0; r < t->rows; r++) {
		for (int c = 0; c < t->ncol; c++) {
			const char *s = t->cells[r * (size_t)t->ncol + (size_t)c];
			int last = c == t->ncol - 1;
			fputs(s, o);
			if (!last)
				fprintf(o, "%*s", (int)(w[c] - width(s) + 2), "");
		}
		fputc('\n', o);
		if (r == 0) {
			for (int c = 0; c < t->ncol; c++) {
				for (size_t i = 0; i < w[c]; i++)
					fputc('-', o);
				if (c != t->ncol - 1)
					fputs("  ", o);
			}
			fputc('\n', o);
		}
	}
	free(w);
}

static void table_free(struct table *t)
{
	for (size_t i = 0; i < t->rows * (size_t)t->ncol; i++)
		free(t->cells[i]);
	free(t->cells);
}

/* Run one prepared statement and print its rows.  0 or -1 (message printed). */
static int run_stmt(sqlite3 *db, sqlite3_stmt *s, const struct opts *o, FILE *out)
{
	int ncol = sqlite3_column_count(s), rc, nrows = 0;
	struct table t = { .ncol = ncol };
	struct ff_sbuf b = { 0 };
	char **row = ncol ? calloc((size_t)ncol, sizeof(*row)) : NULL;
	int status = 0;

	if (ncol && !row)
		return -1;
	if (ncol && o->mode == OUT_TABLE) {
		for (int i = 0; i < ncol; i++)
			row[i] = strdup(sqlite3_column_name(s, i));
		table_add(&t, row);
	} else if (ncol && o->mode == OUT_CSV) {
		for (int i = 0; i < ncol; i++) {
			if (i)
				fputc(',', out);
			put_csv(out, sqlite3_column_name(s, i));
		}
		fputc('\n', out);
	} else if (ncol && o->mode == OUT_JSON) {
		fputc('[', out);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (o->mode == OUT_TABLE) {
			for (int i = 0; i < ncol; i++) {
				const char *v = (const char *)sqlite3_column_text(s, i);
				row[i] = strdup(v ? v : "NULL");
			}
			if (table_add(&t, row)) {
				status = -1;
				break;
			}
		} else if (o->mode == OUT_CSV) {
			for (int i = 0; i < ncol; i++) {
				if (i)
					fputc(',', out);
				put_csv(out, (const char *)sqlite3_column_text(s, i));
			}
			fputc('\n', out);
		} else {
			fputs(nrows ? ",\n{" : "\n{", out);
			for (int i = 0; i < ncol; i++) {
				const char *name = sqlite3_column_name(s, i);
				if (i)
					fputc(',', out);
				ff_sbuf_reset(&b);
				ff_json_put_string(&b, name, strlen(name));
				fwrite(b.p, 1, b.len, out);
				fputc(':', out);
				put_json_value(out, s, i, &b);
			}
			fputc('}', out);
		}
		nrows++;
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "falco-query: SQL error: %s\n", sqlite3_errmsg(db));
		status = -1;
	}
	if (ncol && o->mode == OUT_JSON)
		fputs(nrows ? "\n]\n" : "]\n", out);
	if (o->mode == OUT_TABLE && ncol)
		table_print(out, &t);
	table_free(&t);
	free(row);
	ff_sbuf_free(&b);
	return status;
}

/* Every statement of `sql` in turn.  0 or -1. */
static int run_sql(sqlite3 *db, const char *sql, const struct opts *o)
{
	const char *tail = sql;
	while (tail && *tail) {
		sqlite3_stmt *s = NULL;
		const char *next = NULL;
		if (sqlite3_prepare_v2(db, tail, -1, &s, &next) != SQLITE_OK) {
			const char *msg = sqlite3_errmsg(db);
#if SQLITE_VERSION_NUMBER >= 3038000
			int off = sqlite3_error_offset(db);
#else
			int off = -1;
#endif
			if (off >= 0)
				fprintf(stderr, "falco-query: SQL error at column %d: %s\n",
				        (int)(tail - sql) + off + 1, msg);
			else
				fprintf(stderr, "falco-query: SQL error: %s\n", msg);
			return -1;
		}
		if (s) {
			if (!o->writable && !sqlite3_stmt_readonly(s)) {
				fprintf(stderr,
				        "falco-query: the index is read-only (use --write)\n");
				sqlite3_finalize(s);
				return -1;
			}
			int rc = run_stmt(db, s, o, stdout);
			sqlite3_finalize(s);
			if (rc)
				return -1;
		}
		tail = next;
	}
	fflush(stdout);
	return 0;
}

/* ---- interactive prompt ---- */

static const char dot_help[] =
    "Statements end with ';' and may span lines.  Commands:\n"
    "  .tables           tables and views\n"
    "  .schema [NAME]    the whole documented schema, or one table's SQL\n"
    "  .mode table|csv|json\n"
    "  .help             this text\n"
    "  .quit             leave (also Ctrl-D)\n";

/* A dot command (a line of its own at the start of a statement).  0, -1 on
 * failure, 1 to quit. */
static int dot_command(sqlite3 *db, char *line, struct opts *o)
{
	char *save = NULL, *cmd = strtok_r(line, " \t\r\n", &save);
	char *arg = strtok_r(NULL, " \t\r\n", &save);
	if (!strcmp(cmd, ".quit") || !strcmp(cmd, ".exit"))
		return 1;
	if (!strcmp(cmd, ".help")) {
		fputs(dot_help, stdout);
		return 0;
	}
	if (!strcmp(cmd, ".tables"))
		return run_sql(db,
		               "SELECT name, type FROM sqlite_master WHERE type IN "
		               "('table', 'view') ORDER BY type, name",
		               o);
	if (!strcmp(cmd, ".schema")) {
		if (!arg) {
			printf("%s%s", ff_index_schema(), fn_doc);
			return 0;
		}
		char *q = sqlite3_mprintf("SELECT sql FROM sqlite_master WHERE name = %Q", arg);
		int rc = q ? run_sql(db, q, o) : -1;
		sqlite3_free(q);
		return rc;
	}
	if (!strcmp(cmd, ".mode") && arg) {
		if (!strcmp(arg, "table") || !strcmp(arg, "csv") || !strcmp(arg, "json")) {
			o->mode = arg[0] == 't' ? OUT_TABLE : arg[0] == 'c' ? OUT_CSV : OUT_JSON;
			return 0;
		}
	}
	fprintf(stderr, "falco-query: unknown command '%s' (.help lists them)\n", line);
	return -1;
}

/* ~/.falco_query_history, or $FALCO_QUERY_HISTORY ("" for none) */
static char *history_file(void)
{
	const char *h = getenv("FALCO_QUERY_HISTORY"), *home = getenv("HOME");
	char *p = NULL;
	if (h)
		return *h ? strdup(h) : NULL;
	if (!home || !*home || asprintf(&p, "%s/.falco_query_history", home) < 0)
		return NULL;
	return p;
}

/* One line without its newline, malloc'd; NULL at the end of input.  On a
 * terminal, with line editing and history (editline). */
static char *next_line(int tty, const char *prompt)
{
	if (tty)
		return readline(prompt);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	if (n && line[n - 1] == '\n')
		line[n - 1] = 0;
	return line;
}

/* Statements from stdin, each ending with ';' (sqlite3_complete). */
static int interactive(sqlite3 *db, struct opts *o)
{
	char *buf = NULL, *hist = NULL, *line;
	size_t len = 0;
	int tty = isatty(0) && isatty(1), status = 0;
	if (tty) {
		fprintf(stderr, "falco-query: SQL statements end with ';'. .help for commands, "
		                "Ctrl-D quits.\n");
		using_history();
		stifle_history(1000);
		if ((hist = history_file()))
			read_history(hist);
	}
	while ((line = next_line(tty, len ? "   ...> " : "falco-query> "))) {
		size_t n = strlen(line);
		if (tty && line[strspn(line, " \t")])
			add_history(line);
		if (!len && line[strspn(line, " \t")] == '.') {
			int rc = dot_command(db, line + strspn(line, " \t"), o);
			free(line);
			if (rc > 0)
				break;
			if (rc)
				status = 1;
			fflush(stdout);
			continue;
		}
		char *nb = realloc(buf, len + n + 2);
		if (!nb) {
			free(line);
			status = 1;
			break;
		}
		buf = nb;
		memcpy(buf + len, line, n);
		len += n;
		buf[len++] = '\n';
		buf[len] = 0;
		free(line);
		if (!sqlite3_complete(buf))
			continue;
		if (run_sql(db, buf, o))
			status = 1;
		len = 0;
		buf[0] = 0;
	}
	if (len && strspn(buf, " \t\r\n") != len && run_sql(db, buf, o))
		status = 1;
	if (hist) {
		/* queries can be sensitive: the file is the user's alone */
		mode_t old = umask(077);
		write_history(hist);
		umask(old);
		free(hist);
	}
	free(buf);
	return status;
}

/* CAPTURE.fq.sqlite next to the (first) capture; several captures get a
 * hash of their list in the name so that different sets do not collide */
static char *default_db(char *const *caps, int n)
{
	char *p = NULL;
	if (n == 1) {
		if (asprintf(&p, "%s.fq.sqlite", caps[0]) < 0)
			return NULL;
		return p;
	}
	uint32_t h = 2166136261u;
	for (int i = 0; i < n; i++) {
		char real[PATH_MAX];
		const char *s = realpath(caps[i], real) ? real : caps[i];
		for (; *s; s++)
			h = (h ^ (uint8_t)*s) * 16777619u;
		h = (h ^ 0xff) * 16777619u;
	}
	if (asprintf(&p, "%s.%d-%08x.fq.sqlite", caps[0], n, h) < 0)
		return NULL;
	return p;
}

static int print_warnings(sqlite3 *db)
{
	sqlite3_stmt *s = NULL;
	int n = 0;
	if (sqlite3_prepare_v2(db, "SELECT path, warning FROM captures WHERE warning IS NOT NULL",
	                       -1, &s, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		fprintf(stderr, "falco-query: warning: %s: indexed up to the damage: %s\n",
		        (const char *)sqlite3_column_text(s, 0),
		        (const char *)sqlite3_column_text(s, 1));
		n++;
	}
	sqlite3_finalize(s);
	if (sqlite3_prepare_v2(db, "SELECT path, warning FROM pcaps WHERE warning IS NOT NULL", -1,
	                       &s, NULL) != SQLITE_OK)
		return n;
	while (sqlite3_step(s) == SQLITE_ROW) {
		fprintf(stderr, "falco-query: warning: %s: packets indexed up to the damage: %s\n",
		        (const char *)sqlite3_column_text(s, 0),
		        (const char *)sqlite3_column_text(s, 1));
		n++;
	}
	sqlite3_finalize(s);
	return n;
}

/* What the alerts come from: each rules file's real path, size and mtime, so
 * an edited rules file re-indexes. */
static void rules_tag(const struct opts *o, char *buf, size_t len)
{
	const char *def = ff_engine_default_rules();
	const char *const *files = o->nrules ? o->rules : &def;
	int n = o->nrules ? o->nrules : 1;
	size_t off = 0;
	buf[0] = 0;
	if (o->no_rules) {
		snprintf(buf, len, "none");
		return;
	}
	for (int i = 0; i < n && off < len; i++) {
		struct stat sb;
		char real[PATH_MAX];
		if (!realpath(files[i], real))
			snprintf(real, sizeof(real), "%s", files[i]);
		if (stat(files[i], &sb))
			memset(&sb, 0, sizeof(sb));
		int w = snprintf(buf + off, len - off, "%s%s:%lld:%lld", i ? ";" : "", real,
		                 (long long)sb.st_size,
		                 (long long)sb.st_mtim.tv_sec * 1000000000LL + sb.st_mtim.tv_nsec);
		if (w < 0)
			break;
		off += (size_t)w;
	}
}

/* ---- live ---- */

struct live_run {
	struct replay_feed *feed;
	const char *db;
	int tty;
	struct timespec t0;
	uint64_t last_events;
	double last_t;
};

static double mono_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int live_next(void *arg, struct ff_block *b, struct ff_err *err)
{
	struct live_run *r = arg;
	return replay_feed_poll(r->feed, b, err);
}

static void on_ready(const char *driver, uint32_t threads, uint32_t fds)
{
	fprintf(stderr, "falco-query: live: %s driver, /proc scanned (%u threads, %u fds)\n",
	        driver, threads, fds);
}

/* the database and its WAL, in MB */
static double db_mb(const char *db)
{
	struct stat sb;
	char wal[PATH_MAX];
	double b = stat(db, &sb) ? 0 : (double)sb.st_size;
	if (snprintf(wal, sizeof(wal), "%s-wal", db) < (int)sizeof(wal) && !stat(wal, &sb))
		b += (double)sb.st_size;
	return b / 1e6;
}

/* after each commit: the status line on a terminal */
static void on_commit(void *arg, const struct ff_index_stats *st)
{
	struct live_run *r = arg;
	double now = mono_s();
	if (!r->tty)
		return;
	double rate =
	    now > r->last_t ? (double)(st->events - r->last_events) / (now - r->last_t) : 0;
	fprintf(stderr,
	        "\r%12" PRIu64 " events  %9.0f ev/s  %8" PRIu64 " lost  %6" PRIu64
	        " alerts  %8.1f MB  %s\033[K",
	        st->events, rate, replay_feed_lost(r->feed), st->alerts, db_mb(r->db), r->db);
	r->last_t = now;
	r->last_events = st->events;
}

/* What the database holds at the end (what retention kept). */
static void live_kept(const char *dbp)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	if (sqlite3_open_v2(dbp, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db,
	                       "SELECT (SELECT count(*) FROM events), (SELECT min(ts) FROM events),"
	                       " (SELECT max(ts) FROM events), (SELECT count(*) FROM processes),"
	                       " (SELECT count(*) FROM alerts)",
	                       -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW) {
		char a[40] = "-", b[40] = "-";
		for (int i = 0; i < 2; i++) {
			if (sqlite3_column_type(s, 1 + i) == SQLITE_NULL)
				continue;
			int64_t ts = sqlite3_column_int64(s, 1 + i);
			time_t sec = (time_t)(ts / 1000000000);
			struct tm tm;
			gmtime_r(&sec, &tm);
			strftime(i ? b : a, sizeof(a), "%H:%M:%SZ", &tm);
		}
		fprintf(
		    stderr,
		    "falco-query: %s keeps %lld events (%s to %s), %lld processes, %lld alerts\n",
		    dbp, (long long)sqlite3_column_int64(s, 0), a, b,
		    (long long)sqlite3_column_int64(s, 3), (long long)sqlite3_column_int64(s, 4));
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static int run_live(struct opts *o)
{
	struct live_run r = { .db = o->db, .tty = !o->quiet && isatty(2) };
	struct ff_qalerts *qa = NULL;
	struct ff_err err = { 0 };
	struct ff_index_stats st = { 0 };
	int status = 0;

	if (geteuid() != 0) {
		fprintf(stderr, "falco-query: --live needs root (it loads the BPF probe or reads "
		                "the kernel module's rings)\n");
		return 1;
	}
	if (!o->no_rules && ff_qalerts_open(&qa, o->rules, (size_t)o->nrules, &err)) {
		fprintf(stderr, "falco-query: rules: %s\n", err.msg);
		return 1;
	}
	o->lv.stop = ff_stop_flag();
	o->lv.on_ready = on_ready;
	if (replay_feed_open(&r.feed, "live", &o->lv, &err)) {
		fprintf(stderr, "falco-query: live: %s\n", err.msg);
		status = 1;
		goto out;
	}
	char name[64];
	snprintf(name, sizeof(name), "live:%s", o->lv.driver ? o->lv.driver : "default");
	struct ff_index_opts io = { .no_text = o->no_text,
		                    .alerter = qa ? ff_qalerts_alerter(qa) : NULL };
	o->lo.name = name;
	o->lo.stop = ff_stop_flag();
	o->lo.on_commit = on_commit;
	o->lo.on_commit_arg = &r;
	double t0 = r.last_t = mono_s();
	int rc = ff_index_live(o->db, live_next, &r, &io, &o->lo, &st, &err);
	double secs = mono_s() - t0;
	if (r.tty)
		fprintf(stderr, "\r\033[K");
	uint64_t lost = replay_feed_lost(r.feed);
	replay_feed_close(r.feed);
	r.feed = NULL;
	if (rc) {
		fprintf(stderr, "falco-query: live: %s\n", err.msg);
		status = 1;
		goto out;
	}
	fprintf(stderr,
	        "falco-query: live: %" PRIu64 " events indexed in %.1f s (%.0f events/s): %" PRIu64
	        " processes, %" PRIu64 " files, %" PRIu64 " connections, %" PRIu64
	        " alerts; %" PRIu64 " events lost by the driver (%" PRIu64
	        " drop records in table drops, %" PRIu64 " events)\n",
	        st.events, secs, secs > 0 ? (double)st.events / secs : 0.0, st.processes, st.files,
	        st.connections, st.alerts, lost, st.drops, st.lost);
	live_kept(o->db);
out:
	replay_feed_close(r.feed);
	ff_qalerts_free(qa);
	return status;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "csv", no_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "reindex", no_argument, NULL, 'r' },
		{ "write", no_argument, NULL, 'w' },
		{ "no-text", no_argument, NULL, 'T' },
		{ "pcap", required_argument, NULL, 'P' },
		{ "rules", required_argument, NULL, 'R' },
		{ "no-rules", no_argument, NULL, 'N' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "schema", no_argument, NULL, 'S' },
		{ "live", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "retention", required_argument, NULL, 1 },
		{ "max-events", required_argument, NULL, 2 },
		{ "alert-retention", required_argument, NULL, 3 },
		{ "driver", required_argument, NULL, 4 },
		{ "all", no_argument, NULL, 5 },
		{ "snaplen", required_argument, NULL, 's' },
		{ "buffer-size", required_argument, NULL, 6 },
		{ "seconds", required_argument, NULL, 7 },
		{ NULL, 0, NULL, 0 },
	};
	struct opts o = { 0 };
	struct ff_err err = { 0 };
	int c, schema = 0;
	/* no connection mutexes (each is used by one thread at a time) and no
	 * allocation statistics: faster inserts */
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* first of all (ff_stop.h) */
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--live")) {
			ff_stop_catch();
			break;
		}
	while ((c = getopt_long(argc, argv, "hqs:", lo, NULL)) != -1) {
		uint64_t v;
		switch (c) {
		case 1:
		case 2:
		case 3:
		case 6:
		case 7:
		case 's':
			if (ff_num_u64(optarg, &v) || (c == 's' && v > 65535) ||
			    ((c == 1 || c == 3) && v > UINT64_MAX / 1000000000u)) {
				fprintf(stderr, "falco-query: --%s needs a number, got '%s'\n",
				        c == 1   ? "retention"
				        : c == 2 ? "max-events"
				        : c == 3 ? "alert-retention"
				        : c == 6 ? "buffer-size"
				        : c == 7 ? "seconds"
				                 : "snaplen",
				        optarg);
				return 2;
			}
			if (c == 1)
				o.lo.retention_ns = v * 1000000000u;
			else if (c == 2)
				o.lo.max_events = v;
			else if (c == 3)
				o.lo.alert_retention_ns = v * 1000000000u;
			else if (c == 6)
				o.lv.buffer_bytes = (size_t)v;
			else if (c == 7)
				o.lv.seconds = v;
			else
				o.lv.snaplen = (uint32_t)v;
			o.live_opt = 1;
			break;
		case 4:
			if (strcmp(optarg, "bpf") && strcmp(optarg, "kmod")) {
				fprintf(stderr, "falco-query: --driver is bpf or kmod, got '%s'\n",
				        optarg);
				return 2;
			}
			o.lv.driver = optarg;
			o.live_opt = 1;
			break;
		case 5:
			o.lv.all_syscalls = 1;
			o.live_opt = 1;
			break;
		case 'd':
			o.db = optarg;
			break;
		case 'c':
			o.mode = OUT_CSV;
			break;
		case 'j':
			o.mode = OUT_JSON;
			break;
		case 'r':
			o.reindex = 1;
			break;
		case 'w':
			o.writable = 1;
			break;
		case 'T':
			o.no_text = 1;
			break;
		case 'R':
			if (o.nrules == (int)(sizeof(o.rules) / sizeof(o.rules[0]))) {
				fprintf(stderr, "falco-query: too many --rules files\n");
				return 2;
			}
			o.rules[o.nrules++] = optarg;
			break;
		case 'N':
			o.no_rules = 1;
			break;
		case 'P':
			if (o.npcaps == (int)(sizeof(o.pcaps) / sizeof(o.pcaps[0]))) {
				fprintf(stderr, "falco-query: too many --pcap files\n");
				return 2;
			}
			o.pcaps[o.npcaps++] = optarg;
			break;
		case 'q':
			o.quiet = 1;
			break;
		case 'S':
			schema = 1;
			break;
		case 'L':
			o.live = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (schema) {
		printf("%s%s", ff_index_schema(), fn_doc);
		return 0;
	}
	if (o.live_opt && !o.live) {
		fprintf(stderr, "falco-query: --retention, --max-events, --alert-retention, "
		                "--driver, --all, --snaplen, --buffer-size and --seconds go with "
		                "--live\n");
		return 2;
	}
	if (o.live) {
		if (!o.db) {
			fprintf(stderr,
			        "falco-query: --live needs --db FILE (the database to fill)\n");
			return 2;
		}
		if (optind < argc) {
			fprintf(stderr,
			        "falco-query: --live takes no capture or SQL (got '%s'); query the "
			        "database from another falco-query --db %s\n",
			        argv[optind], o.db);
			return 2;
		}
		if (o.npcaps || o.reindex || o.writable) {
			fprintf(stderr, "falco-query: --pcap, --reindex and --write do not go with "
			                "--live\n");
			return 2;
		}
		return run_live(&o);
	}
	int npos = argc - optind;
	char *const *pos = argv + optind;
	const char *sql = NULL;
	struct stat sb;
	/* the last argument is SQL unless it names a file */
	if ((npos >= 2 || (npos == 1 && o.db)) && stat(pos[npos - 1], &sb) != 0)
		sql = pos[--npos];
	/* no capture: query an existing --db index as it is */
	if (npos < 1 && !(o.db && !o.reindex && stat(o.db, &sb) == 0)) {
		if (o.db)
			fprintf(stderr, "falco-query: %s: no such index (give the captures)\n",
			        o.db);
		else
			usage(stderr);
		return 2;
	}
	char *dbp = o.db ? strdup(o.db) : default_db(pos, npos);
	if (!dbp) {
		fprintf(stderr, "falco-query: out of memory\n");
		return 1;
	}
	int status = 0;
	sqlite3 *db = NULL;
	char *beside[64] = { 0 };
	struct ff_qalerts *qa = NULL;
	for (int i = 0;
	     i < npos && i < 64 && o.npcaps < (int)(sizeof(o.pcaps) / sizeof(o.pcaps[0])); i++)
		if (asprintf(&beside[i], "%s.pcap", pos[i]) > 0 && stat(beside[i], &sb) == 0)
			o.pcaps[o.npcaps++] = beside[i];
	if (npos > 0) {
		int fresh = o.reindex ? 0
		                      : ff_index_fresh(dbp, (const char *const *)pos, npos, o.pcaps,
		                                       o.npcaps, &err);
		if (fresh < 0) {
			fprintf(stderr, "falco-query: %s\n", err.msg);
			status = 1;
			goto out;
		}
		char tag[4096], had[4096];
		rules_tag(&o, tag, sizeof(tag));
		if (fresh && (ff_index_meta(dbp, "rules", had, sizeof(had)) || strcmp(had, tag)))
			fresh = 0; /* other rules: the alerts table is stale */
		if (!fresh) {
			if (!o.no_rules && ff_qalerts_open(&qa, o.rules, (size_t)o.nrules, &err)) {
				fprintf(stderr, "falco-query: rules: %s\n", err.msg);
				status = 1;
				goto out;
			}
			struct progress pr = { 0 };
			struct ff_index_opts io = { .no_text = o.no_text,
				                    .pcaps = o.pcaps,
				                    .npcaps = o.npcaps,
				                    .alerter = qa ? ff_qalerts_alerter(qa) : NULL,
				                    .rules_tag = tag };
			struct ff_index_stats stats;
			if (!o.quiet && isatty(2)) {
				io.progress = progress_cb;
				io.progress_arg = &pr;
			}
			if (ff_index_build(dbp, (const char *const *)pos, npos, &io, &stats,
			                   &err)) {
				if (pr.shown)
					fputc('\n', stderr);
				fprintf(stderr, "falco-query: %s\n", err.msg);
				status = 1;
				goto out;
			}
		}
	}
	if (sqlite3_open_v2(dbp, &db, o.writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY,
	                    NULL) != SQLITE_OK) {
		fprintf(stderr, "falco-query: %s: %s\n", dbp,
		        db ? sqlite3_errmsg(db) : "no memory");
		status = 1;
		goto out;
	}
	/* a live index being written: wait out the writer's brief locks (WAL
	 * recovery, a checkpoint's restart) instead of failing */
	sqlite3_busy_timeout(db, 5000);
	if (ff_sqlfn_register(db)) {
		fprintf(stderr, "falco-query: cannot register SQL functions\n");
		status = 1;
		goto out;
	}
	print_warnings(db);
	if (sql)
		status = run_sql(db, sql, &o) ? 1 : 0;
	else
		status = interactive(db, &o);
out:
	sqlite3_close(db);
	free(dbp);
	for (int i = 0; i < 64; i++)
		free(beside[i]);
	ff_qalerts_free(qa);
	return status;
}
