#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-tui driven through tmux: the views list what sysdig 0.29.3 lists for
# the same capture (process ids and names, files, connections, containers,
# errors, syscall counts), drilling into a process shows exactly its sysdig
# lines, filters apply (and bad ones show their error inline), views switch,
# the header and key bar never overlap or cut text at 80x24 and 200x60 (also
# after a resize), and q restores the terminal.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/tui_lib.sh"
need_sysdig

# ---- usage errors ----
"$TUI" --help | grep -q 'Usage: falco-tui' || fail "--help"
set +e
"$TUI" >/dev/null 2>&1; [ $? = 2 ] || fail "no capture: want exit 2"
"$TUI" -v nosuch "$top_srcdir/samples/demo.scap" >/dev/null 2>&1; [ $? = 2 ] || fail "bad view: want 2"
"$TUI" "$WORK/missing.scap" >/dev/null 2>&1; [ $? = 1 ] || fail "missing file: want 1"
script -qc "'$TUI' /etc/passwd" /dev/null >"$WORK/notcap.out" 2>&1 </dev/null
grep -q "/etc/passwd: not a scap capture" "$WORK/notcap.out" || fail "no error for a non-capture"
for bad in "--all $top_srcdir/samples/demo.scap" "--live --driver nosuch" \
	"--live --buffer-size 1000" "--live -s 0" "--live --pcap x.pcap" \
	"-r a.scap -r b.scap"; do
	# shellcheck disable=SC2086
	"$TUI" $bad >/dev/null 2>&1
	rc=$?
	[ $rc = 2 ] || fail "falco-tui $bad: exit $rc, want 2"
done
set -e
note "usage errors exit 2 (live options without --live, bad driver, ring size, snaplen), a missing file 1, a non-capture is named"

S=$top_srcdir/samples/demo.scap
"$SYSDIG" -r "$S" >"$WORK/demo.txt"

# ---- alerts: the view lists what `falco-replay` raises, in order ----
"$top_builddir/falco-replay" -q -j "$S" 2>/dev/null |
	sed -n 's/.*"rule":"\([^"]*\)".*/\1/p' >"$WORK/rules"
[ -s "$WORK/rules" ] || fail "falco-replay raised no alert on the sample"
tui_start alerts 200 40 "$S"
wait_for alerts '^View: Alerts'
wait_idle alerts
na=$(wc -l <"$WORK/rules")
screen alerts | grep -q "Alerts: $na " || fail "header does not count $na alerts: $(row alerts 2)"
i=5
while read -r r; do
	line=$(row alerts $i)
	echo "$line" | grep -qF -- "$(printf '%.24s' "$r")" || fail "alert row $((i - 4)): want rule '$r', got: $line"
	i=$((i + 1))
done <"$WORK/rules"
note "Alerts: the $na rules falco-replay raises, in its order"
# Enter: the alert's process ancestry (from sysdig) and the events around it
keys alerts Enter
wait_for alerts '^ALERT DETAIL'
set -- $("$SYSDIG" -r "$S" -p "%proc.pid %proc.ppid %proc.name" "evt.type=openat and fd.name=/etc/shadow and evt.dir=<")
screen alerts | grep -qE "^ +$1 $3 " || fail "alert detail lacks the process $1 $3"
screen alerts | grep -qE "^ +$2 " || fail "alert detail lacks the parent $2"
want=$("$SYSDIG" -r "$S" "evt.type=openat and fd.name=/etc/shadow and evt.dir=<" | cut -c1-100)
screen alerts | grep -qF -- "$want" || fail "alert detail lacks the alert's event: $want"
note "alert detail: process $1 ($3), parent $2 and the event sysdig lists"
keys alerts q
wait_for alerts '^EXIT=0'

# ---- the sample: processes ----
tui_start demo 120 40 -v procs "$S"
wait_idle demo
screen demo >"$WORK/procs.scr"
"$SYSDIG" -r "$S" -p "%proc.pid %proc.name" |
	awk '{ n[$1] = $2 } END { for (p in n) print p, n[p] }' | sort -n >"$WORK/pids"
