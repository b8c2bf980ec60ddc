# SPDX-License-Identifier: Apache-2.0
# Shared helpers for end-to-end test scripts (sourced).  Exit 77 = skipped.
set -eu
: "${top_srcdir:?run through make check}"
: "${top_builddir:?run through make check}"
FF_SHARED=${FF_SHARED:-$top_srcdir/../shared}
CAPTURES=$FF_SHARED/captures
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ff-e2e.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; exit 1; }
note() { echo "  $*"; }

# need_shared: skip when the real captures are not beside the checkout
need_shared() {
	[ -d "$CAPTURES" ] || skip "real captures not found at $CAPTURES (set FF_SHARED)"
}
# need_sysdig: skip when the oracle is not installed
need_sysdig() {
	# configure records a bare name ("sysdig"): resolve it through PATH
	SYSDIG=$(command -v "${SYSDIG:-sysdig}" || true)
	[ -n "$SYSDIG" ] && [ -x "$SYSDIG" ] || skip "sysdig not installed (apt-get install sysdig)"
}
# the three real captures sysdig 0.29.3 can open
SYSDIG_CAPTURES="curl_google.scap single_ipv6_conn.scap test_ipv6_client.scap"

# wait_live PID ERR NAME: back once the background live program PID says on
# stderr (file ERR) that its driver runs; fails when it exits or takes 20 s
wait_live() {
	_i=0
	while ! grep -q 'live: .* driver' "$2"; do
		_i=$((_i + 1))
		[ $_i -lt 200 ] || fail "$3 did not start: $(cat "$2")"
		kill -0 "$1" 2>/dev/null || fail "$3 exited: $(cat "$2")"
		sleep 0.1
	done
}
