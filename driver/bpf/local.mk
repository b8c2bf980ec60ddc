# driver/bpf/: the CO-RE probe, its skeleton and the live source (libffbpf.a).
# vmlinux.h is generated from the running kernel's BTF; the route table from
# driver/syscalls_x86_64.tsv; the skeleton embeds the compiled probe.
EXTRA_DIST += driver/bpf/ff_probe.bpf.c driver/bpf/ff_probe.h

if FF_BPF
BPF_CLANG ?= clang
BPFTOOL ?= bpftool
BPF_BTF ?= /sys/kernel/btf/vmlinux
BPF_CFLAGS = -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Werror -Wno-unused-function \
	-I$(top_builddir)/driver/bpf -I$(top_srcdir)/driver/bpf -I$(top_builddir)/driver \
	-I$(top_srcdir)/driver

driver/bpf/vmlinux.h:
	$(AM_V_GEN)mkdir -p driver/bpf && \
	if test -r $(BPF_BTF); then \
	  $(BPFTOOL) btf dump file $(BPF_BTF) format c > $@.tmp && mv $@.tmp $@; \
	else \
	  echo "no kernel BTF at $(BPF_BTF): set BPF_BTF=<file> or configure --without-bpf" >&2; \
	  exit 1; \
	fi

driver/bpf/ff_bpf_routes.h: $(top_srcdir)/driver/syscalls_x86_64.tsv \
	$(top_srcdir)/driver/event_table.tsv $(DRIVER_GEN)
	$(AM_V_GEN)mkdir -p driver/bpf && $(AWK) -v out=bpf -f $(DRIVER_GEN) \
	  $(top_srcdir)/driver/syscalls_x86_64.tsv $(top_srcdir)/driver/event_table.tsv > $@.tmp && mv $@.tmp $@

driver/bpf/ff_probe.bpf.o: $(top_srcdir)/driver/bpf/ff_probe.bpf.c $(top_srcdir)/driver/bpf/ff_probe.h \
	$(top_srcdir)/driver/ff_fill.h \
	driver/bpf/vmlinux.h driver/bpf/ff_bpf_routes.h driver/ff_event_ids.h \
	$(top_srcdir)/driver/ff_event_abi.h
	$(AM_V_CC)$(BPF_CLANG) $(BPF_CFLAGS) -c $(top_srcdir)/driver/bpf/ff_probe.bpf.c -o $@

driver/bpf/ff_probe.skel.h: driver/bpf/ff_probe.bpf.o
	$(AM_V_GEN)$(BPFTOOL) gen skeleton $< name ff_probe > $@.tmp && mv $@.tmp $@

BUILT_SOURCES += driver/bpf/ff_bpf_routes.h driver/bpf/ff_probe.skel.h
CLEANFILES += driver/bpf/vmlinux.h driver/bpf/ff_bpf_routes.h driver/bpf/ff_probe.bpf.o \
	driver/bpf/ff_probe.skel.h

noinst_LIBRARIES += driver/bpf/libffbpf.a
driver_bpf_libffbpf_a_SOURCES = driver/bpf/ff_bpf_source.c driver/bpf/ff_bpf_source.h
driver_bpf_libffbpf_a_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_builddir)/driver/bpf -I$(top_srcdir)/driver/bpf
driver_bpf_libffbpf_a_CFLAGS = $(AM_CFLAGS) $(LIBBPF_CFLAGS)
nodist_driver_bpf_libffbpf_a_SOURCES = driver/bpf/ff_probe.skel.h

FF_BPF_LIBS = driver/bpf/libffbpf.a $(FF_CAPTURE_LIBS) $(LIBBPF_LIBS)
endif
