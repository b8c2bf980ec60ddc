#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-replay alert mode on the sample's intrusion story (samples/mksample.c):
# every step of the story raises its rule of ours (the expected lines were
# checked step by step against the story), in text and JSON; rule selection,
# minimum priority, rule_matching, several captures, config file, -o, the
# file and program channels, the rate limit, usage errors, the summary.
. "$top_srcdir/tests/e2e/lib.sh"
export TZ=UTC FALCO_HOSTNAME=ff-demo
FR=$top_builddir/falco-replay
S=$top_builddir/samples/demo.scap
[ -f "$S" ] || S=$top_srcdir/samples/demo.scap
EXP=$top_srcdir/tests/expected
OURS=$top_srcdir/rules/falco-forensics_rules.yaml

"$FR" "$S" >"$WORK/out" 2>"$WORK/err" || fail "alert mode failed: $(cat "$WORK/err")"
diff -u "$EXP/demo_alerts.txt" "$WORK/out" || fail "alerts on the sample differ"
grep -qx "Events detected: 8" "$WORK/err" || fail "summary: $(cat "$WORK/err")"
grep -qx "   Sensitive file read: 1" "$WORK/err" || fail "summary per rule: $(cat "$WORK/err")"
grep -qx "   WARNING: 5" "$WORK/err" || fail "summary per priority: $(cat "$WORK/err")"
grep -q "^Events: 70, evaluated against rules: 12, [0-9]* events/s" "$WORK/err" || fail "summary events: $(cat "$WORK/err")"
"$FR" -q -j "$S" >"$WORK/out" || fail "-j failed"
diff -u "$EXP/demo_alerts.json" "$WORK/out" || fail "JSON alerts differ"
note "8 alerts on the sample, text and JSON"

# -o priority: Error and above only
"$FR" -q -o priority=error "$S" >"$WORK/out"
[ "$(cut -d' ' -f2,3,4 "$WORK/out")" = "Error Cron schedule" ] || fail "priority=error: $(cat "$WORK/out")"
# first match: with the cron rule disabled, the same write raises "Write below etc"
"$FR" -q -D Cron "$S" >"$WORK/out"
[ "$(wc -l <"$WORK/out")" = 8 ] || fail "-D Cron: $(wc -l <"$WORK/out") alerts"
grep -q "Error File below /etc opened for writing | file=/etc/cron.d/persist" "$WORK/out" || fail "-D Cron: no Write below etc"
# all matches: both rules on that event, and both on the container shell
"$FR" -q -o rule_matching=all "$S" >"$WORK/out"
[ "$(wc -l <"$WORK/out")" = 10 ] || fail "rule_matching=all: $(wc -l <"$WORK/out") alerts, want 10"
# -t: only the rules with that tag; -T: all but them
"$FR" -q -t container "$S" >"$WORK/out"
[ "$(cut -d' ' -f3- "$WORK/out" | cut -d'|' -f1)" = "Shell spawned in a container " ] || fail "-t container: $(cat "$WORK/out")"
"$FR" -q -T filesystem "$S" >"$WORK/out"
[ "$(wc -l <"$WORK/out")" = 3 ] || fail "-T filesystem: $(cat "$WORK/out")"
# two captures: the second one's alerts are its own (no stale values)
"$FR" -q "$S" "$S" >"$WORK/out"
cat "$EXP/demo_alerts.txt" "$EXP/demo_alerts.txt" | diff -u - "$WORK/out" || fail "two captures"
note "selection, priority, rule_matching, several captures"

# config file and channels
cat >"$WORK/falco.yaml" <<EOC
rules_file:
  - $OURS
json_output: true
json_include_tags_property: false
priority: warning
stdout_output:
  enabled: false
file_output:
  enabled: true
  filename: $WORK/alerts.json
program_output:
  enabled: true
  program: cat >>$WORK/program.json
