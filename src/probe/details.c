/* The process inspector's model: ownership, names, and the rates between two reads. */
#include "probe/details.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

void proc_details_init(struct proc_details *d)
{
    memset(d, 0, sizeof(*d));
    d->cpu.cpu_percent = -1;
    d->cpu.ionice_class = IONICE_UNKNOWN;
    d->cpu.ionice_level = -1;
    d->cpu.ctx_voluntary = d->cpu.ctx_involuntary = -1;
    int64_t *const sizes[] = {&d->mem.rss,      &d->mem.vms,      &d->mem.shared,  &d->mem.text,
                              &d->mem.data,     &d->mem.stack,    &d->mem.lib,     &d->mem.swap,
                              &d->mem.peak_vms, &d->mem.peak_rss, &d->mem.locked,  &d->mem.pte,
                              &d->mem.pss,      &d->mem.uss,      &d->mem.swap_pss};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        *sizes[i] = -1;
    double *const rates[] = {&d->io.read_bytes_rate, &d->io.write_bytes_rate, &d->io.rchar_rate,
                             &d->io.wchar_rate,      &d->io.syscr_rate,       &d->io.syscw_rate};
    for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
        *rates[i] = -1;
}

void proc_details_done(struct proc_details *d)
{
    if (!d)
        return;
    free(d->id.cwd);
    free(d->id.exe);
    free(d->id.cmdline);
    free(d->cpu.affinity);
    for (size_t i = 0; i < d->mem.n_maps; i++)
        free(d->mem.maps[i].path);
    free(d->mem.maps);
    free(d->threads);
    for (size_t i = 0; i < d->n_fds; i++)
        free(d->fds[i].target);
    free(d->fds);
    for (size_t i = 0; i < d->n_conns; i++)
        free(d->conns[i].path);
    free(d->conns);
    free(d->limits);
    free(d->children);
    proc_details_init(d);
}

/* Ticks used between two readings as a percentage of dt seconds; 0 when it went back. */
static double tick_pct(uint64_t prev, uint64_t cur, long clk_tck, double dt)
{
    if (cur < prev || clk_tck <= 0 || dt <= 0)
        return 0;
    return (double)(cur - prev) / (double)clk_tck / dt * 100.0;
}

static double counter_rate(uint64_t prev, uint64_t cur, double dt)
{
    if (cur < prev || dt <= 0)
        return -1;
    return (double)(cur - prev) / dt;
}

