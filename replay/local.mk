# replay/: state tracker, event rendering, falco-replay.  See ARCHITECTURE.md.
noinst_LIBRARIES += replay/libffreplay.a
replay_libffreplay_a_SOURCES = \
	replay/ff_state.c replay/ff_state.h \
	replay/ff_path.c replay/ff_path.h \
	replay/ff_render.c replay/ff_render.h \
	replay/ff_sysfields.c replay/ff_sysfields.h \
	replay/ff_format.c replay/ff_format.h \
	replay/ff_containers.c replay/ff_containers.h

# the field provider and formats use rules/ff_field (the filter's provider contract)
FF_REPLAY_LIBS = replay/libffreplay.a rules/libffrules.a $(FF_CAPTURE_LIBS) $(JANSSON_LIBS)

# blocks from a capture file or the live system; falco-replay, falco-query and
# falco-tui take their input from it
noinst_LIBRARIES += replay/libfffeed.a
replay_libfffeed_a_SOURCES = replay/replay_feed.c replay/replay_feed.h
FF_FEED_LIBS = replay/libfffeed.a $(FF_SOURCE_LIBS)

bin_PROGRAMS += falco-replay
falco_replay_SOURCES = replay/falco-replay.c replay/replay_list.c replay/replay_list.h \
	replay/replay_alert.c replay/replay_alert.h
# the default rules: installed in pkgdatadir, else taken from the source tree
falco_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFF_PKGDATADIR='"$(pkgdatadir)"' \
	-DFF_SRCDIR='"$(abs_top_srcdir)"'
falco_replay_LDADD = $(FF_ENGINE_LIBS) $(FF_FEED_LIBS) $(FF_ENGINE_LIBS)
dist_pkgdata_DATA = rules/falco-forensics_rules.yaml
dist_man_MANS += man/falco-replay.1
