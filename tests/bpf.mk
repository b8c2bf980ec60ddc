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
