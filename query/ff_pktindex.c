/* SPDX-License-Identifier: Apache-2.0 */
/* Packet files into the index; see ff_pktindex.h. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_pcap.h"
#include "ff_pktindex.h"

enum { S_PKT, S_FLOW, S_N };

static const char *const stmt_sql[S_N] = {
	[S_PKT] = "INSERT INTO packets VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?,?,?)",
	[S_FLOW] = "INSERT INTO flows VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,NULL,NULL)",
};

struct ff_pktindex {
	sqlite3 *db;
	sqlite3_stmt *s[S_N];
	int64_t flow_base; /* flows of earlier files */
};

static int sqerr(struct ff_pktindex *p, struct ff_err *err, const char *what)
{
	return ff_errf(err, -EIO, "index: %s: %s", what, sqlite3_errmsg(p->db));
}

int ff_pktindex_new(struct ff_pktindex **out, sqlite3 *db, struct ff_err *err)
{
	struct ff_pktindex *p = calloc(1, sizeof(*p));
	if (!p)
		return ff_errf(err, -ENOMEM, "out of memory");
	p->db = db;
	for (int i = 0; i < S_N; i++)
		if (sqlite3_prepare_v2(db, stmt_sql[i], -1, &p->s[i], NULL) != SQLITE_OK) {
			int rc = sqerr(p, err, stmt_sql[i]);
			ff_pktindex_free(p);
			return rc;
		}
	*out = p;
	return 0;
}

void ff_pktindex_free(struct ff_pktindex *p)
{
	if (!p)
		return;
	for (int i = 0; i < S_N; i++)
		sqlite3_finalize(p->s[i]);
	free(p);
}

/* Same text as the connections table (inet_ntop), so the link is a plain
 * string comparison. */
static void bind_ip(sqlite3_stmt *s, int col, uint8_t family, const uint8_t *ip)
{
	char t[INET6_ADDRSTRLEN];
	if (!family || !inet_ntop(family == 6 ? AF_INET6 : AF_INET, ip, t, sizeof(t))) {
		sqlite3_bind_null(s, col);
		return;
	}
	sqlite3_bind_text(s, col, t, -1, SQLITE_TRANSIENT);
}

static void bind_l4(sqlite3_stmt *s, int col, uint8_t family, uint8_t l4)
{
	if (!family)
		sqlite3_bind_null(s, col);
	else if (l4 == IPPROTO_TCP)
		sqlite3_bind_text(s, col, "tcp", 3, SQLITE_STATIC);
	else if (l4 == IPPROTO_UDP)
		sqlite3_bind_text(s, col, "udp", 3, SQLITE_STATIC);
	else if (l4 == IPPROTO_ICMP || l4 == IPPROTO_ICMPV6)
		sqlite3_bind_text(s, col, "icmp", 4, SQLITE_STATIC);
	else
		sqlite3_bind_int(s, col, l4);
}

static int step(struct ff_pktindex *p, int i, struct ff_err *err)
{
	int rc = sqlite3_step(p->s[i]);
	sqlite3_reset(p->s[i]);
	return rc == SQLITE_DONE ? 0 : sqerr(p, err, "insert");
}

static int put_flows(struct ff_pktindex *p, int64_t pcap_id, const struct ff_flows *ft,
                     struct ff_err *err)
{
	sqlite3_stmt *s = p->s[S_FLOW];
	size_t n = ff_flows_count(ft);
	for (size_t i = 0; i < n; i++) {
		const struct ff_flow *f = ff_flows_at(ft, i);
		int has_ports = f->l4 == IPPROTO_TCP || f->l4 == IPPROTO_UDP;
		sqlite3_bind_int64(s, 1, p->flow_base + (int64_t)i + 1);
		sqlite3_bind_int64(s, 2, pcap_id);
		bind_l4(s, 3, f->family, f->l4);
		bind_ip(s, 4, f->family, f->cip);
		if (has_ports)
			sqlite3_bind_int(s, 5, f->cport);
		else
			sqlite3_bind_null(s, 5);
		bind_ip(s, 6, f->family, f->sip);
		if (has_ports)
			sqlite3_bind_int(s, 7, f->sport);
		else
			sqlite3_bind_null(s, 7);
		sqlite3_bind_int64(s, 8, (int64_t)f->first_ts);
		sqlite3_bind_int64(s, 9, (int64_t)f->last_ts);
		sqlite3_bind_int64(s, 10, (int64_t)f->pkts);
		sqlite3_bind_int64(s, 11, (int64_t)f->bytes_c2s);
		sqlite3_bind_int64(s, 12, (int64_t)f->bytes_s2c);
		sqlite3_bind_blob(s, 13, f->sample, (int)f->sample_len, SQLITE_STATIC);
		int rc = step(p, S_FLOW, err);
		if (rc)
			return rc;
	}
	p->flow_base += (int64_t)n;
	return 0;
}

