/* Benchmark helper: runs a command as a child subreaper and reaps every orphan under it.
 * Usage: subreaper [-s] CMD [ARGS...]
 *
 * PID 1 on the machines we run on does not reap orphans, and tmux daemonizes its server:
 * without a subreaper above it, every tmux server (and any process orphaned under it) the
 * benchmark starts would stay a zombie after it exits. -s starts the command in a session
 * of its own, hence (with sched_autogroup) in a scheduling group of its own whose
 * niceness it may set without touching the caller's. SIGINT, SIGTERM, SIGHUP and SIGQUIT
 * are passed on to the command (with -s it no longer gets the terminal's); the exit
 * status is the command's. */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    bool own_session = argc > 1 && strcmp(argv[1], "-s") == 0;
    if (own_session) {
        argv++;
        argc--;
    }
    if (argc < 2) {
        fprintf(stderr, "usage: subreaper [-s] CMD [ARGS...]\n");
        return 2;
    }
    if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) {
        fprintf(stderr, "subreaper: PR_SET_CHILD_SUBREAPER: %s\n", strerror(errno));
        return 1;
    }
    /* Blocked before the fork so none is lost; the child unblocks them again. */
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGQUIT);
    sigaddset(&sigs, SIGCHLD);
    sigprocmask(SIG_BLOCK, &sigs, &old);
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "subreaper: fork: %s\n", strerror(errno));
        return 1;
    }
    if (child == 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (own_session && setsid() < 0) {
            fprintf(stderr, "subreaper: setsid: %s\n", strerror(errno));
            _exit(127);
        }
        execvp(argv[1], argv + 1);
        fprintf(stderr, "subreaper: %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }

    int status = 0;
    bool child_done = false;
    while (!child_done) {
        siginfo_t si;
        int sig = sigwaitinfo(&sigs, &si);
        if (sig < 0)
            continue;
        if (sig != SIGCHLD) {
            /* Without -s a signal from the terminal (si_code > 0) has reached the child's
             * process group already; one sent to us alone (kill: si_code <= 0) has not. */
            if (own_session || si.si_code <= 0)
                kill(child, sig);
            continue;
        }
        for (;;) {
            int st;
            pid_t r = waitpid(-1, &st, WNOHANG);
            if (r <= 0)
                break;
            if (r == child) {
                status = st;
                child_done = true;
            }
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
