#include "inifile.h"

#include <ini.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum line_kind { LINE_IGNORED, LINE_PAIR };

struct ini_state {
    FILE *f;
    const char *name;
    const struct inifile_callbacks *cb;
    int line;
    enum line_kind kind;
    bool handled;     /* the handler saw the current LINE_PAIR */
    bool section_bad; /* pairs under an unknown section are skipped quietly */
    int problems;
    char *buf;
    size_t cap;
};

static struct {
    int n;
    char first[256];
} printed;

void inifile_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("vigil: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    if (printed.n++ == 0) {
        va_start(ap, fmt);
        vsnprintf(printed.first, sizeof(printed.first), fmt, ap);
        va_end(ap);
    }
}

int inifile_problems(char *buf, size_t cap)
{
    if (cap)
        snprintf(buf, cap, "%s", printed.n ? printed.first : "");
    return printed.n;
}

void inifile_problems_clear(void)
{
    printed.n = 0;
    printed.first[0] = '\0';
}

static void report(struct ini_state *st, const char *msg)
{
    st->problems++;
    if (st->cb->report) {
        st->cb->report(st->cb->report_ctx, st->name, st->line, msg);
    } else {
        inifile_note("%s:%d: %s", st->name, st->line, msg);
    }
}

/* inih calls the handler only for lines it parsed as name=value; a pair line that did not
 * reach it was malformed. */
static void finish_line(struct ini_state *st)
{
    if (st->kind == LINE_PAIR && !st->handled)
        report(st, "expected NAME = VALUE");
    st->kind = LINE_IGNORED;
}

static char *line_reader(char *str, int num, void *stream)
{
    struct ini_state *st = stream;
    finish_line(st);
    ssize_t got = getline(&st->buf, &st->cap, st->f);
    if (got < 0)
        return NULL;
    st->line++;
    size_t len = (size_t)got;
    while (len && (st->buf[len - 1] == '\n' || st->buf[len - 1] == '\r'))
        st->buf[--len] = '\0';
    str[0] = '\0';
    if (strlen(st->buf) != len) {
        report(st, "unexpected NUL byte; line skipped");
        return str;
    }
    char *s = st->buf;
    if (st->line == 1 && strncmp(s, "\xEF\xBB\xBF", 3) == 0)
        s += 3;
    s += strspn(s, " \t"); /* no continuation lines: indentation is just indentation */
    len = strlen(s);
    if (len + 2 > (size_t)num) {
        char msg[64];
        snprintf(msg, sizeof(msg), "line longer than %d characters; skipped", num - 2);
        report(st, msg);
        return str;
    }
    if (*s == '\0' || *s == ';' || *s == '#') {
        memcpy(str, s, len + 1);
        return str;
    }
    if (*s == '[') {
        char *end = strchr(s, ']');
        if (!end) {
            report(st, "expected ']' to close the section name");
            return str;
        }
        char section[128];
        const char *a = s + 1;
        a += strspn(a, " \t");
        size_t n = (size_t)(end - a);
        while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
            n--;
        if (n >= sizeof(section))
            n = sizeof(section) - 1;
        memcpy(section, a, n);
        section[n] = '\0';
        const char *msg = st->cb->section ? st->cb->section(st->cb->user, section) : NULL;
        st->section_bad = msg != NULL;
        if (msg)
            report(st, msg);
        memcpy(str, s, len + 1);
        return str;
    }
    st->kind = LINE_PAIR;
    st->handled = false;
    memcpy(str, s, len + 1);
    return str;
}

static int pair_handler(void *user, const char *section, const char *name, const char *value)
{
    struct ini_state *st = user;
    st->handled = true;
    if (st->section_bad)
        return 1;
    char msg[256];
    msg[0] = '\0';
    const char *err = st->cb->pair(st->cb->user, section, name, value, msg, sizeof(msg));
    if (err)
        report(st, err);
    return 1;
}

int inifile_parse(FILE *f, const char *name, const struct inifile_callbacks *cb)
{
    struct ini_state st = {.f = f, .name = name, .cb = cb, .kind = LINE_IGNORED};
    int rc = ini_parse_stream(line_reader, &st, pair_handler, &st);
    finish_line(&st);
    free(st.buf);
    if (rc == -2) {
        st.line = 0;
        report(&st, "out of memory");
    }
    return st.problems;
}

int inifile_parse_string(const char *text, const char *name, const struct inifile_callbacks *cb)
{
    if (!*text)
        return 0;
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    if (!f)
        return -1;
    int n = inifile_parse(f, name, cb);
    fclose(f);
    return n;
}

int inifile_bool(const char *value, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(value, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcasecmp(value, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return -1;
}
