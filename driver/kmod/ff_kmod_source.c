/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Consumer of the kernel module's rings.  Each /dev/ff_kmodN is mapped whole
 * (control page + data); next() looks at the head record of every ring and
 * hands out the oldest (k-way merge by timestamp), releasing it only at the
 * following call, so the returned view stays valid until then.  The module
 * never wakes us: an empty poll sleeps in short slices.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ff_event_abi.h"
#include "ff_event_table.h"
#include "ff_kmod_abi.h"
#include "ff_kmod_source.h"

#define DEFAULT_POLL_MS 100
#define POLL_SLICE_MS 5
#define MAX_CPUS 4096

_Static_assert(FF_SYSCALL_NR_MAX <= FF_KMOD_NR_MAX, "syscall bitmap too small");

struct kring {
	int fd;
	struct ff_kmod_ring_ctl *ctl;
	const uint8_t *data;
	size_t map_len;
	uint32_t size;
	uint64_t read;
};

struct ff_kmod_source {
	struct kring *rings;
	unsigned nrings;
	int poll_ms;
	int started;
	int held;           /* ring whose head record was handed out, or -1 */
	uint32_t held_need; /* its ring footprint */
};

int ff_kmod_available(const char *dev_prefix)
{
	char path[256];

	snprintf(path, sizeof(path), "%s0", dev_prefix ? dev_prefix : FF_KMOD_DEV_PREFIX);
	return access(path, F_OK) == 0;
}

static int ring_open(struct kring *r, const char *path, struct ff_err *err)
{
	void *m;

	r->fd = open(path, O_RDWR | O_CLOEXEC);
	if (r->fd < 0)
		return ff_errf(err, -errno, "%s: %s", path, strerror(errno));
	m = mmap(NULL, FF_KMOD_CTL_BYTES, PROT_READ, MAP_SHARED, r->fd, 0);
	if (m == MAP_FAILED)
		return ff_errf(err, -errno, "%s: mmap: %s", path, strerror(errno));
	r->size = ((const struct ff_kmod_ring_ctl *)m)->size;
	munmap(m, FF_KMOD_CTL_BYTES);
	if (!r->size || (r->size & (r->size - 1)))
		return ff_errf(err, -EPROTO, "%s: ring size %u is not a power of 2", path, r->size);
	r->map_len = FF_KMOD_CTL_BYTES + (size_t)r->size;
	m = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, r->fd, 0);
	if (m == MAP_FAILED)
		return ff_errf(err, -errno, "%s: mmap of %zu bytes: %s", path, r->map_len,
		               strerror(errno));
	r->ctl = m;
	r->data = (const uint8_t *)m + FF_KMOD_CTL_BYTES;
	return 0;
}

static int ioc(struct ff_kmod_source *s, unsigned long cmd, const void *arg, const char *what,
               struct ff_err *err)
{
	if (ioctl(s->rings[0].fd, cmd, arg) < 0)
		return ff_errf(err, -errno, "ff_kmod: %s: %s", what, strerror(errno));
	return 0;
}

int ff_kmod_source_open(struct ff_kmod_source **out, const struct ff_kmod_source_opts *opts,
                        struct ff_err *err)
{
	struct ff_kmod_source_opts o = { .sz = sizeof(o) };
	const char *prefix;
	struct ff_kmod_source *s;
	static struct ff_kmod_syscalls set; /* 512 bytes: not on the stack */
	uint32_t v;
	int rc;

