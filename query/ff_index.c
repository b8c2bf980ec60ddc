/* SPDX-License-Identifier: Apache-2.0 */
/* Capture indexer (ff_index.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ff_index.h"
#include "ff_format.h"
#include "ff_meta.h"
#include "ff_pktindex.h"
#include "ff_reader.h"
#include "ff_render.h"
#include "ff_rowq.h"
#include "ff_sqlfn.h"
#include "ff_state.h"

static const char schema_sql[] =
    "-- falco-query index schema (see `falco-query --schema`).  Times are ns since\n"
    "-- the epoch (UTC); ts_format(ts) renders them.  `*_row` columns are ids of\n"
    "-- `processes` rows.  NULL means unknown or not applicable.\n"
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);\n"
    "-- one row per capture file indexed\n"
    "CREATE TABLE captures (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  path TEXT,          -- as given on the command line\n"
    "  realpath TEXT,      -- absolute, used for freshness\n"
    "  size INTEGER, mtime INTEGER, hash TEXT, -- fingerprint when indexed\n"
    "  host TEXT,          -- hostname from the machine block\n"
    "  first_ts INTEGER, last_ts INTEGER, -- span of the events\n"
    "  events INTEGER,     -- rows in `events` from this capture\n"
    "  warning TEXT        -- set when the capture is damaged: indexed up to there\n"
    ");\n"
    "-- every event `sysdig -r` prints; num is sysdig's evt.num (per capture)\n"
    "CREATE TABLE events (\n"
    "  id INTEGER PRIMARY KEY, -- equals num for the first capture\n"
    "  capture INTEGER, num INTEGER, ts INTEGER, cpu INTEGER,\n"
    "  tid INTEGER, pid INTEGER, proc_row INTEGER,\n"
    "  type TEXT,          -- evt.type (syscall name for generic events)\n"
    "  dir TEXT,           -- '>' enter, '<' exit\n"
    "  res INTEGER,        -- evt.rawres of exit events (negative errno on failure)\n"
    "  latency INTEGER,    -- evt.latency, ns (0 on enter events)\n"
    "  fd INTEGER,         -- the fd the event uses or creates\n"
    "  fdname TEXT,        -- fd.name\n"
    "  info TEXT           -- evt.info exactly as sysdig prints it\n"
    ");\n"
    "-- one row per process image: from its first sight (fork, or already running\n"
    "-- when the capture began) or from an execve, to its exit or next execve\n"
    "CREATE TABLE processes (\n"
    "  id INTEGER PRIMARY KEY, capture INTEGER,\n"
    "  pid INTEGER, ppid INTEGER,\n"
    "  parent_row INTEGER,  -- the parent's row when this one started\n"
    "  prev_row INTEGER,    -- for reason 'exec': the image it replaced\n"
    "  reason TEXT,         -- 'exec', 'fork' (cloned during the capture), 'existing'\n"
    "  name TEXT, exe TEXT, exepath TEXT, cmdline TEXT, cwd TEXT,\n"
    "  uid INTEGER, user TEXT, container TEXT,\n"
    "  start_ts INTEGER,    -- exec time, clone time, or NULL when unknown\n"
    "  start_num INTEGER,   -- event that made the row (execve exit), else first event\n"
    "  end_ts INTEGER, end_reason TEXT, -- 'exit' or 'exec'; NULL: still running\n"
    "  exit_code INTEGER, exit_signal INTEGER\n"
    ");\n"
    "-- file opens (open, openat, openat2, creat, open_by_handle_at exits)\n"
    "CREATE TABLE files (\n"
    "  id INTEGER PRIMARY KEY, capture INTEGER, num INTEGER, ts INTEGER,\n"
    "  tid INTEGER, pid INTEGER, proc_row INTEGER,\n"
    "  syscall TEXT, path TEXT, -- fd.name on success, else the path argument\n"
    "  flags INTEGER, flags_text TEXT, -- e.g. O_WRONLY|O_CREAT\n"
    "  fd INTEGER, res INTEGER\n"
    ");\n"
    "-- connect and accept exits, with bytes moved until close (or capture end)\n"
    "CREATE TABLE connections (\n"
    "  id INTEGER PRIMARY KEY, capture INTEGER, num INTEGER, ts INTEGER, end_ts INTEGER,\n"
    "  tid INTEGER, pid INTEGER, proc_row INTEGER, fd INTEGER,\n"
    "  direction TEXT,      -- 'out' (connect) or 'in' (accept)\n"
    "  l4 TEXT,             -- 'tcp', 'udp', ... ; 'unix' for unix sockets\n"
    "  sip TEXT, sport INTEGER, dip TEXT, dport INTEGER, name TEXT, -- name: fd.name\n"
    "  res INTEGER, bytes_in INTEGER, bytes_out INTEGER\n"
    ");\n"
    "-- packet files joined with the captures (--pcap FILE, or CAPTURE.pcap beside one)\n"
    "CREATE TABLE pcaps (\n"
    "  id INTEGER PRIMARY KEY, path TEXT, realpath TEXT,\n"
    "  size INTEGER, mtime INTEGER, hash TEXT, -- fingerprint when indexed\n"
    "  packets INTEGER,\n"
    "  warning TEXT        -- set when the file is damaged: indexed up to there\n"
    ");\n"
    "-- every packet; ts on the captures' clock (ns since the epoch)\n"
    "CREATE TABLE packets (\n"
    "  id INTEGER PRIMARY KEY, pcap INTEGER, num INTEGER, -- num: 1-based in its file\n"
    "  ts INTEGER, len INTEGER, caplen INTEGER, -- len: on the wire\n"
    "  l4 TEXT,            -- 'tcp', 'udp', 'icmp', a protocol number; NULL: not IP\n"
    "  sip TEXT, sport INTEGER, dip TEXT, dport INTEGER,\n"
    "  tcp_flags INTEGER, payload_len INTEGER, -- transport payload bytes\n"
    "  flow INTEGER        -- its `flows` row\n"
    ");\n"
    "-- bidirectional 5-tuples; the client sent the first SYN (else the first packet)\n"
    "CREATE TABLE flows (\n"
    "  id INTEGER PRIMARY KEY, pcap INTEGER, l4 TEXT,\n"
    "  cip TEXT, cport INTEGER, sip TEXT, sport INTEGER,\n"
    "  first_ts INTEGER, last_ts INTEGER, packets INTEGER,\n"
    "  bytes_c2s INTEGER, bytes_s2c INTEGER, -- transport payload bytes\n"
    "  sample BLOB,        -- first payload bytes (64 at most)\n"
    "  conn_row INTEGER,   -- the `connections` row of the socket (same tuple, overlapping time)\n"
    "  proc_row INTEGER    -- the process that owned it\n"
    ");\n"
    "-- rule alerts (filled when the rule engine runs over the capture)\n"
    "CREATE TABLE alerts (\n"
    "  id INTEGER PRIMARY KEY, capture INTEGER, num INTEGER, ts INTEGER,\n"
    "  rule TEXT, priority TEXT, output TEXT, fields TEXT, -- fields: JSON\n"
    "  proc_row INTEGER\n"
    ");\n"
    "-- holes: where the driver lost events (a drop pair in the stream: one row\n"
    "-- per CPU and report), live or in a capture recorded live\n"
    "CREATE TABLE drops (\n"
    "  id INTEGER PRIMARY KEY, capture INTEGER,\n"
    "  num INTEGER,        -- evt.num of the drop event (not itself in `events`)\n"
    "  ts INTEGER,         -- when the loss was seen: the events lost came before\n"
    "  cpu INTEGER,\n"
    "  lost INTEGER        -- events lost on that CPU since its previous report\n"
    ");\n";

/* params is added after the rows: SQLite computes even VIRTUAL generated
 * columns on every INSERT, which cost a quarter of the build. */
