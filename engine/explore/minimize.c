/* minimize.c - the minimizer (README "Quick start").
 *
 * Order: drop tasks, drop operations (ddmin), drop preemptions, move the
 * remaining preemptions to the latest point that still fails, shrink the
 * config (CPUs, slots, pages), drop switches; repeat until nothing changes.
 * Every candidate is checked by running it: it must give exactly the target
 * title. A candidate keeps its schedule: block when that still reproduces;
 * when an edit to the operations or config broke it, a small seeded search
 * (exhaustive to bound 1, PCT, random) looks for a schedule that does, and the
 * schedule actually followed becomes the candidate's block. Schedule edits are
 * checked without search, so they are really kept or really dropped.
 *
 * A reproducer must stay a fair program. When the input follows the kernel
 * API rules (format/tidy.h), every candidate is tidied before it runs - a
 * dropped kmap takes its kunmap with it, a dropped kunmap comes back at the
 * task's end - so no candidate leaks, nests or misuses where the input did
 * not. When the finding needs bug switches and the input without them is
 * silent, every candidate kept must be silent without them too: the bug
 * stays the switches' and does not become a misuse that any kernel reports.
 * The same holds for a fixed twin named by the caller (a later kernel).
 * Invariant: the current best script always reproduces the target title with
 * its own schedule: block, and keeps both properties the input had. */
#include "explore/minimize.h"
#include "format/tidy.h"
#include "run/run.h"
#include <stdlib.h>
#include <string.h>

enum { SEARCH_RUNS = 2000, SILENCE_RUNS = 2000 };

struct min {
	const char *title;
	struct hmr_min_stats *st;
	FILE *progress;
	int tidy;		/* the input follows the API rules: so does every candidate */
	int fixed;		/* every candidate is silent on this profile with these
				 * switches, as the input is (else 0: nothing to keep) */
	int fixed_profile;
	uint32_t fixed_switches;
	struct hmr_script best;
	struct hmr_script cand;
	struct hmr_script twin;
	struct hmr_result res;
	char text[1 << 20];
};

int hmr_script_ops(const struct hmr_script *s)
{
	int n = 0;
	for (int t = 0; t < s->ntasks; t++)
		n += s->task[t].nops;
	return n;
}

int hmr_script_preemptions(const struct hmr_script *s)
{
	int n = 0;
	for (int i = 0; i < s->nsched; i++)
		n += !s->sched[i].hw && s->sched[i].site >= 0;
	return n;
}

/* Print and re-parse: a candidate must be a valid scenario, and the parsed
 * copy has line numbers that match the text the minimizer will print. */
static int normalise(struct min *m, struct hmr_script *s)
{
	static struct hmr_script parsed;
	char err[600];
	int n = hmr_scn_print(s, m->text, sizeof(m->text));
	if (n <= 0 || (size_t)n >= sizeof(m->text))
		return 0;
	if (hmr_scn_parse(m->text, (size_t)n, s->file, &parsed, err, sizeof(err)) < 0)
		return 0;
	hmr_script_copy(s, &parsed);
	return 1;
}

static int run(struct min *m, struct hmr_script *s, int strategy, int bound, long runs)
{
	struct hmr_explore_opts o;
	memset(&o, 0, sizeof(o));
	o.strategy = strategy;
	o.bound = bound;
	o.depth = 3;
	o.seed = 1;
	o.runs = runs;
	o.want_title = m->title;
	hmr_explore(s, &o, &m->res);
	m->st->tests++;
	if (m->res.kind < 0 || m->res.input_error || m->res.rig_fail || m->res.nsched < 0)
		return 0;
	s->has_schedule = 1;	/* adopt the schedule the execution followed */
	s->nsched = m->res.nsched;
	memcpy(s->sched, m->res.sched, sizeof(s->sched[0]) * (size_t)m->res.nsched);
	return normalise(m, s);
}

/* Does s give the target title? With its own schedule, or (search) any.
 * A tidy input's candidate is tidied first. */
