/* The process scanner over the fixture tree tests/fixtures/tree1/proc: exact values,
 * order, what is dropped, and (on a scratch copy) what a refresh re-reads. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "platform/linux/linux_platform.h"
#include "probe/probe.h"

#define TREE_PROC FIXTURE_DIR "/tree1/proc"
#define BTIME     1764100000.0
#define PAGE      4096u

struct scan {
    int proc_fd;
    struct proc_scanner *sc;
    struct proc_block *blk;
    struct proc_entry *v; /* blk's entries */
    size_t n;
};

static void scan_open(struct scan *s, const char *root, unsigned full_every)
{
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.proc_root = root;
    cfg.clk_tck = 100;
    cfg.page_size = PAGE;
    cfg.full_pass_every = full_every;
    s->proc_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ck_assert_int_ge(s->proc_fd, 0);
    int err = 1;
    s->sc = proc_scanner_new(s->proc_fd, &cfg, &err);
    ck_assert_ptr_nonnull(s->sc);
    ck_assert_int_eq(err, 0);
    s->blk = NULL;
    s->v = NULL;
    s->n = 0;
}

static void scan_drop(struct scan *s)
{
    proc_block_unref(s->blk);
    s->blk = NULL;
    s->v = NULL;
    s->n = 0;
}

static void scan_read(struct scan *s, unsigned want)
{
    scan_drop(s);
    ck_assert_int_eq(proc_scanner_read(s->sc, want, &s->blk), 0);
    s->v = s->blk ? s->blk->e : NULL;
    s->n = s->blk ? s->blk->n : 0;
}

static void scan_close(struct scan *s)
{
    scan_drop(s);
    proc_scanner_free(s->sc);
    close(s->proc_fd);
}

static const struct proc_entry *find(const struct scan *s, pid_t pid)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].pid == pid)
            return &s->v[i];
    return NULL;
}

/* find() for a process that must be there */
static const struct proc_entry *get(const struct scan *s, pid_t pid)
{
    const struct proc_entry *e = find(s, pid);
    ck_assert_msg(e != NULL, "pid %d missing", (int)pid);
    return e;
}

static void expect_user(const struct proc_entry *e, uid_t uid)
{
    char want[64];
    struct passwd *pw = getpwuid(uid);
    if (pw)
        snprintf(want, sizeof(want), "%s", pw->pw_name);
    else
        snprintf(want, sizeof(want), "%u", (unsigned)uid);
    ck_assert(e->have & PROC_F_USER);
    ck_assert_uint_eq(e->uid, uid);
    ck_assert_str_eq(e->user, want);
}

static void expect_vstr(const struct vstr *s, const char *data, size_t len)
{
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(s->len, len);
    ck_assert_mem_eq(s->data, data, len);
    ck_assert_int_eq(s->data[len], '\0');
}

