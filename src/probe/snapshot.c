#include "probe/snapshot.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"

struct vstr *vstr_new(const char *data, size_t len)
{
    struct vstr *s = xmalloc(sizeof(*s) + len + 1);
    s->refs = 1;
    s->len = len;
    if (len)
        memcpy(s->data, data, len);
    s->data[len] = '\0';
    return s;
}

struct vstr *vstr_ref(struct vstr *s)
{
    if (s)
        s->refs++;
    return s;
}

void vstr_unref(struct vstr *s)
{
    if (s && --s->refs == 0)
        free(s);
}

const char *cpu_mode_name(enum cpu_mode m)
{
    static const char *const names[CPU_MODE_COUNT] = {
        "user", "nice",    "system", "idle",  "iowait",
        "irq",  "softirq", "steal",  "guest", "guest_nice",
    };
    return (unsigned)m < CPU_MODE_COUNT ? names[m] : "unknown";
}

const char *ionice_class_name(int cls)
{
    switch (cls) {
    case IONICE_NONE:
        return "none";
    case IONICE_REALTIME:
        return "realtime";
    case IONICE_BEST_EFFORT:
        return "best-effort";
    case IONICE_IDLE:
        return "idle";
    default:
        return NULL;
    }
}

/* The interned user names: an open-addressed set of strings, never freed (entries and
 * snapshots of any age point into it). A machine has few distinct names. */
static struct {
    pthread_mutex_t lock;
    const char **slot;
    size_t n, cap; /* cap a power of two, or 0 */
} interned = {.lock = PTHREAD_MUTEX_INITIALIZER};

static size_t name_hash(const char *s)
{
    size_t h = 5381;
    while (*s)
        h = h * 33 + (unsigned char)*s++;
    return h;
}

static void intern_grow(void)
{
    size_t cap = interned.cap ? interned.cap * 2 : 64;
    const char **slot = xcalloc(cap, sizeof(*slot));
    for (size_t i = 0; i < interned.cap; i++) {
        const char *s = interned.slot[i];
        if (!s)
            continue;
        size_t j = name_hash(s) & (cap - 1);
        while (slot[j])
            j = (j + 1) & (cap - 1);
        slot[j] = s;
    }
    free(interned.slot);
    interned.slot = slot;
    interned.cap = cap;
}

const char *proc_user_intern(const char *name)
{
    char key[USER_NAME_MAX];
    snprintf(key, sizeof(key), "%s", name ? name : "");
    pthread_mutex_lock(&interned.lock);
    if ((interned.n + 1) * 2 > interned.cap)
        intern_grow();
    size_t j = name_hash(key) & (interned.cap - 1);
    while (interned.slot[j] && strcmp(interned.slot[j], key) != 0)
        j = (j + 1) & (interned.cap - 1);
    if (!interned.slot[j]) {
        size_t len = strlen(key) + 1;
        char *copy = xmalloc(len);
        memcpy(copy, key, len);
        interned.slot[j] = copy;
        interned.n++;
    }
    const char *out = interned.slot[j];
    pthread_mutex_unlock(&interned.lock);
    return out;
}

const char *proc_state_name(char state)
{
    switch (state) {
    case 'R':
        return "running";
    case 'S':
        return "sleeping";
    case 'D':
        return "disk-sleep";
    case 'Z':
        return "zombie";
    case 'T':
        return "stopped";
    case 't':
        return "tracing-stop";
    case 'I':
        return "idle";
    case 'X':
    case 'x':
        return "dead";
    case 'W':
        return "paging";
    case 'K':
        return "wakekill";
    case 'P':
        return "parked";
    default:
        return "unknown";
    }
}

const char *iface_duplex_name(int d)
{
    switch (d) {
    case DUPLEX_FULL:
        return "full";
    case DUPLEX_HALF:
        return "half";
    default:
        return "unknown";
    }
}

const char *iface_family_name(int f)
{
    switch (f) {
    case IFACE_ADDR_INET:
        return "inet";
    case IFACE_ADDR_INET6:
        return "inet6";
    default:
        return "link";
    }
}

void snapshot_init(struct snapshot *s)
{
    memset(s, 0, sizeof(*s));
}

