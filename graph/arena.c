#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK (256 * 1024)
#define ARENA_ALIGN 16

typedef struct block {
    struct block *next;
    size_t size, used;
    _Alignas(ARENA_ALIGN) unsigned char data[];
} block;

struct sgr_arena {
    block *head;
    size_t total;
};

_Noreturn void sgr_oom(void)
{
    fputs("sgreach: out of memory\n", stderr);
    exit(4);
}

void *sgr_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        sgr_oom();
    return p;
}

void *sgr_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        sgr_oom();
    return p;
}

void *sgr_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        sgr_oom();
    return q;
}

char *sgr_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(sgr_xmalloc(n), s, n);
}

sgr_arena *sgr_arena_new(void)
{
    return sgr_xcalloc(1, sizeof(sgr_arena));
}

void sgr_arena_free(sgr_arena *a)
{
    if (!a)
        return;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(a);
}

void sgr_arena_reset(sgr_arena *a)
{
    block *keep = NULL;
    for (block *b = a->head, *next; b; b = next) {
        next = b->next;
        if (!keep && b->size == ARENA_BLOCK)
            keep = b;
        else
            free(b);
    }
    if (keep) {
        keep->used = 0;
        keep->next = NULL;
    }
    a->head = keep;
    a->total = 0;
}

void *sgr_arena_alloc(sgr_arena *a, size_t size)
{
    size = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (size == 0)
        size = ARENA_ALIGN;
    block *b = a->head;
    if (!b || b->size - b->used < size) {
        /* Large requests get a block of their own so the current one keeps its tail. */
        size_t want = size > ARENA_BLOCK / 4 ? size : ARENA_BLOCK;
        if (want > SIZE_MAX - sizeof(block))
            sgr_oom();
        block *nb = malloc(sizeof(block) + want);
        if (!nb)
            sgr_oom();
        nb->size = want;
        nb->used = 0;
        if (b && want != ARENA_BLOCK) {
            nb->next = b->next; /* keep the partly used block at the head */
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += size;
    a->total += size;
    memset(p, 0, size);
    return p;
}

void *sgr_arena_alloc_array(sgr_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        sgr_oom();
    return sgr_arena_alloc(a, n * size);
}

char *sgr_arena_strndup(sgr_arena *a, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = sgr_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sgr_arena_strdup(sgr_arena *a, const char *s)
{
    return s ? sgr_arena_strndup(a, s, strlen(s)) : NULL;
}

/* fmt's text, printed once into buf when it fits (most texts are ids and
 * port lists: measuring first and printing again cost two passes each
 * time), else into *big (malloc'd, for the caller to free). Its length, or
 * -1 on an encoding error. */
static int vformat(char *buf, size_t cap, char **big, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(buf, cap, fmt, ap);
    *big = NULL;
    if (n >= 0 && (size_t)n >= cap) {
        *big = sgr_xmalloc((size_t)n + 1);
        vsnprintf(*big, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    return n;
}

char *sgr_arena_printf(sgr_arena *a, const char *fmt, ...)
{
    char buf[256], *big;
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(buf, sizeof buf, &big, fmt, ap);
    va_end(ap);
    char *p = sgr_arena_strndup(a, big ? big : buf, n < 0 ? 0 : (size_t)n);
    free(big);
    return p;
}

void sgr_text_add(sgr_text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t ncap = t->cap ? t->cap * 2 : 64;
        while (ncap < t->len + n + 1)
            ncap *= 2;
        char *ns = sgr_arena_alloc(t->a, ncap);
        if (t->len)
            memcpy(ns, t->s, t->len);
        t->s = ns;
        t->cap = ncap;
    }
    if (n)
        memcpy(t->s + t->len, s, n);
    t->len += n;
    t->s[t->len] = '\0';
}

void sgr_text_str(sgr_text *t, const char *s)
{
    sgr_text_add(t, s, strlen(s));
}

void sgr_text_int(sgr_text *t, long v)
{
    char buf[24], *p = buf + sizeof buf;
    unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
    do
        *--p = (char)('0' + u % 10);
    while (u /= 10);
    if (v < 0)
        *--p = '-';
    sgr_text_add(t, p, (size_t)(buf + sizeof buf - p));
}

void sgr_text_printf(sgr_text *t, const char *fmt, ...)
{
    char buf[256], *big;
    va_list ap;
    va_start(ap, fmt);
    int n = vformat(buf, sizeof buf, &big, fmt, ap);
    va_end(ap);
    if (n >= 0)
        sgr_text_add(t, big ? big : buf, (size_t)n);
    free(big);
}

void *sgr_arena_memdup(sgr_arena *a, const void *p, size_t n)
{
    void *q = sgr_arena_alloc(a, n);
    if (n)
        memcpy(q, p, n);
    return q;
}

void *sgr_arena_grow(sgr_arena *a, void *old, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap)
        return old;
    uint64_t ncap = *cap ? (uint64_t)*cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    if (ncap > UINT32_MAX)
        sgr_oom();
    void *p = sgr_arena_alloc_array(a, (size_t)ncap, elem);
    if (old && *cap)
        memcpy(p, old, (size_t)*cap * elem);
    *cap = (uint32_t)ncap;
    return p;
}

size_t sgr_arena_used(const sgr_arena *a)
{
    return a->total;
}

int sgr_cmp_ptr(const void *pa, const void *pb)
{
    uintptr_t a = (uintptr_t)*(const void *const *)pa, b = (uintptr_t)*(const void *const *)pb;
    return a < b ? -1 : a > b;
}
