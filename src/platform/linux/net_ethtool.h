/* Duplex and speed of one interface through the ethtool ioctl (SIOCETHTOOL). Kept apart
 * from the model: <linux/ethtool.h> defines DUPLEX_HALF/FULL/UNKNOWN as macros that clash
 * with enum iface_duplex in snapshot.h, so this header speaks its own constants. */
#ifndef VIGIL_NET_ETHTOOL_H
#define VIGIL_NET_ETHTOOL_H

#include <stdint.h>

enum net_duplex { NET_DUPLEX_UNKNOWN, NET_DUPLEX_HALF, NET_DUPLEX_FULL };

struct net_link_settings {
    int64_t speed_mbps; /* -1 when the driver does not say */
    int duplex;         /* enum net_duplex */
};

/* Maps the kernel's raw answer: speed 0, SPEED_UNKNOWN (0xffffffff) and anything above
 * INT_MAX are unknown; duplex other than DUPLEX_HALF/DUPLEX_FULL is unknown. Pure. */
struct net_link_settings net_ethtool_map(uint32_t speed, uint8_t duplex);

struct net_ethtool;

/* One datagram socket for the ioctl, kept open; NULL with *err set when none can be made. */
struct net_ethtool *net_ethtool_new(int *err);
void net_ethtool_free(struct net_ethtool *et); /* NULL-safe */

/* Asks ETHTOOL_GLINKSETTINGS (two-step handshake on link_mode_masks_nwords), falling back
 * to ETHTOOL_GSET. Drivers that do not say (EOPNOTSUPP, EINVAL, EBUSY, ENODEV, EPERM)
 * give unknown settings and 0; other errors -errno with unknown settings. */
int net_ethtool_get(struct net_ethtool *et, const char *ifname, struct net_link_settings *out);

#endif
