// SPDX-License-Identifier: GPL-2.0-only
/* tidy.c - rewrite a script into one that follows the kernel API rules.
 *
 * Fuzzers generate scripts at random, and most break the rules a driver must
 * follow; the rig reports those breaches, but they are the script's bugs, not
 * the kernel's. hmr_script_tidy() keeps what a careful driver could have
 * written and drops (or minimally repairs) the rest, so that any finding on a
 * tidy script is the kernel model's fault.
 *
 * So each rule is one a driver of the profile's era had to follow (R10, R11
 * and R13 shape the machine and the schedule instead), and none forbids what
 * a correct driver may do: where the kernel of an era went wrong, the ops
 * that show it stay and the fuzzers find it - E9 (CPA without
 * kmap_flush_unused, x86 2.6.26), E12 (kmap_atomic's second alias of a
 * kmapped page, ARM 2.6.30 VIVT), E14b (flush_dcache_page through an
 * unpinned page_address(), ARM 2.6.30-2.6.33).
 *
 * The rules, per task, ops in order ("atomic" below: softirq or hardirq task,
 * IRQs disabled by irq_disable, preempt_disable held, or an atomic map held
 * that disables preemption - kmap_atomic in every era, kmap_local before the
 * 5.11 kmap_local era, where it was kmap_atomic):
 *
 *  R1 Sleeping ops never run atomic: kmap (might_sleep), kunmap of a kmap
 *     (might_sleep from 5.11, BUG_ON(in_interrupt()) before, and it takes the
 *     non-IRQ-safe kmap_lock), kmap_flush_unused (kmap_lock and a TLB
 *     shootdown IPI that needs IRQs on) and set_uncached (CPA may sleep).
 *     Dropped when atomic.
 *  R2 Interrupt tasks only do what handlers may: kmap_high_get, atomic and
 *     local maps and their unmaps, kunmap of a kmap_high_get (kunmap_high is
 *     IRQ-safe there), write/read through held maps, DMA ops,
 *     flush_dcache_page, preempt_* and yield. No user_write/user_read (no
 *     user context). A hardirq runs with IRQs off and never turns them on:
 *     its irq_disable/irq_enable are dropped. A softirq may use balanced
 *     irq_disable/irq_enable pairs like process code (local_irq_disable in
 *     softirq context is ordinary kernel code; the pair keeps it tidy).
 *  R3 IRQ and preemption state is balanced: an irq_enable without an earlier
 *     irq_disable, or a second irq_disable while disabled (local_irq_disable
 *     does not nest), is dropped; a preempt_enable without a matching
 *     preempt_disable is dropped; see R12 for the end of the task.
 *  R4 At most one persistent map (kmap or kmap_high_get) is held at a time:
 *     a second is dropped (holding two kmaps can deadlock the pkmap pool,
 *     E2). Where kmap_high_get exists, an atomic or local map of a highmem
 *     page pins the page's pkmap slot when it has one, so no kmap is taken
 *     under such a map either (6.1's kmap_local is preemptible, and found
 *     the pool held by its own pins, arm-6.1 with last_pkmap=2). kunmap
 *     releases it: its page is replaced by the held page, and it is dropped
 *     when none is held. kmap_high_get exists only on profiles
 *     with ARCH_NEEDS_KMAP_HIGH_GET (ARM), and only for highmem pages (its
 *     callers test PageHighMem first); otherwise it is dropped.
 *  R5 Atomic and local maps form one strictly LIFO stack per task (the
 *     kernel's per-CPU index stack in 2.6.37-5.10 is shared by kmap_atomic
 *     and kmap_local, which is kmap_atomic then; from 5.11 both live on the
 *     task's kmap_ctrl stack; the km_type era needs no order but LIFO is
 *     legal there too). An unmap always releases the innermost map: its page
 *     becomes the top's page; it is dropped when the stack is empty or the
 *     top is of the other kind (kmap_atomic vs kmap_local). At most NEST_MAX
 *     maps are nested per task, so a CPU's contexts (process, softirq,
 *     hardirq, plus the DMA path's own map) never exhaust its slots.
 *  R6 km_type era: every context has km_types of its own (process
 *     KM_USER0/1, softirq KM_SOFTIRQ0/1, hardirq KM_IRQ0/1 and
 *     KM_BIO_SRC_IRQ; the arch-private KM_SYNC_PAGE and KM_L1_CACHE belong
 *     to the DMA paths), and a task holds each at most once, so no
 *     interrupt ever shares the slot of the code it interrupted (E5) and
 *     debug_kmap_atomic is satisfied. A kmap_atomic
 *     whose type is foreign to its context or already held gets the first
 *     free type of its context; kmap_local (kmap_atomic with the default
 *     type there) needs the context's first type free. Otherwise dropped.
 *  R7 write/read go through a map the task holds: the page's most recent map
 *     must still be held and give a VA (kmap_high_get may return NULL, which
 *     a script cannot test, so it gives none). Otherwise the op is
 *     retargeted to the page of the most recently obtained usable map, or
 *     dropped if there is none.
 *  R8 DMA pages have one owner: a page used by a DMA op (dma_map - with the
 *     pages its range covers -, dma_unmap, dma_sync_*, dma_map_sg,
 *     dma_unmap_sg, dev_write, dev_read) belongs to the first task, in task
 *     order, that uses it so. Every other task's DMA ops on it and CPU
 *     accesses to it (write, read, user_write, user_read, flush_dcache_page,
 *     set_uncached) are dropped.
 *  R9 The owner follows the streaming-DMA protocol:
 *     - dma_map only when none of the buffer's pages is in a live buffer; an
 *       explicit range is widened to whole cache lines (streaming buffers
 *       must be cache-line aligned: off rounded down, end rounded up, which
 *       stays inside memory as memory ends on a page boundary) and must not
 *       run from lowmem into highmem (one allocation never spans zones);
 *     - dma_map_sg: distinct pages, none in a live buffer;
 *     - dma_unmap and dma_sync_* act on a live dma_map buffer, dma_unmap_sg
 *       on a live sg list, with the direction (and list) it was mapped
 *       with; dma_sync_cpu only while the device owns it (it hands it to
 *       the CPU), dma_sync_device only while the CPU does;
 *     - dev_write only into bytes of a live buffer the device owns for
 *       FROM_DEVICE or BIDIRECTIONAL, dev_read only from one it owns for
 *       TO_DEVICE or BIDIRECTIONAL;
 *     - such an op that names no buffer it may act on is repointed at the
 *       newest one it may act on (dev_*: its first bytes, as many as fit in
 *       that page), or dropped if there is none;
 *     - CPU accesses to a page of a live buffer the device owns are dropped;
 *       CPU stores (write, user_write, set_uncached) to a page of a live
 *       FROM_DEVICE or BIDIRECTIONAL buffer are dropped even while the CPU
 *       owns it (the unmap invalidates them away);
 *     - at most HMR_MAX_DMA / ntasks live streaming mappings (an sg list
 *       counts its pages) per task, HMR_MAX_DMA in all.
 *  R10 The machine is one the kernel runs highmem on: a VIVT cache is ARM's
 *     (ARMv4/v5) alone and a VIPT-aliasing one xtensa's (ARM and MIPS refuse
 *     highmem on it), otherwise the profile's cache is used.
 *     ARCH_NEEDS_KMAP_HIGH_GET (ARM) SMP needs hardware TLB broadcast (ARM
 *     refused SMP highmem without it, later dropped HIGH_GET there), so
 *     tlb=ipi becomes the profile's broadcast. Speculative fills only where
 *     the kernel expects them: not on VIVT (ARMv4/v5 do not speculate), and
 *     only where the profile maintains at unmap/sync_for_cpu or the device
 *     snoops (kernels that maintain at map time only ran on CPUs that do
 *     not speculate: E26); otherwise speculate=0.
 *  R11 steps is the maximum, so long but valid scripts do not end as hangs.
 *  R12 At the end of each task, what is still outstanding is released in an
 *     order that is itself legal: the atomic/local maps innermost first, the
 *     live streaming mappings (newest first; dma_unmap_sg for lists), IRQs
 *     and preemption re-enabled, then the persistent map's kunmap (which
 *     must not be atomic). A task keeps at most HMR_MAX_OPS ops: if the
 *     releases would not fit, original ops are dropped from the end until
 *     they do. A task left with no ops gets a single yield.
 *  R13 schedule: task lines stay; a hardware line whose op number no longer
 *     names the same op is dropped (if that empties the block, the block
 *     and an "explore: schedule" that needs it go).
 *  R14 set_memory_uc is for a page the driver owns outright: x86's CPA
 *     (other arches have none), only for a page no other task maps and this
 *     task holds no map of, and after it the task maps the page no more (a
 *     cached kernel mapping of an uncached page is an attribute alias the
 *     driver made). A kunmapped page is the driver's to change, so before
 *     2.6.27, whose CPA leaves the lazily kept pkmap alias, E9 stays.
 *  R15 A VIVT cache keys lines by VA, so a page's VAs do not see each
 *     other's lines; the kernel keeps them apart, and so does a tidy script:
 *     - a task holds no two kernel mappings of one page at once (two
 *       atomic maps of one page are the driver's alias), but for an atomic
 *       or local map under its kmap of the page: that is ordinary code, and
 *       so is an atomic map after kunmap; ARM 2.6.30 gives either a second
 *       VA that misses the pkmap VA's dirty lines (E12), later kernels the
 *       pkmap VA itself;
 *     - a page's CPU data belongs to one task: the DMA owner, else the first
 *       task that writes or reads it (or, for a page only a retargeted
 *       write/read names, the first task that keeps one); the others'
 *       write/read are dropped (a script has no driver locks, so data two
 *       tasks share would be an unsynchronised race of the driver's);
 *     - user_write/user_read only on pages no task maps in the kernel or
 *       uses for DMA: the maintenance of a user alias (flush_dcache_page's
 *       user side, flush_anon_page) is not modelled, so such a script would
 *       report the model's gap as a bug.
 *     Where highmem DMA maintenance goes through the pkmap VA alone and skips
 *     a page without one (VIVT, and ARM 2.6.30 on any cache), DMA map, unmap
 *     and sync ops are dropped while the task holds an atomic/local map of a
 *     page of the buffer, and user_write/user_read of DMA pages are dropped.
 *
 * Invariant: hmr_script_tidy(tidy script) changes nothing. Every rule looks
 * only at ops kept before it in the same task (and, for R8, R14 and R15, at
 * which tasks name a page at all), and each release R12 appends is itself
 * kept by the rules, so a second pass keeps every op of the first. */
