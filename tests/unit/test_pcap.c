/* SPDX-License-Identifier: Apache-2.0 */
/* capture/ff_pcap: packet files built here byte by byte (the truth is what we
 * put in them), damaged files, and loopback recordings of known exchanges
 * (root only): counted against tshark when it is installed, and on the
 * recorder's thread, cut where the caller says. */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ff_pcap.h"
#include "pktbuild.h"

static char dir[64];

/* Linux cooked (v1) + IPv6 + UDP. */
static size_t udp6_sll(uint8_t *b, const char *src, uint16_t sp, const char *dst, uint16_t dp,
                       size_t plen)
{
	memset(b, 0, 16 + 40 + 8);
	pkt_put16(b + 14, 0x86dd);
	uint8_t *ip = b + 16, *u = ip + 40;
	ip[0] = 0x60;
	pkt_put16(ip + 4, (uint16_t)(8 + plen));
	ip[6] = IPPROTO_UDP;
	ip[7] = 64;
	inet_pton(AF_INET6, src, ip + 8);
	inet_pton(AF_INET6, dst, ip + 24);
	pkt_put16(u, sp);
	pkt_put16(u + 2, dp);
	pkt_put16(u + 4, (uint16_t)(8 + plen));
	memset(u + 8, 'q', plen);
	return 16 + 40 + 8 + plen;
}

static void dump(pcap_dumper_t *d, uint64_t ts, const uint8_t *b, size_t len, size_t caplen)
{
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)caplen, .len = (bpf_u_int32)len };
	h.ts.tv_sec = (time_t)(ts / 1000000000u);
	h.ts.tv_usec = (suseconds_t)(ts % 1000000000u); /* ns: nano-precision file */
	pcap_dump((u_char *)d, &h, b);
}

#define T0 1700000000123456789ull

static void write_eth(const char *path)
{
	pcap_t *p =
	    pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d = pcap_dump_open(p, path);
	uint8_t b[2048];
	size_t n;
	assert_non_null(d);
	n = pkt_tcp4(b, "10.0.0.1", 40000, "10.0.0.2", 80, 0x02, 0, 0); /* SYN */
	dump(d, T0, b, n, n);
	n = pkt_tcp4(b, "10.0.0.2", 80, "10.0.0.1", 40000, 0x12, 0, 0); /* SYN+ACK */
	dump(d, T0 + 1000, b, n, n);
	n = pkt_tcp4(b, "10.0.0.1", 40000, "10.0.0.2", 80, 0x18, 100, 'G');
	dump(d, T0 + 2000, b, n, n);
	n = pkt_tcp4(b, "10.0.0.2", 80, "10.0.0.1", 40000, 0x18, 250, 'H');
	dump(d, T0 + 3000, b, n, n);
	/* An ARP frame: not IP, not a flow. */
	memset(b, 0, 42);
	pkt_put16(b + 12, 0x0806);
	dump(d, T0 + 4000, b, 42, 42);
	/* Captured with a small snaplen: the payload length still comes from
	 * the IP header; the sample holds what was captured. */
	n = pkt_tcp4(b, "10.0.0.3", 5555, "10.0.0.2", 443, 0x18, 1000, 'S');
	dump(d, T0 + 5000, b, n, 14 + 40 + 10);
	pcap_dump_close(d);
	pcap_close(p);
}

