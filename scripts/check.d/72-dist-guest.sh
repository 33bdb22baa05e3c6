#!/usr/bin/env bash
# check step: the bundle on a guest that has nothing but a kernel and busybox. QEMU (TCG)
# boots Debian's bookworm cloud kernel (linux-image-6.1.0-57-cloud-amd64 6.1.192-3, fetched
# with apt-get download, sha256 pinned, cached in build/third-party/) with an initramfs of a
# static busybox, the bundle tarball and an /init script: busybox tar unpacks the tarball,
# every suite runs against the guest's real /dev, /sys and /proc (no TEE there: each must
# SKIP every test with a reason and exit 4, its TAP complete), the programs' --version, and
# teeabi-qualify (without a teeabi-run in the bundle: its refusal, exit 1; with one: exit 4
# and a summary.json saying everything was skipped). Results come back on the serial console.
# The kernel lane (real drivers in such guests) is where the same bundle meets real devices.
# Without the kernel package (archive unreachable, the version gone) the step exits 77.
# Budget: about 30 s (the boot and run take 10-15 s under TCG).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. scripts/ship_lib.sh
scripts/deps.sh ship >/dev/null || { echo "FAIL: 72-dist-guest: scripts/deps.sh ship failed"; exit 1; }
BUSYBOX=$(static_busybox)
[ -n "$BUSYBOX" ] || { echo "FAIL: 72-dist-guest needs a static busybox (busybox-static)"; exit 1; }
for t in qemu-system-x86_64 cpio dpkg-deb; do command -v $t >/dev/null || { echo "FAIL: 72-dist-guest needs $t"; exit 1; }; done
KPKG=linux-image-6.1.0-57-cloud-amd64 KVER=6.1.192-3
KSHA=4fdd0172a8c3f41a97e92465b2ac1867e1c10d82d7aeed3d26ee7a5d14df1754
KDIR=$TOP/build/third-party/$KPKG@$KVER
if [ ! -f "$KDIR/.ok" ]; then
	rm -rf "$KDIR" && mkdir -p "$KDIR"
	if ! (cd "$KDIR" && timeout 300 apt-get download "$KPKG=$KVER") >"$KDIR/apt.log" 2>&1; then
		echo "SKIP: cannot fetch $KPKG=$KVER from the Debian archive: $(grep -m1 -E '^E:' "$KDIR/apt.log")"
		exit 77
	fi
	got=$(sha256sum "$KDIR"/*.deb | cut -c1-64)
	[ "$got" = "$KSHA" ] || { echo "FAIL: $KPKG $KVER has sha256 $got, pinned $KSHA"; exit 1; }
	dpkg-deb -x "$KDIR"/*.deb "$KDIR/x" && touch "$KDIR/.ok"
fi
VMLINUZ=$(ls "$KDIR"/x/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$VMLINUZ" ] || { echo "FAIL: no vmlinuz in $KPKG"; exit 1; }
ship_tmp 72-dist-guest
t0=$SECONDS
V=$(cat VERSION)
mapfile -t SUITES < <(bundle_suites)
DIST_OUT=$T/dist scripts/dist.sh >"$T/dist.log" 2>&1 || { fail "scripts/dist.sh:"; tail -5 "$T/dist.log"; exit 1; }

I=$T/initramfs
mkdir -p "$I"/{bin,dev,proc,sys,tmp,opt,out}
cp "$BUSYBOX" "$I/bin/busybox" && ln -s busybox "$I/bin/sh"
cp "$T/dist/teeabi-$V-x86_64.tar.gz" "$I/bundle.tar.gz"
cat >"$I/init" <<'EOF'
#!/bin/sh
# the guest: real proc, sysfs, devtmpfs; only busybox and the bundle tarball
bb=/bin/busybox
$bb mount -t proc proc /proc && $bb mount -t sysfs sys /sys && $bb mount -t devtmpfs dev /dev && $bb mount -t tmpfs tmp /tmp
$bb tar -xzf /bundle.tar.gz -C /opt
echo
echo "@@@ untar $?"
R=$(echo /opt/teeabi-*)
for s in "$R"/suites/*; do
	n=${s##*/}
	"$s" --tap "/out/$n.tap" >/dev/null 2>&1
	echo "@@@ suite $n $?"
	$bb cat "/out/$n.tap"