static const char index_sql[] =
    "-- events.params, a JSON object: parameter name -> its text in info, computed\n"
    "-- when read (storing it would double the index and its build time); it needs\n"
    "-- falco-query's SQL functions\n"
    "ALTER TABLE events ADD COLUMN\n"
    "  params TEXT GENERATED ALWAYS AS (info_params(type, dir, info)) VIRTUAL;\n"
    "-- events have one index: by process row (a sort of millions of rows costs\n"
    "-- more than the scans it would save; a type count scans in a fraction of a s)\n"
    "CREATE INDEX events_proc ON events(proc_row);\n"
    "CREATE INDEX packets_flow ON packets(flow);\n"
    "CREATE INDEX flows_conn ON flows(conn_row);\n"
    "CREATE INDEX processes_pid ON processes(pid);\n"
    "CREATE INDEX processes_parent ON processes(parent_row);\n"
    "CREATE INDEX files_path ON files(path);\n"
    "CREATE INDEX files_proc ON files(proc_row);\n"
    "CREATE INDEX connections_dip ON connections(dip, dport);\n"
    "CREATE INDEX connections_proc ON connections(proc_row);\n"
    "CREATE INDEX alerts_rule ON alerts(rule);\n"
    "CREATE INDEX alerts_proc ON alerts(proc_row);\n"
    "-- every process with its depth and ancestry (root first)\n"
    "CREATE VIEW process_tree AS WITH RECURSIVE t(id, root_row, depth, lineage) AS (\n"
    "  SELECT id, id, 0, name FROM processes\n"
    "   WHERE parent_row IS NULL\n"
    "  UNION ALL SELECT p.id, t.root_row, t.depth + 1, t.lineage || ' > ' || p.name\n"
    "   FROM processes p JOIN t ON p.parent_row = t.id)\n"
    "  SELECT p.*, t.root_row, t.depth, t.lineage FROM t JOIN processes p ON p.id = t.id;\n"
    "-- (row, ancestor row, distance) for every ancestor of every process\n"
    "CREATE VIEW process_ancestors AS WITH RECURSIVE a(id, ancestor_row, distance) AS (\n"
    "  SELECT id, parent_row, 1 FROM processes WHERE parent_row IS NOT NULL\n"
    "  UNION ALL SELECT a.id, p.parent_row, a.distance + 1 FROM a\n"
    "   JOIN processes p ON p.id = a.ancestor_row WHERE p.parent_row IS NOT NULL)\n"
    "  SELECT * FROM a;\n"
    "-- binaries executed during the capture, when each was first run\n"
    "CREATE VIEW first_seen AS SELECT exepath, min(start_ts) AS first_ts,\n"
    "  count(*) AS runs, count(DISTINCT user) AS users\n"
    "  FROM processes WHERE reason = 'exec' GROUP BY exepath;\n"
    "-- successful execs with their parent\n"
    "CREATE VIEW execs AS SELECT p.*, pp.name AS parent_name, pp.exepath AS parent_exepath\n"
    "  FROM processes p LEFT JOIN processes pp ON pp.id = p.parent_row\n"
    "  WHERE p.reason = 'exec';\n";

const char *ff_index_schema(void)
{
	static char all[sizeof(schema_sql) + sizeof(index_sql)];
	if (!all[0]) {
		memcpy(all, schema_sql, sizeof(schema_sql) - 1);
		memcpy(all + sizeof(schema_sql) - 1, index_sql, sizeof(index_sql));
	}
	return all;
}

/* ---- a small open-addressing map u64 -> slot, for pids and (pid, fd) ---- */

#define DEAD UINT32_MAX /* the value of a key no longer in use */

struct map_ent {
	uint64_t key; /* key + 1; 0 = empty */
	uint32_t val;
};
struct map {
	struct map_ent *e;
	size_t cap, n; /* cap: power of two */
};

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return k;
}

static struct map_ent *map_find(struct map *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = mix(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->e[i].key)
			return NULL;
		if (m->e[i].key == key + 1)
			return &m->e[i];
	}
}

/* entries are not removed one by one: callers set their value to DEAD,
 * and a growth rehash leaves the dead out, so the map is bounded by the keys
 * alive (a live run sees pids come and go for days) */
static int map_put(struct map *m, uint64_t key, uint32_t val)
{
	struct map_ent *f = map_find(m, key);
	if (f) {
		f->val = val;
		return 0;
	}
	if ((m->n + 1) * 2 > m->cap) {
		size_t alive = 0, ncap = m->cap ? m->cap : 1024;
		for (size_t i = 0; i < m->cap; i++)
			alive += m->e[i].key && m->e[i].val != DEAD;
		while ((alive + 1) * 4 > ncap)
			ncap *= 2;
		struct map_ent *ne = calloc(ncap, sizeof(*ne));
		if (!ne)
			return -ENOMEM;
		m->n = alive;
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->e[i].key || m->e[i].val == DEAD)
				continue;
			size_t j = mix(m->e[i].key - 1) & (ncap - 1);
			while (ne[j].key)
				j = (j + 1) & (ncap - 1);
			ne[j] = m->e[i];
		}
		free(m->e);
		m->e = ne;
		m->cap = ncap;
	}
	size_t i = mix(key) & (m->cap - 1);
	while (m->e[i].key)
		i = (i + 1) & (m->cap - 1);
	m->e[i].key = key + 1;
	m->e[i].val = val;
	m->n++;
	return 0;
}

/* ---- indexer ---- */

enum kind { K_NONE, K_OPEN, K_EXEC, K_EXIT, K_CONNECT, K_ACCEPT, K_CLOSE, K_IO };

enum {
	S_EVENT,
	S_PROC,
	S_PROC_END,
	S_FILE,
	S_CONN,
	S_CONN_END,
	S_CAPTURE,
	S_ALERT,
	S_DROP,
	/* live only */
	S_CAPTURE_UPD,
	S_COMMIT,
	S_BEGIN,
	S_RET_EVENTS,
	S_RET_FILES,
	S_RET_ALERTS,
	S_RET_CONNS,
	S_RET_PROCS,
	S_RET_DROPS,
	S_NSTMT
};

static const char *const stmt_sql[S_NSTMT] = {
	/* SQLite numbers the rows (1, 2, ... as ev_id): it then appends without a seek */
	[S_EVENT] = "INSERT INTO events (capture, num, ts, cpu, tid, pid, proc_row, type, dir, "
	            "res, latency, fd, fdname, info) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
	            "?12,?13,?14)",
	[S_PROC] = "INSERT INTO processes VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,"
	           "?15,?16,?17,NULL,NULL,NULL,NULL)",
	[S_PROC_END] = "UPDATE processes SET end_ts=?2, end_reason=?3, exit_code=?4, "
	               "exit_signal=?5 WHERE id=?1",
	[S_FILE] = "INSERT INTO files VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)",
	[S_CONN] = "INSERT INTO connections VALUES (?1,?2,?3,?4,NULL,?5,?6,?7,?8,?9,?10,?11,?12,"
	           "?13,?14,?15,?16,0,0)",
	[S_CONN_END] = "UPDATE connections SET end_ts=?2, bytes_in=?3, bytes_out=?4 WHERE id=?1",
	[S_CAPTURE] = "INSERT INTO captures VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
	[S_ALERT] = "INSERT INTO alerts VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	[S_DROP] = "INSERT INTO drops (capture, num, ts, cpu, lost) VALUES (?1,?2,?3,?4,?5)",
	[S_CAPTURE_UPD] = "UPDATE captures SET host=?2, first_ts=?3, last_ts=?4, events=?5 "
	                  "WHERE id=?1",
	[S_COMMIT] = "COMMIT",
	[S_BEGIN] = "BEGIN",
	/* retention: rows are appended in time order, so an id bound is a time bound */
	[S_RET_EVENTS] = "DELETE FROM events WHERE id <= ?1",
	[S_RET_FILES] = "DELETE FROM files WHERE id <= ?1",
	[S_RET_ALERTS] = "DELETE FROM alerts WHERE ts < ?1",
	[S_RET_CONNS] = "DELETE FROM connections WHERE id <= ?1 AND end_ts <= ?2",
	/* a process row goes only when nothing refers to it any more, even
	 * through a chain of rows that go too: the lineage of what is kept
	 * stays whole (each probe is an index lookup) */
	[S_RET_PROCS] =
	    "WITH RECURSIVE keep(id) AS ("
	    " SELECT id FROM processes WHERE end_ts IS NULL OR end_ts > ?1"
	    "  OR EXISTS (SELECT 1 FROM events WHERE proc_row = processes.id)"
	    "  OR EXISTS (SELECT 1 FROM files WHERE proc_row = processes.id)"
	    "  OR EXISTS (SELECT 1 FROM connections WHERE proc_row = processes.id)"
	    "  OR EXISTS (SELECT 1 FROM alerts WHERE proc_row = processes.id)"
	    " UNION SELECT p.parent_row FROM processes p JOIN keep ON p.id = keep.id"
	    "  WHERE p.parent_row IS NOT NULL"
	    " UNION SELECT p.prev_row FROM processes p JOIN keep ON p.id = keep.id"
	    "  WHERE p.prev_row IS NOT NULL)"
	    " DELETE FROM processes WHERE end_ts <= ?1 AND id NOT IN (SELECT id FROM keep)",
	[S_RET_DROPS] = "DELETE FROM drops WHERE ts < ?1",
};

/* Processes and connections still open.  Both arrays hold only live
 * entries (an ended one is replaced by the last), and the maps point into
 * them or hold DEAD, so a long live run keeps what is open, not what was. */

struct proc {
	int64_t row, parent_row, pid;
};

struct conn {
	int64_t row, pid, fd;
	uint64_t in, out, ts;
};

struct checkpoint {
	uint64_t ts;
	int64_t ev_id, file_id, conn_id;
};

