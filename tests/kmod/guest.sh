# SPDX-License-Identifier: Apache-2.0
# Runs inside the qemu guest (sh -e, from /init): load the module, record the
# scenario and a syscall storm, try to unload with the device open, unload,
# and print the capture (base64) and the kernel log between markers.
ip link set lo up
insmod /ff_kmod.ko ring_mb=4
test -c /dev/ff_kmod0
echo "KMOD-CPUS $(ls /dev/ff_kmod* | wc -l)"
if ffk-rec --driver bpf --hold 0 2>/tmp/bpf.log; then echo "KMOD-BPF ok"; else echo "KMOD-BPF-FAIL"; tail -c 3000 /tmp/bpf.log; echo "KMOD-BPF-FAIL-END"; fi
mkdir -p /tmp/w
cd /tmp/w

ffk-rec -w /tmp/scen.scap -z -- ffk-scenario /tmp/w 2>/tmp/rec.log || { cat /tmp/rec.log; exit 1; }
echo "KMOD-SCENARIO $(cat /tmp/rec.log)"

# storm: the recorder drains while 20000 open/read/close rounds and forks run
t0=$(date +%s)
ffk-rec -w /tmp/storm.scap -- ffk-scenario --storm /tmp/w 20000 2>/tmp/storm.log >/tmp/storm.out ||
	{ cat /tmp/storm.log; exit 1; }
echo "KMOD-STORM $(cat /tmp/storm.log) $(cat /tmp/storm.out) secs=$(($(date +%s) - t0)) bytes=$(wc -c </tmp/storm.scap)"
rm -f /tmp/storm.scap

# overhead figure: the same loop with the module loaded but not capturing
echo "KMOD-BASE $(ffk-scenario --storm /tmp/w 20000)"

# unload while a reader has the rings open and mapped: must be refused
ffk-rec --hold 3 2>/tmp/hold.log &
sleep 1
if rmmod ff_kmod 2>/tmp/rmmod.log; then
	echo "KMOD-FAIL rmmod succeeded with the device open"
	exit 1
fi
echo "KMOD-BUSY $(cat /tmp/rmmod.log)"
wait
rmmod ff_kmod
if grep -q ff_kmod /proc/modules; then
	echo "KMOD-FAIL module still loaded"
	exit 1
fi
echo "KMOD-UNLOADED"

echo "KMOD-CAPTURE-BEGIN"
base64 /tmp/scen.scap
echo "KMOD-CAPTURE-END"
echo "KMOD-DMESG-BEGIN"
dmesg
echo "KMOD-DMESG-END"
