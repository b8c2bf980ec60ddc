#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# fd.cip/sip/lip/rip.name: a name in a filter is resolved (localhost, from
# /etc/hosts) and matches the addresses it resolves to; outputs show the
# name once resolved.  Oracle: sysdig 0.29.3 on the same hand-built capture.
. "$top_srcdir/tests/e2e/lib.sh"
need_sysdig
getent hosts localhost | grep -q '127\.0\.0\.1' || skip "localhost does not resolve to 127.0.0.1 here"
FR=$top_builddir/falco-replay
cat >"$WORK/dns.spec" <<'SPEC'
proc tid=2000 ptid=1 comm=python exepath=/usr/bin/python3
2000 > socket domain=AF_INET type=1 proto=6
2000 < socket fd=3
2000 > connect fd=3 addr=127.0.0.1:443
2000 < connect res=0 tuple=127.0.0.1:40000->127.0.0.1:443 fd=3
2000 > socket domain=AF_INET type=1 proto=6
2000 < socket fd=4
2000 > connect fd=4 addr=10.96.0.1:443
2000 < connect res=0 tuple=172.17.0.2:40001->10.96.0.1:443 fd=4
SPEC
"$top_builddir/tests/rules/mkcap" "$WORK/dns.spec" "$WORK/dns.scap" || fail "mkcap failed"
fmt='*%evt.num %evt.type %fd.sip.name %fd.cip.name %fd.lip.name %fd.rip.name %fd.name'
n=0
for f in "fd.sip.name=localhost" "fd.sip.name!=localhost" "fd.sip.name in (no-such-host.invalid, localhost)" \
	"fd.cip.name=localhost" "fd.lip.name=localhost" "fd.rip.name=localhost" "fd.sip.name=no-such-host.invalid"; do
	flt="evt.type=connect and evt.dir=< and $f"
	"$SYSDIG" -r "$WORK/dns.scap" -p "$fmt" "$flt" >"$WORK/want" 2>&1 || fail "sysdig failed on '$f'"
	"$FR" -e -p "$fmt" -f "$flt" "$WORK/dns.scap" >"$WORK/got" 2>&1 || fail "falco-replay failed on '$f': $(cat "$WORK/got")"
	cmp -s "$WORK/want" "$WORK/got" || { diff "$WORK/want" "$WORK/got"; fail "'$f' differs from sysdig"; }
	n=$((n + 1))
done
# only =, != and in compare names
if "$FR" -e -f "fd.sip.name contains local" "$WORK/dns.scap" >"$WORK/out" 2>&1; then
	fail "'contains' on fd.sip.name was accepted"
fi
grep -q "fd.sip.name compares host names only" "$WORK/out" || fail "unclear error: $(cat "$WORK/out")"
note "$n fd.*ip.name filters identical to sysdig"
