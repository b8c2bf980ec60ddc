#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-replay command line: --help, -n, missing and damaged files.
. "$top_srcdir/tests/e2e/lib.sh"
need_shared
FR=$top_builddir/falco-replay
export TZ=UTC
"$FR" --help | grep -q 'Usage: falco-replay' || fail "--help"
rc=0; "$FR" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "no argument must be a usage error (2), got $rc"
rc=0; "$FR" -e -n x "$CAPTURES/curl_google.scap" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "-n x must be a usage error (2), got $rc"
"$FR" -e "$WORK/nonexistent.scap" >/dev/null 2>"$WORK/err" && fail "missing file must fail"
grep -q nonexistent "$WORK/err" || fail "error must name the file"
# -n counts events as sysdig does: the 210 internal events before the first
# printed one count too, so -n 215 prints events 211..215
n=$("$FR" -e -n 215 "$CAPTURES/curl_google.scap" | wc -l)
[ "$n" = 5 ] || fail "-n 215 printed $n lines, want 5"
first=$("$FR" -e -n 215 "$CAPTURES/curl_google.scap" | head -n 1 | cut -d' ' -f1)
[ "$first" = 211 ] || fail "-n 215: first event $first, want 211"
# with a filter, only the events that pass it count
n=$("$FR" -e -n 3 -f 'evt.type=open' "$CAPTURES/curl_google.scap" | wc -l)
[ "$n" = 3 ] || fail "-n 3 with a filter printed $n lines, want 3"
# a truncated capture: every whole event before the damage, then exit 1
"$FR" -e "$CAPTURES/test_ipv6_client.scap" >"$WORK/full"
head -c 10500 "$CAPTURES/test_ipv6_client.scap" >"$WORK/cut.scap"
if "$FR" -e "$WORK/cut.scap" >"$WORK/cut.out" 2>"$WORK/cut.err"; then
	fail "truncated file must exit 1"
fi
[ -s "$WORK/cut.err" ] || fail "truncated file: no message"
lines=$(wc -l <"$WORK/cut.out")
[ "$lines" -gt 10 ] || fail "truncated file: only $lines lines before the damage"
head -n "$lines" "$WORK/full" | cmp -s - "$WORK/cut.out" || fail "truncated file: printed lines differ"
exit 0
