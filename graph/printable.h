/*
 * What may reach a reader: a string of the input holding a control character
 * (C0, DEL, C1) or a Unicode bidirectional control can forge a line of text
 * output (a newline, then "::error file=x::" for GitHub Actions or a fake
 * verdict), clear a terminal (ESC [2J) or make a name read backwards
 * (U+202E). Such a character is written as a visible escape instead:
 * \n \r \t, \xHH for the other C0 controls and DEL, \uHHHH for C1 and the
 * bidirectional controls.
 * The loader applies it to every string it reads (load/json_printable.h),
 * the writers once more to what they print (docs/security.md).
 */
#ifndef SGREACH_PRINTABLE_H
#define SGREACH_PRINTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"

#define SGR_REPLACEMENT_CHAR 0xFFFDu

/* Decodes one code point at s (NUL-terminated, or with a readable byte after
 * every lead byte); *len gets its length (>= 1). Malformed: U+FFFD, *len 1.
 * What it calls malformed is jansson's rule (RFC 3629: no overlong form, no
 * surrogate, nothing past U+10FFFF): load/json_plain.c relies on it to
 * refuse what json_loadb refuses. */
uint32_t sgr_utf8_next(const unsigned char *s, size_t *len);

/* A code point no output may carry raw: C0, DEL, C1, U+061C, U+200E, U+200F,
 * U+202A-U+202E, U+2066-U+2069. */
bool sgr_unprintable(uint32_t cp);

/* Whether the len bytes at s hold no unprintable code point (a NUL counts as
 * one). A malformed UTF-8 byte is not one: it is kept, for each writer to
 * replace as its language requires (a file name in Latin-1 stays the file's
 * name, percent-encoded in a SARIF URI, U+FFFD in JSON). */
bool sgr_printable(const char *s, size_t len);

/* The escaped form of the len bytes at s, NUL-terminated, malloc'd. */
char *sgr_printable_dup(const char *s, size_t len);

/* s itself when printable, else its escaped form in a. NULL stays NULL. */
const char *sgr_printable_in(sgr_arena *a, const char *s);

/* The escape of one unprintable code point into out, NUL-terminated (U+FFFD
 * for any other); returns its length. */
#define SGR_ESCAPE_MAX 8

/* Writes s (NULL: nothing) to f, escaped. */
void sgr_printable_fputs(FILE *f, const char *s);
size_t sgr_printable_escape(char out[SGR_ESCAPE_MAX], uint32_t cp);

#endif
