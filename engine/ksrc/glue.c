/* glue.c - the engine side of the real-source profiles (src-x86, src-arm,
 * ...): the hooks of kabi.h on the engine's primitives and hardware model,
 * the entry points the rig calls (a struct hmr_kapi, kernel/kapi.h) going
 * into the compiled copy that matches the profile and LAST_PKMAP, and the
 * profiles themselves, made at start-up from the copies linked in.
 *
 * The real code's own state (pkmap_count[], the page-address hash, the
 * cursor) is its own; after every hook - so at every scheduling point - the
 * model's mirror of it (PK.pkmap_count, the page addresses) is brought up to
 * date and the changes become history events, so the oracles and reports
 * work unchanged. The real code has scheduling points only where it calls
 * out: lock and unlock, PTE writes, the cache and TLB flushes, sleep and
 * wake-up; not at its plain reads and writes of pkmap_count[], which are all
 * under kmap_lock. */
#include "ksrc/kabi.h"
#include "ksrc/ksrc.h"
#include "hw/hw.h"
#include "sim/sched.h"
#include "kernel/highmem.h"
#include "kernel/dma.h"
#include "kernel/dma_arch.h"
#include "kernel/kapi.h"
#include "kernel/katomic.h"
#include "format/profile.h"
#include "oracle/oracle.h"
#include "sim/hooks.h"
#include <stdio.h>
#include <string.h>

#define S(id) HMR_SITE_##id
#define FIX_PTES (HMR_K_KM_TYPE_NR * HMR_K_NR_CPUS)	/* the larger stride: the km_type eras' */
_Static_assert(FIX_PTES == HMR_FIX_SLOTS, "the real fixmap slots are the model's fixmap window");
_Static_assert(HMR_K_KM_TYPE_NR == KM_TYPE_NR, "one per-cpu stride before 5.11");
_Static_assert(HMR_K_KM_MAX_IDX == KM_MAX_IDX, "one per-cpu stride: the model's kmap_local slots are the kernel's");

struct page hmr_k_pages[HMR_NPFN];
unsigned long totalram_pages;
unsigned long hmr_k_page_shift;

static const struct hmr_ksrc_impl *hmr_ksrc;	/* the copy in use, or NULL */
static const struct hmr_kapi kapi_ksrc;		/* its entry points (the end of this file) */
static const struct hmr_dma_ops *dma_ksrc(void);	/* the copy's DMA path (before kapi_ksrc) */
static struct hmr_kapi mixed;			/* those the copy has, the model's others */
static const struct hmr_ksrc_impl *mixed_for;	/* the copy mixed was made for */
static const unsigned int *cursor;		/* its last_pkmap_nr, or NULL */

static pte_t pkmap_ptes[HMR_MAX_SLOTS];
static pte_t fix_ptes[FIX_PTES];		/* index FIX_PTES - 1 - idx: the kernel walks it downwards */
static struct task_struct tasks[HMR_MAX_TASKS + HMR_MAX_CPUS];	/* then each CPU's idle task */
static struct spinlock locks[160];		/* kmap_lock and the hash's bucket locks, made on first use */
static int nlocks;
static struct wait_queue_head wqs[4];
static int nwqs;
static uint32_t pa_seen[HMR_NPFN];		/* page_address() as the history last showed it */
static int switching = -1;			/* the task a context-switch hook works for: no
						 * scheduling points inside a switch */
static char in_flush_dcache_page[HMR_MAX_TASKS];	/* per task: flush_dcache_page's lines */

/* Back to boot values: every static of every copy (build/ksrc/table.c, which
 * only build/hmrig-ksrc links; wrap.c puts them in two sections for it). */
void hmr_ksrc_restore_statics(void) __attribute__((weak));

