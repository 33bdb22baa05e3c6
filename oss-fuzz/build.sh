#!/bin/bash -eu
# SPDX-License-Identifier: Apache-2.0
#
# build.sh of the teeabi OSS-Fuzz project (oss-fuzz/, copied to projects/teeabi/ of the
# OSS-Fuzz repository) and of ClusterFuzzLite (.clusterfuzzlite/build.sh is this file, byte
# for byte). The builder image runs it with $SRC/teeabi the checkout and CC, CFLAGS, CXX,
# CXXFLAGS, LIB_FUZZING_ENGINE, SANITIZER, FUZZING_ENGINE, OUT and WORK set; fuzz/build.sh
# builds every fuzz/fuzz_<target>.c into $OUT with its dictionary, options, seed corpus and
# (for fuzz_profile_detect) the profiles. libcrypto and json-c are linked statically, so the
# runner image needs neither. scripts/check.d/85-oss-fuzz.sh runs this under the same
# variables for libFuzzer (ASan, UBSan) and AFL++.
WORK=${WORK:-$OUT/.obj}
export WORK
FUZZ_STATIC_DEPS=1 "$SRC/teeabi/fuzz/build.sh"
