/* SPDX-License-Identifier: Apache-2.0 */
/*
 * falco-tui's filter (ff_tuifilter.h) over a built-in field subset.  When the
 * full provider lands, ff_tuifilter_compile() takes its ff_fields instead and
 * the extractors below go away; callers do not change.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ff_filter.h"
#include "ff_render.h"
#include "ff_tuifilter.h"

struct fctx {
	const struct ff_state *st;
	const struct ff_evt *ev;
	uint64_t evtnum;
	char buf[512]; /* values built per event (cmdline, res, dir) */
};

struct ff_tuifilter {
	ff_fields *fs;
	ff_fcache *cache;
	ff_filter *f;
	struct fctx ctx;
};

enum fid {
	F_EVT_NUM,
	F_EVT_TYPE,
	F_EVT_DIR,
	F_EVT_FAILED,
	F_EVT_RES,
	F_PROC_NAME,
	F_PROC_PID,
	F_PROC_PPID,
	F_PROC_PNAME,
	F_PROC_EXE,
	F_PROC_CMDLINE,
	F_THREAD_TID,
	F_USER_NAME,
	F_CONTAINER_ID,
	F_FD_NUM,
	F_FD_NAME,
	F_FD_DIRECTORY,
};

static int sval(struct ff_value *out, const char *s)
{
	if (!s)
		return 1;
	out->s.p = s;
	out->s.len = strlen(s);
	return 0;
}

static int failed_res(const struct ff_evt *ev, int64_t *res)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	if (!in || in->dir == 'E' || !ev->nparams || !in->nparams)
		return -1;
	uint8_t pt = in->params[0].type;
	if (pt != FF_PT_ERRNO && pt != FF_PT_FD && pt != FF_PT_PID)
		return -1;
	int ok = 0;
	*res = ff_evt_param_int(ev, 0, &ok);
	return ok ? (*res < 0) : -1;
}

static int extract(void *vctx, const struct ff_field_def *def, const struct ff_field_arg *arg,
                   struct ff_value *out)
{
	struct fctx *c = vctx;
	const struct ff_thread *t = ff_state_evt_thread(c->st);
	const struct ff_fd *fd = ff_state_evt_fd(c->st);
	const struct ff_thread *mt = t ? ff_state_main_thread(c->st, t) : NULL;
	int64_t res = 0;
	(void)arg;
	if (!mt)
		mt = t;
	switch ((enum fid)(intptr_t)def->user) {
	case F_EVT_NUM:
		out->u = c->evtnum;
		return 0;
	case F_EVT_TYPE:
		return sval(out, ff_render_type(c->ev));
	case F_EVT_DIR: {
		const struct ff_event_info *in = ff_evt_info(c->ev);
		return sval(out, in && in->dir == 'E' ? ">" : "<");
	}
	case F_EVT_FAILED:
		out->b = failed_res(c->ev, &res) == 1;
		return 0;
	case F_EVT_RES: {
		int fr = failed_res(c->ev, &res);
		if (fr < 0)
			return 1;
		const char *n = fr ? ff_render_errno_name(res) : "SUCCESS";
		return sval(out, n ? n : "E?");
	}
	case F_PROC_NAME:
		return t ? sval(out, ff_thread_comm(mt)) : 1;
	case F_PROC_PID:
		if (!t)
			return 1;
		out->i = ff_thread_pid(t);
		return 0;
	case F_PROC_PPID:
		if (!t)
			return 1;
		out->i = ff_thread_ptid(mt);
		return 0;
	case F_PROC_PNAME: {
		const struct ff_thread *p = t ? ff_state_parent(c->st, mt) : NULL;
		return p ? sval(out, ff_thread_comm(p)) : 1;
	}
	case F_PROC_EXE:
		return t ? sval(out, ff_thread_exe(mt)) : 1;
	case F_PROC_CMDLINE: {
		if (!t)
			return 1;
		uint32_t alen = 0;
		const char *a = ff_thread_args(mt, &alen);
		size_t o = (size_t)snprintf(c->buf, sizeof(c->buf), "%s", ff_thread_comm(mt));
		for (uint32_t i = 0; a && i < alen && o + 2 < sizeof(c->buf);) {
			size_t l = strnlen(a + i, alen - i);
			c->buf[o++] = ' ';
			for (size_t k = 0; k < l && o + 1 < sizeof(c->buf); k++)
				c->buf[o++] = a[i + k];
			i += (uint32_t)l + 1;
		}
		c->buf[o < sizeof(c->buf) ? o : sizeof(c->buf) - 1] = 0;
		return sval(out, c->buf);
	}
	case F_THREAD_TID:
		if (!t)
			return 1;
		out->i = ff_thread_tid(t);
		return 0;
	case F_USER_NAME:
		return t ? sval(out, ff_state_user_name(c->st, ff_thread_uid(mt))) : 1;
	case F_CONTAINER_ID:
		return t ? sval(out, ff_thread_container_id(mt)) : 1;
	case F_FD_NUM:
		if (!fd)
			return 1;
		out->i = ff_fd_num(fd);
		return 0;
	case F_FD_NAME:
		return fd ? sval(out, ff_fd_name(fd)) : 1;
	case F_FD_DIRECTORY: {
		if (!fd || (ff_fd_typechar(fd) != 'f' && ff_fd_typechar(fd) != 'd'))
			return 1;
		const char *n = ff_fd_name(fd), *sl = strrchr(n, '/');
		if (!sl)
			return 1;
		size_t l = sl == n ? 1 : (size_t)(sl - n);
		if (l >= sizeof(c->buf))
			l = sizeof(c->buf) - 1;
		memcpy(c->buf, n, l);
		c->buf[l] = 0;
		return sval(out, c->buf);
	}
	}
	return 1;
}