#include <string.h>
#include "format/tidy.h"
#include "format/config.h"
#include "format/profile.h"

#define NEST_MAX	2			/* atomic/local maps nested per task */
#define NPAGES		(2 * HMR_MAX_PAGES)	/* linear pages: lowmem, then highmem */
#define OUT_MAX		(3 * HMR_MAX_OPS)	/* kept ops plus every release */

/* A map the task holds. seq orders the task's maps, as exec.c's last_map. */
struct held {
	uint16_t page;
	uint8_t code;		/* the op that obtained it */
	uint8_t ktype;		/* km_type era: the type it took */
	int seq;
};

/* A live streaming mapping: [lo, hi) in physical bytes, or an sg list. */
struct buf {
	int born;		/* w->seq when it was mapped: newer is larger */
	uint32_t lo, hi;
	uint16_t page[HMR_MAX_SG];
	uint8_t npages, sg, dir, device;
};

/* What the whole script does with each linear page (before tidying). */
struct survey {
	uint8_t owner[NPAGES];		/* task + 1 owning it for DMA (R8), 0: none */
	uint8_t data[NPAGES];		/* on VIVT: task + 1 owning its CPU data (R15) */
	uint8_t kernel[NPAGES];		/* named by a kernel map or a DMA op (R15) */
	uint8_t dma[NPAGES];		/* named by a DMA op */
	uint8_t mappers[NPAGES];	/* bit t: task t maps it (R14) */
};

