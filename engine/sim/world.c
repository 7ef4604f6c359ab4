/* world.c - the world W: the scheduler's part of its reset, the event log,
 * the end of an execution and the model-function stack used to name sites in
 * reports. */
#include "sim/world.h"
#include "sim/cov.h"
#include "sim/backend.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct hmr_world W;
uint8_t *hmr_cov_map;
uint32_t hmr_cov_mask;
uint8_t *hmr_cov_pairs;
void hmr_sched_reset(void);	/* sched.c */

int hmr_pfn_of(uint16_t page)
{
	return HMR_PAGE_IS_LOW(page) ? (int)HMR_PAGE_NUM(page) : W.nlow + (int)HMR_PAGE_NUM(page);
}

int hmr_pfn_is_high(int pfn) { return pfn >= W.nlow; }

const char *hmr_pfn_name(int pfn, char buf[8])
{
	if (pfn < 0)
		snprintf(buf, 8, "none");
	else if (pfn < W.nlow)
		snprintf(buf, 8, "l%d", pfn);
	else
		snprintf(buf, 8, "p%d", pfn - W.nlow);
	return buf;
}

void hmr_sim_reset(const struct hmr_script *s)
{
	const struct hmr_profile *p = &hmr_profiles[s->profile];
	W.script = s;
	W.prof = p;
	W.cfg = s->cfg;
	/* The default budget is for 512 ops (what 8 tasks of 64 could hold);
	 * a longer script gets as much again per 512 ops. */
	int ops = 0;
	for (int i = 0; i < s->ntasks; i++)
		ops += s->task[i].nops;
	if (!(s->cfg_set >> HMR_OPT_steps & 1) && ops > 512) {
		long v = (long)hmr_opts[HMR_OPT_steps].def * ((ops + 511) / 512);
		W.cfg.v[HMR_OPT_steps] = (int)(v < hmr_opts[HMR_OPT_steps].hi ? v : hmr_opts[HMR_OPT_steps].hi);
	}
	W.sw = s->switches;
	W.cache_mode = CFG(&W.cfg, cache) ? CFG(&W.cfg, cache) : p->cache_default;
	W.tlb_mode = CFG(&W.cfg, tlb) ? CFG(&W.cfg, tlb) : p->tlb_default;
	/* E16: HIGH_GET kept on SMP parts whose TLB flush is an IPI broadcast. */
	if (SW(highget_irqs_off_ipi))
		W.tlb_mode = TLB_IPI;
	W.P = (uint32_t)CFG(&W.cfg, page_size);
	W.L = (uint32_t)CFG(&W.cfg, line_size);
	W.nlow = CFG(&W.cfg, lowmem);
	W.nhigh = CFG(&W.cfg, highmem);
	W.npfn = W.nlow + W.nhigh;
	W.ncpu = CFG(&W.cfg, cpus);
	W.ntask = s->ntasks;
	W.last_pkmap = CFG(&W.cfg, last_pkmap);
	W.colors = CFG(&W.cfg, colors);

	W.step = 0;
	W.last_site = 0;
	W.ended = 0;
	W.sched_err[0] = 0;
	W.rig_fail[0] = 0;
	W.ndec = 0;
	W.nseg = 0;
	W.seg_overflow = 0;
	W.nhw = 0;
	W.nev = 0;

	hmr_cov(COV_START, 0, 0);	/* the fuzzers need one counter set on any input */
	hmr_sched_reset();
	hmr_race_reset();
}

int hmr_events_off;

struct hmr_event hmr_event_scratch;

struct hmr_event *hmr_event_append(int type, uint32_t a, uint32_t b, uint32_t c)
{
	struct hmr_event *e = W.nev < HMR_MAX_EVENTS ? &W.ev[W.nev] : &hmr_event_scratch;
	struct hmr_task *t = W.cur;
	W.nev += W.nev < HMR_MAX_EVENTS;
	e->step = W.step;
	e->type = (uint8_t)type;
	e->cpu = t ? (uint8_t)t->cpu : 0xff;
	e->task = t ? (uint8_t)t->id : 0xff;
	e->site = (uint8_t)W.last_site;
	e->op = t ? (int16_t)t->pc : -1;
	e->fn = t && t->nfn ? t->fn[t->nfn - 1 < 7 ? t->nfn - 1 : 7] : NULL;
	e->a = a;
	e->b = b;
	e->c = c;
	return e;
}

void hmr_rig_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(W.rig_fail, sizeof(W.rig_fail), fmt, ap);
	va_end(ap);
	hmr_end_execution();
}

void hmr_end_execution(void)
{
	W.ended = 1;
	if (W.cur) {
		struct hmr_task *t = W.cur;
		for (;;)
			hmr_switch(&t->fib, &W.main);
	}
}

void hmr_fn_enter(const char *fn)
{
	struct hmr_task *t = W.cur;
	if (t->nfn < 8)
		t->fn[t->nfn] = fn;
	t->nfn++;
}

void hmr_fn_leave(void) { W.cur->nfn--; }

