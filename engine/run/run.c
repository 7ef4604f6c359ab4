/* run.c - the exploration loop: one chooser, many executions, first finding. */
#include "run/run.h"
#include "sim/choice.h"
#include "run/report.h"
#include "run/reset.h"
#include "sim/sched.h"
#include "sim/stress.h"
#include <stdio.h>
#include <string.h>

static struct hmr_chooser chooser;

void hmr_explore_opts_from_script(const struct hmr_script *s, struct hmr_explore_opts *o)
{
	memset(o, 0, sizeof(*o));
	if (s->has_explore) {
		o->strategy = s->explore.strategy;
		o->runs = s->explore.runs;
		if (!o->runs && s->explore.strategy != STRAT_EXHAUSTIVE)
			o->runs = 1000;
		o->seed = s->explore.seed;
		o->bound = s->explore.bound;
		o->depth = s->explore.depth;
	} else {
		o->strategy = s->has_schedule || s->has_decisions ? STRAT_SCHEDULE : STRAT_EXHAUSTIVE;
		o->bound = 2;
		o->depth = 3;
		o->runs = 0;
		o->seed = 1;
	}
	if (o->strategy == STRAT_SCHEDULE)
		hmr_explore_opts_follow(s, o);
}

void hmr_explore_opts_follow(const struct hmr_script *s, struct hmr_explore_opts *o)
{
	o->strategy = s->has_decisions ? STRAT__N : STRAT_SCHEDULE;
	o->log = s->has_decisions ? s->decisions : NULL;
	o->nlog = s->has_decisions ? (size_t)s->ndecisions : 0;
}

static int add_line(struct hmr_sched_line *out, int n, int max, int task, int hw, int site, int count, uint32_t va)
{
	if (n < 0 || n >= max)
		return -1;
	out[n].task = (uint8_t)task;
	out[n].hw = (uint8_t)hw;
	out[n].site = (int16_t)site;
	out[n].count = (uint16_t)count;
	out[n].va = va;
	out[n].line = out[n].col = 0;
	return n + 1;
}

static int add_hw(struct hmr_sched_line *out, int n, int max, int seg)
{
	for (int i = 0; i < W.nhw; i++)
		if (W.hw[i].seg == seg)
			n = add_line(out, n, max, W.hw[i].task, W.hw[i].kind, -1, W.hw[i].op, W.hw[i].va);
	return n;
}

int hmr_followed_schedule(struct hmr_sched_line *out, int max)
{
	int n = 0;
	if (W.seg_overflow)
		return -1;
	for (int i = 0; i < W.nseg; i++) {
		n = add_line(out, n, max, W.seg[i].task, HW_NONE, W.seg[i].site, W.seg[i].count, 0);
		n = add_hw(out, n, max, i);
	}
	if (W.last_task >= 0)
		n = add_line(out, n, max, W.last_task, HW_NONE, -1, 1, 0);
	return add_hw(out, n, max, W.nseg);
}

/* The execution now in W as a decision log: rank per decision, up to the last
 * nonzero one. Returns its length, or -1 if W took decisions past what it
 * records and its chooser did not take the default there (choice.c). */
static int decision_log(uint8_t *out)
{
	int n = 0;
	if (W.ndec > HMR_MAX_DECISIONS &&
	    (hmr_cur_chooser->strategy == STRAT_SCHEDULE || hmr_cur_chooser->stress))
		return -1;
	for (int i = 0; i < W.ndec && i < HMR_MAX_DECISIONS; i++) {
		out[i] = (uint8_t)hmr_decision_rank(&W.dec[i]);
		if (out[i])
			n = i + 1;
	}
	return n;
}

void hmr_result_keep_schedule(struct hmr_result *r)
{
	r->nsched = hmr_followed_schedule(r->sched, HMR_MAX_SCHED);
	r->ndecisions = r->nsched < 0 ? decision_log(r->decisions) : 0;
}

