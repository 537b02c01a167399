/* Probe orchestration: asks the platform for raw values, then computes every rate from
 * the previous sample's compact history (times, identities, counters), never from the
 * whole previous snapshot, so a caller may free snapshots in any order. */
#include "probe/probe.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe/delta.h"
#include "probe/details.h"
#include "probe/net_delta.h"
#include "probe/platform.h"
#include "probe/xalloc.h"

struct cpu_hist {
    int id;
    struct cpu_times times;
};

struct probe {
    struct probe_config cfg;
    struct platform *pf;

    /* the previous sample, as much of it as rates need */
    bool have_prev;
    double prev_mono;
    double prev_uptime;
    double prev_self_cpu;
    struct cpu_times prev_total;
    struct cpu_hist *prev_cpus; /* sorted by id */
    size_t n_prev_cpus;
    struct proc_history prev_procs;   /* sorted by pid */
    bool have_prev_threads;           /* the previous sample read threads */
    struct proc_history prev_threads; /* sorted by pid (the TID) */
    struct iface *prev_ifaces;        /* counters only: addrs NULL */
    size_t n_prev_ifaces;
};

void probe_config_default(struct probe_config *cfg)
{
    cfg->proc_root = "/proc";
    cfg->sys_root = "/sys";
    cfg->clk_tck = sysconf(_SC_CLK_TCK);
    cfg->page_size = sysconf(_SC_PAGESIZE);
    cfg->want = 0;
    cfg->want_procs = true;
    cfg->want_ifaces = true;
    cfg->full_pass_every = 4;
    cfg->quick_first = false;
    cfg->want_threads = false;
}

struct probe *probe_new(const struct probe_config *cfg, int *err)
{
    struct probe *p = xcalloc(1, sizeof(*p));
    p->cfg = *cfg;
    if (!p->cfg.proc_root)
        p->cfg.proc_root = "/proc";
    if (!p->cfg.sys_root)
        p->cfg.sys_root = "/sys";
    if (p->cfg.clk_tck <= 0)
        p->cfg.clk_tck = sysconf(_SC_CLK_TCK);
    if (p->cfg.page_size <= 0)
        p->cfg.page_size = sysconf(_SC_PAGESIZE);
    if (p->cfg.clk_tck <= 0) /* sysconf cannot fail for these on Linux; USER_HZ is 100 */
        p->cfg.clk_tck = 100;
    p->pf = platform_new(&p->cfg, err);
    if (!p->pf) {
        free(p);
        return NULL;
    }
    *err = 0;
    return p;
}

void probe_free(struct probe *p)
{
    if (!p)
        return;
    platform_free(p->pf);
    free(p->prev_cpus);
    proc_history_clear(&p->prev_procs);
    proc_history_clear(&p->prev_threads);
    free(p->prev_ifaces);
    free(p);
}

