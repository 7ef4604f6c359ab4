/* diff.c - the differential oracle; see diff.h.
 *
 * Where the two may switch tasks: the model has scheduling points at every
 * shared access, the real code only where it calls out (locks, PTE writes,
 * flushes, sleep and wake-up), so an interleaving means the same thing on
 * both sides only at points both have in the same places. Those are where an
 * operation begins, around kmap_lock (taken and dropped, as lock_kmap or
 * lock_kmap_any: x86's lock_kmap_any is a plain spin_lock, which the real
 * code's hook cannot tell from lock_kmap, so the real side follows the
 * model's decisions by number, not by site name), around the page-address
 * hash's bucket locks, the sleep for a free slot and its wake-up, and
 * before each cache line that DMA maintenance, flush_dcache_page or
 * flush_cache_all maintains (the real code's cache primitives are the
 * model's loops, glue.c). Left
 * out: the points inside flush_all_zero_pkmaps and map_new_virtual, which
 * the model puts after set_page_address() and the real code's PTE hook before
 * it - a switch there would compare a half-done flush. */
#include "kernel/kapi.h"
#include "explore/diff.h"
#include "run/reset.h"
#include "run/exec.h"
#include "sim/choice.h"
#include "ksrc/ksrc.h"
#include "kernel/highmem.h"
#include "hw/hw.h"
#include "run/report.h"
#include "sim/sched.h"
#include "oracle/oracle.h"
#include "format/binfmt.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const uint64_t shared_sites =
	1ull << HMR_SITE_op_begin | 1ull << HMR_SITE_lock_kmap | 1ull << HMR_SITE_unlock_kmap |
	1ull << HMR_SITE_lock_kmap_any | 1ull << HMR_SITE_unlock_kmap_any | 1ull << HMR_SITE_pa_lock |
	1ull << HMR_SITE_pa_unlock | 1ull << HMR_SITE_pkmap_sleep | 1ull << HMR_SITE_pkmap_woken |
	1ull << HMR_SITE_kunmap_wake | 1ull << HMR_SITE_dma_inv_line | 1ull << HMR_SITE_dma_clean_line |
	1ull << HMR_SITE_dma_flush_line | 1ull << HMR_SITE_dcache_page_line | 1ull << HMR_SITE_cache_all_line;

/* The kernel state after one operation. */
struct state {
	int task, op;			/* which operation just completed */
	int cursor;			/* last_pkmap_nr; -1: unknown (a tree without it) */
	int count[HMR_MAX_SLOTS];
	uint32_t pte[HMR_MAX_SLOTS];	/* pfn + 1, 0 = none */
	uint32_t pa[HMR_NPFN];		/* page_address() of highmem pages */
	uint32_t fix[HMR_FIX_SLOTS];	/* kmap_local PTEs: KM_MAX_IDX per CPU on both */
	/* The cache, as what maintenance left: how many lines, how many dirty, and
	 * an order-free hash of each line's key, page and dirtiness. */
	int lines, dirty;
	uint64_t cache;
};

/* One state per completed op, so as many as the script has ops: allocated
 * to fit (8 tasks of HMR_MAX_OPS would be ~40 MiB that LeakSanitizer scans
 * at every exit if it were static). */
static struct state *model, now;
static int nmodel, nreal, cap_model;
static int model_kind;			/* the model execution's finding, or -1 */
static char model_title[160];
static struct hmr_script twin_model, twin_real;
static struct hmr_chooser follow;	/* the real run's: the model's decisions */
static struct hmr_decision saved_dec[HMR_MAX_DECISIONS];

int hmr_diff_twins(const struct hmr_script *s, struct hmr_script *m, struct hmr_script *r, char *err, size_t errsz)
{
	const struct hmr_profile *p = s->profile >= 0 ? &hmr_profiles[s->profile] : NULL;
	int twin = -1;

	if (!hmr_ksrc_impls[0]) {
		snprintf(err, errsz, "%s: this binary has no copy of Linux's mm/highmem.c: use build/hmrig-ksrc (make ksrc)",
			 s->file);
		return -1;
	}
	/* The twins: a real-source profile and the model profile of its era. */
	for (int i = 0; p && i < hmr_nprofiles; i++)
		if (p->ksrc ? !strcmp(hmr_profiles[i].name, p->base) && !hmr_profiles[i].ksrc
			    : hmr_profiles[i].ksrc && !strcmp(hmr_profiles[i].base, p->name))
			twin = i;
	if (twin < 0) {
		char list[512] = "";
		size_t n = 0;
		for (int i = 0; i < hmr_nprofiles && n < sizeof(list); i++)
			if (hmr_profiles[i].ksrc && !strstr(list, hmr_profiles[i].base))
				n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? " or " : "", hmr_profiles[i].base);
		snprintf(err, errsz, "%s: diff compares %s with Linux's own code (%s); the profile is %s", s->file,
			 n ? list : "a model profile", hmr_ksrc_release[0] ? hmr_ksrc_release : "no tree linked in",
			 p ? p->name : "not set");
		return -1;
	}
	if (s->switches) {
		snprintf(err, errsz, "%s: diff runs without bug switches: they change the model, not the real code",
			 s->file);
		return -1;
	}
	hmr_script_copy(m, s);
	m->profile = p->ksrc ? twin : s->profile;
	hmr_script_copy(r, s);
	r->profile = p->ksrc ? s->profile : twin;
	return 0;
}