[ -s "$WORK/pids" ] || fail "sysdig listed no processes"
while read -r pid name; do
	line=$(grep -E "^ *$pid +" "$WORK/procs.scr" || true)
	[ -n "$line" ] || fail "process $pid ($name) not in the Processes view"
	echo "$line" | grep -q -- "$name" || fail "process $pid: '$name' not in: $line"
	want=$(grep -c " ($pid) " "$WORK/demo.txt" || true)
	got=$(echo "$line" | awk '{ print $6 }')
	[ "$got" = "$want" ] || fail "process $pid: $got events shown, sysdig lists $want"
done <"$WORK/pids"
note "Processes: every pid sysdig lists, with its name and event count ($(wc -l <"$WORK/pids") processes)"

# ---- files, connections, containers ----
keys demo F2 3
wait_for demo '^View: Files'
wait_idle demo
"$SYSDIG" -r "$S" -p "%fd.name" "fd.type=file and evt.dir=<" | sort -u | grep . >"$WORK/files"
while read -r f; do
	screen demo | grep -qF -- " $f" || fail "file $f not in the Files view"
done <"$WORK/files"
note "Files: $(tr '\n' ' ' <"$WORK/files")"
keys demo F2 5
wait_for demo '^View: Connections'
"$SYSDIG" -r "$S" -p "%fd.name" "fd.type=ipv4 and evt.dir=<" | sort -u | grep . >"$WORK/conns"
while read -r c; do
	screen demo | grep -qF -- "$c" || fail "connection $c not shown"
done <"$WORK/conns"
keys demo F2 9
wait_for demo '^View: Containers'
"$SYSDIG" -r "$S" -p "%container.id" "container.id!=host" | sort -u >"$WORK/ctrs"
while read -r c; do
	screen demo | grep -qE -- "^$c +[0-9]" || fail "container $c not shown"
done <"$WORK/ctrs"
note "Connections and Containers list sysdig's"

# ---- drill into a process: its events, exactly sysdig's lines ----
pid=$("$SYSDIG" -r "$S" -p "%proc.pid" "proc.name=curl" | head -1)
keys demo F2 2
wait_for demo '^View: Processes'
keys demo C-f
keys demo -l "$pid "
keys demo Enter
keys demo Enter
wait_for demo "^View: Events +For: curl \($pid\)"
wait_idle demo
"$SYSDIG" -r "$S" "proc.pid=$pid" | cut -c1-120 | sed "s/ *\$//" >"$WORK/curl.want"
n=$(wc -l <"$WORK/curl.want")
screen demo | sed -n "5,$((4 + n))p" >"$WORK/curl.got"
diff -u "$WORK/curl.want" "$WORK/curl.got" || fail "the process's events differ from sysdig -r proc.pid=$pid"
note "Enter on curl ($pid): its $n events, as sysdig -r prints them"
# F2 keeps the scope: the process's files
keys demo F2 3
wait_for demo "^View: Files +For: curl \($pid\)"
"$SYSDIG" -r "$S" -p "%fd.name" "proc.pid=$pid and fd.type=file and evt.dir=<" | sort -u | grep . >"$WORK/cfiles"
got=$(screen demo | sed -n '5,$p' | awk 'NF >= 6 { print $6 }' | grep '^/' | sort -u)
[ "$got" = "$(cat "$WORK/cfiles")" ] || fail "curl's files: got '$got'"
keys demo BSpace
wait_for demo '^View: Processes +For: whole capture'
note "F2 keeps the drill-down scope; Backspace goes back"

