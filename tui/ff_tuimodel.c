/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-tui's data model (ff_tuimodel.h).  Rows live in one open-addressing
 * hash keyed by (kind, pid, key) and in one list per kind; each row keeps its
 * totals and a bucket-sorted list of per-bucket counters, so a window query
 * sums a few entries per row instead of re-reading events.
 */
#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "ff_meta.h"
#include "ff_render.h"
#include "ff_tuimodel.h"

struct ent {
	uint32_t b;
	uint64_t c[FF_TC_MAX];
};

struct row {
	uint8_t kind;
	int64_t pid;
	const char *key; /* interned */
	uint64_t hash;
	uint64_t tot[FF_TC_MAX];
	struct ent *ents;
	uint32_t nents, cap;
	uint64_t first_ts, last_ts;
	struct ff_tuiconn *conn; /* CONN rows of IP sockets */
};

/* per-thread: its process and the pending enter event (for syscall time) */
struct tidrec {
	int64_t tid; /* 0 = empty slot */
	int64_t pid;
	uint64_t enter_ts;
	uint16_t enter_type;
	uint8_t pending; /* enter_ts/enter_type hold an enter not yet matched */
	uint8_t counted; /* counted in its process's nthreads */
	uint8_t used;
};

struct ff_tuimodel {
	/* rows */
	struct row **rtab; /* hash slots */
	size_t rcap, nrows;
	struct row **bykind[FF_TK_MAX];
	size_t nbykind[FF_TK_MAX], capbykind[FF_TK_MAX];
	/* interned strings */
	char **stab;
	size_t scap, nstr;
	/* processes and threads */
	struct ff_tuiproc **ptab; /* hash slots, NULL = empty */
	size_t pcap, nprocs;
	struct tidrec *ttab;
	size_t tcap, ntids;
	/* time */
	uint64_t base_ts, bucket_ns, first_ts, last_ts, nevents;
	int have_base;
	uint64_t timeline[FF_TUI_NBUCKETS];
	uint32_t atimeline[FF_TUI_NBUCKETS];
	/* alerts: a growing array, or live a ring of max_alerts slots holding
	 * indices [alert_first, nalerts) */
	struct ff_tuialert *alerts;
	size_t nalerts, capalerts;
	size_t max_alerts, alert_first;
	uint64_t alert_by_prio[8];
	/* live: buckets slide; something slid out since the last prune */
	int live, stale;
	/* live: bytes held by rows, their buckets and strings (an estimate),
	 * the budget, and the new rows refused while over it */
	size_t mem, max_mem;
	uint64_t refused;
};

/* what a row costs beyond its buckets: itself, its hash and list slots */
#define ROW_BYTES (sizeof(struct row) + 3 * sizeof(void *))
#define STR_BYTES(s) (strlen(s) + 1 + 16)
/* new rows over the memory budget go to this key of their kind */
#define OVER_KEY "(more than the live memory budget holds)"

/* ---- hashing and interning ---- */

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static uint64_t hash_str(const char *s)
{
	return hash_bytes(14695981039346656037ULL, s, strlen(s));
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return x;
}

static const char *intern(struct ff_tuimodel *m, const char *s)
{
	if (m->nstr * 2 >= m->scap) {
		size_t ncap = m->scap ? m->scap * 2 : 256;
		char **nt = calloc(ncap, sizeof(*nt));
		if (!nt)
			return NULL;
		for (size_t i = 0; i < m->scap; i++) {
			if (!m->stab[i])
				continue;
			size_t j = hash_str(m->stab[i]) & (ncap - 1);
			while (nt[j])
				j = (j + 1) & (ncap - 1);
			nt[j] = m->stab[i];
		}
		free(m->stab);
		m->stab = nt;
		m->scap = ncap;
	}
	size_t j = hash_str(s) & (m->scap - 1);
	while (m->stab[j]) {
		if (strcmp(m->stab[j], s) == 0)
			return m->stab[j];
		j = (j + 1) & (m->scap - 1);
	}
	char *d = strdup(s);
	if (!d)
		return NULL;
	m->stab[j] = d;
	m->nstr++;
	m->mem += STR_BYTES(d);
	return d;
}

static uint64_t row_hash(unsigned kind, int64_t pid, const char *key)
{
	/* keys are interned: the pointer identifies the string */
	uint64_t h = mix64((uint64_t)kind * 0x9E3779B97F4A7C15ULL ^ (uint64_t)pid);
	return mix64(h ^ (uint64_t)(uintptr_t)key);
}

static int rows_grow(struct ff_tuimodel *m)
{
	size_t ncap = m->rcap ? m->rcap * 2 : 1024;
	struct row **nt = calloc(ncap, sizeof(*nt));
	if (!nt)
		return -ENOMEM;
	for (size_t i = 0; i < m->rcap; i++) {
		struct row *r = m->rtab[i];
		if (!r)
			continue;
		size_t j = r->hash & (ncap - 1);
		while (nt[j])
			j = (j + 1) & (ncap - 1);
		nt[j] = r;
	}
	free(m->rtab);
	m->rtab = nt;
	m->rcap = ncap;
	return 0;
}

