/* SPDX-License-Identifier: Apache-2.0 */
/* Packets for falco-tui's connection drill-down (ff_tuipkt.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_tuipkt.h"

struct ff_tuipkt {
	char *path;
	struct ff_pcap_reader *r; /* NULL once read */
	struct ff_flows *ft;
	uint64_t npkt;
	int done;
};

int ff_tuipkt_open(struct ff_tuipkt **out, const char *path, struct ff_err *err)
{
	struct ff_tuipkt *p = calloc(1, sizeof(*p));
	int rc;
	*out = NULL;
	if (!p || !(p->path = strdup(path)) || ff_flows_new(&p->ft)) {
		ff_tuipkt_close(p);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	if ((rc = ff_pcap_open(&p->r, path, err))) {
		ff_tuipkt_close(p);
		return rc;
	}
	*out = p;
	return 0;
}

void ff_tuipkt_close(struct ff_tuipkt *p)
{
	if (!p)
		return;
	ff_pcap_close(p->r);
	ff_flows_free(p->ft);
	free(p->path);
	free(p);
}

const char *ff_tuipkt_path(const struct ff_tuipkt *p)
{
	return p->path;
}

int ff_tuipkt_step(struct ff_tuipkt *p, size_t max, struct ff_err *err)
{
	struct ff_pkt k;
	if (p->done)
		return 0;
	for (size_t n = 0; n < max; n++) {
		int rc = ff_pcap_next(p->r, &k, err);
		if (rc <= 0) {
			p->done = 1;
			ff_pcap_close(p->r);
			p->r = NULL;
			return rc;
		}
		p->npkt++;
		if (k.family && ff_flows_add(p->ft, &k) == -ENOMEM) {
			p->done = 1;
			return ff_errf(err, -ENOMEM, "out of memory");
		}
	}
	return 1;
}

int ff_tuipkt_done(const struct ff_tuipkt *p)
{
	return p->done;
}

uint64_t ff_tuipkt_npackets(const struct ff_tuipkt *p)
{
	return p->npkt;
}

size_t ff_tuipkt_nflows(const struct ff_tuipkt *p)
{
	return ff_flows_count(p->ft);
}

const struct ff_flow *ff_tuipkt_flow(const struct ff_tuipkt *p, size_t i)
{
	return ff_flows_at(p->ft, i);
}

size_t ff_tuipkt_match(const struct ff_tuipkt *p, const struct ff_flow_sock *s, size_t *idx,
                       size_t max)
{
	size_t n = 0, nf = ff_flows_count(p->ft);
	int64_t rank[64];
	if (max > 64)
		max = 64;
	for (size_t i = 0; i < nf; i++) {
		int64_t r = ff_flow_sock_rank(ff_flows_at(p->ft, i), s);
		if (r < 0)
			continue;
		/* insertion into the best-first list */
		size_t at = n;
		while (at > 0 && rank[at - 1] > r)
			at--;
		if (at >= max)
			continue;
		size_t last = n < max ? n : max - 1;
		for (size_t j = last; j > at; j--) {
			idx[j] = idx[j - 1];
			rank[j] = rank[j - 1];
		}
		idx[at] = i;
		rank[at] = r;
		if (n < max)
			n++;
	}
	return n;
}

/* ---- the packets of one flow ---- */

struct ff_tuipkt_list {
	struct ff_pcap_reader *r;
	struct ff_flow flow;
	struct ff_tuipkt_pkt *v;
	size_t n, cap, max_pkts, max_bytes, bytes;
	uint64_t num, more;
	int done;
};

int ff_tuipkt_list_open(struct ff_tuipkt_list **out, const struct ff_tuipkt *p, size_t flow,
                        size_t max_pkts, size_t max_bytes, struct ff_err *err)
{
	const struct ff_flow *f = ff_flows_at(p->ft, flow);
	struct ff_tuipkt_list *l;
	int rc;
	*out = NULL;
	if (!f)
		return ff_errf(err, -EINVAL, "no flow %zu", flow);
	if (!(l = calloc(1, sizeof(*l))))
		return ff_errf(err, -ENOMEM, "out of memory");
	l->flow = *f;
	l->max_pkts = max_pkts;
	l->max_bytes = max_bytes;
	if ((rc = ff_pcap_open(&l->r, p->path, err))) {
		free(l);
		return rc;
	}
	*out = l;
	return 0;
}

static int keep(struct ff_tuipkt_list *l, const struct ff_pkt *k, int c2s)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 64;
		struct ff_tuipkt_pkt *nv = realloc(l->v, nc * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		l->v = nv;
		l->cap = nc;
	}
	struct ff_tuipkt_pkt *d = &l->v[l->n];
	memset(d, 0, sizeof(*d));
	if (!(d->data = malloc(k->caplen ? k->caplen : 1)))
		return -ENOMEM;
	memcpy(d->data, k->data, k->caplen);
	d->ts = k->ts;
	d->num = l->num;
	d->wirelen = k->wirelen;
	d->caplen = k->caplen;
	d->c2s = c2s;
	d->tcp_flags = k->tcp_flags;
	d->payload_len = k->payload_len;
	d->payload_caplen = k->payload_caplen;
	d->payload_off = k->payload ? (uint32_t)(k->payload - k->data) : k->caplen;
	l->bytes += k->caplen;
	l->n++;
	return 0;
}

int ff_tuipkt_list_step(struct ff_tuipkt_list *l, size_t max, struct ff_err *err)
{
	struct ff_pkt k;
	if (l->done)
		return 0;
	for (size_t n = 0; n < max; n++) {
		int rc = ff_pcap_next(l->r, &k, err);
		if (rc <= 0) {
			l->done = 1;
			ff_pcap_close(l->r);
			l->r = NULL;
			return rc;
		}
		l->num++;
		int c2s = 0;
		if (!k.family || !ff_flow_has(&l->flow, &k, &c2s))
			continue;
		if (l->n >= l->max_pkts || l->bytes + k.caplen > l->max_bytes) {
			l->more++;
			continue;
		}
		if (keep(l, &k, c2s)) {
			l->done = 1;
			return ff_errf(err, -ENOMEM, "out of memory");
		}
	}
	return 1;
}

int ff_tuipkt_list_done(const struct ff_tuipkt_list *l)
{
	return l->done;
}

size_t ff_tuipkt_list_count(const struct ff_tuipkt_list *l)
{
	return l->n;
}

const struct ff_tuipkt_pkt *ff_tuipkt_list_at(const struct ff_tuipkt_list *l, size_t i)
{
	return i < l->n ? &l->v[i] : NULL;
}

uint64_t ff_tuipkt_list_more(const struct ff_tuipkt_list *l)
{
	return l->more;
}

void ff_tuipkt_list_free(struct ff_tuipkt_list *l)
{
	if (!l)
		return;
	ff_pcap_close(l->r);
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].data);
	free(l->v);
	free(l);
}
