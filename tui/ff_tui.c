/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-tui's screen (ff_tui.h).  Views are data (the table below): which
 * model rows they show, their columns and where Enter leads.  The capture is
 * read a slice at a time between key presses, so the first screen shows at
 * once and fills in; the Events view and the alert detail run their own short
 * pass over the part of the capture they need (seek table first).
 *
 * Live (--live), the main pass never ends: events are taken with a time
 * budget between key presses, the views are redrawn every interval over the
 * last interval (or a window the user moved to, within the model's sliding
 * buckets), and the Events view and the alert detail read a ring of the last
 * events rendered as they came (ff_tuiring), since nothing can be re-read.
 *
 * With packets beside the capture (CAPTURE.pcap, or --pcap), Enter on a
 * connection shows its flow and packets (ff_tuipkt), Enter on a packet its
 * hex dump.
 *
 * Screen layout: two header lines (segments that do not fit are left out
 * whole, never cut), the timeline bar, column titles, rows, the key bar (or
 * a prompt).
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <inttypes.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ff_render.h"
#include "ff_tui.h"
#include "ff_tuifeed.h"
#include "ff_tuimodel.h"
#include "ff_tuipkt.h"
#include "ff_tuiring.h"
#include "ff_tuirules.h"

/* ---- views as data ---- */

enum src { S_KEY, S_PID, S_PPID, S_USER, S_TH, S_CMD, S_CTR, S_NPROCS, S_SYSPCT, S_RATE, S_AVG };
enum fmt { F_NUM, F_BYTES, F_TIME, F_PCT, F_STR, F_RATE };

struct col {
	const char *title;
	int w; /* <0: takes the rest of the line */
	enum src src;
	int ctr;
	enum fmt fmt;
};

enum vkind { V_MODEL, V_ALERTS, V_EVENTS, V_ALERT, V_CONN, V_PKT };
/* views that show lines of text (struct evlist) */
#define V_LINES(vk) ((vk) == V_EVENTS || (vk) == V_ALERT || (vk) == V_CONN || (vk) == V_PKT)

struct view {
	const char *id, *name;
	char key; /* hotkey in the view picker */
	enum vkind vk;
	enum ff_tui_kind kind;
	const struct col *cols;
	int ncols;
	int sortcol, sortdesc;
	const char *desc;
};

#define NC(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct col c_alerts[] = {
	{ "TIME", 12, S_KEY, 0, F_STR },      { "PRIORITY", 9, S_KEY, 0, F_STR },
	{ "RULE", 24, S_KEY, 0, F_STR },      { "PROCESS", 12, S_KEY, 0, F_STR },
	{ "CONTAINER", 12, S_KEY, 0, F_STR }, { "OUTPUT", -1, S_KEY, 0, F_STR },
};
static const struct col c_procs[] = {
	{ "PID", 7, S_PID, 0, F_NUM },
	{ "PPID", 7, S_PPID, 0, F_NUM },
	{ "USER", 8, S_USER, 0, F_STR },
	{ "TH", 3, S_TH, 0, F_NUM },
	{ "SYS%", 5, S_SYSPCT, FF_TC_TIME, F_PCT },
	{ "EVTS", 7, S_CTR, FF_TC_EVTS, F_NUM },
	{ "FILE", 6, S_CTR, FF_TC_FILE_BYTES, F_BYTES },
	{ "NET", 6, S_CTR, FF_TC_NET_BYTES, F_BYTES },
	{ "ERRS", 5, S_CTR, FF_TC_ERRORS, F_NUM },
	{ "COMMAND", -1, S_CMD, 0, F_STR },
};
static const struct col c_files[] = {
	{ "BYTES IN", 9, S_CTR, FF_TC_BYTES_IN, F_BYTES },
	{ "BYTES OUT", 9, S_CTR, FF_TC_BYTES_OUT, F_BYTES },
	{ "OPS", 6, S_CTR, FF_TC_OPS, F_NUM },
	{ "OPENS", 6, S_CTR, FF_TC_OPENS, F_NUM },
	{ "ERRORS", 6, S_CTR, FF_TC_ERRORS, F_NUM },
	{ "FILENAME", -1, S_KEY, 0, F_STR },
};
static const struct col c_dirs[] = {
	{ "BYTES IN", 9, S_CTR, FF_TC_BYTES_IN, F_BYTES },
	{ "BYTES OUT", 9, S_CTR, FF_TC_BYTES_OUT, F_BYTES },
	{ "OPS", 6, S_CTR, FF_TC_OPS, F_NUM },
	{ "OPENS", 6, S_CTR, FF_TC_OPENS, F_NUM },
	{ "ERRORS", 6, S_CTR, FF_TC_ERRORS, F_NUM },
	{ "DIRNAME", -1, S_KEY, 0, F_STR },
};
static const struct col c_conns[] = {
	{ "BYTES IN", 9, S_CTR, FF_TC_BYTES_IN, F_BYTES },
	{ "BYTES OUT", 9, S_CTR, FF_TC_BYTES_OUT, F_BYTES },
	{ "OPS", 6, S_CTR, FF_TC_OPS, F_NUM },
	{ "PROCS", 5, S_NPROCS, 0, F_NUM },
	{ "CONNECTION", -1, S_KEY, 0, F_STR },
};
static const struct col c_ports[] = {
	{ "PORT", 10, S_KEY, 0, F_STR },
	{ "BYTES IN", 9, S_CTR, FF_TC_BYTES_IN, F_BYTES },
	{ "BYTES OUT", 9, S_CTR, FF_TC_BYTES_OUT, F_BYTES },
	{ "OPS", 6, S_CTR, FF_TC_OPS, F_NUM },
	{ "PROCS", -1, S_NPROCS, 0, F_NUM },
};
static const struct col c_syscalls[] = {
	{ "CALLS", 8, S_CTR, FF_TC_EVTS, F_NUM },     { "CALLS/S", 9, S_RATE, FF_TC_EVTS, F_RATE },
	{ "TOT TIME", 9, S_CTR, FF_TC_TIME, F_TIME }, { "AVG TIME", 9, S_AVG, FF_TC_TIME, F_TIME },
	{ "ERRORS", 6, S_CTR, FF_TC_ERRORS, F_NUM },  { "SYSCALL", -1, S_KEY, 0, F_STR },
};
static const struct col c_errors[] = {
	{ "COUNT", 8, S_CTR, FF_TC_EVTS, F_NUM },
	{ "PROCS", 6, S_NPROCS, 0, F_NUM },
	{ "ERROR", -1, S_KEY, 0, F_STR },
};
static const struct col c_containers[] = {
	{ "ID", 13, S_KEY, 0, F_STR },
	{ "PROCS", 5, S_NPROCS, 0, F_NUM },
	{ "EVTS", 8, S_CTR, FF_TC_EVTS, F_NUM },
	{ "SYS%", 5, S_SYSPCT, FF_TC_TIME, F_PCT },
	{ "FILE", 7, S_CTR, FF_TC_FILE_BYTES, F_BYTES },
	{ "NET", 7, S_CTR, FF_TC_NET_BYTES, F_BYTES },
	{ "ERRS", -1, S_CTR, FF_TC_ERRORS, F_NUM },
};
static const struct col c_events[] = { { "EVENT", -1, S_KEY, 0, F_STR } };

enum {
	VI_ALERTS,
	VI_PROCS,
	VI_FILES,
	VI_DIRS,
	VI_CONNS,
	VI_PORTS,
	VI_SYSCALLS,
	VI_ERRORS,
	VI_CONTAINERS,
	VI_EVENTS,
	VI_ALERT, /* alert detail: not in the picker (nor what follows) */
	VI_CONN,  /* a connection's flow and packets */
	VI_PKT,   /* one packet's hex dump */
	VI_MAX
};

static const struct view views[VI_MAX] = {
	[VI_ALERTS] = { "alerts", "Alerts", '1', V_ALERTS, FF_TK_MAX, c_alerts, NC(c_alerts), 0, 0,
	                "Rule alerts in time order, coloured by priority. Enter: the events "
	                "around the alert and the process ancestry." },
	[VI_PROCS] = { "procs", "Processes", '2', V_MODEL, FF_TK_PROC, c_procs, NC(c_procs), 5, 1,
	               "Processes with their syscall time (SYS%), events, file and network "
	               "bytes and errors. t: tree/flat. Enter: the process's events." },
	[VI_FILES] = { "files", "Files", '3', V_MODEL, FF_TK_FILE, c_files, NC(c_files), 2, 1,
	               "Files read or written. Enter: the events on the file." },
	[VI_DIRS] = { "dirs", "Directories", '4', V_MODEL, FF_TK_DIR, c_dirs, NC(c_dirs), 2, 1,
	              "File activity by directory. Enter: its events." },
	[VI_CONNS] = { "connections", "Connections", '5', V_MODEL, FF_TK_CONN, c_conns, NC(c_conns),
	               2, 1, "Network connections. Enter: their events." },
	[VI_PORTS] = { "ports", "Server Ports", '6', V_MODEL, FF_TK_PORT, c_ports, NC(c_ports), 3,
	               1, "Local ports of server sockets. Enter: their events." },
	[VI_SYSCALLS] = { "syscalls", "System Calls", '7', V_MODEL, FF_TK_SYSCALL, c_syscalls,
	                  NC(c_syscalls), 0, 1, "Syscalls by count and time. Enter: the calls." },
	[VI_ERRORS] = { "errors", "Errors", '8', V_MODEL, FF_TK_ERROR, c_errors, NC(c_errors), 0, 1,
	                "Failed syscalls by errno. Enter: the failing events." },
	[VI_CONTAINERS] = { "containers", "Containers", '9', V_MODEL, FF_TK_CONTAINER, c_containers,
	                    NC(c_containers), 2, 1,
	                    "Containers (and the host). Enter: their processes." },
	[VI_EVENTS] = { "events", "Events", '0', V_EVENTS, FF_TK_MAX, c_events, NC(c_events), 0, 0,
	                "Every event as `sysdig -r` prints it." },
	[VI_ALERT] = { "alert", "Alert", 0, V_ALERT, FF_TK_MAX, c_events, NC(c_events), 0, 0,
	               "One alert: its process ancestry and the events around it." },
	[VI_CONN] = { "connection", "Connection", 0, V_CONN, FF_TK_MAX, c_events, NC(c_events), 0,
	              0, "One connection: its flow and packets." },
	[VI_PKT] = { "packet", "Packet", 0, V_PKT, FF_TK_MAX, c_events, NC(c_events), 0, 0,
	             "One packet: its bytes in hex and ASCII." },
};

const char *const ff_tui_view_ids[] = { "alerts",      "procs",  "files",    "dirs",
	                                "connections", "ports",  "syscalls", "errors",
	                                "containers",  "events", NULL };

/* ---- state ---- */

/* SIGINT, SIGTERM, SIGHUP: leave like q, the terminal restored (the one
 * piece of state a signal handler may touch) */
static volatile sig_atomic_t g_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	g_stop = 1;
}

#define MAX_DEPTH 32
#define EV_MAX_LINES 200000
#define SLICE_EVENTS 20000
/* live: events per step between clock checks, work per turn of the loop */
#define LIVE_SLICE 2000
#define LIVE_BUDGET_MS 40
#define LIVE_POLL_MS 20
/* live retention: the model's 256 buckets of 500 ms (128 s of activity to
 * travel in), the last alerts, the last events for the Events view */
#define LIVE_BUCKET_NS 500000000ULL
#define LIVE_MAX_ALERTS 10000
#define LIVE_MAX_BYTES (128u << 20) /* the model's rows; the oldest go first */
#define LIVE_RING_EVENTS 100000
#define LIVE_RING_BYTES (32u << 20)
#define LIVE_TAIL_PROCS 1024 /* ... and the last events of each process */
#define LIVE_TAIL_EVENTS 200
/* a connection's packets kept for the list and the dumps */
#define PKT_LIST_MAX 20000
#define PKT_LIST_BYTES (32u << 20)
#define PKT_SLICE 20000

struct frame {
	int view;
	enum ff_tui_kind scope_kind; /* FF_TK_MAX: whole capture */
	int64_t scope_pid;
	char scope_key[512];
	char scope_label[160];
	int sel, top, hs;
	int sortcol, sortdesc, tree;
	long alert; /* VI_ALERT: alert index */
	char sel_key[512];
	int64_t sel_pid;
	/* VI_CONN: the socket; VI_PKT: the packet's index in the flow's list */
	struct ff_tuiconn conn;
	uint64_t conn_t0, conn_t1;
	long pkt;
};

struct evline {
	char *text;
	uint64_t ts, num;
	int64_t pid;
	int hdr; /* alert detail: a header line, not an event */
};

