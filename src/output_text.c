#include "output_text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#define MIB (1024.0 * 1024.0)

void output_text_kib(char *buf, size_t cap, uint64_t bytes, int width)
{
    static const char units[] = "mgtpe";
    uint64_t kib = bytes / 1024;
    int n = snprintf(buf, cap, "%llu", (unsigned long long)kib);
    if (n >= 0 && n <= width)
        return;
    /* the smallest unit that fits with one decimal: 40 GiB is "40.0g", not "40960m" */
    double v = (double)kib;
    for (size_t i = 0; i < sizeof(units) - 1; i++) {
        v /= 1024;
        n = snprintf(buf, cap, "%.1f%c", v, units[i]);
        if (n >= 0 && n <= width)
            return;
    }
    snprintf(buf, cap, "%.0f%c", v, units[sizeof(units) - 2]);
}

void output_text_time(char *buf, size_t cap, double seconds)
{
    if (!(seconds >= 0))
        seconds = 0;
    unsigned long long hundredths = (unsigned long long)(seconds * 100 + 0.5);
    snprintf(buf, cap, "%llu:%02llu.%02llu", hundredths / 6000, hundredths / 100 % 60,
             hundredths % 100);
}

/* "up 3 days,  4:05" or "up 12 min", as top writes it. */
static void text_uptime(struct strbuf *b, double uptime)
{
    unsigned long up = uptime > 0 ? (unsigned long)uptime : 0;
    unsigned long days = up / 86400, hours = up / 3600 % 24, mins = up / 60 % 60;
    strbuf_puts(b, "up ");
    if (days)
        strbuf_printf(b, "%lu day%s, ", days, days == 1 ? "" : "s");
    if (hours)
        strbuf_printf(b, "%2lu:%02lu", hours, mins);
    else
        strbuf_printf(b, "%lu min", mins);
}

static void text_summary(struct strbuf *b, const struct snapshot *s)
{
    char clock[16] = "??:??:??";
    time_t t = (time_t)s->time;
    struct tm tm;
    if (localtime_r(&t, &tm))
        strftime(clock, sizeof(clock), "%H:%M:%S", &tm);

    strbuf_printf(b, "vigil - %s ", clock);
    text_uptime(b, s->host.uptime);
    strbuf_printf(b, ",  load average: %.2f, %.2f, %.2f\n", s->host.load[0], s->host.load[1],
                  s->host.load[2]);

    struct task_counts tc;
    task_counts_compute(s->procs, s->n_procs, &tc);
    strbuf_printf(b, "Tasks: %4u total, %4u running, %4u sleeping, %4u stopped, %4u zombie\n",
                  tc.total, tc.running, tc.sleeping + tc.idle + tc.disk_sleep, tc.stopped,
                  tc.zombie);

    const struct cpu_pct *c = &s->cpu.total.pct;
    if (c->valid)
        strbuf_printf(b,
                      "%%Cpu(s): %5.1f us, %5.1f sy, %5.1f ni, %5.1f id, %5.1f wa, %5.1f hi, "
                      "%5.1f si, %5.1f st\n",
                      c->user, c->system, c->nice, c->idle, c->iowait, c->irq, c->softirq,
                      c->steal);
    else
        strbuf_puts(b, "%Cpu(s): n/a\n");

    const struct mem_info *m = &s->mem;
    strbuf_printf(b, "MiB Mem : %9.1f total, %9.1f free, %9.1f used, %9.1f buff/cache\n",
                  m->total / MIB, m->free / MIB, m->used / MIB, (m->buffers + m->cached) / MIB);
    strbuf_printf(b, "MiB Swap: %9.1f total, %9.1f free, %9.1f used. %9.1f avail Mem\n",
                  m->swap_total / MIB, m->swap_free / MIB, m->swap_used / MIB, m->available / MIB);
}

/* The user column: escaped, cut to 8 columns with '+' as top marks a longer name. */
static void text_user(struct strbuf *b, const struct proc_entry *p)
{
    struct strbuf u;
    strbuf_init(&u);
    if (p->have & PROC_F_USER)
        strbuf_append_visible(&u, proc_entry_user(p), strlen(proc_entry_user(p)));
    else
        strbuf_putc(&u, '?');
    if (u.len > 8) {
        size_t cut = 7;
        while (cut > 0 && ((unsigned char)u.data[cut] & 0xc0) == 0x80)
            cut--; /* do not split a UTF-8 character */
        u.len = cut;
        strbuf_putc(&u, '+');
    }
    strbuf_printf(b, "%-8s ", u.data);
    strbuf_done(&u);
}

/* ASCII branches so the table stays plain text: "|- " and "`- " as in ps --forest. */
static void text_tree_prefix(struct strbuf *b, const struct view_row *r)
{
    int depth = r->depth < 64 ? r->depth : 64;
    for (int d = 0; d + 1 < depth; d++)
        strbuf_puts(b, (r->more_siblings >> d) & 1 ? " |  " : "    ");
    if (depth > 0)
        strbuf_puts(b, (r->more_siblings >> (depth - 1)) & 1 ? " |- " : " `- ");
}

static void text_row(struct strbuf *b, const struct proc_entry *p, const struct view_row *r)
{
    char virt[16], res[16], shr[16], time[32];
    output_text_kib(virt, sizeof(virt), p->vms, 7);
    output_text_kib(res, sizeof(res), p->rss, 6);
    output_text_kib(shr, sizeof(shr), p->shared, 6);
    output_text_time(time, sizeof(time), p->cpu_time);

    strbuf_printf(b, "%7d ", (int)p->pid);
    text_user(b, p);
    if (p->priority == -100)
        strbuf_puts(b, " rt "); /* the highest real-time priority, as top shows it */
    else
        strbuf_printf(b, "%3d ", p->priority);
    strbuf_printf(b, "%3d %7s %6s %6s %c %5.1f %5.1f %9s ", p->nice, virt, res, shr,
                  p->state >= 0x21 && p->state < 0x7f ? p->state : '?', p->cpu_percent,
                  p->mem_percent, time);
    if (r)
        text_tree_prefix(b, r);
    strbuf_append_visible(b, p->name, strnlen(p->name, sizeof(p->name)));
    strbuf_putc(b, '\n');
}

void output_text_snapshot(struct strbuf *out, const struct snapshot *s, const struct view *v)
{
    text_summary(out, s);
    strbuf_puts(out, "\n    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ "
                     "COMMAND\n");
    if (v) {
        for (size_t i = 0; i < v->n; i++)
            text_row(out, v->rows[i].proc, &v->rows[i]);
    } else {
        for (size_t i = 0; i < s->n_procs; i++)
            text_row(out, &s->procs[i], NULL);
    }
}
