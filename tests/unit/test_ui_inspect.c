/* The process inspector in the monitor, on hand-made snapshots and a fake details source:
 * Enter opens it, its sections are read only while it is open (and again on each
 * refresh), Esc returns with the selection kept, Enter on a child or a zombie's parent
 * opens that process, a process that exits is shown as gone, permission errors are shown
 * in words; and the page's lines for a full reading from the fixture tree. */
#include <check.h>
#include <curses.h>
#include <locale.h>

#include "fake_snapshot.h"
#include "probe/probe.h"
#include "ui/inspect.h"
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

/* The index of the first page line containing text; -1 none. */
static long find_line(const char *text)
{
    ck_assert_ptr_nonnull(M.inspect);
    for (size_t i = 0; i < M.inspect->lines.n; i++)
        if (strstr(M.inspect->lines.v[i].text, text))
            return (long)i;
    return -1;
}

static void open_on(pid_t pid)
{
    ck_assert(monitor_select_pid(&M, pid));
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.mode, MM_INSPECT);
    ck_assert_ptr_nonnull(M.inspect);
    ck_assert_int_eq(M.inspect->id.pid, pid);
}

START_TEST(test_open_refresh_close)
{
    ck_assert_int_eq(F.inspector_reads, 0); /* nothing is read for the list */
    open_on(10);
    ck_assert_int_eq(F.inspector_reads, 1);
    ck_assert_int_ge(find_line("Process 10 (bash)"), 0);
    ck_assert_int_ge(find_line("Usage    n/a%"), 0); /* no previous read yet */
    ck_assert_int_ge(find_line("Affinity CPUs 0-1"), 0);
    ck_assert_int_ge(find_line("Children (3)"), 0);

    monitor_sample(&M); /* the refresh timer reads it again, with rates */
    ck_assert_int_eq(F.inspector_reads, 2);
    ck_assert_int_lt(find_line("Usage    n/a%"), 0);
    ck_assert(M.inspect->cur.cpu.cpu_percent >= 0);
    ck_assert_int_eq(M.mode, MM_INSPECT);

    monitor_key(&M, 27); /* Esc: back to the list, bash still selected */
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_ptr_null(M.inspect);
    ck_assert_int_eq(monitor_selected(&M)->pid, 10);
    monitor_sample(&M); /* closed: no more reads */
    ck_assert_int_eq(F.inspector_reads, 2);
}
END_TEST

START_TEST(test_child_and_zombie_parent)
{
    open_on(10);
    long at = find_line("     12  worker");
    ck_assert_int_ge(at, 0);
    ck_assert_int_eq(M.inspect->lines.v[at].jump.pid, 12);
    /* Enter elsewhere does not jump */
    monitor_key(&M, KEY_HOME);
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.inspect->id.pid, 10);
    ck_assert_ptr_nonnull(strstr(M.status, "child"));
    /* move to the child's line and open it: the zombie worker */
    for (long i = 0; i < at; i++)
        monitor_key(&M, KEY_DOWN);
    ck_assert_uint_eq(M.inspect->cursor, (size_t)at);
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.inspect->id.pid, 12);
    ck_assert_int_eq(M.inspect->id.start_ticks, 300);
    ck_assert_int_ge(find_line("is a zombie"), 0);
    long parent = find_line("Parent: 10 (bash)");
    ck_assert_int_ge(parent, 0);
    ck_assert_int_eq(M.inspect->lines.v[parent].jump.pid, 10);
    ck_assert_int_eq(monitor_selected(&M)->pid, 12); /* the list follows */
    /* and back to the parent from the zombie */
    monitor_key(&M, KEY_HOME);
    for (long i = 0; i < parent; i++)
        monitor_key(&M, KEY_DOWN);
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.inspect->id.pid, 10);
    monitor_key(&M, KEY_BACKSPACE);
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_int_eq(monitor_selected(&M)->pid, 10);
}
END_TEST

START_TEST(test_gone_and_denied)
{
    /* a process whose files are another user's: said in words, not an empty list */
    open_on(14);
    ck_assert_int_ge(find_line("Descriptors: permission denied"), 0);
    ck_assert_int_eq(M.inspect->lines.v[find_line("permission denied")].style, TH_STATUS_ERROR);
    monitor_key(&M, 27);

    open_on(13);
    F.without = 13; /* it exits */
    monitor_sample(&M);
    ck_assert_int_eq(M.mode, MM_INSPECT);
    ck_assert(M.inspect->gone);
    ck_assert_int_ge(find_line("process 13 is gone"), 0);
    ck_assert_int_ge(find_line("Process 13 (sleep)"), 0); /* the last reading stays */
    monitor_key(&M, 27);
    ck_assert_int_eq(M.mode, MM_NORMAL);

    /* opening a process that is already gone says so and stays in the list */
    F.without = 11;
    ck_assert(monitor_select_pid(&M, 11));
    monitor_key(&M, '\r');
    ck_assert_int_eq(M.mode, MM_NORMAL);
    ck_assert_ptr_null(M.inspect);
    ck_assert_ptr_nonnull(strstr(M.status, "gone"));
}
END_TEST

