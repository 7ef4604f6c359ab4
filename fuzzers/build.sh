#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build script for hmrig's fuzz target.
# Uses the standard variables: $CC, $CFLAGS, $LIB_FUZZING_ENGINE and $OUT
# (and $SRC/hmrig as the checkout when run by OSS-Fuzz; otherwise the checkout
# this script sits in). Produces:
#   $OUT/hmrig_fuzzer                    the libFuzzer-API target (custom mutator included)
#   $OUT/hmrig_fuzzer_seed_corpus.zip    seeds generated from scenarios/
#   $OUT/hmrig_fuzzer.options            libFuzzer options
#   $OUT/hmrig_fuzzer.dict               dictionary
# Try it locally as OSS-Fuzz would (see README.md, "Scale-out").
# The target runs the fixed profiles with no bug switch unless HMRIG_OPTIONS
# says otherwise (a service sets no environment): the catalogue's bugs are
# known, so every crash it files is a new one. A crash replays with
# HMRIG_OPTIONS set to $options below: HMRIG_OPTIONS=... build/hmrig replay
# CRASH (tools/fuzz-silence's fixed set and three more profiles make check
# keeps silent).
set -eu	# also when run as 'bash build.sh', which ignores the #! line's options
here=$(cd "$(dirname "$0")/.." && pwd)
src=${SRC:-}
[ -n "$src" ] && [ -d "$src/hmrig" ] && here="$src/hmrig"
cd "$here"
work=${WORK:-$(mktemp -d)}
mkdir -p "$OUT" "$work/obj"
OUT=$(cd "$OUT" && pwd)

options="profile=arm-2.6.35,arm-6.1,mips-3.1,mips-6.1,x86-6.1,arm-2.6.37,ppc-6.1,xtensa-3.17:switch=none"

# The engine's layers (Makefile LAYERS); of ksrc/ only the no-copy glue.
engine_c=$(ls engine/{format,sim,hw,kernel,oracle,run,explore}/*.c)
engine_c="$engine_c engine/ksrc/glue.c engine/ksrc/none.c"
objs=()
for f in $engine_c fuzzers/harness.c fuzzers/mutator.c fuzzers/mutator_glue.c; do
	o="$work/obj/$(echo "$f" | tr / _).o"
	$CC $CFLAGS -std=c11 -D_GNU_SOURCE -DHMR_LIBFUZZER -DHMR_DEFAULT_OPTIONS="\"$options\"" \
		-fsanitize-coverage-ignorelist=fuzzers/coverage-ignore.txt -iquote engine -iquote fuzzers -c "$f" -o "$o"
	objs+=("$o")
done
case "$(uname -m)" in
x86_64)
	$CC $CFLAGS -c engine/sim/fiber_x86_64.S -o "$work/obj/fiber_x86_64.o"
	objs+=("$work/obj/fiber_x86_64.o")
	;;
esac
$CC $CFLAGS $LIB_FUZZING_ENGINE "${objs[@]}" -o "$OUT/hmrig_fuzzer"

# Seeds: the scenarios that expect no finding (the fixed twins), converted by
# hmrig itself (built plainly, not for fuzzing); the buggy ones would crash at
# once, which a continuous fuzzing service reports as a bug of the target.
cc=${HOST_CC:-cc}
$cc -std=c11 -D_GNU_SOURCE -O1 -pthread -iquote engine $engine_c \
	tools/hmrig.c tools/cli.c tools/campaign.c tools/campaign_page.c tools/campaign_lock.c tools/fuzz_stats.c tools/stress_run.c \
	$( [ "$(uname -m)" = x86_64 ] && echo engine/sim/fiber_x86_64.S ) -o "$work/hmrig"
mkdir -p "$work/seeds"
for s in scenarios/*.scn; do
	grep -qE '^expect:[[:space:]]*none' "$s" || continue
	"$work/hmrig" convert --tidy "$s" -o "$work/seeds/$(basename "$s" .scn)"
done
rm -f "$OUT/hmrig_fuzzer_seed_corpus.zip"
(cd "$work/seeds" && python3 -m zipfile -c "$OUT/hmrig_fuzzer_seed_corpus.zip" ./*)
cp fuzzers/hmrig_fuzzer.options fuzzers/hmrig_fuzzer.dict "$OUT/"
echo "built $OUT/hmrig_fuzzer with ${#objs[@]} objects and $(ls "$work/seeds" | wc -l) seeds"