struct ix {
	sqlite3 *db;
	sqlite3_stmt *s[S_NSTMT];
	sqlite3_stmt *ev_multi; /* S_EVENT for EV_MULTI rows at once */
	struct ff_rowq *q;      /* rows to the writer thread */
	const struct ff_index_opts *o;
	struct ff_err *err;
	struct ff_state *st;
	int64_t capture;
	uint64_t first_ts, last_ts;
	/* row ids */
	int64_t ev_id, proc_id, file_id, conn_id, alert_id, drop_id;
	uint64_t lost; /* events lost, as the drop reports say */
	struct map pids, fds;
	struct proc *procs; /* by map value */
	size_t nprocs, capprocs;
	struct conn *conns;
	size_t nconns, capconns;
	struct ff_sbuf info, scratch, val, res, cmd;
	uint8_t kind[FF_EVENT_MAX];
	uint64_t done_bytes, total_bytes;
	/* live: the last row ids and time at each commit, oldest first */
	struct checkpoint *cps;
	size_t ncps, capcps;
	uint64_t since_commit;
};

static int sqerr(struct ix *x, const char *what)
{
	return ff_errf(x->err, -EIO, "index: %s: %s", what, sqlite3_errmsg(x->db));
}

static void put_str(struct ix *x, const char *p)
{
	ff_rowq_text(x->q, p, p ? strlen(p) : 0);
}

/* end of a row: a writer failure is reported with its message */
static int qend(struct ix *x)
{
	int rc = ff_rowq_end(x->q);
	if (rc == -ENOMEM)
		return ff_errf(x->err, rc, "out of memory");
	if (rc)
		return ff_rowq_finish(x->q, x->err);
	return 0;
}

static void classify(struct ix *x)
{
	for (unsigned t = 0; t < FF_EVENT_MAX; t++) {
		const struct ff_event_info *in = &ff_event_table[t];
		enum kind k = K_NONE;
		if (!in->name || in->dir != 'X') {
			if (in->name && !strcmp(in->name, "procexit"))
				k = K_EXIT;
			x->kind[t] = (uint8_t)k;
			continue;
		}
		const char *n = in->name;
		if (!strcmp(n, "open") || !strcmp(n, "openat") || !strcmp(n, "openat2") ||
		    !strcmp(n, "creat") || !strcmp(n, "open_by_handle_at"))
			k = K_OPEN;
		else if (!strcmp(n, "execve") || !strcmp(n, "execveat"))
			k = K_EXEC;
		else if (!strcmp(n, "connect"))
			k = K_CONNECT;
		else if (!strcmp(n, "accept") || !strcmp(n, "accept4"))
			k = K_ACCEPT;
		else if (!strcmp(n, "close"))
			k = K_CLOSE;
		else if (in->flags & (FF_EF_READS_FROM_FD | FF_EF_WRITES_TO_FD))
			k = K_IO;
		x->kind[t] = (uint8_t)k;
	}
}

/* index of a parameter by name among those recorded, or -1 */
static int pidx(const struct ff_evt *ev, const char *name)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	unsigned n = in ? (in->nparams < ev->nparams ? in->nparams : ev->nparams) : 0;
	for (unsigned i = 0; i < n; i++)
		if (!strcmp(in->params[i].name, name))
			return (int)i;
	return -1;
}

/* evt.rawres: "res" of an exit event, or the fd it creates */
static int evt_res(const struct ff_evt *ev, int64_t *res)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	int ok = 0, i;
	if (!in || in->dir != 'X')
		return 0;
	i = pidx(ev, "res");
	if (i < 0 && (in->flags & FF_EF_CREATES_FD))
		i = pidx(ev, "fd");
	if (i < 0)
		return 0;
	*res = ff_evt_param_int(ev, (unsigned)i, &ok);
	return ok;
}

/* ---- processes ---- */

static int64_t new_proc_slot(struct ix *x, int64_t pid, int64_t parent_row)
{
	if (x->nprocs == x->capprocs) {
		size_t nc = x->capprocs ? x->capprocs * 2 : 1024;
		struct proc *np = realloc(x->procs, nc * sizeof(*np));
		if (!np)
			return -ENOMEM;
		x->procs = np;
		x->capprocs = nc;
	}
	struct proc *p = &x->procs[x->nprocs];
	p->row = ++x->proc_id;
	p->parent_row = parent_row;
	p->pid = pid;
	if (map_put(&x->pids, (uint64_t)pid, (uint32_t)x->nprocs))
		return -ENOMEM;
	x->nprocs++;
	return p->row;
}

static struct proc *live_proc(struct ix *x, int64_t pid)
{
	struct map_ent *e = map_find(&x->pids, (uint64_t)pid);
	if (!e || e->val == DEAD)
		return NULL;
	return &x->procs[e->val];
}

/* p leaves the live set (the last entry takes its place) */
static void forget_proc(struct ix *x, struct proc *p)
{
	size_t i = (size_t)(p - x->procs);
	map_find(&x->pids, (uint64_t)p->pid)->val = DEAD;
	if (i != --x->nprocs) {
		x->procs[i] = x->procs[x->nprocs];
		map_find(&x->pids, (uint64_t)x->procs[i].pid)->val = (uint32_t)i;
	}
}

/* proc.cmdline: comm then the arguments, space-separated */
static const char *cmdline(struct ix *x, const struct ff_thread *t)
{
	uint32_t len = 0;
	const char *a = ff_thread_args(t, &len);
	ff_sbuf_reset(&x->cmd);
	int rc = ff_sbuf_puts(&x->cmd, ff_thread_comm(t));
	for (uint32_t i = 0; a && i < len;) {
		size_t n = strnlen(a + i, len - i);
		rc |= ff_sbuf_put(&x->cmd, " ", 1) | ff_sbuf_put(&x->cmd, a + i, n);
		i += (uint32_t)n + 1;
	}
	return rc ? "" : (x->cmd.p ? x->cmd.p : "");
}

static int insert_proc(struct ix *x, const struct ff_thread *m, int64_t row, int64_t parent_row,
                       int64_t prev_row, const char *reason, uint64_t start_ts, uint64_t num)
{
	ff_rowq_begin(x->q, S_PROC);
	uint32_t uid = ff_thread_uid(m);
	ff_rowq_int(x->q, row);
	ff_rowq_int(x->q, x->capture);
	ff_rowq_int(x->q, ff_thread_pid(m));
	ff_rowq_int(x->q, ff_thread_ptid(m));
	if (parent_row)
		ff_rowq_int(x->q, parent_row);
	else
		ff_rowq_null(x->q);
	if (prev_row)
		ff_rowq_int(x->q, prev_row);
	else
		ff_rowq_null(x->q);
	put_str(x, reason);
	put_str(x, ff_thread_comm(m));
	put_str(x, ff_thread_exe(m));
	put_str(x, ff_thread_exepath(m));
	put_str(x, cmdline(x, m));
	put_str(x, ff_state_cwd(x->st, m));
	ff_rowq_int(x->q, uid);
	put_str(x, ff_state_user_name(x->st, uid));
	put_str(x, ff_thread_container_id(m));
	if (start_ts)
		ff_rowq_int(x->q, (int64_t)start_ts);
	else
		ff_rowq_null(x->q);
	ff_rowq_int(x->q, (int64_t)num);
	return qend(x);
}

/* Row of t's process, creating it (and its missing ancestors) on first sight. */
static int64_t proc_row(struct ix *x, const struct ff_thread *t, uint64_t num, int depth)
{
	const struct ff_thread *m = ff_state_main_thread(x->st, t);
	if (!m)
		m = t;
	int64_t pid = ff_thread_pid(m);
	struct proc *p = live_proc(x, pid);
	if (p)
		return p->row;
	int64_t parent_row = 0;
	const struct ff_thread *pt = ff_state_parent(x->st, m);
	if (pt && depth < 64 && ff_thread_pid(pt) != pid) {
		parent_row = proc_row(x, pt, num, depth + 1);
		if (parent_row < 0)
			return parent_row;
	}
	int64_t row = new_proc_slot(x, pid, parent_row);
	if (row < 0)
		return ff_errf(x->err, -ENOMEM, "out of memory");
	uint64_t cts = ff_thread_clone_ts(m);
	const char *reason = cts && x->first_ts && cts >= x->first_ts ? "fork" : "existing";
	int rc = insert_proc(x, m, row, parent_row, 0, reason, cts, num);
	return rc ? rc : row;
}

static int end_proc(struct ix *x, struct proc *p, uint64_t ts, const char *why, int64_t code,
                    int have_code, int64_t sig)
{
	ff_rowq_begin(x->q, S_PROC_END);
	ff_rowq_int(x->q, p->row);
	ff_rowq_int(x->q, (int64_t)ts);
	put_str(x, why);
	if (have_code)
		ff_rowq_int(x->q, code);
	else
		ff_rowq_null(x->q);
	if (sig)
		ff_rowq_int(x->q, sig);
	else
		ff_rowq_null(x->q);
	forget_proc(x, p);
	return qend(x);
}

