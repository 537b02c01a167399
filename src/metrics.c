/* Snapshot → Prometheus text exposition 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Families follow
 * node_exporter's naming: base units, counters end in _total, one family's samples are
 * contiguous and preceded by its HELP and TYPE lines. */
#include "metrics.h"

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"
#include "utf8.h"

/* A label value: the format knows three escapes (\\, \", \n); Prometheus rejects
 * invalid UTF-8, so each ill-formed subpart becomes U+FFFD (as the JSON writer does). */
static void put_label_value(struct strbuf *b, const char *value)
{
    const unsigned char *s = (const unsigned char *)value;
    size_t n = strlen(value);
    size_t i = 0;
    while (i < n) {
        size_t run = i;
        /* copy plain runs in one go: this is the hot path for ordinary names */
        while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '\\' && s[run] != '"')
            run++;
        if (run > i) {
            strbuf_append(b, value + i, run - i);
            i = run;
            continue;
        }
        if (s[i] == '\\') {
            strbuf_append(b, "\\\\", 2);
            i++;
        } else if (s[i] == '"') {
            strbuf_append(b, "\\\"", 2);
            i++;
        } else if (s[i] == '\n') {
            strbuf_append(b, "\\n", 2);
            i++;
        } else {
            size_t bad = 1;
            size_t len = utf8_sequence_len(s + i, n - i, &bad);
            if (len) {
                strbuf_append(b, value + i, len);
                i += len;
            } else {
                strbuf_append(b, "\xef\xbf\xbd", 3);
                i += bad;
            }
        }
    }
}

size_t metrics_format_value(double v, char *buf, size_t cap)
{
    int n;
    if (isnan(v))
        n = snprintf(buf, cap, "NaN");
    else if (isinf(v))
        n = snprintf(buf, cap, v > 0 ? "+Inf" : "-Inf");
    else if (v > -1e15 && v < 1e15 && v == (double)(long long)v) /* a whole number */
        n = snprintf(buf, cap, "%.0f", v);
    else {
        /* shortest of %.15g..%.17g that reads back exactly (17 always does) */
        for (int prec = 15; prec <= 17; prec++) {
            n = snprintf(buf, cap, "%.*g", prec, v);
            if (prec == 17 || strtod(buf, NULL) == v)
                break;
        }
        /* a locale with a decimal comma must not leak into the format */
        for (char *p = buf; *p; p++)
            if (*p == ',')
                *p = '.';
    }
    if (n < 0)
        n = 0;
    return (size_t)n < cap ? (size_t)n : (cap ? cap - 1 : 0);
}

static void family(struct strbuf *b, const char *name, const char *type, const char *help)
{
    strbuf_puts(b, "# HELP ");
    strbuf_puts(b, name);
    strbuf_putc(b, ' ');
    strbuf_puts(b, help);
    strbuf_puts(b, "\n# TYPE ");
    strbuf_puts(b, name);
    strbuf_putc(b, ' ');
    strbuf_puts(b, type);
    strbuf_putc(b, '\n');
}

/* name{k1="v1",k2="v2"} — labels is n_labels (key, value) pairs; no braces when 0. */
static void sample_start(struct strbuf *b, const char *name, const char *const *labels,
                         size_t n_labels)
{
    strbuf_puts(b, name);
    if (!n_labels) {
        strbuf_putc(b, ' ');
        return;
    }
    strbuf_putc(b, '{');
    for (size_t i = 0; i < n_labels; i++) {
        if (i)
            strbuf_putc(b, ',');
        strbuf_puts(b, labels[2 * i]);
        strbuf_append(b, "=\"", 2);
        put_label_value(b, labels[2 * i + 1]);
        strbuf_putc(b, '"');
    }
    strbuf_append(b, "} ", 2);
}

static void sample_f(struct strbuf *b, const char *name, const char *const *labels, size_t n,
                     double v)
{
    char num[32];
    sample_start(b, name, labels, n);
    strbuf_append(b, num, metrics_format_value(v, num, sizeof(num)));
    strbuf_putc(b, '\n');
}

