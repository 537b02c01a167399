/* Interface rates from two samples: plain deltas, wraps, resets, re-created and
 * reappearing interfaces, odd intervals. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "probe/net_delta.h"

static struct iface mk(int index, const char *name, uint64_t rx, uint64_t tx)
{
    struct iface f;
    memset(&f, 0, sizeof(f));
    f.index = index;
    strcpy(f.name, name);
    f.rx_bytes = rx;
    f.tx_bytes = tx;
    f.rx_bytes_per_s = f.tx_bytes_per_s = -12345; /* garbage the computation must replace */
    return f;
}

START_TEST(test_plain_rates)
{
    struct iface prev[2] = {mk(1, "lo", 1000, 1000), mk(2, "eth0", 5000, 100)};
    struct iface cur[2] = {mk(1, "lo", 1000, 1000), mk(2, "eth0", 8000, 1100)};
    net_rates_compute(prev, 2, cur, 2, 2.0);
    ck_assert_double_eq(cur[0].rx_bytes_per_s, 0);
    ck_assert_double_eq(cur[0].tx_bytes_per_s, 0);
    ck_assert_double_eq(cur[1].rx_bytes_per_s, 1500);
    ck_assert_double_eq(cur[1].tx_bytes_per_s, 500);

    /* fractional intervals */
    net_rates_compute(prev, 2, cur, 2, 0.5);
    ck_assert_double_eq(cur[1].rx_bytes_per_s, 6000);
    ck_assert_double_eq(cur[1].tx_bytes_per_s, 2000);

    /* 64-bit counters far beyond 2^32 */
    struct iface p64 = mk(3, "big", 1ull << 50, (1ull << 40) - 10);
    struct iface c64 = mk(3, "big", (1ull << 50) + 3000, (1ull << 40) + 90);
    net_rates_compute(&p64, 1, &c64, 1, 1.0);
    ck_assert_double_eq(c64.rx_bytes_per_s, 3000);
    ck_assert_double_eq(c64.tx_bytes_per_s, 100);
}
END_TEST

START_TEST(test_backwards_counters)
{
    /* a 32-bit driver counter wrapped: unknown bytes, 0 rather than ~4 GB/s or negative */
    struct iface prev = mk(2, "eth0", 4294967000u, 500);
    struct iface cur = mk(2, "eth0", 100, 1500);
    net_rates_compute(&prev, 1, &cur, 1, 1.0);
    ck_assert_double_eq(cur.rx_bytes_per_s, 0);
    ck_assert_double_eq(cur.tx_bytes_per_s, 1000); /* the other direction is still right */

    /* driver reset: both back near zero */
    prev = mk(2, "eth0", 1u << 30, 1u << 30);
    cur = mk(2, "eth0", 10, 20);
    net_rates_compute(&prev, 1, &cur, 1, 1.0);
    ck_assert_double_eq(cur.rx_bytes_per_s, 0);
    ck_assert_double_eq(cur.tx_bytes_per_s, 0);

    /* and the next interval counts from the new baseline again */
    struct iface next = mk(2, "eth0", 1010, 2020);
    net_rates_compute(&cur, 1, &next, 1, 1.0);
    ck_assert_double_eq(next.rx_bytes_per_s, 1000);
    ck_assert_double_eq(next.tx_bytes_per_s, 2000);
}
END_TEST

START_TEST(test_recreated)
{
    /* same name, other index: deleted and created again */
    struct iface prev = mk(5, "veth0", 100, 100);
    struct iface cur = mk(7, "veth0", 9000, 9000);
    net_rates_compute(&prev, 1, &cur, 1, 1.0);
    ck_assert_double_eq(cur.rx_bytes_per_s, 0);
    ck_assert_double_eq(cur.tx_bytes_per_s, 0);

    /* same index, other name: another interface took the number */
    prev = mk(5, "veth0", 100, 100);
    cur = mk(5, "tap1", 9000, 9000);
    net_rates_compute(&prev, 1, &cur, 1, 1.0);
    ck_assert_double_eq(cur.rx_bytes_per_s, 0);
    ck_assert_double_eq(cur.tx_bytes_per_s, 0);
}
END_TEST

