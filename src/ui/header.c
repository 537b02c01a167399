/* The header: one meter per CPU and the average (user, nice, system, iowait, irq+softirq,
 * steal in their own styles), memory and swap meters, and the tasks, load, cores, uptime
 * and self-CPU lines. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ui/draw.h"
#include "ui/format.h"
#include "ui/panels.h"

struct meter_part {
    double value; /* in the meter's unit */
    enum theme_elem style;
};

/* Without colours each part gets its own character, so the parts stay apart. */
static const char mono_chars[] = "|#*@$%&.";

/* label[bar  text] in w columns; parts fill the bar in proportion to total. */
static void meter(int y, int x, int w, const char *label, int label_w,
                  const struct meter_part *parts, size_t n, double total, const char *text)
{
    if (w <= 0)
        return;
    draw_fill(y, x, w, draw_style(TH_DEFAULT));
    int used = draw_textf(y, x, label_w < w ? label_w : w, draw_style(TH_METER_LABEL), "%*s",
                          label_w, label);
    int bx = x + used, bw = w - used;
    if (bw < 3)
        return;
    draw_text(y, bx, 1, draw_style(TH_METER_BRACKET), "[");
    draw_text(y, bx + bw - 1, 1, draw_style(TH_METER_BRACKET), "]");
    int inner = bw - 2;
    int tlen = (int)strlen(text);
    int at = 0;
    double acc = 0;
    for (size_t i = 0; i < n && total > 0; i++) {
        if (!(parts[i].value > 0))
            continue;
        acc += parts[i].value;
        int end = (int)(acc / total * inner + 0.5);
        if (end > inner)
            end = inner;
        if (end <= at)
            continue;
        char bar[512];
        int len = end - at;
        if (len > (int)sizeof(bar) - 1)
            len = (int)sizeof(bar) - 1;
        memset(bar, draw_colors() ? '|' : mono_chars[i % (sizeof(mono_chars) - 1)], (size_t)len);
        bar[len] = '\0';
        draw_text(y, bx + 1 + at, len, draw_style(parts[i].style), bar);
        at = end;
    }
    if (tlen <= inner)
        draw_text(y, bx + 1 + inner - tlen, tlen, draw_style(TH_METER_TEXT), text);
}

static void cpu_meter(int y, int x, int w, const char *label, int label_w, const struct cpu_pct *p)
{
    if (!p->valid) {
        meter(y, x, w, label, label_w, NULL, 0, 100, "--");
        return;
    }
    struct meter_part parts[] = {
        {p->user, TH_CPU_USER},
        {p->nice, TH_CPU_NICE},
        {p->system, TH_CPU_SYSTEM},
        {p->iowait, TH_CPU_IOWAIT},
        {p->irq + p->softirq, TH_CPU_IRQ},
        {p->steal, TH_CPU_STEAL},
    };
    char text[16];
    fmt_percent(text, sizeof(text), p->busy);
    strcat(text, "%");
    meter(y, x, w, label, label_w, parts, sizeof(parts) / sizeof(parts[0]), 100, text);
}

static void mem_meter(int y, int x, int w, const struct mem_info *mem)
{
    struct meter_part parts[] = {
        {(double)mem->used, TH_MEM_USED},
        {(double)mem->buffers, TH_MEM_BUFFERS},
        {(double)mem->cached, TH_MEM_CACHE},
    };
    char a[16], b[16], text[40];
    fmt_mem(a, sizeof(a), mem->used);
    fmt_mem(b, sizeof(b), mem->total);
    snprintf(text, sizeof(text), "%s/%s", a, b);
    meter(y, x, w, "Mem", 3, parts, 3, (double)mem->total, text);
}

static void swap_meter(int y, int x, int w, const struct mem_info *mem)
{
    struct meter_part parts[] = {{(double)mem->swap_used, TH_SWAP}};
    char a[16], b[16], text[40];
    fmt_mem(a, sizeof(a), mem->swap_used);
    fmt_mem(b, sizeof(b), mem->swap_total);
    snprintf(text, sizeof(text), "%s/%s", a, b);
    meter(y, x, w, "Swp", 3, parts, 1, (double)mem->swap_total, text);
}

