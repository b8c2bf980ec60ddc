/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: any bytes as a rules file, then as a second file on top
 * of the first, plus ad-hoc expansion.  Must never crash or leak. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ff_rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ff_rules *rs = ff_rules_new();
	struct ff_err err = { 0 };
	char *out = NULL;
	size_t i;

	if (!rs)
		return 0;
	if (!ff_rules_load_buf(rs, "a.yaml", (const char *)data, size, &err)) {
		/* exercise the accessors and a second layer */
		for (i = 0; i < ff_rules_count(rs); i++)
			(void)ff_rule_expanded(ff_rules_get(rs, i));
		if (!ff_rules_expand(rs, "evt.type = open and not proc.name in (a, b)", &out, &err))
			free(out);
		(void)ff_rules_load_buf(rs, "b.yaml", (const char *)data, size, &err);
	}
	ff_rules_free(rs);
	return 0;
}
