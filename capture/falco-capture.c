/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-capture: record live events (ff_source) into a capture, with the
 * /proc scan in front and sysdig's rotation; rewrite a capture into another
 * codec (metadata re-encoded to the compat profile, events copied byte for
 * byte); or describe one (--info).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ff_filter.h"
#include "ff_meta.h"
#include "ff_pcap.h"
#include "ff_procscan.h"
#include "ff_reader.h"
#include "ff_scap.h"
#include "ff_seekidx.h"
#include "ff_source.h"
#include "ff_state.h"
#include "ff_sysfields.h"
#include "ff_writer.h"
#include "ff_num.h"
#include "ff_stop.h"

#define PROG "falco-capture"
#define PL_SPLIT (4u << 20) /* start a new PL block beyond this many bytes */

static void usage(FILE *f)
{
	fprintf(f,
	        "Usage: " PROG " -w FILE [-M SECONDS] [-n EVENTS] [-C MB] [-G SECONDS] [-W FILES]\n"
	        "                     [-s SNAPLEN] [--compress X] [--driver bpf|kmod] [--all]\n"
	        "                     [--buffer-size BYTES] [--pcap IFACE [--pcap-filter EXPR]\n"
	        "                     [--pcap-snaplen BYTES]] [-q] [FILTER]\n"
	        "       " PROG " -r IN -w OUT [--compress none|gzip|zstd] [--level N]\n"
	        "                     [--frame-size BYTES]\n"
	        "       " PROG " --info FILE\n"
	        "\n"
	        "Without -r, record live system calls (root): /proc is scanned into the\n"
	        "process, fd, user and interface lists, then events flow until -M, -n,\n"
	        "SIGINT or SIGTERM; the file is closed cleanly in every case.  A FILTER (the\n"
	        "falco-replay -f language) keeps only the events that match.  With -r,\n"
	        "rewrite a .scap capture (plain, gzip or zstd; concatenated sections allowed)\n"
	        "into OUT: metadata is re-encoded so that sysdig 0.29.3 and current Falco read\n"
	        "it, events are copied unchanged; IN.pcap beside IN is copied to OUT.pcap.\n"
	        "--info describes a capture.\n"
	        "\n"
	        "Live capture:\n"
	        "  -M, --seconds N        stop after N seconds\n"
	        "  -n, --events N         stop after writing N events\n"
	        "  -C, --file-size MB     start a new file every MB megabytes (FILE0, FILE1...)\n"
	        "  -G, --rotate-seconds N start a new file every N seconds; FILE goes through\n"
	        "                         strftime(3) (e.g. cap-%%H%%M%%S.scap)\n"
	        "  -W, --limit N          with -C: reuse the names after N files (a ring);\n"
	        "                         with -G alone: stop after N files\n"
	        "  -s, --snaplen BYTES    I/O data kept per read/write event (default 80)\n"
	        "      --driver NAME      bpf or kmod (default: kmod if loaded, else bpf)\n"
	        "      --all              every system call, not the default security set\n"
	        "      --buffer-size B    per-CPU ring bytes, a power of 2 (default 8388608)\n"
	        "      --pcap IFACE       also record the packets of IFACE (lo, eth0, any) with\n"
	        "                         libpcap into FILE.pcap beside each capture file\n"
	        "                         (ns timestamps, the events' clock; rotated with it);\n"
	        "                         falco-query joins them to connections and processes\n"
	        "      --pcap-filter EXPR packets to keep, in tcpdump's filter language\n"
	        "      --pcap-snaplen B   bytes kept per packet (default 262144)\n"
	        "  -q, --quiet            no status line on the terminal\n"
	        "\n"
	        "Files:\n"
	        "  -r, --read FILE        input capture ('-' for stdin)\n"
	        "  -w, --write FILE       output capture ('-' for stdout), created mode 0600\n"
	        "  -c, --compress CODEC   none, gzip or zstd (default zstd, with a seek table;\n"
	        "                         sysdig and Falco read only none and gzip)\n"
	        "  -l, --level N          compression level (default: zstd 1, gzip 6)\n"
	        "      --frame-size BYTES decoded bytes per compressed frame (default 4194304)\n"
	        "  -i, --info FILE        print what the capture holds\n"
	        "  -h, --help             this help\n"
	        "  -V, --version          version\n"
	        "\n"
	        "Exit status: 0 success, 1 damaged or unreadable input, a write error or a\n"
	        "driver that cannot start (not root, no BTF, BPF disallowed), an interface\n"
	        "that cannot be captured (--pcap), 2 usage error.\n");
}

/* ff_reader_next() that steps over malformed events inside intact framing
 * (the reader goes on after those, while framing errors repeat themselves):
 * *bad counts them and *first keeps the first message. */
static int next_block(struct ff_reader *r, struct ff_block *b, struct ff_err *err,
                      unsigned long long *bad, struct ff_err *first)
{
	struct ff_err prev;
	int rc = ff_reader_next(r, b, err);

	while (rc == -EBADMSG) {
		prev = *err;
		rc = ff_reader_next(r, b, err);
		if (rc == -EBADMSG && strcmp(prev.msg, err->msg) == 0)
			return rc;
		(*bad)++;
		if (!first->code)
			*first = prev;
	}
	return rc;
}

/* ---------------------------------------------------------------- rewrite */

struct tidset {
	uint64_t *v;
	size_t n, cap;
	int sorted;
};

static int tidset_add(struct tidset *s, uint64_t tid)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 256;
		uint64_t *nv = realloc(s->v, ncap * sizeof(*nv));

		if (!nv)
			return -ENOMEM;
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = tid;
	s->sorted = 0;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int tidset_has(struct tidset *s, uint64_t tid)
{
	if (!s->sorted) {
		qsort(s->v, s->n, sizeof(*s->v), cmp_u64);
		s->sorted = 1;
	}
	return s->n && bsearch(&tid, s->v, s->n, sizeof(*s->v), cmp_u64) != NULL;
}

/* Metadata of one section, re-encoded, waiting for the first event: blocks are
 * written in the compat order (MI, IL, UL, PL, FDL) whatever the input order. */
struct section {
	int have_mi;
	struct ff_buf mi, il, ul, pl;
	size_t pl_mark;
	int pl_open;
	struct ff_buf fdl; /* FDL_V2 blocks, filtered by tid when emitted */
	struct tidset tids;
	unsigned long dropped_fds, dropped_blocks;
};

