/* hw.c - memory, TLBs, cache and device (see hw.h); the data oracles judge
 * what they did (oracle/data.c).
 *
 * Leaves out: cache capacity (lines stay until maintained or chosen for
 * eviction), an outer L2 (maintenance by PA is a no-op), instruction caches, TLB
 * capacity misses beyond FIFO replacement of HMR_TLB_ENTRIES. */
#include "hw/hw.h"
#include "sim/choice.h"
#include "sim/sched.h"
#include "sim/cov.h"
#include "sim/hooks.h"
#include <stdio.h>
#include <string.h>

struct hmr_hw HW;

static uint32_t lmask(void) { return ~(W.L - 1); }

#define LDATA(li) (&HW.ldata[(size_t)(li) * W.L])
#define LVER(li) (&HW.lver[(size_t)(li) * W.L])

/* Remember that the page of pa changed, so the next reset restores it. */
static void touch(uint32_t pa)
{
	uint32_t pfn = pa / W.P;
	if (!HW.touched[pfn]) {
		HW.touched[pfn] = 1;
		HW.touched_list[HW.ntouched++] = (uint16_t)pfn;
	}
}

static uint32_t line_key(uint32_t va, uint32_t pa)
{
	switch (W.cache_mode) {
	case CACHE_VIVT:
		return va & lmask();
	case CACHE_VIPT_ALIAS:
		return (pa & lmask()) | ((va / W.P) & (uint32_t)(W.colors - 1)) << 24;
	default:
		return pa & lmask();
	}
}

/* Key -> line index + 1 (0: empty), open addressing with linear probing,
 * kept in step with HW.line by fill, discard and the reset: a speculative
 * fill of a 4 KB page with 8-byte lines looks up 512 keys, and scanning every
 * line for each was most of a fuzz run's time. Keys are unique in HW.line. */
#define LINE_HASH (1 << 18)	/* twice HMR_MAX_LINES: at most half full */
_Static_assert(LINE_HASH >= 2 * HMR_MAX_LINES, "the line index stays at most half full");
static int32_t line_hash[LINE_HASH];

static uint32_t hash_slot(uint32_t key) { return (key * 2654435761u) >> 14 & (LINE_HASH - 1); }
static uint32_t hash_next(uint32_t h) { return (h + 1) & (LINE_HASH - 1); }

/* The slot holding key, or the empty slot where it would go. */
static uint32_t hash_find(uint32_t key)
{
	uint32_t h = hash_slot(key);
	while (line_hash[h] && HW.line[line_hash[h] - 1].key != key)
		h = hash_next(h);
	return h;
}

static int find_line(uint32_t key)
{
	return line_hash[hash_find(key)] - 1;
}

/* Empty slot h and shift later entries of its probe run back over it. */
static void hash_remove(uint32_t h)
{
	for (uint32_t j = hash_next(h); line_hash[j]; j = hash_next(j)) {
		uint32_t home = hash_slot(HW.line[line_hash[j] - 1].key);
		/* j's entry may move to h unless its home lies cyclically in (h, j] */
		if ((h < j) ? (home <= h || home > j) : (home <= h && home > j)) {
			line_hash[h] = line_hash[j];
			h = j;
		}
	}
	line_hash[h] = 0;
}

/* Before HW.nlines drops to 0: empty the index in time proportional to it. */
static void hash_clear(void)
{
	static uint32_t slot[HMR_MAX_LINES];
	for (int i = 0; i < HW.nlines; i++)	/* find them all before emptying any */
		slot[i] = hash_find(HW.line[i].key);
	for (int i = 0; i < HW.nlines; i++)
		line_hash[slot[i]] = 0;
}

uint32_t hmr_new_version(int device)
{
	if (HW.nver >= HMR_MAX_VERSIONS - 1)
		return (uint32_t)HW.nver;
	struct hmr_version *v = &HW.ver[++HW.nver];
	v->task = W.cur ? (uint16_t)W.cur->id : 0xffff;
	v->device = (uint8_t)device;
	v->step = W.step;
	v->op = W.cur ? W.cur->pc : -1;
	return (uint32_t)HW.nver;
}

/* ---- page tables and TLBs ---- */

