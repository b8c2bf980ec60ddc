/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The field provider contract between the filter engine (rules/ff_filter.*)
 * and the field extractors (evt.*, proc.*, fd.*, ... written against the state
 * tracker).  The filter side only knows field *definitions*: a name, a value
 * type, flags saying how the field takes arguments and how multi-valued it
 * is, and an extractor callback.  Extractors only know their context object
 * (the current event and state).  Neither side needs the other's internals.
 *
 * Lifetime contract for extractors: values written to `struct ff_value`
 * (string pointers, list arrays) must stay valid until the caller moves on
 * to another event (a new "generation", see ff_filter_eval()), because the
 * filter engine caches them per event instead of extracting twice.
 */
#ifndef FF_FIELD_H
#define FF_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"

/* Value types.  Several share one comparison class (see ff_type_class()):
 * FD, PID, ERRNO are signed; PORT, UID, MODE, FLAGS, times are unsigned. */
enum ff_type {
	FF_T_NONE = 0,
	FF_T_STRING, /* text (CHARBUF) */
	FF_T_PATH,   /* text that is a file system path (FSPATH) */
	FF_T_BYTES,  /* raw byte buffer (BYTEBUF) */
	FF_T_INT64,  /* signed integers */
	FF_T_FD,
	FF_T_PID,
	FF_T_ERRNO,
	FF_T_UINT64, /* unsigned integers */
	FF_T_UID,
	FF_T_PORT,
	FF_T_MODE,
	FF_T_FLAGS,
	FF_T_ABSTIME, /* ns since epoch */
	FF_T_RELTIME, /* ns */
	FF_T_BOOL,
	FF_T_IPADDR, /* v4 or v6 address */
	FF_T_IPNET,  /* field whose value is an address, compared against CIDRs */
	FF_T_MAX
};

/* What a type compares like. */
enum ff_tclass { FF_TC_NONE, FF_TC_STR, FF_TC_BYTES, FF_TC_INT, FF_TC_UINT, FF_TC_BOOL, FF_TC_IP };

static inline enum ff_tclass ff_type_class(enum ff_type t)
{
	switch (t) {
	case FF_T_STRING:
	case FF_T_PATH:
		return FF_TC_STR;
	case FF_T_BYTES:
		return FF_TC_BYTES;
	case FF_T_INT64:
	case FF_T_FD:
	case FF_T_PID:
	case FF_T_ERRNO:
		return FF_TC_INT;
	case FF_T_UINT64:
	case FF_T_UID:
	case FF_T_PORT:
	case FF_T_MODE:
	case FF_T_FLAGS:
	case FF_T_ABSTIME:
	case FF_T_RELTIME:
		return FF_TC_UINT;
	case FF_T_BOOL:
		return FF_TC_BOOL;
	case FF_T_IPADDR:
	case FF_T_IPNET:
		return FF_TC_IP;
	default:
		return FF_TC_NONE;
	}
}

/* An IPv4 or IPv6 address, or a network when `bits` < full length.
 * IPv4 uses a[0..3] in network byte order. */
struct ff_ip {
	uint8_t family; /* 4 or 6 */
	uint8_t bits;   /* prefix length: 32/128 for a plain address */
	uint8_t a[16];
};

/* One extracted value.  For fields flagged FF_FIELD_LIST / _ANY / _EITHER the
 * extractor fills `list` instead: `n` elements of the field's type. */
struct ff_value {
	union {
		int64_t i;  /* FF_TC_INT */
		uint64_t u; /* FF_TC_UINT */
		bool b;     /* FF_TC_BOOL */
		struct {
			const char *p; /* need not be NUL-terminated */
			size_t len;
		} s;             /* FF_TC_STR, FF_TC_BYTES */
		struct ff_ip ip; /* FF_TC_IP */
		struct {
			const struct ff_value *v; /* extractor-owned, see lifetime contract */
			size_t n;
		} list;
	};
};

/* The argument of one field reference, resolved at compile time. */
struct ff_field_arg {
	bool present;    /* an argument was written */
	bool is_index;   /* `idx` is valid: the text was a non-negative decimal */
	int64_t idx;     /* proc.aname[2] -> 2, evt.arg[0] -> 0 */
	const char *str; /* evt.arg.NAME -> "NAME", proc.env[HOME] -> "HOME"; NUL-terminated */
	size_t len;
	uint64_t cookie; /* for check_arg(): e.g. a pre-resolved parameter id */
};

