/* binfmt.c - the binary script format of the fuzzers (README "Fuzzing").
 *
 * Invariant: decoding is total and encoding is exact. Any byte string decodes
 * to a script that hmr_scn_print prints and hmr_scn_parse accepts; a script the
 * parser accepts encodes to bytes that decode to the same profile, switches,
 * config (values and which keys were given), tasks (cpu, context) and ops, and
 * the decision bytes come back unchanged. Title, question, expect, explore,
 * schedule, task names and source positions are not carried.
 *
 * Both properties come from one walker (struct codec) that runs in two modes:
 * decoding reads each field, encoding writes it, and both then reduce it into
 * range the same way, so the two directions cannot drift apart.
 *
 * ---- Layout -------------------------------------------------------------
 *
 *   [hlen:1][header: hlen bytes][tlen:2 LE][tasks: tlen bytes][decisions: rest]
 *
 * A length larger than what remains is clipped; a byte missing at the end of a
 * section (or of the input) reads as 0. The decision bytes are handed to the
 * STRAT_BYTES chooser unchanged (choice.c: one byte per decision with more than
 * one option, 0 = the default); when they run out the default policy goes on.
 * Because the sections are length-prefixed, mutating decisions never moves the
 * ops, and growing an op list never eats into the decisions.
 *
 * Every field is a "ranged field" with a range R known from what came before:
 * it takes w(R) bytes, little-endian (w = 0 for R = 1, 1 for R <= 256, 2 for
 * R <= 65536, 3 for R <= 2^24, else 4), and its value is that number % R. So
 * every in-range value has exactly one shortest spelling, and any bytes give
 * some in-range value.
 *
 * Header, in this order:
 *   profile        R = number of profiles (index into hmr_profiles)
 *   switches       R = 65536: a bit mask, masked to the defined switches
 *                  that are not test-only: a fuzz input never turns a
 *                  detector test on (HMRIG_OPTIONS can, for a whole run)
 *   one per config key, in options.def order:
 *                  R = 1 + the number of values the key may be set to.
 *                  0 = not given (the key's default, cfg_set bit clear);
 *                  k = the k-th allowed value in ascending order (bit set).
 *                  Allowed values: lo..hi; powers of two in lo..hi for
 *                  last_pkmap, page_size, line_size and colors; 1..hi for the
 *                  named keys cache and tlb (0, "the profile's", is "not
 *                  given"). Today: cpus 1 byte, last_pkmap 1, highmem 1,
 *                  lowmem 1, page_size 1, line_size 1, cache 1, colors 1,
 *                  tlb 1, speculate 1, evict 1, steps 3. Then line_size is
 *                  clamped to page_size and colors to last_pkmap, so the
 *                  config always validates.
 *   raw            R = 2 (18 header bytes in all). 0: the decoded script is
 *                  tidied (engine/tidy.h: it then follows the kernel API
 *                  rules, as fuzz inputs must); 1: it runs as it is. The
 *                  encoder sets it only for a script tidying would change,
 *                  so decoding gives back exactly the script encoded.
 *
 * Tasks:
 *   count          1 byte: 0xff = no tasks, else 1 + byte % 8
 *   per task (named A, B, C, ...):
 *     cpu          R = cpus (the config's)
 *     context      R = 3: process, softirq, hardirq
 *     ops - 1      R = 65; 64 means 64 or more: 64 + a second field
 *                  with R = HMR_MAX_OPS - 64 follows (up to 64 ops in one
 *                  byte, as when 64 was the cap)
 *     per op:
 *       code       R = number of ops (ops.def order)
 *       page       for every shape with one page: one page byte, bit 7 the
 *                  zone (1 = lowmem lN, 0 = highmem pN), bits 0-6 the page
 *                  number % the zone's page count.
 *                  write and read need a mapping obtained earlier by the
 *                  same task: their byte is an index (% count) into the pages
 *                  the task has obtained with kmap, kmap_atomic, kmap_local or
 *                  kmap_high_get so far, in first-mapped order. kunmap,
 *                  kunmap_atomic and kunmap_local index (the same way) only
 *                  the pages the task still holds a map of their kind of
 *                  (kmap or kmap_high_get; kmap_atomic; kmap_local). If there
 *                  are none, the op becomes "kmap" of the page that byte
 *                  names as a page byte. kmap_high_get on a profile without
 *                  it (not ARM) becomes kmap.
 *       then by shape (script.h enum hmr_shape):
 *         P_TYPE         km type, R = KM__N (0 = the default)
 *         P_OFF          OFF, R = page_size
 *         P_OFF_VAL      OFF, then VAL (R = 256)
 *         P_OFF_LEN      OFF, then LEN - 1 with R = page_size - OFF
 *         P_OFF_VAL_LEN  OFF, VAL, LEN - 1 as above
 *         P_DIR          DIR, R = 3: bidirectional, to_device, from_device
 *         P_DIR_RANGE    DIR, has_range (R = 2), and if set OFF (R =
 *                        page_size) and LEN - 1 with R = the bytes from OFF to
 *                        the end of memory: (lowmem + highmem - pfn) *
 *                        page_size - OFF, pfn counting lowmem pages first
 *         PLIST_DIR      npages - 1 (R = 8), that many page bytes, DIR
 *
 * So the empty input is the first profile, the default config, no switches,
 * and one task A on cpu 0 doing "kmap p0". Encoding stores each section
 * without its trailing zero bytes, which read back as the same zeros.
 *
 * No byte marks a fuzz input (every byte string is one already), yet hmrig
 * tells an encoded input from scenario text by its content (input.h): it has
 * a control byte among its first five. hlen is at most 18, a control byte
 * but for 9, 10 and 13 (tab, LF, CR); a header that long holds the cpus
 * field, 0 to 4, at offset 4; and no scenario line fits in the bytes before
 * it. test_binfmt checks this on encoded scripts and on corpus/seeds. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "format/binfmt.h"
#include "format/hmropts.h"
#include "format/tidy.h"
#include "format/config.h"
#include "format/profile.h"
#include "format/script.h"

_Static_assert(SW__N <= 16, "switches must fit the 2-byte mask");
_Static_assert(HMR_OPT__N <= 32, "cfg_set is a 32-bit mask");
_Static_assert(HMR_MAX_PAGES <= 128, "a page byte has 7 bits of page number");
_Static_assert(HMR_MAX_TASKS < 0xff, "0xff is the task count of no tasks");

#define NO_TASKS	0xffu
#define HDR_MAX		64	/* header bytes: 3 + at most 4 per config key */
#define OP_MAX		16	/* bytes of one op: sg is 1 + 1 + 8 + 1 */
#define TASKS_MAX	(1 + HMR_MAX_TASKS * (4 + HMR_MAX_OPS * OP_MAX))
#define TLEN_MAX	0xffff	/* tlen is 16 bits: longer task sections do not encode */
_Static_assert(3 + 4 * HMR_OPT__N <= HDR_MAX, "header buffer");
_Static_assert(HMR_MAX_OPS > 64 && HMR_MAX_OPS - 64 <= 0x10000, "the ops count's second field");

