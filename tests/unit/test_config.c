/* The config file: every setting, command-line precedence, malformed lines reported as
 * FILE:LINE and skipped, the XDG location, and saving then loading back. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "inifile.h"
#include "ui/columns.h"

static char dir[64];

static void setup(void)
{
    snprintf(dir, sizeof(dir), "/tmp/vigil-config-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

/* Runs config_load with stderr captured into errbuf. */
static int load_capture(const char *path, bool explicit_path, struct options *o, char *errbuf,
                        size_t cap)
{
    char errpath[128];
    snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
    fflush(stderr);
    int saved = dup(2);
    int fd = open(errpath, O_CREAT | O_TRUNC | O_WRONLY, 0600);
    dup2(fd, 2);
    close(fd);
    char err[256] = "";
    int rc = config_load(path, explicit_path, o, err, sizeof(err));
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    FILE *f = fopen(errpath, "r");
    size_t n = fread(errbuf, 1, cap - 1, f);
    errbuf[n] = '\0';
    fclose(f);
    if (rc)
        snprintf(errbuf, cap, "%s", err);
    return rc;
}

static void defaults(struct options *o)
{
    options_init(o);
    o->delay = 1.5;
    o->sort = SORT_CPU;
}

START_TEST(test_every_setting)
{
    char path[128], out[4096];
    snprintf(path, sizeof(path), "%s/config", dir);
    write_file(path, "# comment\n"
                     "[vigil]\n"
                     "delay = 2.5\n"
                     "sort = mem\n"
                     "reverse = yes\n"
                     "tree = true\n"
                     "theme = light\n"
                     "columns = pid, user, cpu\n"
                     "hide_kernel_threads = on\n"
                     "hide_user_threads = 1\n"
                     "color = false\n");
    struct options o;
    defaults(&o);
    ck_assert_int_eq(load_capture(path, true, &o, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "");
    ck_assert(o.delay == 2.5);
    ck_assert_int_eq(o.sort, SORT_MEM);
    ck_assert(o.reverse);
    ck_assert(o.tree);
    ck_assert_str_eq(o.theme, "light");
    ck_assert_uint_eq(o.columns, (1u << UCOL_PID) | (1u << UCOL_USER) | (1u << UCOL_CPU) |
                                     (1u << UCOL_COMMAND));
    ck_assert(o.hide_kernel_threads);
    ck_assert(o.hide_user_threads);
    ck_assert(o.no_color);
    options_done(&o);
}
END_TEST

START_TEST(test_command_line_wins)
{
    char path[128], out[4096];
    snprintf(path, sizeof(path), "%s/config", dir);
    write_file(path, "delay = 9\nsort = -pid\ntree = true\ntheme = light\n");
    struct options o;
    defaults(&o);
    o.delay = 0.5;
    o.delay_set = true;
    o.sort = SORT_TIME;
    o.sort_set = true;
    o.tree = false;
    o.tree_set = true;
    o.theme = strdup("monochrome");
    ck_assert_int_eq(load_capture(path, true, &o, out, sizeof(out)), 0);
    ck_assert(o.delay == 0.5);
    ck_assert_int_eq(o.sort, SORT_TIME);
    ck_assert(!o.reverse);
    ck_assert(!o.tree);
    ck_assert_str_eq(o.theme, "monochrome");
    options_done(&o);
    /* without the command line, "-pid" is pid reversed */
    defaults(&o);
    ck_assert_int_eq(load_capture(path, true, &o, out, sizeof(out)), 0);
    ck_assert_int_eq(o.sort, SORT_PID);
    ck_assert(o.reverse);
    ck_assert(o.delay == 9);
    options_done(&o);
}
END_TEST

START_TEST(test_malformed_lines)
{
    char path[128], out[4096];
    snprintf(path, sizeof(path), "%s/config", dir);
    write_file(path, "delay = 2\n"         /* 1 */
                     "delay = 0.01\n"      /* 2: out of range */
                     "sort = bogus\n"      /* 3 */
                     "tree = maybe\n"      /* 4 */
                     "frobnicate = 1\n"    /* 5 */
                     "no equals sign\n"    /* 6 */
                     "[elsewhere]\n"       /* 7 */
                     "delay = 3\n"         /* 8: under an unknown section: skipped quietly */
                     "[vigil]\n"           /* 9 */
                     "columns = pid,zap\n" /* 10 */
                     "sort = time\n");     /* 11 */
    struct options o;
    defaults(&o);
    ck_assert_int_eq(load_capture(path, true, &o, out, sizeof(out)), 0);
    int expect[] = {2, 3, 4, 5, 6, 7, 10};
    char *line = out;
    for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        char want[192];
        snprintf(want, sizeof(want), "vigil: %s:%d: ", path, expect[i]);
        ck_assert_msg(strncmp(line, want, strlen(want)) == 0, "line %zu: got '%s'", i, line);
        line = strchr(line, '\n');
        ck_assert_ptr_nonnull(line);
        line++;
    }
    ck_assert_str_eq(line, "");
    ck_assert_ptr_nonnull(strstr(out, "0.1 to 3600"));
    ck_assert_ptr_nonnull(strstr(out, "'zap'"));
    /* the good lines applied, the bad ones skipped */
    ck_assert(o.delay == 2);
    ck_assert_int_eq(o.sort, SORT_TIME);
    ck_assert(!o.tree);
    ck_assert_uint_eq(o.columns, 0);
    options_done(&o);
}
END_TEST

