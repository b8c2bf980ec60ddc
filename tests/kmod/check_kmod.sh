#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# make check-kmod: build driver/kmod against Debian's linux-headers, boot
# Debian's kernel (linux-image, fetched with apt-get download and cached in
# $top_builddir/kmod-vm/cache) under qemu, run tests/kmod/guest.sh there, and
# check the returned capture here with sysdig and falco-replay.
# Skips (77) when qemu, busybox or the headers are missing.
set -eu
: "${top_srcdir:?}" "${top_builddir:?}"
AWK=${AWK:-awk}
B=$top_builddir/kmod-vm
pass=0
failed=0
ok() { pass=$((pass + 1)); echo "ok: $*"; }
bad() { failed=$((failed + 1)); echo "FAIL: $*"; }
skip() { echo "kmod-vm: skipped: $*"; exit 77; }
summary() { echo "kmod-vm: $pass passed, $failed failed"; [ "$failed" = 0 ]; }

KVER=${KVER:-$(apt-cache depends linux-headers-amd64 2>/dev/null | sed -n 's/.*Depends: linux-headers-//p' | head -1)}
[ -n "$KVER" ] || skip "no linux-headers-amd64 in apt (KVER unknown)"
KDIR=/lib/modules/$KVER/build
[ -d "$KDIR" ] || skip "no $KDIR (apt-get install linux-headers-$KVER)"
command -v qemu-system-x86_64 >/dev/null || skip "no qemu-system-x86_64"
BUSYBOX=$(command -v busybox || true)
[ -n "$BUSYBOX" ] && ldd "$BUSYBOX" 2>&1 | grep -q 'not a dynamic' ||
	skip "no static busybox (busybox-static)"
mkdir -p "$B/cache/$KVER"

