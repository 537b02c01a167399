/* CPU affinity as a process action (the inspector's `a`): the CPU list text, the
 * messages, and sched_setaffinity on real children this suite forks, read back from the
 * kernel for every thread; identity mismatch, vanished and zombie targets are untouched;
 * another user's process is refused. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <grp.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "action_test_util.h"
#include "probe/action.h"

static struct action_cpus cpus_of(const char *text)
{
    struct action_cpus c;
    ck_assert_msg(action_cpus_parse(text, &c) == 0, "\"%s\" refused", text);
    return c;
}

START_TEST(test_cpus_text)
{
    struct action_cpus c = cpus_of("0-3,8");
    char buf[64];
    ck_assert_uint_eq(action_cpus_count(&c), 5);
    ck_assert(action_cpus_has(&c, 8));
    ck_assert(!action_cpus_has(&c, 4));
    action_cpus_format(&c, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0-3,8");
    c = cpus_of(" 4 , 1-2,2, 1023");
    action_cpus_format(&c, buf, sizeof(buf));
    ck_assert_str_eq(buf, "1-2,4,1023");
    const char *bad[] = {"", " ", "a", "3-1", "1,", ",1", "1024", "0-1024", "-1", "1--2", "1 2"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(action_cpus_parse(bad[i], &c) == -EINVAL, "\"%s\" accepted", bad[i]);
    /* a short buffer is cut between items, never inside a number */
    memset(&c, 0, sizeof(c));
    for (int i = 0; i < 40; i += 2)
        action_cpus_set(&c, i);
    action_cpus_format(&c, buf, 12);
    ck_assert_str_eq(buf, "0,2,4,6,8");
    action_cpus_set(&c, 5000); /* out of range: ignored */
    ck_assert_uint_eq(action_cpus_count(&c), 20);
}
END_TEST

START_TEST(test_messages)
{
    struct action_request rq = {.kind = ACTION_AFFINITY, .cpus = cpus_of("0-1")};
    char what[64];
    action_request_describe(&rq, what, sizeof(what));
    ck_assert_str_eq(what, "set CPU affinity 0-1");

    struct action_result res;
    memset(&res, 0, sizeof(res));
    res.pid = 12;
    strcpy(res.name, "x");
    res.status = ACTION_OK;
    action_result_format(&rq, &res);
    ck_assert_str_eq(res.msg, "set the CPU affinity of process 12 (x) to CPUs 0-1.");
    rq.cpus = cpus_of("3");
    action_result_format(&rq, &res);
    ck_assert_str_eq(res.msg, "set the CPU affinity of process 12 (x) to CPU 3.");
    res.status = ACTION_DENIED;
    res.err = -EPERM;
    action_result_format(&rq, &res);
    ck_assert_ptr_nonnull(strstr(res.msg, "permission denied"));
    ck_assert_ptr_nonnull(strstr(res.msg, "only root can change its CPU affinity"));
    res.status = ACTION_INVALID;
    res.err = -EINVAL;
    action_result_format(&rq, &res);
    ck_assert_ptr_nonnull(strstr(res.msg, "refused CPUs 3"));

    /* an empty set is refused before anything is tried */
    memset(&rq.cpus, 0, sizeof(rq.cpus));
    memset(&res, 0, sizeof(res));
    ck_assert(!action_request_check(&rq, 12, &res));
    ck_assert_int_eq(res.status, ACTION_INVALID);
    ck_assert_ptr_nonnull(strstr(res.msg, "at least one CPU"));

    /* a tagged set */
    rq.cpus = cpus_of("0");
    struct action_result each[2];
    memset(each, 0, sizeof(each));
    each[0].status = ACTION_OK;
    each[1].status = ACTION_GONE;
    each[1].err = -ESRCH;
    struct action_result sum;
    action_summarise(&rq, each, 2, &sum);
    ck_assert_str_eq(sum.msg, "set CPU affinity 0 on 1 of 2 processes; 1 was gone.");
}
END_TEST

