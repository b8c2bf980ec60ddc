#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Regenerate the sysdig 0.29.3 outputs that replay_sysdig.sh compares with when
# sysdig is not installed.  Run from the source tree: sh tests/expected/gen_replay_expected.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
shared=${FF_SHARED:-$here/../../../shared}
sysdig=${SYSDIG:-sysdig}
"$sysdig" --version | grep -q '0.29.3' || { echo "needs sysdig 0.29.3" >&2; exit 1; }
for c in curl_google single_ipv6_conn test_ipv6_client; do
	TZ=UTC "$sysdig" -r "$shared/captures/$c.scap" >"$here/$c.sysdig.txt"
done
