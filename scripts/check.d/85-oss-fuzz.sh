#!/usr/bin/env bash
# check step: the OSS-Fuzz project (oss-fuzz/) and ClusterFuzzLite (.clusterfuzzlite/) files
# cannot rot: their build.sh is run here the way the builder image runs it:
#   - the tree copied to $SRC/teeabi, build.sh to $SRC/build.sh, run from $SRC/teeabi with
#     `bash -eu`, OUT and WORK fresh, CC=clang CXX=clang++, CFLAGS/CXXFLAGS as OSS-Fuzz's
#     base-clang sets them (-O1 -fno-omit-frame-pointer -gline-tables-only
#     -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION, the SANITIZER's flags; libFuzzer adds
#     -fsanitize=fuzzer-no-link), SANITIZER, FUZZING_ENGINE, ARCHITECTURE, FUZZING_LANGUAGE;
#   - three builds: libFuzzer + address, libFuzzer + undefined (LIB_FUZZING_ENGINE=
#     -fsanitize=fuzzer), AFL++ + address (CC=afl-clang-fast, Debian's libAFLDriver.a);
#     (CXXFLAGS lack OSS-Fuzz's -stdlib=libc++: the targets are C and this machine has no
#     libc++ development files; nothing here is C++);
#   - each build: every fuzz/fuzz_<t>.c gives $OUT/fuzz_<t>, with its .dict, .options and
#     _seed_corpus.zip, linked without libcrypto or json-c shared objects; every binary runs
#     its seed corpus once (libFuzzer -runs=0; AFL++'s driver one seed);
#   - fuzz_profile_detect finds its profiles from $OUT alone: with $OUT moved away from the
#     tree it runs; without $OUT/teeabi-profiles it stops at start-up;
#   - the two build.sh are the same file, project.yaml names the engines and sanitizers
#     built here, the Dockerfiles put the tree at $SRC/teeabi and build.sh at $SRC.
# Budget: about 4 minutes (three clang builds of every target on two cores).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. scripts/ship_lib.sh
for tool in clang afl-clang-fast zip unzip; do
	command -v $tool >/dev/null || { echo "FAIL: 85-oss-fuzz needs $tool (scripts/deps.sh fuzz)"; exit 1; }
