/* Sorting, filtering and the process tree over a snapshot. Everything is O(n log n):
 * one qsort_r for the order, a pid-ordered array for parent lookups, an array-based
 * child list (no per-node allocation) and an explicit stack instead of recursion. */
#include "probe/view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"

static const char *const key_names[SORT_KEY_COUNT] = {
    [SORT_PID] = "pid",   [SORT_PPID] = "ppid", [SORT_USER] = "user",       [SORT_STATE] = "state",
    [SORT_NICE] = "nice", [SORT_PRI] = "pri",   [SORT_THREADS] = "threads", [SORT_VIRT] = "virt",
    [SORT_RSS] = "rss",   [SORT_CPU] = "cpu",   [SORT_MEM] = "mem",         [SORT_TIME] = "time",
    [SORT_IO] = "io",     [SORT_NAME] = "name", [SORT_START] = "start",
};

const char *sort_key_name(enum sort_key k)
{
    return (unsigned)k < SORT_KEY_COUNT ? key_names[k] : "unknown";
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = ascii_lower((unsigned char)*a), y = ascii_lower((unsigned char)*b);
        if (x != y || x == 0)
            return x - y;
    }
}

int sort_key_parse(const char *name)
{
    if (!name)
        return -1;
    for (int k = 0; k < SORT_KEY_COUNT; k++)
        if (ascii_casecmp(name, key_names[k]) == 0)
            return k;
    return -1;
}

bool sort_key_descending(enum sort_key k)
{
    switch (k) {
    case SORT_THREADS:
    case SORT_VIRT:
    case SORT_RSS:
    case SORT_CPU:
    case SORT_MEM:
    case SORT_TIME:
    case SORT_IO:
        return true;
    default:
        return false;
    }
}

void view_options_default(struct view_options *o)
{
    memset(o, 0, sizeof(*o));
    o->sort = SORT_CPU;
}

#define CMP(x, y) (((x) > (y)) - ((x) < (y)))

/* I/O activity: the rate when known, bytes so far as the second key, so a first sample
 * (no rates yet) still orders by something real. Unknown is -1, below any real value. */
static void io_keys(const struct proc_entry *p, double *rate, double *bytes)
{
    *rate = p->io_read_rate >= 0 || p->io_write_rate >= 0
                ? (p->io_read_rate > 0 ? p->io_read_rate : 0) +
                      (p->io_write_rate > 0 ? p->io_write_rate : 0)
                : -1;
    bool known = (p->have & PROC_F_IO) && (p->io_read_bytes >= 0 || p->io_write_bytes >= 0);
    *bytes = known ? (double)(p->io_read_bytes > 0 ? p->io_read_bytes : 0) +
                         (double)(p->io_write_bytes > 0 ? p->io_write_bytes : 0)
                   : -1;
}

static double num(double x)
{
    return x == x ? x : -1; /* a NaN would make the order inconsistent */
}

/* The key alone, smallest first. */
static int key_cmp(const struct proc_entry *a, const struct proc_entry *b, enum sort_key k)
{
    switch (k) {
    case SORT_PID:
        return CMP(a->pid, b->pid);
    case SORT_PPID:
        return CMP(a->ppid, b->ppid);
    case SORT_USER: {
        bool ka = a->have & PROC_F_USER, kb = b->have & PROC_F_USER;
        int c = strcmp(ka ? proc_entry_user(a) : "", kb ? proc_entry_user(b) : "");
        return c ? c : CMP(ka ? (long long)a->uid : -1, kb ? (long long)b->uid : -1);
    }
    case SORT_STATE:
        return CMP((unsigned char)a->state, (unsigned char)b->state);
    case SORT_NICE:
        return CMP(a->nice, b->nice);
    case SORT_PRI:
        return CMP(a->priority, b->priority);
    case SORT_THREADS:
        return CMP(a->threads, b->threads);
    case SORT_VIRT:
        return CMP(a->vms, b->vms);
    case SORT_RSS:
    case SORT_MEM: /* mem_percent is rss over one total: same order, exact */
        return CMP(a->rss, b->rss);
    case SORT_CPU: {
        int c = CMP(num(a->cpu_percent), num(b->cpu_percent));
        return c ? c : CMP(a->utime + a->stime, b->utime + b->stime);
    }
    case SORT_TIME:
        return CMP(a->utime + a->stime, b->utime + b->stime);
    case SORT_IO: {
        double ra, ba, rb, bb;
        io_keys(a, &ra, &ba);
        io_keys(b, &rb, &bb);
        int c = CMP(num(ra), num(rb));
        return c ? c : CMP(ba, bb);
    }
    case SORT_NAME: {
        int c = ascii_casecmp(a->name, b->name);
        return c ? c : strcmp(a->name, b->name);
    }
    case SORT_START:
        return CMP(a->start_ticks, b->start_ticks);
    default:
        return 0;
    }
}

