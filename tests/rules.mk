# tests for rules/: cmocka unit tests of the filter language, and its fuzzer.
EXTRA_DIST += tests/unit/mock_fields.h

if FF_CMOCKA
check_PROGRAMS += tests/unit/test_filter tests/unit/test_filter_upstream
TESTS += tests/unit/test_filter tests/unit/test_filter_upstream
endif
tests_unit_test_filter_SOURCES = tests/unit/test_filter.c tests/unit/mock_fields.c
tests_unit_test_filter_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_filter_LDADD = $(FF_RULES_LIBS) $(CMOCKA_LIBS)

# every `condition:` of the upstream rules files must compile (macros expanded)
tests_unit_test_filter_upstream_SOURCES = tests/unit/test_filter_upstream.c tests/unit/mock_fields.c
tests_unit_test_filter_upstream_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_filter_upstream_LDADD = $(FF_RULES_LIBS) $(CMOCKA_LIBS) $(YAML_LIBS)
