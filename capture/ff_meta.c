/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ff_meta.h"
#include "ff_scap.h"

/* Reader limits (scap-format.md sections 6-9); the encoder cuts to them. */
#define LIM_IFNAME 1023u
#define LIM_USER 255u
#define LIM_PATH 1024u
#define LIM_ARGS 4096u

/* Bounded cursor over one entry (or, for v1 lists, the rest of the body). */
struct cur {
	const struct ff_meta_iter *it;
	uint32_t pos, end;
};

static const char *kind_name(const struct ff_meta_iter *it)
{
	switch (it->kind) {
	case FF_BLK_IFLIST:
		return "interface list";
	case FF_BLK_USERLIST:
		return "user list";
	case FF_BLK_PROCLIST:
		return "process list";
	case FF_BLK_FDLIST:
		return "fd list";
	default:
		return "metadata";
	}
}

static int bad(const struct ff_meta_iter *it, uint32_t pos, struct ff_err *err, const char *what,
               uint32_t a, uint32_t b)
{
	return ff_errf(err, -EBADMSG,
	               "%s v%u block at byte %llu, entry %u (byte %llu): %s (%u, %u)",
	               kind_name(it), it->version, (unsigned long long)it->offset, it->index,
	               (unsigned long long)(it->offset + 8 + pos), what, a, b);
}

static int need(struct cur *c, uint32_t n, const char *field, struct ff_err *err)
{
	if (c->end - c->pos >= n)
		return 0;
	return ff_errf(err, -EBADMSG,
	               "%s v%u block at byte %llu, entry %u: field %s needs %u bytes at byte %llu, "
	               "only %u left",
	               kind_name(c->it), c->it->version, (unsigned long long)c->it->offset,
	               c->it->index, field, n, (unsigned long long)(c->it->offset + 8 + c->pos),
	               c->end - c->pos);
}

static int g8(struct cur *c, uint8_t *v, const char *f, struct ff_err *err)
{
	if (need(c, 1, f, err))
		return -EBADMSG;
	*v = c->it->body[c->pos++];
	return 0;
}
static int g16(struct cur *c, uint16_t *v, const char *f, struct ff_err *err)
{
	if (need(c, 2, f, err))
		return -EBADMSG;
	*v = ff_ld16(c->it->body + c->pos);
	c->pos += 2;
	return 0;
}
static int g32(struct cur *c, uint32_t *v, const char *f, struct ff_err *err)
{
	if (need(c, 4, f, err))
		return -EBADMSG;
	*v = ff_ld32(c->it->body + c->pos);
	c->pos += 4;
	return 0;
}
static int g64(struct cur *c, uint64_t *v, const char *f, struct ff_err *err)
{
	if (need(c, 8, f, err))
		return -EBADMSG;
	*v = ff_ld64(c->it->body + c->pos);
	c->pos += 8;
	return 0;
}
static int gi64(struct cur *c, int64_t *v, const char *f, struct ff_err *err)
{
	uint64_t u;

	if (g64(c, &u, f, err))
		return -EBADMSG;
	memcpy(v, &u, 8);
	return 0;
}
static int gbytes(struct cur *c, void *dst, uint32_t n, const char *f, struct ff_err *err)
{
	if (need(c, n, f, err))
		return -EBADMSG;
	memcpy(dst, c->it->body + c->pos, n);
	c->pos += n;
	return 0;
}
static int gstrn(struct cur *c, struct ff_str *s, uint32_t n, const char *f, struct ff_err *err)
{
	if (need(c, n, f, err))
		return -EBADMSG;
	s->p = (const char *)c->it->body + c->pos;
	s->len = n;
	c->pos += n;
	return 0;
}
static int gstr(struct cur *c, struct ff_str *s, const char *f, struct ff_err *err)
{
	uint16_t n;

	if (g16(c, &n, f, err))
		return -EBADMSG;
	return gstrn(c, s, n, f, err);
}

/* Absent strings are "" rather than NULL, so callers may memcmp them. */
static const struct ff_str empty = { "", 0 };

/* Optional field: read only if the entry still has room for it. */
#define OPT(c, n) ((c)->end - (c)->pos >= (n))

