/* highmem.c - mm/highmem.c as the model runs it (docs/MODEL.md b.2-b.7, b.13).
 *
 * The same state as the kernel (pkmap_count[], the slot cursor or per-colour
 * cursors, kmap_lock and its lock_kmap wrappers, the wait queue(s), the hashed
 * page_address table with its bucket locks and, before 3.8, the entry pool) and
 * the same order of operations. Version differences are profile fields. After
 * every step that releases kmap_lock the invariants P1-P7 of docs/MODEL.md a.8 are
 * checked (pkmap_check).
 * Invariant kept: PK.holds[slot][task] counts the pins each task holds, so
 * pkmap_count[slot] - 1 equals their sum outside the lock (P4). */
#include "kernel/highmem.h"
#include "hw/hw.h"
#include "sim/sched.h"
#include "sim/cov.h"
#include "sim/hooks.h"
#include <stdio.h>
#include <string.h>

struct hmr_pkmap PK;

#define LAST_PKMAP (W.last_pkmap)
#define LAST_PKMAP_MASK (W.last_pkmap - 1)
#define S(id) HMR_SITE_##id


static void set_count(int nr, int v)
{
	hmr_event(EV_COUNT, (uint32_t)nr, (uint32_t)PK.pkmap_count[nr], (uint32_t)v);
	hmr_cov(COV_COUNT, PK.count_site[nr], (uint32_t)W.last_site);
	hmr_race_access(RACE_COUNT, nr, 1);
	PK.count_site[nr] = (uint8_t)W.last_site;
	PK.pkmap_count[nr] = v;
	hmr_pkmap_live(nr);
}

/* A read of pkmap_count[nr] that decides something: reads-from coverage. */
static int count_of(int nr)
{
	hmr_cov(COV_COUNT, PK.count_site[nr], (uint32_t)W.last_site | 0x100u);
	hmr_race_access(RACE_COUNT, nr, 0);
	return PK.pkmap_count[nr];
}

static void hold(int nr, int pfn, int d)
{
	hmr_pkmap_hold(nr, d);
	PK.hold_pfn[nr] = pfn;
}

static int pa_bucket(int pfn) { return (pfn * 37) & (PA_HASH_SIZE - 1); }

uint32_t hmr_pa_hash_lookup(int pfn)
{
	for (int i = PK.pa_head[pa_bucket(pfn)]; i >= 0; i = PK.pa_map[i].next)
		if (PK.pa_map[i].pfn == pfn)
			return PK.pa_map[i].virtual;
	return 0;
}

/* ---- lock wrappers (a.4): IRQs off on ARCH_NEEDS_KMAP_HIGH_GET ---- */

static void lock_kmap(void)
{
	if (W.prof->high_get)
		spin_lock_irq_at(&PK.kmap_lock, S(lock_kmap));
	else
		spin_lock_at(&PK.kmap_lock, S(lock_kmap));
}

static void unlock_kmap(void)
{
	hmr_oracle->pkmap_check();	/* P1-P7 as kmap_lock is dropped */
	if (W.prof->high_get)
		spin_unlock_irq_at(&PK.kmap_lock, S(unlock_kmap));
	else
		spin_unlock_at(&PK.kmap_lock, S(unlock_kmap));
}

static unsigned long lock_kmap_any(void)
{
	if (W.prof->high_get)
		return spin_lock_irqsave_at(&PK.kmap_lock, S(lock_kmap_any));
	spin_lock_at(&PK.kmap_lock, S(lock_kmap_any));
	return 0;
}

static void unlock_kmap_any(unsigned long flags)
{
	hmr_oracle->pkmap_check();	/* P1-P7 as kmap_lock is dropped */
	if (W.prof->high_get)
		spin_unlock_irqrestore_at(&PK.kmap_lock, flags, S(unlock_kmap_any));
	else
		spin_unlock_at(&PK.kmap_lock, S(unlock_kmap_any));
}

/* ---- colour hooks (b.13); defaults give the classic single cursor ---- */

static int get_pkmap_color(int pfn) { return W.prof->colour_pkmap ? pfn & (W.colors - 1) : 0; }

int hmr_pkmap_color_of_slot(int nr) { return W.prof->colour_pkmap ? nr & (W.colors - 1) : 0; }

static int get_next_pkmap_nr(int color)
{
	hmr_race_access(RACE_CURSOR, color, 1);
	if (!W.prof->colour_pkmap) {
		PK.last_pkmap_nr = (PK.last_pkmap_nr + 1) & LAST_PKMAP_MASK;
		return PK.last_pkmap_nr;
	}
	PK.last_pkmap_nr_arr[color] = (PK.last_pkmap_nr_arr[color] + W.colors) & LAST_PKMAP_MASK;
	return PK.last_pkmap_nr_arr[color] + color;
}

