/* SPDX-License-Identifier: GPL-2.0-only */
/* tidy.h - normalise a script into one that follows the kernel API rules.
 *
 * Random scripts break the rules drivers must follow (leaks, sleeping in
 * atomic context, non-LIFO kunmap_atomic, CPU stores into a live DMA buffer,
 * ...), and the rig rightly reports that. A tidy script follows the rules, so
 * whatever the rig finds in it is the kernel model's fault. The rules are
 * listed at the top of tidy.c. */
#ifndef HMR_TIDY_H
#define HMR_TIDY_H
#include <stddef.h>	/* script.h uses size_t */
#include "format/script.h"

/* Rewrite s in place into a script that follows the kernel API rules.
 * Idempotent (tidying a tidy script changes nothing); the result always passes
 * the scenario parser; a script that already follows the rules is unchanged. */
void hmr_script_tidy(struct hmr_script *s);
/* Whether s already follows the rules (tidy would not change it). */
int hmr_script_is_tidy(const struct hmr_script *s);
/* The same without R11: the step budget is a run length for the fuzzers, not
 * a rule a driver follows, so a scenario keeps its own (the minimizer, hmrig
 * tidy). */
void hmr_script_tidy_rules(struct hmr_script *s);
int hmr_script_follows_rules(const struct hmr_script *s);
#endif
