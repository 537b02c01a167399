/* The process-action keys of the monitor (signal menu k/F9, nice F7 ] F8 [, I/O priority
 * menu i): menus and prompts built on the monitor's widgets, acting through the action
 * module with the identities the user selected. */
#ifndef VIGIL_UI_ACTIONS_UI_H
#define VIGIL_UI_ACTIONS_UI_H

#include <stdbool.h>

struct monitor;

/* Handles an action key in the normal mode; returns false for other keys. */
bool actions_ui_key(struct monitor *m, int key);

/* Opens the CPU affinity prompt (a) for one process (only; the inspector's), or for the
 * tagged, else the selected, processes (only NULL). current: the prompt's initial text. */
struct proc_ident;
void actions_ui_affinity(struct monitor *m, const struct proc_ident *only, const char *current);

#endif
