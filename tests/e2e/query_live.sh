#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-query --live: while it indexes the running system, another
# falco-query process finds a known scenario in the database (the exec of cat
# with its name, command line, parent, user and cwd; its open with the file's
# full name; a loopback TCP connect with its real ports; the alert of our
# default rule for reading /etc/shadow); a short retention window then drops
# the scenario's events, files and processes while the alert and its process
# stay; losses under a stopped consumer become rows of `drops`; SIGINT ends a
# run cleanly with its summary.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/live_lib.sh"
FQ="$top_builddir/falco-query"

# usage errors need no root
for args in "--live" "--retention 5 --db $WORK/x.db SELECT" "--live --db $WORK/x.db $WORK/x.scap" \
	"--live --db $WORK/x.db --retention soon"; do
	rc=0
	# shellcheck disable=SC2086
	"$FQ" $args >/dev/null 2>"$WORK/u.err" || rc=$?
	[ "$rc" = 2 ] || fail "falco-query $args: exit $rc, want 2 ($(cat "$WORK/u.err"))"
done
# not root: a clear error, exit 1
if [ "$(id -u)" != 0 ]; then
	rc=0
	"$FQ" --live --db "$WORK/x.db" 2>"$WORK/u.err" || rc=$?
elif command -v setpriv >/dev/null; then
	rc=0
	setpriv --reuid=65534 --regid=65534 --clear-groups "$FQ" --live --db /tmp/ff-ql-$$.db \
		2>"$WORK/u.err" || rc=$?
fi
if [ -n "${rc:-}" ]; then
	[ "$rc" = 1 ] && grep -q 'needs root' "$WORK/u.err" ||
		fail "not root: exit $rc: $(cat "$WORK/u.err")"
fi
need_live

D=$(mktemp -d /tmp/ff-query-live.XXXXXX)
trap 'kill "$QL_PID" 2>/dev/null || true; rm -rf "$WORK" "$D"' EXIT
echo data >"$D/ff-query-live-input.txt"

# our rules without the container ones (live_lib.sh)
QUIET=$WORK/no-container-rules.yaml
quiet_container_rules "$QUIET"

# start_live DB ERR ARGS...: falco-query --live in the background, back once
# it says tracing runs
start_live() {
	db=$1 err=$2
	shift 2
	"$FQ" --live --db "$db" --rules "$top_srcdir/rules/falco-forensics_rules.yaml" \
		--rules "$QUIET" "$@" 2>"$err" &
	QL_PID=$!
	wait_live "$QL_PID" "$err" "falco-query --live"
}

stop_live() {
	kill -INT "$QL_PID"
	rc=0
	wait "$QL_PID" || rc=$?
	[ "$rc" = 0 ] || fail "falco-query --live exited $rc after SIGINT: $(cat "$1")"
	grep -q 'events indexed in' "$1" || fail "no summary: $(cat "$1")"
}

# q DB SQL: one CSV answer from another process, the writer still running
q() {
	kill -0 "$QL_PID" 2>/dev/null || fail "falco-query --live died: $(cat "$WORK"/*.err)"
	"$FQ" --csv --db "$1" "$2" | tail -n +2
}

# wait_for DB SQL: until the answer is not empty (rows come with each commit)
wait_for() {
	i=0
	while [ -z "$(q "$1" "$2")" ]; do
		i=$((i + 1))
		[ $i -lt 150 ] || fail "never answered: $2"
		sleep 0.1
	done
}

