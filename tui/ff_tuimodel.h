/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The data model behind falco-tui, independent of ncurses: activity
 * aggregated per process, file, directory, connection, server port, system
 * call, error and container, kept per time bucket so that any time window can
 * be summed later, plus a process table (parent chain, command line, user,
 * container), the alerts, and an event-count timeline.
 *
 * Feed it every event after ff_state_update() (ff_tuimodel_add).  Memory grows
 * with the number of distinct keys times the buckets they were active in (at
 * most FF_TUI_NBUCKETS each), never with the number of events: when the
 * stream runs past the last bucket, the bucket width doubles and neighbouring
 * buckets merge.  Strings and process records handed out stay valid
 * until ff_tuimodel_free() (live: until ff_tuimodel_prune()).
 *
 * Live (ff_tuimodel_set_live), the buckets have a fixed width and slide: the
 * model holds the last FF_TUI_NBUCKETS buckets of activity, and what slid out
 * (rows with no activity left, exited processes without rows, strings nothing
 * refers to) is freed when the caller says it is safe (ff_tuimodel_prune).
 * Alerts are kept up to a cap, the oldest dropped first.
 */
#ifndef FF_TUIMODEL_H
#define FF_TUIMODEL_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"
#include "ff_state.h"

#define FF_TUI_NBUCKETS 256u

/* What a row aggregates. */
enum ff_tui_kind {
	FF_TK_PROC = 0,  /* key: pid */
	FF_TK_FILE,      /* key: file path */
	FF_TK_DIR,       /* key: directory of the file */
	FF_TK_CONN,      /* key: connection tuple as fd.name ("a:p->b:q") */
	FF_TK_PORT,      /* key: "tcp/80": local port of server sockets */
	FF_TK_SYSCALL,   /* key: syscall (event type) name */
	FF_TK_ERROR,     /* key: errno name of failed syscalls */
	FF_TK_CONTAINER, /* key: container id, "host" outside containers */
	FF_TK_MAX
};

/* Counters of a row (over a window). */
enum ff_tui_ctr {
	FF_TC_EVTS = 0,   /* events (a syscall row counts exit events: calls) */
	FF_TC_BYTES_IN,   /* bytes read or received */
	FF_TC_BYTES_OUT,  /* bytes written or sent */
	FF_TC_OPS,        /* I/O operations on the fd (file, conn, port rows) */
	FF_TC_OPENS,      /* successful opens (file, dir rows) */
	FF_TC_ERRORS,     /* failed syscalls */
	FF_TC_TIME,       /* ns spent inside syscalls (enter to exit) */
	FF_TC_FILE_BYTES, /* file I/O bytes (process, container rows) */
	FF_TC_NET_BYTES,  /* network I/O bytes (process, container rows) */
	FF_TC_MAX
};

/* One process (by pid) as the capture describes it. */
struct ff_tuiproc {
	int64_t pid, ppid;
	char comm[32];
	char user[32];
	char container[16]; /* 12 hex chars or "host" */
	char cmdline[192];  /* exe and args, space separated */
	uint32_t nthreads;  /* distinct threads seen */
	uint64_t first_ts, last_ts;
	int exited;
};

/* An alert raised by the rule engine on one event. */
struct ff_tuialert {
	uint64_t ts;
	uint64_t evtnum;  /* sysdig's evt.num of the event that fired */
	int priority;     /* 0 emergency .. 7 debug (Falco's order) */
	const char *rule; /* interned by the model */
	const char *output;
	int64_t pid, tid;
	char comm[32];
	char container[16];
};

/* The socket behind a connection row (FF_TK_CONN), as its fd had it. */
struct ff_tuiconn {
	uint8_t family;           /* 4 or 6; 0 for other sockets (unix) */
	uint8_t l4;               /* IPPROTO_TCP, IPPROTO_UDP, or 0 */
	uint8_t sip[16], dip[16]; /* ff_fd_tuple()'s ends (v4 in the first 4 bytes) */
	uint16_t sport, dport;
};