static void snap(struct state *st, const struct hmr_task *t)
{
	st->task = t->id;
	st->op = t->pc;
	st->cursor = hmr_kapi->cursor();
	memcpy(st->count, PK.pkmap_count, sizeof(int) * (size_t)W.last_pkmap);
	memcpy(st->pte, HW.pkmap_pte, sizeof(uint32_t) * (size_t)W.last_pkmap);
	for (int pfn = W.nlow; pfn < W.npfn; pfn++)
		st->pa[pfn] = hmr_kapi->page_address_peek(pfn);
	memcpy(st->fix, HW.fix_pte, sizeof(st->fix));
	st->lines = HW.nlines;
	st->dirty = 0;
	st->cache = 0;
	for (int i = 0; i < HW.nlines; i++) {
		const struct hmr_line *l = &HW.line[i];
		uint64_t x = ((uint64_t)l->key << 32 | l->pa) * 0x9e3779b97f4a7c15ull + l->dirty;
		st->dirty += l->dirty;
		st->cache += x ^ x >> 29;
	}
}

static const char *page(uint32_t pte, char buf[8])
{
	return pte ? hmr_pfn_name((int)pte - 1, buf) : "none";
}

/* What differs between the model's state m and the real code's r, at most
 * six items, into buf. Returns how many differ; *slot: the first slot. */
static int differ(const struct state *m, const struct state *r, char *buf, size_t sz, int *slot)
{
	int n = 0;
	size_t len = 0;
	char a[8], b[8];
#define SAY(...) do { if (n++ < 6 && len < sz) len += (size_t)snprintf(buf + len, sz - len, "\n  " __VA_ARGS__); } while (0)
	*slot = -1;
	if (r->cursor >= 0 && m->cursor != r->cursor)
		SAY("the slot cursor last_pkmap_nr: model %d, real %d", m->cursor, r->cursor);
	for (int i = 0; i < W.last_pkmap; i++) {
		if (m->count[i] != r->count[i])
			SAY("pkmap_count[%d]: model %d, real %d", i, m->count[i], r->count[i]);
		if (m->pte[i] != r->pte[i])
			SAY("the PTE of pkmap slot %d: model %s, real %s", i, page(m->pte[i], a), page(r->pte[i], b));
		if (*slot < 0 && (m->count[i] != r->count[i] || m->pte[i] != r->pte[i]))
			*slot = i;
	}
	for (int pfn = W.nlow; pfn < W.npfn; pfn++)
		if (m->pa[pfn] != r->pa[pfn])
			SAY("page_address(%s): model 0x%08x, real 0x%08x", hmr_pfn_name(pfn, a), m->pa[pfn], r->pa[pfn]);
	for (int i = 0; i < HMR_FIX_SLOTS; i++)
		if (m->fix[i] != r->fix[i])
			SAY("the PTE of cpu%d's kmap_local slot %d: model %s, real %s", i / KM_MAX_IDX, i % KM_MAX_IDX,
			    page(m->fix[i], a), page(r->fix[i], b));
	if (m->lines != r->lines || m->dirty != r->dirty || m->cache != r->cache)
		SAY("the cache: model %d line(s), %d dirty, real %d, %d dirty%s", m->lines, m->dirty, r->lines, r->dirty,
		    m->lines == r->lines && m->dirty == r->dirty ? ", other lines or other ones dirty" : "");
	if (n > 6 && len < sz)
		snprintf(buf + len, sz - len, "\n  and %d more", n - 6);
	return n;
#undef SAY
}

static void describe_op(const struct hmr_task *t, int pc, char *buf, size_t sz)
{
	hmr_op_ref(W.script, t->id, pc, buf, sz);
}