# 1. the scenario, found by SQL while the index grows
DB=$WORK/live.db
start_live "$DB" "$WORK/live.err" -q
(cd "$D" && sh -c 'cat ff-query-live-input.txt >/dev/null')
ports=$("$SCEN/loopback_tcp.sh")
"$SCEN/read_shadow.sh" >/dev/null
cport=${ports% *}
sport=${ports#* }
wait_for "$DB" "SELECT 1 FROM alerts WHERE rule = 'Sensitive file read' AND output LIKE '%file=/etc/shadow%'"
wait_for "$DB" "SELECT 1 FROM connections WHERE dport = $sport"

got=$(q "$DB" "SELECT p.name, p.cmdline, pp.name, p.user, p.cwd, p.exepath FROM processes p
	LEFT JOIN processes pp ON pp.id = p.parent_row
	WHERE p.reason = 'exec' AND p.cmdline LIKE '%ff-query-live-input%' AND p.name = 'cat'")
want="cat,cat ff-query-live-input.txt,sh,root,$D/,/usr/bin/cat"
[ "$got" = "$want" ] || fail "exec: got '$got', want '$want'"
got=$(q "$DB" "SELECT e.type, e.fdname, f.path, f.flags_text, f.res >= 0 FROM files f
	JOIN processes p ON p.id = f.proc_row JOIN events e ON e.num = f.num
	WHERE p.name = 'cat' AND f.path LIKE '%ff-query-live-input%'")
want="openat,$D/ff-query-live-input.txt,$D/ff-query-live-input.txt,O_RDONLY,1"
[ "$got" = "$want" ] || fail "open: got '$got', want '$want'"
got=$(q "$DB" "SELECT c.l4, c.sip, c.sport, c.dip, c.dport, p.name FROM connections c
	JOIN processes p ON p.id = c.proc_row WHERE c.direction = 'out' AND c.dport = $sport")
want="tcp,127.0.0.1,$cport,127.0.0.1,$sport,perl"
[ "$got" = "$want" ] || fail "connect: got '$got', want '$want'"
got=$(q "$DB" "SELECT e.type, e.dir, e.res FROM events e JOIN connections c ON c.num = e.num
	WHERE c.direction = 'out' AND c.dport = $sport")
[ "$got" = "connect,<,0" ] || fail "connect event: got '$got'"
got=$(q "$DB" "SELECT a.rule, a.priority, p.name, p.cmdline FROM alerts a
	JOIN processes p ON p.id = a.proc_row WHERE a.rule = 'Sensitive file read' AND a.output LIKE '%file=/etc/shadow%'")
want="Sensitive file read,Warning,cat,cat /etc/shadow"
[ "$got" = "$want" ] || fail "alert: got '$got', want '$want'"
stop_live "$WORK/live.err"
note "$(grep 'events indexed' "$WORK/live.err")"
# the finished database is an ordinary file again, readable alone
[ ! -e "$DB-wal" ] || fail "WAL file left after a clean stop"
[ "$(stat -c %a "$DB")" = 600 ] || fail "database mode $(stat -c %a "$DB"), want 600"

# 2. retention: a 2 s window while the host keeps busy; the scenario's rows
# go (events, files, the process that ended), its alert and the alert's
# process stay
DB=$WORK/ret.db
start_live "$DB" "$WORK/ret.err" -q --retention 2
echo data >"$D/ff-query-live-old.txt"
(cd "$D" && sh -c 'cat ff-query-live-old.txt >/dev/null')
"$SCEN/read_shadow.sh" >/dev/null
wait_for "$DB" "SELECT 1 FROM files WHERE path LIKE '%ff-query-live-old%'"
wait_for "$DB" "SELECT 1 FROM alerts WHERE rule = 'Sensitive file read' AND output LIKE '%file=/etc/shadow%'"
i=0
while [ -n "$(q "$DB" "SELECT 1 FROM files WHERE path LIKE '%ff-query-live-old%'")" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "the scenario's open outlived a 2 s window by 20 s"
	cat /etc/hostname >/dev/null
	sleep 0.1
done
got=$(q "$DB" "SELECT count(*) FROM events WHERE fdname LIKE '%ff-query-live-old%'")
[ "$got" = 0 ] || fail "$got events of the old open are still there"
got=$(q "$DB" "SELECT count(*) FROM processes WHERE cmdline = 'cat ff-query-live-old.txt'")
[ "$got" = 0 ] || fail "the old cat's process row is still there"
got=$(q "$DB" "SELECT a.rule, p.cmdline FROM alerts a JOIN processes p ON p.id = a.proc_row
	WHERE a.rule = 'Sensitive file read' AND a.output LIKE '%file=/etc/shadow%'")
[ "$got" = "Sensitive file read,cat /etc/shadow" ] || fail "alert after retention: '$got'"
# what is kept spans the window (plus a commit or two)
span=$(q "$DB" "SELECT (max(ts) - min(ts)) / 1000000 FROM events")
[ "$span" -le 4500 ] || fail "events span $span ms with a 2 s window"
got=$(q "$DB" "SELECT count(*) FROM events WHERE proc_row NOT IN (SELECT id FROM processes)")
[ "$got" = 0 ] || fail "$got events refer to deleted processes"
stop_live "$WORK/ret.err"
note "retention: kept span ${span} ms"

# 3. losses: a small ring, every syscall, the consumer stopped while a burst
# overflows it; the holes are rows of `drops`
DB=$WORK/drops.db
start_live "$DB" "$WORK/drops.err" -q --all --buffer-size 131072
kill -STOP "$QL_PID"
dd if=/dev/zero of=/dev/null bs=1 count=20000 2>/dev/null
kill -CONT "$QL_PID"
wait_for "$DB" "SELECT 1 FROM drops WHERE lost > 0"
lost=$(q "$DB" "SELECT sum(lost) FROM drops")
stop_live "$WORK/drops.err"
grep -q "events lost by the driver (.* drop records in table drops" "$WORK/drops.err" ||
	fail "summary: $(cat "$WORK/drops.err")"
note "drops: $lost events lost, in table drops"
echo "PASS: falco-query --live"