START_TEST(test_fixture_exact)
{
    struct scan s;
    scan_open(&s, TREE_PROC, 4);
    scan_read(&s, PROC_F_ALL);

    /* 300 (stat cut short) and 302 (words for numbers) are dropped, nothing else */
    static const pid_t pids[] = {1, 2, 17, 100, 150, 200, 201, 301, 400, 401};
    ck_assert_uint_eq(s.n, sizeof(pids) / sizeof(pids[0]));
    for (size_t i = 0; i < s.n; i++)
        ck_assert_int_eq(s.v[i].pid, pids[i]);

    const struct proc_entry *e = get(&s, 1);
    ck_assert_str_eq(e->name, "systemd");
    ck_assert_int_eq(e->state, 'S');
    ck_assert_int_eq(e->ppid, 0);
    ck_assert(!e->kernel_thread);
    ck_assert_int_eq(e->nice, 0);
    ck_assert_int_eq(e->priority, 20);
    ck_assert_int_eq(e->threads, 1);
    ck_assert_int_eq(e->tty_nr, 0);
    ck_assert_uint_eq(e->utime, 1500);
    ck_assert_uint_eq(e->stime, 700);
    ck_assert_double_eq_tol(e->cpu_time, 22.0, 1e-9);
    ck_assert_uint_eq(e->start_ticks, 2);
    ck_assert_double_eq_tol(e->start_time, BTIME + 0.02, 1e-6);
    ck_assert_uint_eq(e->vms, 41978u * PAGE);
    ck_assert_uint_eq(e->rss, 3000u * PAGE);
    ck_assert_uint_eq(e->shared, 2100u * PAGE);
    expect_vstr(e->cmdline, "/sbin/init\0splash\0", 18);
    expect_vstr(e->exe, "/usr/lib/systemd/systemd", 24);
    expect_user(e, 0);
    ck_assert(e->have & PROC_F_IO);
    ck_assert_int_eq(e->io_read_bytes, 1024000);
    ck_assert_int_eq(e->io_write_bytes, 409600);
    ck_assert(!(e->have & PROC_F_IONICE)); /* a fixture has no kernel to ask */
    ck_assert_int_eq(e->ionice_class, IONICE_UNKNOWN);
    ck_assert(e->io_read_rate < 0 && e->io_write_rate < 0);
    ck_assert(e->cpu_percent == 0 && e->mem_percent == 0);

    e = get(&s, 2); /* kthreadd */
    ck_assert(e->kernel_thread);
    ck_assert_int_eq(e->ppid, 0);
    ck_assert(e->have & PROC_F_CMDLINE);
    ck_assert_ptr_null(e->cmdline);
    ck_assert(e->have & PROC_F_EXE);
    ck_assert_ptr_null(e->exe);
    ck_assert_uint_eq(e->rss + e->vms + e->shared, 0);

    e = get(&s, 17);
    ck_assert_str_eq(e->name, "kworker/0:1-events");
    ck_assert(e->kernel_thread);
    ck_assert_int_eq(e->state, 'I');
    ck_assert_int_eq(e->ppid, 2);
    ck_assert_ptr_null(e->cmdline);
    ck_assert_double_eq_tol(e->cpu_time, 3.45, 1e-9);

    e = get(&s, 100);
    ck_assert_str_eq(e->name, "bash");
    ck_assert_int_eq(e->tty_nr, 34816);
    expect_user(e, 1000);
    expect_vstr(e->cmdline, "/bin/bash\0--login\0", 18);
    expect_vstr(e->exe, "/usr/bin/bash", 13);
    ck_assert_double_eq_tol(e->start_time, BTIME + 123.45, 1e-6);

    e = get(&s, 150); /* zombie: no command line even though its file has one */
    ck_assert_int_eq(e->state, 'Z');
    ck_assert(!e->kernel_thread);
    ck_assert_int_eq(e->ppid, 100);
    ck_assert(e->have & PROC_F_CMDLINE);
    ck_assert_ptr_null(e->cmdline);
    ck_assert_ptr_null(e->exe);
    expect_user(e, 1000);

    e = get(&s, 200);
    ck_assert_str_eq(e->name, "a b) (c");
    ck_assert_int_eq(e->state, 'R');
    ck_assert_int_eq(e->nice, 7);
    ck_assert_int_eq(e->priority, 27);
    expect_user(e, 4242); /* effective uid, not the real 1000 */
    expect_vstr(e->cmdline, "./weird\0\0last\0", 14);
    expect_vstr(e->exe, "/opt/weird bin/weird", 20);
    ck_assert_int_eq(e->io_read_bytes, 12345);
    ck_assert_int_eq(e->io_write_bytes, 678);
    ck_assert_double_eq_tol(e->cpu_time, 52.5, 1e-9);

    e = get(&s, 201);
    ck_assert_str_eq(e->name, "x\ny\x01\xff");
    expect_vstr(e->cmdline, "x\ny\0", 4);

    e = get(&s, 301); /* no io file, no exe link: both null, the rest there */
    ck_assert(e->have & PROC_F_IO);
    ck_assert_int_eq(e->io_read_bytes, -1);
    ck_assert_int_eq(e->io_write_bytes, -1);
    ck_assert(e->have & PROC_F_EXE);
    ck_assert_ptr_null(e->exe);
    ck_assert_str_eq(e->name, "noio");
    ck_assert_uint_eq(e->rss, 300u * PAGE);

    e = get(&s, 400);
    ck_assert_int_eq(e->threads, 8);
    ck_assert_int_eq(e->nice, -5);
    ck_assert_int_eq(e->priority, 15);
    ck_assert_uint_eq(e->shared, 3000u * PAGE);

    e = get(&s, 401); /* no status, no schedstat: user unknown, the rest read */
    ck_assert(!(e->have & PROC_F_USER));
    ck_assert(e->have & PROC_F_CMDLINE);
    ck_assert_int_eq(e->state, 'D');
    ck_assert_uint_eq(e->utime, 11);
    scan_close(&s);
}
END_TEST

