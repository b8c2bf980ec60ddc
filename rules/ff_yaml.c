/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounded YAML tree from libyaml events.  libyaml's parser is a state machine
 * with explicit stacks (no recursion), so the only unbounded resources are the
 * ones we build: they are capped here.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "ff_yaml.h"

#define ARENA_BLOCK (64 * 1024)

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	_Alignas(max_align_t) unsigned char data[];
};

struct anchor {
	char *name; /* NULL: empty slot */
	struct ff_yaml_node *node;
	int open; /* collection not yet closed: an alias to it would be a cycle */
};

struct frame {
	struct ff_yaml_node *node;
	struct ff_yaml_node **tmp; /* children collected so far */
	size_t n, cap;
	size_t anchor_slot; /* SIZE_MAX if none */
};

struct ff_yaml {
	struct arena_block *blocks;
	struct ff_yaml_node **docs;
	size_t ndocs, capdocs;
};

static void *arena_alloc(struct ff_yaml *y, size_t size)
{
	struct arena_block *b = y->blocks;
	size_t al = _Alignof(max_align_t);

	size = (size + al - 1) / al * al;
	if (!b || b->size - b->used < size) {
		size_t bs = size > ARENA_BLOCK ? size : ARENA_BLOCK;

		b = malloc(sizeof(*b) + bs);
		if (!b)
			return NULL;
		b->size = bs;
		b->used = 0;
		b->next = y->blocks;
		y->blocks = b;
	}
	b->used += size;
	return b->data + b->used - size;
}

void ff_yaml_free(struct ff_yaml *y)
{
	struct arena_block *b, *nb;

	if (!y)
		return;
	for (b = y->blocks; b; b = nb) {
		nb = b->next;
		free(b);
	}
	free(y->docs);
	free(y);
}

size_t ff_yaml_ndocs(const struct ff_yaml *y)
{
	return y->ndocs;
}

const struct ff_yaml_node *ff_yaml_doc(const struct ff_yaml *y, size_t i)
{
	return i < y->ndocs ? y->docs[i] : NULL;
}

const struct ff_yaml_node *ff_yaml_get(const struct ff_yaml_node *map, const char *key)
{
	size_t i, kl = strlen(key);

	if (!map || map->type != FF_YAML_MAP)
		return NULL;
	for (i = 0; i < map->n; i++) {
		const struct ff_yaml_node *k = map->items[2 * i];

		if (k->type == FF_YAML_SCALAR && k->len == kl && !memcmp(k->text, key, kl))
			return map->items[2 * i + 1];
	}
	return NULL;
}

/* ---- parser state ---- */

struct pstate {
	struct ff_yaml *y;
	struct ff_yaml_limits lim;
	struct frame *stack;
	size_t depth, capstack;
	struct anchor *anchors; /* open-addressing hash table */
	size_t nanchors, capanchors;
	size_t nodes, expanded;
	struct ff_yaml_node *root; /* root of the current document */
	unsigned eline, ecol;      /* position of the error */
	struct ff_err *err;
};

