/* harness.c - the fuzz target shared by libFuzzer and AFL++ (README "Fuzzing").
 *
 * An input is the binary script format (engine/format/binfmt.h): it always decodes to
 * a valid script, tidied so that it follows the kernel API (engine/format/tidy.h),
 * its decision bytes drive every scheduling and hardware choice of its first
 * execution, and HMR_BIN_SCHEDULES - 1 schedules derived from it follow
 * (run.h). Inputs marked raw are skipped: only a tidy script's finding is
 * the kernel model's fault; so are those hmrig would read as scenario text
 * (format/input.h), so that every crash file replays as the fuzz input it
 * is. A finding prints the hmrig report on stderr and aborts, so the fuzzer
 * keeps the input; `hmrig replay` of that file prints the same report (with
 * the same HMRIG_OPTIONS). The engine's interleaving
 * coverage (cov.h) goes to libFuzzer's extra counters or into the AFL++ map,
 * unless built with HMR_NO_ILCOV (code coverage only, for comparison).
 * Build macros: HMR_LIBFUZZER or HMR_AFL; HMR_DIFF makes it the differential
 * target (build/hmrig-diff-libfuzzer, linked with make ksrc's copies of
 * mm/highmem.c): each input runs through hmrig diff on one of the tree's
 * real-source profiles (by its header profile, unless HMRIG_OPTIONS names one) without
 * bug switches, and only a model-divergence is a crash. HMRIG_KNOWN_FINDINGS
 * names a campaign's findings directory: a finding whose id (its title on
 * its profile, report.h hmr_finding_id) has a directory
 * there is known already and is not a crash (the fuzzer goes on instead of
 * restarting a job for it). */
#include "format/binfmt.h"
#include "sim/cov.h"
#include "explore/diff.h"
#include "format/input.h"
#include "format/profile.h"
#include "run/report.h"
#include "run/run.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct hmr_script script;
static struct hmr_result result, again;
static unsigned long long schedules;	/* executions run, over all inputs */