/* Which PTE maps va, as one number: a pkmap slot, then a fixmap slot
 * (PTE_FIX + i), then a user page (PTE_USER + pfn); -1 for the linear map and
 * anything unmapped. The PTEs, their coverage sites and the TLB index use it. */
enum { PTE_FIX = HMR_MAX_SLOTS, PTE_USER = PTE_FIX + HMR_FIX_SLOTS, PTE_KEYS = PTE_USER + HMR_NPFN };

static int pte_key(uint32_t va)
{
	if (hmr_in_pkmap(va))
		return PKMAP_NR(va);
	if (hmr_in_fixmap(va))
		return PTE_FIX + (int)((va - FIXADDR_KMAP) / W.P);
	if (va >= USER_BASE && va < USER_BASE + (uint32_t)W.npfn * W.P)
		return PTE_USER + (int)((va - USER_BASE) / W.P);
	return -1;
}

/* HW.pte_site keeps kernel (pkmap, fixmap) PTEs only. */
static void pte_cov(uint32_t va, int write)
{
	int i = pte_key(va);
	if (i < 0 || i >= PTE_USER)
		return;
	hmr_cov(COV_PTE, HW.pte_site[i], (uint32_t)W.last_site | (write ? 0x100u : 0));
	if (write)
		HW.pte_site[i] = (uint8_t)W.last_site;
}

static uint32_t *pte_slot(uint32_t va)
{
	int k = pte_key(va);
	if (k < 0)
		return NULL;
	return k < PTE_FIX ? &HW.pkmap_pte[k] : k < PTE_USER ? &HW.fix_pte[k - PTE_FIX] : &HW.user_pte[k - PTE_USER];
}

uint32_t hmr_pte_get(uint32_t va)
{
	if (va >= PAGE_OFFSET && va < PAGE_OFFSET + (uint32_t)W.nlow * W.P)
		return (va - PAGE_OFFSET) / W.P + 1;
	uint32_t *p = pte_slot(va);
	return p ? *p : 0;
}

void hmr_set_pte(uint32_t va, int pfn, const char *fn)
{
	uint32_t *p = pte_slot(va);
	if (!p)
		return;
	*p = (uint32_t)pfn + 1;
	pte_cov(va, 1);
	if (hmr_in_pkmap(va)) {
		hmr_pkmap_live(PKMAP_NR(va));
		hmr_race_access(RACE_PTE, PKMAP_NR(va), 1);
	}
	hmr_event(EV_PTE_SET, va & ~(W.P - 1), (uint32_t)pfn, 0)->fn = fn;
}

void hmr_pte_clear(uint32_t va, const char *fn)
{
	uint32_t *p = pte_slot(va);
	if (!p)
		return;
	uint32_t old = *p;
	*p = 0;
	pte_cov(va, 1);
	if (hmr_in_pkmap(va))
		hmr_race_access(RACE_PTE, PKMAP_NR(va), 1);
	hmr_event(EV_PTE_CLEAR, va & ~(W.P - 1), old ? old - 1 : 0xffffffffu, 0)->fn = fn;
}

/* Each CPU's TLB entry (+ 1, 0: none) of every page a PTE can map, by
 * pte_key(): translation looks an entry up at every access, and the pkmap
 * invariants ask every CPU at every kmap_lock release. The entries and their
 * FIFO order are the model; this only finds them. */
static uint8_t tlb_at[HMR_MAX_CPUS][PTE_KEYS];
static unsigned tlb_rows;	/* CPUs with a tlb_at entry since the reset, a bit each */
_Static_assert(HMR_TLB_ENTRIES < 256, "tlb_at holds an entry index + 1 in a byte");

static struct hmr_tlb_entry *tlb_lookup(int cpu, uint32_t va)
{
	int k = pte_key(va);
	return k >= 0 && tlb_at[cpu][k] ? &HW.tlb[cpu].e[tlb_at[cpu][k] - 1] : NULL;
}

static void tlb_invalidate(int cpu, struct hmr_tlb_entry *e)
{
	if (!e->valid)
		return;
	e->valid = 0;
	tlb_at[cpu][pte_key(e->vpn * W.P)] = 0;
}

int hmr_tlb_has(int cpu, uint32_t va) { return tlb_lookup(cpu, va) != NULL; }

