/* campaign_lock.c - as campaign_lock.h says.
 *
 * A campaign killed with SIGKILL leaves its fuzzers running in process
 * groups of their own, and AFL++'s persistent-mode targets stopped and bound
 * to their CPUs, where a restarted afl-fuzz finds no free core: the next run
 * on the same directory finds them by their mark and ends them. */
#include "campaign_lock.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

int hmr_campaign_lock(const char *out)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/.lock", out);
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	if (fd >= 0)
		close(fd);
	return -1;
}

const char *hmr_campaign_mark(const char *out)
{
	static char mark[PATH_MAX + 32];
	char abs[PATH_MAX];
	snprintf(mark, sizeof(mark), "HMRIG_CAMPAIGN=%s", realpath(out, abs) ? abs : out);
	return mark;
}

static int marked(const char *pid, const char *mark)
{
	static char env[1 << 18];
	char p[300];
	size_t n = 0;
	snprintf(p, sizeof(p), "/proc/%s/environ", pid);
	FILE *f = fopen(p, "rb");
	if (f) {
		n = fread(env, 1, sizeof(env) - 1, f);
		fclose(f);
	}
	env[n] = 0;
	for (size_t i = 0; i < n; i += strlen(env + i) + 1)	/* NUL-separated */
		if (!strcmp(env + i, mark))
			return 1;
	return 0;
}

int hmr_campaign_end_strays(const char *mark)
{
	pid_t ended[64];
	int n = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	while (d && (de = readdir(d)) && n < 64) {
		pid_t pid = (pid_t)atol(de->d_name);
		if (pid > 0 && pid != getpid() && marked(de->d_name, mark) && kill(pid, SIGKILL) == 0)
			ended[n++] = pid;
	}
	if (d)
		closedir(d);
	if (!n)
		return 0;
	/* Gone before the fuzzers start (init reaps them): up to 2 s. */
	for (int tries = 0, left = n; left && tries < 100; tries++) {
		left = 0;
		for (int i = 0; i < n; i++)
			left += kill(ended[i], 0) == 0;
		if (left)
			usleep(20000);
	}
	fprintf(stderr, "campaign: ended %d process(es) an earlier run on %s left running (pid %d%s)\n", n,
		strchr(mark, '=') + 1, (int)ended[0], n > 1 ? ", ..." : "");
	return n;
}
