/* The inspector's pure parsers for the per-process files (details_parse.h); the socket
 * ones are in details_net_parse.c. */
#include "platform/linux/details_parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "platform/linux/details_scan.h"
#include "probe/xalloc.h"

/* ---- stat ---- */

int details_parse_stat(const char *buf, size_t len, struct details_stat *out)
{
    struct details_stat st;
    memset(&st, 0, sizeof(st));
    st.processor = st.rt_priority = st.policy = -1;
    const char *end = buf + len;
    const char *open = memchr(buf, '(', len);
    const char *close = NULL;
    for (const char *q = end; q > buf; q--) {
        if (q[-1] == ')') {
            close = q - 1;
            break;
        }
    }
    if (!open || !close || close < open)
        return -EINVAL;
    int64_t v;
    const char *p = buf, *tok;
    size_t tlen;
    if (!next_token(&p, open, &tok, &tlen) || !parse_i64(tok, tlen, &v) || v <= 0)
        return -EINVAL;
    st.pid = (pid_t)v;
    size_t clen = (size_t)(close - open - 1);
    if (clen >= sizeof(st.comm))
        clen = sizeof(st.comm) - 1;
    memcpy(st.comm, open + 1, clen);

    p = close + 1;
    if (!next_token(&p, end, &tok, &tlen) || tlen != 1)
        return -EINVAL;
    st.state = tok[0];
    for (int field = 4; field <= 41; field++) {
        if (!next_token(&p, end, &tok, &tlen)) {
            if (field > 22)
                break; /* an old kernel: the later fields stay -1 */
            return -EINVAL;
        }
        bool ok = parse_i64(tok, tlen, &v);
        if (!ok) {
            /* fields such as 25 (rsslim) or the signal masks can exceed INT64_MAX */
            uint64_t u;
            if (!parse_u64(tok, tlen, &u))
                return -EINVAL;
            v = -1;
        }
        switch (field) {
        case 4: /* ppid */
            st.ppid = (pid_t)v;
            break;
        case 7: /* tty_nr */
            st.tty_nr = (int)v;
            break;
        case 9: /* flags */
            st.flags = (unsigned long)v;
            break;
        case 14: /* utime */
        case 15: /* stime */
        case 16: /* cutime */
        case 17: /* cstime */
        case 22: /* starttime */
            if (v < 0)
                return -EINVAL;
            *(field == 14   ? &st.utime
              : field == 15 ? &st.stime
              : field == 16 ? &st.cutime
              : field == 17 ? &st.cstime
                            : &st.starttime) = (uint64_t)v;
            break;
        case 18: /* priority */
            st.priority = (int)v;
            break;
        case 19: /* nice */
            st.nice = (int)v;
            break;
        case 20: /* num_threads */
            st.num_threads = (int)v;
            break;
        case 39: /* processor */
            st.processor = (int)v;
            break;
        case 40: /* rt_priority */
            st.rt_priority = (int)v;
            break;
        case 41: /* policy */
            st.policy = (int)v;
            break;
        default:
            break;
        }
    }
    *out = st;
    return 0;
}

/* ---- status ---- */

static bool parse_id_line(const char *p, const char *end, unsigned ids[4])
{
    for (int i = 0; i < 4; i++) {
        const char *tok;
        size_t len;
        uint64_t v;
        if (!next_token(&p, end, &tok, &len) || !parse_u64(tok, len, &v) || v > UINT32_MAX)
            return false;
        ids[i] = (unsigned)v;
    }
    return true;
}

