/* Delta computations on hand-made samples: exact percentages, counters that go
 * backwards, a pid that now names another process, no elapsed time. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "probe/delta.h"

static struct cpu_times times(uint64_t user, uint64_t nice, uint64_t system, uint64_t idle,
                              uint64_t iowait, uint64_t irq, uint64_t softirq, uint64_t steal,
                              uint64_t guest, uint64_t guest_nice)
{
    struct cpu_times t = {
        {user, nice, system, idle, iowait, irq, softirq, steal, guest, guest_nice}};
    return t;
}

START_TEST(test_cpu_exact)
{
    struct cpu_times a = times(1000, 100, 500, 8000, 40, 5, 7, 3, 0, 0);
    /* +200 ticks: user 60 nice 10 system 30 idle 80 iowait 10 irq 4 softirq 4 steal 2 */
    struct cpu_times b = times(1060, 110, 530, 8080, 50, 9, 11, 5, 0, 0);
    struct cpu_pct p;
    cpu_pct_compute(&a, &b, &p);
    ck_assert(p.valid);
    ck_assert_double_eq_tol(p.user, 30.0, 1e-12);
    ck_assert_double_eq_tol(p.nice, 5.0, 1e-12);
    ck_assert_double_eq_tol(p.system, 15.0, 1e-12);
    ck_assert_double_eq_tol(p.idle, 40.0, 1e-12);
    ck_assert_double_eq_tol(p.iowait, 5.0, 1e-12);
    ck_assert_double_eq_tol(p.irq, 2.0, 1e-12);
    ck_assert_double_eq_tol(p.softirq, 2.0, 1e-12);
    ck_assert_double_eq_tol(p.steal, 1.0, 1e-12);
    ck_assert_double_eq_tol(p.busy, 55.0, 1e-12); /* 100 - idle - iowait */
    double sum = p.user + p.nice + p.system + p.idle + p.iowait + p.irq + p.softirq + p.steal;
    ck_assert_double_eq_tol(sum, 100.0, 1e-9);
}
END_TEST

