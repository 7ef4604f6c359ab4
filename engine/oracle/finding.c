/* finding.c - recording the one finding of an execution (finding.h). */
#include "oracle/finding.h"
#include "sim/backend.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct hmr_finding hmr_found;

void hmr_finding_reset(void)
{
	memset(&hmr_found, 0, sizeof(hmr_found));
	hmr_found.kind = -1;
	hmr_found.slot = -1;
	hmr_found.pfn_a = hmr_found.pfn_b = -1;
	hmr_found.task = -1;
}

void hmr_finding(int kind, struct hmr_about about, const char *site_a, const char *site_b, const char *fmt, ...)
{
	if (hmr_found.kind >= 0) {
		hmr_found.extra++;
	} else {
		va_list ap;
		hmr_found.kind = kind;
		hmr_found.slot = about.slot;
		hmr_found.line_va = about.line_va;
		hmr_found.pfn_a = about.pfn_a;
		hmr_found.pfn_b = about.pfn_b;
		snprintf(hmr_found.site_a, sizeof(hmr_found.site_a), "%s", site_a ? site_a : "?");
		snprintf(hmr_found.site_b, sizeof(hmr_found.site_b), "%s", site_b ? site_b : "?");
		va_start(ap, fmt);
		vsnprintf(hmr_found.what, sizeof(hmr_found.what), fmt, ap);
		va_end(ap);
		hmr_found.step = W.step;
		hmr_found.task = W.cur ? W.cur->id : -1;
	}
	hmr_end_execution();
}
