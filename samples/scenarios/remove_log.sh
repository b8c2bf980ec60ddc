#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# "Clear log activities": a log under /var/log is truncated, then deleted.
. "$(dirname "$0")/lib.sh"
f=/var/log/ff-scenario-$$.log
say "truncate and remove $f"
echo "scenario log line" >"$f"
: >"$f"
rm -f "$f"