# ---- filter ----
keys demo F4
keys demo -l 'proc.nme=cat'
keys demo Enter
wait_for demo "^Filter error: .*proc\.nme"
keys demo C-u
keys demo -l 'proc.name=cat and fd.typechar=f'
keys demo Enter
wait_for demo '^Filter: proc.name=cat and fd.typechar=f'
wait_idle demo
cpid=$("$SYSDIG" -r "$S" -p "%proc.pid" "proc.name=cat and fd.typechar=f" | head -1)
want=$("$SYSDIG" -r "$S" "proc.name=cat and fd.typechar=f" | wc -l)
rows=$(screen demo | sed -n '5,39p' | grep -cE '^ *[0-9]+ ' || true)
[ "$rows" = 1 ] || fail "filter proc.name=cat and fd.typechar=f: $rows process rows"
got=$(screen demo | awk -v p="$cpid" '$1 == p { print $6 }')
[ "$got" = "$want" ] || fail "filter proc.name=cat and fd.typechar=f: $got events, sysdig lists $want"
note "F4 filter: an error names the field inline; proc.name=cat and fd.typechar=f (full field set) leaves cat's $want file events"
keys demo F4 C-u Enter
wait_for demo '^Filter: none'

# ---- help, quit ----
keys demo '?'
wait_for demo '^falco-tui keys'
for k in F1 F2 F4 F9 Enter Backspace q; do
	screen demo | grep -q -- "$k" || fail "help does not list $k"
done
keys demo x
wait_for demo '^View: '
keys demo q
wait_for demo '^EXIT=0'
[ "$(tm display -p -t demo '#{alternate_on}')" = 0 ] || fail "alternate screen still on after q"
screen demo | grep -q '^View:' && fail "TUI text left on the restored screen"
note "help lists the keys; q exits 0 with the terminal restored"

# ---- a real capture ----
need_shared
C=$CAPTURES/curl_google.scap
tui_start real 120 40 -v errors "$C"
wait_idle real
"$SYSDIG" -r "$C" -p "%evt.res" "evt.failed=true and evt.dir=<" | sort | uniq -c >"$WORK/errs"
while read -r cnt name; do
	screen real | grep -qE "^ *$cnt +[0-9]+ $name\$" || fail "error $name x$cnt not shown"
done <"$WORK/errs"
keys real F2 7
wait_for real '^View: System Calls'
"$SYSDIG" -r "$C" -p "%evt.type" "evt.dir=<" | sort | uniq -c | sort -rn | head -3 >"$WORK/sc"
while read -r cnt name; do
	screen real | grep -qE "^ *$cnt +.* $name\$" || fail "syscall $name x$cnt not shown"
done <"$WORK/sc"
keys real F2 3
wait_for real '^View: Files'
"$SYSDIG" -r "$C" -p "%fd.name" "fd.type=file and evt.dir=<" | sort | uniq -c | sort -rn |
	awk '$1 >= 5 { print $1, $2 }' >"$WORK/rfiles"
while read -r cnt f; do
	screen real | grep -qE " $cnt +[0-9]+ +[0-9]+ $f\$" || fail "file $f ($cnt ops) not shown"
done <"$WORK/rfiles"
# F9: sort by FILENAME (last column), ascending
keys real F9 End Enter
wait_for real ' FILENAME\^'
"$SYSDIG" -r "$C" -p "%fd.name" "(fd.type=file or fd.type=directory) and evt.dir=<" |
	grep . | LC_ALL=C sort -u | head -5 >"$WORK/sorted.want"
screen real | sed -n '5,9p' | awk '{ print $NF }' >"$WORK/sorted.got"
diff -u "$WORK/sorted.want" "$WORK/sorted.got" || fail "F9 sort by file name"
note "curl_google: errors, top syscalls and busiest files as sysdig counts them; F9 sorts"

