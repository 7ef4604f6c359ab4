/* input.h - which kind of input a file holds, judged by its content (README
 * "Input files"): scenario text or the fuzzers' binary format. hmrig reads a
 * FILE as its kind says (unless it is FILE.scn or --input says otherwise), and
 * the fuzz targets run only inputs this calls fuzz bytes, so every crash file
 * they leave is recognised as one. */
#ifndef HMR_INPUT_H
#define HMR_INPUT_H
#include <stddef.h>
#include <stdint.h>

enum hmr_input {
	HMR_INPUT_NEITHER,	/* an input error: empty, or text that is not UTF-8 */
	HMR_INPUT_SCENARIO,
	HMR_INPUT_FUZZ,
};

/* The kind of the n bytes at buf, by the first rule that applies:
 *   1. no bytes: neither;
 *   2. it starts as a scenario does: after blank lines and comment lines,
 *      a line that begins in column 1 with a header key and ':', with
 *      "schedule:", "decisions:" or "task " (hmr_scn_line_starts), and no
 *      control byte (3) before that line ends: a scenario, whatever follows;
 *   3. a control byte other than tab, LF and CR (0x00-0x08, 0x0b, 0x0c,
 *      0x0e-0x1f, 0x7f) anywhere: fuzz bytes;
 *   4. valid UTF-8 (no overlong form, surrogate or code point past
 *      U+10FFFF): scenario text, which the parser may still refuse;
 *   5. else neither.
 * Every input the binary encoder writes has a control byte among its first
 * five (binfmt.c), so it is fuzz bytes by rules 2 and 3. *at, if at is not NULL,
 * is the offset of the byte that decided: the control byte (3), the first
 * byte that is not UTF-8 (5), else 0. */
enum hmr_input hmr_input_kind(const uint8_t *buf, size_t n, size_t *at);
#endif
