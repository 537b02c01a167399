/* Command-line parsing: every option's good values, and every bad value rejected with
 * status 2 and one line that names the option and what it accepts. */
#include <check.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_ARGS 12

struct parsed {
    struct options o;
    char err[512];
    int rc;
};

/* Parses vigil ARGS... (NULL-terminated) into r; argv is copied because getopt permutes. */
static void parse_v(struct parsed *r, const char *const *args)
{
    char *argv[MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = strdup("vigil");
    for (; args[argc - 1] && argc <= MAX_ARGS; argc++)
        argv[argc] = strdup(args[argc - 1]);
    argv[argc] = NULL;
    options_init(&r->o);
    memset(r->err, 'X', sizeof(r->err)); /* a message must overwrite it */
    r->err[sizeof(r->err) - 1] = '\0';
    r->rc = cli_parse(argc, argv, &r->o, r->err, sizeof(r->err));
    for (int i = 0; i < argc; i++)
        free(argv[i]);
}

#define PARSE(r, ...)                                                                              \
    do {                                                                                           \
        const char *const args_[] = {__VA_ARGS__, NULL};                                           \
        parse_v((r), args_);                                                                       \
    } while (0)

START_TEST(test_defaults)
{
    struct parsed r;
    unsetenv("NO_COLOR");
    const char *const none[] = {NULL};
    parse_v(&r, none);
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.mode, MODE_UI);
    ck_assert_double_eq_tol(r.o.delay, 1.5, 1e-12);
    ck_assert(!r.o.delay_set);
    ck_assert_int_eq(r.o.sort, SORT_CPU);
    ck_assert(!r.o.reverse && !r.o.sort_set && !r.o.tree && !r.o.no_color && !r.o.by_uid);
    ck_assert_uint_eq(r.o.n_pids, 0);
    ck_assert_int_eq(r.o.iterations, 1);
    ck_assert_int_eq(r.o.format, FORMAT_TEXT);
    ck_assert_str_eq(r.o.listen, "127.0.0.1:9877");
    ck_assert_int_eq(r.o.export_processes, 0);
    ck_assert_ptr_null(r.o.theme);
    ck_assert_ptr_null(r.o.config_path);
    ck_assert(!r.o.config_explicit && !r.o.details);
    options_done(&r.o);
    options_done(&r.o); /* twice is harmless */
    options_done(NULL);
}
END_TEST

START_TEST(test_delay)
{
    static const struct {
        const char *arg;
        double v;
    } good[] = {{"0.1", 0.1}, {"3600", 3600}, {"1", 1},       {"2.5", 2.5},
                {".5", 0.5},  {"2.", 2},      {"0.25", 0.25}, {"3600.000", 3600}};
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
        struct parsed r;
        PARSE(&r, "-d", good[i].arg);
        ck_assert_msg(r.rc == 0, "-d %s: %s", good[i].arg, r.err);
        ck_assert_double_eq_tol(r.o.delay, good[i].v, 1e-9);
        ck_assert(r.o.delay_set);
        options_done(&r.o);
    }
    struct parsed r;
    PARSE(&r, "--delay=0.7");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_double_eq_tol(r.o.delay, 0.7, 1e-9);
    options_done(&r.o);
    PARSE(&r, "-d0.3");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_double_eq_tol(r.o.delay, 0.3, 1e-9);
    options_done(&r.o);
}
END_TEST

