# tests for the live BPF driver: run as root, skipped (77) otherwise.
if FF_BPF
check_PROGRAMS += tests/bpf/test_bpf_live
TESTS += tests/bpf/test_bpf_live
tests_bpf_test_bpf_live_SOURCES = tests/bpf/test_bpf_live.c
tests_bpf_test_bpf_live_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/driver/bpf
tests_bpf_test_bpf_live_LDADD = $(FF_BPF_LIBS)

# benchmark (not a test): make bench-bpf
EXTRA_PROGRAMS += tests/bench/bench_bpf_drain
tests_bench_bench_bpf_drain_SOURCES = tests/bench/bench_bpf_drain.c
tests_bench_bench_bpf_drain_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/driver/bpf
tests_bench_bench_bpf_drain_LDADD = $(FF_BPF_LIBS)
CLEANFILES += tests/bench/bench_bpf_drain
bench-bpf: tests/bench/bench_bpf_drain
	top_builddir='$(abs_top_builddir)' $(SHELL) $(top_srcdir)/tests/bench/bench_bpf.sh
endif
.PHONY: bench-bpf
EXTRA_DIST += tests/bench/bench_bpf.sh

# The probe's cost per captured syscall against the floor (empty programs on
# the same tracepoints): make bench-probe-cost, also run by make bench-live.
if FF_BPF
tests/bench/ff_floor.bpf.o: $(top_srcdir)/tests/bench/ff_floor.bpf.c driver/bpf/vmlinux.h
	$(AM_V_CC)$(BPF_CLANG) $(BPF_CFLAGS) -c $(top_srcdir)/tests/bench/ff_floor.bpf.c -o $@
tests/bench/ff_floor.skel.h: tests/bench/ff_floor.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name ff_floor > $@.tmp && mv $@.tmp $@
EXTRA_PROGRAMS += tests/bench/bench_probe_cost
tests_bench_bench_probe_cost_SOURCES = tests/bench/bench_probe_cost.c
$(tests_bench_bench_probe_cost_OBJECTS): tests/bench/ff_floor.skel.h
tests_bench_bench_probe_cost_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/driver/bpf \
	-I$(top_builddir)/tests/bench
tests_bench_bench_probe_cost_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
tests_bench_bench_probe_cost_LDADD = $(FF_BPF_LIBS)
CLEANFILES += tests/bench/bench_probe_cost tests/bench/ff_floor.bpf.o tests/bench/ff_floor.skel.h
bench-probe-cost: tests/bench/bench_probe_cost
	@if [ "$$(id -u)" != 0 ]; then echo "bench-probe-cost: needs root (skipped)"; \
	else tests/bench/bench_probe_cost $${N:-1000000} $${ROUNDS:-3}; fi
endif
.PHONY: bench-probe-cost
EXTRA_DIST += tests/bench/ff_floor.bpf.c
