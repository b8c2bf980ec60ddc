#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-capture -r IN -w OUT keeps a capture and its packets together: IN.pcap
# is copied to OUT.pcap unchanged (the rewrite keeps every event, so the pair
# keeps its span) and falco-query joins OUT's flow to the same process as IN's;
# without IN.pcap an OUT.pcap left from before goes; --pcap's usage errors.
# Any user: the packets are hand-built (mkpcap) around the sample's connection.
. "$top_srcdir/tests/e2e/lib.sh"
CAP=$top_builddir/falco-capture
FQ=$top_builddir/falco-query
MK=$top_builddir/tests/unit/mkpcap
cp "$top_srcdir/samples/demo.scap" "$WORK/in.scap"

# the sample's one TCP connection, and packets of it beside the capture
set -- $("$FQ" -q --csv --db "$WORK/in.sq" "$WORK/in.scap" \
	"SELECT ts, sip, sport, dip, dport, bytes_out, bytes_in FROM connections WHERE l4 = 'tcp'" |
	tail -n +2 | tr ',' ' ')
[ $# -eq 7 ] || fail "expected one TCP connection in the sample: $*"
t0=$1 cip=$2 cport=$3 sip=$4 sport=$5 out=$6 in=$7
{
	echo "$((t0 - 30000)) $cip $cport $sip $sport 2 0"
	echo "$((t0 - 20000)) $sip $sport $cip $cport 18 0"
	echo "$((t0 + 20000)) $cip $cport $sip $sport 24 $out"
	echo "$((t0 + 50000)) $sip $sport $cip $cport 24 $in"
} | "$MK" "$WORK/in.scap.pcap" || fail "mkpcap"
Q="SELECT p.name, f.cport, f.bytes_c2s, f.bytes_s2c FROM flows f JOIN processes p ON p.id = f.proc_row"
want=$("$FQ" -q --csv --db "$WORK/in.sq" --reindex "$WORK/in.scap" "$Q" | tail -n +2)
[ -n "$want" ] || fail "the packets beside the input join nothing"

# -r: OUT.pcap is IN.pcap, byte for byte, mode 0600, and joins the same way
for codec in zstd none; do
	rm -f "$WORK/out.scap" "$WORK/out.scap.pcap"
	"$CAP" -r "$WORK/in.scap" -w "$WORK/out.scap" --compress $codec 2>"$WORK/err" ||
		fail "-r ($codec): $(cat "$WORK/err")"
	cmp "$WORK/in.scap.pcap" "$WORK/out.scap.pcap" || fail "OUT.pcap differs from IN.pcap ($codec)"
	[ "$(stat -c %a "$WORK/out.scap.pcap")" = 600 ] || fail "OUT.pcap mode $(stat -c %a "$WORK/out.scap.pcap")"
	got=$("$FQ" -q --csv --db "$WORK/out.sq" --reindex "$WORK/out.scap" "$Q" | tail -n +2)
	[ "$got" = "$want" ] || fail "OUT joins '$got', IN '$want' ($codec)"
done
note "OUT.pcap copied beside OUT and joined like IN's: $want"

# no IN.pcap: a stale OUT.pcap goes (it would be joined with the new OUT)
cp "$top_srcdir/samples/demo.scap" "$WORK/bare.scap"
echo stale >"$WORK/out2.scap.pcap"
"$CAP" -r "$WORK/bare.scap" -w "$WORK/out2.scap" 2>"$WORK/err" || fail "-r bare: $(cat "$WORK/err")"
[ ! -e "$WORK/out2.scap.pcap" ] || fail "a stale OUT.pcap stayed beside a capture without packets"
# stdout output: nothing beside, nothing removed
"$CAP" -r "$WORK/in.scap" -w - >/dev/null 2>"$WORK/err" || fail "-w -: $(cat "$WORK/err")"
[ ! -e "$WORK/-.pcap" ] || fail "-w - wrote -.pcap"
# an IN.pcap that cannot be read is named, exit 1
cp "$top_srcdir/samples/demo.scap" "$WORK/d.scap"
mkdir "$WORK/d.scap.pcap"
rc=0
"$CAP" -r "$WORK/d.scap" -w "$WORK/o3.scap" 2>"$WORK/err" || rc=$?
[ "$rc" = 1 ] || fail "unreadable IN.pcap: exit $rc"
grep -q "d.scap.pcap" "$WORK/err" || fail "unreadable IN.pcap not named: $(cat "$WORK/err")"
note "stale OUT.pcap removed, stdout left alone, unreadable IN.pcap named"

# usage errors: exit 2 with the reason
usage() {
	want=$1
	shift
	rc=0
	"$CAP" "$@" 2>"$WORK/err" >/dev/null || rc=$?
	[ "$rc" = 2 ] || fail "'$*': exit $rc, want 2"
	grep -q -- "$want" "$WORK/err" || fail "'$*': unclear error: $(cat "$WORK/err")"
}
usage "live options" -r "$WORK/in.scap" -w "$WORK/x.scap" --pcap lo
usage "not stdout" -w - --pcap lo
usage "need --pcap" -w "$WORK/x.scap" --pcap-filter "tcp"
usage "need --pcap" -w "$WORK/x.scap" --pcap-snaplen 100
usage "pcap-snaplen" -w "$WORK/x.scap" --pcap lo --pcap-snaplen 0
usage "interface name" -w "$WORK/x.scap" --pcap ""
[ ! -e "$WORK/x.scap" ] && [ ! -e "$WORK/x.scap.pcap" ] || fail "a usage error left files"
note "usage errors exit 2"
exit 0