static void section_reset(struct section *s)
{
	s->have_mi = 0;
	s->mi.len = s->il.len = s->ul.len = s->pl.len = s->fdl.len = 0;
	s->pl_open = 0;
	s->tids.n = 0;
}

static void section_free(struct section *s)
{
	ff_buf_free(&s->mi);
	ff_buf_free(&s->il);
	ff_buf_free(&s->ul);
	ff_buf_free(&s->pl);
	ff_buf_free(&s->fdl);
	free(s->tids.v);
}

static int add_meta(struct section *s, const struct ff_block *b, struct ff_err *err)
{
	struct ff_meta_iter it;
	size_t mark;
	int rc;

	if (b->kind == FF_BLK_MACHINE) {
		struct ff_machine mi;

		if (s->have_mi)
			return 0;
		rc = ff_meta_machine(b, &mi, err);
		if (rc == 0)
			rc = ff_meta_put_machine(&s->mi, &mi, err);
		s->have_mi = rc == 0;
		return rc;
	}
	rc = ff_meta_iter_init(&it, b, err);
	if (rc)
		return rc;
	switch (b->kind) {
	case FF_BLK_IFLIST: {
		struct ff_iface ifc;

		rc = ff_meta_begin(&s->il, FF_BT_IL_V2, 0, &mark, err);
		while (rc == 0 && (rc = ff_meta_iface_next(&it, &ifc, err)) == 1)
			rc = ff_meta_put_iface(&s->il, &ifc, err);
		if (rc == 0)
			rc = ff_meta_end(&s->il, mark, err);
		break;
	}
	case FF_BLK_USERLIST: {
		struct ff_user u;

		rc = ff_meta_begin(&s->ul, FF_BT_UL_V2, 0, &mark, err);
		while (rc == 0 && (rc = ff_meta_user_next(&it, &u, err)) == 1)
			rc = ff_meta_put_user(&s->ul, &u, err);
		if (rc == 0)
			rc = ff_meta_end(&s->ul, mark, err);
		break;
	}
	case FF_BLK_PROCLIST: {
		struct ff_proc p;

		while ((rc = ff_meta_proc_next(&it, &p, err)) == 1) {
			if (!s->pl_open) {
				rc = ff_meta_begin(&s->pl, FF_BT_PL_V9, 0, &s->pl_mark, err);
				if (rc)
					break;
				s->pl_open = 1;
			}
			rc = ff_meta_put_proc(&s->pl, &p, err);
			if (rc == 0)
				rc = tidset_add(&s->tids, p.tid) ? -ENOMEM : 0;
			if (rc == 0 && s->pl.len - s->pl_mark > PL_SPLIT) {
				rc = ff_meta_end(&s->pl, s->pl_mark, err);
				s->pl_open = 0;
			}
			if (rc)
				break;
		}
		break;
	}
	case FF_BLK_FDLIST: {
		struct ff_fdinfo f;

		rc = ff_meta_begin(&s->fdl, FF_BT_FDL_V2, it.tid, &mark, err);
		while (rc == 0 && (rc = ff_meta_fd_next(&it, &f, err)) == 1) {
			rc = ff_meta_put_fd(&s->fdl, &f, err);
			if (rc == -EINVAL) { /* type 0 or unknown: no compat encoding */
				s->dropped_fds++;
				rc = 0;
			}
		}
		if (rc == 0)
			rc = ff_meta_end(&s->fdl, mark, err);
		break;
	}
	default:
		break;
	}
	return rc;
}

static int section_emit(struct section *s, struct ff_writer *w, struct ff_err *err)
{
	int rc = 0;

	if (s->pl_open) {
		rc = ff_meta_end(&s->pl, s->pl_mark, err);
		s->pl_open = 0;
	}
	if (rc == 0)
		rc = ff_writer_write_meta(w, s->mi.p, s->mi.len, err);
	if (rc == 0)
		rc = ff_writer_write_meta(w, s->il.p, s->il.len, err);
	if (rc == 0)
		rc = ff_writer_write_meta(w, s->ul.p, s->ul.len, err);
	if (rc == 0)
		rc = ff_writer_write_meta(w, s->pl.p, s->pl.len, err);
	/* sysdig 0.29.3 rejects the file if an FDL names a thread not in a PL */
	for (size_t off = 0; rc == 0 && off < s->fdl.len;) {
		uint32_t total = ff_ld32(s->fdl.p + off + 4);

		if (tidset_has(&s->tids, ff_ld64(s->fdl.p + off + 8)))
			rc = ff_writer_write_meta(w, s->fdl.p + off, total, err);
		else
			s->dropped_blocks++;
		off += total;
	}
	section_reset(s);
	return rc;
}

/* The packets beside a capture (IN.pcap, see --pcap) follow it to OUT.pcap,
 * copied unchanged: a rewrite keeps every event, so the pair keeps one span.
 * Without IN.pcap, an OUT.pcap left from before is removed (it would be joined
 * with the new OUT).  0 or 1 with the message printed. */
