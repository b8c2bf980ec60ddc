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

int ff_pktindex_link(struct ff_pktindex *p, struct ff_err *err)
{
	/* The socket whose tuple is the flow's (either orientation) and whose
	 * life overlaps it, within a second of slack for clock skew between the
	 * two recorders; the connecting side first when both ends are local. */
	static const char sql[] =
	    "CREATE TEMP TABLE flow_cand AS\n"
	    "  SELECT f.id AS fid, c.id AS cid, c.direction = 'out' AS outward,\n"
	    "         abs(c.ts - f.first_ts) AS dist\n"
	    "  FROM flows f JOIN connections c ON c.l4 = f.l4 AND (\n"
	    "    (c.sip = f.cip AND c.sport = f.cport AND c.dip = f.sip AND c.dport = f.sport) OR\n"
	    "    (c.sip = f.sip AND c.sport = f.sport AND c.dip = f.cip AND c.dport = f.cport))\n"
	    "  WHERE f.last_ts >= c.ts - 1000000000\n"
	    "    AND (c.end_ts IS NULL OR f.first_ts <= c.end_ts + 1000000000);\n"
	    "UPDATE flows SET conn_row = (SELECT cid FROM flow_cand WHERE fid = flows.id\n"
	    "  ORDER BY outward DESC, dist LIMIT 1);\n"
	    "UPDATE flows SET proc_row = (SELECT proc_row FROM connections WHERE id = "
	    "flows.conn_row)\n"
	    "  WHERE conn_row IS NOT NULL;\n"
	    "DROP TABLE flow_cand;\n";
	char *msg = NULL;
	if (sqlite3_exec(p->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int rc = ff_errf(err, -EIO, "index: linking flows: %s", msg ? msg : "SQL error");
		sqlite3_free(msg);
		return rc;
	}
	return 0;
}
