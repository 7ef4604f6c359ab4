/* pkmap.c - the persistent-kmap invariants P1-P7 (docs/MODEL.md a.8, f.2),
 * checked as kmap_lock is dropped, on the model and on the real code, and the
 * liveness rule of map_new_virtual's sleep (f.3). */
#include "oracle/oracle.h"
#include "hw/hw.h"
#include "kernel/highmem.h"
#include <stdio.h>

static void invariant(const char *p, const char *fmt, int a, int b, int c)
{
	char msg[200];
	snprintf(msg, sizeof(msg), fmt, a, b, c);
	hmr_finding(HMR_K_pkmap_invariant, HMR_ABOUT(a, 0, -1, -1), hmr_fn_outer(W.cur), hmr_fn_outer(W.cur),
		    "%s broken after task %s released kmap_lock in %s at step %u: %s",
		    p, W.cur->def->name, hmr_fn_outer(W.cur), W.step, msg);
}

/* P1-P7 for live slot i; seen: the pfns mapped by the live slots before it. */
static void check_slot(int i, uint64_t *seen)
{
	int c = PK.pkmap_count[i];
	uint32_t pte = HW.pkmap_pte[i], va = PKMAP_ADDR(i);
	int holders = 0;
	for (int t = 0; t < W.ntask; t++)
		holders += PK.holds[i][t];
	if (c == 0) {
		if (pte)
			invariant("P1", "slot %d has count 0 but its PTE maps pfn %d", i, (int)pte - 1, 0);
		for (int cpu = 0; cpu < W.ncpu; cpu++)
			if (hmr_tlb_has(cpu, va))
				invariant("P1", "slot %d is free but cpu%d still caches its translation", i, cpu, 0);
		hmr_pkmap_forget_if_free(i);
		return;
	}
	if (!pte)
		invariant("P2", "slot %d has count %d but no PTE", i, c, 0);
	int pfn = (int)pte - 1;
	if (hmr_pa_hash_lookup(pfn) != va)
		invariant("P2", "slot %d maps pfn %d but page_address() disagrees", i, pfn, 0);
	if (seen[pfn >> 6] >> (pfn & 63) & 1)
		invariant("P3", "pfn %d is mapped by two slots (second: %d)", pfn, i, 0);
	seen[pfn >> 6] |= 1ull << (pfn & 63);
	if (holders != c - 1)
		invariant("P4", "slot %d has count %d but %d holder(s)", i, c, holders);
	if (holders && PK.hold_pfn[i] != pfn)
		invariant("P6", "slot %d was pinned for pfn %d but now maps another page", i, PK.hold_pfn[i], 0);
	if (W.prof->colour_pkmap && (i & (W.colors - 1)) != (pfn & (W.colors - 1)))
		invariant("P7", "slot %d has the wrong colour for pfn %d", i, pfn, 0);
}

/* pkmap_count[i] is 0 for a free slot, 1 for a mapped slot nobody uses (kept
 * until the next flush_all_zero_pkmaps), n for n - 1 users; PK.holds says who
 * they are. Only live slots can break an invariant (a slot with count 0, no
 * PTE and no TLB entry passes P1 and is skipped by the rest), so the check
 * visits those, in slot order as a whole scan would: the same first finding,
 * at a cost that does not grow with LAST_PKMAP. */
static void pkmap_check(void)
{
	uint64_t seen[HMR_NPFN / 64] = { 0 };	/* a bit per pfn: this runs at every kmap_lock release */
	/* One pass over the live bits; the reset cleared all past LAST_PKMAP. */
	for (int w = 0; w < (W.last_pkmap + 63) / 64; w++)
		for (uint64_t bits = HW.pkmap_live[w]; bits; bits &= bits - 1)
			check_slot(w * 64 + __builtin_ctzll(bits), seen);
}

/* Slot nr is about to be handed out: no CPU may still cache its translation. */
static void slot_fresh(int nr)
{
	for (int c = 0; c < W.ncpu; c++)
		if (hmr_tlb_has(c, PKMAP_ADDR(nr)))
			invariant("TLB freshness (f.2.4)", "slot %d is handed out while cpu%d still caches its VA", nr, c, 0);
}

/* The running task releases a pin on slot nr: it must hold one. */
static void unpin(int nr)
{
	if (PK.holds[nr][W.cur->id] <= 0)
		invariant("P4", "slot %d is released by a task that holds no pin on it (task id %d)", nr, W.cur->id, 0);
}

void hmr_pkmap_check_real(uint32_t (*pte_of)(int slot), uint32_t (*page_address_of)(int pfn))
{
	int seen[HMR_NPFN] = { 0 };
	char pn[8];
	const char *fn = hmr_fn_outer(W.cur);
	for (int i = 0; i < W.last_pkmap; i++) {
		int c = PK.pkmap_count[i], pfn = (int)pte_of(i) - 1;
		if ((c == 0) == (pfn < 0) && (c == 0 || (page_address_of(pfn) == PKMAP_ADDR(i) && !seen[pfn]++)))
			continue;
		hmr_finding(HMR_K_pkmap_invariant, HMR_ABOUT(i, 0, -1, -1), fn, fn,
			    "P1-P3 broken after task %s released kmap_lock in %s at step %u: slot %d has count %d, "
			    "its PTE maps %s, and page_address() of that says 0x%08x",
			    W.cur->def->name, fn, W.step, i, c, pfn >= 0 ? hmr_pfn_name(pfn, pn) : "nothing",
			    pfn >= 0 ? page_address_of(pfn) : 0);
		return;
	}
}

/* map_new_virtual sleeps only after a whole cycle that followed a flush, all
 * under kmap_lock, so every slot of its colour is then held (count >= 2).
 * Sleeping while one is reclaimable means only some later kunmap can wake the
 * task: a lost wake-up (E18). */
static void sleep_is_needed(int colour)
{
	for (int i = 0; i < W.last_pkmap; i++) {
		if (hmr_pkmap_color_of_slot(i) != colour || PK.pkmap_count[i] > 1)
			continue;
		hmr_finding(HMR_K_lost_wakeup, HMR_ABOUT(i, 0, -1, -1), "map_new_virtual", "flush_all_zero_pkmaps",
			    "task %s goes to sleep in map_new_virtual waiting for a free pkmap slot at step %u, "
			    "but slot %d has count %d: only a later kunmap_high can wake it",
			    W.cur->def->name, W.step, i, PK.pkmap_count[i]);
	}
}

void hmr_oracle_pkmap(struct hmr_oracle_ops *o)
{
	o->pkmap_check = pkmap_check;
	o->pkmap_slot_fresh = slot_fresh;
	o->pkmap_unpin = unpin;
	o->sleep_is_needed = sleep_is_needed;
}
