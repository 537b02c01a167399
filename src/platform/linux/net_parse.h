/* Pure parsing of rtnetlink dump replies (rtnetlink(7); include/uapi/linux/if_link.h,
 * if_addr.h) and formatting of interface addresses. No I/O: the net probe feeds it what
 * recv() returned, the unit tests feed it hand-built buffers. Every read is bounds-checked;
 * a truncated or hostile buffer gives -EINVAL, never a read past its end. */
#ifndef VIGIL_NET_PARSE_H
#define VIGIL_NET_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/snapshot.h"

#define NET_HWADDR_MAX 32 /* MAX_ADDR_LEN in include/linux/netdevice.h */

struct net_link_counters {
    uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
    uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
};

/* One RTM_NEWLINK message. */
struct net_link_msg {
    int index;
    unsigned flags;      /* ifi_flags (dev_get_flags): IFF_* with RUNNING, LOWER_UP, ... */
    unsigned short type; /* ARPHRD_* */
    char name[IFACE_NAME_MAX + 1];
    int mtu; /* 0 when the message has no IFLA_MTU */
    uint8_t addr[NET_HWADDR_MAX];
    size_t addr_len; /* 0: no link address (tun, ...) */
    uint8_t brd[NET_HWADDR_MAX];
    size_t brd_len;
    bool has_stats; /* from IFLA_STATS64, else the 32-bit IFLA_STATS */
    struct net_link_counters stats;
};

/* One RTM_NEWADDR message of family AF_INET or AF_INET6. */
struct net_addr_msg {
    int index;
    int family; /* AF_INET, AF_INET6 */
    int prefixlen;
    uint8_t address[16]; /* IFA_ADDRESS: the peer when IFA_LOCAL differs */
    bool has_address;
    uint8_t local[16]; /* IFA_LOCAL */
    bool has_local;
    uint8_t broadcast[16]; /* IFA_BROADCAST (inet only) */
    bool has_broadcast;
};

/* State of one dump across the buffers recv() returns. */
struct net_nl_walk {
    uint32_t seq;     /* sequence number of our request: other messages are stale, skipped */
    bool done;        /* NLMSG_DONE seen */
    bool interrupted; /* NLM_F_DUMP_INTR: the table changed during the dump */
};

/* Called with each message's type and payload (what follows the nlmsghdr); a negative
 * return stops the walk and is returned. */
typedef int (*net_nl_cb)(uint16_t type, const uint8_t *payload, size_t len, void *ctx);

/* Walks the netlink messages in one received buffer. Returns 0 (check w->done), -EINVAL
 * for a malformed buffer, the error an NLMSG_ERROR or NLMSG_DONE carried, or what cb
 * returned. */
int net_nl_walk(const void *buf, size_t len, struct net_nl_walk *w, net_nl_cb cb, void *ctx);

/* Payload of RTM_NEWLINK. Returns 0 or -EINVAL (malformed, or no valid IFLA_IFNAME). */
int net_parse_link(const uint8_t *payload, size_t len, struct net_link_msg *out);

/* Payload of RTM_NEWADDR. Returns 0, -EAFNOSUPPORT for families other than inet/inet6
 * (to be skipped), or -EINVAL. */
int net_parse_addr(const uint8_t *payload, size_t len, struct net_addr_msg *out);

/* Netmask of a prefix length: "255.255.255.0" for (AF_INET, 24), "ffff:ffff:ffff:ffff::"
 * for (AF_INET6, 64). Returns 0 or -EINVAL (prefix out of range, unknown family, cap). */
int net_format_netmask(int family, int prefixlen, char *buf, size_t cap);

/* Lower-case hex bytes joined by ':' ("02:00:00:00:00:01"). Returns 0 or -EINVAL when
 * len is 0 or the text does not fit. */
int net_format_hwaddr(const uint8_t *addr, size_t len, char *buf, size_t cap);

/* The contract's view of an address message: address is IFA_LOCAL (else IFA_ADDRESS); a
 * different IFA_ADDRESS is the peer (ptp); broadcast only when there is no peer and the link
 * is not point-to-point. Returns 0 or -EINVAL. */
int net_addr_to_iface(const struct net_addr_msg *m, bool ptp_link, struct iface_addr *out);

/* The link-layer address entry of a link (MAC, and link broadcast, which is the peer on a
 * point-to-point link). Returns false when the link has no link-layer address. */
bool net_link_hwaddr(const struct net_link_msg *m, struct iface_addr *out);

/* Name, index, flags, up/running, mtu and counters; duplex unknown, speed -1, no
 * addresses, rates 0. */
void net_link_to_iface(const struct net_link_msg *m, struct iface *out);

#endif
