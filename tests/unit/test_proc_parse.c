/* The /proc per-process parsers on literal text: tricky comm names, kernel threads,
 * zombies, truncated and garbled files, counter extremes. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/linux/proc_parse.h"

/* A real 6.x line (52 fields) with a placeholder for comm. */
static const char STAT_TAIL[] =
    " S 1 4930 3860 34816 4930 4194560 72 0 0 0 1234 567 0 0 20 0 1 0 115879 2404352 241 "
    "18446744073709551615 94530916257792 94530916263041 140721637314368 0 0 0 0 0 0 0 0 0 "
    "17 1 0 0 0 0 0 94530916273552 94530916274256 94531556663296 140721637317087 "
    "140721637317092 140721637317092 140721637318643 0\n";

static size_t make_stat(char *buf, size_t cap, const char *comm, size_t comm_len)
{
    size_t n = (size_t)snprintf(buf, cap, "4973 (");
    memcpy(buf + n, comm, comm_len);
    n += comm_len;
    n += (size_t)snprintf(buf + n, cap - n, ")%s", STAT_TAIL);
    return n;
}

START_TEST(test_stat_normal)
{
    char buf[1024];
    size_t n = make_stat(buf, sizeof(buf), "bash", 4);
    struct proc_stat_info s;
    ck_assert_int_eq(proc_parse_stat(buf, n, &s), 0);
    ck_assert_int_eq(s.pid, 4973);
    ck_assert_str_eq(s.comm, "bash");
    ck_assert_uint_eq(s.comm_len, 4);
    ck_assert_int_eq(s.state, 'S');
    ck_assert_int_eq(s.ppid, 1);
    ck_assert_int_eq(s.pgrp, 4930);
    ck_assert_int_eq(s.session, 3860);
    ck_assert_int_eq(s.tty_nr, 34816);
    ck_assert_uint_eq(s.flags, 4194560);
    ck_assert_uint_eq(s.utime, 1234);
    ck_assert_uint_eq(s.stime, 567);
    ck_assert_int_eq(s.priority, 20);
    ck_assert_int_eq(s.nice, 0);
    ck_assert_int_eq(s.num_threads, 1);
    ck_assert_uint_eq(s.starttime, 115879);
    ck_assert_uint_eq(s.vsize, 2404352);
    ck_assert_uint_eq(s.rss_pages, 241);
    ck_assert((s.flags & PROC_PF_KTHREAD) == 0);
}
END_TEST

/* comm is between the first '(' and the LAST ')': whatever a process calls itself. */
START_TEST(test_stat_tricky_comm)
{
    static const struct {
        const char *comm;
        size_t len;
    } cases[] = {
        {"a b) (c", 7},
        {") S 99 (", 8},
        {"((", 2},
        {"))", 2},
        {"", 0},
        {"x\ny", 3},
        {"\x01\x1b[31m", 6},
        {"\xff\xfe\xc3", 3},
        {"kworker/u8:2-events_unbound", 27},
        {"tab\there", 8},
        {"1 (2) 3", 7},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char buf[1024];
        size_t n = make_stat(buf, sizeof(buf), cases[i].comm, cases[i].len);
        struct proc_stat_info s;
        ck_assert_msg(proc_parse_stat(buf, n, &s) == 0, "case %zu", i);
        ck_assert_uint_eq(s.comm_len, cases[i].len);
        ck_assert_mem_eq(s.comm, cases[i].comm, cases[i].len);
        ck_assert_int_eq(s.comm[s.comm_len], '\0');
        ck_assert_int_eq(s.state, 'S');
        ck_assert_uint_eq(s.starttime, 115879);
    }
}
END_TEST

START_TEST(test_stat_long_comm_cut)
{
    char comm[200], buf[1024];
    memset(comm, 'n', sizeof(comm));
    size_t n = make_stat(buf, sizeof(buf), comm, sizeof(comm));
    struct proc_stat_info s;
    ck_assert_int_eq(proc_parse_stat(buf, n, &s), 0);
    ck_assert_uint_eq(s.comm_len, PROC_NAME_MAX - 1);
    ck_assert_uint_eq(strlen(s.comm), PROC_NAME_MAX - 1);
    ck_assert_uint_eq(s.utime, 1234);
}
END_TEST

