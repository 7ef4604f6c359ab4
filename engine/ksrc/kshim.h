/* kshim.h - the kernel, as far as Linux's own highmem code (mm/highmem.c,
 * its headers, the architectures' highmem files) needs one, from 2.6.29 to
 * 6.x, mapped onto hmrig's engine (README "The real kernel"). Where eras
 * differ, HMR_KSRC_ERA(version) picks (tools/ksrc-build passes the tree's).
 *
 * Every kernel header the real source includes (the linux/ and asm/ headers
 * under include/ beside this file) is one line that includes this one. The
 * types are the smallest that compile; everything with an effect - locks,
 * wait queues, preemption and IRQ state, PTEs, TLB and cache flushes, BUG_ON -
 * is a call into glue.c (hmr_k_*, kabi.h), which drives the engine's primitives
 * and hardware model and places the scheduling points. The configuration is a
 * 32-bit HIGHMEM kernel: CONFIG_HIGHMEM, hashed page addresses,
 * CONFIG_KMAP_LOCAL from 5.11, no DEBUG_HIGHMEM; ARM adds
 * ARCH_NEEDS_KMAP_HIGH_GET (-DHMR_KSRC_ARCH_arm).
 *
 * Written from the kernel's documented interfaces; no kernel code is here. */
#ifndef HMR_KSHIM_H
#define HMR_KSHIM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "kabi.h"

/* ---- configuration ---- */
#if defined(HMR_KSRC_ARCH_arm)
#define HMR_KSRC_ARCH_NAME "arm"
#elif defined(HMR_KSRC_ARCH_mips)
#define HMR_KSRC_ARCH_NAME "mips"
#elif defined(HMR_KSRC_ARCH_ppc)
#define HMR_KSRC_ARCH_NAME "ppc"
#else
#define HMR_KSRC_ARCH_NAME "x86"
#endif
#define CONFIG_HIGHMEM 1
#ifndef HMR_KSRC_VERSION
#error "HMR_KSRC_VERSION: tools/ksrc-build passes the tree's version (20630 for 2.6.30)"
#endif
#define HMR_KSRC_ERA(v) (HMR_KSRC_VERSION >= (v))
#if HMR_KSRC_ERA(51100)
#define CONFIG_KMAP_LOCAL 1
#endif
#define HASHED_PAGE_VIRTUAL 1
#ifdef HMR_KSRC_ARCH_arm
#define ARCH_NEEDS_KMAP_HIGH_GET 1
#define CONFIG_CPU_CACHE_VIPT 1	/* a kernel for VIPT CPUs too (kmap_high_l1_vipt, 2.6.34-2.6.36) */
#endif
#define IS_ENABLED(opt) 0	/* every option tested with it is off here */

/* ---- compiler and export decorations ---- */
#define EXPORT_SYMBOL(x)
#define EXPORT_SYMBOL_GPL(x)
#define __init
#define __read_mostly
#define __cacheline_aligned_in_smp
#define ____cacheline_aligned_in_smp
#define __same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#define BUILD_BUG_ON(c) ((void)sizeof(char[1 - 2 * !!(c)]))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define container_of(p, t, m) ((t *)((char *)(p) - offsetof(t, m)))

typedef uint8_t u8;
typedef uint32_t u32;
typedef uint64_t u64;
typedef struct { long counter; } atomic_long_t;
typedef unsigned int gfp_t;

/* ---- BUG_ON and friends: findings (glue.c, oracle/context.c) ---- */
#define BUG() hmr_k_bug(__FILE__, __LINE__, "BUG()")
#define BUG_ON(c) do { if (c) hmr_k_bug(__FILE__, __LINE__, #c); } while (0)
#define VM_BUG_ON(c) BUG_ON(c)
#define WARN_ON(c) hmr_k_warn(!!(c), __FILE__, __LINE__, #c)
#define WARN_ON_ONCE(c) WARN_ON(c)
#define DEBUG_LOCKS_WARN_ON(c) WARN_ON(c)

/* ---- pages: one struct page per model pfn ---- */
struct folio { struct page page; };
struct vm_area_struct;
struct mm_struct { int unused; };
extern struct mm_struct init_mm;
#define page_to_pfn(p) ((unsigned long)((p) - hmr_k_pages))
#define pfn_to_page(n) (&hmr_k_pages[n])
#define PageHighMem(p) hmr_k_page_highmem(p)
#define lowmem_page_address(p) hmr_k_lowmem_address(p)
#define virt_to_page(va) hmr_k_virt_to_page((const void *)(unsigned long)(va))
/* The real ones (HASHED_PAGE_VIRTUAL), declared without a prototype: the
 * page is const in some eras and not in others, and this form agrees with
 * the definition of every era. */