done
echo "@@@ version $("$R/teeabi-qualify" --version) | $("$R/bin/teeabi-parse" --version) | $("$R/bin/mockenv" --version)"
"$R/teeabi-qualify" --reports /out/q >/out/q.log 2>&1
echo "@@@ qualify $?"
$bb cat /out/q.log
if [ -f /out/q/summary.json ]; then echo "@@@ summary"; $bb cat /out/q/summary.json; echo; fi
echo "@@@ end"
$bb poweroff -f
EOF
chmod +x "$I/init"
(cd "$I" && find . | sort | cpio -o -H newc 2>/dev/null | gzip -1 >"$T/initrd.gz")
timeout 180 qemu-system-x86_64 -accel tcg -cpu qemu64 -m 512 -nographic -no-reboot -kernel "$VMLINUZ" \
	-initrd "$T/initrd.gz" -append "console=ttyS0 quiet panic=-1" </dev/null >"$T/console.log" 2>&1
qrc=$?
tr -d '\r' <"$T/console.log" >"$T/console.txt"
grep -q '^@@@ end' "$T/console.txt" || { fail "the guest did not finish (qemu exit $qrc): $(tail -5 "$T/console.txt")"; exit 1; }
has_run=0
[ -n "$(tar -tzf "$T/dist/teeabi-$V-x86_64.tar.gz" | grep '/bin/teeabi-run$')" ] && has_run=1
python3 - "$T/console.txt" "$V" "$has_run" "${SUITES[@]}" <<'PY' || fail "the bundle in the guest (above)"
import json, re, sys
text, version, has_run, suites = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3] == "1", sys.argv[4:]
bad = []
m = re.search(r"^@@@ untar (\d+)$", text, re.M)
if not m or m.group(1) != "0":
    bad.append("busybox tar could not unpack the bundle")
blocks = re.findall(r"^@@@ suite (\S+) (\d+)\n(.*?)(?=^@@@ )", text, re.M | re.S)
seen = {n for n, _, _ in blocks}
bad += [f"suite {s} did not run" for s in suites if s not in seen]
ntests = 0
for name, rc, tap in blocks:
    plan = re.search(r"^1\.\.(\d+)$", tap, re.M)
    res = re.findall(r"^(ok|not ok) \d+ (\S+)(.*)$", tap, re.M)
    if rc != "4":
        bad.append(f"{name}: exit {rc}, want 4 (everything skipped: no TEE in this guest)")
    if not plan or int(plan.group(1)) != len(res) or not re.search(r"^# Totals: pass:0 fail:0 .* error:0 ", tap, re.M):
        bad.append(f"{name}: TAP incomplete or not all skipped")
    bad += [f"{name}: {t}{rest}" for ok, t, rest in res if ok != "ok" or not re.match(r" # SKIP \S", rest)]
    ntests += len(res)
want = f"teeabi-qualify (teeabi) {version} | teeabi-parse (teeabi) {version} | mockenv (teeabi) {version}"
m = re.search(r"^@@@ version (.*)$", text, re.M)
if not m or m.group(1) != want:
    bad.append(f"versions in the guest: {m.group(1) if m else None!r}")
q = re.search(r"^@@@ qualify (\d+)$", text, re.M)
if has_run:
    s = re.search(r"^@@@ summary\n(.*?)\n@@@ end", text, re.M | re.S)
    d = json.loads(s.group(1)) if s else {}
    if not q or q.group(1) != "4" or d.get("exit_code") != 4 or d.get("target") != "real":
        bad.append(f"teeabi-qualify: exit {q and q.group(1)}, summary {str(d)[:200]}")
elif not q or q.group(1) != "1" or "teeabi-run is missing" not in text:
    bad.append("teeabi-qualify without teeabi-run did not refuse with exit 1")
for b in bad:
    print("  " + b)
if bad:
    sys.exit(1)
print(f"ok: a busybox-only guest (Linux 6.1, QEMU) unpacked the tarball with busybox tar and ran "
      f"{len(blocks)} suites, {ntests} tests, each SKIP with a reason and exit 4; --version {version}"
      + ("; teeabi-qualify exit 4 with summary.json" if has_run else "; teeabi-qualify refused (no teeabi-run in this bundle)"))
PY
echo "72-dist-guest: $fails failure(s) in $((SECONDS - t0)) s"
[ $fails = 0 ]
