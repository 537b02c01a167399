/* The JSON snapshot writer on hand-made snapshots: exact text for a minimal one, and the
 * null rules, units and key order of every section. */
#include <check.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output_json.h"
#include "probe/snapshot.h"
#include "strbuf.h"

static char *render(const struct snapshot *s, const struct view *v)
{
    struct strbuf b;
    strbuf_init(&b);
    output_json_snapshot(&b, s, v);
    return b.data;
}

static void assert_has(const char *json, const char *frag)
{
    ck_assert_msg(strstr(json, frag) != NULL, "missing %s in\n%s", frag, json);
}

/* The keys appear in this order (each searched after the previous one). */
static void assert_order(const char *json, const char *const *keys)
{
    const char *p = json;
    for (; *keys; keys++) {
        char quoted[64];
        snprintf(quoted, sizeof(quoted), "\"%s\":", *keys);
        const char *q = strstr(p, quoted);
        ck_assert_msg(q != NULL, "key %s missing or out of order", *keys);
        p = q + strlen(quoted);
    }
}

START_TEST(test_minimal_exact)
{
    struct snapshot s;
    snapshot_init(&s);
    s.time = 1764110000.125;
    s.interval = 1.5;
    strcpy(s.host.hostname, "box");
    strcpy(s.host.kernel, "6.1.0");
    s.host.boot_time = 1764100000.0;
    s.host.uptime = 10000.25;
    s.host.load[0] = 0.5;
    s.host.load[1] = 0.25;
    s.host.load[2] = 0;
    s.cpu.logical = 2;
    s.cpu.physical = 1;
    s.cpu.sockets = 1;
    s.cpu.total.pct = (struct cpu_pct){true, 12.5, 8, 0, 3, 87.5, 1, 0.25, 0.25, 0};
    s.mem = (struct mem_info){.total = 8192,
                              .available = 4096,
                              .used = 2048,
                              .free = 1024,
                              .buffers = 512,
                              .cached = 256,
                              .shared = 128,
                              .swap_total = 64,
                              .swap_used = 32,
                              .swap_free = 32};
    char *json = render(&s, NULL);
    ck_assert_str_eq(
        json, "{\"time\":1764110000.125,\"interval\":1.5,"
              "\"host\":{\"hostname\":\"box\",\"kernel\":\"6.1.0\",\"boot_time\":1764100000.0,"
              "\"uptime\":10000.25,\"load\":[0.5,0.25,0.0]},"
              "\"cpu\":{\"logical\":2,\"physical\":1,\"sockets\":1,"
              "\"total\":{\"busy\":12.5,\"user\":8.0,\"system\":3.0,\"nice\":0.0,"
              "\"iowait\":1.0,\"irq\":0.25,\"softirq\":0.25,\"steal\":0.0,\"idle\":87.5},"
              "\"per_cpu\":[]},"
              "\"memory\":{\"total\":8192,\"available\":4096,\"used\":2048,\"free\":1024,"
              "\"buffers\":512,\"cached\":256,\"shared\":128},"
              "\"swap\":{\"total\":64,\"used\":32,\"free\":32},"
              "\"interfaces\":[],\"processes\":[]}\n");
    free(json);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_unknowns_are_null)
{
    struct snapshot s;
    snapshot_init(&s);
    s.cpu.logical = 1; /* physical, sockets 0 = unknown */
    s.cpu.n_cpu = 1;
    s.cpu.per_cpu = calloc(1, sizeof(*s.cpu.per_cpu));
    s.cpu.per_cpu[0].id = 0; /* pct invalid: no previous sample */
    s.time = NAN;            /* NaN never leaks out */
    char *json = render(&s, NULL);
    assert_has(json, "\"time\":null,");
    assert_has(json, "\"physical\":null,\"sockets\":null,");
    assert_has(json, "\"total\":{\"busy\":null,\"user\":null,\"system\":null,\"nice\":null,"
                     "\"iowait\":null,\"irq\":null,\"softirq\":null,\"steal\":null,"
                     "\"idle\":null}");
    assert_has(json, "\"per_cpu\":[{\"id\":0,\"busy\":null,");
    free(json);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_per_cpu)
{
    struct snapshot s;
    snapshot_init(&s);
    s.cpu.n_cpu = 2;
    s.cpu.per_cpu = calloc(2, sizeof(*s.cpu.per_cpu));
    s.cpu.per_cpu[0].id = 0;
    s.cpu.per_cpu[0].pct = (struct cpu_pct){true, 20, 15, 1, 4, 80, 0, 0, 0, 0};
    s.cpu.per_cpu[1].id = 3; /* ids as the kernel numbers them, gaps kept */
    s.cpu.per_cpu[1].pct = (struct cpu_pct){true, 100, 100, 0, 0, 0, 0, 0, 0, 0};
    char *json = render(&s, NULL);
    assert_has(json, "\"per_cpu\":[{\"id\":0,\"busy\":20.0,\"user\":15.0,\"system\":4.0,"
                     "\"nice\":1.0,\"iowait\":0.0,\"irq\":0.0,\"softirq\":0.0,\"steal\":0.0,"
                     "\"idle\":80.0},{\"id\":3,\"busy\":100.0,");
    free(json);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_interfaces)
{
    struct snapshot s;
    snapshot_init(&s);
    s.n_ifaces = 2;
    s.ifaces = calloc(2, sizeof(*s.ifaces));
    struct iface *e = &s.ifaces[0];
    strcpy(e->name, "eth0");
    e->index = 2;
    e->flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST;
    e->up = e->running = true;
    e->duplex = DUPLEX_FULL;
    e->speed_mbps = 10000;
    e->mtu = 1500;
    e->n_addrs = 3;
    e->addrs = calloc(3, sizeof(*e->addrs));
    e->addrs[0].family = IFACE_ADDR_INET;
    strcpy(e->addrs[0].address, "10.0.0.2");
    strcpy(e->addrs[0].netmask, "255.255.255.0");
    strcpy(e->addrs[0].broadcast, "10.0.0.255");
    e->addrs[1].family = IFACE_ADDR_INET6;
    strcpy(e->addrs[1].address, "fe80::1");
    strcpy(e->addrs[1].netmask, "ffff:ffff:ffff:ffff::");
    e->addrs[2].family = IFACE_ADDR_LINK;
    strcpy(e->addrs[2].address, "02:00:00:00:00:01");
    strcpy(e->addrs[2].broadcast, "ff:ff:ff:ff:ff:ff");
    e->rx_bytes = 1;
    e->tx_bytes = 2;
    e->rx_packets = 3;
    e->tx_packets = 4;
    e->rx_errors = 5;
    e->tx_errors = 6;
    e->rx_dropped = 7;
    e->tx_dropped = 18446744073709551615ull;
    e->rx_bytes_per_s = 1024;
    e->tx_bytes_per_s = 0.5;
    struct iface *t = &s.ifaces[1];
    strcpy(t->name, "tun\"0");
    t->index = 9;
    t->duplex = DUPLEX_UNKNOWN;
    t->speed_mbps = -1;
    t->mtu = 1400;

    /* the flag list is whatever iface_flag_names says, in its order */
    struct strbuf flags;
    strbuf_init(&flags);
    const char *names[32];
    size_t n = iface_flag_names(e->flags, names, 32);
    strbuf_puts(&flags, "\"flags\":[");
    for (size_t i = 0; i < n; i++)
        strbuf_printf(&flags, "%s\"%s\"", i ? "," : "", names[i]);
    strbuf_puts(&flags, "],\"duplex\"");

    char *json = render(&s, NULL);
    assert_has(json, "\"interfaces\":[{\"name\":\"eth0\",\"index\":2,\"up\":true,"
                     "\"running\":true,\"flags\":[");
    assert_has(json, flags.data);
    assert_has(json, "\"duplex\":\"full\",\"speed_mbps\":10000,\"mtu\":1500,\"addresses\":["
                     "{\"family\":\"inet\",\"address\":\"10.0.0.2\",\"netmask\":"
                     "\"255.255.255.0\",\"broadcast\":\"10.0.0.255\",\"ptp\":null},"
                     "{\"family\":\"inet6\",\"address\":\"fe80::1\",\"netmask\":"
                     "\"ffff:ffff:ffff:ffff::\",\"broadcast\":null,\"ptp\":null},"
                     "{\"family\":\"link\",\"address\":\"02:00:00:00:00:01\",\"netmask\":null,"
                     "\"broadcast\":\"ff:ff:ff:ff:ff:ff\",\"ptp\":null}],");
    assert_has(json, "\"rx_bytes\":1,\"tx_bytes\":2,\"rx_packets\":3,\"tx_packets\":4,"
                     "\"rx_errors\":5,\"tx_errors\":6,\"rx_dropped\":7,"
                     "\"tx_dropped\":18446744073709551615,\"rx_bytes_per_s\":1024.0,"
                     "\"tx_bytes_per_s\":0.5}");
    assert_has(json, "{\"name\":\"tun\\\"0\",\"index\":9,\"up\":false,\"running\":false,");
    assert_has(json, "\"duplex\":\"unknown\",\"speed_mbps\":null,\"mtu\":1400,"
                     "\"addresses\":[],");
    free(json);
    strbuf_done(&flags);
    snapshot_done(&s);
}
END_TEST

