#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Live capture limits, rotation and stops: -n writes exactly N events; -C/-W
# makes FILE0, FILE1 ... and reuses the names after W files; -G -W stops
# after W files; SIGTERM closes a zstd capture that reads to the end; a
# non-root user gets a clear error (exit 1).  Every file must read cleanly.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/live_lib.sh"
need_live

# load for the probe: a loop of opens and reads, ended by the test
load() { (while :; do cat /etc/hostname /etc/passwd >/dev/null; done) & LOAD_PID=$!; }
trap 'kill $LOAD_PID 2>/dev/null; rm -rf "$WORK"' EXIT
load

# file reads to the end without damage; prints its event count
events_of() {
	"$CAP" --info "$1" >"$WORK/info.txt" 2>&1 || fail "$1 damaged: $(grep Damage "$WORK/info.txt")"
	awk '/^Events:/ { print $2 }' "$WORK/info.txt"
}

# -n: exactly N events (drop events aside: none expected at this rate)
"$CAP" -q -w "$WORK/n.scap" -n 500 --compress none -M 30 2>"$WORK/n.err" ||
	fail "-n 500: $(cat "$WORK/n.err")"
got=$(events_of "$WORK/n.scap")
[ "$got" = 500 ] || fail "-n 500 wrote $got events"

# -C 1 -W 2 for a few seconds with every syscall: FILE0 and FILE1 only, each
# near 1 MB and complete
"$CAP" -q -w "$WORK/c.scap" -C 1 -W 2 --all --compress none -M 4 2>"$WORK/c.err" ||
	fail "-C 1 -W 2: $(cat "$WORK/c.err")"
[ -s "$WORK/c.scap0" ] && [ -s "$WORK/c.scap1" ] || fail "-C -W: no c.scap0/c.scap1: $(ls "$WORK")"
[ ! -e "$WORK/c.scap2" ] || fail "-W 2 made a third file"
grep -q 'files' "$WORK/c.err" || fail "-C: expected several files: $(cat "$WORK/c.err")"
for f in "$WORK/c.scap0" "$WORK/c.scap1"; do
	size=$(stat -c %s "$f")
	[ "$size" -lt 3000000 ] || fail "$f is $size bytes for -C 1"
	[ "$(events_of "$f")" -gt 0 ] || fail "$f has no events"
	grep -q '^Threads: *[1-9]' "$WORK/info.txt" || fail "$f has no process list"
done

# -G 1 -W 2: two files named through strftime, then a clean stop
"$CAP" -q -w "$WORK/g-%H%M%S.scap" -G 1 -W 2 --compress none -M 20 2>"$WORK/g.err" ||
	fail "-G 1 -W 2: $(cat "$WORK/g.err")"
n=$(ls "$WORK" | grep -c '^g-[0-9]\{6\}\.scap$' || true)
[ "$n" = 2 ] || fail "-G 1 -W 2 made $n files: $(ls "$WORK")"
for f in "$WORK"/g-*.scap; do
	[ "$(events_of "$f")" -gt 0 ] || fail "$f has no events"
done

# SIGTERM: exit 0, a zstd file that reads to the end, with its seek table
start_capture "$WORK/t.scap"
sleep 0.5
kill -TERM "$CAP_PID"
rc=0
wait "$CAP_PID" || rc=$?
[ "$rc" = 0 ] || fail "SIGTERM: exit $rc: $(cat "$WORK/capture.err")"
[ "$(events_of "$WORK/t.scap")" -gt 0 ] || fail "SIGTERM: no events"
grep -q '^Frames:.*seek table' "$WORK/info.txt" || fail "SIGTERM: zstd file without its seek table"

# not root: a clear error, exit 1, no file
if command -v setpriv >/dev/null; then
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups "$CAP" -w "$WORK/nobody.scap" -M 1 \
		2>"$WORK/nobody.err" || rc=$?
	[ "$rc" = 1 ] || fail "non-root: exit $rc"
	grep -q 'root' "$WORK/nobody.err" || fail "non-root: unclear error: $(cat "$WORK/nobody.err")"
	[ ! -e "$WORK/nobody.scap" ] || fail "non-root: a file was created"
fi
note "limits, rotation, SIGTERM and non-root checked"
