/* Whole frames drawn into a curses screen that writes to /dev/null, read back cell by
 * cell: the three panels, the zombie colour, escaped names, the sort indicator, tree
 * branches, menus, help, the detail view, ASCII fallback, and every size down to 1x1. */
#include <check.h>
#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "fake_snapshot.h"
#include "ui/draw.h"
#include "ui/help.h"
#include "ui/panels.h"

static struct monitor M;
static struct fake_source F;
static SCREEN *scr;
static FILE *out, *in;

static void setup(void)
{
    out = fopen("/dev/null", "w");
    in = fopen("/dev/null", "r");
    scr = newterm("xterm-256color", out, in);
    ck_assert_ptr_nonnull(scr);
    set_term(scr);
    resizeterm(40, 120);
    fake_monitor(&M, &F);
    draw_set_utf8(true);
    ck_assert(draw_init_theme(&M.theme, true));
}

static void teardown(void)
{
    monitor_done(&M);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
}

static const char *line(int y)
{
    static char buf[4096];
    wchar_t w[1024];
    buf[0] = '\0';
    if (mvinnwstr(y, 0, w, COLS) == ERR)
        return buf;
    wcstombs(buf, w, sizeof(buf));
    return buf;
}

/* The first screen line holding s, or -1. */
static int find(const char *s)
{
    for (int y = 0; y < LINES; y++)
        if (strstr(line(y), s))
            return y;
    return -1;
}

static void frame(void)
{
    screen_draw(&M);
}

START_TEST(test_three_panels)
{
    frame();
    ck_assert_int_ge(find("  0["), 0);
    ck_assert_int_ge(find("Avg["), 0);
    ck_assert_int_ge(find("Mem["), 0);
    ck_assert_int_ge(find("Swp["), 0);
    ck_assert_int_ge(find("Tasks: 7"), 0);
    ck_assert_int_ge(find("1 zombie"), 0);
    ck_assert_int_ge(find("2 logical / 1 physical cores"), 0);
    ck_assert_int_ge(find("Uptime: 1 day, 01:01:01"), 0);
    int hdr = find("Command");
    ck_assert_int_ge(hdr, 0);
    ck_assert_ptr_nonnull(strstr(line(hdr), "PID USER"));
    ck_assert_ptr_nonnull(strstr(line(hdr), "CPU%\u25bc")); /* sorted, largest first */
    ck_assert_ptr_nonnull(strstr(line(hdr + 1), "python3 -m http.server"));
    int ifh = find("Interface");
    ck_assert_int_gt(ifh, hdr);
    ck_assert_ptr_nonnull(strstr(line(ifh + 1), "lo"));
    ck_assert_ptr_nonnull(strstr(line(ifh + 1), "UP RUNNING"));
    ck_assert_ptr_nonnull(strstr(line(ifh + 1), "127.0.0.1"));
    ck_assert_ptr_nonnull(strstr(line(ifh + 1), "::1"));
    ck_assert_ptr_nonnull(strstr(line(ifh + 2), "veth-test0"));
    ck_assert_ptr_nonnull(strstr(line(ifh + 2), "10.0.0.1 +1")); /* more addresses: +N */
    ck_assert_ptr_nonnull(strstr(line(ifh + 2), "full"));
    ck_assert_ptr_nonnull(strstr(line(ifh + 2), "10G"));
    ck_assert_ptr_nonnull(strstr(line(ifh + 2), "1400"));
    ck_assert_int_ge(find("F1Help"), LINES - 1);
    /* the IO column shows the I/O priority by name, filled for the rows on screen */
    ck_assert_ptr_nonnull(strstr(line(hdr + 1), "be/4"));
}
END_TEST

START_TEST(test_zombie_colour_and_marker)
{
    frame();
    int y = find("[worker] <defunct>");
    ck_assert_int_ge(y, 0);
    chtype c = mvinch(y, 2);
    ck_assert_int_eq(PAIR_NUMBER(c & A_COLOR), TH_ZOMBIE + 1);
    ck_assert(c & A_BOLD);
    ck_assert_ptr_nonnull(strstr(line(y), " Z "));
    /* selected with z: the status line names the parent */
    monitor_key(&M, 'z');
    frame();
    int st = find("is a zombie");
    ck_assert_int_eq(st, LINES - 2);
    ck_assert_ptr_nonnull(strstr(line(st), "PID 10 (bash)"));
}
END_TEST

START_TEST(test_hostile_names_escaped)
{
    frame();
    int y = find("evil\\e[2J --x");
    ck_assert_int_ge(y, 0);
    for (int r = 0; r < LINES; r++)
        ck_assert_ptr_null(strchr(line(r), 0x1b));
}
END_TEST

START_TEST(test_sort_indicator_and_tree)
{
    monitor_key(&M, 'M');
    frame();
    int hdr = find("Command");
    ck_assert_ptr_nonnull(strstr(line(hdr), "MEM%\u25bc"));
    ck_assert_ptr_null(strstr(line(hdr), "CPU%\u25bc"));
    monitor_key(&M, 'I');
    frame();
    ck_assert_ptr_nonnull(strstr(line(hdr), "MEM%\u25b2"));
    monitor_key(&M, 't');
    frame();
    ck_assert_int_ge(find("\u251c\u2500 "), 0);
    ck_assert_int_ge(find("\u2514\u2500 "), 0);
    ck_assert_int_ge(find("[tree]"), 0);
}
END_TEST