int hmr_ksrc_reset(void)
{
	hmr_ksrc = NULL;
	hmr_kapi = &hmr_kapi_model;
	if (!W.prof->ksrc)
		return 0;
	for (int i = 0; hmr_ksrc_impls[i]; i++)
		if (!strcmp(hmr_ksrc_impls[i]->arch, W.prof->ksrc) && hmr_ksrc_impls[i]->last_pkmap == W.last_pkmap)
			hmr_ksrc = hmr_ksrc_impls[i], cursor = hmr_ksrc_cursors[i];
	if (!hmr_ksrc)
		return -1;
	hmr_ksrc_restore_statics();
	hmr_k_page_shift = 0;
	while ((1u << hmr_k_page_shift) < W.P)
		hmr_k_page_shift++;
	memset(pkmap_ptes, 0, sizeof(pkmap_ptes));
	memset(fix_ptes, 0, sizeof(fix_ptes));
	memset(tasks, 0, sizeof(tasks));
	memset(pa_seen, 0, sizeof(pa_seen));
	memset(in_flush_dcache_page, 0, sizeof(in_flush_dcache_page));
	nlocks = nwqs = 0;
	for (int i = 0; i < W.ntask; i++)
		tasks[i].hmr_id = i;
	hmr_ksrc->reset(pkmap_ptes);
	/* What the tree does not have (before 5.11, kmap_atomic without the
	 * architecture's file; kmap_local) stays the model's: made once a copy. */
	if (mixed_for != hmr_ksrc) {
		mixed = kapi_ksrc;
		if (!hmr_ksrc->kmap_atomic)
			mixed.kmap_atomic = hmr_kapi_model.kmap_atomic, mixed.kunmap_atomic = hmr_kapi_model.kunmap_atomic;
		if (!hmr_ksrc->kmap_local)
			mixed.kmap_local_page = hmr_kapi_model.kmap_local_page, mixed.kunmap_local = hmr_kapi_model.kunmap_local;
		if (!hmr_ksrc->sched_out)
			mixed.sched_out = hmr_kapi_model.sched_out, mixed.sched_in = hmr_kapi_model.sched_in;
		mixed.dma = hmr_ksrc->dma_map_page ? dma_ksrc() : NULL;
		mixed_for = hmr_ksrc;
	}
	hmr_kapi = &mixed;
	return 0;
}

/* ---- the mirror ---- */

static void sync(void)
{
	const int *count = hmr_ksrc->pkmap_count;
	for (int i = 0; i < W.last_pkmap; i++) {
		if (PK.pkmap_count[i] == count[i])
			continue;
		hmr_event(EV_COUNT, (uint32_t)i, (uint32_t)PK.pkmap_count[i], (uint32_t)count[i]);
		PK.pkmap_count[i] = count[i];
		hmr_pkmap_live(i);
	}
	for (int pfn = W.nlow; pfn < W.npfn; pfn++) {
		uint32_t va = hmr_ksrc->page_address_peek(pfn);
		if (va != pa_seen[pfn])
			hmr_event(EV_PAGE_ADDR, (uint32_t)pfn, va, 0);
		pa_seen[pfn] = va;
	}
}

/* The structural invariants of docs/MODEL.md a.8 that the state alone shows
 * (P1-P3), checked where the model checks its own: as kmap_lock is dropped.
 * P4-P6 are about who holds what, which only the model's bookkeeping knows;
 * the differential oracle (hmrig diff) covers them against the model. */
static uint32_t pte_of(int slot) { return (uint32_t)pkmap_ptes[slot].pte; }
static uint32_t peek(int pfn) { return hmr_ksrc->page_address_peek(pfn); }
static void check(void) { hmr_pkmap_check_real(pte_of, peek); }

/* ---- pages and addresses ---- */

int hmr_k_page_highmem(const struct page *page) { return hmr_pfn_is_high((int)(page - hmr_k_pages)); }
void *hmr_k_lowmem_address(const struct page *page)
{
	return (void *)(unsigned long)hmr_lowmem_va((int)(page - hmr_k_pages));
}
struct page *hmr_k_virt_to_page(const void *va)
{
	return &hmr_k_pages[((uint32_t)(unsigned long)va - PAGE_OFFSET) / W.P];
}
uint32_t hmr_k_ptr32(const void *p)
{
	const struct page *pg = p;
	if (pg >= hmr_k_pages && pg < hmr_k_pages + HMR_NPFN)
		return 0xc1000000u + (uint32_t)(pg - hmr_k_pages) * 32u;	/* mem_map on a 32-bit kernel */
	return (uint32_t)(uintptr_t)p;
}

