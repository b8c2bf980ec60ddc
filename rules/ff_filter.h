/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Falco condition language: parser, compiler to an evaluation tree, and
 * evaluator (docs/rules-language.md §6-§10).  Generic over a field provider
 * (ff_field.h).  A compiled filter is immutable except for the extraction
 * cache it shares with other filters, so evaluation never allocates.
 *
 * Errors name the 1-based position ("line L, column C" when the text has
 * several lines, else "column C") and the offending token.
 */
#ifndef FF_FILTER_H
#define FF_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_event_table.h"
#include "ff_field.h"

typedef struct ff_filter ff_filter;

/* What an identifier that is not a field names, as told by the resolver. */
enum ff_ident_kind {
	FF_IDENT_UNKNOWN = 0, /* not known: "undefined macro" error */
	FF_IDENT_MACRO,       /* a macro; `text` (if not NULL) is its condition */
	FF_IDENT_LIST,        /* a list name used as `in NAME`; `items` are its values */
};

struct ff_ident {
	enum ff_ident_kind kind;
	/* MACRO: condition text parsed in place as if parenthesized (tree-level
	 * expansion).  NULL = placeholder: the filter compiles (check-only use)
	 * but ff_filter_eval() fails with -ENOENT if it reaches it. */
	const char *text;
	size_t text_len;
	/* LIST: its items (already nested-expanded by the caller). */
	const char *const *items;
	size_t nitems;
};

/* Called for every identifier in a check position (macro reference) or in a
 * list position (`proc.name in NAME`).  Fill `out` and return 0, or return a
 * negative errno (compilation fails with it). */
typedef int (*ff_ident_resolver)(void *user, const char *name, size_t len, struct ff_ident *out);

struct ff_filter_pos {
	size_t offset; /* 0-based byte offset in the top-level text */
	unsigned line; /* 1-based */
	unsigned col;  /* 1-based */
};

struct ff_filter_opts {
	size_t sz;                 /* sizeof(struct ff_filter_opts) */
	const ff_fields *fields;   /* required */
	ff_fcache *cache;          /* optional shared cache; must outlive the filter */
	ff_ident_resolver resolve; /* optional */
	void *resolve_user;
	unsigned max_depth;           /* nesting cap, 0 = 1000 */
	struct ff_filter_pos *errpos; /* optional: where compilation failed */
};

/* Compile `len` bytes of `text` (need not be NUL-terminated).  On success
 * *out owns a filter to free with ff_filter_free().  Returns 0, -EINVAL for a
 * malformed filter, -ENOENT for an unknown field/macro/event type, -ENOMEM,
 * or a resolver/check_arg error; the message is in `err`. */
int ff_filter_compile(const char *text, size_t len, const struct ff_filter_opts *opts,
                      ff_filter **out, struct ff_err *err);

void ff_filter_free(ff_filter *f);

/* Evaluate for the event described by `ctx` (passed to the extractors).
 * `gen` identifies the event: values cached under the same `gen` are reused,
 * so pass a new number for every event (e.g. evt.num; never 0).  Returns 1
 * (match), 0 (no match) or a negative errno from an extractor. */
int ff_filter_eval(ff_filter *f, void *ctx, uint64_t gen);

/* Event types the filter can match (docs/rules-language.md §10): bit i of
 * `set` is set when event id i may match.  Returns the number of ids set. */
#define FF_EVTSET_BYTES ((FF_EVENT_MAX + 7) / 8)
size_t ff_filter_evttypes(const ff_filter *f, uint8_t set[FF_EVTSET_BYTES]);

#endif /* FF_FILTER_H */
