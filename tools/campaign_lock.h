/* campaign_lock.h - one campaign per directory, and the processes a killed
 * one left running (README "Fuzzing"). */
#ifndef HMR_CAMPAIGN_LOCK_H
#define HMR_CAMPAIGN_LOCK_H

/* Take OUT/.lock, held until the process ends however it ends; not
 * inherited by what it starts. Returns its descriptor, or -1 if another
 * campaign holds it. */
int hmr_campaign_lock(const char *out);

/* "HMRIG_CAMPAIGN=" and OUT's real path: the mark every process a campaign
 * starts carries in its environment (so do theirs). */
const char *hmr_campaign_mark(const char *out);

/* With OUT's lock held, every other process with OUT's mark is a stray of
 * a killed run: end each by its PID, wait until it is gone, and say so on
 * stderr. Returns how many. */
int hmr_campaign_end_strays(const char *mark);
#endif