static const uint8_t op_shape[HMR_OP__N] = {
#define OP(id, name, shape, help) shape,
#include "format/ops.def"
#undef OP
};

/* ---- the two-way field codec ------------------------------------------- */

struct codec {
	int enc;		/* 1: write fields to out, 0: read them from in */
	const uint8_t *in;
	size_t n, pos;
	uint8_t *out;
	size_t cap, len;
};

static unsigned width(uint32_t range)
{
	if (range <= 1)
		return 0;
	if (range <= 0x100)
		return 1;
	if (range <= 0x10000)
		return 2;
	if (range <= 0x1000000)
		return 3;
	return 4;
}

/* One ranged field. Encoding writes v (reduced, so a bad script still writes
 * something decodable); both modes return the value the decoder sees. */
static uint32_t field(struct codec *c, uint32_t v, uint32_t range)
{
	unsigned w = width(range);
	uint32_t raw = 0;

	if (range == 0)
		range = 1;
	if (c->enc) {
		raw = v % range;
		for (unsigned i = 0; i < w; i++, c->len++)
			if (c->len < c->cap)
				c->out[c->len] = (uint8_t)(raw >> (8 * i));
		return raw;
	}
	for (unsigned i = 0; i < w; i++, c->pos++)
		if (c->pos < c->n)
			raw |= (uint32_t)c->in[c->pos] << (8 * i);
	return raw % range;
}