struct walk {
	const struct hmr_profile *prof;
	struct survey *sv;
	int me, ctx, vivt;
	int pkmap_dma;			/* highmem DMA maintains through the pkmap VA only */
	uint32_t P, L;
	int nlow, npfn, dma_cap;

	int irqs_off, preempt;
	int has_pers;
	struct held pers;
	int nest;
	struct held stack[NEST_MAX];
	int nbuf, dma_used;
	struct buf buf[HMR_MAX_DMA];
	int seq;
	int latest[NPAGES];		/* seq of the page's most recent map */
	uint8_t usable[NPAGES];		/* that map is held and gives a VA */
	uint8_t uc[NPAGES];		/* made uncached by this task (R14) */

	int nout;
	struct hmr_op out[OUT_MAX];
	int16_t newidx[HMR_MAX_OPS];	/* original op -> kept position, or -1 */
};

/* ---- pages ---- */

static int lin(const struct walk *w, uint16_t page)
{
	return HMR_PAGE_IS_LOW(page) ? (int)HMR_PAGE_NUM(page) : w->nlow + (int)HMR_PAGE_NUM(page);
}

static uint16_t page_of(const struct walk *w, int l)
{
	return (uint16_t)(l < w->nlow ? (HMR_LOWMEM | (unsigned)l) : (unsigned)(l - w->nlow));
}

static int is_dma(int code)
{
	switch (code) {
	case HMR_OP_dma_map: case HMR_OP_dma_unmap: case HMR_OP_dma_sync_cpu:
	case HMR_OP_dma_sync_device: case HMR_OP_dma_map_sg: case HMR_OP_dma_unmap_sg:
	case HMR_OP_dev_write: case HMR_OP_dev_read:
		return 1;
	}
	return 0;
}

/* The linear pages a DMA op names: a dma_map range covers the pages after
 * its first one too. Returns their number; first page in *lo. */
static int dma_pages(const struct walk *w, const struct hmr_op *op, int *lo)
{
	*lo = lin(w, op->page[0]);
	if (op->code == HMR_OP_dma_map && op->has_range)
		return (int)((op->off + op->len - 1) / w->P) + 1;
	return 1;
}

static int is_map(int code)
{
	return code == HMR_OP_kmap || code == HMR_OP_kmap_high_get || code == HMR_OP_kmap_atomic ||
	       code == HMR_OP_kmap_local;
}

static void claim(uint8_t *owner, int l, int t)
{
	if (l < NPAGES && !owner[l])
		owner[l] = (uint8_t)(t + 1);
}

static void note_dma(struct survey *sv, int l, int t)
{
	if (l >= NPAGES)
		return;
	claim(sv->owner, l, t);
	sv->kernel[l] = sv->dma[l] = 1;
}

/* R8: each page used for DMA belongs to the first task that does so; R15:
 * on VIVT, every other page a task writes or reads to the first one that
 * does; R14, R15: who maps which page in the kernel. */
static void survey(const struct hmr_script *s, const struct walk *w, struct survey *sv)
{
	memset(sv, 0, sizeof(*sv));
	for (int t = 0; t < s->ntasks; t++) {
		for (int i = 0; i < s->task[t].nops; i++) {
			const struct hmr_op *op = &s->task[t].ops[i];
			int first, n = op->npages;

			if (is_map(op->code)) {
				sv->mappers[lin(w, op->page[0])] |= (uint8_t)(1u << t);
				sv->kernel[lin(w, op->page[0])] = 1;
			} else if (op->code == HMR_OP_dma_map_sg || op->code == HMR_OP_dma_unmap_sg) {
				for (int k = 0; k < n; k++)
					note_dma(sv, lin(w, op->page[k]), t);
			} else if (is_dma(op->code)) {
				n = dma_pages(w, op, &first);
				for (int k = first; k < first + n; k++)
					note_dma(sv, k, t);
			}
		}
	}
	memcpy(sv->data, sv->owner, sizeof(sv->data));
	for (int t = 0; t < s->ntasks && w->vivt; t++)
		for (int i = 0; i < s->task[t].nops; i++)
			if (s->task[t].ops[i].code == HMR_OP_write || s->task[t].ops[i].code == HMR_OP_read)
				claim(sv->data, lin(w, s->task[t].ops[i].page[0]), t);
}

/* ---- context ---- */

/* kmap_atomic always disables preemption; kmap_local only before 5.11. */
static int disables_preempt(const struct walk *w, int code)
{
	return code == HMR_OP_kmap_atomic || w->prof->katomic != KATOMIC_LOCAL;
}

