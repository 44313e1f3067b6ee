/*
 * sniff.c: tells the input formats apart by their first bytes, never by the
 * file name: a cprof dump is a JSON object whose "format" starts with
 * "cprof-", our own report one whose "format" starts with "cprof-report-",
 * DHAT's one with a "dhatFileVersion" key (its first, as valgrind writes it);
 * callgrind and cachegrind files are line-based text with known
 * header keys.
 */
#include "readers/readers.h"

#include <stdio.h>
#include <string.h>

/* DHAT's: its first key, or a key of a file with no "format" (a dump's). */
static int dhat_json(const char *p)
{
    const char *k = p + 1;
    while (*k == ' ' || *k == '\t' || *k == '\n' || *k == '\r')
        k++;
    return strncmp(k, "\"dhatFileVersion\"", 17) == 0 ||
           (strstr(p, "\"dhatFileVersion\"") && !strstr(p, "\"format\""));
}

/* JSON: the value of the first "format" key, if it is in the buffer. */
static file_format json_format(const char *p)
{
    if (dhat_json(p))
        return FILE_DHAT;
    for (const char *k = strstr(p, "\"format\""); k; k = strstr(k + 1, "\"format\"")) {
        const char *v = k + 8;
        while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
            v++;
        if (*v != ':')
            continue;   /* "format" as a value, not a key */
        v++;
        while (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r')
            v++;
        if (strncmp(v, "\"cprof-report-", 14) == 0)
            return FILE_CPROF_REPORT;   /* another version: the report reader names it */
        break;
    }
    /* a dump of any version (cprof-1, cprof-2, a later one) counts: the reader names it */
    return strstr(p, "\"format\"") && strstr(p, "\"cprof-") ? FILE_CPROF_DUMP : FILE_UNKNOWN;
}

file_format sniff_format(const char *path)
{
    char buf[4096];
    FILE *f = fopen(path, "rb");
    if (!f)
        return FILE_UNKNOWN;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *p = buf;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (*p == '\0' && n < sizeof buf - 1 && memchr(buf, '\0', n) == NULL)
        return FILE_EMPTY;
    if (*p == '{')
        return json_format(p);
    if (*p == '[')   /* every JSON profile read here is an object; TOML ([package]) too starts so */
        return FILE_OTHER;
    /* keys only callgrind writes come first: cachegrind files have fn= lines too */
    if (strncmp(p, "# callgrind format", 18) == 0 || strstr(buf, "\ncreator: callgrind") ||
        strncmp(p, "creator: callgrind", 18) == 0 || strstr(buf, "\npositions:") ||
        strncmp(p, "positions:", 10) == 0 || strncmp(p, "version:", 8) == 0 ||
        strstr(buf, "\ncalls="))
        return FILE_CALLGRIND;
    /* cg.out: "desc:" lines, then "cmd:", then "events:" */
    if ((strncmp(p, "desc:", 5) == 0 || strncmp(p, "cmd:", 4) == 0) && strstr(buf, "events:"))
        return FILE_CACHEGRIND;
    if (strstr(buf, "\nfn=") || strncmp(p, "events:", 7) == 0 || strncmp(p, "fn=", 3) == 0)
        return FILE_CALLGRIND;   /* a minimal hand-written file: the reader says what is wrong */
    return FILE_OTHER;
}
