/* The monitor's behaviour on hand-made snapshots: sort keys, search, filter, tree, zombie
 * navigation, tags, selection that follows its process, menus, focus, modes. */
#include <check.h>
#include <curses.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>

#include "fake_snapshot.h"
#include "ui/columns.h"
#include "ui/monitor.h"

static struct monitor M;
static struct fake_source F;

static void setup(void)
{
    fake_monitor(&M, &F);
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

static pid_t row_pid(size_t i)
{
    ck_assert_uint_lt(i, M.view.n);
    return M.view.rows[i].proc->pid;
}

static pid_t sel_pid(void)
{
    const struct proc_entry *p = monitor_selected(&M);
    ck_assert_ptr_nonnull(p);
    return p->pid;
}

START_TEST(test_sort_keys)
{
    ck_assert_uint_eq(M.view.n, N_FAKE);
    ck_assert_int_eq(M.sort, SORT_CPU);
    ck_assert_int_eq(row_pid(0), 11); /* python3, 50% */
    keys("M");
    ck_assert_int_eq(M.sort, SORT_MEM);
    ck_assert_int_eq(row_pid(0), 13); /* sleep, 300M */
    keys("T");
    ck_assert_int_eq(M.sort, SORT_TIME);
    ck_assert_int_eq(row_pid(0), 10); /* bash, 30s */
    keys("N");
    ck_assert_int_eq(M.sort, SORT_PID);
    ck_assert_int_eq(row_pid(0), 1);
    ck_assert_int_eq(row_pid(M.view.n - 1), 14);
    keys("I");
    ck_assert(M.reverse);
    ck_assert_int_eq(row_pid(0), 14);
    keys("P");
    ck_assert_int_eq(M.sort, SORT_CPU);
    ck_assert(!M.reverse); /* a new column starts in its natural order */
    ck_assert_int_eq(row_pid(0), 11);
    keys(">");
    ck_assert_int_eq(M.sort, SORT_MEM); /* the next visible column after CPU% */
    keys("<<");
    ck_assert_int_eq(M.sort, SORT_STATE);
}
END_TEST

START_TEST(test_sort_menu_and_user_sort)
{
    monitor_key(&M, KEY_F(6));
    ck_assert_int_eq(M.mode, MM_MENU);
    ck_assert_uint_eq(M.menu.n_items, SORT_KEY_COUNT);
    ck_assert_int_eq(ui_menu_current(&M.menu)->value, SORT_CPU); /* current preselected */
    ck_assert(ui_menu_select_value(&M.menu, SORT_USER));
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_int_eq(M.sort, SORT_USER);
    /* sorting by user needs every process's user, not only the visible rows */
    ck_assert(F.want & PROC_F_USER);
    monitor_refresh_view(&M);
    for (size_t i = 0; i < M.snap.n_procs; i++)
        ck_assert(M.snap.procs[i].have & PROC_F_USER);
    ck_assert_str_eq(M.view.rows[0].proc->user, "alice");
    /* Esc cancels a menu without a change */
    monitor_key(&M, KEY_F(6));
    monitor_key(&M, KEY_DOWN);
    monitor_key(&M, 27);
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_int_eq(M.sort, SORT_USER);
}
END_TEST

START_TEST(test_selection_follows_process)
{
    ck_assert(monitor_select_pid(&M, 13));
    keys("M"); /* sleep moves to the top */
    ck_assert_int_eq(sel_pid(), 13);
    ck_assert_uint_eq(M.sel, 0);
    monitor_sample(&M); /* a refresh keeps it too */
    ck_assert_int_eq(sel_pid(), 13);
    /* the selected process exits: the selection stays in place on a neighbour */
    F.without = 13;
    monitor_sample(&M);
    ck_assert_uint_eq(M.view.n, N_FAKE - 1);
    ck_assert_ptr_nonnull(monitor_selected(&M));
    ck_assert_int_ne(sel_pid(), 13);
}
END_TEST

START_TEST(test_navigation)
{
    M.page_rows = 3;
    monitor_key(&M, KEY_HOME);
    ck_assert_uint_eq(M.sel, 0);
    monitor_key(&M, KEY_END);
    ck_assert_uint_eq(M.sel, N_FAKE - 1);
    ck_assert_uint_eq(M.top, N_FAKE - 3); /* scrolled so the selection shows */
    monitor_key(&M, KEY_PPAGE);
    ck_assert_uint_eq(M.sel, N_FAKE - 3);
    monitor_key(&M, KEY_UP);
    monitor_key(&M, KEY_UP);
    monitor_key(&M, KEY_UP);
    monitor_key(&M, KEY_UP);
    monitor_key(&M, KEY_UP);
    monitor_key(&M, KEY_UP); /* clamped at the top */
    ck_assert_uint_eq(M.sel, 0);
    ck_assert_uint_eq(M.top, 0);
    monitor_key(&M, KEY_NPAGE);
    ck_assert_uint_eq(M.sel, 2);
}
END_TEST

static void type(const char *s)
{
    for (; *s; s++)
        monitor_key(&M, (unsigned char)*s);
}

START_TEST(test_search)
{
    monitor_key(&M, KEY_HOME);
    monitor_key(&M, '/');
    ck_assert_int_eq(M.mode, MM_SEARCH);
    type("HTTP"); /* matches the command line only, case-insensitively */
    ck_assert_int_eq(sel_pid(), 11);
    ck_assert(F.want & PROC_F_CMDLINE);
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_int_eq(sel_pid(), 11); /* Enter keeps the match selected */
    /* n: next match, wrapping */
    monitor_key(&M, '/');
    type("s");
    pid_t first = sel_pid();
    monitor_key(&M, 27);
    keys("n");
    ck_assert_int_ne(sel_pid(), first);
    for (int i = 0; i < 10; i++) {
        keys("n");
        const struct proc_entry *p = monitor_selected(&M);
        ck_assert(ucol_match(p, "s"));
    }
    /* no match: said in the status line, selection unchanged */
    pid_t before = sel_pid();
    monitor_key(&M, '/');
    type("zzzz");
    ck_assert(M.status_error);
    ck_assert_int_eq(sel_pid(), before);
    monitor_key(&M, 27);
}
END_TEST

START_TEST(test_filter)
{
    monitor_key(&M, '\\');
    ck_assert_int_eq(M.mode, MM_FILTER);
    type("SLEEP");
    monitor_refresh_view(&M);
    ck_assert_uint_eq(M.view.n, 1);
    ck_assert_int_eq(row_pid(0), 13);
    monitor_key(&M, KEY_BACKSPACE);
    monitor_key(&M, KEY_BACKSPACE);
    monitor_key(&M, KEY_BACKSPACE);
    monitor_key(&M, KEY_BACKSPACE);
    type("erver"); /* "Server": in python3's command line, matched case-insensitively */
    monitor_refresh_view(&M);
    ck_assert_uint_eq(M.view.n, 1);
    ck_assert_int_eq(row_pid(0), 11);
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_str_eq(M.filter, "Server");
    monitor_sample(&M); /* the filter holds across refreshes */
    ck_assert_uint_eq(M.view.n, 1);
    monitor_key(&M, KEY_F(4));
    monitor_key(&M, 27); /* Esc drops it */
    monitor_refresh_view(&M);
    ck_assert_str_eq(M.filter, "");
    ck_assert_uint_eq(M.view.n, N_FAKE);
}
END_TEST

START_TEST(test_tree)
{
    keys("t");
    ck_assert(M.tree);
    keys("N");
    /* init, its children bash (with python3, worker, sleep) and evil; kthreadd a root */
    ck_assert_int_eq(row_pid(0), 1);
    ck_assert_int_eq(M.view.rows[0].depth, 0);
    int depth_of_11 = -1;
    for (size_t i = 0; i < M.view.n; i++)
        if (row_pid(i) == 11)
            depth_of_11 = M.view.rows[i].depth;
    ck_assert_int_eq(depth_of_11, 2);
    monitor_key(&M, KEY_F(5));
    monitor_refresh_view(&M);
    ck_assert(!M.tree);
    ck_assert_int_eq(M.view.rows[1].depth, 0);
}
END_TEST

START_TEST(test_zombie)
{
    monitor_key(&M, KEY_HOME);
    keys("z");
    ck_assert_int_eq(sel_pid(), 12);
    char note[512];
    ck_assert(monitor_zombie_note(&M, note, sizeof(note)));
    ck_assert_ptr_nonnull(strstr(note, "zombie"));
    ck_assert_ptr_nonnull(strstr(note, "parent, PID 10 (bash)"));
    keys("z"); /* the only zombie: stays */
    ck_assert_int_eq(sel_pid(), 12);
    monitor_key(&M, KEY_HOME);
    ck_assert(!monitor_zombie_note(&M, note, sizeof(note)) || sel_pid() == 12);
    /* no zombie in view */
    keys("\\");
    type("bash");
    monitor_key(&M, '\r');
    keys("z");
    ck_assert_ptr_nonnull(strstr(M.status, "zombie"));
}
END_TEST

START_TEST(test_tags_and_targets)
{
    struct proc_ident ids[8];
    keys("N");
    monitor_key(&M, KEY_HOME);
    ck_assert_uint_eq(monitor_targets(&M, ids, 8), 1); /* no tags: the selection */
    ck_assert_int_eq(ids[0].pid, 1);
    keys("  "); /* tags pid 1 and 2, moving down each time */
    ck_assert_int_eq(sel_pid(), 10);
    ck_assert_uint_eq(monitor_targets(&M, ids, 8), 2);
    ck_assert_int_eq(ids[0].pid, 1);
    ck_assert_int_eq(ids[1].pid, 2);
    ck_assert_uint_eq(ids[1].start_ticks, 2);
    monitor_key(&M, KEY_UP);
    keys(" "); /* untags 2 */
    ck_assert_uint_eq(monitor_targets(&M, ids, 8), 1);
    ck_assert_int_eq(ids[0].pid, 1);
    /* a tagged process that exits loses its tag */
    monitor_key(&M, KEY_END);
    keys(" ");
    ck_assert_uint_eq(M.n_tags, 2);
    F.without = 14;
    monitor_sample(&M);
    ck_assert_uint_eq(M.n_tags, 1);
    keys("U");
    ck_assert_uint_eq(M.n_tags, 0);
}
END_TEST

START_TEST(test_threads_toggles)
{
    keys("K");
    ck_assert(M.hide_kernel_threads);
    ck_assert_uint_eq(M.view.n, N_FAKE - 1);
    for (size_t i = 0; i < M.view.n; i++)
        ck_assert(!M.view.rows[i].proc->kernel_thread);
    keys("K");
    ck_assert_uint_eq(M.view.n, N_FAKE);
    /* H: thread rows (test_monitor_threads.c has the rest); the THR column stays apart */
    ck_assert(M.hide_user_threads);
    keys("H");
    ck_assert(!M.hide_user_threads);
    monitor_sample(&M);
    ck_assert_uint_eq(M.view.n, N_FAKE + 2);
    ck_assert(!(M.columns & (1u << UCOL_THREADS)));
    keys("H");
    ck_assert(M.hide_user_threads);
    ck_assert_uint_eq(M.view.n, N_FAKE);
}
END_TEST

START_TEST(test_user_menu)
{
    keys("u");
    ck_assert_int_eq(M.mode, MM_MENU);
    ck_assert_uint_eq(M.menu.n_items, 4); /* all users, alice, bob, root */
    ck_assert_ptr_nonnull(strstr(M.menu.items[1].label, "alice"));
    ck_assert_ptr_nonnull(strstr(M.menu.items[2].label, "bob"));
    monitor_key(&M, KEY_DOWN);
    monitor_key(&M, '\r');
    monitor_refresh_view(&M);
    ck_assert(M.by_uid);
    ck_assert_uint_eq(M.uid, 1000);
    ck_assert_uint_eq(M.view.n, 4);
    monitor_sample(&M); /* holds across refreshes: users filled for every process */
    ck_assert_uint_eq(M.view.n, 4);
    keys("u");
    monitor_key(&M, KEY_HOME);
    monitor_key(&M, '\r');
    monitor_refresh_view(&M);
    ck_assert(!M.by_uid);
    ck_assert_uint_eq(M.view.n, N_FAKE);
}
END_TEST

START_TEST(test_setup_menu_columns)
{
    monitor_key(&M, KEY_F(2));
    ck_assert_int_eq(M.mode, MM_MENU);
    ck_assert(ui_menu_select_value(&M.menu, UCOL_PPID));
    ck_assert(!ui_menu_current(&M.menu)->checked);
    monitor_key(&M, ' ');
    ck_assert_int_eq(M.mode, MM_MENU); /* toggles keep the menu open */
    ck_assert(M.columns & (1u << UCOL_PPID));
    ck_assert(ui_menu_select_value(&M.menu, UCOL_USER));
    monitor_key(&M, '\r');
    ck_assert(!(M.columns & (1u << UCOL_USER)));
    monitor_key(&M, 27);
    ck_assert_int_eq(M.mode, MM_NORMAL);
}
END_TEST

START_TEST(test_focus_detail_help_quit)
{
    M.lay.ifaces_h = 0; /* hidden on a short terminal: Tab says so */
    monitor_key(&M, '\t');
    ck_assert_int_eq(M.focus, FOCUS_PROCS);
    ck_assert_ptr_nonnull(strstr(M.status, "hidden"));
    M.lay.ifaces_h = 3;
    monitor_key(&M, '\t');
    ck_assert_int_eq(M.focus, FOCUS_IFACES);
    pid_t before = sel_pid();
    monitor_key(&M, KEY_DOWN); /* moves the interface selection, not the process one */
    ck_assert_uint_eq(M.iface_sel, 1);
    ck_assert_int_eq(sel_pid(), before);
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.mode, MM_IFACE_DETAIL);
    ck_assert_str_eq(M.detail_iface, "veth-test0");
    monitor_key(&M, 27);
    ck_assert_int_eq(M.mode, MM_NORMAL);
    monitor_key(&M, '\t');
    ck_assert_int_eq(M.focus, FOCUS_PROCS);
    monitor_key(&M, KEY_F(1));
    ck_assert_int_eq(M.mode, MM_HELP);
    monitor_key(&M, 'x');
    ck_assert_int_eq(M.mode, MM_NORMAL);
    keys("Z");
    ck_assert(M.paused);
    keys("Z");
    ck_assert(!M.paused);
    ck_assert(!M.quit);
    monitor_key(&M, KEY_F(10));
    ck_assert(M.quit);
}
END_TEST