static const struct details_thread *find_thread(const struct proc_details *d, pid_t tid)
{
    size_t lo = 0, hi = d->n_threads;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (d->threads[mid].tid == tid)
            return &d->threads[mid];
        if (d->threads[mid].tid < tid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

void details_rates_compute(const struct proc_details *prev, struct proc_details *cur)
{
    cur->interval = 0;
    cur->cpu.cpu_percent = -1;
    for (size_t i = 0; i < cur->n_threads; i++)
        cur->threads[i].cpu_percent = -1;
    double *const rates[] = {&cur->io.read_bytes_rate, &cur->io.write_bytes_rate,
                             &cur->io.rchar_rate,      &cur->io.wchar_rate,
                             &cur->io.syscr_rate,      &cur->io.syscw_rate};
    for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++)
        *rates[i] = -1;
    if (!prev || prev->pid != cur->pid || prev->start_ticks != cur->start_ticks)
        return;
    double dt = cur->mono - prev->mono;
    if (dt <= 0)
        return;
    cur->interval = dt;
    long hz = cur->clk_tck;
    cur->cpu.cpu_percent =
        tick_pct(prev->cpu.utime + prev->cpu.stime, cur->cpu.utime + cur->cpu.stime, hz, dt);
    for (size_t i = 0; i < cur->n_threads; i++) {
        struct details_thread *t = &cur->threads[i];
        const struct details_thread *o = find_thread(prev, t->tid);
        if (o && o->start_ticks == t->start_ticks)
            t->cpu_percent = tick_pct(o->utime + o->stime, t->utime + t->stime, hz, dt);
    }
    if (prev->io.err == 0 && cur->io.err == 0) {
        const struct details_io *a = &prev->io, *b = &cur->io;
        cur->io.read_bytes_rate = counter_rate(a->read_bytes, b->read_bytes, dt);
        cur->io.write_bytes_rate = counter_rate(a->write_bytes, b->write_bytes, dt);
        cur->io.rchar_rate = counter_rate(a->rchar, b->rchar, dt);
        cur->io.wchar_rate = counter_rate(a->wchar, b->wchar, dt);
        cur->io.syscr_rate = counter_rate(a->syscr, b->syscr, dt);
        cur->io.syscw_rate = counter_rate(a->syscw, b->syscw, dt);
    }
}

const char *details_sched_policy_name(int policy)
{
    /* include/uapi/linux/sched.h: 4 was SCHED_ISO, never merged */
    switch (policy) {
    case 0:
        return "normal";
    case 1:
        return "fifo";
    case 2:
        return "rr";
    case 3:
        return "batch";
    case 5:
        return "idle";
    case 6:
        return "deadline";
    default:
        return NULL;
    }
}

const char *details_error_text(int err)
{
    switch (err) {
    case 0:
        return "";
    case DETAILS_E_ZOMBIE:
        return "not available: the process is a zombie";
    case -EACCES:
    case -EPERM:
        return "permission denied";
    case -ESRCH:
        return "no such process";
    case -ENOENT:
        return "not found";
    case -EINVAL:
        return "unreadable format";
    case -ENOMEM:
        return "out of memory";
    case -EMFILE:
    case -ENFILE:
        return "too many open files";
    case -ENOSYS:
        return "not supported by this kernel";
    case -EIO:
        return "input/output error";
    case -ENODATA:
        return "no data";
    default:
        return "not readable";
    }
}

const char *details_fd_kind_name(int kind)
{
    switch (kind) {
    case DETAILS_FD_FILE:
        return "file";
    case DETAILS_FD_SOCKET:
        return "socket";
    case DETAILS_FD_PIPE:
        return "pipe";
    case DETAILS_FD_ANON:
        return "anon_inode";
    default:
        return "other";
    }
}

const char *details_conn_proto_name(int proto)
{
    switch (proto) {
    case DETAILS_TCP:
        return "tcp";
    case DETAILS_UDP:
        return "udp";
    case DETAILS_UNIX:
        return "unix";
    default:
        return "unknown";
    }
}

const char *details_sock_type_name(int type)
{
    switch (type) {
    case SOCK_STREAM:
        return "stream";
    case SOCK_DGRAM:
        return "dgram";
    case SOCK_SEQPACKET:
        return "seqpacket";
    case SOCK_RAW:
        return "raw";
    default:
        return "unknown";
    }
}

/* include/net/tcp_states.h */
static const char *tcp_state_name(int st)
{
    static const char *const names[] = {
        NULL,    "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",   "TIME_WAIT",
        "CLOSE", "CLOSE_WAIT",  "LAST_ACK", "LISTEN",   "CLOSING",   "NEW_SYN_RECV"};
    if (st > 0 && (size_t)st < sizeof(names) / sizeof(names[0]))
        return names[st];
    return "UNKNOWN";
}

const char *details_conn_state_name(const struct details_conn *c)
{
    switch (c->proto) {
    case DETAILS_TCP:
        return tcp_state_name(c->state);
    case DETAILS_UDP:
        /* UDP borrows TCP_ESTABLISHED once connect()ed and TCP_CLOSE otherwise; ss says
         * UNCONN for the latter */
        return c->state == 1 ? "ESTABLISHED" : c->state == 7 ? "UNCONN" : tcp_state_name(c->state);
    case DETAILS_UNIX:
        if (c->listening)
            return "LISTEN";
        switch (c->state) { /* include/uapi/linux/net.h socket_state */
        case 1:
            return "UNCONNECTED";
        case 2:
            return "CONNECTING";
        case 3:
            return "CONNECTED";
        case 4:
            return "DISCONNECTING";
        default:
            return "UNKNOWN";
        }
    default:
        return "UNKNOWN";
    }
}

/* A name from the kernel with control characters made visible as '?'. */
static void printable_name(const char *in, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; in[i] && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)in[i];
        out[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    out[j] = '\0';
}

void details_zombie_message(const struct proc_details *d, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    buf[0] = '\0';
    if (!d->zombie)
        return;
    char name[PROC_NAME_MAX], parent[PROC_NAME_MAX + 32];
    printable_name(d->id.name, name, sizeof(name));
    if (d->id.ppid <= 0)
        snprintf(parent, sizeof(parent), "its parent (outside this PID namespace)");
    else if (d->id.parent_name[0]) {
        char pn[PROC_NAME_MAX];
        printable_name(d->id.parent_name, pn, sizeof(pn));
        snprintf(parent, sizeof(parent), "its parent %d (%s)", (int)d->id.ppid, pn);
    } else {
        snprintf(parent, sizeof(parent), "its parent %d", (int)d->id.ppid);
    }
    snprintf(buf, cap,
             "process %d (%s) is a zombie: it has exited and only its exit record is left. "
             "Known: its identity, user, final CPU times, I/O counters and limits. Gone: its "
             "command line, executable, working directory, memory, open files and "
             "connections. It waits for %s to reap it: signalling the zombie does nothing, "
             "signalling or ending the parent does.",
             (int)d->pid, name, parent);
}
