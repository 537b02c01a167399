/* The OS-neutral half of process actions: the signal menu's table, value checks, and the
 * plain-words sentences the UI shows. The identity check and system calls are in
 * src/platform/linux/action_linux.c. */
#include "probe/action.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"

struct proc_ident proc_ident_of(const struct proc_entry *e)
{
    struct proc_ident id = {.pid = e->pid, .start_ticks = e->start_ticks, .tgid = e->tgid};
    return id;
}

/* Menu order: the everyday signals first (SIGTERM preselected), then the rest that a
 * user might mean, numbers from this architecture's <signal.h>. */
static const struct action_signal_info signal_table[] = {
    {SIGTERM, "SIGTERM"},     {SIGKILL, "SIGKILL"}, {SIGHUP, "SIGHUP"},     {SIGINT, "SIGINT"},
    {SIGQUIT, "SIGQUIT"},     {SIGUSR1, "SIGUSR1"}, {SIGUSR2, "SIGUSR2"},   {SIGSTOP, "SIGSTOP"},
    {SIGCONT, "SIGCONT"},     {SIGTSTP, "SIGTSTP"}, {SIGCHLD, "SIGCHLD"},   {SIGALRM, "SIGALRM"},
    {SIGABRT, "SIGABRT"},     {SIGPIPE, "SIGPIPE"}, {SIGWINCH, "SIGWINCH"}, {SIGTTIN, "SIGTTIN"},
    {SIGTTOU, "SIGTTOU"},     {SIGURG, "SIGURG"},   {SIGXCPU, "SIGXCPU"},   {SIGXFSZ, "SIGXFSZ"},
    {SIGVTALRM, "SIGVTALRM"}, {SIGPROF, "SIGPROF"}, {SIGIO, "SIGIO"},       {SIGPWR, "SIGPWR"},
    {SIGSYS, "SIGSYS"},       {SIGTRAP, "SIGTRAP"}, {SIGBUS, "SIGBUS"},     {SIGFPE, "SIGFPE"},
    {SIGILL, "SIGILL"},       {SIGSEGV, "SIGSEGV"},
};

const struct action_signal_info *action_signal_table(size_t *n)
{
    *n = sizeof(signal_table) / sizeof(signal_table[0]);
    return signal_table;
}

const char *action_signal_name(int sig)
{
    for (size_t i = 0; i < sizeof(signal_table) / sizeof(signal_table[0]); i++)
        if (signal_table[i].number == sig)
            return signal_table[i].name;
    return NULL;
}

bool action_signal_valid(int sig)
{
    return sig >= 1 && sig <= SIGRTMAX;
}

void action_signal_label(int sig, char *buf, size_t cap)
{
    const char *name = action_signal_name(sig);
    if (name)
        snprintf(buf, cap, "%d %s", sig, name);
    else
        snprintf(buf, cap, "%d SIG%d", sig, sig);
}

/* "SIGTERM", or "signal 40" for a number without a name in the table. */
static void signal_word(int sig, char *buf, size_t cap)
{
    const char *name = action_signal_name(sig);
    if (name)
        snprintf(buf, cap, "%s", name);
    else
        snprintf(buf, cap, "signal %d", sig);
}

/* "best-effort 4", "idle", "class 9" for an I/O priority request. */
static void ionice_words(const struct action_request *rq, char *buf, size_t cap)
{
    const char *cls = ionice_class_name(rq->ioclass);
    if (!cls)
        snprintf(buf, cap, "class %d", rq->ioclass);
    else if (rq->ioclass == IONICE_REALTIME || rq->ioclass == IONICE_BEST_EFFORT)
        snprintf(buf, cap, "%s %d", cls, rq->iolevel);
    else
        snprintf(buf, cap, "%s", cls);
}

