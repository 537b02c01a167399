/* Prometheus exposition of hand-made snapshots: exact lines, escaping of hostile names,
 * omitted unknowns, and (where promtool is installed) acceptance by Prometheus' parser. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "metrics.h"
#include "probe/snapshot.h"
#include "probe/xalloc.h"
#include "strbuf.h"

/* An interface name with a quote, a backslash, a newline and an invalid UTF-8 byte. */
#define HOSTILE_IFACE "e\"\\\n\xff"
/* A comm with spaces, parentheses, a quote, a lone continuation byte, a valid é and a
 * truncated 3-byte sequence at the end (one U+FFFD: a maximal ill-formed subpart). */
#define HOSTILE_COMM "a (b)\"\x80\xc3\xa9\xe2\x82"

static void add_proc(struct snapshot *s, pid_t pid, const char *name, char state, double cpu,
                     uint64_t ticks, uint64_t rss)
{
    s->procs = xreallocarray(s->procs, s->n_procs + 1, sizeof(*s->procs));
    struct proc_entry *p = &s->procs[s->n_procs++];
    memset(p, 0, sizeof(*p));
    p->pid = pid;
    snprintf(p->name, sizeof(p->name), "%s", name);
    p->state = state;
    p->cpu_percent = cpu;
    p->utime = ticks;
    p->stime = 0;
    p->rss = rss;
    p->threads = 1;
}

static void make_snapshot(struct snapshot *s)
{
    snapshot_init(s);
    s->host.boot_time = 1764100000.0;
    s->host.load[0] = 0.5;
    s->host.load[1] = 0.25;
    s->host.load[2] = 1.125;
    s->cpu.logical = 2;
    s->cpu.physical = 1;
    s->cpu.n_cpu = 2;
    s->cpu.per_cpu = xcalloc(2, sizeof(*s->cpu.per_cpu));
    for (int c = 0; c < 2; c++) {
        s->cpu.per_cpu[c].id = c;
        for (int m = 0; m < CPU_MODE_COUNT; m++)
            s->cpu.per_cpu[c].times.ticks[m] = (uint64_t)(1000 * (c + 1) + m);
    }
    s->cpu.per_cpu[1].times.ticks[CPU_USER] = 12345; /* 123.45 s at USER_HZ 100 */
    s->mem.total = 8ull << 30;
    s->mem.available = 4ull << 30;
    s->mem.used = 3ull << 30;
    s->mem.free = 1ull << 30;
    s->mem.buffers = 1024;
    s->mem.cached = 2048;
    s->mem.shared = 4096;
    s->mem.swap_total = 1000;
    s->mem.swap_used = 400;
    s->mem.swap_free = 600;

    s->n_ifaces = 2;
    s->ifaces = xcalloc(2, sizeof(*s->ifaces));
    struct iface *e = &s->ifaces[0];
    snprintf(e->name, sizeof(e->name), "eth0");
    e->up = e->running = true;
    e->duplex = DUPLEX_FULL;
    e->speed_mbps = 1000;
    e->mtu = 1500;
    e->rx_bytes = 123456789012ull;
    e->tx_bytes = 42;
    e->rx_packets = 7;
    e->tx_dropped = 3;
    e->n_addrs = 3;
    e->addrs = xcalloc(3, sizeof(*e->addrs));
    e->addrs[0].family = IFACE_ADDR_INET;
    snprintf(e->addrs[0].address, IFACE_ADDR_STRLEN, "10.0.0.2");
    snprintf(e->addrs[0].netmask, IFACE_ADDR_STRLEN, "255.255.255.0");
    e->addrs[1].family = IFACE_ADDR_INET6;
    snprintf(e->addrs[1].address, IFACE_ADDR_STRLEN, "fe80::1");
    snprintf(e->addrs[1].netmask, IFACE_ADDR_STRLEN, "ffff:ffff:ffff:ffff::");
    e->addrs[2].family = IFACE_ADDR_LINK;
    snprintf(e->addrs[2].address, IFACE_ADDR_STRLEN, "02:00:00:00:00:01");

    struct iface *h = &s->ifaces[1];
    snprintf(h->name, sizeof(h->name), "%s", HOSTILE_IFACE);
    h->up = true;
    h->running = false;
    h->duplex = DUPLEX_UNKNOWN;
    h->speed_mbps = -1;
    h->mtu = 65536;

    add_proc(s, 1, "init", 'S', 0.0, 500, 4096);
    add_proc(s, 2, "kthreadd", 'I', 0.0, 0, 0);
    add_proc(s, 10, "busy", 'R', 90.0, 100, 8192);
    add_proc(s, 11, HOSTILE_COMM, 'R', 50.0, 250, 1 << 20);
    add_proc(s, 12, "zomb1", 'Z', 0.0, 0, 0);
    add_proc(s, 13, "zomb2", 'Z', 0.0, 0, 0);
    add_proc(s, 14, "dd", 'D', 1.0, 0, 0);
    add_proc(s, 15, "stopped", 'T', 0.0, 0, 0);
    add_proc(s, 16, "traced", 't', 0.0, 0, 0);
    add_proc(s, 17, "dead", 'X', 0.0, 0, 0);
}

