#!/bin/sh
# The bundled sample is current with its generator, and sysdig 0.29.3 reads the
# known syscall sequence the generator encodes.
. "$top_srcdir/tests/e2e/lib.sh"

"$top_builddir/samples/mksample" "$WORK/demo.scap"
gzip -dc "$WORK/demo.scap" >"$WORK/new.raw"
gzip -dc "$top_srcdir/samples/demo.scap" >"$WORK/old.raw"
cmp -s "$WORK/new.raw" "$WORK/old.raw" || fail "samples/demo.scap is stale: run 'make samples-update'"
note "samples/demo.scap matches samples/mksample"

need_sysdig
S=$top_srcdir/samples/demo.scap
n=$("$SYSDIG" -r "$S" | wc -l)
[ "$n" = 70 ] || fail "sysdig printed $n events, the story has 70"

"$SYSDIG" -r "$S" -p "%proc.name %fd.name %evt.arg.flags" "evt.type=openat and evt.dir=<" >"$WORK/opens"
cat >"$WORK/opens.want" <<'X'
cat /etc/shadow O_RDONLY
curl /tmp/.x.sh O_TRUNC|O_CREAT|O_WRONLY
bash /etc/cron.d/persist O_TRUNC|O_CREAT|O_WRONLY
X
diff -u "$WORK/opens.want" "$WORK/opens" || fail "opens differ"

"$SYSDIG" -r "$S" -p "%proc.name %proc.pname %user.name %fd.name" "evt.type=connect and evt.dir=<" >"$WORK/conn"
[ "$(cat "$WORK/conn")" = "curl bash root 10.0.0.5:51234->203.0.113.7:4444" ] ||
	fail "connect: $(cat "$WORK/conn")"

"$SYSDIG" -r "$S" -p "%proc.name %proc.pname %container.id %user.name" "evt.type=execve and evt.dir=< and proc.name=sh" >"$WORK/ctr"
[ "$(cat "$WORK/ctr")" = "sh nginx 3f2a9c1e7b5d www-data" ] || fail "container shell: $(cat "$WORK/ctr")"
note "sysdig sees the story: 3 opens, the outbound connect, the container shell"

"$top_builddir/falco-replay" -e "$S" >"$WORK/ours"
"$SYSDIG" -r "$S" >"$WORK/theirs"
diff -u "$WORK/theirs" "$WORK/ours" | head -20
cmp -s "$WORK/theirs" "$WORK/ours" || fail "falco-replay differs from sysdig on the sample"
note "falco-replay lists the sample exactly as sysdig does"
