/* Snapshot model helpers: names for constants, task counts, lookup, vstr ownership. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/snapshot.h"

START_TEST(test_names)
{
    ck_assert_str_eq(ionice_class_name(IONICE_IDLE), "idle");
    ck_assert_str_eq(ionice_class_name(IONICE_BEST_EFFORT), "best-effort");
    ck_assert_ptr_null(ionice_class_name(7));
    ck_assert_str_eq(iface_duplex_name(DUPLEX_FULL), "full");
    ck_assert_str_eq(iface_duplex_name(42), "unknown");
    ck_assert_str_eq(proc_state_name('Z'), "zombie");
    ck_assert_str_eq(proc_state_name('D'), "disk-sleep");
    ck_assert_str_eq(cpu_mode_name(CPU_SOFTIRQ), "softirq");
}
END_TEST

START_TEST(test_task_counts)
{
    struct proc_entry p[4];
    memset(p, 0, sizeof(p));
    p[0].state = 'R';
    p[0].threads = 3;
    p[1].state = 'Z';
    p[2].state = 'I';
    p[2].kernel_thread = true;
    p[2].threads = 1;
    p[3].state = 'S';
    p[3].threads = 2;
    struct task_counts tc;
    task_counts_compute(p, 4, &tc);
    ck_assert_uint_eq(tc.total, 4);
    ck_assert_uint_eq(tc.running, 1);
    ck_assert_uint_eq(tc.zombie, 1);
    ck_assert_uint_eq(tc.idle, 1);
    ck_assert_uint_eq(tc.sleeping, 1);
    ck_assert_uint_eq(tc.kernel_threads, 1);
    ck_assert_uint_eq(tc.threads, 5);
}
END_TEST

/* One string per name, whatever the buffer it came from; longer names cut as before. */
START_TEST(test_user_intern)
{
    char buf[64];
    const char *first[300];
    for (int i = 0; i < 300; i++) { /* enough to make the set grow a few times */
        snprintf(buf, sizeof(buf), "user%d", i);
        first[i] = proc_user_intern(buf);
        ck_assert_str_eq(first[i], buf);
    }
    for (int i = 0; i < 300; i++) {
        snprintf(buf, sizeof(buf), "user%d", i);
        ck_assert_ptr_eq(proc_user_intern(buf), first[i]);
    }
    ck_assert_ptr_ne(proc_user_intern("user1"), proc_user_intern("user10"));
    ck_assert_str_eq(proc_user_intern(NULL), "");
    memset(buf, 'x', 40);
    buf[40] = '\0';
    ck_assert_uint_eq(strlen(proc_user_intern(buf)), USER_NAME_MAX - 1);
    struct proc_entry e;
    memset(&e, 0, sizeof(e));
    ck_assert_str_eq(proc_entry_user(&e), ""); /* never filled: not a NULL for readers */
}
END_TEST

START_TEST(test_find_proc)
{
    struct snapshot s;
    snapshot_init(&s);
    s.n_procs = 3;
    s.procs = calloc(3, sizeof(*s.procs));
    s.procs[0].pid = 1;
    s.procs[1].pid = 50;
    s.procs[2].pid = 7000;
    s.procs[1].cmdline = vstr_new("a\0b", 3);
    ck_assert_ptr_eq(snapshot_find_proc(&s, 50), &s.procs[1]);
    ck_assert_ptr_eq(snapshot_find_proc(&s, 7000), &s.procs[2]);
    ck_assert_ptr_null(snapshot_find_proc(&s, 2));
    ck_assert_ptr_null(snapshot_find_proc(&s, 9999));
    struct vstr *keep = vstr_ref(s.procs[1].cmdline);
    snapshot_done(&s);
    ck_assert_uint_eq(keep->len, 3);
    ck_assert_int_eq(memcmp(keep->data, "a\0b", 4), 0);
    vstr_unref(keep);
    ck_assert_ptr_null(s.procs);
}
END_TEST

static Suite *snapshot_suite(void)
{
    Suite *s = suite_create("snapshot");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_task_counts);
    tcase_add_test(tc, test_find_proc);
    tcase_add_test(tc, test_user_intern);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(snapshot_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