START_TEST(test_stat_kernel_thread_and_zombie)
{
    const char *kt = "2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 12 0 0 20 0 1 0 2 0 0 "
                     "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 1 0 0 0 0 0 "
                     "0 0 0 0 0 0 0 0\n";
    struct proc_stat_info s;
    ck_assert_int_eq(proc_parse_stat(kt, strlen(kt), &s), 0);
    ck_assert(s.flags & PROC_PF_KTHREAD);
    ck_assert_int_eq(s.ppid, 0);
    ck_assert_uint_eq(s.vsize, 0);
    ck_assert_str_eq(s.comm, "kthreadd");

    const char *z = "150 (sleep) Z 100 100 100 34816 -1 4227084 0 0 0 0 1 2 0 0 20 0 1 0 23456 0 "
                    "0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 "
                    "0 17\n";
    ck_assert_int_eq(proc_parse_stat(z, strlen(z), &s), 0);
    ck_assert_int_eq(s.state, 'Z');
    ck_assert((s.flags & PROC_PF_KTHREAD) == 0);
    ck_assert_int_eq(s.ppid, 100);
}
END_TEST

/* Real-time and niced processes: priority and nice go negative. */
START_TEST(test_stat_negative_fields)
{
    const char *rt = "77 (migration/0) S 2 0 0 0 -1 69238848 0 0 0 0 0 3 0 0 -100 -20 1 0 5 0 0 "
                     "18446744073709551615 0 0 0 0 0 0 0 2147483647 0 0 0 0 17 0 99 1 0 0 0 0 0 "
                     "0 0 0 0 0 0\n";
    struct proc_stat_info s;
    ck_assert_int_eq(proc_parse_stat(rt, strlen(rt), &s), 0);
    ck_assert_int_eq(s.priority, -100);
    ck_assert_int_eq(s.nice, -20);
}
END_TEST

/* Every cut of a good line is rejected and leaves the output alone. */
START_TEST(test_stat_truncated_everywhere)
{
    char buf[1024];
    size_t n = make_stat(buf, sizeof(buf), "a b) (c", 7);
    struct proc_stat_info s, ref;
    memset(&ref, 0x5a, sizeof(ref));
    for (size_t cut = 0; cut < n; cut++) {
        memcpy(&s, &ref, sizeof(s));
        ck_assert_msg(proc_parse_stat(buf, cut, &s) == -EINVAL, "cut at %zu", cut);
        ck_assert_msg(memcmp(&s, &ref, sizeof(s)) == 0, "output touched at cut %zu", cut);
    }
    /* a cut that happens to end in a newline still misses fields */
    char shortline[] = "9 (x) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0\n";
    ck_assert_int_eq(proc_parse_stat(shortline, strlen(shortline), &s), -EINVAL);
    /* 24 fields (through rss) and nothing else is the minimum we take */
    char minimal[] = "9 (x) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 4096 1\n";
    ck_assert_int_eq(proc_parse_stat(minimal, strlen(minimal), &s), 0);
    ck_assert_uint_eq(s.rss_pages, 1);
}
END_TEST

START_TEST(test_stat_garbage)
{
    static const char *const bad[] = {
        "",
        "\n",
        "garbage\n",
        "12 bash S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n",   /* no parens */
        "12 )bash( S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n", /* reversed */
        "0 (x) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n",     /* pid 0 */
        "-5 (x) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n",    /* negative pid */
        "x5 (x) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n",    /* junk pid */
        "5 (x) 7 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n",     /* state digit */
        "5 (x) SS 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n",    /* two letters */
        "5 (x) S 1 1 1 0 -1 0 0 0 0 0 5x 6 0 0 20 0 1 0 100 0 0\n",    /* 5x */
        "5 (x) S 1 1 1 0 -1 0 0 0 0 0 99999999999999999999999 6 0 0 20 0 1 0 100 0 0\n",
        "5 (x) S -1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n",          /* ppid -1 */
        "5 (x) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n5 (x) S\n",  /* two lines */
        "5 (x) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 - 0 100 0 0\n",           /* lone minus */
        "5 (x) S 1 1 1 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0 zz\n",        /* junk tail */
        "5 (x) S 1 1 1 0 -1 99999999999 0 0 0 0 5 6 0 0 20 0 1 0 100 0 0\n", /* flags > 32 bit */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct proc_stat_info s;
        ck_assert_msg(proc_parse_stat(bad[i], strlen(bad[i]), &s) == -EINVAL, "case %zu", i);
    }
    struct proc_stat_info s;
    ck_assert_int_eq(proc_parse_stat(NULL, 0, &s), -EINVAL);
}
END_TEST

