/* Private to the Linux action module: the pure parsers behind its identity check, exposed
 * for the unit tests. */
#ifndef VIGIL_ACTION_LINUX_H
#define VIGIL_ACTION_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/snapshot.h"

/* The /proc/PID/stat fields an action needs (Documentation/filesystems/proc.rst, 1.2). */
struct action_stat {
    char comm[PROC_NAME_MAX]; /* field 2: between the first '(' and the last ')' */
    char state;               /* field 3 */
    pid_t ppid;               /* field 4 */
    bool kernel_thread;       /* field 9 (flags) has PF_KTHREAD */
    int nice;                 /* field 19 */
    long num_threads;         /* field 20 */
    uint64_t start_ticks;     /* field 22 */
};

/* Parses buf (len bytes, need not be NUL-terminated). Returns 0 or -EINVAL. */
int action_stat_parse(const char *buf, size_t len, struct action_stat *out);

/* The soft "Max nice priority" (RLIMIT_NICE) from /proc/PID/limits; "unlimited" gives 40.
 * Returns 0 or -EINVAL when the line is missing or malformed. */
int action_limits_nice_parse(const char *buf, size_t len, long *soft);

/* The lowest nice an unprivileged owner may set, from RLIMIT_NICE (setpriority(2)):
 * 20 - rlimit, within -20..20. */
int action_nice_floor(long rlimit_nice);

#endif
