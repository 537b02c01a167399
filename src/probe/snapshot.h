/* The snapshot model: plain data that probes fill and views, output and the UI read.
 * No curses, no I/O. Everything a snapshot points to is owned by it (vstr is shared by
 * reference count), so a snapshot outlives the probe refresh that made it. */
#ifndef VIGIL_SNAPSHOT_H
#define VIGIL_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Immutable, reference-counted byte string (cmdline, exe): probes cache one per process
 * identity and every snapshot that shows it holds a reference. Not thread-safe. */
struct vstr {
    unsigned refs;
    size_t len; /* bytes in data, not counting the terminating NUL */
    char data[];
};

struct vstr *vstr_new(const char *data, size_t len); /* refs = 1, data NUL-terminated */
struct vstr *vstr_ref(struct vstr *s);               /* NULL-safe */
void vstr_unref(struct vstr *s);                     /* NULL-safe */

/* CPU time modes in /proc/stat order (Documentation/filesystems/proc.rst, 1.7). */
enum cpu_mode {
    CPU_USER,
    CPU_NICE,
    CPU_SYSTEM,
    CPU_IDLE,
    CPU_IOWAIT,
    CPU_IRQ,
    CPU_SOFTIRQ,
    CPU_STEAL,
    CPU_GUEST,
    CPU_GUEST_NICE,
    CPU_MODE_COUNT
};

const char *cpu_mode_name(enum cpu_mode m); /* "user", "nice", ... */

struct cpu_times {
    uint64_t ticks[CPU_MODE_COUNT]; /* USER_HZ ticks since boot */
};

/* Percentages of one CPU (or the total) over the sampling interval; busy = 100 - idle
 * - iowait. valid is false when there was no previous sample to compare with. */
struct cpu_pct {
    bool valid;
    double busy, user, nice, system, idle, iowait, irq, softirq, steal;
};

struct cpu_line {
    int id; /* the N of cpuN; the total line has id -1 */
    struct cpu_times times;
    struct cpu_pct pct;
};

struct cpu_info {
    int logical;  /* online logical CPUs (cpuN lines in /proc/stat) */
    int physical; /* distinct (package, core) pairs from sysfs topology; 0 unknown */
    int sockets;  /* distinct packages; 0 unknown */
    struct cpu_line total;
    struct cpu_line *per_cpu; /* owned, n_cpu entries */
    size_t n_cpu;
};

struct host_info {
    char hostname[256];
    char kernel[128]; /* uname release, e.g. "6.1.0-18-amd64" */
    double boot_time; /* epoch seconds (btime from /proc/stat) */
    double uptime;    /* seconds */
    double load[3];
    unsigned procs_running; /* from /proc/stat procs_running */
};

/* Bytes, as free(1) of procps-ng 4.0.2 (Debian 12) computes them: available is
 * MemAvailable (MemFree on kernels without it); used = total - available; cached
 * includes SReclaimable; shared is Shmem (see sys_mem_compute in sys_parse.h). */
struct mem_info {
    uint64_t total, available, used, free, buffers, cached, shared;
    uint64_t swap_total, swap_used, swap_free;
};

enum ionice_class {
    IONICE_NONE = 0,
    IONICE_REALTIME = 1,
    IONICE_BEST_EFFORT = 2,
    IONICE_IDLE = 3,
    IONICE_UNKNOWN = -1
};

const char *ionice_class_name(int cls); /* "none", "realtime", "best-effort", "idle", NULL */

/* Fields the probe fills for every process on every refresh are marked [hot]; the others
 * only when asked for through probe_config.want or probe_fill_details(). */
enum proc_field {
    PROC_F_CMDLINE = 1u << 0, /* cmdline (read once per identity) */
    PROC_F_EXE = 1u << 1,     /* exe link (once per identity) */
    PROC_F_USER = 1u << 2,    /* uid from status + user name */
    PROC_F_IO = 1u << 3,      /* /proc/PID/io */
    PROC_F_IONICE = 1u << 4,  /* ioprio_get */
    PROC_F_ALL = 0x1f
};

