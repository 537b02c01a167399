/* Text for the monitor's cells: sizes, rates, times, percentages, I/O priorities, and
 * escaping of untrusted names. Pure functions over caller buffers; no curses. Each writes
 * a NUL-terminated string (truncated to cap) and returns its length. */
#ifndef VIGIL_UI_FORMAT_H
#define VIGIL_UI_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes in at most 4 characters: "0", "512K", "9.8M", "123M", "1.2G", "16T". */
size_t fmt_mem(char *buf, size_t cap, uint64_t bytes);

/* Bytes per second: "0B/s", "512B/s", "1.2K/s", "38M/s"; "n/a" when negative. */
size_t fmt_rate(char *buf, size_t cap, double bytes_per_s);

/* A counter: exact below 100,000, then "123k", "4.5M", "12G". */
size_t fmt_count(char *buf, size_t cap, uint64_t n);

/* htop's TIME+: "1:23.45" under an hour, "3h05:12" under a day, "12d03h" beyond. */
size_t fmt_time_plus(char *buf, size_t cap, double seconds);

/* Uptime: "04:12:33", "1 day, 04:12:33", "12 days, 04:12:33". */
size_t fmt_uptime(char *buf, size_t cap, double seconds);

/* A percentage in at most 5 characters: "0.0", "12.3", "99.9", "123", "1600". */
size_t fmt_percent(char *buf, size_t cap, double pct);

/* I/O priority as the IO column shows it: "be/4", "rt/0", "idle", "none", "?" unknown. */
size_t fmt_ionice(char *buf, size_t cap, int cls, int level);

/* Link speed from Mb/s: "10M", "100M", "1G", "2.5G", "10G"; "?" when unknown (< 0). */
size_t fmt_speed(char *buf, size_t cap, int64_t mbps);

/* Escapes untrusted text for the terminal and clips it to max_cols display columns.
 * Control bytes become \n \t \r \e or \xNN, invalid UTF-8 bytes \xNN, unprintable or
 * bidirectional-control code points \u{XXXX}; when utf8 is false every byte >= 0x80 is
 * \xNN. NUL bytes become spaces when nul_as_space (command lines), else \x00. An escape
 * is never cut in half. *cols (may be NULL) receives the columns used; *clipped (may be
 * NULL) is set when not all of src fit. */
size_t fmt_escape(char *dst, size_t cap, const char *src, size_t len, bool utf8, bool nul_as_space,
                  int max_cols, int *cols, bool *clipped);

/* Decodes one UTF-8 sequence at s (n bytes available): returns its length (1..4) and the
 * code point in *cp, or 0 when the bytes are not valid UTF-8 (overlong, surrogate, too
 * large, truncated). */
size_t fmt_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Display columns of a string of already safe text (escaped or ASCII). */
int fmt_width(const char *s, bool utf8);

/* Copies already safe text, clipped to max_cols display columns. */
size_t fmt_clip(char *dst, size_t cap, const char *src, bool utf8, int max_cols);

#endif
