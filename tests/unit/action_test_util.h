/* Shared by the action suites: reading the kernel's own answer (stat, ioprio) without
 * the module under test, and child processes that behave like real targets. */
#ifndef VIGIL_TEST_ACTION_UTIL_H
#define VIGIL_TEST_ACTION_UTIL_H

#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "probe/action.h"

/* ---- helpers that read the kernel's answer independently of the module ---- */

struct kstat {
    char state;
    int nice;
    unsigned long long start;
};

/* Reads root/PID/stat (or root/PID/task/TID/stat) with its own parse after the last ')'. */
static inline int kstat_read_in(const char *root, const char *rel, struct kstat *out)
{
    char path[256], buf[1024];
    snprintf(path, sizeof(path), "%s/%s", root, rel);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    /* state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
     * cutime cstime priority nice threads itreal starttime */
    int r = sscanf(p + 2,
                   "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %d %*d "
                   "%*d %llu",
                   &out->state, &out->nice, &out->start);
    return r == 3 ? 0 : -1;
}

static inline int kstat_read(pid_t pid, struct kstat *out)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "%d/stat", (int)pid);
    return kstat_read_in("/proc", rel, out);
}

static inline struct proc_ident ident_of(pid_t pid)
{
    struct kstat ks;
    ck_assert_int_eq(kstat_read(pid, &ks), 0);
    struct proc_ident id = {.pid = pid, .start_ticks = ks.start};
    return id;
}

/* A forked child starts with Check's signal handlers (SIGTERM there kills the whole
 * process group): children of this suite take the defaults, as a real target would. */
static inline void child_defaults(void)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            signal(sig, SIG_DFL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

/* A child that sleeps until killed; returns (-1 on failure) once it has taken the
 * default handlers. No Check asserts: also used from forked helpers. */
static inline pid_t fork_sleeper(void)
{
    int p[2];
    if (pipe(p) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        child_defaults();
        close(p[0]);
        close(p[1]);
        for (;;)
            pause();
    }
    close(p[1]);
    char c;
    while (read(p[0], &c, 1) < 0 && errno == EINTR)
        ; /* EOF: the child closed its end */
    close(p[0]);
    return pid;
}

static inline pid_t spawn_sleeper(void)
{
    pid_t pid = fork_sleeper();
    ck_assert_int_gt(pid, 0);
    return pid;
}

static inline bool alive_not_reaped(pid_t pid)
{
    int st;
    return waitpid(pid, &st, WNOHANG) == 0;
}

static inline void reap_kill(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static inline int ioprio_of(pid_t pid)
{
    return (int)syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, pid);
}

static inline struct action_ctx *ctx_new(void)
{
    int err = 1;
    struct action_ctx *ac = action_ctx_new(NULL, &err);
    ck_assert_ptr_nonnull(ac);
    ck_assert_int_eq(err, 0);
    return ac;
}

static inline void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

#endif
