# hmrig - one non-recursive Makefile. 'make help' lists the targets.
# 'make Q=' shows the full compiler command lines.
.DEFAULT_GOAL := all
SHELL := /bin/bash

CC      ?= gcc
CLANG   ?= clang-14
ARCH    := $(shell uname -m)
# -Wno-format-truncation is gcc's (snprintf into fixed buffers is checked by
# hand); a clang CC is told to let it pass (the cross compilers are gcc).
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter -Wno-format-truncation \
           $(shell $(CC) --version 2>/dev/null | grep -q clang && echo -Wno-unknown-warning-option)
# -O3 and link-time optimisation: the engine's hot path crosses files (the
# scheduler, the machine, the oracles); 16% more executions per second of
# explore than -O2 (docs/BENCHMARKS.md).
CFLAGS  ?= -O3 -g -flto=auto
BASEFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Werror -iquote engine -pthread
ASANFLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -DHMR_CHECK_SCHED

# engine/ in layers, lowest first (README "Architecture"; tools/layers checks
# that no file includes one from a layer above its own).
LAYERS   := format sim hw kernel oracle ksrc run explore
ENGINE_C := $(sort $(wildcard $(patsubst %,engine/%/*.c,$(filter-out ksrc,$(LAYERS))))) engine/ksrc/glue.c engine/ksrc/none.c
ENGINE_H := $(wildcard $(patsubst %,engine/%/*.h,$(LAYERS)) $(patsubst %,engine/%/*.def,$(LAYERS)))
ENGINE_S := $(if $(filter x86_64,$(ARCH)),engine/sim/fiber_x86_64.S)
TOOL_C   := tools/hmrig.c tools/cli.c tools/campaign.c tools/campaign_page.c tools/campaign_lock.c tools/fuzz_stats.c tools/stress_run.c
TOOL_H   := $(wildcard tools/*.h tools/*.def)

OBJ      := $(patsubst %.c,build/obj/%.o,$(ENGINE_C)) $(patsubst %.S,build/obj/%.o,$(ENGINE_S))
ASAN_OBJ := $(patsubst %.c,build/asan/obj/%.o,$(ENGINE_C)) $(patsubst %.S,build/asan/obj/%.o,$(ENGINE_S))
TESTS_C  := $(sort $(wildcard engine/test/test_*.c))
TESTS    := $(patsubst engine/test/%.c,build/asan/%,$(TESTS_C))

# Debian packages the build and the tests need (README "Quick start").
DEPS := gcc make clang-14 llvm-14 libclang-rt-14-dev afl++ qemu-user \
        gcc-arm-linux-gnueabihf libc6-dev-armhf-cross gcc-mipsel-linux-gnu libc6-dev-mipsel-cross python3 \
        linux-source-6.1 xz-utils binutils chromium

.PHONY: all deps check campaign help clean asan test catalogue-speed fuzz seeds bench soak cross check-qemu tsan ksrc ksrc-files check-ksrc-trees FORCE
all: build/hmrig

Q := @
build/obj/%.o: %.c $(ENGINE_H)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) -c $< -o $@
build/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) -c $< -o $@
build/hmrig: $(OBJ) $(TOOL_C) $(TOOL_H)
	@echo "  LINK    $@"
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) $(TOOL_C) $(OBJ) -o $@

# convert is total over a million random inputs, in one process (issue 16;
# not part of make check: about ten minutes).
build/hmrig-convert-soak: $(OBJ) tools/convert_soak.c
	@echo "  LINK    $@"
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) tools/convert_soak.c $(OBJ) -o $@

# The same engine under ASan+UBSan (gcc's runtimes ship with gcc).
build/asan/obj/%.o: %.c $(ENGINE_H)
	@mkdir -p $(dir $@)
	@echo "  CC ASAN $<"
	$(Q)$(CC) $(BASEFLAGS) $(ASANFLAGS) -c $< -o $@
build/asan/obj/%.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) -c $< -o $@
build/asan/hmrig: $(ASAN_OBJ) $(TOOL_C) $(TOOL_H)
	@echo "  LINK    $@"
	$(Q)$(CC) $(BASEFLAGS) $(ASANFLAGS) $(TOOL_C) $(ASAN_OBJ) -o $@
build/asan/test_mutator: fuzzers/mutator.c fuzzers/mutator.h
build/asan/test_%: engine/test/test_%.c $(ASAN_OBJ) engine/test/t.h
	@echo "  LINK    $@"
	$(Q)$(CC) $(BASEFLAGS) $(ASANFLAGS) $< $(ASAN_OBJ) -o $@
asan: build/asan/hmrig $(TESTS)

# A campaign page for fixed data (engine/test/test-page hands it to
# engine/test/page-check): the page's writer and the site table it names
# the pairs from, under ASan+UBSan as the unit tests are.
build/page-demo: engine/test/page_demo.c tools/campaign_page.c tools/campaign_page.h engine/format/site.c $(ENGINE_H)
	@mkdir -p build
	@echo "  LINK    $@"
	$(Q)$(CC) $(BASEFLAGS) $(ASANFLAGS) engine/test/page_demo.c tools/campaign_page.c engine/format/site.c -o $@

# The fuzz targets (README "Fuzzing"): libFuzzer with ASan+UBSan and interleaving
# coverage, the same with code coverage only (for the benchmarks), and AFL++ in
# persistent mode with its custom mutator library.
FUZZ_SRC := $(ENGINE_C) $(ENGINE_S) fuzzers/harness.c
# What the targets leave without code coverage: the resets, whose edges are
# the previous input's (fuzzers/coverage-ignore.txt).
COV_IGNORE := fuzzers/coverage-ignore.txt
FUZZ_DEPS := $(FUZZ_SRC) $(ENGINE_H) $(wildcard fuzzers/*.h fuzzers/*.c) $(COV_IGNORE)
MUT_SRC := fuzzers/mutator.c fuzzers/mutator_glue.c
LF_FLAGS := -std=c11 -D_GNU_SOURCE -iquote engine -iquote fuzzers -g -O1 -DHMR_LIBFUZZER
LF_COV := -fsanitize-coverage-ignorelist=$(COV_IGNORE)
build/hmrig-libfuzzer: $(FUZZ_DEPS)
	@mkdir -p build
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) $(LF_FLAGS) $(LF_COV) -fsanitize=fuzzer,address,undefined $(FUZZ_SRC) $(MUT_SRC) -o $@
build/hmrig-libfuzzer-nocov: $(FUZZ_DEPS)
	@mkdir -p build
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) $(LF_FLAGS) $(LF_COV) -DHMR_NO_ILCOV -fsanitize=fuzzer,address,undefined $(FUZZ_SRC) $(MUT_SRC) -o $@
build/obj/afl_map.o: fuzzers/afl_map.c
	@mkdir -p build/obj
	$(Q)$(CLANG) -O2 -c $< -o $@
build/hmrig-afl: $(FUZZ_DEPS) build/obj/afl_map.o
	@mkdir -p build
	@echo "  AFL     $@"
	$(Q)AFL_QUIET=1 AFL_LLVM_DENYLIST=$(COV_IGNORE) afl-clang-fast -std=c11 -D_GNU_SOURCE -iquote engine -g -O2 -DHMR_AFL $(FUZZ_SRC) build/obj/afl_map.o -o $@
# The campaign's libFuzzer target, built for speed (docs/BENCHMARKS.md): -O3
# with ThinLTO, no sanitizers and no comparison hooks (without them 6,206 executions/s
# against 2,842 with: the custom mutator, not libFuzzer's comparison table,
# writes the ops); the campaign confirms each crash on build/asan/hmrig.
# Code coverage only in the modelled kernel, machine and oracles: the
# scheduler's, decoder's and mutator's edges say nothing the interleaving
# coverage does not, and cost a third of an execution.
FAST_OBJ := $(patsubst %.c,build/fast/obj/%.o,$(ENGINE_C) fuzzers/harness.c $(MUT_SRC))
FAST_COV := engine/kernel engine/hw engine/oracle engine/ksrc
build/fast/obj/%.o: %.c $(ENGINE_H) $(wildcard fuzzers/*.h) $(COV_IGNORE)
	@mkdir -p $(dir $@)
	$(Q)$(CLANG) $(LF_FLAGS:-O1=-O3) -flto=thin $(if $(filter $(FAST_COV),$(patsubst %/,%,$(dir $<))),-fsanitize=fuzzer-no-link -fno-sanitize-coverage=trace-cmp $(LF_COV)) -c $< -o $@
build/hmrig-libfuzzer-fast: $(FAST_OBJ) $(ENGINE_S)
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) -fsanitize=fuzzer -flto=thin $^ -o $@
# The AFL++ custom mutator runs inside afl-fuzz: it needs the binary format,
# not the engine.
MUT_LIB_SRC := $(MUT_SRC) $(wildcard engine/format/*.c)
build/libhmrig-mutator.so: $(FUZZ_DEPS)
	@mkdir -p build
	@echo "  CC      $@"
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE -iquote engine -iquote fuzzers -O2 -shared -fPIC -Wl,--no-undefined -DHMR_AFL $(MUT_LIB_SRC) -o $@
fuzz: build/hmrig-libfuzzer build/hmrig-libfuzzer-fast build/hmrig-libfuzzer-nocov build/hmrig-afl build/libhmrig-mutator.so

# Seed corpora, generated from the scenarios (README "Fuzzing"): the script and the
# decision bytes of its execution, tidied as fuzz inputs are.
seeds: build/hmrig
	@mkdir -p corpus/seeds
	@for f in scenarios/*.scn; do build/hmrig convert --tidy $$f -o corpus/seeds/$$(basename $$f .scn).bin || exit 1; done
	@echo "seeds: $$(ls corpus/seeds | wc -l) inputs in corpus/seeds"

# The TSan build: only the kernel model is instrumented (the rig's bookkeeping
# is touched by every fiber); fibers switch without synchronisation and the
# model's locks, wake-ups and per-CPU order are annotated (engine/sim/tsan.h).
TSAN_BASE := -std=c11 -D_GNU_SOURCE $(filter-out -Wno-format-truncation,$(WARN)) -Werror -iquote engine -g -O1 -DHMR_TSAN
KERNEL_C := $(sort $(wildcard engine/kernel/*.c))
ENGINE_RIG_C := $(filter-out $(KERNEL_C),$(ENGINE_C))
RIG_C := $(ENGINE_RIG_C) $(TOOL_C)
TSAN_OBJ := $(patsubst %.c,build/tsan/kernel/%.o,$(notdir $(KERNEL_C))) $(patsubst %.c,build/tsan/rig/%.o,$(notdir $(RIG_C)))
build/tsan/hmrig: $(ENGINE_C) $(ENGINE_S) $(TOOL_C) $(ENGINE_H) $(TOOL_H)
	@mkdir -p build/tsan/kernel build/tsan/rig
	@echo "  TSAN    $@"
	$(Q)for f in $(KERNEL_C); do \
		$(CLANG) $(TSAN_BASE) -fsanitize=thread -c $$f -o build/tsan/kernel/$$(basename $$f .c).o || exit 1; done
	$(Q)for f in $(RIG_C); do \
		$(CLANG) $(TSAN_BASE) -c $$f -o build/tsan/rig/$$(basename $$f .c).o || exit 1; done
	$(Q)$(CLANG) -fsanitize=thread $(ENGINE_S) $(TSAN_OBJ) -o $@
tsan: build/tsan/hmrig build/hmrig-libfuzzer-tsan

# The libFuzzer target with TSan (README "Architecture", two race detectors): two stages for the kernel
# model, so that libFuzzer's coverage counters, added after TSan, are never
# TSan-instrumented (they would race between fibers); the rest plain sancov.
TSAN_LF := $(TSAN_BASE) -DHMR_LIBFUZZER -iquote fuzzers
SANCOV := -fsanitize-coverage=inline-8bit-counters,indirect-calls,trace-cmp,pc-table
LF_RIG_C := $(ENGINE_RIG_C) fuzzers/harness.c $(MUT_SRC)
build/hmrig-libfuzzer-tsan: $(FUZZ_DEPS)
	@mkdir -p build/tsan/lf
	@echo "  FUZZ    $@"
	$(Q)for f in $(KERNEL_C); do b=build/tsan/lf/$$(basename $$f .c); \
		$(CLANG) $(TSAN_LF) -fsanitize=thread -S -emit-llvm $$f -o $$b.ll && \
		$(CLANG) -g -O1 $(SANCOV) -c $$b.ll -o $$b.o || exit 1; done
	$(Q)for f in $(LF_RIG_C); do \
		$(CLANG) $(TSAN_LF) -fsanitize=fuzzer-no-link -c $$f -o build/tsan/lf/rig_$$(basename $$f .c).o || exit 1; done
	$(Q)$(CLANG) -fsanitize=fuzzer,thread $(ENGINE_S) $(patsubst %.c,build/tsan/lf/%.o,$(notdir $(KERNEL_C))) \
		$(patsubst %.c,build/tsan/lf/rig_%.o,$(notdir $(LF_RIG_C))) -o $@

# 32-bit ARM and MIPS builds (ucontext fibers), static, run under QEMU user mode.
CROSS_FLAGS := -std=c11 -D_GNU_SOURCE $(WARN) -Werror -iquote engine -O2 -pthread -static
build/arm/hmrig: $(ENGINE_C) $(TOOL_C) $(ENGINE_H) $(TOOL_H)
	@mkdir -p $(dir $@)
	@echo "  ARM     $@"
	$(Q)arm-linux-gnueabihf-gcc $(CROSS_FLAGS) $(ENGINE_C) $(TOOL_C) -o $@
build/mips/hmrig: $(ENGINE_C) $(TOOL_C) $(ENGINE_H) $(TOOL_H)
	@mkdir -p $(dir $@)
	@echo "  MIPS    $@"
	$(Q)mipsel-linux-gnu-gcc $(CROSS_FLAGS) $(ENGINE_C) $(TOOL_C) -o $@ -latomic
cross: build/arm/hmrig build/mips/hmrig
check-qemu: cross build/hmrig
	@engine/test/test-qemu

# Linux's own highmem code (README "The real kernel"): the files of
# KSRC_FILES that the tree has - from Debian's linux-source-6.1, or from the
# tree KSRC= names - copied into build/ksrc/src, never committed, and compiled
# unmodified against engine/ksrc/kshim.h by tools/ksrc-build: one copy per
# architecture and LAST_PKMAP, each exporting one table and its slot cursor,
# linked into build/hmrig-ksrc (and, with coverage, the differential target).
KSRC_TAR   := /usr/src/linux-source-6.1.tar.xz
KSRC_DMA_FILES := arch/mips/mm/dma-noncoherent.c arch/powerpc/mm/dma-noncoherent.c arch/arm/mm/dma-mapping.c \
	arch/arm/mm/flush.c kernel/dma/direct.h
KSRC_FILES := Makefile mm/highmem.c include/linux/highmem.h include/linux/highmem-internal.h \
	arch/x86/mm/highmem_32.c arch/arm/mm/highmem.c arch/mips/mm/highmem.c arch/powerpc/mm/highmem.c \
	$(KSRC_DMA_FILES) arch/mips/mm/dma-default.c arch/arm/include/asm/dma-mapping.h arch/powerpc/kernel/dma.c
KSRC_TAR_FILES := Makefile mm/highmem.c include/linux/highmem.h include/linux/highmem-internal.h $(KSRC_DMA_FILES)
ksrc-files:	# what make ksrc reads of a tree (tools/ksrc-debian-trees asks)
	@echo $(KSRC_FILES)
KSRC_ORIGIN := $(if $(KSRC),$(abspath $(KSRC)),$(KSRC_TAR))
build/ksrc/origin: FORCE	# rewritten only when KSRC or the file list changes, so the copy follows
	@mkdir -p build/ksrc
	@echo '$(KSRC_ORIGIN): $(KSRC_FILES)' | cmp -s - $@ || echo '$(KSRC_ORIGIN): $(KSRC_FILES)' >$@
FORCE:
build/ksrc/src/mm/highmem.c: build/ksrc/origin $(if $(KSRC),$(wildcard $(addprefix $(KSRC)/,$(KSRC_FILES))))
	@rm -rf build/ksrc/src && mkdir -p build/ksrc/src
	$(Q)if [ -n "$(KSRC)" ]; then \
		for f in $(KSRC_FILES); do [ -f "$(KSRC)/$$f" ] || continue; \
			mkdir -p build/ksrc/src/$$(dirname $$f) && cp "$(KSRC)/$$f" build/ksrc/src/$$f || exit 1; done; \
		[ -f build/ksrc/src/mm/highmem.c ] || { echo "make ksrc: $(KSRC) has no mm/highmem.c" >&2; exit 1; }; \
	else \
		xz -dc -T0 $(KSRC_TAR) | tar -x -m -C build/ksrc/src --strip-components=1 --occurrence=1 \
			$(addprefix linux-source-6.1/,$(KSRC_TAR_FILES)) || exit 1; \
	fi
build/ksrc/table.c: build/ksrc/src/mm/highmem.c tools/ksrc-build engine/ksrc/wrap.c engine/ksrc/restore.c \
		$(wildcard engine/ksrc/*.h engine/ksrc/include/*/*.h engine/ksrc/fallback/*/*.h)
	$(Q)KSRC_ORIGIN='$(KSRC_ORIGIN)' tools/ksrc-build build/ksrc/src build/ksrc $(CLANG) obj
build/ksrc/objcov.stamp: build/ksrc/table.c
	$(Q)tools/ksrc-build build/ksrc/src build/ksrc $(CLANG) objcov && touch $@
build/hmrig-ksrc: $(OBJ) $(TOOL_C) $(TOOL_H) build/ksrc/table.c
	@echo "  LINK    $@"
	$(Q)$(CC) $(BASEFLAGS) $(CFLAGS) $(TOOL_C) $(filter-out %/ksrc/none.o,$(OBJ)) build/ksrc/obj/*.o build/ksrc/table.c -o $@
# The differential fuzz target (hmrig diff on every input): the libFuzzer
# target's flags, with the instrumented copies linked in.
build/hmrig-diff-libfuzzer: $(FUZZ_DEPS) build/ksrc/table.c build/ksrc/objcov.stamp
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) $(LF_FLAGS) $(LF_COV) -DHMR_DIFF -fsanitize=fuzzer,address,undefined $(FUZZ_SRC) $(MUT_SRC) build/ksrc/objcov/*.o \
		build/ksrc/table.c -o $@
# The plain fuzz target with the same copies: campaigns on a real-source
# profile (hmrig-ksrc campaign --profile=src-ARCH).
build/hmrig-ksrc-libfuzzer: $(FUZZ_DEPS) build/ksrc/table.c build/ksrc/objcov.stamp
	@echo "  FUZZ    $@"
	$(Q)$(CLANG) $(LF_FLAGS) $(LF_COV) -fsanitize=fuzzer,address,undefined $(FUZZ_SRC) $(MUT_SRC) build/ksrc/objcov/*.o \
		build/ksrc/table.c -o $@
ksrc: build/hmrig-ksrc build/hmrig-diff-libfuzzer build/hmrig-ksrc-libfuzzer
# test-ksrc over Debian's 5.10 and 6.12 trees as well (downloads about 240 MB).
check-ksrc-trees: deps
	@$(MAKE) --no-print-directory -j2 build/hmrig ksrc
	@tools/ksrc-debian-trees build/trees
	@KSRC_TREES=build/trees engine/test/test-ksrc

# Install what is missing from Debian's archive; idempotent and quiet when done.
deps:
	@missing=""; for p in $(DEPS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing$$missing"; \
	  apt-get -o DPkg::Lock::Timeout=900 update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends $$missing; \
	fi

test: build/hmrig build/page-demo asan
	@engine/test/run-all

check: deps
	@$(MAKE) --no-print-directory -j2 build/hmrig build/hmrig-convert-soak build/page-demo asan fuzz cross tsan ksrc
	@engine/test/run-all

# The build's own lines go to a log (a clean clone compiles some 150 files),
# so what the campaign prints fits on a screen.
campaign: deps
	@mkdir -p build && echo "make campaign: building (build/campaign-build.log)"
	@$(MAKE) --no-print-directory -j2 build/hmrig build/hmrig-libfuzzer-fast build/asan/hmrig build/tsan/hmrig seeds \
		>build/campaign-build.log 2>&1 || { tail -n 20 build/campaign-build.log; exit 2; }
	@build/hmrig campaign --engine=libfuzzer --jobs=2 --time=120 --out=build/campaign

# The benchmarks (throughput, time to first detection): docs/BENCHMARKS.md.
bench: deps
	@$(MAKE) --no-print-directory -j2 build/hmrig fuzz ksrc
	@$(MAKE) --no-print-directory seeds
	tools/bench

# The long runs issue 16 asks for, outside make check: convert then replay
# of a million random inputs (about ten minutes), and a million fuzz inputs
# on each fixed profile with no bug switch (about half an hour each).
soak: deps
	@$(MAKE) --no-print-directory -j2 build/hmrig-convert-soak build/hmrig-libfuzzer-fast
	@$(MAKE) --no-print-directory seeds
	build/hmrig-convert-soak 1000000
	tools/fuzz-silence build/hmrig-libfuzzer-fast 1000000 fixed

# Measure how fast the strategies find each catalogue bug; rewrites the table
# in scenarios/README.md.
catalogue-speed: build/hmrig
	tools/catalogue-speed --update scenarios/README.md

help:
	@echo "make            build build/hmrig"
	@echo "make check      install deps, build, run the whole test suite (ends 'N passed, M failed')"
	@echo "make campaign   install deps, build, run a 2-minute libFuzzer campaign and print the findings"
	@echo "make deps       install the Debian packages the rig needs (idempotent)"
	@echo "make asan       the ASan+UBSan build and the unit tests"
	@echo "make catalogue-speed  measure detection speed per bug, update scenarios/README.md"
	@echo "make fuzz       build/hmrig-libfuzzer(-nocov), build/hmrig-afl, build/libhmrig-mutator.so"
	@echo "make seeds      corpus/seeds from scenarios/"
	@echo "make bench      throughput and time-to-bug benchmarks -> docs/BENCHMARKS.md"
	@echo "make soak       a million random inputs through convert+replay, a million fuzz inputs per fixed profile"
	@echo "make cross      build/arm/hmrig and build/mips/hmrig (32-bit, static)"
	@echo "make check-qemu the scenario suite under qemu-arm and qemu-mipsel, against x86-64"
	@echo "make tsan       build/tsan/hmrig: ThreadSanitizer over the fibers as the race detector"
	@echo "make ksrc       build/hmrig-ksrc: Linux's own highmem code in the rig (Debian's 6.1, or KSRC=tree, 2.6.29 on)"
	@echo "make check-ksrc-trees  the real-kernel suite over Debian's 5.10 and 6.12 trees too (downloads them)"
	@echo "make clean      remove build/"

clean:
	rm -rf build