static void test_ethernet_flows(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/eth.pcap", dir);
	write_eth(path);

	struct ff_pcap_reader *r = NULL;
	struct ff_flows *ft = NULL;
	struct ff_err err = { 0 };
	struct ff_pkt k;
	int rc, npkt = 0, nip = 0;
	assert_int_equal(ff_pcap_open(&r, path, &err), 0);
	assert_int_equal(ff_flows_new(&ft), 0);
	while ((rc = ff_pcap_next(r, &k, &err)) == 1) {
		if (npkt == 0) {
			assert_int_equal(k.ts, T0); /* nanoseconds kept */
			assert_int_equal(k.family, 4);
			assert_int_equal(k.sport, 40000);
			assert_int_equal(k.dport, 80);
			assert_int_equal(k.tcp_flags, 0x02);
		}
		npkt++;
		if (ff_flows_add(ft, &k) >= 0)
			nip++;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(npkt, 6);
	assert_int_equal(nip, 5);
	assert_int_equal(ff_flows_count(ft), 2);

	const struct ff_flow *f = ff_flows_at(ft, 0);
	uint8_t a[4];
	inet_pton(AF_INET, "10.0.0.1", a);
	assert_memory_equal(f->cip, a, 4);
	assert_int_equal(f->cport, 40000);
	assert_int_equal(f->sport, 80);
	assert_int_equal(f->pkts, 4);
	assert_int_equal(f->bytes_c2s, 100);
	assert_int_equal(f->bytes_s2c, 250);
	assert_int_equal(f->first_ts, T0);
	assert_int_equal(f->last_ts, T0 + 3000);
	assert_int_equal(f->sample_len, FF_FLOW_SAMPLE);
	assert_int_equal(f->sample[0], 'G');

	f = ff_flows_at(ft, 1);
	assert_int_equal(f->bytes_c2s, 1000);
	assert_int_equal(f->sample_len, 10); /* what the snaplen kept */
	assert_int_equal(f->sample[9], 'S');
	assert_null(ff_flows_at(ft, 2));
	ff_flows_free(ft);
	ff_pcap_close(r);
}

/* A flow whose SYN was missed: the SYN+ACK sender is the server. */
static void test_server_first(void **state)
{
	(void)state;
	struct ff_flows *ft = NULL;
	struct ff_pkt k = { .ts = 5, .family = 4, .l4 = IPPROTO_TCP, .tcp_flags = 0x12 };
	inet_pton(AF_INET, "192.0.2.9", k.sip);
	inet_pton(AF_INET, "192.0.2.1", k.dip);
	k.sport = 22;
	k.dport = 50000;
	k.payload_len = 7;
	assert_int_equal(ff_flows_new(&ft), 0);
	assert_int_equal(ff_flows_add(ft, &k), 0);
	const struct ff_flow *f = ff_flows_at(ft, 0);
	assert_int_equal(f->sport, 22);
	assert_int_equal(f->cport, 50000);
	assert_int_equal(f->bytes_s2c, 7);
	assert_int_equal(f->bytes_c2s, 0);
	ff_flows_free(ft);
}

/* Flow-to-socket rank: tuple either way, lives overlapping within the slack,
 * the connecting side first, then the nearest start. */
static void test_sock_rank(void **state)
{
	(void)state;
	const uint64_t S = FF_FLOW_SLACK_NS;
	struct ff_flow f = { .family = 4, .l4 = IPPROTO_TCP, .cport = 40000, .sport = 80 };
	inet_pton(AF_INET, "10.0.0.1", f.cip);
	inet_pton(AF_INET, "10.0.0.2", f.sip);
	f.first_ts = 100 * S;
	f.last_ts = 105 * S;
	struct ff_flow_sock c = { .family = 4, .l4 = IPPROTO_TCP, .aport = 40000, .bport = 80 };
	memcpy(c.aip, f.cip, 4);
	memcpy(c.bip, f.sip, 4);
	c.first_ts = 100 * S - 3000; /* connect 3 us before the SYN */
	c.last_ts = 106 * S;
	c.outward = 1;
	assert_int_equal(ff_flow_sock_rank(&f, &c), 3000);
	/* the accepting side: the same tuple the other way round, ranked after */
	struct ff_flow_sock a = c;
	memcpy(a.aip, f.sip, 4);
	memcpy(a.bip, f.cip, 4);
	a.aport = 80;
	a.bport = 40000;
	a.outward = 0;
	a.first_ts = 100 * S + 1000;
	int64_t ra = ff_flow_sock_rank(&f, &a);
	assert_true(ra > ff_flow_sock_rank(&f, &c));
	/* an open socket (no end) that started before the flow */
	c.last_ts = 0;
	assert_true(ff_flow_sock_rank(&f, &c) >= 0);
	/* lives that do not overlap, beyond the slack */
	c.first_ts = 105 * S + S + 1;
	assert_int_equal(ff_flow_sock_rank(&f, &c), -1);
	c.first_ts = 105 * S + S; /* just within */
	assert_true(ff_flow_sock_rank(&f, &c) >= 0);
	c.first_ts = 90 * S;
	c.last_ts = 100 * S - S - 1; /* closed a slack before the flow */
	assert_int_equal(ff_flow_sock_rank(&f, &c), -1);
	c.last_ts = 100 * S - S;
	assert_true(ff_flow_sock_rank(&f, &c) >= 0);
	/* another port, protocol or address */
	c.aport = 40001;
	assert_int_equal(ff_flow_sock_rank(&f, &c), -1);
	c.aport = 40000;
	c.l4 = IPPROTO_UDP;
	assert_int_equal(ff_flow_sock_rank(&f, &c), -1);
	c.l4 = IPPROTO_TCP;
	c.bip[3] ^= 1;
	assert_int_equal(ff_flow_sock_rank(&f, &c), -1);
	/* ff_flow_has: each direction */
	struct ff_pkt k = { .family = 4, .l4 = IPPROTO_TCP, .sport = 80, .dport = 40000 };
	memcpy(k.sip, f.sip, 4);
	memcpy(k.dip, f.cip, 4);
	int c2s = -1;
	assert_true(ff_flow_has(&f, &k, &c2s));
	assert_int_equal(c2s, 0);
	k.dport = 40001;
	assert_false(ff_flow_has(&f, &k, &c2s));
}

/* Many flows: the table grows and every flow keeps its own counts. */
static void test_many_flows(void **state)
{
	(void)state;
	struct ff_flows *ft = NULL;
	assert_int_equal(ff_flows_new(&ft), 0);
	for (int round = 0; round < 2; round++)
		for (uint32_t i = 0; i < 5000; i++) {
			struct ff_pkt k = { .ts = i, .family = 4, .l4 = IPPROTO_UDP };
			uint32_t s = htonl(0x0a000000u + i), d = htonl(0x0a800000u);
			memcpy(round ? k.dip : k.sip, &s, 4);
			memcpy(round ? k.sip : k.dip, &d, 4);
			k.sport = round ? 53 : (uint16_t)(1024 + i % 60000);
			k.dport = round ? (uint16_t)(1024 + i % 60000) : 53;
			k.payload_len = round ? 2 * i : i;
			assert_true(ff_flows_add(ft, &k) >= 0);
		}
	assert_int_equal(ff_flows_count(ft), 5000);
	for (size_t i = 0; i < 5000; i += 499) {
		const struct ff_flow *f = ff_flows_at(ft, i);
		assert_int_equal(f->pkts, 2);
		assert_int_equal(f->bytes_c2s, i);
		assert_int_equal(f->bytes_s2c, 2 * i);
	}
	ff_flows_free(ft);
}

static void test_cooked_ipv6(void **state)
{
	(void)state;
	char path[128];
	snprintf(path, sizeof(path), "%s/sll.pcap", dir);
	pcap_t *p = pcap_open_dead(DLT_LINUX_SLL, 65535);
	pcap_dumper_t *d = pcap_dump_open(p, path);
	uint8_t b[512];
	size_t n = udp6_sll(b, "fd00::1", 5353, "fd00::2", 53, 30);
	assert_non_null(d);
	/* a microsecond file: 123 µs after the second */
	struct pcap_pkthdr h = { .caplen = (bpf_u_int32)n, .len = (bpf_u_int32)n };
	h.ts.tv_sec = 1700000000;
	h.ts.tv_usec = 123;
	pcap_dump((u_char *)d, &h, b);
	pcap_dump_close(d);
	pcap_close(p);

	struct ff_pcap_reader *r = NULL;
	struct ff_err err = { 0 };
	struct ff_pkt k;
	assert_int_equal(ff_pcap_open(&r, path, &err), 0);
	assert_int_equal(ff_pcap_next(r, &k, &err), 1);
	assert_int_equal(k.family, 6);
	assert_int_equal(k.l4, IPPROTO_UDP);
	assert_int_equal(k.sport, 5353);
	assert_int_equal(k.dport, 53);
	assert_int_equal(k.payload_len, 30);
	/* a microsecond file is scaled to the ns clock */
	assert_int_equal(k.ts, 1700000000000000000ull + 123000);
	uint8_t a[16];
	inet_pton(AF_INET6, "fd00::2", a);
	assert_memory_equal(k.dip, a, 16);
	assert_int_equal(ff_pcap_next(r, &k, &err), 0);
	ff_pcap_close(r);
}

/* Truncated file: every whole packet first, then an error naming the file
 * and the packet. */
static void test_truncated(void **state)
{
	(void)state;
	char path[128], cut[140];
	snprintf(path, sizeof(path), "%s/eth.pcap", dir);
	snprintf(cut, sizeof(cut), "%s/cut.pcap", dir);
	write_eth(path);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	FILE *in = fopen(path, "rb"), *out = fopen(cut, "wb");
	assert_non_null(in);
	assert_non_null(out);
	/* cut inside the last packet's data */
	static uint8_t buf[8192];
	size_t n = fread(buf, 1, sizeof(buf), in);
	assert_int_equal(n, (size_t)sb.st_size);
	fwrite(buf, 1, n - 20, out);
	fclose(in);
	fclose(out);

	struct ff_pcap_reader *r = NULL;
	struct ff_err err = { 0 };
	struct ff_pkt k;
	int rc, got = 0;
	assert_int_equal(ff_pcap_open(&r, cut, &err), 0);
	while ((rc = ff_pcap_next(r, &k, &err)) == 1)
		got++;
	assert_int_equal(got, 5);
	assert_true(rc < 0);
	assert_non_null(strstr(err.msg, cut));
	assert_non_null(strstr(err.msg, "packet 6"));
	ff_pcap_close(r);

	/* not a packet file at all */
	out = fopen(cut, "wb");
	fputs("this is not a pcap file\n", out);
	fclose(out);
	assert_true(ff_pcap_open(&r, cut, &err) < 0);
	assert_non_null(strstr(err.msg, cut));
	snprintf(cut, sizeof(cut), "%s/missing.pcap", dir);
	assert_int_equal(ff_pcap_open(&r, cut, &err), -ENOENT);
}

/* Record a known loopback exchange: 1000 bytes to the server, 300 back. */
static void test_live_loopback(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip();
	}
	int ls = socket(AF_INET, SOCK_STREAM, 0), cs, as;
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(ls, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(ls, 1), 0);
	assert_int_equal(getsockname(ls, (struct sockaddr *)&sa, &sl), 0);
	uint16_t port = ntohs(sa.sin_port);

	char path[128], filter[64];
	snprintf(path, sizeof(path), "%s/live.pcap", dir);
	snprintf(filter, sizeof(filter), "tcp port %u", port);
	struct ff_pcap_rec_opts o = {
		.sz = sizeof(o), .iface = "lo", .filter = filter, .path = path
	};
	struct ff_pcap_rec *rec = NULL;
	struct ff_err err = { 0 };
	assert_int_equal(ff_pcap_rec_open(&rec, &o, &err), 0);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	cs = socket(AF_INET, SOCK_STREAM, 0);
	assert_int_equal(connect(cs, (struct sockaddr *)&sa, sizeof(sa)), 0);
	struct sockaddr_in ca;
	socklen_t cl = sizeof(ca);
	assert_int_equal(getsockname(cs, (struct sockaddr *)&ca, &cl), 0);
	as = accept(ls, NULL, NULL);
	assert_true(as >= 0);
	static char buf[1000];
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(write(cs, buf, 1000), 1000);
	size_t got = 0;
	while (got < 1000) {
		ssize_t r = read(as, buf, sizeof(buf));
		assert_true(r > 0);
		got += (size_t)r;
	}
	assert_int_equal(write(as, buf, 300), 300);
	got = 0;
	while (got < 300) {
		ssize_t r = read(cs, buf, sizeof(buf));
		assert_true(r > 0);
		got += (size_t)r;
	}
	close(cs);
	close(as);
	close(ls);
	/* Drain until the capture is quiet for a while (bounded; no timing assertion). */
	int quiet = 0, total = 0;
	for (int i = 0; i < 100 && quiet < 5; i++) {
		struct pollfd pfd = { .fd = ff_pcap_rec_fd(rec), .events = POLLIN };
		poll(&pfd, 1, 50);
		int n = ff_pcap_rec_pump(rec, &err);
		assert_true(n >= 0);
		total += n;
		quiet = n ? 0 : quiet + 1;
	}
	struct ff_pcap_rec_stats st;
	ff_pcap_rec_stats(rec, &st);
	assert_int_equal(st.written, (uint64_t)total);
	assert_int_equal(ff_pcap_rec_close(rec, &err), 0);

	struct ff_pcap_reader *r = NULL;
	struct ff_flows *ft = NULL;
	struct ff_pkt k;
	int rc, npkt = 0;
	assert_int_equal(ff_pcap_open(&r, path, &err), 0);
	assert_int_equal(ff_flows_new(&ft), 0);
	while ((rc = ff_pcap_next(r, &k, &err)) == 1) {
		npkt++;
		assert_true(ff_flows_add(ft, &k) >= 0);
	}
	assert_int_equal(rc, 0);
	assert_int_equal(npkt, total);
	assert_int_equal(ff_flows_count(ft), 1);
	const struct ff_flow *f = ff_flows_at(ft, 0);
	assert_int_equal(f->cport, ntohs(ca.sin_port));
	assert_int_equal(f->sport, port);
	assert_int_equal(f->bytes_c2s, 1000);
	assert_int_equal(f->bytes_s2c, 300);
	ff_flows_free(ft);
	ff_pcap_close(r);

	/* tshark, when installed, must see the same number of packets. */
	if (access("/usr/bin/tshark", X_OK) == 0) {
		char cmd[256], line[64];
		snprintf(cmd, sizeof(cmd), "/usr/bin/tshark -r %s 2>/dev/null | wc -l", path);
		FILE *pp = popen(cmd, "r");
		assert_non_null(pp);
		assert_non_null(fgets(line, sizeof(line), pp));
		pclose(pp);
		assert_int_equal(atoi(line), npkt);
	} else {
		print_message("tshark not installed: packet count not cross-checked\n");
	}
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Payload sizes and timestamps of the UDP packets of one file. */
static int read_udp(const char *path, uint32_t *sizes, uint64_t *ts, int cap)
{
	struct ff_pcap_reader *r = NULL;
	struct ff_err err = { 0 };
	struct ff_pkt k;
	int n = 0, rc;
	assert_int_equal(ff_pcap_open(&r, path, &err), 0);
	while ((rc = ff_pcap_next(r, &k, &err)) == 1) {
		assert_true(n < cap);
		sizes[n] = k.payload_len;
		ts[n++] = k.ts;
	}
	assert_int_equal(rc, 0);
	ff_pcap_close(r);
	return n;
}

/* The recorder on its thread, holding packets for the caller's watermark: A
 * goes before the switch time, B after it but sent before the switch is asked
 * for (so only holding can put it in the second file), C before the end, D
 * after it.  Packet times are CLOCK_REALTIME ns: A lies between the clock read
 * before and after sending it. */
static void test_live_hold_switch(void **state)
{
	(void)state;
	if (geteuid() != 0) {
		skip();
	}
	int s = socket(AF_INET, SOCK_DGRAM, 0), d = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(d, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(getsockname(d, (struct sockaddr *)&sa, &sl), 0);

	char p1[128], p2[128], filter[64];
	snprintf(p1, sizeof(p1), "%s/hold1.pcap", dir);
	snprintf(p2, sizeof(p2), "%s/hold2.pcap", dir);
	snprintf(filter, sizeof(filter), "udp dst port %u", ntohs(sa.sin_port));
	struct ff_pcap_rec_opts o = {
		.sz = sizeof(o), .iface = "lo", .filter = filter, .path = p1
	};
	struct ff_pcap_rec *rec = NULL;
	struct ff_err err = { 0 };
	static const char buf[64];
	assert_int_equal(ff_pcap_rec_open(&rec, &o, &err), 0);
	assert_int_equal(ff_pcap_rec_start(rec, 1, &err), 0);
	assert_int_equal(ff_pcap_rec_pump(rec, &err), -EBUSY);

	uint64_t t0 = now_ns();
	assert_int_equal(sendto(s, buf, 11, 0, (struct sockaddr *)&sa, sizeof(sa)), 11);
	uint64_t t1 = now_ns();
	ff_pcap_rec_watermark(rec, t1);
	assert_int_equal(sendto(s, buf, 22, 0, (struct sockaddr *)&sa, sizeof(sa)), 22);
	usleep(200000); /* B is read by the thread (and held) before the switch */
	assert_int_equal(ff_pcap_rec_switch(rec, p2, t1, &err), 0);
	assert_int_equal(sendto(s, buf, 33, 0, (struct sockaddr *)&sa, sizeof(sa)), 33);
	uint64_t t2 = now_ns();
	assert_int_equal(sendto(s, buf, 44, 0, (struct sockaddr *)&sa, sizeof(sa)), 44);
	ff_pcap_rec_end_at(rec, t2);
	assert_int_equal(ff_pcap_rec_stop(rec, &err), 0);
	struct ff_pcap_rec_stats st;
	ff_pcap_rec_stats(rec, &st);
	assert_int_equal(st.written, 3);
	assert_int_equal(ff_pcap_rec_early(rec), 0);
	assert_int_equal(ff_pcap_rec_close(rec, &err), 0);
	close(s);
	close(d);

	uint32_t sz[8];
	uint64_t ts[8];
	assert_int_equal(read_udp(p1, sz, ts, 8), 1);
	assert_int_equal(sz[0], 11);
	assert_true(ts[0] >= t0 && ts[0] <= t1);
	assert_int_equal(read_udp(p2, sz, ts, 8), 2);
	assert_int_equal(sz[0], 22);
	assert_int_equal(sz[1], 33);
	assert_true(ts[0] >= t1 && ts[1] <= t2);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ff-pcap.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ethernet_flows), cmocka_unit_test(test_server_first),
		cmocka_unit_test(test_sock_rank),      cmocka_unit_test(test_many_flows),
		cmocka_unit_test(test_cooked_ipv6),    cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_live_loopback),  cmocka_unit_test(test_live_hold_switch),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
