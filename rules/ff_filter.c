/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Parser and compiler of the condition language (docs/rules-language.md §6-§8,
 * §10).  A recursive-descent parser reads the text at a cursor and compiles
 * every check as soon as it is read, so type errors carry the position of
 * the offending token.  All memory of a filter lives in one arena freed with
 * the filter.  Recursion is bounded by opts.max_depth.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_filter.h"
#include "ff_filter_int.h"

#define DEFAULT_MAX_DEPTH 1000

/* ---------------------------------------------------------------- arena */

struct ff_arena_chunk {
	struct ff_arena_chunk *next;
	size_t used, cap;
	_Alignas(16) unsigned char data[];
};

static void *arena_alloc(struct ff_filter *f, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	struct ff_arena_chunk *c = f->arena;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 8192 ? n : 8192;
		c = malloc(sizeof(*c) + cap);
		if (!c)
			return NULL;
		c->next = f->arena;
		c->used = 0;
		c->cap = cap;
		f->arena = c;
	}
	void *p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

/* --------------------------------------------------------------- parser */

struct mframe {
	const char *name;
	size_t len;
	const struct mframe *up;
};

struct parser {
	const char *s;
	size_t n, i;
	struct ff_filter *f;
	const struct ff_filter_opts *o;
	struct ff_err *err;
	unsigned *depth, max_depth;
	const struct mframe *macros; /* macros being expanded, innermost first */
	size_t err_off;              /* where the error is, in this text */
};

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\b' || c == '\r' || c == '\n';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alnum_(char c)
{
	return is_alpha(c) || is_digit(c) || c == '_';
}

static char at(const struct parser *p, size_t i)
{
	return i < p->n ? p->s[i] : '\0';
}

static void skip_blanks(struct parser *p)
{
	while (p->i < p->n && is_blank(p->s[p->i]))
		p->i++;
}

static bool starts(const struct parser *p, size_t i, const char *w)
{
	size_t l = strlen(w);
	return i <= p->n && p->n - i >= l && memcmp(p->s + i, w, l) == 0;
}

/* Identifier `[a-zA-Z]+[a-zA-Z0-9_]*` at i: its length or 0. */
static size_t ident_len(const struct parser *p, size_t i)
{
	size_t j = i;
	if (!is_alpha(at(p, j)))
		return 0;
	while (j < p->n && is_alnum_(p->s[j]))
		j++;
	return j - i;
}

/* Field name: identifiers joined by dots, at least one dot. */
static size_t fieldname_len(const struct parser *p, size_t i)
{
	size_t j = i + ident_len(p, i), dots = 0;
	if (j == i)
		return 0;
	while (at(p, j) == '.' && is_alpha(at(p, j + 1))) {
		j += 1 + ident_len(p, j + 1);
		dots++;
	}
	return dots ? j - i : 0;
}

static bool is_barestr_char(char c)
{
	return !(c == '(' || c == ')' || c == '"' || c == '\'' || c == '=' || c == ',' ||
	         is_blank(c));
}

/* Describe the token at `off` for an error message. */
static void token_at(const struct parser *p, size_t off, char *buf, size_t sz)
{
	if (off >= p->n) {
		snprintf(buf, sz, "end of input");
		return;
	}
	size_t j = off, k = 0;
	char c = p->s[off];
	if (c == '(' || c == ')' || c == ',' || c == '=' || c == '"' || c == '\'' || c == '[' ||
	    c == ']') {
		j = off + 1;
	} else {
		while (j < p->n && !is_blank(p->s[j]) && p->s[j] != '(' && p->s[j] != ')' &&
		       p->s[j] != ',' && j - off < 32)
			j++;
	}
	buf[k++] = '\'';
	for (size_t x = off; x < j && k + 5 < sz; x++)
		buf[k++] = isprint((unsigned char)p->s[x]) ? p->s[x] : '?';
	if (j < p->n && j - off >= 32 && !is_blank(p->s[j]) && k + 5 < sz) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k++] = '\'';
	buf[k] = '\0';
}

static void where(const struct parser *p, size_t off, unsigned *line, unsigned *col)
{
	unsigned l = 1;
	size_t bol = 0;
	for (size_t i = 0; i < off && i < p->n; i++)
		if (p->s[i] == '\n') {
			l++;
			bol = i + 1;
		}
	*line = l;
	*col = (unsigned)(off - bol + 1);
}

