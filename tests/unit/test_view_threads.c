/* Thread rows in views (view_options.show_threads): placement right under their process
 * in tree mode (before its child processes), sorting among processes in list mode,
 * filters judged through the process, orphans and cycles. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/view.h"

struct spec {
    pid_t pid, ppid, tgid; /* tgid != 0: a thread */
    const char *name;
    double cpu;
    uid_t uid; /* (uid_t)-1: user not read */
    const char *cmdline;
    bool kthread;
};

static const struct spec procs[] = {
    {1, 0, 0, "init", 0.5, 0, "/sbin/init", false},
    {2, 0, 0, "kthreadd", 0, 0, NULL, true},
    {10, 1, 0, "app", 10, 1000, "app --serve", false},
    {11, 10, 0, "child", 50, 1000, "child", false},
    {20, 1, 0, "other", 2, 2000, "other", false},
    {40, 41, 0, "cyc-a", 0, 0, NULL, false},
    {41, 40, 0, "cyc-b", 0, 0, NULL, false},
};

/* sorted by (tgid, tid); 99 has no process in the snapshot */
static const struct spec threads[] = {
    {12, 1, 10, "vgl-worker-1", 30, (uid_t)-1, NULL, false},
    {13, 1, 10, "vgl-worker-2", 5, (uid_t)-1, NULL, false},
    {21, 1, 20, "helper", 1, (uid_t)-1, NULL, false},
    {42, 41, 40, "cyc-thr", 0, (uid_t)-1, NULL, false},
    {100, 1, 99, "orphan", 3, (uid_t)-1, NULL, false},
};

#define N_PROCS   (sizeof(procs) / sizeof(procs[0]))
#define N_THREADS (sizeof(threads) / sizeof(threads[0]))

static void fill(struct proc_entry *e, const struct spec *sp)
{
    memset(e, 0, sizeof(*e));
    e->pid = sp->pid;
    e->ppid = sp->ppid;
    e->tgid = sp->tgid;
    e->start_ticks = (uint64_t)sp->pid * 10;
    snprintf(e->name, sizeof(e->name), "%s", sp->name);
    e->state = 'S';
    e->cpu_percent = sp->cpu;
    e->kernel_thread = sp->kthread;
    if (sp->uid != (uid_t)-1) {
        e->uid = sp->uid;
        char user[16];
        snprintf(user, sizeof(user), "u%u", (unsigned)sp->uid);
        e->user = proc_user_intern(user);
        e->have |= PROC_F_USER;
    }
    if (sp->cmdline) {
        size_t n = strlen(sp->cmdline);
        char buf[64];
        memcpy(buf, sp->cmdline, n + 1);
        for (size_t i = 0; i < n; i++)
            if (buf[i] == ' ')
                buf[i] = '\0';
        e->cmdline = vstr_new(buf, n);
        e->have |= PROC_F_CMDLINE;
    }
}

static struct snapshot snap(void)
{
    struct snapshot s;
    snapshot_init(&s);
    s.procs = calloc(N_PROCS, sizeof(*s.procs));
    s.n_procs = N_PROCS;
    for (size_t i = 0; i < N_PROCS; i++)
        fill(&s.procs[i], &procs[i]);
    s.threads = calloc(N_THREADS, sizeof(*s.threads));
    s.n_threads = N_THREADS;
    for (size_t i = 0; i < N_THREADS; i++)
        fill(&s.threads[i], &threads[i]);
    return s;
}

/* "pid:depth pid:depth ..." of a view, threads marked with a t. */
static void layout(const struct view *v, char *buf, size_t cap)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < v->n && used < cap; i++) {
        const struct proc_entry *p = v->rows[i].proc;
        used += (size_t)snprintf(buf + used, cap - used, "%s%s%d:%d", i ? " " : "",
                                 proc_entry_is_thread(p) ? "t" : "", (int)p->pid, v->rows[i].depth);
    }
}

static struct view build(const struct snapshot *s, const struct view_options *o)
{
    struct view v;
    ck_assert_int_eq(view_build(s, o, &v), 0);
    return v;
}

static const struct view_row *row_of(const struct view *v, pid_t pid)
{
    for (size_t i = 0; i < v->n; i++)
        if (v->rows[i].proc->pid == pid)
            return &v->rows[i];
    return NULL;
}

