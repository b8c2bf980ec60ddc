/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text rendering of events as sysdig 0.29.3 prints them: one parameter
 * (value and resolved form, as used by evt.arg.X), the whole argument list
 * (evt.info / evt.args), evt.type, evt.outputtime and the default -r line.
 * Functions append to caller-owned growable buffers (an output and a
 * scratch one for resolved forms) that are reused from event to event, so the hot path does not
 * allocate once it has grown. Resolution (fd names, thread names, cwd) uses the state as it is
 * after ff_state_update() of the same event, like sinsp formats after parsing.
 */
#ifndef FF_RENDER_H
#define FF_RENDER_H

#include <stddef.h>
#include <stdint.h>

#include "ff_evt.h"
#include "ff_state.h"

struct ff_sbuf {
	char *p; /* NUL-terminated when len > 0 */
	size_t len, cap;
};

/* Append; 0 or -ENOMEM (the buffer keeps what it had). */
int ff_sbuf_put(struct ff_sbuf *b, const char *s, size_t n);
int ff_sbuf_puts(struct ff_sbuf *b, const char *s);
int ff_sbuf_printf(struct ff_sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void ff_sbuf_reset(struct ff_sbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}
void ff_sbuf_free(struct ff_sbuf *b);

/* Number of parameters sysdig 0.29.3 shows: min(2022 table, recorded). */
unsigned ff_render_nparams(const struct ff_evt *ev);

/* Render parameter i: the plain value into `val` and the resolved form
 * (errno name, fd "<f>/path", thread name, flag names...) into `res`, which
 * stays empty when sysdig has none.  Both are appended.  `simple` is a set of
 * FF_RENDER_* flags (0 or 1 as before: 1 is sysdig's PF_SIMPLE, fd without
 * type char).  Returns 0, -ENOENT for a missing parameter, -ENOMEM. */
enum {
	FF_RENDER_SIMPLE = 1,  /* fds without their type char */
	FF_RENDER_FULLBUF = 2, /* byte buffers whole, not cut at 80 (sysdig -j) */
	/* as current libs (Falco) render: their parameter list, names and
	 * types, flag names and algorithm, empty parameters as <NA> / NULL,
	 * whole buffers, dates for absolute times; evt.args without the
	 * trailing space and completed from the enter event */
	FF_RENDER_2026 = 4,
};
int ff_render_param(const struct ff_state *st, const struct ff_evt *ev, unsigned i, int simple,
                    struct ff_sbuf *val, struct ff_sbuf *res);

/* evt.arg.NAME: the resolved form if any, else the value (-ENOENT if the
 * event has no such parameter). */
int ff_render_arg(const struct ff_state *st, const struct ff_evt *ev, const char *name,
                  struct ff_sbuf *out, struct ff_sbuf *scratch);

/* Index of parameter `name` in current libs' list of the event (among those
 * recorded), -1 if none; what they show for an empty parameter of a type. */
int ff_render_param_index26(const struct ff_evt *ev, const char *name);
/* The event as current libs see a recorded one (their converter's result:
 * name, parameter list params_2026). */
const struct ff_event_info *ff_render_info26(const struct ff_evt *ev);
const char *ff_render_empty26(uint8_t type);

/* evt.info / evt.args: "name=value(resolved) " for every parameter (note the
 * trailing space); empty for generic syscall events. */
int ff_render_info(const struct ff_state *st, const struct ff_evt *ev, struct ff_sbuf *out,
                   struct ff_sbuf *scratch);

/* The same with FF_RENDER_* flags. */
int ff_render_info_flags(const struct ff_state *st, const struct ff_evt *ev, int flags,
                         struct ff_sbuf *out, struct ff_sbuf *scratch);

/* evt.type: the event name; for generic events the syscall's name. */
const char *ff_render_type(const struct ff_evt *ev);

/* evt.type as current libs name it (ff_render_info26; generic events by
 * their syscall's current name). */
const char *ff_render_type26(const struct ff_evt *ev);

/* evt.outputtime in sysdig's default form "HH:MM:SS.nnnnnnnnn", local time. */
int ff_render_outputtime(uint64_t ts, struct ff_sbuf *out);

/* Whether sysdig 0.29.3 gives the event an evt.num (types it knows). */
int ff_render_counted(const struct ff_evt *ev);
/* Whether `sysdig -r` prints it (not internal, not state-only). */
int ff_render_visible(const struct ff_evt *ev);

/* The default line "%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid)
 * %evt.dir %evt.type %evt.info" with its newline. */
int ff_render_line(const struct ff_state *st, const struct ff_evt *ev, uint64_t evtnum,
                   struct ff_sbuf *out, struct ff_sbuf *scratch);

/* errno name for a negative errno value ("ENOENT"), NULL if none. */
const char *ff_render_errno_name(int64_t neg);
const char *ff_render_signal_name(unsigned sig);

#endif
