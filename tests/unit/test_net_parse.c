/* Netlink parsing over hand-built messages (complete, truncated, hostile), address and
 * mask formatting, flag names, ethtool answers, and the probe against the live kernel. */
#include <arpa/inet.h>
#include <check.h>
#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform/linux/linux_platform.h"
#include "platform/linux/net_ethtool.h"
#include "platform/linux/net_parse.h"
#include "probe/snapshot.h"

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000
#endif

/* A little message builder: messages are appended to one buffer like a recv() result. */
struct nlbuf {
    uint8_t b[8192];
    size_t len;
    size_t msg; /* offset of the message being built */
};

static void put(struct nlbuf *nb, const void *p, size_t n)
{
    ck_assert_uint_le(nb->len + n, sizeof(nb->b));
    memcpy(nb->b + nb->len, p, n);
    nb->len += n;
}

static void pad(struct nlbuf *nb)
{
    while (nb->len % 4)
        nb->b[nb->len++] = 0;
}

static void msg_begin(struct nlbuf *nb, uint16_t type, uint32_t seq, uint16_t flags)
{
    nb->msg = nb->len;
    struct nlmsghdr nh = {.nlmsg_type = type, .nlmsg_flags = flags, .nlmsg_seq = seq};
    put(nb, &nh, sizeof(nh));
}

static void msg_end(struct nlbuf *nb)
{
    uint32_t mlen = (uint32_t)(nb->len - nb->msg);
    memcpy(nb->b + nb->msg, &mlen, sizeof(mlen)); /* nlmsg_len is the first field */
    pad(nb);
}

static void attr(struct nlbuf *nb, uint16_t type, const void *data, size_t n)
{
    struct rtattr rta = {.rta_len = (unsigned short)(RTA_LENGTH(n)), .rta_type = type};
    put(nb, &rta, sizeof(rta));
    put(nb, data, n);
    pad(nb);
}

static void attr_str(struct nlbuf *nb, uint16_t type, const char *s)
{
    attr(nb, type, s, strlen(s) + 1);
}

static void attr_u32(struct nlbuf *nb, uint16_t type, uint32_t v)
{
    attr(nb, type, &v, sizeof(v));
}

static const uint8_t mac[6] = {0x02, 0x00, 0x5e, 0xab, 0xcd, 0x01};
static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

/* stats64 first 8 fields: rx_packets tx_packets rx_bytes tx_bytes rx_errors tx_errors
 * rx_dropped tx_dropped; the kernel struct is longer, send 24 fields like it does. */
static void attr_stats64(struct nlbuf *nb, uint64_t base)
{
    uint64_t st[24] = {0};
    for (int i = 0; i < 8; i++)
        st[i] = base + (uint64_t)i;
    attr(nb, IFLA_STATS64, st, sizeof(st));
}

static void attr_stats32(struct nlbuf *nb, uint32_t base)
{
    uint32_t st[23] = {0};
    for (int i = 0; i < 8; i++)
        st[i] = base + (uint32_t)i;
    attr(nb, IFLA_STATS, st, sizeof(st));
}

static void link_msg(struct nlbuf *nb, uint32_t seq, int index, unsigned flags, const char *name)
{
    msg_begin(nb, RTM_NEWLINK, seq, NLM_F_MULTI);
    struct ifinfomsg ifi = {
        .ifi_family = AF_UNSPEC, .ifi_type = 1, .ifi_index = index, .ifi_flags = flags};
    put(nb, &ifi, sizeof(ifi));
    attr_str(nb, IFLA_IFNAME, name);
    attr_u32(nb, IFLA_MTU, 1400);
    attr(nb, IFLA_ADDRESS, mac, sizeof(mac));
    attr(nb, IFLA_BROADCAST, bcast, sizeof(bcast));
    attr_stats32(nb, 7);
    attr_stats64(nb, (1ull << 40) + 100);
    msg_end(nb);
}

static void addr_msg(struct nlbuf *nb, uint32_t seq, int family, int prefix, int index,
                     const char *local, const char *address, const char *brd)
{
    msg_begin(nb, RTM_NEWADDR, seq, NLM_F_MULTI);
    struct ifaddrmsg ifa = {.ifa_family = (uint8_t)family,
                            .ifa_prefixlen = (uint8_t)prefix,
                            .ifa_index = (uint32_t)index};
    put(nb, &ifa, sizeof(ifa));
    uint8_t bin[16];
    size_t alen = family == AF_INET ? 4 : 16;
    if (address) {
        ck_assert_int_eq(inet_pton(family, address, bin), 1);
        attr(nb, IFA_ADDRESS, bin, alen);
    }
    if (local) {
        ck_assert_int_eq(inet_pton(family, local, bin), 1);
        attr(nb, IFA_LOCAL, bin, alen);
    }
    if (brd) {
        ck_assert_int_eq(inet_pton(family, brd, bin), 1);
        attr(nb, IFA_BROADCAST, bin, alen);
    }
    attr_str(nb, IFA_LABEL, "x");
    msg_end(nb);
}

