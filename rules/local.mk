# rules/: the condition language (ff_filter) over a field-provider interface (ff_field).
noinst_LIBRARIES += rules/libffrules.a
rules_libffrules_a_SOURCES = \
	rules/ff_field.c rules/ff_field.h \
	rules/ff_filter.c rules/ff_filter.h rules/ff_filter_eval.c rules/ff_filter_int.h \
	rules/ff_dns.c rules/ff_dns.h

FF_RULES_LIBS = rules/libffrules.a $(FF_CAPTURE_LIBS)