EOC
"$FR" -q -c "$WORK/falco.yaml" "$S" >"$WORK/out" || fail "-c failed"
[ ! -s "$WORK/out" ] || fail "stdout_output disabled but got: $(cat "$WORK/out")"
[ "$(wc -l <"$WORK/alerts.json")" = 6 ] || fail "file_output: $(wc -l <"$WORK/alerts.json") alerts, want 6"
cmp -s "$WORK/alerts.json" "$WORK/program.json" || fail "program_output differs from file_output"
grep -v '"priority":"Notice"' "$EXP/demo_alerts.json" | sed 's/,"tags":\[[^]]*\]//' | diff -u - "$WORK/alerts.json" ||
	fail "file_output content"
# -o overrides the file
"$FR" -q -c "$WORK/falco.yaml" -o stdout_output.enabled=true -o json_output=false -o file_output.enabled=false \
	-o program_output.enabled=false -o priority=debug "$S" >"$WORK/out"
diff -u "$EXP/demo_alerts.txt" "$WORK/out" || fail "-o over -c"
# the token bucket: 3 tokens, refill negligible
"$FR" -o outputs.rate=0.0001 -o outputs.max_burst=3 "$S" >"$WORK/out" 2>"$WORK/err"
head -n 3 "$EXP/demo_alerts.txt" | diff -u - "$WORK/out" || fail "rate limit"
grep -qx "Alerts dropped by outputs.rate: 5" "$WORK/err" || fail "rate limit summary: $(cat "$WORK/err")"
note "config file, -o, file/program channels, rate limit"

# usage errors: exit 2 with a message
for a in "-o nokey" "-o priority=loud" "-o outputs.rate=-1" "-r $WORK/none.yaml" "-c $WORK/none.yaml" "-r $top_srcdir/tests/rules/bad/validate.yaml"; do
	rc=0
	# shellcheck disable=SC2086
	"$FR" $a "$S" >"$WORK/out" 2>"$WORK/err" || rc=$?
	[ "$rc" = 2 ] || fail "$a: exit $rc, want 2"
	[ -s "$WORK/err" ] || fail "$a: no message"
done
printf 'a: [\n' >"$WORK/bad.yaml"
rc=0; "$FR" -c "$WORK/bad.yaml" "$S" >/dev/null 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] && grep -q "bad.yaml:2:1" "$WORK/err" || fail "bad config: $rc $(cat "$WORK/err")"
# append_output: a field no format knows is an error at the entry's place;
# an unknown key is a warning, and the alerts still come
printf 'append_output:\n  - match: {tags: [filesystem]}\n    extra_output: "%%no.such"\n' >"$WORK/ao.yaml"
rc=0; "$FR" -c "$WORK/ao.yaml" "$S" >/dev/null 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] && grep -q "ao.yaml:2:5: append_output: extra_output: .*%no.such" "$WORK/err" ||
	fail "bad extra_output: $rc $(cat "$WORK/err")"
printf 'append_output:\n  - extra_fields: [no.such]\n' >"$WORK/ao.yaml"
rc=0; "$FR" -c "$WORK/ao.yaml" "$S" >/dev/null 2>"$WORK/err" || rc=$?
[ "$rc" = 2 ] && grep -q "ao.yaml:2:5: append_output: extra_fields 'no.such'" "$WORK/err" ||
	fail "bad extra_fields: $rc $(cat "$WORK/err")"
printf 'append_output:\n  - suggested_output: true\n    color: red\n' >"$WORK/ao.yaml"
"$FR" -q -c "$WORK/ao.yaml" "$S" >"$WORK/out" 2>"$WORK/err" || fail "append_output warning: $(cat "$WORK/err")"
grep -q "warning: .*ao.yaml:3:5: append_output: unknown key 'color' ignored" "$WORK/err" ||
	fail "no warning: $(cat "$WORK/err")"
diff -u "$EXP/demo_alerts.txt" "$WORK/out" >/dev/null || fail "alerts changed by a warned entry"
note "append_output errors and warnings"
# -L lists the active rules
[ "$("$FR" -L | tail -n +2 | wc -l)" = "$(grep -c '^- rule:' "$OURS")" ] || fail "-L"
[ "$("$FR" -L -o priority=error | tail -n +2 | wc -l)" = 5 ] || fail "-L with priority=error"
exit 0
