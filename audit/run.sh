#!/bin/sh
# run.sh SCRATCH [NN...] - the blind audit's driver. SCRATCH is a separate checkout of the
# tree under audit (never this worktree: patches are applied there and taken off again).
# For each deviation: the probe on the clean tree (NN.before), the patch applied, a build,
# the probe again (NN.after), the whole mock matrix without faults (NN.suite: the summary
# line and every "not ok" line of the TAP), the patch taken off. Results in results/.
set -u
# AUDIT_DIR: the round's directory (deviations.tsv, deviations/, probes/, results/); default
# this script's directory (round 1). probe.c is always the one next to this script.
top=$(cd "$(dirname "$0")" && pwd)
here=$(cd "${AUDIT_DIR:-$top}" && pwd)
scratch=$(cd "$1" && pwd); shift
res=${RES:-$here/results}
mkdir -p "$res"
cd "$scratch" || exit 2
git diff --quiet -- mocks || { echo "run.sh: $scratch has local changes in mocks/" >&2; exit 2; }
probe=$(mktemp -d)/probe
gcc -O1 -Wall -Wextra -Ilib/include "$top/probes/probe.c" -o "$probe" || exit 2
list=${*:-$(grep -v '^#' "$here/deviations.tsv" | cut -f1)}
build() { nice -n 10 make -j2 > "$res/build.log" 2>&1 || { echo "build failed, see results/build.log" >&2; exit 2; }; }
probe_run() { # NN profile > out
	PROBE=$probe nice -n 10 build/bin/mockenv --profile "$2" -- sh "$here"/probes/"$1"-*.sh 2>&1
}
build
for nn in $list; do
	prof=$(awk -F'\t' -v n="$nn" '$1 == n { print $3 }' "$here/deviations.tsv")
	probe_run "$nn" "$prof" > "$res/$nn.before"
done
for nn in $list; do
	prof=$(awk -F'\t' -v n="$nn" '$1 == n { print $3 }' "$here/deviations.tsv")
	patch=$(ls "$here"/deviations/"$nn"-*.patch)
	git apply "$patch" || { echo "$nn: patch does not apply" >&2; continue; }
	build
	probe_run "$nn" "$prof" > "$res/$nn.after"
	if cmp -s "$res/$nn.before" "$res/$nn.after"; then obs=no; else obs=yes; fi
	nice -n 10 ./run_all.sh --target mock --profile all --no-faults > "$res/$nn.runlog" 2>&1
	rc=$?
	{
		echo "exit $rc"
		grep '^run_all.sh: \(PASS\|FAIL\|BROK\)' "$res/$nn.runlog"
		for t in reports/tap/*.tap; do
			grep '^not ok' "$t" | sed "s|^|$(basename "$t" .tap): |"
		done
	} > "$res/$nn.suite"
	nfail=$(grep -c ': not ok' "$res/$nn.suite")
	echo "$nn observable=$obs run_all_exit=$rc not_ok=$nfail"
	git apply -R "$patch"
done
build
