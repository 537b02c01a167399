/* Interface probe benchmark and dump.
 *   net_bench bench [N]        N refreshes (default 1000): CPU ms per refresh (getrusage),
 *                              also the cost of asking ethtool for every interface
 *   net_bench dump [N [DELAY]] N samples DELAY seconds apart as JSON lines
 *                              {"interfaces": [...]} in the contract's shape (a stand-in for
 *                              `vigil --batch --format json` while checking the probe alone)
 * Run it inside a network namespace with many interfaces (tests/bench/net_bench.sh). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "platform/linux/net_ethtool.h"
#include "probe/net_delta.h"
#include "probe/platform.h"
#include "probe/probe.h"

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static void cpu_split(double *user, double *sys)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    *user = (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
    *sys = (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

static double mono_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void free_ifaces(struct iface *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].addrs);
    free(v);
}

static int bench(struct platform *pf, long iters)
{
    struct iface *v = NULL;
    size_t n = 0;
    int rc = platform_read_ifaces(pf, &v, &n); /* warm: first read fills the ethtool cache */
    if (rc < 0) {
        fprintf(stderr, "net_bench: read: %s\n", strerror(-rc));
        return 1;
    }
    free_ifaces(v, n);
    double u0, s0;
    cpu_split(&u0, &s0);
    double c0 = cpu_seconds(), w0 = mono_seconds();
    size_t addrs = 0;
    for (long i = 0; i < iters; i++) {
        rc = platform_read_ifaces(pf, &v, &n);
        if (rc < 0) {
            fprintf(stderr, "net_bench: read: %s\n", strerror(-rc));
            return 1;
        }
        addrs = 0;
        for (size_t j = 0; j < n; j++)
            addrs += v[j].n_addrs;
        if (i + 1 < iters)
            free_ifaces(v, n);
    }
    double cpu = cpu_seconds() - c0, wall = mono_seconds() - w0, u1, s1;
    cpu_split(&u1, &s1);
    printf("interfaces %zu addresses %zu refreshes %ld\n", n, addrs, iters);
    printf("refresh: %.3f ms CPU (user %.3f, system %.3f), %.3f ms wall (ethtool cached)\n",
           cpu * 1e3 / iters, (u1 - u0) * 1e3 / iters, (s1 - s0) * 1e3 / iters, wall * 1e3 / iters);

    /* What an uncached refresh would add: one ethtool question per interface. */
    int err;
    struct net_ethtool *et = net_ethtool_new(&err);
    long et_iters = iters / 10 > 0 ? iters / 10 : 1;
    c0 = cpu_seconds();
    for (long i = 0; i < et_iters; i++) {
        for (size_t j = 0; j < n; j++) {
            struct net_link_settings s;
            net_ethtool_get(et, v[j].name, &s);
        }
    }
    cpu = cpu_seconds() - c0;
    printf("ethtool for every interface: %.3f ms CPU per refresh\n", cpu * 1e3 / et_iters);
    net_ethtool_free(et);
    free_ifaces(v, n);
    return 0;
}

static void json_str(const char *s)
{
    putchar('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f)
            printf("\\u%04x", *p);
        else
            putchar(*p);
    }
    putchar('"');
}

static void json_opt(const char *s)
{
    if (s[0])
        json_str(s);
    else
        fputs("null", stdout);
}

static void dump_one(const struct iface *v, size_t n, double interval)
{
    printf("{\"interval\": %.6f, \"interfaces\": [", interval);
    for (size_t i = 0; i < n; i++) {
        const struct iface *f = &v[i];
        printf("%s{\"name\": ", i ? ", " : "");
        json_str(f->name);
        printf(", \"index\": %d, \"up\": %s, \"running\": %s, \"flags\": [", f->index,
               f->up ? "true" : "false", f->running ? "true" : "false");
        const char *names[32];
        size_t nf = iface_flag_names(f->flags, names, 32);
        for (size_t j = 0; j < nf && j < 32; j++)
            printf("%s\"%s\"", j ? ", " : "", names[j]);
        printf("], \"duplex\": \"%s\", \"speed_mbps\": ", iface_duplex_name(f->duplex));
        if (f->speed_mbps < 0)
            fputs("null", stdout);
        else
            printf("%lld", (long long)f->speed_mbps);
        printf(", \"mtu\": %d, \"addresses\": [", f->mtu);
        for (size_t j = 0; j < f->n_addrs; j++) {
            const struct iface_addr *a = &f->addrs[j];
            printf("%s{\"family\": \"%s\", \"address\": ", j ? ", " : "",
                   iface_family_name(a->family));
            json_str(a->address);
            fputs(", \"netmask\": ", stdout);
            json_opt(a->netmask);
            fputs(", \"broadcast\": ", stdout);
            json_opt(a->broadcast);
            fputs(", \"ptp\": ", stdout);
            json_opt(a->ptp);
            printf(", \"prefixlen\": %d}", a->prefixlen);
        }
        printf("], \"rx_bytes\": %llu, \"tx_bytes\": %llu, \"rx_packets\": %llu, "
               "\"tx_packets\": %llu, \"rx_errors\": %llu, \"tx_errors\": %llu, "
               "\"rx_dropped\": %llu, \"tx_dropped\": %llu, \"rx_bytes_per_s\": %.3f, "
               "\"tx_bytes_per_s\": %.3f}",
               (unsigned long long)f->rx_bytes, (unsigned long long)f->tx_bytes,
               (unsigned long long)f->rx_packets, (unsigned long long)f->tx_packets,
               (unsigned long long)f->rx_errors, (unsigned long long)f->tx_errors,
               (unsigned long long)f->rx_dropped, (unsigned long long)f->tx_dropped,
               f->rx_bytes_per_s, f->tx_bytes_per_s);
    }
    printf("]}\n");
    fflush(stdout);
}

static int dump(struct platform *pf, long count, double delay)
{
    struct iface *prev = NULL, *cur = NULL;
    size_t n_prev = 0, n_cur = 0;
    double t_prev = 0;
    /* Like vigil: a priming sample so the first printed rates are real. */
    for (long i = 0; i <= count; i++) {
        if (i > 0) {
            struct timespec ts = {(time_t)delay, (long)((delay - (time_t)delay) * 1e9)};
            nanosleep(&ts, NULL);
        }
        double t = mono_seconds();
        int rc = platform_read_ifaces(pf, &cur, &n_cur);
        if (rc < 0) {
            fprintf(stderr, "net_bench: read: %s\n", strerror(-rc));
            return 1;
        }
        net_rates_compute(prev, n_prev, cur, n_cur, t - t_prev);
        if (i > 0)
            dump_one(cur, n_cur, t - t_prev);
        free_ifaces(prev, n_prev);
        prev = cur;
        n_prev = n_cur;
        t_prev = t;
    }
    free_ifaces(prev, n_prev);
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "bench";
    struct probe_config cfg;
    probe_config_default(&cfg);
    cfg.want_procs = false;
    int err = 0;
    struct platform *pf = platform_new(&cfg, &err);
    if (!pf) {
        fprintf(stderr, "net_bench: platform: %s\n", strerror(-err));
        return 1;
    }
    int rc;
    if (strcmp(mode, "bench") == 0)
        rc = bench(pf, argc > 2 ? atol(argv[2]) : 1000);
    else if (strcmp(mode, "dump") == 0)
        rc = dump(pf, argc > 2 ? atol(argv[2]) : 1, argc > 3 ? atof(argv[3]) : 0.5);
    else {
        fprintf(stderr, "usage: net_bench bench [N] | dump [N [DELAY]]\n");
        rc = 2;
    }
    platform_free(pf);
    return rc;
}
