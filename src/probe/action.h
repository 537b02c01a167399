/* Process actions — signal, nice, I/O priority — that act only on the process the user
 * selected, never on a process that took over its PID (issue 5).
 *
 * The target is a proc_ident (pid, start time). At the moment of acting the platform
 * re-reads the start time through a handle bound to that very process (a pidfd and the
 * /proc/PID directory) and does nothing unless it matches; a target that exited or whose
 * PID now belongs to another process is reported "gone".
 *
 * Platform seam: this header is the contract. The OS-neutral parts (signal table,
 * validation, the wording of results, multi-target summaries) live in src/probe/action.c;
 * the OS part (action_ctx, the identity check, the system calls) in
 * src/platform/linux/action_linux.c, compiled with the rest of the platform folder.
 *
 * Nothing here prints, exits or touches the terminal: every outcome comes back as an
 * action_result whose msg is one complete sentence for the UI's status line. */
#ifndef VIGIL_ACTION_H
#define VIGIL_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "probe/snapshot.h"

/* Who the user selected: (pid, start_ticks) as the snapshot showed it. A thread row is
 * (TID, the thread's start_ticks) with tgid its process: the identity is checked in
 * /proc/TGID/task/TID; nice, I/O priority and affinity then act on that one thread, and
 * a signal goes to the whole process (a thread cannot be killed alone). */
struct proc_ident {
    pid_t pid;
    uint64_t start_ticks; /* stat field 22, clock ticks after boot */
    pid_t tgid;           /* 0: pid is a process; else pid is a thread of process tgid */
};

struct proc_ident proc_ident_of(const struct proc_entry *e);

#define ACTION_NICE_MIN    (-20)
#define ACTION_NICE_MAX    19
#define ACTION_IOLEVEL_MAX 7

enum action_kind {
    ACTION_SIGNAL,   /* send sig */
    ACTION_NICE_SET, /* set nice to nice */
    ACTION_NICE_ADD, /* add delta to the nice the process has at the moment of acting */
    ACTION_IONICE,   /* set I/O class ioclass (enum ionice_class) and level iolevel */
    ACTION_AFFINITY  /* set the CPU affinity of every thread to cpus */
};

/* A set of CPUs by number (CPU n is bit n % 64 of bits[n / 64]). */
#define ACTION_CPUS_MAX 1024
struct action_cpus {
    uint64_t bits[ACTION_CPUS_MAX / 64];
};

struct action_request {
    enum action_kind kind;
    int sig;                 /* ACTION_SIGNAL */
    int nice;                /* ACTION_NICE_SET: ACTION_NICE_MIN..ACTION_NICE_MAX */
    int delta;               /* ACTION_NICE_ADD: the result is clamped to the valid range */
    int ioclass;             /* ACTION_IONICE: IONICE_NONE, _REALTIME, _BEST_EFFORT, _IDLE */
    int iolevel;             /* ACTION_IONICE: 0..7; ignored (sent as 0) for none and idle */
    struct action_cpus cpus; /* ACTION_AFFINITY: at least one CPU */
};

enum action_status {
    ACTION_OK,        /* done */
    ACTION_UNCHANGED, /* nothing to do: nice already at the limit the delta points to */
    ACTION_GONE,      /* exited, or its PID belongs to another process now: untouched */
    ACTION_ZOMBIE,    /* exited and waiting for its parent to reap it: untouched */
    ACTION_DENIED,    /* EPERM / EACCES */
    ACTION_INVALID,   /* a value out of range: nothing was tried */
    ACTION_FAILED,    /* any other error */
    ACTION_STATUS_COUNT
};

#define ACTION_MSG_MAX 256

struct action_result {
    enum action_status status;
    int err; /* 0, or the negative errno behind status (-ESRCH for gone, -EPERM, ...) */
    pid_t pid;
    char name[PROC_NAME_MAX]; /* comm read at the moment of acting; "" when unknown */
    bool mismatch;            /* gone because the PID now belongs to another process */
    bool kernel_thread;       /* ACTION_INVALID: a signal to a kernel thread (it ignores them) */
    int nice_before;          /* nice actions: the value found and the value set */
    int nice_after;
    int nice_floor;   /* EACCES on nice: the lowest value this user may set */
    pid_t parent_pid; /* ACTION_ZOMBIE: the parent that must reap it (0 unknown) */
    char parent_name[PROC_NAME_MAX];
    char msg[ACTION_MSG_MAX]; /* one complete sentence for the status line */
    /* A thread target (proc_ident.tgid set): tid is the thread and thread_name its comm;
     * pid and name are then its process's. 0 / "" for a process target. */
    pid_t tid;
    char thread_name[PROC_NAME_MAX];
};

/* The OS handle: the /proc root (of the caller's PID namespace) opened once. */
struct action_ctx;

/* proc_root NULL means "/proc" (pass probe_get_config(p)->proc_root). Returns NULL and
 * sets *err to -errno when the root cannot be opened. */
