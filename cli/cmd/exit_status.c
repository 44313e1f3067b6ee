/*
 * exit_status.c: the one text of what cargo-profiler's exit statuses mean,
 * printed by every --help (commands.h).
 */
#include "cmd/commands.h"

void exit_status_help(FILE *out, int which)
{
    fputs("\nexit status:\n"
          "  0  success\n"
          "  1  error: not a cargo project, no dump, a file that cannot be read, I/O\n"
          "  2  bad command line, or an option that does not fit the profile (--sort, --metric)\n", out);
    if (which & EXIT_HELP_LIMITS)
        fputs("  3  a --limit was broken: a regression (each broken limit is named on stderr)\n", out);
    if (which & EXIT_HELP_PROGRAM)
        fputs("  4  the profiled program failed: one line says how (its exit status, or its\n"
              "     signal); what it dumped is still shown (--format json: \"program\");\n"
              "     128+N when signal N (SIGTERM, SIGHUP) sent to cargo-profiler ended it\n", out);
    if (which & EXIT_HELP_BUILD)
        fputs("  N  the cargo build failed: cargo's own exit status (errors as cargo renders them)\n", out);
}
