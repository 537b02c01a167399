/* The Prometheus exporter: a sampler thread refreshes the snapshot every --delay and
 * renders it once into an MHD response; libmicrohttpd (one epoll thread, non-blocking
 * I/O) serves that shared, reference-counted response to every scrape, so a scrape costs
 * no sampling and a stalled client stalls no one else. libmicrohttpd is opened with
 * dlopen() when the exporter starts, never linked: it and the GnuTLS chain it pulls in
 * would otherwise stay mapped (~2.4 MB resident) in every vigil, though only this mode
 * speaks HTTP. */
#include "export.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "metrics.h"
#include "probe/probe.h"
#include "strbuf.h"

#define EXPORT_DEFAULT_LISTEN "127.0.0.1:9877"
#define EXPORT_CONTENT_TYPE   "text/plain; version=0.0.4; charset=utf-8"

/* Limits against hostile clients. Loopback tests open ~100 parallel connections from one
 * address, so the per-address limit stays well above that while still leaving room for
 * Prometheus when one other host hogs connections. */
#define EXPORT_CONN_LIMIT   512
#define EXPORT_PER_IP_LIMIT 256
#define EXPORT_TIMEOUT_S    10         /* idle seconds before a silent client is dropped */
#define EXPORT_MEMORY_LIMIT (16 << 10) /* per-connection pool: caps request headers */

#ifndef VIGIL_MHD_SONAME
#error "VIGIL_MHD_SONAME (the SONAME of libmicrohttpd) is set by CMake at configure time"
#endif
#ifndef VIGIL_MHD_PACKAGE
#define VIGIL_MHD_PACKAGE "libmicrohttpd"
#endif

/* Every libmicrohttpd function the exporter calls; the header supplies the types, so a
 * pointer cannot disagree with the library's declaration. */
#define MHD_API_FUNCTIONS(X)                                                                       \
    X(start_daemon, MHD_start_daemon)                                                              \
    X(stop_daemon, MHD_stop_daemon)                                                                \
    X(create_response_from_buffer, MHD_create_response_from_buffer)                                \
    X(add_response_header, MHD_add_response_header)                                                \
    X(destroy_response, MHD_destroy_response)                                                      \
    X(queue_response, MHD_queue_response)

struct mhd_api {
#define MHD_API_FIELD(field, symbol) __typeof__(symbol) *field;
    MHD_API_FUNCTIONS(MHD_API_FIELD)
#undef MHD_API_FIELD
};

/* Filled once by mhd_load() before any other thread exists; read-only afterwards. */
static struct mhd_api mhd;

/* dlsym() for mhd_load(): NULL with *err set (the first failure wins). */
static void *mhd_symbol(void *lib, const char *name, const char **err)
{
    if (*err)
        return NULL;
    dlerror(); /* clear a stale error */
    void *sym = dlsym(lib, name);
    if (!sym) {
        const char *why = dlerror();
        *err = why ? why : "a libmicrohttpd function resolves to NULL";
    }
    return sym;
}

/* Opens libmicrohttpd and resolves the table. Returns 0, or -1 after printing the one
 * line that says what is missing. */
static int mhd_load(void)
{
    static bool loaded;
    if (loaded)
        return 0;
    const char *err = NULL;
    void *lib = dlopen(VIGIL_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!lib)
        err = dlerror();
    struct mhd_api api;
    /* POSIX guarantees that a function's address from dlsym() converts back */
#define MHD_API_RESOLVE(field, symbol)                                                             \
    api.field = (__typeof__(api.field))mhd_symbol(lib, #symbol, &err);
    MHD_API_FUNCTIONS(MHD_API_RESOLVE)
#undef MHD_API_RESOLVE
    if (err) {
        fprintf(stderr,
                "vigil: --export prometheus needs libmicrohttpd (Debian package " VIGIL_MHD_PACKAGE
                "): %s\n",
                err);
        if (lib)
            dlclose(lib);
        return -1;
    }
    mhd = api;
    loaded = true; /* the handle stays open until exit */
    return 0;
}

struct exporter {
    pthread_mutex_t lock;
    pthread_cond_t wake;         /* signalled to stop the sampler */
    bool stop;                   /* under lock */
    struct MHD_Response *latest; /* under lock; our reference to the newest metrics */
    struct MHD_Response *not_found, *not_allowed;
    struct probe *probe;
    struct metrics_config mcfg;
    struct view_options only; /* -p, -u: mcfg.only */
    double delay;
    bool sample_failing; /* sampler thread only: report a failure once, not per refresh */
};

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Samples, renders and publishes one refresh. Returns 0 or the probe's -errno. */
static int refresh(struct exporter *ex)
{
    struct snapshot snap;
    snapshot_init(&snap);
    int rc = probe_sample(ex->probe, &snap);
    if (rc < 0) {
        snapshot_done(&snap);
        if (!ex->sample_failing)
            fprintf(stderr, "vigil: cannot sample the system: %s\n", strerror(-rc));
        ex->sample_failing = true;
        return rc;
    }
    ex->sample_failing = false;
    struct strbuf text;
    strbuf_init(&text);
    metrics_render(&snap, &ex->mcfg, &text);
    snapshot_done(&snap);

    /* the response takes the rendered text over and frees it with the last reference */
    struct MHD_Response *resp =
        mhd.create_response_from_buffer(text.len, text.data, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        strbuf_done(&text);
        return -ENOMEM;
    }
    mhd.add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, EXPORT_CONTENT_TYPE);

    pthread_mutex_lock(&ex->lock);
    struct MHD_Response *old = ex->latest;
    ex->latest = resp;
    pthread_mutex_unlock(&ex->lock);
    /* scrapes still sending the old text hold their own references */
    if (old)
        mhd.destroy_response(old);
    return 0;
}

