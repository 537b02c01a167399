/* Views: sorting on every column both ways, filters, and the tree (orphans, cycles,
 * depth and sibling bits, deep chains, speed). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "probe/view.h"

static struct snapshot snap_new(size_t n)
{
    struct snapshot s;
    snapshot_init(&s);
    s.procs = calloc(n ? n : 1, sizeof(*s.procs));
    s.n_procs = n;
    return s;
}

static void snap_free(struct snapshot *s)
{
    snapshot_done(s);
}

struct spec {
    pid_t pid, ppid;
    const char *user;
    char state;
    int nice, pri, threads;
    uint64_t vms, rss;
    double cpu;
    uint64_t ticks;
    double io_rate; /* < 0 unknown */
    const char *name;
    uint64_t start;
};

/* Five processes whose columns each give a different order (see the table in
 * test_sort_every_column). Sorted by pid as snapshots are. */
static const struct spec five[] = {
    {5, 0, "dave", 'I', -20, 30, 16, 700, 70, 1.0, 600, 10, "init", 100},
    {10, 1, "root", 'S', 0, 20, 4, 500, 50, 5.0, 300, 100, "bash", 1000},
    {20, 10, "alice", 'R', 5, 25, 1, 900, 10, 50.0, 100, 0, "Zed", 500},
    {30, 1, "bob", 'Z', -5, 15, 8, 100, 90, 0.5, 900, 5000, "apache", 3000},
    {40, 20, "carol", 'D', 19, 39, 2, 300, 30, 20.0, 50, -1, "cron", 2000},
};

static void fill(struct proc_entry *p, const struct spec *sp)
{
    memset(p, 0, sizeof(*p));
    p->pid = sp->pid;
    p->ppid = sp->ppid;
    p->user = proc_user_intern(sp->user);
    p->uid = (uid_t)(1000 + sp->pid);
    p->have = PROC_F_USER | PROC_F_IO;
    p->state = sp->state;
    p->nice = sp->nice;
    p->priority = sp->pri;
    p->threads = sp->threads;
    p->vms = sp->vms;
    p->rss = sp->rss;
    p->mem_percent = (double)sp->rss / 10.0;
    p->cpu_percent = sp->cpu;
    p->utime = sp->ticks;
    p->cpu_time = (double)sp->ticks / 100;
    p->io_read_rate = sp->io_rate;
    p->io_write_rate = sp->io_rate < 0 ? -1 : 0;
    p->io_read_bytes = 7;
    p->io_write_bytes = 0;
    snprintf(p->name, sizeof(p->name), "%s", sp->name);
    p->start_ticks = sp->start;
}

static struct snapshot five_snap(void)
{
    struct snapshot s = snap_new(5);
    for (int i = 0; i < 5; i++)
        fill(&s.procs[i], &five[i]);
    return s;
}

static void expect_order(const struct snapshot *s, const struct view_options *o, const pid_t *want,
                         size_t n, const char *what)
{
    struct view v;
    ck_assert_int_eq(view_build(s, o, &v), 0);
    char got[256] = "", exp[256] = "";
    for (size_t i = 0; i < v.n; i++)
        snprintf(got + strlen(got), sizeof(got) - strlen(got), "%d ", v.rows[i].proc->pid);
    for (size_t i = 0; i < n; i++)
        snprintf(exp + strlen(exp), sizeof(exp) - strlen(exp), "%d ", want[i]);
    ck_assert_msg(v.n == n && strcmp(got, exp) == 0, "%s: got [%s] want [%s]", what, got, exp);
    view_done(&v);
}

