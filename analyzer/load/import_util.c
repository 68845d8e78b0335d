/* The importers' toolkit: diagnostics, origins, field readers, interning. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "load/import.h"
#include "load/json_lines.h"
#include "load/snapshot_int.h"

bool sgr_snap_once(sgr_snapshot *snap, uint32_t tag, const char *key)
{
    if (sgr_strmap_get(snap->index->once, tag, key))
        return false;
    const char *copy = sgr_arena_strdup(snap->arena, key);
    sgr_strmap_put(snap->index->once, tag, copy, (void *)copy);
    return true;
}

uint32_t sgr_import_line(const sgr_import_ctx *ctx, const json_t *v)
{
    if (v && v == ctx->doc && ctx->doc_line)
        return ctx->doc_line; /* a split document's stand-in (snapshot.c) */
    return sgr_line_index_get(ctx->lines, v);
}

sgr_origin sgr_import_origin(const sgr_import_ctx *ctx, const json_t *v, const char *path_fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, path_fmt);
    vsnprintf(buf, sizeof buf, path_fmt, ap);
    va_end(ap);
    sgr_origin o = {0};
    o.file = ctx->file;
    o.path = sgr_arena_strdup(ctx->snap->arena, buf);
    o.line = sgr_import_line(ctx, v);
    return o;
}

/* Adds a diagnostic, its message printf-style (cut at 1023 bytes). */
static void add_diag(sgr_snapshot *snap, sgr_severity sev, const char *file, uint32_t line,
                     uint32_t column, const char *path, const char *fmt, va_list ap)
{
    /* Errors are always kept; warnings up to the cap (the closing note, which
     * has no file, is always kept too). */
    if (sev == SGR_SEV_WARNING && file && snap->n_diags >= SGR_MAX_DIAGS) {
        snap->index->dropped_diags++;
        return;
    }
    char msg[1024];
    vsnprintf(msg, sizeof msg, fmt, ap);
    sgr_diag *d = SGR_NEW(snap->arena, sgr_diag);
    d->severity = sev;
    d->file = file ? sgr_intern(snap, file) : NULL;
    d->path = path ? sgr_arena_strdup(snap->arena, path) : NULL;
    d->line = line;
    d->column = column;
    d->message = sgr_arena_strdup(snap->arena, msg);
    if (snap->n_diags == snap->cap_diags)
        snap->diags = sgr_arena_grow(snap->arena, snap->diags, &snap->cap_diags,
                                     snap->n_diags + 1, sizeof *snap->diags);
    snap->diags[snap->n_diags++] = d;
}

void sgr_snapshot_diag(sgr_snapshot *snap, sgr_severity sev, const char *file, uint32_t line,
                       uint32_t column, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_diag(snap, sev, file, line, column, path, fmt, ap);
    va_end(ap);
}

void sgr_import_warn(sgr_import_ctx *ctx, const json_t *v, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_diag(ctx->snap, SGR_SEV_WARNING, ctx->file, sgr_import_line(ctx, v), 0, path, fmt, ap);
    va_end(ap);
}

const char *sgr_import_why(const sgr_import_ctx *ctx, const json_t *v, const char *path, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    return sgr_arena_printf(ctx->snap->arena, "%s (%s:%u %s)", buf, ctx->file ? ctx->file : "?", sgr_import_line(ctx, v),
                            path ? path : "$");
}

