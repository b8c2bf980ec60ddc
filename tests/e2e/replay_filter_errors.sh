#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Malformed filters and formats are usage errors (exit 2) whose message names
# the column (filters) or offset (formats) of the problem, and print nothing.
. "$top_srcdir/tests/e2e/lib.sh"
FR=$top_builddir/falco-replay
CAP=$top_srcdir/samples/demo.scap
# expect_err FLAG TEXT WANT: falco-replay FLAG TEXT exits 2 and says WANT
expect_err() {
	rc=0
	"$FR" "$1" "$2" "$CAP" >"$WORK/out" 2>"$WORK/err" || rc=$?
	[ "$rc" = 2 ] || fail "$1 '$2': exit $rc, want 2"
	[ ! -s "$WORK/out" ] || fail "$1 '$2': printed events"
	grep -q -- "$3" "$WORK/err" || fail "$1 '$2': message '$(cat "$WORK/err")' lacks '$3'"
}
# unbalanced parenthesis: the end of the text (column 36)
expect_err -f 'proc.name=bash and (evt.type=open' 'column 34'
# a closing parenthesis too many
expect_err -f 'proc.name=bash)' 'column 15'
# unknown field, named with its column
expect_err -f 'evt.type=open and proc.nme=cat' "column 19"
expect_err -f 'evt.type=open and proc.nme=cat' "proc.nme"
# an operator the field's type does not take
expect_err -f 'fd.num contains 3' 'column 8'
expect_err -f 'evt.failed > true' 'column 12'
# unterminated string
expect_err -f 'proc.name = "bash' 'column 13'
# bad values for the type
expect_err -f 'fd.num = abc' 'column 10'
expect_err -f 'evt.type = nosuchevent' 'nosuchevent'
# formats: unknown field, filter-only field, trailing %
expect_err -p '%evt.num %nosuch.field' 'offset 9'
expect_err -p '%evt.num %fd.ip' 'filter only'
expect_err -p '%evt.num %' 'cannot end with a %'
# a good filter still runs
"$FR" -f 'proc.name=bash and (evt.type=open)' "$CAP" >/dev/null || fail "good filter failed"
exit 0
