/* scn_parse.c - scenario text (.scn, README "Scenario files") into a struct hmr_script.
 *
 * The text is exactly len bytes: nothing trusts a terminator, and a NUL or other
 * control byte anywhere is an input error. Each line is read through a cursor
 * bounded by the line's length, so no input makes the parser read outside the
 * text or write outside the script. Parsing stops at the first error and writes
 * "file:line:col: error: message" (1-based line, 1-based byte column).
 *
 * Two phases, like a compiler: while reading, every line is checked for what it
 * says on its own (syntax, known names, ranges that do not depend on the config,
 * a write to a page the task never mapped). What depends on the whole file -
 * pages, offsets and cpus against a config: line that may come later, schedule
 * lines naming tasks declared later - is checked after the last line, in file
 * order, at positions recorded while reading.
 *
 * Header lines (key: value) may appear anywhere in column 1: before, between or
 * after tasks; a column-1 line ends the task, schedule: or decisions: block
 * above it. A decisions: block is the schedule as a decision log (script.h),
 * for an execution whose symbolic schedule would pass HMR_MAX_SCHED lines; a
 * scenario has either block, not both.
 *
 * Comments: a '#' at the start of a word (line start, or after a blank) starts a
 * comment. Inside a word it is text; that is what lets "A until site#2" work. */
#include <stddef.h>	/* before script.h, which uses size_t without it */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "format/script.h"
#include "format/config.h"
#include "format/kind.h"
#include "format/profile.h"
#include "format/site.h"

#define SCN_MAX_FILE	(1u << 20)	/* hmr_scn_load refuses larger files */
#define NAME_MAX_LEN	15		/* task names: [A-Za-z_][A-Za-z0-9_]{0,14} */
#define QBUF		200		/* a quoted token: 40 bytes, each up to \xNN, "..." */

static const struct op_info {
	const char *name;
	uint8_t shape;
} op_tab[HMR_OP__N] = {
#define OP(id, name, shape, help) { name, shape },
#include "format/ops.def"
#undef OP
};

/* What follows the op name, for "expected '...'" messages. */
static const char *const shape_usage[] = {
	[SH_NONE] = "",
	[SH_P] = " P",
	[SH_P_TYPE] = " P [TYPE]",
	[SH_P_OFF] = " P OFF",
	[SH_P_OFF_LEN] = " P OFF [LEN]",
	[SH_P_OFF_VAL] = " P OFF VAL",
	[SH_P_OFF_VAL_LEN] = " P OFF VAL [LEN]",
	[SH_P_DIR] = " P DIR",
	[SH_P_DIR_RANGE] = " P DIR [OFF LEN]",
	[SH_PLIST_DIR] = " P,Q,... DIR",
};

/* Indexed by enum hmr_dma_dir and enum hmr_ctx. */
static const char *const dir_names[] = { "bidirectional", "to_device", "from_device" };
static const char *const ctx_names[] = { "process", "softirq", "hardirq" };

enum hkey { H_TITLE, H_QUESTION, H_PROFILE, H_SWITCH, H_CONFIG, H_EXPECT, H_EXPLORE, H__N };
static const char *const hkey_names[H__N] = {
	"title", "question", "profile", "switch", "config", "expect", "explore",
};

enum block { B_NONE, B_TASK, B_SCHED, B_DEC };

/* Explore options; a strategy accepts a subset of them. */
enum xopt { X_BOUND, X_DEPTH, X_RUNS, X_SEED, X__N };
static const struct xopt_info {
	const char *name;
	uint64_t lo, hi;
} xopt_tab[X__N] = {
	[X_BOUND] = { "bound", 0, 8 },
	[X_DEPTH] = { "depth", 1, 10 },
	[X_RUNS] = { "runs", 1, 10000000 },
	[X_SEED] = { "seed", 0, UINT64_MAX },
};

static const struct strat_info {
	const char *name;
	uint8_t strategy;
	unsigned opts;		/* bit X_* */
	const char *usage;
} strat_tab[] = {
	{ "exhaustive", STRAT_EXHAUSTIVE, 1u << X_BOUND | 1u << X_RUNS, "exhaustive [bound=K] [runs=N]" },
	{ "pct", STRAT_PCT, 1u << X_DEPTH | 1u << X_RUNS | 1u << X_SEED, "pct [depth=D] [runs=N] [seed=S]" },
	{ "random", STRAT_RANDOM, 1u << X_RUNS | 1u << X_SEED, "random [runs=N] [seed=S]" },
	{ "schedule", STRAT_SCHEDULE, 0, "schedule" },
};
#define NSTRAT ((int)(sizeof(strat_tab) / sizeof(strat_tab[0])))

/* Columns of an op's arguments, for the whole-file checks. */
struct op_pos {
	int pcol[HMR_MAX_SG];
	int offcol, lencol;
};

struct parser {
	const char *file;
	char *err;
	size_t errsz;
	struct hmr_script *s;

	/* The current line: content without comment, trailing blanks or CR. */
	const char *ln;
	size_t n, pos, lineno;

	enum block block;
	size_t block_line;
	size_t sched_line;		/* line of schedule:, 0 = none yet */
	size_t dec_line;		/* line of decisions:, 0 = none yet */
	long dec_last;			/* the last decision given, -1 = none yet */
	size_t seen[H__N];		/* line of each header key, 0 = not seen */
	size_t cfg_col, explore_col;
	uint64_t mapped[2];		/* pages the current task mapped: [0] p, [1] l */
	uint8_t held[3][2][HMR_MAX_PAGES];	/* maps it holds: kmap, atomic, local */
	int cpucol[HMR_MAX_TASKS];
	struct op_pos opos[HMR_MAX_TASKS][HMR_MAX_OPS];
	char sched_name[HMR_MAX_SCHED][NAME_MAX_LEN + 1];
};

/* ---- messages ---------------------------------------------------------- */

#ifdef __GNUC__
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

static int fail_at(struct parser *p, size_t line, size_t col, const char *fmt, ...)
	PRINTF_LIKE(4, 5);

static int fail_at(struct parser *p, size_t line, size_t col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err && p->errsz)
		snprintf(p->err, p->errsz, "%s:%zu:%zu: error: %s", p->file, line, col, msg);
	return -1;
}

#define fail(p, col, ...) fail_at(p, (p)->lineno, col, __VA_ARGS__)

/* A token as it may appear in a message: short, printable ASCII only. */
static const char *quote(char *b, const char *s, size_t n)
{
	size_t o = 0, i;

	for (i = 0; i < n && i < 40; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch >= 0x20 && ch < 0x7f)
			b[o++] = (char)ch;
		else
			o += (size_t)snprintf(b + o, 5, "\\x%02x", ch);
	}
	if (i < n) {
		memcpy(b + o, "...", 3);
		o += 3;
	}
	b[o] = 0;
	return b;
}

/* People write "kmap p1#note"; say why that did not become a comment. */
static const char *hash_hint(const char *w, size_t n)
{
	return memchr(w, '#', n) ? " ('#' starts a comment only at the start of a word)" : "";
}

typedef const char *(*name_fn)(int i);