/* The request as a verb phrase; past tense for summaries ("sent SIGTERM"). */
static void request_phrase(const struct action_request *rq, bool past, char *buf, size_t cap)
{
    char what[32];
    switch (rq->kind) {
    case ACTION_SIGNAL:
        signal_word(rq->sig, what, sizeof(what));
        snprintf(buf, cap, "%s %s", past ? "sent" : "send", what);
        break;
    case ACTION_NICE_SET:
        snprintf(buf, cap, "set nice %d", rq->nice);
        break;
    case ACTION_NICE_ADD:
        snprintf(buf, cap, "%s nice by %+d", past ? "changed" : "change", rq->delta);
        break;
    case ACTION_IONICE:
        ionice_words(rq, what, sizeof(what));
        snprintf(buf, cap, "set I/O priority %s", what);
        break;
    case ACTION_AFFINITY: {
        char cpus[96];
        action_cpus_format(&rq->cpus, cpus, sizeof(cpus));
        snprintf(buf, cap, "set CPU affinity %s", cpus);
        break;
    }
    default:
        snprintf(buf, cap, "act");
        break;
    }
}

void action_request_describe(const struct action_request *rq, char *buf, size_t cap)
{
    request_phrase(rq, false, buf, cap);
}

/* snprintf into res->msg; keeps the message a sentence even when it is cut short. */
static void msg_printf(struct action_result *res, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void msg_printf(struct action_result *res, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(res->msg, sizeof(res->msg), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(res->msg))
        memcpy(res->msg + sizeof(res->msg) - 5, "...", 4);
}

/* comm may hold any bytes: the status line gets a printable copy. */
static void printable(const char *in, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; in[i] && j + 1 < cap; i++) {
        unsigned char c = (unsigned char)in[i];
        out[j++] = (c < 0x20 || c == 0x7f) ? '?' : (char)c;
    }
    out[j] = '\0';
}

/* "process 1234 (sleep)", or "process 1234" when the name is unknown. */
static void proc_label(pid_t pid, const char *name, char *buf, size_t cap)
{
    char clean[PROC_NAME_MAX];
    printable(name ? name : "", clean, sizeof(clean));
    if (clean[0])
        snprintf(buf, cap, "process %d (%s)", (int)pid, clean);
    else
        snprintf(buf, cap, "process %d", (int)pid);
}

/* "parent 77 (bash)", or "the parent" when it is not known. */
static void parent_label(pid_t ppid, const char *name, char *buf, size_t cap)
{
    char clean[PROC_NAME_MAX];
    printable(name ? name : "", clean, sizeof(clean));
    if (ppid <= 0)
        snprintf(buf, cap, "the parent");
    else if (clean[0])
        snprintf(buf, cap, "parent %d (%s)", (int)ppid, clean);
    else
        snprintf(buf, cap, "parent %d", (int)ppid);
}

static void set_invalid(struct action_result *res)
{
    res->status = ACTION_INVALID;
    res->err = -EINVAL;
}

bool action_request_check(const struct action_request *rq, pid_t pid, struct action_result *res)
{
    if (pid <= 0) {
        set_invalid(res);
        msg_printf(res, "invalid process ID %d; nothing was done.", (int)pid);
        return false;
    }
    switch (rq->kind) {
    case ACTION_SIGNAL:
        if (!action_signal_valid(rq->sig)) {
            set_invalid(res);
            msg_printf(res, "invalid signal %d: signals are numbered 1 to %d.", rq->sig,
                       (int)SIGRTMAX);
            return false;
        }
        return true;
    case ACTION_NICE_SET:
        if (rq->nice < ACTION_NICE_MIN || rq->nice > ACTION_NICE_MAX) {
            set_invalid(res);
            msg_printf(res, "invalid nice value %d: nice must be between %d and %d.", rq->nice,
                       ACTION_NICE_MIN, ACTION_NICE_MAX);
            return false;
        }
        return true;
    case ACTION_NICE_ADD:
        if (rq->delta < ACTION_NICE_MIN - ACTION_NICE_MAX ||
            rq->delta > ACTION_NICE_MAX - ACTION_NICE_MIN) {
            set_invalid(res);
            msg_printf(res, "invalid nice change %+d: nice must stay between %d and %d.", rq->delta,
                       ACTION_NICE_MIN, ACTION_NICE_MAX);
            return false;
        }
        return true;
    case ACTION_IONICE:
        if (!ionice_class_name(rq->ioclass)) {
            set_invalid(res);
            msg_printf(res,
                       "invalid I/O class %d: the classes are none, realtime, best-effort "
                       "and idle.",
                       rq->ioclass);
            return false;
        }
        if (rq->iolevel < 0 || rq->iolevel > ACTION_IOLEVEL_MAX) {
            set_invalid(res);
            msg_printf(res, "invalid I/O level %d: the level must be between 0 and %d.",
                       rq->iolevel, ACTION_IOLEVEL_MAX);
            return false;
        }
        return true;
    case ACTION_AFFINITY:
        if (action_cpus_count(&rq->cpus) == 0) {
            set_invalid(res);
            msg_printf(res, "invalid CPU list: name at least one CPU, as in 0-3,8.");
            return false;
        }
        return true;
    }
    set_invalid(res);
    msg_printf(res, "invalid action; nothing was done.");
    return false;
}

