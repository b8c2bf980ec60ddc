/* SPDX-License-Identifier: Apache-2.0 */
/* ff_meta: decoding of every metadata block version and compat-profile
 * encoding, checked against hand-built bytes and the real captures. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ff_meta.h"
#include "ff_reader.h"
#include "ff_scap.h"

static struct ff_str S(const char *s) {
	return (struct ff_str){ s, (uint32_t)strlen(s) };
}

static int
str_eq(struct ff_str a, const char *b)
{
	return a.len == strlen(b) && (a.len == 0 || memcmp(a.p, b, a.len) == 0);
}

/* Hand-built little-endian bytes. */
struct hb {
	uint8_t b[8192];
	size_t n;
};
static void h8(struct hb *h, uint8_t v)
{
	h->b[h->n++] = v;
}
static void h16(struct hb *h, uint16_t v)
{
	memcpy(h->b + h->n, &v, 2);
	h->n += 2;
}
static void h32(struct hb *h, uint32_t v)
{
	memcpy(h->b + h->n, &v, 4);
	h->n += 4;
}
static void h64(struct hb *h, uint64_t v)
{
	memcpy(h->b + h->n, &v, 8);
	h->n += 8;
}
static void hs(struct hb *h, const char *s)
{
	h16(h, (uint16_t)strlen(s));
	memcpy(h->b + h->n, s, strlen(s));
	h->n += strlen(s);
}
static void hraw(struct hb *h, const void *p, size_t n)
{
	memcpy(h->b + h->n, p, n);
	h->n += n;
}

/* Wrap a body into a block of `type` with padding and trailer. */
static void hblock(struct hb *out, uint32_t type, const struct hb *body)
{
	size_t pad = (4 - body->n % 4) % 4;
	uint32_t total = (uint32_t)(12 + body->n + pad);

	h32(out, type);
	h32(out, total);
	hraw(out, body->b, body->n);
	for (size_t i = 0; i < pad; i++)
		h8(out, 0);
	h32(out, total);
}

/* A capture in memory: SHB + the given blocks; the reader hands back the first
 * block after the SHB. */
struct memcap {
	struct ff_buf file;
	struct ff_reader *r;
	struct ff_block blk;
};

static void memcap_open(struct memcap *m, const void *blocks, size_t n)
{
	struct ff_err err = { 0 };

	memset(m, 0, sizeof(*m));
	assert_int_equal(ff_meta_put_shb(&m->file, &err), 0);
	assert_int_equal(ff_buf_put(&m->file, blocks, n, &err), 0);
	assert_int_equal(ff_reader_open_mem(&m->r, m->file.p, m->file.len, "mem", &err), 0);
	assert_int_equal(ff_reader_next(m->r, &m->blk, &err), 1);
	assert_int_equal(m->blk.kind, FF_BLK_SECTION);
	assert_int_equal(ff_reader_next(m->r, &m->blk, &err), 1);
}

static void memcap_close(struct memcap *m)
{
	ff_reader_close(m->r);
	ff_buf_free(&m->file);
}

static void test_shb_machine(void **state)
{
	struct ff_buf b = { 0 };
	struct ff_err err = { 0 };
	struct ff_machine mi = { .num_cpus = 8,
		                 .memory_bytes = 16ull << 30,
		                 .max_pid = 4194304,
		                 .boot_ts = 1700000000000000000ull,
		                 .flags = 3 },
	                  got;
	struct memcap m;

	(void)state;
	memcpy(mi.hostname, "forensics-host", 15);
	assert_int_equal(ff_meta_put_shb(&b, &err), 0);
	assert_int_equal(b.len, 28);
	/* section header bytes exactly as the spec gives them */
	static const uint8_t shb[28] = { 0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0,    0,    0x4d, 0x3c,
		                         0x2b, 0x1a, 1,    0,    2,  0, 0xff, 0xff, 0xff, 0xff,
		                         0xff, 0xff, 0xff, 0xff, 28, 0, 0,    0 };
	assert_memory_equal(b.p, shb, 28);
	b.len = 0;
	assert_int_equal(ff_meta_put_machine(&b, &mi, &err), 0);
	assert_int_equal(b.len, 192);
	assert_int_equal(ff_ld32(b.p + 4), 192);
	assert_int_equal(ff_ld32(b.p + 188), 192);
	assert_int_equal(ff_ld32(b.p + 8), 8);
	assert_string_equal((const char *)b.p + 8 + 20, "forensics-host");
	memcap_open(&m, b.p, b.len);
	assert_int_equal(m.blk.kind, FF_BLK_MACHINE);
	assert_int_equal(ff_meta_machine(&m.blk, &got, &err), 0);
	assert_int_equal(got.num_cpus, 8);
	assert_true(got.memory_bytes == (16ull << 30));
	assert_int_equal(got.max_pid, 4194304);
	assert_string_equal(got.hostname, "forensics-host");
	assert_true(got.boot_ts == 1700000000000000000ull);
	assert_int_equal(got.flags, 3);
	memcap_close(&m);
	ff_buf_free(&b);
}

