#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The syslog channel, the way a host's syslog daemon meets it: falco-replay
# runs in a private mount namespace whose /dev/log is a socket the test
# reads (tests/unit/logsink).  Every alert of the sample arrives once, as
# the text line (tests/expected/demo_alerts.txt), with facility user and
# the rule's priority as severity.  Root only (mount namespace).
. "$top_srcdir/tests/e2e/lib.sh"
export TZ=UTC FALCO_HOSTNAME=ff-demo
[ "$(id -u)" = 0 ] || skip "needs root for a private /dev/log"
unshare -m true 2>/dev/null || skip "unshare -m is not allowed here"
FR=$top_builddir/falco-replay
S=$top_builddir/samples/demo.scap
[ -f "$S" ] || S=$top_srcdir/samples/demo.scap
EXP=$top_srcdir/tests/expected/demo_alerts.txt

"$top_builddir/tests/unit/logsink" "$WORK/log.sock" "$WORK/ready" >"$WORK/msgs" &
sink=$!
i=0
while [ ! -f "$WORK/ready" ]; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "logsink did not start"
	sleep 0.1
done
# shellcheck disable=SC2016
unshare -m sh -c 'mount -t tmpfs none /dev && ln -s "$0" /dev/log && exec "$@"' "$WORK/log.sock" \
	"$FR" -q -o syslog_output.enabled=true -o stdout_output.enabled=false "$S" >"$WORK/out" 2>&1 ||
	fail "falco-replay failed: $(cat "$WORK/out")"
[ -s "$WORK/out" ] && fail "stdout was disabled, yet: $(cat "$WORK/out")"
wait "$sink"
# <PRI>TIMESTAMP falco-forensics[PID]: LINE; PRI = 8 (user) + severity
sed -n 's/^<\([0-9]*\)>.* falco-forensics\[[0-9]*\]: \(.*\)$/\1 \2/p' "$WORK/msgs" >"$WORK/got"
[ "$(wc -l <"$WORK/got")" = "$(wc -l <"$EXP")" ] ||
	fail "$(wc -l <"$WORK/got") syslog messages, want $(wc -l <"$EXP"): $(cat "$WORK/msgs")"
cut -d' ' -f2- "$WORK/got" | diff -u "$EXP" - || fail "syslog lines differ from the alerts"
while read -r pri ts prio rest; do
	case $prio in
	Emergency) sev=0 ;; Alert) sev=1 ;; Critical) sev=2 ;; Error) sev=3 ;;
	Warning) sev=4 ;; Notice) sev=5 ;; Informational) sev=6 ;; Debug) sev=7 ;;
	*) fail "unknown priority in: $ts $prio $rest" ;;
	esac
	[ "$pri" = $((8 + sev)) ] || fail "$prio alert logged with PRI $pri, want $((8 + sev))"
done <"$WORK/got"
note "$(wc -l <"$WORK/got") alerts through syslog, severities from their priorities"
