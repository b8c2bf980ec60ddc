/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ff_outputs and ff_config: the token bucket against hand-computed token
 * counts, config files and -o overrides, and the http channel against a
 * small HTTP server run by the test (it records the POSTed bodies, and can
 * answer 500 to check the retries, or not at all to check the error).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "ff_config.h"
#include "ff_engine.h"
#include "ff_outputs.h"

/* ---- token bucket ---- */

static void tb_rate(void **state)
{
	(void)state;
	struct ff_token_bucket tb;
	ff_tb_init(&tb, 2, 3, 100.0); /* 2 tokens/s, burst 3, starts full */
	assert_int_equal(ff_tb_claim(&tb, 100.0), 1);
	assert_int_equal(ff_tb_claim(&tb, 100.0), 1);
	assert_int_equal(ff_tb_claim(&tb, 100.0), 1);
	assert_int_equal(ff_tb_claim(&tb, 100.0), 0);
	assert_int_equal(ff_tb_claim(&tb, 100.25), 0); /* half a token */
	assert_int_equal(ff_tb_claim(&tb, 100.5), 1);  /* one token after 0.5 s */
	assert_int_equal(ff_tb_claim(&tb, 110.0), 1);  /* capped at 3 after a pause */
	assert_int_equal(ff_tb_claim(&tb, 110.0), 1);
	assert_int_equal(ff_tb_claim(&tb, 110.0), 1);
	assert_int_equal(ff_tb_claim(&tb, 110.0), 0);
}

static double fake_now(void *user)
{
	return *(double *)user;
}

static void outputs_throttle(void **state)
{
	(void)state;
	struct ff_config c;
	struct ff_outputs *o;
	struct ff_outputs_stats st;
	struct ff_err err = { 0 };
	double now = 5;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ff_config_init(&c);
	c.outputs_rate = 1;
	c.outputs_max_burst = 2;
	assert_int_equal(ff_outputs_new(&o, &c, f, &err), 0);
	ff_outputs_set_clock(o, fake_now, &now);
	for (int i = 0; i < 4; i++)
		assert_int_equal(ff_outputs_emit(o, FF_PRIO_WARNING, "a", 1, &err), 0);
	now = 6;
	assert_int_equal(ff_outputs_emit(o, FF_PRIO_WARNING, "b", 1, &err), 0);
	assert_int_equal(ff_outputs_close(o, &err), 0);
	ff_outputs_stats(o, &st);
	assert_int_equal(st.sent, 3);
	assert_int_equal(st.throttled, 2);
	ff_outputs_free(o);
	fclose(f);
	assert_string_equal(buf, "a\na\nb\n");
	free(buf);
	ff_config_free(&c);
}

/* ---- config ---- */

static void config_file_and_overrides(void **state)
{
	(void)state;
	char path[] = "/tmp/ff-config-XXXXXX";
	int fd = mkstemp(path);
	struct ff_config c;
	struct ff_err err = { 0 };
	static const char yaml[] = "rules_file:\n"
	                           "  - /a.yaml\n"
	                           "  - /b.yaml\n"
	                           "json_output: true\n"
	                           "priority: notice\n"
	                           "unknown_section:\n"
	                           "  nested: [1, 2]\n"
	                           "http_output:\n"
	                           "  enabled: true\n"
	                           "  url: http://127.0.0.1:1/x\n"
	                           "outputs:\n"
	                           "  rate: 0.5\n"
	                           "  max_burst: 7\n"
	                           "rule_matching: all\n";

	assert_true(fd >= 0);
	assert_int_equal(write(fd, yaml, sizeof(yaml) - 1), (ssize_t)sizeof(yaml) - 1);
	close(fd);
	ff_config_init(&c);
	assert_int_equal(ff_config_load_file(&c, path, &err), 0);
	assert_int_equal(c.nrules_files, 2);
	assert_string_equal(c.rules_files[1], "/b.yaml");
	assert_int_equal(c.json_output, 1);
	assert_int_equal(c.priority, FF_PRIO_NOTICE);
	assert_int_equal(c.http_enabled, 1);
	assert_string_equal(c.http_url, "http://127.0.0.1:1/x");
	assert_true(c.outputs_rate == 0.5 && c.outputs_max_burst == 7);
	assert_int_equal(c.rule_matching_all, 1);
	assert_int_equal(c.stdout_enabled, 1); /* default kept */
	assert_int_equal(ff_config_set(&c, "stdout_output.enabled=false", &err), 0);
	assert_int_equal(c.stdout_enabled, 0);
	assert_int_equal(ff_config_set(&c, "rules_file=/c.yaml", &err), 0);
	assert_int_equal(c.nrules_files, 1);
	assert_int_equal(ff_config_set(&c, "json_output=maybe", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "json_output"));
	assert_int_equal(ff_config_set(&c, "=x", &err), -EINVAL);
	assert_int_equal(ff_config_set(&c, "some.unknown.key=1", &err), 0);
	ff_config_free(&c);

	/* a bad value in the file names its line and column */
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	static const char bad[] = "json_output: true\npriority: loud\n";
	assert_int_equal(write(fd, bad, sizeof(bad) - 1), (ssize_t)sizeof(bad) - 1);
	close(fd);
	ff_config_init(&c);
	assert_int_equal(ff_config_load_file(&c, path, &err), -EINVAL);
	assert_non_null(strstr(err.msg, ":2:11: bad value 'loud' for priority"));
	ff_config_free(&c);
	unlink(path);
}