/* ---- header ------------------------------------------------------------ */

struct hdr {
	int profile;
	uint32_t switches;
	struct hmr_config cfg;
	uint32_t cfg_set;
	uint32_t raw;		/* 1: run the script as it is, not tidied */
};

static int is_pow2_key(int id)
{
	return id == HMR_OPT_last_pkmap || id == HMR_OPT_page_size ||
	       id == HMR_OPT_line_size || id == HMR_OPT_colors;
}

/* The lowest value a key may be set to: the named keys' 0 is "the profile's",
 * which the parser only knows as "not given". */
static int key_lo(int id)
{
	int lo = hmr_opts[id].lo;

	if ((id == HMR_OPT_cache || id == HMR_OPT_tlb) && lo < 1)
		lo = 1;
	return lo;
}

static int first_pow2(int lo)
{
	int p = 1;

	while (p < lo)
		p *= 2;
	return p;
}

/* How many values key id may be set to. */
static uint32_t key_count(int id)
{
	int lo = key_lo(id), hi = hmr_opts[id].hi;
	uint32_t k = 0;

	if (!is_pow2_key(id))
		return hi >= lo ? (uint32_t)(hi - lo + 1) : 0;
	for (int p = first_pow2(lo); p <= hi; p *= 2)
		k++;
	return k;
}

/* The i-th allowed value of key id (i < key_count(id)). */
static int key_value(int id, uint32_t i)
{
	if (!is_pow2_key(id))
		return key_lo(id) + (int)i;
	return first_pow2(key_lo(id)) << i;
}

/* The position of v among the allowed values, or 0 (the first) when v is not
 * one of them; only a script the parser would refuse has such a value. */
static uint32_t key_index(int id, int v)
{
	uint32_t n = key_count(id), i = 0;

	if (!is_pow2_key(id))	/* steps has a million values: no search */
		return v >= key_lo(id) && (uint32_t)(v - key_lo(id)) < n ? (uint32_t)(v - key_lo(id)) : 0;
	while (i < n && key_value(id, i) < v)
		i++;
	return i < n && key_value(id, i) == v ? i : 0;
}

/* A key whose value differs from the default is encoded as given even when its
 * cfg_set bit is clear, so the effective config always comes back. */
static void code_key(struct codec *c, struct hdr *h, int id)
{
	uint32_t bit = 1u << id;
	int given = (h->cfg_set & bit) || h->cfg.v[id] != hmr_opts[id].def;
	uint32_t k = given ? key_index(id, h->cfg.v[id]) + 1 : 0;

	k = field(c, k, key_count(id) + 1);
	if (k) {
		h->cfg.v[id] = key_value(id, k - 1);
		h->cfg_set |= bit;
	} else {
		h->cfg.v[id] = hmr_opts[id].def;
		h->cfg_set &= ~bit;
	}
}

/* The relations between keys (hmr_config_validate). A clamped value is marked
 * as given so the printed script carries it. */
static void clamp_key(struct hdr *h, int id, int max_id)
{
	if (h->cfg.v[id] > h->cfg.v[max_id]) {
		h->cfg.v[id] = h->cfg.v[max_id];
		h->cfg_set |= 1u << id;
	}
}

static void code_header(struct codec *c, struct hdr *h)
{
	h->profile = (int)field(c, h->profile < 0 ? 0 : (uint32_t)h->profile,
				(uint32_t)hmr_nmodel_profiles);
	h->switches = field(c, h->switches & ~HMR_TEST_SWITCHES, 0x10000) & ((1u << SW__N) - 1) & ~HMR_TEST_SWITCHES;
	for (int id = 0; id < HMR_OPT__N; id++)
		code_key(c, h, id);
	clamp_key(h, HMR_OPT_line_size, HMR_OPT_page_size);
	clamp_key(h, HMR_OPT_colors, HMR_OPT_last_pkmap);
	h->raw = field(c, h->raw, 2);
}

