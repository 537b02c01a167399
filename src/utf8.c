#include "utf8.h"

#include <stdbool.h>

/* Well-formed byte sequences, Unicode 15 table 3-7: the lead byte fixes the length and the
 * range allowed for the second byte; later bytes are always 80..BF. */
size_t utf8_sequence_len(const unsigned char *s, size_t n, size_t *bad_len)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xbf;

    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf) {
        need = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
        need = 3;
        if (c == 0xe0)
            lo = 0xa0; /* below is overlong */
        else if (c == 0xed)
            hi = 0x9f; /* above is a UTF-16 surrogate */
    } else if (c >= 0xf0 && c <= 0xf4) {
        need = 4;
        if (c == 0xf0)
            lo = 0x90; /* below is overlong */
        else if (c == 0xf4)
            hi = 0x8f; /* above is beyond U+10FFFF */
    } else {
        *bad_len = 1; /* continuation byte, C0, C1 or F5..FF */
        return 0;
    }
    for (size_t i = 1; i < need; i++) {
        bool ok = i < n && s[i] >= lo && s[i] <= hi;
        if (!ok) {
            *bad_len = i;
            return 0;
        }
        lo = 0x80;
        hi = 0xbf;
    }
    return need;
}
