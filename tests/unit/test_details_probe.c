/* The process inspector end to end on a fixture tree (tests/fixtures/details1): the probe
 * with that /proc root reads pid 4242 (a server with threads, sockets, a pipe, a child
 * and a zombie child) and pid 4300 (the zombie), then the JSON writer formats them. */
#include <check.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "output_details.h"
#include "probe/details.h"
#include "probe/probe.h"

#define KB   1024
#define ROOT FIXTURE_DIR "/details1/proc"

static struct probe *open_fixture(void)
{
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.proc_root = ROOT;
    cfg.sys_root = FIXTURE_DIR "/details1/sys"; /* absent: nothing here needs it */
    cfg.clk_tck = 100;
    cfg.page_size = 4096;
    cfg.want_procs = false;
    cfg.want_ifaces = false;
    int err = 1;
    struct probe *p = probe_new(&cfg, &err);
    ck_assert_msg(p != NULL, "probe_new: %d", err);
    return p;
}

static const struct details_conn *conn_of_fd(const struct proc_details *d, int fd)
{
    for (size_t i = 0; i < d->n_conns; i++)
        if (d->conns[i].fd == fd)
            return &d->conns[i];
    return NULL;
}

START_TEST(test_server_identity_cpu_memory)
{
    struct probe *p = open_fixture();
    struct proc_details d;
    ck_assert_int_eq(probe_read_details(p, 4242, 30000, NULL, &d), 0);
    ck_assert_int_eq(d.pid, 4242);
    ck_assert(!d.zombie);
    ck_assert_str_eq(d.id.name, "fix server");
    ck_assert_int_eq(d.id.ppid, 1);
    ck_assert_str_eq(d.id.parent_name, "init");
    ck_assert_double_eq_tol(d.id.start_time, 1764100000.0 + 300.0, 1e-6);
    ck_assert(d.id.have_ids);
    ck_assert_uint_eq(d.id.uids[DETAILS_ID_EFFECTIVE], 1000);
    ck_assert_uint_eq(d.id.gids[DETAILS_ID_SAVED], 1000);
    struct passwd *pw = getpwuid(1000);
    ck_assert_str_eq(d.id.user_names[DETAILS_ID_REAL], pw ? pw->pw_name : "1000");
    ck_assert_int_eq(d.id.state, 'S');
    char tty[32];
    ck_assert(proc_tty_name(d.id.tty_nr, tty, sizeof(tty)));
    ck_assert_str_eq(tty, "pts/1");
    ck_assert_str_eq(d.id.cwd, "/home/fixture");
    ck_assert_str_eq(d.id.exe, "/usr/bin/fixture-server");
    ck_assert_uint_eq(d.id.cmdline_argc, 4);
    ck_assert_uint_eq(d.id.cmdline_len,
                      sizeof("/usr/bin/fixture-server\0--port\0\0with space") - 1);

    ck_assert_uint_eq(d.cpu.utime, 1234);
    ck_assert_uint_eq(d.cpu.stime, 567);
    ck_assert_uint_eq(d.cpu.cutime, 89);
    ck_assert_uint_eq(d.cpu.cstime, 10);
    ck_assert(d.cpu.cpu_percent < 0); /* no previous read */
    ck_assert_int_eq(d.cpu.nice, 5);
    ck_assert_int_eq(d.cpu.priority, 25);
    ck_assert_str_eq(details_sched_policy_name(d.cpu.policy), "batch");
    ck_assert_int_eq(d.cpu.processor, 1);
    ck_assert_uint_eq(d.cpu.n_affinity, 2);
    ck_assert_int_eq(d.cpu.affinity[0], 0);
    ck_assert_int_eq(d.cpu.affinity[1], 2);
    ck_assert_int_eq(d.cpu.ctx_voluntary, 150);
    ck_assert_int_eq(d.cpu.ctx_involuntary, 7);
    ck_assert_int_eq(d.cpu.num_threads, 2);
    /* a fixture root is not the live /proc: no ioprio system call on a fixture pid */
    ck_assert_int_eq(d.cpu.ionice_class, IONICE_UNKNOWN);

    ck_assert_int_eq(d.mem.status_err, 0);
    ck_assert_int_eq(d.mem.rss, 10240 * KB);
    ck_assert_int_eq(d.mem.vms, 102400 * KB);
    ck_assert_int_eq(d.mem.shared, (3072 + 1024) * KB);
    ck_assert_int_eq(d.mem.text, 400 * KB);
    ck_assert_int_eq(d.mem.data, 20480 * KB);
    ck_assert_int_eq(d.mem.swap, 512 * KB);
    ck_assert_int_eq(d.mem.peak_rss, 12000 * KB);
    ck_assert_int_eq(d.mem.rollup_err, 0);
    ck_assert_int_eq(d.mem.pss, 8000 * KB);
    ck_assert_int_eq(d.mem.uss, (500 + 6644) * KB);
    ck_assert_int_eq(d.mem.swap_pss, 256 * KB);
    ck_assert_int_eq(d.mem.maps_err, 0);
    ck_assert_uint_eq(d.mem.n_maps, 4);
    ck_assert_str_eq(d.mem.maps[0].path, "[heap]");
    ck_assert_str_eq(d.mem.maps[1].path, "/usr/lib/x86_64-linux-gnu/libc.so.6");
    ck_assert_uint_eq(d.mem.maps[1].shared_bytes, 3000 * KB);
    ck_assert_str_eq(d.mem.maps[2].path, "/usr/bin/fixture-server");
    ck_assert_uint_eq(d.mem.maps[2].count, 2);
    ck_assert_uint_eq(d.mem.maps[2].rss, 304 * KB);
    ck_assert_str_eq(d.mem.maps[3].path, "[stack]");

    ck_assert_int_eq(d.io.err, 0);
    ck_assert_uint_eq(d.io.rchar, 100000);
    ck_assert_uint_eq(d.io.read_bytes, 40960);
    ck_assert_uint_eq(d.io.syscw, 200);
    proc_details_done(&d);
    probe_free(p);
}
END_TEST

