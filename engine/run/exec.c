/* exec.c - runs a task's script operations against the kernel model.
 *
 * Each operation starts with a scheduling point (op_begin) and the hardware's
 * choices (eviction, speculation). The executor keeps, per task, the mappings it
 * obtained (page, VA, how, still held?) so that loads and stores go through "the
 * VA this task most recently obtained for the page" (README "Scenario files"), and so that a
 * use after kunmap, a leak at task end and DMA-API misuse are findings. */
#include "kernel/kapi.h"
#include "hw/hw.h"
#include "kernel/dma.h"
#include "kernel/highmem.h"
#include "kernel/katomic.h"
#include "sim/sched.h"
#include "sim/backend.h"
#include "oracle/oracle.h"
#include "run/exec.h"
#include <stdio.h>
#include <string.h>

/* The kernel entry point each op models, for reports (outermost function). */
static const char *const op_fn[HMR_OP__N] = {
	[HMR_OP_kmap] = "kmap", [HMR_OP_kunmap] = "kunmap", [HMR_OP_kmap_high_get] = "kmap_high_get",
	[HMR_OP_kmap_atomic] = "kmap_atomic", [HMR_OP_kunmap_atomic] = "kunmap_atomic",
	[HMR_OP_kmap_local] = "kmap_local_page", [HMR_OP_kunmap_local] = "kunmap_local",
	[HMR_OP_write] = "write", [HMR_OP_read] = "read", [HMR_OP_flush_unused] = "kmap_flush_unused",
	[HMR_OP_flush_dcache_page] = "flush_dcache_page", [HMR_OP_dma_map] = "dma_map_page",
	[HMR_OP_dma_unmap] = "dma_unmap_page", [HMR_OP_dma_sync_cpu] = "dma_sync_single_for_cpu",
	[HMR_OP_dma_sync_device] = "dma_sync_single_for_device", [HMR_OP_dma_map_sg] = "dma_map_sg",
	[HMR_OP_dma_unmap_sg] = "dma_unmap_sg", [HMR_OP_dev_write] = "dev_write", [HMR_OP_dev_read] = "dev_read",
	[HMR_OP_set_uncached] = "set_memory_uc", [HMR_OP_user_write] = "user_write",
	[HMR_OP_user_read] = "user_read", [HMR_OP_irq_disable] = "local_irq_disable",
	[HMR_OP_irq_enable] = "local_irq_enable", [HMR_OP_preempt_disable] = "preempt_disable",
	[HMR_OP_preempt_enable] = "preempt_enable", [HMR_OP_yield] = "yield",
};


void (*hmr_after_op)(struct hmr_task *t);

static struct hmr_map *add_map(struct hmr_task *t, int pfn, uint32_t va, int how)
{
	struct hmr_map *m = &t->maps[t->nmaps++];	/* one per op: cannot overflow */
	m->pfn = (uint16_t)pfn;
	m->va = va;
	m->how = (uint8_t)how;
	m->live = 1;
	m->step = W.step;
	m->op = t->pc;
	return m;
}

/* The most recent mapping of pfn (held or not), or NULL. */
static struct hmr_map *last_map(struct hmr_task *t, int pfn)
{
	for (int i = t->nmaps - 1; i >= 0; i--)
		if (t->maps[i].pfn == pfn)
			return &t->maps[i];
	return NULL;
}

/* The most recent mapping of pfn still held, of one of the kinds in mask. */
static struct hmr_map *live_map(struct hmr_task *t, int pfn, int mask)
{
	for (int i = t->nmaps - 1; i >= 0; i--)
		if (t->maps[i].pfn == pfn && t->maps[i].live && (mask >> t->maps[i].how & 1))
			return &t->maps[i];
	return NULL;
}

static void input_error(const struct hmr_op *op, const char *msg)
{
	snprintf(W.sched_err, sizeof(W.sched_err), "%s:%d:%d: error: %s",
		 W.script->file, op->line, op->col, msg);
	hmr_end_execution();
}

/* The VA a load or store of op uses, with the use-after-kunmap check (E28b). */
static uint32_t access_va(struct hmr_task *t, const struct hmr_op *op, int pfn)
{
	struct hmr_map *m = last_map(t, pfn);
	if (!m)
		input_error(op, "the task never mapped this page");
	hmr_oracle_access(t, op, m, pfn, op_fn[op->code], op_fn[t->def->ops[m->op].code]);
	return m->va + op->off;
}

/* A load or store of [addr, addr+len) split at cache lines, with a scheduling
 * point at site before each piece; device: through physical memory. */
static void by_line(uint32_t addr, uint32_t len, int site, int device, int store, uint8_t val, uint32_t version)
{
	for (uint32_t done = 0; done < len;) {
		uint32_t a = addr + done, n = W.L - (a & (W.L - 1));
		if (n > len - done)
			n = len - done;
		hmr_sched_point(site);
		if (device && store)
			hmr_dev_store(a, val, n, version);
		else if (device)
			hmr_dev_load(a, n);
		else if (store)
			hmr_cpu_store(a, val, n, version);
		else
			hmr_cpu_load(a, n);
		done += n;
	}
}

