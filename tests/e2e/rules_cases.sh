#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Alert cases: each tests/rules/cases/*.case is a capture spec (tests/rules/mkcap.c)
# plus `!rules ours|upstream|FILE.yaml` (in tests/rules/), `!config FILE.yaml`
# (in tests/rules/), `!opts` and the exact alert lines expected (`= LINE`, none
# for a near miss).  `!hosts IP NAME` lines make the replay see exactly those
# host names (fd.*ip.name resolves them): it runs in a mount namespace whose
# /etc/hosts holds them (root only; the case is skipped otherwise).  The capture is built with our writer, replayed through
# falco-replay with those rules, and stdout must be exactly the expected lines.
. "$top_srcdir/tests/e2e/lib.sh"
export TZ=UTC FALCO_HOSTNAME=ff-test
FR=$top_builddir/falco-replay
UP=$FF_SHARED/rules-upstream/falco_rules.yaml
n=0; bad=0; skipped=0
for c in "$top_srcdir"/tests/rules/cases/*.case; do
	name=$(basename "$c" .case)
	rules=$(sed -n 's/^!rules //p' "$c")
	case $rules in
	upstream)
		[ -f "$UP" ] || { skipped=$((skipped + 1)); continue; }
		set -- -r "$UP" ;;
	ours) set -- -r "$top_srcdir/rules/falco-forensics_rules.yaml" ;;
	*.yaml) set -- -r "$top_srcdir/tests/rules/$rules" ;;
	*) fail "$name: no !rules line" ;;
	esac
	opts=$(sed -n 's/^!opts //p' "$c")
	config=$(sed -n 's/^!config //p' "$c")
	[ -z "$config" ] || set -- "$@" -c "$top_srcdir/tests/rules/$config"
	hosts=$(sed -n 's/^!hosts //p' "$c")
	if [ -n "$hosts" ]; then
		if [ "$(id -u)" != 0 ] || ! unshare -m true 2>/dev/null; then
			echo "$name: skipped (a private /etc/hosts needs root and unshare)"
			skipped=$((skipped + 1))
			continue
		fi
		printf '%s\n' "$hosts" >"$WORK/$name.hosts"
		# shellcheck disable=SC2016
		set -- unshare -m sh -c 'mount --bind "$0" /etc/hosts && exec "$@"' \
			"$WORK/$name.hosts" "$FR" "$@"
	else
		set -- "$FR" "$@"
	fi
	n=$((n + 1))
	"$top_builddir/tests/rules/mkcap" "$c" "$WORK/$name.scap" || { bad=$((bad + 1)); continue; }
	sed -n 's/^= //p' "$c" >"$WORK/$name.want"
	# shellcheck disable=SC2086
	if ! "$@" -q $opts "$WORK/$name.scap" >"$WORK/$name.got" 2>"$WORK/$name.err"; then
		echo "$name: falco-replay failed: $(cat "$WORK/$name.err")"
		bad=$((bad + 1))
		continue
	fi
	if ! cmp -s "$WORK/$name.want" "$WORK/$name.got"; then
		echo "$name: alerts differ"
		diff -u "$WORK/$name.want" "$WORK/$name.got" | head -20
		bad=$((bad + 1))
	fi
done
note "$n alert cases, $bad failed, $skipped skipped (no upstream rules, or no root for !hosts)"
[ "$n" -gt 0 ] || skip "no cases"
[ "$bad" = 0 ] || fail "$bad alert case(s) failed"
exit 0