static void *sampler_main(void *arg)
{
    struct exporter *ex = arg;
    double next = mono_now() + ex->delay;
    pthread_mutex_lock(&ex->lock);
    while (!ex->stop) {
        double wait = next - mono_now();
        if (wait > 0) {
            struct timespec ts;
            clock_gettime(CLOCK_MONOTONIC, &ts);
            double ns = (double)ts.tv_nsec + wait * 1e9;
            ts.tv_sec += (time_t)(ns / 1e9);
            ts.tv_nsec = (long)(ns - (double)(time_t)(ns / 1e9) * 1e9);
            pthread_cond_timedwait(&ex->wake, &ex->lock, &ts);
            continue; /* re-check stop and the deadline */
        }
        pthread_mutex_unlock(&ex->lock);
        refresh(ex);
        /* fixed rate; after a stall (suspend, slow /proc) start afresh from now */
        next += ex->delay;
        double now = mono_now();
        if (next < now)
            next = now + ex->delay;
        pthread_mutex_lock(&ex->lock);
    }
    pthread_mutex_unlock(&ex->lock);
    return NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct exporter *ex = cls;
    (void)version;
    (void)upload_data;
    (void)upload_data_size;
    (void)con_cls;

    if (strcmp(url, "/metrics") != 0)
        return mhd.queue_response(conn, MHD_HTTP_NOT_FOUND, ex->not_found);
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return mhd.queue_response(conn, MHD_HTTP_METHOD_NOT_ALLOWED, ex->not_allowed);

    /* MHD counts the reference queueing takes; ours keeps it alive until then */
    pthread_mutex_lock(&ex->lock);
    enum MHD_Result r = mhd.queue_response(conn, MHD_HTTP_OK, ex->latest);
    pthread_mutex_unlock(&ex->lock);
    return r;
}

/* Binds and listens ourselves so a failure reports the real errno. Returns the socket or
 * -errno. */
static int open_listener(const struct sockaddr_storage *ss, socklen_t len)
{
    int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0)
        return -errno;
    int one = 1;
    /* a restart must not wait for TIME_WAIT; Linux still refuses a port in active use */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (ss->ss_family == AF_INET6)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
    if (bind(fd, (const struct sockaddr *)ss, len) < 0 || listen(fd, SOMAXCONN) < 0) {
        int err = errno;
        close(fd);
        return -err;
    }
    return fd;
}

static unsigned connection_limit(void)
{
    /* leave descriptors for /proc reading and the sampler */
    struct rlimit rl;
    unsigned limit = EXPORT_CONN_LIMIT;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
        rl.rlim_cur < (rlim_t)limit + 64)
        limit = rl.rlim_cur > 96 ? (unsigned)rl.rlim_cur - 64 : 32;
    return limit;
}

static struct MHD_Response *static_response(const char *body)
{
    struct MHD_Response *r =
        mhd.create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
    if (r)
        mhd.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
    return r;
}

static void exporter_done(struct exporter *ex)
{
    if (ex->latest)
        mhd.destroy_response(ex->latest);
    if (ex->not_found)
        mhd.destroy_response(ex->not_found);
    if (ex->not_allowed)
        mhd.destroy_response(ex->not_allowed);
    probe_free(ex->probe);
    pthread_cond_destroy(&ex->wake);
    pthread_mutex_destroy(&ex->lock);
}

