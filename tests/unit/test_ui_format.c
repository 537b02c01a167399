/* Cell formatting and escaping of untrusted text for the monitor. */
#include <check.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "ui/format.h"
#include "probe/snapshot.h"

#define FMT(fn, ...)                                                                               \
    ({                                                                                             \
        static char b_[64];                                                                        \
        fn(b_, sizeof(b_), __VA_ARGS__);                                                           \
        b_;                                                                                        \
    })

START_TEST(test_mem)
{
    ck_assert_str_eq(FMT(fmt_mem, 0), "0");
    ck_assert_str_eq(FMT(fmt_mem, 512 * 1024ULL), "512K");
    ck_assert_str_eq(FMT(fmt_mem, 4096), "4.0K");
    ck_assert_str_eq(FMT(fmt_mem, 9 * 1024 * 1024ULL + 800 * 1024ULL), "9.8M");
    ck_assert_str_eq(FMT(fmt_mem, 123 * 1024 * 1024ULL), "123M");
    ck_assert_str_eq(FMT(fmt_mem, 1000 * 1024 * 1024ULL), "1.0G"); /* never "1000M" */
    ck_assert_str_eq(FMT(fmt_mem, 1229 * 1024 * 1024ULL), "1.2G");
    ck_assert_str_eq(FMT(fmt_mem, 16ULL << 40), "16T");
    ck_assert_str_eq(FMT(fmt_mem, UINT64_MAX), "16E");
    /* every value fits the 5-column cells */
    for (uint64_t v = 1; v < (1ULL << 62); v = v * 3 + 7)
        ck_assert_uint_le(strlen(FMT(fmt_mem, v)), 4);
}
END_TEST

START_TEST(test_rate_count)
{
    ck_assert_str_eq(FMT(fmt_rate, 0.0), "0B/s");
    ck_assert_str_eq(FMT(fmt_rate, 512.0), "512B/s");
    ck_assert_str_eq(FMT(fmt_rate, 1250.0), "1.2K/s");
    ck_assert_str_eq(FMT(fmt_rate, 38.0 * 1024 * 1024), "38M/s");
    ck_assert_str_eq(FMT(fmt_rate, -1.0), "n/a");
    ck_assert_str_eq(FMT(fmt_count, 99999), "99999");
    ck_assert_str_eq(FMT(fmt_count, 123456), "123k");
    ck_assert_str_eq(FMT(fmt_count, 4500000), "4.5M");
    ck_assert_str_eq(FMT(fmt_count, 12000000000ULL), "12G");
}
END_TEST

START_TEST(test_times)
{
    ck_assert_str_eq(FMT(fmt_time_plus, 0.0), "0:00.00");
    ck_assert_str_eq(FMT(fmt_time_plus, 83.45), "1:23.45");
    ck_assert_str_eq(FMT(fmt_time_plus, 3599.99), "59:59.99");
    ck_assert_str_eq(FMT(fmt_time_plus, 3 * 3600 + 5 * 60 + 12.0), "3h05:12");
    ck_assert_str_eq(FMT(fmt_time_plus, 12 * 86400 + 3 * 3600 + 7.0), "12d03h");
    ck_assert_str_eq(FMT(fmt_time_plus, -1.0), "?");
    ck_assert_str_eq(FMT(fmt_uptime, 4 * 3600 + 12 * 60 + 33.9), "04:12:33");
    ck_assert_str_eq(FMT(fmt_uptime, 86400 + 60.0), "1 day, 00:01:00");
    ck_assert_str_eq(FMT(fmt_uptime, 12 * 86400.0), "12 days, 00:00:00");
}
END_TEST

START_TEST(test_percent_ionice_speed)
{
    ck_assert_str_eq(FMT(fmt_percent, 0.0), "0.0");
    ck_assert_str_eq(FMT(fmt_percent, 12.34), "12.3");
    ck_assert_str_eq(FMT(fmt_percent, 99.9), "99.9");
    ck_assert_str_eq(FMT(fmt_percent, 99.96), "100");
    ck_assert_str_eq(FMT(fmt_percent, 1600.2), "1600");
    ck_assert_str_eq(FMT(fmt_percent, 1e9), "99999");
    ck_assert_str_eq(FMT(fmt_ionice, IONICE_BEST_EFFORT, 4), "be/4");
    ck_assert_str_eq(FMT(fmt_ionice, IONICE_REALTIME, 0), "rt/0");
    ck_assert_str_eq(FMT(fmt_ionice, IONICE_IDLE, -1), "idle");
    ck_assert_str_eq(FMT(fmt_ionice, IONICE_NONE, -1), "none");
    ck_assert_str_eq(FMT(fmt_ionice, IONICE_UNKNOWN, 3), "?");
    ck_assert_str_eq(FMT(fmt_speed, (int64_t)-1), "?");
    ck_assert_str_eq(FMT(fmt_speed, (int64_t)100), "100M");
    ck_assert_str_eq(FMT(fmt_speed, (int64_t)1000), "1G");
    ck_assert_str_eq(FMT(fmt_speed, (int64_t)2500), "2.5G");
}
END_TEST

static const char *esc(const char *s, size_t len, bool utf8, int max, int *cols, bool *clip)
{
    static char out[512];
    fmt_escape(out, sizeof(out), s, len, utf8, false, max, cols, clip);
    return out;
}

