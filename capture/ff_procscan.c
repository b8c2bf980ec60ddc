/* SPDX-License-Identifier: Apache-2.0 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "ff_procscan.h"
#include "ff_scap.h"

#define PL_SPLIT (4u << 20) /* start a new PL block beyond this many bytes */
#define STR_MAX 4096u       /* args, env, cgroups: what readers accept */
#define PATH_BUF 4096

/* PPM_CL_* flags of a non-main thread: it shares files and fs with its process */
#define CL_CLONE_FILES (1u << 0)
#define CL_CLONE_FS (1u << 1)
#define CL_CLONE_THREAD (1u << 13)

enum { L4_TCP = 2, L4_UDP = 3 };

/* One socket from /proc/PID/net/{tcp,udp,unix,netlink}[6], by inode. */
struct sock {
	uint64_t ino;
	uint8_t type; /* enum ff_fd_type */
	uint8_t l4proto;
	uint8_t sip[16], dip[16];
	uint16_t sport, dport;
	uint64_t source; /* unix: kernel address */
	char *path;      /* unix: bound path, or NULL */
};

struct scan {
	const char *root;
	struct ff_buf *out;
	struct ff_procscan_stats st;
	struct ff_err *err;
	struct sock *socks;
	size_t nsocks, capsocks;
	int sorted;
	uint64_t *netns; /* network namespaces whose tables are loaded */
	size_t nnetns, capnetns;
	char cgctl[512]; /* "cpu\0memory\0..." controllers of the cgroup v2 hierarchy */
	size_t cgctl_len;
	char buf[3][STR_MAX + 1]; /* args, env, cgroups */
	char line[PATH_BUF];
};

/* ---- small readers ---------------------------------------------------------- */

/* Read up to cap-1 bytes of a file below `dirfd`, NUL-terminated; returns the
 * length or -errno. */
static ssize_t read_at(int dirfd, const char *name, char *buf, size_t cap)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	size_t n = 0;

	if (fd < 0)
		return -errno;
	while (n + 1 < cap) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = -errno;

			close(fd);
			return e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	return (ssize_t)n;
}

static ssize_t link_at(int dirfd, const char *name, char *buf, size_t cap)
{
	ssize_t n = readlinkat(dirfd, name, buf, cap - 1);

	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return n;
}

/* Value of "Key:" in a status-like text, or NULL. */
static const char *field(const char *text, const char *key)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (strncmp(p, key, kl) == 0 && p[kl] == ':') {
			p += kl + 1;
			while (*p == ' ' || *p == '\t')
				p++;
			return p;
		}
	return NULL;
}

/* Last number of a tab-separated list ("NSpid:\t12\t1"): the innermost namespace. */
static int64_t last_num(const char *v, int64_t dflt)
{
	int64_t r = dflt;

	while (v && *v && *v != '\n') {
		char *end;
		long long x = strtoll(v, &end, 10);

		if (end == v)
			break;
		r = x;
		v = end;
		while (*v == '\t' || *v == ' ')
			v++;
	}
	return r;
}

/* Keep whole NUL-terminated strings within STR_MAX. */
static uint32_t cut_strings(char *s, size_t n)
{
	if (n > STR_MAX) {
		n = STR_MAX;
		while (n > 0 && s[n - 1] != '\0')
			n--;
	}
	if (n > 0 && s[n - 1] != '\0') /* unterminated last string (a process rewrote argv) */
		s[n++] = '\0';
	return (uint32_t)n;
}

static struct ff_str mkstr(const char *p, size_t len)
{
	return (struct ff_str){ p, (uint32_t)len };
}