int ff_pktindex_load(struct ff_pktindex *p, int64_t pcap_id, const char *path, uint64_t *npackets,
                     struct ff_err *err)
{
	struct ff_pcap_reader *r = NULL;
	struct ff_flows *ft = NULL;
	struct ff_pkt k;
	sqlite3_stmt *s = p->s[S_PKT];
	uint64_t num = 0;
	int rc, damaged = 0;

	*npackets = 0;
	if ((rc = ff_pcap_open(&r, path, err)))
		return rc;
	if (ff_flows_new(&ft)) {
		ff_pcap_close(r);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	while ((rc = ff_pcap_next(r, &k, err)) == 1) {
		long flow = k.family ? ff_flows_add(ft, &k) : -1;
		if (flow == -ENOMEM) {
			rc = ff_errf(err, -ENOMEM, "out of memory");
			break;
		}
		int has_ports = k.l4 == IPPROTO_TCP || k.l4 == IPPROTO_UDP;
		sqlite3_bind_int64(s, 1, pcap_id);
		sqlite3_bind_int64(s, 2, (int64_t)++num);
		sqlite3_bind_int64(s, 3, (int64_t)k.ts);
		sqlite3_bind_int64(s, 4, k.wirelen);
		sqlite3_bind_int64(s, 5, k.caplen);
		bind_l4(s, 6, k.family, k.l4);
		bind_ip(s, 7, k.family, k.sip);
		if (has_ports)
			sqlite3_bind_int(s, 8, k.sport);
		else
			sqlite3_bind_null(s, 8);
		bind_ip(s, 9, k.family, k.dip);
		if (has_ports)
			sqlite3_bind_int(s, 10, k.dport);
		else
			sqlite3_bind_null(s, 10);
		if (k.l4 == IPPROTO_TCP)
			sqlite3_bind_int(s, 11, k.tcp_flags);
		else
			sqlite3_bind_null(s, 11);
		sqlite3_bind_int64(s, 12, k.payload_len);
		if (flow >= 0)
			sqlite3_bind_int64(s, 13, p->flow_base + flow + 1);
		else
			sqlite3_bind_null(s, 13);
		if ((rc = step(p, S_PKT, err)))
			break;
	}
	if (rc == -EIO && num) /* damage after some packets: keep them, warn */
		damaged = 1;
	if (rc == 0 || damaged) {
		struct ff_err ferr;
		int frc = put_flows(p, pcap_id, ft, &ferr);
		if (frc) {
			*err = ferr;
			rc = frc;
			damaged = 0;
		}
	}
	*npackets = num;
	ff_flows_free(ft);
	ff_pcap_close(r);
	if (damaged)
		return 1;
	return rc < 0 ? rc : 0;
}

/* ---- linking flows to connections (the rule is ff_flow_sock_rank's) ---- */

struct lconn {
	int64_t id, proc_row; /* proc_row 0: NULL */
	struct ff_flow_sock s;
	uint8_t key[38]; /* l4, family, then the lower and the higher end (ip, port) */
};

/* The same key for both orientations of a tuple: the ends in byte order. */
static void tuple_key(uint8_t key[38], uint8_t family, uint8_t l4, const uint8_t *aip,
                      uint16_t aport, const uint8_t *bip, uint16_t bport)
{
	uint8_t a[18], b[18];
	memcpy(a, aip, 16);
	memcpy(b, bip, 16);
	a[16] = (uint8_t)(aport >> 8), a[17] = (uint8_t)aport;
	b[16] = (uint8_t)(bport >> 8), b[17] = (uint8_t)bport;
	int lo = memcmp(a, b, 18) <= 0;
	key[0] = l4;
	key[1] = family;
	memcpy(key + 2, lo ? a : b, 18);
	memcpy(key + 20, lo ? b : a, 18);
}

static int lconn_cmp(const void *x, const void *y)
{
	const struct lconn *a = x, *b = y;
	int c = memcmp(a->key, b->key, sizeof(a->key));
	return c ? c : (a->id > b->id) - (a->id < b->id);
}

/* Text columns back to the binary tuple; 0 when the row is not an IP one. */
static int col_ip(sqlite3_stmt *s, int col, uint8_t *family, uint8_t ip[16])
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	memset(ip, 0, 16);
	if (!t)
		return 0;
	if (inet_pton(AF_INET, t, ip) == 1) {
		*family = 4;
		return 1;
	}
	if (inet_pton(AF_INET6, t, ip) == 1) {
		*family = 6;
		return 1;
	}
	return 0;
}

static uint8_t l4_of(const char *t)
{
	if (t && !strcmp(t, "tcp"))
		return IPPROTO_TCP;
	if (t && !strcmp(t, "udp"))
		return IPPROTO_UDP;
	return 0;
}

