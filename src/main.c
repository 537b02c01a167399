/* STUB: replaced by the command line and batch output. */
#include <stdio.h>

int main(void)
{
    fputs("vigil: not built yet\n", stderr);
    return 1;
}
