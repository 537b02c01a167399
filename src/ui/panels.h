/* The monitor's screen: each panel draws itself from the monitor's state into stdscr at
 * the places the layout gives. screen_draw does a whole frame (erase, draw, doupdate:
 * curses sends only what changed). */
#ifndef VIGIL_UI_PANELS_H
#define VIGIL_UI_PANELS_H

#include "ui/monitor.h"

void panel_header_draw(const struct monitor *m);
void panel_procs_draw(const struct monitor *m);
void panel_ifaces_draw(struct monitor *m);
void panel_iface_detail_draw(struct monitor *m);
void overlay_status_draw(const struct monitor *m);
void overlay_fkeys_draw(const struct monitor *m);
void overlay_menu_draw(struct monitor *m);
void overlay_help_draw(struct monitor *m);

/* Lays out for the terminal's size and draws a frame. */
void screen_draw(struct monitor *m);

#endif
