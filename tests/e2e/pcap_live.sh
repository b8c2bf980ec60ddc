#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Packets beside syscalls, live (root, BPF): falco-capture --pcap lo records a
# loopback client and server of known sizes (tests/unit/tcpxfer) beside the
# syscall capture; falco-query joins the client process (its pid, known here)
# to its flow with the bytes each way that were sent, counted again by tcpdump
# and tshark where installed; the SYN lies between the client's connect enter
# and exit (one clock).  --pcap-filter keeps a decoy exchange out.  The same
# join works for a non-root user with --pcap FILE; capture errors name the
# interface (no such device, no CAP_NET_RAW).  Rotation: -G/-W and -C/-W make
# one FILE.pcap per file, holding exactly the packets of that file's time.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/live_lib.sh"
need_live
TX=$top_builddir/tests/unit/tcpxfer
FQ=$top_builddir/falco-query
SENT=100000 BACK=300000

PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
# server NAME SEND [CONNS]: background server; its port in $PORT
server() {
	"$TX" server "$WORK/$1.port" "$2" ${3:-} >"$WORK/$1.out" &
	PIDS="$PIDS $!"
	i=0
	while [ ! -s "$WORK/$1.port" ]; do
		i=$((i + 1))
		[ $i -lt 100 ] || fail "server $1 did not start"
		sleep 0.05
	done
	PORT=$(cat "$WORK/$1.port")
}
# q CAPTURE SQL...: one CSV answer without its header
q() { "$FQ" -q --csv "$@" | tail -n +2; }

# ---- capture errors name the interface, exit 1, leave no files
rc=0
"$CAP" -w "$WORK/e.scap" --pcap ffnosuch0 -M 1 2>"$WORK/e.err" || rc=$?
[ "$rc" = 1 ] || fail "--pcap ffnosuch0: exit $rc"
grep -q "ffnosuch0: no such interface" "$WORK/e.err" || fail "unclear error: $(cat "$WORK/e.err")"
[ ! -e "$WORK/e.scap" ] && [ ! -e "$WORK/e.scap.pcap" ] || fail "no such interface: files left"
if setpriv --bounding-set=-net_raw true 2>/dev/null; then
	rc=0
	setpriv --bounding-set=-net_raw "$CAP" -w "$WORK/np.scap" --pcap lo -M 1 2>"$WORK/np.err" || rc=$?
	[ "$rc" = 1 ] || fail "without CAP_NET_RAW: exit $rc"
	grep -q "packet capture on lo: permission denied" "$WORK/np.err" ||
		fail "without CAP_NET_RAW: unclear error: $(cat "$WORK/np.err")"
	[ ! -e "$WORK/np.scap" ] && [ ! -e "$WORK/np.scap.pcap" ] || fail "without CAP_NET_RAW: files left"
	note "errors: $(cat "$WORK/e.err"); $(cat "$WORK/np.err")"
else
	note "setpriv cannot drop CAP_NET_RAW here: the permission error is not checked"
fi

# ---- a known exchange, and a decoy the packet filter must keep out
server srv $BACK
P=$PORT
server decoy 5000
D=$PORT
start_capture "$WORK/cap.scap" --pcap lo --pcap-filter "tcp port $P"
"$TX" client "$P" $SENT >"$WORK/cli.out" &
CLI=$!
wait $CLI || fail "client failed"
"$TX" client "$D" 7000 >/dev/null || fail "decoy client failed"
stop_capture
[ "$(cat "$WORK/cli.out")" = "sent $SENT received $BACK" ] || fail "client: $(cat "$WORK/cli.out")"
[ "$(cat "$WORK/srv.out")" = "received $SENT" ] || fail "server: $(cat "$WORK/srv.out")"
grep -q 'packets written on lo, 0 dropped by the kernel, 0 by the interface' "$WORK/capture.err" ||
	fail "packet summary: $(cat "$WORK/capture.err")"
PC=$WORK/cap.scap.pcap
[ -s "$PC" ] || fail "no $PC beside the capture"
[ "$(stat -c %a "$PC")" = 600 ] || fail "pcap mode $(stat -c %a "$PC")"

# the join: CAPTURE.pcap beside the capture, no option needed
J="SELECT p.pid, p.name, f.sport, f.bytes_c2s, f.bytes_s2c, c.direction
   FROM flows f JOIN processes p ON p.id = f.proc_row JOIN connections c ON c.id = f.conn_row"
