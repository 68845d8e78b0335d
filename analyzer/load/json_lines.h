/*
 * The line index: jansson keeps no position per value, so after a document is
 * parsed we scan its raw text once and map every object and array (json_t*) to
 * the 1-based line where it starts. Importers use it for origins and warnings.
 *
 * Two passes, both linear: a tokenizer records every container start in text
 * order (line, member count, end of its subtree); then the jansson tree is
 * walked in document order (jansson 2.14 keeps object insertion order) and the
 * i-th container of the tree gets the i-th record. Where the counts disagree
 * (duplicate keys: jansson keeps one) the container itself is mapped and
 * nothing below it, so a line is never wrong, at worst unknown (0).
 */
#ifndef SGREACH_JSON_LINES_H
#define SGREACH_JSON_LINES_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sgr_line_index sgr_line_index;

/* Builds the index of `doc`, parsed from text[0..len). first_line is the line
 * of text[0] in its file (documents after the first in a multi-document file).
 * Returns a malloc'ed index to free with sgr_line_index_free(). */
sgr_line_index *sgr_line_index_build(const json_t *doc, const char *text, size_t len,
                                     uint32_t first_line);

void sgr_line_index_free(sgr_line_index *idx);

/* Adds delta to every line the index gives (an index built by a parsing
 * thread from line 1, before the loader knows where its text starts). */
void sgr_line_index_shift(sgr_line_index *idx, uint32_t delta);

/* Line of the text's last byte (first_line plus the newlines the scan saw),
 * so the loader need not count them again. */
uint32_t sgr_line_index_last_line(const sgr_line_index *idx);

/* Line where container v starts, 0 if v is not a mapped container. idx may be NULL. */
uint32_t sgr_line_index_get(const sgr_line_index *idx, const json_t *v);

#endif
