/* Themes: style syntax, the shipped files, lookup, malformed lines reported by number. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/theme.h"

#ifndef THEMES
#define THEMES VIGIL_SOURCE_THEME_DIR
#endif

struct reports {
    int n;
    int lines[16];
    char msgs[16][256];
};

static void collect(void *ctx, const char *file, int line, const char *msg)
{
    struct reports *r = ctx;
    (void)file;
    if (r->n < 16) {
        r->lines[r->n] = line;
        snprintf(r->msgs[r->n], sizeof(r->msgs[0]), "%s", msg);
    }
    r->n++;
}

START_TEST(test_style_syntax)
{
    struct theme_style st;
    char msg[256];
    ck_assert_ptr_null(theme_parse_style("red", &st, msg, sizeof(msg)));
    ck_assert_int_eq(st.fg, 1);
    ck_assert_int_eq(st.bg, THEME_COLOR_DEFAULT);
    ck_assert_uint_eq(st.attrs, 0);
    ck_assert_ptr_null(theme_parse_style("white on red bold", &st, msg, sizeof(msg)));
    ck_assert_int_eq(st.fg, 7);
    ck_assert_int_eq(st.bg, 1);
    ck_assert_uint_eq(st.attrs, THA_BOLD);
    ck_assert_ptr_null(
        theme_parse_style("bright-blue on 236 underline dim", &st, msg, sizeof(msg)));
    ck_assert_int_eq(st.fg, 12);
    ck_assert_int_eq(st.bg, 236);
    ck_assert_uint_eq(st.attrs, THA_UNDERLINE | THA_DIM);
    ck_assert_ptr_null(theme_parse_style("reverse", &st, msg, sizeof(msg)));
    ck_assert_int_eq(st.fg, THEME_COLOR_DEFAULT);
    ck_assert_uint_eq(st.attrs, THA_REVERSE);
    ck_assert_ptr_null(theme_parse_style("on blue", &st, msg, sizeof(msg)));
    ck_assert_int_eq(st.bg, 4);
    ck_assert_ptr_nonnull(theme_parse_style("purple", &st, msg, sizeof(msg)));
    ck_assert_ptr_nonnull(strstr(msg, "purple"));
    ck_assert_ptr_nonnull(theme_parse_style("red on", &st, msg, sizeof(msg)));
    ck_assert_ptr_nonnull(theme_parse_style("red on blue on green", &st, msg, sizeof(msg)));
    ck_assert_ptr_nonnull(theme_parse_style("256", &st, msg, sizeof(msg)));
    ck_assert_ptr_nonnull(theme_parse_style("", &st, msg, sizeof(msg)));
}
END_TEST

static void assert_same(const struct theme *a, const struct theme *b)
{
    for (int e = 0; e < TH_COUNT; e++) {
        ck_assert_msg(a->s[e].fg == b->s[e].fg && a->s[e].bg == b->s[e].bg &&
                          a->s[e].attrs == b->s[e].attrs,
                      "element %s differs", theme_elem_name(e));
    }
}

START_TEST(test_shipped_files)
{
    /* the files parse without a single complaint and match the built-in fallbacks */
    struct theme file, builtin;
    struct reports r = {0};
    ck_assert_int_eq(theme_load_file(THEMES "/default.theme", &file, collect, &r), 0);
    ck_assert_int_eq(r.n, 0);
    theme_init_default(&builtin);
    assert_same(&file, &builtin);
    ck_assert_str_eq(file.name, "default");

    ck_assert_int_eq(theme_load_file(THEMES "/monochrome.theme", &file, collect, &r), 0);
    ck_assert_int_eq(r.n, 0);
    theme_init_mono(&builtin);
    assert_same(&file, &builtin);
    for (int e = 0; e < TH_COUNT; e++) /* attributes only */
        ck_assert(file.s[e].fg == THEME_COLOR_DEFAULT && file.s[e].bg == THEME_COLOR_DEFAULT);

    ck_assert_int_eq(theme_load_file(THEMES "/light.theme", &file, collect, &r), 0);
    ck_assert_int_eq(r.n, 0);
    ck_assert_str_eq(file.name, "light");
    /* every element is set explicitly in each shipped file */
    const char *files[] = {"/default.theme", "/monochrome.theme", "/light.theme"};
    for (size_t i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof(path), "%s%s", THEMES, files[i]);
        FILE *f = fopen(path, "r");
        ck_assert_ptr_nonnull(f);
        char text[8192];
        size_t n = fread(text, 1, sizeof(text) - 1, f);
        text[n] = '\0';
        fclose(f);
        for (int e = 0; e < TH_COUNT; e++) {
            char key[64];
            snprintf(key, sizeof(key), "\n%s ", theme_elem_name(e));
            ck_assert_msg(strstr(text, key), "%s lacks %s", files[i], theme_elem_name(e));
        }
    }
    /* the zombie colour differs from ordinary rows in the colour themes */
    ck_assert(file.s[TH_ZOMBIE].fg != file.s[TH_DEFAULT].fg ||
              file.s[TH_ZOMBIE].bg != file.s[TH_DEFAULT].bg);
}
END_TEST

