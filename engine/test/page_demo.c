/* page_demo.c - build/page-demo DIR [bad|empty]: a campaign page
 * (tools/campaign_page.c) for fixed synthetic data, written to DIR/index.html
 * with the findings' files it links, for engine/test/page-check to look at.
 *   (none)  30 samples, three findings (one title full of HTML's special
 *           characters), some switch pairs reached: a page that must pass;
 *   bad     no samples, and a finding flagged as having report.txt that is
 *           not written: a dead link, and plots with no line: must fail;
 *   empty   a campaign just started: no samples, no findings, pairs not
 *           measured (passes only with page-check --allow-empty). */
#include "../../tools/campaign_page.h"
#include "format/site.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct hmr_page_finding found[] = {
	{ 0x0a1b2c3d, "BUG: hmrig: lost-write in dma_map_page / kmap_high <p5> & \"slot 1\"", "arm-2.6.30", "yes",
	  12.5, 11000, 1, 1, 1, 1, 1 },
	{ 0x00c0ffee, "BUG: hmrig: stale-tlb in kunmap_high 'a' <b>", "mips-2.6.30", "yes", 47.0, 52000, 1, 1, 1, 0, 1 },
	{ 0xdeadbeef, "rig bug: ASan report in flush_all_zero_pkmaps", NULL, "no: did not replay", 90.2, 99000,
	  1, 0, 1, 0, 1 },
};

/* Write the files a finding's flags say are there; the bad page's first
 * finding keeps its report.txt flag but gets no file. */
static void finding_files(const char *dir, const struct hmr_page_finding *g, int skip_report)
{
	static const char *const name[5] = { "report.txt", "minimized.scn", "scenario.scn", "trace.json", "input.bin" };
	const int have[5] = { g->report && !skip_report, g->minimized, g->scenario, g->trace, g->input };
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/findings", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/findings/%08x", dir, (unsigned)g->id);
	mkdir(path, 0755);
	for (int k = 0; k < 5; k++) {
		if (!have[k])
			continue;
		snprintf(path, sizeof(path), "%s/findings/%08x/%s", dir, (unsigned)g->id, name[k]);
		if (!(f = fopen(path, "w"))) {
			perror(path);
			exit(2);
		}
		fprintf(f, "%s\n", k == 3 ? "{\"traceEvents\": []}" : g->title);
		fclose(f);
	}
}

int main(int argc, char **argv)
{
	static struct hmr_page_sample s[30];
	static uint32_t pairs[HMR_SITE__N * HMR_SITE__N];
	const char *variant = argc > 2 ? argv[2] : "";
	int bad = !strcmp(variant, "bad"), empty = !strcmp(variant, "empty");
	char path[4096];
	struct hmr_page p = { "libfuzzer", NULL, 2, 120.0, 123456, s, 30, found, 3, pairs, HMR_SITE__N, 500 };

	if (argc < 2 || (argc > 2 && !bad && !empty)) {
		fprintf(stderr, "usage: page-demo DIR [bad|empty]\n");
		return 2;
	}
	mkdir(argv[1], 0755);
	/* Executions grow steadily, coverage fast then slower, findings in steps. */
	for (int i = 0; i < 30; i++) {
		s[i].t = 4.0 * (i + 1);
		s[i].execs = 1000L * (i + 1) * (i + 1) / 8 + 1030L * i;
		s[i].cov = 300 + 1800L * i / (i + 6);
		s[i].findings = (s[i].t >= 12.5) + (s[i].t >= 47) + (s[i].t >= 90.2);
	}
	/* A pattern of pairs, counts from 1 to the whole corpus. */
	for (int a = 0; a < HMR_SITE__N; a++)
		for (int b = 0; b < HMR_SITE__N; b++)
			if ((a * 7 + b * 3) % 5 == 0 && (a + b) % 3)
				pairs[a * HMR_SITE__N + b] = 1 + (uint32_t)((a * 37 + b * 11) % 500);
	if (bad || empty)
		p.nsamples = 0;
	if (empty) {
		p.elapsed = 0, p.execs = 0, p.nfindings = 0, p.pairs = NULL;
		p.profile = "arm-2.6.30";
	}
	for (int i = 0; i < p.nfindings; i++)
		finding_files(argv[1], &found[i], bad && i == 0);
	snprintf(path, sizeof(path), "%s/index.html", argv[1]);
	if (hmr_campaign_page(path, &p)) {
		perror(path);
		return 1;
	}
	return 0;
}