static double clock_seconds(clockid_t id)
{
    struct timespec ts;
    if (clock_gettime(id, &ts) != 0)
        return 0;
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cpu_hist_cmp(const void *a, const void *b)
{
    const struct cpu_hist *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/* CPUs are matched by id: one may go offline between samples (hotplug). */
static void cpu_rates(struct probe *p, struct cpu_info *cpu)
{
    cpu_pct_compute(p->have_prev ? &p->prev_total : NULL, &cpu->total.times, &cpu->total.pct);
    for (size_t i = 0; i < cpu->n_cpu; i++) {
        struct cpu_hist key = {.id = cpu->per_cpu[i].id};
        const struct cpu_hist *h =
            p->have_prev ? bsearch(&key, p->prev_cpus, p->n_prev_cpus, sizeof(key), cpu_hist_cmp)
                         : NULL;
        cpu_pct_compute(h ? &h->times : NULL, &cpu->per_cpu[i].times, &cpu->per_cpu[i].pct);
    }
    p->prev_total = cpu->total.times;
    p->prev_cpus = xreallocarray(p->prev_cpus, cpu->n_cpu ? cpu->n_cpu : 1, sizeof(*p->prev_cpus));
    for (size_t i = 0; i < cpu->n_cpu; i++) {
        p->prev_cpus[i].id = cpu->per_cpu[i].id;
        p->prev_cpus[i].times = cpu->per_cpu[i].times;
    }
    p->n_prev_cpus = cpu->n_cpu;
    qsort(p->prev_cpus, p->n_prev_cpus, sizeof(*p->prev_cpus), cpu_hist_cmp);
}

static int proc_pid_cmp(const void *a, const void *b)
{
    const struct proc_entry *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

static void sample_procs(struct probe *p, struct snapshot *out)
{
    struct proc_block *blk = NULL;
    if (platform_read_procs(p->pf, p->cfg.want, &blk) < 0) {
        /* degrade to "no process list" rather than trusting a partial one */
        proc_block_unref(blk);
        blk = NULL;
    }
    struct proc_entry *procs = blk ? blk->e : NULL;
    size_t n = blk ? blk->n : 0;
    for (size_t i = 0; i < n; i++)
        procs[i].tgid = 0; /* processes, not thread rows (snapshot.h) */
    /* the platform promises pid order; the merge walk in delta.c depends on it */
    for (size_t i = 1; i < n; i++) {
        if (procs[i - 1].pid > procs[i].pid) {
            qsort(procs, n, sizeof(*procs), proc_pid_cmp);
            break;
        }
    }
    struct proc_delta_ctx ctx = {
        .prev = p->have_prev ? &p->prev_procs : NULL,
        .dt = out->interval,
        .prev_uptime = p->prev_uptime,
        .clk_tck = p->cfg.clk_tck,
        .mem_total = out->mem.total,
    };
    proc_rates_compute(&ctx, procs, n);
    task_counts_compute(procs, n, &out->tasks);
    out->procs = procs;
    out->n_procs = n;
    out->procs_block = blk;

    proc_history_take(&p->prev_procs, procs, n);
}

/* Threads of the processes just read; their rates from the threads' own history. */
static void sample_threads(struct probe *p, struct snapshot *out)
{
    struct proc_entry *thr = NULL;
    size_t n = 0;
    if (platform_read_threads(p->pf, out->procs, out->n_procs, p->cfg.want, &thr, &n) < 0) {
        for (size_t i = 0; thr && i < n; i++)
            proc_entry_done(&thr[i]);
        free(thr);
        thr = NULL;
        n = 0;
    }
    /* a thread runs as its process's user: borrow the name the scanner looked up */
    const struct proc_entry *owner = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!owner || owner->pid != thr[i].tgid)
            owner = snapshot_find_proc(out, thr[i].tgid);
        if (owner && (owner->have & PROC_F_USER) && !(thr[i].have & PROC_F_USER)) {
            thr[i].uid = owner->uid;
            thr[i].user = owner->user;
            thr[i].have |= PROC_F_USER;
        }
    }
    bool prev = p->have_prev && p->have_prev_threads;
    struct proc_delta_ctx ctx = {
        .prev = prev ? &p->prev_threads : NULL,
        .dt = out->interval,
        .prev_uptime = p->prev_uptime,
        .clk_tck = p->cfg.clk_tck,
        .mem_total = out->mem.total,
    };
    thread_rates_compute(&ctx, thr, n);
    out->threads = thr;
    out->n_threads = n;

    proc_history_take(&p->prev_threads, thr, n);
    proc_history_sort(&p->prev_threads);
    p->have_prev_threads = true;
}

static void sample_ifaces(struct probe *p, struct snapshot *out)
{
    struct iface *ifs = NULL;
    size_t n = 0;
    if (platform_read_ifaces(p->pf, &ifs, &n) < 0) {
        for (size_t i = 0; ifs && i < n; i++)
            free(ifs[i].addrs);
        free(ifs);
        ifs = NULL;
        n = 0;
    }
    if (p->have_prev)
        net_rates_compute(p->prev_ifaces, p->n_prev_ifaces, ifs, n, out->interval);
    else
        net_rates_compute(NULL, 0, ifs, n, 0);
    out->ifaces = ifs;
    out->n_ifaces = n;

    p->prev_ifaces = xreallocarray(p->prev_ifaces, n ? n : 1, sizeof(*p->prev_ifaces));
    for (size_t i = 0; i < n; i++) {
        p->prev_ifaces[i] = ifs[i];
        p->prev_ifaces[i].addrs = NULL;
        p->prev_ifaces[i].n_addrs = 0;
    }
    p->n_prev_ifaces = n;
}

int probe_sample(struct probe *p, struct snapshot *out)
{
    out->time = clock_seconds(CLOCK_REALTIME);
    out->mono = clock_seconds(CLOCK_MONOTONIC);
    /* /proc/stat is the one file without which a sample means nothing */
    int r = platform_read_cpu(p->pf, &out->cpu);
    if (r < 0) {
        memset(&out->cpu, 0, sizeof(out->cpu));
        return r;
    }
    out->interval = p->have_prev ? out->mono - p->prev_mono : 0;
    if (out->interval < 0)
        out->interval = 0;
    cpu_rates(p, &out->cpu);

    /* host before processes: its uptime tells which processes start after this sample.
     * An error still leaves the fields that could be read, so it is not fatal. */
    (void)platform_read_host(p->pf, &out->host);
    if (platform_read_mem(p->pf, &out->mem) < 0)
        memset(&out->mem, 0, sizeof(out->mem));

    if (p->cfg.want_procs)
        sample_procs(p, out);
    if (p->cfg.want_procs && p->cfg.want_threads)
        sample_threads(p, out);
    if (p->cfg.want_ifaces)
        sample_ifaces(p, out);

    double self = platform_self_cpu_seconds();
    out->self_cpu_percent = 0;
    if (p->have_prev && out->interval > 0 && self >= p->prev_self_cpu)
        out->self_cpu_percent = (self - p->prev_self_cpu) / out->interval * 100;

    p->prev_self_cpu = self;
    p->prev_mono = out->mono;
    p->prev_uptime = out->host.uptime;
    p->have_prev = true;
    return 0;
}

int probe_fill_details(struct probe *p, struct proc_entry *e, unsigned want)
{
    if (proc_entry_is_thread(e))
        return platform_thread_details(p->pf, e, want);
    return platform_proc_details(p->pf, e, want);
}

const struct probe_config *probe_get_config(const struct probe *p)
{
    return &p->cfg;
}

void probe_set_want(struct probe *p, unsigned want)
{
    p->cfg.want = want;
}

void probe_set_threads(struct probe *p, bool on)
{
    if (p->cfg.want_threads == on)
        return;
    p->cfg.want_threads = on;
    /* rates need the previous sample's threads: ticks counted since an older one,
     * divided by one interval, would show as a spike */
    proc_history_clear(&p->prev_threads);
    p->have_prev_threads = false;
}

int probe_read_details(struct probe *p, pid_t pid, uint64_t start_ticks,
                       const struct proc_details *prev, struct proc_details *out)
{
    int r = platform_proc_details_full(p->pf, pid, start_ticks, out);
    if (r < 0)
        return r;
    out->mono = clock_seconds(CLOCK_MONOTONIC);
    details_rates_compute(prev, out);
    return 0;
}
