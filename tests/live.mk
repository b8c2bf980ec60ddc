# live capture end to end (root, BPF; the scripts skip with the reason otherwise)
LIVE_E2E = tests/e2e/live_capture.sh tests/e2e/live_rotate.sh
TESTS += $(LIVE_E2E)
EXTRA_DIST += $(LIVE_E2E) tests/e2e/live_lib.sh