void *page_address();
void set_page_address();
void page_address_init(void);
#define compound_nr(p) 1UL
#define page_size(p) PAGE_SIZE
#define folio_page(f, n) (&(f)->page + (n))

/* The model's page size is a run-time setting; nothing sizes an array by it. */
#define PAGE_SHIFT hmr_k_page_shift
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PAGE_OFFSET 0xc0000000UL

/* ---- page tables: a PTE holds pfn + 1, 0 is pte_none ---- */
typedef struct { unsigned long pgprot; } pgprot_t;
#define __pte(x) ((pte_t){ (x) })
#define pte_val(p) ((p).pte)
#define pte_none(p) (!(p).pte)
#define ptep_get(ptep) (*(ptep))
#define pte_pfn(p) ((p).pte - 1)
#define pte_page(p) pfn_to_page(pte_pfn(p))
#define pfn_pte(pfn, prot) __pte((unsigned long)(pfn) + 1)
#define mk_pte(page, prot) pfn_pte(page_to_pfn(page), prot)
#define PAGE_KERNEL ((pgprot_t){ 0 })
#define set_pte_at(mm, vaddr, ptep, pte) hmr_k_set_pte((vaddr), (ptep), (pte))
#define pte_clear(mm, vaddr, ptep) hmr_k_set_pte((vaddr), (ptep), __pte(0))
#define virt_to_kpte(vaddr) hmr_k_virt_to_kpte(vaddr)
#define flush_tlb_kernel_range(s, e) hmr_k_flush_tlb_kernel_range((s), (e))

/* ---- caches ---- */
#define flush_cache_kmaps() hmr_k_flush_cache_kmaps()
#define flush_dcache_page(p) hmr_k_flush_dcache_page(p)
#define flush_anon_page(vma, p, a) ((void)0)
#define ARCH_HAS_FLUSH_ANON_PAGE 1
#if HMR_KSRC_ERA(51100)	/* older highmem.h define them when ARCH_HAS_FLUSH_KERNEL_DCACHE_PAGE is not */
#define flush_kernel_vmap_range(v, s) ((void)0)
#define invalidate_kernel_vmap_range(v, s) ((void)0)
#define ARCH_IMPLEMENTS_FLUSH_KERNEL_VMAP_RANGE 1
#endif

/* ---- the pkmap window and the fixmap (asm/highmem.h, asm/fixmap.h) ---- */
#ifndef HMR_KSRC_LAST_PKMAP
#error "HMR_KSRC_LAST_PKMAP: the rig compiles one object per pkmap size"
#endif
#define LAST_PKMAP HMR_KSRC_LAST_PKMAP
#define LAST_PKMAP_MASK (LAST_PKMAP - 1)
#define PKMAP_BASE 0xff000000UL
#define PKMAP_NR(virt) (((virt) - PKMAP_BASE) >> PAGE_SHIFT)
#define PKMAP_ADDR(nr) (PKMAP_BASE + ((unsigned long)(nr) << PAGE_SHIFT))
extern pte_t *pkmap_page_table;
#define kmap_prot PAGE_KERNEL
#define KM_MAX_IDX HMR_K_KM_MAX_IDX
#define NR_CPUS HMR_K_NR_CPUS
#if HMR_KSRC_ERA(51100)
enum fixed_addresses { FIX_KMAP_BEGIN, FIX_KMAP_END = FIX_KMAP_BEGIN + KM_MAX_IDX * NR_CPUS - 1 };
#else
/* Before 5.11 the slots are KM_TYPE_NR per CPU, named by enum km_type (the
 * per-CPU stack from 2.6.37 only counts them). The shim numbers the types as
 * the model does (engine/script.h), so a slot's VA is the same on both sides. */
enum km_type {
	KM_HMR_UNUSED, KM_USER0, KM_USER1, KM_BIO_SRC_IRQ, KM_IRQ0, KM_IRQ1, KM_SOFTIRQ0, KM_SOFTIRQ1,
	KM_SYNC_PAGE, KM_L1_CACHE, KM_BOUNCE_READ, KM_SKB_SUNRPC_DATA, KM_SKB_DATA_SOFTIRQ, KM_BIO_DST_IRQ,
	KM_PTE0, KM_PTE1, KM_IRQ_PTE, KM_NMI, KM_NMI_PTE, KM_KDB, KM_TYPE_NR
};
_Static_assert(KM_TYPE_NR == HMR_K_KM_TYPE_NR, "the model's slots per CPU");
enum fixed_addresses { FIX_KMAP_BEGIN, FIX_KMAP_END = FIX_KMAP_BEGIN + KM_TYPE_NR * NR_CPUS - 1 };
#endif
#define FIXADDR_TOP HMR_K_FIXADDR_TOP
#define FIXADDR_START (FIXADDR_TOP - ((unsigned long)FIX_KMAP_END << PAGE_SHIFT))
#define __fix_to_virt(x) (FIXADDR_TOP - ((unsigned long)(x) << PAGE_SHIFT))