/* Counters at their limits parse exactly (the probe layer handles them going backwards). */
START_TEST(test_stat_counter_extremes)
{
    const char *line = "5 (x) R 1 1 1 0 -1 0 0 0 0 0 18446744073709551615 0 0 0 20 0 1 0 "
                       "18446744073709551615 0 0\n";
    struct proc_stat_info s;
    ck_assert_int_eq(proc_parse_stat(line, strlen(line), &s), 0);
    ck_assert_uint_eq(s.utime, UINT64_MAX);
    ck_assert_uint_eq(s.stime, 0);
    ck_assert_uint_eq(s.starttime, UINT64_MAX);
}
END_TEST

START_TEST(test_statm)
{
    struct proc_statm_info m, ref;
    const char *ok = "620 330 305 2 0 89 0\n";
    ck_assert_int_eq(proc_parse_statm(ok, strlen(ok), 4096, &m), 0);
    ck_assert_uint_eq(m.size, 620u * 4096);
    ck_assert_uint_eq(m.resident, 330u * 4096);
    ck_assert_uint_eq(m.shared, 305u * 4096);
    ck_assert_int_eq(proc_parse_statm(ok, strlen(ok), 65536, &m), 0);
    ck_assert_uint_eq(m.resident, 330u * 65536);
    const char *zombie = "0 0 0 0 0 0 0\n";
    ck_assert_int_eq(proc_parse_statm(zombie, strlen(zombie), 4096, &m), 0);
    ck_assert_uint_eq(m.size + m.resident + m.shared, 0);

    memset(&ref, 0x5a, sizeof(ref));
    static const char *const bad[] = {
        "",
        "620 330 305 2 0 89 0",
        "620 330\n",
        "620 x 305 2 0 89 0\n",
        "-1 2 3 4 5 6 7\n",
        "9999999999999999999 1 1 1 1 1 1\n", /* overflows as bytes */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(&m, &ref, sizeof(m));
        ck_assert_msg(proc_parse_statm(bad[i], strlen(bad[i]), 4096, &m) == -EINVAL, "case %zu", i);
        ck_assert(memcmp(&m, &ref, sizeof(m)) == 0);
    }
    ck_assert_int_eq(proc_parse_statm(ok, strlen(ok), 0, &m), -EINVAL);
}
END_TEST

static const char STATUS[] = "Name:\ta b) (c\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t200\n"
                             "Pid:\t200\nPPid:\t100\nTracerPid:\t0\n"
                             "Uid:\t1000\t4242\t4243\t4244\nGid:\t100\t101\t102\t103\n"
                             "FDSize:\t64\nGroups:\t4 24 27\nThreads:\t8\nSigQ:\t0/95000\n";

