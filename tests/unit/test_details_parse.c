/* The process inspector's pure parsers (details_parse.h) on fixture text copied from a
 * Linux 6.x /proc, plus hostile and truncated variants; and the model's pure helpers
 * (details.h): rates between two reads, names, the zombie message. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "platform/linux/details_parse.h"
#include "probe/details.h"

#define KB     1024
#define S(lit) lit, sizeof(lit) - 1

/* ---- stat ---- */

START_TEST(test_stat_full)
{
    /* comm with spaces and parentheses: only the last ')' ends it */
    static const char line[] =
        "4242 (a) (b c) S 1 4242 4242 34816 4242 4194560 1500 0 3 0 250 75 12 4 20 0 4 0 "
        "123456 20000000 3000 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0 0 "
        "0 0 0 0 0 0\n";
    struct details_stat st;
    ck_assert_int_eq(details_parse_stat(S(line), &st), 0);
    ck_assert_int_eq(st.pid, 4242);
    ck_assert_str_eq(st.comm, "a) (b c");
    ck_assert_int_eq(st.state, 'S');
    ck_assert_int_eq(st.ppid, 1);
    ck_assert_int_eq(st.tty_nr, 34816);
    ck_assert_uint_eq(st.utime, 250);
    ck_assert_uint_eq(st.stime, 75);
    ck_assert_uint_eq(st.cutime, 12);
    ck_assert_uint_eq(st.cstime, 4);
    ck_assert_int_eq(st.priority, 20);
    ck_assert_int_eq(st.nice, 0);
    ck_assert_int_eq(st.num_threads, 4);
    ck_assert_uint_eq(st.starttime, 123456);
    ck_assert_int_eq(st.processor, 1);
    ck_assert_int_eq(st.rt_priority, 0);
    ck_assert_int_eq(st.policy, 0);
}
END_TEST

START_TEST(test_stat_policy_and_old_kernel)
{
    /* SCHED_FIFO (1) with rt_priority 50; priority -51 as the kernel shows it */
    static const char rt[] = "7 (rt) S 1 7 7 0 -1 4194560 0 0 0 0 1 2 0 0 -51 0 1 0 99 0 0 "
                             "18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 3 50 1 0 0 0\n";
    struct details_stat st;
    ck_assert_int_eq(details_parse_stat(S(rt), &st), 0);
    ck_assert_int_eq(st.priority, -51);
    ck_assert_int_eq(st.processor, 3);
    ck_assert_int_eq(st.rt_priority, 50);
    ck_assert_int_eq(st.policy, 1);
    ck_assert_str_eq(details_sched_policy_name(st.policy), "fifo");

    /* a kernel that stops after field 22: the later fields are unknown, not zero */
    static const char old[] = "9 (old) R 1 9 9 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 77\n";
    ck_assert_int_eq(details_parse_stat(S(old), &st), 0);
    ck_assert_uint_eq(st.starttime, 77);
    ck_assert_int_eq(st.policy, -1);
    ck_assert_int_eq(st.processor, -1);
}
END_TEST

START_TEST(test_stat_garbage)
{
    struct details_stat st;
    ck_assert_int_eq(details_parse_stat(S("9 (x) R 1 9 9 0 -1 0 0 0 0 0 5"), &st), -EINVAL);
    ck_assert_int_eq(details_parse_stat(S("9 x R 1"), &st), -EINVAL);
    ck_assert_int_eq(details_parse_stat(S(""), &st), -EINVAL);
    ck_assert_int_eq(
        details_parse_stat(S("9 (x) R 1 9 9 0 -1 0 0 0 0 0 -5 6 0 0 20 0 1 0 77"), &st),
        -EINVAL); /* negative utime */
    ck_assert_int_eq(
        details_parse_stat(S("9 (x) RR 1 9 9 0 -1 0 0 0 0 0 5 6 0 0 20 0 1 0 77"), &st), -EINVAL);
}
END_TEST

/* ---- status ---- */

