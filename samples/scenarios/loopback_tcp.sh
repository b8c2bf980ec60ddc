#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A TCP connection over loopback: listen, connect, accept, one line each way.
# Prints "client_port server_port" so that tests can check the tuple.
. "$(dirname "$0")/lib.sh"
perl -MIO::Socket::INET -e '
	my $s = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 1, ReuseAddr => 1) or die "listen: $!";
	my $c = IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $s->sockport) or die "connect: $!";
	my $a = $s->accept or die "accept: $!";
	print $c "ping\n"; my $l = <$a>; print $a "pong\n"; $l = <$c>;
	print $c->sockport, " ", $s->sockport, "\n";'
