#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-tui --live (root, BPF; skipped otherwise, after checking the refusal).
# Not root: a clear error, exit 1, the terminal untouched.  As root, while the
# TUI runs, a small script (its name is ours) opens /etc/shadow and lingers:
# the Alerts view shows our "Sensitive file read" for it and the header
# counts it under its priority; the Processes view lists the script's pid;
# Enter shows its events, the open of /etc/shadow among them; p freezes the
# screen while the system keeps moving, p again resumes; + lengthens the
# interval; a consumer stopped (SIGSTOP) while a syscall burst overflows a
# small ring shows drops in the header; q restores the terminal.  The header
# and the key bar are whole (no cut or overlapping segment) at 80x24 and
# 200x60.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/tui_lib.sh"
. "$top_srcdir/tests/e2e/live_lib.sh"

# ---- the refusal without root: message, exit 1, terminal restored ----
if [ "$(id -u)" = 0 ]; then
	command -v setpriv >/dev/null || skip "setpriv not installed (util-linux)"
	cat >"$WORK/nobody.sh" <<X
#!/bin/sh
exec setpriv --reuid=65534 --regid=65534 --clear-groups "$top_builddir/falco-tui" "\$@"
X
	chmod 755 "$WORK/nobody.sh"
	REAL_TUI=$TUI
	TUI=$WORK/nobody.sh
fi
tui_start nr 120 40 --live
wait_for nr '^EXIT=1' 20
screen nr | grep -q '^falco-tui: live: .*needs root' || fail "not root: $(screen nr | head -3)"
[ "$(tm display -p -t nr '#{alternate_on}')" = 0 ] || fail "not root: alternate screen left on"
note "not root: '$(screen nr | head -1)', exit 1, terminal as it was"
[ "$(id -u)" = 0 ] || skip "falco-tui --live needs root (the refusal was checked)"
TUI=$REAL_TUI
need_live

D=$(mktemp -d /tmp/ff-tui-live.XXXXXX)
trap 'tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK" "$D"' EXIT
# a process of ours that trips "Sensitive file read" and stays a while
printf '#!/bin/sh\nexec 3</etc/shadow\nsleep 12\n' >"$D/fftuishadow"
chmod 755 "$D/fftuishadow"

# our rules without the container ones (live_lib.sh)
QUIET=$D/no-container-rules.yaml
quiet_container_rules "$QUIET"
RULES="--rules $top_srcdir/rules/falco-forensics_rules.yaml --rules $QUIET"

# shellcheck disable=SC2086
tui_start lv 160 40 --live -d 500 $RULES
wait_for lv '^View: Alerts +For: whole system +Live: (bpf|kmod) +[0-9]+ evts +Drops: [0-9]+ +Every 500ms' 30
"$D/fftuishadow" &
SC=$!
wait_for lv "^[0-9:.]+ +Warning +Sensitive file read +fftuishadow +host +Sensitive file opened for reading \| file=/etc/shadow process=fftuishadow" 15
wait_for lv '^Filter: none +Time: last 500ms +Alerts: [1-9][0-9]* \[(.*, )?Warn [1-9]'
note "the alert of pid $SC: $(screen lv | grep -m1 'Sensitive file read' | cut -c1-100)"
note "header: $(row lv 2)"

# the process, then its events (the ring: rendered as they came)
keys lv F2 2
wait_for lv '^View: Processes'
# pid, parent (the test's shell) and user, typed in pieces: the tmux commands
# that type them are processes too, and the search must not find them
keys lv C-f
keys lv -l "$SC"
keys lv -l " $$"
keys lv -l " root"
keys lv Enter
wait_for lv "^ +$SC +[0-9]+ root .* /bin/sh $D/fftuishadow\$"
keys lv Enter
wait_for lv "^View: Events +For: fftuishadow \($SC\)"
wait_for lv "fftuishadow \($SC\) < openat fd=3\(<f>/etc/shadow\)"
note "Processes lists $SC fftuishadow; Enter: its open of /etc/shadow"

# pause: the screen stays while the system moves; resume: it moves again
keys lv p
wait_for lv '^View: Events .* PAUSED$'
a=$(screen lv)
ls -R /usr/share >/dev/null 2>&1
sleep 2
[ "$(screen lv)" = "$a" ] || fail "the screen changed while paused"
keys lv p
wait_for lv '^View: Events .* Every 500ms$'
ev=$(row lv 1 | sed 's/.* \([0-9]*\) evts.*/\1/')
i=0
while [ "$(row lv 1 | sed 's/.* \([0-9]*\) evts.*/\1/')" = "$ev" ]; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "no refresh after resuming"
	ls /usr >/dev/null
	sleep 0.1
