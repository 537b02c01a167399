/* The whole probe layer on fixture trees (tests/fixtures/tree*): probe_new with the
 * fixture's /proc and /sys roots, then probe_sample, checked against the fixture text. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "probe/probe.h"
#include "probe/snapshot.h"

#define KB 1024ull

static struct probe *open_tree(const char *dir, bool procs)
{
    static char proc[512], sys[512];
    snprintf(proc, sizeof(proc), "%s/proc", dir);
    snprintf(sys, sizeof(sys), "%s/sys", dir);
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.proc_root = proc;
    cfg.sys_root = sys;
    cfg.clk_tck = 100;
    cfg.page_size = 4096;
    cfg.want_procs = procs;
    cfg.want_ifaces = false; /* interfaces come from netlink too: not part of a fixture */
    int err = 1;
    struct probe *p = probe_new(&cfg, &err);
    ck_assert_msg(p != NULL, "probe_new(%s): %d", dir, err);
    ck_assert_int_eq(err, 0);
    return p;
}

START_TEST(test_tree1_host_cpu_mem)
{
    struct probe *p = open_tree(FIXTURE_DIR "/tree1", false);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);

    ck_assert_str_eq(s.host.hostname, "fixture-host");
    ck_assert_str_eq(s.host.kernel, "6.1.0-18-amd64");
    ck_assert_double_eq(s.host.boot_time, 1764100000.0);
    ck_assert_double_eq_tol(s.host.uptime, 10000.50, 1e-9);
    ck_assert_double_eq_tol(s.host.load[0], 0.52, 1e-9);
    ck_assert_double_eq_tol(s.host.load[1], 0.41, 1e-9);
    ck_assert_double_eq_tol(s.host.load[2], 0.30, 1e-9);
    ck_assert_uint_eq(s.host.procs_running, 3);

    /* 4 cpuN lines; topology: 2 cores x 2 threads on one package */
    ck_assert_int_eq(s.cpu.logical, 4);
    ck_assert_int_eq(s.cpu.physical, 2);
    ck_assert_int_eq(s.cpu.sockets, 1);
    ck_assert_uint_eq(s.cpu.n_cpu, 4);
    ck_assert_int_eq(s.cpu.total.id, -1);
    ck_assert_uint_eq(s.cpu.total.times.ticks[CPU_USER], 10132153);
    ck_assert_uint_eq(s.cpu.total.times.ticks[CPU_GUEST], 175628);
    ck_assert_int_eq(s.cpu.per_cpu[3].id, 3);
    ck_assert_uint_eq(s.cpu.per_cpu[3].times.ticks[CPU_SYSTEM], 442604);
    ck_assert(!s.cpu.total.pct.valid); /* first sample: nothing to compare with */
    ck_assert_double_eq(s.interval, 0);

    ck_assert_uint_eq(s.mem.total, 16315612 * KB);
    ck_assert_uint_eq(s.mem.free, 8123456 * KB);
    ck_assert_uint_eq(s.mem.available, 12345678 * KB);
    ck_assert_uint_eq(s.mem.used, (16315612 - 12345678) * KB);
    ck_assert_uint_eq(s.mem.buffers, 234567 * KB);
    ck_assert_uint_eq(s.mem.cached, (3456789 + 345678) * KB);
    ck_assert_uint_eq(s.mem.shared, 123456 * KB);
    ck_assert_uint_eq(s.mem.swap_total, 2097148 * KB);
    ck_assert_uint_eq(s.mem.swap_free, 1048574 * KB);
    ck_assert_uint_eq(s.mem.swap_used, (2097148 - 1048574) * KB);

    ck_assert(s.time > 1e9);
    ck_assert(s.mono > 0);
    snapshot_done(&s);
    probe_free(p);
}
END_TEST

START_TEST(test_tree2_two_sockets_old_kernel)
{
    /* 2 packages x 2 cores x 2 threads, core ids repeating across packages, cpu5
     * offline (not in /proc/stat, still in sysfs); an old kernel: 8 modes per line and
     * no MemAvailable */
    struct probe *p = open_tree(FIXTURE_DIR "/tree2", false);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    ck_assert_str_eq(s.host.hostname, "two-socket");
    ck_assert_str_eq(s.host.kernel, "2.6.32-754.el6.x86_64");
    ck_assert_double_eq(s.host.boot_time, 1700000000.0);
    ck_assert_double_eq_tol(s.host.uptime, 86400.0, 1e-9);
    ck_assert_double_eq_tol(s.host.load[0], 12.0, 1e-9);
    ck_assert_double_eq_tol(s.host.load[2], 4.25, 1e-9);
    ck_assert_uint_eq(s.host.procs_running, 9);

    ck_assert_int_eq(s.cpu.logical, 7);
    ck_assert_int_eq(s.cpu.physical, 4);
    ck_assert_int_eq(s.cpu.sockets, 2);
    ck_assert_int_eq(s.cpu.per_cpu[5].id, 6);
    ck_assert_uint_eq(s.cpu.per_cpu[5].times.ticks[CPU_IDLE], 1800);
    ck_assert_uint_eq(s.cpu.total.times.ticks[CPU_GUEST], 0);

    ck_assert_uint_eq(s.mem.total, 65536000 * KB);
    ck_assert_uint_eq(s.mem.available, 16384000 * KB); /* MemFree stands in */
    ck_assert_uint_eq(s.mem.used, (65536000 - 16384000) * KB);
    ck_assert_uint_eq(s.mem.cached, (8192000 + 1024000) * KB);
    ck_assert_uint_eq(s.mem.shared, 51200 * KB);
    ck_assert_uint_eq(s.mem.swap_total, 0);
    ck_assert_uint_eq(s.mem.swap_used, 0);
    snapshot_done(&s);
    probe_free(p);
}
END_TEST

