/* Command-line parsing and validation (../shared/spec/interface.md, "Command line").
 * Every bad value becomes one line naming the option, the value and what is accepted;
 * main() prints it after "vigil: " and exits 2. */
#include "cli.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "probe/xalloc.h"

#define DEFAULT_LISTEN "127.0.0.1:9877"

/* Values of long options without a short form. */
enum {
    OPT_REVERSE = 256,
    OPT_THEME,
    OPT_CONFIG,
    OPT_EXPORT,
    OPT_LISTEN,
    OPT_EXPORT_PROCESSES,
    OPT_DETAILS,
};

static const struct option cli_longopts[] = {
    {"delay", required_argument, NULL, 'd'},
    {"sort", required_argument, NULL, 's'},
    {"reverse", no_argument, NULL, OPT_REVERSE},
    {"pid", required_argument, NULL, 'p'},
    {"user", required_argument, NULL, 'u'},
    {"tree", no_argument, NULL, 't'},
    {"no-color", no_argument, NULL, 'C'},
    {"theme", required_argument, NULL, OPT_THEME},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"batch", no_argument, NULL, 'b'},
    {"iterations", required_argument, NULL, 'n'},
    {"format", required_argument, NULL, 'f'},
    {"export", required_argument, NULL, OPT_EXPORT},
    {"listen", required_argument, NULL, OPT_LISTEN},
    {"export-processes", required_argument, NULL, OPT_EXPORT_PROCESSES},
    {"details", no_argument, NULL, OPT_DETAILS},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

/* Leading ':' makes getopt return ':' for a missing value, so the two cases differ. */
static const char cli_shortopts[] = ":d:s:p:u:tCbn:f:hV";

/* What each option with a value accepts, for "needs a value" messages. */
static const char *cli_accepts(int val)
{
    switch (val) {
    case 'd':
        return "a number of seconds from 0.1 to 3600";
    case 's':
        return "a column name such as cpu, mem or pid (-NAME reverses)";
    case 'p':
        return "process IDs separated by commas, e.g. 1,42";
    case 'u':
        return "a user name or a numeric uid";
    case OPT_THEME:
        return "a theme name or a theme file";
    case OPT_CONFIG:
        return "a config file";
    case 'n':
        return "a whole number of snapshots, 1 or more";
    case 'f':
        return "text or json";
    case OPT_EXPORT:
        return "prometheus";
    case OPT_LISTEN:
        return "ADDR:PORT, e.g. 127.0.0.1:9877 or [::1]:9877";
    case OPT_EXPORT_PROCESSES:
        return "a whole number of processes, 0 or more";
    default:
        return "a value";
    }
}

static const char *cli_long_name(int val)
{
    for (const struct option *o = cli_longopts; o->name; o++) {
        if (o->val == val)
            return o->name;
    }
    return NULL;
}

void options_init(struct options *o)
{
    memset(o, 0, sizeof(*o));
    o->mode = MODE_UI;
    o->delay = 1.5;
    o->sort = SORT_CPU;
    o->iterations = 1;
    o->format = FORMAT_TEXT;
    o->listen = xstrdup(DEFAULT_LISTEN);
}

void options_done(struct options *o)
{
    if (!o)
        return;
    free(o->pids);
    free(o->user_name);
    free(o->theme);
    free(o->config_path);
    free(o->listen);
    memset(o, 0, sizeof(*o));
}

/* Parser state: the first error is kept, later ones are dropped. */
struct cli_state {
    char *err;
    size_t errlen;
    bool failed;
};

