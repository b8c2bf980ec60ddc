/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Metadata blocks of a .scap capture (scap-format.md sections 5-9): decoding
 * of machine info, interface, user, process and fd lists of every version into
 * plain structs, and encoding of the "compat profile" (section 15) that both
 * sysdig 0.29.3 and 2026 libs read.
 *
 * Decoding is zero-copy: string fields are pointer + length into the block
 * body (not NUL-terminated) and stay valid as long as the body does.  Every
 * read is bounded by the entry and the body; an inconsistency gives -EBADMSG
 * with the block offset and the entry index in the message.  Fields a version
 * does not carry get the values libscap gives them (sid, vpgid, vtid, vpid
 * -1, loginuid 0xFFFFFFFF, strings empty), so that re-encoding an old list as
 * PL_V9 reads back the same in sysdig.
 *
 * Encoding appends complete blocks (header, body, padding, trailer) to a
 * growable buffer: the length of a list block is only known once its entries
 * are in, so lists are built in memory between ff_meta_begin() and
 * ff_meta_end().
 */
#ifndef FF_META_H
#define FF_META_H

#include <stddef.h>
#include <stdint.h>

#include "ff_err.h"
#include "ff_reader.h"

/* A string inside a block body: not NUL-terminated, may be empty; p is never
 * NULL in decoded entries (absent strings point to ""). */
struct ff_str {
	const char *p;
	uint32_t len;
};

/* ---- machine info (MI) ---- */
struct ff_machine {
	uint32_t num_cpus;
	uint64_t memory_bytes;
	uint64_t max_pid;
	char hostname[129]; /* NUL-terminated copy of the 128-byte field */
	uint64_t boot_ts;   /* ns since epoch (2026); 2022 "reserved1" */
	uint64_t flags;     /* 2026; 2022 "reserved2" */
	uint64_t reserved3;
	uint64_t reserved4;
};

/* ---- interface list (IL, IL_V2) ---- */
enum { FF_IF_IPV4 = 1, FF_IF_IPV6 = 2, FF_IF_IPV4_NOLINKSPEED = 3, FF_IF_IPV6_NOLINKSPEED = 4 };

struct ff_iface {
	uint16_t type;    /* FF_IF_IPV4 or FF_IF_IPV6 (3 and 4 are reported as 1 and 2) */
	uint8_t addr[16]; /* network order; IPv4 uses the first 4 bytes */
	uint8_t netmask[16];
	uint8_t bcast[16];
	uint64_t linkspeed; /* 0 for the old "no linkspeed" entries */
	struct ff_str name;
};

/* ---- user list (UL, UL_V2) ---- */
enum { FF_UL_USER = 0, FF_UL_GROUP = 1 };

struct ff_user {
	uint8_t kind; /* FF_UL_USER or FF_UL_GROUP */
	uint32_t uid; /* users only */
	uint32_t gid;
	struct ff_str name;
	struct ff_str homedir; /* users only */
	struct ff_str shell;   /* users only */
};

/* ---- process list (PL_V1 .. PL_V9) ---- */
/* Which optional-tail fields an entry carried (PL_V9 only). */
enum {
	FF_PROC_HAS_LOGINUID = 1u << 0,
	FF_PROC_HAS_EXE_WRITABLE = 1u << 1,
	FF_PROC_HAS_CAPS = 1u << 2,     /* all three capability sets */
	FF_PROC_HAS_PIDNS_TS = 1u << 3, /* 2026 tail from here on */
	FF_PROC_HAS_TTY = 1u << 4,
	FF_PROC_HAS_EXE_LAYERS = 1u << 5, /* exe_upper_layer, exe_lower_layer, exe_from_memfd */
	FF_PROC_HAS_EXE_INO = 1u << 6,    /* exe_ino, exe_ino_ctime, exe_ino_mtime */
	FF_PROC_HAS_PGID = 1u << 7,
};
enum ff_proc_tail { FF_PROC_TAIL_NONE = 0, FF_PROC_TAIL_LEGACY, FF_PROC_TAIL_2026 };

