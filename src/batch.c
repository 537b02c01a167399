#include "batch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "output_details.h"
#include "output_json.h"
#include "output_text.h"
#include "probe/details.h"
#include "probe/probe.h"
#include "probe/xalloc.h"
#include "strbuf.h"

#define BATCH_PRIME_MAX_S 1.0 /* longest wait for the priming sample */

/* Writes all of buf to fd. Returns 0 or -errno. */
static int batch_write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

static void timespec_add(struct timespec *t, double seconds)
{
    long long ns = (long long)(seconds * 1e9 + 0.5);
    t->tv_sec += (time_t)(ns / 1000000000);
    t->tv_nsec += (long)(ns % 1000000000);
    if (t->tv_nsec >= 1000000000) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000;
    }
}

/* Sleeps until the monotonic time at. A deadline in the past returns at once. */
static void batch_sleep_until(const struct timespec *at)
{
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, at, NULL) == EINTR)
        ;
}

/* The processes to print: the text table follows the sort, tree and filters (config file
 * included); JSON is in pid order unless --sort or --tree was given on the command line,
 * and needs no view at all when nothing filters or orders it. */
static bool batch_view_options(const struct options *o, struct view_options *vo)
{
    view_options_default(vo);
    vo->pids = o->pids;
    vo->n_pids = o->n_pids;
    vo->by_uid = o->by_uid;
    vo->uid = o->uid;
    if (o->format == FORMAT_TEXT) {
        vo->sort = o->sort;
        vo->reverse = o->reverse;
        vo->tree = o->tree;
        return true;
    }
    vo->sort = o->sort_set ? o->sort : SORT_PID;
    vo->reverse = o->reverse;
    vo->tree = o->tree && o->tree_set;
    return o->n_pids || o->by_uid || o->sort_set || o->reverse || vo->tree;
}

/* --details: the last inspector read of each process named by --pid; the next read's
 * rates are computed against it. */
struct batch_details {
    struct proc_details *items;
    bool *ok; /* false: the process went away before it could be read */
    size_t n;
};

static void batch_details_done(struct batch_details *bd)
{
    for (size_t i = 0; i < bd->n; i++)
        proc_details_done(&bd->items[i]);
    free(bd->items);
    free(bd->ok);
    memset(bd, 0, sizeof(*bd));
}

static bool batch_pid_selected(const struct options *o, pid_t pid)
{
    for (size_t i = 0; i < o->n_pids; i++)
        if (o->pids[i] == pid)
            return true;
    return false;
}

static const struct proc_details *batch_details_find(const struct batch_details *bd, pid_t pid,
                                                     uint64_t start_ticks, bool need_ok)
{
    for (size_t i = 0; i < bd->n; i++)
        if (bd->items[i].pid == pid && bd->items[i].start_ticks == start_ticks &&
            (bd->ok[i] || !need_ok))
            return &bd->items[i];
    return NULL;
}

/* Reads the details of every process of s named by --pid, replacing bd. */
static void batch_details_read(struct probe *p, const struct options *o, const struct snapshot *s,
                               struct batch_details *bd)
{
    struct batch_details next = {NULL, NULL, 0};
    next.items = xcalloc(o->n_pids ? o->n_pids : 1, sizeof(*next.items));
    next.ok = xcalloc(o->n_pids ? o->n_pids : 1, sizeof(*next.ok));
    for (size_t i = 0; i < s->n_procs && next.n < o->n_pids; i++) {
        const struct proc_entry *e = &s->procs[i];
        if (!batch_pid_selected(o, e->pid))
            continue;
        const struct proc_details *prev = batch_details_find(bd, e->pid, e->start_ticks, true);
        struct proc_details *d = &next.items[next.n];
        next.ok[next.n] = probe_read_details(p, e->pid, e->start_ticks, prev, d) == 0;
        if (!next.ok[next.n]) {
            /* keep the identity so the process is still told apart from others */
            d->pid = e->pid;
            d->start_ticks = e->start_ticks;
        }
        next.n++;
    }
    batch_details_done(bd);
    *bd = next;
}