static void done_msg(struct nlbuf *nb, uint32_t seq, int err)
{
    msg_begin(nb, NLMSG_DONE, seq, NLM_F_MULTI);
    put(nb, &err, sizeof(err));
    msg_end(nb);
}

/* Exactly-sized heap copy: under ASan a read one byte past the end is caught. */
static uint8_t *dup_exact(const uint8_t *p, size_t n)
{
    uint8_t *d = malloc(n ? n : 1);
    memcpy(d, p, n);
    return d;
}

struct collected {
    struct net_link_msg links[8];
    struct net_addr_msg addrs[8];
    size_t n_links, n_addrs, n_other;
    int fail_at; /* return -ECANCELED at this message number (1-based); 0 never */
    size_t seen;
};

static int collect(uint16_t type, const uint8_t *payload, size_t len, void *vctx)
{
    struct collected *c = vctx;
    c->seen++;
    if (c->fail_at && c->seen == (size_t)c->fail_at)
        return -ECANCELED;
    if (type == RTM_NEWLINK && c->n_links < 8) {
        int rc = net_parse_link(payload, len, &c->links[c->n_links]);
        if (rc < 0)
            return rc;
        c->n_links++;
    } else if (type == RTM_NEWADDR && c->n_addrs < 8) {
        int rc = net_parse_addr(payload, len, &c->addrs[c->n_addrs]);
        if (rc < 0)
            return rc;
        c->n_addrs++;
    } else {
        c->n_other++;
    }
    return 0;
}

START_TEST(test_link_message)
{
    struct nlbuf nb = {0};
    unsigned flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST | IFF_LOWER_UP;
    link_msg(&nb, 5, 3, flags, "veth-fifteen-ch");
    done_msg(&nb, 5, 0);
    struct collected c = {0};
    struct net_nl_walk w = {.seq = 5};
    ck_assert_int_eq(net_nl_walk(nb.b, nb.len, &w, collect, &c), 0);
    ck_assert(w.done);
    ck_assert(!w.interrupted);
    ck_assert_uint_eq(c.n_links, 1);
    const struct net_link_msg *m = &c.links[0];
    ck_assert_int_eq(m->index, 3);
    ck_assert_uint_eq(m->flags, flags);
    ck_assert_str_eq(m->name, "veth-fifteen-ch");
    ck_assert_int_eq(m->mtu, 1400);
    ck_assert(m->has_stats);
    /* IFLA_STATS64 wins over the 32-bit IFLA_STATS that came first. */
    ck_assert_uint_eq(m->stats.rx_packets, (1ull << 40) + 100);
    ck_assert_uint_eq(m->stats.tx_dropped, (1ull << 40) + 107);

    struct iface ifc;
    net_link_to_iface(m, &ifc);
    ck_assert_str_eq(ifc.name, "veth-fifteen-ch");
    ck_assert(ifc.up);
    ck_assert(ifc.running);
    ck_assert_int_eq(ifc.mtu, 1400);
    ck_assert_int_eq(ifc.duplex, DUPLEX_UNKNOWN);
    ck_assert_int_eq(ifc.speed_mbps, -1);
    ck_assert_uint_eq(ifc.rx_packets, (1ull << 40) + 100);
    ck_assert_uint_eq(ifc.tx_packets, (1ull << 40) + 101);
    ck_assert_uint_eq(ifc.rx_bytes, (1ull << 40) + 102);
    ck_assert_uint_eq(ifc.tx_bytes, (1ull << 40) + 103);
    ck_assert_uint_eq(ifc.rx_errors, (1ull << 40) + 104);
    ck_assert_uint_eq(ifc.tx_errors, (1ull << 40) + 105);
    ck_assert_uint_eq(ifc.rx_dropped, (1ull << 40) + 106);
    ck_assert_uint_eq(ifc.tx_dropped, (1ull << 40) + 107);
    ck_assert_ptr_null(ifc.addrs);

    struct iface_addr hw;
    ck_assert(net_link_hwaddr(m, &hw));
    ck_assert_int_eq(hw.family, IFACE_ADDR_LINK);
    ck_assert_str_eq(hw.address, "02:00:5e:ab:cd:01");
    ck_assert_str_eq(hw.broadcast, "ff:ff:ff:ff:ff:ff");
    ck_assert_str_eq(hw.netmask, "");
    ck_assert_str_eq(hw.ptp, "");
    ck_assert_int_eq(hw.prefixlen, -1);
}
END_TEST