done
keys lv +
wait_for lv '^View: Events .* Every 1.00s$'
keys lv '?'
wait_for lv '^falco-tui keys'
screen lv | grep -q '^  p  .*pause' || fail "help does not list p"
screen lv | grep -q '^  + -  .*refresh interval' || fail "help does not list + -"
keys lv x
note "p froze the screen 2 s, p resumed it; + made it every 1 s; ? lists p and + -"
keys lv q
wait_for lv '^EXIT=0'
[ "$(tm display -p -t lv '#{alternate_on}')" = 0 ] || fail "alternate screen still on after q"
screen lv | grep -q '^View:' && fail "TUI text left on the restored screen"
kill "$SC" 2>/dev/null || true

# ---- drops: the TUI stopped while a burst overflows its small rings ----
# (so small a ring may overflow while /proc is scanned: the count before the
# burst is the baseline)
# shellcheck disable=SC2086
tui_start dr 120 40 --live --all --buffer-size 131072 -v procs -d 500 $RULES
wait_for dr '^View: Processes .* Drops: [0-9]+ ' 30
sleep 1
drops() { row dr 1 | sed -n 's/.* Drops: \([0-9]*\) .*/\1/p'; }
d0=$(drops)
pid=$(pgrep -P "$(tm display -p -t dr '#{pane_pid}')" falco-tui)
[ -n "$pid" ] || fail "no falco-tui process"
kill -STOP "$pid"
for _ in 1 2 3; do ls -lR /usr/lib >/dev/null 2>&1; done
kill -CONT "$pid"
i=0
while [ "$(drops)" -le "$d0" ]; do
	i=$((i + 1))
	[ $i -lt 200 ] || fail "no drops counted after the overflow: $(row dr 1)"
	sleep 0.1
done
note "drops in the header after an overflow: $d0, then $(drops)"
keys dr q
wait_for dr '^EXIT=0'

# ---- layout: every header segment whole, at 80x24 and 200x60 ----
# Segments are separated by two spaces and left out whole when they do not
# fit: each must be one of the forms the header has, complete.
SEG='^(View: [A-Z][A-Za-z ]*|For: .+|Live: (bpf|kmod)|[0-9]+ evts|Drops: [0-9]+|Every [0-9.]+(ms|s)|PAUSED|Filter: .+|Time: (last [0-9.]+(ms|s)|all held|[0-9:.]+ window [0-9.]+(ms|s))|Alerts: [0-9]+( \[[A-Za-z]+ [0-9]+(, [A-Za-z]+ [0-9]+)*\])?|Alerts: off)$'
check_live_layout() { # NAME COLS ROWS
	for r in 1 2; do
		l=$(row "$1" "$r")
		[ "${#l}" -le "$2" ] || fail "$1: header line $r longer than $2"
		row "$1" "$r" | sed 's/  \+/\n/g' | grep . | while IFS= read -r s; do
			echo "$s" | grep -qE "$SEG" || fail "$1 at ${2}x$3: header segment '$s' is cut or overlapped"
		done
	done
	row "$1" 1 | grep -qE '^View: .*  Drops: [0-9]+' || fail "$1 at ${2}x$3: no drop counter: $(row "$1" 1)"
	row "$1" 2 | grep -qE 'Alerts: [0-9]+' || fail "$1 at ${2}x$3: no alert counts: $(row "$1" 2)"
	tl=$(row "$1" 3)
	case $tl in \[*\]) ;; *) fail "$1 at ${2}x$3: timeline '$tl'" ;; esac
	for t in $(row "$1" "$3"); do
		case $t in
		F1Help | F2Views | F4Filter | F9Sort | ^FSearch | "[]Time" | pPause | +-Delay | qQuit) ;;
		[0-9]*/[0-9]*) ;;
		*) fail "$1 at ${2}x$3: key bar token '$t' is cut or overlapped" ;;
		esac
	done
}
# shellcheck disable=SC2086
tui_start w 200 60 --live -d 500 $RULES
# shellcheck disable=SC2086
tui_start n 80 24 --live -d 500 $RULES
wait_for w '^View: Alerts' 30
wait_for n '^View: Alerts' 30
"$D/fftuishadow" &
SC=$!
wait_for w 'Sensitive file read' 20
wait_for n 'Sensitive file read' 20
for v in 1 2 5 0; do
	keys w F2 "$v"
	keys n F2 "$v"
	sleep 1.2 # a refresh or two
	check_live_layout w 200 60
	check_live_layout n 80 24
done
note "80x24: $(row n 1) / $(row n 2)"
keys w q
# SIGINT leaves as q does (sent to falco-tui alone: a ^C would stop the
# session's shell too, before it prints the exit status)
kill -INT "$(pgrep -P "$(tm display -p -t n '#{pane_pid}')" falco-tui)"
wait_for w '^EXIT=0'
wait_for n '^EXIT=0'
[ "$(tm display -p -t n '#{alternate_on}')" = 0 ] || fail "alternate screen still on after ^C"
kill "$SC" 2>/dev/null || true
note "live header and key bar whole at 80x24 and 200x60 in 4 views"
