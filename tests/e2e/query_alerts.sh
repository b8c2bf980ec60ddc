#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-query's alerts table holds what `falco-replay` prints for the same
# capture and rules, each row on the event sysdig numbers and the process
# that raised it; other rules (or an edited rules file) re-index.
. "$top_srcdir/tests/e2e/lib.sh"
need_sysdig
FQ=$top_builddir/falco-query
FR=$top_builddir/falco-replay
S=$WORK/demo.scap
cp "$top_srcdir/samples/demo.scap" "$S"

"$FR" -q "$S" 2>/dev/null >"$WORK/replay.txt"
[ -s "$WORK/replay.txt" ] || fail "falco-replay raised no alert"
"$FQ" -q --csv "$S" "SELECT output FROM alerts ORDER BY id" | tail -n +2 |
	sed 's/^"//; s/"$//; s/""/"/g' >"$WORK/query.txt"
cmp -s "$WORK/replay.txt" "$WORK/query.txt" ||
	fail "alerts rows differ from falco-replay: $(diff "$WORK/replay.txt" "$WORK/query.txt" | head -5)"
note "alerts: the $(wc -l <"$WORK/replay.txt") lines falco-replay prints, in order"

# the shadow read: the event sysdig numbers, the process sysdig names
set -- $("$SYSDIG" -r "$S" -p "%evt.num %proc.pid %proc.name" "evt.type=openat and fd.name=/etc/shadow and evt.dir=<")
got=$("$FQ" -q --csv "$S" "SELECT a.num, p.pid, p.name, json_extract(a.fields, '\$.\"fd.name\"') FROM alerts a JOIN processes p ON p.id = a.proc_row WHERE a.rule = 'Sensitive file read'" | tail -1)
[ "$got" = "$1,$2,$3,/etc/shadow" ] || fail "shadow alert row: '$got' (want $1,$2,$3,/etc/shadow)"
note "the sensitive-read alert is event $1 of process $2 ($3), fields as JSON"

# other rules: a one-rule file; editing it re-indexes
cat >"$WORK/r.yaml" <<'Y'
- rule: any execve
  desc: every program started
  condition: evt.type = execve and evt.dir = <
  output: "exec %proc.name"
  priority: NOTICE
Y
want=$("$SYSDIG" -r "$S" "evt.type=execve and evt.dir=<" | wc -l)
got=$("$FQ" -q --csv --rules "$WORK/r.yaml" "$S" "SELECT count(*) FROM alerts" | tail -1)
[ "$got" = "$want" ] || fail "--rules: $got alerts, sysdig lists $want execs"
sed -i 's/priority: NOTICE/priority: ERROR/' "$WORK/r.yaml"
got=$("$FQ" -q --csv --rules "$WORK/r.yaml" "$S" "SELECT DISTINCT priority FROM alerts" | tail -1)
[ "$got" = Error ] || fail "edited rules file not re-indexed (priority $got)"
got=$("$FQ" -q --csv --no-rules "$S" "SELECT count(*) FROM alerts" | tail -1)
[ "$got" = 0 ] || fail "--no-rules: $got alerts"
note "--rules: one alert per execve sysdig lists ($want); an edit re-indexes; --no-rules: none"
echo "- rule: broken" >"$WORK/bad.yaml"
"$FQ" -q --rules "$WORK/bad.yaml" "$S" "SELECT 1" 2>"$WORK/err" && fail "bad rules accepted"
grep -q "bad.yaml" "$WORK/err" || fail "bad rules file not named: $(cat "$WORK/err")"
exit 0