/* ---- live ---- */

static void *sleep_forever(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

/* A child with n threads in all (main included), ready when this returns. */
static pid_t spawn_threaded(int n)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        child_defaults();
        for (int i = 1; i < n; i++) {
            pthread_t t;
            pthread_create(&t, NULL, sleep_forever, NULL);
        }
        close(p[0]);
        close(p[1]);
        for (;;)
            pause();
    }
    close(p[1]);
    char c;
    while (read(p[0], &c, 1) < 0 && errno == EINTR)
        ;
    close(p[0]);
    /* the threads are created before the pipe closes, but wait until all are listed */
    for (int tries = 0; tries < 200; tries++) {
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
        DIR *d = opendir(path);
        int count = 0;
        struct dirent *de;
        while (d && (de = readdir(d)))
            count += de->d_name[0] != '.';
        if (d)
            closedir(d);
        if (count == n)
            break;
        sleep_ms(5);
    }
    return pid;
}

/* Every thread's affinity as the kernel has it, as a CPU list. */
static void thread_affinities(pid_t pid, char out[][64], int *n)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    ck_assert_ptr_nonnull(d);
    struct dirent *de;
    *n = 0;
    while ((de = readdir(d)) && *n < 16) {
        if (de->d_name[0] == '.')
            continue;
        cpu_set_t set;
        CPU_ZERO(&set);
        ck_assert_int_eq(sched_getaffinity(atoi(de->d_name), sizeof(set), &set), 0);
        struct action_cpus c;
        memset(&c, 0, sizeof(c));
        for (int i = 0; i < CPU_SETSIZE; i++)
            if (CPU_ISSET(i, &set))
                action_cpus_set(&c, i);
        action_cpus_format(&c, out[*n], 64);
        (*n)++;
    }
    closedir(d);
}

static struct action_cpus online_cpus(void)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    ck_assert_int_eq(sched_getaffinity(0, sizeof(set), &set), 0);
    struct action_cpus c;
    memset(&c, 0, sizeof(c));
    for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET(i, &set))
            action_cpus_set(&c, i);
    return c;
}

/* The first CPU this suite may use. */
static int first_cpu(const struct action_cpus *c)
{
    for (int i = 0; i < ACTION_CPUS_MAX; i++)
        if (action_cpus_has(c, i))
            return i;
    return -1;
}

START_TEST(test_every_thread)
{
    struct action_ctx *ac = ctx_new();
    pid_t pid = spawn_threaded(4);
    struct proc_ident id = ident_of(pid);
    struct action_cpus all = online_cpus(), one;
    memset(&one, 0, sizeof(one));
    action_cpus_set(&one, first_cpu(&all));
    char want[64], got[16][64];
    action_cpus_format(&one, want, sizeof(want));

    struct action_result r;
    ck_assert_int_eq(action_affinity(ac, &id, &one, &r), 0);
    ck_assert_int_eq(r.status, ACTION_OK);
    ck_assert_ptr_nonnull(strstr(r.msg, "set the CPU affinity of process"));
    int n;
    thread_affinities(pid, got, &n);
    ck_assert_int_eq(n, 4);
    for (int i = 0; i < n; i++)
        ck_assert_str_eq(got[i], want);

    /* and back to every CPU */
    ck_assert_int_eq(action_affinity(ac, &id, &all, &r), 0);
    action_cpus_format(&all, want, sizeof(want));
    thread_affinities(pid, got, &n);
    for (int i = 0; i < n; i++)
        ck_assert_str_eq(got[i], want);
    reap_kill(pid);
    action_ctx_free(ac);
}
END_TEST

