#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A unix stream socket: listen on a temporary path, connect, and send two
# messages each way with sendmsg (how tmux, systemd and dbus talk), so the
# socket's name after connect and after each send can be compared with sysdig.
. "$(dirname "$0")/lib.sh"
d=$(mktemp -d /tmp/ff-unix.XXXXXX)
perl -MIO::Socket::UNIX -MSocket -e '
	my $p = shift;
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM, Local => $p, Listen => 1) or die "listen: $!";
	my $c = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $p) or die "connect: $!";
	my $a = $s->accept or die "accept: $!";
	for my $m ("one", "two") { $c->send("$m\n"); my $l = <$a>; $a->send("ok\n"); $l = <$c>; }' "$d/sock"
rm -rf "$d"