static void test_iflist(void **state)
{
	struct ff_err err = { 0 };
	struct hb body = { 0 }, blk = { 0 };
	struct ff_buf b = { 0 };
	struct ff_meta_iter it;
	struct ff_iface ifc;
	struct memcap m;
	size_t mark;
	static const uint8_t lo[4] = { 127, 0, 0, 1 }, mask[4] = { 255, 0, 0, 0 };
	uint8_t v6[16] = { 0 };

	(void)state;
	/* v1 block by hand: an IPv4 entry, then an old IPv6 one without linkspeed */
	h16(&body, FF_IF_IPV4);
	h16(&body, 2);
	hraw(&body, lo, 4);
	hraw(&body, mask, 4);
	hraw(&body, lo, 4);
	h64(&body, 1000);
	hraw(&body, "lo", 2);
	h16(&body, FF_IF_IPV6_NOLINKSPEED);
	h16(&body, 4);
	v6[15] = 1;
	hraw(&body, v6, 16);
	hraw(&body, v6, 16);
	hraw(&body, v6, 16);
	hraw(&body, "eth0", 4);
	hblock(&blk, FF_BT_IL, &body);
	memcap_open(&m, blk.b, blk.n);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_iface_next(&it, &ifc, &err), 1);
	assert_int_equal(ifc.type, FF_IF_IPV4);
	assert_memory_equal(ifc.addr, lo, 4);
	assert_memory_equal(ifc.netmask, mask, 4);
	assert_int_equal(ifc.linkspeed, 1000);
	assert_true(str_eq(ifc.name, "lo"));
	assert_int_equal(ff_meta_iface_next(&it, &ifc, &err), 1);
	assert_int_equal(ifc.type, FF_IF_IPV6);
	assert_int_equal(ifc.addr[15], 1);
	assert_int_equal(ifc.linkspeed, 0);
	assert_true(str_eq(ifc.name, "eth0"));
	assert_int_equal(ff_meta_iface_next(&it, &ifc, &err), 0);
	/* re-encode as IL_V2 and read back */
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_begin(&b, FF_BT_IL_V2, 0, &mark, &err), 0);
	while (ff_meta_iface_next(&it, &ifc, &err) == 1)
		assert_int_equal(ff_meta_put_iface(&b, &ifc, &err), 0);
	assert_int_equal(ff_meta_end(&b, mark, &err), 0);
	memcap_close(&m);
	/* IL_V2 entry length excludes its own 4 bytes: 24 + 2 for "lo" */
	assert_int_equal(ff_ld32(b.p + 8), 26);
	assert_int_equal(ff_ld32(b.p + 8 + 4 + 26), 60 + 4);
	memcap_open(&m, b.p, b.len);
	assert_int_equal(m.blk.type, FF_BT_IL_V2);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_iface_next(&it, &ifc, &err), 1);
	assert_true(str_eq(ifc.name, "lo"));
	assert_int_equal(ifc.linkspeed, 1000);
	assert_int_equal(ff_meta_iface_next(&it, &ifc, &err), 1);
	assert_true(str_eq(ifc.name, "eth0"));
	assert_int_equal(ifc.type, FF_IF_IPV6);
	assert_int_equal(ff_meta_iface_next(&it, &ifc, &err), 0);
	memcap_close(&m);
	ff_buf_free(&b);
}