static void cli_error(struct cli_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void cli_error(struct cli_state *st, const char *fmt, ...)
{
    if (st->failed)
        return;
    st->failed = true;
    if (!st->errlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->err, st->errlen, fmt, ap);
    va_end(ap);
    /* the message is one line whatever the user typed */
    for (char *c = st->err; *c; c++) {
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    }
}

/* A plain decimal: digits with an optional fraction ("1", "0.5", ".5", "2."), no sign,
 * exponent, spaces, hex, nan or inf. Parsed by hand so that the locale's decimal point
 * (setlocale for the UI) cannot change what "1.5" means. */
static bool cli_parse_decimal(const char *s, double *out)
{
    double v = 0, scale = 1;
    int digits = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9'; p++, digits++)
        v = v * 10 + (*p - '0');
    if (*p == '.') {
        for (p++; *p >= '0' && *p <= '9'; p++, digits++) {
            scale /= 10;
            v += (*p - '0') * scale;
        }
    }
    if (!digits || *p)
        return false;
    *out = v;
    return true;
}

/* A whole number in min..max written as digits only. Returns 0, -EINVAL (not a number)
 * or -ERANGE (outside min..max). */
static int cli_parse_long(const char *s, long min, long max, long *out)
{
    if (!*s)
        return -EINVAL;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -EINVAL;
    }
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno == ERANGE || v < min || v > max)
        return -ERANGE;
    *out = v;
    return 0;
}

static void cli_set_delay(struct cli_state *st, struct options *o, const char *arg)
{
    double v;
    /* 0.1 and 3600 themselves are allowed; the slack absorbs the hand parser's rounding */
    if (!cli_parse_decimal(arg, &v) || v < 0.1 - 1e-12 || v > 3600) {
        cli_error(st, "--delay: \"%s\" is not a number of seconds from 0.1 to 3600", arg);
        return;
    }
    o->delay = v;
    o->delay_set = true;
}

static void cli_sort_names(char *buf, size_t cap)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int k = 0; k < SORT_KEY_COUNT && len < cap; k++) {
        int n =
            snprintf(buf + len, cap - len, "%s%s", k ? ", " : "", sort_key_name((enum sort_key)k));
        if (n < 0)
            break;
        len += (size_t)n;
    }
}

static void cli_set_sort(struct cli_state *st, struct options *o, const char *arg)
{
    char name[32];
    const char *p = arg;
    bool reverse = false;
    if (*p == '-') {
        reverse = true;
        p++;
    }
    size_t n = strlen(p);
    int key = -1;
    if (n > 0 && n < sizeof(name)) {
        for (size_t i = 0; i <= n; i++)
            name[i] = (char)tolower((unsigned char)p[i]);
        key = sort_key_parse(name);
    }
    if (key < 0) {
        char names[256];
        cli_sort_names(names, sizeof(names));
        cli_error(st, "--sort: \"%s\" is not a column; use one of %s (-NAME reverses)", arg, names);
        return;
    }
    o->sort = (enum sort_key)key;
    o->sort_set = true;
    if (reverse)
        o->reverse = true;
}

static void cli_add_pids(struct cli_state *st, struct options *o, const char *arg)
{
    size_t cap = 1;
    for (const char *c = arg; *c; c++)
        cap += *c == ',';
    pid_t *pids = xreallocarray(o->pids, o->n_pids + cap, sizeof(*pids));
    o->pids = pids;
    size_t n = o->n_pids;
    const char *p = arg;
    for (;;) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char item[16];
        long v;
        if (len == 0 || len >= sizeof(item)) {
            goto bad;
        }
        memcpy(item, p, len);
        item[len] = '\0';
        if (cli_parse_long(item, 1, INT_MAX, &v) < 0)
            goto bad;
        bool dup = false;
        for (size_t i = 0; i < n; i++)
            dup = dup || pids[i] == (pid_t)v;
        if (!dup)
            pids[n++] = (pid_t)v;
        if (!end)
            break;
        p = end + 1;
    }
    o->n_pids = n;
    return;
bad:
    cli_error(st,
              "--pid: \"%s\" is not a list of process IDs; give positive whole numbers "
              "separated by commas, e.g. 1,42",
              arg);
}

static void cli_set_user(struct cli_state *st, struct options *o, const char *arg)
{
    struct passwd *pw = *arg ? getpwnam(arg) : NULL;
    long v;
    if (pw) {
        o->uid = pw->pw_uid;
    } else if (cli_parse_long(arg, 0, (long)UINT32_MAX - 1, &v) == 0) {
        o->uid = (uid_t)v; /* a uid without a passwd entry is still a uid */
    } else if (!*arg) {
        cli_error(st, "--user: the value is empty; give a user name or a numeric uid");
        return;
    } else {
        cli_error(st, "--user: no user named \"%s\"; give a user name or a numeric uid", arg);
        return;
    }
    o->by_uid = true;
    free(o->user_name);
    o->user_name = xstrdup(arg);
}

