/* Host, CPU and memory probes: file I/O relative to the /proc and /sys roots, parsing
 * in sys_parse.c. A part that cannot be read is left zero/empty and reported through
 * the return value; what could be read is still filled. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/linux/linux_platform.h"
#include "platform/linux/sys_parse.h"
#include "probe/xalloc.h"

#define SMALL_FILE   256
#define BIG_FILE_MAX (64u << 20) /* /proc/stat and cpuinfo grow with the CPU count */

/* Reads a file of any size (growing *buf); returns its length or -errno. */
static ssize_t read_whole(int dirfd, const char *path, char **buf, size_t *cap)
{
    if (!*buf) {
        *cap = 16384;
        *buf = xmalloc(*cap);
    }
    for (;;) {
        ssize_t n = linux_read_file_at(dirfd, path, *buf, *cap);
        if (n < 0 || (size_t)n < *cap - 1)
            return n;
        if (*cap >= BIG_FILE_MAX)
            return -EFBIG;
        *cap *= 2;
        *buf = xrealloc(*buf, *cap);
    }
}

static int read_stat(int proc_fd, struct sys_stat *st)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n = read_whole(proc_fd, "stat", &buf, &cap);
    int r = n < 0 ? (int)n : sys_stat_parse(buf, (size_t)n, st);
    free(buf);
    return r;
}

static int read_line_file(int dirfd, const char *path, char *out, size_t cap)
{
    char buf[SMALL_FILE];
    ssize_t n = linux_read_file_at(dirfd, path, buf, sizeof(buf));
    if (n < 0) {
        out[0] = '\0';
        return (int)n;
    }
    return sys_line_parse(buf, (size_t)n, out, cap);
}

int linux_read_host(int proc_fd, struct host_info *out)
{
    memset(out, 0, sizeof(*out));
    int first_err = 0;
    char buf[SMALL_FILE];
    ssize_t n;
    int r;

    /* the kernel's own copies of uname's nodename and release, so a fixture /proc works */
    r = read_line_file(proc_fd, "sys/kernel/hostname", out->hostname, sizeof(out->hostname));
    if (r < 0 && !first_err)
        first_err = r;
    r = read_line_file(proc_fd, "sys/kernel/osrelease", out->kernel, sizeof(out->kernel));
    if (r < 0 && !first_err)
        first_err = r;

    struct sys_stat st;
    r = read_stat(proc_fd, &st);
    if (r == 0) {
        out->boot_time = (double)st.btime;
        out->procs_running = st.procs_running;
        sys_stat_done(&st);
    } else if (!first_err) {
        first_err = r;
    }

    n = linux_read_file_at(proc_fd, "uptime", buf, sizeof(buf));
    r = n < 0 ? (int)n : sys_uptime_parse(buf, (size_t)n, &out->uptime);
    if (r < 0) {
        out->uptime = 0;
        if (!first_err)
            first_err = r;
    }

    n = linux_read_file_at(proc_fd, "loadavg", buf, sizeof(buf));
    r = n < 0 ? (int)n : sys_loadavg_parse(buf, (size_t)n, out->load);
    if (r < 0) {
        out->load[0] = out->load[1] = out->load[2] = 0;
        if (!first_err)
            first_err = r;
    }
    return first_err;
}

/* A sysfs topology number; -1 when absent or unreadable. */
static long read_topo_value(int sys_fd, int cpu, const char *name)
{
    char path[96], buf[64];
    snprintf(path, sizeof(path), "devices/system/cpu/cpu%d/topology/%s", cpu, name);
    ssize_t n = linux_read_file_at(sys_fd, path, buf, sizeof(buf));
    if (n <= 0)
        return -1;
    char *end;
    long v = strtol(buf, &end, 10);
    if (end == buf || (*end != '\n' && *end != '\0'))
        return -1;
    return v;
}

/* Cores and sockets from sysfs (a core is a (package, die, core) triple, since core_id
 * repeats across dies and packages); false when any online CPU lacks topology. */
static bool topology_from_sysfs(int sys_fd, const struct cpu_line *cpus, size_t n, int *physical,
                                int *sockets)
{
    if (sys_fd < 0 || n == 0)
        return false;
    struct cpu_topo *topo = xcalloc(n, sizeof(*topo));
    bool ok = true;
    for (size_t i = 0; i < n && ok; i++) {
        topo[i].package = read_topo_value(sys_fd, cpus[i].id, "physical_package_id");
        topo[i].core = read_topo_value(sys_fd, cpus[i].id, "core_id");
        topo[i].die = read_topo_value(sys_fd, cpus[i].id, "die_id"); /* Linux >= 5.2 */
        if (topo[i].core < 0)
            ok = false;
    }
    if (ok)
        sys_topology_count(topo, n, physical, sockets);
    free(topo);
    return ok;
}

static void topology_from_cpuinfo(int proc_fd, int *physical, int *sockets)
{
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n = read_whole(proc_fd, "cpuinfo", &buf, &cap);
    if (n < 0 || sys_cpuinfo_topology(buf, (size_t)n, physical, sockets) < 0)
        *physical = *sockets = 0;
    free(buf);
}

int linux_read_cpu(int proc_fd, int sys_fd, struct cpu_info *out)
{
    memset(out, 0, sizeof(*out));
    out->total.id = -1;
    struct sys_stat st;
    int r = read_stat(proc_fd, &st);
    if (r < 0)
        return r;
    out->total.times = st.total;
    out->per_cpu = st.cpus; /* ownership moves to out */
    out->n_cpu = st.n_cpus;
    out->logical = (int)st.n_cpus;
    if (!topology_from_sysfs(sys_fd, out->per_cpu, out->n_cpu, &out->physical, &out->sockets))
        topology_from_cpuinfo(proc_fd, &out->physical, &out->sockets);
    return 0;
}

int linux_read_mem(int proc_fd, struct mem_info *out)
{
    memset(out, 0, sizeof(*out));
    char buf[8192]; /* meminfo is about 1.5 KB; our keys come first */
    ssize_t n = linux_read_file_at(proc_fd, "meminfo", buf, sizeof(buf));
    if (n < 0)
        return (int)n;
    struct sys_meminfo mi;
    int r = sys_meminfo_parse(buf, (size_t)n, &mi);
    if (r < 0)
        return r;
    sys_mem_compute(&mi, out);
    return 0;
}
