#include "strmap.h"

#include <string.h>

typedef struct slot {
    const char *key;
    void *value;
    uint32_t tag;
    uint32_t hash;
} slot;

struct sgr_strmap {
    sgr_arena *arena;
    slot *slots;
    size_t cap, count;
};

/* Eight bytes a step (ids and ARNs are 20-120 characters, hashed hundreds
 * of thousands of times while a snapshot loads). Nothing iterates a map in
 * an order that reaches the output. */
static uint32_t hash_bytes(uint32_t tag, const char *key, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ ((uint64_t)tag << 32) ^ n;
    const unsigned char *p = (const unsigned char *)key;
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDull;
        h ^= h >> 32;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
    h ^= h >> 29;
    uint32_t r = (uint32_t)h ^ (uint32_t)(h >> 32);
    return r ? r : 1;
}

static uint32_t hash_key(uint32_t tag, const char *key)
{
    return hash_bytes(tag, key, strlen(key));
}

sgr_strmap *sgr_strmap_new(sgr_arena *a)
{
    sgr_strmap *m = SGR_NEW(a, sgr_strmap);
    m->arena = a;
    m->cap = 64;
    m->slots = SGR_NEW_N(a, slot, m->cap);
    return m;
}

static slot *find_slot(slot *slots, size_t cap, uint32_t tag, const char *key, uint32_t h)
{
    size_t i = h & (cap - 1);
    for (;;) {
        slot *s = &slots[i];
        if (!s->key || (s->hash == h && s->tag == tag && strcmp(s->key, key) == 0))
            return s;
        i = (i + 1) & (cap - 1);
    }
}

void *sgr_strmap_get(const sgr_strmap *m, uint32_t tag, const char *key)
{
    if (!key)
        return NULL;
    slot *s = find_slot(m->slots, m->cap, tag, key, hash_key(tag, key));
    return s->key ? s->value : NULL;
}

static void grow(sgr_strmap *m)
{
    size_t ncap = m->cap * 2;
    slot *ns = SGR_NEW_N(m->arena, slot, ncap);
    for (size_t i = 0; i < m->cap; i++) {
        slot *s = &m->slots[i];
        if (s->key)
            *find_slot(ns, ncap, s->tag, s->key, s->hash) = *s;
    }
    m->slots = ns;
    m->cap = ncap;
}

/* The slot of (tag, key) with hash h: its entry, or the free slot it would
 * take, with room kept for one more entry. */
static slot *slot_for(sgr_strmap *m, uint32_t tag, const char *key, uint32_t h)
{
    if ((m->count + 1) * 4 > m->cap * 3)
        grow(m);
    return find_slot(m->slots, m->cap, tag, key, h);
}

void *sgr_strmap_put(sgr_strmap *m, uint32_t tag, const char *key, void *value)
{
    uint32_t h = hash_key(tag, key);
    slot *s = slot_for(m, tag, key, h);
    if (s->key) {
        void *old = s->value;
        s->value = value;
        return old;
    }
    *s = (slot){key, value, tag, h};
    m->count++;
    return NULL;
}

const char *sgr_strmap_intern(sgr_strmap *m, uint32_t tag, const char *key, size_t len)
{
    uint32_t h = hash_bytes(tag, key, len);
    slot *s = slot_for(m, tag, key, h);
    if (s->key)
        return s->key;
    char *copy = sgr_arena_strndup(m->arena, key, len);
    *s = (slot){copy, copy, tag, h};
    m->count++;
    return copy;
}

size_t sgr_strmap_count(const sgr_strmap *m)
{
    return m->count;
}

int sgr_strmap_next(const sgr_strmap *m, size_t *pos, uint32_t *tag, const char **key, void **value)
{
    while (*pos < m->cap) {
        slot *s = &m->slots[(*pos)++];
        if (s->key) {
            if (tag)
                *tag = s->tag;
            if (key)
                *key = s->key;
            if (value)
                *value = s->value;
            return 1;
        }
    }
    return 0;
}