static const char *name_op(int i) { return op_tab[i].name; }
static const char *name_hkey(int i) { return hkey_names[i]; }
static const char *name_opt(int i) { return hmr_opts[i].name; }
static const char *name_site(int i) { return hmr_sites[i].name; }
static const char *name_kind(int i) { return hmr_kinds[i].name; }
static const char *name_profile(int i) { return hmr_profiles[i].name; }
static const char *name_switch(int i) { return hmr_switches[i].name; }
static const char *name_km(int i) { return hmr_km_names[i]; }
static const char *name_dir(int i) { return dir_names[i]; }
static const char *name_ctx(int i) { return ctx_names[i]; }

/* "a, b, c or d" into b. */
static const char *list_names(char *b, size_t bsz, name_fn name, int first, int count)
{
	size_t o = 0;

	b[0] = 0;
	for (int i = first; i < count && o < bsz; i++) {
		const char *sep = i == first ? "" : i == count - 1 ? " or " : ", ";
		int k = snprintf(b + o, bsz - o, "%s%s", sep, name(i));

		if (k < 0)
			break;
		o += (size_t)k;
	}
	return b;
}

static int lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* Levenshtein distance, ignoring case (KMAP is a near miss of kmap). */
static size_t edit_distance(const char *a, size_t an, const char *b, size_t bn)
{
	size_t row[64], prev, tmp;

	for (size_t j = 0; j <= bn; j++)
		row[j] = j;
	for (size_t i = 1; i <= an; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= bn; j++) {
			size_t best = prev + (lower(a[i - 1]) != lower(b[j - 1]));

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[bn];
}

/* " (did you mean 'kmap'?)" for a near miss, else "". */
static const char *did_you_mean(char *b, size_t bsz, name_fn name, int first, int count,
				const char *w, size_t n)
{
	const char *best = NULL;
	size_t bestd = 3;

	b[0] = 0;
	if (n == 0 || n > 40)
		return b;
	for (int i = first; i < count; i++) {
		const char *cand = name(i);
		size_t cn = strlen(cand), d;

		if (cn > 60)
			continue;
		d = edit_distance(w, n, cand, cn);
		if (d < bestd && d < cn) {
			best = cand;
			bestd = d;
		}
	}
	if (best)
		snprintf(b, bsz, " (did you mean '%s'?)", best);
	return b;
}

/* ---- the cursor -------------------------------------------------------- */

static int is_blank(int ch)
{
	return ch == ' ' || ch == '\t';
}

static int is_ident(int ch, int first)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '_' ||
	       (!first && ch >= '0' && ch <= '9');
}

static size_t col(const struct parser *p)
{
	return p->pos + 1;
}

static void skip_blank(struct parser *p)
{
	while (p->pos < p->n && is_blank(p->ln[p->pos]))
		p->pos++;
}

static int at_eol(struct parser *p)
{
	skip_blank(p);
	return p->pos >= p->n;
}

/* The next word: bytes up to a blank, the end of the line or one of stop. */
static size_t word(struct parser *p, const char *stop, const char **w)
{
	size_t start;

	skip_blank(p);
	start = p->pos;
	*w = p->ln + start;
	while (p->pos < p->n && !is_blank(p->ln[p->pos]) &&
	       !(stop && strchr(stop, p->ln[p->pos])))
		p->pos++;
	return p->pos - start;
}

