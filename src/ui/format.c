#include "ui/format.h"

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "probe/snapshot.h"

static size_t put(char *buf, size_t cap, int n)
{
    if (cap == 0)
        return 0;
    if (n < 0) {
        buf[0] = '\0';
        return 0;
    }
    return (size_t)n < cap ? (size_t)n : cap - 1;
}

/* Scales v by 1024 until it prints in three digits; unit indexes units[]. */
static size_t scaled(char *buf, size_t cap, double v, const char *units, size_t n_units,
                     const char *suffix)
{
    size_t u = 0;
    while (v >= 999.5 && u + 1 < n_units) {
        v /= 1024.0;
        u++;
    }
    if (v < 9.95 && (u > 0 || units[0] != 'B'))
        return put(buf, cap, snprintf(buf, cap, "%.1f%c%s", v, units[u], suffix));
    return put(buf, cap, snprintf(buf, cap, "%.0f%c%s", v, units[u], suffix));
}

size_t fmt_mem(char *buf, size_t cap, uint64_t bytes)
{
    if (bytes == 0)
        return put(buf, cap, snprintf(buf, cap, "0"));
    return scaled(buf, cap, (double)bytes / 1024.0, "KMGTPE", 6, "");
}

size_t fmt_rate(char *buf, size_t cap, double bytes_per_s)
{
    if (!(bytes_per_s >= 0)) /* negative or NaN */
        return put(buf, cap, snprintf(buf, cap, "n/a"));
    return scaled(buf, cap, bytes_per_s, "BKMGTPE", 7, "/s");
}

size_t fmt_count(char *buf, size_t cap, uint64_t n)
{
    if (n < 100000)
        return put(buf, cap, snprintf(buf, cap, "%llu", (unsigned long long)n));
    static const char units[] = "kMGTPE";
    double v = (double)n / 1000.0;
    size_t u = 0;
    while (v >= 999.5 && u + 1 < sizeof(units) - 1) {
        v /= 1000.0;
        u++;
    }
    if (v < 9.95)
        return put(buf, cap, snprintf(buf, cap, "%.1f%c", v, units[u]));
    return put(buf, cap, snprintf(buf, cap, "%.0f%c", v, units[u]));
}

size_t fmt_time_plus(char *buf, size_t cap, double seconds)
{
    if (!(seconds >= 0) || seconds > 1e12)
        return put(buf, cap, snprintf(buf, cap, "?"));
    long long cs = (long long)(seconds * 100.0 + 0.5); /* llround for 0..1e14 */
    if (cs < 360000LL)
        return put(
            buf, cap,
            snprintf(buf, cap, "%lld:%02d.%02d", cs / 6000, (int)(cs / 100 % 60), (int)(cs % 100)));
    long long s = cs / 100;
    if (s < 86400)
        return put(
            buf, cap,
            snprintf(buf, cap, "%lldh%02d:%02d", s / 3600, (int)(s / 60 % 60), (int)(s % 60)));
    return put(buf, cap, snprintf(buf, cap, "%lldd%02dh", s / 86400, (int)(s / 3600 % 24)));
}

size_t fmt_uptime(char *buf, size_t cap, double seconds)
{
    if (!(seconds >= 0) || seconds > 1e12)
        return put(buf, cap, snprintf(buf, cap, "?"));
    long long s = (long long)seconds;
    long long days = s / 86400;
    int h = (int)(s / 3600 % 24), m = (int)(s / 60 % 60), sec = (int)(s % 60);
    if (days == 0)
        return put(buf, cap, snprintf(buf, cap, "%02d:%02d:%02d", h, m, sec));
    return put(
        buf, cap,
        snprintf(buf, cap, "%lld day%s, %02d:%02d:%02d", days, days == 1 ? "" : "s", h, m, sec));
}

size_t fmt_percent(char *buf, size_t cap, double pct)
{
    if (!(pct >= 0))
        pct = 0;
    if (pct < 99.95)
        return put(buf, cap, snprintf(buf, cap, "%.1f", pct));
    if (pct >= 99999.5)
        pct = 99999;
    return put(buf, cap, snprintf(buf, cap, "%.0f", pct));
}

size_t fmt_ionice(char *buf, size_t cap, int cls, int level)
{
    switch (cls) {
    case IONICE_NONE:
        return put(buf, cap, snprintf(buf, cap, "none"));
    case IONICE_IDLE:
        return put(buf, cap, snprintf(buf, cap, "idle"));
    case IONICE_REALTIME:
    case IONICE_BEST_EFFORT: {
        const char *c = cls == IONICE_REALTIME ? "rt" : "be";
        if (level < 0 || level > 7)
            return put(buf, cap, snprintf(buf, cap, "%s", c));
        return put(buf, cap, snprintf(buf, cap, "%s/%d", c, level));
    }
    default:
        return put(buf, cap, snprintf(buf, cap, "?"));
    }
}