#define D(n, t, fl, id, d)                                                                         \
	{                                                                                          \
		n, t, fl, d, extract, NULL, (void *)(intptr_t)(id)                                 \
	}
static const struct ff_field_def defs[] = {
	D("evt.num", FF_T_UINT64, FF_FIELD_EVTNUM, F_EVT_NUM, "event number"),
	D("evt.type", FF_T_STRING, FF_FIELD_EVTTYPE, F_EVT_TYPE, "event type"),
	D("evt.dir", FF_T_STRING, 0, F_EVT_DIR, "> enter, < exit"),
	D("evt.failed", FF_T_BOOL, 0, F_EVT_FAILED, "the syscall failed"),
	D("evt.res", FF_T_STRING, 0, F_EVT_RES, "SUCCESS or the errno name"),
	D("proc.name", FF_T_STRING, 0, F_PROC_NAME, "process name"),
	D("proc.pid", FF_T_PID, 0, F_PROC_PID, "process id"),
	D("proc.ppid", FF_T_PID, 0, F_PROC_PPID, "parent process id"),
	D("proc.pname", FF_T_STRING, 0, F_PROC_PNAME, "parent name"),
	D("proc.exe", FF_T_STRING, 0, F_PROC_EXE, "argv[0]"),
	D("proc.cmdline", FF_T_STRING, 0, F_PROC_CMDLINE, "name and arguments"),
	D("thread.tid", FF_T_PID, 0, F_THREAD_TID, "thread id"),
	D("user.name", FF_T_STRING, 0, F_USER_NAME, "user name"),
	D("container.id", FF_T_STRING, 0, F_CONTAINER_ID, "container id or host"),
	D("fd.num", FF_T_FD, 0, F_FD_NUM, "fd number"),
	D("fd.name", FF_T_STRING, 0, F_FD_NAME, "file name or connection tuple"),
	D("fd.directory", FF_T_PATH, 0, F_FD_DIRECTORY, "directory of the file"),
};

const char *ff_tuifilter_fields(void)
{
	return "evt.num evt.type evt.dir evt.failed evt.res proc.name proc.pid proc.ppid "
	       "proc.pname proc.exe proc.cmdline thread.tid user.name container.id fd.num "
	       "fd.name fd.directory";
}

int ff_tuifilter_compile(struct ff_tuifilter **out, const char *text, struct ff_err *err)
{
	struct ff_tuifilter *f = calloc(1, sizeof(*f));
	int rc;
	if (!f)
		return ff_errf(err, -ENOMEM, "out of memory");
	f->fs = ff_fields_new();
	f->cache = ff_fcache_new();
	if (!f->fs || !f->cache) {
		rc = ff_errf(err, -ENOMEM, "out of memory");
		goto fail;
	}
	rc = ff_fields_add(f->fs, defs, sizeof(defs) / sizeof(defs[0]), err);
	if (rc)
		goto fail;
	struct ff_filter_opts o = { .sz = sizeof(o), .fields = f->fs, .cache = f->cache };
	rc = ff_filter_compile(text, strlen(text), &o, &f->f, err);
	if (rc)
		goto fail;
	*out = f;
	return 0;
fail:
	ff_tuifilter_free(f);
	return rc;
}

void ff_tuifilter_free(struct ff_tuifilter *f)
{
	if (!f)
		return;
	ff_filter_free(f->f);
	ff_fcache_free(f->cache);
	ff_fields_free(f->fs);
	free(f);
}

int ff_tuifilter_match(struct ff_tuifilter *f, const struct ff_state *st, const struct ff_evt *ev,
                       uint64_t evtnum)
{
	f->ctx.st = st;
	f->ctx.ev = ev;
	f->ctx.evtnum = evtnum;
	return ff_filter_eval(f->f, &f->ctx, evtnum ? evtnum : 1);
}
