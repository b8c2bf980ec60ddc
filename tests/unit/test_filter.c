/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Filter language tests against a mock field provider.  Expected verdicts
 * come from docs/rules-language.md (§6-§10) and libs semantics, not from the
 * implementation.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ff_filter.h"
#include "mock_fields.h"

static ff_fields *fields;

static int setup(void **state)
{
	(void)state;
	struct ff_err err = { 0 };
	fields = ff_fields_new();
	assert_non_null(fields);
	assert_int_equal(ff_fields_add(fields, mock_defs, mock_ndefs, &err), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ff_fields_free(fields);
	return 0;
}

/* ---- a tiny macro/list table for the resolver ---- */
struct macro {
	const char *name, *text;
};
struct list {
	const char *name;
	const char *items[4];
	size_t n;
};
static const struct macro test_macros[] = {
	{ "is_cat", "proc.name = cat" },
	{ "is_shell", "proc.name in (bash, sh)" },
	{ "loop1", "proc.name = x or loop2" },
	{ "loop2", "(loop1)" },
	{ "bad", "proc.nam = 1" },
	{ "ph", NULL },
	{ "open_ev", "evt.type in (open, openat)" },
};
static const struct list test_lists[] = { { "shells", { "bash", "zsh" }, 2 } };

static int resolve(void *user, const char *name, size_t len, struct ff_ident *out)
{
	(void)user;
	for (size_t i = 0; i < sizeof(test_macros) / sizeof(test_macros[0]); i++)
		if (strlen(test_macros[i].name) == len &&
		    memcmp(test_macros[i].name, name, len) == 0) {
			out->kind = FF_IDENT_MACRO;
			out->text = test_macros[i].text;
			out->text_len = out->text ? strlen(out->text) : 0;
			return 0;
		}
	for (size_t i = 0; i < sizeof(test_lists) / sizeof(test_lists[0]); i++)
		if (strlen(test_lists[i].name) == len &&
		    memcmp(test_lists[i].name, name, len) == 0) {
			out->kind = FF_IDENT_LIST;
			out->items = test_lists[i].items;
			out->nitems = test_lists[i].n;
			return 0;
		}
	return 0;
}

static int compile(const char *s, ff_filter **f, struct ff_err *err, struct ff_filter_pos *pos,
                   ff_fcache *cache)
{
	struct ff_filter_opts o = {
		.sz = sizeof(o), .fields = fields, .cache = cache, .resolve = resolve, .errpos = pos
	};
	return ff_filter_compile(s, strlen(s), &o, f, err);
}

/* Compile `s` and evaluate it on `e`; compile failures fail the test. */
static int verdict(const char *s, struct mock_evt *e)
{
	static uint64_t gen = 1;
	ff_filter *f;
	struct ff_err err = { 0 };
	int rc = compile(s, &f, &err, NULL, NULL);
	if (rc)
		fail_msg("compile '%s': %s", s, err.msg);
	rc = ff_filter_eval(f, e, gen++);
	ff_filter_free(f);
	return rc;
}

struct vcase {
	const char *filter;
	int expect; /* 1 match, 0 no match, <0 evaluation error */
};

static void run_vcases(const struct vcase *c, size_t n, struct mock_evt *e)
{
	for (size_t i = 0; i < n; i++) {
		int got = verdict(c[i].filter, e);
		if (got != c[i].expect)
			fail_msg("'%s': expected %d, got %d", c[i].filter, c[i].expect, got);
	}
}

#define RUN(cases, ev) run_vcases(cases, sizeof(cases) / sizeof(cases[0]), ev)

static void test_strings(void **state)
{
	(void)state;
	struct mock_evt e;
	mock_default_event(&e);
	static const struct vcase c1[] = {
		{ "proc.name = cat", 1 },     { "proc.name == cat", 1 },
		{ "proc.name=cat", 1 },       { "proc.name = Cat", 0 },
		{ "proc.name != cat", 0 },    { "proc.name != bash", 1 },
		{ "proc.name = \"cat\"", 1 }, { "proc.name = 'cat'", 1 },
		{ "proc.name = ca", 0 },      { "proc.name > 5", 1 }, /* byte order: 'c' > '5' */
		{ "proc.name < 5", 0 },
	};
	RUN(c1, &e);
	static const struct vcase c2[] = {
		{ "proc.cmdline contains shadow", 1 },
		{ "proc.cmdline contains \"/etc/sh\"", 1 },
		{ "proc.cmdline contains SHADOW", 0 },
		{ "proc.cmdline icontains SHADOW", 1 },
		{ "proc.cmdline icontains \"CAT /ETC\"", 1 },
		{ "proc.cmdline icontains \"CAT  /ETC\"", 0 },
		{ "proc.cmdline contains \"\"", 1 },
		{ "fd.name startswith /etc", 1 },
		{ "fd.name startswith /etc/", 1 },
		{ "fd.name startswith /etc/shadowx", 0 },
		{ "fd.name endswith shadow", 1 },
		{ "fd.name endswith shado", 0 },
		{ "fd.name glob \"/etc/*\"", 1 },
		{ "fd.name glob /etc/*", 1 },
		{ "fd.name glob \"/e?c/sha[a-d]ow\"", 1 },
		{ "fd.name glob \"/etc/[!s]*\"", 0 },
		{ "fd.name glob \"/etc/[^t]*\"", 1 },
		{ "fd.name glob *shadow", 1 },
		{ "fd.name glob /*", 1 }, /* '*' crosses '/' */
		{ "fd.name glob /etc", 0 },
		{ "fd.name glob \"/ETC/*\"", 0 },
		{ "fd.name iglob \"/ETC/*\"", 1 },
		{ "fd.name iglob \"/ETC/SHADO[V-X]\"", 1 },
		{ "fd.name glob \"/etc/\\\\*\"", 0 }, /* escaped star is literal */
		{ "fd.name pmatch (/etc)", 1 },
		{ "fd.name pmatch (/et)", 0 },
		{ "fd.name pmatch (/usr, /etc/shadow)", 1 },
		{ "fd.name pmatch (/etc/shadow/x)", 0 },
		{ "fd.name pmatch (/*/shadow)", 1 },
		{ "fd.name pmatch (/etc/shad*)", 1 },
		{ "fd.name pmatch (etc)", 1 }, /* libs: only components count */
		{ "fd.name pmatch (/etc//)", 1 },
		{ "proc.cwd pmatch (/root)", 1 },
		{ "proc.name in (bash, cat, \"sh\")", 1 },
		{ "proc.name in (bash,sh)", 0 },
		{ "proc.name in ()", 0 },
		{ "proc.name in cat", 1 }, /* identifier form: one-element list */
		{ "proc.name in(cat)", 1 },
		{ "proc.name intersects (cat)", 1 },
		{ "proc.name in (a, b, c, d, e, f, g, h, cat, i, j, k)", 1 },
		{ "proc.name in (a, b, c, d, e, f, g, h, ca, i, j, cats)", 0 },
		{ "proc.cmdline regex \"cat .*\"", 1 },
		{ "proc.cmdline regex cat", 0 }, /* regex matches the whole value */
		{ "proc.name regex \"c[a-z]t\"", 1 },
		{ "proc.name regex \"c|cat\"", 1 },
		{ "proc.name = oneof (cat, dog)", 1 },
		{ "proc.name = oneof (cat, cat)", 0 },
		{ "proc.name = anyof (dog, cat)", 1 },
		{ "proc.name = anyof (dog)", 0 },
		{ "proc.name = allof (cat, cat)", 1 },
		{ "proc.name = allof ()", 0 },
		{ "proc.name != allof (dog, bird)", 1 },
		{ "proc.cmdline contains allof (cat, shadow)", 1 },
		{ "proc.cmdline contains allof (cat, passwd)", 0 },
		{ "proc.cmdline startswith anyof (x, ca)", 1 },
		{ "proc.name == oneof", 0 }, /* not a modifier: the text "oneof" */
		{ "proc.name = oneof and proc.name = cat", 0 },
		{ "proc.exe = val(proc.name)", 1 },
		{ "proc.name = val(proc.pname)", 0 },
		{ "proc.name != val(proc.pname)", 1 },
		{ "proc.name = val(proc.pexe)", 0 }, /* right side missing */
		{ "proc.name\t=\ncat", 1 },
		{ "proc.name = cat\r\n", 1 },
	};
	RUN(c2, &e);
}

static void test_numbers_bools_bytes(void **state)
{
	(void)state;
	struct mock_evt e;
	mock_default_event(&e);
	static const struct vcase c[] = {
		{ "evt.num = 42", 1 },
		{ "evt.num = +42", 1 },
		{ "evt.num > 41", 1 },
		{ "evt.num>41", 1 },
		{ "evt.num >= 43", 0 },
		{ "evt.num <= 42", 1 },
		{ "evt.num < 42", 0 },
		{ "evt.num != 42", 0 },
		{ "evt.num in (1, 2, 42)", 1 },
		{ "evt.num in (1,2)", 0 },
		{ "evt.num intersects (42)", 1 },
		{ "evt.num = 042", 1 },
		{ "evt.num > -1", 0 }, /* -1 wraps to the largest unsigned */
		{ "evt.rawres < 0", 1 },
		{ "evt.rawres = -2", 1 },
		{ "evt.rawres > -3", 1 },
		{ "evt.rawres in (-2, 5)", 1 },
		{ "evt.rawres in (5, 2)", 0 },
		{ "proc.pid != 1234", 0 },
		{ "user.uid = 0", 1 },
		{ "proc.tty != 0", 1 },
		{ "proc.duration > 1000000000", 1 },
		{ "fd.num = 3", 1 },
		{ "evt.is_open_read = true", 1 },
		{ "evt.is_open_read = false", 0 },
		{ "evt.is_open_read != false", 1 },
		{ "evt.is_open_write = false", 1 },
		{ "evt.is_open_read in (true)", 1 },
		{ "evt.is_open_read=true and not evt.is_open_write=true", 1 },
		{ "evt.buffer contains GET", 1 },
		{ "evt.buffer bcontains 0001ff", 1 },
		{ "evt.buffer bcontains 0001FF", 1 },
		{ "evt.buffer bcontains 0002", 0 },
		{ "evt.buffer bstartswith 474554", 1 },
		{ "evt.buffer bstartswith 4554", 0 },
		{ "evt.buffer startswith \"GET /\"", 1 },
		{ "evt.buffer endswith \"\\x01\\xff\"", 1 },
		{ "evt.buffer = x", 0 },
	};
	RUN(c, &e);
}

static void test_ip_ports_lists(void **state)
{
	(void)state;
	struct mock_evt e;
	mock_default_event(&e);
	static const struct vcase c[] = {
		{ "fd.sip = 192.168.0.10", 1 },
		{ "fd.sip = \"192.168.0.10\"", 1 },
		{ "fd.sip != 192.168.0.10", 0 },
		{ "fd.sip = 192.168.0.11", 0 },
		{ "fd.sip = ::1", 0 }, /* other family */
		{ "fd.sip != ::1", 1 },
		{ "fd.sip in (1.2.3.4, 192.168.0.10)", 1 },
		{ "fd.sip = oneof (1.2.3.4, 192.168.0.10)", 1 },
		{ "fd.ip = 10.1.2.3", 1 },     /* client side */
		{ "fd.ip = 192.168.0.10", 1 }, /* server side */
		{ "fd.ip != 10.1.2.3", 0 },    /* != only when neither side is equal */
		{ "fd.ip != 1.1.1.1", 1 },
		{ "fd.ip in (8.8.8.8, 10.1.2.3)", 1 },
		{ "fd.net = 10.0.0.0/8", 1 },
		{ "fd.net = 172.16.0.0/12", 0 },
		{ "fd.net != 172.16.0.0/12", 1 },
		{ "fd.snet in (10.0.0.0/8, 192.168.0.0/16)", 1 },
		{ "fd.snet = 192.168.0.0/24", 1 },
		{ "fd.snet = 192.168.0.8/29", 1 },
		{ "fd.snet = 192.168.0.0/29", 0 },
		{ "fd.snet = 192.168.1.0/24", 0 },
		{ "fd.snet = 0.0.0.0/0", 1 },
		{ "fd.snet = 2001:db8::/32", 0 },
		{ "fd.sport = 22", 1 },
		{ "fd.port = 22", 1 },
		{ "fd.port = 43210", 1 },
		{ "fd.port > 40000", 1 },
		{ "fd.port != 22", 0 },
		{ "fd.port != 80", 1 },
		{ "fd.types in (file, ipv4, ipv6)", 1 }, /* every element in the set */
		{ "fd.types in (file)", 0 },
		{ "fd.types intersects (ipv4, unix)", 1 },
		{ "fd.types intersects (unix)", 0 },
		{ "fd.types exists", 1 },
		{ "proc.aname[0] = cat", 1 },
		{ "proc.aname[1] = bash", 1 },
		{ "proc.aname[2] = sshd", 1 },
		{ "proc.aname[3] = systemd", 1 },
		{ "proc.aname[4] = systemd", 0 },
		{ "proc.aname = sshd", 1 },  /* any ancestor */
		{ "proc.aname = cat", 0 },   /* the process itself is not an ancestor */
		{ "proc.aname != bash", 1 }, /* some ancestor differs */
		{ "proc.aname in (sshd, foo)", 1 },
		{ "proc.aname startswith sys", 1 },
		{ "not proc.aname[7] exists", 1 },
		{ "evt.arg.name = /etc/shadow", 1 },
		{ "evt.arg[1] = /etc/shadow", 1 },
		{ "evt.arg[0] = 3", 1 },
		{ "evt.arg.flags contains O_RDONLY", 1 },
		{ "evt.arg.mode exists", 0 },
		{ "evt.arg[5] exists", 0 },
		{ "proc.env[HOME] = /root", 1 },
		{ "proc.env[\"HOME\"] = /root", 1 },
		{ "proc.env[PATH] exists", 0 },
		{ "proc.env contains HOME", 1 },
	};
	RUN(c, &e);
	struct servent *se = getservbyname("http", "tcp");
	if (se) {
		e.v[M_FD_SPORT].u = 80;
		assert_int_equal(verdict("fd.sport = http", &e), 1);
	}
}

static void test_missing_and_errors(void **state)
{
	(void)state;
	struct mock_evt e;
	mock_default_event(&e);
	static const struct vcase c[] = {
		/* proc.pexe has no value: every check is false, only `not` flips it */
		{ "proc.pexe = x", 0 },
		{ "proc.pexe != x", 0 },
		{ "proc.pexe exists", 0 },
		{ "proc.pexe in (a)", 0 },
		{ "proc.pexe contains x", 0 },
		{ "not proc.pexe = x", 1 },
		{ "not proc.pexe exists", 1 },
		{ "proc.name exists", 1 },
		{ "fd.ts exists", -EIO }, /* extractor failure propagates */
		{ "fd.ts exists or proc.name = cat", -EIO },
		{ "proc.name = cat or fd.ts exists", 1 }, /* short-circuit */
		{ "proc.name = dog and fd.ts exists", 0 },
		{ "not fd.ts exists", -EIO },
	};
	RUN(c, &e);
}

static void test_precedence(void **state)
{
	(void)state;
	struct mock_evt e;
	mock_default_event(&e);
	static const struct vcase c[] = {
		/* and binds tighter than or; left-to-right would give 0 */
		{ "proc.name = cat or proc.name = bash and evt.num = 1", 1 },
		/* not binds tightest: (not F) or (F and F) = 1 vs ((not F) or F) and F = 0 */
		{ "not proc.name = bash or proc.name = bash and evt.num = 1", 1 },
		/* not applies to one check: (not T) and F = 0 vs not(T and F) = 1 */
		{ "not proc.name = cat and proc.name = bash", 0 },
		{ "not proc.name = cat or proc.name = cat", 1 },
		{ "not not proc.name = cat", 1 },
		{ "not not not proc.name = cat", 0 },
		{ "not(proc.name = cat)", 0 },
		{ "not not(proc.name = cat)", 1 },
		{ "not (proc.name = cat or proc.name = bash)", 0 },
		{ "(proc.name = cat)", 1 },
		{ "((((proc.name=cat))))", 1 },
		{ "(proc.name = bash or proc.name = cat) and evt.num = 42", 1 },
		{ "proc.name=bash or(proc.name=cat)", 1 },
		{ "proc.name=cat and(proc.name=cat or proc.name=x)", 1 },
		{ "proc.name = bash or (proc.name = cat) and evt.num = 1", 0 },
		{ "is_cat and not is_shell", 1 },
		{ "not is_cat", 0 },
		{ "is_shell or is_cat and evt.num = 1", 0 },
		{ "proc.pname in shells", 1 },
		{ "proc.name in shells", 0 },
		{ "proc.name = cat or ph", 1 },
		{ "ph", -ENOENT },
	};
	RUN(c, &e);
}

static void test_escapes(void **state)
{
	(void)state;
	struct mock_evt e;
	mock_default_event(&e);
	mock_set_str(&e, M_PROC_ARGS, "a \"b\" \\c 'd'\ttab/\n");
	static const struct vcase c[] = {
		{ "proc.args = \"a \\\"b\\\" \\\\c 'd'\\ttab\\/\\n\"", 1 },
		{ "proc.args = 'a \"b\" \\\\c \\'d\\'\\ttab/\\n'", 1 },
		{ "proc.args contains \"\\ \"", 1 }, /* "\ " is a backslash */
		{ "proc.args contains \\", 1 },      /* bare: no escapes */
		{ "proc.args contains \"\\x5c\"", 1 },
		{ "proc.name = \"c\\x61t\"", 1 },
		{ "proc.name = \"\\x63\\x61\\x74\"", 1 },
		{ "proc.name = \"ca\\t\"", 0 },
		{ "proc.args contains \"\\b\"", 0 },
		{ "proc.args contains \"\\r\"", 0 },
		{ "proc.args contains \"\\f\"", 0 },
	};
	RUN(c, &e);
}

struct ecase {
	const char *filter;
	const char *msg;
	int code;
};

static void test_error_messages(void **state)
{
	(void)state;
	static const struct ecase c[] = {
		{ "proc.nam = x", "column 1: unknown field 'proc.nam'", -ENOENT },
		{ "proc.name = cat and proc.nme = x", "column 21: unknown field 'proc.nme'",
		  -ENOENT },
		{ "evt.num contains 3",
		  "column 9: 'contains' operator not supported for field 'evt.num' (uint64)",
		  -EINVAL },
		{ "evt.num = abc",
		  "column 11: 'abc' is not a valid number for field 'evt.num' (uint64)", -EINVAL },
		{ "evt.num = 0x10",
		  "column 11: '0x10' is not a valid number for field 'evt.num' (uint64)", -EINVAL },
		{ "evt.num < 0x10",
		  "column 11: '0x10' is not a valid number for field 'evt.num' (uint64)", -EINVAL },
		{ "evt.rawres = 1.5",
		  "column 14: '1.5' is not a valid number for field 'evt.rawres' (int64)",
		  -EINVAL },
		{ "evt.rawres = 99999999999999999999",
		  "column 14: '99999999999999999999' is not a valid number for field 'evt.rawres' "
		  "(int64)",
		  -EINVAL },
		{ "evt.num in (1, x)",
		  "column 16: 'x' is not a valid number for field 'evt.num' (uint64)", -EINVAL },
		{ "proc.name = \"abc", "column 13: unterminated quoted string", -EINVAL },
		{ "proc.name = 'abc\\'", "column 13: unterminated quoted string", -EINVAL },
		{ "(proc.name = a", "column 15: expected a ')' token, found end of input",
		  -EINVAL },
		{ "((proc.name = a) or (proc.name = b)",
		  "column 36: expected a ')' token, found end of input", -EINVAL },
		{ "proc.name = a)", "column 14: unexpected token ')', expecting 'or', 'and'",
		  -EINVAL },
		{ "proc.name = a b", "column 15: unexpected token 'b', expecting 'or', 'and'",
		  -EINVAL },
		{ "proc.name =", "column 12: missing value after '='", -EINVAL },
		{ "proc.name = )", "column 13: missing value after '=', found ')'", -EINVAL },
		{ "proc.name in", "column 13: missing value after 'in'", -EINVAL },
		{ "proc.name in \"x\"",
		  "column 14: expected a list or an identifier after 'in', found '\"'", -EINVAL },
		{ "proc.name in (a b)", "column 17: expected ',' or ')' in list, found 'b'",
		  -EINVAL },
		{ "proc.name in (a,)", "column 17: expected a list value, found ')'", -EINVAL },
		{ "evt.type = foo", "column 12: unknown event type 'foo'", -ENOENT },
		{ "evt.type in (open, nosuchevent)", "column 20: unknown event type 'nosuchevent'",
		  -ENOENT },
		{ "fd.net = 10.0.0.0", "column 10: unrecognized IP network '10.0.0.0'", -EINVAL },
		{ "fd.snet = 10.0.0.0/33", "column 11: unrecognized IP network '10.0.0.0/33'",
		  -EINVAL },
		{ "fd.sip = 1.2.3.4.5", "column 10: unrecognized IP address '1.2.3.4.5'", -EINVAL },
		{ "fd.sip = 10.0.0.0/8", "column 10: unrecognized IP address '10.0.0.0/8'",
		  -EINVAL },
		{ "fd.sip contains 1",
		  "column 8: 'contains' operator not supported for field 'fd.sip' (ipaddr)",
		  -EINVAL },
		{ "fd.sip > 1", "column 8: '>' operator not supported for field 'fd.sip' (ipaddr)",
		  -EINVAL },
		{ "fd.sip startswith oneof (1.2.3.4)",
		  "column 8: 'startswith' operator not supported for field 'fd.sip' (ipaddr)",
		  -EINVAL },
		{ "evt.is_open_read = yes", "column 20: unrecognized boolean value 'yes'",
		  -EINVAL },
		{ "evt.is_open_read contains t",
		  "column 18: 'contains' operator not supported for field 'evt.is_open_read' "
		  "(bool)",
		  -EINVAL },
		{ "proc.name bcontains 00",
		  "column 11: 'bcontains' operator not supported for field 'proc.name' (string)",
		  -EINVAL },
		{ "evt.buffer glob x",
		  "column 12: 'glob' operator not supported for field 'evt.buffer' (bytes)",
		  -EINVAL },
		{ "evt.buffer bcontains 0g", "column 22: '0g' is not a hex string", -EINVAL },
		{ "evt.buffer bcontains abc",
		  "column 22: 'bcontains' needs an even-length hex string, got 'abc'", -EINVAL },
		{ "fd.types = file",
		  "column 10: '=' operator not supported for field 'fd.types' (list of string)",
		  -EINVAL },
		{ "evt.num pmatch (1)",
		  "column 9: 'pmatch' operator not supported for field 'evt.num' (uint64)",
		  -EINVAL },
		{ "proc.name < abc", "column 13: expected a number after '<', found 'abc'",
		  -EINVAL },
		{ "proc.name foo bar",
		  "column 11: expected a valid check operator: one of '=', '==', '!=', '<', '<=', "
		  "'>', "
		  "'>=', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', "
		  "'endswith', "
		  "'glob', 'iglob', 'regex', 'in', 'intersects', 'pmatch', 'exists'; found 'foo'",
		  -EINVAL },
		{ "proc.name",
		  "column 10: expected a valid check operator: one of '=', '==', '!=', '<', "
		  "'<=', '>', '>=', 'contains', 'icontains', 'bcontains', 'startswith', "
		  "'bstartswith', 'endswith', 'glob', 'iglob', 'regex', 'in', 'intersects', "
		  "'pmatch', 'exists'; found end of input",
		  -EINVAL },
		{ "", "column 1: filter input string is empty", -EINVAL },
		{ "   ", "column 4: filter input string is empty", -EINVAL },
		{ "proc.name = cat and", "column 17: expected blank or '(' after 'and'", -EINVAL },
		{ "proc.name = cat andx", "column 17: expected blank or '(' after 'and'", -EINVAL },
		{ "proc.name = cat and ",
		  "column 21: expected a '(' token, a field check, or an identifier, found end of "
		  "input",
		  -EINVAL },
		{ "proc.name = x or", "column 15: expected blank or '(' after 'or'", -EINVAL },
		{ "= cat",
		  "column 1: expected a '(' token, a field check, or an identifier, found '='",
		  -EINVAL },
		{ "proc.name = a or(proc.name = b) and proc.name = c",
		  "column 33: unexpected token 'and', expecting 'or', 'and'", -EINVAL },
		{ "proc.name = \"a\\qb\"", "column 15: unsupported string escape sequence '\\q'",
		  -EINVAL },
		{ "proc.name = \"a\\'b\"", "column 15: unsupported string escape sequence '\\''",
		  -EINVAL },
		{ "proc.name = 'a\\\"b'", "column 15: unsupported string escape sequence '\\\"'",
		  -EINVAL },
		{ "proc.name = \"a\\x4\"",
		  "column 15: invalid '\\x' escape: exactly two hex digits expected", -EINVAL },
		{ "proc.name = \"a\\x4g\"",
		  "column 15: invalid '\\x' escape: exactly two hex digits expected", -EINVAL },
		{ "proc.name = \"a\\x00b\"", "column 13: filter value cannot contain a NUL byte",
		  -EINVAL },
		{ "proc.name[1] = x", "column 1: field 'proc.name' does not take an argument",
		  -EINVAL },
		{ "proc.aname[x] = y",
		  "column 1: field 'proc.aname' needs a numeric index, got 'x'", -EINVAL },
		{ "evt.arg = x", "column 1: field 'evt.arg' requires an argument", -EINVAL },
		{ "evt.arg.nosuch = x", "column 1: unknown event argument 'nosuch'", -ENOENT },
		{ "evt.arg.name[1] = x", "column 13: field 'evt.arg.name' already has an argument",
		  -EINVAL },
		{ "proc.aname[1 = x", "column 13: expected a ']' token", -EINVAL },
		{ "proc.aname[] = x",
		  "column 12: expected a valid field argument: a quoted string or a bare string",
		  -EINVAL },
		{ "proc.env[\"HOME] = x", "column 10: unterminated quoted string", -EINVAL },
		{ "foo", "column 1: unknown field or undefined macro 'foo'", -ENOENT },
		{ "proc.name = cat and foo", "column 21: unknown field or undefined macro 'foo'",
		  -ENOENT },
		{ "tolower(proc.name) = x",
		  "column 1: field transformer 'tolower' is not supported", -ENOTSUP },
		{ "proc.name = tolower(proc.pname)",
		  "column 13: field transformer 'tolower' is not supported", -ENOTSUP },
		{ "val(proc.name) = x",
		  "column 1: val() may only appear on the right of a comparison", -EINVAL },
		{ "proc.exe = val(proc.aname)",
		  "column 12: field 'proc.aname' cannot be used in val()", -EINVAL },
		{ "proc.name = val(evt.num)",
		  "column 13: field 'proc.name' (string) cannot be compared with 'evt.num' "
		  "(uint64)",
		  -EINVAL },
		{ "proc.name = val(proc.pname", "column 27: expected a ')' token", -EINVAL },
		{ "proc.name regex val(proc.pname)", "column 11: 'regex' cannot compare with val()",
		  -EINVAL },
		{ "proc.name = cat and\n  proc.nam = x",
		  "line 2, column 3: unknown field 'proc.nam'", -ENOENT },
		{ "proc.name = x or bad",
		  "column 18: in macro 'bad': column 1: unknown field 'proc.nam'", -ENOENT },
		{ "loop1",
		  "column 1: in macro 'loop1': column 18: in macro 'loop2': column 2: reference "
		  "loop in "
		  "macro 'loop1'",
		  -ELOOP },
	};
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ff_filter *f = (ff_filter *)1;
		struct ff_err err = { 0 };
		int rc = compile(c[i].filter, &f, &err, NULL, NULL);
		assert_null(f);
		if (rc != c[i].code || strcmp(err.msg, c[i].msg) != 0)
			fail_msg("'%s':\n  expected %d \"%s\"\n  got      %d \"%s\"", c[i].filter,
			         c[i].code, c[i].msg, rc, err.msg);
	}
}