static int atomic_ctx(const struct walk *w)
{
	if (w->ctx != CTX_PROCESS || w->irqs_off || w->preempt)
		return 1;
	for (int i = 0; i < w->nest; i++)
		if (disables_preempt(w, w->stack[i].code))
			return 1;
	return 0;
}

/* R2: what only process context may do. */
static int process_only(int code)
{
	return code == HMR_OP_kmap || code == HMR_OP_flush_unused || code == HMR_OP_set_uncached ||
	       code == HMR_OP_user_write || code == HMR_OP_user_read;
}

/* ---- maps ---- */

static int obtain(struct walk *w, uint16_t page, int usable)
{
	int l = lin(w, page);

	w->latest[l] = ++w->seq;
	w->usable[l] = (uint8_t)usable;
	return w->seq;
}

/* The released map was the page's most recent one: no VA to use any more. */
static void release(struct walk *w, const struct held *h)
{
	int l = lin(w, h->page);

	if (w->latest[l] == h->seq)
		w->usable[l] = 0;
}

/* Maps of linear page l the task holds: atomic/local ones, or all. */
static int holds(const struct walk *w, int l, int atomic_only)
{
	int n = !atomic_only && w->has_pers && lin(w, w->pers.page) == l;

	for (int i = 0; i < w->nest; i++)
		n += lin(w, w->stack[i].page) == l;
	return n;
}

/* R14, R15: whether the task may take another map of op's page now (an
 * atomic or local one under its kmap of the page too). */
static int map_ok(const struct walk *w, const struct hmr_op *op, int atomic)
{
	int l = lin(w, op->page[0]);

	return !w->uc[l] && !(w->vivt && holds(w, l, atomic));
}

/* R4: an atomic or local map held may pin a pkmap slot (kmap_high_get). */
static int pins_pkmap(const struct walk *w)
{
	for (int i = 0; w->prof->high_get && i < w->nest; i++)
		if (!HMR_PAGE_IS_LOW(w->stack[i].page))
			return 1;
	return 0;
}

static int take_pers(struct walk *w, const struct hmr_op *op)
{
	if (w->has_pers || (op->code == HMR_OP_kmap && pins_pkmap(w)) || !map_ok(w, op, 0))
		return 0;
	w->has_pers = 1;
	w->pers.page = op->page[0];
	w->pers.code = op->code;
	w->pers.seq = obtain(w, op->page[0], op->code == HMR_OP_kmap);
	return 1;
}

static int drop_pers(struct walk *w, struct hmr_op *op)
{
	if (!w->has_pers || (w->pers.code == HMR_OP_kmap && atomic_ctx(w)))
		return 0;
	op->page[0] = w->pers.page;
	release(w, &w->pers);
	w->has_pers = 0;
	return 1;
}

/* R6: the km_types of each context, its default first. */
static const uint8_t km_own[3][4] = {
	[CTX_PROCESS] = { KM_USER0, KM_USER1 },
	[CTX_SOFTIRQ] = { KM_SOFTIRQ0, KM_SOFTIRQ1 },
	[CTX_HARDIRQ] = { KM_IRQ0, KM_IRQ1, KM_BIO_SRC_IRQ },
};

static int km_mine(const struct walk *w, int type)
{
	return type && memchr(km_own[w->ctx], type, sizeof(km_own[0])) != NULL;
}

/* R6: the km_type a kmap_atomic/kmap_local takes in the km_type era, or -1.
 * May rewrite op->ktype to a free type of the context. */
static int km_pick(const struct walk *w, struct hmr_op *op)
{
	const uint8_t *own = km_own[w->ctx];
	int held[KM__N] = { 0 }, want;

	for (int i = 0; i < w->nest; i++)
		held[w->stack[i].ktype] = 1;
	if (op->code == HMR_OP_kmap_local)
		return held[own[0]] ? -1 : own[0];
	want = op->ktype == KM_DEFAULT ? own[0] : op->ktype;
	if (km_mine(w, want) && !held[want])
		return want;
	for (int k = 0; k < 4 && own[k]; k++) {
		if (!held[own[k]]) {
			op->ktype = own[k];
			return own[k];
		}
	}
	return -1;
}

/* R5, R6 */
static int push_atomic(struct walk *w, struct hmr_op *op)
{
	struct held *h;
	int type = 0;

	if (w->nest == NEST_MAX)
		return 0;
	if (w->prof->katomic == KATOMIC_KM_TYPE && (type = km_pick(w, op)) < 0)
		return 0;
	if (!map_ok(w, op, 1))
		return 0;
	h = &w->stack[w->nest++];
	h->page = op->page[0];
	h->code = op->code;
	h->ktype = (uint8_t)type;
	h->seq = obtain(w, op->page[0], 1);
	return 1;
}

static int pop_atomic(struct walk *w, struct hmr_op *op)
{
	int want = op->code == HMR_OP_kunmap_atomic ? HMR_OP_kmap_atomic : HMR_OP_kmap_local;
	struct held *top;

	if (!w->nest || w->stack[w->nest - 1].code != want)
		return 0;
	top = &w->stack[w->nest - 1];
	op->page[0] = top->page;
	release(w, top);
	w->nest--;
	return 1;
}

/* R7 */
static int retarget(struct walk *w, struct hmr_op *op)
{
	int best = -1;

	if (w->usable[lin(w, op->page[0])])
		return 1;
	for (int l = 0; l < NPAGES; l++)
		if (w->usable[l] && (best < 0 || w->latest[l] > w->latest[best]))
			best = l;
	if (best < 0)
		return 0;
	op->page[0] = page_of(w, best);
	return 1;
}

