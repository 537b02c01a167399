/* H in the monitor: user threads as rows (the fake python3, 11, has threads 15
 * "py-worker" at 30% CPU and 16 "py-io" at 2%), their place in list and tree view, filters,
 * a selection that stays on the same thread, tags, the inspector and the signal menu on a
 * thread row, and how a frame draws them. */
#include <check.h>
#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fake_snapshot.h"
#include "ui/columns.h"
#include "ui/draw.h"
#include "ui/inspect.h"
#include "ui/panels.h"

static struct monitor M;
static struct fake_source F;

static void setup(void)
{
    fake_monitor(&M, &F); /* threads hidden, as a config with hide_user_threads = true */
}

static void teardown(void)
{
    monitor_done(&M);
}

static void keys(const char *s)
{
    for (; *s; s++)
        monitor_key(&M, (unsigned char)*s);
    monitor_refresh_view(&M);
}

/* H, then the sample the UI loop takes at once (resample_now). */
static void show_threads(void)
{
    keys("H");
    ck_assert(!M.hide_user_threads);
    ck_assert(F.threads);
    ck_assert(M.resample_now);
    M.resample_now = false;
    monitor_sample(&M);
}

static long row_of(pid_t pid)
{
    for (size_t i = 0; i < M.view.n; i++)
        if (M.view.rows[i].proc->pid == pid)
            return (long)i;
    return -1;
}

static const char *order(void)
{
    static char buf[256];
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < M.view.n && used < sizeof(buf); i++)
        used += (size_t)snprintf(buf + used, sizeof(buf) - used, "%s%d", i ? " " : "",
                                 (int)M.view.rows[i].proc->pid);
    return buf;
}

START_TEST(test_toggle)
{
    ck_assert_uint_eq(M.view.n, N_FAKE);
    ck_assert(!F.threads); /* hidden: the source reads none */
    show_threads();
    ck_assert_uint_eq(M.view.n, N_FAKE + 2);
    ck_assert_uint_eq(M.view_threads, 2);
    /* sorted among the processes by CPU: 11 (50) 15 (30) 10 (5) 16 (2) ... */
    ck_assert_str_eq(order(), "11 15 10 16 14 1 12 2 13");
    ck_assert(proc_entry_is_thread(M.view.rows[1].proc));
    ck_assert_int_eq(M.view.rows[1].proc->tgid, 11);
    /* the THR column is a column choice of its own */
    ck_assert(!(M.columns & (1u << UCOL_THREADS)));
    keys("H");
    ck_assert(M.hide_user_threads);
    ck_assert(!F.threads);
    ck_assert_uint_eq(M.view.n, N_FAKE);
    ck_assert_uint_eq(M.view_threads, 0);
    ck_assert_ptr_nonnull(strstr(M.status, "hidden"));
}
END_TEST

START_TEST(test_default_shows_threads)
{
    /* without a config saying otherwise, threads are rows (as in htop) */
    struct monitor m;
    struct fake_source f;
    memset(&f, 0, sizeof(f));
    struct options o;
    options_init(&o);
    ck_assert(!o.hide_user_threads);
    struct monitor_source src = {
        &f, fake_sample, fake_details, fake_set_want, fake_read_details, fake_set_threads};
    monitor_init(&m, &o, &src);
    options_done(&o);
    ck_assert(f.threads);
    monitor_sample(&m);
    ck_assert_uint_eq(m.view.n, N_FAKE + 2);
    monitor_done(&m);
}
END_TEST

START_TEST(test_tree_placement)
{
    show_threads();
    keys("t");
    ck_assert(M.tree);
    long p = row_of(11), t1 = row_of(15), t2 = row_of(16);
    ck_assert_int_ge(p, 0);
    ck_assert_int_eq(t1, p + 1); /* right under their process, busiest first */
    ck_assert_int_eq(t2, p + 2);
    ck_assert_int_eq(M.view.rows[t1].depth, M.view.rows[p].depth + 1);
    ck_assert_int_eq(M.view.rows[t2].depth, M.view.rows[p].depth + 1);
}
END_TEST

