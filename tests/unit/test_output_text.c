/* The batch text table on hand-made snapshots: summary lines, row columns, escaping of
 * hostile names, tree branches, and top's size and time formats. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output_text.h"
#include "probe/snapshot.h"
#include "strbuf.h"

static char *render(const struct snapshot *s, const struct view *v)
{
    struct strbuf b;
    strbuf_init(&b);
    output_text_snapshot(&b, s, v);
    return b.data;
}

/* Line n (0-based) of text, copied into buf. */
static const char *line(const char *text, int n, char *buf, size_t cap)
{
    const char *p = text;
    for (int i = 0; i < n && p; i++) {
        p = strchr(p, '\n');
        if (p)
            p++;
    }
    ck_assert_ptr_nonnull(p);
    size_t len = strcspn(p, "\n");
    ck_assert_uint_lt(len, cap);
    memcpy(buf, p, len);
    buf[len] = '\0';
    return buf;
}

static void make_snapshot(struct snapshot *s)
{
    snapshot_init(s);
    s->time = 0;
    s->host.uptime = 3 * 86400 + 4 * 3600 + 5 * 60 + 9;
    s->host.load[0] = 0.5;
    s->host.load[1] = 1.25;
    s->host.load[2] = 10;
    s->cpu.total.pct = (struct cpu_pct){true, 25, 12.5, 2.5, 10, 75, 0, 0, 0, 0};
    s->mem = (struct mem_info){.total = 8ull << 30,
                               .available = 6ull << 30,
                               .used = 1ull << 30,
                               .free = 5ull << 30,
                               .buffers = 1ull << 29,
                               .cached = 3ull << 29,
                               .swap_total = 2ull << 30,
                               .swap_used = 1ull << 20,
                               .swap_free = (2ull << 30) - (1ull << 20)};
    s->n_procs = 4;
    s->procs = calloc(4, sizeof(*s->procs));
    struct proc_entry *p = s->procs;
    p[0].pid = 1;
    strcpy(p[0].name, "init");
    p[0].state = 'S';
    p[0].priority = 20;
    p[0].have = PROC_F_USER;
    p[0].user = "root";
    p[0].vms = 170000ull * 1024;
    p[0].rss = 12000ull * 1024;
    p[0].shared = 8000ull * 1024;
    p[0].cpu_time = 61.234;
    p[0].cpu_percent = 1.25;
    p[0].mem_percent = 0.15;
    p[1].pid = 42;
    p[1].ppid = 1;
    memcpy(p[1].name, "q\"\\\n\xff\x1b[2J", 10);
    p[1].state = 'R';
    p[1].nice = -5;
    p[1].priority = -100; /* real-time: "rt" */
    p[1].have = PROC_F_USER;
    p[1].user = "averylongusername";
    p[1].vms = 40ull << 30; /* too wide for KiB in 7 columns */
    p[1].cpu_time = 3600 * 2;
    p[1].cpu_percent = 150;
    p[2].pid = 43;
    p[2].ppid = 42;
    strcpy(p[2].name, "child");
    p[2].state = 'Z';
    p[3].pid = 44;
    p[3].ppid = 42;
    strcpy(p[3].name, "stopped");
    p[3].state = 'T';
}