static int perr(struct parser *p, size_t off, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int perr(struct parser *p, size_t off, int code, const char *fmt, ...)
{
	char msg[FF_ERR_MSG_MAX];
	unsigned line, col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(p, off, &line, &col);
	p->err_off = off;
	if (memchr(p->s, '\n', p->n))
		return ff_errf(p->err, code, "line %u, column %u: %s", line, col, msg);
	return ff_errf(p->err, code, "column %u: %s", col, msg);
}

static int nomem(struct parser *p)
{
	return perr(p, p->i, -ENOMEM, "out of memory");
}

static struct ff_fnode *new_node(struct parser *p, int kind)
{
	struct ff_fnode *n = arena_alloc(p->f, sizeof(*n));
	if (n)
		n->kind = (uint8_t)kind;
	return n;
}

/* Copy of [s, s+n) into the arena, NUL-terminated. */
static char *adup(struct parser *p, const char *s, size_t n)
{
	char *d = arena_alloc(p->f, n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

static int hexval(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A quoted string at p->i (on the quote): decoded into the arena. */
static int lex_quoted(struct parser *p, const char **out, size_t *olen)
{
	size_t start = p->i;
	char q = p->s[p->i++];
	size_t end = p->i;
	/* find the closing quote first: it bounds the decoded size */
	while (end < p->n && p->s[end] != q)
		end += (p->s[end] == '\\' && end + 1 < p->n) ? 2 : 1;
	if (end >= p->n)
		return perr(p, start, -EINVAL, "unterminated quoted string");
	char *d = arena_alloc(p->f, end - p->i + 1);
	if (!d)
		return nomem(p);
	size_t k = 0;
	while (p->i < end) {
		char c = p->s[p->i];
		if (c != '\\') {
			d[k++] = c;
			p->i++;
			continue;
		}
		char e = p->s[p->i + 1];
		switch (e) {
		case 'b':
			d[k++] = '\b';
			break;
		case 'f':
			d[k++] = '\f';
			break;
		case 'n':
			d[k++] = '\n';
			break;
		case 'r':
			d[k++] = '\r';
			break;
		case 't':
			d[k++] = '\t';
			break;
		case '\\':
		case '/':
			d[k++] = e;
			break;
		case ' ':
			d[k++] = '\\'; /* historic quirk, upstream relies on it */
			break;
		case '"':
		case '\'':
			if (e != q)
				return perr(p, p->i, -EINVAL,
				            "unsupported string escape sequence '\\%c'", e);
			d[k++] = e;
			break;
		case 'x': {
			int h = hexval(at(p, p->i + 2)), l = hexval(at(p, p->i + 3));
			if (h < 0 || l < 0 || p->i + 3 >= end)
				return perr(
				    p, p->i, -EINVAL,
				    "invalid '\\x' escape: exactly two hex digits expected");
			d[k++] = (char)(h * 16 + l);
			p->i += 2;
			break;
		}
		default:
			return perr(p, p->i, -EINVAL, "unsupported string escape sequence '\\%c'",
			            isprint((unsigned char)e) ? e : '?');
		}
		p->i += 2;
	}
	d[k] = '\0';
	p->i = end + 1;
	*out = d;
	*olen = k;
	return 0;
}

/* ------------------------------------------------------------ operators */

static const struct {
	const char *text;
	uint8_t op;
	uint8_t kind; /* 0 unary, 1 numeric, 2 string, 3 list */
	bool word;    /* needs a following blank */
} ops[] = {
	/* tried in this order: longest/most specific first */
	{ "exists", FOP_EXISTS, 0, false },
	{ "<=", FOP_LE, 1, false },
	{ "<", FOP_LT, 1, false },
	{ ">=", FOP_GE, 1, false },
	{ ">", FOP_GT, 1, false },
	{ "==", FOP_EQ, 2, false },
	{ "=", FOP_EQ, 2, false },
	{ "!=", FOP_NE, 2, false },
	{ "glob", FOP_GLOB, 2, true },
	{ "iglob", FOP_IGLOB, 2, true },
	{ "contains", FOP_CONTAINS, 2, true },
	{ "icontains", FOP_ICONTAINS, 2, true },
	{ "bcontains", FOP_BCONTAINS, 2, true },
	{ "startswith", FOP_STARTSWITH, 2, true },
	{ "bstartswith", FOP_BSTARTSWITH, 2, true },
	{ "endswith", FOP_ENDSWITH, 2, true },
	{ "regex", FOP_REGEX, 2, true },
	{ "intersects", FOP_INTERSECTS, 3, false },
	{ "in", FOP_IN, 3, false },
	{ "pmatch", FOP_PMATCH, 3, false },
};

static const char *op_name(int op)
{
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].op == op)
			return op == FOP_EQ ? "=" : ops[i].text;
	return "?";
}

static const char *const transformers[] = { "tolower", "toupper", "b64",    "basename",
	                                    "len",     "join",    "concat", "getopt" };

static bool is_transformer_at(const struct parser *p, size_t i, size_t *nl)
{
	size_t l = ident_len(p, i);
	if (!l || at(p, i + l) != '(')
		return false;
	for (size_t k = 0; k < sizeof(transformers) / sizeof(transformers[0]); k++)
		if (strlen(transformers[k]) == l && memcmp(p->s + i, transformers[k], l) == 0) {
			*nl = l;
			return true;
		}
	return false;
}

/* Operators each value class accepts (§8.4). */
static bool op_allowed(enum ff_tclass tc, bool list, int op)
{
	if (op == FOP_EXISTS || op == FOP_IN || op == FOP_INTERSECTS)
		return true;
	if (list)
		return false;
	switch (tc) {
	case FF_TC_INT:
	case FF_TC_UINT:
		return op <= FOP_GE;
	case FF_TC_BOOL:
	case FF_TC_IP:
		return op == FOP_EQ || op == FOP_NE;
	case FF_TC_STR:
		return op != FOP_BCONTAINS && op != FOP_BSTARTSWITH;
	case FF_TC_BYTES:
		return op == FOP_EQ || op == FOP_NE || op == FOP_CONTAINS || op == FOP_STARTSWITH ||
		       op == FOP_ENDSWITH || op == FOP_BCONTAINS || op == FOP_BSTARTSWITH;
	default:
		return false;
	}
}

static const char *type_name(enum ff_type t)
{
	static const char *const names[FF_T_MAX] = {
		[FF_T_STRING] = "string",   [FF_T_PATH] = "path",       [FF_T_BYTES] = "bytes",
		[FF_T_INT64] = "int64",     [FF_T_FD] = "fd",           [FF_T_PID] = "pid",
		[FF_T_ERRNO] = "errno",     [FF_T_UINT64] = "uint64",   [FF_T_UID] = "uid",
		[FF_T_PORT] = "port",       [FF_T_MODE] = "mode",       [FF_T_FLAGS] = "flags",
		[FF_T_ABSTIME] = "abstime", [FF_T_RELTIME] = "reltime", [FF_T_BOOL] = "bool",
		[FF_T_IPADDR] = "ipaddr",   [FF_T_IPNET] = "ipnet",
	};
	return (t > 0 && t < FF_T_MAX && names[t]) ? names[t] : "none";
}

/* ------------------------------------------------------- event types */

/* Mark in `set` (may be NULL) every event id called `name`; a syscall with no
 * dedicated event maps to the generic events.  Returns how many ids. */
static size_t evtname_ids(const char *name, size_t len, uint8_t *set)
{
	size_t n = 0;
	for (unsigned i = 0; i < FF_EVENT_MAX; i++) {
		const char *en = ff_event_table[i].name;
		if (en && strlen(en) == len && memcmp(en, name, len) == 0) {
			if (set)
				set[i / 8] |= (uint8_t)(1u << (i % 8));
			n++;
		}
	}
	if (n)
		return n;
	for (unsigned i = 0; i < FF_SYSCALL_NR_MAX; i++) {
		const char *sn = ff_syscalls_x86_64[i].name;
		if (sn && strlen(sn) == len && memcmp(sn, name, len) == 0 &&
		    ff_syscalls_x86_64[i].enter_2026 >= 0) {
			unsigned e = (unsigned)ff_syscalls_x86_64[i].enter_2026; /* 0 = generic */
			if (set) {
				set[e / 8] |= (uint8_t)(1u << (e % 8));
				set[(e + 1) / 8] |= (uint8_t)(1u << ((e + 1) % 8));
			}
			return 2;
		}
	}
	return 0;
}

/* --------------------------------------------------------- value compile */

static int add_regex(struct parser *p, struct ff_cval *cv, size_t off)
{
#ifdef REG_STARTEND
	struct ff_filter *f = p->f;
	size_t len = cv->v.s.len;
	char *pat = malloc(len + 5);
	regex_t *re = calloc(1, sizeof(*re));
	if (!pat || !re) {
		free(pat);
		free(re);
		return nomem(p);
	}
	/* the whole value must match (RE2 FullMatch semantics) */
	pat[0] = '^';
	pat[1] = '(';
	memcpy(pat + 2, cv->v.s.p, len);
	memcpy(pat + 2 + len, ")$", 3);
	int rc = regcomp(re, pat, REG_EXTENDED | REG_NOSUB);
	free(pat);
	if (rc) {
		char eb[128];
		regerror(rc, re, eb, sizeof(eb));
		free(re);
		return perr(p, off, -EINVAL, "invalid regular expression: %s", eb);
	}
	if (f->nregs == f->capregs) {
		size_t cap = f->capregs ? f->capregs * 2 : 8;
		regex_t **r = realloc(f->regs, cap * sizeof(*r));
		if (!r) {
			regfree(re);
			free(re);
			return nomem(p);
		}
		f->regs = r;
		f->capregs = cap;
	}
	f->regs[f->nregs++] = re;
	cv->re = re;
	return 0;
#else
	(void)cv;
	return perr(p, off, -ENOTSUP, "'regex' is not supported on this platform");
#endif
}

static int parse_ip(const char *t, size_t len, bool net, struct ff_ip *ip)
{
	char buf[64];
	const char *slash = memchr(t, '/', len);
	size_t alen = slash ? (size_t)(slash - t) : len;
	if (alen >= sizeof(buf) || (net && !slash) || (!net && slash))
		return -1;
	memcpy(buf, t, alen);
	buf[alen] = '\0';
	memset(ip, 0, sizeof(*ip));
	bool v4 = memchr(buf, '.', alen) != NULL;
	ip->family = v4 ? 4 : 6;
	ip->bits = v4 ? 32 : 128;
	if (inet_pton(v4 ? AF_INET : AF_INET6, buf, ip->a) != 1)
		return -1;
	if (slash) {
		size_t bl = len - alen - 1;
		unsigned bits = 0;
		if (bl == 0 || bl > 3)
			return -1;
		for (size_t i = 0; i < bl; i++) {
			if (!is_digit(slash[1 + i]))
				return -1;
			bits = bits * 10 + (unsigned)(slash[1 + i] - '0');
		}
		if (bits > ip->bits)
			return -1;
		ip->bits = (uint8_t)bits;
	}
	return 0;
}

/* Convert value text (NUL-terminated, in the arena) to the left field's type. */
static int conv_value(struct parser *p, const struct ff_check *c, const char *t, size_t len,
                      size_t off, struct ff_cval *cv)
{
	enum ff_type ty = c->def->type;
	char tok[64];

	if (ty != FF_T_BYTES && memchr(t, '\0', len))
		return perr(p, off, -EINVAL, "filter value cannot contain a NUL byte");
	snprintf(tok, sizeof(tok), "%.*s%s", (int)(len > 40 ? 40 : len), t, len > 40 ? "..." : "");
	switch (ff_type_class(ty)) {
	case FF_TC_STR:
		cv->v.s.p = t;
		cv->v.s.len = len;
		if (c->op == FOP_ICONTAINS || c->op == FOP_IGLOB) {
			char *l = adup(p, t, len);
			if (!l)
				return nomem(p);
			for (size_t i = 0; i < len; i++)
				l[i] = (char)tolower((unsigned char)l[i]);
			cv->lower = l;
		}
		if (c->op == FOP_REGEX)
			return add_regex(p, cv, off);
		if ((c->def->flags & FF_FIELD_EVTTYPE) && !c->has_arg &&
		    (c->op == FOP_EQ || c->op == FOP_NE || c->op == FOP_IN ||
		     c->op == FOP_INTERSECTS) &&
		    evtname_ids(t, len, NULL) == 0)
			return perr(p, off, -ENOENT, "unknown event type '%s'", tok);
		return 0;
	case FF_TC_BYTES:
		if (c->op == FOP_BCONTAINS || c->op == FOP_BSTARTSWITH) {
			if (len % 2)
				return perr(p, off, -EINVAL,
				            "'%s' needs an even-length hex string, got '%s'",
				            op_name(c->op), tok);
			char *d = arena_alloc(p->f, len / 2 + 1);
			if (!d)
				return nomem(p);
			for (size_t i = 0; i < len; i += 2) {
				int h = hexval(t[i]), l = hexval(t[i + 1]);
				if (h < 0 || l < 0)
					return perr(p, off, -EINVAL, "'%s' is not a hex string",
					            tok);
				d[i / 2] = (char)(h * 16 + l);
			}
			t = d;
			len /= 2;
		}
		cv->v.s.p = t;
		cv->v.s.len = len;
		return 0;
	case FF_TC_INT: {
		const char *s = t;
		if (*s == '+' || *s == '-')
			s++;
		if (!*s)
			goto badnum;
		for (const char *q = s; *q; q++)
			if (!is_digit(*q))
				goto badnum;
		errno = 0;
		char *end;
		long long v = strtoll(t, &end, 10);
		if (errno || *end)
			goto badnum;
		cv->v.i = v;
		return 0;
	}
	case FF_TC_UINT: {
		const char *s = t;
		if (*s == '+' || *s == '-')
			s++;
		bool digits = *s != '\0';
		for (const char *q = s; *q; q++)
			if (!is_digit(*q))
				digits = false;
		if (!digits) {
			if (ty == FF_T_PORT && len) {
				/* a service name: fd.sport = ssh */
				struct servent *se = getservbyname(t, NULL);
				if (se) {
					cv->v.u = ntohs((uint16_t)se->s_port);
					return 0;
				}
			}
			goto badnum;
		}
		errno = 0;
		char *end;
		unsigned long long v = strtoull(t, &end, 10); /* "-1" wraps, as scanf does */
		if (errno || *end)
			goto badnum;
		cv->v.u = v;
		return 0;
	}
	case FF_TC_BOOL:
		if (len == 4 && memcmp(t, "true", 4) == 0)
			cv->v.b = true;
		else if (len == 5 && memcmp(t, "false", 5) == 0)
			cv->v.b = false;
		else
			return perr(p, off, -EINVAL, "unrecognized boolean value '%s'", tok);
		return 0;
	case FF_TC_IP:
		if (parse_ip(t, len, ty == FF_T_IPNET, &cv->v.ip))
			return perr(p, off, -EINVAL, "unrecognized IP %s '%s'",
			            ty == FF_T_IPNET ? "network" : "address", tok);
		return 0;
	default:
		return perr(p, off, -EINVAL, "field '%s' has no comparable type", c->def->name);
	}
badnum:
	return perr(p, off, -EINVAL, "'%s' is not a valid number for field '%s' (%s)", tok,
	            c->def->name, type_name(ty));
}

/* ----------------------------------------------------------------- grammar */

static int parse_or(struct parser *p, struct ff_fnode **out);

/* Field reference at p->i (known to be a field name): def, argument, slot. */
static int parse_field_ref(struct parser *p, const struct ff_field_def **defp, uint32_t *slot,
                           bool *has_arg)
{
	size_t foff = p->i, flen = fieldname_len(p, p->i);
	const char *darg = NULL;
	size_t dlen = 0;
	const struct ff_field_def *def =
	    ff_fields_lookup(p->o->fields, p->s + foff, flen, &darg, &dlen);
	if (!def)
		return perr(p, foff, -ENOENT, "unknown field '%.*s'", (int)flen, p->s + foff);
	p->i += flen;

	struct ff_field_arg arg = { 0 };
	bool bracket = false;
	if (darg) {
		arg.present = true;
		arg.len = dlen;
		if (!(arg.str = adup(p, darg, dlen)))
			return nomem(p);
	}
	if (at(p, p->i) == '[') {
		size_t aoff = p->i;
		if (darg)
			return perr(p, aoff, -EINVAL, "field '%.*s' already has an argument",
			            (int)flen, p->s + foff);
		p->i++;
		if (at(p, p->i) == '"' || at(p, p->i) == '\'') {
			int rc = lex_quoted(p, &arg.str, &arg.len);
			if (rc)
				return rc;
		} else {
			size_t b = p->i;
			while (p->i < p->n && p->s[p->i] != '[' && p->s[p->i] != ']' &&
			       p->s[p->i] != '"' && p->s[p->i] != '\'' && !is_blank(p->s[p->i]))
				p->i++;
			if (p->i == b)
				return perr(p, p->i, -EINVAL,
				            "expected a valid field argument: a quoted string or a "
				            "bare string");
			arg.len = p->i - b;
			if (!(arg.str = adup(p, p->s + b, arg.len)))
				return nomem(p);
		}
		if (at(p, p->i) != ']')
			return perr(p, p->i, -EINVAL, "expected a ']' token");
		p->i++;
		arg.present = true;
		bracket = true;
	}
	if (arg.present) {
		bool digits = arg.len > 0 && arg.len <= 18;
		for (size_t k = 0; k < arg.len && digits; k++)
			digits = is_digit(arg.str[k]);
		if (digits) {
			arg.is_index = true;
			arg.idx = strtoll(arg.str, NULL, 10);
		}
		if (bracket && !(def->flags & (FF_FIELD_ARG_INDEX | FF_FIELD_ARG_KEY)))
			return perr(p, foff, -EINVAL, "field '%s' does not take an argument",
			            def->name);
		if (bracket && !(def->flags & FF_FIELD_ARG_KEY) && !arg.is_index)
			return perr(p, foff, -EINVAL,
			            "field '%s' needs a numeric index, got '%.*s'", def->name,
			            (int)(arg.len > 40 ? 40 : arg.len), arg.str);
	} else if (def->flags & FF_FIELD_ARG_REQUIRED) {
		return perr(p, foff, -EINVAL, "field '%s' requires an argument", def->name);
	}
	if (def->check_arg) {
		struct ff_err e2 = { 0 };
		int rc = def->check_arg(def, &arg, &e2);
		if (rc)
			return perr(p, foff, rc < 0 ? rc : -EINVAL, "%s", e2.msg);
	}
	long s = ff_fcache_intern(p->f->cache, def, &arg);
	if (s < 0)
		return nomem(p);
	*defp = def;
	*slot = (uint32_t)s;
	*has_arg = arg.present;
	return 0;
}

/* `val(field)` at p->i. */
static int parse_val(struct parser *p, struct ff_check *c, size_t opoff)
{
	size_t voff = p->i;
	p->i += 4; /* "val(" */
	skip_blanks(p);
	if (!fieldname_len(p, p->i))
		return perr(p, p->i, -EINVAL, "val() needs a field name");
	const struct ff_field_def *rd;
	bool rarg;
	int rc = parse_field_ref(p, &rd, &c->rhs_slot, &rarg);
	if (rc)
		return rc;
	skip_blanks(p);
	if (at(p, p->i) != ')')
		return perr(p, p->i, -EINVAL, "expected a ')' token");
	p->i++;
	bool llist = (c->def->flags & FF_FIELD_LIST) != 0, rlist = (rd->flags & FF_FIELD_LIST) != 0;
	if (rd->flags & FF_FIELD_NO_RHS)
		return perr(p, voff, -EINVAL, "field '%s' cannot be used in val()", rd->name);
	if (c->op == FOP_PMATCH || c->op == FOP_REGEX)
		return perr(p, opoff, -EINVAL, "'%s' cannot compare with val()", op_name(c->op));
	if (c->def->type == FF_T_IPNET || rd->type == FF_T_IPNET ||
	    ff_type_class(rd->type) != ff_type_class(c->def->type) || llist != rlist)
		return perr(p, voff, -EINVAL, "field '%s' (%s) cannot be compared with '%s' (%s)",
		            c->def->name, type_name(c->def->type), rd->name, type_name(rd->type));
	c->rhs_field = true;
	return 0;
}

static bool is_kw(const struct parser *p, size_t i, size_t l)
{
	return (l == 3 && (memcmp(p->s + i, "and", 3) == 0 || memcmp(p->s + i, "not", 3) == 0)) ||
	       (l == 2 && memcmp(p->s + i, "or", 2) == 0);
}

/* `( str, str, ... )` or an identifier (a list name or a single value). */
static int parse_list(struct parser *p, struct ff_check *c)
{
	struct item {
		const char *t;
		size_t len, off;
	} *items = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (at(p, p->i) == '(') {
		p->i++;
		for (;;) {
			skip_blanks(p);
			if (n == 0 && at(p, p->i) == ')')
				break;
			const char *t;
			size_t len, off = p->i;
			if (at(p, p->i) == '"' || at(p, p->i) == '\'') {
				if ((rc = lex_quoted(p, &t, &len)))
					goto out;
			} else {
				size_t b = p->i;
				while (p->i < p->n && is_barestr_char(p->s[p->i]))
					p->i++;
				if (p->i == b) {
					char tk[48];
					token_at(p, p->i, tk, sizeof(tk));
					rc = perr(p, p->i, -EINVAL,
					          "expected a list value, found %s", tk);
					goto out;
				}
				if (!(t = adup(p, p->s + b, p->i - b))) {
					rc = nomem(p);
					goto out;
				}
				len = p->i - b;
			}
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				struct item *ni = realloc(items, cap * sizeof(*ni));
				if (!ni) {
					rc = nomem(p);
					goto out;
				}
				items = ni;
			}
			items[n++] = (struct item){ t, len, off };
			skip_blanks(p);
			if (at(p, p->i) == ',') {
				p->i++;
				continue;
			}
			if (at(p, p->i) == ')')
				break;
			char tk[48];
			token_at(p, p->i, tk, sizeof(tk));
			rc = perr(p, p->i, -EINVAL, "expected ',' or ')' in list, found %s", tk);
			goto out;
		}
		p->i++;
	} else {
		size_t l = ident_len(p, p->i);
		if (!l) {
			char tk[48];
			token_at(p, p->i, tk, sizeof(tk));
			rc = perr(p, p->i, -EINVAL,
			          "expected a list or an identifier after '%s', found %s",
			          op_name(c->op), tk);
			goto out;
		}
		struct ff_ident id = { 0 };
		if (p->o->resolve) {
			rc = p->o->resolve(p->o->resolve_user, p->s + p->i, l, &id);
			if (rc) {
				rc = perr(p, p->i, rc < 0 ? rc : -EINVAL, "resolving '%.*s' failed",
				          (int)l, p->s + p->i);
				goto out;
			}
		}
		if (id.kind == FF_IDENT_LIST) {
			cap = id.nitems ? id.nitems : 1;
			if (!(items = calloc(cap, sizeof(*items)))) {
				rc = nomem(p);
				goto out;
			}
			for (size_t k = 0; k < id.nitems; k++) {
				const char *t = adup(p, id.items[k], strlen(id.items[k]));
				if (!t) {
					rc = nomem(p);
					goto out;
				}
				items[n++] = (struct item){ t, strlen(t), p->i };
			}
		} else {
			/* `in bash` is the one-element list (bash) */
			if (!(items = calloc(1, sizeof(*items)))) {
				rc = nomem(p);
				goto out;
			}
			const char *t = adup(p, p->s + p->i, l);
			if (!t) {
				rc = nomem(p);
				goto out;
			}
			items[n++] = (struct item){ t, l, p->i };
		}
		p->i += l;
	}
	c->vals = arena_alloc(p->f, (n ? n : 1) * sizeof(*c->vals));
	if (!c->vals) {
		rc = nomem(p);
		goto out;
	}
	c->nvals = n;
	for (size_t k = 0; k < n; k++)
		if ((rc = conv_value(p, c, items[k].t, items[k].len, items[k].off, &c->vals[k])))
			goto out;
out:
	free(items);
	return rc;
}

/* Index in ops[] of the operator at the cursor, or SIZE_MAX. */
static size_t lex_op(const struct parser *p)
{
	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++) {
		if (!starts(p, p->i, ops[k].text))
			continue;
		if (ops[k].word && !is_blank(at(p, p->i + strlen(ops[k].text))))
			continue;
		return k;
	}
	return SIZE_MAX;
}