static int eq(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

static int find_name(name_fn name, int first, int count, const char *w, size_t n)
{
	for (int i = first; i < count; i++)
		if (eq(w, n, name(i)))
			return i;
	return -1;
}

static int ipos(size_t v)
{
	return v > 0x7fffffff ? 0x7fffffff : (int)v;
}

/* Decimal or 0x-hex: 0, -1 if w is not a number, -2 if it exceeds 64 bits. */
static int parse_num(const char *w, size_t n, uint64_t *v)
{
	unsigned base = 10;
	size_t i = 0;

	*v = 0;
	if (n > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (n == 0)
		return -1;
	for (; i < n; i++) {
		int ch = w[i];
		unsigned d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned)(ch - '0');
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = (unsigned)(ch - 'a' + 10);
		else if (base == 16 && ch >= 'A' && ch <= 'F')
			d = (unsigned)(ch - 'A' + 10);
		else
			return -1;
		if (*v > (UINT64_MAX - d) / base)
			return -2;
		*v = *v * base + d;
	}
	return 0;
}

/* Junk where the line should have ended. */
static int trailing(struct parser *p, const char *after, const char *usage)
{
	char q[QBUF];
	const char *w;
	size_t at, n;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	if (usage)
		return fail(p, at, "unexpected '%s' after %s: expected '%s'%s",
			    quote(q, w, n), after, usage, hash_hint(w, n));
	return fail(p, at, "unexpected '%s' after %s: expected the end of the line%s",
		    quote(q, w, n), after, hash_hint(w, n));
}

/* ---- op arguments ------------------------------------------------------ */

static int num_arg(struct parser *p, const char *what, const char *usage,
		   uint64_t lo, uint64_t hi, uint64_t *v, int *atp)
{
	char q[QBUF];
	const char *w;
	size_t at, n;
	int r;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	if (!n)
		return fail(p, at, "missing %s: expected '%s'", what, usage);
	r = parse_num(w, n, v);
	if (r == -1)
		return fail(p, at, "%s must be a number (decimal or 0x-hex), not '%s'%s",
			    what, quote(q, w, n), hash_hint(w, n));
	if (r == -2 || *v < lo || *v > hi)
		return fail(p, at, "%s %s is out of range (%llu to %llu)", what, quote(q, w, n),
			    (unsigned long long)lo, (unsigned long long)hi);
	if (atp)
		*atp = ipos(at);
	return 0;
}

/* pN or lN; N below HMR_MAX_PAGES here, below the config's count later. */
static int page_arg(struct parser *p, const char *stop, const char *usage,
		    uint16_t *page, int *atp)
{
	char q[QBUF];
	const char *w;
	size_t at, n, i;
	unsigned v = 0;
	int big = 0;

	skip_blank(p);
	at = col(p);
	n = word(p, stop, &w);
	if (!n)
		return fail(p, at, "missing page: expected '%s'", usage);
	if (n < 2 || (w[0] != 'p' && w[0] != 'l'))
		goto bad;
	for (i = 1; i < n; i++) {
		if (w[i] < '0' || w[i] > '9')
			goto bad;
		if (v < HMR_MAX_PAGES)
			v = v * 10 + (unsigned)(w[i] - '0');
		else
			big = 1;
	}
	if (big || v >= HMR_MAX_PAGES)
		return fail(p, at, "page %s does not exist: a zone has at most %d pages (%c0..%c%d)",
			    quote(q, w, n), HMR_MAX_PAGES, w[0], w[0], HMR_MAX_PAGES - 1);
	*page = (uint16_t)((w[0] == 'l' ? HMR_LOWMEM : 0) | v);
	*atp = ipos(at);
	return 0;
bad:
	return fail(p, at, "expected a page (pN for highmem, lN for lowmem), not '%s'%s",
		    quote(q, w, n), hash_hint(w, n));
}

static int dir_arg(struct parser *p, const char *usage, uint8_t *dir)
{
	char q[QBUF];
	const char *w;
	size_t at, n;
	int d;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	if (!n)
		return fail(p, at, "missing DMA direction: expected '%s' with DIR one of "
			    "to_device, from_device or bidirectional", usage);
	d = find_name(name_dir, 0, 3, w, n);
	if (d < 0)
		return fail(p, at, "unknown DMA direction '%s': expected to_device, from_device "
			    "or bidirectional", quote(q, w, n));
	*dir = (uint8_t)d;
	return 0;
}

static int type_arg(struct parser *p, uint8_t *ktype)
{
	char q[QBUF], list[512], hint[96];
	const char *w;
	size_t at, n;
	int k;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	k = find_name(name_km, 1, KM__N, w, n);
	if (k < 0)
		return fail(p, at, "unknown km_type '%s'%s: expected %s", quote(q, w, n),
			    did_you_mean(hint, sizeof(hint), name_km, 1, KM__N, w, n),
			    list_names(list, sizeof(list), name_km, 1, KM__N));
	*ktype = (uint8_t)k;
	return 0;
}

/* P,Q,... : commas with optional blanks around them. */
static int plist_arg(struct parser *p, const char *usage, struct hmr_op *op, struct op_pos *pos)
{
	op->npages = 0;
	for (;;) {
		if (op->npages == HMR_MAX_SG) {
			skip_blank(p);
			return fail(p, col(p), "too many pages: a scatterlist has at most %d",
				    HMR_MAX_SG);
		}
		if (page_arg(p, ",", usage, &op->page[op->npages], &pos->pcol[op->npages]))
			return -1;
		op->npages++;
		skip_blank(p);
		if (p->pos >= p->n || p->ln[p->pos] != ',')
			return 0;
		p->pos++;
	}
}

/* The arguments of op after its page, by shape. */
static int shape_args(struct parser *p, const char *usage, struct hmr_op *op, struct op_pos *pos)
{
	uint64_t v;
	int shape = op_tab[op->code].shape;
	int has_val = shape == SH_P_OFF_VAL || shape == SH_P_OFF_VAL_LEN;
	int has_len = shape == SH_P_OFF_LEN || shape == SH_P_OFF_VAL_LEN;

	switch (shape) {
	case SH_NONE:
	case SH_P:
		return 0;
	case SH_P_TYPE:
		return at_eol(p) ? 0 : type_arg(p, &op->ktype);
	case SH_P_DIR:
		return dir_arg(p, usage, &op->dir);
	case SH_PLIST_DIR:
		if (plist_arg(p, usage, op, pos))
			return -1;
		return dir_arg(p, usage, &op->dir);
	case SH_P_DIR_RANGE:
		if (dir_arg(p, usage, &op->dir))
			return -1;
		if (at_eol(p))
			return 0;
		if (num_arg(p, "OFF", usage, 0, UINT32_MAX, &v, &pos->offcol))
			return -1;
		op->off = (uint32_t)v;
		if (at_eol(p))
			return fail(p, col(p), "missing LEN: %s takes both OFF and LEN or neither",
				    op_tab[op->code].name);
		if (num_arg(p, "LEN", usage, 1, UINT32_MAX, &v, &pos->lencol))
			return -1;
		op->len = (uint32_t)v;
		op->has_range = 1;
		return 0;
	}
	/* The OFF shapes. */
	if (num_arg(p, "OFF", usage, 0, UINT32_MAX, &v, &pos->offcol))
		return -1;
	op->off = (uint32_t)v;
	if (has_val) {
		if (num_arg(p, "VAL", usage, 0, 255, &v, NULL))
			return -1;
		op->val = (uint8_t)v;
	}
	if (has_len && !at_eol(p)) {
		if (num_arg(p, "LEN", usage, 1, UINT32_MAX, &v, &pos->lencol))
			return -1;
		/* LEN 1 is the default; store it as such so the script has one form. */
		op->len = v == 1 ? 0 : (uint32_t)v;
	}
	return 0;
}

/* write/read go through the VA the task last obtained (README "Scenario files"): it must
 * have one. An unmap releases a mapping of its own kind the task holds. */
static int check_mapped(struct parser *p, const struct hmr_task_def *t, const struct hmr_op *op)
{
	static const char *const how[] = { "kmap or kmap_high_get", "kmap_atomic", "kmap_local" };
	int low = HMR_PAGE_IS_LOW(op->page[0]), num = HMR_PAGE_NUM(op->page[0]) % HMR_MAX_PAGES;
	uint64_t *set = &p->mapped[low];
	uint64_t bit = 1ull << HMR_PAGE_NUM(op->page[0]);
	int release, k = hmr_op_map_class(op->code, &release);
	char pn[8];

	if (hmr_op_obtains_map(op->code))
		*set |= bit;
	if (hmr_op_needs_map(op->code) && !(*set & bit))
		return fail(p, (size_t)op->col, "task %s never maps %s before this %s "
			    "(map it first with kmap, kmap_atomic, kmap_local or kmap_high_get)",
			    t->name, hmr_page_name(op->page[0], pn), op_tab[op->code].name);
	if (k < 0)
		return 0;
	if (release && !p->held[k][low][num])
		return fail(p, (size_t)op->col, "task %s holds no %s of %s here to %s "
			    "(every unmap releases one earlier map of its kind)",
			    t->name, how[k], hmr_page_name(op->page[0], pn), op_tab[op->code].name);
	if (release)
		p->held[k][low][num]--;
	else if (p->held[k][low][num] < 255)
		p->held[k][low][num]++;
	return 0;
}

/* An indented "task", "schedule:", "decisions:" or "key:" line is read as an
 * op or a schedule line; say what was probably meant. */
static const char *col1_hint(const char *w, size_t n)
{
	size_t k = 0;

	while (k < n && is_ident(w[k], 0))
		k++;
	if (eq(w, n, "task") || (k + 1 == n && w[k] == ':' &&
				  (eq(w, k, "schedule") || eq(w, k, "decisions") ||
				   find_name(name_hkey, 0, H__N, w, k) >= 0)))
		return " (task, schedule:, decisions: and header lines start in column 1)";
	return hash_hint(w, n);
}

/* An indented line inside a task block. */
static int parse_op(struct parser *p)
{
	int ti = p->s->ntasks - 1;
	struct hmr_task_def *t = &p->s->task[ti];
	char q[QBUF], hint[96], usage[64];
	struct hmr_op *op;
	struct op_pos *pos;
	const char *w;
	size_t at, n;
	int code;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	code = find_name(name_op, 0, HMR_OP__N, w, n);
	if (code < 0)
		return fail(p, at, "unknown op '%s'%s%s", quote(q, w, n),
			    did_you_mean(hint, sizeof(hint), name_op, 0, HMR_OP__N, w, n),
			    col1_hint(w, n));
	if (t->nops >= HMR_MAX_OPS)
		return fail(p, at, "too many ops in task %s (at most %d)", t->name, HMR_MAX_OPS);
	op = &t->ops[t->nops];
	pos = &p->opos[ti][t->nops];
	memset(op, 0, sizeof(*op));
	memset(pos, 0, sizeof(*pos));
	op->code = (uint8_t)code;
	op->npages = 1;
	op->line = ipos(p->lineno);
	op->col = ipos(at);
	snprintf(usage, sizeof(usage), "%s%s", op_tab[code].name, shape_usage[op_tab[code].shape]);
	if (op_tab[code].shape != SH_NONE && op_tab[code].shape != SH_PLIST_DIR &&
	    page_arg(p, NULL, usage, &op->page[0], &pos->pcol[0]))
		return -1;
	if (shape_args(p, usage, op, pos))
		return -1;
	if (!at_eol(p))
		return trailing(p, op_tab[code].name, usage);
	if (op_tab[code].shape != SH_NONE && op_tab[code].shape != SH_PLIST_DIR &&
	    check_mapped(p, t, op))
		return -1;
	t->nops++;
	return 0;
}

/* ---- task lines -------------------------------------------------------- */

static int task_option(struct parser *p, struct hmr_task_def *t, int *have_cpu, int *have_ctx)
{
	char q[QBUF];
	const char *w, *v;
	size_t at, vat, n, vn;
	uint64_t cpu;
	int k;

	at = col(p);
	n = word(p, "=:", &w);
	if (p->pos >= p->n || p->ln[p->pos] != '=') {
		if (!n)
			return fail(p, at, "expected cpu=N, context=... or ':' here");
		return fail(p, at, "expected cpu=N or context=process|softirq|hardirq, not '%s'%s",
			    quote(q, w, n), hash_hint(w, n));
	}
	p->pos++;
	vat = col(p);
	vn = 0;
	v = p->ln + p->pos;
	while (p->pos < p->n && !is_blank(p->ln[p->pos]) && p->ln[p->pos] != ':') {
		p->pos++;
		vn++;
	}
	if (eq(w, n, "cpu")) {
		if (*have_cpu)
			return fail(p, at, "cpu= given twice");
		k = parse_num(v, vn, &cpu);
		if (k || cpu >= (uint64_t)hmr_opts[HMR_OPT_cpus].hi)
			return fail(p, vat, "cpu must be a number from 0 to %d (and below the "
				    "config's cpus), not '%s'", hmr_opts[HMR_OPT_cpus].hi - 1,
				    quote(q, v, vn));
		t->cpu = (uint8_t)cpu;
		p->cpucol[p->s->ntasks] = ipos(vat);
		*have_cpu = 1;
		return 0;
	}
	if (eq(w, n, "context")) {
		if (*have_ctx)
			return fail(p, at, "context= given twice");
		k = find_name(name_ctx, 0, 3, v, vn);
		if (k < 0)
			return fail(p, vat, "unknown context '%s': expected process, softirq or "
				    "hardirq", quote(q, v, vn));
		t->ctx = (uint8_t)k;
		*have_ctx = 1;
		return 0;
	}
	return fail(p, at, "unknown task option '%s': expected cpu=N or "
		    "context=process|softirq|hardirq", quote(q, w, n));
}

/* task NAME cpu=N [context=process|softirq|hardirq]: */
static int parse_task(struct parser *p)
{
	struct hmr_task_def *t;
	char q[QBUF];
	const char *w;
	size_t at, n, i;
	int have_cpu = 0, have_ctx = 0;

	p->pos = 4;
	if (p->pos >= p->n)
		return fail(p, col(p), "expected a task name: 'task NAME cpu=N:'");
	skip_blank(p);
	at = col(p);
	n = 0;
	w = p->ln + p->pos;
	while (p->pos < p->n && is_ident(p->ln[p->pos], n == 0)) {
		p->pos++;
		n++;
	}
	if (!n || (p->pos < p->n && !is_blank(p->ln[p->pos]) && p->ln[p->pos] != ':')) {
		p->pos = at - 1;
		n = word(p, NULL, &w);
		return fail(p, at, "expected a task name ([A-Za-z_][A-Za-z0-9_]*), not '%s'",
			    quote(q, w, n));
	}
	if (n > NAME_MAX_LEN)
		return fail(p, at, "task name '%s' is too long (at most %d characters)",
			    quote(q, w, n), NAME_MAX_LEN);
	for (i = 0; i < (size_t)p->s->ntasks; i++)
		if (eq(w, n, p->s->task[i].name))
			return fail(p, at, "task %s is already declared at line %d",
				    p->s->task[i].name, p->s->task[i].line);
	if (p->s->ntasks >= HMR_MAX_TASKS)
		return fail(p, 1, "too many tasks (at most %d)", HMR_MAX_TASKS);
	t = &p->s->task[p->s->ntasks];
	memset(t, 0, sizeof(*t));
	memcpy(t->name, w, n);
	t->line = ipos(p->lineno);
	t->col = 1;
	for (;;) {
		skip_blank(p);
		if (p->pos >= p->n)
			return fail(p, col(p), "expected ':' at the end of the task line "
				    "('task NAME cpu=N [context=...]:')");
		if (p->ln[p->pos] == ':')
			break;
		if (task_option(p, t, &have_cpu, &have_ctx))
			return -1;
	}
	if (!have_cpu)
		return fail(p, col(p), "task %s needs cpu=N before the ':'", t->name);
	p->pos++;
	if (!at_eol(p))
		return trailing(p, "the task line's ':'", NULL);
	p->s->ntasks++;
	p->mapped[0] = p->mapped[1] = 0;
	memset(p->held, 0, sizeof(p->held));
	p->block = B_TASK;
	p->block_line = p->lineno;
	return 0;
}

/* ---- schedule: --------------------------------------------------------- */

static int parse_sched_head(struct parser *p)
{
	p->pos = 8;
	if (p->pos >= p->n || p->ln[p->pos] != ':')
		return fail(p, col(p), "expected ':' right after 'schedule'");
	p->pos++;
	if (!at_eol(p))
		return trailing(p, "'schedule:'", NULL);
	if (p->s->has_schedule)
		return fail(p, 1, "a second schedule: block (the first is at line %zu)",
			    p->sched_line);
	if (p->s->has_decisions)
		return fail(p, 1, "a schedule: block and a decisions: block: a scenario has one "
			    "schedule, written one way or the other (decisions: is at line %zu)",
			    p->dec_line);
	p->s->has_schedule = 1;
	p->sched_line = p->lineno;
	p->block = B_SCHED;
	p->block_line = p->lineno;
	return 0;
}

/* SITE[#K] after "until". */
static int parse_until(struct parser *p, struct hmr_sched_line *sl)
{
	char q[QBUF], hint[96];
	const char *w, *hash;
	size_t at, n, sn;
	uint64_t k;
	int site;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	if (!n)
		return fail(p, at, "missing site after 'until': expected 'TASK until SITE[#K]'");
	hash = memchr(w, '#', n);
	sn = hash ? (size_t)(hash - w) : n;
	site = sn <= 64 ? hmr_site_lookup(w, (int)sn) : -1;
	if (site < 0)
		return fail(p, at, "unknown scheduling site '%s'%s", quote(q, w, sn),
			    did_you_mean(hint, sizeof(hint), name_site, 0, HMR_SITE__N, w, sn));
	sl->site = (int16_t)site;
	sl->count = 1;
	if (!hash)
		return 0;
	if (parse_num(hash + 1, n - sn - 1, &k) || k < 1 || k > UINT16_MAX)
		return fail(p, at + sn + 1, "the count after '#' must be a number from 1 to %u, "
			    "not '%s'", UINT16_MAX, quote(q, hash + 1, n - sn - 1));
	sl->count = (uint16_t)k;
	return 0;
}

/* The rest of a hardware line after "evict" or "speculate":
 * VA by TASK before op N. */
static int parse_sched_hw(struct parser *p, struct hmr_sched_line *sl)
{
	static const char *const kw[] = { "by", NULL, "before", "op" };
	char q[QBUF];
	const char *w;
	size_t at, n;
	uint64_t v;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	if (parse_num(w, n, &v) || v > UINT32_MAX)
		return fail(p, at, "expected a virtual address after '%s', not '%s'",
			    hmr_hw_names[sl->hw], quote(q, w, n));
	sl->va = (uint32_t)v;
	for (int k = 0; k < 4; k++) {
		skip_blank(p);
		at = col(p);
		n = word(p, NULL, &w);
		if (kw[k] && !eq(w, n, kw[k]))
			return fail(p, at, "expected '%s' in '%s VA by TASK before op N', not '%s'",
				    kw[k], hmr_hw_names[sl->hw], quote(q, w, n));
		if (kw[k])
			continue;
		for (size_t i = 0; i < n; i++)
			if (!is_ident(w[i], i == 0))
				n = 0;
		if (!n || n > NAME_MAX_LEN)
			return fail(p, at, "expected a task name after 'by'");
		memcpy(p->sched_name[p->s->nsched], w, n);
		p->sched_name[p->s->nsched][n] = 0;
		sl->col = ipos(at);
	}
	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	if (parse_num(w, n, &v) || v < 1 || v > HMR_MAX_OPS)
		return fail(p, at, "the op number must be from 1 to %d, not '%s'", HMR_MAX_OPS, quote(q, w, n));
	sl->count = (uint16_t)v;
	if (!at_eol(p))
		return trailing(p, "the op number", "evict|speculate VA by TASK before op N");
	p->s->nsched++;
	return 0;
}

/* An indented line inside schedule:: TASK [until SITE[#K]], or a hardware
 * line. Task names are resolved after the whole file, as tasks may be
 * declared below. */
static int parse_sched_line(struct parser *p)
{
	struct hmr_sched_line *sl;
	char q[QBUF];
	const char *w;
	size_t at, n;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	if ((eq(w, n, "evict") || eq(w, n, "speculate")) && p->pos < p->n) {
		size_t save = p->pos;
		const char *v;
		skip_blank(p);
		size_t vn = word(p, NULL, &v);
		p->pos = save;
		if (vn && v[0] >= '0' && v[0] <= '9') {
			if (p->s->nsched >= HMR_MAX_SCHED)
				return fail(p, at, "too many schedule lines (at most %d)", HMR_MAX_SCHED);
			sl = &p->s->sched[p->s->nsched];
			memset(sl, 0, sizeof(*sl));
			sl->hw = eq(w, n, "evict") ? HW_EVICT : HW_SPECULATE;
			sl->site = -1;
			sl->line = ipos(p->lineno);
			return parse_sched_hw(p, sl);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!is_ident(w[i], i == 0))
			return fail(p, at, "expected a task name, not '%s'%s", quote(q, w, n),
				    col1_hint(w, n));
	if (n > NAME_MAX_LEN)
		return fail(p, at, "unknown task '%s' (task names have at most %d characters)",
			    quote(q, w, n), NAME_MAX_LEN);
	if (p->s->nsched >= HMR_MAX_SCHED)
		return fail(p, at, "too many schedule lines (at most %d)", HMR_MAX_SCHED);
	sl = &p->s->sched[p->s->nsched];
	memset(sl, 0, sizeof(*sl));
	memcpy(p->sched_name[p->s->nsched], w, n);
	p->sched_name[p->s->nsched][n] = 0;
	sl->site = -1;
	sl->count = 1;
	sl->line = ipos(p->lineno);
	sl->col = ipos(at);
	if (!at_eol(p)) {
		at = col(p);
		n = word(p, NULL, &w);
		if (!eq(w, n, "until"))
			return fail(p, at, "expected 'until SITE[#K]' or the end of the line, "
				    "not '%s'%s", quote(q, w, n), hash_hint(w, n));
		if (parse_until(p, sl))
			return -1;
		if (!at_eol(p))
			return trailing(p, "the site", "TASK [until SITE[#K]]");
	}
	p->s->nsched++;
	return 0;
}

/* ---- decisions: -------------------------------------------------------- */

/* One INDEX:RANK: decision INDEX (counted from 0 over the execution's points
 * with more than one option) takes the choice of rank RANK (0 the default). */
static int parse_dec_entry(struct parser *p)
{
	char q[QBUF];
	const char *w, *colon;
	size_t at, n, in;
	uint64_t idx, rank;
	int ri, rr;

	at = col(p);
	n = word(p, ",", &w);
	colon = memchr(w, ':', n);
	in = colon ? (size_t)(colon - w) : n;
	ri = parse_num(w, in, &idx);
	rr = colon ? parse_num(colon + 1, n - in - 1, &rank) : -1;
	if (ri == -1 || rr == -1)
		return fail(p, at, "expected INDEX:RANK (a decision's number, from 0, and the rank of "
			    "its choice, 0 for the default), not '%s'%s", quote(q, w, n), col1_hint(w, n));
	if (ri == -2 || idx >= HMR_MAX_DECISIONS)
		return fail(p, at, "decision %s is out of range (0 to %d: an execution records at "
			    "most %d decisions)", quote(q, w, in), HMR_MAX_DECISIONS - 1, HMR_MAX_DECISIONS);
	if (rr == -2 || rank > HMR_MAX_RANK)
		return fail(p, at + in + 1, "rank %s is out of range (0 to %d: a decision has at most "
			    "%d options)", quote(q, colon + 1, n - in - 1), HMR_MAX_RANK, HMR_MAX_RANK + 1);
	if ((long)idx == p->dec_last)
		return fail(p, at, "decision %ld given twice", p->dec_last);
	if ((long)idx < p->dec_last)
		return fail(p, at, "decision %llu after decision %ld: entries go in ascending order",
			    (unsigned long long)idx, p->dec_last);
	p->dec_last = (long)idx;
	p->s->decisions[idx] = (uint8_t)rank;
	if (rank)	/* trailing rank-0 entries say what the default does anyway */
		p->s->ndecisions = (int)idx + 1;
	return 0;
}

/* The entries of a decisions: line or of a line under it: INDEX:RANK
 * pairs separated by blanks or commas (the form of --decisions=). */
static int parse_dec_entries(struct parser *p)
{
	for (;;) {
		while (p->pos < p->n && (is_blank(p->ln[p->pos]) || p->ln[p->pos] == ','))
			p->pos++;
		if (p->pos >= p->n)
			return 0;
		if (parse_dec_entry(p))
			return -1;
	}
}

/* decisions: [INDEX:RANK ...], then indented lines of more. */
static int parse_dec_head(struct parser *p)
{
	p->pos = 9;
	if (p->pos >= p->n || p->ln[p->pos] != ':')
		return fail(p, col(p), "expected ':' right after 'decisions'");
	p->pos++;
	if (p->s->has_decisions)
		return fail(p, 1, "a second decisions: block (the first is at line %zu)", p->dec_line);
	if (p->s->has_schedule)
		return fail(p, 1, "a decisions: block and a schedule: block: a scenario has one "
			    "schedule, written one way or the other (schedule: is at line %zu)",
			    p->sched_line);
	p->s->has_decisions = 1;
	p->s->dec_line = ipos(p->lineno);
	p->dec_line = p->lineno;
	p->dec_last = -1;
	p->block = B_DEC;
	p->block_line = p->lineno;
	return parse_dec_entries(p);
}

/* ---- header lines ------------------------------------------------------ */

/* title: and question: take the rest of the line. */
static int text_value(struct parser *p, const char *key, char *dst, size_t max)
{
	size_t n;

	skip_blank(p);
	n = p->n - p->pos;
	if (!n)
		return fail(p, col(p), "%s: needs text", key);
	if (n > max)
		return fail(p, col(p) + max, "%s is too long (at most %zu characters)", key, max);
	memcpy(dst, p->ln + p->pos, n);
	dst[n] = 0;
	p->pos = p->n;
	return 0;
}

static int parse_profile(struct parser *p)
{
	char q[QBUF], list[512], hint[96];
	const char *w;
	size_t at, n;
	int k;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	if (!n)
		return fail(p, at, "missing profile name: expected one of %s",
			    list_names(list, sizeof(list), name_profile, 0, hmr_nprofiles));
	k = n <= 64 ? hmr_profile_lookup(w, (int)n) : -1;
	if (k < 0)
		return fail(p, at, "unknown profile '%s'%s: expected one of %s", quote(q, w, n),
			    did_you_mean(hint, sizeof(hint), name_profile, 0, hmr_nprofiles, w, n),
			    list_names(list, sizeof(list), name_profile, 0, hmr_nprofiles));
	p->s->profile = k;
	return 0;
}

static int parse_switches(struct parser *p)
{
	char q[QBUF], hint[96];
	const char *w;
	size_t at, n;
	int k, count = 0;

	while (!at_eol(p)) {
		at = col(p);
		n = word(p, NULL, &w);
		k = n <= 64 ? hmr_switch_lookup(w, (int)n) : -1;
		if (k < 0)
			return fail(p, at, "unknown switch '%s'%s ('hmrig profiles' lists them)",
				    quote(q, w, n),
				    did_you_mean(hint, sizeof(hint), name_switch, 0, SW__N, w, n));
		if (p->s->switches & (1u << k))
			return fail(p, at, "switch %s given twice", hmr_switches[k].name);
		p->s->switches |= 1u << k;
		count++;
	}
	if (!count)
		return fail(p, col(p), "switch: needs at least one switch name");
	return 0;
}

static int parse_config(struct parser *p)
{
	char q[QBUF], list[512], hint[96], msg[256];
	const char *w, *e;
	size_t at, n, kn, vn;
	int id, v, count = 0;

	while (!at_eol(p)) {
		at = col(p);
		n = word(p, NULL, &w);
		e = memchr(w, '=', n);
		kn = e ? (size_t)(e - w) : n;
		id = kn <= 64 ? hmr_opt_lookup(w, (int)kn) : -1;
		if (id < 0)
			return fail(p, at, "%s config key '%s'%s: expected key=value with key one of %s",
				    e ? "unknown" : "expected key=value, not", quote(q, w, kn),
				    did_you_mean(hint, sizeof(hint), name_opt, 0, HMR_OPT__N, w, kn),
				    list_names(list, sizeof(list), name_opt, 0, HMR_OPT__N));
		if (!e)
			return fail(p, at + kn, "expected '=' and a value after '%s'",
				    hmr_opts[id].name);
		if (p->s->cfg_set & (1u << id))
			return fail(p, at, "config key %s given twice", hmr_opts[id].name);
		vn = n - kn - 1;
		if (hmr_opt_parse_value(id, e + 1, vn > 64 ? 64 : (int)vn, &v, msg, sizeof(msg)))
			return fail(p, at + kn + 1, "%s", msg);
		p->s->cfg.v[id] = v;
		p->s->cfg_set |= 1u << id;
		count++;
	}
	if (!count)
		return fail(p, col(p), "config: needs key=value pairs, e.g. 'config: cpus=2 highmem=8'");
	return 0;
}

static int parse_expect(struct parser *p)
{
	char q[QBUF], list[600], hint[96];
	const char *w;
	size_t at, n;
	int k;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	if (eq(w, n, "none")) {
		p->s->expect = HMR_EXPECT_NONE;
		return 0;
	}
	if (!n)
		return fail(p, at, "missing finding kind: expected none or %s",
			    list_names(list, sizeof(list), name_kind, 0, HMR_K__N));
	k = n <= 64 ? hmr_kind_lookup(w, (int)n) : -1;
	if (k < 0)
		return fail(p, at, "unknown finding kind '%s'%s: expected none or %s", quote(q, w, n),
			    did_you_mean(hint, sizeof(hint), name_kind, 0, HMR_K__N, w, n),
			    list_names(list, sizeof(list), name_kind, 0, HMR_K__N));
	p->s->expect = k;
	return 0;
}

static int explore_option(struct parser *p, const struct strat_info *st, unsigned *given)
{
	struct hmr_explore_spec *e = &p->s->explore;
	char q[QBUF];
	const char *w, *eqs;
	size_t at, n, kn;
	uint64_t v;
	int x;

	at = col(p);
	n = word(p, NULL, &w);
	eqs = memchr(w, '=', n);
	kn = eqs ? (size_t)(eqs - w) : n;
	for (x = 0; x < X__N; x++)
		if (eq(w, kn, xopt_tab[x].name))
			break;
	if (!eqs || x == X__N || !(st->opts & (1u << x)))
		return fail(p, at, "unexpected '%s': expected 'explore: %s'%s", quote(q, w, n),
			    st->usage, hash_hint(w, n));
	if (*given & (1u << x))
		return fail(p, at, "explore option %s given twice", xopt_tab[x].name);
	*given |= 1u << x;
	if (parse_num(eqs + 1, n - kn - 1, &v) || v < xopt_tab[x].lo || v > xopt_tab[x].hi)
		return fail(p, at + kn + 1, "%s must be a number from %llu to %llu, not '%s'",
			    xopt_tab[x].name, (unsigned long long)xopt_tab[x].lo,
			    (unsigned long long)xopt_tab[x].hi, quote(q, eqs + 1, n - kn - 1));
	switch (x) {
	case X_BOUND: e->bound = (int)v; break;
	case X_DEPTH: e->depth = (int)v; break;
	case X_RUNS: e->runs = (long)v; break;
	case X_SEED: e->seed = v; break;
	}
	return 0;
}

static int parse_explore(struct parser *p)
{
	const struct strat_info *st = NULL;
	char q[QBUF];
	const char *w;
	size_t at, n;
	unsigned given = 0;

	skip_blank(p);
	at = col(p);
	n = word(p, NULL, &w);
	for (int i = 0; i < NSTRAT; i++)
		if (eq(w, n, strat_tab[i].name))
			st = &strat_tab[i];
	if (!st)
		return fail(p, at, "%s strategy%s%s%s: expected exhaustive [bound=K] [runs=N], "
			    "pct [depth=D] [runs=N] [seed=S], random [runs=N] [seed=S] or schedule",
			    n ? "unknown" : "missing", n ? " '" : "", quote(q, w, n), n ? "'" : "");
	hmr_explore_default(&p->s->explore);
	p->s->explore.strategy = st->strategy;
	p->s->has_explore = 1;
	p->explore_col = at;
	while (!at_eol(p))
		if (explore_option(p, st, &given))
			return -1;
	return 0;
}

static int parse_header(struct parser *p, int key)
{
	struct hmr_script *s = p->s;
	int r;

	if (key != H_SWITCH && p->seen[key])
		return fail(p, 1, "a second %s: line (the first is at line %zu)",
			    hkey_names[key], p->seen[key]);
	p->seen[key] = p->lineno;
	p->pos = strlen(hkey_names[key]) + 1;
	switch (key) {
	case H_TITLE:
		return text_value(p, "title", s->title, sizeof(s->title) - 1);
	case H_QUESTION:
		return text_value(p, "question", s->question, sizeof(s->question) - 1);
	case H_PROFILE:
		r = parse_profile(p);
		break;
	case H_SWITCH:
		return parse_switches(p);
	case H_CONFIG:
		skip_blank(p);
		p->cfg_col = col(p);
		return parse_config(p);
	case H_EXPECT:
		r = parse_expect(p);
		break;
	default:
		return parse_explore(p);
	}
	if (!r && !at_eol(p))
		return trailing(p, hkey_names[key], NULL);
	return r;
}

/* ---- lines ------------------------------------------------------------- */

/* A block ends at the next column-1 line or the end of the file. */
static int close_block(struct parser *p)
{
	struct hmr_script *s = p->s;

	if (p->block == B_TASK && s->task[s->ntasks - 1].nops == 0)
		return fail_at(p, p->block_line, 1, "task %s has no ops (indent them under "
			       "the task line)", s->task[s->ntasks - 1].name);
	if (p->block == B_SCHED && s->nsched == 0)
		return fail_at(p, p->block_line, 1, "schedule: block has no lines (indent "
			       "'TASK [until SITE[#K]]' lines under it)");
	if (p->block == B_DEC && p->dec_last < 0)
		return fail_at(p, p->block_line, 1, "decisions: block has no entries (write "
			       "INDEX:RANK pairs, e.g. '17:1 40:2', after it or on lines indented under it)");
	p->block = B_NONE;
	return 0;
}

static int parse_col1(struct parser *p)
{
	char q[QBUF], hint[96];
	const char *w = p->ln;
	size_t n = 0;
	int key;

	if (close_block(p))
		return -1;
	while (n < p->n && is_ident(w[n], 0))
		n++;
	if (eq(w, n, "task"))
		return parse_task(p);
	if (eq(w, n, "schedule"))
		return parse_sched_head(p);
	if (eq(w, n, "decisions"))
		return parse_dec_head(p);
	key = find_name(name_hkey, 0, H__N, w, n);
	if (key >= 0 && n < p->n && w[n] == ':')
		return parse_header(p, key);
	if (key >= 0)
		return fail(p, n + 1, "expected ':' right after '%s'", hkey_names[key]);
	if (n && n < p->n && w[n] == ':')
		return fail(p, 1, "unknown header key '%s'%s: expected title, question, profile, "
			    "switch, config, expect, explore, task, schedule or decisions", quote(q, w, n),
			    did_you_mean(hint, sizeof(hint), name_hkey, 0, H__N, w, n));
	p->pos = 0;
	n = word(p, NULL, &w);
	return fail(p, 1, "unexpected '%s' in column 1: expected 'key: value', 'task NAME "
		    "cpu=N:', 'schedule:' or 'decisions:' (ops and schedule lines are indented)",
		    quote(q, w, n));
}

/* Cut the line to its content: refuse control bytes, drop the comment and
 * trailing blanks. */
static int prepare_line(struct parser *p, const char *ln, size_t n)
{
	size_t i, end = n;

	if (n && ln[n - 1] == '\r')
		end = --n;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)ln[i];

		if (ch == 0)
			return fail(p, i + 1, "NUL byte in the text");
		if (ch == '\r')
			return fail(p, i + 1, "stray carriage return (lines end with \\n or \\r\\n)");
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return fail(p, i + 1, "control character 0x%02x (only tabs and printable "
				    "text are allowed)", ch);
		if (ch == '#' && end == n && (i == 0 || is_blank(ln[i - 1])))
			end = i;
	}
	while (end && is_blank(ln[end - 1]))
		end--;
	p->ln = ln;
	p->n = end;
	p->pos = 0;
	return 0;
}

