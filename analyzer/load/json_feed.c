#include "load/json_feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "graph/arena.h"
#include "load/json_lines.h"
#include "load/json_plain.h"
#include "load/json_pool.h"
#include "load/json_printable.h"
#include "sgreach/snapshot.h"

/* Threads that parse the jobs, in order: on two cores, two of them and the
 * import share the machine. */
#ifndef SGR_FEED_WORKERS
#define SGR_FEED_WORKERS 2
#endif
/* Items alive at once: being imported, waiting for their turn, being parsed. */
#define SGR_FEED_SLOTS 8
/* Bytes of elements in one piece of a split document: large enough that a
 * piece costs one jansson call among thousands of values, small enough that
 * eight pieces' trees are a few MB. */
#define SGR_FEED_PIECE_BYTES (256u * 1024u)

typedef enum job {
    JOB_NONE,     /* FILE, FILE_END: nothing to parse */
    JOB_DOC,      /* a whole document */
    JOB_ELEMENTS, /* elements of a split document's array */
    JOB_CHECK,    /* a silent member's value of a split document */
} job;

typedef struct slot {
    sgr_feed_item item;
    sgr_json_pool *pool; /* the item's JSON values; reset when it is released */
    job job;
    size_t start, end;   /* JOB_ELEMENTS, JOB_CHECK: the slice of text */
    uint32_t rel_line;   /* newlines from the document's start to `start` */
    char key[SGR_SPLIT_KEY_MAX + 1];
    char *scratch;       /* "[" elements "]", reused */
    size_t scratch_cap;
    bool done;           /* parsed (or nothing to parse) */
} slot;

struct sgr_feed {
    const char *const *paths;
    size_t n_paths;
    sgr_split_classify classify;
    size_t split_bytes;
    slot slots[SGR_FEED_SLOTS];
    uint64_t created, claimed, released; /* jobs queued, taken by a parser, given back */
    bool reading_done, stop;
    char *spare;         /* a file buffer the loader is done with, for the next file */
    size_t spare_cap;
    char *orphan;        /* the reader's buffer when stopped in the middle of a file */
    pthread_t reader, workers[SGR_FEED_WORKERS];
    bool reader_started, worker_started[SGR_FEED_WORKERS];
    pthread_mutex_t mu;
    /* one condition per kind of waiter, so that an event wakes only the
     * thread it concerns: a new job the parsers (work), a job parsed or
     * queued the loader (ready), a slot given back the reader (room); one
     * condition for all had every event wake every thread, 5% of the load's
     * CPU in futex calls and switches on two cores */
    pthread_cond_t work, ready, room;
};

/* Reads a whole file into *buf (capacity *cap, grown as needed: a worker
 * reuses the buffer of a file the loader is done with, so a large estate's
 * files do not each cost fresh pages); false with errno set on failure. */
