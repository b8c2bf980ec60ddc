/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * The event table: for every event id its name, direction, category, flags and
 * typed parameters.  The data is generated from driver/event_table.tsv (the one
 * source of truth) into ff_event_table_gen.c; this header only gives it types.
 * Included by userspace and the kmod; the BPF probe uses ff_event_ids.h only.
 */
#ifndef FF_EVENT_TABLE_H
#define FF_EVENT_TABLE_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdint.h>
#endif

#include "ff_event_abi.h"
#include "ff_event_ids.h"

struct ff_param_info {
	const char *name; /* as sysdig prints it before '=' */
	uint8_t type;     /* enum ff_param_type */
	uint8_t fmt;      /* enum ff_print_fmt */
	uint8_t flagtab;  /* enum ff_flag_table_id, FF_FT_NONE if none */
	int8_t dirfd;     /* FSRELPATH: index of the dirfd param, else -1 */
};

struct ff_event_info {
	const char *name;     /* shared by every version of a syscall */
	uint32_t flags;       /* enum ff_event_flag */
	uint32_t category;    /* enum ff_event_category */
	char dir;             /* 'E' enter, 'X' exit */
	uint8_t nparams;      /* full list: 2022 params then those 2026 appended */
	uint8_t nparams_2022; /* what sysdig 0.29.3 knows (v1 upgrade uses it) */
	uint8_t in_2022;      /* id exists in the 2022 table */
	const struct ff_param_info *params;
	uint8_t nparams_2026; /* current libs' list: their names and types, same */
	const struct ff_param_info *params_2026; /* positions (0: not in 2026) */
	uint16_t id_2026; /* what current libs convert a recorded event into */
};

struct ff_flag_name {
	const char *name;
	uint32_t value;
	uint8_t gens; /* bit 0: in 2022 tables, bit 1: in 2026 tables */
};

struct ff_ppm_sc_name {
	const char *name_2022; /* "" when 2022 had no such code */
	const char *name_2026;
	uint32_t category_2022; /* enum ff_event_category of a generic event (evt.category) */
};

/* x86_64 syscall number -> event pair (enter id; 0 = generic, -1 = none). */
struct ff_syscall_route {
	const char *name;
	int16_t enter_2022;
	int16_t ppm_sc_2022;
	int16_t enter_2026;
	int16_t ppm_sc_2026;
};

extern const struct ff_event_info ff_event_table[FF_EVENT_MAX];
/* 1 for the event types current Falco evaluates rules on: exit events and the
 * enter-direction events that have no exit (procexit, signaldeliver, async,
 * container...).  Other enter events are merged into their exit event. */
extern const uint8_t ff_event_to_rules[FF_EVENT_MAX];
extern const struct ff_flag_name *const ff_flag_tables[FF_FT_MAX];
extern const char *const ff_flag_table_names[FF_FT_MAX];
extern const struct ff_ppm_sc_name ff_ppm_sc_names[FF_PPM_SC_MAX];
extern const struct ff_syscall_route ff_syscalls_x86_64[FF_SYSCALL_NR_MAX];

/* Length-array entry width of an event type: 4 for large-payload events. */
static inline unsigned ff_event_len_width(uint16_t type)
{
	return (type < FF_EVENT_MAX && (ff_event_table[type].flags & FF_EF_LARGE_PAYLOAD)) ? 4u
	                                                                                   : 2u;
}

#endif /* FF_EVENT_TABLE_H */