/* ---- page tables, TLB, caches ---- */

/* The real code's fixmap grows down from HMR_K_FIXADDR_TOP, the model's up
 * from FIXADDR_KMAP: slot idx is one page in each. */
static int fix_idx(unsigned long vaddr)
{
	return (int)((HMR_K_FIXADDR_TOP - (vaddr & ~(unsigned long)(W.P - 1))) / W.P);
}

static int in_kfix(unsigned long vaddr)
{
	unsigned long page = vaddr & ~(unsigned long)(W.P - 1);	/* slot 0's page starts at the top */
	return page <= HMR_K_FIXADDR_TOP && page > HMR_K_FIXADDR_TOP - (unsigned long)FIX_PTES * W.P;
}

static uint32_t to_model(unsigned long kva)
{
	return in_kfix(kva) ? hmr_fix_va(fix_idx(kva)) + (uint32_t)(kva & (W.P - 1)) : (uint32_t)kva;
}

static uint32_t to_kernel(uint32_t va)
{
	if (!hmr_in_fixmap(va))
		return va;
	return (uint32_t)(HMR_K_FIXADDR_TOP - ((va - FIXADDR_KMAP) / W.P) * W.P + (va & (W.P - 1)));
}

pte_t *hmr_k_virt_to_kpte(unsigned long vaddr)
{
	return &fix_ptes[FIX_PTES - 1 - fix_idx(vaddr)];
}

void hmr_k_set_pte(unsigned long vaddr, pte_t *ptep, pte_t pte)
{
	int pkmap = ptep >= pkmap_ptes && ptep < pkmap_ptes + HMR_MAX_SLOTS;
	uint32_t va = pkmap ? (uint32_t)vaddr : hmr_fix_va(fix_idx(vaddr));

	sync();
	if (pte.pte && switching < 0)
		hmr_sched_point(pkmap ? S(pkmap_set_pte) : S(katomic_push));
	*ptep = pte;
	if (pte.pte)
		hmr_set_pte(va, (int)pte.pte - 1, pkmap ? "map_new_virtual" :
			    switching >= 0 ? "__kmap_local_sched_in" : "__kmap_local_pfn_prot");
	else
		hmr_pte_clear(va, pkmap ? "flush_all_zero_pkmaps" : switching >= 0 ? "__kmap_local_sched_out" : "kunmap_local_indexed");
	sync();
	if (!pte.pte && switching < 0)
		hmr_sched_point(pkmap ? S(flush_pkmap_slot) : S(katomic_clear));
}

void hmr_k_set_kpte(pte_t *ptep, pte_t pte)
{
	hmr_k_set_pte(HMR_K_FIXADDR_TOP - (unsigned long)(FIX_PTES - 1 - (ptep - fix_ptes)) * W.P, ptep, pte);
}

pte_t *hmr_k_kmap_pte(void) { return &fix_ptes[FIX_PTES - 1]; }

int hmr_k_cache_is_vivt(void) { return W.cache_mode == CACHE_VIVT; }

/* As the model's ARM kunmap_atomic flushes a slot, or, inside
 * flush_dcache_page, as the model's flush_dcache_page does: a point per line,
 * at the site of the model's loop (hmrig diff compares at those). */
void hmr_k_flush_dcache_va(unsigned long vaddr)
{
	uint32_t va = to_model(vaddr & ~(unsigned long)(W.P - 1));
	sync();
	if (W.cur && in_flush_dcache_page[W.cur->id])
		hmr_flush_dcache_lines(va, (int)hmr_pte_get(va) - 1);
	else
		hmr_maint_range(va, W.P, OP_FLUSH, (int)hmr_pte_get(va) - 1);
}

void hmr_k_flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	sync();
	hmr_sched_point(S(flush_tlb_before));
	flush_tlb_kernel_range((uint32_t)start, (uint32_t)end);
	hmr_sched_point(S(flush_tlb_after));
}

