# driver/: the event table (one source of truth) and its generated C forms.
DRIVER_TSV = $(top_srcdir)/driver/event_table.tsv $(top_srcdir)/driver/flag_tables.tsv \
	$(top_srcdir)/driver/ppm_sc.tsv $(top_srcdir)/driver/syscalls_x86_64.tsv
DRIVER_GEN = $(top_srcdir)/driver/gen_tables.awk
EXTRA_DIST += $(DRIVER_TSV) $(DRIVER_GEN)

driver/ff_event_ids.h: $(DRIVER_TSV) $(DRIVER_GEN)
	$(AM_V_GEN)mkdir -p driver && $(AWK) -v out=ids -f $(DRIVER_GEN) \
	  $(top_srcdir)/driver/flag_tables.tsv $(top_srcdir)/driver/ppm_sc.tsv \
	  $(top_srcdir)/driver/syscalls_x86_64.tsv $(top_srcdir)/driver/event_table.tsv > $@.tmp && mv $@.tmp $@
driver/ff_event_table_gen.c: $(DRIVER_TSV) $(DRIVER_GEN)
	$(AM_V_GEN)mkdir -p driver && $(AWK) -v out=table -f $(DRIVER_GEN) \
	  $(top_srcdir)/driver/flag_tables.tsv $(top_srcdir)/driver/event_table.tsv > $@.tmp && mv $@.tmp $@
driver/ff_syscalls_gen.c: $(DRIVER_TSV) $(DRIVER_GEN)
	$(AM_V_GEN)mkdir -p driver && $(AWK) -v out=sc -f $(DRIVER_GEN) \
	  $(top_srcdir)/driver/ppm_sc.tsv $(top_srcdir)/driver/syscalls_x86_64.tsv > $@.tmp && mv $@.tmp $@

BUILT_SOURCES += driver/ff_event_ids.h driver/ff_event_table_gen.c driver/ff_syscalls_gen.c
CLEANFILES += driver/ff_event_ids.h driver/ff_event_table_gen.c driver/ff_syscalls_gen.c

noinst_LIBRARIES += driver/libffevents.a
driver_libffevents_a_SOURCES = driver/ff_event_abi.h driver/ff_event_table.h
nodist_driver_libffevents_a_SOURCES = driver/ff_event_ids.h driver/ff_event_table_gen.c \
	driver/ff_syscalls_gen.c
