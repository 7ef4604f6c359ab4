/* campaign.h - hmrig campaign: a fuzz campaign end to end (README "Fuzzing"). */
#ifndef HMR_CAMPAIGN_H
#define HMR_CAMPAIGN_H

struct hmr_campaign_opts {
	const char *engine;	/* "libfuzzer" or "afl" */
	int jobs;
	int seconds;
	const char *profile;	/* NULL: every profile (the input chooses); else
				 * that kernel alone: no bug switch unless options
				 * names one */
	const char *options;	/* extra HMRIG_OPTIONS */
	int allow_test;		/* options may name a test-only switch (binfmt.h) */
	const char *out;	/* campaign directory */
	const char *seeds;	/* seed corpus directory */
	const char *bindir;	/* where the fuzz targets are (build) */
};

/* Run the campaign, then collect, confirm, dedup and minimize its findings and
 * write OUT/summary.md. Returns the number of distinct findings, or minus the
 * exit code of a failure it has reported on stderr: -2 bad options or a
 * missing build product, -3 a fuzzer that did not run or died. */
int hmr_campaign(const struct hmr_campaign_opts *o);
#endif