static void test_userlist(void **state)
{
	struct ff_err err = { 0 };
	struct hb body = { 0 }, blk = { 0 };
	struct ff_buf b = { 0 };
	struct ff_meta_iter it;
	struct ff_user u;
	struct memcap m;
	size_t mark;
	char longname[300];

	(void)state;
	/* UL v1 by hand */
	h8(&body, FF_UL_USER);
	h32(&body, 1000);
	h32(&body, 100);
	hs(&body, "alice");
	hs(&body, "/home/alice");
	hs(&body, "/bin/bash");
	h8(&body, FF_UL_GROUP);
	h32(&body, 100);
	hs(&body, "users");
	hblock(&blk, FF_BT_UL, &body);
	memcap_open(&m, blk.b, blk.n);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_user_next(&it, &u, &err), 1);
	assert_int_equal(u.kind, FF_UL_USER);
	assert_int_equal(u.uid, 1000);
	assert_int_equal(u.gid, 100);
	assert_true(str_eq(u.name, "alice") && str_eq(u.homedir, "/home/alice") &&
	            str_eq(u.shell, "/bin/bash"));
	assert_int_equal(ff_meta_user_next(&it, &u, &err), 1);
	assert_int_equal(u.kind, FF_UL_GROUP);
	assert_int_equal(u.gid, 100);
	assert_true(str_eq(u.name, "users"));
	assert_int_equal(ff_meta_user_next(&it, &u, &err), 0);
	memcap_close(&m);

	/* UL_V2: entry_len counts itself; over-long strings are cut to 255 */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	assert_int_equal(ff_meta_begin(&b, FF_BT_UL_V2, 0, &mark, &err), 0);
	u = (struct ff_user){ .kind = FF_UL_USER,
		              .uid = 0,
		              .gid = 0,
		              .name = S("root"),
		              .homedir = S("/root"),
		              .shell = S(longname) };
	assert_int_equal(ff_meta_put_user(&b, &u, &err), 0);
	assert_int_equal(ff_ld32(b.p + 8), 4 + 1 + 8 + 6 + 7 + 2 + 255);
	u = (struct ff_user){ .kind = FF_UL_GROUP, .gid = 4, .name = S("adm") };
	assert_int_equal(ff_meta_put_user(&b, &u, &err), 0);
	assert_int_equal(ff_meta_end(&b, mark, &err), 0);
	memcap_open(&m, b.p, b.len);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_user_next(&it, &u, &err), 1);
	assert_true(str_eq(u.name, "root"));
	assert_int_equal(u.shell.len, 255);
	assert_int_equal(ff_meta_user_next(&it, &u, &err), 1);
	assert_true(str_eq(u.name, "adm"));
	assert_int_equal(u.gid, 4);
	assert_int_equal(ff_meta_user_next(&it, &u, &err), 0);
	memcap_close(&m);
	ff_buf_free(&b);
}

/* PL entry of version v, by hand (the table of scap-format.md section 8). */
static void hproc(struct hb *h, unsigned v, uint64_t tid, const char *comm, const uint8_t *tail,
                  size_t tail_len)
{
	size_t start = h->n;

	if (v >= 9)
		h32(h, 0);
	h64(h, tid);
	h64(h, tid + 1); /* pid */
	h64(h, 1);       /* ptid */
	if (v >= 6)
		h64(h, 42); /* sid */
	if (v >= 8)
		h64(h, 43); /* vpgid */
	hs(h, comm);
	hs(h, "/usr/bin/x");
	if (v >= 7)
		hs(h, "/usr/bin/x-real");
	h16(h, 4);
	hraw(h, "a\0b\0", 4);
	hs(h, "/tmp");
	h64(h, 1024);
	h32(h, 0x10);
	h32(h, 1000);
	h32(h, 1001);
	if (v >= 2) {
		h32(h, 11);
		h32(h, 12);
		h32(h, 13);
		h64(h, 14);
		h64(h, 15);
	}
	if (v >= 3)
		hs(h, "A=1");
	if (v >= 4) {
		h64(h, 7);
		h64(h, 8);
		hs(h, "cpu=/x");
	}
	if (v >= 5)
		hs(h, "/");
	if (tail_len)
		hraw(h, tail, tail_len);
	if (v >= 9) {
		uint32_t len = (uint32_t)(h->n - start);
		memcpy(h->b + start, &len, 4);
	}
}