/* Which rows a query (or an event match) is limited to. */
struct ff_tuiscope {
	enum ff_tui_kind kind; /* FF_TK_MAX: no limit */
	int64_t pid;           /* FF_TK_PROC */
	const char *key;       /* other kinds (container id, file path, ...) */
};

/* A time window [t0, t1] in ns since epoch; t0 = 0 and t1 = UINT64_MAX: all. */
struct ff_tuiwin {
	uint64_t t0, t1;
};

/* One query result row. */
struct ff_tuirow {
	const char *key;               /* text key; PROC: the comm */
	int64_t pid;                   /* PROC rows; -1 otherwise */
	const struct ff_tuiproc *proc; /* PROC rows */
	uint64_t c[FF_TC_MAX];
	uint32_t nprocs;               /* distinct processes that contributed */
	int depth;                     /* tree order only: distance to the shown root */
	uint64_t first_ts, last_ts;    /* first and last event counted, any window */
	const struct ff_tuiconn *conn; /* CONN rows: the socket; NULL otherwise */
};

struct ff_tuirows {
	struct ff_tuirow *v;
	size_t n, cap;
};

struct ff_tuimodel;

int ff_tuimodel_new(struct ff_tuimodel **out, struct ff_err *err);
void ff_tuimodel_free(struct ff_tuimodel *m);

/* Known time span of the stream (from a seek table), so that the buckets are
 * sized once instead of doubling.  Call before the first event. */
void ff_tuimodel_set_span(struct ff_tuimodel *m, uint64_t first_ts, uint64_t last_ts);

/* Live: buckets of `bucket_ns` that slide instead of merging, at most
 * `max_alerts` alerts kept, and about `max_bytes` for the rows (0: no
 * limit): over it, new rows (but processes') count under one row per kind
 * keyed "(more than the live memory budget holds)", and a prune lets the
 * oldest buckets go early until the rows take under 3/4 of it.  Call before
 * the first event. */
void ff_tuimodel_set_live(struct ff_tuimodel *m, uint64_t bucket_ns, size_t max_alerts,
                          size_t max_bytes);
/* Live: free what slid out of the buckets.  Every row, process and string
 * handed out before is invalid after it.  Nothing to do for captures. */
void ff_tuimodel_prune(struct ff_tuimodel *m);
/* Live: over the budget (prune soon); bytes held (an estimate); new rows
 * refused for the budget so far. */
int ff_tuimodel_pressure(const struct ff_tuimodel *m);
size_t ff_tuimodel_mem(const struct ff_tuimodel *m);
uint64_t ff_tuimodel_refused(const struct ff_tuimodel *m);
/* Forget all activity (rows, timeline) but keep the processes and the
 * alerts (live: the filter changed).  Invalidates rows like prune. */
void ff_tuimodel_clear_activity(struct ff_tuimodel *m);

/* Register a thread known from metadata (process list) before any event. */
int ff_tuimodel_note_thread(struct ff_tuimodel *m, const struct ff_state *st,
                            const struct ff_thread *t);

/* Account one event, after ff_state_update(st, ev).  Returns 0 or -ENOMEM. */
int ff_tuimodel_add(struct ff_tuimodel *m, const struct ff_state *st, const struct ff_evt *ev);

/* Record an alert (strings copied).  Returns 0 or -ENOMEM. */
int ff_tuimodel_add_alert(struct ff_tuimodel *m, const struct ff_tuialert *a);

/* Totals. */
uint64_t ff_tuimodel_nevents(const struct ff_tuimodel *m);
uint64_t ff_tuimodel_first_ts(const struct ff_tuimodel *m); /* 0 before any event */
uint64_t ff_tuimodel_last_ts(const struct ff_tuimodel *m);

/* Timeline: bucket width, start and per-bucket event and alert counts
 * (arrays of FF_TUI_NBUCKETS). */
uint64_t ff_tuimodel_bucket_ns(const struct ff_tuimodel *m);
uint64_t ff_tuimodel_base_ts(const struct ff_tuimodel *m);
const uint64_t *ff_tuimodel_timeline(const struct ff_tuimodel *m);
const uint32_t *ff_tuimodel_alert_timeline(const struct ff_tuimodel *m);