START_TEST(test_server_threads_files_connections)
{
    struct probe *p = open_fixture();
    struct proc_details d;
    ck_assert_int_eq(probe_read_details(p, 4242, 30000, NULL, &d), 0);
    ck_assert_int_eq(d.threads_err, 0);
    ck_assert_uint_eq(d.n_threads, 2);
    ck_assert_int_eq(d.threads[0].tid, 4242);
    ck_assert_int_eq(d.threads[1].tid, 4243);
    ck_assert_str_eq(d.threads[1].name, "worker-1");
    ck_assert_int_eq(d.threads[1].state, 'R');
    ck_assert_uint_eq(d.threads[1].utime, 234);

    ck_assert_int_eq(d.fds_err, 0);
    ck_assert_uint_eq(d.n_fds, 11);
    ck_assert_int_eq(d.fds[0].fd, 0);
    ck_assert_str_eq(d.fds[0].target, "/dev/null");
    ck_assert_int_eq(d.fds[0].kind, DETAILS_FD_FILE);
    ck_assert_int_eq(d.fds[2].fd, 3);
    ck_assert_int_eq(d.fds[2].kind, DETAILS_FD_SOCKET);
    ck_assert_uint_eq(d.fds[2].inode, 1001);
    ck_assert_int_eq(d.fds[7].fd, 8);
    ck_assert_int_eq(d.fds[7].kind, DETAILS_FD_PIPE);
    ck_assert_int_eq(d.fds[8].kind, DETAILS_FD_ANON);
    ck_assert_int_eq(d.fds[10].fd, 11); /* by number, not directory order */

    ck_assert_int_eq(d.conns_err, 0);
    ck_assert_uint_eq(d.n_conns, 6); /* fd 11's socket is in no table; others' are not ours */
    const struct details_conn *c = conn_of_fd(&d, 3);
    ck_assert_ptr_nonnull(c);
    ck_assert_int_eq(c->proto, DETAILS_TCP);
    ck_assert_str_eq(c->local, "127.0.0.1");
    ck_assert_uint_eq(c->local_port, 8080);
    ck_assert_str_eq(details_conn_state_name(c), "LISTEN");
    c = conn_of_fd(&d, 4);
    ck_assert_str_eq(details_conn_state_name(c), "ESTABLISHED");
    ck_assert_uint_eq(c->remote_port, 54321);
    c = conn_of_fd(&d, 10); /* a dup of fd 4: listed under both */
    ck_assert_ptr_nonnull(c);
    ck_assert_uint_eq(c->inode, 1002);
    c = conn_of_fd(&d, 5);
    ck_assert_int_eq(c->family, AF_INET6);
    ck_assert_str_eq(c->local, "2001:db8::1");
    ck_assert_uint_eq(c->local_port, 443);
    c = conn_of_fd(&d, 7);
    ck_assert_int_eq(c->proto, DETAILS_UDP);
    ck_assert_str_eq(details_conn_state_name(c), "UNCONN");
    c = conn_of_fd(&d, 6);
    ck_assert_int_eq(c->proto, DETAILS_UNIX);
    ck_assert_str_eq(c->path, "/run/fixture/ctl.sock");
    ck_assert_str_eq(details_conn_state_name(c), "LISTEN");
    /* TCP first, then UDP, then UNIX */
    ck_assert_int_eq(d.conns[0].proto, DETAILS_TCP);
    ck_assert_int_eq(d.conns[4].proto, DETAILS_UDP);
    ck_assert_int_eq(d.conns[5].proto, DETAILS_UNIX);

    ck_assert_int_eq(d.limits_err, 0);
    ck_assert_uint_eq(d.n_limits, 16);
    ck_assert_str_eq(d.limits[7].resource, "nofile");
    ck_assert_uint_eq(d.limits[7].soft, 32);
    ck_assert_uint_eq(d.limits[7].hard, 4096);

    ck_assert_int_eq(d.children_err, 0);
    ck_assert_uint_eq(d.n_children, 2);
    ck_assert_int_eq(d.children[0].pid, 4250);
    ck_assert_str_eq(d.children[0].name, "fix child");
    ck_assert_int_eq(d.children[1].pid, 4300);
    proc_details_done(&d);
    probe_free(p);
}
END_TEST

