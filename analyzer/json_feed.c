#include "json_feed.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "graph/arena.h"
#include "json_pool.h"

/* Two documents alive at once: one being imported, the next being parsed. */
#define SGR_FEED_SLOTS 2

typedef struct slot {
    sgr_feed_item item;
    sgr_json_pool *pool; /* the document's memory */
} slot;

struct sgr_feed {
    const char *const *paths;
    size_t n_paths;
    slot slots[SGR_FEED_SLOTS];
    uint64_t head, tail; /* items produced, items taken */
    bool done;           /* the thread has produced its last item */
    pthread_mutex_t mu;
    pthread_cond_t changed;
    pthread_t thread;
};

/* Reads a whole file; NULL with errno set on failure. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    /* Size the buffer from the file's size: one read, no regrowth (a 1 GB file
     * must cost one pass). The loop still copes with files that grow. */
    struct stat st;
    size_t cap = 1 << 16, n = 0;
    if (fstat(fileno(f), &st) == 0 && st.st_size > 0 && (uint64_t)st.st_size < SIZE_MAX / 2)
        cap = (size_t)st.st_size + 1;
    char *buf = sgr_xmalloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = sgr_xrealloc(buf, cap);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f) ? (errno ? errno : EIO) : 0;
    fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return NULL;
    }
    *len = n;
    return buf;
}

/* The next free slot, waiting for the loader to release one. */
static slot *acquire(sgr_feed *f)
{
    pthread_mutex_lock(&f->mu);
    while (f->head - f->tail == SGR_FEED_SLOTS)
        pthread_cond_wait(&f->changed, &f->mu);
    slot *s = &f->slots[f->head % SGR_FEED_SLOTS];
    pthread_mutex_unlock(&f->mu);
    memset(&s->item, 0, sizeof s->item);
    return s;
}

static void publish(sgr_feed *f, slot *s)
{
    pthread_mutex_lock(&f->mu);
    f->head++;
    pthread_cond_broadcast(&f->changed);
    pthread_mutex_unlock(&f->mu);
}

static void feed_file(sgr_feed *f, const char *path)
{
    size_t len = 0;
    char *buf = read_all(path, &len);
    int read_errno = buf ? 0 : (errno ? errno : EIO);
    size_t pos = 0;
    uint32_t docs = 0;
    if (buf && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        pos = 3; /* a UTF-8 byte order mark, as some editors write */
    slot *s = acquire(f);
    s->item.kind = SGR_FEED_FILE;
    s->item.path = path;
    s->item.text = buf;
    s->item.offset = pos;
    s->item.read_errno = read_errno;
    publish(f, s);
    if (!buf)
        return;
    for (;;) {
        while (pos < len && (buf[pos] == ' ' || buf[pos] == '\t' || buf[pos] == '\r' || buf[pos] == '\n'))
            pos++;
        if (pos >= len)
            break;
        s = acquire(f);
        sgr_json_pool_enter(s->pool);
        s->item.path = path;
        s->item.text = buf;
        s->item.offset = pos;
        json_t *doc = json_loadb(buf + pos, len - pos, JSON_DISABLE_EOF_CHECK, &s->item.err);
        if (!doc) {
            s->item.kind = SGR_FEED_PARSE_ERROR;
            publish(f, s);
            break;
        }
        size_t used = (size_t)s->item.err.position;
        if (used == 0 || used > len - pos)
            used = len - pos;
        s->item.kind = SGR_FEED_DOC;
        s->item.doc = doc;
        s->item.used = used;
        publish(f, s);
        docs++;
        pos += used;
    }
    s = acquire(f);
    s->item.kind = SGR_FEED_FILE_END;
    s->item.path = path;
    s->item.text = buf; /* the loader frees it: its documents' line indexes read it */
    s->item.n_docs = docs;
    publish(f, s);
}

static void *feed_main(void *arg)
{
    sgr_feed *f = arg;
    for (size_t i = 0; i < f->n_paths; i++)
        feed_file(f, f->paths[i]);
    sgr_json_pool_enter(NULL);
    pthread_mutex_lock(&f->mu);
    f->done = true;
    pthread_cond_broadcast(&f->changed);
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

sgr_feed *sgr_feed_start(const char *const *paths, size_t n_paths)
{
    sgr_feed *f = sgr_xcalloc(1, sizeof *f);
    f->paths = paths;
    f->n_paths = n_paths;
    for (int i = 0; i < SGR_FEED_SLOTS; i++)
        f->slots[i].pool = sgr_json_pool_new();
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->changed, NULL);
    /* jansson seeds its hash function on first use: do it here, before a
     * second thread can race for it */
    json_decref(json_object());
    if (pthread_create(&f->thread, NULL, feed_main, f) != 0)
        sgr_oom(); /* no thread to be had: out of resources, exit 4 */
    return f;
}

sgr_feed_item *sgr_feed_next(sgr_feed *f)
{
    pthread_mutex_lock(&f->mu);
    while (f->head == f->tail && !f->done)
        pthread_cond_wait(&f->changed, &f->mu);
    slot *s = f->head == f->tail ? NULL : &f->slots[f->tail % SGR_FEED_SLOTS];
    pthread_mutex_unlock(&f->mu);
    return s ? &s->item : NULL;
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
    pthread_mutex_lock(&f->mu);
    f->tail++;
    pthread_cond_broadcast(&f->changed);
    pthread_mutex_unlock(&f->mu);
}

void sgr_feed_end(sgr_feed *f)
{
    if (!f)
        return;
    for (sgr_feed_item *it; (it = sgr_feed_next(f));) { /* a loader that stopped early */
        if (it->kind == SGR_FEED_FILE_END)
            free(it->text);
        sgr_feed_release(f, it, false);
    }
    pthread_join(f->thread, NULL);
    for (int i = 0; i < SGR_FEED_SLOTS; i++)
        sgr_json_pool_free(f->slots[i].pool);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->changed);
    free(f);
}