START_TEST(test_key_names)
{
    static const char *const names[SORT_KEY_COUNT] = {"pid", "ppid",    "user", "state", "nice",
                                                      "pri", "threads", "virt", "rss",   "cpu",
                                                      "mem", "time",    "io",   "name",  "start"};
    for (int k = 0; k < SORT_KEY_COUNT; k++) {
        ck_assert_str_eq(sort_key_name((enum sort_key)k), names[k]);
        ck_assert_int_eq(sort_key_parse(names[k]), k);
    }
    ck_assert_int_eq(sort_key_parse("CPU"), SORT_CPU);
    ck_assert_int_eq(sort_key_parse("cpux"), -1);
    ck_assert_int_eq(sort_key_parse(""), -1);
    ck_assert_int_eq(sort_key_parse(NULL), -1);
    ck_assert_str_eq(sort_key_name(SORT_KEY_COUNT), "unknown");

    /* quantities largest first, identifiers and names smallest first */
    bool desc[SORT_KEY_COUNT] = {
        [SORT_THREADS] = true, [SORT_VIRT] = true, [SORT_RSS] = true, [SORT_CPU] = true,
        [SORT_MEM] = true,     [SORT_TIME] = true, [SORT_IO] = true};
    for (int k = 0; k < SORT_KEY_COUNT; k++)
        ck_assert_msg(sort_key_descending((enum sort_key)k) == desc[k], "%s", names[k]);

    struct view_options o;
    view_options_default(&o);
    ck_assert_int_eq(o.sort, SORT_CPU);
    ck_assert(!o.reverse && !o.tree && !o.by_uid && !o.hide_kernel_threads);
    ck_assert_ptr_null(o.filter);
}
END_TEST

START_TEST(test_sort_every_column)
{
    /* natural order per key, worked out by hand from the table in five[] */
    static const struct {
        enum sort_key key;
        pid_t natural[5];
        pid_t reversed[5];
    } cases[] = {
        {SORT_PID, {5, 10, 20, 30, 40}, {40, 30, 20, 10, 5}},
        /* ppid: 10 and 30 share parent 1; ties go by pid ascending either way */
        {SORT_PPID, {5, 10, 30, 20, 40}, {40, 20, 10, 30, 5}},
        {SORT_USER, {20, 30, 40, 5, 10}, {10, 5, 40, 30, 20}},
        {SORT_STATE, {40, 5, 20, 10, 30}, {30, 10, 20, 5, 40}},
        {SORT_NICE, {5, 30, 10, 20, 40}, {40, 20, 10, 30, 5}},
        {SORT_PRI, {30, 10, 20, 5, 40}, {40, 5, 20, 10, 30}},
        {SORT_THREADS, {5, 30, 10, 40, 20}, {20, 40, 10, 30, 5}},
        {SORT_VIRT, {20, 5, 10, 40, 30}, {30, 40, 10, 5, 20}},
        {SORT_RSS, {30, 5, 10, 40, 20}, {20, 40, 10, 5, 30}},
        {SORT_CPU, {20, 40, 10, 5, 30}, {30, 5, 10, 40, 20}},
        {SORT_MEM, {30, 5, 10, 40, 20}, {20, 40, 10, 5, 30}},
        {SORT_TIME, {30, 5, 10, 20, 40}, {40, 20, 10, 5, 30}},
        /* io: 40's rate is unknown, below a known 0 */
        {SORT_IO, {30, 10, 5, 20, 40}, {40, 20, 5, 10, 30}},
        /* name: case-insensitive, "Zed" after "init" */
        {SORT_NAME, {30, 10, 40, 5, 20}, {20, 5, 40, 10, 30}},
        {SORT_START, {5, 20, 10, 40, 30}, {30, 40, 10, 20, 5}},
    };
    ck_assert_uint_eq(sizeof(cases) / sizeof(cases[0]), SORT_KEY_COUNT);
    struct snapshot s = five_snap();
    for (size_t i = 0; i < SORT_KEY_COUNT; i++) {
        struct view_options o;
        view_options_default(&o);
        o.sort = cases[i].key;
        expect_order(&s, &o, cases[i].natural, 5, sort_key_name(o.sort));
        o.reverse = true;
        expect_order(&s, &o, cases[i].reversed, 5, sort_key_name(o.sort));
        /* view_compare agrees with the natural order, pairwise */
        for (int a = 0; a < 4; a++) {
            const struct proc_entry *x = snapshot_find_proc(&s, cases[i].natural[a]);
            const struct proc_entry *y = snapshot_find_proc(&s, cases[i].natural[a + 1]);
            ck_assert_msg(view_compare(x, y, o.sort) < 0, "%s", sort_key_name(o.sort));
            ck_assert(view_compare(y, x, o.sort) > 0);
            ck_assert_int_eq(view_compare(x, x, o.sort), 0);
        }
    }
    snap_free(&s);
}
END_TEST