/* ---- the architecture's kmap_local hooks (asm/highmem.h) ----
 * ARM: a page with a pkmap VA is pinned through it (kmap_high_get) instead of
 * getting a fixmap slot; a slot's lines are flushed before it is unmapped on
 * VIVT caches; each map and unmap flushes the local TLB entry. x86-32: the
 * unmap flushes the local TLB entry. */
#ifdef HMR_KSRC_ARCH_arm
void *kmap_high_get(struct page *page);
#define arch_kmap_local_high_get(page) kmap_high_get(page)
#define arch_kmap_local_pre_unmap(vaddr) hmr_k_local_pre_unmap(vaddr)
#define arch_kmap_local_post_map(vaddr, pteval) hmr_k_local_tlb_flush(vaddr)
#endif
#define arch_kmap_local_post_unmap(vaddr) hmr_k_local_tlb_flush(vaddr)

#if !HMR_KSRC_ERA(51100)
/* ---- what an architecture's own highmem.c calls (before 5.11) ----
 * ARM: the fixmap PTE of a VA (TOP_PTE, arch/arm/mm/mm.h), set_pte_ext, the
 * local TLB flush of one page, and the dcache flush of a page through a VA. */
#define TOP_PTE(vaddr) hmr_k_virt_to_kpte(vaddr)
#define pmd_off_k(vaddr) ((void *)0)		/* 4.x ARM: the fixmap PTE is found by VA */
#define pte_offset_kernel(pmd, vaddr) hmr_k_virt_to_kpte(vaddr)
#define set_pte_ext(ptep, pte, ext) hmr_k_set_kpte((ptep), (pte))
#define local_flush_tlb_kernel_page(vaddr) hmr_k_local_tlb_flush(vaddr)
#define cache_is_vivt() hmr_k_cache_is_vivt()
#define cache_is_vipt() (!cache_is_vivt())
#define __cpuc_flush_dcache_page(va) hmr_k_flush_dcache_va((unsigned long)(va))
#define __cpuc_flush_dcache_area(va, size) hmr_k_flush_dcache_va((unsigned long)(va))
/* x86-32 and PowerPC: kmap_pte is the PTE of FIX_KMAP_BEGIN, the others
 * below it (MIPS keeps its own, set by kmap_init: wrap.c runs it). */
#if defined(HMR_KSRC_ARCH_x86) || defined(HMR_KSRC_ARCH_ppc)
#define kmap_pte hmr_k_kmap_pte()
#endif
#define kmap_get_fixmap_pte(vaddr) hmr_k_virt_to_kpte(vaddr)
#define __set_pte_at(mm, vaddr, ptep, pte, percpu) hmr_k_set_pte((vaddr), (ptep), (pte))
#define local_flush_tlb_page(vma, vaddr) hmr_k_local_tlb_flush(vaddr)
#define local_flush_tlb_one(vaddr) hmr_k_local_tlb_flush(vaddr)
#define flush_tlb_one(vaddr) hmr_k_local_tlb_flush(vaddr)
#define set_pte(ptep, pte) hmr_k_set_kpte((ptep), (pte))
#define kpte_clear_flush(ptep, vaddr) (hmr_k_set_kpte((ptep), __pte(0)), hmr_k_local_tlb_flush(vaddr))
#define virt_to_fix(vaddr) ((FIXADDR_TOP - ((vaddr) & PAGE_MASK)) >> PAGE_SHIFT)
#define arch_flush_lazy_mmu_mode() ((void)0)
#define high_memory ((void *)0xf8000000UL)
/* io mappings (iomap_32.c) and boot-time highmem setup: named, never run */
#define kmap_atomic_prot_pfn(pfn, ...) \
	(hmr_k_bug(__FILE__, __LINE__, "kmap_atomic_prot_pfn is not in the rig"), (void *)NULL)
#endif

