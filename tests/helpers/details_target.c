/* A process with something in every section of the inspector, for tests/integration/
 * details.sh: a listening TCP socket on 127.0.0.1 (and on ::1 when IPv6 works), an
 * established loopback connection (both ends), a bound UDP socket, a listening UNIX
 * socket, an open file it has read, 4 threads (one of them busy part of the time), a
 * lowered RLIMIT_NOFILE, a sleeping child and a zombie child.
 *
 * usage: details_target DIR   (DIR: a scratch directory for the file and the socket)
 * Prints "key value" lines, then "ready", and runs until stdin reaches end of file or a
 * SIGTERM arrives; then it reaps its children and exits 0. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static atomic_bool stop;

static void die(const char *what)
{
    fprintf(stderr, "details_target: %s: %s\n", what, strerror(errno));
    exit(1);
}

static unsigned port_of(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        die("getsockname");
    if (ss.ss_family == AF_INET6)
        return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static int bound_inet(int type, int family)
{
    int fd = socket(family, type, 0);
    if (fd < 0)
        return -1;
    int r;
    if (family == AF_INET) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
        r = bind(fd, (struct sockaddr *)&a, sizeof(a));
    } else {
        struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
        r = bind(fd, (struct sockaddr *)&a, sizeof(a));
    }
    if (r != 0 || (type == SOCK_STREAM && listen(fd, 8) != 0)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* worker-1 burns CPU 5 ms in every 20 ms so its per-thread CPU % is above zero; the
 * others sleep. */
static void *worker(void *arg)
{
    int n = (int)(long)arg;
    char name[16];
    snprintf(name, sizeof(name), "worker-%d", n);
    pthread_setname_np(pthread_self(), name);
    while (!atomic_load(&stop)) {
        if (n == 1) {
            struct timespec t0, t;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            do
                clock_gettime(CLOCK_MONOTONIC, &t);
            while ((t.tv_sec - t0.tv_sec) * 1000000000L + (t.tv_nsec - t0.tv_nsec) < 5000000L);
        }
        struct timespec nap = {0, n == 1 ? 15000000L : 100000000L};
        nanosleep(&nap, NULL);
    }
    return NULL;
}

static void on_term(int sig)
{
    (void)sig;
    atomic_store(&stop, true);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: details_target DIR\n");
        return 2;
    }
    const char *dir = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* the lowered limit first, so every descriptor below counts against it */
    struct rlimit rl = {.rlim_cur = 64, .rlim_max = 128};
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        die("setrlimit");

    char path[512];
    snprintf(path, sizeof(path), "%s/data.bin", dir);
    int file = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (file < 0)
        die("open");
    char block[4096];
    memset(block, 'v', sizeof(block));
    for (int i = 0; i < 64; i++) /* 256 KiB written, then read back: rchar and wchar move */
        if (write(file, block, sizeof(block)) != (ssize_t)sizeof(block))
            die("write");
    if (lseek(file, 0, SEEK_SET) != 0)
        die("lseek");
    while (read(file, block, sizeof(block)) > 0)
        ;

    int lsn = bound_inet(SOCK_STREAM, AF_INET);
    if (lsn < 0)
        die("listen 127.0.0.1");
    unsigned port = port_of(lsn);
    int client = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in to = {.sin_family = AF_INET,
                             .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (client < 0 || connect(client, (struct sockaddr *)&to, sizeof(to)) != 0)
        die("connect");
    int server = accept(lsn, NULL, NULL);
    if (server < 0)
        die("accept");
    int lsn6 = bound_inet(SOCK_STREAM, AF_INET6); /* -1 without IPv6: the test skips it */
    int udp = bound_inet(SOCK_DGRAM, AF_INET);
    if (udp < 0)
        die("udp");

    char upath[600];
    snprintf(upath, sizeof(upath), "%s/ctl.sock", dir);
    int ux = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un ua = {.sun_family = AF_UNIX};
    if (strlen(upath) >= sizeof(ua.sun_path)) {
        errno = ENAMETOOLONG;
        die("unix path");
    }
    strcpy(ua.sun_path, upath);
    unlink(upath);
    if (ux < 0 || bind(ux, (struct sockaddr *)&ua, sizeof(ua)) != 0 || listen(ux, 4) != 0)
        die("unix socket");

    pid_t child = fork();
    if (child < 0)
        die("fork");
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        prctl(PR_SET_NAME, "dt-child");
        for (int fd = 3; fd < 1024; fd++) /* the sockets belong to the parent alone */
            close(fd);
        for (;;)
            pause();
    }
    pid_t zombie = fork();
    if (zombie < 0)
        die("fork");
    if (zombie == 0) {
        prctl(PR_SET_NAME, "dt-zombie");
        _exit(0); /* not reaped until the end: a zombie for the test */
    }

    pthread_t th[3];
    for (int i = 0; i < 3; i++)
        if (pthread_create(&th[i], NULL, worker, (void *)(long)(i + 1)) != 0)
            die("pthread_create");

    struct sigaction sa = {.sa_handler = on_term};
    sigaction(SIGTERM, &sa, NULL);

    /* wait until the zombie has really exited, so the test sees state Z */
    siginfo_t si;
    memset(&si, 0, sizeof(si));
    if (waitid(P_PID, (id_t)zombie, &si, WEXITED | WNOWAIT) != 0)
        die("waitid");

    printf("pid %d\n", (int)getpid());
    printf("file %s\nfile_fd %d\n", path, file);
    printf("tcp_port %u\nlisten_fd %d\n", port, lsn);
    printf("client_port %u\nclient_fd %d\nserver_fd %d\n", port_of(client), client, server);
    if (lsn6 >= 0)
        printf("tcp6_port %u\ntcp6_fd %d\n", port_of(lsn6), lsn6);
    printf("udp_port %u\nudp_fd %d\n", port_of(udp), udp);
    printf("unix_path %s\nunix_fd %d\n", upath, ux);
    printf("child %d\nzombie %d\n", (int)child, (int)zombie);
    printf("ready\n");

    /* stdin at end of file or SIGTERM ends it */
    char c;
    while (!atomic_load(&stop) && read(STDIN_FILENO, &c, 1) > 0)
        ;
    atomic_store(&stop, true);
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    waitpid(zombie, NULL, 0);
    unlink(upath);
    return 0;
}