/* ---- pages --------------------------------------------------------------- */

/* The pages a task has obtained a mapping of, in first-mapped order. */
struct maplist {
	uint32_t n;
	uint16_t page[2 * HMR_MAX_PAGES];
	uint8_t held[3][2 * HMR_MAX_PAGES];	/* maps held, by class and page */
};

static void map_add(struct maplist *m, uint16_t page)
{
	for (uint32_t i = 0; i < m->n; i++)
		if (m->page[i] == page)
			return;
	if (m->n < 2 * HMR_MAX_PAGES)
		m->page[m->n++] = page;
}

static uint32_t zone_pages(const struct hdr *h, int low)
{
	return (uint32_t)(low ? CFG(&h->cfg, lowmem) : CFG(&h->cfg, highmem));
}

static uint16_t byte_page(const struct hdr *h, uint32_t b)
{
	int low = (b & 0x80) != 0;

	return (uint16_t)((low ? HMR_LOWMEM : 0) | (b & 0x7f) % zone_pages(h, low));
}

static uint32_t page_byte(uint16_t page)
{
	return (HMR_PAGE_IS_LOW(page) ? 0x80u : 0) | (HMR_PAGE_NUM(page) & 0x7fu);
}

static uint16_t code_page(struct codec *c, const struct hdr *h, uint16_t page)
{
	return byte_page(h, field(c, page_byte(page), 0x100));
}

/* The page of an op that needs an earlier mapping; with none yet, the op turns
 * into the kmap that would give it one. */
static int page_slot(uint16_t page)
{
	return (HMR_PAGE_IS_LOW(page) ? HMR_MAX_PAGES : 0) + (int)(HMR_PAGE_NUM(page) % HMR_MAX_PAGES);
}

/* The page of an op that needs a mapping: an index into the pages the task
 * obtained so far (write, read) or into those it still holds a map of the
 * op's kind of (the unmaps), in first-mapped order. None: the op becomes
 * kmap of the page the byte names. */
static void code_mapped_page(struct codec *c, const struct hdr *h, const struct maplist *m,
			     struct hmr_op *op)
{
	uint16_t cand[2 * HMR_MAX_PAGES];
	uint32_t n = 0, pick = 0;
	int release, k = hmr_op_map_class(op->code, &release);

	for (uint32_t i = 0; i < m->n; i++) {
		if (release && !m->held[k][page_slot(m->page[i])])
			continue;
		if (m->page[i] == op->page[0])
			pick = n;
		cand[n++] = m->page[i];
	}
	if (n) {
		op->page[0] = cand[field(c, pick, 0x100) % n];
		return;
	}
	op->page[0] = code_page(c, h, op->page[0]);
	op->code = HMR_OP_kmap;
}

/* Count the maps the task holds after op (the parser's rule). */
static void map_hold(struct maplist *m, const struct hmr_op *op)
{
	int release, k = hmr_op_map_class(op->code, &release);
	uint8_t *held = k >= 0 ? &m->held[k][page_slot(op->page[0])] : NULL;
	if (held && release && *held)
		(*held)--;
	else if (held && !release && *held < 255)
		(*held)++;
}

/* ---- ops ----------------------------------------------------------------- */

/* LEN of read/write/dev_*: 1..page_size-OFF, where 1 is kept as 0 (the
 * parser's one form for the default). */
static uint32_t code_len(struct codec *c, uint32_t len, uint32_t room)
{
	uint32_t l = field(c, (len ? len : 1) - 1, room) + 1;

	return l == 1 ? 0 : l;
}

/* Bytes from OFF in page to the end of physical memory (lowmem, then highmem):
 * a DMA range may run into the following pages but not past the last one. */
static uint32_t dma_room(const struct hdr *h, uint16_t page, uint32_t off)
{
	uint32_t nlow = zone_pages(h, 1), total = nlow + zone_pages(h, 0);
	uint32_t pfn = (HMR_PAGE_IS_LOW(page) ? 0 : nlow) + HMR_PAGE_NUM(page);
	uint32_t psz = (uint32_t)CFG(&h->cfg, page_size);

	if (pfn >= total || off >= psz)
		return 1;
	return (total - pfn) * psz - off;
}