static int on_exec(struct ix *x, const struct ff_evt *ev, const struct ff_thread *t, uint64_t num)
{
	const struct ff_thread *m = ff_state_main_thread(x->st, t);
	if (!m)
		m = t;
	int64_t pid = ff_thread_pid(m), prev = 0, parent_row = 0;
	struct proc *p = live_proc(x, pid);
	int rc;
	if (p) {
		prev = p->row;
		parent_row = p->parent_row;
		if ((rc = end_proc(x, p, ev->ts, "exec", 0, 0, 0)))
			return rc;
	} else {
		const struct ff_thread *pt = ff_state_parent(x->st, m);
		if (pt && ff_thread_pid(pt) != pid && (parent_row = proc_row(x, pt, num, 1)) < 0)
			return (int)parent_row;
	}
	int64_t row = new_proc_slot(x, pid, parent_row);
	if (row < 0)
		return ff_errf(x->err, -ENOMEM, "out of memory");
	return insert_proc(x, m, row, parent_row, prev, "exec", ev->ts, num);
}

static int end_conn(struct ix *x, struct conn *c, uint64_t ts);

static int on_procexit(struct ix *x, const struct ff_evt *ev, const struct ff_thread *t)
{
	if (ff_thread_tid(t) != ff_thread_pid(t))
		return 0; /* a thread, not the process */
	struct proc *p = live_proc(x, ff_thread_pid(t));
	if (!p)
		return 0;
	int ok = 0, have = 0;
	int64_t code = 0, sig = 0;
	int i = pidx(ev, "ret");
	if (i < 0)
		i = pidx(ev, "status");
	if (i >= 0) {
		code = ff_evt_param_int(ev, (unsigned)i, &ok);
		have = ok;
	}
	if ((i = pidx(ev, "sig")) >= 0)
		sig = (int64_t)ff_evt_param_uint(ev, (unsigned)i, &ok);
	int64_t pid = p->pid;
	int rc = end_proc(x, p, ev->ts, "exit", code, have, sig);
	/* its sockets close with it */
	for (size_t k = 0; k < x->nconns && !rc;)
		if (x->conns[k].pid == pid)
			rc = end_conn(x, &x->conns[k], ev->ts); /* the last takes slot k */
		else
			k++;
	return rc;
}

/* ---- files ---- */

/* flag names the way sysdig joins them */
static void put_flags(struct ff_sbuf *b, unsigned tab, uint32_t val)
{
	const struct ff_flag_name *f = tab < FF_FT_MAX ? ff_flag_tables[tab] : NULL;
	const char *sep = "";
	uint32_t left = val;
	for (; f && f->name; f++) {
		if (!(f->gens & 1))
			continue;
		if ((f->value == 0 && val == 0) ||
		    (f->value != 0 && (left & f->value) == f->value)) {
			ff_sbuf_puts(b, sep);
			ff_sbuf_puts(b, f->name);
			sep = "|";
			left &= ~f->value;
		}
	}
}

static int on_open(struct ix *x, const struct ff_evt *ev, const struct ff_thread *t,
                   const struct ff_fd *f, int64_t prow, uint64_t num)
{
	ff_rowq_begin(x->q, S_FILE);
	int64_t res = 0;
	int have_res = evt_res(ev, &res), ok = 0;
	const char *path = NULL;
	uint32_t plen = 0;
	if (have_res && res >= 0 && f) {
		path = ff_fd_name(f);
		plen = (uint32_t)strlen(path);
	} else {
		int i = pidx(ev, "name");
		if (i >= 0)
			path = ff_evt_param_str(ev, (unsigned)i, &plen);
	}
	int fi = pidx(ev, "flags");
	int have_flags = 0;
	uint32_t flags = 0;
	if (fi >= 0) {
		flags = (uint32_t)ff_evt_param_uint(ev, (unsigned)fi, &ok);
		have_flags = ok;
	} else if (have_res && res >= 0 && f) {
		flags = ff_fd_open_flags(f);
		have_flags = 1;
	}
	ff_sbuf_reset(&x->val);
	if (have_flags)
		put_flags(&x->val, FF_FT_FILE_FLAGS, flags);
	ff_rowq_int(x->q, ++x->file_id);
	ff_rowq_int(x->q, x->capture);
	ff_rowq_int(x->q, (int64_t)num);
	ff_rowq_int(x->q, (int64_t)ev->ts);
	ff_rowq_int(x->q, (int64_t)ev->tid);
	if (t) {
		ff_rowq_int(x->q, ff_thread_pid(t));
		ff_rowq_int(x->q, prow);
	} else {
		ff_rowq_null(x->q);
		ff_rowq_null(x->q);
	}
	put_str(x, ff_render_type(ev));
	ff_rowq_text(x->q, path, plen);
	if (have_flags) {
		ff_rowq_int(x->q, flags);
		ff_rowq_text(x->q, x->val.p ? x->val.p : "", x->val.len);
	} else {
		ff_rowq_null(x->q);
		ff_rowq_null(x->q);
	}
	if (have_res && res >= 0)
		ff_rowq_int(x->q, res);
	else
		ff_rowq_null(x->q);
	if (have_res)
		ff_rowq_int(x->q, res);
	else
		ff_rowq_null(x->q);
	return qend(x);
}

/* ---- connections ---- */

static uint64_t fdkey(int64_t pid, int64_t fd)
{
	return ((uint64_t)pid << 24) ^ ((uint64_t)fd & 0xffffff);
}

static struct conn *live_conn(struct ix *x, int64_t pid, int64_t fd)
{
	struct map_ent *e = map_find(&x->fds, fdkey(pid, fd));
	if (!e || e->val == DEAD)
		return NULL;
	return &x->conns[e->val];
}

/* c gets its end and byte counts and leaves the live set (the last entry
 * takes its place) */
static int end_conn(struct ix *x, struct conn *c, uint64_t ts)
{
	size_t i = (size_t)(c - x->conns);
	ff_rowq_begin(x->q, S_CONN_END);
	ff_rowq_int(x->q, c->row);
	ff_rowq_int(x->q, (int64_t)ts);
	ff_rowq_int(x->q, (int64_t)c->in);
	ff_rowq_int(x->q, (int64_t)c->out);
	map_find(&x->fds, fdkey(c->pid, c->fd))->val = DEAD;
	if (i != --x->nconns) {
		x->conns[i] = x->conns[x->nconns];
		map_find(&x->fds, fdkey(x->conns[i].pid, x->conns[i].fd))->val = (uint32_t)i;
	}
	return qend(x);
}

static void put_ip(struct ff_sbuf *b, int v6, const uint8_t *ip)
{
	char s[INET6_ADDRSTRLEN];
	if (!inet_ntop(v6 ? AF_INET6 : AF_INET, ip, s, sizeof(s)))
		s[0] = 0;
	ff_sbuf_puts(b, s);
}

static int on_conn(struct ix *x, const struct ff_evt *ev, const struct ff_thread *t,
                   const struct ff_fd *f, int64_t prow, uint64_t num, int out)
{
	int64_t res = 0, fd = ff_state_evt_fdnum(x->st);
	int have_res = evt_res(ev, &res);
	if (!t || fd < 0)
		return 0;
	int64_t pid = ff_thread_pid(t);
	struct conn *old = live_conn(x, pid, fd);
	if (old) {
		int rc = end_conn(x, old, ev->ts);
		if (rc)
			return rc;
	}
	char tc = f ? ff_fd_typechar(f) : 0;
	const char *l4 = NULL;
	uint8_t sip[16] = { 0 }, dip[16] = { 0 };
	uint16_t sport = 0, dport = 0;
	int inet = tc == '4' || tc == '6';
	if (inet) {
		ff_fd_tuple(f, sip, &sport, dip, &dport);
		switch (ff_fd_l4proto(f)) {
		case 2:
			l4 = "tcp";
			break;
		case 3:
			l4 = "udp";
			break;
		case 4:
			l4 = "icmp";
			break;
		case 5:
			l4 = "raw";
			break;
		default:
			break;
		}
	} else if (tc == 'u') {
		l4 = "unix";
	}
	ff_sbuf_reset(&x->val);
	ff_sbuf_reset(&x->res);
	ff_rowq_begin(x->q, S_CONN);
	if (inet) {
		put_ip(&x->val, tc == '6', sip);
		put_ip(&x->res, tc == '6', dip);
	}
	ff_rowq_int(x->q, ++x->conn_id);
	ff_rowq_int(x->q, x->capture);
	ff_rowq_int(x->q, (int64_t)num);
	ff_rowq_int(x->q, (int64_t)ev->ts);
	ff_rowq_int(x->q, (int64_t)ev->tid);
	ff_rowq_int(x->q, pid);
	ff_rowq_int(x->q, prow);
	ff_rowq_int(x->q, fd);
	put_str(x, out ? "out" : "in");
	put_str(x, l4);
	if (inet) {
		ff_rowq_text(x->q, x->val.p, x->val.len);
		ff_rowq_int(x->q, sport);
		ff_rowq_text(x->q, x->res.p, x->res.len);
		ff_rowq_int(x->q, dport);
	} else {
		for (int i = 11; i <= 14; i++)
			ff_rowq_null(x->q);
	}
	put_str(x, f ? ff_fd_name(f) : NULL);
	if (have_res)
		ff_rowq_int(x->q, res);
	else
		ff_rowq_null(x->q);
	int rc = qend(x);
	if (rc)
		return rc;
	if (!out && !(have_res && res >= 0))
		return 0;
	if (out && have_res && res < 0 && res != -EINPROGRESS)
		return 0;
	if (x->nconns == x->capconns) {
		size_t nc = x->capconns ? x->capconns * 2 : 1024;
		struct conn *n = realloc(x->conns, nc * sizeof(*n));
		if (!n)
			return ff_errf(x->err, -ENOMEM, "out of memory");
		x->conns = n;
		x->capconns = nc;
	}
	x->conns[x->nconns] =
	    (struct conn){ .row = x->conn_id, .pid = pid, .fd = fd, .ts = ev->ts };
	if (map_put(&x->fds, fdkey(pid, fd), (uint32_t)x->nconns))
		return ff_errf(x->err, -ENOMEM, "out of memory");
	x->nconns++;
	return 0;
}