struct evlist {
	struct evline *v;
	size_t n, cap;
	struct ff_tuifeed *feed;
	int running, truncated;
	char sig[800];   /* what it was built for */
	char ident[800]; /* the same but the live refresh: which list it is */
	char err[256];
	int mark; /* index of the alert's event, -1 */
	uint64_t mark_num;
};

struct evctx {
	struct app *a;
	struct ff_tuiscope scope;
	struct ff_sbuf line, scratch;
};

enum mode { M_NORMAL, M_PROMPT, M_PICK_VIEW, M_PICK_SORT, M_HELP };
enum prompt { P_FILTER, P_SEARCH, P_TIME };

struct app {
	const struct ff_tui_opts *o;
	struct ff_tuimodel *m;
	struct ff_tuifeed *feed;
	int feed_running;
	char feed_err[FF_ERR_MSG_MAX];
	struct ff_tuirules *rules;
	char rules_msg[FF_ERR_MSG_MAX];
	char filter[1024];
	char filter_err[FF_ERR_MSG_MAX];
	unsigned filter_gen;
	uint64_t span0, span1; /* from the seek table */
	int have_span;
	uint64_t total_events; /* from the seek table */

	struct frame st[MAX_DEPTH];
	int depth;

	uint64_t cur_ts, win_ns; /* win_ns 0: the whole capture */

	struct ff_tuirows rows;
	struct evlist ev;
	struct evctx evc; /* the running event pass */
	size_t *aidx;     /* alerts shown: indices into the model's list */
	size_t naidx, aidx_cap;

	enum mode mode;
	enum prompt prompt;
	char pbuf[1024];
	size_t plen;
	int pick_sel;
	char search[256];
	char msg[256];
	int color;
	int H, W;
	int quit;
	struct timespec t_start;
	int first_screen_done;

	/* live */
	int live, paused, follow;
	unsigned interval_ms;
	uint64_t last_tick; /* monotonic ms of the last refresh */
	unsigned tick;      /* refreshes so far (event lists rebuild on each) */
	struct ff_tuiring *ring;
	uint64_t ts_now; /* live: wall clock at the last refresh, ns */

	/* packets beside the capture */
	struct ff_tuipkt *pk;
	int pk_running;
	char pk_err[FF_ERR_MSG_MAX];
	struct ff_tuipkt_list *pl; /* a connection's packets */
	size_t pl_flow;
	int pl_running;
	char pl_err[FF_ERR_MSG_MAX];
};

static struct frame *cur(struct app *a)
{
	return &a->st[a->depth];
}

/* ---- small helpers ---- */

enum {
	CP_HDR = 1,
	CP_COLS,
	CP_SEL,
	CP_CRIT,
	CP_WARN,
	CP_NOTICE,
	CP_INFO,
	CP_ERR,
	CP_WIN,
	CP_CURSOR,
	CP_ALERTMARK,
	CP_DIM
};

static int attr_of(struct app *a, int pair, int fallback)
{
	return a->color ? (int)COLOR_PAIR(pair) : fallback;
}

static int prio_attr(struct app *a, int prio)
{
	if (prio <= 3)
		return attr_of(a, CP_CRIT, A_BOLD);
	if (prio == 4)
		return attr_of(a, CP_WARN, A_BOLD);
	if (prio == 5)
		return attr_of(a, CP_NOTICE, A_NORMAL);
	if (prio == 6)
		return attr_of(a, CP_INFO, A_NORMAL);
	return A_NORMAL;
}

static void fmt_bytes(char *b, size_t n, uint64_t v)
{
	static const char u[] = "KMGTP";
	if (v < 1024) {
		snprintf(b, n, "%" PRIu64, v);
		return;
	}
	double d = (double)v;
	int i = -1;
	while (d >= 1024 && i < 4) {
		d /= 1024;
		i++;
	}
	snprintf(b, n, d < 10 ? "%.1f%c" : "%.0f%c", d, u[i]);
}

static void fmt_time(char *b, size_t n, double ns)
{
	if (ns < 1000)
		snprintf(b, n, "%.0fns", ns);
	else if (ns < 1e6)
		snprintf(b, n, "%.2fus", ns / 1e3);
	else if (ns < 1e9)
		snprintf(b, n, "%.2fms", ns / 1e6);
	else
		snprintf(b, n, "%.2fs", ns / 1e9);
}

static void fmt_dur(char *b, size_t n, uint64_t ns)
{
	if (ns < 1000000)
		snprintf(b, n, "%" PRIu64 "us", ns / 1000);
	else if (ns < 1000000000ULL)
		snprintf(b, n, "%" PRIu64 "ms", ns / 1000000);
	else if (ns < 120000000000ULL)
		snprintf(b, n, "%.2fs", (double)ns / 1e9);
	else
		snprintf(b, n, "%" PRIu64 "m%02" PRIu64 "s", (uint64_t)(ns / 60000000000ULL),
		         (uint64_t)((ns / 1000000000ULL) % 60));
}

static void fmt_tod(char *b, size_t n, uint64_t ts)
{
	time_t s = (time_t)(ts / 1000000000ULL);
	struct tm tm;
	if (!localtime_r(&s, &tm)) {
		snprintf(b, n, "?");
		return;
	}
	snprintf(b, n, "%02d:%02d:%02d.%03u", tm.tm_hour, tm.tm_min, tm.tm_sec,
	         (unsigned)((ts / 1000000ULL) % 1000));
}

/* Copy a string, cutting it to fit. */
static void scpy(char *d, size_t n, const char *s)
{
	size_t l = strlen(s);
	if (l >= n)
		l = n - 1;
	memcpy(d, s, l);
	d[l] = 0;
}

/* Put `s` at (y, x), at most `w` columns, replacing control characters. */
static void put(int y, int x, const char *s, int w)
{
	if (w <= 0)
		return;
	move(y, x);
	for (int i = 0; i < w && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		addch(c < 32 || c == 127 ? '.' : c);
	}
}

static void fill(int y, int x, int w)
{
	move(y, x);
	for (int i = 0; i < w; i++)
		addch(' ');
}

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* ---- the time window ---- */

static uint64_t cap_first(struct app *a)
{
	if (a->have_span)
		return a->span0;
	return ff_tuimodel_first_ts(a->m);
}

static uint64_t cap_last(struct app *a)
{
	uint64_t l = ff_tuimodel_last_ts(a->m);
	if (a->have_span && a->span1 > l)
		return a->span1;
	if (a->live && a->ts_now > l) /* live: the timeline ends now */
		return a->ts_now;
	return l;
}

static uint64_t wall_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* Live, following: the window ends now. */
static void live_follow(struct app *a)
{
	if (!a->live || !a->follow || !a->win_ns)
		return;
	uint64_t end = cap_last(a);
	a->cur_ts = end > a->win_ns / 2 ? end - a->win_ns / 2 + 1 : end;
}

static struct ff_tuiwin window(struct app *a)
{
	struct ff_tuiwin w = { 0, UINT64_MAX };
	if (a->win_ns) {
		w.t0 = a->cur_ts > a->win_ns / 2 ? a->cur_ts - a->win_ns / 2 : 0;
		w.t1 = w.t0 + a->win_ns - 1;
	}
	return w;
}

static const uint64_t win_steps[] = { 1000000ULL,      10000000ULL,     100000000ULL,
	                              1000000000ULL,   10000000000ULL,  60000000000ULL,
	                              600000000000ULL, 3600000000000ULL };

static void time_enter_window(struct app *a)
{
	if (a->win_ns)
		return;
	if (a->live) {
		a->win_ns = (uint64_t)a->interval_ms * 1000000ULL;
		live_follow(a);
		return;
	}
	uint64_t span = cap_last(a) - cap_first(a);
	a->win_ns = win_steps[0];
	for (size_t i = 0; i < sizeof(win_steps) / sizeof(win_steps[0]); i++)
		if (win_steps[i] * 32 >= span) {
			a->win_ns = win_steps[i];
			break;
		}
	if (!a->cur_ts || a->cur_ts < cap_first(a))
		a->cur_ts = cap_first(a) + a->win_ns / 2;
}

static void time_step(struct app *a, int64_t nwin)
{
	time_enter_window(a);
	a->follow = 0;
	int64_t d = nwin * (int64_t)a->win_ns;
	uint64_t f = cap_first(a), l = cap_last(a);
	if (d < 0 && (uint64_t)-d > a->cur_ts - f)
		a->cur_ts = f;
	else if (d > 0 && a->cur_ts + (uint64_t)d > l)
		a->cur_ts = l;
	else
		a->cur_ts = (uint64_t)((int64_t)a->cur_ts + d);
	/* live: stepping up to now follows now again */
	if (a->live && window(a).t1 >= l)
		a->follow = 1;
	live_follow(a);
}

static void time_cycle_width(struct app *a)
{
	size_t n = sizeof(win_steps) / sizeof(win_steps[0]);
	uint64_t span = cap_last(a) - cap_first(a);
	if (!a->win_ns) {
		time_enter_window(a);
		a->win_ns = win_steps[0];
		live_follow(a);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (win_steps[i] > a->win_ns) {
			if (win_steps[i] / 4 > span)
				break;
			a->win_ns = win_steps[i];
			live_follow(a);
			return;
		}
	}
	a->win_ns = 0; /* back to the whole capture */
}

/* "HH:MM:SS[.fff]" (local, on the capture's first day) or "+SECONDS" from the start. */
static int parse_time(struct app *a, const char *s, uint64_t *out)
{
	uint64_t f = cap_first(a);
	if (!f)
		return -1;
	if (s[0] == '+') {
		char *e;
		double sec = strtod(s + 1, &e);
		if (e == s + 1 || *e || sec < 0)
			return -1;
		*out = f + (uint64_t)(sec * 1e9);
		return 0;
	}
	unsigned hh, mm;
	double ss;
	int n = 0;
	if (sscanf(s, "%u:%u:%lf%n", &hh, &mm, &ss, &n) != 3 || s[n] || hh > 23 || mm > 59 ||
	    ss < 0 || ss >= 61)
		return -1;
	time_t t0 = (time_t)(f / 1000000000ULL);
	struct tm tm;
	if (!localtime_r(&t0, &tm))
		return -1;
	tm.tm_hour = (int)hh;
	tm.tm_min = (int)mm;
	tm.tm_sec = 0;
	time_t day = mktime(&tm);
	if (day == (time_t)-1)
		return -1;
	*out = (uint64_t)day * 1000000000ULL + (uint64_t)(ss * 1e9);
	return 0;
}

/* ---- the main pass ---- */

static int start_feed(struct app *a, struct ff_err *err)
{
	struct ff_tuifeed_opts fo = { .sz = sizeof(fo),
		                      .path = a->o->path,
		                      .live = a->o->live,
		                      .filter = a->filter,
		                      .model = a->m,
		                      .rules = a->rules,
		                      .driver = a->o->driver,
		                      .snaplen = a->o->snaplen,
		                      .buffer_bytes = a->o->buffer_bytes,
		                      .all_syscalls = a->o->all_syscalls,
		                      .poll_ms = LIVE_POLL_MS };
	int rc;
	ff_tuifeed_close(a->feed);
	a->feed = NULL;
	/* rows point into the model */
	a->rows.n = 0;
	a->naidx = 0;
	for (int i = 0; i < MAX_DEPTH; i++)
		a->st[i].sel_key[0] = 0;
	ff_tuimodel_free(a->m);
	a->m = NULL;
	rc = ff_tuimodel_new(&a->m, err);
	if (rc)
		return rc;
	if (a->live)
		ff_tuimodel_set_live(a->m, LIVE_BUCKET_NS, LIVE_MAX_ALERTS, LIVE_MAX_BYTES);
	fo.model = a->m;
	rc = ff_tuifeed_open(&a->feed, &fo, err);
	if (rc)
		return rc;
	a->have_span = ff_tuifeed_span(a->feed, &a->span0, &a->span1);
	if (a->have_span)
		ff_tuimodel_set_span(a->m, a->span0, a->span1);
	a->total_events = ff_tuifeed_total_events(a->feed);
	a->feed_running = 1;
	a->feed_err[0] = 0;
	return 0;
}

/* live: every event shown also goes to the ring, rendered now */
static int ring_cb(void *user, const struct ff_state *st, const struct ff_evt *ev, uint64_t num)
{
	struct app *a = user;
	return ff_tuiring_add(a->ring, st, ev, num);
}

/* One slice of the main pass.  Live: 1 when events came, 0 when the source
 * was idle for its poll time. */
static int feed_slice(struct app *a)
{
	struct ff_err err = { 0 };
	if (!a->feed_running)
		return 0;
	int rc = ff_tuifeed_step(a->feed, a->live ? LIVE_SLICE : SLICE_EVENTS,
	                         a->live ? ring_cb : NULL, a, &err);
	if (rc == -EAGAIN)
		return 0;
	if (rc <= 0) {
		a->feed_running = 0;
		if (rc < 0)
			snprintf(a->feed_err, sizeof(a->feed_err), "%s", err.msg);
	}
	return 1;
}

