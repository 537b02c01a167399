#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void json_writer_init(struct json_writer *w, struct strbuf *out)
{
    memset(w, 0, sizeof(*w));
    w->out = out;
}

/* Comma memory of the current level; levels past the limit share the deepest slot. */
static bool *json_level(struct json_writer *w)
{
    return &w->has_items[w->depth < JSON_MAX_DEPTH ? w->depth : JSON_MAX_DEPTH];
}

/* Separator before a value or key at the current level. */
static void json_sep(struct json_writer *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (*json_level(w))
        strbuf_putc(w->out, ',');
    *json_level(w) = true;
}

static void json_open(struct json_writer *w, char c)
{
    json_sep(w);
    strbuf_putc(w->out, c);
    w->depth++;
    *json_level(w) = false;
}

static void json_close(struct json_writer *w, char c)
{
    strbuf_putc(w->out, c);
    if (w->depth > 0)
        w->depth--;
    if (w->depth >= JSON_MAX_DEPTH)
        *json_level(w) = true; /* the shared slot: the closed value was an item here */
}

void json_obj_begin(struct json_writer *w)
{
    json_open(w, '{');
}

void json_obj_end(struct json_writer *w)
{
    json_close(w, '}');
}

void json_arr_begin(struct json_writer *w)
{
    json_open(w, '[');
}

void json_arr_end(struct json_writer *w)
{
    json_close(w, ']');
}

void json_key(struct json_writer *w, const char *key)
{
    json_sep(w);
    json_escape(w->out, key, strlen(key));
    strbuf_putc(w->out, ':');
    w->after_key = true;
}

void json_str(struct json_writer *w, const char *s, size_t len)
{
    json_sep(w);
    json_escape(w->out, s, len);
}

void json_cstr(struct json_writer *w, const char *s)
{
    if (!s) {
        json_null(w);
        return;
    }
    json_str(w, s, strlen(s));
}

void json_int(struct json_writer *w, int64_t v)
{
    json_sep(w);
    strbuf_printf(w->out, "%" PRId64, v);
}

void json_uint(struct json_writer *w, uint64_t v)
{
    json_sep(w);
    strbuf_printf(w->out, "%" PRIu64, v);
}

void json_double(struct json_writer *w, double v)
{
    json_sep(w);
    json_format_double(w->out, v);
}

void json_bool(struct json_writer *w, bool v)
{
    json_sep(w);
    strbuf_puts(w->out, v ? "true" : "false");
}

void json_null(struct json_writer *w)
{
    json_sep(w);
    strbuf_puts(w->out, "null");
}

void json_escape(struct strbuf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;

    strbuf_reserve(b, len + 2);
    strbuf_putc(b, '"');
    while (i < len) {
        size_t run = i;
        /* copy plain printable ASCII in runs: the common case */
        while (run < len && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' && u[run] != '\\')
            run++;
        if (run > i) {
            strbuf_append(b, u + i, run - i);
            i = run;
            continue;
        }
        unsigned char c = u[i];
        if (c >= 0x80) {
            size_t bad = 0, n = utf8_sequence_len(u + i, len - i, &bad);
            if (n) {
                strbuf_append(b, u + i, n);
                i += n;
            } else {
                strbuf_puts(b, "\\ufffd");
                i += bad;
            }
            continue;
        }
        switch (c) {
        case '"':
            strbuf_puts(b, "\\\"");
            break;
        case '\\':
            strbuf_puts(b, "\\\\");
            break;
        case '\n':
            strbuf_puts(b, "\\n");
            break;
        case '\t':
            strbuf_puts(b, "\\t");
            break;
        case '\r':
            strbuf_puts(b, "\\r");
            break;
        case '\b':
            strbuf_puts(b, "\\b");
            break;
        case '\f':
            strbuf_puts(b, "\\f");
            break;
        default: {
            char esc[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
            strbuf_puts(b, esc);
        }
        }
        i++;
    }
    strbuf_putc(b, '"');
}

/* printf's %g follows LC_NUMERIC; JSON wants '.' whatever the UI set the locale to. */
static void json_fix_decimal_point(char *s)
{
    for (; *s; s++) {
        if (!(*s >= '0' && *s <= '9') && *s != '-' && *s != '+' && *s != 'e')
            *s = '.';
    }
}

void json_format_double(struct strbuf *b, double v)
{
    char buf[40];
    if (!isfinite(v)) {
        strbuf_puts(b, "null");
        return;
    }
    if (v == 0)
        v = 0; /* -0.0 prints as 0.0 */
    /* Shortest of %.15g..%.17g that reads back exactly: 1764110000.123 stays short. */
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    json_fix_decimal_point(buf);
    strbuf_puts(b, buf);
    if (!strpbrk(buf, ".e"))
        strbuf_puts(b, ".0");
}