START_TEST(test_keys_in_inspector)
{
    open_on(11);
    /* actions need the action module: without it, a says so and the inspector stays */
    monitor_key(&M, 'a');
    ck_assert_int_eq(M.mode, MM_INSPECT);
    ck_assert_ptr_nonnull(strstr(M.status, "unavailable"));
    /* help returns to the inspector */
    monitor_key(&M, 'h');
    ck_assert_int_eq(M.mode, MM_HELP);
    monitor_key(&M, 'x');
    ck_assert_int_eq(M.mode, MM_INSPECT);
    /* the page scrolls: End then Home */
    monitor_key(&M, KEY_END);
    ck_assert_uint_eq(M.inspect->cursor, M.inspect->lines.n - 1);
    monitor_key(&M, KEY_HOME);
    ck_assert_uint_eq(M.inspect->cursor, 0);
    monitor_key(&M, 'q');
    ck_assert(M.quit);
}
END_TEST

/* The page for the fixture's server (tests/fixtures/details1): every section is there. */
START_TEST(test_lines_from_fixture)
{
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.proc_root = FIXTURE_DIR "/details1/proc";
    cfg.sys_root = FIXTURE_DIR "/details1/sys";
    cfg.clk_tck = 100;
    cfg.want_procs = cfg.want_ifaces = false;
    int err;
    struct probe *p = probe_new(&cfg, &err);
    ck_assert_ptr_nonnull(p);
    struct proc_details d;
    ck_assert_int_eq(probe_read_details(p, 4242, 30000, NULL, &d), 0);
    struct inspect_lines l = {NULL, 0, 0};
    inspect_lines_build(&d, false, &l);
    const char *want[] = {
        "Process 4242 (fix server)",
        "parent 1 (init)",
        "Cwd      /home/fixture",
        "Command  /usr/bin/fixture-server --port  with space",
        "Affinity CPUs 0,2",
        "policy batch",
        "voluntary 150, involuntary 7",
        "PSS 7.8M",
        "[heap]",
        "Read   storage 40K",
        "Threads (2)",
        "worker-1",
        "Open files (11 descriptors)",
        "socket:[1001]",
        "LISTEN       127.0.0.1:8080",
        "ESTABLISHED  127.0.0.1:8080",
        "127.0.0.1:54321",
        "[2001:db8::1]:443",
        "UNCONN       127.0.0.1:53 ",
        "/run/fixture/ctl.sock (stream)",
        "Max open files",
        "unlimited",
        "Children (2)",
        "4300  defunct job",
    };
    for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
        bool found = false;
        for (size_t i = 0; i < l.n && !found; i++)
            found = strstr(l.v[i].text, want[w]) != NULL;
        ck_assert_msg(found, "no line with \"%s\"", want[w]);
    }
    inspect_lines_done(&l);
    proc_details_done(&d);

    /* the zombie's page explains and points to the parent */
    ck_assert_int_eq(probe_read_details(p, 4300, 31000, NULL, &d), 0);
    inspect_lines_build(&d, false, &l);
    bool zombie = false, parent = false;
    for (size_t i = 0; i < l.n; i++) {
        zombie |= strstr(l.v[i].text, "is a zombie") != NULL && l.v[i].style == TH_ZOMBIE;
        if (strstr(l.v[i].text, "Parent: 4242 (fix server)")) {
            parent = true;
            ck_assert_int_eq(l.v[i].jump.pid, 4242);
            ck_assert_uint_eq(l.v[i].jump.start_ticks, 30000);
        }
    }
    ck_assert(zombie && parent);
    inspect_lines_done(&l);
    proc_details_done(&d);
    probe_free(p);
}
END_TEST

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    Suite *s = suite_create("ui_inspect");
    TCase *tc = tcase_create("inspector");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_open_refresh_close);
    tcase_add_test(tc, test_child_and_zombie_parent);
    tcase_add_test(tc, test_gone_and_denied);
    tcase_add_test(tc, test_keys_in_inspector);
    tcase_add_test(tc, test_lines_from_fixture);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
