/*
 * ANSI colours for verdicts and severities in text output. The caller decides:
 * colour only on a terminal, never in a pipe or a file, and never when
 * NO_COLOR is set (https://no-color.org), so files and pipes stay byte-identical.
 * Every function returns "" when colour is off.
 */
#ifndef SGREACH_COLOR_H
#define SGREACH_COLOR_H

#include <stdbool.h>

#define SGR_ANSI_RED "\033[1;31m"
#define SGR_ANSI_GREEN "\033[32m"
#define SGR_ANSI_YELLOW "\033[33m"
#define SGR_ANSI_RESET "\033[0m"

static inline const char *sgr_ansi(bool on, const char *code)
{
    return on ? code : "";
}

#endif
