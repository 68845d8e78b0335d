/*
 * One escaper per output language. They share a UTF-8 walk that hands each
 * code point (or U+FFFD for a malformed sequence) to a per-language writer,
 * so a truncated or overlong sequence can never smuggle a '<' or '"' through.
 */
#include "output/report_escape.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"
#include "graph/printable.h"

/* What a language writes for one code point: its replacement (static, or
 * built in buf), or NULL to write the code point's bytes as they are. */
typedef const char *(*replace_fn)(uint32_t cp, char buf[SGR_ESCAPE_MAX]);

static void put(FILE *f, replace_fn replace, uint32_t cp, const char *raw, size_t len)
{
    char buf[SGR_ESCAPE_MAX];
    const char *r = replace(cp, buf);
    if (r)
        fputs(r, f);
    else
        fwrite(raw, 1, len, f);
}

/* A control or bidirectional character other than the line breaks and tab
 * (which each language treats itself) goes out as its visible escape
 * (graph/printable.h), each of whose characters the language then escapes. */
static void walk(FILE *f, const char *s, replace_fn replace)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len;
        uint32_t cp = sgr_utf8_next(p, &len);
        if (cp == SGR_REPLACEMENT_CHAR && len == 1) {
            put(f, replace, SGR_REPLACEMENT_CHAR, "\xEF\xBF\xBD", 3);
        } else if (sgr_unprintable(cp) && cp != '\n' && cp != '\r' && cp != '\t') {
            char e[SGR_ESCAPE_MAX];
            size_t n = sgr_printable_escape(e, cp);
            for (size_t i = 0; i < n; i++)
                put(f, replace, (unsigned char)e[i], e + i, 1);
        } else {
            put(f, replace, cp, (const char *)p, len);
        }
        p += len;
    }
}

/* Characters no XML document may hold, even as references: C0 controls but
 * tab/newline/return, U+FFFE, U+FFFF. DEL and C1 controls are legal but invisible. */
static bool xml_forbidden(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || cp == 0xFFFE || cp == 0xFFFF ||
           (cp >= 0x7F && cp <= 0x9F);
}

/* Whether cp is one of the ASCII characters in set. */
static bool ascii_in(uint32_t cp, const char *set)
{
    return cp != 0 && cp < 0x80 && strchr(set, (int)cp);
}

#define U_FFFD "\xEF\xBF\xBD"

/* ------------------------------------------------------------------ the languages */

/* HTML and XML text, and attribute values in either quotes. */
static const char *markup(uint32_t cp, char *buf)
{
    (void)buf;
    switch (cp) {
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    case '"': return "&quot;";
    case '\'': return "&#39;";
    case '\n':
    case '\r': return " ";
    default: return xml_forbidden(cp) ? "&#xFFFD;" : NULL;
    }
}

/* The body of an XML element whose line breaks are the text's own (a JUnit
 * failure's message): markup's escapes, a line break kept. */
static const char *markup_lines(uint32_t cp, char *buf)
{
    return cp == '\n' ? NULL : markup(cp, buf);
}

/* Escaped strings never start a line in our Markdown, so line-start syntax
 * ('-', '+', '1.') needs no escape; inline syntax does. */
static const char *md(uint32_t cp, char *buf)
{
    if (cp == '\n' || cp == '\r' || cp == '\t')
        return " ";
    if (xml_forbidden(cp))
        return U_FFFD;
    /* '<' and '&' as entities: a backslash does not stop every renderer's raw HTML. */
    if (cp == '<')
        return "&lt;";
    if (cp == '&')
        return "&amp;";
    if (!ascii_in(cp, "\\`*_[]>|#!~{}$"))
        return NULL;
    buf[0] = '\\';
    buf[1] = (char)cp;
    buf[2] = '\0';
    return buf;
}

/* The inside of a DOT double-quoted label. */
static const char *dot(uint32_t cp, char *buf)
{
    (void)buf;
    switch (cp) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n':
    case '\r': return "\\n";
    /* Graphviz reads entities in labels: escape '&' so "&lt;" stays the text "&lt;";
     * '<' '>' as entities too, so no SVG consumer can ever see raw markup. */
    case '&': return "&amp;";
    case '<': return "&lt;";
    case '>': return "&gt;";
    default: return xml_forbidden(cp) ? U_FFFD : NULL;
    }
}