static int reproduces(struct min *m, struct hmr_script *s, int search)
{
	static struct hmr_script keep;
	if (m->tidy)
		hmr_script_tidy_rules(s);
	if (!normalise(m, s))
		return 0;
	hmr_script_copy(&keep, s);
	if (s->has_schedule && run(m, s, STRAT_SCHEDULE, 0, 1))
		return 1;
	if (!search)
		return 0;
	static const struct { int strategy, bound; } plan[] = {
		{ STRAT_EXHAUSTIVE, 1 }, { STRAT_PCT, 0 }, { STRAT_RANDOM, 0 },
	};
	for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
		hmr_script_copy(s, &keep);
		hmr_script_drop_schedule(s);
		if (run(m, s, plan[i].strategy, plan[i].bound, SEARCH_RUNS))
			return 1;
	}
	return 0;
}

/* s on the fixed profile and switches gives nothing: exhaustive to bound 2
 * and PCT, SILENCE_RUNS executions each. */
static int silent_when_fixed(struct min *m, const struct hmr_script *s)
{
	static const int plan[] = { STRAT_EXHAUSTIVE, STRAT_PCT };
	struct hmr_explore_opts o;
	for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
		hmr_script_copy(&m->twin, s);
		m->twin.profile = m->fixed_profile;
		m->twin.switches = m->fixed_switches;
		hmr_script_drop_schedule(&m->twin);
		memset(&o, 0, sizeof(o));
		o.strategy = plan[i];
		o.bound = 2;
		o.depth = 3;
		o.seed = 1;
		o.runs = SILENCE_RUNS;
		o.lazy_events = 1;
		hmr_explore(&m->twin, &o, &m->res);
		m->st->tests++;
		if (m->res.kind >= 0 || m->res.input_error || m->res.rig_fail)
			return 0;
	}
	return 1;
}

/* The edits: to the program (ops, config, switches), which may need another
 * schedule and may change what the fixed kernel does; or to the schedule
 * alone, which is checked as it stands and leaves the fixed run as it was. */
enum { SCHEDULE_EDIT, PROGRAM_EDIT };

/* Accept the candidate if it reproduces, is no larger (smaller, if shrink)
 * and is silent when fixed where the input was. */
static int try_cand(struct min *m, int edit, int shrink)
{
	if (!reproduces(m, &m->cand, edit == PROGRAM_EDIT))
		return 0;
	if (hmr_script_ops(&m->cand) > hmr_script_ops(&m->best) - shrink)
		return 0;
	if (m->fixed && edit == PROGRAM_EDIT && !silent_when_fixed(m, &m->cand))
		return 0;
	m->best = m->cand;
	return 1;
}

/* ---- edits ---- */

/* cand = best without the ops marked in drop[] (global op order); tasks left
 * empty disappear with their schedule lines; hardware lines follow their ops. */
static void drop_ops(struct min *m, const uint8_t *drop)
{
	const struct hmr_script *b = &m->best;
	struct hmr_script *c = &m->cand;
	int newid[HMR_MAX_TASKS], g = 0;
	int shift[HMR_MAX_TASKS][HMR_MAX_OPS + 1];

	hmr_script_copy(c, b);
	c->ntasks = 0;
	for (int t = 0; t < b->ntasks; t++) {
		/* Copied in place, then the kept ops moved up: c is not b, and
		 * c->ntasks <= t. */
		struct hmr_task_def *d = &c->task[c->ntasks];
		int n = 0, gone = 0;
		hmr_task_copy(d, &b->task[t]);
		for (int i = 0; i < d->nops; i++, g++) {
			shift[t][i] = drop[g] ? -1 : i - gone;
			gone += drop[g];
			if (!drop[g])
				d->ops[n++] = d->ops[i];
		}
		d->nops = (uint16_t)n;
		newid[t] = n ? c->ntasks : -1;
		c->ntasks += n > 0;
	}
	c->nsched = 0;
	for (int i = 0; i < b->nsched; i++) {
		struct hmr_sched_line l = b->sched[i];
		if (newid[l.task] < 0)
			continue;
		if (l.hw) {
			if (shift[l.task][l.count - 1] < 0)
				continue;
			l.count = (uint16_t)(shift[l.task][l.count - 1] + 1);
		}
		l.task = (uint8_t)newid[l.task];
		c->sched[c->nsched++] = l;
	}
}

static void say(struct min *m, const char *what)
{
	if (m->progress)
		fprintf(m->progress, "minimize: %-26s ops %d, preemptions %d, tests %ld\n", what,
			hmr_script_ops(&m->best), hmr_script_preemptions(&m->best), m->st->tests);
}

