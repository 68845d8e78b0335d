#include "load/json_feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "graph/arena.h"
#include "load/json_pool.h"

/* Threads that parse, each taking every SGR_FEED_WORKERS-th file: on two
 * cores, the parse of two files and the import run side by side. */
#ifndef SGR_FEED_WORKERS
#define SGR_FEED_WORKERS 2
#endif
/* Per worker, two documents alive at once: one being imported (or waiting
 * for its turn), the next being parsed. */
#define SGR_FEED_SLOTS 2

typedef struct worker worker;

typedef struct slot {
    sgr_feed_item item;
    sgr_json_pool *pool; /* the document's memory */
    worker *owner;
} slot;

struct worker {
    sgr_feed *feed;
    size_t first;        /* its files: first, first + SGR_FEED_WORKERS, ... */
    slot slots[SGR_FEED_SLOTS];
    uint64_t head, tail; /* items produced, items taken */
    char *spare;         /* a file buffer the loader is done with, for the next file */
    size_t spare_cap;
    pthread_t thread;
    bool started;
};

struct sgr_feed {
    const char *const *paths;
    size_t n_paths;
    size_t cur; /* the file the loader is taking items of */
    worker workers[SGR_FEED_WORKERS];
    pthread_mutex_t mu;
    pthread_cond_t changed;
};

/* Reads a whole file into *buf (capacity *cap, grown as needed: a worker
 * reuses the buffer of a file the loader is done with, so a large estate's
 * files do not each cost fresh pages); false with errno set on failure. */
static bool read_all(const char *path, char **buf, size_t *cap, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    /* Size the buffer from the file's size: one read, no regrowth (a 1 GB file
     * must cost one pass). The loop still copes with files that grow. */
    struct stat st;
    size_t want = 1 << 16, n = 0;
    if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX / 2)
        want = (size_t)st.st_size + 1;
    if (!*buf || *cap < want) {
        free(*buf);
        *buf = sgr_xmalloc(want);
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
    fclose(f);
    if (err) {
        errno = err;
        return false;
    }
    *len = n;
    return true;
}

/* The next free slot, waiting for the loader to release one. */
static slot *acquire(worker *w)
{
    sgr_feed *f = w->feed;
    pthread_mutex_lock(&f->mu);
    while (w->head - w->tail == SGR_FEED_SLOTS)
        pthread_cond_wait(&f->changed, &f->mu);
    slot *s = &w->slots[w->head % SGR_FEED_SLOTS];
    pthread_mutex_unlock(&f->mu);
    memset(&s->item, 0, sizeof s->item);
    return s;
}

static void publish(worker *w, slot *s)
{
    (void)s;
    sgr_feed *f = w->feed;
    pthread_mutex_lock(&f->mu);
    w->head++;
    pthread_cond_broadcast(&f->changed);
    pthread_mutex_unlock(&f->mu);
}

static void feed_file(worker *w, const char *path)
{
    size_t len = 0, cap = 0;
    char *buf = NULL;
    pthread_mutex_lock(&w->feed->mu);
    buf = w->spare;
    cap = w->spare_cap;
    w->spare = NULL;
    pthread_mutex_unlock(&w->feed->mu);
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
    slot *s = acquire(w);
    s->item.kind = SGR_FEED_FILE;
    s->item.path = path;
    s->item.text = buf;
    s->item.offset = pos;
    s->item.read_errno = read_errno;
    publish(w, s);
    if (!buf)
        return;
    for (;;) {
        while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\r' || buf[pos] == '\n'))
            pos++;
        if (pos >= len)
            break;
        s = acquire(w);
        sgr_json_pool_enter(s->pool);
        s->item.path = path;
        s->item.text = buf;
        s->item.offset = pos;
        json_t *doc = json_loadb(buf + pos, len - pos, JSON_DISABLE_EOF_CHECK, &s->item.err);
        if (!doc) {
            s->item.kind = SGR_FEED_PARSE_ERROR;
            publish(w, s);
            break;
        }
        size_t used = (size_t)s->item.err.position;
        if (used == 0 || used > len - pos)
            used = len - pos;
        s->item.kind = SGR_FEED_DOC;
        s->item.doc = doc;
        s->item.used = used;
        publish(w, s);
        docs++;
        pos += used;
    }
    s = acquire(w);
    s->item.kind = SGR_FEED_FILE_END;
    s->item.path = path;
    s->item.text = buf; /* back to this worker when the loader releases the item */
    s->item.text_cap = cap;
    s->item.n_docs = docs;
    publish(w, s);
}

