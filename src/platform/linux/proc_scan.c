/* The process scanner: every process under the /proc root, fast enough for 10,000 of them.
 *
 * What makes a refresh cheap (issue 2, "Speed"). On the machines measured a syscall costs
 * about 2 us, so a refresh costs what it asks the kernel per process:
 * - One question per process per refresh: did it run? The process CPU clock
 *   (clock_gettime on the pid's CPU-time clock) answers in one syscall for all its
 *   threads, cheaper than a pread of /proc/PID/schedstat and, unlike schedstat, not
 *   only for the leader thread. stat and statm are read only when it moved, when the
 *   record is new or was asked for in detail, or on the process's full turn.
 * - Full turns are staggered by pid: each process gets one every full_pass_every
 *   refreshes, a quarter of them each time with the default 4, so no refresh pays for
 *   all. A full turn re-reads statm (memory changes while a process sleeps); every
 *   NICE_EVERY-th one also checks nice with getpriority() (another process may renice a
 *   sleeper) and re-reads stat when it changed. ppid changes when a parent dies: children
 *   of a process that vanished or turned zombie are re-read at once.
 * - Per-process descriptors stay open across refreshes and are re-read with pread at
 *   offset 0: statm for every process, stat for those that keep running. A kept
 *   descriptor is bound to its process, not to the pid: once the process is gone it
 *   answers ESRCH, so pid reuse can never leak another process's data into a record.
 *   Kept descriptors live at or above FD_FLOOR so the low numbers stay free for select()
 *   users, within a budget under the RLIMIT_NOFILE soft limit (raised to the hard limit
 *   at start); beyond it, files are opened, read and closed each time. Each costs about
 *   4 KiB of kernel memory (its seq_file buffer): 10,000 processes, some 45 MB.
 * - The directory is listed (getdents64) every LIST_EVERY full passes. In between, new
 *   processes are found from /proc/loadavg's last pid: only the pids handed out since
 *   the last refreshes can be new, and each is asked through its CPU clock (see
 *   proc_find.c); processes that went away fail their next read.
 * - Only when someone asks for them: cmdline and exe are read once per identity (again
 *   when comm changes: an exec); I/O counters and the uid again only after the process
 *   ran (nothing else moves them), ionice also when nice is looked at again.
 * - Memory: what was read of a process (state, times, memory, name) is kept once, in the
 *   block of entries handed out last, which the snapshot shares (refcounted); a record
 *   holds only the scanner's own state and its slot there. When nobody else holds that
 *   block (the UI lets go of its snapshot before sampling), the next refresh writes it
 *   again in place: no second copy, no fresh pages to fault in each refresh.
 * - The first two refreshes open a file of every process (stat, then statm) and run on
 *   up to four threads (refresh_all), which brings the first frame sooner.
 * Over a fixture tree (not procfs) there is no kernel to ask: schedstat files are the
 * run counter (as on a kernel without CPU clocks, where only the leader thread counts, so
 * multi-threaded processes get stat every time), the directory is listed every time and
 * ionice is not filled. */
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "platform/linux/proc_scan_int.h"
#include "probe/xalloc.h"

static const char *const pfile_name[PF_COUNT] = {"schedstat", "stat", "statm"};

void proc_scan_grow(struct proc_scanner *sc, size_t need)
{
    if (sc->big_cap >= need)
        return;
    sc->big_cap = need;
    sc->big = xrealloc(sc->big, need);
}

/* One pread at offset 0: a seq_file fills the whole record in one go, and a second call
 * would make the kernel format it again. Only a full buffer calls for more. */
