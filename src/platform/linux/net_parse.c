#include "platform/linux/net_parse.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <string.h>
#include <sys/socket.h>

/* Headers are copied out with memcpy: a buffer handed to us need not be aligned. */

#define NL_HDRLEN   ((size_t)NLMSG_HDRLEN)
#define RTA_HDRLEN_ ((size_t)RTA_LENGTH(0))

/* Calls cb(type, data, len, ctx) for each attribute in [p, p + len); -EINVAL when an
 * attribute's length runs past the end or is shorter than its own header. */
typedef int (*rta_cb)(unsigned type, const uint8_t *data, size_t len, void *ctx);

static int rta_walk(const uint8_t *p, size_t len, rta_cb cb, void *ctx)
{
    while (len >= RTA_HDRLEN_) {
        struct rtattr rta;
        memcpy(&rta, p, sizeof(rta));
        size_t alen = rta.rta_len;
        if (alen < RTA_HDRLEN_ || alen > len)
            return -EINVAL;
        int rc = cb(rta.rta_type & NLA_TYPE_MASK, p + RTA_HDRLEN_, alen - RTA_HDRLEN_, ctx);
        if (rc < 0)
            return rc;
        size_t step = RTA_ALIGN(alen);
        if (step >= len)
            return 0;
        p += step;
        len -= step;
    }
    return 0; /* fewer bytes than a header: alignment padding */
}

int net_nl_walk(const void *buf, size_t len, struct net_nl_walk *w, net_nl_cb cb, void *ctx)
{
    const uint8_t *p = buf;
    while (len > 0 && !w->done) {
        struct nlmsghdr nh;
        if (len < NL_HDRLEN)
            return -EINVAL;
        memcpy(&nh, p, sizeof(nh));
        size_t mlen = nh.nlmsg_len;
        if (mlen < NL_HDRLEN || mlen > len)
            return -EINVAL;
        const uint8_t *payload = p + NL_HDRLEN;
        size_t plen = mlen - NL_HDRLEN;
        if (nh.nlmsg_seq == w->seq) {
            if (nh.nlmsg_flags & NLM_F_DUMP_INTR)
                w->interrupted = true;
            if (nh.nlmsg_type == NLMSG_DONE) {
                /* Since 2.6.x DONE carries an int: a negative one means the dump failed. */
                w->done = true;
                if (plen >= sizeof(int)) {
                    int err;
                    memcpy(&err, payload, sizeof(err));
                    if (err < 0)
                        return err;
                }
            } else if (nh.nlmsg_type == NLMSG_ERROR) {
                int err;
                if (plen < sizeof(err))
                    return -EINVAL;
                memcpy(&err, payload, sizeof(err));
                w->done = true;
                return err < 0 ? err : 0;
            } else if (nh.nlmsg_type >= NLMSG_MIN_TYPE) {
                int rc = cb(nh.nlmsg_type, payload, plen, ctx);
                if (rc < 0)
                    return rc;
            }
        }
        size_t step = NLMSG_ALIGN(mlen);
        if (step >= len)
            break;
        p += step;
        len -= step;
    }
    return 0;
}

static uint64_t get_u64(const uint8_t *p, size_t i)
{
    uint64_t v;
    memcpy(&v, p + i * sizeof(v), sizeof(v));
    return v;
}

static uint32_t get_u32(const uint8_t *p, size_t i)
{
    uint32_t v;
    memcpy(&v, p + i * sizeof(v), sizeof(v));
    return v;
}

/* Both stats structs start rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors,
 * tx_errors, rx_dropped, tx_dropped (include/uapi/linux/if_link.h). */
enum {
    ST_RX_PACKETS,
    ST_TX_PACKETS,
    ST_RX_BYTES,
    ST_TX_BYTES,
    ST_RX_ERRORS,
    ST_TX_ERRORS,
    ST_RX_DROPPED,
    ST_TX_DROPPED,
    ST_USED
};

struct link_ctx {
    struct net_link_msg *m;
    bool has_name, has_stats64;
};