int ff_meta_machine(const struct ff_block *b, struct ff_machine *out, struct ff_err *err)
{
	const uint8_t *p = b->body;

	if (b->kind != FF_BLK_MACHINE)
		return ff_errf(err, -EINVAL, "block at byte %llu is not a machine info block",
		               (unsigned long long)b->offset);
	if (b->body_len < FF_MI_BODY_LEN)
		return ff_errf(err, -EBADMSG,
		               "machine info block at byte %llu: body of %u bytes, expected %u",
		               (unsigned long long)b->offset, b->body_len, FF_MI_BODY_LEN);
	memset(out, 0, sizeof(*out));
	out->num_cpus = ff_ld32(p);
	out->memory_bytes = ff_ld64(p + 4);
	out->max_pid = ff_ld64(p + 12);
	memcpy(out->hostname, p + 20, FF_MI_HOSTNAME_LEN);
	out->hostname[FF_MI_HOSTNAME_LEN] = '\0';
	out->boot_ts = ff_ld64(p + 148);
	out->flags = ff_ld64(p + 156);
	out->reserved3 = ff_ld64(p + 164);
	out->reserved4 = ff_ld64(p + 172);
	return 0;
}

int ff_meta_iter_init(struct ff_meta_iter *it, const struct ff_block *b, struct ff_err *err)
{
	memset(it, 0, sizeof(*it));
	it->body = b->body;
	it->len = b->body_len;
	it->version = b->version;
	it->type = b->type;
	it->kind = b->kind;
	it->offset = b->offset;
	switch (b->kind) {
	case FF_BLK_IFLIST:
	case FF_BLK_USERLIST:
	case FF_BLK_PROCLIST:
		return 0;
	case FF_BLK_FDLIST:
		if (b->body_len < 8)
			return ff_errf(
			    err, -EBADMSG,
			    "fd list block at byte %llu: body of %u bytes has no thread id",
			    (unsigned long long)b->offset, b->body_len);
		it->tid = ff_ld64(b->body);
		it->pos = 8;
		return 0;
	default:
		return ff_errf(err, -EINVAL, "block at byte %llu (type 0x%x) is not a list block",
		               (unsigned long long)b->offset, b->type);
	}
}

/* Common entry framing.  Returns 0 at the end of the list, 1 with the cursor
 * set, or an error.  `len_incl`: the entry_len counts its own 4 bytes. */
static int entry_open(struct ff_meta_iter *it, enum ff_blk_kind kind, int has_len, int len_incl,
                      struct cur *c, uint32_t *next, struct ff_err *err)
{
	uint32_t elen;

	if (it->kind != kind)
		return ff_errf(err, -EINVAL, "wrong decoder for a %s block at byte %llu",
		               kind_name(it), (unsigned long long)it->offset);
	if (it->pos > it->len || it->len - it->pos < 4)
		return 0;
	c->it = it;
	c->pos = it->pos;
	c->end = it->len;
	*next = 0; /* 0: the entry ends where its fields end */
	if (!has_len)
		return 1;
	elen = ff_ld32(it->body + c->pos);
	c->pos += 4;
	if (!len_incl) {
		if (elen > c->end - c->pos)
			return bad(it, it->pos, err,
			           "entry length runs past the block (length, left)", elen,
			           c->end - c->pos);
		c->end = c->pos + elen;
		*next = c->end;
	} else if (elen != 0) {
		/* libscap treats 0 as "no length": the fields decide */
		if (elen < 4 || elen > it->len - it->pos)
			return bad(it, it->pos, err, "bad entry length (length, left)", elen,
			           it->len - it->pos);
		c->end = it->pos + elen;
		*next = c->end;
	}
	return 1;
}

static void entry_close(struct ff_meta_iter *it, const struct cur *c, uint32_t next)
{
	it->pos = next ? next : c->pos;
	it->index++;
}

