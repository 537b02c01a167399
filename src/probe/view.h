/* Views over a snapshot: sorting on any column, filtering, and the process tree.
 * Pure model logic; the batch output, exporter and UI all build their lists here. */
#ifndef VIGIL_VIEW_H
#define VIGIL_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/snapshot.h"

enum sort_key {
    SORT_PID,
    SORT_PPID,
    SORT_USER,
    SORT_STATE,
    SORT_NICE,
    SORT_PRI,
    SORT_THREADS,
    SORT_VIRT,
    SORT_RSS,
    SORT_CPU,
    SORT_MEM,
    SORT_TIME,
    SORT_IO,
    SORT_NAME,
    SORT_START,
    SORT_KEY_COUNT
};

const char *sort_key_name(enum sort_key k); /* the command-line name: "pid", "cpu", ... */
int sort_key_parse(const char *name);       /* enum value, or -1 when unknown */
/* Natural direction as htop has it: quantities (cpu, mem, rss, virt, time, io, threads)
 * largest first; identifiers and names (pid, ppid, user, name, state, nice, pri, start)
 * smallest first. reverse flips it. */
bool sort_key_descending(enum sort_key k);

struct view_options {
    enum sort_key sort;
    bool reverse;
    bool tree;         /* children under their parent, siblings sorted by sort */
    const pid_t *pids; /* borrowed; show only these when n_pids > 0 */
    size_t n_pids;
    bool by_uid; /* show only processes of uid (needs PROC_F_USER in the entries' have) */
    uid_t uid;
    const char *filter; /* borrowed; substring of name or cmdline (its NUL-separated
                           arguments read as space-joined), ASCII case-insensitive */
    bool hide_kernel_threads;
    /* Rows for the user threads in snapshot.threads too (the UI's H). A thread row is
     * shown when its process passes the kernel-thread, uid and pid filters (a pid filter
     * names the process, or the thread's TID) and, with a text filter, when the thread's
     * name or command line or its process's matches. In tree mode the threads come right
     * under their process, before its child processes, sorted among themselves; a thread
     * whose process is not shown is a root. In list mode they are sorted with the rest. */
    bool show_threads;
};

void view_options_default(struct view_options *o); /* sort cpu, everything shown */

/* Whether o's -p and -u choices (pids, by_uid and uid) let process p through; the other
 * options are not looked at. The view applies the same test (the exporter too). */
bool view_selects_process(const struct view_options *o, const struct proc_entry *p);

/* Tree drawing: a row at depth D >= 1 is drawn after D columns. Column D-1 holds its own
 * connector: bit D-1 of more_siblings is set when a later sibling (another child of the
 * same parent) follows it, so "|-" else "`-". Each column d < D-1 holds a vertical line
 * when bit d is set: the ancestor at depth d+1 has a later sibling still to come. Roots
 * (depth 0) and list mode have no bits. Only bits 0..63 exist: columns at or past 64
 * are never marked (a UI clips the indentation long before). Example, pid(parent):
 *   1        depth 0  bits -
 *    2(1)    depth 1  bits 0      (3 follows)
 *     4(2)   depth 2  bits 0      (column 0: 2 has a later sibling; 4 is last)
 *    3(1)    depth 1  bits none   (last child of 1)
 * In tree mode a parent cycle (impossible, but /proc is read non-atomically) is broken
 * at its member with the lowest pid, which becomes a root; no process is dropped. */
struct view_row {
    const struct proc_entry *proc; /* borrowed from the snapshot */
    int depth;                     /* 0 in list mode and for tree roots */
    uint64_t more_siblings;        /* tree: bit d set = the ancestor at depth d+1 (or this
                                      row, at bit depth-1) has a later sibling */
};

struct view {
    struct view_row *rows; /* owned */
    size_t n;
};

/* Builds rows over s (which must outlive the view). In tree mode a process whose parent
 * is missing or filtered out is a root; cycles cannot hang it. Returns 0 or -ENOMEM. */
int view_build(const struct snapshot *s, const struct view_options *o, struct view *out);
void view_done(struct view *v);

/* Comparison used for sorting, exposed for tests: <0, 0, >0 in the key's natural order,
 * ties broken by pid. */
int view_compare(const struct proc_entry *a, const struct proc_entry *b, enum sort_key k);

#endif