ssize_t proc_scan_pread(int fd, char *buf, size_t cap)
{
    size_t len = 0;
    while (len < cap) {
        ssize_t r = pread(fd, buf + len, cap - len, (off_t)len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (r == 0)
            break;
        len += (size_t)r;
        if (len < cap)
            break;
    }
    return (ssize_t)len;
}

static void release_kept(struct proc_scanner *sc);

int proc_scan_open(struct proc_scanner *sc, const char *path)
{
    int fd = openat(sc->proc_fd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 && (errno == EMFILE || errno == ENFILE) && sc->fd_kept > 0) {
        release_kept(sc); /* we misjudged what the rest of vigil needs: give it all back */
        fd = openat(sc->proc_fd, path, O_RDONLY | O_CLOEXEC);
    }
    return fd < 0 ? -errno : fd;
}

static int keep_fd(struct proc_scanner *sc, int fd)
{
    if (sc->fd_floor > 0 && fd < sc->fd_floor) {
        int hi = fcntl(fd, F_DUPFD_CLOEXEC, sc->fd_floor);
        close(fd);
        return hi;
    }
    return fd;
}

/* Whether a descriptor for file f may stay open. When they cannot all stay, schedstat
 * (read every refresh, when it is the run counter) comes first, then statm (every full
 * turn), then stat (only when a process ran): room is held back for every process's
 * schedstat, then statm. */
static bool may_keep(const struct proc_scanner *sc, enum pfile f)
{
    long lacking_sched = (long)sc->n_recs - sc->kept[PF_SCHEDSTAT];
    long lacking_statm = (long)sc->n_recs - sc->kept[PF_STATM];
    long reserve = 0;
    if (f != PF_SCHEDSTAT && sc->run_source == RUN_SCHEDSTAT)
        reserve += lacking_sched > 0 ? lacking_sched : 0;
    if (f == PF_STAT)
        reserve += lacking_statm > 0 ? lacking_statm : 0;
    return sc->fd_kept + reserve < sc->fd_budget;
}

/* Each kept descriptor pins about 4 KiB of kernel memory (the seq_file buffer), so stat,
 * read only when a process ran, stays open only for processes that keep running (it ran
 * at the previous refresh too) or that someone is looking at. */
static bool worth_keeping(const struct proc_scanner *sc, const struct proc_rec *r, enum pfile f)
{
    return f != PF_STAT || r->dirty || (r->ran_at && r->ran_at + 1 >= sc->refresh);
}

/* Reads rec's file f: pread on the kept descriptor, else open, read and keep the
 * descriptor if it is worth it and the budget allows. Returns the length or -errno. */
static ssize_t rec_read(struct proc_scanner *sc, struct proc_rec *r, enum pfile f, char *buf,
                        size_t cap)
{
    if (r->fd[f] >= 0) {
        sc->stats.preads++;
        return proc_scan_pread(r->fd[f], buf, cap);
    }
    char path[48];
    snprintf(path, sizeof(path), "%d/%s", (int)r->pid, pfile_name[f]);
    int fd = proc_scan_open(sc, path);
    if (fd < 0)
        return fd;
    sc->stats.opens++;
    ssize_t n = proc_scan_pread(fd, buf, cap);
    if (n >= 0 && worth_keeping(sc, r, f) && may_keep(sc, f)) {
        r->fd[f] = keep_fd(sc, fd);
        if (r->fd[f] >= 0) {
            sc->fd_kept++;
            sc->kept[f]++;
        }
    } else {
        close(fd);
    }
    return n;
}

void proc_scan_close_fds(struct proc_scanner *sc, struct proc_rec *r)
{
    for (int f = 0; f < PF_COUNT; f++) {
        if (r->fd[f] >= 0) {
            close(r->fd[f]);
            r->fd[f] = -1;
            sc->fd_kept--;
            sc->kept[f]--;
        }
    }
}

static void release_kept(struct proc_scanner *sc)
{
    for (size_t i = 0; i < sc->n_recs; i++)
        proc_scan_close_fds(sc, sc->recs[i]);
    sc->fd_budget /= 2;
}

static void apply_stat(struct proc_scanner *sc, struct proc_rec *r, struct proc_entry *e,
                       const struct proc_stat_info *st)
{
    if (!r->fresh && (st->comm_len != strlen(e->name) || memcmp(st->comm, e->name, st->comm_len)))
        proc_rec_drop_identity(r); /* comm changes on exec: the command line did too */
    linux_entry_from_stat(e, st, sc->clk_tck);
    r->start_ticks = st->starttime;
    e->start_time = sc->btime + (double)st->starttime / (double)sc->clk_tck;
}

static int read_stat(struct proc_scanner *sc, struct proc_rec *r, struct proc_stat_info *st)
{
    char buf[HOT_BUF];
    ssize_t n = rec_read(sc, r, PF_STAT, buf, sizeof(buf));
    if (n < 0)
        return (int)n;
    sc->stats.stat_reads++;
    if (proc_parse_stat(buf, (size_t)n, st) || st->pid != r->pid)
        return -EINVAL;
    return 0;
}

/* Is rec still the process it was? Reads stat again (kept descriptor or path) and
 * compares the start time; st gets the fresh values. */
int proc_rec_check(struct proc_scanner *sc, struct proc_rec *r, struct proc_stat_info *st)
{
    int err = read_stat(sc, r, st);
    if (err)
        return is_gone(err) ? -ESRCH : err;
    return st->starttime == r->start_ticks ? 0 : -ESRCH;
}

/* A reading of the "did it run" counter: the slices only for schedstat (0 otherwise). */
struct run_reading {
    uint64_t ns;
    uint32_t slices; /* low bits: only compared with the last reading */
};

static void rec_set_run(struct proc_rec *r, const struct run_reading *run)
{
    r->run = run->ns;
    r->run_slices = run->slices;
    r->have_run = true;
}

/* Reads rec's run counter into run. -ENODATA when this record has none (a fixture
 * process without schedstat); -ESRCH/-ENOENT when the process is gone. */
static int read_run(struct proc_scanner *sc, struct proc_rec *r, struct run_reading *run)
{
    if (sc->run_source == RUN_CPUCLOCK) {
        struct timespec ts;
        if (clock_gettime(proc_cpuclock(r->pid), &ts) != 0)
            return errno == EINVAL ? -ESRCH : -errno; /* EINVAL: no process has this pid */
        run->ns = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
        run->slices = 0;
        return 0;
    }
    if (sc->run_source != RUN_SCHEDSTAT || r->no_sched)
        return -ENODATA;
    char buf[128];
    ssize_t n = rec_read(sc, r, PF_SCHEDSTAT, buf, sizeof(buf));
    if (n == -ENOENT && !sc->live && r->fresh) {
        r->no_sched = true; /* a fixture without the file; stat decides if it is gone */
        return -ENODATA;
    }
    if (n < 0)
        return (int)n;
    struct proc_schedstat_info ss;
    if (proc_parse_schedstat(buf, (size_t)n, &ss))
        return -EINVAL;
    run->ns = ss.run_ns;
    run->slices = (uint32_t)ss.slices;
    return 0;
}

/* Brings e, rec's entry holding the hot fields as last read, up to date. Returns 0, or
 * -errno when the process is gone (-ESRCH/-ENOENT) or its files do not parse: the caller
 * drops it either way. */
static int rec_refresh(struct proc_scanner *sc, struct proc_rec *r, struct proc_entry *e,
                       bool *turned_zombie)
{
    char buf[HOT_BUF];
    bool full = r->fresh || sc->refresh >= r->next_full;
    bool ran = r->fresh;
    /* schedstat speaks for the leader thread only: trust it for single-threaded ones */
    bool need_stat = r->fresh || r->dirty || (sc->run_source == RUN_SCHEDSTAT && e->threads != 1);
    /* a path read of schedstat may be another process's: stat's start time decides */
    if (sc->run_source == RUN_SCHEDSTAT && r->fd[PF_SCHEDSTAT] < 0)
        need_stat = true;
    ssize_t n;

    struct run_reading run = {0, 0};
    /* The quick first pass reads stat anyway and skips the "did it run" counter (a CPU
     * clock costs a fifth of what stat does): the next refresh, without a reading to
     * compare with, reads stat again, so nothing that ran in between goes unseen. */
    bool no_run = sc->quick && r->fresh && sc->run_source == RUN_CPUCLOCK;
    int err_run = no_run ? -ENODATA : read_run(sc, r, &run), err;
    if (err_run == -ENODATA) {
        need_stat = true;
    } else if (err_run) {
        return err_run;
    } else {
        if (!r->have_run || run.ns != r->run || run.slices != r->run_slices)
            ran = true;
        rec_set_run(r, &run);
    }
    need_stat |= ran;
    /* what another process may change in a sleeper (nice, ionice) is looked at again */
    bool look_again = full && r->turns % NICE_EVERY == 0;
    if (look_again && !need_stat) {
        if (sc->live) {
            /* the one thing another process changes in a sleeper's stat: its nice (the
             * rows the UI shows get a fresh stat anyway: proc_scanner_details marks them) */
            errno = 0;
            int prio = getpriority(PRIO_PROCESS, (id_t)r->pid);
            if (prio == -1 && errno)
                return -errno;
            need_stat = prio != e->nice;
        } else {
            need_stat = true;
        }
    }
    if (need_stat) {
        struct proc_stat_info st;
        err = read_stat(sc, r, &st);
        if (err)
            return err;
        if (!r->fresh && st.starttime != r->start_ticks) {
            /* a new process behind an old pid: nothing cached applies */
            proc_rec_reset(sc, r);
            full = ran = true;
            if (err_run == 0 && sc->run_source == RUN_CPUCLOCK) {
                rec_set_run(r, &run); /* read by pid: the new process's */
            }
        }
        if (r->fresh || e->state != st.state || (st.utime + st.stime != e->utime + e->stime))
            ran = true; /* the multi-threaded, no-schedstat and dirty cases */
        *turned_zombie = !r->fresh && st.state == 'Z' && e->state != 'Z';
        apply_stat(sc, r, e, &st);
        if (sc->quick && r->fresh) {
            /* stat's vsize and rss are statm's size and resident; shared waits */
            e->vms = st.vsize;
            e->rss = st.rss_pages * (uint64_t)sc->page_size;
            e->shared = 0;
            r->statm_due = true;
        }
    }
    if ((ran || full || r->statm_due) && !(sc->quick && r->statm_due)) {
        struct proc_statm_info m;
        n = rec_read(sc, r, PF_STATM, buf, sizeof(buf));
        if (n < 0)
            return (int)n;
        sc->stats.statm_reads++;
        if (proc_parse_statm(buf, (size_t)n, sc->page_size, &m))
            return -EINVAL;
        e->vms = m.size;
        e->rss = m.resident;
        e->shared = m.shared;
        r->statm_due = false;
    }
    if (ran)
        r->ran_at = sc->refresh;
    if (need_stat || look_again)
        r->moved_at = sc->refresh;
    if (full) {
        if (r->more && r->more->uid_read &&
            r->more->uid_at < r->ran_at) { /* setuid needs the process to run */
            err = proc_scan_read_uid(sc, r);
            if (is_gone(err))
                return err;
        }
        /* first turn spread by pid so a quarter (with 4) of the processes come each time */
        r->turns++;
        r->next_full =
            sc->refresh + (r->fresh ? 1 + (unsigned)r->pid % sc->full_every : sc->full_every);
    }
    r->fresh = false;
    r->dirty = false;
    return 0;
}

/* Drops records[i] and entries[i] for which keep[i] is false, keeping order. */
static void compact(struct proc_scanner *sc, const bool *keep, struct proc_entry *entries)
{
    size_t w = 0;
    for (size_t i = 0; i < sc->n_recs; i++) {
        if (keep[i]) {
            if (w != i)
                entries[w] = entries[i];
            sc->recs[w++] = sc->recs[i];
        } else {
            proc_entry_done(&entries[i]);
            proc_rec_free(sc, sc->recs[i]);
        }
    }
    sc->n_recs = w;
}

static void refresh_one(struct proc_scanner *sc, size_t i, struct proc_entry *e, bool *keep)
{
    struct proc_rec *r = sc->recs[i];
    if (r->fresh) /* set here, not in prepare_entries: the first refresh's 2.4 MB of new
                   * entries are first touched by each worker, on every CPU at once */
        proc_scan_entry_init(r, e);
    bool zombie = false;
    bool had_fds = r->fd[PF_SCHEDSTAT] >= 0 || r->fd[PF_STAT] >= 0 || r->fd[PF_STATM] >= 0;
    int err = rec_refresh(sc, r, e, &zombie);
    if (err == -ESRCH && had_fds) {
        /* a kept descriptor outlived its process; the pid may have a new one already */
        proc_rec_reset(sc, r);
        err = rec_refresh(sc, r, e, &zombie);
    }
    keep[i] = err == 0;
    if (err || zombie)
        proc_scan_push_pid(&sc->dead, &sc->n_dead, &sc->cap_dead, r->pid);
    if (err && !is_gone(err))
        sc->force_list = true; /* not gone, just unreadable now: look again next time */
}

static void refresh_range(struct proc_scanner *sc, struct proc_entry *ent, bool *keep, size_t lo,
                          size_t hi)
{
    for (size_t i = lo; i < hi; i++)
        refresh_one(sc, i, &ent[i], keep);
}

/* The first two refreshes open a file of every process: the first its stat, the second
 * its statm (the first took memory from stat). At 10,000 processes that is some 200 ms,
 * nearly all of it the kernel's path lookups and dentries for /proc/PID, which split over
 * the CPUs brings the first frame sooner. Each worker refreshes a contiguous range of
 * records (no two touch the same record or entry) with a private copy of the scanner for
 * what a refresh writes besides: counters, scratch buffer, the dead list. Workers keep no
 * descriptors (the budget and release_kept() are the whole scanner's): later refreshes
 * keep them as processes come to their full turn. */
#ifndef PAR_MIN_RECS      /* (a build may set it, to compare) */
#define PAR_MIN_RECS 2048 /* below this a thread costs more than it saves */
#endif
#define PAR_MAX 4

struct par_job {
    struct proc_scanner w;
    struct proc_entry *ent;
    bool *keep;
    size_t lo, hi;
    pthread_t th;
    bool started;
};

static void *par_main(void *arg)
{
    struct par_job *j = arg;
    refresh_range(&j->w, j->ent, j->keep, j->lo, j->hi);
    return NULL;
}

static unsigned par_workers(const struct proc_scanner *sc)
{
    if (!sc->live || sc->run_source != RUN_CPUCLOCK || sc->refresh > 2 || sc->n_recs < PAR_MIN_RECS)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned n = cpus > PAR_MAX ? PAR_MAX : cpus > 1 ? (unsigned)cpus : 1;
    while (n > 1 && sc->n_recs / n < PAR_MIN_RECS / 2)
        n--;
    return n;
}

static void refresh_all(struct proc_scanner *sc, struct proc_entry *ent, bool *keep)
{
    unsigned n = par_workers(sc);
    if (n <= 1) {
        refresh_range(sc, ent, keep, 0, sc->n_recs);
        return;
    }
    struct par_job jobs[PAR_MAX];
    for (unsigned k = 0; k < n; k++) {
        struct par_job *j = &jobs[k];
        j->w = *sc;
        memset(&j->w.stats, 0, sizeof(j->w.stats));
        j->w.fd_kept = 0;
        j->w.fd_budget = 0;
        memset(j->w.kept, 0, sizeof(j->w.kept));
        j->w.big = NULL;
        j->w.big_cap = 0;
        j->w.dead = NULL;
        j->w.n_dead = j->w.cap_dead = 0;
        j->w.force_list = false;
        j->ent = ent;
        j->keep = keep;
        j->lo = sc->n_recs * k / n;
        j->hi = sc->n_recs * (k + 1) / n;
        j->started = k > 0 && pthread_create(&j->th, NULL, par_main, j) == 0;
    }
    for (unsigned k = 0; k < n; k++) {
        struct par_job *j = &jobs[k];
        if (j->started)
            pthread_join(j->th, NULL);
        else
            par_main(j); /* the first range, and any whose thread could not start */
    }
    for (unsigned k = 0; k < n; k++) {
        struct proc_scanner *w = &jobs[k].w;
        sc->stats.opens += w->stats.opens;
        sc->stats.preads += w->stats.preads;
        sc->stats.stat_reads += w->stats.stat_reads;
        sc->stats.statm_reads += w->stats.statm_reads;
        sc->fd_kept += w->fd_kept; /* only closes: rec_reset of a reused pid */
        for (int f = 0; f < PF_COUNT; f++)
            sc->kept[f] += w->kept[f];
        sc->force_list |= w->force_list;
        for (size_t i = 0; i < w->n_dead; i++)
            proc_scan_push_pid(&sc->dead, &sc->n_dead, &sc->cap_dead, w->dead[i]);
        free(w->dead);
        free(w->big);
    }
}

int proc_scanner_read(struct proc_scanner *sc, unsigned want, struct proc_block **out)
{
    *out = NULL;
    sc->refresh++;
    sc->n_dead = 0;
    int err = proc_scan_find_processes(sc);
    if (err)
        return err;

    struct proc_block *blk = proc_scan_target_block(sc);
    proc_scan_prepare_entries(sc, blk);
    struct proc_entry *ent = blk->e;
    bool *keep = xmalloc((sc->n_recs ? sc->n_recs : 1) * sizeof(bool));
    refresh_all(sc, ent, keep);
    compact(sc, keep, ent);
    if (sc->n_dead) {
        /* their children were reparented: ppid changed while the children slept */
        qsort(sc->dead, sc->n_dead, sizeof(pid_t), proc_scan_cmp_pid);
        for (size_t i = 0; i < sc->n_recs; i++) {
            struct proc_rec *r = sc->recs[i];
            keep[i] = true;
            if (bsearch(&ent[i].ppid, sc->dead, sc->n_dead, sizeof(pid_t), proc_scan_cmp_pid)) {
                r->dirty = true;
                size_t before = sc->n_dead;
                refresh_one(sc, i, &ent[i], keep);
                sc->n_dead = before; /* one level is enough: grandchildren did not move */
            }
        }
        compact(sc, keep, ent);
    }

    sc->quick = false; /* only the first pass */
    for (size_t i = 0; i < sc->n_recs; i++) {
        struct proc_rec *r = sc->recs[i];
        keep[i] = proc_scan_fill_wanted(sc, r, &ent[i], want, ent[i].state, ent[i].kernel_thread,
                                        false) == 0;
    }
    compact(sc, keep, ent);
    free(keep);
    for (size_t i = 0; i < sc->n_recs; i++)
        sc->recs[i]->slot = (uint32_t)i;
    blk->n = sc->n_recs;
    if (blk != sc->last) {
        proc_block_unref(sc->last);
        sc->last = blk;
    }
    *out = proc_block_ref(blk);
    sc->stats.kept_fds = sc->fd_kept;
    sc->stats.fd_budget = sc->fd_budget;
    return 0;
}

static struct proc_rec *find_rec(struct proc_scanner *sc, pid_t pid)
{
    long i = proc_scan_find(sc, pid);
    return i >= 0 ? sc->recs[i] : NULL;
}

int proc_scanner_details(struct proc_scanner *sc, struct proc_entry *e, unsigned want)
{
    struct proc_rec *r = find_rec(sc, e->pid);
    struct proc_rec *tmp = NULL;
    if (r && r->start_ticks != e->start_ticks)
        return -ESRCH; /* the scanner already knows a newer process at this pid */
    if (!r) {
        tmp = r = proc_rec_new(sc, e->pid); /* a process this scanner has not listed (yet) */
        r->start_ticks = e->start_ticks;
    }
    struct proc_stat_info st;
    int err = proc_rec_check(sc, r, &st);
    if (!err) {
        struct proc_entry t;
        proc_scan_entry_from(e, &t);
        err = proc_scan_fill_wanted(sc, r, &t, want, st.state, (st.flags & PROC_PF_KTHREAD) != 0,
                                    true);
        if (!err) {
            if (t.have & (PROC_F_CMDLINE | PROC_F_EXE)) {
                if (t.have & PROC_F_CMDLINE) {
                    vstr_unref(e->cmdline);
                    e->cmdline = vstr_ref(t.cmdline);
                }
                if (t.have & PROC_F_EXE) {
                    vstr_unref(e->exe);
                    e->exe = vstr_ref(t.exe);
                }
            }
            if (t.have & PROC_F_USER) {
                e->uid = t.uid;
                e->user = t.user;
            }
            if (t.have & PROC_F_IO) {
                e->io_read_bytes = t.io_read_bytes;
                e->io_write_bytes = t.io_write_bytes;
            }
            if (t.have & PROC_F_IONICE) {
                e->ionice_class = t.ionice_class;
                e->ionice_level = t.ionice_level;
            }
            e->have |= t.have;
        }
        proc_entry_done(&t);
        if (!tmp)
            r->dirty = true; /* a row someone looks at: fresh stat on the next refresh */
    }
    proc_rec_free(sc, tmp);
    return is_gone(err) ? -ESRCH : err;
}

static void setup_fd_budget(struct proc_scanner *sc)
{
    struct rlimit rl;
    long soft = 1024;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rlim_t want = FD_FLOOR + FD_BUDGET_MAX + FD_HEADROOM;
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < want)
            want = rl.rlim_max;
        if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < want) {
            struct rlimit nl = {.rlim_cur = want, .rlim_max = rl.rlim_max};
            if (setrlimit(RLIMIT_NOFILE, &nl) == 0)
                rl.rlim_cur = want;
        }
        soft = rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > (rlim_t)1 << 30 ? 1L << 30
                                                                             : (long)rl.rlim_cur;
    }
    if (soft >= 2 * FD_FLOOR) {
        sc->fd_floor = FD_FLOOR;
        sc->fd_budget = soft - FD_FLOOR - FD_HEADROOM;
    } else {
        /* no room above the select() range: keep a few, well below the limit */
        sc->fd_floor = 0;
        sc->fd_budget = soft - 2 * FD_HEADROOM;
    }
    if (sc->fd_budget > FD_BUDGET_MAX)
        sc->fd_budget = FD_BUDGET_MAX;
    if (sc->fd_budget < 0)
        sc->fd_budget = 0;
}

