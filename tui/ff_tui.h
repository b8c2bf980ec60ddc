/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-tui's screen: csysdig-like views over ff_tuimodel with drill-down,
 * filter, sort, search, help, a timeline with time travel, and the Alerts
 * view.  Owns the terminal between ff_tui_run()'s start and its return, and
 * always restores it.
 */
#ifndef FF_TUI_H
#define FF_TUI_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"

struct ff_tui_opts {
	size_t sz;          /* sizeof(struct ff_tui_opts) */
	const char *path;   /* capture; NULL with live */
	int live;           /* --live */
	const char *view;   /* start view id ("procs"), NULL: alerts when rules load, else procs */
	const char *filter; /* initial filter, NULL for none */
	const char *const *rules; /* rules files (NULL: default) */
	size_t nrules;
	unsigned interval_ms;   /* live refresh, 0 = 2000 */
	int bench_first_screen; /* exit after the first full screen, printing the time */
	/* live source (see ff_tuifeed_opts) */
	const char *driver;
	uint32_t snaplen;
	size_t buffer_bytes;
	int all_syscalls;
	/* packets beside the capture: NULL = CAPTURE.pcap or CAPTURE.pcapng if
	 * there is one */
	const char *pcap;
};

/* Run until the user quits.  Returns 0, or a negative errno with err set
 * (the terminal is restored before returning). */
int ff_tui_run(const struct ff_tui_opts *o, struct ff_err *err);

/* View ids for --view and the help text, NULL-terminated. */
extern const char *const ff_tui_view_ids[];

#endif
