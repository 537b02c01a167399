/* vigil: parse the command line, read the config file, run the chosen mode. Only this
 * file decides what is fatal. */
#include <stdio.h>
#include <unistd.h>

#include "batch.h"
#include "cli.h"
#include "config.h"
#include "export.h"
#include "ui/theme.h"
#include "ui/ui.h"

int main(int argc, char **argv)
{
    struct options opts;
    char err[512];
    int status;

    options_init(&opts);
    if (cli_parse(argc, argv, &opts, err, sizeof(err)) != 0) {
        fprintf(stderr, "vigil: %s\n", err);
        options_done(&opts);
        return 2;
    }
    switch (opts.mode) {
    case MODE_HELP:
        cli_print_help();
        options_done(&opts);
        return fflush(stdout) == 0 ? 0 : 1;
    case MODE_VERSION:
        printf("vigil %s\n", VIGIL_VERSION);
        options_done(&opts);
        return fflush(stdout) == 0 ? 0 : 1;
    default:
        break;
    }

    if (config_load(opts.config_path, opts.config_explicit, &opts, err, sizeof(err)) != 0) {
        fprintf(stderr, "vigil: %s\n", err);
        options_done(&opts);
        return 2;
    }

    /* A theme that cannot be read is bad usage in every mode, not only where it is drawn
     * (the monitor loads it itself). */
    if (opts.mode != MODE_UI && opts.theme) {
        struct theme theme;
        if (theme_select(opts.theme, 0, &theme, err, sizeof(err)) != 0) {
            fprintf(stderr, "vigil: %s\n", err);
            options_done(&opts);
            return 2;
        }
    }

    switch (opts.mode) {
    case MODE_UI:
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            fputs("vigil: the interactive monitor needs a terminal; use --batch for text or "
                  "JSON output\n",
                  stderr);
            status = 2;
        } else {
            status = ui_run(&opts);
        }
        break;
    case MODE_EXPORT:
        status = export_run(&opts);
        break;
    case MODE_BATCH:
        status = batch_run(&opts);
        break;
    default:
        status = 1;
        break;
    }
    options_done(&opts);
    return status;
}
