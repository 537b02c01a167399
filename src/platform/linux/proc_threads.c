/* User threads as rows (the UI's H): /proc/PID/task/TID/stat of each thread of the
 * processes with more than one thread, parsed by the same proc_parse_stat as a process.
 *
 * Identity: a thread is (TID, starttime). The task directory is opened relative to the
 * proc root and then the main thread's stat is read through it: if its start time is the
 * process's, the directory belongs to the process the scanner saw (a /proc/PID descriptor
 * is bound to its process; once that is reaped every read through it fails), so every
 * TID listed in it is one of its threads. A thread whose stat cannot be read (it exited
 * between the listing and the read) is left out; nothing is half-filled.
 *
 * Cost: nothing unless asked (probe_config.want_threads), then only for processes whose
 * stat says num_threads > 1. For those, did any thread run? On the live procfs the
 * process's CPU clock (clock_gettime, one syscall for all its threads, as the scanner
 * asks) answers it: a process whose clock did not move since the last read ran no thread,
 * and made or ended none (both take running), so its threads are the entries of the last
 * read again (memory from the process, which they share). The one thing another process
 * changes in a sleeping thread is its nice: every THR_FULL_EVERY reads, and when one of
 * the threads is on screen (thread_reader_details), getpriority() checks each thread's.
 * Otherwise (the clock moved, a nice changed, I/O or ionice asked for, a fixture tree):
 * one listing of the task directory and one stat read per thread. (A thread's own CPU
 * clock cannot be read from another process.) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "platform/linux/linux_platform.h"
#include "platform/linux/proc_parse.h"
#include "platform/linux/users.h"
#include "probe/xalloc.h"

#define THR_FULL_EVERY  4          /* reads between nice checks of threads that did not run */
#define THR_CMDLINE_MAX (1u << 20) /* the scanner keeps the first MiB too */

struct thread_list {
    struct proc_entry *v;
    size_t n, cap;
};

/* A process whose threads the last read listed: its clock then, and where its threads'
 * entries (no references held) are in the list kept with it. */
struct thread_proc {
    pid_t tgid;
    uint64_t start_ticks;
    uint64_t clock_ns;
    uint32_t next_full; /* read number of its threads' next nice check */
    size_t first, n;    /* its threads: entries [first, first + n) */
};

/* What one read saw, for the next to compare with. */
struct thread_seen {
    struct thread_proc *procs; /* sorted by tgid */
    size_t n_procs, cap_procs;
    struct thread_list threads;
};

struct thread_reader {
    int proc_fd; /* borrowed from the platform */
    uint32_t reads;
    unsigned long listings;
    struct thread_seen seen, next;
    struct thread_reader_env env;
    struct user_cache *users; /* created on the first PROC_F_USER */
    pid_t *tids;              /* scratch: one process's TIDs */
    size_t cap_tids;
    char *big; /* scratch for cmdline */
    size_t big_cap;
};

struct thread_reader *thread_reader_new(int proc_fd, const struct thread_reader_env *env)
{
    struct thread_reader *tr = xcalloc(1, sizeof(*tr));
    tr->proc_fd = proc_fd;
    tr->env = *env;
    if (tr->env.clk_tck <= 0)
        tr->env.clk_tck = 100;
    return tr;
}

void thread_reader_free(struct thread_reader *tr)
{
    if (!tr)
        return;
    user_cache_free(tr->users);
    free(tr->seen.procs);
    free(tr->seen.threads.v);
    free(tr->next.procs);
    free(tr->next.threads.v);
    free(tr->tids);
    free(tr->big);
    free(tr);
}

static bool gone(int err)
{
    return err == -ENOENT || err == -ESRCH;
}

/* stat of the task directory entry name (a TID) under dirfd, checked to be that TID. */
static int read_task_stat(int dirfd, pid_t tid, struct proc_stat_info *st)
{
    char path[32], buf[1024];
    snprintf(path, sizeof(path), "%d/stat", (int)tid);
    ssize_t n = linux_read_file_at(dirfd, path, buf, sizeof(buf));
    if (n < 0)
        return (int)n;
    if (proc_parse_stat(buf, (size_t)n, st) != 0 || st->pid != tid)
        return -EINVAL;
    return 0;
}

