/* Process actions: the pure helpers (signal table, parsers, wording, summaries) and the
 * real thing against child processes this test forks — delivered signals, identity
 * mismatch, vanished processes, zombies, nice and I/O priority read back from the kernel,
 * permission errors as uid 65534, and a forced PID reuse inside a new PID namespace.
 *
 * CK_RUN_CASE=unprivileged with VIGIL_ROOT_PID set runs only the permission test against
 * that root-owned process as the current (unprivileged) user; the integration test
 * tests/integration/action_unprivileged.sh does that under setpriv. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "platform/linux/action_linux.h"
#include "probe/action.h"

/* ---- helpers that read the kernel's answer independently of the module ---- */

struct kstat {
    char state;
    int nice;
    unsigned long long start;
};

/* Reads root/PID/stat (or root/PID/task/TID/stat) with its own parse after the last ')'. */
static int kstat_read_in(const char *root, const char *rel, struct kstat *out)
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

static int kstat_read(pid_t pid, struct kstat *out)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "%d/stat", (int)pid);
    return kstat_read_in("/proc", rel, out);
}

static struct proc_ident ident_of(pid_t pid)
{
    struct kstat ks;
    ck_assert_int_eq(kstat_read(pid, &ks), 0);
    struct proc_ident id = {.pid = pid, .start_ticks = ks.start};
    return id;
}

/* A forked child starts with Check's signal handlers (SIGTERM there kills the whole
 * process group): children of this suite take the defaults, as a real target would. */
static void child_defaults(void)
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
static pid_t fork_sleeper(void)
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

static pid_t spawn_sleeper(void)
{
    pid_t pid = fork_sleeper();
    ck_assert_int_gt(pid, 0);
    return pid;
}

static bool alive_not_reaped(pid_t pid)
{
    int st;
    return waitpid(pid, &st, WNOHANG) == 0;
}

static void reap_kill(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static int ioprio_of(pid_t pid)
{
    return (int)syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, pid);
}

static struct action_ctx *ctx_new(void)
{
    int err = 1;
    struct action_ctx *ac = action_ctx_new(NULL, &err);
    ck_assert_ptr_nonnull(ac);
    ck_assert_int_eq(err, 0);
    return ac;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* ---- pure ---- */

START_TEST(test_signal_table)
{
    size_t n = 0;
    const struct action_signal_info *t = action_signal_table(&n);
    ck_assert_uint_ge(n, 12);
    ck_assert_int_eq(t[0].number, SIGTERM);
    ck_assert_str_eq(t[0].name, "SIGTERM");
    ck_assert_int_eq(t[1].number, SIGKILL);
    /* every entry: its number on this architecture, no duplicates */
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(action_signal_name(t[i].number), t[i].name);
        ck_assert(action_signal_valid(t[i].number));
        for (size_t j = i + 1; j < n; j++)
            ck_assert_int_ne(t[i].number, t[j].number);
    }
    ck_assert_str_eq(action_signal_name(SIGUSR1), "SIGUSR1");
    ck_assert_str_eq(action_signal_name(SIGCHLD), "SIGCHLD");
    ck_assert_str_eq(action_signal_name(SIGCONT), "SIGCONT");
    ck_assert_ptr_null(action_signal_name(0));
    char buf[32];
    action_signal_label(SIGTERM, buf, sizeof(buf));
    ck_assert_str_eq(buf, "15 SIGTERM");
    action_signal_label(SIGKILL, buf, sizeof(buf));
    ck_assert_str_eq(buf, "9 SIGKILL");
    action_signal_label(SIGRTMIN + 1, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, " SIG"));
    ck_assert(!action_signal_valid(0));
    ck_assert(!action_signal_valid(SIGRTMAX + 1));
}
END_TEST

START_TEST(test_stat_parse)
{
    /* comm with spaces and ')' in it: fields start after the LAST ')' */
    static const char line[] =
        "4242 (a) b) (c) S 17 4242 4242 0 -1 4194560 100 0 0 0 5 6 0 0 25 5 3 0 123456 "
        "1000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    struct action_stat st;
    ck_assert_int_eq(action_stat_parse(line, sizeof(line) - 1, &st), 0);
    ck_assert_str_eq(st.comm, "a) b) (c");
    ck_assert_int_eq(st.state, 'S');
    ck_assert_int_eq(st.ppid, 17);
    ck_assert(!st.kernel_thread);
    ck_assert_int_eq(st.nice, 5);
    ck_assert_int_eq(st.num_threads, 3);
    ck_assert_uint_eq(st.start_ticks, 123456);

    static const char neg[] = "7 (x) Z 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 39 -20 1 0 99";
    ck_assert_int_eq(action_stat_parse(neg, sizeof(neg) - 1, &st), 0);
    ck_assert_int_eq(st.nice, -20);
    ck_assert_uint_eq(st.start_ticks, 99);
    static const char kthread[] = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 20";
    ck_assert_int_eq(action_stat_parse(kthread, sizeof(kthread) - 1, &st), 0);
    ck_assert(st.kernel_thread);

    /* truncated, no parentheses, garbage in a number, length honoured */
    ck_assert_int_eq(action_stat_parse(neg, 30, &st), -EINVAL);
    ck_assert_int_eq(action_stat_parse("7 x S 1", 7, &st), -EINVAL);
    static const char bad[] = "7 (x) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 zz 1 0 99";
    ck_assert_int_eq(action_stat_parse(bad, sizeof(bad) - 1, &st), -EINVAL);
    ck_assert_int_eq(action_stat_parse(")(", 2, &st), -EINVAL);
}
END_TEST