static bool read_all(const char *path, char **buf, size_t *cap, size_t *len)
{
    bool is_stdin = strcmp(path, SGR_STDIN_PATH) == 0; /* `aws … | sgreach summary -` */
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return false;
    /* Size the buffer from the file's size: one read, no regrowth (a 1 GB file
     * must cost one pass). The loop still copes with files that grow. */
    struct stat st;
    size_t want = 1 << 16, n = 0;
    if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX / 2)
        want = (size_t)st.st_size + 1;
    if (!*buf || *cap < want) {
        /* grown, not replaced: the pages it already has stay mapped (a
         * fresh buffer of a file of hundreds of MB is that many pages the
         * kernel zeroes first: a tenth of the CPU at a million interfaces) */
        *buf = sgr_xrealloc(*buf, want);
        *cap = want;
    }
    for (;;) {
        if (n == *cap) {
            *cap *= 2;
            *buf = sgr_xrealloc(*buf, *cap);
        }
        size_t got = fread(*buf + n, 1, *cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    if (!is_stdin)
        fclose(f);
    if (err) {
        errno = err;
        return false;
    }
    *len = n;
    return true;
}

/* The next free slot, waiting for the loader to release one, holding a fresh
 * item of `kind` about the text (len bytes) of file `path` from pos on; NULL
 * when stopped. */
static slot *acquire(sgr_feed *f, sgr_feed_kind kind, const char *path, char *buf, size_t len, size_t pos)
{
    pthread_mutex_lock(&f->mu);
    while (f->created - f->released == SGR_FEED_SLOTS && !f->stop)
        pthread_cond_wait(&f->room, &f->mu);
    slot *s = f->stop ? NULL : &f->slots[f->created % SGR_FEED_SLOTS];
    pthread_mutex_unlock(&f->mu);
    if (s) {
        memset(&s->item, 0, sizeof s->item);
        s->item.kind = kind;
        s->item.path = path;
        s->item.text = buf;
        s->item.text_len = len;
        s->item.offset = pos;
        s->job = JOB_NONE;
        s->done = false;
    }
    return s;
}

static void publish(sgr_feed *f)
{
    pthread_mutex_lock(&f->mu);
    f->created++;
    pthread_cond_signal(&f->work);
    pthread_cond_signal(&f->ready);
    pthread_mutex_unlock(&f->mu);
}

/* Queues the pieces of a split document at pos; false when stopped. */
static bool queue_pieces(sgr_feed *f, const sgr_split *sp, const char *path, char *buf, size_t len,
                         size_t pos)
{
    for (size_t k = 0; k < sp->n_pieces; k++) {
        const sgr_split_piece *pc = &sp->pieces[k];
        slot *s = acquire(f, SGR_FEED_PIECE, path, buf, len, pos);
        if (!s)
            return false;
        s->item.doc_first = k == 0;
        s->item.doc_last = k + 1 == sp->n_pieces;
        s->item.doc_used = sp->end - pos;
        s->item.doc_newlines = sp->newlines;
        s->item.first_index = pc->first_index;
        memcpy(s->key, sp->members[pc->member].key, sizeof s->key);
        s->item.key = s->key;
        s->job = pc->elements ? JOB_ELEMENTS : JOB_CHECK;
        s->start = pc->start;
        s->end = pc->end;
        s->rel_line = pc->rel_line;
        publish(f);
    }
    return true;
}

void sgr_feed_long_string_error(const sgr_split *sp, const char *text, size_t len, size_t pos,
                                json_error_t *err)
{
    size_t line_start = sp->long_at;
    while (line_start > pos && text[line_start - 1] != '\n')
        line_start--;
    memset(err, 0, sizeof *err);
    err->line = 1 + (int)sp->long_line;
    err->column = 1 + (int)(sp->long_at - line_start);
    err->position = (int)(sp->long_at - pos);
    snprintf(err->text, sizeof err->text,
             "a string of %zu bytes%s, more than the %zu MiB sgreach reads in one string: the file is refused",
             sp->long_len, sp->long_at + 1 + sp->long_len >= len ? " (unterminated)" : "",
             SGR_JSON_STRING_MAX >> 20);
}

/* Queues, for a document whose scan met a string too long, the error that
 * refuses it, and parses nothing of it; false when stopped. */
static bool refuse_long_string(sgr_feed *f, const sgr_split *sp, const char *path, char *buf, size_t len,
                               size_t pos)
{
    slot *s = acquire(f, SGR_FEED_PARSE_ERROR, path, buf, len, pos);
    if (!s)
        return false;
    s->item.limit = true;
    sgr_feed_long_string_error(sp, buf, len, pos, &s->item.err);
    publish(f);
    return true;
}

/* Reads a file and queues its items; false when stopped. */
static bool read_file(sgr_feed *f, const char *path, sgr_split *sp)
{
    pthread_mutex_lock(&f->mu);
    char *buf = f->spare;
    size_t cap = f->spare_cap, len = 0;
    f->spare = NULL;
    pthread_mutex_unlock(&f->mu);
    bool ok = read_all(path, &buf, &cap, &len);
    int read_errno = ok ? 0 : (errno ? errno : EIO);
    if (!ok) {
        free(buf);
        buf = NULL;
    }
    size_t pos = 0;
    uint32_t docs = 0;
    if (buf && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* a UTF-8 byte order mark, as some editors write */
    slot *s = acquire(f, SGR_FEED_FILE, path, buf, len, pos);
    if (!s) {
        free(buf);
        return false;
    }
    s->item.read_errno = read_errno;
    publish(f);
    if (!buf)
        return true;
    for (;;) {
        pos = sgr_json_skip_space(buf, len, pos);
        if (pos >= len)
            break;
        sgr_split_scan(sp, buf, len, pos, f->classify, SGR_FEED_PIECE_BYTES);
        if (sp->too_long) {
            if (!refuse_long_string(f, sp, path, buf, len, pos))
                goto stopped;
            break; /* the file ends there, as at a parse error */
        }
        if (sp->delimited && sp->split && sp->end - pos >= f->split_bytes) {
            if (!queue_pieces(f, sp, path, buf, len, pos))
                goto stopped;
        } else {
            s = acquire(f, SGR_FEED_DOC, path, buf, len, pos);
            if (!s)
                goto stopped;
            s->item.scanned_used = sp->delimited ? sp->end - pos : 0;
            s->job = JOB_DOC;
            publish(f);
        }
        if (!sp->delimited)
            break; /* the parse says what is wrong, and the file ends there */
        docs++;
        pos = sp->end;
    }
    /* buf goes back to the reader when the loader releases this item */
    s = acquire(f, SGR_FEED_FILE_END, path, buf, 0, 0);
    if (!s)
        goto stopped;
    s->item.text_cap = cap;
    s->item.n_docs = docs;
    publish(f);
    return true;
stopped:
    /* items of this file may still be parsed: the buffer goes at sgr_feed_end */
    pthread_mutex_lock(&f->mu);
    f->orphan = buf;
    pthread_mutex_unlock(&f->mu);
    return false;
}

static void *reader_main(void *arg)
{
    sgr_feed *f = arg;
    sgr_split sp = {0};
    for (size_t i = 0; i < f->n_paths; i++)
        if (!read_file(f, f->paths[i], &sp))
            break;
    sgr_split_free(&sp);
    pthread_mutex_lock(&f->mu);
    f->reading_done = true;
    pthread_cond_broadcast(&f->work);
    pthread_cond_broadcast(&f->ready);
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

/* Parses one job into its slot's pool. */
static void parse(slot *s)
{
    sgr_feed_item *it = &s->item;
    sgr_json_pool_enter(s->pool);
    switch (s->job) {
    case JOB_NONE:
        break;
    case JOB_DOC: {
        size_t avail = it->text_len - it->offset;
        json_t *doc = sgr_json_loadb(it->text + it->offset, avail, JSON_DISABLE_EOF_CHECK, &it->err);
        if (!doc) {
            it->kind = SGR_FEED_PARSE_ERROR;
            break;
        }
        size_t used = (size_t)it->err.position;
        if (used == 0 || used > avail)
            used = avail;
        it->doc = doc;
        it->used = used;
        it->lines = sgr_line_index_build(doc, it->text + it->offset, used, 1);
        sgr_json_make_printable(doc, it->text + it->offset, used); /* after the index: it reads keys */
        break;
    }
    case JOB_ELEMENTS: {
        /* the elements with the commas between, inside brackets: one array */
        size_t n = s->end - s->start + 2;
        if (s->scratch_cap < n) {
            free(s->scratch);
            s->scratch_cap = n + n / 4;
            s->scratch = sgr_xmalloc(s->scratch_cap);
        }
        s->scratch[0] = '[';
        memcpy(s->scratch + 1, it->text + s->start, n - 2);
        s->scratch[n - 1] = ']';
        json_t *arr = sgr_json_loadb(s->scratch, n, 0, &it->err);
        if (!arr) {
            it->failed = true;
            break;
        }
        it->elements = arr;
        it->lines = sgr_line_index_build(arr, s->scratch, n, 1 + s->rel_line);
        sgr_json_make_printable(arr, s->scratch, n);
        break;
    }
    case JOB_CHECK:
        it->failed = !json_loadb(it->text + s->start, s->end - s->start, JSON_DECODE_ANY, &it->err);
        break;
    }
}

static void *worker_main(void *arg)
{
    sgr_feed *f = arg;
    for (;;) {
        pthread_mutex_lock(&f->mu);
        while (f->claimed == f->created && !f->reading_done)
            pthread_cond_wait(&f->work, &f->mu);
        if (f->claimed == f->created) {
            pthread_mutex_unlock(&f->mu);
            break;
        }
        slot *s = &f->slots[f->claimed % SGR_FEED_SLOTS];
        f->claimed++;
        bool stop = f->stop;
        pthread_mutex_unlock(&f->mu);
        if (!stop)
            parse(s);
        pthread_mutex_lock(&f->mu);
        s->done = true;
        pthread_cond_signal(&f->ready);
        pthread_mutex_unlock(&f->mu);
    }
    sgr_json_pool_enter(NULL);
    return NULL;
}

sgr_feed *sgr_feed_start(const char *const *paths, size_t n_paths, sgr_split_classify classify,
                         size_t split_bytes)
{
    sgr_feed *f = sgr_xcalloc(1, sizeof *f);
    f->paths = paths;
    f->n_paths = n_paths;
    f->classify = classify;
    f->split_bytes = split_bytes;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->work, NULL);
    pthread_cond_init(&f->ready, NULL);
    pthread_cond_init(&f->room, NULL);
    /* jansson seeds its hash function on first use: do it here, before the
     * parsing threads can race for it */
    json_decref(json_object());
    for (int i = 0; i < SGR_FEED_SLOTS; i++)
        f->slots[i].pool = sgr_json_pool_new();
    if (pthread_create(&f->reader, NULL, reader_main, f) != 0)
        sgr_oom(); /* no thread to be had: out of resources, exit 4 */
    f->reader_started = true;
    for (size_t k = 0; k < SGR_FEED_WORKERS && n_paths; k++) {
        if (pthread_create(&f->workers[k], NULL, worker_main, f) != 0)
            sgr_oom();
        f->worker_started[k] = true;
    }
    return f;
}

sgr_feed_item *sgr_feed_next(sgr_feed *f)
{
    pthread_mutex_lock(&f->mu);
    while (f->released == f->created && !f->reading_done)
        pthread_cond_wait(&f->ready, &f->mu);
    slot *s = NULL;
    if (f->released < f->created) {
        s = &f->slots[f->released % SGR_FEED_SLOTS];
        while (!s->done)
            pthread_cond_wait(&f->ready, &f->mu);
    }
    pthread_mutex_unlock(&f->mu);
    return s ? &s->item : NULL;
}

void sgr_feed_release(sgr_feed *f, sgr_feed_item *it, bool keep)
{
    slot *s = (slot *)((char *)it - offsetof(slot, item));
    /* every value of the item lives in the pool and holds nothing else:
     * taking the pool back frees it all, without json_decref's walk over
     * every value, and the next item of the slot reuses the memory */
    if (keep)
        sgr_json_pool_pin(s->pool);
    else
        sgr_json_pool_reset(s->pool);
    sgr_line_index_free(it->lines);
    it->lines = NULL;
    pthread_mutex_lock(&f->mu);
    if (it->kind == SGR_FEED_FILE_END) { /* its text is free: the reader reuses it, the larger of two */
        if (!f->spare || f->spare_cap < it->text_cap) {
            free(f->spare);
            f->spare = it->text;
            f->spare_cap = it->text_cap;
        } else {
            free(it->text);
        }
        it->text = NULL;
    }
    f->released++;
    pthread_cond_signal(&f->room);
    pthread_mutex_unlock(&f->mu);
}

void sgr_feed_end(sgr_feed *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->stop = true; /* a loader that stopped early: nothing more is read or parsed */
    pthread_cond_broadcast(&f->work);
    pthread_cond_broadcast(&f->ready);
    pthread_cond_broadcast(&f->room);
    pthread_mutex_unlock(&f->mu);
    for (sgr_feed_item *it; (it = sgr_feed_next(f));)
        sgr_feed_release(f, it, false);
    if (f->reader_started)
        pthread_join(f->reader, NULL);
    for (size_t k = 0; k < SGR_FEED_WORKERS; k++)
        if (f->worker_started[k])
            pthread_join(f->workers[k], NULL);
    for (int i = 0; i < SGR_FEED_SLOTS; i++) {
        sgr_json_pool_free(f->slots[i].pool);
        free(f->slots[i].scratch);
    }
    free(f->spare);
    free(f->orphan);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->work);
    pthread_cond_destroy(&f->ready);
    pthread_cond_destroy(&f->room);
    free(f);
}
