/* Pure parsers for the system-wide /proc files (Documentation/filesystems/proc.rst):
 * /proc/stat, /proc/meminfo, /proc/loadavg, /proc/uptime, and the topology lines of
 * /proc/cpuinfo. Each takes a buffer and its length (no NUL needed), returns 0 or -errno,
 * and treats garbage or a truncated file as -EINVAL rather than guessing. */
#ifndef VIGIL_SYS_PARSE_H
#define VIGIL_SYS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/snapshot.h"

/* What /proc/stat says. The "cpu" total line and "btime" are required (btime comes after
 * every cpuN line, so its presence proves the cpu lines were not cut off). */
struct sys_stat {
    struct cpu_times total;
    struct cpu_line *cpus; /* owned (xalloc), n_cpus entries in file order; pct invalid */
    size_t n_cpus;
    uint64_t btime;         /* epoch seconds */
    unsigned procs_running; /* 0 when the kernel does not say */
    bool have_procs_running;
};

/* Fills out (overwriting it). On error nothing is left allocated. Each cpu line needs
 * user, nice, system and idle; the later modes are 0 when an old kernel omits them. */
int sys_stat_parse(const char *buf, size_t len, struct sys_stat *out);
void sys_stat_done(struct sys_stat *s); /* NULL-safe */

/* /proc/meminfo values in bytes (the file says kB). MemTotal and MemFree are required. */
struct sys_meminfo {
    uint64_t mem_total, mem_free, mem_available, buffers, cached, sreclaimable, shmem;
    uint64_t swap_total, swap_free;
    bool have_available; /* MemAvailable present (Linux >= 3.14) */
};

int sys_meminfo_parse(const char *buf, size_t len, struct sys_meminfo *out);

/* Derives the contract's memory figures exactly as free(1) of procps-ng 4.0.2 (Debian 12)
 * does in library/meminfo.c: available = MemAvailable (MemFree when absent, or when it
 * exceeds MemTotal as inside some containers); used = total - available (total - free if
 * that is negative); cached = Cached + SReclaimable; shared = Shmem; swap used = total -
 * free (0 when free exceeds total). */
void sys_mem_compute(const struct sys_meminfo *mi, struct mem_info *out);

/* "0.50 0.40 0.30 1/123 4567": the three load averages. */
int sys_loadavg_parse(const char *buf, size_t len, double load[3]);

/* "12345.67 45678.90": seconds since boot (the first number). */
int sys_uptime_parse(const char *buf, size_t len, double *uptime);

/* Counts distinct (physical id, core id) pairs and distinct physical ids over the
 * "processor" blocks of /proc/cpuinfo. Both 0 when the file does not name them (many
 * non-x86 machines), which is not an error. */
int sys_cpuinfo_topology(const char *buf, size_t len, int *physical, int *sockets);

/* One CPU's place in the machine, from sysfs topology; used to count cores and sockets. */
struct cpu_topo {
    long package, die, core; /* -1 when unknown */
};

/* physical = distinct (package, die, core) triples, sockets = distinct packages (0 when
 * no package is known). Reorders topo. */
void sys_topology_count(struct cpu_topo *topo, size_t n, int *physical, int *sockets);

/* One line of text from a file such as sys/kernel/hostname: copies buf up to the first
 * newline into out (NUL-terminated, clipped to cap). -EINVAL when it is empty. */
int sys_line_parse(const char *buf, size_t len, char *out, size_t cap);

#endif