START_TEST(test_limits_parse)
{
    static const char limits[] = "Limit                     Soft Limit           Hard Limit  "
                                 "         Units     \n"
                                 "Max open files            1024                 4096        "
                                 "         files     \n"
                                 "Max nice priority         5                    10          "
                                 "          \n"
                                 "Max realtime priority     0                    0           "
                                 "         \n";
    long soft = -1;
    ck_assert_int_eq(action_limits_nice_parse(limits, sizeof(limits) - 1, &soft), 0);
    ck_assert_int_eq(soft, 5);
    static const char unl[] = "Max nice priority         unlimited            unlimited\n";
    ck_assert_int_eq(action_limits_nice_parse(unl, sizeof(unl) - 1, &soft), 0);
    ck_assert_int_eq(soft, 40);
    ck_assert_int_eq(action_limits_nice_parse("Max open files 5\n", 17, &soft), -EINVAL);
    ck_assert_int_eq(action_nice_floor(0), 20);
    ck_assert_int_eq(action_nice_floor(5), 15);
    ck_assert_int_eq(action_nice_floor(40), -20);
    ck_assert_int_eq(action_nice_floor(100), -20);
}
END_TEST

START_TEST(test_request_check)
{
    struct action_result r;
    struct action_request rq = {.kind = ACTION_NICE_SET, .nice = 25};
    memset(&r, 0, sizeof(r));
    ck_assert(!action_request_check(&rq, 100, &r));
    ck_assert_int_eq(r.status, ACTION_INVALID);
    ck_assert_int_eq(r.err, -EINVAL);
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid nice value 25"));
    ck_assert_ptr_nonnull(strstr(r.msg, "-20 and 19"));

    rq = (struct action_request){.kind = ACTION_IONICE, .ioclass = 9};
    ck_assert(!action_request_check(&rq, 100, &r));
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid I/O class 9"));
    ck_assert_ptr_nonnull(strstr(r.msg, "best-effort"));

    rq =
        (struct action_request){.kind = ACTION_IONICE, .ioclass = IONICE_BEST_EFFORT, .iolevel = 8};
    ck_assert(!action_request_check(&rq, 100, &r));
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid I/O level 8"));

    rq = (struct action_request){.kind = ACTION_SIGNAL, .sig = 0};
    ck_assert(!action_request_check(&rq, 100, &r));
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid signal 0"));

    rq = (struct action_request){.kind = ACTION_SIGNAL, .sig = SIGTERM};
    ck_assert(!action_request_check(&rq, 0, &r));
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid process ID"));
    ck_assert(action_request_check(&rq, 1, &r));

    rq = (struct action_request){.kind = ACTION_IONICE, .ioclass = IONICE_IDLE, .iolevel = 7};
    ck_assert(action_request_check(&rq, 1, &r));
}
END_TEST

START_TEST(test_result_wording)
{
    struct action_request sig = {.kind = ACTION_SIGNAL, .sig = SIGTERM};
    struct action_request nice = {.kind = ACTION_NICE_ADD, .delta = -1};
    struct action_request rt = {.kind = ACTION_IONICE, .ioclass = IONICE_REALTIME, .iolevel = 2};
    struct action_result r;

    memset(&r, 0, sizeof(r));
    r.pid = 1234;
    snprintf(r.name, sizeof(r.name), "sle\tep");
    r.status = ACTION_OK;
    action_result_format(&sig, &r);
    ck_assert_str_eq(r.msg, "sent SIGTERM to process 1234 (sle?ep).");

    r.status = ACTION_GONE;
    r.err = -ESRCH;
    action_result_format(&sig, &r);
    ck_assert_str_eq(r.msg, "process 1234 is gone; nothing was sent.");
    r.mismatch = true;
    action_result_format(&nice, &r);
    ck_assert_ptr_nonnull(strstr(r.msg, "process 1234 is gone"));
    ck_assert_ptr_nonnull(strstr(r.msg, "another process"));
    ck_assert_ptr_nonnull(strstr(r.msg, "nothing was changed"));

    memset(&r, 0, sizeof(r));
    r.pid = 1234;
    snprintf(r.name, sizeof(r.name), "sleep");
    r.status = ACTION_DENIED;
    r.err = -EPERM;
    action_result_format(&sig, &r);
    ck_assert_str_eq(r.msg, "permission denied: process 1234 (sleep) belongs to another user; "
                            "only root can signal it.");
    r.err = -EACCES;
    r.nice_floor = 5;
    action_result_format(&nice, &r);
    ck_assert_str_eq(r.msg, "permission denied: only root can lower the nice value of process "
                            "1234 (sleep) below 5.");
    r.err = -EPERM;
    action_result_format(&rt, &r);
    ck_assert_ptr_nonnull(strstr(r.msg, "only root can give process 1234 (sleep) the realtime"));

    r.status = ACTION_ZOMBIE;
    r.parent_pid = 77;
    snprintf(r.parent_name, sizeof(r.parent_name), "bash");
    action_result_format(&sig, &r);
    ck_assert_ptr_nonnull(strstr(r.msg, "zombie"));
    ck_assert_ptr_nonnull(strstr(r.msg, "parent 77 (bash)"));

    r.status = ACTION_OK;
    r.nice_before = 0;
    r.nice_after = 3;
    action_result_format(&nice, &r);
    ck_assert_str_eq(r.msg, "changed the nice value of process 1234 (sleep) from 0 to 3.");
    struct action_request be = {.kind = ACTION_IONICE, .ioclass = IONICE_BEST_EFFORT, .iolevel = 6};
    action_result_format(&be, &r);
    ck_assert_str_eq(r.msg, "set the I/O priority of process 1234 (sleep) to best-effort 6.");

    r.status = ACTION_FAILED;
    r.err = -EBADF;
    action_result_format(&sig, &r);
    ck_assert_ptr_nonnull(strstr(r.msg, "could not send SIGTERM to process 1234 (sleep)"));
}
END_TEST

