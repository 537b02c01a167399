/* Process actions where privilege and PID namespaces matter: permission errors as uid
 * 65534, and a forced PID reuse inside a new PID namespace (the new holder of the PID must
 * not be touched).
 *
 * CK_RUN_CASE=unprivileged with VIGIL_ROOT_PID set runs only the permission test against
 * that root-owned process as the current (unprivileged) user; the integration test
 * tests/integration/action_unprivileged.sh does that under setpriv. */
#include <check.h>
#include <errno.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "action_test_util.h"
#include "probe/action.h"

/* ---- permission denied, as uid 65534 ---- */

/* The body runs as an unprivileged user: target is a root-owned process. Writes one line
 * per check ("ok ..." or "FAIL ...") to out. */
static int unprivileged_checks(pid_t root_pid, FILE *out)
{
    int fails = 0;
    int err;
    struct action_ctx *ac = action_ctx_new(NULL, &err);
    if (!ac) {
        fprintf(out, "FAIL action_ctx_new %d\n", err);
        return 1;
    }
    struct kstat ks;
    if (kstat_read(root_pid, &ks) < 0) {
        fprintf(out, "FAIL cannot read stat of %d\n", (int)root_pid);
        return 1;
    }
    struct proc_ident id = {.pid = root_pid, .start_ticks = ks.start};
    struct action_result r;
#define EXPECT(cond, what)                                                                         \
    do {                                                                                           \
        bool ok_ = (cond);                                                                         \
        fprintf(out, "%s %s: %s\n", ok_ ? "ok" : "FAIL", what, r.msg);                             \
        fails += !ok_;                                                                             \
    } while (0)

    action_signal(ac, &id, SIGKILL, &r);
    EXPECT(r.status == ACTION_DENIED && r.err == -EPERM && strstr(r.msg, "permission denied") &&
               strstr(r.msg, "another user"),
           "signal root process");
    action_renice_by(ac, &id, +1, &r);
    EXPECT(r.status == ACTION_DENIED && strstr(r.msg, "permission denied"), "renice root process");
    action_ionice(ac, &id, IONICE_IDLE, 0, &r);
    EXPECT(r.status == ACTION_DENIED && strstr(r.msg, "permission denied"), "ionice root process");

    /* an own child: raising nice works, lowering it is root's privilege */
    pid_t own = fork_sleeper();
    struct kstat oks;
    kstat_read(own, &oks);
    struct proc_ident oid = {.pid = own, .start_ticks = oks.start};
    action_renice(ac, &oid, 10, &r);
    EXPECT(r.status == ACTION_OK, "raise own nice");
    action_renice_by(ac, &oid, -1, &r);
    EXPECT(r.status == ACTION_DENIED && r.err == -EACCES &&
               strstr(r.msg, "permission denied: only root can lower the nice value"),
           "lower own nice");
    action_ionice(ac, &oid, IONICE_REALTIME, 0, &r);
    EXPECT(r.status == ACTION_DENIED && strstr(r.msg, "realtime"), "realtime I/O class");
    action_signal(ac, &oid, SIGTERM, &r);
    EXPECT(r.status == ACTION_OK, "signal own child");
    waitpid(own, NULL, 0);
#undef EXPECT
    action_ctx_free(ac);
    return fails;
}

/* Reads the report of unprivileged_checks; fails the test on any FAIL line. */
static void assert_report(FILE *in, int status)
{
    char line[512];
    int oks = 0;
    while (fgets(line, sizeof(line), in)) {
        fputs(line, stderr);
        if (strncmp(line, "FAIL", 4) == 0)
            ck_abort_msg("%s", line);
        oks += strncmp(line, "ok", 2) == 0;
    }
    ck_assert_int_eq(oks, 7);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

START_TEST(test_permission_denied)
{
    const char *env = getenv("VIGIL_ROOT_PID");
    if (env && geteuid() != 0) {
        /* driven by setpriv from the integration test: we are already unprivileged */
        ck_assert_int_eq(unprivileged_checks((pid_t)atoi(env), stdout), 0);
        return;
    }
    if (geteuid() != 0) {
        fprintf(stderr, "test_permission_denied: SKIP: needs root to switch to uid 65534\n");
        return;
    }
    pid_t root_child = spawn_sleeper();
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(p[0]);
        FILE *out = fdopen(p[1], "w");
        if (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
            setresuid(65534, 65534, 65534) < 0) {
            fprintf(out, "FAIL cannot become uid 65534: %s\n", strerror(errno));
            _exit(1);
        }
        int fails = unprivileged_checks(root_child, out);
        fclose(out);
        _exit(fails ? 1 : 0);
    }
    close(p[1]);
    FILE *in = fdopen(p[0], "r");
    int st;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert(alive_not_reaped(root_child)); /* the SIGKILL attempt did nothing */
    assert_report(in, st);
    fclose(in);
    reap_kill(root_child);
}
END_TEST

/* ---- forced PID reuse in a new PID namespace ---- */

/* Runs as PID 1 of a new PID namespace with a private mount namespace. Mounts this
 * namespace's procfs on a scratch directory (the module's injectable proc root), makes
 * A, kills and reaps it, hands A's PID to a new process B through ns_last_pid, then acts
 * on A's identity. Reports lines to out; returns the number of failures. */
