# tests for replay
REPLAY_E2E = tests/e2e/replay_sysdig.sh tests/e2e/replay_cli.sh tests/e2e/replay_fields.sh \
	tests/e2e/replay_filter_errors.sh
TESTS += $(REPLAY_E2E)
EXTRA_DIST += $(REPLAY_E2E) tests/expected/gen_replay_expected.sh \
	tests/expected/curl_google.sysdig.txt tests/expected/single_ipv6_conn.sysdig.txt \
	tests/expected/test_ipv6_client.sysdig.txt tests/unit/evbuild.h \
	tests/e2e/replay_fields.cases tests/e2e/replay_fields_lib.sh \
	tests/expected/replay_fields.txt tests/expected/gen_replay_fields.sh

if FF_CMOCKA
check_PROGRAMS += tests/unit/test_state tests/unit/test_render
TESTS += tests/unit/test_state tests/unit/test_render
tests_unit_test_state_SOURCES = tests/unit/test_state.c tests/unit/evbuild.h
tests_unit_test_state_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_state_LDADD = $(FF_REPLAY_LIBS) $(CMOCKA_LIBS)
tests_unit_test_render_SOURCES = tests/unit/test_render.c tests/unit/evbuild.h
tests_unit_test_render_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
tests_unit_test_render_LDADD = $(FF_REPLAY_LIBS) $(CMOCKA_LIBS)
endif