static int load_conns(struct ff_pktindex *p, struct lconn **out, size_t *nout, struct ff_err *err)
{
	static const char sql[] = "SELECT id, proc_row, l4, sip, sport, dip, dport, ts, end_ts, "
	                          "direction FROM connections WHERE l4 IN ('tcp', 'udp')";
	sqlite3_stmt *s;
	struct lconn *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	if (sqlite3_prepare_v2(p->db, sql, -1, &s, NULL) != SQLITE_OK)
		return sqerr(p, err, "connections");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct lconn c;
		uint8_t fa = 0, fb = 0;
		memset(&c, 0, sizeof(c));
		if (!col_ip(s, 3, &fa, c.s.aip) || !col_ip(s, 5, &fb, c.s.bip) || fa != fb)
			continue;
		c.id = sqlite3_column_int64(s, 0);
		c.proc_row = sqlite3_column_int64(s, 1);
		c.s.family = fa;
		c.s.l4 = l4_of((const char *)sqlite3_column_text(s, 2));
		c.s.aport = (uint16_t)sqlite3_column_int(s, 4);
		c.s.bport = (uint16_t)sqlite3_column_int(s, 6);
		c.s.first_ts = (uint64_t)sqlite3_column_int64(s, 7);
		c.s.last_ts = sqlite3_column_type(s, 8) == SQLITE_NULL
		                  ? 0
		                  : (uint64_t)sqlite3_column_int64(s, 8);
		const char *dir = (const char *)sqlite3_column_text(s, 9);
		c.s.outward = dir && !strcmp(dir, "out");
		tuple_key(c.key, c.s.family, c.s.l4, c.s.aip, c.s.aport, c.s.bip, c.s.bport);
		if (n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct lconn *nv = realloc(v, nc * sizeof(*nv));
			if (!nv) {
				free(v);
				sqlite3_finalize(s);
				return ff_errf(err, -ENOMEM, "out of memory");
			}
			v = nv;
			cap = nc;
		}
		v[n++] = c;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(v);
		return sqerr(p, err, "connections");
	}
	if (n)
		qsort(v, n, sizeof(*v), lconn_cmp);
	*out = v;
	*nout = n;
	return 0;
}

int ff_pktindex_link(struct ff_pktindex *p, struct ff_err *err)
{
	static const char q_flows[] = "SELECT id, l4, cip, cport, sip, sport, first_ts, last_ts "
	                              "FROM flows WHERE l4 IN ('tcp', 'udp')";
	static const char q_set[] = "UPDATE flows SET conn_row = ?2, proc_row = ?3 WHERE id = ?1";
	struct lconn *cv = NULL;
	size_t nc = 0;
	sqlite3_stmt *fs = NULL, *us = NULL;
	int rc = load_conns(p, &cv, &nc, err);
	if (rc)
		return rc;
	if (!nc)
		goto out;
	if (sqlite3_prepare_v2(p->db, q_flows, -1, &fs, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(p->db, q_set, -1, &us, NULL) != SQLITE_OK) {
		rc = sqerr(p, err, "linking flows");
		goto out;
	}
	int st;
	while ((st = sqlite3_step(fs)) == SQLITE_ROW) {
		struct ff_flow f;
		uint8_t fa = 0, fb = 0;
		memset(&f, 0, sizeof(f));
		if (!col_ip(fs, 2, &fa, f.cip) || !col_ip(fs, 4, &fb, f.sip) || fa != fb)
			continue;
		f.family = fa;
		f.l4 = l4_of((const char *)sqlite3_column_text(fs, 1));
		f.cport = (uint16_t)sqlite3_column_int(fs, 3);
		f.sport = (uint16_t)sqlite3_column_int(fs, 5);
		f.first_ts = (uint64_t)sqlite3_column_int64(fs, 6);
		f.last_ts = (uint64_t)sqlite3_column_int64(fs, 7);
		/* the connections with this tuple: a run in the sorted array */
		struct lconn k;
		tuple_key(k.key, f.family, f.l4, f.cip, f.cport, f.sip, f.sport);
		size_t lo = 0, hi = nc;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (memcmp(cv[mid].key, k.key, sizeof(k.key)) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		const struct lconn *best = NULL;
		int64_t best_rank = -1;
		for (size_t i = lo; i < nc && !memcmp(cv[i].key, k.key, sizeof(k.key)); i++) {
			int64_t r = ff_flow_sock_rank(&f, &cv[i].s);
			if (r >= 0 && (best_rank < 0 || r < best_rank)) /* ties: the first row */
				best = &cv[i], best_rank = r;
		}
		if (!best)
			continue;
		sqlite3_bind_int64(us, 1, sqlite3_column_int64(fs, 0));
		sqlite3_bind_int64(us, 2, best->id);
		if (best->proc_row)
			sqlite3_bind_int64(us, 3, best->proc_row);
		else
			sqlite3_bind_null(us, 3);
		int u = sqlite3_step(us);
		sqlite3_reset(us);
		if (u != SQLITE_DONE) {
			rc = sqerr(p, err, "linking flows");
			goto out;
		}
	}
	if (st != SQLITE_DONE)
		rc = sqerr(p, err, "linking flows");
out:
	sqlite3_finalize(fs);
	sqlite3_finalize(us);
	free(cv);
	return rc;
}
