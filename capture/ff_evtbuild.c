/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
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

/* "a.b.c.d:port" -> address string and port; 0 on success */
static int split_hostport(const char *s, char *ip, size_t iplen, uint16_t *port)
{
	const char *colon = strrchr(s, ':');
	size_t n;

	if (!colon || (size_t)(colon - s) >= iplen)
		return -1;
	n = (size_t)(colon - s);
	memcpy(ip, s, n);
	ip[n] = '\0';
	*port = (uint16_t)strtoul(colon + 1, NULL, 10);
	return 0;
}

static void put_sock(struct ff_evtb *b, const char *s, int tuple)
{
	char sip[64], dip[64];
	uint16_t sport, dport;
	const char *arrow = strstr(s, "->");

	if (!tuple) {
		if (split_hostport(s, sip, sizeof(sip), &sport) < 0)
			b->overflow = 1;
		else
			ff_evtb_sockaddr4(b, sip, sport);
		return;
	}
	if (!arrow) {
		b->overflow = 1;
		return;
	}
	{
		char left[64];
		size_t n = (size_t)(arrow - s);

		if (n >= sizeof(left)) {
			b->overflow = 1;
			return;
		}
		memcpy(left, s, n);
		left[n] = '\0';
		if (split_hostport(left, sip, sizeof(sip), &sport) < 0 ||
		    split_hostport(arrow + 2, dip, sizeof(dip), &dport) < 0) {
			b->overflow = 1;
			return;
		}
	}
	ff_evtb_socktuple4(b, sip, sport, dip, dport);
}

void ff_evtb_params(struct ff_evtb *b, int nparams, ...)
{
	const struct ff_event_info *info = b->type < FF_EVENT_MAX ? &ff_event_table[b->type] : NULL;
	unsigned n, i;
	va_list ap;

	if (!info) {
		b->overflow = 1;
		return;
	}
	n = nparams < 0 || (unsigned)nparams > info->nparams ? info->nparams : (unsigned)nparams;
	va_start(ap, nparams);
	for (i = 0; i < n; i++) {
		switch (info->params[i].type) {
		case FF_PT_INT8:
		case FF_PT_UINT8:
		case FF_PT_SIGTYPE:
		case FF_PT_FLAGS8:
		case FF_PT_ENUMFLAGS8:
		case FF_PT_L4PROTO:
		case FF_PT_SOCKFAMILY:
			ff_evtb_u8(b, (uint8_t)va_arg(ap, long long));
			break;
		case FF_PT_INT16:
		case FF_PT_UINT16:
		case FF_PT_FLAGS16:
		case FF_PT_ENUMFLAGS16:
		case FF_PT_PORT:
		case FF_PT_SYSCALLID:
			ff_evtb_u16(b, (uint16_t)va_arg(ap, long long));
			break;
		case FF_PT_INT32:
		case FF_PT_UINT32:
		case FF_PT_FLAGS32:
		case FF_PT_ENUMFLAGS32:
		case FF_PT_UID:
		case FF_PT_GID:
		case FF_PT_MODE:
		case FF_PT_BOOL:
		case FF_PT_SIGSET:
		case FF_PT_FD32:
		case FF_PT_PID32:
			ff_evtb_u32(b, (uint32_t)va_arg(ap, long long));
			break;
		case FF_PT_CHARBUF:
		case FF_PT_FSPATH:
		case FF_PT_FSRELPATH:
			ff_evtb_str(b, va_arg(ap, const char *));
			break;
		case FF_PT_BYTEBUF: {
			const char *d = va_arg(ap, const char *);
			long long len = va_arg(ap, long long);

			ff_evtb_raw(b, d, len < 0 ? 0 : (size_t)len);
			break;
		}
		case FF_PT_SOCKADDR:
			put_sock(b, va_arg(ap, const char *), 0);
			break;
		case FF_PT_SOCKTUPLE:
			put_sock(b, va_arg(ap, const char *), 1);
			break;
		default: /* 64-bit integers, errno, fd, pid, times */
			ff_evtb_u64(b, (uint64_t)va_arg(ap, long long));
			break;
		}
	}
	va_end(ap);
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
