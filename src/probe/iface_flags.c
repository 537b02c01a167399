/* Names of the IFF_* interface flags, as include/uapi/linux/if.h spells them (without the
 * IFF_ prefix). The bit values are the kernel's ABI. */
#include "probe/snapshot.h"

static const char *const flag_names[] = {
    "UP",          /* 1 << 0 */
    "BROADCAST",   /* 1 << 1 */
    "DEBUG",       /* 1 << 2 */
    "LOOPBACK",    /* 1 << 3 */
    "POINTOPOINT", /* 1 << 4 */
    "NOTRAILERS",  /* 1 << 5 */
    "RUNNING",     /* 1 << 6: operational state (RFC 2863) */
    "NOARP",       /* 1 << 7 */
    "PROMISC",     /* 1 << 8 */
    "ALLMULTI",    /* 1 << 9 */
    "MASTER",      /* 1 << 10 */
    "SLAVE",       /* 1 << 11 */
    "MULTICAST",   /* 1 << 12 */
    "PORTSEL",     /* 1 << 13 */
    "AUTOMEDIA",   /* 1 << 14 */
    "DYNAMIC",     /* 1 << 15 */
    "LOWER_UP",    /* 1 << 16: carrier */
    "DORMANT",     /* 1 << 17 */
    "ECHO",        /* 1 << 18 */
};

#define FLAG_COUNT (sizeof(flag_names) / sizeof(flag_names[0]))

size_t iface_flag_names(unsigned flags, const char **names, size_t cap)
{
    size_t n = 0;
    for (unsigned bit = 0; bit < FLAG_COUNT; bit++) {
        if (!(flags & (1u << bit)))
            continue;
        if (n < cap)
            names[n] = flag_names[bit];
        n++;
    }
    return n;
}
