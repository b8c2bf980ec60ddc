#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-tui time to first screen (make bench-tui; not part of make check,
# asserts nothing).  Builds a capture of ~10 M events by repeating a real one
# (BENCH_COPIES, default 6600 copies of curl_google = 10.1 M events) as plain,
# gzip -1 and zstd with a seek table (falco-capture), then for each opens
# falco-tui in a 120x40 tmux pane with --bench-first-screen (time from start to
# the first full screen, and how many events were read by then), and times the
# whole background pass (until the header stops saying "reading").  csysdig,
# the anchor, reads the whole file before its first screen: its time to first
# screen is timed the same way (until its header shows), on the plain file.
set -eu
: "${top_builddir:?run through make bench-tui}"
FF_SHARED=${FF_SHARED:-$top_builddir/../shared}
SRC=${BENCH_CAPTURE:-$FF_SHARED/captures/curl_google.scap}
COPIES=${BENCH_COPIES:-6600}
command -v tmux >/dev/null || { echo "bench_tui: needs tmux"; exit 1; }
D=$(mktemp -d "${TMPDIR:-/tmp}/ff-bench-tui.XXXXXX")
SOCK=ffbench$$
trap 'tmux -L $SOCK kill-server 2>/dev/null || true; rm -rf "$D"' EXIT
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }

"$top_builddir/tests/bench/mkbig" -n "$COPIES" -o "$D/big.scap" "$SRC"
gzip -1 -c "$D/big.scap" >"$D/big.gz.scap"
"$top_builddir/falco-capture" -r "$D/big.scap" -w "$D/big.zst.scap" --compress zstd
now() { date +%s.%N; }

printf '%-14s %12s %22s %16s %10s\n' file bytes "first screen (ms)" "events by then" "full pass"
for f in big.scap big.gz.scap big.zst.scap; do
	tm new-session -d -s fs -x 120 -y 40 \
		"'$top_builddir/falco-tui' --bench-first-screen '$D/$f' 2>'$D/fs.txt'"
	while tm has-session -t fs 2>/dev/null; do sleep 0.05; done
	ms=$(sed -n 's/.*first screen \([0-9.]*\) ms, \([0-9]*\) events.*/\1/p' "$D/fs.txt")
	ev=$(sed -n 's/.*first screen \([0-9.]*\) ms, \([0-9]*\) events.*/\2/p' "$D/fs.txt")
	t0=$(now)
	tm new-session -d -s full -x 120 -y 40 "'$top_builddir/falco-tui' '$D/$f'"
	until tm capture-pane -p -t full | head -1 | grep -q '^View:'; do sleep 0.02; done
	while tm capture-pane -p -t full | head -1 | grep -q reading; do sleep 0.1; done
	t1=$(now)
	tm kill-session -t full
	printf '%-14s %12s %22s %16s %9.1fs\n' "$f" "$(stat -c %s "$D/$f")" "$ms" "$ev" \
		"$(echo "$t1 - $t0" | bc)"
done

if command -v csysdig >/dev/null 2>&1; then
	t0=$(now)
	tm new-session -d -s cs -x 120 -y 40 "csysdig -r '$D/big.scap'"
	i=0
	until tm capture-pane -p -t cs | grep -q 'PID'; do
		sleep 0.1
		i=$((i + 1))
		[ $i -lt 3000 ] || break
	done
	t1=$(now)
	tm kill-session -t cs 2>/dev/null || true
	printf 'csysdig -r big.scap: first screen after %.1f s\n' "$(echo "$t1 - $t0" | bc)"
fi
