#include "platform/linux/sys_parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"

/* A read position inside [p, end) of the caller's buffer; nothing past end is touched. */
struct cursor {
    const char *p;
    const char *end;
};

static void skip_blanks(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

static bool is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* Unsigned decimal after optional blanks. -ENODATA when the line holds no more fields
 * (so callers can tell "missing" from "garbage"), -EINVAL on garbage or overflow. */
static int parse_u64(struct cursor *c, uint64_t *out)
{
    skip_blanks(c);
    if (c->p >= c->end || *c->p == '\n')
        return -ENODATA;
    if (!is_digit(*c->p))
        return -EINVAL;
    uint64_t v = 0;
    while (c->p < c->end && is_digit(*c->p)) {
        unsigned d = (unsigned)(*c->p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -EINVAL;
        v = v * 10 + d;
        c->p++;
    }
    /* a number runs up to a blank or the end of its line */
    if (c->p < c->end && *c->p != ' ' && *c->p != '\t' && *c->p != '\n')
        return -EINVAL;
    *out = v;
    return 0;
}

/* Non-negative decimal with an optional fraction, parsed by hand: strtod would follow
 * LC_NUMERIC, and the UI sets the locale. */
static int parse_decimal(struct cursor *c, double *out)
{
    skip_blanks(c);
    if (c->p >= c->end || !is_digit(*c->p))
        return -EINVAL;
    double v = 0;
    while (c->p < c->end && is_digit(*c->p))
        v = v * 10 + (*c->p++ - '0');
    if (c->p < c->end && *c->p == '.') {
        c->p++;
        double scale = 1;
        uint64_t frac = 0;
        int digits = 0;
        while (c->p < c->end && is_digit(*c->p)) {
            if (digits < 18) {
                frac = frac * 10 + (uint64_t)(*c->p - '0');
                scale *= 10;
                digits++;
            }
            c->p++;
        }
        v += (double)frac / scale;
    }
    *out = v;
    return 0;
}

/* Splits off the next line; *terminated tells whether it ended with '\n' (the kernel
 * always ends lines so; a last line without it was cut off). */
static bool next_line(struct cursor *c, struct cursor *line, bool *terminated)
{
    if (c->p >= c->end)
        return false;
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    line->p = c->p;
    line->end = nl ? nl : c->end;
    *terminated = nl != NULL;
    c->p = nl ? nl + 1 : c->end;
    return true;
}

static bool starts_with(const struct cursor *line, const char *word)
{
    size_t n = strlen(word);
    return (size_t)(line->end - line->p) >= n && memcmp(line->p, word, n) == 0;
}

/* "cpu[N] user nice system idle iowait irq softirq steal guest guest_nice". */
static int parse_cpu_fields(struct cursor *line, struct cpu_times *t)
{
    memset(t, 0, sizeof(*t));
    int n = 0;
    for (; n < CPU_MODE_COUNT; n++) {
        int r = parse_u64(line, &t->ticks[n]);
        if (r == -ENODATA)
            break;
        if (r < 0)
            return r;
    }
    /* user, nice, system, idle exist on every kernel; newer modes were appended */
    if (n < 4)
        return -EINVAL;
    /* a future kernel may append modes we do not know: they must still be numbers */
    for (;;) {
        uint64_t extra;
        int r = parse_u64(line, &extra);
        if (r == -ENODATA)
            return 0;
        if (r < 0)
            return r;
    }
}

int sys_stat_parse(const char *buf, size_t len, struct sys_stat *out)
{
    memset(out, 0, sizeof(*out));
    struct cursor c = {buf, buf + len};
    struct cursor line;
    bool terminated, have_total = false, have_btime = false;
    size_t cap = 0;
    int err = 0;

    while (next_line(&c, &line, &terminated)) {
        if (starts_with(&line, "cpu")) {
            if (!terminated) {
                err = -EINVAL;
                break;
            }
            line.p += 3;
            struct cpu_times t;
            if (line.p < line.end && (*line.p == ' ' || *line.p == '\t')) {
                if (have_total) {
                    err = -EINVAL;
                    break;
                }
                if ((err = parse_cpu_fields(&line, &out->total)) < 0)
                    break;
                have_total = true;
                continue;
            }
            uint64_t id;
            if (line.p >= line.end || !is_digit(*line.p) || parse_u64(&line, &id) < 0 ||
                id > INT32_MAX || (err = parse_cpu_fields(&line, &t)) < 0) {
                err = -EINVAL;
                break;
            }
            if (out->n_cpus == cap) {
                cap = cap ? cap * 2 : 8;
                out->cpus = xreallocarray(out->cpus, cap, sizeof(*out->cpus));
            }
            struct cpu_line *cl = &out->cpus[out->n_cpus++];
            memset(cl, 0, sizeof(*cl));
            cl->id = (int)id;
            cl->times = t;
        } else if (starts_with(&line, "btime ")) {
            line.p += 6;
            if (!terminated || parse_u64(&line, &out->btime) < 0) {
                err = -EINVAL;
                break;
            }
            have_btime = true;
        } else if (starts_with(&line, "procs_running ")) {
            line.p += 14;
            uint64_t v;
            if (!terminated || parse_u64(&line, &v) < 0 || v > UINT32_MAX) {
                err = -EINVAL;
                break;
            }
            out->procs_running = (unsigned)v;
            out->have_procs_running = true;
        }
    }
    if (!err && (!have_total || !have_btime))
        err = -EINVAL;
    if (err) {
        sys_stat_done(out);
        return err;
    }
    return 0;
}

void sys_stat_done(struct sys_stat *s)
{
    if (!s)
        return;
    free(s->cpus);
    s->cpus = NULL;
    s->n_cpus = 0;
}

int sys_meminfo_parse(const char *buf, size_t len, struct sys_meminfo *out)
{
    static const struct {
        const char *key;
        size_t offset;
    } keys[] = {
        {"MemTotal", offsetof(struct sys_meminfo, mem_total)},
        {"MemFree", offsetof(struct sys_meminfo, mem_free)},
        {"MemAvailable", offsetof(struct sys_meminfo, mem_available)},
        {"Buffers", offsetof(struct sys_meminfo, buffers)},
        {"Cached", offsetof(struct sys_meminfo, cached)},
        {"SReclaimable", offsetof(struct sys_meminfo, sreclaimable)},
        {"Shmem", offsetof(struct sys_meminfo, shmem)},
        {"SwapTotal", offsetof(struct sys_meminfo, swap_total)},
        {"SwapFree", offsetof(struct sys_meminfo, swap_free)},
    };
    enum { N_KEYS = sizeof(keys) / sizeof(keys[0]) };
    bool seen[N_KEYS] = {false};

    memset(out, 0, sizeof(*out));
    struct cursor c = {buf, buf + len};
    struct cursor line;
    bool terminated;
    while (next_line(&c, &line, &terminated)) {
        const char *colon = memchr(line.p, ':', (size_t)(line.end - line.p));
        if (!colon)
            continue;
        size_t klen = (size_t)(colon - line.p);
        size_t k = 0;
        while (k < N_KEYS && !(strlen(keys[k].key) == klen && !memcmp(keys[k].key, line.p, klen)))
            k++;
        if (k == N_KEYS)
            continue;
        struct cursor val = {colon + 1, line.end};
        uint64_t v;
        if (!terminated || seen[k] || parse_u64(&val, &v) < 0)
            return -EINVAL;
        skip_blanks(&val);
        if ((size_t)(val.end - val.p) < 2 || memcmp(val.p, "kB", 2) != 0 || v > UINT64_MAX / 1024)
            return -EINVAL;
        seen[k] = true;
        uint64_t *field = (uint64_t *)(void *)((char *)out + keys[k].offset);
        *field = v * 1024;
    }
    if (!seen[0] || !seen[1])
        return -EINVAL;
    out->have_available = seen[2];
    return 0;
}

void sys_mem_compute(const struct sys_meminfo *mi, struct mem_info *out)
{
    memset(out, 0, sizeof(*out));
    out->total = mi->mem_total;
    out->free = mi->mem_free;
    out->buffers = mi->buffers;
    out->cached = mi->cached + mi->sreclaimable;
    out->shared = mi->shmem;
    /* procps-ng 4 library/meminfo.c: a missing (0) or impossible MemAvailable falls back
     * to MemFree; used is what is not available. */
    uint64_t avail = mi->have_available ? mi->mem_available : 0;
    if (avail == 0 || avail > mi->mem_total)
        avail = mi->mem_free;
    out->available = avail;
    if (avail <= mi->mem_total)
        out->used = mi->mem_total - avail;
    else if (mi->mem_free <= mi->mem_total)
        out->used = mi->mem_total - mi->mem_free;
    out->swap_total = mi->swap_total;
    out->swap_free = mi->swap_free;
    out->swap_used = mi->swap_free < mi->swap_total ? mi->swap_total - mi->swap_free : 0;
}

int sys_loadavg_parse(const char *buf, size_t len, double load[3])
{
    struct cursor c = {buf, buf + len};
    for (int i = 0; i < 3; i++) {
        if (parse_decimal(&c, &load[i]) < 0)
            return -EINVAL;
        /* "runnable/total" follows the third figure; without it the file was cut */
        if (c.p >= c.end || (*c.p != ' ' && *c.p != '\t'))
            return -EINVAL;
    }
    return 0;
}

int sys_uptime_parse(const char *buf, size_t len, double *uptime)
{
    struct cursor c = {buf, buf + len};
    if (parse_decimal(&c, uptime) < 0)
        return -EINVAL;
    /* the idle time follows; without it the first figure may have been cut */
    if (c.p >= c.end || (*c.p != ' ' && *c.p != '\t'))
        return -EINVAL;
    return 0;
}

static int topo_cmp(const void *a, const void *b)
{
    const struct cpu_topo *x = a, *y = b;
    if (x->package != y->package)
        return x->package < y->package ? -1 : 1;
    if (x->die != y->die)
        return x->die < y->die ? -1 : 1;
    if (x->core != y->core)
        return x->core < y->core ? -1 : 1;
    return 0;
}

void sys_topology_count(struct cpu_topo *topo, size_t n, int *physical, int *sockets)
{
    *physical = 0;
    *sockets = 0;
    if (n == 0)
        return;
    qsort(topo, n, sizeof(*topo), topo_cmp);
    for (size_t i = 0; i < n; i++) {
        bool new_triple = i == 0 || topo_cmp(&topo[i - 1], &topo[i]) != 0;
        bool new_package = i == 0 || topo[i - 1].package != topo[i].package;
        if (new_triple && topo[i].core >= 0)
            (*physical)++;
        if (new_package && topo[i].package >= 0)
            (*sockets)++;
    }
}

/* "key<blanks>: value" of /proc/cpuinfo: the key with trailing blanks removed. */
static bool cpuinfo_key(const struct cursor *line, const char *key, struct cursor *value)
{
    const char *colon = memchr(line->p, ':', (size_t)(line->end - line->p));
    if (!colon)
        return false;
    const char *kend = colon;
    while (kend > line->p && (kend[-1] == ' ' || kend[-1] == '\t'))
        kend--;
    size_t klen = strlen(key);
    if ((size_t)(kend - line->p) != klen || memcmp(line->p, key, klen) != 0)
        return false;
    value->p = colon + 1;
    value->end = line->end;
    return true;
}

int sys_cpuinfo_topology(const char *buf, size_t len, int *physical, int *sockets)
{
    *physical = 0;
    *sockets = 0;
    struct cursor c = {buf, buf + len};
    struct cursor line, val;
    bool terminated;
    struct cpu_topo *topo = NULL;
    size_t n = 0, cap = 0;
    long phys = -1, core = -1;
    bool in_block = false;
    int err = 0;

    for (;;) {
        bool more = next_line(&c, &line, &terminated);
        bool is_processor = more && cpuinfo_key(&line, "processor", &val);
        /* a block ends at the next "processor" line or the end of the file */
        if ((is_processor || !more) && in_block && phys >= 0 && core >= 0) {
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                topo = xreallocarray(topo, cap, sizeof(*topo));
            }
            topo[n++] = (struct cpu_topo){.package = phys, .die = -1, .core = core};
        }
        if (!more)
            break;
        if (is_processor) {
            in_block = true;
            phys = core = -1;
            continue;
        }
        long *slot = NULL;
        if (cpuinfo_key(&line, "physical id", &val))
            slot = &phys;
        else if (cpuinfo_key(&line, "core id", &val))
            slot = &core;
        if (!slot)
            continue;
        uint64_t v;
        if (!terminated || parse_u64(&val, &v) < 0 || v > INT32_MAX) {
            err = -EINVAL;
            break;
        }
        *slot = (long)v;
    }
    if (!err)
        sys_topology_count(topo, n, physical, sockets);
    free(topo);
    return err;
}

int sys_line_parse(const char *buf, size_t len, char *out, size_t cap)
{
    if (cap == 0)
        return -EINVAL;
    const char *nl = memchr(buf, '\n', len);
    size_t n = nl ? (size_t)(nl - buf) : len;
    if (n == 0 || memchr(buf, '\0', n)) {
        out[0] = '\0';
        return -EINVAL;
    }
    if (n >= cap)
        n = cap - 1;
    memcpy(out, buf, n);
    out[n] = '\0';
    return 0;
}