void hmr_k_local_tlb_flush(unsigned long vaddr)
{
	hmr_tlb_flush_one(hmr_k_cpu(), to_model(vaddr & ~(unsigned long)(W.P - 1)));
}

/* ARM's flush of a VIVT slot before unmapping it, line by line. In
 * kunmap_local an interrupt may come between two lines (preemption is off,
 * IRQs are not), so each has a scheduling point, as the model's kunmap_local
 * has; in the context switch nothing can. hmrig diff showed the missing
 * points. */
void hmr_k_local_pre_unmap(unsigned long vaddr)
{
	uint32_t va = hmr_fix_va(fix_idx(vaddr));
	if (W.cache_mode != CACHE_VIVT)
		return;
	if (switching < 0) {
		sync();
		hmr_maint_range(va, W.P, OP_FLUSH, (int)hmr_pte_get(va) - 1);
		return;
	}
	hmr_flush_lines_quietly(va, -1);
}

void hmr_k_flush_cache_kmaps(void)
{
	sync();
	hmr_flush_cache_kmaps();
	hmr_sched_point(S(flush_cache_kmaps));
}

void hmr_k_flush_dcache_page(struct page *page) { flush_dcache_page((int)(page - hmr_k_pages)); }

/* A DMA path's maintenance of [vaddr, vaddr + size), page by page, each piece
 * meant for the page its VA maps as the piece starts: a VA recycled under the
 * loop is then a wrong-page finding, as on the model's paths. Below
 * PAGE_OFFSET an unmapped VA is a NULL page_address() plus an offset, which
 * faults (E15). */
static void dma_pieces(unsigned long vaddr, unsigned long size, int how, void (*fn)(uint32_t, uint32_t, int, int))
{
	sync();
	while (size) {
		uint32_t va = to_model(vaddr), n = W.P - (va & (W.P - 1));
		if (n > size)
			n = (uint32_t)size;
		if (va < PAGE_OFFSET && !hmr_pte_get(va))
			hmr_oracle->unmapped(va);
		fn(va, n, how, (int)hmr_pte_get(va) - 1);
		vaddr += n;
		size -= n;
	}
}

static void maint(uint32_t va, uint32_t len, int op, int pfn) { hmr_maint_range(va, len, op, pfn); }
void hmr_k_dma_cache(unsigned long va, unsigned long size, int op) { dma_pieces(va, size, op, maint); }
int hmr_k_cache_vipt_nonaliasing(void) { return W.cache_mode == CACHE_VIPT || W.cache_mode == CACHE_PIPT; }

void hmr_k_dmac_map_area(const void *va, size_t size, int dir)
{
	dma_pieces((unsigned long)va, size, dir, hmr_arm_dmac_map_area);
}

void hmr_k_dmac_unmap_area(const void *va, size_t size, int dir)
{
	dma_pieces((unsigned long)va, size, dir, hmr_arm_dmac_unmap_area);
}

static void inv(uint32_t va, uint32_t len, int op, int pfn) { hmr_dma_inv_range(va, len, pfn); }
void hmr_k_dmac_inv_range(const void *s, const void *e) { dma_pieces((unsigned long)s, (unsigned long)e - (unsigned long)s, 0, inv); }
void hmr_k_dmac_clean_range(const void *s, const void *e)
{
	dma_pieces((unsigned long)s, (unsigned long)e - (unsigned long)s, OP_CLEAN, maint);
}
void hmr_k_dmac_flush_range(const void *s, const void *e)
{
	dma_pieces((unsigned long)s, (unsigned long)e - (unsigned long)s, OP_FLUSH, maint);
}
int hmr_k_virt_addr_valid(unsigned long va) { return va >= PAGE_OFFSET && va < PAGE_OFFSET + (unsigned long)W.nlow * W.P; }

unsigned long hmr_k_line_size(void) { return W.L; }
int hmr_k_post_dma_maintenance(void) { return W.prof->unmap_maintenance; }
unsigned long hmr_k_irq_save(void) { return local_irq_save(); }
void hmr_k_irq_restore(unsigned long flags) { local_irq_restore(flags); }