static int parse_line(struct parser *p, const char *ln, size_t n)
{
	if (prepare_line(p, ln, n))
		return -1;
	if (at_eol(p))
		return 0;		/* blank or comment */
	if (p->pos == 0)
		return parse_col1(p);
	if (p->block == B_TASK)
		return parse_op(p);
	if (p->block == B_SCHED)
		return parse_sched_line(p);
	if (p->block == B_DEC)
		return parse_dec_entries(p);
	return fail(p, 1, "indented line outside a task, schedule: or decisions: block (header, "
		    "task, schedule: and decisions: lines start in column 1)");
}

/* ---- whole-file checks ------------------------------------------------- */

static int zone_pages(const struct hmr_script *s, uint16_t page)
{
	return HMR_PAGE_IS_LOW(page) ? CFG(&s->cfg, lowmem) : CFG(&s->cfg, highmem);
}

static int check_page(struct parser *p, const struct hmr_op *op, int i, size_t at)
{
	int have = zone_pages(p->s, op->page[i]);
	int low = HMR_PAGE_IS_LOW(op->page[i]);
	char pn[8];

	if (HMR_PAGE_NUM(op->page[i]) < (unsigned)have)
		return 0;
	hmr_page_name(op->page[i], pn);
	return fail_at(p, (size_t)op->line, at, "page %s does not exist: config has %s=%d (%c0..%c%d)",
		       pn, low ? "lowmem" : "highmem", have, pn[0], pn[0], have - 1);
}