/* Rows of `kind` active in `win`, limited to `scope` (PROC: that process;
 * CONTAINER: its processes), grouped by key (PROC rows: by pid).  Replaces
 * the content of `out`.  Returns the row count or -ENOMEM. */
int ff_tuimodel_query(const struct ff_tuimodel *m, enum ff_tui_kind kind,
                      const struct ff_tuiscope *scope, const struct ff_tuiwin *win,
                      struct ff_tuirows *out);
void ff_tuirows_free(struct ff_tuirows *r);

/* Sort rows with `cmp`; `tree` puts PROC rows in parent-child order (siblings
 * sorted by cmp) with each row's depth set. */
void ff_tuirows_sort(struct ff_tuirows *r,
                     int (*cmp)(const struct ff_tuirow *, const struct ff_tuirow *, void *),
                     void *user, int tree);

/* Process table. */
const struct ff_tuiproc *ff_tuimodel_proc(const struct ff_tuimodel *m, int64_t pid);
/* Ancestors of pid, itself first, up to `max`; returns how many were written. */
size_t ff_tuimodel_ancestry(const struct ff_tuimodel *m, int64_t pid, const struct ff_tuiproc **out,
                            size_t max);
/* Whether `pid` is `root` or one of its descendants. */
int ff_tuimodel_descends(const struct ff_tuimodel *m, int64_t pid, int64_t root);

/* Alerts in arrival order, within `win` and `scope` (PROC, CONTAINER).
 * Indices run from ff_tuimodel_alert_first() (0 unless live dropped the
 * oldest) to ff_tuimodel_nalerts() (alerts ever added); ff_tuimodel_alert()
 * is NULL outside. */
size_t ff_tuimodel_nalerts(const struct ff_tuimodel *m);
size_t ff_tuimodel_alert_first(const struct ff_tuimodel *m);
const struct ff_tuialert *ff_tuimodel_alert(const struct ff_tuimodel *m, size_t i);
/* Alerts ever added with priority `prio` (0..7), kept or not. */
uint64_t ff_tuimodel_alert_count(const struct ff_tuimodel *m, int prio);
int ff_tuimodel_alert_in(const struct ff_tuimodel *m, const struct ff_tuialert *a,
                         const struct ff_tuiscope *scope, const struct ff_tuiwin *win);

/* Whether an event (after ff_state_update) falls in `scope`: it belongs to
 * the process or container, or touches the file, directory, connection or
 * port, or is that syscall, or failed with that error.  `m` gives the process
 * table for container scopes. */
int ff_tuimodel_match(const struct ff_tuimodel *m, const struct ff_tuiscope *scope,
                      const struct ff_state *st, const struct ff_evt *ev);

/* What one event is about: the keys ff_tuimodel_match() compares with a
 * scope, taken at once so that a scope can be matched later, when the state
 * of that moment is gone (falco-tui's live event ring keeps them). */
struct ff_tuievkey {
	int64_t pid;         /* -1 without a thread */
	char container[16];  /* "host" outside containers */
	const char *syscall; /* static */
	const char *errname; /* static; NULL unless the call failed */
	char fdk;            /* 'f' file or directory, 'c' socket, 0 other */
	const char *fdname;  /* fdk set: the state's string (copy it to keep it) */
	const char *dir;     /* fdk 'f': its directory */
	const char *port;    /* a server socket's "tcp/80", else NULL */
	char dirbuf[1024], portbuf[24];
};
void ff_tuimodel_evkey(const struct ff_state *st, const struct ff_evt *ev, struct ff_tuievkey *k);
int ff_tuievkey_match(const struct ff_tuievkey *k, const struct ff_tuiscope *scope);

/* Priority names in Falco's spelling ("Critical"); -1 if unknown. */
int ff_tui_priority_parse(const char *s);
const char *ff_tui_priority_name(int prio);

#endif
