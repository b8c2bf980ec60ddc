# samples/: captures and rules the project made itself.
noinst_PROGRAMS += samples/mksample
samples_mksample_SOURCES = samples/mksample.c
samples_mksample_LDADD = $(FF_CAPTURE_LIBS)
EXTRA_DIST += samples/demo.scap

# Regenerate the bundled sample (committed; `make check` verifies it is current).
samples-update: samples/mksample
	samples/mksample $(top_srcdir)/samples/demo.scap
.PHONY: samples-update

# Record the scenarios live (root, BPF) into samples/scenarios.scap (committed).
samples-record: falco-capture
	$(SHELL) $(top_srcdir)/samples/record-scenarios.sh $(abs_top_builddir)/falco-capture \
	  $(top_srcdir)/samples/scenarios.scap
.PHONY: samples-record
EXTRA_DIST += samples/scenarios.scap samples/record-scenarios.sh samples/scenarios/lib.sh \
	samples/scenarios/run-all.sh samples/scenarios/read_file.sh samples/scenarios/read_shadow.sh \
	samples/scenarios/container_shell.sh samples/scenarios/write_below_etc.sh \
	samples/scenarios/write_dev.sh samples/scenarios/outbound_connect.sh \
	samples/scenarios/loopback_tcp.sh samples/scenarios/remove_log.sh \
	samples/scenarios/unix_socket.sh
