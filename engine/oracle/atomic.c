/* katomic.c - the caller's rules of atomic and local kmaps (docs/MODEL.md
 * f.2), the same whether the model (kernel/katomic.c) or the architecture's
 * real code (ksrc/glue.c) maps: the E5 shared-slot rule (an interrupt may not
 * use a km_type that the context it interrupted holds), debug_kmap_atomic's
 * context rules, strict LIFO unmapping in the stack and kmap_local eras, and
 * the BUG_ONs of a live slot PTE and of an index-stack overflow.
 * Invariant kept: km_holders[c][type] is the id + 1 of the task that
 * holds km_type `type` on cpu c (0: nobody), set from map to unmap. */
#include "oracle/oracle.h"
#include "hw/hw.h"
#include "kernel/katomic.h"
#include "sim/sched.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int8_t km_holders[HMR_MAX_CPUS][KM__N];
static char kbuf[2][8];
static const char *pn(int pfn, int k) { return hmr_pfn_name(pfn, kbuf[k & 1]); }

static const char *ctx_name(int ctx)
{
	return ctx == CTX_PROCESS ? "process" : ctx == CTX_SOFTIRQ ? "softirq" : "hardirq";
}

/* The page whose PTE occupies a slot VA, or -1. */
static int pte_page(uint32_t va)
{
	uint32_t pte = hmr_pte_get(va);
	return pte ? (int)pte - 1 : -1;
}

static uint32_t page_base(uint32_t va) { return va & ~(W.P - 1); }

/* The PTE-none check: a live slot means an earlier user never unmapped it
 * (E4) or an interrupt shares it (E5). Names who mapped it, from the events. */
static void km_slot_free(int idx, int pfn)
{
	uint32_t va = hmr_fix_va(idx), pte = HW.fix_pte[idx];
	const struct hmr_event *e = NULL;
	char a[8], b[8];

	if (!pte)
		return;
	for (int i = (W.nev < HMR_MAX_EVENTS ? W.nev : HMR_MAX_EVENTS) - 1; i >= 0 && !e; i--)
		if (W.ev[i].type == EV_PTE_SET && W.ev[i].a == va)
			e = &W.ev[i];
	hmr_finding(HMR_K_bug_on, HMR_ABOUT(-1, 0, pfn, (int)pte - 1), hmr_fn_outer(W.cur), e && e->fn ? e->fn : "kmap_atomic",
		    "kernel BUG in %s: BUG_ON(!pte_none(...)): task %s (cpu%d) maps %s into fixmap slot %d (VA 0x%08x), "
		    "but the slot's PTE still maps %s%s%s%s: its user never unmapped it through the slot VA",
		    hmr_fn_outer(W.cur), W.cur->def->name, W.cur->cpu, hmr_pfn_name(pfn, a), idx, va,
		    hmr_pfn_name((int)pte - 1, b), e && e->task < W.ntask ? " (mapped by task " : "",
		    e && e->task < W.ntask ? W.task[e->task].def->name : "", e && e->task < W.ntask ? ")" : "");
}

/* The index push's BUG_ON(idx >= KM_TYPE_NR / KM_MAX_IDX), worded. */
static void km_stack_overflow(const char *fn, int i, int pfn)
{
	char p[8];
	hmr_finding(HMR_K_bug_on, HMR_ABOUT_NONE, hmr_fn_outer(W.cur), fn,
		    "kernel BUG in %s: task %s (cpu%d) maps %s as nested atomic/local kmap #%d, "
		    "but the cpu has only %d slots%s (index push overflow)",
		    fn, W.cur->def->name, W.cur->cpu, hmr_pfn_name(pfn, p), i + 1,
		    W.prof->katomic == KATOMIC_LOCAL ? KM_MAX_IDX : KM_TYPE_NR,
		    hmr_kmap_colours() > 1 ? " shared by all cache colours" : "");
}

static int km_irq_type(int type)
{
	/* KM_SYNC_PAGE (PPC) and KM_L1_CACHE (ARM) are arch-private slots that
	 * their users guard by disabling IRQs, so they follow the IRQ-type rules. */
	return type == KM_IRQ0 || type == KM_IRQ1 || type == KM_BIO_SRC_IRQ ||
	       type == KM_SYNC_PAGE || type == KM_L1_CACHE;
}

static int km_softirq_type(int type) { return type == KM_SOFTIRQ0 || type == KM_SOFTIRQ1; }