static void test_error_positions_and_limits(void **state)
{
	(void)state;
	struct ff_err err = { 0 };
	struct ff_filter_pos pos = { 0 };
	ff_filter *f;

	assert_int_equal(compile("proc.name = x or bad", &f, &err, &pos, NULL), -ENOENT);
	assert_int_equal(pos.offset, 17);
	assert_int_equal(pos.line, 1);
	assert_int_equal(pos.col, 18);
	assert_int_equal(compile("proc.name = cat and\n  proc.nam = x", &f, &err, &pos, NULL),
	                 -ENOENT);
	assert_int_equal(pos.offset, 22);
	assert_int_equal(pos.line, 2);
	assert_int_equal(pos.col, 3);

	/* invalid regex: the message comes from regerror(), check the prefix */
	assert_int_equal(compile("proc.name regex \"a(\"", &f, &err, NULL, NULL), -EINVAL);
	assert_true(strncmp(err.msg, "column 17: invalid regular expression: ", 39) == 0);

	/* nesting: 999 levels compile, deeper input is refused, not crashed on */
	size_t depth = 100000;
	char *s = malloc(2 * depth + 32);
	assert_non_null(s);
	for (size_t lv = 999; lv <= depth; lv = lv == 999 ? 1000 : depth) {
		size_t k = 0;
		for (size_t i = 0; i < lv; i++)
			s[k++] = '(';
		k += (size_t)snprintf(s + k, 32, "proc.name=cat");
		for (size_t i = 0; i < lv; i++)
			s[k++] = ')';
		s[k] = '\0';
		int rc = compile(s, &f, &err, NULL, NULL);
		if (lv == 999) {
			assert_int_equal(rc, 0);
			struct mock_evt e;
			mock_default_event(&e);
			assert_int_equal(ff_filter_eval(f, &e, 1), 1);
			ff_filter_free(f);
		} else {
			assert_int_equal(rc, -E2BIG);
			assert_string_equal(err.msg,
			                    "column 1000: exceeded max depth limit of 1000");
		}
		if (lv == depth)
			break;
	}
	/* 100000 `not`s and a 100000-term chain need no recursion */
	size_t k = 0;
	char *big = malloc(8 * depth + 64);
	assert_non_null(big);
	for (size_t i = 0; i < depth; i++)
		k += (size_t)snprintf(big + k, 8, "not ");
	k += (size_t)snprintf(big + k, 32, "proc.name=cat");
	assert_int_equal(compile(big, &f, &err, NULL, NULL), 0);
	ff_filter_free(f);
	k = 0;
	for (size_t i = 0; i < depth / 2; i++)
		k += (size_t)snprintf(big + k, 16, "%sevt.num=1", i ? " or " : "");
	k += (size_t)snprintf(big + k, 32, " or proc.name=cat");
	assert_int_equal(compile(big, &f, &err, NULL, NULL), 0);
	struct mock_evt e;
	mock_default_event(&e);
	assert_int_equal(ff_filter_eval(f, &e, 1), 1);
	ff_filter_free(f);
	/* a 1 MB quoted value */
	size_t vl = 1 << 20;
	char *lv = malloc(vl + 64);
	assert_non_null(lv);
	k = (size_t)snprintf(lv, 64, "proc.name = \"");
	memset(lv + k, 'a', vl);
	k += vl;
	memcpy(lv + k, "\"", 2);
	assert_int_equal(compile(lv, &f, &err, NULL, NULL), 0);
	assert_int_equal(ff_filter_eval(f, &e, 2), 0);
	ff_filter_free(f);
	/* a macro with a custom, smaller depth limit */
	struct ff_filter_opts o = { .sz = sizeof(o), .fields = fields, .max_depth = 3 };
	assert_int_equal(ff_filter_compile("((proc.name=cat))", 17, &o, &f, &err), 0);
	ff_filter_free(f);
	assert_int_equal(ff_filter_compile("(((proc.name=cat)))", 19, &o, &f, &err), -E2BIG);
	/* text need not be NUL-terminated: only `len` bytes are read */
	assert_int_equal(ff_filter_compile("proc.name=cat)))", 13, &o, &f, &err), 0);
	ff_filter_free(f);
	free(lv);
	free(big);
	free(s);
}

