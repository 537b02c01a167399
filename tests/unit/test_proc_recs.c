/* The scanner's records over a generated tree of many processes (more than one chunk of
 * records, see proc_rec.c): processes vanish by the hundred, new ones take their records,
 * a pid gets a new process, asked-for fields come and go; every entry must stay the
 * process it names. Under ASan a record used after it was given back is caught. */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/linux/linux_platform.h"
#include "probe/probe.h"

static char root[256];

static void put(pid_t pid, const char *name, const char *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/%d/%s", root, (int)pid, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

/* What the generated process pid says, from gen (which changes when the pid gets a new
 * process). */
static uint64_t utime_of(pid_t pid, int gen)
{
    return (uint64_t)(pid % 97 + gen);
}

static uint64_t start_of(pid_t pid, int gen)
{
    return (uint64_t)pid * 3 + (uint64_t)gen * 100000;
}

static int64_t io_of(pid_t pid, int gen)
{
    return (int64_t)pid * 7 + gen;
}

static void make_proc(pid_t pid, int gen)
{
    char path[512], buf[1024];
    snprintf(path, sizeof(path), "%s/%d", root, (int)pid);
    ck_assert(mkdir(path, 0755) == 0 || gen > 0);
    int n = snprintf(buf, sizeof(buf),
                     "%d (idle%d) S 1 %d %d 0 -1 4194560 0 0 0 0 %llu 1 0 0 20 0 1 0 %llu "
                     "8916992 100 18446744073709551615 1 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 "
                     "1 1 1 1 1 1 1 0\n",
                     (int)pid, gen, (int)pid, (int)pid, (unsigned long long)utime_of(pid, gen),
                     (unsigned long long)start_of(pid, gen));
    put(pid, "stat", buf, (size_t)n);
    put(pid, "statm", "2177 100 50 2 0 725 0\n", 22);
    n = snprintf(buf, sizeof(buf), "%d 10 %d\n", (int)pid * 1000 + gen, gen + 1);
    put(pid, "schedstat", buf, (size_t)n);
    n = snprintf(buf, sizeof(buf),
                 "rchar: 1\nwchar: 2\nsyscr: 3\nsyscw: 4\nread_bytes: %lld\nwrite_bytes: "
                 "%lld\ncancelled_write_bytes: 0\n",
                 (long long)io_of(pid, gen), (long long)io_of(pid, gen) + 1);
    put(pid, "io", buf, (size_t)n);
    n = snprintf(buf, sizeof(buf), "idle%c%d%c", '\0', (int)pid, '\0');
    put(pid, "cmdline", buf, (size_t)n);
}

static void remove_proc(pid_t pid)
{
    static const char *const files[] = {"stat", "statm", "schedstat", "io", "cmdline"};
    char path[512];
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%d/%s", root, (int)pid, files[i]);
        ck_assert_int_eq(unlink(path), 0);
    }
    snprintf(path, sizeof(path), "%s/%d", root, (int)pid);
    ck_assert_int_eq(rmdir(path), 0);
}

/* gens[pid - BASE]: -1 when there is no such process */
#define BASE  1000
#define SPAN  2000
#define FIRST 700
static int gens[SPAN];

