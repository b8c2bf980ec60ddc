/* SPDX-License-Identifier: Apache-2.0 */
/* Packets with libpcap: file reading, decoding to the transport header, flows,
 * live recording.  See ff_pcap.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ff_pcap.h"

struct ff_pcap_reader {
	pcap_t *p;
	int dlt;
	uint64_t npkt;
	char *path;
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int ff_pcap_open(struct ff_pcap_reader **out, const char *path, struct ff_err *err)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct ff_pcap_reader *r = calloc(1, sizeof(*r));

	if (!r || !(r->path = strdup(path))) {
		free(r);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	/* Nanosecond precision: libpcap scales µs files up, so every packet lands
	 * on the syscall capture's ns clock. */
	r->p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, eb);
	if (!r->p) {
		int rc = ff_errf(err, access(path, R_OK) ? -errno : -EINVAL, "%s: %s", path, eb);
		free(r->path);
		free(r);
		return rc;
	}
	r->dlt = pcap_datalink(r->p);
	*out = r;
	return 0;
}

void ff_pcap_close(struct ff_pcap_reader *r)
{
	if (!r)
		return;
	pcap_close(r->p);
	free(r->path);
	free(r);
}

/* Offset of the network header and its family (4/6) for a link type, or -1. */
static int link_offset(int dlt, const uint8_t *d, uint32_t n, int *fam)
{
	uint16_t et;
	uint32_t off;

	switch (dlt) {
	case DLT_EN10MB:
		if (n < 14)
			return -1;
		off = 12;
		et = be16(d + off);
		while ((et == 0x8100 || et == 0x88a8) && off + 6 <= n) { /* VLAN tags */
			off += 4;
			et = be16(d + off);
		}
		off += 2;
		break;
	case DLT_LINUX_SLL:
		if (n < 16)
			return -1;
		et = be16(d + 14);
		off = 16;
		break;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2:
		if (n < 20)
			return -1;
		et = be16(d);
		off = 20;
		break;
#endif
	case DLT_NULL:
	case DLT_LOOP: {
		if (n < 4)
			return -1;
		uint32_t af;
		memcpy(&af, d, 4);
		if (dlt == DLT_LOOP)
			af = ntohl(af);
		else if (af > 0xffff)
			af = __builtin_bswap32(af); /* written on the other endianness */
		*fam = af == 2 ? 4 : (af == 24 || af == 28 || af == 30) ? 6 : 0;
		return *fam ? 4 : -1;
	}
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
	case DLT_IPV6:
#endif
		if (n < 1)
			return -1;
		*fam = (d[0] >> 4) == 4 ? 4 : (d[0] >> 4) == 6 ? 6 : 0;
		return *fam ? 0 : -1;
	default:
		return -1;
	}
	*fam = et == 0x0800 ? 4 : et == 0x86dd ? 6 : 0;
	return *fam ? (int)off : -1;
}

/* Decode from the network header on.  Leaves family 0 for what is not IP. */
static void decode(int dlt, const uint8_t *d, uint32_t caplen, struct ff_pkt *k)
{
	int fam = 0;
	int off = link_offset(dlt, d, caplen, &fam);
	if (off < 0)
		return;
	const uint8_t *ip = d + off;
	uint32_t n = caplen - (uint32_t)off, hl, l4len;
	uint8_t proto;

	if (fam == 4) {
		if (n < 20 || (ip[0] >> 4) != 4 || (hl = (ip[0] & 15u) * 4u) < 20 || hl > n)
			return;
		uint32_t tot = be16(ip + 2);
		if (tot < hl)
			return;
		proto = ip[9];
		memcpy(k->sip, ip + 12, 4);
		memcpy(k->dip, ip + 16, 4);
		k->family = 4;
		k->l4 = proto;
		if (be16(ip + 6) & 0x1fff)
			return; /* a later fragment: no transport header */
		l4len = tot - hl;
	} else {
		if (n < 40 || (ip[0] >> 4) != 6)
			return;
		l4len = be16(ip + 4);
		proto = ip[6];
		memcpy(k->sip, ip + 8, 16);
		memcpy(k->dip, ip + 24, 16);
		k->family = 6;
		hl = 40;
		/* Extension headers we can walk: hop-by-hop, routing, fragment,
		 * destination options. */
		for (int i = 0; i < 8; i++) {
			if (proto != 0 && proto != 43 && proto != 44 && proto != 60)
				break;
			if (hl + 8 > n)
				return;
			uint32_t el = proto == 44 ? 8 : (ip[hl + 1] + 1u) * 8u;
			if (proto == 44 && (be16(ip + hl + 2) & 0xfff8))
				return;
			if (el > l4len)
				return;
			proto = ip[hl];
			hl += el;
			l4len -= el;
		}
		k->l4 = proto;
	}
	const uint8_t *t = ip + hl;
	uint32_t tn = hl <= n ? n - hl : 0, th;
	if (proto == IPPROTO_TCP) {
		if (tn < 20 || (th = (t[12] >> 4) * 4u) < 20 || th > tn || th > l4len)
			return;
		k->tcp_flags = t[13];
	} else if (proto == IPPROTO_UDP) {
		if (tn < 8 || l4len < 8)
			return;
		th = 8;
	} else {
		return;
	}
	k->sport = be16(t);
	k->dport = be16(t + 2);
	k->payload_len = l4len - th;
	k->payload = t + th;
	k->payload_caplen = tn - th < k->payload_len ? tn - th : k->payload_len;
}

