/* STUB: replaced by the probe orchestration. */
#include "probe/probe.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "probe/platform.h"
#include "probe/xalloc.h"

struct probe {
    struct probe_config cfg;
    struct platform *pf;
};

void probe_config_default(struct probe_config *cfg)
{
    cfg->proc_root = "/proc";
    cfg->sys_root = "/sys";
    cfg->clk_tck = sysconf(_SC_CLK_TCK);
    cfg->page_size = sysconf(_SC_PAGESIZE);
    cfg->want = 0;
    cfg->want_procs = true;
    cfg->want_ifaces = true;
    cfg->full_pass_every = 4;
}

struct probe *probe_new(const struct probe_config *cfg, int *err)
{
    struct probe *p = xcalloc(1, sizeof(*p));
    p->cfg = *cfg;
    p->pf = platform_new(cfg, err);
    if (!p->pf) {
        free(p);
        return NULL;
    }
    return p;
}

void probe_free(struct probe *p)
{
    if (!p)
        return;
    platform_free(p->pf);
    free(p);
}

int probe_sample(struct probe *p, struct snapshot *out)
{
    (void)p;
    (void)out;
    return -ENOSYS;
}

int probe_fill_details(struct probe *p, struct proc_entry *e, unsigned want)
{
    return platform_proc_details(p->pf, e, want);
}

const struct probe_config *probe_get_config(const struct probe *p)
{
    return &p->cfg;
}