int hmr_adopt_schedule(struct hmr_script *s, const struct hmr_result *r)
{
	s->has_schedule = r->nsched > 0;	/* no tasks: nothing to schedule */
	s->nsched = r->nsched > 0 ? r->nsched : 0;
	memcpy(s->sched, r->sched, sizeof(s->sched[0]) * (size_t)s->nsched);
	s->has_decisions = r->nsched < 0 && r->ndecisions >= 0;
	s->ndecisions = s->has_decisions ? r->ndecisions : 0;
	s->dec_line = 0;
	memcpy(s->decisions, r->decisions, (size_t)s->ndecisions);
	return r->nsched < 0 && !s->has_decisions ? -1 : 0;
}

size_t hmr_decision_bytes(uint8_t *out, size_t cap)
{
	size_t n = 0, last = 0;
	for (int i = 0; i < W.ndec && i < HMR_MAX_DECISIONS && n < cap; i++) {
		const struct hmr_decision *d = &W.dec[i];
		int base = d->hw || d->def == 0xff ? 0 : d->def;
		out[n++] = (uint8_t)((d->chosen - base + d->n) % d->n);
		if (out[n - 1])
			last = n;
	}
	return last;
}

int hmr_result_error(struct hmr_result *r)
{
	if (!W.sched_err[0] && !W.rig_fail[0])
		return 0;
	r->input_error = W.sched_err[0] != 0;
	r->rig_fail = !r->input_error;
	snprintf(r->err, sizeof(r->err), "%s", r->input_error ? W.sched_err : W.rig_fail);
	return 1;
}

const char *hmr_prog;

void hmr_replay_cmd(const char *verb, int ksrc, const struct hmr_script *s, const struct hmr_explore_opts *o,
		    char *buf, size_t sz)
{
	char cmd[5000];
	snprintf(cmd, sizeof(cmd), "%s %s %s%s%s", hmr_prog ? hmr_prog : ksrc ? "build/hmrig-ksrc" : "build/hmrig",
		 verb, s->file, o->args && *o->args ? " " : "", o->args ? o->args : "");
	if (((o->strategy == STRAT_SCHEDULE || o->strategy == STRAT__N) && !o->sched_override) ||
	    o->strategy == STRAT_BYTES) {
		snprintf(buf, sz, "%s", cmd);	/* it replays itself */
		return;
	}
	if (!W.seg_overflow && W.nseg + 1 + W.nhw <= HMR_MAX_SCHED) {
		static char sched[1 << 15];
		size_t n = hmr_schedule_str(sched, sizeof(sched));
		if (n < sizeof(sched) - 1 && snprintf(buf, sz, "%s --schedule='%s'", cmd, sched) < (int)sz)
			return;
	}
	size_t n = (size_t)snprintf(buf, sz, "%s --decisions=", cmd);
	int first = 1;
	for (int i = 0; i < W.ndec && i < HMR_MAX_DECISIONS && n < sz; i++) {
		int r = hmr_decision_rank(&W.dec[i]);
		if (r)
			n += (size_t)snprintf(buf + n, sz - n, "%s%d:%d", first ? "" : ",", i, r), first = 0;
	}
	if (first && n < sz)
		snprintf(buf + n, sz - n, "0:0");
}

/* The seed of a fuzz input's derived schedules: FNV-1a over its decision
 * bytes and its tasks' ops, so a mutation of either moves them. */
static uint64_t derived_seed(const struct hmr_script *s, const struct hmr_explore_opts *o)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < o->nbytes; i++)
		h = (h ^ o->bytes[i]) * 0x100000001b3ull;
	for (int t = 0; t < s->ntasks; t++)
		for (int i = 0; i < s->task[t].nops; i++)
			h = (h ^ (uint64_t)s->task[t].ops[i].code << 16 ^ s->task[t].ops[i].page[0]) * 0x100000001b3ull;
	return h;
}

/* The execution now in W found something without its event log: run it
 * again from its decisions with the log, for the names and the report. The
 * same decisions give the same execution; anything else is the rig's bug. */
