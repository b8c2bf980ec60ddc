#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-replay -p FORMAT -f FILTER (and -j, -n) must print what
# `sysdig -r CAPTURE -p FORMAT FILTER` prints, for every case of
# tests/e2e/replay_fields.cases (fields of every class, every operator).  The
# oracle is sysdig when installed, else its stored output
# (tests/expected/replay_fields.txt, made by tests/expected/gen_replay_fields.sh).
# Operators sysdig 0.29.3 lacks (bcontains, bstartswith, intersects) are
# checked against an equivalent filter in the table's last column.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/replay_fields_lib.sh"
need_shared
FR=$top_builddir/falco-replay
SYSDIG=$(command -v "${SYSDIG:-sysdig}" || true)
STORED=$top_srcdir/tests/expected/replay_fields.txt

n=0 bad=0
while IFS=";" read -r cap flags fmt flt sflt; do
	case $cap in '#'* | '') continue ;; esac
	n=$((n + 1))
	[ -n "$sflt" ] || sflt=$flt
	path=$(case_capture "$cap")
	if [ -n "$SYSDIG" ]; then
		run_sysdig "$path" "$flags" "$fmt" "$sflt" >"$WORK/want" 2>/dev/null ||
			fail "case $n: sysdig failed"
	else
		awk -v n="$n" '$0 == "### case " n { on = 1; next } /^### case / { on = 0 } on' \
			"$STORED" >"$WORK/want"
	fi
	run_ours "$path" "$flags" "$fmt" "$flt" >"$WORK/got" 2>"$WORK/err" ||
		{ echo "case $n: falco-replay failed: $(cat "$WORK/err")"; bad=$((bad + 1)); continue; }
	if ! cmp -s "$WORK/want" "$WORK/got"; then
		echo "case $n ($cap $flags -p '$fmt' '$flt') differs:"
		diff "$WORK/want" "$WORK/got" | head -n 6
		bad=$((bad + 1))
	fi
done <"$top_srcdir/tests/e2e/replay_fields.cases"
[ "$n" -ge 60 ] || fail "only $n cases"
[ "$bad" = 0 ] || fail "$bad of $n cases differ from sysdig"
note "$n cases identical to sysdig${SYSDIG:+ (run live)}"