static void sample_u(struct strbuf *b, const char *name, const char *const *labels, size_t n,
                     uint64_t v)
{
    char num[24];
    int len = snprintf(num, sizeof(num), "%" PRIu64, v);
    sample_start(b, name, labels, n);
    strbuf_append(b, num, (size_t)len);
    strbuf_putc(b, '\n');
}

static void render_host(struct strbuf *b, const struct snapshot *s, double tck)
{
    family(b, "vigil_boot_time_seconds", "gauge",
           "Time the system booted, in seconds since the Unix epoch.");
    sample_f(b, "vigil_boot_time_seconds", NULL, 0, s->host.boot_time);

    family(b, "vigil_cpu_cores", "gauge", "Number of CPUs: online logical CPUs, physical cores.");
    const char *lg[] = {"kind", "logical"};
    sample_u(b, "vigil_cpu_cores", lg, 1, (uint64_t)(s->cpu.logical > 0 ? s->cpu.logical : 0));
    if (s->cpu.physical > 0) { /* 0 = unknown: no sample rather than a made-up number */
        const char *ph[] = {"kind", "physical"};
        sample_u(b, "vigil_cpu_cores", ph, 1, (uint64_t)s->cpu.physical);
    }

    /* the modes node_exporter reports; guest time is already inside user and nice */
    static const enum cpu_mode modes[] = {CPU_USER,   CPU_NICE, CPU_SYSTEM,  CPU_IDLE,
                                          CPU_IOWAIT, CPU_IRQ,  CPU_SOFTIRQ, CPU_STEAL};
    if (s->cpu.n_cpu)
        family(b, "vigil_cpu_seconds_total", "counter",
               "Seconds each CPU spent in each mode since boot.");
    for (size_t c = 0; c < s->cpu.n_cpu; c++) {
        const struct cpu_line *cl = &s->cpu.per_cpu[c];
        char id[16];
        snprintf(id, sizeof(id), "%d", cl->id);
        for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++) {
            const char *lv[] = {"cpu", id, "mode", cpu_mode_name(modes[m])};
            sample_f(b, "vigil_cpu_seconds_total", lv, 2, (double)cl->times.ticks[modes[m]] / tck);
        }
    }

    static const char *const load_names[3] = {"vigil_load1", "vigil_load5", "vigil_load15"};
    static const char *const load_help[3] = {"1-minute load average.", "5-minute load average.",
                                             "15-minute load average."};
    for (int i = 0; i < 3; i++) {
        family(b, load_names[i], "gauge", load_help[i]);
        sample_f(b, load_names[i], NULL, 0, s->host.load[i]);
    }
}

static void render_memory(struct strbuf *b, const struct snapshot *s)
{
    const struct mem_info *m = &s->mem;
    const struct {
        const char *kind;
        uint64_t v;
    } mem[] = {{"total", m->total},  {"available", m->available}, {"used", m->used},
               {"free", m->free},    {"buffers", m->buffers},     {"cached", m->cached},
               {"shared", m->shared}},
      swap[] = {{"total", m->swap_total}, {"used", m->swap_used}, {"free", m->swap_free}};

    family(b, "vigil_memory_bytes", "gauge",
           "Memory in bytes by kind (used = total - available, as free(1)).");
    for (size_t i = 0; i < sizeof(mem) / sizeof(mem[0]); i++) {
        const char *lv[] = {"kind", mem[i].kind};
        sample_u(b, "vigil_memory_bytes", lv, 1, mem[i].v);
    }
    family(b, "vigil_swap_bytes", "gauge", "Swap space in bytes by kind.");
    for (size_t i = 0; i < sizeof(swap) / sizeof(swap[0]); i++) {
        const char *lv[] = {"kind", swap[i].kind};
        sample_u(b, "vigil_swap_bytes", lv, 1, swap[i].v);
    }
}

static void render_processes(struct strbuf *b, const struct snapshot *s)
{
    /* counted from the process list itself so the counts match the listed processes */
    struct task_counts tc;
    task_counts_compute(s->procs, s->n_procs, &tc);
    const struct {
        const char *state;
        unsigned n;
    } st[] = {{"running", tc.running}, {"sleeping", tc.sleeping}, {"disk_sleep", tc.disk_sleep},
              {"zombie", tc.zombie},   {"stopped", tc.stopped},   {"idle", tc.idle},
              {"other", tc.other}};
    family(b, "vigil_processes", "gauge", "Number of processes by state (threads not counted).");
    for (size_t i = 0; i < sizeof(st) / sizeof(st[0]); i++) {
        const char *lv[] = {"state", st[i].state};
        sample_u(b, "vigil_processes", lv, 1, st[i].n);
    }
}

