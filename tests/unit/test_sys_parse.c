/* Parsers of the system-wide /proc files, fed fixture text, cut-off text and garbage. */
#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/linux/sys_parse.h"

#define KB 1024ull

static const char stat_text[] =
    "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0\n"
    "cpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0\n"
    "cpu1 1335401 31584 390813 13387364 2744 0 2407 0 20765 0\n"
    "cpu2 1400322 32906 383236 13363524 4086 0 2156 0 21283 0\n"
    "cpu3 1464316 39826 442604 13341440 2108 0 1204 0 25133 0\n"
    "intr 199292185 8 0 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0\n"
    "ctxt 419946036\n"
    "btime 1764100000\n"
    "processes 1041216\n"
    "procs_running 3\n"
    "procs_blocked 0\n"
    "softirq 86290327 2 15183025 34 3101473 1180010 0 214227 19284372 2 47327182\n";

/* Parses exactly len bytes copied into a buffer of that size, so ASan sees any read
 * past the end (the real buffers are not NUL-terminated at len either). */
static int stat_parse_exact(const char *text, size_t len, struct sys_stat *st)
{
    char *buf = malloc(len ? len : 1);
    memcpy(buf, text, len);
    int r = sys_stat_parse(buf, len, st);
    free(buf);
    return r;
}

START_TEST(test_stat_full)
{
    struct sys_stat st;
    ck_assert_int_eq(stat_parse_exact(stat_text, strlen(stat_text), &st), 0);
    ck_assert_uint_eq(st.total.ticks[CPU_USER], 10132153);
    ck_assert_uint_eq(st.total.ticks[CPU_NICE], 290696);
    ck_assert_uint_eq(st.total.ticks[CPU_SYSTEM], 3084719);
    ck_assert_uint_eq(st.total.ticks[CPU_IDLE], 46828483);
    ck_assert_uint_eq(st.total.ticks[CPU_IOWAIT], 16683);
    ck_assert_uint_eq(st.total.ticks[CPU_IRQ], 0);
    ck_assert_uint_eq(st.total.ticks[CPU_SOFTIRQ], 25195);
    ck_assert_uint_eq(st.total.ticks[CPU_STEAL], 0);
    ck_assert_uint_eq(st.total.ticks[CPU_GUEST], 175628);
    ck_assert_uint_eq(st.total.ticks[CPU_GUEST_NICE], 0);
    ck_assert_uint_eq(st.n_cpus, 4);
    for (int i = 0; i < 4; i++)
        ck_assert_int_eq(st.cpus[i].id, i);
    ck_assert_uint_eq(st.cpus[2].times.ticks[CPU_USER], 1400322);
    ck_assert_uint_eq(st.cpus[3].times.ticks[CPU_GUEST], 25133);
    ck_assert_uint_eq(st.cpus[1].times.ticks[CPU_SOFTIRQ], 2407);
    ck_assert_uint_eq(st.btime, 1764100000);
    ck_assert(st.have_procs_running);
    ck_assert_uint_eq(st.procs_running, 3);
    sys_stat_done(&st);
    ck_assert_ptr_null(st.cpus);
    sys_stat_done(NULL);
}
END_TEST

START_TEST(test_stat_old_kernel_and_gaps)
{
    /* 2.4-era lines have 4 modes, 2.6.11 has 8; missing trailing modes read 0. Offline
     * CPUs leave gaps in the numbering; procs_running may be absent. */
    const char *t = "cpu  100 2 30 400\n"
                    "cpu0 50 1 15 200 7 8 9\n"
                    "cpu5 50 1 15 200\n"
                    "btime 5\n";
    struct sys_stat st;
    ck_assert_int_eq(stat_parse_exact(t, strlen(t), &st), 0);
    ck_assert_uint_eq(st.total.ticks[CPU_IDLE], 400);
    ck_assert_uint_eq(st.total.ticks[CPU_IOWAIT], 0);
    ck_assert_uint_eq(st.total.ticks[CPU_GUEST_NICE], 0);
    ck_assert_uint_eq(st.n_cpus, 2);
    ck_assert_uint_eq(st.cpus[0].times.ticks[CPU_SOFTIRQ], 9);
    ck_assert_uint_eq(st.cpus[0].times.ticks[CPU_STEAL], 0);
    ck_assert_int_eq(st.cpus[1].id, 5);
    ck_assert(!st.have_procs_running);
    ck_assert_uint_eq(st.procs_running, 0);
    sys_stat_done(&st);

    /* a future kernel's extra mode is ignored, not an error */
    t = "cpu  1 2 3 4 5 6 7 8 9 10 11\nbtime 1\n";
    ck_assert_int_eq(stat_parse_exact(t, strlen(t), &st), 0);
    ck_assert_uint_eq(st.total.ticks[CPU_GUEST_NICE], 10);
    sys_stat_done(&st);
}
END_TEST

