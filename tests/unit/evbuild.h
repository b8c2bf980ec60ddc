/* SPDX-License-Identifier: Apache-2.0 */
/* Hand-built raw events (scap v2 layout, 16-bit lengths) for unit tests. */
#ifndef EVBUILD_H
#define EVBUILD_H

#include <stdint.h>
#include <string.h>

#include "ff_evt.h"

struct evp {
	const void *p;
	uint32_t len;
};

struct evb {
	uint8_t buf[8192];
	struct ff_evt ev;
};

#define P64(v) ((struct evp){ &(int64_t){ (int64_t)(v) }, 8 })
#define P32(v) ((struct evp){ &(uint32_t){ (uint32_t)(v) }, 4 })
#define P16(v) ((struct evp){ &(uint16_t){ (uint16_t)(v) }, 2 })
#define P8(v) ((struct evp){ &(uint8_t){ (uint8_t)(v) }, 1 })
#define PSTR(s) ((struct evp){ (s), (uint32_t)strlen(s) + 1 })
#define PBUF(p, n) ((struct evp){ (p), (uint32_t)(n) })

/* Build an event into b and return its validated view (NULL on a bad build). */
static inline const struct ff_evt *evb_make(struct evb *b, uint16_t type, uint64_t tid, uint64_t ts,
                                            const struct evp *ps, unsigned n)
{
	uint32_t len = 26 + 2 * n, off;
	struct ff_err err;
	for (unsigned i = 0; i < n; i++)
		len += ps[i].len;
	if (len > sizeof(b->buf))
		return NULL;
	memcpy(b->buf, &ts, 8);
	memcpy(b->buf + 8, &tid, 8);
	memcpy(b->buf + 16, &len, 4);
	memcpy(b->buf + 20, &type, 2);
	memcpy(b->buf + 22, &n, 4);
	off = 26 + 2 * n;
	for (unsigned i = 0; i < n; i++) {
		uint16_t l = (uint16_t)ps[i].len;
		memcpy(b->buf + 26 + 2 * i, &l, 2);
		memcpy(b->buf + off, ps[i].p, ps[i].len);
		off += ps[i].len;
	}
	memset(&b->ev, 0, sizeof(b->ev));
	if (ff_evt_init(&b->ev, b->buf, len, &err))
		return NULL;
	return &b->ev;
}

#define EV(b, type, tid, ...)                                                                      \
	evb_make((b), (type), (tid), 1000, (const struct evp[]){ __VA_ARGS__ },                    \
	         sizeof((const struct evp[]){ __VA_ARGS__ }) / sizeof(struct evp))
#define EV0(b, type, tid) evb_make((b), (type), (tid), 1000, NULL, 0)

#endif
