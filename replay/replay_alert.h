/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-replay's alert mode: load rules files, replay captures through the
 * state tracker and the rule engine, print Falco's alerts (text or JSON) to
 * the configured channels, and a summary on stderr.  Also --validate and -L.
 */
#ifndef REPLAY_ALERT_H
#define REPLAY_ALERT_H

#include <stdio.h>

#include "ff_config.h"
#include "ff_err.h"
#include "ff_rules.h"
#include "replay_feed.h"

/* Rule selection from the command line (Falco -D / -T / -t). */
struct replay_sel {
	enum ff_rules_match how;
	const char *pattern;
	int enable;
};

struct replay_alert_opts {
	const struct ff_config *cfg; /* rules files, outputs, priority, matching... */
	const struct replay_sel *sel;
	size_t nsel;
	int only_tags;                  /* -t given: everything else disabled first */
	int summary;                    /* print the summary on stderr */
	const struct replay_live *live; /* --live: the live system instead of captures */
};

/* Returns 0, 1 on a failure (message in err), 2 for unusable rules.  With
 * o->live the captures are not read; events the driver lost raise Falco's
 * "Falco internal: syscall event drop" alert (at most one per 30 s). */
int replay_alert(const struct replay_alert_opts *o, char *const *captures, int ncaptures,
                 struct ff_err *err);

/* --validate: load the files in order and report like Falco; 0 if valid. */
int replay_validate(char *const *files, int nfiles, FILE *out);

/* -L: print the loaded, selected rules. */
int replay_list_rules(const struct replay_alert_opts *o, FILE *out, struct ff_err *err);

/* The rules file used when none is given: installed, or in the source tree. */
const char *replay_default_rules(void);

#endif
