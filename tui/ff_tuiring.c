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

struct slot {
	struct ff_tuiring_ent e;
	char *blob; /* line \0 fdname \0 dir \0 port \0 */
	size_t len;
	uint32_t off_fd, off_dir, off_port; /* 0: none */
	const char *syscall, *errname;
	char fdk;
	char container[16];
};

struct ff_tuiring {
	struct slot *v;
	size_t cap, max_bytes, bytes;
	uint64_t first, end;
	struct ff_sbuf line, scratch;
};

int ff_tuiring_new(struct ff_tuiring **out, size_t max_events, size_t max_bytes)
{
	struct ff_tuiring *r = calloc(1, sizeof(*r));
	if (!r || !max_events || !(r->v = calloc(max_events, sizeof(*r->v)))) {
		free(r);
		return -ENOMEM;
	}
	r->cap = max_events;
	r->max_bytes = max_bytes;
	*out = r;
	return 0;
}

static void drop_oldest(struct ff_tuiring *r)
{
	struct slot *s = &r->v[r->first % r->cap];
	r->bytes -= s->len;
	free(s->blob);
	memset(s, 0, sizeof(*s));
	r->first++;
}

void ff_tuiring_clear(struct ff_tuiring *r)
{
	while (r->first < r->end)
		drop_oldest(r);
}

void ff_tuiring_free(struct ff_tuiring *r)
{
	if (!r)
		return;
	ff_tuiring_clear(r);
	free(r->v);
	ff_sbuf_free(&r->line);
	ff_sbuf_free(&r->scratch);
	free(r);
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
	size_t len = ll + 1 + lf + 1 + ld + 1 + lp + 1;
	char *blob = malloc(len);
	if (!blob)
		return -ENOMEM;
	char *p = blob;
	memcpy(p, r->line.p, ll);
	p[ll] = 0;
	p += ll + 1;
	uint32_t off_fd = 0, off_dir = 0, off_port = 0;
	if (k.fdname)
		off_fd = (uint32_t)(p - blob);
	memcpy(p, k.fdname ? k.fdname : "", lf + 1);
	p += lf + 1;
	if (k.dir)
		off_dir = (uint32_t)(p - blob);
	memcpy(p, k.dir ? k.dir : "", ld + 1);
	p += ld + 1;
	if (k.port)
		off_port = (uint32_t)(p - blob);
	memcpy(p, k.port ? k.port : "", lp + 1);

	if (r->end - r->first == r->cap)
		drop_oldest(r);
	while (r->first < r->end && r->bytes + len > r->max_bytes)
		drop_oldest(r);
	struct slot *s = &r->v[r->end % r->cap];
	s->blob = blob;
	s->len = len;
	s->e = (struct ff_tuiring_ent){ blob, ev->ts, num, k.pid };
	s->off_fd = off_fd;
	s->off_dir = off_dir;
	s->off_port = off_port;
	s->syscall = k.syscall;
	s->errname = k.errname;
	s->fdk = k.fdk;
	memcpy(s->container, k.container, sizeof(s->container));
	r->bytes += len;
	r->end++;
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
	return r->bytes;
}

const struct ff_tuiring_ent *ff_tuiring_get(const struct ff_tuiring *r, uint64_t i)
{
	if (i < r->first || i >= r->end)
		return NULL;
	return &r->v[i % r->cap].e;
}

int ff_tuiring_match(const struct ff_tuiring *r, uint64_t i, const struct ff_tuiscope *scope)
{
	if (i < r->first || i >= r->end)
		return 0;
	const struct slot *s = &r->v[i % r->cap];
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
