#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# curl_google_comments.scap (SHB options, pcapng comments in event blocks):
# --info counts every event (checked against an independent block walk), and
# a rewrite to plain is readable by sysdig 0.29.3 and prints the same as
# curl_google.scap, which holds the same events.
. "$top_srcdir/tests/e2e/lib.sh"
need_shared
FC=$top_builddir/falco-capture
in=$CAPTURES/curl_google_comments.scap

"$FC" --info "$in" >"$WORK/info" || fail "--info failed on $in"
got=$(awk '/^Events:/ {print $2}' "$WORK/info")
twin=$("$FC" --info "$CAPTURES/curl_google.scap" | awk '/^Events:/ {print $2}')
[ -n "$got" ] && [ "$got" -gt 0 ] || fail "no event count in --info"
[ "$got" = "$twin" ] || fail "comments file: $got events, curl_google.scap: $twin"

# independent count: walk the decompressed blocks and count event block ids
if command -v python3 >/dev/null; then
	walk=$(python3 - "$in" <<'PY'
import gzip, struct, sys
d = gzip.open(sys.argv[1]).read()
ev = {0x204, 0x208, 0x216, 0x217, 0x221, 0x222, 0x8010ABCD}
off = n = 0
while off + 8 <= len(d):
    t, l = struct.unpack_from('<II', d, off)
    n += t in ev
    off += l
print(n)
PY
)
	[ "$walk" = "$got" ] || fail "--info says $got events, a block walk finds $walk"
	note "events: $got (block walk agrees)"
fi

need_sysdig
"$FC" -r "$in" -w "$WORK/plain.scap" --compress none || fail "rewrite to none"
"$SYSDIG" -r "$WORK/plain.scap" >"$WORK/got" 2>&1 || fail "sysdig cannot read the rewritten file"
"$SYSDIG" -r "$CAPTURES/curl_google.scap" >"$WORK/want" 2>&1
cmp -s "$WORK/want" "$WORK/got" || { diff "$WORK/want" "$WORK/got" | head; fail "sysdig output differs from curl_google.scap"; }
note "sysdig reads the rewritten file: $(wc -l <"$WORK/got") lines, same as curl_google.scap"
exit 0