int details_parse_status(const char *buf, size_t len, struct details_status *out)
{
    struct details_status st;
    memset(&st, 0, sizeof(st));
    int64_t *const sizes[] = {&st.vm_peak,  &st.vm_size,  &st.vm_lck,    &st.vm_hwm,  &st.vm_rss,
                              &st.rss_anon, &st.rss_file, &st.rss_shmem, &st.vm_data, &st.vm_stk,
                              &st.vm_exe,   &st.vm_lib,   &st.vm_pte,    &st.vm_swap};
    static const char *const size_keys[] = {"VmPeak",  "VmSize",  "VmLck",    "VmHWM",  "VmRSS",
                                            "RssAnon", "RssFile", "RssShmem", "VmData", "VmStk",
                                            "VmExe",   "VmLib",   "VmPTE",    "VmSwap"};
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        *sizes[i] = -1;
    st.threads = -1;
    st.ctx_voluntary = st.ctx_involuntary = -1;
    bool have_uid = false, have_gid = false, have_state = false;
    unsigned uid[4], gid[4];

    const char *p = buf, *end = buf + len, *line, *lend, *rest, *tok;
    size_t tlen;
    int64_t v;
    while (next_line(&p, end, &line, &lend)) {
        if (line_key(line, lend, "State", &rest)) {
            if (!next_token(&rest, lend, &tok, &tlen) || tlen != 1)
                return -EINVAL;
            st.state = tok[0];
            have_state = true;
        } else if (line_key(line, lend, "PPid", &rest)) {
            if (!next_token(&rest, lend, &tok, &tlen) || !parse_i64(tok, tlen, &v) || v < 0)
                return -EINVAL;
            st.ppid = (pid_t)v;
        } else if (line_key(line, lend, "Uid", &rest)) {
            if (!parse_id_line(rest, lend, uid))
                return -EINVAL;
            have_uid = true;
        } else if (line_key(line, lend, "Gid", &rest)) {
            if (!parse_id_line(rest, lend, gid))
                return -EINVAL;
            have_gid = true;
        } else if (line_key(line, lend, "Threads", &rest)) {
            if (!next_token(&rest, lend, &tok, &tlen) || !parse_i64(tok, tlen, &v) || v < 0)
                return -EINVAL;
            st.threads = (int)v;
        } else if (line_key(line, lend, "voluntary_ctxt_switches", &rest) ||
                   line_key(line, lend, "nonvoluntary_ctxt_switches", &rest)) {
            if (!next_token(&rest, lend, &tok, &tlen) || !parse_i64(tok, tlen, &v) || v < 0)
                return -EINVAL;
            *(line[0] == 'v' ? &st.ctx_voluntary : &st.ctx_involuntary) = v;
        } else if (line_key(line, lend, "Cpus_allowed_list", &rest)) {
            if (next_token(&rest, lend, &tok, &tlen)) {
                st.cpus_allowed_list = tok;
                st.cpus_allowed_len = tlen;
            }
        } else if ((line[0] == 'V' || line[0] == 'R') && memchr(line, ':', (size_t)(lend - line))) {
            for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
                if (line_key(line, lend, size_keys[i], &rest)) {
                    if (!parse_kb(rest, lend, sizes[i]))
                        return -EINVAL;
                    break;
                }
            }
        }
    }
    if (!have_state)
        return -EINVAL;
    if (have_uid && have_gid) {
        st.have_ids = true;
        for (int i = 0; i < 4; i++) {
            st.uid[i] = (uid_t)uid[i];
            st.gid[i] = (gid_t)gid[i];
        }
    }
    *out = st;
    return 0;
}

static int int_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* CPU numbers beyond this are garbage, not hardware (CONFIG_NR_CPUS tops out at 8192). */
#define CPU_LIST_MAX 65536

int details_parse_cpu_list(const char *buf, size_t len, int **out, size_t *n)
{
    const char *p = buf, *end = buf + len;
    while (end > p && is_space(end[-1]))
        end--;
    while (p < end && is_space(*p))
        p++;
    if (p == end)
        return -EINVAL;
    int *cpus = NULL;
    size_t count = 0, cap = 0;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *item_end = comma ? comma : end;
        const char *dash = memchr(p, '-', (size_t)(item_end - p));
        uint64_t lo, hi;
        if (!parse_u64(p, (size_t)((dash ? dash : item_end) - p), &lo) ||
            (dash && !parse_u64(dash + 1, (size_t)(item_end - dash - 1), &hi)))
            goto bad;
        if (!dash)
            hi = lo;
        if (hi < lo || hi >= CPU_LIST_MAX || count + (hi - lo + 1) > CPU_LIST_MAX)
            goto bad;
        for (uint64_t c = lo; c <= hi; c++) {
            if (count == cap) {
                cap = cap ? cap * 2 : 16;
                cpus = xreallocarray(cpus, cap, sizeof(*cpus));
            }
            cpus[count++] = (int)c;
        }
        p = comma ? comma + 1 : end;
        if (comma && p == end)
            goto bad;
    }
    qsort(cpus, count, sizeof(*cpus), int_cmp);
    size_t u = 0;
    for (size_t i = 0; i < count; i++)
        if (u == 0 || cpus[u - 1] != cpus[i])
            cpus[u++] = cpus[i];
    *out = cpus;
    *n = u;
    return 0;