static int parse_condition(struct parser *p, struct ff_check *c)
{
	skip_blanks(p);
	size_t opoff = p->i;
	size_t k = lex_op(p);
	if (k == SIZE_MAX) {
		char tk[48];
		token_at(p, p->i, tk, sizeof(tk));
		return perr(
		    p, p->i, -EINVAL,
		    "expected a valid check operator: one of '=', '==', '!=', '<', '<=', '>', "
		    "'>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', "
		    "'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch', "
		    "'exists'; found %s",
		    tk);
	}
	c->op = ops[k].op;
	p->i += strlen(ops[k].text);
	bool list_field = (c->def->flags & FF_FIELD_LIST) != 0;
	if (!op_allowed((enum ff_tclass)c->tclass, list_field, c->op))
		return perr(p, opoff, -EINVAL, "'%s' operator not supported for field '%s' (%s%s)",
		            ops[k].text, c->def->name, list_field ? "list of " : "",
		            type_name(c->def->type));
	if (c->op == FOP_PMATCH && c->tclass != FF_TC_STR)
		return perr(p, opoff, -EINVAL,
		            "'pmatch' operator not supported for field '%s' (%s)", c->def->name,
		            type_name(c->def->type));
	if (ops[k].kind == 0)
		return 0;

	bool blank_after = is_blank(at(p, p->i));
	skip_blanks(p);
	size_t voff = p->i, tl;
	if (starts(p, p->i, "val("))
		return parse_val(p, c, opoff);
	if (is_transformer_at(p, p->i, &tl))
		return perr(p, p->i, -ENOTSUP, "field transformer '%.*s' is not supported", (int)tl,
		            p->s + p->i);
	if (p->i >= p->n)
		return perr(p, p->i, -EINVAL, "missing value after '%s'", ops[k].text);

	if (ops[k].kind == 3)
		return parse_list(p, c);

	if (ops[k].kind == 2 && blank_after) {
		/* modifier form: OP oneof|anyof|allof (list) */
		static const char *const mods[] = { "oneof", "anyof", "allof" };
		for (unsigned m = 0; m < 3; m++) {
			if (!starts(p, p->i, mods[m]) || !is_blank(at(p, p->i + 5)))
				continue;
			size_t j = p->i + 5;
			while (j < p->n && is_blank(p->s[j]))
				j++;
			size_t il = ident_len(p, j);
			if (!(at(p, j) == '(' || (il && !is_kw(p, j, il))))
				continue;
			if (c->tclass == FF_TC_IP && c->op != FOP_EQ && c->op != FOP_NE)
				return perr(
				    p, opoff, -EINVAL, "'%s %s' not supported for field '%s' (%s)",
				    ops[k].text, mods[m], c->def->name, type_name(c->def->type));
			c->mod = (uint8_t)(FMOD_ONEOF + m);
			p->i = j;
			return parse_list(p, c);
		}
	}

	const char *t;
	size_t len;
	if (ops[k].kind == 1) {
		/* numeric operators take a number token only */
		size_t b = p->i, j = p->i;
		if (starts(p, j, "0x") || starts(p, j, "0X")) {
			j += 2;
			while (hexval(at(p, j)) >= 0)
				j++;
			if (j == b + 2)
				j = b;
		} else {
			if (at(p, j) == '+' || at(p, j) == '-')
				j++;
			size_t d = j;
			while (is_digit(at(p, j)))
				j++;
			if (j == d) {
				j = b;
			} else {
				if (at(p, j) == '.')
					for (j++; is_digit(at(p, j)); j++)
						;
				if ((at(p, j) == 'e' || at(p, j) == 'E') &&
				    (at(p, j + 1) == '+' || at(p, j + 1) == '-') &&
				    is_digit(at(p, j + 2)))
					for (j += 2; is_digit(at(p, j)); j++)
						;
			}
		}
		if (j == b) {
			char tk[48];
			token_at(p, p->i, tk, sizeof(tk));
			return perr(p, p->i, -EINVAL, "expected a number after '%s', found %s",
			            ops[k].text, tk);
		}
		p->i = j;
		len = j - b;
		if (!(t = adup(p, p->s + b, len)))
			return nomem(p);
	} else if (at(p, p->i) == '"' || at(p, p->i) == '\'') {
		int rc = lex_quoted(p, &t, &len);
		if (rc)
			return rc;
	} else {
		size_t b = p->i;
		while (p->i < p->n && is_barestr_char(p->s[p->i]))
			p->i++;
		if (p->i == b) {
			char tk[48];
			token_at(p, p->i, tk, sizeof(tk));
			return perr(p, p->i, -EINVAL, "missing value after '%s', found %s",
			            ops[k].text, tk);
		}
		len = p->i - b;
		if (!(t = adup(p, p->s + b, len)))
			return nomem(p);
	}
	if (!(c->vals = arena_alloc(p->f, sizeof(*c->vals))))
		return nomem(p);
	c->nvals = 1;
	return conv_value(p, c, t, len, voff, &c->vals[0]);
}

