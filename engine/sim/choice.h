/* choice.h - the one source of nondeterminism (README "Architecture").
 *
 * Every decision of an execution - which task runs next, whether an interrupt is
 * delivered, whether the cache evicts or speculates - is made here, by one of the
 * strategies: a schedule: block, seeded random, PCT, bounded exhaustive search
 * (stateless DFS with a preemption bound), fuzz bytes, or a decision log. */
#ifndef HMR_CHOICE_H
#define HMR_CHOICE_H
#include <stddef.h>
#include <stdint.h>
#include "format/script.h"

struct hmr_chooser {
	int strategy;			/* enum hmr_strategy, or STRAT__N for a decision log */
	int stress;			/* tasks race on real threads (stress.c); hardware
					 * choices as the strategy says */
	uint64_t only_sites;		/* nonzero: switch only at these sites (bit per
					 * site) or where a task blocks (hmrig diff) */
	uint64_t seed;			/* exploration seed (random, pct) */
	uint64_t rng;			/* this execution's PRNG state */
	long run;			/* executions started so far */

	/* schedule: block; with a decision log, the scenario whose decisions:
	 * block it is (a rank a decision lacks is then an input error), or NULL */
	const struct hmr_script *script;
	int sl;				/* current schedule line */

	/* PCT */
	int depth;
	long kest;			/* estimated decisions per execution */
	int prio[HMR_MAX_TASKS];
	long change[16];		/* decision numbers where priorities drop */
	long ndecided;

	/* exhaustive DFS: the prefix to follow in the next execution */
	int bound;
	int npre;
	uint16_t pre[1 << 16];
	int exhausted;

	/* fuzz bytes or a decision log */
	const uint8_t *bytes;
	size_t nbytes, pos;
};

/* Prepare for an exploration. */
void hmr_chooser_init(struct hmr_chooser *c, int strategy, const struct hmr_script *s,
		      uint64_t seed, int bound, int depth);
/* Decision-log replay: the rank of each decision's choice (0 the default),
 * one byte each; the decisions past n take the default. */
void hmr_chooser_init_log(struct hmr_chooser *c, const uint8_t *log, size_t n);
/* Fuzz bytes: each decision takes one byte; 0 means "the default". */
void hmr_chooser_init_bytes(struct hmr_chooser *c, const uint8_t *b, size_t n);
/* Start an execution (derives its PRNG state from seed and run number). */
void hmr_chooser_begin(struct hmr_chooser *c);
/* After an execution: exhaustive advances to the next unexplored prefix; returns
 * 0 when the search space (within the bound) is exhausted, 1 otherwise. */
int hmr_chooser_next(struct hmr_chooser *c);

/* A point with one runnable task is no decision: it takes no fuzz byte, no
 * PRNG draw and no place in the log (a schedule: block still counts it). */
static inline int hmr_no_decision(const struct hmr_chooser *c, int n)
{
	return n == 1 && c->strategy != STRAT_SCHEDULE;
}

/* Decide which of n enabled tasks runs. tid[] are their task ids in ascending
 * order; cur is the position of the task that would simply continue (-1 if it
 * cannot). site is the point reached. Returns a position in tid[]. */
int hmr_choose_task(struct hmr_chooser *c, int n, const uint8_t *tid, int cur, int site);
/* A hardware choice of the running task among n options: option 0 is
 * "nothing happens", option i >= 1 acts on va[i - 1] (the line to evict or
 * the page to fill speculatively; kind is HW_EVICT or HW_SPECULATE). */
int hmr_choose_hw(struct hmr_chooser *c, int n, int kind, const uint32_t *va);

/* The rank of a recorded decision: 0 for the default, 1.. for the others. */
struct hmr_decision;
int hmr_decision_rank(const struct hmr_decision *d);

/* The chooser of the execution in progress (set by the runner). */
extern struct hmr_chooser *hmr_cur_chooser;

/* splitmix64: the PRNG used everywhere a seed is expanded. */
uint64_t hmr_rand64(uint64_t *state);
#endif
