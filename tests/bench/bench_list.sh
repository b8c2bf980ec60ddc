#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Listing benchmark (make bench-list; not part of make check, asserts nothing
# but that both tools print the same lines).  Builds a big capture from a real
# one (BENCH_CAPTURE, default curl_google, BENCH_COPIES times, default 700 =
# ~1.07 M events), then times `falco-replay -p FORMAT -f FILTER` and
# `sysdig -r -p FORMAT FILTER` on it, best of BENCH_RUNS (default 3) wall-clock
# runs each, output to /dev/null, and prints events/s side by side.
set -eu
: "${top_builddir:?run through make bench-list}"
FF_SHARED=${FF_SHARED:-$top_builddir/../shared}
SRC=${BENCH_CAPTURE:-$FF_SHARED/captures/curl_google.scap}
COPIES=${BENCH_COPIES:-700}
RUNS=${BENCH_RUNS:-3}
FR=$top_builddir/falco-replay
[ -r "$SRC" ] || { echo "bench_list: $SRC not found (set FF_SHARED or BENCH_CAPTURE)"; exit 1; }
if [ -n "${BENCH_DIR:-}" ]; then
	D=$BENCH_DIR
	mkdir -p "$D"
else
	D=$(mktemp -d "${TMPDIR:-/tmp}/ff-bench.XXXXXX")
	trap 'rm -rf "$D"' EXIT
fi
BIG=$D/big.scap
[ -s "$BIG" ] || "$top_builddir/tests/bench/mkbig" -n "$COPIES" -o "$BIG" "$SRC" >&2
export TZ=UTC
SYSDIG=${SYSDIG:-$(command -v sysdig || true)}
# events sysdig and we number (procinfo included), for events/s
EVENTS=$("$FR" -n 1 -p '%evt.num' -f 'evt.num>0' "$BIG" >/dev/null; "$FR" -p '*%evt.num' -f 'evt.num>0' "$BIG" | tail -n 1)

# best_time CMD...: fastest of $RUNS runs, in seconds
best_time() {
	best=
	for _ in $(seq "$RUNS"); do
		t0=$(date +%s.%N)
		"$@" >/dev/null
		t1=$(date +%s.%N)
		best=$(awk -v a="$t0" -v b="$t1" -v best="$best" \
			'BEGIN { t = b - a; if (best == "" || t < best) best = t; printf "%.3f", best }')
	done
	echo "$best"
}

echo "Listing benchmark: $(basename "$SRC") x $COPIES = $EVENTS events, $(wc -c <"$BIG") bytes;" \
	"$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-58s %8s %11s | %8s %11s %7s\n' "case (-p FORMAT / filter)" "ours s" "ours ev/s" \
	"sysdig s" "sysdig ev/s" "ratio"
run_case() { # FORMAT FILTER
	if [ -n "$SYSDIG" ]; then
		"$FR" -p "$1" -f "$2" "$BIG" >"$D/ours.out"
		"$SYSDIG" -r "$BIG" -p "$1" "$2" >"$D/sysdig.out"
		cmp -s "$D/ours.out" "$D/sysdig.out" || echo "  (outputs differ!)"
	fi
	o=$(best_time "$FR" -p "$1" -f "$2" "$BIG")
	line=$(printf '%-58s %8.3f %11.0f' "$1 / $2" "$o" "$(awk -v e="$EVENTS" -v t="$o" 'BEGIN{print e/t}')")
	if [ -n "$SYSDIG" ]; then
		s=$(best_time "$SYSDIG" -r "$BIG" -p "$1" "$2")
		line="$line $(awk -v e="$EVENTS" -v s="$s" -v o="$o" \
			'BEGIN { printf "| %8.3f %11.0f %6.1fx", s, e / s, s / o }')"
	fi
	echo "$line"
}
run_case '%proc.name %fd.name' 'evt.type=open and fd.name contains /etc'
run_case '%evt.num %proc.name %fd.name' 'fd.typechar=f and proc.name=curl and evt.dir=<'
run_case '%evt.num %evt.type %fd.name %evt.res' 'evt.rawres<0'
run_case '*%evt.num %evt.outputtime %evt.cpu %proc.name (%thread.tid) %evt.dir %evt.type %evt.info' 'evt.num>0'
echo "(ratio = sysdig seconds / ours; both write to /dev/null)"
