/* SPDX-License-Identifier: Apache-2.0 */
/* SQL functions (ff_sqlfn.h). */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ff_event_table.h"
#include "ff_format.h"
#include "ff_render.h"
#include "ff_sqlfn.h"

int ff_path_match(const char *s, const char *p)
{
	/* iterative glob with one backtrack point per star kind */
	const char *star_p = NULL, *star_s = NULL;
	int star_any = 0; /* the last star was '**' */
	while (*s) {
		if (p[0] == '*' && p[1] == '*') {
			p += 2;
			star_p = p;
			star_s = s;
			star_any = 1;
			continue;
		}
		if (*p == '*') {
			p++;
			star_p = p;
			star_s = s;
			star_any = 0;
			continue;
		}
		if (*p == '?' ? *s != '/' : *p == *s) {
			p++;
			s++;
			continue;
		}
		/* mismatch: let the last star eat one more character */
		if (star_p && (star_any || *star_s != '/')) {
			s = ++star_s;
			p = star_p;
			continue;
		}
		return 0;
	}
	while (*p == '*')
		p++;
	/* a trailing slash-double-star also matches the directory itself */
	if (p[0] == '/' && p[1] == '*' && p[2] == '*' && p[3] == 0)
		return 1;
	return *p == 0;
}

static int parse_ip(const char *s, uint8_t out[16], int *v6)
{
	if (inet_pton(AF_INET, s, out) == 1) {
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out) == 1) {
		*v6 = 1;
		return 0;
	}
	return -EINVAL;
}

int ff_in_cidr(const char *ip, const char *cidr)
{
	char net[64];
	const char *slash = strchr(cidr, '/');
	size_t n = slash ? (size_t)(slash - cidr) : strlen(cidr);
	uint8_t a[16], b[16];
	int va, vb;
	if (n >= sizeof(net))
		return -EINVAL;
	memcpy(net, cidr, n);
	net[n] = 0;
	if (parse_ip(ip, a, &va) || parse_ip(net, b, &vb))
		return -EINVAL;
	long bits = vb ? 128 : 32;
	if (slash) {
		char *end;
		bits = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end || bits < 0 || bits > (vb ? 128 : 32))
			return -EINVAL;
	}
	if (va != vb) {
		/* an IPv4-mapped IPv6 address against an IPv4 network */
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		if (va && !vb && !memcmp(a, mapped, 12))
			memmove(a, a + 12, 4);
		else
			return 0;
	}
	for (long i = 0; i < bits; i++) {
		uint8_t m = (uint8_t)(0x80 >> (i % 8));
		if ((a[i / 8] & m) != (b[i / 8] & m))
			return 0;
	}
	return 1;
}

int ff_ts_format(int64_t ts, int local, char *out, size_t cap)
{
	struct tm tm;
	time_t sec = (time_t)(ts >= 0 ? ts / 1000000000 : (ts - 999999999) / 1000000000);
	long ns = (long)(ts - (int64_t)sec * 1000000000);
	char zone[8] = "Z";
	if (local) {
		if (!localtime_r(&sec, &tm))
			return -EINVAL;
		strftime(zone, sizeof(zone), "%z", &tm);
	} else if (!gmtime_r(&sec, &tm)) {
		return -EINVAL;
	}
	int n = snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%09ld%s", tm.tm_year + 1900,
	                 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ns, zone);
	return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
}

/* Whether `name` (n bytes) is a parameter of some version of event `type` in
 * direction `dir` ('E' or 'X'). */
static int is_param(const char *type, char dir, const char *name, size_t n)
{
	for (unsigned t = 0; t < FF_EVENT_MAX; t++) {
		const struct ff_event_info *in = &ff_event_table[t];
		if (!in->name || in->dir != dir || strcmp(in->name, type))
			continue;
		for (unsigned i = 0; i < in->nparams; i++)
			if (!strncmp(in->params[i].name, name, n) && !in->params[i].name[n])
				return 1;
	}
	return 0;
}

