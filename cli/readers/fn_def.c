/* fn_def.c: a cachegrind function's definition from its Rust source (fn_def.h). */
#include "readers/fn_def.h"

#include <stdlib.h>
#include <string.h>

#include "model/derive.h"
#include "readers/readers.h"
#include "sys/xalloc.h"

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

const char *rust_fn_name(const char *path, size_t *len)
{
    /* a last part of generic arguments ("::<f64>") belongs to the one before */
    size_t at[64], np = prof_name_parts(path, at, 64);
    if (np >= 2 && path[at[np - 1]] == '<')
        np--;
    if (np < 2)
        return NULL;
    const char *seg = path + at[np - 1];
    size_t n = 0;
    while (ident_char(seg[n]))
        n++;
    if (n == 0 || (seg[n] && !(seg[n] == ':' && seg[n + 1] == ':')))
        return NULL;   /* {closure#0}, {shim:vtable#0}: no `fn` of that name */
    *len = n;
    return seg;
}

/* 1 if the name at text + at is the one after "fn " (a whole word). */
static int after_fn(const char *text, size_t at, size_t nlen, size_t len)
{
    if (at + nlen < len && ident_char(text[at + nlen]))
        return 0;
    size_t i = at;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
        i--;
    if (i == at || i < 2 || memcmp(text + i - 2, "fn", 2) != 0)
        return 0;
    return i == 2 || !ident_char(text[i - 3]);
}

int rust_fn_line(const char *text, size_t len, const char *name, size_t nlen, int from)
{
    int line = 1;
    size_t counted = 0;
    for (size_t at = 0; nlen && at + nlen <= len; at++) {
        const char *hit = memmem(text + at, len - at, name, nlen);
        if (!hit)
            return 0;
        at = (size_t)(hit - text);
        for (; counted < at; counted++)
            line += text[counted] == '\n';
        if (line >= from && after_fn(text, at, nlen, len))
            return line;
    }
    return 0;
}

/* The sources read so far: the model's texts are interned, so a file's
 * name is one pointer; a file that cannot be read is kept as NULL text. */
typedef struct src_cache {
    struct src { const char *path; char *text; size_t len; } *v;
    size_t n, cap;
} src_cache;

static const struct src *source(src_cache *c, const char *path)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].path == path)
            return &c->v[i];
    c->v = xgrow(c->v, c->n, &c->cap, sizeof *c->v);
    struct src *s = &c->v[c->n++];
    char err[256];
    *s = (struct src){ .path = path };
    s->text = reader_slurp(path, &s->len, err, sizeof err);
    return s;
}

static int rust_file(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && strcmp(path + n - 3, ".rs") == 0;
}

static void place(prof_entry *e, src_cache *c)
{
    size_t nlen;
    const char *name = rust_fn_name(e->name, &nlen);
    long best = -1;
    int line = 0;
    for (size_t i = 0; name && i < e->n_files; i++) {
        const struct prof_file *f = &e->files[i];
        if (!rust_file(f->name) || (best >= 0 && f->cost <= e->files[best].cost))
            continue;
        const struct src *s = source(c, f->name);
        int ln = s->text ? rust_fn_line(s->text, s->len, name, nlen, f->line) : 0;
        if (ln > 0)
            best = (long)i, line = ln;
    }
    if (best >= 0) {
        e->file = e->files[best].name;
        e->line = line;
    }
}

void vg_rust_def_sites(prof_model *m)
{
    src_cache c = { 0 };
    for (size_t i = 0; i < m->n_entries; i++)
        place(&m->entries[i], &c);
    for (size_t i = 0; i < c.n; i++)
        free(c.v[i].text);
    free(c.v);
}
