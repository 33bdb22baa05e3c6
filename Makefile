# teeabi: kernel-ABI conformance and fuzz suite for confidential-VM attestation interfaces.
#
#   make            build the library, tools, mocks, unit tests and suites (ASan+UBSan on)
#   make check      the project's own tests (scripts/check.sh)
#   make matrix     every suite x every profile inside mockenv (no faults)
#   make fuzz       fuzz campaign (FUZZ_SECONDS, ENGINE=libfuzzer|afl, TARGETS=...)
#   make fuzz-planted  do the fuzzers find bugs planted in the parsers (PLANT_SECONDS)
#   make coverage   lcov HTML of lib/ and mocks/ from tests + corpus replay
#   make bench      benchmarks (built without sanitizers, -O2)
#   make dist       build/dist/teeabi-<version>-x86_64.tar.gz: static, stripped, for guests
#   make install    PREFIX=/usr/local DESTDIR=: the same files, links and man pages
#   make container  the FROM-scratch image of deploy/Containerfile (podman)
#   make kernel-lane  the suites against Debian kernels' own drivers in QEMU (kernel-lane/)
#   make clean
#
# SAN=0 builds without sanitizers (what you would copy onto a real guest), in build/san0/.

SHELL := /bin/bash
CC ?= gcc
ifeq ($(CC),cc)
CC := gcc
endif
SAN ?= 1
# One build directory per flavour, so that a SAN=0 build (what goes onto a real guest) never
# takes the sanitised objects for up to date: build/ (ASan+UBSan), build/san0/ (none).
ifeq ($(SAN),1)
B ?= build
else
B ?= build/san0
endif
OPT ?= -O1

WARN    := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wformat=2 -Werror=implicit-function-declaration -Werror=incompatible-pointer-types
INC     := -Ilib/include -Imocks/model
FUSE_CFLAGS = $(shell pkg-config --cflags fuse3 2>/dev/null || echo -I/usr/include/fuse3)
FUSE_LIBS   = $(shell pkg-config --libs fuse3 2>/dev/null || echo -lfuse3 -lpthread)
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
ifeq ($(SAN),1)
XFLAGS := $(SANFLAGS)
else
XFLAGS :=
endif
CFLAGS  ?=
CFLAGS  += -std=gnu11 -g $(OPT) $(WARN) $(INC) -D_GNU_SOURCE $(XFLAGS) $(EXTRA_CFLAGS)
LDFLAGS += $(XFLAGS) $(EXTRA_LDFLAGS)
LIBS    := -lcrypto -ljson-c -lpthread
# teeabi-parse runs as one short process per call: with libcrypto and json-c linked in
# statically it skips the dynamic loader's symbol lookups and relocations of libcrypto
# (0.8 ms of a 1.4 ms run on an input that needs no crypto, measured by bench/process.sh),
# and OpenSSL does nothing until the first signature or hash check asks for it. The shipped
# bundle (make dist) is static as a whole already.
STATIC_LIBS := -l:libcrypto.a -l:libjson-c.a -lpthread -ldl

# The one version (VERSION file): lib/version.c alone is compiled with it.
VERSION := $(shell cat VERSION)

