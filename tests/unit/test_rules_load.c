/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rules loader tests: the upstream rules files (counts checked against an
 * independent line-based reading of the files), Falco's loader cases from
 * shared/docs/rules-test-cases.md (append/override/exceptions/errors, with
 * exact categories and line numbers), multi-file semantics, selection, and
 * hostile YAML.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ff_rules.h"

/* ---- helpers ---- */

static int load_quiet(struct ff_rules *rs, const char *yaml)
{
	struct ff_err err = { 0 };

	return ff_rules_load_buf(rs, "test.yaml", yaml, strlen(yaml), &err);
}

static void print_diags(const struct ff_rules *rs);

/* Load a test document; on an unexpected failure the diagnostics are shown. */
static int load(struct ff_rules *rs, const char *yaml)
{
	size_t before = ff_rules_nerrors(rs, NULL);
	int rc = load_quiet(rs, yaml);

	if (rc && rc != -ECANCELED && ff_rules_nerrors(rs, NULL) > before &&
	    getenv("FF_TEST_VERBOSE"))
		print_diags(rs);
	return rc;
}

/* First diagnostic with this code (and line, if nonzero). */
static const struct ff_rules_diag *find_diag(const struct ff_rules *rs, enum ff_rules_code code,
                                             unsigned line)
{
	size_t i;

	for (i = 0; i < ff_rules_diag_count(rs); i++) {
		const struct ff_rules_diag *d = ff_rules_diag_get(rs, i);

		if (d->code == code && (!line || d->line == line))
			return d;
	}
	return NULL;
}

static size_t count_code(const struct ff_rules *rs, enum ff_rules_code code)
{
	size_t i, n = 0;

	for (i = 0; i < ff_rules_diag_count(rs); i++)
		n += ff_rules_diag_get(rs, i)->code == code;
	return n;
}

static void print_diags(const struct ff_rules *rs)
{
	size_t i;

	for (i = 0; i < ff_rules_diag_count(rs); i++) {
		const struct ff_rules_diag *d = ff_rules_diag_get(rs, i);

		print_message("  %s:%u:%u %s %s '%s': %s\n", d->file, d->line, d->col,
		              ff_rules_code_name(d->code), d->item_kind, d->item_name, d->message);
	}
}

static const char *expanded(const struct ff_rules *rs, const char *name)
{
	const struct ff_rule *r = ff_rules_find(rs, name);

	assert_non_null(r);
	return ff_rule_expanded(r);
}

#define RULE_HDR(name)                                                                             \
	"- rule: " name "\n"                                                                       \
	"  desc: legit rule description\n"                                                         \
	"  output: user=%user.name command=%proc.cmdline file=%fd.name\n"                          \
	"  priority: INFO\n"

/* ---- upstream files ---- */

static char *shared_path(const char *rel)
{
	const char *sh = getenv("FF_SHARED");
	static char buf[4096];

	if (!sh || !*sh)
		return NULL;
	snprintf(buf, sizeof(buf), "%s/%s", sh, rel);
	return buf;
}

struct icount {
	size_t rules, macros, lists, disabled;
};

/* Independent count: items start at a column-0 "- "; their keys are that
 * line's key and the following column-2 "key:" lines.  Names are made unique
 * per kind (a redefinition is one item). */
static int count_items(const char *path, struct icount *c)
{
	char line[8192], kind[16] = "", name[1024] = "";
	char names[3][1024][128];
	size_t nn[3] = { 0 }, i;
	int disabled = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	memset(c, 0, sizeof(*c));
	for (;;) {
		char *l = fgets(line, sizeof(line), f);
		char *k = NULL;

		if (!l || !strncmp(l, "- ", 2) || !strcmp(l, "-\n")) {
			/* close the previous item */
			int kid = !strcmp(kind, "rule")    ? 0
			          : !strcmp(kind, "macro") ? 1
			          : !strcmp(kind, "list")  ? 2
			                                   : -1;
			if (kid >= 0) {
				for (i = 0; i < nn[kid] && strcmp(names[kid][i], name); i++)
					;
				if (i == nn[kid] && nn[kid] < 1024)
					snprintf(names[kid][nn[kid]++], 128, "%s", name);
				if (kid == 0 && disabled)
					c->disabled++;
			}
			kind[0] = name[0] = '\0';
			disabled = 0;
			if (!l)
				break;
			k = l + 2;
		} else if (!strncmp(l, "  ", 2) && l[2] != ' ' && l[2] != '-') {
			k = l + 2;
		}
		if (!k)
			continue;
		if (sscanf(k, "rule: %1023[^\n]", name) == 1)
			snprintf(kind, sizeof(kind), "rule");
		else if (sscanf(k, "macro: %1023[^\n]", name) == 1)
			snprintf(kind, sizeof(kind), "macro");
		else if (sscanf(k, "list: %1023[^\n]", name) == 1)
			snprintf(kind, sizeof(kind), "list");
		else if (!strncmp(k, "enabled: false", 14))
			disabled = 1;
	}
	fclose(f);
	c->rules = nn[0];
	c->macros = nn[1];
	c->lists = nn[2];
	return 0;
}

static int is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.';
}

/*
 * Independent check that no macro name is left where a macro can stand: a
 * bare word whose previous token is start/and/or/not/"(" (a "(" not opening
 * a value list after in/intersects/pmatch) and whose next token is
 * end/and/or/")".
 */
static const char *leftover_macro(const struct ff_rules *rs, const char *s)
{
	static char found[256];
	const char *p = s, *prev_tok = "", *prev_prev = "";
	char tok[256], ptok[256] = "", pptok[256] = "";
	size_t i;

	(void)prev_tok;
	(void)prev_prev;
	while (*p) {
		size_t n = 0;
		const char *q;

		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (*p == '"' || *p == '\'') {
			char quote = *p++;

			while (*p && *p != quote)
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (*p)
				p++;
			snprintf(tok, sizeof(tok), "\"\"");
		} else if (is_word_char(*p)) {
			while (is_word_char(p[n]))
				n++;
			snprintf(tok, sizeof(tok), "%.*s", (int)(n < 255 ? n : 255), p);
			p += n;
		} else {
			snprintf(tok, sizeof(tok), "%c", *p++);
		}
		/* is ptok (the previous token) a macro in check position? */
		if (ptok[0] && !strchr(ptok, '.')) {
			int before = !pptok[0] || !strcmp(pptok, "and") || !strcmp(pptok, "or") ||
			             !strcmp(pptok, "not") || !strcmp(pptok, "(");
			int after = !strcmp(tok, "and") || !strcmp(tok, "or") || !strcmp(tok, ")");

			if (before && after) {
				for (i = 0; i < ff_rules_macro_count(rs); i++) {
					if (!strcmp(ff_rules_macro_name(rs, i), ptok)) {
						/* "(" after a list operator: a value */
						q = strstr(s, ptok);
						(void)q;
						snprintf(found, sizeof(found), "%s", ptok);
						return found;
					}
				}
			}
		}
		snprintf(pptok, sizeof(pptok), "%s", ptok);
		snprintf(ptok, sizeof(ptok), "%s", tok);
		/* a "(" that opens a value list is not a check position */
		if (!strcmp(tok, "(") && (!strcmp(pptok, "in") || !strcmp(pptok, "intersects") ||
		                          !strcmp(pptok, "pmatch")))
			snprintf(ptok, sizeof(ptok), "(list");
	}
	if (ptok[0] && !strchr(ptok, '.') &&
	    (!pptok[0] || !strcmp(pptok, "and") || !strcmp(pptok, "or") || !strcmp(pptok, "not") ||
	     !strcmp(pptok, "("))) {
		for (i = 0; i < ff_rules_macro_count(rs); i++)
			if (!strcmp(ff_rules_macro_name(rs, i), ptok)) {
				snprintf(found, sizeof(found), "%s", ptok);
				return found;
			}
	}
	return NULL;
}

/* list names must not survive as delimiter-bounded words (Falco's rule) */
static const char *leftover_list(const struct ff_rules *rs, const char *s)
{
	size_t i, nl;
	const char *p;

	for (i = 0; i < ff_rules_list_count(rs); i++) {
		const char *name = ff_rules_list_name(rs, i);

		nl = strlen(name);
		for (p = strstr(s, name); p; p = strstr(p + 1, name)) {
			char b = p == s ? ' ' : p[-1], a = p[nl] ? p[nl] : ' ';

			if (strchr(" \t\n\r(),=", b) && strchr(" \t\n\r(),=", a))
				return name;
		}
	}
	return NULL;
}

static const char *const k_upstream[] = { "rules-upstream/falco_rules.yaml",
	                                  "rules-upstream/falco-incubating_rules.yaml",
	                                  "rules-upstream/falco-sandbox_rules.yaml" };

