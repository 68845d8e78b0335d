/*
 * `--tf-dir DIR`: Terraform resource addresses to the file:line of their
 * resource blocks. The .tf files are scanned line by line for block headers
 * (`resource "TYPE" "NAME" {`, `module "NAME" {` and the module's
 * `source = "./dir"`), which is all a citation needs; nothing else of HCL is
 * parsed.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "graph/arena.h"
#include "graph/strmap.h"
#include "sgreach/snapshot.h"
#include "load/tf_sources.h"

typedef struct tf_dir {
    const char *path;
    sgr_strmap *resources; /* "TYPE.NAME" → tf_loc* */
    sgr_strmap *modules;   /* "NAME" → directory path (local sources only) */
} tf_dir;

typedef struct tf_loc {
    const char *file;
    uint32_t line;
} tf_loc;

struct sgr_tf_sources {
    sgr_arena *a;
    sgr_strmap *dirs; /* path → tf_dir* */
    tf_dir *root;
};

/* `keyword "A" "B"` at the start of a line (after blanks): copies the quoted
 * labels; returns how many were read. */
static int labels(const char *line, const char *keyword, char *l1, char *l2, size_t cap)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t k = strlen(keyword);
    if (strncmp(line, keyword, k) != 0 || (line[k] != ' ' && line[k] != '\t'))
        return 0;
    const char *p = line + k;
    char *outs[2] = {l1, l2};
    int n = 0;
    while (n < 2) {
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '"')
            break;
        const char *e = strchr(p + 1, '"');
        if (!e || (size_t)(e - p - 1) >= cap)
            break;
        memcpy(outs[n], p + 1, (size_t)(e - p - 1));
        outs[n][e - p - 1] = '\0';
        n++;
        p = e + 1;
    }
    return n;
}

/* `source = "./x"` on a line: the quoted value, or false. */
static bool source_of(const char *line, char *out, size_t cap)
{
    while (*line == ' ' || *line == '\t')
        line++;
    if (strncmp(line, "source", 6) != 0)
        return false;
    const char *p = line + 6;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '=')
        return false;
    p++;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '"')
        return false;
    const char *e = strchr(p + 1, '"');
    if (!e || (size_t)(e - p - 1) >= cap)
        return false;
    memcpy(out, p + 1, (size_t)(e - p - 1));
    out[e - p - 1] = '\0';
    return true;
}

static void scan_file(sgr_tf_sources *s, tf_dir *d, const char *file)
{
    FILE *f = fopen(file, "r");
    if (!f)
        return;
    char line[4096], a[256], b[256], src[1024];
    uint32_t no = 0;
    const char *module = NULL; /* inside `module "X" {` until its source is read */
    while (fgets(line, sizeof line, f)) {
        no++;
        if (labels(line, "resource", a, b, sizeof a) == 2) {
            const char *key = sgr_arena_printf(s->a, "%s.%s", a, b);
            if (!sgr_strmap_get(d->resources, 0, key)) {
                tf_loc *loc = SGR_NEW(s->a, tf_loc);
                loc->file = file;
                loc->line = no;
                sgr_strmap_put(d->resources, 0, key, loc);
            }
            module = NULL;
        } else if (labels(line, "module", a, b, sizeof a) == 1) {
            module = sgr_arena_strdup(s->a, a);
        } else if (module && source_of(line, src, sizeof src)) {
            if (!strncmp(src, "./", 2) || !strncmp(src, "../", 3)) {
                const char *rel = src;
                while (!strncmp(rel, "./", 2))
                    rel += 2;
                size_t len = strlen(rel);
                while (len > 1 && rel[len - 1] == '/')
                    len--;
                sgr_strmap_put(d->modules, 0, module, sgr_arena_printf(s->a, "%s/%.*s", d->path, (int)len, rel));
            }
            module = NULL;
        }
    }
    fclose(f);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

static tf_dir *dir_get(sgr_tf_sources *s, const char *path)
{
    tf_dir *d = sgr_strmap_get(s->dirs, 0, path);
    if (d)
        return d;
    DIR *dh = opendir(path);
    if (!dh)
        return NULL;
    d = SGR_NEW(s->a, tf_dir);
    d->path = sgr_arena_strdup(s->a, path);
    d->resources = sgr_strmap_new(s->a);
    d->modules = sgr_strmap_new(s->a);
    sgr_strmap_put(s->dirs, 0, d->path, d);
    /* sorted file names: the first definition wins deterministically */
    const char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dh))) {
        size_t len = strlen(de->d_name);
        if (len < 4 || strcmp(de->d_name + len - 3, ".tf") != 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            names = sgr_xrealloc(names, cap * sizeof *names);
        }
        names[n++] = sgr_arena_printf(s->a, "%s/%s", d->path, de->d_name);
    }
    closedir(dh);
    if (n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
            scan_file(s, d, names[i]);
    }
    free(names);
    return d;
}