/* ---- the event list (Events view, alert detail) ---- */

static void ev_clear(struct evlist *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i].text);
	e->n = 0;
	ff_tuifeed_close(e->feed);
	e->feed = NULL;
	e->running = e->truncated = 0;
	e->err[0] = 0;
	e->mark = -1;
	e->mark_num = 0;
}

static int ev_push(struct evlist *e, const char *text, uint64_t ts, uint64_t num, int64_t pid,
                   int hdr)
{
	if (e->n == e->cap) {
		size_t nc = e->cap ? e->cap * 2 : 1024;
		struct evline *nv = realloc(e->v, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		e->v = nv;
		e->cap = nc;
	}
	char *t = strdup(text);
	if (!t)
		return -ENOMEM;
	e->v[e->n++] = (struct evline){ t, ts, num, pid, hdr };
	return 0;
}

static int ev_cb(void *user, const struct ff_state *st, const struct ff_evt *ev, uint64_t num)
{
	struct evctx *c = user;
	struct app *a = c->a;
	if (!ff_tuimodel_match(a->m, &c->scope, st, ev))
		return 0;
	if (a->ev.n >= EV_MAX_LINES) {
		a->ev.truncated = 1;
		return 1;
	}
	ff_sbuf_reset(&c->line);
	if (ff_render_line(st, ev, num, &c->line, &c->scratch))
		return -ENOMEM;
	if (c->line.len && c->line.p[c->line.len - 1] == '\n')
		c->line.p[--c->line.len] = 0;
	const struct ff_thread *t = ff_state_evt_thread(st);
	if (a->ev.mark_num && num == a->ev.mark_num)
		a->ev.mark = (int)a->ev.n;
	return ev_push(&a->ev, c->line.len ? c->line.p : "", ev->ts, num, t ? ff_thread_pid(t) : -1,
	               0);
}

static struct ff_tuiscope fr_scope(struct frame *f)
{
	struct ff_tuiscope s = { f->scope_kind, f->scope_pid, f->scope_key };
	return s;
}

static void alert_header(struct app *a, const struct ff_tuialert *al)
{
	char b[1024], t[32];
	fmt_tod(t, sizeof(t), al->ts);
	snprintf(b, sizeof(b), "Rule: %s   Priority: %s   Time: %s   Event: %" PRIu64, al->rule,
	         ff_tui_priority_name(al->priority), t, al->evtnum);
	ev_push(&a->ev, b, al->ts, 0, al->pid, 1);
	snprintf(b, sizeof(b), "Output: %s", al->output);
	ev_push(&a->ev, b, al->ts, 0, al->pid, 1);
	ev_push(&a->ev, "Process ancestry:", al->ts, 0, al->pid, 1);
	const struct ff_tuiproc *anc[16];
	size_t n = ff_tuimodel_ancestry(a->m, al->pid, anc, 16);
	for (size_t i = 0; i < n; i++) {
		snprintf(b, sizeof(b), "  %*s%" PRId64 " %s  [%s]  user=%s container=%s",
		         (int)(2 * i), "", anc[i]->pid, anc[i]->comm, anc[i]->cmdline, anc[i]->user,
		         anc[i]->container[0] ? anc[i]->container : "host");
		ev_push(&a->ev, b, al->ts, 0, anc[i]->pid, 1);
	}
	if (!n) {
		snprintf(b, sizeof(b), "  %" PRId64 " (not in the process table)", al->pid);
		ev_push(&a->ev, b, al->ts, 0, al->pid, 1);
	}
	ev_push(&a->ev, "Events within 1s of the alert:", al->ts, 0, al->pid, 1);
}

static int ev_push_ring(struct app *a, const struct ff_tuiring_ent *e)
{
	if (a->ev.n >= EV_MAX_LINES) {
		a->ev.truncated = 1;
		return -1;
	}
	if (a->ev.mark_num && e->num == a->ev.mark_num)
		a->ev.mark = (int)a->ev.n;
	return ev_push(&a->ev, e->text, e->ts, e->num, e->pid, 0);
}

/* Live: the event list from the ring (what is still held of it), in the
 * window `w` unless `all`; `pid` (>= 0): that process's older events first,
 * from its tail. */
static void ev_from_ring(struct app *a, const struct ff_tuiscope *scope, struct ff_tuiwin w,
                         int all, int64_t pid)
{
	if (pid >= 0) {
		const struct ff_tuiring_ent *old[LIVE_TAIL_EVENTS];
		size_t n = ff_tuiring_proc_older(a->ring, pid, old, LIVE_TAIL_EVENTS);
		for (size_t i = 0; i < n; i++)
			if ((all || (old[i]->ts >= w.t0 && old[i]->ts <= w.t1)) &&
			    ev_push_ring(a, old[i]))
				return;
	}
	uint64_t end = ff_tuiring_end(a->ring);
	for (uint64_t i = ff_tuiring_first(a->ring); i < end; i++) {
		const struct ff_tuiring_ent *e = ff_tuiring_get(a->ring, i);
		if (!all && (e->ts < w.t0 || e->ts > w.t1))
			continue;
		if (!ff_tuiring_match(a->ring, i, scope))
			continue;
		if (ev_push_ring(a, e))
			break;
	}
}

static void fmt_tod_ns(char *b, size_t n, uint64_t ts)
{
	time_t s = (time_t)(ts / 1000000000ULL);
	struct tm tm;
	if (!localtime_r(&s, &tm)) {
		snprintf(b, n, "?");
		return;
	}
	snprintf(b, n, "%02d:%02d:%02d.%09u", tm.tm_hour % 100, tm.tm_min % 100, tm.tm_sec % 100,
	         (unsigned)(ts % 1000000000ULL));
}

static void fmt_tcpflags(char *b, size_t n, uint8_t fl)
{
	static const char *const names[] = { "FIN", "SYN", "RST", "PSH", "ACK", "URG" };
	size_t o = 0;
	b[0] = 0;
	for (int i = 0; i < 6 && o + 5 < n; i++)
		if (fl & (1u << i))
			o += (size_t)snprintf(b + o, n - o, "%s%s", o ? " " : "", names[i]);
}

static const char *l4_name(uint8_t l4)
{
	return l4 == IPPROTO_TCP ? "tcp" : l4 == IPPROTO_UDP ? "udp" : "ip";
}

static void fmt_end(char *b, size_t n, uint8_t family, const uint8_t *ip, uint16_t port)
{
	char t[INET6_ADDRSTRLEN] = "?";
	inet_ntop(family == 6 ? AF_INET6 : AF_INET, ip, t, sizeof(t));
	snprintf(b, n, family == 6 ? "[%s]:%u" : "%s:%u", t, port);
}

/* The socket of a VI_CONN frame, for ff_flow_sock_rank. */
static struct ff_flow_sock frame_sock(const struct frame *f)
{
	struct ff_flow_sock s = { .family = f->conn.family,
		                  .l4 = f->conn.l4,
		                  .aport = f->conn.sport,
		                  .bport = f->conn.dport,
		                  .first_ts = f->conn_t0,
		                  .last_ts = f->conn_t1,
		                  .outward = 1 };
	memcpy(s.aip, f->conn.sip, 16);
	memcpy(s.bip, f->conn.dip, 16);
	return s;
}

static void hdr_line(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void hdr_line(struct app *a, const char *fmt, ...)
{
	char b[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	ev_push(&a->ev, b, 0, 0, -1, 1);
}

/* VI_CONN: the flow(s) of the connection and the packets of the best one. */
static void conn_sync(struct app *a)
{
	struct frame *f = cur(a);
	size_t idx[8], nf = 0;
	int pk_done = a->pk && ff_tuipkt_done(a->pk);
	struct ff_flow_sock sock = frame_sock(f);
	if (pk_done)
		nf = ff_tuipkt_match(a->pk, &sock, idx, 8);
	if (nf && (!a->pl || a->pl_flow != idx[0])) {
		struct ff_err err = { 0 };
		ff_tuipkt_list_free(a->pl);
		a->pl = NULL;
		a->pl_err[0] = 0;
		a->pl_flow = idx[0];
		if (ff_tuipkt_list_open(&a->pl, a->pk, idx[0], PKT_LIST_MAX, PKT_LIST_BYTES, &err))
			scpy(a->pl_err, sizeof(a->pl_err), err.msg);
		a->pl_running = a->pl != NULL;
	}
	int pl_done = a->pl && !a->pl_running;
	char sig[sizeof(a->ev.sig)];
	snprintf(sig, sizeof(sig), "conn|%d|%s|%" PRIu64 "|%" PRIu64 "|%d|%zu|%d|%zu", f->view,
	         f->scope_key, f->conn_t0, f->conn_t1, pk_done, nf, pl_done,
	         a->pl ? ff_tuipkt_list_count(a->pl) : 0);
	if (strcmp(sig, a->ev.sig) == 0)
		return;
	ev_clear(&a->ev);
	memcpy(a->ev.sig, sig, sizeof(sig));
	char t0[40], t1[40], d[32];
	hdr_line(a, "Connection: %s (%s)", f->scope_key, l4_name(f->conn.l4));
	if (!a->pk) {
		hdr_line(a, "No packets: %s", a->pk_err[0] ? a->pk_err : "no packet file");
		return;
	}
	hdr_line(a, "Packets: %s", ff_tuipkt_path(a->pk));
	if (!pk_done) {
		hdr_line(a, "Reading the packets... (%" PRIu64 " so far)",
		         ff_tuipkt_npackets(a->pk));
		return;
	}
	if (a->pk_err[0])
		hdr_line(a, "Warning: %s", a->pk_err);
	if (!nf) {
		hdr_line(a,
		         "No flow of the %" PRIu64 " packets has this tuple within %us of the "
		         "connection's events.",
		         ff_tuipkt_npackets(a->pk), (unsigned)(FF_FLOW_SLACK_NS / 1000000000ULL));
		hdr_line(a, "F2 shows the connection's events.");
		return;
	}
	for (size_t i = 0; i < nf; i++) {
		const struct ff_flow *fl = ff_tuipkt_flow(a->pk, idx[i]);
		char c[64], sv[64];
		fmt_end(c, sizeof(c), fl->family, fl->cip, fl->cport);
		fmt_end(sv, sizeof(sv), fl->family, fl->sip, fl->sport);
		fmt_tod_ns(t0, sizeof(t0), fl->first_ts);
		fmt_tod_ns(t1, sizeof(t1), fl->last_ts);
		fmt_dur(d, sizeof(d), fl->last_ts - fl->first_ts);
		hdr_line(a, "%s %s %s -> %s (client -> server)",
		         i ? "Also flow:" : "Flow:", l4_name(fl->l4), c, sv);
		hdr_line(a, "  First: %s  Last: %s  (%s)", t0, t1, d);
		hdr_line(a,
		         "  Packets: %" PRIu64 "  Bytes client->server: %" PRIu64
		         "  server->client: %" PRIu64,
		         fl->pkts, fl->bytes_c2s, fl->bytes_s2c);
	}
	if (a->pl_err[0]) {
		hdr_line(a, "%s", a->pl_err);
		return;
	}
	if (!pl_done) {
		hdr_line(a, "Collecting the flow's packets...");
		return;
	}
	hdr_line(a, "%s", "");
	hdr_line(a, "%6s %-18s %3s %6s %-15s %7s  %s", "NUM", "TIME", "DIR", "LEN", "FLAGS",
	         "PAYLOAD", "DATA (Enter: hex dump)");
	size_t n = ff_tuipkt_list_count(a->pl);
	for (size_t i = 0; i < n; i++) {
		const struct ff_tuipkt_pkt *k = ff_tuipkt_list_at(a->pl, i);
		char fl[32], pre[40], line[256];
		fmt_tod_ns(t0, sizeof(t0), k->ts);
		fmt_tcpflags(fl, sizeof(fl), k->tcp_flags);
		size_t np = k->payload_caplen < 32 ? k->payload_caplen : 32;
		for (size_t j = 0; j < np; j++) {
			uint8_t ch = k->data[k->payload_off + j];
			pre[j] = ch >= 32 && ch < 127 ? (char)ch : '.';
		}
		pre[np] = 0;
		snprintf(line, sizeof(line), "%6" PRIu64 " %-18s %3s %6u %-15s %7u  %s", k->num, t0,
		         k->c2s ? "c>s" : "s>c", k->wirelen, fl, k->payload_len, pre);
		ev_push(&a->ev, line, k->ts, (uint64_t)i + 1, -1, 0);
	}
	if (ff_tuipkt_list_more(a->pl))
		hdr_line(a, "... %" PRIu64 " more packets of this flow not kept (%u at most)",
		         ff_tuipkt_list_more(a->pl), PKT_LIST_MAX);
	/* the selection starts on the first packet */
	for (size_t i = 0; f->sel == 0 && i < a->ev.n; i++)
		if (!a->ev.v[i].hdr) {
			f->sel = (int)i;
			break;
		}
}

/* VI_PKT: one packet of the connection's list, in hex and ASCII. */
static void pkt_sync(struct app *a)
{
	struct frame *f = cur(a);
	const struct ff_tuipkt_pkt *k = a->pl ? ff_tuipkt_list_at(a->pl, (size_t)f->pkt) : NULL;
	char sig[sizeof(a->ev.sig)];
	snprintf(sig, sizeof(sig), "pkt|%d|%zu|%ld|%d", f->view, a->pl_flow, f->pkt, k != NULL);
	if (strcmp(sig, a->ev.sig) == 0)
		return;
	ev_clear(&a->ev);
	memcpy(a->ev.sig, sig, sizeof(sig));
	if (!k) {
		hdr_line(a, "The packet is no longer held.");
		return;
	}
	char t[40], fl[32];
	fmt_tod_ns(t, sizeof(t), k->ts);
	fmt_tcpflags(fl, sizeof(fl), k->tcp_flags);
	hdr_line(a, "Packet %" PRIu64 " of %s: %s  %s  %s [%s]", k->num, ff_tuipkt_path(a->pk), t,
	         k->c2s ? "client -> server" : "server -> client",
	         l4_name(ff_tuipkt_flow(a->pk, a->pl_flow)->l4), fl);
	hdr_line(a, "Wire %u bytes, captured %u; payload %u bytes at offset %u (%u captured)",
	         k->wirelen, k->caplen, k->payload_len, k->payload_off, k->payload_caplen);
	hdr_line(a, "%s", "");
	for (uint32_t o = 0; o < k->caplen; o += 16) {
		char line[128];
		int x = snprintf(line, sizeof(line), "%04x ", o);
		for (uint32_t j = 0; j < 16; j++) {
			if (j == 8)
				line[x++] = ' ';
			if (o + j < k->caplen)
				x += snprintf(line + x, sizeof(line) - (size_t)x, " %02x",
				              k->data[o + j]);
			else
				x += snprintf(line + x, sizeof(line) - (size_t)x, "   ");
		}
		x += snprintf(line + x, sizeof(line) - (size_t)x, "  |");
		for (uint32_t j = 0; j < 16 && o + j < k->caplen; j++) {
			uint8_t ch = k->data[o + j];
			line[x++] = ch >= 32 && ch < 127 ? (char)ch : '.';
		}
		line[x++] = '|';
		line[x] = 0;
		ev_push(&a->ev, line, k->ts, 0, -1, 0);
	}
}

/* (Re)start the event pass when what the view needs changed. */
static void ev_sync(struct app *a)
{
	struct frame *f = cur(a);
	enum vkind vk = views[f->view].vk;
	if (vk == V_CONN) {
		conn_sync(a);
		return;
	}
	if (vk == V_PKT) {
		pkt_sync(a);
		return;
	}
	if (vk != V_EVENTS && vk != V_ALERT)
		return;
	struct ff_tuiwin w = window(a);
	const struct ff_tuialert *al = NULL;
	if (vk == V_ALERT) {
		al = ff_tuimodel_alert(a->m, (size_t)f->alert);
		if (!al)
			return;
		w.t0 = al->ts > 1000000000ULL ? al->ts - 1000000000ULL : 0;
		w.t1 = al->ts + 1000000000ULL;
	}
	/* live: the list follows the ring at each refresh (a window moved by
	 * the user shows what is held of it) */
	int all = a->live && !al && (a->follow || !a->win_ns);
	char ident[sizeof(a->ev.ident)], sig[sizeof(a->ev.sig)];
	snprintf(ident, sizeof(ident), "%d|%d|%" PRId64 "|%s|%u|%ld|%d", f->view, f->scope_kind,
	         f->scope_pid, f->scope_key, a->filter_gen, f->alert, all);
	snprintf(sig, sizeof(sig), "%.700s|%" PRIu64 "|%" PRIu64 "|%u", ident, all ? 0 : w.t0,
	         all ? 0 : w.t1, a->live ? a->tick : 0);
	if (strcmp(sig, a->ev.sig) == 0)
		return;
	/* live: a new list, or a selection on the last line, follows the last
	 * line (a tail); another selection stays on its event */
	int tail = strcmp(ident, a->ev.ident) != 0 || f->sel + 1 >= (int)a->ev.n;
	uint64_t sel_num = !tail && f->sel >= 0 ? a->ev.v[f->sel].num : 0;
	ev_clear(&a->ev);
	memcpy(a->ev.sig, sig, sizeof(sig));
	memcpy(a->ev.ident, ident, sizeof(ident));
	if (al) {
		alert_header(a, al);
		a->ev.mark_num = al->evtnum;
	}
	if (a->live) {
		struct ff_tuiscope sc =
		    al ? (struct ff_tuiscope){ FF_TK_MAX, 0, NULL } : fr_scope(f);
		size_t nhdr = a->ev.n;
		ev_from_ring(a, &sc, w, all, al ? al->pid : sc.kind == FF_TK_PROC ? sc.pid : -1);
		if (al) {
			if (f->sel == 0 && a->ev.mark >= 0)
				f->sel = a->ev.mark;
			if (a->ev.n == nhdr)
				ev_push(&a->ev,
				        "  (no longer held: the live ring keeps the last events)",
				        al->ts, 0, -1, 1);
		} else if (tail) {
			f->sel = a->ev.n ? (int)a->ev.n - 1 : 0;
		} else {
			for (size_t i = 0; i < a->ev.n; i++)
				if (a->ev.v[i].num == sel_num) {
					f->sel = (int)i;
					break;
				}
		}
		return;
	}
	struct ff_tuifeed_opts fo = { .sz = sizeof(fo),
		                      .path = a->o->path,
		                      .filter = a->filter,
		                      .start_ts = w.t0,
		                      .end_ts = w.t1 == UINT64_MAX ? 0 : w.t1 };
	struct ff_err err = { 0 };
	if (ff_tuifeed_open(&a->ev.feed, &fo, &err)) {
		scpy(a->ev.err, sizeof(a->ev.err), err.msg);
		return;
	}
	a->evc.a = a;
	a->evc.scope = al ? (struct ff_tuiscope){ FF_TK_MAX, 0, NULL } : fr_scope(f);
	a->ev.running = 1;
}

/* a slice of the packet passes: the flows first, then a connection's packets */
static void pk_slice(struct app *a)
{
	struct ff_err err = { 0 };
	if (a->pl_running) {
		int rc = ff_tuipkt_list_step(a->pl, PKT_SLICE, &err);
		if (rc <= 0) {
			a->pl_running = 0;
			if (rc < 0)
				scpy(a->pl_err, sizeof(a->pl_err), err.msg);
		}
		return;
	}
	if (a->pk_running) {
		int rc = ff_tuipkt_step(a->pk, PKT_SLICE, &err);
		if (rc <= 0) {
			a->pk_running = 0;
			if (rc < 0)
				scpy(a->pk_err, sizeof(a->pk_err), err.msg);
		}
	}
}

static void ev_slice(struct app *a)
{
	struct ff_err err = { 0 };
	if (!a->ev.running)
		return;
	/* the scope's key lives in the frame: refresh the pointer */
	if (a->evc.scope.kind != FF_TK_MAX && views[cur(a)->view].vk == V_EVENTS)
		a->evc.scope = fr_scope(cur(a));
	int rc = ff_tuifeed_step(a->ev.feed, SLICE_EVENTS, ev_cb, &a->evc, &err);
	if (rc <= 0) {
		a->ev.running = 0;
		if (rc < 0 && !a->ev.truncated)
			scpy(a->ev.err, sizeof(a->ev.err), err.msg);
		ff_tuifeed_close(a->ev.feed);
		a->ev.feed = NULL;
		if (views[cur(a)->view].vk == V_ALERT && a->ev.mark >= 0 && cur(a)->sel == 0)
			cur(a)->sel = a->ev.mark;
	}
}

/* ---- rows of the current view ---- */

static double win_seconds(struct app *a)
{
	if (a->win_ns)
		return (double)a->win_ns / 1e9;
	uint64_t f = ff_tuimodel_first_ts(a->m), l = ff_tuimodel_last_ts(a->m);
	return l > f ? (double)(l - f) / 1e9 : 1.0;
}

static int col_num(struct app *a, const struct col *c, const struct ff_tuirow *r, double *out)
{
	switch (c->src) {
	case S_PID:
		*out = (double)r->pid;
		return 1;
	case S_PPID:
		*out = r->proc ? (double)r->proc->ppid : -1;
		return 1;
	case S_TH:
		*out = r->proc ? r->proc->nthreads : 0;
		return 1;
	case S_CTR:
		*out = (double)r->c[c->ctr];
		return 1;
	case S_NPROCS:
		*out = r->nprocs;
		return 1;
	case S_SYSPCT:
		*out = (double)r->c[c->ctr] / 1e9 / win_seconds(a) * 100.0;
		return 1;
	case S_RATE:
		*out = (double)r->c[c->ctr] / win_seconds(a);
		return 1;
	case S_AVG:
		*out = r->c[FF_TC_EVTS] ? (double)r->c[c->ctr] / (double)r->c[FF_TC_EVTS] : 0;
		return 1;
	default:
		return 0;
	}
}

static const char *col_str(const struct col *c, const struct ff_tuirow *r)
{
	switch (c->src) {
	case S_USER:
		return r->proc ? r->proc->user : "";
	case S_CMD:
		return r->proc ? r->proc->cmdline : r->key;
	default:
		return r->key ? r->key : "";
	}
}

static void col_text(struct app *a, const struct col *c, const struct ff_tuirow *r, char *b,
                     size_t n)
{
	double v;
	if (!col_num(a, c, r, &v)) {
		snprintf(b, n, "%s", col_str(c, r));
		return;
	}
	switch (c->fmt) {
	case F_BYTES:
		fmt_bytes(b, n, (uint64_t)v);
		break;
	case F_TIME:
		fmt_time(b, n, v);
		break;
	case F_PCT:
		snprintf(b, n, "%.2f", v);
		break;
	case F_RATE:
		snprintf(b, n, "%.2f", v);
		break;
	default:
		snprintf(b, n, "%.0f", v);
		break;
	}
}

struct cmpctx {
	struct app *a;
	const struct col *c;
	int desc;
};

static int row_cmp(const struct ff_tuirow *x, const struct ff_tuirow *y, void *u)
{
	struct cmpctx *k = u;
	double vx, vy;
	int r;
	if (col_num(k->a, k->c, x, &vx) && col_num(k->a, k->c, y, &vy))
		r = vx < vy ? -1 : vx > vy;
	else
		r = strcmp(col_str(k->c, x), col_str(k->c, y));
	if (k->desc)
		r = -r;
	if (!r) /* stable tie-break on the key, then pid */
		r = x->pid != y->pid ? (x->pid < y->pid ? -1 : 1) : strcmp(x->key, y->key);
	return r;
}

static void load_rows(struct app *a)
{
	struct frame *f = cur(a);
	const struct view *v = &views[f->view];
	struct ff_tuiwin w = window(a);
	struct ff_tuiscope s = fr_scope(f);
	if (v->vk == V_ALERTS) {
		/* live, following now: every alert held, not only the last interval's */
		if (a->live && a->follow)
			w = (struct ff_tuiwin){ 0, UINT64_MAX };
		a->naidx = 0;
		size_t n = ff_tuimodel_nalerts(a->m);
		for (size_t i = ff_tuimodel_alert_first(a->m); i < n; i++) {
			if (!ff_tuimodel_alert_in(a->m, ff_tuimodel_alert(a->m, i), &s, &w))
				continue;
			if (a->naidx == a->aidx_cap) {
				size_t nc = a->aidx_cap ? a->aidx_cap * 2 : 256;
				size_t *nv = realloc(a->aidx, nc * sizeof(*nv));
				if (!nv)
					break;
				a->aidx = nv;
				a->aidx_cap = nc;
			}
			a->aidx[a->naidx++] = i;
		}
		return;
	}
	if (v->vk != V_MODEL) {
		a->rows.n = 0;
		return;
	}
	int tree = f->tree && v->kind == FF_TK_PROC;
	if (v->kind == FF_TK_PROC && s.kind == FF_TK_PROC) {
		/* a process's view of processes: it and its descendants */
		ff_tuimodel_query(a->m, v->kind, NULL, &w, &a->rows);
		size_t k = 0;
		for (size_t i = 0; i < a->rows.n; i++)
			if (ff_tuimodel_descends(a->m, a->rows.v[i].pid, s.pid))
				a->rows.v[k++] = a->rows.v[i];
		a->rows.n = k;
		tree = 1;
	} else if (s.kind == FF_TK_PROC || s.kind == FF_TK_CONTAINER || s.kind == FF_TK_MAX) {
		ff_tuimodel_query(a->m, v->kind, &s, &w, &a->rows);
	} else {
		ff_tuimodel_query(a->m, v->kind, NULL, &w, &a->rows);
	}
	if (a->filter[0] && v->kind == FF_TK_PROC) {
		/* idle processes from the capture's process list do not match a filter */
		size_t k2 = 0;
		for (size_t i = 0; i < a->rows.n; i++)
			if (a->rows.v[i].c[FF_TC_EVTS])
				a->rows.v[k2++] = a->rows.v[i];
		a->rows.n = k2;
	}
	struct cmpctx k = { a, &v->cols[f->sortcol], f->sortdesc };
	ff_tuirows_sort(&a->rows, row_cmp, &k, tree);
}

static size_t item_count(struct app *a)
{
	const struct view *v = &views[cur(a)->view];
	if (v->vk == V_ALERTS)
		return a->naidx;
	if (V_LINES(v->vk))
		return a->ev.n;
	return a->rows.n;
}

/* whole text of item i (search) */
static void item_text(struct app *a, size_t i, char *b, size_t n)
{
	struct frame *f = cur(a);
	const struct view *v = &views[f->view];
	b[0] = 0;
	if (v->vk == V_ALERTS) {
		const struct ff_tuialert *al = ff_tuimodel_alert(a->m, a->aidx[i]);
		if (!al) /* live: dropped since the rows were loaded */
			return;
		snprintf(b, n, "%s %s %s %s %s", ff_tui_priority_name(al->priority), al->rule,
		         al->comm, al->container, al->output);
	} else if (V_LINES(v->vk)) {
		snprintf(b, n, "%s", a->ev.v[i].text);
	} else {
		size_t o = 0;
		for (int c = 0; c < v->ncols && o + 1 < n; c++) {
			col_text(a, &v->cols[c], &a->rows.v[i], b + o, n - o);
			o += strlen(b + o);
			if (o + 1 < n)
				b[o++] = ' ';
			b[o] = 0;
		}
	}
}

static void remember_sel(struct app *a)
{
	struct frame *f = cur(a);
	const struct view *v = &views[f->view];
	if (v->vk != V_MODEL || f->sel < 0 || (size_t)f->sel >= a->rows.n)
		return;
	snprintf(f->sel_key, sizeof(f->sel_key), "%s", a->rows.v[f->sel].key);
	f->sel_pid = a->rows.v[f->sel].pid;
}

static void restore_sel(struct app *a)
{
	struct frame *f = cur(a);
	const struct view *v = &views[f->view];
	if (v->vk != V_MODEL || !f->sel_key[0])
		return;
	for (size_t i = 0; i < a->rows.n; i++)
		if (a->rows.v[i].pid == f->sel_pid && strcmp(a->rows.v[i].key, f->sel_key) == 0) {
			f->sel = (int)i;
			return;
		}
}

/* The rows of the view, again.  Live, what slid out of the model goes
 * first: the rows held so far point into it. */
static void reload_rows(struct app *a)
{
	remember_sel(a);
	if (a->live)
		ff_tuimodel_prune(a->m);
	load_rows(a);
	restore_sel(a);
}

/* ---- drawing ---- */

struct seg {
	char text[600];
	int prio; /* lower is kept first */
	int attr;
};

/* Draw segments on line y: those that do not fit are left out whole. */
static void draw_segs(int y, struct seg *s, int n, int width, int base_attr)
{
	int keep[16] = { 0 }, used = 0;
	for (int p = 0; p < 10; p++)
		for (int i = 0; i < n; i++) {
			if (s[i].prio != p || !s[i].text[0])
				continue;
			int len = (int)strlen(s[i].text) + (used ? 2 : 0);
			if (used + len <= width) {
				keep[i] = 1;
				used += len;
			}
		}
	attrset(base_attr);
	fill(y, 0, width);
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (!keep[i])
			continue;
		if (x)
			x += 2;
		attrset(base_attr | s[i].attr);
		put(y, x, s[i].text, width - x);
		x += (int)strlen(s[i].text);
	}
	attrset(A_NORMAL);
}

static void scope_text(struct app *a, struct frame *f, char *b, size_t n)
{
	if (f->scope_kind == FF_TK_MAX)
		snprintf(b, n, a->live ? "For: whole system" : "For: whole capture");
	else
		snprintf(b, n, "For: %s", f->scope_label);
}

/* "Alerts: 5 [Crit 1, Warn 3, Notice 1]": every priority that fired */
static void alerts_text(struct app *a, char *b, size_t n)
{
	static const char *const ab[] = { "Emerg", "Alert",  "Crit", "Err",
		                          "Warn",  "Notice", "Info", "Debug" };
	uint64_t tot = 0;
	for (int p = 0; p < 8; p++)
		tot += ff_tuimodel_alert_count(a->m, p);
	size_t o = (size_t)snprintf(b, n, "Alerts: %" PRIu64, tot);
	const char *sep = " [";
	for (int p = 0; p < 8 && o < n; p++) {
		uint64_t c = ff_tuimodel_alert_count(a->m, p);
		if (!c)
			continue;
		o += (size_t)snprintf(b + o, n - o, "%s%s %" PRIu64, sep, ab[p], c);
		sep = ", ";
	}
	if (tot && o < n)
		snprintf(b + o, n - o, "]");
}

static void draw_header(struct app *a)
{
	struct frame *f = cur(a);
	const struct view *v = &views[f->view];
	struct seg s[8];
	int n = 0;
	const char *base = a->o->path ? strrchr(a->o->path, '/') : NULL;
	base = base ? base + 1 : (a->o->path ? a->o->path : "live");
	uint64_t nev = a->feed ? ff_tuifeed_nread(a->feed) : 0;
	uint64_t span = ff_tuimodel_last_ts(a->m) - ff_tuimodel_first_ts(a->m);
	char d[32];
	fmt_dur(d, sizeof(d), span);

	memset(s, 0, sizeof(s));
	snprintf(s[n].text, sizeof(s[n].text), "View: %s", v->name);
	s[n].prio = 0;
	s[n++].attr = A_BOLD;
	scope_text(a, f, s[n].text, sizeof(s[n].text));
	s[n++].prio = 1;
	if (a->live) {
		const char *drv = a->feed ? ff_tuifeed_driver(a->feed) : NULL;
		snprintf(s[n].text, sizeof(s[n].text), "Live: %s", drv ? drv : "?");
		s[n++].prio = 3;
		snprintf(s[n].text, sizeof(s[n].text), "%" PRIu64 " evts", nev);
		s[n++].prio = 2;
		uint64_t lost = a->feed ? ff_tuifeed_lost(a->feed) : 0;
		snprintf(s[n].text, sizeof(s[n].text), "Drops: %" PRIu64, lost);
		s[n].attr = lost ? attr_of(a, CP_ERR, A_BOLD) : 0;
		s[n++].prio = 0;
		if (a->paused) {
			snprintf(s[n].text, sizeof(s[n].text), "PAUSED");
			s[n].attr = attr_of(a, CP_ERR, A_BOLD | A_REVERSE);
		} else {
			char iv[32];
			fmt_dur(iv, sizeof(iv), (uint64_t)a->interval_ms * 1000000ULL);
			snprintf(s[n].text, sizeof(s[n].text), "Every %s", iv);
		}
		s[n++].prio = 0;
	} else {
		snprintf(s[n].text, sizeof(s[n].text), "Source: %s%s", base,
		         a->pk ? " +packets" : "");
		s[n++].prio = 3;
		snprintf(s[n].text, sizeof(s[n].text), "%" PRIu64 " evts, %s", nev, d);
		s[n++].prio = 2;
	}
	if (a->feed_running && !a->live) {
		double p = ff_tuifeed_progress(a->feed);
		snprintf(s[n].text, sizeof(s[n].text), "reading %.0f%%", p * 100);
		s[n++].prio = 0;
	} else if (a->feed_err[0]) {
		snprintf(s[n].text, sizeof(s[n].text), "read error");
		s[n].attr = attr_of(a, CP_ERR, A_BOLD);
		s[n++].prio = 0;
	}
	draw_segs(0, s, n, a->W, attr_of(a, CP_HDR, A_REVERSE));

	/* line 2: filter, time, alerts (or a message) */
	n = 0;
	memset(s, 0, sizeof(s));
	if (a->filter_err[0] && a->mode == M_PROMPT && a->prompt == P_FILTER) {
		snprintf(s[n].text, sizeof(s[n].text), "Filter error: %s", a->filter_err);
		s[n].attr = attr_of(a, CP_ERR, A_BOLD);
		s[n++].prio = 0;
	} else {
		if (a->filter[0]) {
			char ft[80];
			size_t fl = strlen(a->filter);
			if (fl > 60)
				snprintf(ft, sizeof(ft), "%.57s...", a->filter);
			else
				snprintf(ft, sizeof(ft), "%s", a->filter);
			snprintf(s[n].text, sizeof(s[n].text), "Filter: %s", ft);
		} else {
			snprintf(s[n].text, sizeof(s[n].text), "Filter: none");
		}
		s[n++].prio = a->live ? 2 : 1;
		if (a->win_ns && a->live && a->follow) {
			char w[32];
			fmt_dur(w, sizeof(w), a->win_ns);
			snprintf(s[n].text, sizeof(s[n].text), "Time: last %s", w);
		} else if (a->win_ns) {
			char t[32], w[32];
			fmt_tod(t, sizeof(t), a->cur_ts);
			fmt_dur(w, sizeof(w), a->win_ns);
			snprintf(s[n].text, sizeof(s[n].text), "Time: %s window %s", t, w);
		} else {
			snprintf(s[n].text, sizeof(s[n].text),
			         a->live ? "Time: all held" : "Time: all");
		}
		s[n++].prio = a->live ? 1 : 0;
		if (a->rules) {
			alerts_text(a, s[n].text, sizeof(s[n].text));
			s[n].attr = ff_tuimodel_nalerts(a->m) ? attr_of(a, CP_CRIT, A_BOLD) : 0;
			s[n++].prio = a->live ? 0 : 2;
		} else {
			snprintf(s[n].text, sizeof(s[n].text), "Alerts: off");
			s[n++].prio = 3;
		}
		uint64_t nbad = 0;
		const char *wmsg = a->feed ? ff_tuifeed_warning(a->feed, &nbad) : NULL;
		if (wmsg && !a->feed_err[0]) {
			snprintf(s[n].text, sizeof(s[n].text),
			         "%" PRIu64 " bad events skipped: %.500s", nbad, wmsg);
			s[n].attr = attr_of(a, CP_ERR, A_BOLD);
			s[n++].prio = 0;
		}
		if (a->feed_err[0]) {
			snprintf(s[n].text, sizeof(s[n].text), "%.590s", a->feed_err);
			s[n].attr = attr_of(a, CP_ERR, A_BOLD);
			s[n++].prio = 0;
		}
		if (a->msg[0]) {
			snprintf(s[n].text, sizeof(s[n].text), "%s", a->msg);
			s[n].attr = A_BOLD;
			s[n++].prio = 0;
		}
	}
	draw_segs(1, s, n, a->W, A_NORMAL);
}

static void draw_timeline(struct app *a, int y)
{
	int w = a->W - 2;
	attrset(A_NORMAL);
	fill(y, 0, a->W);
	if (w < 4)
		return;
	uint64_t f = cap_first(a), l = cap_last(a);
	const uint64_t *tl = ff_tuimodel_timeline(a->m);
	const uint32_t *atl = ff_tuimodel_alert_timeline(a->m);
	uint64_t base = ff_tuimodel_base_ts(a->m), bw = ff_tuimodel_bucket_ns(a->m);
	uint64_t span = l > f ? l - f + 1 : 1;
	uint64_t cnt[512] = { 0 };
	uint32_t al[512] = { 0 };
	if (w > 512)
		w = 512;
	for (unsigned b = 0; bw && b < FF_TUI_NBUCKETS; b++) {
		if (!tl[b] && !atl[b])
			continue;
		uint64_t t = base + b * bw;
		uint64_t x = t < f ? 0 : (t - f) * (uint64_t)w / span;
		if (x >= (uint64_t)w)
			x = (uint64_t)w - 1;
		cnt[x] += tl[b];
		al[x] += atl[b];
	}
	uint64_t mx = 1;
	for (int i = 0; i < w; i++)
		if (cnt[i] > mx)
			mx = cnt[i];
	struct ff_tuiwin win = window(a);
	static const char lv[] = " .:-=+*#%@";
	mvaddch(y, 0, '[');
	uint64_t read_to = ff_tuimodel_last_ts(a->m);
	for (int i = 0; i < w; i++) {
		uint64_t t0 = f + span * (uint64_t)i / (uint64_t)w;
		uint64_t t1 = f + span * (uint64_t)(i + 1) / (uint64_t)w - 1;
		int c = cnt[i] ? 1 + (int)((cnt[i] * 8) / mx) : 0;
		char ch = lv[c > 9 ? 9 : c];
		int at = A_NORMAL;
		if (al[i]) {
			ch = '!';
			at = attr_of(a, CP_ALERTMARK, A_BOLD);
		} else if (a->feed_running && !a->live && t0 > read_to) {
			ch = '_'; /* not read yet */
			at = attr_of(a, CP_DIM, A_DIM);
		}
		if (a->win_ns && t1 >= win.t0 && t0 <= win.t1)
			at = attr_of(a, CP_WIN, A_REVERSE);
		if (a->win_ns && a->cur_ts >= t0 && a->cur_ts <= t1)
			at = attr_of(a, CP_CURSOR, A_REVERSE | A_BOLD);
		attrset(at);
		mvaddch(y, 1 + i, (chtype)(unsigned char)ch);
	}
	attrset(A_NORMAL);
	mvaddch(y, 1 + w, ']');
}

static void col_layout(struct app *a, const struct view *v, int *x, int *wd)
{
	int pos = 0;
	for (int c = 0; c < v->ncols; c++) {
		x[c] = pos;
		int w = v->cols[c].w;
		if (w < 0 || c == v->ncols - 1)
			w = a->W - pos;
		if (w < 0)
			w = 0;
		wd[c] = w;
		pos += w + 1;
	}
}

static void draw_footer(struct app *a)
{
	int y = a->H - 1;
	if (a->mode == M_PROMPT) {
		const char *lab = a->prompt == P_FILTER   ? "Filter: "
		                  : a->prompt == P_SEARCH ? "Search: "
		                                          : "Go to time (HH:MM:SS.fff or +SEC): ";
		attrset(A_NORMAL);
		fill(y, 0, a->W);
		attrset(attr_of(a, CP_HDR, A_REVERSE));
		put(y, 0, lab, a->W);
		attrset(A_NORMAL);
		int x = (int)strlen(lab);
		int room = a->W - x - 1;
		const char *t = a->pbuf;
		if ((int)a->plen > room && room > 0)
			t += a->plen - (size_t)room; /* keep the cursor end visible */
		put(y, x, t, room);
		move(y, x + (int)strlen(t) < a->W ? x + (int)strlen(t) : a->W - 1);
		return;
	}
	/* live: 1 only for captures, 2 only live */
	static const struct {
		const char *k, *l;
		int prio, live;
	} keys[] = { { "F1", "Help", 0, 0 },  { "F2", "Views", 0, 0 },  { "F4", "Filter", 0, 0 },
		     { "F9", "Sort", 1, 0 },  { "^F", "Search", 2, 0 }, { "[]", "Time", 1, 0 },
		     { "w", "Window", 3, 1 }, { "t", "Tree", 4, 1 },    { "p", "Pause", 1, 2 },
		     { "+-", "Delay", 3, 2 }, { "q", "Quit", 0, 0 } };
	char pos[48];
	size_t n = item_count(a);
	snprintf(pos, sizeof(pos), "%zu/%zu", n ? (size_t)cur(a)->sel + 1 : 0, n);
	int posw = (int)strlen(pos);
	int nk = (int)(sizeof(keys) / sizeof(keys[0]));
	int keep[16] = { 0 }, used = 0;
	for (int p = 0; p < 5; p++)
		for (int i = 0; i < nk; i++) {
			if (keys[i].prio != p || keys[i].live == (a->live ? 1 : 2))
				continue;
			int len = (int)(strlen(keys[i].k) + strlen(keys[i].l)) + 1;
			if (used + len + posw + 1 <= a->W) {
				keep[i] = 1;
				used += len;
			}
		}
	attrset(A_NORMAL);
	fill(y, 0, a->W);
	int x = 0;
	for (int i = 0; i < nk; i++) {
		if (!keep[i])
			continue;
		attrset(A_BOLD);
		put(y, x, keys[i].k, a->W - x);
		x += (int)strlen(keys[i].k);
		attrset(attr_of(a, CP_HDR, A_REVERSE));
		put(y, x, keys[i].l, a->W - x);
		x += (int)strlen(keys[i].l);
		attrset(A_NORMAL);
		x++;
	}
	if (a->W - posw > x)
		put(y, a->W - posw, pos, posw);
}

static void draw_picker(struct app *a, const char *title, const char *const *items, int n,
                        const char *desc)
{
	int w = 0;
	for (int i = 0; i < n; i++)
		if ((int)strlen(items[i]) > w)
			w = (int)strlen(items[i]);
	if ((int)strlen(title) > w)
		w = (int)strlen(title);
	w += 4;
	if (w > a->W)
		w = a->W;
	int h = n + 2;
	if (h > a->H - 3)
		h = a->H - 3;
	int y0 = 3, x0 = 0;
	/* the picker and its description own these lines */
	attrset(A_NORMAL);
	for (int y = y0; y < a->H - 1 && y < y0 + h + 1; y++)
		fill(y, 0, a->W);
	attrset(attr_of(a, CP_COLS, A_REVERSE));
	fill(y0, x0, w);
	put(y0, x0 + 1, title, w - 2);
	int top = a->pick_sel >= h - 2 ? a->pick_sel - (h - 3) : 0;
	for (int i = 0; i < h - 2 && top + i < n; i++) {
		int idx = top + i;
		attrset(idx == a->pick_sel ? attr_of(a, CP_SEL, A_REVERSE) : (int)A_NORMAL);
		fill(y0 + 1 + i, x0, w);
		put(y0 + 1 + i, x0 + 1, items[idx], w - 2);
	}
	attrset(A_NORMAL);
	/* description to the right of the list */
	if (desc && a->W - w - 2 > 20) {
		int dx = w + 2, dw = a->W - dx, y = y0 + 1;
		const char *p = desc;
		while (*p && y < a->H - 2) {
			int l = (int)strlen(p);
			if (l > dw) {
				l = dw;
				while (l > 0 && p[l] != ' ')
					l--;
				if (!l)
					l = dw;
			}
			fill(y, dx, dw);
			move(y, dx);
			addnstr(p, l);
			p += l;
			while (*p == ' ')
				p++;
			y++;
		}
	}
}

static const char *const help_lines[] = {
	"falco-tui keys",
	"",
	"  F1 h ?        this help (any key closes it)",
	"  F2 v          pick a view (1-9, 0 in the list); keeps the drill-down scope",
	"  Enter         drill down: process -> its events; file, directory, connection,",
	"                port, syscall, error -> their events; container -> its processes;",
	"                alert -> the events around it and the process ancestry",
	"  Backspace     back up one drill-down level",
	"  F4 /          filter with the filter language (proc.name=curl and fd.name",
	"                contains /etc); errors show above the prompt; empty clears",
	"  F9 >          sort by a column (again: reverse)",
	"  ^F            search the rows; F3 n  next match",
	"  t             processes: tree / flat",
	"  [ ]           time: step the window back / forward",
	"  { }           time: jump ten windows back / forward",
	"  w             time: window width (1ms .. 1h, then the whole capture)",
	"  g             time: go to a time (HH:MM:SS.fff or +SECONDS from the start)",
	"  a             time: back to the whole capture (live: all that is held)",
	"  p             live: pause / resume the refresh (events are still taken)",
	"  + -           live: refresh interval longer / shorter (0.5s .. 60s)",
	"  Up Down PgUp PgDn Home End   move;  Left Right  scroll long lines",
	"  F10 q         quit",
	"",
	"Views: Alerts, Processes, Files, Directories, Connections, Server Ports,",
	"System Calls, Errors, Containers, Events (sysdig's line).  With packets beside",
	"the capture, Enter on a connection: its flow and packets; on a packet: hex.",
	"Live: views show the last interval; [ ] go back (128 s held), ] to now follows.",
	NULL,
};

static void draw_help(struct app *a)
{
	erase();
	int y = 0;
	for (int i = 0; help_lines[i] && y < a->H; i++, y++) {
		attrset(i == 0 ? A_BOLD : A_NORMAL);
		put(y, 0, help_lines[i], a->W);
	}
	attrset(A_NORMAL);
	if (y + 1 < a->H) {
		char b[600];
		snprintf(b, sizeof(b), "Filter fields: %s", ff_tuifilter_fields());
		/* wrap */
		const char *p = b;
		y++;
		while (*p && y < a->H) {
			int l = (int)strlen(p);
			if (l > a->W) {
				l = a->W;
				while (l > 0 && p[l] != ' ')
					l--;
				if (!l)
					l = a->W;
			}
			move(y, 0);
			addnstr(p, l);
			p += l;
			while (*p == ' ')
				p++;
			y++;
		}
	}
}

static void draw_body(struct app *a, int y0, int y1)
{
	struct frame *f = cur(a);
	const struct view *v = &views[f->view];
	int xs[16], ws[16];
	int rows = y1 - y0;
	size_t n = item_count(a);

	/* column titles */
	attrset(attr_of(a, CP_COLS, A_REVERSE));
	fill(y0 - 1, 0, a->W);
	if (V_LINES(v->vk)) {
		put(y0 - 1, 0,
		    v->vk == V_ALERT  ? "ALERT DETAIL"
		    : v->vk == V_CONN ? "CONNECTION: FLOW AND PACKETS"
		    : v->vk == V_PKT  ? "PACKET: HEX AND ASCII"
		                      : "EVT.NUM TIME CPU PROCESS (TID) DIR TYPE ARGS",
		    a->W);
	} else {
		col_layout(a, v, xs, ws);
		for (int c = 0; c < v->ncols; c++) {
			char t[64];
			const struct col *cc = &v->cols[c];
			snprintf(t, sizeof(t), "%s%s", cc->title,
			         c == f->sortcol && v->vk == V_MODEL ? (f->sortdesc ? "v" : "^")
			                                             : "");
			int tl = (int)strlen(t);
			int right = cc->fmt != F_STR && cc->w > 0;
			int x = right && tl < ws[c] ? xs[c] + ws[c] - tl : xs[c];
			put(y0 - 1, x, t, a->W - x);
		}
	}
	attrset(A_NORMAL);

	if (f->sel >= (int)n)
		f->sel = n ? (int)n - 1 : 0;
	if (f->sel < 0)
		f->sel = 0;
	if (f->top > f->sel)
		f->top = f->sel;
	if (f->sel >= f->top + rows)
		f->top = f->sel - rows + 1;
	if (f->top < 0)
		f->top = 0;

	for (int i = 0; i < rows; i++) {
		size_t idx = (size_t)(f->top + i);
		int y = y0 + i;
		attrset(A_NORMAL);
		fill(y, 0, a->W);
		if (idx >= n)
			continue;
		int selected = (int)idx == f->sel;
		int base = selected ? attr_of(a, CP_SEL, A_REVERSE) : (int)A_NORMAL;
		if (v->vk == V_ALERTS) {
			const struct ff_tuialert *al = ff_tuimodel_alert(a->m, a->aidx[idx]);
			char t[32];
			const char *cells[6];
			fmt_tod(t, sizeof(t), al->ts);
			cells[0] = t;
			cells[1] = ff_tui_priority_name(al->priority);
			cells[2] = al->rule;
			cells[3] = al->comm;
			cells[4] = al->container[0] ? al->container : "host";
			cells[5] = al->output;
			col_layout(a, v, xs, ws);
			attrset(base);
			fill(y, 0, a->W);
			for (int c = 0; c < 6; c++) {
				attrset(c == 1 && !selected ? prio_attr(a, al->priority) : base);
				put(y, xs[c], cells[c], ws[c]);
			}
		} else if (V_LINES(v->vk)) {
			const struct evline *l = &a->ev.v[idx];
			int at = base;
			if (!selected && l->hdr)
				at = A_BOLD;
			if (!selected && (int)idx == a->ev.mark)
				at = attr_of(a, CP_CRIT, A_BOLD);
			attrset(at);
			fill(y, 0, a->W);
			size_t tl = strlen(l->text);
			put(y, 0, (size_t)f->hs < tl ? l->text + f->hs : "", a->W);
		} else {
			const struct ff_tuirow *r = &a->rows.v[idx];
			col_layout(a, v, xs, ws);
			attrset(base);
			fill(y, 0, a->W);
			for (int c = 0; c < v->ncols; c++) {
				char t[512];
				const struct col *cc = &v->cols[c];
				col_text(a, cc, r, t, sizeof(t));
				int x = xs[c], w = ws[c];
				if (cc->src == S_CMD && r->depth) {
					/* tree indentation */
					char ind[600];
					snprintf(ind, sizeof(ind), "%*s`- %s", (r->depth - 1) * 2,
					         "", t);
					scpy(t, sizeof(t), ind);
				}
				int tl = (int)strlen(t);
				if (cc->fmt != F_STR && cc->w > 0 && tl < w)
					x += w - tl;
				if (cc->src == S_CTR && cc->ctr == FF_TC_ERRORS && r->c[cc->ctr] &&
				    !selected)
					attrset(attr_of(a, CP_CRIT, A_BOLD));
				const char *shown = t;
				if (cc->w < 0 && f->hs > 0)
					shown = f->hs < tl ? t + f->hs : "";
				put(y, x, shown, w - (x - xs[c]));
				attrset(base);
			}
		}
	}
	attrset(A_NORMAL);
	/* why a view is empty */
	if (!n && rows > 2) {
		const char *why = NULL;
		char b[600];
		if (v->vk == V_ALERTS && !a->rules) {
			snprintf(b, sizeof(b), "No alerts: %s", a->rules_msg);
			why = b;
		} else if (V_LINES(v->vk) && a->ev.err[0]) {
			snprintf(b, sizeof(b), "%s", a->ev.err);
			why = b;
		} else if (a->live) {
			why = a->ev.running ? "Reading..." : "Nothing in this window yet";
		} else if (a->feed_running || a->ev.running) {
			why = "Reading...";
		} else {
			why = "No data for this view";
		}
		attrset(A_BOLD);
		int l = (int)strlen(why);
		put(y0 + rows / 2, l < a->W ? (a->W - l) / 2 : 0, why, a->W);
		attrset(A_NORMAL);
	}
}

static void draw(struct app *a)
{
	getmaxyx(stdscr, a->H, a->W);
	if (a->mode == M_HELP) {
		draw_help(a);
		refresh();
		return;
	}
	erase();
	if (a->H < 6 || a->W < 20) {
		put(0, 0, "terminal too small", a->W);
		refresh();
		return;
	}
	draw_header(a);
	draw_timeline(a, 2);
	reload_rows(a);
	draw_body(a, 4, a->H - 1);
	draw_footer(a);
	if (a->mode == M_PICK_VIEW) {
		const char *items[VI_MAX];
		char buf[VI_MAX][48];
		int n = 0;
		for (int i = 0; i < VI_ALERT; i++) {
			snprintf(buf[n], sizeof(buf[n]), "%c %s", views[i].key, views[i].name);
			items[n] = buf[n];
			n++;
		}
		draw_picker(a, "Select View", items, n, views[a->pick_sel].desc);
	} else if (a->mode == M_PICK_SORT) {
		const struct view *v = &views[cur(a)->view];
		const char *items[16];
		for (int i = 0; i < v->ncols; i++)
			items[i] = v->cols[i].title;
		draw_picker(a, "Sort by", items, v->ncols, NULL);
	}
	if (a->mode != M_PROMPT)
		curs_set(0);
	else
		curs_set(1);
	refresh();
	if (!a->first_screen_done) {
		a->first_screen_done = 1;
		if (a->o->bench_first_screen) {
			struct timespec t;
			clock_gettime(CLOCK_MONOTONIC, &t);
			double ms = (double)(t.tv_sec - a->t_start.tv_sec) * 1e3 +
			            (double)(t.tv_nsec - a->t_start.tv_nsec) / 1e6;
			a->quit = 1;
			/* printed after endwin() by ff_tui_run */
			a->msg[0] = 0;
			snprintf(a->msg, sizeof(a->msg),
			         "first screen %.1f ms, %" PRIu64 " events read", ms,
			         ff_tuimodel_nevents(a->m));
		}
	}
}

/* ---- actions ---- */

static void push(struct app *a, int view)
{
	if (a->depth + 1 >= MAX_DEPTH)
		return;
	struct frame *f = cur(a);
	a->depth++;
	struct frame *n = cur(a);
	*n = *f;
	n->view = view;
	n->sel = n->top = n->hs = 0;
	n->sel_key[0] = 0;
	n->sortcol = views[view].sortcol;
	n->sortdesc = views[view].sortdesc;
	n->tree = f->tree;
}

static void set_view(struct app *a, int view)
{
	struct frame *f = cur(a);
	if (f->view == view)
		return;
	/* switching views keeps the scope: the same frame, another view */
	f->view = view;
	f->sel = f->top = f->hs = 0;
	f->sel_key[0] = 0;
	f->sortcol = views[view].sortcol;
	f->sortdesc = views[view].sortdesc;
}

static void drill(struct app *a)
{
	struct frame *f = cur(a);
	const struct view *v = &views[f->view];
	size_t n = item_count(a);
	if (!n || (size_t)f->sel >= n)
		return;
	if (v->vk == V_ALERTS) {
		long idx = (long)a->aidx[f->sel];
		push(a, VI_ALERT);
		cur(a)->alert = idx;
		return;
	}
	if (v->vk == V_CONN) {
		const struct evline *l = &a->ev.v[f->sel];
		if (l->hdr || !l->num)
			return;
		push(a, VI_PKT);
		cur(a)->pkt = (long)l->num - 1;
		return;
	}
	if (v->vk == V_PKT)
		return;
	if (v->vk == V_EVENTS || v->vk == V_ALERT) {
		const struct evline *l = &a->ev.v[f->sel];
		if (l->pid <= 0 || (f->scope_kind == FF_TK_PROC && f->scope_pid == l->pid))
			return;
		const struct ff_tuiproc *p = ff_tuimodel_proc(a->m, l->pid);
		int64_t pid = l->pid;
		push(a, VI_EVENTS);
		struct frame *nf = cur(a);
		nf->scope_kind = FF_TK_PROC;
		nf->scope_pid = pid;
		snprintf(nf->scope_label, sizeof(nf->scope_label), "%s (%" PRId64 ")",
		         p ? p->comm : "?", pid);
		return;
	}
	const struct ff_tuirow *r = &a->rows.v[f->sel];
	enum ff_tui_kind k = v->kind;
	int64_t pid = r->pid;
	char key[512], label[160];
	snprintf(key, sizeof(key), "%s", r->key);
	if (k == FF_TK_PROC)
		snprintf(label, sizeof(label), "%s (%" PRId64 ")", r->key, pid);
	else
		snprintf(label, sizeof(label), "%s", r->key);
	/* a connection with packets beside the capture: its flow first */
	int to_conn = k == FF_TK_CONN && a->pk && r->conn && r->conn->family;
	struct ff_tuiconn conn = { 0 };
	uint64_t t0 = r->first_ts, t1 = r->last_ts;
	if (to_conn)
		conn = *r->conn;
	push(a, k == FF_TK_CONTAINER ? VI_PROCS : to_conn ? VI_CONN : VI_EVENTS);
	struct frame *nf = cur(a);
	nf->conn = conn;
	nf->conn_t0 = t0;
	nf->conn_t1 = t1;
	nf->scope_kind = k;
	nf->scope_pid = pid;
	snprintf(nf->scope_key, sizeof(nf->scope_key), "%s", key);
	snprintf(nf->scope_label, sizeof(nf->scope_label), "%s", label);
}

static void apply_filter(struct app *a, const char *text)
{
	struct ff_err err = { 0 };
	if (text[0]) {
		struct ff_tuifilter *f = NULL;
		if (ff_tuifilter_compile(&f, text, &err)) {
			snprintf(a->filter_err, sizeof(a->filter_err), "%s", err.msg);
			return; /* the prompt stays open */
		}
		ff_tuifilter_free(f);
	}
	snprintf(a->filter, sizeof(a->filter), "%s", text);
	a->filter_err[0] = 0;
	a->filter_gen++;
	a->mode = M_NORMAL;
	if (a->live) {
		/* nothing to read again: the filter applies from now on, on a
		 * clean slate (the processes and the alerts stay) */
		if (ff_tuifeed_set_filter(a->feed, a->filter, &err))
			snprintf(a->feed_err, sizeof(a->feed_err), "%s", err.msg);
		a->rows.n = 0;
		for (int i = 0; i < MAX_DEPTH; i++)
			a->st[i].sel_key[0] = 0;
		ff_tuimodel_clear_activity(a->m);
		ff_tuiring_clear(a->ring);
	} else if (start_feed(a, &err)) {
		snprintf(a->feed_err, sizeof(a->feed_err), "%s", err.msg);
	}
	for (int i = 0; i <= a->depth; i++)
		a->st[i].sel = a->st[i].top = 0;
	a->ev.sig[0] = 0;
}

static void search(struct app *a, int from_next)
{
	size_t n = item_count(a);
	char b[2048];
	if (!a->search[0] || !n)
		return;
	size_t start = (size_t)cur(a)->sel + (from_next ? 1 : 0);
	for (size_t k = 0; k < n; k++) {
		size_t i = (start + k) % n;
		item_text(a, i, b, sizeof(b));
		if (strcasestr(b, a->search)) {
			cur(a)->sel = (int)i;
			snprintf(a->msg, sizeof(a->msg), "found \"%.200s\"", a->search);
			return;
		}
	}
	snprintf(a->msg, sizeof(a->msg), "\"%.200s\" not found", a->search);
}

static void open_prompt(struct app *a, enum prompt p)
{
	a->mode = M_PROMPT;
	a->prompt = p;
	const char *init = p == P_FILTER ? a->filter : (p == P_SEARCH ? a->search : "");
	snprintf(a->pbuf, sizeof(a->pbuf), "%s", init);
	a->plen = strlen(a->pbuf);
	a->filter_err[0] = 0;
}

static void key_prompt(struct app *a, int ch)
{
	if (ch == 27) {
		a->mode = M_NORMAL;
		a->filter_err[0] = 0;
		return;
	}
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
		if (a->prompt == P_FILTER) {
			apply_filter(a, a->pbuf);
		} else if (a->prompt == P_SEARCH) {
			scpy(a->search, sizeof(a->search), a->pbuf);
			a->mode = M_NORMAL;
			search(a, 0);
		} else {
			uint64_t t;
			if (parse_time(a, a->pbuf, &t) == 0) {
				time_enter_window(a);
				a->follow = 0;
				a->cur_ts = t;
				a->mode = M_NORMAL;
			} else {
				snprintf(a->msg, sizeof(a->msg), "bad time '%.200s'", a->pbuf);
				a->mode = M_NORMAL;
			}
		}
		return;
	}
	if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
		if (a->plen)
			a->pbuf[--a->plen] = 0;
	} else if (ch == 21) { /* ^U */
		a->plen = 0;
		a->pbuf[0] = 0;
	} else if (ch >= 32 && ch < 256 && a->plen + 1 < sizeof(a->pbuf)) {
		a->pbuf[a->plen++] = (char)ch;
		a->pbuf[a->plen] = 0;
	}
	if (a->prompt == P_FILTER)
		a->filter_err[0] = 0;
	if (a->prompt == P_SEARCH) { /* incremental */
		scpy(a->search, sizeof(a->search), a->pbuf);
		search(a, 0);
	}
}