static void check_expansions(const struct ff_rules *rs)
{
	size_t i;

	for (i = 0; i < ff_rules_count(rs); i++) {
		const struct ff_rule *r = ff_rules_get(rs, i);
		const char *m = leftover_macro(rs, ff_rule_expanded(r));
		const char *l = leftover_list(rs, ff_rule_expanded(r));

		if (m || l)
			print_message("rule '%s': leftover %s\n%s\n", ff_rule_name(r), m ? m : l,
			              ff_rule_expanded(r));
		assert_null(m);
		assert_null(l);
		assert_true(strlen(ff_rule_expanded(r)) > 0);
	}
}

static void test_upstream_each(void **state)
{
	size_t f, i;

	(void)state;
	for (f = 0; f < 3; f++) {
		char *path = shared_path(k_upstream[f]);
		struct ff_rules *rs;
		struct ff_err err = { 0 };
		struct icount c;
		size_t disabled = 0;

		if (!path || count_items(path, &c)) {
			skip();
			return;
		}
		rs = ff_rules_new();
		assert_int_equal(ff_rules_load_file(rs, path, &err), 0);
		print_diags(rs);
		assert_int_equal(ff_rules_nerrors(rs, NULL), 0);
		assert_int_equal(ff_rules_nwarnings(rs, NULL), 0);
		assert_int_equal(ff_rules_count(rs), c.rules);
		assert_int_equal(ff_rules_macro_count(rs), c.macros);
		assert_int_equal(ff_rules_list_count(rs), c.lists);
		for (i = 0; i < ff_rules_count(rs); i++)
			disabled += !ff_rule_enabled(ff_rules_get(rs, i));
		assert_int_equal(disabled, c.disabled);
		assert_string_equal(ff_rules_required_engine_version(rs), "0.57.0");
		assert_int_equal(ff_rules_plugin_req_count(rs), 1);
		check_expansions(rs);
		ff_rules_free(rs);
	}
	/* numbers of rules-test-cases.md §H, as a cross-check of the counter */
	{
		struct icount c;

		count_items(shared_path(k_upstream[0]), &c);
		assert_int_equal(c.rules, 25);
		assert_int_equal(c.macros, 87);
		assert_int_equal(c.lists, 49);
		count_items(shared_path(k_upstream[2]), &c);
		assert_int_equal(c.rules, 37);
		assert_int_equal(c.macros, 183);
		assert_int_equal(c.disabled, 12);
	}
}

static void test_upstream_all(void **state)
{
	struct ff_rules *rs;
	struct ff_err err = { 0 };
	const struct ff_rule *r;
	size_t f;

	(void)state;
	if (!shared_path(k_upstream[0])) {
		skip();
		return;
	}
	rs = ff_rules_new();
	for (f = 0; f < 3; f++)
		assert_int_equal(ff_rules_load_file(rs, shared_path(k_upstream[f]), &err), 0);
	print_diags(rs);
	assert_int_equal(ff_rules_diag_count(rs), 0);
	assert_int_equal(ff_rules_count(rs), 93);
	check_expansions(rs);
	/* spliced items survive: embedded quotes, brackets, "(systemd)" */
	r = ff_rules_find(rs, "Terminal shell in container");
	assert_non_null(r);
	assert_non_null(strstr(ff_rule_expanded(r), "runc:[1:CHILD]"));
	assert_int_equal(ff_rule_priority(r), FF_PRIO_NOTICE);
	assert_true(ff_rule_has_tag(r, "maturity_stable"));
	/* tags sorted byte-wise */
	for (f = 1; f < ff_rule_tag_count(r); f++)
		assert_true(strcmp(ff_rule_tag(r, f - 1), ff_rule_tag(r, f)) < 0);
	ff_rules_free(rs);
}

/* Load order trap: incubating redefines python_package_managers; stable
 * rules loaded before see the last definition too. */
static void test_upstream_later_file_changes_earlier(void **state)
{
	struct ff_rules *rs;
	struct ff_err err = { 0 };
	size_t i, j;
	int found = 0;

	(void)state;
	if (!shared_path(k_upstream[0])) {
		skip();
		return;
	}
	rs = ff_rules_new();
	assert_int_equal(ff_rules_load_file(rs, shared_path(k_upstream[0]), &err), 0);
	assert_int_equal(load(rs, "- list: shell_binaries\n  items: [onlyshell]\n"), 0);
	for (i = 0; i < ff_rules_count(rs); i++) {
		const char *e = ff_rule_expanded(ff_rules_get(rs, i));

		assert_null(strstr(e, "tcsh"));
		if (strstr(e, "onlyshell"))
			found = 1;
	}
	assert_true(found);
	for (i = 0; i < ff_rules_list_count(rs); i++)
		if (!strcmp(ff_rules_list_name(rs, i), "shell_binaries")) {
			assert_int_equal(ff_rules_list_item_count(rs, i), 1);
			found = 2;
		}
	assert_int_equal(found, 2);
	(void)j;
	ff_rules_free(rs);
}

/* upstream + a user file with every kind of change */
static void test_upstream_user_overrides(void **state)
{
	struct ff_rules *rs;
	struct ff_err err = { 0 };
	const struct ff_rule *r;
	char path[4096];
	const char *src = getenv("top_srcdir");

	(void)state;
	if (!shared_path(k_upstream[0])) {
		skip();
		return;
	}
	rs = ff_rules_new();
	assert_int_equal(ff_rules_load_file(rs, shared_path(k_upstream[0]), &err), 0);
	snprintf(path, sizeof(path), "%s/tests/rules/user_overrides.yaml", src ? src : ".");
	assert_int_equal(ff_rules_load_file(rs, path, &err), 0);
	print_diags(rs);
	/* only the k8s rule is reported, as skipped, and the lower-case priority
	 * as Falco's schema does (a schema warning, no load warning) */
	assert_int_equal(ff_rules_diag_count(rs), 2);
	assert_non_null(find_diag(rs, FF_LOAD_UNKNOWN_SOURCE, 46));
	assert_non_null(find_diag(rs, FF_LOAD_SCHEMA, 43));
	assert_int_equal(ff_rules_nwarnings(rs, NULL), 1);
	assert_int_equal(ff_rules_count(rs), 26);
	assert_int_equal(ff_rules_skipped(rs), 1);

	r = ff_rules_find(rs, "Read sensitive file untrusted");
	assert_non_null(
	    strstr(ff_rule_expanded(r),
	           " and not ((proc.name in (restic) and fd.name startswith /etc/shadow) or "
	           "(proc.name in (borg, \"my tool\") and fd.name startswith /etc/))"));
	assert_non_null(strstr(ff_rule_expanded(r), "(proc.name = my-backup)"));
	assert_int_equal(ff_rule_exception_field_count(r), 2);
	r = ff_rules_find(rs, "Terminal shell in container");
	assert_int_equal(ff_rule_priority(r), FF_PRIO_WARNING);
	assert_true(ff_rule_has_tag(r, "user_tag"));
	assert_true(ff_rule_has_tag(r, "maturity_stable"));
	assert_non_null(strstr(ff_rule_expanded(r), "dash, fish )"));
	assert_false(ff_rule_enabled(ff_rules_find(rs, "Clear Log Activities")));
	r = ff_rules_find(rs, "My syscall rule");
	assert_int_equal(ff_rule_priority(r), FF_PRIO_NOTICE);
	assert_string_equal(ff_rule_output(r), "shell %proc.name under %proc.pname");
	assert_string_equal(ff_rule_name(ff_rules_get(rs, 25)), "My syscall rule");
	assert_int_equal(ff_rules_enable(rs, FF_RULES_MATCH_TAG, "user_tag", 0), 2);
	check_expansions(rs);
	ff_rules_free(rs);
}

/* ---- C1 lists and macros ---- */

static void test_list_append_after_use(void **state)
{
	struct ff_rules *rs = ff_rules_new();

	(void)state;
	assert_int_equal(load(rs, "- list: shell_binaries\n"
	                          "  items: [ash, bash, csh, ksh, sh, tcsh, zsh, dash]\n" RULE_HDR(
	                              "legit_rule") "  condition: evt.type=open and proc.name in "
	                                            "(shell_binaries)\n"
	                                            "- list: shell_binaries\n"
	                                            "  items: [pwsh]\n"
	                                            "  override:\n"
	                                            "    items: append\n"),
	                 0);
	assert_string_equal(expanded(rs, "legit_rule"),
	                    "evt.type=open and proc.name in ( ash, bash, csh, ksh, sh, tcsh, zsh, "
	                    "dash, pwsh )");
	assert_int_equal(ff_rules_diag_count(rs), 0);
	ff_rules_free(rs);
}

