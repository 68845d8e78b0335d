/* Test helper: the estates bundled with the tests (the fixtures, the
 * scenarios, the Batfish snapshots of the corpus), one folder each, loaded
 * and compiled in turn for a check of the graph. Header-only; SGR_SOURCE_DIR
 * and SGR_CORPUS_DIR come from tests/CMakeLists.txt. */
#ifndef SGR_TEST_ESTATES_H
#define SGR_TEST_ESTATES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

#include "sgreach/snapshot.h"

typedef void (*estate_check)(sgr_graph *g, void *ctx);

/* check(the graph of dir, ctx); an estate that does not load is other
 * tests' business. */
static inline void check_estate_dir(const char *dir, estate_check check, void *ctx)
{
    sgr_load_options o = {.quiet = true};
    sgr_snapshot *snap;
    if (sgr_snapshot_load(&dir, 1, &o, &snap) != SGR_LOAD_OK)
        return;
    sgr_graph *g = sgr_graph_build(snap, NULL);
    check(g, ctx);
    sgr_graph_free(g);
    sgr_snapshot_free(snap);
}

/* check_estate_dir for every sub folder of root (root must open). */
static inline void each_estate(const char *root, estate_check check, void *ctx)
{
    DIR *d = opendir(root);
    if (!d) {
        fprintf(stderr, "%s: cannot open\n", root);
        abort();
    }
    struct dirent *e;
    char path[1024];
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", root, e->d_name);
            DIR *sub = opendir(path);
            if (sub) {
                closedir(sub);
                check_estate_dir(path, check, ctx);
            }
        }
    closedir(d);
}

/* Every bundled estate, then the one named by the environment variable
 * `more` when set (a larger, generated one: tests/e2e/test_blast_closure.sh);
 * whether that one was given. */
static inline int each_bundled_estate(estate_check check, void *ctx, const char *more)
{
    each_estate(SGR_SOURCE_DIR "/fixtures", check, ctx);
    each_estate(SGR_SOURCE_DIR "/tests/scenarios", check, ctx);
    each_estate(SGR_CORPUS_DIR "/batfish-aws", check, ctx);
    const char *dir = more ? getenv(more) : NULL;
    if (dir && *dir)
        check_estate_dir(dir, check, ctx);
    return dir && *dir;
}

#endif