/* OFF and LEN against page_size; a dma_map range may run into the next pages. */
static int check_range(struct parser *p, const struct hmr_op *op, const struct op_pos *pos)
{
	uint64_t psz = (uint64_t)CFG(&p->s->cfg, page_size);
	uint64_t len = op->len ? op->len : 1;
	uint64_t last;
	int shape = op_tab[op->code].shape;

	if (shape == SH_P_DIR_RANGE && !op->has_range)
		return 0;
	if (op->off >= psz)
		return fail_at(p, (size_t)op->line, pos->offcol, "offset %u is past the end of the "
			       "page (page_size=%d)", op->off, (int)psz);
	if (shape != SH_P_DIR_RANGE) {
		if (op->off + len > psz)
			return fail_at(p, (size_t)op->line, pos->lencol, "offset %u + length %llu "
				       "runs past the end of the page (page_size=%d)", op->off,
				       (unsigned long long)len, (int)psz);
		return 0;
	}
	/* Physical memory is lowmem then highmem, so a DMA buffer may run from
	 * lowmem on into highmem (E29), but not past the last highmem page:
	 * last is the pfn of the buffer's last byte. */
	uint64_t nlow = (uint64_t)CFG(&p->s->cfg, lowmem), nhigh = (uint64_t)CFG(&p->s->cfg, highmem);
	last = (HMR_PAGE_IS_LOW(op->page[0]) ? 0 : nlow) + HMR_PAGE_NUM(op->page[0]) + (op->off + len - 1) / psz;
	if (last >= nlow + nhigh)
		return fail_at(p, (size_t)op->line, pos->lencol, "the range %u+%llu runs past "
			       "the last highmem page (lowmem=%d, highmem=%d, page_size=%d)", op->off,
			       (unsigned long long)len, (int)nlow, (int)nhigh, (int)psz);
	return 0;
}