static int link_attr(unsigned type, const uint8_t *d, size_t len, void *vctx)
{
    struct link_ctx *c = vctx;
    struct net_link_msg *m = c->m;
    switch (type) {
    case IFLA_IFNAME: {
        const uint8_t *nul = memchr(d, '\0', len);
        if (!nul || nul == d || (size_t)(nul - d) > IFACE_NAME_MAX)
            return -EINVAL;
        memcpy(m->name, d, (size_t)(nul - d) + 1);
        c->has_name = true;
        break;
    }
    case IFLA_MTU:
        if (len < sizeof(uint32_t))
            return -EINVAL;
        m->mtu = (int)get_u32(d, 0);
        break;
    case IFLA_ADDRESS:
    case IFLA_BROADCAST: {
        if (len > NET_HWADDR_MAX)
            return -EINVAL;
        bool is_addr = type == IFLA_ADDRESS;
        memcpy(is_addr ? m->addr : m->brd, d, len);
        *(is_addr ? &m->addr_len : &m->brd_len) = len;
        break;
    }
    case IFLA_STATS64:
        if (len < ST_USED * sizeof(uint64_t))
            return -EINVAL;
        m->stats = (struct net_link_counters){
            .rx_packets = get_u64(d, ST_RX_PACKETS),
            .tx_packets = get_u64(d, ST_TX_PACKETS),
            .rx_bytes = get_u64(d, ST_RX_BYTES),
            .tx_bytes = get_u64(d, ST_TX_BYTES),
            .rx_errors = get_u64(d, ST_RX_ERRORS),
            .tx_errors = get_u64(d, ST_TX_ERRORS),
            .rx_dropped = get_u64(d, ST_RX_DROPPED),
            .tx_dropped = get_u64(d, ST_TX_DROPPED),
        };
        m->has_stats = c->has_stats64 = true;
        break;
    case IFLA_STATS:
        if (len < ST_USED * sizeof(uint32_t))
            return -EINVAL;
        if (c->has_stats64) /* the 64-bit counters win whatever the attribute order */
            break;
        m->stats = (struct net_link_counters){
            .rx_packets = get_u32(d, ST_RX_PACKETS),
            .tx_packets = get_u32(d, ST_TX_PACKETS),
            .rx_bytes = get_u32(d, ST_RX_BYTES),
            .tx_bytes = get_u32(d, ST_TX_BYTES),
            .rx_errors = get_u32(d, ST_RX_ERRORS),
            .tx_errors = get_u32(d, ST_TX_ERRORS),
            .rx_dropped = get_u32(d, ST_RX_DROPPED),
            .tx_dropped = get_u32(d, ST_TX_DROPPED),
        };
        m->has_stats = true;
        break;
    default:
        break;
    }
    return 0;
}

int net_parse_link(const uint8_t *payload, size_t len, struct net_link_msg *out)
{
    memset(out, 0, sizeof(*out));
    struct ifinfomsg ifi;
    if (len < sizeof(ifi))
        return -EINVAL;
    memcpy(&ifi, payload, sizeof(ifi));
    if (ifi.ifi_index <= 0)
        return -EINVAL;
    out->index = ifi.ifi_index;
    out->flags = ifi.ifi_flags;
    out->type = ifi.ifi_type;
    size_t off = NLMSG_ALIGN(sizeof(ifi));
    struct link_ctx c = {.m = out};
    int rc = off <= len ? rta_walk(payload + off, len - off, link_attr, &c) : 0;
    if (rc < 0 || !c.has_name) {
        memset(out, 0, sizeof(*out));
        return -EINVAL;
    }
    return 0;
}

struct addr_ctx {
    struct net_addr_msg *m;
    size_t alen;
};

static int addr_attr(unsigned type, const uint8_t *d, size_t len, void *vctx)
{
    struct addr_ctx *c = vctx;
    struct net_addr_msg *m = c->m;
    uint8_t *dst;
    bool *has;
    switch (type) {
    case IFA_ADDRESS:
        dst = m->address;
        has = &m->has_address;
        break;
    case IFA_LOCAL:
        dst = m->local;
        has = &m->has_local;
        break;
    case IFA_BROADCAST:
        dst = m->broadcast;
        has = &m->has_broadcast;
        break;
    default:
        return 0;
    }
    if (len != c->alen)
        return -EINVAL;
    memcpy(dst, d, len);
    *has = true;
    return 0;
}

int net_parse_addr(const uint8_t *payload, size_t len, struct net_addr_msg *out)
{
    memset(out, 0, sizeof(*out));
    struct ifaddrmsg ifa;
    if (len < sizeof(ifa))
        return -EINVAL;
    memcpy(&ifa, payload, sizeof(ifa));
    struct addr_ctx c = {.m = out};
    int maxlen;
    if (ifa.ifa_family == AF_INET) {
        c.alen = 4;
        maxlen = 32;
    } else if (ifa.ifa_family == AF_INET6) {
        c.alen = 16;
        maxlen = 128;
    } else {
        return -EAFNOSUPPORT;
    }
    if (ifa.ifa_index == 0 || ifa.ifa_index > (unsigned)INT32_MAX || ifa.ifa_prefixlen > maxlen)
        return -EINVAL;
    out->index = (int)ifa.ifa_index;
    out->family = ifa.ifa_family;
    out->prefixlen = ifa.ifa_prefixlen;
    size_t off = NLMSG_ALIGN(sizeof(ifa));
    int rc = off <= len ? rta_walk(payload + off, len - off, addr_attr, &c) : 0;
    if (rc < 0 || !(out->has_address || out->has_local)) {
        memset(out, 0, sizeof(*out));
        return -EINVAL;
    }
    return 0;
}