static void cli_set_string(struct cli_state *st, char **field, const char *opt, const char *arg,
                           const char *accepted)
{
    if (!*arg) {
        cli_error(st, "--%s: the value is empty; give %s", opt, accepted);
        return;
    }
    free(*field);
    *field = xstrdup(arg);
}

static void cli_set_count(struct cli_state *st, long *field, const char *opt, const char *arg,
                          long min, const char *what)
{
    long v;
    int rc = cli_parse_long(arg, 0, INT_MAX, &v);
    if (rc == -EINVAL || (rc == 0 && v < min))
        cli_error(st, "--%s: \"%s\" is not %s (a whole number, %ld or more)", opt, arg, what, min);
    else if (rc < 0)
        cli_error(st, "--%s: \"%s\" is too large (at most %d)", opt, arg, INT_MAX);
    else
        *field = v;
}

static void cli_set_listen(struct cli_state *st, struct options *o, const char *arg)
{
    if (cli_parse_listen(arg, NULL, NULL) < 0) {
        cli_error(st,
                  "--listen: \"%s\" is not ADDR:PORT; give a numeric IPv4 address, [IPv6] "
                  "or localhost and a port from 1 to 65535, e.g. 127.0.0.1:9877 or "
                  "[::1]:9877",
                  arg);
        return;
    }
    free(o->listen);
    o->listen = xstrdup(arg);
}

/* Names the option getopt could not use. getopt leaves optopt at the short option (or
 * the long option's value) when that option exists but was given "=VALUE" it does not
 * take or is an unknown short letter, and at 0 for an unknown or ambiguous long option,
 * whose word is then arg (getopt always steps past a long option's word). */
static void cli_bad_option(struct cli_state *st, int opt, const char *arg)
{
    if (opt && cli_long_name(opt)) {
        cli_error(st, "--%s takes no value", cli_long_name(opt));
        return;
    }
    if (opt) {
        if (opt < 256 && isprint(opt))
            cli_error(st, "unknown option \"-%c\"; see vigil --help for the options", opt);
        else
            cli_error(st, "unknown option; see vigil --help for the options");
        return;
    }
    if (!arg || strncmp(arg, "--", 2) != 0) {
        cli_error(st, "unknown option \"%s\"; see vigil --help for the options", arg ? arg : "");
        return;
    }
    const char *name = arg + 2;
    size_t len = strcspn(name, "=");
    char matches[200] = "";
    int n = 0;
    for (const struct option *o = cli_longopts; o->name; o++) {
        size_t used = strlen(matches);
        if (len && strncmp(o->name, name, len) == 0 && used + 24 < sizeof(matches)) {
            snprintf(matches + used, sizeof(matches) - used, "%s--%s", n ? ", " : "", o->name);
            n++;
        }
    }
    if (n > 1)
        cli_error(st, "option \"%.*s\" is ambiguous; it could be %s", (int)len + 2, arg, matches);
    else
        cli_error(st, "unknown option \"%.*s\"; see vigil --help for the options", (int)len + 2,
                  arg);
}

