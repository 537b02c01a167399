/* The inspector's page as lines of text, built from a details reading (no curses). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "probe/xalloc.h"
#include "ui/format.h"
#include "ui/inspect.h"

static struct inspect_line *vadd(struct inspect_lines *l, enum theme_elem style, const char *fmt,
                                 va_list ap) __attribute__((format(printf, 3, 0)));
static struct inspect_line *vadd(struct inspect_lines *l, enum theme_elem style, const char *fmt,
                                 va_list ap)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = xreallocarray(l->v, l->cap, sizeof(*l->v));
    }
    struct inspect_line *line = &l->v[l->n++];
    memset(line, 0, sizeof(*line));
    line->style = style;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    line->text = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    vsnprintf(line->text, n > 0 ? (size_t)n + 1 : 1, fmt, ap);
    return line;
}

static struct inspect_line *add(struct inspect_lines *l, enum theme_elem style, const char *fmt,
                                ...) __attribute__((format(printf, 3, 4)));
static struct inspect_line *add(struct inspect_lines *l, enum theme_elem style, const char *fmt,
                                ...)
{
    va_list ap;
    va_start(ap, fmt);
    struct inspect_line *line = vadd(l, style, fmt, ap);
    va_end(ap);
    return line;
}

void inspect_lines_done(struct inspect_lines *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].text);
    free(l->v);
    memset(l, 0, sizeof(*l));
}

/* A size, or "-" when unknown. */
static const char *mem(char *buf, size_t cap, int64_t v)
{
    if (v < 0)
        snprintf(buf, cap, "-");
    else
        fmt_mem(buf, cap, (uint64_t)v);
    return buf;
}

static const char *pct(char *buf, size_t cap, double v)
{
    if (v < 0)
        snprintf(buf, cap, "n/a");
    else
        fmt_percent(buf, cap, v);
    return buf;
}

/* "0-3,8" from an ascending list. */
static void cpu_list(const int *cpus, size_t n, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j + 1 < n && cpus[j + 1] == cpus[j] + 1)
            j++;
        int w = j > i
                    ? snprintf(buf + used, cap - used, "%s%d-%d", used ? "," : "", cpus[i], cpus[j])
                    : snprintf(buf + used, cap - used, "%s%d", used ? "," : "", cpus[i]);
        if (w < 0 || (size_t)w >= cap - used) {
            buf[used] = '\0';
            return;
        }
        used += (size_t)w;
        i = j;
    }
}

