/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A validated, zero-copy view of one raw event (scap layout, see
 * driver/ff_event_abi.h).  ff_evt_init() checks every length against the bytes
 * available once, so later accessors never read out of bounds; values are
 * decoded only when asked for.  The view points into the reader's buffer and is
 * valid until the next read.
 */
#ifndef FF_EVT_H
#define FF_EVT_H

#include <stdint.h>
#include <string.h>

#include "ff_event_table.h"
#include "ff_err.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "falco-forensics reads and writes little-endian captures on little-endian hosts only"
#endif

struct ff_evt {
	const uint8_t *raw;            /* header + length array + values, unaligned */
	uint64_t ts;                   /* ns since epoch */
	uint64_t tid;                  /* thread id; (uint64_t)-1 for events of no thread */
	uint32_t len;                  /* whole event including header */
	uint32_t nparams;              /* as recorded in the event (may differ from table) */
	uint32_t dump_flags;           /* EVF block flags (bit 0: state only) */
	uint16_t type;                 /* event id */
	uint16_t cpu;                  /* CPU it was captured on */
	uint32_t off[FF_MAX_NPARAMS];  /* value offset of each param within raw */
	uint32_t plen[FF_MAX_NPARAMS]; /* value length of each param */
};

static inline uint64_t ff_ld64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}
static inline uint32_t ff_ld32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}
static inline uint16_t ff_ld16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

/* Validate `avail` bytes at `raw` as an event (v2 header) and fill `ev`.
 * Returns 0, or -EBADMSG with a description of the inconsistency in `err`. */
int ff_evt_init(struct ff_evt *ev, const uint8_t *raw, size_t avail, struct ff_err *err);

/* Parameter i: pointer to its bytes and length, or NULL if the event has no
 * such parameter. */
static inline const uint8_t *ff_evt_param(const struct ff_evt *ev, unsigned i, uint32_t *len)
{
	if (i >= ev->nparams)
		return NULL;
	*len = ev->plen[i];
	return ev->raw + ev->off[i];
}

/* Integer parameter, zero-extended from its recorded width (1, 2, 4 or 8 bytes);
 * returns 0 if the parameter is missing or has another width, setting *ok. */
uint64_t ff_evt_param_uint(const struct ff_evt *ev, unsigned i, int *ok);
/* The same, sign-extended. */
int64_t ff_evt_param_int(const struct ff_evt *ev, unsigned i, int *ok);
/* String parameter without its NUL (length in *len); NULL if missing. */
const char *ff_evt_param_str(const struct ff_evt *ev, unsigned i, uint32_t *len);

static inline const struct ff_event_info *ff_evt_info(const struct ff_evt *ev)
{
	return ev->type < FF_EVENT_MAX ? &ff_event_table[ev->type] : NULL;
}

/* Upgrade a v1 event (22-byte header, no nparams) into `out` (capacity `cap`,
 * at least `avail + 4`), guessing nparams the way libscap does.  Returns the
 * new length, or a negative errno with `err` set. */
int ff_evt_upgrade_v1(const uint8_t *v1, size_t avail, uint8_t *out, size_t cap,
                      struct ff_err *err);

#endif