/* a config file with `text`; the loader's result, the config kept in *c */
static int load_text(struct ff_config *c, const char *text, struct ff_err *err)
{
	char path[] = "/tmp/ff-cfg-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	ff_config_init(c);
	int rc = ff_config_load_file(c, path, err);
	unlink(path);
	return rc;
}

/* append_output, a list of maps read as falco.yaml has it */
static void config_append_output(void **state)
{
	(void)state;
	struct ff_config c;
	struct ff_err err = { 0 };

	/* the default: Falco's one suggested_output entry */
	ff_config_init(&c);
	assert_int_equal(c.nappend, 1);
	assert_int_equal(c.append[0].suggested_output, 1);
	ff_config_free(&c);

	setenv("FF_TEST_AO", "val", 1);
	unsetenv("FF_TEST_UNSET");
	assert_int_equal(
	    load_text(&c,
	              "priority: debug\n"
	              "append_output:\n"
	              "  - match:\n"
	              "      source: syscall\n"
	              "      tags: [a, b]\n"
	              "      rule: ''\n"
	              "    extra_output: \"x=${FF_TEST_AO} y=${FF_TEST_UNSET}| $${L}\"\n"
	              "    extra_fields:\n"
	              "      - proc.name\n"
	              "      - {k: \"%proc.pid\"}\n"
	              "    bogus: {deep: [1]}\n"
	              "  - {suggested_output: false, extra_output: 'a$b ${FF_TEST_AO}'}\n"
	              "json_output: true\n",
	              &err),
	    0);
	assert_int_equal(c.json_output, 1); /* keys after the list still read */
	assert_int_equal(c.nappend, 2);
	const struct ff_append_output *a = &c.append[0];
	assert_string_equal(a->source, "syscall");
	assert_null(a->rule); /* '' matches anything */
	assert_int_equal(a->ntags, 2);
	assert_string_equal(a->tags[1], "b");
	assert_string_equal(a->extra_output, "x=val y=| ${L}");
	assert_int_equal(a->nfields, 2);
	assert_string_equal(a->fields[0].key, "proc.name");
	assert_null(a->fields[0].format);
	assert_string_equal(a->fields[1].key, "k");
	assert_string_equal(a->fields[1].format, "%proc.pid");
	assert_non_null(strstr(a->where, ":3:5"));
	/* Falco stops expanding at a `$` that starts neither form */
	assert_string_equal(c.append[1].extra_output, "a$b ${FF_TEST_AO}");
	assert_int_equal(c.append[1].suggested_output, 0);
	assert_int_equal(c.nwarnings, 1);
	assert_non_null(strstr(c.warnings[0], ":11:5: append_output: unknown key 'bogus'"));

	/* -o: [] appends, [N] replaces entry N, anything else is refused */
	assert_int_equal(ff_config_set(&c, "append_output[]={\"extra_output\": \"z\"}", &err), 0);
	assert_int_equal(c.nappend, 3);
	assert_string_equal(c.append[2].extra_output, "z");
	assert_int_equal(ff_config_set(&c, "append_output[0]={match: {rule: R}}", &err), 0);
	assert_int_equal(c.nappend, 3);
	assert_string_equal(c.append[0].rule, "R");
	assert_null(c.append[0].extra_output);
	assert_int_equal(ff_config_set(&c, "append_output[7]={}", &err), -EINVAL);
	assert_int_equal(ff_config_set(&c, "append_output=[]", &err), -EINVAL);
	assert_int_equal(ff_config_set(&c, "append_output[]={extra_fields: 3}", &err), -EINVAL);
	assert_non_null(strstr(err.msg, "extra_fields: expected a list"));
	ff_config_free(&c);

	/* null: no entries at all (no container suffix either) */
	assert_int_equal(load_text(&c, "append_output:\n", &err), 0);
	assert_int_equal(c.nappend, 0);
	ff_config_free(&c);

	/* what Falco refuses is an error naming the place */
	static const struct {
		const char *text, *msg;
	} bad[] = {
		{ "append_output: yes\n", ":1:16: append_output: expected a list" },
		{ "append_output:\n  - 3\n", ":2:5: append_output: each entry must be a map" },
		{ "append_output:\n  - match: [a]\n",
		  ":2:12: append_output: match: expected a map" },
		{ "append_output:\n  - match: {tags: [[x]]}\n",
		  ":2:20: append_output: match.tags: a tag must be a string" },
		{ "append_output:\n  - extra_fields: [{a: x, b: y}]\n",
		  ":2:20: append_output: extra_fields: a {key: format} item has one key only" },
		{ "append_output:\n  - extra_fields: [a, {a: x}]\n",
		  ":2:24: append_output: extra_fields: key defined twice: a" },
		{ "append_output:\n  - extra_fields: [{a: [x]}]\n",
		  ":2:24: append_output: extra_fields: the format must be a string" },
		{ "append_output:\n  - suggested_output: maybe\n",
		  ":2:5: append_output: suggested_output: expected true or false, got maybe" },
		{ "append_output:\n  - &x {extra_output: a}\n  - *x\n",
		  ":3:5: aliases are not supported" },
		{ "append_output:\n  - {extra_output: a\n", "YAML error" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_equal(load_text(&c, bad[i].text, &err), -EINVAL);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("case %zu: '%s' lacks '%s'", i, err.msg, bad[i].msg);
		ff_config_free(&c);
	}
	/* a plain field twice is one field, as in Falco's set */
	assert_int_equal(load_text(&c, "append_output:\n  - extra_fields: [a, a]\n", &err), 0);
	ff_config_free(&c);
}

/* ---- http: a one-thread server answering `status` (0: close without answer) ---- */

struct server {
	int lfd, port;
	int statuses[8]; /* status for the n-th request; 200 after the list */
	int nreq;
	char bodies[8][512];
	pthread_t thr;
};

static void *serve(void *arg)
{
	struct server *s = arg;
	for (;;) {
		int c = accept(s->lfd, NULL, NULL);
		if (c < 0)
			return NULL;
		char buf[4096];
		size_t got = 0;
		ssize_t n;
		long clen = -1;
		char *body = NULL;
		while ((n = read(c, buf + got, sizeof(buf) - 1 - got)) > 0) {
			got += (size_t)n;
			buf[got] = '\0';
			body = strstr(buf, "\r\n\r\n");
			if (body && clen < 0) {
				char *cl = strcasestr(buf, "Content-Length:");
				clen = cl ? strtol(cl + 15, NULL, 10) : 0;
			}
			if (body && (long)(got - (size_t)(body + 4 - buf)) >= clen)
				break;
		}
		int i = s->nreq++;
		if (body && i < 8)
			snprintf(s->bodies[i], sizeof(s->bodies[i]), "%s", body + 4);
		int st = i < 8 && s->statuses[i] ? s->statuses[i] : 200;
		if (i < 8 && s->statuses[i] < 0) {
			close(c);
			continue;
		}
		char resp[128];
		int rl =
		    snprintf(resp, sizeof(resp),
		             "HTTP/1.1 %d X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", st);
		if (write(c, resp, (size_t)rl) < 0)
			perror("write");
		close(c);
	}
}

static void server_start(struct server *s)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t al = sizeof(a);
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(s->lfd >= 0);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(listen(s->lfd, 8), 0);
	assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&a, &al), 0);
	s->port = ntohs(a.sin_port);
	assert_int_equal(pthread_create(&s->thr, NULL, serve, s), 0);
}

