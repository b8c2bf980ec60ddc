# samples/: captures and rules the project made itself.
noinst_PROGRAMS += samples/mksample
samples_mksample_SOURCES = samples/mksample.c
samples_mksample_LDADD = $(FF_CAPTURE_LIBS)
EXTRA_DIST += samples/demo.scap

# Regenerate the bundled sample (committed; `make check` verifies it is current).
samples-update: samples/mksample
	samples/mksample $(top_srcdir)/samples/demo.scap
.PHONY: samples-update