START_TEST(test_link_stats32_and_down)
{
    struct nlbuf nb = {0};
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    struct ifinfomsg ifi = {.ifi_index = 9, .ifi_flags = IFF_BROADCAST};
    put(&nb, &ifi, sizeof(ifi));
    attr_stats32(&nb, 4000000000u);
    attr_str(&nb, IFLA_IFNAME, "down0");
    msg_end(&nb);
    struct net_link_msg m;
    ck_assert_int_eq(net_parse_link(nb.b + NLMSG_HDRLEN, nb.len - NLMSG_HDRLEN, &m), 0);
    ck_assert_uint_eq(m.stats.rx_packets, 4000000000u);
    ck_assert_uint_eq(m.stats.tx_dropped, 4000000007u);
    ck_assert_int_eq(m.mtu, 0);
    struct iface ifc;
    net_link_to_iface(&m, &ifc);
    ck_assert(!ifc.up);
    ck_assert(!ifc.running);
    /* No IFLA_ADDRESS (tun, ipip without one): no link entry. */
    struct iface_addr hw;
    ck_assert(!net_link_hwaddr(&m, &hw));
}
END_TEST

START_TEST(test_link_ptp_hwaddr)
{
    struct net_link_msg m = {
        .index = 4, .flags = IFF_UP | IFF_POINTOPOINT, .addr_len = 4, .brd_len = 4};
    memcpy(m.addr, "\x0a\x00\x00\x01", 4);
    memcpy(m.brd, "\x0a\x00\x00\x02", 4);
    struct iface_addr hw;
    ck_assert(net_link_hwaddr(&m, &hw));
    ck_assert_str_eq(hw.address, "0a:00:00:01");
    ck_assert_str_eq(hw.broadcast, "");
    ck_assert_str_eq(hw.ptp, "0a:00:00:02");
}
END_TEST

static void expect_link_einval(struct nlbuf *nb)
{
    struct net_link_msg m;
    uint8_t *p = dup_exact(nb->b + NLMSG_HDRLEN, nb->len - NLMSG_HDRLEN);
    ck_assert_int_eq(net_parse_link(p, nb->len - NLMSG_HDRLEN, &m), -EINVAL);
    ck_assert_int_eq(m.index, 0); /* nothing half-filled */
    free(p);
}

START_TEST(test_link_hostile)
{
    struct ifinfomsg ifi = {.ifi_index = 2};
    struct nlbuf nb;

    /* no name at all */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    put(&nb, &ifi, sizeof(ifi));
    attr_u32(&nb, IFLA_MTU, 1500);
    msg_end(&nb);
    expect_link_einval(&nb);

    /* name without its NUL */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    put(&nb, &ifi, sizeof(ifi));
    attr(&nb, IFLA_IFNAME, "eth0", 4);
    msg_end(&nb);
    expect_link_einval(&nb);

    /* name longer than any kernel name */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    put(&nb, &ifi, sizeof(ifi));
    attr_str(&nb, IFLA_IFNAME, "a-name-much-longer-than-ifnamsiz");
    msg_end(&nb);
    expect_link_einval(&nb);

    /* empty name */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    put(&nb, &ifi, sizeof(ifi));
    attr_str(&nb, IFLA_IFNAME, "");
    msg_end(&nb);
    expect_link_einval(&nb);

    /* short MTU */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    put(&nb, &ifi, sizeof(ifi));
    attr_str(&nb, IFLA_IFNAME, "eth0");
    attr(&nb, IFLA_MTU, "\x01\x02", 2);
    msg_end(&nb);
    expect_link_einval(&nb);

    /* link address longer than MAX_ADDR_LEN */
    uint8_t big[40] = {0};
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    put(&nb, &ifi, sizeof(ifi));
    attr_str(&nb, IFLA_IFNAME, "eth0");
    attr(&nb, IFLA_ADDRESS, big, sizeof(big));
    msg_end(&nb);
    expect_link_einval(&nb);

    /* stats64 too short for the eight counters */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    put(&nb, &ifi, sizeof(ifi));
    attr_str(&nb, IFLA_IFNAME, "eth0");
    attr(&nb, IFLA_STATS64, big, sizeof(big));
    msg_end(&nb);
    expect_link_einval(&nb);

    /* attribute claiming more bytes than there are */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    put(&nb, &ifi, sizeof(ifi));
    attr_str(&nb, IFLA_IFNAME, "eth0");
    struct rtattr rta = {.rta_len = 200, .rta_type = IFLA_MTU};
    put(&nb, &rta, sizeof(rta));
    msg_end(&nb);
    expect_link_einval(&nb);

    /* attribute shorter than its own header (would loop forever if accepted) */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    put(&nb, &ifi, sizeof(ifi));
    attr_str(&nb, IFLA_IFNAME, "eth0");
    rta = (struct rtattr){.rta_len = 2, .rta_type = IFLA_MTU};
    put(&nb, &rta, sizeof(rta));
    msg_end(&nb);
    expect_link_einval(&nb);

    /* index 0 / negative */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWLINK, 1, 0);
    struct ifinfomsg bad = {.ifi_index = -3};
    put(&nb, &bad, sizeof(bad));
    attr_str(&nb, IFLA_IFNAME, "eth0");
    msg_end(&nb);
    expect_link_einval(&nb);

    /* shorter than ifinfomsg */
    struct net_link_msg m;
    ck_assert_int_eq(net_parse_link((const uint8_t *)"\0\0\0\0", 4, &m), -EINVAL);
}
END_TEST

