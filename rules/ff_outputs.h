/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Alert channels, configured from ff_config: stdout, file, syslog, program
 * (alerts piped to a shell command) and http(s) (a POST of each JSON alert,
 * libcurl, on its own thread with a bounded queue and retries).  Every alert
 * first claims a token from Falco's token bucket (outputs.rate per second,
 * outputs.max_burst); without a token it is dropped and counted.
 */
#ifndef FF_OUTPUTS_H
#define FF_OUTPUTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ff_config.h"
#include "ff_err.h"
#include "ff_rules.h"

struct ff_outputs;

/* `stream` is the stdout channel's stream (stdout in the program). */
int ff_outputs_new(struct ff_outputs **out, const struct ff_config *c, FILE *stream,
                   struct ff_err *err);

/* Monotonic clock in seconds for the token bucket (tests inject one). */
void ff_outputs_set_clock(struct ff_outputs *o, double (*now)(void *), void *user);

/* Send one alert line (text or JSON as configured, without newline).
 * 0, or a negative errno (message in err) when a channel failed. */
int ff_outputs_emit(struct ff_outputs *o, enum ff_priority p, const char *line, size_t len,
                    struct ff_err *err);

/* Flush and stop the channels (waits for the http queue to drain).  Returns
 * 0 or the first channel error. */
int ff_outputs_close(struct ff_outputs *o, struct ff_err *err);
void ff_outputs_free(struct ff_outputs *o);

struct ff_outputs_stats {
	uint64_t sent;                                 /* alerts that got a token */
	uint64_t throttled;                            /* dropped by the token bucket */
	uint64_t http_sent, http_failed, http_dropped; /* queue full */
};
void ff_outputs_stats(const struct ff_outputs *o, struct ff_outputs_stats *s);

/* Falco's token bucket: `rate` tokens/s, at most `max` kept; starts full. */
struct ff_token_bucket {
	double rate, max, tokens, last;
};
void ff_tb_init(struct ff_token_bucket *tb, double rate, double max, double now);
/* 1 when a token was taken at time `now`, 0 when none is left. */
int ff_tb_claim(struct ff_token_bucket *tb, double now);

#endif
