# tests/: each area owns a fragment.  Scripts and unit tests see these variables.
AM_TESTS_ENVIRONMENT = top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	FF_SHARED="$${FF_SHARED:-$(abs_top_srcdir)/../shared}" SYSDIG='$(SYSDIG)'; \
	export top_srcdir top_builddir FF_SHARED SYSDIG;
EXTRA_DIST += tests/e2e/lib.sh

include tests/capture.mk
include tests/robust.mk
include tests/replay.mk
include tests/rules.mk
include tests/tui.mk
include tests/query.mk
include tests/pcap.mk

TESTS += tests/e2e/sample.sh
EXTRA_DIST += tests/e2e/sample.sh