START_TEST(test_summary)
{
    struct action_request sig = {.kind = ACTION_SIGNAL, .sig = SIGTERM};
    struct action_result each[4], sum;
    memset(each, 0, sizeof(each));
    each[0].status = ACTION_OK;
    each[1].status = ACTION_GONE;
    each[1].err = -ESRCH;
    each[2].status = ACTION_OK;
    action_summarise(&sig, each, 3, &sum);
    ck_assert_str_eq(sum.msg, "sent SIGTERM to 2 of 3 processes; 1 was gone.");
    ck_assert_int_eq(sum.status, ACTION_GONE);
    ck_assert_int_eq(sum.err, -ESRCH);

    each[1].status = ACTION_OK;
    each[1].err = 0;
    action_summarise(&sig, each, 3, &sum);
    ck_assert_str_eq(sum.msg, "sent SIGTERM to 3 processes.");
    ck_assert_int_eq(sum.err, 0);

    each[0].status = ACTION_DENIED;
    each[0].err = -EPERM;
    each[1].status = ACTION_GONE;
    each[2].status = ACTION_GONE;
    each[3].status = ACTION_ZOMBIE;
    action_summarise(&sig, each, 4, &sum);
    ck_assert_str_eq(sum.msg, "sent SIGTERM to 0 of 4 processes; 2 were gone, 1 was a zombie, "
                              "1 was not permitted.");
    ck_assert_int_eq(sum.err, -EPERM);

    struct action_request up = {.kind = ACTION_NICE_ADD, .delta = 1};
    memset(each, 0, sizeof(each));
    each[1].status = ACTION_UNCHANGED;
    action_summarise(&up, each, 2, &sum);
    ck_assert_str_eq(sum.msg, "changed nice by +1 on 2 processes; 1 already at the limit.");
    ck_assert_int_eq(sum.err, 0);

    /* one target: its own sentence */
    each[0].pid = 5;
    snprintf(each[0].msg, sizeof(each[0].msg), "own message.");
    action_summarise(&up, each, 1, &sum);
    ck_assert_str_eq(sum.msg, "own message.");
    action_summarise(&up, each, 0, &sum);
    ck_assert_int_eq(sum.err, -EINVAL);
    ck_assert_ptr_nonnull(strstr(sum.msg, "no process"));
}
END_TEST

START_TEST(test_zombie_format)
{
    struct action_zombie z;
    memset(&z, 0, sizeof(z));
    z.zombie.pid = 321;
    snprintf(z.zombie_name, sizeof(z.zombie_name), "defunct");
    z.is_zombie = true;
    z.parent.pid = 1234;
    snprintf(z.parent_name, sizeof(z.parent_name), "bash");
    action_zombie_format(&z);
    ck_assert_str_eq(z.msg, "process 321 (defunct) is a zombie: it cannot be killed until its "
                            "parent reaps it; parent 1234 (bash).");
    z.parent.pid = 0;
    action_zombie_format(&z);
    ck_assert_ptr_nonnull(strstr(z.msg, "zombie"));
    ck_assert_ptr_nonnull(strstr(z.msg, "parent"));
    z.is_zombie = false;
    action_zombie_format(&z);
    ck_assert_str_eq(z.msg, "process 321 (defunct) is not a zombie.");
}
END_TEST

/* ---- real processes ---- */

static void check_signal_delivered(bool pidfd)
{
    struct action_ctx *ac = ctx_new();
    action_ctx_use_pidfd(ac, pidfd);
    pid_t pid = spawn_sleeper();
    struct proc_ident id = ident_of(pid);
    struct action_result r;
    ck_assert_int_eq(action_signal(ac, &id, SIGTERM, &r), 0);
    ck_assert_int_eq(r.status, ACTION_OK);
    ck_assert_ptr_nonnull(strstr(r.msg, "sent SIGTERM to process"));
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFSIGNALED(st));
    ck_assert_int_eq(WTERMSIG(st), SIGTERM);
    action_ctx_free(ac);
}

START_TEST(test_signal_delivered)
{
    check_signal_delivered(true);
}
END_TEST

START_TEST(test_signal_delivered_no_pidfd)
{
    check_signal_delivered(false);
}
END_TEST