static void test_cache(void **state)
{
	(void)state;
	struct mock_evt e;
	struct ff_err err = { 0 };
	ff_filter *f1, *f2;
	ff_fcache *cache = ff_fcache_new();
	mock_default_event(&e);
	assert_int_equal(
	    compile("proc.name = a or proc.name = b or proc.name = cat", &f1, &err, NULL, cache),
	    0);
	assert_int_equal(compile("proc.name = cat and proc.pname = bash", &f2, &err, NULL, cache),
	                 0);
	assert_int_equal(ff_filter_eval(f1, &e, 7), 1);
	assert_int_equal(e.extracted[M_PROC_NAME], 1);
	assert_int_equal(ff_filter_eval(f2, &e, 7), 1);
	assert_int_equal(e.extracted[M_PROC_NAME], 1); /* shared across filters */
	assert_int_equal(e.extracted[M_PROC_PNAME], 1);
	assert_int_equal(ff_filter_eval(f1, &e, 8), 1); /* a new event extracts again */
	assert_int_equal(e.extracted[M_PROC_NAME], 2);
	ff_filter_free(f1);
	ff_filter_free(f2);
	ff_fcache_free(cache);

	/* short-circuit: the right side of a decided or/and is never extracted */
	memset(e.extracted, 0, sizeof(e.extracted));
	assert_int_equal(verdict("proc.name = cat or proc.pname = x", &e), 1);
	assert_int_equal(verdict("proc.name = dog and proc.pname = x", &e), 0);
	assert_int_equal(e.extracted[M_PROC_PNAME], 0);
	/* same field with different arguments are different slots */
	memset(e.extracted, 0, sizeof(e.extracted));
	assert_int_equal(verdict("proc.aname[1] = bash and proc.aname[2] = sshd", &e), 1);
	assert_int_equal(e.extracted[M_PROC_ANAME], 2);
}

