/* SPDX-License-Identifier: Apache-2.0 */
/* Blocks from a capture or from the live system (replay_feed.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ff_meta.h"
#include "ff_procscan.h"
#include "ff_source.h"
#include "replay_feed.h"

struct replay_feed {
	struct ff_reader *r;   /* the file, or the /proc scan held in `scan` */
	struct ff_source *src; /* live: the events after the scan */
	struct ff_buf scan;    /* live: SHB + metadata blocks */
	const struct replay_live *live;
	uint64_t deadline; /* CLOCK_MONOTONIC ns; 0: none */
};

static uint64_t mono_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

int replay_feed_open(struct replay_feed **out, const char *path, const struct replay_live *live,
                     struct ff_err *err)
{
	struct replay_feed *f = calloc(1, sizeof(*f));
	int rc;

	*out = NULL;
	if (!f)
		return ff_errf(err, -ENOMEM, "out of memory");
	if (!live) {
		rc = ff_reader_open(&f->r, path, err);
		if (rc) {
			free(f);
			return rc;
		}
		*out = f;
		return 0;
	}
	f->live = live;
	struct ff_source_opts so = { .sz = sizeof(so),
		                     .driver = live->driver,
		                     .snaplen = live->snaplen,
		                     .all_syscalls = live->all_syscalls,
		                     .buffer_bytes = live->buffer_bytes,
		                     .poll_ms = live->poll_ms > 0 ? live->poll_ms : 100 };
	/* tracing starts before the scan: what happens while /proc is read
	 * waits in the rings instead of falling between scan and capture */
	if ((rc = ff_source_open(&f->src, &so, err)) || (rc = ff_source_start(f->src, err)))
		goto fail;
	struct ff_procscan_stats ps = { 0 };
	if ((rc = ff_meta_put_shb(&f->scan, err)) ||
	    (rc = ff_procscan_run(&f->scan, NULL, &ps, err)))
		goto fail;
	rc = ff_reader_open_mem(&f->r, f->scan.p, f->scan.len, "/proc scan", err);
	if (rc)
		goto fail;
	if (live->seconds)
		f->deadline = mono_ns() + live->seconds * 1000000000u;
	if (live->on_ready)
		live->on_ready(ff_source_driver(f->src), ps.threads, ps.fds);
	*out = f;
	return 0;
fail:
	replay_feed_close(f);
	return rc;
}

/* `wait`: loop while the source is idle (next), or hand -EAGAIN back (poll) */
static int feed_next(struct replay_feed *f, struct ff_block *b, int wait, struct ff_err *err)
{
	int rc;

	if (f->r) {
		rc = ff_reader_next(f->r, b, err);
		if (rc != 0 || !f->src)
			return rc;
		ff_reader_close(f->r); /* the scan is loaded: events from now on */
		f->r = NULL;
	}
	for (;;) {
		if ((f->live->stop && *f->live->stop) || (f->deadline && mono_ns() >= f->deadline))
			return 0;
		rc = ff_source_next(f->src, &b->ev, err);
		if (rc == -EAGAIN && wait)
			continue;
		if (rc == -EAGAIN)
			return rc;
		if (rc == -EINTR)
			continue; /* a signal: the loop looks at *stop */
		if (rc < 0)
			return rc;
		b->kind = FF_BLK_EVENT;
		b->type = 0;
		b->version = 2;
		b->body = b->ev.raw;
		b->body_len = b->ev.len;
		b->offset = 0;
		return 1;
	}
}

int replay_feed_next(struct replay_feed *f, struct ff_block *b, struct ff_err *err)
{
	return feed_next(f, b, 1, err);
}

int replay_feed_poll(struct replay_feed *f, struct ff_block *b, struct ff_err *err)
{
	return feed_next(f, b, 0, err);
}

const char *replay_feed_driver(const struct replay_feed *f)
{
	return f->src ? ff_source_driver(f->src) : NULL;
}

uint64_t replay_feed_lost(const struct replay_feed *f)
{
	struct ff_source_stats st;

	if (!f->src || ff_source_stats(f->src, NULL, 0, &st) < 0)
		return 0;
	return st.drops + st.fill_fail + st.misses;
}

void replay_feed_close(struct replay_feed *f)
{
	if (!f)
		return;
	ff_reader_close(f->r);
	ff_source_close(f->src);
	ff_buf_free(&f->scan);
	free(f);
}