LIB_SRC    := $(sort $(wildcard lib/*.c))
MODEL_SRC  := $(sort $(wildcard mocks/model/*.c))
TOOL_SRC   := $(sort $(wildcard tools/*.c))
UNIT_SRC   := $(sort $(wildcard suites/unit/test_*.c))
UNIT_HELP  := $(filter-out $(UNIT_SRC),$(sort $(wildcard suites/unit/*.c)))
SUITE_DIRS := $(sort $(filter-out suites/unit suites/common,$(patsubst %/,%,$(dir $(wildcard suites/*/*.c)))))
SUITE_COMMON := $(sort $(wildcard suites/common/*.c))
MOCKFS_SRC := $(sort $(wildcard mocks/mockfs/*.c) $(wildcard mocks/agent/*.c))
MOCKENV_SRC := $(sort $(wildcard mocks/mockenv/*.c))
FUZZ_SRC   := $(sort $(wildcard fuzz/fuzz_*.c))

LIB_OBJ    := $(LIB_SRC:%.c=$(B)/obj/%.o)
MODEL_OBJ  := $(MODEL_SRC:%.c=$(B)/obj/%.o)
UNIT_HELP_OBJ := $(UNIT_HELP:%.c=$(B)/obj/%.o)
SUITE_COMMON_OBJ := $(SUITE_COMMON:%.c=$(B)/obj/%.o)

LIBTEEABI  := $(B)/lib/libteeabi.a
LIBMODEL   := $(B)/lib/libteeabi_model.a
TOOLS      := $(patsubst tools/%.c,$(B)/bin/%,$(TOOL_SRC))
UNIT_BINS  := $(patsubst suites/unit/%.c,$(B)/tests/%,$(UNIT_SRC))
SUITE_BINS := $(patsubst suites/%,$(B)/suites/%,$(SUITE_DIRS))
MOCK_BINS  := $(if $(MOCKFS_SRC),$(B)/bin/mockfs) $(if $(MOCKENV_SRC),$(B)/bin/mockenv)
FUZZ_REPLAY := $(patsubst fuzz/%.c,$(B)/fuzz-replay/%,$(FUZZ_SRC))

# Objects stay after a link (a second tree such as B=build/klane is not rebuilt from scratch).
.SECONDARY:

.PHONY: all deps check matrix fuzz fuzz-planted coverage bench clean unit dist install container
all: $(LIBTEEABI) $(LIBMODEL) $(TOOLS) $(B)/libexec/exec-blocked $(MOCK_BINS) $(UNIT_BINS) $(SUITE_BINS) $(FUZZ_REPLAY)

deps:
	@scripts/deps.sh all

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(if $(findstring mocks/mockfs,$<),$(FUSE_CFLAGS)) -MMD -MP -c $< -o $@

$(B)/obj/lib/version.o: CFLAGS += -DTEEABI_VERSION='"$(VERSION)"'
$(B)/obj/lib/version.o: VERSION

$(LIBTEEABI): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIBMODEL): $(MODEL_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(B)/bin/%: $(B)/obj/tools/%.o $(LIBMODEL) $(LIBTEEABI)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBMODEL) $(LIBTEEABI) $(LIBS)
$(B)/bin/teeabi-parse: LIBS = $(STATIC_LIBS)

# teeabi-run: the orchestrator, tools/teeabi-run.c plus its pieces in tools/run/
RUN_SRC := $(sort $(wildcard tools/run/*.c))
$(B)/bin/teeabi-run: $(B)/obj/tools/teeabi-run.o $(RUN_SRC:%.c=$(B)/obj/%.o) $(LIBTEEABI)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBTEEABI) $(LIBS)

# run_all.sh execs teeabi-run through it (signals blocked across execve): static, no sanitizers
$(B)/libexec/exec-blocked: tools/exec-blocked.c tools/run/termsigs.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -Wall -Wextra -static -o $@ $<

$(B)/bin/mockfs: $(MOCKFS_SRC:%.c=$(B)/obj/%.o) $(LIBMODEL) $(LIBTEEABI)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBMODEL) $(LIBTEEABI) $(FUSE_LIBS) -lmicrohttpd $(LIBS)

$(B)/bin/mockenv: $(MOCKENV_SRC:%.c=$(B)/obj/%.o) $(LIBTEEABI)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBTEEABI) $(LIBS)

# Attestation clients of the mockenv end-to-end check (scripts/check.d/30-mockenv.sh): one
# libc-only source, linked statically and dynamically, without sanitizers.
CLIENT_DEPS := mocks/clients/client.c mocks/clients/hexarg.h lib/include/teeabi/abi.h
$(B)/bin/client_static: $(CLIENT_DEPS)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Ilib/include -D_GNU_SOURCE -static -o $@ $<
$(B)/bin/client_dyn: $(CLIENT_DEPS)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -Ilib/include -D_GNU_SOURCE -o $@ $<
$(B)/bin/snp_verify: $(B)/obj/mocks/clients/snp_verify.o $(LIBTEEABI)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBTEEABI) $(LIBS)
# Driver of an unmodified third-party library (Intel DCAP libtdx_attest, loaded with dlopen)
# for scripts/check.d/36-intel-dcap.sh; no sanitizers, like any application of that library.
$(B)/bin/dcap_client: mocks/clients/dcap_client.c mocks/clients/hexarg.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra -D_GNU_SOURCE -o $@ $< -ldl
# The kernel lane's firmware daemon (kernel-lane/fwd): the device model behind the hardware
# shims of the kernel's own drivers, run inside the lane's guest (built with SAN=0).
$(B)/bin/teeabi-fwd: $(B)/obj/kernel-lane/fwd/fwd.o $(LIBMODEL) $(LIBTEEABI)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBMODEL) $(LIBTEEABI) $(LIBS)
.PHONY: clients
clients: $(B)/bin/client_static $(B)/bin/client_dyn $(B)/bin/snp_verify $(B)/bin/dcap_client

$(B)/tests/%: $(B)/obj/suites/unit/%.o $(UNIT_HELP_OBJ) $(LIBMODEL) $(LIBTEEABI)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBMODEL) $(LIBTEEABI) -lcmocka $(LIBS)

# Unit tests of suite code name its objects here (test_judge brings its own tst.h results;
# the rest of tst.h that util.c names comes from the judge stubs).
$(B)/tests/test_judge: $(B)/obj/suites/common/util.o $(B)/obj/suites/common/inonly.o $(B)/obj/suites/common/snp_pin.o $(B)/obj/suites/common/stubs/judge_stubs.o
$(B)/tests/test_node: $(B)/obj/suites/common/node.o

# The mock agent's unit test runs the agent in-process (libmicrohttpd) and asks it with libcurl.
$(B)/tests/test_model_agent: $(B)/obj/mocks/agent/agent.o
$(B)/tests/test_model_agent: LIBS += -lmicrohttpd -lcurl

# The TAP judge of teeabi-run and what it calls (tools/run/), without the report writers.
$(B)/tests/test_run_tap: $(B)/obj/tools/run/tap.o $(B)/obj/tools/run/fsio.o $(B)/obj/tools/run/proc.o

# One binary per suite folder: suites/<area>/*.c + suites/common/*.c
.SECONDEXPANSION:
$(B)/suites/%: $$(addprefix $(B)/obj/,$$(subst .c,.o,$$(wildcard suites/$$*/*.c))) $(SUITE_COMMON_OBJ) $(LIBTEEABI)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBTEEABI) $(LIBS)