static int exporter_init(struct exporter *ex, const struct options *opts)
{
    memset(ex, 0, sizeof(*ex));
    pthread_mutex_init(&ex->lock, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&ex->wake, &ca);
    pthread_condattr_destroy(&ca);
    ex->delay = opts->delay >= 0.1 ? opts->delay : 1.5;

    struct probe_config pcfg;
    probe_config_default(&pcfg);
    pcfg.want = 0; /* the [hot] fields are all the metrics need, but -u's uid */
    if (opts->by_uid && opts->export_processes > 0)
        pcfg.want |= PROC_F_USER;
    int err = 0;
    ex->probe = probe_new(&pcfg, &err);
    if (!ex->probe) {
        fprintf(stderr, "vigil: cannot open %s: %s\n", pcfg.proc_root, strerror(-err));
        return -1;
    }
    ex->mcfg.clk_tck = probe_get_config(ex->probe)->clk_tck;
    ex->mcfg.top_processes = opts->export_processes > 0 ? (size_t)opts->export_processes : 0;
    view_options_default(&ex->only);
    ex->only.pids = opts->pids; /* opts outlives the exporter */
    ex->only.n_pids = opts->n_pids;
    ex->only.by_uid = opts->by_uid;
    ex->only.uid = opts->uid;
    ex->mcfg.only = &ex->only;

    ex->not_found = static_response("404 Not Found: metrics are at /metrics\n");
    ex->not_allowed = static_response("405 Method Not Allowed: use GET or HEAD\n");
    if (!ex->not_found || !ex->not_allowed) {
        fputs("vigil: out of memory\n", stderr);
        return -1;
    }
    mhd.add_response_header(ex->not_allowed, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    return 0;
}

int export_run(const struct options *opts)
{
    const char *listen_at = opts->listen ? opts->listen : EXPORT_DEFAULT_LISTEN;
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    if (cli_parse_listen(listen_at, &ss, &sslen) < 0) {
        fprintf(stderr,
                "vigil: invalid --listen '%s' (expected ADDR:PORT, e.g. 127.0.0.1:9877 or "
                "[::1]:9877)\n",
                listen_at);
        return 2;
    }
    if (mhd_load() < 0)
        return 1;

    /* SIGINT/SIGTERM are taken by sigwait() below; every thread inherits the mask */
    sigset_t stop_signals, old_mask;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGINT);
    sigaddset(&stop_signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);
    signal(SIGPIPE, SIG_IGN);

    int status = 1;
    int fd = open_listener(&ss, sslen);
    if (fd < 0) {
        fprintf(stderr, "vigil: cannot listen on %s: %s\n", listen_at, strerror(-fd));
        pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
        return 1;
    }

    struct exporter ex;
    struct MHD_Daemon *d = NULL;
    pthread_t sampler;
    bool sampler_started = false;
    if (exporter_init(&ex, opts) < 0)
        goto out;
    /* the first scrape already has data */
    if (refresh(&ex) < 0)
        goto out;

    d = mhd.start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD, 0, NULL, NULL, on_request, &ex, MHD_OPTION_LISTEN_SOCKET, fd,
        MHD_OPTION_CONNECTION_LIMIT, connection_limit(), MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned)EXPORT_PER_IP_LIMIT, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)EXPORT_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)EXPORT_MEMORY_LIMIT, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "vigil: cannot start the HTTP server on %s\n", listen_at);
        goto out;
    }
    fd = -1; /* MHD closes it */
    if (pthread_create(&sampler, NULL, sampler_main, &ex) != 0) {
        fputs("vigil: cannot start the sampler thread\n", stderr);
        goto out;
    }
    sampler_started = true;
    fprintf(stderr, "vigil: serving Prometheus metrics at http://%s/metrics\n", listen_at);

    int sig = 0;
    while (sigwait(&stop_signals, &sig) != 0)
        ;
    status = 0;

out:
    if (sampler_started) {
        pthread_mutex_lock(&ex.lock);
        ex.stop = true;
        pthread_cond_signal(&ex.wake);
        pthread_mutex_unlock(&ex.lock);
        pthread_join(sampler, NULL);
    }
    if (d)
        mhd.stop_daemon(d);
    if (fd >= 0)
        close(fd);
    exporter_done(&ex);
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
    return status;
}
