/* SPDX-License-Identifier: Apache-2.0 */
/*
 * logsink SOCKET READYFILE: a syslog daemon for tests.  Binds a unix
 * datagram socket at SOCKET (what /dev/log is), touches READYFILE, and
 * prints every message it receives on its own line until it has been idle
 * for 2 s after the first one (or 30 s in all), so a test can bind-mount
 * SOCKET over /dev/log and read what a program logged.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	char buf[65536];
	int got = 0;

	if (argc != 3 || strlen(argv[1]) >= sizeof(a.sun_path)) {
		fprintf(stderr, "usage: logsink SOCKET READYFILE\n");
		return 2;
	}
	int s = socket(AF_UNIX, SOCK_DGRAM, 0);
	memcpy(a.sun_path, argv[1], strlen(argv[1]) + 1);
	unlink(argv[1]);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) < 0) {
		fprintf(stderr, "logsink: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	FILE *r = fopen(argv[2], "w");
	if (!r) {
		fprintf(stderr, "logsink: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	fclose(r);
	for (int waited = 0; waited < 30000;) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		int rc = poll(&p, 1, 100);
		if (rc <= 0) {
			waited += 100;
			if (got && waited >= 2000)
				break;
			continue;
		}
		ssize_t n = recv(s, buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		printf("%s\n", buf);
		fflush(stdout);
		got = 1;
		waited = 0;
	}
	close(s);
	unlink(argv[1]);
	return 0;
}
