/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the capture reader: the input is a whole capture file
 * (plain, gzip or zstd, chosen by magic like any file).  Every block is
 * iterated, every metadata body and every event parameter touched through the
 * public accessors, so the sanitizers see any read the validation let through.
 * Build: ./configure --enable-fuzz CC=clang && make fuzz-reader
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "ff_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static volatile unsigned sink;

static unsigned touch_event(const struct ff_evt *ev)
{
	const struct ff_event_info *info = ff_evt_info(ev);
	unsigned acc = ev->cpu + ev->dump_flags + (unsigned)ev->ts + (unsigned)ev->tid;
	unsigned i;
	int ok;

	/* the whole validated record */
	for (i = 0; i < ev->len; i += 7)
		acc += ev->raw[i];
	if (ev->len)
		acc += ev->raw[ev->len - 1];
	for (i = 0; i < ev->nparams + 1; i++) {
		uint32_t l = 0;
		const uint8_t *p = ff_evt_param(ev, i, &l);
		const char *s;

		if (p && l)
			acc += p[0] + p[l - 1] + p[l / 2];
		acc += (unsigned)ff_evt_param_uint(ev, i, &ok);
		acc += (unsigned)ff_evt_param_int(ev, i, &ok);
		s = ff_evt_param_str(ev, i, &l);
		if (s && l)
			acc += (unsigned char)s[l - 1];
		if (info && i < info->nparams && info->params)
			acc += info->params[i].type;
	}
	return acc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ff_reader *r;
	struct ff_block b;
	struct ff_err err;
	unsigned acc = 0, guard = 0;
	uint64_t before;
	int rc;

	if (ff_reader_open_mem(&r, data, size, "fuzz", &err) < 0)
		return 0;
	for (;;) {
		before = ff_reader_offset(r);
		rc = ff_reader_next(r, &b, &err);
		if (rc == 0)
			break;
		if (rc < 0) {
			acc += (unsigned)err.msg[0];
			if (ff_reader_offset(r) == before) {
				/* no progress: a framing error, which must be sticky */
				if (ff_reader_next(r, &b, &err) != rc)
					__builtin_trap();
				break;
			}
			if (++guard > 1000000)
				__builtin_trap();
			continue;
		}
		/* contract: blocks are contiguous and framed by their length */
		if (b.offset != before || ff_reader_offset(r) != before + b.body_len + 12)
			__builtin_trap();
		if (b.kind == FF_BLK_EVENT) {
			if (b.ev.len < 26 || b.ev.nparams > FF_MAX_NPARAMS)
				__builtin_trap();
			acc += touch_event(&b.ev);
		} else if (b.body_len) {
			acc += b.body[0] + b.body[b.body_len - 1];
		}
		if (++guard > 1000000)
			__builtin_trap(); /* every block consumes >= 12 bytes */
	}
	sink = acc;
	ff_reader_close(r);
	return 0;
}
