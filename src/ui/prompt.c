#include "ui/prompt.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

void ui_prompt_init(struct ui_prompt *p, const char *label, const char *text)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->label, sizeof(p->label), "%s", label ? label : "");
    snprintf(p->text, sizeof(p->text), "%s", text ? text : "");
    p->len = strlen(p->text);
}

enum ui_prompt_result ui_prompt_key(struct ui_prompt *p, int key)
{
    switch (key) {
    case '\n':
    case '\r':
    case KEY_ENTER:
        return PROMPT_DONE;
    case 27:
        return PROMPT_CANCELLED;
    case KEY_BACKSPACE:
    case 127:
    case 8:
        if (p->len == 0)
            return PROMPT_NONE;
        /* drop one UTF-8 character: its continuation bytes and its lead byte */
        while (p->len > 0 && ((unsigned char)p->text[p->len - 1] & 0xC0) == 0x80)
            p->len--;
        if (p->len > 0)
            p->len--;
        p->text[p->len] = '\0';
        return PROMPT_CHANGED;
    case 'u' - 'a' + 1: /* ^U */
        if (p->len == 0)
            return PROMPT_NONE;
        p->len = 0;
        p->text[0] = '\0';
        return PROMPT_CHANGED;
    default:
        if (key < 0x20 || key > 0xFF || key == 0x7F)
            return PROMPT_NONE;
        if (p->len + 1 >= sizeof(p->text))
            return PROMPT_NONE;
        p->text[p->len++] = (char)key;
        p->text[p->len] = '\0';
        return PROMPT_CHANGED;
    }
}
