/*
 * The behaviour memo of whole-estate reach (engine_reach_memo.c): which
 * destinations of a fixed source get the same answer, so that one pair
 * evaluation serves them all. Internal to graph/.
 */
#ifndef SGREACH_ENGINE_REACH_MEMO_H
#define SGREACH_ENGINE_REACH_MEMO_H

#include "engine.h"

enum { SGR_MEMO_MAX_REF_RULES = 32 };

typedef struct sgr_reach_key {
    uint32_t a4, a6; /* atoms of the destination's addresses among the source's cuts */
    uint64_t refs;   /* which group references of the source's outbound rules match it */
} sgr_reach_key;

typedef struct sgr_reach_memo {
    const sgr_epx **rep;  /* the first endpoint of each behaviour, or NULL; NULL array: memo off */
    sgr_reach_key *key;
    int32_t *answer;      /* index of its kept answer in the output, -1 none */
    size_t mask;
    bool inside;          /* an inside source: its cuts and outbound group references */
    const sgr_epx *from;
    sgr_cuts c;
    const sgr_crule *refs[SGR_MEMO_MAX_REF_RULES];
    uint32_t n_refs;
} sgr_reach_memo;

/* Sets the memo up for source f (its cuts allocated in a), or leaves it off. */
void sgr_reach_memo_open(const sgr_graph *g, sgr_arena *a, const sgr_epx *f, sgr_reach_memo *m);
void sgr_reach_memo_close(sgr_reach_memo *m);

/* Whether x may share an answer with others; then its key and slot: an empty
 * one (rep NULL) or the one of the behaviour it shares. */
bool sgr_reach_memo_shareable(const sgr_reach_memo *m, const sgr_epx *x);
sgr_reach_key sgr_reach_memo_key(const sgr_reach_memo *m, const sgr_epx *x);
size_t sgr_reach_memo_slot(const sgr_reach_memo *m, const sgr_epx *x, const sgr_reach_key *k);

#endif