static const char *nothing_done(const struct action_request *rq)
{
    return rq->kind == ACTION_SIGNAL ? "nothing was sent" : "nothing was changed";
}

static void format_ok(const struct action_request *rq, struct action_result *res, const char *who)
{
    char what[64];
    switch (rq->kind) {
    case ACTION_SIGNAL:
        signal_word(rq->sig, what, sizeof(what));
        msg_printf(res, "sent %s to %s.", what, who);
        break;
    case ACTION_NICE_SET:
    case ACTION_NICE_ADD:
        msg_printf(res, "changed the nice value of %s from %d to %d.", who, res->nice_before,
                   res->nice_after);
        break;
    case ACTION_IONICE:
        ionice_words(rq, what, sizeof(what));
        msg_printf(res, "set the I/O priority of %s to %s.", who, what);
        break;
    case ACTION_AFFINITY: {
        char cpus[96];
        action_cpus_format(&rq->cpus, cpus, sizeof(cpus));
        msg_printf(res, "set the CPU affinity of %s to CPU%s %s.", who,
                   action_cpus_count(&rq->cpus) == 1 ? "" : "s", cpus);
        break;
    }
    }
}

static void format_denied(const struct action_request *rq, struct action_result *res,
                          const char *who)
{
    switch (rq->kind) {
    case ACTION_SIGNAL:
        msg_printf(res, "permission denied: %s belongs to another user; only root can signal it.",
                   who);
        break;
    case ACTION_NICE_SET:
    case ACTION_NICE_ADD:
        /* setpriority(2): EACCES = lowering nice beyond RLIMIT_NICE, EPERM = not ours. */
        if (res->err == -EACCES)
            msg_printf(res, "permission denied: only root can lower the nice value of %s below %d.",
                       who, res->nice_floor);
        else
            msg_printf(res,
                       "permission denied: %s belongs to another user; only root can change its "
                       "nice value.",
                       who);
        break;
    case ACTION_IONICE:
        if (rq->ioclass == IONICE_REALTIME)
            msg_printf(res, "permission denied: only root can give %s the realtime I/O class.",
                       who);
        else
            msg_printf(res,
                       "permission denied: %s belongs to another user; only root can change its "
                       "I/O priority.",
                       who);
        break;
    case ACTION_AFFINITY:
        msg_printf(res,
                   "permission denied: %s belongs to another user; only root can change its "
                   "CPU affinity.",
                   who);
        break;
    }
}

/* Whom the result is about: the process, or for a thread target anything but a signal
 * (which goes to the process), "thread 12 (name) of process 10 (name)". */
