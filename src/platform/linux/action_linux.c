/* Linux half of process actions: the identity check at the moment of acting, and the
 * system calls (pidfd_send_signal / kill, setpriority, ioprio_set, sched_setaffinity).
 *
 * How a target is pinned (target_open):
 *   1. open /proc/PID as a directory. The descriptor is bound to the process that had the
 *      PID at that moment: once that process is reaped, every file opened or read through
 *      it fails with ESRCH/ENOENT, even if the number is given to a new process.
 *   2. pidfd_open(PID): a handle on whoever has the PID now.
 *   3. read stat through the directory and compare its start time with the selected one.
 * If step 3 succeeds, the process of step 1 was not yet reaped at step 3, so it held the
 * PID all along and the pidfd of step 2 is that same process. A start time that differs
 * means the PID belongs to another process now: nothing is done ("gone").
 *
 * Signals then go through the pidfd, which can never reach another process. nice, I/O
 * priority and CPU affinity have no pidfd form: they are set by PID and confirmed afterwards by
 * reading stat through the directory again. If that read works, the process was not reaped when the
 * call ran, so the PID was still its own and the call reached it.
 *
 * Without pidfds (ENOSYS, kernels before 5.3) a signal is sent with kill() after the
 * start-time check. Residual race: between the check and kill() the process could exit,
 * be reaped and its PID be handed to a new process — that needs the PID space to wrap in
 * those microseconds, so it is unlikely, but only the pidfd path rules it out. */
#include "probe/action.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "platform/linux/action_linux.h"
#include "platform/linux/linux_platform.h"
#include "probe/xalloc.h"

/* include/linux/sched.h: the task is a kernel thread */
#define PF_KTHREAD_ 0x00200000ULL

struct action_ctx {
    int proc_fd;
    bool use_pidfd; /* cleared by tests, or once the kernel answers ENOSYS */
};

struct action_ctx *action_ctx_new(const char *proc_root, int *err)
{
    int fd = open(proc_root ? proc_root : "/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        *err = -errno;
        return NULL;
    }
    struct action_ctx *ac = xcalloc(1, sizeof(*ac));
    ac->proc_fd = fd;
    ac->use_pidfd = true;
    *err = 0;
    return ac;
}

void action_ctx_free(struct action_ctx *ac)
{
    if (!ac)
        return;
    close(ac->proc_fd);
    free(ac);
}

void action_ctx_use_pidfd(struct action_ctx *ac, bool use)
{
    ac->use_pidfd = use;
}

/* ---- pure parsers ---- */

/* Next space-separated token in [*p, end); false when there is none. */
static bool next_token(const char **p, const char *end, const char **tok, size_t *len)
{
    const char *s = *p;
    while (s < end && (*s == ' ' || *s == '\n'))
        s++;
    if (s >= end)
        return false;
    const char *e = s;
    while (e < end && *e != ' ' && *e != '\n')
        e++;
    *tok = s;
    *len = (size_t)(e - s);
    *p = e;
    return true;
}

/* A decimal integer token, optionally negative; false on anything else. */
static bool token_ll(const char *tok, size_t len, long long *out)
{
    bool neg = len > 0 && tok[0] == '-';
    size_t i = neg ? 1 : 0;
    if (i >= len || len - i > 19)
        return false;
    unsigned long long v = 0;
    for (; i < len; i++) {
        if (tok[i] < '0' || tok[i] > '9')
            return false;
        v = v * 10 + (unsigned)(tok[i] - '0');
    }
    if (v > (unsigned long long)INT64_MAX)
        return false;
    *out = neg ? -(long long)v : (long long)v;
    return true;
}