START_TEST(test_stat_garbage)
{
    static const char *const bad[] = {
        "",
        "hello world\n",
        "cpu  1 2 3\nbtime 1\n",                      /* fewer than 4 modes */
        "cpu  1 2 x 4\nbtime 1\n",                    /* not a number */
        "cpu  1 2 3 4x\nbtime 1\n",                   /* trailing junk on a number */
        "cpu  1 2 3 4 5 6 7 8 9 10 z\nbtime 1\n",     /* junk after the known modes */
        "cpu  1 2 3 4\nbtime\n",                      /* btime without value */
        "cpu  1 2 3 4\n",                             /* cut before btime */
        "cpu0 1 2 3 4\nbtime 1\n",                    /* no total line */
        "cpu  1 2 3 4\ncpu  1 2 3 4\nbtime 1\n",      /* two totals */
        "cpu  1 2 3 4\ncpux 1 2 3 4\nbtime 1\n",      /* not cpuN */
        "cpu  1 2 3 4\ncpu0\nbtime 1\n",              /* cpuN without fields */
        "cpu  99999999999999999999 2 3 4\nbtime 1\n", /* overflows 64 bits */
        "cpu  1 2 3 4\nbtime 99999999999999999999\n", /* overflows 64 bits */
        "cpu  1 2 3 4\nbtime 1\nprocs_running abc\n", /* garbage procs_running */
        "cpu  1 2 3 4\nbtime 1\nprocs_running 5000000000\n",
        "cpu  1 2 3 4\nbtime 17",   /* btime cut off */
        "cpu  1 2 3 -4\nbtime 1\n", /* negative */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sys_stat st;
        int r = stat_parse_exact(bad[i], strlen(bad[i]), &st);
        ck_assert_msg(r == -EINVAL, "case %zu: %d", i, r);
        ck_assert_ptr_null(st.cpus);
    }
}
END_TEST

START_TEST(test_stat_every_prefix)
{
    /* A read cut anywhere either fails cleanly or, once btime is in, yields every cpu */
    size_t full = strlen(stat_text);
    const char *btime_end = strstr(stat_text, "btime 1764100000\n") + 17;
    for (size_t len = 0; len <= full; len++) {
        struct sys_stat st;
        int r = stat_parse_exact(stat_text, len, &st);
        /* a cut inside a line the parser uses is garbage too */
        const char *ls = stat_text + len;
        while (ls > stat_text && ls[-1] != '\n')
            ls--;
        bool cut_used = (size_t)(stat_text + len - ls) >= 14 && !strncmp(ls, "procs_running ", 14);
        if (len < (size_t)(btime_end - stat_text) || cut_used) {
            ck_assert_msg(r == -EINVAL, "prefix %zu gave %d", len, r);
        } else {
            ck_assert_msg(r == 0, "prefix %zu gave %d", len, r);
            ck_assert_uint_eq(st.n_cpus, 4);
            ck_assert_uint_eq(st.btime, 1764100000);
            sys_stat_done(&st);
        }
    }
}
END_TEST

static const char meminfo_text[] = "MemTotal:       16315612 kB\n"
                                   "MemFree:         8123456 kB\n"
                                   "MemAvailable:   12345678 kB\n"
                                   "Buffers:          234567 kB\n"
                                   "Cached:          3456789 kB\n"
                                   "SwapCached:         1024 kB\n"
                                   "SwapTotal:       2097148 kB\n"
                                   "SwapFree:        1048574 kB\n"
                                   "Shmem:            123456 kB\n"
                                   "SReclaimable:     345678 kB\n"
                                   "HugePages_Total:       0\n"
                                   "Hugepagesize:       2048 kB\n";

static int meminfo_parse_exact(const char *text, size_t len, struct sys_meminfo *mi)
{
    char *buf = malloc(len ? len : 1);
    memcpy(buf, text, len);
    int r = sys_meminfo_parse(buf, len, mi);
    free(buf);
    return r;
}

