#!/bin/sh
# falco-query answers = sysdig's: for every case of query_sysdig.cases the
# count the SQL gives equals the number of lines `sysdig -r CAPTURE FILTER`
# prints.  Without sysdig, the counts recorded from it in
# tests/expected/query_counts.txt stand in (regenerate: GEN=1 with sysdig).
. "$top_srcdir/tests/e2e/lib.sh"
need_shared
FQ=$top_builddir/falco-query
CASES=$top_srcdir/tests/e2e/query_sysdig.cases
EXP=$top_srcdir/tests/expected/query_counts.txt
SYSDIG=$(command -v "${SYSDIG:-sysdig}" || true)
[ -n "$SYSDIG" ] || note "sysdig not installed: comparing with the counts recorded from it"
[ -n "$SYSDIG" ] || [ -r "$EXP" ] || skip "neither sysdig nor $EXP"
[ "${GEN:-0}" = 1 ] && : >"$EXP.new"

n=0
bad=0
while IFS='|' read -r cap filter sql; do
	case $cap in '#'* | '') continue ;; esac
	if [ "$cap" = demo ]; then src=$top_srcdir/samples/demo.scap; else src=$CAPTURES/$cap; fi
	db=$WORK/$cap.fq.sqlite
	got=$("$FQ" -q --csv --db "$db" "$src" "$sql" | tail -n 1) || fail "$cap: $sql: falco-query failed"
	if [ -n "$SYSDIG" ]; then
		want=$("$SYSDIG" -r "$src" "$filter" | wc -l)
	else
		want=$(awk -F'|' -v c="$cap" -v f="$filter" '$1 == c && $2 == f { print $3 }' "$EXP")
	fi
	[ "${GEN:-0}" = 1 ] && printf '%s|%s|%s\n' "$cap" "$filter" "$want" >>"$EXP.new"
	n=$((n + 1))
	if [ "$got" != "$want" ]; then
		echo "  MISMATCH $cap: '$filter' sysdig=$want  '$sql' -> $got"
		bad=$((bad + 1))
	fi
done <"$CASES"
[ "${GEN:-0}" = 1 ] && mv "$EXP.new" "$EXP"
[ "$n" -ge 20 ] || fail "only $n cases"
[ "$bad" = 0 ] || fail "$bad of $n questions disagree with sysdig"
note "$n questions agree with sysdig"
