/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * The kernel <-> userspace contract for events: the raw record layout that the
 * kmod and the BPF probe write into their rings, that the .scap writer copies
 * into event blocks untouched, and that every reader decodes.  Fixed-width types
 * only; included by the kmod, the BPF program and userspace.
 *
 * Layout (little-endian, packed, see docs: scap-format.md section 11):
 *   u64 ts | u64 tid | u32 len | u16 type | u32 nparams | lens[nparams] | values
 * where lens are u16, or u32 for events flagged FF_EF_LARGE_PAYLOAD.
 */
#ifndef FF_EVENT_ABI_H
#define FF_EVENT_ABI_H

#if defined(__KERNEL__) || defined(__BPF__) || defined(__bpf__)
/* kernel and BPF builds provide the fixed-width types themselves */
#else
#include <stdint.h>
#endif

#define FF_EVT_HDR_LEN 26u    /* ts + tid + len + type + nparams */
#define FF_EVT_V1_HDR_LEN 22u /* pre-2019 header: no nparams */
#define FF_EVT_OFF_TS 0u
#define FF_EVT_OFF_TID 8u
#define FF_EVT_OFF_LEN 16u
#define FF_EVT_OFF_TYPE 20u
#define FF_EVT_OFF_NPARAMS 22u

/* A single 16-bit-length parameter is capped below 64 KiB by the drivers. */
#define FF_MAX_PARAM_LEN 65000u
#define FF_MAX_NPARAMS 64u

/* Parameter types: numbering equals libscap's PT_* so the bytes mean the same. */
enum ff_param_type {
	FF_PT_NONE = 0,
	FF_PT_INT8 = 1,
	FF_PT_INT16 = 2,
	FF_PT_INT32 = 3,
	FF_PT_INT64 = 4,
	FF_PT_UINT8 = 5,
	FF_PT_UINT16 = 6,
	FF_PT_UINT32 = 7,
	FF_PT_UINT64 = 8,
	FF_PT_CHARBUF = 9,
	FF_PT_BYTEBUF = 10,
	FF_PT_ERRNO = 11,
	FF_PT_SOCKADDR = 12,
	FF_PT_SOCKTUPLE = 13,
	FF_PT_FD = 14,
	FF_PT_PID = 15,
	FF_PT_FDLIST = 16,
	FF_PT_FSPATH = 17,
	FF_PT_SYSCALLID = 18,
	FF_PT_SIGTYPE = 19,
	FF_PT_RELTIME = 20,
	FF_PT_ABSTIME = 21,
	FF_PT_PORT = 22,
	FF_PT_L4PROTO = 23,
	FF_PT_SOCKFAMILY = 24,
	FF_PT_BOOL = 25,
	FF_PT_IPV4ADDR = 26,
	FF_PT_DYN = 27,
	FF_PT_FLAGS8 = 28,
	FF_PT_FLAGS16 = 29,
	FF_PT_FLAGS32 = 30,
	FF_PT_UID = 31,
	FF_PT_GID = 32,
	FF_PT_DOUBLE = 33,
	FF_PT_SIGSET = 34,
	FF_PT_CHARBUFARRAY = 35,
	FF_PT_CHARBUF_PAIR_ARRAY = 36,
	FF_PT_IPV4NET = 37,
	FF_PT_IPV6ADDR = 38,
	FF_PT_IPV6NET = 39,
	FF_PT_IPADDR = 40,
	FF_PT_IPNET = 41,
	FF_PT_MODE = 42,
	FF_PT_FSRELPATH = 43,
	FF_PT_ENUMFLAGS8 = 44,
	FF_PT_ENUMFLAGS16 = 45,
	FF_PT_ENUMFLAGS32 = 46,
	FF_PT_FD32 = 47,
	FF_PT_PID32 = 48,
	FF_PT_MAX = 49
};

/* How a parameter is printed (libscap's ppm_print_format). */
enum ff_print_fmt {
	FF_PF_NA = 0,
	FF_PF_DEC = 1,
	FF_PF_HEX = 2,
	FF_PF_10_PADDED_DEC = 3,
	FF_PF_ID = 4,
	FF_PF_DIR = 5,
	FF_PF_OCT = 6
};

/* Event flags (libscap's ppm_event_flags). */
enum ff_event_flag {
	FF_EF_CREATES_FD = 1 << 0,
	FF_EF_DESTROYS_FD = 1 << 1,
	FF_EF_USES_FD = 1 << 2,
	FF_EF_READS_FROM_FD = 1 << 3,
	FF_EF_WRITES_TO_FD = 1 << 4,
	FF_EF_MODIFIES_STATE = 1 << 5,
	FF_EF_UNUSED = 1 << 6,
	FF_EF_WAITS = 1 << 7,
	FF_EF_SKIPPARSERESET = 1 << 8,
	FF_EF_OLD_VERSION = 1 << 9,
	FF_EF_DROP_SIMPLE_CONS = 1 << 10,
	FF_EF_LARGE_PAYLOAD = 1 << 11,
	FF_EF_CONVERTER_MANAGED = 1 << 12
};

/* Event categories: low bits are one value, high bits are flags. */
enum ff_event_category {
	FF_EC_UNKNOWN = 0,
	FF_EC_OTHER = 1,
	FF_EC_FILE = 2,
	FF_EC_NET = 3,
	FF_EC_IPC = 4,
	FF_EC_MEMORY = 5,
	FF_EC_PROCESS = 6,
	FF_EC_SLEEP = 7,
	FF_EC_SYSTEM = 8,
	FF_EC_SIGNAL = 9,
	FF_EC_USER = 10,
	FF_EC_TIME = 11,
	FF_EC_PROCESSING = 12,
	FF_EC_IO_READ = 32,
	FF_EC_IO_WRITE = 33,
	FF_EC_IO_OTHER = 34,
	FF_EC_WAIT = 64,
	FF_EC_SCHEDULER = 128,
	FF_EC_INTERNAL = 256,
	FF_EC_SYSCALL = 512,
	FF_EC_TRACEPOINT = 1024,
	FF_EC_PLUGIN = 2048,
	FF_EC_METAEVENT = 4096,
	FF_EC_ITERATOR = 8192
};
#define FF_EC_LOW_MASK 63u

/* Socket address families as written in SOCKADDR/SOCKTUPLE parameters. */
#define FF_AF_UNSPEC 0
#define FF_AF_UNIX 1
#define FF_AF_INET 2
#define FF_AF_INET6 10

/* AT_FDCWD as the drivers write it. */
#define FF_AT_FDCWD (-100)

#endif /* FF_EVENT_ABI_H */