START_TEST(test_sort_ties_and_io_bytes)
{
    struct snapshot s = snap_new(4);
    for (int i = 0; i < 4; i++) {
        s.procs[i].pid = 100 + i;
        s.procs[i].have = PROC_F_IO;
        s.procs[i].io_read_rate = s.procs[i].io_write_rate = -1; /* first sample */
    }
    /* without rates, bytes read + written order the io column */
    s.procs[0].io_read_bytes = 10;
    s.procs[1].io_read_bytes = 5;
    s.procs[1].io_write_bytes = 50;
    s.procs[2].io_read_bytes = 30;
    s.procs[3].have = 0; /* not read at all: unknown, last */
    s.procs[3].io_read_bytes = 999;
    struct view_options o;
    view_options_default(&o);
    o.sort = SORT_IO;
    expect_order(&s, &o, (pid_t[]){101, 102, 100, 103}, 4, "io bytes");

    /* all equal on cpu: pid ascending in both directions, so rows never jump */
    o.sort = SORT_CPU;
    expect_order(&s, &o, (pid_t[]){100, 101, 102, 103}, 4, "cpu ties");
    o.reverse = true;
    expect_order(&s, &o, (pid_t[]){100, 101, 102, 103}, 4, "cpu ties reversed");

    /* equal cpu percent: more CPU time first */
    s.procs[2].utime = 5;
    o.reverse = false;
    expect_order(&s, &o, (pid_t[]){102, 100, 101, 103}, 4, "cpu then time");

    /* user column without user data (PROC_F_USER missing) sorts by nothing: by pid */
    o.sort = SORT_USER;
    s.procs[0].user = "zzz";
    expect_order(&s, &o, (pid_t[]){100, 101, 102, 103}, 4, "user unknown");
    snap_free(&s);
}
END_TEST

START_TEST(test_filters)
{
    struct snapshot s = five_snap();
    s.procs[0].kernel_thread = true; /* init, pid 5 */
    s.procs[1].cmdline = vstr_new("/bin/bash\0-c\0Sleep 100", 22);
    s.procs[3].cmdline = vstr_new("/usr/sbin/apache2\0-k\0start", 27);
    struct view_options o;
    view_options_default(&o);
    o.sort = SORT_PID;

    pid_t pids[] = {40, 5, 999, 20}; /* unsorted, with one that does not exist */
    o.pids = pids;
    o.n_pids = 4;
    expect_order(&s, &o, (pid_t[]){5, 20, 40}, 3, "pids");
    o.hide_kernel_threads = true;
    expect_order(&s, &o, (pid_t[]){20, 40}, 2, "pids without kernel threads");
    o.pids = NULL;
    o.n_pids = 0;
    expect_order(&s, &o, (pid_t[]){10, 20, 30, 40}, 4, "no kernel threads");
    o.hide_kernel_threads = false;

    o.by_uid = true;
    o.uid = 1030;
    expect_order(&s, &o, (pid_t[]){30}, 1, "uid");
    s.procs[3].have &= ~PROC_F_USER; /* uid not read: cannot match */
    expect_order(&s, &o, NULL, 0, "uid unknown");
    o.by_uid = false;

    o.filter = "ZE"; /* name, case-insensitive */
    expect_order(&s, &o, (pid_t[]){20}, 1, "name filter");
    o.filter = "c sleep"; /* across arguments, as if joined by spaces */
    expect_order(&s, &o, (pid_t[]){10}, 1, "cmdline filter");
    o.filter = "APACHE2 -K"; /* cmdline, case-insensitive */
    expect_order(&s, &o, (pid_t[]){30}, 1, "cmdline filter 2");
    o.filter = "c"; /* names "cron", "apache"; cmdlines of 10 and 30 ("-c") */
    expect_order(&s, &o, (pid_t[]){10, 30, 40}, 3, "short filter");
    o.filter = "bash\n";
    expect_order(&s, &o, NULL, 0, "no match");
    o.filter = "";
    expect_order(&s, &o, (pid_t[]){5, 10, 20, 30, 40}, 5, "empty filter");

    /* filters combine; the tree sees only what passes */
    o.filter = "a"; /* names bash and apache, and bash's cmdline */
    o.tree = true;
    expect_order(&s, &o, (pid_t[]){10, 30}, 2, "filter in tree");
    snap_free(&s);
}
END_TEST

