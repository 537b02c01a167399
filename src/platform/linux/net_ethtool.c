#include "platform/linux/net_ethtool.h"

#include <errno.h>
#include <limits.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/xalloc.h"

struct net_ethtool {
    int fd;
    /* link_mode_masks_nwords the kernel asked for in the GLINKSETTINGS handshake; 0 until
     * the first answer. It is fixed per kernel, so later calls skip the handshake. */
    int nwords;
};

struct net_link_settings net_ethtool_map(uint32_t speed, uint8_t duplex)
{
    struct net_link_settings s = {.speed_mbps = -1, .duplex = NET_DUPLEX_UNKNOWN};
    /* ethtool_validate_speed(): 0..INT_MAX or SPEED_UNKNOWN; 0 is what idle drivers say. */
    if (speed != 0 && speed <= INT_MAX)
        s.speed_mbps = speed;
    if (duplex == DUPLEX_FULL)
        s.duplex = NET_DUPLEX_FULL;
    else if (duplex == DUPLEX_HALF)
        s.duplex = NET_DUPLEX_HALF;
    return s;
}

struct net_ethtool *net_ethtool_new(int *err)
{
    /* Any socket reaches dev_ioctl(); AF_UNIX covers kernels built without IPv4. */
    static const int domains[] = {AF_INET, AF_UNIX, AF_INET6};
    int fd = -1;
    *err = 0;
    for (size_t i = 0; i < sizeof(domains) / sizeof(domains[0]) && fd < 0; i++) {
        fd = socket(domains[i], SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
            *err = -errno;
    }
    if (fd < 0)
        return NULL;
    struct net_ethtool *et = xcalloc(1, sizeof(*et));
    et->fd = fd;
    *err = 0;
    return et;
}

void net_ethtool_free(struct net_ethtool *et)
{
    if (!et)
        return;
    close(et->fd);
    free(et);
}

/* Answers meaning "this driver or device does not tell", not failures. */
static bool benign_errno(int e)
{
    return e == EOPNOTSUPP || e == EINVAL || e == EBUSY || e == ENODEV || e == EPERM ||
           e == EACCES || e == ENOTTY || e == ENXIO;
}

static int do_ioctl(struct net_ethtool *et, const char *ifname, void *data)
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, ifname, strlen(ifname) + 1);
    ifr.ifr_data = data;
    return ioctl(et->fd, SIOCETHTOOL, &ifr) < 0 ? -errno : 0;
}

/* The handshake, as include/uapi/linux/ethtool.h describes above struct
 * ethtool_link_settings: nwords 0 in, -N back, then the real call with N. */
static int get_link_settings(struct net_ethtool *et, const char *ifname, uint32_t *speed,
                             uint8_t *duplex)
{
    /* Room for the three link mode maps after the header: nwords is an __s8, at most 127. */
    union {
        struct ethtool_link_settings s;
        uint8_t room[sizeof(struct ethtool_link_settings) + 3 * SCHAR_MAX * sizeof(uint32_t)];
    } req;
    for (int attempt = 0; attempt < 2; attempt++) {
        memset(&req, 0, sizeof(req));
        req.s.cmd = ETHTOOL_GLINKSETTINGS;
        req.s.link_mode_masks_nwords = (int8_t)et->nwords;
        int rc = do_ioctl(et, ifname, &req);
        if (rc < 0)
            return rc;
        if (req.s.cmd == ETHTOOL_GLINKSETTINGS && req.s.link_mode_masks_nwords > 0 &&
            req.s.link_mode_masks_nwords == et->nwords) {
            *speed = req.s.speed;
            *duplex = req.s.duplex;
            return 0;
        }
        if (req.s.link_mode_masks_nwords >= 0)
            break;
        et->nwords = -req.s.link_mode_masks_nwords;
    }
    return -EPROTO;
}

static int get_legacy(struct net_ethtool *et, const char *ifname, uint32_t *speed, uint8_t *duplex)
{
    struct ethtool_cmd cmd;
    memset(&cmd, 0, sizeof(cmd));
    cmd.cmd = ETHTOOL_GSET;
    int rc = do_ioctl(et, ifname, &cmd);
    if (rc < 0)
        return rc;
    *speed = ethtool_cmd_speed(&cmd);
    *duplex = cmd.duplex;
    return 0;
}

int net_ethtool_get(struct net_ethtool *et, const char *ifname, struct net_link_settings *out)
{
    *out = net_ethtool_map(0, DUPLEX_UNKNOWN);
    if (!et || strlen(ifname) >= IFNAMSIZ)
        return 0;
    uint32_t speed = 0;
    uint8_t duplex = DUPLEX_UNKNOWN;
    int rc = get_link_settings(et, ifname, &speed, &duplex);
    /* Kernels before 4.6 do not know GLINKSETTINGS; EPROTO is a handshake we cannot follow. */
    if (rc == -EOPNOTSUPP || rc == -EPROTO)
        rc = get_legacy(et, ifname, &speed, &duplex);
    if (rc < 0)
        return benign_errno(-rc) ? 0 : rc;
    *out = net_ethtool_map(speed, duplex);
    return 0;
}