static void cpu_access(struct hmr_task *t, const struct hmr_op *op, int store)
{
	int pfn = hmr_pfn_of(op->page[0]);
	uint32_t va = access_va(t, op, pfn);
	by_line(va, op->len ? op->len : 1, HMR_SITE_cpu_access, 0, store, op->val, store ? hmr_new_version(0) : 0);
}

static void user_access(const struct hmr_op *op, int store)
{
	int pfn = hmr_pfn_of(op->page[0]);
	uint32_t va = hmr_user_va(pfn);
	if (!hmr_pte_get(va))
		hmr_set_pte(va, pfn, "mmap");
	sched_point(user_access);
	if (store)
		hmr_cpu_store(va + op->off, op->val, 1, hmr_new_version(0));
	else
		hmr_cpu_load(va + op->off, 1);
}

static void buffer(const struct hmr_op *op, int *pfn, uint32_t *off, uint32_t *len)
{
	*pfn = hmr_pfn_of(op->page[0]);
	*off = op->has_range ? op->off : 0;
	*len = op->has_range ? op->len : W.P;
}

/* The live streaming mapping of pfn in direction dir, or NULL. */
static const struct hmr_dma_map *dma_live(int pfn, int dir)
{
	for (int i = 0; i < HW.ndma; i++)
		if (HW.dma[i].pfn == pfn && HW.dma[i].dir == dir)
			return &HW.dma[i];
	return NULL;
}

/* The device accesses [off, off+len) of a page; it must be mapped for it. */
static void dev_access(const struct hmr_op *op, int store)
{
	int pfn = hmr_pfn_of(op->page[0]);
	uint32_t pa = (uint32_t)pfn * W.P + op->off, len = op->len ? op->len : 1;
	int ok = store ? (1 << DMA_FROM_DEVICE) | (1 << DMA_BIDIRECTIONAL) : (1 << DMA_TO_DEVICE) | (1 << DMA_BIDIRECTIONAL);
	if (!hmr_dma_find(pa, ok) || !hmr_dma_find(pa + len - 1, ok))
		hmr_oracle_dma_misuse(op_fn[op->code], store ? "task %s makes the device write %s, which the device does not own for DMA_FROM_DEVICE or DMA_BIDIRECTIONAL (not mapped, or synced for the CPU)"
						  : "task %s makes the device read %s, which the device does not own for DMA_TO_DEVICE or DMA_BIDIRECTIONAL (not mapped, or synced for the CPU)", pfn);
	by_line(pa, len, HMR_SITE_dev_access, 1, store, op->val, store ? hmr_new_version(1) : 0);
}

static void exec_dma(struct hmr_task *t, const struct hmr_op *op)
{
	int pfn, pfns[HMR_MAX_SG];
	uint32_t off, len;
	const struct hmr_dma_map *m;
	(void)t;
	buffer(op, &pfn, &off, &len);
	switch (op->code) {
	case HMR_OP_dma_map:
		hmr_dma_own(pfn, (uint32_t)pfn * W.P + off, len, op->dir);
		dma_map_page(pfn, off, len, op->dir);
		break;
	case HMR_OP_dma_unmap:
	case HMR_OP_dma_sync_cpu:
	case HMR_OP_dma_sync_device:
		m = dma_live(pfn, op->dir);
		if (!m)
			hmr_oracle_dma_misuse(op_fn[op->code], "task %s syncs or unmaps %s, which has no live streaming mapping in that direction", pfn);
		off = m->pa - (uint32_t)pfn * W.P;
		len = m->len;
		if (op->code == HMR_OP_dma_sync_device) {
			hmr_dma_set_owner(pfn, op->dir, 1);	/* the device owns it again */
			dma_sync_single_for_device(pfn, off, len, op->dir);
		} else if (op->code == HMR_OP_dma_sync_cpu) {
			dma_sync_single_for_cpu(pfn, off, len, op->dir);
			hmr_dma_set_owner(pfn, op->dir, 0);	/* the CPU may use it now */
		} else {
			dma_unmap_page(pfn, off, len, op->dir);
			hmr_dma_release(pfn, op->dir);
		}
		break;
	case HMR_OP_dma_map_sg:
	case HMR_OP_dma_unmap_sg:
		for (int i = 0; i < op->npages; i++) {
			pfns[i] = hmr_pfn_of(op->page[i]);
			if (op->code == HMR_OP_dma_map_sg)
				hmr_dma_own(pfns[i], (uint32_t)pfns[i] * W.P, W.P, op->dir);
			else if (!dma_live(pfns[i], op->dir))
				hmr_oracle_dma_misuse("dma_unmap_sg", "task %s unmaps %s, which is not mapped in that direction", pfns[i]);
		}
		if (op->code == HMR_OP_dma_map_sg) {
			dma_map_sg(pfns, op->npages, op->dir);
		} else {
			dma_unmap_sg(pfns, op->npages, op->dir);
			for (int i = 0; i < op->npages; i++)
				hmr_dma_release(pfns[i], op->dir);
		}
		break;
	}
}

