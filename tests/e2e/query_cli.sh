#!/bin/sh
# falco-query's command line: index reuse and re-indexing on change, a
# truncated capture indexed up to the damage with its warning, read-only
# queries, output modes, exit codes.
. "$top_srcdir/tests/e2e/lib.sh"
need_shared
FQ=$top_builddir/falco-query
cp "$CAPTURES/curl_google.scap" "$WORK/c.scap"
cp "$top_srcdir/samples/demo.scap" "$WORK/d.scap"

# first use builds WORK/c.scap.fq.sqlite; the second reuses it (same inode)
n=$("$FQ" --csv "$WORK/c.scap" "SELECT count(*) FROM events" | tail -n 1)
[ -f "$WORK/c.scap.fq.sqlite" ] || fail "no index beside the capture"
ino1=$(stat -c %i "$WORK/c.scap.fq.sqlite")
"$FQ" --csv "$WORK/c.scap" "SELECT 1" >/dev/null
[ "$(stat -c %i "$WORK/c.scap.fq.sqlite")" = "$ino1" ] || fail "a fresh index was rebuilt"
# the count is the number of events sysdig lists, independently known (1221)
[ "$n" = 1221 ] || fail "curl_google: $n events, sysdig lists 1221"

# the capture changes (another capture copied over it): re-indexed
cp "$top_srcdir/samples/demo.scap" "$WORK/c.scap"
n=$("$FQ" --csv "$WORK/c.scap" "SELECT count(*) FROM events" | tail -n 1)
[ "$n" = 70 ] || fail "after the change: $n events, the sample has 70"

# a truncated capture: whole events before the damage, a warning row, exit 0
gzip -dc "$top_srcdir/samples/demo.scap" >"$WORK/full.scap"
size=$(stat -c %s "$WORK/full.scap")
head -c $((size - 100)) "$WORK/full.scap" >"$WORK/trunc.scap"
"$FQ" --csv "$WORK/trunc.scap" "SELECT count(*) FROM events" >"$WORK/out" 2>"$WORK/err" ||
	fail "truncated capture: exit $?"
n=$(tail -n 1 "$WORK/out")
[ "$n" -gt 0 ] && [ "$n" -lt 70 ] || fail "truncated capture: $n events"
grep -q "warning: .*trunc.scap: indexed up to the damage" "$WORK/err" || fail "no warning: $(cat "$WORK/err")"
w=$("$FQ" --csv "$WORK/trunc.scap" "SELECT warning IS NOT NULL FROM captures" 2>/dev/null | tail -n 1)
[ "$w" = 1 ] || fail "no warning row in captures"
# the rows kept are the first n events sysdig lists of the full file
want=$("$SYSDIG" -r "$WORK/full.scap" 2>/dev/null | head -n "$n" | tail -n 1 | cut -d' ' -f1) || true
[ -z "$want" ] || [ "$want" = "$("$FQ" --csv "$WORK/trunc.scap" "SELECT max(num) FROM events" 2>/dev/null | tail -n 1)" ] ||
	fail "truncated: last event num differs from sysdig's"

# read-only by default; --write allows changes
if "$FQ" "$WORK/d.scap" "DELETE FROM events" 2>"$WORK/err"; then fail "a write went through"; fi
grep -q "read-only" "$WORK/err" || fail "no read-only message: $(cat "$WORK/err")"
"$FQ" --write "$WORK/d.scap" "CREATE TABLE notes(x)" || fail "--write refused"

# output modes: aligned table, CSV with quoting, JSON array
"$FQ" "$WORK/d.scap" "SELECT name, count(*) AS n FROM processes GROUP BY name ORDER BY name LIMIT 2" >"$WORK/t"
cat >"$WORK/t.want" <<'X'
name  n
----  -
bash  5
cat   1
X
diff -u "$WORK/t.want" "$WORK/t" || fail "table output"
[ "$("$FQ" --csv "$WORK/d.scap" "SELECT 'a,b' AS x, NULL AS y")" = "$(printf 'x,y\n"a,b",')" ] ||
	fail "csv output"
[ "$("$FQ" --json "$WORK/d.scap" "SELECT 1 AS n, 'q\"' AS s, NULL AS z")" = "$(printf '[\n{"n":1,"s":"q\\"","z":null}\n]')" ] ||
	fail "json output: $("$FQ" --json "$WORK/d.scap" "SELECT 1 AS n, 'q\"' AS s, NULL AS z")"