/* ---- DMA (R8, R9) ---- */

static int buf_has_page(const struct walk *w, const struct buf *b, int l)
{
	if (b->sg) {
		for (int k = 0; k < b->npages; k++)
			if (lin(w, b->page[k]) == l)
				return 1;
		return 0;
	}
	return b->lo < (uint32_t)(l + 1) * w->P && b->hi > (uint32_t)l * w->P;
}

static int in_live_buf(const struct walk *w, int l)
{
	for (int i = 0; i < w->nbuf; i++)
		if (buf_has_page(w, &w->buf[i], l))
			return 1;
	return 0;
}

static int mine(const struct walk *w, int l)
{
	return w->sv->owner[l] == w->me + 1;
}

/* A CPU access to a page (R8, R9); stores: write, user_write, set_uncached. */
static int cpu_ok(const struct walk *w, uint16_t page, int store)
{
	int l = lin(w, page);

	if (w->sv->owner[l] && !mine(w, l))
		return 0;
	for (int i = 0; i < w->nbuf; i++) {
		const struct buf *b = &w->buf[i];
		if (buf_has_page(w, b, l) && (b->device || (store && b->dir != DMA_TO_DEVICE)))
			return 0;
	}
	return 1;
}

static struct buf *add_buf(struct walk *w, const struct hmr_op *op, int entries)
{
	struct buf *b = &w->buf[w->nbuf++];

	memset(b, 0, sizeof(*b));
	b->born = ++w->seq;
	b->dir = op->dir;
	b->device = 1;
	w->dma_used += entries;
	return b;
}

static void remove_buf(struct walk *w, struct buf *b)
{
	w->dma_used -= b->sg ? b->npages : 1;
	*b = w->buf[--w->nbuf];
}

/* R15: the DMA path cannot see the lines of an atomic/local map. */
static int vivt_busy(const struct walk *w, int l)
{
	return w->pkmap_dma && holds(w, l, 1);
}

static int buf_busy(const struct walk *w, const struct buf *b)
{
	for (int l = 0; l < NPAGES && w->pkmap_dma; l++)
		if (buf_has_page(w, b, l) && vivt_busy(w, l))
			return 1;
	return 0;
}

static int dma_map(struct walk *w, struct hmr_op *op)
{
	uint32_t base = (uint32_t)lin(w, op->page[0]) * w->P, lo = base, hi = base + w->P;
	struct buf *b;

	if (op->has_range) {
		lo = (base + op->off) & ~(w->L - 1);
		hi = (base + op->off + op->len + w->L - 1) & ~(w->L - 1);
	}
	if ((lo / w->P < (uint32_t)w->nlow) != ((hi - 1) / w->P < (uint32_t)w->nlow))
		return 0;	/* one allocation never spans lowmem and highmem */
	if (hi > (uint32_t)w->npfn * w->P)
		return 0;	/* past the end of memory: only a half-edited script */
	for (uint32_t l = lo / w->P; l <= (hi - 1) / w->P; l++)
		if (!mine(w, (int)l) || in_live_buf(w, (int)l) || vivt_busy(w, (int)l))
			return 0;
	if (w->dma_used + 1 > w->dma_cap)
		return 0;
	if (op->has_range) {
		op->off = lo - base;
		op->len = hi - lo;
	}
	b = add_buf(w, op, 1);
	b->lo = lo;
	b->hi = hi;
	b->page[0] = op->page[0];
	b->npages = 1;
	return 1;
}

static int dma_map_sg(struct walk *w, const struct hmr_op *op)
{
	struct buf *b;

	for (int k = 0; k < op->npages; k++) {
		int l = lin(w, op->page[k]);
		if (!mine(w, l) || in_live_buf(w, l) || vivt_busy(w, l))
			return 0;
		for (int j = 0; j < k; j++)
			if (op->page[j] == op->page[k])
				return 0;
	}
	if (w->dma_used + op->npages > w->dma_cap)
		return 0;
	b = add_buf(w, op, op->npages);
	b->sg = 1;
	b->npages = op->npages;
	memcpy(b->page, op->page, sizeof(b->page));
	return 1;
}

/* Whether op may apply to live buffer b now. */
static int fits(const struct walk *w, const struct buf *b, const struct hmr_op *op)
{
	switch (op->code) {
	case HMR_OP_dev_write:
		return b->device && b->dir != DMA_TO_DEVICE;
	case HMR_OP_dev_read:
		return b->device && b->dir != DMA_FROM_DEVICE;
	case HMR_OP_dma_unmap_sg:
		return b->sg && !buf_busy(w, b);
	case HMR_OP_dma_sync_cpu:
		return !b->sg && b->device && !buf_busy(w, b);
	case HMR_OP_dma_sync_device:
		return !b->sg && !b->device && !buf_busy(w, b);
	default:	/* dma_unmap */
		return !b->sg && !buf_busy(w, b);
	}
}

/* Whether op names b: its first page (dma_unmap, dma_sync_*), one of its
 * pages (dma_unmap_sg), or bytes inside it (dev_write, dev_read). */
static int names(const struct walk *w, const struct buf *b, const struct hmr_op *op)
{
	int l = lin(w, op->page[0]);
	uint32_t a = (uint32_t)l * w->P + op->off, n = op->len ? op->len : 1;

	if (op->code == HMR_OP_dev_write || op->code == HMR_OP_dev_read)
		return b->sg ? buf_has_page(w, b, l) : a >= b->lo && a + n <= b->hi;
	if (op->code == HMR_OP_dma_unmap_sg)
		return buf_has_page(w, b, l);
	return b->page[0] == op->page[0];
}

