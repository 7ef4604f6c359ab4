#!/bin/bash -eu
# ClusterFuzzLite calls this with OSS-Fuzz's variables ($CC, $CFLAGS,
# $LIB_FUZZING_ENGINE, $OUT, $SRC); the project's own script does the work
# and is what make check runs the same way (engine/test/test-fuzz).
bash "$SRC/hmrig/fuzzers/build.sh"