done
ship_tmp 85-oss-fuzz
t0=$SECONDS
mapfile -t TARGETS < <(for f in fuzz/fuzz_*.c; do t=${f#fuzz/fuzz_}; echo "${t%.c}"; done)

# ------------------------------------------------------------------ the files
cmp -s oss-fuzz/build.sh .clusterfuzzlite/build.sh && ok "oss-fuzz/build.sh and .clusterfuzzlite/build.sh are one file" ||
	fail "oss-fuzz/build.sh and .clusterfuzzlite/build.sh differ"
python3 - <<'PY' || fail "project.yaml"
import yaml
p = yaml.safe_load(open("oss-fuzz/project.yaml"))
assert p["language"] == "c", p["language"]
assert set(p["fuzzing_engines"]) == {"libfuzzer", "afl"}, p["fuzzing_engines"]
assert set(p["sanitizers"]) == {"address", "undefined"}, p["sanitizers"]
assert p.get("base_os_version") == "ubuntu-24-04"
for k in ("homepage", "main_repo", "primary_contact"):
    assert p.get(k), k
assert yaml.safe_load(open(".clusterfuzzlite/project.yaml"))["language"] == "c"
PY
for d in oss-fuzz .clusterfuzzlite; do
	grep -q '^FROM gcr.io/oss-fuzz-base/base-builder:ubuntu-24-04$' "$d/Dockerfile" &&
		grep -q '^WORKDIR \$SRC/teeabi$' "$d/Dockerfile" && grep -qE '^COPY (\.clusterfuzzlite/)?build\.sh \$SRC/$' "$d/Dockerfile" &&
		grep -q 'libssl-dev libjson-c-dev zip' "$d/Dockerfile" || fail "$d/Dockerfile: builder, packages, \$SRC/teeabi or build.sh missing"
done

# ------------------------------------------------------------------ the builds
SRC=$T/src
mkdir -p "$SRC/teeabi"
git ls-files -z --cached --others --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$SRC/teeabi"
cp oss-fuzz/build.sh "$SRC/build.sh"
BASE="-O1 -fno-omit-frame-pointer -gline-tables-only -DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION"
# shellcheck disable=SC2034 # read as ${!sflags_var}
SAN_address="-fsanitize=address -fsanitize-address-use-after-scope"
# shellcheck disable=SC2034
SAN_undefined="-fsanitize=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unsigned-integer-overflow,unreachable,vla-bound,vptr -fno-sanitize-recover=array-bounds,bool,builtin,enum,float-divide-by-zero,function,integer-divide-by-zero,null,object-size,return,returns-nonnull-attribute,shift,signed-integer-overflow,unreachable,vla-bound,vptr"

# build ENGINE SANITIZER: run $SRC/build.sh as the builder does; OUT is printed
build() {
	local engine=$1 san=$2 out=$T/out-$1-$2 cc=clang cxx=clang++ flags lib
	local sflags_var=SAN_$san
	flags="$BASE ${!sflags_var}"
	if [ "$engine" = libfuzzer ]; then flags="$flags -fsanitize=fuzzer-no-link"; lib=-fsanitize=fuzzer
	else cc=afl-clang-fast cxx=afl-clang-fast++ lib=/usr/lib/afl/libAFLDriver.a; fi
	mkdir -p "$out" "$T/work-$engine-$san"
	(cd "$SRC/teeabi" && env -i PATH="$PATH" HOME="$T" SRC="$SRC" OUT="$out" WORK="$T/work-$engine-$san" \
		CC=$cc CXX=$cxx CFLAGS="$flags" CXXFLAGS="$flags" LIB_FUZZING_ENGINE="$lib" \
		SANITIZER=$san FUZZING_ENGINE=$engine ARCHITECTURE=x86_64 FUZZING_LANGUAGE=c AFL_QUIET=1 \
		bash -eu "$SRC/build.sh") >"$T/build-$engine-$san.log" 2>&1 || { fail "$engine/$san: build.sh failed:"; tail -15 "$T/build-$engine-$san.log" >&2; return 1; }
	echo "$out"
}

# judge ENGINE SANITIZER OUT: the outputs of one build, each binary over its seeds
judge() {
	local engine=$1 san=$2 out=$3 t bad=0 nseeds=0 seeds rc
	for t in "${TARGETS[@]}"; do
		[ -x "$out/fuzz_$t" ] || { fail "$engine/$san: no \$OUT/fuzz_$t"; bad=1; continue; }
		[ ! -f "fuzz/$t.dict" ] || [ -f "$out/fuzz_$t.dict" ] || { fail "$engine/$san: fuzz_$t.dict not in \$OUT"; bad=1; }
		[ ! -f "fuzz/$t.options" ] || [ -f "$out/fuzz_$t.options" ] || { fail "$engine/$san: fuzz_$t.options not in \$OUT"; bad=1; }
		[ -s "$out/fuzz_${t}_seed_corpus.zip" ] || { fail "$engine/$san: no fuzz_${t}_seed_corpus.zip"; bad=1; continue; }
		if readelf -dW "$out/fuzz_$t" | grep -qE 'NEEDED.*(libcrypto|libjson-c)'; then fail "$engine/$san: fuzz_$t needs a shared libcrypto/json-c"; bad=1; fi
		seeds=$T/seeds-$engine-$san-$t
		mkdir -p "$seeds" && unzip -q -o "$out/fuzz_${t}_seed_corpus.zip" -d "$seeds"
		nseeds=$((nseeds + $(find "$seeds" -type f | wc -l)))
		if [ "$engine" = libfuzzer ]; then
			(cd / && "$out/fuzz_$t" -runs=0 "$seeds") >"$seeds.log" 2>&1
		else
			(cd / && "$out/fuzz_$t" "$(find "$seeds" -type f | sort | head -1)") >"$seeds.log" 2>&1
		fi
		rc=$?
		[ $rc = 0 ] || { fail "$engine/$san: fuzz_$t over its seeds: exit $rc: $(grep -m2 -E 'ERROR|FAIL|runtime error|no profiles' "$seeds.log")"; bad=1; }
	done
	[ $bad = 0 ] && ok "$engine/$san: ${#TARGETS[@]} targets in \$OUT with dictionaries, options, seed corpora, static libcrypto/json-c; all ran their seeds ($nseeds seeds$([ "$engine" = afl ] && echo ', one per target under the AFL++ driver'))"
}

# ClusterFuzz's run-time options: unsigned wrap-around is reported only when asked
# (silence_unsigned_overflow=1): countdown loops such as `for (i = n; i-- > 0;)` wrap on purpose.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:silence_unsigned_overflow=1
for cfg in "libfuzzer address" "libfuzzer undefined" "afl address"; do
	read -r engine san <<<"$cfg"
	out=$(build "$engine" "$san") || continue
	judge "$engine" "$san" "$out"
	echo "($engine/$san: $((SECONDS - t0)) s so far)"
	if [ "$engine/$san" = libfuzzer/address ]; then
		# fuzz_profile_detect from $OUT alone, away from the tree
		moved=$T/elsewhere/out
		mkdir -p "$T/elsewhere" && cp -a "$out" "$moved"
		s=$T/seeds-libfuzzer-address-profile_detect
		n=$(ls "$moved/teeabi-profiles/"*.conf 2>/dev/null | wc -l)
		if (cd / && env -u TEEABI_PROFILE_DIR "$moved/fuzz_profile_detect" -runs=0 "$s") >"$T/pd.log" 2>&1; then
			ok "fuzz_profile_detect runs from a copy of \$OUT away from the tree: $n profiles in \$OUT/teeabi-profiles"
		else fail "fuzz_profile_detect from a moved \$OUT: $(tail -2 "$T/pd.log")"; fi
		rm -rf "$moved/teeabi-profiles"
		if { (cd / && env -u TEEABI_PROFILE_DIR "$moved/fuzz_profile_detect" -runs=0 "$s") >"$T/pd2.log" 2>&1; } 2>/dev/null; then
			fail "fuzz_profile_detect without \$OUT/teeabi-profiles ran anyway (the generic path alone)"
		elif grep -q 'fuzz_profile_detect: no profiles in' "$T/pd2.log"; then
			ok "without \$OUT/teeabi-profiles fuzz_profile_detect stops at start-up ($(grep -m1 -o 'no profiles in [^:]*' "$T/pd2.log"))"
		else fail "fuzz_profile_detect without profiles failed otherwise: $(tail -2 "$T/pd2.log")"; fi
	fi
done
echo "85-oss-fuzz: $fails failure(s) in $((SECONDS - t0)) s"
[ $fails = 0 ]
