/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SQL functions falco-query adds to SQLite, and their C cores (unit-tested):
 *   path_match(path, pattern)  glob on paths: '*' and '?' stay inside one
 *                              component, '**' crosses '/'; 1, 0, NULL for NULL
 *   ts_format(ts [, 'local'])  ns since epoch -> "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ"
 *   in_cidr(ip, cidr)          IPv4 or IPv6 text address inside a network
 *   errno_name(res)            -2 -> "ENOENT"; NULL when not an errno
 *   info_params(type, dir, info)  evt.info text -> JSON object name -> value text
 *                              (the events.params column)
 */
#ifndef FF_SQLFN_H
#define FF_SQLFN_H

#include <stddef.h>
#include <stdint.h>

struct sqlite3;
struct ff_sbuf;

/* Register the functions on a connection: 0 or -EIO. */
int ff_sqlfn_register(struct sqlite3 *db);

int ff_path_match(const char *path, const char *pattern);
/* 1 inside, 0 outside (or another family), -EINVAL for a malformed ip or cidr */
int ff_in_cidr(const char *ip, const char *cidr);
/* UTC ("...Z") or local time (with the zone offset); 0 or -ENOSPC */
int ff_ts_format(int64_t ts, int local, char *out, size_t cap);

/* evt.info of an event of `type` ("open") and `dir` ("<" or ">") as a JSON
 * object appended to `out`; 0 or -ENOMEM. */
int ff_info_params(const char *type, const char *dir, const char *info, struct ff_sbuf *out);

#endif
