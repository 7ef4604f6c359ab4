/* hmropts.h - HMRIG_OPTIONS (README "Fuzzing"): what a fuzz harness may explore,
 * e.g. "profile=arm-2.6.30:switch=dma_use_page_address:cpus=2". A profile
 * replaces the input's (a list, "profile=A,B,C", keeps the input's if the list
 * has it and else takes one by its index), switches (repeatable) replace its switch set
 * ("switch=none": no switches), config keys replace its values. Applied to every binary input after decoding, by
 * the harnesses and by hmrig, so a crash file replays the same either way. */
#ifndef HMR_HMROPTS_H
#define HMR_HMROPTS_H
#include "format/script.h"

/* Apply opts (NULL or "" does nothing) to s. Returns 0, or -1 with a message. */
int hmr_apply_options(const char *opts, struct hmr_script *s, char *err, int errsz);
#endif
