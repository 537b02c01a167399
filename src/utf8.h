/* UTF-8 validation shared by the JSON writer and the text escaper. Pure. */
#ifndef VIGIL_UTF8_H
#define VIGIL_UTF8_H

#include <stddef.h>

/* Length (1..4) of the well-formed UTF-8 sequence at s, looking at most n (> 0) bytes, or
 * 0 when the bytes there are not one: a stray continuation byte, C0/C1, F5..FF, an
 * overlong form, a surrogate, a code point beyond U+10FFFF or a truncated sequence. Then
 * *bad_len (>= 1) is the length of the maximal ill-formed subpart that one U+FFFD
 * replaces (Unicode 3.9 "maximal subpart" practice, the same as Python's
 * errors="replace"). */
size_t utf8_sequence_len(const unsigned char *s, size_t n, size_t *bad_len);

#endif