int ff_pcap_next(struct ff_pcap_reader *r, struct ff_pkt *k, struct ff_err *err)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	int rc = pcap_next_ex(r->p, &h, &d);

	if (rc == PCAP_ERROR_BREAK)
		return 0;
	if (rc != 1)
		return ff_errf(err, -EIO, "%s: packet %llu: %s", r->path,
		               (unsigned long long)r->npkt + 1, pcap_geterr(r->p));
	r->npkt++;
	memset(k, 0, sizeof(*k));
	k->ts = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
	k->wirelen = h->len;
	k->caplen = h->caplen;
	k->data = d;
	decode(r->dlt, d, h->caplen, k);
	return 1;
}

/* ---- flows ---- */

struct ff_flows {
	struct ff_flow *v;
	size_t n, cap;
	uint32_t *slot; /* open addressing: index + 1, 0 = empty */
	size_t nslot;
};

int ff_flows_new(struct ff_flows **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : -ENOMEM;
}

void ff_flows_free(struct ff_flows *ft)
{
	if (!ft)
		return;
	free(ft->v);
	free(ft->slot);
	free(ft);
}

size_t ff_flows_count(const struct ff_flows *ft)
{
	return ft->n;
}

const struct ff_flow *ff_flows_at(const struct ff_flows *ft, size_t i)
{
	return i < ft->n ? &ft->v[i] : NULL;
}

int ff_flow_has(const struct ff_flow *f, const struct ff_pkt *k, int *c2s)
{
	size_t al = k->family == 4 ? 4 : 16;
	if (f->family != k->family || f->l4 != k->l4)
		return 0;
	if (f->cport == k->sport && f->sport == k->dport && !memcmp(f->cip, k->sip, al) &&
	    !memcmp(f->sip, k->dip, al)) {
		*c2s = 1;
		return 1;
	}
	if (f->cport == k->dport && f->sport == k->sport && !memcmp(f->cip, k->dip, al) &&
	    !memcmp(f->sip, k->sip, al)) {
		*c2s = 0;
		return 1;
	}
	return 0;
}

/* Direction-independent hash of the 5-tuple. */
static uint64_t flow_hash(const struct ff_pkt *k)
{
	uint64_t a = 1469598103934665603ull, b = a;
	size_t al = k->family == 4 ? 4 : 16;
	for (size_t i = 0; i < al; i++) {
		a = (a ^ k->sip[i]) * 1099511628211ull;
		b = (b ^ k->dip[i]) * 1099511628211ull;
	}
	a = (a ^ k->sport) * 1099511628211ull;
	b = (b ^ k->dport) * 1099511628211ull;
	return (a + b) ^ ((uint64_t)k->l4 << 56) ^ k->family;
}

