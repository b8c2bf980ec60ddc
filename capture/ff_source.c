/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ff_event_ids.h"
#include "ff_evtbuild.h"
#include "ff_source.h"

#ifdef FF_HAVE_BPF
#include "ff_bpf_source.h"
#endif
#ifdef FF_HAVE_KMOD
#include "ff_kmod_source.h"
#endif

#define STATS_EVERY 4096 /* events between two looks at the drop counters */

/* What a driver provides.  `impl` is the driver's own handle. */
struct ff_source_ops {
	const char *name;
	int (*open)(void **impl, const struct ff_source_opts *o, struct ff_err *err);
	int (*start)(void *impl, struct ff_err *err);
	int (*next)(void *impl, struct ff_evt *ev, struct ff_err *err);
	/* per-CPU counters into `cpu` (cap entries), losses the driver cannot
	 * attribute to a CPU into *misses; returns the CPU count */
	int (*stats)(void *impl, struct ff_source_cpu *cpu, unsigned cap, uint64_t *misses);
	void (*close)(void *impl);
	int (*present)(void); /* is the driver usable without loading it (auto choice) */
};

/* ---- bpf ------------------------------------------------------------------------ */
#ifdef FF_HAVE_BPF
static int bpf_open(void **impl, const struct ff_source_opts *o, struct ff_err *err)
{
	struct ff_bpf_source_opts bo = { .sz = sizeof(bo),
		                         .snaplen = o->snaplen,
		                         .ring_bytes = o->buffer_bytes,
		                         .syscalls = o->syscalls,
		                         .all_syscalls = o->all_syscalls,
		                         .poll_ms = o->poll_ms };

	return ff_bpf_source_open((struct ff_bpf_source **)impl, &bo, err);
}

static int bpf_start(void *impl, struct ff_err *err)
{
	return ff_bpf_source_start(impl, err);
}

static int bpf_next(void *impl, struct ff_evt *ev, struct ff_err *err)
{
	return ff_bpf_source_next(impl, ev, err);
}

static int bpf_stats(void *impl, struct ff_source_cpu *cpu, unsigned cap, uint64_t *misses)
{
	struct ff_bpf_stats small[64], *v = small;
	int n = ff_bpf_source_stats(impl, NULL, 0, NULL);

	if (n <= 0)
		return n;
	if ((unsigned)n > 64 && !(v = calloc((size_t)n, sizeof(*v))))
		return -ENOMEM;
	struct ff_bpf_stats tot = { 0 };

	n = ff_bpf_source_stats(impl, v, (unsigned)n, &tot);
	*misses = tot.misses; /* the kernel counts them per program, not per CPU */
	for (int i = 0; i > -1 && i < n && (unsigned)i < cap; i++)
		cpu[i] =
		    (struct ff_source_cpu){ v[i].events, v[i].drops, v[i].fill_fail, v[i].read };
	if (v != small)
		free(v);
	return n;
}

static void bpf_close(void *impl)
{
	ff_bpf_source_close(impl);
}

static int bpf_present(void)
{
	return access("/sys/kernel/btf/vmlinux", R_OK) == 0;
}
#endif

/* ---- kmod (driver/kmod/ff_kmod_source.h) -------------------------------------- */
#ifdef FF_HAVE_KMOD
static int kmod_open(void **impl, const struct ff_source_opts *o, struct ff_err *err)
{
	struct ff_kmod_source_opts ko = { .sz = sizeof(ko),
		                          .snaplen = o->snaplen,
		                          .syscalls = o->syscalls,
		                          .poll_ms = o->poll_ms };
#ifdef FF_HAVE_BPF
	uint8_t set[FF_SYSCALL_NR_MAX];

	/* the same default set as the probe (the module's own default is all) */
	if (!o->syscalls && !o->all_syscalls) {
		ff_bpf_default_syscalls(set);
		ko.syscalls = set;
	}
#endif
	/* the module's rings have a fixed size: buffer_bytes does not apply */
	return ff_kmod_source_open((struct ff_kmod_source **)impl, &ko, err);
}

static int kmod_start(void *impl, struct ff_err *err)
{
	return ff_kmod_source_start(impl, err);
}

static int kmod_next(void *impl, struct ff_evt *ev, struct ff_err *err)
{
	return ff_kmod_source_next(impl, ev, err);
}

