/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tcpxfer: a loopback TCP exchange of known sizes, for the packet tests.
 *   tcpxfer server PORTFILE SEND [CONNS]
 *     listens on 127.0.0.1 (a free port, written to PORTFILE once listening);
 *     per connection reads to EOF, then sends SEND bytes and closes; prints
 *     "received N" per connection; CONNS connections (default 1, 0 = until
 *     killed).
 *   tcpxfer client PORT SEND
 *     connects, sends SEND bytes, shuts its side, reads to EOF; prints
 *     "sent S received R".
 * Both stop themselves after a while (alarm) so a broken test cannot hang.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LIFETIME_S 120

static int die(const char *what)
{
	fprintf(stderr, "tcpxfer: %s: %s\n", what, strerror(errno));
	return 1;
}

static int send_all(int fd, unsigned long n)
{
	static char buf[4096];

	memset(buf, 'x', sizeof(buf));
	while (n) {
		size_t k = n < sizeof(buf) ? n : sizeof(buf);
		ssize_t w = write(fd, buf, k);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		n -= (unsigned long)w;
	}
	return 0;
}

/* bytes read to EOF, or -1 */
static long recv_all(int fd)
{
	static char buf[65536];
	long total = 0;
	ssize_t r;

	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		total += r;
	}
	return total;
}

static int server(const char *portfile, unsigned long send, unsigned long conns)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	char tmp[4096];
	FILE *f;
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 16) < 0 ||
	    getsockname(ls, (struct sockaddr *)&sa, &sl) < 0)
		return die("listen");
	/* renamed into place: the reader never sees half a number */
	snprintf(tmp, sizeof(tmp), "%s.tmp", portfile);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%u\n", ntohs(sa.sin_port)) < 0 || fclose(f) != 0 ||
	    rename(tmp, portfile) < 0)
		return die(portfile);
	for (unsigned long i = 0; conns == 0 || i < conns; i++) {
		int c = accept(ls, NULL, NULL);
		long got;

		if (c < 0 && errno == EINTR)
			continue;
		if (c < 0)
			return die("accept");
		got = recv_all(c);
		if (got < 0 || send_all(c, send) < 0)
			return die("server exchange");
		close(c);
		printf("received %ld\n", got);
		fflush(stdout);
	}
	close(ls);
	return 0;
}

static int client(unsigned port, unsigned long send)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	long got;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (c < 0 || connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return die("connect");
	if (send_all(c, send) < 0 || shutdown(c, SHUT_WR) < 0)
		return die("client send");
	got = recv_all(c);
	if (got < 0)
		return die("client receive");
	close(c);
	printf("sent %lu received %ld\n", send, got);
	return 0;
}

int main(int argc, char **argv)
{
	alarm(LIFETIME_S);
	if (argc >= 4 && argc <= 5 && strcmp(argv[1], "server") == 0)
		return server(argv[2], strtoul(argv[3], NULL, 10),
		              argc == 5 ? strtoul(argv[4], NULL, 10) : 1);
	if (argc == 4 && strcmp(argv[1], "client") == 0)
		return client((unsigned)strtoul(argv[2], NULL, 10), strtoul(argv[3], NULL, 10));
	fprintf(stderr, "usage: tcpxfer server PORTFILE SEND [CONNS] | client PORT SEND\n");
	return 2;
}
