/* Process actions, the pure part: signal table, /proc parsers, value checks, the wording
 * of results and summaries, the zombie sentence. */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/linux/action_linux.h"
#include "probe/action.h"

START_TEST(test_signal_table)
{
    size_t n = 0;
    const struct action_signal_info *t = action_signal_table(&n);
    ck_assert_uint_ge(n, 12);
    ck_assert_int_eq(t[0].number, SIGTERM);
    ck_assert_str_eq(t[0].name, "SIGTERM");
    ck_assert_int_eq(t[1].number, SIGKILL);
    /* every entry: its number on this architecture, no duplicates */
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(action_signal_name(t[i].number), t[i].name);
        ck_assert(action_signal_valid(t[i].number));
        for (size_t j = i + 1; j < n; j++)
            ck_assert_int_ne(t[i].number, t[j].number);
    }
    ck_assert_str_eq(action_signal_name(SIGUSR1), "SIGUSR1");
    ck_assert_str_eq(action_signal_name(SIGCHLD), "SIGCHLD");
    ck_assert_str_eq(action_signal_name(SIGCONT), "SIGCONT");
    ck_assert_ptr_null(action_signal_name(0));
    char buf[32];
    action_signal_label(SIGTERM, buf, sizeof(buf));
    ck_assert_str_eq(buf, "15 SIGTERM");
    action_signal_label(SIGKILL, buf, sizeof(buf));
    ck_assert_str_eq(buf, "9 SIGKILL");
    action_signal_label(SIGRTMIN + 1, buf, sizeof(buf));
    ck_assert_ptr_nonnull(strstr(buf, " SIG"));
    ck_assert(!action_signal_valid(0));
    ck_assert(!action_signal_valid(SIGRTMAX + 1));
}
END_TEST

START_TEST(test_stat_parse)
{
    /* comm with spaces and ')' in it: fields start after the LAST ')' */
    static const char line[] =
        "4242 (a) b) (c) S 17 4242 4242 0 -1 4194560 100 0 0 0 5 6 0 0 25 5 3 0 123456 "
        "1000 200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    struct action_stat st;
    ck_assert_int_eq(action_stat_parse(line, sizeof(line) - 1, &st), 0);
    ck_assert_str_eq(st.comm, "a) b) (c");
    ck_assert_int_eq(st.state, 'S');
    ck_assert_int_eq(st.ppid, 17);
    ck_assert(!st.kernel_thread);
    ck_assert_int_eq(st.nice, 5);
    ck_assert_int_eq(st.num_threads, 3);
    ck_assert_uint_eq(st.start_ticks, 123456);

    static const char neg[] = "7 (x) Z 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 39 -20 1 0 99";
    ck_assert_int_eq(action_stat_parse(neg, sizeof(neg) - 1, &st), 0);
    ck_assert_int_eq(st.nice, -20);
    ck_assert_uint_eq(st.start_ticks, 99);
    static const char kthread[] = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 20";
    ck_assert_int_eq(action_stat_parse(kthread, sizeof(kthread) - 1, &st), 0);
    ck_assert(st.kernel_thread);

    /* truncated, no parentheses, garbage in a number, length honoured */
    ck_assert_int_eq(action_stat_parse(neg, 30, &st), -EINVAL);
    ck_assert_int_eq(action_stat_parse("7 x S 1", 7, &st), -EINVAL);
    static const char bad[] = "7 (x) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 zz 1 0 99";
    ck_assert_int_eq(action_stat_parse(bad, sizeof(bad) - 1, &st), -EINVAL);
    ck_assert_int_eq(action_stat_parse(")(", 2, &st), -EINVAL);
}
END_TEST

START_TEST(test_limits_parse)
{
    static const char limits[] = "Limit                     Soft Limit           Hard Limit  "
                                 "         Units     \n"
                                 "Max open files            1024                 4096        "
                                 "         files     \n"
                                 "Max nice priority         5                    10          "
                                 "          \n"
                                 "Max realtime priority     0                    0           "
                                 "         \n";
    long soft = -1;
    ck_assert_int_eq(action_limits_nice_parse(limits, sizeof(limits) - 1, &soft), 0);
    ck_assert_int_eq(soft, 5);
    static const char unl[] = "Max nice priority         unlimited            unlimited\n";
    ck_assert_int_eq(action_limits_nice_parse(unl, sizeof(unl) - 1, &soft), 0);
    ck_assert_int_eq(soft, 40);
    ck_assert_int_eq(action_limits_nice_parse("Max open files 5\n", 17, &soft), -EINVAL);
    ck_assert_int_eq(action_nice_floor(0), 20);
    ck_assert_int_eq(action_nice_floor(5), 15);
    ck_assert_int_eq(action_nice_floor(40), -20);
    ck_assert_int_eq(action_nice_floor(100), -20);
}
END_TEST

