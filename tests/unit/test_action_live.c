/* Process actions against real child processes this suite forks: delivered signals (with
 * and without pidfds), identity mismatch, vanished processes, zombies and their parent,
 * kernel threads, nice and I/O priority read back from the kernel, tagged sets. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "action_test_util.h"
#include "probe/action.h"

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

static Suite *action_live_suite(void)
{
    Suite *s = suite_create("action_live");
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
    return s;
}

int main(void)
{
    /* PID 1 here does not reap orphans: whatever this suite spawns, it reaps itself */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    SRunner *sr = srunner_create(action_live_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