/* "details": the process's inspector sections, or null when it went away before they
 * could be read. */
static void batch_details_hook(struct json_writer *w, const struct proc_entry *e, void *arg)
{
    const struct proc_details *d = batch_details_find(arg, e->pid, e->start_ticks, true);
    json_key(w, "details");
    if (d)
        output_json_details(w, d);
    else
        json_null(w);
}

/* Formats one snapshot into out. Returns 0 or -errno. */
static int batch_format(const struct options *o, const struct snapshot *s, struct batch_details *bd,
                        struct strbuf *out)
{
    struct view_options vo;
    struct view v = {NULL, 0};
    bool use_view = batch_view_options(o, &vo);
    if (use_view) {
        int rc = view_build(s, &vo, &v);
        if (rc < 0)
            return rc;
    }
    if (o->format == FORMAT_JSON) {
        struct output_json_hook hook = {batch_details_hook, bd};
        output_json_snapshot_hooked(out, s, use_view ? &v : NULL, o->details ? &hook : NULL);
    } else {
        output_text_snapshot(out, s, use_view ? &v : NULL);
    }
    view_done(&v);
    return 0;
}

int batch_run(const struct options *o)
{
    struct probe_config cfg;
    probe_config_default(&cfg);
    if (o->format == FORMAT_JSON) {
        cfg.want = PROC_F_ALL;
    } else {
        /* the table shows user names; io is read only when it is the sort key */
        cfg.want = PROC_F_USER | (o->sort == SORT_IO ? PROC_F_IO : 0);
        cfg.want_ifaces = false;
    }

    int err = 0;
    struct probe *p = probe_new(&cfg, &err);
    if (!p) {
        fprintf(stderr, "vigil: cannot read %s: %s\n", cfg.proc_root, strerror(-err));
        return 1;
    }
    /* A reader that goes away (`| head -1`) shows up as EPIPE from write(). */
    signal(SIGPIPE, SIG_IGN);

    int status = 0;
    struct strbuf out;
    strbuf_init(&out);
    struct snapshot snap;
    snapshot_init(&snap);
    struct timespec last;
    clock_gettime(CLOCK_MONOTONIC, &last);
    struct batch_details details = {NULL, NULL, 0};
    int rc = probe_sample(p, &snap); /* priming: the printed rates need a previous sample */
    if (rc == 0 && o->details)
        batch_details_read(p, o, &snap, &details);
    snapshot_done(&snap);

    for (long i = 0; rc == 0 && i < o->iterations; i++) {
        struct timespec next = last;
        /* the priming interval is the delay up to a second: `-d 3600 -n 1` answers in a
         * second, with rates over that second, instead of after an hour */
        timespec_add(&next, i == 0 && o->delay > BATCH_PRIME_MAX_S ? BATCH_PRIME_MAX_S : o->delay);
        batch_sleep_until(&next);
        clock_gettime(CLOCK_MONOTONIC, &last);
        snapshot_init(&snap);
        rc = probe_sample(p, &snap);
        if (rc < 0)
            break;
        strbuf_reset(&out);
        if (i > 0 && o->format == FORMAT_TEXT)
            strbuf_putc(&out, '\n');
        if (o->details)
            batch_details_read(p, o, &snap, &details);
        rc = batch_format(o, &snap, &details, &out);
        snapshot_done(&snap);
        if (rc < 0) {
            fprintf(stderr, "vigil: cannot build the process list: %s\n", strerror(-rc));
            status = 1;
            rc = 0;
            break;
        }
        rc = batch_write_all(STDOUT_FILENO, out.data, out.len);
        if (rc == -EPIPE) {
            rc = 0;
            break;
        }
        if (rc < 0) {
            fprintf(stderr, "vigil: cannot write to standard output: %s\n", strerror(-rc));
            status = 1;
            rc = 0;
            break;
        }
    }
    if (rc < 0) {
        fprintf(stderr, "vigil: cannot read %s: %s\n", cfg.proc_root, strerror(-rc));
        status = 1;
    }
    snapshot_done(&snap);
    batch_details_done(&details);
    strbuf_done(&out);
    probe_free(p);
    return status;
}
