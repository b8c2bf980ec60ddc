#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-replay --live: the rules run on the live stream (a scenario that reads
# /etc/shadow raises "Sensitive file opened for reading" while it runs), the
# listing shows a scenario's exec and open with their fields, and SIGINT ends
# a run cleanly with its summary.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/live_lib.sh"
need_live

D=$(mktemp -d /tmp/ff-live-replay.XXXXXX)
trap 'rm -rf "$WORK" "$D"' EXIT
echo data >"$D/ff-live-replay-input.txt"

# start_replay OUT ERR ARGS...: falco-replay --live in the background, back
# once it says tracing runs
start_replay() {
	out=$1 err=$2
	shift 2
	"$REPLAY" --live "$@" >"$out" 2>"$err" &
	RP_PID=$!
	wait_live "$RP_PID" "$err" "falco-replay --live"
}

stop_replay() {
	kill -INT "$RP_PID"
	rc=0
	wait "$RP_PID" || rc=$?
	[ "$rc" = 0 ] || fail "falco-replay --live exited $rc after SIGINT: $(cat "$1")"
}

# The container rules stay off (-T container): where the host itself is a
# container to Falco's container plugin (a /namespace/id cgroup, as on some
# CI VMs) they alert on every process, the grep loops below included.

# 1. rules on the live stream: the alert of the scenario, while it runs
start_replay "$WORK/alerts.txt" "$WORK/alerts.err" -T container
"$SCEN/read_shadow.sh" >/dev/null
i=0
until grep -q 'Sensitive file opened for reading.*file=/etc/shadow' "$WORK/alerts.txt"; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "no alert for /etc/shadow: $(head -5 "$WORK/alerts.txt")"
	sleep 0.1
done
line=$(grep -m1 'Sensitive file opened for reading.*file=/etc/shadow' "$WORK/alerts.txt")
case $line in
*"Warning Sensitive file opened for reading"*"process=cat command=cat /etc/shadow"*) ;;
*) fail "alert line: $line" ;;
esac
stop_replay "$WORK/alerts.err"
grep -q '^Events detected: [1-9]' "$WORK/alerts.err" || fail "summary: $(cat "$WORK/alerts.err")"
grep -q '^Syscall events dropped by the driver: ' "$WORK/alerts.err" ||
	fail "no drop count in the summary: $(cat "$WORK/alerts.err")"
note "alert: $line"

# 2. the listing: exec and open of a known command, fields as the state knows them
start_replay "$WORK/list.txt" "$WORK/list.err" \
	-p '*%evt.type|%proc.name|%proc.cmdline|%proc.pname|%user.name|%proc.cwd|%fd.name' \
	-f 'proc.name=cat and ((evt.type=execve and evt.dir=<) or (evt.type=openat and evt.dir=< and fd.name contains ff-live-replay))'
(cd "$D" && sh -c 'cat ff-live-replay-input.txt >/dev/null')
i=0
until grep -q '^openat|' "$WORK/list.txt"; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "no open listed: $(cat "$WORK/list.txt")"
	sleep 0.1
done
stop_replay "$WORK/list.err"
got=$(grep '^execve|' "$WORK/list.txt" | grep 'ff-live-replay-input' | head -1)
want="execve|cat|cat ff-live-replay-input.txt|sh|root|$D/|<NA>"
[ "$got" = "$want" ] || fail "exec: got '$got', want '$want'"
got=$(grep '^openat|' "$WORK/list.txt" | head -1)
want="openat|cat|cat ff-live-replay-input.txt|sh|root|$D/|$D/ff-live-replay-input.txt"
[ "$got" = "$want" ] || fail "open: got '$got', want '$want'"

# 3. losses are reported as Falco does: a small ring, every syscall, and the
# consumer stopped (SIGSTOP) while a syscall burst overflows the ring
start_replay "$WORK/drops.txt" "$WORK/drops.err" --all --buffer-size 131072 -T container
kill -STOP "$RP_PID"
dd if=/dev/zero of=/dev/null bs=1 count=20000 2>/dev/null
kill -CONT "$RP_PID"
i=0
until grep -q 'Falco internal: syscall event drop' "$WORK/drops.txt"; do
	i=$((i + 1))
	[ $i -lt 200 ] || break
	sleep 0.1
done
stop_replay "$WORK/drops.err"
grep -q 'Debug Falco internal: syscall event drop\. [1-9][0-9]* system calls dropped' \
	"$WORK/drops.txt" || fail "no drop alert: $(tail -3 "$WORK/drops.err")"
grep -q '^Syscall events dropped by the driver: [1-9]' "$WORK/drops.err" ||
	fail "drops not counted: $(cat "$WORK/drops.err")"
note "$(grep '^Syscall events dropped' "$WORK/drops.err")"

# 4. usage errors
rc=0
"$REPLAY" --live "$WORK/x.scap" 2>"$WORK/u.err" || rc=$?
[ "$rc" = 2 ] || fail "--live with a capture: exit $rc"
rc=0
"$REPLAY" --seconds 3 "$WORK/x.scap" 2>"$WORK/u.err" || rc=$?
[ "$rc" = 2 ] || fail "--seconds without --live: exit $rc"
echo "PASS: live rules and listing"
