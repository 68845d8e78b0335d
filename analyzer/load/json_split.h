/*
 * A structural scan of one JSON document: where it ends, and, for a large
 * document that is an object of top-level arrays (the shape every
 * `aws ... describe-*` call prints: {"NetworkInterfaces": [...]}), where each
 * element of those arrays lies, so that pieces of elements can be parsed on
 * both cores and imported in order while the rest of the document is still
 * being parsed (json_feed.h). Nothing is parsed here: the scan follows
 * strings, brackets, commas and colons only, at about the speed of memchr.
 *
 * Exactness. On valid JSON the scan delimits exactly what jansson parses.
 * The glue between the pieces (the braces, keys, colons and commas of the
 * top level and of the split arrays) is checked here, strictly; everything
 * else is left to jansson, which parses every byte of the document in one
 * piece or another. So the pieces all parse exactly when the document
 * parses, and then to the same values. When a piece does not parse, the
 * caller parses the whole document again in one go for jansson's own error
 * and position (docs/performance.md).
 */
#ifndef SGREACH_JSON_SPLIT_H
#define SGREACH_JSON_SPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a top-level key's value is to the loader. */
typedef enum sgr_split_key {
    SGR_SPLIT_OTHER,   /* read whole (or not known): the document is not split */
    SGR_SPLIT_SILENT,  /* accepted and ignored: its value is only checked */
    SGR_SPLIT_ELEMENTS /* an array imported element by element */
} sgr_split_key;

typedef sgr_split_key (*sgr_split_classify)(const char *key);

/* Longest string value or key, in bytes as written, that a document may hold.
 * jansson keeps a string in a growing buffer and then copies it, and the
 * importers copy it again: one 1 GB string cost 5 GB of memory beside the
 * file (issue 16). Nothing AWS or Terraform prints comes near this (names and
 * descriptions are at most a few kB, user data 16 kB, a policy document
 * tens of kB); a document with a longer string is refused, located
 * (docs/security.md, "Input limits"). */
#define SGR_JSON_STRING_MAX ((size_t)16 << 20)

/* Longest top-level key a split document may have (longer: not split). */
#define SGR_SPLIT_KEY_MAX 64

typedef struct sgr_split_piece {
    size_t start, end;    /* text[start..end): elements with the commas between, or a member's value */
    uint32_t rel_line;    /* newlines between the document's start and `start` */
    uint32_t member;      /* which top-level member (0-based) */
    size_t first_index;   /* index of the piece's first element in its array */
    bool elements;        /* elements to import; false: a silent member's value, to check */
} sgr_split_piece;

typedef struct sgr_split_member {
    char key[SGR_SPLIT_KEY_MAX + 1];
} sgr_split_member;

typedef struct sgr_split {
    size_t end;           /* one past the document's last byte (its closing bracket) */
    uint32_t newlines;    /* newlines inside the document */
    bool delimited;       /* false: not a container, or the text ends before it closes */
    bool split;           /* the pieces below cover the document (else parse it whole) */
    /* a string longer than SGR_JSON_STRING_MAX (or unterminated past it): the
     * document is refused, not parsed. long_at: its opening quote; long_line:
     * newlines from the document's start to it; long_len: bytes of its body
     * (to the text's end when unterminated) */
    bool too_long;
    size_t long_at, long_len;
    uint32_t long_line;
    sgr_split_member *members;
    size_t n_members, cap_members;
    sgr_split_piece *pieces;
    size_t n_pieces, cap_pieces;
    /* scratch reused from one document to the next */
    size_t *elem_start;   /* offset of each element's slice (after '[' or ',') */
    uint32_t *elem_line;
    size_t n_elems, cap_elems;
    unsigned char *stack;
    size_t cap_stack;
} sgr_split;

/* Scans the document starting at text[pos] (its first byte, not white space)
 * of text[0..len), and stops at a string too long (too_long). With classify, and when the document is an object whose
 * keys classify all as SILENT or ELEMENTS (at least one ELEMENTS, each an
 * array, no key twice), cuts its arrays into pieces of about piece_bytes.
 * `s` is reused across calls (zero it first; free with sgr_split_free). */
void sgr_split_scan(sgr_split *s, const char *text, size_t len, size_t pos,
                    sgr_split_classify classify, size_t piece_bytes);

void sgr_split_free(sgr_split *s);

#endif