__attribute__((format(printf, 5, 6))) static int perr(struct pstate *ps, int code, unsigned line,
                                                      unsigned col, const char *fmt, ...)
{
	char msg[FF_ERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->eline = line;
	ps->ecol = col;
	return ff_errf(ps->err, code, "%s", msg);
}

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ull & SIZE_MAX;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static size_t anchor_find(struct pstate *ps, const char *name)
{
	size_t i;

	if (!ps->capanchors)
		return SIZE_MAX;
	for (i = hash_str(name) & (ps->capanchors - 1); ps->anchors[i].name;
	     i = (i + 1) & (ps->capanchors - 1))
		if (!strcmp(ps->anchors[i].name, name))
			return i;
	return SIZE_MAX;
}

/* Register (or redefine: YAML allows reusing an anchor name) an anchor. */
static int anchor_set(struct pstate *ps, const char *name, struct ff_yaml_node *node, int open,
                      size_t *slot)
{
	size_t i;

	i = anchor_find(ps, name);
	if (i == SIZE_MAX) {
		if ((ps->nanchors + 1) * 2 > ps->capanchors) {
			size_t ncap = ps->capanchors ? ps->capanchors * 2 : 64, j;
			struct anchor *na = calloc(ncap, sizeof(*na));

			if (!na)
				return -ENOMEM;
			for (j = 0; j < ps->capanchors; j++) {
				size_t k;

				if (!ps->anchors[j].name)
					continue;
				for (k = hash_str(ps->anchors[j].name) & (ncap - 1); na[k].name;
				     k = (k + 1) & (ncap - 1))
					;
				na[k] = ps->anchors[j];
			}
			free(ps->anchors);
			ps->anchors = na;
			ps->capanchors = ncap;
		}
		for (i = hash_str(name) & (ps->capanchors - 1); ps->anchors[i].name;
		     i = (i + 1) & (ps->capanchors - 1))
			;
		ps->anchors[i].name = strdup(name);
		if (!ps->anchors[i].name)
			return -ENOMEM;
		ps->nanchors++;
	}
	ps->anchors[i].node = node;
	ps->anchors[i].open = open;
	if (slot)
		*slot = i;
	return 0;
}

static struct ff_yaml_node *new_node(struct pstate *ps, enum ff_yaml_type t, const yaml_mark_t *m)
{
	struct ff_yaml_node *n;

	if (ps->nodes >= ps->lim.max_nodes || ps->expanded >= ps->lim.max_expanded) {
		perr(ps, -EINVAL, (unsigned)m->line + 1, (unsigned)m->column + 1,
		     "YAML document has more than %zu nodes", ps->lim.max_nodes);
		return NULL;
	}
	n = arena_alloc(ps->y, sizeof(*n));
	if (!n) {
		ff_errf(ps->err, -ENOMEM, "out of memory");
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->type = t;
	n->line = (unsigned)m->line + 1;
	n->col = (unsigned)m->column + 1;
	n->text = "";
	n->weight = 1;
	ps->nodes++;
	ps->expanded++;
	return n;
}

/* Attach a finished node to the open collection (or make it the root). */
static int attach(struct pstate *ps, struct ff_yaml_node *n)
{
	struct frame *f;

	if (!ps->depth) {
		ps->root = n;
		return 0;
	}
	f = &ps->stack[ps->depth - 1];
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 8;
		struct ff_yaml_node **nt = realloc(f->tmp, ncap * sizeof(*nt));

		if (!nt)
			return ff_errf(ps->err, -ENOMEM, "out of memory");
		f->tmp = nt;
		f->cap = ncap;
	}
	f->tmp[f->n++] = n;
	/* saturating: only compared against the limit */
	f->node->weight =
	    f->node->weight > SIZE_MAX - n->weight ? SIZE_MAX : f->node->weight + n->weight;
	return 0;
}

static int is_null_text(const char *s, size_t len)
{
	return len == 0 || (len == 1 && s[0] == '~') ||
	       (len == 4 &&
	        (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

static int on_scalar(struct pstate *ps, yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	struct ff_yaml_node *n;
	char *t;
	int rc;

	if (len > ps->lim.max_scalar)
		return perr(ps, -EINVAL, (unsigned)ev->start_mark.line + 1,
		            (unsigned)ev->start_mark.column + 1,
		            "YAML scalar of %zu bytes exceeds the limit of %zu", len,
		            ps->lim.max_scalar);
	n = new_node(ps, plain && is_null_text(s, len) ? FF_YAML_NULL : FF_YAML_SCALAR,
	             &ev->start_mark);
	if (!n)
		return ps->err && ps->err->code ? ps->err->code : -ENOMEM;
	t = arena_alloc(ps->y, len + 1);
	if (!t)
		return ff_errf(ps->err, -ENOMEM, "out of memory");
	memcpy(t, s, len);
	t[len] = '\0';
	n->text = t;
	n->len = len;
	n->quoted = !plain;
	if (ev->data.scalar.anchor) {
		rc = anchor_set(ps, (const char *)ev->data.scalar.anchor, n, 0, NULL);
		if (rc)
			return ff_errf(ps->err, rc, "out of memory");
	}
	return attach(ps, n);
}

static int on_start(struct pstate *ps, yaml_event_t *ev, enum ff_yaml_type t,
                    const yaml_char_t *anchor)
{
	struct ff_yaml_node *n;
	struct frame *f;
	int rc;

	if (ps->depth >= ps->lim.max_depth)
		return perr(ps, -EINVAL, (unsigned)ev->start_mark.line + 1,
		            (unsigned)ev->start_mark.column + 1,
		            "YAML nesting deeper than %zu levels", ps->lim.max_depth);
	n = new_node(ps, t, &ev->start_mark);
	if (!n)
		return ps->err && ps->err->code ? ps->err->code : -ENOMEM;
	if (ps->depth == ps->capstack) {
		size_t ncap = ps->capstack ? ps->capstack * 2 : 16;
		struct frame *ns = realloc(ps->stack, ncap * sizeof(*ns));

		if (!ns)
			return ff_errf(ps->err, -ENOMEM, "out of memory");
		ps->stack = ns;
		ps->capstack = ncap;
	}
	f = &ps->stack[ps->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	f->anchor_slot = SIZE_MAX;
	if (anchor) {
		rc = anchor_set(ps, (const char *)anchor, n, 1, &f->anchor_slot);
		if (rc)
			return ff_errf(ps->err, rc, "out of memory");
	}
	return 0;
}

static int on_end(struct pstate *ps)
{
	struct frame *f = &ps->stack[ps->depth - 1];
	struct ff_yaml_node *n = f->node;

	if (f->n) {
		n->items = arena_alloc(ps->y, f->n * sizeof(*n->items));
		if (!n->items)
			return ff_errf(ps->err, -ENOMEM, "out of memory");
		memcpy(n->items, f->tmp, f->n * sizeof(*n->items));
	}
	n->n = n->type == FF_YAML_MAP ? f->n / 2 : f->n;
	free(f->tmp);
	f->tmp = NULL;
	if (f->anchor_slot != SIZE_MAX && ps->anchors[f->anchor_slot].node == n)
		ps->anchors[f->anchor_slot].open = 0;
	ps->depth--;
	return attach(ps, n);
}

static int on_alias(struct pstate *ps, yaml_event_t *ev)
{
	size_t i = anchor_find(ps, (const char *)ev->data.alias.anchor);
	struct ff_yaml_node *n;

	if (i == SIZE_MAX)
		return perr(ps, -EINVAL, (unsigned)ev->start_mark.line + 1,
		            (unsigned)ev->start_mark.column + 1, "unknown YAML anchor '%s'",
		            (const char *)ev->data.alias.anchor);
	if (ps->anchors[i].open)
		return perr(ps, -EINVAL, (unsigned)ev->start_mark.line + 1,
		            (unsigned)ev->start_mark.column + 1,
		            "YAML alias '%s' refers to an enclosing node (recursive alias)",
		            (const char *)ev->data.alias.anchor);
	n = ps->anchors[i].node;
	/* the shared subtree would be walked again: that is what aliases bombs abuse */
	if (n->weight > ps->lim.max_expanded - ps->expanded)
		return perr(
		    ps, -EINVAL, (unsigned)ev->start_mark.line + 1,
		    (unsigned)ev->start_mark.column + 1,
		    "YAML aliases expand to too many nodes (alias '%s'): possible alias bomb",
		    (const char *)ev->data.alias.anchor);
	ps->expanded += n->weight;
	return attach(ps, n);
}

static void offset_to_pos(const char *buf, size_t len, size_t off, unsigned *line, unsigned *col)
{
	size_t i;
	unsigned l = 1, c = 1;

	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			l++;
			c = 1;
		} else {
			c++;
		}
	}
	*line = l;
	*col = c;
}

static int parser_error(struct pstate *ps, yaml_parser_t *p, const char *buf, size_t len)
{
	unsigned l = 0, c = 0;

	if (p->error == YAML_MEMORY_ERROR)
		return ff_errf(ps->err, -ENOMEM, "out of memory while parsing YAML");
	if (p->error == YAML_READER_ERROR) {
		offset_to_pos(buf, len, p->problem_offset, &l, &c);
		ps->eline = l;
		ps->ecol = c;
		return ff_errf(ps->err, -EINVAL, "%s at byte offset %zu",
		               p->problem ? p->problem : "invalid input", p->problem_offset);
	}
	ps->eline = (unsigned)p->problem_mark.line + 1;
	ps->ecol = (unsigned)p->problem_mark.column + 1;
	if (p->context)
		return ff_errf(ps->err, -EINVAL, "%s (line %u): %s", p->context,
		               (unsigned)p->context_mark.line + 1,
		               p->problem ? p->problem : "syntax error");
	return ff_errf(ps->err, -EINVAL, "%s", p->problem ? p->problem : "syntax error");
}

static int add_doc(struct pstate *ps, struct ff_yaml_node *root)
{
	struct ff_yaml *y = ps->y;

	if (y->ndocs == y->capdocs) {
		size_t ncap = y->capdocs ? y->capdocs * 2 : 4;
		struct ff_yaml_node **nd = realloc(y->docs, ncap * sizeof(*nd));

		if (!nd)
			return ff_errf(ps->err, -ENOMEM, "out of memory");
		y->docs = nd;
		y->capdocs = ncap;
	}
	y->docs[y->ndocs++] = root;
	return 0;
}

int ff_yaml_parse(const char *buf, size_t len, const struct ff_yaml_limits *lim,
                  struct ff_yaml **out, unsigned *line, unsigned *col, struct ff_err *err)
{
	struct pstate ps = { 0 };
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0, done = 0;
	size_t i;

	*out = NULL;
	ps.err = err;
	if (lim)
		ps.lim = *lim;
	if (!ps.lim.max_input)
		ps.lim.max_input = 16u << 20;
	if (!ps.lim.max_depth)
		ps.lim.max_depth = 64;
	if (!ps.lim.max_scalar)
		ps.lim.max_scalar = 1u << 20;
	if (!ps.lim.max_nodes)
		ps.lim.max_nodes = 2000000;
	if (!ps.lim.max_expanded)
		ps.lim.max_expanded = 4000000;
	if (line)
		*line = 0;
	if (col)
		*col = 0;
	if (len > ps.lim.max_input)
		return ff_errf(err, -EFBIG, "YAML input is %zu bytes, larger than the limit of %zu",
		               len, ps.lim.max_input);
	ps.y = calloc(1, sizeof(*ps.y));
	if (!ps.y)
		return ff_errf(err, -ENOMEM, "out of memory");
	if (!yaml_parser_initialize(&p)) {
		free(ps.y);
		return ff_errf(err, -ENOMEM, "out of memory");
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (!done && !rc) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = parser_error(&ps, &p, buf, len);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			ps.root = NULL;
			break;
		case YAML_DOCUMENT_END_EVENT:
			if (!ps.root) {
				ps.root = new_node(&ps, FF_YAML_NULL, &ev.start_mark);
				if (!ps.root) {
					rc = err && err->code ? err->code : -ENOMEM;
					break;
				}
			}
			rc = add_doc(&ps, ps.root);
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(&ps, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(&ps, &ev, FF_YAML_SEQ, ev.data.sequence_start.anchor);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(&ps, &ev, FF_YAML_MAP, ev.data.mapping_start.anchor);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = on_end(&ps);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(&ps, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	for (i = 0; i < ps.depth; i++)
		free(ps.stack[i].tmp);
	free(ps.stack);
	for (i = 0; i < ps.capanchors; i++)
		free(ps.anchors[i].name);
	free(ps.anchors);
	if (rc) {
		if (line)
			*line = ps.eline;
		if (col)
			*col = ps.ecol;
		ff_yaml_free(ps.y);
		return rc;
	}
	*out = ps.y;
	return 0;
}
