/* Benchmark program: the CPU time of one vigil probe refresh, measured in-process.
 *
 * Usage: vigil_bench [--mode procs|all|ifaces] [-k SAMPLES] [-d DELAY_S]
 *   procs   the default process panel's needs: probe_config_default, want = 0
 *   all     every process field on every refresh (want = PROC_F_ALL, as --batch uses)
 *   ifaces  interfaces only (want_procs = false): the interface refresh
 *
 * Takes SAMPLES refreshes DELAY_S apart, like the UI's timer. Each refresh is timed with
 * CLOCK_PROCESS_CPUTIME_ID (user + system CPU of this process, ns resolution) around
 * probe_sample() plus snapshot_done() of the previous snapshot: the steady-state cost of
 * keeping one live snapshot. The first refresh is "cold" (opens descriptors, reads every
 * command line); the others are "warm" and reported as median, p90, min and max.
 * Prints one line of key=value pairs, or error=... and exits 1. bg_cores is the CPU the
 * rest of the machine used meanwhile, in cores, and max_tasks the most threads it had at
 * a refresh: the noise next to the figures. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "probe/probe.h"
#include "probe/snapshot.h"

#include "bench_machine.h"

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n-1], n > 0. */
static double percentile(const double *v, size_t n, double pct)
{
    size_t rank = (size_t)(pct / 100.0 * (double)n + 0.999999);
    if (rank < 1)
        rank = 1;
    if (rank > n)
        rank = n;
    return v[rank - 1];
}

static void usage(void)
{
    fprintf(stderr, "usage: vigil_bench [--mode procs|all|ifaces] [-k SAMPLES] [-d DELAY_S]\n");
    exit(2);
}

static void sleep_s(double s)
{
    struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static long vm_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

int main(int argc, char **argv)
{
    const char *mode = "procs";
    long samples = 10;
    double delay = 1.0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mode") == 0 && i + 1 < argc)
            mode = argv[++i];
        else if (strcmp(argv[i], "-k") == 0 && i + 1 < argc)
            samples = atol(argv[++i]);
        else if (strcmp(argv[i], "-d") == 0 && i + 1 < argc)
            delay = atof(argv[++i]);
        else
            usage();
    }
    if (samples < 2 || delay < 0)
        usage();

    struct probe_config cfg;
    probe_config_default(&cfg);
    if (strcmp(mode, "procs") == 0) {
        cfg.want = 0;
    } else if (strcmp(mode, "all") == 0) {
        cfg.want = PROC_F_ALL;
    } else if (strcmp(mode, "ifaces") == 0) {
        cfg.want_procs = false;
        cfg.want_ifaces = true;
    } else {
        usage();
    }

    long long busy_start = busy_ticks();
    double run_start = clock_ms(CLOCK_MONOTONIC);
    double new_start = clock_ms(CLOCK_PROCESS_CPUTIME_ID);
    int err = 0;
    struct probe *p = probe_new(&cfg, &err);
    double new_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - new_start;
    if (!p) {
        printf("error=probe_new:%s\n", strerror(-err));
        return 1;
    }

    double *cpu = calloc((size_t)samples, sizeof(*cpu));
    double *wall = calloc((size_t)samples, sizeof(*wall));
    struct snapshot snap[2];
    snapshot_init(&snap[0]);
    snapshot_init(&snap[1]);
    size_t n_procs = 0, n_ifaces = 0;
    long max_tasks = machine_tasks();
    for (long i = 0; i < samples; i++) {
        struct snapshot *cur = &snap[i % 2], *prev = &snap[(i + 1) % 2];
        double c0 = clock_ms(CLOCK_PROCESS_CPUTIME_ID), w0 = clock_ms(CLOCK_MONOTONIC);
        int rc = probe_sample(p, cur);
        snapshot_done(prev);
        snapshot_init(prev);
        cpu[i] = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
        wall[i] = clock_ms(CLOCK_MONOTONIC) - w0;
        if (rc != 0) {
            printf("error=probe_sample:%s\n", strerror(-rc));
            return 1;
        }
        n_procs = cur->n_procs;
        n_ifaces = cur->n_ifaces;
        /* The probe degrades a failed process read to an empty list; timing that would
         * report the cost of doing nothing. */
        if (cfg.want_procs && n_procs == 0) {
            printf("error=no processes in the snapshot (process scanner not built?)\n");
            return 1;
        }
        long tasks = machine_tasks();
        if (tasks > max_tasks)
            max_tasks = tasks;
        if (i + 1 < samples)
            sleep_s(delay);
    }
    long rss_kb = vm_rss_kb();
    /* Everyone else's CPU while we ran, in cores: the noise next to our figures. */
    double own_ms = clock_ms(CLOCK_PROCESS_CPUTIME_ID) - new_start;
    double run_ms = clock_ms(CLOCK_MONOTONIC) - run_start;
    double bg_cores =
        ((double)(busy_ticks() - busy_start) * 1000.0 / (double)cfg.clk_tck - own_ms) / run_ms;
    snapshot_done(&snap[0]);
    snapshot_done(&snap[1]);
    probe_free(p);

    size_t warm_n = (size_t)samples - 1;
    qsort(cpu + 1, warm_n, sizeof(*cpu), cmp_double);
    qsort(wall + 1, warm_n, sizeof(*wall), cmp_double);
    printf("mode=%s samples=%ld procs=%zu ifaces=%zu new_ms=%.2f cold_ms=%.2f "
           "warm_median_ms=%.2f warm_p90_ms=%.2f warm_min_ms=%.2f warm_max_ms=%.2f "
           "cold_wall_ms=%.2f warm_median_wall_ms=%.2f rss_kb=%ld bg_cores=%.2f max_tasks=%ld\n",
           mode, samples, n_procs, n_ifaces, new_ms, cpu[0], percentile(cpu + 1, warm_n, 50),
           percentile(cpu + 1, warm_n, 90), cpu[1], cpu[warm_n], wall[0],
           percentile(wall + 1, warm_n, 50), rss_kb, bg_cores, max_tasks);
    free(cpu);
    free(wall);
    return 0;
}