static void code_dma_range(struct codec *c, const struct hdr *h, struct hmr_op *op)
{
	uint32_t psz = (uint32_t)CFG(&h->cfg, page_size);

	op->has_range = (uint8_t)field(c, op->has_range, 2);
	if (!op->has_range) {
		op->off = op->len = 0;
		return;
	}
	op->off = field(c, op->off, psz);
	op->len = field(c, op->len ? op->len - 1 : 0, dma_room(h, op->page[0], op->off)) + 1;
}

static void code_plist(struct codec *c, const struct hdr *h, struct hmr_op *op)
{
	op->npages = (uint8_t)(field(c, op->npages ? op->npages - 1u : 0, HMR_MAX_SG) + 1);
	for (int i = 0; i < op->npages; i++)
		op->page[i] = code_page(c, h, op->page[i]);
}

/* What follows the page, by shape. */
static void code_args(struct codec *c, const struct hdr *h, struct hmr_op *op)
{
	uint32_t psz = (uint32_t)CFG(&h->cfg, page_size);
	int shape = op_shape[op->code];

	if (shape == SH_P_TYPE)
		op->ktype = (uint8_t)field(c, op->ktype, KM__N);
	if (shape == SH_P_OFF || shape == SH_P_OFF_LEN || shape == SH_P_OFF_VAL ||
	    shape == SH_P_OFF_VAL_LEN)
		op->off = field(c, op->off, psz);
	if (shape == SH_P_OFF_VAL || shape == SH_P_OFF_VAL_LEN)
		op->val = (uint8_t)field(c, op->val, 0x100);
	if (shape == SH_P_OFF_LEN || shape == SH_P_OFF_VAL_LEN)
		op->len = code_len(c, op->len, psz - op->off);
	if (shape == SH_PLIST_DIR)
		code_plist(c, h, op);
	if (shape == SH_P_DIR || shape == SH_P_DIR_RANGE || shape == SH_PLIST_DIR)
		op->dir = (uint8_t)field(c, op->dir, 3);
	if (shape == SH_P_DIR_RANGE)
		code_dma_range(c, h, op);
}

static void code_op(struct codec *c, const struct hdr *h, struct maplist *m, struct hmr_op *op)
{
	int shape;

	op->code = (uint8_t)field(c, op->code, HMR_OP__N);
	if (op->code == HMR_OP_kmap_high_get && !hmr_profiles[h->profile].high_get)
		op->code = HMR_OP_kmap;	/* it exists only on HIGH_GET profiles */
	shape = op_shape[op->code];
	if (shape != SH_PLIST_DIR)
		op->npages = 1;
	if (hmr_op_needs_map(op->code))
		code_mapped_page(c, h, m, op);	/* may turn op into kmap */
	else if (shape != SH_NONE && shape != SH_PLIST_DIR)
		op->page[0] = code_page(c, h, op->page[0]);
	if (hmr_op_obtains_map(op->code))
		map_add(m, op->page[0]);
	map_hold(m, op);
	code_args(c, h, op);
}

static void code_task(struct codec *c, const struct hdr *h, struct hmr_task_def *t)
{
	t->cpu = (uint8_t)field(c, t->cpu, (uint32_t)CFG(&h->cfg, cpus));
	t->ctx = (uint8_t)field(c, t->ctx, 3);
	uint32_t n = t->nops ? t->nops - 1u : 0;
	uint32_t v = field(c, n < 64 ? n : 64, 65);
	if (v == 64)
		v += field(c, n >= 64 ? n - 64 : 0, HMR_MAX_OPS - 64);
	t->nops = (uint16_t)(v + 1);
}

/* The task count byte: no tasks is spelt 0xff so that byte 0 (and an empty
 * input) still gives a task to run. */
static int code_ntasks(struct codec *c, int ntasks)
{
	uint32_t b = ntasks <= 0 ? NO_TASKS : (uint32_t)(ntasks - 1);

	b = field(c, b, 0x100);
	return b == NO_TASKS ? 0 : 1 + (int)(b % HMR_MAX_TASKS);
}

