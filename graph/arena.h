/*
 * A bump allocator: one per snapshot (and one per compiled graph). Everything
 * allocated from it dies with sgr_arena_free(). Out of memory is handled here,
 * in one place: a message on stderr and exit 4.
 */
#ifndef SGREACH_ARENA_H
#define SGREACH_ARENA_H

#include <stddef.h>
#include <stdint.h>

typedef struct sgr_arena sgr_arena;

sgr_arena *sgr_arena_new(void);
void sgr_arena_free(sgr_arena *a);

/* Forgets everything allocated so far but keeps one block for what comes
 * next: a scratch arena reused once per item of a long loop. */
void sgr_arena_reset(sgr_arena *a);

/* Zeroed memory aligned for any type. Never returns NULL. */
void *sgr_arena_alloc(sgr_arena *a, size_t size);
#define SGR_NEW(a, type) ((type *)sgr_arena_alloc((a), sizeof(type)))
#define SGR_NEW_N(a, type, n) ((type *)sgr_arena_alloc_array((a), (n), sizeof(type)))
void *sgr_arena_alloc_array(sgr_arena *a, size_t n, size_t size);

/* Copies of strings and memory into the arena. sgr_arena_strdup(NULL) is NULL. */
char *sgr_arena_strdup(sgr_arena *a, const char *s);
char *sgr_arena_strndup(sgr_arena *a, const char *s, size_t n);
char *sgr_arena_printf(sgr_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void *sgr_arena_memdup(sgr_arena *a, const void *p, size_t n);

/* A text made by appending, in the arena (grown by doubling; the old
 * copies stay in the arena): port lists and other texts of many parts,
 * which printing the whole text again for each part made quadratic.
 * s is NULL until something is added. */
typedef struct sgr_text {
    sgr_arena *a;
    char *s;
    size_t len, cap;
} sgr_text;
void sgr_text_add(sgr_text *t, const char *s, size_t n);
void sgr_text_str(sgr_text *t, const char *s);
/* What "%ld" prints, without printf (millions of port numbers). */
void sgr_text_int(sgr_text *t, long v);
void sgr_text_printf(sgr_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Grows an array of `elem` bytes from *cap to at least need elements,
 * copying the old contents; the old block stays in the arena. */
void *sgr_arena_grow(sgr_arena *a, void *old, uint32_t *cap, uint32_t need, size_t elem);

/* Bytes handed out so far (for the benchmark's memory figures). */
size_t sgr_arena_used(const sgr_arena *a);

/* The single out-of-memory exit: prints and exits with status 4. */
_Noreturn void sgr_oom(void);

/* malloc/realloc/calloc that never return NULL (sgr_oom instead). */
/* qsort/bsearch order of pointers (by address: stable within one run, used
 * only for sets, never for output order). */
int sgr_cmp_ptr(const void *pa, const void *pb);

void *sgr_xmalloc(size_t n);
void *sgr_xcalloc(size_t n, size_t size);
void *sgr_xrealloc(void *p, size_t n);
char *sgr_xstrdup(const char *s);

#endif