static void test_list_replace_before_definition(void **state)
{
	struct ff_rules *rs = ff_rules_new();

	(void)state;
	assert_int_equal(load(rs, "- list: my_list\n"
	                          "  items: [vi]\n"
	                          "  override:\n"
	                          "    items: replace\n"
	                          "- list: my_list\n"
	                          "  items: [blkid]\n" RULE_HDR("r") "  condition: proc.name in "
	                                                             "(my_list)\n"),
	                 0);
	assert_string_equal(expanded(rs, "r"), "proc.name in ( blkid )");
	ff_rules_free(rs);
}

static void test_list_misspelled_override(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	const struct ff_rules_diag *d;

	(void)state;
	assert_int_equal(load(rs, "- list: my_list\n"
	                          "  items: [vi]\n"
	                          "- list: my_list\n"
	                          "  items: [blkid]\n"
	                          "  override_written_wrong:\n"
	                          "    items: append\n" RULE_HDR("r") "  condition: proc.name in "
	                                                              "(my_list)\n"),
	                 0);
	d = find_diag(rs, FF_LOAD_UNKNOWN_KEY, 5);
	assert_non_null(d);
	assert_string_equal(d->message, "Unknown key 'override_written_wrong'. The key will be "
	                                "ignored.");
	assert_string_equal(expanded(rs, "r"), "proc.name in ( blkid )");
	ff_rules_free(rs);
}

static void test_macro_append(void **state)
{
	static const char *const forms[] = { "  override:\n    condition: append\n",
		                             "  append: true\n" };
	size_t i;
	char buf[1024];

	(void)state;
	for (i = 0; i < 2; i++) {
		struct ff_rules *rs = ff_rules_new();

		snprintf(buf, sizeof(buf),
		         "- macro: m\n"
		         "  condition: evt.type in (open, openat)\n"
		         "- macro: m\n"
		         "  condition: or evt.type = openat2\n%s%s  condition: m\n",
		         forms[i], RULE_HDR("r"));
		assert_int_equal(load(rs, buf), 0);
		assert_string_equal(expanded(rs, "r"),
		                    "(evt.type in (open, openat) or evt.type = openat2)");
		assert_int_equal(count_code(rs, FF_LOAD_DEPRECATED_ITEM), i);
		ff_rules_free(rs);
	}
}

struct err_case {
	const char *what;
	const char *yaml;
	enum ff_rules_code code;
	unsigned line;
	const char *msg; /* substring */
};