START_TEST(test_sort)
{
    static const struct {
        const char *name;
        enum sort_key key;
    } names[] = {{"pid", SORT_PID},         {"ppid", SORT_PPID}, {"user", SORT_USER},
                 {"state", SORT_STATE},     {"nice", SORT_NICE}, {"pri", SORT_PRI},
                 {"threads", SORT_THREADS}, {"virt", SORT_VIRT}, {"rss", SORT_RSS},
                 {"cpu", SORT_CPU},         {"mem", SORT_MEM},   {"time", SORT_TIME},
                 {"io", SORT_IO},           {"name", SORT_NAME}, {"start", SORT_START}};
    ck_assert_uint_eq(sizeof(names) / sizeof(names[0]), SORT_KEY_COUNT);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        struct parsed r;
        char reversed[32];
        PARSE(&r, "-s", names[i].name);
        ck_assert_msg(r.rc == 0, "-s %s: %s", names[i].name, r.err);
        ck_assert_int_eq(r.o.sort, names[i].key);
        ck_assert(r.o.sort_set && !r.o.reverse);
        options_done(&r.o);
        snprintf(reversed, sizeof(reversed), "-%s", names[i].name);
        PARSE(&r, "-s", reversed); /* "-s -cpu": the dash belongs to the value */
        ck_assert_msg(r.rc == 0, "-s %s: %s", reversed, r.err);
        ck_assert_int_eq(r.o.sort, names[i].key);
        ck_assert(r.o.reverse);
        options_done(&r.o);
    }
    struct parsed r;
    PARSE(&r, "--sort=mem", "--reverse");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.sort, SORT_MEM);
    ck_assert(r.o.reverse);
    options_done(&r.o);
    PARSE(&r, "--sort", "-time", "--reverse"); /* both ways of asking: still reversed */
    ck_assert_int_eq(r.rc, 0);
    ck_assert(r.o.reverse);
    options_done(&r.o);
    PARSE(&r, "-sCPU");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.sort, SORT_CPU);
    options_done(&r.o);
    PARSE(&r, "--reverse");
    ck_assert_int_eq(r.rc, 0);
    ck_assert(r.o.reverse && !r.o.sort_set);
    ck_assert_int_eq(r.o.sort, SORT_CPU);
    options_done(&r.o);

    /* an unknown column: the message lists every column */
    PARSE(&r, "-s", "bogus");
    ck_assert_int_eq(r.rc, 2);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char word[32];
        snprintf(word, sizeof(word), " %s", names[i].name);
        ck_assert_msg(strstr(r.err, word) != NULL, "\"%s\" does not list %s", r.err, names[i].name);
    }
    options_done(&r.o);
}
END_TEST

START_TEST(test_pids_users_flags)
{
    struct parsed r;
    PARSE(&r, "-p", "1,42", "--pid", "7", "-p42");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_uint_eq(r.o.n_pids, 3); /* repeated -p add up; duplicates once */
    ck_assert_int_eq(r.o.pids[0], 1);
    ck_assert_int_eq(r.o.pids[1], 42);
    ck_assert_int_eq(r.o.pids[2], 7);
    options_done(&r.o);

    PARSE(&r, "-u", "root");
    ck_assert_int_eq(r.rc, 0);
    ck_assert(r.o.by_uid);
    ck_assert_uint_eq(r.o.uid, 0);
    ck_assert_str_eq(r.o.user_name, "root");
    options_done(&r.o);

    PARSE(&r, "--user=4242"); /* a uid need not have a passwd entry */
    ck_assert_int_eq(r.rc, 0);
    ck_assert(r.o.by_uid);
    ck_assert_uint_eq(r.o.uid, 4242);
    options_done(&r.o);

    unsetenv("NO_COLOR");
    PARSE(&r, "-t", "-C", "--theme", "mono", "--config", "/tmp/x.conf");
    ck_assert_int_eq(r.rc, 0);
    ck_assert(r.o.tree && r.o.tree_set && r.o.no_color);
    ck_assert_str_eq(r.o.theme, "mono");
    ck_assert_str_eq(r.o.config_path, "/tmp/x.conf");
    ck_assert(r.o.config_explicit);
    ck_assert_int_eq(r.o.mode, MODE_UI);
    options_done(&r.o);

    PARSE(&r, "--tree", "--no-color", "--theme=themes/light.theme");
    ck_assert_int_eq(r.rc, 0);
    ck_assert(r.o.tree && r.o.no_color);
    ck_assert_str_eq(r.o.theme, "themes/light.theme");
    options_done(&r.o);
}
END_TEST

START_TEST(test_no_color_env)
{
    struct parsed r;
    const char *const none[] = {NULL};
    setenv("NO_COLOR", "1", 1);
    parse_v(&r, none);
    ck_assert_int_eq(r.rc, 0);
    ck_assert(r.o.no_color);
    options_done(&r.o);
    setenv("NO_COLOR", "", 1); /* no-color.org: an empty value does not count */
    parse_v(&r, none);
    ck_assert(!r.o.no_color);
    options_done(&r.o);
    unsetenv("NO_COLOR");
}
END_TEST

START_TEST(test_batch)
{
    struct parsed r;
    PARSE(&r, "--batch");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.mode, MODE_BATCH);
    ck_assert_int_eq(r.o.iterations, 1);
    ck_assert_int_eq(r.o.format, FORMAT_TEXT);
    options_done(&r.o);

    PARSE(&r, "-b", "-n", "3", "-f", "json", "-d", "0.2");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.mode, MODE_BATCH);
    ck_assert_int_eq(r.o.iterations, 3);
    ck_assert_int_eq(r.o.format, FORMAT_JSON);
    options_done(&r.o);

    PARSE(&r, "--format=text", "--iterations=2147483647", "-b");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.iterations, INT_MAX);
    ck_assert_int_eq(r.o.format, FORMAT_TEXT);
    options_done(&r.o);

    PARSE(&r, "-bn2", "--details", "-f", "json", "-p", "1");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.iterations, 2);
    ck_assert(r.o.details);
    options_done(&r.o);
}
END_TEST

