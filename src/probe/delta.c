#include "probe/delta.h"

#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"

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

/* Whether e's I/O counters go into the history: read (PROC_F_IO) and not both unknown,
 * which no entry at all says as well. */
static bool has_io(const struct proc_entry *e)
{
    return (e->have & PROC_F_IO) && (e->io_read_bytes >= 0 || e->io_write_bytes >= 0);
}

void proc_history_take(struct proc_history *h, const struct proc_entry *procs, size_t n)
{
    size_t n_io = 0;
    for (size_t i = 0; i < n; i++)
        n_io += has_io(&procs[i]);
    h->e = xreallocarray(h->e, n ? n : 1, sizeof(*h->e));
    if (n_io) {
        h->io = xreallocarray(h->io, n_io, sizeof(*h->io));
    } else {
        free(h->io);
        h->io = NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const struct proc_entry *e = &procs[i];
        h->e[i].pid = e->pid;
        h->e[i].start_ticks = e->start_ticks;
        h->e[i].cpu_ticks = e->utime + e->stime;
        if (has_io(e)) {
            h->io[k].pid = e->pid;
            h->io[k].start_ticks = e->start_ticks;
            h->io[k].read_bytes = e->io_read_bytes;
            h->io[k].write_bytes = e->io_write_bytes;
            k++;
        }
    }
    h->n = n;
    h->n_io = n_io;
}

void proc_history_clear(struct proc_history *h)
{
    if (!h)
        return;
    free(h->e);
    free(h->io);
    memset(h, 0, sizeof(*h));
}

static double io_rate(int64_t prev, int64_t cur, double dt)
{
    if (prev < 0 || cur < 0 || cur < prev)
        return -1;
    return (double)(cur - prev) / dt;
}

/* One entry's rates from its history h (NULL: not in the previous sample) and hio (NULL:
 * no I/O counters in the previous sample). */
static void entry_rates(const struct proc_delta_ctx *ctx, struct proc_entry *e,
                        const struct proc_hist *h, const struct proc_hist_io *hio)
{
    double dt = ctx->dt;
    uint64_t ticks = e->utime + e->stime;
    /* I/O counters not asked for (or not readable) are unknown, whatever they hold */
    int64_t rd = e->have & PROC_F_IO ? e->io_read_bytes : -1;
    int64_t wr = e->have & PROC_F_IO ? e->io_write_bytes : -1;
    if (h) {
        e->cpu_percent = (double)sat_sub(ticks, h->cpu_ticks) / (double)ctx->clk_tck / dt * 100;
        e->io_read_rate = io_rate(hio ? hio->read_bytes : -1, rd, dt);
        e->io_write_rate = io_rate(hio ? hio->write_bytes : -1, wr, dt);
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
    const struct proc_history *prev = ctx->prev;
    size_t j = 0, k = 0;
    for (size_t i = 0; i < n_cur; i++) {
        struct proc_entry *e = &cur[i];
        entry_reset(ctx, e);
        if (!have_prev)
            continue;
        /* all three lists are sorted by pid: one merge walk */
        while (j < prev->n && prev->e[j].pid < e->pid)
            j++;
        while (k < prev->n_io && prev->io[k].pid < e->pid)
            k++;
        const struct proc_hist *h = NULL;
        const struct proc_hist_io *hio = NULL;
        if (j < prev->n && prev->e[j].pid == e->pid && prev->e[j].start_ticks == e->start_ticks)
            h = &prev->e[j];
        if (h && k < prev->n_io && prev->io[k].pid == e->pid &&
            prev->io[k].start_ticks == e->start_ticks)
            hio = &prev->io[k];
        entry_rates(ctx, e, h, hio);
    }
}

static int hist_pid_cmp(const void *a, const void *b)
{
    const struct proc_hist *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

static int hist_io_pid_cmp(const void *a, const void *b)
{
    const struct proc_hist_io *x = a, *y = b;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

void proc_history_sort(struct proc_history *h)
{
    if (h->n > 1)
        qsort(h->e, h->n, sizeof(*h->e), hist_pid_cmp);
    if (h->n_io > 1)
        qsort(h->io, h->n_io, sizeof(*h->io), hist_io_pid_cmp);
}

void thread_rates_compute(const struct proc_delta_ctx *ctx, struct proc_entry *cur, size_t n_cur)
{
    bool have_prev = ctx_has_prev(ctx);
    const struct proc_history *prev = ctx->prev;
    for (size_t i = 0; i < n_cur; i++) {
        struct proc_entry *e = &cur[i];
        entry_reset(ctx, e);
        if (!have_prev)
            continue;
        struct proc_hist key = {.pid = e->pid};
        const struct proc_hist *h = bsearch(&key, prev->e, prev->n, sizeof(key), hist_pid_cmp);
        if (h && h->start_ticks != e->start_ticks)
            h = NULL; /* the TID names another thread now */
        const struct proc_hist_io *hio = NULL;
        if (h && (e->have & PROC_F_IO) && prev->n_io) {
            struct proc_hist_io io_key = {.pid = e->pid};
            hio = bsearch(&io_key, prev->io, prev->n_io, sizeof(io_key), hist_io_pid_cmp);
            if (hio && hio->start_ticks != e->start_ticks)
                hio = NULL;
        }
        entry_rates(ctx, e, h, hio);
    }
}
