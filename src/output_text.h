/* The top-like text table of `vigil --batch`: summary lines (uptime and load, tasks,
 * CPU, memory, swap) and one row per process. Text from the system is escaped. */
#ifndef VIGIL_OUTPUT_TEXT_H
#define VIGIL_OUTPUT_TEXT_H

#include "probe/snapshot.h"
#include "probe/view.h"
#include "strbuf.h"

/* Appends the summary of s and a row for each of v's rows in order (every process of s
 * in pid order when v is NULL). A row with depth > 0 draws its tree branch before the
 * name. The task counts cover every process of s, as top's do. */
void output_text_snapshot(struct strbuf *out, const struct snapshot *s, const struct view *v);

/* Formats a size in KiB the way top does in a column of width characters: plain KiB when
 * it fits, else m, g, t or p with one decimal. Exposed for tests. */
void output_text_kib(char *buf, size_t cap, uint64_t bytes, int width);

/* cpu seconds as top's TIME+: minutes:seconds.hundredths ("12:03.45"). */
void output_text_time(char *buf, size_t cap, double seconds);

#endif
