/* SPDX-License-Identifier: Apache-2.0 */
/* Field provider registry and the per-event extraction cache. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_field.h"
#include "ff_filter_int.h"

struct ff_fields {
	const struct ff_field_def **defs;
	size_t n, cap;
};

ff_fields *ff_fields_new(void)
{
	return calloc(1, sizeof(ff_fields));
}

void ff_fields_free(ff_fields *fs)
{
	if (!fs)
		return;
	free(fs->defs);
	free(fs);
}

static const struct ff_field_def *find_exact(const ff_fields *fs, const char *name, size_t len)
{
	for (size_t i = 0; i < fs->n; i++) {
		const char *dn = fs->defs[i]->name;
		if (strncmp(dn, name, len) == 0 && dn[len] == '\0')
			return fs->defs[i];
	}
	return NULL;
}

int ff_fields_add(ff_fields *fs, const struct ff_field_def *defs, size_t n, struct ff_err *err)
{
	for (size_t i = 0; i < n; i++) {
		if (!defs[i].name || !defs[i].extract || ff_type_class(defs[i].type) == FF_TC_NONE)
			return ff_errf(
			    err, -EINVAL,
			    "field definition %zu: name, type and extractor are required", i);
		if (find_exact(fs, defs[i].name, strlen(defs[i].name)))
			return ff_errf(err, -EEXIST, "field '%s' is defined twice", defs[i].name);
		if (fs->n == fs->cap) {
			size_t cap = fs->cap ? fs->cap * 2 : 64;
			const struct ff_field_def **d = realloc(fs->defs, cap * sizeof(*d));
			if (!d)
				return ff_errf(err, -ENOMEM, "out of memory");
			fs->defs = d;
			fs->cap = cap;
		}
		fs->defs[fs->n++] = &defs[i];
	}
	return 0;
}

const struct ff_field_def *ff_fields_lookup(const ff_fields *fs, const char *name, size_t len,
                                            const char **dotted_arg, size_t *dotted_len)
{
	const struct ff_field_def *best = NULL;
	size_t best_len = 0;

	const struct ff_field_def *d = find_exact(fs, name, len);
	if (d)
		return d;
	/* evt.arg.NAME: the longest dotted-argument prefix wins */
	for (size_t i = 0; i < fs->n; i++) {
		d = fs->defs[i];
		if (!(d->flags & FF_FIELD_ARG_DOTTED))
			continue;
		size_t dl = strlen(d->name);
		if (dl + 1 < len && strncmp(d->name, name, dl) == 0 && name[dl] == '.' &&
		    dl > best_len) {
			best = d;
			best_len = dl;
		}
	}
	if (best && dotted_arg && dotted_len) {
		*dotted_arg = name + best_len + 1;
		*dotted_len = len - best_len - 1;
	}
	return best;
}

const struct ff_field_def *ff_fields_at(const ff_fields *fs, size_t i)
{
	return i < fs->n ? fs->defs[i] : NULL;
}

ff_fcache *ff_fcache_new(void)
{
	return calloc(1, sizeof(ff_fcache));
}

void ff_fcache_free(ff_fcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->slots[i].argbuf);
	free(c->slots);
	free(c);
}

static int same_arg(const struct ff_field_arg *a, const struct ff_field_arg *b)
{
	if (a->present != b->present)
		return 0;
	if (!a->present)
		return 1;
	return a->len == b->len && memcmp(a->str, b->str, a->len) == 0 && a->cookie == b->cookie;
}

long ff_fcache_intern(ff_fcache *c, const struct ff_field_def *def, const struct ff_field_arg *arg)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->slots[i].def == def && same_arg(&c->slots[i].arg, arg))
			return (long)i;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 32;
		struct ff_fslot *s = realloc(c->slots, cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		c->slots = s;
		c->cap = cap;
	}
	struct ff_fslot *s = &c->slots[c->n];
	memset(s, 0, sizeof(*s));
	s->def = def;
	s->arg = *arg;
	if (arg->present) {
		s->argbuf = malloc(arg->len + 1);
		if (!s->argbuf)
			return -ENOMEM;
		memcpy(s->argbuf, arg->str, arg->len);
		s->argbuf[arg->len] = '\0';
		s->arg.str = s->argbuf;
	} else {
		s->arg.str = NULL;
		s->arg.len = 0;
	}
	return (long)c->n++;
}

long ff_fcache_ref(ff_fcache *c, const struct ff_field_def *def, const struct ff_field_arg *arg)
{
	return ff_fcache_intern(c, def, arg);
}

int ff_fcache_fetch(ff_fcache *c, long slot, void *ctx, uint64_t gen, const struct ff_value **v)
{
	return ff_fslot_fetch(c, (size_t)slot, ctx, gen, v);
}

const struct ff_field_def *ff_fcache_def(const ff_fcache *c, long slot)
{
	return c->slots[slot].def;
}

const struct ff_field_arg *ff_fcache_arg(const ff_fcache *c, long slot)
{
	return &c->slots[slot].arg;
}
