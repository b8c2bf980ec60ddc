#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Rule engine benchmark (make bench-rules; not part of make check): replays a
# big benign capture (BENCH_CAPTURE, default curl_google, BENCH_COPIES times,
# default 700 = ~1.07 M events) through falco-replay's alert mode with the
# stable upstream rules, with our default rules, and with no rules at all, and
# times sysdig 0.29.3 reading the same file with a filter that matches nothing
# (it still parses every event) for scale.  Best of BENCH_RUNS (default 3)
# wall-clock runs each; prints events/s side by side.
set -eu
: "${top_builddir:?run through make bench-rules}"
: "${top_srcdir:?run through make bench-rules}"
FF_SHARED=${FF_SHARED:-$top_srcdir/../shared}
SRC=${BENCH_CAPTURE:-$FF_SHARED/captures/curl_google.scap}
COPIES=${BENCH_COPIES:-700}
RUNS=${BENCH_RUNS:-3}
FR=$top_builddir/falco-replay
UP=$FF_SHARED/rules-upstream/falco_rules.yaml
[ -r "$SRC" ] || { echo "bench_rules: $SRC not found (set FF_SHARED or BENCH_CAPTURE)"; exit 1; }
[ -r "$UP" ] || { echo "bench_rules: $UP not found"; exit 1; }
D=$(mktemp -d "${TMPDIR:-/tmp}/ff-bench.XXXXXX")
trap 'rm -rf "$D"' EXIT
BIG=$D/big.scap
"$top_builddir/tests/bench/mkbig" -n "$COPIES" -o "$BIG" "$SRC" >&2
printf -- '- required_engine_version: 0.57.0\n' >"$D/none.yaml"
export TZ=UTC
SYSDIG=${SYSDIG:-$(command -v sysdig || true)}
"$FR" -r "$UP" "$BIG" >"$D/alerts" 2>"$D/summary"
EVENTS=$(sed -n 's/^Events: \([0-9]*\),.*/\1/p' "$D/summary")
EVALUATED=$(sed -n 's/^Events: [0-9]*, evaluated against rules: \([0-9]*\),.*/\1/p' "$D/summary")

best_time() {
	best=
	for _ in $(seq "$RUNS"); do
		t0=$(date +%s.%N)
		"$@" >/dev/null 2>&1
		t1=$(date +%s.%N)
		best=$(awk -v a="$t0" -v b="$t1" -v best="$best" \
			'BEGIN { t = b - a; if (best == "" || t < best) best = t; printf "%.3f", best }')
	done
	echo "$best"
}
rate() { awk -v n="$EVENTS" -v t="$1" 'BEGIN { printf "%.0f", n / t }'; }

echo "Rules benchmark: $(basename "$SRC") x $COPIES = $EVENTS events, $(wc -c <"$BIG") bytes;" \
	"$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
echo "  stable upstream rules: $(grep -c '^- rule:' "$UP"), $EVALUATED events tried against a rule," \
	"$(wc -l <"$D/alerts") alerts"
t=$(best_time "$FR" -q -r "$UP" "$BIG"); echo "  falco-replay, stable upstream rules: ${t} s  $(rate "$t") events/s"
t=$(best_time "$FR" -q "$BIG"); echo "  falco-replay, our default rules:     ${t} s  $(rate "$t") events/s"
t=$(best_time "$FR" -q -r "$D/none.yaml" "$BIG"); echo "  falco-replay, no rules:              ${t} s  $(rate "$t") events/s"
if [ -n "$SYSDIG" ]; then
	t=$(best_time "$SYSDIG" -r "$BIG" evt.num=0); echo "  sysdig -r (parse, print nothing):    ${t} s  $(rate "$t") events/s"
else
	echo "  sysdig not installed: no comparison"
fi
