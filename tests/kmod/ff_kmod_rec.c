/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest-side recorder for make check-kmod, until falco-capture has a kmod
 * live mode: records everything the module sees while CMD runs into a .scap.
 *
 *   ff-kmod-rec -w OUT [-s SNAPLEN] [-z (gzip)] -- CMD [ARG...]
 *   ff-kmod-rec --hold SECONDS     open, map and start, then sleep (unload test)
 *
 * Prints one line of counters on stderr:
 *   kmod-rec: events=N drops=N fill_fail=N forks=N read=N written=N
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ff_kmod_source.h"
#include "ff_writer.h"

static int usage(void)
{
	fputs("usage: ff-kmod-rec -w OUT [-s SNAPLEN] [-z] -- CMD [ARG...]\n"
	      "       ff-kmod-rec --hold SECONDS\n",
	      stderr);
	return 2;
}

static void print_stats(const struct ff_kmod_source *src, uint64_t written)
{
	struct ff_kmod_stats t;

	ff_kmod_source_stats(src, NULL, 0, &t);
	fprintf(stderr,
	        "kmod-rec: events=%llu drops=%llu fill_fail=%llu forks=%llu read=%llu "
	        "written=%llu\n",
	        (unsigned long long)t.events, (unsigned long long)t.drops,
	        (unsigned long long)t.fill_fail, (unsigned long long)t.forks,
	        (unsigned long long)t.read, (unsigned long long)written);
}

int main(int argc, char **argv)
{
	struct ff_kmod_source_opts o = { .sz = sizeof(o), .poll_ms = 20 };
	struct ff_writer_opts wo = { .sz = sizeof(wo), .codec = FF_CODEC_NONE };
	struct ff_kmod_source *src = NULL;
	struct ff_writer *w = NULL;
	struct ff_err err = { 0 };
	const char *out = NULL;
	uint64_t written = 0;
	int i, rc, status = 0, idle = 0, hold = -1;
	pid_t child = -1;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-w") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			o.snaplen = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "-z"))
			wo.codec = FF_CODEC_GZIP; /* sysdig 0.29.3 reads gzip, not zstd */
		else if (!strcmp(argv[i], "--hold") && i + 1 < argc)
			hold = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else
			return usage();
	}
	if (hold < 0 && (!out || i >= argc))
		return usage();
	if ((rc = ff_kmod_source_open(&src, &o, &err)) || (rc = ff_kmod_source_start(src, &err))) {
		fprintf(stderr, "ff-kmod-rec: %s\n", err.msg);
		ff_kmod_source_close(src);
		return 1;
	}
	if (hold >= 0) {
		sleep((unsigned)hold);
		print_stats(src, 0);
		ff_kmod_source_close(src);
		return 0;
	}
	if (ff_writer_open(&w, out, &wo, &err)) {
		fprintf(stderr, "ff-kmod-rec: %s\n", err.msg);
		ff_kmod_source_close(src);
		return 1;
	}
	child = fork();
	if (child == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "ff-kmod-rec: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	for (;;) {
		struct ff_evt ev;

		rc = ff_kmod_source_next(src, &ev, &err);
		if (rc == 0) {
			idle = 0;
			if (ff_writer_write_event(w, &ev, &err)) {
				fprintf(stderr, "ff-kmod-rec: %s\n", err.msg);
				break;
			}
			written++;
			continue;
		}
		if (rc != -EAGAIN) {
			fprintf(stderr, "ff-kmod-rec: %s\n", err.msg);
			if (rc != -EBADMSG)
				break;
			continue;
		}
		if (child > 0 && waitpid(child, &status, WNOHANG) == child)
			child = 0;
		if (child == 0 && ++idle == 3) { /* child gone and rings quiet: stop, drain */
			ff_kmod_source_stop(src, &err);
		} else if (child == 0 && idle > 4) {
			break;
		}
	}
	print_stats(src, written);
	ff_kmod_source_close(src);
	if (ff_writer_close(w, &err)) {
		fprintf(stderr, "ff-kmod-rec: %s\n", err.msg);
		return 1;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