START_TEST(test_hot_only)
{
    struct scan s;
    scan_open(&s, TREE_PROC, 4);
    scan_read(&s, 0);
    ck_assert_uint_eq(s.n, 10);
    for (size_t i = 0; i < s.n; i++) {
        const struct proc_entry *e = &s.v[i];
        ck_assert_uint_eq(e->have, 0);
        ck_assert_ptr_null(e->cmdline);
        ck_assert_ptr_null(e->exe);
        ck_assert_int_eq(e->io_read_bytes, -1);
        ck_assert_str_eq(e->user, "");
        ck_assert_int_ne(e->state, 0);
        ck_assert_int_ne(e->name[0] == 0 && e->pid != 0, 1);
    }
    /* asked for afterwards, for one row */
    struct proc_entry e = s.v[5];
    ck_assert_int_eq(e.pid, 200);
    ck_assert_int_eq(proc_scanner_details(s.sc, &e, PROC_F_CMDLINE | PROC_F_USER), 0);
    expect_vstr(e.cmdline, "./weird\0\0last\0", 14);
    expect_user(&e, 4242);
    ck_assert_ptr_null(e.exe);
    ck_assert_uint_eq(e.have, PROC_F_CMDLINE | PROC_F_USER);
    proc_entry_done(&e);
    e = s.v[5];
    e.start_ticks++; /* not the process the scanner knows at that pid */
    ck_assert_int_eq(proc_scanner_details(s.sc, &e, PROC_F_CMDLINE), -ESRCH);
    ck_assert_ptr_null(e.cmdline);
    scan_close(&s);
}
END_TEST

/* A scratch copy of the fixture that tests may change. */
static char scratch[256];

static void scratch_make(void)
{
    snprintf(scratch, sizeof(scratch), "/tmp/vigil-procscan-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(scratch));
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "cp -a '%s/.' '%s/'", TREE_PROC, scratch);
    ck_assert_int_eq(system(cmd), 0);
}

static void scratch_remove(void)
{
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
    ck_assert_int_eq(system(cmd), 0);
}