void hmr_pkmap_forget_if_free(int nr)
{
	if (HW.pkmap_pte[nr])
		return;
	for (int c = 0; c < W.ncpu; c++)
		if (hmr_tlb_has(c, PKMAP_ADDR(nr)))
			return;
	HW.pkmap_live[nr >> 6] &= ~(1ull << (nr & 63));
}

void hmr_tlb_flush_one(int cpu, uint32_t va)
{
	struct hmr_tlb_entry *e = tlb_lookup(cpu, va);
	if (e)
		tlb_invalidate(cpu, e);
	hmr_event(EV_TLB_ONE, va & ~(W.P - 1), (uint32_t)cpu, 0);
}

void hmr_tlb_flush_local_all(int cpu)
{
	for (int i = 0; i < HMR_TLB_ENTRIES; i++)
		tlb_invalidate(cpu, &HW.tlb[cpu].e[i]);
}

static void tlb_flush_range(int cpu, uint32_t start, uint32_t end)
{
	for (int i = 0; i < HMR_TLB_ENTRIES; i++) {
		struct hmr_tlb_entry *e = &HW.tlb[cpu].e[i];
		if (e->valid && e->vpn * W.P >= start && e->vpn * W.P < end)
			tlb_invalidate(cpu, e);
	}
}

void flush_tlb_kernel_range(uint32_t start, uint32_t end)
{
	int me = W.cur->cpu;
	hmr_event(EV_TLB_GLOBAL, start, end, 0);
	tlb_flush_range(me, start, end);
	if (W.ncpu == 1)
		return;
	if (W.tlb_mode == TLB_IPI) {
		hmr_ipi_tlb_shootdown(start, end);
		return;
	}
	for (int c = 0; c < W.ncpu; c++)
		tlb_flush_range(c, start, end);
}

/* Translate va on cpu. Returns the pfn, or -1 when nothing maps it. A TLB entry
 * that disagrees with the PTE is a stale-tlb finding. */
static int translate(int cpu, uint32_t va)
{
	uint32_t pte = hmr_pte_get(va);
	if (va >= PAGE_OFFSET && va < PAGE_OFFSET + (uint32_t)W.nlow * W.P)
		return (int)pte - 1;
	struct hmr_tlb_entry *e = tlb_lookup(cpu, va);
	pte_cov(va, 0);
	if (e) {
		if (e->pfn + 1 != pte)
			hmr_oracle->stale_tlb(cpu, va, (int)e->pfn, pte);
		return (int)e->pfn;
	}
	if (!pte)
		return -1;
	int slot = HW.tlb[cpu].next;
	struct hmr_tlb_entry *ne = &HW.tlb[cpu].e[slot];
	HW.tlb[cpu].next = (slot + 1) % HMR_TLB_ENTRIES;
	tlb_invalidate(cpu, ne);	/* FIFO: the oldest entry makes room */
	ne->vpn = va / W.P;
	ne->pfn = pte - 1;
	ne->valid = 1;
	tlb_at[cpu][pte_key(va)] = (uint8_t)(slot + 1);
	tlb_rows |= 1u << cpu;
	if (hmr_in_pkmap(va))
		hmr_pkmap_live(PKMAP_NR(va));
	return (int)pte - 1;
}

static int cpu_translate(uint32_t va)
{
	int pfn = translate(W.cur->cpu, va);
	if (pfn < 0)
		hmr_oracle->unmapped(va);
	return pfn;
}

/* ---- lines ---- */

static int fill(uint32_t key, uint32_t va, uint32_t pa_line)
{
	if ((size_t)(HW.nlines + 1) * W.L > HMR_LINE_POOL)
		hmr_rig_fail("the cache model holds more than %d lines of %u bytes", HW.nlines, W.L);
	int li = HW.nlines++;
	struct hmr_line *l = &HW.line[li];
	l->key = key;
	line_hash[hash_find(key)] = li + 1;
	l->pa = pa_line;
	l->va = va & lmask();
	l->dirty = 0;
	l->site = (uint16_t)W.last_site;
	memcpy(LDATA(li), &HW.mem[pa_line], W.L);
	memcpy(LVER(li), &HW.memver[pa_line], W.L * sizeof(uint32_t));
	hmr_event(EV_LINE_FILL, l->va, pa_line, 0);
	return li;
}

