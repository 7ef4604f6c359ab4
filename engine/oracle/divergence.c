/* divergence.c - the differential oracle's finding: after one operation the
 * model and Linux's own code disagree (explore/diff.c compares them). */
#include "oracle/oracle.h"

void hmr_oracle_divergence(const char *fn, int slot, const char *what)
{
	hmr_finding(HMR_K_model_divergence, HMR_ABOUT(slot, 0, -1, -1), fn, fn, "%s", what);
}