/* ---- CPU, task and context state ---- */

int hmr_k_cpu(void) { return switching >= 0 ? W.task[switching].cpu : smp_processor_id(); }
void hmr_k_preempt(int delta) { if (delta > 0) preempt_disable(); else preempt_enable(); }
void hmr_k_might_sleep(void) { might_sleep(); }
int hmr_k_irqs_disabled(void) { return irqs_disabled(); }
int hmr_k_in_hardirq(void) { return in_irq(); }
int hmr_k_in_interrupt(void) { return in_interrupt(); }
/* In an interrupt, current is the task it interrupted (its kmap_local stack
 * grows on), or the CPU's idle task. */
struct task_struct *hmr_k_current(void)
{
	const struct hmr_task *t;
	if (switching >= 0)
		return &tasks[switching];
	t = W.cur;
	if (t->ctx != CTX_PROCESS)
		return W.cpu[t->cpu].curr ? &tasks[W.cpu[t->cpu].curr->id] : &tasks[HMR_MAX_TASKS + t->cpu];
	return &tasks[t->id];
}

void hmr_k_bug(const char *file, int line, const char *cond)
{
	const char *base = strrchr(file, '/');
	sync();
	hmr_oracle_real_bug(cond, base ? base + 1 : file, line);
	for (;;)	/* the finding ended the execution: a task never gets here */
		hmr_end_execution();
}

int hmr_k_warn(int cond, const char *file, int line, const char *what)
{
	(void)file, (void)line;
	if (cond)
		hmr_warn(what, hmr_fn_outer(W.cur));
	return cond;
}

/* ---- locks and wait queues ---- */

void hmr_k_spin(spinlock_t *l, int op, unsigned long *flags)
{
	/* the model's sites for this lock: acquire, release, and for lock_kmap_any */
	static const int sites[][4] = {
		[HMR_K_LOCK_pa] = { S(pa_lock), S(pa_unlock), S(pa_lock), S(pa_unlock) },
		[HMR_K_LOCK_kmap_lock] = { S(lock_kmap), S(unlock_kmap), S(lock_kmap_any), S(unlock_kmap_any) },
		[HMR_K_LOCK_pool] = { S(pool_lock), S(pool_unlock), S(pool_lock), S(pool_unlock) },
	};
	const int *site = sites[l->site];
	struct spinlock *s = l->lock;

	if (!s) {
		if (nlocks == (int)(sizeof(locks) / sizeof(locks[0])))
			hmr_rig_fail("ksrc: more than %d spinlocks", nlocks);
		s = l->lock = &locks[nlocks++];
		memset(s, 0, sizeof(*s));
		s->name = l->name;
	}
	sync();
	switch (op) {
	case K_LOCK:
		spin_lock_at(s, site[0]);
		break;
	case K_LOCK_IRQ:
		spin_lock_irq_at(s, site[0]);
		break;
	case K_LOCK_IRQSAVE:
		*flags = spin_lock_irqsave_at(s, site[2]);
		break;
	default:
		if (l->site == HMR_K_LOCK_kmap_lock)
			check();
		if (op == K_UNLOCK)
			spin_unlock_at(s, site[1]);
		else if (op == K_UNLOCK_IRQ)
			spin_unlock_irq_at(s, site[1]);
		else
			spin_unlock_irqrestore_at(s, *flags, site[3]);
	}
}

static struct wait_queue_head *wq_of(wait_queue_head_t *q)
{
	if (!q->wq) {
		if (nwqs == (int)(sizeof(wqs) / sizeof(wqs[0])))
			hmr_rig_fail("ksrc: more than %d wait queues", nwqs);
		struct wait_queue_head *w = &wqs[nwqs++];
		memset(w, 0, sizeof(*w));
		w->name = q->name;
		q->wq = w;
	}
	return q->wq;
}

void hmr_k_set_current_state(int state) { set_current_state(state); }
void hmr_k_add_wait_queue(wait_queue_head_t *q, wait_queue_entry_t *w) { (void)w; add_wait_queue(wq_of(q)); }