static int other_copy(uint32_t pa, uint32_t v, int except)
{
	uint32_t base = pa & lmask();
	for (int i = 0; i < HW.nlines; i++)
		if (i != except && HW.line[i].pa == base && LVER(i)[pa - base] == v)
			return 1;
	return 0;
}

static int device_owns(uint32_t pa) { return hmr_dma_find(pa, 1 << DMA_FROM_DEVICE) != NULL; }

/* A loaded byte that is not the newest version: the data oracle judges it. */
static void check_read(uint32_t pa, uint32_t got, const char *by, uint32_t va)
{
	if (got != HW.latest[pa])
		hmr_oracle->read(pa, got, by, va);
}

/* The page a maintenance operation in progress means to maintain (-1: none). */
static int maint_target = -1;

/* Drop line li. The newest version of a byte may not vanish with it, unless the
 * byte belongs to the device (FROM_DEVICE). */
static void discard(int li, const char *how)
{
	struct hmr_line *l = &HW.line[li];
	uint32_t first = 0, fv = 0;
	int nlost = 0;
	for (uint32_t i = 0; i < W.L; i++) {
		uint32_t pa = l->pa + i, v = LVER(li)[i];
		if (v != HW.latest[pa] || HW.memver[pa] == v || other_copy(pa, v, li))
			continue;
		if (device_owns(pa)) {
			HW.latest[pa] = HW.memver[pa];
			continue;
		}
		if (!nlost++) {
			first = pa;
			fv = v;
		}
	}
	if (nlost)
		hmr_oracle->lost_line(li, first, fv, nlost, how, maint_target);
	hmr_event(EV_LINE_INV, l->va, l->pa, l->dirty);
	HW.ndirty -= l->dirty;
	hash_remove(hash_find(l->key));
	if (li != HW.nlines - 1)		/* the last line moves into li */
		line_hash[hash_find(HW.line[HW.nlines - 1].key)] = li + 1;
	HW.line[li] = HW.line[HW.nlines - 1];
	memcpy(LDATA(li), LDATA(HW.nlines - 1), W.L);
	memcpy(LVER(li), LVER(HW.nlines - 1), W.L * sizeof(uint32_t));
	HW.nlines--;
}

/* Write line li back. Overwriting memory that holds the only copy of a newer
 * version (the device's data during DMA, typically) loses it. */
static void writeback(int li, const char *how)
{
	struct hmr_line *l = &HW.line[li];
	for (uint32_t i = 0; i < W.L; i++) {
		uint32_t pa = l->pa + i, v = LVER(li)[i], lv = HW.latest[pa];
		if (HW.memver[pa] == lv && v != lv && !other_copy(pa, lv, li))
			hmr_oracle->overwritten(li, pa, how);
	}
	touch(l->pa);
	memcpy(&HW.mem[l->pa], LDATA(li), W.L);
	memcpy(&HW.memver[l->pa], LVER(li), W.L * sizeof(uint32_t));
	HW.ndirty -= l->dirty;
	l->dirty = 0;
	hmr_event(EV_LINE_CLEAN, l->va, l->pa, 0);
}

/* ---- CPU accesses ---- */

/* A write's version over n bytes of two records (the copy written and the
 * newest-version map): in rows of 8, which compile to wide moves. */
static void set_versions(uint32_t *a, uint32_t *b, uint32_t v, uint32_t n)
{
	uint32_t row[8] = { v, v, v, v, v, v, v, v };
	for (; n >= 8; n -= 8, a += 8, b += 8) {
		memcpy(a, row, sizeof(row));
		memcpy(b, row, sizeof(row));
	}
	while (n--)
		*a++ = *b++ = v;
}

static int user_uncached(uint32_t va, int pfn)
{
	return va >= USER_BASE && va < USER_BASE + (uint32_t)W.npfn * W.P && HW.uncached[pfn];
}

