/* Layout arithmetic: panels fit, shrink in the right order, never overlap. */
#include <check.h>
#include <stdlib.h>

#include "ui/layout.h"

static void check_consistent(const struct layout *l)
{
    if (l->too_small)
        return;
    ck_assert_int_eq(l->header_y, 0);
    ck_assert_int_eq(l->procs_y, l->header_y + l->header_h);
    ck_assert_int_eq(l->ifaces_y, l->procs_y + l->procs_h);
    ck_assert_int_eq(l->status_y, l->ifaces_y + l->ifaces_h);
    ck_assert_int_eq(l->fkeys_y, l->status_y + 1);
    ck_assert_int_eq(l->fkeys_y, l->lines - 1);
    ck_assert_int_ge(l->procs_h, 2);
    ck_assert_int_eq(l->header_h, l->cpu_rows + l->info_rows);
    ck_assert_int_ge(l->ifaces_h, 0);
}

START_TEST(test_roomy)
{
    struct layout l;
    layout_compute(40, 120, 2, 3, &l);
    ck_assert(!l.too_small);
    check_consistent(&l);
    ck_assert_int_eq(l.cpu_cols, 2);
    ck_assert_int_eq(l.cpu_rows, 1);
    ck_assert(l.info_split);
    ck_assert_int_eq(l.ifaces_h, 4); /* header line + one per interface */
    ck_assert_int_eq(l.header_h, 4);
    ck_assert_int_eq(l.procs_h, 40 - 2 - 4 - 4);
}
END_TEST

START_TEST(test_short_shrinks_ifaces_first)
{
    struct layout tall, mid, low;
    layout_compute(40, 120, 2, 6, &tall);
    layout_compute(16, 120, 2, 6, &mid);
    layout_compute(12, 120, 2, 6, &low);
    check_consistent(&tall);
    check_consistent(&mid);
    check_consistent(&low);
    ck_assert_int_eq(tall.ifaces_h, 7);
    /* interface panel gave way while the header is intact */
    ck_assert_int_lt(mid.ifaces_h, tall.ifaces_h);
    ck_assert_int_eq(mid.header_h, tall.header_h);
    ck_assert_int_ge(mid.procs_h, LAYOUT_PROCS_MIN);
    ck_assert_int_ge(low.procs_h, LAYOUT_PROCS_MIN);
    ck_assert_int_le(low.ifaces_h, mid.ifaces_h);
}
END_TEST

START_TEST(test_many_cpus)
{
    struct layout l;
    layout_compute(50, 200, 64, 2, &l);
    check_consistent(&l);
    ck_assert_int_ge(l.cpu_cols, 4);
    ck_assert_int_le(l.cpu_rows, 16);
    /* on a short screen the per-CPU grid collapses to the average */
    layout_compute(14, 100, 64, 2, &l);
    check_consistent(&l);
    ck_assert(!l.too_small);
    ck_assert_int_eq(l.cpu_rows, 0);
}
END_TEST

START_TEST(test_small_and_tiny)
{
    struct layout l;
    layout_compute(10, 40, 2, 3, &l);
    ck_assert(!l.too_small);
    check_consistent(&l);
    ck_assert(!l.info_split);
    for (int lines = 0; lines <= 60; lines++) {
        for (int cols = 0; cols <= 130; cols += 1) {
            layout_compute(lines, cols, 8, 5, &l);
            check_consistent(&l);
            if (!l.too_small) {
                ck_assert_int_ge(cols, LAYOUT_MIN_COLS);
                ck_assert_int_le(l.fkeys_y, lines - 1);
            }
        }
    }
    layout_compute(1, 1, 1, 0, &l);
    ck_assert(l.too_small);
    layout_compute(0, 0, 0, 0, &l);
    ck_assert(l.too_small);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ui_layout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_roomy);
    tcase_add_test(tc, test_short_shrinks_ifaces_first);
    tcase_add_test(tc, test_many_cpus);
    tcase_add_test(tc, test_small_and_tiny);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