static const char *iface_mac(const struct iface *ifc)
{
    for (size_t i = 0; i < ifc->n_addrs; i++)
        if (ifc->addrs[i].family == IFACE_ADDR_LINK)
            return ifc->addrs[i].address;
    return "";
}

enum iface_value { IV_UP, IV_RUNNING, IV_MTU };

static void render_iface_gauge(struct strbuf *b, const struct snapshot *s, const char *name,
                               const char *help, enum iface_value which)
{
    family(b, name, "gauge", help);
    for (size_t i = 0; i < s->n_ifaces; i++) {
        const struct iface *ifc = &s->ifaces[i];
        const char *lv[] = {"interface", ifc->name};
        uint64_t v = which == IV_UP        ? ifc->up
                     : which == IV_RUNNING ? ifc->running
                                           : (uint64_t)(ifc->mtu > 0 ? ifc->mtu : 0);
        sample_u(b, name, lv, 1, v);
    }
}

static void render_network(struct strbuf *b, const struct snapshot *s)
{
    if (!s->n_ifaces)
        return;
    render_iface_gauge(b, s, "vigil_network_up", "Whether the interface is up (IFF_UP).", IV_UP);
    render_iface_gauge(b, s, "vigil_network_running",
                       "Whether the interface is running (IFF_RUNNING).", IV_RUNNING);
    render_iface_gauge(b, s, "vigil_network_mtu_bytes", "MTU of the interface in bytes.", IV_MTU);

    bool any_speed = false;
    for (size_t i = 0; i < s->n_ifaces; i++)
        any_speed |= s->ifaces[i].speed_mbps >= 0;
    if (any_speed) {
        family(b, "vigil_network_speed_bytes", "gauge",
               "Link speed in bytes per second, where the driver reports one.");
        for (size_t i = 0; i < s->n_ifaces; i++) {
            const struct iface *ifc = &s->ifaces[i];
            if (ifc->speed_mbps < 0)
                continue;
            const char *lv[] = {"interface", ifc->name};
            /* Mb/s → bytes/s: 10^6 / 8 */
            sample_u(b, "vigil_network_speed_bytes", lv, 1, (uint64_t)ifc->speed_mbps * 125000);
        }
    }

    family(b, "vigil_network_info", "gauge", "Interface link settings; the value is always 1.");
    for (size_t i = 0; i < s->n_ifaces; i++) {
        const struct iface *ifc = &s->ifaces[i];
        const char *lv[] = {"interface", ifc->name,     "duplex", iface_duplex_name(ifc->duplex),
                            "mac",       iface_mac(ifc)};
        sample_u(b, "vigil_network_info", lv, 3, 1);
    }

    bool any_addr = false;
    for (size_t i = 0; i < s->n_ifaces; i++)
        for (size_t a = 0; a < s->ifaces[i].n_addrs; a++)
            any_addr |= s->ifaces[i].addrs[a].family != IFACE_ADDR_LINK;
    if (any_addr) {
        family(b, "vigil_network_address_info", "gauge",
               "IP addresses of each interface; the value is always 1.");
        for (size_t i = 0; i < s->n_ifaces; i++) {
            const struct iface *ifc = &s->ifaces[i];
            for (size_t a = 0; a < ifc->n_addrs; a++) {
                const struct iface_addr *ad = &ifc->addrs[a];
                if (ad->family == IFACE_ADDR_LINK) /* the MAC is in vigil_network_info */
                    continue;
                const char *lv[] = {
                    "interface", ifc->name,   "family",  iface_family_name(ad->family),
                    "address",   ad->address, "netmask", ad->netmask};
                sample_u(b, "vigil_network_address_info", lv, 4, 1);
            }
        }
    }

    const struct {
        const char *name, *help;
        size_t off;
    } ctr[] = {
        {"vigil_network_receive_bytes_total", "Bytes received.", offsetof(struct iface, rx_bytes)},
        {"vigil_network_transmit_bytes_total", "Bytes transmitted.",
         offsetof(struct iface, tx_bytes)},
        {"vigil_network_receive_packets_total", "Packets received.",
         offsetof(struct iface, rx_packets)},
        {"vigil_network_transmit_packets_total", "Packets transmitted.",
         offsetof(struct iface, tx_packets)},
        {"vigil_network_receive_errors_total", "Receive errors.",
         offsetof(struct iface, rx_errors)},
        {"vigil_network_transmit_errors_total", "Transmit errors.",
         offsetof(struct iface, tx_errors)},
        {"vigil_network_receive_drop_total", "Received packets dropped.",
         offsetof(struct iface, rx_dropped)},
        {"vigil_network_transmit_drop_total", "Packets dropped on transmit.",
         offsetof(struct iface, tx_dropped)},
    };
    for (size_t c = 0; c < sizeof(ctr) / sizeof(ctr[0]); c++) {
        family(b, ctr[c].name, "counter", ctr[c].help);
        for (size_t i = 0; i < s->n_ifaces; i++) {
            const struct iface *ifc = &s->ifaces[i];
            uint64_t v;
            memcpy(&v, (const char *)ifc + ctr[c].off, sizeof(v));
            const char *lv[] = {"interface", ifc->name};
            sample_u(b, ctr[c].name, lv, 1, v);
        }
    }
}