static const char *mermaid(uint32_t cp, char *buf)
{
    if (cp == '\n' || cp == '\r' || cp == '\t')
        return " ";
    if (xml_forbidden(cp))
        return "#65533;";
    /* Mermaid's entity codes (#34; …) for everything that could end a label,
     * open markup, or close the Markdown code fence around the diagram. */
    if (!ascii_in(cp, "\"#&<>`|[](){};%\\*_~"))
        return NULL;
    snprintf(buf, SGR_ESCAPE_MAX, "#%u;", (unsigned)cp);
    return buf;
}

/* ------------------------------------------------------------------ the escapers */

void sgr_esc_html(FILE *f, const char *s)
{
    walk(f, s, markup);
}

void sgr_esc_xml(FILE *f, const char *s)
{
    walk(f, s, markup);
}

void sgr_esc_xml_lines(FILE *f, const char *s)
{
    walk(f, s, markup_lines);
}

void sgr_esc_md(FILE *f, const char *s)
{
    walk(f, s, md);
}

void sgr_esc_dot(FILE *f, const char *s)
{
    walk(f, s, dot);
}

void sgr_esc_mermaid(FILE *f, const char *s)
{
    walk(f, s, mermaid);
}

/* ------------------------------------------------------------------ CSV */

static const char *csv(uint32_t cp, char *buf)
{
    (void)buf;
    if (cp == '"')
        return "\"\"";
    if (cp == '\n' || cp == '\r' || (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F))
        return " ";
    return NULL;
}

void sgr_esc_csv(FILE *f, const char *s)
{
    fputc('"', f);
    /* A cell a spreadsheet would read as a formula is taken as text (OWASP, CSV injection). */
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
        fputc('\'', f);
    walk(f, s, csv);
    fputc('"', f);
}

void sgr_csv_row(FILE *f, const char *const *cells, size_t n)
{
    for (size_t c = 0; c < n; c++) {
        if (c)
            fputc(',', f);
        sgr_esc_csv(f, cells[c]);
    }
    fputs("\r\n", f);
}

/* ------------------------------------------------------------------ JSON */

/* The C0 controls the walk leaves to each language (line breaks, tab) as
 * their visible escapes too, as report_escape.h promises for every C0 control. */
static const char *json_value(uint32_t cp, char *buf)
{
    if (cp != '\n' && cp != '\r' && cp != '\t')
        return NULL;
    sgr_printable_escape(buf, cp);
    return buf;
}

/* A string literal's inside: jansson's escapes of the string sgr_json_text
 * makes, in one step (the line breaks and tab as their visible escapes,
 * whose backslash JSON escapes in turn). */
static const char *json_literal(uint32_t cp, char *buf)
{
    (void)buf;
    switch (cp) {
    case '"': return "\\\"";
    case '\\': return "\\\\";
    case '\n': return "\\\\n";
    case '\r': return "\\\\r";
    case '\t': return "\\\\t";
    default: return NULL;
    }
}

void sgr_esc_json(FILE *f, const char *s)
{
    fputc('"', f);
    const char *p = s ? s : "";
    for (;;) {
        /* the common case: a run of printable ASCII written at once */
        const char *q = p;
        while ((unsigned char)*q >= 0x20 && (unsigned char)*q < 0x7F && *q != '"' && *q != '\\')
            q++;
        fwrite(p, 1, (size_t)(q - p), f);
        if (!*q)
            break;
        if (*q == '"' || *q == '\\') {
            fputs(*q == '"' ? "\\\"" : "\\\\", f);
            p = q + 1;
            continue;
        }
        walk(f, q, json_literal); /* a control or a byte past ASCII: the rest code point by code point */
        break;
    }
    fputc('"', f);
}

json_t *sgr_json_text(const char *s)
{
    if (!s)
        return json_null();
    size_t n = strlen(s);
    json_t *j = sgr_printable(s, n) ? json_stringn(s, n) : NULL;
    if (j)
        return j;
    /* not valid UTF-8, or a control or bidirectional character: the same
     * walk as the other escapers, into memory */
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        sgr_oom();
    walk(m, s, json_value);
    if (fclose(m) != 0)
        sgr_oom();
    j = json_stringn(buf, len);
    free(buf);
    if (!j) /* the walk writes valid UTF-8 only: nothing but memory can fail */
        sgr_oom();
    return j;
}
