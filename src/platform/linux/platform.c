#include "probe/platform.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <linux/magic.h>
#include <sys/resource.h>
#include <sys/vfs.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "platform/linux/linux_platform.h"
#include "platform/linux/proc_parse.h"
#include "probe/xalloc.h"

struct platform {
    int proc_fd;
    int sys_fd; /* -1 when the sys root cannot be opened: topology and link info degrade */
    struct proc_scanner *procs;
    struct net_probe *net; /* NULL when interfaces are not wanted or cannot be read */
    struct linux_details_env details_env;
    struct thread_reader *threads; /* created when threads are first asked for */
};

ssize_t linux_read_file_at(int dirfd, const char *path, char *buf, size_t cap)
{
    if (cap == 0)
        return -EINVAL;
    int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t len = 0;
    while (len < cap - 1) {
        ssize_t r = read(fd, buf + len, cap - 1 - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            return -e;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t)len;
}

ssize_t linux_read_all_fd(int fd, char **buf, size_t *cap, size_t max)
{
    size_t len = 0;
    for (;;) {
        if (len == *cap) {
            if (*cap >= max)
                break;
            size_t grow = *cap ? *cap * 2 : 4096;
            *buf = xrealloc(*buf, grow > max ? max : grow);
            *cap = grow > max ? max : grow;
        }
        ssize_t r = read(fd, *buf + len, *cap - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -errno;
        if (r == 0)
            break;
        len += (size_t)r;
    }
    return (ssize_t)len;
}

int linux_ioprio_get(pid_t id, int *cls, int *level)
{
    long v = syscall(SYS_ioprio_get, LINUX_IOPRIO_WHO_PROCESS, (int)id);
    if (v < 0)
        return -errno;
    int c = (int)(v >> LINUX_IOPRIO_CLASS_SHIFT); /* the level: the low 3 bits */
    *cls = c;
    *level = -1;
    if (c == IONICE_REALTIME || c == IONICE_BEST_EFFORT)
        *level = (int)(v & 7);
    else if (c != IONICE_NONE && c != IONICE_IDLE)
        *cls = IONICE_UNKNOWN;
    return 0;
}

int linux_ioprio_get_entry(pid_t id, struct proc_entry *e)
{
    int cls = IONICE_UNKNOWN, level = -1;
    int r = linux_ioprio_get(id, &cls, &level);
    if (r == 0) {
        e->ionice_class = (int8_t)cls;   /* -1..3 */
        e->ionice_level = (int8_t)level; /* -1..7 */
    }
    return r;
}

void linux_entry_from_stat(struct proc_entry *e, const struct proc_stat_info *st, long clk_tck)
{
    memcpy(e->name, st->comm, st->comm_len + 1);
    e->ppid = st->ppid;
    e->state = st->state;
    e->kernel_thread = (st->flags & PROC_PF_KTHREAD) != 0;
    e->nice = st->nice;
    e->priority = st->priority;
    e->threads = st->num_threads;
    e->tty_nr = st->tty_nr;
    e->utime = st->utime;
    e->stime = st->stime;
    e->start_ticks = st->starttime;
    e->cpu_time = (double)(st->utime + st->stime) / (double)clk_tck;
}

struct platform *platform_new(const struct probe_config *cfg, int *err)
{
    struct platform *pf = xcalloc(1, sizeof(*pf));
    pf->sys_fd = -1;
    pf->proc_fd = open(cfg->proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (pf->proc_fd < 0) {
        *err = -errno;
        free(pf);
        return NULL;
    }
    pf->sys_fd = open(cfg->sys_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    pf->details_env.clk_tck = cfg->clk_tck;
    pf->details_env.page_size = cfg->page_size;
    struct statfs sfs;
    pf->details_env.live = fstatfs(pf->proc_fd, &sfs) == 0 && sfs.f_type == PROC_SUPER_MAGIC;
    if (cfg->want_procs) {
        pf->procs = proc_scanner_new(pf->proc_fd, cfg, err);
        if (!pf->procs) {
            platform_free(pf);
            return NULL;
        }
    }
    if (cfg->want_ifaces) {
        int e = 0;
        pf->net = net_probe_new(pf->proc_fd, pf->sys_fd, &e); /* NULL: no interface data */
    }
    *err = 0;
    return pf;
}

void platform_free(struct platform *pf)
{
    if (!pf)
        return;
    proc_scanner_free(pf->procs);
    thread_reader_free(pf->threads);
    net_probe_free(pf->net);
    if (pf->sys_fd >= 0)
        close(pf->sys_fd);
    if (pf->proc_fd >= 0)
        close(pf->proc_fd);
    free(pf);
}

int platform_read_host(struct platform *pf, struct host_info *out)
{
    return linux_read_host(pf->proc_fd, out);
}

int platform_read_cpu(struct platform *pf, struct cpu_info *out)
{
    return linux_read_cpu(pf->proc_fd, pf->sys_fd, out);
}

int platform_read_mem(struct platform *pf, struct mem_info *out)
{
    return linux_read_mem(pf->proc_fd, out);
}

int platform_read_procs(struct platform *pf, unsigned want, struct proc_block **out)
{
    *out = NULL;
    if (!pf->procs)
        return 0;
    return proc_scanner_read(pf->procs, want, out);
}

int platform_proc_details(struct platform *pf, struct proc_entry *e, unsigned want)
{
    if (!pf->procs)
        return -ESRCH;
    return proc_scanner_details(pf->procs, e, want);
}

static struct thread_reader *threads_of(struct platform *pf)
{
    if (!pf->threads) {
        struct thread_reader_env env = {
            .clk_tck = pf->details_env.clk_tck,
            .page_size = pf->details_env.page_size,
            .live = pf->details_env.live,
        };
        pf->threads = thread_reader_new(pf->proc_fd, &env);
    }
    return pf->threads;
}

int platform_read_threads(struct platform *pf, const struct proc_entry *procs, size_t n,
                          unsigned want, struct proc_entry **out, size_t *n_out)
{
    return thread_reader_read(threads_of(pf), procs, n, want, out, n_out);
}

int platform_thread_details(struct platform *pf, struct proc_entry *e, unsigned want)
{
    return thread_reader_details(threads_of(pf), e, want);
}

int platform_proc_details_full(struct platform *pf, pid_t pid, uint64_t start_ticks,
                               struct proc_details *out)
{
    return linux_read_details(pf->proc_fd, &pf->details_env, pid, start_ticks, out);
}

int platform_read_ifaces(struct platform *pf, struct iface **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!pf->net)
        return 0;
    return net_probe_read(pf->net, out, n);
}

double platform_self_cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}