/* ---- decoding -------------------------------------------------------------- */

static void codec_in(struct codec *c, const uint8_t *p, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->in = p;
	c->n = p ? n : 0;
}

/* A section: its length from lenbytes little-endian bytes at *pos, clipped to
 * what remains. */
static size_t section(const uint8_t *buf, size_t n, size_t *pos, unsigned lenbytes)
{
	size_t len = 0;

	for (unsigned i = 0; i < lenbytes; i++, (*pos)++)
		if (*pos < n)
			len |= (size_t)buf[*pos] << (8 * i);
	if (*pos > n)
		*pos = n;
	if (len > n - *pos)
		len = n - *pos;
	return len;
}

static void decode_tasks(struct codec *c, const struct hdr *h, struct hmr_script *s)
{
	s->ntasks = code_ntasks(c, 0);
	for (int i = 0; i < s->ntasks; i++) {
		struct hmr_task_def *t = &s->task[i];
		struct maplist m = { 0 };

		t->name[0] = (char)('A' + i);
		code_task(c, h, t);
		for (int k = 0; k < t->nops; k++) {
			memset(&t->ops[k], 0, sizeof(t->ops[k]));	/* hmr_script_clear left it */
			code_op(c, h, &m, &t->ops[k]);
		}
	}
}

static const char *bin_options;

int hmr_bin_normalise(struct hmr_script *s, const char *file)
{
	static char text[1 << 20];
	char err[600];
	snprintf(s->title, sizeof(s->title), "converted from %.140s", file);
	int len = hmr_scn_print(s, text, sizeof(text));
	if (len < 0 || (size_t)len >= sizeof(text))
		return -1;
	return hmr_scn_parse(text, (size_t)len, file, s, err, sizeof(err)) < 0 ? -1 : 0;
}

/* The header as hmr_bin_decode reads it, before any HMRIG_OPTIONS. */
static void peek_header(const uint8_t *buf, size_t n, struct hdr *h)
{
	struct codec c;
	size_t pos = 0, len;

	memset(h, 0, sizeof(*h));
	hmr_config_default(&h->cfg);
	if (!buf)
		return;
	len = section(buf, n, &pos, 1);
	codec_in(&c, buf + pos, len);
	code_header(&c, h);
}

int hmr_bin_raw(const uint8_t *buf, size_t n)
{
	struct hdr h;
	peek_header(buf, n, &h);
	return (int)h.raw;
}

int hmr_bin_profile(const uint8_t *buf, size_t n)
{
	struct hdr h;
	peek_header(buf, n, &h);
	return h.profile;
}

int hmr_bin_set_options(const char *opts, int allow_test, char *err, int errsz)
{
	static struct hmr_script probe;	/* hmr_apply_options writes its header fields only */
	uint32_t test;

	if (!opts || !*opts) {
		bin_options = NULL;
		return 0;
	}
	probe.profile = -1;
	probe.switches = 0;
	hmr_config_default(&probe.cfg);
	probe.cfg_set = 0;
	if (hmr_apply_options(opts, &probe, err, errsz) < 0)
		return -1;
	test = probe.switches & HMR_TEST_SWITCHES;
	if (test && !allow_test) {
		int id = 0;
		while (!(test >> id & 1))
			id++;
		snprintf(err, (size_t)errsz, "HMRIG_OPTIONS: switch %s is test-only: it plants a bug to test the "
			 "rig's own detectors, so fuzz inputs and campaigns never run it (%s=1 allows it, for "
			 "the rig's own tests)", hmr_switches[id].name, HMR_ALLOW_TEST_ENV);
		return -1;
	}
	bin_options = opts;
	return 0;
}

