#!/bin/busybox sh
# shellcheck shell=dash
# kernel-lane/init.sh: /init of the lane's guest (busybox). Loads the kernel's configfs and
# configfs-tsm modules, the firmware channel, starts the firmware daemon, loads the driver
# under test, runs the clients, then unpacks the shipped bundle with busybox tar and runs its
# teeabi-qualify exactly as a release manager would on a guest (profile detected from the
# kernel; --allow-destructive: this guest is thrown away), and writes the results as a tar
# archive onto the raw disk /dev/vda for the host.
/bin/busybox --install -s /bin
export PATH=/bin:/usr/bin:/teeabi/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
. /lane.conf
O=/tmp/out
mkdir -p $O/logs
log() { echo "lane: $*"; echo "$*" >> $O/lane.log; }
finish() {
	echo "$1" > $O/status
	(cd $O && tar -cf /dev/vda .) && sync
	echo "lane: results written ($1)"
	poweroff -f
}
load() { insmod "/lib/modules/$1.ko" 2>> $O/logs/insmod.log || { log "insmod $1 failed"; finish "insmod $1"; }; }

[ -b /dev/vda ] || load virtio_blk
uname -r > $O/kernel
for m in $LANE_MODULES_CORE; do load $m; done
mount -t configfs none /sys/kernel/config || finish "mount configfs"
load teeabi_fw
TEEABI_PROFILE_DIR=/teeabi/profiles teeabi-fwd --profile "$LANE_FW_PROFILE" --ready /tmp/fw.ready $LANE_FW_ARGS 2> $O/logs/fwd.log &
FWD=$!
i=0; while [ ! -e /tmp/fw.ready ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
[ -e /tmp/fw.ready ] || finish "firmware daemon did not start"
load "$LANE_DRIVER"
# The nodes as the kernel made them: path, file type, major:minor (decimal).
for n in $LANE_NODES; do
	if [ -e "$n" ]; then
		printf '%s\t%s\t%d:%d\n' "$n" "$(stat -c %F "$n")" "0x$(stat -c %t "$n")" "0x$(stat -c %T "$n")"
	else
		printf '%s\tabsent\t-\n' "$n"
	fi
done > $O/nodes.tsv
grep -w misc /proc/devices > $O/misc_major
ls -l /sys/class/misc/ > $O/sys_class_misc 2>&1
# the clients first, on the firmware's boot state (the mock side runs them on a fresh
# machine too)
log "clients"
[ -f /teeabi/clients/libtdx_attest.so.1 ] && export DCAP=/teeabi/bin/dcap_client DCAPLIB=/teeabi/clients/libtdx_attest.so.1
SHCLIENT=/teeabi/clients/shclient.sh PYCLIENT=/teeabi/clients/pyclient.py PYTHON=/usr/bin/python3 \
	sh /teeabi/clients/clients.sh "$LANE_PLATFORM" $O/clients
# the shipped bundle: busybox tar unpacks it, its entry point qualifies this machine
log "bundle"
tar -xzf /bundle.tar.gz -C /opt 2> $O/logs/untar.log || finish "unpack the bundle"
rm -f /bundle.tar.gz
R=$(echo /opt/teeabi-*)
[ -x "$R/teeabi-qualify" ] || finish "no teeabi-qualify in the bundle"
ls "$R/suites" > $O/suites.list
"$R/teeabi-qualify" --version > $O/qualify.version 2>&1
log "teeabi-qualify $LANE_QUALIFY_ARGS"
(cd /tmp && "$R/teeabi-qualify" $LANE_QUALIFY_ARGS --reports $O/bundle) > $O/logs/qualify.log 2>&1
echo $? > $O/qualify.rc
kill $FWD; wait $FWD; echo $? > $O/fwd.rc
dmesg > $O/dmesg
finish "done"