START_TEST(test_summary)
{
    struct snapshot s;
    char buf[256];
    make_snapshot(&s);
    setenv("TZ", "UTC", 1);
    tzset();
    char *text = render(&s, NULL);
    ck_assert_str_eq(line(text, 0, buf, sizeof(buf)),
                     "vigil - 00:00:00 up 3 days,  4:05,  load average: 0.50, 1.25, 10.00");
    ck_assert_str_eq(line(text, 1, buf, sizeof(buf)), "Tasks:    4 total,    1 running,    1 "
                                                      "sleeping,    1 stopped,    1 zombie");
    ck_assert_str_eq(line(text, 2, buf, sizeof(buf)),
                     "%Cpu(s):  12.5 us,  10.0 sy,   2.5 ni,  75.0 id,   0.0 wa,   0.0 hi,   "
                     "0.0 si,   0.0 st");
    ck_assert_str_eq(line(text, 3, buf, sizeof(buf)), "MiB Mem :    8192.0 total,    5120.0 "
                                                      "free,    1024.0 used,    2048.0 "
                                                      "buff/cache");
    ck_assert_str_eq(line(text, 4, buf, sizeof(buf)), "MiB Swap:    2048.0 total,    2047.0 "
                                                      "free,       1.0 used.    6144.0 avail "
                                                      "Mem");
    ck_assert_str_eq(line(text, 5, buf, sizeof(buf)), "");
    ck_assert_str_eq(line(text, 6, buf, sizeof(buf)),
                     "    PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ "
                     "COMMAND");
    free(text);

    s.host.uptime = 12 * 60 + 59;
    s.cpu.total.pct.valid = false;
    text = render(&s, NULL);
    ck_assert_ptr_nonnull(strstr(text, " up 12 min,  load"));
    ck_assert_str_eq(line(text, 2, buf, sizeof(buf)), "%Cpu(s): n/a");
    free(text);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_rows)
{
    struct snapshot s;
    char buf[256];
    make_snapshot(&s);
    char *text = render(&s, NULL);
    ck_assert_str_eq(line(text, 7, buf, sizeof(buf)),
                     "      1 root      20   0  170000  12000   8000 S   1.2   0.1   1:01.23 init");
    /* long user cut with '+', rt priority, 40 GiB as "40.0g", escaped hostile name */
    ck_assert_str_eq(line(text, 8, buf, sizeof(buf)),
                     "     42 averylo+  rt  -5   40.0g      0      0 R 150.0   0.0 120:00.00 "
                     "q\"\\\\n\\xff\\e[2J");
    ck_assert_str_eq(
        line(text, 9, buf, sizeof(buf)),
        "     43 ?          0   0       0      0      0 Z   0.0   0.0   0:00.00 child");
    /* nothing raw: one '\n' per line, no ESC */
    ck_assert_ptr_null(strchr(text, '\x1b'));
    int lines = 0;
    for (const char *c = text; *c; c++)
        lines += *c == '\n';
    ck_assert_int_eq(lines, 7 + 4);
    free(text);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_tree_rows)
{
    struct snapshot s;
    char buf[256];
    make_snapshot(&s);
    /* 1 ─ 42 ─┬ 43
     *         └ 44 */
    struct view_row rows[] = {
        {&s.procs[0], 0, 0},
        {&s.procs[1], 1, 0},
        {&s.procs[2], 2, 1u << 1}, /* has a later sibling (44) */
        {&s.procs[3], 2, 0},
    };
    struct view v = {rows, 4};
    char *text = render(&s, &v);
    ck_assert(strstr(line(text, 7, buf, sizeof(buf)), " init") != NULL);
    ck_assert(strstr(line(text, 8, buf, sizeof(buf)), ":00.00  `- q\"") != NULL);
    ck_assert(strstr(line(text, 9, buf, sizeof(buf)), "0:00.00      |- child") != NULL);
    ck_assert(strstr(line(text, 10, buf, sizeof(buf)), "0:00.00      `- stopped") != NULL);
    free(text);

    struct view only = {&rows[3], 1}; /* a view decides which rows exist */
    text = render(&s, &only);
    ck_assert(strstr(text, "stopped") && !strstr(text, "init"));
    ck_assert(strstr(text, "Tasks:    4 total")); /* the summary counts every process */
    free(text);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_formats)
{
    char buf[32];
    output_text_kib(buf, sizeof(buf), 0, 7);
    ck_assert_str_eq(buf, "0");
    output_text_kib(buf, sizeof(buf), 9999999ull * 1024, 7);
    ck_assert_str_eq(buf, "9999999");
    output_text_kib(buf, sizeof(buf), 10000000ull * 1024, 7);
    ck_assert_str_eq(buf, "9765.6m");
    output_text_kib(buf, sizeof(buf), 999999ull * 1024, 6);
    ck_assert_str_eq(buf, "999999");
    output_text_kib(buf, sizeof(buf), 1000000ull * 1024, 6);
    ck_assert_str_eq(buf, "976.6m");
    output_text_kib(buf, sizeof(buf), 40ull << 30, 7);
    ck_assert_str_eq(buf, "40.0g");
    output_text_kib(buf, sizeof(buf), 20ull << 40, 7);
    ck_assert_str_eq(buf, "20.0t");
    output_text_kib(buf, sizeof(buf), 20ull << 40, 6);
    ck_assert_str_eq(buf, "20.0t");
    output_text_kib(buf, sizeof(buf), 1023, 6); /* under a KiB */
    ck_assert_str_eq(buf, "0");

    output_text_time(buf, sizeof(buf), 0);
    ck_assert_str_eq(buf, "0:00.00");
    output_text_time(buf, sizeof(buf), 59.999);
    ck_assert_str_eq(buf, "1:00.00");
    output_text_time(buf, sizeof(buf), 723.45);
    ck_assert_str_eq(buf, "12:03.45");
    output_text_time(buf, sizeof(buf), 100 * 3600.0);
    ck_assert_str_eq(buf, "6000:00.00");
    output_text_time(buf, sizeof(buf), -1);
    ck_assert_str_eq(buf, "0:00.00");
}
END_TEST

static Suite *output_text_suite(void)
{
    Suite *s = suite_create("output_text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_summary);
    tcase_add_test(tc, test_rows);
    tcase_add_test(tc, test_tree_rows);
    tcase_add_test(tc, test_formats);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(output_text_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
