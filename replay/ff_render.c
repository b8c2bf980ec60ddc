/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Rendering of event parameters in sysdig 0.29.3's text forms (ff_render.h).
 * The parameter list of an event is the 2022 one (ff_event_table names and
 * types for ids < 336), cut to what the event carries.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ff_meta.h"
#include "ff_path.h"
#include "ff_render.h"

#define PPM_AT_FDCWD (-100)
#define MAX_BUF_OUT 80 /* sysdig's max_evt_output_len for byte buffers */
#define PPM_AF_UNIX 1
#define PPM_AF_INET 2
#define PPM_AF_INET6 10

/* Linux errno and signal names, as sysdig names them (aliases resolved the
 * same way: 11 is EAGAIN, 35 EDEADLK, 95 EOPNOTSUPP). */
static const char *const errno_names[] = {
	[1] = "EPERM",
	[2] = "ENOENT",
	[3] = "ESRCH",
	[4] = "EINTR",
	[5] = "EIO",
	[6] = "ENXIO",
	[7] = "E2BIG",
	[8] = "ENOEXEC",
	[9] = "EBADF",
	[10] = "ECHILD",
	[11] = "EAGAIN",
	[12] = "ENOMEM",
	[13] = "EACCES",
	[14] = "EFAULT",
	[15] = "ENOTBLK",
	[16] = "EBUSY",
	[17] = "EEXIST",
	[18] = "EXDEV",
	[19] = "ENODEV",
	[20] = "ENOTDIR",
	[21] = "EISDIR",
	[22] = "EINVAL",
	[23] = "ENFILE",
	[24] = "EMFILE",
	[25] = "ENOTTY",
	[26] = "ETXTBSY",
	[27] = "EFBIG",
	[28] = "ENOSPC",
	[29] = "ESPIPE",
	[30] = "EROFS",
	[31] = "EMLINK",
	[32] = "EPIPE",
	[33] = "EDOM",
	[34] = "ERANGE",
	[35] = "EDEADLK",
	[36] = "ENAMETOOLONG",
	[37] = "ENOLCK",
	[38] = "ENOSYS",
	[39] = "ENOTEMPTY",
	[40] = "ELOOP",
	[42] = "ENOMSG",
	[43] = "EIDRM",
	[44] = "ECHRNG",
	[45] = "EL2NSYNC",
	[46] = "EL3HLT",
	[47] = "EL3RST",
	[48] = "ELNRNG",
	[49] = "EUNATCH",
	[50] = "ENOCSI",
	[51] = "EL2HLT",
	[52] = "EBADE",
	[53] = "EBADR",
	[54] = "EXFULL",
	[55] = "ENOANO",
	[56] = "EBADRQC",
	[57] = "EBADSLT",
	[59] = "EBFONT",
	[60] = "ENOSTR",
	[61] = "ENODATA",
	[62] = "ETIME",
	[63] = "ENOSR",
	[64] = "ENONET",
	[65] = "ENOPKG",
	[66] = "EREMOTE",
	[67] = "ENOLINK",
	[68] = "EADV",
	[69] = "ESRMNT",
	[70] = "ECOMM",
	[71] = "EPROTO",
	[72] = "EMULTIHOP",
	[73] = "EDOTDOT",
	[74] = "EBADMSG",
	[75] = "EOVERFLOW",
	[76] = "ENOTUNIQ",
	[77] = "EBADFD",
	[78] = "EREMCHG",
	[79] = "ELIBACC",
	[80] = "ELIBBAD",
	[81] = "ELIBSCN",
	[82] = "ELIBMAX",
	[83] = "ELIBEXEC",
	[84] = "EILSEQ",
	[85] = "ERESTART",
	[86] = "ESTRPIPE",
	[87] = "EUSERS",
	[88] = "ENOTSOCK",
	[89] = "EDESTADDRREQ",
	[90] = "EMSGSIZE",
	[91] = "EPROTOTYPE",
	[92] = "ENOPROTOOPT",
	[93] = "EPROTONOSUPPORT",
	[94] = "ESOCKTNOSUPPORT",
	[95] = "EOPNOTSUPP",
	[96] = "EPFNOSUPPORT",
	[97] = "EAFNOSUPPORT",
	[98] = "EADDRINUSE",
	[99] = "EADDRNOTAVAIL",
	[100] = "ENETDOWN",
	[101] = "ENETUNREACH",
	[102] = "ENETRESET",
	[103] = "ECONNABORTED",
	[104] = "ECONNRESET",
	[105] = "ENOBUFS",
	[106] = "EISCONN",
	[107] = "ENOTCONN",
	[108] = "ESHUTDOWN",
	[109] = "ETOOMANYREFS",
	[110] = "ETIMEDOUT",
	[111] = "ECONNREFUSED",
	[112] = "EHOSTDOWN",
	[113] = "EHOSTUNREACH",
	[114] = "EALREADY",
	[115] = "EINPROGRESS",
	[116] = "ESTALE",
	[117] = "EUCLEAN",
	[118] = "ENOTNAM",
	[119] = "ENAVAIL",
	[120] = "EISNAM",
	[121] = "EREMOTEIO",
	[122] = "EDQUOT",
	[123] = "ENOMEDIUM",
	[124] = "EMEDIUMTYPE",
	[125] = "ECANCELED",
	[512] = "ERESTARTSYS",
	[513] = "ERESTARTNOINTR",
	[514] = "ERESTARTNOHAND",
	[515] = "ENOIOCTLCMD",
	[521] = "EBADHANDLE",
	[522] = "ENOTSYNC",
	[523] = "EBADCOOKIE",
	[524] = "ENOTSUPP",
	[525] = "ETOOSMALL",
	[526] = "ESERVERFAULT",
	[527] = "EBADTYPE",
	[528] = "EJUKEBOX",
	[529] = "EIOCBQUEUED",
	[530] = "EIOCBRETRY",
};
static const char *const signal_names[] = {
	[1] = "SIGHUP",     [2] = "SIGINT",   [3] = "SIGQUIT",   [4] = "SIGILL",   [5] = "SIGTRAP",
	[6] = "SIGABRT",    [7] = "SIGBUS",   [8] = "SIGFPE",    [9] = "SIGKILL",  [10] = "SIGUSR1",
	[11] = "SIGSEGV",   [12] = "SIGUSR2", [13] = "SIGPIPE",  [14] = "SIGALRM", [15] = "SIGTERM",
	[16] = "SIGSTKFLT", [17] = "SIGCHLD", [18] = "SIGCONT",  [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN",   [22] = "SIGTTOU", [23] = "SIGURG",   [24] = "SIGXCPU", [25] = "SIGXFSZ",
	[26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH", [29] = "SIGIO",   [30] = "SIGPWR",
	[31] = "SIGSYS",
};

const char *ff_render_errno_name(int64_t neg)
{
	int64_t e = -neg;
	if (e <= 0 || e >= (int64_t)(sizeof(errno_names) / sizeof(errno_names[0])))
		return NULL;
	return errno_names[e];
}

const char *ff_render_signal_name(unsigned sig)
{
	return sig < sizeof(signal_names) / sizeof(signal_names[0]) ? signal_names[sig] : NULL;
}

/* ---------------------------------------------------------------- buffers */

static int sbuf_grow(struct ff_sbuf *b, size_t more)
{
	size_t need = b->len + more + 1;
	if (need <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

int ff_sbuf_put(struct ff_sbuf *b, const char *s, size_t n)
{
	if (sbuf_grow(b, n))
		return -ENOMEM;
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int ff_sbuf_puts(struct ff_sbuf *b, const char *s)
{
	return ff_sbuf_put(b, s, strlen(s));
}

static int sbuf_putc(struct ff_sbuf *b, char c)
{
	if (b->len + 2 > b->cap && sbuf_grow(b, 1))
		return -ENOMEM;
	b->p[b->len++] = c;
	b->p[b->len] = 0;
	return 0;
}

int ff_sbuf_printf(struct ff_sbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (sbuf_grow(b, 64))
		return -ENOMEM;
	va_start(ap, fmt);
	n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	if ((size_t)n >= b->cap - b->len) {
		if (sbuf_grow(b, (size_t)n))
			return -ENOMEM;
		va_start(ap, fmt);
		vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
	return 0;
}

void ff_sbuf_free(struct ff_sbuf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

/* ---------------------------------------------------------------- helpers */

unsigned ff_render_nparams(const struct ff_evt *ev)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	if (!in)
		return 0;
	return in->nparams_2022 < ev->nparams ? in->nparams_2022 : ev->nparams;
}

static uint64_t ld_n(const uint8_t *p, uint32_t len, unsigned w)
{
	uint64_t v = 0;
	/* sinsp reads the declared width; a shorter parameter is read as zeros */
	memcpy(&v, p, len < w ? len : w);
	return v;
}

static int put_num(struct ff_sbuf *b, int fmt, int is_signed, unsigned w, uint64_t v)
{
	int64_t sv;
	switch (w) {
	case 1:
		sv = is_signed ? (int8_t)v : (int64_t)(uint8_t)v;
		break;
	case 2:
		sv = is_signed ? (int16_t)v : (int64_t)(uint16_t)v;
		break;
	case 4:
		sv = is_signed ? (int32_t)v : (int64_t)(uint32_t)v;
		break;
	default:
		sv = (int64_t)v;
		break;
	}
	uint64_t uv = w == 8 ? v : (uint64_t)sv & (w == 1 ? 0xffu : w == 2 ? 0xffffu : 0xffffffffu);
	if (fmt == FF_PF_OCT)
		return ff_sbuf_printf(b, "%#" PRIo64, uv);
	if (fmt == FF_PF_HEX)
		return ff_sbuf_printf(b, "%" PRIX64, uv);
	if (fmt == FF_PF_10_PADDED_DEC)
		return ff_sbuf_printf(b, "%09" PRId64, sv);
	return ff_sbuf_printf(b, "%" PRId64, sv);
}

/* sysdig's flag-name algorithm: walk the table until an exact match; names
 * whose bits are all set are joined with '|' and their bits cleared; a zero
 * entry only matches a zero value; the exact match, if found, comes last.
 * gen: 1 the 2022 names, 2 the 2026 ones (modes keep this algorithm). */
static int put_flags_gen(struct ff_sbuf *res, unsigned tab, uint32_t val, unsigned gen)
{
	const struct ff_flag_name *f = tab < FF_FT_MAX ? ff_flag_tables[tab] : NULL;
	const char *sep = "";
	uint32_t init = val;
	int rc = 0;
	if (!f)
		return 0;
	for (; f->name; f++) {
		if (!(f->gens & gen))
			continue;
		if (f->value == init)
			break;
		if ((f->value == 0 && init == 0) ||
		    (f->value != 0 && (val & f->value) == f->value && val != 0)) {
			rc |= ff_sbuf_puts(res, sep) | ff_sbuf_puts(res, f->name);
			sep = "|";
			val &= ~f->value;
		}
	}
	if (f->name)
		rc |= ff_sbuf_puts(res, sep) | ff_sbuf_puts(res, f->name);
	return rc ? -ENOMEM : 0;
}

static int put_flags(struct ff_sbuf *res, unsigned tab, uint32_t val)
{
	return put_flags_gen(res, tab, val, 1);
}

/* current libs' flags: an enum lists every name of its exact value; other
 * flags take the names whose bits are all set (clearing them), a zero entry
 * only for zero, and stop at the name of the whole value */
static int put_flags26(struct ff_sbuf *res, unsigned tab, uint32_t val, int exact)
{
	const struct ff_flag_name *f = tab < FF_FT_MAX ? ff_flag_tables[tab] : NULL;
	const char *sep = "";
	uint32_t init = val;
	int rc = 0;
	for (; f && f->name; f++) {
		if (!(f->gens & 2))
			continue;
		int match;
		if (exact) {
			match = f->value == init;
		} else {
			match = (f->value == 0 && init == 0) ||
			        (f->value != 0 && (val & f->value) == f->value && val != 0);
			if (match)
				val &= ~f->value;
		}
		if (!match)
			continue;
		rc |= ff_sbuf_puts(res, sep) | ff_sbuf_puts(res, f->name);
		sep = "|";
		if (!exact && f->value == init)
			break;
	}
	return rc ? -ENOMEM : 0;
}

static int put_ip6(struct ff_sbuf *b, const uint8_t *ip)
{
	char s[INET6_ADDRSTRLEN];
	if (!inet_ntop(AF_INET6, ip, s, sizeof(s)))
		s[0] = 0;
	return ff_sbuf_puts(b, s);
}

static int put_ip4(struct ff_sbuf *b, const uint8_t *ip)
{
	return ff_sbuf_printf(b, "%u.%u.%u.%u", ip[0], ip[1], ip[2], ip[3]);
}

static int is_v4mapped(const uint8_t *ip)
{
	static const uint8_t pre[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	return memcmp(ip, pre, 12) == 0;
}

/* printable copy: sinsp drops every byte outside 0x20..0x7e from names and
 * paths (UTF-8 included) */
static int put_sanitized(struct ff_sbuf *b, const char *s, size_t n)
{
	size_t i = 0;
	if (sbuf_grow(b, n))
		return -ENOMEM;
	for (; i < n && s[i]; i++)
		if (ff_path_printable((unsigned char)s[i]))
			b->p[b->len++] = s[i];
	b->p[b->len] = 0;
	return 0;
}

static int put_cstr(struct ff_sbuf *b, const char *s, uint32_t len)
{
	return ff_sbuf_put(b, s, strnlen(s, len));
}

static uint16_t ld16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static uint64_t ld64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* path to which a relative FSPATH/FSRELPATH is resolved, with trailing '/' */
static int base_dir(const struct ff_state *st, const struct ff_thread *t, const struct ff_evt *ev,
                    const struct ff_param_info *pi, struct ff_sbuf *out)
{
	if (pi->type == FF_PT_FSRELPATH && pi->dirfd >= 0 &&
	    (unsigned)pi->dirfd < ff_render_nparams(ev) &&
	    ff_event_table[ev->type].params[pi->dirfd].type == FF_PT_FD) {
		int ok = 0;
		int64_t dirfd = ff_evt_param_int(ev, (unsigned)pi->dirfd, &ok);
		if (ok && dirfd != PPM_AT_FDCWD) {
			const struct ff_fd *f = ff_state_fd(st, t, dirfd);
			if (!f || !ff_fd_name(f)[0])
				return 0;
			const char *n = ff_fd_name(f);
			if (put_sanitized(out, n, strlen(n)))
				return -ENOMEM;
			return sbuf_putc(out, '/');
		}
	}
	return ff_sbuf_puts(out, ff_state_cwd(st, t));
}

static int render_fd(const struct ff_state *st, const struct ff_thread *t, int64_t fd, int simple,
                     struct ff_sbuf *val, struct ff_sbuf *res)
{
	if (ff_sbuf_printf(val, "%" PRId64, fd))
		return -ENOMEM;
	if (!t)
		return 0;
	if (fd >= 0) {
		const struct ff_fd *f = ff_state_fd(st, t, fd);
		char ts[3] = { 0, 0, 0 };
		int k = 0;
		if (!f)
			return 0;
		if (!simple)
			ts[k++] = ff_fd_typechar(f);
		switch (ff_fd_type(f)) {
		case FF_FD_IPV4_SOCK:
		case FF_FD_IPV6_SOCK:
		case FF_FD_IPV4_SERVSOCK:
		case FF_FD_IPV6_SERVSOCK:
			switch (ff_fd_l4proto(f)) {
			case 2:
				ts[k++] = 't';
				break;
			case 3:
				ts[k++] = 'u';
				break;
			case 4:
				ts[k++] = 'i';
				break;
			case 5:
				ts[k++] = 'r';
				break;
			}
			break;
		}
		const char *n = ff_fd_name(f);
		if (sbuf_putc(res, '<') || ff_sbuf_puts(res, ts) || sbuf_putc(res, '>') ||
		    put_sanitized(res, n, strlen(n)))
			return -ENOMEM;
		return 0;
	}
	if (fd == PPM_AT_FDCWD)
		return ff_sbuf_puts(res, "AT_FDCWD");
	const char *e = ff_render_errno_name((int32_t)fd);
	return e ? ff_sbuf_puts(res, e) : 0;
}

static int render_bytes(struct ff_sbuf *val, const uint8_t *p, uint32_t len, int full)
{
	size_t start = val->len;
	if (sbuf_grow(val, len))
		return -ENOMEM;
	for (uint32_t i = 0; i < len; i++)
		val->p[val->len++] = isprint(p[i]) ? (char)p[i] : '.';
	val->p[val->len] = 0;
	if (len > MAX_BUF_OUT && !full) {
		/* sysdig keeps 80 characters, the last three replaced by dots */
		val->len = start + MAX_BUF_OUT;
		memset(val->p + val->len - 3, '.', 3);
		val->p[val->len] = 0;
	}
	return 0;
}

static int render_sockaddr(struct ff_sbuf *val, const uint8_t *p, uint32_t len)
{
	if (len == 0)
		return ff_sbuf_puts(val, "NULL");
	if (p[0] == PPM_AF_UNIX)
		return put_sanitized(val, (const char *)p + 1, len - 1);
	if (p[0] == PPM_AF_INET) {
		if (len != 7)
			return ff_sbuf_puts(val, "INVALID IPv4");
		return put_ip4(val, p + 1) | ff_sbuf_printf(val, ":%u", ld16(p + 5));
	}
	if (p[0] == PPM_AF_INET6) {
		if (len != 19)
			return ff_sbuf_puts(val, "INVALID IPv6");
		return put_ip6(val, p + 1) | ff_sbuf_printf(val, ":%u", ld16(p + 17));
	}
	return ff_sbuf_printf(val, "family %d", (int)(int8_t)p[0]);
}

static int render_socktuple(struct ff_sbuf *val, const uint8_t *p, uint32_t len)
{
	if (len == 0)
		return ff_sbuf_puts(val, "NULL");
	if (p[0] == PPM_AF_INET) {
		if (len != 13)
			return ff_sbuf_puts(val, "INVALID IPv4");
		return put_ip4(val, p + 1) | ff_sbuf_printf(val, ":%u->", ld16(p + 5)) |
		       put_ip4(val, p + 7) | ff_sbuf_printf(val, ":%u", ld16(p + 11));
	}
	if (p[0] == PPM_AF_INET6) {
		if (len != 37)
			return ff_sbuf_puts(val, "INVALID IPv6");
		if (is_v4mapped(p + 1) && is_v4mapped(p + 19))
			return put_ip4(val, p + 13) | ff_sbuf_printf(val, ":%u->", ld16(p + 17)) |
			       put_ip4(val, p + 31) | ff_sbuf_printf(val, ":%u", ld16(p + 35));
		return put_ip6(val, p + 1) | ff_sbuf_printf(val, ":%u->", ld16(p + 17)) |
		       put_ip6(val, p + 19) | ff_sbuf_printf(val, ":%u", ld16(p + 35));
	}
	if (p[0] == PPM_AF_UNIX) {
		if (len < 17)
			return ff_sbuf_puts(val, "INVALID UNIX");
		return ff_sbuf_printf(val, "%" PRIx64 "->%" PRIx64 " ", ld64(p + 1), ld64(p + 9)) |
		       put_sanitized(val, (const char *)p + 17, len - 17);
	}
	return ff_sbuf_printf(val, "family %d", (int)(int8_t)p[0]);
}

/* current libs' absolute time: "YYYY-MM-DD HH:MM:SS.nnnnnnnnn", local time */
static int put_abstime(struct ff_sbuf *val, uint64_t v)
{
	time_t sec = (time_t)(v / 1000000000u);
	struct tm tm;
	char b[64];
	if (!localtime_r(&sec, &tm) || !strftime(b, sizeof(b), "%Y-%m-%d %H:%M:%S", &tm))
		return ff_sbuf_puts(val, "<NA>");
	return ff_sbuf_printf(val, "%s.%09" PRIu64, b, v % 1000000000u);
}

/* DYN parameters: the selector byte picks the real type (2022 tables) */
static int dyn_type(const struct ff_evt *ev, const char *pname, uint8_t sel, uint8_t *type,
                    uint8_t *fmt)
{
	const char *en = ff_event_table[ev->type].name;
	*fmt = FF_PF_DEC;
	if (strcmp(en, "ptrace") == 0) {
		static const uint8_t t[] = { FF_PT_UINT64, FF_PT_SIGTYPE };
		if (sel >= 2)
			return 0;
		*type = t[sel];
		*fmt = sel == 0 ? FF_PF_HEX : FF_PF_DEC;
		return 1;
	}
	if (strcmp(en, "setsockopt") == 0 || strcmp(en, "getsockopt") == 0) {
		static const uint8_t t[] = { FF_PT_BYTEBUF, FF_PT_ERRNO, FF_PT_UINT32, FF_PT_UINT64,
			                     FF_PT_RELTIME };
		if (sel >= 5)
			return 0;
		*type = t[sel];
		return 1;
	}
	if (strcmp(en, "bpf") == 0 && strncmp(pname, "res", 3) == 0) { /* res_or_fd */
		static const uint8_t t[] = { FF_PT_FD, FF_PT_ERRNO };
		if (sel >= 2)
			return 0;
		*type = t[sel];
		return 1;
	}
	return 0;
}

int ff_render_param(const struct ff_state *st, const struct ff_evt *ev, unsigned i, int simple,
                    struct ff_sbuf *val, struct ff_sbuf *res)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	const struct ff_thread *t = ff_state_evt_thread(st);
	const struct ff_param_info *pi;
	const uint8_t *p;
	uint32_t len = 0;
	uint8_t type, fmt;
	int rc = 0;

	int now = (simple & FF_RENDER_2026) != 0;
	const struct ff_event_info *in26 = now ? ff_render_info26(ev) : NULL;
	if (!in || (now ? i >= in26->nparams_2026 || i >= ev->nparams : i >= ff_render_nparams(ev)))
		return -ENOENT;
	pi = now ? &in26->params_2026[i] : &in->params[i];
	p = ff_evt_param(ev, i, &len);
	type = pi->type;
	fmt = pi->fmt;
	if (now) {
		simple |= FF_RENDER_FULLBUF;
		if (!p || !len) {
			/* current libs: an empty parameter (converted from an older
			 * layout, or not filled) */
			return ff_sbuf_puts(val, ff_render_empty26(type));
		}
		if (type == FF_PT_ABSTIME)
			return put_abstime(val, ld_n(p, len, 8));
	}
	if (type == FF_PT_DYN && len) {
		uint8_t dt, df;
		if (dyn_type(ev, pi->name, p[0], &dt, &df)) {
			type = dt;
			fmt = df;
			p++;
			len--;
		}
	}
	/* the numeric format always comes from the declared parameter */
	if (pi->type == FF_PT_DYN)
		fmt = fmt == FF_PF_HEX ? FF_PF_HEX : pi->fmt;

	switch (type) {
	case FF_PT_INT8:
		return put_num(val, fmt, 1, 1, ld_n(p, len, 1));
	case FF_PT_INT16:
		return put_num(val, fmt, 1, 2, ld_n(p, len, 2));
	case FF_PT_INT32:
		return put_num(val, fmt, 1, 4, ld_n(p, len, 4));
	case FF_PT_INT64:
	case FF_PT_UINT64:
		return put_num(val, fmt, 1, 8, ld_n(p, len, 8));
	case FF_PT_UINT8:
		return put_num(val, fmt, 0, 1, ld_n(p, len, 1));
	case FF_PT_UINT16:
		return put_num(val, fmt, 0, 2, ld_n(p, len, 2));
	case FF_PT_UINT32:
		return put_num(val, fmt, 0, 4, ld_n(p, len, 4));
	case FF_PT_FD:
		return render_fd(st, t, (int64_t)ld_n(p, len, 8), simple & FF_RENDER_SIMPLE, val,
		                 res);
	case FF_PT_PID: {
		int64_t pid = (int64_t)ld_n(p, len, 8);
		const struct ff_thread *pt = ff_state_thread(st, pid);
		rc = ff_sbuf_printf(val, "%" PRId64, pid);
		if (pt)
			rc |= ff_sbuf_puts(res, ff_thread_comm(pt));
		return rc;
	}
	case FF_PT_ERRNO: {
		int64_t v = (int64_t)ld_n(p, len, 8);
		rc = ff_sbuf_printf(val, "%" PRId64, v);
		if (v < 0) {
			const char *e = ff_render_errno_name((int32_t)v);
			if (e)
				rc |= ff_sbuf_puts(res, e);
		}
		return rc;
	}
	case FF_PT_CHARBUF:
		return put_cstr(val, (const char *)p, len);
	case FF_PT_FSPATH:
	case FF_PT_FSRELPATH:
		rc = put_sanitized(val, (const char *)p, len);
		if (t && len > 0) {
			if (len >= 4 && memcmp(p, "<NA>", 4) == 0)
				return rc;
			if (p[0] == '/')
				return rc; /* absolute: sysdig shows no resolved form */
			/* an unknown base (fake thread, dirfd without a path) is "":
			 * sinsp then shows the relative path itself */
			size_t start = res->len;
			rc |= base_dir(st, t, ev, pi, res);
			if (rc == 0 && sbuf_grow(res, len + 16) == 0) {
				/* joined in place, after the base just written */
				char *base = res->p + start;
				res->len = start + ff_path_concat(base, 0, base, res->len - start,
				                                  (const char *)p, len, NULL);
			} else {
				rc = -ENOMEM;
			}
		} else if (!t) {
			rc |= put_sanitized(res, (const char *)p, len);
		}
		return rc;
	case FF_PT_BYTEBUF:
		return render_bytes(val, p, len, (simple & FF_RENDER_FULLBUF) != 0);
	case FF_PT_SOCKADDR:
		return render_sockaddr(val, p, len);
	case FF_PT_SOCKTUPLE:
		return render_socktuple(val, p, len);
	case FF_PT_FDLIST: {
		if (!t || len < 2)
			return 0;
		uint16_t n = ld16(p);
		uint32_t pos = 2;
		for (uint16_t j = 0; j < n && pos + 10 <= len; j++, pos += 10) {
			int64_t fd = (int64_t)ld64(p + pos);
			const struct ff_fd *f = ff_state_fd(st, t, fd);
			rc |= ff_sbuf_printf(val, "%" PRIu64 ":%c%x", (uint64_t)fd,
			                     f ? ff_fd_typechar(f) : '?',
			                     (uint32_t)(int32_t)(int16_t)ld16(p + pos + 8));
			if (j + 1 < n)
				rc |= sbuf_putc(val, ' ');
		}
		return rc;
	}
	case FF_PT_SYSCALLID: {
		uint16_t sc = (uint16_t)ld_n(p, len, 2);
		if (sc >= FF_PPM_SC_MAX)
			return ff_sbuf_puts(val, "<unknown syscall>");
		return ff_sbuf_printf(val, "%u", sc) |
		       ff_sbuf_puts(res, now ? ff_ppm_sc_names[sc].name_2026
		                             : ff_ppm_sc_names[sc].name_2022);
	}
	case FF_PT_SIGTYPE: {
		uint8_t sig = (uint8_t)ld_n(p, len, 1);
		const char *s = ff_render_signal_name(sig);
		rc = ff_sbuf_printf(val, "%u", sig);
		if (s)
			rc |= ff_sbuf_puts(res, s);
		return rc;
	}
	case FF_PT_RELTIME: {
		uint64_t v = ld_n(p, len, 8);
		if (v == UINT64_MAX)
			return ff_sbuf_puts(val, "none");
		return ff_sbuf_printf(val, "%" PRIu64, v) |
		       ff_sbuf_printf(res, "%gs", (double)v / 1000000000);
	}
	case FF_PT_FLAGS8:
	case FF_PT_FLAGS16:
	case FF_PT_FLAGS32:
	case FF_PT_ENUMFLAGS8:
	case FF_PT_ENUMFLAGS16:
	case FF_PT_ENUMFLAGS32: {
		unsigned w = (type == FF_PT_FLAGS8 || type == FF_PT_ENUMFLAGS8)     ? 1
		             : (type == FF_PT_FLAGS16 || type == FF_PT_ENUMFLAGS16) ? 2
		                                                                    : 4;
		uint32_t v = (uint32_t)ld_n(p, len, w);
		if (now)
			return ff_sbuf_printf(val, "%" PRIu32, v) |
			       put_flags26(res, pi->flagtab, v,
			                   type == FF_PT_ENUMFLAGS8 || type == FF_PT_ENUMFLAGS16 ||
			                       type == FF_PT_ENUMFLAGS32);
		return ff_sbuf_printf(val, "%" PRIu32, v) | put_flags(res, pi->flagtab, v);
	}
	case FF_PT_MODE: {
		uint32_t v = (uint32_t)ld_n(p, len, 4);
		return put_num(val, fmt, 0, 4, v) | put_flags_gen(res, pi->flagtab, v, now ? 2 : 1);
	}
	case FF_PT_UID:
	case FF_PT_GID: {
		uint32_t v = (uint32_t)ld_n(p, len, 4);
		if (v == UINT32_MAX)
			return ff_sbuf_puts(val, "-1") | ff_sbuf_puts(res, "<NONE>");
		const char *n =
		    type == FF_PT_UID ? ff_state_user_name(st, v) : ff_state_group_name(st, v);
		return ff_sbuf_printf(val, "%d", (int)v) | ff_sbuf_puts(res, n ? n : "<NA>");
	}
	case FF_PT_SIGSET: {
		uint32_t v = (uint32_t)ld_n(p, len, 4);
		int first = 1;
		for (unsigned s = 0; s < 32; s++) {
			const char *n = (v & (1u << s)) ? ff_render_signal_name(s + 1) : NULL;
			if (!n)
				continue;
			rc |= ff_sbuf_puts(val, first ? "" : " ") | ff_sbuf_puts(val, n);
			first = 0;
		}
		return rc;
	}
	case FF_PT_ABSTIME:
	case FF_PT_DYN:
		return ff_sbuf_puts(val, "INVALID DYNAMIC PARAMETER");
	default:
		return ff_sbuf_puts(val, "(n.a.)");
	}
}

int ff_render_arg(const struct ff_state *st, const struct ff_evt *ev, const char *name,
                  struct ff_sbuf *out, struct ff_sbuf *scratch)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	unsigned n = ff_render_nparams(ev);
	int rc = -ENOENT;
	if (!in)
		return -ENOENT;
	for (unsigned i = 0; i < n; i++) {
		if (strcmp(in->params[i].name, name) != 0)
			continue;
		size_t mark = out->len;
		ff_sbuf_reset(scratch);
		rc = ff_render_param(st, ev, i, 0, out, scratch);
		if (rc == 0 && scratch->len) {
			out->len = mark;
			rc = ff_sbuf_put(out, scratch->p, scratch->len);
		}
		break;
	}
	return rc;
}

static int is_generic(const struct ff_evt *ev)
{
	return ev->type == 0 || ev->type == 1;
}

/* current libs' evt.args: every parameter of the current layout, those an
 * older recording lacks taken from the enter event as their converter does
 * (else empty), no trailing space */
static int info26(const struct ff_state *st, const struct ff_evt *ev, int flags,
                  struct ff_sbuf *out, struct ff_sbuf *res)
{
	const struct ff_event_info *in = ff_render_info26(ev);
	struct ff_evt en;
	int have_en = -1, rc = 0;
	for (unsigned i = 0; i < in->nparams_2026 && !rc; i++) {
		const char *name = in->params_2026[i].name;
		ff_sbuf_reset(res);
		rc |= (i ? sbuf_putc(out, ' ') : 0) | ff_sbuf_puts(out, name) | sbuf_putc(out, '=');
		if (i < ev->nparams) {
			rc |= ff_render_param(st, ev, i, flags, out, res);
		} else {
			if (have_en < 0)
				have_en = ff_state_evt_enter(st, ev, &en);
			int k = have_en ? ff_render_param_index26(&en, name) : -1;
			if (k >= 0)
				rc |= ff_render_param(st, &en, (unsigned)k, flags, out, res);
			else
				rc |= ff_sbuf_puts(out, ff_render_empty26(in->params_2026[i].type));
		}
		if (res->len)
			rc |= sbuf_putc(out, '(') | ff_sbuf_put(out, res->p, res->len) |
			      sbuf_putc(out, ')');
	}
	return rc ? -ENOMEM : 0;
}

const struct ff_event_info *ff_render_info26(const struct ff_evt *ev)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	return in ? &ff_event_table[in->id_2026] : NULL;
}

int ff_render_param_index26(const struct ff_evt *ev, const char *name)
{
	const struct ff_event_info *in = ff_render_info26(ev);
	unsigned n = in ? (in->nparams_2026 < ev->nparams ? in->nparams_2026 : ev->nparams) : 0;
	for (unsigned i = 0; i < n; i++)
		if (strcmp(in->params_2026[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *ff_render_empty26(uint8_t type)
{
	return type == FF_PT_BYTEBUF || type == FF_PT_SOCKTUPLE || type == FF_PT_FDLIST ||
	               type == FF_PT_DYN
	           ? "NULL"
	           : "<NA>";
}

int ff_render_info(const struct ff_state *st, const struct ff_evt *ev, struct ff_sbuf *out,
                   struct ff_sbuf *scratch)
{
	return ff_render_info_flags(st, ev, 0, out, scratch);
}

int ff_render_info_flags(const struct ff_state *st, const struct ff_evt *ev, int flags,
                         struct ff_sbuf *out, struct ff_sbuf *scratch)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	struct ff_sbuf *res = scratch;
	unsigned n;
	int rc = 0;
	if (!in || is_generic(ev))
		return 0;
	if (flags & FF_RENDER_2026)
		return info26(st, ev, flags, out, scratch);
	n = ff_render_nparams(ev);
	for (unsigned i = 0; i < n && !rc; i++) {
		ff_sbuf_reset(res);
		rc |= ff_sbuf_puts(out, in->params[i].name) | sbuf_putc(out, '=');
		rc |= ff_render_param(st, ev, i, flags, out, res);
		if (res->len)
			rc |= sbuf_putc(out, '(') | ff_sbuf_put(out, res->p, res->len) |
			      sbuf_putc(out, ')');
		rc |= sbuf_putc(out, ' ');
	}
	return rc ? -ENOMEM : 0;
}

const char *ff_render_type(const struct ff_evt *ev)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	if (!in)
		return "UNKNOWN";
	if (is_generic(ev)) {
		int ok = 0;
		uint64_t sc = ff_evt_param_uint(ev, 0, &ok);
		/* code 0 (a syscall 2022 had no code for): "<unknown>", as sysdig */
		if (ok && sc > 0 && sc < FF_PPM_SC_MAX && ff_ppm_sc_names[sc].name_2022[0])
			return ff_ppm_sc_names[sc].name_2022;
		return "<unknown>";
	}
	return in->name;
}

const char *ff_render_type26(const struct ff_evt *ev)
{
	const struct ff_event_info *in = ff_render_info26(ev);
	if (!in)
		return "UNKNOWN";
	if (is_generic(ev)) {
		int ok = 0;
		uint64_t sc = ff_evt_param_uint(ev, 0, &ok);
		if (ok && sc > 0 && sc < FF_PPM_SC_MAX && ff_ppm_sc_names[sc].name_2026[0])
			return ff_ppm_sc_names[sc].name_2026;
		return "<unknown>";
	}
	return in->name;
}

int ff_render_outputtime(uint64_t ts, struct ff_sbuf *out)
{
	time_t sec = (time_t)(ts / 1000000000);
	struct tm tm;
	if (!localtime_r(&sec, &tm))
		return ff_sbuf_puts(out, "<NA>");
	return ff_sbuf_printf(out, "%02d:%02d:%02d.%09u", tm.tm_hour, tm.tm_min, tm.tm_sec,
	                      (unsigned)(ts % 1000000000));
}

int ff_render_counted(const struct ff_evt *ev)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	return in && in->in_2022;
}

int ff_render_visible(const struct ff_evt *ev)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	if (!in || !in->in_2022)
		return 0;
	if (ev->dump_flags & 1u) /* SCAP_DF_STATE_ONLY */
		return 0;
	return !(in->category & FF_EC_INTERNAL);
}

int ff_render_line(const struct ff_state *st, const struct ff_evt *ev, uint64_t evtnum,
                   struct ff_sbuf *out, struct ff_sbuf *scratch)
{
	const struct ff_event_info *in = ff_evt_info(ev);
	const struct ff_thread *t = ff_state_evt_thread(st);
	int rc;
	rc = ff_sbuf_printf(out, "%" PRIu64 " ", evtnum);
	rc |= ff_render_outputtime(ev->ts, out);
	rc |= ff_sbuf_printf(out, " %u %s (%" PRId64 ") %c %s ", ev->cpu,
	                     t ? ff_thread_comm(t) : "<NA>", (int64_t)ev->tid,
	                     in && in->dir == 'E' ? '>' : '<', ff_render_type(ev));
	rc |= ff_render_info(st, ev, out, scratch);
	rc |= sbuf_putc(out, '\n');
	return rc ? -ENOMEM : 0;
}
