#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Read benchmark (make bench; not part of make check, asserts nothing).
# Builds a big capture from a real one (BENCH_CAPTURE, default curl_google,
# BENCH_COPIES times, default 700 = ~1.07 M events), compresses it with
# gzip -1 and zstd -1, reads each through ff_reader (bench_read: every param
# decoded) and the plain and gzip ones with sysdig -r F "evt.num=0", and prints
# a side-by-side table.  BENCH_DIR keeps the files (default: a temp dir).
set -eu
: "${top_builddir:?run through make bench}"
FF_SHARED=${FF_SHARED:-$top_builddir/../shared}
SRC=${BENCH_CAPTURE:-$FF_SHARED/captures/curl_google.scap}
COPIES=${BENCH_COPIES:-700}
[ -r "$SRC" ] || { echo "bench_read: $SRC not found (set FF_SHARED or BENCH_CAPTURE)"; exit 1; }

if [ -n "${BENCH_DIR:-}" ]; then
	D=$BENCH_DIR
	mkdir -p "$D"
else
	D=$(mktemp -d "${TMPDIR:-/tmp}/ff-bench.XXXXXX")
	trap 'rm -rf "$D"' EXIT
fi
BIG=$D/big.scap

"$top_builddir/tests/bench/mkbig" -n "$COPIES" -o "$BIG" "$SRC"
gzip -1 -c "$BIG" >"$BIG.gz"
have_zstd=0
if command -v zstd >/dev/null 2>&1; then
	zstd -1 -q -f -o "$BIG.zst" "$BIG" && have_zstd=1
fi
set -- "$BIG" "$BIG.gz"
[ "$have_zstd" = 1 ] && set -- "$@" "$BIG.zst"
"$top_builddir/tests/bench/bench_read" -r 3 "$@" >"$D/ours.txt"

# sysdig: best of 2 wall-clock runs of a filter that prints nothing
SYSDIG=${SYSDIG:-$(command -v sysdig || true)}
sysdig_time() {
	best=
	for _ in 1 2; do
		t0=$(date +%s.%N)
		"$SYSDIG" -r "$1" "evt.num=0" >/dev/null 2>"$D/sysdig.err" || {
			echo "sysdig failed on $1:" >&2
			cat "$D/sysdig.err" >&2
			return 1
		}
		t1=$(date +%s.%N)
		best=$(awk -v a="$t0" -v b="$t1" -v best="$best" \
			'BEGIN { t = b - a; if (best == "" || t < best) best = t; printf "%.3f", best }')
	done
	echo "$best"
}
: >"$D/sysdig.txt"
if [ -n "$SYSDIG" ]; then
	for f in "$BIG" "$BIG.gz"; do
		echo "$f $(sysdig_time "$f")" >>"$D/sysdig.txt"
	done
else
	echo "bench_read: sysdig not installed, ours only" >&2
fi

echo
sizes="$(wc -c <"$BIG") bytes plain, $(wc -c <"$BIG.gz") gzip -1"
[ "$have_zstd" = 1 ] && sizes="$sizes, $(wc -c <"$BIG.zst") zstd -1"
echo "Read benchmark: $(basename "$SRC") x $COPIES; $sizes; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
awk -v sd="$D/sysdig.txt" '
function base(p) { sub(/.*\//, "", p); return p }
BEGIN {
	while ((getline line < sd) > 0) { split(line, a, " "); st[base(a[1])] = a[2] }
	printf "%-14s %10s %9s %12s %9s | %9s %12s %8s\n", "input", "events", "ours s",
	       "ours ev/s", "ours MB/s", "sysdig s", "sysdig ev/s", "ratio"
}
{
	for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
	f = base(v["file"]); ev = v["events"]; s = v["seconds"]
	line = sprintf("%-14s %10d %9.3f %12.0f %9.1f", f, ev, s, v["events_per_s"], v["mb_per_s"])
	if (f in st && st[f] > 0)
		line = line sprintf(" | %9.3f %12.0f %7.1fx", st[f], ev / st[f], st[f] / s)
	else
		line = line sprintf(" | %9s %12s %8s", "-", "-", "-")
	print line
}' "$D/ours.txt"
echo "(ratio = sysdig seconds / ours; sysdig counts from our event total;" \
	"zstd is not readable by sysdig)"
