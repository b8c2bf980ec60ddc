// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-syscall parameter fillers, one source for both drivers: the BPF
 * probe (driver/bpf/ff_probe.bpf.c) and the kernel module (driver/kmod/
 * ff_kmod.c) include this file, so an event's parameters are chosen and
 * encoded the same way by both (scap-format.md: compat profile, enter events
 * with their 2022 list, exit events with the full list of the generated
 * ff_bpf_nparams[]; a filler that writes another count is a fill failure).
 *
 * What differs between the drivers (memory access, kernel structures) comes
 * from the includer, defined before the #include:
 *   struct ff_ev                      the event being built
 *   p_u8 p_u16 p_u32 p_u64 p_empty p_begin p_end app_u8 app_u64 app_ubytes
 *   p_ustr(e, uptr)                   user string, "\0" when unreadable
 *   p_data(e, uptr, len)              I/O snapshot (min(len, snaplen) bytes)
 *   p_usockaddr(e, uptr, len)         SOCKADDR from user memory
 *   p_tuple(e, sk, inbound, uaddr, ulen)  SOCKTUPLE of a socket
 *   p_file_devino(e, file, with_ino), created(file)
 *   p_mm_counters(e)                  vm_size, vm_rss, vm_swap (3 params)
 *   arg(regs, i), cur(), fd_file(task, fd), fd_sock(task, fd)
 *   ff_file_ino(file), ff_sock_backlog(sk, &qlen, &qmax)
 *   FF_READ_USER(dst, n, uptr)        0 when the n bytes were copied, else
 *                                     non-zero with dst zeroed (like BPF's helper)
 *   FF_SNAPLEN                        the current snapshot length
 *   FF_INLINE, FF_NOINLINE            function attributes
 *   FF_NO_UNROLL                      before a loop the BPF verifier walks
 * FF_FILL_SKIP_RW leaves read/write/close out (the probe writes those in
 * place in its ring).  Bounded loops only: this code passes the verifier.
 */
#ifndef FF_FILL_H
#define FF_FILL_H

/* ---- flag conversions (kernel value -> PPM_* bits) ----------------------- */
/* dev_t as userspace sees it (new_encode_dev of the kernel's MKDEV layout). */
FF_INLINE __u32 encode_dev(__u32 dev)
{
	__u32 major = dev >> 20, minor = dev & 0xfffff;

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

/* open(2) flags -> PPM_O_* bits (scap-format.md section 13). */
FF_INLINE __u32 open_flags(__u32 f)
{
	__u32 r = (f & 3) == 0 ? 1 : (f & 3) == 1 ? 2 : 3;

	if (f & 0100)
		r |= 4; /* O_CREAT */
	if (f & 02000)
		r |= 8; /* O_APPEND */
	if (f & 010000)
		r |= 16; /* O_DSYNC */
	if (f & 0200)
		r |= 32; /* O_EXCL */
	if (f & 04000)
		r |= 64; /* O_NONBLOCK */
	if (f & 04000000)
		r |= 128; /* __O_SYNC */
	if (f & 01000)
		r |= 256; /* O_TRUNC */
	if (f & 040000)
		r |= 512; /* O_DIRECT */
	if (f & 0200000)
		r |= 1024; /* O_DIRECTORY */
	if (f & 0100000)
		r |= 2048; /* O_LARGEFILE */
	if (f & 02000000)
		r |= 4096; /* O_CLOEXEC */
	if (f & 020000000)
		r |= 8192; /* __O_TMPFILE */
	return r;
}

FF_INLINE __u32 open_mode(__u32 flags, __u32 mode)
{
	return (flags & (0100 | 020000000)) ? (mode & 07777) : 0;
}

FF_INLINE __u32 prot_flags(__u64 p)
{
	__u32 r = p & 7;

	if (p & 0x01000000)
		r |= 16;
	if (p & 0x02000000)
		r |= 32;
	return r;
}

FF_INLINE __u32 mmap_flags(__u64 f)
{
	__u32 r = f & 3;

	if (f & 0x10)
		r |= 4;
	if (f & 0x20)
		r |= 8;
	else
		r |= 8192; /* MAP_FILE */
	if (f & 0x40)
		r |= 16;
	if (f & 0x4000)
		r |= 64;
	if (f & 0x8000)
		r |= 128;
	if (f & 0x10000)
		r |= 256;
	if (f & 0x100)
		r |= 512;
	if (f & 0x800)
		r |= 1024;
	if (f & 0x1000)
		r |= 2048;
	if (f & 0x2000)
		r |= 16384;
	return r;
}

FF_INLINE __u32 clone_flags(__u64 f)
{
	__u32 r = 0;

	if (f & 0x400)
		r |= 1; /* FILES */
	if (f & 0x200)
		r |= 2; /* FS */
	if (f & 0x80000000ULL)
		r |= 4; /* IO */
	if (f & 0x8000000)
		r |= 8; /* NEWIPC */
	if (f & 0x40000000)
		r |= 16; /* NEWNET */
	if (f & 0x20000)
		r |= 32; /* NEWNS */
	if (f & 0x20000000)
		r |= 64; /* NEWPID */
	if (f & 0x4000000)
		r |= 128; /* NEWUTS */
	if (f & 0x8000)
		r |= 256; /* PARENT */
	if (f & 0x100000)
		r |= 512; /* PARENT_SETTID */
	if (f & 0x2000)
		r |= 1024; /* PTRACE */
	if (f & 0x800)
		r |= 2048; /* SIGHAND */
	if (f & 0x40000)
		r |= 4096; /* SYSVSEM */
	if (f & 0x10000)
		r |= 8192; /* THREAD */
	if (f & 0x800000)
		r |= 16384; /* UNTRACED */
	if (f & 0x100)
		r |= 32768; /* VM */
	if (f & 0x10000000)
		r |= 1u << 20; /* NEWUSER */
	if (f & 0x200000)
		r |= 1u << 23; /* CHILD_CLEARTID */
	if (f & 0x1000000)
		r |= 1u << 24; /* CHILD_SETTID */
	if (f & 0x80000)
		r |= 1u << 25; /* SETTLS */
	if (f & 0x4000)
		r |= 1u << 27; /* VFORK */
	if (f & 0x2000000)
		r |= 1u << 28; /* NEWCGROUP */
	return r;
}

FF_INLINE __u16 ptrace_req(__u64 r)
{
	if (r <= 9)
		return r + 1;
	switch (r) {
	case 12:
		return 26; /* GETREGS */
	case 13:
		return 27;
	case 14:
		return 28;
	case 15:
		return 29;
	case 16:
		return 11; /* ATTACH */
	case 17:
		return 12; /* DETACH */
	case 18:
		return 30;
	case 19:
		return 31;
	case 21:
		return 32; /* OLDSETOPTIONS */
	case 24:
		return 13; /* SYSCALL */
	case 25:
		return 33;
	case 26:
		return 34;
	case 30:
		return 35; /* ARCH_PRCTL */
	case 31:
		return 36;
	case 32:
		return 37;
	case 33:
		return 38;
	}
	if (r >= 0x4200 && r <= 0x420b)
		return 14 + (r - 0x4200); /* SETOPTIONS .. SETSIGMASK */
	return 0;
}

FF_INLINE __u32 resolve_flags(__u64 f)
{
	__u32 r = 0;

	if (f & 0x08)
		r |= 1; /* BENEATH */
	if (f & 0x10)
		r |= 2; /* IN_ROOT */
	if (f & 0x02)
		r |= 4; /* NO_MAGICLINKS */
	if (f & 0x04)
		r |= 8; /* NO_SYMLINKS */
	if (f & 0x01)
		r |= 16; /* NO_XDEV */
	if (f & 0x20)
		r |= 32; /* CACHED */
	return r;
}

/* fcntl(2) command -> PPM_FCNTL_* (0: unknown). */
FF_INLINE __u8 fcntl_cmd(__u64 c)
{
	switch (c) {
	case 0:
		return 1; /* F_DUPFD */
	case 1:
		return 2; /* F_GETFD */
	case 2:
		return 3; /* F_SETFD */
	case 3:
		return 4; /* F_GETFL */
	case 4:
		return 5; /* F_SETFL */
	case 5:
		return 6; /* F_GETLK */
	case 6:
		return 8; /* F_SETLK */
	case 7:
		return 9; /* F_SETLKW */
	case 8:
		return 10; /* F_SETOWN */
	case 9:
		return 12; /* F_GETOWN */
	case 10:
		return 13; /* F_SETSIG */
	case 11:
		return 15; /* F_GETSIG */
	case 15:
		return 21; /* F_SETOWN_EX */
	case 16:
		return 22; /* F_GETOWN_EX */
	case 36:
		return 30; /* F_OFD_GETLK */
	case 37:
		return 31; /* F_OFD_SETLK */
	case 38:
		return 32; /* F_OFD_SETLKW */
	case 1024:
		return 23; /* F_SETLEASE */
	case 1025:
		return 24; /* F_GETLEASE */
	case 1026:
		return 27; /* F_NOTIFY */
	case 1029:
		return 25; /* F_CANCELLK */
	case 1030:
		return 26; /* F_DUPFD_CLOEXEC */
	case 1031:
		return 28; /* F_SETPIPE_SZ */
	case 1032:
		return 29; /* F_GETPIPE_SZ */
	}
	return 0;
}

/* RLIMIT_* are the PPM_RLIMIT_* values on x86_64; anything else is 255. */
FF_INLINE __u8 rlimit_res(__u64 r)
{
	return r <= 15 ? r : 255;
}

/* O_NONBLOCK / O_CLOEXEC of the *fd-creating calls (EFD_, SFD_, TFD_, IN_
 * and userfaultfd's flags are those open flags) -> PPM_O_* bits.  In an
 * 8-bit parameter only NONBLOCK fits, as with the libscap drivers. */
FF_INLINE __u32 nb_cloexec(__u64 f)
{
	return ((f & 04000) ? 64 : 0) | ((f & 02000000) ? 4096 : 0);
}

/* ---- shared parameter helpers --------------------------------------------- */
FF_INLINE void p_fd(struct ff_ev *e, __u64 v)
{
	p_u64(e, (__s64)(int)v);
}

/* The sum of the lengths of an iovec array (the first 32 entries). */
FF_NOINLINE __u64 iov_total(const struct iovec *iov, __u64 cnt)
{
	__u64 sum = 0;

	FF_NO_UNROLL
	for (int i = 0; i < 32; i++) {
		struct iovec v = {};

		if (i >= cnt)
			break;
		if (FF_READ_USER(&v, sizeof(v), &iov[i]))
			break;
		sum += v.iov_len;
	}
	return sum;
}

/* A snapshot of the first min(len, snaplen) bytes across an iovec array. */
FF_NOINLINE void p_iov_data(struct ff_ev *e, const struct iovec *iov, __u64 cnt, long len)
{
	__u64 left = len > 0 ? (__u64)len : 0;

	if (left > FF_SNAPLEN)
		left = FF_SNAPLEN;
	p_begin(e);
	FF_NO_UNROLL
	for (int i = 0; i < 8; i++) {
		struct iovec v = {};
		__u64 n;

		if (i >= cnt || !left)
			break;
		if (FF_READ_USER(&v, sizeof(v), &iov[i]))
			break;
		n = v.iov_len < left ? v.iov_len : left;
		n = app_ubytes(e, v.iov_base, n);
		if (!n && v.iov_len)
			break;
		left -= n;
	}
	p_end(e);
}

/* A struct rlimit from user memory as (cur, max); -1, -1 when absent. */
FF_INLINE void p_urlimit(struct ff_ev *e, __u64 uptr)
{
	struct rlimit rl = {};

	if (!uptr || FF_READ_USER(&rl, sizeof(rl), (void *)uptr)) {
		p_u64(e, -1);
		p_u64(e, -1);
		return;
	}
	p_u64(e, rl.rlim_cur);
	p_u64(e, rl.rlim_max);
}

/* A u64 from user memory (sendfile's offset), 0 when absent. */
FF_INLINE __u64 user_u64(__u64 uptr)
{
	__u64 v = 0;

	if (uptr && FF_READ_USER(&v, sizeof(v), (void *)uptr))
		v = 0;
	return v;
}

/* The syscall number: events shared by two syscalls (eventfd/eventfd2,
 * signalfd/signalfd4, inotify_init/inotify_init1) take their arguments
 * differently.  orig_ax holds it at entry and exit (x86_64). */
FF_INLINE long sys_nr(struct pt_regs *regs)
{
	return (long)regs->orig_ax;
}

FF_INLINE struct user_msghdr msghdr(struct pt_regs *regs)
{
	struct user_msghdr m = {};

	FF_READ_USER(&m, sizeof(m), (void *)arg(regs, 1));
	return m;
}

/* ---- the per-event fillers ------------------------------------------------ */
/* Enter events: the 2022 parameter list.  Returns -1 when `ev` has no filler
 * (the caller then writes a generic event). */
FF_NOINLINE int fill_enter(struct ff_ev *e, struct pt_regs *regs, __u16 ev)
{
	__u64 a0 = arg(regs, 0), a1 = arg(regs, 1), a2 = arg(regs, 2), a3 = arg(regs, 3);

	switch (ev) {
	case FFE_OPEN_E:
		p_ustr(e, (void *)a0);
		p_u32(e, open_flags(a1));
		p_u32(e, open_mode(a1, a2));
		return 0;
	case FFE_CREAT_E:
		p_ustr(e, (void *)a0);
		p_u32(e, a1 & 07777);
		return 0;
	case FFE_OPENAT_E:
		p_fd(e, a0);
		p_ustr(e, (void *)a1);
		p_u32(e, open_flags(a2));
		p_u32(e, open_mode(a2, a3));
		return 0;
	case FFE_OPENAT2_E: {
		struct open_how how = {};

		FF_READ_USER(&how, sizeof(how), (void *)a2);
		p_fd(e, a0);
		p_ustr(e, (void *)a1);
		p_u32(e, open_flags(how.flags));
		p_u32(e, open_mode(how.flags, how.mode));
		p_u32(e, resolve_flags(how.resolve));
		return 0;
	}
#ifndef FF_FILL_SKIP_RW
	case FFE_CLOSE_E:
#endif
	case FFE_BIND_E:
	case FFE_RECVMSG_E:
	case FFE_READV_E:
	case FFE_DUP_E:
	case FFE_FCHDIR_E:
		p_fd(e, a0);
		return 0;
#ifndef FF_FILL_SKIP_RW
	case FFE_READ_E:
	case FFE_WRITE_E:
#endif
	case FFE_RECVFROM_E:
		p_fd(e, a0);
		p_u32(e, a2);
		return 0;
	case FFE_PREAD_E:
	case FFE_PWRITE_E:
		p_fd(e, a0);
		p_u32(e, a2);
		p_u64(e, a3);
		return 0;
	case FFE_WRITEV_E:
		p_fd(e, a0);
		p_u32(e, iov_total((void *)a1, a2));
		return 0;
	case FFE_SOCKET_E:
	case FFE_SOCKETPAIR_E:
		p_u32(e, a0);
		p_u32(e, a1);
		p_u32(e, a2);
		return 0;
	case FFE_CONNECT_E:
		p_fd(e, a0);
		p_usockaddr(e, (void *)a1, a2);
		return 0;
	case FFE_LISTEN_E:
		p_fd(e, a0);
		p_u32(e, a1);
		return 0;
	case FFE_SENDTO_E:
		p_fd(e, a0);
		p_u32(e, a2);
		p_tuple(e, fd_sock(cur(), (int)a0), 0, (void *)arg(regs, 4), arg(regs, 5));
		return 0;
	case FFE_SENDMSG_E: {
		struct user_msghdr m = msghdr(regs);

		p_fd(e, a0);
		p_u32(e, iov_total(m.msg_iov, m.msg_iovlen));
		p_tuple(e, fd_sock(cur(), (int)a0), 0, m.msg_name, m.msg_namelen);
		return 0;
	}
	case FFE_SHUTDOWN_E:
		p_fd(e, a0);
		p_u8(e, a1);
		return 0;
	case FFE_ACCEPT_E: /* accept4 */
		p_u32(e, a3);
		return 0;
	case FFE_MMAP_E:
		p_u64(e, a0);
		p_u64(e, a1);
		p_u32(e, prot_flags(a2));
		p_u32(e, mmap_flags(a3));
		p_fd(e, arg(regs, 4));
		p_u64(e, arg(regs, 5));
		return 0;
	case FFE_MUNMAP_E:
		p_u64(e, a0);
		p_u64(e, a1);
		return 0;
	case FFE_MPROTECT_E:
		p_u64(e, a0);
		p_u64(e, a1);
		p_u32(e, prot_flags(a2));
		return 0;
	case FFE_PTRACE_E:
		p_u16(e, ptrace_req(a0));
		p_u64(e, (__s64)(int)a1);
		return 0;
	case FFE_SETUID_E:
	case FFE_SETGID_E:
	case FFE_MKDIR_E: /* mode */
		p_u32(e, ev == FFE_MKDIR_E ? a1 : a0);
		return 0;
	case FFE_SETRESUID_E:
	case FFE_SETRESGID_E:
		p_u32(e, a0);
		p_u32(e, a1);
		p_u32(e, a2);
		return 0;
	case FFE_MOUNT_E:
		p_u32(e, (a3 & 0xffff0000) == 0xc0ed0000 ? (a3 & 0xffff) : a3);
		return 0;
	case FFE_UMOUNT_E:
		p_u32(e, a1);
		return 0;
	case FFE_EXECVE_E:
		p_ustr(e, (void *)a0);
		return 0;
	case FFE_EXECVEAT_E:
		p_fd(e, a0);
		p_ustr(e, (void *)a1);
		p_u32(e, ((arg(regs, 4) & 0x1000) ? 1 : 0) | ((arg(regs, 4) & 0x100) ? 2 : 0));
		return 0;
	case FFE_FCNTL_E:
		p_fd(e, a0);
		p_u8(e, fcntl_cmd(a1));
		return 0;
	case FFE_EVENTFD_E: /* eventfd(initval), eventfd2(initval, flags) */
		p_u64(e, (__u32)a0);
		p_u32(e, sys_nr(regs) == FF_NR_eventfd2 ? nb_cloexec(a1) : 0);
		return 0;
	case FFE_SIGNALFD_E: /* the first 32 signals of the mask */
		p_fd(e, a0);
		p_u32(e, (__u32)user_u64(a1));
		p_u8(e, sys_nr(regs) == FF_NR_signalfd4 ? nb_cloexec(arg(regs, 3)) : 0);
		return 0;
	case FFE_TIMERFD_CREATE_E:
		p_u8(e, a0);
		p_u8(e, nb_cloexec(a1));
		return 0;
	case FFE_INOTIFY_INIT_E:
		p_u8(e, sys_nr(regs) == FF_NR_inotify_init1 ? nb_cloexec(a0) : 0);
		return 0;
	case FFE_GETRLIMIT_E:
	case FFE_SETRLIMIT_E:
		p_u8(e, rlimit_res(a0));
		return 0;
	case FFE_PRLIMIT_E:
		p_u64(e, (__s64)(int)a0);
		p_u8(e, rlimit_res(a1));
		return 0;
	case FFE_SETPGID_E:
		p_u64(e, (__s64)(int)a0);
		p_u64(e, (__s64)(int)a1);
		return 0;
	case FFE_BRK_E:
		p_u64(e, a0);
		return 0;
	case FFE_SENDFILE_E:
		p_fd(e, a0);
		p_fd(e, a1);
		p_u64(e, user_u64(a2));
		p_u64(e, a3);
		return 0;
	case FFE_PREADV_E:
		p_fd(e, a0);
		p_u64(e, a3);
		return 0;
	case FFE_PWRITEV_E:
		p_fd(e, a0);
		p_u32(e, iov_total((void *)a1, a2));
		p_u64(e, a3);
		return 0;
	case FFE_SETNS_E:
		p_fd(e, a0);
		p_u32(e, clone_flags(a1));
		return 0;
	case FFE_UNSHARE_E:
		p_u32(e, clone_flags(a0));
		return 0;
	case FFE_BPF_E:
		p_u64(e, (__s64)(int)a0);
		return 0;
	case FFE_KILL_E:
	case FFE_TKILL_E:
		p_u64(e, (__s64)(int)a0);
		p_u8(e, a1);
		return 0;
	case FFE_TGKILL_E:
		p_u64(e, (__s64)(int)a0);
		p_u64(e, (__s64)(int)a1);
		p_u8(e, a2);
		return 0;
	case FFE_IOCTL_E:
		p_fd(e, a0);
		p_u64(e, a1);
		p_u64(e, a2);
		return 0;
	case FFE_SECCOMP_E:
		p_u64(e, a0);
		return 0;
	/* enter events without parameters */
	case FFE_GETCWD_E:
	case FFE_CHROOT_E:
	case FFE_SETSID_E:
	case FFE_USERFAULTFD_E:
	case FFE_PIPE_E:
	case FFE_CHDIR_E:
	case FFE_RENAME_E:
	case FFE_RENAMEAT_E:
	case FFE_RENAMEAT2_E:
	case FFE_SYMLINK_E:
	case FFE_SYMLINKAT_E:
	case FFE_LINK_E:
	case FFE_LINKAT_E:
	case FFE_UNLINK_E:
	case FFE_UNLINKAT_E:
	case FFE_MKDIRAT_E:
	case FFE_RMDIR_E:
	case FFE_CHMOD_E:
	case FFE_FCHMOD_E:
	case FFE_FCHMODAT_E:
	case FFE_CLONE_E:
	case FFE_FORK_E:
	case FFE_VFORK_E:
	case FFE_CLONE3_E:
	case FFE_ACCEPT_246_E:
		return 0;
	}
	return -1;
}

/* Exit events other than execve, clone and the socket calls.  Returns -1
 * when `ev` has no filler. */
FF_NOINLINE int fill_exit(struct ff_ev *e, struct pt_regs *regs, __u16 ev, long ret)
{
	__u64 a0 = arg(regs, 0), a1 = arg(regs, 1), a2 = arg(regs, 2), a3 = arg(regs, 3);
	struct file *f;

	switch (ev) {
	case FFE_OPEN_X:
		f = fd_file(cur(), ret);
		p_u64(e, ret);
		p_ustr(e, (void *)a0);
		p_u32(e, open_flags(a1) | created(f));
		p_u32(e, open_mode(a1, a2));
		p_file_devino(e, f, 1);
		return 0;
	case FFE_CREAT_X:
		f = fd_file(cur(), ret);
		p_u64(e, ret);
		p_ustr(e, (void *)a0);
		p_u32(e, a1 & 07777);
		p_file_devino(e, f, 1);
		p_u16(e, 0); /* creat_flags: overlay layers not resolved */
		return 0;
	case FFE_OPENAT_X:
		f = fd_file(cur(), ret);
		p_u64(e, ret);
		p_fd(e, a0);
		p_ustr(e, (void *)a1);
		p_u32(e, open_flags(a2) | created(f));
		p_u32(e, open_mode(a2, a3));
		p_file_devino(e, f, 1);
		return 0;
	case FFE_OPENAT2_X: {
		struct open_how how = {};

		FF_READ_USER(&how, sizeof(how), (void *)a2);
		f = fd_file(cur(), ret);
		p_u64(e, ret);
		p_fd(e, a0);
		p_ustr(e, (void *)a1);
		p_u32(e, open_flags(how.flags) | created(f));
		p_u32(e, open_mode(how.flags, how.mode));
		p_u32(e, resolve_flags(how.resolve));
		p_file_devino(e, f, 1);
		return 0;
	}
#ifndef FF_FILL_SKIP_RW
	case FFE_CLOSE_X:
#endif
	case FFE_FCHDIR_X:
		p_u64(e, ret);
		p_fd(e, a0);
		return 0;
#ifndef FF_FILL_SKIP_RW
	case FFE_READ_X:
	case FFE_WRITE_X:
		p_u64(e, ret);
		p_data(e, (void *)a1, ret);
		p_fd(e, a0);
		p_u32(e, a2);
		return 0;
#endif
	case FFE_PREAD_X:
	case FFE_PWRITE_X:
		p_u64(e, ret);
		p_data(e, (void *)a1, ret);
		p_fd(e, a0);
		p_u32(e, a2);
		p_u64(e, a3);
		return 0;
	case FFE_READV_X:
		p_u64(e, ret);
		p_u32(e, iov_total((void *)a1, a2));
		p_iov_data(e, (void *)a1, a2, ret);
		p_fd(e, a0);
		return 0;
	case FFE_WRITEV_X:
		p_u64(e, ret);
		p_iov_data(e, (void *)a1, a2, ret);
		p_fd(e, a0);
		p_u32(e, iov_total((void *)a1, a2));
		return 0;
	case FFE_PIPE_X: {
		int fds[2] = { -1, -1 };

		if (ret == 0)
			FF_READ_USER(fds, sizeof(fds), (void *)a0);
		f = ret == 0 ? fd_file(cur(), fds[0]) : NULL;
		p_u64(e, ret);
		p_u64(e, fds[0]);
		p_u64(e, fds[1]);
		p_u64(e, f ? ff_file_ino(f) : 0);
		return 0;
	}
	case FFE_CHDIR_X:
	case FFE_UNLINK_X:
	case FFE_RMDIR_X:
	case FFE_UMOUNT_X:
		p_u64(e, ret);
		p_ustr(e, (void *)a0);
		return 0;
	case FFE_MKDIR_X:
		p_u64(e, ret);
		p_ustr(e, (void *)a0);
		p_u32(e, a1);
		return 0;
	case FFE_DUP_X:
		p_u64(e, ret);
		return 0;
	case FFE_MMAP_X:
	case FFE_MUNMAP_X:
		p_u64(e, ret);
		p_mm_counters(e);
		p_u64(e, a0);
		p_u64(e, a1);
		if (ev == FFE_MMAP_X) {
			p_u32(e, prot_flags(a2));
			p_u32(e, mmap_flags(a3));
			p_fd(e, arg(regs, 4));
			p_u64(e, arg(regs, 5));
		}
		return 0;
	case FFE_MPROTECT_X:
		p_u64(e, ret);
		p_u64(e, a0);
		p_u64(e, a1);
		p_u32(e, prot_flags(a2));
		return 0;
	case FFE_PTRACE_X:
		p_u64(e, ret);
		p_begin(e);
		app_u8(e, 0); /* DYN selector 0: u64 */
		app_u64(e, arg(regs, 2));
		p_end(e);
		p_begin(e);
		app_u8(e, 0);
		app_u64(e, arg(regs, 3));
		p_end(e);
		p_u16(e, ptrace_req(a0));
		p_u64(e, (__s64)(int)a1);
		return 0;
	case FFE_RENAME_X:
	case FFE_LINK_X:
	case FFE_SYMLINK_X:
		p_u64(e, ret);
		p_ustr(e, (void *)a0);
		p_ustr(e, (void *)a1);
		return 0;
	case FFE_RENAMEAT_X:
	case FFE_RENAMEAT2_X:
	case FFE_LINKAT_X:
		p_u64(e, ret);
		p_fd(e, a0);
		p_ustr(e, (void *)a1);
		p_fd(e, a2);
		p_ustr(e, (void *)a3);
		if (ev == FFE_RENAMEAT2_X)
			p_u32(e, arg(regs, 4) & 7);
		else if (ev == FFE_LINKAT_X)
			p_u32(e, arg(regs, 4) & (0x400 | 0x1000));
		return 0;
	case FFE_SYMLINKAT_X:
		p_u64(e, ret);
		p_ustr(e, (void *)a0);
		p_fd(e, a1);
		p_ustr(e, (void *)a2);
		return 0;
	case FFE_UNLINKAT_X:
	case FFE_MKDIRAT_X:
	case FFE_FCHMODAT_X:
		p_u64(e, ret);
		p_fd(e, a0);
		p_ustr(e, (void *)a1);
		p_u32(e, ev == FFE_UNLINKAT_X ? (a2 & 0x200) : (a2 & 07777));
		return 0;
	case FFE_CHMOD_X:
		p_u64(e, ret);
		p_ustr(e, (void *)a0);
		p_u32(e, a1 & 07777);
		return 0;
	case FFE_FCHMOD_X:
		p_u64(e, ret);
		p_fd(e, a0);
		p_u32(e, a1 & 07777);
		return 0;
	case FFE_SETUID_X:
	case FFE_SETGID_X:
		p_u64(e, ret);
		p_u32(e, a0);
		return 0;
	case FFE_SETRESUID_X:
	case FFE_SETRESGID_X:
		p_u64(e, ret);
		p_u32(e, a0);
		p_u32(e, a1);
		p_u32(e, a2);
		return 0;
	case FFE_MOUNT_X:
		p_u64(e, ret);
		p_ustr(e, (void *)a0);
		p_ustr(e, (void *)a1);
		p_ustr(e, (void *)a2);
		p_u32(e, (a3 & 0xffff0000) == 0xc0ed0000 ? (a3 & 0xffff) : a3);
		return 0;
	case FFE_FCNTL_X:
		p_u64(e, ret);
		p_fd(e, a0);
		p_u8(e, fcntl_cmd(a1));
		p_u64(e, a2);
		return 0;
	case FFE_EVENTFD_X:
		p_u64(e, ret);
		p_u64(e, (__u32)a0);
		p_u32(e, sys_nr(regs) == FF_NR_eventfd2 ? nb_cloexec(a1) : 0);
		return 0;
	case FFE_SIGNALFD_X:
		p_u64(e, ret);
		p_fd(e, a0);
		p_u32(e, (__u32)user_u64(a1));
		p_u8(e, sys_nr(regs) == FF_NR_signalfd4 ? nb_cloexec(arg(regs, 3)) : 0);
		return 0;
	case FFE_TIMERFD_CREATE_X:
		p_u64(e, ret);
		p_u8(e, a0);
		p_u8(e, nb_cloexec(a1));
		return 0;
	case FFE_INOTIFY_INIT_X:
		p_u64(e, ret);
		p_u8(e, sys_nr(regs) == FF_NR_inotify_init1 ? nb_cloexec(a0) : 0);
		return 0;
	case FFE_GETRLIMIT_X: /* the limit the kernel wrote */
		p_u64(e, ret);
		p_urlimit(e, ret == 0 ? a1 : 0);
		p_u8(e, rlimit_res(a0));
		return 0;
	case FFE_SETRLIMIT_X: /* the limit asked for */
		p_u64(e, ret);
		p_urlimit(e, a1);
		p_u8(e, rlimit_res(a0));
		return 0;
	case FFE_PRLIMIT_X:
		p_u64(e, ret);
		p_urlimit(e, a2);
		p_urlimit(e, ret == 0 ? a3 : 0);
		p_u64(e, (__s64)(int)a0);
		p_u8(e, rlimit_res(a1));
		return 0;
	case FFE_SETPGID_X:
		p_u64(e, ret);
		p_u64(e, (__s64)(int)a0);
		p_u64(e, (__s64)(int)a1);
		return 0;
	case FFE_BRK_X:
		p_u64(e, ret);
		p_mm_counters(e);
		p_u64(e, a0);
		return 0;
	case FFE_SENDFILE_X:
		p_u64(e, ret);
		p_u64(e, user_u64(a2));
		p_fd(e, a0);
		p_fd(e, a1);
		p_u64(e, a3);
		return 0;
	case FFE_PREADV_X:
		p_u64(e, ret);
		p_u32(e, ret > 0 ? ret : 0);
		p_iov_data(e, (void *)a1, a2, ret);
		p_fd(e, a0);
		p_u64(e, a3);
		return 0;
	case FFE_PWRITEV_X:
		p_u64(e, ret);
		p_iov_data(e, (void *)a1, a2, ret);
		p_fd(e, a0);
		p_u32(e, iov_total((void *)a1, a2));
		p_u64(e, a3);
		return 0;
	case FFE_GETCWD_X:
		p_u64(e, ret);
		p_ustr(e, ret >= 0 ? (void *)a0 : NULL);
		return 0;
	case FFE_CHROOT_X:
		p_u64(e, ret);
		p_ustr(e, (void *)a0);
		return 0;
	case FFE_SETSID_X:
		p_u64(e, ret);
		return 0;
	case FFE_SETNS_X:
		p_u64(e, ret);
		p_fd(e, a0);
		p_u32(e, clone_flags(a1));
		return 0;
	case FFE_UNSHARE_X:
		p_u64(e, ret);
		p_u32(e, clone_flags(a0));
		return 0;
	case FFE_BPF_X: /* DYN: 0 a new fd (map or program), 1 an errno or other result */
		p_begin(e);
		app_u8(e, (ret >= 0 && (a0 == 0 || a0 == 5)) ? 0 : 1);
		app_u64(e, ret);
		p_end(e);
		return 0;
	case FFE_KILL_X:
	case FFE_TKILL_X:
		p_u64(e, ret);
		p_u64(e, (__s64)(int)a0);
		p_u8(e, a1);
		return 0;
	case FFE_TGKILL_X:
		p_u64(e, ret);
		p_u64(e, (__s64)(int)a0);
		p_u64(e, (__s64)(int)a1);
		p_u8(e, a2);
		return 0;
	case FFE_IOCTL_X:
		p_u64(e, ret);
		p_fd(e, a0);
		p_u64(e, a1);
		p_u64(e, a2);
		return 0;
	case FFE_SECCOMP_X:
		p_u64(e, ret);
		p_u64(e, a0);
		p_u64(e, a1);
		return 0;
	case FFE_USERFAULTFD_X:
		p_u64(e, ret);
		p_u32(e, nb_cloexec(a0));
		return 0;
	}
	return -1;
}

/* Is `ev` an exit event of fill_exit_net()? */
FF_INLINE int is_net_exit(__u16 ev)
{
	switch (ev) {
	case FFE_SOCKET_X:
	case FFE_BIND_X:
	case FFE_CONNECT_X:
	case FFE_LISTEN_X:
	case FFE_ACCEPT_X:
	case FFE_ACCEPT_247_X:
	case FFE_SENDTO_X:
	case FFE_RECVFROM_X:
	case FFE_SENDMSG_X:
	case FFE_RECVMSG_X:
	case FFE_SHUTDOWN_X:
	case FFE_SOCKETPAIR_X:
		return 1;
	}
	return 0;
}

/* Socket exits (the probe runs them in a program of their own, to keep each
 * program's verification within the kernel's instruction budget). */
FF_NOINLINE void fill_exit_net(struct ff_ev *e, struct pt_regs *regs, __u16 ev, long ret)
{
	__u64 a0 = arg(regs, 0), a1 = arg(regs, 1), a2 = arg(regs, 2), a3 = arg(regs, 3);

	switch (ev) {
	case FFE_SOCKET_X:
		p_u64(e, ret);
		p_u32(e, a0);
		p_u32(e, a1);
		p_u32(e, a2);
		p_u32(e, ((a1 & 04000) ? 64 : 0) | ((a1 & 02000000) ? 4096 : 0));
		return;
	case FFE_BIND_X:
		p_u64(e, ret);
		p_usockaddr(e, (void *)a1, a2);
		p_fd(e, a0);
		return;
	case FFE_CONNECT_X:
		p_u64(e, ret);
		if (ret == 0 || ret == -115 /* EINPROGRESS */)
			p_tuple(e, fd_sock(cur(), (int)a0), 0, (void *)a1, a2);
		else
			p_empty(e);
		p_fd(e, a0);
		p_usockaddr(e, (void *)a1, a2);
		return;
	case FFE_LISTEN_X:
		p_u64(e, ret);
		p_fd(e, a0);
		p_u32(e, a1);
		return;
	case FFE_ACCEPT_X:
	case FFE_ACCEPT_247_X: {
		__u32 qlen = 0, qmax = 0;

		ff_sock_backlog(fd_sock(cur(), (int)a0), &qlen, &qmax);
		p_u64(e, ret);
		if (ret >= 0)
			p_tuple(e, fd_sock(cur(), ret), 1, NULL, 0);
		else
			p_empty(e);
		p_u8(e, qmax ? (qlen * 100) / qmax : 0);
		p_u32(e, qlen);
		p_u32(e, qmax);
		return;
	}
	case FFE_SENDTO_X:
		p_u64(e, ret);
		p_data(e, (void *)a1, ret);
		p_fd(e, a0);
		p_u32(e, a2);
		p_tuple(e, fd_sock(cur(), (int)a0), 0, (void *)arg(regs, 4), arg(regs, 5));
		return;
	case FFE_RECVFROM_X: {
		__u32 ulen = 0;
		void *ua = (void *)arg(regs, 4);

		if (ua)
			FF_READ_USER(&ulen, sizeof(ulen), (void *)arg(regs, 5));
		p_u64(e, ret);
		p_data(e, (void *)a1, ret);
		p_tuple(e, ret >= 0 ? fd_sock(cur(), (int)a0) : NULL, 1, ua, ulen);
		p_fd(e, a0);
		p_u32(e, a2);
		return;
	}
	case FFE_SENDMSG_X: {
		struct user_msghdr m = msghdr(regs);

		p_u64(e, ret);
		p_iov_data(e, m.msg_iov, m.msg_iovlen, ret);
		p_fd(e, a0);
		p_u32(e, iov_total(m.msg_iov, m.msg_iovlen));
		p_tuple(e, fd_sock(cur(), (int)a0), 0, m.msg_name, m.msg_namelen);
		return;
	}
	case FFE_RECVMSG_X: {
		struct user_msghdr m = msghdr(regs);

		p_u64(e, ret);
		p_u32(e, ret > 0 ? ret : 0);
		p_iov_data(e, m.msg_iov, m.msg_iovlen, ret);
		p_tuple(e, ret >= 0 ? fd_sock(cur(), (int)a0) : NULL, 1, m.msg_name, m.msg_namelen);
		p_empty(e); /* msgcontrol */
		p_fd(e, a0);
		return;
	}
	case FFE_SHUTDOWN_X:
		p_u64(e, ret);
		p_fd(e, a0);
		p_u8(e, a1);
		return;
	case FFE_SOCKETPAIR_X: {
		int fds[2] = { -1, -1 };

		if (ret == 0)
			FF_READ_USER(fds, sizeof(fds), (void *)a3);
		p_u64(e, ret);
		p_u64(e, fds[0]);
		p_u64(e, fds[1]);
		p_u64(e, ret == 0 ? (__u64)fd_sock(cur(), fds[0]) : 0);
		p_u64(e, ret == 0 ? (__u64)fd_sock(cur(), fds[1]) : 0);
		p_u32(e, a0);
		p_u32(e, a1);
		p_u32(e, a2);
		return;
	}
	}
}

#endif
