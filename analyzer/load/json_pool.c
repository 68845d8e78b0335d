#include "load/json_pool.h"

#include <jansson.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdlib.h>

#include "graph/arena.h"

#define POOL_BLOCK (1u << 20)

typedef struct pblock {
    struct pblock *next;
    size_t size, used;
    alignas(max_align_t) unsigned char data[];
} pblock;

struct sgr_json_pool {
    pblock *blocks;     /* reusable after a reset, in order */
    pblock *cur;        /* the block being filled (within blocks) */
    pblock *pinned;     /* kept until end */
    json_malloc_t old_malloc;
    json_free_t old_free;
};

/* The pool jansson allocates from while a load runs, per thread (see the header). */
static _Thread_local sgr_json_pool *active;

static pblock *new_block(size_t want)
{
    size_t size = want > POOL_BLOCK ? want : POOL_BLOCK;
    pblock *b = sgr_xmalloc(sizeof *b + size);
    b->next = NULL;
    b->size = size;
    b->used = 0;
    return b;
}

static void *pool_malloc(size_t n)
{
    sgr_json_pool *p = active;
    n = (n + alignof(max_align_t) - 1) & ~(size_t)(alignof(max_align_t) - 1);
    if (n == 0)
        n = alignof(max_align_t);
    pblock *b = p->cur;
    while (b && b->size - b->used < n) {
        if (!b->next) {
            b->next = new_block(n);
        } else if (b->next->size < n) {
            pblock *big = new_block(n); /* too large for the reusable block: insert one */
            big->next = b->next;
            b->next = big;
        }
        b = b->next;
        b->used = 0;
    }
    if (!b) {
        b = p->blocks = new_block(n);
    }
    p->cur = b;
    void *r = b->data + b->used;
    b->used += n;
    return r;
}

static void pool_free(void *ptr)
{
    (void)ptr; /* taken back by the next reset */
}

sgr_json_pool *sgr_json_pool_begin(void)
{
    if (active)
        return NULL;
    sgr_json_pool *p = sgr_xcalloc(1, sizeof *p);
    json_get_alloc_funcs(&p->old_malloc, &p->old_free);
    active = p;
    json_set_alloc_funcs(pool_malloc, pool_free);
    return p;
}

sgr_json_pool *sgr_json_pool_new(void)
{
    sgr_json_pool *p = sgr_xcalloc(1, sizeof *p);
    json_get_alloc_funcs(&p->old_malloc, &p->old_free);
    return p;
}

sgr_json_pool *sgr_json_pool_enter(sgr_json_pool *p)
{
    sgr_json_pool *was = active;
    active = p;
    return was;
}

void sgr_json_pool_reset(sgr_json_pool *p)
{
    if (!p)
        return;
    p->cur = p->blocks;
    if (p->cur)
        p->cur->used = 0;
}

static void free_chain(pblock *b)
{
    while (b) {
        pblock *next = b->next;
        free(b);
        b = next;
    }
}

void sgr_json_pool_pin(sgr_json_pool *p)
{
    if (!p || !p->blocks)
        return;
    /* The blocks in use move to the pinned list; unused ones stay reusable. */
    pblock *rest = p->cur->next;
    p->cur->next = p->pinned;
    p->pinned = p->blocks;
    p->blocks = rest;
    p->cur = rest;
    if (rest)
        rest->used = 0;
}

void sgr_json_pool_free(sgr_json_pool *p)
{
    if (!p)
        return;
    free_chain(p->blocks);
    free_chain(p->pinned);
    free(p);
}

void sgr_json_pool_end(sgr_json_pool *p)
{
    if (!p)
        return;
    json_set_alloc_funcs(p->old_malloc, p->old_free);
    active = NULL;
    sgr_json_pool_free(p);
}
