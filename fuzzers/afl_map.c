/* afl_map.c - hands the AFL++ coverage map to the harness. Compiled WITHOUT the
 * AFL++ compiler pass: that pass renames references to __afl_area_ptr in the
 * code it instruments, so the harness cannot name it itself. */
#include <stdint.h>

extern uint8_t *__afl_area_ptr;

uint8_t *hmr_afl_map(void);
uint8_t *hmr_afl_map(void)
{
	return __afl_area_ptr;
}
