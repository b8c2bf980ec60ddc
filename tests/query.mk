# tests for query (falco-query)
QUERY_E2E = tests/e2e/query_sysdig.sh tests/e2e/query_cli.sh tests/e2e/query_alerts.sh
TESTS += $(QUERY_E2E)
EXTRA_DIST += $(QUERY_E2E) tests/e2e/query_sysdig.cases tests/expected/query_counts.txt \
	tests/bench/bench_query.sh

if FF_CMOCKA
check_PROGRAMS += tests/unit/test_sqlfn
TESTS += tests/unit/test_sqlfn
tests_unit_test_sqlfn_SOURCES = tests/unit/test_sqlfn.c
tests_unit_test_sqlfn_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_sqlfn_LDADD = $(FF_QUERY_LIBS) $(CMOCKA_LIBS)
check_PROGRAMS += tests/unit/test_index
TESTS += tests/unit/test_index
tests_unit_test_index_SOURCES = tests/unit/test_index.c
tests_unit_test_index_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(SQLITE_CFLAGS)
tests_unit_test_index_LDADD = $(FF_QUERY_LIBS) $(CMOCKA_LIBS)
endif

# indexing and query benchmark (not a test): make bench-query
bench-query: falco-query
	@$(MAKE) $(AM_MAKEFLAGS) tests/bench/mkbig$(EXEEXT)
	top_builddir='$(abs_top_builddir)' FF_SHARED="$${FF_SHARED:-$(abs_top_srcdir)/../shared}" \
	  $(SHELL) $(top_srcdir)/tests/bench/bench_query.sh
.PHONY: bench-query

# packets joined with captures (falco-query --pcap); mkpcap writes the packets
TESTS += tests/e2e/query_pcap.sh
EXTRA_DIST += tests/e2e/query_pcap.sh tests/unit/pktbuild.h
check_PROGRAMS += tests/unit/mkpcap
tests_unit_mkpcap_SOURCES = tests/unit/mkpcap.c tests/unit/pktbuild.h
tests_unit_mkpcap_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
tests_unit_mkpcap_LDADD = $(PCAP_LIBS)