static int parse_field_check(struct parser *p, struct ff_fnode **out)
{
	struct ff_fnode *n = new_node(p, FN_CHECK);
	if (!n)
		return nomem(p);
	struct ff_check *c = &n->c;
	bool has_arg;
	int rc = parse_field_ref(p, &c->def, &c->slot, &has_arg);
	if (rc)
		return rc;
	c->has_arg = has_arg;
	c->tclass = (uint8_t)ff_type_class(c->def->type);
	uint32_t fl = c->def->flags;
	if (fl & FF_FIELD_LIST)
		c->multi = FM_LIST;
	else if ((fl & (FF_FIELD_ANY | FF_FIELD_EITHER)) &&
	         !((fl & FF_FIELD_MULTI_NOARG_ONLY) && has_arg))
		c->multi = (fl & FF_FIELD_EITHER) ? FM_EITHER : FM_ANY;
	size_t coff = p->i;
	if ((rc = parse_condition(p, c)))
		return rc;
	if ((fl & FF_FIELD_DNS) &&
	    (c->rhs_field || (c->op != FOP_EQ && c->op != FOP_NE && c->op != FOP_IN)))
		return perr(p, coff, -EINVAL, "%s compares host names only with =, != and in",
		            c->def->name);
	/* sets of plain values are searched by bisection */
	if ((c->op == FOP_IN || c->op == FOP_INTERSECTS) && !c->rhs_field && c->nvals > 1 &&
	    (c->tclass == FF_TC_STR || c->tclass == FF_TC_BYTES || c->tclass == FF_TC_INT ||
	     c->tclass == FF_TC_UINT)) {
		qsort(c->vals, c->nvals, sizeof(c->vals[0]),
		      c->tclass == FF_TC_INT    ? ff_cval_cmp_int
		      : c->tclass == FF_TC_UINT ? ff_cval_cmp_uint
		                                : ff_cval_cmp_str);
		c->sorted = true;
	}
	*out = n;
	return 0;
}

