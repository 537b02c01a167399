/* The OS contract: one implementation folder per OS (src/platform/linux) provides these.
 * Functions return 0 or -errno and never exit, print or touch the terminal. Raw values
 * only: percentages and rates are computed by the probe layer (delta.h). */
#ifndef VIGIL_PLATFORM_H
#define VIGIL_PLATFORM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/probe.h"
#include "probe/snapshot.h"

struct platform;

struct platform *platform_new(const struct probe_config *cfg, int *err);
void platform_free(struct platform *pf); /* NULL-safe */

int platform_read_host(struct platform *pf, struct host_info *out);
/* Times of the total and of each CPU, logical/physical/sockets counts; pct left invalid. */
int platform_read_cpu(struct platform *pf, struct cpu_info *out);
int platform_read_mem(struct platform *pf, struct mem_info *out);

/* Every process (not threads), sorted by pid ascending, with the [hot] fields plus those
 * in want. cpu_percent, mem_percent and io rates are left 0 / -1 for the probe to fill.
 * *out is a new block (NULL when there are no processes) and the caller owns one
 * reference to it; the platform may keep another and read the block again at the next
 * call, so the caller changes no [hot] field and keeps the entries in pid order. */
int platform_read_procs(struct platform *pf, unsigned want, struct proc_block **out);

/* Fill the PROC_F_* fields in want for e after checking (pid, start_ticks); -ESRCH when
 * the process is gone or its pid now belongs to another process. */
int platform_proc_details(struct platform *pf, struct proc_entry *e, unsigned want);

/* Everything the process inspector shows of one process (probe/details.h), read now;
 * rates are left unknown for the probe. out is initialised here. Checks (pid,
 * start_ticks) before and after reading: -ESRCH when the process is gone or its pid now
 * belongs to another process (out left empty). */
struct proc_details;
int platform_proc_details_full(struct platform *pf, pid_t pid, uint64_t start_ticks,
                               struct proc_details *out);

/* The user threads of the processes in procs (as platform_read_procs returned them,
 * sorted by pid) that have more than one thread, the main thread left out (its row is
 * the process): [hot] fields plus the PROC_F_IO / PROC_F_IONICE in want, tgid set, rates
 * left for the probe. Sorted by (tgid, pid). A thread or process that vanishes while
 * being read is left out. Owned by the caller afterwards. */
int platform_read_threads(struct platform *pf, const struct proc_entry *procs, size_t n,
                          unsigned want, struct proc_entry **out, size_t *n_out);

/* platform_proc_details for a thread row (e->tgid set): checks (tid, start_ticks) in
 * /proc/TGID/task/TID and fills PROC_F_USER, PROC_F_IO, PROC_F_IONICE of that thread;
 * PROC_F_CMDLINE and PROC_F_EXE are the process's (the rows show the thread's name).
 * -ESRCH when the thread is gone. */
int platform_thread_details(struct platform *pf, struct proc_entry *e, unsigned want);

/* Every interface the kernel lists, sorted by index, with addresses, flags, link
 * settings and counters; rates are left 0. Owned by the caller afterwards. */
int platform_read_ifaces(struct platform *pf, struct iface **out, size_t *n);

/* CPU seconds (user + system) this process has used so far. */
double platform_self_cpu_seconds(void);

#endif