START_TEST(test_malformed_lines)
{
    char path[] = "/tmp/vigil-theme-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    const char *text = "[theme]\n"
                       "name = broken\n"
                       "[colors]\n"
                       "zombie = green on blue\n"
                       "zombie_x = red\n"         /* line 5: unknown element */
                       "selection = chartreuse\n" /* line 6: unknown colour */
                       "just some words\n"        /* line 7: not a pair */
                       "[nonsense\n"              /* line 8: unclosed section */
                       "tree = yellow ; comment\n"
                       "[other]\n" /* line 10: unknown section */
                       "x = y\n";
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct theme t;
    struct reports r = {0};
    ck_assert_int_eq(theme_load_file(path, &t, collect, &r), 0);
    unlink(path);
    ck_assert_int_eq(r.n, 5);
    ck_assert_int_eq(r.lines[0], 5);
    ck_assert_ptr_nonnull(strstr(r.msgs[0], "zombie_x"));
    ck_assert_int_eq(r.lines[1], 6);
    ck_assert_ptr_nonnull(strstr(r.msgs[1], "chartreuse"));
    ck_assert_int_eq(r.lines[2], 7);
    ck_assert_int_eq(r.lines[3], 8);
    ck_assert_int_eq(r.lines[4], 10);
    /* the good lines still applied, the bad ones left the defaults */
    ck_assert_str_eq(t.name, "broken");
    ck_assert_int_eq(t.s[TH_ZOMBIE].fg, 2);
    ck_assert_int_eq(t.s[TH_ZOMBIE].bg, 4);
    ck_assert_int_eq(t.s[TH_TREE].fg, 3);
    struct theme def;
    theme_init_default(&def);
    ck_assert_int_eq(t.s[TH_SELECTION].bg, def.s[TH_SELECTION].bg);
}
END_TEST

START_TEST(test_find_and_select)
{
    char path[4096], err[256];
    ck_assert_int_eq(theme_find("light", path, sizeof(path)), 0);
    ck_assert_ptr_nonnull(strstr(path, "light.theme"));
    ck_assert_int_eq(access(path, R_OK), 0);
    ck_assert_int_eq(theme_find("no-such-theme", path, sizeof(path)), -ENOENT);
    ck_assert_int_eq(theme_find("/nonexistent/x.theme", path, sizeof(path)), -ENOENT);

    struct theme t;
    ck_assert_int_eq(theme_select(NULL, 0, &t, err, sizeof(err)), 0);
    ck_assert_str_eq(t.name, "default");
    ck_assert_int_eq(theme_select("light", 0, &t, err, sizeof(err)), 0);
    ck_assert_str_eq(t.name, "light");
    /* no colour wins over any theme */
    ck_assert_int_eq(theme_select("light", 1, &t, err, sizeof(err)), 0);
    ck_assert_str_eq(t.name, "monochrome");
    ck_assert_int_eq(theme_select("no-such-theme", 0, &t, err, sizeof(err)), 2);
    ck_assert_ptr_nonnull(strstr(err, "no-such-theme"));
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_int_eq(theme_select("/etc", 0, &t, err, sizeof(err)), 2);
    ck_assert_int_eq(theme_select(THEMES "/light.theme", 0, &t, err, sizeof(err)), 0);
    ck_assert_str_eq(t.name, "light");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("theme");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_style_syntax);
    tcase_add_test(tc, test_shipped_files);
    tcase_add_test(tc, test_malformed_lines);
    tcase_add_test(tc, test_find_and_select);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