START_TEST(test_ascii_fallback)
{
    draw_set_utf8(false);
    monitor_key(&M, 't');
    frame();
    ck_assert_int_ge(find("|- "), 0);
    ck_assert_int_ge(find("`- "), 0);
    ck_assert_int_ge(find("CPU%v"), 0);
    for (int r = 0; r < LINES; r++)
        for (const unsigned char *p = (const unsigned char *)line(r); *p; p++)
            ck_assert_int_lt(*p, 0x80);
}
END_TEST

START_TEST(test_monochrome)
{
    struct theme mono;
    theme_init_mono(&mono);
    draw_init_theme(&mono, false);
    frame();
    int y = find("[worker] <defunct>");
    chtype c = mvinch(y, 2);
    ck_assert_int_eq(PAIR_NUMBER(c & A_COLOR), 0);
    ck_assert(c & A_BOLD);
    /* meter parts stay apart by character */
    int avg = find("Avg[");
    ck_assert_int_ge(avg, 0);
    ck_assert_ptr_nonnull(strstr(line(avg), "|#"));
    ck_assert_ptr_nonnull(strstr(line(avg), "#*"));
    ck_assert_ptr_nonnull(strstr(line(avg), "*@"));
}
END_TEST

START_TEST(test_menu_help_detail)
{
    monitor_key(&M, KEY_F(6));
    frame();
    ck_assert_int_ge(find(" Sort by "), 0);
    ck_assert_int_ge(find("cpu      (current)"), 0);
    monitor_key(&M, 27);
    monitor_key(&M, 'h');
    frame();
    ck_assert_int_ge(find("keys"), 0);
    ck_assert_int_ge(find("incremental search"), 0);
    monitor_key(&M, ' ');
    monitor_key(&M, '\t');
    monitor_key(&M, KEY_DOWN);
    monitor_key(&M, '\r');
    frame();
    ck_assert_int_ge(find("Interface veth-test0"), 0);
    ck_assert_int_ge(find("10.0.0.1/24"), 0);
    ck_assert_int_ge(find("10.0.0.255"), 0);
    ck_assert_int_ge(find("02:00:00:00:00:01"), 0);
    ck_assert_int_ge(find("Speed 10Gb/s"), 0);
    int e = find("errors");
    ck_assert_int_ge(e, 0);
    ck_assert_ptr_nonnull(strstr(line(e), " 3 "));
    ck_assert_int_ge(find("dropped"), 0);
    ck_assert_int_ge(find("packets"), 0);
}
END_TEST

START_TEST(test_help_lists_every_key)
{
    /* the keys of the interface contract's table, as the help table spells them */
    static const char *const keys[] = {
        "q",  "F10", "h", "?",  "F1", "Up",    "PgUp", "PgDn", "Home", "End",   "Tab",
        "/",  "F3",  "n", "\\", "F4", "F6",    "<",    ">",    "I",    "P",     "M",
        "T",  "N",   "t", "F5", "z",  "Space", "U",    "k",    "F9",   "F7",    "]",
        "F8", "[",   "i", "u",  "H",  "K",     "Z",    "S",    "F2",   "Enter", "Esc"};
    for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
        bool found = false;
        for (size_t i = 0; i < help_count && !found; i++) {
            const char *s = help_entries[i].keys;
            if (!s)
                continue;
            size_t n = strlen(keys[k]);
            for (const char *p = strstr(s, keys[k]); p && !found; p = strstr(p + 1, keys[k]))
                found = (p == s || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' ');
        }
        ck_assert_msg(found, "help does not list key %s", keys[k]);
    }
}
END_TEST

START_TEST(test_every_size)
{
    for (int l = 1; l <= 45; l += 2) {
        for (int c = 1; c <= 130; c += 3) {
            resizeterm(l, c);
            frame();
        }
    }
    resizeterm(1, 1);
    frame();
    ck_assert_str_eq(line(0), "v");
    resizeterm(10, 40);
    frame();
    ck_assert_int_ge(find("PID"), 0);
    ck_assert_int_ge(find("Avg["), 0);
    ck_assert_int_ge(find("Tasks:"), 0);
    resizeterm(5, 40);
    frame();
    ck_assert_int_ge(find("terminal too small"), 0);
    resizeterm(40, 120);
    frame();
    ck_assert_int_ge(find("Interface"), 0);
    /* with a menu open on a tiny screen */
    monitor_key(&M, 'u');
    for (int l = 1; l <= 12; l++) {
        resizeterm(l, 24);
        frame();
    }
}
END_TEST

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    Suite *s = suite_create("ui_screen");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_three_panels);
    tcase_add_test(tc, test_zombie_colour_and_marker);
    tcase_add_test(tc, test_hostile_names_escaped);
    tcase_add_test(tc, test_sort_indicator_and_tree);
    tcase_add_test(tc, test_ascii_fallback);
    tcase_add_test(tc, test_monochrome);
    tcase_add_test(tc, test_menu_help_detail);
    tcase_add_test(tc, test_help_lists_every_key);
    tcase_add_test(tc, test_every_size);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
