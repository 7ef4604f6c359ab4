/* report.c - renders a finding: the faulting event, the history of the objects
 * involved (KASAN style), the interleaving as a per-CPU table of operations
 * (lockdep style), profile, schedule, replay command and signature. Everything
 * printed derives from W, so a replay prints the same bytes. */
#include "run/report.h"
#include <stdarg.h>
#include <string.h>

#define RULE "=================================================================="
#define THIN "------------------------------------------------------------------"

struct out {
	char *buf;
	size_t sz, len;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->len < o->sz ? o->sz - o->len : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += (size_t)n;
	if (o->len >= o->sz)
		o->len = o->sz ? o->sz - 1 : 0;
}

void hmr_title(char *buf, size_t sz)
{
	const char *a = hmr_found.site_a, *b = hmr_found.site_b;
	if (strcmp(a, b) > 0) {
		const char *t = a;
		a = b;
		b = t;
	}
	if (!strcmp(a, b))
		snprintf(buf, sz, HMR_TITLE_PREFIX "%s in %s", hmr_kinds[hmr_found.kind].name, a);
	else
		snprintf(buf, sz, HMR_TITLE_PREFIX "%s in %s / %s", hmr_kinds[hmr_found.kind].name, a, b);
}

uint32_t hmr_signature(const char *title)
{
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)title; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

