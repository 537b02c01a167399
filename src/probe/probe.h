/* The probe: one object that samples the machine into snapshots and computes the rates
 * between consecutive samples. OS specifics live behind platform.h. */
#ifndef VIGIL_PROBE_H
#define VIGIL_PROBE_H

#include <stdbool.h>

#include "probe/snapshot.h"

struct probe_config {
    const char *proc_root;    /* default "/proc"; borrowed */
    const char *sys_root;     /* default "/sys"; borrowed */
    long clk_tck;             /* default sysconf(_SC_CLK_TCK) */
    long page_size;           /* default sysconf(_SC_PAGESIZE) */
    unsigned want;            /* PROC_F_* filled for every process on every sample */
    bool want_procs;          /* sample processes at all (default true) */
    bool want_ifaces;         /* sample network interfaces (default true) */
    unsigned full_pass_every; /* samples between full re-reads of every process (default 4) */
    /* The first sample reads memory from stat only (rss, vms; shared is 0 until the next
     * sample), one file per process instead of two: a UI's first frame comes sooner. */
    bool quick_first; /* default false */
    /* Read the user threads of multi-threaded processes into snapshot.threads (the UI's
     * H). Costs a directory listing and a stat read per thread: off unless shown. */
    bool want_threads; /* default false */
};

void probe_config_default(struct probe_config *cfg);

struct probe;

/* Returns NULL and sets *err to a negative errno when the roots cannot be opened. */
struct probe *probe_new(const struct probe_config *cfg, int *err);
void probe_free(struct probe *p); /* NULL-safe */

/* Fills out (snapshot_init'ed by the caller; snapshot_done'd by the caller later) with a
 * new sample; percentages and rates cover the time since the previous call. Returns 0 or
 * -errno; a part that cannot be read degrades to zero/unknown rather than failing. */
int probe_sample(struct probe *p, struct snapshot *out);

/* Fills the PROC_F_* fields in want for one process (the rows a UI shows), checking the
 * identity (pid, start_ticks) first. Returns 0, or -ESRCH when the process is gone. */
int probe_fill_details(struct probe *p, struct proc_entry *e, unsigned want);

const struct probe_config *probe_get_config(const struct probe *p);

/* Changes the PROC_F_* fields filled for every process from the next sample on (the UI
 * asks for command lines while a filter is typed, user names while sorting by user). */
void probe_set_want(struct probe *p, unsigned want);

/* Turns thread reading (probe_config.want_threads) on or off from the next sample on.
 * Turning it off forgets the threads' history: the first sample after turning it on
 * again has no thread rates yet. */
void probe_set_threads(struct probe *p, bool on);

/* The process inspector (probe/details.h): reads everything about (pid, start_ticks) into
 * out (initialised here; proc_details_done by the caller) and computes the rates since
 * prev, an earlier read of the same process (NULL for none: rates unknown). Returns 0, or
 * -ESRCH when the process is gone or its pid belongs to another process now. */
struct proc_details;
int probe_read_details(struct probe *p, pid_t pid, uint64_t start_ticks,
                       const struct proc_details *prev, struct proc_details *out);

#endif
