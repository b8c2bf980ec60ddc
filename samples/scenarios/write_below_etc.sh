#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# "Write below etc": a file with a temporary name is created under /etc, then removed.
. "$(dirname "$0")/lib.sh"
f=$(mktemp /etc/ff-scenario.XXXXXX)
say "write $f"
echo "scenario" >"$f"
rm -f "$f"
