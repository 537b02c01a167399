/* Network interfaces of vigil's own network namespace: one RTM_GETLINK dump (names,
 * flags, MTU, link addresses, counters) and one RTM_GETADDR dump (inet and inet6
 * addresses) over a netlink socket kept open, plus the ethtool ioctl for duplex and
 * speed. Parsing lives in net_parse.c. */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "platform/linux/linux_platform.h"
#include "platform/linux/net_ethtool.h"
#include "platform/linux/net_parse.h"
#include "probe/xalloc.h"

/* Dump replies come in datagrams of at most 32 KiB unless one message is bigger
 * (netlink_dump()); a bigger one is detected with MSG_TRUNC and the dump redone. */
#define NET_RECV_INITIAL (64 * 1024)
#define NET_DUMP_TRIES   3

/* Duplex and speed of one interface, asked again only when its state changes or every
 * NET_ETHTOOL_REFRESH reads (see net_probe_read). */
#define NET_ETHTOOL_REFRESH 10
#define NET_STATE_FLAGS     (IFF_UP | IFF_RUNNING | IFF_LOWER_UP)
#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP 0x10000 /* include/uapi/linux/if.h; glibc's net/if.h stops at DYNAMIC */
#endif

struct link_cache {
    int index;
    char name[IFACE_NAME_MAX + 1];
    unsigned state; /* flags & NET_STATE_FLAGS when last asked */
    unsigned age;   /* reads since last asked */
    int64_t speed_mbps;
    int duplex;
};

struct net_probe {
    int nl_fd; /* NETLINK_ROUTE, -1 after an error until the next read reopens it */
    uint32_t seq;
    uint8_t *buf;
    size_t cap;
    struct net_ethtool *et;   /* NULL: duplex and speed stay unknown */
    struct link_cache *cache; /* sorted by index */
    size_t n_cache;
};

/* One interface while the dumps are read. */
struct link_tmp {
    struct iface ifc;
    struct iface_addr hw;
    bool has_hw;
    size_t cap_addrs;
};

struct read_ctx {
    struct link_tmp *links;
    size_t n, cap;
};

static int nl_open(struct net_probe *np)
{
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    if (fd < 0)
        return -errno;
    struct sockaddr_nl sa = {.nl_family = AF_NETLINK}; /* port id chosen by the kernel */
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int e = -errno;
        close(fd);
        return e;
    }
    np->nl_fd = fd;
    return 0;
}

static void nl_close(struct net_probe *np)
{
    if (np->nl_fd >= 0)
        close(np->nl_fd);
    np->nl_fd = -1;
}

struct net_probe *net_probe_new(int proc_fd, int sys_fd, int *err)
{
    (void)proc_fd; /* everything comes from netlink and ioctls of our own namespace */
    (void)sys_fd;
    struct net_probe *np = xcalloc(1, sizeof(*np));
    np->nl_fd = -1;
    int rc = nl_open(np);
    if (rc < 0) {
        *err = rc;
        free(np);
        return NULL;
    }
    np->cap = NET_RECV_INITIAL;
    np->buf = xmalloc(np->cap);
    int e;
    np->et = net_ethtool_new(&e);
    *err = 0;
    return np;
}

void net_probe_free(struct net_probe *np)
{
    if (!np)
        return;
    nl_close(np);
    net_ethtool_free(np->et);
    free(np->buf);
    free(np->cache);
    free(np);
}

static void read_ctx_done(struct read_ctx *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->links[i].ifc.addrs);
    free(c->links);
    memset(c, 0, sizeof(*c));
}

static int on_link(uint16_t type, const uint8_t *payload, size_t len, void *vctx)
{
    struct read_ctx *c = vctx;
    struct net_link_msg m;
    if (type != RTM_NEWLINK)
        return 0;
    int rc = net_parse_link(payload, len, &m);
    if (rc < 0)
        return rc;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 16;
        c->links = xreallocarray(c->links, c->cap, sizeof(*c->links));
    }
    struct link_tmp *t = &c->links[c->n++];
    memset(t, 0, sizeof(*t));
    net_link_to_iface(&m, &t->ifc);
    t->has_hw = net_link_hwaddr(&m, &t->hw);
    return 0;
}

