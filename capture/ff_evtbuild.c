/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ff_evtbuild.h"

void ff_evtb_start(struct ff_evtb *b, uint64_t ts, uint64_t tid, uint16_t type)
{
	b->ts = ts;
	b->tid = tid;
	b->type = type;
	b->np = 0;
	b->vlen = 0;
	b->overflow = 0;
}

void ff_evtb_raw(struct ff_evtb *b, const void *data, size_t len)
{
	size_t maxlen = ff_event_len_width(b->type) == 4 ? FF_EVTB_MAX_VALUES : 0xffffu;

	if (b->np >= FF_MAX_NPARAMS || len > maxlen || len > FF_EVTB_MAX_VALUES - b->vlen) {
		b->overflow = 1;
		return;
	}
	if (len)
		memcpy(b->vals + b->vlen, data, len);
	b->vlen += (uint32_t)len;
	b->lens[b->np++] = (uint32_t)len;
}

void ff_evtb_u8(struct ff_evtb *b, uint8_t v)
{
	ff_evtb_raw(b, &v, 1);
}
void ff_evtb_u16(struct ff_evtb *b, uint16_t v)
{
	ff_evtb_raw(b, &v, 2);
}
void ff_evtb_u32(struct ff_evtb *b, uint32_t v)
{
	ff_evtb_raw(b, &v, 4);
}
void ff_evtb_u64(struct ff_evtb *b, uint64_t v)
{
	ff_evtb_raw(b, &v, 8);
}

void ff_evtb_str(struct ff_evtb *b, const char *s)
{
	ff_evtb_raw(b, s, strlen(s) + 1);
}

void ff_evtb_strv(struct ff_evtb *b, const char *const *items, size_t n)
{
	uint8_t tmp[4096];
	size_t len = 0, i;

	for (i = 0; i < n; i++) {
		size_t l = strlen(items[i]) + 1;

		if (l > sizeof(tmp) - len) {
			b->overflow = 1;
			return;
		}
		memcpy(tmp + len, items[i], l);
		len += l;
	}
	ff_evtb_raw(b, tmp, len);
}

void ff_evtb_sockaddr4(struct ff_evtb *b, const char *ip, uint16_t port)
{
	uint8_t a[7];
	struct in_addr in;

	if (inet_pton(AF_INET, ip, &in) != 1) {
		b->overflow = 1;
		return;
	}
	a[0] = FF_AF_INET;
	memcpy(a + 1, &in.s_addr, 4);
	memcpy(a + 5, &port, 2);
	ff_evtb_raw(b, a, sizeof(a));
}

void ff_evtb_socktuple4(struct ff_evtb *b, const char *sip, uint16_t sport, const char *dip,
                        uint16_t dport)
{
	uint8_t a[13];
	struct in_addr s, d;

	if (inet_pton(AF_INET, sip, &s) != 1 || inet_pton(AF_INET, dip, &d) != 1) {
		b->overflow = 1;
		return;
	}
	a[0] = FF_AF_INET;
	memcpy(a + 1, &s.s_addr, 4);
	memcpy(a + 5, &sport, 2);
	memcpy(a + 7, &d.s_addr, 4);
	memcpy(a + 11, &dport, 2);
	ff_evtb_raw(b, a, sizeof(a));
}

int ff_evtb_finish(struct ff_evtb *b, struct ff_evt *ev, struct ff_err *err)
{
	unsigned w = ff_event_len_width(b->type), i;
	uint32_t len = FF_EVT_HDR_LEN + b->np * w + b->vlen;
	uint8_t *p = b->out;

	if (b->overflow)
		return ff_errf(err, -EOVERFLOW, "event type %u: a parameter did not fit", b->type);
	memcpy(p + FF_EVT_OFF_TS, &b->ts, 8);
	memcpy(p + FF_EVT_OFF_TID, &b->tid, 8);
	memcpy(p + FF_EVT_OFF_LEN, &len, 4);
	memcpy(p + FF_EVT_OFF_TYPE, &b->type, 2);
	memcpy(p + FF_EVT_OFF_NPARAMS, &b->np, 4);
	p += FF_EVT_HDR_LEN;
	for (i = 0; i < b->np; i++) {
		if (w == 4) {
			memcpy(p, &b->lens[i], 4);
		} else {
			uint16_t l = (uint16_t)b->lens[i];

			memcpy(p, &l, 2);
		}
		p += w;
	}
	memcpy(p, b->vals, b->vlen);
	ev->cpu = 0;
	ev->dump_flags = 0;
	return ff_evt_init(ev, b->out, len, err);
}
