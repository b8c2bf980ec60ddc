#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-tui's connection drill-down with packets beside the capture.  The
# sample's one TCP connection (sysdig gives its tuple, time and bytes each
# way) is written as packets by mkpcap around the connect, with recognisable
# payloads, plus a decoy flow no socket had.  Enter on the connection shows
# the flow (tuple, packets, bytes each way) and its packets only; Enter on the
# request packet shows its bytes, the same as tcpdump -xx prints, and the
# payload in the ASCII column.  CAPTURE.pcap beside is found by itself;
# --pcap FILE names another; a packet file far in time matches nothing.
. "$top_srcdir/tests/e2e/lib.sh"
. "$top_srcdir/tests/e2e/tui_lib.sh"
need_sysdig
command -v tcpdump >/dev/null 2>&1 || skip "tcpdump not installed (the hex dump's oracle)"
MK=$top_builddir/tests/unit/mkpcap
S=$WORK/demo.scap
cp "$top_srcdir/samples/demo.scap" "$S"

# the truth about the connection, from sysdig
set -- $("$SYSDIG" -r "$S" -p "%evt.rawtime %proc.name %fd.name" "evt.type=connect and evt.dir=< and fd.type=ipv4")
[ $# -eq 3 ] || fail "expected one IPv4 connect in the sample, sysdig says: $*"
t0=$1 tuple=$3
cli=${tuple%%->*} srv=${tuple##*->}
cip=${cli%:*} cport=${cli##*:} sip=${srv%:*} sport=${srv##*:}
sum() { "$SYSDIG" -r "$S" -p "%evt.rawres" "fd.name=$tuple and evt.dir=< and $1 and evt.rawres>0" |
	awk '{ s += $1 } END { print s + 0 }'; }
out=$(sum evt.is_io_write=true)
in=$(sum evt.is_io_read=true)
[ "$out" -gt 0 ] && [ "$in" -gt 0 ] || fail "sysdig reports no I/O on $tuple"

REQ=GET_/fftui-payload_HTTP/1.1 RSP=HTTP/1.0_200_fftui-reply
packets() { # T0: the conversation around time T0, and a decoy
	echo "$(($1 - 30000)) $cip $cport $sip $sport 2 0"
	echo "$(($1 - 20000)) $sip $sport $cip $cport 18 0"
	echo "$(($1 - 10000)) $cip $cport $sip $sport 16 0"
	echo "$(($1 + 20000)) $cip $cport $sip $sport 24 $out $REQ"
	echo "$(($1 + 50000)) $sip $sport $cip $cport 24 $in $RSP"
	echo "$(($1 + 90000)) $cip $cport $sip $sport 17 0"
	echo "$(($1 + 5000)) 192.0.2.50 40001 192.0.2.60 443 24 500 decoy"
}
packets "$t0" | "$MK" "$S.pcap" || fail "mkpcap"

# open_conn NAME ARGS...: the Connections view, Enter on the connection
open_conn() {
	_n=$1
	shift
	tui_start "$_n" 160 40 -v connections "$@"
	wait_idle "$_n"
	keys "$_n" C-f
	keys "$_n" -l "$tuple"
	keys "$_n" Enter Enter
	wait_for "$_n" '^CONNECTION: FLOW AND PACKETS'
	wait_for "$_n" '^ +NUM TIME|^No flow|^No packets'
}

open_conn pc "$S"
screen pc >"$WORK/conn.scr"
grep -qx "Flow: tcp $cip:$cport -> $sip:$sport (client -> server)" "$WORK/conn.scr" ||
	fail "no flow line for $tuple: $(cat "$WORK/conn.scr")"
grep -qE "^  Packets: 6  Bytes client->server: $out  server->client: $in\$" "$WORK/conn.scr" ||
	fail "flow counts (want 6 packets, $out/$in bytes): $(grep Packets: "$WORK/conn.scr")"
grep -q '192\.0\.2\.' "$WORK/conn.scr" && fail "the decoy flow is shown"
n=$(grep -cE '^ +[0-9]+ [0-9:.]+ +(c>s|s>c) ' "$WORK/conn.scr" || true)
[ "$n" = 6 ] || fail "$n packet lines, want 6"
grep -qE "^ +4 .* c>s +100 PSH ACK +$out  GET_/fftui" "$WORK/conn.scr" ||
	fail "packet 4 (the request): $(grep -E '^ +4 ' "$WORK/conn.scr")"
note "Enter on $tuple: its flow, 6 packets, $out bytes out and $in in (sysdig's), not the decoy"

# the request packet in hex: tcpdump's bytes, the payload in the ASCII column
keys pc C-f C-u
keys pc -l "fftui-payload"
keys pc Enter Enter
wait_for pc '^PACKET: HEX AND ASCII'
wait_for pc "^Wire 100 bytes, captured 100; payload $out bytes at offset 54"
screen pc | sed -n 's/^[0-9a-f]\{4\}  \(.*\)  |.*|$/\1/p' | tr -s ' ' '\n' | grep . >"$WORK/hex.got"
tcpdump -nn -xx -r "$S.pcap" "tcp src port $cport and tcp[tcpflags] & tcp-push != 0" 2>/dev/null |
	sed -n 's/^\t0x[0-9a-f]*:  //p' | sed 's/\([0-9a-f][0-9a-f]\)/\1 /g' | tr -s ' ' '\n' |
	grep . >"$WORK/hex.want"
[ "$(wc -l <"$WORK/hex.want")" = 100 ] || fail "tcpdump gives $(wc -l <"$WORK/hex.want") bytes"
diff -u "$WORK/hex.want" "$WORK/hex.got" || fail "hex dump differs from tcpdump -xx"
ascii=$(screen pc | sed -n 's/^[0-9a-f]\{4\}  .*  |\(.*\)|$/\1/p' | tr -d '\n')
case $ascii in
*"$REQ"*) ;;
*) fail "ASCII column lacks the payload: $ascii" ;;
esac
note "Enter on the request: its 100 bytes as tcpdump -xx prints them, payload '$REQ' in ASCII"
keys pc BSpace
wait_for pc '^CONNECTION: FLOW AND PACKETS'
keys pc BSpace
wait_for pc '^View: Connections'
keys pc q
wait_for pc '^EXIT=0'

# --pcap FILE; a packet file taken at another time matches nothing
mv "$S.pcap" "$WORK/other.pcap"
open_conn pf --pcap "$WORK/other.pcap" "$S"
screen pf | grep -qE "^  Packets: 6  Bytes client->server: $out  server->client: $in\$" ||
	fail "--pcap: no flow: $(screen pf)"
keys pf q
packets "$((t0 + 3600000000000))" | "$MK" "$S.pcap"
open_conn far "$S"
wait_for far '^No flow of the 7 packets has this tuple within 1s'
keys far q
# without packets, Enter on a connection shows its events, as before
rm "$S.pcap"
tui_start none 160 40 -v connections "$S"
wait_idle none
keys none Enter
wait_for none "^View: Events +For: $tuple"
keys none q
set +e
"$TUI" --pcap "$WORK/missing.pcap" "$S" >/dev/null 2>"$WORK/err"
rc=$?
set -e
[ $rc = 1 ] && grep -q 'missing.pcap' "$WORK/err" || fail "missing --pcap: exit $rc, $(cat "$WORK/err")"
note "--pcap FILE joins another file; an hour off matches nothing; none: events; missing: exit 1"