static void again_with_events(const struct hmr_script *s)
{
	static uint8_t log[HMR_MAX_DECISIONS];
	static struct hmr_chooser lc;
	struct hmr_chooser *was = hmr_cur_chooser;
	int n = W.ndec < HMR_MAX_DECISIONS ? W.ndec : HMR_MAX_DECISIONS, kind = hmr_found.kind;
	uint32_t steps = W.step;

	for (int i = 0; i < n; i++)
		log[i] = (uint8_t)hmr_decision_rank(&W.dec[i]);
	hmr_chooser_init_log(&lc, log, (size_t)n);
	hmr_cur_chooser = &lc;
	hmr_events_off = 0;
	hmr_chooser_begin(&lc);
	hmr_world_reset(s);
	hmr_run();
	hmr_events_off = 1;
	hmr_cur_chooser = was;
	if (!W.sched_err[0] && !W.rig_fail[0] && (hmr_found.kind != kind || W.step != steps))
		snprintf(W.rig_fail, sizeof(W.rig_fail), "an execution found %s in %u steps without its event log and "
			 "%s in %u with it", hmr_kinds[kind].name, steps, hmr_found.kind >= 0 ? hmr_kinds[hmr_found.kind].name :
			 "nothing", W.step);
}

static void explore(const struct hmr_script *s, const struct hmr_explore_opts *o, struct hmr_result *r)
{
	static struct hmr_chooser derived[2];	/* PCT, random */
	struct hmr_chooser *c = &chooser;
	memset(r, 0, offsetof(struct hmr_result, replay));
	r->replay[0] = r->report[0] = 0;
	r->kind = -1;
	if (o->strategy == STRAT__N) {
		hmr_chooser_init_log(c, o->log, o->nlog);
		c->script = o->sched_override ? NULL : s;	/* its decisions: block */
	} else if (o->strategy == STRAT_BYTES)
		hmr_chooser_init_bytes(c, o->bytes, o->nbytes);
	else
		hmr_chooser_init(c, o->strategy, s, o->seed, o->bound, o->depth);
	c->stress = o->stress;
	if (o->stress)
		hmr_stress_init(o->seed);
	hmr_cur_chooser = c;
	int single = o->strategy == STRAT_SCHEDULE || o->strategy == STRAT__N || o->strategy == STRAT_BYTES;
	for (;;) {
		hmr_chooser_begin(c);
		hmr_world_reset(s);
		hmr_run();
		r->executions++;
		r->steps += W.step;
		if (hmr_events_off && hmr_found.kind >= 0 && !W.sched_err[0] && !W.rig_fail[0] &&
		    (r->kind < 0 || o->want_title))
			again_with_events(s);
		if (hmr_result_error(r))
			return;
		if (hmr_found.kind >= 0 && o->want_title) {
			char title[160];
			hmr_title(title, sizeof(title));
			if (strcmp(title, o->want_title))
				hmr_found.kind = -1;	/* another finding: keep looking */
		}
		if (hmr_found.kind >= 0) {
			r->failing++;
			if (r->kind < 0) {
				r->kind = hmr_found.kind;
				r->first_at = r->executions;
				hmr_title(r->title, sizeof(r->title));
				r->signature = hmr_signature(r->title);
				hmr_replay_cmd("replay", W.prof->ksrc != NULL, s, o, r->replay, sizeof(r->replay));
				hmr_report(r->report, sizeof(r->report), r->replay);
				hmr_result_keep_schedule(r);
			}
			if (!o->keep_going)
				return;
		}
		if (single) {	/* one execution (keep its schedule, finding or not), and a
				 * fuzz input's derived ones until one finds something */
			if (r->kind < 0 && r->executions == 1)
				hmr_result_keep_schedule(r);
			if (o->strategy != STRAT_BYTES || r->executions > o->derived || r->kind >= 0)
				return;
			if (r->executions == 1) {
				uint64_t seed = derived_seed(s, o);
				hmr_chooser_init(&derived[0], STRAT_PCT, s, seed, 0, 3);
				hmr_chooser_init(&derived[1], STRAT_RANDOM, s, seed, 0, 0);
			} else {
				hmr_chooser_next(c);	/* PCT learns the execution's length */
			}
			hmr_cur_chooser = c = &derived[r->executions & 1];
			continue;
		}
		if (!hmr_chooser_next(c))
			return;
		if (o->runs && r->executions >= o->runs)
			return;
		if (o->stop && o->stop(r))
			return;
	}
}

void hmr_explore(const struct hmr_script *s, const struct hmr_explore_opts *o, struct hmr_result *r)
{
#ifndef HMR_TSAN	/* TSan reports a race once: a second run would not see it */
	hmr_events_off = o->lazy_events;
#endif
	explore(s, o, r);
	hmr_events_off = 0;
}
