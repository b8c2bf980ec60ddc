/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every rule condition of the upstream stable rules file must compile once
 * lists are substituted (docs/rules-language.md §6.5, done here in a small
 * test-only version) and macros are expanded through the resolver hook; and
 * the event-type set of each rule must equal the worked results of §10.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <yaml.h>

#include "ff_filter.h"
#include "mock_fields.h"

#define MAXN 512

struct item {
	char *name;
	char *text;   /* condition (macro/rule) */
	char **items; /* list */
	size_t nitems;
};

struct rules {
	struct item lists[MAXN], macros[MAXN], rules[MAXN];
	size_t nl, nm, nr;
};

static const char *scalar(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		yaml_node_t *v = yaml_document_get_node(d, p->value);
		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return v && v->type == YAML_SCALAR_NODE ? (char *)v->data.scalar.value : "";
	}
	return NULL;
}

static yaml_node_t *node(yaml_document_t *d, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *k = yaml_document_get_node(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE &&
		    strcmp((char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(d, p->value);
	}
	return NULL;
}

static struct item *find(struct item *v, size_t n, const char *name, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(v[i].name) == len && memcmp(v[i].name, name, len) == 0)
			return &v[i];
	return NULL;
}

static void load(const char *path, struct rules *r)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	yaml_parser_t ps;
	yaml_document_t d;
	assert_true(yaml_parser_initialize(&ps));
	yaml_parser_set_input_file(&ps, fp);
	assert_true(yaml_parser_load(&ps, &d));
	yaml_node_t *root = yaml_document_get_root_node(&d);
	assert_non_null(root);
	assert_int_equal(root->type, YAML_SEQUENCE_NODE);
	for (yaml_node_item_t *it = root->data.sequence.items.start;
	     it < root->data.sequence.items.top; it++) {
		yaml_node_t *m = yaml_document_get_node(&d, *it);
		const char *n;
		if (!m || m->type != YAML_MAPPING_NODE)
			continue;
		if ((n = scalar(&d, m, "list"))) {
			assert_true(r->nl < MAXN);
			struct item *l = &r->lists[r->nl++];
			yaml_node_t *its = node(&d, m, "items");
			assert_non_null(its);
			size_t cap =
			    (size_t)(its->data.sequence.items.top - its->data.sequence.items.start);
			l->name = strdup(n);
			/* room for one level of nested lists */
			for (yaml_node_item_t *x = its->data.sequence.items.start;
			     x < its->data.sequence.items.top; x++) {
				const char *v =
				    (char *)yaml_document_get_node(&d, *x)->data.scalar.value;
				struct item *nl = find(r->lists, r->nl - 1, v, strlen(v));
				cap += nl ? nl->nitems : 0;
			}
			l->items = calloc(cap + 1, sizeof(char *));
			for (yaml_node_item_t *x = its->data.sequence.items.start;
			     x < its->data.sequence.items.top; x++) {
				const char *v =
				    (char *)yaml_document_get_node(&d, *x)->data.scalar.value;
				/* nested list names expand one level */
				struct item *nl = find(r->lists, r->nl - 1, v, strlen(v));
				if (nl) {
					for (size_t k = 0; k < nl->nitems; k++)
						l->items[l->nitems++] = strdup(nl->items[k]);
				} else {
					l->items[l->nitems++] = strdup(v);
				}
			}
		} else if ((n = scalar(&d, m, "macro"))) {
			assert_true(r->nm < MAXN);
			r->macros[r->nm].name = strdup(n);
			r->macros[r->nm++].text = strdup(scalar(&d, m, "condition"));
		} else if ((n = scalar(&d, m, "rule"))) {
			assert_true(r->nr < MAXN);
			r->rules[r->nr].name = strdup(n);
			r->rules[r->nr++].text = strdup(scalar(&d, m, "condition"));
		}
	}
	yaml_document_delete(&d);
	yaml_parser_delete(&ps);
	fclose(fp);
}

static bool bound(char c)
{
	return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' ||
	       c == ')' || c == ',' || c == '=';
}