/* Rewrites a file in place (same inode, as the kernel's files stay the same file). */
static void put_file(pid_t pid, const char *name, const char *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%d/%s", scratch, (int)pid, name);
    FILE *f = fopen(path, "r+");
    if (!f)
        f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(ftruncate(fileno(f), 0), 0);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* Sets stat field number field (proc(5) numbering, >= 3) of pid to value. */
static void set_stat_field(pid_t pid, int field, const char *value)
{
    char path[512], buf[2048], out[2048];
    snprintf(path, sizeof(path), "%s/%d/stat", scratch, (int)pid);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *close = strrchr(buf, ')');
    ck_assert_ptr_nonnull(close);
    size_t o = (size_t)(close + 1 - buf);
    memcpy(out, buf, o);
    char *save = NULL;
    int i = 3;
    for (char *tok = strtok_r(close + 2, " \n", &save); tok; tok = strtok_r(NULL, " \n", &save))
        o += (size_t)snprintf(out + o, sizeof(out) - o, " %s", i++ == field ? value : tok);
    o += (size_t)snprintf(out + o, sizeof(out) - o, "\n");
    put_file(pid, "stat", out, o);
}

START_TEST(test_identity_change_rereads)
{
    scratch_make();
    struct scan s;
    scan_open(&s, scratch, 4);
    scan_read(&s, PROC_F_CMDLINE | PROC_F_EXE);
    expect_vstr(get(&s, 100)->cmdline, "/bin/bash\0--login\0", 18);
    scan_read(&s, PROC_F_CMDLINE); /* cached: same identity, same answer */
    expect_vstr(get(&s, 100)->cmdline, "/bin/bash\0--login\0", 18);

    /* pid 100 now belongs to another process: new start time, new command line */
    set_stat_field(100, 22, "99999");
    set_stat_field(100, 14, "3");
    put_file(100, "cmdline", "/usr/bin/python3\0x.py\0", 22);
    put_file(100, "schedstat", "1000 10 1\n", 10);
    scan_read(&s, PROC_F_CMDLINE);
    const struct proc_entry *e = get(&s, 100);
    ck_assert_uint_eq(e->start_ticks, 99999);
    ck_assert_uint_eq(e->utime, 3);
    ck_assert_double_eq_tol(e->start_time, BTIME + 999.99, 1e-6);
    expect_vstr(e->cmdline, "/usr/bin/python3\0x.py\0", 22);

    scan_close(&s);
    scratch_remove();
}
END_TEST

START_TEST(test_exec_rereads_cmdline)
{
    scratch_make();
    struct scan s;
    scan_open(&s, scratch, 4);
    scan_read(&s, PROC_F_CMDLINE);
    expect_vstr(get(&s, 100)->cmdline, "/bin/bash\0--login\0", 18);
    /* same pid and start time, new comm: an exec */
    char path[512];
    snprintf(path, sizeof(path), "%s/100/stat", scratch);
    FILE *f = fopen(path, "r");
    char buf[2048];
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char out[2048];
    char *rest = strrchr(buf, ')');
    int o = snprintf(out, sizeof(out), "100 (perl%s", rest);
    put_file(100, "stat", out, (size_t)o);
    put_file(100, "cmdline", "perl\0-e\0", 8);
    put_file(100, "schedstat", "999999999 1 1\n", 14);
    scan_read(&s, PROC_F_CMDLINE);
    const struct proc_entry *e = get(&s, 100);
    ck_assert_str_eq(e->name, "perl");
    ck_assert_uint_eq(e->start_ticks, 12345);
    expect_vstr(e->cmdline, "perl\0-e\0", 8);
    scan_close(&s);
    scratch_remove();
}
END_TEST

/* stat is re-read only when schedstat moved (or for multi-threaded processes), and on
 * the process's full turn. */
START_TEST(test_change_detection)
{
    scratch_make();
    struct scan s;
    scan_open(&s, scratch, 1000); /* no full turn during this test */
    scan_read(&s, 0);
    struct proc_scanner_stats st0, st1;
    proc_scanner_get_stats(s.sc, &st0);
    scan_read(&s, 0);
    proc_scanner_get_stats(s.sc, &st1);
    /* nothing ran: stat only for the 8-thread 400, 401 (no schedstat) and the two broken
     * ones (300, 302), which are tried again on each listing */
    ck_assert_uint_eq(st1.stat_reads - st0.stat_reads, 4);

    set_stat_field(200, 14, "5100");
    set_stat_field(400, 14, "95000");
    scan_read(&s, 0);
    ck_assert_uint_eq(get(&s, 200)->utime, 5000);  /* did not run as far as we can tell */
    ck_assert_uint_eq(get(&s, 400)->utime, 95000); /* threads: schedstat is the leader's */
    put_file(200, "schedstat", "53500000000 3000 801\n", 21);
    scan_read(&s, 0);
    ck_assert_uint_eq(get(&s, 200)->utime, 5100);
    ck_assert_double_eq_tol(get(&s, 200)->cpu_time, 53.5, 1e-9);

    /* memory that changed while asleep shows on the full turn, within full_pass_every */
    scan_close(&s);
    scan_open(&s, scratch, 2);
    scan_read(&s, 0);
    put_file(1, "statm", "50000 4000 2200 256 0 5000 0\n", 29);
    int seen = -1;
    for (int i = 0; i < 2 && seen < 0; i++) {
        scan_read(&s, 0);
        if (get(&s, 1)->rss == 4000u * PAGE)
            seen = i;
    }
    ck_assert_int_ge(seen, 0);
    ck_assert_uint_eq(get(&s, 1)->vms, 50000u * PAGE);
    scan_close(&s);
    scratch_remove();
}
END_TEST

/* The fields of a process that did not run come from the block handed out last, which
 * the caller shares: a caller that reordered it (against platform.h) costs re-reads,
 * never another process's values. */
START_TEST(test_reordered_block_rereads)
{
    scratch_make();
    struct scan s;
    scan_open(&s, scratch, 1000);
    scan_read(&s, 0);
    scan_read(&s, 0);
    struct proc_scanner_stats st0, st1;
    proc_scanner_get_stats(s.sc, &st0);
    ck_assert_uint_ge(s.n, 3);
    struct proc_entry t = s.v[0];
    s.v[0] = s.v[1];
    s.v[1] = t;
    pid_t a = s.v[0].pid, b = s.v[1].pid;
    scan_read(&s, 0);
    proc_scanner_get_stats(s.sc, &st1);
    ck_assert_uint_eq(st1.stat_reads - st0.stat_reads, 4 + 2); /* as above, plus a and b */
    ck_assert_int_eq(s.v[0].pid, b);                           /* pid order again */
    ck_assert_int_eq(s.v[1].pid, a);
    ck_assert_uint_eq(get(&s, 200)->utime, 5000);
    ck_assert_uint_eq(get(&s, 1)->utime, 1500);
    ck_assert_str_eq(get(&s, 1)->name, "systemd");
    scan_close(&s);
    scratch_remove();
}
END_TEST

START_TEST(test_details_marks_for_reread)
{
    scratch_make();
    struct scan s;
    scan_open(&s, scratch, 1000);
    scan_read(&s, 0);
    set_stat_field(200, 19, "5"); /* reniced by someone else while asleep */
    scan_read(&s, 0);
    ck_assert_int_eq(get(&s, 200)->nice, 7);
    struct proc_entry e = *get(&s, 200);
    ck_assert_int_eq(proc_scanner_details(s.sc, &e, PROC_F_EXE), 0);
    expect_vstr(e.exe, "/opt/weird bin/weird", 20);
    proc_entry_done(&e);
    scan_read(&s, 0); /* a row being looked at gets a fresh stat */
    ck_assert_int_eq(get(&s, 200)->nice, 5);
    scan_close(&s);
    scratch_remove();
}
END_TEST

/* A copy of process from as process to (its stat saying so). */
static void clone_proc(pid_t from, pid_t to)
{
    char cmd[1024], path[512], buf[2048];
    snprintf(cmd, sizeof(cmd), "cp -a '%s/%d' '%s/%d'", scratch, (int)from, scratch, (int)to);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(path, sizeof(path), "%s/%d/stat", scratch, (int)to);
    FILE *f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *rest = strchr(buf, ' ');
    ck_assert_ptr_nonnull(rest);
    char out[2100];
    int m = snprintf(out, sizeof(out), "%d%s", (int)to, rest);
    put_file(to, "stat", out, (size_t)m);
}

/* Processes that leave from the front and come in between and at the end: the block is
 * written again in place (scan_read lets go of its reference first) with entries moving
 * both ways, and every entry is what a scanner of its own reads from the files. */
START_TEST(test_in_place_moves)
{
    scratch_make();
    struct scan s;
    scan_open(&s, scratch, 1000);
    scan_read(&s, 0);
    const struct proc_block *first = s.blk;
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s/2' '%s/17'", scratch, scratch);
    ck_assert_int_eq(system(cmd), 0);
    clone_proc(100, 120);
    clone_proc(150, 160);
    clone_proc(1, 3);
    clone_proc(401, 450);
    struct proc_scanner_stats st0, st1;
    proc_scanner_get_stats(s.sc, &st0);
    scan_read(&s, 0);
    proc_scanner_get_stats(s.sc, &st1);
    ck_assert_ptr_eq(s.blk, first); /* the same block, written again */
    /* the four new ones, plus the four of test_change_detection: no entry was lost */
    ck_assert_uint_eq(st1.stat_reads - st0.stat_reads, 4 + 4);
    struct scan ref;
    scan_open(&ref, scratch, 1000);
    scan_read(&ref, 0);
    ck_assert_uint_eq(s.n, ref.n);
    for (size_t i = 0; i < s.n; i++) {
        const struct proc_entry *a = &s.v[i], *b = &ref.v[i];
        ck_assert_int_eq(a->pid, b->pid);
        ck_assert_str_eq(a->name, b->name);
        ck_assert_int_eq(a->ppid, b->ppid);
        ck_assert_int_eq(a->state, b->state);
        ck_assert_uint_eq(a->utime, b->utime);
        ck_assert_uint_eq(a->start_ticks, b->start_ticks);
        ck_assert_uint_eq(a->rss, b->rss);
        ck_assert_uint_eq(a->vms, b->vms);
        ck_assert_int_eq(a->threads, b->threads);
    }
    ck_assert_ptr_nonnull(find(&s, 3));
    ck_assert_ptr_nonnull(find(&s, 160));
    ck_assert_ptr_null(find(&s, 17));
    scan_close(&ref);
    scan_close(&s);
    scratch_remove();
}
END_TEST

START_TEST(test_vanish_and_appear)
{
    scratch_make();
    struct scan s;
    scan_open(&s, scratch, 1000);
    scan_read(&s, PROC_F_CMDLINE);
    ck_assert_ptr_nonnull(find(&s, 201));
    struct proc_entry gone = *get(&s, 201);
    gone.cmdline = NULL;

    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s/201' && cp -a '%s/100' '%s/500'", scratch, scratch,
             scratch);
    ck_assert_int_eq(system(cmd), 0);
    set_stat_field(500, 22, "70000");
    /* the copied stat still says pid 100: not a valid process 500 yet */
    scan_read(&s, PROC_F_CMDLINE);
    ck_assert_ptr_null(find(&s, 201));
    ck_assert_ptr_null(find(&s, 500));
    char path[512], buf[2048];
    snprintf(path, sizeof(path), "%s/500/stat", scratch);
    FILE *f = fopen(path, "r");
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    memcpy(buf, "500", 3);
    put_file(500, "stat", buf, n);
    scan_read(&s, PROC_F_CMDLINE);
    ck_assert_uint_eq(s.n, 10);
    const struct proc_entry *e = get(&s, 500);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(e->start_ticks, 70000);
    expect_vstr(e->cmdline, "/bin/bash\0--login\0", 18);
    ck_assert_int_eq(s.v[s.n - 1].pid, 500); /* still sorted */

    ck_assert_int_eq(proc_scanner_details(s.sc, &gone, PROC_F_CMDLINE), -ESRCH);
    scan_close(&s);
    scratch_remove();
}
END_TEST

