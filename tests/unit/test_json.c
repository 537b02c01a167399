/* JSON writer: string escaping (with a decoder that parses the output back), numbers,
 * and comma placement in nested values. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "strbuf.h"
#include "utf8.h"

/* Escapes len bytes of s and returns the JSON text (caller frees). */
static char *escape(const char *s, size_t len)
{
    struct strbuf b;
    strbuf_init(&b);
    json_escape(&b, s, len);
    return b.data;
}

static void put_utf8(struct strbuf *b, unsigned cp)
{
    if (cp < 0x80) {
        strbuf_putc(b, (char)cp);
    } else if (cp < 0x800) {
        strbuf_putc(b, (char)(0xc0 | cp >> 6));
        strbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
    } else {
        strbuf_putc(b, (char)(0xe0 | cp >> 12));
        strbuf_putc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
        strbuf_putc(b, (char)(0x80 | (cp & 0x3f)));
    }
}

/* A strict decoder for one JSON string (RFC 8259 section 7) that rejects what a parser
 * would: raw control characters, unknown escapes, a missing quote, invalid UTF-8.
 * Returns the decoded bytes (caller frees) and their length, or NULL. */
static char *decode(const char *json, size_t *out_len)
{
    struct strbuf b;
    strbuf_init(&b);
    strbuf_reserve(&b, 1);
    const unsigned char *p = (const unsigned char *)json;
    if (*p++ != '"')
        goto bad;
    for (;;) {
        unsigned char c = *p;
        if (c == '"') {
            if (p[1] != '\0')
                goto bad;
            break;
        }
        if (c < 0x20)
            goto bad; /* includes the terminating NUL: unterminated */
        if (c == '\\') {
            p++;
            switch (*p) {
            case '"':
            case '\\':
            case '/':
                strbuf_putc(&b, (char)*p);
                break;
            case 'n':
                strbuf_putc(&b, '\n');
                break;
            case 't':
                strbuf_putc(&b, '\t');
                break;
            case 'r':
                strbuf_putc(&b, '\r');
                break;
            case 'b':
                strbuf_putc(&b, '\b');
                break;
            case 'f':
                strbuf_putc(&b, '\f');
                break;
            case 'u': {
                char hex[5] = {0};
                memcpy(hex, p + 1, 4);
                if (strspn(hex, "0123456789abcdefABCDEF") != 4)
                    goto bad;
                unsigned cp = (unsigned)strtoul(hex, NULL, 16);
                if (cp >= 0xd800 && cp <= 0xdfff)
                    goto bad; /* never written by vigil */
                put_utf8(&b, cp);
                p += 4;
                break;
            }
            default:
                goto bad;
            }
            p++;
            continue;
        }
        size_t bad_len, n = utf8_sequence_len(p, strlen((const char *)p), &bad_len);
        if (!n)
            goto bad;
        strbuf_append(&b, p, n);
        p += n;
    }
    *out_len = b.len;
    return b.data;
bad:
    strbuf_done(&b);
    return NULL;
}

#define FFFD "\xef\xbf\xbd"

struct esc_case {
    const char *in;
    size_t in_len;
    const char *json;    /* exact output */
    const char *decoded; /* what a parser reads back */
    size_t decoded_len;
};

#define CASE(in, json, dec)                                                                        \
    {                                                                                              \
        in, sizeof(in) - 1, json, dec, sizeof(dec) - 1                                             \
    }

