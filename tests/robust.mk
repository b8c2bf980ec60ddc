# tests for robust: reader robustness (unit, corruption over real captures),
# the libFuzzer target and the read benchmark.
EXTRA_DIST += tests/unit/rb_build.h

if FF_CMOCKA
check_PROGRAMS += tests/unit/test_reader
TESTS += tests/unit/test_reader
tests_unit_test_reader_SOURCES = tests/unit/test_reader.c tests/unit/rb_build.h
tests_unit_test_reader_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(FF_CAPTURE_CFLAGS)
tests_unit_test_reader_LDADD = $(FF_CAPTURE_LIBS) $(CMOCKA_LIBS)
endif

check_PROGRAMS += tests/unit/test_corrupt
TESTS += tests/unit/test_corrupt
tests_unit_test_corrupt_SOURCES = tests/unit/test_corrupt.c tests/unit/rb_build.h
tests_unit_test_corrupt_CFLAGS = $(AM_CFLAGS) $(FF_CAPTURE_CFLAGS)
tests_unit_test_corrupt_LDADD = $(FF_CAPTURE_LIBS)

# libFuzzer target (./configure --enable-fuzz CC=clang): make fuzz-reader
# builds a seed corpus (hand-made captures + the real ones from $FF_SHARED)
# and fuzzes for FUZZ_SECONDS (default 60); a crash fails the target and
# leaves the input in tests/fuzz/reader/artifacts/.
EXTRA_DIST += tests/fuzz/fuzz_reader.c tests/fuzz/mkseeds.c
if FF_FUZZ
EXTRA_PROGRAMS += tests/fuzz/fuzz_reader tests/fuzz/mkseeds
tests_fuzz_fuzz_reader_SOURCES = tests/fuzz/fuzz_reader.c
tests_fuzz_fuzz_reader_CFLAGS = $(AM_CFLAGS) $(FF_CAPTURE_CFLAGS)
tests_fuzz_fuzz_reader_LDFLAGS = -fsanitize=fuzzer
tests_fuzz_fuzz_reader_LDADD = $(FF_CAPTURE_LIBS)
tests_fuzz_mkseeds_SOURCES = tests/fuzz/mkseeds.c tests/unit/rb_build.h
tests_fuzz_mkseeds_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_fuzz_mkseeds_CFLAGS = $(AM_CFLAGS) $(FF_CAPTURE_CFLAGS)
tests_fuzz_mkseeds_LDADD = $(FF_CAPTURE_LIBS)
CLEANFILES += tests/fuzz/fuzz_reader$(EXEEXT) tests/fuzz/mkseeds$(EXEEXT)
FUZZ_READER_DIR = tests/fuzz/reader
fuzz-reader: $(BUILT_SOURCES)
	@$(MAKE) $(AM_MAKEFLAGS) tests/fuzz/fuzz_reader$(EXEEXT) tests/fuzz/mkseeds$(EXEEXT)
	@rm -rf $(FUZZ_READER_DIR)/seeds && \
	  mkdir -p $(FUZZ_READER_DIR)/seeds $(FUZZ_READER_DIR)/corpus $(FUZZ_READER_DIR)/artifacts
	@caps=$${FF_SHARED:-$(abs_top_srcdir)/../shared}/captures; \
	  if test -d "$$caps"; then set -- "$$caps"/*.scap; else set --; \
	    echo "fuzz-reader: no real captures at $$caps, hand-made seeds only"; fi; \
	  tests/fuzz/mkseeds$(EXEEXT) $(FUZZ_READER_DIR)/seeds "$$@"
	tests/fuzz/fuzz_reader$(EXEEXT) -max_total_time=$${FUZZ_SECONDS:-60} -timeout=10 \
	  -rss_limit_mb=2048 -max_len=$${FUZZ_MAX_LEN:-262144} -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_READER_DIR)/artifacts/ \
	  $(FUZZ_READER_DIR)/corpus $(FUZZ_READER_DIR)/seeds
else
fuzz-reader:
	@echo "fuzz-reader: configure with --enable-fuzz CC=clang first" >&2; exit 1
endif
.PHONY: fuzz-reader

# Read benchmark (not a test): make bench.  BENCH_CAPTURE, BENCH_COPIES and
# BENCH_DIR tune it, see tests/bench/bench_read.sh.
EXTRA_PROGRAMS += tests/bench/mkbig tests/bench/bench_read
tests_bench_mkbig_SOURCES = tests/bench/mkbig.c tests/unit/rb_build.h
tests_bench_mkbig_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tests/unit
tests_bench_mkbig_CFLAGS = $(AM_CFLAGS) $(FF_CAPTURE_CFLAGS)
tests_bench_mkbig_LDADD = $(FF_CAPTURE_LIBS)
tests_bench_bench_read_SOURCES = tests/bench/bench_read.c
tests_bench_bench_read_LDADD = $(FF_CAPTURE_LIBS)
EXTRA_DIST += tests/bench/bench_read.sh
CLEANFILES += tests/bench/mkbig$(EXEEXT) tests/bench/bench_read$(EXEEXT)
bench: $(BUILT_SOURCES)
	@$(MAKE) $(AM_MAKEFLAGS) tests/bench/mkbig$(EXEEXT) tests/bench/bench_read$(EXEEXT)
	top_builddir='$(abs_top_builddir)' FF_SHARED="$${FF_SHARED:-$(abs_top_srcdir)/../shared}" \
	  SYSDIG='$(SYSDIG)' $(SHELL) $(top_srcdir)/tests/bench/bench_read.sh
.PHONY: bench
FUZZ_TARGETS += fuzz-reader
