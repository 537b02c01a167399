#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"
#include "utf8.h"

void strbuf_init(struct strbuf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void strbuf_done(struct strbuf *b)
{
    if (!b)
        return;
    free(b->data);
    strbuf_init(b);
}

void strbuf_reset(struct strbuf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}

void strbuf_reserve(struct strbuf *b, size_t extra)
{
    if (b->cap && b->cap - b->len > extra)
        return; /* room for extra bytes and the NUL */
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len <= extra) {
        if (cap > ((size_t)-1) / 2)
            cap = b->len + extra + 1; /* xrealloc reports the impossible size */
        else
            cap *= 2;
    }
    b->data = xrealloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0';
}

void strbuf_append(struct strbuf *b, const void *p, size_t n)
{
    strbuf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void strbuf_puts(struct strbuf *b, const char *s)
{
    strbuf_append(b, s, strlen(s));
}

void strbuf_putc(struct strbuf *b, char c)
{
    strbuf_reserve(b, 1);
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    strbuf_reserve(b, 64);
    int n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        strbuf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
    }
    va_end(ap2);
    b->len += (size_t)n;
}

void strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

void strbuf_append_visible(struct strbuf *b, const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = u[i];
        size_t bad = 0, len = utf8_sequence_len(u + i, n - i, &bad);
        if (len == 0) {
            for (size_t k = 0; k < bad; k++)
                strbuf_printf(b, "\\x%02x", u[i + k]);
            i += bad;
            continue;
        }
        if (len > 1) {
            /* C1 controls (U+0080..U+009F) are as dangerous on a terminal as C0 ones */
            if (c == 0xc2 && u[i + 1] < 0xa0)
                strbuf_printf(b, "\\u%04x", u[i + 1]);
            else
                strbuf_append(b, u + i, len);
            i += len;
            continue;
        }
        switch (c) {
        case '\n':
            strbuf_puts(b, "\\n");
            break;
        case '\t':
            strbuf_puts(b, "\\t");
            break;
        case '\r':
            strbuf_puts(b, "\\r");
            break;
        case 0x1b:
            strbuf_puts(b, "\\e");
            break;
        default:
            if (c < 0x20 || c == 0x7f)
                strbuf_printf(b, "\\x%02x", c);
            else
                strbuf_putc(b, (char)c);
        }
        i++;
    }
}