START_TEST(test_meminfo)
{
    struct sys_meminfo mi;
    ck_assert_int_eq(meminfo_parse_exact(meminfo_text, strlen(meminfo_text), &mi), 0);
    ck_assert_uint_eq(mi.mem_total, 16315612 * KB);
    ck_assert_uint_eq(mi.mem_free, 8123456 * KB);
    ck_assert(mi.have_available);
    ck_assert_uint_eq(mi.mem_available, 12345678 * KB);
    ck_assert_uint_eq(mi.buffers, 234567 * KB);
    ck_assert_uint_eq(mi.cached, 3456789 * KB); /* not SwapCached */
    ck_assert_uint_eq(mi.sreclaimable, 345678 * KB);
    ck_assert_uint_eq(mi.shmem, 123456 * KB);
    ck_assert_uint_eq(mi.swap_total, 2097148 * KB);
    ck_assert_uint_eq(mi.swap_free, 1048574 * KB);

    struct mem_info m;
    sys_mem_compute(&mi, &m);
    ck_assert_uint_eq(m.total, 16315612 * KB);
    ck_assert_uint_eq(m.available, 12345678 * KB);
    ck_assert_uint_eq(m.used, (16315612 - 12345678) * KB);
    ck_assert_uint_eq(m.free, 8123456 * KB);
    ck_assert_uint_eq(m.buffers, 234567 * KB);
    ck_assert_uint_eq(m.cached, (3456789 + 345678) * KB);
    ck_assert_uint_eq(m.shared, 123456 * KB);
    ck_assert_uint_eq(m.swap_used, (2097148 - 1048574) * KB);
    ck_assert_uint_eq(m.swap_free, 1048574 * KB);
}
END_TEST

START_TEST(test_meminfo_old_kernel_and_containers)
{
    /* before 3.14 there is no MemAvailable: free(1) falls back to MemFree */
    const char *t = "MemTotal: 1000 kB\nMemFree: 300 kB\nBuffers: 100 kB\nCached: 200 kB\n";
    struct sys_meminfo mi;
    struct mem_info m;
    ck_assert_int_eq(meminfo_parse_exact(t, strlen(t), &mi), 0);
    ck_assert(!mi.have_available);
    sys_mem_compute(&mi, &m);
    ck_assert_uint_eq(m.available, 300 * KB);
    ck_assert_uint_eq(m.used, 700 * KB);
    ck_assert_uint_eq(m.swap_total, 0);
    ck_assert_uint_eq(m.swap_used, 0);

    /* inside some containers MemAvailable exceeds MemTotal: MemFree again */
    t = "MemTotal: 1000 kB\nMemFree: 400 kB\nMemAvailable: 5000 kB\n"
        "SwapTotal: 10 kB\nSwapFree: 20 kB\n";
    ck_assert_int_eq(meminfo_parse_exact(t, strlen(t), &mi), 0);
    sys_mem_compute(&mi, &m);
    ck_assert_uint_eq(m.available, 400 * KB);
    ck_assert_uint_eq(m.used, 600 * KB);
    ck_assert_uint_eq(m.swap_used, 0); /* never wraps around */

    /* MemAvailable 0 is what procps treats as missing */
    t = "MemTotal: 1000 kB\nMemFree: 250 kB\nMemAvailable: 0 kB\n";
    ck_assert_int_eq(meminfo_parse_exact(t, strlen(t), &mi), 0);
    sys_mem_compute(&mi, &m);
    ck_assert_uint_eq(m.used, 750 * KB);
}
END_TEST

/* Whether a read of len bytes stops inside the value of a key the parser uses. */
static bool cut_inside_key(const char *text, size_t len)
{
    static const char *const keys[] = {"MemTotal", "MemFree",   "MemAvailable",
                                       "Buffers",  "Cached",    "SReclaimable",
                                       "Shmem",    "SwapTotal", "SwapFree"};
    const char *ls = text + len;
    while (ls > text && ls[-1] != '\n')
        ls--;
    const char *colon = memchr(ls, ':', (size_t)(text + len - ls));
    if (!colon)
        return false;
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
        if (strlen(keys[k]) == (size_t)(colon - ls) && !memcmp(ls, keys[k], strlen(keys[k])))
            return true;
    return false;
}