bad:
    free(cpus);
    return -EINVAL;
}

/* ---- io ---- */

int details_parse_io(const char *buf, size_t len, struct details_io_counters *out)
{
    static const char *const keys[] = {
        "rchar", "wchar", "syscr", "syscw", "read_bytes", "write_bytes", "cancelled_write_bytes"};
    struct details_io_counters io;
    uint64_t *const vals[] = {&io.rchar,
                              &io.wchar,
                              &io.syscr,
                              &io.syscw,
                              &io.read_bytes,
                              &io.write_bytes,
                              &io.cancelled_write_bytes};
    unsigned seen = 0;
    const char *p = buf, *end = buf + len, *line, *lend, *rest, *tok;
    size_t tlen;
    while (next_line(&p, end, &line, &lend)) {
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
            if (line_key(line, lend, keys[i], &rest)) {
                if (!next_token(&rest, lend, &tok, &tlen) || !parse_u64(tok, tlen, vals[i]))
                    return -EINVAL;
                seen |= 1u << i;
                break;
            }
        }
    }
    if (seen != (1u << (sizeof(keys) / sizeof(keys[0]))) - 1)
        return -EINVAL;
    *out = io;
    return 0;
}

/* ---- smaps ---- */

/* The smaps fields a summary keeps; offsets into struct details_rollup. */
static uint64_t *rollup_field(struct details_rollup *r, const char *line, const char *lend,
                              const char **rest)
{
    static const struct {
        const char *key;
        size_t off;
    } keys[] = {
        {"Rss", offsetof(struct details_rollup, rss)},
        {"Pss", offsetof(struct details_rollup, pss)},
        {"Shared_Clean", offsetof(struct details_rollup, shared_clean)},
        {"Shared_Dirty", offsetof(struct details_rollup, shared_dirty)},
        {"Private_Clean", offsetof(struct details_rollup, private_clean)},
        {"Private_Dirty", offsetof(struct details_rollup, private_dirty)},
        {"Swap", offsetof(struct details_rollup, swap)},
        {"SwapPss", offsetof(struct details_rollup, swap_pss)},
    };
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        if (line_key(line, lend, keys[i].key, rest))
            return (uint64_t *)((char *)r + keys[i].off);
    return NULL;
}

/* One "Key: N kB" line into r; false when the line is a known key with a bad value. */
static bool rollup_line(struct details_rollup *r, const char *line, const char *lend,
                        unsigned *seen)
{
    const char *rest;
    uint64_t *f = rollup_field(r, line, lend, &rest);
    if (!f)
        return true;
    int64_t v;
    if (!parse_kb(rest, lend, &v))
        return false;
    *f = (uint64_t)v;
    if (f == &r->rss)
        *seen |= 1;
    else if (f == &r->pss)
        *seen |= 2;
    return true;
}

int details_parse_smaps_rollup(const char *buf, size_t len, struct details_rollup *out)
{
    struct details_rollup r;
    memset(&r, 0, sizeof(r));
    unsigned seen = 0;
    const char *p = buf, *end = buf + len, *line, *lend;
    while (next_line(&p, end, &line, &lend))
        if (!rollup_line(&r, line, lend, &seen))
            return -EINVAL;
    if (seen != 3)
        return -EINVAL;
    *out = r;
    return 0;
}

/* A mapping header: "start-end perms offset dev inode [path]". Sets the path (without
 * the padding before it; empty for anonymous memory) and the size. */