void hmr_k_remove_wait_queue(wait_queue_head_t *q, wait_queue_entry_t *w)
{
	(void)w;
	remove_wait_queue(wq_of(q));
	hmr_sched_point(S(pkmap_woken));
}

void hmr_k_schedule(void)
{
	sync();
	hmr_sched_point(S(pkmap_sleep));
	schedule();
}

int hmr_k_waitqueue_active(wait_queue_head_t *q) { return waitqueue_active(wq_of(q)); }

void hmr_k_wake_up(wait_queue_head_t *q)
{
	sync();
	hmr_sched_point(S(kunmap_wake));
	wake_up(wq_of(q));
}

/* ---- the entry points, on a real-source profile (kernel/kapi.h) ---- */

/* Who holds which slot, as the model keeps it (PK.holds): the use-after-kunmap
 * and leak oracles read it. */
static void hold(uint32_t va, int d)
{
	if (hmr_in_pkmap(va))
		hmr_pkmap_hold(PKMAP_NR(va), d);
}

/* Enter the real function as the model would its own: named on the task's
 * function stack (reports, coverage), the mirror fresh on both sides. */
#define ENTER(name) (hmr_fn_enter(name), sync())
#define LEAVE() (sync(), hmr_fn_leave())

/* The three shapes of entry point: map a page, unmap by page, unmap by VA
 * (fixmap VAs translated between the kernel's layout and the model's). */
static uint32_t map(const char *fn, uint32_t (*f)(int), int pfn)
{
	ENTER(fn);
	uint32_t va = to_model(f(pfn));
	LEAVE();
	hold(va, 1);	/* on ARM a kmap_local of a pkmap VA is a kmap_high_get pin */
	return va;
}

static void unmap_page(const char *fn, void (*f)(int), int pfn)
{
	hold(hmr_ksrc->page_address_peek(pfn), -1);
	ENTER(fn);
	f(pfn);
	LEAVE();
}

static void unmap_va(const char *fn, void (*f)(uint32_t), uint32_t va)
{
	hold(va, -1);
	ENTER(fn);
	f(to_kernel(va));
	LEAVE();
}

static uint32_t k_kmap(int pfn) { return map("kmap", hmr_ksrc->kmap, pfn); }
static void k_kunmap(int pfn) { unmap_page("kunmap", hmr_ksrc->kunmap, pfn); }
static void k_kunmap_high(int pfn) { unmap_page("kunmap_high", hmr_ksrc->kunmap_high, pfn); }
static uint32_t k_kmap_local(int pfn) { return map("kmap_local_page", hmr_ksrc->kmap_local, pfn); }
static void k_kunmap_local(uint32_t va, int pfn) { (void)pfn; unmap_va("kunmap_local", hmr_ksrc->kunmap_local, va); }
/* Before 5.11 the caller's rules are the model's (katomic.h), whichever code
 * maps: the km_type a caller passes and who holds it, or the stack's order
 * (against the real per-CPU index: a map may be switched out half done). */
static uint32_t k_kmap_atomic(int pfn, int ktype)
{
	int era = W.prof->katomic, type = era == KATOMIC_KM_TYPE ? hmr_km_type_map(pfn, ktype) : ktype;
	ENTER("kmap_atomic");
	uint32_t va = to_model(hmr_ksrc->kmap_atomic(pfn, type));
	LEAVE();
	if (era == KATOMIC_KM_TYPE)
		hmr_km_type_mapped(type, va);
	hold(va, 1);	/* a pkmap VA is a kmap_high_get pin */
	return va;
}

static void k_kunmap_atomic(uint32_t va, int pfn, int ktype)
{
	int era = W.prof->katomic, type = era == KATOMIC_KM_TYPE ? hmr_km_type_unmap(va, pfn, ktype) : ktype;
	hold(va, -1);
	if (era == KATOMIC_STACK && hmr_ksrc->katomic_idx)
		hmr_km_stack_check_unmap(va, hmr_ksrc->katomic_idx[hmr_k_cpu()] - 1);
	ENTER("kunmap_atomic");
	hmr_ksrc->kunmap_atomic(to_kernel(va), type);
	LEAVE();
	if (era == KATOMIC_KM_TYPE)
		hmr_km_type_unmapped(type, va, pfn);
}

