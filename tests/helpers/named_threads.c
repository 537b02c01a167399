/* A process with three named threads, for tests/integration/threads_tmux.sh: the
 * threads are "vgl-worker-1" (busy about a fifth of the time, so it shows CPU use),
 * "vgl-worker-2" and "vgl-worker-3" (asleep).
 *
 * usage: named_threads
 * Prints "pid PID", then "tid N TID" for each thread, then "ready", and runs until a
 * SIGTERM or SIGINT arrives (or 10 minutes pass, so that it never outlives a broken
 * test); then it exits 0. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define N_WORKERS 3

static atomic_bool stop;

struct worker {
    pthread_t th;
    int n;
    atomic_int tid;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *work(void *arg)
{
    struct worker *w = arg;
    atomic_store(&w->tid, (int)syscall(SYS_gettid));
    while (!atomic_load(&stop)) {
        if (w->n == 1) { /* 20 ms of work in every 100 */
            double until = now() + 0.02;
            while (now() < until && !atomic_load(&stop))
                ;
            usleep(80000);
        } else {
            usleep(100000);
        }
    }
    return NULL;
}

static void on_term(int sig)
{
    (void)sig;
    atomic_store(&stop, true);
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_term;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    static struct worker w[N_WORKERS];
    for (int i = 0; i < N_WORKERS; i++) {
        w[i].n = i + 1;
        int e = pthread_create(&w[i].th, NULL, work, &w[i]);
        if (e) {
            fprintf(stderr, "named_threads: pthread_create: %s\n", strerror(e));
            return 1;
        }
        char name[16];
        snprintf(name, sizeof(name), "vgl-worker-%d", i + 1);
        e = pthread_setname_np(w[i].th, name);
        if (e) {
            fprintf(stderr, "named_threads: pthread_setname_np: %s\n", strerror(e));
            return 1;
        }
    }
    printf("pid %d\n", (int)getpid());
    for (int i = 0; i < N_WORKERS; i++) {
        while (!atomic_load(&w[i].tid))
            usleep(1000);
        printf("tid %d %d\n", i + 1, atomic_load(&w[i].tid));
    }
    printf("ready\n");
    fflush(stdout);

    double end = now() + 600;
    while (!atomic_load(&stop) && now() < end)
        usleep(50000);
    atomic_store(&stop, true);
    for (int i = 0; i < N_WORKERS; i++)
        pthread_join(w[i].th, NULL);
    return 0;
}