START_TEST(test_click)
{
    layout_compute(40, 120, 2, 2, &M.lay);
    M.page_rows = M.lay.procs_h - 1;
    int x[UCOL_COUNT];
    ucol_positions(M.columns, 120, x);
    /* click on the MEM% header sorts by memory; again inverts */
    ck_assert(monitor_click(&M, M.lay.procs_y, x[UCOL_MEM] + 1));
    ck_assert_int_eq(M.sort, SORT_MEM);
    ck_assert(monitor_click(&M, M.lay.procs_y, x[UCOL_MEM] + 1));
    ck_assert(M.reverse);
    /* SHR sorts on nothing */
    monitor_click(&M, M.lay.procs_y, x[UCOL_SHR] + 1);
    ck_assert_int_eq(M.sort, SORT_MEM);
    /* click on the third row selects it */
    monitor_refresh_view(&M);
    ck_assert(monitor_click(&M, M.lay.procs_y + 3, 5));
    ck_assert_uint_eq(M.sel, 2);
    /* and on an interface row focuses that panel */
    ck_assert(monitor_click(&M, M.lay.ifaces_y + 2, 3));
    ck_assert_int_eq(M.focus, FOCUS_IFACES);
    ck_assert_uint_eq(M.iface_sel, 1);
}
END_TEST