# ---- guest kernel: download (never install), uncompress for a PVH boot
C=$B/cache/$KVER
if [ ! -s "$C/vmlinuz" ]; then
	(cd "$C" && rm -f ./*.deb &&
		if [ "$(id -u)" = 0 ]; then
			apt-get download -q -o APT::Sandbox::User=root "linux-image-$KVER"
		else
			apt-get download -q "linux-image-$KVER"
		fi >/dev/null) || skip "apt-get download linux-image-$KVER failed"
	dpkg-deb --fsys-tarfile "$C"/linux-image-"$KVER"_*.deb | tar -xO "./boot/vmlinuz-$KVER" >"$C/vmlinuz.tmp"
	mv "$C/vmlinuz.tmp" "$C/vmlinuz"
	rm -f "$C"/*.deb
fi
if [ ! -s "$C/vmlinux" ] && [ ! -e "$C/vmlinux.failed" ]; then
	# the xz stream inside the bzImage; xz complains about what follows it
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$C/vmlinuz" | head -1 | cut -d: -f1 || true)
	if [ -n "$off" ]; then
		tail -c +"$((off + 1))" "$C/vmlinuz" | xz -dcq >"$C/vmlinux.tmp" 2>/dev/null || true
	fi
	if [ -s "$C/vmlinux.tmp" ] && [ "$(head -c 4 "$C/vmlinux.tmp" | tail -c 3)" = ELF ]; then
		mv "$C/vmlinux.tmp" "$C/vmlinux"
	else
		rm -f "$C/vmlinux.tmp"
		touch "$C/vmlinux.failed"
	fi
fi
KERNEL=$C/vmlinuz
[ -s "$C/vmlinux" ] && KERNEL=$C/vmlinux

# ---- module
M=$B/mod
rm -rf "$M" && mkdir -p "$M"
cp "$top_srcdir/driver/kmod/ff_kmod.c" "$top_srcdir/driver/kmod/ff_kmod_abi.h" \
	"$top_srcdir/driver/kmod/Kbuild" "$top_srcdir/driver/ff_event_abi.h" \
	"$top_srcdir/driver/bpf/ff_probe.h" "$top_builddir/driver/ff_event_ids.h" "$M/"
"$AWK" -v out=bpf -f "$top_srcdir/driver/gen_tables.awk" \
	"$top_srcdir/driver/syscalls_x86_64.tsv" >"$M/ff_bpf_routes.h"
if make -s -C "$KDIR" M="$M" modules >"$B/mod.log" 2>&1; then
	ok "module builds against $KVER"
else
	cat "$B/mod.log"
	bad "module build"
	summary
	exit 1
fi

# ---- initramfs: busybox, our programs with their shared libraries
R=$B/root
rm -rf "$R" && mkdir -p "$R/bin" "$R/proc" "$R/sys" "$R/dev" "$R/tmp"
cp "$BUSYBOX" "$R/bin/busybox"
cp "$M/ff_kmod.ko" "$R/"
cp "$top_srcdir/tests/kmod/guest.sh" "$R/guest.sh"
for p in ffk-rec ffk-scenario; do
	cp "$top_builddir/tests/kmod/$p" "$R/bin/$p"
	ldd "$top_builddir/tests/kmod/$p" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) .*/\1/p' |
		while read -r lib; do
			mkdir -p "$R$(dirname "$lib")"
			cp -L "$lib" "$R$lib"
		done
done
cat >"$R/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
if sh -e /guest.sh; then echo "KMOD-GUEST-DONE"; else echo "KMOD-GUEST-FAILED"; fi
poweroff -f
INIT
chmod +x "$R/init"
(cd "$R" && find . | cpio -o -H newc --quiet | gzip -1) >"$B/initramfs.cpio.gz"

# ---- boot: KVM only when it really works, else TCG
ACCEL="-accel tcg,thread=multi -cpu max"
if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then ACCEL="-accel kvm -cpu host"; fi
t0=$(date +%s)
# shellcheck disable=SC2086
timeout 420 qemu-system-x86_64 $ACCEL -m 512 -smp 2 -net none \
	-kernel "$KERNEL" -initrd "$B/initramfs.cpio.gz" -nographic -no-reboot \
	-append "console=ttyS0 panic=-1 oops=panic panic_on_warn=1 quiet loglevel=4" \
	</dev/null >"$B/console.log" 2>&1 || true
echo "guest ran $(($(date +%s) - t0)) s ($(basename "$KERNEL"))"
tr -d '\r' <"$B/console.log" >"$B/console.txt"
L=$B/console.txt
grep -a '^KMOD-[A-Z]* ' "$L" | grep -av '^KMOD-CAPTURE' || true

if grep -aq '^KMOD-GUEST-DONE' "$L"; then
	ok "guest script: load, scenario, storm, busy unload, unload"
else
	tail -40 "$L"
	bad "guest script did not finish"
fi
sed -n '/^KMOD-DMESG-BEGIN/,/^KMOD-DMESG-END/p' "$L" >"$B/dmesg.txt"
if grep -aE 'BUG|WARNING|Oops|general protection|Call Trace' "$L" >"$B/oops.txt"; then
	cat "$B/oops.txt"
	bad "guest kernel log has BUG/WARNING/Oops"
else
	ok "guest kernel log clean"
fi
if grep -aq '^KMOD-BUSY' "$L"; then ok "rmmod refused while the device is open"; else bad "busy unload"; fi
storm=$(grep -a '^KMOD-STORM' "$L" || true)
ev=$(echo "$storm" | sed -n 's/.* events=\([0-9]*\).*/\1/p')
rd=$(echo "$storm" | sed -n 's/.* read=\([0-9]*\).*/\1/p')
if [ -n "$ev" ] && [ "$ev" -gt 100000 ] && [ "$ev" = "$rd" ]; then
	ok "storm: $ev events written and read"
else
	bad "storm counters: $storm"
fi

# ---- the scenario capture, checked here
CAP=$B/kmod.scap
sed -n '/^KMOD-CAPTURE-BEGIN/,/^KMOD-CAPTURE-END/p' "$L" | sed '1d;$d' | base64 -d >"$CAP" 2>/dev/null || true
if [ ! -s "$CAP" ]; then
	bad "no capture came back"
	summary
	exit 1
fi
# '*': print events whose fd.name is unset too (clone, execve, procexit)
FMT='*%evt.type %evt.dir %proc.name %fd.name %evt.args'
FLT='proc.name in (ffk-scenario, true) and evt.type in (open, openat, read, write, close, socket, bind, listen, connect, clone, execve, procexit)'
if sysdig -r "$CAP" -p "$FMT" "$FLT" >"$B/sysdig.txt" 2>"$B/sysdig.err"; then
	ok "sysdig 0.29.3 reads the capture ($(wc -l <"$B/sysdig.txt") scenario lines)"
else
	cat "$B/sysdig.err"
	bad "sysdig -r"
fi
"$top_builddir/falco-replay" -p "$FMT" -f "$FLT" "$CAP" >"$B/replay.txt" 2>"$B/replay.err" ||
	{ cat "$B/replay.err"; bad "falco-replay exit status"; }
# known divergence (falco-replay, not the capture): sysdig names a parent it
# only saw through a child's clone exit (ptid=N(ffk-rec)), falco-replay <NA>
unptid() { sed -E 's/ ptid=([0-9]+)\([^)]*\)/ ptid=\1/' "$1"; }
if [ -s "$B/replay.txt" ] && [ "$(unptid "$B/sysdig.txt")" = "$(unptid "$B/replay.txt")" ]; then
	ok "falco-replay lists the scenario exactly as sysdig does"
else
	diff "$B/sysdig.txt" "$B/replay.txt" | head -20
	bad "falco-replay and sysdig differ"
fi
# what the scenario did (tests/kmod/ff_kmod_scenario.c), line by line
expect() {
	if grep -aqE "$2" "$B/replay.txt"; then ok "$1"; else bad "$1: no line matching /$2/"; fi
}
F='/tmp/w/secret.txt'
N='[0-9]+'
expect "openat exit: fd, path, O_CREAT flags, mode" "^openat < ffk-scenario $F fd=$N\(<f>$F\) dirfd=-100\(AT_FDCWD\) name=$F flags=16646\(O_TRUNC\|O_CREAT\|O_WRONLY\) mode=0640 dev=$N"
expect "write exit: fd and data" "^write < ffk-scenario $F res=13 data=kmod says hi\. \$"
expect "open exit: path and flags" "^open < ffk-scenario $F fd=$N\(<f>$F\) name=$F flags=1\(O_RDONLY\) mode=0 dev=$N"
expect "read exit: data" "^read < ffk-scenario $F res=13 data=kmod says hi\. \$"
expect "close exit of the file" "^close < ffk-scenario $F res=0"
expect "socket exit" "^socket < ffk-scenario  fd=$N\(<4>\)"
expect "bind exit: address" "^bind < ffk-scenario 127\.0\.0\.1:48123 res=0 addr=127\.0\.0\.1:48123"
expect "listen exit" "^listen < ffk-scenario 127\.0\.0\.1:48123 res=0"
expect "connect exit: tuple" "^connect < ffk-scenario 127\.0\.0\.1:$N->127\.0\.0\.1:48123 res=0 tuple=127\.0\.0\.1:$N->127\.0\.0\.1:48123"
expect "close exit of the socket" "^close < ffk-scenario 127\.0\.0\.1:$N->127\.0\.0\.1:48123 res=0"
expect "clone exit in the parent" "^clone < ffk-scenario <NA> res=$N\(ffk-scenario\) exe=ffk-scenario args=/tmp/w\. tid=$N\(ffk-scenario\) pid=$N\(ffk-scenario\) ptid=$N.* cwd=/tmp/w "
expect "clone exit in the child" "^clone < ffk-scenario <NA> res=0 exe=ffk-scenario args=/tmp/w\. tid=$N\(ffk-scenario\) pid=$N\(ffk-scenario\) ptid=$N\(ffk-scenario\) cwd=/tmp/w .* flags=$N\(CLONE_CHILD_CLEARTID\|CLONE_CHILD_SETTID\)"
expect "execve exit: exe, args, ids, cwd, comm" "^execve < true <NA> res=0 exe=true args=kmod-arg\. tid=$N\(true\) pid=$N\(true\) ptid=$N\(ffk-scenario\) cwd=/tmp/w .* comm=true "
expect "execve enter: filename" "^execve > ffk-scenario <NA> filename=/bin/true \$"
expect "procexit of the child" "^procexit > true <NA> status=0 ret=0 sig=0 core=0"
summary
