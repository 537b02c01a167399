/* Spawns processes with awkward properties for tests that compare vigil with the kernel:
 * a zombie, one renamed "a b) (c", one with 8 threads, one at nice 7, one under ionice
 * idle, one at best-effort level 3, one with hostile arguments. Prints their pids as one
 * JSON line once every one of them is in place, then waits until standard input closes
 * (or SIGTERM/SIGINT/SIGHUP) and kills and reaps them all. It makes itself a child
 * subreaper because PID 1 on the test machines does not reap orphans. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13
#define IOPRIO_CLASS_BE    2
#define IOPRIO_CLASS_IDLE  3
#define IOPRIO_VALUE(c, l) (((c) << IOPRIO_CLASS_SHIFT) | (l))
#define RENAMED            "a b) (c"
#define N_THREADS          8

enum kind { K_ZOMBIE, K_RENAMED, K_THREADS, K_NICE, K_IDLE, K_BE3, K_ARGS, K_COUNT };
static const char *const kind_name[K_COUNT] = {"zombie", "renamed", "threads", "nice",
                                               "idle",   "be3",     "args"};

static void die(const char *what)
{
    fprintf(stderr, "proc_zoo: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void *sleeper(void *arg)
{
    (void)arg;
    for (;;)
        pause();
    return NULL;
}

/* In the child: take on the property, tell the parent through fd, then sleep forever. */
static void become(enum kind k, int fd, const char *self)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    switch (k) {
    case K_ZOMBIE:
        _exit(0);
    case K_RENAMED:
        if (prctl(PR_SET_NAME, RENAMED) != 0)
            die("PR_SET_NAME");
        break;
    case K_THREADS:
        for (int i = 1; i < N_THREADS; i++) {
            pthread_t t;
            if (pthread_create(&t, NULL, sleeper, NULL) != 0)
                die("pthread_create");
        }
        break;
    case K_NICE:
        if (setpriority(PRIO_PROCESS, 0, 7) != 0)
            die("setpriority");
        break;
    case K_IDLE:
        if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_VALUE(IOPRIO_CLASS_IDLE, 0)))
            die("ioprio_set idle");
        break;
    case K_BE3:
        if (syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0, IOPRIO_VALUE(IOPRIO_CLASS_BE, 3)))
            die("ioprio_set best-effort 3");
        break;
    case K_ARGS: {
        /* spaces, a quote, a backslash, invalid UTF-8, a control byte, an empty last one */
        char fdtext[16], a0[] = "proc_zoo", a1[] = "--sleep", a3[] = "arg with space",
                         a4[] = "q\"b\\", a5[] = "\xff\xfe", a6[] = "tab\tnl\n", a7[] = "";
        snprintf(fdtext, sizeof(fdtext), "%d", fd);
        char *argv[] = {a0, a1, fdtext, a3, a4, a5, a6, a7, NULL};
        execv(self, argv);
        die("execv");
    }
    default:
        break;
    }
    if (write(fd, "x", 1) != 1)
        die("write");
    close(fd);
    for (;;)
        pause();
}

static char zombie_state(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *close = strrchr(buf, ')');
    return close && close[1] == ' ' ? close[2] : 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
    (void)sig;
    stop = 1;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--sleep") == 0) {
        /* the re-executed K_ARGS child: ready once it runs with its new arguments */
        int fd = atoi(argv[2]);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (write(fd, "x", 1) != 1)
            die("write");
        close(fd);
        for (;;)
            pause();
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
        die("PR_SET_CHILD_SUBREAPER");
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (sl < 0)
        die("readlink /proc/self/exe");
    self[sl] = '\0';

    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    pid_t pids[K_COUNT];
    for (int k = 0; k < K_COUNT; k++) {
        int p[2];
        if (pipe(p) != 0)
            die("pipe");
        pid_t pid = fork();
        if (pid < 0)
            die("fork");
        if (pid == 0) {
            close(p[0]);
            become((enum kind)k, p[1], self);
        }
        close(p[1]);
        pids[k] = pid;
        char c;
        ssize_t r = read(p[0], &c, 1); /* the zombie closes without writing */
        close(p[0]);
        if (k != K_ZOMBIE && r != 1) {
            fprintf(stderr, "proc_zoo: %s child failed\n", kind_name[k]);
            for (int j = 0; j <= k; j++)
                kill(pids[j], SIGKILL);
            while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
                ;
            return 1;
        }
    }
    for (int i = 0; i < 500 && zombie_state(pids[K_ZOMBIE]) != 'Z'; i++)
        usleep(10000);

    printf("{\"zoo\": %d", (int)getpid());
    for (int k = 0; k < K_COUNT; k++)
        printf(", \"%s\": %d", kind_name[k], (int)pids[k]);
    printf("}\n");
    fflush(stdout);

    char buf[64];
    while (!stop) {
        ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
        if (r == 0 || (r < 0 && errno != EINTR))
            break;
    }
    for (int k = 0; k < K_COUNT; k++)
        kill(pids[k], SIGKILL);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) /* every child, orphans included */
        ;
    return 0;
}