/* Event-type set as sorted, de-duplicated names (or "ALL"/"NONE"). */
static void evtnames(const ff_filter *f, char *out, size_t sz)
{
	uint8_t set[FF_EVTSET_BYTES];
	size_t n = ff_filter_evttypes(f, set);
	out[0] = '\0';
	if (n == FF_EVENT_MAX) {
		snprintf(out, sz, "ALL");
		return;
	}
	if (n == 0) {
		snprintf(out, sz, "NONE");
		return;
	}
	const char *names[FF_EVENT_MAX];
	size_t m = 0;
	for (unsigned i = 0; i < FF_EVENT_MAX; i++)
		if (set[i / 8] & (1u << (i % 8)))
			names[m++] = ff_event_table[i].name;
	/* insertion sort: at most a few hundred names */
	for (size_t i = 1; i < m; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	size_t k = 0;
	for (size_t i = 0; i < m; i++) {
		if (i && strcmp(names[i], names[i - 1]) == 0)
			continue;
		k += (size_t)snprintf(out + k, sz - k, "%s%s", k ? "," : "", names[i]);
		if (k >= sz)
			break;
	}
}

/* Number of event ids that carry `name`. */
static size_t ids_named(const char *name)
{
	size_t n = 0;
	for (unsigned i = 0; i < FF_EVENT_MAX; i++)
		n += strcmp(ff_event_table[i].name, name) == 0;
	return n;
}

static void test_evttypes(void **state)
{
	(void)state;
	static const struct {
		const char *filter, *names;
	} c[] = {
		{ "evt.type = open", "open" },
		{ "evt.type == open", "open" },
		{ "evt.type in (open, openat)", "open,openat" },
		{ "evt.type = open or evt.type = close", "close,open" },
		{ "evt.type = open and proc.name = cat", "open" },
		{ "proc.name = cat and evt.type in (execve, execveat)", "execve,execveat" },
		{ "proc.name = cat", "ALL" },
		{ "not proc.name = cat", "ALL" }, /* neutral leaves stay neutral */
		{ "not (evt.type = open and proc.name = cat)", "ALL" },
		{ "evt.type in (open, openat) and not evt.type = open", "openat" },
		{ "evt.type in (open, openat) and evt.type != open", "openat" },
		{ "evt.type = execve and evt.type = open", "NONE" },
		{ "evt.type = open or proc.name = cat", "ALL" },
		{ "evt.num = 0", "NONE" },
		{ "evt.num < 1", "NONE" },
		{ "evt.num in (0, 0)", "NONE" },
		{ "not evt.num = 0", "ALL" },
		{ "evt.num > 5", "ALL" },
		{ "not evt.num > 5", "ALL" },
		{ "evt.type = open and evt.num = 0", "NONE" },
		{ "evt.type = open or evt.num = 0", "open" },
		{ "evt.type = open and not evt.num != 0", "NONE" },
		{ "evt.type exists", "ALL" },
		{ "not evt.type exists", "NONE" },
		{ "evt.type startswith open", "ALL" },
		{ "evt.type = getpid", "syscall" }, /* no dedicated event: the generic pair */
		{ "open_ev and proc.name = cat", "open,openat" },
		{ "not not open_ev", "open,openat" },
		{ "ph and evt.type = connect", "connect" },
		{ "not (not evt.type = open or not evt.type = openat)", "NONE" },
		{ "not (not evt.type in (open, openat) or not evt.type = openat)", "openat" },
	};
	char got[4096];
	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		ff_filter *f;
		struct ff_err err = { 0 };
		if (compile(c[i].filter, &f, &err, NULL, NULL))
			fail_msg("compile '%s': %s", c[i].filter, err.msg);
		evtnames(f, got, sizeof(got));
		if (strcmp(got, c[i].names) != 0)
			fail_msg("'%s': expected {%s}, got {%s}", c[i].filter, c[i].names, got);
		ff_filter_free(f);
	}
	/* complements count ids, not names: both directions, all versions */
	ff_filter *f;
	struct ff_err err = { 0 };
	uint8_t set[FF_EVTSET_BYTES];
	assert_int_equal(compile("evt.type != open", &f, &err, NULL, NULL), 0);
	assert_true(ids_named("open") >= 2);
	assert_int_equal(ff_filter_evttypes(f, set), FF_EVENT_MAX - ids_named("open"));
	ff_filter_free(f);
}

