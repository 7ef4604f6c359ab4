/* run.h - executions and explorations of one script. */
#ifndef HMR_RUN_H
#define HMR_RUN_H
#include <stddef.h>
#include <stdint.h>
#include "format/script.h"

struct hmr_result;

struct hmr_explore_opts {
	int strategy;		/* enum hmr_strategy, or STRAT__N: follow a decision log */
	long runs;		/* random/pct: executions; exhaustive: cap (0 = none) */
	uint64_t seed;
	int bound, depth;
	int keep_going;		/* count every failing execution, report the first */
	int sched_override;	/* the schedule came from the command line (--schedule,
				 * --decisions), not from the script: the replay
				 * command repeats it */
	const char *args;	/* the options that changed the script (--input,
				 * --profile, --switch, --config): the replay command
				 * repeats them */
	const uint8_t *log;	/* decision log: rank per decision (the script's
				 * decisions: block unless sched_override) */
	size_t nlog;
	const uint8_t *bytes;	/* fuzz bytes */
	size_t nbytes;
	int derived;		/* fuzz bytes: after their schedule, this many more,
				 * PCT and random by turns, seeded from the bytes and
				 * the ops (so the input still replays itself) */
	const char *want_title;	/* count only findings with this title (NULL: any) */
	int stress;		/* tasks race on real threads (stress.c; needs the
				 * baton backend); hardware choices as strategy says */
	int lazy_events;	/* no event log, but for an execution that finds
				 * something, run again with it from its decisions
				 * (W then holds no events of a silent one) */
	/* Asked after every execution; nonzero ends the exploration (the
	 * caller's clock, a signal: the engine keeps none). */
	int (*stop)(const struct hmr_result *so_far);
};

struct hmr_result {
	long executions;
	long failing;
	long first_at;		/* execution number (1-based) of the first finding */
	int kind;		/* first finding's kind, -1 if none */
	int input_error;	/* a schedule or op could not be followed: err */
	int rig_fail;		/* the rig failed (HMRFAIL): err */
	char err[512];
	char title[160];
	uint32_t signature;
	uint64_t steps;		/* scheduling points over all executions */
	char replay[1 << 16];	/* the command that replays the first finding */
	int nsched;		/* the first finding's schedule as schedule: lines (a */
	struct hmr_sched_line sched[HMR_MAX_SCHED];	/* single execution's in any case), -1 if too long */
	int ndecisions;		/* nsched -1: the same execution's decision log, as a
				 * decisions: block holds it; -1 if it was not kept whole */
	char report[1 << 18];
	uint8_t decisions[HMR_MAX_DECISIONS];	/* last: read only below ndecisions */
};

/* Explore s as o says; stop at the first finding unless keep_going. The
 * report of the first finding (with its replay command) is in r->report. */
void hmr_explore(const struct hmr_script *s, const struct hmr_explore_opts *o, struct hmr_result *r);
/* The schedule the execution now in W followed, as schedule: lines (task
 * segments, then hardware lines where they happened). Returns the number of
 * lines, or -1 if it does not fit in max. */
int hmr_followed_schedule(struct hmr_sched_line *out, int max);
/* r keeps the schedule of the execution now in W: its schedule: lines, or,
 * when they do not fit, its decision log (r->nsched, r->ndecisions). */
void hmr_result_keep_schedule(struct hmr_result *r);
/* s takes the schedule r kept as its own: a schedule: block, or a decisions:
 * block when the lines do not fit (s then replays r's execution exactly).
 * Returns 0, or -1 if r kept neither: an execution past HMR_MAX_DECISIONS
 * decisions under a schedule: block or stress, with more than HMR_MAX_SCHED
 * lines (s is then left without a schedule). */
int hmr_adopt_schedule(struct hmr_script *s, const struct hmr_result *r);

/* The execution now in W as fuzz decision bytes: what STRAT_BYTES needs to
 * take the same decisions. Returns the length (trailing zeros dropped). */
size_t hmr_decision_bytes(uint8_t *out, size_t cap);

/* If the execution now in W could not follow its schedule (W.sched_err) or
 * the rig failed (W.rig_fail), say so in r and return 1; else 0. */
int hmr_result_error(struct hmr_result *r);

/* The command that replays the execution now in W, o's strategy having made
 * it: "PROG VERB FILE [o->args]" (a file that replays itself), else with
 * --schedule= or, for a schedule too long to write, --decisions=. PROG is
 * hmr_prog; without one, build/hmrig, or build/hmrig-ksrc if ksrc. */
void hmr_replay_cmd(const char *verb, int ksrc, const struct hmr_script *s, const struct hmr_explore_opts *o,
		    char *buf, size_t sz);
/* The hmrig binary as it was invoked (its argv[0]), which a report's replay
 * line names so that it can be pasted from where the user ran it; NULL in
 * the fuzz targets. */
extern const char *hmr_prog;

/* Options from the script's explore: line (or its defaults: the schedule: or
 * decisions: block if there is one, else exhaustive with bound 2). */
void hmr_explore_opts_from_script(const struct hmr_script *s, struct hmr_explore_opts *o);
/* o follows the script's own schedule: its decisions: block (a decision log)
 * if it has one, else its schedule: block (STRAT_SCHEDULE; without one, the
 * default policy). */
void hmr_explore_opts_follow(const struct hmr_script *s, struct hmr_explore_opts *o);
#endif