START_TEST(test_selection_follows_thread)
{
    show_threads();
    long at = row_of(16);
    ck_assert_int_ge(at, 0);
    monitor_move(&M, at - (long)M.sel);
    ck_assert_int_eq(monitor_selected(&M)->pid, 16);
    ck_assert_int_eq(M.sel_id.tgid, 11);
    monitor_sample(&M); /* a new snapshot: the same thread, wherever it is */
    ck_assert_int_eq(monitor_selected(&M)->pid, 16);
    keys("N"); /* another order */
    ck_assert_int_eq(monitor_selected(&M)->pid, 16);
    keys("t");
    ck_assert_int_eq(monitor_selected(&M)->pid, 16);
    /* hiding the threads leaves the selection on their process */
    keys("H");
    ck_assert_int_eq(monitor_selected(&M)->pid, 11);
}
END_TEST

START_TEST(test_filters)
{
    show_threads();
    /* a thread's own name */
    snprintf(M.filter, sizeof(M.filter), "py-io");
    M.view_stale = true;
    monitor_fill_everywhere(&M);
    monitor_refresh_view(&M);
    ck_assert_str_eq(order(), "16");
    /* its process's command line brings every thread */
    snprintf(M.filter, sizeof(M.filter), "http.server");
    M.view_stale = true;
    monitor_fill_everywhere(&M);
    monitor_refresh_view(&M);
    ck_assert_str_eq(order(), "11 15 16");
    M.filter[0] = '\0';
    /* another user's view has none of alice's threads */
    M.by_uid = true;
    M.uid = 1001;
    M.view_stale = true;
    monitor_fill_everywhere(&M);
    monitor_refresh_view(&M);
    ck_assert_str_eq(order(), "14");
    M.uid = 1000;
    M.view_stale = true;
    monitor_refresh_view(&M);
    ck_assert_int_ge(row_of(15), 0);
    ck_assert_int_ge(row_of(16), 0);
    /* -p names the process */
    M.by_uid = false;
    pid_t only = 11;
    M.pids = malloc(sizeof(pid_t));
    M.pids[0] = only;
    M.n_pids = 1;
    M.view_stale = true;
    monitor_refresh_view(&M);
    ck_assert_str_eq(order(), "11 15 16");
}
END_TEST

START_TEST(test_details_and_tags)
{
    show_threads();
    monitor_fill_visible(&M, 20);
    const struct proc_entry *t = &M.snap.threads[0];
    ck_assert(t->have & PROC_F_USER); /* the USER column */
    ck_assert_str_eq(t->user, "alice");
    ck_assert(!(t->have & PROC_F_CMDLINE)); /* a thread row shows its name, not a command */
    ck_assert_ptr_null(t->cmdline);

    /* tag a thread: a target with its process */
    monitor_move(&M, row_of(15) - (long)M.sel);
    keys(" ");
    ck_assert_uint_eq(M.n_tags, 1);
    ck_assert_int_eq(M.tags[0].pid, 15);
    ck_assert_int_eq(M.tags[0].tgid, 11);
    ck_assert(monitor_is_tagged(&M, &M.snap.threads[0]));
    ck_assert(!monitor_is_tagged(&M, snapshot_find_proc(&M.snap, 11)));
    monitor_sample(&M);
    ck_assert_uint_eq(M.n_tags, 1); /* still there */
    struct proc_ident ids[4];
    ck_assert_uint_eq(monitor_targets(&M, ids, 4), 1);
    ck_assert_int_eq(ids[0].tgid, 11);
    /* hidden rows are untagged: an action must not reach what is not on screen */
    keys("H");
    ck_assert_uint_eq(M.n_tags, 0);
}
END_TEST

