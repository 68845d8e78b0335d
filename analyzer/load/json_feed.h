/*
 * The documents of a snapshot's files, parsed ahead on two threads (each
 * takes every other file). Parsing (jansson) is most of a load; the
 * importers run on the loading thread at the same time, each document handed
 * over in file order, so what is imported, and every diagnostic, comes out
 * exactly as a one-thread load would give them (docs/performance.md).
 *
 * A feed thread reads each of its files, skips a UTF-8 byte order mark, and parses
 * every document of it (several may follow one another) into a pool of its
 * own (json_pool.h). Line numbers are the loader's: it indexes each document
 * (json_lines.h) on its own thread while the next ones parse. At most two
 * documents per feed thread are alive at once: the loader releases each when
 * its import is done (the pool is taken back) or keeps it for later (pinned).
 */
#ifndef SGREACH_JSON_FEED_H
#define SGREACH_JSON_FEED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


typedef enum sgr_feed_kind {
    SGR_FEED_FILE,        /* a file starts: text (valid until its FILE_END is released), or read_errno */
    SGR_FEED_DOC,         /* a document: doc, and its text at text + offset, `used` bytes long */
    SGR_FEED_PARSE_ERROR, /* a document at offset that does not parse: err (its line and column
                           * counted from the document's start); the file's rest is skipped */
    SGR_FEED_FILE_END,    /* the file's last document is past: n_docs of them */
} sgr_feed_kind;

typedef struct sgr_feed_item {
    sgr_feed_kind kind;
    const char *path;
    int read_errno;
    char *text;            /* the whole file (every item of it) */
    size_t text_cap;
    size_t offset, used;   /* where the document starts in text, its length */
    json_t *doc;
    json_error_t err;
    uint32_t n_docs;
} sgr_feed_item;

typedef struct sgr_feed sgr_feed;

/* Starts reading `paths` in the given order (they must outlive the feed). */
sgr_feed *sgr_feed_start(const char *const *paths, size_t n_paths);

/* The next item, waiting for it; NULL after the last. The item stays valid
 * until sgr_feed_release. */
sgr_feed_item *sgr_feed_next(sgr_feed *f);

/* Done with the item: its document's memory is reused, or, with keep, stays
 * alive until sgr_feed_end (a document imported later). */
void sgr_feed_release(sgr_feed *f, sgr_feed_item *it, bool keep);

/* Waits for the thread and frees everything, kept documents included. */
void sgr_feed_end(sgr_feed *f);

#endif