/* ---- events ---- */

static int on_event(struct ix *x, const struct ff_evt *ev, uint64_t num)
{
	const struct ff_thread *t = ff_state_evt_thread(x->st);
	const struct ff_event_info *in = ff_evt_info(ev);
	/* fd fields only for events that create, use or destroy one (as sysdig) */
	int has_fd =
	    t && in && (in->flags & (FF_EF_CREATES_FD | FF_EF_USES_FD | FF_EF_DESTROYS_FD));
	const struct ff_fd *f = has_fd ? ff_state_evt_fd(x->st) : NULL;
	int64_t fdnum = has_fd ? ff_state_evt_fdnum(x->st) : -1;
	if (has_fd && !f && fdnum != -1)
		f = ff_state_fd(x->st, t, fdnum);
	enum kind k = ev->type < FF_EVENT_MAX ? (enum kind)x->kind[ev->type] : K_NONE;
	int64_t prow = 0, res = 0;
	int rc = 0;

	if (!x->first_ts)
		x->first_ts = ev->ts;
	x->last_ts = ev->ts;
	if (k == K_EXEC && t && evt_res(ev, &res) && res == 0) {
		if ((rc = on_exec(x, ev, t, num)))
			return rc;
	}
	if (t && (prow = proc_row(x, t, num, 0)) < 0)
		return (int)prow;

	ff_rowq_begin(x->q, S_EVENT);
	/* like fd.num: a creating call's exit refers to the new fd (of a pair, the second) */
	if (f && in && in->dir == 'X' && (in->flags & FF_EF_CREATES_FD)) {
		int ok = 0, i2 = pidx(ev, "fd2");
		int64_t fd2 = i2 >= 0 ? ff_evt_param_int(ev, (unsigned)i2, &ok) : -1;
		fdnum = ok && fd2 >= 0 ? fd2 : ff_fd_num(f);
	}
	x->ev_id++;
	ff_rowq_int(x->q, x->capture);
	ff_rowq_int(x->q, (int64_t)num);
	ff_rowq_int(x->q, (int64_t)ev->ts);
	ff_rowq_int(x->q, ev->cpu);
	if (t) {
		ff_rowq_int(x->q, ff_thread_tid(t));
		ff_rowq_int(x->q, ff_thread_pid(t));
		ff_rowq_int(x->q, prow);
	} else {
		ff_rowq_int(x->q, (int64_t)ev->tid);
		ff_rowq_null(x->q);
		ff_rowq_null(x->q);
	}
	put_str(x, ff_render_type(ev));
	ff_rowq_text(x->q, in && in->dir == 'X' ? "<" : ">", 1);
	int have_res = evt_res(ev, &res);
	if (have_res)
		ff_rowq_int(x->q, res);
	else
		ff_rowq_null(x->q);
	/* evt.latency as sysdig gives it: the thread's last enter-to-exit time
	 * (0 on enter events; events without a pair keep the last value) */
	if (in && !(in->category & FF_EC_INTERNAL))
		ff_rowq_int(x->q, (int64_t)ff_state_evt_latency(x->st));
	else
		ff_rowq_null(x->q);
	if (fdnum >= 0)
		ff_rowq_int(x->q, fdnum);
	else
		ff_rowq_null(x->q);
	put_str(x, f ? ff_fd_name(f) : NULL);
	if (!x->o->no_text) {
		ff_sbuf_reset(&x->info);
		if (ff_render_info(x->st, ev, &x->info, &x->scratch))
			return ff_errf(x->err, -ENOMEM, "out of memory");
		ff_rowq_text(x->q, x->info.p ? x->info.p : "", x->info.len);
	} else {
		ff_rowq_null(x->q);
	}
	if ((rc = qend(x)))
		return rc;

	switch (k) {
	case K_OPEN:
		return on_open(x, ev, t, f, prow, num);
	case K_EXIT:
		return t ? on_procexit(x, ev, t) : 0;
	case K_CONNECT:
	case K_ACCEPT:
		return on_conn(x, ev, t, f, prow, num, k == K_CONNECT);
	case K_CLOSE:
	case K_IO:
		if (t && fdnum >= 0 && have_res) {
			struct conn *c = live_conn(x, ff_thread_pid(t), fdnum);
			if (!c)
				return 0;
			if (k == K_CLOSE)
				return end_conn(x, c, ev->ts);
			if (res > 0) {
				if (in->flags & FF_EF_READS_FROM_FD)
					c->in += (uint64_t)res;
				else
					c->out += (uint64_t)res;
			}
		}
		return 0;
	default:
		return 0;
	}
}

/* ---- drops ---- */

/* a drop pair's enter: `ratio` events of this CPU were lost before it */
static int on_drop(struct ix *x, const struct ff_evt *ev, uint64_t num)
{
	int ok = 0;
	uint64_t n = ev->nparams ? ff_evt_param_uint(ev, 0, &ok) : 0;
	if (!ok)
		n = 0;
	x->drop_id++;
	x->lost += n;
	ff_rowq_begin(x->q, S_DROP);
	ff_rowq_int(x->q, x->capture);
	ff_rowq_int(x->q, (int64_t)num);
	ff_rowq_int(x->q, (int64_t)ev->ts);
	ff_rowq_int(x->q, ev->cpu);
	ff_rowq_int(x->q, (int64_t)n);
	return qend(x);
}

/* ---- alerts ---- */

struct alert_ctx {
	struct ix *x;
	const struct ff_evt *ev;
	uint64_t num;
};

static int emit_alert(void *arg, const struct ff_index_alert *a)
{
	struct alert_ctx *c = arg;
	struct ix *x = c->x;
	const struct ff_thread *t = ff_state_evt_thread(x->st);
	int64_t prow = t ? proc_row(x, t, c->num, 0) : 0;
	if (prow < 0)
		return (int)prow;
	ff_rowq_begin(x->q, S_ALERT);
	ff_rowq_int(x->q, ++x->alert_id);
	ff_rowq_int(x->q, x->capture);
	ff_rowq_int(x->q, (int64_t)c->num);
	ff_rowq_int(x->q, (int64_t)c->ev->ts);
	put_str(x, a->rule);
	put_str(x, a->priority);
	put_str(x, a->output);
	put_str(x, a->fields);
	if (prow)
		ff_rowq_int(x->q, prow);
	else
		ff_rowq_null(x->q);
	return qend(x);
}

static int eval_alerts(struct ix *x, const struct ff_evt *ev, uint64_t num)
{
	struct alert_ctx c = { .x = x, .ev = ev, .num = num };
	const struct ff_index_alerter *a = x->o->alerter;
	int rc = a->eval(a->arg, x->st, ev, num, emit_alert, &c, x->err);
	if (rc > 0)
		rc = -rc;
	if (rc && (!x->err || !x->err->code))
		ff_errf(x->err, rc, "alerts: event %" PRIu64 ": failed", num);
	return rc;
}

/* ---- fingerprints ---- */

struct fprint {
	int64_t size, mtime;
	char hash[17];
	char real[PATH_MAX];
};

/* size, mtime and a FNV-1a hash of the first and last 64 KiB: cheap, and
 * catches an append or a rewrite that keeps size and mtime */
static int fingerprint(const char *path, struct fprint *fp, struct ff_err *err)
{
	struct stat sb;
	uint8_t buf[65536];
	uint64_t h = 0xcbf29ce484222325ULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb)) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return ff_errf(err, -e, "%s: %s", path, strerror(e));
	}
	fp->size = sb.st_size;
	fp->mtime = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
	for (int part = 0; part < 2; part++) {
		off_t off =
		    part ? (sb.st_size > (off_t)sizeof(buf) ? sb.st_size - (off_t)sizeof(buf) : 0)
		         : 0;
		ssize_t n = pread(fd, buf, sizeof(buf), off);
		for (ssize_t i = 0; i < n; i++) {
			h ^= buf[i];
			h *= 0x100000001b3ULL;
		}
	}
	close(fd);
	snprintf(fp->hash, sizeof(fp->hash), "%016" PRIx64, h);
	if (!realpath(path, fp->real))
		snprintf(fp->real, sizeof(fp->real), "%s", path);
	return 0;
}

