# SPDX-License-Identifier: Apache-2.0
# Shared by the live capture tests (sourced after lib.sh): skip where live
# capture cannot run, start and stop falco-capture in the background.
CAP="$top_builddir/falco-capture"
REPLAY="$top_builddir/falco-replay"
SCEN="$top_srcdir/samples/scenarios"

# quiet_container_rules FILE: a rules file that, loaded after ours, turns our
# container rules off.  Where the host itself is a container to Falco's
# container plugin (a /namespace/id cgroup, as on some CI VMs) they alert on
# every process, the test's own greps and tmux included.
quiet_container_rules() {
	for r in 'Sensitive host device mounted in a container' \
		'Privileged process started in a container' 'Shell spawned in a container'; do
		printf -- '- rule: %s\n  enabled: false\n  override:\n    enabled: replace\n' "$r"
	done >"$1"
}

need_live() {
	[ "$(id -u)" = 0 ] || skip "live capture needs root"
	[ -r /sys/kernel/btf/vmlinux ] || skip "no kernel BTF (/sys/kernel/btf/vmlinux): the BPF probe cannot load"
	grep -q '^#define FF_HAVE_BPF 1' "$top_builddir/config.h" || skip "built --without-bpf"
	# a probe that cannot load here (lockdown, BPF disabled) is a skip, not a failure
	if ! "$CAP" -w "$WORK/probe-check.scap" -n 1 -M 5 -q 2>"$WORK/probe-check.err"; then
		if grep -qi 'disallowed\|not permitted\|lockdown' "$WORK/probe-check.err"; then
			skip "BPF unavailable: $(cat "$WORK/probe-check.err")"
		fi
		fail "falco-capture cannot start: $(cat "$WORK/probe-check.err")"
	fi
}

# start_capture OUT [ARGS...]: background capture; waits until it records
start_capture() {
	out=$1
	shift
	"$CAP" -q -w "$out" "$@" 2>"$WORK/capture.err" &
	CAP_PID=$!
	i=0
	# the file appears once the probe runs and /proc is scanned
	while [ ! -s "$(first_file "$out")" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "capture did not start: $(cat "$WORK/capture.err")"
		kill -0 "$CAP_PID" 2>/dev/null || fail "capture exited: $(cat "$WORK/capture.err")"
		sleep 0.1
	done
	sleep 0.3
}

first_file() {
	if [ -e "$1" ]; then echo "$1"; else echo "${1}0"; fi
}

# stop_capture: SIGINT, wait, check the exit status and the summary
stop_capture() {
	kill -INT "$CAP_PID"
	rc=0
	wait "$CAP_PID" || rc=$?
	[ "$rc" = 0 ] || fail "capture exited $rc after SIGINT: $(cat "$WORK/capture.err")"
	grep -q 'events written' "$WORK/capture.err" || fail "no summary: $(cat "$WORK/capture.err")"
}
