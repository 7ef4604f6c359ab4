/* scn_print.c - a struct hmr_script back into canonical scenario text.
 *
 * Canonical means: one form per script, so print -> parse -> print is byte-for-
 * byte stable and the parsed script equals the printed one (positions aside).
 * Header lines come in a fixed order with aligned values, defaults are left
 * out (config keys not given, explore options at their defaults, LEN 1,
 * KM_DEFAULT, #1), and everything is decimal except byte values (0x%02x).
 *
 * Output follows snprintf: never more than bufsz bytes, always terminated when
 * bufsz > 0, and the return value is the length the whole text needs.
 *
 * What it leaves out: scripts the parser cannot produce (no profile, strategy
 * "bytes", explore options a strategy does not take) print as best they can and
 * need not parse back. */
#include <stddef.h>	/* before script.h, which uses size_t without it */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "format/script.h"
#include "format/config.h"
#include "format/kind.h"
#include "format/profile.h"
#include "format/site.h"

static const struct {
	const char *name;
	uint8_t shape;
} op_tab[HMR_OP__N] = {
#define OP(id, name, shape, help) { name, shape },
#include "format/ops.def"
#undef OP
};

static const char *const dir_names[] = { "bidirectional", "to_device", "from_device" };
static const char *const ctx_names[] = { "process", "softirq", "hardirq" };

/* An appending snprintf: counts what it could not store. */
struct out {
	char *buf;
	size_t size, len;
};

#ifdef __GNUC__
static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif

