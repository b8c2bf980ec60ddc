#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A shell in a known directory runs cat on a known file (the end-to-end
# test's reference for proc.name, proc.cmdline, proc.pname, proc.cwd, fd.name).
. "$(dirname "$0")/lib.sh"
d=$(mktemp -d /tmp/ff-scenario.XXXXXX)
echo "scenario data" >"$d/ff-scenario-input.txt"
(cd "$d" && sh -c 'cat ff-scenario-input.txt >/dev/null')
rm -rf "$d"
