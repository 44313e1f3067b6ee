/*
 * errline.c: a reader's error is one line, whatever the input held: text
 * quoted from the file (a name, jansson's "near" token) may carry line
 * ends and other control bytes.
 */
#include "readers/readers.h"

void reader_one_line(char *err)
{
    for (unsigned char *p = (unsigned char *)err; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            *p = '?';
}