START_TEST(test_request_check)
{
    struct action_result r;
    struct action_request rq = {.kind = ACTION_NICE_SET, .nice = 25};
    memset(&r, 0, sizeof(r));
    ck_assert(!action_request_check(&rq, 100, &r));
    ck_assert_int_eq(r.status, ACTION_INVALID);
    ck_assert_int_eq(r.err, -EINVAL);
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid nice value 25"));
    ck_assert_ptr_nonnull(strstr(r.msg, "-20 and 19"));

    rq = (struct action_request){.kind = ACTION_IONICE, .ioclass = 9};
    ck_assert(!action_request_check(&rq, 100, &r));
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid I/O class 9"));
    ck_assert_ptr_nonnull(strstr(r.msg, "best-effort"));

    rq =
        (struct action_request){.kind = ACTION_IONICE, .ioclass = IONICE_BEST_EFFORT, .iolevel = 8};
    ck_assert(!action_request_check(&rq, 100, &r));
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid I/O level 8"));

    rq = (struct action_request){.kind = ACTION_SIGNAL, .sig = 0};
    ck_assert(!action_request_check(&rq, 100, &r));
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid signal 0"));

    rq = (struct action_request){.kind = ACTION_SIGNAL, .sig = SIGTERM};
    ck_assert(!action_request_check(&rq, 0, &r));
    ck_assert_ptr_nonnull(strstr(r.msg, "invalid process ID"));
    ck_assert(action_request_check(&rq, 1, &r));

    rq = (struct action_request){.kind = ACTION_IONICE, .ioclass = IONICE_IDLE, .iolevel = 7};
    ck_assert(action_request_check(&rq, 1, &r));
}
END_TEST

START_TEST(test_result_wording)
{
    struct action_request sig = {.kind = ACTION_SIGNAL, .sig = SIGTERM};
    struct action_request nice = {.kind = ACTION_NICE_ADD, .delta = -1};
    struct action_request rt = {.kind = ACTION_IONICE, .ioclass = IONICE_REALTIME, .iolevel = 2};
    struct action_result r;

    memset(&r, 0, sizeof(r));
    r.pid = 1234;
    snprintf(r.name, sizeof(r.name), "sle\tep");
    r.status = ACTION_OK;
    action_result_format(&sig, &r);
    ck_assert_str_eq(r.msg, "sent SIGTERM to process 1234 (sle?ep).");

    r.status = ACTION_GONE;
    r.err = -ESRCH;
    action_result_format(&sig, &r);
    ck_assert_str_eq(r.msg, "process 1234 is gone; nothing was sent.");
    r.mismatch = true;
    action_result_format(&nice, &r);
    ck_assert_ptr_nonnull(strstr(r.msg, "process 1234 is gone"));
    ck_assert_ptr_nonnull(strstr(r.msg, "another process"));
    ck_assert_ptr_nonnull(strstr(r.msg, "nothing was changed"));

    memset(&r, 0, sizeof(r));
    r.pid = 1234;
    snprintf(r.name, sizeof(r.name), "sleep");
    r.status = ACTION_DENIED;
    r.err = -EPERM;
    action_result_format(&sig, &r);
    ck_assert_str_eq(r.msg, "permission denied: process 1234 (sleep) belongs to another user; "
                            "only root can signal it.");
    r.err = -EACCES;
    r.nice_floor = 5;
    action_result_format(&nice, &r);
    ck_assert_str_eq(r.msg, "permission denied: only root can lower the nice value of process "
                            "1234 (sleep) below 5.");
    r.err = -EPERM;
    action_result_format(&rt, &r);
    ck_assert_ptr_nonnull(strstr(r.msg, "only root can give process 1234 (sleep) the realtime"));

    r.status = ACTION_ZOMBIE;
    r.parent_pid = 77;
    snprintf(r.parent_name, sizeof(r.parent_name), "bash");
    action_result_format(&sig, &r);
    ck_assert_ptr_nonnull(strstr(r.msg, "zombie"));
    ck_assert_ptr_nonnull(strstr(r.msg, "parent 77 (bash)"));

    r.status = ACTION_OK;
    r.nice_before = 0;
    r.nice_after = 3;
    action_result_format(&nice, &r);
    ck_assert_str_eq(r.msg, "changed the nice value of process 1234 (sleep) from 0 to 3.");
    struct action_request be = {.kind = ACTION_IONICE, .ioclass = IONICE_BEST_EFFORT, .iolevel = 6};
    action_result_format(&be, &r);
    ck_assert_str_eq(r.msg, "set the I/O priority of process 1234 (sleep) to best-effort 6.");

    r.status = ACTION_FAILED;
    r.err = -EBADF;
    action_result_format(&sig, &r);
    ck_assert_ptr_nonnull(strstr(r.msg, "could not send SIGTERM to process 1234 (sleep)"));
}
END_TEST