void hmr_cpu_store(uint32_t va, uint8_t val, uint32_t len, uint32_t version)
{
	int pfn = cpu_translate(va);
	uint32_t pa = (uint32_t)pfn * W.P + (va & (W.P - 1));
	hmr_event(EV_STORE, va, pa, len);
	touch(pa);
	if (user_uncached(va, pfn)) {
		memset(&HW.mem[pa], val, len);
		set_versions(&HW.memver[pa], &HW.latest[pa], version, len);
		return;
	}
	uint32_t key = line_key(va, pa);
	int li = find_line(key);
	if (li < 0)
		li = fill(key, va, pa & lmask());
	struct hmr_line *l = &HW.line[li];
	uint32_t off = va & (W.L - 1);
	touch(l->pa);
	memset(&LDATA(li)[off], val, len);
	set_versions(&LVER(li)[off], &HW.latest[pa], version, len);
	hmr_cov(COV_LINE, l->site, (uint32_t)W.last_site << 2 | 3u);
	l->site = (uint16_t)W.last_site;
	HW.ndirty += !l->dirty;
	l->dirty = 1;
	l->va = va & lmask();
	l->dirty_task = (uint16_t)W.cur->id;
	l->dirty_step = W.step;
	l->dirty_op = W.cur->pc;
}

void hmr_cpu_load(uint32_t va, uint32_t len)
{
	int pfn = cpu_translate(va);
	uint32_t pa = (uint32_t)pfn * W.P + (va & (W.P - 1));
	hmr_event(EV_LOAD, va, pa, len);
	if (user_uncached(va, pfn)) {
		for (uint32_t i = 0; i < len; i++)
			check_read(pa + i, HW.memver[pa + i], hmr_fn_outer(W.cur), 0);
		return;
	}
	uint32_t key = line_key(va, pa);
	int li = find_line(key);
	if (li < 0)
		li = fill(key, va, pa & lmask());
	uint32_t off = va & (W.L - 1);
	hmr_cov(COV_LINE, HW.line[li].site, (uint32_t)W.last_site << 2 | 3u);
	for (uint32_t i = 0; i < len; i++)
		check_read(pa + i, LVER(li)[off + i], hmr_fn_outer(W.cur), va + i);
}

/* ---- maintenance ---- */

static void do_op(int li, int op, const char *how)
{
	hmr_cov(COV_LINE, HW.line[li].site, (uint32_t)W.last_site << 2 | (uint32_t)op);
	if (op != OP_INV && HW.line[li].dirty)
		writeback(li, how);
	if (op != OP_CLEAN)
		discard(li, how);
}

void hmr_cache_line_op(uint32_t va, int op, int target_pfn)
{
	static const char *const how[] = { "cleaned", "invalidated", "flushed" };
	int li, pfn;
	if (W.cache_mode == CACHE_VIVT) {
		li = find_line(va & lmask());
		if (li < 0)
			return;
		pfn = (int)(HW.line[li].pa / W.P);
		maint_target = target_pfn;
		do_op(li, op, how[op]);
		maint_target = -1;
		if (target_pfn >= 0 && pfn != target_pfn)
			hmr_oracle->wrong_page(va, pfn, target_pfn, "the line it hit belongs to ");
		return;
	}
	pfn = translate(W.cur->cpu, va);
	if (pfn < 0)
		hmr_oracle->wrong_page(va, -1, target_pfn, "nothing maps that VA");
	if (target_pfn >= 0 && pfn != target_pfn)
		hmr_oracle->wrong_page(va, pfn, target_pfn, "the VA now maps ");
	uint32_t pa = (uint32_t)pfn * W.P + (va & (W.P - 1));
	li = find_line(line_key(va, pa));
	if (li >= 0)
		do_op(li, op, how[op]);
}

void hmr_flush_page_lines(int pfn)
{
	for (int i = 0; i < HW.nlines; i++) {
		if (HW.line[i].pa / W.P != (uint32_t)pfn)
			continue;
		do_op(i, OP_FLUSH, "flushed (change of page attribute)");
		i--;	/* discard moved the last line into slot i */
	}
}

void hmr_flush_cache_all(void)
{
	/* The snapshot is far too big for a fiber stack, and per task: two CPUs
	 * can be inside flush_cache_all at once. */
	static uint32_t keyset[HMR_MAX_TASKS][HMR_MAX_LINES];
	uint32_t *keys = keyset[W.cur->id];
	int n = HW.nlines;
	for (int i = 0; i < n; i++)
		keys[i] = HW.line[i].key;
	hmr_event(EV_CACHE_ALL, (uint32_t)n, 0, 0);
	for (int i = 0; i < n; i++) {
		sched_point(cache_all_line);
		int li = find_line(keys[i]);
		if (li >= 0)
			do_op(li, OP_FLUSH, "flushed (flush_cache_all)");
	}
}