void hmr_bin_decode(const uint8_t *buf, size_t n, const char *file, struct hmr_script *s,
		    const uint8_t **dec, size_t *ndec)
{
	static const uint8_t none[1];
	struct codec c;
	struct hdr h;
	size_t pos = 0, len;

	if (!buf) {
		buf = none;	/* no arithmetic on a null pointer */
		n = 0;
	}
	hmr_script_clear(s);	/* decode_tasks writes each op whole */
	snprintf(s->file, sizeof(s->file), "%s", file ? file : "<fuzz>");

	len = section(buf, n, &pos, 1);
	codec_in(&c, buf + pos, len);
	memset(&h, 0, sizeof(h));
	hmr_config_default(&h.cfg);
	code_header(&c, &h);
	s->profile = h.profile;
	s->switches = h.switches;
	s->cfg = h.cfg;
	s->cfg_set = h.cfg_set;
	if (bin_options) {	/* checked when set: cannot fail here */
		char err[200];
		hmr_apply_options(bin_options, s, err, sizeof(err));
		h.profile = s->profile;
		h.switches = s->switches;
		h.cfg = s->cfg;
		h.cfg_set = s->cfg_set;
	}
	pos += len;

	len = section(buf, n, &pos, 2);
	codec_in(&c, buf + pos, len);
	decode_tasks(&c, &h, s);
	pos += len;
	if (!h.raw)
		hmr_script_tidy(s);	/* fuzz inputs follow the kernel API (tidy.h) */

	if (dec)
		*dec = buf + pos;
	if (ndec)
		*ndec = n - pos;
}

/* ---- encoding -------------------------------------------------------------- */

static void codec_out(struct codec *c, uint8_t *p, size_t cap)
{
	memset(c, 0, sizeof(*c));
	c->enc = 1;
	c->out = p;
	c->cap = cap;
}

/* Missing bytes read as 0, so trailing zeros of a section need not be stored. */
static size_t trim(const uint8_t *p, size_t len)
{
	while (len && !p[len - 1])
		len--;
	return len;
}

static void encode_tasks(struct codec *c, const struct hdr *h, const struct hmr_script *s)
{
	int ntasks = code_ntasks(c, s->ntasks > HMR_MAX_TASKS ? HMR_MAX_TASKS : s->ntasks);

	static struct hmr_task_def t;	/* a copy: coding normalises it (40 KiB: not on the stack) */

	for (int i = 0; i < ntasks; i++) {
		struct maplist m = { 0 };

		hmr_task_copy(&t, &s->task[i]);
		t.ops[0] = s->task[i].ops[0];	/* no ops is coded as one */
		code_task(c, h, &t);
		for (int k = 0; k < t.nops; k++)
			code_op(c, h, &m, &t.ops[k]);
	}
}

/* Append src to out (at most cap bytes in all); returns the new length. */
static size_t put_bytes(uint8_t *out, size_t cap, size_t at, const uint8_t *src, size_t n)
{
	if (at < cap && n)
		memcpy(out + at, src, n < cap - at ? n : cap - at);
	return at + n;
}

size_t hmr_bin_encode(const struct hmr_script *s, const uint8_t *dec, size_t ndec, uint8_t *out,
		      size_t cap)
{
	static uint8_t tbuf[TASKS_MAX];	/* ~130 KiB: off the stack */
	uint8_t hbuf[HDR_MAX], lens[2];
	struct codec c;
	struct hdr h;
	size_t hlen, tlen, at = 0;

	if (!out)
		cap = 0;
	h.profile = s->profile;
	h.switches = s->switches;
	h.cfg = s->cfg;
	h.cfg_set = s->cfg_set;
	h.raw = !hmr_script_is_tidy(s);	/* so it decodes to exactly s */
	codec_out(&c, hbuf, sizeof(hbuf));
	code_header(&c, &h);
	hlen = trim(hbuf, c.len);

	codec_out(&c, tbuf, sizeof(tbuf));
	encode_tasks(&c, &h, s);
	tlen = trim(tbuf, c.len < sizeof(tbuf) ? c.len : sizeof(tbuf));
	if (tlen > TLEN_MAX)
		return SIZE_MAX;

	lens[0] = (uint8_t)hlen;
	at = put_bytes(out, cap, at, lens, 1);
	at = put_bytes(out, cap, at, hbuf, hlen);
	lens[0] = (uint8_t)tlen;
	lens[1] = (uint8_t)(tlen >> 8);
	at = put_bytes(out, cap, at, lens, 2);
	at = put_bytes(out, cap, at, tbuf, tlen);
	return put_bytes(out, cap, at, dec, dec ? ndec : 0);
}
