/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-capture: rewrite a capture into another codec (metadata re-encoded to
 * the compat profile, events copied byte for byte), or describe one (--info).
 * Live capture options (-M -n -C -G -W -s --driver) come later; until then
 * they are unknown options.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ff_meta.h"
#include "ff_reader.h"
#include "ff_scap.h"
#include "ff_seekidx.h"
#include "ff_writer.h"

#define PROG "falco-capture"
#define PL_SPLIT (4u << 20) /* start a new PL block beyond this many bytes */

static void usage(FILE *f)
{
	fprintf(f, "Usage: " PROG " -r IN -w OUT [--compress none|gzip|zstd] [--level N]\n"
	           "                     [--frame-size BYTES]\n"
	           "       " PROG " --info FILE\n"
	           "\n"
	           "Rewrite a .scap capture (plain, gzip or zstd; concatenated sections allowed)\n"
	           "into OUT: metadata is re-encoded so that sysdig 0.29.3 and current Falco read\n"
	           "it, events are copied unchanged.  --info describes a capture.\n"
	           "\n"
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
	           "Exit status: 0 success, 1 damaged or unreadable input or a write error,\n"
	           "2 usage error.\n");
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (!*s || *s == '-')
		return -1;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
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

/* ------------------------------------------------------------------- main */

enum { OPT_FRAME = 256 };

int main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "read", required_argument, NULL, 'r' },
		{ "write", required_argument, NULL, 'w' },
		{ "compress", required_argument, NULL, 'c' },
		{ "level", required_argument, NULL, 'l' },
		{ "frame-size", required_argument, NULL, OPT_FRAME },
		{ "info", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct ff_writer_opts wo = { .sz = sizeof(wo), .codec = FF_CODEC_ZSTD };
	const char *in = NULL, *out = NULL, *info = NULL;
	uint64_t v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":r:w:c:l:i:hV", lopts, NULL)) != -1) {
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
			if (parse_u64(optarg, &v) || v < 4096 || v > (1u << 30)) {
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
	if (optind < argc) {
		fprintf(stderr, PROG ": unexpected argument '%s'\nTry '" PROG " --help'.\n",
		        argv[optind]);
		return 2;
	}
	if (info) {
		if (in || out) {
			fprintf(stderr, PROG ": --info cannot be combined with -r/-w\n");
			return 2;
		}
		return do_info(info);
	}
	if (!in || !out) {
		fprintf(stderr, PROG ": %s\nTry '" PROG " --help'.\n",
		        !in && !out ? "nothing to do: give -r IN -w OUT or --info FILE"
		        : !in       ? "missing -r IN"
		                    : "missing -w OUT");
		return 2;
	}
	if (wo.level && wo.codec == FF_CODEC_GZIP && (wo.level < 1 || wo.level > 9)) {
		fprintf(stderr, PROG ": gzip level must be 1 to 9\n");
		return 2;
	}
	return do_rewrite(in, out, &wo);
}
