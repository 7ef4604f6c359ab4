/* fuzz_stats.h - what the fuzzers a campaign runs say of themselves:
 * executions and coverage, from their own logs and stats files, counted from
 * where this run of the campaign began (README "Fuzzing"). */
#ifndef HMR_FUZZ_STATS_H
#define HMR_FUZZ_STATS_H
#include <stddef.h>

#define HMR_AFL_MAX 16	/* AFL++ instances: main0, s1, s2, ... */

struct hmr_fuzz_stats {
	const char *out;	/* the campaign directory */
	const char *tmpdir;	/* the fuzzers' TMPDIR, or "" */
	int afl, jobs;
	long execs, cov;	/* this run's so far; neither goes back */
	long log_from;		/* libFuzzer: OUT/fuzzer.log's size when the run began */
	struct {
		long base, pid;	/* fuzzer_stats' execs_done and fuzzer_pid then */
		long at, inputs;	/* NAME.inputs: bytes read, inputs counted */
	} inst[HMR_AFL_MAX];
};

/* AFL++ instance j's name (-M main0, -S s1, ...). */
void hmr_afl_name(int j, char *buf, size_t n);

/* Before the fuzzers start. */
void hmr_fuzz_stats_begin(struct hmr_fuzz_stats *s, const char *out, const char *tmpdir, int afl, int jobs);

/* Before AFL++ instance j starts (resume: from its own queue): the file its
 * target counts its inputs in, for HMRIG_SCHEDULE_LOG, into log. */
void hmr_fuzz_stats_afl(struct hmr_fuzz_stats *s, int j, int resume, char *log, size_t n);

/* Read the fuzzers' counts into s->execs and s->cov. */
void hmr_fuzz_stats_read(struct hmr_fuzz_stats *s);
#endif
