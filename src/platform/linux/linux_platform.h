/* Private to src/platform/linux: the pieces platform.c puts together. Each module owns
 * its state; the /proc and /sys roots are opened once and modules work relative to them
 * with openat (style.md, "Injectable roots"). */
#ifndef VIGIL_LINUX_PLATFORM_H
#define VIGIL_LINUX_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/probe.h"
#include "probe/snapshot.h"

/* Reads a whole small file relative to dirfd into buf (NUL-terminated; at most cap-1
 * bytes). Returns the length or -errno. */
ssize_t linux_read_file_at(int dirfd, const char *path, char *buf, size_t cap);

/* Reads fd to its end into *buf, grown (xrealloc) as needed with *cap its size, keeping
 * at most max bytes (a longer file is cut there). Returns the length or -errno; the
 * caller closes fd. For files of any size: command lines. */
ssize_t linux_read_all_fd(int fd, char **buf, size_t *cap, size_t max);

/* ioprio_get(2)/ioprio_set(2): the "who" for one process or thread, and where the class
 * sits in the value (the level is below it) */
#define LINUX_IOPRIO_WHO_PROCESS 1
#define LINUX_IOPRIO_CLASS_SHIFT 13

/* ioprio_get(2) for a process or a single thread (a TID), in readable terms: *cls an enum
 * ionice_class (IONICE_UNKNOWN for a class this code does not know), *level 0..7 or -1
 * for classes without one (none, idle). Returns 0 or -errno (-ESRCH: no such task). */
int linux_ioprio_get(pid_t id, int *cls, int *level);
/* The same into e's ionice_class and ionice_level, set only when it returns 0. */
int linux_ioprio_get_entry(pid_t id, struct proc_entry *e);

/* The fields of e that /proc/PID/stat (or task/TID/stat) gives, name to cpu_time; not
 * start_time, whose epoch takes the boot time (or the process's start, for a thread). */
struct proc_stat_info;
void linux_entry_from_stat(struct proc_entry *e, const struct proc_stat_info *st, long clk_tck);

/* host / cpu / memory (linux_sys.c) */
int linux_read_host(int proc_fd, struct host_info *out);
int linux_read_cpu(int proc_fd, int sys_fd, struct cpu_info *out);
int linux_read_mem(int proc_fd, struct mem_info *out);

/* processes (proc_scan.c): keeps per-process state (open descriptors, cached cmdline)
 * between reads, keyed by identity (pid, start time). */
struct proc_scanner;
struct proc_scanner *proc_scanner_new(int proc_fd, const struct probe_config *cfg, int *err);
void proc_scanner_free(struct proc_scanner *sc);
int proc_scanner_read(struct proc_scanner *sc, unsigned want, struct proc_block **out);
int proc_scanner_details(struct proc_scanner *sc, struct proc_entry *e, unsigned want);

/* What the scanner did since proc_scanner_new, for benchmarks and tests. */
struct proc_scanner_stats {
    unsigned long listings;    /* getdents64 passes over the root */
    unsigned long probes;      /* pids asked whether they are new processes */
    unsigned long opens;       /* per-process files opened (kept or not) */
    unsigned long preads;      /* re-reads through kept descriptors */
    unsigned long stat_reads;  /* /proc/PID/stat reads */
    unsigned long statm_reads; /* /proc/PID/statm reads */
    long kept_fds;             /* descriptors kept open now */
    long fd_budget;            /* how many it may keep */
};
void proc_scanner_get_stats(const struct proc_scanner *sc, struct proc_scanner_stats *out);

/* user threads (proc_threads.c): platform_read_threads and platform_thread_details
 * (probe/platform.h) over the proc root. Keeps only a user-name cache and a buffer. */
struct thread_reader;
struct thread_reader_env {
    long clk_tck;
    long page_size;
    bool live; /* the root is the live procfs: ioprio_get by TID agrees with it */
};
struct thread_reader *thread_reader_new(int proc_fd, const struct thread_reader_env *env);
void thread_reader_free(struct thread_reader *tr); /* NULL-safe */
int thread_reader_read(struct thread_reader *tr, const struct proc_entry *procs, size_t n,
                       unsigned want, struct proc_entry **out, size_t *n_out);
int thread_reader_details(struct thread_reader *tr, struct proc_entry *e, unsigned want);
/* How many task directories thread_reader_read listed so far (for tests and benchmarks). */
unsigned long thread_reader_listings(const struct thread_reader *tr);

/* network interfaces (net_*.c) */
struct net_probe;
struct net_probe *net_probe_new(int proc_fd, int sys_fd, int *err);
void net_probe_free(struct net_probe *np);
int net_probe_read(struct net_probe *np, struct iface **out, size_t *n);

/* the process inspector (details_linux.c) */
struct proc_details;
struct linux_details_env {
    long clk_tck;
    long page_size;
    bool live; /* the root is the live procfs: system calls by PID (ioprio_get) agree with it */
};
/* Reads everything of probe/details.h for (pid, start_ticks), rates left unknown. Returns
 * 0, or -ESRCH when the process is gone or the pid belongs to another process now (out is
 * then empty). */
int linux_read_details(int proc_fd, const struct linux_details_env *env, pid_t pid,
                       uint64_t start_ticks, struct proc_details *out);

#endif