START_TEST(test_meminfo_garbage)
{
    static const char *const bad[] = {
        "",
        "nothing here\n",
        "MemFree: 1 kB\n",                                 /* no MemTotal */
        "MemTotal: 1 kB\n",                                /* no MemFree */
        "MemTotal: x kB\nMemFree: 1 kB\n",                 /* not a number */
        "MemTotal: 1\nMemFree: 1 kB\n",                    /* no unit */
        "MemTotal: 1 MB\nMemFree: 1 kB\n",                 /* unknown unit */
        "MemTotal: 1 kB\nMemFree: 1 kB\nMemTotal: 2 kB\n", /* twice */
        "MemTotal: 99999999999999999999 kB\nMemFree: 1 kB\n",
        "MemTotal: 18014398509481984 kB\nMemFree: 1 kB\n", /* * 1024 overflows */
        "MemTotal: 1000 kB\nMemFree: 12",                  /* cut off */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sys_meminfo mi;
        int r = meminfo_parse_exact(bad[i], strlen(bad[i]), &mi);
        ck_assert_msg(r == -EINVAL, "case %zu: %d", i, r);
    }
    /* every prefix: no crash, and success only once both required keys are whole */
    size_t full = strlen(meminfo_text);
    size_t need = (size_t)(strstr(meminfo_text, "MemAvailable") - meminfo_text);
    for (size_t len = 0; len <= full; len++) {
        struct sys_meminfo mi;
        int r = meminfo_parse_exact(meminfo_text, len, &mi);
        ck_assert_int_eq(r, len < need || cut_inside_key(meminfo_text, len) ? -EINVAL : 0);
    }
}
END_TEST

START_TEST(test_loadavg_uptime)
{
    double load[3];
    const char *t = "0.52 0.41 0.30 2/345 67890\n";
    ck_assert_int_eq(sys_loadavg_parse(t, strlen(t), load), 0);
    ck_assert_double_eq_tol(load[0], 0.52, 1e-12);
    ck_assert_double_eq_tol(load[1], 0.41, 1e-12);
    ck_assert_double_eq_tol(load[2], 0.30, 1e-12);
    t = "41.51 138.89 1016.73 1/1 1\n";
    ck_assert_int_eq(sys_loadavg_parse(t, strlen(t), load), 0);
    ck_assert_double_eq_tol(load[2], 1016.73, 1e-9);

    static const char *const bad_load[] = {"",
                                           "0.52 0.41",
                                           "0.52 0.41 0.3",
                                           "a b c d\n",
                                           "0.52 -0.41 0.30 1/2 3\n",
                                           "0.52,0.41,0.30 1/2 3\n"};
    for (size_t i = 0; i < sizeof(bad_load) / sizeof(bad_load[0]); i++)
        ck_assert_msg(sys_loadavg_parse(bad_load[i], strlen(bad_load[i]), load) == -EINVAL,
                      "loadavg case %zu", i);

    double up;
    t = "10000.50 35000.25\n";
    ck_assert_int_eq(sys_uptime_parse(t, strlen(t), &up), 0);
    ck_assert_double_eq_tol(up, 10000.5, 1e-9);
    t = "7 14\n";
    ck_assert_int_eq(sys_uptime_parse(t, strlen(t), &up), 0);
    ck_assert_double_eq(up, 7);
    ck_assert_int_eq(sys_uptime_parse("", 0, &up), -EINVAL);
    ck_assert_int_eq(sys_uptime_parse("10000.5", 7, &up), -EINVAL); /* cut off */
    ck_assert_int_eq(sys_uptime_parse("up 5\n", 5, &up), -EINVAL);
    /* only len bytes count, whatever follows in memory */
    ck_assert_int_eq(sys_uptime_parse("12.5 3\n", 3, &up), -EINVAL);
}
END_TEST

START_TEST(test_cpuinfo_topology)
{
    /* two packages, each 2 cores with 2 threads (hyperthreads share a core id) */
    char text[4096] = "";
    int phys_of[8] = {0, 0, 0, 0, 1, 1, 1, 1};
    int core_of[8] = {0, 1, 0, 1, 0, 1, 0, 1};
    for (int i = 0; i < 8; i++) {
        char block[300];
        snprintf(block, sizeof(block),
                 "processor\t: %d\nvendor_id\t: GenuineIntel\nmodel name\t: Fake CPU @ 2.0GHz\n"
                 "physical id\t: %d\nsiblings\t: 4\ncore id\t\t: %d\ncpu cores\t: 2\n"
                 "flags\t\t: fpu vme\n\n",
                 i, phys_of[i], core_of[i]);
        strcat(text, block);
    }
    int physical = -1, sockets = -1;
    ck_assert_int_eq(sys_cpuinfo_topology(text, strlen(text), &physical, &sockets), 0);
    ck_assert_int_eq(physical, 4);
    ck_assert_int_eq(sockets, 2);

    /* aarch64 style: no physical id / core id at all, which means "unknown" */
    const char *arm = "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\n\n"
                      "processor\t: 1\nBogoMIPS\t: 50.00\n\n";
    ck_assert_int_eq(sys_cpuinfo_topology(arm, strlen(arm), &physical, &sockets), 0);
    ck_assert_int_eq(physical, 0);
    ck_assert_int_eq(sockets, 0);

    const char *bad = "processor\t: 0\nphysical id\t: zero\ncore id\t: 0\n";
    ck_assert_int_eq(sys_cpuinfo_topology(bad, strlen(bad), &physical, &sockets), -EINVAL);
    ck_assert_int_eq(physical, 0);
    ck_assert_int_eq(sys_cpuinfo_topology("", 0, &physical, &sockets), 0);
    ck_assert_int_eq(physical, 0);
}
END_TEST

