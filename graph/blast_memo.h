/*
 * A hash table from three 32-bit numbers to a pointer: blast's memo of pair
 * answers per (class, class) and of load-balancer hops per (client class,
 * load balancer, target). Open addressing, grown by doubling; its slots are
 * malloc'ed (the old table is freed when it grows), the values are the
 * caller's.
 */
#ifndef SGREACH_BLAST_MEMO_H
#define SGREACH_BLAST_MEMO_H

#include <stddef.h>
#include <stdint.h>

typedef struct sgr_memo_slot {
    uint32_t a, b, c, used;
    void *v;
} sgr_memo_slot;

typedef struct sgr_memo {
    sgr_memo_slot *s;
    size_t cap, n;
} sgr_memo;

/* The value stored for (a, b, c), or NULL. */
void *sgr_memo_get(const sgr_memo *m, uint32_t a, uint32_t b, uint32_t c);
/* Stores v (not NULL) for (a, b, c). */
void sgr_memo_put(sgr_memo *m, uint32_t a, uint32_t b, uint32_t c, void *v);
/* Empties m, keeping its slots (no new pages for a table filled again). */
void sgr_memo_clear(sgr_memo *m);
void sgr_memo_free(sgr_memo *m);

#endif