START_TEST(test_identity_and_zombie)
{
    struct action_ctx *ac = ctx_new();
    struct action_cpus all = online_cpus(), one;
    memset(&one, 0, sizeof(one));
    action_cpus_set(&one, first_cpu(&all));
    char before[16][64], after[16][64];
    int n, m;

    /* the pid now names a process that started at another time: untouched */
    pid_t pid = spawn_sleeper();
    struct proc_ident id = ident_of(pid);
    id.start_ticks += 1;
    thread_affinities(pid, before, &n);
    struct action_result r;
    ck_assert_int_eq(action_affinity(ac, &id, &one, &r), -ESRCH);
    ck_assert_int_eq(r.status, ACTION_GONE);
    ck_assert(r.mismatch);
    ck_assert_ptr_nonnull(strstr(r.msg, "gone"));
    thread_affinities(pid, after, &m);
    ck_assert_str_eq(before[0], after[0]);

    /* a kernel refusal: no online CPU in the set */
    id = ident_of(pid);
    struct action_cpus far;
    memset(&far, 0, sizeof(far));
    action_cpus_set(&far, ACTION_CPUS_MAX - 1);
    if (!action_cpus_has(&all, ACTION_CPUS_MAX - 1)) {
        ck_assert_int_eq(action_affinity(ac, &id, &far, &r), -EINVAL);
        ck_assert_int_eq(r.status, ACTION_INVALID);
        ck_assert_ptr_nonnull(strstr(r.msg, "refused CPUs 1023"));
    }

    /* reaped: gone */
    reap_kill(pid);
    ck_assert_int_eq(action_affinity(ac, &id, &one, &r), -ESRCH);
    ck_assert_int_eq(r.status, ACTION_GONE);

    /* a zombie: it has no threads left to move */
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0)
        _exit(0);
    siginfo_t si;
    ck_assert_int_eq(waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT), 0);
    id = ident_of(pid);
    ck_assert_int_eq(action_affinity(ac, &id, &one, &r), -ESRCH);
    ck_assert_int_eq(r.status, ACTION_ZOMBIE);
    ck_assert_ptr_nonnull(strstr(r.msg, "zombie"));
    waitpid(pid, NULL, 0);
    action_ctx_free(ac);
}
END_TEST

/* As uid 65534, a root process's affinity is refused (a forked child switches user). */
START_TEST(test_other_user_refused)
{
    if (geteuid() != 0) {
        printf("note: not root; the other-user case needs a root-owned target\n");
        return;
    }
    pid_t target = spawn_sleeper();
    struct proc_ident id = ident_of(target);
    struct action_cpus all = online_cpus(), one;
    memset(&one, 0, sizeof(one));
    action_cpus_set(&one, first_cpu(&all));
    pid_t kid = fork();
    ck_assert_int_ge(kid, 0);
    if (kid == 0) {
        if (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
            setresuid(65534, 65534, 65534) != 0)
            _exit(10);
        int err = 0;
        struct action_ctx *ac = action_ctx_new(NULL, &err);
        struct action_result r;
        if (!ac)
            _exit(11);
        action_affinity(ac, &id, &one, &r);
        _exit(r.status == ACTION_DENIED && strstr(r.msg, "only root can change its CPU affinity")
                  ? 0
                  : 12);
    }
    int st;
    ck_assert_int_eq(waitpid(kid, &st, 0), kid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
    char got[16][64], want[64];
    int n;
    action_cpus_format(&all, want, sizeof(want));
    thread_affinities(target, got, &n);
    ck_assert_str_eq(got[0], want); /* untouched */
    reap_kill(target);
}
END_TEST

static Suite *affinity_suite(void)
{
    Suite *s = suite_create("action_affinity");
    TCase *pure = tcase_create("pure");
    tcase_add_test(pure, test_cpus_text);
    tcase_add_test(pure, test_messages);
    suite_add_tcase(s, pure);
    TCase *live = tcase_create("live");
    tcase_add_test(live, test_every_thread);
    tcase_add_test(live, test_identity_and_zombie);
    tcase_add_test(live, test_other_user_refused);
    suite_add_tcase(s, live);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(affinity_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