/* Textual list substitution (§6.5), simplified: no empty-list comma fixup
 * beyond dropping one following comma. */
static char *subst(const struct rules *r, const char *text)
{
	char *s = strdup(text);
	for (size_t li = 0; li < r->nl; li++) {
		const struct item *l = &r->lists[li];
		size_t nl = strlen(l->name);
		for (char *p = strstr(s, l->name); p; p = strstr(p, l->name)) {
			if (!(p == s || bound(p[-1])) || !bound(p[nl])) {
				p += nl;
				continue;
			}
			size_t rl = 2;
			for (size_t k = 0; k < l->nitems; k++)
				rl += strlen(l->items[k]) + 4;
			char *rep = malloc(rl + 1), *q = rep;
			*q++ = ' ';
			for (size_t k = 0; k < l->nitems; k++) {
				const char *v = l->items[k];
				bool quote = strchr(v, ' ') && v[0] != '"' && v[0] != '\'';
				q += snprintf(q, rl - (size_t)(q - rep), "%s%s%s%s", k ? ", " : "",
				              quote ? "\"" : "", v, quote ? "\"" : "");
			}
			*q++ = ' ';
			*q = '\0';
			size_t tail = nl, pre = (size_t)(p - s);
			if (l->nitems == 0) {
				/* an empty list takes one adjacent comma with it */
				size_t j = nl, b = pre;
				while (p[j] == ' ')
					j++;
				while (b > 0 && s[b - 1] == ' ')
					b--;
				if (p[j] == ',')
					tail = j + 1;
				else if (b > 0 && s[b - 1] == ',')
					pre = b - 1;
			}
			size_t rlen = strlen(rep), after = strlen(p + tail);
			char *ns = malloc(pre + rlen + after + 1);
			memcpy(ns, s, pre);
			memcpy(ns + pre, rep, rlen);
			memcpy(ns + pre + rlen, p + tail, after + 1);
			free(s);
			s = ns;
			p = s + pre + rlen;
			free(rep);
		}
	}
	return s;
}

static struct rules R;
static char *macro_text[MAXN];

static int resolve(void *user, const char *name, size_t len, struct ff_ident *out)
{
	(void)user;
	struct item *m = find(R.macros, R.nm, name, len);
	if (m) {
		out->kind = FF_IDENT_MACRO;
		out->text = macro_text[m - R.macros];
		out->text_len = strlen(out->text);
		return 0;
	}
	struct item *l = find(R.lists, R.nl, name, len);
	if (l) {
		out->kind = FF_IDENT_LIST;
		out->items = (const char *const *)l->items;
		out->nitems = l->nitems;
	}
	return 0;
}

static const struct {
	const char *rule, *types;
} expected[] = {
	{ "Directory traversal monitored file read", "open,openat,openat2" },
	{ "Read sensitive file trusted after startup", "open,openat,openat2" },
	{ "Read sensitive file untrusted", "open,openat,openat2" },
	{ "Clear Log Activities", "open,openat,openat2" },
	{ "Detect release_agent File Container Escapes", "open,openat,openat2" },
	{ "Run shell untrusted", "execve,execveat" },
	{ "System user interactive", "execve,execveat" },
	{ "Terminal shell in container", "execve,execveat" },
	{ "Netcat Remote Code Execution in Container", "execve,execveat" },
	{ "Search Private Keys or Passwords", "execve,execveat" },
	{ "Remove Bulk Data from Disk", "execve,execveat" },
	{ "Debugfs Launched in Privileged Container", "execve,execveat" },
	{ "Find AWS Credentials", "execve,execveat" },
	{ "Execution from /dev/shm", "execve,execveat" },
	{ "Drop and execute new binary in container", "execve,execveat" },
	{ "Fileless execution via memfd_create", "execve,execveat" },
	{ "Contact K8S API Server From Container", "connect" },
	{ "Disallowed SSH Connection Non Standard Port", "connect,sendmsg,sendto" },
	{ "Create Symlink Over Sensitive Files", "symlink,symlinkat" },
	{ "Create Hardlink Over Sensitive Files", "link,linkat" },
	{ "Packet socket created in container", "socket" },
	{ "Redirect STDOUT/STDIN to Network Connection in Container", "dup,dup2,dup3" },
	{ "Linux Kernel Module Injection Detected", "finit_module,init_module" },
	{ "PTRACE attached to process", "ptrace" },
	{ "PTRACE anti-debug attempt", "ptrace" },
};

