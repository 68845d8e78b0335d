/* Test helper: writes JSON text into files of a fresh temporary directory and
 * loads them. Header-only, included by the importer tests. */
#ifndef SGR_TEST_LOAD_HELPER_H
#define SGR_TEST_LOAD_HELPER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sgreach/snapshot.h"

typedef struct tdir {
    char path[256];
} tdir;

static inline void tdir_make(tdir *d)
{
    snprintf(d->path, sizeof d->path, "/tmp/sgr-test-XXXXXX");
    if (!mkdtemp(d->path))
        abort();
}

/* Writes text to DIR/name (creating sub folders named in name); returns the path in buf. */
static inline const char *tdir_write(tdir *d, const char *name, const char *text)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s/%s", d->path, name);
    for (char *p = buf + strlen(d->path) + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            mkdir(buf, 0700);
            *p = '/';
        }
    }
    FILE *f = fopen(buf, "w");
    if (!f)
        abort();
    fputs(text, f);
    fclose(f);
    return buf;
}

static inline void tdir_remove(tdir *d)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->path);
    if (system(cmd) != 0)
        abort();
}

/* Loads the whole directory. */
static inline sgr_load_status tdir_load(tdir *d, sgr_snapshot **out)
{
    const char *paths[1] = {d->path};
    return sgr_snapshot_load(paths, 1, NULL, out);
}

/* Loads one JSON text written to a file of its own. */
static inline sgr_snapshot *load_text(const char *text)
{
    tdir d;
    tdir_make(&d);
    tdir_write(&d, "in.json", text);
    sgr_snapshot *s;
    tdir_load(&d, &s);
    tdir_remove(&d);
    return s;
}

/* Number of diagnostics whose message contains needle. */
static inline int diag_count(const sgr_snapshot *s, const char *needle)
{
    int n = 0;
    for (uint32_t i = 0; i < s->n_diags; i++)
        if (strstr(s->diags[i]->message, needle))
            n++;
    return n;
}

static inline const sgr_diag *diag_find(const sgr_snapshot *s, const char *needle)
{
    for (uint32_t i = 0; i < s->n_diags; i++)
        if (strstr(s->diags[i]->message, needle))
            return s->diags[i];
    return NULL;
}

#endif
