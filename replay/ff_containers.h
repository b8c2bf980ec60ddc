/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Container runtime metadata of a replay: what the capture's container
 * events say about each container (name, image, privileged, mounts...).
 * Captures carry it as JSON in "container" events (written when the
 * recorder learned a container) or, in old captures, as id/type/name/image
 * parameters.  Processes point at a container by the id derived from their
 * cgroups (ff_thread_container_id); this table answers the rest.
 */
#ifndef FF_CONTAINERS_H
#define FF_CONTAINERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"

struct ff_container_mount {
	const char *source, *dest, *mode, *propagation;
	bool rw;
};

/* Runtime types, numbered as the capture's JSON numbers them. */
enum ff_container_type {
	FF_CT_DOCKER = 0,
	FF_CT_LXC = 1,
	FF_CT_LIBVIRT_LXC = 2,
	FF_CT_MESOS = 3,
	FF_CT_RKT = 4,
	FF_CT_CUSTOM = 5,
	FF_CT_CRI = 6,
	FF_CT_CONTAINERD = 7,
	FF_CT_CRIO = 8,
	FF_CT_BPM = 9,
	FF_CT_STATIC = 10,
	FF_CT_PODMAN = 11,
};

/* One container; strings are never NULL ("" when the capture had none). */
struct ff_container {
	const char *id, *name, *image, *imageid, *imagerepo, *imagetag, *imagedigest;
	uint32_t type;
	bool privileged;
	bool lookup_failed; /* the recorder's metadata lookup failed */
	bool guessed;       /* from the cgroups alone, no container event said it */
	int64_t created_time;
	const struct ff_container_mount *mounts;
	uint32_t nmounts;
	const char *mounts_text; /* "src:dest:mode:rw:propagation,..." */
};

struct ff_containers;

int ff_containers_new(struct ff_containers **out);
void ff_containers_free(struct ff_containers *t);

/* Add (or replace) the container a JSON document describes:
 * {"container": {"id": ..., "type": N, "name": ..., "Mounts": [...], ...}}.
 * -EBADMSG with the position of the damage in err for malformed JSON or a
 * document without an id; -ENOSPC when the table is full. */
int ff_containers_add_json(struct ff_containers *t, const char *json, size_t len,
                           const struct ff_container **out, struct ff_err *err);

/* The old fixed-parameter container event. */
int ff_containers_add(struct ff_containers *t, const char *id, uint32_t type, const char *name,
                      const char *image, const struct ff_container **out);
/* What sysdig's engines assume of a container its cgroups name, before any
 * container event (marked `guessed`). */
int ff_containers_add_guess(struct ff_containers *t, const char *id, uint32_t type,
                            const char *name);

/* NULL when the capture said nothing about `id`.  Pointers stay valid until
 * the container is replaced or the table freed. */
const struct ff_container *ff_containers_get(const struct ff_containers *t, const char *id);
size_t ff_containers_count(const struct ff_containers *t);

/* The first mount whose source (or destination, by_dest) matches the shell
 * glob `pattern`; NULL when none does. */
const struct ff_container_mount *ff_container_mount_match(const struct ff_container *c,
                                                          const char *pattern, bool by_dest);

/* "docker", "cri-o", ...; NULL for a number no runtime uses. */
const char *ff_container_type_name(uint32_t type);
/* Runtimes whose metadata says whether a container is privileged. */
bool ff_container_type_knows_privileged(uint32_t type);

#endif