int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
    struct cli_state st = {err, errlen, false};
    bool batch = false, help = false, version = false;
    bool export_set = false, iterations_set = false, format_set = false;
    bool listen_set = false, export_processes_set = false;
    int c;

    if (errlen)
        err[0] = '\0';
    optind = 0; /* glibc: a full re-initialisation, so tests can parse many times */
    opterr = 0; /* messages are ours */
    while ((c = getopt_long(argc, argv, cli_shortopts, cli_longopts, NULL)) != -1) {
        switch (c) {
        case 'd':
            cli_set_delay(&st, o, optarg);
            break;
        case 's':
            cli_set_sort(&st, o, optarg);
            break;
        case OPT_REVERSE:
            o->reverse = true;
            break;
        case 'p':
            cli_add_pids(&st, o, optarg);
            break;
        case 'u':
            cli_set_user(&st, o, optarg);
            break;
        case 't':
            o->tree = true;
            o->tree_set = true;
            break;
        case 'C':
            o->no_color = true;
            break;
        case OPT_THEME:
            cli_set_string(&st, &o->theme, "theme", optarg, "a theme name or a theme file");
            break;
        case OPT_CONFIG:
            cli_set_string(&st, &o->config_path, "config", optarg, "a config file");
            o->config_explicit = true;
            break;
        case 'b':
            batch = true;
            break;
        case 'n':
            cli_set_count(&st, &o->iterations, "iterations", optarg, 1, "a number of snapshots");
            iterations_set = true;
            break;
        case 'f':
            if (strcmp(optarg, "text") == 0)
                o->format = FORMAT_TEXT;
            else if (strcmp(optarg, "json") == 0)
                o->format = FORMAT_JSON;
            else
                cli_error(&st, "--format: \"%s\" is not a format; use text or json", optarg);
            format_set = true;
            break;
        case OPT_EXPORT:
            if (strcmp(optarg, "prometheus") != 0)
                cli_error(&st, "--export: \"%s\" is not an export format; use prometheus", optarg);
            export_set = true;
            break;
        case OPT_LISTEN:
            cli_set_listen(&st, o, optarg);
            listen_set = true;
            break;
        case OPT_EXPORT_PROCESSES:
            cli_set_count(&st, &o->export_processes, "export-processes", optarg, 0,
                          "a number of processes");
            export_processes_set = true;
            break;
        case OPT_DETAILS:
            o->details = true;
            break;
        case 'h':
            help = true;
            break;
        case 'V':
            version = true;
            break;
        case ':': {
            const char *name = cli_long_name(optopt);
            if (optopt < 256 && optind > 0 && optind <= argc &&
                strncmp(argv[optind - 1], "--", 2) != 0)
                cli_error(&st, "-%c needs a value: %s", optopt, cli_accepts(optopt));
            else
                cli_error(&st, "--%s needs a value: %s", name ? name : "?", cli_accepts(optopt));
            break;
        }
        default:
            cli_bad_option(&st, optopt, optind > 0 && optind <= argc ? argv[optind - 1] : NULL);
            break;
        }
    }
    if (optind < argc)
        cli_error(&st, "unexpected argument \"%s\"; vigil takes only options (see vigil --help)",
                  argv[optind]);

    /* --help and --version win over everything else, as users expect */
    if (help) {
        o->mode = MODE_HELP;
        return 0;
    }
    if (version) {
        o->mode = MODE_VERSION;
        return 0;
    }
    if (st.failed)
        return 2;

    if (batch && export_set) {
        cli_error(&st, "--batch and --export cannot be used together; choose one");
        return 2;
    }
    const char *batch_only = iterations_set ? "--iterations"
                             : format_set   ? "--format"
                             : o->details   ? "--details"
                                            : NULL;
    if (batch_only && !batch) {
        cli_error(&st, "%s only applies to --batch output; add --batch", batch_only);
        return 2;
    }
    if (o->details && o->format != FORMAT_JSON) {
        cli_error(&st, "--details needs --format json: the details are JSON sections");
        return 2;
    }
    if (o->details && o->n_pids == 0) {
        cli_error(&st, "--details needs --pid PID: name the processes to inspect");
        return 2;
    }
    const char *export_only = listen_set             ? "--listen"
                              : export_processes_set ? "--export-processes"
                                                     : NULL;
    if (export_only && !export_set) {
        cli_error(&st, "%s only applies to --export prometheus; add --export prometheus",
                  export_only);
        return 2;
    }

    const char *no_color = getenv("NO_COLOR");
    if (no_color && *no_color)
        o->no_color = true; /* no-color.org: set and not empty */
    o->mode = batch ? MODE_BATCH : export_set ? MODE_EXPORT : MODE_UI;
    return 0;
}

