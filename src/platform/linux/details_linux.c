/* The process inspector's reads: every file of /proc/PID the inspector shows, read
 * through one descriptor of the /proc/PID directory (relative to the probe's proc root)
 * and parsed in details_parse.c.
 *
 * Identity: the directory descriptor is bound to the process that had the PID when it was
 * opened; once that process is reaped, reads through it fail with ESRCH even if the PID
 * is reused. So the start time is checked through it first, and again after the last
 * read: if it still matches, everything read came from the selected process. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "platform/linux/details_parse.h"
#include "platform/linux/linux_platform.h"
#include "platform/linux/sys_parse.h"
#include "probe/xalloc.h"

#define PF_KTHREAD_  0x00200000ul /* include/linux/sched.h */
#define READ_ALL_MAX (256u << 20) /* smaps of a huge process; beyond this is not sane */

/* Reads a whole file of any size through one open descriptor (so the kernel generates it
 * once). *buf is owned by the caller (free) and NUL-terminated; returns 0 or -errno. */
static int read_all_at(int pfd, const char *path, char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    int fd = openat(pfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t cap = 4096, n = 0;
    char *b = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap >= READ_ALL_MAX) {
                free(b);
                close(fd);
                return -EFBIG;
            }
            cap *= 2;
            b = xrealloc(b, cap);
        }
        ssize_t r = read(fd, b + n, cap - 1 - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(b);
            close(fd);
            return -e;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    b[n] = '\0';
    *buf = b;
    *len = n;
    return 0;
}

/* readlink of any length; *out owned (NUL-terminated). */
static int read_link_at(int pfd, const char *path, char **out, size_t *len)
{
    size_t cap = 256;
    for (;;) {
        char *b = xmalloc(cap);
        ssize_t n = readlinkat(pfd, path, b, cap);
        if (n < 0) {
            int e = errno;
            free(b);
            return -e;
        }
        if ((size_t)n < cap) {
            b[n] = '\0';
            *out = b;
            if (len)
                *len = (size_t)n;
            return 0;
        }
        free(b);
        if (cap >= 65536)
            return -ENAMETOOLONG;
        cap *= 4;
    }
}

static int read_stat_at(int pfd, const char *path, struct details_stat *st)
{
    char buf[4096];
    ssize_t n = linux_read_file_at(pfd, path, buf, sizeof(buf));
    if (n < 0)
        return (int)n;
    return details_parse_stat(buf, (size_t)n, st);
}

/* Opens a directory relative to dirfd for reading entries. */
static DIR *open_dir_at(int pfd, const char *path, int *err)
{
    int fd = openat(pfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *err = -errno;
        return NULL;
    }
    DIR *d = fdopendir(fd);
    if (!d) {
        *err = -errno;
        close(fd);
        return NULL;
    }
    *err = 0;
    return d;
}

