/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: compile arbitrary bytes as a filter against the mock
 * provider (with a few macros, a macro loop, a placeholder and a list), and
 * when it compiles, evaluate it and compute its event-type set.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ff_filter.h"
#include "mock_fields.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int resolve(void *user, const char *name, size_t len, struct ff_ident *out)
{
	static const char *const shells[] = { "bash", "sh", "zsh" };
	static const struct {
		const char *name, *text;
	} macros[] = {
		{ "spawned_process", "evt.type in (execve, execveat)" },
		{ "is_cat", "proc.name = cat" },
		{ "loop", "proc.name = x or loop" },
		{ "ph", NULL },
	};
	(void)user;
	for (size_t i = 0; i < sizeof(macros) / sizeof(macros[0]); i++)
		if (strlen(macros[i].name) == len && memcmp(macros[i].name, name, len) == 0) {
			out->kind = FF_IDENT_MACRO;
			out->text = macros[i].text;
			out->text_len = out->text ? strlen(out->text) : 0;
			return 0;
		}
	if (len == 6 && memcmp(name, "shells", 6) == 0) {
		out->kind = FF_IDENT_LIST;
		out->items = shells;
		out->nitems = 3;
		return 0;
	}
	/* other names (upstream macros in the seeds) are placeholders, so seeds
	 * reach the compiler; names starting with 'u' stay undefined */
	if (name[0] != 'u')
		out->kind = FF_IDENT_MACRO;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static ff_fields *fields;
	static struct mock_evt ev;
	static uint64_t gen;
	struct ff_err err = { 0 };
	struct ff_filter_pos pos;

	if (!fields) {
		fields = ff_fields_new();
		if (!fields || ff_fields_add(fields, mock_defs, mock_ndefs, &err))
			__builtin_trap();
		mock_default_event(&ev);
	}
	struct ff_filter_opts o = {
		.sz = sizeof(o), .fields = fields, .resolve = resolve, .errpos = &pos
	};
	ff_filter *f;
	int rc = ff_filter_compile((const char *)data, size, &o, &f, &err);
	if (rc) {
		/* every failure names a position inside (or just after) the text */
		if (pos.offset > size || !memchr(err.msg, '\0', sizeof(err.msg)) || rc >= 0)
			__builtin_trap();
		return 0;
	}
	uint8_t set[FF_EVTSET_BYTES];
	if (ff_filter_evttypes(f, set) > FF_EVENT_MAX)
		__builtin_trap();
	rc = ff_filter_eval(f, &ev, ++gen);
	if (rc != 0 && rc != 1 && rc != -ENOENT && rc != -EIO)
		__builtin_trap();
	ff_filter_free(f);
	return 0;
}
