#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# State gaps found with live captures (issue 5): each tests/e2e/state/*.spec
# is a hand-built capture (tests/rules/mkcap) of one situation — processes
# first seen through a clone exit, paths joined to a dirfd, fds inherited
# across clone and exec, threads and their process's cwd; containers: the
# runtime metadata of container events and what the cgroup layouts imply.  The oracle is
# sysdig 0.29.3 reading the same file: process, fd and ancestry fields and
# the default line must be identical, and fs.path.* (which sysdig lacks) must
# equal the resolved argument sysdig prints for the event (`!fspath TYPE
# SYSDIG-FORMAT ; OUR-FORMAT` lines of a spec).
. "$top_srcdir/tests/e2e/lib.sh"
need_sysdig
export TZ=UTC
FR=$top_builddir/falco-replay
MKCAP=$top_builddir/tests/rules/mkcap

FORMATS='*%evt.num %evt.type %thread.tid %proc.pid %proc.name %proc.pname %proc.exe %proc.exepath %proc.cmdline %proc.cwd %user.uid %user.loginuid %proc.tty %proc.sid %proc.vpgid %proc.vpid %thread.vtid
*%evt.num %evt.type %fd.num %fd.type %fd.typechar %fd.name %fd.directory %fd.filename %fd.name_changed %fd.containername
*%evt.num %proc.aname[2] %proc.apid[2] %proc.aname[3] %proc.nchilds %proc.nthreads %thread.ismain %proc.pcmdline
*%evt.num %evt.reltime %container.id %container.name %container.type %container.image %container.image.repository %container.image.tag %container.image.id %container.image.digest %container.privileged
*%evt.num %container.id %container.mounts %container.mount[1] %container.mount[/etc] %container.mount.dest[/etc] %container.mount.source[/data] %container.mount.mode[/var/*] %container.mount.rdwr[/etc] %container.mount.propagation[/etc] %fd.containername'

n=0 bad=0
# compare NAME WHAT SYSDIG-OUTPUT-FILE OURS-OUTPUT-FILE
compare() {
	n=$((n + 1))
	if ! cmp -s "$3" "$4"; then
		echo "$1: $2 differs from sysdig:"
		diff "$3" "$4" | head -n 12
		bad=$((bad + 1))
	elif ! [ -s "$3" ]; then
		echo "$1: $2: sysdig printed nothing"
		bad=$((bad + 1))
	fi
}

for spec in "$top_srcdir"/tests/e2e/state/*.spec; do
	name=$(basename "$spec" .spec)
	cap=$WORK/$name.scap
	"$MKCAP" "$spec" "$cap" || fail "$name: mkcap failed"
	"$SYSDIG" -r "$cap" >"$WORK/want" 2>&1 || fail "$name: sysdig cannot read the capture"
	"$FR" -e "$cap" >"$WORK/got" 2>&1 || fail "$name: falco-replay failed: $(cat "$WORK/got")"
	compare "$name" "default line" "$WORK/want" "$WORK/got"
	printf '%s\n' "$FORMATS" >"$WORK/formats"
	while IFS= read -r fmt; do
		"$SYSDIG" -r "$cap" -p "$fmt" >"$WORK/want" 2>&1 || true
		"$FR" -e -p "$fmt" "$cap" >"$WORK/got" 2>&1 || true
		compare "$name" "-p '$fmt'" "$WORK/want" "$WORK/got"
	done <"$WORK/formats"
	sed -n 's/^!fspath //p' "$spec" >"$WORK/fspath"
	while IFS= read -r line; do
		type=${line%% *}
		rest=${line#* }
		sfmt=${rest%% ;*}
		ofmt=${rest#*; }
		flt="evt.type=$type and evt.dir=<"
		"$SYSDIG" -r "$cap" -p "*%evt.num $sfmt" "$flt" >"$WORK/want" 2>&1 || true
		"$FR" -p "*%evt.num $ofmt" -f "$flt" "$cap" >"$WORK/got" 2>&1 || true
		compare "$name" "$type: $ofmt vs sysdig's $sfmt" "$WORK/want" "$WORK/got"
	done <"$WORK/fspath"
done
[ "$n" -ge 20 ] || fail "only $n comparisons"
[ "$bad" = 0 ] || fail "$bad of $n comparisons differ from sysdig"
note "$n comparisons over $(ls "$top_srcdir"/tests/e2e/state/*.spec | wc -l) hand-built captures identical to sysdig"