static void *feed_main(void *arg)
{
    worker *w = arg;
    for (size_t i = w->first; i < w->feed->n_paths; i += SGR_FEED_WORKERS)
        feed_file(w, w->feed->paths[i]);
    sgr_json_pool_enter(NULL);
    return NULL;
}

sgr_feed *sgr_feed_start(const char *const *paths, size_t n_paths)
{
    sgr_feed *f = sgr_xcalloc(1, sizeof *f);
    f->paths = paths;
    f->n_paths = n_paths;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->changed, NULL);
    /* jansson seeds its hash function on first use: do it here, before the
     * parsing threads can race for it */
    json_decref(json_object());
    for (size_t k = 0; k < SGR_FEED_WORKERS; k++) {
        worker *w = &f->workers[k];
        w->feed = f;
        w->first = k;
        for (int i = 0; i < SGR_FEED_SLOTS; i++) {
            w->slots[i].pool = sgr_json_pool_new();
            w->slots[i].owner = w;
        }
        if (k >= n_paths)
            continue; /* no file for it */
        if (pthread_create(&w->thread, NULL, feed_main, w) != 0)
            sgr_oom(); /* no thread to be had: out of resources, exit 4 */
        w->started = true;
    }
    return f;
}

sgr_feed_item *sgr_feed_next(sgr_feed *f)
{
    if (f->cur >= f->n_paths)
        return NULL;
    worker *w = &f->workers[f->cur % SGR_FEED_WORKERS];
    pthread_mutex_lock(&f->mu);
    while (w->head == w->tail)
        pthread_cond_wait(&f->changed, &f->mu);
    slot *s = &w->slots[w->tail % SGR_FEED_SLOTS];
    pthread_mutex_unlock(&f->mu);
    return &s->item;
}

void sgr_feed_release(sgr_feed *f, sgr_feed_item *it, bool keep)
{
    slot *s = (slot *)((char *)it - offsetof(slot, item));
    if (it->kind == SGR_FEED_DOC || it->kind == SGR_FEED_PARSE_ERROR) {
        /* every value of the document lives in the pool and holds nothing
         * else: taking the pool back frees it all, without json_decref's
         * walk over every value */
        if (keep)
            sgr_json_pool_pin(s->pool);
        else
            sgr_json_pool_reset(s->pool);
    }
    /* a file's last item: the next file's items come from its worker */
    if (it->kind == SGR_FEED_FILE_END || (it->kind == SGR_FEED_FILE && it->read_errno))
        f->cur++;
    pthread_mutex_lock(&f->mu);
    if (it->kind == SGR_FEED_FILE_END) { /* its text is free: the worker reuses it */
        if (!s->owner->spare) {
            s->owner->spare = it->text;
            s->owner->spare_cap = it->text_cap;
        } else {
            free(it->text);
        }
        it->text = NULL;
    }
    s->owner->tail++;
    pthread_cond_broadcast(&f->changed);
    pthread_mutex_unlock(&f->mu);
}

void sgr_feed_end(sgr_feed *f)
{
    if (!f)
        return;
    for (sgr_feed_item *it; (it = sgr_feed_next(f));) /* a loader that stopped early */
        sgr_feed_release(f, it, false);
    for (size_t k = 0; k < SGR_FEED_WORKERS; k++) {
        worker *w = &f->workers[k];
        if (w->started)
            pthread_join(w->thread, NULL);
        for (int i = 0; i < SGR_FEED_SLOTS; i++)
            sgr_json_pool_free(w->slots[i].pool);
        free(w->spare);
    }
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->changed);
    free(f);
}