got=$(q "$WORK/cap.scap" "$J")
want="$CLI,tcpxfer,$P,$SENT,$BACK,out"
[ "$got" = "$want" ] || fail "joined flow: got '$got', want '$want'"
note "flow joined to the client: $got"
n=$(q "$WORK/cap.scap" "SELECT count(*) FROM flows")
[ "$n" = 1 ] || fail "$n flows: the packet filter let the decoy in"
n=$(q "$WORK/cap.scap" "SELECT count(*) FROM connections WHERE dport = $D AND direction = 'out'")
[ "$n" -ge 1 ] || fail "the decoy connect is not in the syscall capture"
cport=$(q "$WORK/cap.scap" "SELECT cport FROM flows")
npk=$(q "$WORK/cap.scap" "SELECT count(*) FROM packets")
# the connection row's own byte counts, from read/write sizes
got=$(q "$WORK/cap.scap" "SELECT c.bytes_out, c.bytes_in FROM flows f JOIN connections c ON c.id = f.conn_row")
if grep -q ' 0 dropped, 0 not built, 0 missed' "$WORK/capture.err"; then
	[ "$got" = "$SENT,$BACK" ] || fail "connection bytes from syscalls: $got"
else
	note "the driver dropped events: the connection's syscall byte counts are not checked"
fi

