/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "mock_fields.h"

static struct ff_value sval(const char *s)
{
	struct ff_value v = { 0 };
	v.s.p = s;
	v.s.len = strlen(s);
	return v;
}

static int extract(void *ctx, const struct ff_field_def *def, const struct ff_field_arg *arg,
                   struct ff_value *out)
{
	struct mock_evt *e = ctx;
	enum mock_id id = (enum mock_id)(intptr_t)def->user;
	e->extracted[id]++;
	switch (id) {
	case M_EVT_ARG:
		for (size_t i = 0; i < 8 && e->args[i].k; i++) {
			if (arg->is_index ? (size_t)arg->idx == i
			                  : strcmp(arg->str, e->args[i].k) == 0) {
				*out = sval(e->args[i].v);
				return 0;
			}
		}
		return 1;
	case M_PROC_ANAME: {
		size_t n = 0;
		while (n < 8 && e->ancestors[n])
			n++;
		if (arg->present) {
			if ((size_t)arg->idx >= n)
				return 1;
			*out = sval(e->ancestors[arg->idx]);
			return 0;
		}
		/* any ancestor, the process itself excluded */
		for (size_t i = 1; i < n; i++)
			e->anc_vals[i - 1] = sval(e->ancestors[i]);
		out->list.v = e->anc_vals;
		out->list.n = n ? n - 1 : 0;
		return n > 1 ? 0 : 1;
	}
	case M_PROC_ENV:
		if (!arg->present)
			return e->present[id] ? (*out = e->v[id], 0) : 1;
		for (size_t i = 0; i < 4 && e->env[i].k; i++)
			if (strcmp(arg->str, e->env[i].k) == 0) {
				*out = sval(e->env[i].v);
				return 0;
			}
		return 1;
	case M_FD_TYPES: {
		size_t n = 0;
		if (!e->present[id])
			return 1;
		while (n < 4 && e->fd_types[n]) {
			e->fd_types_vals[n] = sval(e->fd_types[n]);
			n++;
		}
		out->list.v = e->fd_types_vals;
		out->list.n = n;
		return 0;
	}
	case M_FD_IP:
	case M_FD_NET:
		if (!e->present[M_FD_CIP] || !e->present[M_FD_SIP])
			return 1;
		e->fd_ip_vals[0] = e->v[M_FD_CIP];
		e->fd_ip_vals[1] = e->v[M_FD_SIP];
		out->list.v = e->fd_ip_vals;
		out->list.n = 2;
		return 0;
	case M_FD_PORT:
		if (!e->present[M_FD_SPORT])
			return 1;
		e->fd_port_vals[0].u = 43210; /* client side */
		e->fd_port_vals[1] = e->v[M_FD_SPORT];
		out->list.v = e->fd_port_vals;
		out->list.n = 2;
		return 0;
	case M_FD_TS:
		return -EIO; /* an extractor failure */
	default:
		if (!e->present[id])
			return 1;
		*out = e->v[id];
		return 0;
	}
}

/* evt.arg.NAME must name a parameter some event has (as the real one will) */
static int check_evt_arg(const struct ff_field_def *def, struct ff_field_arg *arg,
                         struct ff_err *err)
{
	static const char *const known[] = {
		"flags",    "name", "fd",   "domain", "oldpath", "newpath", "target",  "request",
		"linkpath", "res",  "path", "mode",   "cmd",     "uid",     "filename"
	};
	(void)def;
	if (arg->is_index)
		return 0;
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (strcmp(arg->str, known[i]) == 0) {
			arg->cookie = i + 1;
			return 0;
		}
	return ff_errf(err, -ENOENT, "unknown event argument '%s'", arg->str);
}

#define D(n, t, f, id)                                                                             \
	{                                                                                          \
		n, t, f, "mock", extract, NULL, (void *)(intptr_t)(id)                             \
	}
