/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mkpcap: write a nanosecond pcap of hand-described IPv4 TCP packets, for the
 * packet-join tests.  Reads lines from stdin:
 *   TS_NS SRC_IP SRC_PORT DST_IP DST_PORT FLAGS PAYLOAD_LEN [TEXT]
 * FLAGS is a number (2 = SYN, 18 = SYN+ACK, 24 = PSH+ACK, 17 = FIN+ACK).  The
 * payload is TEXT repeated (no spaces in it), or 'p' bytes.
 */
#include "config.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pktbuild.h"

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkpcap OUT.pcap < packets\n");
		return 2;
	}
	pcap_t *p =
	    pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d = p ? pcap_dump_open(p, argv[1]) : NULL;
	if (!d) {
		fprintf(stderr, "mkpcap: %s: %s\n", argv[1], p ? pcap_geterr(p) : "no memory");
		return 1;
	}
	static uint8_t frame[65536];
	char line[512], sip[64], dip[64], text[256];
	unsigned long long ts;
	unsigned sp, dp, flags, plen;
	int n = 0;
	while (fgets(line, sizeof(line), stdin)) {
		text[0] = 0;
		int nf = sscanf(line, "%llu %63s %u %63s %u %u %u %255s", &ts, sip, &sp, dip, &dp,
		                &flags, &plen, text);
		if (nf < 7 || plen > 60000) {
			fprintf(stderr, "mkpcap: line %d: bad packet line\n", n + 1);
			return 1;
		}
		size_t len = pkt_tcp4(frame, sip, (uint16_t)sp, dip, (uint16_t)dp, (uint8_t)flags,
		                      plen, 'p');
		size_t tl = strlen(text);
		for (size_t i = 0; tl && i < plen;
		     i++) /* the payload follows the 54 header bytes */
			frame[len - plen + i] = (uint8_t)text[i % tl];
		struct pcap_pkthdr h = { .caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len };
		h.ts.tv_sec = (time_t)(ts / 1000000000ull);
		h.ts.tv_usec = (suseconds_t)(ts % 1000000000ull);
		pcap_dump((u_char *)d, &h, frame);
		n++;
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}