/* W's finding as "kind in a / b": its title without the "BUG: hmrig: ". */
static void finding_name(char *buf, size_t sz)
{
	char title[160];
	hmr_title(title, sizeof(title));
	snprintf(buf, sz, "%s", title + strlen("BUG: hmrig: "));
}

/* The finding, made in the real execution (its history is the report's). */
static void diverge(const char *fn, int slot, const char *what)
{
	hmr_oracle_divergence(fn, slot, what);
}

static const char *model_name(void) { return hmr_profiles[twin_model.profile].name; }

static void record(struct hmr_task *t)
{
	if (nmodel < cap_model)
		snap(&model[nmodel++], t);
}

static void compare(struct hmr_task *t)
{
	char op[160], other[160], what[400], msg[512];
	int k = nreal++, slot;

	if (k >= nmodel && model_kind == HMR_K_hang)
		hmr_end_execution();	/* the model spent its step budget sooner: no verdict */
	if (k >= nmodel) {
		describe_op(t, t->pc, op, sizeof(op));
		snprintf(msg, sizeof(msg), "%s completed %s, which %s never did: its execution had ended (%s)",
			 W.prof->name, op, model_name(), model_kind >= 0 ? model_title : "every operation done");
		diverge(hmr_fn_outer(t), -1, msg);
	}
	const struct state *m = &model[k];
	if (m->task != t->id || m->op != t->pc) {
		describe_op(t, t->pc, op, sizeof(op));
		describe_op(&W.task[m->task], m->op, other, sizeof(other));
		snprintf(msg, sizeof(msg), "%s completed %s where %s completed %s: on one schedule, the two took "
			 "different paths", W.prof->name, op, model_name(), other);
		diverge(hmr_fn_outer(t), -1, msg);
	}
	snap(&now, t);
	if (differ(m, &now, what, sizeof(what), &slot)) {
		describe_op(t, t->pc, op, sizeof(op));
		snprintf(msg, sizeof(msg), "after %s, %s (the model) and %s (the real code) disagree:%s", op,
			 model_name(), W.prof->name, what);
		diverge(hmr_fn_outer(t), slot, msg);
	}
}

/* After the real run: the verdicts (a hang is the step budget, which the two
 * sides spend differently, so it is no verdict). */
static void compare_end(void)
{
	char title[160] = "no finding", msg[512];
	const char *fn = "scheduler";
	int real_kind = hmr_found.kind;

	if (real_kind == HMR_K_model_divergence)
		return;
	if (real_kind == model_kind || real_kind == HMR_K_hang || model_kind == HMR_K_hang)
		return;
	if (real_kind >= 0) {
		finding_name(title, sizeof(title));
		fn = hmr_found.site_a;
	} else if (W.last_task >= 0) {
		fn = hmr_fn_outer(&W.task[W.last_task]);
	}
	snprintf(msg, sizeof(msg), "on one schedule, %s (the real code) ends with %s and %s (the model) with %s",
		 W.prof->name, title, model_name(), model_kind >= 0 ? model_title : "no finding");
	char site[40];
	snprintf(site, sizeof(site), "%s", fn);
	hmr_found.kind = -1;
	diverge(site, -1, msg);
}

/* One execution of twin as ch decides, switching only at the shared points;
 * after is called as each operation completes. */
static void run_side(struct hmr_chooser *ch, const struct hmr_script *twin, void (*after)(struct hmr_task *))
{
	ch->only_sites = shared_sites;
	hmr_cur_chooser = ch;
	hmr_chooser_begin(ch);
	hmr_world_reset(twin);
	hmr_after_op = after;
	hmr_run();
	hmr_after_op = NULL;
}

/* The real code, taking the model's decisions (the model's states are in
 * model[]), then the verdicts. */
static void real_side(const uint8_t *bytes, size_t nb)
{
	hmr_chooser_init_bytes(&follow, bytes, nb);
	nreal = 0;
	run_side(&follow, &twin_real, compare);
	if (!W.rig_fail[0])
		compare_end();
}