static void server_stop(struct server *s)
{
	shutdown(s->lfd, SHUT_RDWR);
	close(s->lfd);
	pthread_join(s->thr, NULL);
}

static void http_post_and_retry(void **state)
{
	(void)state;
	struct server s = { .statuses = { 200, 500, 503 } };
	struct ff_config c;
	struct ff_outputs *o;
	struct ff_outputs_stats st;
	struct ff_err err = { 0 };
	char url[64];

	server_start(&s);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/alerts", s.port);
	ff_config_init(&c);
	c.stdout_enabled = 0;
	c.http_enabled = 1;
	c.http_url = strdup(url);
	assert_int_equal(ff_outputs_new(&o, &c, stdout, &err), 0);
	assert_int_equal(ff_outputs_emit(o, FF_PRIO_WARNING, "{\"a\":1}", 7, &err), 0);
	/* the second alert gets 500, then 503, then 200 on its third attempt */
	assert_int_equal(ff_outputs_emit(o, FF_PRIO_ERROR, "{\"b\":2}", 7, &err), 0);
	assert_int_equal(ff_outputs_close(o, &err), 0);
	ff_outputs_stats(o, &st);
	assert_int_equal(st.http_sent, 2);
	assert_int_equal(st.http_failed, 0);
	ff_outputs_free(o);
	server_stop(&s);
	assert_int_equal(s.nreq, 4);
	assert_string_equal(s.bodies[0], "{\"a\":1}");
	assert_string_equal(s.bodies[3], "{\"b\":2}");
	ff_config_free(&c);
}