static uint32_t encode_dev(dev_t d)
{
	uint32_t ma = major(d), mi = minor(d);

	return (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
}

/* ---- machine, interfaces, users ---------------------------------------------- */

static int put_machine(struct scan *s)
{
	struct ff_machine mi = { 0 };
	struct sysinfo si;
	struct timespec rt, bt;
	char tmp[32];

	mi.num_cpus = (uint32_t)sysconf(_SC_NPROCESSORS_ONLN);
	if (sysinfo(&si) == 0)
		mi.memory_bytes = (uint64_t)si.totalram * si.mem_unit;
	mi.max_pid = 32768;
	if (read_at(AT_FDCWD, "/proc/sys/kernel/pid_max", tmp, sizeof(tmp)) > 0)
		mi.max_pid = strtoull(tmp, NULL, 10);
	if (gethostname(mi.hostname, sizeof(mi.hostname) - 1) != 0)
		mi.hostname[0] = '\0';
	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_BOOTTIME, &bt);
	mi.boot_ts = ((uint64_t)rt.tv_sec - (uint64_t)bt.tv_sec) * 1000000000ull +
	             (uint64_t)rt.tv_nsec - (uint64_t)bt.tv_nsec;
	return ff_meta_put_machine(s->out, &mi, s->err);
}

static void copy_addr(uint8_t out[16], const struct sockaddr *sa)
{
	memset(out, 0, 16);
	if (!sa)
		return;
	if (sa->sa_family == AF_INET)
		memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
	else if (sa->sa_family == AF_INET6)
		memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
}

static int put_ifaces(struct scan *s)
{
	struct ifaddrs *ifa = NULL;
	size_t mark;
	int rc = ff_meta_begin(s->out, FF_BT_IL_V2, 0, &mark, s->err);

	if (rc)
		return rc;
	if (getifaddrs(&ifa) == 0) {
		for (struct ifaddrs *i = ifa; rc == 0 && i; i = i->ifa_next) {
			struct ff_iface f = { 0 };

			if (!i->ifa_addr || (i->ifa_addr->sa_family != AF_INET &&
			                     i->ifa_addr->sa_family != AF_INET6))
				continue;
			f.type = i->ifa_addr->sa_family == AF_INET ? FF_IF_IPV4 : FF_IF_IPV6;
			copy_addr(f.addr, i->ifa_addr);
			copy_addr(f.netmask, i->ifa_netmask);
			if (i->ifa_flags & IFF_BROADCAST)
				copy_addr(f.bcast, i->ifa_broadaddr);
			f.name = mkstr(i->ifa_name, strlen(i->ifa_name));
			rc = ff_meta_put_iface(s->out, &f, s->err);
			s->st.ifaces += rc == 0;
		}
		freeifaddrs(ifa);
	}
	return rc ? rc : ff_meta_end(s->out, mark, s->err);
}

static int put_users(struct scan *s)
{
	struct passwd *pw;
	struct group *gr;
	size_t mark;
	int rc = ff_meta_begin(s->out, FF_BT_UL_V2, 0, &mark, s->err);

	setpwent();
	while (rc == 0 && (pw = getpwent()) != NULL) {
		struct ff_user u = { .kind = FF_UL_USER, .uid = pw->pw_uid, .gid = pw->pw_gid };

		u.name = mkstr(pw->pw_name, strlen(pw->pw_name));
		u.homedir =
		    mkstr(pw->pw_dir ? pw->pw_dir : "", pw->pw_dir ? strlen(pw->pw_dir) : 0);
		u.shell = mkstr(pw->pw_shell ? pw->pw_shell : "",
		                pw->pw_shell ? strlen(pw->pw_shell) : 0);
		rc = ff_meta_put_user(s->out, &u, s->err);
		s->st.users += rc == 0;
	}
	endpwent();
	setgrent();
	while (rc == 0 && (gr = getgrent()) != NULL) {
		struct ff_user u = { .kind = FF_UL_GROUP, .gid = gr->gr_gid };

		u.name = mkstr(gr->gr_name, strlen(gr->gr_name));
		u.homedir = u.shell = mkstr("", 0);
		rc = ff_meta_put_user(s->out, &u, s->err);
		s->st.groups += rc == 0;
	}
	endgrent();
	return rc ? rc : ff_meta_end(s->out, mark, s->err);
}

/* ---- sockets ------------------------------------------------------------------ */

static struct sock *sock_new(struct scan *s)
{
	if (s->nsocks == s->capsocks) {
		size_t nc = s->capsocks ? 2 * s->capsocks : 256;
		struct sock *n = realloc(s->socks, nc * sizeof(*n));

		if (!n)
			return NULL;
		s->socks = n;
		s->capsocks = nc;
	}
	s->sorted = 0;
	memset(&s->socks[s->nsocks], 0, sizeof(*s->socks));
	return &s->socks[s->nsocks++];
}

