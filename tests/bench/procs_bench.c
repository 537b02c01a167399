/* CPU cost of process scanner refreshes over N idle children of this program:
 *   procs_bench [N=1000] [REFRESHES=20] [WANT=0] [fork|clone] [quick]
 * Children are made with clone(CLONE_VM) (fork costs ~10 ms each on a small VM; the
 * scanner's per-process reads cost the same either way); "fork" makes real copies.
 * Prints the cold (first) refresh, then min / median / max of the warm ones, in ms of this
 * process's CPU time (CLOCK_PROCESS_CPUTIME_ID), and what the scanner did. WANT is a
 * PROC_F_* mask (31 = everything, as --batch json asks). The official comparison with htop
 * and top is tests/bench's script; this is the quick local measure. "quick" makes the
 * first refresh the interactive monitor's (probe_config.quick_first). */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "platform/linux/linux_platform.h"
#include "probe/probe.h"

static double wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double cpu_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static pid_t parent;

static int child_main(void *arg)
{
    (void)arg;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0);
    for (;;)
        pause();
    return 0;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 1000;
    int reps = argc > 2 ? atoi(argv[2]) : 20;
    unsigned want = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 0) : 0;
    if (n < 0 || reps < 1)
        return 2;
    pid_t *kids = calloc((size_t)n + 1, sizeof(pid_t));
    bool use_fork = argc > 4 && strcmp(argv[4], "fork") == 0;
    bool quick = argc > 5 && strcmp(argv[5], "quick") == 0; /* the UI's first pass */
    parent = getpid();
    for (int i = 0; i < n; i++) {
        pid_t p;
        if (use_fork) {
            p = fork();
            if (p == 0)
                child_main(NULL);
        } else {
            size_t stack = 16384;
            char *st = malloc(stack); /* never freed: the children use it until killed */
            p = clone(child_main, st + stack, CLONE_VM | SIGCHLD, NULL);
        }
        if (p < 0) {
            perror("fork");
            n = i;
            break;
        }
        kids[i] = p;
    }
    sleep(1); /* let every child reach pause() */

    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.quick_first = quick;
    int err = 0;
    int proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct proc_scanner *sc = proc_scanner_new(proc_fd, &cfg, &err);
    if (!sc) {
        fprintf(stderr, "proc_scanner_new: %s\n", strerror(-err));
        return 1;
    }
    struct proc_block *blk;
    double w0 = wall_ms();
    double t0 = cpu_ms();
    err = proc_scanner_read(sc, want, &blk);
    double cold = cpu_ms() - t0;
    double cold_wall = wall_ms() - w0;
    if (err) {
        fprintf(stderr, "proc_scanner_read: %s\n", strerror(-err));
        return 1;
    }
    size_t nv = blk ? blk->n : 0;
    proc_block_unref(blk);
    struct proc_scanner_stats s0, s1;
    proc_scanner_get_stats(sc, &s0);

    double *ms = calloc((size_t)reps, sizeof(double));
    for (int r = 0; r < reps; r++) {
        usleep(200000);
        t0 = cpu_ms();
        proc_scanner_read(sc, want, &blk);
        ms[r] = cpu_ms() - t0;
        nv = blk ? blk->n : 0;
        proc_block_unref(blk);
    }
    proc_scanner_get_stats(sc, &s1);
    qsort(ms, (size_t)reps, sizeof(double), cmp_double);
    double sum = 0;
    for (int r = 0; r < reps; r++)
        sum += ms[r];
    printf("children %d, processes seen %zu, want 0x%x, full pass every %u\n", n, nv, want,
           cfg.full_pass_every);
    printf("cold refresh %.1f ms CPU, %.1f ms wall\n", cold, cold_wall);
    printf("warm refresh over %d: min %.1f  median %.1f  mean %.1f  max %.1f ms CPU\n", reps, ms[0],
           ms[reps / 2], sum / reps, ms[reps - 1]);
    printf("warm totals: listings %lu, pid probes %lu, stat reads %lu, statm reads %lu, opens %lu, "
           "preads %lu; "
           "kept fds %ld of budget %ld\n",
           s1.listings - s0.listings, s1.probes - s0.probes, s1.stat_reads - s0.stat_reads,
           s1.statm_reads - s0.statm_reads, s1.opens - s0.opens, s1.preads - s0.preads, s1.kept_fds,
           s1.fd_budget);

    proc_scanner_free(sc);
    close(proc_fd);
    for (int i = 0; i < n; i++)
        kill(kids[i], SIGKILL);
    for (int i = 0; i < n; i++)
        waitpid(kids[i], NULL, 0);
    free(kids);
    free(ms);
    return 0;
}
