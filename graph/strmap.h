/*
 * A string-keyed hash map (open addressing, a word-at-a-time hash), its memory in an arena.
 * Keys are not copied: they must outlive the map (arena strings do).
 */
#ifndef SGREACH_STRMAP_H
#define SGREACH_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

typedef struct sgr_strmap sgr_strmap;

sgr_strmap *sgr_strmap_new(sgr_arena *a);

/* Value for key (with a 32-bit tag distinguishing namespaces), or NULL. */
void *sgr_strmap_get(const sgr_strmap *m, uint32_t tag, const char *key);

/* Sets key → value, replacing any previous value; returns the previous value or NULL. */
void *sgr_strmap_put(sgr_strmap *m, uint32_t tag, const char *key, void *value);

/* The key if present, else `key` copied into the map's arena and inserted
 * (mapping to itself): one hash and one probe for string interning. */
const char *sgr_strmap_intern(sgr_strmap *m, uint32_t tag, const char *key, size_t len);

size_t sgr_strmap_count(const sgr_strmap *m);

/* Iteration in unspecified order: returns false when done. *pos starts at 0. */
int sgr_strmap_next(const sgr_strmap *m, size_t *pos, uint32_t *tag, const char **key, void **value);

#endif
