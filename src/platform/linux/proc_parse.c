#include "platform/linux/proc_parse.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

/* A read position in a buffer; every helper stops at end, never past it. */
struct cursor {
    const char *p;
    const char *end;
};

static void skip_blanks(struct cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t'))
        c->p++;
}

/* Next blank-separated unsigned decimal on the current line; -EINVAL on anything else. */
static int next_u64(struct cursor *c, uint64_t *out)
{
    skip_blanks(c);
    uint64_t v = 0;
    const char *start = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        unsigned d = (unsigned)(*c->p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return -EINVAL;
        v = v * 10 + d;
        c->p++;
    }
    if (c->p == start)
        return -EINVAL;
    /* a number ends at a blank, a newline or the end; "12x" is garbage */
    if (c->p < c->end && *c->p != ' ' && *c->p != '\t' && *c->p != '\n')
        return -EINVAL;
    *out = v;
    return 0;
}

static int next_i64(struct cursor *c, int64_t *out)
{
    skip_blanks(c);
    bool neg = c->p < c->end && *c->p == '-';
    if (neg)
        c->p++;
    uint64_t v;
    if (c->p < c->end && (*c->p < '0' || *c->p > '9'))
        return -EINVAL; /* "- 5", "--5" */
    int r = next_u64(c, &v);
    if (r)
        return r;
    if (v > (uint64_t)INT64_MAX)
        return -EINVAL;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return 0;
}

static int next_int(struct cursor *c, int *out)
{
    int64_t v;
    int r = next_i64(c, &v);
    if (r)
        return r;
    if (v < INT_MIN || v > INT_MAX)
        return -EINVAL;
    *out = (int)v;
    return 0;
}

static int next_uint(struct cursor *c, unsigned *out)
{
    uint64_t v;
    int r = next_u64(c, &v);
    if (r)
        return r;
    if (v > UINT_MAX)
        return -EINVAL;
    *out = (unsigned)v;
    return 0;
}

/* Skips one number we do not keep: any width (rsslim is often 2^64-1), maybe negative. */
static int skip_number(struct cursor *c)
{
    skip_blanks(c);
    if (c->p < c->end && *c->p == '-')
        c->p++;
    const char *start = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9')
        c->p++;
    if (c->p == start || (c->p < c->end && *c->p != ' ' && *c->p != '\t' && *c->p != '\n'))
        return -EINVAL;
    return 0;
}

static int skip_fields(struct cursor *c, int n)
{
    for (int i = 0; i < n; i++)
        if (skip_number(c))
            return -EINVAL;
    return 0;
}

/* True when the buffer is one complete line: the kernel ends these files with a newline,
 * and a read cut short (or a truncated fixture) does not. */
static bool ends_line(const char *buf, size_t len)
{
    return len > 0 && buf[len - 1] == '\n';
}

int proc_parse_stat(const char *buf, size_t len, struct proc_stat_info *out)
{
    if (!buf || !ends_line(buf, len))
        return -EINVAL;
    const char *open = memchr(buf, '(', len);
    const char *close = memrchr(buf, ')', len);
    if (!open || !close || close < open)
        return -EINVAL;

    struct proc_stat_info s;
    memset(&s, 0, sizeof(s));
    struct cursor c = {buf, open};
    int pid;
    /* (1) pid, then one blank before the '(' of (2) comm */
    if (next_int(&c, &pid) || pid <= 0)
        return -EINVAL;
    skip_blanks(&c);
    if (c.p != open)
        return -EINVAL;
    s.pid = pid;
    size_t n = (size_t)(close - open - 1);
    if (n > sizeof(s.comm) - 1)
        n = sizeof(s.comm) - 1;
    memcpy(s.comm, open + 1, n);
    s.comm[n] = '\0';
    s.comm_len = n;

    c.p = close + 1;
    c.end = buf + len;
    /* (3) state: one letter */
    skip_blanks(&c);
    if (c.p >= c.end || !((*c.p >= 'A' && *c.p <= 'Z') || (*c.p >= 'a' && *c.p <= 'z')))
        return -EINVAL;
    s.state = *c.p++;
    if (c.p >= c.end || *c.p != ' ')
        return -EINVAL;

    int ppid, pgrp, session;
    if (next_int(&c, &ppid) ||          /* (4) ppid */
        next_int(&c, &pgrp) ||          /* (5) pgrp */
        next_int(&c, &session) ||       /* (6) session */
        next_int(&c, &s.tty_nr) ||      /* (7) tty_nr */
        skip_fields(&c, 1) ||           /* (8) tpgid */
        next_uint(&c, &s.flags) ||      /* (9) flags */
        skip_fields(&c, 4) ||           /* (10-13) minflt cminflt majflt cmajflt */
        next_u64(&c, &s.utime) ||       /* (14) utime */
        next_u64(&c, &s.stime) ||       /* (15) stime */
        skip_fields(&c, 2) ||           /* (16-17) cutime cstime */
        next_int(&c, &s.priority) ||    /* (18) priority */
        next_int(&c, &s.nice) ||        /* (19) nice */
        next_int(&c, &s.num_threads) || /* (20) num_threads */
        skip_fields(&c, 1) ||           /* (21) itrealvalue */
        next_u64(&c, &s.starttime) ||   /* (22) starttime */
        next_u64(&c, &s.vsize) ||       /* (23) vsize */
        next_u64(&c, &s.rss_pages))     /* (24) rss */
        return -EINVAL;
    if (ppid < 0 || pgrp < 0 || session < 0 || s.num_threads < 0)
        return -EINVAL;
    s.ppid = ppid;
    s.pgrp = pgrp;
    s.session = session;
    /* (25-52) rsslim ... exit_code: numbers up to the closing newline */
    while (true) {
        skip_blanks(&c);
        if (c.p < c.end && *c.p == '\n')
            break;
        if (skip_number(&c))
            return -EINVAL;
    }
    if (c.p + 1 != c.end)
        return -EINVAL; /* more than one line */
    *out = s;
    return 0;
}

