/* script.c - defaults and name tables shared by the scenario parser, the printer
 * and the fuzz decoder. A freshly initialised script is a valid empty world:
 * default config, no profile (the parser insists on one), nothing expected. */
#include <stddef.h>	/* before script.h, which uses size_t without it */
#include <stdio.h>
#include <string.h>
#include "format/script.h"

const char *const hmr_km_names[KM__N] = {
	"", "KM_USER0", "KM_USER1", "KM_BIO_SRC_IRQ", "KM_IRQ0", "KM_IRQ1",
	"KM_SOFTIRQ0", "KM_SOFTIRQ1", "KM_SYNC_PAGE", "KM_L1_CACHE",
};

const char *const hmr_strategy_names[STRAT__N] = {
	"schedule", "random", "pct", "exhaustive", "bytes",
};

void hmr_explore_default(struct hmr_explore_spec *e)
{
	e->strategy = STRAT_EXHAUSTIVE;
	e->bound = 2;
	e->depth = 3;
	e->runs = 0;	/* the strategy's own: 1000 for random and pct, no cap for exhaustive */
	e->seed = 1;
}

static void set_defaults(struct hmr_script *s)
{
	s->profile = -1;
	hmr_config_default(&s->cfg);
	s->expect = HMR_EXPECT_UNSET;
	hmr_explore_default(&s->explore);
}

void hmr_script_init(struct hmr_script *s)
{
	/* Zero everything, padding included, so scripts compare byte-wise. */
	memset(s, 0, sizeof(*s));
	set_defaults(s);
}

/* A task's header and position: all of it but the ops. */
static void clear_task(struct hmr_task_def *t)
{
	memset(t, 0, offsetof(struct hmr_task_def, ops));
	t->line = t->col = 0;
}

void hmr_task_copy(struct hmr_task_def *dst, const struct hmr_task_def *src)
{
	memcpy(dst, src, offsetof(struct hmr_task_def, ops));
	memcpy(dst->ops, src->ops, sizeof(src->ops[0]) * src->nops);
	dst->line = src->line;
	dst->col = src->col;
}

void hmr_script_clear(struct hmr_script *s)
{
	memset(s, 0, offsetof(struct hmr_script, task));
	for (int i = 0; i < HMR_MAX_TASKS; i++)
		clear_task(&s->task[i]);
	memset(&s->has_schedule, 0, offsetof(struct hmr_script, decisions) - offsetof(struct hmr_script, has_schedule));
	set_defaults(s);
}

void hmr_script_drop_schedule(struct hmr_script *s)
{
	s->has_schedule = s->has_decisions = 0;
	s->nsched = s->ndecisions = 0;
}

void hmr_script_copy(struct hmr_script *dst, const struct hmr_script *src)
{
	if (dst == src)
		return;
	memcpy(dst, src, offsetof(struct hmr_script, task));
	for (int i = 0; i < HMR_MAX_TASKS; i++)
		hmr_task_copy(&dst->task[i], &src->task[i]);
	dst->has_schedule = src->has_schedule;
	dst->nsched = src->nsched;
	memcpy(dst->sched, src->sched, sizeof(src->sched[0]) * (size_t)src->nsched);
	dst->has_decisions = src->has_decisions;
	dst->ndecisions = src->ndecisions;
	dst->dec_line = src->dec_line;
	memcpy(dst->decisions, src->decisions, (size_t)src->ndecisions);
}

const char *hmr_page_name(uint16_t page, char buf[8])
{
	snprintf(buf, 8, "%c%u", HMR_PAGE_IS_LOW(page) ? 'l' : 'p',
		 (unsigned)HMR_PAGE_NUM(page));
	return buf;
}

const char *const hmr_hw_names[3] = { "", "evict", "speculate" };

int hmr_op_obtains_map(int code)
{
	return code == HMR_OP_kmap || code == HMR_OP_kmap_atomic ||
	       code == HMR_OP_kmap_local || code == HMR_OP_kmap_high_get;
}

int hmr_op_needs_map(int code)
{
	return code == HMR_OP_write || code == HMR_OP_read || code == HMR_OP_kunmap ||
	       code == HMR_OP_kunmap_atomic || code == HMR_OP_kunmap_local;
}

int hmr_op_map_class(int code, int *release)
{
	*release = code == HMR_OP_kunmap || code == HMR_OP_kunmap_atomic || code == HMR_OP_kunmap_local;
	switch (code) {
	case HMR_OP_kmap: case HMR_OP_kmap_high_get: case HMR_OP_kunmap: return 0;
	case HMR_OP_kmap_atomic: case HMR_OP_kunmap_atomic: return 1;
	case HMR_OP_kmap_local: case HMR_OP_kunmap_local: return 2;
	default: return -1;
	}
}
