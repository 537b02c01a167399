/* Private to the process scanner (proc_scan.c, proc_find.c, proc_fields.c): the
 * per-process record and the scanner's state. See proc_scan.c for how they are used. */
#ifndef VIGIL_PROC_SCAN_INT_H
#define VIGIL_PROC_SCAN_INT_H

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "platform/linux/linux_platform.h"
#include "platform/linux/proc_parse.h"
#include "platform/linux/users.h"

#define FD_FLOOR      1024  /* kept descriptors go at or above this number */
#define FD_HEADROOM   256   /* descriptors left for the rest of vigil */
#define FD_BUDGET_MAX 32768 /* each kept proc file pins a 4 KiB seq_file buffer in the kernel */
#define HOT_BUF       1024  /* stat is < 400 bytes with a 64-byte comm */
#define CMDLINE_MAX   (1u << 20)
#define NICE_EVERY    4 /* full turns between nice checks of a sleeping process */
#define LIST_EVERY    4 /* full passes between listings of the whole directory */

enum pfile { PF_SCHEDSTAT, PF_STAT, PF_STATM, PF_COUNT };

/* What tells the scanner a process ran since the last refresh. */
enum run_source {
    RUN_NONE,      /* nothing: read stat every time */
    RUN_CPUCLOCK,  /* the process CPU clock (clock_gettime): all threads, one syscall */
    RUN_SCHEDSTAT, /* /proc/PID/schedstat: the leader thread only; fixtures and fallback */
};

/* What the scanner keeps of a process only once someone asked for one of its PROC_F_*
 * fields (the UI asks for the rows on screen): most records never have one. */
struct proc_rec_more {
    struct vstr *cmdline;      /* cached per identity; NULL when empty */
    struct vstr *exe;          /* cached per identity; NULL when unreadable */
    int64_t io_read, io_write; /* -1: not readable */
    /* refresh numbers (0: never) when each cache was filled. I/O counters and the uid
     * move only when the process runs, so a cache newer than ran_at is still exact. */
    uint32_t io_at, ionice_at, uid_at;
    uid_t uid;
    int8_t ionice_class, ionice_level;
    bool cmdline_read : 1, exe_read : 1, uid_read : 1;
};

/* What the scanner remembers of a process between refreshes. Its fields as last read
 * (state, times, memory, name...) are not here: they are in the entry at slot of the last
 * block handed out (sc->last), which the snapshot shares, so they are kept once. Only
 * what every refresh needs for every process is here (64 bytes, from a chunk: see
 * proc_rec.c); what a refresh touches for a process that did not run comes first. */
struct proc_rec {
    pid_t pid;
    uint32_t slot;        /* index in sc->last, SLOT_NONE when it has no entry there */
    uint64_t start_ticks; /* with pid, the identity */
    uint64_t run;         /* last reading of the "did it run" counter (enum run_source) */
    int fd[PF_COUNT];     /* kept descriptors, -1 when none */
    uint32_t run_slices;  /* and of schedstat's slices, low bits: only compared */
    uint32_t next_full;   /* refresh number of this process's next full turn */
    /* Refresh numbers (0: never): when the process was last seen to have run, and when
     * something another process can change (nice, ionice) was last looked at. */
    uint32_t ran_at, moved_at;
    uint8_t turns; /* full turns so far, modulo 256 (a multiple of NICE_EVERY) */
    bool have_run : 1;
    bool no_sched : 1;  /* this process has no readable schedstat (fixtures): read stat always */
    bool fresh : 1;     /* nothing read yet for this identity */
    bool dirty : 1;     /* re-read stat on the next refresh */
    bool statm_due : 1; /* memory so far from stat only (quick first pass): read statm next */
    uint16_t chunk;     /* index of the chunk holding this record (proc_rec.c) */
    struct proc_rec_more *more; /* NULL until a PROC_F_* field is asked for */
};

_Static_assert(256 % NICE_EVERY == 0, "turns wraps at 256");

#define SLOT_NONE UINT32_MAX

