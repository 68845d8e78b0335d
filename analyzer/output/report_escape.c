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

typedef void (*emit_fn)(FILE *f, uint32_t cp, const char *raw, size_t len);

/* A control or bidirectional character other than the line breaks and tab
 * (which each language treats itself) goes out as its visible escape
 * (graph/printable.h), each of whose characters the language then escapes. */
static void walk(FILE *f, const char *s, emit_fn emit)
{
    if (!s)
        return;
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        size_t len;
        uint32_t cp = sgr_utf8_next(p, &len);
        if (cp == SGR_REPLACEMENT_CHAR && len == 1) {
            emit(f, SGR_REPLACEMENT_CHAR, "\xEF\xBF\xBD", 3);
        } else if (sgr_unprintable(cp) && cp != '\n' && cp != '\r' && cp != '\t') {
            char e[SGR_ESCAPE_MAX];
            size_t n = sgr_printable_escape(e, cp);
            for (size_t i = 0; i < n; i++)
                emit(f, (unsigned char)e[i], e + i, 1);
        } else {
            emit(f, cp, (const char *)p, len);
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

static void emit_markup(FILE *f, uint32_t cp, const char *raw, size_t len)
{
    switch (cp) {
    case '&': fputs("&amp;", f); return;
    case '<': fputs("&lt;", f); return;
    case '>': fputs("&gt;", f); return;
    case '"': fputs("&quot;", f); return;
    case '\'': fputs("&#39;", f); return;
    case '\n':
    case '\r': fputc(' ', f); return;
    default: break;
    }
    if (xml_forbidden(cp)) {
        fputs("&#xFFFD;", f);
        return;
    }
    fwrite(raw, 1, len, f);
}

void sgr_esc_html(FILE *f, const char *s)
{
    walk(f, s, emit_markup);
}

void sgr_esc_xml(FILE *f, const char *s)
{
    walk(f, s, emit_markup);
}

/* Escaped strings never start a line in our Markdown, so line-start syntax
 * ('-', '+', '1.') needs no escape; inline syntax does. */
static void emit_md(FILE *f, uint32_t cp, const char *raw, size_t len)
{
    if (cp == '\n' || cp == '\r' || cp == '\t') {
        fputc(' ', f);
        return;
    }
    if (xml_forbidden(cp)) {
        fputs("\xEF\xBF\xBD", f);
        return;
    }
    /* '<' and '&' as entities: a backslash does not stop every renderer's raw HTML. */
    if (cp == '<') {
        fputs("&lt;", f);
        return;
    }
    if (cp == '&') {
        fputs("&amp;", f);
        return;
    }
    if (cp < 0x80 && strchr("\\`*_[]>|#!~{}$", (int)cp) && cp != 0) {
        fputc('\\', f);
        fputc((int)cp, f);
        return;
    }
    fwrite(raw, 1, len, f);
}

void sgr_esc_md(FILE *f, const char *s)
{
    walk(f, s, emit_md);
}

static void emit_dot(FILE *f, uint32_t cp, const char *raw, size_t len)
{
    switch (cp) {
    case '"': fputs("\\\"", f); return;
    case '\\': fputs("\\\\", f); return;
    case '\n':
    case '\r': fputs("\\n", f); return;
    /* Graphviz reads entities in labels: escape '&' so "&lt;" stays the text "&lt;";
     * '<' '>' as entities too, so no SVG consumer can ever see raw markup. */
    case '&': fputs("&amp;", f); return;
    case '<': fputs("&lt;", f); return;
    case '>': fputs("&gt;", f); return;
    default: break;
    }
    if (xml_forbidden(cp)) {
        fputs("\xEF\xBF\xBD", f);
        return;
    }
    fwrite(raw, 1, len, f);
}

void sgr_esc_dot(FILE *f, const char *s)
{
    walk(f, s, emit_dot);
}

static void emit_mermaid(FILE *f, uint32_t cp, const char *raw, size_t len)
{
    if (cp == '\n' || cp == '\r' || cp == '\t') {
        fputc(' ', f);
        return;
    }
    if (xml_forbidden(cp)) {
        fputs("#65533;", f);
        return;
    }
    /* Mermaid's entity codes (#34; …) for everything that could end a label,
     * open markup, or close the Markdown code fence around the diagram. */
    if (cp < 0x80 && strchr("\"#&<>`|[](){};%\\*_~", (int)cp) && cp != 0) {
        fprintf(f, "#%u;", (unsigned)cp);
        return;
    }
    fwrite(raw, 1, len, f);
}

void sgr_esc_mermaid(FILE *f, const char *s)
{
    walk(f, s, emit_mermaid);
}

/* ------------------------------------------------------------------ CSV */

static void emit_csv(FILE *f, uint32_t cp, const char *raw, size_t len)
{
    if (cp == '"') {
        fputs("\"\"", f);
        return;
    }
    if (cp == '\n' || cp == '\r' || (cp < 0x20 && cp != '\t') || (cp >= 0x7F && cp <= 0x9F)) {
        fputc(' ', f);
        return;
    }
    fwrite(raw, 1, len, f);
}

void sgr_esc_csv(FILE *f, const char *s)
{
    fputc('"', f);
    /* A cell a spreadsheet would read as a formula is taken as text (OWASP, CSV injection). */
    if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@' || *s == '\t' || *s == '\r'))
        fputc('\'', f);
    walk(f, s, emit_csv);
    fputc('"', f);
}

/* ------------------------------------------------------------------ JSON */

static void emit_buf(FILE *f, uint32_t cp, const char *bytes, size_t len)
{
    if (cp == '\n' || cp == '\r' || cp == '\t') {
        char e[SGR_ESCAPE_MAX];
        fwrite(e, 1, sgr_printable_escape(e, cp), f);
        return;
    }
    fwrite(bytes, 1, len, f);
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
    walk(m, s, emit_buf);
    if (fclose(m) != 0)
        sgr_oom();
    j = json_stringn(buf, len);
    free(buf);
    if (!j) /* the walk writes valid UTF-8 only: nothing but memory can fail */
        sgr_oom();
    return j;
}
