/* Benchmark helper: runs a command as a child subreaper and reaps every orphan under it.
 * Usage: subreaper CMD [ARGS...]
 *
 * PID 1 on the machines we run on does not reap orphans, and tmux daemonizes its server:
 * without a subreaper above it, every tmux server (and any process orphaned under it) the
 * benchmark starts would stay a zombie after it exits. Termination signals are passed on
 * to the command; the exit status is the command's. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t pending_signal;

static void on_signal(int sig)
{
    pending_signal = sig;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: subreaper CMD [ARGS...]\n");
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        fprintf(stderr, "subreaper: PR_SET_CHILD_SUBREAPER: %s\n", strerror(errno));
        return 1;
    }
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "subreaper: fork: %s\n", strerror(errno));
        return 1;
    }
    if (child == 0) {
        execvp(argv[1], argv + 1);
        fprintf(stderr, "subreaper: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    /* SIGINT from the terminal reaches the command through the process group; a signal
     * aimed at us alone is forwarded. No SA_RESTART: waitpid returns EINTR to forward. */
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);

    int status = 0;
    for (;;) {
        int st;
        pid_t r = waitpid(-1, &st, 0);
        if (r < 0 && errno == EINTR) {
            if (pending_signal) {
                kill(child, pending_signal);
                pending_signal = 0;
            }
            continue;
        }
        if (r < 0)
            break; /* ECHILD: nothing left */
        if (r == child) {
            status = st;
            break;
        }
    }
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    /* Orphans still alive (a tmux server the command did not stop) get a moment to exit,
     * then are left to whoever is above us. */
    for (int i = 0; i < 40; i++) {
        pid_t r = waitpid(-1, NULL, WNOHANG);
        if (r < 0)
            break;
        if (r == 0) {
            struct timespec ts = {0, 50 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    return code;
}
