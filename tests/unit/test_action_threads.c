/* Actions on thread rows (proc_ident.tgid set): the identity is (TID, start time) in
 * /proc/TGID/task/TID; nice and I/O priority change that one thread, a signal goes to
 * the whole process; a thread that exited, or a TID with another start time, is gone. */
#include <check.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "action_test_util.h"
#include "probe/action.h"

struct worker {
    pthread_t th;
    pid_t tid;
    bool quit;
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;

static void *work(void *arg)
{
    struct worker *w = arg;
    prctl(PR_SET_NAME, "vgl-act-thr");
    pthread_mutex_lock(&mu);
    w->tid = (pid_t)syscall(SYS_gettid);
    pthread_cond_broadcast(&cv);
    while (!w->quit)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    return NULL;
}

static void start(struct worker *w)
{
    memset(w, 0, sizeof(*w));
    ck_assert_int_eq(pthread_create(&w->th, NULL, work, w), 0);
    pthread_mutex_lock(&mu);
    while (!w->tid)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
}

static void stop(struct worker *w)
{
    pthread_mutex_lock(&mu);
    w->quit = true;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(w->th, NULL);
}

static int thread_stat(pid_t tgid, pid_t tid, struct kstat *ks)
{
    char rel[64];
    snprintf(rel, sizeof(rel), "%d/task/%d/stat", (int)tgid, (int)tid);
    return kstat_read_in("/proc", rel, ks);
}

static struct proc_ident thread_ident(pid_t tgid, pid_t tid)
{
    struct kstat ks;
    ck_assert_int_eq(thread_stat(tgid, tid, &ks), 0);
    struct proc_ident id = {.pid = tid, .start_ticks = ks.start, .tgid = tgid};
    return id;
}

static struct action_ctx *ctx(void)
{
    int err = 1;
    struct action_ctx *ac = action_ctx_new(NULL, &err);
    ck_assert_ptr_nonnull(ac);
    return ac;
}

static int ioclass_of(pid_t tid)
{
    long v = syscall(SYS_ioprio_get, 1, (int)tid);
    return v < 0 ? -1 : (int)(v >> 13);
}

START_TEST(test_nice_one_thread)
{
    struct worker a, b;
    start(&a);
    start(&b);
    pid_t me = getpid();
    struct action_ctx *ac = ctx();
    struct proc_ident id = thread_ident(me, a.tid);
    struct kstat before_main, before_b, ks;
    ck_assert_int_eq(kstat_read(me, &before_main), 0);
    ck_assert_int_eq(thread_stat(me, b.tid, &before_b), 0);

    struct action_result res;
    int target = before_main.nice + 3 > ACTION_NICE_MAX ? ACTION_NICE_MAX : before_main.nice + 3;
    ck_assert_int_eq(action_renice(ac, &id, target, &res), 0);
    ck_assert_int_eq(res.status, ACTION_OK);
    ck_assert_int_eq(res.pid, me);
    ck_assert_int_eq(res.tid, a.tid);
    ck_assert_str_eq(res.thread_name, "vgl-act-thr");
    ck_assert_int_eq(res.nice_after, target);
    char want[64];
    snprintf(want, sizeof(want), "thread %d (vgl-act-thr) of process %d", (int)a.tid, (int)me);
    ck_assert_msg(strstr(res.msg, want), "%s", res.msg);

    /* that thread only: the kernel's own view */
    ck_assert_int_eq(thread_stat(me, a.tid, &ks), 0);
    ck_assert_int_eq(ks.nice, target);
    ck_assert_int_eq(thread_stat(me, b.tid, &ks), 0);
    ck_assert_int_eq(ks.nice, before_b.nice);
    ck_assert_int_eq(thread_stat(me, me, &ks), 0);
    ck_assert_int_eq(ks.nice, before_main.nice);

    /* relative to the thread's own value */
    ck_assert_int_eq(action_renice_by(ac, &id, -1, &res), 0);
    ck_assert_int_eq(res.nice_before, target);
    ck_assert_int_eq(thread_stat(me, a.tid, &ks), 0);
    ck_assert_int_eq(ks.nice, target - 1);

    /* I/O priority: that thread only */
    int main_class = ioclass_of(me);
    ck_assert_int_eq(action_ionice(ac, &id, IONICE_IDLE, 0, &res), 0);
    ck_assert_int_eq(res.status, ACTION_OK);
    ck_assert_int_eq(ioclass_of(a.tid), IONICE_IDLE);
    ck_assert_int_eq(ioclass_of(me), main_class);
    ck_assert_int_ne(ioclass_of(b.tid), IONICE_IDLE);

    action_ctx_free(ac);
    stop(&a);
    stop(&b);
}
END_TEST

START_TEST(test_thread_identity)
{
    struct worker a;
    start(&a);
    pid_t me = getpid();
    struct action_ctx *ac = ctx();
    struct proc_ident id = thread_ident(me, a.tid);
    struct kstat ks;
    ck_assert_int_eq(thread_stat(me, a.tid, &ks), 0);
    int nice = ks.nice;
    struct action_result res;

    /* another start time: another thread had the TID; nothing done */
    struct proc_ident wrong = id;
    wrong.start_ticks++;
    ck_assert_int_eq(action_renice(ac, &wrong, ACTION_NICE_MAX, &res), -ESRCH);
    ck_assert_int_eq(res.status, ACTION_GONE);
    ck_assert(res.mismatch);
    ck_assert_ptr_nonnull(strstr(res.msg, "gone"));
    ck_assert_int_eq(thread_stat(me, a.tid, &ks), 0);
    ck_assert_int_eq(ks.nice, nice);

    /* the TID is not a thread of that process */
    wrong = id;
    wrong.tgid = getppid();
    ck_assert_int_eq(action_renice(ac, &wrong, ACTION_NICE_MAX, &res), -ESRCH);
    ck_assert_int_eq(res.status, ACTION_GONE);
    ck_assert_int_eq(thread_stat(me, a.tid, &ks), 0);
    ck_assert_int_eq(ks.nice, nice);

    /* the thread exited */
    stop(&a);
    ck_assert_int_eq(action_renice(ac, &id, ACTION_NICE_MAX, &res), -ESRCH);
    ck_assert_int_eq(res.status, ACTION_GONE);
    char want[64];
    snprintf(want, sizeof(want), "thread %d of process %d is gone", (int)a.tid, (int)me);
    ck_assert_msg(strstr(res.msg, want), "%s", res.msg);
    ck_assert_int_eq(action_signal(ac, &id, SIGTERM, &res), -ESRCH); /* nothing sent */
    ck_assert_int_eq(res.status, ACTION_GONE);
    action_ctx_free(ac);
}
END_TEST

/* A child with a named worker thread; writes the worker's TID to fd and waits. */
static void threaded_child(int fd)
{
    child_defaults();
    struct worker w;
    memset(&w, 0, sizeof(w));
    if (pthread_create(&w.th, NULL, work, &w) != 0)
        _exit(3);
    pthread_mutex_lock(&mu);
    while (!w.tid)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    if (write(fd, &w.tid, sizeof(w.tid)) != (ssize_t)sizeof(w.tid))
        _exit(4);
    for (;;)
        pause();
}

START_TEST(test_signal_goes_to_process)
{
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        close(p[0]);
        threaded_child(p[1]);
    }
    close(p[1]);
    pid_t tid = 0;
    ck_assert_int_eq(read(p[0], &tid, sizeof(tid)), (ssize_t)sizeof(tid));
    close(p[0]);
    ck_assert_int_ne(tid, child);

    struct action_ctx *ac = ctx();
    struct proc_ident id = thread_ident(child, tid);
    struct action_result res;
    ck_assert_int_eq(action_signal(ac, &id, SIGTERM, &res), 0);
    ck_assert_int_eq(res.status, ACTION_OK);
    ck_assert_int_eq(res.pid, child);
    char want[64];
    snprintf(want, sizeof(want), "sent SIGTERM to process %d", (int)child);
    ck_assert_msg(strstr(res.msg, want), "%s", res.msg);
    int st = 0;
    ck_assert_int_eq(waitpid(child, &st, 0), child);
    ck_assert(WIFSIGNALED(st));
    ck_assert_int_eq(WTERMSIG(st), SIGTERM);
    action_ctx_free(ac);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("action_threads");
    TCase *tc = tcase_create("live");
    tcase_add_test(tc, test_nice_one_thread);
    tcase_add_test(tc, test_thread_identity);
    tcase_add_test(tc, test_signal_goes_to_process);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
