/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small, bounded YAML document tree built from libyaml's event stream, for
 * the rules loader.  Every node carries its 1-based line and column.
 *
 * Hostile input is bounded: total input size, nesting depth, scalar size,
 * node count and the "expanded" size reachable through aliases (an alias
 * shares its anchor's node instead of copying it; the work a reader would do
 * walking the shared subtree again is what is capped) all have limits, and
 * exceeding one is an ordinary error with a message, never a crash.
 *
 * All nodes of a stream live in one arena owned by struct ff_yaml; freeing it
 * frees everything.
 */
#ifndef FF_YAML_H
#define FF_YAML_H

#include <stddef.h>

#include "ff_err.h"

enum ff_yaml_type {
	FF_YAML_NULL,   /* plain empty, ~, null/Null/NULL */
	FF_YAML_SCALAR, /* any other scalar; text kept verbatim */
	FF_YAML_SEQ,
	FF_YAML_MAP,
};

struct ff_yaml_node {
	enum ff_yaml_type type;
	unsigned line, col;          /* 1-based start mark */
	const char *text;            /* scalars and nulls: NUL-terminated, never NULL */
	size_t len;                  /* scalar length in bytes (may contain NUL) */
	int quoted;                  /* scalar was single/double quoted or a block scalar */
	struct ff_yaml_node **items; /* SEQ: n items; MAP: 2*n (key, value, key, value...) */
	size_t n;                    /* SEQ: items; MAP: pairs */
	size_t weight;               /* nodes reachable from here, aliases counted again */
};

/* Limits; 0 in a field of ff_yaml_limits means "use the default". */
struct ff_yaml_limits {
	size_t max_input;    /* bytes of input (default 16 MiB) */
	size_t max_depth;    /* nesting of collections (default 64) */
	size_t max_scalar;   /* bytes of one scalar (default 1 MiB) */
	size_t max_nodes;    /* nodes in the stream (default 2,000,000) */
	size_t max_expanded; /* nodes counted through aliases (default 4,000,000) */
};

struct ff_yaml;

/* Parse `len` bytes (a stream of one or more documents).  On success *out is
 * the tree and 0 is returned.  On failure returns -EINVAL (syntax, limits) or
 * -ENOMEM; err->msg holds the message and line, col (may be NULL) the
 * position of the problem (0 if unknown). */
int ff_yaml_parse(const char *buf, size_t len, const struct ff_yaml_limits *lim,
                  struct ff_yaml **out, unsigned *line, unsigned *col, struct ff_err *err);

void ff_yaml_free(struct ff_yaml *y);

size_t ff_yaml_ndocs(const struct ff_yaml *y);
/* Root node of document i; never NULL (an empty document is a NULL node). */
const struct ff_yaml_node *ff_yaml_doc(const struct ff_yaml *y, size_t i);

/* First value of `key` in a mapping, or NULL if absent (or `map` is not a map). */
const struct ff_yaml_node *ff_yaml_get(const struct ff_yaml_node *map, const char *key);

#endif
