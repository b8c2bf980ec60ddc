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
rc=0; "$FR" -n x "$CAPTURES/curl_google.scap" >/dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || fail "-n x must be a usage error (2), got $rc"
"$FR" "$WORK/nonexistent.scap" >/dev/null 2>"$WORK/err" && fail "missing file must fail"
grep -q nonexistent "$WORK/err" || fail "error must name the file"
n=$("$FR" -n 5 "$CAPTURES/curl_google.scap" | wc -l)
[ "$n" = 5 ] || fail "-n 5 printed $n lines"
# a truncated capture: every whole event before the damage, then exit 1
"$FR" "$CAPTURES/test_ipv6_client.scap" >"$WORK/full"
head -c 10500 "$CAPTURES/test_ipv6_client.scap" >"$WORK/cut.scap"
if "$FR" "$WORK/cut.scap" >"$WORK/cut.out" 2>"$WORK/cut.err"; then
	fail "truncated file must exit 1"
fi
[ -s "$WORK/cut.err" ] || fail "truncated file: no message"
lines=$(wc -l <"$WORK/cut.out")
[ "$lines" -gt 10 ] || fail "truncated file: only $lines lines before the damage"
head -n "$lines" "$WORK/full" | cmp -s - "$WORK/cut.out" || fail "truncated file: printed lines differ"
exit 0
