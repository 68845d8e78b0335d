#include "load/json_lines.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"

typedef struct rec {
    uint32_t line;
    uint32_t count; /* members (object) or elements (array) in the text */
    uint32_t end;   /* index one past the last record of this subtree */
    uint8_t is_object;
} rec;

typedef struct slot {
    const json_t *key;
    uint32_t line;
} slot;

struct sgr_line_index {
    slot *slots;
    size_t mask; /* capacity - 1, a power of two minus one */
    uint32_t last_line; /* line of the text's last byte */
    uint32_t delta;     /* added to every line given out (sgr_line_index_shift) */
};

typedef struct scan {
    rec *recs;
    uint32_t n, cap;
} scan;

static uint32_t push_rec(scan *s, uint32_t line, uint8_t is_object)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->recs = sgr_xrealloc(s->recs, (size_t)s->cap * sizeof *s->recs);
    }
    s->recs[s->n] = (rec){line, 0, 0, is_object};
    return s->n++;
}

/* Pass 1: one scan of the text. Strings cannot hold raw newlines or brackets
 * that matter, so they are skipped with memchr to their closing quote. */
static uint32_t tokenize(scan *s, const char *text, size_t len, uint32_t line)
{
    uint32_t *stack = NULL;
    size_t depth = 0, scap = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        char c = *p;
        switch (c) {
        case '\n':
            line++;
            p++;
            /* a pretty-printed document indents every line: the run of
             * spaces in one tight loop, not a byte per turn of the switch */
            while (p < end && *p == ' ')
                p++;
            continue;
        case ' ':
        case '\t':
        case '\r':
        case ':':
            p++;
            continue;
        case ',':
            if (depth)
                s->recs[stack[depth - 1]].count++;
            p++;
            continue;
        case '}':
        case ']':
            if (depth) {
                depth--;
                s->recs[stack[depth]].end = s->n;
            }
            p++;
            continue;
        default:
            break;
        }
        /* A token starts here: the enclosing container is not empty. */
        if (depth && s->recs[stack[depth - 1]].count == 0)
            s->recs[stack[depth - 1]].count = 1;
        if (c == '{' || c == '[') {
            if (depth == scap) {
                scap = scap ? scap * 2 : 64;
                stack = sgr_xrealloc(stack, scap * sizeof *stack);
            }
            stack[depth++] = push_rec(s, line, c == '{');
            p++;
        } else if (c == '"') {
            p++;
            for (;;) {
                const char *q = memchr(p, '"', (size_t)(end - p));
                if (!q) {
                    p = end;
                    break;
                }
                const char *b = q;
                while (b > p && b[-1] == '\\')
                    b--;
                p = q + 1;
                if (((q - b) & 1) == 0)
                    break; /* an even run of backslashes: the quote is real */
            }
        } else {
            p++;
        }
    }
    /* Unclosed containers cannot occur in a parsed document; be safe anyway. */
    while (depth)
        s->recs[stack[--depth]].end = s->n;
    free(stack);
    return line;
}

static size_t hash_ptr(const json_t *v)
{
    uintptr_t x = (uintptr_t)v >> 4;
    return (size_t)(x * 0x9E3779B97F4A7C15ull >> 17);
}

static void put(sgr_line_index *idx, const json_t *v, uint32_t line)
{
    size_t i = hash_ptr(v) & idx->mask;
    while (idx->slots[i].key && idx->slots[i].key != v)
        i = (i + 1) & idx->mask;
    idx->slots[i].key = v;
    idx->slots[i].line = line;
}

/* Pass 2: the tree in document order; *i is the next unused record. */
static void walk(sgr_line_index *idx, const scan *s, const json_t *v, uint32_t *i)
{
    if (*i >= s->n)
        return;
    const rec *r = &s->recs[*i];
    bool obj = json_is_object(v);
    if (obj != (r->is_object != 0)) {
        *i = r->end;
        return;
    }
    put(idx, v, r->line);
    size_t size = obj ? json_object_size(v) : json_array_size(v);
    if (size != r->count) {
        *i = r->end; /* duplicate keys: the children cannot be matched safely */
        return;
    }
    uint32_t self_end = r->end;
    (*i)++;
    if (obj) {
        const char *key;
        const json_t *child;
        json_object_foreach ((json_t *)v, key, child)
            if (json_is_object(child) || json_is_array(child))
                walk(idx, s, child, i);
    } else {
        for (size_t k = 0; k < size; k++) {
            const json_t *child = json_array_get(v, k);
            if (json_is_object(child) || json_is_array(child))
                walk(idx, s, child, i);
        }
    }
    *i = self_end;
}

sgr_line_index *sgr_line_index_build(const json_t *doc, const char *text, size_t len,
                                     uint32_t first_line)
{
    scan s = {0};
    uint32_t last = tokenize(&s, text, len, first_line);
    sgr_line_index *idx = sgr_xmalloc(sizeof *idx);
    idx->last_line = last;
    idx->delta = 0;
    size_t cap = 16;
    while (cap < (size_t)s.n * 2)
        cap *= 2;
    idx->slots = sgr_xcalloc(cap, sizeof *idx->slots);
    idx->mask = cap - 1;
    uint32_t i = 0;
    if (doc && (json_is_object(doc) || json_is_array(doc)))
        walk(idx, &s, doc, &i);
    free(s.recs);
    return idx;
}

void sgr_line_index_free(sgr_line_index *idx)
{
    if (!idx)
        return;
    free(idx->slots);
    free(idx);
}

uint32_t sgr_line_index_get(const sgr_line_index *idx, const json_t *v)
{
    if (!idx || !v)
        return 0;
    size_t i = hash_ptr(v) & idx->mask;
    while (idx->slots[i].key) {
        if (idx->slots[i].key == v)
            return idx->slots[i].line ? idx->slots[i].line + idx->delta : 0;
        i = (i + 1) & idx->mask;
    }
    return 0;
}

void sgr_line_index_shift(sgr_line_index *idx, uint32_t delta)
{
    if (idx)
        idx->delta += delta;
}

uint32_t sgr_line_index_last_line(const sgr_line_index *idx)
{
    return idx ? idx->last_line + idx->delta : 0;
}
