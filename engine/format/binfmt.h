/* binfmt.h - the binary script format of the fuzzers (README "Fuzzing").
 *
 * Decoding is total: every byte string, the empty one included, is a script the
 * scenario parser would accept, followed by schedule-decision bytes. Encoding is
 * exact: a script the parser accepts, encoded and decoded again, comes back with
 * the same profile, switches, config, tasks and ops, and the same decision bytes.
 * The layout is described at the top of binfmt.c. */
#ifndef HMR_BINFMT_H
#define HMR_BINFMT_H
#include <stddef.h>
#include <stdint.h>
#include "format/script.h"

/* Schedules one fuzz input runs (run.h, derived): the one its decision bytes
 * make, then PCT and random ones seeded from the input. Fuzz targets, replays
 * and campaigns of a binary input all run this many, so a finding on any of
 * them replays from the input alone. */
#define HMR_BIN_SCHEDULES 64

/* Decode any byte string into a valid script (s is fully initialised; file set
 * to "file"); *dec / *ndec receive the schedule-decision bytes (the rest). */
void hmr_bin_decode(const uint8_t *buf, size_t n, const char *file, struct hmr_script *s,
		    const uint8_t **dec, size_t *ndec);
/* Encode a valid script and decision bytes. Returns the length needed (like
 * snprintf); writes at most cap bytes. A script whose task section would
 * pass 65,535 bytes (thousands of ops) does not encode: SIZE_MAX. */
size_t hmr_bin_encode(const struct hmr_script *s, const uint8_t *dec, size_t ndec, uint8_t *out,
		      size_t cap);
/* Give a decoded script the title line and op line numbers of the scenario
 * 'hmrig convert' prints for it, so reports quote the same lines whether an
 * input is replayed as bytes or as that scenario. Returns 0, or -1 if the
 * printed text does not parse back (a rig bug). */
int hmr_bin_normalise(struct hmr_script *s, const char *file);

/* Whether the input's header marks it raw (decoded as it is, not tidied).
 * Reads the header only. Fuzz targets run tidy inputs alone. */
int hmr_bin_raw(const uint8_t *buf, size_t n);
/* The profile the input's header names (before any HMRIG_OPTIONS). Reads the
 * header only. */
int hmr_bin_profile(const uint8_t *buf, size_t n);

/* HMRIG_OPTIONS-style overrides (hmropts.h) that every later decode applies
 * right after the header, before the tasks are read, so the ops are valid for
 * the overridden config. NULL or "": none. The string must stay alive.
 * Returns 0, or -1 with a message in err, the overrides as they were, if opts
 * does not apply (hmr_apply_options) or names a test-only switch
 * (HMR_TEST_SWITCHES) while allow_test is 0: those plant bugs to test the
 * rig's own detectors, so no fuzz input and no campaign runs one unless the
 * rig's tests ask for it (HMR_ALLOW_TEST_ENV). The header never sets one. */
int hmr_bin_set_options(const char *opts, int allow_test, char *err, int errsz);

/* The environment variable ("1") with which HMRIG_OPTIONS and campaigns may
 * name a test-only switch: engine/test/test-fuzz and test-tsan set it to see
 * that a campaign keeps a sanitizer's and a data race's findings. The
 * programs read it; the engine never reads the environment. */
#define HMR_ALLOW_TEST_ENV "HMRIG_ALLOW_TEST_SWITCHES"
#endif