size_t fmt_speed(char *buf, size_t cap, int64_t mbps)
{
    if (mbps < 0)
        return put(buf, cap, snprintf(buf, cap, "?"));
    if (mbps < 1000)
        return put(buf, cap, snprintf(buf, cap, "%lldM", (long long)mbps));
    if (mbps % 1000 == 0)
        return put(buf, cap, snprintf(buf, cap, "%lldG", (long long)(mbps / 1000)));
    return put(buf, cap, snprintf(buf, cap, "%.1fG", (double)mbps / 1000.0));
}

size_t fmt_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    unsigned char c = s[0];
    size_t len;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if ((c & 0xE0) == 0xC0) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if ((c & 0xF0) == 0xE0) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if ((c & 0xF8) == 0xF0) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* Code points that reorder or hide text (Trojan Source) are shown, never obeyed. */
static bool is_bidi_or_separator(uint32_t cp)
{
    return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

size_t fmt_escape(char *dst, size_t cap, const char *src, size_t len, bool utf8, bool nul_as_space,
                  int max_cols, int *cols, bool *clipped)
{
    size_t out = 0;
    int used = 0;
    bool clip = false;
    if (cap == 0) {
        if (cols)
            *cols = 0;
        if (clipped)
            *clipped = len > 0;
        return 0;
    }
    const unsigned char *s = (const unsigned char *)src;
    size_t i = 0;
    while (i < len) {
        char piece[16];
        size_t plen;
        int w;
        size_t step = 1;
        unsigned char c = s[i];
        if (c >= 0x20 && c < 0x7F) {
            piece[0] = (char)c;
            plen = 1;
            w = 1;
        } else if (c == 0 && nul_as_space) {
            piece[0] = ' ';
            plen = 1;
            w = 1;
        } else if (c < 0x80) {
            const char *name = c == '\n'   ? "\\n"
                               : c == '\t' ? "\\t"
                               : c == '\r' ? "\\r"
                               : c == 0x1B ? "\\e"
                                           : NULL;
            if (name)
                plen = (size_t)snprintf(piece, sizeof(piece), "%s", name);
            else
                plen = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", c);
            w = (int)plen;
        } else {
            uint32_t cp = 0;
            size_t n = utf8 ? fmt_utf8_decode(s + i, len - i, &cp) : 0;
            if (n == 0) {
                plen = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", c);
                w = (int)plen;
            } else {
                int cw = (cp >= 0x80 && cp < 0xA0) || is_bidi_or_separator(cp)
                             ? -1
                             : wcwidth((wchar_t)cp);
                if (cw < 0) {
                    plen = (size_t)snprintf(piece, sizeof(piece), "\\u{%04x}", (unsigned)cp);
                    w = (int)plen;
                } else {
                    memcpy(piece, s + i, n);
                    plen = n;
                    w = cw;
                }
                step = n;
            }
        }
        if (used + w > max_cols || out + plen + 1 > cap) {
            clip = true;
            break;
        }
        memcpy(dst + out, piece, plen);
        out += plen;
        used += w;
        i += step;
    }
    dst[out] = '\0';
    if (cols)
        *cols = used;
    if (clipped)
        *clipped = clip;
    return out;
}

int fmt_width(const char *s, bool utf8)
{
    if (!utf8)
        return (int)strlen(s);
    int w = 0;
    size_t len = strlen(s);
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = fmt_utf8_decode(u + i, len - i, &cp);
        if (n == 0) {
            w++;
            i++;
            continue;
        }
        int cw = wcwidth((wchar_t)cp);
        w += cw > 0 ? cw : 0;
        i += n;
    }
    return w;
}

size_t fmt_clip(char *dst, size_t cap, const char *src, bool utf8, int max_cols)
{
    if (cap == 0)
        return 0;
    size_t len = strlen(src), out = 0;
    int used = 0;
    const unsigned char *u = (const unsigned char *)src;
    for (size_t i = 0; i < len;) {
        uint32_t cp = u[i];
        size_t n = utf8 ? fmt_utf8_decode(u + i, len - i, &cp) : 1;
        if (n == 0)
            n = 1;
        int cw = cp < 0x80 ? 1 : (utf8 ? wcwidth((wchar_t)cp) : 1);
        if (cw < 0)
            cw = 1;
        if (used + cw > max_cols || out + n + 1 > cap)
            break;
        memcpy(dst + out, src + i, n);
        out += n;
        used += cw;
        i += n;
    }
    dst[out] = '\0';
    return out;
}
