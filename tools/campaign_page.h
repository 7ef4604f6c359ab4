/* campaign_page.h - OUT/index.html, a campaign's page (README "Fuzzing").
 *
 * One static file that opens from disk with no server and no network:
 * executions, coverage and distinct findings over time as plots, the
 * findings table linking each finding's files, and the interleaving
 * coverage as a picture (the switch pairs the corpus reaches). */
#ifndef HMR_CAMPAIGN_PAGE_H
#define HMR_CAMPAIGN_PAGE_H
#include <stdint.h>

struct hmr_page_sample {
	double t;		/* seconds of fuzzing, over every run of the campaign */
	long execs;		/* executions by then */
	long cov;		/* the fuzzer's coverage (libFuzzer's cov:, AFL++'s edges_found) */
	int findings;		/* distinct findings by then */
};

struct hmr_page_finding {
	uint32_t id;		/* OUT/findings/%08x/ */
	const char *title, *profile, *confirmed;
	double found_at;
	long execs;
	/* which of report.txt, minimized.scn, scenario.scn, trace.json,
	 * input.bin are in its directory: a link only to a file written */
	int report, minimized, scenario, trace, input;
};

struct hmr_page {
	const char *engine, *profile;	/* profile NULL: any */
	int jobs;
	double elapsed;		/* seconds of fuzzing so far */
	long execs;
	const struct hmr_page_sample *samples;
	int nsamples;
	const struct hmr_page_finding *findings;
	int nfindings;
	/* Switch pairs the corpus reaches: pairs[a * nsites + b] counts the
	 * inputs in which a task switched out at site a and the next ran on
	 * from site b (format/sites.def names them); NULL if not measured. */
	const uint32_t *pairs;
	int nsites;
	long corpus;		/* inputs the pairs were measured over */
};

/* Write path (OUT/index.html) atomically. Returns 0, or -1 if it could not. */
int hmr_campaign_page(const char *path, const struct hmr_page *p);
#endif
