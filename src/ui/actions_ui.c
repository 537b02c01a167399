/* Placeholder until the action module (src/probe/action.h, issue 5) lands: the action
 * keys are not bound yet. */
#include "ui/actions_ui.h"

bool actions_ui_key(struct monitor *m, int key)
{
    (void)m;
    (void)key;
    return false;
}
