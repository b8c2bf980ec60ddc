/* SPDX-License-Identifier: Apache-2.0 */
/* sysdig-compatible path joining (see ff_path.h). */
#include "config.h"

#include <string.h>

#include "ff_path.h"

/* byte k of the path, NUL past its recorded length */
static char at(const char *p, size_t plen, size_t k)
{
	return k < plen ? p[k] : 0;
}

/* ".." : back to just after the previous '/', never below the first byte */
static void up(const char *out, size_t *n)
{
	if (*n <= 1)
		return;
	(*n)--;
	while (*n >= 1 && out[*n - 1] != '/')
		(*n)--;
}

size_t ff_path_concat(char *out, size_t limit, const char *base, size_t blen, const char *path,
                      size_t plen, int *relative)
{
	size_t n = 0, i = 0;
	int rel = plen != 0 && path[0] != '/';

	if (relative)
		*relative = 0;
	if (limit && blen + plen + 1 > limit) {
		memcpy(out, "/PATH_TOO_LONG", 15);
		return 14;
	}
	if (rel) {
		memmove(out, base, blen); /* out may be base itself */
		n = blen;
		if (relative)
			*relative = 1;
	}
	for (;;) {
		char c = at(path, plen, i);
		if (c == 0)
			break;
		if (!ff_path_printable((unsigned char)c)) {
			out[n++] = '.';
			i++;
		} else if (c == '.' && at(path, plen, i + 1) == '.') {
			char c2 = at(path, plen, i + 2);
			if (c2 == '/' || c2 == 0) {
				up(out, &n);
				i += c2 == '/' ? 3 : 2;
			} else {
				out[n++] = '.';
				out[n++] = '.';
				i += 2;
			}
		} else if (c == '.' && at(path, plen, i + 1) == '/') {
			i += 2;
		} else if (c == '.' && at(path, plen, i + 1) == 0) {
			i++;
		} else if (c == '/' && n > 0 && out[n - 1] == '/') {
			i++;
		} else {
			out[n++] = c;
			i++;
		}
	}
	if (n > 1 && out[n - 1] == '/')
		n--;
	out[n] = 0;
	return n;
}