static int grow_slots(struct ff_flows *ft)
{
	size_t ns = ft->nslot ? ft->nslot * 2 : 1024;
	uint32_t *s = calloc(ns, sizeof(*s));
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < ft->n; i++) {
		const struct ff_flow *f = &ft->v[i];
		struct ff_pkt k = {
			.family = f->family, .l4 = f->l4, .sport = f->cport, .dport = f->sport
		};
		memcpy(k.sip, f->cip, 16);
		memcpy(k.dip, f->sip, 16);
		size_t h = flow_hash(&k) & (ns - 1);
		while (s[h])
			h = (h + 1) & (ns - 1);
		s[h] = (uint32_t)i + 1;
	}
	free(ft->slot);
	ft->slot = s;
	ft->nslot = ns;
	return 0;
}

long ff_flows_add(struct ff_flows *ft, const struct ff_pkt *k)
{
	int c2s = 1;
	if (!k->family)
		return -EINVAL;
	if ((ft->n + 1) * 2 > ft->nslot && grow_slots(ft))
		return -ENOMEM;
	size_t h = flow_hash(k) & (ft->nslot - 1);
	struct ff_flow *f = NULL;
	while (ft->slot[h]) {
		struct ff_flow *c = &ft->v[ft->slot[h] - 1];
		if (ff_flow_has(c, k, &c2s)) {
			f = c;
			break;
		}
		h = (h + 1) & (ft->nslot - 1);
	}
	if (!f) {
		if (ft->n == ft->cap) {
			size_t nc = ft->cap ? ft->cap * 2 : 256;
			struct ff_flow *nv = realloc(ft->v, nc * sizeof(*nv));
			if (!nv)
				return -ENOMEM;
			ft->v = nv;
			ft->cap = nc;
		}
		f = &ft->v[ft->n];
		memset(f, 0, sizeof(*f));
		f->family = k->family;
		f->l4 = k->l4;
		/* A SYN+ACK first (the SYN was missed) is sent by the server. */
		int from_server = k->l4 == IPPROTO_TCP && (k->tcp_flags & 0x12) == 0x12;
		memcpy(f->cip, from_server ? k->dip : k->sip, 16);
		memcpy(f->sip, from_server ? k->sip : k->dip, 16);
		f->cport = from_server ? k->dport : k->sport;
		f->sport = from_server ? k->sport : k->dport;
		f->first_ts = k->ts;
		c2s = !from_server;
		ft->slot[h] = (uint32_t)++ft->n;
	}
	if (k->ts < f->first_ts)
		f->first_ts = k->ts;
	if (k->ts > f->last_ts)
		f->last_ts = k->ts;
	f->pkts++;
	if (c2s)
		f->bytes_c2s += k->payload_len;
	else
		f->bytes_s2c += k->payload_len;
	if (f->sample_len < FF_FLOW_SAMPLE && k->payload_caplen) {
		uint32_t take = FF_FLOW_SAMPLE - f->sample_len;
		if (take > k->payload_caplen)
			take = k->payload_caplen;
		memcpy(f->sample + f->sample_len, k->payload, take);
		f->sample_len += take;
	}
	return (long)(f - ft->v);
}

int64_t ff_flow_sock_rank(const struct ff_flow *f, const struct ff_flow_sock *s)
{
	size_t al = f->family == 4 ? 4 : 16;
	if (f->family != s->family || f->l4 != s->l4 ||
	    (f->l4 != IPPROTO_TCP && f->l4 != IPPROTO_UDP))
		return -1;
	int ab = f->cport == s->aport && f->sport == s->bport && !memcmp(f->cip, s->aip, al) &&
	         !memcmp(f->sip, s->bip, al);
	int ba = f->cport == s->bport && f->sport == s->aport && !memcmp(f->cip, s->bip, al) &&
	         !memcmp(f->sip, s->aip, al);
	if (!ab && !ba)
		return -1;
	/* lives overlap: the flow ends after the socket starts, and starts
	 * before it ends (an open socket never ends) */
	if (f->last_ts + FF_FLOW_SLACK_NS < s->first_ts)
		return -1;
	if (s->last_ts && f->first_ts > s->last_ts + FF_FLOW_SLACK_NS)
		return -1;
	uint64_t d =
	    f->first_ts > s->first_ts ? f->first_ts - s->first_ts : s->first_ts - f->first_ts;
	const uint64_t half = (uint64_t)1 << 62;
	if (d >= half)
		d = half - 1;
	return (int64_t)(s->outward ? d : d + half);
}

/* ---- live recording ---- */