/* "0100007F:1F90": the kernel prints each 32-bit word of the address as a
 * native integer, so storing the words back natively gives network order. */
static int parse_hexaddr(const char *p, int v6, uint8_t ip[16], uint16_t *port)
{
	int words = v6 ? 4 : 1;

	memset(ip, 0, 16);
	for (int w = 0; w < words; w++) {
		char hex[9];
		uint32_t v;

		memcpy(hex, p + 8 * w, 8);
		hex[8] = '\0';
		v = (uint32_t)strtoul(hex, NULL, 16);
		memcpy(ip + 4 * w, &v, 4);
	}
	p += 8 * words;
	if (*p != ':')
		return -1;
	*port = (uint16_t)strtoul(p + 1, NULL, 16);
	return 0;
}

static int load_inet(struct scan *s, int netdir, const char *name, int v6, uint8_t l4)
{
	FILE *f;
	int fd = openat(netdir, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0; /* no IPv6, say */
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return 0;
	}
	if (!fgets(s->line, sizeof(s->line), f)) { /* header */
		fclose(f);
		return 0;
	}
	while (fgets(s->line, sizeof(s->line), f)) {
		char laddr[64], raddr[64];
		unsigned st;
		unsigned long long ino;
		struct sock *k;

		/* sl local rem st tx:rx tr:when retr uid timeout inode */
		if (sscanf(s->line, " %*s %63s %63s %x %*s %*s %*s %*s %*s %llu", laddr, raddr, &st,
		           &ino) != 4 ||
		    ino == 0)
			continue;
		if (!(k = sock_new(s))) {
			fclose(f);
			return -ENOMEM;
		}
		k->ino = ino;
		k->l4proto = l4;
		if (parse_hexaddr(laddr, v6, k->sip, &k->sport) ||
		    parse_hexaddr(raddr, v6, k->dip, &k->dport)) {
			s->nsocks--;
			continue;
		}
		/* TCP_LISTEN: a server socket, its address in sip/sport */
		if (l4 == L4_TCP && st == 0x0A)
			k->type = v6 ? FF_FD_IPV6_SERVSOCK : FF_FD_IPV4_SERVSOCK;
		else
			k->type = v6 ? FF_FD_IPV6_SOCK : FF_FD_IPV4_SOCK;
	}
	fclose(f);
	return 0;
}

static int load_unix(struct scan *s, int netdir)
{
	FILE *f;
	int fd = openat(netdir, "unix", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return 0;
	}
	if (!fgets(s->line, sizeof(s->line), f)) {
		fclose(f);
		return 0;
	}
	while (fgets(s->line, sizeof(s->line), f)) {
		unsigned long long addr, ino;
		int pos = 0;
		struct sock *k;
		char *path;

		/* Num RefCount Protocol Flags Type St Inode [Path] */
		if (sscanf(s->line, "%llx: %*s %*s %*s %*s %*s %llu%n", &addr, &ino, &pos) != 2)
			continue;
		path = s->line + pos;
		while (*path == ' ')
			path++;
		path[strcspn(path, "\n")] = '\0';
		if (!(k = sock_new(s))) {
			fclose(f);
			return -ENOMEM;
		}
		k->ino = ino;
		k->type = FF_FD_UNIX_SOCK;
		k->source = addr;
		if (*path && !(k->path = strdup(path))) {
			fclose(f);
			return -ENOMEM;
		}
	}
	fclose(f);
	return 0;
}

static int load_netlink(struct scan *s, int netdir)
{
	FILE *f;
	int fd = openat(netdir, "netlink", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return 0;
	}
	if (!fgets(s->line, sizeof(s->line), f)) {
		fclose(f);
		return 0;
	}
	while (fgets(s->line, sizeof(s->line), f)) {
		unsigned long long ino;
		struct sock *k;

		/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
		if (sscanf(s->line, "%*s %*s %*s %*s %*s %*s %*s %*s %*s %llu", &ino) != 1)
			continue;
		if (!(k = sock_new(s))) {
			fclose(f);
			return -ENOMEM;
		}
		k->ino = ino;
		k->type = FF_FD_NETLINK;
	}
	fclose(f);
	return 0;
}

