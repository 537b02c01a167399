/* Whole-machine readings shared by the benchmark programs: how busy the machine is and
 * how many tasks it runs, so a measurement can say what else was going on. */
#ifndef VIGIL_BENCH_MACHINE_H
#define VIGIL_BENCH_MACHINE_H

#include <stdio.h>

/* Non-idle ticks of the whole machine (user nice system irq softirq steal; guest time is
 * already inside user), from the first line of /proc/stat. */
static inline long long busy_ticks(void)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return -1;
    unsigned long long v[8] = {0};
    int got = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
                     &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    if (got < 8)
        return -1;
    return (long long)(v[0] + v[1] + v[2] + v[5] + v[6] + v[7]);
}

/* Scheduling entities (threads) on the machine, the N of /proc/loadavg's "R/N" field: a
 * cheap way to notice someone else starting thousands of processes during a measurement. */
static inline long machine_tasks(void)
{
    FILE *f = fopen("/proc/loadavg", "r");
    if (!f)
        return -1;
    long running = 0, total = -1;
    if (fscanf(f, "%*s %*s %*s %ld/%ld", &running, &total) != 2)
        total = -1;
    fclose(f);
    return total;
}

#endif
