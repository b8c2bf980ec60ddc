/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Syscall load for make bench-live.
 *   bench_sysloop getppid N      N getppid() calls; prints ns per call
 *   bench_sysloop orc N          N open/read/close of /etc/hostname; ns per round
 *   bench_sysloop rate R SECS    getppid() at R calls/s for SECS seconds (paced
 *                                by elapsed time); prints the calls made
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	char buf[256];
	double t0;
	long n;

	if (argc < 3)
		goto usage;
	n = strtol(argv[2], NULL, 10);
	if (n <= 0)
		goto usage;
	t0 = now_s();
	if (strcmp(argv[1], "getppid") == 0) {
		for (long i = 0; i < n; i++)
			syscall(SYS_getppid); /* not the libc wrapper: never cached */
	} else if (strcmp(argv[1], "orc") == 0) {
		for (long i = 0; i < n; i++) {
			int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);

			if (fd < 0 || read(fd, buf, sizeof(buf)) < 0) {
				perror("bench_sysloop");
				return 1;
			}
			close(fd);
		}
	} else if (strcmp(argv[1], "rate") == 0 && argc == 4) {
		double secs = strtod(argv[3], NULL), el;
		long made = 0;

		/* keep up with rate * elapsed, in bursts of at most 1 ms worth */
		while ((el = now_s() - t0) < secs) {
			long target = (long)((double)n * el);

			if (made >= target)
				continue;
			for (long k = 0; k < target - made && k < n / 1000 + 1; k++)
				syscall(SYS_getppid);
			made += target - made < n / 1000 + 1 ? target - made : n / 1000 + 1;
		}
		printf("%ld\n", made);
		return 0;
	} else {
		goto usage;
	}
	printf("%.1f\n", (now_s() - t0) * 1e9 / (double)n);
	return 0;
usage:
	fprintf(stderr, "usage: bench_sysloop getppid|orc N | rate CALLS_PER_S SECONDS\n");
	return 2;
}