static void section(struct inspect_lines *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void section(struct inspect_lines *l, const char *fmt, ...)
{
    add(l, TH_DEFAULT, "%s", "");
    va_list ap;
    va_start(ap, fmt);
    vadd(l, TH_TITLE, fmt, ap);
    va_end(ap);
}

/* A part that could not be read: its reason, in the error style. */
static void unreadable(struct inspect_lines *l, const char *what, int err)
{
    enum theme_elem st = err == DETAILS_E_ZOMBIE ? TH_DIM : TH_STATUS_ERROR;
    if (strlen(what) <= 8) /* in the column of the values around it */
        add(l, st, "  %-8s %s", what, details_error_text(err));
    else
        add(l, st, "  %s: %s", what, details_error_text(err));
}

static void identity(struct inspect_lines *l, const struct proc_details *d)
{
    const struct details_identity *id = &d->id;
    section(l, "Identity");
    struct inspect_line *pl;
    if (id->parent_name[0])
        pl = add(l, TH_DEFAULT, "  PID %d    parent %d (%s)", (int)d->pid, (int)id->ppid,
                 id->parent_name);
    else
        pl = add(l, TH_DEFAULT, "  PID %d    parent %d", (int)d->pid, (int)id->ppid);
    if (id->ppid > 0 && id->parent_start_ticks) {
        pl->jump.pid = id->ppid;
        pl->jump.start_ticks = id->parent_start_ticks;
    }
    if (id->start_time > 0) {
        time_t t = (time_t)id->start_time;
        struct tm tm;
        char when[64] = "?";
        if (localtime_r(&t, &tm))
            strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
        add(l, TH_DEFAULT, "  Started  %s", when);
    }
    if (id->have_ids) {
        add(l, TH_DEFAULT, "  User     real %s (%u)   effective %s (%u)   saved %s (%u)",
            id->user_names[0], (unsigned)id->uids[0], id->user_names[1], (unsigned)id->uids[1],
            id->user_names[2], (unsigned)id->uids[2]);
        add(l, TH_DEFAULT, "  Group    real %u   effective %u   saved %u", (unsigned)id->gids[0],
            (unsigned)id->gids[1], (unsigned)id->gids[2]);
    }
    char tty[32];
    add(l, TH_DEFAULT, "  State    %c (%s)%s    TTY %s", id->state, proc_state_name(id->state),
        id->kernel_thread ? ", kernel thread" : "",
        proc_tty_name(id->tty_nr, tty, sizeof(tty)) ? tty : "none");
    if (id->cwd)
        add(l, TH_DEFAULT, "  Cwd      %s", id->cwd);
    else
        unreadable(l, "Cwd", id->cwd_err);
    if (id->exe)
        add(l, TH_DEFAULT, "  Exe      %s", id->exe);
    else
        unreadable(l, "Exe", id->exe_err);
    if (id->cmdline) {
        char *cmd = xmalloc(id->cmdline_len + 1);
        for (size_t i = 0; i < id->cmdline_len; i++)
            cmd[i] = id->cmdline[i] ? id->cmdline[i] : ' ';
        cmd[id->cmdline_len] = '\0';
        add(l, TH_DEFAULT, "  Command  %s", cmd);
        free(cmd);
    } else if (id->cmdline_err) {
        unreadable(l, "Command", id->cmdline_err);
    } else {
        add(l, TH_DIM, "  Command  [%s] (no command line)", id->name);
    }
}

static void cpu(struct inspect_lines *l, const struct proc_details *d)
{
    const struct details_cpu *c = &d->cpu;
    double hz = d->clk_tck > 0 ? (double)d->clk_tck : 100.0;
    char p[16], aff[256], io[16];
    section(l, "CPU");
    add(l, TH_DEFAULT,
        "  Usage    %s%%    user %.2fs   system %.2fs   children user %.2fs   "
        "system %.2fs",
        pct(p, sizeof(p), c->cpu_percent), (double)c->utime / hz, (double)c->stime / hz,
        (double)c->cutime / hz, (double)c->cstime / hz);
    cpu_list(c->affinity, c->n_affinity, aff, sizeof(aff));
    add(l, TH_DEFAULT, "  Affinity CPUs %s    (a changes it)", c->n_affinity ? aff : "unknown");
    const char *policy = details_sched_policy_name(c->policy);
    fmt_ionice(io, sizeof(io), c->ionice_class, c->ionice_level);
    add(l, TH_DEFAULT,
        "  Nice %d   priority %d   policy %s   RT priority %d   I/O %s   last CPU %d", c->nice,
        c->priority, policy ? policy : "?", c->rt_priority < 0 ? 0 : c->rt_priority, io,
        c->processor);
    add(l, TH_DEFAULT, "  Context switches: voluntary %lld, involuntary %lld    threads %d",
        (long long)c->ctx_voluntary, (long long)c->ctx_involuntary, c->num_threads);
}

static void memory(struct inspect_lines *l, const struct details_memory *m)
{
    char a[16], b[16], c[16], e[16], f[16], g[16], h[16];
    section(l, "Memory");
    if (m->status_err)
        unreadable(l, "status", m->status_err);
    add(l, TH_DEFAULT, "  RSS %s   VIRT %s   shared %s   text %s   data %s   stack %s   swap %s",
        mem(a, sizeof(a), m->rss), mem(b, sizeof(b), m->vms), mem(c, sizeof(c), m->shared),
        mem(e, sizeof(e), m->text), mem(f, sizeof(f), m->data), mem(g, sizeof(g), m->stack),
        mem(h, sizeof(h), m->swap));
    add(l, TH_DEFAULT, "  peak RSS %s   peak VIRT %s   locked %s   libraries %s   page tables %s",
        mem(a, sizeof(a), m->peak_rss), mem(b, sizeof(b), m->peak_vms),
        mem(c, sizeof(c), m->locked), mem(e, sizeof(e), m->lib), mem(f, sizeof(f), m->pte));
    if (m->rollup_err)
        unreadable(l, "PSS/USS", m->rollup_err);
    else
        add(l, TH_DEFAULT, "  PSS %s   USS %s   swap PSS %s", mem(a, sizeof(a), m->pss),
            mem(b, sizeof(b), m->uss), mem(c, sizeof(c), m->swap_pss));
    if (m->maps_err) {
        unreadable(l, "Memory map", m->maps_err);
        return;
    }
    add(l, TH_DEFAULT, "  Memory map by path, largest first (%zu)", m->n_maps);
    add(l, TH_PANEL_HEADER, "    %6s %8s %8s %6s %5s  %s", "RSS", "PRIVATE", "SHARED", "SWAP",
        "MAPS", "PATH");
    for (size_t i = 0; i < m->n_maps; i++) {
        const struct details_map *mp = &m->maps[i];
        fmt_mem(a, sizeof(a), mp->rss);
        fmt_mem(b, sizeof(b), mp->private_bytes);
        fmt_mem(c, sizeof(c), mp->shared_bytes);
        fmt_mem(e, sizeof(e), mp->swap);
        add(l, TH_DEFAULT, "    %6s %8s %8s %6s %5u  %s", a, b, c, e, mp->count, mp->path);
    }
}

static void io(struct inspect_lines *l, const struct details_io *io)
{
    section(l, "I/O");
    if (io->err) {
        unreadable(l, "I/O counters", io->err);
        return;
    }
    char a[16], b[16], c[16], e[16], ra[16], rb[16];
    fmt_mem(a, sizeof(a), io->read_bytes);
    fmt_mem(b, sizeof(b), io->rchar);
    fmt_rate(ra, sizeof(ra), io->read_bytes_rate);
    fmt_rate(rb, sizeof(rb), io->rchar_rate);
    fmt_count(c, sizeof(c), io->syscr);
    add(l, TH_DEFAULT, "  Read   storage %s (%s)   all %s (%s)   %s calls", a, ra, b, rb, c);
    fmt_mem(a, sizeof(a), io->write_bytes);
    fmt_mem(b, sizeof(b), io->wchar);
    fmt_rate(ra, sizeof(ra), io->write_bytes_rate);
    fmt_rate(rb, sizeof(rb), io->wchar_rate);
    fmt_count(c, sizeof(c), io->syscw);
    fmt_mem(e, sizeof(e), io->cancelled_write_bytes);
    add(l, TH_DEFAULT, "  Write  storage %s (%s)   all %s (%s)   %s calls   cancelled %s", a, ra, b,
        rb, c, e);
}

static void threads(struct inspect_lines *l, const struct proc_details *d)
{
    section(l, "Threads (%zu)", d->n_threads);
    if (d->threads_err) {
        unreadable(l, "Threads", d->threads_err);
        return;
    }
    add(l, TH_PANEL_HEADER, "    %7s %s %5s %9s %4s  %s", "TID", "S", "CPU%", "TIME+", "CPU",
        "NAME");
    double hz = d->clk_tck > 0 ? (double)d->clk_tck : 100.0;
    for (size_t i = 0; i < d->n_threads; i++) {
        const struct details_thread *t = &d->threads[i];
        char p[16], tm[16];
        pct(p, sizeof(p), t->cpu_percent);
        fmt_time_plus(tm, sizeof(tm), (double)(t->utime + t->stime) / hz);
        add(l, TH_DEFAULT, "    %7d %c %5s %9s %4d  %s", (int)t->tid, t->state, p, tm, t->processor,
            t->name);
    }
}

static void files(struct inspect_lines *l, const struct proc_details *d)
{
    if (d->fds_err) {
        section(l, "Open files");
        unreadable(l, "Descriptors", d->fds_err);
        return;
    }
    section(l, "Open files (%zu descriptors)", d->n_fds);
    add(l, TH_PANEL_HEADER, "    %5s %-10s  %s", "FD", "TYPE", "TARGET");
    for (size_t i = 0; i < d->n_fds; i++) {
        const struct details_fd *f = &d->fds[i];
        if (f->err)
            add(l, TH_STATUS_ERROR, "    %5d %-10s  %s", f->fd, "?", details_error_text(f->err));
        else
            add(l, TH_DEFAULT, "    %5d %-10s  %s", f->fd, details_fd_kind_name(f->kind),
                f->target);
    }
}

static void endpoint(char *buf, size_t cap, int family, const char *addr, unsigned port)
{
    snprintf(buf, cap, family == AF_INET6 ? "[%s]:%u" : "%s:%u", addr, port);
}

static void connections(struct inspect_lines *l, const struct proc_details *d)
{
    if (d->conns_err && d->n_conns == 0) {
        section(l, "Connections");
        unreadable(l, "Sockets", d->conns_err);
        return;
    }
    section(l, "Connections (%zu)", d->n_conns);
    if (d->conns_err)
        unreadable(l, "Some tables", d->conns_err);
    if (d->n_conns == 0) {
        add(l, TH_DIM, "    (no TCP, UDP or UNIX sockets)");
        return;
    }
    add(l, TH_PANEL_HEADER, "    %5s %-5s %-12s %-28s %-28s", "FD", "PROTO", "STATE", "LOCAL",
        "REMOTE");
    for (size_t i = 0; i < d->n_conns; i++) {
        const struct details_conn *c = &d->conns[i];
        char local[DETAILS_ADDR_STRLEN + 16], remote[DETAILS_ADDR_STRLEN + 16];
        char proto[8];
        snprintf(proto, sizeof(proto), "%s%s", details_conn_proto_name(c->proto),
                 c->family == AF_INET6 ? "6" : "");
        if (c->proto == DETAILS_UNIX) {
            add(l, TH_DEFAULT, "    %5d %-5s %-12s %s (%s)", c->fd, proto,
                details_conn_state_name(c), c->path ? c->path : "(unnamed)",
                details_sock_type_name(c->type));
            continue;
        }
        endpoint(local, sizeof(local), c->family, c->local, c->local_port);
        bool peer = c->remote_port != 0 ||
                    (strcmp(c->remote, "0.0.0.0") != 0 && strcmp(c->remote, "::") != 0);
        if (peer)
            endpoint(remote, sizeof(remote), c->family, c->remote, c->remote_port);
        else
            snprintf(remote, sizeof(remote), "*");
        add(l, TH_DEFAULT, "    %5d %-5s %-12s %-28s %-28s", c->fd, proto,
            details_conn_state_name(c), local, remote);
    }
}

static void limit_text(char *buf, size_t cap, uint64_t v)
{
    if (v == DETAILS_RLIM_INFINITY)
        snprintf(buf, cap, "unlimited");
    else
        snprintf(buf, cap, "%llu", (unsigned long long)v);
}

static void limits(struct inspect_lines *l, const struct proc_details *d)
{
    section(l, "Limits");
    if (d->limits_err) {
        unreadable(l, "Limits", d->limits_err);
        return;
    }
    add(l, TH_PANEL_HEADER, "    %-22s %-11s %20s %20s  %s", "LIMIT", "RESOURCE", "SOFT", "HARD",
        "UNIT");
    for (size_t i = 0; i < d->n_limits; i++) {
        const struct details_limit *lim = &d->limits[i];
        char soft[24], hard[24];
        limit_text(soft, sizeof(soft), lim->soft);
        limit_text(hard, sizeof(hard), lim->hard);
        add(l, TH_DEFAULT, "    %-22s %-11s %20s %20s  %s", lim->name,
            lim->resource ? lim->resource : "?", soft, hard, lim->unit);
    }
}

static void children(struct inspect_lines *l, const struct proc_details *d)
{
    section(l, "Children (%zu)%s", d->n_children, d->n_children ? "    Enter opens one" : "");
    if (d->children_err) {
        unreadable(l, "Children", d->children_err);
        return;
    }
    if (d->n_children == 0)
        add(l, TH_DIM, "    (none)");
    for (size_t i = 0; i < d->n_children; i++) {
        struct inspect_line *cl =
            add(l, TH_DEFAULT, "    %7d  %s", (int)d->children[i].pid, d->children[i].name);
        cl->jump.pid = d->children[i].pid;
        cl->jump.start_ticks = d->children[i].start_ticks;
    }
}

void inspect_lines_build(const struct proc_details *d, bool gone, struct inspect_lines *out)
{
    inspect_lines_done(out);
    add(out, TH_TITLE, "Process %d (%s)", (int)d->pid, d->id.name);
    if (gone)
        add(out, TH_STATUS_ERROR,
            "  process %d is gone: it exited after this reading, which is shown as it was",
            (int)d->pid);
    if (d->zombie) {
        char msg[512];
        details_zombie_message(d, msg, sizeof(msg));
        /* the message is long: one sentence per line, wrapped at a word near 90 */
        const char *p = msg;
        while (*p) {
            const char *dot = strstr(p, ". ");
            size_t n = dot ? (size_t)(dot - p) + 1 : strlen(p);
            if (n > 90) {
                size_t cut = 90;
                while (cut > 40 && p[cut] != ' ')
                    cut--;
                n = cut;
            }
            add(out, TH_ZOMBIE, "  %.*s", (int)n, p);
            p += n;
            while (*p == ' ')
                p++;
        }
        if (d->id.ppid > 0 && d->id.parent_start_ticks) {
            struct inspect_line *pl = add(out, TH_ZOMBIE, "  Parent: %d (%s)    Enter opens it",
                                          (int)d->id.ppid, d->id.parent_name);
            pl->jump.pid = d->id.ppid;
            pl->jump.start_ticks = d->id.parent_start_ticks;
        }
    }
    identity(out, d);
    cpu(out, d);
    memory(out, &d->mem);
    io(out, &d->io);
    threads(out, d);
    files(out, d);
    connections(out, d);
    limits(out, d);
    children(out, d);
}