/* A directory entry that is a non-negative decimal number ("12" in task/ or fd/). */
static bool entry_number(const char *name, long *out)
{
    if (!name[0])
        return false;
    long v = 0;
    for (const char *p = name; *p; p++) {
        if (*p < '0' || *p > '9' || v > 100000000)
            return false;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return true;
}

static void user_name(uid_t uid, char *out, size_t cap)
{
    struct passwd pw, *res = NULL;
    char buf[4096];
    if (getpwuid_r(uid, &pw, buf, sizeof(buf), &res) == 0 && res && res->pw_name[0])
        snprintf(out, cap, "%s", res->pw_name);
    else
        snprintf(out, cap, "%u", (unsigned)uid);
}

static double boot_time(int proc_fd)
{
    char *buf;
    size_t len;
    struct sys_stat st;
    double bt = 0;
    if (read_all_at(proc_fd, "stat", &buf, &len) < 0)
        return 0;
    if (sys_stat_parse(buf, len, &st) == 0) {
        bt = (double)st.btime;
        sys_stat_done(&st);
    }
    free(buf);
    return bt;
}

/* ---- sections ---- */

static void fill_from_stat(struct proc_details *d, const struct details_stat *st,
                           const struct linux_details_env *env)
{
    struct details_identity *id = &d->id;
    snprintf(id->name, sizeof(id->name), "%s", st->comm);
    id->ppid = st->ppid;
    id->state = st->state;
    id->kernel_thread = (st->flags & PF_KTHREAD_) != 0;
    id->tty_nr = st->tty_nr;
    struct details_cpu *c = &d->cpu;
    c->utime = st->utime;
    c->stime = st->stime;
    c->cutime = st->cutime;
    c->cstime = st->cstime;
    c->nice = st->nice;
    c->priority = st->priority;
    c->rt_priority = st->rt_priority;
    c->policy = st->policy;
    c->processor = st->processor;
    c->num_threads = st->num_threads;
    d->clk_tck = env->clk_tck;
    /* a thread-group leader that called pthread_exit shows Z while its threads run */
    d->zombie = st->state == 'Z' && st->num_threads <= 1;
}

static void read_parent(int proc_fd, struct proc_details *d)
{
    if (d->id.ppid <= 0)
        return;
    char path[32];
    struct details_stat st;
    snprintf(path, sizeof(path), "%d/stat", (int)d->id.ppid);
    if (read_stat_at(proc_fd, path, &st) == 0) {
        snprintf(d->id.parent_name, sizeof(d->id.parent_name), "%s", st.comm);
        d->id.parent_start_ticks = st.starttime;
    }
}

static void read_status(int pfd, struct proc_details *d)
{
    char *buf;
    size_t len;
    struct details_status st;
    int r = read_all_at(pfd, "status", &buf, &len);
    if (r == 0)
        r = details_parse_status(buf, len, &st);
    d->mem.status_err = r;
    if (r < 0) {
        free(buf);
        return;
    }
    struct details_identity *id = &d->id;
    if (st.have_ids) {
        id->have_ids = true;
        memcpy(id->uids, st.uid, sizeof(id->uids));
        memcpy(id->gids, st.gid, sizeof(id->gids));
        for (int i = 0; i < 3; i++)
            user_name(st.uid[i], id->user_names[i], sizeof(id->user_names[i]));
    }
    struct details_memory *m = &d->mem;
    m->rss = st.vm_rss;
    m->vms = st.vm_size;
    m->shared = st.rss_file >= 0 && st.rss_shmem >= 0 ? st.rss_file + st.rss_shmem : -1;
    m->text = st.vm_exe;
    m->data = st.vm_data;
    m->stack = st.vm_stk;
    m->lib = st.vm_lib;
    m->swap = st.vm_swap;
    m->peak_vms = st.vm_peak;
    m->peak_rss = st.vm_hwm;
    m->locked = st.vm_lck;
    m->pte = st.vm_pte;
    d->cpu.ctx_voluntary = st.ctx_voluntary;
    d->cpu.ctx_involuntary = st.ctx_involuntary;
    if (st.cpus_allowed_list && details_parse_cpu_list(st.cpus_allowed_list, st.cpus_allowed_len,
                                                       &d->cpu.affinity, &d->cpu.n_affinity) < 0) {
        d->cpu.affinity = NULL;
        d->cpu.n_affinity = 0;
    }
    free(buf);
}

static void read_paths(int pfd, struct proc_details *d)
{
    struct details_identity *id = &d->id;
    id->cwd_err = read_link_at(pfd, "cwd", &id->cwd, NULL);
    id->exe_err = read_link_at(pfd, "exe", &id->exe, NULL);
    char *buf;
    size_t len;
    id->cmdline_err = read_all_at(pfd, "cmdline", &buf, &len);
    if (id->cmdline_err < 0)
        return;
    if (len == 0) { /* kernel threads and zombies have no command line */
        free(buf);
        return;
    }
    if (buf[len - 1] == '\0')
        len--; /* the trailing NUL ends the last argument; it is not an empty one */
    size_t argc = 1;
    for (size_t i = 0; i < len; i++)
        argc += buf[i] == '\0';
    id->cmdline = buf;
    id->cmdline_len = len;
    id->cmdline_argc = argc;
}

static void read_ionice(const struct linux_details_env *env, pid_t pid, struct proc_details *d)
{
    /* ioprio has no /proc file: only ask the kernel when the root is the live /proc */
    if (!env->live || d->zombie)
        return;
    int cls, level;
    if (linux_ioprio_get(pid, &cls, &level) == 0) {
        d->cpu.ionice_class = cls;
        d->cpu.ionice_level = level;
    }
}

static void read_io(int pfd, struct proc_details *d)
{
    char buf[1024];
    struct details_io_counters io;
    ssize_t n = linux_read_file_at(pfd, "io", buf, sizeof(buf));
    int r = n < 0 ? (int)n : details_parse_io(buf, (size_t)n, &io);
    d->io.err = r;
    if (r < 0)
        return;
    d->io.rchar = io.rchar;
    d->io.wchar = io.wchar;
    d->io.syscr = io.syscr;
    d->io.syscw = io.syscw;
    d->io.read_bytes = io.read_bytes;
    d->io.write_bytes = io.write_bytes;
    d->io.cancelled_write_bytes = io.cancelled_write_bytes;
}

static void set_rollup(struct details_memory *m, const struct details_rollup *r)
{
    m->pss = (int64_t)r->pss;
    m->uss = (int64_t)(r->private_clean + r->private_dirty);
    m->swap_pss = (int64_t)r->swap_pss;
}

static void read_maps(int pfd, struct proc_details *d)
{
    struct details_memory *m = &d->mem;
    char *buf;
    size_t len;
    struct details_rollup totals;
    m->maps_err = read_all_at(pfd, "smaps", &buf, &len);
    if (m->maps_err == 0) {
        m->maps_err = details_parse_smaps(buf, len, &m->maps, &m->n_maps, &totals);
        free(buf);
    }
    /* smaps_rollup (Linux 4.14) sums without the per-mapping rounding of smaps */
    m->rollup_err = read_all_at(pfd, "smaps_rollup", &buf, &len);
    if (m->rollup_err == 0) {
        struct details_rollup r;
        if (len == 0)
            m->rollup_err = -ENODATA; /* no memory map at all: a kernel thread */
        else if ((m->rollup_err = details_parse_smaps_rollup(buf, len, &r)) == 0)
            set_rollup(m, &r);
        free(buf);
    } else if (m->rollup_err == -ENOENT && m->maps_err == 0) {
        m->rollup_err = 0;
        set_rollup(m, &totals);
    }
    /* a kernel thread has no user memory; the kernel answers ESRCH, which would read as
     * "no such process" */
    if (d->id.kernel_thread && m->rollup_err)
        m->rollup_err = -ENODATA;
}

static int thread_cmp(const void *a, const void *b)
{
    const struct details_thread *x = a, *y = b;
    return (x->tid > y->tid) - (x->tid < y->tid);
}

static void read_threads(int pfd, struct proc_details *d)
{
    DIR *dir = open_dir_at(pfd, "task", &d->threads_err);
    if (!dir)
        return;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        long tid;
        if (!entry_number(de->d_name, &tid))
            continue;
        char path[300];
        struct details_stat st;
        snprintf(path, sizeof(path), "%s/stat", de->d_name);
        if (read_stat_at(dirfd(dir), path, &st) < 0)
            continue; /* the thread exited while being listed */
        if (d->n_threads == cap) {
            cap = cap ? cap * 2 : 8;
            d->threads = xreallocarray(d->threads, cap, sizeof(*d->threads));
        }
        struct details_thread *t = &d->threads[d->n_threads++];
        memset(t, 0, sizeof(*t));
        t->tid = (pid_t)tid;
        snprintf(t->name, sizeof(t->name), "%s", st.comm);
        t->state = st.state;
        t->start_ticks = st.starttime;
        t->utime = st.utime;
        t->stime = st.stime;
        t->processor = st.processor;
        t->cpu_percent = -1;
    }
    closedir(dir);
    if (d->n_threads > 1)
        qsort(d->threads, d->n_threads, sizeof(*d->threads), thread_cmp);
}