/* ---- per-CPU variables (the stack era's __kmap_atomic_idx) ---- */
#define DECLARE_PER_CPU(type, name) extern __typeof__(type) name[NR_CPUS]
#define DEFINE_PER_CPU(type, name) __typeof__(type) name[NR_CPUS]
#define EXPORT_PER_CPU_SYMBOL(x)
#define __this_cpu_read(v) ((v)[hmr_k_cpu()])
#define __this_cpu_inc_return(v) (++(v)[hmr_k_cpu()])
#define __this_cpu_dec_return(v) (--(v)[hmr_k_cpu()])
#define __this_cpu_dec(v) ((void)(v)[hmr_k_cpu()]--)
#define __this_cpu_inc(v) ((void)(v)[hmr_k_cpu()]++)
#define per_cpu(v, cpu) ((v)[cpu])
#define raw_local_irq_save(f) ((f) = hmr_k_irq_save())
#define raw_local_irq_restore(f) hmr_k_irq_restore(f)

/* ---- CPUs, preemption, interrupts, pagefaults ---- */
#define smp_processor_id() hmr_k_cpu()
#define preempt_disable() hmr_k_preempt(1)
#define preempt_enable() hmr_k_preempt(-1)
#define migrate_disable() ((void)0)	/* a model task never leaves its CPU */
#define migrate_enable() ((void)0)
#if HMR_KSRC_ERA(40200)
#define pagefault_disable() ((void)0)
#define pagefault_enable() ((void)0)
#else	/* until 4.2 it raised the preempt count: no sleeping under kmap_atomic */
#define pagefault_disable() hmr_k_preempt(1)
#define pagefault_enable() hmr_k_preempt(-1)
#endif
#define might_sleep() hmr_k_might_sleep()
#define irqs_disabled() hmr_k_irqs_disabled()
#define in_hardirq() hmr_k_in_hardirq()
#define in_irq() hmr_k_in_hardirq()
#define in_interrupt() hmr_k_in_interrupt()

/* ---- tasks ---- */
#define current hmr_k_current()
#define TASK_UNINTERRUPTIBLE 2

/* ---- spinlocks: the engine's, with the scheduling point of each use ---- */
/* Only kmap_lock is defined by name; the others are initialised. */
#define DEFINE_SPINLOCK(x) spinlock_t x = { #x, HMR_K_LOCK_##x, NULL }
/* Before 3.8 one more lock is initialised: the entry pool's pool_lock. */
static inline spinlock_t hmr_k_lock_init(const char *what)
{
	int pool = strstr(what, "pool_lock") != NULL;
	return (spinlock_t){ pool ? "pool_lock" : "page_address_htable lock", pool ? HMR_K_LOCK_pool : HMR_K_LOCK_pa, NULL };
}
#define spin_lock_init(l) (*(l) = hmr_k_lock_init(#l))
#define spin_lock(l) hmr_k_spin((l), K_LOCK, NULL)
#define spin_unlock(l) hmr_k_spin((l), K_UNLOCK, NULL)
#define spin_lock_irq(l) hmr_k_spin((l), K_LOCK_IRQ, NULL)
#define spin_unlock_irq(l) hmr_k_spin((l), K_UNLOCK_IRQ, NULL)
#define spin_lock_irqsave(l, f) hmr_k_spin((l), K_LOCK_IRQSAVE, &(f))
#define spin_unlock_irqrestore(l, f) hmr_k_spin((l), K_UNLOCK_IRQRESTORE, &(f))

/* ---- wait queues ---- */
#define DECLARE_WAIT_QUEUE_HEAD(x) wait_queue_head_t x = { #x, NULL }
#define DECLARE_WAITQUEUE(w, t) wait_queue_entry_t w = { (t) }
#define __set_current_state(s) hmr_k_set_current_state(s)
#define add_wait_queue(q, w) hmr_k_add_wait_queue((q), (w))
#define remove_wait_queue(q, w) hmr_k_remove_wait_queue((q), (w))
#define schedule() hmr_k_schedule()
#define waitqueue_active(q) hmr_k_waitqueue_active(q)
#define wake_up(q) hmr_k_wake_up(q)

/* ---- lists and the hash (the page-address table) ---- */
struct list_head { struct list_head *next, *prev; };
#define INIT_LIST_HEAD(h) ((h)->next = (h)->prev = (h))
#define list_empty(h) ((h)->next == (h))
static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	n->prev = h->prev;
	n->next = h;
	h->prev->next = n;
	h->prev = n;
}
static inline void list_add(struct list_head *n, struct list_head *h)
{
	n->next = h->next;
	n->prev = h;
	h->next->prev = n;
	h->next = n;
}
static inline void list_del(struct list_head *e)
{
	e->prev->next = e->next;
	e->next->prev = e->prev;
	e->next = e->prev = NULL;
}
#define list_entry(p, t, m) container_of(p, t, m)
#define list_for_each_entry(pos, head, m)                                   \
	for (pos = list_entry((head)->next, __typeof__(*pos), m); &pos->m != (head); \
	     pos = list_entry(pos->m.next, __typeof__(*pos), m))