static void key_picker(struct app *a, int ch)
{
	int n = a->mode == M_PICK_VIEW ? VI_ALERT : views[cur(a)->view].ncols;
	if (ch == 27 || ch == 'q') {
		a->mode = M_NORMAL;
		return;
	}
	if (ch == KEY_UP && a->pick_sel > 0)
		a->pick_sel--;
	else if (ch == KEY_DOWN && a->pick_sel + 1 < n)
		a->pick_sel++;
	else if (ch == KEY_HOME)
		a->pick_sel = 0;
	else if (ch == KEY_END)
		a->pick_sel = n - 1;
	int chosen = -1;
	if (ch == '\n' || ch == '\r' || ch == KEY_ENTER)
		chosen = a->pick_sel;
	if (a->mode == M_PICK_VIEW)
		for (int i = 0; i < VI_ALERT; i++)
			if (ch == views[i].key)
				chosen = i;
	if (chosen < 0)
		return;
	if (a->mode == M_PICK_VIEW) {
		set_view(a, chosen);
	} else {
		struct frame *f = cur(a);
		if (f->sortcol == chosen)
			f->sortdesc = !f->sortdesc;
		else {
			f->sortcol = chosen;
			f->sortdesc = views[f->view].cols[chosen].fmt != F_STR;
		}
	}
	a->mode = M_NORMAL;
}

