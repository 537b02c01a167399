/* Benchmark helper: counts a monitor's real refreshes and the CPU it spends per refresh,
 * without slowing it down.
 *
 * Usage: refresh_watch -p PID -d DELAY_S -t SECONDS [-w WARMUP] [-f FILE]...
 *
 * Every monitor (htop, top, vigil) reads /proc/stat once per refresh for its CPU meters.
 * fanotify reports each open or read of that file with the reader's PID, at the cost of
 * one queued event; strace-style tracing would stop the monitor on every syscall it
 * filters and inflate the very CPU time we measure. Events of PID closer together than
 * half the delay form one burst = one refresh (a monitor sleeps for the delay between
 * refreshes, so its period is delay + work). At the start of each burst we read the
 * monitor's utime + stime from /proc/PID/stat; CPU per refresh is the difference between
 * the first and last counted burst divided by the refreshes between them, so the window
 * is aligned on refresh boundaries and needs no guess of the period.
 *
 * The first WARMUP refreshes (default 2) are skipped; then the window runs for SECONDS
 * and closes at the first refresh after that. Prints one line of key=value pairs:
 *   refreshes=R cpu_ms=C ms_per_refresh=X period_ms=P window_s=W bg_cores=B
 * where B is the CPU everyone else used meanwhile, in cores (a noise indicator)
 * and max_tasks=M the most threads the machine had at a refresh of the window
 * and exits 0, or prints error=... and exits 1 (no fanotify, monitor exited, ...). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "bench_machine.h"

#define MAX_FILES 8

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* utime + stime of PID in clock ticks (proc(5) stat fields 14 and 15), or -1 when the
 * process is gone. */
static long long cpu_ticks(pid_t pid)
{
    char path[64], buf[4096];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* Fields after comm start past its last ')'; state is field 3. */
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    p++;
    unsigned long long utime = 0, stime = 0;
    int field = 2;
    char *save = NULL;
    for (char *tok = strtok_r(p, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        field++;
        if (field == 14)
            utime = strtoull(tok, NULL, 10);
        else if (field == 15) {
            stime = strtoull(tok, NULL, 10);
            return (long long)(utime + stime);
        }
    }
    return -1;
}

static void usage(void)
{
    fprintf(stderr, "usage: refresh_watch -p PID -d DELAY_S -t SECONDS [-w WARMUP] [-f FILE]...\n");
    exit(2);
}

static double parse_double(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || *end || v < 0)
        usage();
    return v;
}

int main(int argc, char **argv)
{
    pid_t pid = 0;
    double delay = -1, seconds = -1;
    long warmup = 2;
    const char *files[MAX_FILES];
    int n_files = 0;
    int opt;
    while ((opt = getopt(argc, argv, "p:d:t:w:f:")) != -1) {
        switch (opt) {
        case 'p':
            pid = (pid_t)atoi(optarg);
            break;
        case 'd':
            delay = parse_double(optarg);
            break;
        case 't':
            seconds = parse_double(optarg);
            break;
        case 'w':
            warmup = atol(optarg);
            break;
        case 'f':
            if (n_files == MAX_FILES)
                usage();
            files[n_files++] = optarg;
            break;
        default:
            usage();
        }
    }
    if (pid <= 0 || delay <= 0 || seconds < 0 || warmup < 0 || optind != argc)
        usage();
    if (n_files == 0)
        files[n_files++] = "/proc/stat";

    int fan = fanotify_init(FAN_CLASS_NOTIF | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
    if (fan < 0) {
        printf("error=fanotify_init:%s\n", strerror(errno));
        return 1;
    }
    for (int i = 0; i < n_files; i++) {
        if (fanotify_mark(fan, FAN_MARK_ADD, FAN_OPEN | FAN_ACCESS, AT_FDCWD, files[i]) != 0) {
            printf("error=fanotify_mark(%s):%s\n", files[i], strerror(errno));
            return 1;
        }
    }
    if (cpu_ticks(pid) < 0) {
        printf("error=no-such-process\n");
        return 1;
    }
    long tck = sysconf(_SC_CLK_TCK);
    double gap = delay / 2;
    /* A monitor that shows no refresh for this long is stuck or does not read our file. */
    double stall = delay * 10 + 20;

    long bursts = 0;
    double last_event = -1, t_first = 0, t_last = 0, last_activity = now_s();
    long long ticks_first = 0, ticks_last = 0, busy_first = 0, busy_last = 0;
    long max_tasks = machine_tasks();
    long counted = 0; /* bursts inside the window, the first included */
    char buf[64 * 1024] __attribute__((aligned(__alignof__(struct fanotify_event_metadata))));
    for (;;) {
        struct pollfd pfd = {.fd = fan, .events = POLLIN};
        int pr = poll(&pfd, 1, 500);
        if (pr < 0 && errno != EINTR) {
            printf("error=poll:%s\n", strerror(errno));
            return 1;
        }
        double t = now_s();
        ssize_t len = pr > 0 ? read(fan, buf, sizeof(buf)) : 0;
        int hit = 0;
        for (struct fanotify_event_metadata *m = (struct fanotify_event_metadata *)buf;
             len > 0 && FAN_EVENT_OK(m, len); m = FAN_EVENT_NEXT(m, len)) {
            if (m->fd >= 0)
                close(m->fd);
            if (m->pid == pid)
                hit = 1;
        }
        if (hit) {
            if (last_event < 0 || t - last_event > gap) {
                long long ticks = cpu_ticks(pid);
                if (ticks < 0) {
                    printf("error=monitor-exited\n");
                    return 1;
                }
                bursts++;
                if (bursts > warmup) {
                    long long busy = busy_ticks();
                    long tasks = machine_tasks();
                    if (tasks > max_tasks)
                        max_tasks = tasks;
                    if (counted == 0) {
                        t_first = t;
                        ticks_first = ticks;
                        busy_first = busy;
                    }
                    counted++;
                    t_last = t;
                    ticks_last = ticks;
                    busy_last = busy;
                    if (t - t_first >= seconds && counted >= 2)
                        break;
                }
            }
            last_event = t;
            last_activity = t;
        }
        if (t - last_activity > stall) {
            printf("error=no-refresh-seen-for-%.0fs\n", t - last_activity);
            return 1;
        }
        if (!hit && cpu_ticks(pid) < 0) {
            printf("error=monitor-exited\n");
            return 1;
        }
    }
    long refreshes = counted - 1;
    double cpu_ms = (double)(ticks_last - ticks_first) * 1000.0 / (double)tck;
    double window = t_last - t_first;
    /* Everyone else's CPU during the window, in cores: the noise next to the figure. */
    double bg =
        (double)(busy_last - busy_first - (ticks_last - ticks_first)) / (double)tck / window;
    printf("refreshes=%ld cpu_ms=%.0f ms_per_refresh=%.1f period_ms=%.0f window_s=%.1f "
           "bg_cores=%.2f max_tasks=%ld\n",
           refreshes, cpu_ms, cpu_ms / (double)refreshes, window * 1000.0 / (double)refreshes,
           window, bg, max_tasks);
    return 0;
}