static int parse_top(struct parser *p, struct ff_fnode **out);

static int parse_macro(struct parser *p, size_t l, struct ff_fnode **out)
{
	size_t ioff = p->i;
	const char *name = p->s + ioff;
	struct ff_ident id = { 0 };
	p->i += l;
	if (p->o->resolve) {
		int rc = p->o->resolve(p->o->resolve_user, name, l, &id);
		if (rc)
			return perr(p, ioff, rc < 0 ? rc : -EINVAL, "resolving '%.*s' failed",
			            (int)l, name);
	}
	if (id.kind != FF_IDENT_MACRO)
		return perr(p, ioff, -ENOENT, "unknown field or undefined macro '%.*s'", (int)l,
		            name);
	if (!id.text) {
		if (!(*out = new_node(p, FN_PLACEHOLDER)))
			return nomem(p);
		return 0;
	}
	for (const struct mframe *m = p->macros; m; m = m->up)
		if (m->len == l && memcmp(m->name, name, l) == 0)
			return perr(p, ioff, -ELOOP, "reference loop in macro '%.*s'", (int)l,
			            name);
	struct mframe fr = { name, l, p->macros };
	struct parser sub = { .s = id.text,
		              .n = id.text_len,
		              .f = p->f,
		              .o = p->o,
		              .err = p->err,
		              .depth = p->depth,
		              .max_depth = p->max_depth,
		              .macros = &fr };
	int rc = parse_top(&sub, out);
	if (rc) {
		unsigned line, col;
		where(p, ioff, &line, &col);
		p->err_off = ioff;
		ff_err_prefix(p->err, "column %u: in macro '%.*s': ", col, (int)l, name);
	}
	return rc;
}

