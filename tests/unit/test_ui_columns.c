/* Process-panel columns: definitions, lists, cells, command text, tree branches, search. */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/columns.h"

static struct proc_entry mk(pid_t pid, const char *name, char state)
{
    struct proc_entry p;
    memset(&p, 0, sizeof(p));
    p.pid = pid;
    p.ppid = 1;
    snprintf(p.name, sizeof(p.name), "%s", name);
    p.state = state;
    p.io_read_rate = p.io_write_rate = -1;
    return p;
}

static const char *cell(enum ucol c, const struct proc_entry *p)
{
    static char buf[256];
    struct ucol_ctx ctx = {.utf8 = true, .now = 1e9};
    ucol_cell(c, p, &ctx, buf, sizeof(buf));
    return buf;
}

START_TEST(test_defs_and_lists)
{
    for (int c = 0; c < UCOL_COUNT; c++) {
        const struct ucol_def *d = ucol_def(c);
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(ucol_parse(d->name), c);
        ck_assert(c == UCOL_COMMAND ? d->width == 0 : d->width >= (int)strlen(d->title));
    }
    ck_assert_int_eq(ucol_parse("nope"), -1);
    unsigned m;
    char err[64];
    ck_assert_int_eq(ucol_parse_list(" PID, user ,cpu", &m, err, sizeof(err)), 0);
    ck_assert_uint_eq(m, (1u << UCOL_PID) | (1u << UCOL_USER) | (1u << UCOL_CPU) |
                             (1u << UCOL_COMMAND));
    ck_assert_int_eq(ucol_parse_list("pid,bogus", &m, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "bogus"));
    char list[256];
    ucol_format_list(ucol_default_mask(), list, sizeof(list));
    ck_assert_str_eq(list, "pid,user,pri,nice,virt,res,shr,state,cpu,mem,time,io,command");
    ck_assert_int_eq(ucol_parse_list(list, &m, err, sizeof(err)), 0);
    ck_assert_uint_eq(m, ucol_default_mask());
    ck_assert_uint_eq(ucol_need(ucol_default_mask()), PROC_F_USER | PROC_F_IONICE | PROC_F_CMDLINE);
}
END_TEST

START_TEST(test_sort_mapping)
{
    unsigned m = ucol_default_mask();
    ck_assert_int_eq(ucol_for_sort(m, SORT_CPU), UCOL_CPU);
    ck_assert_int_eq(ucol_for_sort(m, SORT_NAME), UCOL_COMMAND);
    ck_assert_int_eq(ucol_for_sort(m, SORT_PPID), -1);
    /* < and > walk the visible sortable columns in screen order, wrapping */
    ck_assert_int_eq(ucol_sort_step(m, SORT_PID, +1), SORT_USER);
    ck_assert_int_eq(ucol_sort_step(m, SORT_PID, -1), SORT_NAME);
    ck_assert_int_eq(ucol_sort_step(m, SORT_NAME, +1), SORT_PID);
    /* SHR and IO sort on nothing and are skipped */
    ck_assert_int_eq(ucol_sort_step(m, SORT_RSS, +1), SORT_STATE);
    ck_assert_int_eq(ucol_sort_step(m, SORT_TIME, +1), SORT_NAME);
    /* a key without a visible column starts from an end */
    ck_assert_int_eq(ucol_sort_step(m, SORT_PPID, +1), SORT_PID);
}
END_TEST

START_TEST(test_cells)
{
    struct proc_entry p = mk(4242, "bash", 'S');
    p.priority = 20;
    p.nice = -5;
    p.vms = 123 * 1024 * 1024ULL;
    p.rss = 4096 * 1024ULL;
    p.cpu_percent = 12.34;
    p.mem_percent = 0.05;
    p.cpu_time = 83.45;
    p.threads = 8;
    ck_assert_str_eq(cell(UCOL_PID, &p), "4242");
    ck_assert_str_eq(cell(UCOL_PRI, &p), "20");
    ck_assert_str_eq(cell(UCOL_NI, &p), "-5");
    ck_assert_str_eq(cell(UCOL_VIRT, &p), "123M");
    ck_assert_str_eq(cell(UCOL_RES, &p), "4.0M");
    ck_assert_str_eq(cell(UCOL_CPU, &p), "12.3");
    ck_assert_str_eq(cell(UCOL_MEM, &p), "0.1");
    ck_assert_str_eq(cell(UCOL_TIME, &p), "1:23.45");
    ck_assert_str_eq(cell(UCOL_STATE, &p), "S");
    ck_assert_str_eq(cell(UCOL_THREADS, &p), "8");
    /* detail fields not read show as unknown, never as a made-up value */
    ck_assert_str_eq(cell(UCOL_USER, &p), "-");
    ck_assert_str_eq(cell(UCOL_IO, &p), "-");
    p.have = PROC_F_USER | PROC_F_IONICE;
    p.user = "a\x1b[2Jverylongusername";
    p.ionice_class = IONICE_IDLE;
    ck_assert_str_eq(cell(UCOL_USER, &p), "a\\e[2Jver");
    ck_assert_str_eq(cell(UCOL_IO, &p), "idle");
    p.priority = -100;
    ck_assert_str_eq(cell(UCOL_PRI, &p), "RT");
    p.state = 0x1b;
    ck_assert_str_eq(cell(UCOL_STATE, &p), "?");
}
END_TEST