/* Load the socket tables of the network namespace process `pid` lives in, once. */
static int load_netns(struct scan *s, int piddir)
{
	struct stat sb;
	int netdir, rc;

	if (fstatat(piddir, "ns/net", &sb, 0) != 0)
		return 0;
	for (size_t i = 0; i < s->nnetns; i++)
		if (s->netns[i] == (uint64_t)sb.st_ino)
			return 0;
	if (s->nnetns == s->capnetns) {
		size_t nc = s->capnetns ? 2 * s->capnetns : 8;
		uint64_t *n = realloc(s->netns, nc * sizeof(*n));

		if (!n)
			return -ENOMEM;
		s->netns = n;
		s->capnetns = nc;
	}
	s->netns[s->nnetns++] = (uint64_t)sb.st_ino;
	netdir = openat(piddir, "net", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (netdir < 0)
		return 0;
	rc = load_inet(s, netdir, "tcp", 0, L4_TCP);
	if (!rc)
		rc = load_inet(s, netdir, "tcp6", 1, L4_TCP);
	if (!rc)
		rc = load_inet(s, netdir, "udp", 0, L4_UDP);
	if (!rc)
		rc = load_inet(s, netdir, "udp6", 1, L4_UDP);
	if (!rc)
		rc = load_unix(s, netdir);
	if (!rc)
		rc = load_netlink(s, netdir);
	close(netdir);
	return rc;
}

static int cmp_sock(const void *a, const void *b)
{
	const struct sock *x = a, *y = b;

	return x->ino < y->ino ? -1 : x->ino > y->ino;
}

static const struct sock *sock_find(struct scan *s, uint64_t ino)
{
	struct sock key = { .ino = ino };

	if (!s->sorted) {
		qsort(s->socks, s->nsocks, sizeof(*s->socks), cmp_sock);
		s->sorted = 1;
	}
	return s->nsocks ? bsearch(&key, s->socks, s->nsocks, sizeof(*s->socks), cmp_sock) : NULL;
}

/* ---- fds ---------------------------------------------------------------------- */

/* open(2) flags -> PPM_O_* bits (scap-format.md section 13) */
static uint32_t ppm_open_flags(uint32_t f)
{
	static const struct {
		uint32_t os, ppm;
	} map[] = {
		{ 0100, 4 },       { 02000, 8 },      { 010000, 16 },     { 0200, 32 },
		{ 04000, 64 },     { 04000000, 128 }, { 01000, 256 },     { 040000, 512 },
		{ 0200000, 1024 }, { 0100000, 2048 }, { 02000000, 4096 }, { 020000000, 8192 },
	};
	uint32_t r = (f & 3) == 0 ? 1 : (f & 3) == 1 ? 2 : 3;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if ((f & map[i].os) == map[i].os)
			r |= map[i].ppm;
	return r;
}

static const struct {
	const char *name;
	uint8_t type;
} anon_types[] = {
	{ "anon_inode:[eventfd]", FF_FD_EVENT },       { "anon_inode:[signalfd]", FF_FD_SIGNALFD },
	{ "anon_inode:[eventpoll]", FF_FD_EVENTPOLL }, { "anon_inode:inotify", FF_FD_INOTIFY },
	{ "anon_inode:[timerfd]", FF_FD_TIMERFD },
};

/* Fill `f` for one fd of the process at `piddir`; 1 to write it, 0 to skip. */
static int scan_fd(struct scan *s, int piddir, int fddir, const char *num, struct ff_fdinfo *f,
                   char *name, size_t cap)
{
	struct stat sb;
	unsigned long long ino;
	ssize_t n = link_at(fddir, num, name, cap);

	if (n < 0)
		return 0; /* closed meanwhile */
	f->fd = strtoll(num, NULL, 10);
	f->name = mkstr(name, (size_t)n);
	if (sscanf(name, "socket:[%llu]", &ino) == 1) {
		const struct sock *k = sock_find(s, ino);

		if (!k)
			return 0; /* a family we do not list (packet, raw...) */
		f->ino = ino;
		f->type = k->type;
		memcpy(f->sip, k->sip, 16);
		memcpy(f->dip, k->dip, 16);
		f->sport = k->sport;
		f->dport = k->dport;
		f->l4proto = k->l4proto;
		f->source = k->source;
		f->name = k->path ? mkstr(k->path, strlen(k->path)) : mkstr("", 0);
		return 1;
	}
	if (sscanf(name, "pipe:[%llu]", &ino) == 1) {
		f->ino = ino;
		f->type = FF_FD_FIFO;
		return 1;
	}
	if (strncmp(name, "anon_inode:", 11) == 0) {
		for (size_t i = 0; i < sizeof(anon_types) / sizeof(anon_types[0]); i++)
			if (strcmp(name, anon_types[i].name) == 0) {
				f->type = anon_types[i].type;
				return 1;
			}
		f->type = FF_FD_UNSUPPORTED;
		return 1;
	}
	if (name[0] != '/')
		return 0;
	if (fstatat(fddir, num, &sb, 0) != 0)
		return 0;
	f->ino = (uint64_t)sb.st_ino;
	if (S_ISDIR(sb.st_mode)) {
		f->type = FF_FD_DIRECTORY;
		return 1;
	}
	f->type = FF_FD_FILE_V2;
	f->has_dev = 1;
	f->dev = encode_dev(sb.st_dev);
	{
		char path[300];

		snprintf(path, sizeof(path), "fdinfo/%s", num);
		if (read_at(piddir, path, s->line, sizeof(s->line)) > 0) {
			const char *v = field(s->line, "flags");

			if (v)
				f->open_flags = ppm_open_flags((uint32_t)strtoul(v, NULL, 8));
		}
	}
	return 1;
}

static int put_fds(struct scan *s, int piddir, uint64_t pid)
{
	int fddir = openat(piddir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;
	struct dirent *de;
	size_t mark;
	int rc, any = 0;
	char name[PATH_BUF];

	if (fddir < 0)
		return 0;
	d = fdopendir(fddir);
	if (!d) {
		close(fddir);
		return 0;
	}
	rc = load_netns(s, piddir);
	if (rc == 0)
		rc = ff_meta_begin(s->out, FF_BT_FDL_V2, pid, &mark, s->err);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct ff_fdinfo f = { 0 };

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (!scan_fd(s, piddir, dirfd(d), de->d_name, &f, name, sizeof(name)))
			continue;
		rc = ff_meta_put_fd(s->out, &f, s->err);
		if (rc == -EINVAL) { /* no compat encoding */
			s->st.unknown_fds++;
			rc = 0;
			continue;
		}
		s->st.fds += rc == 0;
		any = 1;
	}
	closedir(d);
	if (rc)
		return rc;
	if (!any) { /* no empty lists */
		s->out->len = mark;
		return 0;
	}
	return ff_meta_end(s->out, mark, s->err);
}

/* ---- threads -------------------------------------------------------------------- */

/* cgroups as the probe writes them: "controller=/path\0" per controller. */
static uint32_t read_cgroups(struct scan *s, int piddir, char *out)
{
	char text[2048];
	size_t n = 0;

	if (read_at(piddir, "cgroup", text, sizeof(text)) <= 0)
		return 0;
	for (char *l = text; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		char *c1 = strchr(l, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		char *eol = strchr(l, '\n');
		size_t plen;

		if (!c2)
			break;
		plen = (size_t)((eol ? eol : l + strlen(l)) - (c2 + 1));
		if (c2 == c1 + 1) { /* cgroup v2: every controller of the hierarchy */
			for (size_t i = 0; i < s->cgctl_len; i += strlen(s->cgctl + i) + 1) {
				size_t cl = strlen(s->cgctl + i);

				if (n + cl + plen + 2 > STR_MAX)
					break;
				memcpy(out + n, s->cgctl + i, cl);
				out[n + cl] = '=';
				memcpy(out + n + cl + 1, c2 + 1, plen);
				n += cl + plen + 1;
				out[n++] = '\0';
			}
		} else { /* v1: "memory,cpu:/path" */
			for (char *c = c1 + 1; c < c2;) {
				char *comma = memchr(c, ',', (size_t)(c2 - c));
				size_t cl = (size_t)((comma ? comma : c2) - c);

				if (strncmp(c, "name=", 5) != 0 && n + cl + plen + 2 <= STR_MAX) {
					memcpy(out + n, c, cl);
					out[n + cl] = '=';
					memcpy(out + n + cl + 1, c2 + 1, plen);
					n += cl + plen + 1;
					out[n++] = '\0';
				}
				c = comma ? comma + 1 : c2;
			}
		}
	}
	return (uint32_t)n;
}

static void load_controllers(struct scan *s)
{
	char text[512];
	ssize_t n = read_at(AT_FDCWD, "/sys/fs/cgroup/cgroup.controllers", text, sizeof(text));
	size_t o = 0;

	s->cgctl_len = 0;
	if (n <= 0)
		return;
	for (char *tok = text; *tok;) {
		size_t l = strcspn(tok, " \n");

		if (l && o + l + 1 < sizeof(s->cgctl)) {
			memcpy(s->cgctl + o, tok, l);
			o += l;
			s->cgctl[o++] = '\0';
		}
		tok += l;
		while (*tok == ' ' || *tok == '\n')
			tok++;
	}
	s->cgctl_len = o;
}

/* Process-wide values, read once per process and shared by its threads. */
struct procinfo {
	char exe[PATH_BUF], exepath[PATH_BUF], cwd[PATH_BUF], root[PATH_BUF];
	size_t exe_len;
	uint32_t args_len, env_len, cg_len;
	int64_t fdlimit;
	uint32_t loginuid;
};

static int read_procinfo(struct scan *s, int piddir, const char *comm, struct procinfo *pi)
{
	ssize_t n;
	char lim[4096];

	n = read_at(piddir, "cmdline", s->buf[0], sizeof(s->buf[0]));
	if (n < 0)
		return -1;
	if (n > 0) {
		size_t e = strnlen(s->buf[0], (size_t)n);

		pi->exe_len = e < sizeof(pi->exe) ? e : sizeof(pi->exe) - 1;
		memcpy(pi->exe, s->buf[0], pi->exe_len);
		pi->exe[pi->exe_len] = '\0';
		if (e < (size_t)n) {
			memmove(s->buf[0], s->buf[0] + e + 1, (size_t)n - e - 1);
			pi->args_len = cut_strings(s->buf[0], (size_t)n - e - 1);
		} else {
			pi->args_len = 0;
		}
	} else { /* kernel thread */
		pi->exe_len = strlen(comm);
		memcpy(pi->exe, comm, pi->exe_len + 1);
		pi->args_len = 0;
	}
	n = read_at(piddir, "environ", s->buf[1], sizeof(s->buf[1]));
	pi->env_len = n > 0 ? cut_strings(s->buf[1], (size_t)n) : 0;
	if (link_at(piddir, "exe", pi->exepath, sizeof(pi->exepath)) < 0)
		pi->exepath[0] = '\0';
	if (link_at(piddir, "cwd", pi->cwd, sizeof(pi->cwd)) < 0)
		pi->cwd[0] = '\0';
	if (link_at(piddir, "root", pi->root, sizeof(pi->root)) < 0)
		pi->root[0] = '\0';
	pi->cg_len = read_cgroups(s, piddir, s->buf[2]);
	pi->fdlimit = 1024;
	if (read_at(piddir, "limits", lim, sizeof(lim)) > 0) {
		const char *v = strstr(lim, "Max open files");

		if (v) {
			v += strlen("Max open files");
			pi->fdlimit = strtoll(v, NULL, 10);
		}
	}
	pi->loginuid = 0xFFFFFFFFu;
	if (read_at(piddir, "loginuid", lim, sizeof(lim)) > 0)
		pi->loginuid = (uint32_t)strtoul(lim, NULL, 10);
	return 0;
}

static uint32_t second_num(const char *v)
{
	char *end;

	if (!v)
		return 0;
	strtoul(v, &end, 10);
	return (uint32_t)strtoul(end, NULL, 10);
}

static uint64_t hex_field(const char *status, const char *key)
{
	const char *v = field(status, key);

	return v ? strtoull(v, NULL, 16) : 0;
}

/* One PL_V9 entry for thread `tid` of process `pid`. */
static int put_thread(struct scan *s, int taskdir, uint64_t pid, uint64_t tid,
                      const struct procinfo *pi, const char *comm)
{
	char stat[1024], status[4096];
	struct ff_proc p = { 0 };
	const char *v, *rp;
	unsigned long long minflt = 0, majflt = 0;
	int pgrp = 0, session = 0, tty = 0;

	if (read_at(taskdir, "stat", stat, sizeof(stat)) <= 0 ||
	    read_at(taskdir, "status", status, sizeof(status)) <= 0)
		return 1; /* vanished */
	/* after "(comm)": state ppid pgrp session tty tpgid flags minflt cminflt majflt */
	rp = strrchr(stat, ')');
	if (!rp || sscanf(rp + 2, "%*c %*d %d %d %d %*d %*u %llu %*u %llu", &pgrp, &session, &tty,
	                  &minflt, &majflt) != 5)
		return 1;
	p.tid = tid;
	p.pid = pid;
	v = field(status, "PPid");
	p.ptid = v ? strtoull(v, NULL, 10) : 0;
	p.sid = (uint64_t)session;
	p.vpgid = (uint64_t)last_num(field(status, "NSpgid"), pgrp);
	p.comm = mkstr(comm, strlen(comm));
	p.exe = mkstr(pi->exe, pi->exe_len);
	p.exepath = mkstr(pi->exepath, strlen(pi->exepath));
	p.args = mkstr(s->buf[0], pi->args_len);
	p.cwd = mkstr(pi->cwd, strlen(pi->cwd));
	p.fdlimit = pi->fdlimit;
	p.flags = tid == pid ? 0 : CL_CLONE_THREAD | CL_CLONE_FILES | CL_CLONE_FS;
	p.uid =
	    second_num(field(status, "Uid")); /* real, effective...: sinsp shows the effective */
	p.gid = second_num(field(status, "Gid"));
	v = field(status, "VmSize");
	p.vmsize_kb = v ? (uint32_t)strtoul(v, NULL, 10) : 0;
	v = field(status, "VmRSS");
	p.vmrss_kb = v ? (uint32_t)strtoul(v, NULL, 10) : 0;
	v = field(status, "VmSwap");
	p.vmswap_kb = v ? (uint32_t)strtoul(v, NULL, 10) : 0;
	p.pfmajor = majflt;
	p.pfminor = minflt;
	p.env = mkstr(s->buf[1], pi->env_len);
	p.vtid = last_num(field(status, "NSpid"), (int64_t)tid);
	p.vpid = last_num(field(status, "NStgid"), (int64_t)pid);
	p.cgroups = mkstr(s->buf[2], pi->cg_len);
	p.root = mkstr(pi->root, strlen(pi->root));
	p.tail = FF_PROC_TAIL_LEGACY;
	p.has = FF_PROC_HAS_LOGINUID | FF_PROC_HAS_EXE_WRITABLE | FF_PROC_HAS_CAPS;
	p.loginuid = pi->loginuid;
	p.cap_inheritable = hex_field(status, "CapInh");
	p.cap_permitted = hex_field(status, "CapPrm");
	p.cap_effective = hex_field(status, "CapEff");
	p.tty = (uint32_t)tty;
	p.pgid = pgrp;
	s->st.threads++;
	return ff_meta_put_proc(s->out, &p, s->err);
}

static int read_comm(int dir, char *comm, size_t cap)
{
	ssize_t n = read_at(dir, "comm", comm, cap);

	if (n <= 0)
		return -1;
	comm[strcspn(comm, "\n")] = '\0';
	return 0;
}

/* Every thread of process `pid`; 0, or a negative errno from encoding. */
static int put_process(struct scan *s, int piddir, uint64_t pid, size_t *pl_mark, int *pl_open)
{
	struct procinfo *pi = calloc(1, sizeof(*pi));
	char comm[64];
	int taskdir, rc = 0;
	DIR *d;
	struct dirent *de;

	if (!pi)
		return ff_errf(s->err, -ENOMEM, "out of memory");
	if (read_comm(piddir, comm, sizeof(comm)) || read_procinfo(s, piddir, comm, pi)) {
		s->st.vanished++;
		free(pi);
		return 0;
	}
	taskdir = openat(piddir, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = taskdir >= 0 ? fdopendir(taskdir) : NULL;
	if (!d) {
		if (taskdir >= 0)
			close(taskdir);
		s->st.vanished++;
		free(pi);
		return 0;
	}
	s->st.processes++;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		uint64_t tid;
		int td;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		tid = strtoull(de->d_name, NULL, 10);
		td = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (td < 0 || read_comm(td, comm, sizeof(comm))) {
			if (td >= 0)
				close(td);
			s->st.vanished++;
			continue;
		}
		if (!*pl_open) {
			rc = ff_meta_begin(s->out, FF_BT_PL_V9, 0, pl_mark, s->err);
			*pl_open = rc == 0;
		}
		if (rc == 0) {
			rc = put_thread(s, td, pid, tid, pi, comm);
			if (rc == 1) {
				s->st.vanished++;
				rc = 0;
			}
		}
		close(td);
		if (rc == 0 && s->out->len - *pl_mark > PL_SPLIT) {
			rc = ff_meta_end(s->out, *pl_mark, s->err);
			*pl_open = 0;
		}
	}
	closedir(d);
	free(pi);
	return rc;
}

/* ---- the scan ----------------------------------------------------------------- */

static int is_pid(const char *n)
{
	if (!*n)
		return 0;
	for (; *n; n++)
		if (*n < '0' || *n > '9')
			return 0;
	return 1;
}

int ff_procscan_run(struct ff_buf *out, const struct ff_procscan_opts *opts,
                    struct ff_procscan_stats *st, struct ff_err *err)
{
	struct ff_procscan_opts o = { 0 };
	struct scan *s;
	DIR *d;
	struct dirent *de;
	uint64_t *pids = NULL;
	size_t npids = 0, cappids = 0, pl_mark = 0;
	int rc, pl_open = 0, procfd;

	if (opts)
		memcpy(&o, opts, opts->sz < sizeof(o) ? opts->sz : sizeof(o));
	s = calloc(1, sizeof(*s));
	if (!s)
		return ff_errf(err, -ENOMEM, "out of memory");
	s->root = o.proc_root ? o.proc_root : "/proc";
	s->out = out;
	s->err = err;
	load_controllers(s);
	procfd = open(s->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = procfd >= 0 ? fdopendir(procfd) : NULL;
	if (!d) {
		rc = ff_errf(err, -errno, "%s: %s", s->root, strerror(errno));
		if (procfd >= 0)
			close(procfd);
		free(s);
		return rc;
	}
	rc = put_machine(s);
	if (rc == 0)
		rc = put_ifaces(s);
	if (rc == 0)
		rc = put_users(s);
	/* threads first (all PL blocks), then the fd lists: readers want them so */
	while (rc == 0 && (de = readdir(d)) != NULL) {
		int pd;
		uint64_t pid;

		if (!is_pid(de->d_name))
			continue;
		pid = strtoull(de->d_name, NULL, 10);
		pd = openat(procfd, de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pd < 0)
			continue;
		rc = put_process(s, pd, pid, &pl_mark, &pl_open);
		close(pd);
		if (rc == 0 && npids == cappids) {
			size_t nc = cappids ? 2 * cappids : 512;
			uint64_t *n = realloc(pids, nc * sizeof(*n));

			if (!n)
				rc = ff_errf(err, -ENOMEM, "out of memory");
			else {
				pids = n;
				cappids = nc;
			}
		}
		if (rc == 0)
			pids[npids++] = pid;
	}
	if (rc == 0 && pl_open)
		rc = ff_meta_end(out, pl_mark, err);
	for (size_t i = 0; rc == 0 && !o.no_fds && i < npids; i++) {
		char name[32];
		int pd;

		snprintf(name, sizeof(name), "%" PRIu64, pids[i]);
		pd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (pd < 0)
			continue; /* exited since */
		rc = put_fds(s, pd, pids[i]);
		close(pd);
	}
	if (rc == -ENOMEM && err && !err->code)
		ff_errf(err, rc, "out of memory");
	closedir(d);
	if (st)
		*st = s->st;
	for (size_t i = 0; i < s->nsocks; i++)
		free(s->socks[i].path);
	free(s->socks);
	free(s->netns);
	free(pids);
	free(s);
	return rc;
}