#define REC_BUFFER_BYTES (32 << 20)
/* Packets read, and held packets written, per hold of the lock: a switch
 * waits for a few MiB at most (loopback frames are 64 KiB). */
#define REC_BATCH 64
#define REC_RELEASE 256
#define REC_POLL_MS 50           /* stop and hand-over latency when no packet comes */
#define REC_STOP_ROUNDS 1024     /* a busy link cannot hold the stop back forever */
#define REC_HOLD_MAX (64u << 20) /* held packets beyond this are written early */

/* A packet waiting for the caller's watermark; caplen bytes follow. */
struct held {
	uint64_t ts;
	struct pcap_pkthdr h;
};

struct ff_pcap_rec {
	pcap_t *p;
	pcap_dumper_t *d;
	char *path;
	uint64_t written;
	int nano;                  /* header timestamps in ns (else µs) */
	uint64_t begin_ts, end_ts; /* packets outside are not written */
	pcap_dumper_t *prev;       /* the previous file: packets stamped before switch_ts */
	char *prev_path;
	uint64_t switch_ts;
	/* on a thread (ff_pcap_rec_start): everything above is under mu */
	pthread_mutex_t mu;
	pthread_t thr;
	int threaded, stop, hold;
	uint64_t watermark;  /* __atomic: the caller has seen every event before it */
	struct pcap_stat ps; /* refreshed by the thread */
	struct ff_err terr;  /* the thread's failure, code 0 if none */
	int failed;          /* __atomic: terr is set (polled without the lock) */
	/* held packets (the thread's own): records from qhead to qtail */
	uint8_t *q;
	size_t qhead, qtail, qcap;
	uint64_t early; /* written before the watermark passed them (queue full) */
};

static pcap_dumper_t *open_dump(pcap_t *p, const char *path, struct ff_err *err)
{
	pcap_dumper_t *d;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		ff_errf(err, -errno, "%s: %s", path, strerror(errno));
		return NULL;
	}
	FILE *f = fdopen(fd, "wb");
	if (!f) {
		int e = errno;
		close(fd);
		ff_errf(err, -e, "%s: %s", path, strerror(e));
		return NULL;
	}
	d = pcap_dump_fopen(p, f);
	if (!d) {
		fclose(f);
		ff_errf(err, -EIO, "%s: %s", path, pcap_geterr(p));
	}
	return d;
}

/* Flush and close; 0 or -EIO with the file named. */
static int close_dump(pcap_dumper_t *d, const char *path, struct ff_err *err)
{
	int rc = 0;
	if (!d)
		return 0;
	if (pcap_dump_flush(d) < 0)
		rc = ff_errf(err, -EIO, "%s: write failed", path);
	pcap_dump_close(d);
	return rc;
}

