/*
 * The documents of a snapshot's files, parsed ahead on both cores. Parsing
 * (json_plain.h, jansson where it gives up) is most of a load; the importers
 * run on the loading thread at the same time, each item handed over in file
 * order, so what is imported, and every diagnostic, comes out exactly as a
 * one-thread load gives them (docs/performance.md).
 *
 * A reading thread reads each file whole, skips a UTF-8 byte order mark, and
 * delimits every document of it (several may follow one another) with a
 * structural scan (json_split.h). A small document is one job; a large one
 * that is an object of top-level arrays (`{"NetworkInterfaces": [...]}`) is
 * cut at element boundaries into pieces of a few hundred kB, so one large
 * file keeps both cores busy and no document's whole tree is ever alive.
 * Two parsing threads take the jobs in order, each parsing into the memory
 * of its slot (a pool, json_pool.h, reused from one job to the next) and
 * indexing its lines (json_lines.h, from line 1: the loader shifts them).
 * At most SGR_FEED_SLOTS items are alive at once.
 */
#ifndef SGREACH_JSON_FEED_H
#define SGREACH_JSON_FEED_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


#include "load/json_split.h"

typedef struct sgr_line_index sgr_line_index;

typedef enum sgr_feed_kind {
    SGR_FEED_FILE,        /* a file starts: text (valid until its FILE_END is released), or read_errno */
    SGR_FEED_DOC,         /* a document: doc, and its text at text + offset, `used` bytes long
                           * (scanned_used: where the scan saw it end; lines from line 1) */
    SGR_FEED_PIECE,       /* a piece of a split document at offset (doc_used bytes, doc_newlines
                           * newlines): elements `first_index`... of top-level array `key`
                           * (a JSON array, lines from line 1), or with elements NULL a
                           * silent member's value, checked; failed: it does not parse */
    SGR_FEED_PARSE_ERROR, /* a document at offset that does not parse: err (its line and column
                           * counted from the document's start), or, with limit, that holds a
                           * string longer than SGR_JSON_STRING_MAX (not parsed); the file's rest
                           * is skipped */
    SGR_FEED_FILE_END,    /* the file's last document is past: n_docs of them */
} sgr_feed_kind;

typedef struct sgr_feed_item {
    sgr_feed_kind kind;
    const char *path;
    int read_errno;
    char *text;            /* the whole file (every item of it) */
    size_t text_len, text_cap;
    size_t offset, used;   /* where the document starts in text, its length */
    size_t scanned_used;   /* DOC: its length as the scan delimited it */
    json_t *doc;
    json_error_t err;
    bool limit;            /* PARSE_ERROR: refused by a limit, not for its syntax */
    sgr_line_index *lines; /* DOC, PIECE: the loader takes it (sets NULL) or it is freed */
    uint32_t n_docs;
    /* PIECE */
    const char *key;
    json_t *elements;
    size_t first_index;
    bool doc_first, doc_last, failed;
    size_t doc_used;
    uint32_t doc_newlines;
} sgr_feed_item;

typedef struct sgr_feed sgr_feed;

/* Starts reading `paths` in the given order (they must outlive the feed).
 * Documents of at least split_bytes whose keys `classify` allows are split
 * (classify NULL: none is). */
sgr_feed *sgr_feed_start(const char *const *paths, size_t n_paths, sgr_split_classify classify,
                         size_t split_bytes);

/* The next item, waiting for it; NULL after the last. The item stays valid
 * until sgr_feed_release. */
sgr_feed_item *sgr_feed_next(sgr_feed *f);

/* Done with the item: its document's memory is reused, or, with keep, stays
 * alive until sgr_feed_end (a document imported later). */
void sgr_feed_release(sgr_feed *f, sgr_feed_item *it, bool keep);

/* The error that refuses a document whose scan (at text[pos], of text[0..len))
 * met a string too long, located as jansson locates its own: line and column
 * from the document's start. */
void sgr_feed_long_string_error(const sgr_split *sp, const char *text, size_t len, size_t pos,
                                json_error_t *err);

/* Waits for the threads and frees everything, kept documents included; what
 * is not taken yet is dropped without being read or parsed. */
void sgr_feed_end(sgr_feed *f);

#endif