/* live: the refresh interval steps up or down; the window of the views
 * follows it when it was the interval */
static void set_interval(struct app *a, int dir)
{
	static const unsigned steps[] = { 500, 1000, 2000, 5000, 10000, 30000, 60000 };
	const size_t n = sizeof(steps) / sizeof(steps[0]);
	unsigned old = a->interval_ms, nv = old;
	if (dir > 0) {
		for (size_t i = 0; i < n && nv == old; i++)
			if (steps[i] > old)
				nv = steps[i];
	} else {
		for (size_t i = n; i-- > 0 && nv == old;)
			if (steps[i] < old)
				nv = steps[i];
	}
	a->interval_ms = nv;
	if (a->win_ns == (uint64_t)old * 1000000ULL) {
		a->win_ns = (uint64_t)nv * 1000000ULL;
		live_follow(a);
	}
	char d[32];
	fmt_dur(d, sizeof(d), (uint64_t)nv * 1000000ULL);
	snprintf(a->msg, sizeof(a->msg), "refresh every %s", d);
}

static void key_normal(struct app *a, int ch)
{
	struct frame *f = cur(a);
	int page = a->H - 6 > 1 ? a->H - 6 : 1;
	int n = (int)item_count(a);
	a->msg[0] = 0;
	switch (ch) {
	case 'q':
	case KEY_F(10):
		a->quit = 1;
		break;
	case KEY_F(1):
	case 'h':
	case '?':
		a->mode = M_HELP;
		break;
	case KEY_F(2):
	case 'v':
		a->mode = M_PICK_VIEW;
		a->pick_sel = f->view < VI_ALERT ? f->view : VI_EVENTS;
		break;
	case KEY_F(4):
	case '/':
		open_prompt(a, P_FILTER);
		break;
	case 6: /* ^F */
		open_prompt(a, P_SEARCH);
		break;
	case KEY_F(3):
	case 'n':
		search(a, 1);
		break;
	case KEY_F(9):
	case '>':
		if (views[f->view].vk == V_MODEL) {
			a->mode = M_PICK_SORT;
			a->pick_sel = f->sortcol;
		}
		break;
	case 't':
		f->tree = !f->tree;
		break;
	case KEY_UP:
	case 'k':
		f->sel--;
		break;
	case KEY_DOWN:
	case 'j':
		f->sel++;
		break;
	case KEY_PPAGE:
		f->sel -= page;
		break;
	case KEY_NPAGE:
	case ' ':
		f->sel += page;
		break;
	case KEY_HOME:
		f->sel = 0;
		break;
	case KEY_END:
		f->sel = n - 1;
		break;
	case KEY_LEFT:
		f->hs = f->hs >= 8 ? f->hs - 8 : 0;
		break;
	case KEY_RIGHT:
		f->hs += 8;
		break;
	case '\n':
	case '\r':
	case KEY_ENTER:
		drill(a);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (a->depth > 0)
			a->depth--;
		break;
	case '[':
		time_step(a, -1);
		break;
	case ']':
		time_step(a, 1);
		break;
	case '{':
		time_step(a, -10);
		break;
	case '}':
		time_step(a, 10);
		break;
	case 'w':
		time_cycle_width(a);
		break;
	case 'a':
		a->win_ns = 0;
		a->follow = 1;
		break;
	case 'g':
		open_prompt(a, P_TIME);
		break;
	case 'p':
		if (!a->live) {
			snprintf(a->msg, sizeof(a->msg), "p pauses live views (--live)");
			break;
		}
		a->paused = !a->paused;
		if (!a->paused) { /* back to now at once */
			a->ts_now = wall_ns();
			live_follow(a);
			a->tick++;
		}
		break;
	case '+':
	case '-':
		if (!a->live) {
			snprintf(a->msg, sizeof(a->msg), "+ and - set the live refresh (--live)");
			break;
		}
		set_interval(a, ch == '+' ? 1 : -1);
		break;
	default:
		break;
	}
	if (f->sel < 0)
		f->sel = 0;
}

