/*
 * cargo_profile.c: does the crate define a cargo profile? We add debug info
 * with `--config profile.NAME.debug=true`, and for a profile nobody defined
 * that one setting would define it, so cargo would say "missing an `inherits`
 * directive" instead of its own "profile `NAME` is not defined". Cargo has no
 * stable query for profiles, so we look where they can be written: the
 * workspace root's Cargo.toml, .cargo/config(.toml) from the folder cargo
 * runs in upward (cargo reads config from there, not from --manifest-path's
 * folder) and in CARGO_HOME, and CARGO_PROFILE_<NAME>_* variables. A miss
 * only costs the debug-info setting, never the build.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sys/cargo_profile.h"

extern char **environ;

/* "[profile.NAME]" or "[profile.\"NAME\"]" (spaces allowed inside the brackets),
 * or a dotted key "profile.NAME.x = ..." at the top of a config file. */
static int line_defines(const char *s, const char *name)
{
    size_t nl = strlen(name);
    while (*s == ' ' || *s == '\t')
        s++;
    int table = *s == '[';
    if (table)
        for (s++; *s == ' ' || *s == '\t'; s++)
            ;
    if (strncmp(s, "profile", 7) != 0)
        return 0;
    s += 7;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s++ != '.')
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    int quoted = *s == '"' || *s == '\'';
    char q = *s;
    if (quoted)
        s++;
    if (strncmp(s, name, nl) != 0)
        return 0;
    s += nl;
    if (quoted && *s++ != q)
        return 0;
    while (*s == ' ' || *s == '\t')
        s++;
    return table ? *s == ']' : *s == '.';
}

static int file_defines(const char *path, const char *name)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[4096];
    int found = 0;
    while (!found && fgets(line, sizeof line, f))
        found = line_defines(line, name);
    fclose(f);
    return found;
}

static int config_dir_defines(const char *dir, const char *name)
{
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/config.toml", dir);
    if (file_defines(p, name))
        return 1;
    snprintf(p, sizeof p, "%s/config", dir);
    return file_defines(p, name);
}

static int env_defines(const char *name)
{
    char prefix[300];
    int n = snprintf(prefix, sizeof prefix, "CARGO_PROFILE_");
    for (const char *c = name; *c && n < (int)sizeof prefix - 2; c++)
        prefix[n++] = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
    prefix[n++] = '_';
    prefix[n] = 0;
    for (char **e = environ; *e; e++)
        if (strncmp(*e, prefix, (size_t)n) == 0)
            return 1;
    return 0;
}

int cargo_profile_defined(const char *workspace_root, const char *config_from, const char *name)
{
    static const char *const builtin[] = { "dev", "release", "test", "bench" };
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        if (strcmp(name, builtin[i]) == 0)
            return 1;
    if (env_defines(name))
        return 1;
    char p[PATH_MAX];
    if (workspace_root) {
        snprintf(p, sizeof p, "%s/Cargo.toml", workspace_root);
        if (file_defines(p, name))
            return 1;
    }
    if (config_from) {
        snprintf(p, sizeof p, "%s", config_from);
        for (;;) {
            char d[PATH_MAX + 8];
            snprintf(d, sizeof d, "%s/.cargo", p);
            if (config_dir_defines(d, name))
                return 1;
            char *slash = strrchr(p, '/');
            if (!slash || slash == p)
                break;
            *slash = 0;
        }
    }
    const char *home = getenv("CARGO_HOME");
    if (home && *home)
        return config_dir_defines(home, name);
    home = getenv("HOME");
    if (home && *home) {
        snprintf(p, sizeof p, "%s/.cargo", home);
        return config_dir_defines(p, name);
    }
    return 0;
}
