/* input.c - the kind of an input file by its content; see input.h.
 *
 * Why by content: a scenario saved under any name other than FILE.scn was
 * read as fuzz bytes, which decode to some other script (any byte string
 * does) and so to a made-up finding. Fuzz bytes are told from text by their
 * control bytes: section lengths and small field values (binfmt.c) put them
 * everywhere, while text has none but tab, LF and CR. A file that starts as a
 * scenario is one whatever follows, so a stray control byte in a scenario is
 * the parser's error at its line rather than a silent run as fuzz bytes. */
#include "format/input.h"
#include "format/script.h"

static int is_control(uint8_t ch)
{
	return (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7f;
}

/* Rule 2 of input.h: blank and comment lines are skipped and the first other
 * line decides; a control byte before it ends decides against. A fuzz input
 * mostly starts with one (its header length), which ends this at once. */
static int starts_like_scenario(const uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t start = i, first = n;	/* the line's first byte not blank or CR */

		for (; i < n && buf[i] != '\n'; i++) {
			if (is_control(buf[i]))
				return 0;
			if (first == n && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r')
				first = i;
		}
		if (first < i && buf[first] != '#')
			return first == start && hmr_scn_line_starts((const char *)buf + start, i - start);
	}
	return 0;
}

/* The length of the UTF-8 sequence at p (at most n bytes), or 0 if it is
 * not one: a lead byte and its continuation bytes, shortest form only,
 * no UTF-16 surrogate, nothing past U+10FFFF. */
static size_t utf8_len(const uint8_t *p, size_t n)
{
	uint32_t cp, min;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1fu, min = 0x80;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3, cp = p[0] & 0x0fu, min = 0x800;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07u, min = 0x10000;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

enum hmr_input hmr_input_kind(const uint8_t *buf, size_t n, size_t *at)
{
	size_t bad = n;

	if (at)
		*at = 0;
	if (!buf || !n)
		return HMR_INPUT_NEITHER;
	if (starts_like_scenario(buf, n))
		return HMR_INPUT_SCENARIO;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_len(buf + i, n - i);

		if (is_control(buf[i])) {
			if (at)
				*at = i;
			return HMR_INPUT_FUZZ;
		}
		if (!len && bad == n)
			bad = i;	/* not text: unless a control byte follows, neither */
		i += len ? len : 1;
	}
	if (bad == n)
		return HMR_INPUT_SCENARIO;
	if (at)
		*at = bad;
	return HMR_INPUT_NEITHER;
}