int ff_info_params(const char *type, const char *dir, const char *info, struct ff_sbuf *out)
{
	char d = dir && dir[0] == '<' ? 'X' : 'E';
	const char *p = info, *end = info + strlen(info);
	int rc = ff_sbuf_put(out, "{", 1), first = 1;
	/* "name=value " repeated: a value runs to the next " name=" whose name is
	 * one of the event's parameters (values may hold spaces and '=') */
	while (p < end) {
		const char *eq = strchr(p, '=');
		if (!eq)
			break;
		const char *v = eq + 1, *q = v, *stop = end;
		while ((q = strchr(q, ' ')) != NULL) {
			const char *e2 = q + 1;
			size_t n = strcspn(e2, "= ");
			if (e2[n] == '=' && n && is_param(type, d, e2, n)) {
				stop = q;
				break;
			}
			if (!e2[0]) { /* the trailing space */
				stop = q;
				break;
			}
			q = e2;
		}
		if (!first)
			rc |= ff_sbuf_put(out, ",", 1);
		first = 0;
		rc |= ff_json_put_string(out, p, (size_t)(eq - p));
		rc |= ff_sbuf_put(out, ":", 1);
		rc |= ff_json_put_string(out, v, (size_t)(stop - v));
		p = stop < end ? stop + 1 : end;
	}
	rc |= ff_sbuf_put(out, "}", 1);
	return rc ? -ENOMEM : 0;
}

static void fn_info_params(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	const char *type = (const char *)sqlite3_value_text(v[0]);
	const char *dir = (const char *)sqlite3_value_text(v[1]);
	const char *info = (const char *)sqlite3_value_text(v[2]);
	struct ff_sbuf b = { 0 };
	if (!type || !info) {
		sqlite3_result_null(c);
		return;
	}
	if (ff_info_params(type, dir, info, &b))
		sqlite3_result_error_nomem(c);
	else
		sqlite3_result_text(c, b.p, (int)b.len, SQLITE_TRANSIENT);
	ff_sbuf_free(&b);
}

static void fn_path_match(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	const char *s = (const char *)sqlite3_value_text(v[0]);
	const char *p = (const char *)sqlite3_value_text(v[1]);
	if (!s || !p)
		sqlite3_result_null(c);
	else
		sqlite3_result_int(c, ff_path_match(s, p));
}

static void fn_in_cidr(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	const char *ip = (const char *)sqlite3_value_text(v[0]);
	const char *net = (const char *)sqlite3_value_text(v[1]);
	if (!ip || !net) {
		sqlite3_result_null(c);
		return;
	}
	int rc = ff_in_cidr(ip, net);
	if (rc == -EINVAL && ff_in_cidr("0.0.0.0", net) == -EINVAL &&
	    ff_in_cidr("::", net) == -EINVAL)
		sqlite3_result_error(c, "in_cidr: malformed network (want ADDR/BITS)", -1);
	else
		sqlite3_result_int(c, rc == 1); /* a non-address (unix socket, NULL) is outside */
}

static void fn_ts_format(sqlite3_context *c, int argc, sqlite3_value **v)
{
	char buf[64];
	if (sqlite3_value_type(v[0]) == SQLITE_NULL) {
		sqlite3_result_null(c);
		return;
	}
	int local = argc > 1 && sqlite3_value_text(v[1]) &&
	            !strcmp((const char *)sqlite3_value_text(v[1]), "local");
	if (ff_ts_format(sqlite3_value_int64(v[0]), local, buf, sizeof(buf)))
		sqlite3_result_null(c);
	else
		sqlite3_result_text(c, buf, -1, SQLITE_TRANSIENT);
}

static void fn_errno_name(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	const char *n = sqlite3_value_type(v[0]) == SQLITE_NULL
	                    ? NULL
	                    : ff_render_errno_name(sqlite3_value_int64(v[0]));
	if (n)
		sqlite3_result_text(c, n, -1, SQLITE_STATIC);
	else
		sqlite3_result_null(c);
}

int ff_sqlfn_register(struct sqlite3 *db)
{
	const int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC;
	int rc = sqlite3_create_function(db, "path_match", 2, f, NULL, fn_path_match, NULL, NULL);
	rc |= sqlite3_create_function(db, "in_cidr", 2, f, NULL, fn_in_cidr, NULL, NULL);
	rc |= sqlite3_create_function(db, "ts_format", 1, f, NULL, fn_ts_format, NULL, NULL);
	rc |= sqlite3_create_function(db, "ts_format", 2, SQLITE_UTF8, NULL, fn_ts_format, NULL,
	                              NULL);
	rc |= sqlite3_create_function(db, "info_params", 3, f, NULL, fn_info_params, NULL, NULL);
	rc |= sqlite3_create_function(db, "errno_name", 1, f, NULL, fn_errno_name, NULL, NULL);
	return rc == SQLITE_OK ? 0 : -EIO;
}
