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
