/* mutator.h - the structure-aware mutator of fuzz inputs (README "Fuzzing").
 *
 * One engine behind libFuzzer's LLVMFuzzerCustomMutator/CustomCrossOver and
 * AFL++'s afl_custom_fuzz (mutator_glue.c). An input is decoded with
 * hmr_bin_decode (total), its script and decision bytes are edited, and the
 * result is encoded with hmr_bin_encode, so every output is a well-formed
 * input whose ops and decisions the edit chose rather than a byte soup that
 * happens to decode. The functions are pure: the output depends only on the
 * input bytes, max_size and the seed (and on hmr_bin_set_options, which
 * decoding applies). They may call malloc; on allocation failure they return
 * the input (cut to max_size). */
#ifndef HMR_MUTATOR_H
#define HMR_MUTATOR_H
#include <stddef.h>
#include <stdint.h>

/* M(id, weight, help): the mutations hmr_mutate draws from, by weight. */
#define HMR_MUTATIONS(M) \
	M(op_insert,  14, "insert a map/unmap, DMA or irq/preempt pair, or an op on a mapped page") \
	M(op_delete,   8, "delete an op (a map with its unmap and accesses)") \
	M(op_replace,  6, "replace an op by another one that fits its place") \
	M(op_args,    12, "change one argument: page, offset, length, value, direction, km type, range") \
	M(op_move,     4, "move an op a few places up or down its task") \
	M(task_dup,    3, "duplicate a task (often onto another CPU)") \
	M(task_del,    2, "delete a task") \
	M(task_move,   4, "move a task to another CPU or context") \
	M(dec_flip,   14, "set a decision byte to 0 (continue) or to a switch") \
	M(dec_insert,  6, "insert a run of decision bytes (delays the later ones)") \
	M(dec_delete,  5, "delete a run of decision bytes (advances the later ones)") \
	M(dec_move,   10, "move a preemption point (a non-zero decision) earlier or later") \
	M(dec_trunc,   3, "cut the decisions before their last preemption") \
	M(config,      6, "nudge one config key: cpus, last_pkmap, pages, line size, cache, ...") \
	M(profile,     3, "change the profile or toggle a bug switch")

/* X(id, weight, help): the crossovers hmr_crossover draws from. */
#define HMR_CROSSOVERS(X) \
	X(cross_tasks, 30, "a task of b replaces or joins a task of a") \
	X(cross_ops,   25, "a task of a continues with the tail of a task of b") \
	X(cross_dec,   30, "a's script with b's decisions, or a's prefix then b's suffix") \
	X(cross_header, 15, "b's profile, switches and config with a's tasks and decisions")

enum hmr_mut_kind {
#define M(id, w, help) HMR_MUT_##id,
	HMR_MUTATIONS(M)
#undef M
	HMR_MUT__N
};

enum hmr_cross_kind {
#define X(id, w, help) HMR_CROSS_##id,
	HMR_CROSSOVERS(X)
#undef X
	HMR_CROSS__N
};

extern const char *const hmr_mut_names[HMR_MUT__N];
extern const char *const hmr_cross_names[HMR_CROSS__N];

/* Mutate data[0..size) into out (capacity max_size); returns the new size
 * (<= max_size). One to four mutations, each retried with another kind when
 * it changes nothing. out may be data (in place). Never reads past size. */
size_t hmr_mutate(const uint8_t *data, size_t size, uint8_t *out, size_t max_size, uint64_t seed);
/* As hmr_mutate, but exactly one attempt of mutation kind (enum hmr_mut_kind),
 * which may turn out to change nothing: for tests and statistics. */
size_t hmr_mutate_kind(const uint8_t *data, size_t size, uint8_t *out, size_t max_size,
		       uint64_t seed, int kind);

/* Cross a with b into out (capacity max_size): tasks, op tails, decision bytes
 * or header of b into a. Returns the new size (<= max_size). out may be a. */
size_t hmr_crossover(const uint8_t *a, size_t na, const uint8_t *b, size_t nb, uint8_t *out,
		     size_t max_size, uint64_t seed);
/* One attempt of crossover kind (enum hmr_cross_kind). */
size_t hmr_crossover_kind(const uint8_t *a, size_t na, const uint8_t *b, size_t nb, uint8_t *out,
			  size_t max_size, uint64_t seed, int kind);

/* Where data's decision bytes begin (header and tasks come before): lets a
 * byte-level mutator work on the schedule alone. */
size_t hmr_mut_split(const uint8_t *data, size_t size);
#endif
