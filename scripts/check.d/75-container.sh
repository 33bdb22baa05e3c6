#!/usr/bin/env bash
# check step: the container image (deploy/Containerfile, FROM scratch) and the Compose files
# (deploy/compose/*.yaml).
#   1. the image builds from the bundle with podman + runc, without a registry;
#   2. every Compose file is valid for Compose (`docker-compose config`, Debian's 1.29.2, which
#      validates against the Compose schema), and a copy with a misspelt key or an unknown
#      depends_on condition is rejected (the validator is not blind); the documented patterns
#      are all there (devices: for both nodes, the configfs-tsm subtree, the agent socket,
#      the root entry point that relaxes the node, the helper service completed successfully);
#   3. inside `mockenv --profile P` with the interfaces bind-mounted (-v), the image's suites
#      give test by test the tree's results, except matrix.image.kernel_release, which must
#      FAIL naming this machine's kernel: a container gets a /proc of its own and runc refuses
#      bind mounts inside /proc, so the mock kernel release cannot reach it;
#   4. each Compose pattern's services run the way Compose would start them (translated to
#      podman run; devices: become -v, see below), the helper first; the entry point's exit
#      status is the verdict and the reports are on the volume (without a teeabi-run in the
#      bundle: exit 1 with its refusal, said as a note).
# `devices:` cannot work under mockfs: the mock nodes are FUSE regular files and the runtime
# refuses them ("not a device node"); only a real kernel has the character devices.
# Budget: about 60 s.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. scripts/ship_lib.sh

ship_mock_setup 75-container podman
T=$(mktemp -d /tmp/teeabi-75-container.XXXXXX)
V=$(cat VERSION)
IMG=localhost/teeabi-check:$V
export CONTAINERS_CONF=$TOP/build/container/containers.conf
PODMAN=(podman --runtime runc)
trap '"${PODMAN[@]}" rmi -f "$IMG" >/dev/null 2>&1; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
t0=$SECONDS

# ------------------------------------------------------------------ 1. image
DIST_OUT=$T/dist scripts/dist.sh >"$T/dist.log" 2>&1 || { fail "scripts/dist.sh:"; tail -5 "$T/dist.log"; exit 1; }
DIST_OUT=$T/dist scripts/container.sh "$IMG" >"$T/build.log" 2>&1 || { fail "podman build:"; tail -10 "$T/build.log"; exit 1; }
layers=$("${PODMAN[@]}" image inspect "$IMG" --format '{{len .RootFS.Layers}} layers, {{.Size}} bytes' 2>&1)
ok "image $IMG built FROM scratch ($layers)"
v=$("${PODMAN[@]}" run --rm --network none "$IMG" --version 2>&1)
[ "$v" = "teeabi-qualify (teeabi) $V" ] && ok "the entry point answers: $v" || fail "entry point --version: $v"

