#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-replay CAPTURE must print byte for byte what `sysdig -r CAPTURE` prints
# (default line format) for the three real captures sysdig 0.29.3 reads.  The
# oracle is sysdig itself when installed, else its stored output in
# tests/expected/ (tests/expected/gen_replay_expected.sh).
. "$top_srcdir/tests/e2e/lib.sh"
need_shared
FR=$top_builddir/falco-replay
export TZ=UTC
SYSDIG=${SYSDIG:-$(command -v sysdig || true)}
for c in $SYSDIG_CAPTURES; do
	name=${c%.scap}
	want=$WORK/$name.want
	if [ -n "$SYSDIG" ] && [ -x "$SYSDIG" ]; then
		"$SYSDIG" -r "$CAPTURES/$c" >"$want" || fail "$c: sysdig failed"
		cmp -s "$want" "$top_srcdir/tests/expected/$name.sysdig.txt" ||
			note "$c: stored sysdig output is stale (regenerate tests/expected)"
	else
		cp "$top_srcdir/tests/expected/$name.sysdig.txt" "$want"
	fi
	[ -s "$want" ] || fail "$c: oracle printed nothing"
	"$FR" -e "$CAPTURES/$c" >"$WORK/$name.got" || fail "$c: falco-replay failed"
	if ! cmp -s "$want" "$WORK/$name.got"; then
		# show the first differing line of each side
		n=$(cmp "$want" "$WORK/$name.got" 2>&1 | sed -n 's/.* line \([0-9]*\).*/\1/p')
		n=${n:-1}
		echo "sysdig:       $(sed -n "${n}p" "$want")"
		echo "falco-replay: $(sed -n "${n}p" "$WORK/$name.got")"
		fail "$c: output differs from sysdig at line $n"
	fi
	note "$c: $(wc -l <"$want") lines identical"
done
