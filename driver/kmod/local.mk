# driver/kmod/: the kernel module (built by make check-kmod against Debian's
# headers, never by the default build: this host's kernel cannot load it), its
# userspace source (libffkmod.a) and the guest-side test programs.
KMOD_SRC = driver/kmod/ff_kmod.c driver/kmod/ff_kmod_abi.h driver/kmod/Kbuild driver/ff_fill.h
EXTRA_DIST += $(KMOD_SRC) tests/kmod/check_kmod.sh tests/kmod/guest.sh

noinst_LIBRARIES += driver/kmod/libffkmod.a
driver_kmod_libffkmod_a_SOURCES = driver/kmod/ff_kmod_source.c driver/kmod/ff_kmod_source.h \
	driver/kmod/ff_kmod_abi.h
driver_kmod_libffkmod_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/driver/kmod
FF_KMOD_LIBS = driver/kmod/libffkmod.a $(FF_CAPTURE_LIBS)

# Guest programs: built for check-kmod only.
EXTRA_PROGRAMS += tests/kmod/ffk-rec tests/kmod/ffk-scenario
tests_kmod_ffk_rec_SOURCES = tests/kmod/ff_kmod_rec.c
tests_kmod_ffk_rec_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/driver/kmod
tests_kmod_ffk_rec_LDADD = $(FF_KMOD_LIBS)
if FF_BPF
# --driver bpf: the probe's capture of the same scenario, for the comparison
tests_kmod_ffk_rec_CPPFLAGS += -DFFK_WITH_BPF=1 -I$(top_srcdir)/driver/bpf
tests_kmod_ffk_rec_LDADD += $(FF_BPF_LIBS)
endif
tests_kmod_ffk_scenario_SOURCES = tests/kmod/ff_kmod_scenario.c
# static: the guest and the host see the same start-up syscalls
tests_kmod_ffk_scenario_LDFLAGS = -static
CLEANFILES += tests/kmod/ffk-rec tests/kmod/ffk-scenario

# Build the module, boot Debian's kernel under qemu with it, record a
# scenario, check the capture here (see tests/kmod/check_kmod.sh).
check-kmod: tests/kmod/ffk-rec tests/kmod/ffk-scenario falco-capture falco-replay driver/ff_event_ids.h
	AWK='$(AWK)' top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  $(SHELL) $(top_srcdir)/tests/kmod/check_kmod.sh
.PHONY: check-kmod
