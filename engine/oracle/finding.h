/* finding.h - how an oracle reports: one finding ends the execution.
 *
 * Only engine/oracle/ includes this (engine/test/test-layers checks that no
 * other file calls hmr_finding). An oracle passes the objects whose history
 * the report prints as `about`; the scheduler's lower layers never touch
 * W.f. */
#ifndef HMR_FINDING_H
#define HMR_FINDING_H
#include "sim/world.h"

/* The objects a report follows: a pkmap slot, a cache line's VA, two pages. */
struct hmr_about {
	int slot;		/* pkmap slot or -1 */
	uint32_t line_va;	/* line VA or 0 */
	int pfn_a, pfn_b;	/* pages involved or -1 */
};
#define HMR_ABOUT(slot, line_va, pfn_a, pfn_b) ((struct hmr_about){ (slot), (line_va), (pfn_a), (pfn_b) })
#define HMR_ABOUT_NONE HMR_ABOUT(-1, 0, -1, -1)

/* Record a finding and end the execution. From a task this never returns; from
 * the scheduler it returns and the caller stops. A second finding is only
 * counted (W.f.extra). */
void hmr_finding(int kind, struct hmr_about about, const char *site_a, const char *site_b, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
#endif