/* Whether the campaign already keeps the finding of r (HMRIG_KNOWN_FINDINGS). */
static int known(const struct hmr_result *r)
{
	static const char *dir;
	static int looked;
	char p[1100];
	struct stat sb;
	if (!looked++)
		dir = getenv("HMRIG_KNOWN_FINDINGS");
	if (!dir || !*dir)
		return 0;
	snprintf(p, sizeof(p), "%s/%08x", dir, hmr_finding_id(r->title, script.profile));
	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void print_schedules(void)
{
	if (schedules)	/* libFuzzer's -fork parent runs none */
		fprintf(stderr, "stat::hmrig_schedules: %llu\n", schedules);
}

/* Test-only switches under HMRIG_OPTIONS only for the rig's tests (binfmt.h). */
static int allow_test;

static void setup(void)
{
	static int done;
	const char *opts = getenv("HMRIG_OPTIONS"), *allow = getenv(HMR_ALLOW_TEST_ENV);
#ifdef HMR_DEFAULT_OPTIONS
	/* A fuzzing service sets no environment: fuzzers/build.sh builds in
	 * what it runs (the fixed profiles), so each crash is a new bug. */
	if (!opts)
		opts = HMR_DEFAULT_OPTIONS;
#endif
	char err[400];
	if (done)
		return;
	done = 1;
	atexit(print_schedules);	/* beside libFuzzer's final stats: the bench reads it */
	allow_test = allow && !strcmp(allow, "1");
	if (hmr_bin_set_options(opts, allow_test, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		exit(2);
	}
}

#ifdef HMR_DIFF
/* One input through the differential oracle. */
static void diff_one(const uint8_t *data, size_t size)
{
	struct hmr_explore_opts o;
	const uint8_t *dec;
	size_t ndec;
	const char *pick = hmr_diff_input_options(data, size, getenv("HMRIG_OPTIONS"));
	char err[400];

	if (hmr_bin_set_options(pick, allow_test, err, sizeof(err)) < 0) {
		fprintf(stderr, "HMRFAIL: %s\n", err);	/* setup() took HMRIG_OPTIONS; the rest are twins */
		abort();
	}
	hmr_bin_decode(data, size, "<fuzz input>", &script, &dec, &ndec);
	memset(&o, 0, sizeof(o));
	o.strategy = STRAT_BYTES;
	o.bytes = dec;
	o.nbytes = ndec;
	hmr_diff(&script, &o, &result);
	schedules += (unsigned long long)result.executions;
	if (result.input_error || result.rig_fail) {
		fprintf(stderr, "%s%s\n", result.rig_fail ? "HMRFAIL: " : "", result.err);
		abort();	/* HMRIG_OPTIONS names what diff cannot compare */
	}
	if (result.kind >= 0 && !known(&result)) {
		const struct hmr_result *r = &result;
		if (hmr_bin_normalise(&script, "<fuzz input>") == 0) {	/* the line numbers hmrig gives it */
			hmr_diff(&script, &o, &again);
			if (again.kind >= 0)
				r = &again;
		}
		fputs(r->report, stderr);
		fprintf(stderr, "replay: HMRIG_OPTIONS='%s' build/hmrig-ksrc diff CRASH-FILE\n", pick);
		abort();
	}
}
#endif

static int test_one(const uint8_t *data, size_t size)
{
	struct hmr_explore_opts o;
	const uint8_t *dec;
	size_t ndec;

	setup();
	if (hmr_bin_raw(data, size))
		return 0;	/* raw scripts may break the API: not fuzz inputs */
	if (hmr_input_kind(data, size, NULL) != HMR_INPUT_FUZZ)
		return 0;	/* hmrig would read it as scenario text: no crash file may be one */
#ifdef HMR_DIFF
	diff_one(data, size);
	return 0;
#endif
	hmr_bin_decode(data, size, "<fuzz input>", &script, &dec, &ndec);
	memset(&o, 0, sizeof(o));
	o.strategy = STRAT_BYTES;
	o.runs = 1;
	o.bytes = dec;
	o.nbytes = ndec;
	o.derived = HMR_BIN_SCHEDULES - 1;
	o.lazy_events = 1;
	hmr_explore(&script, &o, &result);
	schedules += (unsigned long long)result.executions;
	if (result.rig_fail) {
		fprintf(stderr, "HMRFAIL: %s\n", result.err);
		abort();	/* a rig bug is worth a crash file too */
	}
	if (result.kind >= 0 && !known(&result)) {
		/* Again with the line numbers hmrig replay gives the file; under
		 * TSan a race is reported once only, so keep the first if need be. */
		const struct hmr_result *r = &result;
		if (hmr_bin_normalise(&script, "<fuzz input>") == 0) {
			hmr_explore(&script, &o, &again);
			if (again.kind >= 0)
				r = &again;
		}
		fputs(r->report, stderr);
		abort();
	}
	return 0;
}

#ifdef HMR_LIBFUZZER
#ifndef HMR_NO_ILCOV
__attribute__((used, section("__libfuzzer_extra_counters"))) static uint8_t ilcov[1 << 15];
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HMR_ASAN_PURGE
#endif
#endif
#ifdef HMR_ASAN_PURGE
#include <pthread.h>
#include <sanitizer/allocator_interface.h>
#include <unistd.h>

/* libFuzzer's -fork=N parent runs no input, but merges every job's results,
 * copying its whole feature set each time; ASan's quarantine keeps what it
 * frees (up to 256 MB), so the parent's memory grows with the jobs. It never
 * reaches libFuzzer's own purge, so it empties the quarantine here, every 5 s
 * (the jobs, started without -fork, keep theirs for use-after-free checks). */
static void *purge(void *arg)
{
	for (;;) {
		sleep(5);
		__sanitizer_purge_allocator();
	}
	return arg;
}

static void purge_in_fork_parent(int argc, char **argv)
{
	int parent = 0;
	pthread_t t;
	for (int i = 1; i < argc; i++) {
		if (!strncmp(argv[i], "-merge_inner", 12))
			return;
		parent |= !strncmp(argv[i], "-fork=", 6) && atoi(argv[i] + 6) > 0;
	}
	if (parent && pthread_create(&t, NULL, purge, NULL) == 0)
		pthread_detach(t);
}
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
#ifdef HMR_ASAN_PURGE
	purge_in_fork_parent(*argc, *argv);
#endif
	(void)argc;
	(void)argv;
#ifndef HMR_NO_ILCOV
	hmr_cov_map = ilcov;
	hmr_cov_mask = sizeof(ilcov) - 1;
#endif
	setup();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return test_one(data, size);
}
#endif

#ifdef HMR_AFL
#include <unistd.h>	/* the AFL++ macros read the test case from stdin */

uint8_t *hmr_afl_map(void);	/* afl_map.c */
uint32_t hmr_afl_map_size(void);

__AFL_FUZZ_INIT();

int main(void)
{
	setup();
	__AFL_INIT();
	uint8_t *buf = __AFL_FUZZ_TESTCASE_BUF;
#ifndef HMR_NO_ILCOV
	/* Into the map the code edges use too, and within the size the target
	 * reports (about 8,000 bytes): afl-fuzz clears and reads only that, so
	 * counters past it were never cleared between runs, and AFL++ found
	 * every input unstable (docs/BENCHMARKS.md, "Stability"). */
	uint32_t size = hmr_afl_map_size();
	hmr_cov_map = hmr_afl_map();
	hmr_cov_mask = size >= 2 ? (1u << (31 - __builtin_clz(size))) - 1 : 0;
#endif
	/* afl-fuzz kills its targets (no atexit): for make bench, and for a
	 * campaign's count of inputs between AFL++'s stats (tools/fuzz_stats.c),
	 * the schedules run are appended to HMRIG_SCHEDULE_LOG every 256 inputs,
	 * one line each. */
	const char *log = getenv("HMRIG_SCHEDULE_LOG");
	FILE *lf = log && *log ? fopen(log, "a") : NULL;
	unsigned long long logged = 0;
	for (unsigned n = 1; __AFL_LOOP(100000); n++) {
		test_one(buf, (size_t)__AFL_FUZZ_TESTCASE_LEN);
		if (lf && n % 256 == 0) {
			fprintf(lf, "%llu\n", schedules - logged);
			fflush(lf);
			logged = schedules;
		}
	}
	return 0;
}
#endif
