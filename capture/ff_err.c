/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ff_err.h"

int ff_errf(struct ff_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (code > 0)
		code = -code;
	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void ff_err_prefix(struct ff_err *err, const char *fmt, ...)
{
	char old[FF_ERR_MSG_MAX];
	va_list ap;
	int n;

	if (!err)
		return;
	memcpy(old, err->msg, sizeof(old));
	va_start(ap, fmt);
	n = vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	/* append the old message after the prefix, truncating at the buffer end */
	if (n >= 0 && (size_t)n < sizeof(err->msg)) {
		size_t room = sizeof(err->msg) - (size_t)n - 1, ol = strlen(old);

		memcpy(err->msg + n, old, ol < room ? ol : room);
		err->msg[n + (ol < room ? ol : room)] = '\0';
	}
}

void ff_err_clear(struct ff_err *err)
{
	if (err) {
		err->code = 0;
		err->msg[0] = '\0';
	}
}
