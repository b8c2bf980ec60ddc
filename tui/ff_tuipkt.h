/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Packets beside a capture, for falco-tui's connection drill-down: the flows
 * of a pcap/pcapng file (capture/ff_pcap.h) read a slice at a time, the flows
 * a connection carried by ff_flow_sock_rank() (the rule falco-query's index
 * applies), and the packets of one flow, copied for the list and the hex dump
 * by a pass of their own, bounded in count and bytes.
 */
#ifndef FF_TUIPKT_H
#define FF_TUIPKT_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_pcap.h"

struct ff_tuipkt;

int ff_tuipkt_open(struct ff_tuipkt **out, const char *path, struct ff_err *err);
void ff_tuipkt_close(struct ff_tuipkt *p);
const char *ff_tuipkt_path(const struct ff_tuipkt *p);

/* Read up to `max` packets into the flow table: 1 when more remain, 0 when
 * the file is read, a negative errno for a damaged file (the flows before
 * the damage stay; err names the file and the packet). */
int ff_tuipkt_step(struct ff_tuipkt *p, size_t max, struct ff_err *err);
int ff_tuipkt_done(const struct ff_tuipkt *p);
uint64_t ff_tuipkt_npackets(const struct ff_tuipkt *p); /* read so far */

/* The flows socket `s` may have carried, best first: their indices in idx
 * (at most max); returns how many. */
size_t ff_tuipkt_match(const struct ff_tuipkt *p, const struct ff_flow_sock *s, size_t *idx,
                       size_t max);
size_t ff_tuipkt_nflows(const struct ff_tuipkt *p);
const struct ff_flow *ff_tuipkt_flow(const struct ff_tuipkt *p, size_t i);

/* One packet of a flow, copied. */
struct ff_tuipkt_pkt {
	uint64_t ts;
	uint64_t num; /* 1-based in the file */
	uint32_t wirelen, caplen;
	int c2s; /* client to server */
	uint8_t tcp_flags;
	uint32_t payload_len;    /* transport payload on the wire */
	uint32_t payload_off;    /* where its captured part starts in data */
	uint32_t payload_caplen; /* bytes of it captured */
	uint8_t *data;           /* the captured frame, caplen bytes */
};

struct ff_tuipkt_list;

/* Start a pass collecting the packets of flow `flow` of `p` (which must stay
 * open), keeping at most max_pkts packets and max_bytes of frames. */
int ff_tuipkt_list_open(struct ff_tuipkt_list **out, const struct ff_tuipkt *p, size_t flow,
                        size_t max_pkts, size_t max_bytes, struct ff_err *err);
/* As ff_tuipkt_step, over up to `max` packets of the file. */
int ff_tuipkt_list_step(struct ff_tuipkt_list *l, size_t max, struct ff_err *err);
int ff_tuipkt_list_done(const struct ff_tuipkt_list *l);
size_t ff_tuipkt_list_count(const struct ff_tuipkt_list *l);
const struct ff_tuipkt_pkt *ff_tuipkt_list_at(const struct ff_tuipkt_list *l, size_t i);
/* Packets of the flow seen beyond the caps (not kept). */
uint64_t ff_tuipkt_list_more(const struct ff_tuipkt_list *l);
void ff_tuipkt_list_free(struct ff_tuipkt_list *l);

#endif