static int check_task(struct parser *p, int ti)
{
	const struct hmr_task_def *t = &p->s->task[ti];
	int cpus = CFG(&p->s->cfg, cpus);

	if (t->cpu >= cpus)
		return fail_at(p, (size_t)t->line, p->cpucol[ti], "task %s is on cpu %d, but the "
			       "config has cpus=%d (cpu 0..%d)", t->name, t->cpu, cpus, cpus - 1);
	for (int i = 0; i < t->nops; i++) {
		const struct hmr_op *op = &t->ops[i];
		int shape = op_tab[op->code].shape;

		if (shape == SH_NONE)
			continue;
		if (op->code == HMR_OP_kmap_high_get && p->s->profile >= 0 && !hmr_profiles[p->s->profile].high_get)
			return fail_at(p, (size_t)op->line, (size_t)op->col, "kmap_high_get exists only on "
				       "profiles with ARCH_NEEDS_KMAP_HIGH_GET (ARM); %s has none",
				       hmr_profiles[p->s->profile].name);
		for (int k = 0; k < op->npages; k++)
			if (check_page(p, op, k, p->opos[ti][i].pcol[k]))
				return -1;
		if (shape != SH_P && shape != SH_P_TYPE && shape != SH_P_DIR &&
		    shape != SH_PLIST_DIR && check_range(p, op, &p->opos[ti][i]))
			return -1;
	}
	return 0;
}

