# tests for replay
REPLAY_E2E = tests/e2e/replay_sysdig.sh tests/e2e/replay_cli.sh tests/e2e/replay_fields.sh \
	tests/e2e/replay_filter_errors.sh tests/e2e/replay_state.sh tests/e2e/replay_dns.sh
TESTS += $(REPLAY_E2E)
EXTRA_DIST += $(REPLAY_E2E) tests/expected/gen_replay_expected.sh \
	tests/expected/curl_google.sysdig.txt tests/expected/single_ipv6_conn.sysdig.txt \
	tests/expected/test_ipv6_client.sysdig.txt tests/unit/evbuild.h \
	tests/e2e/replay_fields.cases tests/e2e/replay_fields_lib.sh \
	tests/expected/replay_fields.txt tests/expected/gen_replay_fields.sh tests/e2e/state

if FF_CMOCKA
check_PROGRAMS += tests/unit/test_state tests/unit/test_render tests/unit/test_sysfields \
	tests/unit/test_path
TESTS += tests/unit/test_state tests/unit/test_render tests/unit/test_sysfields tests/unit/test_path
tests_unit_test_path_SOURCES = tests/unit/test_path.c
tests_unit_test_path_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_path_LDADD = $(FF_REPLAY_LIBS) $(CMOCKA_LIBS)
tests_unit_test_sysfields_SOURCES = tests/unit/test_sysfields.c tests/unit/evbuild.h
tests_unit_test_sysfields_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_sysfields_LDADD = $(FF_REPLAY_LIBS) $(CMOCKA_LIBS)
tests_unit_test_state_SOURCES = tests/unit/test_state.c tests/unit/evbuild.h
tests_unit_test_state_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_state_LDADD = $(FF_REPLAY_LIBS) $(CMOCKA_LIBS)
tests_unit_test_render_SOURCES = tests/unit/test_render.c tests/unit/evbuild.h
tests_unit_test_render_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_render_LDADD = $(FF_REPLAY_LIBS) $(CMOCKA_LIBS)
endif

# listing benchmark (not a test): make bench-list
EXTRA_DIST += tests/bench/bench_list.sh
bench-list: falco-replay
	@$(MAKE) $(AM_MAKEFLAGS) tests/bench/mkbig$(EXEEXT)
	top_builddir='$(abs_top_builddir)' FF_SHARED="$${FF_SHARED:-$(abs_top_srcdir)/../shared}" \
	  $(SHELL) $(top_srcdir)/tests/bench/bench_list.sh
.PHONY: bench-list