static int fd_cmp(const void *a, const void *b)
{
    const struct details_fd *x = a, *y = b;
    return (x->fd > y->fd) - (x->fd < y->fd);
}

static void read_fds(int pfd, struct proc_details *d)
{
    DIR *dir = open_dir_at(pfd, "fd", &d->fds_err);
    if (!dir)
        return;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(dir))) {
        long fd;
        if (!entry_number(de->d_name, &fd))
            continue;
        char *target = NULL;
        size_t len = 0;
        int r = read_link_at(dirfd(dir), de->d_name, &target, &len);
        if (r == -ENOENT)
            continue; /* closed while being listed */
        if (d->n_fds == cap) {
            cap = cap ? cap * 2 : 16;
            d->fds = xreallocarray(d->fds, cap, sizeof(*d->fds));
        }
        struct details_fd *f = &d->fds[d->n_fds++];
        memset(f, 0, sizeof(*f));
        f->fd = (int)fd;
        f->err = r;
        f->kind = DETAILS_FD_OTHER;
        if (r == 0) {
            f->target = target;
            details_parse_fd_target(target, len, &f->kind, &f->inode);
        }
    }
    closedir(dir);
    if (d->n_fds > 1)
        qsort(d->fds, d->n_fds, sizeof(*d->fds), fd_cmp);
}