/* hash_ptr as documented for a 32-bit kernel: the golden-ratio multiplicative
 * hash, top bits - of the page's address there, not the host's (which would
 * make the bucket, so the lock contention, differ from run to run). */
static inline u32 hash_ptr(const void *p, unsigned bits)
{
	return (hmr_k_ptr32(p) * 0x61C88647u) >> (32 - bits);
}

/* ---- what the headers' other inline helpers name (never called here) ---- */
struct zone { unsigned long zone_start_pfn, spanned_pages; const char *name; };
#define for_each_zone(z) for ((z) = NULL; (z); (z) = NULL)
#define zone_to_nid(z) 0
#define printk(...) ((void)0)
#define KERN_INFO ""
#define add_highpages_with_active_regions(n, s, e) ((void)0)
#define reset_all_zones_managed_pages() ((void)0)
#define __maybe_unused __attribute__((unused))
extern unsigned long totalram_pages;
typedef struct pglist_data { struct zone node_zones[2]; } pg_data_t;	/* nr_free_highpages, <= 5.x */
enum { ZONE_HIGHMEM, ZONE_MOVABLE };
#define for_each_online_pgdat(p) for ((p) = NULL; (p); (p) = NULL)
#define zone_movable_is_highmem() 0
#define for_each_populated_zone(z) for ((z) = NULL; (z); (z) = NULL)
#define is_highmem(z) 0
#define zone_page_state(z, i) 0UL
#define NR_FREE_PAGES 0
#define atomic_long_read(a) ((a)->counter)
#define atomic_long_add(n, a) ((a)->counter += (n))
#define atomic_long_inc(a) ((void)(a)->counter++)
#define atomic_long_dec(a) ((void)(a)->counter--)
#define atomic_long_set(a, v) ((void)((a)->counter = (v)))
#define GFP_HIGHUSER_MOVABLE 0u
#define GFP_HIGHUSER 0u
#define __GFP_MOVABLE 0u
#define __GFP_ZERO 0u
#define __deprecated
#define alloc_page_vma(g, v, a) ((struct page *)NULL)
#define clear_page(p) memset((p), 0, PAGE_SIZE)
#define clear_user_page(a, v, p) memset((a), 0, PAGE_SIZE)
#define copy_page(d, s) memcpy((d), (s), PAGE_SIZE)
#define copy_user_page(d, s, v, p) memcpy((d), (s), PAGE_SIZE)
#define kmsan_copy_page_meta(d, s) ((void)0)
#define kmsan_unpoison_memory(a, n) ((void)0)
#define copy_mc_to_kernel(d, s, n) (memcpy((d), (s), (n)), 0UL)
#define page_kasan_tag_reset(p) ((void)0)
#define page_kasan_tag(p) ((u8)0)
#define page_kasan_tag_set(p, t) ((void)(t))
#define tag_clear_highpage(p) ((void)0)
#define __HAVE_ARCH_TAG_CLEAR_HIGHPAGE 1
/* 6.2+: the folio helpers of highmem.h (a folio here is one page) */
typedef long long loff_t;
#define __must_check __attribute__((warn_unused_result))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define offset_in_page(p) ((unsigned long)(p) & ~PAGE_MASK)
#define page_folio(p) ((struct folio *)(p))
#define folio_size(f) PAGE_SIZE
#define offset_in_folio(f, p) ((unsigned long)(p) & (folio_size(f) - 1))
#define folio_test_highmem(f) PageHighMem(&(f)->page)
#define folio_test_partial_kmap(f) 0
#define flush_dcache_folio(f) flush_dcache_page(&(f)->page)
#define folio_put(f) ((void)(f))
#define vma_alloc_folio(...) ((struct folio *)NULL)
#define zone_managed_pages(z) 0UL
#define kasan_reset_tag(p) (p)
#define memory_failure_queue(pfn, flags) ((void)0)

/* ---- before 5.11: asm/highmem.h ---- */
#if !HMR_KSRC_ERA(51100)
/* What asm/highmem.h declares for the generic code (the architecture's file
 * defines them; MIPS under other names); kmap_atomic_to_page is unprototyped
 * as its constness differs by arch. PowerPC has the front ends inline in its
 * header: here they are the generic ones, and kmap_atomic goes through its
 * file's kmap_atomic_prot. */