static int compare_dir(const struct proc_entry *a, const struct proc_entry *b, enum sort_key k,
                       bool descending)
{
    int c = key_cmp(a, b, k);
    if (descending)
        c = -c;
    /* ties always by pid ascending, whichever way the key runs: rows do not jump */
    return c ? c : CMP(a->pid, b->pid);
}

int view_compare(const struct proc_entry *a, const struct proc_entry *b, enum sort_key k)
{
    return compare_dir(a, b, k, sort_key_descending(k));
}

struct sort_ctx {
    enum sort_key key;
    bool descending;
};

static int ptr_cmp(const void *x, const void *y, void *arg)
{
    const struct sort_ctx *c = arg;
    return compare_dir(*(const struct proc_entry *const *)x, *(const struct proc_entry *const *)y,
                       c->key, c->descending);
}

/* Sorts pointers in the view's order. Comparing entries directly beat extracting keys
 * into a side array: the extra scratch memory cost more in page faults than it saved. */
static void sort_entries(const struct proc_entry **v, size_t m, const struct view_options *o)
{
    struct sort_ctx ctx = {o->sort, sort_key_descending(o->sort) != o->reverse};
    qsort_r(v, m, sizeof(*v), ptr_cmp, &ctx);
}

static int pid_cmp(const void *x, const void *y)
{
    return CMP(*(const pid_t *)x, *(const pid_t *)y);
}

static int entry_pid_cmp(const void *x, const void *y)
{
    return CMP((*(const struct proc_entry *const *)x)->pid,
               (*(const struct proc_entry *const *)y)->pid);
}

/* Case-insensitive (ASCII) substring search; NUL bytes in hay read as spaces, so the
 * NUL-separated arguments of a cmdline match as if joined by spaces. needle is lower. */
static bool contains_folded(const char *hay, size_t n, const char *needle, size_t m)
{
    if (m == 0)
        return true;
    for (size_t i = 0; i + m <= n; i++) {
        size_t j = 0;
        while (j < m) {
            int c = (unsigned char)hay[i + j];
            if (c == 0)
                c = ' ';
            if (ascii_lower(c) != (unsigned char)needle[j])
                break;
            j++;
        }
        if (j == m)
            return true;
    }
    return false;
}

struct filter {
    const struct view_options *o;
    pid_t *pids;  /* sorted copy of o->pids */
    char *needle; /* lower-cased o->filter; NULL when no text filter */
    size_t needle_len;
};

static bool text_match(const struct filter *f, const struct proc_entry *p)
{
    if (contains_folded(p->name, strnlen(p->name, sizeof(p->name)), f->needle, f->needle_len))
        return true;
    return p->cmdline &&
           contains_folded(p->cmdline->data, p->cmdline->len, f->needle, f->needle_len);
}

static bool has_pid(const struct filter *f, pid_t pid)
{
    return bsearch(&pid, f->pids, f->o->n_pids, sizeof(pid_t), pid_cmp) != NULL;
}

/* the uid is only known where the probe read it (PROC_F_USER) */
static bool uid_selects(const struct view_options *o, const struct proc_entry *p)
{
    return !o->by_uid || ((p->have & PROC_F_USER) && p->uid == o->uid);
}

bool view_selects_process(const struct view_options *o, const struct proc_entry *p)
{
    if (!uid_selects(o, p))
        return false;
    if (!o->pids || !o->n_pids)
        return true;
    for (size_t i = 0; i < o->n_pids; i++)
        if (o->pids[i] == p->pid)
            return true;
    return false;
}

static bool filter_match(const struct filter *f, const struct proc_entry *p)
{
    const struct view_options *o = f->o;
    if (o->hide_kernel_threads && p->kernel_thread)
        return false;
    if (!uid_selects(o, p))
        return false;
    if (f->pids && !has_pid(f, p->pid))
        return false;
    if (f->needle)
        return text_match(f, p);
    return true;
}

/* A thread row: judged by its process (owner; NULL when the snapshot lacks it, and then by
 * the thread's own fields), and by its own name for the text filter (view.h). */
static bool thread_match(const struct filter *f, const struct proc_entry *t,
                         const struct proc_entry *owner)
{
    const struct view_options *o = f->o;
    if (o->hide_kernel_threads && (t->kernel_thread || (owner && owner->kernel_thread)))
        return false;
    if (!uid_selects(o, (t->have & PROC_F_USER) || !owner ? t : owner))
        return false;
    if (f->pids && !has_pid(f, t->tgid) && !has_pid(f, t->pid))
        return false;
    if (f->needle)
        return text_match(f, t) || (owner && text_match(f, owner));
    return true;
}