uint32_t hmr_finding_id(const char *title, int profile)
{
	uint32_t h = hmr_signature(title);
	const char *name = profile >= 0 && profile < hmr_nprofiles ? hmr_profiles[profile].name : "?";
	h = (h ^ '\n') * 16777619u;	/* FNV-1a on: the title, a newline, the profile's name */
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

static const char *pfn_s(uint32_t pfn, char b[8]) { return hmr_pfn_name((int)pfn, b); }

void hmr_event_str(const struct hmr_event *e, char *buf, size_t sz)
{
	char p[2][8], op[160] = "";
	const struct hmr_task_def *d = e->task < W.ntask ? &W.script->task[e->task] : NULL;
	const char *fn = e->fn ? e->fn : "-";
	switch (e->type) {
	case EV_OP_BEGIN:
	case EV_OP_END:
		if (d)
			hmr_op_ref(W.script, e->task, (int)e->a, op, sizeof(op));
		snprintf(buf, sz, "%s %s", e->type == EV_OP_BEGIN ? "begin" : "end", op);
		break;
	case EV_SWITCH:
		snprintf(buf, sz, "switch to task %s", W.script->task[e->a].name);
		break;
	case EV_IRQ_ENTER:
		snprintf(buf, sz, "interrupt delivered on cpu%u", e->a);
		break;
	case EV_IRQ_EXIT:
		snprintf(buf, sz, "interrupt returns on cpu%u", e->a);
		break;
	case EV_BLOCK:
		snprintf(buf, sz, "blocks (%s) in %s", e->a == T_SPIN ? "spinning" : e->a == T_SLEEP ? "sleeping" : "waiting for IPI acks", fn);
		break;
	case EV_WAKE:
		snprintf(buf, sz, "wakes task %s", W.script->task[e->a].name);
		break;
	case EV_LOCK:
		snprintf(buf, sz, "takes %s", fn);
		break;
	case EV_UNLOCK:
		snprintf(buf, sz, "releases %s", fn);
		break;
	case EV_COUNT:
		snprintf(buf, sz, "%s: pkmap_count[%u] %u -> %u", fn, e->a, e->b, e->c);
		break;
	case EV_PTE_SET:
		snprintf(buf, sz, "%s: PTE of 0x%08x -> %s", fn, e->a, pfn_s(e->b, p[0]));
		break;
	case EV_PTE_CLEAR:
		snprintf(buf, sz, "%s: PTE of 0x%08x cleared (was %s)", fn, e->a, pfn_s(e->b, p[0]));
		break;
	case EV_PAGE_ADDR:
		snprintf(buf, sz, "set_page_address(%s, 0x%08x)", pfn_s(e->a, p[0]), e->b);
		break;
	case EV_TLB_ONE:
		snprintf(buf, sz, "local TLB flush of 0x%08x on cpu%u", e->a, e->b);
		break;
	case EV_TLB_GLOBAL:
		snprintf(buf, sz, "flush_tlb_kernel_range(0x%08x, 0x%08x)", e->a, e->b);
		break;
	case EV_IPI_SEND:
		snprintf(buf, sz, "TLB-shootdown IPI to cpu%u", e->a);
		break;
	case EV_IPI_ACK:
		snprintf(buf, sz, "cpu%u acknowledges the IPI of cpu%u", e->a, e->b);
		break;
	case EV_STORE:
		snprintf(buf, sz, "store %u byte(s) at 0x%08x (%s+0x%x)", e->c, e->a, pfn_s(e->b / W.P, p[0]), e->b % W.P);
		break;
	case EV_LOAD:
		snprintf(buf, sz, "load %u byte(s) at 0x%08x (%s+0x%x)", e->c, e->a, pfn_s(e->b / W.P, p[0]), e->b % W.P);
		break;
	case EV_DEV_WRITE:
		snprintf(buf, sz, "device writes %u byte(s) at pa 0x%05x (%s)", e->b, e->a, pfn_s(e->a / W.P, p[0]));
		break;
	case EV_DEV_READ:
		snprintf(buf, sz, "device reads %u byte(s) at pa 0x%05x (%s)", e->b, e->a, pfn_s(e->a / W.P, p[0]));
		break;
	case EV_LINE_FILL:
		snprintf(buf, sz, "line 0x%08x filled from %s", e->a, pfn_s(e->b / W.P, p[0]));
		break;
	case EV_LINE_CLEAN:
		snprintf(buf, sz, "line 0x%08x (%s) written back", e->a, pfn_s(e->b / W.P, p[0]));
		break;
	case EV_LINE_INV:
		snprintf(buf, sz, "line 0x%08x (%s) discarded%s", e->a, pfn_s(e->b / W.P, p[0]), e->c ? " while dirty" : "");
		break;
	case EV_LINE_EVICT:
		snprintf(buf, sz, "the cache evicts line 0x%08x (%s)", e->a, pfn_s(e->b / W.P, p[0]));
		break;
	case EV_CACHE_ALL:
		snprintf(buf, sz, "flush_cache_all over %u line(s)", e->a);
		break;
	case EV_DMA_MAP:
		snprintf(buf, sz, "buffer pa 0x%05x+%u handed to the device (%s)", e->a, e->b, hmr_dir_name((int)e->c));
		break;
	case EV_DMA_UNMAP:
		snprintf(buf, sz, "buffer pa 0x%05x+%u taken back from the device", e->a, e->b);
		break;
	case EV_SPEC_FILL:
		snprintf(buf, sz, "the CPU speculatively fills 0x%08x (%s)", e->a, pfn_s(e->b / W.P, p[0]));
		break;
	default:
		snprintf(buf, sz, "event %u", e->type);
	}
}

static void prefix(const struct hmr_event *e, char *buf, size_t sz)
{
	if (e->task < W.ntask)
		snprintf(buf, sz, "step %4u  cpu%u %-8s", e->step, e->cpu, W.script->task[e->task].name);
	else
		snprintf(buf, sz, "step %4u  %-13s", e->step, "scheduler");
}

void hmr_trace_print(FILE *out)
{
	char p[48], s[256];
	for (int i = 0; i < W.nev && i < HMR_MAX_EVENTS; i++) {
		const struct hmr_event *e = &W.ev[i];
		prefix(e, p, sizeof(p));
		hmr_event_str(e, s, sizeof(s));
		fprintf(out, "%s  %-18s %s\n", p, hmr_sites[e->site].name, s);
	}
	if (W.nev >= HMR_MAX_EVENTS)
		fprintf(out, "(event log full: later events were not recorded)\n");
}

/* Does event e concern the finding's objects (slot, line, pages)? */
static int relevant(const struct hmr_event *e)
{
	uint32_t slot_va = hmr_found.slot >= 0 ? PKMAP_ADDR(hmr_found.slot) : 0;
	int pa = hmr_found.pfn_a, pb = hmr_found.pfn_b;
	switch (e->type) {
	case EV_COUNT:
		return hmr_found.slot >= 0 && (int)e->a == hmr_found.slot;
	case EV_PTE_SET:
	case EV_PTE_CLEAR:
		return (slot_va && e->a == slot_va) || (hmr_found.line_va && e->a == (hmr_found.line_va & ~(W.P - 1)));
	case EV_PAGE_ADDR:
		return (int)e->a == pa || (int)e->a == pb;
	case EV_STORE:
		return (int)(e->b / W.P) == pa || (int)(e->b / W.P) == pb;
	case EV_LINE_INV:
	case EV_LINE_CLEAN:
	case EV_LINE_EVICT:
	case EV_LINE_FILL:
		return hmr_found.line_va && e->a == hmr_found.line_va;
	case EV_SPEC_FILL:
		return (int)(e->b / W.P) == pa || (int)(e->b / W.P) == pb;
	case EV_DEV_WRITE:
	case EV_DMA_MAP:
	case EV_DMA_UNMAP:
		return (int)(e->a / W.P) == pa || (int)(e->a / W.P) == pb;
	default:
		return 0;
	}
}

static void history(struct out *o)
{
	int idx[24], n = 0, total = 0;
	char p[48], s[256];
	for (int i = 0; i < W.nev && i < HMR_MAX_EVENTS; i++) {
		if (!relevant(&W.ev[i]))
			continue;
		idx[n % 24] = i;
		n++;
		total++;
	}
	if (!total)
		return;
	put(o, "\nHistory of the objects involved");
	if (hmr_found.slot >= 0)
		put(o, " (slot %d at 0x%08x)", hmr_found.slot, PKMAP_ADDR(hmr_found.slot));
	put(o, ":\n");
	if (total > 24)
		put(o, "  (%d earlier events left out)\n", total - 24);
	int first = total > 24 ? n % 24 : 0, cnt = total > 24 ? 24 : total;
	for (int k = 0; k < cnt; k++) {
		const struct hmr_event *e = &W.ev[idx[(first + k) % 24]];
		prefix(e, p, sizeof(p));
		hmr_event_str(e, s, sizeof(s));
		put(o, "  %s  %s\n", p, s);
	}
}

/* The interleaving: one column per task, one row per stretch of an operation. */
static void table(struct out *o)
{
	enum { COLW = 32 };
	int running = -1, rows = 0, seg = 0, open[HMR_MAX_TASKS] = { 0 };
	int16_t curop[HMR_MAX_TASKS];
	char cell[160], op[96];

	for (int t = 0; t < W.ntask; t++)
		curop[t] = -1;
	put(o, "\nInterleaving (one column per task):\n      ");
	for (int t = 0; t < W.ntask; t++) {
		snprintf(cell, sizeof(cell), "cpu%d %s%s", W.script->task[t].cpu, W.script->task[t].name,
			 W.script->task[t].ctx == CTX_HARDIRQ ? " (hardirq)" : W.script->task[t].ctx == CTX_SOFTIRQ ? " (softirq)" : "");
		put(o, "%-*.*s", COLW, COLW - 1, cell);
	}
	put(o, "\n");
	for (int i = 0; i <= W.nev && i < HMR_MAX_EVENTS && rows < 200; i++) {
		const struct hmr_event *e = i < W.nev ? &W.ev[i] : NULL;
		int t = -1, resumed = 0;
		if (e && e->type == EV_OP_BEGIN) {
			t = e->task;
			curop[t] = (int16_t)e->a;
			open[t] = 1;
		} else if (e && e->type == EV_OP_END) {
			open[e->task] = 0;
			continue;
		} else if (e && e->type == EV_SWITCH) {
			/* Switches away from a task are the followed schedule's
			 * segments, in order: say where an operation was cut. */
			if (e->b != 0xffu && seg < W.nseg) {
				const struct hmr_sched_line *l = &W.seg[seg++];
				if (l->site >= 0 && open[l->task]) {
					snprintf(cell, sizeof(cell), "  (switch at %s#%u)", hmr_sites[l->site].name, l->count);
					put(o, "      ");
					for (int c = 0; c < W.ntask; c++)
						put(o, "%-*.*s", COLW, COLW - 1, c == l->task ? cell : "");
					put(o, "\n");
				}
			}
			running = (int)e->a;
			if (open[running] && curop[running] >= 0) {
				t = running;
				resumed = 1;
			}
		} else {
			continue;
		}
		if (t < 0)
			continue;
		running = t;
		hmr_op_print(&W.script->task[t].ops[curop[t]], op, sizeof(op));
		snprintf(cell, sizeof(cell), "%s%s", resumed ? "..." : "", op);
		put(o, " %4d ", ++rows);
		for (int c = 0; c < W.ntask; c++)
			put(o, "%-*.*s", COLW, COLW - 1, c == t ? cell : "");
		put(o, "\n");
	}
	if (hmr_found.task >= 0)
		put(o, "      the finding is in the last operation of task %s (step %u)\n",
		    W.script->task[hmr_found.task].name, hmr_found.step);
}

static void put_hw(struct out *o, int seg, int *first)
{
	for (int i = 0; i < W.nhw; i++) {
		const struct hmr_hwrec *h = &W.hw[i];
		if (h->seg != seg)
			continue;
		put(o, "%s%s 0x%08x by %s before op %u", *first ? "" : "; ", hmr_hw_names[h->kind], h->va,
		    W.script->task[h->task].name, h->op);
		*first = 0;
	}
}

size_t hmr_schedule_str(char *buf, size_t sz)
{
	struct out o = { buf, sz, 0 };
	int first = 1;
	buf[0] = 0;
	for (int i = 0; i < W.nseg; i++) {
		const struct hmr_sched_line *l = &W.seg[i];
		put(&o, "%s%s", first ? "" : "; ", W.script->task[l->task].name);
		first = 0;
		if (l->site >= 0)
			put(&o, " until %s#%u", hmr_sites[l->site].name, l->count);
		put_hw(&o, i, &first);
	}
	if (W.last_task >= 0) {
		put(&o, "%s%s", first ? "" : "; ", W.script->task[W.last_task].name);
		first = 0;
	}
	put_hw(&o, W.nseg, &first);
	return o.len;
}

size_t hmr_config_str(char *buf, size_t sz)
{
	struct out o = { buf, sz, 0 };
	char v[16];
	buf[0] = 0;
	for (int i = 0; i < HMR_OPT__N; i++) {
		int val = W.cfg.v[i];
		if (i == HMR_OPT_cache)
			val = W.cache_mode;
		if (i == HMR_OPT_tlb)
			val = W.tlb_mode;
		if (i == HMR_OPT_steps && val == hmr_opts[i].def)
			continue;
		put(&o, "%s%s=%s", i ? " " : "", hmr_opts[i].name, hmr_opt_value_str(i, val, v, sizeof(v)));
	}
	return o.len;
}

size_t hmr_report(char *buf, size_t sz, const char *replay)
{
	struct out o = { buf, sz, 0 };
	char title[160], tmp[1024], kind[64];
	size_t k;

	hmr_title(title, sizeof(title));
	put(&o, "%s\n%s\n%s\n", RULE, title, THIN);
	put(&o, "%s\n", hmr_found.what);
	history(&o);
	table(&o);
	for (k = 0; hmr_kinds[hmr_found.kind].name[k] && k < sizeof(kind) - 1; k++) {
		char c = hmr_kinds[hmr_found.kind].name[k];
		kind[k] = c == '-' ? ' ' : (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
	}
	kind[k] = 0;
	put(&o, " *** %s ***\n", kind);
	put(&o, "profile:  %s", W.prof->name);
	for (int i = 0; i < SW__N; i++)
		if (W.sw >> i & 1)
			put(&o, " +%s", hmr_switches[i].name);
	hmr_config_str(tmp, sizeof(tmp));
	put(&o, "   config: %s\n", tmp);
	hmr_schedule_str(tmp, sizeof(tmp));
	put(&o, "schedule: %s\n", tmp);
	if (hmr_found.extra)
		put(&o, "(%d later finding(s) in this execution not reported)\n", hmr_found.extra);
	put(&o, "replay:   %s\n", replay);
	put(&o, "signature: %08x\n%s\n", hmr_signature(title), RULE);
	return o.len;
}
