/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Recorder for make check-kmod, until falco-capture has a kmod live mode:
 * records everything the driver (the module, or the BPF probe for the
 * comparison) sees while CMD runs into a .scap.
 *
 *   ffk-rec [--driver kmod|bpf] -w OUT [-s SNAPLEN] [-z (gzip)] -- CMD [ARG...]
 *   ffk-rec [--driver kmod|bpf] --hold SECONDS   open and start, then sleep
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
#include <time.h>
#include <unistd.h>

#include "ff_event_table.h"
#include "ff_kmod_source.h"
#include "ff_reader.h"
#include "ff_writer.h"
#if FFK_WITH_BPF
#include "ff_bpf_source.h"
#endif

/* The two sources have the same shape: one of them is open. */
struct rec {
	struct ff_kmod_source *k;
#if FFK_WITH_BPF
	struct ff_bpf_source *b;
#endif
};

#if FFK_WITH_BPF
/* libbpf's and the verifier's messages: why the probe did not load */
static void bpf_log(void *ctx, enum ff_bpf_log_level level, const char *msg)
{
	(void)ctx;
	if (level == FF_BPF_LOG_WARN)
		fputs(msg, stderr);
}
#endif

/* Both drivers get the same syscall set: what the 2022 table knows. */
static int rec_open(struct rec *r, int bpf, uint32_t snaplen, struct ff_err *err)
{
	static uint8_t set[FF_SYSCALL_NR_MAX];

	for (unsigned nr = 0; nr < FF_SYSCALL_NR_MAX; nr++)
		set[nr] = ff_syscalls_x86_64[nr].name && (ff_syscalls_x86_64[nr].enter_2022 > 0 ||
		                                          ff_syscalls_x86_64[nr].ppm_sc_2022 >= 0);
	if (!bpf) {
		struct ff_kmod_source_opts o = {
			.sz = sizeof(o), .poll_ms = 20, .snaplen = snaplen, .syscalls = set
		};

		return ff_kmod_source_open(&r->k, &o, err);
	}
#if FFK_WITH_BPF
	{
		struct ff_bpf_source_opts o = { .sz = sizeof(o),
			                        .poll_ms = 20,
			                        .snaplen = snaplen,
			                        .syscalls = set,
			                        .log = bpf_log };

		return ff_bpf_source_open(&r->b, &o, err);
	}
#else
	ff_errf(err, -ENOTSUP, "built without the BPF driver");
	return -ENOTSUP;
#endif
}

static int rec_start(struct rec *r, struct ff_err *err)
{
#if FFK_WITH_BPF
	if (r->b)
		return ff_bpf_source_start(r->b, err);
#endif
	return ff_kmod_source_start(r->k, err);
}

static int rec_next(struct rec *r, struct ff_evt *ev, struct ff_err *err)
{
#if FFK_WITH_BPF
	if (r->b)
		return ff_bpf_source_next(r->b, ev, err);
#endif
	return ff_kmod_source_next(r->k, ev, err);
}

/* The BPF source has no stop: the recorder stops reading instead. */
static void rec_stop(struct rec *r, struct ff_err *err)
{
	if (r->k)
		ff_kmod_source_stop(r->k, err);
}