static void check_mismatch(bool pidfd)
{
    struct action_ctx *ac = ctx_new();
    action_ctx_use_pidfd(ac, pidfd);
    pid_t pid = spawn_sleeper();
    struct proc_ident id = ident_of(pid);
    id.start_ticks += 1; /* the user selected an earlier holder of this PID */
    struct action_result r;
    ck_assert_int_eq(action_signal(ac, &id, SIGKILL, &r), -ESRCH);
    ck_assert_int_eq(r.status, ACTION_GONE);
    ck_assert(r.mismatch);
    ck_assert_ptr_nonnull(strstr(r.msg, "gone"));
    ck_assert_int_eq(action_renice(ac, &id, 7, &r), -ESRCH);
    ck_assert_int_eq(action_ionice(ac, &id, IONICE_IDLE, 0, &r), -ESRCH);
    ck_assert_ptr_nonnull(strstr(r.msg, "gone"));
    sleep_ms(50);
    ck_assert(alive_not_reaped(pid));
    struct kstat ks;
    ck_assert_int_eq(kstat_read(pid, &ks), 0);
    ck_assert_int_ne(ks.state, 'Z');
    ck_assert_int_ne(ks.nice, 7);
    ck_assert_int_ne(ioprio_of(pid) >> 13, IONICE_IDLE);
    reap_kill(pid);
    action_ctx_free(ac);
}

START_TEST(test_identity_mismatch)
{
    check_mismatch(true);
}
END_TEST

START_TEST(test_identity_mismatch_no_pidfd)
{
    check_mismatch(false);
}
END_TEST

START_TEST(test_vanished)
{
    struct action_ctx *ac = ctx_new();
    pid_t pid = spawn_sleeper();
    struct proc_ident id = ident_of(pid);
    reap_kill(pid);
    struct action_result r;
    ck_assert_int_eq(action_signal(ac, &id, SIGTERM, &r), -ESRCH);
    ck_assert_int_eq(r.status, ACTION_GONE);
    char want[64];
    snprintf(want, sizeof(want), "process %d is gone", (int)pid);
    ck_assert_ptr_nonnull(strstr(r.msg, want));
    ck_assert_int_eq(action_renice_by(ac, &id, 1, &r), -ESRCH);
    ck_assert_ptr_nonnull(strstr(r.msg, "gone"));
    struct action_zombie z;
    ck_assert_int_eq(action_zombie_info(ac, &id, &z), -ESRCH);
    ck_assert_ptr_nonnull(strstr(z.msg, "gone"));
    action_ctx_free(ac);
}
END_TEST

