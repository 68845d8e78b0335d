/*
 * sgr_parse_only: the baseline of the benchmark. Loads every *.json file below
 * the paths given exactly as sgreach's loader must (whole file read, then
 * json_loadb once per JSON document, several documents per file allowed) and
 * does nothing else: no model, no line index. Prints what it read.
 *
 *   sgr_parse_only DIR-OR-FILE...
 *
 * Exit 0, or 2 on an unreadable path or malformed JSON.
 */
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct paths {
    char **items;
    size_t n, cap;
} paths;

static void push(paths *p, const char *s)
{
    if (p->n == p->cap) {
        p->cap = p->cap ? 2 * p->cap : 64;
        p->items = realloc(p->items, p->cap * sizeof *p->items);
        if (!p->items) {
            perror("sgr_parse_only");
            exit(4);
        }
    }
    p->items[p->n++] = strdup(s);
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with_json(const char *name)
{
    size_t n = strlen(name);
    return n >= 5 && strcmp(name + n - 5, ".json") == 0;
}

/* Every *.json below `path` (or `path` itself when a file), like the loader. */
static int walk(const char *path, paths *out, int top)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "sgr_parse_only: %s: %s\n", path, strerror(errno));
        return 2;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (top || ends_with_json(path))
            push(out, path);
        return 0;
    }
    DIR *d = opendir(path);
    if (!d) {
        fprintf(stderr, "sgr_parse_only: %s: %s\n", path, strerror(errno));
        return 2;
    }
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(len);
        snprintf(child, len, "%s/%s", path, e->d_name);
        struct stat cst;
        if (stat(child, &cst) == 0 && (S_ISDIR(cst.st_mode) || ends_with_json(e->d_name)))
            rc |= walk(child, out, 0);
        free(child);
    }
    closedir(d);
    return rc;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: sgr_parse_only DIR-OR-FILE...\n");
        return 2;
    }
    paths files = {0};
    int rc = 0;
    for (int i = 1; i < argc; i++)
        rc |= walk(argv[i], &files, 1);
    qsort(files.items, files.n, sizeof *files.items, cmp);
    size_t bytes = 0, docs = 0, values = 0;
    for (size_t i = 0; i < files.n; i++) {
        size_t len;
        char *buf = slurp(files.items[i], &len);
        if (!buf) {
            fprintf(stderr, "sgr_parse_only: %s: %s\n", files.items[i], strerror(errno));
            rc = 2;
            continue;
        }
        bytes += len;
        size_t off = 0;
        for (;;) {
            while (off < len && (buf[off] == ' ' || buf[off] == '\n' || buf[off] == '\r' || buf[off] == '\t'))
                off++;
            if (off >= len)
                break;
            json_error_t err;
            json_t *doc = json_loadb(buf + off, len - off, JSON_DISABLE_EOF_CHECK, &err);
            if (!doc) {
                fprintf(stderr, "sgr_parse_only: %s:%d:%d: %s\n", files.items[i], err.line, err.column, err.text);
                rc = 2;
                break;
            }
            docs++;
            values += json_object_size(doc);
            off += (size_t)err.position;
            json_decref(doc);
        }
        free(buf);
        free(files.items[i]);
    }
    free(files.items);
    printf("sgr_parse_only: %zu files, %zu documents, %zu bytes\n", files.n, docs, bytes);
    (void)values;
    return rc;
}
