/* Everything vigil can tell about one process (issue 7, the process inspector): read on
 * demand for the inspector and for `--batch --format json --details`, never during the
 * list refresh. Plain data, no I/O; the platform fills it (probe_read_details in probe.h)
 * and details_rates_compute adds the rates between two reads.
 *
 * Conventions: sizes in bytes, times in clock ticks (clk_tck per second) where rates are
 * computed from them. An int64_t field is -1 when unknown. Each part that can fail on its
 * own has an `err`: 0, a negative errno (-EACCES: permission denied), or DETAILS_E_ZOMBIE
 * for what a zombie no longer has. The environment is never read: it holds secrets. */
#ifndef VIGIL_DETAILS_H
#define VIGIL_DETAILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/snapshot.h"

/* An err value: the process has exited and waits for its parent, so this part is gone. */
#define DETAILS_E_ZOMBIE (-100000)

/* A limit without a bound ("unlimited" in /proc/PID/limits). */
#define DETAILS_RLIM_INFINITY UINT64_MAX

enum details_id { DETAILS_ID_REAL, DETAILS_ID_EFFECTIVE, DETAILS_ID_SAVED, DETAILS_ID_FS };

struct details_identity {
    char name[PROC_NAME_MAX]; /* comm exactly */
    pid_t ppid;
    char parent_name[PROC_NAME_MAX]; /* "" when the parent cannot be read */
    uint64_t parent_start_ticks;     /* 0 when unknown */
    double start_time;               /* epoch seconds; 0 unknown */
    bool have_ids;                   /* the Uid:/Gid: lines were read */
    uid_t uids[4];                   /* enum details_id */
    gid_t gids[4];
    char user_names[3][USER_NAME_MAX]; /* real, effective, saved; the number without a name */
    char state;                        /* R S D Z T t I X as the kernel says */
    bool kernel_thread;
    int tty_nr; /* 0 = none */
    char *cwd;  /* owned; NULL with cwd_err */
    int cwd_err;
    char *exe; /* owned; NULL with exe_err */
    int exe_err;
    char *cmdline; /* owned: arguments separated by NUL, trailing NUL dropped; NULL none */
    size_t cmdline_len;
    size_t cmdline_argc; /* 0 for kernel threads and zombies */
    int cmdline_err;
};

struct details_cpu {
    uint64_t utime, stime;   /* ticks, this process (all its threads) */
    uint64_t cutime, cstime; /* ticks, its reaped children */
    double cpu_percent;      /* since the previous read; < 0 when there was none */
    int *affinity;           /* owned: CPU numbers it may run on, ascending */
    size_t n_affinity;       /* 0 when unknown */
    int nice, priority;      /* stat fields 19 and 18 */
    int rt_priority;         /* stat field 40; 0 for the normal policies */
    int policy;              /* stat field 41: SCHED_* number */
    int processor;           /* the CPU it last ran on */
    int ionice_class;        /* enum ionice_class; IONICE_UNKNOWN when not readable */
    int ionice_level;        /* 0..7; -1 for none/idle */
    int64_t ctx_voluntary, ctx_involuntary; /* -1 unknown */
    int num_threads;
};

/* A mapping's memory summed over every mapping of the same path (smaps). */
struct details_map {
    char *path;     /* owned: a file, "[heap]", "[stack]", "[vdso]", ... or "[anon]" */
    unsigned count; /* how many mappings have this path */
    uint64_t size;  /* virtual size */
    uint64_t rss;   /* resident */
    uint64_t pss;   /* proportional share */
    uint64_t private_bytes, shared_bytes; /* Private_* and Shared_* (clean + dirty) */
    uint64_t swap;
};

struct details_memory {
    int status_err; /* the status lines below; all -1 when it fails */
    int64_t rss, vms, shared, text, data, stack, lib, swap, peak_vms, peak_rss, locked, pte;
    int rollup_err;             /* smaps_rollup (or the smaps totals on kernels without it) */
    int64_t pss, uss, swap_pss; /* uss = Private_Clean + Private_Dirty */
    int maps_err;
    struct details_map *maps; /* owned, largest rss first */
    size_t n_maps;
};

struct details_io {
    int err; /* /proc/PID/io needs the right to ptrace-read the process */
    uint64_t rchar, wchar, syscr, syscw, read_bytes, write_bytes, cancelled_write_bytes;
    /* bytes/s and calls/s since the previous read; < 0 when there was none */
    double read_bytes_rate, write_bytes_rate, rchar_rate, wchar_rate, syscr_rate, syscw_rate;
};

struct details_thread {
    pid_t tid;
    char name[PROC_NAME_MAX];
    char state;
    uint64_t start_ticks;
    uint64_t utime, stime; /* ticks */
    int processor;
    double cpu_percent; /* < 0 when the previous read did not have this thread */
};

