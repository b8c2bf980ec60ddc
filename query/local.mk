# query/: the capture indexer, SQL functions, falco-query.  See ARCHITECTURE.md.
noinst_LIBRARIES += query/libffquery.a
query_libffquery_a_SOURCES = \
	query/ff_index.c query/ff_index.h \
	query/ff_rowq.c query/ff_rowq.h \
	query/ff_sqlfn.c query/ff_sqlfn.h \
	query/ff_pktindex.c query/ff_pktindex.h \
	query/ff_qalerts.c query/ff_qalerts.h
query_libffquery_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(PCAP_CFLAGS)

FF_QUERY_LIBS = query/libffquery.a $(FF_ENGINE_LIBS) capture/libffpcap.a $(SQLITE_LIBS) \
	$(PCAP_LIBS) -lpthread

bin_PROGRAMS += falco-query
falco_query_SOURCES = query/falco-query.c
falco_query_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(EDIT_CFLAGS)
falco_query_LDADD = $(FF_QUERY_LIBS) $(FF_FEED_LIBS) $(FF_QUERY_LIBS) $(EDIT_LIBS)
dist_man_MANS += man/falco-query.1
