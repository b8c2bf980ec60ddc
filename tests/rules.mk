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

# libFuzzer target (./configure --enable-fuzz CC=clang).  The rules sources are
# compiled into it so that libFuzzer sees their coverage.
EXTRA_DIST += tests/fuzz/fuzz_filter.c tests/fuzz/fuzz_filter_seeds.c
if FF_FUZZ
FF_FUZZ_FLAGS = -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer
noinst_PROGRAMS += tests/fuzz/fuzz_filter tests/fuzz/fuzz_filter_seeds
tests_fuzz_fuzz_filter_SOURCES = tests/fuzz/fuzz_filter.c tests/unit/mock_fields.c \
	rules/ff_field.c rules/ff_filter.c rules/ff_filter_eval.c rules/ff_dns.c
tests_fuzz_fuzz_filter_CFLAGS = $(AM_CFLAGS) $(FF_FUZZ_FLAGS) -I$(top_srcdir)/tests/unit
tests_fuzz_fuzz_filter_LDFLAGS = $(FF_FUZZ_FLAGS)
tests_fuzz_fuzz_filter_LDADD = $(FF_CAPTURE_LIBS)
tests_fuzz_fuzz_filter_seeds_SOURCES = tests/fuzz/fuzz_filter_seeds.c
tests_fuzz_fuzz_filter_seeds_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)
tests_fuzz_fuzz_filter_seeds_LDADD = $(YAML_LIBS)

# `all` first: the generated event-table headers are BUILT_SOURCES
fuzz-filter:
	$(MAKE) $(AM_MAKEFLAGS) all
	@mkdir -p tests/fuzz/fuzz_filter_corpus
	./tests/fuzz/fuzz_filter_seeds tests/fuzz/fuzz_filter_corpus \
	  "$${FF_SHARED:-$(abs_top_srcdir)/../shared}"/rules-upstream/*.yaml
	./tests/fuzz/fuzz_filter -max_total_time=$${FUZZ_SECONDS:-60} -max_len=4096 \
	  -timeout=10 tests/fuzz/fuzz_filter_corpus
else
fuzz-filter:
	@echo "fuzz-filter: reconfigure with --enable-fuzz CC=clang" >&2; exit 1
endif
.PHONY: fuzz-filter
FUZZ_TARGETS += fuzz-filter
