/* The "details" object of `vigil --batch --format json --pid PID --details`: every section
 * of the process inspector, as documented in doc/details.md. */
#ifndef VIGIL_OUTPUT_DETAILS_H
#define VIGIL_OUTPUT_DETAILS_H

#include "json.h"
#include "probe/details.h"

/* Writes d as one JSON object value (the caller writes the "details" key before it). */
void output_json_details(struct json_writer *w, const struct proc_details *d);

#endif