START_TEST(test_missing_and_unreadable)
{
    char path[128], out[4096];
    struct options o;
    defaults(&o);
    snprintf(path, sizeof(path), "%s/absent", dir);
    ck_assert_int_eq(load_capture(path, false, &o, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "");
    ck_assert_int_eq(load_capture(path, true, &o, out, sizeof(out)), 2);
    ck_assert_ptr_nonnull(strstr(out, path));
    ck_assert_ptr_null(strchr(out, '\n'));
    ck_assert_int_eq(load_capture(dir, true, &o, out, sizeof(out)), 2); /* a directory */
    options_done(&o);
}
END_TEST

START_TEST(test_xdg_path)
{
    char buf[512];
    setenv("XDG_CONFIG_HOME", "/xdg/home", 1);
    ck_assert_int_eq(config_default_path(buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "/xdg/home/vigil/config");
    setenv("XDG_CONFIG_HOME", "relative", 1); /* not absolute: ignored per the XDG spec */
    setenv("HOME", "/home/someone", 1);
    ck_assert_int_eq(config_default_path(buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "/home/someone/.config/vigil/config");
    unsetenv("XDG_CONFIG_HOME");
    ck_assert_int_eq(config_default_path(buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "/home/someone/.config/vigil/config");
    /* load(NULL) reads the XDG file */
    setenv("XDG_CONFIG_HOME", dir, 1);
    char sub[160];
    snprintf(sub, sizeof(sub), "%s/vigil", dir);
    mkdir(sub, 0700);
    snprintf(sub, sizeof(sub), "%s/vigil/config", dir);
    write_file(sub, "delay = 7\n");
    struct options o;
    defaults(&o);
    char out[4096];
    ck_assert_int_eq(load_capture(NULL, false, &o, out, sizeof(out)), 0);
    ck_assert(o.delay == 7);
    options_done(&o);
    unsetenv("XDG_CONFIG_HOME");
}
END_TEST

START_TEST(test_save_roundtrip)
{
    char path[160], out[4096], err[256];
    snprintf(path, sizeof(path), "%s/new/dirs/config", dir);
    struct options o;
    defaults(&o);
    o.delay = 0.7;
    o.sort = SORT_NAME;
    o.reverse = true;
    o.tree = true;
    o.theme = strdup("light");
    o.columns = (1u << UCOL_PID) | (1u << UCOL_IO) | (1u << UCOL_COMMAND);
    o.hide_kernel_threads = true;
    ck_assert_int_eq(config_save(path, &o, err, sizeof(err)), 0);
    options_done(&o);
    struct options back;
    defaults(&back);
    ck_assert_int_eq(load_capture(path, true, &back, out, sizeof(out)), 0);
    ck_assert_str_eq(out, "");
    ck_assert(back.delay == 0.7);
    ck_assert_int_eq(back.sort, SORT_NAME);
    ck_assert(back.reverse && back.tree && back.hide_kernel_threads && !back.hide_user_threads);
    ck_assert_str_eq(back.theme, "light");
    ck_assert_uint_eq(back.columns, (1u << UCOL_PID) | (1u << UCOL_IO) | (1u << UCOL_COMMAND));
    options_done(&back);
    /* an unwritable place fails with a message, leaving nothing behind */
    defaults(&o);
    ck_assert_int_lt(config_save("/proc/vigil-cannot/config", &o, err, sizeof(err)), 0);
    ck_assert_ptr_nonnull(strstr(err, "/proc/vigil-cannot"));
    options_done(&o);
}
END_TEST

static int n_pairs;
static const char *pair_count(void *user, const char *section, const char *name, const char *value,
                              char *msg, size_t cap)
{
    (void)user, (void)section, (void)name, (void)value, (void)msg, (void)cap;
    n_pairs++;
    return NULL;
}

static int n_reports, last_line;
static void rep(void *ctx, const char *file, int line, const char *msg)
{
    (void)ctx, (void)file, (void)msg;
    n_reports++;
    last_line = line;
}

START_TEST(test_inifile_edges)
{
    struct inifile_callbacks cb = {.pair = pair_count, .report = rep};
    /* BOM, CRLF, indentation, comments, an over-long line, a NUL byte */
    char big[600];
    memset(big, 'x', sizeof(big));
    big[0] = 'k', big[1] = '=';
    big[sizeof(big) - 1] = '\0';
    char text[2048];
    snprintf(text, sizeof(text),
             "\xEF\xBB\xBF"
             "a = 1\r\n   b = 2\n; c\n# d\n%s\ne = 3\n",
             big);
    n_pairs = n_reports = 0;
    ck_assert_int_eq(inifile_parse_string(text, "t", &cb), 1);
    ck_assert_int_eq(n_pairs, 3);
    ck_assert_int_eq(n_reports, 1);
    ck_assert_int_eq(last_line, 5);
    n_pairs = n_reports = 0;
    ck_assert_int_eq(inifile_parse_string("", "t", &cb), 0);
    int b;
    ck_assert_int_eq(inifile_bool("Yes", &b), 0);
    ck_assert_int_eq(b, 1);
    ck_assert_int_eq(inifile_bool("off", &b), 0);
    ck_assert_int_eq(b, 0);
    ck_assert_int_eq(inifile_bool("2", &b), -1);
}
END_TEST

/* Problems printed on stderr (no report callback) are kept for the monitor's status line:
 * the first one word for word, and how many. */
START_TEST(test_inifile_problems_kept)
{
    inifile_problems_clear();
    char first[256];
    ck_assert_int_eq(inifile_problems(first, sizeof(first)), 0);
    ck_assert_str_eq(first, "");
    struct inifile_callbacks cb = {.pair = pair_count};
    ck_assert_int_eq(inifile_parse_string("a = 1\nbogus\nb = 2\nworse\n", "my.conf", &cb), 2);
    ck_assert_int_eq(inifile_problems(first, sizeof(first)), 2);
    ck_assert_str_eq(first, "my.conf:2: expected NAME = VALUE");
    inifile_note("%s: %s", "other", "third");
    ck_assert_int_eq(inifile_problems(first, sizeof(first)), 3);
    ck_assert_str_eq(first, "my.conf:2: expected NAME = VALUE");
    char tiny[8];
    inifile_problems(tiny, sizeof(tiny));
    ck_assert_str_eq(tiny, "my.conf");
    inifile_problems_clear();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("config");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_every_setting);
    tcase_add_test(tc, test_command_line_wins);
    tcase_add_test(tc, test_malformed_lines);
    tcase_add_test(tc, test_missing_and_unreadable);
    tcase_add_test(tc, test_xdg_path);
    tcase_add_test(tc, test_save_roundtrip);
    tcase_add_test(tc, test_inifile_edges);
    tcase_add_test(tc, test_inifile_problems_kept);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
