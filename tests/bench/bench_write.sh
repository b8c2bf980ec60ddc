#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Write throughput of falco-capture against sysdig on the same large capture.
# Not a test: run `make bench-write` (once; the machine is shared).
#   BENCH_SRC  capture whose events are repeated (default curl_google.scap)
#   BENCH_REPS repetitions (default 700: about 1.07 M events, 64 MB)
set -eu
: "${top_builddir:=.}"
: "${FF_SHARED:=$top_builddir/../shared}"
SRC=${BENCH_SRC:-$FF_SHARED/captures/curl_google.scap}
REPS=${BENCH_REPS:-700}
FC=$top_builddir/falco-capture
T=$(mktemp -d "${TMPDIR:-/tmp}/ff-bench.XXXXXX")
trap 'rm -rf "$T"' EXIT

"$top_builddir/tests/bench/bench_gen" "$SRC" "$T/big.scap" "$REPS"
bytes=$(stat -c %s "$T/big.scap")
events=$("$FC" --info "$T/big.scap" | awk '/^Events:/ {print $2}')
echo "input: $T/big.scap: $bytes bytes, $events events (plain; read from page cache)"
cat "$T/big.scap" >/dev/null

run() { # run LABEL OUTFILE CMD...
	label=$1 out=$2
	shift 2
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>"$T/err" || { cat "$T/err"; echo "$label: failed"; return 0; }
	t1=$(date +%s.%N)
	awk -v l="$label" -v t0="$t0" -v t1="$t1" -v b="$bytes" -v e="$events" -v o="$(stat -c %s "$out")" \
		'BEGIN { s = t1 - t0; printf "%-28s %6.2f s %7.1f MB/s %9.0f ev/s  out %10d B (%.1fx)\n", l, s, b / s / 1e6, e / s, o, b / o }'
	rm -f "$out"
}
run "falco-capture zstd (default)" "$T/o.zst" "$FC" -r "$T/big.scap" -w "$T/o.zst"
run "falco-capture zstd -1" "$T/o.zst" "$FC" -r "$T/big.scap" -w "$T/o.zst" --level 1
run "falco-capture none" "$T/o.scap" "$FC" -r "$T/big.scap" -w "$T/o.scap" --compress none
run "falco-capture gzip" "$T/o.gz" "$FC" -r "$T/big.scap" -w "$T/o.gz" --compress gzip
if command -v sysdig >/dev/null; then
	run "sysdig -w" "$T/s.scap" sysdig -r "$T/big.scap" -w "$T/s.scap"
	run "sysdig -z -w" "$T/s.scap.gz" sysdig -r "$T/big.scap" -z -w "$T/s.scap.gz"
else
	echo "sysdig not installed: no comparison"
fi