int ff_pcap_rec_open(struct ff_pcap_rec **out, const struct ff_pcap_rec_opts *o, struct ff_err *err)
{
	char eb[PCAP_ERRBUF_SIZE] = "";
	struct ff_pcap_rec *r = calloc(1, sizeof(*r));
	int rc;

	if (!r || !(r->path = strdup(o->path))) {
		free(r);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	r->end_ts = UINT64_MAX;
	pthread_mutex_init(&r->mu, NULL);
	r->p = pcap_create(o->iface, eb);
	if (!r->p) {
		rc = ff_errf(err, -ENODEV, "packet capture on %s: %s", o->iface, eb);
		goto fail;
	}
	pcap_set_snaplen(r->p, o->snaplen > 0 ? o->snaplen : 262144);
	pcap_set_promisc(r->p, 0);
	pcap_set_immediate_mode(r->p, 1);
	/* the ring holds whole snaplen frames: libpcap's 2 MiB is a handful of
	 * loopback's 64 KiB packets */
	pcap_set_buffer_size(r->p, REC_BUFFER_BYTES);
	pcap_set_tstamp_precision(r->p, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(r->p);
	if (rc < 0) {
		const char *why = pcap_geterr(r->p);
		if (rc == PCAP_ERROR_PERM_DENIED)
			rc = ff_errf(err, -EPERM,
			             "packet capture on %s: permission denied (needs root or "
			             "CAP_NET_RAW): %s",
			             o->iface, why);
		else if (rc == PCAP_ERROR_NO_SUCH_DEVICE)
			rc = ff_errf(err, -ENODEV, "packet capture on %s: no such interface",
			             o->iface);
		else
			rc = ff_errf(err, -EIO, "packet capture on %s: %s", o->iface, why);
		goto fail;
	}
	r->nano = pcap_get_tstamp_precision(r->p) == PCAP_TSTAMP_PRECISION_NANO;
	if (o->filter && *o->filter) {
		struct bpf_program prog;
		if (pcap_compile(r->p, &prog, o->filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
			rc = ff_errf(err, -EINVAL, "packet filter \"%s\": %s", o->filter,
			             pcap_geterr(r->p));
			goto fail;
		}
		rc = pcap_setfilter(r->p, &prog);
		pcap_freecode(&prog);
		if (rc < 0) {
			rc = ff_errf(err, -EIO, "packet filter: %s", pcap_geterr(r->p));
			goto fail;
		}
	}
	if (pcap_setnonblock(r->p, 1, eb) < 0) {
		rc = ff_errf(err, -EIO, "packet capture on %s: %s", o->iface, eb);
		goto fail;
	}
	r->d = open_dump(r->p, o->path, err);
	if (!r->d) {
		rc = err ? err->code : -EIO;
		goto fail;
	}
	*out = r;
	return 0;
fail:
	if (r->p)
		pcap_close(r->p);
	pthread_mutex_destroy(&r->mu);
	free(r->path);
	free(r);
	return rc;
}

int ff_pcap_rec_fd(const struct ff_pcap_rec *r)
{
	return pcap_get_selectable_fd(r->p);
}

static uint64_t pkt_ts(const struct ff_pcap_rec *r, const struct pcap_pkthdr *h)
{
	return (uint64_t)h->ts.tv_sec * 1000000000u +
	       (uint64_t)h->ts.tv_usec * (r->nano ? 1u : 1000u);
}

/* Into the file of its time, if inside the window. */
static void put_pkt(struct ff_pcap_rec *r, uint64_t ts, const struct pcap_pkthdr *h,
                    const u_char *d)
{
	if (ts < r->begin_ts || ts > r->end_ts)
		return;
	/* late packets of the previous file's time still go there */
	pcap_dump((u_char *)(r->prev && ts < r->switch_ts ? r->prev : r->d), h, d);
	r->written++;
}

static void dump_one(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	struct ff_pcap_rec *r = (struct ff_pcap_rec *)user;

	put_pkt(r, pkt_ts(r, h), h, d);
}

#define HELD_SIZE(caplen) ((sizeof(struct held) + (caplen) + 7u) & ~(size_t)7u)

/* Write the oldest held packet. */
static void held_pop(struct ff_pcap_rec *r)
{
	struct held *k = (struct held *)(r->q + r->qhead);

	put_pkt(r, k->ts, &k->h, (const u_char *)(k + 1));
	r->qhead += HELD_SIZE(k->h.caplen);
	if (r->qhead == r->qtail)
		r->qhead = r->qtail = 0;
}

static void hold_one(u_char *user, const struct pcap_pkthdr *h, const u_char *d)
{
	struct ff_pcap_rec *r = (struct ff_pcap_rec *)user;
	size_t need = HELD_SIZE(h->caplen);
	struct held *k;

	while (r->qtail + need > r->qcap) {
		if (r->qhead > 0) { /* room at the front */
			memmove(r->q, r->q + r->qhead, r->qtail - r->qhead);
			r->qtail -= r->qhead;
			r->qhead = 0;
			continue;
		}
		size_t ncap = r->qcap ? r->qcap * 2 : (1u << 20);
		uint8_t *nq = ncap <= REC_HOLD_MAX ? realloc(r->q, ncap) : NULL;
		if (nq) {
			r->q = nq;
			r->qcap = ncap;
			continue;
		}
		if (r->qtail == 0) { /* not even one fits: write it as it comes */
			put_pkt(r, pkt_ts(r, h), h, d);
			r->early++;
			return;
		}
		held_pop(r); /* full: the oldest goes early */
		r->early++;
	}
	k = (struct held *)(r->q + r->qtail);
	k->ts = pkt_ts(r, h);
	k->h = *h;
	memcpy(k + 1, d, h->caplen);
	r->qtail += need;
}

/* Held packets the watermark has passed, `max` at most (0: all, whatever
 * the watermark).  1 when more are ready. */
static int held_release(struct ff_pcap_rec *r, int max)
{
	uint64_t wm = __atomic_load_n(&r->watermark, __ATOMIC_ACQUIRE);

	for (int n = 0; r->qtail > r->qhead; n++) {
		if (max && ((const struct held *)(r->q + r->qhead))->ts > wm)
			return 0;
		if (max && n == max)
			return 1;
		held_pop(r);
	}
	return 0;
}

int ff_pcap_rec_pump(struct ff_pcap_rec *r, struct ff_err *err)
{
	if (r->threaded)
		return ff_errf(err, -EBUSY, "packet capture: recording on its thread");
	int n = pcap_dispatch(r->p, -1, dump_one, (u_char *)r);
	if (n < 0)
		return ff_errf(err, -EIO, "packet capture: %s", pcap_geterr(r->p));
	/* Flushed every pump: a crash loses only what the kernel still holds. */
	if (n > 0 && pcap_dump_flush(r->d) < 0)
		return ff_errf(err, -EIO, "%s: write failed", r->path);
	return n;
}

int ff_pcap_rec_rotate(struct ff_pcap_rec *r, const char *path, struct ff_err *err)
{
	return ff_pcap_rec_switch(r, path, 0, err);
}

int ff_pcap_rec_switch(struct ff_pcap_rec *r, const char *path, uint64_t ts, struct ff_err *err)
{
	pcap_dumper_t *nd, *old_d = NULL, *old_prev;
	char *np = strdup(path), *old_d_path = NULL, *old_prev_path;
	int rc = 0;

	if (!np)
		return ff_errf(err, -ENOMEM, "out of memory");
	pthread_mutex_lock(&r->mu);
	nd = open_dump(r->p, path, err);
	if (!nd) {
		pthread_mutex_unlock(&r->mu);
		free(np);
		return err ? err->code : -EIO;
	}
	old_prev = r->prev;
	old_prev_path = r->prev_path;
	if (ts == 0) { /* nothing goes back: the old file closes now */
		old_d = r->d;
		old_d_path = r->path;
		r->prev = NULL;
		r->prev_path = NULL;
	} else {
		r->prev = r->d;
		r->prev_path = r->path;
	}
	r->d = nd;
	r->path = np;
	r->switch_ts = ts;
	pthread_mutex_unlock(&r->mu);
	/* the thread no longer sees these */
	if (close_dump(old_d, old_d_path, err))
		rc = err ? err->code : -EIO;
	if (close_dump(old_prev, old_prev_path, err) && rc == 0)
		rc = err ? err->code : -EIO;
	free(old_d_path);
	free(old_prev_path);
	return rc;
}

void ff_pcap_rec_begin_at(struct ff_pcap_rec *r, uint64_t ts)
{
	pthread_mutex_lock(&r->mu);
	r->begin_ts = ts;
	pthread_mutex_unlock(&r->mu);
}

void ff_pcap_rec_end_at(struct ff_pcap_rec *r, uint64_t ts)
{
	pthread_mutex_lock(&r->mu);
	r->end_ts = ts;
	pthread_mutex_unlock(&r->mu);
}

void ff_pcap_rec_watermark(struct ff_pcap_rec *r, uint64_t ts)
{
	/* monotonic: a late, older mark never takes back what was released */
	uint64_t cur = __atomic_load_n(&r->watermark, __ATOMIC_RELAXED);

	if (ts > cur)
		__atomic_store_n(&r->watermark, ts, __ATOMIC_RELEASE);
}

static double mono_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void *rec_thread(void *arg)
{
	struct ff_pcap_rec *r = arg;
	int fd = pcap_get_selectable_fd(r->p);
	double last_stats = 0;
	int stopping = 0, more = 0;

	for (;;) {
		int n, stop, done;
		double now;
		uint64_t before;

		if (!stopping && !more) {
			if (fd >= 0) {
				struct pollfd pfd = { .fd = fd, .events = POLLIN };
				poll(&pfd, 1, REC_POLL_MS);
			} else {
				struct timespec t = { 0, 10 * 1000000 };
				nanosleep(&t, NULL);
			}
		}
		pthread_mutex_lock(&r->mu);
		stop = r->stop;
		before = r->written;
		n = pcap_dispatch(r->p, REC_BATCH, r->hold ? hold_one : dump_one, (u_char *)r);
		done = stop && (n <= 0 || stopping >= REC_STOP_ROUNDS);
		if (n < 0)
			ff_errf(&r->terr, -EIO, "packet capture: %s", pcap_geterr(r->p));
		more = n == REC_BATCH; /* the kernel has more */
		if (r->hold && held_release(r, done || n < 0 ? 0 : REC_RELEASE))
			more = 1;
		if (r->written != before) {
			if (pcap_dump_flush(r->d) < 0)
				ff_errf(&r->terr, -EIO, "%s: write failed", r->path);
			else if (r->prev && pcap_dump_flush(r->prev) < 0)
				ff_errf(&r->terr, -EIO, "%s: write failed", r->prev_path);
		}
		now = mono_now();
		if (now - last_stats >= 0.5 || done) {
			struct pcap_stat ps;
			if (pcap_stats(r->p, &ps) == 0)
				r->ps = ps;
			last_stats = now;
		}
		if (r->terr.code)
			__atomic_store_n(&r->failed, 1, __ATOMIC_RELEASE);
		pthread_mutex_unlock(&r->mu);
		if (r->terr.code || done)
			break;
		if (stop) /* drain what the kernel holds, then end */
			stopping++;
	}
	return NULL;
}

int ff_pcap_rec_start(struct ff_pcap_rec *r, int hold, struct ff_err *err)
{
	int rc;
	if (r->threaded)
		return 0;
	r->hold = hold;
	rc = pthread_create(&r->thr, NULL, rec_thread, r);
	if (rc)
		return ff_errf(err, -rc, "packet capture: thread: %s", strerror(rc));
	r->threaded = 1;
	return 0;
}

int ff_pcap_rec_status(struct ff_pcap_rec *r, struct ff_err *err)
{
	int rc;
	/* polled with every batch of events: never waits for the thread */
	if (!__atomic_load_n(&r->failed, __ATOMIC_ACQUIRE))
		return 0;
	pthread_mutex_lock(&r->mu);
	rc = r->terr.code;
	if (rc && err)
		*err = r->terr;
	pthread_mutex_unlock(&r->mu);
	return rc;
}

int ff_pcap_rec_stop(struct ff_pcap_rec *r, struct ff_err *err)
{
	if (!r->threaded)
		return 0;
	pthread_mutex_lock(&r->mu);
	r->stop = 1;
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->thr, NULL);
	r->threaded = 0;
	return ff_pcap_rec_status(r, err);
}

void ff_pcap_rec_stats(const struct ff_pcap_rec *cr, struct ff_pcap_rec_stats *st)
{
	/* const for the callers: only the lock changes */
	struct ff_pcap_rec *r = (struct ff_pcap_rec *)cr;
	struct pcap_stat ps = { 0 };
	memset(st, 0, sizeof(*st));
	pthread_mutex_lock(&r->mu);
	st->written = r->written;
	if (r->threaded)
		ps = r->ps; /* the pcap_t is the thread's */
	else if (pcap_stats(r->p, &ps) < 0)
		memset(&ps, 0, sizeof(ps));
	pthread_mutex_unlock(&r->mu);
	st->kernel_drops = ps.ps_drop;
	st->if_drops = ps.ps_ifdrop;
}

uint64_t ff_pcap_rec_early(struct ff_pcap_rec *r)
{
	uint64_t n;
	pthread_mutex_lock(&r->mu);
	n = r->early;
	pthread_mutex_unlock(&r->mu);
	return n;
}

int ff_pcap_rec_close(struct ff_pcap_rec *r, struct ff_err *err)
{
	int rc;
	struct ff_err e2;
	if (!r)
		return 0;
	rc = ff_pcap_rec_stop(r, err);
	if (close_dump(r->prev, r->prev_path, &e2) && rc == 0) {
		if (err)
			*err = e2;
		rc = e2.code;
	}
	if (close_dump(r->d, r->path, &e2) && rc == 0) {
		if (err)
			*err = e2;
		rc = e2.code;
	}
	pcap_close(r->p);
	pthread_mutex_destroy(&r->mu);
	free(r->path);
	free(r->prev_path);
	free(r->q);
	free(r);
	return rc;
}
