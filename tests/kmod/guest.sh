# SPDX-License-Identifier: Apache-2.0
# Runs inside the qemu guest (sh -e, from /init): load the module, record the
# scenario with the module and with the BPF probe (when built with it), a
# syscall storm, the overhead loops (no capture, module, probe: same loops,
# same 8 MiB rings), try to unload with the device open, unload, and print
# the captures (base64) and the kernel log between markers.
ip link set lo up
insmod /ff_kmod.ko ring_mb=8 # the size of the probe's rings
test -c /dev/ff_kmod0
echo "KMOD-CPUS $(ls /dev/ff_kmod* | wc -l)"
BPF=0
if ffk-rec --driver bpf --hold 0 2>/tmp/bpf.log; then
	BPF=1
	echo "KMOD-BPF loads"
else
	echo "KMOD-BPF-NOLOAD $(grep -a -m1 -E "failed to resolve CO-RE|not found in kernel|unknown func|invalid" /tmp/bpf.log || tail -n1 /tmp/bpf.log)"
fi
mkdir -p /tmp/w
cd /tmp/w

# the scenario, recorded by falco-capture with the module, then with the
# probe, each time in a fresh /tmp/w (so that the first open creates its
# file both times) on its own ports (no TIME_WAIT in the way)
record() { # DRIVER OUT PORT
	rm -f "$2"
	rm -rf /tmp/w && mkdir -p /tmp/w
	falco-capture --driver "$1" --all -q --compress gzip -w "$2" 2>/tmp/fc.log &
	fc=$!
	n=0
	while [ ! -s "$2" ] && [ $n -lt 200 ]; do sleep 0.1; n=$((n + 1)); done
	sleep 0.5 # the /proc scan is written: events flow
	(cd /tmp/w && ffk-scenario /tmp/w "$3") || { cat /tmp/fc.log; return 1; }
	sleep 0.5
	kill -INT $fc
	wait $fc || { cat /tmp/fc.log; return 1; }
	echo "KMOD-FC $1 $(tr '\n' ' ' </tmp/fc.log)"
}
record kmod /tmp/kmod.scap 48123
[ "$BPF" = 1 ] && record bpf /tmp/bpf.scap 48125
# once more through ffk-rec, for each driver's counters (drops, fill failures)
for d in kmod:48127 bpf:48129; do
	port=${d#*:}
	d=${d%:*}
	[ $d = kmod ] || [ "$BPF" = 1 ] || continue
	rm -rf /tmp/w2 && mkdir -p /tmp/w2
	ffk-rec --driver $d -w /tmp/scen.scap -- ffk-scenario /tmp/w2 $port 2>/tmp/rec.log || { cat /tmp/rec.log; exit 1; }
	echo "KMOD-SCENARIO $d $(grep -v libbpf /tmp/rec.log | tail -n1)"
	rm -f /tmp/scen.scap
done
mkdir -p /tmp/w

# storm: the recorder drains while 20000 open/read/close rounds and forks run
t0=$(date +%s)
ffk-rec -w /tmp/storm.scap -- ffk-scenario --storm /tmp/w 20000 2>/tmp/storm.log >/tmp/storm.out ||
	{ cat /tmp/storm.log; exit 1; }
echo "KMOD-STORM $(cat /tmp/storm.log) $(cat /tmp/storm.out) secs=$(($(date +%s) - t0)) bytes=$(wc -c </tmp/storm.scap)"
rm -f /tmp/storm.scap

# overhead: the same loops without a capture, with the module, with the
# probe (when it loads); rounds interleaved so that drifts hit all alike
drivers="off kmod"
[ "$BPF" = 1 ] && drivers="off kmod bpf"
for round in 1 2 3 4 5; do
	for d in $drivers; do
		for loop in "getppid 60000" "openrc 20000"; do
			if [ "$d" = off ]; then
				out=$(ffk-scenario --bench $loop)
			else
				out=$(ffk-rec --driver "$d" -w /tmp/bench.scap -- ffk-scenario --bench $loop 2>/tmp/bench.log)
			fi
			echo "KMOD-BENCH driver=$d round=$round $out $(grep -a -o 'drops=[0-9]*' /tmp/bench.log 2>/dev/null || true)"
			rm -f /tmp/bench.scap /tmp/bench.log
		done
	done
done

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

for c in kmod bpf; do
	[ -s /tmp/$c.scap ] || continue
	echo "KMOD-CAPTURE-BEGIN $c"
	base64 /tmp/$c.scap
	echo "KMOD-CAPTURE-END $c"
done
echo "KMOD-DMESG-BEGIN"
dmesg
echo "KMOD-DMESG-END"