/* ---- the device ---- */

static void snoop(uint32_t pa, int invalidate)
{
	for (int i = 0; i < HW.nlines; i++) {
		if (HW.line[i].pa != (pa & lmask()))
			continue;
		if (HW.line[i].dirty)
			writeback(i, "snooped");
		if (invalidate) {
			discard(i, "snooped");
			i--;
		}
	}
}

void hmr_dev_store(uint32_t pa, uint8_t val, uint32_t len, uint32_t version)
{
	hmr_event(EV_DEV_WRITE, pa, len, val);
	if (W.prof->io_coherent)
		for (uint32_t i = 0; i < len; i += W.L - ((pa + i) & (W.L - 1)))
			snoop(pa + i, 1);
	touch(pa);
	memset(&HW.mem[pa], val, len);
	set_versions(&HW.memver[pa], &HW.latest[pa], version, len);
}

void hmr_dev_load(uint32_t pa, uint32_t len)
{
	hmr_event(EV_DEV_READ, pa, len, 0);
	if (W.prof->io_coherent)
		for (uint32_t i = 0; i < len; i += W.L - ((pa + i) & (W.L - 1)))
			snoop(pa + i, 0);
	for (uint32_t i = 0; i < len; i++)
		check_read(pa + i, HW.memver[pa + i], "dev_read", 0);
}

/* ---- DMA ownership ---- */

void hmr_dma_own(int pfn, uint32_t pa, uint32_t len, int dir)
{
	if (HW.ndma >= HMR_MAX_DMA_LIVE)	/* more than the ops can make */
		hmr_rig_fail("more than %d live streaming DMA mappings", HMR_MAX_DMA_LIVE);
	struct hmr_dma_map *m = &HW.dma[HW.ndma++];
	m->pfn = (uint16_t)pfn;
	m->pa = pa;
	m->len = len;
	m->dir = (uint8_t)dir;
	m->task = (uint8_t)W.cur->id;
	m->device_owns = 1;
	hmr_event(EV_DMA_MAP, pa, len, (uint32_t)dir);
}

void hmr_dma_release(int pfn, int dir)
{
	for (int i = 0; i < HW.ndma; i++)
		if (HW.dma[i].pfn == pfn && HW.dma[i].dir == dir) {
			hmr_event(EV_DMA_UNMAP, HW.dma[i].pa, HW.dma[i].len, (uint32_t)dir);
			HW.dma[i] = HW.dma[--HW.ndma];
			return;
		}
}

void hmr_dma_set_owner(int pfn, int dir, int device)
{
	for (int i = 0; i < HW.ndma; i++)
		if (HW.dma[i].pfn == pfn && HW.dma[i].dir == dir)
			HW.dma[i].device_owns = (uint8_t)device;
}

const struct hmr_dma_map *hmr_dma_find(uint32_t pa, int dir_mask)
{
	for (int i = 0; i < HW.ndma; i++)
		if (HW.dma[i].device_owns && pa >= HW.dma[i].pa && pa < HW.dma[i].pa + HW.dma[i].len &&
		    (dir_mask >> HW.dma[i].dir & 1))
			return &HW.dma[i];
	return NULL;
}

/* ---- hardware choices: eviction and speculative fills ---- */

/* Each offers "nothing" and at most 15 lines or pages: the ranks a
 * decisions: block may give. */
_Static_assert(HMR_MAX_RANK >= 15, "a hardware choice's options fit a decision's ranks");