static void target_label(const struct action_request *rq, const struct action_result *res,
                         char *buf, size_t cap)
{
    char proc[PROC_NAME_MAX + 32], clean[PROC_NAME_MAX];
    proc_label(res->pid, res->name, proc, sizeof(proc));
    if (res->tid <= 0 || rq->kind == ACTION_SIGNAL) {
        snprintf(buf, cap, "%s", proc);
        return;
    }
    printable(res->thread_name, clean, sizeof(clean));
    if (clean[0])
        snprintf(buf, cap, "thread %d (%s) of %s", (int)res->tid, clean, proc);
    else
        snprintf(buf, cap, "thread %d of %s", (int)res->tid, proc);
}

void action_result_format(const struct action_request *rq, struct action_result *res)
{
    char who[2 * PROC_NAME_MAX + 64], what[64], parent[PROC_NAME_MAX + 32];
    target_label(rq, res, who, sizeof(who));
    if (res->tid > 0 && res->status == ACTION_GONE) {
        if (res->mismatch)
            msg_printf(res,
                       "thread %d of process %d is gone: its TID now belongs to another "
                       "thread; %s.",
                       (int)res->tid, (int)res->pid, nothing_done(rq));
        else
            msg_printf(res, "thread %d of process %d is gone; %s.", (int)res->tid, (int)res->pid,
                       nothing_done(rq));
        return;
    }
    switch (res->status) {
    case ACTION_OK:
        format_ok(rq, res, who);
        break;
    case ACTION_UNCHANGED:
        msg_printf(res, "%s already has nice %d, the %s priority; nothing was changed.", who,
                   res->nice_before, res->nice_before >= ACTION_NICE_MAX ? "lowest" : "highest");
        break;
    case ACTION_GONE:
        if (res->mismatch)
            msg_printf(res, "process %d is gone: its PID now belongs to another process; %s.",
                       (int)res->pid, nothing_done(rq));
        else
            msg_printf(res, "process %d is gone; %s.", (int)res->pid, nothing_done(rq));
        break;
    case ACTION_ZOMBIE:
        parent_label(res->parent_pid, res->parent_name, parent, sizeof(parent));
        if (rq->kind == ACTION_SIGNAL)
            msg_printf(res,
                       "%s is a zombie: it cannot be killed until its parent reaps it (%s); "
                       "nothing was sent.",
                       who, parent);
        else
            msg_printf(res,
                       "%s is a zombie: it has already exited and waits for its parent (%s) "
                       "to reap it; nothing was changed.",
                       who, parent);
        break;
    case ACTION_DENIED:
        format_denied(rq, res, who);
        break;
    case ACTION_INVALID:
        if (res->kernel_thread)
            msg_printf(res, "%s is a kernel thread, which ignores signals; nothing was sent.", who);
        else if (rq->kind == ACTION_AFFINITY) {
            char cpus[96];
            action_cpus_format(&rq->cpus, cpus, sizeof(cpus));
            msg_printf(res,
                       "invalid value: the kernel refused CPUs %s for %s: none of them is online "
                       "and allowed to it, or it may not be moved.",
                       cpus, who);
        } else if (rq->kind == ACTION_IONICE)
            msg_printf(res, "invalid value: the kernel refused I/O class %d level %d for %s.",
                       rq->ioclass, rq->iolevel, who);
        else
            msg_printf(res, "invalid value: the kernel refused the request for %s.", who);
        break;
    case ACTION_FAILED:
    default:
        action_request_describe(rq, what, sizeof(what));
        msg_printf(res, "could not %s %s %s: %s.", what, rq->kind == ACTION_SIGNAL ? "to" : "on",
                   who, strerror(res->err < 0 ? -res->err : res->err));
        break;
    }
}

/* "1 was gone", "2 were gone", ... for the summary's tail. */
static const char *status_tail(enum action_status st, unsigned count)
{
    bool one = count == 1;
    switch (st) {
    case ACTION_UNCHANGED:
        return "already at the limit";
    case ACTION_GONE:
        return one ? "was gone" : "were gone";
    case ACTION_ZOMBIE:
        return one ? "was a zombie" : "were zombies";
    case ACTION_DENIED:
        return one ? "was not permitted" : "were not permitted";
    case ACTION_INVALID:
        return one ? "was refused" : "were refused";
    default:
        return "failed";
    }
}