static const uint32_t pl_types[10] = { 0,           FF_BT_PL_V1, FF_BT_PL_V2, FF_BT_PL_V3,
	                               FF_BT_PL_V4, FF_BT_PL_V5, FF_BT_PL_V6, FF_BT_PL_V7,
	                               FF_BT_PL_V8, FF_BT_PL_V9 };

static void test_proclist_versions(void **state)
{
	struct ff_err err = { 0 };
	(void)state;

	for (unsigned v = 1; v <= 9; v++) {
		struct hb body = { 0 }, blk = { 0 };
		struct ff_meta_iter it;
		struct ff_proc p;
		struct memcap m;

		hproc(&body, v, 100, "bash", NULL, 0);
		hproc(&body, v, 200, "curl", NULL, 0);
		hblock(&blk, pl_types[v], &body);
		memcap_open(&m, blk.b, blk.n);
		assert_int_equal(m.blk.version, v);
		assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
		for (unsigned i = 0; i < 2; i++) {
			assert_int_equal(ff_meta_proc_next(&it, &p, &err), 1);
			assert_int_equal(p.tid, i ? 200 : 100);
			assert_int_equal(p.pid, p.tid + 1);
			assert_int_equal(p.ptid, 1);
			assert_true(str_eq(p.comm, i ? "curl" : "bash"));
			assert_true(str_eq(p.exe, "/usr/bin/x"));
			assert_int_equal(p.args.len, 4);
			assert_memory_equal(p.args.p, "a\0b\0", 4);
			assert_true(str_eq(p.cwd, "/tmp"));
			assert_int_equal(p.fdlimit, 1024);
			assert_int_equal(p.flags, 0x10);
			assert_int_equal(p.uid, 1000);
			assert_int_equal(p.gid, 1001);
			/* fields a version lacks get libscap's defaults */
			assert_true(p.sid == (v >= 6 ? 42 : UINT64_MAX));
			assert_true(p.vpgid == (v >= 8 ? 43 : UINT64_MAX));
			assert_true(str_eq(p.exepath, v >= 7 ? "/usr/bin/x-real" : ""));
			assert_int_equal(p.vmrss_kb, v >= 2 ? 12 : 0);
			assert_int_equal(p.pfminor, v >= 2 ? 15 : 0);
			assert_true(str_eq(p.env, v >= 3 ? "A=1" : ""));
			assert_int_equal(p.vtid, v >= 4 ? 7 : -1);
			assert_int_equal(p.vpid, v >= 4 ? 8 : -1);
			assert_true(str_eq(p.cgroups, v >= 4 ? "cpu=/x" : ""));
			assert_true(str_eq(p.root, v >= 5 ? "/" : ""));
			assert_int_equal(p.tail, FF_PROC_TAIL_NONE);
			assert_int_equal(p.loginuid, UINT32_MAX);
		}
		assert_int_equal(ff_meta_proc_next(&it, &p, &err), 0);
		memcap_close(&m);
	}
}

