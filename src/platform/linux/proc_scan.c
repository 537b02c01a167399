/* STUB: replaced by the process scanner. */
#include <errno.h>
#include <stdlib.h>

#include "platform/linux/linux_platform.h"
#include "probe/xalloc.h"

struct proc_scanner {
    int proc_fd;
};

struct proc_scanner *proc_scanner_new(int proc_fd, const struct probe_config *cfg, int *err)
{
    (void)cfg;
    struct proc_scanner *sc = xcalloc(1, sizeof(*sc));
    sc->proc_fd = proc_fd;
    *err = 0;
    return sc;
}

void proc_scanner_free(struct proc_scanner *sc)
{
    free(sc);
}

int proc_scanner_read(struct proc_scanner *sc, unsigned want, struct proc_entry **out, size_t *n)
{
    (void)sc;
    (void)want;
    *out = NULL;
    *n = 0;
    return -ENOSYS;
}

int proc_scanner_details(struct proc_scanner *sc, struct proc_entry *e, unsigned want)
{
    (void)sc;
    (void)e;
    (void)want;
    return -ENOSYS;
}
