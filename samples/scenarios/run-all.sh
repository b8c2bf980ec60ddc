#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run every scenario once (root).  Each one cleans up after itself.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
for s in read_file read_shadow container_shell write_below_etc write_dev outbound_connect \
	loopback_tcp remove_log; do
	"$here/$s.sh"
done
