/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A mock field provider for the filter tests and the fuzzer: fields of every
 * type and shape (plain, [N], [key], evt.arg.NAME, any-ancestor, client-or-
 * server, list-valued), reading from a hand-filled struct mock_evt.
 */
#ifndef MOCK_FIELDS_H
#define MOCK_FIELDS_H

#include "ff_field.h"

enum mock_id {
	M_EVT_TYPE,
	M_EVT_NUM,
	M_EVT_RAWRES,
	M_EVT_RES,
	M_EVT_BUFFER,
	M_EVT_IS_OPEN_READ,
	M_EVT_IS_OPEN_WRITE,
	M_EVT_ARG,
	M_PROC_NAME,
	M_PROC_PNAME,
	M_PROC_EXE,
	M_PROC_PEXE,
	M_PROC_EXEPATH,
	M_PROC_CMDLINE,
	M_PROC_PCMDLINE,
	M_PROC_ARGS,
	M_PROC_CWD,
	M_PROC_PID,
	M_PROC_VPID,
	M_PROC_TTY,
	M_PROC_DURATION,
	M_PROC_ANAME,
	M_PROC_ENV,
	M_PROC_IS_EXE_FROM_MEMFD,
	M_PROC_IS_EXE_UPPER_LAYER,
	M_THREAD_CAP_EFFECTIVE,
	M_USER_NAME,
	M_USER_UID,
	M_FD_NAME,
	M_FD_NAMERAW,
	M_FD_DIRECTORY,
	M_FD_FILENAME,
	M_FD_NUM,
	M_FD_TYPE,
	M_FD_TYPECHAR,
	M_FD_TYPES,
	M_FD_L4PROTO,
	M_FD_CONNECTED,
	M_FD_NAME_CHANGED,
	M_FD_IP,
	M_FD_NET,
	M_FD_SIP,
	M_FD_CIP,
	M_FD_SNET,
	M_FD_SPORT,
	M_FD_PORT,
	M_FD_SIP_NAME,
	M_FD_TS,
	M_CONTAINER_ID,
	M_CONTAINER_IMAGE_REPOSITORY,
	M_CONTAINER_PRIVILEGED,
	M_K8S_NS_NAME,
	M_COUNT
};

struct mock_kv {
	const char *k, *v;
};

struct mock_evt {
	/* scalar fields: present[id] says whether the value exists */
	bool present[M_COUNT];
	struct ff_value v[M_COUNT];
	/* list-shaped fields */
	const char *ancestors[8]; /* [0] self, [1] parent, ...; NULL ends */
	struct ff_value anc_vals[8];
	struct mock_kv args[8]; /* evt.arg.NAME / evt.arg[N] */
	struct mock_kv env[4];  /* proc.env[K] */
	const char *fd_types[4];
	struct ff_value fd_types_vals[4];
	struct ff_value fd_ip_vals[2]; /* client, server */
	struct ff_value fd_port_vals[2];
	unsigned extracted[M_COUNT]; /* extractor calls, to test caching */
};

extern const struct ff_field_def mock_defs[];
extern const size_t mock_ndefs;

/* Helpers to fill an event. */
void mock_set_str(struct mock_evt *e, enum mock_id id, const char *s);
void mock_set_int(struct mock_evt *e, enum mock_id id, int64_t v);
void mock_set_uint(struct mock_evt *e, enum mock_id id, uint64_t v);
void mock_set_bool(struct mock_evt *e, enum mock_id id, bool b);
void mock_set_ip(struct mock_evt *e, enum mock_id id, const char *addr);
/* A typical event: see mock_fields.c. */
void mock_default_event(struct mock_evt *e);

#endif