static void put(struct out *o, const char *fmt, ...)
{
	char *dst = o->len < o->size ? o->buf + o->len : NULL;
	size_t room = dst ? o->size - o->len : 0;
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(dst, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->len += (size_t)k;
}

static void out_init(struct out *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = buf ? size : 0;
	o->len = 0;
	if (o->size)
		buf[0] = 0;
}

static int out_len(const struct out *o)
{
	return o->len > 0x7fffffff ? 0x7fffffff : (int)o->len;
}

const char *hmr_dir_name(int d)
{
	return d >= 0 && d <= DMA_FROM_DEVICE ? dir_names[d] : "?";
}

static void put_page(struct out *o, uint16_t page)
{
	char pn[8];

	put(o, " %s", hmr_page_name(page, pn));
}

static void put_op(struct out *o, const struct hmr_op *op)
{
	int shape;

	if (op->code >= HMR_OP__N) {
		put(o, "?op%u", op->code);
		return;
	}
	shape = op_tab[op->code].shape;
	put(o, "%s", op_tab[op->code].name);
	if (shape == SH_PLIST_DIR) {
		for (int i = 0; i < op->npages && i < HMR_MAX_SG; i++) {
			char pn[8];

			put(o, "%s%s", i ? "," : " ", hmr_page_name(op->page[i], pn));
		}
		put(o, " %s", hmr_dir_name(op->dir));
		return;
	}
	if (shape != SH_NONE)
		put_page(o, op->page[0]);
	switch (shape) {
	case SH_P_TYPE:
		if (op->ktype != KM_DEFAULT && op->ktype < KM__N)
			put(o, " %s", hmr_km_names[op->ktype]);
		break;
	case SH_P_OFF:
		put(o, " %u", op->off);
		break;
	case SH_P_OFF_LEN:
		put(o, " %u", op->off);
		if (op->len > 1)
			put(o, " %u", op->len);
		break;
	case SH_P_OFF_VAL:
		put(o, " %u 0x%02x", op->off, op->val);
		break;
	case SH_P_OFF_VAL_LEN:
		put(o, " %u 0x%02x", op->off, op->val);
		if (op->len > 1)
			put(o, " %u", op->len);
		break;
	case SH_P_DIR:
		put(o, " %s", hmr_dir_name(op->dir));
		break;
	case SH_P_DIR_RANGE:
		put(o, " %s", hmr_dir_name(op->dir));
		if (op->has_range)
			put(o, " %u %u", op->off, op->len);
		break;
	}
}

int hmr_op_print(const struct hmr_op *op, char *buf, size_t bufsz)
{
	struct out o;

	out_init(&o, buf, bufsz);
	put_op(&o, op);
	return out_len(&o);
}

int hmr_op_ref(const struct hmr_script *s, int task, int op, char *buf, size_t bufsz)
{
	struct out o;
	const struct hmr_task_def *t = &s->task[task];

	out_init(&o, buf, bufsz);
	put(&o, "%s op %d: ", t->name, op + 1);
	if (op >= 0 && op < t->nops)
		put_op(&o, &t->ops[op]);
	else
		put(&o, "?");
	return out_len(&o);
}

/* title and question are free text; keep them on one line whatever they hold.
 * A '#' after a blank starts a comment, so text that begins with one is glued
 * to the colon ("title:#3 again"), where the parser keeps it as text. */
static void put_text(struct out *o, const char *key, const char *text, size_t max)
{
	put(o, text[0] == '#' ? "%s" : "%-10s", key);
	for (size_t i = 0; i < max && text[i]; i++) {
		unsigned char ch = (unsigned char)text[i];

		put(o, "%c", (ch < 0x20 && ch != '\t') || ch == 0x7f ? ' ' : ch);
	}
	put(o, "\n");
}

static void put_explore(struct out *o, const struct hmr_explore_spec *e)
{
	struct hmr_explore_spec d;
	int st = e->strategy;

	hmr_explore_default(&d);
	put(o, "%-10s%s", "explore:", st < STRAT__N ? hmr_strategy_names[st] : "?");
	if (st == STRAT_EXHAUSTIVE && e->bound != d.bound)
		put(o, " bound=%d", e->bound);
	if (st == STRAT_PCT && e->depth != d.depth)
		put(o, " depth=%d", e->depth);
	if ((st == STRAT_EXHAUSTIVE || st == STRAT_PCT || st == STRAT_RANDOM) && e->runs != d.runs)
		put(o, " runs=%ld", e->runs);
	if ((st == STRAT_PCT || st == STRAT_RANDOM) && e->seed != d.seed)
		put(o, " seed=%llu", (unsigned long long)e->seed);
	put(o, "\n");
}

static void put_header(struct out *o, const struct hmr_script *s)
{
	char vb[32];

	if (s->title[0])
		put_text(o, "title:", s->title, sizeof(s->title));
	if (s->question[0])
		put_text(o, "question:", s->question, sizeof(s->question));
	if (s->profile >= 0 && s->profile < hmr_nprofiles)
		put(o, "%-10s%s\n", "profile:", hmr_profiles[s->profile].name);
	if (s->switches) {
		put(o, "%-9s", "switch:");
		for (int i = 0; i < SW__N; i++)
			if (s->switches & (1u << i))
				put(o, " %s", hmr_switches[i].name);
		put(o, "\n");
	}
	if (s->cfg_set) {
		put(o, "%-9s", "config:");
		for (int i = 0; i < HMR_OPT__N; i++)
			if (s->cfg_set & (1u << i))
				put(o, " %s=%s", hmr_opts[i].name,
				    hmr_opt_value_str(i, s->cfg.v[i], vb, sizeof(vb)));
		put(o, "\n");
	}
	if (s->expect == HMR_EXPECT_NONE)
		put(o, "%-10snone\n", "expect:");
	else if (s->expect >= 0 && s->expect < HMR_K__N)
		put(o, "%-10s%s\n", "expect:", hmr_kinds[s->expect].name);
	if (s->has_explore)
		put_explore(o, &s->explore);
}

static void put_task(struct out *o, const struct hmr_task_def *t)
{
	put(o, "task %.15s cpu=%u", t->name, t->cpu);
	if (t->ctx != CTX_PROCESS)
		put(o, " context=%s", t->ctx <= CTX_HARDIRQ ? ctx_names[t->ctx] : "?");
	put(o, ":\n");
	for (int i = 0; i < t->nops && i < HMR_MAX_OPS; i++) {
		put(o, "    ");
		put_op(o, &t->ops[i]);
		put(o, "\n");
	}
}

static void put_schedule(struct out *o, const struct hmr_script *s)
{
	put(o, "schedule:\n");
	for (int i = 0; i < s->nsched && i < HMR_MAX_SCHED; i++) {
		const struct hmr_sched_line *sl = &s->sched[i];

		if (sl->hw == HW_EVICT || sl->hw == HW_SPECULATE) {
			put(o, "    %s 0x%08x by %.15s before op %u\n", hmr_hw_names[sl->hw], sl->va,
			    sl->task < s->ntasks ? s->task[sl->task].name : "?", sl->count);
			continue;
		}
		if (sl->task < s->ntasks && sl->task < HMR_MAX_TASKS)
			put(o, "    %.15s", s->task[sl->task].name);
		else
			put(o, "    ?task%u", sl->task);
		if (sl->site >= 0 && sl->site < HMR_SITE__N) {
			put(o, " until %s", hmr_sites[sl->site].name);
			if (sl->count > 1)
				put(o, "#%u", sl->count);
		}
		put(o, "\n");
	}
}

/* The nonzero ranks, ten to a line; a log of defaults only is "0:0", as in
 * the replay line's --decisions=, since the block cannot be empty. */
static void put_decisions(struct out *o, const struct hmr_script *s)
{
	int k = 0;

	put(o, "decisions:\n");
	for (int i = 0; i < s->ndecisions && i < HMR_MAX_DECISIONS; i++) {
		if (!s->decisions[i])
			continue;
		put(o, "%s%d:%u", k % 10 ? " " : "    ", i, s->decisions[i]);
		if (++k % 10 == 0)
			put(o, "\n");
	}
	if (!k)
		put(o, "    0:0");
	if (!k || k % 10)
		put(o, "\n");
}

int hmr_scn_print(const struct hmr_script *s, char *buf, size_t bufsz)
{
	struct out o;

	out_init(&o, buf, bufsz);
	put_header(&o, s);
	/* A blank line before each block sets tasks apart from the header and
	 * from each other. */
	for (int i = 0; i < s->ntasks && i < HMR_MAX_TASKS; i++) {
		put(&o, "\n");
		put_task(&o, &s->task[i]);
	}
	if (s->has_schedule) {
		put(&o, "\n");
		put_schedule(&o, s);
	}
	if (s->has_decisions) {
		put(&o, "\n");
		put_decisions(&o, s);
	}
	return out_len(&o);
}
