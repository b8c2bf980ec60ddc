#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# "System procs network activity" / "Unexpected outbound connection": a system
# binary connects out, to TEST-NET-1 (192.0.2.1, RFC 5737: never routed), so
# nothing leaves the host; the attempt times out after a second.
. "$(dirname "$0")/lib.sh"
say "connect 192.0.2.1:80"
timeout 1 perl -MIO::Socket::INET -e 'IO::Socket::INET->new(PeerAddr => "192.0.2.1:80", Timeout => 1)' || true
