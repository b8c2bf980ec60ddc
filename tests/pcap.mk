# tests for capture/ff_pcap: hand-built packet files (any user) and a loopback
# recording (root; skipped otherwise), checked against tshark when installed.
if FF_CMOCKA
check_PROGRAMS += tests/unit/test_pcap
TESTS += tests/unit/test_pcap
tests_unit_test_pcap_SOURCES = tests/unit/test_pcap.c tests/unit/pktbuild.h
tests_unit_test_pcap_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(PCAP_CFLAGS)
tests_unit_test_pcap_LDADD = $(FF_PCAP_LIBS) $(CMOCKA_LIBS)
endif
# falco-capture keeps a capture and its packets together (-r IN -w OUT), any user
TESTS += tests/e2e/capture_pcap.sh
EXTRA_DIST += tests/e2e/capture_pcap.sh
