/* SPDX-License-Identifier: Apache-2.0 */
/* Alert channels (ff_outputs.h). */
#include "config.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "ff_outputs.h"

void ff_tb_init(struct ff_token_bucket *tb, double rate, double max, double now)
{
	tb->rate = rate;
	tb->max = max;
	tb->tokens = max;
	tb->last = now;
}

int ff_tb_claim(struct ff_token_bucket *tb, double now)
{
	if (now > tb->last) {
		tb->tokens += (now - tb->last) * tb->rate;
		if (tb->tokens > tb->max)
			tb->tokens = tb->max;
	}
	tb->last = now;
	if (tb->tokens < 1)
		return 0;
	tb->tokens -= 1;
	return 1;
}

struct hmsg {
	struct hmsg *next;
	size_t len;
	char data[];
};

struct ff_outputs {
	const struct ff_config *c;
	FILE *out;
	FILE *file; /* keep_alive file */
	FILE *prog; /* keep_alive program pipe */
	int syslog_open;
	struct ff_token_bucket tb;
	double (*now)(void *);
	void *now_user;
	struct ff_outputs_stats st;
	/* http: a queue drained by one thread */
	int http;
	pthread_t thr;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct hmsg *head, *tail;
	size_t qlen;
	int stopping;
	char http_err[256];
};
#define HTTP_ERR_SZ 256

static double mono_now(void *user)
{
	(void)user;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t discard_body(char *p, size_t sz, size_t n, void *u)
{
	(void)p;
	(void)u;
	return sz * n;
}

/* One POST with retries (backoff 100 ms, doubling).  0 or -EIO. */
static int http_post(struct ff_outputs *o, CURL *h, const struct hmsg *m)
{
	long code = 0;
	unsigned delay_ms = 100;

	for (unsigned attempt = 0; attempt <= o->c->http_retries; attempt++) {
		const char *body = m->data;
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)m->len);
		CURLcode rc = curl_easy_perform(h);
		if (rc == CURLE_OK) {
			curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
			if (code >= 200 && code < 300)
				return 0;
			snprintf(o->http_err, HTTP_ERR_SZ, "%s: HTTP status %ld", o->c->http_url,
			         code);
			if (code < 500 && code != 429)
				return -EIO; /* the server refuses it: retrying will not help */
		} else {
			snprintf(o->http_err, HTTP_ERR_SZ, "%s: %s", o->c->http_url,
			         curl_easy_strerror(rc));
		}
		if (attempt < o->c->http_retries) {
			struct timespec ts = { delay_ms / 1000,
				               (long)(delay_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
			delay_ms *= 2;
		}
	}
	return -EIO;
}

static void *http_thread(void *arg)
{
	struct ff_outputs *o = arg;
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");

	if (h) {
		curl_easy_setopt(h, CURLOPT_URL, o->c->http_url);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_USERAGENT,
		                 o->c->http_user_agent ? o->c->http_user_agent : "falco-forensics");
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
		if (o->c->http_insecure) {
			curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
			curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
		}
	}
	pthread_mutex_lock(&o->mu);
	for (;;) {
		while (!o->head && !o->stopping)
			pthread_cond_wait(&o->cv, &o->mu);
		if (!o->head)
			break;
		struct hmsg *m = o->head;
		o->head = m->next;
		if (!o->head)
			o->tail = NULL;
		o->qlen--;
		pthread_mutex_unlock(&o->mu);
		int rc = h ? http_post(o, h, m) : -ENOMEM;
		free(m);
		pthread_mutex_lock(&o->mu);
		if (rc)
			o->st.http_failed++;
		else
			o->st.http_sent++;
	}
	pthread_mutex_unlock(&o->mu);
	curl_slist_free_all(hdr);
	if (h)
		curl_easy_cleanup(h);
	return NULL;
}

int ff_outputs_new(struct ff_outputs **out, const struct ff_config *c, FILE *stream,
                   struct ff_err *err)
{
	struct ff_outputs *o = calloc(1, sizeof(*o));
	*out = NULL;
	if (!o)
		return ff_errf(err, -ENOMEM, "out of memory");
	o->c = c;
	o->out = stream;
	o->now = mono_now;
	ff_tb_init(&o->tb, c->outputs_rate, c->outputs_max_burst, o->now(NULL));
	if (c->file_enabled && (!c->file_filename || !*c->file_filename)) {
		free(o);
		return ff_errf(err, -EINVAL, "file_output: no filename");
	}
	if (c->program_enabled && (!c->program || !*c->program)) {
		free(o);
		return ff_errf(err, -EINVAL, "program_output: no program");
	}
	if (c->http_enabled) {
		if (!c->http_url || !*c->http_url) {
			free(o);
			return ff_errf(err, -EINVAL, "http_output: no url");
		}
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			free(o);
			return ff_errf(err, -EIO, "http_output: libcurl initialisation failed");
		}
		pthread_mutex_init(&o->mu, NULL);
		pthread_cond_init(&o->cv, NULL);
		if (pthread_create(&o->thr, NULL, http_thread, o)) {
			pthread_mutex_destroy(&o->mu);
			pthread_cond_destroy(&o->cv);
			curl_global_cleanup();
			free(o);
			return ff_errf(err, -EAGAIN, "http_output: cannot start its thread");
		}
		o->http = 1;
	}
	if (c->syslog_enabled) {
		openlog("falco-forensics", LOG_PID, LOG_USER);
		o->syslog_open = 1;
	}
	/* a program that exits early must not kill us */
	if (c->program_enabled)
		signal(SIGPIPE, SIG_IGN);
	*out = o;
	return 0;
}

