/* Finding the processes: the whole directory listed with getdents64, or only the pids
 * handed out lately asked whether they are processes. */
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "platform/linux/proc_scan_int.h"
#include "probe/xalloc.h"

#define IN_FLIGHT 64 /* pids that may be handed out but not yet visible at one moment */

long proc_scan_find(const struct proc_scanner *sc, pid_t pid)
{
    size_t lo = 0, hi = sc->n_recs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sc->recs[mid]->pid < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sc->n_recs && sc->recs[lo]->pid == pid ? (long)lo : -1;
}

int proc_scan_cmp_pid(const void *a, const void *b)
{
    pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
    return (x > y) - (x < y);
}

void proc_scan_push_pid(pid_t **arr, size_t *n, size_t *cap, pid_t pid)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 1024;
        *arr = xreallocarray(*arr, *cap, sizeof(**arr));
    }
    (*arr)[(*n)++] = pid;
}

struct dirent64_hdr {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static int list_pids(struct proc_scanner *sc)
{
    sc->n_pids = 0;
    if (lseek(sc->dir_fd, 0, SEEK_SET) < 0)
        return -errno;
    proc_scan_grow(sc, 65536);
    bool sorted = true;
    for (;;) {
        long n = syscall(SYS_getdents64, sc->dir_fd, sc->big, sc->big_cap);
        if (n < 0)
            return -errno;
        if (n == 0)
            break;
        for (long off = 0; off < n;) {
            const struct dirent64_hdr *d = (const void *)(sc->big + off);
            off += d->d_reclen;
            const char *s = d->d_name;
            long pid = 0;
            while (*s >= '0' && *s <= '9' && pid < (1L << 30))
                pid = pid * 10 + (*s++ - '0');
            if (*s || s == d->d_name || pid <= 0 || pid >= (1L << 30))
                continue; /* not a process directory */
            if (sc->n_pids && sc->pids[sc->n_pids - 1] >= (pid_t)pid)
                sorted = false; /* or a duplicate, which a fixture could make ("7", "07") */
            proc_scan_push_pid(&sc->pids, &sc->n_pids, &sc->cap_pids, (pid_t)pid);
        }
    }
    if (!sorted) { /* procfs lists in pid order; a fixture on disk does not */
        qsort(sc->pids, sc->n_pids, sizeof(pid_t), proc_scan_cmp_pid);
        size_t w = 0;
        for (size_t i = 0; i < sc->n_pids; i++)
            if (w == 0 || sc->pids[i] != sc->pids[w - 1])
                sc->pids[w++] = sc->pids[i];
        sc->n_pids = w;
    }
    sc->stats.listings++;
    return 0;
}

/* Matches the listing against the records: new pids get records, records whose pid is
 * not listed any more are gone. */
static void merge_listing(struct proc_scanner *sc)
{
    struct proc_rec **out = xreallocarray(NULL, sc->n_pids ? sc->n_pids : 1, sizeof(*out));
    size_t i = 0, j = 0, k = 0;
    while (i < sc->n_recs || j < sc->n_pids) {
        if (j == sc->n_pids || (i < sc->n_recs && sc->recs[i]->pid < sc->pids[j])) {
            proc_scan_push_pid(&sc->dead, &sc->n_dead, &sc->cap_dead, sc->recs[i]->pid);
            proc_rec_free(sc, sc->recs[i++]);
        } else if (i == sc->n_recs || sc->pids[j] < sc->recs[i]->pid) {
            out[k++] = proc_rec_new(sc, sc->pids[j++]);
        } else {
            out[k++] = sc->recs[i++];
            j++;
        }
    }
    free(sc->recs);
    sc->recs = out;
    sc->n_recs = k;
    sc->cap_recs = sc->n_pids ? sc->n_pids : 1;
}

/* Adds records for the pids in sc->pids (sorted, none of them known yet). */
static void merge_new(struct proc_scanner *sc)
{
    size_t total = sc->n_recs + sc->n_pids;
    struct proc_rec **out = xreallocarray(NULL, total ? total : 1, sizeof(*out));
    size_t i = 0, j = 0, k = 0;
    while (i < sc->n_recs || j < sc->n_pids) {
        if (j == sc->n_pids || (i < sc->n_recs && sc->recs[i]->pid < sc->pids[j]))
            out[k++] = sc->recs[i++];
        else
            out[k++] = proc_rec_new(sc, sc->pids[j++]);
    }
    free(sc->recs);
    sc->recs = out;
    sc->n_recs = k;
    sc->cap_recs = total ? total : 1;
}

/* Every pid handed out since the refresh before last is in the cyclic range
 * (from, to]. Instead of listing the whole directory, ask each of them whether it is a
 * process: the process CPU clock exists only for a thread-group leader, so threads and
 * free pids answer EINVAL. The range overlaps the previous one on purpose: a pid handed
 * out just before we looked may have become visible only a moment later. Returns false
 * when the range is too wide to beat a listing. */
static bool probe_new_pids(struct proc_scanner *sc, pid_t from, pid_t to)
{
    long width = to >= from ? (long)to - from : (long)sc->pid_max - 1 - from + to;
    if (sc->pid_max <= 0 && to < from)
        return false;
    if (width > 64 + (long)sc->n_recs / 4) /* a probe costs about 2x a listed entry */
        return false;
    sc->n_pids = 0;
    bool sorted = true;
    pid_t p = from;
    for (long i = 0; i < width; i++) {
        p = p + 1 >= sc->pid_max && sc->pid_max > 0 ? 1 : p + 1;
        struct timespec ts;
        if (proc_scan_find(sc, p) >= 0 || clock_gettime(proc_cpuclock(p), &ts) != 0)
            continue;
        if (sc->n_pids && sc->pids[sc->n_pids - 1] > p)
            sorted = false;
        proc_scan_push_pid(&sc->pids, &sc->n_pids, &sc->cap_pids, p);
    }
    if (!sorted)
        qsort(sc->pids, sc->n_pids, sizeof(pid_t), proc_scan_cmp_pid);
    merge_new(sc);
    sc->stats.probes += (unsigned long)width;
    return true;
}

/* Finds new processes, by probing the pids handed out lately or by listing the root, and
 * forgets those no longer listed. */
int proc_scan_find_processes(struct proc_scanner *sc)
{
    bool list = sc->force_list || !sc->live || sc->run_source != RUN_CPUCLOCK || sc->refresh == 1 ||
                sc->refresh % (sc->full_every * LIST_EVERY) == 0;
    sc->force_list = false;
    char buf[128];
    struct proc_loadavg_info la;
    ssize_t n = sc->loadavg_fd >= 0 ? proc_scan_pread(sc->loadavg_fd, buf, sizeof(buf)) : -EBADF;
    if (n > 0 && proc_parse_loadavg(buf, (size_t)n, &la) == 0) {
        /* read before looking: a pid handed out after this is in the next range. Right
         * after the first listing there is no reading from the refresh before: the last
         * IN_FLIGHT pids before it stand in for the ones not yet visible then. */
        pid_t from = sc->n_last == 2 ? sc->last_pid[0] : sc->last_pid[1] - IN_FLIGHT;
        if (!list && sc->n_last >= 1 && probe_new_pids(sc, from > 0 ? from : 0, la.last_pid)) {
            /* probed */
        } else {
            list = true;
        }
        sc->last_pid[0] = sc->last_pid[1];
        sc->last_pid[1] = la.last_pid;
        sc->n_last = sc->n_last < 2 ? sc->n_last + 1 : 2;
    } else {
        list = true;
        sc->n_last = 0;
    }
    if (!list)
        return 0;
    int err = list_pids(sc);
    if (err)
        return err;
    merge_listing(sc);
    return 0;
}
