/* diff.h - the differential oracle (issue 7, hmrig diff): one script and one
 * schedule on a model profile (x86-6.1, arm-6.1) and on its real-source twin
 * (src-6.1-x86, src-6.1-arm: Linux's own mm/highmem.c, build/hmrig-ksrc).
 *
 * Each execution runs the model first, switching tasks only at the points
 * both sides share (where an operation begins, around kmap_lock and the hash
 * locks, the sleep for a slot and its wake-up, before each maintained cache
 * line; diff.c says why) or where a
 * task blocks, and the real code then takes the same decisions. After every operation
 * the two must agree on pkmap_count[], the pkmap and fixmap PTEs, the page
 * addresses of the highmem pages and the slot cursor, and at the end on the
 * verdict. The first difference is a model-divergence finding of the real
 * execution, naming the operation after which it showed. */
#ifndef HMR_DIFF_H
#define HMR_DIFF_H
#include "run/run.h"

/* The model and real-source twins of s (either may be given). Returns 0, or
 * -1 with a message in err if s cannot be compared (another profile, bug
 * switches, no real source linked in). */
int hmr_diff_twins(const struct hmr_script *s, struct hmr_script *model, struct hmr_script *real,
		   char *err, size_t errsz);

/* Explore s as o says (schedule, random, pct, exhaustive or fuzz bytes; the
 * strategy drives the model's runs) and compare every execution; stop at the
 * first divergence, whose report is r's. s must pass hmr_diff_twins. */
void hmr_diff(const struct hmr_script *s, const struct hmr_explore_opts *o, struct hmr_result *r);

/* The HMRIG_OPTIONS a fuzz input of n bytes runs under in the differential
 * target and in hmrig campaign --engine=diff: opts if it names any, else one
 * real-source profile per model era, picked by the input's header profile,
 * without bug switches. NULL if no real source is linked in. The string lives
 * until the next call. */
const char *hmr_diff_input_options(const uint8_t *buf, size_t n, const char *opts);
#endif
