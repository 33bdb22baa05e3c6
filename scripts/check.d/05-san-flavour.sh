#!/usr/bin/env bash
# check step: the two build flavours live apart (issue 12). After the ASan+UBSan build of
# `make check`, `make SAN=0 all` must build binaries without sanitizers (not find the
# sanitised ones up to date, as a shared build/ did), and leave the sanitised ones as they
# are. Judged with nm: __asan_init in every sanitised binary, in no SAN=0 one.
# Budget: the SAN=0 build, about 40 s of CPU the first time, a second when up to date.
set -uo pipefail
cd "$(dirname "$0")/../.."
fail=0
bad() { echo "FAIL: $*"; fail=1; }
# (grep reads all of nm's output: a grep -q that stops early would SIGPIPE nm under pipefail)
has_asan() { nm "$1" 2>/dev/null | grep __asan_init >/dev/null; }
S1=$(make -s print-builddir) || { echo "FAIL: make print-builddir"; exit 1; }
S0=$(make -s SAN=0 print-builddir) || { echo "FAIL: make SAN=0 print-builddir"; exit 1; }
[ "$S1" != "$S0" ] || bad "SAN=1 and SAN=0 share the build directory $S1"
make -s -j"$(nproc)" all >/dev/null || bad "SAN=1 build"
make -s -j"$(nproc)" SAN=0 all >/dev/null || bad "SAN=0 build"
n0=0 n1=0
for b in "$S0"/bin/* "$S0"/suites/* "$S0"/tests/*; do
  [ -f "$b" ] && [ -x "$b" ] || continue
  n0=$((n0 + 1))
  has_asan "$b" && bad "$b (SAN=0) has ASan"
done
for b in "$S1"/bin/mockenv "$S1"/bin/mockfs "$S1"/bin/teeabi-parse "$S1"/suites/*; do
  [ -f "$b" ] && [ -x "$b" ] || continue
  n1=$((n1 + 1))
  has_asan "$b" || bad "$b (SAN=1) lost ASan"
done
[ $n0 -ge 10 ] || bad "only $n0 SAN=0 binaries in $S0"
[ $n1 -ge 5 ] || bad "only $n1 SAN=1 binaries in $S1"
make -q SAN=0 all >/dev/null 2>&1 || echo "note: make -q SAN=0 all not up to date right after the build (intermediate objects)"
[ $fail = 0 ] && echo "05-san-flavour: $n0 SAN=0 binaries in $S0 without ASan, $n1 checked in $S1 with it"
exit $fail