void action_summarise(const struct action_request *rq, const struct action_result *each, size_t n,
                      struct action_result *summary)
{
    memset(summary, 0, sizeof(*summary));
    if (n == 0) {
        set_invalid(summary);
        msg_printf(summary, "no process selected; nothing was done.");
        return;
    }
    if (n == 1) {
        *summary = each[0];
        return;
    }
    unsigned counts[ACTION_STATUS_COUNT] = {0};
    const struct action_result *first_bad = NULL;
    for (size_t i = 0; i < n; i++) {
        counts[each[i].status < ACTION_STATUS_COUNT ? each[i].status : ACTION_FAILED]++;
        if (!first_bad && each[i].status != ACTION_OK && each[i].status != ACTION_UNCHANGED)
            first_bad = &each[i];
    }
    unsigned done = counts[ACTION_OK] + counts[ACTION_UNCHANGED];
    if (first_bad) {
        summary->status = first_bad->status;
        summary->err = first_bad->err;
    } else {
        summary->status = counts[ACTION_OK] ? ACTION_OK : ACTION_UNCHANGED;
    }

    char verb[96], whom[48];
    request_phrase(rq, true, verb, sizeof(verb));
    unsigned acted = rq->kind == ACTION_NICE_ADD ? done : counts[ACTION_OK];
    if (acted == n)
        snprintf(whom, sizeof(whom), "%zu processes", n);
    else
        snprintf(whom, sizeof(whom), "%u of %zu processes", acted, n);

    char tail[160] = "";
    size_t used = 0;
    for (int st = ACTION_UNCHANGED; st < ACTION_STATUS_COUNT; st++) {
        if (!counts[st] || (st == ACTION_UNCHANGED && rq->kind != ACTION_NICE_ADD))
            continue;
        int w = snprintf(tail + used, sizeof(tail) - used, "%s%u %s", used ? ", " : "; ",
                         counts[st], status_tail((enum action_status)st, counts[st]));
        if (w < 0 || (size_t)w >= sizeof(tail) - used)
            break;
        used += (size_t)w;
    }
    msg_printf(summary, "%s %s %s%s.", verb, rq->kind == ACTION_SIGNAL ? "to" : "on", whom, tail);
}

void action_zombie_format(struct action_zombie *z)
{
    char who[PROC_NAME_MAX + 32], parent[PROC_NAME_MAX + 32];
    proc_label(z->zombie.pid, z->zombie_name, who, sizeof(who));
    int n;
    if (!z->is_zombie) {
        n = snprintf(z->msg, sizeof(z->msg), "%s is not a zombie.", who);
    } else if (z->parent.pid > 0) {
        parent_label(z->parent.pid, z->parent_name, parent, sizeof(parent));
        n = snprintf(z->msg, sizeof(z->msg),
                     "%s is a zombie: it cannot be killed until its parent reaps it; %s.", who,
                     parent);
    } else {
        n = snprintf(z->msg, sizeof(z->msg),
                     "%s is a zombie: it cannot be killed until its parent reaps it; the parent "
                     "is outside this PID namespace.",
                     who);
    }
    if (n >= (int)sizeof(z->msg))
        memcpy(z->msg + sizeof(z->msg) - 5, "...", 4);
}

int action_signal(struct action_ctx *ac, const struct proc_ident *id, int sig,
                  struct action_result *res)
{
    struct action_request rq = {.kind = ACTION_SIGNAL, .sig = sig};
    return action_apply(ac, &rq, id, res);
}

int action_renice(struct action_ctx *ac, const struct proc_ident *id, int nice,
                  struct action_result *res)
{
    struct action_request rq = {.kind = ACTION_NICE_SET, .nice = nice};
    return action_apply(ac, &rq, id, res);
}

