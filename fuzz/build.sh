#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# fuzz/build.sh - builds every fuzz target the way OSS-Fuzz and ClusterFuzzLite expect:
#
#   CC, CFLAGS           compiler and flags for every object (sanitizers, coverage, engine hooks)
#   CXX, CXXFLAGS        link driver and its flags (default: $CC and $CFLAGS)
#   LIB_FUZZING_ENGINE   the engine to link (-fsanitize=fuzzer, libAFLDriver.a, ...)
#   OUT                  where fuzz_<target>, fuzz_<target>.dict, fuzz_<target>.options and
#                        fuzz_<target>_seed_corpus.zip go (and teeabi-profiles/, the profiles
#                        fuzz_profile_detect reads)
#   SRC                  (optional) the checkout; default: this script's parent directory
#   WORK                 (optional) object directory; default: $OUT/.obj
#   TARGETS              (optional) space-separated target names (tdx_quote ...); default all
#   FUZZ_STATIC_DEPS     auto (default) | 1 | 0: link libcrypto and json-c statically, so the
#                        binaries run on a runner image that lacks them (auto: when the .a exist)
#
# For OSS-Fuzz and ClusterFuzzLite (oss-fuzz/, .clusterfuzzlite/), the Dockerfile installs
# libssl-dev libjson-c-dev zip and puts this repository at $SRC/teeabi; their build.sh runs
# this script (scripts/check.d/85-oss-fuzz.sh runs it as they would).
# Locally, scripts/fuzz.sh calls this for libFuzzer (build/fuzz) and AFL++ (build/fuzz-afl,
# build/fuzz-afl-cmplog). Objects are rebuilt only when a source or header is newer.
set -euo pipefail

