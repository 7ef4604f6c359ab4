// SPDX-License-Identifier: GPL-2.0-only
/* convert_soak.c - build/hmrig-convert-soak N [--seed=S] [--first=I] [--keep=DIR]:
 * `hmrig convert` is total (issue 16), over as many random inputs as it takes.
 *
 * Input I is the same bytes on every run (a function of the seed and I), read
 * as fuzz bytes. Each goes the way `hmrig replay IN --input=fuzz`, `hmrig
 * convert IN -o OUT.scn` and `hmrig replay OUT.scn` take it - the same engine
 * calls, in one process, so a million inputs take minutes, not the hours that
 * three processes per input took: decode and normalise, run its schedules
 * (the report of its first finding over them, or, with none, its first
 * schedule's), give the script the schedule that execution followed (a
 * schedule: or decisions: block), print it as scenario text, parse that back
 * and follow its own schedule. The two reports must be equal byte for byte
 * but for the replay: line (a scenario replays itself, a binary its bytes);
 * with no finding, both must say none after the same number of steps. An
 * input "runs" when its first replay ends without an input error or HMRFAIL:
 * every byte string decodes to a script, so one that does not is a failure
 * too. test-convert checks the same through the command line, and that
 * `hmrig replay` prints these reports, on fewer inputs.
 *
 * Prints one FAIL line per failing input (--keep=DIR also writes DIR/I.bin
 * and DIR/I.scn when there is one), a progress line every 100,000 inputs,
 * and the counts; exits 1 if any input fails, 2 on bad usage. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "format/binfmt.h"
#include "format/script.h"
#include "run/run.h"

static struct hmr_script in, out, back;
static struct hmr_result ref, got;
static uint8_t bytes[30001];
static char text[1 << 20];

/* splitmix64: input i of seed s is the stream at s * 2^32 + i. */
static uint64_t mix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Input i: its length spread over caps from 64 to 30,000 bytes, so small
 * scripts (most findings) and large ones (schedules too long for a
 * schedule: block) both come up. */
static size_t gen(uint64_t seed, long i)
{
	static const size_t caps[] = { 64, 256, 600, 2000, 8000, 30000 };
	uint64_t x = seed << 32 ^ (uint64_t)i;
	size_t n = (size_t)(mix(&x) % (caps[mix(&x) % 6] + 1));

	for (size_t k = 0; k < n; k++)
		bytes[k] = (uint8_t)mix(&x);
	return n;
}

/* The report without its replay: line. */
static const char *strip(const char *report, char *buf, size_t sz)
{
	const char *r = strstr(report, "\nreplay:");
	const char *end = r ? strchr(r + 1, '\n') : NULL;
	size_t head = r ? (size_t)(r - report) + 1 : strlen(report);

	snprintf(buf, sz, "%.*s%s", (int)head, report, end ? end + 1 : "");
	return buf;
}

static int same(const struct hmr_result *a, const struct hmr_result *b)
{
	static char sa[sizeof(a->report)], sb[sizeof(b->report)];

	if (a->kind != b->kind)
		return 0;
	if (a->kind < 0)
		return a->steps == b->steps;
	return !strcmp(strip(a->report, sa, sizeof(sa)), strip(b->report, sb, sizeof(sb)));
}

/* The replay of the fuzz input: all its schedules, or its first alone when
 * none finds anything (what test-convert compares with). */
static void replay_bytes(const struct hmr_script *s, const uint8_t *dec, size_t ndec, int derived)
{
	struct hmr_explore_opts e;

	hmr_explore_opts_from_script(s, &e);
	e.strategy = STRAT_BYTES;
	e.runs = 1;
	e.bytes = dec;
	e.nbytes = ndec;
	e.derived = derived;
	hmr_explore(s, &e, &ref);
}

