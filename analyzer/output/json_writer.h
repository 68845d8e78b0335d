/*
 * A JSON document written as it is made, for outputs too large to build as
 * a jansson tree first (exposure at a million interfaces prints hundreds of
 * MB). The bytes are those sgr_json_print writes for the same tree: jansson's
 * JSON_INDENT(2) layout, members in the order given, every string as
 * sgr_json_text makes it, then a newline. tests/unit/test_json_writer.c
 * holds the two side by side.
 *
 *   sgr_jw w;
 *   sgr_jw_start(&w, out);
 *   sgr_jw_object(&w);
 *   sgr_jw_key(&w, "from"); sgr_jw_text(&w, "internet");
 *   sgr_jw_key(&w, "rules"); sgr_jw_array(&w); ... sgr_jw_end(&w);
 *   sgr_jw_end(&w);
 *   sgr_jw_finish(&w);
 */
#ifndef SGREACH_JSON_WRITER_H
#define SGREACH_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Deeper than any document sgreach writes; past it the writer aborts. */
#define SGR_JW_DEPTH_MAX 32

typedef struct sgr_jw {
    FILE *out;
    uint32_t depth;                      /* containers open */
    bool after_key;                      /* a key was written: its value comes next */
    bool filled[SGR_JW_DEPTH_MAX + 1];   /* the container at this depth has a member */
    char close[SGR_JW_DEPTH_MAX + 1];    /* '}' or ']' */
} sgr_jw;

void sgr_jw_start(sgr_jw *w, FILE *out);
/* Opens an object or an array, as a value (after a key, in an array, or the
 * document itself). */
void sgr_jw_object(sgr_jw *w);
void sgr_jw_array(sgr_jw *w);
/* Closes the innermost open container. */
void sgr_jw_end(sgr_jw *w);
/* An object's member name; its value follows. */
void sgr_jw_key(sgr_jw *w, const char *key);
/* Values. A NULL text is null, as sgr_json_text gives. */
void sgr_jw_text(sgr_jw *w, const char *s);
void sgr_jw_int(sgr_jw *w, long long v);
void sgr_jw_null(sgr_jw *w);
/* key, then text: the common member. */
void sgr_jw_field(sgr_jw *w, const char *key, const char *s);
/* The newline after the document. */
void sgr_jw_finish(sgr_jw *w);

#endif