START_TEST(test_summary)
{
    struct action_request sig = {.kind = ACTION_SIGNAL, .sig = SIGTERM};
    struct action_result each[4], sum;
    memset(each, 0, sizeof(each));
    each[0].status = ACTION_OK;
    each[1].status = ACTION_GONE;
    each[1].err = -ESRCH;
    each[2].status = ACTION_OK;
    action_summarise(&sig, each, 3, &sum);
    ck_assert_str_eq(sum.msg, "sent SIGTERM to 2 of 3 processes; 1 was gone.");
    ck_assert_int_eq(sum.status, ACTION_GONE);
    ck_assert_int_eq(sum.err, -ESRCH);

    each[1].status = ACTION_OK;
    each[1].err = 0;
    action_summarise(&sig, each, 3, &sum);
    ck_assert_str_eq(sum.msg, "sent SIGTERM to 3 processes.");
    ck_assert_int_eq(sum.err, 0);

    each[0].status = ACTION_DENIED;
    each[0].err = -EPERM;
    each[1].status = ACTION_GONE;
    each[2].status = ACTION_GONE;
    each[3].status = ACTION_ZOMBIE;
    action_summarise(&sig, each, 4, &sum);
    ck_assert_str_eq(sum.msg, "sent SIGTERM to 0 of 4 processes; 2 were gone, 1 was a zombie, "
                              "1 was not permitted.");
    ck_assert_int_eq(sum.err, -EPERM);

    struct action_request up = {.kind = ACTION_NICE_ADD, .delta = 1};
    memset(each, 0, sizeof(each));
    each[1].status = ACTION_UNCHANGED;
    action_summarise(&up, each, 2, &sum);
    ck_assert_str_eq(sum.msg, "changed nice by +1 on 2 processes; 1 already at the limit.");
    ck_assert_int_eq(sum.err, 0);

    /* one target: its own sentence */
    each[0].pid = 5;
    snprintf(each[0].msg, sizeof(each[0].msg), "own message.");
    action_summarise(&up, each, 1, &sum);
    ck_assert_str_eq(sum.msg, "own message.");
    action_summarise(&up, each, 0, &sum);
    ck_assert_int_eq(sum.err, -EINVAL);
    ck_assert_ptr_nonnull(strstr(sum.msg, "no process"));
}
END_TEST

START_TEST(test_zombie_format)
{
    struct action_zombie z;
    memset(&z, 0, sizeof(z));
    z.zombie.pid = 321;
    snprintf(z.zombie_name, sizeof(z.zombie_name), "defunct");
    z.is_zombie = true;
    z.parent.pid = 1234;
    snprintf(z.parent_name, sizeof(z.parent_name), "bash");
    action_zombie_format(&z);
    ck_assert_str_eq(z.msg, "process 321 (defunct) is a zombie: it cannot be killed until its "
                            "parent reaps it; parent 1234 (bash).");
    z.parent.pid = 0;
    action_zombie_format(&z);
    ck_assert_ptr_nonnull(strstr(z.msg, "zombie"));
    ck_assert_ptr_nonnull(strstr(z.msg, "parent"));
    z.is_zombie = false;
    action_zombie_format(&z);
    ck_assert_str_eq(z.msg, "process 321 (defunct) is not a zombie.");
}
END_TEST

static Suite *action_suite(void)
{
    Suite *s = suite_create("action");
    TCase *pure = tcase_create("pure");
    tcase_add_test(pure, test_signal_table);
    tcase_add_test(pure, test_stat_parse);
    tcase_add_test(pure, test_limits_parse);
    tcase_add_test(pure, test_request_check);
    tcase_add_test(pure, test_result_wording);
    tcase_add_test(pure, test_summary);
    tcase_add_test(pure, test_zombie_format);
    suite_add_tcase(s, pure);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(action_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