/* A warning about obj.key at path.key (path NULL: "$"), on obj's line. */
static void warn_key(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void warn_key(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, const char *fmt, ...)
{
    char p[512];
    sgr_pathf(p, sizeof p, "%s.%s", path ? path : "$", key);
    va_list ap;
    va_start(ap, fmt);
    add_diag(ctx->snap, SGR_SEV_WARNING, ctx->file, sgr_import_line(ctx, obj), 0, p, fmt, ap);
    va_end(ap);
}

static const json_t *field(const json_t *obj, const char *key)
{
    if (!json_is_object(obj))
        return NULL;
    const json_t *v = json_object_get(obj, key);
    return json_is_null(v) ? NULL : v;
}

/* The text of obj.key (borrowed): NULL when absent or null, silently, and
 * when not a string, after a warning that `want` was expected. */
static const char *text_field(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                              const char *want)
{
    const json_t *v = field(obj, key);
    if (v && !json_is_string(v)) {
        warn_key(ctx, obj, key, path, "expected %s", want);
        return NULL;
    }
    return v ? json_string_value(v) : NULL;
}

const char *sgr_json_str(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path)
{
    const char *s = text_field(ctx, obj, key, path, "a string");
    return s ? sgr_intern(ctx->snap, s) : NULL;
}

void sgr_json_set_str(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                      const char **dst)
{
    (void)sgr_json_str_read(ctx, obj, key, path, dst);
}

bool sgr_json_bool(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, bool dflt)
{
    const json_t *v = field(obj, key);
    if (!v)
        return dflt;
    if (json_is_boolean(v))
        return json_is_true(v);
    /* ELB attributes and some exporters print booleans as strings. */
    if (json_is_string(v)) {
        const char *s = json_string_value(v);
        if (strcmp(s, "true") == 0)
            return true;
        if (strcmp(s, "false") == 0)
            return false;
    }
    warn_key(ctx, obj, key, path, "expected a boolean");
    return dflt;
}

int64_t sgr_json_int(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                     int64_t lo, int64_t hi, int64_t dflt, bool *ok)
{
    if (ok)
        *ok = true;
    const json_t *v = field(obj, key);
    if (!v)
        return dflt;
    if (!json_is_integer(v)) {
        warn_key(ctx, obj, key, path, "expected an integer");
        if (ok)
            *ok = false;
        return dflt;
    }
    json_int_t n = json_integer_value(v);
    if (n < lo || n > hi) {
        warn_key(ctx, obj, key, path, "%lld is out of range [%lld, %lld]", (long long)n, (long long)lo,
                 (long long)hi);
        if (ok)
            *ok = false;
        return dflt;
    }
    return (int64_t)n;
}

sgr_strs sgr_json_strs(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path)
{
    sgr_strs out;
    sgr_json_strs_read(ctx, obj, key, path, &out);
    return out;
}

/* *list = obj.key when it is an array, else NULL. False when obj.key is there
 * (JSON null too) but is not an array, after a warning that an array of
 * `what` was expected. */
static bool array_member(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                         const char *what, const json_t **list)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    *list = json_is_array(v) ? v : NULL;
    if (v && !*list) {
        warn_key(ctx, obj, key, path, "expected an array of %s", what);
        return false;
    }
    return true;
}

void sgr_json_set_strs(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, sgr_strs *dst)
{
    if (json_object_get(obj, key))
        *dst = sgr_json_strs(ctx, obj, key, path);
}

void sgr_json_set_tags(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, sgr_tags *dst,
                       const char **name)
{
    if (json_object_get(obj, key))
        *dst = sgr_json_tags(ctx, obj, key, path, name);
}

bool sgr_json_strs_read(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, sgr_strs *res)
{
    sgr_strs out = {0};
    *res = out;
    const json_t *v;
    if (!array_member(ctx, obj, key, path, "strings", &v))
        return false;
    size_t n = json_array_size(v);
    if (!n)
        return true;
    bool readable = true;
    out.items = SGR_NEW_N(ctx->snap->arena, const char *, n);
    for (size_t i = 0; i < n; i++) {
        const json_t *s = json_array_get(v, i);
        if (!json_is_string(s)) {
            char p[512];
            sgr_pathf(p, sizeof p, "%s.%s[%zu]", path ? path : "$", key, i);
            sgr_import_warn(ctx, v, p, "expected a string");
            readable = false;
            continue;
        }
        out.items[out.count++] = sgr_intern(ctx->snap, json_string_value(s));
    }
    *res = out;
    return readable;
}

void sgr_strs_add_unique(sgr_arena *a, sgr_strs *s, const char *str)
{
    for (uint32_t i = 0; i < s->count; i++)
        if (!strcmp(s->items[i], str))
            return;
    uint32_t cap = s->count;
    s->items = sgr_arena_grow(a, s->items, &cap, s->count + 1, sizeof *s->items);
    s->items[s->count++] = str;
}

