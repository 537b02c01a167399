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

START_TEST(test_quick_first_sample)
{
    /* quick_first: the first sample takes memory from stat (no statm read), shared waits
     * for the second sample; the processes are the same as without it */
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.proc_root = FIXTURE_DIR "/tree1/proc";
    cfg.sys_root = FIXTURE_DIR "/tree1/sys";
    cfg.clk_tck = 100;
    cfg.page_size = 4096;
    cfg.want_ifaces = false;
    cfg.quick_first = true;
    int err = 1;
    struct probe *p = probe_new(&cfg, &err);
    ck_assert_ptr_nonnull(p);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    ck_assert_uint_eq(s.n_procs, 10);
    const struct proc_entry *e = snapshot_find_proc(&s, 1);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->vms, 41978u * 4096u); /* stat's vsize, in bytes */
    ck_assert_uint_eq(e->rss, 3000u * 4096u);  /* stat's rss, in pages */
    ck_assert_uint_eq(e->shared, 0);
    ck_assert(e->mem_percent > 0);
    snapshot_done(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    ck_assert_uint_eq(s.n_procs, 10);
    e = snapshot_find_proc(&s, 1);
    ck_assert_uint_eq(e->rss, 3000u * 4096u);
    ck_assert_uint_eq(e->shared, 2100u * 4096u); /* statm, read at the second sample */
    snapshot_done(&s);
    probe_free(p);
}
END_TEST

START_TEST(test_tree1_processes)
{
    /* the fixture's processes (proc/<pid>, written for the scanner's tests) through the
     * whole probe: percentages, task counts and identities on top of the scanner */
    struct probe *p = open_tree(FIXTURE_DIR "/tree1", true);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    /* 300 (cut-off stat) and 302 (garbage) are dropped, never half-filled */
    static const pid_t want[] = {1, 2, 17, 100, 150, 200, 201, 301, 400, 401};
    ck_assert_uint_eq(s.n_procs, sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < s.n_procs; i++)
        ck_assert_int_eq(s.procs[i].pid, want[i]);
    const struct proc_entry *e = snapshot_find_proc(&s, 200);
    ck_assert_str_eq(e->name, "a b) (c");
    ck_assert_int_eq(e->ppid, 100);
    ck_assert_int_eq(e->nice, 7);
    ck_assert_double_eq_tol(e->start_time, 1764100000.0 + 345.67, 1e-6);
    ck_assert_int_eq(snapshot_find_proc(&s, 150)->state, 'Z');
    ck_assert(snapshot_find_proc(&s, 17)->kernel_thread);

    ck_assert_uint_eq(s.tasks.total, 10);
    ck_assert_uint_eq(s.tasks.zombie, 1);
    ck_assert_uint_eq(s.tasks.kernel_threads, 2);
    ck_assert_uint_eq(s.tasks.running, 1);
    ck_assert_uint_eq(s.tasks.disk_sleep, 1);
    ck_assert_uint_eq(s.tasks.idle, 1);

    /* mem_percent against MemTotal; no rates on a first sample */
    e = snapshot_find_proc(&s, 400);
    ck_assert_uint_eq(e->rss, 40000ull * 4096);
    ck_assert_double_eq_tol(e->mem_percent, 40000.0 * 4096 * 100 / (16315612.0 * 1024), 1e-9);
    for (size_t i = 0; i < s.n_procs; i++) {
        ck_assert_double_eq(s.procs[i].cpu_percent, 0);
        ck_assert(s.procs[i].io_read_rate < 0 && s.procs[i].io_write_rate < 0);
    }
    snapshot_done(&s);
    probe_free(p);
}
END_TEST

/* /proc/PID/stat of the fixture with new CPU times and start time (and comm). */
static void write_stat(const char *dir, int pid, const char *comm, int ppid, unsigned long ut,
                       unsigned long st, int threads, unsigned long long start)
{
    char rel[64], text[512];
    snprintf(rel, sizeof(rel), "proc/%d/stat", pid);
    snprintf(text, sizeof(text),
             "%d (%s) S %d %d %d 0 -1 4194560 1200 0 3 0 %lu %lu 0 0 20 0 %d 0 %llu "
             "2867200 300 18446744073709551615 94000000000000 94000000100000 "
             "140720000000000 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 94000000200000 94000000300000 "
             "94000000400000 140720000001000 140720000001100 140720000001100 140720000002000 "
             "0\n",
             pid, comm, ppid, pid, pid, ut, st, threads, start);
    write_file(dir, rel, text);
}