struct ff_proc {
	uint64_t tid, pid, ptid;
	uint64_t sid;   /* V6+, else (uint64_t)-1 */
	uint64_t vpgid; /* V8+, else (uint64_t)-1 */
	struct ff_str comm, exe;
	struct ff_str exepath; /* V7+, else empty */
	struct ff_str args;    /* argv[1..], each NUL-terminated */
	struct ff_str cwd;
	int64_t fdlimit;
	uint32_t flags, uid, gid;
	uint32_t vmsize_kb, vmrss_kb, vmswap_kb; /* V2+, else 0 */
	uint64_t pfmajor, pfminor;               /* V2+, else 0 */
	struct ff_str env;                       /* V3+: KEY=VALUE strings, each NUL-terminated */
	int64_t vtid, vpid;                      /* V4+, else -1 */
	struct ff_str cgroups;                   /* V4+: subsys=path strings, each NUL-terminated */
	struct ff_str root;                      /* V5+ */
	/* optional tail (PL_V9, decided by entry_len) */
	enum ff_proc_tail tail;
	uint32_t has;      /* FF_PROC_HAS_* */
	uint32_t loginuid; /* 0xFFFFFFFF when unknown */
	uint8_t exe_writable;
	uint64_t cap_inheritable, cap_permitted, cap_effective;
	uint64_t pidns_init_start_ts;
	uint32_t tty;
	uint8_t exe_upper_layer, exe_lower_layer, exe_from_memfd;
	uint64_t exe_ino, exe_ino_ctime, exe_ino_mtime;
	int64_t pgid;
};

/* ---- fd list (FDL, FDL_V2) ---- */
enum ff_fd_type {
	FF_FD_UNKNOWN = 0,
	FF_FD_FILE = 1,
	FF_FD_DIRECTORY = 2,
	FF_FD_IPV4_SOCK = 3,
	FF_FD_IPV6_SOCK = 4,
	FF_FD_IPV4_SERVSOCK = 5,
	FF_FD_IPV6_SERVSOCK = 6,
	FF_FD_FIFO = 7,
	FF_FD_UNIX_SOCK = 8,
	FF_FD_EVENT = 9,
	FF_FD_UNSUPPORTED = 10,
	FF_FD_SIGNALFD = 11,
	FF_FD_EVENTPOLL = 12,
	FF_FD_INOTIFY = 13,
	FF_FD_TIMERFD = 14,
	FF_FD_NETLINK = 15,
	FF_FD_FILE_V2 = 16,
	FF_FD_BPF = 17, /* 17..21: 2026 only */
	FF_FD_USERFAULTFD = 18,
	FF_FD_IOURING = 19,
	FF_FD_MEMFD = 20,
	FF_FD_PIDFD = 21,
	FF_FD_TYPE_MAX = 22
};

struct ff_fdinfo {
	int64_t fd;
	uint64_t ino;
	uint8_t type;        /* enum ff_fd_type; an unknown type of an FDL_V2 entry is kept */
	uint8_t has_dev;     /* FILE_V2 entry carried dev */
	uint32_t open_flags; /* FILE_V2: PPM_O_* bits */
	uint32_t dev;        /* FILE_V2 */
	uint8_t sip[16];     /* sockets, network order; IPv4 in the first 4 bytes; servsock: ip */
	uint8_t dip[16];
	uint16_t sport, dport; /* host order; servsock: sport is the port */
	uint8_t l4proto;
	uint64_t source, dest; /* unix sockets: kernel addresses */
	struct ff_str name;    /* files and the like; unix sockets: path */
};

/* ---- decoding ---- */

/* Decode an MI block body (180 bytes; longer bodies are accepted, shorter
 * ones are -EBADMSG). */
int ff_meta_machine(const struct ff_block *b, struct ff_machine *out, struct ff_err *err);