static int parse_check(struct parser *p, struct ff_fnode **out)
{
	skip_blanks(p);
	size_t off = p->i, l;
	if (at(p, p->i) == '(') {
		p->i++;
		int rc = parse_or(p, out);
		if (rc)
			return rc;
		skip_blanks(p);
		if (at(p, p->i) != ')') {
			char tk[48];
			token_at(p, p->i, tk, sizeof(tk));
			return perr(p, p->i, -EINVAL, "expected a ')' token, found %s", tk);
		}
		p->i++;
		return 0;
	}
	if (fieldname_len(p, p->i))
		return parse_field_check(p, out);
	if (starts(p, p->i, "val("))
		return perr(p, off, -EINVAL, "val() may only appear on the right of a comparison");
	if (is_transformer_at(p, p->i, &l))
		return perr(p, off, -ENOTSUP, "field transformer '%.*s' is not supported", (int)l,
		            p->s + off);
	if ((l = ident_len(p, p->i)))
		return parse_macro(p, l, out);
	char tk[48];
	token_at(p, p->i, tk, sizeof(tk));
	return perr(p, off, -EINVAL,
	            "expected a '(' token, a field check, or an identifier, found %s", tk);
}

static int parse_not(struct parser *p, struct ff_fnode **out)
{
	unsigned nots = 0;
	int rc;
	for (;;) {
		skip_blanks(p);
		if (starts(p, p->i, "not") && is_blank(at(p, p->i + 3))) {
			p->i += 3;
			nots++;
			continue;
		}
		break;
	}
	if (starts(p, p->i, "not(")) {
		p->i += 3;
		nots++;
	}
	if ((rc = parse_check(p, out)))
		return rc;
	if (nots % 2) {
		struct ff_fnode *n = new_node(p, FN_NOT);
		if (!n)
			return nomem(p);
		n->kids = *out;
		*out = n;
	}
	return 0;
}