/* Keep in step with cli_longopts and the contract's option table. */
void cli_print_help(void)
{
    fputs("Usage: vigil [OPTIONS]                      interactive monitor (needs a terminal)\n"
          "       vigil --batch [-n N] [--format text|json] [OPTIONS]\n"
          "       vigil --export prometheus [--listen ADDR:PORT] [OPTIONS]\n"
          "\n"
          "Options:\n"
          "  -d, --delay SECONDS      refresh interval, 0.1 to 3600, decimals allowed "
          "(default 1.5)\n"
          "  -s, --sort COLUMN        initial sort column: pid, ppid, user, state, nice, pri,\n"
          "                           threads, virt, rss, cpu, mem, time, io, name, start;\n"
          "                           -COLUMN reverses (default cpu)\n"
          "      --reverse            reverse the sort order\n"
          "  -p, --pid PID[,PID...]   show only these processes\n"
          "  -u, --user USER          show only processes of USER (name or uid)\n"
          "  -t, --tree               start in tree view\n"
          "  -C, --no-color           monochrome (so does a non-empty NO_COLOR variable)\n"
          "      --theme NAME|FILE    a theme from themes/ or a theme file\n"
          "      --config FILE        config file (default $XDG_CONFIG_HOME/vigil/config,\n"
          "                           else ~/.config/vigil/config)\n"
          "  -b, --batch              no UI: print snapshots to standard output and exit\n"
          "  -n, --iterations N       with --batch: how many snapshots, one per delay "
          "(default 1)\n"
          "  -f, --format text|json   with --batch: a top-like table or JSON Lines "
          "(default text)\n"
          "      --details            with --batch --format json --pid PID: add each\n"
          "                           process's inspector sections (doc/details.md)\n"
          "      --export prometheus  serve metrics over HTTP until SIGINT/SIGTERM\n"
          "      --listen ADDR:PORT   with --export: where to listen (default " DEFAULT_LISTEN ";\n"
          "                           [::1]:PORT for IPv6, localhost means 127.0.0.1)\n"
          "      --export-processes N with --export: per-process series for the top N by CPU\n"
          "                           (of the processes -p/-u choose)\n"
          "  -h, --help               show this help and exit\n"
          "  -V, --version            show the version and exit\n"
          "\n"
          "Exit status: 0 success, 1 runtime failure, 2 bad usage.\n",
          stdout);
}

static int cli_parse_port(const char *s, in_port_t *port)
{
    long v;
    if (strlen(s) > 5 || cli_parse_long(s, 1, 65535, &v) < 0)
        return -EINVAL;
    *port = htons((uint16_t)v);
    return 0;
}

int cli_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
    struct sockaddr_storage tmp;
    memset(&tmp, 0, sizeof(tmp));
    socklen_t l;

    if (!s)
        return -EINVAL;
    if (s[0] == '[') {
        /* [IPv6]:PORT; a zone ("%eth0") is not supported */
        const char *close = strchr(s, ']');
        char host[INET6_ADDRSTRLEN];
        struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&tmp;
        size_t hl = close ? (size_t)(close - s - 1) : 0;
        if (!close || hl == 0 || hl >= sizeof(host) || close[1] != ':')
            return -EINVAL;
        memcpy(host, s + 1, hl);
        host[hl] = '\0';
        if (inet_pton(AF_INET6, host, &a6->sin6_addr) != 1 ||
            cli_parse_port(close + 2, &a6->sin6_port) < 0)
            return -EINVAL;
        a6->sin6_family = AF_INET6;
        l = sizeof(*a6);
    } else {
        const char *colon = strrchr(s, ':');
        char host[INET_ADDRSTRLEN];
        struct sockaddr_in *a4 = (struct sockaddr_in *)&tmp;
        size_t hl = colon ? (size_t)(colon - s) : 0;
        if (!colon || hl == 0 || hl >= sizeof(host))
            return -EINVAL;
        memcpy(host, s, hl);
        host[hl] = '\0';
        if (strcmp(host, "localhost") == 0)
            a4->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        else if (inet_pton(AF_INET, host, &a4->sin_addr) != 1)
            return -EINVAL;
        if (cli_parse_port(colon + 1, &a4->sin_port) < 0)
            return -EINVAL;
        a4->sin_family = AF_INET;
        l = sizeof(*a4);
    }
    if (ss)
        *ss = tmp;
    if (len)
        *len = l;
    return 0;
}
