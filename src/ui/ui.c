/* STUB: replaced by the interactive monitor. */
#include "ui/ui.h"

#include <stdio.h>

int ui_run(const struct options *opts)
{
    (void)opts;
    fputs("vigil: the interactive monitor is not built yet; use --batch\n", stderr);
    return 2;
}