static char *render_snapshot(const struct snapshot *s, const struct metrics_config *cfg,
                             size_t *len)
{
    struct strbuf b;
    strbuf_init(&b);
    metrics_render(s, cfg, &b);
    *len = b.len;
    return b.data;
}

static char *render(size_t top, size_t *len)
{
    struct snapshot s;
    make_snapshot(&s);
    struct metrics_config cfg = {.clk_tck = 100, .top_processes = top};
    struct strbuf b;
    strbuf_init(&b);
    metrics_render(&s, &cfg, &b);
    snapshot_done(&s);
    ck_assert_ptr_nonnull(b.data);
    ck_assert_uint_eq(strlen(b.data), b.len);
    *len = b.len;
    return b.data;
}

/* The whole line must be present, starting at the beginning of a line. */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)) != NULL; p++)
        if ((p == text || p[-1] == '\n') && p[n] == '\n')
            return true;
    return false;
}

#define ck_line(text, line)    ck_assert_msg(has_line(text, line), "missing line: %s", line)
#define ck_no_line(text, line) ck_assert_msg(!has_line(text, line), "unexpected line: %s", line)

START_TEST(test_help_type_and_host)
{
    size_t len;
    char *t = render(0, &len);
    ck_line(t, "# TYPE vigil_cpu_seconds_total counter");
    ck_assert_ptr_nonnull(strstr(t, "# HELP vigil_cpu_seconds_total "));
    ck_line(t, "vigil_cpu_seconds_total{cpu=\"0\",mode=\"user\"} 10");
    ck_line(t, "vigil_cpu_seconds_total{cpu=\"0\",mode=\"nice\"} 10.01");
    ck_line(t, "vigil_cpu_seconds_total{cpu=\"1\",mode=\"user\"} 123.45");
    ck_line(t, "vigil_cpu_seconds_total{cpu=\"1\",mode=\"steal\"} 20.07");
    /* guest modes are part of user/nice already: not a mode of their own */
    ck_assert_ptr_null(strstr(t, "mode=\"guest"));
    ck_line(t, "# TYPE vigil_cpu_cores gauge");
    ck_line(t, "vigil_cpu_cores{kind=\"logical\"} 2");
    ck_line(t, "vigil_cpu_cores{kind=\"physical\"} 1");
    ck_line(t, "# TYPE vigil_load1 gauge");
    ck_line(t, "vigil_load1 0.5");
    ck_line(t, "vigil_load5 0.25");
    ck_line(t, "vigil_load15 1.125");
    ck_line(t, "vigil_boot_time_seconds 1764100000");
    ck_line(t, "# TYPE vigil_memory_bytes gauge");
    /* the HELP text names the definition the probe uses (sys_parse: total - available) */
    ck_assert_ptr_nonnull(strstr(t, "# HELP vigil_memory_bytes Memory in bytes by kind (used = "
                                    "total - available, as free(1))."));
    ck_line(t, "vigil_memory_bytes{kind=\"total\"} 8589934592");
    ck_line(t, "vigil_memory_bytes{kind=\"available\"} 4294967296");
    ck_line(t, "vigil_memory_bytes{kind=\"shared\"} 4096");
    ck_line(t, "vigil_swap_bytes{kind=\"used\"} 400");
    ck_line(t, "vigil_swap_bytes{kind=\"free\"} 600");
    ck_assert_int_eq(t[len - 1], '\n');
    free(t);
}
END_TEST

