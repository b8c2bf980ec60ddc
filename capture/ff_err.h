/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Caller-owned error record.  Library functions return 0 or a negative errno
 * and, on failure, describe what happened here (file, byte offset, what was
 * expected).  Libraries never print; the tools decide what to show.
 */
#ifndef FF_ERR_H
#define FF_ERR_H

#include <stddef.h>

#define FF_ERR_MSG_MAX 512

struct ff_err {
	int code;                 /* negative errno of the last failure, 0 if none */
	char msg[FF_ERR_MSG_MAX]; /* human-readable, NUL-terminated */
};

/* Record an error; returns `code` so callers can `return ff_errf(...)`.
 * `err` may be NULL.  A negative `code` is kept as is; a positive one is negated. */
int ff_errf(struct ff_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prefix the existing message with more context ("file.scap: "). */
void ff_err_prefix(struct ff_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void ff_err_clear(struct ff_err *err);

#endif
