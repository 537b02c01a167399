/* User threads as rows (probe_set_threads, snapshot.threads) on the fixture tree
 * tests/fixtures/threads1 and on the live system:
 *   500 tproc      3 threads: 501 "vgl-worker-1" (R, nice 5), 502 "vgl (w) 2"
 *   600 gone       says 2 threads, has no task directory: none
 *   700 reused     its task/700 has another start time (the PID was reused): none
 *   800 partial    801 fine, 802's stat cut short, 803 without stat: only 801
 *   900 single     num_threads 1: its task directory (which lists 901) is never read */
#include <check.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <unistd.h>

#include "platform/linux/linux_platform.h"
#include "platform/linux/proc_parse.h"
#include "probe/probe.h"
#include "probe/snapshot.h"

#define TREE FIXTURE_DIR "/threads1"

static struct probe *open_tree(const char *dir, bool threads)
{
    static char proc[512];
    snprintf(proc, sizeof(proc), "%s/proc", dir);
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.proc_root = proc;
    cfg.sys_root = "/nonexistent/vigil-sys";
    cfg.clk_tck = 100;
    cfg.page_size = 4096;
    cfg.want_ifaces = false;
    cfg.want_threads = threads;
    int err = 1;
    struct probe *p = probe_new(&cfg, &err);
    ck_assert_msg(p != NULL, "probe_new(%s): %d", dir, err);
    return p;
}

static void copy_tree(const char *from, char *to, size_t cap)
{
    snprintf(to, cap, "/tmp/vigil-threads-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(to));
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "cp -R '%s/.' '%s/'", from, to);
    ck_assert_int_eq(system(cmd), 0);
}

static void remove_tree(const char *dir)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *dir, const char *rel, const char *text)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    ck_assert_int_eq(fclose(f), 0);
}

#define STAT_TAIL                                                                                  \
    " 18446744073709551615 94000000000000 94000000100000 140720000000000 0 0 0 0 0 0 0 0 0 17 1 "  \
    "0 "                                                                                           \
    "0 0 0 0 94000000200000 94000000300000 94000000400000 140720000001000 140720000001100 "        \
    "140720000001100 140720000002000 0\n"

START_TEST(test_fixture_threads)
{
    struct probe *p = open_tree(TREE, true);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);

    /* threads are never listed as processes */
    ck_assert_uint_eq(s.n_procs, 6);
    for (size_t i = 0; i < s.n_procs; i++)
        ck_assert_int_eq(s.procs[i].tgid, 0);
    ck_assert_ptr_null(snapshot_find_proc(&s, 501));

    ck_assert_uint_eq(s.n_threads, 3);
    ck_assert_int_eq(s.threads[0].tgid, 500);
    ck_assert_int_eq(s.threads[0].pid, 501);
    ck_assert_int_eq(s.threads[1].tgid, 500);
    ck_assert_int_eq(s.threads[1].pid, 502);
    ck_assert_int_eq(s.threads[2].tgid, 800);
    ck_assert_int_eq(s.threads[2].pid, 801);

    const struct proc_entry *proc = snapshot_find_proc(&s, 500);
    const struct proc_entry *t = snapshot_find_thread(&s, 500, 501);
    ck_assert_ptr_nonnull(proc);
    ck_assert_ptr_eq(t, &s.threads[0]);
    ck_assert(proc_entry_is_thread(t));
    ck_assert(!proc_entry_is_thread(proc));
    ck_assert_str_eq(t->name, "vgl-worker-1");
    ck_assert_int_eq(t->state, 'R');
    ck_assert_int_eq(t->nice, 5);
    ck_assert_int_eq(t->priority, 25);
    ck_assert_int_eq(t->ppid, 1);
    ck_assert_int_eq(t->threads, 3);
    ck_assert_uint_eq(t->utime, 300);
    ck_assert_uint_eq(t->stime, 100);
    ck_assert_double_eq_tol(t->cpu_time, 4.0, 1e-9);
    ck_assert_uint_eq(t->start_ticks, 56800);
    ck_assert_double_eq_tol(t->start_time, proc->start_time + 0.11, 1e-6);
    ck_assert(!t->kernel_thread);
    /* one address space: the process's memory */
    ck_assert_uint_eq(t->rss, proc->rss);
    ck_assert_uint_eq(t->vms, proc->vms);
    ck_assert(t->rss > 0);
    ck_assert_uint_eq(t->have, 0);
    ck_assert_ptr_null(t->cmdline);
    ck_assert_double_eq(t->cpu_percent, 0); /* first sample: no rates yet */

    /* comm with spaces and parentheses, exact */
    ck_assert_str_eq(s.threads[1].name, "vgl (w) 2");
    ck_assert_str_eq(s.threads[2].name, "p-ok");
    ck_assert_ptr_null(snapshot_find_thread(&s, 500, 500)); /* the main thread is the process */
    ck_assert_ptr_null(snapshot_find_thread(&s, 800, 802));
    ck_assert_ptr_null(snapshot_find_thread(&s, 900, 901));
    ck_assert_ptr_null(snapshot_find_thread(&s, 700, 701));
    ck_assert_ptr_null(snapshot_find_thread(&s, 501, 501));
    snapshot_done(&s);
    ck_assert_uint_eq(s.n_threads, 0);

    /* turned off: nothing read */
    probe_set_threads(p, false);
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    ck_assert_uint_eq(s.n_procs, 6);
    ck_assert_uint_eq(s.n_threads, 0);
    ck_assert_ptr_null(s.threads);
    snapshot_done(&s);
    probe_free(p);
}
END_TEST

