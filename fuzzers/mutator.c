/* mutator.c - the structure-aware mutator of fuzz inputs (README "Fuzzing").
 *
 * Every call decodes its input(s) into a script and a private copy of the
 * decision bytes, edits those, and encodes. Invariant: the output is exactly
 * what hmr_bin_encode wrote for some script and decision bytes, cut to
 * max_size only when not even a script without tasks fits. So the fuzzer never
 * spends executions on inputs that decode to something no edit meant.
 *
 * Edits keep within the scenario parser's rules by construction where that is
 * cheap: a write goes to a page the task mapped before it, an unmap releases
 * a map the task holds, a map comes with its unmap, a deleted map takes its
 * unmap and accesses along. Edits of op lists are checked as well: one that
 * broke a rule anyway (an access moved above its map), which binfmt would
 * repair into another edit (a kmap where the access was), is undone and drawn
 * again. Other departures are left to binfmt's normalisation, which reduces
 * them the way decoding does: a task on a CPU the config lacks, pages beyond
 * a shrunk zone, an offset past a smaller page. After every edit the script
 * is normalised (encode, decode), so the next edit, and the check that the
 * input changed at all, see what the fuzzer will run rather than what the
 * edit wrote. (Decoding also applies hmr_bin_set_options: what HMRIG_OPTIONS
 * forces, an edit cannot change, and hmr_mutate draws another.)
 *
 * Decision bytes (choice.c, STRAT_BYTES): one per decision with two or more
 * options; 0 is the default (the running task continues, no hardware event),
 * b picks position (cur + b) % n. Bytes missing at the end read as 0, so only
 * bytes up to the last non-zero one matter; the decision edits aim there.
 *
 * Left out: the schedule: block, names, title and expect (the format carries
 * none of them), and the steps key (a bigger budget finds nothing new). */
#include <stdlib.h>
#include <string.h>
#include "mutator.h"
#include "format/binfmt.h"
#include "format/tidy.h"
#include "format/config.h"
#include "format/profile.h"
#include "format/script.h"

const char *const hmr_mut_names[HMR_MUT__N] = {
#define M(id, w, help) #id,
	HMR_MUTATIONS(M)
#undef M
};

const char *const hmr_cross_names[HMR_CROSS__N] = {
#define X(id, w, help) #id,
	HMR_CROSSOVERS(X)
#undef X
};

static const uint8_t mut_weight[HMR_MUT__N] = {
#define M(id, w, help) w,
	HMR_MUTATIONS(M)
#undef M
};

static const uint8_t cross_weight[HMR_CROSS__N] = {
#define X(id, w, help) w,
	HMR_CROSSOVERS(X)
#undef X
};

static const uint8_t op_shape[HMR_OP__N] = {
#define OP(id, name, shape, help) shape,
#include "format/ops.def"
#undef OP
};

#define DEC_SLACK	1024	/* decision bytes one call may add */
#define DEC_REACH	16	/* how far past the end a flip or move may land */
/* Bytes of an encoded script: length, header, length, count, and per task 4
 * bytes plus at most 16 per op (binfmt.c), with room to spare. */
#define SCRIPT_MAX	(1 + 64 + 2 + 1 + HMR_MAX_TASKS * (4 + HMR_MAX_OPS * 16) + 256)

/* The working state of one call. Scripts are big (~330 KiB), so the earlier
 * states are kept as their encodings: for a normalised script the encoding
 * is exact, so equal encodings mean equal scripts, and decoding restores
 * one. The state itself is static (calls do not nest): allocated per call,
 * malloc and ASan would map and unmap it each time. */
struct mut {
	uint64_t rng;
	struct hmr_script s;		/* the script being edited, normalised between edits */
	struct hmr_script norm;		/* an edit, normalised, before it is accepted */
	struct hmr_script *b;		/* crossover: b's script */
	uint8_t *dec;			/* the decision bytes being edited */
	size_t ndec, cap;
	const uint8_t *odec;		/* a's decision bytes (a copy) */
	size_t nodec;
	const uint8_t *bdec;		/* b's decision bytes (a copy) */
	size_t nbdec;
	size_t norig, npre;
	uint8_t orig[SCRIPT_MAX];	/* a's script, encoded */
	uint8_t pre[SCRIPT_MAX];	/* the script before the edit being tried, encoded */
	uint8_t tmp[SCRIPT_MAX];
};

/* ---- randomness ------------------------------------------------------------- */

