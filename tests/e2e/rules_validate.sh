#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-replay --validate: the upstream files load Ok with the counts they
# contain; each loader error category is reported (file:line:col CODE) on a
# bad rules file, with exit 1; skip-if-unknown-filter downgrades to a warning.
. "$top_srcdir/tests/e2e/lib.sh"
FR=$top_builddir/falco-replay
BAD=$top_srcdir/tests/rules/bad
OURS=$top_srcdir/rules/falco-forensics_rules.yaml

"$FR" --validate "$OURS" >"$WORK/ours" || fail "our rules do not validate: $(cat "$WORK/ours")"
grep -qx "$OURS: Ok" "$WORK/ours" || fail "our rules: $(cat "$WORK/ours")"
want=$(grep -c '^- rule:' "$OURS")
grep -q "^$want rules (0 skipped), $(grep -c '^- macro:' "$OURS") macros, $(grep -c '^- list:' "$OURS") lists" "$WORK/ours" ||
	fail "our rules: counts: $(tail -n 1 "$WORK/ours")"

# expect_err FILE CODE LINE:COL
expect_err() {
	rc=0
	"$FR" --validate "$BAD/$1" >"$WORK/out" 2>&1 || rc=$?
	[ "$rc" = 1 ] || fail "$1: exit $rc, want 1"
	grep -q "^$BAD/$1:$3: error $2" "$WORK/out" || fail "$1: want $2 at $3, got: $(cat "$WORK/out")"
	grep -qx "$BAD/$1: Invalid: 1 error" "$WORK/out" || fail "$1: summary: $(cat "$WORK/out")"
}
expect_err yaml_parse.yaml LOAD_ERR_YAML_PARSE 4:1
expect_err yaml_validate.yaml LOAD_ERR_YAML_VALIDATE 5:13
expect_err compile_condition.yaml LOAD_ERR_COMPILE_CONDITION 3:14
expect_err compile_output.yaml LOAD_ERR_COMPILE_OUTPUT 1:3
expect_err validate.yaml LOAD_ERR_VALIDATE 3:14
expect_err validate_exception_field.yaml LOAD_ERR_VALIDATE 1:3
rc=0; "$FR" --validate "$WORK/none.yaml" >"$WORK/out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "LOAD_ERR_FILE_READ" "$WORK/out" || fail "missing file: $(cat "$WORK/out")"

# skip-if-unknown-filter: the rule is dropped with a warning, the file is Ok
"$FR" --validate "$BAD/skip_unknown.yaml" >"$WORK/out" 2>&1 || fail "skip_unknown: $(cat "$WORK/out")"
grep -q "warning LOAD_UNKNOWN_FILTER" "$WORK/out" || fail "skip_unknown: no warning: $(cat "$WORK/out")"
grep -qx "$BAD/skip_unknown.yaml: Ok, with warnings: 2 warnings" "$WORK/out" || fail "skip_unknown: $(cat "$WORK/out")"
# a rule tested against every event type is a warning, once
"$FR" --validate "$BAD/no_evttype.yaml" >"$WORK/out" 2>&1 || fail "no_evttype: $(cat "$WORK/out")"
[ "$(grep -c "warning LOAD_NO_EVTTYPE" "$WORK/out")" = 1 ] && grep -q "^$BAD/no_evttype.yaml:6:14: warning LOAD_NO_EVTTYPE (rule 'any_event')" "$WORK/out" ||
	fail "no_evttype: $(cat "$WORK/out")"
# Falco's schema warnings (checked against Falco 0.45's -V: the same four,
# and the file still Ok): listed apart, counted by no status
"$FR" --validate "$BAD/schema.yaml" >"$WORK/out" 2>&1 || fail "schema: $(cat "$WORK/out")"
grep -qx "$BAD/schema.yaml: Ok" "$WORK/out" || fail "schema: status: $(cat "$WORK/out")"
got=$(grep 'schema warning' "$WORK/out" | cut -d: -f2,3 | tr '\n' ' ')
[ "$got" = "11:13 12:12 23:7 24:13 " ] || fail "schema: warnings at $got: $(cat "$WORK/out")"
grep -q "priority 'notice' is none of" "$WORK/out" || fail "schema: priority: $(cat "$WORK/out")"
# a file after an invalid one is not loaded
rc=0; "$FR" --validate "$BAD/validate.yaml" "$OURS" >"$WORK/out" 2>&1 || rc=$?
[ "$rc" = 1 ] && grep -q "$OURS: not loaded" "$WORK/out" || fail "after an invalid file: $(cat "$WORK/out")"

need_shared
UP=$FF_SHARED/rules-upstream
for f in falco_rules.yaml falco-incubating_rules.yaml falco-sandbox_rules.yaml; do
	"$FR" --validate "$UP/$f" >"$WORK/out" 2>&1 || fail "$f: $(cat "$WORK/out")"
	[ "$(head -n 1 "$WORK/out")" = "$UP/$f: Ok" ] || fail "$f: $(cat "$WORK/out")"
	n=$(grep -cE '^(- |  )rule:' "$UP/$f"); m=$(grep -cE '^(- |  )macro:' "$UP/$f"); l=$(grep -cE '^(- |  )list:' "$UP/$f")
	grep -q "^$n rules (0 skipped), $m macros, $l lists" "$WORK/out" ||
		fail "$f: counts $(tail -n 1 "$WORK/out"), want $n rules $m macros $l lists"
done
note "upstream files validate Ok with their counts"
"$FR" --validate "$UP/falco_rules.yaml" "$UP/falco-incubating_rules.yaml" "$UP/falco-sandbox_rules.yaml" >"$WORK/out" 2>&1 ||
	fail "all three: $(cat "$WORK/out")"
[ "$(grep -c ': Ok$' "$WORK/out")" = 3 ] || fail "all three: $(cat "$WORK/out")"
exit 0