int ff_meta_iface_next(struct ff_meta_iter *it, struct ff_iface *out, struct ff_err *err)
{
	struct cur c;
	uint32_t next;
	uint16_t namelen;
	unsigned alen;
	int rc = entry_open(it, FF_BLK_IFLIST, it->version >= 2, 0, &c, &next, err);

	if (rc <= 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->name = empty;
	if (g16(&c, &out->type, "type", err) || g16(&c, &namelen, "ifnamelen", err))
		return -EBADMSG;
	switch (out->type) {
	case FF_IF_IPV4:
	case FF_IF_IPV4_NOLINKSPEED:
		alen = 4;
		break;
	case FF_IF_IPV6:
	case FF_IF_IPV6_NOLINKSPEED:
		alen = 16;
		break;
	default:
		return bad(it, it->pos, err, "unknown interface type (type, namelen)", out->type,
		           namelen);
	}
	if (gbytes(&c, out->addr, alen, "addr", err) ||
	    gbytes(&c, out->netmask, alen, "netmask", err) ||
	    gbytes(&c, out->bcast, alen, "bcast", err))
		return -EBADMSG;
	if (out->type == FF_IF_IPV4 || out->type == FF_IF_IPV6) {
		if (g64(&c, &out->linkspeed, "linkspeed", err))
			return -EBADMSG;
	} else {
		out->type = out->type == FF_IF_IPV4_NOLINKSPEED ? FF_IF_IPV4 : FF_IF_IPV6;
	}
	if (gstrn(&c, &out->name, namelen, "ifname", err))
		return -EBADMSG;
	entry_close(it, &c, next);
	return 1;
}

int ff_meta_user_next(struct ff_meta_iter *it, struct ff_user *out, struct ff_err *err)
{
	struct cur c;
	uint32_t next;
	int rc = entry_open(it, FF_BLK_USERLIST, it->version >= 2, 1, &c, &next, err);

	if (rc <= 0)
		return rc;
	memset(out, 0, sizeof(*out));
	out->name = out->homedir = out->shell = empty;
	if (g8(&c, &out->kind, "kind", err))
		return -EBADMSG;
	if (out->kind == FF_UL_USER) {
		if (g32(&c, &out->uid, "uid", err) || g32(&c, &out->gid, "gid", err) ||
		    gstr(&c, &out->name, "name", err) || gstr(&c, &out->homedir, "homedir", err) ||
		    gstr(&c, &out->shell, "shell", err))
			return -EBADMSG;
	} else if (out->kind == FF_UL_GROUP) {
		if (g32(&c, &out->gid, "gid", err) || gstr(&c, &out->name, "name", err))
			return -EBADMSG;
	} else {
		return bad(it, it->pos, err, "unknown user entry kind (kind, 0)", out->kind, 0);
	}
	entry_close(it, &c, next);
	return 1;
}

static void proc_tail(struct cur *c, struct ff_proc *p)
{
	const uint8_t *b = c->it->body;
	uint32_t n = c->end - c->pos;

	if (n == 0)
		return;
	/* libs 2026 rule: up to 29 bytes is the legacy order, more is the 2026 one */
	p->tail = n <= 29 ? FF_PROC_TAIL_LEGACY : FF_PROC_TAIL_2026;
	if (p->tail == FF_PROC_TAIL_2026) {
		if (OPT(c, 8)) {
			p->pidns_init_start_ts = ff_ld64(b + c->pos);
			c->pos += 8;
			p->has |= FF_PROC_HAS_PIDNS_TS;
		}
		if (OPT(c, 4)) {
			p->tty = ff_ld32(b + c->pos);
			c->pos += 4;
			p->has |= FF_PROC_HAS_TTY;
		}
	}
	if (OPT(c, 4)) {
		p->loginuid = ff_ld32(b + c->pos);
		c->pos += 4;
		p->has |= FF_PROC_HAS_LOGINUID;
	}
	if (OPT(c, 1)) {
		p->exe_writable = b[c->pos++];
		p->has |= FF_PROC_HAS_EXE_WRITABLE;
	}
	if (OPT(c, 24)) {
		p->cap_inheritable = ff_ld64(b + c->pos);
		p->cap_permitted = ff_ld64(b + c->pos + 8);
		p->cap_effective = ff_ld64(b + c->pos + 16);
		c->pos += 24;
		p->has |= FF_PROC_HAS_CAPS;
	}
	if (p->tail != FF_PROC_TAIL_2026)
		return;
	if (OPT(c, 1 + 24 + 2)) {
		p->exe_upper_layer = b[c->pos];
		p->exe_ino = ff_ld64(b + c->pos + 1);
		p->exe_ino_ctime = ff_ld64(b + c->pos + 9);
		p->exe_ino_mtime = ff_ld64(b + c->pos + 17);
		p->exe_from_memfd = b[c->pos + 25];
		p->exe_lower_layer = b[c->pos + 26];
		c->pos += 27;
		p->has |= FF_PROC_HAS_EXE_LAYERS | FF_PROC_HAS_EXE_INO;
	}
	if (OPT(c, 8)) {
		uint64_t u = ff_ld64(b + c->pos);

		memcpy(&p->pgid, &u, 8);
		c->pos += 8;
		p->has |= FF_PROC_HAS_PGID;
	}
}

int ff_meta_proc_next(struct ff_meta_iter *it, struct ff_proc *p, struct ff_err *err)
{
	struct cur c;
	uint32_t next, v = it->version;
	int rc = entry_open(it, FF_BLK_PROCLIST, v >= 9, 1, &c, &next, err);

	if (rc <= 0)
		return rc;
	memset(p, 0, sizeof(*p));
	p->comm = p->exe = p->exepath = p->args = p->cwd = empty;
	p->env = p->cgroups = p->root = empty;
	p->sid = p->vpgid = UINT64_MAX;
	p->vtid = p->vpid = -1;
	p->loginuid = UINT32_MAX;
	if (g64(&c, &p->tid, "tid", err) || g64(&c, &p->pid, "pid", err) ||
	    g64(&c, &p->ptid, "ptid", err))
		return -EBADMSG;
	if (v >= 6 && g64(&c, &p->sid, "sid", err))
		return -EBADMSG;
	if (v >= 8 && g64(&c, &p->vpgid, "vpgid", err))
		return -EBADMSG;
	if (gstr(&c, &p->comm, "comm", err) || gstr(&c, &p->exe, "exe", err))
		return -EBADMSG;
	if (v >= 7 && gstr(&c, &p->exepath, "exepath", err))
		return -EBADMSG;
	if (gstr(&c, &p->args, "args", err) || gstr(&c, &p->cwd, "cwd", err) ||
	    gi64(&c, &p->fdlimit, "fdlimit", err) || g32(&c, &p->flags, "flags", err) ||
	    g32(&c, &p->uid, "uid", err) || g32(&c, &p->gid, "gid", err))
		return -EBADMSG;
	if (v >= 2 &&
	    (g32(&c, &p->vmsize_kb, "vmsize_kb", err) || g32(&c, &p->vmrss_kb, "vmrss_kb", err) ||
	     g32(&c, &p->vmswap_kb, "vmswap_kb", err) || g64(&c, &p->pfmajor, "pfmajor", err) ||
	     g64(&c, &p->pfminor, "pfminor", err)))
		return -EBADMSG;
	if (v >= 3 && gstr(&c, &p->env, "env", err))
		return -EBADMSG;
	if (v >= 4 && (gi64(&c, &p->vtid, "vtid", err) || gi64(&c, &p->vpid, "vpid", err) ||
	               gstr(&c, &p->cgroups, "cgroups", err)))
		return -EBADMSG;
	if (v >= 5 && gstr(&c, &p->root, "root", err))
		return -EBADMSG;
	if (next) /* only an entry_len tells where a tail ends */
		proc_tail(&c, p);
	entry_close(it, &c, next);
	return 1;
}

int ff_meta_fd_next(struct ff_meta_iter *it, struct ff_fdinfo *f, struct ff_err *err)
{
	struct cur c;
	uint32_t next;
	unsigned alen = 4;
	int rc = entry_open(it, FF_BLK_FDLIST, it->version >= 2, 1, &c, &next, err);

	if (rc <= 0)
		return rc;
	memset(f, 0, sizeof(*f));
	f->name = empty;
	if (gi64(&c, &f->fd, "fd", err) || g64(&c, &f->ino, "ino", err) ||
	    g8(&c, &f->type, "type", err))
		return -EBADMSG;
	switch (f->type) {
	case FF_FD_IPV6_SOCK:
		alen = 16;
		/* fallthrough */
	case FF_FD_IPV4_SOCK:
		if (gbytes(&c, f->sip, alen, "sip", err) || gbytes(&c, f->dip, alen, "dip", err) ||
		    g16(&c, &f->sport, "sport", err) || g16(&c, &f->dport, "dport", err) ||
		    g8(&c, &f->l4proto, "l4proto", err))
			return -EBADMSG;
		break;
	case FF_FD_IPV6_SERVSOCK:
		alen = 16;
		/* fallthrough */
	case FF_FD_IPV4_SERVSOCK:
		if (gbytes(&c, f->sip, alen, "ip", err) || g16(&c, &f->sport, "port", err) ||
		    g8(&c, &f->l4proto, "l4proto", err))
			return -EBADMSG;
		break;
	case FF_FD_UNIX_SOCK:
		if (g64(&c, &f->source, "source", err) || g64(&c, &f->dest, "dest", err) ||
		    gstr(&c, &f->name, "path", err))
			return -EBADMSG;
		break;
	case FF_FD_FILE_V2:
		if (g32(&c, &f->open_flags, "open_flags", err) || gstr(&c, &f->name, "name", err))
			return -EBADMSG;
		if (next && OPT(&c, 4)) {
			f->dev = ff_ld32(it->body + c.pos);
			c.pos += 4;
			f->has_dev = 1;
		}
		break;
	case FF_FD_UNKNOWN:
		break;
	default:
		if (f->type < FF_FD_TYPE_MAX) {
			if (gstr(&c, &f->name, "name", err))
				return -EBADMSG;
			break;
		}
		/* a future type: only an entry length lets us step over it */
		if (!next)
			return bad(it, it->pos, err, "unknown fd type (type, fd)", f->type,
			           (uint32_t)f->fd);
		break;
	}
	entry_close(it, &c, next);
	return 1;
}

/* ---- encoding ---- */

int ff_buf_reserve(struct ff_buf *b, size_t more, struct ff_err *err)
{
	size_t ncap;
	uint8_t *np;

	if (b->cap - b->len >= more)
		return 0;
	ncap = b->cap ? b->cap : 4096;
	while (ncap - b->len < more)
		ncap *= 2;
	np = realloc(b->p, ncap);
	if (!np)
		return ff_errf(err, -ENOMEM, "out of memory (%zu bytes)", ncap);
	b->p = np;
	b->cap = ncap;
	return 0;
}

int ff_buf_put(struct ff_buf *b, const void *data, size_t n, struct ff_err *err)
{
	int rc = ff_buf_reserve(b, n, err);

	if (rc)
		return rc;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	return 0;
}

void ff_buf_free(struct ff_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* Callers reserve first; these only store. */
static void p8(struct ff_buf *b, uint8_t v)
{
	b->p[b->len++] = v;
}
static void p16(struct ff_buf *b, uint16_t v)
{
	memcpy(b->p + b->len, &v, 2);
	b->len += 2;
}
static void p32(struct ff_buf *b, uint32_t v)
{
	memcpy(b->p + b->len, &v, 4);
	b->len += 4;
}
static void p64(struct ff_buf *b, uint64_t v)
{
	memcpy(b->p + b->len, &v, 8);
	b->len += 8;
}
static void pmem(struct ff_buf *b, const void *v, size_t n)
{
	if (n)
		memcpy(b->p + b->len, v, n);
	b->len += n;
}
static uint32_t cut(const struct ff_str *s, uint32_t lim)
{
	return s->len < lim ? s->len : lim;
}
static void pstr(struct ff_buf *b, const struct ff_str *s, uint32_t lim)
{
	uint32_t n = cut(s, lim);

	p16(b, (uint16_t)n);
	pmem(b, s->p, n);
}

int ff_meta_put_shb(struct ff_buf *b, struct ff_err *err)
{
	int rc = ff_buf_reserve(b, 28, err);

	if (rc)
		return rc;
	p32(b, FF_BT_SHB);
	p32(b, 28);
	p32(b, FF_SHB_MAGIC);
	p16(b, FF_SHB_MAJOR);
	p16(b, FF_SHB_MINOR);
	p64(b, UINT64_MAX); /* section length: unknown */
	p32(b, 28);
	return 0;
}

int ff_meta_put_machine(struct ff_buf *b, const struct ff_machine *mi, struct ff_err *err)
{
	char host[FF_MI_HOSTNAME_LEN] = { 0 };
	int rc = ff_buf_reserve(b, 12 + FF_MI_BODY_LEN, err);

	if (rc)
		return rc;
	memcpy(host, mi->hostname, strnlen(mi->hostname, FF_MI_HOSTNAME_LEN));
	p32(b, FF_BT_MI);
	p32(b, 12 + FF_MI_BODY_LEN);
	p32(b, mi->num_cpus);
	p64(b, mi->memory_bytes);
	p64(b, mi->max_pid);
	pmem(b, host, sizeof(host));
	p64(b, mi->boot_ts);
	p64(b, mi->flags);
	p64(b, mi->reserved3);
	p64(b, mi->reserved4);
	p32(b, 12 + FF_MI_BODY_LEN);
	return 0;
}

int ff_meta_begin(struct ff_buf *b, uint32_t block_type, uint64_t tid, size_t *mark,
                  struct ff_err *err)
{
	int rc;

	if (block_type != FF_BT_IL_V2 && block_type != FF_BT_UL_V2 && block_type != FF_BT_PL_V9 &&
	    block_type != FF_BT_FDL_V2)
		return ff_errf(err, -EINVAL, "cannot encode block type 0x%x", block_type);
	rc = ff_buf_reserve(b, 16, err);
	if (rc)
		return rc;
	*mark = b->len;
	p32(b, block_type);
	p32(b, 0); /* total length, set by ff_meta_end() */
	if (block_type == FF_BT_FDL_V2)
		p64(b, tid);
	return 0;
}

int ff_meta_end(struct ff_buf *b, size_t mark, struct ff_err *err)
{
	static const uint8_t zero[4];
	size_t body = b->len - mark - 8, pad = (4 - body % 4) % 4;
	size_t total = 8 + body + pad + 4;
	uint32_t t32;
	int rc;

	if (total > UINT32_MAX)
		return ff_errf(err, -E2BIG, "metadata block of %zu bytes is too large", total);
	rc = ff_buf_reserve(b, pad + 4, err);
	if (rc)
		return rc;
	t32 = (uint32_t)total;
	pmem(b, zero, pad);
	p32(b, t32);
	memcpy(b->p + mark + 4, &t32, 4);
	return 0;
}

int ff_meta_put_iface(struct ff_buf *b, const struct ff_iface *ifc, struct ff_err *err)
{
	int v6 = ifc->type == FF_IF_IPV6 || ifc->type == FF_IF_IPV6_NOLINKSPEED;
	unsigned alen = v6 ? 16 : 4;
	uint32_t n = cut(&ifc->name, LIM_IFNAME);
	uint32_t payload = 4 + 3 * alen + 8 + n;
	int rc;

	if (ifc->type < FF_IF_IPV4 || ifc->type > FF_IF_IPV6_NOLINKSPEED)
		return ff_errf(err, -EINVAL, "cannot encode interface type %u", ifc->type);
	rc = ff_buf_reserve(b, 4 + payload, err);
	if (rc)
		return rc;
	p32(b, payload); /* IL_V2: entry length excludes its own 4 bytes */
	p16(b, v6 ? FF_IF_IPV6 : FF_IF_IPV4);
	p16(b, (uint16_t)n);
	pmem(b, ifc->addr, alen);
	pmem(b, ifc->netmask, alen);
	pmem(b, ifc->bcast, alen);
	p64(b, ifc->linkspeed);
	pmem(b, ifc->name.p, n);
	return 0;
}

int ff_meta_put_user(struct ff_buf *b, const struct ff_user *u, struct ff_err *err)
{
	size_t start;
	uint32_t elen;
	int rc;

	if (u->kind != FF_UL_USER && u->kind != FF_UL_GROUP)
		return ff_errf(err, -EINVAL, "cannot encode user entry kind %u", u->kind);
	rc = ff_buf_reserve(b, 4 + 1 + 8 + 3 * (2 + LIM_USER), err);
	if (rc)
		return rc;
	start = b->len;
	p32(b, 0);
	p8(b, u->kind);
	if (u->kind == FF_UL_USER) {
		p32(b, u->uid);
		p32(b, u->gid);
		pstr(b, &u->name, LIM_USER);
		pstr(b, &u->homedir, LIM_USER);
		pstr(b, &u->shell, LIM_USER);
	} else {
		p32(b, u->gid);
		pstr(b, &u->name, LIM_USER);
	}
	elen = (uint32_t)(b->len - start);
	memcpy(b->p + start, &elen, 4);
	return 0;
}

int ff_meta_put_proc(struct ff_buf *b, const struct ff_proc *p, struct ff_err *err)
{
	size_t start;
	uint32_t elen;
	int rc;

	rc = ff_buf_reserve(
	    b, 4 + 5 * 8 + 5 * (2 + LIM_PATH) + 3 * (2 + LIM_ARGS) + 8 + 12 + 12 + 16 + 16 + 29,
	    err);
	if (rc)
		return rc;
	start = b->len;
	p32(b, 0);
	p64(b, p->tid);
	p64(b, p->pid);
	p64(b, p->ptid);
	p64(b, p->sid);
	p64(b, p->vpgid);
	pstr(b, &p->comm, LIM_PATH);
	pstr(b, &p->exe, LIM_PATH);
	pstr(b, &p->exepath, LIM_PATH);
	pstr(b, &p->args, LIM_ARGS);
	pstr(b, &p->cwd, LIM_PATH);
	p64(b, (uint64_t)p->fdlimit);
	p32(b, p->flags);
	p32(b, p->uid);
	p32(b, p->gid);
	p32(b, p->vmsize_kb);
	p32(b, p->vmrss_kb);
	p32(b, p->vmswap_kb);
	p64(b, p->pfmajor);
	p64(b, p->pfminor);
	pstr(b, &p->env, LIM_ARGS);
	p64(b, (uint64_t)p->vtid);
	p64(b, (uint64_t)p->vpid);
	pstr(b, &p->cgroups, LIM_ARGS);
	pstr(b, &p->root, LIM_PATH);
	/* legacy tail: both generations read loginuid and exe_writable here */
	p32(b, p->loginuid);
	p8(b, p->exe_writable);
	if (p->has & FF_PROC_HAS_CAPS) {
		p64(b, p->cap_inheritable);
		p64(b, p->cap_permitted);
		p64(b, p->cap_effective);
	}
	elen = (uint32_t)(b->len - start);
	memcpy(b->p + start, &elen, 4);
	return 0;
}

int ff_meta_put_fd(struct ff_buf *b, const struct ff_fdinfo *f, struct ff_err *err)
{
	uint8_t type = f->type;
	unsigned alen = 4;
	size_t start;
	uint32_t elen;
	int rc;

	if (type == FF_FD_UNKNOWN || type >= FF_FD_TYPE_MAX)
		return ff_errf(err, -EINVAL, "cannot encode fd %lld of type %u", (long long)f->fd,
		               type);
	if (type > FF_FD_FILE_V2)
		type = FF_FD_UNSUPPORTED; /* sysdig 0.29.3 rejects types 17..21 */
	rc = ff_buf_reserve(b, 4 + 17 + 16 + 16 + 5 + 16 + 4 + 2 + LIM_PATH + 4, err);
	if (rc)
		return rc;
	start = b->len;
	p32(b, 0);
	p64(b, (uint64_t)f->fd);
	p64(b, f->ino);
	p8(b, type);
	switch (type) {
	case FF_FD_IPV6_SOCK:
		alen = 16;
		/* fallthrough */
	case FF_FD_IPV4_SOCK:
		pmem(b, f->sip, alen);
		pmem(b, f->dip, alen);
		p16(b, f->sport);
		p16(b, f->dport);
		p8(b, f->l4proto);
		break;
	case FF_FD_IPV6_SERVSOCK:
		alen = 16;
		/* fallthrough */
	case FF_FD_IPV4_SERVSOCK:
		pmem(b, f->sip, alen);
		p16(b, f->sport);
		p8(b, f->l4proto);
		break;
	case FF_FD_UNIX_SOCK:
		p64(b, f->source);
		p64(b, f->dest);
		pstr(b, &f->name, LIM_PATH);
		break;
	case FF_FD_FILE_V2:
		p32(b, f->open_flags);
		pstr(b, &f->name, LIM_PATH);
		if (f->has_dev)
			p32(b, f->dev);
		break;
	default:
		pstr(b, &f->name, LIM_PATH);
		break;
	}
	elen = (uint32_t)(b->len - start);
	memcpy(b->p + start, &elen, 4);
	return 0;
}