START_TEST(test_cpu_guest_not_double_counted)
{
    /* 100 ticks of a guest are already inside user (and guest_nice inside nice) */
    struct cpu_times a = times(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    struct cpu_times b = times(100, 50, 0, 50, 0, 0, 0, 0, 100, 50);
    struct cpu_pct p;
    cpu_pct_compute(&a, &b, &p);
    ck_assert(p.valid);
    ck_assert_double_eq_tol(p.user, 50.0, 1e-12);
    ck_assert_double_eq_tol(p.nice, 25.0, 1e-12);
    ck_assert_double_eq_tol(p.idle, 25.0, 1e-12);
    ck_assert_double_eq_tol(p.busy, 75.0, 1e-12);
}
END_TEST

START_TEST(test_cpu_backwards)
{
    /* iowait went backwards (it does on NO_HZ kernels), idle too: those count 0 */
    struct cpu_times a = times(100, 0, 100, 1000, 500, 0, 0, 0, 0, 0);
    struct cpu_times b = times(150, 0, 150, 900, 10, 0, 0, 0, 0, 0);
    struct cpu_pct p;
    cpu_pct_compute(&a, &b, &p);
    ck_assert(p.valid);
    ck_assert_double_eq_tol(p.user, 50.0, 1e-12);
    ck_assert_double_eq_tol(p.system, 50.0, 1e-12);
    ck_assert_double_eq(p.idle, 0.0);
    ck_assert_double_eq(p.iowait, 0.0);
    ck_assert_double_eq_tol(p.busy, 100.0, 1e-12);

    /* everything went backwards (a CPU was replugged and its counters restarted) */
    struct cpu_times c = times(1, 0, 1, 1, 0, 0, 0, 0, 0, 0);
    cpu_pct_compute(&a, &c, &p);
    ck_assert(!p.valid);
    ck_assert_double_eq(p.busy, 0.0);

    /* one huge counter wrap must not give a value outside 0..100 */
    struct cpu_times d = times(UINT64_MAX - 5, 0, 0, 10, 0, 0, 0, 0, 0, 0);
    struct cpu_times e = times(4, 0, 0, 20, 0, 0, 0, 0, 0, 0);
    cpu_pct_compute(&d, &e, &p);
    ck_assert(p.valid);
    ck_assert_double_eq_tol(p.idle, 100.0, 1e-12);
    ck_assert_double_eq(p.busy, 0.0);
}
END_TEST

START_TEST(test_cpu_no_prev_no_time)
{
    struct cpu_times a = times(10, 0, 10, 10, 0, 0, 0, 0, 0, 0);
    struct cpu_pct p;
    p.valid = true;
    cpu_pct_compute(NULL, &a, &p);
    ck_assert(!p.valid);
    cpu_pct_compute(&a, &a, &p); /* no tick elapsed */
    ck_assert(!p.valid);
    ck_assert_double_eq(p.idle, 0.0);
}
END_TEST

static struct proc_entry proc(pid_t pid, uint64_t start, uint64_t utime, uint64_t stime)
{
    struct proc_entry e;
    memset(&e, 0, sizeof(e));
    e.pid = pid;
    e.start_ticks = start;
    e.utime = utime;
    e.stime = stime;
    e.io_read_bytes = e.io_write_bytes = -1;
    return e;
}

static void set_io(struct proc_entry *e, int64_t rd, int64_t wr)
{
    e->have |= PROC_F_IO;
    e->io_read_bytes = rd;
    e->io_write_bytes = wr;
}

START_TEST(test_proc_rates)
{
    /* previous sample at uptime 1000 s, clk_tck 100, 2 seconds ago */
    struct proc_entry prev[5] = {
        proc(1, 10, 500, 500),   proc(7, 2000, 100, 0), proc(9, 5000, 300, 100),
        proc(12, 90000, 50, 50), proc(15, 100, 10, 10),
    };
    set_io(&prev[0], 1000, 2000);
    set_io(&prev[1], 5000, 0);
    set_io(&prev[2], 100, 100);
    struct proc_history hist = {0};
    proc_history_take(&hist, prev, 5);
    ck_assert_uint_eq(hist.n, 5);
    ck_assert_uint_eq(hist.e[2].cpu_ticks, 400);
    ck_assert_uint_eq(hist.n_io, 3); /* only the entries with PROC_F_IO */
    ck_assert_int_eq(hist.io[2].pid, 9);
    ck_assert_int_eq(hist.io[2].read_bytes, 100);
    ck_assert_int_eq(hist.io[1].write_bytes, 0);

    struct proc_entry cur[6] = {
        proc(1, 10, 600, 550),    /* +150 ticks over 2 s at 100 Hz: 75% */
        proc(7, 2000, 100, 0),    /* idle */
        proc(9, 5000, 500, 900),  /* +1000 ticks: 5 threads busy = 500% */
        proc(12, 100500, 30, 10), /* pid reused: started at 1005 s, after the sample */
        proc(15, 100, 5, 5),      /* counters went backwards: 0, not negative */
        proc(20, 90000, 70, 10),  /* new pid that started at 900 s: missed, unknown */
    };
    set_io(&cur[0], 3000, 2000); /* read +2000 B over 2 s, write +0 */
    set_io(&cur[1], 4000, 10);   /* read went backwards: unknown; write +10 */
    set_io(&cur[3], 400, 600);   /* new process: its whole I/O is within the interval */
    set_io(&cur[4], 70, 80);     /* I/O now, not in the previous sample: unknown */
    set_io(&cur[5], 800, 800);
    cur[0].rss = 4096;
    struct proc_delta_ctx ctx = {
        .prev = &hist, .dt = 2.0, .prev_uptime = 1000.0, .clk_tck = 100, .mem_total = 16384};
    proc_rates_compute(&ctx, cur, 6);

    ck_assert_double_eq_tol(cur[0].cpu_percent, 75.0, 1e-12);
    ck_assert_double_eq_tol(cur[0].io_read_rate, 1000.0, 1e-12);
    ck_assert_double_eq_tol(cur[0].io_write_rate, 0.0, 1e-12);
    ck_assert_double_eq_tol(cur[0].mem_percent, 25.0, 1e-12);
    ck_assert_double_eq(cur[1].cpu_percent, 0.0);
    ck_assert_double_eq(cur[1].io_read_rate, -1);
    ck_assert_double_eq_tol(cur[1].io_write_rate, 5.0, 1e-12);
    ck_assert_double_eq_tol(cur[2].cpu_percent, 500.0, 1e-12);
    ck_assert_double_eq(cur[2].io_read_rate, -1); /* now unreadable */
    /* identity changed at the same pid: not 30+10 minus the old 100 ticks */
    ck_assert_double_eq_tol(cur[3].cpu_percent, 20.0, 1e-12);
    ck_assert_double_eq_tol(cur[3].io_read_rate, 200.0, 1e-12);
    ck_assert_double_eq_tol(cur[3].io_write_rate, 300.0, 1e-12);
    ck_assert_double_eq(cur[4].cpu_percent, 0.0);
    ck_assert_double_eq(cur[4].io_read_rate, -1);
    ck_assert_double_eq(cur[4].io_write_rate, -1);
    ck_assert_double_eq(cur[5].cpu_percent, 0.0);
    ck_assert_double_eq(cur[5].io_read_rate, -1);
    ck_assert_double_eq(cur[5].io_write_rate, -1);

    /* the next sample: pid 1 had I/O read and now has not (the row left the screen), pid
     * 15 has it for the second time, pid 7's counter was unreadable: its history keeps
     * the write counter alone */
    cur[1].io_read_bytes = -1;
    proc_history_take(&hist, cur, 6);
    ck_assert_uint_eq(hist.n, 6);
    ck_assert_uint_eq(hist.n_io, 5);
    struct proc_entry next[3] = {proc(1, 10, 600, 550), proc(7, 2000, 100, 0), proc(15, 100, 5, 5)};
    set_io(&next[1], 4500, 40);
    set_io(&next[2], 170, 80);
    proc_rates_compute(&ctx, next, 3);
    ck_assert_double_eq(next[0].io_read_rate, -1); /* not read now */
    ck_assert_double_eq(next[0].io_write_rate, -1);
    ck_assert_double_eq(next[1].io_read_rate, -1); /* unreadable before */
    ck_assert_double_eq_tol(next[1].io_write_rate, 15.0, 1e-12);
    ck_assert_double_eq_tol(next[2].io_read_rate, 50.0, 1e-12);
    ck_assert_double_eq_tol(next[2].io_write_rate, 0.0, 1e-12);

    /* nothing read with I/O: no I/O array at all */
    proc_history_take(&hist, prev + 3, 2);
    ck_assert_uint_eq(hist.n, 2);
    ck_assert_uint_eq(hist.n_io, 0);
    ck_assert_ptr_null(hist.io);
    proc_history_clear(&hist);
    ck_assert_ptr_null(hist.e);
    ck_assert_uint_eq(hist.n, 0);
}
END_TEST

START_TEST(test_proc_identity_change_started_before)
{
    /* pid 5 was another process before; the new one started before the previous sample
     * (so it was missed, not born in the interval): its rate is unknown, never a spike */
    struct proc_entry prev = proc(5, 100, 10, 0);
    struct proc_history hist = {0};
    proc_history_take(&hist, &prev, 1);
    struct proc_entry cur = proc(5, 50000, 90000, 0);
    set_io(&cur, 10, 10);
    struct proc_delta_ctx ctx = {&hist, 1.5, 1000.0, 100, 0};
    proc_rates_compute(&ctx, &cur, 1);
    ck_assert_double_eq(cur.cpu_percent, 0.0);
    ck_assert_double_eq(cur.io_read_rate, -1);
    ck_assert_double_eq(cur.mem_percent, 0.0); /* mem_total unknown */

    /* the same with the start one tick before the sample's uptime counts as new */
    cur = proc(5, 99999, 15, 0);
    proc_rates_compute(&ctx, &cur, 1);
    ck_assert_double_eq_tol(cur.cpu_percent, 10.0, 1e-12);
    proc_history_clear(&hist);
}
END_TEST

START_TEST(test_proc_no_prev_or_no_time)
{
    struct proc_entry prev = proc(3, 100, 10, 0);
    struct proc_history hist = {0};
    proc_history_take(&hist, &prev, 1);
    struct proc_entry cur = proc(3, 100, 110, 0);
    set_io(&cur, 10, 10);
    cur.rss = 1000;

    struct proc_delta_ctx first = {NULL, 0, 0, 100, 4000};
    proc_rates_compute(&first, &cur, 1);
    ck_assert_double_eq(cur.cpu_percent, 0.0);
    ck_assert_double_eq(cur.io_read_rate, -1);
    ck_assert_double_eq_tol(cur.mem_percent, 25.0, 1e-12);

    struct proc_delta_ctx zero = {&hist, 0.0, 1000.0, 100, 4000};
    cur.cpu_percent = 99;
    proc_rates_compute(&zero, &cur, 1);
    ck_assert_double_eq(cur.cpu_percent, 0.0); /* dt 0: no division by zero */
    ck_assert_double_eq(cur.io_write_rate, -1);

    struct proc_delta_ctx neg = {&hist, -1.0, 1000.0, 100, 4000};
    proc_rates_compute(&neg, &cur, 1);
    ck_assert_double_eq(cur.cpu_percent, 0.0);

    proc_rates_compute(&zero, NULL, 0); /* nothing to do, nothing touched */
    proc_history_clear(&hist);
}
END_TEST

START_TEST(test_proc_merge_walk)
{
    /* many vanished and many new pids interleaved: each match is found */
    enum { N = 1000 };
    struct proc_entry *prev = calloc(N, sizeof(*prev));
    struct proc_entry *cur = calloc(N, sizeof(*cur));
    for (int i = 0; i < N; i++) {
        prev[i] = proc(2 * i + 1, 7, (uint64_t)i, 0);    /* odd pids */
        cur[i] = proc(3 * i + 1, 7, (uint64_t)i * 2, 0); /* every third pid */
    }
    for (int i = 0; i < N; i += 3)
        set_io(&prev[i], 1000 + i, 0); /* a sparse I/O array beside the dense one */
    for (int i = 0; i < N; i++)
        set_io(&cur[i], 1000 + 2 * i, 0);
    struct proc_history hist = {0};
    proc_history_take(&hist, prev, N);
    struct proc_delta_ctx ctx = {&hist, 1.0, 0 /* uptime unknown: new ones 0 */, 100, 0};
    proc_rates_compute(&ctx, cur, N);
    for (int i = 0; i < N; i++) {
        pid_t pid = cur[i].pid;
        bool matched = pid % 2 == 1 && (pid - 1) / 2 < N;
        /* matched: prev ticks (pid-1)/2, cur ticks 2i */
        double expect = matched ? (double)(2 * i - (pid - 1) / 2) : 0.0;
        ck_assert_msg(fabs(cur[i].cpu_percent - expect) < 1e-9, "pid %d: %f != %f", pid,
                      cur[i].cpu_percent, expect);
        /* I/O: only where the matched previous entry had it (prev index multiple of 3) */
        int pi = (pid - 1) / 2;
        double io = matched && pi % 3 == 0 ? (double)(1000 + 2 * i - (1000 + pi)) : -1.0;
        ck_assert_msg(fabs(cur[i].io_read_rate - io) < 1e-9, "pid %d io: %f != %f", pid,
                      cur[i].io_read_rate, io);
    }
    free(prev);
    free(cur);
    proc_history_clear(&hist);
}
END_TEST

START_TEST(test_thread_rates_io)
{
    /* thread rows come in (tgid, tid) order, not sorted by tid: the history is sorted */
    struct proc_entry prev[4] = {proc(50, 7, 100, 0), proc(12, 7, 10, 0), proc(40, 7, 0, 0),
                                 proc(30, 7, 5, 5)};
    set_io(&prev[0], 1000, 100);
    set_io(&prev[2], 0, 0);
    struct proc_history hist = {0};
    proc_history_take(&hist, prev, 4);
    proc_history_sort(&hist);
    for (size_t i = 1; i < hist.n; i++)
        ck_assert_int_lt(hist.e[i - 1].pid, hist.e[i].pid);
    ck_assert_uint_eq(hist.n_io, 2);
    ck_assert_int_eq(hist.io[0].pid, 40);
    ck_assert_int_eq(hist.io[1].pid, 50);

    struct proc_entry cur[4] = {proc(50, 7, 150, 0), proc(12, 7, 20, 0), proc(40, 8, 0, 0),
                                proc(30, 7, 15, 5)};
    set_io(&cur[0], 3000, 100); /* +2000 B over 2 s */
    set_io(&cur[1], 500, 500);  /* I/O now, not before: unknown */
    set_io(&cur[2], 10, 10);    /* tid 40 names another thread now */
    struct proc_delta_ctx ctx = {&hist, 2.0, 1000.0, 100, 0};
    thread_rates_compute(&ctx, cur, 4);
    ck_assert_double_eq_tol(cur[0].cpu_percent, 25.0, 1e-12);
    ck_assert_double_eq_tol(cur[0].io_read_rate, 1000.0, 1e-12);
    ck_assert_double_eq_tol(cur[0].io_write_rate, 0.0, 1e-12);
    ck_assert_double_eq_tol(cur[1].cpu_percent, 5.0, 1e-12);
    ck_assert_double_eq(cur[1].io_read_rate, -1);
    ck_assert_double_eq(cur[2].cpu_percent, 0.0);
    ck_assert_double_eq(cur[2].io_read_rate, -1);
    ck_assert_double_eq_tol(cur[3].cpu_percent, 5.0, 1e-12);
    ck_assert_double_eq(cur[3].io_write_rate, -1); /* no I/O either time */
    proc_history_clear(&hist);
}
END_TEST

static Suite *delta_suite(void)
{
    Suite *s = suite_create("delta");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_cpu_exact);
    tcase_add_test(tc, test_cpu_guest_not_double_counted);
    tcase_add_test(tc, test_cpu_backwards);
    tcase_add_test(tc, test_cpu_no_prev_no_time);
    tcase_add_test(tc, test_proc_rates);
    tcase_add_test(tc, test_proc_identity_change_started_before);
    tcase_add_test(tc, test_proc_no_prev_or_no_time);
    tcase_add_test(tc, test_proc_merge_walk);
    tcase_add_test(tc, test_thread_rates_io);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(delta_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