/* ---- build ---- */

/* ---- a stream of blocks (a capture file, or live) ---- */

struct stream {
	uint64_t num;     /* sysdig's evt.num of the last event */
	int64_t first_id; /* ev_id before the stream's first event */
	char host[129];
};

static int stream_begin(struct ix *x, struct stream *sm, struct ff_err *err)
{
	memset(sm, 0, sizeof(*sm));
	sm->first_id = x->ev_id;
	x->first_ts = x->last_ts = 0;
	x->nprocs = x->nconns = 0;
	/* pid and fd maps start over: pids of one capture mean nothing in the next */
	free(x->pids.e);
	free(x->fds.e);
	memset(&x->pids, 0, sizeof(x->pids));
	memset(&x->fds, 0, sizeof(x->fds));
	int rc = ff_state_new(&x->st, err);
	if (!rc && x->o->alerter) /* rules see enter parameters on exit events */
		ff_state_keep_enters(x->st, 1);
	return rc;
}

/* One block through the state tracker into the tables: 0 or a negative errno. */
static int stream_block(struct ix *x, struct stream *sm, const struct ff_block *b,
                        struct ff_err *err)
{
	struct ff_err merr = { 0 };
	int rc;
	if (b->kind != FF_BLK_EVENT) {
		if (b->kind == FF_BLK_MACHINE) {
			struct ff_machine mi;
			if (!ff_meta_machine(b, &mi, &merr))
				memcpy(sm->host, mi.hostname, sizeof(sm->host));
		}
		/* a bad metadata block only costs what it would have told */
		if (ff_state_load_block(x->st, b, &merr) == -ENOMEM)
			return ff_errf(err, -ENOMEM, "out of memory");
		return 0;
	}
	if (!ff_render_counted(&b->ev))
		return 0;
	sm->num++;
	if (b->ev.type == FFE_DROP_E && (rc = on_drop(x, &b->ev, sm->num)))
		return rc;
	if (ff_state_update(x->st, &b->ev))
		return ff_errf(err, -ENOMEM, "out of memory");
	if (ff_state_evt_hidden(x->st))
		return 0; /* a container event sinsp consumes: state only */
	if (ff_render_visible(&b->ev) && (rc = on_event(x, &b->ev, sm->num)))
		return rc;
	if (x->o->alerter && (rc = eval_alerts(x, &b->ev, sm->num)))
		return rc;
	return 0;
}

/* connections still open get their byte counts and the stream's last time */
static int stream_end(struct ix *x)
{
	int rc = 0;
	while (x->nconns && !rc)
		rc = end_conn(x, &x->conns[x->nconns - 1], x->last_ts);
	ff_state_free(x->st);
	x->st = NULL;
	return rc;
}

static int index_capture(struct ix *x, const char *path, struct ff_err *err)
{
	struct ff_reader *r = NULL;
	struct ff_block b;
	struct fprint fp;
	struct ff_err rerr = { 0 };
	struct stream sm;
	int rc = fingerprint(path, &fp, err);
	if (rc)
		return rc;
	if ((rc = ff_reader_open(&r, path, err)))
		return rc;
	if ((rc = stream_begin(x, &sm, err)))
		goto out;
	struct ff_istream *is = ff_reader_stream(r);
	uint64_t since = 0;
	int rrc;
	while ((rrc = ff_reader_next(r, &b, &rerr)) != 0) {
		if (rrc < 0)
			break; /* damage: keep what came before, as falco-replay does */
		if ((rc = stream_block(x, &sm, &b, err)))
			goto out;
		if (++since == 16384) {
			since = 0;
			if (x->o->progress)
				x->o->progress(x->o->progress_arg,
				               x->done_bytes + ff_istream_raw_pos(is),
				               x->total_bytes);
		}
	}
	if ((rc = stream_end(x)))
		goto out;
	ff_rowq_begin(x->q, S_CAPTURE);
	ff_rowq_int(x->q, x->capture);
	put_str(x, path);
	put_str(x, fp.real);
	ff_rowq_int(x->q, fp.size);
	ff_rowq_int(x->q, fp.mtime);
	put_str(x, fp.hash);
	put_str(x, sm.host[0] ? sm.host : NULL);
	if (x->first_ts) {
		ff_rowq_int(x->q, (int64_t)x->first_ts);
		ff_rowq_int(x->q, (int64_t)x->last_ts);
	} else {
		ff_rowq_null(x->q);
		ff_rowq_null(x->q);
	}
	ff_rowq_int(x->q, (int64_t)(x->ev_id - sm.first_id));
	put_str(x, rrc < 0 ? rerr.msg : NULL);
	rc = qend(x);
	if (rrc < 0 && !rc)
		rc = 1; /* a warning, not a failure */
	x->done_bytes += (uint64_t)fp.size;
out:
	ff_state_free(x->st);
	x->st = NULL;
	ff_reader_close(r);
	return rc;
}

static int exec_sql(sqlite3 *db, const char *sql, struct ff_err *err)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		ff_errf(err, -EIO, "index: %s", msg ? msg : "SQL error");
		sqlite3_free(msg);
		return -EIO;
	}
	return 0;
}

/* The packet files of the options into pcaps/packets/flows, then the flows
 * linked to their connections.  A damaged file counts as a warning. */
static int index_pcaps(struct ix *x, int *warnings, struct ff_err *err)
{
	struct ff_pktindex *pk = NULL;
	int rc;
	if (x->o->npcaps <= 0)
		return 0;
	if ((rc = ff_pktindex_new(&pk, x->db, err)))
		return rc;
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(x->db, "INSERT INTO pcaps VALUES (?,?,?,?,?,?,?,?)", -1, &s, NULL) !=
	    SQLITE_OK) {
		rc = sqerr(x, "pcaps");
		goto out;
	}
	for (int i = 0; i < x->o->npcaps; i++) {
		const char *path = x->o->pcaps[i];
		struct fprint fp;
		struct ff_err lerr = { 0 };
		uint64_t n = 0;
		if ((rc = fingerprint(path, &fp, err)))
			goto out;
		rc = ff_pktindex_load(pk, i + 1, path, &n, &lerr);
		if (rc < 0) {
			*err = lerr;
			goto out;
		}
		sqlite3_bind_int64(s, 1, i + 1);
		sqlite3_bind_text(s, 2, path, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, fp.real, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 4, fp.size);
		sqlite3_bind_int64(s, 5, fp.mtime);
		sqlite3_bind_text(s, 6, fp.hash, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 7, (int64_t)n);
		if (rc == 1) {
			sqlite3_bind_text(s, 8, lerr.msg, -1, SQLITE_TRANSIENT);
			++*warnings;
		} else {
			sqlite3_bind_null(s, 8);
		}
		int sr = sqlite3_step(s);
		sqlite3_reset(s);
		if (sr != SQLITE_DONE) {
			rc = sqerr(x, "pcaps");
			goto out;
		}
	}
	rc = ff_pktindex_link(pk, err);
out:
	sqlite3_finalize(s);
	ff_pktindex_free(pk);
	return rc;
}

/* the statements, and the row queue that runs them */
/* events go this many at a time through one INSERT: a fifth less of the
 * writer's time than one row per statement (the writer thread is what
 * bounds the build) */
#define EV_MULTI 16

static int prepare_all(struct ix *x, struct ff_err *err)
{
	struct ff_sbuf m = { 0 };
	int rc;
	for (int i = 0; i < S_NSTMT; i++)
		if (sqlite3_prepare_v3(x->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &x->s[i],
		                       NULL) != SQLITE_OK)
			return sqerr(x, stmt_sql[i]);
	if ((rc = ff_rowq_new(&x->q, x->s, S_NSTMT, !x->o->serial, err)))
		return rc;
	/* the single-row INSERT with its VALUES group repeated */
	const char *v = strstr(stmt_sql[S_EVENT], "VALUES ");
	ff_sbuf_put(&m, stmt_sql[S_EVENT], (size_t)(v - stmt_sql[S_EVENT]) + 7);
	for (int k = 0; k < EV_MULTI; k++) {
		ff_sbuf_puts(&m, k ? ",(" : "(");
		for (int i = 1; i <= 14; i++)
			ff_sbuf_printf(&m, i < 14 ? "?%d," : "?%d)", k * 14 + i);
	}
	if (!m.p || sqlite3_prepare_v3(x->db, m.p, (int)m.len, SQLITE_PREPARE_PERSISTENT,
	                               &x->ev_multi, NULL) != SQLITE_OK) {
		ff_sbuf_free(&m);
		return sqerr(x, "multi-row events INSERT");
	}
	ff_sbuf_free(&m);
	if (ff_rowq_multi(x->q, S_EVENT, x->ev_multi, EV_MULTI))
		return ff_errf(err, -EINVAL, "index: multi-row events INSERT");
	return 0;
}

