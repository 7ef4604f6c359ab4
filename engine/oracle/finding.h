/* finding.h - how an oracle reports: one finding ends the execution.
 *
 * Only engine/oracle/ makes findings (engine/test/test-layers checks that no
 * other file calls hmr_finding); run/ and explore/ read hmr_found. An oracle
 * passes the objects whose history the report prints as `about`. */
#ifndef HMR_FINDING_H
#define HMR_FINDING_H
#include "sim/world.h"

/* The execution's finding: what the report says. */
struct hmr_finding {
	int kind;			/* enum hmr_kind, -1 = none */
	char site_a[40], site_b[40];
	char what[512];			/* the faulting event */
	uint32_t step;
	int task;
	/* objects whose history the report prints */
	int slot;			/* pkmap slot or -1 */
	uint32_t line_va;		/* line VA or 0 */
	int pfn_a, pfn_b;		/* pages involved or -1 */
	int extra;			/* later findings (counted, not reported) */
};
extern struct hmr_finding hmr_found;

/* The objects a report follows: a pkmap slot, a cache line's VA, two pages. */
struct hmr_about {
	int slot;		/* pkmap slot or -1 */
	uint32_t line_va;	/* line VA or 0 */
	int pfn_a, pfn_b;	/* pages involved or -1 */
};
#define HMR_ABOUT(slot, line_va, pfn_a, pfn_b) ((struct hmr_about){ (slot), (line_va), (pfn_a), (pfn_b) })
#define HMR_ABOUT_NONE HMR_ABOUT(-1, 0, -1, -1)

/* No finding yet: the start of an execution. */
void hmr_finding_reset(void);

/* Record a finding and end the execution. From a task this never returns; from
 * the scheduler it returns and the caller stops. A second finding is only
 * counted (hmr_found.extra). */
void hmr_finding(int kind, struct hmr_about about, const char *site_a, const char *site_b, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
#endif
