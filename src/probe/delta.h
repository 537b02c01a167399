/* Rates and percentages between two samples. Pure: no I/O, no clocks. Processes are
 * matched by identity (pid, start_ticks), never by pid alone. */
#ifndef VIGIL_DELTA_H
#define VIGIL_DELTA_H

#include <stddef.h>
#include <stdint.h>

#include "probe/snapshot.h"

/* Percentages of one CPU between two readings of its times. The total is the sum of
 * user..steal; guest and guest_nice are left out because the kernel already counts them
 * in user and nice. A mode whose counter went backwards (hotplug, a buggy iowait) counts
 * as 0, so no value is negative or above 100. Invalid (all 0) when prev is NULL or no
 * tick elapsed (nothing to divide by). */
void cpu_pct_compute(const struct cpu_times *prev, const struct cpu_times *cur,
                     struct cpu_pct *out);

/* What a process's rates need from the previous sample: kept instead of the snapshot.
 * Every entry has its CPU time; only those whose I/O counters were read (PROC_F_IO: in
 * the UI, the rows on screen) have them, in a second, shorter array. */
struct proc_hist {
    pid_t pid;
    uint64_t start_ticks;
    uint64_t cpu_ticks; /* utime + stime */
};

struct proc_hist_io {
    pid_t pid;
    uint64_t start_ticks;
    int64_t read_bytes, write_bytes; /* -1 unknown (at most one of them) */
};

/* The previous sample's history, both arrays in the same order (by pid once sorted). */
struct proc_history {
    struct proc_hist *e;
    size_t n;
    struct proc_hist_io *io; /* entries with PROC_F_IO and a readable counter */
    size_t n_io;
};

/* Replaces h's contents with procs[0..n) (same order). */
void proc_history_take(struct proc_history *h, const struct proc_entry *procs, size_t n);

/* Sorts both arrays by pid (for thread_rates_compute). */
void proc_history_sort(struct proc_history *h);

/* Frees the arrays; h is empty after (NULL-safe). */
void proc_history_clear(struct proc_history *h);

/* The previous sample as the rate computation sees it. */
struct proc_delta_ctx {
    const struct proc_history *prev; /* sorted by pid; NULL for the first sample */
    double dt;                       /* seconds between the samples; <= 0 means no rates */
    double prev_uptime;              /* seconds since boot at the previous sample; 0 unknown */
    long clk_tck;                    /* ticks per second of utime/stime/start_ticks */
    uint64_t mem_total;              /* bytes, for mem_percent; 0 unknown */
};

/* Sets cpu_percent, mem_percent, io_read_rate and io_write_rate of every entry of cur
 * (sorted by pid) from ctx.
 * - Same identity in prev: cpu_percent = CPU ticks used since / clk_tck / dt * 100 (may
 *   exceed 100 with several threads; a counter that went backwards gives 0); io rates =
 *   bytes since / dt, or -1 when either reading is unknown (not read: PROC_F_IO missing
 *   from have or, in prev, no I/O entry; or unreadable: < 0) or went backwards.
 * - Not in prev (new pid, or the pid now names another process): if it started after the
 *   previous sample, everything it has used happened inside the interval, so its whole
 *   CPU time and I/O (counters start at 0 on fork) divided by dt are its honest rates, as
 *   top counts them. If it started earlier yet was not seen (a read that failed), its
 *   rate is unknown: cpu_percent 0, io rates -1 — never its lifetime dumped as a spike.
 * - No previous sample or dt <= 0: cpu_percent 0, io rates -1.
 * mem_percent = rss / mem_total * 100 (0 when mem_total is 0). */
void proc_rates_compute(const struct proc_delta_ctx *ctx, struct proc_entry *cur, size_t n_cur);

/* The same for thread rows (snapshot.threads, in (tgid, tid) order): ctx->prev holds the
 * previous sample's threads sorted by pid (the TID, unique across the system: see
 * proc_history_sort), each found by binary search. Rules as above, with (tid, start_ticks) as the
 * identity. */
void thread_rates_compute(const struct proc_delta_ctx *ctx, struct proc_entry *cur, size_t n_cur);

#endif