START_TEST(test_tree3_cpuinfo_fallback)
{
    /* sysfs has the cpu directories but no topology: /proc/cpuinfo's physical id and
     * core id pairs count instead (2 packages x 2 cores) */
    struct probe *p = open_tree(FIXTURE_DIR "/tree3", false);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    ck_assert_str_eq(s.host.hostname, "no-topology");
    ck_assert_int_eq(s.cpu.logical, 4);
    ck_assert_int_eq(s.cpu.physical, 4);
    ck_assert_int_eq(s.cpu.sockets, 2);
    ck_assert_uint_eq(s.mem.used, (2048000 - 1536000) * KB);
    ck_assert_uint_eq(s.mem.swap_free, 1048576 * KB);
    ck_assert_uint_eq(s.mem.swap_used, 0);
    snapshot_done(&s);
    probe_free(p);
}
END_TEST

/* A scratch copy of a fixture tree, so a test can change files between two samples. */
static void copy_tree(const char *from, char *to, size_t cap)
{
    snprintf(to, cap, "/tmp/vigil-fixture-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(to));
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "cp -R '%s/.' '%s/'", from, to);
    ck_assert_int_eq(system(cmd), 0);
}

static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_two_samples_exact_cpu)
{
    char dir[256];
    copy_tree(FIXTURE_DIR "/tree1", dir, sizeof(dir));
    struct probe *p = open_tree(dir, false);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    ck_assert_int_eq(probe_sample(p, &a), 0);

    /* Second reading: total +1000 ticks (user 300, nice 0, system 100, idle 500,
     * iowait 50, irq 10, softirq 40; guest +200 inside user, not on top). cpu0 +100
     * (user 25 system 25 idle 50). cpu1's idle went backwards (a hotplug reset): that
     * mode counts 0. cpu2 unchanged: no tick elapsed. cpu3 went offline. */
    write_file(dir, "proc/stat",
               "cpu  10132453 290696 3084819 46828983 16733 10 25235 0 175828 0\n"
               "cpu0 1393305 32966 572081 13343342 6130 0 17875 0 23933 0\n"
               "cpu1 1335501 31584 390813 13387000 2744 0 2407 0 20765 0\n"
               "cpu2 1400322 32906 383236 13363524 4086 0 2156 0 21283 0\n"
               "intr 199292185 8 0 0\n"
               "ctxt 419946036\n"
               "btime 1764100000\n"
               "processes 1041216\n"
               "procs_running 5\n"
               "procs_blocked 0\n");
    usleep(20000);
    ck_assert_int_eq(probe_sample(p, &b), 0);
    ck_assert(b.interval > 0.015 && b.interval < 5);
    ck_assert_uint_eq(b.host.procs_running, 5);

    const struct cpu_pct *t = &b.cpu.total.pct;
    ck_assert(t->valid);
    ck_assert_double_eq_tol(t->user, 30.0, 1e-9);
    ck_assert_double_eq_tol(t->nice, 0.0, 1e-9);
    ck_assert_double_eq_tol(t->system, 10.0, 1e-9);
    ck_assert_double_eq_tol(t->idle, 50.0, 1e-9);
    ck_assert_double_eq_tol(t->iowait, 5.0, 1e-9);
    ck_assert_double_eq_tol(t->irq, 1.0, 1e-9);
    ck_assert_double_eq_tol(t->softirq, 4.0, 1e-9);
    ck_assert_double_eq_tol(t->steal, 0.0, 1e-9);
    ck_assert_double_eq_tol(t->busy, 45.0, 1e-9);

    ck_assert_uint_eq(b.cpu.n_cpu, 3);
    ck_assert_int_eq(b.cpu.logical, 3);
    const struct cpu_pct *c0 = &b.cpu.per_cpu[0].pct;
    ck_assert(c0->valid);
    ck_assert_double_eq_tol(c0->user, 25.0, 1e-9);
    ck_assert_double_eq_tol(c0->system, 25.0, 1e-9);
    ck_assert_double_eq_tol(c0->idle, 50.0, 1e-9);
    ck_assert_double_eq_tol(c0->busy, 50.0, 1e-9);
    const struct cpu_pct *c1 = &b.cpu.per_cpu[1].pct;
    ck_assert(c1->valid);
    ck_assert_double_eq_tol(c1->user, 100.0, 1e-9);
    ck_assert_double_eq_tol(c1->idle, 0.0, 1e-9);
    ck_assert_double_eq_tol(c1->busy, 100.0, 1e-9);
    ck_assert(!b.cpu.per_cpu[2].pct.valid);

    snapshot_done(&a);
    snapshot_done(&b);
    probe_free(p);
    remove_tree(dir);
}
END_TEST

