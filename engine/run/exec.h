/* exec.h - a task's body: its script operations against the kernel model. */
#ifndef HMR_EXEC_H
#define HMR_EXEC_H
#include "sim/world.h"

/* Run t's operations, in t (the scheduler's task_body hook). */
void hmr_exec_task(struct hmr_task *t);
/* Called, when set, as each operation of t completes, inside the task (the
 * differential oracle compares the kernel state there; explore/diff.c). */
extern void (*hmr_after_op)(struct hmr_task *t);
#endif