START_TEST(test_status)
{
    struct proc_status_info s;
    ck_assert_int_eq(proc_parse_status(STATUS, strlen(STATUS), &s), 0);
    ck_assert_uint_eq(s.uid[0], 1000);
    ck_assert_uint_eq(s.uid[1], 4242); /* effective: what vigil reports */
    ck_assert_uint_eq(s.uid[2], 4243);
    ck_assert_uint_eq(s.uid[3], 4244);
    ck_assert_uint_eq(s.gid[1], 101);
    ck_assert_int_eq(s.threads, 8);

    /* a zombie's status has no Vm lines but the ids */
    const char *z = "Name:\tsleep\nState:\tZ (zombie)\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n";
    ck_assert_int_eq(proc_parse_status(z, strlen(z), &s), 0);
    ck_assert_uint_eq(s.uid[1], 0);
    ck_assert_int_eq(s.threads, -1);

    static const char *const bad[] = {
        "",
        "Name:\tx\n",
        "Uid:\t1\t2\t3\t4\n",                      /* no Gid */
        "Uid:\t1\t2\t3\nGid:\t1\t2\t3\t4\n",       /* three uids */
        "Uid:\t1\t2\t3\t4\nGid:\t1\t2\t3\t4",      /* Gid line cut */
        "Uid:\t1\tx\t3\t4\nGid:\t1\t2\t3\t4\n",    /* junk */
        "Uid:\t1\t2\t3\t4\t5\nGid:\t1\t2\t3\t4\n", /* five */
        "Uid:\t1\t99999999999\t3\t4\nGid:\t1\t2\t3\t4\n",
        "XUid:\t1\t2\t3\t4\nGid:\t1\t2\t3\t4\n", /* not at a line start */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(proc_parse_status(bad[i], strlen(bad[i]), &s) == -EINVAL, "case %zu", i);
    /* cut right after the Uid line's numbers: rejected, not half-read */
    const char *uid = strstr(STATUS, "Uid:");
    size_t cut = (size_t)(strchr(uid, '\n') - STATUS);
    ck_assert_int_eq(proc_parse_status(STATUS, cut, &s), -EINVAL);
}
END_TEST

START_TEST(test_io)
{
    const char *io = "rchar: 323934931\nwchar: 323929600\nsyscr: 632687\nsyscw: 632675\n"
                     "read_bytes: 4096\nwrite_bytes: 323932160\ncancelled_write_bytes: 77\n";
    struct proc_io_info v;
    ck_assert_int_eq(proc_parse_io(io, strlen(io), &v), 0);
    ck_assert_uint_eq(v.rchar, 323934931);
    ck_assert_uint_eq(v.wchar, 323929600);
    ck_assert_uint_eq(v.syscr, 632687);
    ck_assert_uint_eq(v.syscw, 632675);
    ck_assert_uint_eq(v.read_bytes, 4096);
    ck_assert_uint_eq(v.write_bytes, 323932160);
    ck_assert_uint_eq(v.cancelled_write_bytes, 77);

    const char *big = "rchar: 18446744073709551615\nwchar: 0\nsyscr: 0\nsyscw: 0\n"
                      "read_bytes: 18446744073709551615\nwrite_bytes: 0\n"
                      "cancelled_write_bytes: 0\n";
    ck_assert_int_eq(proc_parse_io(big, strlen(big), &v), 0);
    ck_assert_uint_eq(v.read_bytes, UINT64_MAX);

    static const char *const bad[] = {
        "",
        "rchar: 1\nwchar: 1\nsyscr: 1\nsyscw: 1\nread_bytes: 1\ncancelled_write_bytes: 1\n",
        "rchar: 1\nwchar: 1\nsyscr: 1\nsyscw: 1\nread_bytes: x\nwrite_bytes: 1\n"
        "cancelled_write_bytes: 1\n",
        "rchar: 1\nwchar: 1\nsyscr: 1\nsyscw: 1\nread_bytes: 1\nwrite_bytes: 1\n"
        "cancelled_write_bytes: 1", /* cut */
        "rchar: 1\nwchar: 1\nsyscr: 1\nsyscw: 1\nread_bytes: 18446744073709551616\n"
        "write_bytes: 1\ncancelled_write_bytes: 1\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(proc_parse_io(bad[i], strlen(bad[i]), &v) == -EINVAL, "case %zu", i);
}
END_TEST

START_TEST(test_schedstat)
{
    struct proc_schedstat_info s, ref;
    const char *ok = "7971632 15550029 3\n";
    ck_assert_int_eq(proc_parse_schedstat(ok, strlen(ok), &s), 0);
    ck_assert_uint_eq(s.run_ns, 7971632);
    ck_assert_uint_eq(s.wait_ns, 15550029);
    ck_assert_uint_eq(s.slices, 3);
    const char *off = "0 0 0\n"; /* a kernel with schedstats off */
    ck_assert_int_eq(proc_parse_schedstat(off, strlen(off), &s), 0);
    ck_assert_uint_eq(s.run_ns, 0);
    memset(&ref, 0x5a, sizeof(ref));
    static const char *const bad[] = {
        "",           "1 2 3",   "1 2\n", "1 2 3 4\n", "1 -2 3\n",
        "1 2 3\n4\n", "a b c\n", "\n",    "1  2 x\n",  "99999999999999999999 1 1\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(&s, &ref, sizeof(s));
        ck_assert_msg(proc_parse_schedstat(bad[i], strlen(bad[i]), &s) == -EINVAL, "case %zu", i);
        ck_assert(memcmp(&s, &ref, sizeof(s)) == 0);
    }
}
END_TEST

static void check_args(const char *raw, size_t raw_len, size_t want_argc, const char *const *want)
{
    size_t len, argc;
    proc_parse_cmdline(raw, raw_len, &len, &argc);
    ck_assert_uint_eq(argc, want_argc);
    size_t pos = 0, i = 0;
    const char *arg;
    size_t arg_len;
    if (argc == 0)
        return;
    while (proc_cmdline_next(raw, len, &pos, &arg, &arg_len)) {
        ck_assert_uint_lt(i, want_argc);
        ck_assert_uint_eq(arg_len, strlen(want[i]));
        ck_assert_mem_eq(arg, want[i], arg_len);
        i++;
    }
    ck_assert_uint_eq(i, want_argc);
}

START_TEST(test_cmdline)
{
    check_args("", 0, 0, NULL); /* kernel thread, zombie */
    const char *a1[] = {"/sbin/init", "splash"};
    check_args("/sbin/init\0splash\0", 18, 2, a1);
    const char *a2[] = {"./weird", "", "last"}; /* an empty argument in the middle stays */
    check_args("./weird\0\0last\0", 14, 3, a2);
    const char *a3[] = {""}; /* execve(path, {"", NULL}) */
    check_args("\0", 1, 1, a3);
    const char *a4[] = {"a", ""}; /* only the one trailing empty item is dropped */
    check_args("a\0\0", 3, 2, a4);
    const char *a5[] = {"nginx: master process /usr/sbin/nginx"}; /* setproctitle, no NUL */
    check_args("nginx: master process /usr/sbin/nginx", 37, 1, a5);
    const char *a6[] = {"x\ny", "\xff\xfe"};
    check_args("x\ny\0\xff\xfe\0", 7, 2, a6);
    size_t len, argc;
    proc_parse_cmdline("ab\0", 3, &len, &argc);
    ck_assert_uint_eq(len, 2);
    proc_parse_cmdline(NULL, 5, &len, &argc);
    ck_assert_uint_eq(len, 0);
    ck_assert_uint_eq(argc, 0);
}
END_TEST

START_TEST(test_sys_stat)
{
    const char *st = "cpu  1 2 3 4 5 6 7 8 9 10\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 5 0 0\n"
                     "ctxt 419946036\nbtime 1764100000\nprocesses 1041216\nprocs_running 3\n";
    struct proc_sys_stat_info s;
    ck_assert_int_eq(proc_parse_sys_stat(st, strlen(st), &s), 0);
    ck_assert_uint_eq(s.btime, 1764100000);
    ck_assert_uint_eq(s.forks, 1041216);
    const char *nobtime = "cpu  1 2 3\nprocesses 5\n";
    ck_assert_int_eq(proc_parse_sys_stat(nobtime, strlen(nobtime), &s), -EINVAL);
    const char *cut = "cpu  1 2 3\nbtime 17641";
    ck_assert_int_eq(proc_parse_sys_stat(cut, strlen(cut), &s), -EINVAL);
    const char *noforks = "btime 5\n";
    ck_assert_int_eq(proc_parse_sys_stat(noforks, strlen(noforks), &s), 0);
    ck_assert_uint_eq(s.forks, 0);
}
END_TEST

START_TEST(test_loadavg)
{
    struct proc_loadavg_info l, ref;
    const char *ok = "0.55 0.41 0.33 2/456 12345\n";
    ck_assert_int_eq(proc_parse_loadavg(ok, strlen(ok), &l), 0);
    ck_assert_uint_eq(l.running, 2);
    ck_assert_uint_eq(l.total, 456);
    ck_assert_int_eq(l.last_pid, 12345);
    const char *busy = "123.45 99.00 0.00 1024/65536 4194303\n";
    ck_assert_int_eq(proc_parse_loadavg(busy, strlen(busy), &l), 0);
    ck_assert_int_eq(l.last_pid, 4194303);
    memset(&ref, 0x5a, sizeof(ref));
    static const char *const bad[] = {"",
                                      "0.55 0.41 0.33 2/456 12345",
                                      "0.55 0.41 0.33 2/456\n",
                                      "0.55 0.41 2/456 12345\n",
                                      "0.55 0.41 0.33 2 456 12345\n",
                                      "0.55 0.41 0.33 2/x 12345\n",
                                      "0.55 0.41 0.33 /456 12345\n",
                                      "0.55 0.41 0.33 2/456 12345 7\n",
                                      "0.55 0.41 0.33 2/456 99999999999\n",
                                      "a b c 2/456 12345\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(&l, &ref, sizeof(l));
        ck_assert_msg(proc_parse_loadavg(bad[i], strlen(bad[i]), &l) == -EINVAL, "case %zu", i);
        ck_assert(memcmp(&l, &ref, sizeof(l)) == 0);
    }
}
END_TEST

/* Random bytes and random mutations of good input never crash (ASan/UBSan watch). */
START_TEST(test_fuzz_smoke)
{
    char good[1024];
    size_t n = make_stat(good, sizeof(good), "a b) (c", 7);
    unsigned seed = 12345;
    char buf[1024];
    for (int round = 0; round < 20000; round++) {
        memcpy(buf, good, n);
        size_t len = n;
        for (int k = 0; k < 1 + round % 4; k++) {
            seed = seed * 1103515245u + 12345u;
            buf[(seed >> 8) % len] = (char)(seed >> 16);
        }
        if (round % 3 == 0)
            len = (seed >> 4) % (n + 1);
        struct proc_stat_info s;
        struct proc_statm_info m;
        struct proc_status_info st;
        struct proc_io_info io;
        struct proc_schedstat_info ss;
        struct proc_sys_stat_info sy;
        size_t cl, ca;
        if (proc_parse_stat(buf, len, &s) == 0)
            ck_assert_uint_lt(s.comm_len, PROC_NAME_MAX);
        (void)proc_parse_statm(buf, len, 4096, &m);
        (void)proc_parse_status(buf, len, &st);
        (void)proc_parse_io(buf, len, &io);
        (void)proc_parse_schedstat(buf, len, &ss);
        (void)proc_parse_sys_stat(buf, len, &sy);
        struct proc_loadavg_info la;
        (void)proc_parse_loadavg(buf, len, &la);
        proc_parse_cmdline(buf, len, &cl, &ca);
        ck_assert_uint_le(cl, len);
    }
}
END_TEST

static Suite *proc_parse_suite(void)
{
    Suite *s = suite_create("proc_parse");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_stat_normal);
    tcase_add_test(tc, test_stat_tricky_comm);
    tcase_add_test(tc, test_stat_long_comm_cut);
    tcase_add_test(tc, test_stat_kernel_thread_and_zombie);
    tcase_add_test(tc, test_stat_negative_fields);
    tcase_add_test(tc, test_stat_truncated_everywhere);
    tcase_add_test(tc, test_stat_garbage);
    tcase_add_test(tc, test_stat_counter_extremes);
    tcase_add_test(tc, test_statm);
    tcase_add_test(tc, test_status);
    tcase_add_test(tc, test_io);
    tcase_add_test(tc, test_schedstat);
    tcase_add_test(tc, test_cmdline);
    tcase_add_test(tc, test_sys_stat);
    tcase_add_test(tc, test_loadavg);
    tcase_add_test(tc, test_fuzz_smoke);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(proc_parse_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