int net_format_netmask(int family, int prefixlen, char *buf, size_t cap)
{
    uint8_t mask[16] = {0};
    size_t bytes = family == AF_INET ? 4 : family == AF_INET6 ? 16 : 0;
    if (bytes == 0 || prefixlen < 0 || (size_t)prefixlen > bytes * 8)
        return -EINVAL;
    for (int i = 0; i < prefixlen; i++)
        mask[i / 8] |= (uint8_t)(0x80u >> (i % 8));
    return inet_ntop(family, mask, buf, (socklen_t)cap) ? 0 : -EINVAL;
}

int net_format_hwaddr(const uint8_t *addr, size_t len, char *buf, size_t cap)
{
    static const char hex[] = "0123456789abcdef";
    if (len == 0 || cap < len * 3) /* "xx:" per byte, the last ':' becomes the NUL */
        return -EINVAL;
    char *o = buf;
    for (size_t i = 0; i < len; i++) {
        if (i)
            *o++ = ':';
        *o++ = hex[addr[i] >> 4];
        *o++ = hex[addr[i] & 0xf];
    }
    *o = '\0';
    return 0;
}

static int format_ip(int family, const uint8_t *a, char *buf, size_t cap)
{
    return inet_ntop(family, a, buf, (socklen_t)cap) ? 0 : -EINVAL;
}

int net_addr_to_iface(const struct net_addr_msg *m, bool ptp_link, struct iface_addr *out)
{
    memset(out, 0, sizeof(*out));
    size_t alen = m->family == AF_INET ? 4 : 16;
    const uint8_t *local = m->has_local ? m->local : m->has_address ? m->address : NULL;
    if (!local || (m->family != AF_INET && m->family != AF_INET6))
        return -EINVAL;
    out->family = m->family == AF_INET ? IFACE_ADDR_INET : IFACE_ADDR_INET6;
    out->prefixlen = m->prefixlen;
    int rc = format_ip(m->family, local, out->address, sizeof(out->address));
    if (rc == 0)
        rc = net_format_netmask(m->family, m->prefixlen, out->netmask, sizeof(out->netmask));
    /* IFA_ADDRESS differing from IFA_LOCAL is the far end (`ip addr add A peer B`). */
    if (rc == 0 && m->has_local && m->has_address && memcmp(m->local, m->address, alen) != 0)
        rc = format_ip(m->family, m->address, out->ptp, sizeof(out->ptp));
    else if (rc == 0 && m->has_broadcast && !ptp_link)
        rc = format_ip(m->family, m->broadcast, out->broadcast, sizeof(out->broadcast));
    if (rc < 0)
        memset(out, 0, sizeof(*out));
    return rc;
}

bool net_link_hwaddr(const struct net_link_msg *m, struct iface_addr *out)
{
    memset(out, 0, sizeof(*out));
    out->family = IFACE_ADDR_LINK;
    out->prefixlen = -1;
    if (net_format_hwaddr(m->addr, m->addr_len, out->address, sizeof(out->address)) < 0)
        return false;
    /* getifaddrs(3) does the same: on a point-to-point link IFLA_BROADCAST is the peer. */
    char *brd = (m->flags & IFF_POINTOPOINT) ? out->ptp : out->broadcast;
    if (m->brd_len && net_format_hwaddr(m->brd, m->brd_len, brd, IFACE_ADDR_STRLEN) < 0)
        brd[0] = '\0';
    return true;
}

void net_link_to_iface(const struct net_link_msg *m, struct iface *out)
{
    memset(out, 0, sizeof(*out));
    memcpy(out->name, m->name, sizeof(out->name));
    out->index = m->index;
    out->flags = m->flags;
    out->up = (m->flags & IFF_UP) != 0;
    out->running = (m->flags & IFF_RUNNING) != 0;
    out->duplex = DUPLEX_UNKNOWN;
    out->speed_mbps = -1;
    out->mtu = m->mtu;
    out->rx_bytes = m->stats.rx_bytes;
    out->tx_bytes = m->stats.tx_bytes;
    out->rx_packets = m->stats.rx_packets;
    out->tx_packets = m->stats.tx_packets;
    out->rx_errors = m->stats.rx_errors;
    out->tx_errors = m->stats.tx_errors;
    out->rx_dropped = m->stats.rx_dropped;
    out->tx_dropped = m->stats.tx_dropped;
}