static void test_proclist_tails(void **state)
{
	struct ff_err err = { 0 };
	struct hb t5 = { 0 }, t29 = { 0 }, t76 = { 0 }, body = { 0 }, blk = { 0 };
	struct ff_meta_iter it;
	struct ff_proc p;
	struct memcap m;

	(void)state;
	h32(&t5, 1000);
	h8(&t5, 1);
	hraw(&t29, t5.b, t5.n);
	h64(&t29, 0x11);
	h64(&t29, 0x22);
	h64(&t29, 0x33);
	h64(&t76, 5555);  /* pidns_init_start_ts */
	h32(&t76, 34816); /* tty */
	h32(&t76, 1001);  /* loginuid */
	h8(&t76, 0);
	h64(&t76, 0x1);
	h64(&t76, 0x2);
	h64(&t76, 0x3);
	h8(&t76, 1);   /* exe_upper_layer */
	h64(&t76, 99); /* exe_ino */
	h64(&t76, 100);
	h64(&t76, 101);
	h8(&t76, 1);    /* exe_from_memfd */
	h8(&t76, 0);    /* exe_lower_layer */
	h64(&t76, 777); /* pgid */
	assert_int_equal(t76.n, 76);
	hproc(&body, 9, 1, "a", t5.b, t5.n);
	hproc(&body, 9, 2, "b", t29.b, t29.n);
	hproc(&body, 9, 3, "c", t76.b, t76.n);
	hblock(&blk, FF_BT_PL_V9, &body);
	memcap_open(&m, blk.b, blk.n);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);

	assert_int_equal(ff_meta_proc_next(&it, &p, &err), 1);
	assert_int_equal(p.tail, FF_PROC_TAIL_LEGACY);
	assert_int_equal(p.has, FF_PROC_HAS_LOGINUID | FF_PROC_HAS_EXE_WRITABLE);
	assert_int_equal(p.loginuid, 1000);
	assert_int_equal(p.exe_writable, 1);

	assert_int_equal(ff_meta_proc_next(&it, &p, &err), 1);
	assert_int_equal(p.tail, FF_PROC_TAIL_LEGACY);
	assert_true(p.has & FF_PROC_HAS_CAPS);
	assert_int_equal(p.cap_inheritable, 0x11);
	assert_int_equal(p.cap_permitted, 0x22);
	assert_int_equal(p.cap_effective, 0x33);

	assert_int_equal(ff_meta_proc_next(&it, &p, &err), 1);
	assert_int_equal(p.tail, FF_PROC_TAIL_2026);
	assert_int_equal(p.pidns_init_start_ts, 5555);
	assert_int_equal(p.tty, 34816);
	assert_int_equal(p.loginuid, 1001);
	assert_int_equal(p.cap_effective, 0x3);
	assert_int_equal(p.exe_upper_layer, 1);
	assert_int_equal(p.exe_ino, 99);
	assert_int_equal(p.exe_ino_mtime, 101);
	assert_int_equal(p.exe_from_memfd, 1);
	assert_int_equal(p.pgid, 777);
	assert_true(p.has & FF_PROC_HAS_PGID);
	assert_true(str_eq(p.root, "/"));
	assert_int_equal(ff_meta_proc_next(&it, &p, &err), 0);
	memcap_close(&m);
}

static void test_proclist_encode(void **state)
{
	struct ff_err err = { 0 };
	struct hb body = { 0 }, blk = { 0 };
	struct ff_buf b = { 0 };
	struct ff_meta_iter it;
	struct ff_proc in, out;
	struct memcap m;
	size_t mark;

	(void)state;
	/* a v5 entry (2018 captures) re-encoded as PL_V9 keeps every value */
	hproc(&body, 5, 100, "bash", NULL, 0);
	hblock(&blk, FF_BT_PL_V5, &body);
	memcap_open(&m, blk.b, blk.n);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_proc_next(&it, &in, &err), 1);
	assert_int_equal(ff_meta_begin(&b, FF_BT_PL_V9, 0, &mark, &err), 0);
	assert_int_equal(ff_meta_put_proc(&b, &in, &err), 0);
	in.has |= FF_PROC_HAS_CAPS;
	in.cap_effective = 0x1ff;
	in.tid = 101;
	assert_int_equal(ff_meta_put_proc(&b, &in, &err), 0);
	assert_int_equal(ff_meta_end(&b, mark, &err), 0);
	memcap_close(&m);

	memcap_open(&m, b.p, b.len);
	assert_int_equal(m.blk.type, FF_BT_PL_V9);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_proc_next(&it, &out, &err), 1);
	assert_int_equal(out.tail, FF_PROC_TAIL_LEGACY);
	assert_int_equal(out.has, FF_PROC_HAS_LOGINUID | FF_PROC_HAS_EXE_WRITABLE);
	assert_true(out.sid == UINT64_MAX && out.vpgid == UINT64_MAX);
	assert_int_equal(out.loginuid, UINT32_MAX);
	assert_true(str_eq(out.comm, "bash") && str_eq(out.exepath, "") &&
	            str_eq(out.cgroups, "cpu=/x") && str_eq(out.env, "A=1"));
	assert_int_equal(out.vtid, 7);
	assert_int_equal(out.pfmajor, 14);
	assert_int_equal(ff_meta_proc_next(&it, &out, &err), 1);
	/* the 29-byte legacy tail when capabilities are known */
	assert_int_equal(out.tid, 101);
	assert_true(out.has & FF_PROC_HAS_CAPS);
	assert_int_equal(out.cap_effective, 0x1ff);
	assert_int_equal(ff_meta_proc_next(&it, &out, &err), 0);
	memcap_close(&m);
	ff_buf_free(&b);
}