#define PROC_NAME_MAX 64 /* comm is at most 15 bytes; room for a hostile fixture */
#define USER_NAME_MAX 33

struct proc_entry {
    pid_t pid;
    pid_t ppid;
    uint64_t
        start_ticks;   /* starttime, clock ticks after boot: (pid, start_ticks) is the identity */
    double start_time; /* epoch seconds */
    char name[PROC_NAME_MAX]; /* [hot] comm exactly, NUL-terminated */
    char state;               /* [hot] R S D Z T t I X ... as the kernel says */
    bool kernel_thread;       /* [hot] PF_KTHREAD in stat flags */
    int8_t ionice_class;      /* enum ionice_class (PROC_F_IONICE) */
    int8_t ionice_level;      /* 0..7, -1 when the class has none */
    int nice;                 /* [hot] */
    int priority;             /* [hot] stat field 18 */
    int threads;              /* [hot] */
    int tty_nr;               /* [hot] stat field 7; 0 = none */
    unsigned have;            /* PROC_F_* bits actually filled */
    uid_t uid;                /* effective uid (PROC_F_USER) */
    /* 0 for a process. A thread row (snapshot.threads) holds its process's pid here; its
     * pid is then the thread's TID and (pid, start_ticks) the thread's identity. */
    pid_t tgid;
    uint64_t utime, stime;     /* [hot] ticks */
    uint64_t rss, vms, shared; /* [hot] bytes (statm) */
    double cpu_time;           /* utime+stime seconds */
    double cpu_percent;        /* from delta; may exceed 100 */
    double mem_percent;
    /* uid's name, or its number when it has none (PROC_F_USER; NULL or "" when not read).
     * Never owned: a string literal or proc_user_intern()'s, which live as long as the
     * program. A pointer instead of the name itself keeps 10,000 entries 250 KB smaller. */
    const char *user;
    int64_t io_read_bytes; /* PROC_F_IO; -1 when not readable */
    int64_t io_write_bytes;
    double io_read_rate, io_write_rate; /* bytes/s; < 0 when unknown */
    /* owned ref: /proc/PID/cmdline's bytes as the kernel gives them, a NUL after each
     * argument (the last one too, unless the process rewrote its arguments); the contract's
     * list is these split on NUL with the one trailing empty item dropped, so "a\0\0" is
     * ["a", ""] and "\0" is [""]. NULL: [] (kernel threads, zombies) or not read (have). */
    struct vstr *cmdline;
    struct vstr *exe; /* owned ref; NULL when not readable */
};

/* name (at most USER_NAME_MAX - 1 bytes of it are kept) as a string that lives as long as
 * the program: the same pointer for the same name. Thread-safe. */
const char *proc_user_intern(const char *name);

/* e's user name, "" when there is none (an entry filled by hand may have the bit alone). */
static inline const char *proc_entry_user(const struct proc_entry *e)
{
    return e->user ? e->user : "";
}

/* True for a thread row of snapshot.threads, false for a process. */
static inline bool proc_entry_is_thread(const struct proc_entry *e)
{
    return e->tgid != 0;
}

/* Readable process state name: "running", "sleeping", "disk-sleep", "zombie", ... */
const char *proc_state_name(char state);

/* Name of a controlling terminal from stat's tty_nr ("pts/3", "tty1", "ttyS0"), written
 * to buf; returns false (buf "") when tty_nr is 0 (no terminal). */
bool proc_tty_name(int tty_nr, char *buf, size_t cap);

enum iface_duplex { DUPLEX_UNKNOWN = 0, DUPLEX_HALF, DUPLEX_FULL };
const char *iface_duplex_name(int d); /* "unknown", "half", "full" */

/* Kernel names of the IFF_* bits set in flags ("UP", "BROADCAST", "LOOPBACK",
 * "POINTOPOINT", "RUNNING", "MULTICAST", "LOWER_UP", ...), lowest bit first. Writes at most
 * cap pointers to static strings into names and returns how many bits had names. */