static int u64_cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int conn_cmp(const void *a, const void *b)
{
    const struct details_conn *x = a, *y = b;
    if (x->proto != y->proto)
        return x->proto - y->proto;
    if (x->fd != y->fd)
        return (x->fd > y->fd) - (x->fd < y->fd);
    return (x->family > y->family) - (x->family < y->family);
}

/* Sockets of the process's fds matched with the tables of its network namespace. */
static void read_conns(int pfd, struct proc_details *d)
{
    static const struct {
        const char *path;
        int family, proto;
    } tables[] = {
        {"net/tcp", AF_INET, DETAILS_TCP},   {"net/tcp6", AF_INET6, DETAILS_TCP},
        {"net/udp", AF_INET, DETAILS_UDP},   {"net/udp6", AF_INET6, DETAILS_UDP},
        {"net/unix", AF_UNIX, DETAILS_UNIX},
    };
    if (d->fds_err) {
        d->conns_err = d->fds_err;
        return;
    }
    uint64_t *inodes = xcalloc(d->n_fds ? d->n_fds : 1, sizeof(*inodes));
    size_t n_in = 0;
    for (size_t i = 0; i < d->n_fds; i++)
        if (d->fds[i].kind == DETAILS_FD_SOCKET)
            inodes[n_in++] = d->fds[i].inode;
    qsort(inodes, n_in, sizeof(*inodes), u64_cmp);
    struct details_conn *found = NULL;
    size_t n_found = 0;
    for (size_t t = 0; n_in && t < sizeof(tables) / sizeof(tables[0]); t++) {
        char *buf;
        size_t len;
        int r = read_all_at(pfd, tables[t].path, &buf, &len);
        if (r == 0) {
            r = tables[t].family == AF_UNIX
                    ? details_parse_net_unix(buf, len, inodes, n_in, &found, &n_found)
                    : details_parse_net_inet(buf, len, tables[t].family, tables[t].proto, inodes,
                                             n_in, &found, &n_found);
            free(buf);
        }
        if (r < 0 && r != -ENOENT && !d->conns_err) /* ENOENT: no IPv6 in this kernel */
            d->conns_err = r;
    }
    free(inodes);
    /* one entry per descriptor: a socket dup()ed to two fds is listed under both */
    size_t cap = 0;
    for (size_t i = 0; i < d->n_fds; i++) {
        if (d->fds[i].kind != DETAILS_FD_SOCKET)
            continue;
        for (size_t k = 0; k < n_found; k++) {
            if (found[k].inode != d->fds[i].inode)
                continue;
            if (d->n_conns == cap) {
                cap = cap ? cap * 2 : 8;
                d->conns = xreallocarray(d->conns, cap, sizeof(*d->conns));
            }
            struct details_conn *c = &d->conns[d->n_conns++];
            *c = found[k];
            c->fd = d->fds[i].fd;
            c->path = found[k].path ? xstrdup(found[k].path) : NULL;
        }
    }
    for (size_t k = 0; k < n_found; k++)
        free(found[k].path);
    free(found);
    if (d->n_conns > 1)
        qsort(d->conns, d->n_conns, sizeof(*d->conns), conn_cmp);
}

static void read_limits(int pfd, struct proc_details *d)
{
    char buf[4096];
    ssize_t n = linux_read_file_at(pfd, "limits", buf, sizeof(buf));
    d->limits_err = n < 0 ? (int)n : details_parse_limits(buf, (size_t)n, &d->limits, &d->n_limits);
}

static int pid_cmp(const void *a, const void *b)
{
    pid_t x = *(const pid_t *)a, y = *(const pid_t *)b;
    return (x > y) - (x < y);
}

/* Without task/TID/children (CONFIG_PROC_CHILDREN off): every process whose parent it is. */
static int children_by_scan(int proc_fd, pid_t pid, pid_t **pids, size_t *n)
{
    int err;
    DIR *dir = open_dir_at(proc_fd, ".", &err);
    if (!dir)
        return err;
    struct dirent *de;
    while ((de = readdir(dir))) {
        long p;
        char path[300];
        struct details_stat st;
        if (!entry_number(de->d_name, &p))
            continue;
        snprintf(path, sizeof(path), "%s/stat", de->d_name);
        if (read_stat_at(proc_fd, path, &st) == 0 && st.ppid == pid) {
            *pids = xreallocarray(*pids, *n + 1, sizeof(**pids));
            (*pids)[(*n)++] = (pid_t)p;
        }
    }
    closedir(dir);
    return 0;
}

