/* finding.c - recording the one finding of an execution (finding.h). */
#include "oracle/finding.h"
#include "sim/backend.h"
#include <stdarg.h>
#include <stdio.h>

void hmr_finding(int kind, struct hmr_about about, const char *site_a, const char *site_b, const char *fmt, ...)
{
	if (W.f.kind >= 0) {
		W.f.extra++;
	} else {
		va_list ap;
		W.f.kind = kind;
		W.f.slot = about.slot;
		W.f.line_va = about.line_va;
		W.f.pfn_a = about.pfn_a;
		W.f.pfn_b = about.pfn_b;
		snprintf(W.f.site_a, sizeof(W.f.site_a), "%s", site_a ? site_a : "?");
		snprintf(W.f.site_b, sizeof(W.f.site_b), "%s", site_b ? site_b : "?");
		va_start(ap, fmt);
		vsnprintf(W.f.what, sizeof(W.f.what), fmt, ap);
		va_end(ap);
		W.f.step = W.step;
		W.f.task = W.cur ? W.cur->id : -1;
	}
	hmr_end_execution();
}
