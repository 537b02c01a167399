/* `vigil --batch`: sample, print, repeat; no terminal needed. */
#ifndef VIGIL_BATCH_H
#define VIGIL_BATCH_H

#include "cli.h"

/* Prints opts->iterations snapshots, one per opts->delay, in opts->format, after a
 * priming sample so that the first one's rates are real. Returns the exit status: 0, or
 * 1 when /proc cannot be read or standard output fails. A closed pipe on standard output
 * (`vigil --batch | head -1`) ends the run quietly with 0. */
int batch_run(const struct options *opts);

#endif