static void fill_full_proc(struct proc_entry *p)
{
    memset(p, 0, sizeof(*p));
    p->pid = 4242;
    p->ppid = 1;
    strcpy(p->name, "a b) (c");
    p->cmdline = vstr_new("/bin/sl\0eep\0\0x y", 16);
    p->exe = vstr_new("/usr/bin/sleep", 14);
    p->have = PROC_F_ALL;
    p->uid = 1000;
    p->user = "alice";
    p->state = 'S';
    p->nice = 7;
    p->priority = 27;
    p->ionice_class = IONICE_BEST_EFFORT;
    p->ionice_level = 4;
    p->threads = 8;
    p->rss = 4096;
    p->vms = 8192;
    p->shared = 1024;
    p->mem_percent = 0.5;
    p->cpu_percent = 150.25;
    p->cpu_time = 1.23;
    p->start_time = 1764100001.5;
    p->tty_nr = (136 << 8) | 3; /* pts/3 */
    p->io_read_bytes = 100;
    p->io_write_bytes = 0;
}

START_TEST(test_process_full)
{
    struct snapshot s;
    snapshot_init(&s);
    s.n_procs = 1;
    s.procs = calloc(1, sizeof(*s.procs));
    fill_full_proc(&s.procs[0]);
    char *json = render(&s, NULL);
    ck_assert_str_eq(strstr(json, "\"processes\":"),
                     "\"processes\":[{\"pid\":4242,\"ppid\":1,\"name\":\"a b) (c\","
                     "\"cmdline\":[\"/bin/sl\",\"eep\",\"\",\"x y\"],"
                     "\"exe\":\"/usr/bin/sleep\",\"user\":\"alice\",\"uid\":1000,"
                     "\"state\":\"S\",\"zombie\":false,\"kernel_thread\":false,\"nice\":7,"
                     "\"priority\":27,\"ionice\":{\"class\":\"best-effort\",\"level\":4},"
                     "\"threads\":8,\"rss\":4096,\"vms\":8192,\"shared\":1024,"
                     "\"mem_percent\":0.5,\"cpu_percent\":150.25,\"cpu_time\":1.23,"
                     "\"start_time\":1764100001.5,\"tty\":\"pts/3\",\"io_read_bytes\":100,"
                     "\"io_write_bytes\":0}]}\n");
    free(json);
    snapshot_done(&s);
}
END_TEST