START_TEST(test_every_family_has_help_and_type)
{
    size_t len;
    char *t = render(3, &len);
    /* each sample's metric name was announced by HELP and TYPE lines before it, and a
     * family's samples are contiguous (the format requires it) */
    char seen[64][64];
    size_t n_seen = 0;
    char current[64] = "";
    char *copy = xstrdup(t);
    for (char *save = NULL, *line = strtok_r(copy, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char name[64];
        if (sscanf(line, "# TYPE %63s", name) == 1) {
            for (size_t i = 0; i < n_seen; i++)
                ck_assert_msg(strcmp(seen[i], name) != 0, "family %s twice", name);
            ck_assert_uint_lt(n_seen, 64);
            snprintf(seen[n_seen++], sizeof(seen[0]), "%s", name);
            snprintf(current, sizeof(current), "%s", name);
            continue;
        }
        if (line[0] == '#')
            continue;
        size_t nl = strcspn(line, "{ ");
        ck_assert_msg(strlen(current) == nl && strncmp(line, current, nl) == 0,
                      "sample outside its family: %s", line);
    }
    free(copy);
    /* counters end in _total, gauges do not */
    for (char *p = t; (p = strstr(p, "# TYPE ")) != NULL; p++) {
        char name[64], type[16];
        ck_assert_int_eq(sscanf(p, "# TYPE %63s %15s", name, type), 2);
        bool total = strlen(name) > 6 && strcmp(name + strlen(name) - 6, "_total") == 0;
        ck_assert_msg(total == (strcmp(type, "counter") == 0), "%s %s", name, type);
        char help[80];
        snprintf(help, sizeof(help), "# HELP %s ", name);
        ck_assert_msg(strstr(t, help) != NULL, "no HELP for %s", name);
    }
    ck_assert_uint_ge(n_seen, 25);
    free(t);
}
END_TEST

START_TEST(test_processes_by_state)
{
    size_t len;
    char *t = render(0, &len);
    ck_line(t, "# TYPE vigil_processes gauge");
    ck_line(t, "vigil_processes{state=\"running\"} 2");
    ck_line(t, "vigil_processes{state=\"sleeping\"} 1");
    ck_line(t, "vigil_processes{state=\"disk_sleep\"} 1");
    ck_line(t, "vigil_processes{state=\"zombie\"} 2");
    ck_line(t, "vigil_processes{state=\"stopped\"} 2");
    ck_line(t, "vigil_processes{state=\"idle\"} 1");
    ck_line(t, "vigil_processes{state=\"other\"} 1");
    free(t);

    /* every state is listed even when nothing is in it */
    struct snapshot s;
    snapshot_init(&s);
    struct metrics_config cfg = {.clk_tck = 100, .top_processes = 5};
    t = render_snapshot(&s, &cfg, &len);
    ck_line(t, "vigil_processes{state=\"zombie\"} 0");
    ck_line(t, "vigil_processes{state=\"other\"} 0");
    ck_assert_ptr_null(strstr(t, "vigil_network"));
    ck_assert_ptr_null(strstr(t, "vigil_process_"));
    /* an unknown physical core count is no sample, not a zero */
    ck_assert_ptr_null(strstr(t, "kind=\"physical\""));
    free(t);
}
END_TEST

START_TEST(test_network)
{
    size_t len;
    char *t = render(0, &len);
    ck_line(t, "vigil_network_up{interface=\"eth0\"} 1");
    ck_line(t, "vigil_network_running{interface=\"eth0\"} 1");
    ck_line(t, "vigil_network_mtu_bytes{interface=\"eth0\"} 1500");
    ck_line(t, "# TYPE vigil_network_speed_bytes gauge");
    ck_line(t, "vigil_network_speed_bytes{interface=\"eth0\"} 125000000");
    ck_line(t,
            "vigil_network_info{interface=\"eth0\",duplex=\"full\",mac=\"02:00:00:00:00:01\"} 1");
    ck_line(t, "vigil_network_address_info{interface=\"eth0\",family=\"inet\",address=\"10.0.0.2\","
               "netmask=\"255.255.255.0\"} 1");
    ck_line(t, "vigil_network_address_info{interface=\"eth0\",family=\"inet6\",address=\"fe80::1\","
               "netmask=\"ffff:ffff:ffff:ffff::\"} 1");
    ck_assert_ptr_null(strstr(t, "family=\"link\""));
    ck_line(t, "# TYPE vigil_network_receive_bytes_total counter");
    ck_line(t, "vigil_network_receive_bytes_total{interface=\"eth0\"} 123456789012");
    ck_line(t, "vigil_network_transmit_bytes_total{interface=\"eth0\"} 42");
    ck_line(t, "vigil_network_receive_packets_total{interface=\"eth0\"} 7");
    ck_line(t, "vigil_network_transmit_drop_total{interface=\"eth0\"} 3");
    ck_line(t, "vigil_network_receive_errors_total{interface=\"eth0\"} 0");
    ck_line(t, "# TYPE vigil_network_transmit_errors_total counter");
    ck_line(t, "# TYPE vigil_network_receive_drop_total counter");
    ck_line(t, "# TYPE vigil_network_transmit_packets_total counter");
    free(t);
}
END_TEST

START_TEST(test_hostile_interface_name)
{
    size_t len;
    char *t = render(0, &len);
    /* quote, backslash and newline escaped; 0xff replaced by U+FFFD */
#define ESC_IFACE "e\\\"\\\\\\n\xef\xbf\xbd"
    ck_line(t, "vigil_network_up{interface=\"" ESC_IFACE "\"} 1");
    ck_line(t, "vigil_network_running{interface=\"" ESC_IFACE "\"} 0");
    ck_line(t, "vigil_network_mtu_bytes{interface=\"" ESC_IFACE "\"} 65536");
    ck_line(t, "vigil_network_info{interface=\"" ESC_IFACE "\",duplex=\"unknown\",mac=\"\"} 1");
    /* unknown speed: no sample at all for that interface */
    ck_assert_ptr_null(strstr(t, "vigil_network_speed_bytes{interface=\"" ESC_IFACE));
    ck_assert_ptr_null(strstr(t, "\xff"));
    /* no raw newline inside any label set */
    for (char *line = t; *line;) {
        char *end = strchr(line, '\n');
        ck_assert_ptr_nonnull(end);
        if (line[0] != '#' && memchr(line, '{', (size_t)(end - line)))
            ck_assert_msg(memchr(line, '}', (size_t)(end - line)) != NULL, "broken line");
        line = end + 1;
    }
    free(t);
}
END_TEST

START_TEST(test_no_speed_family_when_unknown)
{
    struct snapshot s;
    make_snapshot(&s);
    s.ifaces[0].speed_mbps = -1;
    struct metrics_config cfg = {.clk_tck = 100};
    size_t len;
    char *t = render_snapshot(&s, &cfg, &len);
    ck_assert_ptr_null(strstr(t, "vigil_network_speed_bytes"));
    ck_line(t, "vigil_network_up{interface=\"eth0\"} 1");
    free(t);
    s.ifaces[0].speed_mbps = 10;
    t = render_snapshot(&s, &cfg, &len);
    ck_line(t, "vigil_network_speed_bytes{interface=\"eth0\"} 1250000");
    free(t);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_top_processes)
{
    size_t len;
    char *t = render(0, &len);
    ck_assert_ptr_null(strstr(t, "vigil_process_"));
    free(t);

    t = render(2, &len);
    ck_line(t, "# TYPE vigil_process_cpu_seconds_total counter");
    ck_line(t, "# TYPE vigil_process_resident_memory_bytes gauge");
    ck_line(t, "vigil_process_cpu_seconds_total{pid=\"10\",name=\"busy\"} 1");
    /* spaces and parentheses kept, quote escaped, invalid bytes → U+FFFD, é kept */
#define ESC_COMM "a (b)\\\"\xef\xbf\xbd\xc3\xa9\xef\xbf\xbd"
    ck_line(t, "vigil_process_cpu_seconds_total{pid=\"11\",name=\"" ESC_COMM "\"} 2.5");
    ck_line(t, "vigil_process_resident_memory_bytes{pid=\"11\",name=\"" ESC_COMM "\"} 1048576");
    ck_line(t, "vigil_process_resident_memory_bytes{pid=\"10\",name=\"busy\"} 8192");
    /* only the top 2: init has more CPU time but used none in the interval */
    ck_assert_ptr_null(strstr(t, "pid=\"1\""));
    ck_assert_ptr_null(strstr(t, "pid=\"14\""));
    /* busiest first */
    ck_assert_msg(strstr(t, "pid=\"10\"") < strstr(t, "pid=\"11\""), "order");
    free(t);

    /* N larger than the process count lists everyone once */
    t = render(1000, &len);
    size_t count = 0;
    for (char *p = t; (p = strstr(p, "vigil_process_cpu_seconds_total{")) != NULL; p++)
        count++;
    ck_assert_uint_eq(count, 10);
    /* equal CPU share: more CPU time ranks first */
    ck_assert_msg(strstr(t, "{pid=\"1\",") < strstr(t, "{pid=\"2\","), "order");
    free(t);
}
END_TEST

/* -p and -u choose which processes the top N are ranked among; the machine-wide families
 * still count every process. */
START_TEST(test_top_processes_filtered)
{
    struct snapshot s;
    make_snapshot(&s);
    static const pid_t pids[] = {14, 11, 999};
    struct view_options only;
    view_options_default(&only);
    only.pids = pids;
    only.n_pids = 3;
    struct metrics_config cfg = {.clk_tck = 100, .top_processes = 5, .only = &only};
    size_t len;
    char *t = render_snapshot(&s, &cfg, &len);
    size_t count = 0;
    for (char *p = t; (p = strstr(p, "vigil_process_cpu_seconds_total{")) != NULL; p++)
        count++;
    ck_assert_uint_eq(count, 2);
    ck_assert_ptr_nonnull(strstr(t, "vigil_process_cpu_seconds_total{pid=\"11\""));
    ck_assert_ptr_nonnull(strstr(t, "vigil_process_cpu_seconds_total{pid=\"14\""));
    ck_assert_ptr_null(strstr(t, "{pid=\"10\""));      /* the busiest, but not asked for */
    ck_line(t, "vigil_processes{state=\"zombie\"} 2"); /* every process still counted */
    free(t);

    /* by user: only entries whose uid was read and matches */
    for (size_t i = 0; i < s.n_procs; i++) {
        if (s.procs[i].pid == 2 || s.procs[i].pid == 14) {
            s.procs[i].have |= PROC_F_USER;
            s.procs[i].uid = 1000;
        } else if (s.procs[i].pid == 10) {
            s.procs[i].have |= PROC_F_USER;
            s.procs[i].uid = 0;
        }
    }
    view_options_default(&only);
    only.by_uid = true;
    only.uid = 1000;
    t = render_snapshot(&s, &cfg, &len);
    count = 0;
    for (char *p = t; (p = strstr(p, "vigil_process_cpu_seconds_total{")) != NULL; p++)
        count++;
    ck_assert_uint_eq(count, 2);
    ck_assert_ptr_nonnull(strstr(t, "vigil_process_cpu_seconds_total{pid=\"2\""));
    ck_assert_ptr_nonnull(strstr(t, "vigil_process_cpu_seconds_total{pid=\"14\""));
    free(t);

    /* nobody left: no per-process families at all */
    only.uid = 4242;
    t = render_snapshot(&s, &cfg, &len);
    ck_assert_ptr_null(strstr(t, "vigil_process_"));
    free(t);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_format_value)
{
    char buf[32];
    metrics_format_value(0.1, buf, sizeof(buf));
    ck_assert_str_eq(buf, "0.1");
    metrics_format_value(1.0 / 3.0, buf, sizeof(buf));
    ck_assert_double_eq(strtod(buf, NULL), 1.0 / 3.0);
    metrics_format_value(42, buf, sizeof(buf));
    ck_assert_str_eq(buf, "42");
    metrics_format_value(-3.5, buf, sizeof(buf));
    ck_assert_str_eq(buf, "-3.5");
    metrics_format_value(1e300, buf, sizeof(buf));
    ck_assert_str_eq(buf, "1e+300");
    metrics_format_value(0.0 / 0.0, buf, sizeof(buf));
    ck_assert_str_eq(buf, "NaN");
    metrics_format_value(1.0 / 0.0, buf, sizeof(buf));
    ck_assert_str_eq(buf, "+Inf");
    metrics_format_value(-1.0 / 0.0, buf, sizeof(buf));
    ck_assert_str_eq(buf, "-Inf");
}
END_TEST

/* Prometheus' own parser and linter on the hostile snapshot, where promtool exists. */
START_TEST(test_promtool_accepts)
{
    if (access("/usr/bin/promtool", X_OK) != 0) {
        puts("SKIP: promtool not installed (Debian package prometheus)");
        return;
    }
    size_t len;
    char *t = render(5, &len);
    FILE *p = popen("/usr/bin/promtool check metrics", "w");
    ck_assert_ptr_nonnull(p);
    ck_assert_uint_eq(fwrite(t, 1, len, p), len);
    int st = pclose(p);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "promtool check metrics failed: %d", st);
    free(t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("render");
    tcase_add_test(tc, test_help_type_and_host);
    tcase_add_test(tc, test_every_family_has_help_and_type);
    tcase_add_test(tc, test_processes_by_state);
    tcase_add_test(tc, test_network);
    tcase_add_test(tc, test_hostile_interface_name);
    tcase_add_test(tc, test_no_speed_family_when_unknown);
    tcase_add_test(tc, test_top_processes);
    tcase_add_test(tc, test_top_processes_filtered);
    tcase_add_test(tc, test_format_value);
    tcase_add_test(tc, test_promtool_accepts);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
