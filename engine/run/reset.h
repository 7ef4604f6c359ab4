/* reset.h - making the whole world ready for the next execution. */
#ifndef HMR_RESET_H
#define HMR_RESET_H
#include "format/script.h"

/* Set up W for one execution of script s (profile, switches and config already
 * resolved into s), every layer's part, and point the lower layers' hooks
 * (sim/hooks.h) at the task body, the kernel's entry points of this profile
 * and the oracles. Cheap: resets only what the previous execution touched. */
void hmr_world_reset(const struct hmr_script *s);
#endif
