# tests for the rules loader: cmocka unit tests over fixtures and the
# upstream rules files ($FF_SHARED/rules-upstream), plus a libFuzzer target.
LOADER_FIXTURES = tests/rules/hostile_alias_bomb.yaml tests/rules/user_overrides.yaml
EXTRA_DIST += $(LOADER_FIXTURES) tests/fuzz/fuzz_rules.c tests/fuzz/fuzz_config.c tests/fuzz/config-seeds

if FF_CMOCKA
check_PROGRAMS += tests/unit/test_rules_load
TESTS += tests/unit/test_rules_load
tests_unit_test_rules_load_SOURCES = tests/unit/test_rules_load.c
tests_unit_test_rules_load_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(YAML_CFLAGS)
tests_unit_test_rules_load_LDADD = $(FF_LOADER_LIBS) $(CMOCKA_LIBS)
endif

# libFuzzer target (./configure --enable-fuzz CC=clang): make fuzz-rules
# fuzzes ff_rules_load_buf for FUZZ_SECONDS (default 60), seeded with the
# upstream rules files and the fixtures.  The loader sources are compiled
# into the target so that libFuzzer sees their coverage.
if FF_FUZZ
EXTRA_PROGRAMS += tests/fuzz/fuzz_rules
tests_fuzz_fuzz_rules_SOURCES = tests/fuzz/fuzz_rules.c $(FF_LOADER_SOURCES) capture/ff_err.c \
	capture/ff_num.c
tests_fuzz_fuzz_rules_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_rules_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_rules_LDADD = $(YAML_LIBS)
CLEANFILES += tests/fuzz/fuzz_rules$(EXEEXT)
FUZZ_RULES_DIR = tests/fuzz/rules
fuzz-rules: $(BUILT_SOURCES)
	@$(MAKE) $(AM_MAKEFLAGS) tests/fuzz/fuzz_rules$(EXEEXT)
	@mkdir -p $(FUZZ_RULES_DIR)/seeds $(FUZZ_RULES_DIR)/corpus $(FUZZ_RULES_DIR)/artifacts
	@up=$${FF_SHARED:-$(abs_top_srcdir)/../shared}/rules-upstream; \
	  if test -d "$$up"; then cp "$$up"/*.yaml $(FUZZ_RULES_DIR)/seeds/; else \
	    echo "fuzz-rules: no upstream rules at $$up, fixtures only"; fi; \
	  cp $(addprefix $(top_srcdir)/,$(LOADER_FIXTURES)) $(FUZZ_RULES_DIR)/seeds/
	tests/fuzz/fuzz_rules$(EXEEXT) -max_total_time=$${FUZZ_SECONDS:-60} -timeout=10 \
	  -rss_limit_mb=2048 -max_len=$${FUZZ_MAX_LEN:-300000} -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_RULES_DIR)/artifacts/ \
	  $(FUZZ_RULES_DIR)/corpus $(FUZZ_RULES_DIR)/seeds

# make fuzz-config: falco.yaml-style configs (ff_config), seeded with
# tests/fuzz/config-seeds (valid configs of every key we read)
EXTRA_PROGRAMS += tests/fuzz/fuzz_config
tests_fuzz_fuzz_config_SOURCES = tests/fuzz/fuzz_config.c rules/ff_config.c $(FF_LOADER_SOURCES) \
	capture/ff_err.c capture/ff_num.c
tests_fuzz_fuzz_config_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_config_LDFLAGS = -fsanitize=fuzzer,address,undefined
tests_fuzz_fuzz_config_LDADD = $(YAML_LIBS)
CLEANFILES += tests/fuzz/fuzz_config$(EXEEXT)
FUZZ_CONFIG_DIR = tests/fuzz/config
fuzz-config: $(BUILT_SOURCES)
	@$(MAKE) $(AM_MAKEFLAGS) tests/fuzz/fuzz_config$(EXEEXT)
	@mkdir -p $(FUZZ_CONFIG_DIR)/corpus $(FUZZ_CONFIG_DIR)/artifacts
	tests/fuzz/fuzz_config$(EXEEXT) -max_total_time=$${FUZZ_SECONDS:-60} -timeout=10 \
	  -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_CONFIG_DIR)/artifacts/ \
	  $(FUZZ_CONFIG_DIR)/corpus $(top_srcdir)/tests/fuzz/config-seeds
else
fuzz-rules fuzz-config:
	@echo "$@: configure with --enable-fuzz CC=clang first" >&2; exit 1
endif
.PHONY: fuzz-rules
FUZZ_TARGETS += fuzz-rules fuzz-config