START_TEST(test_hidden_by_default)
{
    struct snapshot s = snap();
    struct view_options o;
    view_options_default(&o);
    ck_assert(!o.show_threads);
    struct view v = build(&s, &o);
    ck_assert_uint_eq(v.n, N_PROCS);
    for (size_t i = 0; i < v.n; i++)
        ck_assert(!proc_entry_is_thread(v.rows[i].proc));
    view_done(&v);
    o.tree = true;
    v = build(&s, &o);
    ck_assert_uint_eq(v.n, N_PROCS);
    view_done(&v);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_tree_threads_under_process)
{
    struct snapshot s = snap();
    struct view_options o;
    view_options_default(&o); /* sort by CPU, largest first */
    o.tree = true;
    o.show_threads = true;
    struct view v = build(&s, &o);
    char got[512];
    layout(&v, got, sizeof(got));
    /* roots by CPU: the orphan thread (3) leads. Under 10: its threads first (30 before
     * 5), then its child 11 although 11 uses more CPU (50); 40's thread before 41 */
    ck_assert_str_eq(got, "t100:0 1:0 10:1 t12:2 t13:2 11:2 20:1 t21:2 2:0 40:0 t42:1 41:1");
    ck_assert_uint_eq(v.n, N_PROCS + N_THREADS);

    /* branches: 12 and 13 have later siblings (13, then the child 11); 11 is last */
    const struct view_row *r12 = row_of(&v, 12), *r13 = row_of(&v, 13), *r11 = row_of(&v, 11);
    ck_assert(r12->more_siblings & 2);
    ck_assert(r13->more_siblings & 2);
    ck_assert(!(r11->more_siblings & 2));
    /* the thread row points at the snapshot's thread entry */
    ck_assert_ptr_eq(r12->proc, &s.threads[0]);
    view_done(&v);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_list_threads_sorted_among_processes)
{
    struct snapshot s = snap();
    struct view_options o;
    view_options_default(&o);
    o.show_threads = true;
    struct view v = build(&s, &o);
    char got[512];
    layout(&v, got, sizeof(got));
    ck_assert_str_eq(got, "11:0 t12:0 10:0 t13:0 t100:0 20:0 t21:0 1:0 2:0 40:0 41:0 t42:0");
    view_done(&v);
    o.sort = SORT_PID;
    v = build(&s, &o);
    layout(&v, got, sizeof(got));
    ck_assert_str_eq(got, "1:0 2:0 10:0 11:0 t12:0 t13:0 20:0 t21:0 40:0 41:0 t42:0 t100:0");
    view_done(&v);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_filters_through_process)
{
    struct snapshot s = snap();
    struct view_options o;
    view_options_default(&o);
    o.show_threads = true;
    o.tree = true;
    o.sort = SORT_PID;
    char got[512];

    /* -p names the process: its threads come with it */
    pid_t only[] = {10};
    o.pids = only;
    o.n_pids = 1;
    struct view v = build(&s, &o);
    layout(&v, got, sizeof(got));
    ck_assert_str_eq(got, "10:0 t12:1 t13:1");
    view_done(&v);
    /* a TID names just that thread, a root without its process */
    pid_t tid[] = {13};
    o.pids = tid;
    v = build(&s, &o);
    layout(&v, got, sizeof(got));
    ck_assert_str_eq(got, "t13:0");
    view_done(&v);
    o.pids = NULL;
    o.n_pids = 0;

    /* user filter: threads without a user of their own go with their process's */
    o.by_uid = true;
    o.uid = 2000;
    v = build(&s, &o);
    layout(&v, got, sizeof(got));
    ck_assert_str_eq(got, "20:0 t21:1");
    view_done(&v);
    o.by_uid = false;

    /* text: the process's command line brings its threads; a thread's own name brings
     * just that thread (a root: its process does not match) */
    o.filter = "SERVE";
    v = build(&s, &o);
    layout(&v, got, sizeof(got));
    ck_assert_str_eq(got, "10:0 t12:1 t13:1");
    view_done(&v);
    o.filter = "worker-2";
    v = build(&s, &o);
    layout(&v, got, sizeof(got));
    ck_assert_str_eq(got, "t13:0");
    view_done(&v);
    o.filter = NULL;

    /* hiding kernel threads hides nothing else */
    o.hide_kernel_threads = true;
    v = build(&s, &o);
    ck_assert_uint_eq(v.n, N_PROCS + N_THREADS - 1);
    ck_assert_ptr_null(row_of(&v, 2));
    view_done(&v);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_orphans_and_cycles)
{
    struct snapshot s = snap();
    struct view_options o;
    view_options_default(&o);
    o.show_threads = true;
    o.tree = true;
    o.sort = SORT_PID;
    struct view v = build(&s, &o);
    /* every row exactly once */
    ck_assert_uint_eq(v.n, N_PROCS + N_THREADS);
    for (size_t i = 0; i < v.n; i++)
        for (size_t j = i + 1; j < v.n; j++)
            ck_assert_ptr_ne(v.rows[i].proc, v.rows[j].proc);
    /* the orphan thread is a root; the cycle is cut at 40, its thread stays under it */
    ck_assert_int_eq(row_of(&v, 100)->depth, 0);
    ck_assert_int_eq(row_of(&v, 40)->depth, 0);
    ck_assert_int_eq(row_of(&v, 41)->depth, 1);
    ck_assert_int_eq(row_of(&v, 42)->depth, 1);
    ck_assert(row_of(&v, 41) == row_of(&v, 42) + 1);
    ck_assert(row_of(&v, 42) == row_of(&v, 40) + 1);
    view_done(&v);

    /* the process filtered out: its threads are roots, not dropped */
    o.filter = "vgl";
    v = build(&s, &o);
    char got[256];
    layout(&v, got, sizeof(got));
    ck_assert_str_eq(got, "t12:0 t13:0");
    view_done(&v);
    snapshot_done(&s);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("view_threads");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_hidden_by_default);
    tcase_add_test(tc, test_tree_threads_under_process);
    tcase_add_test(tc, test_list_threads_sorted_among_processes);
    tcase_add_test(tc, test_filters_through_process);
    tcase_add_test(tc, test_orphans_and_cycles);
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
