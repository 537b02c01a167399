/* A one-line text prompt (search, filter, exact values): printable text and UTF-8 bytes
 * append, Backspace deletes one character, ^U clears, Enter accepts, Esc cancels. */
#ifndef VIGIL_UI_PROMPT_H
#define VIGIL_UI_PROMPT_H

#include <stddef.h>

#define PROMPT_TEXT_MAX 128

struct ui_prompt {
    char label[48];
    char text[PROMPT_TEXT_MAX];
    size_t len;
};

enum ui_prompt_result {
    PROMPT_NONE,      /* key not for the prompt */
    PROMPT_CHANGED,   /* text changed */
    PROMPT_DONE,      /* Enter */
    PROMPT_CANCELLED, /* Esc */
};

void ui_prompt_init(struct ui_prompt *p, const char *label, const char *text);
enum ui_prompt_result ui_prompt_key(struct ui_prompt *p, int key);

#endif