/* One input: NULL if it converts and replays the same, else why not. */
static const char *check(const char *name, size_t n, int *decisions)
{
	static char why[600];
	struct hmr_explore_opts e;
	const uint8_t *dec;
	size_t ndec;
	int len;

	hmr_bin_decode(bytes, n, name, &in, &dec, &ndec);
	if (hmr_bin_normalise(&in, name) < 0)
		return "HMRFAIL: the decoded script does not re-parse";
	replay_bytes(&in, dec, ndec, HMR_BIN_SCHEDULES - 1);
	if (ref.rig_fail || ref.input_error) {
		snprintf(why, sizeof(why), "%s: replay of the input: %s", ref.rig_fail ? "HMRFAIL" : "did not run",
			 ref.err);
		return why;
	}
	if (ref.kind < 0)
		replay_bytes(&in, dec, ndec, 0);
	out = in;	/* convert: the script and the schedule its execution followed */
	if (hmr_adopt_schedule(&out, &ref) < 0)
		return "HMRFAIL: convert: the execution fits neither a schedule: nor a decisions: block";
	*decisions = out.has_decisions;
	len = hmr_scn_print(&out, text, sizeof(text));
	if (len < 0 || (size_t)len >= sizeof(text))
		return "HMRFAIL: convert: the scenario does not fit in 1 MiB";
	if (hmr_scn_parse(text, (size_t)len, name, &back, why, sizeof(why)) < 0)
		return why;
	hmr_explore_opts_from_script(&back, &e);	/* replay of the scenario */
	hmr_explore_opts_follow(&back, &e);
	e.runs = 1;
	hmr_explore(&back, &e, &got);
	if (got.rig_fail || got.input_error) {
		snprintf(why, sizeof(why), "%s: replay of the scenario: %s", got.rig_fail ? "HMRFAIL" : "input error",
			 got.err);
		return why;
	}
	return same(&ref, &got) ? NULL : "mismatch: the scenario's report differs from the input's";
}

static void keep(const char *dir, long i, size_t n, int has_scn)
{
	char path[4200];
	FILE *f;

	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return;
	snprintf(path, sizeof(path), "%s/%ld.bin", dir, i);
	if ((f = fopen(path, "wb"))) {
		fwrite(bytes, 1, n, f);
		fclose(f);
	}
	snprintf(path, sizeof(path), "%s/%ld.scn", dir, i);
	if (has_scn && (f = fopen(path, "w"))) {
		fputs(text, f);
		fclose(f);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: build/hmrig-convert-soak N [--seed=S] [--first=I] [--keep=DIR]\n");
	return 2;
}

int main(int argc, char **argv)
{
	long count = -1, first = 0, failed = 0, decisions = 0;
	uint64_t seed = 1;
	const char *dir = NULL;
	char *end;

	for (int a = 1; a < argc; a++) {
		const char *v = strchr(argv[a], '=');
		if (!strncmp(argv[a], "--seed=", 7))
			seed = strtoull(v + 1, &end, 10);
		else if (!strncmp(argv[a], "--first=", 8))
			first = strtol(v + 1, &end, 10);
		else if (!strncmp(argv[a], "--keep=", 7))
			dir = v + 1, end = "";
		else if (argv[a][0] != '-' && count < 0)
			count = strtol(argv[a], &end, 10);
		else
			return usage();
		if (*end)
			return usage();
	}
	if (count < 0)
		return usage();
	for (long i = first; i < first + count; i++) {
		char name[64];
		int dec = 0;
		size_t n = gen(seed, i);

		snprintf(name, sizeof(name), "soak-%ld.bin", i);
		text[0] = 0;
		const char *why = check(name, n, &dec);
		decisions += !why && dec;
		if (why) {
			failed++;
			printf("FAIL input %ld (%zu bytes): %s\n", i, n, why);
			if (dir)
				keep(dir, i, n, text[0] != 0);
		}
		if ((i - first + 1) % 100000 == 0) {
			printf("... %ld tried, %ld failed\n", i - first + 1, failed);
			fflush(stdout);
		}
	}
	printf("tried %ld, identical %ld (%ld with a decisions: block), failed %ld\n", count, count - failed,
	       decisions, failed);
	return failed ? 1 : 0;
}
