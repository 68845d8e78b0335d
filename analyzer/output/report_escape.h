/*
 * Escaping every string taken from the input, one function per output language.
 * Each writes `s` (NULL = nothing) to `f`. Invalid UTF-8 becomes U+FFFD, line
 * breaks what the language allows (a space, \n), and every other control or
 * bidirectional character its visible escape (graph/printable.h), so no byte
 * of the input reaches the output unescaped.
 *
 *   html     — HTML text and double- or single-quoted attribute values
 *   xml      — XML/SVG text and attributes (also valid inside inline SVG in HTML)
 *   md       — Markdown text and GFM table cells (backslash before every ASCII
 *              punctuation character; newlines become spaces)
 *   dot      — the inside of a DOT double-quoted label ("…")
 *   mermaid  — the inside of a Mermaid quoted label ["…"] (entity codes #NN;)
 *   csv      — one whole RFC 4180 field, quotes included (inner quotes doubled,
 *              line breaks as spaces); a value a spreadsheet would take for a
 *              formula (=, +, -, @ first) gets a leading apostrophe
 *   json     — a jansson string (sgr_json_text), which jansson then escapes;
 *              or the literal jansson would write for it (sgr_esc_json)
 */
#ifndef SGREACH_REPORT_ESCAPE_H
#define SGREACH_REPORT_ESCAPE_H

#include <jansson.h>
#include <stdio.h>

/* Every JSON string of every writer goes through this: jansson refuses a
 * string that is not valid UTF-8 (json_string returns NULL, and the key would
 * silently vanish), so malformed sequences become U+FFFD first; jansson
 * writes C1 and bidirectional controls raw, so they, and the C0 controls,
 * become their visible escapes (graph/printable.h). NULL → null. */
json_t *sgr_json_text(const char *s);
/* The JSON string literal, quotes included, that jansson writes for
 * sgr_json_text(s) (NULL: ""), without building the jansson string: for
 * writers that stream (output/json_writer.h). */
void sgr_esc_json(FILE *f, const char *s);

void sgr_esc_html(FILE *f, const char *s);
void sgr_esc_xml(FILE *f, const char *s);
/* XML element text that keeps its line breaks (JUnit failure bodies). */
void sgr_esc_xml_lines(FILE *f, const char *s);
void sgr_esc_md(FILE *f, const char *s);
void sgr_esc_dot(FILE *f, const char *s);
void sgr_esc_mermaid(FILE *f, const char *s);
void sgr_esc_csv(FILE *f, const char *s);
/* One CSV record: every cell through sgr_esc_csv, commas between, CRLF after. */
void sgr_csv_row(FILE *f, const char *const *cells, size_t n);

#endif
