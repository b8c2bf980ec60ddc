#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# falco-capture rewrites: real capture -> zstd -> none and gzip; sysdig 0.29.3
# must print exactly what it prints for the original, and our zstd file must
# be smaller than sysdig's gzip original.
. "$top_srcdir/tests/e2e/lib.sh"
need_shared
need_sysdig
FC=$top_builddir/falco-capture
# '*': print every event, also when a field is undefined (sysdig otherwise
# prints only events that define all fields, which can be none at all)
FORMATS='*%evt.num %proc.name %proc.exepath %fd.name %user.name %proc.cmdline
*%evt.num %evt.time %thread.tid %proc.pid %proc.ppid %proc.pname %proc.cwd %fd.num %fd.type %fd.lip %fd.rip %fd.is_server
*%evt.num %user.uid %user.homedir %user.shell %group.name %proc.args %proc.exe %evt.args'

for c in $SYSDIG_CAPTURES; do
	in=$CAPTURES/$c
	b=$WORK/${c%.scap}
	"$FC" -r "$in" -w "$b.zst" || fail "$c: rewrite to zstd"
	"$FC" -r "$b.zst" -w "$b.none" --compress none || fail "$c: zstd -> none"
	"$FC" -r "$b.zst" -w "$b.gz" --compress gzip || fail "$c: zstd -> gzip"
	"$SYSDIG" -r "$in" >"$b.want" 2>&1 || fail "$c: sysdig cannot read the original"
	[ -s "$b.want" ] || fail "$c: sysdig printed nothing for the original"
	for v in none gz; do
		"$SYSDIG" -r "$b.$v" >"$b.$v.got" 2>&1 || fail "$c: sysdig cannot read our $v file"
		cmp -s "$b.want" "$b.$v.got" || { diff "$b.want" "$b.$v.got" | head -20; fail "$c ($v): sysdig output differs"; }
	done
	n=0
	echo "$FORMATS" | while IFS= read -r fmt; do
		n=$((n + 1))
		"$SYSDIG" -r "$in" -p "$fmt" >"$b.p$n.want" 2>&1
		"$SYSDIG" -r "$b.none" -p "$fmt" >"$b.p$n.got" 2>&1
		cmp -s "$b.p$n.want" "$b.p$n.got" || { diff "$b.p$n.want" "$b.p$n.got" | head -20; fail "$c: -p '$fmt' differs"; }
		# some field besides evt.num must be defined, or the comparison proves little
		awk '{for (i = 2; i <= NF; i++) if ($i != "<NA>") f = 1} END {exit !f}' "$b.p$n.want" ||
			fail "$c: -p '$fmt' printed nothing but <NA>"
	done || exit 1
	for f in "$b.zst" "$b.none" "$b.gz"; do
		m=$(stat -c %a "$f")
		[ "$m" = 600 ] || fail "$f: mode $m, expected 600"
	done
	orig=$(stat -c %s "$in")
	ours=$(stat -c %s "$b.zst")
	note "$c: $(wc -l <"$b.want") lines identical; sysdig gzip $orig B, ours zstd $ours B, ratio $(awk "BEGIN{printf \"%.3f\", $ours/$orig}")"
	[ "$ours" -lt "$orig" ] || fail "$c: our zstd file ($ours B) is not smaller than sysdig's gzip ($orig B)"
done

# overwriting an existing world-readable file leaves it 0600
c=$(echo $SYSDIG_CAPTURES | cut -d' ' -f1)
: >"$WORK/exists.scap"
chmod 644 "$WORK/exists.scap"
"$FC" -r "$CAPTURES/$c" -w "$WORK/exists.scap" --compress none || fail "overwrite"
[ "$(stat -c %a "$WORK/exists.scap")" = 600 ] || fail "overwritten file is not 0600"
exit 0
