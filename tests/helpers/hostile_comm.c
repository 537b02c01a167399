/* Test helper: renames itself (PR_SET_NAME, the comm that /proc/PID/stat shows) to the
 * bytes of argv[1], says "ready" on stdout, and sleeps until a signal ends it.
 * With "--busy" as argv[2] it spins instead, so that it has a CPU percentage to report. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: hostile_comm NAME [--busy]\n", stderr);
        return 2;
    }
    if (prctl(PR_SET_NAME, argv[1], 0, 0, 0) != 0) {
        perror("prctl");
        return 1;
    }
    int busy = argc > 2 && strcmp(argv[2], "--busy") == 0;
    puts("ready");
    fflush(stdout);
    if (busy) {
        volatile unsigned long n = 0;
        for (;;)
            n++;
    }
    for (;;)
        pause();
}