	*out = NULL;
	if (opts) {
		if (opts->sz > sizeof(o) ||
		    opts->sz < offsetof(struct ff_kmod_source_opts, dev_prefix))
			return ff_errf(err, -EINVAL, "ff_kmod_source_opts: unknown size %zu",
			               opts->sz);
		memcpy(&o, opts, opts->sz);
	}
	if (!o.snaplen)
		o.snaplen = FF_KMOD_DEFAULT_SNAPLEN;
	if (o.snaplen > FF_KMOD_SNAPLEN_MAX)
		return ff_errf(err, -EINVAL, "snaplen %u above %u", o.snaplen, FF_KMOD_SNAPLEN_MAX);
	prefix = o.dev_prefix ? o.dev_prefix : FF_KMOD_DEV_PREFIX;
	s = calloc(1, sizeof(*s));
	if (!s)
		return ff_errf(err, -ENOMEM, "out of memory");
	s->held = -1;
	s->poll_ms = o.poll_ms ? o.poll_ms : DEFAULT_POLL_MS;
	s->rings = calloc(MAX_CPUS, sizeof(*s->rings));
	if (!s->rings) {
		free(s);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	for (unsigned i = 0; i < MAX_CPUS; i++) {
		char path[256];

		snprintf(path, sizeof(path), "%s%u", prefix, i);
		if (i > 0 && access(path, F_OK))
			break;
		s->rings[i].fd = -1;
		s->nrings = i + 1;
		rc = ring_open(&s->rings[i], path, err);
		if (rc) {
			if (rc == -ENOENT)
				ff_err_prefix(err, "kernel module not loaded (modprobe ff_kmod)");
			goto fail;
		}
	}
	v = o.snaplen;
	if ((rc = ioc(s, FF_KMOD_IOC_SNAPLEN, &v, "snaplen", err)))
		goto fail;
	v = (uint32_t)getpid();
	if ((rc = ioc(s, FF_KMOD_IOC_SELF, &v, "self", err)))
		goto fail;
	v = o.no_procexit ? 0 : 1;
	if ((rc = ioc(s, FF_KMOD_IOC_PROCEXIT, &v, "procexit", err)))
		goto fail;
	memset(&set, 0, sizeof(set));
	/* no set: every syscall, like the probe's --all (the module skips the
	 * unrouted ones; a syscall 2022 had no code for becomes a generic
	 * event with code 0, which sysdig 0.29.3 reads) */
	if (o.syscalls)
		memcpy(set.set, o.syscalls, FF_SYSCALL_NR_MAX);
	else
		memset(set.set, 1, FF_SYSCALL_NR_MAX);
	if ((rc = ioc(s, FF_KMOD_IOC_SYSCALLS, &set, "syscalls", err)))
		goto fail;
	*out = s;
	return 0;
fail:
	ff_kmod_source_close(s);
	return rc;
}

int ff_kmod_source_start(struct ff_kmod_source *src, struct ff_err *err)
{
	int rc;

	if (src->started)
		return 0;
	rc = ioc(src, FF_KMOD_IOC_START, NULL, "start", err);
	if (!rc) {
		src->started = 1;
		src->held = -1;
		for (unsigned i = 0; i < src->nrings; i++)
			src->rings[i].read = 0;
	}
	return rc;
}

int ff_kmod_source_stop(struct ff_kmod_source *src, struct ff_err *err)
{
	if (!src->started)
		return 0;
	src->started = 0;
	return ioc(src, FF_KMOD_IOC_STOP, NULL, "stop", err);
}

void ff_kmod_source_close(struct ff_kmod_source *src)
{
	if (!src)
		return;
	if (src->started && src->nrings && src->rings[0].fd >= 0)
		(void)ioctl(src->rings[0].fd, FF_KMOD_IOC_STOP);
	for (unsigned i = 0; i < src->nrings; i++) {
		if (src->rings[i].ctl)
			munmap(src->rings[i].ctl, src->rings[i].map_len);
		if (src->rings[i].fd >= 0)
			close(src->rings[i].fd);
	}
	free(src->rings);
	free(src);
}

static void ring_advance(struct kring *r, uint64_t n)
{
	__atomic_store_n(&r->ctl->tail, r->ctl->tail + n, __ATOMIC_RELEASE);
}

/* The oldest record of a ring, skipping padding; NULL when empty. */
static const uint8_t *ring_peek(struct kring *r, uint32_t *len, struct ff_err *err, int *rc)
{
	for (;;) {
		uint64_t tail = r->ctl->tail;
		uint64_t head = __atomic_load_n(&r->ctl->head, __ATOMIC_ACQUIRE);
		uint32_t off = (uint32_t)(tail & (r->size - 1)), left = r->size - off;
		const uint8_t *p = r->data + off;
		uint32_t l;

		if (tail >= head)
			return NULL;
		if (left < FF_KMOD_PAD_MIN) {
			ring_advance(r, left);
			continue;
		}
		l = ff_ld32(p + FF_EVT_OFF_LEN);
		if (ff_ld16(p + FF_EVT_OFF_TYPE) == FF_KMOD_PAD_TYPE && l == left) {
			ring_advance(r, left);
			continue;
		}
		if (l < FF_EVT_HDR_LEN || FF_KMOD_ALIGN(l) > left ||
		    tail + FF_KMOD_ALIGN(l) > head) {
			/* cannot happen: drop what is there, loudly */
			ring_advance(r, head - tail);
			*rc = ff_errf(err, -EBADMSG, "ring record of %u bytes at %u", l, off);
			return NULL;
		}
		*len = l;
		return p;
	}
}

int ff_kmod_source_next(struct ff_kmod_source *src, struct ff_evt *ev, struct ff_err *err)
{
	struct timespec t0, t;

	if (src->held >= 0) {
		ring_advance(&src->rings[src->held], src->held_need);
		src->held = -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		const uint8_t *best = NULL;
		uint32_t best_len = 0;
		int best_ring = -1, rc = 0;

		for (unsigned i = 0; i < src->nrings; i++) {
			uint32_t len = 0;
			const uint8_t *p = ring_peek(&src->rings[i], &len, err, &rc);

			if (rc)
				return rc;
			if (p && (!best || ff_ld64(p) < ff_ld64(best))) {
				best = p;
				best_len = len;
				best_ring = (int)i;
			}
		}
		if (best) {
			src->held = best_ring;
			src->held_need = FF_KMOD_ALIGN(best_len);
			rc = ff_evt_init(ev, best, best_len, err);
			if (rc)
				return rc;
			ev->cpu = (uint16_t)best_ring;
			ev->dump_flags = 0; /* a live event is never "state only" */
			src->rings[best_ring].read++;
			return 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (src->poll_ms >= 0 &&
		    (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 >=
		        src->poll_ms)
			return -EAGAIN;
		nanosleep(&(struct timespec){ 0, POLL_SLICE_MS * 1000000L }, NULL);
	}
}

int ff_kmod_source_stats(const struct ff_kmod_source *src, struct ff_kmod_stats *per_cpu,
                         unsigned cap, struct ff_kmod_stats *total)
{
	if (total)
		memset(total, 0, sizeof(*total));
	for (unsigned i = 0; i < src->nrings; i++) {
		const struct ff_kmod_ring_ctl *c = src->rings[i].ctl;
		struct ff_kmod_stats x = {
			__atomic_load_n(&c->events, __ATOMIC_RELAXED),
			__atomic_load_n(&c->drops, __ATOMIC_RELAXED),
			__atomic_load_n(&c->fill_fail, __ATOMIC_RELAXED),
			__atomic_load_n(&c->forks, __ATOMIC_RELAXED),
			src->rings[i].read,
		};

		if (per_cpu && i < cap)
			per_cpu[i] = x;
		if (total) {
			total->events += x.events;
			total->drops += x.drops;
			total->fill_fail += x.fill_fail;
			total->forks += x.forks;
			total->read += x.read;
		}
	}
	return (int)src->nrings;
}