static uint32_t k_kmap_high_get(int pfn)
{
	if (!hmr_ksrc->kmap_high_get)
		hmr_rig_fail("ksrc: kmap_high_get on %s, which has no ARCH_NEEDS_KMAP_HIGH_GET", hmr_ksrc->arch);
	return map("kmap_high_get", hmr_ksrc->kmap_high_get, pfn);
}

static void k_kmap_flush_unused(void)
{
	ENTER("kmap_flush_unused");
	hmr_ksrc->kmap_flush_unused();
	LEAVE();
}

static uint32_t k_page_address_peek(int pfn) { return hmr_ksrc->page_address_peek(pfn); }
static int k_cursor(void) { return cursor ? (int)*cursor : -1; }

static uint32_t k_page_address(int pfn)
{
	ENTER("page_address");
	uint32_t va = hmr_ksrc->page_address(pfn);
	LEAVE();
	return va;
}

/* The kernel calls these from the context switch with interrupts off; here
 * they run on whichever fiber dispatched the switch, for task. */
static void k_sched_out(struct hmr_task *t)
{
	switching = t->id;
	hmr_ksrc->sched_out();
	switching = -1;
}

static void k_sched_in(struct hmr_task *t)
{
	switching = t->id;
	hmr_ksrc->sched_in();
	switching = -1;
}

/* The tree's DMA path, named as the entry point the rig called. */
#define K_DMA(name, fn, entry) \
	static void name(int pfn, uint32_t off, uint32_t size, int dir) \
	{ ENTER(fn); hmr_ksrc->entry(pfn, off, size, dir); LEAVE(); }
K_DMA(k_dma_map_page, "dma_map_page", dma_map_page)
K_DMA(k_dma_unmap_page, "dma_unmap_page", dma_unmap_page)
K_DMA(k_dma_sync_for_cpu, "dma_sync_single_for_cpu", dma_sync_for_cpu)
K_DMA(k_dma_sync_for_device, "dma_sync_single_for_device", dma_sync_for_device)
static void k_dma_map_sg_page(int pfn, int dir)
{
	ENTER("dma_map_sg");
	hmr_ksrc->dma_map_sg_page(pfn, dir);
	LEAVE();
}
static void k_flush_dcache_page(int pfn)
{
	ENTER("flush_dcache_page");
	in_flush_dcache_page[W.cur->id] = 1;
	hmr_ksrc->flush_dcache_page(pfn);
	in_flush_dcache_page[W.cur->id] = 0;
	LEAVE();
}
static void k_dma_unmap_sg_page(int pfn, int dir)
{
	ENTER("dma_unmap_sg");
	hmr_ksrc->dma_unmap_sg_page(pfn, dir);
	LEAVE();
}
/* The copy's DMA path; flush_dcache_page is the model's unless the copy has
 * the architecture's (ARM's flush.c). */
static const struct hmr_dma_ops *dma_ksrc(void)
{
	static struct hmr_dma_ops ops;
	ops = *hmr_dma_model_ops();
	ops.map_page = k_dma_map_page;
	ops.unmap_page = k_dma_unmap_page;
	ops.sync_for_cpu = k_dma_sync_for_cpu;
	ops.sync_for_device = k_dma_sync_for_device;
	/* NULL: page by page, as dma_direct_map_sg */
	ops.map_sg_page = hmr_ksrc->dma_map_sg_page ? k_dma_map_sg_page : NULL;
	ops.unmap_sg_page = hmr_ksrc->dma_unmap_sg_page ? k_dma_unmap_sg_page : NULL;
	if (hmr_ksrc->flush_dcache_page)
		ops.flush_dcache_page = k_flush_dcache_page;
	return &ops;
}

