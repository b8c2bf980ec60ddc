/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Output formats: sysdig's `-p` strings and Falco rule outputs.  A format is
 * compiled once into literal pieces and field references resolved in an
 * ff_fields registry (the same one filters use, ideally with the same
 * ff_fcache, so a field a filter already extracted is not extracted again),
 * then rendered per event into an ff_sbuf as text or as a JSON object.
 *
 * Syntax (sysdig 0.29.3's formatter):
 *   - `%field`, `%field[arg]`, `%evt.arg.NAME`: the longest registered field
 *     name that prefixes the text after `%` ("%proc.name.x" is proc.name
 *     followed by the literal ".x"); `%Nfield` pads with spaces or cuts the
 *     value to exactly N characters.
 *   - a leading `*` prints events even when some value is missing, showing
 *     `<NA>` (JSON null); without it such events print nothing.
 *   - no escape for a literal `%`; a trailing `%`, `%` followed only by
 *     digits, an unknown field or a filter-only field (fd.ip) are errors
 *     (the latter allowed with FF_FORMAT_FILTER_ONLY).
 * Ancestor fields without an index (%proc.aname) display the process itself
 * ([0]).  Backslash escapes (\n, \t) are the caller's business (sysdig's
 * command line expands them, Falco's outputs do not).
 */
#ifndef FF_FORMAT_H
#define FF_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_field.h"
#include "ff_render.h"

typedef struct ff_format ff_format;

enum ff_format_flag {
	/* Behave as if the text started with '*' (Falco rule outputs: always
	 * print, <NA> for missing values). */
	FF_FORMAT_ALL = 1u << 0,
	/* Accept filter-only fields and show them as current Falco does:
	 * <NA> for fd.ip / fd.port / fd.net, "<IPNET>" for a network field
	 * with a value (rule outputs). */
	FF_FORMAT_FILTER_ONLY = 1u << 1,
};

/* Compile `fmt` (NUL-terminated) against `fs`.  `cache` may be NULL (the
 * format then owns one) or a cache shared with filters; it must outlive the
 * format.  Returns 0, -EINVAL (syntax, filter-only field), -ENOENT (unknown
 * field) or -ENOMEM, with a message naming the offset in `err`. */
int ff_format_compile(const char *fmt, const ff_fields *fs, ff_fcache *cache, unsigned flags,
                      ff_format **out, struct ff_err *err);
void ff_format_free(ff_format *f);

/* Append the text line of the event `gen` (see ff_filter_eval()) described by
 * `ctx` to `out`, without newline.  Returns 1 when appended, 0 when a value
 * is missing and the format requires all values (out is then unchanged), or
 * a negative errno from an extractor. */
int ff_format_render(ff_format *f, void *ctx, uint64_t gen, struct ff_sbuf *out);

/* The same as one compact JSON object (sysdig -j): one key per distinct field
 * token as written ("proc.aname[2]"), keys sorted, numbers and booleans
 * typed, strings escaped, missing values null. */
int ff_format_render_json(ff_format *f, void *ctx, uint64_t gen, struct ff_sbuf *out);

/* The distinct field tokens in order of first appearance (for Falco's
 * output_fields): 0 <= i < ff_format_nfields(). */
size_t ff_format_nfields(const ff_format *f);
const char *ff_format_field_name(const ff_format *f, size_t i);

/* Value of field token i: its display text ("<NA>" when missing, *missing set
 * to 1) appended to `out`.  0 or a negative errno. */
int ff_format_field_text(ff_format *f, size_t i, void *ctx, uint64_t gen, struct ff_sbuf *out,
                         int *missing);
/* Its JSON value (number, true/false, "string" or null) appended to `out`. */
int ff_format_field_json(ff_format *f, size_t i, void *ctx, uint64_t gen, struct ff_sbuf *out);

/* Append `n` bytes as a quoted JSON string, escaped like sysdig's JSON writer
 * (control characters, quote, backslash; non-ASCII UTF-8 as \uXXXX; invalid
 * bytes as \ufffd). */
int ff_json_put_string(struct ff_sbuf *out, const char *s, size_t n);

#endif