#ifdef HMR_KSRC_ARCH_mips
#define kmap(p) __kmap(p)
#define kunmap(p) __kunmap(p)
#if !HMR_KSRC_ERA(20637)
#define kmap_atomic(p, t) __kmap_atomic(p, t)
#define kunmap_atomic(v, t) __kunmap_atomic(v, t)
#endif
#define kmap_atomic_to_page __kmap_atomic_to_page
void kmap_init(void);
#endif
void *kmap_high(struct page *page);
void kunmap_high(struct page *page);
struct page *kmap_atomic_to_page();
void *kmap_atomic_pfn();
#if HMR_KSRC_ERA(50800)
/* 5.8-5.10: kmap(), kunmap() and kmap_atomic() are highmem.h's, around the
 * architecture's kmap_atomic_high_prot() and kunmap_atomic_high(), and MIPS's
 * kmap_flush_tlb(). */
void *kmap_atomic_high_prot(struct page *page, pgprot_t prot);
void kunmap_atomic_high(void *kvaddr);
#ifdef HMR_KSRC_ARCH_mips
#define ARCH_HAS_KMAP_FLUSH_TLB 1
void kmap_flush_tlb(unsigned long addr);
#endif
#elif HMR_KSRC_ERA(20637)
/* The stack era: the architecture's map is __kmap_atomic(page) until 3.4,
 * kmap_atomic(page) after (highmem.h's macros take the old forms to it). */
#if HMR_KSRC_ERA(30400)
#define HMR_K_KMAP_ATOMIC kmap_atomic
#else
#define HMR_K_KMAP_ATOMIC __kmap_atomic
#endif
#ifdef HMR_KSRC_ARCH_ppc
void *kmap_atomic_prot(struct page *page, pgprot_t prot);
static inline void *HMR_K_KMAP_ATOMIC(struct page *page) { return kmap_atomic_prot(page, kmap_prot); }
#else
void *HMR_K_KMAP_ATOMIC(struct page *page);
#endif
void __kunmap_atomic(void *kvaddr);
#endif
/* The front ends every architecture of the era has: kmap might sleep, maps
 * lowmem linearly, else kmap_high; kunmap BUGs in interrupt context, else
 * kunmap_high. PowerPC's header has them inline; wrap.c uses them for a tree
 * without the architecture's file. */
static inline void *hmr_k_generic_kmap(struct page *page)
{
	might_sleep();
	return PageHighMem(page) ? kmap_high(page) : page_address(page);
}
static inline void hmr_k_generic_kunmap(struct page *page)
{
	BUG_ON(in_interrupt());
	if (PageHighMem(page))
		kunmap_high(page);
}
#if HMR_KSRC_ERA(50800)
#elif defined(HMR_KSRC_ARCH_ppc)
#if !HMR_KSRC_ERA(20637)
void *kmap_atomic_prot(struct page *page, enum km_type type, pgprot_t prot);
void kunmap_atomic(void *kvaddr, enum km_type type);
#endif
static inline void *kmap(struct page *page) { return hmr_k_generic_kmap(page); }
static inline void kunmap(struct page *page) { hmr_k_generic_kunmap(page); }
#if !HMR_KSRC_ERA(20637)
static inline void *kmap_atomic(struct page *page, enum km_type type)
{
	return kmap_atomic_prot(page, type, kmap_prot);
}
#endif
#else
void *kmap(struct page *page);
void kunmap(struct page *page);
#if !HMR_KSRC_ERA(20637)
void *kmap_atomic(struct page *page, enum km_type type);
void kunmap_atomic(void *kvaddr, enum km_type type);
#endif
#endif
#endif
/* ---- streaming DMA: the 5.11+ MIPS and PowerPC dma-noncoherent.c and the
 * generic kernel/dma/direct.h that calls them (-DHMR_KSRC_DMA_FILE). The
 * device is not DMA-coherent, has no IOMMU, needs no bounce buffer and can
 * reach all of memory; physical and bus addresses are the model's. ---- */