START_TEST(test_details_only_for_visible_rows)
{
    F.details_calls = 0;
    M.page_rows = 3;
    monitor_key(&M, KEY_HOME);
    monitor_fill_visible(&M, 3);
    ck_assert_int_le(F.details_calls, 3);
    size_t filled = 0;
    for (size_t i = 0; i < M.snap.n_procs; i++)
        filled += (M.snap.procs[i].have & PROC_F_IONICE) != 0;
    ck_assert_uint_eq(filled, 3);
    ck_assert_uint_eq(F.want, 0); /* nothing on every process for the default view */
}
END_TEST

START_TEST(test_action_menus)
{
    int err = 0;
    M.actions = action_ctx_new(NULL, &err);
    ck_assert_ptr_nonnull(M.actions);
    ck_assert(monitor_select_pid(&M, 13));
    monitor_key(&M, 'k');
    ck_assert_int_eq(M.mode, MM_MENU);
    ck_assert_str_eq(M.menu.title, "Send signal");
    bool listed = false;
    for (size_t i = 0; i < M.menu.n_text; i++)
        listed |= strstr(M.menu.text[i], "13") && strstr(M.menu.text[i], "sleep 1000");
    ck_assert(listed); /* the target's PID, name and command before anything is sent */
    ck_assert_str_eq(ui_menu_current(&M.menu)->label, "15 SIGTERM");
    /* the fake PID 13 has another start time than the real one: nothing is sent */
    ck_assert(ui_menu_select_value(&M.menu, SIGCONT));
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_ptr_nonnull(strstr(M.status, "gone"));
    ck_assert(M.status_error);
    /* nice steps and the exact prompt check identity and values the same way */
    M.status[0] = '\0';
    monitor_key(&M, ']');
    ck_assert_ptr_nonnull(strstr(M.status, "gone"));
    monitor_key(&M, 'r');
    ck_assert_int_eq(M.mode, MM_PROMPT);
    monitor_key(&M, 21); /* ^U */
    type("abc");
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_ptr_nonnull(strstr(M.status, "invalid nice value"));
    ck_assert_ptr_null(M.prompt_data);
    monitor_key(&M, 'r');
    monitor_key(&M, 21);
    type("25");
    monitor_key(&M, '\r');
    ck_assert_ptr_nonnull(strstr(M.status, "-20 to 19"));
    /* the I/O priority menu names classes and levels, never bare numbers */
    monitor_key(&M, 'i');
    ck_assert_int_eq(M.mode, MM_MENU);
    ck_assert_uint_eq(M.menu.n_items, 18);
    ck_assert_ptr_nonnull(strstr(ui_menu_current(&M.menu)->label, "best-effort 4"));
    ck_assert_ptr_nonnull(strstr(M.menu.items[0].label, "none"));
    ck_assert_ptr_nonnull(strstr(M.menu.items[17].label, "idle"));
    monitor_key(&M, 27);
    /* without an action context the keys say so instead of failing silently */
    action_ctx_free(M.actions);
    M.actions = NULL;
    monitor_key(&M, 'k');
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_ptr_nonnull(strstr(M.status, "unavailable"));
}
END_TEST

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    Suite *s = suite_create("monitor");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_sort_keys);
    tcase_add_test(tc, test_sort_menu_and_user_sort);
    tcase_add_test(tc, test_selection_follows_process);
    tcase_add_test(tc, test_navigation);
    tcase_add_test(tc, test_search);
    tcase_add_test(tc, test_filter);
    tcase_add_test(tc, test_tree);
    tcase_add_test(tc, test_zombie);
    tcase_add_test(tc, test_tags_and_targets);
    tcase_add_test(tc, test_threads_toggles);
    tcase_add_test(tc, test_user_menu);
    tcase_add_test(tc, test_setup_menu_columns);
    tcase_add_test(tc, test_focus_detail_help_quit);
    tcase_add_test(tc, test_click);
    tcase_add_test(tc, test_details_only_for_visible_rows);
    tcase_add_test(tc, test_action_menus);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