/* I/O counters move only when the process runs: the cached ones are used until it does;
 * a detail request reads them afresh. */
START_TEST(test_io_cached_until_run)
{
    scratch_make();
    struct scan s;
    scan_open(&s, scratch, 1000);
    scan_read(&s, PROC_F_IO);
    ck_assert_int_eq(get(&s, 200)->io_read_bytes, 12345);
    const char *io = "rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: 55555\n"
                     "write_bytes: 777\ncancelled_write_bytes: 0\n";
    put_file(200, "io", io, strlen(io));
    scan_read(&s, PROC_F_IO);
    ck_assert_int_eq(get(&s, 200)->io_read_bytes, 12345);
    struct proc_entry e = *get(&s, 200);
    ck_assert_int_eq(proc_scanner_details(s.sc, &e, PROC_F_IO), 0);
    ck_assert_int_eq(e.io_read_bytes, 55555);
    ck_assert_int_eq(e.io_write_bytes, 777);
    put_file(200, "schedstat", "53500000000 3000 801\n", 21);
    scan_read(&s, PROC_F_IO);
    ck_assert_int_eq(get(&s, 200)->io_read_bytes, 55555);
    ck_assert_int_eq(get(&s, 200)->io_write_bytes, 777);
    scan_close(&s);
    scratch_remove();
}
END_TEST