static void rec_close(struct rec *r)
{
#if FFK_WITH_BPF
	ff_bpf_source_close(r->b);
#endif
	ff_kmod_source_close(r->k);
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static int usage(void)
{
	fputs("usage: ffk-rec [--driver kmod|bpf] -w OUT [-s SNAPLEN] [-z] -- CMD [ARG...]\n"
	      "       ffk-rec [--driver kmod|bpf] --hold SECONDS\n"
	      "       ffk-rec --extras CAPTURE TID...\n",
	      stderr);
	return 2;
}

/* --extras: the exit parameters 2026 appended to the 2022 list, which
 * sysdig 0.29.3 (and so the listing check-kmod compares) does not show:
 * "TID EVENT name=value ..." for each exit event of the given threads.
 * Numbers in decimal, strings and buffers as escaped text, socket tuples
 * by family only (they hold ports and kernel addresses). */
static int extras(const char *path, char **tids, int ntids)
{
	struct ff_reader *rd = NULL;
	struct ff_err err = { 0 };
	struct ff_block b;
	int rc;

	if (ff_reader_open(&rd, path, &err)) {
		fprintf(stderr, "ffk-rec: %s\n", err.msg);
		return 1;
	}
	while ((rc = ff_reader_next_event(rd, &b, &err)) == 1) {
		const struct ff_evt *ev = &b.ev;
		const struct ff_event_info *in =
		    ev->type < FF_EVENT_MAX ? &ff_event_table[ev->type] : NULL;
		int mine = 0;

		for (int k = 0; k < ntids && !mine; k++)
			mine = strtoull(tids[k], NULL, 10) == ev->tid;
		if (!mine || !in || !in->name || in->dir != 'X' || ev->nparams <= in->nparams_2022)
			continue;
		printf("%llu %s", (unsigned long long)ev->tid, in->name);
		for (unsigned i = in->nparams_2022; i < ev->nparams && i < in->nparams; i++) {
			const struct ff_param_info *pi = &in->params[i];
			const uint8_t *v = ev->raw + ev->off[i];
			uint32_t n = ev->plen[i];
			int64_t x = 0;

			printf(" %s=", pi->name);
			if (pi->type == FF_PT_SOCKTUPLE || pi->type == FF_PT_SOCKADDR) {
				printf("family%u", n ? v[0] : 0);
			} else if (pi->type == FF_PT_CHARBUF || pi->type == FF_PT_BYTEBUF ||
			           pi->type == FF_PT_FSPATH || pi->type == FF_PT_FSRELPATH ||
			           !(n == 1 || n == 2 || n == 4 || n == 8)) {
				for (uint32_t j = 0; j < n; j++)
					printf(v[j] > ' ' && v[j] < 127 ? "%c" : "\\x%02x", v[j]);
			} else {
				if (n == 1)
					x = (int8_t)v[0];
				else if (n == 2)
					x = (int16_t)(v[0] | v[1] << 8);
				else if (n == 4)
					x = (int32_t)((uint32_t)v[0] | (uint32_t)v[1] << 8 |
					              (uint32_t)v[2] << 16 | (uint32_t)v[3] << 24);
				else
					memcpy(&x, v, 8); /* x86_64: little endian */
				printf("%lld", (long long)x);
			}
		}
		printf("\n");
	}
	if (rc < 0)
		fprintf(stderr, "ffk-rec: %s\n", err.msg);
	ff_reader_close(rd);
	return rc < 0;
}

static void print_stats(const struct rec *r, uint64_t written)
{
	struct ff_kmod_stats t = { 0 };

	if (r->k)
		ff_kmod_source_stats(r->k, NULL, 0, &t);
#if FFK_WITH_BPF
	if (r->b) {
		struct ff_bpf_stats b;

		ff_bpf_source_stats(r->b, NULL, 0, &b);
		t.events = b.events;
		t.drops = b.drops;
		t.fill_fail = b.fill_fail;
		t.read = b.read;
	}
#endif
	fprintf(stderr,
	        "kmod-rec: events=%llu drops=%llu fill_fail=%llu forks=%llu read=%llu "
	        "written=%llu\n",
	        (unsigned long long)t.events, (unsigned long long)t.drops,
	        (unsigned long long)t.fill_fail, (unsigned long long)t.forks,
	        (unsigned long long)t.read, (unsigned long long)written);
}

int main(int argc, char **argv)
{
	struct ff_writer_opts wo = { .sz = sizeof(wo), .codec = FF_CODEC_NONE };
	struct rec src = { 0 };
	uint32_t snaplen = 0;
	int bpf = 0;
	struct ff_writer *w = NULL;
	struct ff_err err = { 0 };
	const char *out = NULL;
	uint64_t written = 0;
	int i, rc, status = 0, hold = -1, stopped = 0;
	long long end = 0;
	pid_t child = -1;

	if (argc >= 3 && !strcmp(argv[1], "--extras"))
		return extras(argv[2], argv + 3, argc - 3);
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-w") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "-s") && i + 1 < argc)
			snaplen = (uint32_t)strtoul(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--driver") && i + 1 < argc) {
			i++;
			if (strcmp(argv[i], "kmod") && strcmp(argv[i], "bpf"))
				return usage();
			bpf = !strcmp(argv[i], "bpf");
		} else if (!strcmp(argv[i], "-z"))
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
	if ((rc = rec_open(&src, bpf, snaplen, &err)) || (rc = rec_start(&src, &err))) {
		fprintf(stderr, "ffk-rec: %s\n", err.msg);
		rec_close(&src);
		return 1;
	}
	if (hold >= 0) {
		sleep((unsigned)hold);
		print_stats(&src, 0);
		rec_close(&src);
		return 0;
	}
	if (ff_writer_open(&w, out, &wo, &err)) {
		fprintf(stderr, "ffk-rec: %s\n", err.msg);
		rec_close(&src);
		return 1;
	}
	child = fork();
	if (child == 0) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "ffk-rec: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	/* Once the child is reaped, read on for 300 ms (what it did is in the
	 * rings by then), stop and drain: a busy host never goes quiet. */
	for (;;) {
		struct ff_evt ev;

		rc = rec_next(&src, &ev, &err);
		if (rc == 0) {
			if (ff_writer_write_event(w, &ev, &err)) {
				fprintf(stderr, "ffk-rec: %s\n", err.msg);
				break;
			}
			if ((++written & 1023) && !stopped)
				continue;
		} else if (rc != -EAGAIN) {
			fprintf(stderr, "ffk-rec: %s\n", err.msg);
			if (rc != -EBADMSG)
				break;
			continue;
		} else if (stopped) {
			break; /* drained */
		}
		if (child > 0 && waitpid(child, &status, WNOHANG) == child) {
			child = 0;
			end = now_ms() + 300;
		}
		if (child == 0 && !stopped && now_ms() >= end) {
			rec_stop(&src, &err);
			stopped = 1;
			if (rc == 0 && !src.k)
				break; /* BPF keeps tracing: no drain to wait for */
		}
	}
	print_stats(&src, written);
	rec_close(&src);
	if (ff_writer_close(w, &err)) {
		fprintf(stderr, "ffk-rec: %s\n", err.msg);
		return 1;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
}
