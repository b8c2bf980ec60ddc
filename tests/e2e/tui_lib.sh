# SPDX-License-Identifier: Apache-2.0
# tmux helpers for falco-tui end-to-end tests (sourced after lib.sh).
# Every session runs on a private tmux server that the EXIT trap stops.
command -v tmux >/dev/null 2>&1 || skip "tmux not installed (apt-get install tmux)"
TUI=$top_builddir/falco-tui
TMUX_SOCK=fftui$$
trap 'tmux -L "$TMUX_SOCK" kill-server 2>/dev/null || true; rm -rf "$WORK"' EXIT
tm() { tmux -L "$TMUX_SOCK" -f /dev/null "$@"; }

# tui_start NAME COLS ROWS ARGS...: falco-tui in a fresh session; when it
# exits, the pane shows EXIT=<status> on the restored screen.
tui_start() {
	_n=$1 _w=$2 _h=$3
	shift 3
	printf '%s\n' "$@" >"$WORK/$_n.args"
	cat >"$WORK/$_n.sh" <<X
#!/bin/sh
set --
while IFS= read -r a; do set -- "\$@" "\$a"; done <"$WORK/$_n.args"
"$TUI" "\$@"
echo "EXIT=\$?"
exec sleep 600
X
	tm new-session -d -s "$_n" -x "$_w" -y "$_h" "sh $WORK/$_n.sh"
}
screen() { tm capture-pane -p -t "$1"; }
keys() { _n=$1; shift; tm send-keys -t "$_n" "$@"; }
# wait_for NAME ERE [SECONDS]: until the screen matches
wait_for() {
	_i=0
	while ! screen "$1" | grep -Eq -- "$2"; do
		_i=$((_i + 1))
		[ "$_i" -lt "$((${3:-10} * 20))" ] || {
			screen "$1" | sed 's/^/  | /'
			fail "timed out waiting for /$2/ on $1"
		}
		sleep 0.05
	done
}
# wait_idle NAME: the capture is read (no "reading" in the header) and the
# screen stopped changing
wait_idle() {
	wait_for "$1" '^View: '
	_i=0
	while screen "$1" | head -1 | grep -q 'reading'; do
		_i=$((_i + 1))
		[ "$_i" -lt 600 ] || fail "$1: still reading"
		sleep 0.05
	done
	_a=$(screen "$1")
	sleep 0.15
	while [ "$(screen "$1")" != "$_a" ]; do
		_a=$(screen "$1")
		sleep 0.15
	done
}
# row NAME N: the Nth line of the screen (1-based)
row() { screen "$1" | sed -n "${2}p"; }
