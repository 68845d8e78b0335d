/*
 * Escaping what no reader should see raw (printable.h).
 */
#include "printable.h"

#include <stdlib.h>
#include <string.h>

uint32_t sgr_utf8_next(const unsigned char *s, size_t *len)
{
    unsigned char c = s[0];
    *len = 1;
    if (c < 0x80)
        return c;
    uint32_t cp;
    size_t n;
    if (c >= 0xC2 && c <= 0xDF)
        cp = c & 0x1Fu, n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        cp = c & 0x0Fu, n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        cp = c & 0x07u, n = 4;
    else
        return SGR_REPLACEMENT_CHAR;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0u) != 0x80u)
            return SGR_REPLACEMENT_CHAR; /* also stops at the terminating NUL */
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    static const uint32_t MIN[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < MIN[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return SGR_REPLACEMENT_CHAR;
    *len = n;
    return cp;
}

bool sgr_unprintable(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
           (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Decodes within len bytes: a sequence cut by the end is malformed. */
static uint32_t next_in(const unsigned char *s, size_t left, size_t *len)
{
    unsigned char buf[4] = {0};
    if (left >= 4 || s[0] < 0x80)
        return sgr_utf8_next(s, len);
    memcpy(buf, s, left);
    return sgr_utf8_next(buf, len);
}

bool sgr_printable(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (p[i] >= 0x20 && p[i] < 0x7F) { /* the common case, one byte */
            i++;
            continue;
        }
        size_t n;
        uint32_t cp = next_in(p + i, len - i, &n);
        if (sgr_unprintable(cp))
            return false;
        i += n;
    }
    return true;
}

size_t sgr_printable_escape(char out[SGR_ESCAPE_MAX], uint32_t cp)
{
    switch (cp) {
    case '\n': return (size_t)snprintf(out, SGR_ESCAPE_MAX, "\\n");
    case '\r': return (size_t)snprintf(out, SGR_ESCAPE_MAX, "\\r");
    case '\t': return (size_t)snprintf(out, SGR_ESCAPE_MAX, "\\t");
    default: break;
    }
    if (cp < 0x20 || cp == 0x7F)
        return (size_t)snprintf(out, SGR_ESCAPE_MAX, "\\x%02X", (unsigned)cp);
    if (sgr_unprintable(cp))
        return (size_t)snprintf(out, SGR_ESCAPE_MAX, "\\u%04X", (unsigned)cp);
    return (size_t)snprintf(out, SGR_ESCAPE_MAX, "\xEF\xBF\xBD"); /* a malformed byte */
}

char *sgr_printable_dup(const char *s, size_t len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&buf, &size);
    if (!m)
        sgr_oom();
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        size_t n;
        uint32_t cp = next_in(p + i, len - i, &n);
        char e[SGR_ESCAPE_MAX];
        if (sgr_unprintable(cp))
            fwrite(e, 1, sgr_printable_escape(e, cp), m);
        else
            fwrite(p + i, 1, n, m);
        i += n;
    }
    if (fclose(m) != 0)
        sgr_oom();
    return buf;
}

void sgr_printable_fputs(FILE *f, const char *s)
{
    if (!s)
        return;
    size_t len = strlen(s);
    if (sgr_printable(s, len)) {
        fputs(s, f);
        return;
    }
    char *e = sgr_printable_dup(s, len);
    fputs(e, f);
    free(e);
}

const char *sgr_printable_in(sgr_arena *a, const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s);
    if (sgr_printable(s, len))
        return s;
    char *e = sgr_printable_dup(s, len);
    const char *copy = sgr_arena_strdup(a, e);
    free(e);
    return copy;
}
