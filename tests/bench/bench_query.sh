#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-query benchmark (make bench-query; not part of make check): builds a
# big capture from a real one (BENCH_CAPTURE, default curl_google, repeated
# BENCH_COPIES times, default 2500 = ~3 M listed events), times indexing with
# and without the rendered text columns (events/s, best of BENCH_RUNS), then five typical
# questions as SQL on the index (best of BENCH_RUNS, default 3) beside sysdig
# answering the same question with a filter over the capture.  Both answers
# are printed: they must agree.
set -eu
: "${top_builddir:?run through make bench-query}"
FF_SHARED=${FF_SHARED:-$top_builddir/../shared}
SRC=${BENCH_CAPTURE:-$FF_SHARED/captures/curl_google.scap}
COPIES=${BENCH_COPIES:-2500}
RUNS=${BENCH_RUNS:-3}
FQ=$top_builddir/falco-query
[ -r "$SRC" ] || { echo "bench_query: $SRC not found (set FF_SHARED or BENCH_CAPTURE)"; exit 1; }
if [ -n "${BENCH_DIR:-}" ]; then
	D=$BENCH_DIR
	mkdir -p "$D"
else
	D=$(mktemp -d "${TMPDIR:-/tmp}/ff-bench.XXXXXX")
	trap 'rm -rf "$D"' EXIT
fi
BIG=$D/bigq.scap
[ -s "$BIG" ] || "$top_builddir/tests/bench/mkbig" -n "$COPIES" -o "$BIG" "$SRC" >&2
SYSDIG=${SYSDIG:-$(command -v sysdig || true)}

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

echo "Query benchmark: $(basename "$SRC") x $COPIES, $(wc -c <"$BIG") bytes;" \
	"$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
# full and --no-text on all cores, then full pinned to one core (what the
# writer thread buys: replay and SQLite's inserts run side by side)
index() { # LABEL COMMAND...: best of RUNS (this VM's wall times vary by a third)
	label=$1
	shift
	best= all=
	for _ in $(seq "$RUNS"); do
		t0=$(now)
		"$@" -q --reindex --db "$D/idx.tmp.sqlite" "$BIG" "SELECT 1" >/dev/null
		t1=$(now)
		s=$(secs "$t0" "$t1")
		all="$all $s"
		best=$(awk -v t="$s" -v b="$best" 'BEGIN { if (b == "" || t < b) b = t; printf "%.3f", b }')
	done
	ev=$("$FQ" --csv --db "$D/idx.tmp.sqlite" "SELECT count(*) FROM events" | tail -n 1)
	printf 'index %-14s %9d events %7.2f s %9.0f events/s  %5d MB  (runs:%s)\n' "$label" "$ev" \
		"$best" "$(awk -v e="$ev" -v s="$best" 'BEGIN { print e / s }')" \
		"$(($(stat -c %s "$D/idx.tmp.sqlite") / 1000000))" "$all"
}
index "(full)" "$FQ"
mv "$D/idx.tmp.sqlite" "$D/idx.sqlite"
index "--no-text" "$FQ" --no-text
if command -v taskset >/dev/null; then
	index "(full, 1 core)" taskset -c 0 "$FQ"
fi
rm -f "$D/idx.tmp.sqlite"
DB=$D/idx.sqlite

printf '\n%-44s %9s %10s | %9s %10s\n' "question" "SQL s" "answer" "sysdig s" "answer"
q() { # LABEL SQL SYSDIG-FILTER
	best=
	for _ in $(seq "$RUNS"); do
		t0=$(now)
		a=$("$FQ" --csv --db "$DB" "$BIG" "$2" | tail -n 1)
		t1=$(now)
		best=$(awk -v t="$(secs "$t0" "$t1")" -v b="$best" 'BEGIN { if (b == "" || t < b) b = t; printf "%.3f", b }')
	done
	line=$(printf '%-44s %9s %10s' "$1" "$best" "$a")
	if [ -n "$SYSDIG" ]; then
		t0=$(now)
		sa=$("$SYSDIG" -r "$BIG" "$3" | wc -l)
		t1=$(now)
		line="$line | $(printf '%9s %10s' "$(secs "$t0" "$t1")" "$sa")"
		[ "$sa" = "$a" ] || line="$line  (answers differ!)"
	fi
	echo "$line"
}
q "events of one type" "SELECT count(*) FROM events WHERE type='mmap'" "evt.type=mmap"
q "opens of a path" "SELECT count(*) FROM files WHERE path='/etc/ld.so.cache' AND res >= 0" \
	"(evt.type=open or evt.type=openat) and evt.dir=< and fd.name=/etc/ld.so.cache"
q "connects to port 80" "SELECT count(*) FROM connections WHERE direction='out' AND dport=80" \
	"evt.type=connect and evt.dir=< and fd.rport=80"
q "events of processes named curl (join)" \
	"SELECT count(*) FROM events e JOIN processes p ON p.id=e.proc_row WHERE p.name='curl'" "proc.name=curl"
q "failed syscalls" "SELECT count(*) FROM events WHERE res<0" "evt.rawres<0"
echo "(SQL s: falco-query process wall time on the built index, best of $RUNS; sysdig: one run)"
