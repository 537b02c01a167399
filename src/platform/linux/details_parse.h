/* Pure parsers for the per-process files the inspector reads (proc(5),
 * Documentation/filesystems/proc.rst): stat (all the fields the inspector shows), status,
 * io, smaps and smaps_rollup, limits, task/TID/children, net/{tcp,tcp6,udp,udp6,unix}, and
 * fd link targets. Each takes a buffer and its length (no NUL needed) and returns 0 or
 * -errno; garbage is -EINVAL, never a guess. No I/O here: details_linux.c reads. */
#ifndef VIGIL_DETAILS_PARSE_H
#define VIGIL_DETAILS_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/details.h"
#include "probe/snapshot.h"

/* /proc/PID/stat or /proc/PID/task/TID/stat; fields numbered as in proc(5). comm is the
 * text between the first '(' and the last ')'. Fields after 22 that an old kernel leaves
 * out are -1. */
struct details_stat {
    pid_t pid;                /* 1 */
    char comm[PROC_NAME_MAX]; /* 2 */
    char state;               /* 3 */
    pid_t ppid;               /* 4 */
    int tty_nr;               /* 7 */
    unsigned long flags;      /* 9: PF_* */
    uint64_t utime, stime;    /* 14, 15: ticks */
    uint64_t cutime, cstime;  /* 16, 17: ticks */
    int priority, nice;       /* 18, 19 */
    int num_threads;          /* 20 */
    uint64_t starttime;       /* 22: ticks after boot */
    int processor;            /* 39 */
    int rt_priority;          /* 40 */
    int policy;               /* 41 */
};

int details_parse_stat(const char *buf, size_t len, struct details_stat *out);

/* /proc/PID/status. Sizes are bytes (the file says kB); a line that is absent (a zombie
 * has no Vm* lines, old kernels lack some) leaves -1. Name: is not read: it is escaped
 * there, stat's comm is exact. */
struct details_status {
    char state;
    pid_t ppid;
    bool have_ids;
    uid_t uid[4]; /* real, effective, saved, filesystem */
    gid_t gid[4];
    int64_t vm_peak, vm_size, vm_lck, vm_hwm, vm_rss, rss_anon, rss_file, rss_shmem;
    int64_t vm_data, vm_stk, vm_exe, vm_lib, vm_pte, vm_swap;
    int threads; /* -1 absent */
    int64_t ctx_voluntary, ctx_involuntary;
    const char *cpus_allowed_list; /* borrowed: points into buf; NULL absent */
    size_t cpus_allowed_len;
};

int details_parse_status(const char *buf, size_t len, struct details_status *out);

/* A CPU list as in Cpus_allowed_list or sysfs: "0-3,8,10-11". Writes the CPU numbers in
 * ascending order into *out (owned, xalloc) and their count into *n. -EINVAL on garbage
 * or an empty list. */
int details_parse_cpu_list(const char *buf, size_t len, int **out, size_t *n);

/* /proc/PID/io: every counter required. */
struct details_io_counters {
    uint64_t rchar, wchar, syscr, syscw, read_bytes, write_bytes, cancelled_write_bytes;
};

int details_parse_io(const char *buf, size_t len, struct details_io_counters *out);

/* The totals of smaps_rollup (or summed from smaps), bytes. */
struct details_rollup {
    uint64_t rss, pss, shared_clean, shared_dirty, private_clean, private_dirty, swap, swap_pss;
};

/* /proc/PID/smaps_rollup: one header line then "Key: N kB" lines. Rss and Pss required. */
int details_parse_smaps_rollup(const char *buf, size_t len, struct details_rollup *out);

/* /proc/PID/smaps: summarises every mapping by its path (anonymous ones as "[anon]"),
 * largest rss first (ties by path). *maps is owned by the caller (free each path);
 * totals (may be NULL) receives the sum over all mappings. An empty file (a zombie, a
 * kernel thread) gives 0 maps. */
int details_parse_smaps(const char *buf, size_t len, struct details_map **maps, size_t *n,
                        struct details_rollup *totals);

/* /proc/PID/limits: every line after the header, in order; *out owned by the caller. */
int details_parse_limits(const char *buf, size_t len, struct details_limit **out, size_t *n);

/* The short resource name for a limits line name ("Max open files" -> "nofile"). */
const char *details_limit_resource(const char *name);

/* A list of decimal PIDs separated by spaces or newlines (task/TID/children). Appends to
 * *pids (xalloc), *n counts them. */
int details_parse_pid_list(const char *buf, size_t len, pid_t **pids, size_t *n);

/* A descriptor's link target (readlink of /proc/PID/fd/N): its kind and, for sockets and
 * pipes, the inode in the brackets. */
void details_parse_fd_target(const char *s, size_t len, int *kind, uint64_t *inode);

/* /proc/PID/net/tcp, tcp6, udp, udp6 (Documentation/networking/proc_net_tcp.rst). family
 * is AF_INET or AF_INET6, proto DETAILS_TCP or DETAILS_UDP. Only sockets whose inode is
 * in inodes (sorted ascending, n_inodes) are kept; inodes NULL keeps every socket. Each
 * kept one is appended to *conns (xalloc) with fd -1. Addresses are words of the kernel's
 * byte order printed in hex: an IPv4 address is one 32-bit word, an IPv6 address four
 * (the byte order of each word is the host's, little-endian on x86 and arm64). */
int details_parse_net_inet(const char *buf, size_t len, int family, int proto,
                           const uint64_t *inodes, size_t n_inodes, struct details_conn **conns,
                           size_t *n);

/* /proc/PID/net/unix, the same filtering. */
int details_parse_net_unix(const char *buf, size_t len, const uint64_t *inodes, size_t n_inodes,
                           struct details_conn **conns, size_t *n);

#endif