/* Point op at b: its first page and direction, its list, or (dev_*) bytes
 * at its start, as many of them as fit in that page. */
static void aim(const struct walk *w, struct hmr_op *op, const struct buf *b, int named)
{
	uint32_t room, n = op->len ? op->len : 1;

	if (op->code == HMR_OP_dev_write || op->code == HMR_OP_dev_read) {
		if (named)
			return;
		op->page[0] = b->page[0];
		op->off = b->sg ? 0 : b->lo % w->P;
		room = b->sg ? w->P : (b->hi < (b->lo / w->P + 1) * w->P ? b->hi : (b->lo / w->P + 1) * w->P) - b->lo;
		op->len = n < room ? n : room;
		if (op->len == 1)
			op->len = 0;	/* the parser's form of LEN 1 */
		return;
	}
	op->dir = b->dir;
	op->npages = b->npages;
	memcpy(op->page, b->page, sizeof(op->page));
}

/* The live buffer a DMA op addresses: the one it names if that fits, else
 * the newest that fits, which op is repointed at; NULL if none fits. */
static struct buf *target(struct walk *w, struct hmr_op *op)
{
	struct buf *best = NULL;

	for (int i = 0; i < w->nbuf; i++) {
		struct buf *b = &w->buf[i];
		if (!fits(w, b, op))
			continue;
		if (names(w, b, op)) {
			aim(w, op, b, 1);
			return b;
		}
		if (!best || b->born > best->born)
			best = b;
	}
	if (best)
		aim(w, op, best, 0);
	return best;
}

static int dma_op(struct walk *w, struct hmr_op *op)
{
	struct buf *b;

	if (op->code == HMR_OP_dma_map)
		return dma_map(w, op);
	if (op->code == HMR_OP_dma_map_sg)
		return dma_map_sg(w, op);
	b = target(w, op);
	if (!b)
		return 0;
	switch (op->code) {
	case HMR_OP_dma_unmap:
	case HMR_OP_dma_unmap_sg:
		remove_buf(w, b);
		break;
	case HMR_OP_dma_sync_cpu:
		b->device = 0;	/* the CPU owns it now */
		break;
	case HMR_OP_dma_sync_device:
		b->device = 1;
		break;
	}
	return 1;
}

/* ---- one op ---- */

/* R15: on VIVT only one task writes and reads a page; a page that only
 * retargeted write/read ops name goes to the first task that keeps one. */
static int data_ok(struct walk *w, int l)
{
	if (!w->vivt)
		return 1;
	if (!w->sv->data[l])
		w->sv->data[l] = (uint8_t)(w->me + 1);
	return w->sv->data[l] == w->me + 1;
}

/* R15: the user alias of a page is flushed by nothing in the model. */
static int user_ok(const struct walk *w, int l)
{
	return !(w->vivt && w->sv->kernel[l]) && !(w->pkmap_dma && w->sv->dma[l]);
}

/* R14 */
static int set_uncached(struct walk *w, const struct hmr_op *op)
{
	int l = lin(w, op->page[0]);

	if (w->prof->arch != ARCH_X86 || atomic_ctx(w) || (w->sv->mappers[l] & ~(1u << w->me)) ||
	    holds(w, l, 0) || !cpu_ok(w, op->page[0], 1))
		return 0;
	w->uc[l] = 1;
	return 1;
}

/* Whether op may run here, after the state it leaves; may rewrite op. */
static int apply(struct walk *w, struct hmr_op *op)
{
	if (w->ctx != CTX_PROCESS && process_only(op->code))
		return 0;
	if (is_dma(op->code))
		return dma_op(w, op);
	switch (op->code) {
	case HMR_OP_kmap:
		return !atomic_ctx(w) && take_pers(w, op);
	case HMR_OP_kmap_high_get:
		return w->prof->high_get && !HMR_PAGE_IS_LOW(op->page[0]) && take_pers(w, op);
	case HMR_OP_kunmap:
		return drop_pers(w, op);
	case HMR_OP_kmap_atomic:
	case HMR_OP_kmap_local:
		return push_atomic(w, op);
	case HMR_OP_kunmap_atomic:
	case HMR_OP_kunmap_local:
		return pop_atomic(w, op);
	case HMR_OP_write:
	case HMR_OP_read:
		return retarget(w, op) && cpu_ok(w, op->page[0], op->code == HMR_OP_write) &&
		       data_ok(w, lin(w, op->page[0]));
	case HMR_OP_flush_unused:
		return !atomic_ctx(w);
	case HMR_OP_set_uncached:
		return set_uncached(w, op);
	case HMR_OP_flush_dcache_page:
		return cpu_ok(w, op->page[0], 0);
	case HMR_OP_user_read:
	case HMR_OP_user_write:
		return user_ok(w, lin(w, op->page[0])) && cpu_ok(w, op->page[0], op->code == HMR_OP_user_write);
	case HMR_OP_irq_disable:
		if (w->ctx == CTX_HARDIRQ || w->irqs_off)
			return 0;
		w->irqs_off = 1;
		return 1;
	case HMR_OP_irq_enable:
		if (!w->irqs_off)
			return 0;
		w->irqs_off = 0;
		return 1;
	case HMR_OP_preempt_disable:
		w->preempt++;
		return 1;
	case HMR_OP_preempt_enable:
		if (!w->preempt)
			return 0;
		w->preempt--;
		return 1;
	default:	/* yield */
		return 1;
	}
}

