/* INI files (config, themes) through inih, with every malformed line reported by number.
 * The Debian inih lacks INI_HANDLER_LINENO, so a line-counting reader supplies the numbers
 * and notices the lines inih rejects without calling the handler. */
#ifndef VIGIL_INIFILE_H
#define VIGIL_INIFILE_H

#include <stddef.h>
#include <stdio.h>

/* Called for each "name = value"; returns NULL when accepted, else a short message (it may
 * be written into msg, which holds msgcap bytes). */
typedef const char *(*inifile_pair_fn)(void *user, const char *section, const char *name,
                                       const char *value, char *msg, size_t msgcap);
/* Called for each "[section]" line; returns NULL when the section is known. */
typedef const char *(*inifile_section_fn)(void *user, const char *section);
/* Receives each problem; NULL prints "vigil: FILE:LINE: MSG" on standard error. */
typedef void (*inifile_report_fn)(void *ctx, const char *file, int line, const char *msg);

struct inifile_callbacks {
    inifile_section_fn section; /* may be NULL: every section accepted */
    inifile_pair_fn pair;
    inifile_report_fn report; /* may be NULL */
    void *user;
    void *report_ctx;
};

/* Parses f (name is used in messages). Returns the number of problems reported; every
 * malformed line is reported and skipped, the rest applied. */
int inifile_parse(FILE *f, const char *name, const struct inifile_callbacks *cb);

/* Same over a string (tests). */
int inifile_parse_string(const char *text, const char *name, const struct inifile_callbacks *cb);

/* The problems printed on standard error so far (a malformed line without a report
 * callback, or one noted here): how many, and the first as "FILE:LINE: MSG" in buf. The
 * monitor repeats it on its status line, since the terminal it takes over hides stderr. */
int inifile_problems(char *buf, size_t cap);
/* Prints "vigil: " and the message on standard error and counts it as a problem (above). */
void inifile_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void inifile_problems_clear(void); /* (tests) */

/* Parses "true/false/yes/no/on/off/1/0"; returns 0 or -1. */
int inifile_bool(const char *value, int *out);

#endif
