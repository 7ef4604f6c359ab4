/* hooks.c - the calls into higher layers (hooks.h), set by run/. */
#include "sim/hooks.h"

struct hmr_hooks hmr_hooks;
const struct hmr_oracle_ops *hmr_oracle;
