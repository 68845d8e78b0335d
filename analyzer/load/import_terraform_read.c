/*
 * Readers of the Terraform importer's resolved values (strings, lists,
 * numbers, booleans, tags, all loosely typed because references resolve to
 * whatever the referenced value is), origins, warnings and the object
 * registry with "made by this document" bookkeeping, and what converters
 * add to objects others made.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/import_terraform.h"

/* ---------------------------------------------------------------- readers */

bool sgr_tf_damaged(const char *s)
{
    return sgr_tf_unresolved(s) && strstr(s, " (not readable)");
}

bool sgr_tf_unresolved(const char *s)
{
    return s && strncmp(s, SGR_TF_UNRESOLVED, strlen(SGR_TF_UNRESOLVED)) == 0;
}

static const char *scalar_str(sgr_tf *tf, const json_t *v)
{
    if (json_is_string(v))
        return *json_string_value(v) ? sgr_arena_strdup(tf->a, json_string_value(v)) : NULL;
    if (json_is_integer(v))
        return sgr_arena_printf(tf->a, "%lld", (long long)json_integer_value(v));
    return NULL;
}

const char *sgr_tf_name(sgr_tf *tf, const json_t *obj, const char *key)
{
    const char *s = sgr_tf_str(tf, obj, key);
    return sgr_tf_unresolved(s) ? NULL : s;
}

const char *sgr_tf_res_name(sgr_tf *tf, const sgr_tf_res *r, const json_t *v)
{
    const char *name = sgr_tf_name(tf, v, "name");
    return name ? name : r->name;
}

const char *sgr_tf_str(sgr_tf *tf, const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_array(v)) {
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e) {
            const char *s = scalar_str(tf, e);
            if (s)
                return s;
        }
        return NULL;
    }
    return scalar_str(tf, v);
}

static void strs_add(sgr_tf *tf, sgr_strs *out, uint32_t *cap, const json_t *obj, const char *key,
                     const json_t *v)
{
    if (json_is_array(v)) {
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e)
            strs_add(tf, out, cap, obj, key, e);
        return;
    }
    const char *s = scalar_str(tf, v);
    if (!s && v && !json_is_null(v) && !json_is_string(v)) {
        /* An object, a boolean or a fraction where ids or CIDRs belong: what
         * the list decides is unknown, so a marker stands in its place. */
        const sgr_tf_res *r = tf->cur;
        sgr_tf_warn_field(tf, r, obj, key, "expected a string or a list of strings, found %s: what it decides is unknown",
                          sgr_json_kind(v));
        s = sgr_arena_printf(tf->a, "%s%s.%s (not readable)", SGR_TF_UNRESOLVED, r ? r->address : "$", key);
    }
    if (!s)
        return;
    for (uint32_t i = 0; i < out->count; i++)
        if (strcmp(out->items[i], s) == 0)
            return;
    if (out->count == *cap)
        out->items = sgr_arena_grow(tf->a, out->items, cap, out->count + 1, sizeof *out->items);
    out->items[out->count++] = s;
}

sgr_strs sgr_tf_strs(sgr_tf *tf, const json_t *obj, const char *key)
{
    sgr_strs out = {0};
    uint32_t cap = 0;
    strs_add(tf, &out, &cap, obj, key, json_object_get(obj, key));
    return out;
}

int64_t sgr_tf_int(const json_t *obj, const char *key, int64_t dflt)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_integer(v))
        return (int64_t)json_integer_value(v);
    if (json_is_real(v))
        return (int64_t)json_real_value(v);
    if (json_is_string(v) && *json_string_value(v)) {
        char *end;
        long long n = strtoll(json_string_value(v), &end, 10);
        if (*end == '\0')
            return n;
    }
    return dflt;
}

int sgr_tf_bool(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_boolean(v))
        return json_is_true(v);
    if (json_is_string(v))
        return !strcmp(json_string_value(v), "true") ? 1 : !strcmp(json_string_value(v), "false") ? 0 : -1;
    return -1;
}

sgr_tags sgr_tf_tags(sgr_tf *tf, const json_t *obj, const char **name)
{
    sgr_tags t = {0};
    const json_t *m = json_object_get(obj, "tags");
    if (!json_is_object(m) || !json_object_size(m))
        m = json_object_get(obj, "tags_all");
    if (name)
        *name = NULL;
    if (!json_is_object(m) || !json_object_size(m))
        return t;
    t.items = SGR_NEW_N(tf->a, sgr_tag, json_object_size(m));
    /* Sorted keys: the map's order is Terraform's, but output must be stable. */
    const char **keys = SGR_NEW_N(tf->a, const char *, json_object_size(m));
    size_t n = 0;
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)m, k, v)
        keys[n++] = k;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *x = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = x;
        }
    for (size_t i = 0; i < n; i++) {
        const json_t *val = json_object_get(m, keys[i]);
        if (!json_is_string(val))
            continue;
        sgr_tag *tag = &t.items[t.count++];
        tag->key = sgr_arena_strdup(tf->a, keys[i]);
        tag->value = sgr_arena_strdup(tf->a, json_string_value(val));
        if (name && strcmp(tag->key, "Name") == 0)
            *name = tag->value;
    }
    return t;
}

sgr_origin sgr_tf_origin(sgr_tf *tf, const sgr_tf_res *r, const json_t *node, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    uint32_t line = node ? sgr_import_line(tf->ctx, node) : 0;
    sgr_origin o = sgr_import_origin(tf->ctx, r->node, "%s%s", r->path, buf);
    if (line)
        o.line = line;
    o.tf_address = r->address;
    return o;
}

