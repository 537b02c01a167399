/* Hand-made snapshots and a fake monitor source for the UI suites (included by them). */
#ifndef VIGIL_TEST_FAKE_SNAPSHOT_H
#define VIGIL_TEST_FAKE_SNAPSHOT_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/details.h"
#include "probe/snapshot.h"
#include "ui/monitor.h"

struct fake_proc {
    pid_t pid, ppid;
    const char *name;
    char state;
    double cpu;
    uint64_t rss;
    double time;
    uid_t uid;
    const char *user;
    const char *cmdline; /* arguments separated by '|'; NULL none */
    bool kthread;
    uint64_t start;
};

static const struct fake_proc fake_procs[] = {
    {1, 0, "init", 'S', 0.1, 8 << 20, 5, 0, "root", "/sbin/init", false, 1},
    {2, 0, "kthreadd", 'S', 0, 0, 0.5, 0, "root", NULL, true, 2},
    {10, 1, "bash", 'S', 5, 4 << 20, 30, 1000, "alice", "-bash", false, 100},
    {11, 10, "python3", 'R', 50, 30 << 20, 20, 1000, "alice", "python3|-m|http.server", false, 200},
    {12, 10, "worker", 'Z', 0, 0, 1, 1000, "alice", NULL, false, 300},
    {13, 10, "sleep", 'S', 0, 300 << 20, 0.01, 1000, "alice", "sleep|1000", false, 400},
    {14, 1, "evil\x1b[2J", 'S', 1, 1 << 20, 2, 1001, "bob", "evil\x1b[2J|--x", false, 500},
};
#define N_FAKE (sizeof(fake_procs) / sizeof(fake_procs[0]))

static struct vstr *fake_cmdline(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s);
    char *buf = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        buf[i] = s[i] == '|' ? '\0' : s[i];
    struct vstr *v = vstr_new(buf, n);
    free(buf);
    return v;
}

static void fake_fill(struct proc_entry *e, const struct fake_proc *f)
{
    memset(e, 0, sizeof(*e));
    e->pid = f->pid;
    e->ppid = f->ppid;
    e->start_ticks = f->start;
    e->start_time = 1e9 + (double)f->start;
    snprintf(e->name, sizeof(e->name), "%s", f->name);
    e->state = f->state;
    e->kernel_thread = f->kthread;
    e->priority = 20;
    e->threads = 1;
    e->rss = f->rss;
    e->vms = f->rss * 2;
    e->cpu_time = f->time;
    e->utime = (uint64_t)(f->time * 100);
    e->cpu_percent = f->cpu;
    e->mem_percent = (double)f->rss / (1024.0 * 1024 * 1024) * 100;
    e->io_read_rate = e->io_write_rate = -1;
    e->io_read_bytes = e->io_write_bytes = -1;
    e->ionice_class = IONICE_UNKNOWN;
    e->ionice_level = -1;
}

/* A snapshot of the fake processes (skipping pid `without`, 0 for none), two CPUs, two
 * interfaces. */