/* A parent that goes away reparents its children while they sleep: their ppid is
 * re-read even though their schedstat did not move. */
START_TEST(test_parent_death_rereads_children)
{
    scratch_make();
    struct scan s;
    scan_open(&s, scratch, 1000);
    scan_read(&s, 0);
    ck_assert_int_eq(get(&s, 200)->ppid, 100);
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s/100'", scratch);
    ck_assert_int_eq(system(cmd), 0);
    set_stat_field(200, 4, "1");
    set_stat_field(150, 4, "1");
    scan_read(&s, 0);
    ck_assert_ptr_null(find(&s, 100));
    ck_assert_int_eq(get(&s, 200)->ppid, 1);
    ck_assert_int_eq(get(&s, 150)->ppid, 1);
    scan_close(&s);
    scratch_remove();
}
END_TEST

/* The scanner on the machine it runs on: itself, with values the kernel confirms. */
START_TEST(test_live_self)
{
    struct scan s;
    scan_open(&s, "/proc", 4);
    /* the first two refreshes may run on worker threads while this one waits (state S) */
    for (int i = 0; i < 3; i++)
        scan_read(&s, PROC_F_ALL);
    ck_assert_uint_gt(s.n, 1);
    for (size_t i = 1; i < s.n; i++)
        ck_assert_int_lt(s.v[i - 1].pid, s.v[i].pid);
    const struct proc_entry *me = find(&s, getpid());
    ck_assert_ptr_nonnull(me);
    ck_assert_int_eq(me->ppid, getppid());
    ck_assert_int_eq(me->state, 'R');
    ck_assert(me->have & PROC_F_IONICE);
    ck_assert_ptr_nonnull(me->cmdline);
    ck_assert_ptr_nonnull(me->exe);
    expect_user(me, geteuid());
    const struct proc_entry *init = find(&s, 1);
    ck_assert_ptr_nonnull(init);
    ck_assert_int_eq(init->ppid, 0);
    scan_read(&s, 0);
    ck_assert_ptr_nonnull(find(&s, getpid()));
    scan_close(&s);
}
END_TEST

