/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The syscall field provider: every evt.*, proc.*, thread.*, user.*,
 * group.*, fd.*, fs.path.*, container.* and k8s.* field (docs/fields.md and
 * what sysdig 0.29.3 lists), as ff_field definitions whose extractors read
 * the raw event (capture/ff_evt.h) and the state tracker (ff_state.h), and
 * render the way sysdig does (ff_render.h).
 *
 * Use: build the registry once with ff_sysfields_new(), compile filters
 * (ff_filter) and formats (ff_format) against it, and for every event call
 * ff_state_update() then ff_sysctx_set_event(); the generation it returns is
 * the `gen` argument of ff_filter_eval() and ff_format_*().  Values are
 * extracted lazily, once per event (shared ff_fcache), from the raw bytes;
 * strings stay valid until the next ff_sysctx_set_event().
 *
 * Missing values (no thread, not a socket, no such parameter, container
 * metadata unknown, k8s.* always) make the extractor return 1: filters are
 * false, formats print <NA> (JSON null).
 */
#ifndef FF_SYSFIELDS_H
#define FF_SYSFIELDS_H

#include <stdint.h>

#include "ff_err.h"
#include "ff_evt.h"
#include "ff_field.h"
#include "ff_state.h"

/* A new registry holding every field (static definitions; free with
 * ff_fields_free()).  Returns 0 or -ENOMEM. */
int ff_sysfields_new(ff_fields **out, struct ff_err *err);

struct ff_sysctx;

/* Extraction context over `st` (which must outlive it).  0 or -ENOMEM. */
int ff_sysctx_new(struct ff_sysctx **out, const struct ff_state *st, struct ff_err *err);
void ff_sysctx_free(struct ff_sysctx *c);

enum ff_sysctx_flag {
	/* evt.arg.NAME / evt.rawarg.NAME of an exit event fall back to the
	 * parameter of its enter event when the exit lacks it (Falco's view of
	 * merged events; sysdig 0.29.3 does not).  Needs
	 * ff_state_keep_enters(st, 1) for events the tracker does not keep. */
	FF_SYSCTX_MERGE_ENTER = 1u << 0,
	/* Values as current Falco gives them where they differ from sysdig
	 * 0.29.3 (the rule engine's view): evt.arg/evt.args over current libs'
	 * parameter lists with their flag names (ff_render FF_RENDER_2026);
	 * container.* from the id its container plugin derives, with the
	 * plugin's empty strings for host processes; user.* and group.name
	 * resolved per container ("root" or "<NA>" inside one); proc.exepath
	 * from trusted_exepath; proc.exe_ino.ctime_duration_proc_start as
	 * computed at the execve.  Listings keep sysdig's. */
	FF_SYSCTX_FALCO = 1u << 1,
};
void ff_sysctx_set_flags(struct ff_sysctx *c, unsigned flags);

/* Make `ev` (already given to ff_state_update) the current event; `evtnum` is
 * its evt.num.  Returns the extraction generation (never 0). */
uint64_t ff_sysctx_set_event(struct ff_sysctx *c, const struct ff_evt *ev, uint64_t evtnum);

#endif