static void fake_snapshot(struct snapshot *s, pid_t without)
{
    snapshot_init(s);
    s->time = 1e9 + 1000;
    s->interval = 1;
    snprintf(s->host.hostname, sizeof(s->host.hostname), "testhost");
    s->host.uptime = 90061;
    s->host.load[0] = 0.5;
    s->cpu.logical = 2;
    s->cpu.physical = 1;
    s->cpu.n_cpu = 2;
    s->cpu.per_cpu = calloc(2, sizeof(struct cpu_line));
    for (int i = 0; i < 2; i++) {
        s->cpu.per_cpu[i].id = i;
        s->cpu.per_cpu[i].pct = (struct cpu_pct){true, 40, 20, 5, 10, 60, 2, 1, 1, 1};
    }
    s->cpu.total.id = -1;
    s->cpu.total.pct = s->cpu.per_cpu[0].pct;
    s->mem.total = 8ULL << 30;
    s->mem.used = 2ULL << 30;
    s->mem.cached = 1ULL << 30;
    s->mem.swap_total = 1ULL << 30;
    s->procs = calloc(N_FAKE, sizeof(struct proc_entry));
    for (size_t i = 0; i < N_FAKE; i++)
        if (fake_procs[i].pid != without)
            fake_fill(&s->procs[s->n_procs++], &fake_procs[i]);
    task_counts_compute(s->procs, s->n_procs, &s->tasks);
    s->n_ifaces = 2;
    s->ifaces = calloc(2, sizeof(struct iface));
    snprintf(s->ifaces[0].name, sizeof(s->ifaces[0].name), "lo");
    s->ifaces[0].up = s->ifaces[0].running = true;
    s->ifaces[0].mtu = 65536;
    s->ifaces[0].speed_mbps = -1;
    s->ifaces[0].n_addrs = 2;
    s->ifaces[0].addrs = calloc(2, sizeof(struct iface_addr));
    s->ifaces[0].addrs[0].family = IFACE_ADDR_INET;
    snprintf(s->ifaces[0].addrs[0].address, IFACE_ADDR_STRLEN, "127.0.0.1");
    snprintf(s->ifaces[0].addrs[0].netmask, IFACE_ADDR_STRLEN, "255.0.0.0");
    s->ifaces[0].addrs[0].prefixlen = 8;
    s->ifaces[0].addrs[1].family = IFACE_ADDR_INET6;
    snprintf(s->ifaces[0].addrs[1].address, IFACE_ADDR_STRLEN, "::1");
    s->ifaces[0].addrs[1].prefixlen = 128;
    snprintf(s->ifaces[1].name, sizeof(s->ifaces[1].name), "veth-test0");
    s->ifaces[1].up = true;
    s->ifaces[1].mtu = 1400;
    s->ifaces[1].speed_mbps = 10000;
    s->ifaces[1].duplex = DUPLEX_FULL;
    s->ifaces[1].rx_errors = 3;
    s->ifaces[1].n_addrs = 3;
    s->ifaces[1].addrs = calloc(3, sizeof(struct iface_addr));
    const char *v4[] = {"10.0.0.1", "10.0.0.2"};
    for (int i = 0; i < 2; i++) {
        s->ifaces[1].addrs[i].family = IFACE_ADDR_INET;
        snprintf(s->ifaces[1].addrs[i].address, IFACE_ADDR_STRLEN, "%s", v4[i]);
        snprintf(s->ifaces[1].addrs[i].broadcast, IFACE_ADDR_STRLEN, "10.0.0.255");
        s->ifaces[1].addrs[i].prefixlen = 24;
    }
    s->ifaces[1].addrs[2].family = IFACE_ADDR_LINK;
    snprintf(s->ifaces[1].addrs[2].address, IFACE_ADDR_STRLEN, "02:00:00:00:00:01");
    s->ifaces[1].addrs[2].prefixlen = -1;
}

struct fake_source {
    int samples;
    int details_calls;
    int inspector_reads; /* read_details calls (the process inspector) */
    unsigned want;
    pid_t without; /* leave this pid out of the next samples */
    bool threads;  /* set_threads: python3 (11) has two more threads, 15 and 16 */
};

/* The threads of python3 (11) when the source is asked for threads. */
static const struct fake_proc fake_threads[] = {
    {15, 10, "py-worker", 'R', 30, 30 << 20, 12, 1000, "alice", NULL, false, 210},
    {16, 10, "py-io", 'S', 2, 30 << 20, 1, 1000, "alice", NULL, false, 220},
};
#define N_FAKE_THREADS (sizeof(fake_threads) / sizeof(fake_threads[0]))

static int fake_sample(void *ctx, struct snapshot *out)
{
    struct fake_source *f = ctx;
    f->samples++;
    fake_snapshot(out, f->without);
    if (f->threads && f->without != 11) {
        out->threads = calloc(N_FAKE_THREADS, sizeof(struct proc_entry));
        for (size_t i = 0; i < N_FAKE_THREADS; i++) {
            fake_fill(&out->threads[i], &fake_threads[i]);
            out->threads[i].tgid = 11;
            out->threads[i].threads = 3;
        }
        out->n_threads = N_FAKE_THREADS;
        for (size_t i = 0; i < out->n_procs; i++)
            if (out->procs[i].pid == 11)
                out->procs[i].threads = 3;
    }
    return 0;
}