/* pid, ppid pairs in pid order; cpu decides sibling order in some tests */
static struct snapshot tree_snap(const pid_t (*pairs)[2], size_t n)
{
    struct snapshot s = snap_new(n);
    for (size_t i = 0; i < n; i++) {
        s.procs[i].pid = pairs[i][0];
        s.procs[i].ppid = pairs[i][1];
        snprintf(s.procs[i].name, sizeof(s.procs[i].name), "p%d", pairs[i][0]);
    }
    return s;
}

static void expect_tree(const struct snapshot *s, const struct view_options *o, size_t n,
                        const pid_t *pids, const int *depths, const uint64_t *bits)
{
    struct view v;
    ck_assert_int_eq(view_build(s, o, &v), 0);
    ck_assert_uint_eq(v.n, n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_msg(v.rows[i].proc->pid == pids[i], "row %zu: pid %d want %d", i,
                      v.rows[i].proc->pid, pids[i]);
        ck_assert_msg(v.rows[i].depth == depths[i], "row %zu (pid %d): depth %d want %d", i,
                      pids[i], v.rows[i].depth, depths[i]);
        ck_assert_msg(v.rows[i].more_siblings == bits[i], "row %zu (pid %d): bits %llx want %llx",
                      i, pids[i], (unsigned long long)v.rows[i].more_siblings,
                      (unsigned long long)bits[i]);
    }
    view_done(&v);
}

START_TEST(test_tree_shape_and_bits)
{
    /*  1
     *  |- 2
     *  |  |- 4
     *  |  |  `- 7
     *  |  `- 5
     *  `- 3
     *     `- 6
     *  8 (orphan: parent 99 missing)    9 (ppid 0) */
    static const pid_t pairs[][2] = {{1, 0}, {2, 1}, {3, 1},  {4, 2}, {5, 2},
                                     {6, 3}, {7, 4}, {8, 99}, {9, 0}};
    struct snapshot s = tree_snap(pairs, 9);
    struct view_options o;
    view_options_default(&o);
    o.sort = SORT_PID;
    o.tree = true;
    expect_tree(&s, &o, 9, (pid_t[]){1, 2, 4, 7, 5, 3, 6, 8, 9}, (int[]){0, 1, 2, 3, 2, 1, 2, 0, 0},
                (uint64_t[]){0, 0x1, 0x3, 0x3, 0x1, 0x0, 0x0, 0, 0});

    /* siblings follow the sort key: by cpu, 3 before 2, and 5 before 4 */
    s.procs[2].cpu_percent = 10; /* pid 3 */
    s.procs[4].cpu_percent = 5;  /* pid 5 */
    s.procs[8].cpu_percent = 1;  /* pid 9: roots are sorted too */
    o.sort = SORT_CPU;
    expect_tree(&s, &o, 9, (pid_t[]){9, 1, 3, 6, 2, 5, 4, 7, 8}, (int[]){0, 0, 1, 2, 1, 2, 2, 3, 0},
                (uint64_t[]){0, 0, 0x1, 0x1, 0x0, 0x2, 0x0, 0x0, 0});

    /* reverse flips siblings and roots, not the shape */
    o.sort = SORT_PID;
    o.reverse = true;
    expect_tree(&s, &o, 9, (pid_t[]){9, 8, 1, 3, 6, 2, 5, 4, 7}, (int[]){0, 0, 0, 1, 2, 1, 2, 2, 3},
                (uint64_t[]){0, 0, 0, 0x1, 0x1, 0x0, 0x2, 0x0, 0x0});

    /* a filtered-out parent makes its children roots */
    o.reverse = false;
    pid_t only[] = {1, 4, 5, 6, 7};
    o.pids = only;
    o.n_pids = 5;
    expect_tree(&s, &o, 5, (pid_t[]){1, 4, 7, 5, 6}, (int[]){0, 0, 1, 0, 0},
                (uint64_t[]){0, 0, 0, 0, 0});

    /* list mode has no depth or bits */
    o.pids = NULL;
    o.n_pids = 0;
    o.tree = false;
    struct view v;
    ck_assert_int_eq(view_build(&s, &o, &v), 0);
    for (size_t i = 0; i < v.n; i++)
        ck_assert(v.rows[i].depth == 0 && v.rows[i].more_siblings == 0);
    view_done(&v);
    view_done(&v); /* twice is harmless */
    view_done(NULL);
    snap_free(&s);
}
END_TEST