static void ix_free(struct ix *x)
{
	ff_rowq_free(x->q); /* stops the writer before its statements go */
	x->q = NULL;
	for (int i = 0; i < S_NSTMT; i++) {
		sqlite3_finalize(x->s[i]);
		x->s[i] = NULL;
	}
	sqlite3_finalize(x->ev_multi);
	x->ev_multi = NULL;
	ff_state_free(x->st);
	x->st = NULL;
	free(x->pids.e);
	free(x->fds.e);
	free(x->procs);
	free(x->conns);
	free(x->cps);
	ff_sbuf_free(&x->info);
	ff_sbuf_free(&x->scratch);
	ff_sbuf_free(&x->val);
	ff_sbuf_free(&x->res);
	ff_sbuf_free(&x->cmd);
}

static void fill_stats(const struct ix *x, struct ff_index_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->events = (uint64_t)x->ev_id;
	st->processes = (uint64_t)x->proc_id;
	st->files = (uint64_t)x->file_id;
	st->connections = (uint64_t)x->conn_id;
	st->alerts = (uint64_t)x->alert_id;
	st->drops = (uint64_t)x->drop_id;
	st->lost = x->lost;
}

int ff_index_build(const char *db_path, const char *const *caps, int ncaps,
                   const struct ff_index_opts *o, struct ff_index_stats *stats, struct ff_err *err)
{
	static const struct ff_index_opts defaults = { 0 };
	struct ix x = { .o = o ? o : &defaults, .err = err };
	char tmp[PATH_MAX];
	int rc = 0, warnings = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp%ld", db_path, (long)getpid()) >= (int)sizeof(tmp))
		return ff_errf(err, -ENAMETOOLONG, "%s: path too long", db_path);
	for (int i = 0; i < ncaps; i++) {
		struct stat sb;
		if (stat(caps[i], &sb))
			return ff_errf(err, -errno, "%s: %s", caps[i], strerror(errno));
		x.total_bytes += (uint64_t)sb.st_size;
	}
	unlink(tmp);
	if (sqlite3_open_v2(tmp, &x.db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		rc = ff_errf(err, -EIO, "%s: cannot create: %s", tmp,
		             x.db ? sqlite3_errmsg(x.db) : "out of memory");
		goto out;
	}
	classify(&x);
	if (ff_sqlfn_register(x.db)) {
		rc = ff_errf(err, -EIO, "%s: cannot register SQL functions", tmp);
		goto out;
	}
	/* a throw-away file until the rename: no journal, no syncs */
	if ((rc = exec_sql(x.db,
	                   "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
	                   "PRAGMA locking_mode=EXCLUSIVE; PRAGMA cache_size=-65536;"
	                   "PRAGMA temp_store=MEMORY; PRAGMA page_size=16384;"
	                   "PRAGMA threads=2;", /* the sorts of CREATE INDEX */
	                   err)) ||
	    (rc = exec_sql(x.db, schema_sql, err)) || (rc = exec_sql(x.db, "BEGIN", err)))
		goto out;
	if ((rc = prepare_all(&x, err)))
		goto out;
	for (int i = 0; i < ncaps; i++) {
		x.capture = i + 1;
		rc = index_capture(&x, caps[i], err);
		if (rc < 0)
			goto out;
		warnings += rc;
		rc = 0;
	}
	/* packets go straight to the connection: after the writer stopped */
	if ((rc = ff_rowq_finish(x.q, err)) || (rc = index_pcaps(&x, &warnings, err)))
		goto out;
	char meta[256];
	snprintf(meta, sizeof(meta),
	         "INSERT INTO meta VALUES ('schema_version', '%d'), ('generator', '%s');",
	         FF_INDEX_SCHEMA_VERSION, PACKAGE_STRING);
	if ((rc = exec_sql(x.db, meta, err)))
		goto out;
	if (x.o->rules_tag) {
		sqlite3_stmt *ms = NULL;
		if (sqlite3_prepare_v2(x.db, "INSERT INTO meta VALUES ('rules', ?)", -1, &ms,
		                       NULL) != SQLITE_OK) {
			rc = sqerr(&x, "meta");
			goto out;
		}
		sqlite3_bind_text(ms, 1, x.o->rules_tag, -1, SQLITE_STATIC);
		int sr = sqlite3_step(ms);
		sqlite3_finalize(ms);
		if (sr != SQLITE_DONE) {
			rc = sqerr(&x, "meta");
			goto out;
		}
	}
	if ((rc = exec_sql(x.db, index_sql, err)) || (rc = exec_sql(x.db, "COMMIT", err)))
		goto out;
	if (x.o->progress)
		x.o->progress(x.o->progress_arg, x.total_bytes, x.total_bytes);
	if (stats) {
		fill_stats(&x, stats);
		stats->warnings = warnings;
	}
out:
	ix_free(&x);
	if (x.db && sqlite3_close(x.db) != SQLITE_OK && !rc)
		rc = ff_errf(err, -EIO, "%s: cannot close", tmp);
	if (!rc && rename(tmp, db_path))
		rc = ff_errf(err, -errno, "%s: %s", db_path, strerror(errno));
	if (rc)
		unlink(tmp);
	return rc;
}

/* ---- live ---- */

/* a coarse clock (a few ns to read): it only paces the commits */
static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static void put_ts(struct ix *x, uint64_t ts)
{
	if (ts)
		ff_rowq_int(x->q, (int64_t)ts);
	else
		ff_rowq_null(x->q);
}

static int row0(struct ix *x, int stmt)
{
	ff_rowq_begin(x->q, stmt);
	return qend(x);
}

static int row1(struct ix *x, int stmt, int64_t a)
{
	ff_rowq_begin(x->q, stmt);
	ff_rowq_int(x->q, a);
	return qend(x);
}

/* Rows that left the window go.  The checkpoints (row ids and newest time
 * at each commit, oldest first) turn a time or count bound into id bounds:
 * rows come in time order. */
static int live_retire(struct ix *x, const struct ff_index_live_opts *lo)
{
	uint64_t cutoff = 0, ev_cut = 0;
	int rc;
	if (lo->retention_ns && x->last_ts > lo->retention_ns)
		cutoff = x->last_ts - lo->retention_ns;
	if (lo->max_events && (uint64_t)x->ev_id > lo->max_events)
		ev_cut = (uint64_t)x->ev_id - lo->max_events;
	size_t k = 0;
	/* the newest commit wholly outside the window bounds what goes */
	while (k < x->ncps && (x->cps[k].ts < cutoff || (uint64_t)x->cps[k].ev_id <= ev_cut))
		k++;
	if (lo->alert_retention_ns && x->last_ts > lo->alert_retention_ns) {
		int64_t acut = (int64_t)(x->last_ts - lo->alert_retention_ns);
		if ((rc = row1(x, S_RET_ALERTS, acut)) || (rc = row1(x, S_RET_DROPS, acut)))
			return rc;
	}
	if (k) {
		const struct checkpoint *c = &x->cps[k - 1];
		int64_t evs = c->ev_id > (int64_t)ev_cut ? c->ev_id : (int64_t)ev_cut;
		if ((rc = row1(x, S_RET_EVENTS, evs)) || (rc = row1(x, S_RET_FILES, c->file_id)))
			return rc;
		ff_rowq_begin(x->q, S_RET_CONNS);
		ff_rowq_int(x->q, c->conn_id);
		ff_rowq_int(x->q, (int64_t)c->ts);
		/* processes after the rows that refer to them */
		if ((rc = qend(x)) || (rc = row1(x, S_RET_PROCS, (int64_t)c->ts)))
			return rc;
		memmove(x->cps, x->cps + k, (x->ncps - k) * sizeof(*x->cps));
		x->ncps -= k;
	}
	if (!lo->retention_ns && !lo->max_events)
		return 0; /* nothing else ever goes: no checkpoints to keep */
	if (x->ncps == x->capcps) {
		size_t nc = x->capcps ? x->capcps * 2 : 64;
		struct checkpoint *n = realloc(x->cps, nc * sizeof(*n));
		if (!n)
			return ff_errf(x->err, -ENOMEM, "out of memory");
		x->cps = n;
		x->capcps = nc;
	}
	x->cps[x->ncps++] = (struct checkpoint){
		.ts = x->last_ts, .ev_id = x->ev_id, .file_id = x->file_id, .conn_id = x->conn_id
	};
	return 0;
}

/* Commit what came so far (and begin again unless `last`), after dropping the
 * rows that left the retention window; then hand the batch to the writer. */
static int live_commit(struct ix *x, struct stream *sm, const struct ff_index_live_opts *lo,
                       int last)
{
	int rc;
	ff_rowq_begin(x->q, S_CAPTURE_UPD);
	ff_rowq_int(x->q, x->capture);
	put_str(x, sm->host[0] ? sm->host : NULL);
	put_ts(x, x->first_ts);
	put_ts(x, x->last_ts);
	ff_rowq_int(x->q, x->ev_id - sm->first_id);
	if ((rc = qend(x)) || (rc = live_retire(x, lo)))
		return rc;
	if ((rc = row0(x, S_COMMIT)) || (!last && (rc = row0(x, S_BEGIN))))
		return rc;
	if ((rc = ff_rowq_flush(x->q)))
		return rc == -ENOMEM ? ff_errf(x->err, rc, "out of memory")
		                     : ff_rowq_finish(x->q, x->err);
	if (lo->on_commit) {
		struct ff_index_stats st;
		fill_stats(x, &st);
		lo->on_commit(lo->on_commit_arg, &st);
	}
	return 0;
}

/* a new file only its owner reads (it holds the host's activity); the old
 * one and its WAL files go, if it is an SQLite database (a mistyped --db
 * naming a capture must not destroy it) */
static int live_create(const char *db_path, struct ff_err *err)
{
	char side[PATH_MAX], head[16];
	int hfd = open(db_path, O_RDONLY | O_CLOEXEC);
	if (hfd >= 0) {
		ssize_t n = read(hfd, head, sizeof(head));
		close(hfd);
		if (n > 0 && (n < 16 || memcmp(head, "SQLite format 3", 16)))
			return ff_errf(err, -EEXIST, "%s: exists and is not an SQLite database",
			               db_path);
	}
	for (int i = 0; i < 3; i++) {
		if (snprintf(side, sizeof(side), "%s%s", db_path,
		             i == 0   ? ""
		             : i == 1 ? "-wal"
		                      : "-shm") >= (int)sizeof(side))
			return ff_errf(err, -ENAMETOOLONG, "%s: path too long", db_path);
		if (unlink(side) && errno != ENOENT)
			return ff_errf(err, -errno, "%s: %s", side, strerror(errno));
	}
	int fd = open(db_path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return ff_errf(err, -errno, "%s: %s", db_path, strerror(errno));
	close(fd);
	return 0;
}

int ff_index_live(const char *db_path, ff_index_next_fn next, void *arg,
                  const struct ff_index_opts *o, const struct ff_index_live_opts *lo,
                  struct ff_index_stats *stats, struct ff_err *err)
{
	static const struct ff_index_opts defaults = { 0 };
	struct ix x = { .o = o ? o : &defaults, .err = err, .capture = 1 };
	struct stream sm;
	int rc = 0;
	unsigned commit_ms = lo->commit_ms ? lo->commit_ms : 1000;

	if ((rc = live_create(db_path, err)))
		return rc;
	if (sqlite3_open_v2(db_path, &x.db,
	                    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                    NULL) != SQLITE_OK) {
		rc = ff_errf(err, -EIO, "%s: cannot create: %s", db_path,
		             x.db ? sqlite3_errmsg(x.db) : "out of memory");
		goto out;
	}
	classify(&x);
	char meta[512];
	snprintf(meta, sizeof(meta),
	         "INSERT INTO meta VALUES ('schema_version', '%d'), ('generator', '%s'), "
	         "('live', '1'), ('retention_ns', '%" PRIu64 "'), ('max_events', '%" PRIu64
	         "'), ('alert_retention_ns', '%" PRIu64 "');",
	         FF_INDEX_SCHEMA_VERSION, PACKAGE_STRING, lo->retention_ns, lo->max_events,
	         lo->alert_retention_ns);
	if (ff_sqlfn_register(x.db)) {
		rc = ff_errf(err, -EIO, "%s: cannot register SQL functions", db_path);
		goto out;
	}
	/* WAL: readers in other processes see each commit and never block the
	 * writer (a checkpoint only goes as far as the oldest reader's view);
	 * indexes kept up as rows come; the WAL file cut back after checkpoints */
	if ((rc = exec_sql(x.db,
	                   "PRAGMA page_size=16384; PRAGMA journal_mode=WAL;"
	                   "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;"
	                   "PRAGMA temp_store=MEMORY; PRAGMA journal_size_limit=67108864;",
	                   err)) ||
	    (rc = exec_sql(x.db, schema_sql, err)) || (rc = exec_sql(x.db, meta, err)) ||
	    (rc = exec_sql(x.db, index_sql, err)) || (rc = exec_sql(x.db, "BEGIN", err)) ||
	    (rc = prepare_all(&x, err)) || (rc = stream_begin(&x, &sm, err)))
		goto out;
	ff_rowq_begin(x.q, S_CAPTURE);
	ff_rowq_int(x.q, x.capture);
	put_str(&x, lo->name ? lo->name : "live");
	for (int i = 0; i < 9; i++)
		ff_rowq_null(x.q);
	if ((rc = qend(&x)))
		goto out;
	uint64_t last_commit = now_ms(), since_commit = 0;
	for (;;) {
		struct ff_block b;
		if (lo->stop && *lo->stop)
			break;
		int n = next(arg, &b, err);
		if (n == 0)
			break;
		if (n < 0 && n != -EAGAIN) {
			rc = n;
			goto out;
		}
		if (n > 0) {
			if ((rc = stream_block(&x, &sm, &b, err)))
				goto out;
			since_commit++;
		}
		if ((lo->commit_events && since_commit >= lo->commit_events) ||
		    now_ms() - last_commit >= commit_ms) {
			if ((rc = live_commit(&x, &sm, lo, 0)))
				goto out;
			last_commit = now_ms();
			since_commit = 0;
		}
	}
	if ((rc = stream_end(&x)) || (rc = live_commit(&x, &sm, lo, 1)) ||
	    (rc = ff_rowq_finish(x.q, err)))
		goto out;
	/* a plain file again unless a reader is still in it (then WAL stays) */
	sqlite3_exec(x.db, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (stats)
		fill_stats(&x, stats);
out:
	ix_free(&x);
	if (x.db && sqlite3_close(x.db) != SQLITE_OK && !rc)
		rc = ff_errf(err, -EIO, "%s: cannot close", db_path);
	return rc;
}

int ff_index_fresh(const char *db_path, const char *const *caps, int ncaps,
                   const char *const *pcaps, int npcaps, struct ff_err *err)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int fresh = 0, n = 0, rc;
	struct stat sb;
	if (stat(db_path, &sb))
		return 0;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		goto out;
	if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key='schema_version'", -1, &s,
	                       NULL) != SQLITE_OK ||
	    sqlite3_step(s) != SQLITE_ROW || sqlite3_column_int(s, 0) != FF_INDEX_SCHEMA_VERSION)
		goto out;
	sqlite3_finalize(s);
	s = NULL;
	if (sqlite3_prepare_v2(db, "SELECT realpath, size, mtime, hash FROM captures ORDER BY id",
	                       -1, &s, NULL) != SQLITE_OK)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct fprint fp;
		const char *hash = (const char *)sqlite3_column_text(s, 3);
		const char *real = (const char *)sqlite3_column_text(s, 0);
		if (n >= ncaps)
			goto out;
		if ((rc = fingerprint(caps[n], &fp, err))) {
			fresh = rc;
			goto out;
		}
		if (!real || strcmp(real, fp.real) || sqlite3_column_int64(s, 1) != fp.size ||
		    sqlite3_column_int64(s, 2) != fp.mtime || !hash || strcmp(hash, fp.hash))
			goto out;
		n++;
	}
	if (rc != SQLITE_DONE || n != ncaps)
		goto out;
	sqlite3_finalize(s);
	s = NULL;
	n = 0;
	if (sqlite3_prepare_v2(db, "SELECT realpath, size, mtime, hash FROM pcaps ORDER BY id", -1,
	                       &s, NULL) != SQLITE_OK)
		goto out;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct fprint fp;
		const char *hash = (const char *)sqlite3_column_text(s, 3);
		const char *real = (const char *)sqlite3_column_text(s, 0);
		if (n >= npcaps || fingerprint(pcaps[n], &fp, err))
			goto out; /* a packet file that went away: rebuild (and report it) */
		if (!real || strcmp(real, fp.real) || sqlite3_column_int64(s, 1) != fp.size ||
		    sqlite3_column_int64(s, 2) != fp.mtime || !hash || strcmp(hash, fp.hash))
			goto out;
		n++;
	}
	fresh = rc == SQLITE_DONE && n == npcaps;
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return fresh;
}

int ff_index_meta(const char *db_path, const char *key, char *buf, size_t len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	int rc = -ENOENT;
	if (len)
		buf[0] = 0;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &s, NULL) !=
	        SQLITE_OK)
		goto out;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	rc = 0;
	if (sqlite3_step(s) == SQLITE_ROW && len) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		snprintf(buf, len, "%s", v ? v : "");
	}
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return rc;
}
