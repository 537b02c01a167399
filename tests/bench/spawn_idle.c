/* Benchmark helper: starts N child processes that sleep in pause(), so monitors can be
 * measured against a large idle process table. Usage: spawn_idle [--fork] N [READY_FILE]
 *
 * By default the children are clone(CLONE_VM) processes: each has its own PID, thread
 * group and /proc/PID entry and is a process like any other to a monitor, but shares our
 * address space, as a vfork child does. That makes 10,000 of them start in about two
 * seconds here, where fork() takes 2-3 ms per child (page-table copies on this VM).
 * --fork gives each child its own address space, for comparison.
 *
 * Once every child exists it writes "ready N" to READY_FILE (atomically, via rename) or
 * to standard output. On SIGINT, SIGTERM or SIGHUP, and when its own parent dies, it
 * kills every child and reaps them all before exiting, because PID 1 on the machines we
 * run on does not reap orphans: a child that outlived us would stay a zombie for good.
 * Children die with SIGKILL if this process is killed outright (PR_SET_PDEATHSIG). */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHILD_STACK_SIZE (16 * 1024)

struct child_arg {
    pid_t parent;
    sigset_t old_mask;
};

/* Runs on its own small stack and, with CLONE_VM, in our memory: only calls that cannot
 * fail (so errno, which it shares with us, is left alone). */
static int child_main(void *argp)
{
    const struct child_arg *arg = argp;
    /* Die with the spawner; if it already died between clone and here, go now. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != arg->parent)
        _exit(0);
    sigprocmask(SIG_SETMASK, &arg->old_mask, NULL);
    for (;;)
        pause();
    return 0;
}

static int write_ready(const char *path, long n)
{
    if (!path) {
        printf("ready %ld\n", n);
        return fflush(stdout) == 0 ? 0 : -1;
    }
    char tmp[4096];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return -1;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return -1;
    fprintf(f, "ready %ld\n", n);
    if (fclose(f) != 0)
        return -1;
    return rename(tmp, path);
}

/* SIGKILL every child, then wait until none is left (ours or orphans adopted by us as
 * subreaper). */
static void kill_and_reap(const pid_t *pids, long n)
{
    for (long i = 0; i < n; i++)
        kill(pids[i], SIGKILL);
    for (;;) {
        pid_t r = waitpid(-1, NULL, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            break;
    }
}

int main(int argc, char **argv)
{
    bool use_fork = argc > 1 && strcmp(argv[1], "--fork") == 0;
    if (use_fork) {
        argv++;
        argc--;
    }
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: spawn_idle [--fork] N [READY_FILE]\n");
        return 2;
    }
    char *end;
    errno = 0;
    long want = strtol(argv[1], &end, 10);
    if (errno || *end || want < 0 || want > 4000000) {
        fprintf(stderr, "spawn_idle: bad count '%s'\n", argv[1]);
        return 2;
    }
    const char *ready_path = argc == 3 ? argv[2] : NULL;

    /* Adopt anything a child might leave behind, and clean up when our parent (the
     * benchmark script) goes away, whatever the way it goes. */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    pid_t our_parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    struct child_arg arg = {.parent = getpid()};
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    sigprocmask(SIG_BLOCK, &stop, &arg.old_mask);
    if (getppid() != our_parent)
        return 1;

    pid_t *pids = calloc(want > 0 ? (size_t)want : 1, sizeof(*pids));
    if (!pids) {
        fprintf(stderr, "spawn_idle: out of memory\n");
        return 1;
    }
    char *stacks = NULL;
    if (!use_fork && want > 0) {
        stacks = mmap(NULL, (size_t)want * CHILD_STACK_SIZE, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (stacks == MAP_FAILED) {
            fprintf(stderr, "spawn_idle: cannot map child stacks: %s\n", strerror(errno));
            return 1;
        }
    }
    long n = 0;
    int fork_errno = 0;
    const struct timespec zero = {0, 0};
    while (n < want) {
        pid_t pid;
        if (use_fork) {
            pid = fork();
            if (pid == 0)
                child_main(&arg);
        } else {
            /* The stack grows down: pass the top of this child's slice. */
            pid = clone(child_main, stacks + (size_t)(n + 1) * CHILD_STACK_SIZE, CLONE_VM | SIGCHLD,
                        &arg);
        }
        if (pid < 0) {
            fork_errno = errno;
            break;
        }
        pids[n++] = pid;
        /* Stop early when asked to, rather than after the last fork. */
        if ((n & 255) == 0 && sigtimedwait(&stop, NULL, &zero) > 0) {
            kill_and_reap(pids, n);
            return 1;
        }
    }
    if (n < want) {
        fprintf(stderr, "spawn_idle: could only start %ld of %ld processes: %s\n", n, want,
                strerror(fork_errno));
        kill_and_reap(pids, n);
        return 1;
    }
    if (write_ready(ready_path, n) != 0) {
        fprintf(stderr, "spawn_idle: cannot report readiness: %s\n", strerror(errno));
        kill_and_reap(pids, n);
        return 1;
    }
    for (;;) {
        int sig = sigwaitinfo(&stop, NULL);
        if (sig > 0)
            break;
    }
    kill_and_reap(pids, n);
    free(pids);
    return 0;
}