static void test_provider(void **state)
{
	(void)state;
	struct ff_err err = { 0 };
	const char *a = NULL;
	size_t al = 0;
	const struct ff_field_def *d = ff_fields_lookup(fields, "evt.arg.flags", 13, &a, &al);
	assert_non_null(d);
	assert_string_equal(d->name, "evt.arg");
	assert_int_equal(al, 5);
	assert_memory_equal(a, "flags", 5);
	assert_null(ff_fields_lookup(fields, "evt.arg.", 8, &a, &al));
	assert_null(ff_fields_lookup(fields, "proc.name.x", 11, &a, &al));
	d = ff_fields_lookup(fields, "fd.sip.name", 11, &a, &al);
	assert_non_null(d);
	assert_string_equal(d->name, "fd.sip.name");
	assert_int_equal(ff_fields_add(fields, mock_defs, 1, &err), -EEXIST);
	assert_string_equal(err.msg, "field 'evt.type' is defined twice");
	assert_ptr_equal(ff_fields_at(fields, 0), &mock_defs[0]);
	assert_null(ff_fields_at(fields, mock_ndefs));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_provider),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_numbers_bools_bytes),
		cmocka_unit_test(test_ip_ports_lists),
		cmocka_unit_test(test_missing_and_errors),
		cmocka_unit_test(test_precedence),
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_error_positions_and_limits),
		cmocka_unit_test(test_cache),
		cmocka_unit_test(test_evttypes),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