START_TEST(test_escape_controls)
{
    int cols;
    bool clip;
    ck_assert_str_eq(esc("plain", 5, true, 80, &cols, &clip), "plain");
    ck_assert_int_eq(cols, 5);
    ck_assert(!clip);
    /* an ANSI sequence in a name must never reach the terminal raw */
    const char *hostile = "\x1b[31mred\x07\n\t\r\x7f";
    const char *out = esc(hostile, strlen(hostile), true, 80, &cols, &clip);
    ck_assert_str_eq(out, "\\e[31mred\\x07\\n\\t\\r\\x7f");
    ck_assert_ptr_null(strchr(out, 0x1b));
    ck_assert_int_eq(cols, (int)strlen(out));
    /* NUL: a space in command lines, escaped elsewhere */
    char buf[32];
    fmt_escape(buf, sizeof(buf), "a\0b", 3, true, true, 80, NULL, NULL);
    ck_assert_str_eq(buf, "a b");
    fmt_escape(buf, sizeof(buf), "a\0b", 3, true, false, 80, NULL, NULL);
    ck_assert_str_eq(buf, "a\\x00b");
}
END_TEST

START_TEST(test_escape_utf8)
{
    int cols;
    bool clip;
    /* valid UTF-8 passes, with its display width (CJK is two columns) */
    ck_assert_str_eq(esc("caf\xc3\xa9", 5, true, 80, &cols, &clip), "caf\xc3\xa9");
    ck_assert_int_eq(cols, 4);
    ck_assert_str_eq(esc("\xe4\xb8\xad", 3, true, 80, &cols, &clip), "\xe4\xb8\xad");
    ck_assert_int_eq(cols, 2);
    /* invalid: lone continuation, overlong, surrogate, truncated */
    ck_assert_str_eq(esc("a\x80z", 3, true, 80, &cols, &clip), "a\\x80z");
    ck_assert_str_eq(esc("\xc0\xaf", 2, true, 80, &cols, &clip), "\\xc0\\xaf");
    ck_assert_str_eq(esc("\xed\xa0\x80", 3, true, 80, &cols, &clip), "\\xed\\xa0\\x80");
    ck_assert_str_eq(esc("\xe4\xb8", 2, true, 80, &cols, &clip), "\\xe4\\xb8");
    /* C1 controls and bidirectional overrides are shown, not obeyed */
    ck_assert_str_eq(esc("\xc2\x9b", 2, true, 80, &cols, &clip), "\\u{009b}");
    ck_assert_str_eq(esc("x\xe2\x80\xaey", 5, true, 80, &cols, &clip), "x\\u{202e}y");
    /* without a UTF-8 locale every high byte is escaped */
    ck_assert_str_eq(esc("caf\xc3\xa9", 5, false, 80, &cols, &clip), "caf\\xc3\\xa9");
}
END_TEST

START_TEST(test_escape_clip)
{
    int cols;
    bool clip;
    ck_assert_str_eq(esc("abcdef", 6, true, 4, &cols, &clip), "abcd");
    ck_assert(clip);
    ck_assert_int_eq(cols, 4);
    /* an escape is never cut in half */
    ck_assert_str_eq(esc("ab\x1b", 3, true, 3, &cols, &clip), "ab");
    ck_assert(clip);
    /* nor is a wide character */
    ck_assert_str_eq(esc("a\xe4\xb8\xad", 4, true, 2, &cols, &clip), "a");
    ck_assert_int_eq(cols, 1);
    /* zero columns, tiny buffers */
    ck_assert_str_eq(esc("abc", 3, true, 0, &cols, &clip), "");
    char tiny[3];
    fmt_escape(tiny, sizeof(tiny), "abcdef", 6, true, false, 80, &cols, &clip);
    ck_assert_str_eq(tiny, "ab");
    ck_assert(clip);
    /* a great length: clipped to the width, bounded by the buffer */
    size_t big = 1 << 20;
    char *long_name = malloc(big);
    memset(long_name, 'x', big);
    const char *out = esc(long_name, big, true, 100, &cols, &clip);
    ck_assert_uint_eq(strlen(out), 100);
    ck_assert(clip);
    free(long_name);
}
END_TEST

START_TEST(test_escape_fuzz)
{
    /* random bytes never produce a control byte in the output or overflow */
    unsigned seed = 1;
    char in[64], out[80];
    for (int round = 0; round < 4000; round++) {
        for (size_t i = 0; i < sizeof(in); i++) {
            seed = seed * 1103515245 + 12345;
            in[i] = (char)(seed >> 16);
        }
        int cols;
        fmt_escape(out, sizeof(out), in, sizeof(in), round & 1, round & 2, 40, &cols, NULL);
        ck_assert_int_le(cols, 40);
        for (const unsigned char *p = (const unsigned char *)out; *p; p++)
            ck_assert(*p >= 0x20 && *p != 0x7f);
        ck_assert_int_le(fmt_width(out, round & 1), 40);
    }
}
END_TEST

START_TEST(test_width_clip)
{
    ck_assert_int_eq(fmt_width("abc", true), 3);
    ck_assert_int_eq(fmt_width("\xe2\x94\x82 ", true), 2);
    char buf[16];
    fmt_clip(buf, sizeof(buf), "\xe2\x94\x9c\xe2\x94\x80 x", true, 2);
    ck_assert_str_eq(buf, "\xe2\x94\x9c\xe2\x94\x80");
    fmt_clip(buf, sizeof(buf), "abcdef", false, 3);
    ck_assert_str_eq(buf, "abc");
}
END_TEST

int main(void)
{
    if (!setlocale(LC_ALL, "C.UTF-8"))
        setlocale(LC_ALL, "C.utf8");
    Suite *s = suite_create("ui_format");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_mem);
    tcase_add_test(tc, test_rate_count);
    tcase_add_test(tc, test_times);
    tcase_add_test(tc, test_percent_ionice_speed);
    tcase_add_test(tc, test_escape_controls);
    tcase_add_test(tc, test_escape_utf8);
    tcase_add_test(tc, test_escape_clip);
    tcase_add_test(tc, test_escape_fuzz);
    tcase_add_test(tc, test_width_clip);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