void proc_entry_done(struct proc_entry *p)
{
    if (!p)
        return;
    vstr_unref(p->cmdline);
    vstr_unref(p->exe);
    p->cmdline = NULL;
    p->exe = NULL;
}

struct proc_block *proc_block_new(size_t cap)
{
    struct proc_block *b = xmalloc(sizeof(*b) + (cap ? cap : 1) * sizeof(b->e[0]));
    b->refs = 1;
    b->n = 0;
    b->cap = cap ? cap : 1;
    return b;
}

struct proc_block *proc_block_ref(struct proc_block *b)
{
    if (b)
        b->refs++;
    return b;
}

void proc_block_unref(struct proc_block *b)
{
    if (!b || --b->refs > 0)
        return;
    for (size_t i = 0; i < b->n; i++)
        proc_entry_done(&b->e[i]);
    free(b);
}

void snapshot_done(struct snapshot *s)
{
    if (!s)
        return;
    if (s->procs_block) {
        proc_block_unref(s->procs_block);
    } else {
        for (size_t i = 0; i < s->n_procs; i++)
            proc_entry_done(&s->procs[i]);
        free(s->procs);
    }
    for (size_t i = 0; i < s->n_threads; i++)
        proc_entry_done(&s->threads[i]);
    free(s->threads);
    for (size_t i = 0; i < s->n_ifaces; i++)
        free(s->ifaces[i].addrs);
    free(s->ifaces);
    free(s->cpu.per_cpu);
    memset(s, 0, sizeof(*s));
}

void task_counts_compute(const struct proc_entry *procs, size_t n, struct task_counts *out)
{
    memset(out, 0, sizeof(*out));
    for (size_t i = 0; i < n; i++) {
        const struct proc_entry *p = &procs[i];
        out->total++;
        if (p->kernel_thread)
            out->kernel_threads++;
        else if (p->threads > 0)
            out->threads += (unsigned)p->threads;
        switch (p->state) {
        case 'R':
            out->running++;
            break;
        case 'S':
            out->sleeping++;
            break;
        case 'D':
            out->disk_sleep++;
            break;
        case 'Z':
            out->zombie++;
            break;
        case 'T':
        case 't':
            out->stopped++;
            break;
        case 'I':
            out->idle++;
            break;
        default:
            out->other++;
            break;
        }
    }
}

const struct proc_entry *snapshot_find_proc(const struct snapshot *s, pid_t pid)
{
    /* procs are sorted by pid (platform_read_procs guarantees it) */
    size_t lo = 0, hi = s->n_procs;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->procs[mid].pid < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n_procs && s->procs[lo].pid == pid ? &s->procs[lo] : NULL;
}

const struct proc_entry *snapshot_find_thread(const struct snapshot *s, pid_t tgid, pid_t tid)
{
    size_t lo = 0, hi = s->n_threads;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct proc_entry *t = &s->threads[mid];
        if (t->tgid < tgid || (t->tgid == tgid && t->pid < tid))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n_threads && s->threads[lo].tgid == tgid && s->threads[lo].pid == tid
               ? &s->threads[lo]
               : NULL;
}

bool proc_tty_name(int tty_nr, char *buf, size_t cap)
{
    /* tty_nr packs the device number: major in bits 8-15, minor in 0-7 and 20-31. */
    unsigned major = ((unsigned)tty_nr >> 8) & 0xfff;
    unsigned minor = ((unsigned)tty_nr & 0xff) | (((unsigned)tty_nr >> 12) & 0xfff00);
    if (cap)
        buf[0] = '\0';
    if (tty_nr == 0)
        return false;
    if (major >= 136 && major <= 143)
        snprintf(buf, cap, "pts/%u", (major - 136) * 256 + minor);
    else if (major == 4 && minor < 64)
        snprintf(buf, cap, "tty%u", minor);
    else if (major == 4)
        snprintf(buf, cap, "ttyS%u", minor - 64);
    else if (major == 5 && minor == 0)
        snprintf(buf, cap, "tty");
    else if (major == 5 && minor == 1)
        snprintf(buf, cap, "console");
    else
        snprintf(buf, cap, "%u:%u", major, minor);
    return true;
}
