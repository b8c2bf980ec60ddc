#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Added cost per syscall of the BPF probe on a getppid() loop, and the drain
# rate of one consumer thread.  Root only; short runs (2 cores shared).
set -e
b="${top_builddir:-.}/tests/bench/bench_bpf_drain"
n="${N:-2000000}"
[ "$(id -u)" = 0 ] || { echo "bench_bpf: needs root"; exit 0; }
for i in 1 2; do
	"$b" bare "$n"
	"$b" --probe "$n"
done
