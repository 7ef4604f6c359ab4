/* afl_map.c - hands the AFL++ coverage map to the harness. Compiled WITHOUT the
 * AFL++ compiler pass: that pass renames references to __afl_area_ptr in the
 * code it instruments, so the harness cannot name it itself. */
#include <stdint.h>

extern uint8_t *__afl_area_ptr;
extern uint32_t __afl_map_size;

uint8_t *hmr_afl_map(void);
uint8_t *hmr_afl_map(void)
{
	return __afl_area_ptr;
}

/* The map's size as the target reports it to afl-fuzz (its edges, rounded
 * up): afl-fuzz clears and reads that much and no more. */
uint32_t hmr_afl_map_size(void);
uint32_t hmr_afl_map_size(void)
{
	return __afl_map_size;
}