int action_stat_parse(const char *buf, size_t len, struct action_stat *out)
{
    memset(out, 0, sizeof(*out));
    const char *end = buf + len;
    const char *open = memchr(buf, '(', len);
    const char *close = NULL;
    for (const char *q = end; q > buf; q--)
        if (q[-1] == ')') {
            close = q - 1;
            break;
        }
    if (!open || !close || close < open)
        return -EINVAL;
    size_t clen = (size_t)(close - open - 1);
    if (clen >= sizeof(out->comm))
        clen = sizeof(out->comm) - 1;
    memcpy(out->comm, open + 1, clen);
    out->comm[clen] = '\0';

    const char *p = close + 1, *tok;
    size_t tlen;
    /* field 3 is the state letter; numbered fields 4..22 follow */
    if (!next_token(&p, end, &tok, &tlen) || tlen != 1)
        return -EINVAL;
    out->state = tok[0];
    for (int field = 4; field <= 22; field++) {
        long long v;
        if (!next_token(&p, end, &tok, &tlen) || !token_ll(tok, tlen, &v))
            return -EINVAL;
        if (field == 4)
            out->ppid = (pid_t)v;
        else if (field == 9)
            out->kernel_thread = ((unsigned long long)v & PF_KTHREAD_) != 0;
        else if (field == 19)
            out->nice = (int)v;
        else if (field == 20)
            out->num_threads = (long)v;
        else if (field == 22) {
            if (v < 0)
                return -EINVAL;
            out->start_ticks = (uint64_t)v;
        }
    }
    return 0;
}

int action_limits_nice_parse(const char *buf, size_t len, long *soft)
{
    static const char key[] = "Max nice priority";
    const char *end = buf + len;
    for (const char *line = buf; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *lend = nl ? nl : end;
        if ((size_t)(lend - line) > sizeof(key) - 1 && memcmp(line, key, sizeof(key) - 1) == 0) {
            const char *p = line + sizeof(key) - 1, *tok;
            size_t tlen;
            long long v;
            if (!next_token(&p, lend, &tok, &tlen))
                return -EINVAL;
            if (tlen == 9 && memcmp(tok, "unlimited", 9) == 0) {
                *soft = 40;
                return 0;
            }
            if (!token_ll(tok, tlen, &v) || v < 0)
                return -EINVAL;
            *soft = v > 40 ? 40 : (long)v;
            return 0;
        }
        line = lend + 1;
    }
    return -EINVAL;
}

int action_nice_floor(long rlimit_nice)
{
    long f = 20 - rlimit_nice;
    if (f < ACTION_NICE_MIN)
        f = ACTION_NICE_MIN;
    if (f > 20)
        f = 20;
    return (int)f;
}

/* ---- the pinned target ---- */

struct target {
    int dirfd; /* /proc/PID, bound to the process (see the top of the file) */
    int pidfd; /* -1 without pidfd support */
    struct action_stat st;
    /* a thread target: /proc/PID/task/TID (bound to that thread) and its stat; -1 else */
    int tdirfd;
    pid_t tid;
    struct action_stat tst;
};

static int read_stat_at(int dirfd, const char *path, struct action_stat *st)
{
    char buf[1024];
    ssize_t n = linux_read_file_at(dirfd, path, buf, sizeof(buf));
    if (n < 0)
        return (int)n;
    return action_stat_parse(buf, (size_t)n, st) == 0 ? 0 : -EIO;
}

static int sys_pidfd_open(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    errno = ENOSYS;
    return -1;
#endif
}

static int sys_pidfd_send_signal(int pidfd, int sig)
{
#ifdef SYS_pidfd_send_signal
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
#else
    (void)pidfd;
    (void)sig;
    errno = ENOSYS;
    return -1;
#endif
}

static void target_close(struct target *t)
{
    if (t->tdirfd >= 0)
        close(t->tdirfd);
    if (t->pidfd >= 0)
        close(t->pidfd);
    if (t->dirfd >= 0)
        close(t->dirfd);
    t->pidfd = t->dirfd = t->tdirfd = -1;
}

static void set_status(struct action_result *res, enum action_status st, int err)
{
    res->status = st;
    res->err = err;
}

/* Pins id (see the top of the file). On failure fills res (gone or failed) and returns
 * its -errno; the target is then closed. */