# statements from stdin when no SQL is given
[ "$(printf 'SELECT count(*)\nFROM processes;\n' | "$FQ" --csv "$WORK/d.scap" | tail -n 1)" = 17 ] ||
	fail "stdin statements"

# dot commands at a statement's start
printf '.mode csv\n.tables\nSELECT count(*)\nFROM events;\n.schema files\n' |
	"$FQ" "$WORK/d.scap" >"$WORK/dot" || fail "dot commands failed"
grep -q '^process_tree,view$' "$WORK/dot" || fail ".tables: $(cat "$WORK/dot")"
grep -qx 70 "$WORK/dot" || fail ".mode csv then a two-line statement"
grep -q 'CREATE TABLE files' "$WORK/dot" || fail ".schema files"
if printf '.nope\n' | "$FQ" "$WORK/d.scap" 2>"$WORK/err"; then fail ".nope accepted"; fi
grep -q "unknown command '.nope'" "$WORK/err" || fail ".nope: $(cat "$WORK/err")"

# on a terminal: line editing and history (Up recalls the last statement),
# kept in a file only the user can read
if command -v tmux >/dev/null; then
	T="tmux -L fq$$"
	$T new-session -d -x 100 -y 20 \
		"FALCO_QUERY_HISTORY='$WORK/hist' '$FQ' '$WORK/d.scap'; sleep 30"
	trap '$T kill-server 2>/dev/null || true; sleep 0.2; rm -rf "$WORK"' EXIT
	waitfor() { # PATTERN COUNT
		for _ in $(seq 100); do
			[ "$($T capture-pane -p | grep -c "$1")" -ge "$2" ] && return 0
			sleep 0.1
		done
		fail "terminal: no $2 x '$1': $($T capture-pane -p)"
	}
	waitfor 'falco-query>' 1
	$T send-keys 'SELECT 6 * 7 AS answer\;' Enter
	waitfor '^42' 1
	$T send-keys Up Enter
	waitfor '^42' 2
	$T send-keys C-d
	for _ in $(seq 50); do [ -s "$WORK/hist" ] && break; sleep 0.1; done
	# (editline writes spaces as \040)
	grep -q 'SELECT.*6.*7.*AS.*answer;' "$WORK/hist" || fail "history file: $(od -c "$WORK/hist" | head)"
	[ "$(stat -c %a "$WORK/hist")" = 600 ] || fail "history file mode $(stat -c %a "$WORK/hist")"
	$T kill-server 2>/dev/null || true
else
	note "tmux not installed: the terminal prompt is not tested"
fi

# the process tree and views answer from the story the sample encodes
[ "$("$FQ" --csv "$WORK/d.scap" "SELECT lineage FROM process_tree WHERE name='id'" | tail -n 1)" = \
	"systemd > containerd-shim > nginx > sh > id" ] || fail "process_tree lineage"
[ "$("$FQ" --csv "$WORK/d.scap" "SELECT count(*) FROM first_seen" | tail -n 1)" = 6 ] || fail "first_seen"

# an existing index alone (--db, no capture) answers as it is
[ "$("$FQ" --csv --db "$WORK/d.scap.fq.sqlite" "SELECT count(*) FROM events" | tail -n 1)" = 70 ] ||
	fail "--db without captures"

# exit codes: SQL error 1, usage 2, missing capture 1
"$FQ" "$WORK/d.scap" "SELEC 1" 2>/dev/null && fail "bad SQL exit 0"
"$FQ" "$WORK/d.scap" "SELEC 1" 2>/dev/null || [ $? = 1 ] || fail "bad SQL: not exit 1"
"$FQ" --bogus 2>/dev/null || [ $? = 2 ] || fail "bad option: not exit 2"
"$FQ" "$WORK/nope.scap" "$WORK/d.scap" "SELECT 1" 2>/dev/null || [ $? = 1 ] || fail "missing capture: not exit 1"
"$FQ" --schema | grep -q "CREATE TABLE alerts" || fail "--schema"
"$FQ" --help | grep -q "usage: falco-query" || fail "--help"
note "index reuse, re-index, truncation warning, read-only, outputs, exit codes"