static int carry_pcap(const char *in, const char *out)
{
	char ip[4200], op[4200], buf[65536];
	struct stat is, os;
	int ifd = -1, ofd = -1, status = 0;
	ssize_t n;

	if (strcmp(out, "-") == 0)
		return 0;
	if ((size_t)snprintf(op, sizeof(op), "%s.pcap", out) >= sizeof(op) ||
	    (strcmp(in, "-") && (size_t)snprintf(ip, sizeof(ip), "%s.pcap", in) >= sizeof(ip))) {
		fprintf(stderr, PROG ": %s.pcap: name too long\n", out);
		return 1;
	}
	if (strcmp(in, "-") == 0 || stat(ip, &is) < 0) {
		if (strcmp(in, "-") && errno != ENOENT) {
			fprintf(stderr, PROG ": %s: %s\n", ip, strerror(errno));
			return 1;
		}
		if (unlink(op) < 0 && errno != ENOENT) {
			fprintf(stderr, PROG ": %s: %s\n", op, strerror(errno));
			return 1;
		}
		return 0;
	}
	if (stat(op, &os) == 0 && os.st_dev == is.st_dev && os.st_ino == is.st_ino)
		return 0; /* the same file */
	if ((ifd = open(ip, O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", ip, strerror(errno));
		return 1;
	}
	if ((ofd = open(op, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", op, strerror(errno));
		close(ifd);
		return 1;
	}
	while ((n = read(ifd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, PROG ": %s: %s\n", ip, strerror(errno));
			status = 1;
			break;
		}
		for (ssize_t off = 0, w; off < n; off += w) {
			w = write(ofd, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				w = 0;
			else if (w < 0) {
				fprintf(stderr, PROG ": %s: %s\n", op, strerror(errno));
				status = 1;
				goto done;
			}
		}
	}
done:
	close(ifd);
	if (close(ofd) < 0 && status == 0) {
		fprintf(stderr, PROG ": %s: %s\n", op, strerror(errno));
		status = 1;
	}
	return status;
}

static int do_rewrite(const char *in, const char *outp, const struct ff_writer_opts *opts)
{
	struct ff_reader *r = NULL;
	struct ff_writer *w = NULL;
	struct ff_err err = { 0 };
	struct section sec = { 0 };
	struct ff_block b;
	struct ff_err first_bad = { 0 };
	unsigned long long bad_events = 0;
	unsigned long sections = 0, late_meta = 0;
	int rc, status = 0, pending = 0; /* pending: metadata not yet emitted */

	if (ff_reader_open(&r, in, &err) < 0) {
		fprintf(stderr, PROG ": %s\n", err.msg);
		return 1;
	}
	if (ff_writer_open(&w, outp, opts, &err) < 0) {
		fprintf(stderr, PROG ": %s\n", err.msg);
		ff_reader_close(r);
		return 1;
	}
	for (;;) {
		rc = next_block(r, &b, &err, &bad_events, &first_bad);
		if (rc == 0)
			break;
		if (rc < 0) {
			fprintf(stderr, PROG ": %s\n", err.msg);
			status = 1;
			break;
		}
		switch (b.kind) {
		case FF_BLK_SECTION:
			if (pending && (rc = section_emit(&sec, w, &err)) < 0)
				goto werr;
			if (sections++ > 0 && (rc = ff_writer_new_section(w, &err)) < 0)
				goto werr;
			pending = 1;
			break;
		case FF_BLK_EVENT:
			if (pending) {
				rc = section_emit(&sec, w, &err);
				if (rc < 0)
					goto werr;
				pending = 0;
			}
			rc = ff_writer_write_event(w, &b.ev, &err);
			if (rc < 0)
				goto werr;
			break;
		case FF_BLK_UNKNOWN:
			sec.dropped_blocks++;
			break;
		default:
			if (!pending) {
				late_meta++; /* readers refuse it there: drop */
				break;
			}
			rc = add_meta(&sec, &b, &err);
			if (rc < 0) {
				fprintf(stderr, PROG ": %s: %s\n", in, err.msg);
				status = 1;
				goto out;
			}
			break;
		}
	}
	if (pending && (rc = section_emit(&sec, w, &err)) < 0)
		goto werr;
	goto out;
werr:
	fprintf(stderr, PROG ": %s\n", err.msg);
	status = 1;
out:
	if (sec.dropped_fds || sec.dropped_blocks || late_meta)
		fprintf(stderr,
		        PROG
		        ": note: dropped %lu fd entries without a compat encoding, %lu unknown or "
		        "orphan blocks, %lu metadata blocks after events\n",
		        sec.dropped_fds, sec.dropped_blocks, late_meta);
	if (bad_events) {
		fprintf(stderr, PROG ": %llu malformed events skipped; first: %s\n", bad_events,
		        first_bad.msg);
		status = 1;
	}
	rc = ff_writer_close(w, &err);
	if (rc < 0 && status == 0) {
		fprintf(stderr, PROG ": %s\n", err.msg);
		status = 1;
	}
	section_free(&sec);
	ff_reader_close(r);
	if (carry_pcap(in, outp))
		status = 1;
	return status;
}

/* ------------------------------------------------------------------- info */

struct info {
	unsigned long long blocks[FF_BLK_UNKNOWN + 1];
	unsigned long long threads, fds, users, groups, ifaces, events;
	unsigned long long *by_type; /* 65536 counters */
	uint64_t first_ts, last_ts;
	struct ff_machine mi;
	int have_mi;
	unsigned shb_major, shb_minor;
};

static const char *const kind_names[] = {
	[FF_BLK_SECTION] = "section header",
	[FF_BLK_MACHINE] = "machine info",
	[FF_BLK_IFLIST] = "interface list",
	[FF_BLK_USERLIST] = "user list",
	[FF_BLK_PROCLIST] = "process list",
	[FF_BLK_FDLIST] = "fd list",
	[FF_BLK_EVENT] = "event",
	[FF_BLK_UNKNOWN] = "unknown",
};

static void print_ts(const char *label, uint64_t ts)
{
	time_t t = (time_t)(ts / 1000000000u);
	struct tm tm;
	char buf[64];

	if (!gmtime_r(&t, &tm) || !strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm))
		buf[0] = '\0';
	printf("%-22s %s.%09llu UTC (%llu)\n", label, buf, (unsigned long long)(ts % 1000000000u),
	       (unsigned long long)ts);
}

static int count_meta(struct info *in, const struct ff_block *b, struct ff_err *err)
{
	struct ff_meta_iter it;
	union {
		struct ff_iface i;
		struct ff_user u;
		struct ff_proc p;
		struct ff_fdinfo f;
	} e;
	int rc;

	if (b->kind == FF_BLK_MACHINE) {
		if (in->have_mi)
			return 0;
		rc = ff_meta_machine(b, &in->mi, err);
		in->have_mi = rc == 0;
		return rc;
	}
	rc = ff_meta_iter_init(&it, b, err);
	if (rc)
		return rc;
	for (;;) {
		switch (b->kind) {
		case FF_BLK_IFLIST:
			rc = ff_meta_iface_next(&it, &e.i, err);
			in->ifaces += rc == 1;
			break;
		case FF_BLK_USERLIST:
			rc = ff_meta_user_next(&it, &e.u, err);
			if (rc == 1 && e.u.kind == FF_UL_USER)
				in->users++;
			else if (rc == 1)
				in->groups++;
			break;
		case FF_BLK_PROCLIST:
			rc = ff_meta_proc_next(&it, &e.p, err);
			in->threads += rc == 1;
			break;
		default:
			rc = ff_meta_fd_next(&it, &e.f, err);
			in->fds += rc == 1;
			break;
		}
		if (rc <= 0)
			return rc;
	}
}

struct typecount {
	unsigned type;
	unsigned long long n;
};

static int cmp_count(const void *a, const void *b)
{
	const struct typecount *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return (int)x->type - (int)y->type;
}

static int do_info(const char *path)
{
	struct ff_reader *r = NULL;
	struct ff_err err = { 0 }, damage = { 0 }, first_bad = { 0 };
	struct info in = { 0 };
	struct ff_block b;
	struct ff_seekidx ix = { 0 };
	int rc, status = 0, have_ix = 0;
	unsigned long long bad_events = 0;
	struct typecount *tc = NULL;
	size_t ntc = 0;

	in.by_type = calloc(65536, sizeof(*in.by_type));
	tc = calloc(65536, sizeof(*tc));
	if (!in.by_type || !tc) {
		fprintf(stderr, PROG ": out of memory\n");
		status = 1;
		goto out;
	}
	if (ff_reader_open(&r, path, &err) < 0) {
		fprintf(stderr, PROG ": %s\n", err.msg);
		status = 1;
		goto out;
	}
	while ((rc = next_block(r, &b, &err, &bad_events, &first_bad)) != 0) {
		if (rc < 0) {
			damage = err;
			break;
		}
		in.blocks[b.kind]++;
		if (b.kind == FF_BLK_SECTION) {
			if (in.blocks[FF_BLK_SECTION] == 1) {
				in.shb_major = ff_ld16(b.body + 4);
				in.shb_minor = b.version;
			}
		} else if (b.kind == FF_BLK_EVENT) {
			if (in.events == 0 || b.ev.ts < in.first_ts)
				in.first_ts = b.ev.ts;
			if (in.events == 0 || b.ev.ts > in.last_ts)
				in.last_ts = b.ev.ts;
			in.events++;
			in.by_type[b.ev.type]++;
		} else if (b.kind != FF_BLK_UNKNOWN) {
			if (count_meta(&in, &b, &err) < 0 && !damage.code)
				damage = err;
		}
	}
	if (ff_reader_codec(r) == FF_CODEC_ZSTD &&
	    ff_seekidx_load(ff_reader_stream(r), &ix, &err) == 0)
		have_ix = 1;

	printf("%-22s %s\n", "File:", ff_reader_name(r));
	printf("%-22s %s\n", "Codec:", ff_codec_name(ff_reader_codec(r)));
	printf("%-22s %llu bytes (%llu decoded)\n",
	       "Size:", (unsigned long long)ff_istream_raw_size(ff_reader_stream(r)),
	       (unsigned long long)ff_reader_offset(r));
	printf("%-22s %u.%u\n", "Format version:", in.shb_major, in.shb_minor);
	printf("%-22s %llu\n", "Sections:", in.blocks[FF_BLK_SECTION]);
	if (in.have_mi) {
		printf("%-22s %s\n", "Hostname:", in.mi.hostname);
		printf("%-22s %u\n", "CPUs:", in.mi.num_cpus);
		printf("%-22s %llu bytes (%.1f GiB)\n",
		       "Memory:", (unsigned long long)in.mi.memory_bytes,
		       (double)in.mi.memory_bytes / (1024.0 * 1024 * 1024));
	} else {
		printf("%-22s none\n", "Machine info:");
	}
	printf("Blocks:\n");
	for (int k = FF_BLK_SECTION; k <= FF_BLK_UNKNOWN; k++)
		if (in.blocks[k])
			printf("  %-20s %llu\n", kind_names[k], in.blocks[k]);
	printf("%-22s %llu\n", "Threads:", in.threads);
	printf("%-22s %llu\n", "File descriptors:", in.fds);
	printf("%-22s %llu\n", "Users:", in.users);
	printf("%-22s %llu\n", "Groups:", in.groups);
	printf("%-22s %llu\n", "Interfaces:", in.ifaces);
	printf("%-22s %llu\n", "Events:", in.events);
	if (in.events) {
		print_ts("First event:", in.first_ts);
		print_ts("Last event:", in.last_ts);
		printf("%-22s %.9f s\n", "Span:", (double)(in.last_ts - in.first_ts) / 1e9);
	}
	if (have_ix)
		printf("%-22s %zu (seek table)\n", "Frames:", ix.n);
	for (unsigned t = 0; t < 65536; t++)
		if (in.by_type[t])
			tc[ntc++] = (struct typecount){ t, in.by_type[t] };
	qsort(tc, ntc, sizeof(*tc), cmp_count);
	if (ntc)
		printf("Events by type:\n");
	for (size_t i = 0; i < ntc; i++) {
		const struct ff_event_info *ei =
		    tc[i].type < FF_EVENT_MAX ? &ff_event_table[tc[i].type] : NULL;

		printf("  %-24s %c %5u %llu\n", ei ? ei->name : "(unknown)",
		       ei ? (ei->dir == 'E' ? '>' : '<') : '?', tc[i].type, tc[i].n);
	}
	if (bad_events) {
		printf("%-22s %llu (first: %s)\n", "Malformed events:", bad_events, first_bad.msg);
		status = 1;
	}
	if (damage.code) {
		printf("%-22s %s\n", "Damage:", damage.msg);
		fprintf(stderr, PROG ": %s\n", damage.msg);
		status = 1;
	}
out:
	ff_seekidx_free(&ix);
	ff_reader_close(r);
	free(in.by_type);
	free(tc);
	return status;
}

/* ------------------------------------------------------------------- live */

struct live_opts {
	struct ff_writer_opts wo;
	const char *out;
	uint64_t seconds, events, file_mb, rotate_s, limit;
	uint32_t snaplen;
	size_t buffer_bytes;
	const char *driver;
	int all, quiet;
	char *filter;
	const char *pcap_iface, *pcap_filter; /* --pcap: packets beside, FILE.pcap */
	int pcap_snaplen;
};

#define FLUSH_EVERY_S 1.0 /* at most this much of a slow capture is lost on a crash */

static uint64_t realtime_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static double mono_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct live {
	const struct live_opts *o;
	struct ff_writer *w;
	struct ff_pcap_rec *pcap; /* --pcap */
	struct ff_state *st;
	struct ff_sysctx *ctx;
	ff_fields *fields;
	ff_filter *filter;
	uint8_t evtset[FF_EVTSET_BYTES];
	char name[4096];                      /* the file being written */
	char next[4096], next_pcap[4096 + 8]; /* the next file, its packets */
	unsigned long files;                  /* files opened */
	uint64_t file_start;                  /* event clock of the current file's start */
	uint64_t written;                     /* events written (drop events included) */
	uint64_t bytes_done;                  /* bytes of the files already closed */
	uint64_t last_ts;                     /* of the last event written */
	struct ff_procscan_stats scan;
};

/* The -w name is a strftime(3) format with -G, as in sysdig. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static size_t fmt_time(char *out, size_t cap, const char *fmt, const struct tm *tm)
{
	return strftime(out, cap, fmt, tm);
}
#pragma GCC diagnostic pop

/* Name of file number `idx` (sysdig's -C/-G naming). */
static int file_name(struct live *l, unsigned long idx, char *out, size_t cap)
{
	char base[4096];
	int n;

	if (l->o->rotate_s) {
		time_t now = time(NULL);
		struct tm tm;

		if (!localtime_r(&now, &tm) || fmt_time(base, sizeof(base), l->o->out, &tm) == 0)
			return -ENAMETOOLONG;
	} else {
		n = snprintf(base, sizeof(base), "%s", l->o->out);
		if (n < 0 || (size_t)n >= sizeof(base))
			return -ENAMETOOLONG;
	}
	if (l->o->file_mb) {
		unsigned long k = l->o->limit ? idx % l->o->limit : idx;

		n = snprintf(out, cap, "%s%lu", base, k);
	} else {
		n = snprintf(out, cap, "%s", base);
	}
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

/* Name the next file and its packet file (FILE.pcap, where falco-query
 * looks for them). */
static int live_next_name(struct live *l, struct ff_err *err)
{
	int n, rc = file_name(l, l->files, l->next, sizeof(l->next));

	if (rc)
		return ff_errf(err, rc, "output name too long");
	n = snprintf(l->next_pcap, sizeof(l->next_pcap), "%s.pcap", l->next);
	if (n < 0 || (size_t)n >= sizeof(l->next_pcap))
		return ff_errf(err, -ENAMETOOLONG, "output name too long");
	return 0;
}

/* Open the next file (live_next_name) and write the current /proc scan in front. */
static int live_open_file(struct live *l, uint64_t ts, struct ff_err *err)
{
	struct ff_buf meta = { 0 };
	struct ff_procscan_opts so = { .sz = sizeof(so) };
	int rc;

	memcpy(l->name, l->next, sizeof(l->name));
	/* FILE.pcap goes with FILE: one left from an earlier capture under this
	 * name would be joined with the new one */
	if (!l->pcap && strcmp(l->name, "-") && unlink(l->next_pcap) < 0 && errno != ENOENT)
		return ff_errf(err, -errno, "%s: %s", l->next_pcap, strerror(errno));
	rc = ff_writer_open(&l->w, l->name, &l->o->wo, err);
	if (rc)
		return rc;
	rc = ff_procscan_run(&meta, &so, &l->scan, err);
	if (rc == 0)
		rc = ff_writer_write_meta(l->w, meta.p, meta.len, err);
	if (rc == 0) /* on disk now: the file shows the capture has started */
		rc = ff_writer_flush(l->w, err);
	if (rc == 0 && l->files == 0 && l->st) {
		/* seed the filter's state with the same lists */
		struct ff_buf mem = { 0 };
		struct ff_reader *r = NULL;
		struct ff_block b;

		rc = ff_meta_put_shb(&mem, err);
		if (rc == 0)
			rc = ff_buf_put(&mem, meta.p, meta.len, err);
		if (rc == 0)
			rc = ff_reader_open_mem(&r, mem.p, mem.len, "/proc scan", err);
		while (rc == 0 && (rc = ff_reader_next(r, &b, err)) == 1)
			rc = ff_state_load_block(l->st, &b, err);
		ff_reader_close(r);
		ff_buf_free(&mem);
	}
	ff_buf_free(&meta);
	l->files++;
	l->file_start = ts;
	return rc;
}

static int live_close_file(struct live *l, struct ff_err *err)
{
	struct ff_writer_stats ws;
	int rc;

	if (!l->w)
		return 0;
	ff_writer_stats(l->w, &ws);
	rc = ff_writer_close(l->w, err);
	l->w = NULL;
	/* the closing seek table is not in ws: count the file as it is */
	{
		FILE *f = strcmp(l->name, "-") ? fopen(l->name, "rb") : NULL;

		if (f && fseek(f, 0, SEEK_END) == 0 && ftell(f) >= 0)
			ws.file_bytes = (uint64_t)ftell(f);
		if (f)
			fclose(f);
	}
	l->bytes_done += ws.file_bytes;
	return rc;
}

static uint64_t live_bytes(const struct live *l)
{
	struct ff_writer_stats ws = { 0 };

	if (l->w)
		ff_writer_stats(l->w, &ws);
	return l->bytes_done + ws.file_bytes;
}

static void human_bytes(uint64_t b, char *out, size_t cap)
{
	if (b >= (1ull << 30))
		snprintf(out, cap, "%.2f GiB", (double)b / (1ull << 30));
	else if (b >= (1ull << 20))
		snprintf(out, cap, "%.1f MiB", (double)b / (1ull << 20));
	else
		snprintf(out, cap, "%.1f KiB", (double)b / 1024.0);
}

static int live_setup_filter(struct live *l, struct ff_err *err)
{
	struct ff_filter_pos pos = { 0 };
	struct ff_filter_opts fo = { .sz = sizeof(fo), .errpos = &pos };
	int rc;

	if ((rc = ff_sysfields_new(&l->fields, err)) || (rc = ff_state_new(&l->st, err)) ||
	    (rc = ff_sysctx_new(&l->ctx, l->st, err)))
		return rc;
	fo.fields = l->fields;
	rc = ff_filter_compile(l->o->filter, strlen(l->o->filter), &fo, &l->filter, err);
	if (rc)
		return rc;
	ff_filter_evttypes(l->filter, l->evtset);
	return 0;
}

/* 1 when the event is to be written. */
static int live_keep(struct live *l, const struct ff_evt *ev, uint64_t num)
{
	uint64_t gen;

	if (!l->filter)
		return 1;
	ff_state_update(l->st, ev);
	if (ev->type == FFE_DROP_E || ev->type == FFE_DROP_X)
		return 1; /* holes are never filtered away */
	if (!(l->evtset[ev->type >> 3] & (1u << (ev->type & 7))))
		return 0;
	gen = ff_sysctx_set_event(l->ctx, ev, num);
	return ff_filter_eval(l->filter, l->ctx, gen) == 1;
}

static int do_live(const struct live_opts *o)
{
	struct ff_source_opts so = { .sz = sizeof(so),
		                     .driver = o->driver,
		                     .snaplen = o->snaplen,
		                     .buffer_bytes = o->buffer_bytes,
		                     .all_syscalls = o->all,
		                     .poll_ms = 100 };
	struct ff_source *src = NULL;
	struct ff_err err = { 0 };
	struct live l = { .o = o };
	struct ff_evt ev;
	struct ff_source_stats ss = { 0 };
	struct ff_pcap_rec_stats pst = { 0 };
	struct sigaction sa;
	double t0, last_status = 0, last_rate_t, now, drain_until = 0, last_flush;
	uint64_t flushed_at = 0;
	uint64_t stop_ts = 0;
	uint64_t seen = 0, last_rate_n = 0, prev_ts = 0, early = 0;
	int rc, status = 0, tty = !o->quiet && isatty(2);
	char hb[32];

	ff_stop_catch();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	if (o->filter && live_setup_filter(&l, &err)) {
		fprintf(stderr, PROG ": filter: %s\n", err.msg);
		status = 2;
		goto out;
	}
	if (live_next_name(&l, &err)) {
		fprintf(stderr, PROG ": %s\n", err.msg);
		status = 1;
		goto out;
	}
	/* packets first: a wrong interface or filter, or no right to capture,
	 * fails before the probe loads */
	if (o->pcap_iface) {
		struct ff_pcap_rec_opts po = { .sz = sizeof(po),
			                       .iface = o->pcap_iface,
			                       .filter = o->pcap_filter,
			                       .snaplen = o->pcap_snaplen,
			                       .path = l.next_pcap };

		rc = ff_pcap_rec_open(&l.pcap, &po, &err);
		/* held until the events before them are handled: the packet files
		 * are cut where the capture files are */
		if (rc == 0 && (rc = ff_pcap_rec_start(l.pcap, 1, &err)) != 0) {
			ff_pcap_rec_close(l.pcap, NULL);
			l.pcap = NULL;
			unlink(l.next_pcap);
		}
		if (rc) {
			fprintf(stderr, PROG ": %s\n", err.msg);
			status = rc == -EINVAL ? 2 : 1; /* a bad filter is a usage error */
			goto out;
		}
	}
	rc = ff_source_open(&src, &so, &err);
	if (rc == 0)
		rc = ff_source_start(src, &err);
	if (rc) {
		fprintf(stderr, PROG ": %s\n", err.msg);
		status = 1;
		goto out;
	}
	if (l.pcap) /* packets from when events are traced */
		ff_pcap_rec_begin_at(l.pcap, realtime_ns());

	if (live_open_file(&l, 0, &err)) {
		fprintf(stderr, PROG ": %s\n", err.msg);
		status = 1;
		goto out;
	}
	t0 = last_rate_t = last_flush = mono_s();
	for (;;) {
		/* Stopping (signal or -M) drains what happened before the stop:
		 * events still in the rings when the signal came are recorded. */
		if (!stop_ts &&
		    (*ff_stop_flag() || (o->seconds && mono_s() - t0 >= (double)o->seconds))) {
			stop_ts = realtime_ns();
			drain_until = mono_s() + 3.0;
			if (l.pcap)
				ff_pcap_rec_end_at(l.pcap, stop_ts);
		}
		if (stop_ts && mono_s() > drain_until)
			break;
		rc = ff_source_next(src, &ev, &err);
		if (stop_ts && (rc == -EAGAIN || (rc == 0 && ev.ts > stop_ts)))
			break;
		if (rc == 0) {
			/* the previous event is handled: its packets may go out */
			if (l.pcap && seen)
				ff_pcap_rec_watermark(l.pcap, prev_ts);
			prev_ts = ev.ts;
			seen++;
			if (l.file_start == 0)
				l.file_start = ev.ts;
			if (live_keep(&l, &ev, seen)) {
				struct ff_writer_stats ws;
				int rotate = 0;

				ff_writer_stats(l.w, &ws);
				if (o->file_mb && ws.file_bytes >= o->file_mb * 1000000u)
					rotate = 1;
				if (o->rotate_s &&
				    ev.ts - l.file_start >= o->rotate_s * 1000000000u)
					rotate = 1;
				if (rotate) {
					if (o->rotate_s && !o->file_mb && o->limit &&
					    l.files >= o->limit)
						break; /* sysdig: -G -W N stops after N files */
					/* packets from this event's time on go to the
					 * new file's pcap, switched before the
					 * /proc scan delays us */
					if (live_next_name(&l, &err) ||
					    (l.pcap && ff_pcap_rec_switch(l.pcap, l.next_pcap,
					                                  ev.ts, &err)) ||
					    live_close_file(&l, &err) ||
					    live_open_file(&l, ev.ts, &err)) {
						fprintf(stderr, PROG ": %s\n", err.msg);
						status = 1;
						break;
					}
				}
				if (ff_writer_write_event(l.w, &ev, &err)) {
					fprintf(stderr, PROG ": %s\n", err.msg);
					status = 1;
					break;
				}
				if (ev.type != FFE_DROP_E && ev.type != FFE_DROP_X)
					l.written++;
				l.last_ts = ev.ts;
				if (o->events && l.written >= o->events)
					break;
			}
			if ((seen & 1023) != 0)
				continue;
		} else if (rc != -EAGAIN) {
			fprintf(stderr, PROG ": %s\n", err.msg);
			status = 1;
			break;
		} else if (l.pcap) {
			/* idle rings: whatever was stamped before the wait began was
			 * handed out (10 ms for events being written meanwhile) */
			ff_pcap_rec_watermark(l.pcap, realtime_ns() -
			                                  (uint64_t)(so.poll_ms + 10) * 1000000u);
		}
		now = mono_s();
		/* a quiet (filtered) capture still reaches the disk every second */
		if (l.written + seen != flushed_at && now - last_flush >= FLUSH_EVERY_S) {
			if (ff_writer_flush(l.w, &err)) {
				fprintf(stderr, PROG ": %s\n", err.msg);
				status = 1;
				break;
			}
			flushed_at = l.written + seen;
			last_flush = now;
		}
		if (l.pcap && ff_pcap_rec_status(l.pcap, &err)) {
			fprintf(stderr, PROG ": %s\n", err.msg);
			status = 1;
			break;
		}
		if (tty && now - last_status >= 1.0) {
			double rate = (double)(seen - last_rate_n) / (now - last_rate_t);
			char pk[64] = "";

			ff_source_stats(src, NULL, 0, &ss);
			human_bytes(live_bytes(&l), hb, sizeof(hb));
			if (l.pcap) {
				struct ff_pcap_rec_stats ps;

				ff_pcap_rec_stats(l.pcap, &ps);
				snprintf(pk, sizeof(pk),
				         "  %10" PRIu64 " pkts  %6" PRIu64 " pkt drops", ps.written,
				         ps.kernel_drops + ps.if_drops);
			}
			fprintf(stderr,
			        "\r%12" PRIu64 " events  %10.0f ev/s  %8" PRIu64
			        " drops%s  %12s  %s\033[K",
			        l.written, rate, ss.drops + ss.fill_fail + ss.misses, pk, hb,
			        l.name);
			last_status = last_rate_t = now;
			last_rate_n = seen;
		}
	}
	if (tty)
		fprintf(stderr, "\r\033[K");
	now = mono_s();
	ff_source_stats(src, NULL, 0, &ss);
	if (l.pcap) {
		/* the packets end where the events do (-n, -G -W) */
		if (!stop_ts)
			ff_pcap_rec_end_at(l.pcap, l.last_ts ? l.last_ts : realtime_ns());
		if (ff_pcap_rec_stop(l.pcap, &err) && status == 0) {
			fprintf(stderr, PROG ": %s\n", err.msg);
			status = 1;
		}
		ff_pcap_rec_stats(l.pcap, &pst);
		early = ff_pcap_rec_early(l.pcap);
		if (ff_pcap_rec_close(l.pcap, &err) && status == 0) {
			fprintf(stderr, PROG ": %s\n", err.msg);
			status = 1;
		}
		l.pcap = NULL;
	}
	if (live_close_file(&l, &err) && status == 0) {
		fprintf(stderr, PROG ": %s\n", err.msg);
		status = 1;
	}
	human_bytes(l.bytes_done, hb, sizeof(hb));
	fprintf(stderr,
	        PROG ": %" PRIu64 " events written (%" PRIu64 " seen) in %.1f s, %lu file%s, %s"
	             " (%.1f bytes/event); driver %s; %" PRIu64 " dropped, %" PRIu64
	             " not built, %" PRIu64 " missed%s; /proc: %u processes, %u threads, %u fds\n",
	        l.written, seen, now - t0, l.files, l.files == 1 ? "" : "s", hb,
	        l.written ? (double)l.bytes_done / (double)l.written : 0.0, ff_source_driver(src),
	        ss.drops, ss.fill_fail, ss.misses, ss.drop_events ? " (marked in the capture)" : "",
	        l.scan.processes, l.scan.threads, l.scan.fds);
	if (o->pcap_iface)
		fprintf(
		    stderr,
		    PROG ": %" PRIu64 " packets written on %s, %" PRIu64
		         " dropped by the kernel, %" PRIu64 " by the interface%s\n",
		    pst.written, o->pcap_iface, pst.kernel_drops, pst.if_drops,
		    early ? " (some written before their events: hold full, file cuts approximate)"
		          : "");
out:
	if (l.pcap) { /* failed before the first file: no packets without events */
		ff_pcap_rec_close(l.pcap, NULL);
		if (l.files == 0)
			unlink(l.next_pcap);
	}
	ff_source_close(src);
	ff_filter_free(l.filter);
	ff_sysctx_free(l.ctx);
	ff_state_free(l.st);
	if (l.fields)
		ff_fields_free(l.fields);
	return status;
}

/* ------------------------------------------------------------------- main */

enum {
	OPT_FRAME = 256,
	OPT_DRIVER,
	OPT_ALL,
	OPT_BUFSIZE,
	OPT_PCAP,
	OPT_PCAP_FILTER,
	OPT_PCAP_SNAPLEN
};

static int parse_opt_u64(const char *opt, const char *arg, uint64_t min, uint64_t max,
                         uint64_t *out)
{
	if (ff_num_u64(arg, out) || *out < min || *out > max) {
		fprintf(stderr, PROG ": invalid %s '%s' (%" PRIu64 " to %" PRIu64 ")\n", opt, arg,
		        min, max);
		return -1;
	}
	return 0;
}

/* FILTER words joined by spaces, as sysdig takes them. */
static char *join_args(int argc, char **argv)
{
	size_t n = 1;
	char *s, *p;

	for (int i = 0; i < argc; i++)
		n += strlen(argv[i]) + 1;
	s = p = malloc(n);
	if (!s)
		return NULL;
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(argv[i]);

		if (i)
			*p++ = ' ';
		memcpy(p, argv[i], l);
		p += l;
	}
	*p = '\0';
	return s;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "write", required_argument, NULL, 'w' },
		{ "compress", required_argument, NULL, 'c' },
		{ "level", required_argument, NULL, 'l' },
		{ "frame-size", required_argument, NULL, OPT_FRAME },
		{ "info", required_argument, NULL, 'i' },
		{ "seconds", required_argument, NULL, 'M' },
		{ "events", required_argument, NULL, 'n' },
		{ "file-size", required_argument, NULL, 'C' },
		{ "rotate-seconds", required_argument, NULL, 'G' },
		{ "limit", required_argument, NULL, 'W' },
		{ "snaplen", required_argument, NULL, 's' },
		{ "driver", required_argument, NULL, OPT_DRIVER },
		{ "all", no_argument, NULL, OPT_ALL },
		{ "buffer-size", required_argument, NULL, OPT_BUFSIZE },
		{ "pcap", required_argument, NULL, OPT_PCAP },
		{ "pcap-filter", required_argument, NULL, OPT_PCAP_FILTER },
		{ "pcap-snaplen", required_argument, NULL, OPT_PCAP_SNAPLEN },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ff_writer_opts wo = { .sz = sizeof(wo), .codec = FF_CODEC_ZSTD };
	struct live_opts lo = { 0 };
	const char *in = NULL, *out = NULL, *info = NULL;
	int live_only = 0; /* a live option was given */
	uint64_t v;
	int c, rc;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:r:w:c:l:i:M:n:C:G:W:s:qhV", lopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			in = optarg;
			break;
		case 'w':
			out = optarg;
			break;
		case 'c':
			if (strcmp(optarg, "none") == 0)
				wo.codec = FF_CODEC_NONE;
			else if (strcmp(optarg, "gzip") == 0)
				wo.codec = FF_CODEC_GZIP;
			else if (strcmp(optarg, "zstd") == 0)
				wo.codec = FF_CODEC_ZSTD;
			else {
				fprintf(stderr,
				        PROG ": unknown codec '%s' (expected none, gzip or zstd)\n",
				        optarg);
				return 2;
			}
			break;
		case 'l': {
			char *end;
			long l;

			errno = 0;
			l = strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || l < -131072 || l > 22 || l == 0) {
				fprintf(stderr, PROG ": invalid level '%s'\n", optarg);
				return 2;
			}
			wo.level = (int)l;
			break;
		}
		case OPT_FRAME:
			if (ff_num_u64(optarg, &v) || v < 4096 || v > (1u << 30)) {
				fprintf(stderr,
				        PROG
				        ": invalid frame size '%s' (4096 to 1073741824 bytes)\n",
				        optarg);
				return 2;
			}
			wo.frame_bytes = (size_t)v;
			break;
		case 'i':
			info = optarg;
			break;
		case 'M':
			if (parse_opt_u64("-M seconds", optarg, 1, 315360000, &lo.seconds))
				return 2;
			live_only = 1;
			break;
		case 'n':
			if (parse_opt_u64("-n event count", optarg, 1, UINT64_MAX / 2, &lo.events))
				return 2;
			live_only = 1;
			break;
		case 'C':
			if (parse_opt_u64("-C size in MB", optarg, 1, 1000000, &lo.file_mb))
				return 2;
			live_only = 1;
			break;
		case 'G':
			if (parse_opt_u64("-G seconds", optarg, 1, 315360000, &lo.rotate_s))
				return 2;
			live_only = 1;
			break;
		case 'W':
			if (parse_opt_u64("-W file count", optarg, 1, 1000000, &lo.limit))
				return 2;
			live_only = 1;
			break;
		case 's':
			if (parse_opt_u64("snaplen", optarg, 1, 16384, &v))
				return 2;
			lo.snaplen = (uint32_t)v;
			live_only = 1;
			break;
		case OPT_DRIVER:
			if (strcmp(optarg, "bpf") && strcmp(optarg, "kmod")) {
				fprintf(stderr,
				        PROG ": unknown driver '%s' (expected bpf or kmod)\n",
				        optarg);
				return 2;
			}
			lo.driver = optarg;
			live_only = 1;
			break;
		case OPT_ALL:
			lo.all = 1;
			live_only = 1;
			break;
		case OPT_BUFSIZE:
			if (parse_opt_u64("buffer size", optarg, 4096, 1ull << 30, &v) ||
			    (v & (v - 1))) {
				if (v & (v - 1))
					fprintf(stderr,
					        PROG ": buffer size must be a power of 2\n");
				return 2;
			}
			lo.buffer_bytes = (size_t)v;
			live_only = 1;
			break;
		case OPT_PCAP:
			if (!*optarg) {
				fprintf(stderr, PROG ": --pcap needs an interface name\n");
				return 2;
			}
			lo.pcap_iface = optarg;
			live_only = 1;
			break;
		case OPT_PCAP_FILTER:
			lo.pcap_filter = optarg;
			live_only = 1;
			break;
		case OPT_PCAP_SNAPLEN:
			if (parse_opt_u64("--pcap-snaplen", optarg, 1, 262144, &v))
				return 2;
			lo.pcap_snaplen = (int)v;
			live_only = 1;
			break;
		case 'q':
			lo.quiet = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf(PROG " (" PACKAGE_NAME ") " PACKAGE_VERSION "\n");
			return 0;
		case ':':
			fprintf(stderr, PROG ": option '%s' needs an argument\n", argv[optind - 1]);
			return 2;
		default:
			if (optopt)
				fprintf(stderr, PROG ": unknown option '-%c'\n", optopt);
			else
				fprintf(stderr, PROG ": unknown option '%s'\n", argv[optind - 1]);
			fprintf(stderr, "Try '" PROG " --help'.\n");
			return 2;
		}
	}
	if (info) {
		if (in || out || live_only || optind < argc) {
			fprintf(stderr, PROG ": --info cannot be combined with other options\n");
			return 2;
		}
		return do_info(info);
	}
	if (wo.level && wo.codec == FF_CODEC_GZIP && (wo.level < 1 || wo.level > 9)) {
		fprintf(stderr, PROG ": gzip level must be 1 to 9\n");
		return 2;
	}
	if (in) {
		if (live_only || optind < argc) {
			fprintf(stderr, PROG ": %s\nTry '" PROG " --help'.\n",
			        optind < argc
			            ? "a filter applies to live capture only (no -r)"
			            : "live options (-M -n -C -G -W -s --driver --all "
			              "--buffer-size --pcap...) need live capture (no -r)");
			return 2;
		}
		if (!out) {
			fprintf(stderr, PROG ": missing -w OUT\nTry '" PROG " --help'.\n");
			return 2;
		}
		return do_rewrite(in, out, &wo);
	}
	if (!out) {
		fprintf(stderr, PROG ": nothing to do: give -w FILE (live), -r IN -w OUT or --info "
		                     "FILE\nTry '" PROG " --help'.\n");
		return 2;
	}
	if ((lo.file_mb || lo.rotate_s) && strcmp(out, "-") == 0) {
		fprintf(stderr, PROG ": -C and -G need a file name, not stdout\n");
		return 2;
	}
	if ((lo.pcap_filter || lo.pcap_snaplen) && !lo.pcap_iface) {
		fprintf(stderr, PROG ": --pcap-filter and --pcap-snaplen need --pcap IFACE\n");
		return 2;
	}
	if (lo.pcap_iface && strcmp(out, "-") == 0) {
		fprintf(stderr, PROG ": --pcap writes FILE.pcap beside FILE: give a file name, "
		                     "not stdout\n");
		return 2;
	}
	if (lo.limit && !lo.file_mb && !lo.rotate_s) {
		fprintf(stderr, PROG ": -W needs -C or -G\n");
		return 2;
	}
	if (lo.file_mb && !wo.frame_bytes) { /* frames small enough for the size to show */
		size_t f = (size_t)(lo.file_mb * 1000000u / 4);

		wo.frame_bytes = f < 65536                     ? 65536
		                 : f > FF_WRITER_DEFAULT_FRAME ? FF_WRITER_DEFAULT_FRAME
		                                               : f;
	}
	lo.wo = wo;
	lo.out = out;
	if (optind < argc && !(lo.filter = join_args(argc - optind, argv + optind))) {
		fprintf(stderr, PROG ": out of memory\n");
		return 1;
	}
	rc = do_live(&lo);
	free(lo.filter);
	return rc;
}
