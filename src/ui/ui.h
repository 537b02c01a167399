/* The interactive monitor. */
#ifndef VIGIL_UI_H
#define VIGIL_UI_H

#include "cli.h"

/* Runs the monitor until the user quits; returns the process exit status. The caller has
 * checked that standard input and output are a terminal. */
int ui_run(const struct options *opts);

#endif
