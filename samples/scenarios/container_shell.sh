#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# "Terminal shell in container": a shell runs in a cgroup named like a docker
# scope (system.slice/docker-<64 hex>.scope), so that its container.id is the
# first 12 hex digits.  cgroup v2: under /sys/fs/cgroup; v1: under the pids
# hierarchy.  The cgroup is removed afterwards.
. "$(dirname "$0")/lib.sh"
id=ffee0000c0ffee00ffee0000c0ffee00ffee0000c0ffee00ffee0000c0ffee00
case $(stat -fc %T /sys/fs/cgroup 2>/dev/null) in
cgroup2fs) root=/sys/fs/cgroup ;;
*) root=/sys/fs/cgroup/pids ;;
esac
# only a real cgroup file system: never leave directories on a tmpfs
case $(stat -fc %T "$root" 2>/dev/null) in
cgroup2fs | cgroupfs) ;;
*)
	say "no cgroup hierarchy at $root: skipped"
	exit 0
	;;
esac
slice=$root/system.slice
cg=$slice/docker-$id.scope
made_slice=
[ -d "$slice" ] || { mkdir "$slice" && made_slice=1; }
if ! mkdir -p "$cg" 2>/dev/null; then
	say "cannot create $cg: skipped"
	exit 0
fi
say "shell in $cg"
# the child moves itself into the cgroup, then becomes a shell running commands
sh -c "echo \$\$ > $cg/cgroup.procs && exec sh -c 'id >/dev/null; ls / >/dev/null'" || true
# the shell has exited: the cgroup is empty again
rmdir "$cg" 2>/dev/null || true
[ -z "$made_slice" ] || rmdir "$slice" 2>/dev/null || true