START_TEST(test_topology_count)
{
    /* core ids repeat across dies and packages: a core is the whole triple */
    struct cpu_topo t[] = {
        {0, 0, 0}, {0, 0, 1}, {0, 1, 0}, {0, 1, 1}, /* package 0: two dies of 2 cores */
        {1, 0, 0}, {1, 0, 0},                       /* package 1: one core, 2 threads */
    };
    int physical, sockets;
    sys_topology_count(t, 6, &physical, &sockets);
    ck_assert_int_eq(physical, 5);
    ck_assert_int_eq(sockets, 2);

    /* package unknown (-1, as some arm VMs say): cores still count, sockets do not */
    struct cpu_topo u[] = {{-1, -1, 0}, {-1, -1, 1}, {-1, -1, 1}};
    sys_topology_count(u, 3, &physical, &sockets);
    ck_assert_int_eq(physical, 2);
    ck_assert_int_eq(sockets, 0);

    sys_topology_count(NULL, 0, &physical, &sockets);
    ck_assert_int_eq(physical, 0);
    ck_assert_int_eq(sockets, 0);
}
END_TEST

START_TEST(test_line_parse)
{
    char out[8];
    ck_assert_int_eq(sys_line_parse("host\n", 5, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "host");
    ck_assert_int_eq(sys_line_parse("a b c", 5, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "a b c");
    ck_assert_int_eq(sys_line_parse("verylonghostname\n", 17, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "verylon"); /* clipped, still terminated */
    ck_assert_int_eq(sys_line_parse("\n", 1, out, sizeof(out)), -EINVAL);
    ck_assert_int_eq(sys_line_parse("", 0, out, sizeof(out)), -EINVAL);
    ck_assert_int_eq(sys_line_parse("a\0b\n", 4, out, sizeof(out)), -EINVAL);
}
END_TEST

START_TEST(test_random_bytes_never_crash)
{
    /* a poor man's fuzzer: random bytes biased toward the files' own alphabet */
    static const char alphabet[] = "cpu0123456789 \n\tbtimeMemTotalFree:kB.procs_running/";
    unsigned seed = 12345;
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = (size_t)(rand_r(&seed) % 200);
        char *buf = malloc(len ? len : 1);
        for (size_t i = 0; i < len; i++)
            buf[i] = rand_r(&seed) % 4 ? alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)]
                                       : (char)rand_r(&seed);
        struct sys_stat st;
        if (sys_stat_parse(buf, len, &st) == 0)
            sys_stat_done(&st);
        struct sys_meminfo mi;
        (void)sys_meminfo_parse(buf, len, &mi);
        double load[3], up;
        (void)sys_loadavg_parse(buf, len, load);
        (void)sys_uptime_parse(buf, len, &up);
        int a, b;
        (void)sys_cpuinfo_topology(buf, len, &a, &b);
        char line[16];
        (void)sys_line_parse(buf, len, line, sizeof(line));
        free(buf);
    }
}
END_TEST

static Suite *sys_parse_suite(void)
{
    Suite *s = suite_create("sys_parse");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_stat_full);
    tcase_add_test(tc, test_stat_old_kernel_and_gaps);
    tcase_add_test(tc, test_stat_garbage);
    tcase_add_test(tc, test_stat_every_prefix);
    tcase_add_test(tc, test_meminfo);
    tcase_add_test(tc, test_meminfo_old_kernel_and_containers);
    tcase_add_test(tc, test_meminfo_garbage);
    tcase_add_test(tc, test_loadavg_uptime);
    tcase_add_test(tc, test_cpuinfo_topology);
    tcase_add_test(tc, test_topology_count);
    tcase_add_test(tc, test_line_parse);
    tcase_add_test(tc, test_random_bytes_never_crash);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(sys_parse_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