/* ---- a task ---- */

static void walk_reset(struct walk *w)
{
	w->irqs_off = w->preempt = w->has_pers = w->nest = 0;
	w->nbuf = w->dma_used = w->seq = w->nout = 0;
	memset(w->latest, 0, sizeof(w->latest));
	memset(w->usable, 0, sizeof(w->usable));
	memset(w->uc, 0, sizeof(w->uc));
	memset(w->newidx, 0xff, sizeof(w->newidx));
}

/* The ops R12 would append now. */
static int pending(const struct walk *w)
{
	return w->nest + w->nbuf + w->irqs_off + w->preempt + w->has_pers;
}

/* Append an op built here if the rules keep it (R12's releases always are:
 * they come in an order that makes each legal). */
static int append(struct walk *w, int code, const uint16_t *pages, int npages, int dir)
{
	struct hmr_op op;

	memset(&op, 0, sizeof(op));
	op.code = (uint8_t)code;
	op.npages = (uint8_t)(npages ? npages : 1);
	op.dir = (uint8_t)dir;
	if (npages)
		memcpy(op.page, pages, (size_t)npages * sizeof(op.page[0]));
	if (!apply(w, &op))
		return 0;
	w->out[w->nout++] = op;
	return 1;
}

/* R12: release what is outstanding, innermost first. A release the rules
 * refused would be a bug here; stopping keeps it from looping. */
static void release_all(struct walk *w)
{
	while (w->nest) {
		const struct held *top = &w->stack[w->nest - 1];
		if (!append(w, top->code == HMR_OP_kmap_atomic ? HMR_OP_kunmap_atomic : HMR_OP_kunmap_local,
			    &top->page, 1, 0))
			return;
	}
	while (w->nbuf) {
		const struct buf *b = &w->buf[w->nbuf - 1];
		if (!append(w, b->sg ? HMR_OP_dma_unmap_sg : HMR_OP_dma_unmap, b->page, b->npages, b->dir))
			return;
	}
	if (w->irqs_off)
		append(w, HMR_OP_irq_enable, NULL, 0, 0);
	while (w->preempt)
		if (!append(w, HMR_OP_preempt_enable, NULL, 0, 0))
			return;
	if (w->has_pers)
		append(w, HMR_OP_kunmap, &w->pers.page, 1, 0);
}

/* Keep the first limit ops of t that the rules allow. */
static void walk_ops(struct walk *w, const struct hmr_task_def *t, int limit)
{
	walk_reset(w);
	w->ctx = t->ctx;
	for (int i = 0; i < limit; i++) {
		struct hmr_op op = t->ops[i];

		if (!apply(w, &op))
			continue;
		w->newidx[i] = (int16_t)w->nout;
		w->out[w->nout++] = op;
	}
}

static void tidy_task(struct walk *w, struct hmr_task_def *t)
{
	uint8_t data[NPAGES];
	int limit = t->nops;

	/* A retry with fewer ops forgets the pages the longer one claimed. */
	memcpy(data, w->sv->data, sizeof(data));
	for (walk_ops(w, t, limit); w->nout + pending(w) > HMR_MAX_OPS; walk_ops(w, t, limit)) {
		limit--;
		memcpy(w->sv->data, data, sizeof(data));
	}
	release_all(w);
	if (!w->nout)
		append(w, HMR_OP_yield, NULL, 0, 0);
	memcpy(t->ops, w->out, (size_t)w->nout * sizeof(t->ops[0]));
	t->nops = (uint16_t)w->nout;
}

/* ---- config and schedule ---- */

static void set_opt(struct hmr_script *s, int id, int v)
{
	s->cfg.v[id] = v;
	if (v == hmr_opts[id].def)
		s->cfg_set &= ~(1u << id);
	else
		s->cfg_set |= 1u << id;
}

/* R10: the aliasing caches exist only where the kernel runs highmem on them. */
static int cache_ok(const struct hmr_profile *prof, int mode)
{
	if (mode == CACHE_VIVT)
		return prof->arch == ARCH_ARM;
	if (mode == CACHE_VIPT_ALIAS)
		return prof->arch == ARCH_XTENSA;
	return 1;
}

static int effective(const struct hmr_script *s, int id, int profile_default)
{
	return s->cfg.v[id] ? s->cfg.v[id] : profile_default;
}

static void tidy_config(struct hmr_script *s, const struct hmr_profile *prof)
{
	if (!cache_ok(prof, CFG(&s->cfg, cache)))
		set_opt(s, HMR_OPT_cache, 0);
	if (CFG(&s->cfg, speculate) && (effective(s, HMR_OPT_cache, prof->cache_default) == CACHE_VIVT ||
					 !(prof->unmap_maintenance || prof->io_coherent)))
		set_opt(s, HMR_OPT_speculate, 0);
	if (prof->high_get && CFG(&s->cfg, cpus) > 1 && effective(s, HMR_OPT_tlb, prof->tlb_default) == TLB_IPI)
		set_opt(s, HMR_OPT_tlb, prof->tlb_default == TLB_IPI ? TLB_BROADCAST : 0);
	if (CFG(&s->cfg, steps) != hmr_opts[HMR_OPT_steps].hi)	/* R11 */
		set_opt(s, HMR_OPT_steps, hmr_opts[HMR_OPT_steps].hi);
}