START_TEST(test_zombie)
{
    struct action_ctx *ac = ctx_new();
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(0);
    struct kstat ks;
    for (int i = 0; i < 200; i++) {
        ck_assert_int_eq(kstat_read(pid, &ks), 0);
        if (ks.state == 'Z')
            break;
        sleep_ms(5);
    }
    ck_assert_int_eq(ks.state, 'Z');
    struct proc_ident id = {.pid = pid, .start_ticks = ks.start};
    struct action_result r;
    ck_assert_int_eq(action_signal(ac, &id, SIGKILL, &r), -ESRCH);
    ck_assert_int_eq(r.status, ACTION_ZOMBIE);
    ck_assert_int_eq(r.parent_pid, getpid());
    ck_assert_ptr_nonnull(strstr(r.msg, "zombie"));
    ck_assert_ptr_nonnull(strstr(r.msg, "parent"));

    struct action_zombie z;
    ck_assert_int_eq(action_zombie_info(ac, &id, &z), 0);
    ck_assert(z.is_zombie);
    struct proc_ident me = ident_of(getpid());
    ck_assert_int_eq(z.parent.pid, me.pid);
    ck_assert_uint_eq(z.parent.start_ticks, me.start_ticks);
    char comm[64] = "";
    FILE *f = fopen("/proc/self/comm", "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(comm, sizeof(comm), f));
    fclose(f);
    comm[strcspn(comm, "\n")] = '\0';
    ck_assert_str_eq(z.parent_name, comm);
    char want[128];
    snprintf(want, sizeof(want), "parent %d (%s)", (int)me.pid, comm);
    ck_assert_ptr_nonnull(strstr(z.msg, want));
    ck_assert_ptr_nonnull(strstr(z.msg, "zombie"));

    /* the menu's offer: SIGCHLD to the parent, through the same identity check */
    signal(SIGCHLD, SIG_IGN);
    ck_assert_int_eq(action_signal(ac, &z.parent, SIGCHLD, &r), 0);
    ck_assert_int_eq(r.status, ACTION_OK);
    signal(SIGCHLD, SIG_DFL);
    waitpid(pid, NULL, 0);
    action_ctx_free(ac);
}
END_TEST

static void *thread_idle(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

/* A leader that called pthread_exit shows state Z while its other threads run: it is
 * no zombie and a signal must reach it. */
START_TEST(test_zombie_leader_alive)
{
    struct action_ctx *ac = ctx_new();
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        child_defaults();
        pthread_t th;
        pthread_create(&th, NULL, thread_idle, NULL);
        pthread_exit(NULL);
    }
    struct kstat ks;
    for (int i = 0; i < 200; i++) {
        ck_assert_int_eq(kstat_read(pid, &ks), 0);
        if (ks.state == 'Z')
            break;
        sleep_ms(5);
    }
    ck_assert_int_eq(ks.state, 'Z');
    struct proc_ident id = {.pid = pid, .start_ticks = ks.start};
    struct action_zombie z;
    ck_assert_int_eq(action_zombie_info(ac, &id, &z), 0);
    ck_assert(!z.is_zombie);
    struct action_result r;
    ck_assert_int_eq(action_signal(ac, &id, SIGTERM, &r), 0);
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    action_ctx_free(ac);
}
END_TEST

/* A signal to a kernel thread is accepted by the kernel and ignored: say so. */
START_TEST(test_kernel_thread)
{
    struct kstat ks;
    FILE *f = fopen("/proc/2/stat", "r");
    char line[512] = "";
    if (f) {
        (void)!fgets(line, sizeof(line), f);
        fclose(f);
    }
    if (!strstr(line, "(kthreadd)") || kstat_read(2, &ks) < 0) {
        fprintf(stderr, "test_kernel_thread: SKIP: kthreadd is not visible here\n");
        return;
    }
    struct action_ctx *ac = ctx_new();
    struct proc_ident id = {.pid = 2, .start_ticks = ks.start};
    struct action_result r;
    ck_assert_int_eq(action_signal(ac, &id, SIGTERM, &r), -EINVAL);
    ck_assert_int_eq(r.status, ACTION_INVALID);
    ck_assert_str_eq(r.msg,
                     "process 2 (kthreadd) is a kernel thread, which ignores signals; nothing was "
                     "sent.");
    action_ctx_free(ac);
}
END_TEST

START_TEST(test_renice_up_three)
{
    struct action_ctx *ac = ctx_new();
    pid_t pid = spawn_sleeper();
    ck_assert_int_eq(setpriority(PRIO_PROCESS, (id_t)pid, 0), 0);
    struct proc_ident id = ident_of(pid);
    struct action_result r;
    for (int i = 1; i <= 3; i++) {
        ck_assert_int_eq(action_renice_by(ac, &id, +1, &r), 0);
        ck_assert_int_eq(r.nice_before, i - 1);
        ck_assert_int_eq(r.nice_after, i);
    }
    struct kstat ks;
    ck_assert_int_eq(kstat_read(pid, &ks), 0);
    ck_assert_int_eq(ks.nice, 3);
    char want[64];
    snprintf(want, sizeof(want), "changed the nice value of process %d (", (int)pid);
    ck_assert_ptr_nonnull(strstr(r.msg, want));
    ck_assert_ptr_nonnull(strstr(r.msg, ") from 2 to 3."));
    reap_kill(pid);
    action_ctx_free(ac);
}
END_TEST

START_TEST(test_renice_exact_and_limits)
{
    struct action_ctx *ac = ctx_new();
    pid_t pid = spawn_sleeper();
    struct proc_ident id = ident_of(pid);
    struct action_result r;
    struct kstat ks;
    ck_assert_int_eq(action_renice(ac, &id, 19, &r), 0);
    ck_assert_int_eq(kstat_read(pid, &ks), 0);
    ck_assert_int_eq(ks.nice, 19);
    ck_assert_int_eq(action_renice_by(ac, &id, +1, &r), 0);
    ck_assert_int_eq(r.status, ACTION_UNCHANGED);
    ck_assert_ptr_nonnull(strstr(r.msg, "already has nice 19"));

    ck_assert_int_eq(action_renice(ac, &id, 25, &r), -EINVAL);
    ck_assert_int_eq(r.status, ACTION_INVALID);
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid nice value 25"));
    ck_assert_int_eq(kstat_read(pid, &ks), 0);
    ck_assert_int_eq(ks.nice, 19);

    if (geteuid() == 0) {
        ck_assert_int_eq(action_renice(ac, &id, -5, &r), 0);
        ck_assert_int_eq(kstat_read(pid, &ks), 0);
        ck_assert_int_eq(ks.nice, -5);
        ck_assert_int_eq(action_renice_by(ac, &id, -40, &r), -EINVAL); /* out of range delta */
        ck_assert_int_eq(action_renice_by(ac, &id, -20, &r), 0);       /* clamped to -20 */
        ck_assert_int_eq(r.nice_after, -20);
    }
    reap_kill(pid);
    action_ctx_free(ac);
}
END_TEST

/* nice and I/O priority are per thread on Linux: every thread of the target follows. */
static pid_t spawn_threaded(pid_t *tid_out)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        child_defaults();
        pthread_t th;
        pthread_create(&th, NULL, thread_idle, NULL);
        /* the child's second thread id: the task directory entry that is not ours */
        for (int i = 0; i < 200; i++) {
            char path[64];
            pid_t found = 0;
            snprintf(path, sizeof(path), "/proc/%d/task", (int)getpid());
            DIR *d = opendir(path);
            struct dirent *de;
            while (d && (de = readdir(d)))
                if (atoi(de->d_name) > 0 && atoi(de->d_name) != getpid())
                    found = atoi(de->d_name);
            if (d)
                closedir(d);
            if (found) {
                (void)!write(p[1], &found, sizeof(found));
                break;
            }
            sleep_ms(5);
        }
        for (;;)
            pause();
    }
    close(p[1]);
    ck_assert_int_eq(read(p[0], tid_out, sizeof(*tid_out)), (ssize_t)sizeof(*tid_out));
    close(p[0]);
    return pid;
}

