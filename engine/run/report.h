/* report.h - findings as reports (README "Reports") and events as text. */
#ifndef HMR_REPORT_H
#define HMR_REPORT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "oracle/finding.h"

#define HMR_TITLE_PREFIX "BUG: hmrig: "
/* HMR_TITLE_PREFIX "<kind> in <a> / <b>" (sites sorted, one if equal). */
void hmr_title(char *buf, size_t sz);
/* FNV-1a of the title: the dedup key. */
uint32_t hmr_signature(const char *title);
/* A campaign's dedup key: the title on one profile. The same title on
 * another profile is other kernel code, so another finding; bug switches are
 * left out, or each irrelevant switch a mutation adds would make one more. */
uint32_t hmr_finding_id(const char *title, int profile);
/* Render the report of hmr_found. replay is the command that reproduces it. Returns
 * the length written (truncated to sz). */
size_t hmr_report(char *buf, size_t sz, const char *replay);
/* One event as text, without its step/cpu/task prefix. */
void hmr_event_str(const struct hmr_event *e, char *buf, size_t sz);
/* Every event of the execution, one per line (replay --trace). */
void hmr_trace_print(FILE *out);
/* The execution as a Chrome/Perfetto trace (Trace Event Format JSON). */
void hmr_trace_json(FILE *out);
/* The same into the file path, written whole or not at all (path.tmp, then
 * renamed). Returns 0, or -1 if it could not. */
int hmr_trace_json_file(const char *path);
/* The schedule actually followed, "A until site#K; B; A". */
size_t hmr_schedule_str(char *buf, size_t sz);
/* The config actually in force, "cpus=1 last_pkmap=4 ...". */
size_t hmr_config_str(char *buf, size_t sz);
#endif
