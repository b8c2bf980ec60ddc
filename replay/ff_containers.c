/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container metadata table.  A capture names few containers (tens to a few
 * thousand), looked up once per field extraction: an open-addressing hash
 * of owned records, each allocated as one block so replacing a container
 * frees everything it held.  The JSON is parsed with jansson.
 */
#include "config.h"

#include "ff_containers.h"

#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* a capture with more containers than this is hostile, not real */
#define CONTAINERS_MAX 65536u

struct ff_containers {
	struct ff_container **slots; /* power-of-two sized, NULL = empty */
	uint32_t cap, count;
};

int ff_containers_new(struct ff_containers **out)
{
	struct ff_containers *t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->cap = 64;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return -ENOMEM;
	}
	*out = t;
	return 0;
}

void ff_containers_free(struct ff_containers *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < t->cap; i++)
		free(t->slots[i]);
	free(t->slots);
	free(t);
}

static uint32_t hash_id(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static uint32_t slot_of(const struct ff_containers *t, const char *id)
{
	uint32_t i = hash_id(id) & (t->cap - 1);
	while (t->slots[i] && strcmp(t->slots[i]->id, id) != 0)
		i = (i + 1) & (t->cap - 1);
	return i;
}

const struct ff_container *ff_containers_get(const struct ff_containers *t, const char *id)
{
	if (!t || !id || !*id)
		return NULL;
	return t->slots[slot_of(t, id)];
}

size_t ff_containers_count(const struct ff_containers *t)
{
	return t ? t->count : 0;
}

static int grow(struct ff_containers *t)
{
	uint32_t ncap = t->cap * 2;
	struct ff_container **ns = calloc(ncap, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	struct ff_container **old = t->slots;
	uint32_t ocap = t->cap;
	t->slots = ns;
	t->cap = ncap;
	for (uint32_t i = 0; i < ocap; i++)
		if (old[i])
			t->slots[slot_of(t, old[i]->id)] = old[i];
	free(old);
	return 0;
}

/* Take ownership of c, replacing any container of the same id. */
static int put(struct ff_containers *t, struct ff_container *c)
{
	uint32_t i = slot_of(t, c->id);
	if (t->slots[i]) {
		free(t->slots[i]);
		t->slots[i] = c;
		return 0;
	}
	if (t->count >= CONTAINERS_MAX) {
		free(c);
		return -ENOSPC;
	}
	if ((t->count + 1) * 4 > t->cap * 3) {
		int rc = grow(t);
		if (rc) {
			free(c);
			return rc;
		}
		i = slot_of(t, c->id);
	}
	t->slots[i] = c;
	t->count++;
	return 0;
}

/* ---------------------------------------------------------------- building */

/* Strings of a record are copied into the block allocated with it. */
struct cursor {
	char *p;
};

static const char *copy(struct cursor *cur, const char *s, size_t n)
{
	char *d = cur->p;
	memcpy(d, s, n);
	d[n] = '\0';
	cur->p += n + 1;
	return d;
}

static const char *jstr(json_t *o, const char *key, size_t *n)
{
	json_t *v = json_object_get(o, key);
	if (!json_is_string(v)) {
		*n = 0;
		return "";
	}
	*n = json_string_length(v);
	return json_string_value(v);
}

/* Allocate the record: struct, mounts, then every string. */
static struct ff_container *alloc_rec(size_t nmounts, size_t strbytes,
                                      struct ff_container_mount **mounts, struct cursor *cur)
{
	size_t moff = (sizeof(struct ff_container) + 7) & ~(size_t)7;
	size_t soff = moff + nmounts * sizeof(struct ff_container_mount);
	struct ff_container *c = calloc(1, soff + strbytes);
	if (!c)
		return NULL;
	*mounts = (struct ff_container_mount *)(void *)((char *)c + moff);
	cur->p = (char *)c + soff;
	return c;
}

/* Join the mounts into mounts_text: sinsp's container.mounts rendering. */
static void join_mounts(struct ff_container *c, struct cursor *cur)
{
	char *d = cur->p;
	c->mounts_text = d;
	for (uint32_t i = 0; i < c->nmounts; i++) {
		const struct ff_container_mount *m = &c->mounts[i];
		if (i)
			*d++ = ',';
		d = stpcpy(d, m->source);
		*d++ = ':';
		d = stpcpy(d, m->dest);
		*d++ = ':';
		d = stpcpy(d, m->mode);
		*d++ = ':';
		d = stpcpy(d, m->rw ? "true" : "false");
		*d++ = ':';
		d = stpcpy(d, m->propagation);
	}
	*d++ = '\0';
	cur->p = d;
}

enum { J_ID, J_NAME, J_IMAGE, J_IMAGEID, J_IMAGEREPO, J_IMAGETAG, J_IMAGEDIGEST, J_N };
static const char *const jkeys[J_N] = { "id",        "name",     "image",      "imageid",
	                                "imagerepo", "imagetag", "imagedigest" };
/* a mount's strings, in struct ff_container_mount's order */
enum { M_SOURCE, M_DEST, M_MODE, M_PROPAGATION, M_N };
static const char *const mkeys[M_N] = { "Source", "Destination", "Mode", "Propagation" };

static struct ff_container *from_json(json_t *co)
{
	const char *s[J_N];
	size_t n[J_N], bytes = 0;
	for (int k = 0; k < J_N; k++) {
		s[k] = jstr(co, jkeys[k], &n[k]);
		bytes += n[k] + 1;
	}
	json_t *ma = json_object_get(co, "Mounts");
	size_t nm = json_is_array(ma) ? json_array_size(ma) : 0;
	if (nm > UINT32_MAX)
		return NULL;
	size_t text = 1;
	for (size_t i = 0; i < nm; i++) {
		json_t *mo = json_array_get(ma, i);
		size_t l;
		for (int k = 0; k < M_N; k++) {
			jstr(mo, mkeys[k], &l);
			bytes += l + 1;
			text += l + 1;
		}
		text += 5 + 1; /* "false" and its separator */
	}
	bytes += text;

	struct ff_container_mount *mounts;
	struct cursor cur;
	struct ff_container *c = alloc_rec(nm, bytes, &mounts, &cur);
	if (!c)
		return NULL;
	const char **dst[J_N] = { &c->id,        &c->name,     &c->image,      &c->imageid,
		                  &c->imagerepo, &c->imagetag, &c->imagedigest };
	for (int k = 0; k < J_N; k++)
		*dst[k] = copy(&cur, s[k], n[k]);
	for (size_t i = 0; i < nm; i++) {
		json_t *mo = json_array_get(ma, i);
		const char **md[M_N] = { &mounts[i].source, &mounts[i].dest, &mounts[i].mode,
			                 &mounts[i].propagation };
		size_t l;
		for (int k = 0; k < M_N; k++) {
			const char *v = jstr(mo, mkeys[k], &l);
			*md[k] = copy(&cur, v, l);
		}
		/* only a JSON boolean says read-write, as sinsp reads it */
		mounts[i].rw = json_is_true(json_object_get(mo, "RW"));
	}
	c->mounts = mounts;
	c->nmounts = (uint32_t)nm;
	join_mounts(c, &cur);

	json_t *v = json_object_get(co, "type");
	if (json_is_integer(v) && json_integer_value(v) >= 0 && json_integer_value(v) <= UINT32_MAX)
		c->type = (uint32_t)json_integer_value(v);
	c->privileged = json_is_true(json_object_get(co, "privileged"));
	v = json_object_get(co, "created_time");
	if (json_is_integer(v))
		c->created_time = json_integer_value(v);
	/* a lookup still running when the capture was written never finishes */
	v = json_object_get(co, "lookup_state");
	if (json_is_integer(v))
		c->lookup_failed = json_integer_value(v) == 0 || json_integer_value(v) == 2;
	return c;
}

int ff_containers_add_json(struct ff_containers *t, const char *json, size_t len,
                           const struct ff_container **out, struct ff_err *err)
{
	json_error_t je;
	/* a NUL-terminated parameter carries its terminator: not part of the JSON */
	while (len && json[len - 1] == '\0')
		len--;
	json_t *root = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return ff_errf(err, -EBADMSG, "container JSON, line %d column %d: %s", je.line,
		               je.column, je.text);
	json_t *co = json_object_get(root, "container");
	size_t idlen = 0;
	if (!json_is_object(co) || !*jstr(co, "id", &idlen)) {
		json_decref(root);
		return ff_errf(err, -EBADMSG,
		               "container JSON without a \"container\" object and id");
	}
	struct ff_container *c = from_json(co);
	json_decref(root);
	if (!c)
		return ff_errf(err, -ENOMEM, "container JSON: out of memory");
	const char *id = c->id;
	int rc = put(t, c);
	if (rc)
		return ff_errf(err, rc, "container table full (%u containers)", CONTAINERS_MAX);
	if (out)
		*out = ff_containers_get(t, id);
	return 0;
}

static int add_fixed(struct ff_containers *t, const char *id, uint32_t type, const char *name,
                     const char *image, bool guessed, const struct ff_container **out)
{
	if (!id || !*id)
		return -EINVAL;
	size_t li = strlen(id), ln = strlen(name), lm = strlen(image);
	struct ff_container_mount *mounts;
	struct cursor cur;
	struct ff_container *c = alloc_rec(0, li + ln + lm + 3 + 1, &mounts, &cur);
	if (!c)
		return -ENOMEM;
	c->id = copy(&cur, id, li);
	c->name = copy(&cur, name, ln);
	c->image = copy(&cur, image, lm);
	c->imageid = c->imagerepo = c->imagetag = c->imagedigest = "";
	c->mounts = mounts;
	join_mounts(c, &cur);
	c->type = type;
	c->guessed = guessed;
	int rc = put(t, c);
	if (rc)
		return rc;
	if (out)
		*out = ff_containers_get(t, id);
	return 0;
}

int ff_containers_add(struct ff_containers *t, const char *id, uint32_t type, const char *name,
                      const char *image, const struct ff_container **out)
{
	return add_fixed(t, id, type, name, image, false, out);
}

int ff_containers_add_guess(struct ff_containers *t, const char *id, uint32_t type,
                            const char *name)
{
	return add_fixed(t, id, type, name, "", true, NULL);
}

/* ---------------------------------------------------------------- queries */

const struct ff_container_mount *ff_container_mount_match(const struct ff_container *c,
                                                          const char *pattern, bool by_dest)
{
	for (uint32_t i = 0; i < c->nmounts; i++) {
		const struct ff_container_mount *m = &c->mounts[i];
		if (fnmatch(pattern, by_dest ? m->dest : m->source, 0) == 0)
			return m;
	}
	return NULL;
}

const char *ff_container_type_name(uint32_t type)
{
	static const char *const names[] = {
		[FF_CT_DOCKER] = "docker",
		[FF_CT_LXC] = "lxc",
		[FF_CT_LIBVIRT_LXC] = "libvirt-lxc",
		[FF_CT_MESOS] = "mesos",
		[FF_CT_RKT] = "rkt",
		[FF_CT_CUSTOM] = "custom",
		[FF_CT_CRI] = "cri",
		[FF_CT_CONTAINERD] = "containerd",
		[FF_CT_CRIO] = "cri-o",
		[FF_CT_BPM] = "bpm",
		[FF_CT_STATIC] = "static",
		[FF_CT_PODMAN] = "podman",
	};
	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

bool ff_container_type_knows_privileged(uint32_t type)
{
	return type == FF_CT_DOCKER || type == FF_CT_CRI || type == FF_CT_CONTAINERD ||
	       type == FF_CT_CRIO || type == FF_CT_PODMAN;
}