START_TEST(test_disappear_reappear)
{
    struct iface s1[2] = {mk(1, "lo", 0, 0), mk(4, "wg0", 1000, 1000)};
    struct iface s2[1] = {mk(1, "lo", 10, 10)};
    struct iface s3[2] = {mk(1, "lo", 20, 20), mk(4, "wg0", 500000, 500000)};
    struct iface s4[2] = {mk(1, "lo", 30, 30), mk(4, "wg0", 500400, 500800)};
    net_rates_compute(s1, 2, s2, 1, 1.0);
    ck_assert_double_eq(s2[0].rx_bytes_per_s, 10);
    net_rates_compute(s2, 1, s3, 2, 1.0);
    /* back after a gap: no rate from the old sample two intervals ago */
    ck_assert_double_eq(s3[1].rx_bytes_per_s, 0);
    ck_assert_double_eq(s3[1].tx_bytes_per_s, 0);
    ck_assert_double_eq(s3[0].rx_bytes_per_s, 10);
    net_rates_compute(s3, 2, s4, 2, 1.0);
    ck_assert_double_eq(s4[1].rx_bytes_per_s, 400);
    ck_assert_double_eq(s4[1].tx_bytes_per_s, 800);

    /* no previous sample at all */
    struct iface only = mk(1, "lo", 100, 100);
    net_rates_compute(NULL, 0, &only, 1, 1.0);
    ck_assert_double_eq(only.rx_bytes_per_s, 0);
    ck_assert_double_eq(only.tx_bytes_per_s, 0);
    net_rates_compute(s1, 2, NULL, 0, 1.0); /* nothing to do, nothing touched */
}
END_TEST

START_TEST(test_bad_intervals)
{
    const double dts[] = {0.0, -1.0, NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < sizeof(dts) / sizeof(dts[0]); i++) {
        struct iface prev = mk(2, "eth0", 100, 100);
        struct iface cur = mk(2, "eth0", 200, 300);
        net_rates_compute(&prev, 1, &cur, 1, dts[i]);
        ck_assert_msg(cur.rx_bytes_per_s == 0 && cur.tx_bytes_per_s == 0, "dt %g", dts[i]);
    }
    /* a tiny but positive interval is still a real rate, finite */
    struct iface prev = mk(2, "eth0", 100, 100);
    struct iface cur = mk(2, "eth0", 200, 100);
    net_rates_compute(&prev, 1, &cur, 1, 1e-6);
    ck_assert_double_eq_tol(cur.rx_bytes_per_s, 1e8, 1);
    ck_assert(isfinite(cur.rx_bytes_per_s));
}
END_TEST

START_TEST(test_unsorted_prev)
{
    /* a caller-built previous list need not be sorted by index */
    struct iface prev[3] = {mk(9, "c", 900, 0), mk(2, "a", 200, 0), mk(5, "b", 500, 0)};
    struct iface cur[3] = {mk(2, "a", 300, 0), mk(5, "b", 700, 0), mk(9, "c", 1200, 0)};
    net_rates_compute(prev, 3, cur, 3, 1.0);
    ck_assert_double_eq(cur[0].rx_bytes_per_s, 100);
    ck_assert_double_eq(cur[1].rx_bytes_per_s, 200);
    ck_assert_double_eq(cur[2].rx_bytes_per_s, 300);

    /* many sorted entries: every one found (binary search) */
    enum { N = 300 };
    struct iface *p = calloc(N, sizeof(*p)), *c = calloc(N, sizeof(*c));
    for (int i = 0; i < N; i++) {
        p[i] = mk(i * 3 + 1, "x", (uint64_t)i, 0);
        c[i] = mk(i * 3 + 1, "x", (uint64_t)i * 3, 0);
    }
    net_rates_compute(p, N, c, N, 1.0);
    for (int i = 0; i < N; i++)
        ck_assert_double_eq(c[i].rx_bytes_per_s, 2.0 * i);
    free(p);
    free(c);
}
END_TEST

static Suite *net_delta_suite(void)
{
    Suite *s = suite_create("net_delta");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_plain_rates);
    tcase_add_test(tc, test_backwards_counters);
    tcase_add_test(tc, test_recreated);
    tcase_add_test(tc, test_disappear_reappear);
    tcase_add_test(tc, test_bad_intervals);
    tcase_add_test(tc, test_unsorted_prev);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(net_delta_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