START_TEST(test_renice_threads)
{
    struct action_ctx *ac = ctx_new();
    pid_t tid;
    pid_t pid = spawn_threaded(&tid);
    struct proc_ident id = ident_of(pid);
    struct action_result r;
    ck_assert_int_eq(action_renice(ac, &id, 11, &r), 0);
    char rel[64];
    struct kstat ks;
    snprintf(rel, sizeof(rel), "%d/task/%d/stat", (int)pid, (int)tid);
    ck_assert_int_eq(kstat_read_in("/proc", rel, &ks), 0);
    ck_assert_int_eq(ks.nice, 11);
    ck_assert_int_eq(action_ionice(ac, &id, IONICE_IDLE, 0, &r), 0);
    ck_assert_int_eq(ioprio_of(tid) >> 13, IONICE_IDLE);
    ck_assert_int_eq(ioprio_of(pid) >> 13, IONICE_IDLE);
    reap_kill(pid);
    action_ctx_free(ac);
}
END_TEST

START_TEST(test_ionice)
{
    struct action_ctx *ac = ctx_new();
    pid_t pid = spawn_sleeper();
    struct proc_ident id = ident_of(pid);
    struct action_result r;
    ck_assert_int_eq(action_ionice(ac, &id, IONICE_IDLE, 0, &r), 0);
    ck_assert_int_eq(ioprio_of(pid), IONICE_IDLE << 13);
    ck_assert_str_eq(r.msg + strlen(r.msg) - strlen("to idle."), "to idle.");
    ck_assert_int_eq(action_ionice(ac, &id, IONICE_BEST_EFFORT, 6, &r), 0);
    ck_assert_int_eq(ioprio_of(pid), (IONICE_BEST_EFFORT << 13) | 6);
    ck_assert_ptr_nonnull(strstr(r.msg, "best-effort 6"));

    ck_assert_int_eq(action_ionice(ac, &id, 9, 0, &r), -EINVAL);
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid I/O class 9"));
    ck_assert_int_eq(action_ionice(ac, &id, IONICE_BEST_EFFORT, 8, &r), -EINVAL);
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid I/O level 8"));
    ck_assert_int_eq(ioprio_of(pid), (IONICE_BEST_EFFORT << 13) | 6);

    if (geteuid() == 0) {
        ck_assert_int_eq(action_ionice(ac, &id, IONICE_REALTIME, 2, &r), 0);
        ck_assert_int_eq(ioprio_of(pid), (IONICE_REALTIME << 13) | 2);
    }
    reap_kill(pid);
    action_ctx_free(ac);
}
END_TEST