sgr_tf_sources *sgr_tf_sources_open(sgr_arena *a, const char *dir)
{
    sgr_tf_sources *s = SGR_NEW(a, sgr_tf_sources);
    s->a = a;
    s->dirs = sgr_strmap_new(a);
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    s->root = dir_get(s, sgr_arena_strndup(a, dir, len));
    return s->root ? s : NULL;
}

bool sgr_tf_sources_find(sgr_tf_sources *s, const char *address, const char **file, uint32_t *line)
{
    if (!s || !address)
        return false;
    tf_dir *d = s->root;
    const char *p = address;
    char name[256];
    while (d && strncmp(p, "module.", 7) == 0) {
        const char *q = p + 7;
        size_t n = strcspn(q, ".[");
        if (n >= sizeof name)
            return false;
        memcpy(name, q, n);
        name[n] = '\0';
        q += n;
        if (*q == '[') {
            q = strchr(q, ']');
            if (!q)
                return false;
            q++;
        }
        if (*q != '.')
            return false;
        const char *sub = sgr_strmap_get(d->modules, 0, name);
        d = sub ? dir_get(s, sub) : NULL;
        p = q + 1;
    }
    if (!d)
        return false;
    if (!strncmp(p, "data.", 5))
        return false; /* data sources are not cited */
    size_t n = strcspn(p, "[ ");
    if (n >= sizeof name)
        return false;
    memcpy(name, p, n);
    name[n] = '\0';
    tf_loc *loc = sgr_strmap_get(d->resources, 0, name);
    if (!loc)
        return false;
    *file = loc->file;
    *line = loc->line;
    return true;
}

static int cite(sgr_tf_sources *s, sgr_origin *o)
{
    const char *file;
    uint32_t line;
    if (!o->tf_address || !sgr_tf_sources_find(s, o->tf_address, &file, &line))
        return 0;
    o->file = file;
    o->line = line;
    return 1;
}

int sgr_tf_sources_apply(sgr_snapshot *snap, const char *dir)
{
    sgr_tf_sources *s = sgr_tf_sources_open(snap->arena, dir);
    if (!s)
        return -1;
    int n = 0;
#define EACH(vec, field) \
    for (uint32_t i = 0; i < snap->n_##vec; i++) n += cite(s, &snap->vec[i]->field)
    EACH(vpcs, origin);
    EACH(subnets, origin);
    EACH(igws, origin);
    EACH(nats, origin);
    EACH(peerings, origin);
    EACH(enis, origin);
    EACH(instances, origin);
    EACH(dbs, origin);
    EACH(tasks, origin);
    EACH(container_instances, origin);
    EACH(services, origin);
    EACH(lbs, origin);
    EACH(target_groups, origin);
    EACH(listeners, origin);
#undef EACH
    for (uint32_t i = 0; i < snap->n_route_tables; i++) {
        n += cite(s, &snap->route_tables[i]->origin);
        for (uint32_t k = 0; k < snap->route_tables[i]->n_routes; k++)
            n += cite(s, &snap->route_tables[i]->routes[k].origin);
    }
    for (uint32_t i = 0; i < snap->n_nacls; i++) {
        n += cite(s, &snap->nacls[i]->origin);
        for (uint32_t k = 0; k < snap->nacls[i]->n_entries; k++)
            n += cite(s, &snap->nacls[i]->entries[k].origin);
    }
    for (uint32_t i = 0; i < snap->n_sgs; i++) {
        n += cite(s, &snap->sgs[i]->origin);
        for (uint32_t k = 0; k < snap->sgs[i]->n_rules; k++)
            n += cite(s, &snap->sgs[i]->rules[k].origin);
    }
    for (uint32_t i = 0; i < snap->n_task_defs; i++) {
        sgr_task_def *td = snap->task_defs[i];
        n += cite(s, &td->origin);
        for (uint32_t c = 0; c < td->n_containers; c++)
            for (uint32_t k = 0; k < td->containers[c].n_ports; k++)
                n += cite(s, &td->containers[c].ports[k].origin);
    }
    return n;
}