void hmr_diff(const struct hmr_script *s, const struct hmr_explore_opts *o, struct hmr_result *r)
{
	static struct hmr_chooser c;
	static uint8_t bytes[HMR_MAX_DECISIONS];
	char err[256];
	int single = o->strategy == STRAT_SCHEDULE || o->strategy == STRAT__N || o->strategy == STRAT_BYTES;

	_Static_assert(HMR_SITE__N <= 64, "only_sites has a bit per site");
	memset(r, 0, offsetof(struct hmr_result, replay));
	r->replay[0] = r->report[0] = 0;
	r->kind = -1;
	if (hmr_diff_twins(s, &twin_model, &twin_real, err, sizeof(err)) < 0) {
		r->input_error = 1;
		snprintf(r->err, sizeof(r->err), "%s", err);
		return;
	}
	int ops = 1;
	for (int i = 0; i < s->ntasks; i++)
		ops += s->task[i].nops;
	if (ops > cap_model) {
		struct state *m = realloc(model, sizeof(*m) * (size_t)ops);
		if (!m) {
			r->rig_fail = 1;
			snprintf(r->err, sizeof(r->err), "diff: no memory for the model's %d states", ops);
			return;
		}
		model = m;
		cap_model = ops;
	}
	for (int i = 0; o->strategy == STRAT_SCHEDULE && i < s->nsched; i++) {
		const struct hmr_sched_line *l = &s->sched[i];
		if (l->hw || l->site < 0 || (shared_sites >> l->site & 1))
			continue;
		r->input_error = 1;
		snprintf(r->err, sizeof(r->err), "%s:%d:%d: error: schedule: diff switches tasks only where the real code "
			 "has a scheduling point too, and it has none at %s (use op_begin, the kmap_lock and pa_lock "
			 "sites, pkmap_sleep, pkmap_woken, kunmap_wake or a cache line's site)", s->file, l->line, l->col, hmr_sites[l->site].name);
		return;
	}
	if (o->strategy == STRAT__N) {
		hmr_chooser_init_log(&c, o->log, o->nlog);
		c.script = o->sched_override ? NULL : s;	/* its decisions: block */
	} else if (o->strategy == STRAT_BYTES)
		hmr_chooser_init_bytes(&c, o->bytes, o->nbytes);
	else
		hmr_chooser_init(&c, o->strategy, &twin_model, o->seed, o->bound, o->depth);
	for (;;) {
		/* The model, as the strategy says. */
		nmodel = 0;
		run_side(&c, &twin_model, record);
		r->executions++;
		r->steps += W.step;
		if (hmr_result_error(r))
			return;
		model_kind = hmr_found.kind;
		if (model_kind >= 0)
			finding_name(model_title, sizeof(model_title));
		int ndec = W.ndec < HMR_MAX_DECISIONS ? W.ndec : HMR_MAX_DECISIONS;
		memcpy(saved_dec, W.dec, sizeof(W.dec[0]) * (size_t)ndec);
		size_t nb = hmr_decision_bytes(bytes, sizeof(bytes));

		real_side(bytes, nb);
		r->steps += W.step;
		if (hmr_result_error(r))
			return;
		if (hmr_found.kind == HMR_K_model_divergence) {
			/* Once per exploration at most: the replay command reads
			 * the model's execution, so run the model again on its own
			 * decisions, then the real code again for the report. */
			hmr_chooser_init_bytes(&follow, bytes, nb);
			nmodel = 0;
			run_side(&follow, &twin_model, record);
			hmr_replay_cmd("diff", 1, s, o, r->replay, sizeof(r->replay));
			real_side(bytes, nb);
			r->failing = 1;
			r->kind = hmr_found.kind;
			r->first_at = r->executions;
			hmr_title(r->title, sizeof(r->title));
			r->signature = hmr_signature(r->title);
			hmr_report(r->report, sizeof(r->report), r->replay);
			hmr_result_keep_schedule(r);
			return;
		}
		memcpy(W.dec, saved_dec, sizeof(W.dec[0]) * (size_t)ndec);	/* what the search reads */
		W.ndec = ndec;
		if (single || !hmr_chooser_next(&c))
			return;
		if (o->runs && r->executions >= o->runs)
			return;
		if (o->stop && o->stop(r))
			return;
	}
}

const char *hmr_diff_input_options(const uint8_t *buf, size_t n, const char *opts)
{
	static char twin[HMR_MAX_SRC_PROFILES][64];
	static int ntwin = -1;

	if (opts && *opts)
		return opts;
	if (ntwin < 0)	/* one real-source profile per model profile of its era */
		for (int i = ntwin = 0; i < hmr_nprofiles; i++) {
			int dup = 0;
			for (int j = hmr_nmodel_profiles; j < i; j++)
				dup |= hmr_profiles[j].ksrc && !strcmp(hmr_profiles[j].base, hmr_profiles[i].base ? hmr_profiles[i].base : "");
			if (hmr_profiles[i].ksrc && !dup)
				snprintf(twin[ntwin++], sizeof(twin[0]), "profile=%s:switch=none", hmr_profiles[i].name);
		}
	return ntwin ? twin[hmr_bin_profile(buf, n) % ntwin] : NULL;
}
