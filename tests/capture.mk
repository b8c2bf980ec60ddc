# tests for capture
if FF_CMOCKA
check_PROGRAMS += tests/unit/test_meta
TESTS += tests/unit/test_meta
tests_unit_test_meta_SOURCES = tests/unit/test_meta.c
tests_unit_test_meta_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_meta_LDADD = $(FF_CAPTURE_LIBS) $(CMOCKA_LIBS)
endif
if FF_CMOCKA
check_PROGRAMS += tests/unit/test_num
TESTS += tests/unit/test_num
tests_unit_test_num_SOURCES = tests/unit/test_num.c
tests_unit_test_num_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_num_LDADD = $(FF_CAPTURE_LIBS) $(CMOCKA_LIBS)
endif
if FF_CMOCKA
check_PROGRAMS += tests/unit/test_writer
TESTS += tests/unit/test_writer
tests_unit_test_writer_SOURCES = tests/unit/test_writer.c
tests_unit_test_writer_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_writer_LDADD = $(FF_CAPTURE_LIBS) $(CMOCKA_LIBS)
endif

CAPTURE_E2E = tests/e2e/capture_roundtrip.sh tests/e2e/capture_comments.sh \
	tests/e2e/capture_cli.sh
TESTS += $(CAPTURE_E2E)
EXTRA_DIST += $(CAPTURE_E2E)

# benchmark (not a test): make bench-write
EXTRA_PROGRAMS += tests/bench/bench_gen
tests_bench_bench_gen_SOURCES = tests/bench/bench_gen.c
tests_bench_bench_gen_LDADD = $(FF_CAPTURE_LIBS)
EXTRA_DIST += tests/bench/bench_write.sh
CLEANFILES += tests/bench/bench_gen
bench-write: falco-capture tests/bench/bench_gen
	top_builddir='$(abs_top_builddir)' FF_SHARED="$${FF_SHARED:-$(abs_top_srcdir)/../shared}" \
	  $(SHELL) $(top_srcdir)/tests/bench/bench_write.sh
.PHONY: bench-write
