/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Encoder for raw events in the scap layout, for tools and tests that make
 * events in userspace (sample captures, hand-built test streams).  Parameters
 * are appended in table order; ff_evtb_finish() lays out header, length array
 * and values, and returns a validated view.
 */
#ifndef FF_EVTBUILD_H
#define FF_EVTBUILD_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "ff_evt.h"

#define FF_EVTB_MAX_VALUES 65536u

struct ff_evtb {
	uint64_t ts, tid;
	uint16_t type;
	uint32_t np; /* params appended so far */
	uint32_t lens[FF_MAX_NPARAMS];
	uint32_t vlen; /* bytes in vals */
	int overflow;  /* a param did not fit: finish() fails */
	uint8_t vals[FF_EVTB_MAX_VALUES];
	uint8_t out[FF_EVT_HDR_LEN + 4 * FF_MAX_NPARAMS + FF_EVTB_MAX_VALUES];
};

void ff_evtb_start(struct ff_evtb *b, uint64_t ts, uint64_t tid, uint16_t type);
void ff_evtb_raw(struct ff_evtb *b, const void *data, size_t len);
void ff_evtb_u8(struct ff_evtb *b, uint8_t v);
void ff_evtb_u16(struct ff_evtb *b, uint16_t v);
void ff_evtb_u32(struct ff_evtb *b, uint32_t v);
void ff_evtb_u64(struct ff_evtb *b, uint64_t v);
/* String with its terminating NUL, as CHARBUF/FSPATH/FSRELPATH expect. */
void ff_evtb_str(struct ff_evtb *b, const char *s);
/* NUL-separated list (execve args/env, cgroups): each item NUL-terminated. */
void ff_evtb_strv(struct ff_evtb *b, const char *const *items, size_t n);
/* IPv4 SOCKADDR / SOCKTUPLE; addresses in dotted form, ports host order. */
void ff_evtb_sockaddr4(struct ff_evtb *b, const char *ip, uint16_t port);
void ff_evtb_socktuple4(struct ff_evtb *b, const char *sip, uint16_t sport, const char *dip,
                        uint16_t dport);

/* Append every parameter of the table entry for b->type from varargs, by
 * type: integers (any width, fd, pid, errno, flags, mode) as `long long`;
 * CHARBUF/FSPATH/FSRELPATH as `const char *`; BYTEBUF as `const char *data,
 * long long len`; SOCKADDR as "ip:port" and SOCKTUPLE as "sip:sport->dip:dport"
 * (IPv4) `const char *`.  `nparams` limits how many are appended (e.g. the
 * 2022 count), -1 for all. */
void ff_evtb_params(struct ff_evtb *b, int nparams, ...);

/* Lay the event out in b->out and validate it into *ev (which points into b).
 * Returns 0 or a negative errno (a parameter overflowed, bad table entry). */
int ff_evtb_finish(struct ff_evtb *b, struct ff_evt *ev, struct ff_err *err);

#endif