/* One and/or chain level: `sub (kw sub)*`, built as one n-ary node. */
static int parse_chain(struct parser *p, const char *kw, int kind,
                       int (*sub)(struct parser *, struct ff_fnode **), struct ff_fnode **out)
{
	struct ff_fnode *first, *last, *n = NULL;
	size_t kl = strlen(kw);
	int rc = sub(p, &first);
	if (rc)
		return rc;
	last = first;
	for (;;) {
		size_t save = p->i;
		skip_blanks(p);
		if (!starts(p, p->i, kw)) {
			p->i = save;
			break;
		}
		size_t kwoff = p->i;
		p->i += kl;
		struct ff_fnode *k;
		if (at(p, p->i) == '(') {
			/* `and(...)`: only a parenthesized expression may follow */
			p->i++;
			if ((rc = parse_or(p, &k)))
				return rc;
			skip_blanks(p);
			if (at(p, p->i) != ')') {
				char tk[48];
				token_at(p, p->i, tk, sizeof(tk));
				return perr(p, p->i, -EINVAL, "expected a ')' token, found %s", tk);
			}
			p->i++;
		} else if (is_blank(at(p, p->i))) {
			if ((rc = sub(p, &k)))
				return rc;
		} else {
			return perr(p, kwoff, -EINVAL, "expected blank or '(' after '%s'", kw);
		}
		if (!n) {
			if (!(n = new_node(p, kind)))
				return nomem(p);
			n->kids = first;
		}
		last->next = k;
		last = k;
	}
	*out = n ? n : first;
	return 0;
}

static int parse_and(struct parser *p, struct ff_fnode **out)
{
	return parse_chain(p, "and", FN_AND, parse_not, out);
}

static int parse_or(struct parser *p, struct ff_fnode **out)
{
	if (++*p->depth > p->max_depth) {
		--*p->depth;
		/* point at the '(' that opened the level too many */
		size_t off = (p->i && p->s[p->i - 1] == '(') ? p->i - 1 : p->i;
		return perr(p, off, -E2BIG, "exceeded max depth limit of %u", p->max_depth);
	}
	int rc = parse_chain(p, "or", FN_OR, parse_and, out);
	--*p->depth;
	return rc;
}

/* A whole text: Or, then end of input. */
static int parse_top(struct parser *p, struct ff_fnode **out)
{
	skip_blanks(p);
	if (p->i >= p->n)
		return perr(p, p->i, -EINVAL, "filter input string is empty");
	int rc = parse_or(p, out);
	if (rc)
		return rc;
	skip_blanks(p);
	if (p->i < p->n) {
		char tk[48];
		token_at(p, p->i, tk, sizeof(tk));
		return perr(p, p->i, -EINVAL, "unexpected token %s, expecting 'or', 'and'", tk);
	}
	return 0;
}