static volatile pid_t thread_tid;

static void *idle_thread(void *arg)
{
    (void)arg;
    thread_tid = (pid_t)syscall(SYS_gettid);
    pause();
    return NULL;
}

/* New processes show up between listings (found from the pids handed out lately), a new
 * thread does not, and a process that exits is gone at the next refresh. Someone else
 * forking a lot in between makes the scanner list instead: up to five tries. */
START_TEST(test_live_new_processes)
{
    bool probed = false;
    for (int attempt = 0; attempt < 5 && !probed; attempt++) {
        struct scan s;
        scan_open(&s, "/proc", 1000);
        scan_read(&s, 0); /* the only listing: from here on new pids are probed */
        scan_read(&s, 0); /* past the first two refreshes, which may run on threads of ours */
        struct proc_scanner_stats st0, st1;
        proc_scanner_get_stats(s.sc, &st0);
        int pipefd[2];
        ck_assert_int_eq(pipe(pipefd), 0);
        pid_t child = fork();
        ck_assert_int_ge(child, 0);
        if (child == 0) {
            char c;
            close(pipefd[1]);
            (void)read(pipefd[0], &c, 1);
            _exit(0);
        }
        close(pipefd[0]);
        pthread_t th;
        thread_tid = 0;
        ck_assert_int_eq(pthread_create(&th, NULL, idle_thread, NULL), 0);
        while (!thread_tid)
            usleep(1000);
        scan_read(&s, 0);
        proc_scanner_get_stats(s.sc, &st1);
        const struct proc_entry *e = find(&s, child);
        ck_assert_ptr_nonnull(e);
        ck_assert_int_eq(e->ppid, getpid());
        ck_assert_int_eq(get(&s, getpid())->threads, 2);
        ck_assert_ptr_null(find(&s, thread_tid)); /* the thread is not a process */
        probed = st1.listings == st0.listings && st1.probes > st0.probes;
        close(pipefd[1]);
        ck_assert_int_eq(waitpid(child, NULL, 0), child);
        scan_read(&s, 0);
        ck_assert_ptr_null(find(&s, child));
        pthread_cancel(th);
        pthread_join(th, NULL);
        scan_close(&s);
    }
    ck_assert_msg(probed, "never found a new process by probing");
}
END_TEST

static void rename_self(int sig)
{
    (void)sig;
    prctl(PR_SET_NAME, "renamed-kid");
}

/* The first two refreshes of a quick-first scanner over enough processes run on several
 * threads (proc_scan.c, refresh_all): every child is there, exact, on each refresh, and
 * the workers kept no descriptor. The first skips the CPU clocks: a child that runs
 * between the first two (and renames itself) is seen at the second. */
