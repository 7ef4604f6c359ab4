/* t.h - the unit-test harness: each test binary counts its checks and ends with
 * "N passed, M failed" (exit 1 on any failure). A check that fails prints where. */
#ifndef HMR_T_H
#define HMR_T_H
#include <stdio.h>

static int t_pass, t_fail;

#define T_CHECK(cond, ...) do { \
	if (cond) { t_pass++; } else { t_fail++; \
		fprintf(stderr, "%s:%d: FAIL: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); } \
} while (0)

#define T_DONE() (printf("%d passed, %d failed\n", t_pass, t_fail), t_fail ? 1 : 0)
#endif
