/* SPDX-License-Identifier: Apache-2.0 */
/* The live event ring of falco-tui (ff_tuiring.h). */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_render.h"
#include "ff_tuiring.h"

/* lines longer than this are cut: the screen shows a few hundred columns */
#define LINE_MAX_BYTES 1024

/* One event, shared by the ring and its process's tail. */
struct rent {
	struct ff_tuiring_ent e;
	uint32_t refs;
	uint32_t off_fd, off_dir, off_port; /* into blob; 0: none */
	size_t len;                         /* bytes accounted */
	const char *syscall, *errname;
	char fdk;
	char container[16];
	char blob[]; /* line \0 fdname \0 dir \0 port \0 */
};

struct tail {
	int64_t pid;
	uint64_t last; /* seq of its last event: the least recent goes first */
	uint64_t n;    /* events added; the last per_proc are in v[i % per_proc] */
	struct rent **v;
};

struct ff_tuiring {
	struct rent **v; /* the ring: seq i in v[i % cap] */
	size_t cap, max_bytes, bytes, all_bytes;
	uint64_t first, end;
	struct tail *tails;
	size_t ntails, max_procs, per_proc;
	int32_t *hash; /* pid -> index in tails, -1 empty */
	size_t hcap;
	struct ff_sbuf line, scratch;
};

static void unref(struct ff_tuiring *r, struct rent *e)
{
	if (e && --e->refs == 0) {
		r->all_bytes -= e->len;
		free(e);
	}
}

static size_t hslot(const struct ff_tuiring *r, int64_t pid)
{
	uint64_t x = (uint64_t)pid * 0x9E3779B97F4A7C15ULL;
	return (size_t)(x >> 32) & (r->hcap - 1);
}

static void rehash(struct ff_tuiring *r)
{
	for (size_t i = 0; i < r->hcap; i++)
		r->hash[i] = -1;
	for (size_t t = 0; t < r->ntails; t++) {
		size_t j = hslot(r, r->tails[t].pid);
		while (r->hash[j] >= 0)
			j = (j + 1) & (r->hcap - 1);
		r->hash[j] = (int32_t)t;
	}
}

static struct tail *tail_find(const struct ff_tuiring *r, int64_t pid)
{
	if (!r->hcap)
		return NULL;
	for (size_t j = hslot(r, pid); r->hash[j] >= 0; j = (j + 1) & (r->hcap - 1))
		if (r->tails[r->hash[j]].pid == pid)
			return &r->tails[r->hash[j]];
	return NULL;
}

int ff_tuiring_new(struct ff_tuiring **out, const struct ff_tuiring_opts *o)
{
	struct ff_tuiring *r = calloc(1, sizeof(*r));
	if (!r || !o->max_events || !(r->v = calloc(o->max_events, sizeof(*r->v))))
		goto fail;
	r->cap = o->max_events;
	r->max_bytes = o->max_bytes;
	if (o->max_procs && o->per_proc) {
		r->max_procs = o->max_procs;
		r->per_proc = o->per_proc;
		r->hcap = 16;
		while (r->hcap < 2 * o->max_procs)
			r->hcap *= 2;
		r->tails = calloc(o->max_procs, sizeof(*r->tails));
		r->hash = malloc(r->hcap * sizeof(*r->hash));
		if (!r->tails || !r->hash)
			goto fail;
		for (size_t i = 0; i < o->max_procs; i++)
			if (!(r->tails[i].v = calloc(o->per_proc, sizeof(*r->tails[i].v))))
				goto fail;
		rehash(r);
	}
	*out = r;
	return 0;
fail:
	ff_tuiring_free(r);
	return -ENOMEM;
}

static void drop_oldest(struct ff_tuiring *r)
{
	struct rent **s = &r->v[r->first % r->cap];
	r->bytes -= (*s)->len;
	unref(r, *s);
	*s = NULL;
	r->first++;
}

void ff_tuiring_clear(struct ff_tuiring *r)
{
	while (r->first < r->end)
		drop_oldest(r);
	for (size_t t = 0; t < r->ntails; t++) {
		for (size_t i = 0; i < r->per_proc; i++) {
			unref(r, r->tails[t].v[i]);
			r->tails[t].v[i] = NULL;
		}
		r->tails[t].n = 0;
	}
	r->ntails = 0;
	if (r->hcap)
		rehash(r);
}

void ff_tuiring_free(struct ff_tuiring *r)
{
	if (!r)
		return;
	if (r->v)
		ff_tuiring_clear(r);
	for (size_t i = 0; r->tails && i < r->max_procs; i++)
		free(r->tails[i].v);
	free(r->tails);
	free(r->hash);
	free(r->v);
	ff_sbuf_free(&r->line);
	ff_sbuf_free(&r->scratch);
	free(r);
}

