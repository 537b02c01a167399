/* Pure parsers for the per-process files of /proc (proc(5),
 * Documentation/filesystems/proc.rst). Each takes the bytes read from one file and returns
 * 0 or -EINVAL; on failure the output is left untouched, so a truncated or garbled file
 * never produces a half-filled record. No I/O here: the scanner reads, these parse. */
#ifndef VIGIL_PROC_PARSE_H
#define VIGIL_PROC_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/snapshot.h"

#define PROC_PF_KTHREAD 0x00200000u /* include/linux/sched.h: "I am a kernel thread" */

/* /proc/PID/stat. comm is the text between the first '(' and the last ')', so any bytes a
 * process puts in its name (spaces, parentheses, newlines) come out exact; longer than
 * PROC_NAME_MAX - 1 bytes (no kernel does that) is cut. */
struct proc_stat_info {
    pid_t pid;
    char comm[PROC_NAME_MAX]; /* NUL-terminated */
    size_t comm_len;          /* bytes in comm (a hostile comm may hold NUL-free junk) */
    char state;
    pid_t ppid;
    pid_t pgrp;
    pid_t session;
    int tty_nr;
    unsigned flags;        /* PF_* */
    uint64_t utime, stime; /* clock ticks */
    int priority, nice;
    int num_threads;
    uint64_t starttime; /* clock ticks after boot */
    uint64_t vsize;     /* bytes */
    uint64_t rss_pages;
};

int proc_parse_stat(const char *buf, size_t len, struct proc_stat_info *out);

/* /proc/PID/statm, first three fields (pages) converted to bytes with page_size. */
struct proc_statm_info {
    uint64_t size, resident, shared; /* bytes */
};

int proc_parse_statm(const char *buf, size_t len, long page_size, struct proc_statm_info *out);

/* /proc/PID/status: the Uid: and Gid: lines (real, effective, saved, filesystem). ps and
 * top show the effective uid, and so does vigil. Threads: is -1 when the line is absent. */
struct proc_status_info {
    uid_t uid[4];
    gid_t gid[4];
    int threads;
};

int proc_parse_status(const char *buf, size_t len, struct proc_status_info *out);

/* /proc/PID/io. read_bytes/write_bytes are what reached the storage layer (what psutil
 * calls read_bytes/write_bytes, and what vigil reports as io_read_bytes/io_write_bytes);
 * rchar/wchar count every read()/write(), page cache hits and pipes included. */
struct proc_io_info {
    uint64_t rchar, wchar, syscr, syscw;
    uint64_t read_bytes, write_bytes, cancelled_write_bytes;
};

int proc_parse_io(const char *buf, size_t len, struct proc_io_info *out);

/* /proc/PID/schedstat (Documentation/scheduler/sched-stats.rst): time spent on the CPU
 * (ns), time spent waiting on a runqueue (ns), timeslices run. Of the thread-group leader
 * only, which is why the scanner trusts it as a "did it run" detector only for
 * single-threaded processes. */
struct proc_schedstat_info {
    uint64_t run_ns, wait_ns, slices;
};

int proc_parse_schedstat(const char *buf, size_t len, struct proc_schedstat_info *out);

/* /proc/PID/cmdline: arguments separated by NUL. *out_len is len without the single
 * trailing NUL (the "trailing empty item" the contract drops), *out_argc the number of
 * arguments: 0 for an empty file (kernel threads, zombies), 1 for "\0" (one empty
 * argument). Any bytes are valid, so this never fails. */
void proc_parse_cmdline(const char *buf, size_t len, size_t *out_len, size_t *out_argc);

/* Walks a normalized, non-empty-list cmdline (as proc_parse_cmdline leaves it; len 0 is
 * one empty argument): sets the argument starting at *pos, advances *pos past it and
 * returns true, or returns false at the end. Start with *pos = 0. */
bool proc_cmdline_next(const char *buf, size_t len, size_t *pos, const char **arg, size_t *arg_len);

/* /proc/stat: the btime and processes (forks since boot) lines. -EINVAL when btime is
 * missing; forks is 0 when its line is. */
struct proc_sys_stat_info {
    uint64_t btime;
    uint64_t forks;
};

int proc_parse_sys_stat(const char *buf, size_t len, struct proc_sys_stat_info *out);

/* /proc/loadavg: "0.55 0.41 0.33 2/456 12345": runnable and total threads, and the pid
 * most recently handed out in the reader's pid namespace. */
struct proc_loadavg_info {
    unsigned running, total;
    pid_t last_pid;
};

int proc_parse_loadavg(const char *buf, size_t len, struct proc_loadavg_info *out);

#endif