/* ---------------------------------------------------------- event types */

static void set_all(uint8_t *s)
{
	memset(s, 0xff, FF_EVTSET_BYTES);
	if (FF_EVENT_MAX % 8)
		s[FF_EVTSET_BYTES - 1] = (uint8_t)((1u << (FF_EVENT_MAX % 8)) - 1);
}

static void set_not(uint8_t *s)
{
	for (size_t i = 0; i < FF_EVTSET_BYTES; i++)
		s[i] = (uint8_t)~s[i];
	if (FF_EVENT_MAX % 8)
		s[FF_EVTSET_BYTES - 1] &= (uint8_t)((1u << (FF_EVENT_MAX % 8)) - 1);
}

/* Leaf set, before negation.  Returns false for a neutral leaf (all types,
 * not complemented under `not`). */
static bool leaf_set(const struct ff_check *c, uint8_t *s)
{
	memset(s, 0, FF_EVTSET_BYTES);
	uint32_t fl = c->def->flags;
	if (c->has_arg || c->rhs_field || c->mod != FMOD_NONE)
		return false;
	if (fl & FF_FIELD_EVTTYPE) {
		switch (c->op) {
		case FOP_EXISTS:
			set_all(s);
			return true;
		case FOP_EQ:
		case FOP_IN:
		case FOP_INTERSECTS:
		case FOP_NE:
			for (size_t i = 0; i < c->nvals; i++)
				evtname_ids(c->vals[i].v.s.p, c->vals[i].v.s.len, s);
			if (c->op == FOP_NE)
				set_not(s);
			return true;
		default:
			return false;
		}
	}
	if ((fl & FF_FIELD_EVTNUM) && c->tclass == FF_TC_UINT) {
		/* evt.num >= 1 always: some comparisons are constant */
		uint64_t v = c->nvals ? c->vals[0].v.u : 0;
		bool none = false, all = false;
		switch (c->op) {
		case FOP_EQ:
			none = v == 0;
			break;
		case FOP_LT:
			none = v <= 1;
			break;
		case FOP_LE:
			none = v == 0;
			break;
		case FOP_NE:
		case FOP_GT:
			all = v == 0;
			break;
		case FOP_GE:
			all = v <= 1;
			break;
		case FOP_IN:
		case FOP_INTERSECTS:
			none = true;
			for (size_t i = 0; i < c->nvals; i++)
				if (c->vals[i].v.u != 0)
					none = false;
			break;
		case FOP_EXISTS:
			all = true;
			break;
		default:
			break;
		}
		if (all)
			set_all(s);
		return none || all;
	}
	return false;
}

static void evt_analyze(const struct ff_fnode *n, bool neg, uint8_t *out)
{
	uint8_t tmp[FF_EVTSET_BYTES];
	switch (n->kind) {
	case FN_AND:
	case FN_OR: {
		/* and = intersection, or = union; swapped under negation */
		bool inter = (n->kind == FN_AND) != neg;
		bool first = true;
		for (const struct ff_fnode *k = n->kids; k; k = k->next) {
			evt_analyze(k, neg, first ? out : tmp);
			if (!first)
				for (size_t i = 0; i < FF_EVTSET_BYTES; i++)
					out[i] = inter ? (out[i] & tmp[i]) : (out[i] | tmp[i]);
			first = false;
		}
		return;
	}
	case FN_NOT:
		evt_analyze(n->kids, !neg, out);
		return;
	case FN_CHECK:
		if (leaf_set(&n->c, out)) {
			if (neg)
				set_not(out);
			return;
		}
		set_all(out);
		return;
	default:
		set_all(out);
		return;
	}
}

/* ---------------------------------------------------------------- API */

void ff_filter_free(ff_filter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nregs; i++) {
		regfree(f->regs[i]);
		free(f->regs[i]);
	}
	free(f->regs);
	while (f->arena) {
		struct ff_arena_chunk *c = f->arena;
		f->arena = c->next;
		free(c);
	}
	if (f->own_cache)
		ff_fcache_free(f->cache);
	free(f);
}

int ff_filter_compile(const char *text, size_t len, const struct ff_filter_opts *opts,
                      ff_filter **out, struct ff_err *err)
{
	*out = NULL;
	if (!opts || opts->sz < sizeof(struct ff_filter_opts) || !opts->fields || (!text && len))
		return ff_errf(err, -EINVAL, "ff_filter_compile: bad options");
	ff_filter *f = calloc(1, sizeof(*f));
	if (!f)
		return ff_errf(err, -ENOMEM, "out of memory");
	f->cache = opts->cache;
	if (!f->cache) {
		f->cache = ff_fcache_new();
		f->own_cache = true;
		if (!f->cache) {
			free(f);
			return ff_errf(err, -ENOMEM, "out of memory");
		}
	}
	unsigned depth = 0;
	struct parser p = { .s = text ? text : "",
		            .n = len,
		            .f = f,
		            .o = opts,
		            .err = err,
		            .depth = &depth,
		            .max_depth = opts->max_depth ? opts->max_depth : DEFAULT_MAX_DEPTH };
	int rc = parse_top(&p, &f->root);
	if (rc) {
		if (opts->errpos) {
			opts->errpos->offset = p.err_off;
			where(&p, p.err_off, &opts->errpos->line, &opts->errpos->col);
		}
		ff_filter_free(f);
		return rc;
	}
	evt_analyze(f->root, false, f->evtset);
	for (unsigned i = 0; i < FF_EVENT_MAX; i++)
		f->nevt += (f->evtset[i / 8] >> (i % 8)) & 1;
	*out = f;
	return 0;
}

int ff_filter_eval(ff_filter *f, void *ctx, uint64_t gen)
{
	return ff_filter_eval_node(f->root, f->cache, ctx, gen);
}

size_t ff_filter_evttypes(const ff_filter *f, uint8_t set[FF_EVTSET_BYTES])
{
	memcpy(set, f->evtset, FF_EVTSET_BYTES);
	return f->nevt;
}