static bool smaps_header(const char *line, const char *lend, const char **path, size_t *plen,
                         uint64_t *size)
{
    const char *p = line, *tok;
    size_t tlen;
    if (!next_token(&p, lend, &tok, &tlen))
        return false;
    const char *dash = memchr(tok, '-', tlen);
    uint64_t lo, hi;
    if (!dash || !parse_hex(tok, (size_t)(dash - tok), &lo) ||
        !parse_hex(dash + 1, (size_t)(tok + tlen - dash - 1), &hi) || hi < lo)
        return false;
    for (int i = 0; i < 4; i++) /* perms offset dev inode */
        if (!next_token(&p, lend, &tok, &tlen))
            return false;
    while (p < lend && (*p == ' ' || *p == '\t'))
        p++;
    *path = p;
    *plen = (size_t)(lend - p);
    *size = hi - lo;
    return true;
}

struct smaps_rec {
    const char *path; /* into the buffer */
    size_t plen;
    struct details_map m;
};

static int rec_path_cmp(const void *a, const void *b)
{
    const struct smaps_rec *x = a, *y = b;
    size_t n = x->plen < y->plen ? x->plen : y->plen;
    int c = memcmp(x->path, y->path, n);
    return c ? c : (x->plen > y->plen) - (x->plen < y->plen);
}

static int map_rss_cmp(const void *a, const void *b)
{
    const struct details_map *x = a, *y = b;
    if (x->rss != y->rss)
        return x->rss < y->rss ? 1 : -1;
    return strcmp(x->path, y->path);
}

static void rec_add(struct details_map *m, const struct details_rollup *r, uint64_t size)
{
    m->count++;
    m->size += size;
    m->rss += r->rss;
    m->pss += r->pss;
    m->private_bytes += r->private_clean + r->private_dirty;
    m->shared_bytes += r->shared_clean + r->shared_dirty;
    m->swap += r->swap;
}

int details_parse_smaps(const char *buf, size_t len, struct details_map **maps, size_t *n,
                        struct details_rollup *totals)
{
    static const char anon[] = "[anon]";
    struct smaps_rec *recs = NULL;
    size_t n_recs = 0, cap = 0;
    struct details_rollup cur, sum;
    memset(&sum, 0, sizeof(sum));
    uint64_t cur_size = 0;
    bool open_rec = false;
    unsigned seen = 0;
    const char *p = buf, *end = buf + len, *line, *lend;

    while (true) {
        bool more = next_line(&p, end, &line, &lend);
        const char *path = NULL;
        size_t plen = 0;
        uint64_t size = 0;
        bool header = more && smaps_header(line, lend, &path, &plen, &size);
        if (open_rec && (!more || header)) {
            rec_add(&recs[n_recs - 1].m, &cur, cur_size);
            sum.rss += cur.rss;
            sum.pss += cur.pss;
            sum.shared_clean += cur.shared_clean;
            sum.shared_dirty += cur.shared_dirty;
            sum.private_clean += cur.private_clean;
            sum.private_dirty += cur.private_dirty;
            sum.swap += cur.swap;
            sum.swap_pss += cur.swap_pss;
            open_rec = false;
        }
        if (!more)
            break;
        if (header) {
            if (n_recs == cap) {
                cap = cap ? cap * 2 : 64;
                recs = xreallocarray(recs, cap, sizeof(*recs));
            }
            struct smaps_rec *r = &recs[n_recs++];
            memset(r, 0, sizeof(*r));
            r->path = plen ? path : anon;
            r->plen = plen ? plen : sizeof(anon) - 1;
            memset(&cur, 0, sizeof(cur));
            cur_size = size;
            open_rec = true;
        } else if (lend > line) {
            if (!open_rec || !rollup_line(&cur, line, lend, &seen)) {
                free(recs);
                return -EINVAL;
            }
        }
    }

    /* merge mappings of the same path, then order by resident size */
    if (n_recs > 1)
        qsort(recs, n_recs, sizeof(*recs), rec_path_cmp);
    struct details_map *out = xcalloc(n_recs ? n_recs : 1, sizeof(*out));
    size_t n_out = 0;
    for (size_t i = 0; i < n_recs; i++) {
        if (n_out == 0 || rec_path_cmp(&recs[i - 1], &recs[i]) != 0) {
            out[n_out].path = xstrndup(recs[i].path, recs[i].plen);
            n_out++;
        }
        struct details_map *m = &out[n_out - 1];
        m->count += recs[i].m.count;
        m->size += recs[i].m.size;
        m->rss += recs[i].m.rss;
        m->pss += recs[i].m.pss;
        m->private_bytes += recs[i].m.private_bytes;
        m->shared_bytes += recs[i].m.shared_bytes;
        m->swap += recs[i].m.swap;
    }
    free(recs);
    qsort(out, n_out, sizeof(*out), map_rss_cmp);
    *maps = out;
    *n = n_out;
    if (totals)
        *totals = sum;
    return 0;
}