static void hw_choices(void)
{
	if (CFG(&W.cfg, evict)) {
		int dirty[16], n = 0;
		uint32_t lva[16];
		/* A schedule names the line by its VA, and on a physically
		 * indexed cache two dirty lines can share one (pages dirtied in
		 * turn through one kmap_atomic slot): offer the first of them
		 * only, so the VA says which line a replay evicts. */
		for (int i = 0, seen = 0; i < HW.nlines && n < 15 && seen < HW.ndirty; i++) {
			int skip = !HW.line[i].dirty;
			seen += !skip;
			for (int k = 0; k < n && !skip; k++)
				skip = lva[k] == HW.line[i].va;
			if (!skip) {
				lva[n] = HW.line[i].va;
				dirty[n++] = i;
			}
		}
		if (n) {
			int k = hmr_choose_hw(hmr_cur_chooser, n + 1, HW_EVICT, lva);
			if (k) {
				hmr_fn_enter("cache eviction");
				hmr_event(EV_LINE_EVICT, HW.line[dirty[k - 1]].va, HW.line[dirty[k - 1]].pa, 0);
				do_op(dirty[k - 1], OP_FLUSH, "evicted");
				hmr_fn_leave();
			}
		}
	}
	if (CFG(&W.cfg, speculate)) {
		uint32_t va[16];
		int n = 0, cpu = W.cur->cpu;
		/* Kernel-mapped highmem first: those VAs are what the races are
		 * about; the linear map fills the rest of the choice. */
		for (int s = hmr_pkmap_next_live(-1); s >= 0 && n < 15; s = hmr_pkmap_next_live(s))
			if (HW.pkmap_pte[s])
				va[n++] = PKMAP_ADDR(s);
		for (int s = 0; s < HMR_FIX_SLOTS && n < 15; s++)
			if (HW.fix_pte[s] && s / hmr_fix_per_cpu() == cpu)
				va[n++] = hmr_fix_va(s);
		for (int p = 0; p < W.nlow && n < 15; p++)
			va[n++] = hmr_lowmem_va(p);
		int k = hmr_choose_hw(hmr_cur_chooser, n + 1, HW_SPECULATE, va);
		if (!k)
			return;
		uint32_t v = va[k - 1], pte = hmr_pte_get(v);
		const struct hmr_tlb_entry *e = tlb_lookup(cpu, v / W.P);
		if (!pte || (e && e->pfn + 1 != pte))
			return;
		hmr_event(EV_SPEC_FILL, v, (pte - 1) * W.P, 0);
		for (uint32_t o = 0; o < W.P; o += W.L) {
			uint32_t pa = (pte - 1) * W.P + o, key = line_key(v + o, pa);
			if (find_line(key) < 0)
				fill(key, v + o, pa);
		}
	}
}

/* A page's contents at boot: a recognisable pattern, version 0 everywhere. */
static void init_page(uint32_t pfn)
{
	uint32_t base = pfn * W.P;
	uint8_t row[16];	/* pages are at least 64 bytes (options.def) */
	for (int i = 0; i < 16; i++)
		row[i] = (uint8_t)(pfn * 16 + (uint32_t)i);
	for (uint32_t o = 0; o < W.P; o += 16)
		memcpy(&HW.mem[base + o], row, 16);
	memset(&HW.memver[base], 0, W.P * sizeof(uint32_t));
	memset(&HW.latest[base], 0, W.P * sizeof(uint32_t));
	HW.touched[pfn] = 0;
}

void hmr_hw_choices(void)
{
	hw_choices();
	if (W.sched_err[0])	/* a hardware line of the schedule: could not be followed */
		hmr_end_execution();
}

void hmr_hw_reset(void)
{
	if (HW.mem_P != W.P || HW.mem_npfn != (uint32_t)W.npfn) {
		for (uint32_t pfn = 0; pfn < (uint32_t)W.npfn; pfn++)
			init_page(pfn);
		HW.mem_P = W.P;
		HW.mem_npfn = (uint32_t)W.npfn;
	} else {
		for (int i = 0; i < HW.ntouched; i++)
			init_page(HW.touched_list[i]);
	}
	HW.ntouched = 0;
	HW.nver = 0;
	hash_clear();
	HW.nlines = HW.ndirty = 0;
	for (int s = hmr_pkmap_next_live(-1); s >= 0; s = hmr_pkmap_next_live(s))
		HW.pkmap_pte[s] = 0;
	memset(HW.pkmap_live, 0, sizeof(HW.pkmap_live));
	memset(HW.fix_pte, 0, sizeof(HW.fix_pte));
	memset(HW.pte_site, 0, sizeof(HW.pte_site));
	memset(HW.user_pte, 0, (size_t)W.npfn * sizeof(uint32_t));
	memset(HW.uncached, 0, (size_t)W.npfn);
	HW.ndma = 0;
	memset(HW.tlb, 0, sizeof(HW.tlb));
	for (; tlb_rows; tlb_rows &= tlb_rows - 1)
		memset(tlb_at[__builtin_ctz(tlb_rows)], 0, sizeof(tlb_at[0]));
	maint_target = -1;
}
