/* Command-line options (../shared/spec/interface.md, "Command line"). */
#ifndef VIGIL_CLI_H
#define VIGIL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "probe/view.h"

enum run_mode { MODE_UI, MODE_BATCH, MODE_EXPORT, MODE_HELP, MODE_VERSION };
enum out_format { FORMAT_TEXT, FORMAT_JSON };

struct options {
    enum run_mode mode;
    double delay;       /* seconds, 0.1 .. 3600; default 1.5 */
    bool delay_set;     /* given on the command line (overrides the config file) */
    enum sort_key sort; /* default SORT_CPU */
    bool reverse;
    bool sort_set;
    pid_t *pids; /* owned; -p */
    size_t n_pids;
    bool by_uid; /* -u */
    uid_t uid;
    char *user_name; /* owned; as given */
    bool tree;
    bool tree_set;
    bool no_color;          /* -C or NO_COLOR */
    char *theme;            /* owned; NULL = config/default */
    char *config_path;      /* owned; NULL = XDG default */
    bool config_explicit;   /* --config given: unreadable is an error */
    long iterations;        /* -n; default 1 */
    enum out_format format; /* -f */
    char *listen;           /* owned; default "127.0.0.1:9877" */
    long export_processes;  /* --export-processes; 0 = off */
    bool details;           /* --details (process inspector in JSON) */
    /* Settings only the config file sets (config.c), for the UI. */
    unsigned columns;         /* visible process columns, bit (1u << enum ucol); 0 = default */
    bool hide_kernel_threads; /* K */
    bool hide_user_threads;   /* H */
};

void options_init(struct options *o);
void options_done(struct options *o);

/* Parses argv into o. Returns 0 on success, or 2 with a one-line message (without the
 * "vigil: " prefix) in err on bad usage. */
int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen);

void cli_print_help(void);

/* Parses a --listen value: "IPv4:PORT" (numeric, e.g. "0.0.0.0:9877"), "[IPv6]:PORT"
 * (numeric, no zone) or "localhost:PORT" (= 127.0.0.1; no other name is resolved), port
 * 1..65535 in digits. ss and len may be NULL to only validate. Returns 0, or -EINVAL. */
int cli_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len);

#endif
