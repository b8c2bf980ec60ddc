/* SPDX-License-Identifier: Apache-2.0 */
/* Hand-built packet frames for the packet tests (header-only). */
#ifndef PKTBUILD_H
#define PKTBUILD_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void pkt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Ethernet + IPv4 + TCP frame with `plen` payload bytes of `fill`; returns
 * its length (the buffer needs 54 + plen bytes). */
static inline size_t pkt_tcp4(uint8_t *b, const char *src, uint16_t sp, const char *dst,
                              uint16_t dp, uint8_t flags, size_t plen, uint8_t fill)
{
	memset(b, 0, 14 + 20 + 20);
	pkt_put16(b + 12, 0x0800);
	uint8_t *ip = b + 14, *t = ip + 20;
	ip[0] = 0x45;
	pkt_put16(ip + 2, (uint16_t)(20 + 20 + plen));
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	pkt_put16(t, sp);
	pkt_put16(t + 2, dp);
	t[12] = 5 << 4;
	t[13] = flags;
	memset(t + 20, fill, plen);
	return 14 + 20 + 20 + plen;
}

#endif /* PKTBUILD_H */