int action_renice_by(struct action_ctx *ac, const struct proc_ident *id, int delta,
                     struct action_result *res)
{
    struct action_request rq = {.kind = ACTION_NICE_ADD, .delta = delta};
    return action_apply(ac, &rq, id, res);
}

int action_ionice(struct action_ctx *ac, const struct proc_ident *id, int ioclass, int iolevel,
                  struct action_result *res)
{
    struct action_request rq = {.kind = ACTION_IONICE, .ioclass = ioclass, .iolevel = iolevel};
    return action_apply(ac, &rq, id, res);
}

int action_affinity(struct action_ctx *ac, const struct proc_ident *id,
                    const struct action_cpus *cpus, struct action_result *res)
{
    struct action_request rq = {.kind = ACTION_AFFINITY, .cpus = *cpus};
    return action_apply(ac, &rq, id, res);
}

void action_cpus_set(struct action_cpus *c, int cpu)
{
    if (cpu >= 0 && cpu < ACTION_CPUS_MAX)
        c->bits[cpu / 64] |= UINT64_C(1) << (cpu % 64);
}

bool action_cpus_has(const struct action_cpus *c, int cpu)
{
    return cpu >= 0 && cpu < ACTION_CPUS_MAX && (c->bits[cpu / 64] >> (cpu % 64) & 1);
}

size_t action_cpus_count(const struct action_cpus *c)
{
    size_t n = 0;
    for (size_t i = 0; i < ACTION_CPUS_MAX / 64; i++)
        n += (size_t)__builtin_popcountll(c->bits[i]);
    return n;
}

/* A decimal CPU number below ACTION_CPUS_MAX at *p; advances *p. */
static bool cpu_number(const char **p, int *out)
{
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return false;
    long v = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10 + (*s++ - '0');
        if (v >= ACTION_CPUS_MAX)
            return false;
    }
    *out = (int)v;
    *p = s;
    return true;
}

int action_cpus_parse(const char *text, struct action_cpus *out)
{
    struct action_cpus c;
    memset(&c, 0, sizeof(c));
    const char *p = text;
    for (;;) {
        int lo, hi;
        while (*p == ' ')
            p++;
        if (!cpu_number(&p, &lo))
            return -EINVAL;
        hi = lo;
        if (*p == '-') {
            p++;
            if (!cpu_number(&p, &hi) || hi < lo)
                return -EINVAL;
        }
        for (int i = lo; i <= hi; i++)
            action_cpus_set(&c, i);
        while (*p == ' ')
            p++;
        if (*p == '\0')
            break;
        if (*p++ != ',')
            return -EINVAL;
    }
    *out = c;
    return 0;
}

void action_cpus_format(const struct action_cpus *c, char *buf, size_t cap)
{
    if (cap == 0)
        return;
    buf[0] = '\0';
    size_t used = 0;
    for (int i = 0; i < ACTION_CPUS_MAX; i++) {
        if (!action_cpus_has(c, i))
            continue;
        int j = i;
        while (j + 1 < ACTION_CPUS_MAX && action_cpus_has(c, j + 1))
            j++;
        int w = j > i ? snprintf(buf + used, cap - used, "%s%d-%d", used ? "," : "", i, j)
                      : snprintf(buf + used, cap - used, "%s%d", used ? "," : "", i);
        if (w < 0 || (size_t)w >= cap - used) {
            buf[used] = '\0'; /* cut at an item, never in the middle of a number */
            return;
        }
        used += (size_t)w;
        i = j;
    }
}

int action_apply_many(struct action_ctx *ac, const struct action_request *rq,
                      const struct proc_ident *ids, size_t n, struct action_result *each,
                      struct action_result *summary)
{
    struct action_result *all = each ? each : xcalloc(n ? n : 1, sizeof(*all));
    for (size_t i = 0; i < n; i++)
        action_apply(ac, rq, &ids[i], &all[i]);
    action_summarise(rq, all, n, summary);
    if (all != each)
        free(all);
    return summary->err;
}