static int no_more_pkmaps(int nr, int color)
{
	(void)color;
	return W.prof->colour_pkmap ? nr < W.colors : nr == 0;
}

static int get_pkmap_entries_count(int color)
{
	(void)color;
	return W.prof->colour_pkmap ? LAST_PKMAP / W.colors : LAST_PKMAP;
}

static struct wait_queue_head *get_pkmap_wait_queue_head(int color)
{
	return &PK.pkmap_map_wait[W.prof->colour_pkmap ? color : 0];
}

/* ---- the page-address hash (a.6) ---- */

uint32_t page_address(int pfn)
{
	if (!hmr_pfn_is_high(pfn))
		return hmr_lowmem_va(pfn);
	struct spinlock *l = &PK.pa_lock[pa_bucket(pfn)];
	unsigned long flags = spin_lock_irqsave_at(l, S(pa_lock));
	hmr_race_access(RACE_HASH, pa_bucket(pfn), 0);
	uint32_t va = hmr_pa_hash_lookup(pfn);
	spin_unlock_irqrestore_at(l, flags, S(pa_unlock));
	return va;
}

uint32_t hmr_page_address_peek(int pfn)
{
	return hmr_pfn_is_high(pfn) ? hmr_pa_hash_lookup(pfn) : hmr_lowmem_va(pfn);
}

/* Called only under kmap_lock (map_new_virtual, flush_all_zero_pkmaps). */
static void set_page_address(int pfn, uint32_t va)
{
	int b = pa_bucket(pfn), e;
	unsigned long flags;
	hmr_event(EV_PAGE_ADDR, (uint32_t)pfn, va, 0);
	if (va) {
		if (W.prof->pool_hash) {
			flags = spin_lock_irqsave_at(&PK.pool_lock, S(pool_lock));
			BUG_ON(PK.pa_pool < 0);
			e = PK.pa_pool;
			PK.pa_pool = PK.pa_map[e].next;
			spin_unlock_irqrestore_at(&PK.pool_lock, flags, S(pool_unlock));
		} else {
			e = PKMAP_NR(va);	/* 3.8+: slot i always uses entry i */
		}
		PK.pa_map[e].pfn = pfn;
		PK.pa_map[e].virtual = va;
		flags = spin_lock_irqsave_at(&PK.pa_lock[b], S(pa_lock));
		hmr_race_access(RACE_HASH, b, 1);
		PK.pa_map[e].next = PK.pa_head[b];
		PK.pa_head[b] = e;
		spin_unlock_irqrestore_at(&PK.pa_lock[b], flags, S(pa_unlock));
		return;
	}
	flags = spin_lock_irqsave_at(&PK.pa_lock[b], S(pa_lock));
	hmr_race_access(RACE_HASH, b, 1);
	for (int *pp = &PK.pa_head[b]; (e = *pp) >= 0; pp = &PK.pa_map[e].next) {
		if (PK.pa_map[e].pfn != pfn)
			continue;
		*pp = PK.pa_map[e].next;
		PK.pa_map[e].pfn = -1;
		spin_unlock_irqrestore_at(&PK.pa_lock[b], flags, S(pa_unlock));
		if (W.prof->pool_hash) {
			flags = spin_lock_irqsave_at(&PK.pool_lock, S(pool_lock));
			PK.pa_map[e].next = PK.pa_pool;
			PK.pa_pool = e;
			spin_unlock_irqrestore_at(&PK.pool_lock, flags, S(pool_unlock));
		}
		return;
	}
	spin_unlock_irqrestore_at(&PK.pa_lock[b], flags, S(pa_unlock));
}

/* ---- b.4 ---- */

void hmr_flush_cache_kmaps(void)
{
	switch (W.prof->fck) {
	case FCK_ALL:
		hmr_flush_cache_all();
		break;
	case FCK_VIVT_ONLY:
		if (W.cache_mode == CACHE_VIVT)
			hmr_flush_cache_all();
		break;
	case FCK_BUG_ON_ALIAS:
		BUG_ON(W.cache_mode == CACHE_VIPT_ALIAS);
		break;
	default:
		break;
	}
}

/* Returns the first slot it freed, or -1: the kernel's version returns nothing;
 * only the flush_returns_index switch (E18) uses the result. */
