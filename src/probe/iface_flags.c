/* STUB: replaced by the interface flag names. */
#include "probe/snapshot.h"

size_t iface_flag_names(unsigned flags, const char **names, size_t cap)
{
    (void)flags;
    (void)names;
    (void)cap;
    return 0;
}