static void check_entries(const struct proc_block *blk, unsigned want)
{
    size_t expect = 0;
    for (int i = 0; i < SPAN; i++)
        expect += gens[i] >= 0;
    ck_assert_uint_eq(blk->n, expect);
    for (size_t i = 0; i < blk->n; i++) {
        const struct proc_entry *e = &blk->e[i];
        ck_assert_int_ge(e->pid, BASE);
        ck_assert_int_lt(e->pid, BASE + SPAN);
        int gen = gens[e->pid - BASE];
        ck_assert_msg(gen >= 0, "pid %d is gone", (int)e->pid);
        if (i > 0)
            ck_assert_int_lt(blk->e[i - 1].pid, e->pid);
        ck_assert_uint_eq(e->start_ticks, start_of(e->pid, gen));
        ck_assert_uint_eq(e->utime, utime_of(e->pid, gen));
        if (want & PROC_F_IO) {
            ck_assert(e->have & PROC_F_IO);
            ck_assert_int_eq(e->io_read_bytes, io_of(e->pid, gen));
            ck_assert_int_eq(e->io_write_bytes, io_of(e->pid, gen) + 1);
        } else {
            ck_assert(!(e->have & PROC_F_IO));
        }
        if (want & PROC_F_CMDLINE) {
            char cmd[32];
            int n = snprintf(cmd, sizeof(cmd), "idle%c%d%c", '\0', (int)e->pid, '\0');
            ck_assert_ptr_nonnull(e->cmdline);
            ck_assert_uint_eq(e->cmdline->len, (size_t)n);
            ck_assert_mem_eq(e->cmdline->data, cmd, (size_t)n);
        } else {
            ck_assert_ptr_null(e->cmdline);
        }
    }
}

static void read_check(struct proc_scanner *sc, unsigned want)
{
    struct proc_block *blk = NULL;
    ck_assert_int_eq(proc_scanner_read(sc, want, &blk), 0);
    ck_assert_ptr_nonnull(blk);
    check_entries(blk, want);
    proc_block_unref(blk);
}

START_TEST(test_many_come_and_go)
{
    snprintf(root, sizeof(root), "/tmp/vigil-procrecs-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(root));
    for (int i = 0; i < SPAN; i++)
        gens[i] = -1;
    for (int i = 0; i < FIRST; i++) {
        gens[i] = 0;
        make_proc(BASE + i, 0);
    }
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.proc_root = root;
    cfg.clk_tck = 100;
    cfg.page_size = 4096;
    cfg.full_pass_every = 1;
    int proc_fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ck_assert_int_ge(proc_fd, 0);
    int err = 1;
    struct proc_scanner *sc = proc_scanner_new(proc_fd, &cfg, &err);
    ck_assert_ptr_nonnull(sc);

    read_check(sc, 0);
    read_check(sc, PROC_F_IO | PROC_F_CMDLINE); /* every record gets its side struct */
    read_check(sc, 0);

    /* all but every 50th of the first 600 go, and all of the second 256 (a whole chunk
     * of records, 256 of them, empties) */
    for (int i = 0; i < 600; i++) {
        if (i % 50 || (i >= 256 && i < 512)) {
            gens[i] = -1;
            remove_proc(BASE + i);
        }
    }
    read_check(sc, PROC_F_IO);

    /* new processes take the records given back, and more */
    for (int i = 1000; i < 1500; i++) {
        gens[i] = 0;
        make_proc(BASE + i, 0);
    }
    read_check(sc, PROC_F_IO | PROC_F_CMDLINE);

    /* pids that now name another process: nothing cached of the old one is shown */
    for (int i = 600; i < 700; i += 3) {
        gens[i] = 1;
        make_proc(BASE + i, 1);
    }
    read_check(sc, PROC_F_IO | PROC_F_CMDLINE);

    /* everything goes, then some come back */
    for (int i = 0; i < SPAN; i++) {
        if (gens[i] >= 0) {
            gens[i] = -1;
            remove_proc(BASE + i);
        }
    }
    read_check(sc, 0);
    for (int i = 1900; i < SPAN; i++) {
        gens[i] = 2;
        make_proc(BASE + i, 2);
    }
    read_check(sc, PROC_F_CMDLINE);
    read_check(sc, PROC_F_IO);

    proc_scanner_free(sc);
    close(proc_fd);
    for (int i = 0; i < SPAN; i++)
        if (gens[i] >= 0)
            remove_proc(BASE + i);
    ck_assert_int_eq(rmdir(root), 0);
}
END_TEST

static Suite *recs_suite(void)
{
    Suite *s = suite_create("proc_recs");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_many_come_and_go);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(recs_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