/* A zombie or a process we may not look into: nulls, never made-up numbers. */
START_TEST(test_process_nulls)
{
    struct snapshot s;
    snapshot_init(&s);
    s.n_procs = 3;
    s.procs = calloc(3, sizeof(*s.procs));
    struct proc_entry *z = &s.procs[0];
    z->pid = 10;
    strcpy(z->name, "defunct");
    z->state = 'Z';
    z->have = PROC_F_ALL;
    z->cmdline = vstr_new("", 0); /* empty: [] */
    z->exe = NULL;                /* not readable */
    z->user = "root";
    z->ionice_class = IONICE_IDLE;
    z->ionice_level = 7;   /* idle has no level, whatever the field says */
    z->io_read_bytes = -1; /* not readable */
    z->io_write_bytes = -1;
    struct proc_entry *k = &s.procs[1];
    k->pid = 11;
    strcpy(k->name, "kworker/0:1");
    k->state = 'I';
    k->kernel_thread = true;
    k->have = PROC_F_USER | PROC_F_IONICE; /* cmdline, exe, io not asked for */
    k->ionice_class = IONICE_NONE;
    k->ionice_level = -1;
    k->io_read_bytes = 5; /* not in have: still null */
    struct proc_entry *u = &s.procs[2];
    u->pid = 12;
    u->state = 'R';
    u->have = 0; /* nothing optional read */
    u->ionice_class = IONICE_REALTIME;
    u->ionice_level = 0;
    char *json = render(&s, NULL);
    assert_has(json, "{\"pid\":10,\"ppid\":0,\"name\":\"defunct\",\"cmdline\":[],\"exe\":null,"
                     "\"user\":\"root\",\"uid\":0,\"state\":\"Z\",\"zombie\":true,"
                     "\"kernel_thread\":false,");
    assert_has(json, "\"ionice\":{\"class\":\"idle\",\"level\":null},");
    assert_has(json, "\"tty\":null,\"io_read_bytes\":null,\"io_write_bytes\":null},{\"pid\":11");
    assert_has(json, "{\"pid\":11,\"ppid\":0,\"name\":\"kworker/0:1\",\"cmdline\":[],"
                     "\"exe\":null,");
    assert_has(json, "\"state\":\"I\",\"zombie\":false,\"kernel_thread\":true,");
    assert_has(json, "\"ionice\":{\"class\":\"none\",\"level\":null},");
    assert_has(json, "\"io_read_bytes\":null,\"io_write_bytes\":null},{\"pid\":12");
    assert_has(json, "{\"pid\":12,\"ppid\":0,\"name\":\"\",\"cmdline\":[],\"exe\":null,"
                     "\"user\":null,\"uid\":null,\"state\":\"R\",");
    assert_has(json, "\"priority\":0,\"ionice\":null,\"threads\":0,");
    free(json);
    snapshot_done(&s);
}
END_TEST