START_TEST(test_export)
{
    struct parsed r;
    struct sockaddr_storage ss;
    socklen_t len;
    PARSE(&r, "--export", "prometheus");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.mode, MODE_EXPORT);
    ck_assert_str_eq(r.o.listen, "127.0.0.1:9877");
    options_done(&r.o);

    PARSE(&r, "--export=prometheus", "--listen", "[::1]:9100", "--export-processes", "0");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(r.o.listen, "[::1]:9100");
    ck_assert_int_eq(r.o.export_processes, 0);
    options_done(&r.o);

    PARSE(&r, "--export", "prometheus", "--listen=0.0.0.0:1", "--export-processes=25");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_str_eq(r.o.listen, "0.0.0.0:1");
    ck_assert_int_eq(r.o.export_processes, 25);
    options_done(&r.o);

    ck_assert_int_eq(cli_parse_listen("127.0.0.1:9877", &ss, &len), 0);
    ck_assert_int_eq(ss.ss_family, AF_INET);
    ck_assert_uint_eq(len, sizeof(struct sockaddr_in));
    const struct sockaddr_in *a4 = (const struct sockaddr_in *)&ss;
    ck_assert_uint_eq(ntohs(a4->sin_port), 9877);
    ck_assert_uint_eq(ntohl(a4->sin_addr.s_addr), 0x7f000001);

    ck_assert_int_eq(cli_parse_listen("localhost:65535", &ss, &len), 0);
    ck_assert_uint_eq(ntohl(a4->sin_addr.s_addr), 0x7f000001);
    ck_assert_uint_eq(ntohs(a4->sin_port), 65535);

    ck_assert_int_eq(cli_parse_listen("[::1]:9877", &ss, &len), 0);
    ck_assert_int_eq(ss.ss_family, AF_INET6);
    ck_assert_uint_eq(len, sizeof(struct sockaddr_in6));
    const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&ss;
    ck_assert(IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr));
    ck_assert_uint_eq(ntohs(a6->sin6_port), 9877);

    ck_assert_int_eq(cli_parse_listen("[::]:80", NULL, NULL), 0);

    static const char *const bad[] = {
        "",
        "9877",
        ":9877",
        "127.0.0.1",
        "127.0.0.1:",
        "127.0.0.1:0",
        "127.0.0.1:65536",
        "127.0.0.1:-1",
        "127.0.0.1:+80",
        "127.0.0.1:80x",
        "1.2.3:80",
        "256.1.1.1:80",
        "::1:9877",
        "[::1]9877",
        "[::1]:",
        "[::1",
        "[]:80",
        "[zz]:80",
        "example.com:80",
        "[fe80::1%lo]:80",
        "127.0.0.1:099999",
        " 127.0.0.1:80",
        "[127.0.0.1]:80",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(cli_parse_listen(bad[i], &ss, &len) < 0, "accepted \"%s\"", bad[i]);
}
END_TEST

START_TEST(test_help_version)
{
    struct parsed r;
    PARSE(&r, "--help");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.mode, MODE_HELP);
    options_done(&r.o);
    PARSE(&r, "-V");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.mode, MODE_VERSION);
    options_done(&r.o);
    /* help wins over whatever else is on the line, even mistakes */
    PARSE(&r, "--batch", "--export", "prometheus", "-d", "abc", "-h");
    ck_assert_int_eq(r.rc, 0);
    ck_assert_int_eq(r.o.mode, MODE_HELP);
    options_done(&r.o);
}
END_TEST

/* Bad command lines: status 2, a one-line message with every expected fragment. */
struct bad_case {
    const char *argv[6];
    const char *must[3];
};