static void drop_tasks(struct min *m)
{
	for (int t = m->best.ntasks - 1; t >= 0 && m->best.ntasks > 1; t--) {
		uint8_t drop[HMR_MAX_TASKS * HMR_MAX_OPS] = { 0 };
		int g = 0;
		for (int k = 0; k < t; k++)
			g += m->best.task[k].nops;
		memset(drop + g, 1, m->best.task[t].nops);
		drop_ops(m, drop);
		try_cand(m, PROGRAM_EDIT, 1);
	}
}

/* ddmin over all operations: remove chunks, refining the granularity. */
static void drop_ops_ddmin(struct min *m)
{
	int n = 2;
	for (;;) {
		int total = hmr_script_ops(&m->best), reduced = 0;
		if (total < 2 || n > total)
			break;
		for (int k = 0; k < n && !reduced; k++) {
			uint8_t drop[HMR_MAX_TASKS * HMR_MAX_OPS] = { 0 };
			int lo = total * k / n, hi = total * (k + 1) / n;
			memset(drop + lo, 1, (size_t)(hi - lo));
			drop_ops(m, drop);
			reduced = try_cand(m, PROGRAM_EDIT, 1);
		}
		if (reduced) {
			n = n > 2 ? n - 1 : 2;
		} else if (n == total) {
			break;
		} else {
			n = n * 2 < total ? n * 2 : total;
		}
	}
}

/* Replace switches by "the task goes on": drop a schedule line, or its until. */
static void drop_preemptions(struct min *m)
{
	for (int i = 0; i < m->best.nsched; i++) {
		if (m->best.sched[i].hw || m->best.sched[i].site < 0)
			continue;
		m->cand = m->best;
		memmove(&m->cand.sched[i], &m->cand.sched[i + 1], sizeof(m->cand.sched[0]) * (size_t)(m->cand.nsched - i - 1));
		m->cand.nsched--;
		if (try_cand(m, SCHEDULE_EDIT, 0))
			continue;
		m->cand = m->best;
		m->cand.sched[i].site = -1;
		m->cand.sched[i].count = 1;
		try_cand(m, SCHEDULE_EDIT, 0);
	}
}

/* Move each remaining preemption to the latest point of its site that still fails. */
static void move_late(struct min *m)
{
	for (int i = 0; i < m->best.nsched; i++) {
		const struct hmr_sched_line *l = &m->best.sched[i];
		if (l->hw || l->site < 0)
			continue;
		for (int k = l->count + 1; k < 65535; k++) {
			m->cand = m->best;
			m->cand.sched[i].count = (uint16_t)k;
			if (!try_cand(m, SCHEDULE_EDIT, 0))
				break;
		}
	}
}

static int set_cfg(struct hmr_script *s, int id, int v)
{
	char err[200];
	if (v == s->cfg.v[id] || v < hmr_opts[id].lo)
		return 0;
	s->cfg.v[id] = v;
	s->cfg_set |= 1u << id;
	return hmr_config_validate(&s->cfg, err, sizeof(err)) == 0;
}

static void shrink_config(struct min *m)
{
	int maxcpu = 0, maxhigh = -1, maxlow = -1;
	const struct hmr_script *b = &m->best;
	for (int t = 0; t < b->ntasks; t++) {
		maxcpu = b->task[t].cpu > maxcpu ? b->task[t].cpu : maxcpu;
		for (int i = 0; i < b->task[t].nops; i++)
			for (int k = 0; k < b->task[t].ops[i].npages; k++) {
				uint16_t p = b->task[t].ops[i].page[k];
				int *mx = HMR_PAGE_IS_LOW(p) ? &maxlow : &maxhigh;
				*mx = (int)HMR_PAGE_NUM(p) > *mx ? (int)HMR_PAGE_NUM(p) : *mx;
			}
	}
	/* Each candidate from the current best: fewer CPUs, each task on CPU 0,
	 * halved pkmap slots, only the pages used. */
	m->cand = m->best;
	if (set_cfg(&m->cand, HMR_OPT_cpus, maxcpu + 1))
		try_cand(m, PROGRAM_EDIT, 0);
	for (int t = 0; t < m->best.ntasks; t++) {
		if (!m->best.task[t].cpu)
			continue;
		m->cand = m->best;
		m->cand.task[t].cpu = 0;
		try_cand(m, PROGRAM_EDIT, 0);
	}
	while (CFG(&m->best.cfg, last_pkmap) > 2) {
		m->cand = m->best;
		if (!set_cfg(&m->cand, HMR_OPT_last_pkmap, CFG(&m->best.cfg, last_pkmap) / 2) || !try_cand(m, PROGRAM_EDIT, 0))
			break;
	}
	m->cand = m->best;
	if (maxhigh >= 0 && set_cfg(&m->cand, HMR_OPT_highmem, maxhigh + 1))
		try_cand(m, PROGRAM_EDIT, 0);
	m->cand = m->best;
	if (set_cfg(&m->cand, HMR_OPT_lowmem, maxlow + 1 > 0 ? maxlow + 1 : 1))
		try_cand(m, PROGRAM_EDIT, 0);
}

