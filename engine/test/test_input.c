/* test_input.c - the kind of an input file by its content (input.c).
 *
 * Each rule of input.h on a hand-made case, with the byte that decided where
 * the rule names one; then what makes it sound: every catalogue scenario
 * starts as a scenario (so hmrig reads it as one under any name), and the
 * encoded inputs are fuzz bytes (test_binfmt checks those at length). */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "t.h"
#include "format/input.h"
#include "format/script.h"

static const char *const kind_names[] = { "neither", "scenario", "fuzz" };

/* The kind of the first n bytes of t (n 0: strlen), and the deciding offset. */
static void check(const char *what, const char *t, size_t n, enum hmr_input want, size_t want_at)
{
	size_t at = 99;
	enum hmr_input got = hmr_input_kind((const uint8_t *)t, n ? n : strlen(t), &at);

	T_CHECK(got == want && at == want_at, "%s: %s at %zu, want %s at %zu", what, kind_names[got], at,
		kind_names[want], want_at);
}

static void test_rules(void)
{
	/* 1. empty */
	check("empty", "", 0, HMR_INPUT_NEITHER, 0);
	T_CHECK(hmr_input_kind(NULL, 5, NULL) == HMR_INPUT_NEITHER, "NULL");
	/* 2. starts as a scenario: whatever follows, a stray control byte too */
	check("header first", "profile: x86-6.1\n", 0, HMR_INPUT_SCENARIO, 0);
	check("after comments and blanks", "# E11\n\n  \t\r\n   # indented comment\ntitle: t\n", 0,
	      HMR_INPUT_SCENARIO, 0);
	check("task first", "task A cpu=0:\n    kmap p0\n", 0, HMR_INPUT_SCENARIO, 0);
	check("schedule first", "schedule:\n    A\n", 0, HMR_INPUT_SCENARIO, 0);
	check("decisions first", "decisions: 0:1\n\x01", 0, HMR_INPUT_SCENARIO, 0);
	check("CRLF", "# c\r\nprofile: x86-6.1\r\n", 0, HMR_INPUT_SCENARIO, 0);
	check("control byte later", "profile: x86-6.1\ntask A cpu=0:\n    kmap p0\x0c\n", 0, HMR_INPUT_SCENARIO, 0);
	check("NUL later", "profile: x86-6.1\n\0\0", 19, HMR_INPUT_SCENARIO, 0);
	check("Latin-1 later", "profile: x86-6.1\n# Pitr\xe9\n", 0, HMR_INPUT_SCENARIO, 0);
	/* ... but not when a control byte comes first, or the line is no
	 * scenario's: rules 3 to 5 decide */
	check("control byte in a comment first", "# \x01\nprofile: x86-6.1\n", 0, HMR_INPUT_FUZZ, 2);
	check("control byte in the key's line", "profile: x\x02\n", 0, HMR_INPUT_FUZZ, 10);
	check("indented key", "  profile: x86-6.1\n\x03", 0, HMR_INPUT_FUZZ, 19);
	check("unknown key", "profiles: x\n\x04", 0, HMR_INPUT_FUZZ, 12);
	check("key without colon", "profile x\n\x05", 0, HMR_INPUT_FUZZ, 10);
	check("task without blank", "task:\n\x06", 0, HMR_INPUT_FUZZ, 6);
	check("decisions without colon", "decisions 0:1\n\x07", 0, HMR_INPUT_FUZZ, 14);
	check("key alone", "profile", 0, HMR_INPUT_SCENARIO, 0);	/* rule 4: the parser says what is wrong */
	/* 3. a control byte: fuzz bytes */
	check("NUL first", "\0abc", 4, HMR_INPUT_FUZZ, 0);
	check("header length 3", "\x03\x05\x00\x00", 4, HMR_INPUT_FUZZ, 0);
	check("DEL", "abc\x7f", 0, HMR_INPUT_FUZZ, 3);
	check("ESC after text", "hello\n\x1b[0m", 0, HMR_INPUT_FUZZ, 6);
	check("control after bad UTF-8", "\xff\xfe\x10", 0, HMR_INPUT_FUZZ, 2);
	/* 4. UTF-8 text: a scenario, which the parser may refuse */
	check("prose", "hello, world\n", 0, HMR_INPUT_SCENARIO, 0);
	check("tabs and CR", "a\tb\r\nc", 0, HMR_INPUT_SCENARIO, 0);
	check("two-byte", "caf\xc3\xa9", 0, HMR_INPUT_SCENARIO, 0);
	check("three-byte", "\xe2\x80\x94", 0, HMR_INPUT_SCENARIO, 0);
	check("four-byte", "\xf0\x9f\x98\x80", 0, HMR_INPUT_SCENARIO, 0);
	check("U+10FFFF", "\xf4\x8f\xbf\xbf", 0, HMR_INPUT_SCENARIO, 0);
	/* 5. neither: no control byte, not UTF-8 */
	check("Latin-1 prose", "Pitr\xe9 fixed it\n", 0, HMR_INPUT_NEITHER, 4);
	check("overlong", "a\xc0\xaf", 0, HMR_INPUT_NEITHER, 1);
	check("surrogate", "ab\xed\xa0\x80", 0, HMR_INPUT_NEITHER, 2);
	check("past U+10FFFF", "\xf4\x90\x80\x80", 0, HMR_INPUT_NEITHER, 0);
	check("lone continuation", "x\x80", 0, HMR_INPUT_NEITHER, 1);
	check("cut sequence", "x\xe2\x80", 0, HMR_INPUT_NEITHER, 1);
	check("lead then ASCII", "\xc3(", 0, HMR_INPUT_NEITHER, 0);
}

/* Every scenario the repository has starts as one: saved under any name,
 * hmrig reads it as a scenario. */
static int test_dir(const char *dir)
{
	static char buf[1 << 20];
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	T_CHECK(d != NULL, "cannot open %s (run from the repository root)", dir);
	while (d && (de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char path[4096];
		FILE *f;

		if (len < 5 || strcmp(de->d_name + len - 4, ".scn"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "rb");
		len = f ? fread(buf, 1, sizeof(buf), f) : 0;
		if (f)
			fclose(f);
		T_CHECK(hmr_input_kind((const uint8_t *)buf, len, NULL) == HMR_INPUT_SCENARIO,
			"%s does not start as a scenario", path);
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

int main(void)
{
	int files = 0;

	test_rules();
	files += test_dir("scenarios");
	files += test_dir("engine/test/oracles");
	files += test_dir("engine/test/paths");
	T_CHECK(files >= 40, "only %d scenario files found", files);
	return T_DONE();
}
