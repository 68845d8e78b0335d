/*
 * The snapshot's private bookkeeping (model.h's `struct sgr_index`), shared by
 * snapshot.c, import_util.c and link.c only: the object registry, the string
 * intern table, the "warn once" set and the diagnostic cap.
 */
#ifndef SGREACH_SNAPSHOT_INDEX_H
#define SGREACH_SNAPSHOT_INDEX_H

#include "graph/strmap.h"
#include "sgreach/model.h"

/* Diagnostics kept per snapshot; beyond this they are counted, not stored. */
#define SGR_MAX_DIAGS 20000u

struct sgr_index {
    sgr_strmap *objects;   /* tag = sgr_kind, key = id (or alias) → object */
    sgr_strmap *strings;   /* interned short strings */
    sgr_strmap *once;      /* keys of "warn once" diagnostics already given */
    sgr_strmap *rule_keys; /* security-group rule content keys (dedupe) */
    uint32_t dropped_diags;
};

/* True the first time `key` is seen under `tag`, false afterwards. */
bool sgr_snap_once(sgr_snapshot *snap, uint32_t tag, const char *key);

#endif