/* R13: newidx[t][i] is where original op i of task t went (-1: dropped). */
static void tidy_schedule(struct hmr_script *s, int16_t newidx[][HMR_MAX_OPS])
{
	int n = 0;

	for (int i = 0; i < s->nsched; i++) {
		const struct hmr_sched_line *l = &s->sched[i];
		int op = l->count - 1;

		if (l->hw && (op < 0 || op >= HMR_MAX_OPS || newidx[l->task][op] != op))
			continue;
		s->sched[n++] = *l;
	}
	s->nsched = n;
	if (s->has_schedule && !n) {
		s->has_schedule = 0;
		if (s->has_explore && s->explore.strategy == STRAT_SCHEDULE)
			s->has_explore = 0;
	}
}

/* Parser and decoder scripts are valid; a mutator's half-edited one may not
 * be. Drop ops that name pages the config lacks and move tasks onto CPUs it
 * has, before the rules below index arrays by page and CPU. */
static void drop_invalid(struct hmr_script *s)
{
	int nlow = CFG(&s->cfg, lowmem), nhigh = CFG(&s->cfg, highmem);
	for (int t = 0; t < s->ntasks; t++) {
		struct hmr_task_def *d = &s->task[t];
		int n = 0;
		d->cpu = (uint8_t)(d->cpu % CFG(&s->cfg, cpus));
		for (int i = 0; i < d->nops; i++) {
			int ok = 1;
			for (int k = 0; k < d->ops[i].npages && k < HMR_MAX_SG; k++) {
				uint16_t p = d->ops[i].page[k];
				ok &= (int)HMR_PAGE_NUM(p) < (HMR_PAGE_IS_LOW(p) ? nlow : nhigh);
			}
			if (ok)
				d->ops[n++] = d->ops[i];
		}
		d->nops = (uint16_t)n;
	}
}

void hmr_script_tidy(struct hmr_script *s)
{
	static struct walk w;	/* ~20 KiB: off the stack */
	static struct survey sv;
	static int16_t newidx[HMR_MAX_TASKS][HMR_MAX_OPS];
	const struct hmr_profile *prof =
		&hmr_profiles[s->profile >= 0 && s->profile < hmr_nprofiles ? s->profile : 0];

	drop_invalid(s);
	tidy_config(s, prof);
	memset(&w, 0, offsetof(struct walk, out));	/* out (120 KiB) is written op by op */
	w.prof = prof;
	w.sv = &sv;
	w.vivt = effective(s, HMR_OPT_cache, prof->cache_default) == CACHE_VIVT;
	w.pkmap_dma = w.vivt || prof->dma == DMA_ARM_2630;
	w.P = (uint32_t)CFG(&s->cfg, page_size);
	w.L = (uint32_t)CFG(&s->cfg, line_size);
	w.nlow = CFG(&s->cfg, lowmem);
	w.npfn = w.nlow + CFG(&s->cfg, highmem);
	w.dma_cap = HMR_MAX_DMA / (s->ntasks > 0 ? s->ntasks : 1);
	survey(s, &w, &sv);
	for (int t = 0; t < s->ntasks; t++) {
		w.me = t;
		tidy_task(&w, &s->task[t]);
		memcpy(newidx[t], w.newidx, sizeof(newidx[t]));
	}
	tidy_schedule(s, newidx);
}

/* ---- is it tidy? ---- */

static int same_op(const struct hmr_op *a, const struct hmr_op *b)
{
	return a->code == b->code && a->dir == b->dir && a->ktype == b->ktype &&
	       a->npages == b->npages && a->has_range == b->has_range && a->val == b->val &&
	       !memcmp(a->page, b->page, sizeof(a->page)) && a->off == b->off && a->len == b->len;
}

static int same_sched(const struct hmr_sched_line *a, const struct hmr_sched_line *b)
{
	return a->task == b->task && a->hw == b->hw && a->site == b->site && a->count == b->count &&
	       a->va == b->va;
}

/* t is s as tidying left it: nothing changed. */
static int unchanged(const struct hmr_script *t, const struct hmr_script *s)
{
	if (memcmp(t->cfg.v, s->cfg.v, sizeof(s->cfg.v)) || t->cfg_set != s->cfg_set ||
	    t->nsched != s->nsched || t->has_schedule != s->has_schedule || t->has_explore != s->has_explore)
		return 0;
	for (int i = 0; i < s->nsched; i++)
		if (!same_sched(&t->sched[i], &s->sched[i]))
			return 0;
	for (int k = 0; k < s->ntasks; k++) {
		if (t->task[k].nops != s->task[k].nops)
			return 0;
		for (int i = 0; i < s->task[k].nops; i++)
			if (!same_op(&t->task[k].ops[i], &s->task[k].ops[i]))
				return 0;
	}
	return 1;
}

int hmr_script_is_tidy(const struct hmr_script *s)
{
	static struct hmr_script t;

	hmr_script_copy(&t, s);
	hmr_script_tidy(&t);
	return unchanged(&t, s);
}

void hmr_script_tidy_rules(struct hmr_script *s)
{
	int steps = s->cfg.v[HMR_OPT_steps];
	uint32_t set = s->cfg_set & 1u << HMR_OPT_steps;

	hmr_script_tidy(s);
	s->cfg.v[HMR_OPT_steps] = steps;
	s->cfg_set = (s->cfg_set & ~(1u << HMR_OPT_steps)) | set;
}

int hmr_script_follows_rules(const struct hmr_script *s)
{
	static struct hmr_script t;

	hmr_script_copy(&t, s);
	hmr_script_tidy_rules(&t);
	return unchanged(&t, s);
}