const struct ff_field_def mock_defs[] = {
	D("evt.type", FF_T_STRING, FF_FIELD_EVTTYPE, M_EVT_TYPE),
	D("evt.num", FF_T_UINT64, FF_FIELD_EVTNUM, M_EVT_NUM),
	D("evt.rawres", FF_T_INT64, 0, M_EVT_RAWRES),
	D("evt.res", FF_T_STRING, 0, M_EVT_RES),
	D("evt.buffer", FF_T_BYTES, 0, M_EVT_BUFFER),
	D("evt.is_open_read", FF_T_BOOL, 0, M_EVT_IS_OPEN_READ),
	D("evt.is_open_write", FF_T_BOOL, 0, M_EVT_IS_OPEN_WRITE),
	{ "evt.arg", FF_T_STRING, FF_FIELD_ARG_DOTTED | FF_FIELD_ARG_INDEX | FF_FIELD_ARG_REQUIRED,
	  "mock", extract, check_evt_arg, (void *)(intptr_t)M_EVT_ARG },
	D("proc.name", FF_T_STRING, 0, M_PROC_NAME),
	D("proc.pname", FF_T_STRING, 0, M_PROC_PNAME),
	D("proc.exe", FF_T_STRING, 0, M_PROC_EXE),
	D("proc.pexe", FF_T_STRING, 0, M_PROC_PEXE),
	D("proc.exepath", FF_T_PATH, 0, M_PROC_EXEPATH),
	D("proc.cmdline", FF_T_STRING, 0, M_PROC_CMDLINE),
	D("proc.pcmdline", FF_T_STRING, 0, M_PROC_PCMDLINE),
	D("proc.args", FF_T_STRING, 0, M_PROC_ARGS),
	D("proc.cwd", FF_T_PATH, 0, M_PROC_CWD),
	D("proc.pid", FF_T_PID, 0, M_PROC_PID),
	D("proc.vpid", FF_T_PID, 0, M_PROC_VPID),
	D("proc.tty", FF_T_UINT64, 0, M_PROC_TTY),
	D("proc.duration", FF_T_RELTIME, 0, M_PROC_DURATION),
	D("proc.aname", FF_T_STRING,
	  FF_FIELD_ARG_INDEX | FF_FIELD_ANY | FF_FIELD_MULTI_NOARG_ONLY | FF_FIELD_NO_RHS,
	  M_PROC_ANAME),
	D("proc.env", FF_T_STRING, FF_FIELD_ARG_KEY, M_PROC_ENV),
	D("proc.is_exe_from_memfd", FF_T_BOOL, 0, M_PROC_IS_EXE_FROM_MEMFD),
	D("proc.is_exe_upper_layer", FF_T_BOOL, 0, M_PROC_IS_EXE_UPPER_LAYER),
	D("thread.cap_effective", FF_T_STRING, 0, M_THREAD_CAP_EFFECTIVE),
	D("user.name", FF_T_STRING, 0, M_USER_NAME),
	D("user.uid", FF_T_UID, 0, M_USER_UID),
	D("fd.name", FF_T_PATH, 0, M_FD_NAME),
	D("fd.nameraw", FF_T_PATH, 0, M_FD_NAMERAW),
	D("fd.directory", FF_T_PATH, 0, M_FD_DIRECTORY),
	D("fd.filename", FF_T_STRING, 0, M_FD_FILENAME),
	D("fd.num", FF_T_FD, 0, M_FD_NUM),
	D("fd.type", FF_T_STRING, 0, M_FD_TYPE),
	D("fd.typechar", FF_T_STRING, 0, M_FD_TYPECHAR),
	D("fd.types", FF_T_STRING, FF_FIELD_LIST, M_FD_TYPES),
	D("fd.l4proto", FF_T_STRING, 0, M_FD_L4PROTO),
	D("fd.connected", FF_T_BOOL, 0, M_FD_CONNECTED),
	D("fd.name_changed", FF_T_BOOL, 0, M_FD_NAME_CHANGED),
	D("fd.ip", FF_T_IPADDR, FF_FIELD_EITHER | FF_FIELD_FILTER_ONLY, M_FD_IP),
	D("fd.net", FF_T_IPNET, FF_FIELD_EITHER | FF_FIELD_FILTER_ONLY, M_FD_NET),
	D("fd.sip", FF_T_IPADDR, 0, M_FD_SIP),
	D("fd.cip", FF_T_IPADDR, 0, M_FD_CIP),
	D("fd.snet", FF_T_IPNET, FF_FIELD_FILTER_ONLY, M_FD_SNET),
	D("fd.sport", FF_T_PORT, 0, M_FD_SPORT),
	D("fd.port", FF_T_PORT, FF_FIELD_EITHER | FF_FIELD_FILTER_ONLY, M_FD_PORT),
	D("fd.sip.name", FF_T_STRING, FF_FIELD_NO_RHS, M_FD_SIP_NAME),
	D("fd.ts", FF_T_ABSTIME, 0, M_FD_TS),
	D("container.id", FF_T_STRING, 0, M_CONTAINER_ID),
	D("container.image.repository", FF_T_STRING, 0, M_CONTAINER_IMAGE_REPOSITORY),
	D("container.privileged", FF_T_BOOL, 0, M_CONTAINER_PRIVILEGED),
	D("k8s.ns.name", FF_T_STRING, 0, M_K8S_NS_NAME),
};
const size_t mock_ndefs = sizeof(mock_defs) / sizeof(mock_defs[0]);

