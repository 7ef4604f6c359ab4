/* choice.c - the decision strategies behind choose() (see choice.h).
 *
 * Decisions are recorded in W.dec as (n, position, default) so an execution can
 * be replayed, counted and turned into a symbolic schedule. Internally a choice is
 * kept as a rank: rank 0 is the default (the running task continues, or nothing
 * happens), ranks 1.. are the alternatives in ascending position. Every rank but
 * 0 at a point with a default costs one preemption, which is what the exhaustive
 * search bounds. */
#include "sim/choice.h"
#include "sim/world.h"
#include "sim/sched.h"
#include "sim/stress.h"
#include <stdio.h>
#include <string.h>

struct hmr_chooser *hmr_cur_chooser;

uint64_t hmr_rand64(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(struct hmr_chooser *c, unsigned n)
{
	return (unsigned)(hmr_rand64(&c->rng) % n);
}

void hmr_chooser_init(struct hmr_chooser *c, int strategy, const struct hmr_script *s,
		      uint64_t seed, int bound, int depth)
{
	memset(c, 0, offsetof(struct hmr_chooser, pre));
	c->strategy = strategy;
	c->script = s;
	c->seed = seed;
	c->bound = bound;
	c->depth = depth < 1 ? 1 : depth > 16 ? 16 : depth;
	c->kest = 64;
}

void hmr_chooser_init_log(struct hmr_chooser *c, const uint8_t *log, size_t n)
{
	hmr_chooser_init(c, STRAT__N, NULL, 0, 0, 1);
	c->npre = n > sizeof(c->pre) / sizeof(c->pre[0]) ? (int)(sizeof(c->pre) / sizeof(c->pre[0])) : (int)n;
	for (int i = 0; i < c->npre; i++)
		c->pre[i] = log[i];
}

void hmr_chooser_init_bytes(struct hmr_chooser *c, const uint8_t *b, size_t n)
{
	hmr_chooser_init(c, STRAT_BYTES, NULL, 0, 0, 1);
	c->bytes = b;
	c->nbytes = n;
}

void hmr_chooser_begin(struct hmr_chooser *c)
{
	uint64_t s = c->seed ^ (0x2545f4914f6cdd1dull * (uint64_t)(c->run + 1));
	c->rng = hmr_rand64(&s);
	c->run++;
	c->sl = 0;
	c->pos = 0;
	c->ndecided = 0;
	if (c->strategy == STRAT_PCT) {
		int nt = c->script ? c->script->ntasks : HMR_MAX_TASKS;
		for (int i = 0; i < nt; i++)
			c->prio[i] = c->depth + i;
		for (int i = nt - 1; i > 0; i--) {	/* random priority order */
			int j = (int)below(c, (unsigned)i + 1), t = c->prio[i];
			c->prio[i] = c->prio[j];
			c->prio[j] = t;
		}
		for (int i = 0; i < c->depth - 1; i++)
			c->change[i] = 1 + (long)below(c, (unsigned)c->kest);
	}
}

static int pos_of_rank(int rank, int def)
{
	if (def < 0)
		return rank;
	if (rank == 0)
		return def;
	return rank - 1 < def ? rank - 1 : rank;
}

static int rank_of_pos(int pos, int def)
{
	if (def < 0)
		return pos;
	if (pos == def)
		return 0;
	return pos < def ? pos + 1 : pos;
}

int hmr_decision_rank(const struct hmr_decision *d)
{
	return rank_of_pos(d->chosen, d->def == 0xff ? -1 : d->def);
}

static int record(int n, int pos, int def, int hw, int site)
{
	if (W.ndec < HMR_MAX_DECISIONS) {
		struct hmr_decision *d = &W.dec[W.ndec];
		d->n = (uint16_t)n;
		d->chosen = (uint16_t)pos;
		d->def = def < 0 ? 0xff : (uint8_t)def;
		d->hw = (uint8_t)hw;
		d->site = (uint8_t)site;
		d->task = W.cur ? (uint8_t)W.cur->id : 0xff;
	}
	W.ndec++;
	return pos;
}

_Static_assert(HMR_MAX_TASKS - 1 <= HMR_MAX_RANK, "a task decision's options fit a decision's ranks");

/* A scenario's decisions: block names a choice this decision does not have. */
static void bad_rank(const struct hmr_chooser *c, int k, int r, int n)
{
	snprintf(W.sched_err, sizeof(W.sched_err),
		 "%s:%d:1: error: decisions: decision %d has %d options (ranks 0 to %d), not rank %d (at step %u)",
		 c->script->file, c->script->dec_line, k, n, n - 1, r, W.step);
}

/* Rank from a prefix (exhaustive, log) or the default beyond it. */
static int prefix_rank(struct hmr_chooser *c, int n)
{
	int k = W.ndec;
	int r = k < c->npre ? c->pre[k] : 0;
	if (r >= n && c->strategy == STRAT__N && c->script)
		bad_rank(c, k, r, n);
	return r < n ? r : 0;
}

/* Past HMR_MAX_DECISIONS nothing is recorded, so nothing could be replayed
 * from a log or written down as one: every strategy but a schedule: block
 * (which names sites, not decisions) takes the default from there on. */
static int past_log(const struct hmr_chooser *c)
{
	return W.ndec >= HMR_MAX_DECISIONS && c->strategy != STRAT_SCHEDULE && !c->stress;
}

static int find_task(int n, const uint8_t *tid, int id)
{
	for (int i = 0; i < n; i++)
		if (tid[i] == id)
			return i;
	return -1;
}

/* The first task line at or after i (hardware lines are looked up apart). */
static int task_line(const struct hmr_script *s, int i)
{
	while (i < s->nsched && s->sched[i].hw)
		i++;
	return i;
}

static int schedule_pick(struct hmr_chooser *c, int n, const uint8_t *tid, int cur, int site)
{
	const struct hmr_script *s = c->script;
	c->sl = task_line(s, c->sl);
	if (cur >= 0) {
		const struct hmr_sched_line *l = c->sl < s->nsched ? &s->sched[c->sl] : NULL;
		const struct hmr_task *t = &W.task[tid[cur]];
		if (!l || l->task != tid[cur] || l->site != site || t->seg_cnt[site] != l->count)
			return cur;
		c->sl = task_line(s, c->sl + 1);
		if (c->sl < s->nsched && s->sched[c->sl].task == tid[cur]) {
			hmr_sched_cut(tid[cur], site);	/* the next line counts afresh */
			return cur;
		}
	} else if (W.cur && c->sl < s->nsched && s->sched[c->sl].task == W.cur->id && W.step > 0) {
		c->sl = task_line(s, c->sl + 1);	/* its task ended or blocked: the line is done */
	}
	if (c->sl >= s->nsched)
		return cur >= 0 ? cur : 0;
	const struct hmr_sched_line *l = &s->sched[c->sl];
	int p = find_task(n, tid, l->task);
	if (p < 0) {
		snprintf(W.sched_err, sizeof(W.sched_err),
			 "%s:%d:%d: error: schedule: task %s cannot run here (it is blocked, finished or not preemptible at step %u)",
			 s->file, l->line, l->col, s->task[l->task].name, W.step);
		return cur >= 0 ? cur : 0;
	}
	return p;
}

static int pct_pick(struct hmr_chooser *c, int n, const uint8_t *tid, int cur)
{
	c->ndecided++;
	for (int i = 0; i < c->depth - 1; i++)
		if (c->change[i] == c->ndecided && W.cur)
			c->prio[W.cur->id] = i;		/* lower than every initial priority */
	int best = 0;
	for (int i = 1; i < n; i++)
		if (c->prio[tid[i]] > c->prio[tid[best]])
			best = i;
	(void)cur;
	return best;
}

int hmr_choose_task(struct hmr_chooser *c, int n, const uint8_t *tid, int cur, int site)
{
	int pos;
	if (hmr_no_decision(c, n))
		return 0;
	if (past_log(c))
		return record(n, cur >= 0 ? cur : 0, cur, 0, site);
	if (c->stress)
		return record(n, hmr_stress_pick(n, tid), cur, 0, site);
	switch (c->strategy) {
	case STRAT_SCHEDULE:
		pos = schedule_pick(c, n, tid, cur, site);
		break;
	case STRAT_RANDOM:
		/* Sticky: the running task keeps going with probability 7/8, so
		 * one task can make the long runs many races need (a wrap of the
		 * pkmap window inside another task's maintenance loop); uniform
		 * switching at every point almost never does. */
		if (cur >= 0 && below(c, 8) != 0)
			pos = cur;
		else
			pos = (int)below(c, (unsigned)n);
		break;
	case STRAT_PCT:
		pos = pct_pick(c, n, tid, cur);
		break;
	case STRAT_BYTES: {
		unsigned b = c->pos < c->nbytes ? c->bytes[c->pos++] : 0;
		pos = (int)(((cur >= 0 ? (unsigned)cur : 0u) + b) % (unsigned)n);
		break;
	}
	default:	/* exhaustive and decision logs follow a prefix of ranks */
		pos = pos_of_rank(prefix_rank(c, n), cur);
		break;
	}
	return n > 1 ? record(n, pos, cur, 0, site) : pos;
}

/* The schedule's hardware line for this choice of the running task, as an
 * option number: 0 if there is none. */
static int schedule_hw(struct hmr_chooser *c, int n, int kind, const uint32_t *va)
{
	const struct hmr_script *s = c->script;
	for (int i = 0; i < s->nsched; i++) {
		const struct hmr_sched_line *l = &s->sched[i];
		if (l->hw != kind || l->task != W.cur->id || l->count != W.cur->pc + 1)
			continue;
		for (int k = 1; k < n; k++)
			if (va[k - 1] == l->va)
				return k;
		snprintf(W.sched_err, sizeof(W.sched_err),
			 "%s:%d:%d: error: schedule: task %s cannot %s 0x%08x before op %u: no such %s then",
			 s->file, l->line, l->col, W.cur->def->name, hmr_hw_names[kind], l->va, l->count,
			 kind == HW_EVICT ? "dirty line" : "mapped page");
		return 0;
	}
	return 0;
}

int hmr_choose_hw(struct hmr_chooser *c, int n, int kind, const uint32_t *va)
{
	int pos = 0;
	if (n < 2)
		return 0;	/* nothing to choose: no decision (as for tasks) */
	if (past_log(c))
		return record(n, 0, 0, 1, HMR_SITE_op_begin);
	switch (c->strategy) {
	case STRAT_SCHEDULE:
		pos = schedule_hw(c, n, kind, va);
		break;
	case STRAT_RANDOM:
	case STRAT_PCT:
		if (below(c, c->strategy == STRAT_PCT ? 8 : 4) == 0)
			pos = 1 + (int)below(c, (unsigned)n - 1);
		break;
	case STRAT_BYTES:
		pos = c->pos < c->nbytes ? c->bytes[c->pos++] % n : 0;
		break;
	default:
		pos = prefix_rank(c, n);
		break;
	}
	if (pos && W.nhw < (int)(sizeof(W.hw) / sizeof(W.hw[0]))) {
		struct hmr_hwrec *h = &W.hw[W.nhw++];
		h->task = (uint8_t)W.cur->id;
		h->kind = (uint8_t)kind;
		h->op = (uint16_t)(W.cur->pc + 1);
		h->va = va[pos - 1];
		h->seg = W.nseg;
	} else if (pos) {
		W.seg_overflow = 1;
	}
	return record(n, pos, 0, 1, HMR_SITE_op_begin);
}

int hmr_chooser_next(struct hmr_chooser *c)
{
	if (c->strategy == STRAT_PCT && c->ndecided > c->kest)
		c->kest = c->ndecided;
	if (c->strategy != STRAT_EXHAUSTIVE)
		return 1;
	int nd = W.ndec < HMR_MAX_DECISIONS ? W.ndec : HMR_MAX_DECISIONS;
	static int used[HMR_MAX_DECISIONS + 1];
	used[0] = 0;
	for (int i = 0; i < nd; i++) {
		const struct hmr_decision *d = &W.dec[i];
		int def = d->def == 0xff ? -1 : d->def;
		used[i + 1] = used[i] + (def >= 0 && d->chosen != def);
	}
	for (int i = nd - 1; i >= 0; i--) {
		const struct hmr_decision *d = &W.dec[i];
		int def = d->def == 0xff ? -1 : d->def;
		int r = rank_of_pos(d->chosen, def) + 1;
		/* every rank above 0 costs the same, so the next one fits iff any does */
		if (r < d->n && used[i] + (def >= 0) <= c->bound) {
			for (int k = 0; k < i; k++)
				c->pre[k] = (uint16_t)rank_of_pos(W.dec[k].chosen,
								   W.dec[k].def == 0xff ? -1 : W.dec[k].def);
			c->pre[i] = (uint16_t)r;
			c->npre = i + 1;
			return 1;
		}
	}
	c->exhausted = 1;
	return 0;
}