/* Every prefix of a valid dump: the walk and the parsers either fail with -EINVAL or
 * accept what is whole; never a read past the end (ASan build) and never "done" early. */
START_TEST(test_truncated_everywhere)
{
    struct nlbuf nb = {0};
    link_msg(&nb, 8, 1, IFF_UP | IFF_LOOPBACK, "lo");
    addr_msg(&nb, 8, AF_INET6, 64, 1, NULL, "fe80::1", NULL);
    addr_msg(&nb, 8, AF_INET, 24, 1, "10.0.0.1", "10.0.0.1", "10.0.0.255");
    done_msg(&nb, 8, 0);
    size_t boundaries = 0, einval = 0;
    for (size_t cut = 0; cut < nb.len; cut++) {
        uint8_t *p = dup_exact(nb.b, cut);
        struct collected c = {0};
        struct net_nl_walk w = {.seq = 8};
        int rc = net_nl_walk(p, cut, &w, collect, &c);
        ck_assert_msg(rc == 0 || rc == -EINVAL, "cut %zu rc %d", cut, rc);
        ck_assert_msg(!w.done, "cut %zu: done before the DONE message", cut);
        if (rc == 0)
            boundaries++;
        else
            einval++;
        free(p);
    }
    /* Only cuts at the four message boundaries (0 included) are clean. */
    ck_assert_uint_eq(boundaries, 4);
    ck_assert_uint_eq(einval, nb.len - 4);

    /* Truncated payloads handed straight to the parsers. */
    uint32_t first_len;
    memcpy(&first_len, nb.b, sizeof(first_len));
    for (size_t cut = 0; cut < first_len - NLMSG_HDRLEN; cut++) {
        uint8_t *p = dup_exact(nb.b + NLMSG_HDRLEN, cut);
        struct net_link_msg m;
        int rc = net_parse_link(p, cut, &m);
        ck_assert_msg(rc == 0 || rc == -EINVAL, "cut %zu rc %d", cut, rc);
        if (rc == 0)
            ck_assert_str_eq(m.name, "lo");
        struct net_addr_msg am;
        rc = net_parse_addr(p, cut, &am);
        ck_assert_msg(rc == 0 || rc == -EINVAL || rc == -EAFNOSUPPORT, "cut %zu", cut);
        free(p);
    }
}
END_TEST

/* Random corruption of a valid dump (fixed seed): whatever the bytes say, the walk and the
 * parsers return 0 or a negative errno and stay inside the buffer (checked by ASan). */
START_TEST(test_corrupted_buffers)
{
    struct nlbuf nb = {0};
    link_msg(&nb, 2, 1, IFF_UP | IFF_LOOPBACK, "lo");
    link_msg(&nb, 2, 2, IFF_UP | IFF_POINTOPOINT, "tun0");
    addr_msg(&nb, 2, AF_INET, 32, 2, "10.9.9.1", "10.9.9.2", NULL);
    addr_msg(&nb, 2, AF_INET6, 64, 1, NULL, "fe80::1", NULL);
    done_msg(&nb, 2, 0);
    uint32_t rnd = 12345;
    size_t ok = 0;
    for (int round = 0; round < 8000; round++) {
        uint8_t *p = dup_exact(nb.b, nb.len);
        int flips = 1 + round % 4;
        for (int f = 0; f < flips; f++) {
            rnd = rnd * 1103515245u + 12345u;
            size_t at = (rnd >> 8) % nb.len;
            rnd = rnd * 1103515245u + 12345u;
            p[at] = (uint8_t)(rnd >> 16);
        }
        rnd = rnd * 1103515245u + 12345u;
        size_t len = round % 3 == 0 ? (rnd >> 8) % (nb.len + 1) : nb.len;
        struct collected c = {0};
        struct net_nl_walk w = {.seq = 2};
        int rc = net_nl_walk(p, len, &w, collect, &c);
        ck_assert_int_le(rc, 0);
        if (rc == 0)
            ok++;
        for (size_t i = 0; i < c.n_links; i++) {
            ck_assert_uint_le(strlen(c.links[i].name), IFACE_NAME_MAX);
            ck_assert_uint_le(c.links[i].addr_len, NET_HWADDR_MAX);
            struct iface_addr hw;
            net_link_hwaddr(&c.links[i], &hw);
        }
        for (size_t i = 0; i < c.n_addrs; i++) {
            struct iface_addr a;
            ck_assert_int_le(net_addr_to_iface(&c.addrs[i], false, &a), 0);
        }
        free(p);
    }
    ck_assert_uint_gt(ok, 0); /* some corruptions hit only values, not structure */
}
END_TEST