static const struct esc_case esc_cases[] = {
    CASE("plain", "\"plain\"", "plain"),
    CASE("", "\"\"", ""),
    CASE("a\"b", "\"a\\\"b\"", "a\"b"),
    CASE("back\\slash", "\"back\\\\slash\"", "back\\slash"),
    CASE("a b) (c", "\"a b) (c\"", "a b) (c"),
    CASE("\n\t\r\b\f", "\"\\n\\t\\r\\b\\f\"", "\n\t\r\b\f"),
    CASE("\x01", "\"\\u0001\"", "\x01"),
    CASE("\x1b[31m", "\"\\u001b[31m\"", "\x1b[31m"),
    CASE("\x1f", "\"\\u001f\"", "\x1f"),
    CASE("a\0b", "\"a\\u0000b\"", "a\0b"),
    CASE("del\x7f", "\"del\x7f\"", "del\x7f"), /* DEL is legal in JSON strings */
    CASE("/", "\"/\"", "/"),
    /* valid multibyte kept as is: 2, 3 and 4 bytes, U+FFFF, C1 control U+0080 */
    CASE("\xc3\xa9t\xc3\xa9", "\"\xc3\xa9t\xc3\xa9\"", "\xc3\xa9t\xc3\xa9"),
    CASE("\xe2\x82\xac", "\"\xe2\x82\xac\"", "\xe2\x82\xac"),
    CASE("\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"", "\xf0\x9f\x98\x80"),
    CASE("\xef\xbf\xbf", "\"\xef\xbf\xbf\"", "\xef\xbf\xbf"),
    CASE("\xc2\x80", "\"\xc2\x80\"", "\xc2\x80"),
    /* invalid: each maximal ill-formed subpart is one U+FFFD, as Python's "replace" */
    CASE("\xff", "\"\\ufffd\"", FFFD),
    CASE("a\xff"
         "b",
         "\"a\\ufffdb\"", "a" FFFD "b"),
    CASE("\x80\x80", "\"\\ufffd\\ufffd\"", FFFD FFFD),
    CASE("\xc0\xaf", "\"\\ufffd\\ufffd\"", FFFD FFFD),                 /* overlong '/' */
    CASE("\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"", FFFD FFFD FFFD), /* overlong */
    CASE("\xf0\x8f\xbf\xbf", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", FFFD FFFD FFFD FFFD),
    CASE("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"", FFFD FFFD FFFD), /* surrogate */
    CASE("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"", FFFD FFFD FFFD FFFD),
    CASE("\xe2\x82", "\"\\ufffd\"", FFFD), /* truncated at the end */
    CASE("\xe2\x82"
         "a",
         "\"\\ufffda\"", FFFD "a"), /* truncated before ASCII */
    CASE("\xf0\x9f\x98", "\"\\ufffd\"", FFFD),
    CASE("\xf1\x80\x80\xc0", "\"\\ufffd\\ufffd\"", FFFD FFFD),
    CASE("\xc2", "\"\\ufffd\"", FFFD),
    CASE("\xf8\x88\x80\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\"",
         FFFD FFFD FFFD FFFD FFFD),
    CASE("q\"\\\n\xff", "\"q\\\"\\\\\\n\\ufffd\"", "q\"\\\n" FFFD),
};

START_TEST(test_escape_cases)
{
    const struct esc_case *c = &esc_cases[_i];
    char *json = escape(c->in, c->in_len);
    ck_assert_str_eq(json, c->json);
    size_t len = 0;
    char *back = decode(json, &len);
    ck_assert_msg(back != NULL, "case %d does not parse back: %s", _i, json);
    ck_assert_uint_eq(len, c->decoded_len);
    ck_assert_mem_eq(back, c->decoded, len);
    free(back);
    free(json);
}
END_TEST

/* Every byte string of length 1..3 over an alphabet of tricky bytes stays valid JSON. */
START_TEST(test_escape_exhaustive_valid)
{
    static const unsigned char alphabet[] = {0x00, 0x01, 0x1f, '"',  '\\', 'a',  0x7f,
                                             0x80, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed,
                                             0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0};
    const size_t n = sizeof(alphabet);
    for (size_t a = 0; a < n; a++) {
        for (size_t b = 0; b < n; b++) {
            for (size_t c = 0; c < n; c++) {
                char in[3] = {(char)alphabet[a], (char)alphabet[b], (char)alphabet[c]};
                for (size_t len = 1; len <= 3; len++) {
                    char *json = escape(in, len);
                    size_t out_len;
                    char *back = decode(json, &out_len);
                    ck_assert_msg(back != NULL, "not valid JSON: %s", json);
                    free(back);
                    free(json);
                }
            }
        }
    }
}
END_TEST

static char *fmt_double(double v)
{
    struct strbuf b;
    strbuf_init(&b);
    json_format_double(&b, v);
    return b.data;
}

START_TEST(test_doubles)
{
    static const struct {
        double v;
        const char *text;
    } cases[] = {
        {0.0, "0.0"},
        {-0.0, "0.0"},
        {1.5, "1.5"},
        {100.0, "100.0"},
        {0.1, "0.1"},
        {-12.25, "-12.25"},
        {1764110000.123, "1764110000.123"},
        {1764100000.0, "1764100000.0"},
        {1e300, "1e+300"},
        {1.0 / 3.0, "0.3333333333333333"},
        {18446744073709551616.0, "1.8446744073709552e+19"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *s = fmt_double(cases[i].v);
        ck_assert_str_eq(s, cases[i].text);
        free(s);
    }
    char *s = fmt_double(NAN);
    ck_assert_str_eq(s, "null");
    free(s);
    s = fmt_double(INFINITY);
    ck_assert_str_eq(s, "null");
    free(s);
    s = fmt_double(-INFINITY);
    ck_assert_str_eq(s, "null");
    free(s);
}
END_TEST

/* Round trip: whatever the value, the text reads back as exactly the same double. */
START_TEST(test_doubles_round_trip)
{
    srand(7);
    for (int i = 0; i < 2000; i++) {
        double v = ((double)rand() / RAND_MAX - 0.5) * pow(10, rand() % 40 - 20);
        char *s = fmt_double(v);
        ck_assert_msg(strpbrk(s, ".e") != NULL, "%s has no '.' or exponent", s);
        ck_assert_msg(strtod(s, NULL) == v, "%s does not read back as %.17g", s, v);
        free(s);
    }
}
END_TEST

START_TEST(test_writer_nesting)
{
    struct strbuf b;
    struct json_writer w;
    strbuf_init(&b);
    json_writer_init(&w, &b);
    json_obj_begin(&w);
    json_key(&w, "a");
    json_int(&w, -1);
    json_key(&w, "b");
    json_arr_begin(&w);
    json_uint(&w, UINT64_MAX);
    json_bool(&w, true);
    json_obj_begin(&w);
    json_key(&w, "c");
    json_null(&w);
    json_obj_end(&w);
    json_arr_begin(&w);
    json_arr_end(&w);
    json_cstr(&w, NULL);
    json_cstr(&w, "x\"");
    json_arr_end(&w);
    json_key(&w, "d");
    json_obj_begin(&w);
    json_obj_end(&w);
    json_key(&w, "e");
    json_double(&w, 2.0);
    json_key(&w, "f");
    json_str(&w, "n\0l", 3);
    json_obj_end(&w);
    ck_assert_str_eq(b.data, "{\"a\":-1,\"b\":[18446744073709551615,true,{\"c\":null},[],null,"
                             "\"x\\\"\"],\"d\":{},\"e\":2.0,\"f\":\"n\\u0000l\"}");
    ck_assert_uint_eq(w.depth, 0);
    strbuf_done(&b);
}
END_TEST

/* Deeper than the writer's comma memory: still [[1,2],[1,2]] at every level. */
START_TEST(test_writer_deep)
{
    struct strbuf b, want;
    struct json_writer w;
    const int depth = JSON_MAX_DEPTH + 8;
    strbuf_init(&b);
    strbuf_init(&want);
    json_writer_init(&w, &b);
    for (int i = 0; i < depth; i++) {
        json_arr_begin(&w);
        json_int(&w, i);
        strbuf_printf(&want, "[%d,", i);
    }
    for (int i = depth - 1; i >= 0; i--) {
        json_int(&w, -i);
        json_arr_end(&w);
        strbuf_printf(&want, "%d]", -i);
        if (i > 0)
            strbuf_putc(&want, ',');
    }
    ck_assert_str_eq(b.data, want.data);
    strbuf_done(&b);
    strbuf_done(&want);
}
END_TEST

START_TEST(test_strbuf)
{
    struct strbuf b;
    strbuf_init(&b);
    for (int i = 0; i < 1000; i++)
        strbuf_printf(&b, "%04d", i);
    ck_assert_uint_eq(b.len, 4000);
    ck_assert_int_eq(strncmp(b.data + 3996, "0999", 4), 0);
    ck_assert_int_eq(b.data[4000], '\0');
    strbuf_reset(&b);
    ck_assert_uint_eq(b.len, 0);
    ck_assert_str_eq(b.data, "");
    char big[3000];
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    strbuf_printf(&b, "<%s>", big);
    ck_assert_uint_eq(b.len, sizeof(big) + 1);
    ck_assert_int_eq(b.data[0], '<');
    ck_assert_int_eq(b.data[b.len - 1], '>');
    strbuf_done(&b);
    strbuf_done(&b); /* done twice is harmless */
    strbuf_done(NULL);
}
END_TEST

START_TEST(test_visible)
{
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } cases[] = {
        {"plain", 5, "plain"},         {"a\nb", 3, "a\\nb"},
        {"\t\r", 2, "\\t\\r"},         {"\x1b[2J", 4, "\\e[2J"},
        {"\x01\x7f", 2, "\\x01\\x7f"}, {"q\"\\", 3, "q\"\\"},
        {"\xff", 1, "\\xff"},          {"\xe2\x82", 2, "\\xe2\\x82"},
        {"\xc3\xa9", 2, "\xc3\xa9"},   {"\xf0\x9f\x98\x80", 4, "\xf0\x9f\x98\x80"},
        {"\xc2\x9b", 2, "\\u009b"}, /* C1 CSI */
        {"a\0b", 3, "a\\x00b"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct strbuf b;
        strbuf_init(&b);
        strbuf_append_visible(&b, cases[i].in, cases[i].len);
        ck_assert_str_eq(b.data ? b.data : "", cases[i].out);
        strbuf_done(&b);
    }
}
END_TEST

static Suite *json_suite(void)
{
    Suite *s = suite_create("json");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_escape_cases, 0, (int)(sizeof(esc_cases) / sizeof(esc_cases[0])));
    tcase_add_test(tc, test_escape_exhaustive_valid);
    tcase_add_test(tc, test_doubles);
    tcase_add_test(tc, test_doubles_round_trip);
    tcase_add_test(tc, test_writer_nesting);
    tcase_add_test(tc, test_writer_deep);
    tcase_add_test(tc, test_strbuf);
    tcase_add_test(tc, test_visible);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(json_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