START_TEST(test_off_by_default)
{
    struct probe_config cfg;
    probe_config_default(&cfg);
    ck_assert(!cfg.want_threads);
    struct probe *p = open_tree(TREE, false);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    ck_assert_uint_eq(s.n_threads, 0);
    snapshot_done(&s);
    probe_set_threads(p, true);
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    ck_assert_uint_eq(s.n_threads, 3);
    snapshot_done(&s);
    probe_free(p);
}
END_TEST

START_TEST(test_optional_fields)
{
    struct probe *p = open_tree(TREE, true);
    probe_set_want(p, PROC_F_IO | PROC_F_USER);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    ck_assert_uint_eq(s.n_threads, 3);
    const struct proc_entry *t = snapshot_find_thread(&s, 500, 501);
    ck_assert_ptr_nonnull(t);
    ck_assert(t->have & PROC_F_IO);
    ck_assert_int_eq(t->io_read_bytes, 512); /* its own counters, not the process's */
    ck_assert_int_eq(t->io_write_bytes, 1024);
    /* 502 has no io file (not readable): unknown, but the thread stays */
    t = snapshot_find_thread(&s, 500, 502);
    ck_assert_ptr_nonnull(t);
    ck_assert(t->have & PROC_F_IO);
    ck_assert_int_eq(t->io_read_bytes, -1);
    /* a thread runs as its process's user */
    const struct proc_entry *proc = snapshot_find_proc(&s, 500);
    ck_assert(proc->have & PROC_F_USER);
    ck_assert(t->have & PROC_F_USER);
    ck_assert_int_eq(t->uid, proc->uid);
    ck_assert_str_eq(t->user, proc->user);
    snapshot_done(&s);
    probe_free(p);
}
END_TEST

START_TEST(test_thread_details)
{
    struct probe *p = open_tree(TREE, true);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    struct proc_entry *t = (struct proc_entry *)snapshot_find_thread(&s, 500, 501);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(probe_fill_details(p, t, PROC_F_USER | PROC_F_CMDLINE | PROC_F_IO), 0);
    ck_assert(t->have & PROC_F_USER);
    ck_assert_int_eq(t->uid, 1000); /* the effective uid of its own status (real is 0) */
    ck_assert(t->have & PROC_F_CMDLINE);
    ck_assert_ptr_nonnull(t->cmdline);
    ck_assert_uint_eq(t->cmdline->len, strlen("/usr/bin/tproc") + 1 + strlen("--flag") + 1);
    ck_assert_mem_eq(t->cmdline->data, "/usr/bin/tproc\0--flag\0", t->cmdline->len);
    ck_assert_int_eq(t->io_write_bytes, 1024);

    /* another thread has the TID now: refused, nothing filled */
    struct proc_entry other = *t;
    other.cmdline = other.exe = NULL;
    other.have = 0;
    other.start_ticks++;
    ck_assert_int_eq(probe_fill_details(p, &other, PROC_F_USER), -ESRCH);
    ck_assert_uint_eq(other.have, 0);
    /* a thread of a process that has none by that TID */
    other.start_ticks--;
    other.tgid = 800;
    ck_assert_int_eq(probe_fill_details(p, &other, PROC_F_USER), -ESRCH);
    snapshot_done(&s);
    probe_free(p);
}
END_TEST

