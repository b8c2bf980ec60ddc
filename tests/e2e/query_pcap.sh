#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-query joins a packet file with a capture: packets and flows tables, each
# flow linked to the connection and the process that owned the socket.  The
# packets are written to match what sysdig reports of the sample's connection
# (tuple, time, bytes each way), plus a decoy flow no process owned; the join
# must find sysdig's process and the bytes, and leave the decoy alone.
. "$top_srcdir/tests/e2e/lib.sh"
need_sysdig
FQ=$top_builddir/falco-query
MK=$top_builddir/tests/unit/mkpcap
S=$WORK/demo.scap
cp "$top_srcdir/samples/demo.scap" "$S"

# the truth about the sample's TCP connection, from sysdig
set -- $("$SYSDIG" -r "$S" -p "%evt.rawtime %proc.name %fd.name" "evt.type=connect and evt.dir=< and fd.type=ipv4")
[ $# -eq 3 ] || fail "expected one IPv4 connect in the sample, sysdig says: $*"
t0=$1 pname=$2 tuple=$3
cli=${tuple%%->*} srv=${tuple##*->}
cip=${cli%:*} cport=${cli##*:} sip=${srv%:*} sport=${srv##*:}
sum() { "$SYSDIG" -r "$S" -p "%evt.rawres" "fd.name=$tuple and evt.dir=< and $1 and evt.rawres>0" |
	awk '{ s += $1 } END { print s + 0 }'; }
out=$(sum evt.is_io_write=true)
in=$(sum evt.is_io_read=true)
[ "$out" -gt 0 ] && [ "$in" -gt 0 ] || fail "sysdig reports no I/O on $tuple"
note "sysdig: $pname connects $tuple at $t0, $out bytes out, $in in"

# the same conversation as packets around the connect, and a decoy
{
	echo "$((t0 - 30000)) $cip $cport $sip $sport 2 0"
	echo "$((t0 - 20000)) $sip $sport $cip $cport 18 0"
	echo "$((t0 - 10000)) $cip $cport $sip $sport 16 0"
	echo "$((t0 + 20000)) $cip $cport $sip $sport 24 $out"
	echo "$((t0 + 50000)) $sip $sport $cip $cport 24 $in"
	echo "$((t0 + 90000)) $cip $cport $sip $sport 17 0"
	echo "$((t0 + 5000)) 192.0.2.50 40001 192.0.2.60 443 24 500"
} | "$MK" "$WORK/p.pcap" || fail "mkpcap"

q() { "$FQ" -q --csv "$@"; }
got=$(q "$S" --pcap "$WORK/p.pcap" "SELECT p.name, f.cip, f.cport, f.sip, f.sport, f.bytes_c2s, f.bytes_s2c, f.packets FROM flows f JOIN processes p ON p.id = f.proc_row" | tail -n +2)
want="$pname,$cip,$cport,$sip,$sport,$out,$in,6"
[ "$got" = "$want" ] || fail "linked flow: got '$got', want '$want'"
note "flow linked to $pname with $out/$in bytes"
got=$(q "$S" --pcap "$WORK/p.pcap" "SELECT count(*) FROM flows WHERE conn_row IS NULL AND sport = 443 AND bytes_c2s = 500" | tail -1)
[ "$got" = 1 ] || fail "decoy flow: $got unlinked rows"
got=$(q "$S" --pcap "$WORK/p.pcap" "SELECT c.direction, c.bytes_out, c.bytes_in FROM flows f JOIN connections c ON c.id = f.conn_row" | tail -1)
[ "$got" = "out,$out,$in" ] || fail "connection row: $got (want out,$out,$in)"
n=$(q "$S" --pcap "$WORK/p.pcap" "SELECT count(*) FROM packets" | tail -1)
[ "$n" = 7 ] || fail "packets: $n rows"
if command -v tshark >/dev/null 2>&1; then
	tn=$(tshark -r "$WORK/p.pcap" 2>/dev/null | wc -l)
	[ "$tn" = "$n" ] || fail "tshark reads $tn packets, we index $n"
	tb=$(tshark -r "$WORK/p.pcap" -Y "tcp.srcport == $cport" -T fields -e tcp.len 2>/dev/null |
		awk '{ s += $1 } END { print s + 0 }')
	[ "$tb" = "$out" ] || fail "tshark counts $tb client bytes, we $out"
	note "tshark agrees: $tn packets, $tb client payload bytes"
else
	note "tshark not installed: packet counts not cross-checked"
fi

# CAPTURE.pcap beside the capture is joined without --pcap; a change re-indexes
cp "$WORK/p.pcap" "$S.pcap"
got=$(q "$S" "SELECT count(*) FROM flows" | tail -1)
[ "$got" = 2 ] || fail "CAPTURE.pcap beside the capture not joined ($got flows)"
echo "$((t0 + 95000)) $sip $sport $cip $cport 17 0" | "$MK" "$S.pcap"
got=$(q "$S" "SELECT count(*) FROM packets" | tail -1)
[ "$got" = 1 ] || fail "changed packet file not re-indexed ($got packets)"
note "CAPTURE.pcap joined by default and re-indexed when it changes"

# a damaged packet file: what came before is kept, with a warning
rm "$S.pcap"
size=$(wc -c < "$WORK/p.pcap")
head -c $((size - 30)) "$WORK/p.pcap" > "$WORK/cut.pcap"
got=$("$FQ" -q --csv "$S" --pcap "$WORK/cut.pcap" "SELECT count(*) FROM packets" 2>"$WORK/err" | tail -1)
[ "$got" = 6 ] || fail "damaged packet file: $got packets kept (want 6)"
grep -q "cut.pcap: packets indexed up to the damage" "$WORK/err" || fail "no damage warning: $(cat "$WORK/err")"
note "a truncated packet file keeps its 6 whole packets and warns"
"$FQ" -q "$S" --pcap "$WORK/missing.pcap" "SELECT 1" 2>"$WORK/err" && fail "missing packet file accepted"
grep -q "missing.pcap" "$WORK/err" || fail "missing packet file not named: $(cat "$WORK/err")"
exit 0
