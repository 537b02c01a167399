/* The config file (XDG location): delay, sort column and order, tree mode, theme, visible
 * columns, thread toggles. */
#ifndef VIGIL_CONFIG_H
#define VIGIL_CONFIG_H

#include "cli.h"

/* Applies the settings of the config file at path (NULL = the XDG default) to o, where
 * the command line did not set them. A missing default file is not an error; an
 * explicitly named file that cannot be read returns 2 with a message in err. Malformed
 * lines are reported on stderr as "vigil: FILE:LINE: ..." and skipped. Returns 0 or 2. */
int config_load(const char *path, bool explicit_path, struct options *o, char *err, size_t errlen);

/* The default location: $XDG_CONFIG_HOME/vigil/config (when set and absolute), else
 * $HOME/.config/vigil/config. Returns 0, or -ENOENT when no home directory is known. */
int config_default_path(char *buf, size_t cap);

/* Writes the settings of o (delay, sort column and order, tree mode, theme, visible
 * columns, thread toggles) to path (NULL = the default), creating the directory, through
 * a temporary file renamed into place. Returns 0, or -errno with a message in err. */
int config_save(const char *path, const struct options *o, char *err, size_t errlen);

#endif