static int resolve_sched(struct parser *p)
{
	struct hmr_script *s = p->s;
	char list[HMR_MAX_TASKS * 20];

	for (int i = 0; i < s->nsched; i++) {
		int t;

		for (t = 0; t < s->ntasks; t++)
			if (!strcmp(s->task[t].name, p->sched_name[i]))
				break;
		if (t == s->ntasks) {
			size_t o = 0;

			list[0] = 0;
			for (int k = 0; k < s->ntasks; k++)
				o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
						      k ? ", " : "", s->task[k].name);
			return fail_at(p, (size_t)s->sched[i].line, (size_t)s->sched[i].col,
				       "unknown task '%s' in schedule: (tasks: %s)", p->sched_name[i],
				       s->ntasks ? list : "none");
		}
		s->sched[i].task = (uint8_t)t;
		if (s->sched[i].hw && s->sched[i].count > s->task[t].nops)
			return fail_at(p, (size_t)s->sched[i].line, (size_t)s->sched[i].col,
				       "task %s has only %d ops, so it has no op %u", s->task[t].name,
				       s->task[t].nops, s->sched[i].count);
	}
	return 0;
}

static int finish(struct parser *p)
{
	struct hmr_script *s = p->s;
	char msg[256];

	if (close_block(p))
		return -1;
	if (!p->seen[H_PROFILE])
		return fail_at(p, 1, 1, "no profile: line (add one, e.g. 'profile: arm-2.6.30'; "
			       "'hmrig profiles' lists them)");
	if (hmr_config_validate(&s->cfg, msg, sizeof(msg)))
		return fail_at(p, p->seen[H_CONFIG] ? p->seen[H_CONFIG] : 1,
			       p->seen[H_CONFIG] ? p->cfg_col : 1, "%s", msg);
	for (int i = 0; i < s->ntasks; i++)
		if (check_task(p, i))
			return -1;
	if (resolve_sched(p))
		return -1;
	if (s->has_explore && s->explore.strategy == STRAT_SCHEDULE && !s->has_schedule &&
	    !s->has_decisions)
		return fail_at(p, p->seen[H_EXPLORE], p->explore_col,
			       "explore: schedule needs a schedule: or decisions: block");
	return 0;
}