static const char status_live[] = "Name:\tcat\n"
                                  "Umask:\t0022\n"
                                  "State:\tS (sleeping)\n"
                                  "Tgid:\t7413\n"
                                  "Pid:\t7413\n"
                                  "PPid:\t7408\n"
                                  "TracerPid:\t0\n"
                                  "Uid:\t1000\t1001\t1002\t1003\n"
                                  "Gid:\t100\t101\t102\t103\n"
                                  "FDSize:\t256\n"
                                  "Groups:\t \n"
                                  "VmPeak:\t    3060 kB\n"
                                  "VmSize:\t    3056 kB\n"
                                  "VmLck:\t       4 kB\n"
                                  "VmPin:\t       0 kB\n"
                                  "VmHWM:\t    1700 kB\n"
                                  "VmRSS:\t    1696 kB\n"
                                  "RssAnon:\t     112 kB\n"
                                  "RssFile:\t    1580 kB\n"
                                  "RssShmem:\t       4 kB\n"
                                  "VmData:\t     360 kB\n"
                                  "VmStk:\t     132 kB\n"
                                  "VmExe:\t      20 kB\n"
                                  "VmLib:\t    1528 kB\n"
                                  "VmPTE:\t      44 kB\n"
                                  "VmSwap:\t       8 kB\n"
                                  "HugetlbPages:\t       0 kB\n"
                                  "Threads:\t4\n"
                                  "SigQ:\t0/96364\n"
                                  "Cpus_allowed:\t3\n"
                                  "Cpus_allowed_list:\t0-1\n"
                                  "Mems_allowed_list:\t0\n"
                                  "voluntary_ctxt_switches:\t19\n"
                                  "nonvoluntary_ctxt_switches:\t83\n";

START_TEST(test_status_live)
{
    struct details_status st;
    ck_assert_int_eq(details_parse_status(S(status_live), &st), 0);
    ck_assert_int_eq(st.state, 'S');
    ck_assert_int_eq(st.ppid, 7408);
    ck_assert(st.have_ids);
    ck_assert_uint_eq(st.uid[0], 1000);
    ck_assert_uint_eq(st.uid[1], 1001);
    ck_assert_uint_eq(st.uid[2], 1002);
    ck_assert_uint_eq(st.uid[3], 1003);
    ck_assert_uint_eq(st.gid[0], 100);
    ck_assert_uint_eq(st.gid[3], 103);
    ck_assert_int_eq(st.vm_peak, 3060 * KB);
    ck_assert_int_eq(st.vm_size, 3056 * KB);
    ck_assert_int_eq(st.vm_lck, 4 * KB);
    ck_assert_int_eq(st.vm_hwm, 1700 * KB);
    ck_assert_int_eq(st.vm_rss, 1696 * KB);
    ck_assert_int_eq(st.rss_file, 1580 * KB);
    ck_assert_int_eq(st.rss_shmem, 4 * KB);
    ck_assert_int_eq(st.vm_data, 360 * KB);
    ck_assert_int_eq(st.vm_stk, 132 * KB);
    ck_assert_int_eq(st.vm_exe, 20 * KB);
    ck_assert_int_eq(st.vm_lib, 1528 * KB);
    ck_assert_int_eq(st.vm_pte, 44 * KB);
    ck_assert_int_eq(st.vm_swap, 8 * KB);
    ck_assert_int_eq(st.threads, 4);
    ck_assert_int_eq(st.ctx_voluntary, 19);
    ck_assert_int_eq(st.ctx_involuntary, 83);
    ck_assert_ptr_nonnull(st.cpus_allowed_list);
    ck_assert_int_eq((int)st.cpus_allowed_len, 3);
    ck_assert(memcmp(st.cpus_allowed_list, "0-1", 3) == 0);
}
END_TEST

START_TEST(test_status_zombie)
{
    /* a zombie has no memory: no Vm lines at all */
    static const char z[] = "Name:\tdefunct\nState:\tZ (zombie)\nTgid:\t50\nPid:\t50\nPPid:\t49\n"
                            "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t1\n"
                            "voluntary_ctxt_switches:\t1\nnonvoluntary_ctxt_switches:\t0\n";
    struct details_status st;
    ck_assert_int_eq(details_parse_status(S(z), &st), 0);
    ck_assert_int_eq(st.state, 'Z');
    ck_assert_int_eq(st.ppid, 49);
    ck_assert_int_eq(st.vm_rss, -1);
    ck_assert_int_eq(st.vm_size, -1);
    ck_assert_int_eq(st.vm_swap, -1);
    ck_assert_ptr_null(st.cpus_allowed_list);
    ck_assert_int_eq(st.ctx_voluntary, 1);
}
END_TEST

START_TEST(test_status_garbage)
{
    struct details_status st;
    ck_assert_int_eq(details_parse_status(S("Name:\tx\nPPid:\t1\n"), &st), -EINVAL);
    ck_assert_int_eq(details_parse_status(S("State:\tS\nUid:\t1\t2\n"), &st), -EINVAL);
    ck_assert_int_eq(details_parse_status(S("State:\tS\nVmRSS:\t 12 MB\n"), &st), -EINVAL);
    ck_assert_int_eq(details_parse_status(S("State:\tS\nVmRSS:\tlots kB\n"), &st), -EINVAL);
    /* Uid without Gid: ids unknown, not half filled */
    ck_assert_int_eq(details_parse_status(S("State:\tS\nUid:\t1\t2\t3\t4\n"), &st), 0);
    ck_assert(!st.have_ids);
}
END_TEST