/* ---- limits ---- */

const char *details_limit_resource(const char *name)
{
    static const char *const names[][2] = {
        {"Max cpu time", "cpu"},
        {"Max file size", "fsize"},
        {"Max data size", "data"},
        {"Max stack size", "stack"},
        {"Max core file size", "core"},
        {"Max resident set", "rss"},
        {"Max processes", "nproc"},
        {"Max open files", "nofile"},
        {"Max locked memory", "memlock"},
        {"Max address space", "as"},
        {"Max file locks", "locks"},
        {"Max pending signals", "sigpending"},
        {"Max msgqueue size", "msgqueue"},
        {"Max nice priority", "nice"},
        {"Max realtime priority", "rtprio"},
        {"Max realtime timeout", "rttime"},
    };
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(name, names[i][0]) == 0)
            return names[i][1];
    return NULL;
}

static bool limit_value(const char *tok, size_t len, uint64_t *out)
{
    if (tok_is(tok, len, "unlimited")) {
        *out = DETAILS_RLIM_INFINITY;
        return true;
    }
    return parse_u64(tok, len, out);
}

int details_parse_limits(const char *buf, size_t len, struct details_limit **out, size_t *n)
{
    struct details_limit *lims = NULL;
    size_t count = 0, cap = 0;
    const char *p = buf, *end = buf + len, *line, *lend;
    bool first = true;
    while (next_line(&p, end, &line, &lend)) {
        if (first) {
            first = false;
            /* the header: "Limit  Soft Limit  Hard Limit  Units" */
            if (lend - line >= 5 && memcmp(line, "Limit", 5) == 0)
                continue;
        }
        const char *q = line, *tok, *name_end = NULL;
        size_t tlen;
        uint64_t soft, hard;
        /* the name has no digits in it: its end is where the first value begins */
        while (next_token(&q, lend, &tok, &tlen)) {
            if (limit_value(tok, tlen, &soft)) {
                name_end = tok;
                break;
            }
        }
        if (!name_end) {
            if (q == line || lend == line) /* an empty line */
                continue;
            free(lims);
            return -EINVAL;
        }
        const char *ne = name_end;
        while (ne > line && is_space(ne[-1]))
            ne--;
        if (ne == line || !next_token(&q, lend, &tok, &tlen) || !limit_value(tok, tlen, &hard)) {
            free(lims);
            return -EINVAL;
        }
        if (count == cap) {
            cap = cap ? cap * 2 : 16;
            lims = xreallocarray(lims, cap, sizeof(*lims));
        }
        struct details_limit *l = &lims[count++];
        memset(l, 0, sizeof(*l));
        size_t nl = (size_t)(ne - line);
        if (nl >= sizeof(l->name))
            nl = sizeof(l->name) - 1;
        memcpy(l->name, line, nl);
        l->resource = details_limit_resource(l->name);
        l->soft = soft;
        l->hard = hard;
        if (next_token(&q, lend, &tok, &tlen)) {
            if (tlen >= sizeof(l->unit))
                tlen = sizeof(l->unit) - 1;
            memcpy(l->unit, tok, tlen);
        }
    }
    if (count == 0) {
        free(lims);
        return -EINVAL;
    }
    *out = lims;
    *n = count;
    return 0;
}

/* ---- children ---- */

int details_parse_pid_list(const char *buf, size_t len, pid_t **pids, size_t *n)
{
    const char *p = buf, *end = buf + len, *tok;
    size_t tlen;
    while (next_token(&p, end, &tok, &tlen)) {
        uint64_t v;
        if (!parse_u64(tok, tlen, &v) || v == 0 || v > INT32_MAX)
            return -EINVAL;
        *pids = xreallocarray(*pids, *n + 1, sizeof(**pids));
        (*pids)[(*n)++] = (pid_t)v;
    }
    return 0;
}