size_t iface_flag_names(unsigned flags, const char **names, size_t cap);

enum iface_family { IFACE_ADDR_INET, IFACE_ADDR_INET6, IFACE_ADDR_LINK };
const char *iface_family_name(int f); /* "inet", "inet6", "link" */

#define IFACE_ADDR_STRLEN 64

/* One address; an empty string means null in the contract. */
struct iface_addr {
    int family; /* enum iface_family */
    char address[IFACE_ADDR_STRLEN];
    char netmask[IFACE_ADDR_STRLEN];
    char broadcast[IFACE_ADDR_STRLEN];
    char ptp[IFACE_ADDR_STRLEN];
    int prefixlen; /* -1 for link addresses */
};

#define IFACE_NAME_MAX 16

struct iface {
    char name[IFACE_NAME_MAX + 1];
    int index;
    unsigned flags; /* IFF_* as the kernel reports them */
    bool up, running;
    int duplex;         /* enum iface_duplex */
    int64_t speed_mbps; /* -1 when the driver does not say */
    int mtu;
    struct iface_addr *addrs; /* owned */
    size_t n_addrs;
    uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
    uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
    double rx_bytes_per_s, tx_bytes_per_s; /* from delta; 0 without a previous sample */
};

/* Task counts over the processes (threads counted from each process's thread count). */
struct task_counts {
    unsigned total, running, sleeping, disk_sleep, zombie, stopped, idle, other;
    unsigned threads;        /* sum of user threads */
    unsigned kernel_threads; /* processes that are kernel threads */
};

struct snapshot {
    double time;     /* epoch seconds of this sample (CLOCK_REALTIME) */
    double mono;     /* CLOCK_MONOTONIC seconds of this sample */
    double interval; /* seconds since the previous sample; 0 for the first */
    struct host_info host;
    struct cpu_info cpu;
    struct mem_info mem;
    struct task_counts tasks;
    struct proc_entry *procs; /* owned, n_procs entries, sorted by pid */
    size_t n_procs;
    struct iface *ifaces; /* owned */
    size_t n_ifaces;
    double self_cpu_percent; /* vigil's own CPU use over the interval */
    /* When not NULL, procs is procs_block->e and the snapshot holds one reference to it:
     * the probe keeps another, to take the fields of processes that did not run since
     * from there instead of from a copy of its own. NULL: procs is owned outright. */
    struct proc_block *procs_block;
    /* User threads other than each process's main thread (that one's row is the process),
     * read only while asked for (probe_set_threads) and only of processes with more than
     * one thread. Never part of procs. Owned, n_threads entries sorted by (tgid, pid). */
    struct proc_entry *threads;
    size_t n_threads;
};

/* A shared, reference-counted array of processes (see snapshot.procs_block). */
struct proc_block {
    unsigned refs;
    size_t n;              /* entries in use: the last unref finishes these */
    size_t cap;            /* room for this many */
    struct proc_entry e[]; /* room for the cap given to proc_block_new */
};

struct proc_block *proc_block_new(size_t cap);           /* one reference, n = 0 */
struct proc_block *proc_block_ref(struct proc_block *b); /* NULL-safe */
void proc_block_unref(struct proc_block *b);             /* NULL-safe; the last one frees */

void snapshot_init(struct snapshot *s);
void snapshot_done(struct snapshot *s); /* frees what the snapshot owns; NULL-safe */
void proc_entry_done(struct proc_entry *p);
void task_counts_compute(const struct proc_entry *procs, size_t n, struct task_counts *out);
const struct proc_entry *snapshot_find_proc(const struct snapshot *s, pid_t pid);
/* Thread tid of process tgid in s->threads, or NULL. */
const struct proc_entry *snapshot_find_thread(const struct snapshot *s, pid_t tgid, pid_t tid);

#endif