static void write_io(const char *dir, int pid, long rd, long wr)
{
    char rel[64], text[256];
    snprintf(rel, sizeof(rel), "proc/%d/io", pid);
    snprintf(text, sizeof(text),
             "rchar: %ld\nwchar: %ld\nsyscr: 1\nsyscw: 1\nread_bytes: %ld\nwrite_bytes: %ld\n"
             "cancelled_write_bytes: 0\n",
             rd, wr, rd, wr);
    write_file(dir, rel, text);
}

START_TEST(test_two_samples_processes)
{
    char dir[256];
    copy_tree(FIXTURE_DIR "/tree1", dir, sizeof(dir));
    struct probe_config cfg;
    struct probe *p = open_tree(dir, true);
    cfg = *probe_get_config(p);
    probe_free(p);
    cfg.want = PROC_F_IO;
    int err;
    p = probe_new(&cfg, &err);
    ck_assert_ptr_nonnull(p);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    ck_assert_int_eq(probe_sample(p, &a), 0);

    /* Files are rewritten in place (the scanner keeps descriptors open), schedstat too
     * (it tells the scanner which processes ran). The previous sample was at uptime
     * 10000.50 s = 1000050 ticks.
     * 400: +150 user +50 system ticks, +3000 bytes read. 8 threads.
     * 201: the pid now names a process born after the sample (start 1000100): its whole
     *      7 ticks and its 1 + 2 bytes of I/O belong to the interval.
     * 301: the pid now names a process born before the sample (start 60001), missed
     *      then: its rate is unknown (0 %, I/O null), not its lifetime.
     * 500: a new pid born after the sample, 40 ticks so far.
     * 150: gone. */
    write_stat(dir, 400, "worker", 1, 90150, 10050, 8, 56789);
    write_file(dir, "proc/400/schedstat", "1000000000999 5001 90001\n");
    write_io(dir, 400, 5 + 3000, 6);
    write_stat(dir, 201, "newcomer", 1, 3, 4, 1, 1000100);
    write_file(dir, "proc/201/schedstat", "5000 1 1\n");
    write_stat(dir, 301, "missed", 1, 500, 500, 1, 60001);
    write_file(dir, "proc/301/schedstat", "9000 2 2\n");
    write_io(dir, 301, 10, 10);
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "cd '%s/proc' && rm -rf 150 && cp -R 100 500", dir);
    ck_assert_int_eq(system(cmd), 0);
    write_stat(dir, 500, "fresh", 100, 30, 10, 1, 1000200);
    usleep(20000);
    ck_assert_int_eq(probe_sample(p, &b), 0);
    double dt = b.interval;
    ck_assert(dt > 0.015 && dt < 5);

    ck_assert_ptr_null(snapshot_find_proc(&b, 150));
    ck_assert_uint_eq(b.tasks.zombie, 0);
    const struct proc_entry *e = snapshot_find_proc(&b, 400);
    ck_assert_double_eq_tol(e->cpu_percent, 200.0 / 100 / dt * 100, 1e-6);
    ck_assert_double_eq_tol(e->io_read_rate, 3000 / dt, 1e-6);
    ck_assert_double_eq_tol(e->io_write_rate, 0, 1e-9);
    e = snapshot_find_proc(&b, 100); /* unchanged */
    ck_assert_double_eq(e->cpu_percent, 0);
    ck_assert_double_eq(e->io_read_rate, 0);
    e = snapshot_find_proc(&b, 201);
    ck_assert_str_eq(e->name, "newcomer");
    ck_assert_double_eq_tol(e->cpu_percent, 7.0 / 100 / dt * 100, 1e-6);
    ck_assert_double_eq_tol(e->io_read_rate, 1 / dt, 1e-6);
    ck_assert_double_eq_tol(e->io_write_rate, 2 / dt, 1e-6);
    e = snapshot_find_proc(&b, 301);
    ck_assert_str_eq(e->name, "missed");
    ck_assert_double_eq(e->cpu_percent, 0);
    ck_assert(e->io_read_rate < 0 && e->io_write_rate < 0);
    e = snapshot_find_proc(&b, 500);
    ck_assert_ptr_nonnull(e);
    ck_assert_double_eq_tol(e->cpu_percent, 40.0 / 100 / dt * 100, 1e-6);

    snapshot_done(&a);
    snapshot_done(&b);
    probe_free(p);
    remove_tree(dir);
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
    tcase_add_test(tc, test_tree1_processes);
    tcase_add_test(tc, test_quick_first_sample);
    tcase_add_test(tc, test_two_samples_processes);
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