static bool root_is_live(int proc_fd)
{
    struct statfs sf;
    if (fstatfs(proc_fd, &sf) != 0 || sf.f_type != PROC_SUPER_MAGIC)
        return false;
    char self[32];
    ssize_t n = readlinkat(proc_fd, "self", self, sizeof(self) - 1);
    if (n <= 0)
        return false; /* a procfs of another pid namespace: pids are not ours */
    self[n] = '\0';
    return strtol(self, NULL, 10) == (long)getpid();
}

struct proc_scanner *proc_scanner_new(int proc_fd, const struct probe_config *cfg, int *err)
{
    struct proc_scanner *sc = xcalloc(1, sizeof(*sc));
    sc->proc_fd = proc_fd;
    sc->loadavg_fd = -1;
    sc->dir_fd = openat(proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (sc->dir_fd < 0) {
        *err = -errno;
        free(sc);
        return NULL;
    }
    sc->clk_tck = cfg->clk_tck > 0 ? cfg->clk_tck : 100;
    sc->page_size = cfg->page_size > 0 ? cfg->page_size : 4096;
    sc->full_every = cfg->full_pass_every > 0 ? cfg->full_pass_every : 1;
    sc->quick = cfg->quick_first;
    sc->users = user_cache_new();
    sc->live = root_is_live(proc_fd);

    proc_scan_grow(sc, 65536);
    struct proc_sys_stat_info ss;
    ssize_t n = linux_read_file_at(proc_fd, "stat", sc->big, sc->big_cap);
    if (n >= 0 && proc_parse_sys_stat(sc->big, (size_t)n, &ss) == 0)
        sc->btime = (double)ss.btime;

    sc->run_source = RUN_SCHEDSTAT; /* fixtures: their schedstat files */
    if (sc->live) {
        sc->loadavg_fd = openat(proc_fd, "loadavg", O_RDONLY | O_CLOEXEC);
        n = linux_read_file_at(proc_fd, "sys/kernel/pid_max", sc->big, 64);
        if (n > 0)
            sc->pid_max = (pid_t)strtol(sc->big, NULL, 10);
        struct timespec ts;
        struct proc_schedstat_info me;
        if (clock_gettime(proc_cpuclock(getpid()), &ts) == 0 && (ts.tv_sec || ts.tv_nsec)) {
            sc->run_source = RUN_CPUCLOCK;
        } else {
            /* a kernel without schedstats answers "0 0 0" for everyone, us included */
            n = linux_read_file_at(proc_fd, "thread-self/schedstat", sc->big, sc->big_cap);
            if (n < 0 || proc_parse_schedstat(sc->big, (size_t)n, &me) || me.run_ns == 0)
                sc->run_source = RUN_NONE;
        }
    }
    setup_fd_budget(sc);
    *err = 0;
    return sc;
}

void proc_scanner_free(struct proc_scanner *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n_recs; i++)
        proc_rec_free(sc, sc->recs[i]);
    proc_block_unref(sc->last);
    proc_rec_slab_free(sc);
    free(sc->recs);
    free(sc->pids);
    free(sc->dead);
    free(sc->big);
    if (sc->dir_fd >= 0)
        close(sc->dir_fd);
    if (sc->loadavg_fd >= 0)
        close(sc->loadavg_fd);
    user_cache_free(sc->users);
    free(sc);
}

void proc_scanner_get_stats(const struct proc_scanner *sc, struct proc_scanner_stats *out)
{
    *out = sc->stats;
}