START_TEST(test_identity_checked)
{
    struct probe *p = open_fixture();
    struct proc_details d;
    /* the pid now belongs to a process that started at another time */
    ck_assert_int_eq(probe_read_details(p, 4242, 29999, NULL, &d), -ESRCH);
    ck_assert_uint_eq(d.n_fds, 0);
    ck_assert_ptr_null(d.fds);
    ck_assert_int_eq(probe_read_details(p, 31337, 1, NULL, &d), -ESRCH);
    ck_assert_int_eq(probe_read_details(p, 0, 0, NULL, &d), -ESRCH);
    proc_details_done(&d);
    probe_free(p);
}
END_TEST

START_TEST(test_rates_between_reads)
{
    struct probe *p = open_fixture();
    struct proc_details a, b;
    ck_assert_int_eq(probe_read_details(p, 4242, 30000, NULL, &a), 0);
    ck_assert_int_eq(probe_read_details(p, 4242, 30000, &a, &b), 0);
    ck_assert(b.interval > 0);
    /* the fixture does not move: every rate is a real zero, not unknown */
    ck_assert_double_eq(b.cpu.cpu_percent, 0);
    ck_assert_double_eq(b.threads[1].cpu_percent, 0);
    ck_assert_double_eq(b.io.read_bytes_rate, 0);
    ck_assert_double_eq(b.io.syscw_rate, 0);
    proc_details_done(&a);
    proc_details_done(&b);
    probe_free(p);
}
END_TEST

START_TEST(test_zombie)
{
    struct probe *p = open_fixture();
    struct proc_details d;
    ck_assert_int_eq(probe_read_details(p, 4300, 31000, NULL, &d), 0);
    ck_assert(d.zombie);
    ck_assert_int_eq(d.id.ppid, 4242);
    ck_assert_str_eq(d.id.parent_name, "fix server");
    /* what is known */
    ck_assert_uint_eq(d.cpu.utime, 55);
    ck_assert_uint_eq(d.io.wchar, 20);
    ck_assert_uint_eq(d.n_limits, 16);
    ck_assert_uint_eq(d.n_threads, 1);
    ck_assert(d.id.have_ids);
    ck_assert_int_eq(d.mem.rss, -1);
    /* what is gone says so */
    ck_assert_int_eq(d.id.cwd_err, DETAILS_E_ZOMBIE);
    ck_assert_int_eq(d.id.exe_err, DETAILS_E_ZOMBIE);
    ck_assert_int_eq(d.id.cmdline_err, DETAILS_E_ZOMBIE);
    ck_assert_int_eq(d.mem.maps_err, DETAILS_E_ZOMBIE);
    ck_assert_int_eq(d.fds_err, DETAILS_E_ZOMBIE);
    ck_assert_int_eq(d.conns_err, DETAILS_E_ZOMBIE);
    char msg[512];
    details_zombie_message(&d, msg, sizeof(msg));
    ck_assert_ptr_nonnull(strstr(msg, "process 4300 (defunct job) is a zombie"));
    ck_assert_ptr_nonnull(strstr(msg, "parent 4242 (fix server)"));
    proc_details_done(&d);
    probe_free(p);
}
END_TEST