#define NONE UINT32_MAX

static uint32_t find_pid(const pid_t *pids, uint32_t m, pid_t pid)
{
    uint32_t lo = 0, hi = m;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (pids[mid] < pid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < m && pids[lo] == pid ? lo : NONE;
}

/* Breaks every parent cycle at its member with the lowest pid (that member becomes a
 * root), so what remains is a forest. state: 0 unseen, 1 on the current walk, 2 done. */
static void break_cycles(const struct proc_entry *const *sel, uint32_t m, uint32_t *parent)
{
    unsigned char *state = xcalloc(m ? m : 1, 1);
    for (uint32_t i = 0; i < m; i++) {
        uint32_t x = i;
        while (x != NONE && state[x] == 0) {
            state[x] = 1;
            x = parent[x];
        }
        uint32_t cut = NONE;
        if (x != NONE && state[x] == 1) {
            /* x is on a cycle of the current walk: cut it at its lowest pid */
            cut = x;
            for (uint32_t y = parent[x]; y != x; y = parent[y])
                if (sel[y]->pid < sel[cut]->pid)
                    cut = y;
        }
        /* mark the walk done before cutting: the cut would end this loop early */
        for (uint32_t y = i; y != NONE && state[y] == 1; y = parent[y])
            state[y] = 2;
        if (cut != NONE)
            parent[cut] = NONE;
    }
    free(state);
}

/* Each selected row's parent, as a position in sel (NONE for a root): sel[0, mp) are
 * processes sorted by pid, sel[mp, m) threads, whose parent is their process. */
static uint32_t *tree_parents(const struct proc_entry *const *sel, uint32_t mp, uint32_t m)
{
    size_t cap = m ? m : 1;
    pid_t *pids = xmalloc((mp ? mp : 1) * sizeof(*pids)); /* contiguous: stays in cache */
    for (uint32_t i = 0; i < mp; i++)
        pids[i] = sel[i]->pid;
    uint32_t *parent = xmalloc(cap * sizeof(*parent));
    for (uint32_t i = 0; i < mp; i++)
        parent[i] = sel[i]->ppid == sel[i]->pid ? NONE : find_pid(pids, mp, sel[i]->ppid);
    for (uint32_t i = mp; i < m; i++)
        parent[i] = find_pid(pids, mp, sel[i]->tgid);
    free(pids);
    break_cycles(sel, m, parent);
    return parent;
}

/* Where an entry sits in the snapshot: processes first, then threads (n processes). */
static size_t snap_index(const struct snapshot *s, const struct proc_entry *p)
{
    return proc_entry_is_thread(p) ? s->n_procs + (size_t)(p - s->threads) : (size_t)(p - s->procs);
}

/* Positions in sel in the view's order. The snapshot s that sel points into turns a
 * sorted pointer back into its position in O(1). */
static uint32_t *tree_order(const struct proc_entry *const *sel, uint32_t m,
                            const struct snapshot *s, size_t n, const struct view_options *o)
{
    const struct proc_entry **ord = xmalloc((m ? m : 1) * sizeof(*ord));
    memcpy(ord, sel, m * sizeof(*ord));
    sort_entries(ord, m, o);
    uint32_t *pos_of = xmalloc((n ? n : 1) * sizeof(*pos_of));
    for (uint32_t i = 0; i < m; i++)
        pos_of[snap_index(s, sel[i])] = i;
    uint32_t *order = xmalloc((m ? m : 1) * sizeof(*order));
    for (uint32_t r = 0; r < m; r++)
        order[r] = pos_of[snap_index(s, ord[r])];
    free(pos_of);
    free(ord);
    return order;
}

struct frame {
    uint32_t node;
    uint32_t next; /* position of the next child in kids[] */
    uint64_t mask;
};

/* sel[0, mp) are processes sorted by pid, sel[mp, m) threads, all pointing into s (n
 * entries with its threads); writes m rows in tree order. */
static void tree_rows(const struct proc_entry *const *sel, uint32_t mp, uint32_t m,
                      const struct snapshot *s, size_t n, const struct view_options *o,
                      struct view_row *rows)
{
    uint32_t *parent = tree_parents(sel, mp, m);
    uint32_t *order = tree_order(sel, m, s, n, o);

    /* children grouped by parent, each group in sort order, a process's threads before
     * its child processes: kids of p are kids[first[p]] .. kids[first[p + 1] - 1] (a
     * counting sort) */
    uint32_t *first = xcalloc((size_t)m + 2, sizeof(*first));
    uint32_t *kids = xmalloc((m ? m : 1) * sizeof(*kids));
    for (uint32_t i = 0; i < m; i++)
        if (parent[i] != NONE)
            first[parent[i] + 2]++;
    for (uint32_t i = 2; i < m + 2; i++)
        first[i] += first[i - 1];
    for (int threads = mp < m; threads >= 0; threads--) {
        for (uint32_t r = 0; r < m; r++) {
            uint32_t i = order[r];
            if (parent[i] != NONE && (i >= mp) == (threads == 1))
                kids[first[parent[i] + 1]++] = i;
        }
    }

    size_t cap = 64, out = 0;
    struct frame *stack = xmalloc(cap * sizeof(*stack));
    for (uint32_t r = 0; r < m; r++) {
        uint32_t root = order[r];
        if (parent[root] != NONE)
            continue;
        size_t sp = 0;
        stack[sp++] = (struct frame){root, first[root], 0};
        rows[out++] = (struct view_row){sel[root], 0, 0};
        while (sp > 0) {
            struct frame *top = &stack[sp - 1];
            int depth = (int)sp; /* of the child about to be emitted */
            if (top->next == first[top->node + 1]) {
                sp--;
                continue;
            }
            uint32_t child = kids[top->next++];
            uint64_t mask = top->mask;
            if (top->next < first[top->node + 1] && depth - 1 < 64)
                mask |= UINT64_C(1) << (depth - 1);
            rows[out++] = (struct view_row){sel[child], depth, mask};
            if (sp == cap) {
                cap *= 2;
                stack = xreallocarray(stack, cap, sizeof(*stack));
            }
            stack[sp++] = (struct frame){child, first[child], mask};
        }
    }
    free(stack);
    free(kids);
    free(first);
    free(order);
    free(parent);
}

/* Appends the thread rows that pass the filters to sel (room for all of them). */
static size_t select_threads(const struct snapshot *s, const struct filter *f,
                             const struct proc_entry **sel, size_t m)
{
    const struct proc_entry *owner = NULL;
    for (size_t i = 0; i < s->n_threads; i++) {
        const struct proc_entry *t = &s->threads[i];
        if (!owner || owner->pid != t->tgid) /* threads come grouped by process */
            owner = snapshot_find_proc(s, t->tgid);
        if (thread_match(f, t, owner))
            sel[m++] = t;
    }
    return m;
}

int view_build(const struct snapshot *s, const struct view_options *o, struct view *out)
{
    out->rows = NULL;
    out->n = 0;
    size_t n_thr = o->show_threads ? s->n_threads : 0;
    size_t n = s->n_procs + n_thr;
    if (n >= UINT32_MAX) /* the tree indexes with 32 bits (pid_max is at most 2^22) */
        return -ENOMEM;
    struct filter f = {.o = o};
    if (o->pids && o->n_pids > 0) {
        f.pids = xmalloc(o->n_pids * sizeof(*f.pids));
        memcpy(f.pids, o->pids, o->n_pids * sizeof(*f.pids));
        qsort(f.pids, o->n_pids, sizeof(*f.pids), pid_cmp);
    }
    if (o->filter && o->filter[0]) {
        f.needle_len = strlen(o->filter);
        f.needle = xmalloc(f.needle_len + 1);
        for (size_t i = 0; i <= f.needle_len; i++)
            f.needle[i] = (char)ascii_lower((unsigned char)o->filter[i]);
    }

    const struct proc_entry **sel = xmalloc((n ? n : 1) * sizeof(*sel));
    size_t m = 0;
    bool by_pid = true;
    for (size_t i = 0; i < s->n_procs; i++) {
        if (!filter_match(&f, &s->procs[i]))
            continue;
        if (m > 0 && sel[m - 1]->pid > s->procs[i].pid)
            by_pid = false;
        sel[m++] = &s->procs[i];
    }
    size_t mp = m;
    if (n_thr)
        m = select_threads(s, &f, sel, m);
    free(f.pids);
    free(f.needle);

    out->rows = xmalloc((m ? m : 1) * sizeof(*out->rows));
    xpopulate(out->rows, m * sizeof(*out->rows)); /* every row is written below */
    out->n = m;
    if (o->tree) {
        if (!by_pid) /* snapshots are pid-ordered; hand-made ones may not be */
            qsort(sel, mp, sizeof(*sel), entry_pid_cmp);
        tree_rows(sel, (uint32_t)mp, (uint32_t)m, s, n, o, out->rows);
    } else {
        sort_entries(sel, m, o);
        for (size_t i = 0; i < m; i++)
            out->rows[i] = (struct view_row){sel[i], 0, 0};
    }
    free(sel);
    return 0;
}

void view_done(struct view *v)
{
    if (!v)
        return;
    free(v->rows);
    v->rows = NULL;
    v->n = 0;
}