START_TEST(test_live_parallel_first_refreshes)
{
    enum { N = 2200 };
    static pid_t kids[N];
    int n = 0;
    for (; n < N; n++) {
        kids[n] = fork();
        if (kids[n] < 0)
            break;
        if (kids[n] == 0) {
            prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive a test that timed out */
            signal(SIGUSR1, rename_self);
            for (;;)
                pause();
        }
    }
    ck_assert_int_eq(n, N);
    usleep(200000);

    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.quick_first = true;
    cfg.full_pass_every = 1000;
    struct scan s = {.proc_fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    int err = 1;
    s.sc = proc_scanner_new(s.proc_fd, &cfg, &err);
    ck_assert_ptr_nonnull(s.sc);
    char me[64] = "";
    for (int pass = 0; pass < 3; pass++) {
        scan_read(&s, 0);
        struct proc_scanner_stats st;
        proc_scanner_get_stats(s.sc, &st);
        if (pass == 0) {
            snprintf(me, sizeof(me), "%s", get(&s, getpid())->name);
            ck_assert_uint_ge(st.stat_reads, N);
            kill(kids[0], SIGUSR1);
            char path[64], comm[32] = "";
            snprintf(path, sizeof(path), "/proc/%d/comm", (int)kids[0]);
            for (int t = 0; t < 500 && strcmp(comm, "renamed-kid\n") != 0; t++) {
                usleep(10000);
                FILE *f = fopen(path, "r");
                ck_assert_ptr_nonnull(f);
                if (!fgets(comm, sizeof(comm), f))
                    comm[0] = '\0';
                fclose(f);
            }
            ck_assert_str_eq(comm, "renamed-kid\n");
        }
        if (pass < 2)
            ck_assert_int_eq(st.kept_fds, 0);
        if (pass == 1)
            ck_assert_uint_ge(st.statm_reads, N);
        size_t mine = 0;
        for (size_t i = 0; i < s.n; i++) {
            if (i)
                ck_assert_int_lt(s.v[i - 1].pid, s.v[i].pid);
            if (s.v[i].ppid == getpid())
                mine++;
        }
        ck_assert_uint_eq(mine, N);
        ck_assert_str_eq(get(&s, kids[0])->name, pass == 0 ? me : "renamed-kid");
        for (int k = 97; k < N; k += 97) {
            const struct proc_entry *e = get(&s, kids[k]);
            ck_assert_str_eq(e->name, me);
            ck_assert_msg(e->state == 'S' || e->state == 'R', "state %c", e->state);
            ck_assert_uint_gt(e->rss, 0);
            if (pass > 0)
                ck_assert_uint_gt(e->shared, 0); /* from statm, read on the second pass */
        }
    }
    for (int k = 0; k < N; k++)
        kill(kids[k], SIGKILL);
    for (int k = 0; k < N; k++)
        waitpid(kids[k], NULL, 0);
    scan_read(&s, 0);
    ck_assert_ptr_null(find(&s, kids[0]));
    ck_assert_ptr_null(find(&s, kids[N - 1]));
    scan_close(&s);
}
END_TEST

static Suite *proc_scan_suite(void)
{
    Suite *s = suite_create("proc_scan");
    TCase *tc = tcase_create("fixture");
    tcase_add_test(tc, test_fixture_exact);
    tcase_add_test(tc, test_hot_only);
    tcase_add_test(tc, test_identity_change_rereads);
    tcase_add_test(tc, test_exec_rereads_cmdline);
    tcase_add_test(tc, test_change_detection);
    tcase_add_test(tc, test_reordered_block_rereads);
    tcase_add_test(tc, test_details_marks_for_reread);
    tcase_add_test(tc, test_vanish_and_appear);
    tcase_add_test(tc, test_in_place_moves);
    tcase_add_test(tc, test_parent_death_rereads_children);
    tcase_add_test(tc, test_io_cached_until_run);
    tcase_add_test(tc, test_live_self);
    tcase_add_test(tc, test_live_new_processes);
    suite_add_tcase(s, tc);
    tc = tcase_create("many");
    tcase_set_timeout(tc, 120); /* 2,200 forks: seconds on a small VM, more under ASan */
    tcase_add_test(tc, test_live_parallel_first_refreshes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(proc_scan_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