int hmr_scn_parse(const char *text, size_t len, const char *file, struct hmr_script *s,
		  char *err, int errsz)
{
	static struct parser pstate;	/* ~330 KiB: off the stack, no allocation */
	struct parser *p = &pstate;
	size_t i = 0;
	int r = 0;

	memset(p, 0, sizeof(*p));
	p->file = file ? file : "<input>";
	p->err = err;
	p->errsz = err && errsz > 0 ? (size_t)errsz : 0;
	p->s = s;
	if (p->errsz)
		err[0] = 0;
	hmr_script_init(s);
	snprintf(s->file, sizeof(s->file), "%s", p->file);
	if (!text)
		len = 0;
	while (i < len && !r) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;

		p->lineno++;
		r = parse_line(p, text + i, end - i);
		i = end + 1;
	}
	if (!r)
		r = finish(p);
	return r;
}

int hmr_scn_line_starts(const char *ln, size_t n)
{
	size_t k = 0;

	while (k < n && is_ident(ln[k], k == 0))
		k++;
	if (k == n)
		return 0;
	if (eq(ln, k, "task"))
		return is_blank(ln[k]);
	return ln[k] == ':' && (eq(ln, k, "schedule") || eq(ln, k, "decisions") ||
				find_name(name_hkey, 0, H__N, ln, k) >= 0);
}

int hmr_scn_load(const char *path, struct hmr_script *s, char *err, int errsz)
{
	FILE *f;
	char *buf;
	size_t n;
	int r, e = 0;

	hmr_script_init(s);
	if (!path)
		path = "<null>";
	f = fopen(path, "rb");
	if (!f) {
		e = errno;
		goto fail;
	}
	buf = malloc(SCN_MAX_FILE + 1);
	if (!buf) {
		fclose(f);
		e = ENOMEM;
		goto fail;
	}
	n = fread(buf, 1, SCN_MAX_FILE + 1, f);
	if (ferror(f))
		e = errno ? errno : EIO;
	fclose(f);
	if (e) {
		free(buf);
		goto fail;
	}
	if (n > SCN_MAX_FILE) {
		free(buf);
		if (err && errsz > 0)
			snprintf(err, (size_t)errsz, "%s:1:1: error: file is larger than %u bytes",
				 path, SCN_MAX_FILE);
		return -1;
	}
	r = hmr_scn_parse(buf, n, path, s, err, errsz);
	free(buf);
	return r;
fail:
	if (err && errsz > 0)
		snprintf(err, (size_t)errsz, "%s:1:1: error: cannot read: %s", path, strerror(e));
	return -1;
}