static int cmp_link_index(const void *a, const void *b)
{
    int x = ((const struct link_tmp *)a)->ifc.index, y = ((const struct link_tmp *)b)->ifc.index;
    return (x > y) - (x < y);
}

static struct link_tmp *find_link(struct read_ctx *c, int index)
{
    struct link_tmp key = {.ifc.index = index};
    return bsearch(&key, c->links, c->n, sizeof(*c->links), cmp_link_index);
}

static void push_addr(struct link_tmp *t, const struct iface_addr *a)
{
    if (t->ifc.n_addrs == t->cap_addrs) {
        t->cap_addrs = t->cap_addrs ? t->cap_addrs * 2 : 4;
        t->ifc.addrs = xreallocarray(t->ifc.addrs, t->cap_addrs, sizeof(*t->ifc.addrs));
    }
    t->ifc.addrs[t->ifc.n_addrs++] = *a;
}

static int on_addr(uint16_t type, const uint8_t *payload, size_t len, void *vctx)
{
    struct read_ctx *c = vctx;
    struct net_addr_msg m;
    if (type != RTM_NEWADDR)
        return 0;
    int rc = net_parse_addr(payload, len, &m);
    if (rc == -EAFNOSUPPORT)
        return 0;
    if (rc < 0)
        return rc;
    /* An interface created between the two dumps has no link entry yet: next time. */
    struct link_tmp *t = find_link(c, m.index);
    if (!t)
        return 0;
    struct iface_addr a;
    if (net_addr_to_iface(&m, (t->ifc.flags & IFF_POINTOPOINT) != 0, &a) < 0)
        return -EINVAL;
    push_addr(t, &a);
    return 0;
}

/* Sends one dump request and feeds every reply to cb. Returns 0, 1 when the kernel
 * flagged the dump as interrupted (the table changed meanwhile), or -errno; on an error
 * the socket is closed so that no half-read dump is left queued on it. */
static int nl_dump(struct net_probe *np, uint16_t type, net_nl_cb cb, void *ctx)
{
    if (np->nl_fd < 0) {
        int rc = nl_open(np);
        if (rc < 0)
            return rc;
    }
    struct {
        struct nlmsghdr nh;
        union {
            struct ifinfomsg ifi;
            struct ifaddrmsg ifa;
        } u;
    } req;
    memset(&req, 0, sizeof(req));
    size_t body = type == RTM_GETLINK ? sizeof(req.u.ifi) : sizeof(req.u.ifa);
    req.nh.nlmsg_len = NLMSG_LENGTH(body);
    req.nh.nlmsg_type = type;
    req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
    req.nh.nlmsg_seq = ++np->seq;
    struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
    if (sendto(np->nl_fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) <
        0) {
        int e = -errno;
        nl_close(np);
        return e;
    }
    struct net_nl_walk w = {.seq = req.nh.nlmsg_seq};
    while (!w.done) {
        struct sockaddr_nl from;
        struct iovec iov = {.iov_base = np->buf, .iov_len = np->cap};
        struct msghdr msg = {
            .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1};
        ssize_t r = recvmsg(np->nl_fd, &msg, MSG_TRUNC);
        if (r < 0 && errno == EINTR)
            continue;
        int rc = 0;
        if (r < 0) {
            rc = -errno;
        } else if ((size_t)r > np->cap) {
            /* The datagram did not fit and its tail is lost: grow and redo the dump. */
            np->cap = (size_t)r;
            np->buf = xrealloc(np->buf, np->cap);
            rc = -EAGAIN;
        } else if (from.nl_pid != 0) {
            continue; /* not from the kernel */
        } else {
            rc = net_nl_walk(np->buf, (size_t)r, &w, cb, ctx);
        }
        if (rc < 0) {
            nl_close(np);
            return rc;
        }
    }
    return w.interrupted ? 1 : 0;
}

