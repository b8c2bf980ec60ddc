// SPDX-License-Identifier: GPL-2.0-only
/*
 * The floor of any syscall probe: programs attached to the same tracepoints as
 * ff_probe.bpf.c (tp_btf sys_enter / sys_exit) that return at once.  What the
 * benchmark measures with them is the price of being attached at all; what
 * our probe adds beyond it is the cost of building and queueing events.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sys_enter")
int BPF_PROG(ff_floor_enter, struct pt_regs *regs, long nr)
{
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(ff_floor_exit, struct pt_regs *regs, long ret)
{
	return 0;
}