static void exec_unmap(struct hmr_task *t, const struct hmr_op *op, int pfn)
{
	struct hmr_map *m;
	switch (op->code) {
	case HMR_OP_kunmap:
		m = live_map(t, pfn, 1 << MAP_KMAP | 1 << MAP_LINEAR | 1 << MAP_HIGH_GET);
		if (!m)
			input_error(op, "kunmap of a page this task does not hold with kmap or kmap_high_get");
		if (m->how == MAP_HIGH_GET) {
			if (m->va)
				hmr_kapi->kunmap_high(pfn);	/* a kmap_high_get pin is dropped by kunmap_high */
		} else {
			hmr_kapi->kunmap(pfn);
		}
		m->live = 0;
		break;
	case HMR_OP_kunmap_atomic:
		m = live_map(t, pfn, 1 << MAP_ATOMIC);
		if (!m)
			input_error(op, "kunmap_atomic of a page this task does not hold with kmap_atomic");
		hmr_kapi->kunmap_atomic(m->va, pfn, t->def->ops[m->op].ktype);
		m->live = 0;
		break;
	default:
		m = live_map(t, pfn, 1 << MAP_LOCAL);
		if (!m)
			input_error(op, "kunmap_local of a page this task does not hold with kmap_local");
		hmr_kapi->kunmap_local(m->va, pfn);
		m->live = 0;
		break;
	}
}

static void exec_op(struct hmr_task *t, const struct hmr_op *op)
{
	int pfn = hmr_pfn_of(op->page[0]);
	uint32_t va;
	switch (op->code) {
	case HMR_OP_kmap:
		va = hmr_kapi->kmap(pfn);
		add_map(t, pfn, va, hmr_pfn_is_high(pfn) ? MAP_KMAP : MAP_LINEAR);
		break;
	case HMR_OP_kmap_high_get:
		if (!W.prof->high_get)
			input_error(op, "kmap_high_get exists only on profiles with ARCH_NEEDS_KMAP_HIGH_GET (ARM)");
		va = hmr_pfn_is_high(pfn) ? hmr_kapi->kmap_high_get(pfn) : hmr_lowmem_va(pfn);
		add_map(t, pfn, va, hmr_pfn_is_high(pfn) ? MAP_HIGH_GET : MAP_LINEAR);
		break;
	case HMR_OP_kmap_atomic:
		add_map(t, pfn, hmr_kapi->kmap_atomic(pfn, op->ktype), MAP_ATOMIC);
		break;
	case HMR_OP_kmap_local:
		add_map(t, pfn, hmr_kapi->kmap_local_page(pfn), MAP_LOCAL);
		break;
	case HMR_OP_kunmap:
	case HMR_OP_kunmap_atomic:
	case HMR_OP_kunmap_local:
		exec_unmap(t, op, pfn);
		break;
	case HMR_OP_write:
	case HMR_OP_read:
		cpu_access(t, op, op->code == HMR_OP_write);
		break;
	case HMR_OP_flush_unused:
		hmr_kapi->kmap_flush_unused();
		break;
	case HMR_OP_flush_dcache_page:
		flush_dcache_page(pfn);
		break;
	case HMR_OP_dma_map:
	case HMR_OP_dma_unmap:
	case HMR_OP_dma_sync_cpu:
	case HMR_OP_dma_sync_device:
	case HMR_OP_dma_map_sg:
	case HMR_OP_dma_unmap_sg:
		exec_dma(t, op);
		break;
	case HMR_OP_dev_write:
	case HMR_OP_dev_read:
		dev_access(op, op->code == HMR_OP_dev_write);
		break;
	case HMR_OP_set_uncached:
		set_memory_uc(pfn);
		break;
	case HMR_OP_user_write:
	case HMR_OP_user_read:
		user_access(op, op->code == HMR_OP_user_write);
		break;
	case HMR_OP_irq_disable:
		local_irq_disable();
		break;
	case HMR_OP_irq_enable:
		local_irq_enable();
		sched_point(irq_on);
		break;
	case HMR_OP_preempt_disable:
		preempt_disable();
		break;
	case HMR_OP_preempt_enable:
		preempt_enable();
		sched_point(preempt_on);
		break;
	case HMR_OP_yield:
		sched_point(yield);
		break;
	}
}

void hmr_exec_task(struct hmr_task *t)
{
	for (t->pc = 0; t->pc < t->def->nops; t->pc++) {
		const struct hmr_op *op = &t->def->ops[t->pc];
		t->nfn = 0;
		sched_point(op_begin);
		hmr_hw_choices();
		hmr_event(EV_OP_BEGIN, (uint32_t)t->pc, 0, 0);
		hmr_fn_enter(op_fn[op->code]);
		exec_op(t, op);
		if (hmr_after_op)
			hmr_after_op(t);
		t->nfn = 0;
		hmr_event(EV_OP_END, (uint32_t)t->pc, 0, 0);
	}
}
