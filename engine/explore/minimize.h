/* minimize.h - shrink a failing scenario to a short one with the same report
 * title (README "Quick start"). */
#ifndef HMR_MINIMIZE_H
#define HMR_MINIMIZE_H
#include <stdio.h>
#include "format/script.h"

struct hmr_min_stats {
	int ops0, ops1;		/* operations before and after */
	int pre0, pre1;		/* preemptions ("until" lines) before and after */
	long tests;		/* candidate scripts tried */
	int tidy;		/* input and result follow the API rules (format/tidy.h) */
	int silent;		/* fixed (its twin, or without its switches), the result
				 * gives nothing: 1; the input already gave something: 0;
				 * no twin and no switches: -1 */
	char title[160];	/* the title kept */
};

/* Operations and preemptions of a script (for tables). */
int hmr_script_ops(const struct hmr_script *s);
int hmr_script_preemptions(const struct hmr_script *s);

/* Shrink s, which must give a finding: by its schedule: block if it has one,
 * else by the exploration its explore: line asks for. Writes a script with the
 * same title, expect: its kind and a schedule: block that gives it; one that
 * follows the kernel API rules if s does, and that gives nothing on the fixed
 * kernel if s gives nothing there: fixed's profile and switches (its fixed
 * twin), or, when fixed is NULL, s's profile without its switches. Progress
 * goes to progress (may be NULL). Deterministic: the same input gives the same
 * output. Returns 0, or -1 if s gives no finding (out untouched). */
int hmr_minimize(const struct hmr_script *s, const struct hmr_script *fixed, struct hmr_script *out,
		 struct hmr_min_stats *st, FILE *progress);
#endif