static int flush_all_zero_pkmaps(void)
{
	int need_flush = 0, first = -1;
	hmr_fn_enter("flush_all_zero_pkmaps");
	hmr_flush_cache_kmaps();
	sched_point(flush_cache_kmaps);
	for (int i = 0; i < LAST_PKMAP; i++) {
		if (count_of(i) != 1)
			continue;
		set_count(i, 0);
		hmr_race_access(RACE_PTE, i, 0);
		BUG_ON(!HW.pkmap_pte[i]);
		int pfn = (int)HW.pkmap_pte[i] - 1;
		/* Before 3.8 the address to clear was page_address(page): a
		 * bucket lock, so scheduling points, per freed slot (hmrig diff
		 * found it against 2.6.3x trees); 3.8+ uses PKMAP_ADDR(i). */
		hmr_pte_clear(W.prof->version < 30800 ? page_address(pfn) : PKMAP_ADDR(i), "flush_all_zero_pkmaps");
		set_page_address(pfn, 0);
		need_flush = 1;
		if (first < 0)
			first = i;
		sched_point(flush_pkmap_slot);
	}
	if (need_flush || !W.prof->need_flush) {
		sched_point(flush_tlb_before);
		flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(LAST_PKMAP));
		sched_point(flush_tlb_after);
	}
	hmr_fn_leave();
	return first;
}


/* ---- b.3: called with kmap_lock held; may drop it to sleep ---- */

static uint32_t map_new_virtual(int pfn)
{
	int color = get_pkmap_color(pfn), count, nr;
	uint32_t va;

	hmr_fn_enter("map_new_virtual");
start:
	count = get_pkmap_entries_count(color);
	for (;;) {
		nr = get_next_pkmap_nr(color);
		if (no_more_pkmaps(nr, color)) {
			sched_point(pkmap_wrap);
			int first = flush_all_zero_pkmaps();
			count = get_pkmap_entries_count(color);
			if (SW(flush_returns_index) && !W.prof->colour_pkmap) {
				/* E18: take the first slot the flush freed; none freed
				 * means sleep, whatever else is free. */
				if (first < 0)
					goto sleep;
				nr = PK.last_pkmap_nr = first;
				break;
			}
		}
		sched_point(pkmap_scan);
		if (!count_of(nr))
			break;
		if (--count)
			continue;
sleep:
		/* A whole cycle and nothing free: sleep until a kunmap_high frees one. */
		hmr_oracle->sleep_is_needed(color);	/* f.3 */
		struct wait_queue_head *wq = get_pkmap_wait_queue_head(color);
		set_current_state(TASK_UNINTERRUPTIBLE);
		add_wait_queue(wq);
		unlock_kmap();
		sched_point(pkmap_sleep);
		schedule();
		remove_wait_queue(wq);
		sched_point(pkmap_woken);
		lock_kmap();
		/* Somebody may have mapped our page while we slept. Looked up
		 * twice when so, as the kernel writes it: the value cannot
		 * change under kmap_lock, but each lookup takes a bucket lock,
		 * a scheduling point (hmrig diff found the second). */
		if (page_address(pfn)) {
			va = page_address(pfn);
			hmr_fn_leave();
			return va;
		}
		goto start;
	}
	va = PKMAP_ADDR(nr);
	sched_point(pkmap_set_pte);
	hmr_oracle->pkmap_slot_fresh(nr);
	hmr_set_pte(va, pfn, "kmap_high");
	set_count(nr, 1);
	set_page_address(pfn, va);
	hmr_fn_leave();
	return va;
}

/* ---- b.2, b.5, b.6, b.7 ---- */

uint32_t kmap_high(int pfn)
{
	uint32_t va;
	int nr;

	hmr_fn_enter("kmap_high");
	lock_kmap();
	va = page_address(pfn);
	sched_point(kmap_high_addr);
	if (!va)
		va = map_new_virtual(pfn);
	nr = PKMAP_NR(va);
	sched_point(pkmap_count);
	set_count(nr, count_of(nr) + 1);
	BUG_ON(PK.pkmap_count[nr] < 2);
	hold(nr, pfn, 1);
	unlock_kmap();
	hmr_fn_leave();
	return va;
}

uint32_t kmap_high_get(int pfn)
{
	unsigned long flags;
	uint32_t va;

	hmr_fn_enter("kmap_high_get");
	flags = lock_kmap_any();
	va = page_address(pfn);
	if (va) {
		int nr = PKMAP_NR(va);
		sched_point(pkmap_count);
		BUG_ON(count_of(nr) < 1);
		set_count(nr, PK.pkmap_count[nr] + 1);
		hold(nr, pfn, 1);
	}
	unlock_kmap_any(flags);
	hmr_fn_leave();
	return va;
}