/* I/O counters from io under dirfd (a task directory); -1 each when unreadable. Returns
 * the read's error (the caller decides whether it means "gone"). */
static int read_io(int dirfd, const char *path, struct proc_entry *e)
{
    char buf[512];
    struct proc_io_info io;
    ssize_t n = linux_read_file_at(dirfd, path, buf, sizeof(buf));
    int err = n < 0 ? (int)n : proc_parse_io(buf, (size_t)n, &io);
    e->io_read_bytes = err ? -1 : (int64_t)io.read_bytes;
    e->io_write_bytes = err ? -1 : (int64_t)io.write_bytes;
    e->have |= PROC_F_IO;
    return err;
}

/* The thread's entry from its stat; what the whole process shares (memory) from p. */
static void fill_entry(const struct thread_reader *tr, const struct proc_entry *p,
                       const struct proc_stat_info *st, struct proc_entry *e)
{
    memset(e, 0, sizeof(*e));
    e->pid = st->pid;
    e->tgid = p->pid;
    linux_entry_from_stat(e, st, tr->env.clk_tck);
    /* the process's epoch start plus the ticks between the two starts: no btime needed */
    e->start_time =
        p->start_time + ((double)st->starttime - (double)p->start_ticks) / (double)tr->env.clk_tck;
    /* one address space: the same figures as the process row */
    e->rss = p->rss;
    e->vms = p->vms;
    e->shared = p->shared;
    e->ionice_class = IONICE_UNKNOWN;
    e->ionice_level = -1;
    e->io_read_bytes = e->io_write_bytes = -1;
    e->io_read_rate = e->io_write_rate = -1;
}

static struct proc_entry *list_add(struct thread_list *l)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
    }
    return &l->v[l->n++];
}

static int thread_proc_cmp(const void *a, const void *b)
{
    const struct thread_proc *x = a, *y = b;
    return (x->tgid > y->tgid) - (x->tgid < y->tgid);
}

static struct thread_proc *seen_proc(const struct thread_reader *tr, pid_t tgid)
{
    struct thread_proc key = {.tgid = tgid};
    return tr->seen.n_procs
               ? bsearch(&key, tr->seen.procs, tr->seen.n_procs, sizeof(key), thread_proc_cmp)
               : NULL;
}

/* The CPU time of all of process pid's threads (ns), from its CPU clock. */
static bool process_clock(pid_t pid, uint64_t *ns)
{
    struct timespec ts;
    if (clock_gettime((clockid_t)((~(unsigned)pid << 3) | 2u), &ts) != 0)
        return false;
    *ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    return true;
}

/* Notes process p and the threads it has in out from index first on, for the next read. */
static void note_process(struct thread_reader *tr, const struct proc_entry *p, uint64_t clock_ns,
                         uint32_t next_full, const struct thread_list *out, size_t first)
{
    struct thread_seen *nx = &tr->next;
    if (nx->n_procs == nx->cap_procs) {
        nx->cap_procs = nx->cap_procs ? nx->cap_procs * 2 : 16;
        nx->procs = xreallocarray(nx->procs, nx->cap_procs, sizeof(*nx->procs));
    }
    struct thread_proc *tp = &nx->procs[nx->n_procs++];
    *tp = (struct thread_proc){p->pid,    p->start_ticks, clock_ns,
                               next_full, nx->threads.n,  out->n - first};
    for (size_t i = first; i < out->n; i++)
        *list_add(&nx->threads) = out->v[i];
}

/* Process p ran no thread since the last read (its clock did not move) and its full read
 * is not due: its threads from then, with what the process shares as read now. */
static void reuse_process(const struct thread_reader *tr, const struct proc_entry *p,
                          const struct thread_proc *old, struct thread_list *out)
{
    for (size_t i = 0; i < old->n; i++) {
        struct proc_entry *e = list_add(out);
        *e = tr->seen.threads.v[old->first + i];
        e->ppid = p->ppid;
        e->threads = p->threads;
        e->rss = p->rss;
        e->vms = p->vms;
        e->shared = p->shared;
    }
}

/* Whether every thread of old still has the nice it had (another process may renice a
 * sleeping thread; nothing else in its stat moves while it does not run). */