void sgr_strs_remove(sgr_strs *s, const char *str)
{
    uint32_t kept = 0;
    for (uint32_t i = 0; i < s->count; i++)
        if (strcmp(s->items[i], str) != 0)
            s->items[kept++] = s->items[i];
    s->count = kept;
}

void sgr_strs_append(sgr_arena *a, sgr_strs *s, sgr_strs more)
{
    if (!more.count)
        return;
    uint32_t cap = s->count;
    s->items = sgr_arena_grow(a, s->items, &cap, s->count + more.count, sizeof *s->items);
    memcpy(s->items + s->count, more.items, more.count * sizeof *s->items);
    s->count += more.count;
}

static bool is_live(sgr_import_ctx *ctx, const json_t *el, const char *path, const char *state_key,
                    const char *const *live)
{
    const char *state = state_key ? sgr_json_str(ctx, el, state_key, path) : NULL;
    if (!state)
        return true;
    for (; *live; live++)
        if (!strcmp(state, *live))
            return true;
    return false;
}

bool sgr_json_member_strs_read(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *member,
                               const char *path, const char *state_key, const char *const *live, sgr_strs *res)
{
    sgr_strs out = {0};
    *res = out;
    const json_t *v;
    if (!array_member(ctx, obj, key, path, "objects", &v))
        return false;
    if (!v)
        return true;
    bool readable = true;
    out.items = SGR_NEW_N(ctx->snap->arena, const char *, json_array_size(v) + 1);
    char p[512];
    for (size_t i = 0; i < json_array_size(v); i++) {
        sgr_pathf(p, sizeof p, "%s.%s[%zu]", path ? path : "$", key, i);
        const json_t *el = json_array_get(v, i);
        if (!json_is_object(el)) {
            sgr_import_warn(ctx, v, p, "expected an object with %s", member);
            readable = false;
            continue;
        }
        if (!is_live(ctx, el, p, state_key, live))
            continue;
        const char *s = sgr_json_str(ctx, el, member, p);
        if (s)
            out.items[out.count++] = s;
        else {
            if (!field(el, member))
                sgr_import_warn(ctx, el, p, "%s is missing", member);
            readable = false;
        }
    }
    *res = out;
    return readable;
}

sgr_tags sgr_json_tags(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                       const char **name)
{
    sgr_tags out = {0};
    const json_t *v = field(obj, key);
    if (!v)
        return out;
    if (!json_is_array(v)) {
        warn_key(ctx, obj, key, path, "expected an array of tags");
        return out;
    }
    size_t n = json_array_size(v);
    if (!n)
        return out;
    out.items = SGR_NEW_N(ctx->snap->arena, sgr_tag, n);
    for (size_t i = 0; i < n; i++) {
        const json_t *t = json_array_get(v, i);
        const json_t *k = json_object_get(t, "Key");
        const json_t *val = json_object_get(t, "Value");
        if (!k) {
            k = json_object_get(t, "key");
            val = json_object_get(t, "value");
        }
        if (!json_is_string(k) || (val && !json_is_string(val) && !json_is_null(val))) {
            char p[512];
            sgr_pathf(p, sizeof p, "%s.%s[%zu]", path ? path : "$", key, i);
            sgr_import_warn(ctx, json_is_object(t) ? t : v, p, "expected a tag {Key, Value}");
            continue;
        }
        sgr_tag *tag = &out.items[out.count++];
        tag->key = sgr_intern(ctx->snap, json_string_value(k));
        tag->value = sgr_intern(ctx->snap, json_is_string(val) ? json_string_value(val) : "");
        if (name && strcmp(tag->key, "Name") == 0)
            *name = tag->value;
    }
    return out;
}

/* obj.key as an address (into ip) or a CIDR (into prefix; ip NULL). */
static bool address_field(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, sgr_ip *ip,
                          sgr_prefix *prefix)
{
    const char *s = text_field(ctx, obj, key, path, ip ? "an IP address string" : "a CIDR string");
    if (!s)
        return false;
    if (ip ? sgr_parse_ip(s, ip) : sgr_parse_prefix(s, prefix))
        return true;
    warn_key(ctx, obj, key, path, "invalid %s \"%.100s\"", ip ? "IP address" : "CIDR", s);
    return false;
}

