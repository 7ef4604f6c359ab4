/* stress_run.h - hmrig stress, and the wall clock that --duration runs by. */
#ifndef HMR_STRESS_RUN_H
#define HMR_STRESS_RUN_H
#include "../engine/run/run.h"

/* --duration: start the clock; e->stop then ends an exploration once seconds
 * have passed, and notes when its first finding came. */
void hmr_clock_start(struct hmr_explore_opts *e, long seconds);
double hmr_clock_elapsed(void);
double hmr_clock_first(void);	/* seconds to the first finding, < 0 if none */

/* Run s's tasks free on real threads (engine/sim/stress.c) in `copies` processes
 * side by side, for seconds or until the first finding (every one with
 * e->keep_going). r gets the total counts and the earliest finding. Returns 0,
 * or -1 with r->rig_fail and r->err set. */
int hmr_stress(const struct hmr_script *s, struct hmr_explore_opts *e, int copies, long seconds,
	       struct hmr_result *r);
#endif