static void test_fdlist(void **state)
{
	struct ff_err err = { 0 };
	struct ff_buf b = { 0 };
	struct ff_meta_iter it;
	struct ff_fdinfo f, g;
	struct memcap m;
	size_t mark;

	(void)state;
	assert_int_equal(ff_meta_begin(&b, FF_BT_FDL_V2, 4242, &mark, &err), 0);
	for (unsigned t = 1; t < FF_FD_TYPE_MAX; t++) {
		memset(&f, 0, sizeof(f));
		f.fd = t;
		f.ino = 1000 + t;
		f.type = (uint8_t)t;
		f.sip[0] = 10;
		f.sip[3] = (uint8_t)t;
		f.dip[0] = 192;
		f.sport = 40000;
		f.dport = 80;
		f.l4proto = 2;
		f.source = 0xffff0001;
		f.dest = 0xffff0002;
		f.open_flags = 4097;
		f.dev = 0x803;
		f.has_dev = 1;
		f.name = S("/var/log/x");
		assert_int_equal(ff_meta_put_fd(&b, &f, &err), 0);
	}
	f.type = 0;
	assert_int_equal(ff_meta_put_fd(&b, &f, &err), -EINVAL);
	f.type = 22;
	assert_int_equal(ff_meta_put_fd(&b, &f, &err), -EINVAL);
	assert_int_equal(ff_meta_end(&b, mark, &err), 0);

	memcap_open(&m, b.p, b.len);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(it.tid, 4242);
	for (unsigned t = 1; t < FF_FD_TYPE_MAX; t++) {
		unsigned want = t > 16 ? FF_FD_UNSUPPORTED : t;

		assert_int_equal(ff_meta_fd_next(&it, &g, &err), 1);
		assert_int_equal(g.fd, t);
		assert_int_equal(g.ino, 1000 + t);
		assert_int_equal(g.type, want);
		switch (want) {
		case FF_FD_IPV4_SOCK:
		case FF_FD_IPV6_SOCK:
			assert_int_equal(g.sip[3], t);
			assert_int_equal(g.dip[0], 192);
			assert_int_equal(g.dport, 80);
			assert_int_equal(g.sport, 40000);
			assert_int_equal(g.l4proto, 2);
			break;
		case FF_FD_IPV4_SERVSOCK:
		case FF_FD_IPV6_SERVSOCK:
			assert_int_equal(g.sip[3], t);
			assert_int_equal(g.sport, 40000);
			assert_int_equal(g.l4proto, 2);
			break;
		case FF_FD_UNIX_SOCK:
			assert_int_equal(g.source, 0xffff0001);
			assert_int_equal(g.dest, 0xffff0002);
			assert_true(str_eq(g.name, "/var/log/x"));
			break;
		case FF_FD_FILE_V2:
			assert_int_equal(g.open_flags, 4097);
			assert_int_equal(g.has_dev, 1);
			assert_int_equal(g.dev, 0x803);
			assert_true(str_eq(g.name, "/var/log/x"));
			break;
		default:
			assert_true(str_eq(g.name, "/var/log/x"));
		}
	}
	assert_int_equal(ff_meta_fd_next(&it, &g, &err), 0);
	memcap_close(&m);
	ff_buf_free(&b);
}