void sgr_tf_warn(sgr_tf *tf, const sgr_tf_res *r, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sgr_import_warn(tf->ctx, r->node, r->path, "%s: %s", r->address, buf);
}

/* Appends to buf (at len) the path of `node` inside `v`: ".ingress[0]". */
static bool path_in(const json_t *v, const json_t *node, char *buf, size_t size, size_t len, int depth)
{
    if (v == node)
        return true;
    if (depth > 8 || len >= size)
        return false;
    if (json_is_object(v)) {
        const char *k;
        const json_t *e;
        json_object_foreach((json_t *)v, k, e) {
            int n = snprintf(buf + len, size - len, ".%s", k);
            if (n > 0 && len + (size_t)n < size && path_in(e, node, buf, size, len + (size_t)n, depth + 1))
                return true;
        }
    } else if (json_is_array(v)) {
        size_t i;
        const json_t *e;
        json_array_foreach(v, i, e) {
            int n = snprintf(buf + len, size - len, "[%zu]", i);
            if (n > 0 && len + (size_t)n < size && path_in(e, node, buf, size, len + (size_t)n, depth + 1))
                return true;
        }
    }
    buf[len] = '\0';
    return false;
}

/* Path (into p) and node of the line of field key of obj, for resource r. */
static const json_t *field_at(const sgr_tf *tf, const sgr_tf_res *r, const json_t *obj, const char *key, char *p,
                              size_t size)
{
    char where[256] = "";
    if (!r) {
        sgr_pathf(p, size, "$.%s", key);
        return tf->doc;
    }
    /* obj is in the resource's resolved values (a node of the document
     * itself where the plan knew it), else the path stops at the resource */
    if (!r->v || !path_in(r->v, obj, where, sizeof where, 0, 0))
        where[0] = '\0';
    sgr_pathf(p, size, "%s%s%s%s", r->path, where, key[0] == '[' || !key[0] ? "" : ".", key);
    return obj && sgr_import_line(tf->ctx, obj) ? obj : r->node;
}

void sgr_tf_warn_field(sgr_tf *tf, const sgr_tf_res *r, const json_t *obj, const char *key, const char *fmt, ...)
{
    char buf[512], p[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    const json_t *at = field_at(tf, r, obj, key, p, sizeof p);
    if (r)
        sgr_import_warn(tf->ctx, at, p, "%s: %s", r->address, buf);
    else
        sgr_import_warn(tf->ctx, at, p, "%s", buf);
}

bool sgr_tf_blocks(sgr_tf *tf, const sgr_tf_res *r, const json_t *v, const char *key, const char *block,
                   const json_t **out, const char *fmt, ...)
{
    char consequence[256];
    va_list ap;
    const json_t *list = json_object_get(v, key);
    *out = json_is_array(list) ? list : NULL;
    if (!list || *out || json_is_null(list))
        return true;
    va_start(ap, fmt);
    vsnprintf(consequence, sizeof consequence, fmt, ap);
    va_end(ap);
    sgr_tf_warn_field(tf, r, v, key, "expected a list of %s blocks, found %s: %s", block, sgr_json_kind(list),
                      consequence);
    return false;
}

const char *sgr_tf_strs_why(sgr_tf *tf, sgr_strs *s, const json_t *obj, const char *key, const char *what)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->count; i++)
        if (!sgr_tf_damaged(s->items[i]))
            s->items[n++] = s->items[i];
    if (n == s->count)
        return NULL;
    s->count = n;
    char p[512];
    const json_t *at = field_at(tf, tf->cur, obj, key, p, sizeof p);
    return sgr_import_why(tf->ctx, at, p, "%s: its %s could not be read", what, key);
}

void *sgr_tf_map_list(sgr_tf *tf, uint32_t tag, const char *key, size_t size)
{
    void *l = sgr_strmap_get(tf->map, tag, key);
    if (!l) {
        l = sgr_arena_alloc(tf->a, size);
        sgr_strmap_put(tf->map, tag, key, l);
    }
    return l;
}

void *sgr_tf_intern(sgr_tf *tf, sgr_kind kind, const char *id, size_t size, bool *is_new)
{
    bool fresh;
    void *obj = sgr_snap_intern(tf->ctx->snap, kind, id, size, &fresh);
    if (fresh)
        sgr_strmap_put(tf->map, SGR_TFM_CREATED, sgr_arena_printf(tf->a, "%d|%s", (int)kind, id), obj);
    if (is_new)
        *is_new = fresh;
    return obj;
}

bool sgr_tf_created(const sgr_tf *tf, sgr_kind kind, const char *id)
{
    char key[512];
    snprintf(key, sizeof key, "%d|%s", (int)kind, id);
    return sgr_strmap_get(tf->map, SGR_TFM_CREATED, key) != NULL;
}

void *sgr_tf_adds_to(sgr_tf *tf, const sgr_tf_res *r, const json_t *v, const char *key, sgr_kind kind, bool whole,
                     const char *what, const char *part)
{
    const char *id = sgr_tf_str(tf, v, key);
    void *obj = id && whole ? sgr_snapshot_find(tf->ctx->snap, kind, id) : NULL;
    if (!obj)
        sgr_tf_warn(tf, r, "%s %s is not in the snapshot: %s skipped", what, id ? id : "(unknown)", part);
    return obj;
}

sgr_target *sgr_tf_add_target(sgr_tf *tf, sgr_target_group *tg, const char *id, sgr_origin origin)
{
    uint32_t cap = tg->n_targets;
    tg->targets = sgr_arena_grow(tf->a, tg->targets, &cap, tg->n_targets + 1, sizeof *tg->targets);
    sgr_target *t = &tg->targets[tg->n_targets++];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->port = -1;
    t->origin = origin;
    return t;
}