static uint64_t rnd(struct mut *m)
{
	uint64_t z = (m->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static unsigned below(struct mut *m, unsigned n)
{
	return n ? (unsigned)(rnd(m) % n) : 0;
}

static int chance(struct mut *m, unsigned pct)
{
	return below(m, 100) < pct;
}

static int pick_weighted(struct mut *m, const uint8_t *w, int n)
{
	unsigned sum = 0, r;

	for (int i = 0; i < n; i++)
		sum += w[i];
	r = below(m, sum);
	for (int i = 0; i < n; i++) {
		if (r < w[i])
			return i;
		r -= w[i];
	}
	return 0;
}

struct wcode {
	uint8_t code, w;
};

static int pick_code(struct mut *m, const struct wcode *t, int n)
{
	uint8_t w[32];

	for (int i = 0; i < n && i < 32; i++)
		w[i] = t[i].w;
	return t[pick_weighted(m, w, n < 32 ? n : 32)].code;
}

/* ---- the script's rules (as binfmt.c and scn_parse.c count them) ------------- */

static const uint8_t unmap_of[3] = { HMR_OP_kunmap, HMR_OP_kunmap_atomic, HMR_OP_kunmap_local };

static int page_slot(uint16_t page)
{
	return (HMR_PAGE_IS_LOW(page) ? HMR_MAX_PAGES : 0) + (int)(HMR_PAGE_NUM(page) % HMR_MAX_PAGES);
}

/* What a task has mapped before its op k. */
struct maps {
	unsigned n;
	uint16_t page[2 * HMR_MAX_PAGES];	/* obtained, in first-mapped order */
	uint8_t held[3][2 * HMR_MAX_PAGES];	/* maps held, by class and page slot */
};

static void maps_at(const struct hmr_task_def *t, int k, struct maps *mp)
{
	memset(mp, 0, sizeof(*mp));
	for (int i = 0; i < k && i < t->nops; i++) {
		const struct hmr_op *op = &t->ops[i];
		int rel, c = hmr_op_map_class(op->code, &rel), slot = page_slot(op->page[0]);
		unsigned j;

		if (hmr_op_obtains_map(op->code)) {
			for (j = 0; j < mp->n && mp->page[j] != op->page[0]; j++)
				;
			if (j == mp->n && mp->n < 2 * HMR_MAX_PAGES)
				mp->page[mp->n++] = op->page[0];
		}
		if (c < 0)
			continue;
		if (rel && mp->held[c][slot])
			mp->held[c][slot]--;
		else if (!rel && mp->held[c][slot] < 255)
			mp->held[c][slot]++;
	}
}

/* Does every access of the task follow a map of its page, and every unmap
 * release a map it holds (the parser's rules, on pages as they stand)? */
static int task_ok(const struct hmr_task_def *t)
{
	uint64_t got[2] = { 0, 0 };
	uint8_t held[3][2 * HMR_MAX_PAGES];

	memset(held, 0, sizeof(held));
	for (int i = 0; i < t->nops; i++) {
		const struct hmr_op *op = &t->ops[i];
		int rel, c = hmr_op_map_class(op->code, &rel), slot = page_slot(op->page[0]);
		uint64_t bit = 1ull << (slot % HMR_MAX_PAGES);

		if (hmr_op_obtains_map(op->code))
			got[slot / HMR_MAX_PAGES] |= bit;
		if (hmr_op_needs_map(op->code) && !(got[slot / HMR_MAX_PAGES] & bit))
			return 0;
		if (c < 0)
			continue;
		if (rel && !held[c][slot])
			return 0;
		if (rel)
			held[c][slot]--;
		else if (held[c][slot] < 255)
			held[c][slot]++;
	}
	return 1;
}

/* A page the task obtained a mapping of before this point; 0 if none. */
static int mapped_page(struct mut *m, const struct maps *mp, uint16_t *page)
{
	if (!mp->n)
		return 0;
	*page = mp->page[below(m, mp->n)];
	return 1;
}

/* A page of which the task holds a map of class c; 0 if none. */
static int held_page(struct mut *m, const struct maps *mp, int c, uint16_t *page)
{
	unsigned n = 0;

	for (unsigned i = 0; i < mp->n; i++)
		if (mp->held[c][page_slot(mp->page[i])] && below(m, ++n) == 0)
			*page = mp->page[i];
	return n != 0;
}

static int class_held(const struct maps *mp, int c)
{
	for (unsigned i = 0; i < mp->n; i++)
		if (mp->held[c][page_slot(mp->page[i])])
			return 1;
	return 0;
}

/* Any page of the config, mostly highmem (the pkmap machinery) and often one
 * of the first few (small worlds: pages that collide in a few slots). */
static uint16_t any_page(struct mut *m)
{
	int low = chance(m, 15);
	unsigned n = (unsigned)(low ? CFG(&m->s.cfg, lowmem) : CFG(&m->s.cfg, highmem));
	unsigned k = chance(m, 40) ? below(m, n < 8 ? n : 8) : below(m, n);

	return (uint16_t)((low ? HMR_LOWMEM : 0) | k);
}

/* ---- arguments ---------------------------------------------------------------- */

static uint32_t page_bytes(struct mut *m)
{
	return (uint32_t)CFG(&m->s.cfg, page_size);
}

/* An offset, biased to the places cache maintenance gets wrong: the page
 * start, line starts and the bytes just before a line boundary. */
static uint32_t gen_off(struct mut *m)
{
	uint32_t ps = page_bytes(m), ls = (uint32_t)CFG(&m->s.cfg, line_size);
	uint32_t lines = ls && ps >= ls ? ps / ls : 1;

	switch (below(m, 4)) {
	case 0:
		return 0;
	case 1:
		return below(m, lines) * ls % ps;
	case 2:
		return ((below(m, lines) + 1) * ls - 1 - below(m, 2)) % ps;
	default:
		return below(m, ps);
	}
}

/* LEN for OFF: 0 (the default, one byte), a line, to the page end, or any. */
static uint32_t gen_len(struct mut *m, uint32_t off)
{
	uint32_t ps = page_bytes(m), ls = (uint32_t)CFG(&m->s.cfg, line_size);
	uint32_t room = off < ps ? ps - off : 1, len;

	switch (below(m, 4)) {
	case 0:
		return 0;
	case 1:
		len = ls < room ? ls : room;
		break;
	case 2:
		len = room;
		break;
	default:
		len = 1 + below(m, room);
		break;
	}
	return len == 1 ? 0 : len;
}

static uint8_t gen_val(struct mut *m)
{
	return (uint8_t)(1 + below(m, 255));	/* 0 is what fresh memory holds */
}

static void gen_range(struct mut *m, struct hmr_op *op)
{
	uint32_t ps = page_bytes(m);

	op->has_range = chance(m, 35);
	op->off = op->len = 0;
	if (!op->has_range)
		return;
	op->off = gen_off(m);
	/* mostly within the page; sometimes into the next one (a multi-page buffer) */
	op->len = chance(m, 80) ? 1 + below(m, ps - op->off) : ps - op->off + 1 + below(m, ps);
}

/* Fill what follows the page, by shape. */
static void gen_args(struct mut *m, struct hmr_op *op)
{
	switch (op_shape[op->code]) {
	case SH_P_TYPE:
		op->ktype = chance(m, 70) ? 0 : (uint8_t)(1 + below(m, KM__N - 1));
		break;
	case SH_P_OFF:
		op->off = gen_off(m);
		break;
	case SH_P_OFF_LEN:
		op->off = gen_off(m);
		op->len = gen_len(m, op->off);
		break;
	case SH_P_OFF_VAL:
		op->off = gen_off(m);
		op->val = gen_val(m);
		break;
	case SH_P_OFF_VAL_LEN:
		op->off = gen_off(m);
		op->val = gen_val(m);
		op->len = gen_len(m, op->off);
		break;
	case SH_P_DIR:
		op->dir = (uint8_t)below(m, 3);
		break;
	case SH_P_DIR_RANGE:
		op->dir = (uint8_t)below(m, 3);
		gen_range(m, op);
		break;
	case SH_PLIST_DIR:
		op->npages = (uint8_t)(1 + below(m, 4));
		for (int i = 1; i < op->npages; i++)
			op->page[i] = any_page(m);
		op->dir = (uint8_t)below(m, 3);
		break;
	}
}

static struct hmr_op new_op(int code, uint16_t page)
{
	struct hmr_op op;

	memset(&op, 0, sizeof(op));
	op.code = (uint8_t)code;
	op.npages = 1;
	op.page[0] = op_shape[code] == SH_NONE ? 0 : page;	/* as decoding leaves it */
	return op;
}

/* ---- op list editing ------------------------------------------------------------- */

static int op_ins(struct hmr_task_def *t, int k, const struct hmr_op *op)
{
	if (t->nops >= HMR_MAX_OPS || k < 0 || k > t->nops)
		return 0;
	memmove(&t->ops[k + 1], &t->ops[k], (size_t)(t->nops - k) * sizeof(t->ops[0]));
	t->ops[k] = *op;
	t->nops++;
	return 1;
}

static void op_del(struct hmr_task_def *t, int k)
{
	memmove(&t->ops[k], &t->ops[k + 1], (size_t)(t->nops - k - 1) * sizeof(t->ops[0]));
	t->nops--;
	memset(&t->ops[t->nops], 0, sizeof(t->ops[0]));
}

static int op_same(const struct hmr_op *a, const struct hmr_op *b)
{
	return a->code == b->code && a->dir == b->dir && a->ktype == b->ktype &&
	       a->npages == b->npages && a->has_range == b->has_range && a->val == b->val &&
	       !memcmp(a->page, b->page, sizeof(a->page)) && a->off == b->off && a->len == b->len;
}

/* Does b close a (an unmap of its map, dma_unmap of its dma_map, ...), and
 * does b open another level of the same pairing? Used to find partners. */
static int closes(const struct hmr_op *a, const struct hmr_op *b, int *opens)
{
	int ra, rb, ca = hmr_op_map_class(a->code, &ra), cb = hmr_op_map_class(b->code, &rb);

	*opens = 0;
	if (ca >= 0 && !ra) {
		if (cb != ca || b->page[0] != a->page[0])
			return 0;
		*opens = !rb;
		return rb;
	}
	switch (a->code) {
	case HMR_OP_dma_map:
		*opens = b->code == HMR_OP_dma_map && b->page[0] == a->page[0];
		return b->code == HMR_OP_dma_unmap && b->page[0] == a->page[0];
	case HMR_OP_dma_map_sg:
		*opens = b->code == HMR_OP_dma_map_sg && b->page[0] == a->page[0];
		return b->code == HMR_OP_dma_unmap_sg && b->page[0] == a->page[0];
	case HMR_OP_irq_disable:
		*opens = b->code == HMR_OP_irq_disable;
		return b->code == HMR_OP_irq_enable;
	case HMR_OP_preempt_disable:
		*opens = b->code == HMR_OP_preempt_disable;
		return b->code == HMR_OP_preempt_enable;
	}
	return 0;
}

/* The op that closes op k (matching nesting), or -1. */
static int partner(const struct hmr_task_def *t, int k)
{
	int depth = 1, opens;

	for (int j = k + 1; j < t->nops; j++) {
		if (closes(&t->ops[k], &t->ops[j], &opens) && --depth == 0)
			return j;
		depth += opens;
	}
	return -1;
}

/* An unmap inserted at k takes the hold a later unmap of the same map
 * released: drop that one, so the edit reads "unmap earlier" rather than
 * "unmap twice" (which the rules forbid). */
static void unmap_earlier(struct hmr_task_def *t, int k)
{
	int rel, c = hmr_op_map_class(t->ops[k].code, &rel), r2;

	if (c < 0 || !rel)
		return;
	for (int j = k + 1; j < t->nops; j++)
		if (hmr_op_map_class(t->ops[j].code, &r2) == c && r2 && t->ops[j].page[0] == t->ops[k].page[0]) {
			op_del(t, j);
			return;
		}
}

static struct hmr_task_def *any_task(struct mut *m)
{
	return m->s.ntasks ? &m->s.task[below(m, (unsigned)m->s.ntasks)] : NULL;
}

/* A task with at least min ops, if a few draws find one. */
static struct hmr_task_def *task_with(struct mut *m, int min)
{
	struct hmr_task_def *t = NULL;

	for (int i = 0; i < 4 && (!t || t->nops < min); i++)
		t = any_task(m);
	return t && t->nops >= min ? t : NULL;
}

/* ---- op generators --------------------------------------------------------------- */

static int map_code(struct mut *m)
{
	static const struct wcode t[] = {
		{ HMR_OP_kmap, 50 }, { HMR_OP_kmap_atomic, 25 }, { HMR_OP_kmap_local, 20 },
		{ HMR_OP_kmap_high_get, 5 },
	};
	int code = pick_code(m, t, 4);

	if (code == HMR_OP_kmap_high_get && !hmr_profiles[m->s.profile].high_get)
		code = HMR_OP_kmap;
	return code;
}

/* An op on a page the task has mapped before op k: the accesses, DMA and
 * maintenance the races are about. 0 if the task maps nothing there. */
static int gen_use(struct mut *m, const struct maps *mp, struct hmr_op *op)
{
	static const struct wcode t[] = {
		{ HMR_OP_write, 30 }, { HMR_OP_read, 20 }, { HMR_OP_dma_map, 6 },
		{ HMR_OP_dma_sync_cpu, 4 }, { HMR_OP_dma_sync_device, 4 }, { HMR_OP_dma_unmap, 3 },
		{ HMR_OP_flush_dcache_page, 6 }, { HMR_OP_user_write, 3 }, { HMR_OP_user_read, 3 },
		{ HMR_OP_dev_write, 4 }, { HMR_OP_dev_read, 4 }, { HMR_OP_set_uncached, 2 },
		{ HMR_OP_kunmap, 8 }, { HMR_OP_kmap, 3 },
	};
	uint16_t page;
	int code;

	if (!mapped_page(m, mp, &page))
		return 0;
	code = pick_code(m, t, (int)(sizeof(t) / sizeof(t[0])));
	if (code == HMR_OP_kunmap) {
		int c = (int)below(m, 3);

		for (int i = 0; i < 3 && !class_held(mp, c); i++)
			c = (c + 1) % 3;
		if (!held_page(m, mp, c, &page))
			code = HMR_OP_write;
		else
			code = unmap_of[c];
	} else if (code == HMR_OP_kmap) {
		code = map_code(m);	/* a second map of a mapped page */
	}
	*op = new_op(code, page);
	gen_args(m, op);
	return 1;
}

/* Any op, with some care: ops that take a page take a mapped one half the time. */
static void gen_other(struct mut *m, const struct maps *mp, struct hmr_op *op)
{
	static const struct wcode t[] = {
		{ HMR_OP_flush_unused, 4 }, { HMR_OP_yield, 3 }, { HMR_OP_irq_disable, 2 },
		{ HMR_OP_irq_enable, 2 }, { HMR_OP_preempt_disable, 2 }, { HMR_OP_preempt_enable, 2 },
		{ HMR_OP_dma_map_sg, 2 }, { HMR_OP_dma_unmap_sg, 1 }, { HMR_OP_kmap, 6 },
		{ HMR_OP_dev_write, 2 }, { HMR_OP_dev_read, 1 }, { HMR_OP_set_uncached, 1 },
		{ HMR_OP__N, 6 },	/* any op at all */
	};
	int code = pick_code(m, t, (int)(sizeof(t) / sizeof(t[0])));
	uint16_t page;

	if (code == HMR_OP__N)
		code = (int)below(m, HMR_OP__N);
	if (code == HMR_OP_kmap)
		code = map_code(m);
	if (!chance(m, 50) || !mapped_page(m, mp, &page))
		page = any_page(m);
	*op = new_op(code, page);
	gen_args(m, op);
}

/* A map with its unmap (and often an access between): "map; use; unmap" is
 * the unit every highmem user is made of. Atomic and local maps get a short
 * window, as in the kernel, and stay nested. Often of a page the task has
 * mapped before: the page cache maps one page again and again, by whichever
 * kind of map each path uses, and what the last map left behind (lazily
 * kept slots, their lines) is where aliases and recycling bite. */
static int ins_map_pair(struct mut *m, struct hmr_task_def *t, int k, const struct maps *mp)
{
	int code = map_code(m), rel, c = hmr_op_map_class(code, &rel), end;
	uint16_t page;
	struct hmr_op op;

	if (!chance(m, 40) || !mapped_page(m, mp, &page))
		page = any_page(m);
	op = new_op(code, page);

	if (!op_ins(t, k, &op))
		return 0;
	end = k + 1;
	if (chance(m, 60)) {
		op = new_op(chance(m, 60) ? HMR_OP_write : HMR_OP_read, page);
		gen_args(m, &op);
		end += op_ins(t, end, &op);
	}
	if (c == 0) {
		end += (int)below(m, (unsigned)(t->nops - end + 1));
	} else {
		/* stay nested: do not cross another map or unmap */
		while (end < t->nops && hmr_op_map_class(t->ops[end].code, &rel) < 0 && chance(m, 50))
			end++;
	}
	op = new_op(unmap_of[c], page);
	op_ins(t, end, &op);
	return 1;
}

/* dma_map ... dma_unmap of one page (or an sg list), with the device's side
 * of the transfer in between now and then. */
static int ins_dma_pair(struct mut *m, struct hmr_task_def *t, int k, const struct maps *mp)
{
	int sg = chance(m, 20), end;
	uint16_t page;
	struct hmr_op op, un;

	if (!chance(m, 50) || !mapped_page(m, mp, &page))
		page = any_page(m);
	op = new_op(sg ? HMR_OP_dma_map_sg : HMR_OP_dma_map, page);
	gen_args(m, &op);
	if (!op_ins(t, k, &op))
		return 0;
	un = op;
	un.code = sg ? HMR_OP_dma_unmap_sg : HMR_OP_dma_unmap;
	un.has_range = 0;
	un.off = un.len = 0;
	end = k + 1;
	if (op.dir != DMA_TO_DEVICE && chance(m, 40)) {
		struct hmr_op dw = new_op(HMR_OP_dev_write, page);

		gen_args(m, &dw);
		end += op_ins(t, end, &dw);
	}
	end += (int)below(m, (unsigned)(t->nops - end + 1));
	op_ins(t, end, &un);
	return 1;
}

/* irq_disable ... irq_enable or preempt_disable ... preempt_enable around a
 * few ops: a short critical section. */
static int ins_bracket(struct mut *m, struct hmr_task_def *t, int k)
{
	int irq = chance(m, 50), end;
	struct hmr_op op = new_op(irq ? HMR_OP_irq_disable : HMR_OP_preempt_disable, 0);

	if (!op_ins(t, k, &op))
		return 0;
	end = k + 1 + (int)below(m, 4);
	if (end > t->nops)
		end = t->nops;
	op = new_op(irq ? HMR_OP_irq_enable : HMR_OP_preempt_enable, 0);
	op_ins(t, end, &op);
	return 1;
}

/* ---- script mutations --------------------------------------------------------------- */

static int mut_op_insert(struct mut *m)
{
	struct hmr_task_def *t = any_task(m);
	struct maps mp;
	struct hmr_op op;
	unsigned r = below(m, 100);
	int k;

	if (!t || t->nops >= HMR_MAX_OPS)
		return 0;
	k = (int)below(m, (unsigned)t->nops + 1);
	maps_at(t, k, &mp);
	if (r < 30)
		return ins_map_pair(m, t, k, &mp);
	if (r < 65) {
		if (!gen_use(m, &mp, &op))
			return ins_map_pair(m, t, k, &mp);
		if (!op_ins(t, k, &op))
			return 0;
		unmap_earlier(t, k);
		return 1;
	}
	if (r < 77)
		return ins_dma_pair(m, t, k, &mp);
	if (r < 87)
		return ins_bracket(m, t, k);
	gen_other(m, &mp, &op);
	return op_ins(t, k, &op);
}

/* Delete op k; a map or a DMA/irq/preempt opening goes together with its
 * closing op, and a map also with the accesses to its page up to its unmap
 * (they would need the map). The task keeps at least one op. */
static int mut_op_delete(struct mut *m)
{
	struct hmr_task_def *t = task_with(m, 2);
	uint8_t del[HMR_MAX_OPS] = { 0 };
	int k, j, n = 1, end;
	uint16_t page;

	if (!t)
		return 0;
	k = (int)below(m, (unsigned)t->nops);
	del[k] = 1;
	j = chance(m, 80) ? partner(t, k) : -1;
	if (j > k) {
		del[j] = 1;
		n++;
	}
	if (hmr_op_obtains_map(t->ops[k].code)) {
		page = t->ops[k].page[0];
		end = j > k ? j : t->nops;
		for (int i = k + 1; i < end; i++)
			if ((t->ops[i].code == HMR_OP_write || t->ops[i].code == HMR_OP_read) &&
			    t->ops[i].page[0] == page && !del[i]) {
				del[i] = 1;
				n++;
			}
	}
	if (n >= t->nops)
		return 0;
	for (int i = t->nops - 1; i >= k; i--)	/* from the end: indices stay put */
		if (del[i])
			op_del(t, i);
	return 1;
}

/* Codes that fit each other's place: same arguments, same role. */
static int sibling(struct mut *m, int code)
{
	static const uint8_t groups[][4] = {
		{ HMR_OP_kmap, HMR_OP_kmap_atomic, HMR_OP_kmap_local, HMR_OP_kmap_high_get },
		{ HMR_OP_dma_unmap, HMR_OP_dma_sync_cpu, HMR_OP_dma_sync_device, HMR_OP_dma_unmap },
		{ HMR_OP_write, HMR_OP_dev_write, HMR_OP_write, HMR_OP_dev_write },
		{ HMR_OP_read, HMR_OP_dev_read, HMR_OP_read, HMR_OP_dev_read },
		{ HMR_OP_irq_disable, HMR_OP_preempt_disable, HMR_OP_irq_disable, HMR_OP_preempt_disable },
		{ HMR_OP_irq_enable, HMR_OP_preempt_enable, HMR_OP_irq_enable, HMR_OP_preempt_enable },
		{ HMR_OP_flush_unused, HMR_OP_yield, HMR_OP_flush_unused, HMR_OP_yield },
		{ HMR_OP_flush_dcache_page, HMR_OP_set_uncached, HMR_OP_flush_dcache_page, HMR_OP_set_uncached },
		{ HMR_OP_user_write, HMR_OP_user_write, HMR_OP_user_write, HMR_OP_user_write },
		{ HMR_OP_user_read, HMR_OP_user_read, HMR_OP_user_read, HMR_OP_user_read },
		{ HMR_OP_dma_map_sg, HMR_OP_dma_unmap_sg, HMR_OP_dma_map_sg, HMR_OP_dma_unmap_sg },
	};

	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++)
		for (int i = 0; i < 4; i++)
			if (groups[g][i] == code) {
				for (int tries = 0; tries < 8; tries++) {
					int c = groups[g][below(m, 4)];

					if (c != code)
						return c;
				}
				return code;
			}
	return code;
}

static int mut_op_replace(struct mut *m)
{
	struct hmr_task_def *t = any_task(m);
	struct hmr_op *op, old;
	struct maps mp;
	int k, rel, j;

	if (!t || !t->nops)
		return 0;
	k = (int)below(m, (unsigned)t->nops);
	op = &t->ops[k];
	old = *op;
	maps_at(t, k, &mp);
	/* a map keeps its role (its accesses and unmap need it); others mostly
	 * make way for a fresh op */
	if (hmr_op_obtains_map(old.code) || chance(m, 30)) {
		/* a map changing kind takes its unmap along */
		j = hmr_op_obtains_map(old.code) ? partner(t, k) : -1;
		op->code = (uint8_t)sibling(m, op->code);
		if (op->code == HMR_OP_kmap_high_get && !hmr_profiles[m->s.profile].high_get)
			op->code = HMR_OP_kmap;
		if (j > k && hmr_op_obtains_map(op->code))
			t->ops[j].code = unmap_of[hmr_op_map_class(op->code, &rel)];
	} else {
		if (!chance(m, 60) || !gen_use(m, &mp, op))
			gen_other(m, &mp, op);
		if (hmr_op_map_class(old.code, &rel) < 0)
			unmap_earlier(t, k);
	}
	return !op_same(op, &old);
}

/* A map moving to another page takes along its unmap and the accesses to
 * the old page up to it. */
static void retarget(struct hmr_task_def *t, int k, uint16_t page)
{
	uint16_t old = t->ops[k].page[0];
	int j = partner(t, k), end = j > k ? j + 1 : t->nops;

	for (int i = k + 1; i < end; i++)
		if ((i == j || t->ops[i].code == HMR_OP_write || t->ops[i].code == HMR_OP_read) &&
		    t->ops[i].page[0] == old)
			t->ops[i].page[0] = page;
	t->ops[k].page[0] = page;
}

/* Change one argument of op k (a few draws, until one changes it). */
static int op_args_of(struct mut *m, struct hmr_task_def *t, int k)
{
	struct hmr_op *op = &t->ops[k], old = *op;
	int shape = op_shape[op->code];
	struct maps mp;

	maps_at(t, k, &mp);
	for (int tries = 0; tries < 8 && op_same(op, &old); tries++) {
		int has_off = shape == SH_P_OFF || shape == SH_P_OFF_LEN || shape == SH_P_OFF_VAL ||
			      shape == SH_P_OFF_VAL_LEN;
		int rel, c = hmr_op_map_class(op->code, &rel), j;
		uint16_t page = op->page[0];

		switch (below(m, 8)) {
		case 0: case 1:	/* the page */
			if (shape == SH_PLIST_DIR) {
				unsigned i = below(m, op->npages);

				if (op->npages < HMR_MAX_SG && chance(m, 30))
					op->page[op->npages++] = any_page(m);
				else if (op->npages > 1 && chance(m, 30))
					op->page[--op->npages] = 0;
				else
					op->page[i] = any_page(m);
				break;
			}
			if (rel)
				held_page(m, &mp, c, &page);
			else if (hmr_op_needs_map(op->code) || chance(m, 50))
				mapped_page(m, &mp, &page);
			if (!hmr_op_needs_map(op->code) && page == op->page[0])
				page = any_page(m);
			if (hmr_op_obtains_map(op->code))
				retarget(t, k, page);
			else
				op->page[0] = page;
			break;
		case 2:
			if (has_off)
				op->off = gen_off(m);
			else if (shape == SH_P_DIR_RANGE && op->has_range)
				op->off = gen_off(m);
			break;
		case 3:
			if (shape == SH_P_OFF_LEN || shape == SH_P_OFF_VAL_LEN)
				op->len = gen_len(m, op->off);
			else if (shape == SH_P_DIR_RANGE)
				gen_range(m, op);
			break;
		case 4:
			if (shape == SH_P_OFF_VAL || shape == SH_P_OFF_VAL_LEN)
				op->val = chance(m, 50) ? gen_val(m) : (uint8_t)(op->val ^ (1u << below(m, 8)));
			break;
		case 5:
			if (shape == SH_P_DIR || shape == SH_P_DIR_RANGE || shape == SH_PLIST_DIR) {
				op->dir = (uint8_t)((op->dir + 1 + below(m, 2)) % 3);
				/* the unmap follows its map's direction */
				j = op->code == HMR_OP_dma_map || op->code == HMR_OP_dma_map_sg ?
				    partner(t, k) : -1;
				if (j > k && chance(m, 70))
					t->ops[j].dir = op->dir;
			}
			break;
		case 6:
			if (shape == SH_P_TYPE)
				op->ktype = (uint8_t)((op->ktype + 1 + below(m, KM__N - 1)) % KM__N);
			else if (shape == SH_P_DIR_RANGE)
				gen_range(m, op);
			break;
		default:
			gen_args(m, op);	/* all at once */
			break;
		}
	}
	return !op_same(op, &old);
}

static int mut_op_args(struct mut *m)
{
	for (int pick = 0; pick < 4; pick++) {
		struct hmr_task_def *t = NULL;
		struct hmr_op *op = NULL;

		for (int i = 0; i < 8 && (!op || op_shape[op->code] == SH_NONE); i++) {
			t = any_task(m);
			if (!t || !t->nops)
				return 0;
			op = &t->ops[below(m, (unsigned)t->nops)];
		}
		if (op_shape[op->code] != SH_NONE && op_args_of(m, t, (int)(op - t->ops)))
			return 1;
	}
	return 0;
}

/* Move op k to j, mostly a few places; a move that would put an access
 * above its map or an unmap above what it releases is drawn again (a few
 * times: a task that was broken before stays movable). */
static int mut_op_move(struct mut *m)
{
	struct hmr_task_def *t = task_with(m, 2);
	struct hmr_op op;
	int k, j, ok = 0;

	if (!t)
		return 0;
	for (int tries = 0; tries < 6 && !ok; tries++) {
		k = (int)below(m, (unsigned)t->nops);
		if (chance(m, 70))
			j = k + (chance(m, 50) ? 1 : -1) * (int)(1 + below(m, 3));
		else
			j = (int)below(m, (unsigned)t->nops);
		if (j < 0)
			j = 0;
		if (j >= t->nops)
			j = t->nops - 1;
		if (j == k)
			j = k ? k - 1 : k + 1;
		op = t->ops[k];
		op_del(t, k);
		op_ins(t, j, &op);
		ok = op_same(&t->ops[k], &op) ? 0 : task_ok(t);
		if (!ok && tries < 5) {	/* undo */
			op_del(t, j);
			op_ins(t, k, &op);
		}
	}
	return 1;
}

/* A task for another CPU: when the config has one CPU, make it two (races
 * between CPUs are most of the catalogue). */
static int other_cpu(struct mut *m, int cpu)
{
	int cpus = CFG(&m->s.cfg, cpus);

	if (cpus < 2) {
		m->s.cfg.v[HMR_OPT_cpus] = 2;
		m->s.cfg_set |= 1u << HMR_OPT_cpus;
		return 1 - (cpu & 1);
	}
	return (cpu + 1 + (int)below(m, (unsigned)cpus - 1)) % cpus;
}

static int mut_task_dup(struct mut *m)
{
	int n = m->s.ntasks, src, at;
	struct hmr_task_def t;

	if (n < 1 || n >= HMR_MAX_TASKS)
		return 0;
	src = (int)below(m, (unsigned)n);
	t = m->s.task[src];
	if (chance(m, 60))
		t.cpu = (uint8_t)other_cpu(m, t.cpu);
	at = chance(m, 70) ? n : (int)below(m, (unsigned)n + 1);
	memmove(&m->s.task[at + 1], &m->s.task[at], (size_t)(n - at) * sizeof(t));
	m->s.task[at] = t;
	m->s.ntasks++;
	return 1;
}

static int mut_task_del(struct mut *m)
{
	int n = m->s.ntasks, k;

	if (n < 2)
		return 0;
	k = (int)below(m, (unsigned)n);
	memmove(&m->s.task[k], &m->s.task[k + 1], (size_t)(n - k - 1) * sizeof(m->s.task[0]));
	m->s.ntasks--;
	return 1;
}

static int mut_task_move(struct mut *m)
{
	struct hmr_task_def *t = any_task(m);

	if (!t)
		return 0;
	if (chance(m, 60))
		t->cpu = (uint8_t)other_cpu(m, t->cpu);
	else	/* process tasks mostly; an interrupt handler now and then */
		t->ctx = (uint8_t)((t->ctx + 1 + below(m, 2)) % 3);
	return 1;
}

/* ---- header mutations --------------------------------------------------------------- */

static int is_pow2_key(int id)
{
	return id == HMR_OPT_last_pkmap || id == HMR_OPT_page_size ||
	       id == HMR_OPT_line_size || id == HMR_OPT_colors;
}

/* The values key id may be given, ascending; the named keys (cache, tlb)
 * leave out 0, which is "not given". */
static int key_values(int id, int *v, int max)
{
	int lo = hmr_opts[id].lo, hi = hmr_opts[id].hi, n = 0;

	if ((id == HMR_OPT_cache || id == HMR_OPT_tlb) && lo < 1)
		lo = 1;
	if (is_pow2_key(id)) {
		int p = 1;

		while (p < lo)
			p *= 2;
		for (; p <= hi && n < max; p *= 2)
			v[n++] = p;
	} else {
		for (int x = lo; x <= hi && n < max; x++)
			v[n++] = x;
	}
	return n;
}

static int mut_config(struct mut *m)
{
	static const struct wcode keys[] = {
		{ HMR_OPT_cpus, 3 }, { HMR_OPT_last_pkmap, 3 }, { HMR_OPT_highmem, 3 },
		{ HMR_OPT_lowmem, 1 }, { HMR_OPT_page_size, 1 }, { HMR_OPT_line_size, 2 },
		{ HMR_OPT_cache, 3 }, { HMR_OPT_colors, 1 }, { HMR_OPT_tlb, 1 },
		{ HMR_OPT_speculate, 2 }, { HMR_OPT_evict, 2 },
	};
	int id = pick_code(m, keys, (int)(sizeof(keys) / sizeof(keys[0])));
	int *cv = &m->s.cfg.v[id], old = *cv, vals[HMR_MAX_PAGES + 16], n, i;
	uint32_t bit = 1u << id, oldset = m->s.cfg_set & bit;

	if ((m->s.cfg_set & bit) && chance(m, 10)) {	/* back to the default */
		*cv = hmr_opts[id].def;
		m->s.cfg_set &= ~bit;
		return old != *cv || oldset;
	}
	if (id == HMR_OPT_cache || id == HMR_OPT_tlb) {
		/* 0 is the profile's own: "not given" */
		int v = (old + 1 + (int)below(m, (unsigned)hmr_opts[id].hi)) % (hmr_opts[id].hi + 1);

		*cv = v;
		if (v)
			m->s.cfg_set |= bit;
		else
			m->s.cfg_set &= ~bit;
		return 1;
	}
	n = key_values(id, vals, (int)(sizeof(vals) / sizeof(vals[0])));
	if (n < 2)
		return 0;
	for (i = 0; i < n - 1 && vals[i] < old; i++)
		;
	if (chance(m, 70)) {
		int step = 1 + (id == HMR_OPT_highmem || id == HMR_OPT_lowmem ? (int)below(m, 4) : 0);

		i += chance(m, 50) ? step : -step;
	} else if (id == HMR_OPT_last_pkmap && chance(m, 80)) {
		i = (int)below(m, 5);	/* 2..32 slots: wraps happen in a few maps */
	} else {
		i = (int)below(m, (unsigned)n);
	}
	i = i < 0 ? 0 : i >= n ? n - 1 : i;
	if (vals[i] == old)
		i = i + 1 < n ? i + 1 : i - 1;
	*cv = vals[i];
	m->s.cfg_set |= bit;
	return 1;
}

static int mut_profile(struct mut *m)
{
	if (hmr_nmodel_profiles > 1 && chance(m, 45)) {
		m->s.profile = (m->s.profile + 1 + (int)below(m, (unsigned)hmr_nmodel_profiles - 1)) %
			       hmr_nmodel_profiles;
		return 1;
	}
	if (m->s.switches && chance(m, 10)) {
		m->s.switches = 0;
		return 1;
	}
	m->s.switches ^= 1u << below(m, SW__N);
	m->s.switches &= ~HMR_TEST_SWITCHES;	/* the decoder drops them */
	return 1;
}

/* ---- decision mutations ------------------------------------------------------------- */

/* The bytes up to the last non-zero one: the rest reads as 0 anyway. */
static size_t dec_live(const uint8_t *d, size_t n)
{
	while (n && !d[n - 1])
		n--;
	return n;
}

/* Make the decisions at least n long (zeros); 0 if that needs more room. */
static int dec_reserve(struct mut *m, size_t n)
{
	if (n > m->cap)
		return 0;
	if (n > m->ndec) {
		memset(m->dec + m->ndec, 0, n - m->ndec);
		m->ndec = n;
	}
	return 1;
}

/* A switch: most decision points have two to four options, so small values
 * pick distinct tasks; a large one now and then reaches the rest. */
static uint8_t switch_byte(struct mut *m)
{
	unsigned r = below(m, 10);

	if (r < 7)
		return (uint8_t)(1 + below(m, 3));
	if (r < 9)
		return (uint8_t)(1 + below(m, 7));
	return (uint8_t)(1 + below(m, 255));
}

/* A position among the bytes that matter, sometimes a little past them. */
static size_t dec_pos(struct mut *m)
{
	size_t live = dec_live(m->dec, m->ndec);

	if (live && chance(m, 70))
		return below(m, (unsigned)live);
	return below(m, (unsigned)(m->ndec + DEC_REACH));
}

static int mut_dec_flip(struct mut *m)
{
	size_t p = dec_pos(m);
	uint8_t b, v;

	if (!dec_reserve(m, p + 1))
		return 0;
	b = m->dec[p];
	if (b && chance(m, 50)) {
		v = 0;
	} else {
		v = switch_byte(m);
		for (int i = 0; i < 4 && v == b; i++)
			v = switch_byte(m);
	}
	m->dec[p] = v;
	return v != b;
}

static int mut_dec_insert(struct mut *m)
{
	size_t live = dec_live(m->dec, m->ndec), p, len;
	unsigned kind = below(m, 4);

	/* zeros inserted after the last switch change nothing */
	if (!live && kind < 2)
		kind = 2;
	p = kind < 2 ? below(m, (unsigned)live + 1) : below(m, (unsigned)m->ndec + 1);
	len = chance(m, 80) ? 1 + below(m, 8) : 1 + below(m, 32);
	if (m->ndec + len > m->cap)
		return 0;
	memmove(m->dec + p + len, m->dec + p, m->ndec - p);
	m->ndec += len;
	for (size_t i = 0; i < len; i++) {
		uint8_t v = 0;

		if (kind == 2 && i == len - 1)
			v = switch_byte(m);	/* a preemption after a delay */
		else if (kind == 3 && chance(m, 25))
			v = switch_byte(m);
		m->dec[p + i] = v;
	}
	return 1;
}

static int mut_dec_delete(struct mut *m)
{
	size_t live = dec_live(m->dec, m->ndec), p, len, room;

	if (!live)
		return 0;	/* only zeros: deleting some changes nothing */
	p = below(m, (unsigned)live);
	room = m->ndec - p;
	len = 1 + below(m, (unsigned)(room < 8 ? room : 8));
	memmove(m->dec + p, m->dec + p + len, m->ndec - p - len);
	m->ndec -= len;
	return 1;
}

static int mut_dec_move(struct mut *m)
{
	size_t live = dec_live(m->dec, m->ndec), from = 0, to, n = 0;
	long d;
	uint8_t v;

	for (size_t i = 0; i < live; i++)
		if (m->dec[i] && below(m, (unsigned)++n) == 0)
			from = i;
	if (!n)
		return mut_dec_flip(m);	/* nothing to move yet: make a preemption */
	d = chance(m, 70) ? 1 + (long)below(m, 4) : 1 + (long)below(m, 32);
	if (chance(m, 50) && (size_t)d <= from)
		d = -d;
	to = (size_t)((long)from + d);
	if (!dec_reserve(m, to + 1))
		return 0;
	v = m->dec[from];
	m->dec[from] = m->dec[to];	/* swap: a switch there moves the other way */
	m->dec[to] = v;
	return m->dec[from] != v;
}

static int mut_dec_trunc(struct mut *m)
{
	size_t live = dec_live(m->dec, m->ndec);

	if (!live)
		return 0;
	/* cut at or before the last switch, so it really goes */
	m->ndec = below(m, (unsigned)live);
	return 1;
}

/* ---- crossovers ------------------------------------------------------------------------ */

static int cross_tasks(struct mut *m)
{
	const struct hmr_task_def *src;

	if (!m->b->ntasks)
		return 0;
	src = &m->b->task[below(m, (unsigned)m->b->ntasks)];
	if (m->s.ntasks && (m->s.ntasks >= HMR_MAX_TASKS || chance(m, 50)))
		m->s.task[below(m, (unsigned)m->s.ntasks)] = *src;
	else
		m->s.task[m->s.ntasks++] = *src;
	return 1;
}

static int cross_ops(struct mut *m)
{
	const struct hmr_task_def *src;
	struct hmr_task_def *t;
	int i, j;

	if (!m->b->ntasks)
		return 0;
	if (!m->s.ntasks)
		return cross_tasks(m);
	src = &m->b->task[below(m, (unsigned)m->b->ntasks)];
	t = any_task(m);
	i = (int)below(m, (unsigned)t->nops + 1);
	j = (int)below(m, src->nops);
	for (; j < src->nops && i < HMR_MAX_OPS; i++, j++)
		t->ops[i] = src->ops[j];
	t->nops = (uint16_t)i;
	return 1;
}

static int cross_dec(struct mut *m)
{
	size_t i, j, n;

	switch (below(m, 5)) {
	case 0: case 1:	/* b's schedule over a's script */
		i = 0, j = 0;
		break;
	case 2: case 3:	/* a's first decisions, then b's from the same point */
		i = j = below(m, (unsigned)(m->nodec > m->nbdec ? m->nodec : m->nbdec) + 1);
		break;
	default:	/* a's first decisions, then b's from anywhere */
		i = below(m, (unsigned)m->nodec + 1);
		j = below(m, (unsigned)m->nbdec + 1);
		break;
	}
	if (i > m->ndec)
		i = m->ndec;
	if (j > m->nbdec)
		j = m->nbdec;
	n = m->nbdec - j;
	if (i + n > m->cap)
		n = m->cap - i;
	memcpy(m->dec + i, m->bdec + j, n);
	m->ndec = i + n;
	return 1;
}

static int cross_header(struct mut *m)
{
	m->s.profile = m->b->profile;
	m->s.switches = m->b->switches;
	m->s.cfg = m->b->cfg;
	m->s.cfg_set = m->b->cfg_set;
	return 1;
}

/* ---- the driver ------------------------------------------------------------------------- */

static int (*const mut_fn[HMR_MUT__N])(struct mut *) = {
#define M(id, w, help) mut_##id,
	HMR_MUTATIONS(M)
#undef M
};

static int (*const cross_fn[HMR_CROSS__N])(struct mut *) = {
#define X(id, w, help) id,
	HMR_CROSSOVERS(X)
#undef X
};

/* Edits of op lists can break the rules (an access moved above its map, an
 * unmap taking another's hold); the others cannot. */
static const uint8_t mut_checked[HMR_MUT__N] = {
	[HMR_MUT_op_insert] = 1, [HMR_MUT_op_delete] = 1, [HMR_MUT_op_replace] = 1,
	[HMR_MUT_op_args] = 1, [HMR_MUT_op_move] = 1,
};
static const uint8_t cross_checked[HMR_CROSS__N] = { [HMR_CROSS_cross_ops] = 1 };

/* Encode the script alone into buf (SCRIPT_MAX); the length, or 0 when it
 * does not fit (a format grown past SCRIPT_MAX: callers then skip the
 * shortcut the encoding stands for). */
static size_t enc_script(const struct hmr_script *s, uint8_t *buf)
{
	size_t n = hmr_bin_encode(s, NULL, 0, buf, SCRIPT_MAX);

	return n <= SCRIPT_MAX ? n : 0;
}

/* The edited script, encoded and decoded again into dst: what the output
 * will carry. */
static void normalise_to(struct mut *m, struct hmr_script *dst)
{
	size_t n = enc_script(&m->s, m->tmp);

	if (n)
		hmr_bin_decode(m->tmp, n, "<mutated>", dst, NULL, NULL);
	else if (dst != &m->s)
		hmr_script_copy(dst, &m->s);
}

static int page_exists(const struct hmr_script *s, uint16_t page)
{
	int n = HMR_PAGE_IS_LOW(page) ? CFG(&s->cfg, lowmem) : CFG(&s->cfg, highmem);

	return (int)HMR_PAGE_NUM(page) < n;
}

/* Did normalising repair a broken rule: an access or unmap without the map
 * it needs turned into a kmap, or pointed at another page? (Values reduced
 * into range are not rules broken, just arithmetic.) */
static int repaired(const struct hmr_script *ed, const struct hmr_script *nm)
{
	if (ed->ntasks != nm->ntasks)
		return 0;
	for (int i = 0; i < ed->ntasks; i++)
		for (int k = 0; k < ed->task[i].nops && k < nm->task[i].nops; k++) {
			const struct hmr_op *a = &ed->task[i].ops[k], *b = &nm->task[i].ops[k];

			if (hmr_op_needs_map(a->code) && (a->code != b->code ||
			    (a->page[0] != b->page[0] && page_exists(ed, a->page[0]))))
				return 1;
		}
	return 0;
}

/* One edit. A checked one that breaks a rule is undone and drawn again (the
 * encoder would repair it into some other edit: a kmap where a write was
 * meant); after three such draws the kind gives up. Returns whether the
 * edit was made; the script is left normalised either way. */
static int apply(struct mut *m, int (*fn)(struct mut *), int checked)
{
	for (int tries = 0; tries < 3; tries++) {
		m->npre = checked ? enc_script(&m->s, m->pre) : 0;
		if (!fn(m)) {
			if (m->npre)	/* it may have begun */
				hmr_bin_decode(m->pre, m->npre, "<mutated>", &m->s, NULL, NULL);
			return 0;
		}
		if (!m->npre) {
			normalise_to(m, &m->s);
			return 1;
		}
		normalise_to(m, &m->norm);
		if (!repaired(&m->s, &m->norm)) {
			hmr_script_copy(&m->s, &m->norm);
			return 1;
		}
		hmr_bin_decode(m->pre, m->npre, "<mutated>", &m->s, NULL, NULL);
	}
	return 0;
}

/* Does the edited input run differently from a: another script, or other
 * decisions up to the last one that matters? */
static int changed(struct mut *m)
{
	size_t l1 = dec_live(m->dec, m->ndec), l2 = dec_live(m->odec, m->nodec);
	size_t n = enc_script(&m->s, m->tmp);

	return !n || !m->norig || n != m->norig || memcmp(m->tmp, m->orig, n) || l1 != l2 ||
	       memcmp(m->dec, m->odec, l1);
}

/* Drop the last op of the longest task (a task with one op goes whole). */
static int shrink(struct hmr_script *s)
{
	int best = -1;

	for (int i = 0; i < s->ntasks; i++)
		if (best < 0 || s->task[i].nops >= s->task[best].nops)
			best = i;
	if (best < 0)
		return 0;
	if (s->task[best].nops > 1)
		s->task[best].nops--;
	else
		s->ntasks--;
	return 1;
}

/* Write the edited input into out: the whole script and as many decisions as
 * fit; when not even the script fits, shrink it. */
static size_t emit(struct mut *m, uint8_t *out, size_t max_size)
{
	size_t need, nd;

	/* The target tidies what it decodes unless the input is marked raw, and
	 * the encoder marks a script raw when it is not tidy: tidy the result, so
	 * mutants stay inputs the target runs as they read. */
	hmr_script_tidy(&m->s);
	need = hmr_bin_encode(&m->s, NULL, 0, NULL, 0);

	while (need > max_size && shrink(&m->s))
		need = hmr_bin_encode(&m->s, NULL, 0, NULL, 0);
	nd = need < max_size ? max_size - need : 0;
	if (nd > m->ndec)
		nd = m->ndec;
	need = hmr_bin_encode(&m->s, m->dec, nd, out, max_size);
	return need < max_size ? need : max_size;	/* cut: any bytes decode */
}

/* Decode a (and, to cross, b) into a fresh state. The inputs are copied
 * before anything is written, so out may be one of them. */
static struct mut *load(const uint8_t *a, size_t na, int cross, const uint8_t *b, size_t nb,
			uint64_t seed)
{
	static struct mut state;
	static struct hmr_script b_script;
	struct mut *m = &state;
	const uint8_t *da, *db = NULL;
	size_t nda, ndb = 0;
	uint8_t *bytes;

	m->b = cross ? &b_script : NULL;
	hmr_bin_decode(a, na, "<a>", &m->s, &da, &nda);
	m->norig = enc_script(&m->s, m->orig);
	if (cross)
		hmr_bin_decode(b, nb, "<b>", m->b, &db, &ndb);
	m->cap = nda + ndb + DEC_SLACK;
	bytes = malloc(m->cap + nda + ndb);
	if (!bytes)
		return NULL;
	m->dec = bytes;
	memcpy(m->dec, da, nda);
	m->ndec = nda;
	m->odec = bytes + m->cap;
	memcpy(bytes + m->cap, da, nda);
	m->nodec = nda;
	m->bdec = bytes + m->cap + nda;
	if (ndb)
		memcpy(bytes + m->cap + nda, db, ndb);
	m->nbdec = ndb;
	m->rng = seed ^ 0x6d7574617465ull;
	return m;
}

static void unload(struct mut *m)
{
	free(m->dec);
}

/* No memory: hand back the input, cut to fit (any bytes decode). */
static size_t fallback(const uint8_t *data, size_t size, uint8_t *out, size_t max_size)
{
	size_t n = size < max_size ? size : max_size;

	if (n && out != data)
		memmove(out, data, n);
	return n;
}

size_t hmr_mutate_kind(const uint8_t *data, size_t size, uint8_t *out, size_t max_size,
		       uint64_t seed, int kind)
{
	struct mut *m = load(data, size, 0, NULL, 0, seed);
	size_t n;

	if (!m)
		return fallback(data, size, out, max_size);
	if (kind >= 0 && kind < HMR_MUT__N)
		apply(m, mut_fn[kind], mut_checked[kind]);
	n = emit(m, out, max_size);
	unload(m);
	return n;
}

size_t hmr_mutate(const uint8_t *data, size_t size, uint8_t *out, size_t max_size, uint64_t seed)
{
	struct mut *m = load(data, size, 0, NULL, 0, seed);
	int want = 1, done = 0;
	size_t n;

	if (!m)
		return fallback(data, size, out, max_size);
	while (want < 4 && chance(m, 40))
		want++;
	/* an edit that changes nothing (no op to delete, a clamped value) is
	 * retried with another kind, until the input really changed */
	for (int tries = 0; tries < 24; tries++) {
		int kind = pick_weighted(m, mut_weight, HMR_MUT__N);

		done += apply(m, mut_fn[kind], mut_checked[kind]);
		if (done >= want) {
			if (changed(m))
				break;
			want = done + 1;
		}
	}
	n = emit(m, out, max_size);
	unload(m);
	return n;
}

size_t hmr_crossover_kind(const uint8_t *a, size_t na, const uint8_t *b, size_t nb, uint8_t *out,
			  size_t max_size, uint64_t seed, int kind)
{
	struct mut *m = load(a, na, 1, b, nb, seed);
	size_t n;

	if (!m)
		return fallback(a, na, out, max_size);
	if (kind >= 0 && kind < HMR_CROSS__N)
		apply(m, cross_fn[kind], cross_checked[kind]);
	n = emit(m, out, max_size);
	unload(m);
	return n;
}

size_t hmr_crossover(const uint8_t *a, size_t na, const uint8_t *b, size_t nb, uint8_t *out,
		     size_t max_size, uint64_t seed)
{
	struct mut *m = load(a, na, 1, b, nb, seed);
	size_t n;

	if (!m)
		return fallback(a, na, out, max_size);
	for (int tries = 0; tries < 8; tries++) {
		int kind = pick_weighted(m, cross_weight, HMR_CROSS__N);

		apply(m, cross_fn[kind], cross_checked[kind]);
		if (changed(m))
			break;
	}
	n = emit(m, out, max_size);
	unload(m);
	return n;
}

size_t hmr_mut_split(const uint8_t *data, size_t size)
{
	static struct hmr_script s;
	const uint8_t *dec;
	size_t ndec;

	hmr_bin_decode(data, size, "<split>", &s, &dec, &ndec);
	return size - ndec;
}