# The dstack_agent suite speaks HTTP over the agent's Unix socket with libcurl.
$(B)/suites/dstack_agent: LIBS += -lcurl

# Fuzz targets with the standalone replay driver (gcc, same sanitizers as the tests): what
# `make check` runs over corpus/<target>/ and corpus/regress/<target>/. A target that needs
# more than the two libraries names the sources in a line of its own:
#   /* fuzz-extra-sources: suites/common/util.c */
# (fuzz/build.sh reads the same line for the libFuzzer and AFL++ builds.)
fuzz_extra = $(shell sed -n 's|.*fuzz-extra-sources: *\(.*[^ ]\) *\*/.*|\1|p' fuzz/$(1).c)
$(B)/fuzz-replay/%: $(B)/obj/fuzz/%.o $(B)/obj/fuzz/replay_main.o $$(addprefix $(B)/obj/,$$(subst .c,.o,$$(call fuzz_extra,$$*))) $(LIBMODEL) $(LIBTEEABI)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBMODEL) $(LIBTEEABI) $(LIBS)

.PHONY: fuzz-replay
fuzz-replay: $(FUZZ_REPLAY)

unit: $(UNIT_BINS)
	@rc=0; for t in $(UNIT_BINS); do $$t || rc=1; done; exit $$rc

check: deps
	@scripts/check.sh

# The suites against the kernel's own drivers in QEMU (kernel-lane/DESIGN.md):
# reports/kernel-lane/summary.json and index.html. KL_SERIES / KL_PLATFORMS choose.
.PHONY: kernel-lane
kernel-lane:
	@scripts/deps.sh core
	@scripts/deps.sh kernel-lane
	@kernel-lane/lane.sh

matrix: all
	@./run_all.sh --target mock --no-faults

fuzz:
	@scripts/deps.sh fuzz
	@scripts/fuzz.sh

# Do the fuzzers find bugs planted in the parsers? (PLANT_SECONDS per plant, one core)
fuzz-planted:
	@scripts/deps.sh all
	@python3 scripts/planted.py

coverage:
	@scripts/deps.sh all
	@scripts/coverage.sh

bench:
	@scripts/deps.sh all
	@scripts/bench.sh

# The self-contained bundle (scripts/dist.sh): static, -O2, no sanitisers, stripped, with a
# -debug tarball; built in build/dist-obj, apart from the sanitised tree.
dist:
	@scripts/deps.sh core
	@scripts/dist.sh

# make install [PREFIX=/usr/local] [DESTDIR=]: the bundle's files (static, not sanitised) in
# PREFIX/lib/teeabi, links in PREFIX/bin, man pages in PREFIX/share/man/man1.
PREFIX ?= /usr/local
install:
	@scripts/deps.sh core
	@PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" scripts/install.sh

# The image of deploy/Containerfile (FROM scratch) from the bundle, with podman (+ runc).
container: dist
	@scripts/deps.sh ship
	@scripts/container.sh

clean:
	rm -rf $(B)

# The build directory of this flavour (scripts: `make -s SAN=0 print-builddir`).
.PHONY: print-builddir
print-builddir:
	@echo $(B)

-include $(shell find $(B)/obj -name '*.d' 2>/dev/null)