static void handle_key(struct app *a, int ch)
{
	if (ch == KEY_RESIZE) {
		getmaxyx(stdscr, a->H, a->W);
		clearok(curscr, TRUE);
		return;
	}
	switch (a->mode) {
	case M_HELP:
		a->mode = M_NORMAL;
		break;
	case M_PROMPT:
		key_prompt(a, ch);
		break;
	case M_PICK_VIEW:
	case M_PICK_SORT:
		key_picker(a, ch);
		break;
	default:
		key_normal(a, ch);
		break;
	}
}

static void init_colors(struct app *a)
{
	if (!has_colors())
		return;
	start_color();
	use_default_colors();
	a->color = 1;
	init_pair(CP_HDR, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_COLS, COLOR_BLACK, COLOR_GREEN);
	init_pair(CP_SEL, COLOR_BLACK, COLOR_CYAN);
	init_pair(CP_CRIT, COLOR_RED, -1);
	init_pair(CP_WARN, COLOR_YELLOW, -1);
	init_pair(CP_NOTICE, COLOR_CYAN, -1);
	init_pair(CP_INFO, COLOR_GREEN, -1);
	init_pair(CP_ERR, COLOR_WHITE, COLOR_RED);
	init_pair(CP_WIN, COLOR_BLACK, COLOR_YELLOW);
	init_pair(CP_CURSOR, COLOR_WHITE, COLOR_RED);
	init_pair(CP_ALERTMARK, COLOR_RED, -1);
	init_pair(CP_DIM, COLOR_BLUE, -1);
}

