/*
 * blast_memo.h: a (u32, u32, u32) -> pointer hash table.
 */
#include "blast_memo.h"

#include <stdlib.h>
#include <string.h>

#include "arena.h"

static size_t slot_of(const sgr_memo *m, uint32_t a, uint32_t b, uint32_t c)
{
    uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ULL;
    h ^= ((uint64_t)b + 0x632BE59BD9B4E019ULL) * 0xC2B2AE3D27D4EB4FULL;
    h ^= ((uint64_t)c + 0x165667B19E3779F9ULL) * 0x85EBCA77C2B2AE63ULL;
    h ^= h >> 29;
    return (size_t)h & (m->cap - 1);
}

void *sgr_memo_get(const sgr_memo *m, uint32_t a, uint32_t b, uint32_t c)
{
    if (!m->cap)
        return NULL;
    for (size_t i = slot_of(m, a, b, c);; i = (i + 1) & (m->cap - 1)) {
        const sgr_memo_slot *s = &m->s[i];
        if (!s->used)
            return NULL;
        if (s->a == a && s->b == b && s->c == c)
            return s->v;
    }
}

static void put_slot(sgr_memo *m, uint32_t a, uint32_t b, uint32_t c, void *v)
{
    for (size_t i = slot_of(m, a, b, c);; i = (i + 1) & (m->cap - 1)) {
        sgr_memo_slot *s = &m->s[i];
        if (!s->used) {
            *s = (sgr_memo_slot){a, b, c, 1, v};
            m->n++;
            return;
        }
        if (s->a == a && s->b == b && s->c == c) {
            s->v = v;
            return;
        }
    }
}

void sgr_memo_put(sgr_memo *m, uint32_t a, uint32_t b, uint32_t c, void *v)
{
    if (2 * (m->n + 1) > m->cap) { /* at most half full: probes stay short */
        sgr_memo old = *m;
        m->cap = old.cap ? 2 * old.cap : 1024;
        m->s = sgr_xcalloc(m->cap, sizeof *m->s);
        m->n = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.s[i].used)
                put_slot(m, old.s[i].a, old.s[i].b, old.s[i].c, old.s[i].v);
        free(old.s);
    }
    put_slot(m, a, b, c, v);
}

void sgr_memo_clear(sgr_memo *m)
{
    if (m->cap)
        memset(m->s, 0, m->cap * sizeof *m->s);
    m->n = 0;
}

void sgr_memo_free(sgr_memo *m)
{
    free(m->s);
    m->s = NULL;
    m->cap = m->n = 0;
}