static int kmod_stats(void *impl, struct ff_source_cpu *cpu, unsigned cap, uint64_t *misses)
{
	struct ff_kmod_stats small[64], *v = small;
	int n = ff_kmod_source_stats(impl, NULL, 0, NULL);

	*misses = 0;
	if (n <= 0)
		return n;
	if ((unsigned)n > 64 && !(v = calloc((size_t)n, sizeof(*v))))
		return -ENOMEM;
	n = ff_kmod_source_stats(impl, v, (unsigned)n, NULL);
	for (int i = 0; i > -1 && i < n && (unsigned)i < cap; i++)
		cpu[i] =
		    (struct ff_source_cpu){ v[i].events, v[i].drops, v[i].fill_fail, v[i].read };
	if (v != small)
		free(v);
	return n;
}

static void kmod_close(void *impl)
{
	ff_kmod_source_close(impl);
}

static int kmod_present(void)
{
	return ff_kmod_available(NULL);
}
#endif

/* Preference order of the automatic choice: the kmod when it is loaded. */
static const struct ff_source_ops drivers[] = {
#ifdef FF_HAVE_KMOD
	{ "kmod", kmod_open, kmod_start, kmod_next, kmod_stats, kmod_close, kmod_present },
#endif
#ifdef FF_HAVE_BPF
	{ "bpf", bpf_open, bpf_start, bpf_next, bpf_stats, bpf_close, bpf_present },
#endif
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

/* ---- the source ----------------------------------------------------------------- */

struct pending_drop {
	uint64_t lost;     /* events lost and not yet reported */
	uint64_t seen_ts;  /* when the loss was seen (event clock) */
	uint64_t reported; /* counter value already accounted for */
};

struct ff_source {
	const struct ff_source_ops *ops;
	void *impl;
	unsigned ncpus;
	struct ff_source_cpu *cpu; /* last counters */
	struct pending_drop *pend;
	struct pending_drop any; /* losses of no known CPU: reported before the next event */
	uint64_t misses;
	uint64_t since_stats, last_ts, drop_events;
	/* the event held back while its drop pair goes out */
	struct ff_evt held;
	int held_state; /* 0 none, 1 DROP_X next, 2 the held event next */
	uint32_t held_lost;
	struct ff_evtb *eb;
};

const char *ff_source_drivers(void)
{
#if defined(FF_HAVE_KMOD) && defined(FF_HAVE_BPF)
	return "kmod,bpf";
#elif defined(FF_HAVE_BPF)
	return "bpf";
#elif defined(FF_HAVE_KMOD)
	return "kmod";
#else
	return "";
#endif
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

int ff_source_open(struct ff_source **out, const struct ff_source_opts *opts, struct ff_err *err)
{
	struct ff_source_opts o = { 0 };
	const struct ff_source_ops *ops = NULL;
	struct ff_source *s;
	int rc, n;

	*out = NULL;
	if (opts) {
		if (opts->sz < sizeof(size_t))
			return ff_errf(err, -EINVAL, "ff_source_opts.sz not set");
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	}
	if (!drivers[0].name)
		return ff_errf(err, -ENOTSUP,
		               "no live driver built in (configure without --without-bpf)");
	if (o.driver) {
		for (const struct ff_source_ops *d = drivers; d->name; d++)
			if (strcmp(d->name, o.driver) == 0)
				ops = d;
		if (!ops)
			return ff_errf(err,
			               strcmp(o.driver, "bpf") == 0 || strcmp(o.driver, "kmod") == 0
			                   ? -ENOTSUP
			                   : -ENOENT,
			               "driver '%s' is not built in (available: %s)", o.driver,
			               ff_source_drivers());
	} else {
		for (const struct ff_source_ops *d = drivers; d->name && !ops; d++)
			if (d->present())
				ops = d;
		if (!ops)
			ops = &drivers[0];
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->eb = malloc(sizeof(*s->eb)))) {
		free(s);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	s->ops = ops;
	rc = ops->open(&s->impl, &o, err);
	if (rc) {
		ff_err_prefix(err, "%s driver: ", ops->name);
		free(s->eb);
		free(s);
		return rc;
	}
	n = ops->stats(s->impl, NULL, 0, &s->misses);
	if (n <= 0 || !(s->cpu = calloc((size_t)n, sizeof(*s->cpu))) ||
	    !(s->pend = calloc((size_t)n, sizeof(*s->pend)))) {
		ff_source_close(s);
		return ff_errf(err, n < 0 ? n : -ENOMEM, "%s driver: reading its counters failed",
		               ops->name);
	}
	s->ncpus = (unsigned)n;
	*out = s;
	return 0;
}

int ff_source_start(struct ff_source *s, struct ff_err *err)
{
	return s->ops->start(s->impl, err);
}

const char *ff_source_driver(const struct ff_source *s)
{
	return s->ops->name;
}

/* Look at the drop counters; a growth becomes a pending drop of that CPU. */
static void pend_add(struct pending_drop *p, uint64_t lost, uint64_t now)
{
	if (lost > p->reported) {
		if (!p->lost)
			p->seen_ts = now;
		p->lost += lost - p->reported;
		p->reported = lost;
	}
}

static void poll_drops(struct ff_source *s)
{
	uint64_t now = now_ns();
	int n = s->ops->stats(s->impl, s->cpu, s->ncpus, &s->misses);

	s->since_stats = 0;
	for (int i = 0; i < n && (unsigned)i < s->ncpus; i++)
		pend_add(&s->pend[i], s->cpu[i].drops + s->cpu[i].fill_fail, now);
	pend_add(&s->any, s->misses, now);
}

static int make_drop(struct ff_source *s, uint16_t type, uint64_t ts, uint16_t cpu, uint32_t ratio,
                     struct ff_evt *ev, struct ff_err *err)
{
	int rc;

	ff_evtb_start(s->eb, ts, (uint64_t)-1, type);
	ff_evtb_u32(s->eb, ratio);
	rc = ff_evtb_finish(s->eb, ev, err);
	ev->cpu = cpu;
	return rc;
}

int ff_source_next(struct ff_source *s, struct ff_evt *ev, struct ff_err *err)
{
	struct pending_drop *p;
	int rc;

	if (s->held_state == 1) {
		s->held_state = 2;
		return make_drop(s, FFE_DROP_X, s->last_ts, s->held.cpu, s->held_lost, ev, err);
	}
	if (s->held_state == 2) {
		s->held_state = 0;
		*ev = s->held;
		s->last_ts = ev->ts;
		return 0;
	}
	if (++s->since_stats >= STATS_EVERY)
		poll_drops(s);
	rc = s->ops->next(s->impl, ev, err);
	if (rc == -EAGAIN) {
		poll_drops(s); /* idle: a good time to look */
		return rc;
	}
	if (rc)
		return rc;
	/* the drivers fill what the event carries; a live event is never
	 * "state only" (left as it was, writers marked events at random) */
	ev->dump_flags = 0;
	p = ev->cpu < s->ncpus ? &s->pend[ev->cpu] : NULL;
	if (!(p && p->lost && ev->ts >= p->seen_ts))
		p = &s->any;
	if (p->lost && ev->ts >= p->seen_ts) {
		/* the loss happened before seen_ts: report it ahead of this event */
		uint64_t ts = s->last_ts > p->seen_ts ? s->last_ts : p->seen_ts;

		if (ts > ev->ts)
			ts = ev->ts;
		s->held = *ev;
		s->held_lost = p->lost > UINT32_MAX ? UINT32_MAX : (uint32_t)p->lost;
		s->held_state = 1;
		s->last_ts = ts;
		p->lost = 0;
		s->drop_events++;
		return make_drop(s, FFE_DROP_E, ts, ev->cpu, s->held_lost, ev, err);
	}
	s->last_ts = ev->ts;
	return 0;
}

int ff_source_stats(struct ff_source *s, struct ff_source_cpu *per_cpu, unsigned cap,
                    struct ff_source_stats *total)
{
	int n = s->ops->stats(s->impl, s->cpu, s->ncpus, &s->misses);

	if (n < 0)
		return n;
	if (total) {
		memset(total, 0, sizeof(*total));
		total->ncpus = (unsigned)n;
		total->drop_events = s->drop_events;
		total->misses = s->misses;
	}
	for (int i = 0; i < n && (unsigned)i < s->ncpus; i++) {
		if (per_cpu && (unsigned)i < cap)
			per_cpu[i] = s->cpu[i];
		if (total) {
			total->events += s->cpu[i].events;
			total->drops += s->cpu[i].drops;
			total->fill_fail += s->cpu[i].fill_fail;
			total->read += s->cpu[i].read;
		}
	}
	return n;
}

void ff_source_close(struct ff_source *s)
{
	if (!s)
		return;
	if (s->impl)
		s->ops->close(s->impl);
	free(s->cpu);
	free(s->pend);
	free(s->eb);
	free(s);
}