/* Cursor over the entries of one IL, UL, PL or FDL block. */
struct ff_meta_iter {
	const uint8_t *body;
	uint32_t len;     /* body length, padding included */
	uint32_t pos;     /* next entry */
	uint32_t index;   /* index of the next entry (for messages) */
	uint32_t version; /* block version (PL 1..9, others 1..2) */
	uint32_t type;    /* raw block id */
	enum ff_blk_kind kind;
	uint64_t offset; /* block offset in the decoded stream */
	uint64_t tid;    /* FDL: the thread that owns the fds */
};

/* Start iterating a metadata block returned by ff_reader_next().  Returns 0, or
 * -EINVAL for a block kind without entries, -EBADMSG for an FDL body too short
 * for its tid. */
int ff_meta_iter_init(struct ff_meta_iter *it, const struct ff_block *b, struct ff_err *err);

/* Next entry of the matching block kind: 1 with *out filled, 0 after the last
 * entry, or a negative errno (-EBADMSG for malformed data, -EINVAL when called
 * on a block of another kind).  After an error the iterator stays at the bad
 * entry. */
int ff_meta_iface_next(struct ff_meta_iter *it, struct ff_iface *out, struct ff_err *err);
int ff_meta_user_next(struct ff_meta_iter *it, struct ff_user *out, struct ff_err *err);
int ff_meta_proc_next(struct ff_meta_iter *it, struct ff_proc *out, struct ff_err *err);
int ff_meta_fd_next(struct ff_meta_iter *it, struct ff_fdinfo *out, struct ff_err *err);

/* ---- encoding (compat profile) ---- */

/* Growable byte buffer; zero-initialise, release with ff_buf_free(). */
struct ff_buf {
	uint8_t *p;
	size_t len, cap;
};
int ff_buf_reserve(struct ff_buf *b, size_t more, struct ff_err *err);
int ff_buf_put(struct ff_buf *b, const void *data, size_t n, struct ff_err *err);
void ff_buf_free(struct ff_buf *b);

/* Append a 28-byte section header (v1.2, no options). */
int ff_meta_put_shb(struct ff_buf *b, struct ff_err *err);
/* Append a 192-byte MI block. */
int ff_meta_put_machine(struct ff_buf *b, const struct ff_machine *mi, struct ff_err *err);

/* Open a list block of `block_type` (FF_BT_IL_V2, FF_BT_UL_V2, FF_BT_PL_V9 or
 * FF_BT_FDL_V2; for FDL `tid` is written first, otherwise ignored).  *mark
 * remembers where it starts; entries follow; ff_meta_end() pads and closes it. */
int ff_meta_begin(struct ff_buf *b, uint32_t block_type, uint64_t tid, size_t *mark,
                  struct ff_err *err);
int ff_meta_end(struct ff_buf *b, size_t mark, struct ff_err *err);

/* Entry encoders for the block opened last.  Strings longer than a reader
 * accepts are cut to that limit (ifname 1023, user strings 255, paths 1024,
 * args/env/cgroups 4096); -EINVAL for an interface type other than 1..4. */
int ff_meta_put_iface(struct ff_buf *b, const struct ff_iface *ifc, struct ff_err *err);
int ff_meta_put_user(struct ff_buf *b, const struct ff_user *u, struct ff_err *err);
/* PL_V9 entry.  The tail is the 29-byte legacy one (loginuid, exe_writable,
 * capabilities) when the entry has FF_PROC_HAS_CAPS, otherwise the 5-byte one
 * that sysdig 0.29.3 writes: unknown capabilities are not turned into zeros. */
int ff_meta_put_proc(struct ff_buf *b, const struct ff_proc *p, struct ff_err *err);
/* FDL_V2 entry.  Types 17..21 are written as 10 (UNSUPPORTED) with their name;
 * -EINVAL (nothing written) for type 0 or an unknown type. */
int ff_meta_put_fd(struct ff_buf *b, const struct ff_fdinfo *fd, struct ff_err *err);

#endif
