/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark helper: with --probe, load the BPF source (getppid selected) and
 * drain it on this thread while a forked child runs N getppid() calls; without
 * it, only the child loop runs.  Prints ns per syscall in the child and the
 * events/s drained.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ff_bpf_source.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long n = argc > 2 ? atol(argv[2]) : 2000000;
	int probe = argc > 1 && !strcmp(argv[1], "--probe");
	struct ff_bpf_source *src = NULL;
	struct ff_err err = { 0 };
	uint8_t set[FF_SYSCALL_NR_MAX] = { 0 };
	struct ff_bpf_source_opts o = {
		.sz = sizeof(o), .syscalls = set, .poll_ms = 20, .no_procexit = 1
	};
	volatile double *ns =
	    mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct ff_bpf_stats st;
	struct ff_evt ev;
	double t0, t1;
	uint64_t got = 0;
	int status, idle = 0;
	pid_t c;

	set[SYS_getppid] = 1;
	if (probe && (ff_bpf_source_open(&src, &o, &err) || ff_bpf_source_start(src, &err))) {
		fprintf(stderr, "probe: %s\n", err.msg);
		return 1;
	}
	c = fork();
	if (c == 0) {
		double a = now();

		for (long i = 0; i < n; i++)
			syscall(SYS_getppid);
		*ns = (now() - a) * 1e9 / n;
		_exit(0);
	}
	t0 = now();
	if (probe)
		while (idle < 3) {
			int rc = ff_bpf_source_next(src, &ev, &err);

			if (rc == -EAGAIN) {
				idle += waitpid(c, &status, WNOHANG) == c || idle > 0;
				continue;
			}
			got += rc == 0;
		}
	t1 = now();
	waitpid(c, &status, 0);
	printf("%s: %.0f ns/getppid", probe ? "probe" : "bare", *ns);
	if (probe) {
		ff_bpf_source_stats(src, NULL, 0, &st);
		printf(", %lu events drained in %.2f s (%.2f M evt/s incl. idle tail), drops %lu",
		       (unsigned long)got, t1 - t0, got / (t1 - t0) / 1e6, (unsigned long)st.drops);
		ff_bpf_source_close(src);
	}
	printf("\n");
	return 0;
}
