/*
 * The snapshot's private bookkeeping (model.h's `struct sgr_index`), shared by
 * snapshot.c, import_util.c and link.c only: the object registry, the string
 * intern table, the "warn once" set and the diagnostic cap.
 */
#ifndef SGREACH_SNAPSHOT_INT_H
#define SGREACH_SNAPSHOT_INT_H

#include "graph/strmap.h"
#include "sgreach/model.h"

/* Diagnostics kept per snapshot; beyond this they are counted, not stored. */
#define SGR_MAX_DIAGS 20000u

struct sgr_index {
    sgr_strmap *objects;   /* tag = sgr_kind, key = id (or alias) → object */
    sgr_strmap *strings;   /* interned short strings */
    sgr_strmap *once;      /* keys of "warn once" diagnostics already given */
    sgr_strmap *rule_keys; /* security-group rule content keys (dedupe) */
    sgr_strmap *caps;      /* (tag, object id) → capacity of a growing array */
    sgr_strmap *coverage_of; /* "account|region|call" → its sgr_coverage (coverage.c) */
    uint32_t dropped_diags;
    struct sgr_alias {     /* every sgr_snap_alias(), so a removal finds them */
        uint32_t kind;
        const char *key;
        void *obj;
    } *aliases;
    uint32_t n_aliases, cap_aliases;
};

/* Dedupe bound: arrays are deduplicated by a linear scan over their first
 * SGR_DEDUPE_SCAN elements only, so hostile inputs cannot make it quadratic;
 * a duplicate beyond that (an address listed twice) changes no verdict. */
#define SGR_DEDUPE_SCAN 256u

/* Makes room for `more` elements after the n of arr (elements of elem bytes),
 * doubling: the capacity is remembered under (tag, key), key an arena string
 * that names the array's owner. Returns the (possibly moved) array. */
void *sgr_snap_reserve(sgr_snapshot *snap, uint32_t tag, const char *key, void *arr, uint32_t n,
                       uint32_t more, size_t elem);

/* True the first time `key` is seen under `tag`, false afterwards. */
bool sgr_snap_once(sgr_snapshot *snap, uint32_t tag, const char *key);

#endif