static int find_view(const char *id)
{
	for (int i = 0; i < VI_ALERT; i++)
		if (strcmp(views[i].id, id) == 0)
			return i;
	return -1;
}

/* Packets beside the capture: --pcap, else CAPTURE.pcap or CAPTURE.pcapng. */
static int open_packets(struct app *a, struct ff_err *err)
{
	char beside[4096];
	const char *path = a->o->pcap;
	struct stat sb;
	if (!path) {
		static const char *const ext[] = { ".pcap", ".pcapng" };
		for (int i = 0; i < 2 && !path; i++) {
			snprintf(beside, sizeof(beside), "%s%s", a->o->path, ext[i]);
			if (stat(beside, &sb) == 0)
				path = beside;
		}
		if (!path)
			return 0;
	}
	struct ff_err perr = { 0 };
	int rc = ff_tuipkt_open(&a->pk, path, &perr);
	if (rc && a->o->pcap) /* asked for: say why not, before the screen */
		return ff_errf(err, rc, "%s", perr.msg);
	if (rc) /* a damaged file beside: the connection view says so */
		snprintf(a->pk_err, sizeof(a->pk_err), "%s", perr.msg);
	a->pk_running = a->pk != NULL;
	return 0;
}

/* live: a new interval's screen */
static void live_tick(struct app *a)
{
	a->last_tick = now_ms();
	if (a->paused) {
		/* the screen stays; what slid out is still freed */
		reload_rows(a);
		return;
	}
	a->ts_now = wall_ns();
	live_follow(a);
	a->tick++;
	ev_sync(a);
	draw(a);
}