static const struct hmr_kapi kapi_ksrc = {
	.kmap = k_kmap,
	.kunmap = k_kunmap,
	.kmap_high_get = k_kmap_high_get,
	.kunmap_high = k_kunmap_high,
	.kmap_flush_unused = k_kmap_flush_unused,
	.page_address = k_page_address,
	.page_address_peek = k_page_address_peek,
	.kmap_atomic = k_kmap_atomic,
	.kunmap_atomic = k_kunmap_atomic,
	.kmap_local_page = k_kmap_local,
	.kunmap_local = k_kunmap_local,
	.sched_out = k_sched_out,
	.sched_in = k_sched_in,
	.cursor = k_cursor,
};

/* ---- the real-source profiles ---- */

/* For each architecture the linked-in tree has copies of, src-ARCH: the model
 * profile of the tree's era (which supplies what is still modelled: DMA
 * paths, caches, TLBs) with the real code behind kapi.h. Where the tree's
 * version is on another side of a threshold the model reads than that
 * profile's (x86-2.6.27 for a 5.10 tree: the stack era, no entry pool), the
 * model's twin is that profile at the tree's version, BASE@RELEASE, so that
 * hmrig diff compares like with like. A 6.1 tree keeps the names
 * src-6.1-x86 and src-6.1-arm. */
__attribute__((constructor)) static void add_profiles(void)
{
	static const struct { const char *arch, *human; enum hmr_arch id; } arches[] = {
		{ "x86", "x86-32", ARCH_X86 }, { "arm", "ARM", ARCH_ARM },
		{ "mips", "MIPS", ARCH_MIPS }, { "ppc", "PowerPC", ARCH_PPC },
	};
	static char names[HMR_MAX_SRC_PROFILES][48], helps[HMR_MAX_SRC_PROFILES][240];
	int n = 0, v = hmr_ksrc_version;

	for (int a = 0; a < (int)(sizeof(arches) / sizeof(arches[0])); a++) {
		int have = 0, atomic = 0, base = hmr_profile_era(arches[a].id, v);
		const char *dma = NULL;
		struct hmr_profile twin;
		for (int i = 0; hmr_ksrc_impls[i]; i++)
			if (!strcmp(hmr_ksrc_impls[i]->arch, arches[a].arch))
				have = 1, atomic = hmr_ksrc_impls[i]->kmap_atomic != NULL, dma = hmr_ksrc_impls[i]->dma_file;
		if (!have || base < 0 || n + 3 > HMR_MAX_SRC_PROFILES)
			continue;
		twin = hmr_profiles[base];
		if (hmr_profile_at(&twin, v)) {
			snprintf(names[n], sizeof(names[n]), "%s@%s", hmr_profiles[base].name, hmr_ksrc_release);
			snprintf(helps[n], sizeof(helps[n]), "the model: %s as of Linux %s (build/hmrig-ksrc only; "
				 "src-%s's twin in hmrig diff)", hmr_profiles[base].name, hmr_ksrc_release,
				 arches[a].arch);
			twin.name = names[n];
			twin.help = helps[n++];
			base = hmr_profile_add(&twin);
		}
		for (int alias = 0; alias < 2; alias++) {
			struct hmr_profile p = hmr_profiles[base];
			if (alias && !(v >= 60100 && v < 60200 && (arches[a].id == ARCH_X86 || arches[a].id == ARCH_ARM)))
				break;
			snprintf(names[n], sizeof(names[n]), alias ? "src-6.1-%s" : "src-%s", arches[a].arch);
			snprintf(helps[n], sizeof(helps[n]), "Linux %s's own highmem code%s%s%s, %s (build/hmrig-ksrc only); "
				 "%s%sthe rest as %s", hmr_ksrc_release, dma ? " and DMA path (" : "", dma ? dma : "",
				 dma ? ")" : "", arches[a].human, atomic ? "" : "kmap_atomic and ",
				 dma ? "" : "the DMA path and ", hmr_profiles[base].name);
			p.name = names[n];
			p.help = helps[n++];
			p.ksrc = arches[a].arch;
			p.base = hmr_profiles[base].name;
			hmr_profile_add(&p);
		}
	}
}
