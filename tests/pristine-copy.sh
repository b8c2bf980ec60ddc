#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pristine-copy.sh SRCDIR DEST: copy the tracked sources of SRCDIR into DEST and
# bootstrap them there.  An in-tree configured checkout cannot host a second
# (VPATH) configuration, so sanitizer and fuzzer builds use such a copy.
set -eu
src=$1 dest=$2
rm -rf "$dest"
mkdir -p "$dest"
if [ -e "$src/.git" ]; then
	git -C "$src" ls-files -z | (cd "$src" && tar --null -T - -cf -) | tar -xf - -C "$dest"
else
	(cd "$src" && tar --exclude='./build-*' -cf - .) | tar -xf - -C "$dest"
	(cd "$dest" && { make distclean >/dev/null 2>&1 || true; })
fi
cd "$dest" && autoreconf -fi >/dev/null