/* The tail of `pid`, made (or taken from the least recent process). */
static struct tail *tail_get(struct ff_tuiring *r, int64_t pid)
{
	struct tail *t = tail_find(r, pid);
	if (t || !r->max_procs)
		return t;
	if (r->ntails < r->max_procs) {
		t = &r->tails[r->ntails++];
	} else {
		t = &r->tails[0];
		for (size_t i = 1; i < r->ntails; i++)
			if (r->tails[i].last < t->last)
				t = &r->tails[i];
		for (size_t i = 0; i < r->per_proc; i++) {
			unref(r, t->v[i]);
			t->v[i] = NULL;
		}
	}
	t->pid = pid;
	t->n = 0;
	rehash(r);
	return t;
}

int ff_tuiring_add(struct ff_tuiring *r, const struct ff_state *st, const struct ff_evt *ev,
                   uint64_t num)
{
	struct ff_tuievkey k;
	ff_sbuf_reset(&r->line);
	if (ff_render_line(st, ev, num, &r->line, &r->scratch))
		return -ENOMEM;
	size_t ll = r->line.len;
	if (ll && r->line.p[ll - 1] == '\n')
		ll--;
	if (ll > LINE_MAX_BYTES)
		ll = LINE_MAX_BYTES;
	ff_tuimodel_evkey(st, ev, &k);
	size_t lf = k.fdname ? strlen(k.fdname) : 0, ld = k.dir ? strlen(k.dir) : 0;
	size_t lp = k.port ? strlen(k.port) : 0;
	size_t blen = ll + 1 + lf + 1 + ld + 1 + lp + 1;
	struct rent *e = malloc(sizeof(*e) + blen);
	if (!e)
		return -ENOMEM;
	char *p = e->blob;
	memcpy(p, r->line.p, ll);
	p[ll] = 0;
	p += ll + 1;
	e->off_fd = k.fdname ? (uint32_t)(p - e->blob) : 0;
	memcpy(p, k.fdname ? k.fdname : "", lf + 1);
	p += lf + 1;
	e->off_dir = k.dir ? (uint32_t)(p - e->blob) : 0;
	memcpy(p, k.dir ? k.dir : "", ld + 1);
	p += ld + 1;
	e->off_port = k.port ? (uint32_t)(p - e->blob) : 0;
	memcpy(p, k.port ? k.port : "", lp + 1);
	e->len = sizeof(*e) + blen;
	e->refs = 1;
	e->e = (struct ff_tuiring_ent){ e->blob, ev->ts, num, k.pid, r->end };
	e->syscall = k.syscall;
	e->errname = k.errname;
	e->fdk = k.fdk;
	memcpy(e->container, k.container, sizeof(e->container));

	if (r->end - r->first == r->cap)
		drop_oldest(r);
	while (r->first < r->end && r->bytes + e->len > r->max_bytes)
		drop_oldest(r);
	r->v[r->end % r->cap] = e;
	r->bytes += e->len;
	r->all_bytes += e->len;
	r->end++;
	struct tail *t = k.pid >= 0 ? tail_get(r, k.pid) : NULL;
	if (t) {
		struct rent **s = &t->v[t->n % r->per_proc];
		unref(r, *s);
		*s = e;
		e->refs++;
		t->n++;
		t->last = e->e.seq;
	}
	return 0;
}

uint64_t ff_tuiring_first(const struct ff_tuiring *r)
{
	return r->first;
}

uint64_t ff_tuiring_end(const struct ff_tuiring *r)
{
	return r->end;
}

size_t ff_tuiring_bytes(const struct ff_tuiring *r)
{
	return r->all_bytes;
}

const struct ff_tuiring_ent *ff_tuiring_get(const struct ff_tuiring *r, uint64_t i)
{
	if (i < r->first || i >= r->end)
		return NULL;
	return &r->v[i % r->cap]->e;
}

int ff_tuiring_match(const struct ff_tuiring *r, uint64_t i, const struct ff_tuiscope *scope)
{
	if (i < r->first || i >= r->end)
		return 0;
	const struct rent *s = r->v[i % r->cap];
	struct ff_tuievkey k;
	k.pid = s->e.pid;
	memcpy(k.container, s->container, sizeof(k.container));
	k.syscall = s->syscall;
	k.errname = s->errname;
	k.fdk = s->fdk;
	k.fdname = s->off_fd ? s->blob + s->off_fd : NULL;
	k.dir = s->off_dir ? s->blob + s->off_dir : NULL;
	k.port = s->off_port ? s->blob + s->off_port : NULL;
	return ff_tuievkey_match(&k, scope);
}

size_t ff_tuiring_proc_older(const struct ff_tuiring *r, int64_t pid,
                             const struct ff_tuiring_ent **out, size_t max)
{
	const struct tail *t = tail_find(r, pid);
	size_t n = 0;
	if (!t)
		return 0;
	uint64_t i = t->n > r->per_proc ? t->n - r->per_proc : 0;
	for (; i < t->n && n < max; i++) {
		const struct rent *e = t->v[i % r->per_proc];
		if (e->e.seq >= r->first)
			break; /* the rest is in the ring */
		out[n++] = &e->e;
	}
	return n;
}