static void http_gives_up(void **state)
{
	(void)state;
	struct server s = { .statuses = { 500, 500, 500 } };
	struct ff_config c;
	struct ff_outputs *o;
	struct ff_err err = { 0 };
	char url[64];

	server_start(&s);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", s.port);
	ff_config_init(&c);
	c.stdout_enabled = 0;
	c.http_enabled = 1;
	c.http_retries = 2;
	c.http_url = strdup(url);
	assert_int_equal(ff_outputs_new(&o, &c, stdout, &err), 0);
	assert_int_equal(ff_outputs_emit(o, FF_PRIO_WARNING, "x", 1, &err), 0);
	assert_int_equal(ff_outputs_close(o, &err), -EIO);
	assert_non_null(strstr(err.msg, "1 alert(s) not delivered"));
	assert_non_null(strstr(err.msg, "HTTP status 500"));
	ff_outputs_free(o);
	server_stop(&s);
	assert_int_equal(s.nreq, 3); /* first attempt and two retries */
	ff_config_free(&c);
}

/* ---- JSON escaping of alert lines ---- */

static void json_escape(void **state)
{
	(void)state;
	struct ff_sbuf b = { 0 };
	static const char in[] = "sh -c \"x\"\t\\ \x01 caf\xc3\xa9 bad\xff end";
	assert_int_equal(ff_engine_json_escape(&b, in, sizeof(in) - 1), 0);
	assert_int_equal(ff_sbuf_put(&b, "", 1), 0);
	assert_string_equal(b.p, "sh -c \\\"x\\\"\\t\\\\ \\u0001 caf\xc3\xa9 bad\xef\xbf\xbd end");
	ff_sbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(tb_rate),
		cmocka_unit_test(outputs_throttle),
		cmocka_unit_test(config_file_and_overrides),
		cmocka_unit_test(config_append_output),
		cmocka_unit_test(http_post_and_retry),
		cmocka_unit_test(http_gives_up),
		cmocka_unit_test(json_escape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