START_TEST(test_walk_control)
{
    struct nlbuf nb = {0};
    link_msg(&nb, 99, 1, IFF_UP, "stale"); /* an older dump's leftover: skipped */
    link_msg(&nb, 3, 2, IFF_UP, "eth0");
    msg_begin(&nb, RTM_NEWLINK, 3, NLM_F_MULTI | NLM_F_DUMP_INTR);
    struct ifinfomsg ifi = {.ifi_index = 3};
    put(&nb, &ifi, sizeof(ifi));
    attr_str(&nb, IFLA_IFNAME, "eth1");
    msg_end(&nb);
    done_msg(&nb, 3, 0);
    link_msg(&nb, 3, 4, IFF_UP, "after"); /* after DONE: not ours to read */
    struct collected c = {0};
    struct net_nl_walk w = {.seq = 3};
    ck_assert_int_eq(net_nl_walk(nb.b, nb.len, &w, collect, &c), 0);
    ck_assert(w.done);
    ck_assert(w.interrupted);
    ck_assert_uint_eq(c.n_links, 2);
    ck_assert_str_eq(c.links[0].name, "eth0");
    ck_assert_str_eq(c.links[1].name, "eth1");

    /* NLMSG_ERROR carries the errno */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, NLMSG_ERROR, 4, 0);
    struct nlmsgerr e = {.error = -EPERM};
    put(&nb, &e, sizeof(e));
    msg_end(&nb);
    w = (struct net_nl_walk){.seq = 4};
    ck_assert_int_eq(net_nl_walk(nb.b, nb.len, &w, collect, &c), -EPERM);

    /* a DONE with a negative error: the dump failed */
    memset(&nb, 0, sizeof(nb));
    done_msg(&nb, 4, -EMSGSIZE);
    w = (struct net_nl_walk){.seq = 4};
    ck_assert_int_eq(net_nl_walk(nb.b, nb.len, &w, collect, &c), -EMSGSIZE);

    /* the callback's error stops the walk */
    memset(&nb, 0, sizeof(nb));
    link_msg(&nb, 6, 1, 0, "a");
    link_msg(&nb, 6, 2, 0, "b");
    link_msg(&nb, 6, 3, 0, "c");
    memset(&c, 0, sizeof(c));
    c.fail_at = 2;
    w = (struct net_nl_walk){.seq = 6};
    ck_assert_int_eq(net_nl_walk(nb.b, nb.len, &w, collect, &c), -ECANCELED);
    ck_assert_uint_eq(c.seen, 2);
    ck_assert(!w.done);

    /* nlmsg_len shorter than a header, or longer than the buffer */
    memset(&nb, 0, sizeof(nb));
    done_msg(&nb, 6, 0);
    uint32_t bad = 8;
    memcpy(nb.b, &bad, sizeof(bad));
    w = (struct net_nl_walk){.seq = 6};
    ck_assert_int_eq(net_nl_walk(nb.b, nb.len, &w, collect, &c), -EINVAL);
    bad = 4096;
    memcpy(nb.b, &bad, sizeof(bad));
    ck_assert_int_eq(net_nl_walk(nb.b, nb.len, &w, collect, &c), -EINVAL);

    /* empty buffer: nothing, not done */
    w = (struct net_nl_walk){.seq = 6};
    ck_assert_int_eq(net_nl_walk(nb.b, 0, &w, collect, &c), 0);
    ck_assert(!w.done);
}
END_TEST

/* Parses one address message built with addr_msg() and converts it. */
static int addr_convert(int family, int prefix, const char *local, const char *address,
                        const char *brd, bool ptp_link, struct iface_addr *out)
{
    struct nlbuf nb = {0};
    addr_msg(&nb, 1, family, prefix, 7, local, address, brd);
    struct net_addr_msg m;
    int rc = net_parse_addr(nb.b + NLMSG_HDRLEN, nb.len - NLMSG_HDRLEN, &m);
    if (rc < 0)
        return rc;
    ck_assert_int_eq(m.index, 7);
    ck_assert_int_eq(m.prefixlen, prefix);
    return net_addr_to_iface(&m, ptp_link, out);
}