static char *json_of(pid_t pid, uint64_t start)
{
    struct probe *p = open_fixture();
    struct proc_details d;
    ck_assert_int_eq(probe_read_details(p, pid, start, NULL, &d), 0);
    struct strbuf b;
    strbuf_init(&b);
    struct json_writer w;
    json_writer_init(&w, &b);
    output_json_details(&w, &d);
    char *s = strdup(b.data);
    strbuf_done(&b);
    proc_details_done(&d);
    probe_free(p);
    return s;
}

#define HAS(json, text) ck_assert_msg(strstr(json, text) != NULL, "no %s in %s", text, json)

START_TEST(test_json)
{
    char *j = json_of(4242, 30000);
    ck_assert_int_eq(j[0], '{');
    ck_assert_int_eq(j[strlen(j) - 1], '}');
    HAS(j, "\"interval\":null,\"zombie\":null,\"identity\":{\"pid\":4242,\"ppid\":1,"
           "\"parent_name\":\"init\",\"name\":\"fix server\",\"start_time\":1764100300.0");
    HAS(j, "\"cmdline\":[\"/usr/bin/fixture-server\",\"--port\",\"\",\"with space\"],"
           "\"cmdline_error\":null");
    HAS(j, "\"tty\":\"pts/1\"");
    HAS(j, "\"user_time\":12.34,\"system_time\":5.67");
    HAS(j, "\"cpu_percent\":null,\"affinity\":[0,2]");
    HAS(j, "\"policy\":\"batch\",\"ionice\":null");
    HAS(j, "\"ctx_switches\":{\"voluntary\":150,\"involuntary\":7}");
    HAS(j, "\"shared\":4194304");
    HAS(j, "{\"path\":\"[heap]\",\"count\":1,\"size\":20971520,\"rss\":6144000");
    HAS(j, "\"read_bytes\":40960");
    HAS(j, "\"read_bytes_per_s\":null");
    HAS(j, "\"files\":{\"count\":11,\"error\":null,\"list\":[{\"fd\":0,\"type\":\"file\","
           "\"target\":\"/dev/null\",\"inode\":null,\"error\":null}");
    HAS(j, "{\"fd\":3,\"proto\":\"tcp\",\"family\":\"inet\",\"type\":\"stream\","
           "\"local_address\":\"127.0.0.1\",\"local_port\":8080,\"remote_address\":null,"
           "\"remote_port\":null,\"state\":\"LISTEN\",\"path\":null,\"inode\":1001}");
    HAS(j, "\"remote_address\":\"127.0.0.1\",\"remote_port\":54321,\"state\":\"ESTABLISHED\"");
    HAS(j, "\"proto\":\"unix\",\"family\":\"unix\",\"type\":\"stream\",\"local_address\":null,"
           "\"local_port\":null,\"remote_address\":null,\"remote_port\":null,\"state\":\"LISTEN\","
           "\"path\":\"/run/fixture/ctl.sock\"");
    HAS(j, "{\"resource\":\"nofile\",\"name\":\"Max open files\",\"soft\":32,\"hard\":4096,"
           "\"unit\":\"files\"}");
    HAS(j, "{\"resource\":\"cpu\",\"name\":\"Max cpu time\",\"soft\":\"unlimited\","
           "\"hard\":\"unlimited\",\"unit\":\"seconds\"}");
    HAS(j, "\"unit\":null}"); /* nice has no unit */
    HAS(j, "\"children\":{\"count\":2,\"error\":null,\"list\":[{\"pid\":4250,\"name\":\"fix "
           "child\"},{\"pid\":4300,\"name\":\"defunct job\"}]}");
    free(j);

    j = json_of(4300, 31000);
    HAS(j, "\"zombie\":{\"parent_pid\":4242,\"parent_name\":\"fix server\",\"message\":"
           "\"process 4300 (defunct job) is a zombie");
    HAS(j, "\"cwd\":null,\"cwd_error\":\"not available: the process is a zombie\"");
    HAS(j, "\"files\":{\"count\":null,\"error\":\"not available: the process is a zombie\","
           "\"list\":[]}");
    HAS(j, "\"rss\":null");
    HAS(j, "\"write_chars\":20");
    free(j);
}
END_TEST

static Suite *details_probe_suite(void)
{
    Suite *s = suite_create("details_probe");
    TCase *tc = tcase_create("fixture");
    tcase_add_test(tc, test_server_identity_cpu_memory);
    tcase_add_test(tc, test_server_threads_files_connections);
    tcase_add_test(tc, test_identity_checked);
    tcase_add_test(tc, test_rates_between_reads);
    tcase_add_test(tc, test_zombie);
    tcase_add_test(tc, test_json);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(details_probe_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
