/* The help screen's content: every key the monitor answers to. Data, so the help screen
 * and the test that checks it against the interface contract read the same table. */
#ifndef VIGIL_UI_HELP_H
#define VIGIL_UI_HELP_H

#include <stddef.h>

struct help_entry {
    const char *keys; /* NULL keys: a section heading in what */
    const char *what;
};

extern const struct help_entry help_entries[];
extern const size_t help_count;

#endif