/* label: value pieces; returns the x after them. */
static int info(int y, int x, int end, enum theme_elem style, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static int info(int y, int x, int end, enum theme_elem style, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    return x + draw_text(y, x, end - x, draw_style(style), buf);
}

static void tasks_line(const struct monitor *m, int y, int x, int w)
{
    const struct task_counts *t = &m->snap.tasks;
    int end = x + w;
    x = info(y, x, end, TH_INFO_LABEL, "Tasks: ");
    x = info(y, x, end, TH_INFO_VALUE, "%u", t->total);
    x = info(y, x, end, TH_INFO_LABEL, ", ");
    /* zombies early in the line, so a narrow screen does not clip them away */
    if (t->zombie)
        x = info(y, x, end, TH_ZOMBIE_COUNT, "%u zombie%s", t->zombie, t->zombie == 1 ? "" : "s");
    else
        x = info(y, x, end, TH_INFO_LABEL, "0 zombies");
    bool narrow = w < 56;
    x = info(y, x, end, TH_INFO_LABEL, ", ");
    x = info(y, x, end, TH_INFO_VALUE, "%u", t->running);
    x = info(y, x, end, TH_INFO_LABEL, narrow ? " run, " : " running, ");
    x = info(y, x, end, TH_INFO_VALUE, "%u", t->sleeping + t->idle + t->disk_sleep);
    x = info(y, x, end, TH_INFO_LABEL, narrow ? " slp, " : " sleeping, ");
    x = info(y, x, end, TH_INFO_VALUE, "%u", t->threads);
    info(y, x, end, TH_INFO_LABEL, " thr");
}

static void load_line(const struct monitor *m, int y, int x, int w)
{
    const struct host_info *h = &m->snap.host;
    int end = x + w;
    bool narrow = w < 56;
    x = info(y, x, end, TH_INFO_LABEL, narrow ? "Load: " : "Load average: ");
    x = info(y, x, end, TH_INFO_VALUE, "%.2f %.2f %.2f", h->load[0], h->load[1], h->load[2]);
    x = info(y, x, end, TH_INFO_LABEL, narrow ? "  vigil: " : "   vigil: ");
    x = info(y, x, end, TH_INFO_VALUE, "%.1f%%", m->snap.self_cpu_percent);
    x = info(y, x, end, TH_INFO_LABEL, " CPU");
    if (m->paused)
        info(y, x, end, TH_STATUS_ERROR, "  PAUSED");
}

static void uptime_line(const struct monitor *m, int y, int x, int w)
{
    const struct cpu_info *c = &m->snap.cpu;
    char up[48];
    fmt_uptime(up, sizeof(up), m->snap.host.uptime);
    int end = x + w;
    bool narrow = w < 56;
    x = info(y, x, end, TH_INFO_LABEL, narrow ? "Up: " : "Uptime: ");
    x = info(y, x, end, TH_INFO_VALUE, "%s", up);
    x = info(y, x, end, TH_INFO_LABEL, "   ");
    x = info(y, x, end, TH_INFO_VALUE, "%d", c->logical);
    x = info(y, x, end, TH_INFO_LABEL, " logical / ");
    if (c->physical > 0)
        x = info(y, x, end, TH_INFO_VALUE, "%d", c->physical);
    else
        x = info(y, x, end, TH_DIM, "?");
    info(y, x, end, TH_INFO_LABEL, narrow ? " physical" : " physical cores");
}

enum info_item { II_AVG, II_MEM, II_SWP, II_TASKS, II_LOAD, II_UPTIME };

static void info_item(const struct monitor *m, enum info_item it, int y, int x, int w)
{
    switch (it) {
    case II_AVG:
        cpu_meter(y, x, w, "Avg", 3, &m->snap.cpu.total.pct);
        break;
    case II_MEM:
        mem_meter(y, x, w, &m->snap.mem);
        break;
    case II_SWP:
        swap_meter(y, x, w, &m->snap.mem);
        break;
    case II_TASKS:
        tasks_line(m, y, x, w);
        break;
    case II_LOAD:
        load_line(m, y, x, w);
        break;
    case II_UPTIME:
        uptime_line(m, y, x, w);
        break;
    }
}

void panel_header_draw(const struct monitor *m)
{
    const struct layout *l = &m->lay;
    const struct cpu_info *cpu = &m->snap.cpu;
    int y = l->header_y;
    if (l->cpu_rows > 0 && cpu->n_cpu > 0) {
        int cw = l->cols / l->cpu_cols;
        int max_id = 0;
        for (size_t i = 0; i < cpu->n_cpu; i++)
            if (cpu->per_cpu[i].id > max_id)
                max_id = cpu->per_cpu[i].id;
        char tmp[16];
        int label_w = snprintf(tmp, sizeof(tmp), "%d", max_id);
        if (label_w < 3)
            label_w = 3;
        /* column-major, as htop: CPUs 0..k-1 in the first column */
        for (size_t i = 0; i < cpu->n_cpu; i++) {
            int col = (int)(i / (size_t)l->cpu_rows), row = (int)(i % (size_t)l->cpu_rows);
            if (col >= l->cpu_cols)
                break;
            char label[16];
            snprintf(label, sizeof(label), "%d", cpu->per_cpu[i].id);
            int w = col == l->cpu_cols - 1 ? l->cols - col * cw : cw - 1;
            cpu_meter(y + row, col * cw, w, label, label_w, &cpu->per_cpu[i].pct);
        }
        y += l->cpu_rows;
    }
    if (l->info_split) {
        static const enum info_item left[] = {II_AVG, II_MEM, II_SWP};
        static const enum info_item right[] = {II_TASKS, II_LOAD, II_UPTIME};
        /* the meters give the text some room on narrower screens */
        int half = l->cols >= 120 ? l->cols / 2 : l->cols * 2 / 5;
        for (int r = 0; r < l->info_rows && r < 3; r++) {
            info_item(m, left[r], y + r, 0, half - 1);
            info_item(m, right[r], y + r, half + 1, l->cols - half - 1);
        }
    } else {
        static const enum info_item five[] = {II_AVG, II_MEM, II_SWP, II_TASKS, II_LOAD};
        static const enum info_item three[] = {II_AVG, II_MEM, II_TASKS};
        static const enum info_item one[] = {II_TASKS};
        const enum info_item *items = l->info_rows >= 5 ? five : l->info_rows >= 3 ? three : one;
        int n = l->info_rows >= 5 ? 5 : l->info_rows >= 3 ? 3 : 1;
        for (int r = 0; r < n; r++)
            info_item(m, items[r], y + r, 0, l->cols);
    }
}