START_TEST(test_addresses)
{
    struct iface_addr a;
    /* inet with broadcast, as `ip addr add 10.0.0.2/24 brd + dev eth0` gives it */
    ck_assert_int_eq(addr_convert(AF_INET, 24, "10.0.0.2", "10.0.0.2", "10.0.0.255", false, &a), 0);
    ck_assert_int_eq(a.family, IFACE_ADDR_INET);
    ck_assert_str_eq(a.address, "10.0.0.2");
    ck_assert_str_eq(a.netmask, "255.255.255.0");
    ck_assert_str_eq(a.broadcast, "10.0.0.255");
    ck_assert_str_eq(a.ptp, "");
    ck_assert_int_eq(a.prefixlen, 24);

    /* point-to-point: IFA_LOCAL ours, IFA_ADDRESS the peer; no broadcast */
    ck_assert_int_eq(addr_convert(AF_INET, 32, "10.9.9.1", "10.9.9.2", NULL, true, &a), 0);
    ck_assert_str_eq(a.address, "10.9.9.1");
    ck_assert_str_eq(a.ptp, "10.9.9.2");
    ck_assert_str_eq(a.broadcast, "");
    ck_assert_str_eq(a.netmask, "255.255.255.255");

    /* a peer wins over a broadcast even on a broadcast link */
    ck_assert_int_eq(addr_convert(AF_INET, 32, "10.9.9.1", "10.9.9.2", "10.9.9.3", false, &a), 0);
    ck_assert_str_eq(a.ptp, "10.9.9.2");
    ck_assert_str_eq(a.broadcast, "");

    /* point-to-point link without a peer: neither */
    ck_assert_int_eq(addr_convert(AF_INET, 24, "10.9.8.1", "10.9.8.1", "10.9.8.255", true, &a), 0);
    ck_assert_str_eq(a.ptp, "");
    ck_assert_str_eq(a.broadcast, "");

    /* only IFA_ADDRESS (what IPv6 sends): it is the address */
    ck_assert_int_eq(addr_convert(AF_INET6, 64, NULL, "fe80::a8bb:ccff:fedd:eeff", NULL, false, &a),
                     0);
    ck_assert_int_eq(a.family, IFACE_ADDR_INET6);
    ck_assert_str_eq(a.address, "fe80::a8bb:ccff:fedd:eeff"); /* no %scope */
    ck_assert_str_eq(a.netmask, "ffff:ffff:ffff:ffff::");
    ck_assert_int_eq(a.prefixlen, 64);
    ck_assert_str_eq(a.broadcast, "");

    /* IPv6 with a peer */
    ck_assert_int_eq(addr_convert(AF_INET6, 128, "fd00::1", "fd00::2", NULL, true, &a), 0);
    ck_assert_str_eq(a.address, "fd00::1");
    ck_assert_str_eq(a.ptp, "fd00::2");

    ck_assert_int_eq(addr_convert(AF_INET6, 127, NULL, "2001:db8::1", NULL, false, &a), 0);
    ck_assert_str_eq(a.netmask, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe");

    /* out-of-range prefixes */
    ck_assert_int_eq(addr_convert(AF_INET, 33, "10.0.0.1", NULL, NULL, false, &a), -EINVAL);
    ck_assert_int_eq(addr_convert(AF_INET6, 129, NULL, "::1", NULL, false, &a), -EINVAL);
}
END_TEST

START_TEST(test_address_hostile)
{
    struct net_addr_msg m;
    struct nlbuf nb = {0};
    /* a family we do not report */
    msg_begin(&nb, RTM_NEWADDR, 1, 0);
    struct ifaddrmsg ifa = {.ifa_family = AF_PACKET, .ifa_index = 2};
    put(&nb, &ifa, sizeof(ifa));
    msg_end(&nb);
    ck_assert_int_eq(net_parse_addr(nb.b + NLMSG_HDRLEN, nb.len - NLMSG_HDRLEN, &m), -EAFNOSUPPORT);

    /* an IPv4 address of 16 bytes */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWADDR, 1, 0);
    ifa = (struct ifaddrmsg){.ifa_family = AF_INET, .ifa_prefixlen = 8, .ifa_index = 2};
    put(&nb, &ifa, sizeof(ifa));
    uint8_t sixteen[16] = {10};
    attr(&nb, IFA_ADDRESS, sixteen, sizeof(sixteen));
    msg_end(&nb);
    ck_assert_int_eq(net_parse_addr(nb.b + NLMSG_HDRLEN, nb.len - NLMSG_HDRLEN, &m), -EINVAL);

    /* no address attribute at all */
    memset(&nb, 0, sizeof(nb));
    msg_begin(&nb, RTM_NEWADDR, 1, 0);
    put(&nb, &ifa, sizeof(ifa));
    attr_str(&nb, IFA_LABEL, "eth0");
    msg_end(&nb);
    ck_assert_int_eq(net_parse_addr(nb.b + NLMSG_HDRLEN, nb.len - NLMSG_HDRLEN, &m), -EINVAL);

    /* index 0 */
    memset(&nb, 0, sizeof(nb));
    addr_msg(&nb, 1, AF_INET, 8, 0, "10.0.0.1", "10.0.0.1", NULL);
    ck_assert_int_eq(net_parse_addr(nb.b + NLMSG_HDRLEN, nb.len - NLMSG_HDRLEN, &m), -EINVAL);

    /* conversion refuses a message that never parsed */
    struct net_addr_msg empty = {.family = AF_INET};
    struct iface_addr a;
    ck_assert_int_eq(net_addr_to_iface(&empty, false, &a), -EINVAL);
}
END_TEST