static void test_fdlist_v1_and_unknown(void **state)
{
	struct ff_err err = { 0 };
	struct hb body = { 0 }, blk = { 0 };
	struct ff_meta_iter it;
	struct ff_fdinfo g;
	struct memcap m;
	static const uint8_t ip[4] = { 10, 0, 0, 1 };

	(void)state;
	/* FDL v1: tid, then entries without a length */
	h64(&body, 77);
	h64(&body, 3);
	h64(&body, 9);
	h8(&body, FF_FD_IPV4_SERVSOCK);
	hraw(&body, ip, 4);
	h16(&body, 8080);
	h8(&body, 2);
	h64(&body, 4);
	h64(&body, 10);
	h8(&body, FF_FD_FILE_V2);
	h32(&body, 1);
	hs(&body, "/etc/hosts"); /* no dev without an entry length */
	hblock(&blk, FF_BT_FDL, &body);
	memcap_open(&m, blk.b, blk.n);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(it.tid, 77);
	assert_int_equal(ff_meta_fd_next(&it, &g, &err), 1);
	assert_int_equal(g.type, FF_FD_IPV4_SERVSOCK);
	assert_memory_equal(g.sip, ip, 4);
	assert_int_equal(g.sport, 8080);
	assert_int_equal(ff_meta_fd_next(&it, &g, &err), 1);
	assert_int_equal(g.type, FF_FD_FILE_V2);
	assert_int_equal(g.has_dev, 0);
	assert_true(str_eq(g.name, "/etc/hosts"));
	assert_int_equal(ff_meta_fd_next(&it, &g, &err), 0);
	memcap_close(&m);

	/* FDL_V2: a future fd type is stepped over by its entry length */
	memset(&body, 0, sizeof(body));
	memset(&blk, 0, sizeof(blk));
	h64(&body, 78);
	h32(&body, 4 + 17 + 6);
	h64(&body, 5);
	h64(&body, 0);
	h8(&body, 99);
	hraw(&body, "future", 6);
	h32(&body, 4 + 17 + 2 + 4);
	h64(&body, 6);
	h64(&body, 0);
	h8(&body, FF_FD_FIFO);
	hs(&body, "pipe");
	hblock(&blk, FF_BT_FDL_V2, &body);
	memcap_open(&m, blk.b, blk.n);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_fd_next(&it, &g, &err), 1);
	assert_int_equal(g.type, 99);
	assert_int_equal(ff_meta_fd_next(&it, &g, &err), 1);
	assert_int_equal(g.type, FF_FD_FIFO);
	assert_true(str_eq(g.name, "pipe"));
	assert_int_equal(ff_meta_fd_next(&it, &g, &err), 0);
	memcap_close(&m);
}

static void test_malformed(void **state)
{
	struct ff_err err = { 0 };
	struct hb body = { 0 }, blk = { 0 };
	struct ff_meta_iter it;
	struct ff_proc p;
	struct ff_user u;
	struct memcap m;
	uint32_t bad, first_len;

	(void)state;
	/* second PL_V9 entry claims more bytes than the block has */
	hproc(&body, 9, 1, "ok", NULL, 0);
	hproc(&body, 9, 2, "bad", NULL, 0);
	memcpy(&first_len, body.b, 4);
	bad = 5000;
	memcpy(body.b + first_len, &bad, 4);
	hblock(&blk, FF_BT_PL_V9, &body);
	memcap_open(&m, blk.b, blk.n);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_proc_next(&it, &p, &err), 1);
	assert_int_equal(ff_meta_proc_next(&it, &p, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "entry 1"));
	assert_non_null(strstr(err.msg, "block at byte 28"));
	/* stays at the bad entry */
	assert_int_equal(ff_meta_proc_next(&it, &p, &err), -EBADMSG);
	/* wrong decoder for the kind */
	assert_int_equal(ff_meta_user_next(&it, &u, &err), -EINVAL);
	memcap_close(&m);

	/* a v1 string running past the block end */
	memset(&body, 0, sizeof(body));
	memset(&blk, 0, sizeof(blk));
	h8(&body, FF_UL_GROUP);
	h32(&body, 5);
	h16(&body, 200);
	hraw(&body, "abc", 3);
	hblock(&blk, FF_BT_UL, &body);
	memcap_open(&m, blk.b, blk.n);
	assert_int_equal(ff_meta_iter_init(&it, &m.blk, &err), 0);
	assert_int_equal(ff_meta_user_next(&it, &u, &err), -EBADMSG);
	assert_non_null(strstr(err.msg, "entry 0"));
	assert_non_null(strstr(err.msg, "name"));
	memcap_close(&m);
}

