#include "probe/delta.h"

#include <stdlib.h>
#include <string.h>

static uint64_t sat_sub(uint64_t cur, uint64_t prev)
{
    return cur > prev ? cur - prev : 0;
}

void cpu_pct_compute(const struct cpu_times *prev, const struct cpu_times *cur, struct cpu_pct *out)
{
    memset(out, 0, sizeof(*out));
    if (!prev || !cur)
        return;
    uint64_t d[CPU_MODE_COUNT];
    uint64_t total = 0;
    for (int m = 0; m < CPU_MODE_COUNT; m++) {
        d[m] = sat_sub(cur->ticks[m], prev->ticks[m]);
        if (m != CPU_GUEST && m != CPU_GUEST_NICE)
            total += d[m];
    }
    if (total == 0)
        return;
    double t = (double)total;
    out->valid = true;
    out->user = d[CPU_USER] * 100.0 / t;
    out->nice = d[CPU_NICE] * 100.0 / t;
    out->system = d[CPU_SYSTEM] * 100.0 / t;
    out->idle = d[CPU_IDLE] * 100.0 / t;
    out->iowait = d[CPU_IOWAIT] * 100.0 / t;
    out->irq = d[CPU_IRQ] * 100.0 / t;
    out->softirq = d[CPU_SOFTIRQ] * 100.0 / t;
    out->steal = d[CPU_STEAL] * 100.0 / t;
    /* from the busy ticks, not 100 - idle - iowait, so rounding cannot make it negative */
    out->busy = (total - d[CPU_IDLE] - d[CPU_IOWAIT]) * 100.0 / t;
}

void proc_hist_take(const struct proc_entry *procs, size_t n, struct proc_hist *hist)
{
    for (size_t i = 0; i < n; i++) {
        hist[i].pid = procs[i].pid;
        hist[i].start_ticks = procs[i].start_ticks;
        hist[i].cpu_ticks = procs[i].utime + procs[i].stime;
        bool io = procs[i].have & PROC_F_IO;
        hist[i].io_read_bytes = io ? procs[i].io_read_bytes : -1;
        hist[i].io_write_bytes = io ? procs[i].io_write_bytes : -1;
    }
}

static double io_rate(int64_t prev, int64_t cur, double dt)
{
    if (prev < 0 || cur < 0 || cur < prev)
        return -1;
    return (double)(cur - prev) / dt;
}

/* One entry's rates from its history h (NULL: not in the previous sample). */
static void entry_rates(const struct proc_delta_ctx *ctx, struct proc_entry *e,
                        const struct proc_hist *h)
{
    double dt = ctx->dt;
    uint64_t ticks = e->utime + e->stime;
    /* I/O counters not asked for (or not readable) are unknown, whatever they hold */
    int64_t rd = e->have & PROC_F_IO ? e->io_read_bytes : -1;
    int64_t wr = e->have & PROC_F_IO ? e->io_write_bytes : -1;
    if (h) {
        e->cpu_percent = (double)sat_sub(ticks, h->cpu_ticks) / (double)ctx->clk_tck / dt * 100;
        e->io_read_rate = io_rate(h->io_read_bytes, rd, dt);
        e->io_write_rate = io_rate(h->io_write_bytes, wr, dt);
        return;
    }
    /* born after the previous sample? start_ticks is truncated: one tick of slack */
    double sample_ticks = ctx->prev_uptime * (double)ctx->clk_tck;
    if (ctx->prev_uptime > 0 && (double)e->start_ticks + 1 >= sample_ticks) {
        e->cpu_percent = (double)ticks / (double)ctx->clk_tck / dt * 100;
        e->io_read_rate = io_rate(0, rd, dt);
        e->io_write_rate = io_rate(0, wr, dt);
    }
}

/* The part every entry gets, previous sample or not. */
static void entry_reset(const struct proc_delta_ctx *ctx, struct proc_entry *e)
{
    e->mem_percent = ctx->mem_total ? (double)e->rss * 100.0 / (double)ctx->mem_total : 0;
    e->cpu_percent = 0;
    e->io_read_rate = e->io_write_rate = -1;
}

static bool ctx_has_prev(const struct proc_delta_ctx *ctx)
{
    return ctx->prev && ctx->dt > 0 && ctx->clk_tck > 0;
}

void proc_rates_compute(const struct proc_delta_ctx *ctx, struct proc_entry *cur, size_t n_cur)
{
    bool have_prev = ctx_has_prev(ctx);
    size_t j = 0;
    for (size_t i = 0; i < n_cur; i++) {
        struct proc_entry *e = &cur[i];
        entry_reset(ctx, e);
        if (!have_prev)
            continue;
        /* both lists are sorted by pid: one merge walk */
        while (j < ctx->n_prev && ctx->prev[j].pid < e->pid)
            j++;
        const struct proc_hist *h = NULL;
        if (j < ctx->n_prev && ctx->prev[j].pid == e->pid &&
            ctx->prev[j].start_ticks == e->start_ticks)
            h = &ctx->prev[j];
        entry_rates(ctx, e, h);
    }
}

static int hist_pid_cmp(const void *a, const void *b)
{
    const struct proc_hist *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

void proc_hist_sort(struct proc_hist *hist, size_t n)
{
    if (n > 1)
        qsort(hist, n, sizeof(*hist), hist_pid_cmp);
}

void thread_rates_compute(const struct proc_delta_ctx *ctx, struct proc_entry *cur, size_t n_cur)
{
    bool have_prev = ctx_has_prev(ctx);
    for (size_t i = 0; i < n_cur; i++) {
        struct proc_entry *e = &cur[i];
        entry_reset(ctx, e);
        if (!have_prev)
            continue;
        struct proc_hist key = {.pid = e->pid};
        const struct proc_hist *h =
            bsearch(&key, ctx->prev, ctx->n_prev, sizeof(key), hist_pid_cmp);
        if (h && h->start_ticks != e->start_ticks)
            h = NULL; /* the TID names another thread now */
        entry_rates(ctx, e, h);
    }
}
