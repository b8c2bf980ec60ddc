/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Packets beside syscalls: read pcap/pcapng files (ours or tcpdump's and
 * tshark's) into decoded packets on the capture's clock (ns since the epoch),
 * fold them into flows, and record packets live from an interface with
 * libpcap.  Decoding stops at the transport header: what a connection said is
 * kept as a payload sample, its volume as byte counts comparable with the
 * read/write sizes of the syscall capture.
 */
#ifndef FF_PCAP_H
#define FF_PCAP_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"

/* One decoded packet.  Pointers are into the reader's buffer and valid until
 * the next ff_pcap_next(). */
struct ff_pkt {
	uint64_t ts;      /* ns since the epoch */
	uint32_t wirelen; /* length on the wire */
	uint32_t caplen;  /* bytes captured */
	uint8_t family;   /* 4, 6, or 0 when not IP */
	uint8_t l4;       /* IPPROTO_TCP, IPPROTO_UDP, other, 0 when not IP */
	uint8_t tcp_flags;
	uint8_t sip[16], dip[16]; /* v4 in the first 4 bytes, network order */
	uint16_t sport, dport;    /* host order; 0 for other protocols */
	uint32_t payload_len;     /* transport payload per the IP header */
	const uint8_t *payload;   /* its captured part ... */
	uint32_t payload_caplen;  /* ... of this many bytes */
	const uint8_t *data;      /* the whole captured frame */
};

struct ff_pcap_reader;

/* Open a pcap or pcapng file.  Link types: Ethernet, Linux cooked (v1, v2),
 * raw IP, BSD loopback.  Returns 0 or a negative errno (message in err). */
int ff_pcap_open(struct ff_pcap_reader **out, const char *path, struct ff_err *err);
/* 1 with *pkt filled, 0 at the end, negative errno on a damaged file (what
 * was read before stays valid; err names the file and packet number). */
int ff_pcap_next(struct ff_pcap_reader *r, struct ff_pkt *pkt, struct ff_err *err);
void ff_pcap_close(struct ff_pcap_reader *r);

/* ---- flows ---- */

#define FF_FLOW_SAMPLE 64

/* A bidirectional 5-tuple.  The client is the sender of the first SYN seen,
 * else of the first packet. */
struct ff_flow {
	uint8_t family, l4;
	uint8_t cip[16], sip[16];
	uint16_t cport, sport;
	uint64_t first_ts, last_ts;
	uint64_t pkts;
	uint64_t bytes_c2s, bytes_s2c; /* transport payload bytes */
	uint32_t sample_len;           /* first payload bytes, either direction */
	uint8_t sample[FF_FLOW_SAMPLE];
};

struct ff_flows;

int ff_flows_new(struct ff_flows **out);
void ff_flows_free(struct ff_flows *ft);
/* Account one packet; non-IP packets are ignored.  Returns the flow's index
 * (>= 0) or a negative errno. */
long ff_flows_add(struct ff_flows *ft, const struct ff_pkt *pkt);
size_t ff_flows_count(const struct ff_flows *ft);
/* Flows in order of their first packet. */
const struct ff_flow *ff_flows_at(const struct ff_flows *ft, size_t i);
/* Whether `pkt` belongs to flow `f` (same 5-tuple, either way); *c2s is set
 * to 1 when it goes from the client to the server. */
int ff_flow_has(const struct ff_flow *f, const struct ff_pkt *pkt, int *c2s);

/* ---- flows and the sockets of a syscall capture ----
 * A flow is joined with the socket that carried it by 5-tuple and time: the
 * one rule falco-query's index (flows.conn_row) and falco-tui's connection
 * drill-down both apply. */

/* Skew allowed between the packet and the syscall recorders. */
#define FF_FLOW_SLACK_NS 1000000000ull

struct ff_flow_sock {
	uint8_t family;           /* 4 or 6 */
	uint8_t l4;               /* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t aip[16], bip[16]; /* its two ends, in either order (v4: first 4 bytes) */
	uint16_t aport, bport;
	uint64_t first_ts; /* connect or accept (or the first event seen on it) */
	uint64_t last_ts;  /* close (or the last event seen on it); 0: open to the end */
	int outward;       /* the connecting side */
};

/* How well socket `s` fits as the carrier of flow `f`: -1 when it cannot be
 * (another 5-tuple, or a life that does not overlap the flow's packets within
 * FF_FLOW_SLACK_NS); else a rank, lower is better: the connecting side before
 * the accepting one (both ends are local on loopback), then the socket whose
 * start is nearest the flow's first packet. */
int64_t ff_flow_sock_rank(const struct ff_flow *f, const struct ff_flow_sock *s);

/* ---- live recording ---- */

struct ff_pcap_rec;

struct ff_pcap_rec_opts {
	size_t sz;          /* sizeof(struct ff_pcap_rec_opts) */
	const char *iface;  /* "lo", "eth0", "any" */
	const char *filter; /* BPF expression, may be NULL */
	int snaplen;        /* 0 = 262144 */
	const char *path;   /* output .pcap (nanosecond timestamps) */
};

/* Open the interface and the output file (mode 0600).  Errors name the
 * interface (permission, no such device) or the file. */
int ff_pcap_rec_open(struct ff_pcap_rec **out, const struct ff_pcap_rec_opts *o,
                     struct ff_err *err);
/* Descriptor to poll for packets (-1 if not selectable). */
int ff_pcap_rec_fd(const struct ff_pcap_rec *r);
/* Write what is pending (non-blocking).  Returns packets written or negative errno. */
int ff_pcap_rec_pump(struct ff_pcap_rec *r, struct ff_err *err);
/* Continue into a new file (rotation beside the syscall capture). */
int ff_pcap_rec_rotate(struct ff_pcap_rec *r, const char *path, struct ff_err *err);
struct ff_pcap_rec_stats {
	uint64_t written, kernel_drops, if_drops;
};
void ff_pcap_rec_stats(const struct ff_pcap_rec *r, struct ff_pcap_rec_stats *st);
/* Flush and close (stopping the thread first, if any); returns 0 or a
 * negative errno for a failed final flush or a failure of the thread. */
int ff_pcap_rec_close(struct ff_pcap_rec *r, struct ff_err *err);

/* ---- recording on a thread of its own ----
 * After ff_pcap_rec_start() a thread reads and writes the packets, so a caller
 * busy draining syscall events never delays them.  From then on pump() is
 * refused (-EBUSY); the calls below, rotate(), stats() and close() are safe
 * from the caller's thread.  Without start() they work the same, synchronously.
 *
 * With `hold`, packets wait in memory (64 MiB at most; beyond, the oldest are
 * written early) until the caller's watermark passes them: a caller that marks
 * each event's time as it handles it gets packet files cut exactly where its
 * own files are (switch, end_at), whatever its latency. */
int ff_pcap_rec_start(struct ff_pcap_rec *r, int hold, struct ff_err *err);
/* Every event stamped before `ts` was handled: packets up to it may be
 * written.  Lock-free; call it as often as each event. */
void ff_pcap_rec_watermark(struct ff_pcap_rec *r, uint64_t ts);
/* Continue into `path` (opened now, mode 0600) from packet time `ts` (ns since
 * the epoch) on: packets stamped before `ts` still go to the previous file,
 * kept open until the next switch or close.  ts 0 = rotate(). */
int ff_pcap_rec_switch(struct ff_pcap_rec *r, const char *path, uint64_t ts, struct ff_err *err);
/* Packets stamped before `begin` or after `end` are not written (the span of
 * the syscall record).  Default: all. */
void ff_pcap_rec_begin_at(struct ff_pcap_rec *r, uint64_t begin);
void ff_pcap_rec_end_at(struct ff_pcap_rec *r, uint64_t end);
/* 0, or the thread's failure (it stopped recording; message in err). */
int ff_pcap_rec_status(struct ff_pcap_rec *r, struct ff_err *err);
/* Stop the thread after writing what the kernel still holds and what is
 * held; stats() are final after it.  0 or the thread's failure.  Nothing to do
 * without start(). */
int ff_pcap_rec_stop(struct ff_pcap_rec *r, struct ff_err *err);
/* Packets written before the watermark passed them (the hold was full). */
uint64_t ff_pcap_rec_early(struct ff_pcap_rec *r);

#endif /* FF_PCAP_H */