struct action_ctx *action_ctx_new(const char *proc_root, int *err);
void action_ctx_free(struct action_ctx *ac); /* NULL-safe */
/* Tests only: false makes the module behave as on a kernel without pidfds (start-time
 * check, then kill; see the residual race in action_linux.c). Default true. */
void action_ctx_use_pidfd(struct action_ctx *ac, bool use);

/* Acts on one process after the identity check. Fills res (always, msg included) and
 * returns res->err. Never blocks for long, never exits. */
int action_apply(struct action_ctx *ac, const struct action_request *rq,
                 const struct proc_ident *id, struct action_result *res);

/* Acts on each of n processes (tagged set) independently; each (n entries) may be NULL.
 * summary->msg sums up ("sent SIGTERM to 2 of 3 processes; 1 was gone."); with n == 1 it
 * is that process's own result. Returns summary->err: 0 when every target was done (or
 * unchanged), else the error of the first target that was not. */
int action_apply_many(struct action_ctx *ac, const struct action_request *rq,
                      const struct proc_ident *ids, size_t n, struct action_result *each,
                      struct action_result *summary);

/* Shorthands for action_apply. */
int action_signal(struct action_ctx *ac, const struct proc_ident *id, int sig,
                  struct action_result *res);
int action_renice(struct action_ctx *ac, const struct proc_ident *id, int nice,
                  struct action_result *res);
int action_renice_by(struct action_ctx *ac, const struct proc_ident *id, int delta,
                     struct action_result *res);
int action_ionice(struct action_ctx *ac, const struct proc_ident *id, int ioclass, int iolevel,
                  struct action_result *res);
/* Sets the CPU affinity of each of the process's threads (as taskset -a does); the main
 * thread's result is the answer. */
int action_affinity(struct action_ctx *ac, const struct proc_ident *id,
                    const struct action_cpus *cpus, struct action_result *res);

/* Zombies cannot be signalled away: the signal menu explains that and offers the parent. */
struct action_zombie {
    struct proc_ident zombie;
    char zombie_name[PROC_NAME_MAX];
    bool is_zombie;           /* false: the process is (no longer) a zombie */
    struct proc_ident parent; /* pid 0 when the parent is not visible (other namespace) */
    char parent_name[PROC_NAME_MAX];
    char msg[ACTION_MSG_MAX]; /* "process 12 (x) is a zombie: ... parent 9 (bash) ..." */
};

/* Reads the zombie (identity-checked) and its parent's identity and name at this moment;
 * the parent identity can be passed to action_signal (SIGCHLD or SIGTERM). Returns 0, or
 * -ESRCH when the zombie is gone (msg says so). */
int action_zombie_info(struct action_ctx *ac, const struct proc_ident *id,
                       struct action_zombie *out);

/* ---- Pure helpers (no system calls): the menus and the tests use them. ---- */

struct action_signal_info {
    int number; /* this architecture's number from <signal.h> */
    const char *name;
};

/* The signal menu's entries, SIGTERM first, then SIGKILL, HUP, INT, QUIT, USR1, USR2,
 * STOP, CONT, ...; *n receives the count. */
const struct action_signal_info *action_signal_table(size_t *n);
const char *action_signal_name(int sig);                  /* "SIGTERM"; NULL unknown */
void action_signal_label(int sig, char *buf, size_t cap); /* "15 SIGTERM", "40 SIG40" */
bool action_signal_valid(int sig);                        /* 1..SIGRTMAX */

/* CPU sets as text, the cpuset list format taskset -c and Cpus_allowed_list use:
 * "0-3,8". Parse accepts spaces around items; -EINVAL for garbage, an empty set or a CPU
 * number of ACTION_CPUS_MAX or more. Format writes "" for an empty set. */
int action_cpus_parse(const char *text, struct action_cpus *out);
void action_cpus_format(const struct action_cpus *c, char *buf, size_t cap);
void action_cpus_set(struct action_cpus *c, int cpu); /* ignores numbers out of range */
bool action_cpus_has(const struct action_cpus *c, int cpu);
size_t action_cpus_count(const struct action_cpus *c);

/* A lowercase phrase for the request: "send SIGTERM", "set nice 5", "change nice by +1",
 * "set I/O priority best-effort 4", "set I/O priority idle", "set CPU affinity 0-1". */
void action_request_describe(const struct action_request *rq, char *buf, size_t cap);

/* Checks the values in rq; on failure fills res (ACTION_INVALID, -EINVAL, msg) and
 * returns false. */
bool action_request_check(const struct action_request *rq, pid_t pid, struct action_result *res);

/* Writes res->msg from res->status, err, pid, name and the nice fields for rq. */
void action_result_format(const struct action_request *rq, struct action_result *res);

/* Fills summary from n results (see action_apply_many). */
void action_summarise(const struct action_request *rq, const struct action_result *each, size_t n,
                      struct action_result *summary);

/* Fills z->msg from the other fields of z. */
void action_zombie_format(struct action_zombie *z);

#endif
