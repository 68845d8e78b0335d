/*
 * Every string the loader reads is printable (graph/printable.h): a string or
 * key of a parsed document that holds a control or bidirectional character
 * is replaced, in place, by its visible escape. Names, descriptions, tags and
 * ids then read the same in every output and in every selector that matches
 * them, and no writer can be handed a raw newline or ESC from the input.
 * Nothing AWS or Terraform accepts holds one (AWS restricts names,
 * descriptions and tags to printable characters), so a real estate is never
 * changed; a hostile one cannot forge a line (docs/security.md).
 */
#ifndef SGREACH_JSON_PRINTABLE_H
#define SGREACH_JSON_PRINTABLE_H

#include <jansson.h>
#include <stddef.h>

/* Makes doc printable. text and len are the JSON text doc was parsed from:
 * they are scanned first, and a document whose text holds no escape but \" \\
 * and \/ and no byte that can begin an unprintable character is not walked. */
void sgr_json_make_printable(json_t *doc, const char *text, size_t len);

#endif