START_TEST(test_missing_root)
{
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.proc_root = "/nonexistent/vigil/proc";
    int err = 0;
    ck_assert_ptr_null(probe_new(&cfg, &err));
    ck_assert_int_eq(err, -ENOENT);
}
END_TEST

START_TEST(test_degrades_without_optional_files)
{
    /* only /proc/stat: host names, memory, load and topology degrade, the sample holds */
    char dir[256];
    copy_tree(FIXTURE_DIR "/tree1", dir, sizeof(dir));
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "cd '%s' && rm -rf sys proc/meminfo proc/loadavg proc/sys", dir);
    ck_assert_int_eq(system(cmd), 0);
    struct probe *p = open_tree(dir, false);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    ck_assert_int_eq(s.cpu.logical, 4);
    ck_assert_int_eq(s.cpu.physical, 0); /* no sysfs, no cpuinfo: unknown */
    ck_assert_int_eq(s.cpu.sockets, 0);
    ck_assert_uint_eq(s.mem.total, 0);
    ck_assert_str_eq(s.host.hostname, "");
    ck_assert_double_eq(s.host.boot_time, 1764100000.0);
    ck_assert_double_eq_tol(s.host.uptime, 10000.5, 1e-9);
    snapshot_done(&s);

    /* without /proc/stat there is no sample at all */
    snprintf(cmd, sizeof(cmd), "rm -f '%s/proc/stat'", dir);
    ck_assert_int_eq(system(cmd), 0);
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), -ENOENT);
    snapshot_done(&s);
    probe_free(p);
    remove_tree(dir);
}
END_TEST

START_TEST(test_real_system)
{
    /* the default roots: compare with what the kernel says through other interfaces */
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.want_procs = false;
    cfg.want_ifaces = false;
    int err;
    struct probe *p = probe_new(&cfg, &err);
    ck_assert_ptr_nonnull(p);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    ck_assert_int_eq(probe_sample(p, &a), 0);
    usleep(50000);
    ck_assert_int_eq(probe_sample(p, &b), 0);

    struct utsname u;
    ck_assert_int_eq(uname(&u), 0);
    ck_assert_str_eq(b.host.hostname, u.nodename);
    ck_assert_str_eq(b.host.kernel, u.release);
    ck_assert_int_eq(b.cpu.logical, (int)sysconf(_SC_NPROCESSORS_ONLN));
    ck_assert(b.cpu.physical >= 1 && b.cpu.physical <= b.cpu.logical);
    ck_assert(b.cpu.sockets >= 1 && b.cpu.sockets <= b.cpu.physical);
    struct sysinfo si;
    ck_assert_int_eq(sysinfo(&si), 0);
    ck_assert_uint_eq(b.mem.total, (uint64_t)si.totalram * si.mem_unit);
    ck_assert_uint_eq(b.mem.swap_total, (uint64_t)si.totalswap * si.mem_unit);
    ck_assert(b.mem.used + b.mem.available == b.mem.total);
    /* boot time: now minus uptime, within the 1 s resolution of btime */
    ck_assert_double_eq_tol(b.host.boot_time, b.time - b.host.uptime, 2.0);
    ck_assert(b.interval >= 0.04 && b.interval < 10);
    ck_assert(b.self_cpu_percent >= 0);
    if (b.cpu.total.pct.valid) /* at least one tick passes in 50 ms on any HZ */
        ck_assert(b.cpu.total.pct.busy >= 0 && b.cpu.total.pct.busy <= 100);
    snapshot_done(&a);
    snapshot_done(&b);
    probe_free(p);
}
END_TEST

static Suite *probe_fixture_suite(void)
{
    Suite *s = suite_create("probe_fixture");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_tree1_host_cpu_mem);
    tcase_add_test(tc, test_tree2_two_sockets_old_kernel);
    tcase_add_test(tc, test_tree3_cpuinfo_fallback);
    tcase_add_test(tc, test_two_samples_exact_cpu);
    tcase_add_test(tc, test_missing_root);
    tcase_add_test(tc, test_degrades_without_optional_files);
    tcase_add_test(tc, test_real_system);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(probe_fixture_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
