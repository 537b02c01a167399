/* A growable byte buffer for building output (JSON lines, text tables, metrics pages)
 * before writing it in one go. Allocation failure aborts through xalloc. */
#ifndef VIGIL_STRBUF_H
#define VIGIL_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
    char *data; /* owned; NUL-terminated whenever cap > 0 */
    size_t len; /* bytes in data, not counting the NUL */
    size_t cap;
};

void strbuf_init(struct strbuf *b);
void strbuf_done(struct strbuf *b);  /* frees data; NULL-safe */
void strbuf_reset(struct strbuf *b); /* len = 0, keeps the memory */
void strbuf_reserve(struct strbuf *b, size_t extra);

void strbuf_append(struct strbuf *b, const void *p, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Appends n bytes of text from the system (process names, user names) so that it can be
 * shown on a terminal: control characters become C escapes ("\n", "\t", "\x1b"), bytes
 * that are not valid UTF-8 become "\xNN"; printable text and valid UTF-8 are kept. A
 * backslash is kept as is, so the escaping is for showing, not for reversing. */
void strbuf_append_visible(struct strbuf *b, const char *s, size_t n);

#endif