enum details_fd_kind {
    DETAILS_FD_FILE,   /* a path ("/tmp/x", "/dev/pts/0", "/x (deleted)") */
    DETAILS_FD_SOCKET, /* "socket:[INODE]" */
    DETAILS_FD_PIPE,   /* "pipe:[INODE]" */
    DETAILS_FD_ANON,   /* "anon_inode:[eventfd]", "anon_inode:inotify" */
    DETAILS_FD_OTHER   /* anything else ("net:[4026531840]", ...) */
};

const char *details_fd_kind_name(int kind); /* "file", "socket", "pipe", "anon_inode", "other" */

struct details_fd {
    int fd;
    int kind;       /* enum details_fd_kind */
    char *target;   /* owned: the link text; NULL with err */
    uint64_t inode; /* socket and pipe; 0 otherwise */
    int err;        /* reading this one link */
};

enum details_conn_proto { DETAILS_TCP, DETAILS_UDP, DETAILS_UNIX };

#define DETAILS_ADDR_STRLEN 48 /* INET6_ADDRSTRLEN rounded up */

struct details_conn {
    int fd; /* the descriptor that holds it; -1 unknown */
    uint64_t inode;
    int proto;  /* enum details_conn_proto */
    int family; /* AF_INET, AF_INET6, AF_UNIX */
    int type;   /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
    char local[DETAILS_ADDR_STRLEN];
    unsigned local_port;
    char remote[DETAILS_ADDR_STRLEN]; /* "" for UNIX sockets */
    unsigned remote_port;
    int state;      /* TCP: the kernel's TCP_* number; UNIX: SS_* number */
    bool listening; /* TCP LISTEN, or a UNIX socket that accepts */
    char *path;     /* owned: UNIX socket path ("@name" abstract); NULL none */
};

/* "ESTABLISHED", "LISTEN", ...; UDP: "UNCONN" or "ESTABLISHED"; UNIX: "LISTEN",
 * "CONNECTED", "UNCONNECTED", "CONNECTING", "DISCONNECTING". */
const char *details_conn_state_name(const struct details_conn *c);
const char *details_conn_proto_name(int proto); /* "tcp", "udp", "unix" */
const char *details_sock_type_name(int type);   /* "stream", "dgram", "seqpacket", ... */

struct details_limit {
    char name[32];        /* as the kernel names it: "Max open files" */
    const char *resource; /* static short name as prlimit(1): "nofile"; NULL unknown */
    uint64_t soft, hard;  /* DETAILS_RLIM_INFINITY for "unlimited" */
    char unit[16];        /* "files", "bytes", "seconds", ... or "" */
};

struct details_child {
    pid_t pid;
    char name[PROC_NAME_MAX];
    uint64_t start_ticks;
};

struct proc_details {
    pid_t pid;
    uint64_t start_ticks; /* (pid, start_ticks) is the identity */
    long clk_tck;         /* ticks per second of every tick field */
    double mono;          /* CLOCK_MONOTONIC seconds of this read */
    double interval;      /* seconds since the previous read the rates cover; 0 none */
    bool zombie;
    struct details_identity id;
    struct details_cpu cpu;
    struct details_memory mem;
    struct details_io io;
    int threads_err;
    struct details_thread *threads; /* owned, by tid */
    size_t n_threads;
    int fds_err;
    struct details_fd *fds; /* owned, by fd number */
    size_t n_fds;
    int conns_err;
    struct details_conn *conns; /* owned: TCP, UDP, then UNIX; each by fd */
    size_t n_conns;
    int limits_err;
    struct details_limit *limits; /* owned, in the kernel's order */
    size_t n_limits;
    int children_err;
    struct details_child *children; /* owned, by pid */
    size_t n_children;
};

void proc_details_init(struct proc_details *d);
void proc_details_done(struct proc_details *d); /* frees what d owns; NULL-safe; re-inits */

/* Rates of cur since prev (the same process read earlier; NULL for none): cpu_percent of
 * the process and of each thread matched by (tid, start_ticks), I/O rates. Sets
 * cur->interval. A counter that went backwards gives 0 (I/O: unknown). Pure. */
void details_rates_compute(const struct proc_details *prev, struct proc_details *cur);

/* "normal" (SCHED_OTHER), "fifo", "rr", "batch", "idle", "deadline"; NULL unknown. */
const char *details_sched_policy_name(int policy);

/* Words for an err value: "permission denied", "no such process", "not available: the
 * process is a zombie", "not found", "unreadable format" (-EINVAL from a parser), ...;
 * "" for 0. A static string. */
const char *details_error_text(int err);

/* For a zombie: one paragraph saying what can and cannot be known of it and which parent
 * must reap it ("process 12 (x) is a zombie: it has exited ... parent 9 (bash) ...").
 * "" when d is not a zombie. Control characters in names are shown as '?'. */
void details_zombie_message(const struct proc_details *d, char *buf, size_t cap);

#endif