static void drop_switches(struct min *m)
{
	for (int i = 0; i < 32; i++) {
		if (!(m->best.switches >> i & 1))
			continue;
		m->cand = m->best;
		m->cand.switches &= ~(1u << i);
		try_cand(m, PROGRAM_EDIT, 0);
	}
}

int hmr_minimize(const struct hmr_script *s, const struct hmr_script *fixed, struct hmr_script *out,
		 struct hmr_min_stats *st, FILE *progress)
{
	struct min *m = calloc(1, sizeof(*m));
	struct hmr_explore_opts o;
	int rc = -1;

	memset(st, 0, sizeof(*st));
	if (!m)
		return -1;
	m->st = st;
	m->progress = progress;
	hmr_script_copy(&m->best, s);
	/* The target: what the scenario gives as it stands. */
	hmr_explore_opts_from_script(s, &o);
	hmr_explore(s, &o, &m->res);
	if (m->res.kind < 0)
		goto out;
	snprintf(st->title, sizeof(st->title), "%s", m->res.title);
	m->title = st->title;
	int kind = m->res.kind;
	m->best.has_explore = 0;
	m->tidy = hmr_script_follows_rules(s);
	if (m->res.nsched >= 0) {
		hmr_adopt_schedule(&m->best, &m->res);
		if (!reproduces(m, &m->best, 0))
			goto out;	/* not reproducible from its own schedule: a rig bug */
	} else {
		/* Too long for a schedule: block, which the edits below work on:
		 * start from one the search finds for the same title. */
		hmr_script_drop_schedule(&m->best);
		if (!reproduces(m, &m->best, 1))
			goto out;
	}
	m->fixed = fixed || s->switches;
	m->fixed_profile = fixed ? fixed->profile : s->profile;
	m->fixed_switches = fixed ? fixed->switches : 0;
	st->tidy = m->tidy;
	st->silent = -1;
	if (m->fixed)
		st->silent = m->fixed = silent_when_fixed(m, &m->best);	/* else nothing to keep */
	st->ops0 = hmr_script_ops(&m->best);
	st->pre0 = hmr_script_preemptions(&m->best);
	say(m, "start");
	/* Rounds until one leaves the scenario text unchanged (at most 4). */
	static char before[1 << 20];
	for (int round = 0; round < 4; round++) {
		hmr_scn_print(&m->best, before, sizeof(before));
		drop_tasks(m);
		say(m, "drop tasks");
		drop_ops_ddmin(m);
		say(m, "drop operations");
		drop_preemptions(m);
		say(m, "drop preemptions");
		move_late(m);
		say(m, "move preemptions late");
		shrink_config(m);
		say(m, "shrink config");
		drop_switches(m);
		say(m, "drop switches");
		hmr_scn_print(&m->best, m->text, sizeof(m->text));
		if (!strcmp(before, m->text))
			break;
	}
	m->best.expect = kind;
	for (int i = 0; i < HMR_OPT__N; i++)	/* print only what differs from the defaults */
		if (m->best.cfg.v[i] == hmr_opts[i].def)
			m->best.cfg_set &= ~(1u << i);
	st->ops1 = hmr_script_ops(&m->best);
	st->pre1 = hmr_script_preemptions(&m->best);
	*out = m->best;
	rc = 0;
out:
	free(m);
	return rc;
}