START_TEST(test_netmask)
{
    char buf[64];
    static const struct {
        int family, prefix;
        const char *want;
    } cases[] = {
        {AF_INET, 0, "0.0.0.0"},
        {AF_INET, 1, "128.0.0.0"},
        {AF_INET, 8, "255.0.0.0"},
        {AF_INET, 20, "255.255.240.0"},
        {AF_INET, 24, "255.255.255.0"},
        {AF_INET, 31, "255.255.255.254"},
        {AF_INET, 32, "255.255.255.255"},
        {AF_INET6, 0, "::"},
        {AF_INET6, 48, "ffff:ffff:ffff::"},
        {AF_INET6, 64, "ffff:ffff:ffff:ffff::"},
        {AF_INET6, 65, "ffff:ffff:ffff:ffff:8000::"},
        {AF_INET6, 127, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"},
        {AF_INET6, 128, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ck_assert_int_eq(net_format_netmask(cases[i].family, cases[i].prefix, buf, sizeof(buf)), 0);
        ck_assert_str_eq(buf, cases[i].want);
    }
    ck_assert_int_eq(net_format_netmask(AF_INET, 33, buf, sizeof(buf)), -EINVAL);
    ck_assert_int_eq(net_format_netmask(AF_INET, -1, buf, sizeof(buf)), -EINVAL);
    ck_assert_int_eq(net_format_netmask(AF_INET6, 129, buf, sizeof(buf)), -EINVAL);
    ck_assert_int_eq(net_format_netmask(AF_PACKET, 8, buf, sizeof(buf)), -EINVAL);
    ck_assert_int_eq(net_format_netmask(AF_INET, 24, buf, 8), -EINVAL); /* too small */
}
END_TEST

START_TEST(test_hwaddr)
{
    char buf[64];
    ck_assert_int_eq(net_format_hwaddr(mac, 6, buf, sizeof(buf)), 0);
    ck_assert_str_eq(buf, "02:00:5e:ab:cd:01");
    ck_assert_int_eq(net_format_hwaddr(mac, 6, buf, 18), 0); /* exactly fits */
    ck_assert_int_eq(net_format_hwaddr(mac, 6, buf, 17), -EINVAL);
    ck_assert_int_eq(net_format_hwaddr(mac, 0, buf, sizeof(buf)), -EINVAL);
    uint8_t ib[20]; /* InfiniBand: 20 bytes, still fits IFACE_ADDR_STRLEN */
    for (int i = 0; i < 20; i++)
        ib[i] = (uint8_t)(0xf0 + i);
    ck_assert_int_eq(net_format_hwaddr(ib, 20, buf, IFACE_ADDR_STRLEN), 0);
    ck_assert_uint_eq(strlen(buf), 59);
    ck_assert(strncmp(buf, "f0:f1:f2", 8) == 0);
    ck_assert(strcmp(buf + 54, "02:03") == 0);
}
END_TEST

START_TEST(test_flag_names)
{
    const char *names[32];
    unsigned flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST | IFF_LOWER_UP;
    ck_assert_uint_eq(iface_flag_names(flags, names, 32), 5);
    ck_assert_str_eq(names[0], "UP");
    ck_assert_str_eq(names[1], "BROADCAST");
    ck_assert_str_eq(names[2], "RUNNING");
    ck_assert_str_eq(names[3], "MULTICAST");
    ck_assert_str_eq(names[4], "LOWER_UP");

    ck_assert_uint_eq(iface_flag_names(IFF_LOOPBACK | IFF_POINTOPOINT | IFF_NOARP, names, 32), 3);
    ck_assert_str_eq(names[0], "LOOPBACK");
    ck_assert_str_eq(names[1], "POINTOPOINT");
    ck_assert_str_eq(names[2], "NOARP");

    /* every named bit, in bit order, as include/uapi/linux/if.h spells them */
    static const char *const all[] = {
        "UP",        "BROADCAST", "DEBUG",    "LOOPBACK", "POINTOPOINT", "NOTRAILERS", "RUNNING",
        "NOARP",     "PROMISC",   "ALLMULTI", "MASTER",   "SLAVE",       "MULTICAST",  "PORTSEL",
        "AUTOMEDIA", "DYNAMIC",   "LOWER_UP", "DORMANT",  "ECHO"};
    ck_assert_uint_eq(iface_flag_names(0x7ffff, names, 32), 19);
    for (int i = 0; i < 19; i++)
        ck_assert_str_eq(names[i], all[i]);
    ck_assert_uint_eq(IFF_PROMISC, 1u << 8);
    ck_assert_uint_eq(IFF_DYNAMIC, 1u << 15);

    /* bits above ECHO have no name; cap limits what is written, not the count */
    ck_assert_uint_eq(iface_flag_names(0xfff80000u, names, 32), 0);
    names[2] = NULL;
    ck_assert_uint_eq(iface_flag_names(flags, names, 2), 5);
    ck_assert_ptr_null(names[2]);
    ck_assert_uint_eq(iface_flag_names(flags, NULL, 0), 5);
    ck_assert_uint_eq(iface_flag_names(0, names, 32), 0);
}
END_TEST

START_TEST(test_ethtool_map)
{
    struct net_link_settings s = net_ethtool_map(10000, 0x01);
    ck_assert_int_eq(s.speed_mbps, 10000);
    ck_assert_int_eq(s.duplex, NET_DUPLEX_FULL);
    s = net_ethtool_map(100, 0x00);
    ck_assert_int_eq(s.speed_mbps, 100);
    ck_assert_int_eq(s.duplex, NET_DUPLEX_HALF);
    s = net_ethtool_map(0xffffffffu, 0xff); /* SPEED_UNKNOWN, DUPLEX_UNKNOWN */
    ck_assert_int_eq(s.speed_mbps, -1);
    ck_assert_int_eq(s.duplex, NET_DUPLEX_UNKNOWN);
    s = net_ethtool_map(0, 0x01);
    ck_assert_int_eq(s.speed_mbps, -1);
    ck_assert_int_eq(s.duplex, NET_DUPLEX_FULL);
    s = net_ethtool_map(0x80000000u, 0x02); /* above INT_MAX; duplex out of range */
    ck_assert_int_eq(s.speed_mbps, -1);
    ck_assert_int_eq(s.duplex, NET_DUPLEX_UNKNOWN);
    s = net_ethtool_map(INT_MAX, 0x01);
    ck_assert_int_eq(s.speed_mbps, INT_MAX);
    s = net_ethtool_map(400000, 0x01); /* 400G: more than 16 bits */
    ck_assert_int_eq(s.speed_mbps, 400000);
}
END_TEST

/* The probe against the kernel it runs on: the same (index, name) pairs as glibc's
 * if_nameindex(3), sorted, loopback flagged and with its sysfs MTU where sysfs matches. */
START_TEST(test_live_probe)
{
    int err = 1;
    struct net_probe *np = net_probe_new(-1, -1, &err);
    ck_assert_ptr_nonnull(np);
    ck_assert_int_eq(err, 0);
    struct iface *v = NULL;
    size_t n = 0;
    for (int round = 0; round < 3; round++) { /* reads reuse the socket and the cache */
        for (size_t i = 0; i < n; i++)
            free(v[i].addrs);
        free(v);
        ck_assert_int_eq(net_probe_read(np, &v, &n), 0);
    }
    struct if_nameindex *ni = if_nameindex();
    ck_assert_ptr_nonnull(ni);
    size_t n_ni = 0;
    for (struct if_nameindex *p = ni; p->if_index; p++, n_ni++) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            if ((unsigned)v[i].index == p->if_index && strcmp(v[i].name, p->if_name) == 0)
                found = true;
        ck_assert_msg(found, "%s missing", p->if_name);
    }
    if_freenameindex(ni);
    ck_assert_uint_eq(n, n_ni);
    bool lo = false;
    for (size_t i = 0; i < n; i++) {
        if (i)
            ck_assert_int_lt(v[i - 1].index, v[i].index);
        ck_assert_int_gt(v[i].mtu, 0);
        if (v[i].flags & IFF_LOOPBACK) {
            lo = true;
            ck_assert(v[i].up == ((v[i].flags & IFF_UP) != 0));
            ck_assert_int_eq(v[i].speed_mbps, -1); /* loopback has no link settings */
            ck_assert_int_eq(v[i].duplex, DUPLEX_UNKNOWN);
        }
        for (size_t j = 0; j < v[i].n_addrs; j++) {
            ck_assert(v[i].addrs[j].address[0]);
            if (j)
                ck_assert_int_le(v[i].addrs[j - 1].family, v[i].addrs[j].family);
        }
        free(v[i].addrs);
    }
    ck_assert(lo);
    free(v);
    net_probe_free(np);
    net_probe_free(NULL);
}
END_TEST

static Suite *net_parse_suite(void)
{
    Suite *s = suite_create("net_parse");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_link_message);
    tcase_add_test(tc, test_link_stats32_and_down);
    tcase_add_test(tc, test_link_ptp_hwaddr);
    tcase_add_test(tc, test_link_hostile);
    tcase_add_test(tc, test_truncated_everywhere);
    tcase_add_test(tc, test_corrupted_buffers);
    tcase_add_test(tc, test_walk_control);
    tcase_add_test(tc, test_addresses);
    tcase_add_test(tc, test_address_hostile);
    tcase_add_test(tc, test_netmask);
    tcase_add_test(tc, test_hwaddr);
    tcase_add_test(tc, test_flag_names);
    tcase_add_test(tc, test_ethtool_map);
    tcase_add_test(tc, test_live_probe);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(net_parse_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
