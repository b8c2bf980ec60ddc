/* SPDX-License-Identifier: Apache-2.0 */
/* Strict parsing of the numbers users type (options, config values). */
#ifndef FF_NUM_H
#define FF_NUM_H

#include <stdint.h>

/* A decimal u64 made of digits only: no sign, no spaces, no suffix (strtoull
 * would take "-1" as UINT64_MAX and " 5" as 5).  0, or -EINVAL when s is
 * empty or has another character, -ERANGE when it does not fit. */
int ff_num_u64(const char *s, uint64_t *out);

#endif
