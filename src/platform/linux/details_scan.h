/* Private to the details parsers (details_parse.c, details_net_parse.c): small scanners
 * over a buffer [p, end), none of which reads past end or needs a NUL. */
#ifndef VIGIL_DETAILS_SCAN_H
#define VIGIL_DETAILS_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The next token separated by blanks (not crossing the end of the line when end is the
 * line's end). false when there is none. */
static inline bool next_token(const char **p, const char *end, const char **tok, size_t *len)
{
    const char *s = *p;
    while (s < end && is_space(*s))
        s++;
    if (s >= end)
        return false;
    const char *e = s;
    while (e < end && !is_space(*e))
        e++;
    *tok = s;
    *len = (size_t)(e - s);
    *p = e;
    return true;
}

/* Splits off the next line of [*p, end) (without its '\n'); false at the end. */
static inline bool next_line(const char **p, const char *end, const char **line, const char **lend)
{
    if (*p >= end)
        return false;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    *line = *p;
    *lend = nl ? nl : end;
    *p = nl ? nl + 1 : end;
    return true;
}

static inline bool parse_u64(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 20)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static inline bool parse_i64(const char *s, size_t len, int64_t *out)
{
    bool neg = len > 0 && s[0] == '-';
    uint64_t v;
    if (!parse_u64(s + neg, len - neg, &v) || v > (uint64_t)INT64_MAX)
        return false;
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

static inline bool parse_hex(const char *s, size_t len, uint64_t *out)
{
    if (len == 0 || len > 16)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            d = (unsigned)(c - 'A' + 10);
        else
            return false;
        v = v << 4 | d;
    }
    *out = v;
    return true;
}

static inline bool tok_is(const char *tok, size_t len, const char *word)
{
    size_t n = strlen(word);
    return len == n && memcmp(tok, word, n) == 0;
}

/* "Key:" at the start of [line, lend): the rest after the colon in *rest. */
static inline bool line_key(const char *line, const char *lend, const char *key, const char **rest)
{
    size_t n = strlen(key);
    if ((size_t)(lend - line) <= n || memcmp(line, key, n) != 0 || line[n] != ':')
        return false;
    *rest = line + n + 1;
    return true;
}

/* "   1234 kB" -> bytes. */
static inline bool parse_kb(const char *p, const char *end, int64_t *out)
{
    const char *tok;
    size_t len;
    uint64_t v;
    if (!next_token(&p, end, &tok, &len) || !parse_u64(tok, len, &v))
        return false;
    const char *unit;
    size_t ulen;
    if (next_token(&p, end, &unit, &ulen) && !tok_is(unit, ulen, "kB"))
        return false;
    if (v > (uint64_t)INT64_MAX / 1024)
        return false;
    *out = (int64_t)(v * 1024);
    return true;
}

#endif