/* Find or create the row (kind, pid, key); key must be interned. */
static struct row *row_get(struct ff_tuimodel *m, unsigned kind, int64_t pid, const char *key)
{
	if ((m->nrows + 1) * 2 > m->rcap && rows_grow(m))
		return NULL;
	uint64_t h = row_hash(kind, pid, key);
	size_t j = h & (m->rcap - 1);
	struct row *r;
	while ((r = m->rtab[j])) {
		if (r->hash == h && r->kind == kind && r->pid == pid && r->key == key)
			return r;
		j = (j + 1) & (m->rcap - 1);
	}
	if (m->nbykind[kind] == m->capbykind[kind]) {
		size_t nc = m->capbykind[kind] ? m->capbykind[kind] * 2 : 64;
		struct row **nv = realloc(m->bykind[kind], nc * sizeof(*nv));
		if (!nv)
			return NULL;
		m->bykind[kind] = nv;
		m->capbykind[kind] = nc;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->kind = (uint8_t)kind;
	r->pid = pid;
	r->key = key;
	r->hash = h;
	m->mem += ROW_BYTES;
	m->rtab[j] = r;
	m->nrows++;
	m->bykind[kind][m->nbykind[kind]++] = r;
	return r;
}

/* Add counters `c` to row r in bucket b. */
static int row_add(struct ff_tuimodel *m, struct row *r, uint32_t b, const uint64_t c[FF_TC_MAX])
{
	struct ent *e = NULL;
	for (int i = 0; i < FF_TC_MAX; i++)
		r->tot[i] += c[i];
	if (r->nents && r->ents[r->nents - 1].b == b) {
		e = &r->ents[r->nents - 1];
	} else {
		/* events come in time order but for small skews: search back */
		uint32_t pos = r->nents;
		while (pos > 0 && r->ents[pos - 1].b > b)
			pos--;
		if (pos > 0 && r->ents[pos - 1].b == b) {
			e = &r->ents[pos - 1];
		} else {
			if (r->nents == r->cap) {
				uint32_t nc = r->cap ? r->cap * 2 : 4;
				struct ent *ne = realloc(r->ents, nc * sizeof(*ne));
				if (!ne)
					return -ENOMEM;
				m->mem += (nc - r->cap) * sizeof(*ne);
				r->ents = ne;
				r->cap = nc;
			}
			memmove(&r->ents[pos + 1], &r->ents[pos],
			        (r->nents - pos) * sizeof(*r->ents));
			e = &r->ents[pos];
			memset(e, 0, sizeof(*e));
			e->b = b;
			r->nents++;
		}
	}
	for (int i = 0; i < FF_TC_MAX; i++)
		e->c[i] += c[i];
	return 0;
}

/* ---- processes and threads ---- */

/* Records are allocated one by one so that pointers handed out stay valid
 * while the table grows. */
static struct ff_tuiproc *proc_slot(struct ff_tuimodel *m, int64_t pid, int create)
{
	if (create && (m->nprocs + 1) * 2 > m->pcap) {
		size_t ncap = m->pcap ? m->pcap * 2 : 256;
		struct ff_tuiproc **nt = calloc(ncap, sizeof(*nt));
		if (!nt)
			return NULL;
		for (size_t i = 0; i < m->pcap; i++) {
			if (!m->ptab[i])
				continue;
			size_t j = mix64((uint64_t)m->ptab[i]->pid) & (ncap - 1);
			while (nt[j])
				j = (j + 1) & (ncap - 1);
			nt[j] = m->ptab[i];
		}
		free(m->ptab);
		m->ptab = nt;
		m->pcap = ncap;
	}
	if (!m->pcap)
		return NULL;
	size_t j = mix64((uint64_t)pid) & (m->pcap - 1);
	while (m->ptab[j]) {
		if (m->ptab[j]->pid == pid)
			return m->ptab[j];
		j = (j + 1) & (m->pcap - 1);
	}
	if (!create)
		return NULL;
	struct ff_tuiproc *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->pid = pid;
	p->ppid = -1;
	m->ptab[j] = p;
	m->nprocs++;
	return p;
}

static struct tidrec *tid_slot(struct ff_tuimodel *m, int64_t tid, int create)
{
	if (create && (m->ntids + 1) * 2 > m->tcap) {
		size_t ncap = m->tcap ? m->tcap * 2 : 256;
		struct tidrec *nt = calloc(ncap, sizeof(*nt));
		if (!nt)
			return NULL;
		for (size_t i = 0; i < m->tcap; i++) {
			if (!m->ttab[i].used)
				continue;
			size_t j = mix64((uint64_t)m->ttab[i].tid) & (ncap - 1);
			while (nt[j].used)
				j = (j + 1) & (ncap - 1);
			nt[j] = m->ttab[i];
		}
		free(m->ttab);
		m->ttab = nt;
		m->tcap = ncap;
	}
	if (!m->tcap)
		return NULL;
	size_t j = mix64((uint64_t)tid) & (m->tcap - 1);
	while (m->ttab[j].used) {
		if (m->ttab[j].tid == tid)
			return &m->ttab[j];
		j = (j + 1) & (m->tcap - 1);
	}
	if (!create)
		return NULL;
	memset(&m->ttab[j], 0, sizeof(m->ttab[j]));
	m->ttab[j].used = 1;
	m->ttab[j].tid = tid;
	m->ttab[j].pid = tid;
	m->ntids++;
	return &m->ttab[j];
}

static void copy_str(char *dst, size_t cap, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(dst, s, n);
	dst[n] = 0;
}

/* Refresh a process record from the state's view of its main thread. */
static void proc_refresh(struct ff_tuimodel *m, const struct ff_state *st, struct ff_tuiproc *p,
                         const struct ff_thread *t)
{
	const struct ff_thread *mt = ff_state_main_thread(st, t);
	if (!mt)
		mt = t;
	p->ppid = ff_thread_ptid(mt);
	copy_str(p->comm, sizeof(p->comm), ff_thread_comm(mt));
	const char *u = ff_state_user_name(st, ff_thread_uid(mt));
	if (u)
		copy_str(p->user, sizeof(p->user), u);
	else if (ff_thread_uid(mt) == UINT32_MAX)
		p->user[0] = 0; /* no uid recorded (sysdig prints nothing either) */
	else
		snprintf(p->user, sizeof(p->user), "%u", ff_thread_uid(mt));
	copy_str(p->container, sizeof(p->container), ff_thread_container_id(mt));
	/* cmdline: exe then argv[1..] */
	size_t o = 0;
	const char *exe = ff_thread_exe(mt);
	copy_str(p->cmdline, sizeof(p->cmdline), exe && *exe ? exe : p->comm);
	o = strlen(p->cmdline);
	uint32_t alen = 0;
	const char *a = ff_thread_args(mt, &alen);
	for (uint32_t i = 0; a && i < alen && o + 1 < sizeof(p->cmdline);) {
		size_t l = strnlen(a + i, alen - i);
		p->cmdline[o++] = ' ';
		for (size_t k = 0; k < l && o + 1 < sizeof(p->cmdline); k++)
			p->cmdline[o++] = a[i + k];
		i += (uint32_t)l + 1;
	}
	p->cmdline[o] = 0;
	(void)m;
}

static struct ff_tuiproc *note_thread(struct ff_tuimodel *m, const struct ff_state *st,
                                      const struct ff_thread *t, int refresh, uint64_t ts)
{
	int64_t tid = ff_thread_tid(t), pid = ff_thread_pid(t);
	if (pid <= 0)
		pid = tid;
	struct tidrec *tr = tid_slot(m, tid, 1);
	if (!tr)
		return NULL;
	tr->pid = pid;
	struct ff_tuiproc *p = proc_slot(m, pid, 1);
	if (!p)
		return NULL;
	if (!p->comm[0] || refresh)
		proc_refresh(m, st, p, t);
	if (!tr->counted) {
		tr->counted = 1;
		p->nthreads++;
	}
	if (ts) {
		if (!p->first_ts || ts < p->first_ts)
			p->first_ts = ts;
		if (ts > p->last_ts)
			p->last_ts = ts;
	}
	return p;
}

/* ---- time buckets ---- */

static void merge_buckets(struct ff_tuimodel *m)
{
	/* double the width: bucket i becomes i/2 */
	for (unsigned i = 0; i < FF_TUI_NBUCKETS; i++) {
		uint64_t v = m->timeline[i];
		uint32_t a = m->atimeline[i];
		m->timeline[i] = 0;
		m->atimeline[i] = 0;
		m->timeline[i / 2] += v;
		m->atimeline[i / 2] += a;
	}
	for (size_t i = 0; i < m->rcap; i++) {
		struct row *r = m->rtab[i];
		if (!r || !r->nents)
			continue;
		uint32_t w = 0;
		for (uint32_t k = 0; k < r->nents; k++) {
			uint32_t nb = r->ents[k].b / 2;
			if (w > 0 && r->ents[w - 1].b == nb) {
				for (int c = 0; c < FF_TC_MAX; c++)
					r->ents[w - 1].c[c] += r->ents[k].c[c];
			} else {
				r->ents[w] = r->ents[k];
				r->ents[w].b = nb;
				w++;
			}
		}
		r->nents = w;
	}
	m->bucket_ns *= 2;
}

/* Live: the oldest `k` buckets go; every row keeps the rest. */
static void slide(struct ff_tuimodel *m, uint64_t k)
{
	const unsigned nb = FF_TUI_NBUCKETS;
	unsigned kk = k < nb ? (unsigned)k : nb;
	memmove(m->timeline, m->timeline + kk, (nb - kk) * sizeof(m->timeline[0]));
	memset(m->timeline + (nb - kk), 0, kk * sizeof(m->timeline[0]));
	memmove(m->atimeline, m->atimeline + kk, (nb - kk) * sizeof(m->atimeline[0]));
	memset(m->atimeline + (nb - kk), 0, kk * sizeof(m->atimeline[0]));
	for (size_t i = 0; i < m->rcap; i++) {
		struct row *r = m->rtab[i];
		if (!r || !r->nents)
			continue;
		uint32_t cut = 0;
		while (cut < r->nents && r->ents[cut].b < kk) {
			for (int c = 0; c < FF_TC_MAX; c++)
				r->tot[c] -= r->ents[cut].c[c];
			cut++;
		}
		memmove(r->ents, r->ents + cut, (r->nents - cut) * sizeof(*r->ents));
		r->nents -= cut;
		for (uint32_t e = 0; e < r->nents; e++)
			r->ents[e].b -= kk;
	}
	m->base_ts += k * m->bucket_ns;
	if (m->first_ts && m->first_ts < m->base_ts)
		m->first_ts = m->base_ts;
	m->stale = 1;
}

static uint32_t bucket_of(struct ff_tuimodel *m, uint64_t ts)
{
	if (!m->have_base) {
		m->base_ts = ts;
		m->have_base = 1;
		if (!m->bucket_ns)
			m->bucket_ns = 1000000; /* 1 ms, doubled as the stream grows */
	}
	if (ts < m->base_ts)
		return 0;
	uint64_t x = (ts - m->base_ts) / m->bucket_ns;
	if (x >= FF_TUI_NBUCKETS && m->live) {
		/* at least an eighth at a time: the cost of a slide is spread */
		uint64_t need = x - FF_TUI_NBUCKETS + 1;
		slide(m, need < FF_TUI_NBUCKETS / 8 ? FF_TUI_NBUCKETS / 8 : need);
	}
	while ((ts - m->base_ts) / m->bucket_ns >= FF_TUI_NBUCKETS)
		merge_buckets(m);
	return (uint32_t)((ts - m->base_ts) / m->bucket_ns);
}

/* ---- classification of one event ---- */

struct evkeys {
	const struct ff_event_info *info;
	const char *type;    /* syscall name */
	int is_exit;         /* exit (or single) event */
	int failed;          /* exit with a negative result */
	int64_t res;         /* first parameter as an integer */
	const char *errname; /* errno name when failed */
	const struct ff_fd *fd;
	char fdk;    /* 'f' file/dir, 'c' connection, 0 other */
	int is_open; /* successful fd-creating exit */
	uint64_t bin, bout;
	int is_server;
	char port[24];
	char dir[1024];
	struct ff_tuiconn conn; /* fdk 'c': the socket's tuple */
};

static int is_file_fd(uint8_t ty)
{
	return ty == FF_FD_FILE || ty == FF_FD_FILE_V2 || ty == FF_FD_DIRECTORY;
}

static int is_sock_fd(uint8_t ty)
{
	return ty == FF_FD_IPV4_SOCK || ty == FF_FD_IPV6_SOCK || ty == FF_FD_IPV4_SERVSOCK ||
	       ty == FF_FD_IPV6_SERVSOCK || ty == FF_FD_UNIX_SOCK;
}

static void dirname_of(const char *path, char *out, size_t cap)
{
	const char *sl = strrchr(path, '/');
	size_t n = sl ? (size_t)(sl - path) : 0;
	if (!sl) {
		copy_str(out, cap, ".");
		return;
	}
	if (n == 0)
		n = 1; /* "/x" -> "/" */
	if (n >= cap)
		n = cap - 1;
	memcpy(out, path, n);
	out[n] = 0;
}

static void classify(const struct ff_state *st, const struct ff_evt *ev, struct evkeys *k)
{
	memset(k, 0, sizeof(*k));
	k->info = ff_evt_info(ev);
	k->type = ff_render_type(ev);
	if (!k->info)
		return;
	k->is_exit = k->info->dir != 'E';
	const struct ff_fd *fd = ff_state_evt_fd(st);
	uint32_t fl = k->info->flags;
	if (!(fl & (FF_EF_CREATES_FD | FF_EF_USES_FD | FF_EF_DESTROYS_FD | FF_EF_READS_FROM_FD |
	            FF_EF_WRITES_TO_FD)))
		fd = NULL;
	if (k->is_exit && ev->nparams > 0 && k->info->nparams > 0) {
		uint8_t pt = k->info->params[0].type;
		if (pt == FF_PT_ERRNO || pt == FF_PT_FD || pt == FF_PT_PID) {
			int ok = 0;
			k->res = ff_evt_param_int(ev, 0, &ok);
			if (ok && k->res < 0) {
				k->failed = 1;
				k->errname = ff_render_errno_name(k->res);
				if (!k->errname)
					k->errname = "E?";
			}
		}
	}
	if (!fd)
		return;
	k->fd = fd;
	uint8_t ty = ff_fd_type(fd);
	const char *name = ff_fd_name(fd);
	if (is_file_fd(ty) && name && name[0]) {
		k->fdk = 'f';
		dirname_of(name, k->dir, sizeof(k->dir));
	} else if (is_sock_fd(ty)) {
		k->fdk = 'c';
		uint8_t sip[16], dip[16];
		uint16_t sport = 0, dport = 0;
		ff_fd_tuple(fd, sip, &sport, dip, &dport);
		if (ty != FF_FD_UNIX_SOCK) {
			uint8_t l4 = ff_fd_l4proto(fd);
			k->conn.family = ty == FF_FD_IPV4_SOCK || ty == FF_FD_IPV4_SERVSOCK ? 4 : 6;
			k->conn.l4 = l4 == 2 ? IPPROTO_TCP : l4 == 3 ? IPPROTO_UDP : 0;
			memcpy(k->conn.sip, sip, 16);
			memcpy(k->conn.dip, dip, 16);
			k->conn.sport = sport;
			k->conn.dport = dport;
		}
		uint16_t port = 0;
		if (ty == FF_FD_IPV4_SERVSOCK || ty == FF_FD_IPV6_SERVSOCK)
			port = sport;
		else if (ff_fd_is_server(fd))
			port = dport;
		if (port) {
			uint8_t l4 = ff_fd_l4proto(fd);
			k->is_server = 1;
			snprintf(k->port, sizeof(k->port), "%s/%u",
			         l4 == 3 ? "udp" : (l4 == 2 ? "tcp" : "ip"), port);
		}
	}
	if (k->is_exit && !k->failed) {
		unsigned cat = k->info->category & FF_EC_LOW_MASK;
		if ((fl & FF_EF_CREATES_FD) && k->fdk == 'f')
			k->is_open = 1;
		if (k->res > 0 && cat == FF_EC_IO_READ)
			k->bin = (uint64_t)k->res;
		else if (k->res > 0 && cat == FF_EC_IO_WRITE)
			k->bout = (uint64_t)k->res;
	}
}

/* ---- public ---- */

int ff_tuimodel_new(struct ff_tuimodel **out, struct ff_err *err)
{
	struct ff_tuimodel *m = calloc(1, sizeof(*m));
	if (!m || rows_grow(m)) {
		free(m);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	*out = m;
	return 0;
}

void ff_tuimodel_free(struct ff_tuimodel *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->rcap; i++) {
		if (m->rtab[i]) {
			free(m->rtab[i]->ents);
			free(m->rtab[i]->conn);
			free(m->rtab[i]);
		}
	}
	free(m->rtab);
	for (int k = 0; k < FF_TK_MAX; k++)
		free(m->bykind[k]);
	for (size_t i = 0; i < m->scap; i++)
		free(m->stab[i]);
	free(m->stab);
	for (size_t i = 0; i < m->pcap; i++)
		free(m->ptab[i]);
	free(m->ptab);
	free(m->ttab);
	free(m->alerts);
	free(m);
}

void ff_tuimodel_set_span(struct ff_tuimodel *m, uint64_t first_ts, uint64_t last_ts)
{
	if (m->have_base || last_ts < first_ts)
		return;
	m->base_ts = first_ts;
	m->have_base = 1;
	uint64_t w = (last_ts - first_ts) / FF_TUI_NBUCKETS + 1;
	m->bucket_ns = w < 1000 ? 1000 : w;
}

void ff_tuimodel_set_live(struct ff_tuimodel *m, uint64_t bucket_ns, size_t max_alerts,
                          size_t max_bytes)
{
	if (m->have_base || m->nalerts)
		return;
	m->live = 1;
	m->bucket_ns = bucket_ns ? bucket_ns : 1000000000ULL;
	m->max_alerts = max_alerts;
	m->max_mem = max_bytes;
}

static struct row *row_find(const struct ff_tuimodel *m, unsigned kind, int64_t pid,
                            const char *key)
{
	uint64_t h = row_hash(kind, pid, key);
	for (size_t j = h & (m->rcap - 1); m->rtab[j]; j = (j + 1) & (m->rcap - 1)) {
		const struct row *r = m->rtab[j];
		if (r->hash == h && r->kind == kind && r->pid == pid && r->key == key)
			return m->rtab[j];
	}
	return NULL;
}

static int proc_alive(const struct ff_tuimodel *m, int64_t pid)
{
	const struct ff_tuiproc *p = proc_slot((struct ff_tuimodel *)m, pid, 0);
	return p && !p->exited;
}

/* Free rows without activity (but the rows of live processes), exited
 * processes without rows, their threads, and strings nothing refers to. */
static void prune_all(struct ff_tuimodel *m)
{
	/* rows: keep in place in the per-kind lists, then rehash */
	for (int k = 0; k < FF_TK_MAX; k++) {
		size_t w = 0;
		for (size_t i = 0; i < m->nbykind[k]; i++) {
			struct row *r = m->bykind[k][i];
			if (r->nents || (k == FF_TK_PROC && proc_alive(m, r->pid))) {
				m->bykind[k][w++] = r;
				continue;
			}
			m->mem -= ROW_BYTES + r->cap * sizeof(*r->ents) +
			          (r->conn ? sizeof(*r->conn) : 0);
			free(r->ents);
			free(r->conn);
			free(r);
		}
		m->nbykind[k] = w;
	}
	memset(m->rtab, 0, m->rcap * sizeof(*m->rtab));
	m->nrows = 0;
	for (int k = 0; k < FF_TK_MAX; k++)
		for (size_t i = 0; i < m->nbykind[k]; i++) {
			struct row *r = m->bykind[k][i];
			size_t j = r->hash & (m->rcap - 1);
			while (m->rtab[j])
				j = (j + 1) & (m->rcap - 1);
			m->rtab[j] = r;
			m->nrows++;
		}
	/* processes: exited ones whose row went */
	const char *empty = NULL;
	if (m->scap) {
		size_t j = hash_str("") & (m->scap - 1);
		for (; m->stab[j] && !empty; j = (j + 1) & (m->scap - 1))
			if (!m->stab[j][0])
				empty = m->stab[j];
	}
	struct ff_tuiproc **keep = m->pcap ? calloc(m->pcap, sizeof(*keep)) : NULL;
	if (keep) {
		size_t nk = 0;
		for (size_t i = 0; i < m->pcap; i++) {
			struct ff_tuiproc *p = m->ptab[i];
			if (!p)
				continue;
			if (p->exited && !(empty && row_find(m, FF_TK_PROC, p->pid, empty)))
				free(p);
			else
				keep[nk++] = p;
		}
		memset(m->ptab, 0, m->pcap * sizeof(*m->ptab));
		m->nprocs = 0;
		for (size_t i = 0; i < nk; i++) {
			size_t j = mix64((uint64_t)keep[i]->pid) & (m->pcap - 1);
			while (m->ptab[j])
				j = (j + 1) & (m->pcap - 1);
			m->ptab[j] = keep[i];
			m->nprocs++;
		}
		free(keep);
		/* threads of the processes that went */
		struct tidrec *tk = m->tcap ? malloc(m->tcap * sizeof(*tk)) : NULL;
		if (tk) {
			size_t nt = 0;
			for (size_t i = 0; i < m->tcap; i++)
				if (m->ttab[i].used && proc_slot(m, m->ttab[i].pid, 0))
					tk[nt++] = m->ttab[i];
			memset(m->ttab, 0, m->tcap * sizeof(*m->ttab));
			m->ntids = 0;
			for (size_t i = 0; i < nt; i++) {
				size_t j = mix64((uint64_t)tk[i].tid) & (m->tcap - 1);
				while (m->ttab[j].used)
					j = (j + 1) & (m->tcap - 1);
				m->ttab[j] = tk[i];
				m->ntids++;
			}
			free(tk);
		}
	}
	/* strings: those of the rows and of the alerts kept */
	char **nt = calloc(m->scap ? m->scap : 1, sizeof(*nt));
	if (!nt)
		return;
	size_t nn = 0;
#define KEEP_STR(p)                                                                                \
	do {                                                                                       \
		size_t j_ = hash_str(p) & (m->scap - 1);                                           \
		while (nt[j_] && nt[j_] != (p))                                                    \
			j_ = (j_ + 1) & (m->scap - 1);                                             \
		if (!nt[j_]) {                                                                     \
			nt[j_] = (char *)(p);                                                      \
			nn++;                                                                      \
		}                                                                                  \
	} while (0)
	for (int k = 0; k < FF_TK_MAX; k++)
		for (size_t i = 0; i < m->nbykind[k]; i++)
			KEEP_STR(m->bykind[k][i]->key);
	for (size_t i = m->alert_first; i < m->nalerts; i++) {
		const struct ff_tuialert *a = ff_tuimodel_alert(m, i);
		KEEP_STR(a->rule);
		KEEP_STR(a->output);
	}
#undef KEEP_STR
	for (size_t i = 0; i < m->scap; i++) {
		char *str = m->stab[i];
		if (!str)
			continue;
		size_t j = hash_str(str) & (m->scap - 1);
		while (nt[j] && nt[j] != str)
			j = (j + 1) & (m->scap - 1);
		if (!nt[j]) {
			m->mem -= STR_BYTES(str);
			free(str);
		}
	}
	free(m->stab);
	m->stab = nt;
	m->nstr = nn;
}

void ff_tuimodel_prune(struct ff_tuimodel *m)
{
	if (!m->live || (!m->stale && !ff_tuimodel_pressure(m)))
		return;
	m->stale = 0;
	prune_all(m);
	/* over three quarters of the budget: the oldest buckets go early, an
	 * eighth at a time, down to the last bucket */
	while (m->max_mem && m->mem > m->max_mem / 4 * 3 && m->have_base &&
	       m->last_ts > m->base_ts) {
		uint64_t last = (m->last_ts - m->base_ts) / m->bucket_ns;
		if (!last)
			break;
		slide(m, last < FF_TUI_NBUCKETS / 8 ? last : FF_TUI_NBUCKETS / 8);
		m->stale = 0;
		prune_all(m);
	}
}

int ff_tuimodel_pressure(const struct ff_tuimodel *m)
{
	return m->max_mem && m->mem > m->max_mem;
}

size_t ff_tuimodel_mem(const struct ff_tuimodel *m)
{
	return m->mem;
}

uint64_t ff_tuimodel_refused(const struct ff_tuimodel *m)
{
	return m->refused;
}

void ff_tuimodel_clear_activity(struct ff_tuimodel *m)
{
	for (size_t i = 0; i < m->rcap; i++) {
		struct row *r = m->rtab[i];
		if (!r)
			continue;
		r->nents = 0;
		memset(r->tot, 0, sizeof(r->tot));
		r->first_ts = r->last_ts = 0;
	}
	memset(m->timeline, 0, sizeof(m->timeline));
	memset(m->atimeline, 0, sizeof(m->atimeline));
	m->nevents = 0;
	m->first_ts = m->last_ts = 0;
	m->stale = 0;
	prune_all(m);
}

int ff_tuimodel_note_thread(struct ff_tuimodel *m, const struct ff_state *st,
                            const struct ff_thread *t)
{
	struct ff_tuiproc *p = note_thread(m, st, t, 1, 0);
	const char *e = intern(m, "");
	/* an empty row, so that idle processes show in the whole-capture view */
	if (!p || !e || !row_get(m, FF_TK_PROC, p->pid, e))
		return -ENOMEM;
	return 0;
}

static int add_row(struct ff_tuimodel *m, unsigned kind, int64_t pid, const char *key, uint32_t b,
                   const uint64_t c[FF_TC_MAX], uint64_t ts, const struct ff_tuiconn *conn)
{
	const char *ik = intern(m, key);
	if (!ik)
		return -ENOMEM;
	/* live, over the budget: no new rows (processes excepted) */
	if (m->max_mem && m->mem > m->max_mem && kind != FF_TK_PROC &&
	    !row_find(m, kind, pid, ik)) {
		m->refused++;
		if (!(ik = intern(m, OVER_KEY)))
			return -ENOMEM;
		conn = NULL;
	}
	struct row *r = row_get(m, kind, pid, ik);
	if (!r)
		return -ENOMEM;
	if (!r->first_ts || ts < r->first_ts)
		r->first_ts = ts;
	if (ts > r->last_ts)
		r->last_ts = ts;
	if (conn && conn->family && !r->conn) {
		r->conn = malloc(sizeof(*r->conn));
		if (!r->conn)
			return -ENOMEM;
		*r->conn = *conn;
		m->mem += sizeof(*r->conn);
	}
	return row_add(m, r, b, c);
}

int ff_tuimodel_add(struct ff_tuimodel *m, const struct ff_state *st, const struct ff_evt *ev)
{
	struct evkeys k;
	uint64_t c[FF_TC_MAX] = { 0 };
	uint32_t b = bucket_of(m, ev->ts);
	int rc = 0;

	m->nevents++;
	m->timeline[b]++;
	if (!m->first_ts || ev->ts < m->first_ts)
		m->first_ts = ev->ts;
	if (ev->ts > m->last_ts)
		m->last_ts = ev->ts;

	const struct ff_thread *t = ff_state_evt_thread(st);
	if (!t)
		return 0;
	classify(st, ev, &k);
	if (!k.info)
		return 0;
	unsigned pcat = k.info->category & FF_EC_LOW_MASK;
	struct ff_tuiproc *p = note_thread(m, st, t, pcat == FF_EC_PROCESS && k.is_exit, ev->ts);
	if (!p)
		return -ENOMEM;
	int64_t pid = p->pid;
	struct tidrec *tr = tid_slot(m, ff_thread_tid(t), 0);
	uint64_t lat = 0;
	if (tr) {
		if (!k.is_exit) {
			tr->enter_ts = ev->ts;
			tr->enter_type = ev->type;
			tr->pending = 1;
		} else if (tr->pending && tr->enter_type + 1 == ev->type &&
		           ev->ts >= tr->enter_ts) {
			lat = ev->ts - tr->enter_ts;
			tr->pending = 0;
		}
	}
	if (ev->type == FFE_PROCEXIT_E || ev->type == FFE_PROCEXIT_16_E) {
		if (ff_thread_tid(t) == pid)
			p->exited = 1;
	}

	/* the process and its container */
	c[FF_TC_EVTS] = 1;
	c[FF_TC_BYTES_IN] = k.bin;
	c[FF_TC_BYTES_OUT] = k.bout;
	c[FF_TC_ERRORS] = (uint64_t)k.failed;
	c[FF_TC_TIME] = lat;
	if (k.fdk == 'f')
		c[FF_TC_FILE_BYTES] = k.bin + k.bout;
	else if (k.fdk == 'c')
		c[FF_TC_NET_BYTES] = k.bin + k.bout;
	rc = add_row(m, FF_TK_PROC, pid, "", b, c, ev->ts, NULL);
	rc = rc
	         ?: add_row(m, FF_TK_CONTAINER, pid, p->container[0] ? p->container : "host", b, c,
	                    ev->ts, NULL);
	if (rc || !k.is_exit)
		return rc;

	/* exit events: the syscall, its error, its fd */
	rc = add_row(m, FF_TK_SYSCALL, pid, k.type, b, c, ev->ts, NULL);
	if (!rc && k.failed) {
		uint64_t e[FF_TC_MAX] = { 0 };
		e[FF_TC_EVTS] = 1;
		e[FF_TC_ERRORS] = 1;
		rc = add_row(m, FF_TK_ERROR, pid, k.errname, b, e, ev->ts, NULL);
	}
	if (rc || !k.fdk)
		return rc;
	c[FF_TC_OPS] = 1;
	c[FF_TC_OPENS] = (uint64_t)k.is_open;
	c[FF_TC_FILE_BYTES] = c[FF_TC_NET_BYTES] = 0;
	if (k.fdk == 'f') {
		rc = add_row(m, FF_TK_FILE, pid, ff_fd_name(k.fd), b, c, ev->ts, NULL);
		rc = rc ?: add_row(m, FF_TK_DIR, pid, k.dir, b, c, ev->ts, NULL);
	} else {
		const char *n = ff_fd_name(k.fd);
		if (n && n[0])
			rc = add_row(m, FF_TK_CONN, pid, n, b, c, ev->ts, &k.conn);
		if (!rc && k.is_server)
			rc = add_row(m, FF_TK_PORT, pid, k.port, b, c, ev->ts, NULL);
	}
	return rc;
}

int ff_tuimodel_add_alert(struct ff_tuimodel *m, const struct ff_tuialert *a)
{
	struct ff_tuialert *d;
	if (m->max_alerts) {
		if (!m->alerts && !(m->alerts = calloc(m->max_alerts, sizeof(*m->alerts))))
			return -ENOMEM;
		d = &m->alerts[m->nalerts % m->max_alerts];
	} else {
		if (m->nalerts == m->capalerts) {
			size_t nc = m->capalerts ? m->capalerts * 2 : 64;
			struct ff_tuialert *nv = realloc(m->alerts, nc * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			m->alerts = nv;
			m->capalerts = nc;
		}
		d = &m->alerts[m->nalerts];
	}
	/* the slot's old strings stay interned until the next prune */
	struct ff_tuialert na = *a;
	na.rule = intern(m, a->rule ? a->rule : "");
	na.output = intern(m, a->output ? a->output : "");
	if (!na.rule || !na.output)
		return -ENOMEM;
	*d = na;
	m->nalerts++;
	if (m->max_alerts && m->nalerts - m->alert_first > m->max_alerts) {
		m->alert_first = m->nalerts - m->max_alerts;
		m->stale = 1;
	}
	m->alert_by_prio[a->priority >= 0 && a->priority < 8 ? a->priority : 7]++;
	if (m->have_base && a->ts >= m->base_ts)
		m->atimeline[bucket_of(m, a->ts)]++;
	return 0;
}

uint64_t ff_tuimodel_alert_count(const struct ff_tuimodel *m, int prio)
{
	return prio >= 0 && prio < 8 ? m->alert_by_prio[prio] : 0;
}

size_t ff_tuimodel_alert_first(const struct ff_tuimodel *m)
{
	return m->alert_first;
}

uint64_t ff_tuimodel_nevents(const struct ff_tuimodel *m)
{
	return m->nevents;
}
uint64_t ff_tuimodel_first_ts(const struct ff_tuimodel *m)
{
	return m->first_ts;
}
uint64_t ff_tuimodel_last_ts(const struct ff_tuimodel *m)
{
	return m->last_ts;
}
uint64_t ff_tuimodel_bucket_ns(const struct ff_tuimodel *m)
{
	return m->bucket_ns;
}
uint64_t ff_tuimodel_base_ts(const struct ff_tuimodel *m)
{
	return m->base_ts;
}
const uint64_t *ff_tuimodel_timeline(const struct ff_tuimodel *m)
{
	return m->timeline;
}
const uint32_t *ff_tuimodel_alert_timeline(const struct ff_tuimodel *m)
{
	return m->atimeline;
}

const struct ff_tuiproc *ff_tuimodel_proc(const struct ff_tuimodel *m, int64_t pid)
{
	return proc_slot((struct ff_tuimodel *)m, pid, 0);
}

size_t ff_tuimodel_ancestry(const struct ff_tuimodel *m, int64_t pid, const struct ff_tuiproc **out,
                            size_t max)
{
	size_t n = 0;
	while (n < max) {
		const struct ff_tuiproc *p = ff_tuimodel_proc(m, pid);
		if (!p)
			break;
		out[n++] = p;
		if (p->ppid <= 0 || p->ppid == pid)
			break;
		pid = p->ppid;
	}
	return n;
}

int ff_tuimodel_descends(const struct ff_tuimodel *m, int64_t pid, int64_t root)
{
	for (int depth = 0; depth < 256; depth++) {
		if (pid == root)
			return 1;
		const struct ff_tuiproc *p = ff_tuimodel_proc(m, pid);
		if (!p || p->ppid <= 0 || p->ppid == pid)
			return 0;
		pid = p->ppid;
	}
	return 0;
}

static int in_scope_pid(const struct ff_tuimodel *m, const struct ff_tuiscope *s, int64_t pid)
{
	if (!s || s->kind == FF_TK_MAX)
		return 1;
	if (s->kind == FF_TK_PROC)
		return pid == s->pid;
	if (s->kind == FF_TK_CONTAINER) {
		const struct ff_tuiproc *p = ff_tuimodel_proc(m, pid);
		const char *c = p && p->container[0] ? p->container : "host";
		return s->key && strcmp(c, s->key) == 0;
	}
	return 1;
}

static void win_buckets(const struct ff_tuimodel *m, const struct ff_tuiwin *w, uint32_t *b0,
                        uint32_t *b1, int *all)
{
	*all = !w || (w->t0 == 0 && w->t1 == UINT64_MAX) || !m->have_base;
	if (*all)
		return;
	uint64_t t0 = w->t0 < m->base_ts ? m->base_ts : w->t0;
	uint64_t t1 = w->t1 < m->base_ts ? m->base_ts : w->t1;
	uint64_t x0 = (t0 - m->base_ts) / m->bucket_ns, x1 = (t1 - m->base_ts) / m->bucket_ns;
	*b0 = x0 >= FF_TUI_NBUCKETS ? FF_TUI_NBUCKETS : (uint32_t)x0;
	*b1 = x1 >= FF_TUI_NBUCKETS ? FF_TUI_NBUCKETS - 1 : (uint32_t)x1;
	if (w->t1 < m->base_ts) /* window ends before anything */
		*b0 = FF_TUI_NBUCKETS;
}

int ff_tuimodel_query(const struct ff_tuimodel *m, enum ff_tui_kind kind,
                      const struct ff_tuiscope *scope, const struct ff_tuiwin *win,
                      struct ff_tuirows *out)
{
	uint32_t b0 = 0, b1 = 0;
	int all;
	out->n = 0;
	if ((unsigned)kind >= FF_TK_MAX)
		return 0;
	win_buckets(m, win, &b0, &b1, &all);
	/* group by key (PROC: by pid) with a small hash over the output */
	size_t hcap = 64;
	while (hcap < m->nbykind[kind] * 2)
		hcap *= 2;
	size_t *h = malloc(hcap * sizeof(*h));
	if (!h)
		return -ENOMEM;
	for (size_t i = 0; i < hcap; i++)
		h[i] = SIZE_MAX;
	for (size_t i = 0; i < m->nbykind[kind]; i++) {
		const struct row *r = m->bykind[kind][i];
		if (!in_scope_pid(m, scope, r->pid))
			continue;
		uint64_t c[FF_TC_MAX] = { 0 };
		int any = 0;
		if (all) {
			memcpy(c, r->tot, sizeof(c));
			any = r->nents > 0;
		} else {
			for (uint32_t k = 0; k < r->nents; k++) {
				if (r->ents[k].b < b0 || r->ents[k].b > b1)
					continue;
				for (int x = 0; x < FF_TC_MAX; x++)
					c[x] += r->ents[k].c[x];
				any = 1;
			}
		}
		/* processes known only from metadata show in the whole-capture view;
		 * live, every running process shows, busy or not (as in top) */
		if (!any && !(kind == FF_TK_PROC && (m->live ? proc_alive(m, r->pid) : all)))
			continue;
		uint64_t hk = kind == FF_TK_PROC ? mix64((uint64_t)r->pid) : hash_str(r->key);
		size_t j = hk & (hcap - 1);
		struct ff_tuirow *o = NULL;
		while (h[j] != SIZE_MAX) {
			struct ff_tuirow *cand = &out->v[h[j]];
			if (kind == FF_TK_PROC ? cand->pid == r->pid : cand->key == r->key) {
				o = cand;
				break;
			}
			j = (j + 1) & (hcap - 1);
		}
		if (!o) {
			if (out->n == out->cap) {
				size_t nc = out->cap ? out->cap * 2 : 64;
				struct ff_tuirow *nv = realloc(out->v, nc * sizeof(*nv));
				if (!nv) {
					free(h);
					return -ENOMEM;
				}
				out->v = nv;
				out->cap = nc;
			}
			o = &out->v[out->n];
			memset(o, 0, sizeof(*o));
			o->key = r->key;
			o->pid = -1;
			if (kind == FF_TK_PROC) {
				o->pid = r->pid;
				o->proc = ff_tuimodel_proc(m, r->pid);
				o->key = o->proc ? o->proc->comm : "";
			}
			h[j] = out->n++;
		}
		for (int x = 0; x < FF_TC_MAX; x++)
			o->c[x] += c[x];
		o->nprocs++;
		if (r->first_ts && (!o->first_ts || r->first_ts < o->first_ts))
			o->first_ts = r->first_ts;
		if (r->last_ts > o->last_ts)
			o->last_ts = r->last_ts;
		if (!o->conn)
			o->conn = r->conn;
	}
	free(h);
	return (int)out->n;
}

void ff_tuirows_free(struct ff_tuirows *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

struct sortctx {
	int (*cmp)(const struct ff_tuirow *, const struct ff_tuirow *, void *);
	void *user;
};

/* qsort has no context argument: sort an index array with a merge sort */
static void msort(struct ff_tuirow *v, struct ff_tuirow *tmp, size_t n, const struct sortctx *s)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	msort(v, tmp, h, s);
	msort(v + h, tmp, n - h, s);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = s->cmp(&v[j], &v[i], s->user) < 0 ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

void ff_tuirows_sort(struct ff_tuirows *r,
                     int (*cmp)(const struct ff_tuirow *, const struct ff_tuirow *, void *),
                     void *user, int tree)
{
	struct sortctx s = { cmp, user };
	if (r->n < 2 && !tree)
		return;
	struct ff_tuirow *tmp = malloc((r->n ? r->n : 1) * sizeof(*tmp));
	if (!tmp)
		return; /* unsorted is still correct */
	msort(r->v, tmp, r->n, &s);
	if (!tree) {
		free(tmp);
		return;
	}
	/* tree: depth-first from rows whose parent is not in the set; siblings
	 * keep the sorted order.  Iterative with an explicit stack. */
	size_t n = r->n, k = 0, sp = 0;
	size_t *stack = malloc((n + 1) * sizeof(*stack));
	unsigned char *done = calloc(n ? n : 1, 1);
	if (!stack || !done) {
		free(stack);
		free(done);
		free(tmp);
		return;
	}
	for (size_t root = 0; root < n; root++) {
		int has_parent = 0;
		int64_t pp = r->v[root].proc ? r->v[root].proc->ppid : -1;
		for (size_t j = 0; j < n && pp > 0; j++)
			if (j != root && r->v[j].pid == pp) {
				has_parent = 1;
				break;
			}
		if (has_parent || done[root])
			continue;
		done[root] = 1;
		r->v[root].depth = 0;
		stack[sp++] = root;
		while (sp) {
			size_t cur = stack[--sp];
			tmp[k++] = r->v[cur];
			/* push children in reverse sorted order so the first pops first */
			for (size_t j = n; j-- > 0;) {
				if (done[j] || !r->v[j].proc || r->v[j].proc->ppid != r->v[cur].pid)
					continue;
				done[j] = 1;
				r->v[j].depth = r->v[cur].depth + 1;
				stack[sp++] = j;
			}
		}
	}
	/* rows caught in a parent cycle: append as roots */
	for (size_t j = 0; j < n; j++)
		if (!done[j]) {
			r->v[j].depth = 0;
			tmp[k++] = r->v[j];
		}
	memcpy(r->v, tmp, n * sizeof(*tmp));
	free(stack);
	free(done);
	free(tmp);
}

size_t ff_tuimodel_nalerts(const struct ff_tuimodel *m)
{
	return m->nalerts;
}

const struct ff_tuialert *ff_tuimodel_alert(const struct ff_tuimodel *m, size_t i)
{
	if (i < m->alert_first || i >= m->nalerts)
		return NULL;
	return &m->alerts[m->max_alerts ? i % m->max_alerts : i];
}

int ff_tuimodel_alert_in(const struct ff_tuimodel *m, const struct ff_tuialert *a,
                         const struct ff_tuiscope *scope, const struct ff_tuiwin *win)
{
	if (win && (a->ts < win->t0 || a->ts > win->t1))
		return 0;
	if (scope && scope->kind == FF_TK_CONTAINER)
		return scope->key &&
		       strcmp(a->container[0] ? a->container : "host", scope->key) == 0;
	return in_scope_pid(m, scope, a->pid);
}

void ff_tuimodel_evkey(const struct ff_state *st, const struct ff_evt *ev, struct ff_tuievkey *k)
{
	struct evkeys ek;
	const struct ff_thread *t = ff_state_evt_thread(st);
	k->pid = -1;
	copy_str(k->container, sizeof(k->container), "host");
	if (t) {
		k->pid = ff_thread_pid(t) > 0 ? ff_thread_pid(t) : ff_thread_tid(t);
		const char *c = ff_thread_container_id(t);
		if (c && *c)
			copy_str(k->container, sizeof(k->container), c);
	}
	classify(st, ev, &ek);
	k->syscall = ek.type;
	k->errname = ek.failed ? ek.errname : NULL;
	k->fdk = ek.fdk;
	k->fdname = ek.fdk ? ff_fd_name(ek.fd) : NULL;
	k->dir = NULL;
	k->port = NULL;
	if (ek.fdk == 'f') {
		copy_str(k->dirbuf, sizeof(k->dirbuf), ek.dir);
		k->dir = k->dirbuf;
	}
	if (ek.is_server) {
		copy_str(k->portbuf, sizeof(k->portbuf), ek.port);
		k->port = k->portbuf;
	}
}

static int str_is(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

int ff_tuievkey_match(const struct ff_tuievkey *k, const struct ff_tuiscope *scope)
{
	if (!scope || scope->kind == FF_TK_MAX)
		return 1;
	switch (scope->kind) {
	case FF_TK_PROC:
		return k->pid >= 0 && k->pid == scope->pid;
	case FF_TK_CONTAINER:
		return k->pid >= 0 && str_is(k->container, scope->key);
	case FF_TK_FILE:
		return k->fdk == 'f' && str_is(k->fdname, scope->key);
	case FF_TK_DIR:
		return k->fdk == 'f' && str_is(k->dir, scope->key);
	case FF_TK_CONN:
		return k->fdk == 'c' && str_is(k->fdname, scope->key);
	case FF_TK_PORT:
		return str_is(k->port, scope->key);
	case FF_TK_SYSCALL:
		return str_is(k->syscall, scope->key);
	case FF_TK_ERROR:
		return str_is(k->errname, scope->key);
	default:
		return 0;
	}
}

int ff_tuimodel_match(const struct ff_tuimodel *m, const struct ff_tuiscope *scope,
                      const struct ff_state *st, const struct ff_evt *ev)
{
	struct ff_tuievkey k;
	(void)m;
	if (!scope || scope->kind == FF_TK_MAX)
		return 1;
	ff_tuimodel_evkey(st, ev, &k);
	return ff_tuievkey_match(&k, scope);
}

static const char *const prio_names[] = { "Emergency", "Alert",  "Critical",      "Error",
	                                  "Warning",   "Notice", "Informational", "Debug" };

int ff_tui_priority_parse(const char *s)
{
	if (!s)
		return -1;
	for (int i = 0; i < 8; i++)
		if (strcasecmp(s, prio_names[i]) == 0)
			return i;
	if (strcasecmp(s, "info") == 0)
		return 6;
	return -1;
}

const char *ff_tui_priority_name(int prio)
{
	return prio >= 0 && prio < 8 ? prio_names[prio] : "?";
}
