/* STUB: replaced by the host/cpu/memory probes. */
#include <errno.h>

#include "platform/linux/linux_platform.h"

int linux_read_host(int proc_fd, struct host_info *out)
{
    (void)proc_fd;
    (void)out;
    return -ENOSYS;
}

int linux_read_cpu(int proc_fd, int sys_fd, struct cpu_info *out)
{
    (void)proc_fd;
    (void)sys_fd;
    (void)out;
    return -ENOSYS;
}

int linux_read_mem(int proc_fd, struct mem_info *out)
{
    (void)proc_fd;
    (void)out;
    return -ENOSYS;
}