void ff_outputs_set_clock(struct ff_outputs *o, double (*now)(void *), void *user)
{
	o->now = now;
	o->now_user = user;
	ff_tb_init(&o->tb, o->c->outputs_rate, o->c->outputs_max_burst, now(user));
}

static int put_line(FILE *f, const char *line, size_t len)
{
	if (fwrite(line, 1, len, f) != len || fputc('\n', f) == EOF)
		return -EIO;
	return 0;
}

static int syslog_level(enum ff_priority p)
{
	/* Falco's priorities are syslog's severities, in the same order */
	return (int)p;
}

int ff_outputs_emit(struct ff_outputs *o, enum ff_priority p, const char *line, size_t len,
                    struct ff_err *err)
{
	const struct ff_config *c = o->c;

	if (c->outputs_rate > 0 && !ff_tb_claim(&o->tb, o->now(o->now_user))) {
		o->st.throttled++;
		return 0;
	}
	o->st.sent++;
	if (c->stdout_enabled && put_line(o->out, line, len))
		return ff_errf(err, -EIO, "stdout_output: write error");
	if (c->file_enabled) {
		FILE *f = o->file;
		if (!f && !(f = fopen(c->file_filename, "a")))
			return ff_errf(err, -errno, "file_output: %s: %s", c->file_filename,
			               strerror(errno));
		int rc = put_line(f, line, len);
		if (c->file_keep_alive)
			o->file = f;
		else if (fclose(f))
			rc = -EIO;
		if (rc)
			return ff_errf(err, rc, "file_output: %s: write error", c->file_filename);
	}
	if (o->syslog_open)
		syslog(syslog_level(p), "%.*s", (int)len, line);
	if (c->program_enabled) {
		FILE *f = o->prog;
		if (!f && !(f = popen(c->program, "w")))
			return ff_errf(err, -errno, "program_output: %s: %s", c->program,
			               strerror(errno));
		int rc = put_line(f, line, len);
		if (c->program_keep_alive)
			o->prog = f;
		else if (pclose(f) == -1)
			rc = -EIO;
		if (rc)
			return ff_errf(err, rc, "program_output: %s: write error", c->program);
	}
	if (o->http) {
		struct hmsg *m = malloc(sizeof(*m) + len + 1);
		if (!m)
			return ff_errf(err, -ENOMEM, "out of memory");
		m->next = NULL;
		m->len = len;
		memcpy(m->data, line, len);
		m->data[len] = '\0';
		pthread_mutex_lock(&o->mu);
		if (o->qlen >= c->http_queue) {
			o->st.http_dropped++;
			free(m);
		} else {
			if (o->tail)
				o->tail->next = m;
			else
				o->head = m;
			o->tail = m;
			o->qlen++;
			pthread_cond_signal(&o->cv);
		}
		pthread_mutex_unlock(&o->mu);
	}
	return 0;
}

int ff_outputs_close(struct ff_outputs *o, struct ff_err *err)
{
	int rc = 0;
	if (!o)
		return 0;
	if (o->out && fflush(o->out))
		rc = ff_errf(err, -EIO, "stdout_output: write error");
	if (o->file) {
		if (fclose(o->file) && !rc)
			rc =
			    ff_errf(err, -EIO, "file_output: %s: write error", o->c->file_filename);
		o->file = NULL;
	}
	if (o->prog) {
		if (pclose(o->prog) == -1 && !rc)
			rc = ff_errf(err, -EIO, "program_output: %s: close error", o->c->program);
		o->prog = NULL;
	}
	if (o->http) {
		pthread_mutex_lock(&o->mu);
		o->stopping = 1;
		pthread_cond_signal(&o->cv);
		pthread_mutex_unlock(&o->mu);
		pthread_join(o->thr, NULL);
		pthread_mutex_destroy(&o->mu);
		pthread_cond_destroy(&o->cv);
		curl_global_cleanup();
		o->http = 0;
		if ((o->st.http_failed || o->st.http_dropped) && !rc)
			rc = ff_errf(err, -EIO, "http_output: %llu alert(s) not delivered (%s)",
			             (unsigned long long)(o->st.http_failed + o->st.http_dropped),
			             o->http_err[0] ? o->http_err : "queue full");
	}
	if (o->syslog_open) {
		closelog();
		o->syslog_open = 0;
	}
	return rc;
}

void ff_outputs_free(struct ff_outputs *o)
{
	if (!o)
		return;
	ff_outputs_close(o, &(struct ff_err){ 0 });
	free(o);
}

void ff_outputs_stats(const struct ff_outputs *o, struct ff_outputs_stats *s)
{
	*s = o->st;
}
