/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Path joining as sysdig 0.29.3 does it, for fd names, cwd, exepath and the
 * resolved form of path arguments.  Its rules are not POSIX's, and fields
 * must agree with it byte for byte:
 *   - the base is copied untouched ("/" + "/" + "etc" stays "//etc"), only the
 *     joined path is cleaned;
 *   - in the joined path "./" is dropped wherever it appears ("foo./bar" is
 *     "foobar"), a final "." too, "../" and a final ".." remove the last
 *     component written so far (base included), repeated '/' are folded;
 *   - bytes outside 0x20..0x7e become '.';
 *   - one trailing '/' is dropped unless the result is "/";
 *   - when base and path together exceed a limit (SCAP_MAX_PATH_SIZE for the
 *     state) the result is "/PATH_TOO_LONG".
 */
#ifndef FF_PATH_H
#define FF_PATH_H

#include <stddef.h>

/* sinsp's SCAP_MAX_PATH_SIZE: the limit its parsers join paths under */
#define FF_PATH_SCAP_MAX 1024

/* Join base and path into out.  plen is the parameter's length as recorded
 * (its NUL included: "" is 1, a missing parameter 0), and only the bytes
 * before the first NUL are used.  An absolute path (or plen 0) ignores base.
 * limit: sinsp's target size (blen + plen + 1 must not exceed it), or 0 for
 * none.  out must hold blen + plen + 2 bytes and at least 16; it may be base
 * itself (joined in place).  Returns the
 * length written (NUL-terminated); *relative is set to 1 when base was used. */
size_t ff_path_concat(char *out, size_t limit, const char *base, size_t blen, const char *path,
                      size_t plen, int *relative);

/* sysdig's printable-byte test (0x20..0x7e): others are dropped or replaced */
static inline int ff_path_printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

#endif