static bool nice_unchanged(const struct thread_reader *tr, const struct thread_proc *old)
{
    for (size_t i = 0; i < old->n; i++) {
        const struct proc_entry *e = &tr->seen.threads.v[old->first + i];
        errno = 0;
        int prio = getpriority(PRIO_PROCESS, (id_t)e->pid);
        if ((prio == -1 && errno) || prio != e->nice)
            return false;
    }
    return true;
}

static int tid_cmp(const void *a, const void *b)
{
    pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
    return (x > y) - (x < y);
}

/* The TIDs listed in the task directory d, sorted, into tr->tids; returns how many. */
static size_t list_tids(struct thread_reader *tr, DIR *d)
{
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        char *end;
        long tid = strtol(de->d_name, &end, 10);
        if (*end || tid <= 0 || tid > INT32_MAX)
            continue;
        if (n == tr->cap_tids) {
            tr->cap_tids = tr->cap_tids ? tr->cap_tids * 2 : 64;
            tr->tids = xreallocarray(tr->tids, tr->cap_tids, sizeof(*tr->tids));
        }
        tr->tids[n++] = (pid_t)tid;
    }
    qsort(tr->tids, n, sizeof(*tr->tids), tid_cmp);
    return n;
}

/* The threads of p into out, from their task directory. Returns false when p is gone. */
static bool list_process(struct thread_reader *tr, const struct proc_entry *p, unsigned want,
                         struct thread_list *out)
{
    char path[32];
    snprintf(path, sizeof(path), "%d/task", (int)p->pid);
    int tfd = openat(tr->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (tfd < 0)
        return false; /* gone since the scanner saw it */
    struct proc_stat_info st;
    if (read_task_stat(tfd, p->pid, &st) != 0 || st.starttime != p->start_ticks) {
        close(tfd); /* gone, or the PID names another process now */
        return false;
    }
    DIR *d = fdopendir(tfd);
    if (!d) {
        close(tfd);
        return false;
    }
    tr->listings++;
    size_t n = list_tids(tr, d);
    int dfd = dirfd(d);
    for (size_t i = 0; i < n; i++) {
        pid_t tid = tr->tids[i];
        if (tid == p->pid)
            continue; /* the main thread's row is the process */
        if (read_task_stat(dfd, tid, &st) != 0)
            continue; /* exited after the listing */
        struct proc_entry *e = list_add(out);
        fill_entry(tr, p, &st, e);
        if (want & PROC_F_IO) {
            snprintf(path, sizeof(path), "%d/io", (int)tid);
            struct proc_stat_info again;
            if (gone(read_io(dfd, path, e)) &&
                (read_task_stat(dfd, tid, &again) != 0 || again.starttime != st.starttime)) {
                out->n--; /* exited between its two files */
                continue;
            }
        }
        if ((want & PROC_F_IONICE) && tr->env.live) {
            int r = linux_ioprio_get_entry(tid, e);
            if (r == -ESRCH) {
                out->n--;
                continue;
            }
            if (r == 0)
                e->have |= PROC_F_IONICE;
        }
    }
    closedir(d);
    return true;
}

static void read_process(struct thread_reader *tr, const struct proc_entry *p, unsigned want,
                         struct thread_list *out)
{
    uint64_t clk = 0;
    bool have_clk = tr->env.live && process_clock(p->pid, &clk);
    const struct thread_proc *old = have_clk ? seen_proc(tr, p->pid) : NULL;
    if (old && old->start_ticks != p->start_ticks)
        old = NULL; /* another process behind the pid */
    size_t first = out->n;
    uint32_t next_full;
    bool due = old && tr->reads >= old->next_full;
    if (old && old->clock_ns == clk && !(want & (PROC_F_IO | PROC_F_IONICE)) &&
        (!due || nice_unchanged(tr, old))) {
        reuse_process(tr, p, old, out);
        next_full = due ? tr->reads + THR_FULL_EVERY : old->next_full;
    } else {
        if (!list_process(tr, p, want, out))
            return;
        /* the first full turns spread by pid, so a share of the processes comes each time */
        next_full = tr->reads + (old ? THR_FULL_EVERY : 1 + (unsigned)p->pid % THR_FULL_EVERY);
    }
    if (have_clk)
        note_process(tr, p, clk, next_full, out, first);
}

int thread_reader_read(struct thread_reader *tr, const struct proc_entry *procs, size_t n,
                       unsigned want, struct proc_entry **out, size_t *n_out)
{
    struct thread_list l = {0};
    tr->reads++;
    tr->next.n_procs = tr->next.threads.n = 0;
    for (size_t i = 0; i < n; i++) {
        const struct proc_entry *p = &procs[i];
        if (p->threads > 1 && !p->kernel_thread && !proc_entry_is_thread(p))
            read_process(tr, p, want, &l);
    }
    /* what this read saw is what the next one compares with */
    struct thread_seen t = tr->seen;
    tr->seen = tr->next;
    tr->next = t;
    *out = l.v;
    *n_out = l.n;
    return 0;
}

/* The whole of a small file through dirfd into tr->big (up to THR_CMDLINE_MAX). */
static ssize_t read_big(struct thread_reader *tr, int dirfd, const char *path)
{
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    ssize_t len = linux_read_all_fd(fd, &tr->big, &tr->big_cap, THR_CMDLINE_MAX);
    close(fd);
    return len;
}

static void fill_user(struct thread_reader *tr, int dfd, struct proc_entry *e)
{
    char buf[8192];
    struct proc_status_info s;
    ssize_t n = linux_read_file_at(dfd, "status", buf, sizeof(buf));
    if (n < 0 || proc_parse_status(buf, (size_t)n, &s) != 0)
        return;
    if (!tr->users)
        tr->users = user_cache_new();
    e->uid = s.uid[1]; /* effective, as for processes */
    e->user = user_cache_name(tr->users, e->uid);
    e->have |= PROC_F_USER;
}

static void fill_cmdline_exe(struct thread_reader *tr, int dfd, struct proc_entry *e, unsigned want)
{
    bool no_mm = e->kernel_thread || e->state == 'Z';
    if (want & PROC_F_CMDLINE) {
        ssize_t n = no_mm ? 0 : read_big(tr, dfd, "cmdline");
        vstr_unref(e->cmdline);
        e->cmdline = n > 0 ? vstr_new(tr->big, (size_t)n) : NULL;
        e->have |= PROC_F_CMDLINE;
    }
    if (want & PROC_F_EXE) {
        char buf[4096];
        ssize_t n = no_mm ? -1 : readlinkat(dfd, "exe", buf, sizeof(buf));
        vstr_unref(e->exe);
        e->exe = n > 0 && (size_t)n < sizeof(buf) ? vstr_new(buf, (size_t)n) : NULL;
        e->have |= PROC_F_EXE;
    }
}

int thread_reader_details(struct thread_reader *tr, struct proc_entry *e, unsigned want)
{
    if (!proc_entry_is_thread(e))
        return -EINVAL;
    char path[48];
    snprintf(path, sizeof(path), "%d/task/%d", (int)e->tgid, (int)e->pid);
    int dfd = openat(tr->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return gone(-errno) ? -ESRCH : -errno;
    char buf[1024];
    struct proc_stat_info st;
    ssize_t n = linux_read_file_at(dfd, "stat", buf, sizeof(buf));
    if (n < 0 || proc_parse_stat(buf, (size_t)n, &st) != 0 || st.pid != e->pid ||
        st.starttime != e->start_ticks) {
        close(dfd);
        return -ESRCH;
    }
    struct thread_proc *seen = seen_proc(tr, e->tgid);
    if (seen)
        seen->next_full = 0; /* a thread someone looks at: its nice checked at the next read */
    if (want & PROC_F_USER)
        fill_user(tr, dfd, e);
    fill_cmdline_exe(tr, dfd, e, want);
    if (want & PROC_F_IO)
        (void)read_io(dfd, "io", e);
    if ((want & PROC_F_IONICE) && tr->env.live && linux_ioprio_get_entry(e->pid, e) == 0)
        e->have |= PROC_F_IONICE;
    /* the descriptor is bound to the thread: a read that still works means it was there */
    n = linux_read_file_at(dfd, "stat", buf, sizeof(buf));
    close(dfd);
    return n < 0 ? -ESRCH : 0;
}

unsigned long thread_reader_listings(const struct thread_reader *tr)
{
    return tr->listings;
}
