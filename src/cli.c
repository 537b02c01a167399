/* STUB: replaced by the command-line parser. */
#include "cli.h"

#include <errno.h>
#include <string.h>

void options_init(struct options *o)
{
    memset(o, 0, sizeof(*o));
}

void options_done(struct options *o)
{
    (void)o;
}

int cli_parse(int argc, char **argv, struct options *o, char *err, size_t errlen)
{
    (void)argc;
    (void)argv;
    (void)o;
    (void)err;
    (void)errlen;
    return 2;
}

void cli_print_help(void)
{
}

int cli_parse_listen(const char *s, struct sockaddr_storage *ss, socklen_t *len)
{
    (void)s;
    (void)ss;
    (void)len;
    return -EINVAL;
}