START_TEST(test_tree_cycles)
{
    /* 10 -> 20 -> 30 -> 10 (a loop that a torn read of /proc could show), 40 under 20,
     * 50 -> 50 (its own parent), and a normal root 1 with child 60 */
    static const pid_t pairs[][2] = {{1, 0},   {10, 30}, {20, 10}, {30, 20},
                                     {40, 20}, {50, 50}, {60, 1}};
    struct snapshot s = tree_snap(pairs, 7);
    struct view_options o;
    view_options_default(&o);
    o.sort = SORT_PID;
    o.tree = true;
    /* the loop is cut at its lowest pid, 10, which becomes a root */
    expect_tree(&s, &o, 7, (pid_t[]){1, 60, 10, 20, 30, 40, 50}, (int[]){0, 1, 0, 1, 2, 2, 0},
                (uint64_t[]){0, 0, 0, 0, 0x2, 0, 0});
    snap_free(&s);

    /* one big loop of 10,000: every process once, no hang */
    enum { N = 10000 };
    struct snapshot big = snap_new(N);
    for (int i = 0; i < N; i++) {
        big.procs[i].pid = i + 1;
        big.procs[i].ppid = i == 0 ? N : i; /* 1 <- N, i+1 <- i */
    }
    struct view v;
    ck_assert_int_eq(view_build(&big, &o, &v), 0);
    ck_assert_uint_eq(v.n, N);
    for (int i = 0; i < N; i++) {
        ck_assert_int_eq(v.rows[i].proc->pid, i + 1);
        ck_assert_int_eq(v.rows[i].depth, i);
    }
    view_done(&v);
    snap_free(&big);
}
END_TEST

START_TEST(test_tree_deep_chain)
{
    /* 10,000 deep, parents with higher pids than children too: no recursion, bits
     * beyond 63 simply absent */
    enum { N = 10000 };
    struct snapshot s = snap_new(N + 1);
    for (int i = 0; i < N; i++) {
        s.procs[i].pid = i + 1;
        s.procs[i].ppid = i + 2 <= N ? i + 2 : 0; /* N is the root, 1 the deepest */
    }
    /* one extra child of the root, so depth-1 rows have a later sibling (bit 0) */
    s.procs[N].pid = N + 1;
    s.procs[N].ppid = N;
    struct view_options o;
    view_options_default(&o);
    o.sort = SORT_PID;
    o.tree = true;
    struct view v;
    ck_assert_int_eq(view_build(&s, &o, &v), 0);
    ck_assert_uint_eq(v.n, N + 1);
    ck_assert_int_eq(v.rows[0].proc->pid, N);
    for (int i = 1; i < N; i++) {
        ck_assert_int_eq(v.rows[i].proc->pid, N - i);
        ck_assert_int_eq(v.rows[i].depth, i);
        ck_assert_uint_eq(v.rows[i].more_siblings, 1); /* column 0: N+1 still to come */
    }
    ck_assert_int_eq(v.rows[N].proc->pid, N + 1);
    ck_assert_int_eq(v.rows[N].depth, 1);
    ck_assert_uint_eq(v.rows[N].more_siblings, 0);
    view_done(&v);
    snap_free(&s);
}
END_TEST

