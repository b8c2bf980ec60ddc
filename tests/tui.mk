# tests for tui/: the model (cmocka) and falco-tui driven through tmux.
TUI_E2E = tests/e2e/tui.sh tests/e2e/tui_pcap.sh
TESTS += $(TUI_E2E)
# tui_pcap: the packets beside the capture are written by mkpcap (tests/query.mk)
# the time-travel test builds a multi-frame capture with it
check_PROGRAMS += tests/bench/mkbig
EXTRA_DIST += $(TUI_E2E) tests/e2e/tui_lib.sh

if FF_CMOCKA
check_PROGRAMS += tests/unit/test_tuimodel
TESTS += tests/unit/test_tuimodel
tests_unit_test_tuimodel_SOURCES = tests/unit/test_tuimodel.c tests/unit/evbuild.h \
	tests/unit/pktbuild.h
tests_unit_test_tuimodel_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(PCAP_CFLAGS)
tests_unit_test_tuimodel_LDADD = $(FF_TUI_LIBS) $(CMOCKA_LIBS)
endif

# time to first screen on a ten-million-event capture (not a test)
bench-tui: falco-tui tests/bench/mkbig
	top_builddir='$(abs_top_builddir)' FF_SHARED="$${FF_SHARED:-$(abs_top_srcdir)/../shared}" \
	  $(SHELL) $(top_srcdir)/tests/bench/bench_tui.sh
.PHONY: bench-tui
EXTRA_DIST += tests/bench/bench_tui.sh
