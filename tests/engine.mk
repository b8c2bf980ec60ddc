# tests for the rule engine: alert cases built from text specs (tests/rules/mkcap),
# falco-replay's alert mode, loader error categories, config and outputs.
check_PROGRAMS += tests/rules/mkcap
tests_rules_mkcap_SOURCES = tests/rules/mkcap.c
tests_rules_mkcap_LDADD = $(FF_CAPTURE_LIBS)

TESTS += tests/e2e/rules_cases.sh tests/e2e/rules_validate.sh tests/e2e/replay_alert.sh \
	tests/e2e/replay_syslog.sh
check_PROGRAMS += tests/unit/logsink
tests_unit_logsink_SOURCES = tests/unit/logsink.c
EXTRA_DIST += tests/e2e/replay_syslog.sh tests/rules/engine_semantics.yaml tests/rules/falco_view.yaml tests/e2e/rules_cases.sh tests/e2e/rules_validate.sh tests/e2e/replay_alert.sh tests/expected/demo_alerts.txt tests/expected/demo_alerts.json tests/rules/cases tests/rules/bad

if FF_CMOCKA
check_PROGRAMS += tests/unit/test_outputs
TESTS += tests/unit/test_outputs
endif
tests_unit_test_outputs_SOURCES = tests/unit/test_outputs.c
tests_unit_test_outputs_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_outputs_LDADD = $(FF_ENGINE_LIBS) $(CMOCKA_LIBS)

# rule engine benchmark (not a test): make bench-rules
EXTRA_DIST += tests/bench/bench_rules.sh
bench-rules: falco-replay
	@$(MAKE) $(AM_MAKEFLAGS) tests/bench/mkbig$(EXEEXT)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  FF_SHARED="$${FF_SHARED:-$(abs_top_srcdir)/../shared}" $(SHELL) $(top_srcdir)/tests/bench/bench_rules.sh
.PHONY: bench-rules