#ifdef HMR_KSRC_DMA_FILE
#define CONFIG_ARCH_HAS_SYNC_DMA_FOR_DEVICE 1
#define CONFIG_ARCH_HAS_SYNC_DMA_FOR_CPU 1
typedef uint32_t phys_addr_t;
typedef uint32_t dma_addr_t;
enum dma_data_direction { DMA_BIDIRECTIONAL = 0, DMA_TO_DEVICE = 1, DMA_FROM_DEVICE = 2, DMA_NONE = 3 };
struct device { bool dma_coherent; u64 *dma_mask; u64 bus_dma_limit; };
struct scatterlist { struct page *hmr_page; unsigned int offset, length; dma_addr_t dma_address; unsigned int dma_length; };
struct sg_table;
struct iommu_ops;
struct dma_attrs;
#define DMA_ATTR_SKIP_CPU_SYNC (1UL << 5)
#define DMA_MAPPING_ERROR (~(dma_addr_t)0)
#define page_to_phys(p) ((phys_addr_t)page_to_pfn(p) << PAGE_SHIFT)
#define __pa(x) ((unsigned long)(x) - PAGE_OFFSET)
#define phys_to_virt(p) ((void *)((unsigned long)(p) + PAGE_OFFSET))	/* the linear map only */
#define unlikely(x) (x)
#define sg_page(sg) ((sg)->hmr_page)
#define sg_virt(sg) ((void *)((char *)page_address(sg_page(sg)) + (sg)->offset))
/* Before 5.11 (MIPS dma-default.c): the platform hooks of a non-coherent
 * board whose bus addresses are physical. */
#define plat_device_is_coherent(dev) 0
#define plat_map_dma_mem(dev, addr, size) ((dma_addr_t)__pa(addr))
#define plat_map_dma_mem_page(dev, page) page_to_phys(page)
#define plat_dma_addr_to_phys(dev, a) ((phys_addr_t)(a))
#define plat_unmap_dma_mem(dev, a, size, dir) ((void)0)
#define plat_extra_sync_for_device(dev) ((void)0)
#define plat_post_dma_flush(dev) ((void)0)
/* From 5.11: dma-direct for a device that is not coherent. */
static inline phys_addr_t dma_to_phys(struct device *dev, dma_addr_t a) { return a; }
static inline dma_addr_t phys_to_dma(struct device *dev, phys_addr_t p) { return p; }
static inline bool dev_is_dma_coherent(struct device *dev) { return dev->dma_coherent; }
static inline bool dma_capable(struct device *dev, dma_addr_t a, size_t size, bool is_ram) { return true; }
static inline bool is_swiotlb_buffer(struct device *dev, phys_addr_t p) { return false; }
static inline bool is_swiotlb_force_bounce(struct device *dev) { return false; }
static inline bool is_swiotlb_active(struct device *dev) { return false; }
static inline bool is_pci_p2pdma_page(struct page *page) { return false; }
/* Never reached: no bounce buffers here. */
#define swiotlb_map(dev, phys, size, dir, attrs) (BUG(), DMA_MAPPING_ERROR)
#define swiotlb_sync_single_for_device(dev, p, size, dir) BUG()
#define swiotlb_sync_single_for_cpu(dev, p, size, dir) BUG()
#define swiotlb_tbl_unmap_single(dev, p, size, dir, attrs) BUG()
#define dev_WARN_ONCE(dev, cond, ...) WARN_ON(cond)
static inline void arch_sync_dma_for_cpu_all(void) {}
static inline void arch_dma_mark_clean(phys_addr_t p, size_t size) {}
void arch_sync_dma_for_device(phys_addr_t paddr, size_t size, enum dma_data_direction dir);
void arch_sync_dma_for_cpu(phys_addr_t paddr, size_t size, enum dma_data_direction dir);
#define local_irq_save(f) ((f) = hmr_k_irq_save())
#define local_irq_restore(f) hmr_k_irq_restore(f)
/* MIPS: the cache ops by virtual range; a CPU with no speculative refills
 * unless the profile maintains after DMA too (cpu_needs_post_dma_flush). */
#define dma_cache_wback(a, size) hmr_k_dma_cache((a), (size), HMR_K_CACHE_CLEAN)
#define dma_cache_inv(a, size) hmr_k_dma_cache((a), (size), HMR_K_CACHE_INV)
#define dma_cache_wback_inv(a, size) hmr_k_dma_cache((a), (size), HMR_K_CACHE_FLUSH)
enum { CPU_UNKNOWN, CPU_R10000, CPU_R12000, CPU_BMIPS5000, CPU_LOONGSON2EF, CPU_XBURST };
#define boot_cpu_type() CPU_UNKNOWN
#define current_cpu_type() (hmr_k_post_dma_maintenance() ? CPU_R10000 : CPU_UNKNOWN)	/* before 5.11 */
#define cpu_has_maar hmr_k_post_dma_maintenance()
#define UNCAC_BASE 0xa0000000UL
/* PowerPC: the same by [start, end). */
#define L1_CACHE_BYTES hmr_k_line_size()
#define flush_dcache_range(s, e) hmr_k_dma_cache((s), (e) - (s), HMR_K_CACHE_FLUSH)
#define clean_dcache_range(s, e) hmr_k_dma_cache((s), (e) - (s), HMR_K_CACHE_CLEAN)
#define invalidate_dcache_range(s, e) hmr_k_dma_cache((s), (e) - (s), HMR_K_CACHE_INV)
/* Before 5.11, arch/powerpc/kernel/dma.c: bus addresses are physical, and
 * bus_to_virt() is the linear map's (nothing maps a highmem page there). */
