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
