#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-capture command line: help, version, usage errors, unreadable input,
# and --info on a zstd file cut in its last frame (damage named, counts kept).
. "$top_srcdir/tests/e2e/lib.sh"
FC=$top_builddir/falco-capture

"$FC" --help | grep -q -- '--compress' || fail "--help"
"$FC" --version | grep -q "$(sed -n 's/^AC_INIT(\[[^]]*\], \[\([^]]*\)\].*/\1/p' "$top_srcdir/configure.ac")" || fail "--version"
expect() { # expect STATUS PATTERN ARGS...
	want=$1 pat=$2
	shift 2
	set +e
	"$FC" "$@" >"$WORK/out" 2>"$WORK/err"
	st=$?
	set -e
	[ "$st" = "$want" ] || fail "falco-capture $*: exit $st, expected $want"
	grep -q -- "$pat" "$WORK/err" || { cat "$WORK/err"; fail "falco-capture $*: no '$pat' in the message"; }
}
expect 2 "nothing to do"
expect 2 "invalid -M seconds '0'" -M 0 -w x
expect 2 "unknown driver 'dtrace'" --driver dtrace -w x
expect 2 "need live capture" -r a -w b -M 5
expect 2 "a filter applies to live capture only" -r a -w b proc.name=cat
expect 2 "-W needs -C or -G" -w x -W 2
expect 2 "filter: column 11" -w "$WORK/f.scap" "proc.name="
expect 2 "buffer size must be a power of 2" -w x --buffer-size 100000
expect 2 "-C and -G need a file name" -w - -C 10
expect 2 "needs an argument" -r
expect 2 "missing -w" -r x.scap
expect 2 "unknown codec 'lz4'" -r a -w b --compress lz4
expect 2 "invalid level" -r a -w b --level x
expect 2 "cannot be combined" --info a b
expect 1 "/nonexistent.scap" -r /nonexistent.scap -w "$WORK/o"
expect 1 "/nonexistent.scap" --info /nonexistent.scap
expect 1 "cannot create" -r "$top_srcdir/configure.ac" -w /nonexistent-dir/o.scap

need_shared
in=$CAPTURES/single_ipv6_conn.scap
"$FC" -r "$in" -w "$WORK/multi.zst" --frame-size 16384 || fail "multi-frame write"
"$FC" --info "$WORK/multi.zst" >"$WORK/info" || fail "--info on our zstd file"
frames=$(awk '/^Frames:/ {print $2}' "$WORK/info")
[ -n "$frames" ] && [ "$frames" -gt 4 ] || fail "expected several frames, got '$frames'"
all=$(awk '/^Events:/ {print $2}' "$WORK/info")
[ "$all" = "$("$FC" --info "$in" | awk '/^Events:/ {print $2}')" ] || fail "event count changed"
# cut 200 bytes before the seek table: inside the last frame
size=$(stat -c %s "$WORK/multi.zst")
head -c $((size - 8 - 16 - 56 * frames - 200)) "$WORK/multi.zst" >"$WORK/cut.zst"
set +e
"$FC" --info "$WORK/cut.zst" >"$WORK/cutinfo" 2>"$WORK/cuterr"
st=$?
set -e
[ "$st" = 1 ] || fail "--info on a truncated file: exit $st, expected 1"
grep -q '^Damage:.*byte [0-9]' "$WORK/cutinfo" || { cat "$WORK/cutinfo"; fail "damage not reported with an offset"; }
got=$(awk '/^Events:/ {print $2}' "$WORK/cutinfo")
[ "$got" -gt 0 ] && [ "$got" -lt "$all" ] || fail "truncated: $got events of $all"
! grep -q '^Frames:' "$WORK/cutinfo" || fail "a truncated file cannot have a seek table"
note "truncated file: $got of $all events, $(grep '^Damage:' "$WORK/cutinfo")"
exit 0
