#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# "Read sensitive file untrusted": a shell utility reads /etc/shadow.
. "$(dirname "$0")/lib.sh"
say "cat /etc/shadow"
cat /etc/shadow >/dev/null