int ff_tui_run(const struct ff_tui_opts *o, struct ff_err *err)
{
	struct app *a = calloc(1, sizeof(*a));
	struct ff_err rerr = { 0 };
	int rc = 0, start_view = VI_PROCS;

	if (!a)
		return ff_errf(err, -ENOMEM, "out of memory");
	clock_gettime(CLOCK_MONOTONIC, &a->t_start);
	a->o = o;
	a->ev.mark = -1;
	a->live = o->live;
	a->follow = 1;
	a->interval_ms = o->interval_ms ? o->interval_ms : 2000;
	if (o->filter)
		snprintf(a->filter, sizeof(a->filter), "%s", o->filter);
	if (o->view && (start_view = find_view(o->view)) < 0) {
		rc = ff_errf(err, -EINVAL, "unknown view '%s'", o->view);
		goto out;
	}
	if (a->filter[0]) {
		struct ff_tuifilter *tf = NULL;
		rc = ff_tuifilter_compile(&tf, a->filter, err);
		if (rc) {
			ff_err_prefix(err, "filter: ");
			goto out;
		}
		ff_tuifilter_free(tf);
	}
	if (ff_tuirules_open(&a->rules, o->rules, o->nrules, &rerr)) {
		a->rules = NULL;
		snprintf(a->rules_msg, sizeof(a->rules_msg), "%s", rerr.msg);
		if (o->nrules) { /* asked for rules explicitly: say why not */
			rc = ff_errf(err, rerr.code ? rerr.code : -EINVAL, "%s", rerr.msg);
			goto out;
		}
	}
	if (!o->view)
		start_view = a->rules ? VI_ALERTS : VI_PROCS;
	if (a->live) {
		struct ff_tuiring_opts ro = { LIVE_RING_EVENTS, LIVE_RING_BYTES, LIVE_TAIL_PROCS,
			                      LIVE_TAIL_EVENTS };
		if (ff_tuiring_new(&a->ring, &ro)) {
			rc = ff_errf(err, -ENOMEM, "out of memory");
			goto out;
		}
		a->win_ns = (uint64_t)a->interval_ms * 1000000ULL;
	}
	rc = start_feed(a, err);
	if (rc) {
		if (a->live) {
			/* the driver's failure is no usage error */
			if (rc == -EINVAL)
				rc = err->code = -EIO;
			ff_err_prefix(err, "live: ");
		}
		goto out;
	}
	if (!a->live && (rc = open_packets(a, err)))
		goto out;
	for (int i = 0; i < MAX_DEPTH; i++)
		a->st[i].scope_kind = FF_TK_MAX;
	a->st[0].view = start_view;
	a->st[0].sortcol = views[start_view].sortcol;
	a->st[0].sortdesc = views[start_view].sortdesc;
	a->st[0].alert = -1;

	/* a first slice before the screen: a file that is no capture at all
	 * fails here, on the terminal the user typed the command in */
	feed_slice(a);
	if (a->feed_err[0] && !ff_tuifeed_nread(a->feed)) {
		rc = ff_errf(err, -EBADMSG, "%s", a->feed_err);
		goto out;
	}

	setlocale(LC_ALL, "");
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	if (!initscr()) {
		rc = ff_errf(err, -ENOTTY, "cannot initialise the terminal");
		goto out;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	init_colors(a);
	curs_set(0);
	/* no SA_RESTART: getch() returns and the loop sees the flag */
	struct sigaction sa, old_int, old_term, old_hup;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	g_stop = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);

	a->ts_now = wall_ns();
	live_follow(a);
	draw(a);
	uint64_t last_draw = now_ms();
	a->last_tick = last_draw;
	while (!a->quit && !g_stop) {
		if (a->live) {
			/* the feed waits (LIVE_POLL_MS) when the system is idle */
			timeout(a->feed_running ? 0 : 200);
			int ch = getch();
			if (ch != ERR) {
				handle_key(a, ch);
				ev_sync(a);
				draw(a);
				continue;
			}
			uint64_t t0 = now_ms();
			while (now_ms() - t0 < LIVE_BUDGET_MS && !g_stop && feed_slice(a))
				;
			/* over the memory budget: free what can go, without waiting
			 * for the next refresh (at most twice a second) */
			if (ff_tuimodel_pressure(a->m) && now_ms() - last_draw >= 500) {
				reload_rows(a);
				last_draw = now_ms();
			}
			if (now_ms() - a->last_tick >= a->interval_ms)
				live_tick(a);
			else if (!a->feed_running && a->feed_err[0] && !a->paused)
				draw(a); /* the failure shows at once */
			continue;
		}
		int busy = a->feed_running || a->ev.running || a->pk_running || a->pl_running;
		timeout(busy ? 0 : 500);
		int ch = getch();
		if (ch != ERR) {
			handle_key(a, ch);
			ev_sync(a);
			draw(a);
			last_draw = now_ms();
			continue;
		}
		ev_sync(a);
		/* what the user is looking at first (an event list, a connection's
		 * packets), then the main pass, then the packets' flows */
		int in_conn = views[cur(a)->view].vk == V_CONN;
		uint64_t t0 = now_ms();
		while (now_ms() - t0 < 40 &&
		       (a->ev.running || a->feed_running || a->pk_running || a->pl_running)) {
			if (a->ev.running)
				ev_slice(a);
			else if (a->pl_running || (in_conn && a->pk_running))
				pk_slice(a);
			else if (a->feed_running)
				feed_slice(a);
			else
				pk_slice(a);
		}
		ev_sync(a);
		if (now_ms() - last_draw >= 200 || !busy ||
		    !(a->feed_running || a->ev.running || a->pk_running || a->pl_running)) {
			draw(a);
			last_draw = now_ms();
		}
	}
	endwin();
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	if (o->bench_first_screen)
		fprintf(stderr, "falco-tui: %s\n", a->msg);
out:
	ev_clear(&a->ev);
	free(a->ev.v);
	ff_tuifeed_close(a->feed);
	ff_tuimodel_free(a->m);
	ff_tuirows_free(&a->rows);
	ff_tuirules_free(a->rules);
	ff_tuiring_free(a->ring);
	ff_tuipkt_list_free(a->pl);
	ff_tuipkt_close(a->pk);
	free(a->aidx);
	ff_sbuf_free(&a->evc.line);
	ff_sbuf_free(&a->evc.scratch);
	free(a);
	return rc;
}