void kunmap_high(int pfn)
{
	unsigned long flags;
	uint32_t va;
	int nr, need_wakeup = 0;
	struct wait_queue_head *wq = get_pkmap_wait_queue_head(get_pkmap_color(pfn));

	hmr_fn_enter("kunmap_high");
	flags = lock_kmap_any();
	va = page_address(pfn);
	BUG_ON(!va);
	nr = PKMAP_NR(va);
	hmr_oracle->pkmap_unpin(nr);	/* P4: only a holder releases */
	if (SW(test_ub)) {
		/* Test only: undefined behaviour (an index past holds[nr]) that
		 * changes nothing here, for the campaign's sanitizer check. */
		volatile int past = HMR_MAX_TASKS;
		(void)PK.holds[nr][past];
	}
	if (SW(test_unlocked_count)) {
		/* Test only: the read-modify-write of the count escapes kmap_lock. */
		int old = count_of(nr);
		unlock_kmap_any(flags);
		sched_point(pkmap_count);
		hold(nr, pfn, -1);
		set_count(nr, old - 1);
		if (PK.pkmap_count[nr] == 1 && waitqueue_active(wq))
			wake_up(wq);
		hmr_fn_leave();
		return;
	}
	sched_point(pkmap_count);
	hold(nr, pfn, -1);
	set_count(nr, count_of(nr) - 1);
	/* 1 -> 0 is flush_all_zero_pkmaps' alone (P5). */
	BUG_ON(PK.pkmap_count[nr] == 0);
	if (PK.pkmap_count[nr] == 1)
		need_wakeup = waitqueue_active(wq);
	unlock_kmap_any(flags);
	if (need_wakeup) {
		sched_point(kunmap_wake);
		wake_up(wq);
	}
	hmr_fn_leave();
}

void kmap_flush_unused(void)
{
	hmr_fn_enter("kmap_flush_unused");
	lock_kmap();
	flush_all_zero_pkmaps();
	unlock_kmap();
	hmr_fn_leave();
}

uint32_t kmap(int pfn)
{
	might_sleep();
	if (!hmr_pfn_is_high(pfn))
		return hmr_lowmem_va(pfn);
	uint32_t va = kmap_high(pfn);
	if (W.prof->kmap_flush_tlb)
		hmr_tlb_flush_one(W.cur->cpu, va);
	return va;
}

void kunmap(int pfn)
{
	if (W.prof->version < 51100)
		BUG_ON(in_interrupt());
	else
		might_sleep();
	if (hmr_pfn_is_high(pfn))
		kunmap_high(pfn);
}

int hmr_pkmap_holds(uint32_t va)
{
	return hmr_in_pkmap(va) && PK.holds[PKMAP_NR(va)][W.cur->id] > 0;
}

void hmr_highmem_reset(void)
{
	memset(PK.pkmap_count, 0, (size_t)LAST_PKMAP * sizeof(int));
	memset(PK.count_site, 0, (size_t)LAST_PKMAP);
	for (int w = 0; w < HMR_MAX_SLOTS / 64; w++)	/* the last execution's rows, whatever its size */
		for (uint64_t bits = PK.held[w]; bits; bits &= bits - 1)
			memset(PK.holds[w * 64 + __builtin_ctzll(bits)], 0, sizeof(PK.holds[0]));
	memset(PK.held, 0, sizeof(PK.held));
	PK.last_pkmap_nr = 0;
	memset(PK.last_pkmap_nr_arr, 0, sizeof(PK.last_pkmap_nr_arr));
	memset(&PK.kmap_lock, 0, sizeof(PK.kmap_lock));
	PK.kmap_lock.name = "kmap_lock";
	memset(&PK.pool_lock, 0, sizeof(PK.pool_lock));
	PK.pool_lock.name = "pool_lock";
	memset(&PK.cpa_lock, 0, sizeof(PK.cpa_lock));	/* dma_x86.c's, reset here with the others */
	PK.cpa_lock.name = "cpa_lock";
	for (int c = 0; c < HMR_MAX_COLORS; c++) {
		memset(&PK.pkmap_map_wait[c], 0, sizeof(PK.pkmap_map_wait[c]));
		PK.pkmap_map_wait[c].name = "pkmap_map_wait";
	}
	static struct spinlock pa_lock0[PA_HASH_SIZE];	/* the buckets' locks as at boot */
	if (!pa_lock0[0].name)
		for (int b = 0; b < PA_HASH_SIZE; b++)
			pa_lock0[b].name = "page_address_htable lock";
	memcpy(PK.pa_lock, pa_lock0, sizeof(PK.pa_lock));
	memset(PK.pa_head, 0xff, sizeof(PK.pa_head));	/* -1: empty */
	for (int i = 0; i < LAST_PKMAP; i++) {
		PK.pa_map[i].pfn = -1;
		PK.pa_map[i].next = i + 1 < LAST_PKMAP ? i + 1 : -1;
	}
	PK.pa_pool = 0;
}