static const struct bad_case bad_cases[] = {
    {{"-d", "abc"}, {"--delay", "\"abc\"", "from 0.1 to 3600"}},
    {{"-d", "1.5x"}, {"--delay", "\"1.5x\"", "from 0.1 to 3600"}},
    {{"-d", "nan"}, {"--delay", "nan", "from 0.1 to 3600"}},
    {{"-d", "inf"}, {"--delay", "inf", "from 0.1 to 3600"}},
    {{"-d", "infinity"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", ""}, {"--delay", "from 0.1 to 3600"}},
    {{"--delay="}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "0"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "0.09"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "3600.01"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "-1"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "+1"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "1e1"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "0x10"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", " 1"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "1 "}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "1,5"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "."}, {"--delay", "from 0.1 to 3600"}},
    {{"-d", "1..2"}, {"--delay", "from 0.1 to 3600"}},
    {{"-d"}, {"-d", "needs a value", "from 0.1 to 3600"}},
    {{"--delay"}, {"--delay", "needs a value", "from 0.1 to 3600"}},
    {{"-s", "foo"}, {"--sort", "\"foo\"", "column"}},
    {{"-s", ""}, {"--sort", "column"}},
    {{"-s", "-"}, {"--sort", "column"}},
    {{"-s", "--cpu"}, {"--sort", "column"}},
    {{"--sort"}, {"--sort", "needs a value", "column"}},
    {{"-p", "abc"}, {"--pid", "\"abc\"", "separated by commas"}},
    {{"-p", ""}, {"--pid", "separated by commas"}},
    {{"-p", "0"}, {"--pid", "positive whole numbers"}},
    {{"-p", "-5"}, {"--pid", "positive whole numbers"}},
    {{"-p", "1,"}, {"--pid", "\"1,\"", "separated by commas"}},
    {{"-p", ",1"}, {"--pid", "separated by commas"}},
    {{"-p", "1,,2"}, {"--pid", "separated by commas"}},
    {{"-p", "1 2"}, {"--pid", "separated by commas"}},
    {{"-p", "12x"}, {"--pid", "separated by commas"}},
    {{"-p", "99999999999"}, {"--pid", "positive whole numbers"}},
    {{"-p", "1.5"}, {"--pid", "positive whole numbers"}},
    {{"-p"}, {"-p", "needs a value", "process IDs"}},
    {{"-u", "no-such-user-vigil"}, {"--user", "no-such-user-vigil", "user name or a numeric uid"}},
    {{"-u", ""}, {"--user", "empty", "user name or a numeric uid"}},
    {{"-u", "-1"}, {"--user", "user name or a numeric uid"}},
    {{"-u", "12ab"}, {"--user", "user name or a numeric uid"}},
    {{"-u", "4294967295"}, {"--user", "numeric uid"}},
    {{"--user"}, {"--user", "needs a value", "user name or a numeric uid"}},
    {{"--theme", ""}, {"--theme", "empty", "theme name or a theme file"}},
    {{"--theme"}, {"--theme", "needs a value", "theme"}},
    {{"--config", ""}, {"--config", "empty", "config file"}},
    {{"--config"}, {"--config", "needs a value", "config file"}},
    {{"-b", "-n", "0"}, {"--iterations", "\"0\"", "1 or more"}},
    {{"-b", "-n", "-1"}, {"--iterations", "1 or more"}},
    {{"-b", "-n", "x"}, {"--iterations", "1 or more"}},
    {{"-b", "-n", ""}, {"--iterations", "1 or more"}},
    {{"-b", "-n", "1.5"}, {"--iterations", "1 or more"}},
    {{"-b", "-n", "2x"}, {"--iterations", "1 or more"}},
    {{"-b", "-n", "99999999999999999999"}, {"--iterations", "too large", "at most"}},
    {{"-b", "-n"}, {"-n", "needs a value", "1 or more"}},
    {{"-b", "-f", "xml"}, {"--format", "\"xml\"", "text or json"}},
    {{"-b", "-f", "JSON "}, {"--format", "text or json"}},
    {{"-b", "-f", ""}, {"--format", "text or json"}},
    {{"-b", "--format"}, {"--format", "needs a value", "text or json"}},
    {{"--export", "graphite"}, {"--export", "\"graphite\"", "prometheus"}},
    {{"--export", ""}, {"--export", "prometheus"}},
    {{"--export"}, {"--export", "needs a value", "prometheus"}},
    {{"--export", "prometheus", "--listen", "9877"}, {"--listen", "\"9877\"", "1 to 65535"}},
    {{"--export", "prometheus", "--listen", "1.2.3.4:0"}, {"--listen", "ADDR:PORT", "1 to 65535"}},
    {{"--export", "prometheus", "--listen", "::1:80"}, {"--listen", "[::1]:9877"}},
    {{"--export", "prometheus", "--listen", "host.example:80"}, {"--listen", "numeric"}},
    {{"--export", "prometheus", "--listen"}, {"--listen", "needs a value", "ADDR:PORT"}},
    {{"--export", "prometheus", "--export-processes", "-1"}, {"--export-processes", "0 or more"}},
    {{"--export", "prometheus", "--export-processes", "x"}, {"--export-processes", "0 or more"}},
    {{"--export", "prometheus", "--export-processes", ""}, {"--export-processes", "0 or more"}},
    {{"--export", "prometheus", "--export-processes", "99999999999"},
     {"--export-processes", "too large"}},
    {{"--export", "prometheus", "--export-processes"}, {"--export-processes", "needs a value"}},
    /* unknown options, stray words, misuse */
    {{"-x"}, {"unknown option", "\"-x\"", "--help"}},
    {{"-bx"}, {"unknown option", "\"-x\"", "--help"}},
    {{"--bogus"}, {"unknown option", "\"--bogus\"", "--help"}},
    {{"--bogus=1"}, {"unknown option", "\"--bogus\"", "--help"}},
    {{"--ex", "prometheus"}, {"ambiguous", "--export", "--export-processes"}},
    {{"--batch=yes"}, {"--batch", "takes no value"}},
    {{"--tree=1"}, {"--tree", "takes no value"}},
    {{"--details=1", "-b"}, {"--details", "takes no value"}},
    {{"top"}, {"unexpected argument", "\"top\"", "options"}},
    {{"-b", "json"}, {"unexpected argument", "\"json\""}},
    {{"-b", "--", "-d"}, {"unexpected argument", "\"-d\""}},
    {{"-b", "--export", "prometheus"}, {"--batch", "--export", "together"}},
    {{"-n", "2"}, {"--iterations", "--batch"}},
    {{"-f", "json"}, {"--format", "--batch"}},
    {{"--details"}, {"--details", "--batch"}},
    {{"-b", "--details", "-p", "1"}, {"--details", "--format json"}},
    {{"-b", "-ftext", "--details", "-p1"}, {"--details", "--format json"}},
    {{"-b", "-f", "json", "--details"}, {"--details", "--pid"}},
    {{"--export", "prometheus", "-n", "2"}, {"--iterations", "--batch"}},
    {{"--listen", "127.0.0.1:80"}, {"--listen", "--export prometheus"}},
    {{"-b", "--export-processes", "5"}, {"--export-processes", "--export prometheus"}},
    /* the first mistake is reported */
    {{"-d", "x", "-n", "y"}, {"--delay"}},
};

START_TEST(test_bad_values)
{
    const struct bad_case *c = &bad_cases[_i];
    struct parsed r;
    parse_v(&r, c->argv);
    ck_assert_msg(r.rc == 2, "case %d (%s ...): rc %d", _i, c->argv[0], r.rc);
    ck_assert_msg(r.err[0] != '\0' && r.err[0] != 'X', "case %d: no message", _i);
    ck_assert_msg(strchr(r.err, '\n') == NULL, "case %d: message has a newline", _i);
    ck_assert_msg(strncmp(r.err, "vigil:", 6) != 0, "case %d: main() adds the prefix", _i);
    for (int k = 0; k < 3 && c->must[k]; k++)
        ck_assert_msg(strstr(r.err, c->must[k]) != NULL, "case %d: \"%s\" lacks \"%s\"", _i, r.err,
                      c->must[k]);
    options_done(&r.o);
}
END_TEST

/* A hostile value cannot put a line break or escape sequence into the message. */
START_TEST(test_message_one_line)
{
    struct parsed r;
    PARSE(&r, "-d", "1\n2\x1b[31m");
    ck_assert_int_eq(r.rc, 2);
    ck_assert_ptr_null(strchr(r.err, '\n'));
    ck_assert_ptr_null(strchr(r.err, '\x1b'));
    options_done(&r.o);
    char err[16];
    struct options o;
    options_init(&o);
    char *argv[] = {(char *)"vigil", (char *)"--delay=aaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL};
    ck_assert_int_eq(cli_parse(2, argv, &o, err, sizeof(err)), 2); /* truncated, not overrun */
    ck_assert_uint_eq(strlen(err), sizeof(err) - 1);
    options_done(&o);
}
END_TEST

static Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_delay);
    tcase_add_test(tc, test_sort);
    tcase_add_test(tc, test_pids_users_flags);
    tcase_add_test(tc, test_no_color_env);
    tcase_add_test(tc, test_batch);
    tcase_add_test(tc, test_export);
    tcase_add_test(tc, test_help_version);
    tcase_add_loop_test(tc, test_bad_values, 0, (int)(sizeof(bad_cases) / sizeof(bad_cases[0])));
    tcase_add_test(tc, test_message_one_line);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(cli_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