bool sgr_json_ip(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, sgr_ip *out)
{
    return address_field(ctx, obj, key, path, out, NULL);
}

bool sgr_json_prefix(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                     sgr_prefix *out)
{
    return address_field(ctx, obj, key, path, NULL, out);
}

int sgr_json_family_prefix(sgr_import_ctx *ctx, const json_t *obj, const char *key4, const char *key6,
                           const char *path, sgr_prefix *out)
{
    const char *key = json_object_get(obj, key4) ? key4 : json_object_get(obj, key6) ? key6 : NULL;
    if (!key)
        return 0;
    return sgr_json_prefix(ctx, obj, key, path, out) ? 1 : -1;
}

bool sgr_json_expect_array(sgr_import_ctx *ctx, const json_t *v, const char *path)
{
    if (json_is_array(v))
        return true;
    if (!json_is_null(v))
        sgr_import_warn(ctx, ctx->doc, path, "expected an array; ignored");
    return false;
}

/* A field that must be of one JSON type: absent is fine (true, *out NULL);
 * present and of the type, *out; else a located warning and false, for the
 * caller to mark what the field decides unknown. `null` is of no type: the
 * AWS CLI prints [] or {} for "none", so null is damage too. */
static bool typed_field(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, json_type type,
                        const char *expected, const json_t **out)
{
    *out = NULL;
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    if (!v)
        return true;
    if (json_typeof(v) == type) {
        *out = v;
        return true;
    }
    warn_key(ctx, obj, key, path, "expected %s, found %s; what it holds is unknown", expected, sgr_json_kind(v));
    return false;
}

bool sgr_json_list_field(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                         const json_t **out)
{
    return typed_field(ctx, obj, key, path, JSON_ARRAY, "an array", out);
}

bool sgr_json_object_field(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path,
                           const json_t **out)
{
    return typed_field(ctx, obj, key, path, JSON_OBJECT, "an object", out);
}

bool sgr_json_str_read(sgr_import_ctx *ctx, const json_t *obj, const char *key, const char *path, const char **dst)
{
    const char *s = sgr_json_str(ctx, obj, key, path);
    if (s)
        *dst = s;
    return s || !field(obj, key);
}

const char *sgr_json_kind(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

void sgr_pathf(char *buf, size_t len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, len, fmt, ap);
    va_end(ap);
}

void *sgr_snap_reserve(sgr_snapshot *snap, uint32_t tag, const char *key, void *arr, uint32_t n,
                       uint32_t more, size_t elem)
{
    uint32_t cap = (uint32_t)(uintptr_t)sgr_strmap_get(snap->index->caps, tag, key);
    if (cap < n)
        cap = n; /* the array was made elsewhere, exactly sized */
    if ((uint64_t)n + more <= cap && arr)
        return arr;
    void *grown = sgr_arena_grow(snap->arena, arr, &cap, n + more, elem);
    sgr_strmap_put(snap->index->caps, tag, key, (void *)(uintptr_t)cap);
    return grown;
}

void *sgr_import_object(sgr_import_ctx *ctx, const json_t *o, const char *path, const char *id_key,
                        sgr_kind kind, size_t size, size_t origin_offset, bool *is_new)
{
    const char *id = sgr_json_str(ctx, o, id_key, path);
    if (!id || !*id) {
        if (json_is_object(o))
            sgr_import_warn(ctx, o, path, "no %s; skipped", id_key);
        else
            sgr_import_warn(ctx, ctx->doc, path, "expected an object; skipped");
        return NULL;
    }
    bool fresh;
    void *obj = sgr_snap_intern(ctx->snap, kind, id, size, &fresh);
    if (fresh)
        *(sgr_origin *)((char *)obj + origin_offset) = sgr_import_origin(ctx, o, "%s", path);
    if (is_new)
        *is_new = fresh;
    return obj;
}