static int fake_details(void *ctx, struct proc_entry *e, unsigned want)
{
    struct fake_source *f = ctx;
    f->details_calls++;
    pid_t pid = proc_entry_is_thread(e) ? e->tgid : e->pid; /* a thread: its process's */
    for (size_t i = 0; i < N_FAKE; i++) {
        if (fake_procs[i].pid != pid)
            continue;
        if (want & PROC_F_USER) {
            e->uid = fake_procs[i].uid;
            e->user = proc_user_intern(fake_procs[i].user);
        }
        if ((want & PROC_F_CMDLINE) && !e->cmdline)
            e->cmdline = fake_cmdline(fake_procs[i].cmdline);
        if (want & PROC_F_IONICE) {
            e->ionice_class = IONICE_BEST_EFFORT;
            e->ionice_level = 4;
        }
        e->have |= want;
        return 0;
    }
    return -ESRCH;
}

static void fake_set_want(void *ctx, unsigned want)
{
    ((struct fake_source *)ctx)->want = want;
}

static void fake_set_threads(void *ctx, bool on)
{
    ((struct fake_source *)ctx)->threads = on;
}

/* The inspector's read: identity, CPU and children from the fake list (a process absent
 * from the next samples, or a wrong start time, is gone). */
static int fake_read_details(void *ctx, pid_t pid, uint64_t start_ticks,
                             const struct proc_details *prev, struct proc_details *out)
{
    struct fake_source *f = ctx;
    f->inspector_reads++;
    proc_details_init(out);
    const struct fake_proc *me = NULL;
    for (size_t i = 0; i < N_FAKE; i++)
        if (fake_procs[i].pid == pid && fake_procs[i].start == start_ticks && pid != f->without)
            me = &fake_procs[i];
    if (!me)
        return -ESRCH;
    out->pid = pid;
    out->start_ticks = start_ticks;
    out->clk_tck = 100;
    out->mono = 1000.0 + f->inspector_reads;
    out->zombie = me->state == 'Z';
    snprintf(out->id.name, sizeof(out->id.name), "%s", me->name);
    out->id.ppid = me->ppid;
    out->id.state = me->state;
    for (size_t i = 0; i < N_FAKE; i++) {
        if (fake_procs[i].pid == me->ppid) {
            snprintf(out->id.parent_name, sizeof(out->id.parent_name), "%s", fake_procs[i].name);
            out->id.parent_start_ticks = fake_procs[i].start;
        }
    }
    out->cpu.utime = (uint64_t)(me->time * 100) + (uint64_t)f->inspector_reads;
    out->cpu.n_affinity = 2;
    out->cpu.affinity = malloc(2 * sizeof(int));
    out->cpu.affinity[0] = 0;
    out->cpu.affinity[1] = 1;
    out->fds_err = me->uid == 1001 ? -EACCES : 0; /* bob's process: not ours to read */
    out->children = calloc(N_FAKE, sizeof(*out->children));
    for (size_t i = 0; i < N_FAKE; i++) {
        if (fake_procs[i].ppid == pid) {
            struct details_child *c = &out->children[out->n_children++];
            c->pid = fake_procs[i].pid;
            c->start_ticks = fake_procs[i].start;
            snprintf(c->name, sizeof(c->name), "%s", fake_procs[i].name);
        }
    }
    details_rates_compute(prev, out);
    return 0;
}

static void fake_monitor(struct monitor *m, struct fake_source *f)
{
    struct options o;
    options_init(&o);
    o.delay = 1.5;
    o.sort = SORT_CPU;
    o.hide_user_threads = true; /* the suites see processes only unless they press H */
    memset(f, 0, sizeof(*f));
    struct monitor_source src = {
        f, fake_sample, fake_details, fake_set_want, fake_read_details, fake_set_threads};
    monitor_init(m, &o, &src);
    options_done(&o);
    theme_init_default(&m->theme);
    m->utf8 = true;
    m->page_rows = 20;
    m->lay.ifaces_h = 3;
    monitor_sample(m);
}

#endif