START_TEST(test_many)
{
    struct action_ctx *ac = ctx_new();
    pid_t pids[3];
    struct proc_ident ids[3];
    for (int i = 0; i < 3; i++) {
        pids[i] = spawn_sleeper();
        ids[i] = ident_of(pids[i]);
    }
    reap_kill(pids[1]);
    struct action_result each[3], sum;
    struct action_request rq = {.kind = ACTION_SIGNAL, .sig = SIGTERM};
    ck_assert_int_eq(action_apply_many(ac, &rq, ids, 3, each, &sum), -ESRCH);
    ck_assert_str_eq(sum.msg, "sent SIGTERM to 2 of 3 processes; 1 was gone.");
    ck_assert_int_eq(each[0].status, ACTION_OK);
    ck_assert_int_eq(each[1].status, ACTION_GONE);
    ck_assert_int_eq(each[2].status, ACTION_OK);
    for (int i = 0; i < 3; i += 2) {
        int st;
        ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
        ck_assert(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
    }

    /* relative nice on a tagged set: each from its own value at the moment of acting */
    pids[0] = spawn_sleeper();
    pids[1] = spawn_sleeper();
    setpriority(PRIO_PROCESS, (id_t)pids[0], 2);
    setpriority(PRIO_PROCESS, (id_t)pids[1], 19);
    ids[0] = ident_of(pids[0]);
    ids[1] = ident_of(pids[1]);
    rq = (struct action_request){.kind = ACTION_NICE_ADD, .delta = 1};
    ck_assert_int_eq(action_apply_many(ac, &rq, ids, 2, NULL, &sum), 0);
    ck_assert_str_eq(sum.msg, "changed nice by +1 on 2 processes; 1 already at the limit.");
    struct kstat ks;
    ck_assert_int_eq(kstat_read(pids[0], &ks), 0);
    ck_assert_int_eq(ks.nice, 3);
    reap_kill(pids[0]);
    reap_kill(pids[1]);
    action_ctx_free(ac);
}
END_TEST

/* ---- permission denied, as uid 65534 ---- */

/* The body runs as an unprivileged user: target is a root-owned process. Writes one line
 * per check ("ok ..." or "FAIL ...") to out. */
static int unprivileged_checks(pid_t root_pid, FILE *out)
{
    int fails = 0;
    int err;
    struct action_ctx *ac = action_ctx_new(NULL, &err);
    if (!ac) {
        fprintf(out, "FAIL action_ctx_new %d\n", err);
        return 1;
    }
    struct kstat ks;
    if (kstat_read(root_pid, &ks) < 0) {
        fprintf(out, "FAIL cannot read stat of %d\n", (int)root_pid);
        return 1;
    }
    struct proc_ident id = {.pid = root_pid, .start_ticks = ks.start};
    struct action_result r;
#define EXPECT(cond, what)                                                                         \
    do {                                                                                           \
        bool ok_ = (cond);                                                                         \
        fprintf(out, "%s %s: %s\n", ok_ ? "ok" : "FAIL", what, r.msg);                             \
        fails += !ok_;                                                                             \
    } while (0)

    action_signal(ac, &id, SIGKILL, &r);
    EXPECT(r.status == ACTION_DENIED && r.err == -EPERM && strstr(r.msg, "permission denied") &&
               strstr(r.msg, "another user"),
           "signal root process");
    action_renice_by(ac, &id, +1, &r);
    EXPECT(r.status == ACTION_DENIED && strstr(r.msg, "permission denied"), "renice root process");
    action_ionice(ac, &id, IONICE_IDLE, 0, &r);
    EXPECT(r.status == ACTION_DENIED && strstr(r.msg, "permission denied"), "ionice root process");

    /* an own child: raising nice works, lowering it is root's privilege */
    pid_t own = fork_sleeper();
    struct kstat oks;
    kstat_read(own, &oks);
    struct proc_ident oid = {.pid = own, .start_ticks = oks.start};
    action_renice(ac, &oid, 10, &r);
    EXPECT(r.status == ACTION_OK, "raise own nice");
    action_renice_by(ac, &oid, -1, &r);
    EXPECT(r.status == ACTION_DENIED && r.err == -EACCES &&
               strstr(r.msg, "permission denied: only root can lower the nice value"),
           "lower own nice");
    action_ionice(ac, &oid, IONICE_REALTIME, 0, &r);
    EXPECT(r.status == ACTION_DENIED && strstr(r.msg, "realtime"), "realtime I/O class");
    action_signal(ac, &oid, SIGTERM, &r);
    EXPECT(r.status == ACTION_OK, "signal own child");
    waitpid(own, NULL, 0);
#undef EXPECT
    action_ctx_free(ac);
    return fails;
}

/* Reads the report of unprivileged_checks; fails the test on any FAIL line. */
static void assert_report(FILE *in, int status)
{
    char line[512];
    int oks = 0;
    while (fgets(line, sizeof(line), in)) {
        fputs(line, stderr);
        if (strncmp(line, "FAIL", 4) == 0)
            ck_abort_msg("%s", line);
        oks += strncmp(line, "ok", 2) == 0;
    }
    ck_assert_int_eq(oks, 7);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(test_permission_denied)
{
    const char *env = getenv("VIGIL_ROOT_PID");
    if (env && geteuid() != 0) {
        /* driven by setpriv from the integration test: we are already unprivileged */
        ck_assert_int_eq(unprivileged_checks((pid_t)atoi(env), stdout), 0);
        return;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "test_permission_denied: SKIP: needs root to switch to uid 65534\n");
        return;
    }
    pid_t root_child = spawn_sleeper();
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(p[0]);
        FILE *out = fdopen(p[1], "w");
        if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
            setresuid(65534, 65534, 65534) < 0) {
            fprintf(out, "FAIL cannot become uid 65534: %s\n", strerror(errno));
            _exit(1);
        }
        int fails = unprivileged_checks(root_child, out);
        fclose(out);
        _exit(fails ? 1 : 0);
    }
    close(p[1]);
    FILE *in = fdopen(p[0], "r");
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(alive_not_reaped(root_child)); /* the SIGKILL attempt did nothing */
    assert_report(in, st);
    fclose(in);
    reap_kill(root_child);
}
END_TEST

/* ---- forced PID reuse in a new PID namespace ---- */

/* Runs as PID 1 of a new PID namespace with a private mount namespace. Mounts this
 * namespace's procfs on a scratch directory (the module's injectable proc root), makes
 * A, kills and reaps it, hands A's PID to a new process B through ns_last_pid, then acts
 * on A's identity. Reports lines to out; returns the number of failures. */
