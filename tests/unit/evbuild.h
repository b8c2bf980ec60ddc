/* SPDX-License-Identifier: Apache-2.0 */
/* Hand-built raw events (scap v2 layout, 16-bit lengths) for unit tests. */
#ifndef EVBUILD_H
#define EVBUILD_H

#include <stdint.h>
#include <string.h>

#include "ff_evtbuild.h"

struct evp {
	const void *p;
	uint32_t len;
};

struct evb {
	struct ff_evtb b;
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
	unsigned i;

	ff_evtb_start(&b->b, ts, tid, type);
	for (i = 0; i < n; i++)
		ff_evtb_raw(&b->b, ps[i].p, ps[i].len);
	return ff_evtb_finish(&b->b, &b->ev, NULL) == 0 ? &b->ev : NULL;
}

#define EV(b, type, tid, ...)                                                                      \
	evb_make((b), (type), (tid), 1000, (const struct evp[]){ __VA_ARGS__ },                    \
	         sizeof((const struct evp[]){ __VA_ARGS__ }) / sizeof(struct evp))
#define EV0(b, type, tid) evb_make((b), (type), (tid), 1000, NULL, 0)

#endif
