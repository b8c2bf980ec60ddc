# tui/: falco-tui, the ncurses browser.  The model, the feed, the filter and
# rules slots are ncurses-free (unit-tested); ff_tui.c is the screen.
noinst_LIBRARIES += tui/libfftui.a
tui_libfftui_a_SOURCES = \
	tui/ff_tuimodel.c tui/ff_tuimodel.h \
	tui/ff_tuifeed.c tui/ff_tuifeed.h \
	tui/ff_tuifilter.c tui/ff_tuifilter.h \
	tui/ff_tuirules.c tui/ff_tuirules.h \
	tui/ff_tuiring.c tui/ff_tuiring.h \
	tui/ff_tuipkt.c tui/ff_tuipkt.h
tui_libfftui_a_CFLAGS = $(AM_CFLAGS) $(PCAP_CFLAGS)

# live: replay_feed (the /proc scan and the driver); packets: capture/ff_pcap
FF_TUI_LIBS = tui/libfftui.a $(FF_ENGINE_LIBS) $(FF_FEED_LIBS) $(FF_ENGINE_LIBS) \
	capture/libffpcap.a $(PCAP_LIBS) -lpthread

bin_PROGRAMS += falco-tui
falco_tui_SOURCES = tui/falco-tui.c tui/ff_tui.c tui/ff_tui.h
falco_tui_CFLAGS = $(AM_CFLAGS) $(NCURSES_CFLAGS)
falco_tui_LDADD = $(FF_TUI_LIBS) $(NCURSES_LIBS)
dist_man_MANS += man/falco-tui.1