/* Every metadata block of the real captures decodes without error. */
static void test_real_captures(void **state)
{
	static const char *files[] = { "curl_google.scap", "curl_google_comments.scap",
		                       "single_ipv6_conn.scap", "test_ipv6_client.scap" };
	const char *shared = getenv("FF_SHARED");
	unsigned found = 0;

	(void)state;
	if (!shared)
		skip();
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[4096];
		struct ff_reader *r;
		struct ff_block blk;
		struct ff_err err = { 0 };
		unsigned long nproc = 0, nfd = 0, nuser = 0, nif = 0, nmi = 0;
		int rc;

		snprintf(path, sizeof(path), "%s/captures/%s", shared, files[i]);
		if (ff_reader_open(&r, path, &err) < 0)
			continue;
		found++;
		while ((rc = ff_reader_next(r, &blk, &err)) == 1) {
			struct ff_meta_iter it;
			union {
				struct ff_proc p;
				struct ff_fdinfo f;
				struct ff_user u;
				struct ff_iface i;
				struct ff_machine m;
			} e;

			if (blk.kind == FF_BLK_EVENT)
				break;
			if (blk.kind == FF_BLK_MACHINE) {
				assert_int_equal(ff_meta_machine(&blk, &e.m, &err), 0);
				assert_true(e.m.num_cpus > 0);
				nmi++;
				continue;
			}
			if (blk.kind < FF_BLK_IFLIST || blk.kind > FF_BLK_FDLIST)
				continue;
			assert_int_equal(ff_meta_iter_init(&it, &blk, &err), 0);
			for (;;) {
				switch (blk.kind) {
				case FF_BLK_IFLIST:
					rc = ff_meta_iface_next(&it, &e.i, &err);
					nif += rc == 1;
					break;
				case FF_BLK_USERLIST:
					rc = ff_meta_user_next(&it, &e.u, &err);
					nuser += rc == 1;
					break;
				case FF_BLK_PROCLIST:
					rc = ff_meta_proc_next(&it, &e.p, &err);
					if (rc == 1)
						assert_true(e.p.comm.len > 0);
					nproc += rc == 1;
					break;
				default:
					rc = ff_meta_fd_next(&it, &e.f, &err);
					nfd += rc == 1;
					break;
				}
				if (rc <= 0)
					break;
			}
			if (rc < 0)
				fail_msg("%s: %s", files[i], err.msg);
		}
		print_message("%s: mi %lu if %lu users %lu threads %lu fds %lu\n", files[i], nmi,
		              nif, nuser, nproc, nfd);
		assert_true(nproc > 0 && nfd > 0 && nuser > 0 && nif > 0);
		ff_reader_close(r);
	}
	if (!found)
		skip();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shb_machine),    cmocka_unit_test(test_iflist),
		cmocka_unit_test(test_userlist),       cmocka_unit_test(test_proclist_versions),
		cmocka_unit_test(test_proclist_tails), cmocka_unit_test(test_proclist_encode),
		cmocka_unit_test(test_fdlist),         cmocka_unit_test(test_fdlist_v1_and_unknown),
		cmocka_unit_test(test_malformed),      cmocka_unit_test(test_real_captures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