static void read_children(int proc_fd, int pfd, pid_t pid, struct proc_details *d)
{
    pid_t *pids = NULL;
    size_t n = 0;
    int err = 0;
    /* a child's parent is the thread that forked it: each thread lists its own */
    for (size_t i = 0; i < d->n_threads && !err; i++) {
        char path[64], buf[8192];
        snprintf(path, sizeof(path), "task/%d/children", (int)d->threads[i].tid);
        ssize_t len = linux_read_file_at(pfd, path, buf, sizeof(buf));
        if (len == -ENOENT && i == 0) {
            err = children_by_scan(proc_fd, pid, &pids, &n);
            break;
        }
        if (len >= 0)
            err = details_parse_pid_list(buf, (size_t)len, &pids, &n);
    }
    if (d->threads_err && !err)
        err = children_by_scan(proc_fd, pid, &pids, &n);
    d->children_err = err;
    if (n > 1)
        qsort(pids, n, sizeof(*pids), pid_cmp);
    d->children = xcalloc(n ? n : 1, sizeof(*d->children));
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && pids[i] == pids[i - 1])
            continue;
        char path[32];
        struct details_stat st;
        snprintf(path, sizeof(path), "%d/stat", (int)pids[i]);
        if (read_stat_at(proc_fd, path, &st) < 0 || st.ppid != pid)
            continue; /* exited, or reparented since the list was read */
        struct details_child *c = &d->children[d->n_children++];
        c->pid = pids[i];
        c->start_ticks = st.starttime;
        snprintf(c->name, sizeof(c->name), "%s", st.comm);
    }
    free(pids);
}

/* What a zombie no longer has is marked as such instead of looking empty. */
static void mark_zombie(struct proc_details *d)
{
    d->id.cwd_err = d->id.exe_err = d->id.cmdline_err = DETAILS_E_ZOMBIE;
    free(d->id.cwd);
    free(d->id.exe);
    free(d->id.cmdline);
    d->id.cwd = d->id.exe = d->id.cmdline = NULL;
    d->id.cmdline_len = d->id.cmdline_argc = 0;
    for (size_t i = 0; i < d->mem.n_maps; i++)
        free(d->mem.maps[i].path);
    free(d->mem.maps);
    d->mem.maps = NULL;
    d->mem.n_maps = 0;
    d->mem.maps_err = d->mem.rollup_err = DETAILS_E_ZOMBIE;
    d->mem.pss = d->mem.uss = d->mem.swap_pss = -1;
    for (size_t i = 0; i < d->n_fds; i++)
        free(d->fds[i].target);
    free(d->fds);
    d->fds = NULL;
    d->n_fds = 0;
    d->fds_err = d->conns_err = DETAILS_E_ZOMBIE;
}

int linux_read_details(int proc_fd, const struct linux_details_env *env, pid_t pid,
                       uint64_t start_ticks, struct proc_details *out)
{
    proc_details_init(out);
    if (pid <= 0)
        return -ESRCH;
    char name[32];
    snprintf(name, sizeof(name), "%d", (int)pid);
    int pfd = openat(proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pfd < 0)
        return errno == ENOENT ? -ESRCH : -errno;
    struct details_stat st;
    int r = read_stat_at(pfd, "stat", &st);
    if (r < 0 || st.starttime != start_ticks) {
        close(pfd);
        return r == -EINVAL || r == 0 || r == -ENOENT ? -ESRCH : r;
    }
    out->pid = pid;
    out->start_ticks = start_ticks;
    fill_from_stat(out, &st, env);
    double bt = boot_time(proc_fd);
    if (bt > 0 && env->clk_tck > 0)
        out->id.start_time = bt + (double)st.starttime / (double)env->clk_tck;
    read_parent(proc_fd, out);
    read_status(pfd, out);
    read_paths(pfd, out);
    read_ionice(env, pid, out);
    read_io(pfd, out);
    read_maps(pfd, out);
    read_threads(pfd, out);
    read_fds(pfd, out);
    read_conns(pfd, out);
    read_limits(pfd, out);
    read_children(proc_fd, pfd, pid, out);
    if (out->zombie)
        mark_zombie(out);

    /* still the same process, not yet reaped: then every read above was of it */
    struct details_stat again;
    r = read_stat_at(pfd, "stat", &again);
    close(pfd);
    if (r < 0 || again.starttime != start_ticks) {
        proc_details_done(out);
        return -ESRCH;
    }
    return 0;
}