START_TEST(test_thread_rates)
{
    char dir[256];
    copy_tree(TREE, dir, sizeof(dir));
    struct probe *p = open_tree(dir, true);
    struct snapshot a, b;
    snapshot_init(&a);
    snapshot_init(&b);
    ck_assert_int_eq(probe_sample(p, &a), 0);
    ck_assert_uint_eq(a.n_threads, 3);

    /* 501 ran 60 ticks; 502's TID now names a new thread that started before the
     * previous sample (unknown rate, never its lifetime as a spike); 801 exited */
    write_file(dir, "proc/500/task/501/stat",
               "501 (vgl-worker-1) R 1 500 500 0 -1 4194560 1200 0 3 0 340 120 0 0 25 5 3 0 "
               "56800 102400000 2500" STAT_TAIL);
    write_file(dir, "proc/500/task/502/stat",
               "502 (vgl-new) S 1 500 500 0 -1 4194560 1200 0 3 0 5000 5000 0 0 20 0 3 0 "
               "57000 102400000 2500" STAT_TAIL);
    char cmd[700];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s/proc/800/task/801'", dir);
    ck_assert_int_eq(system(cmd), 0);
    usleep(20000);
    ck_assert_int_eq(probe_sample(p, &b), 0);
    double dt = b.interval;
    ck_assert(dt > 0.015 && dt < 5);
    ck_assert_uint_eq(b.n_threads, 2);
    const struct proc_entry *t = snapshot_find_thread(&b, 500, 501);
    ck_assert_ptr_nonnull(t);
    ck_assert_double_eq_tol(t->cpu_percent, 60.0 / 100 / dt * 100, 1e-6);
    t = snapshot_find_thread(&b, 500, 502);
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->name, "vgl-new");
    ck_assert_double_eq(t->cpu_percent, 0);
    ck_assert_ptr_null(snapshot_find_thread(&b, 800, 801));

    /* off and on again: the history is gone, so no rate from a stale reading */
    probe_set_threads(p, false);
    probe_set_threads(p, true);
    snapshot_done(&a);
    snapshot_init(&a);
    write_file(dir, "proc/500/task/501/stat",
               "501 (vgl-worker-1) R 1 500 500 0 -1 4194560 1200 0 3 0 900 900 0 0 25 5 3 0 "
               "56800 102400000 2500" STAT_TAIL);
    ck_assert_int_eq(probe_sample(p, &a), 0);
    t = snapshot_find_thread(&a, 500, 501);
    ck_assert_ptr_nonnull(t);
    ck_assert_double_eq(t->cpu_percent, 0);

    snapshot_done(&a);
    snapshot_done(&b);
    probe_free(p);
    remove_tree(dir);
}
END_TEST

/* ---- the live system: this test's own named threads ---- */

struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int named;
    bool quit;
};

static struct gate gate = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, false};

static void *idle_worker(void *arg)
{
    static int n;
    char name[16];
    snprintf(name, sizeof(name), "vgl-idle-%d", __atomic_add_fetch(&n, 1, __ATOMIC_SEQ_CST));
    prctl(PR_SET_NAME, name);
    char c;
    (void)!read(*(int *)arg, &c, 1);
    return NULL;
}

static void *worker(void *arg)
{
    char name[16];
    snprintf(name, sizeof(name), "vgl-unit-%d", (int)(long)arg);
    prctl(PR_SET_NAME, name);
    pthread_mutex_lock(&gate.mu);
    gate.named++;
    pthread_cond_broadcast(&gate.cv);
    while (!gate.quit)
        pthread_cond_wait(&gate.cv, &gate.mu);
    pthread_mutex_unlock(&gate.mu);
    return NULL;
}

START_TEST(test_live_own_threads)
{
    pthread_t th[2];
    for (long i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, worker, (void *)(i + 1)), 0);
    pthread_mutex_lock(&gate.mu);
    while (gate.named < 2)
        pthread_cond_wait(&gate.cv, &gate.mu);
    pthread_mutex_unlock(&gate.mu);

    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.want_ifaces = false;
    cfg.want_threads = true;
    int err;
    struct probe *p = probe_new(&cfg, &err);
    ck_assert_ptr_nonnull(p);
    struct snapshot s;
    snapshot_init(&s);
    ck_assert_int_eq(probe_sample(p, &s), 0);
    pid_t me = getpid();
    int found = 0;
    for (size_t i = 0; i < s.n_threads; i++) {
        const struct proc_entry *t = &s.threads[i];
        ck_assert_int_ne(t->pid, t->tgid);
        ck_assert_ptr_null(snapshot_find_proc(&s, t->pid));
        if (i > 0) /* sorted by (tgid, tid) */
            ck_assert(s.threads[i - 1].tgid < t->tgid ||
                      (s.threads[i - 1].tgid == t->tgid && s.threads[i - 1].pid < t->pid));
        if (t->tgid == me && strncmp(t->name, "vgl-unit-", 9) == 0)
            found++;
    }
    ck_assert_int_eq(found, 2);
    const struct proc_entry *self = snapshot_find_proc(&s, me);
    ck_assert_ptr_nonnull(self);
    ck_assert_int_ge(self->threads, 3);
    snapshot_done(&s);
    probe_free(p);

    pthread_mutex_lock(&gate.mu);
    gate.quit = true;
    pthread_cond_broadcast(&gate.cv);
    pthread_mutex_unlock(&gate.mu);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
}
END_TEST