# ---- time travel: a window in the middle of a multi-frame zstd capture ----
# 200 copies of curl_google (307,200 events, ~5 zstd frames with a seek table);
# go to an event's time, and the Events view lists exactly the events sysdig
# finds in that window.
"$top_builddir/tests/bench/mkbig" -n 200 -o "$WORK/mid.scap" "$C" >/dev/null
"$top_builddir/falco-capture" -r "$WORK/mid.scap" -w "$WORK/mid.zst.scap" >/dev/null
set -- $("$SYSDIG" -r "$WORK/mid.scap" -p "%evt.rawtime %evt.time" | sed -n '60000p')
raw=$1 tod=$(echo "$2" | cut -c1-12)
tui_start tt 120 40 -v events "$WORK/mid.zst.scap"
wait_idle tt
keys tt g
keys tt -l "$tod"
keys tt Enter
wait_for tt "^Filter: none +Time: $tod window "
wait_idle tt
w=$(row tt 2 | sed 's/.* window \([^ ]*\).*/\1/')
case $w in
1ms) wns=1000000 ;; 10ms) wns=10000000 ;; 100ms) wns=100000000 ;; 1.00s) wns=1000000000 ;;
10.00s) wns=10000000000 ;; 60.00s) wns=60000000000 ;; 10m00s) wns=600000000000 ;;
60m00s) wns=3600000000000 ;; *) fail "window width '$w'" ;;
esac
cur=$((raw / 1000000 * 1000000)) # the cursor: the typed time, to the millisecond
t0=$((cur - wns / 2)) t1=$((cur - wns / 2 + wns - 1))
"$SYSDIG" -r "$WORK/mid.scap" "evt.rawtime >= $t0 and evt.rawtime <= $t1" >"$WORK/win.txt"
n=$(wc -l <"$WORK/win.txt")
[ "$n" -gt 35 ] || fail "window holds only $n events"
row tt 40 | grep -qE " 1/$n\$" || fail "Events in the window: $(row tt 40), sysdig finds $n"
head -35 "$WORK/win.txt" | cut -c1-120 | sed 's/ *$//' >"$WORK/win.want"
screen tt | sed -n '5,39p' >"$WORK/win.got"
diff -u "$WORK/win.want" "$WORK/win.got" || fail "the window's events differ from sysdig's"
note "g $tod: the $w window around it lists sysdig's $n events (seek table, frame jump)"
keys tt q

# ---- layout at 80x24 and 200x60, and after a resize ----
# Header segments are separated by two spaces and are left out whole: every
# segment at a small size must be one of the wide screen's segments.
segs() { row "$1" "$2" | sed 's/  \+/\n/g' | grep .; }
check_layout() { # NAME COLS ROWS WIDE_SEGS_FILE
	for r in 1 2; do
		l=$(row "$1" "$r")
		[ "${#l}" -le "$2" ] || fail "$1: header line $r longer than $2"
		segs "$1" "$r" | while IFS= read -r s; do
			grep -qxF -- "$s" "$4" || fail "$1 at ${2}x$3: header segment '$s' is cut or overlapped"
		done
	done
	tl=$(row "$1" 3)
	case $tl in \[*\]) ;; *) fail "$1 at ${2}x$3: timeline '$tl'" ;; esac
	[ "${#tl}" -le "$2" ] || fail "$1: timeline too long"
	foot=$(row "$1" "$3")
	for t in $foot; do
		case $t in
		F1Help | F2Views | F4Filter | F9Sort | ^FSearch | "[]Time" | wWindow | tTree | qQuit) ;;
		[0-9]*/[0-9]*) ;;
		*) fail "$1 at ${2}x$3: key bar token '$t' is cut or overlapped" ;;
		esac
	done
	echo "$foot" | grep -q 'F1Help' || fail "$1 at ${2}x$3: no F1Help in the key bar"
}
for v in alerts procs files connections syscalls errors containers events; do
	tui_start "w$v" 200 60 -v "$v" "$C"
	tui_start "n$v" 80 24 -v "$v" "$C"
	wait_idle "w$v"
	wait_idle "n$v"
	{ segs "w$v" 1; segs "w$v" 2; } >"$WORK/$v.segs"
	check_layout "w$v" 200 60 "$WORK/$v.segs"
	check_layout "n$v" 80 24 "$WORK/$v.segs"
	tm resize-window -t "w$v" -x 80 -y 24
	sleep 0.3
	wait_idle "w$v"
	check_layout "w$v" 80 24 "$WORK/$v.segs"
	keys "w$v" q
	keys "n$v" q
	wait_for "w$v" '^EXIT=0'
	wait_for "n$v" '^EXIT=0'
done
note "header, timeline and key bar whole at 80x24, 200x60 and after a resize, in 8 views"