# ------------------------------------------------------------------ 2. Compose files
# the validator, pinned: Debian bookworm's docker-compose 1.29.2 (its schema is the Compose
# specification's as of that release)
dcv=$(docker-compose version --short 2>/dev/null)
[ "$dcv" = 1.29.2 ] || { fail "docker-compose $dcv, the check is pinned to 1.29.2 (Debian bookworm)"; }
nfiles=0
for f in deploy/compose/*.yaml; do
	nfiles=$((nfiles + 1))
	out=$(docker-compose -f "$f" config -q 2>&1) && ok "valid Compose: $f" || fail "$f: $out"
done
[ "$nfiles" -gt 0 ] || fail "no deploy/compose/*.yaml"
sed '0,/^    devices:/s//    devicez:/' deploy/compose/tdx-device.yaml >"$T/bad1.yaml"
sed 's/service_completed_successfully/service_finished/' deploy/compose/nonroot-helper.yaml >"$T/bad2.yaml"
for b in bad1 bad2; do
	if out=$(docker-compose -f "$T/$b.yaml" config -q 2>&1); then fail "the validator accepts the broken $b.yaml"
	else ok "the validator rejects a broken copy ($b: $(tr '\n' ' ' <<<"$out" | cut -c1-100))"; fi
done
cat deploy/compose/*.yaml >"$T/all.yaml"
for pat in '- /dev/tdx_guest:/dev/tdx_guest' '- /dev/sev-guest:/dev/sev-guest' '- /sys/kernel/config/tsm:/sys/kernel/config/tsm' \
	'- /var/run/dstack.sock:/var/run/dstack.sock' 'chmod 666 /dev/tdx_guest && exec su' 'condition: service_completed_successfully'; do
	grep -qF -- "$pat" "$T/all.yaml" || fail "no Compose file has the pattern '$pat'"
done

# ------------------------------------------------------------------ 3. the image's suites = the tree's
# container_args PROFILE: the interfaces of the mock as bind mounts. /sys whole: this host has
# no configfs, so the container's own sysfs has no /sys/kernel/config to mount the subtree on
# (a guest does; there the Compose subtree mount works). /run whole: the mock agent's sockets
# and runtime event log (the patterns below mount the socket alone, as documented).
container_args() {
	echo "--network none -e TEEABI_PROFILE -v /sys:/sys:rslave -v /run:/run:rslave -v /etc/os-release:/etc/os-release:ro"
	case $1 in *tdx* | dstack-0.5*) echo "-v /dev/tdx_guest:/dev/tdx_guest" ;; *snp*) echo "-v /dev/sev-guest:/dev/sev-guest" ;; esac
}
export -f tree_suites
export TOP
kernel=$(uname -r)
for p in dstack-0.6.0-tdx dstack-0.6.0-snp; do
	d=$T/c.$p
	mkdir -p "$d/img" "$d/tree"
	# shellcheck disable=SC2046
	timeout 120 build/bin/mockenv --profile "$p" -- "${PODMAN[@]}" run --rm $(container_args "$p") -v "$d/img:/reports" \
		--entrypoint /bin/sh "$IMG" -c 'for s in "$@"; do /opt/teeabi/suites/$s --allow-destructive --tap /reports/$s.tap --junit /reports/$s.xml >/reports/$s.log 2>&1; echo "$s $?" >>/reports/rc; done' sh "${SUITES[@]}" \
		>"$d/img.log" 2>&1 || { fail "$p: podman run in mockenv: $(tail -3 "$d/img.log")"; continue; }
	timeout 120 build/bin/mockenv --profile "$p" -- bash -c 'tree_suites "$@"' sh "$d/tree" "${SUITES[@]}" >"$d/tree.log" 2>&1
	bad=0
	for s in "${SUITES[@]}"; do
		tap_complete "$d/img/$s.tap" || { fail "$p: container $s: TAP incomplete: $(tail -2 "$d/img/$s.log" 2>/dev/null)"; bad=1; continue; }
		diffs=$(diff <(tap_results "$d/img/$s.tap") <(tap_results "$d/tree/$s.tap") | grep '^[<>]')
		want=""
		[ "$s" = matrix ] && ! grep -q '^matrix.image.kernel_release FAIL' <(tap_results "$d/tree/$s.tap") &&
			want="< matrix.image.kernel_release FAIL
> matrix.image.kernel_release PASS"
		if [ "$diffs" != "$want" ]; then fail "$p: $s: container vs tree differ beyond the kernel release:"; echo "$diffs" | head -6; bad=1; fi
	done
	grep -q "^not ok .*matrix.image.kernel_release # FAIL kernel $kernel " "$d/img/matrix.tap" ||
		{ fail "$p: the container's matrix.image.kernel_release does not FAIL on this machine's kernel $kernel"; bad=1; }
	[ $bad = 0 ] && ok "$p: ${#SUITES[@]} suites in the container = the tree's, but matrix.image.kernel_release (the container sees kernel $kernel) ($(tap_tally "$d"/img/*.tap))"
done

# ------------------------------------------------------------------ 4. the Compose patterns, run
# Each service becomes a podman run: image -> this image, user, entrypoint, volumes, devices
# (as -v: FUSE files), /sys/kernel/config/tsm -> /sys (above), ./teeabi-reports -> a directory
# writable by the service's user. Services run in depends_on order.
python3 - "$T/plan" deploy/compose/*.yaml <<'PY' || fail "cannot read the Compose files"
import json, sys, yaml
out = open(sys.argv[1], "w")
for path in sys.argv[2:]:
    doc = yaml.safe_load(open(path))
    svcs = doc["services"]
    order, seen = [], set()
    def visit(n):
        if n in seen: return
        seen.add(n)
        for dep in (svcs[n].get("depends_on") or {}):
            visit(dep)
        order.append(n)
    for n in svcs: visit(n)
    for n in order:
        s = svcs[n]
        args = ["--network", "none", "-e", "TEEABI_PROFILE"]
        if "user" in s: args += ["--user", str(s["user"])]
        if "entrypoint" in s:
            ep = s["entrypoint"]
            args += ["--entrypoint", json.dumps(ep if isinstance(ep, list) else ["/bin/sh", "-c", ep])]
        for v in list(s.get("volumes", [])) + list(s.get("devices", [])):
            src, dst = v.split(":")[:2]
            if src == "/sys/kernel/config/tsm": src = dst = "/sys"
            if src == "./teeabi-reports": src = "@REPORTS@"
            args += ["-v", f"{src}:{dst}" + (":rslave" if src == "/sys" else "")]
        deps = s.get("depends_on") or {}
        out.write("\t".join([path, n, "svc" if n == "qualify" else "helper"] + args) + "\n")
PY
export -n TEEABI_PROFILE
cat >"$T/pattern.sh" <<'EOF'
# inside mockenv: run the plan's lines for one Compose file; "service rc" lines to $2
plan=$1 rcs=$2 reports=$3 img=$4
while IFS=$'\t' read -r -a l; do
	args=("${l[@]:3}")
	args=("${args[@]//@REPORTS@/$reports}")
	# a bind source this mock does not serve (e.g. no agent socket yet) is left out, and said
	keep=()
	for a in "${args[@]}"; do
		case $a in /*:*) if [ ! -e "${a%%:*}" ]; then echo "${a%%:*}" >>"$reports/../absent"; unset 'keep[-1]'; continue; fi ;; esac
		keep+=("$a")
	done
	podman --runtime runc run --rm "${keep[@]}" "$img" >"$reports/../${l[1]}.out" 2>&1
	echo "${l[1]} $?" >>"$rcs"
done <"$plan"
EOF
for f in deploy/compose/*.yaml; do
	b=$(basename "$f" .yaml)
	case $b in *snp* | sev-*) p=dstack-0.6.0-snp ;; *) p=dstack-0.6.0-tdx ;; esac
	d=$T/pat.$b
	mkdir -p "$d/reports" && chmod 0777 "$d/reports"
	grep -P "^\Q$f\E\t" "$T/plan" >"$d/plan"
	timeout 120 build/bin/mockenv --profile "$p" -- bash "$T/pattern.sh" "$d/plan" "$d/rc" "$d/reports" "$IMG" >"$d/mockenv.log" 2>&1
	helper_ok=1
	while read -r svc rc; do
		[ "$svc" = qualify ] && continue
		[ "$rc" = 0 ] || { fail "$b: helper $svc exit $rc: $(tail -2 "$d/$svc.out")"; helper_ok=0; }
	done <"$d/rc"
	qrc=$(sed -n 's/^qualify //p' "$d/rc")
	[ -s "$d/absent" ] && echo "note: $b on $p: not served by the mock, left out: $(sort -u "$d/absent" | tr '\n' ' ')"
	if [ -z "$qrc" ]; then fail "$b: the qualify service did not run: $(tail -3 "$d/mockenv.log")"; continue; fi
	if grep -q 'bin/teeabi-run is missing' "$d/qualify.out"; then
		[ "$qrc" = 1 ] && [ $helper_ok = 1 ] && echo "note: $b on $p: the entry point chain ran ($(grep -c . "$d/plan") service(s)) and teeabi-qualify refused with exit 1: the bundle has no bin/teeabi-run yet" ||
			fail "$b: teeabi-qualify without teeabi-run exited $qrc"
	elif [ "$qrc" = 0 ] || [ "$qrc" = 1 ] || [ "$qrc" = 4 ]; then
		if [ -s "$d/reports/summary.json" ] && [ -s "$d/reports/index.html" ] &&
			python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); sys.exit(d["exit_code"] != int(sys.argv[2]))' "$d/reports/summary.json" "$qrc"; then
			ok "$b on $p: verdict exit $qrc = summary.json's, index.html on the volume ($(grep -m1 -E ': (PASS|FAIL|SKIP)' "$d/qualify.out" | cut -c1-100))"
			# the full qualification patterns expose everything: only the kernel release (above) fails
			if [[ $b == qualify-* ]]; then
				f=$(python3 -c 'import json, sys; print(" ".join(sorted(x["test"] for x in json.load(open(sys.argv[1]))["failures"])))' "$d/reports/summary.json")
				[ "$f" = matrix.image.kernel_release ] && ok "$b: the only failure is matrix.image.kernel_release" || fail "$b: failures in the container: $f"
			fi
		else fail "$b: exit $qrc but no summary.json/index.html on the volume, or another exit code in it: $(ls "$d/reports")"; fi
	else
		fail "$b: the qualify service exited $qrc: $(tail -3 "$d/qualify.out")"
	fi
done
echo "75-container: $fails failure(s) in $((SECONDS - t0)) s"
[ $fails = 0 ]