/* Hostile names and command lines stay valid, one-line JSON. */
START_TEST(test_process_hostile)
{
    struct snapshot s;
    snapshot_init(&s);
    s.n_procs = 1;
    s.procs = calloc(1, sizeof(*s.procs));
    struct proc_entry *p = &s.procs[0];
    p->pid = 5;
    memcpy(p->name, "q\"\\\n\xff\x01", 7);
    p->cmdline = vstr_new("a\nb\0\xc0\xaf\0", 7); /* a trailing NUL left in is dropped */
    p->have = PROC_F_CMDLINE;
    strcpy(s.host.hostname, "h\tx");
    char *json = render(&s, NULL);
    assert_has(json, "\"name\":\"q\\\"\\\\\\n\\ufffd\\u0001\",");
    assert_has(json, "\"cmdline\":[\"a\\nb\",\"\\ufffd\\ufffd\"],");
    assert_has(json, "\"hostname\":\"h\\tx\"");
    char *nl = strchr(json, '\n');
    ck_assert_ptr_nonnull(nl);
    ck_assert_int_eq(nl[1], '\0'); /* exactly one line */
    free(json);
    snapshot_done(&s);
}
END_TEST

/* With a view, its rows in its order; the rest of the snapshot is unchanged. */
START_TEST(test_view_rows)
{
    struct snapshot s;
    snapshot_init(&s);
    s.n_procs = 3;
    s.procs = calloc(3, sizeof(*s.procs));
    for (int i = 0; i < 3; i++) {
        s.procs[i].pid = 100 + i;
        s.procs[i].state = 'S';
    }
    struct view_row rows[2] = {{&s.procs[2], 0, 0}, {&s.procs[0], 0, 0}};
    struct view v = {rows, 2};
    char *json = render(&s, &v);
    const char *const order[] = {"processes", "pid", "pid", NULL};
    assert_order(json, order);
    const char *procs = strstr(json, "\"processes\"");
    const char *a = strstr(procs, "\"pid\":102"), *b = strstr(procs, "\"pid\":100");
    ck_assert(a && b && a < b);
    ck_assert_ptr_null(strstr(procs, "\"pid\":101"));
    free(json);
    struct view empty = {NULL, 0};
    json = render(&s, &empty);
    assert_has(json, "\"processes\":[]}");
    free(json);
    snapshot_done(&s);
}
END_TEST

START_TEST(test_key_order)
{
    struct snapshot s;
    snapshot_init(&s);
    s.n_procs = 1;
    s.procs = calloc(1, sizeof(*s.procs));
    fill_full_proc(&s.procs[0]);
    char *json = render(&s, NULL);
    const char *const top[] = {"time",       "interval",    "host",          "hostname",
                               "kernel",     "boot_time",   "uptime",        "load",
                               "cpu",        "logical",     "physical",      "sockets",
                               "total",      "per_cpu",     "memory",        "swap",
                               "interfaces", "processes",   "pid",           "ppid",
                               "name",       "cmdline",     "exe",           "user",
                               "uid",        "state",       "zombie",        "kernel_thread",
                               "nice",       "priority",    "ionice",        "class",
                               "level",      "threads",     "rss",           "vms",
                               "shared",     "mem_percent", "cpu_percent",   "cpu_time",
                               "start_time", "tty",         "io_read_bytes", "io_write_bytes",
                               NULL};
    assert_order(json, top);
    free(json);
    snapshot_done(&s);
}
END_TEST

static Suite *output_json_suite(void)
{
    Suite *s = suite_create("output_json");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_minimal_exact);
    tcase_add_test(tc, test_unknowns_are_null);
    tcase_add_test(tc, test_per_cpu);
    tcase_add_test(tc, test_interfaces);
    tcase_add_test(tc, test_process_full);
    tcase_add_test(tc, test_process_nulls);
    tcase_add_test(tc, test_process_hostile);
    tcase_add_test(tc, test_view_rows);
    tcase_add_test(tc, test_key_order);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(output_json_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