START_TEST(test_inspector_and_signal_menu)
{
    show_threads();
    monitor_move(&M, row_of(15) - (long)M.sel);
    ck_assert_int_eq(monitor_selected(&M)->pid, 15);
    /* Enter: the inspector shows the thread's process */
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.mode, MM_INSPECT);
    ck_assert_ptr_nonnull(M.inspect);
    ck_assert_int_eq(M.inspect->id.pid, 11);
    monitor_key(&M, 27);
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_int_eq(monitor_selected(&M)->pid, 15);

    /* k: the menu says the signal goes to the whole process, and names it */
    int err = 0;
    M.actions = action_ctx_new(NULL, &err);
    ck_assert_ptr_nonnull(M.actions);
    monitor_key(&M, 'k');
    ck_assert_int_eq(M.mode, MM_MENU);
    bool whole = false, named = false;
    for (size_t i = 0; i < M.menu.n_text; i++) {
        whole |= strstr(M.menu.text[i], "whole process") != NULL;
        named |= strstr(M.menu.text[i], "process 11 (python3)") != NULL;
    }
    ck_assert(whole);
    ck_assert(named);
    /* the fake thread is not a real one: nothing is sent, the UI says it is gone */
    monitor_key(&M, '\r');
    ck_assert_ptr_nonnull(strstr(M.status, "gone"));
    ck_assert_ptr_nonnull(strstr(M.status, "thread 15"));
    /* the nice prompt names the thread */
    monitor_key(&M, 'r');
    ck_assert_int_eq(M.mode, MM_PROMPT);
    ck_assert_ptr_nonnull(strstr(M.prompt.label, "thread 15"));
    monitor_key(&M, 27);
    action_ctx_free(M.actions);
    M.actions = NULL;
}
END_TEST

/* ---- a frame ---- */

static const char *line(int y)
{
    static char buf[4096];
    wchar_t w[1024];
    buf[0] = '\0';
    if (mvinnwstr(y, 0, w, COLS) == ERR)
        return buf;
    wcstombs(buf, w, sizeof(buf));
    return buf;
}

static int find(const char *s)
{
    for (int y = 0; y < LINES; y++)
        if (strstr(line(y), s))
            return y;
    return -1;
}

START_TEST(test_frame)
{
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    ck_assert_ptr_nonnull(scr);
    set_term(scr);
    resizeterm(40, 120);
    draw_set_utf8(true);
    ck_assert(draw_init_theme(&M.theme, true));
    show_threads();
    screen_draw(&M);
    /* list view: the thread's name in braces and its process */
    int y = find("{py-worker} of 11 (python3)");
    ck_assert_int_ge(y, 0);
    ck_assert_ptr_nonnull(strstr(line(y), "   15 ")); /* the TID in the PID column */
    chtype c = mvinch(y, 2);
    ck_assert_int_eq(PAIR_NUMBER(c & A_COLOR), TH_THREAD + 1);
    ck_assert_int_ge(find("[+2 thr] 7/7"), 0);
    /* tree view: right under python3, without the "of" */
    keys("t");
    screen_draw(&M);
    int p = find("python3 -m http.server");
    ck_assert_int_ge(p, 0);
    ck_assert_ptr_nonnull(strstr(line(p + 1), "{py-worker}"));
    ck_assert_ptr_null(strstr(line(p + 1), " of 11"));
    ck_assert_ptr_nonnull(strstr(line(p + 2), "{py-io}"));
    keys("H");
    screen_draw(&M);
    ck_assert_int_lt(find("{py-worker}"), 0);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}
END_TEST

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    Suite *s = suite_create("monitor_threads");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_toggle);
    tcase_add_test(tc, test_default_shows_threads);
    tcase_add_test(tc, test_tree_placement);
    tcase_add_test(tc, test_selection_follows_thread);
    tcase_add_test(tc, test_filters);
    tcase_add_test(tc, test_details_and_tags);
    tcase_add_test(tc, test_inspector_and_signal_menu);
    tcase_add_test(tc, test_frame);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
