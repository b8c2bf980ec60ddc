#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# "Create files below dev": a regular file appears under /dev, then goes.
. "$(dirname "$0")/lib.sh"
f=/dev/ff-scenario-$$
say "write $f"
echo "scenario" >"$f"
rm -f "$f"
