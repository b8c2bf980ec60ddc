# rules/: the rules-file loader (YAML items, lists/macros/rules, expansion).
noinst_LIBRARIES += rules/libffloader.a
FF_LOADER_SOURCES = \
	rules/ff_rules.c rules/ff_rules.h rules/ff_rules_int.h \
	rules/ff_rules_cond.c rules/ff_rules_schema.c rules/ff_yaml.c rules/ff_yaml.h
rules_libffloader_a_SOURCES = $(FF_LOADER_SOURCES)
rules_libffloader_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS)

# users link the loader, ff_err (capture library) and libyaml
FF_LOADER_LIBS = rules/libffloader.a capture/libffcapture.a $(YAML_LIBS)

# the rule engine: loader + filters + formats (replay/ff_format) over a provider
noinst_LIBRARIES += rules/libffengine.a
rules_libffengine_a_SOURCES = rules/ff_engine.c rules/ff_engine.h \
	rules/ff_alerter.c rules/ff_alerter.h \
	rules/ff_config.c rules/ff_config.h rules/ff_outputs.c rules/ff_outputs.h
rules_libffengine_a_CFLAGS = $(AM_CFLAGS) $(YAML_CFLAGS) $(CURL_CFLAGS)
rules_libffengine_a_CPPFLAGS = $(AM_CPPFLAGS) -DFF_PKGDATADIR='"$(pkgdatadir)"' \
	-DFF_SRCDIR='"$(abs_top_srcdir)"'
FF_ENGINE_LIBS = rules/libffengine.a rules/libffloader.a replay/libffreplay.a rules/libffrules.a \
	$(FF_CAPTURE_LIBS) $(YAML_LIBS) $(CURL_LIBS) $(JANSSON_LIBS) -lpthread