START_TEST(test_command)
{
    char buf[256];
    struct proc_entry p = mk(10, "sleep", 'S');
    p.have = PROC_F_CMDLINE;
    p.cmdline = vstr_new("sleep\0"
                         "100\0-x\x1b",
                         13);
    ucol_command(&p, true, 80, buf, sizeof(buf));
    ck_assert_str_eq(buf, "sleep 100 -x\\e");
    ucol_command(&p, true, 7, buf, sizeof(buf));
    ck_assert_str_eq(buf, "sleep 1");
    vstr_unref(p.cmdline);
    p.cmdline = NULL;
    /* kernel threads and processes without a command line: the bracketed name */
    struct proc_entry k = mk(2, "kthreadd", 'S');
    k.kernel_thread = true;
    ucol_command(&k, true, 80, buf, sizeof(buf));
    ck_assert_str_eq(buf, "[kthreadd]");
    /* a zombie: marked without relying on colour */
    struct proc_entry z = mk(99, "a b) (c", 'Z');
    ucol_command(&z, true, 80, buf, sizeof(buf));
    ck_assert_str_eq(buf, "[a b) (c] <defunct>");
    ucol_command(&z, true, 5, buf, sizeof(buf));
    ck_assert_str_eq(buf, "[a b");
    ucol_command(&z, true, 0, buf, sizeof(buf));
    ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_tree_prefix)
{
    char buf[128];
    struct view_row r = {0};
    ucol_tree_prefix(&r, true, buf, sizeof(buf));
    ck_assert_str_eq(buf, "");
    r.depth = 1;
    r.more_siblings = 1; /* this row has a later sibling */
    ucol_tree_prefix(&r, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "|- ");
    r.more_siblings = 0;
    ucol_tree_prefix(&r, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "`- ");
    r.depth = 3;
    r.more_siblings = 1u | 4u; /* depth-1 ancestor continues; depth-2 does not; row does */
    ucol_tree_prefix(&r, false, buf, sizeof(buf));
    ck_assert_str_eq(buf, "|   |- ");
    ucol_tree_prefix(&r, true, buf, sizeof(buf));
    ck_assert_str_eq(buf, "\u2502   \u251c\u2500 ");
    /* absurd depth: bounded by the buffer, no overflow */
    r.depth = 100000;
    r.more_siblings = ~0ULL;
    size_t n = ucol_tree_prefix(&r, true, buf, sizeof(buf));
    ck_assert_uint_lt(n, sizeof(buf));
}
END_TEST

START_TEST(test_match)
{
    struct proc_entry p = mk(10, "python3", 'S');
    ck_assert(ucol_match(&p, ""));
    ck_assert(ucol_match(&p, "PYTH"));
    ck_assert(!ucol_match(&p, "server"));
    p.cmdline = vstr_new("python3\0-m\0http.server", 22);
    ck_assert(ucol_match(&p, "HTTP.SERVER"));
    ck_assert(ucol_match(&p, "-m http")); /* arguments joined by spaces */
    ck_assert(!ucol_match(&p, "serverx"));
    vstr_unref(p.cmdline);
}
END_TEST

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    Suite *s = suite_create("ui_columns");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_defs_and_lists);
    tcase_add_test(tc, test_sort_mapping);
    tcase_add_test(tc, test_cells);
    tcase_add_test(tc, test_command);
    tcase_add_test(tc, test_tree_prefix);
    tcase_add_test(tc, test_match);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