/* Definition flags. */
enum ff_field_flag {
	FF_FIELD_ARG_INDEX = 1u << 0,    /* accepts [N] */
	FF_FIELD_ARG_KEY = 1u << 1,      /* accepts [name] (any text) */
	FF_FIELD_ARG_REQUIRED = 1u << 2, /* an argument must be given */
	FF_FIELD_ARG_DOTTED = 1u << 3,   /* `name.ARG` form, e.g. evt.arg.flags */
	FF_FIELD_LIST = 1u << 4,         /* value is a set (fd.types): only in/intersects/exists */
	FF_FIELD_ANY = 1u << 5,    /* multi-valued: true if ANY value satisfies (proc.aname) */
	FF_FIELD_EITHER = 1u << 6, /* client-or-server (fd.ip): like ANY, but != is "none equal" */
	FF_FIELD_NO_RHS = 1u << 7, /* may not be the argument of val() */
	FF_FIELD_FILTER_ONLY = 1u << 8, /* no display value (fd.ip, fd.net) */
	FF_FIELD_EVTTYPE = 1u << 9,     /* values are event type names (evt.type) */
	FF_FIELD_EVTNUM = 1u << 10,     /* the event sequence number, >= 1 (evt.num) */
	/* ANY/EITHER apply only when no argument is given (proc.aname[2] is single) */
	FF_FIELD_MULTI_NOARG_ONLY = 1u << 11,
	/* a host name of an address (fd.sip.name): the extractor gives the
	 * address (v.ip), and =, != and in compare by resolving the names
	 * written in the condition (rules/ff_dns.h) */
	FF_FIELD_DNS = 1u << 12,
};

struct ff_field_def;

/* Extract the value of `def` (with argument `arg`) for the current event of
 * `ctx` into `out`.  Returns 0 when a value is present, 1 when the field has
 * no value for this event (every comparison is then false, `exists` too),
 * or a negative errno on a real failure (evaluation stops with that code). */
typedef int (*ff_extract_fn)(void *ctx, const struct ff_field_def *def,
                             const struct ff_field_arg *arg, struct ff_value *out);

/* Optional compile-time check of an argument (e.g. evt.arg.NAME must name a
 * known parameter).  May set arg->cookie.  Returns 0 or a negative errno with a
 * message in `err` (the filter adds the position). */
typedef int (*ff_check_arg_fn)(const struct ff_field_def *def, struct ff_field_arg *arg,
                               struct ff_err *err);

/* Optional display value for outputs (formats, JSON), for fields whose
 * printed form is not the plain rendering of the filter value: a truncated
 * buffer, a time string that JSON gives as an integer, a hex number.  Fill
 * `out` with a value of type *type (same lifetime contract as extractors);
 * `json` says which output it is for.  Returns 0, 1 (no value),
 * FF_DISPLAY_VALUE (render the extracted, cached value as usual) or a
 * negative errno. */
#define FF_DISPLAY_VALUE 2
typedef int (*ff_display_fn)(void *ctx, const struct ff_field_def *def,
                             const struct ff_field_arg *arg, int json, struct ff_value *out,
                             enum ff_type *type);

struct ff_field_def {
	const char *name; /* "proc.aname"; for ARG_DOTTED the prefix "evt.arg" */
	enum ff_type type;
	uint32_t flags;   /* enum ff_field_flag */
	const char *desc; /* one line for `--list` */
	ff_extract_fn extract;
	ff_check_arg_fn check_arg; /* may be NULL */
	void *user;                /* for the extractor's own use */
	ff_display_fn display;     /* may be NULL: outputs render the extracted value */
};

/* A provider: the set of definitions the filter compiler resolves names in.
 * Opaque; built once, read-only afterwards (shareable by many filters). */
typedef struct ff_fields ff_fields;

ff_fields *ff_fields_new(void);
void ff_fields_free(ff_fields *fs);

/* Register `n` definitions (not copied: `defs` must outlive `fs`).  A name
 * already registered is an error (-EEXIST).  Returns 0 or negative errno. */
int ff_fields_add(ff_fields *fs, const struct ff_field_def *defs, size_t n, struct ff_err *err);

/* Resolve a field name as written in a filter (without [arg]).  An exact name
 * wins; otherwise the longest registered ARG_DOTTED prefix followed by '.'
 * matches and *dotted_arg / *dotted_len receive the text after that dot
 * (evt.arg.flags -> def "evt.arg", arg "flags").  Returns the definition or
 * NULL when unknown. */
const struct ff_field_def *ff_fields_lookup(const ff_fields *fs, const char *name, size_t len,
                                            const char **dotted_arg, size_t *dotted_len);

/* Iterate in registration order (for `--list`): i from 0 until NULL. */
const struct ff_field_def *ff_fields_at(const ff_fields *fs, size_t i);

/* Per-event extraction cache shared by any number of compiled filters, so a
 * field used by many rules is extracted once per event.  Opaque; not thread
 * safe (one per evaluating thread). */
typedef struct ff_fcache ff_fcache;

ff_fcache *ff_fcache_new(void);
void ff_fcache_free(ff_fcache *c);

/* Intern the reference (def, arg) in the cache (the argument text is copied)
 * and return its slot number, stable for the cache's life, or -ENOMEM.  The
 * same reference always gets the same slot, so filters and formats sharing a
 * cache extract each field once per event. */
long ff_fcache_ref(ff_fcache *c, const struct ff_field_def *def, const struct ff_field_arg *arg);

/* Value of `slot` for the event `gen` (see ff_filter_eval()), extracted on
 * first use.  Returns 0 with *v set, 1 when the field has no value, or the
 * extractor's negative errno. */
int ff_fcache_fetch(ff_fcache *c, long slot, void *ctx, uint64_t gen, const struct ff_value **v);

/* Definition and argument of an interned slot. */
const struct ff_field_def *ff_fcache_def(const ff_fcache *c, long slot);
const struct ff_field_arg *ff_fcache_arg(const ff_fcache *c, long slot);

#endif /* FF_FIELD_H */