static const struct err_case k_err_cases[] = {
	{ "list append before definition",
	  "- list: l\n  items: [a]\n  override:\n    items: append\n", FF_LOAD_ERR_VALIDATE, 1,
	  "List uses 'append' or 'override.items: append' but no list by that name already "
	  "exists" },
	{ "list legacy append before definition", "- list: l\n  items: [a]\n  append: true\n",
	  FF_LOAD_ERR_VALIDATE, 1, "no list by that name already exists" },
	{ "macro append before definition",
	  "- macro: m\n  condition: evt.type=open\n  override:\n    condition: append\n",
	  FF_LOAD_ERR_VALIDATE, 1,
	  "Macro uses 'append' or 'override.condition: append' but no macro by that name already "
	  "exists" },
	{ "undefined macro in rule", RULE_HDR("r") "  condition: evt.type=open and foo\n",
	  FF_LOAD_ERR_VALIDATE, 5, "Undefined macro 'foo' used in filter." },
	{ "macro uses a macro defined after it",
	  "- macro: a\n  condition: b\n- macro: b\n  condition: evt.type=open\n" RULE_HDR(
	      "r") "  condition: a\n",
	  FF_LOAD_ERR_VALIDATE, 1, "Undefined macro 'b' used in filter." },
	{ "macro reference loop",
	  "- macro: a\n  condition: evt.type=open\n- macro: b\n  condition: a\n- macro: a\n  "
	  "condition: b\n" RULE_HDR("r") "  condition: a\n",
	  FF_LOAD_ERR_VALIDATE, 0, "reference loop in macro" },
	{ "priority append",
	  RULE_HDR("r") "  condition: evt.type=open\n" RULE_HDR(
	      "r") "  override:\n    priority: append\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 11,
	  "Key 'priority' cannot be appended to, use 'replace' "
	  "instead" },
	{ "override and append: true",
	  RULE_HDR("r") "  condition: evt.type=open\n- rule: r\n  condition: and proc.name=cat\n  "
	                "append: true\n  override:\n    condition: append\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 6,
	  "Keys 'override' and 'append: true' cannot be used "
	  "together" },
	{ "override append before the rule",
	  "- rule: r\n  condition: and proc.name=cat\n  override:\n    condition: append\n",
	  FF_LOAD_ERR_VALIDATE, 1,
	  "Rule uses 'append' or 'override.<key>: append' but no rule by that name already "
	  "exists" },
	{ "override replace before the rule",
	  "- rule: r\n  condition: proc.name=cat\n  override:\n    condition: replace\n",
	  FF_LOAD_ERR_VALIDATE, 1,
	  "An 'override.<key>: replace' to a rule was requested but no rule by that name already "
	  "exists" },
	{ "legacy append before the rule", "- rule: r\n  condition: and a\n  append: true\n",
	  FF_LOAD_ERR_VALIDATE, 1, "no rule by that name already exists" },
	{ "override names a missing key",
	  RULE_HDR("r") "  condition: evt.type=open\n- rule: r\n  desc: d\n  override:\n    "
	                "condition: append\n    desc: append\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 6,
	  "An append override for 'condition' was specified but 'condition' is not defined" },
	{ "key not named in override",
	  RULE_HDR("r") "  condition: evt.type=open\n- rule: r\n  condition: and proc.name=cat\n "
	                " priority: ERROR\n  override:\n    condition: append\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 8,
	  "Unexpected key 'priority': no corresponding entry under 'override' is defined." },
	{ "enabled replace without enabled",
	  RULE_HDR("r") "  condition: evt.type=open\n- rule: r\n  override:\n    enabled: "
	                "replace\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 6, "'enabled' was specified but 'enabled' is not defined" },
	{ "invalid override operation",
	  RULE_HDR("r") "  condition: evt.type=open\n- rule: r\n  condition: x\n  override:\n    "
	                "condition: prepend\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 9,
	  "Invalid override operation for key 'condition': 'prepend'. Allowed values are: append "
	  "replace " },
	{ "output cannot be replaced on a macro",
	  "- macro: m\n  condition: x.y=1\n  override:\n    output: replace\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 4, "Key 'output' cannot be replaced" },
	{ "replace with partial exception",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "[proc.name]\n      values: [[cat]]\n- rule: r\n  exceptions:\n    - name: "
	                "e\n      values: [[ls]]\n  override:\n    exceptions: replace\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 12, "Item has no mapping for key 'fields'" },
	{ "standalone enabled without rule", "- rule: r\n  enabled: true\n", FF_LOAD_ERR_VALIDATE,
	  1, "Rule has 'enabled' key but no rule by that name already exists" },
	{ "engine version not semver", "- required_engine_version: seven\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 1,
	  "Unable to parse engine version 'seven' as a semver string. Expected \"x.y.z\" semver "
	  "format." },
	{ "engine version too new", "- required_engine_version: 0.99.0\n", FF_LOAD_ERR_VALIDATE, 1,
	  "Rules require engine version 0.99.0, but engine version is 0.63.0" },
	{ "engine version other major", "- required_engine_version: 1.0.0\n", FF_LOAD_ERR_VALIDATE,
	  1, "Rules require engine version 1.0.0" },
	{ "engine version number too new", "- required_engine_version: 64\n", FF_LOAD_ERR_VALIDATE,
	  1, "Rules require engine version 0.64.0" },
	{ "redefined with another source",
	  RULE_HDR("r") "  condition: ka.verb=create\n  source: k8s_audit\n" RULE_HDR(
	      "r") "  condition: evt.type=open\n  source: syscall\n",
	  FF_LOAD_ERR_VALIDATE, 7, "Rule has been re-defined with a different source" },
	{ "capture_duration not a number",
	  RULE_HDR("r") "  condition: evt.type=open\n  capture_duration: not_a_number\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 6, "Can't decode YAML scalar value" },
	{ "invalid priority",
	  "- rule: r\n  desc: d\n  output: o\n  priority: urgent\n  "
	  "condition: evt.type=open\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 4, "Invalid priority" },
	{ "missing output", "- rule: r\n  desc: d\n  priority: INFO\n  condition: evt.type=open\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 1, "Item has no mapping for key 'output'" },
	{ "empty condition", "- rule: r\n  desc: d\n  output: o\n  priority: INFO\n  condition:\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 5, "Mapping for key 'condition' is empty" },
	{ "condition not a scalar",
	  "- rule: r\n  desc: d\n  output: o\n  priority: INFO\n  condition: [a]\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 5, "Value is not a scalar value" },
	{ "list items not a sequence", "- list: l\n  items: a\n", FF_LOAD_ERR_YAML_VALIDATE, 2,
	  "Value is not a sequence" },
	{ "list item not scalar", "- list: l\n  items: [a, [b]]\n", FF_LOAD_ERR_YAML_VALIDATE, 2,
	  "sequence value is not scalar" },
	{ "document is a scalar", "hello\n", FF_LOAD_ERR_YAML_VALIDATE, 1,
	  "Rules content is not yaml" },
	{ "document is a mapping", "rule: x\n", FF_LOAD_ERR_YAML_VALIDATE, 1,
	  "Rules content is not yaml array of objects" },
	{ "element not a mapping", "- rule: r\n  enabled: true\n- just a string\n",
	  FF_LOAD_ERR_VALIDATE, 1, "" /* the enabled error comes first */ },
	{ "element not a mapping 2", "- just a string\n", FF_LOAD_ERR_YAML_VALIDATE, 1,
	  "Unexpected element type. Each element should be a yaml associative array." },
	{ "yaml syntax", "- rule: r\n  desc: [unclosed\n", FF_LOAD_ERR_YAML_PARSE, 0, "" },
	{ "condition syntax", RULE_HDR("r") "  condition: evt.type=open and\n",
	  FF_LOAD_ERR_COMPILE_CONDITION, 5, "" },
	{ "macro condition syntax", "- macro: m\n  condition: (evt.type=open\n",
	  FF_LOAD_ERR_COMPILE_CONDITION, 1, "expected a ')' token" },
	/* exceptions */
	{ "exception bad comp",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "[proc.name]\n      comps: [frobulate oneof]\n      values: [[a]]\n",
	  FF_LOAD_ERR_VALIDATE, 1, "'frobulate oneof' is not a supported comparison operator" },
	{ "exception in oneof",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "[proc.name]\n      comps: [in oneof]\n      values: [[a]]\n",
	  FF_LOAD_ERR_VALIDATE, 1, "'in oneof' is not a supported comparison operator" },
	{ "exception bare oneof",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "[proc.name]\n      comps: [oneof]\n      values: [[a]]\n",
	  FF_LOAD_ERR_VALIDATE, 1, "'oneof' is not a supported comparison operator" },
	{ "exception >= oneof",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "[proc.name]\n      comps: [\">= oneof\"]\n      values: [[a]]\n",
	  FF_LOAD_ERR_VALIDATE, 1, "'>= oneof' is not a supported comparison operator" },
	{ "exception scalar comps bad",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "proc.name\n      comps: frobulate oneof\n      values: [a]\n",
	  FF_LOAD_ERR_VALIDATE, 1,
	  "When fields is a single value, comps must be one of (in, "
	  "pmatch, intersects) or a modifier operator" },
	{ "exception comps length",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "[proc.name, fd.name]\n      comps: [=]\n      values: [[a, b]]\n",
	  FF_LOAD_ERR_VALIDATE, 1, "Fields and comps lists must have equal length" },
	{ "exception values length",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "[proc.name, fd.name]\n      values: [[a]]\n",
	  FF_LOAD_ERR_VALIDATE, 1, "Fields and values lists must have equal length" },
	{ "exception scalar fields with list comps",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "proc.name\n      comps: [in]\n      values: [a]\n",
	  FF_LOAD_ERR_VALIDATE, 1, "Fields and comps must both be strings" },
	{ "exception single field values nested",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "proc.name\n      values: [[a]]\n",
	  FF_LOAD_ERR_VALIDATE, 1, "Expected values array to contain a list of strings" },
	{ "exception bad field",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "[not a field]\n      values: [[a]]\n",
	  FF_LOAD_ERR_VALIDATE, 1, "'not a field' is not a supported filter field" },
	{ "append fields to existing exception",
	  RULE_HDR(
	      "r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	           "[proc.name]\n      values: [[a]]\n- rule: r\n  exceptions:\n    - name: e\n "
	           "     fields: [fd.name]\n      values: [[b]]\n  override:\n    exceptions: "
	           "append\n",
	  FF_LOAD_ERR_VALIDATE, 10,
	  "Can not append exception fields to existing exception, only "
	  "values" },
	{ "appended new exception without values",
	  RULE_HDR("r") "  condition: evt.type=open\n- rule: r\n  exceptions:\n    - name: e\n   "
	                "   fields: [fd.name]\n  override:\n    exceptions: append\n",
	  FF_LOAD_ERR_VALIDATE, 6,
	  "Rule exception must have values property with a list of "
	  "values" },
	/* Falco splices a list value after '=' as is: the result does not parse */
	{ "exception list value with =",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions:\n    - name: e\n      fields: "
	                "[proc.name]\n      values: [[[a, b]]]\n",
	  FF_LOAD_ERR_COMPILE_CONDITION, 5, "expected a value" },
	{ "exceptions not a sequence",
	  RULE_HDR("r") "  condition: evt.type=open\n  exceptions: {name: e}\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 6, "Rule exceptions must be a sequence" },
	{ "legacy append with nothing",
	  RULE_HDR("r") "  condition: evt.type=open\n- rule: r\n  append: true\n",
	  FF_LOAD_ERR_VALIDATE, 6, "Appended rule must have exceptions or condition property" },
	{ "plugin version invalid",
	  "- required_plugin_versions:\n    - name: container\n      version: abc\n",
	  FF_LOAD_ERR_VALIDATE, 2, "Invalid required version 'abc' for plugin 'container'" },
	{ "plugin alternatives duplicated",
	  "- required_plugin_versions:\n    - name: k8saudit\n      version: 0.1.0\n      "
	  "alternatives:\n        - name: k8saudit\n          version: 0.2.0\n",
	  FF_LOAD_ERR_VALIDATE, 2,
	  "Defined multiple alternative version requirements for plugin "
	  "'k8saudit'" },
	{ "plugin versions not a sequence", "- required_plugin_versions: container\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 1, "Value of required_plugin_versions must be a sequence" },
	{ "plugin without version", "- required_plugin_versions:\n    - name: container\n",
	  FF_LOAD_ERR_YAML_VALIDATE, 2, "Item has no mapping for key 'version'" },
};

static void test_error_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(k_err_cases) / sizeof(k_err_cases[0]); i++) {
		const struct err_case *c = &k_err_cases[i];
		struct ff_rules *rs = ff_rules_new();
		const struct ff_rules_diag *d;
		int rc = load(rs, c->yaml);

		d = find_diag(rs, c->code, c->line);
		if (rc != -EINVAL || !d || !strstr(d->message, c->msg) ||
		    ff_rules_nerrors(rs, NULL) != 1) {
			print_message("case '%s': rc=%d\n", c->what, rc);
			print_diags(rs);
		}
		assert_int_equal(rc, -EINVAL);
		assert_non_null(d);
		assert_non_null(strstr(d->message, c->msg));
		/* loading stops at the first error */
		assert_int_equal(ff_rules_nerrors(rs, NULL), 1);
		assert_int_equal(load(rs, "- list: x\n  items: []\n"), -ECANCELED);
		ff_rules_free(rs);
	}
}

static void test_undefined_macro_offset(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	const struct ff_rules_diag *d;

	(void)state;
	assert_int_equal(load(rs, RULE_HDR("r") "  condition: evt.type=open and foo\n"), -EINVAL);
	d = find_diag(rs, FF_LOAD_ERR_VALIDATE, 0);
	assert_non_null(d);
	assert_int_equal(d->line, 5); /* the condition value */
	assert_int_equal(d->cond_offset, 18);
	assert_string_equal(d->item_kind, "rule");
	assert_string_equal(d->item_name, "r");
	ff_rules_free(rs);
}

static void test_rule_sees_later_macro_and_invalid_names(void **state)
{
	struct ff_rules *rs = ff_rules_new();

	(void)state;
	assert_int_equal(load(rs, RULE_HDR("r") "  condition: m and proc.name in (l)\n"
	                                        "- macro: m\n"
	                                        "  condition: evt.type=open\n"
	                                        "- macro: test-macro\n"
	                                        "  condition: evt.type=close\n"
	                                        "- list: test list\n"
	                                        "  items: [a]\n"
	                                        "- list: l\n"
	                                        "  items: [non_escaped_val, \"escaped val\"]\n"),
	                 0);
	assert_string_equal(
	    expanded(rs, "r"),
	    "(evt.type=open) and proc.name in ( non_escaped_val, \"escaped val\" )");
	assert_non_null(find_diag(rs, FF_LOAD_INVALID_MACRO_NAME, 8));
	assert_non_null(find_diag(rs, FF_LOAD_INVALID_LIST_NAME, 10));
	assert_non_null(find_diag(rs, FF_LOAD_UNUSED_MACRO, 8));
	assert_non_null(find_diag(rs, FF_LOAD_UNUSED_LIST, 10));
	assert_int_equal(ff_rules_nerrors(rs, NULL), 0);
	ff_rules_free(rs);
}

static void test_nested_lists_and_splicing(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	size_t i;

	(void)state;
	/* one level of nesting, only lists defined before; empty lists take a
	 * comma with them; list names are replaced even as bare values */
	assert_int_equal(load(rs,
	                      "- list: inner\n"
	                      "  items: [a, b]\n"
	                      "- list: outer\n"
	                      "  items: [inner, c, later]\n"
	                      "- list: later\n"
	                      "  items: [z]\n"
	                      "- list: empty\n"
	                      "  items: []\n"
	                      "- list: single\n"
	                      "  items: [only]\n" RULE_HDR("r") "  condition: proc.name in (outer, "
	                                                        "empty) or proc.name=single\n"),
	                 0);
	for (i = 0; i < ff_rules_list_count(rs); i++) {
		if (!strcmp(ff_rules_list_name(rs, i), "outer")) {
			assert_int_equal(ff_rules_list_item_count(rs, i), 4);
			assert_string_equal(ff_rules_list_item(rs, i, 0), "a");
			assert_string_equal(ff_rules_list_item(rs, i, 3), "later");
		}
	}
	assert_string_equal(expanded(rs, "r"), "proc.name in ( a, b, c, z   ) or proc.name= only ");
	ff_rules_free(rs);
}

/* ---- C2 rules, override, append ---- */

static void test_rule_override_append(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	const struct ff_rule *r;

	(void)state;
	assert_int_equal(load(rs, RULE_HDR("legit_rule") "  condition: evt.type=open\n"
	                                                 "- rule: legit_rule\n"
	                                                 "  desc: with append\n"
	                                                 "  condition: and proc.name = cat\n"
	                                                 "  output: proc=%proc.name\n"
	                                                 "  override:\n"
	                                                 "    desc: append\n"
	                                                 "    condition: append\n"
	                                                 "    output: append\n"),
	                 0);
	assert_int_equal(ff_rules_diag_count(rs), 0);
	r = ff_rules_find(rs, "legit_rule");
	assert_string_equal(ff_rule_condition(r), "evt.type=open and proc.name = cat");
	assert_string_equal(ff_rule_output(r),
	                    "user=%user.name command=%proc.cmdline file=%fd.name proc=%proc.name");
	assert_string_equal(ff_rule_desc(r), "legit rule description with append");
	ff_rules_free(rs);
}

static void test_rule_legacy_append_and_replace(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	const struct ff_rule *r;

	(void)state;
	assert_int_equal(
	    load(rs, RULE_HDR("a") "  condition: evt.type=open\n"
	                           "  enabled: false\n"
	                           "- rule: a\n"
	                           "  condition: and proc.name = cat\n"
	                           "  enabled: true\n"
	                           "  append: true\n" RULE_HDR("b") "  condition: evt.type = "
	                                                            "close\n"
	                                                            "- rule: b\n"
	                                                            "  desc: new desc\n"
	                                                            "  condition: and "
	                                                            "proc.name = cat\n"
	                                                            "  priority: WARNING\n"
	                                                            "  override:\n"
	                                                            "    desc: replace\n"
	                                                            "    condition: append\n"
	                                                            "    priority: replace\n"),
	    0);
	r = ff_rules_find(rs, "a");
	assert_string_equal(ff_rule_condition(r), "evt.type=open and proc.name = cat");
	assert_false(ff_rule_enabled(r)); /* enabled in a legacy append is ignored */
	assert_non_null(find_diag(rs, FF_LOAD_DEPRECATED_ITEM, 7));
	r = ff_rules_find(rs, "b");
	assert_string_equal(ff_rule_condition(r), "evt.type = close and proc.name = cat");
	assert_string_equal(ff_rule_desc(r), "new desc");
	assert_int_equal(ff_rule_priority(r), FF_PRIO_WARNING);
	assert_string_equal(ff_rule_output(r),
	                    "user=%user.name command=%proc.cmdline file=%fd.name");
	ff_rules_free(rs);
}

static void test_rule_enable_paths(void **state)
{
	struct ff_rules *rs = ff_rules_new();

	(void)state;
	assert_int_equal(load(rs, RULE_HDR("r") "  condition: evt.type=open\n  enabled: false\n"),
	                 0);
	assert_int_equal(ff_rules_count(rs), 1);
	assert_false(ff_rule_enabled(ff_rules_find(rs, "r")));
	assert_int_equal(ff_rules_diag_count(rs), 0);
	assert_int_equal(load(rs, "- rule: r\n  enabled: true\n"), 0);
	assert_true(ff_rule_enabled(ff_rules_find(rs, "r")));
	assert_non_null(find_diag(rs, FF_LOAD_DEPRECATED_ITEM, 1));
	assert_int_equal(
	    load(rs, "- rule: r\n  enabled: false\n  override:\n    enabled: replace\n"), 0);
	assert_false(ff_rule_enabled(ff_rules_find(rs, "r")));
	assert_int_equal(count_code(rs, FF_LOAD_DEPRECATED_ITEM), 1);
	ff_rules_free(rs);
}

static void test_rule_full_redefinition_and_keys(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	const struct ff_rule *r;

	(void)state;
	assert_int_equal(load(rs, RULE_HDR("first") "  condition: evt.type=open\n" RULE_HDR(
	                              "r") "  condition: evt.type=open\n"
	                                   "  tags: [b, a, b]\n" RULE_HDR(
	                                       "r") "  condition: proc.name = cat\n"
	                                            "  capture: true\n"
	                                            "  capture_duration: 10000\n"
	                                            "  warn_evttypes: false\n"
	                                            "  skip-if-unknown-filter: true\n"
	                                            "  typo_field: 1\n"
	                                            "  tags: [z, y, z]\n"
	                                            "- list: l\n"
	                                            "  items: [a]\n"
	                                            "  priority: INFO\n"
	                                            "- foo: bar\n"
	                                            "- required_engine_version: 0.26.0\n"
	                                            "- required_engine_version: 26\n"),
	                 0);
	assert_int_equal(ff_rules_count(rs), 2);
	/* position of the first definition is kept */
	assert_string_equal(ff_rule_name(ff_rules_get(rs, 1)), "r");
	r = ff_rules_find(rs, "r");
	assert_string_equal(ff_rule_condition(r), "proc.name = cat");
	assert_int_equal(ff_rule_priority(r), FF_PRIO_INFORMATIONAL);
	assert_true(ff_rule_capture(r));
	assert_int_equal(ff_rule_capture_duration(r), 10000);
	assert_false(ff_rule_warn_evttypes(r));
	assert_true(ff_rule_skip_if_unknown_filter(r));
	assert_int_equal(ff_rule_tag_count(r), 2);
	assert_string_equal(ff_rule_tag(r, 0), "y");
	assert_string_equal(ff_rule_tag(r, 1), "z");
	r = ff_rules_find(rs, "first");
	assert_false(ff_rule_capture(r));
	assert_int_equal(ff_rule_capture_duration(r), 0);
	assert_int_equal(ff_rule_priority(r), FF_PRIO_INFORMATIONAL);
	assert_non_null(find_diag(rs, FF_LOAD_UNKNOWN_KEY, 21));
	assert_non_null(find_diag(rs, FF_LOAD_UNKNOWN_KEY, 25));
	assert_non_null(find_diag(rs, FF_LOAD_UNKNOWN_ITEM, 26));
	assert_int_equal(ff_rules_nerrors(rs, NULL), 0);
	ff_rules_free(rs);
}

static void test_sources(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	const struct ff_rules_diag *d;

	(void)state;
	assert_int_equal(load(rs, RULE_HDR("k") "  condition: ka.verb=create\n"
	                                        "  source: k8s_audit\n"
	                                        "- rule: k\n"
	                                        "  condition: and ka.user.name=x\n"
	                                        "  source:\n"
	                                        "  override:\n"
	                                        "    condition: append\n" RULE_HDR(
	                                            "c") "  condition: ct.name=x\n"
	                                                 "  source: "
	                                                 "aws_cloudtrail\n"),
	                 0);
	assert_int_equal(ff_rules_count(rs), 0);
	assert_int_equal(ff_rules_skipped(rs), 2);
	d = find_diag(rs, FF_LOAD_UNKNOWN_SOURCE, 1);
	assert_non_null(d);
	assert_string_equal(d->message, "Unknown source k8s_audit, skipping");
	assert_non_null(find_diag(rs, FF_LOAD_UNKNOWN_SOURCE, 12));
	assert_int_equal(ff_rules_nwarnings(rs, NULL), 2);
	ff_rules_free(rs);
}

static void test_deprecated_output_fields(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	const struct ff_rule *r;

	(void)state;
	assert_int_equal(load(rs, "- rule: r\n  desc: d\n  priority: INFO\n"
	                          "  condition: evt.type=open\n"
	                          "  output: t=%evt.dir %container.info x\n"),
	                 0);
	assert_int_equal(count_code(rs, FF_LOAD_DEPRECATED_ITEM), 2);
	r = ff_rules_find(rs, "r");
	assert_string_equal(ff_rule_output(r), "t=%evt.dir  x");
	ff_rules_free(rs);
}

/* ---- C3 exceptions ---- */

struct exc_case {
	const char *cond;
	const char *exc;
	const char *want;
};

static const struct exc_case k_exc_cases[] = {
	{ "proc.cmdline contains curl or proc.cmdline contains wget",
	  "    - name: e\n      fields: [proc.cmdline]\n      comps: [contains]\n      values: "
	  "[[curl 127.0.0.1]]\n",
	  "(proc.cmdline contains curl or proc.cmdline contains wget) and not ((proc.cmdline "
	  "contains \"curl 127.0.0.1\"))" },
	{ "evt.type=open",
	  "    - name: e\n      fields: proc.name\n      comps: in\n      values: "
	  "[cat, grep]\n",
	  "(evt.type=open) and not (proc.name in (cat, grep))" },
	{ "evt.type=open",
	  "    - name: e\n      fields: proc.name\n      values: [cat, \"my "
	  "cat\"]\n",
	  "(evt.type=open) and not (proc.name in (cat, \"my cat\"))" },
	{ "evt.type=open",
	  "    - name: e\n      fields: fd.name\n      comps: pmatch\n      "
	  "values: [/tmp]\n",
	  "(evt.type=open) and not (fd.name pmatch (/tmp))" },
	{ "evt.type=open",
	  "    - name: e\n      fields: [proc.name]\n      comps: [startswith oneof]\n      "
	  "values: [[[sshd, sudo, systemd]]]\n",
	  "(evt.type=open) and not ((proc.name startswith oneof (sshd, sudo, systemd)))" },
	{ "evt.type=open",
	  "    - name: e\n      fields: [proc.name]\n      comps: [\" startswith oneof \"]\n     "
	  " values: [[sshd]]\n",
	  "(evt.type=open) and not ((proc.name startswith oneof (sshd)))" },
	{ "evt.type=open",
	  "    - name: e\n      fields: [proc.name, fd.name]\n      comps: [startswith oneof, "
	  "startswith]\n      values: [[[sshd, sudo], /etc/]]\n",
	  "(evt.type=open) and not ((proc.name startswith oneof (sshd, sudo) and fd.name "
	  "startswith /etc/))" },
	{ "evt.type=open",
	  "    - name: e\n      fields: [proc.name, fd.name, proc.exepath]\n      comps: "
	  "[contains, "
	  "startswith, =]\n      values: [[agent, /var/log/, /usr/bin/prometheus], [x, y, z]]\n",
	  "(evt.type=open) and not ((proc.name contains agent and fd.name startswith /var/log/ "
	  "and proc.exepath = /usr/bin/prometheus) or (proc.name contains x and fd.name "
	  "startswith y and proc.exepath = z))" },
	{ "evt.type=open",
	  "    - name: e\n      fields: [proc.name]\n      values: [[proc.pname]]\n"
	  "    - name: f\n      fields: [tolower(proc.name)]\n      values: [[test]]\n"
	  "    - name: g\n      fields: [proc.name]\n      values: []\n",
	  "(evt.type=open) and not ((proc.name = proc.pname)) and not ((tolower(proc.name) = "
	  "test))" },
	{ "evt.type=open",
	  "    - name: e\n      fields: [proc.name, fd.name]\n      comps: [in, =]\n      "
	  "values: [[bash, \"/a b\"]]\n",
	  "(evt.type=open) and not ((proc.name in (bash) and fd.name = \"/a b\"))" },
};

static void test_exceptions_text(void **state)
{
	size_t i;
	char buf[2048];

	(void)state;
	for (i = 0; i < sizeof(k_exc_cases) / sizeof(k_exc_cases[0]); i++) {
		struct ff_rules *rs = ff_rules_new();
		int rc;

		snprintf(buf, sizeof(buf), "%s  condition: %s\n  exceptions:\n%s", RULE_HDR("r"),
		         k_exc_cases[i].cond, k_exc_cases[i].exc);
		rc = load(rs, buf);
		if (rc)
			print_diags(rs);
		assert_int_equal(rc, 0);
		assert_string_equal(expanded(rs, "r"), k_exc_cases[i].want);
		ff_rules_free(rs);
	}
}

static void test_exceptions_append_and_warnings(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	const struct ff_rule *r;

	(void)state;
	assert_int_equal(load(rs, RULE_HDR("r") "  condition: evt.type=open\n"
	                                        "  exceptions:\n"
	                                        "    - name: e\n"
	                                        "      fields: [proc.name, fd.name]\n"
	                                        "      values: [[a, b]]\n"
	                                        "    - name: e\n"
	                                        "      fields: [proc.name]\n"
	                                        "- rule: r\n"
	                                        "  exceptions:\n"
	                                        "    - name: e\n"
	                                        "      values: [[c, d]]\n"
	                                        "    - name: new\n"
	                                        "      fields: proc.pname\n"
	                                        "      values: [x]\n"
	                                        "    - name: e\n"
	                                        "      value: [[typo]]\n"
	                                        "  override:\n"
	                                        "    exceptions: append\n"
	                                        "- rule: r\n"
	                                        "  exceptions:\n"
	                                        "    - name: new\n"
	                                        "      values: [y]\n"
	                                        "  append: true\n"),
	                 0);
	assert_non_null(find_diag(rs, FF_LOAD_EXCEPTION_NAME_NOT_UNIQUE, 10));
	assert_non_null(find_diag(rs, FF_LOAD_APPEND_NO_VALUES, 19));
	r = ff_rules_find(rs, "r");
	assert_int_equal(ff_rule_exception_count(r), 3);
	assert_string_equal(ff_rule_exception_name(r, 2), "new");
	assert_string_equal(
	    ff_rule_expanded(r),
	    "(evt.type=open) and not ((proc.name = a and fd.name = b) or (proc.name "
	    "= c and fd.name = d)) and not (proc.pname in (x, y))");
	assert_int_equal(ff_rule_exception_field_count(r), 3);
	assert_string_equal(ff_rule_exception_field(r, 0), "fd.name");
	assert_string_equal(ff_rule_exception_field(r, 2), "proc.pname");
	ff_rules_free(rs);
}

/* ---- multi-file ---- */

static void test_multi_file(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	struct ff_err err = { 0 };
	const char *f1 = RULE_HDR("r") "  condition: m\n";
	const char *f2 = "- macro: m\n  condition: evt.type=open\n";

	(void)state;
	/* a rule needing a macro of the next file fails with the first file */
	assert_int_equal(ff_rules_load_buf(rs, "one.yaml", f1, strlen(f1), &err), -EINVAL);
	assert_non_null(strstr(err.msg, "one.yaml:5:"));
	assert_non_null(strstr(err.msg, "LOAD_ERR_VALIDATE"));
	assert_int_equal(ff_rules_load_buf(rs, "two.yaml", f2, strlen(f2), &err), -ECANCELED);
	ff_rules_free(rs);

	/* the other order works; a later macro redefinition changes the rule */
	rs = ff_rules_new();
	assert_int_equal(ff_rules_load_buf(rs, "two.yaml", f2, strlen(f2), &err), 0);
	assert_non_null(find_diag(rs, FF_LOAD_UNUSED_MACRO, 1));
	assert_int_equal(ff_rules_load_buf(rs, "one.yaml", f1, strlen(f1), &err), 0);
	assert_int_equal(ff_rules_nwarnings(rs, "one.yaml"), 0);
	assert_string_equal(expanded(rs, "r"), "(evt.type=open)");
	assert_int_equal(load(rs, "- macro: m\n  condition: evt.type=close\n"), 0);
	assert_string_equal(expanded(rs, "r"), "(evt.type=close)");
	ff_rules_free(rs);

	rs = ff_rules_new();
	assert_int_equal(ff_rules_load_file(rs, "/nonexistent/rules.yaml", &err), -ENOENT);
	assert_non_null(find_diag(rs, FF_LOAD_ERR_FILE_READ, 0));
	ff_rules_free(rs);
}

/* ---- selection ---- */

static void test_selection(void **state)
{
	struct ff_rules *rs = ff_rules_new();

	(void)state;
	ff_rules_free(rs);

	rs = ff_rules_new();
	assert_int_equal(load(rs,
	                      "- rule: test rule\n  desc: d\n  output: o\n  priority: ERROR\n"
	                      "  condition: evt.type=open\n  tags: [exec process, a]\n"
	                      "- rule: hello new world yes\n  desc: d\n  output: o\n  priority: "
	                      "debug\n  condition: evt.type=open\n  enabled: false\n"),
	                 0);
	assert_int_equal(ff_rules_enable(rs, FF_RULES_MATCH_EXACT, "test", 0), 0);
	assert_int_equal(ff_rules_enable(rs, FF_RULES_MATCH_SUBSTRING, "test", 0), 1);
	assert_false(ff_rule_enabled(ff_rules_find(rs, "test rule")));
	assert_int_equal(ff_rules_enable(rs, FF_RULES_MATCH_SUBSTRING, "", 1), 2);
	assert_true(ff_rule_enabled(ff_rules_find(rs, "hello new world yes")));
	assert_int_equal(ff_rules_enable(rs, FF_RULES_MATCH_WILDCARD, "hello*world", 0), 0);
	assert_int_equal(ff_rules_enable(rs, FF_RULES_MATCH_WILDCARD, "*hello*world*", 0), 1);
	assert_int_equal(ff_rules_enable(rs, FF_RULES_MATCH_TAG, "exec process", 0), 1);
	assert_int_equal(ff_rules_enable(rs, FF_RULES_MATCH_TAG, "exec", 0), 0);
	ff_rules_enable(rs, FF_RULES_MATCH_SUBSTRING, "", 1);
	ff_rules_set_min_priority(rs, FF_PRIO_WARNING);
	assert_true(ff_rule_active(rs, ff_rules_find(rs, "test rule")));
	assert_false(ff_rule_active(rs, ff_rules_find(rs, "hello new world yes")));
	/* wildcard matcher (rules-test-cases.md C6) */
	assert_true(ff_rules_wildcard_match("*", ""));
	assert_true(ff_rules_wildcard_match("**", "abc"));
	assert_true(ff_rules_wildcard_match("", ""));
	assert_false(ff_rules_wildcard_match("", "a"));
	assert_true(ff_rules_wildcard_match("*hello*****world", "come on hello this world"));
	assert_false(ff_rules_wildcard_match("*hello*world", "come on hello this world yes"));
	assert_true(ff_rules_wildcard_match("*rule", "test rule"));
	ff_rules_free(rs);
}

static void test_priorities(void **state)
{
	enum ff_priority p;

	(void)state;
	assert_int_equal(ff_priority_parse("INFO", &p), 0);
	assert_int_equal(p, FF_PRIO_INFORMATIONAL);
	assert_string_equal(ff_priority_name(p), "Informational");
	assert_int_equal(ff_priority_parse("eMeRgEnCy", &p), 0);
	assert_int_equal(p, FF_PRIO_EMERGENCY);
	assert_int_equal(ff_priority_parse("debug", &p), 0);
	assert_int_equal(p, FF_PRIO_DEBUG);
	assert_int_equal(ff_priority_parse("warn", &p), -EINVAL);
	assert_int_equal(ff_priority_parse("", &p), -EINVAL);
}

/* ---- plugins, hooks, expand ---- */

static void test_plugin_requirements(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	const char *n, *v;

	(void)state;
	assert_int_equal(load(rs, "- required_plugin_versions:\n"
	                          "    - name: container\n      version: 0.3.1\n"
	                          "    - name: k8saudit\n      version: 0.1.0\n"
	                          "      alternatives:\n        - name: k8saudit-eks\n"
	                          "          version: 0.2.0\n"
	                          "    - name: container\n      version: 0.5.0\n"),
	                 0);
	assert_int_equal(ff_rules_plugin_req_count(rs), 3);
	assert_int_equal(ff_rules_plugin_req_alts(rs, 1), 2);
	assert_int_equal(ff_rules_plugin_req_get(rs, 1, 1, &n, &v), 0);
	assert_string_equal(n, "k8saudit-eks");
	assert_string_equal(v, "0.2.0");
	assert_int_equal(count_code(rs, FF_LOAD_PLUGIN_REQUIREMENT), 2);
	assert_non_null(find_diag(rs, FF_LOAD_PLUGIN_REQUIREMENT, 4));
	assert_non_null(find_diag(rs, FF_LOAD_PLUGIN_REQUIREMENT, 9));
	ff_rules_free(rs);
}

static int fake_compile(void *ctx, const char *cond, char *msg, size_t msgsz, long *off)
{
	const char *p = strstr(cond, "bad.field");

	(void)ctx;
	if (!p)
		return FF_RULES_COMPILE_OK;
	snprintf(msg, msgsz, "filter_check called with nonexistent field bad.field");
	*off = p - cond;
	return FF_RULES_COMPILE_UNKNOWN;
}

static void test_compile_hook(void **state)
{
	struct ff_rules_hooks h = { .sz = sizeof(h), .compile_condition = fake_compile };
	struct ff_rules *rs = ff_rules_new();

	(void)state;
	assert_int_equal(ff_rules_set_hooks(rs, &h), 0);
	assert_int_equal(load(rs, RULE_HDR("skip") "  condition: bad.field = 1\n"
	                                           "  skip-if-unknown-filter: true\n" RULE_HDR(
	                                               "ok") "  condition: evt.type=open\n"),
	                 0);
	assert_int_equal(ff_rules_count(rs), 1);
	assert_int_equal(ff_rules_skipped(rs), 1);
	assert_non_null(find_diag(rs, FF_LOAD_UNKNOWN_FILTER, 5));
	assert_int_equal(load(rs, RULE_HDR("fail") "  condition: bad.field = 1\n"), -EINVAL);
	assert_int_equal(find_diag(rs, FF_LOAD_ERR_COMPILE_CONDITION, 5)->cond_offset, 0);
	ff_rules_free(rs);
}

static void test_expand_adhoc(void **state)
{
	struct ff_rules *rs = ff_rules_new();
	struct ff_err err = { 0 };
	char *out = NULL;

	(void)state;
	assert_int_equal(load(rs, "- list: l\n  items: [a, b]\n"
	                          "- macro: m\n  condition: proc.name in (l)\n"),
	                 0);
	assert_int_equal(ff_rules_expand(rs, "not m and evt.type=open", &out, &err), 0);
	assert_string_equal(out, "not (proc.name in ( a, b )) and evt.type=open");
	free(out);
	assert_int_equal(ff_rules_expand(rs, "m and nope", &out, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "Undefined macro 'nope'"));
	assert_int_equal(ff_rules_expand(rs, "m and", &out, &err), -EINVAL);
	ff_rules_free(rs);
}

/* Structure accepted/rejected by the condition scanner (rules-test-cases A1),
 * with a, b, c... defined as macros. */
static void test_condition_structure(void **state)
{
	static const char *const ok[] = {
		"a",
		"(a)",
		"a and b",
		"a and b and(c)",
		"(a)and(b)and(c)",
		"a or b or(c)",
		"not (a)",
		"not(a)",
		"not not a",
		"not(not(a))",
		"not(a)and(not(b))",
		"a.a exists and b",
		"a.a=1 or b.b=2 and c",
		"a.b = not",
		"a and notb",
		"macro and not_macro",
		"macro and or_macro",
		"((macro) and (or_macro))",
		"proc.name in bash",
		"x.l in ()",
		"x.l in()",
		"test.op existsand macro",
		"x.y = val(f.g)",
		"b64(f.g) = v",
		"proc.name == oneof (a, b)",
		"tolower(proc.name) == oneof allowed",
		"(fd.name endswith \\)",
		"proc.args contains \"\\ \"",
		"a \n and \n  b",
		"((((((((((a))))))))))",
		"proc.name = 'q\\'x' and b",
		"test.str[0a!@#456:/\\.;!$%^&*(){}|] = v",
	};
	static const char *const bad[] = {
		"a andb",      "aand b",
		"a and b and", "and a",
		"or a",        "a not b",
		"a notb",      "a.b = b = 1",
		"(a.b = 1",    "a.a invalidoperator xxx",
		"macro > 12",  "",
		"   ",         "(a))",
		"a.b in (x",   "a.b = \"unterminated",
		"a.b[ = 1",
	};
	struct ff_rules *rs = ff_rules_new();
	struct ff_err err = { 0 };
	char *out;
	size_t i;

	(void)state;
	assert_int_equal(load(rs,
	                      "- macro: a\n  condition: x.y=1\n- macro: b\n  condition: x.y=2\n"
	                      "- macro: c\n  condition: x.y=3\n- macro: macro\n  condition: "
	                      "x.y=4\n- macro: not_macro\n  condition: x.y=5\n- macro: or_macro\n"
	                      "  condition: x.y=6\n- macro: notb\n  condition: x.y=7\n"),
	                 0);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		int rc = ff_rules_expand(rs, ok[i], &out, &err);

		if (rc)
			print_message("'%s': %s\n", ok[i], err.msg);
		assert_int_equal(rc, 0);
		free(out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = ff_rules_expand(rs, bad[i], &out, &err);

		if (!rc) {
			print_message("'%s' accepted: %s\n", bad[i], out);
			free(out);
		}
		assert_int_equal(rc, -EINVAL);
	}
	ff_rules_free(rs);
}

/* ---- hostile YAML ---- */

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * n + tl + 1), *p = s;

	assert_non_null(s);
	memcpy(p, head, hl);
	p += hl;
	for (i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void expect_error(const char *yaml, size_t len, enum ff_rules_code code, const char *msg)
{
	struct ff_rules *rs = ff_rules_new();
	struct ff_err err = { 0 };
	const struct ff_rules_diag *d;
	int rc = ff_rules_load_buf(rs, "hostile.yaml", yaml, len, &err);

	d = find_diag(rs, code, 0);
	if (rc != -EINVAL || !d || !strstr(d->message, msg))
		print_diags(rs);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(d);
	assert_non_null(strstr(d->message, msg));
	ff_rules_free(rs);
}

static void test_hostile_yaml(void **state)
{
	char path[4096], *s;
	const char *src = getenv("top_srcdir");
	FILE *f;
	size_t n;
	char buf[8192];

	(void)state;
	/* billion laughs, from the fixture file */
	snprintf(path, sizeof(path), "%s/tests/rules/hostile_alias_bomb.yaml", src ? src : ".");
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	expect_error(buf, n, FF_LOAD_ERR_YAML_PARSE, "alias");
	/* recursive alias */
	s = "- &a [*a]\n";
	expect_error(s, strlen(s), FF_LOAD_ERR_YAML_PARSE, "");
	/* deep nesting */
	s = repeat("- list: x\n  items: ", "[", 100000, "\n");
	expect_error(s, strlen(s), FF_LOAD_ERR_YAML_PARSE, "nesting");
	free(s);
	s = repeat("- list: x\n  items: ", "{a: ", 100, "\n");
	expect_error(s, strlen(s), FF_LOAD_ERR_YAML_PARSE, "");
	free(s);
	/* huge scalar */
	s = repeat("- macro: x\n  condition: ", "a", 2u << 20, "\n");
	expect_error(s, strlen(s), FF_LOAD_ERR_YAML_PARSE, "scalar");
	free(s);
	/* whole document too large */
	s = repeat("", "- list: l\n  items: [aaaaaaaaaaaaaaaaaaaaaaaaaaa]\n", 400000, "");
	expect_error(s, strlen(s), FF_LOAD_ERR_YAML_PARSE, "larger than the limit");
	free(s);
	/* non-UTF-8, NUL, tabs */
	s = "- list: l\n  items: [\xff\xfe]\n";
	expect_error(s, strlen(s), FF_LOAD_ERR_YAML_PARSE, "");
	expect_error("- list: l\n  items: [a\0b]\n", 24, FF_LOAD_ERR_YAML_PARSE, "");
	s = "- list: l\n\titems: [a]\n";
	expect_error(s, strlen(s), FF_LOAD_ERR_YAML_PARSE, "");
	/* macro expansion bomb: m(k) = m(k-1) or m(k-1) */
	{
		size_t cap = 64 * 100 + 512;
		char *y = malloc(cap), *p = y;
		int k;

		assert_non_null(y);
		p += snprintf(p, cap, "- macro: m0\n  condition: evt.type=open\n");
		for (k = 1; k <= 40; k++)
			p += snprintf(p, cap - (size_t)(p - y),
			              "- macro: m%d\n  condition: m%d or m%d\n", k, k - 1, k - 1);
		snprintf(p, cap - (size_t)(p - y), "%s  condition: m40\n", RULE_HDR("r"));
		expect_error(y, strlen(y), FF_LOAD_ERR_COMPILE_CONDITION, "expanded condition");
		free(y);
	}
	/* a list splice bomb: a 1 MB list referenced twice */
	{
		size_t cap = 10000 * 110 + 512;
		char *y = malloc(cap), *p = y;
		int k;

		assert_non_null(y);
		p = y + snprintf(y, cap, "- list: big\n  items:\n");
		for (k = 0; k < 10000; k++)
			p += snprintf(p, cap - (size_t)(p - y), "  - %0100d\n", k);
		snprintf(p, cap - (size_t)(p - y), "%s  condition: x.y in (big) or x.y in (big)\n",
		         RULE_HDR("r"));
		expect_error(y, strlen(y), FF_LOAD_ERR_COMPILE_CONDITION, "too large");
		free(y);
	}
}

static void test_many_items(void **state)
{
	size_t n = 5000, i, cap = n * 200;
	char *y = malloc(cap), *p = y;
	struct ff_rules *rs = ff_rules_new();
	clock_t t0 = clock();

	(void)state;
	assert_non_null(y);
	for (i = 0; i < n; i++)
		p +=
		    snprintf(p, cap - (size_t)(p - y),
		             "- list: l%zu\n  items: [a%zu, b]\n- macro: m%zu\n  condition: x.y in "
		             "(l%zu)\n",
		             i, i, i, i);
	p += snprintf(p, cap - (size_t)(p - y), "%s  condition: m0", RULE_HDR("r"));
	for (i = 1; i < n; i++)
		p += snprintf(p, cap - (size_t)(p - y), " or m%zu", i);
	snprintf(p, cap - (size_t)(p - y), "\n");
	assert_int_equal(load(rs, y), 0);
	assert_int_equal(ff_rules_macro_count(rs), n);
	assert_int_equal(ff_rules_list_count(rs), n);
	assert_int_equal(ff_rules_nwarnings(rs, NULL), 0);
	assert_non_null(strstr(expanded(rs, "r"), "(x.y in ( a0, b )) or (x.y in ( a1, b ))"));
	/* generous bound: quadratic behaviour would take minutes */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 30.0);
	ff_rules_free(rs);

	/* a chain of 600 macros is refused cleanly (no deep recursion) */
	rs = ff_rules_new();
	p = y + snprintf(y, cap, "- macro: m0\n  condition: x.y=1\n");
	for (i = 1; i < 600; i++)
		p += snprintf(p, cap - (size_t)(p - y), "- macro: m%zu\n  condition: m%zu\n", i,
		              i - 1);
	snprintf(p, cap - (size_t)(p - y), "%s  condition: m599\n", RULE_HDR("r"));
	assert_int_equal(load_quiet(rs, y), -EINVAL);
	assert_non_null(
	    strstr(find_diag(rs, FF_LOAD_ERR_VALIDATE, 0)->message, "nested too deeply"));
	ff_rules_free(rs);
	free(y);
}

static void test_empty_and_null(void **state)
{
	struct ff_rules *rs = ff_rules_new();

	(void)state;
	assert_int_equal(load(rs, ""), 0);
	assert_int_equal(load(rs, "---\n---\n- ~\n-\n"), 0);
	assert_int_equal(load(rs, "# only a comment\n"), 0);
	assert_int_equal(ff_rules_diag_count(rs), 0);
	ff_rules_free(rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_upstream_each),
		cmocka_unit_test(test_upstream_all),
		cmocka_unit_test(test_upstream_later_file_changes_earlier),
		cmocka_unit_test(test_upstream_user_overrides),
		cmocka_unit_test(test_list_append_after_use),
		cmocka_unit_test(test_list_replace_before_definition),
		cmocka_unit_test(test_list_misspelled_override),
		cmocka_unit_test(test_macro_append),
		cmocka_unit_test(test_error_table),
		cmocka_unit_test(test_undefined_macro_offset),
		cmocka_unit_test(test_rule_sees_later_macro_and_invalid_names),
		cmocka_unit_test(test_nested_lists_and_splicing),
		cmocka_unit_test(test_rule_override_append),
		cmocka_unit_test(test_rule_legacy_append_and_replace),
		cmocka_unit_test(test_rule_enable_paths),
		cmocka_unit_test(test_rule_full_redefinition_and_keys),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_deprecated_output_fields),
		cmocka_unit_test(test_exceptions_text),
		cmocka_unit_test(test_exceptions_append_and_warnings),
		cmocka_unit_test(test_multi_file),
		cmocka_unit_test(test_selection),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_plugin_requirements),
		cmocka_unit_test(test_compile_hook),
		cmocka_unit_test(test_expand_adhoc),
		cmocka_unit_test(test_condition_structure),
		cmocka_unit_test(test_hostile_yaml),
		cmocka_unit_test(test_many_items),
		cmocka_unit_test(test_empty_and_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