: "${CC:?CC is not set}" "${OUT:?OUT is not set}"
case "${FUZZ_STATIC_DEPS:-auto}" in auto|0|1) ;; *) echo "build.sh: FUZZ_STATIC_DEPS='$FUZZ_STATIC_DEPS': want auto, 0 or 1" >&2; exit 2 ;; esac
CFLAGS=${CFLAGS:-}
LIB_FUZZING_ENGINE=${LIB_FUZZING_ENGINE:--fsanitize=fuzzer}
SRC=${SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
if [ -d "$SRC/teeabi/fuzz" ] && [ ! -f "$SRC/fuzz/build.sh" ]; then SRC=$SRC/teeabi; fi
CXX=${CXX:-$CC}
CXXFLAGS=${CXXFLAGS:-$CFLAGS}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=${WORK:-$OUT/.obj}
mkdir -p "$WORK"
cd "$SRC"

jobs=$(nproc 2>/dev/null || echo 2)
base_flags=(-std=gnu11 -g -D_GNU_SOURCE -Ilib/include -Imocks/model -Ifuzz "-DTEEABI_VERSION=\"$(cat VERSION)\"")

if [ -n "${TARGETS:-}" ]; then
	read -r -a targets <<<"$TARGETS"
else
	targets=()
	for f in fuzz/fuzz_*.c; do
		[ -e "$f" ] || continue
		t=${f#fuzz/fuzz_}
		targets+=("${t%.c}")
	done
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz/build.sh: no fuzz targets (fuzz/fuzz_*.c)" >&2; exit 1; }
for t in "${targets[@]}"; do
	[ -f "fuzz/fuzz_$t.c" ] || { echo "fuzz/build.sh: unknown target '$t' (no fuzz/fuzz_$t.c)" >&2; exit 2; }
done

extra_sources() { sed -n 's|.*fuzz-extra-sources: *\(.*[^ ]\) *\*/.*|\1|p' "fuzz/fuzz_$1.c"; }

# Every source to compile: the two libraries, each target, and the extra sources.
srcs=(lib/*.c mocks/model/*.c)
for t in "${targets[@]}"; do
	srcs+=("fuzz/fuzz_$t.c")
	for e in $(extra_sources "$t"); do srcs+=("$e"); done
done

# Newest header: an object older than it is rebuilt (headers are few and shared).
newest_hdr=$(ls -t lib/include/teeabi/*.h lib/include/teeabi/*.def mocks/model/*.h mocks/model/*.def fuzz/*.h suites/common/*.h 2>/dev/null | head -1)
flags_file=$WORK/.flags
flags_now="$CC ${base_flags[*]} $CFLAGS afl:${AFL_USE_ASAN:-}${AFL_USE_UBSAN:-}${AFL_LLVM_CMPLOG:-}"
if [ ! -f "$flags_file" ] || [ "$(cat "$flags_file")" != "$flags_now" ]; then
	rm -rf "${WORK:?}"/obj
fi
mkdir -p "$WORK/obj"
printf '%s' "$flags_now" >"$flags_file"

stale=()
for s in $(printf '%s\n' "${srcs[@]}" | sort -u); do
	o=$WORK/obj/${s%.c}.o
	if [ ! -f "$o" ] || [ "$s" -nt "$o" ] || { [ -n "$newest_hdr" ] && [ "$newest_hdr" -nt "$o" ]; }; then
		stale+=("$s")
	fi
done
if [ ${#stale[@]} -gt 0 ]; then
	echo "fuzz/build.sh: compiling ${#stale[@]} sources with $CC ($jobs jobs)" >&2
	export CC CFLAGS WORK
	export BASE_FLAGS="${base_flags[*]}"
	# shellcheck disable=SC2016
	printf '%s\n' "${stale[@]}" | xargs -P "$jobs" -I{} bash -c '
		s={}; o=$WORK/obj/${s%.c}.o; mkdir -p "$(dirname "$o")"
		# shellcheck disable=SC2086
		$CC $BASE_FLAGS $CFLAGS -c "$s" -o "$o.tmp" && mv "$o.tmp" "$o"' ||
		{ echo "fuzz/build.sh: compilation failed" >&2; exit 1; }
fi

rm -f "$WORK/libteeabi_fuzz.a"
ar rcs "$WORK/libteeabi_fuzz.a" "$WORK"/obj/lib/*.o "$WORK"/obj/mocks/model/*.o

# libcrypto and json-c: static when asked or when available (auto), else shared.
static=${FUZZ_STATIC_DEPS:-auto}
deps=(-lcrypto -ljson-c)
if [ "$static" != 0 ]; then
	have_static=1
	for a in libcrypto.a libjson-c.a; do
		p=$($CC -print-file-name=$a 2>/dev/null || true)
		[ -n "$p" ] && [ "$p" != "$a" ] && [ -f "$p" ] || have_static=0
	done
	if [ "$have_static" = 1 ]; then
		deps=(-Wl,-Bstatic -ljson-c -lcrypto -Wl,-Bdynamic -ldl)
	elif [ "$static" = 1 ]; then
		echo "fuzz/build.sh: FUZZ_STATIC_DEPS=1 but libcrypto.a/libjson-c.a are missing (libssl-dev libjson-c-dev)" >&2
		exit 1
	fi
fi

for t in "${targets[@]}"; do
	objs=("$WORK/obj/fuzz/fuzz_$t.o")
	for e in $(extra_sources "$t"); do objs+=("$WORK/obj/${e%.c}.o"); done
	# shellcheck disable=SC2086
	$CXX $CXXFLAGS "${objs[@]}" $LIB_FUZZING_ENGINE "$WORK/libteeabi_fuzz.a" "${deps[@]}" -lpthread \
		-o "$OUT/fuzz_$t.tmp"
	mv "$OUT/fuzz_$t.tmp" "$OUT/fuzz_$t"
	[ -f "fuzz/$t.dict" ] && cp "fuzz/$t.dict" "$OUT/fuzz_$t.dict"
	[ -f "fuzz/$t.options" ] && cp "fuzz/$t.options" "$OUT/fuzz_$t.options"
	# Seed corpus: the seeds and every regression input.
	zip_path=$OUT/fuzz_${t}_seed_corpus.zip
	rm -f "$zip_path"
	stage=$WORK/seed_$t
	rm -rf "$stage" && mkdir -p "$stage"
	for d in "corpus/$t" "corpus/regress/$t"; do
		[ -d "$d" ] || continue
		pre=seed; [ "$d" = "corpus/$t" ] || pre=regress
		find "$d" -maxdepth 1 -type f -print0 | while IFS= read -r -d '' f; do
			cp "$f" "$stage/$pre-$(basename "$f")"
		done
	done
	if [ -n "$(ls -A "$stage")" ]; then
		if command -v zip >/dev/null; then
			(cd "$stage" && zip -q -X -r "$zip_path" .)
		else
			echo "fuzz/build.sh: zip not installed; $zip_path not written" >&2
		fi
	fi
	rm -rf "$stage"
done
# fuzz_profile_detect matches images against the profiles: ship them with the binaries (only
# $OUT travels to the fuzzing machines), found as teeabi-profiles/ beside the binary.
if [[ " ${targets[*]} " == *" profile_detect "* ]]; then
	rm -rf "$OUT/teeabi-profiles" && mkdir -p "$OUT/teeabi-profiles"
	cp mocks/profiles/*.conf "$OUT/teeabi-profiles/"
fi
echo "fuzz/build.sh: ${#targets[@]} targets in $OUT" >&2