void mock_set_str(struct mock_evt *e, enum mock_id id, const char *s)
{
	e->present[id] = true;
	e->v[id] = sval(s);
}

void mock_set_int(struct mock_evt *e, enum mock_id id, int64_t v)
{
	e->present[id] = true;
	e->v[id].i = v;
}

void mock_set_uint(struct mock_evt *e, enum mock_id id, uint64_t v)
{
	e->present[id] = true;
	e->v[id].u = v;
}

void mock_set_bool(struct mock_evt *e, enum mock_id id, bool b)
{
	e->present[id] = true;
	e->v[id].b = b;
}

void mock_set_ip(struct mock_evt *e, enum mock_id id, const char *addr)
{
	struct ff_ip *ip = &e->v[id].ip;
	memset(ip, 0, sizeof(*ip));
	e->present[id] = true;
	if (strchr(addr, ':')) {
		ip->family = 6;
		ip->bits = 128;
		inet_pton(AF_INET6, addr, ip->a);
	} else {
		ip->family = 4;
		ip->bits = 32;
		inet_pton(AF_INET, addr, ip->a);
	}
}

/* cat reading /etc/shadow from bash in a container, over a TCP socket-ish fd */
void mock_default_event(struct mock_evt *e)
{
	memset(e, 0, sizeof(*e));
	mock_set_str(e, M_EVT_TYPE, "openat");
	mock_set_uint(e, M_EVT_NUM, 42);
	mock_set_int(e, M_EVT_RAWRES, -2);
	mock_set_str(e, M_EVT_RES, "ENOENT");
	e->present[M_EVT_BUFFER] = true;
	e->v[M_EVT_BUFFER].s.p = "GET /\x00\x01\xff";
	e->v[M_EVT_BUFFER].s.len = 8;
	mock_set_bool(e, M_EVT_IS_OPEN_READ, true);
	mock_set_bool(e, M_EVT_IS_OPEN_WRITE, false);
	e->args[0] = (struct mock_kv){ "fd", "3" };
	e->args[1] = (struct mock_kv){ "name", "/etc/shadow" };
	e->args[2] = (struct mock_kv){ "flags", "O_RDONLY|O_CLOEXEC" };
	mock_set_str(e, M_PROC_NAME, "cat");
	mock_set_str(e, M_PROC_PNAME, "bash");
	mock_set_str(e, M_PROC_EXE, "cat");
	mock_set_str(e, M_PROC_EXEPATH, "/usr/bin/cat");
	mock_set_str(e, M_PROC_CMDLINE, "cat /etc/shadow");
	mock_set_str(e, M_PROC_ARGS, "/etc/shadow");
	mock_set_str(e, M_PROC_CWD, "/root/");
	mock_set_int(e, M_PROC_PID, 1234);
	mock_set_uint(e, M_PROC_TTY, 34816);
	mock_set_uint(e, M_PROC_DURATION, 5000000000ull);
	e->ancestors[0] = "cat";
	e->ancestors[1] = "bash";
	e->ancestors[2] = "sshd";
	e->ancestors[3] = "systemd";
	e->env[0] = (struct mock_kv){ "HOME", "/root" };
	mock_set_str(e, M_PROC_ENV, "HOME=/root");
	mock_set_str(e, M_USER_NAME, "root");
	mock_set_uint(e, M_USER_UID, 0);
	mock_set_str(e, M_FD_NAME, "/etc/shadow");
	mock_set_str(e, M_FD_DIRECTORY, "/etc");
	mock_set_str(e, M_FD_FILENAME, "shadow");
	mock_set_int(e, M_FD_NUM, 3);
	mock_set_str(e, M_FD_TYPE, "file");
	mock_set_str(e, M_FD_TYPECHAR, "f");
	e->present[M_FD_TYPES] = true;
	e->fd_types[0] = "file";
	e->fd_types[1] = "ipv4";
	mock_set_ip(e, M_FD_CIP, "10.1.2.3");
	mock_set_ip(e, M_FD_SIP, "192.168.0.10");
	mock_set_ip(e, M_FD_SNET, "192.168.0.10");
	mock_set_uint(e, M_FD_SPORT, 22);
	mock_set_str(e, M_CONTAINER_ID, "16514a12c7ad");
	mock_set_bool(e, M_CONTAINER_PRIVILEGED, false);
}