static int mul_pages(uint64_t pages, long page_size, uint64_t *out)
{
    if (page_size <= 0 || pages > UINT64_MAX / (uint64_t)page_size)
        return -EINVAL;
    *out = pages * (uint64_t)page_size;
    return 0;
}

int proc_parse_statm(const char *buf, size_t len, long page_size, struct proc_statm_info *out)
{
    if (!buf || !ends_line(buf, len))
        return -EINVAL;
    struct cursor c = {buf, buf + len};
    uint64_t size, resident, shared;
    /* size resident shared text lib data dt, in pages */
    if (next_u64(&c, &size) || next_u64(&c, &resident) || next_u64(&c, &shared))
        return -EINVAL;
    struct proc_statm_info m;
    if (mul_pages(size, page_size, &m.size) || mul_pages(resident, page_size, &m.resident) ||
        mul_pages(shared, page_size, &m.shared))
        return -EINVAL;
    *out = m;
    return 0;
}

/* Finds "key" at the start of a line (key includes its ':'); returns the text after it
 * or NULL. */
static const char *find_key(const char *buf, size_t len, const char *key, const char **line_end)
{
    size_t klen = strlen(key);
    const char *p = buf, *end = buf + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if ((size_t)(le - p) >= klen && memcmp(p, key, klen) == 0) {
            *line_end = le;
            return p + klen;
        }
        p = le + 1;
    }
    return NULL;
}

/* Parses exactly n unsigned numbers filling the rest of a "Key:\t1\t2..." line. */
static int parse_line_u64s(const char *p, const char *le, uint64_t *v, int n)
{
    struct cursor c = {p, le};
    for (int i = 0; i < n; i++)
        if (next_u64(&c, &v[i]))
            return -EINVAL;
    skip_blanks(&c);
    return c.p == le ? 0 : -EINVAL;
}

int proc_parse_status(const char *buf, size_t len, struct proc_status_info *out)
{
    if (!buf)
        return -EINVAL;
    struct proc_status_info s;
    uint64_t v[4];
    const char *le;
    const char *p = find_key(buf, len, "Uid:", &le);
    if (!p || le == buf + len || parse_line_u64s(p, le, v, 4))
        return -EINVAL;
    for (int i = 0; i < 4; i++) {
        if (v[i] > UINT32_MAX)
            return -EINVAL;
        s.uid[i] = (uid_t)v[i];
    }
    p = find_key(buf, len, "Gid:", &le);
    if (!p || le == buf + len || parse_line_u64s(p, le, v, 4))
        return -EINVAL;
    for (int i = 0; i < 4; i++) {
        if (v[i] > UINT32_MAX)
            return -EINVAL;
        s.gid[i] = (gid_t)v[i];
    }
    s.threads = -1;
    p = find_key(buf, len, "Threads:", &le);
    if (p && le != buf + len && parse_line_u64s(p, le, v, 1) == 0 && v[0] <= INT_MAX)
        s.threads = (int)v[0];
    *out = s;
    return 0;
}

