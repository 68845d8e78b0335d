/*
 * json_loadb, fast on the JSON the AWS CLI writes. jansson reads a byte at a
 * time through a function call and copies every byte of every string into a
 * buffer and out again; on a real estate that is most of a load
 * (docs/performance.md). This reads the common subset at the speed of
 * memory: objects, arrays, strings whose escapes are \" \\ \/ \b \f \n \r \t,
 * integers of up to 18 digits, true, false and null, with jansson's own
 * whitespace. The values are made with jansson's constructors in the order
 * json_loadb makes them (json_object_setn_new_nocheck per member, so a
 * duplicate key ends as jansson ends it), so the tree is the one jansson
 * builds.
 *
 * Anything else gives up: a \u escape, a fraction or an exponent, a longer
 * integer, a control character or malformed UTF-8 in a string, nesting past
 * 1,000 levels, any syntax error. Then the text is handed to json_loadb,
 * whose tree, or error and position, is the answer; so nothing is decided
 * here that jansson would decide otherwise (tests/unit/test_json_plain.c
 * holds the two side by side, on crafted and on random texts).
 */
#ifndef SGREACH_JSON_PLAIN_H
#define SGREACH_JSON_PLAIN_H

#include <jansson.h>
#include <stddef.h>

/* json_loadb(text, len, flags, err) for flags 0 or JSON_DISABLE_EOF_CHECK:
 * the same tree, and on success err->position is where the value ends. */
json_t *sgr_json_loadb(const char *text, size_t len, size_t flags, json_error_t *err);

/* The first position from pos on that is not JSON whitespace (space, tab,
 * CR, LF: jansson's set), or len. */
size_t sgr_json_skip_space(const char *text, size_t len, size_t pos);

/* The fast half alone: the tree, or NULL where it gives up (*used: the
 * bytes up to the value's end). For the tests. */
json_t *sgr_json_plain(const char *text, size_t len, size_t flags, size_t *used);

#endif