/* Busiest first: CPU share over the interval, then total CPU time, then lower pid. */
static int cmp_by_cpu(const void *a, const void *b)
{
    const struct proc_entry *x = *(const struct proc_entry *const *)a;
    const struct proc_entry *y = *(const struct proc_entry *const *)b;
    if (x->cpu_percent != y->cpu_percent)
        return x->cpu_percent > y->cpu_percent ? -1 : 1;
    uint64_t tx = x->utime + x->stime, ty = y->utime + y->stime;
    if (tx != ty)
        return tx > ty ? -1 : 1;
    return (x->pid > y->pid) - (x->pid < y->pid);
}

static void render_top_processes(struct strbuf *b, const struct snapshot *s,
                                 const struct metrics_config *cfg, double tck)
{
    size_t top = cfg->top_processes;
    if (!top || !s->n_procs)
        return;
    const struct proc_entry **order = xreallocarray(NULL, s->n_procs, sizeof(*order));
    size_t m = 0;
    for (size_t i = 0; i < s->n_procs; i++)
        if (!cfg->only || view_selects_process(cfg->only, &s->procs[i]))
            order[m++] = &s->procs[i];
    if (!m) {
        free(order);
        return;
    }
    qsort(order, m, sizeof(*order), cmp_by_cpu);
    size_t n = top < m ? top : m;

    family(b, "vigil_process_cpu_seconds_total", "counter",
           "User and system CPU seconds of the busiest processes.");
    for (size_t i = 0; i < n; i++) {
        char pid[16];
        snprintf(pid, sizeof(pid), "%d", (int)order[i]->pid);
        const char *lv[] = {"pid", pid, "name", order[i]->name};
        sample_f(b, "vigil_process_cpu_seconds_total", lv, 2,
                 (double)(order[i]->utime + order[i]->stime) / tck);
    }
    family(b, "vigil_process_resident_memory_bytes", "gauge",
           "Resident set size in bytes of the busiest processes.");
    for (size_t i = 0; i < n; i++) {
        char pid[16];
        snprintf(pid, sizeof(pid), "%d", (int)order[i]->pid);
        const char *lv[] = {"pid", pid, "name", order[i]->name};
        sample_u(b, "vigil_process_resident_memory_bytes", lv, 2, order[i]->rss);
    }
    free(order);
}

void metrics_render(const struct snapshot *s, const struct metrics_config *cfg, struct strbuf *out)
{
    double tck = cfg->clk_tck > 0 ? (double)cfg->clk_tck : 100.0;
    strbuf_reserve(out, 16384);
    render_host(out, s, tck);
    render_memory(out, s);
    render_processes(out, s);
    render_network(out, s);
    render_top_processes(out, s, cfg, tck);
}