static int target_open(struct action_ctx *ac, const struct proc_ident *id, struct target *t,
                       struct action_result *res)
{
    t->dirfd = t->pidfd = t->tdirfd = -1;
    t->tid = 0;
    char path[32];
    snprintf(path, sizeof(path), "%d", (int)id->pid);
    t->dirfd = openat(ac->proc_fd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (t->dirfd < 0) {
        int e = errno;
        set_status(res, e == ENOENT || e == ESRCH ? ACTION_GONE : ACTION_FAILED,
                   e == ENOENT ? -ESRCH : -e);
        return res->err;
    }
    if (ac->use_pidfd) {
        t->pidfd = sys_pidfd_open(id->pid);
        if (t->pidfd < 0) {
            int e = errno;
            if (e == ENOSYS) {
                ac->use_pidfd = false;
            } else if (e == ESRCH || e == EINVAL) {
                /* EINVAL: the number is now a thread of some other process */
                res->mismatch = e == EINVAL;
                set_status(res, ACTION_GONE, -ESRCH);
                target_close(t);
                return res->err;
            } else {
                set_status(res, ACTION_FAILED, -e);
                target_close(t);
                return res->err;
            }
        }
    }
    int r = read_stat_at(t->dirfd, "stat", &t->st);
    if (r == -ESRCH || r == -ENOENT) {
        set_status(res, ACTION_GONE, -ESRCH);
    } else if (r < 0) {
        set_status(res, ACTION_FAILED, r);
    } else if (t->st.start_ticks != id->start_ticks) {
        res->mismatch = true;
        set_status(res, ACTION_GONE, -ESRCH);
    } else {
        snprintf(res->name, sizeof(res->name), "%s", t->st.comm);
        return 0;
    }
    target_close(t);
    return res->err;
}

/* Pins a thread target: its process as target_open does (by tgid, its start time as
 * found now), then task/TID through the process's directory, whose stat must show the
 * selected start time. A TID listed there is a thread of that very process, and the
 * thread's directory is bound to the thread as /proc/PID is to a process. */
static int target_open_thread(struct action_ctx *ac, const struct proc_ident *id, struct target *t,
                              struct action_result *res)
{
    char path[64];
    struct action_stat now;
    snprintf(path, sizeof(path), "%d/stat", (int)id->tgid);
    int r = read_stat_at(ac->proc_fd, path, &now);
    if (r < 0) {
        set_status(res, r == -ENOENT || r == -ESRCH ? ACTION_GONE : ACTION_FAILED,
                   r == -ENOENT ? -ESRCH : r);
        t->dirfd = t->pidfd = t->tdirfd = -1;
        return res->err;
    }
    struct proc_ident proc = {.pid = id->tgid, .start_ticks = now.start_ticks};
    if (target_open(ac, &proc, t, res) < 0)
        return res->err;
    t->tid = id->pid;
    snprintf(path, sizeof(path), "task/%d", (int)id->pid);
    t->tdirfd = openat(t->dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    r = t->tdirfd < 0 ? -errno : read_stat_at(t->tdirfd, "stat", &t->tst);
    if (r == -ENOENT || r == -ESRCH) {
        set_status(res, ACTION_GONE, -ESRCH);
    } else if (r < 0) {
        set_status(res, ACTION_FAILED, r);
    } else if (t->tst.start_ticks != id->start_ticks) {
        res->mismatch = true;
        set_status(res, ACTION_GONE, -ESRCH);
    } else {
        snprintf(res->thread_name, sizeof(res->thread_name), "%s", t->tst.comm);
        return 0;
    }
    target_close(t);
    return res->err;
}

/* Still the same, unreaped process? Re-reads stat through the pinned directory. */
static bool target_still_there(const struct target *t, struct action_stat *now)
{
    if (t->tdirfd >= 0) /* a thread target: that thread */
        return read_stat_at(t->tdirfd, "stat", now) == 0 && now->start_ticks == t->tst.start_ticks;
    return read_stat_at(t->dirfd, "stat", now) == 0 && now->start_ticks == t->st.start_ticks;
}

/* A zombie is a process whose whole thread group has exited. State Z alone is not
 * enough: a leader that called pthread_exit shows Z while its other threads run. */
static bool target_is_zombie(const struct target *t)
{
    if (t->st.state != 'Z')
        return false;
    if (t->pidfd >= 0) {
        /* a pidfd polls readable once the thread group is gone */
        struct pollfd pfd = {.fd = t->pidfd, .events = POLLIN};
        return poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN);
    }
    return t->st.num_threads <= 1;
}

/* The parent's identity and name as of now; *parent zeroed when it cannot be read. */
static void read_parent(struct action_ctx *ac, pid_t ppid, struct proc_ident *parent, char *name,
                        size_t cap)
{
    memset(parent, 0, sizeof(*parent));
    name[0] = '\0';
    if (ppid <= 0)
        return;
    char path[48];
    struct action_stat st;
    snprintf(path, sizeof(path), "%d/stat", (int)ppid);
    if (read_stat_at(ac->proc_fd, path, &st) < 0)
        return;
    parent->pid = ppid;
    parent->start_ticks = st.start_ticks;
    snprintf(name, cap, "%s", st.comm);
}

static enum action_status status_of_errno(int e)
{
    switch (e) {
    case EPERM:
    case EACCES:
        return ACTION_DENIED;
    case ESRCH:
        return ACTION_GONE;
    case EINVAL:
        return ACTION_INVALID;
    default:
        return ACTION_FAILED;
    }
}

static void do_signal(struct target *t, const struct proc_ident *id, int sig,
                      struct action_result *res)
{
    int r = t->pidfd >= 0 ? sys_pidfd_send_signal(t->pidfd, sig) : kill(id->pid, sig);
    if (r == 0)
        set_status(res, ACTION_OK, 0);
    else
        set_status(res, status_of_errno(errno), -errno);
}

/* sched_setaffinity(2) of one thread to rq->cpus; 0 or -errno. */
static int set_affinity(const struct action_request *rq, pid_t tid)
{
    cpu_set_t *set = CPU_ALLOC(ACTION_CPUS_MAX);
    if (!set)
        return -ENOMEM;
    size_t size = CPU_ALLOC_SIZE(ACTION_CPUS_MAX);
    CPU_ZERO_S(size, set);
    for (int cpu = 0; cpu < ACTION_CPUS_MAX; cpu++)
        if (action_cpus_has(&rq->cpus, cpu))
            CPU_SET_S((size_t)cpu, size, set);
    int r = sched_setaffinity(tid, size, set) == 0 ? 0 : -errno;
    CPU_FREE(set);
    return r;
}

/* One thread's nice, I/O priority or CPU affinity; 0 or -errno. */
static int set_one(const struct action_request *rq, pid_t tid, int nice)
{
    int r;
    if (rq->kind == ACTION_AFFINITY)
        return set_affinity(rq, tid);
    if (rq->kind == ACTION_IONICE) {
        int level =
            (rq->ioclass == IONICE_REALTIME || rq->ioclass == IONICE_BEST_EFFORT) ? rq->iolevel : 0;
        r = (int)syscall(SYS_ioprio_set, LINUX_IOPRIO_WHO_PROCESS, tid,
                         (rq->ioclass << LINUX_IOPRIO_CLASS_SHIFT) | level);
    } else {
        r = setpriority(PRIO_PROCESS, (id_t)tid, nice);
    }
    return r == 0 ? 0 : -errno;
}

/* nice, I/O priority and CPU affinity belong to each thread on Linux: after the main thread, the
 * process's other threads get the same value. Each thread is pinned like the process
 * (its task/TID directory can only name a thread of this process); failures there are
 * left out, the main thread's result is the answer. */
static void set_other_threads(const struct target *t, const struct action_request *rq, int nice,
                              pid_t pid)
{
    int tfd = openat(t->dirfd, "task", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (tfd < 0)
        return;
    DIR *d = fdopendir(tfd);
    if (!d) {
        close(tfd);
        return;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        char *endp;
        long tid = strtol(de->d_name, &endp, 10);
        if (*endp || tid <= 0 || tid == pid)
            continue;
        int thr = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (thr < 0)
            continue;
        struct action_stat st;
        if (read_stat_at(thr, "stat", &st) == 0)
            (void)set_one(rq, (pid_t)tid, nice);
        close(thr);
    }
    closedir(d);
}

static int nice_floor_of(const struct target *t)
{
    char buf[4096];
    long soft = 0;
    ssize_t n = linux_read_file_at(t->dirfd, "limits", buf, sizeof(buf));
    if (n < 0 || action_limits_nice_parse(buf, (size_t)n, &soft) < 0)
        soft = 0;
    int floor = action_nice_floor(soft);
    int cur = t->tdirfd >= 0 ? t->tst.nice : t->st.nice;
    return floor < cur ? floor : cur;
}

/* nice, I/O priority or CPU affinity of a process (every thread) or, for a thread
 * target, of that one thread (setpriority and ioprio_set with a TID act on it alone). */
static void do_priority(struct target *t, const struct proc_ident *id,
                        const struct action_request *rq, struct action_result *res)
{
    bool thread = t->tdirfd >= 0;
    int cur = thread ? t->tst.nice : t->st.nice;
    pid_t who = thread ? t->tid : id->pid;
    int nice = 0;
    res->nice_before = res->nice_after = cur;
    if (rq->kind == ACTION_NICE_SET) {
        nice = rq->nice;
    } else if (rq->kind == ACTION_NICE_ADD) {
        /* relative to the value at this moment, so repeated keys add up between refreshes */
        nice = cur + rq->delta;
        nice = nice < ACTION_NICE_MIN ? ACTION_NICE_MIN : nice;
        nice = nice > ACTION_NICE_MAX ? ACTION_NICE_MAX : nice;
        if (nice == cur) {
            set_status(res, ACTION_UNCHANGED, 0);
            return;
        }
    }
    int r = set_one(rq, who, nice);
    if (r < 0) {
        set_status(res, status_of_errno(-r), r);
        if (r == -EACCES)
            res->nice_floor = nice_floor_of(t);
        return;
    }
    struct action_stat now;
    if (!target_still_there(t, &now)) {
        /* reaped while we acted: we cannot vouch that the call reached it */
        set_status(res, ACTION_GONE, -ESRCH);
        return;
    }
    res->nice_after = now.nice;
    if (!thread)
        set_other_threads(t, rq, nice, id->pid);
    set_status(res, ACTION_OK, 0);
}

int action_apply(struct action_ctx *ac, const struct action_request *rq,
                 const struct proc_ident *id, struct action_result *res)
{
    memset(res, 0, sizeof(*res));
    bool thread = id->tgid > 0 && id->tgid != id->pid;
    res->pid = thread ? id->tgid : id->pid;
    res->tid = thread ? id->pid : 0;
    if (!action_request_check(rq, id->pid, res))
        return res->err;

    struct target t;
    int opened = thread ? target_open_thread(ac, id, &t, res) : target_open(ac, id, &t, res);
    if (opened == 0) {
        /* a signal to a thread row goes to its process (kill(2) with its pid) */
        struct proc_ident proc = {.pid = res->pid, .start_ticks = t.st.start_ticks};
        if (target_is_zombie(&t)) {
            struct proc_ident parent;
            read_parent(ac, t.st.ppid, &parent, res->parent_name, sizeof(res->parent_name));
            res->parent_pid = parent.pid;
            set_status(res, ACTION_ZOMBIE, -ESRCH);
        } else if (rq->kind == ACTION_SIGNAL && t.st.kernel_thread) {
            /* the kernel would answer 0 and ignore it: say so instead of "sent" */
            res->kernel_thread = true;
            set_status(res, ACTION_INVALID, -EINVAL);
        } else if (rq->kind == ACTION_SIGNAL) {
            do_signal(&t, &proc, rq->sig, res);
        } else {
            do_priority(&t, id, rq, res);
        }
        target_close(&t);
    }
    action_result_format(rq, res);
    return res->err;
}

int action_zombie_info(struct action_ctx *ac, const struct proc_ident *id,
                       struct action_zombie *out)
{
    memset(out, 0, sizeof(*out));
    out->zombie = *id;
    struct action_result res;
    memset(&res, 0, sizeof(res));
    res.pid = id->pid;
    struct target t;
    if (id->pid <= 0 || target_open(ac, id, &t, &res) < 0) {
        if (id->pid <= 0)
            set_status(&res, ACTION_GONE, -ESRCH);
        struct action_request rq = {.kind = ACTION_SIGNAL, .sig = SIGTERM};
        action_result_format(&rq, &res);
        snprintf(out->msg, sizeof(out->msg), "%s", res.msg);
        return res.err;
    }
    snprintf(out->zombie_name, sizeof(out->zombie_name), "%s", t.st.comm);
    out->is_zombie = target_is_zombie(&t);
    if (out->is_zombie)
        read_parent(ac, t.st.ppid, &out->parent, out->parent_name, sizeof(out->parent_name));
    target_close(&t);
    action_zombie_format(out);
    return 0;
}
