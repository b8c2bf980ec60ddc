# replay/: state tracker, event rendering, falco-replay.  See ARCHITECTURE.md.
noinst_LIBRARIES += replay/libffreplay.a
replay_libffreplay_a_SOURCES = \
	replay/ff_state.c replay/ff_state.h \
	replay/ff_render.c replay/ff_render.h \
	replay/ff_sysfields.c replay/ff_sysfields.h \
	replay/ff_format.c replay/ff_format.h

# the field provider and formats use rules/ff_field (the filter's provider contract)
FF_REPLAY_LIBS = replay/libffreplay.a rules/libffrules.a $(FF_CAPTURE_LIBS)

bin_PROGRAMS += falco-replay
falco_replay_SOURCES = replay/falco-replay.c replay/replay_list.c replay/replay_list.h
falco_replay_LDADD = $(FF_REPLAY_LIBS)
dist_man_MANS += man/falco-replay.1
