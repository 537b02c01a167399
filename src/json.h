/* A JSON writer into a strbuf: it places commas and colons itself, escapes strings
 * (invalid UTF-8 becomes U+FFFD, so the output is always valid JSON) and writes numbers
 * without locale surprises. Used by the batch JSON output and the details sections. */
#ifndef VIGIL_JSON_H
#define VIGIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Levels this deep and deeper share one comma slot; the output stays valid. */
#define JSON_MAX_DEPTH 32

struct json_writer {
    struct strbuf *out;                 /* borrowed */
    unsigned depth;                     /* open objects and arrays */
    bool has_items[JSON_MAX_DEPTH + 1]; /* per level: a value was written, next needs "," */
    bool after_key;                     /* a key was written; its value comes next */
};

void json_writer_init(struct json_writer *w, struct strbuf *out);

void json_obj_begin(struct json_writer *w);
void json_obj_end(struct json_writer *w);
void json_arr_begin(struct json_writer *w);
void json_arr_end(struct json_writer *w);
void json_key(struct json_writer *w, const char *key); /* key is trusted ASCII */

void json_str(struct json_writer *w, const char *s, size_t len);
void json_cstr(struct json_writer *w, const char *s); /* NULL writes null */
void json_int(struct json_writer *w, int64_t v);
void json_uint(struct json_writer *w, uint64_t v);
void json_double(struct json_writer *w, double v); /* NaN and infinities write null */
void json_bool(struct json_writer *w, bool v);
void json_null(struct json_writer *w);

/* Low level, no comma handling. json_escape appends s as a quoted JSON string: '"' and
 * '\\' escaped, control characters as \n \t \r \b \f or \u00XX, valid UTF-8 (and DEL)
 * kept, each maximal invalid UTF-8 subpart as \ufffd. */
void json_escape(struct strbuf *b, const char *s, size_t len);
/* The shortest decimal that reads back as v, always with a "." or an exponent (so
 * 0 is "0.0" and parsers see a float); "null" for NaN and infinities. */
void json_format_double(struct strbuf *b, double v);

#endif