START_TEST(test_cpu_list)
{
    int *cpus = NULL;
    size_t n = 0;
    ck_assert_int_eq(details_parse_cpu_list(S("0-3,8,10-11\n"), &cpus, &n), 0);
    ck_assert_uint_eq(n, 7);
    const int want[] = {0, 1, 2, 3, 8, 10, 11};
    for (size_t i = 0; i < n; i++)
        ck_assert_int_eq(cpus[i], want[i]);
    free(cpus);
    ck_assert_int_eq(details_parse_cpu_list(S("5"), &cpus, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(cpus[0], 5);
    free(cpus);
    /* overlaps are merged, order restored */
    ck_assert_int_eq(details_parse_cpu_list(S("4,0-2,1"), &cpus, &n), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(cpus[3], 4);
    free(cpus);
    const char *bad[] = {"", "3-1", "1,", "a", "1-", "-1", "0-99999999", ",1", "1 2"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(details_parse_cpu_list(bad[i], strlen(bad[i]), &cpus, &n) == -EINVAL,
                      "\"%s\" accepted", bad[i]);
}
END_TEST

/* ---- io ---- */

START_TEST(test_io)
{
    static const char io[] = "rchar: 6976\nwchar: 120\nsyscr: 10\nsyscw: 3\nread_bytes: 4096\n"
                             "write_bytes: 8192\ncancelled_write_bytes: 512\n";
    struct details_io_counters c;
    ck_assert_int_eq(details_parse_io(S(io), &c), 0);
    ck_assert_uint_eq(c.rchar, 6976);
    ck_assert_uint_eq(c.wchar, 120);
    ck_assert_uint_eq(c.syscr, 10);
    ck_assert_uint_eq(c.syscw, 3);
    ck_assert_uint_eq(c.read_bytes, 4096);
    ck_assert_uint_eq(c.write_bytes, 8192);
    ck_assert_uint_eq(c.cancelled_write_bytes, 512);
    /* cut short: the last counter is missing */
    ck_assert_int_eq(details_parse_io(io, sizeof(io) - 1 - 26, &c), -EINVAL);
    ck_assert_int_eq(details_parse_io(S("rchar: x\n"), &c), -EINVAL);
}
END_TEST

/* ---- smaps_rollup, smaps ---- */

static const char rollup[] =
    "55ce0db6b000-7ffdf084a000 ---p 00000000 00:00 0                          [rollup]\n"
    "Rss:                1672 kB\n"
    "Pss:                 251 kB\n"
    "Pss_Dirty:           112 kB\n"
    "Pss_Anon:            112 kB\n"
    "Shared_Clean:       1520 kB\n"
    "Shared_Dirty:          0 kB\n"
    "Private_Clean:        40 kB\n"
    "Private_Dirty:       112 kB\n"
    "Referenced:         1672 kB\n"
    "Swap:                 16 kB\n"
    "SwapPss:               8 kB\n"
    "Locked:                0 kB\n";

START_TEST(test_smaps_rollup)
{
    struct details_rollup r;
    ck_assert_int_eq(details_parse_smaps_rollup(S(rollup), &r), 0);
    ck_assert_uint_eq(r.rss, 1672 * KB);
    ck_assert_uint_eq(r.pss, 251 * KB);
    ck_assert_uint_eq(r.shared_clean, 1520 * KB);
    ck_assert_uint_eq(r.private_clean, 40 * KB);
    ck_assert_uint_eq(r.private_dirty, 112 * KB);
    ck_assert_uint_eq(r.swap, 16 * KB);
    ck_assert_uint_eq(r.swap_pss, 8 * KB);
    /* a kernel thread's file is empty; a file without Pss is not a rollup */
    ck_assert_int_eq(details_parse_smaps_rollup(S(""), &r), -EINVAL);
    ck_assert_int_eq(details_parse_smaps_rollup(S("x ---p 0 0 0 [rollup]\nRss: 4 kB\n"), &r),
                     -EINVAL);
}
END_TEST

/* One mapping: header and the fields the summary reads. */
#define MAPPING(range, rest, size, rss, pss, shc, shd, prc, prd, swap)                             \
    range " " rest "\n"                                                                            \
          "Size:           " size " kB\n"                                                          \
          "KernelPageSize:        4 kB\n"                                                          \
          "Rss:            " rss " kB\n"                                                           \
          "Pss:            " pss " kB\n"                                                           \
          "Shared_Clean:   " shc " kB\n"                                                           \
          "Shared_Dirty:   " shd " kB\n"                                                           \
          "Private_Clean:  " prc " kB\n"                                                           \
          "Private_Dirty:  " prd " kB\n"                                                           \
          "Swap:           " swap " kB\n"                                                          \
          "SwapPss:        0 kB\n"                                                                 \
          "THPeligible:    0\n"                                                                    \
          "VmFlags: rd mr mw me \n"

static const char smaps[] = MAPPING("559734a53000-559734a55000",
                                    "r--p 00000000 fe:00 247498                     /usr/bin/head",
                                    "8", "8", "8", "0", "0", "8", "0", "0")
    MAPPING("559734a55000-559734a5b000",
            "r-xp 00002000 fe:00 247498                     /usr/bin/head", "24", "24", "12", "12",
            "0", "12", "0", "0") MAPPING("55973541c000-55973543d000",
                                         "rw-p 00000000 00:00 0                          [heap]",
                                         "132", "100", "100", "0", "0", "0", "100", "4")
        MAPPING("7f0000000000-7f0000021000", "rw-p 00000000 00:00 0 ", "132", "40", "40", "0", "0",
                "0", "40", "0") MAPPING("7f0000100000-7f0000101000", "rw-p 00000000 00:00 0", "4",
                                        "4", "4", "0", "0", "0", "4", "0")
            MAPPING("7f0000200000-7f0000300000", "r--s 00000000 00:05 99   /tmp/my data (deleted)",
                    "1024", "64", "32", "64", "0", "0", "0", "0")
                MAPPING("7ffd00000000-7ffd00021000",
                        "rw-p 00000000 00:00 0                          [stack]", "132", "12", "12",
                        "0", "0", "0", "12", "0");

START_TEST(test_smaps)
{
    struct details_map *maps = NULL;
    size_t n = 0;
    struct details_rollup tot;
    ck_assert_int_eq(details_parse_smaps(S(smaps), &maps, &n, &tot), 0);
    ck_assert_uint_eq(n, 5); /* head (2 mappings), [heap], [anon] (2), the file, [stack] */
    /* largest rss first */
    ck_assert_str_eq(maps[0].path, "[heap]");
    ck_assert_uint_eq(maps[0].rss, 100 * KB);
    ck_assert_uint_eq(maps[0].private_bytes, 100 * KB);
    ck_assert_uint_eq(maps[0].swap, 4 * KB);
    ck_assert_uint_eq(maps[0].size, 0x21000);
    ck_assert_str_eq(maps[1].path, "/tmp/my data (deleted)");
    ck_assert_uint_eq(maps[1].rss, 64 * KB);
    ck_assert_uint_eq(maps[1].shared_bytes, 64 * KB);
    ck_assert_uint_eq(maps[1].pss, 32 * KB);
    ck_assert_str_eq(maps[2].path, "[anon]");
    ck_assert_uint_eq(maps[2].count, 2);
    ck_assert_uint_eq(maps[2].rss, 44 * KB);
    ck_assert_str_eq(maps[3].path, "/usr/bin/head");
    ck_assert_uint_eq(maps[3].count, 2);
    ck_assert_uint_eq(maps[3].rss, 32 * KB);
    ck_assert_uint_eq(maps[3].private_bytes, 20 * KB);
    ck_assert_uint_eq(maps[3].shared_bytes, 12 * KB);
    ck_assert_uint_eq(maps[3].size, 32 * KB);
    ck_assert_str_eq(maps[4].path, "[stack]");
    ck_assert_uint_eq(tot.rss, (8 + 24 + 100 + 40 + 4 + 64 + 12) * KB);
    ck_assert_uint_eq(tot.private_clean + tot.private_dirty, (8 + 12 + 100 + 40 + 4 + 12) * KB);
    for (size_t i = 0; i < n; i++)
        free(maps[i].path);
    free(maps);

    /* empty (a zombie or kernel thread): no maps, not an error */
    ck_assert_int_eq(details_parse_smaps(S(""), &maps, &n, NULL), 0);
    ck_assert_uint_eq(n, 0);
    free(maps);
    /* a field before any mapping, or a bad value, is garbage */
    ck_assert_int_eq(details_parse_smaps(S("Rss: 4 kB\n"), &maps, &n, NULL), -EINVAL);
    ck_assert_int_eq(
        details_parse_smaps(S("1000-2000 r--p 0 00:00 0\nRss: x kB\n"), &maps, &n, NULL), -EINVAL);
}
END_TEST

/* ---- limits ---- */

static const char limits[] =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max file size             unlimited            unlimited            bytes     \n"
    "Max data size             unlimited            unlimited            bytes     \n"
    "Max stack size            8388608              unlimited            bytes     \n"
    "Max core file size        0                    unlimited            bytes     \n"
    "Max resident set          unlimited            unlimited            bytes     \n"
    "Max processes             96364                96364                processes \n"
    "Max open files            64                   4096                 files     \n"
    "Max locked memory         8388608              8388608              bytes     \n"
    "Max address space         unlimited            unlimited            bytes     \n"
    "Max file locks            unlimited            unlimited            locks     \n"
    "Max pending signals       96364                96364                signals   \n"
    "Max msgqueue size         819200               819200               bytes     \n"
    "Max nice priority         0                    0                    \n"
    "Max realtime priority     0                    0                    \n"
    "Max realtime timeout      unlimited            unlimited            us        \n";

START_TEST(test_limits)
{
    struct details_limit *l = NULL;
    size_t n = 0;
    ck_assert_int_eq(details_parse_limits(S(limits), &l, &n), 0);
    ck_assert_uint_eq(n, 16);
    ck_assert_str_eq(l[0].name, "Max cpu time");
    ck_assert_str_eq(l[0].resource, "cpu");
    ck_assert_uint_eq(l[0].soft, DETAILS_RLIM_INFINITY);
    ck_assert_str_eq(l[0].unit, "seconds");
    ck_assert_str_eq(l[3].resource, "stack");
    ck_assert_uint_eq(l[3].soft, 8388608);
    ck_assert_uint_eq(l[3].hard, DETAILS_RLIM_INFINITY);
    ck_assert_str_eq(l[7].name, "Max open files");
    ck_assert_str_eq(l[7].resource, "nofile");
    ck_assert_uint_eq(l[7].soft, 64);
    ck_assert_uint_eq(l[7].hard, 4096);
    ck_assert_str_eq(l[7].unit, "files");
    ck_assert_str_eq(l[13].resource, "nice");
    ck_assert_str_eq(l[13].unit, ""); /* the kernel prints no unit for priorities */
    ck_assert_str_eq(l[15].resource, "rttime");
    ck_assert_str_eq(l[15].unit, "us");
    free(l);

    /* a limit a future kernel adds keeps its name, without a short resource name */
    static const char future[] = "Limit   Soft Limit  Hard Limit  Units\n"
                                 "Max widgets per fortnight   7   9   widgets\n";
    ck_assert_int_eq(details_parse_limits(S(future), &l, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_str_eq(l[0].name, "Max widgets per fortnight");
    ck_assert_ptr_null(l[0].resource);
    free(l);

    ck_assert_int_eq(details_parse_limits(S("Limit Soft Hard\n"), &l, &n), -EINVAL);
    ck_assert_int_eq(details_parse_limits(S("Limit\nMax open files 64\n"), &l, &n), -EINVAL);
    ck_assert_int_eq(details_parse_limits(S("Limit\nMax open files lots 5 files\n"), &l, &n),
                     -EINVAL);
}
END_TEST

/* ---- children, fd links ---- */

START_TEST(test_pid_list)
{
    pid_t *pids = NULL;
    size_t n = 0;
    ck_assert_int_eq(details_parse_pid_list(S("12 34 "), &pids, &n), 0);
    ck_assert_int_eq(details_parse_pid_list(S("56\n"), &pids, &n), 0); /* appends */
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(pids[0], 12);
    ck_assert_int_eq(pids[2], 56);
    ck_assert_int_eq(details_parse_pid_list(S(""), &pids, &n), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(details_parse_pid_list(S("7 x"), &pids, &n), -EINVAL);
    ck_assert_int_eq(details_parse_pid_list(S("0"), &pids, &n), -EINVAL);
    free(pids);
}
END_TEST

START_TEST(test_fd_targets)
{
    static const struct {
        const char *target;
        int kind;
        uint64_t inode;
    } cases[] = {
        {"socket:[1258999]", DETAILS_FD_SOCKET, 1258999},
        {"pipe:[42]", DETAILS_FD_PIPE, 42},
        {"anon_inode:[eventfd]", DETAILS_FD_ANON, 0},
        {"anon_inode:inotify", DETAILS_FD_ANON, 0},
        {"/dev/null", DETAILS_FD_FILE, 0},
        {"/tmp/x (deleted)", DETAILS_FD_FILE, 0},
        {"net:[4026531840]", DETAILS_FD_OTHER, 0},
        {"socket:[]", DETAILS_FD_OTHER, 0},
        {"socket:[12x]", DETAILS_FD_OTHER, 0},
        {"pipe:", DETAILS_FD_OTHER, 0},
        {"", DETAILS_FD_OTHER, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int kind = -1;
        uint64_t inode = 99;
        details_parse_fd_target(cases[i].target, strlen(cases[i].target), &kind, &inode);
        ck_assert_msg(kind == cases[i].kind, "%s: kind %d", cases[i].target, kind);
        ck_assert_msg(inode == cases[i].inode, "%s: inode %llu", cases[i].target,
                      (unsigned long long)inode);
    }
    ck_assert_str_eq(details_fd_kind_name(DETAILS_FD_SOCKET), "socket");
    ck_assert_str_eq(details_fd_kind_name(DETAILS_FD_ANON), "anon_inode");
}
END_TEST

/* ---- net ---- */

static const char net_tcp[] =
    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode\n"
    "   0: 0100007F:A1DF 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 "
    "1258999 1 0000000000000000 100 0 0 10 0\n"
    "   1: 0100007F:C74E 0100007F:A1DF 01 00000000:00000000 00:00000000 00000000  1000        0 "
    "1259000 1 0000000000000000 20 4 30 10 -1\n"
    "   2: 0200000A:0016 0101A8C0:D431 01 00000000:00000000 02:000A7B1F 00000000     0        0 "
    "555 2 0000000000000000 20 4 1 10 -1\n"
    "   3: 0100007F:A1DF 0100007F:C74E 06 00000000:00000000 03:00001770 00000000     0        0 "
    "0 3 0000000000000000\n";

START_TEST(test_net_tcp)
{
    struct details_conn *c = NULL;
    size_t n = 0;
    ck_assert_int_eq(details_parse_net_inet(S(net_tcp), AF_INET, DETAILS_TCP, NULL, 0, &c, &n), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(c[0].local, "127.0.0.1");
    ck_assert_uint_eq(c[0].local_port, 0xA1DF);
    ck_assert_str_eq(c[0].remote, "0.0.0.0");
    ck_assert_uint_eq(c[0].remote_port, 0);
    ck_assert_str_eq(details_conn_state_name(&c[0]), "LISTEN");
    ck_assert(c[0].listening);
    ck_assert_uint_eq(c[0].inode, 1258999);
    ck_assert_int_eq(c[0].type, SOCK_STREAM);
    ck_assert_int_eq(c[0].fd, -1);
    ck_assert_str_eq(details_conn_state_name(&c[1]), "ESTABLISHED");
    ck_assert(!c[1].listening);
    ck_assert_uint_eq(c[1].remote_port, 0xA1DF);
    /* byte order: 0200000A is 10.0.0.2, 0101A8C0 is 192.168.1.1 */
    ck_assert_str_eq(c[2].local, "10.0.0.2");
    ck_assert_uint_eq(c[2].local_port, 22);
    ck_assert_str_eq(c[2].remote, "192.168.1.1");
    ck_assert_uint_eq(c[2].remote_port, 0xD431);
    ck_assert_str_eq(details_conn_state_name(&c[3]), "TIME_WAIT");
    free(c);

    /* only the process's own inodes (sorted) are kept */
    const uint64_t mine[] = {555, 1259000};
    c = NULL;
    n = 0;
    ck_assert_int_eq(details_parse_net_inet(S(net_tcp), AF_INET, DETAILS_TCP, mine, 2, &c, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(c[0].inode, 1259000);
    ck_assert_uint_eq(c[1].inode, 555);
    free(c);

    /* an IPv6-sized address in the IPv4 table, or a cut line, is garbage */
    c = NULL;
    n = 0;
    ck_assert_int_eq(details_parse_net_inet(S(net_tcp), AF_INET6, DETAILS_TCP, NULL, 0, &c, &n),
                     -EINVAL);
    ck_assert_int_eq(details_parse_net_inet(net_tcp, 150, AF_INET, DETAILS_TCP, NULL, 0, &c, &n),
                     -EINVAL);
    free(c);
}
END_TEST

static const char net_tcp6[] =
    "  sl  local_address                         remote_address                        st "
    "tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
    "   0: 00000000000000000000000001000000:B24F 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 1259003 1 0000000000000000 100 0 0 "
    "10 0\n"
    "   1: B80D0120000000000000000078563412:01BB 0000000000000000FFFF00000100007F:9C40 01 "
    "00000000:00000000 00:00000000 00000000  1000        0 777 1 0000000000000000 20 4 30 10 "
    "-1\n"
    "   2: 000080FE00000000FF005002E2FF54FE:0016 00000000000000000000000000000000:0000 0A "
    "00000000:00000000 00:00000000 00000000     0        0 778 1 0000000000000000 100 0 0 10 0\n";

START_TEST(test_net_tcp6_byte_order)
{
    struct details_conn *c = NULL;
    size_t n = 0;
    ck_assert_int_eq(details_parse_net_inet(S(net_tcp6), AF_INET6, DETAILS_TCP, NULL, 0, &c, &n),
                     0);
    ck_assert_uint_eq(n, 3);
    ck_assert_str_eq(c[0].local, "::1");
    ck_assert_uint_eq(c[0].local_port, 0xB24F);
    ck_assert_str_eq(c[0].remote, "::");
    ck_assert_str_eq(details_conn_state_name(&c[0]), "LISTEN");
    /* four little-endian words: B80D0120 is 2001:0db8, 78563412 is 1234:5678 */
    ck_assert_str_eq(c[1].local, "2001:db8::1234:5678");
    ck_assert_uint_eq(c[1].local_port, 443);
    ck_assert_str_eq(c[1].remote, "::ffff:127.0.0.1");
    ck_assert_uint_eq(c[1].remote_port, 40000);
    ck_assert_int_eq(c[1].family, AF_INET6);
    ck_assert_str_eq(c[2].local, "fe80::250:ff:fe54:ffe2"); /* words 000080FE, ..., E2FF54FE */
    free(c);
}
END_TEST

static const char net_udp[] =
    "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
    "inode ref pointer drops\n"
    "  123: 0100007F:BB03 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 "
    "1259004 2 0000000000000000 0\n"
    "  200: 0100007F:BB04 0100007F:0035 01 00000000:00000000 00:00000000 00000000     0        0 "
    "1259005 2 0000000000000000 0\n";

START_TEST(test_net_udp)
{
    struct details_conn *c = NULL;
    size_t n = 0;
    ck_assert_int_eq(details_parse_net_inet(S(net_udp), AF_INET, DETAILS_UDP, NULL, 0, &c, &n), 0);
    ck_assert_uint_eq(n, 2);
    ck_assert_str_eq(details_conn_state_name(&c[0]), "UNCONN");
    ck_assert(!c[0].listening);
    ck_assert_int_eq(c[0].type, SOCK_DGRAM);
    ck_assert_str_eq(details_conn_proto_name(c[0].proto), "udp");
    ck_assert_str_eq(details_conn_state_name(&c[1]), "ESTABLISHED");
    ck_assert_uint_eq(c[1].remote_port, 53);
    free(c);
}
END_TEST

static const char net_unix[] =
    "Num       RefCount Protocol Flags    Type St Inode Path\n"
    "00000000e175f306: 00000003 00000000 00000000 0001 03   523\n"
    "0000000062ab0d01: 00000002 00000000 00010000 0001 01  9001 /run/my app/ctl.sock\n"
    "00000000b83d74b7: 00000002 00000000 00010000 0005 01  9002 @vigil-abstract\n"
    "0000000011111111: 00000002 00000000 00000000 0002 01  9003 /dev/log\n"
    "0000000022222222: 00000003 00000000 00000000 0001 03  9004 /run/my app/ctl.sock\n";

START_TEST(test_net_unix)
{
    struct details_conn *c = NULL;
    size_t n = 0;
    const uint64_t mine[] = {9001, 9002, 9003, 9004};
    ck_assert_int_eq(details_parse_net_unix(S(net_unix), mine, 4, &c, &n), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_str_eq(c[0].path, "/run/my app/ctl.sock");
    ck_assert(c[0].listening);
    ck_assert_str_eq(details_conn_state_name(&c[0]), "LISTEN");
    ck_assert_int_eq(c[0].type, SOCK_STREAM);
    ck_assert_int_eq(c[0].family, AF_UNIX);
    ck_assert_str_eq(c[1].path, "@vigil-abstract");
    ck_assert_str_eq(details_sock_type_name(c[1].type), "seqpacket");
    ck_assert_str_eq(details_conn_state_name(&c[2]), "UNCONNECTED");
    ck_assert_str_eq(details_sock_type_name(c[2].type), "dgram");
    ck_assert_str_eq(details_conn_state_name(&c[3]), "CONNECTED");
    for (size_t i = 0; i < n; i++)
        free(c[i].path);
    free(c);

    /* a socket without a path (socketpair) */
    c = NULL;
    n = 0;
    const uint64_t anon[] = {523};
    ck_assert_int_eq(details_parse_net_unix(S(net_unix), anon, 1, &c, &n), 0);
    ck_assert_uint_eq(n, 1);
    ck_assert_ptr_null(c[0].path);
    ck_assert_str_eq(details_conn_state_name(&c[0]), "CONNECTED");
    free(c);
    c = NULL;
    n = 0;
    ck_assert_int_eq(details_parse_net_unix(S("Num x\nzz: 1 2\n"), NULL, 0, &c, &n), -EINVAL);
    free(c);
}
END_TEST

/* ---- the model's pure helpers ---- */

START_TEST(test_rates)
{
    struct proc_details a, b;
    proc_details_init(&a);
    proc_details_init(&b);
    a.pid = b.pid = 10;
    a.start_ticks = b.start_ticks = 500;
    a.clk_tck = b.clk_tck = 100;
    a.mono = 1000.0;
    b.mono = 1002.0;
    a.cpu.utime = 100;
    a.cpu.stime = 50;
    b.cpu.utime = 250;
    b.cpu.stime = 100; /* 200 ticks in 2 s: 100 % */
    a.io.read_bytes = 1000;
    b.io.read_bytes = 5000;
    a.io.syscw = 10;
    b.io.syscw = 4; /* went backwards: unknown */
    struct details_thread ta[2] = {{.tid = 10, .start_ticks = 500, .utime = 100},
                                   {.tid = 11, .start_ticks = 600, .utime = 10}};
    struct details_thread tb[3] = {{.tid = 10, .start_ticks = 500, .utime = 150},
                                   {.tid = 11, .start_ticks = 700, .utime = 30}, /* a new 11 */
                                   {.tid = 12, .start_ticks = 800, .utime = 4}};
    a.threads = ta;
    a.n_threads = 2;
    b.threads = tb;
    b.n_threads = 3;
    details_rates_compute(&a, &b);
    ck_assert_double_eq_tol(b.interval, 2.0, 1e-9);
    ck_assert_double_eq_tol(b.cpu.cpu_percent, 100.0, 1e-9);
    ck_assert_double_eq_tol(b.io.read_bytes_rate, 2000.0, 1e-9);
    ck_assert_double_eq_tol(b.io.write_bytes_rate, 0.0, 1e-9);
    ck_assert(b.io.syscw_rate < 0);
    ck_assert_double_eq_tol(tb[0].cpu_percent, 25.0, 1e-9);
    ck_assert(tb[1].cpu_percent < 0); /* same tid, another thread */
    ck_assert(tb[2].cpu_percent < 0);

    /* another process with the same pid: no rates at all */
    b.start_ticks = 501;
    details_rates_compute(&a, &b);
    ck_assert(b.cpu.cpu_percent < 0);
    ck_assert(b.io.read_bytes_rate < 0);
    ck_assert_double_eq(b.interval, 0);
    /* no previous read */
    details_rates_compute(NULL, &b);
    ck_assert(b.cpu.cpu_percent < 0);
    /* the I/O file was unreadable in one of the reads */
    b.start_ticks = 500;
    a.io.err = -EACCES;
    details_rates_compute(&a, &b);
    ck_assert(b.io.read_bytes_rate < 0);
    ck_assert(b.cpu.cpu_percent >= 0);
}
END_TEST

START_TEST(test_names_and_messages)
{
    ck_assert_str_eq(details_sched_policy_name(0), "normal");
    ck_assert_str_eq(details_sched_policy_name(2), "rr");
    ck_assert_str_eq(details_sched_policy_name(3), "batch");
    ck_assert_str_eq(details_sched_policy_name(5), "idle");
    ck_assert_str_eq(details_sched_policy_name(6), "deadline");
    ck_assert_ptr_null(details_sched_policy_name(4));
    ck_assert_str_eq(details_error_text(-EACCES), "permission denied");
    ck_assert_str_eq(details_error_text(0), "");
    ck_assert_ptr_nonnull(strstr(details_error_text(DETAILS_E_ZOMBIE), "zombie"));

    struct proc_details d;
    proc_details_init(&d);
    char msg[512];
    details_zombie_message(&d, msg, sizeof(msg));
    ck_assert_str_eq(msg, "");
    d.zombie = true;
    d.pid = 50;
    d.id.ppid = 49;
    strcpy(d.id.name, "de\nfunct");
    strcpy(d.id.parent_name, "bash");
    details_zombie_message(&d, msg, sizeof(msg));
    ck_assert_ptr_nonnull(strstr(msg, "process 50 (de?funct) is a zombie"));
    ck_assert_ptr_nonnull(strstr(msg, "parent 49 (bash)"));
    ck_assert_ptr_null(strchr(msg, '\n'));
}
END_TEST

static Suite *details_parse_suite(void)
{
    Suite *s = suite_create("details_parse");
    TCase *tc = tcase_create("parsers");
    tcase_add_test(tc, test_stat_full);
    tcase_add_test(tc, test_stat_policy_and_old_kernel);
    tcase_add_test(tc, test_stat_garbage);
    tcase_add_test(tc, test_status_live);
    tcase_add_test(tc, test_status_zombie);
    tcase_add_test(tc, test_status_garbage);
    tcase_add_test(tc, test_cpu_list);
    tcase_add_test(tc, test_io);
    tcase_add_test(tc, test_smaps_rollup);
    tcase_add_test(tc, test_smaps);
    tcase_add_test(tc, test_limits);
    tcase_add_test(tc, test_pid_list);
    tcase_add_test(tc, test_fd_targets);
    tcase_add_test(tc, test_net_tcp);
    tcase_add_test(tc, test_net_tcp6_byte_order);
    tcase_add_test(tc, test_net_udp);
    tcase_add_test(tc, test_net_unix);
    suite_add_tcase(s, tc);
    TCase *model = tcase_create("model");
    tcase_add_test(model, test_rates);
    tcase_add_test(model, test_names_and_messages);
    suite_add_tcase(s, model);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(details_parse_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