START_TEST(test_unsorted_snapshot_and_empty)
{
    /* hand-made snapshots may not be in pid order: the tree still finds parents */
    static const pid_t pairs[][2] = {{30, 10}, {10, 0}, {20, 10}};
    struct snapshot s = tree_snap(pairs, 3);
    struct view_options o;
    view_options_default(&o);
    o.sort = SORT_PID;
    o.tree = true;
    expect_tree(&s, &o, 3, (pid_t[]){10, 20, 30}, (int[]){0, 1, 1}, (uint64_t[]){0, 0x1, 0});
    snap_free(&s);

    struct snapshot e = snap_new(0);
    struct view v;
    ck_assert_int_eq(view_build(&e, &o, &v), 0);
    ck_assert_uint_eq(v.n, 0);
    view_done(&v);
    o.tree = false;
    ck_assert_int_eq(view_build(&e, &o, &v), 0);
    ck_assert_uint_eq(v.n, 0);
    view_done(&v);
    snap_free(&e);
}
END_TEST

START_TEST(test_large_tree_shape)
{
    /* a realistic shape: a few hundred parents, random cpu values. Speed is measured by
     * the benchmark (tests/bench), not here: this checks the tree at size. */
    enum { N = 10000 };
    struct snapshot s = snap_new(N);
    unsigned seed = 42;
    for (int i = 0; i < N; i++) {
        s.procs[i].pid = i + 1;
        s.procs[i].ppid = i < 2 ? 0 : 1 + rand_r(&seed) % (i < 300 ? i : 300);
        s.procs[i].cpu_percent = (double)(rand_r(&seed) % 1000) / 10;
        s.procs[i].rss = (uint64_t)rand_r(&seed);
        snprintf(s.procs[i].name, sizeof(s.procs[i].name), "proc%d", rand_r(&seed) % 500);
    }
    struct view_options o;
    view_options_default(&o);
    o.tree = true;
    struct view v;
    ck_assert_int_eq(view_build(&s, &o, &v), 0);
    ck_assert_uint_eq(v.n, N);
    /* every row's parent is the nearest earlier row one level up */
    static int depth_of[N + 1];
    static char seen[N + 1];
    memset(seen, 0, sizeof(seen));
    for (size_t r = 0; r < v.n; r++) {
        const struct proc_entry *p = v.rows[r].proc;
        ck_assert(!seen[p->pid]);
        seen[p->pid] = 1;
        depth_of[p->pid] = v.rows[r].depth;
        if (p->ppid == 0) {
            ck_assert_int_eq(v.rows[r].depth, 0);
        } else {
            ck_assert(seen[p->ppid]);
            ck_assert_int_eq(v.rows[r].depth, depth_of[p->ppid] + 1);
        }
    }
    view_done(&v);
    o.tree = false;
    ck_assert_int_eq(view_build(&s, &o, &v), 0);
    ck_assert_uint_eq(v.n, N);
    for (size_t r = 1; r < v.n; r++)
        ck_assert(v.rows[r - 1].proc->cpu_percent >= v.rows[r].proc->cpu_percent);
    view_done(&v);
    snap_free(&s);
}
END_TEST

static Suite *view_suite(void)
{
    Suite *s = suite_create("view");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_key_names);
    tcase_add_test(tc, test_sort_every_column);
    tcase_add_test(tc, test_sort_ties_and_io_bytes);
    tcase_add_test(tc, test_filters);
    tcase_add_test(tc, test_tree_shape_and_bits);
    tcase_add_test(tc, test_tree_cycles);
    tcase_add_test(tc, test_tree_deep_chain);
    tcase_add_test(tc, test_unsorted_snapshot_and_empty);
    tcase_add_test(tc, test_large_tree_shape);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(view_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