/* A child with three idle threads (vgl-idle-1..3); each ends when a byte arrives on the
 * pipe it reads. */
static pid_t idle_child(int *ctl)
{
    int in[2], ready[2];
    ck_assert_int_eq(pipe(in), 0);
    ck_assert_int_eq(pipe(ready), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        close(in[1]);
        close(ready[0]);
        static int fd;
        fd = in[0];
        pthread_t th[3];
        for (long i = 0; i < 3; i++)
            pthread_create(&th[i], NULL, idle_worker, &fd);
        usleep(100000); /* named and waiting */
        (void)!write(ready[1], "r", 1);
        pause();
        _exit(0);
    }
    close(in[0]);
    close(ready[1]);
    char c;
    ck_assert_int_eq(read(ready[0], &c, 1), 1);
    close(ready[0]);
    *ctl = in[1];
    return pid;
}

static struct proc_entry child_entry(pid_t pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    struct proc_stat_info st;
    ck_assert_int_eq(proc_parse_stat(buf, n, &st), 0);
    struct proc_entry e;
    memset(&e, 0, sizeof(e));
    e.pid = pid;
    e.ppid = st.ppid;
    e.start_ticks = st.starttime;
    e.threads = st.num_threads;
    e.rss = 4096;
    return e;
}

static size_t read_child(struct thread_reader *tr, pid_t pid, struct proc_entry *out, size_t cap)
{
    struct proc_entry p = child_entry(pid);
    struct proc_entry *v = NULL;
    size_t n = 0;
    ck_assert_int_eq(thread_reader_read(tr, &p, 1, 0, &v, &n), 0);
    ck_assert_uint_le(n, cap);
    memcpy(out, v, n * sizeof(*v));
    free(v);
    return n;
}

/* A process whose threads did not run (its CPU clock did not move) is not listed again:
 * its threads come from the last read, until a nice check (every few reads, another
 * process may renice a sleeping thread) finds a change, or a thread ends (that takes
 * running): then it is listed and read again. */
START_TEST(test_live_idle_threads_reused)
{
    int ctl;
    pid_t child = idle_child(&ctl);
    struct thread_reader_env env = {
        .clk_tck = sysconf(_SC_CLK_TCK), .page_size = 4096, .live = true};
    int pfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    struct thread_reader *tr = thread_reader_new(pfd, &env);
    struct proc_entry t[8];
    ck_assert_uint_eq(read_child(tr, child, t, 8), 3);
    ck_assert_uint_eq(thread_reader_listings(tr), 1);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(strncmp(t[i].name, "vgl-idle-", 9), 0);
    /* on a busy machine a thread may still be on its way to read() (running: a listing);
     * once every thread waits, reads stop listing */
    unsigned long before = 0;
    for (int i = 0; i < 50 && before != thread_reader_listings(tr); i++) {
        before = thread_reader_listings(tr);
        usleep(20000);
        ck_assert_uint_eq(read_child(tr, child, t, 8), 3);
    }
    ck_assert_uint_eq(thread_reader_listings(tr), before);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(read_child(tr, child, t, 8), 3);
    ck_assert_uint_eq(thread_reader_listings(tr), before); /* nothing ran: not listed again */
    ck_assert_uint_eq(t[0].rss, 4096);                     /* memory from the process */

    pid_t tid = t[1].pid;
    ck_assert_int_eq(setpriority(PRIO_PROCESS, (id_t)tid, 7), 0);
    int seen = -1;
    for (int i = 0; i < 6 && seen < 0; i++) {
        size_t n = read_child(tr, child, t, 8);
        for (size_t k = 0; k < n; k++)
            if (t[k].pid == tid && t[k].nice == 7)
                seen = i;
    }
    ck_assert_int_ge(seen, 0);
    ck_assert_uint_eq(thread_reader_listings(tr), before + 1);

    ck_assert_int_eq(write(ctl, "x", 1), 1); /* one thread ends */
    size_t n = 3;
    for (int i = 0; i < 50 && n == 3; i++) {
        usleep(20000);
        n = read_child(tr, child, t, 8);
    }
    ck_assert_uint_eq(n, 2);
    thread_reader_free(tr);
    close(pfd);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    close(ctl);
}
END_TEST

static Suite *threads_suite(void)
{
    Suite *s = suite_create("proc_threads");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_fixture_threads);
    tcase_add_test(tc, test_off_by_default);
    tcase_add_test(tc, test_optional_fields);
    tcase_add_test(tc, test_thread_details);
    tcase_add_test(tc, test_thread_rates);
    tcase_add_test(tc, test_live_own_threads);
    tcase_add_test(tc, test_live_idle_threads_reused);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(threads_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