struct proc_scanner {
    int proc_fd;    /* borrowed */
    int dir_fd;     /* our own open of the root, for getdents64 */
    int loadavg_fd; /* /proc/loadavg kept open for the last pid handed out; -1 if not live */
    bool live;      /* the root is procfs of our pid namespace */
    int run_source; /* enum run_source */
    long clk_tck, page_size;
    unsigned full_every;
    double btime;
    uint32_t refresh;
    struct proc_block *last; /* our reference to the block handed out last; NULL before */
    pid_t last_pid[2];       /* last pid handed out, as of the refresh before last and the last */
    unsigned n_last;         /* how many of last_pid are known (0..2) */
    pid_t pid_max;           /* 0 when unknown */
    bool force_list;
    bool quick;             /* this refresh takes memory from stat for new records (quick_first) */
    struct proc_rec **recs; /* sorted by pid */
    size_t n_recs, cap_recs;
    pid_t *pids; /* scratch: the listing */
    size_t n_pids, cap_pids;
    pid_t *dead; /* scratch: pids that vanished or turned zombie this refresh */
    size_t n_dead, cap_dead;
    char *big; /* scratch for /proc/stat, cmdline, status, getdents */
    size_t big_cap;
    long fd_budget, fd_kept;
    long kept[PF_COUNT]; /* fd_kept by file */
    int fd_floor;
    struct user_cache *users;
    struct proc_scanner_stats stats;
    struct rec_slab {
        struct rec_chunk **chunks; /* NULL where a chunk was given back */
        size_t n_chunks;
        size_t avail; /* a chunk that may have free records (a hint) */
    } slab;
};

static inline bool is_gone(int err)
{
    return err == -ESRCH || err == -ENOENT;
}

/* The clock id of a process's CPU time (all its threads): what clock_getcpuclockid()
 * computes, without the extra syscall it makes to check the pid. */
static inline clockid_t proc_cpuclock(pid_t pid)
{
    return (clockid_t)((~(unsigned)pid << 3) | 2u); /* CPUCLOCK_SCHED, process-wide */
}

/* proc_scan.c */
void proc_scan_grow(struct proc_scanner *sc, size_t need); /* sc->big to at least need */
ssize_t proc_scan_pread(int fd, char *buf, size_t cap);    /* from offset 0; len or -errno */
void proc_scan_close_fds(struct proc_scanner *sc, struct proc_rec *r);
int proc_scan_open(struct proc_scanner *sc, const char *path); /* under the root; fd or -errno */
/* 0 when r is still the process it was (stat re-read into st), else -ESRCH or -errno */
int proc_rec_check(struct proc_scanner *sc, struct proc_rec *r, struct proc_stat_info *st);

/* proc_rec.c: records come from chunks of the scanner's (sc->slab), taken and given back
 * by the scanner's own thread only (the first refreshes' workers neither: they may reset
 * a record, which frees only its side struct) */
struct proc_rec *proc_rec_new(struct proc_scanner *sc, pid_t pid);
void proc_rec_free(struct proc_scanner *sc, struct proc_rec *r);  /* NULL-safe */
void proc_rec_reset(struct proc_scanner *sc, struct proc_rec *r); /* a new identity at pid */
void proc_rec_drop_identity(struct proc_rec *r);                  /* cmdline and exe: an exec */
struct proc_rec_more *proc_rec_more(struct proc_rec *r);          /* allocated when first needed */
void proc_rec_slab_free(struct proc_scanner *sc); /* every chunk; records are gone */

/* proc_entries.c */
void proc_scan_clear_wanted(struct proc_entry *e); /* the PROC_F_* fields: not read */
void proc_scan_entry_from(const struct proc_entry *src, struct proc_entry *e); /* hot only */
void proc_scan_entry_init(const struct proc_rec *r, struct proc_entry *e);     /* identity only */
struct proc_block *proc_scan_target_block(struct proc_scanner *sc);
void proc_scan_prepare_entries(struct proc_scanner *sc, struct proc_block *blk);

/* proc_find.c */
long proc_scan_find(const struct proc_scanner *sc, pid_t pid); /* index in recs or -1 */
int proc_scan_cmp_pid(const void *a, const void *b);
void proc_scan_push_pid(pid_t **arr, size_t *n, size_t *cap, pid_t pid);
int proc_scan_find_processes(struct proc_scanner *sc);

/* proc_fields.c */
int proc_scan_read_uid(struct proc_scanner *sc, struct proc_rec *r);
int proc_scan_fill_wanted(struct proc_scanner *sc, struct proc_rec *r, struct proc_entry *e,
                          unsigned want, char state, bool kthread, bool fresh);

#endif