static int pid_reuse_in_namespace(FILE *out)
{
    char dir[] = "/tmp/vigil-proc-XXXXXX";
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || !mkdtemp(dir) ||
        mount("proc", dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
        fprintf(out, "SKIP cannot mount a procfs for the namespace: %s\n", strerror(errno));
        return 0;
    }
    int fails = 0;
    pid_t a = fork_sleeper();
    char rel[64];
    struct kstat ks;
    snprintf(rel, sizeof(rel), "%d/stat", (int)a);
    kstat_read_in(dir, rel, &ks);
    struct proc_ident a_id = {.pid = a, .start_ticks = ks.start};
    /* B must start in a later clock tick than A: (pid, start time) cannot tell apart two
     * processes that share both */
    sleep_ms(50);
    kill(a, SIGKILL);
    waitpid(a, NULL, 0);

    char path[128];
    snprintf(path, sizeof(path), "%s/sys/kernel/ns_last_pid", dir);
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%d", (int)a - 1) < 0 || fclose(f) != 0) {
        fprintf(out, "FAIL cannot write ns_last_pid: %s\n", strerror(errno));
        return 1;
    }
    pid_t b = fork_sleeper();
    if (b != a) {
        fprintf(out, "FAIL B got pid %d, not A's %d\n", (int)b, (int)a);
        kill(b, SIGKILL);
        return 1;
    }
    snprintf(rel, sizeof(rel), "%d/stat", (int)b);
    struct kstat bks;
    kstat_read_in(dir, rel, &bks);
    fprintf(out, "info A=%d start %llu, B=%d start %llu\n", (int)a,
            (unsigned long long)a_id.start_ticks, (int)b, bks.start);

    int err;
    struct action_ctx *ac = action_ctx_new(dir, &err);
    struct action_result r;
    for (int pidfd = 1; pidfd >= 0; pidfd--) {
        action_ctx_use_pidfd(ac, pidfd);
        action_signal(ac, &a_id, SIGKILL, &r);
        bool ok = r.status == ACTION_GONE && r.mismatch && strstr(r.msg, "gone");
        fprintf(out, "%s signal (pidfd %d): %s\n", ok ? "ok" : "FAIL", pidfd, r.msg);
        fails += !ok;
        action_renice(ac, &a_id, 13, &r);
        ok = r.status == ACTION_GONE && strstr(r.msg, "gone");
        fprintf(out, "%s renice (pidfd %d): %s\n", ok ? "ok" : "FAIL", pidfd, r.msg);
        fails += !ok;
        action_ionice(ac, &a_id, IONICE_IDLE, 0, &r);
        ok = r.status == ACTION_GONE && strstr(r.msg, "gone");
        fprintf(out, "%s ionice (pidfd %d): %s\n", ok ? "ok" : "FAIL", pidfd, r.msg);
        fails += !ok;
    }
    sleep_ms(50);
    int st;
    bool b_alive = waitpid(b, &st, WNOHANG) == 0;
    kstat_read_in(dir, rel, &bks);
    bool untouched = b_alive && bks.nice != 13 && (ioprio_of(b) >> 13) != IONICE_IDLE;
    fprintf(out, "%s B (pid %d) still alive and untouched\n", untouched ? "ok" : "FAIL", (int)b);
    fails += !untouched;

    /* and B's own identity works: the check is not simply refusing everything */
    struct proc_ident b_id = {.pid = b, .start_ticks = bks.start};
    action_signal(ac, &b_id, SIGTERM, &r);
    bool killed = r.status == ACTION_OK && waitpid(b, &st, 0) == b && WIFSIGNALED(st);
    fprintf(out, "%s B's own identity: %s\n", killed ? "ok" : "FAIL", r.msg);
    fails += !killed;
    action_ctx_free(ac);
    umount(dir);
    rmdir(dir);
    return fails;
}

START_TEST(test_pid_reuse)
{
    if (geteuid() != 0) {
        fprintf(stderr, "test_pid_reuse: SKIP: needs root for a new PID namespace\n");
        return;
    }
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t outer = fork();
    ck_assert_int_ge(outer, 0);
    if (outer == 0) {
        close(p[0]);
        FILE *out = fdopen(p[1], "w");
        if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0) {
            fprintf(out, "SKIP unshare: %s\n", strerror(errno));
            fclose(out);
            _exit(0);
        }
        fflush(out);
        pid_t init = fork();
        if (init == 0) {
            int fails = pid_reuse_in_namespace(out);
            fflush(out);
            _exit(fails ? 1 : 0);
        }
        int st;
        waitpid(init, &st, 0);
        fclose(out);
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 2);
    }
    close(p[1]);
    FILE *in = fdopen(p[0], "r");
    char line[512];
    int oks = 0;
    bool skipped = false;
    while (fgets(line, sizeof(line), in)) {
        fputs(line, stderr);
        if (strncmp(line, "FAIL", 4) == 0)
            ck_abort_msg("%s", line);
        if (strncmp(line, "SKIP", 4) == 0)
            skipped = true;
        oks += strncmp(line, "ok", 2) == 0;
    }
    fclose(in);
    int st;
    ck_assert_int_eq(waitpid(outer, &st, 0), outer);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (!skipped)
        ck_assert_int_eq(oks, 8);
}
END_TEST

static Suite *action_suite(void)
{
    Suite *s = suite_create("action");
    TCase *pure = tcase_create("pure");
    tcase_add_test(pure, test_signal_table);
    tcase_add_test(pure, test_stat_parse);
    tcase_add_test(pure, test_limits_parse);
    tcase_add_test(pure, test_request_check);
    tcase_add_test(pure, test_result_wording);
    tcase_add_test(pure, test_summary);
    tcase_add_test(pure, test_zombie_format);
    suite_add_tcase(s, pure);

    TCase *live = tcase_create("live");
    tcase_add_test(live, test_signal_delivered);
    tcase_add_test(live, test_signal_delivered_no_pidfd);
    tcase_add_test(live, test_identity_mismatch);
    tcase_add_test(live, test_identity_mismatch_no_pidfd);
    tcase_add_test(live, test_vanished);
    tcase_add_test(live, test_zombie);
    tcase_add_test(live, test_zombie_leader_alive);
    tcase_add_test(live, test_kernel_thread);
    tcase_add_test(live, test_renice_up_three);
    tcase_add_test(live, test_renice_exact_and_limits);
    tcase_add_test(live, test_renice_threads);
    tcase_add_test(live, test_ionice);
    tcase_add_test(live, test_many);
    suite_add_tcase(s, live);

    TCase *unpriv = tcase_create("unprivileged");
    tcase_add_test(unpriv, test_permission_denied);
    suite_add_tcase(s, unpriv);

    TCase *reuse = tcase_create("pid_reuse");
    tcase_add_test(reuse, test_pid_reuse);
    suite_add_tcase(s, reuse);
    return s;
}

int main(void)
{
    /* PID 1 here does not reap orphans: whatever this suite spawns, it reaps itself */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    SRunner *sr = srunner_create(action_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