static void names_of(const uint8_t *set, char *out, size_t sz)
{
	const char *names[FF_EVENT_MAX];
	size_t m = 0, k = 0;
	for (unsigned i = 0; i < FF_EVENT_MAX; i++)
		if (set[i / 8] & (1u << (i % 8)))
			names[m++] = ff_event_table[i].name;
	for (size_t i = 1; i < m; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	out[0] = '\0';
	for (size_t i = 0; i < m && k < sz; i++)
		if (!i || strcmp(names[i], names[i - 1]) != 0)
			k += (size_t)snprintf(out + k, sz - k, "%s%s", k ? "," : "", names[i]);
}

static void test_stable_rules(void **state)
{
	(void)state;
	const char *shared = getenv("FF_SHARED");
	char path[1024];
	snprintf(path, sizeof(path), "%s/rules-upstream/falco_rules.yaml",
	         shared ? shared : "../shared");
	FILE *fp = fopen(path, "rb");
	if (!fp)
		skip();
	fclose(fp);
	load(path, &R);
	assert_int_equal(R.nr, 25);
	for (size_t i = 0; i < R.nm; i++)
		macro_text[i] = subst(&R, R.macros[i].text);

	ff_fields *fs = ff_fields_new();
	ff_fcache *cache = ff_fcache_new();
	struct ff_err err = { 0 };
	assert_int_equal(ff_fields_add(fs, mock_defs, mock_ndefs, &err), 0);
	struct ff_filter_opts o = {
		.sz = sizeof(o), .fields = fs, .cache = cache, .resolve = resolve
	};
	size_t checked = 0;
	for (size_t i = 0; i < R.nr; i++) {
		char *cond = subst(&R, R.rules[i].text);
		ff_filter *f;
		if (ff_filter_compile(cond, strlen(cond), &o, &f, &err))
			fail_msg("rule '%s': %s\n%s", R.rules[i].name, err.msg, cond);
		uint8_t set[FF_EVTSET_BYTES];
		char got[2048];
		ff_filter_evttypes(f, set);
		names_of(set, got, sizeof(got));
		for (size_t k = 0; k < sizeof(expected) / sizeof(expected[0]); k++)
			if (strcmp(expected[k].rule, R.rules[i].name) == 0) {
				if (strcmp(expected[k].types, got) != 0)
					fail_msg("rule '%s': expected {%s}, got {%s}",
					         R.rules[i].name, expected[k].types, got);
				checked++;
			}
		/* evaluating on an event with every field missing must not fail */
		struct mock_evt e = { 0 };
		assert_true(ff_filter_eval(f, &e, i + 1) >= 0);
		ff_filter_free(f);
		free(cond);
	}
	assert_int_equal(checked, sizeof(expected) / sizeof(expected[0]));
	/* every macro also compiles on its own */
	for (size_t i = 0; i < R.nm; i++) {
		ff_filter *f;
		if (ff_filter_compile(macro_text[i], strlen(macro_text[i]), &o, &f, &err))
			fail_msg("macro '%s': %s", R.macros[i].name, err.msg);
		ff_filter_free(f);
	}
	ff_fcache_free(cache);
	ff_fields_free(fs);
	for (size_t i = 0; i < R.nm; i++) {
		free(macro_text[i]);
		free(R.macros[i].name);
		free(R.macros[i].text);
	}
	for (size_t i = 0; i < R.nr; i++) {
		free(R.rules[i].name);
		free(R.rules[i].text);
	}
	for (size_t i = 0; i < R.nl; i++) {
		for (size_t k = 0; k < R.lists[i].nitems; k++)
			free(R.lists[i].items[k]);
		free(R.lists[i].items);
		free(R.lists[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stable_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