# one clock: the SYN was stamped inside the client's connect call
set -- $(q "$WORK/cap.scap" "SELECT e.ts FROM events e JOIN processes p ON p.id = e.proc_row
	WHERE p.pid = $CLI AND e.type = 'connect' ORDER BY e.ts" | tr '\n' ' ')
[ $# = 2 ] || fail "client connect enter/exit: $*"
syn=$(q "$WORK/cap.scap" "SELECT ts FROM packets WHERE tcp_flags = 2 AND sport = $cport")
[ "$syn" -ge "$1" ] && [ "$syn" -le "$2" ] || fail "SYN at $syn outside connect [$1, $2]"
note "SYN $((syn - $1)) ns after connect entered, $(($2 - syn)) ns before it returned"

# other readers count the same packets and bytes
if command -v tcpdump >/dev/null 2>&1; then
	tn=$(tcpdump -q -nn -r "$PC" 2>/dev/null | wc -l)
	[ "$tn" = "$npk" ] || fail "tcpdump reads $tn packets, we index $npk"
	c2s=$(tcpdump -q -nn -r "$PC" "tcp src port $cport" 2>/dev/null | awk '{ s += $NF } END { print s + 0 }')
	s2c=$(tcpdump -q -nn -r "$PC" "tcp dst port $cport" 2>/dev/null | awk '{ s += $NF } END { print s + 0 }')
	[ "$c2s,$s2c" = "$SENT,$BACK" ] || fail "tcpdump counts $c2s/$s2c payload bytes, sent $SENT/$BACK"
	note "tcpdump agrees: $tn packets, $c2s/$s2c payload bytes"
else
	note "tcpdump not installed: not cross-checked"
fi
if command -v tshark >/dev/null 2>&1; then
	tn=$(tshark -r "$PC" 2>/dev/null | wc -l)
	[ "$tn" = "$npk" ] || fail "tshark reads $tn packets, we index $npk"
	c2s=$(tshark -r "$PC" -Y "tcp.srcport == $cport" -T fields -e tcp.len 2>/dev/null |
		awk '{ s += $1 } END { print s + 0 }')
	s2c=$(tshark -r "$PC" -Y "tcp.dstport == $cport" -T fields -e tcp.len 2>/dev/null |
		awk '{ s += $1 } END { print s + 0 }')
	[ "$c2s,$s2c" = "$SENT,$BACK" ] || fail "tshark counts $c2s/$s2c payload bytes, sent $SENT/$BACK"
	note "tshark agrees: $tn packets, $c2s/$s2c payload bytes"
else
	note "tshark not installed: not cross-checked"
fi

# ---- the file join needs no privilege: nobody, --pcap FILE named elsewhere
chmod 755 "$WORK"
mkdir "$WORK/nb"
cp "$WORK/cap.scap" "$WORK/nb/c.scap"
cp "$PC" "$WORK/nb/taken-elsewhere.pcap"
chown -R 65534:65534 "$WORK/nb"
got=$(setpriv --reuid=65534 --regid=65534 --clear-groups "$FQ" -q --csv "$WORK/nb/c.scap" \
	--pcap "$WORK/nb/taken-elsewhere.pcap" "$J" 2>"$WORK/nb.err" | tail -n +2) ||
	fail "falco-query as nobody: $(cat "$WORK/nb.err")"
[ "$got" = "$want" ] || fail "as nobody: got '$got', want '$want' ($(cat "$WORK/nb.err"))"
note "the same join as nobody with --pcap FILE"

# ---- without --pcap, a FILE.pcap left from before goes with the file it described
echo stale >"$WORK/cap.scap.pcap"
"$CAP" -q -w "$WORK/cap.scap" -n 10 -M 10 2>"$WORK/s.err" || fail "capture: $(cat "$WORK/s.err")"
[ ! -e "$WORK/cap.scap.pcap" ] || fail "a stale FILE.pcap stayed beside a new capture"

# ---- rotation: one pcap per file, holding the packets of that file's span
server loop 1000 0
R=$PORT
(while :; do "$TX" client "$R" 500 >/dev/null 2>&1; cat /etc/hostname /etc/passwd >/dev/null; done) &
PIDS="$PIDS $!"
# span FILE: "first_ts last_ts min_pkt_ts max_pkt_ts packets" through falco-query
span() {
	q --db "$WORK/span.sq" --reindex "$1" "SELECT (SELECT first_ts FROM captures),
		(SELECT last_ts FROM captures), ifnull(min(ts), 0), ifnull(max(ts), 0), count(*)
		FROM packets" | tr ',' ' '
}
# pairs END FILE...: each FILE has FILE.pcap holding the packets from its first
# event to the next file's first event (files in time order), the last one's
# up to its last event when END = exact (-n, -G -W) or beyond (a stop).
# Sets total (packets in all).
pairs() {
	end=$1
	shift
	for f in "$@"; do
		[ -s "$f.pcap" ] || fail "$f has no $f.pcap beside it"
		echo "$(span "$f") $f"
	done | sort -n >"$WORK/spans"
	awk -v end="$end" '
		NF != 6 { print "FAIL: span: " $0; bad = 1; exit }
		NR > 1 && pc > 0 && pmax >= $1 { print "FAIL: " pf ".pcap: packet at " pmax " after the next file began at " $1; bad = 1 }
		$5 > 0 && $3 < $1 { print "FAIL: " $6 ".pcap: packet at " $3 " before its file began at " $1; bad = 1 }
		{ pc = $5; pmax = $4; pf = $6; last = $2 }
		END { if (!bad && end == "exact" && pc > 0 && pmax > last) { print "FAIL: " pf ".pcap: packet at " pmax " after the last event " last; bad = 1 }
		      exit bad }' "$WORK/spans" || fail "packets outside their file's time (above): $(cat "$WORK/spans")"
	total=$(awk '{ s += $5 } END { print s + 0 }' "$WORK/spans")
}
"$CAP" -q -w "$WORK/g-%H%M%S.scap" -G 1 -W 3 --pcap lo --pcap-filter "tcp port $R" -M 30 \
	2>"$WORK/g.err" || fail "-G 1 -W 3: $(cat "$WORK/g.err")"
set -- "$WORK"/g-*.scap
[ $# = 3 ] || fail "-G 1 -W 3 made $# files: $*"
pairs exact "$@"
awk '$5 == 0 { exit 1 }' "$WORK/spans" || fail "-G: a pcap without packets in a second of traffic: $(cat "$WORK/spans")"
grep -q "^falco-capture: $total packets written on lo" "$WORK/g.err" ||
	fail "-G: the pcaps hold $total packets: $(cat "$WORK/g.err")"
[ "$(ls "$WORK" | grep -c '^g-.*\.pcap$')" = 3 ] || fail "-G: pcaps $(ls "$WORK")"
note "-G 1 -W 3: 3 pairs, $total packets, each between its file's first event and the next's"

"$CAP" -q -w "$WORK/c.scap" -C 1 -W 2 --all --pcap lo --pcap-filter "tcp port $R" -M 6 \
	2>"$WORK/c.err" || fail "-C 1 -W 2: $(cat "$WORK/c.err")"
files=$(sed -n 's/.* \([0-9]*\) files,.*/\1/p' "$WORK/c.err")
[ "${files:-0}" -ge 3 ] || fail "-C 1 -W 2 in 6 s: ${files:-1} file(s), the ring was not reused: $(cat "$WORK/c.err")"
[ ! -e "$WORK/c.scap2" ] && [ ! -e "$WORK/c.scap2.pcap" ] || fail "-W 2 made a third pair"
# the reused names: their pcaps were replaced with the files (no older packets)
pairs stop "$WORK/c.scap0" "$WORK/c.scap1"
note "-C 1 -W 2: $files files in a ring of 2 pairs, each pcap within its file's time"
exit 0