#define get_dma_offset(dev) ((dma_addr_t)0)
#define bus_to_virt(a) phys_to_virt(a)
#define sg_phys(sg) (page_to_phys(sg_page(sg)) + (sg)->offset)
#define KM_PPC_SYNC_PAGE KM_SYNC_PAGE
/* ARM: the CPU's dmac_map_area/dmac_unmap_area, no outer cache, the
 * PG_dcache_clean bit kept in the page's flags. */
#define cache_is_vipt_nonaliasing() hmr_k_cache_vipt_nonaliasing()
#define dmac_map_area hmr_k_dmac_map_area
#define dmac_unmap_area hmr_k_dmac_unmap_area
static inline void outer_inv_range(unsigned long s, unsigned long e) {}
static inline void outer_clean_range(unsigned long s, unsigned long e) {}
static inline void outer_flush_range(unsigned long s, unsigned long e) {}
/* Before 5.11: asm/dma-mapping.h's world - a non-coherent machine whose bus
 * addresses are physical; 2.6.32's range ops take [start, end). */
#define arch_is_coherent() 0
#define valid_dma_direction(d) ((d) == DMA_BIDIRECTIONAL || (d) == DMA_TO_DEVICE || (d) == DMA_FROM_DEVICE)
#define virt_addr_valid(p) hmr_k_virt_addr_valid((unsigned long)(p))
#define page_to_dma(dev, page) ((dma_addr_t)page_to_phys(page))
#define __bus_to_virt(a) ((unsigned long)(a) + PAGE_OFFSET)
#define __virt_to_bus(v) ((unsigned long)(v) - PAGE_OFFSET)
#define __bus_to_pfn(a) ((unsigned long)(a) >> PAGE_SHIFT)
#define __pfn_to_bus(pfn) ((dma_addr_t)(pfn) << PAGE_SHIFT)
#define debug_dma_map_page(...) ((void)0)	/* no CONFIG_DMA_API_DEBUG */
#define debug_dma_unmap_page(...) ((void)0)
#define debug_dma_sync_single_for_cpu(...) ((void)0)
#define debug_dma_sync_single_for_device(...) ((void)0)
#define debug_dma_sync_single_range_for_cpu(...) ((void)0)
#define debug_dma_sync_single_range_for_device(...) ((void)0)
#define debug_dma_map_sg(...) ((void)0)
#define debug_dma_unmap_sg(...) ((void)0)
#define for_each_sg(sgl, s, n, i) for ((i) = 0, (s) = (sgl); (i) < (n); (i)++, (s)++)
#define sg_dma_address(s) ((s)->dma_address)
#define sg_dma_len(s) ((s)->length)
#define dmac_inv_range hmr_k_dmac_inv_range
#define dmac_clean_range hmr_k_dmac_clean_range
#define dmac_flush_range hmr_k_dmac_flush_range
#define phys_to_page(p) pfn_to_page((p) >> PAGE_SHIFT)
#define PG_dcache_clean 9	/* PG_arch_1 */
#define set_bit(nr, p) (*(p) |= 1UL << (nr))
#define clear_bit(nr, p) (*(p) &= ~(1UL << (nr)))
#define test_bit(nr, p) ((*(p) >> (nr)) & 1UL)
/* flush.c's flush_dcache_page for a kernel page: no page cache mapping, no
 * user mappings, cache maintenance not broadcast by software. */
struct address_space;
#define ZERO_PAGE(vaddr) ((struct page *)NULL)
#define cache_ops_need_broadcast() 0
#ifndef cache_is_vivt	/* 5.11+: only flush.c asks */
#define cache_is_vivt() hmr_k_cache_is_vivt()
#define __cpuc_flush_dcache_area(va, size) hmr_k_flush_dcache_va((unsigned long)(va))
#endif
#define cache_is_vipt_aliasing() (!cache_is_vivt() && !cache_is_vipt_nonaliasing())
#define page_mapping_file(p) ((struct address_space *)NULL)
#define page_mapcount(p) 0
#define flush_pfn_alias(pfn, vaddr) BUG()
#define __flush_dcache_aliases(mapping, page) BUG()
#define __flush_icache_all() ((void)0)
#endif

#endif