int proc_parse_io(const char *buf, size_t len, struct proc_io_info *out)
{
    if (!buf)
        return -EINVAL;
    static const char *const keys[] = {"rchar:",
                                       "wchar:",
                                       "syscr:",
                                       "syscw:",
                                       "read_bytes:",
                                       "write_bytes:",
                                       "cancelled_write_bytes:"};
    uint64_t v[7];
    for (size_t i = 0; i < 7; i++) {
        const char *le;
        const char *p = find_key(buf, len, keys[i], &le);
        if (!p || le == buf + len || parse_line_u64s(p, le, &v[i], 1))
            return -EINVAL;
    }
    out->rchar = v[0];
    out->wchar = v[1];
    out->syscr = v[2];
    out->syscw = v[3];
    out->read_bytes = v[4];
    out->write_bytes = v[5];
    out->cancelled_write_bytes = v[6];
    return 0;
}

int proc_parse_schedstat(const char *buf, size_t len, struct proc_schedstat_info *out)
{
    if (!buf || !ends_line(buf, len))
        return -EINVAL;
    struct cursor c = {buf, buf + len - 1};
    uint64_t v[3];
    if (parse_line_u64s(c.p, c.end, v, 3))
        return -EINVAL;
    out->run_ns = v[0];
    out->wait_ns = v[1];
    out->slices = v[2];
    return 0;
}

void proc_parse_cmdline(const char *buf, size_t len, size_t *out_len, size_t *out_argc)
{
    if (!buf)
        len = 0;
    size_t argc = 0;
    if (len > 0) {
        if (buf[len - 1] == '\0')
            len--;
        argc = 1; /* "\0" alone is one empty argument, as execve(path, {"", NULL}) leaves */
        for (const char *p = buf; (p = memchr(p, '\0', (size_t)(buf + len - p))) != NULL; p++)
            argc++;
    }
    *out_len = len;
    *out_argc = argc;
}

bool proc_cmdline_next(const char *buf, size_t len, size_t *pos, const char **arg, size_t *arg_len)
{
    if (!buf || *pos > len)
        return false;
    const char *start = buf + *pos;
    const char *nul = memchr(start, '\0', len - *pos);
    size_t n = nul ? (size_t)(nul - start) : len - *pos;
    *arg = start;
    *arg_len = n;
    *pos += n + 1; /* past the separator; > len after the last argument */
    return true;
}

int proc_parse_sys_stat(const char *buf, size_t len, struct proc_sys_stat_info *out)
{
    if (!buf)
        return -EINVAL;
    const char *le;
    uint64_t v;
    const char *p = find_key(buf, len, "btime ", &le);
    if (!p || le == buf + len || parse_line_u64s(p, le, &v, 1))
        return -EINVAL;
    struct proc_sys_stat_info s = {.btime = v, .forks = 0};
    p = find_key(buf, len, "processes ", &le);
    if (p && le != buf + len && parse_line_u64s(p, le, &v, 1) == 0)
        s.forks = v;
    *out = s;
    return 0;
}

int proc_parse_loadavg(const char *buf, size_t len, struct proc_loadavg_info *out)
{
    if (!buf || !ends_line(buf, len))
        return -EINVAL;
    struct cursor c = {buf, buf + len};
    for (int i = 0; i < 3; i++) { /* the three load averages, "0.55" */
        skip_blanks(&c);
        const char *start = c.p;
        while (c.p < c.end && ((*c.p >= '0' && *c.p <= '9') || *c.p == '.'))
            c.p++;
        if (c.p == start || c.p == c.end || *c.p != ' ')
            return -EINVAL;
    }
    uint64_t running, total, last;
    skip_blanks(&c);
    const char *slash = memchr(c.p, '/', (size_t)(c.end - c.p));
    if (!slash)
        return -EINVAL;
    struct cursor num = {c.p, slash};
    if (next_u64(&num, &running) || num.p != slash)
        return -EINVAL;
    c.p = slash + 1;
    if (c.p < c.end && (*c.p < '0' || *c.p > '9'))
        return -EINVAL;
    if (next_u64(&c, &total) || next_u64(&c, &last))
        return -EINVAL;
    skip_blanks(&c);
    if (c.p + 1 != c.end || running > UINT_MAX || total > UINT_MAX || last > INT_MAX)
        return -EINVAL;
    out->running = (unsigned)running;
    out->total = (unsigned)total;
    out->last_pid = (pid_t)last;
    return 0;
}
