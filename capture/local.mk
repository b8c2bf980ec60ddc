# capture/: .scap reading and writing, falco-capture.
noinst_LIBRARIES += capture/libffcapture.a
capture_libffcapture_a_SOURCES = \
	capture/ff_err.c capture/ff_err.h \
	capture/ff_evt.c capture/ff_evt.h \
	capture/ff_evtbuild.c capture/ff_evtbuild.h \
	capture/ff_istream.c capture/ff_istream.h \
	capture/ff_reader.c capture/ff_reader.h capture/ff_scap.h \
	capture/ff_meta.c capture/ff_meta.h \
	capture/ff_num.c capture/ff_num.h \
	capture/ff_stop.c capture/ff_stop.h \
	capture/ff_seekidx.c capture/ff_seekidx.h \
	capture/ff_procscan.c capture/ff_procscan.h \
	capture/ff_writer.c capture/ff_writer.h

# every program links the capture library and the generated event tables
FF_CAPTURE_LIBS = capture/libffcapture.a driver/libffevents.a $(ZSTD_LIBS) $(ZLIB_LIBS)
FF_CAPTURE_CFLAGS = $(ZSTD_CFLAGS) $(ZLIB_CFLAGS)

# live events from whichever driver is built in (capture/ff_source.h)
noinst_LIBRARIES += capture/libffsource.a
capture_libffsource_a_SOURCES = capture/ff_source.c capture/ff_source.h
capture_libffsource_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/driver/bpf \
	-I$(top_srcdir)/driver/kmod -DFF_HAVE_KMOD
FF_SOURCE_LIBS = capture/libffsource.a $(FF_KMOD_LIBS)
if FF_BPF
FF_SOURCE_LIBS += $(FF_BPF_LIBS)
endif

bin_PROGRAMS += falco-capture
falco_capture_SOURCES = capture/falco-capture.c
falco_capture_LDADD = $(FF_SOURCE_LIBS) capture/libffpcap.a $(FF_REPLAY_LIBS) $(PCAP_LIBS) -lpthread
dist_man_MANS += man/falco-capture.1

# packets beside syscalls (libpcap); linked only by the programs that record or join them
noinst_LIBRARIES += capture/libffpcap.a
capture_libffpcap_a_SOURCES = capture/ff_pcap.c capture/ff_pcap.h
capture_libffpcap_a_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)
FF_PCAP_LIBS = capture/libffpcap.a capture/libffcapture.a $(PCAP_LIBS) -lpthread
