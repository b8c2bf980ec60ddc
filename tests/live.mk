# live capture end to end (root, BPF; the scripts skip with the reason otherwise)
LIVE_E2E = tests/e2e/live_capture.sh tests/e2e/live_rotate.sh tests/e2e/live_replay.sh \
	tests/e2e/pcap_live.sh tests/e2e/tui_live.sh tests/e2e/query_live.sh
TESTS += $(LIVE_E2E)
# pcap_live: a loopback client and server of known sizes, packets beside syscalls
check_PROGRAMS += tests/unit/tcpxfer
tests_unit_tcpxfer_SOURCES = tests/unit/tcpxfer.c
EXTRA_DIST += $(LIVE_E2E) tests/e2e/live_lib.sh

# figures, not a test: make bench-live (root)
EXTRA_PROGRAMS += tests/bench/bench_sysloop
tests_bench_bench_sysloop_SOURCES = tests/bench/bench_sysloop.c
CLEANFILES += tests/bench/bench_sysloop
EXTRA_DIST += tests/bench/bench_live.sh
if FF_BPF
BENCH_LIVE_DEPS = tests/bench/bench_probe_cost
endif
bench-live: falco-capture tests/bench/bench_sysloop $(BENCH_LIVE_DEPS)
	top_builddir='$(abs_top_builddir)' $(SHELL) $(top_srcdir)/tests/bench/bench_live.sh
.PHONY: bench-live

# Each live test records every process on the host and compares the whole
# capture with sysdig: they must not record each other, so they run in turn.
# (targets through variables: a plain rule would override automake's own)
FF_LIVE_SECOND = tests/e2e/live_rotate.sh.log
FF_LIVE_THIRD = tests/bpf/test_bpf_live.log
FF_LIVE_FOURTH = tests/e2e/live_replay.sh.log
FF_LIVE_FIFTH = tests/e2e/pcap_live.sh.log
FF_LIVE_SIXTH = tests/e2e/tui_live.sh.log
FF_LIVE_SEVENTH = tests/e2e/query_live.sh.log
$(FF_LIVE_SECOND): tests/e2e/live_capture.sh.log
$(FF_LIVE_THIRD): $(FF_LIVE_SECOND)
$(FF_LIVE_FOURTH): $(FF_LIVE_THIRD)
$(FF_LIVE_FIFTH): $(FF_LIVE_FOURTH)
$(FF_LIVE_SIXTH): $(FF_LIVE_FIFTH)
$(FF_LIVE_SEVENTH): $(FF_LIVE_SIXTH)
