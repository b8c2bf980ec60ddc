#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerate tests/expected/replay_fields.txt: sysdig 0.29.3's output for every
# case of tests/e2e/replay_fields.cases, for replay_fields.sh when sysdig is not
# installed.  Run from the source tree: sh tests/expected/gen_replay_fields.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "$here/../.." && pwd)
CAPTURES=${FF_SHARED:-$top_srcdir/../shared}/captures
SYSDIG=${SYSDIG:-sysdig}
"$SYSDIG" --version | grep -q '0.29.3' || { echo "needs sysdig 0.29.3" >&2; exit 1; }
. "$top_srcdir/tests/e2e/replay_fields_lib.sh"

n=0
while IFS=";" read -r cap flags fmt flt sflt; do
	case $cap in '#'* | '') continue ;; esac
	n=$((n + 1))
	[ -n "$sflt" ] || sflt=$flt
	echo "### case $n"
	run_sysdig "$(case_capture "$cap")" "$flags" "$fmt" "$sflt"
done <"$top_srcdir/tests/e2e/replay_fields.cases" >"$here/replay_fields.txt"
