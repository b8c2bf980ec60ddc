#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Record samples/scenarios/run-all.sh with falco-capture into OUT (default
# samples/scenarios.scap, gzip so that sysdig and Falco read it too).  Only
# the scenario processes are kept (the filter), with the /proc scan in front.
# Root, BPF.  Usage: record-scenarios.sh [FALCO-CAPTURE [OUT]]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cap=${1:-$here/../falco-capture}
out=${2:-$here/scenarios.scap}
[ "$(id -u)" = 0 ] || { echo "$0: live capture needs root" >&2; exit 1; }
rm -f "$out" # its appearance tells that the capture runs
err=$(mktemp)
trap 'rm -f "$err"' EXIT
"$cap" -q -w "$out" --compress gzip -s 256 \
	'proc.name=run-all.sh or proc.aname=run-all.sh' 2>"$err" &
pid=$!
# the file exists once the probe runs and /proc is scanned
i=0
while [ ! -s "$out" ]; do
	i=$((i + 1))
	if [ $i -gt 100 ] || ! kill -0 $pid 2>/dev/null; then
		cat "$err" >&2
		exit 1
	fi
	sleep 0.1
done
sleep 0.3
"$here/scenarios/run-all.sh"
sleep 0.3
kill -INT $pid
wait $pid
cat "$err" >&2
