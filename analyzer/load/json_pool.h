/*
 * A bump allocator for jansson while a snapshot loads. Parsing a document
 * makes one malloc per JSON value and json_decref one free per value; with a
 * pool, allocation is a pointer bump, free is nothing, and the memory of a
 * whole document is taken back at once after its import (the importers copy
 * what they keep into the snapshot's arena). This is most of the difference
 * between loading and merely parsing (docs/performance.md).
 *
 * jansson's allocator is process-wide (json_set_alloc_funcs), so the active
 * pool is one thread-local pointer: the only global state of sgreach, set and
 * cleared by begin/end around one load (and enter, on the thread that parses
 * ahead: json_feed.h). Contract: no jansson value may cross the begin/end
 * boundary (none created before begin is freed inside, none created inside
 * outlives end). Nested loads fall back to the outer load's pool (begin
 * returns NULL).
 */
#ifndef SGREACH_JSON_POOL_H
#define SGREACH_JSON_POOL_H

typedef struct sgr_json_pool sgr_json_pool;

/* Installs a new pool as jansson's allocator; NULL when one is already active. */
sgr_json_pool *sgr_json_pool_begin(void);

/* A pool of its own, not installed: for a thread that parses (enter). */
sgr_json_pool *sgr_json_pool_new(void);

/* Makes p this thread's pool (between begin and end); returns the previous one. */
sgr_json_pool *sgr_json_pool_enter(sgr_json_pool *p);

/* Frees a pool from sgr_json_pool_new and every value in it. p may be NULL. */
void sgr_json_pool_free(sgr_json_pool *p);

/* Every value allocated since the last reset (or pin) is dead: reuse the memory. */
void sgr_json_pool_reset(sgr_json_pool *p);

/* Keeps everything allocated so far alive until end (a document kept for later). */
void sgr_json_pool_pin(sgr_json_pool *p);

/* Restores jansson's previous allocator and frees every block. p may be NULL. */
void sgr_json_pool_end(sgr_json_pool *p);

#endif
