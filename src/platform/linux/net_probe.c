/* STUB: replaced by the network interface probe. */
#include <errno.h>
#include <stdlib.h>

#include "platform/linux/linux_platform.h"

struct net_probe *net_probe_new(int proc_fd, int sys_fd, int *err)
{
    (void)proc_fd;
    (void)sys_fd;
    *err = -ENOSYS;
    return NULL;
}

void net_probe_free(struct net_probe *np)
{
    (void)np;
}

int net_probe_read(struct net_probe *np, struct iface **out, size_t *n)
{
    (void)np;
    *out = NULL;
    *n = 0;
    return -ENOSYS;
}