/* Both dumps, retried when the kernel says the tables changed under them or a reply
 * needed a bigger buffer. */
static int read_dumps(struct net_probe *np, struct read_ctx *c)
{
    int rc = 0;
    for (int attempt = 0; attempt < NET_DUMP_TRIES; attempt++) {
        read_ctx_done(c);
        rc = nl_dump(np, RTM_GETLINK, on_link, c);
        if (rc >= 0) {
            qsort(c->links, c->n, sizeof(*c->links), cmp_link_index);
            int rc2 = nl_dump(np, RTM_GETADDR, on_addr, c);
            rc = rc2 < 0 ? rc2 : rc | rc2;
        }
        if (rc == 0 || (rc < 0 && rc != -EAGAIN && rc != -EINTR))
            break;
    }
    if (rc > 0) /* still changing after the last try: what we have is still per-entry valid */
        rc = 0;
    if (rc < 0)
        read_ctx_done(c);
    return rc;
}

static struct link_cache *cache_find(struct net_probe *np, int index)
{
    size_t lo = 0, hi = np->n_cache;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (np->cache[mid].index == index)
            return &np->cache[mid];
        if (np->cache[mid].index < index)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static int duplex_from_net(int d)
{
    return d == NET_DUPLEX_FULL ? DUPLEX_FULL : d == NET_DUPLEX_HALF ? DUPLEX_HALF : DUPLEX_UNKNOWN;
}

/* Duplex and speed for every link. The ioctl takes the RTNL lock for each interface, so
 * an answer is reused until the interface's up/running/carrier state or name changes, or
 * NET_ETHTOOL_REFRESH reads have passed (autonegotiation settles with carrier, so a
 * speed change without a carrier change is rare and at most that many reads late). */
static void fill_link_settings(struct net_probe *np, struct read_ctx *c)
{
    struct link_cache *next = xcalloc(c->n ? c->n : 1, sizeof(*next));
    for (size_t i = 0; i < c->n; i++) {
        struct iface *ifc = &c->links[i].ifc;
        struct link_cache *old = cache_find(np, ifc->index);
        struct link_cache *e = &next[i];
        unsigned state = ifc->flags & NET_STATE_FLAGS;
        if (old && old->state == state && old->age + 1 < NET_ETHTOOL_REFRESH &&
            strcmp(old->name, ifc->name) == 0) {
            *e = *old;
            e->age++;
        } else {
            struct net_link_settings s;
            net_ethtool_get(np->et, ifc->name, &s);
            *e = (struct link_cache){.index = ifc->index,
                                     .state = state,
                                     .speed_mbps = s.speed_mbps,
                                     .duplex = duplex_from_net(s.duplex)};
            memcpy(e->name, ifc->name, sizeof(e->name));
        }
        ifc->speed_mbps = e->speed_mbps;
        ifc->duplex = e->duplex;
    }
    free(np->cache);
    np->cache = next;
    np->n_cache = c->n;
}

/* The contract lists inet, then inet6, then link; within a family the kernel's order is
 * kept (insertion sort: stable, and an interface has few addresses). */
static void sort_addrs(struct iface_addr *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        struct iface_addr x = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1].family > x.family; j--)
            a[j] = a[j - 1];
        if (j != i)
            a[j] = x;
    }
}

int net_probe_read(struct net_probe *np, struct iface **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    struct read_ctx c = {0};
    int rc = read_dumps(np, &c);
    if (rc < 0)
        return rc;
    fill_link_settings(np, &c);
    struct iface *ifaces = xcalloc(c.n ? c.n : 1, sizeof(*ifaces));
    for (size_t i = 0; i < c.n; i++) {
        struct link_tmp *t = &c.links[i];
        if (t->has_hw)
            push_addr(t, &t->hw);
        sort_addrs(t->ifc.addrs, t->ifc.n_addrs);
        ifaces[i] = t->ifc;
    }
    free(c.links);
    *out = ifaces;
    *n = c.n;
    return 0;
}