static int pid_reuse_in_namespace(FILE *out)
{
    char dir[] = "/tmp/vigil-proc-XXXXXX";
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 || !mkdtemp(dir) ||
        mount("proc", dir, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
        fprintf(out, "SKIP cannot mount a procfs for the namespace: %s\n", strerror(errno));
        return 0;
    }
    int fails = 0;
    pid_t a = fork_sleeper();
    char rel[64];
    struct kstat ks;
    snprintf(rel, sizeof(rel), "%d/stat", (int)a);
    kstat_read_in(dir, rel, &ks);
    struct proc_ident a_id = {.pid = a, .start_ticks = ks.start};
    /* B must start in a later clock tick than A: (pid, start time) cannot tell apart two
     * processes that share both */
    sleep_ms(50);
    kill(a, SIGKILL);
    waitpid(a, NULL, 0);

    char path[128];
    snprintf(path, sizeof(path), "%s/sys/kernel/ns_last_pid", dir);
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%d", (int)a - 1) < 0 || fclose(f) != 0) {
        fprintf(out, "FAIL cannot write ns_last_pid: %s\n", strerror(errno));
        return 1;
    }
    pid_t b = fork_sleeper();
    if (b != a) {
        fprintf(out, "FAIL B got pid %d, not A's %d\n", (int)b, (int)a);
        kill(b, SIGKILL);
        return 1;
    }
    snprintf(rel, sizeof(rel), "%d/stat", (int)b);
    struct kstat bks;
    kstat_read_in(dir, rel, &bks);
    fprintf(out, "info A=%d start %llu, B=%d start %llu\n", (int)a,
            (unsigned long long)a_id.start_ticks, (int)b, bks.start);

    int err;
    struct action_ctx *ac = action_ctx_new(dir, &err);
    struct action_result r;
    for (int pidfd = 1; pidfd >= 0; pidfd--) {
        action_ctx_use_pidfd(ac, pidfd);
        action_signal(ac, &a_id, SIGKILL, &r);
        bool ok = r.status == ACTION_GONE && r.mismatch && strstr(r.msg, "gone");
        fprintf(out, "%s signal (pidfd %d): %s\n", ok ? "ok" : "FAIL", pidfd, r.msg);
        fails += !ok;
        action_renice(ac, &a_id, 13, &r);
        ok = r.status == ACTION_GONE && strstr(r.msg, "gone");
        fprintf(out, "%s renice (pidfd %d): %s\n", ok ? "ok" : "FAIL", pidfd, r.msg);
        fails += !ok;
        action_ionice(ac, &a_id, IONICE_IDLE, 0, &r);
        ok = r.status == ACTION_GONE && strstr(r.msg, "gone");
        fprintf(out, "%s ionice (pidfd %d): %s\n", ok ? "ok" : "FAIL", pidfd, r.msg);
        fails += !ok;
    }
    sleep_ms(50);
    int st;
    bool b_alive = waitpid(b, &st, WNOHANG) == 0;
    kstat_read_in(dir, rel, &bks);
    bool untouched = b_alive && bks.nice != 13 && (ioprio_of(b) >> 13) != IONICE_IDLE;
    fprintf(out, "%s B (pid %d) still alive and untouched\n", untouched ? "ok" : "FAIL", (int)b);
    fails += !untouched;

    /* and B's own identity works: the check is not simply refusing everything */
    struct proc_ident b_id = {.pid = b, .start_ticks = bks.start};
    action_signal(ac, &b_id, SIGTERM, &r);
    bool killed = r.status == ACTION_OK && waitpid(b, &st, 0) == b && WIFSIGNALED(st);
    fprintf(out, "%s B's own identity: %s\n", killed ? "ok" : "FAIL", r.msg);
    fails += !killed;
    action_ctx_free(ac);
    umount(dir);
    rmdir(dir);
    return fails;
}

START_TEST(test_pid_reuse)
{
    if (geteuid() != 0) {
        fprintf(stderr, "test_pid_reuse: SKIP: needs root for a new PID namespace\n");
        return;
    }
    int p[2];
    ck_assert_int_eq(pipe(p), 0);
    pid_t outer = fork();
    ck_assert_int_ge(outer, 0);
    if (outer == 0) {
        close(p[0]);
        FILE *out = fdopen(p[1], "w");
        if (unshare(CLONE_NEWPID | CLONE_NEWNS) < 0) {
            fprintf(out, "SKIP unshare: %s\n", strerror(errno));
            fclose(out);
            _exit(0);
        }
        fflush(out);
        pid_t init = fork();
        if (init == 0) {
            int fails = pid_reuse_in_namespace(out);
            fflush(out);
            _exit(fails ? 1 : 0);
        }
        int st;
        waitpid(init, &st, 0);
        fclose(out);
        _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 2);
    }
    close(p[1]);
    FILE *in = fdopen(p[0], "r");
    char line[512];
    int oks = 0;
    bool skipped = false;
    while (fgets(line, sizeof(line), in)) {
        fputs(line, stderr);
        if (strncmp(line, "FAIL", 4) == 0)
            ck_abort_msg("%s", line);
        if (strncmp(line, "SKIP", 4) == 0)
            skipped = true;
        oks += strncmp(line, "ok", 2) == 0;
    }
    fclose(in);
    int st;
    ck_assert_int_eq(waitpid(outer, &st, 0), outer);
    ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (!skipped)
        ck_assert_int_eq(oks, 8);
}
END_TEST

static Suite *action_priv_suite(void)
{
    Suite *s = suite_create("action_priv");
    TCase *unpriv = tcase_create("unprivileged");
    tcase_add_test(unpriv, test_permission_denied);
    suite_add_tcase(s, unpriv);

    TCase *reuse = tcase_create("pid_reuse");
    tcase_add_test(reuse, test_pid_reuse);
    suite_add_tcase(s, reuse);
    return s;
}

int main(void)
{
    /* PID 1 here does not reap orphans: whatever this suite spawns, it reaps itself */
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    SRunner *sr = srunner_create(action_priv_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