static struct hmr_task *km_holder(int cpu, int type)
{
	int h = km_holders[cpu][type];
	return h > 0 && h <= W.ntask ? &W.task[h - 1] : NULL;
}

/* Whether t is a context the current one interrupted on this cpu. */
static int interrupted_by_cur(const struct hmr_task *t)
{
	const struct hmr_cpu *c = &W.cpu[W.cur->cpu];
	if (W.cur->ctx == CTX_PROCESS)
		return 0;
	if (c->curr == t)
		return 1;
	for (int i = 0; i < c->nirq && c->irq[i] != W.cur; i++)
		if (c->irq[i] == t)
			return 1;
	return 0;
}

static void km_misuse(int pfn, int other_pfn, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void km_misuse(int pfn, int other_pfn, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hmr_finding(HMR_K_kmap_atomic_misuse, HMR_ABOUT(-1, 0, pfn, other_pfn), hmr_fn_outer(W.cur), "kmap_atomic", "%s", msg);
}

/* The E5 oracle (docs/MODEL.md f.2): nobody else on this cpu may hold the type we are
 * about to take. An interrupted holder is the classic bug; a holder that is
 * the current task or not running at all is a leak or a double map. */
static void km_check_holder(int pfn, int type)
{
	int cpu = W.cur->cpu, idx = type + KM_TYPE_NR * cpu;
	struct hmr_task *h = km_holder(cpu, type);
	const char *tn = hmr_km_names[type];

	if (!h)
		return;
	if (interrupted_by_cur(h))
		km_misuse(pfn, pte_page(hmr_fix_va(idx)),
			  "kmap_atomic(%s, %s) in %s context: task %s (cpu%d) takes km_type %s, "
			  "which task %s, the %s context it interrupted, still holds for %s;\n"
			  "  both use fixmap slot %d (VA 0x%08x): %s "
			  "(E5: an interrupt must not use the type of the code it interrupts)",
			  pn(pfn, 0), tn, ctx_name(W.cur->ctx), W.cur->def->name, cpu, tn,
			  h->def->name, ctx_name(h->ctx), pn(pte_page(hmr_fix_va(idx)), 1), idx, hmr_fix_va(idx),
			  hmr_katomic_checks_pte_none() ? "the map would BUG on the live slot PTE"
					    : "the interrupted task's VA is silently retargeted to the interrupt's page");
	km_misuse(pfn, pte_page(hmr_fix_va(idx)),
		  "kmap_atomic(%s, %s): task %s (cpu%d, %s context) takes km_type %s, which %s still holds "
		  "for %s (fixmap slot %d): a km_type may be held once per cpu",
		  pn(pfn, 0), tn, W.cur->def->name, cpu, ctx_name(W.cur->ctx), tn,
		  h == W.cur ? "this task" : h->def->name, pn(pte_page(hmr_fix_va(idx)), 1), idx);
}

/* debug_kmap_atomic() (b.9): the type must suit the context. */
static void debug_kmap_atomic(int pfn, int type)
{
	int ctx = W.cur->ctx;
	const char *why = NULL;

	if (ctx == CTX_HARDIRQ && !km_irq_type(type))
		why = "hardirq context must use an IRQ type";
	else if (ctx == CTX_SOFTIRQ && !km_irq_type(type) && !km_softirq_type(type))
		why = "softirq context must use a SOFTIRQ or IRQ type";
	else if (km_irq_type(type) && !irqs_disabled())
		why = "IRQ types must be used with interrupts disabled";
	if (why)
		km_misuse(pfn, -1, "debug_kmap_atomic: task %s (cpu%d, %s context, IRQs %s) maps %s with %s: %s",
			  W.cur->def->name, W.cur->cpu, ctx_name(ctx), irqs_disabled() ? "off" : "on",
			  pn(pfn, 0), hmr_km_names[type], why);
}

/* The type a kunmap_atomic refers to: the caller's, or for KM_DEFAULT the
 * type this task holds for the page on this cpu (what a correct caller
 * passes). */
int hmr_km_type_unmap(uint32_t va, int pfn, int ktype)
{
	int cpu = W.cur->cpu;
	if (ktype != KM_DEFAULT)
		return ktype;
	for (int type = 1; type < KM__N; type++)	/* first: the type whose slot is va */
		if (km_holder(cpu, type) == W.cur && hmr_fix_va(type + KM_TYPE_NR * cpu) == page_base(va))
			return type;
	for (int type = 1; type < KM__N; type++)
		if (km_holder(cpu, type) == W.cur && HW.fix_pte[type + KM_TYPE_NR * cpu] == (uint32_t)pfn + 1)
			return type;
	return hmr_km_default_type();
}

/* The caller's side of a km_type map and unmap, the same whether the model
 * or the architecture's real code (ksrc/glue.c) does the mapping: the type
 * the caller passes (KM_DEFAULT: its context's), the E5 and debug_kmap_atomic
 * rules for a highmem page, and who holds the type while its slot is mapped. */
int hmr_km_type_map(int pfn, int ktype)
{
	int type = ktype == KM_DEFAULT ? hmr_km_default_type() : ktype;
	if (hmr_pfn_is_high(pfn)) {
		km_check_holder(pfn, type);
		debug_kmap_atomic(pfn, type);
	}
	return type;
}

void hmr_km_type_mapped(int type, uint32_t va)
{
	int cpu = W.cur->cpu;
	if (page_base(va) == hmr_fix_va(type + KM_TYPE_NR * cpu))
		km_holders[cpu][type] = (int8_t)(W.cur->id + 1);
}

void hmr_km_type_unmapped(int type, uint32_t va, int pfn)
{
	int cpu = W.cur->cpu, idx = type + KM_TYPE_NR * cpu;
	/* The caller gives up the type if this unmap is about the slot (lowmem
	 * and pkmap VAs never took it), even when it passes the wrong value. */
	if ((page_base(va) == hmr_fix_va(idx) || HW.fix_pte[idx] == (uint32_t)pfn + 1) &&
	    km_holders[cpu][type] == W.cur->id + 1)
		km_holders[cpu][type] = 0;
}

/* Unmap must be LIFO: the VA has to be the top of the stack (the kernel
 * recomputes the slot from the top index and, on xtensa, the VA's colour). */
static void km_lifo(uint32_t va, int top, int cpu, const char *fn)
{
	int idx = hmr_kmap_idx(cpu, top, hmr_kmap_colour_of_va(va));
	uint32_t want = idx >= 0 ? hmr_fix_va(idx) : 0;

	if (top >= 0 && va == want)
		return;
	km_misuse(pte_page(va), top >= 0 && idx >= 0 ? pte_page(want) : -1,
		  "%s: task %s (cpu%d) unmaps VA 0x%08x (%s), but the top of the kmap stack is %s%s%s: "
		  "atomic/local kmaps must be released in LIFO order",
		  fn, W.cur->def->name, cpu, va, pn(pte_page(va), 0),
		  top >= 0 ? "the slot of " : "empty", top >= 0 ? pn(idx >= 0 ? pte_page(want) : -1, 1) : "",
		  top >= 0 ? "" : " (underflow)");
}

/* The stack era's LIFO rule around the architecture's real code
 * (ksrc/glue.c), top being the real per-CPU index's top. */
void hmr_km_stack_check_unmap(uint32_t va, int top)
{
	if (hmr_in_fixmap(page_base(va)))
		km_lifo(page_base(va), top, smp_processor_id(), "kunmap_atomic");
}

/* The index push in hardirq context with IRQs on: kmap_local_page of pfn
 * (local) or kmap_atomic's push (pfn -1). */
static void km_push(int pfn, int local)
{
	if (!in_irq() || irqs_disabled())
		return;
	if (local)
		km_misuse(pfn, -1, "kmap_local_idx_push: task %s (cpu%d) maps %s in hardirq context with interrupts enabled",
			  W.cur->def->name, W.cur->cpu, pn(pfn, 0));
	km_misuse(-1, -1, "kmap_atomic_idx_push: task %s (cpu%d) pushes a kmap_atomic slot in hardirq context with interrupts enabled",
		  W.cur->def->name, W.cur->cpu);
}

void hmr_oracle_atomic_reset(void) { memset(km_holders, 0, sizeof(km_holders)); }

void hmr_oracle_atomic(struct hmr_oracle_ops *o)
{
	o->km_type_map = hmr_km_type_map;
	o->km_type_mapped = hmr_km_type_mapped;
	o->km_type_unmap = hmr_km_type_unmap;
	o->km_type_unmapped = hmr_km_type_unmapped;
	o->km_slot_free = km_slot_free;
	o->km_stack_overflow = km_stack_overflow;
	o->km_lifo = km_lifo;
	o->km_push = km_push;
}
