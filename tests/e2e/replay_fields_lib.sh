# SPDX-License-Identifier: Apache-2.0
# Shared by tests/e2e/replay_fields.sh and tests/expected/gen_replay_fields.sh:
# run one case of tests/e2e/replay_fields.cases (sourced; POSIX sh).
#
# case_capture NAME: path of a capture named in the table
case_capture() {
	if [ "$1" = demo ]; then
		echo "$top_srcdir/samples/demo.scap"
	else
		echo "$CAPTURES/$1.scap"
	fi
}
# run_sysdig CAPTURE FLAGS FORMAT FILTER: sysdig's output for a case
run_sysdig() {
	# shellcheck disable=SC2086 # FLAGS is a word list on purpose
	if [ -n "$3" ] && [ -n "$4" ]; then
		TZ=UTC "$SYSDIG" -r "$1" $2 -p "$3" "$4"
	elif [ -n "$3" ]; then
		TZ=UTC "$SYSDIG" -r "$1" $2 -p "$3"
	elif [ -n "$4" ]; then
		TZ=UTC "$SYSDIG" -r "$1" $2 "$4"
	else
		TZ=UTC "$SYSDIG" -r "$1" $2
	fi
}
# run_ours CAPTURE FLAGS FORMAT FILTER
run_ours() {
	# shellcheck disable=SC2086
	if [ -n "$3" ] && [ -n "$4" ]; then
		TZ=UTC "$FR" $2 -p "$3" -f "$4" "$1"
	elif [ -n "$3" ]; then
		TZ=UTC "$FR" $2 -p "$3" "$1"
	elif [ -n "$4" ]; then
		TZ=UTC "$FR" $2 -f "$4" "$1"
	else
		TZ=UTC "$FR" -e $2 "$1"
	fi
}
