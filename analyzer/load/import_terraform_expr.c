/*
 * Terraform addresses and expressions: what a plan does not know yet (ids of
 * resources it creates, values built from them) is recovered from the plan's
 * `configuration`, whose expressions list the `references` each attribute is
 * built from (TERRAFORM-FACTS.md section 4). A reference to a resource of the
 * plan resolves to that resource's canonical id, so a rule naming a group the
 * same plan creates names *that* group. References are module-relative; module
 * variables lead to the calling module's expressions, module outputs into the
 * called module, `count.index`/`each.key` pick the instance with the same key.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/import_terraform.h"

void sgr_tf_strlist_add(sgr_arena *a, sgr_tf_strlist *l, const char *s)
{
    for (uint32_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return;
    if (l->n == l->cap)
        l->items = sgr_arena_grow(a, l->items, &l->cap, l->n + 1, sizeof *l->items);
    l->items[l->n++] = s;
}

/* ---------------------------------------------------------------- addresses */

/* q points at '['; returns the position after the matching ']'. */
static const char *skip_bracket(const char *q)
{
    q++;
    if (*q == '"') {
        q++;
        while (*q && *q != '"') {
            if (*q == '\\' && q[1])
                q++;
            q++;
        }
        if (*q)
            q++;
    }
    while (*q && *q != ']')
        q++;
    return *q ? q + 1 : q;
}

const char *sgr_tf_module_step(const char *p, const char **name_end)
{
    if (strncmp(p, "module.", 7) != 0)
        return NULL;
    const char *q = p + 7;
    while (*q && *q != '.' && *q != '[')
        q++;
    if (name_end)
        *name_end = q;
    return *q == '[' ? skip_bracket(q) : q;
}

void sgr_tf_split_address(sgr_arena *a, const char *address, const char **module, const char **rest)
{
    const char *p = address, *mod_end = NULL, *q;
    while ((q = sgr_tf_module_step(p, NULL)) && *q == '.') {
        mod_end = q;
        p = q + 1;
    }
    *module = mod_end ? sgr_arena_strndup(a, address, (size_t)(mod_end - address)) : "";
    *rest = sgr_arena_strdup(a, p);
}

const char *sgr_tf_index_text(sgr_arena *a, const json_t *index)
{
    if (json_is_integer(index))
        return sgr_arena_printf(a, "[%lld]", (long long)json_integer_value(index));
    if (json_is_string(index))
        return sgr_arena_printf(a, "[\"%s\"]", json_string_value(index));
    return "";
}

/* One step of a module instance path or a reference: a name, or an index. */
typedef struct tf_key {
    bool has;
    bool is_int;
    long long i;
    const char *s;
} tf_key;

typedef struct tf_part {
    const char *name; /* NULL for an index part */
    tf_key key;
} tf_part;

/* Parses "[0]" / "[\"k\"]" at q (pointing at '['); returns the end. */
static const char *parse_key(sgr_arena *a, const char *q, tf_key *k)
{
    const char *end = skip_bracket(q);
    memset(k, 0, sizeof *k);
    k->has = true;
    if (q[1] == '"') {
        const char *s = q + 2, *e = end - 2;
        k->s = e >= s ? sgr_arena_strndup(a, s, (size_t)(e - s)) : "";
    } else {
        char *endp;
        k->is_int = true;
        k->i = strtoll(q + 1, &endp, 10);
        if (*endp != ']')
            k->is_int = false, k->s = sgr_arena_strndup(a, q + 1, (size_t)(end - q - 2));
    }
    return end;
}

/* Splits a reference ("module.x[0].out", "aws_sg.a[\"k\"].id") into parts. */
static uint32_t parse_ref(sgr_arena *a, const char *s, tf_part *parts, uint32_t max)
{
    uint32_t n = 0;
    const char *p = s;
    while (*p && n < max) {
        if (*p == '[') {
            parts[n].name = NULL;
            p = parse_key(a, p, &parts[n].key);
            n++;
        } else if (*p == '.') {
            p++;
        } else {
            const char *q = p;
            while (*q && *q != '.' && *q != '[')
                q++;
            parts[n].name = sgr_arena_strndup(a, p, (size_t)(q - p));
            parts[n].key.has = false;
            n++;
            p = q;
        }
    }
    return n;
}

static tf_key key_of_json(const json_t *index)
{
    tf_key k = {0};
    if (json_is_integer(index)) {
        k.has = k.is_int = true;
        k.i = (long long)json_integer_value(index);
    } else if (json_is_string(index)) {
        k.has = true;
        k.s = json_string_value(index);
    }
    return k;
}

static bool key_eq(const tf_key *k, const json_t *index)
{
    if (!k->has)
        return index == NULL;
    if (k->is_int)
        return json_is_integer(index) && json_integer_value(index) == k->i;
    return json_is_string(index) && strcmp(json_string_value(index), k->s) == 0;
}

static const char *key_text(sgr_arena *a, const tf_key *k)
{
    if (!k->has)
        return "";
    return k->is_int ? sgr_arena_printf(a, "[%lld]", k->i) : sgr_arena_printf(a, "[\"%s\"]", k->s);
}

/* Last module segment of a module instance path: parent path, call name, key. */
static bool module_last(sgr_arena *a, const char *module, const char **parent, const char **call,
                        tf_key *key)
{
    const char *p = module, *last = NULL, *q, *name_end = NULL;
    while ((q = sgr_tf_module_step(p, &name_end))) {
        last = p;
        if (*q != '.')
            break;
        p = q + 1;
    }
    if (!last)
        return false;
    *parent = last == module ? "" : sgr_arena_strndup(a, module, (size_t)(last - module - 1));
    *call = sgr_arena_strndup(a, last + 7, (size_t)(name_end - last - 7));
    memset(key, 0, sizeof *key);
    if (*name_end == '[')
        parse_key(a, name_end, key);
    return true;
}

const json_t *sgr_tf_config_module(const sgr_tf *tf, const char *module)
{
    const json_t *cur = tf->config_root;
    const char *p = module, *q, *name_end;
    while (cur && (q = sgr_tf_module_step(p, &name_end))) {
        char name[256];
        size_t len = (size_t)(name_end - p - 7);
        if (len >= sizeof name)
            return NULL;
        memcpy(name, p + 7, len);
        name[len] = '\0';
        cur = json_object_get(json_object_get(json_object_get(cur, "module_calls"), name), "module");
        if (*q != '.')
            break;
        p = q + 1;
    }
    return cur;
}

sgr_tf_res *sgr_tf_find(const sgr_tf *tf, const char *address)
{
    return sgr_strmap_get(tf->map, SGR_TFM_ADDR, address);
}

sgr_tf_res *sgr_tf_by_id(const sgr_tf *tf, const char *id)
{
    return id ? sgr_strmap_get(tf->map, SGR_TFM_ID, id) : NULL;
}

/* ---------------------------------------------------------------- resolution */

typedef struct tf_scope {
    const char *module;
    tf_key index; /* count.index / each.key of the instance being evaluated */
} tf_scope;

static json_t *from_expr(sgr_tf *tf, const tf_scope *sc, const json_t *expr);

static json_t *marker(const tf_scope *sc, const char *what)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s%s%s%s", SGR_TF_UNRESOLVED, sc->module, *sc->module ? "." : "", what);
    return json_string(buf);
}

/* Follows the remaining parts (attributes, indexes) into a value. */
static json_t *traverse(json_t *v, const tf_part *parts, uint32_t n)
{
    for (uint32_t i = 0; v && i < n; i++) {
        json_t *next = NULL;
        if (parts[i].name && json_is_object(v))
            next = json_object_get(v, parts[i].name);
        else if (!parts[i].name && parts[i].key.is_int && json_is_array(v))
            next = json_array_get(v, (size_t)parts[i].key.i);
        else if (!parts[i].name && parts[i].key.s && json_is_object(v))
            next = json_object_get(v, parts[i].key.s);
        json_incref(next);
        json_decref(v);
        v = next;
    }
    if (v && json_is_null(v)) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static bool refs_have(const json_t *refs, const char *name)
{
    size_t i;
    const json_t *r;
    json_array_foreach(refs, i, r)
        if (json_is_string(r) && strncmp(json_string_value(r), name, strlen(name)) == 0)
            return true;
    return false;
}

static const char *const VPC_DEFAULTS[][2] = {
    {"default_security_group_id", "#default_security_group"},
    {"default_network_acl_id", "#default_network_acl"},
    {"main_route_table_id", "#main_route_table"},
    {"default_route_table_id", "#main_route_table"},
};

/* The value of attribute path `parts` of resource instance t. */
static json_t *attr_value(sgr_tf *tf, sgr_tf_res *t, const tf_part *parts, uint32_t n)
{
    const char *attr = n && parts[0].name ? parts[0].name : NULL;
    if (!attr || strcmp(attr, "id") == 0 || strcmp(attr, "arn") == 0) {
        const json_t *known = attr ? json_object_get(t->after, attr) : NULL;
        bool unknown = attr && json_is_true(json_object_get(t->unknown, attr));
        if (json_is_string(known) && *json_string_value(known) && !unknown)
            return json_incref((json_t *)known);
        return json_string(t->id);
    }
    json_t *v = traverse(json_incref((json_t *)sgr_tf_values(tf, t)), parts, n);
    if (v)
        return v;
    if (strcmp(t->type, "aws_vpc") == 0 && n == 1)
        for (size_t i = 0; i < sizeof VPC_DEFAULTS / sizeof *VPC_DEFAULTS; i++)
            if (strcmp(attr, VPC_DEFAULTS[i][0]) == 0)
                return json_string(sgr_arena_printf(tf->a, "%s%s", t->id, VPC_DEFAULTS[i][1]));
    return NULL;
}

static void append_flat(json_t *out, json_t *v)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
            json_array_append(out, e);
        json_decref(v);
    } else if (v) {
        json_array_append_new(out, v);
    }
}

static json_t *resolve_resource(sgr_tf *tf, const tf_scope *sc, const char *base, const tf_part *parts,
                                uint32_t n, const json_t *refs)
{
    char *key = sgr_arena_printf(tf->a, "%s|%s", sc->module, base);
    sgr_tf_list *l = sgr_strmap_get(tf->map, SGR_TFM_BASE, key);
    if (!l || !l->n)
        return NULL;
    tf_key want = {0};
    if (n && !parts[0].name) {
        want = parts[0].key;
        parts++, n--;
    } else if (l->n == 1 && !l->items[0]->index) {
        return attr_value(tf, l->items[0], parts, n);
    } else if (sc->index.has && sc->index.is_int && refs_have(refs, "count.index")) {
        want = sc->index;
    } else if (sc->index.has && !sc->index.is_int && refs_have(refs, "each.")) {
        want = sc->index;
    }
    json_t *out = json_array();
    bool any = false;
    for (uint32_t i = 0; i < l->n; i++) {
        if (want.has && !key_eq(&want, l->items[i]->index))
            continue;
        json_t *v = attr_value(tf, l->items[i], parts, n);
        if (!v) {
            json_decref(out);
            return NULL;
        }
        append_flat(out, v);
        any = true;
    }
    if (!any) {
        json_decref(out);
        return NULL;
    }
    return out;
}

static json_t *resolve_var(sgr_tf *tf, const tf_scope *sc, const char *name)
{
    if (!*sc->module)
        return json_incref(json_object_get(json_object_get(tf->variables, name), "value"));
    const char *parent, *call;
    tf_key key;
    if (!module_last(tf->a, sc->module, &parent, &call, &key))
        return NULL;
    const json_t *pcfg = sgr_tf_config_module(tf, parent);
    const json_t *callcfg = json_object_get(json_object_get(pcfg, "module_calls"), call);
    const json_t *expr = json_object_get(json_object_get(callcfg, "expressions"), name);
    if (expr) {
        tf_scope up = {parent, key};
        return from_expr(tf, &up, expr);
    }
    const json_t *var = json_object_get(json_object_get(json_object_get(callcfg, "module"), "variables"), name);
    return json_incref(json_object_get(var, "default"));
}

static json_t *resolve_output(sgr_tf *tf, const tf_scope *sc, const char *call, const tf_key *key,
                              const char *output)
{
    const json_t *cfg = sgr_tf_config_module(tf, sc->module);
    const json_t *expr = json_object_get(
        json_object_get(json_object_get(json_object_get(json_object_get(cfg, "module_calls"), call),
                                        "module"),
                        "outputs"),
        output);
    expr = json_object_get(expr, "expression");
    if (!expr)
        return NULL;
    const char *prefix = *sc->module ? sgr_arena_printf(tf->a, "%s.", sc->module) : "";
    sgr_tf_strlist *paths = sgr_strmap_get(tf->map, SGR_TFM_MODULE,
                                           sgr_arena_printf(tf->a, "%s|%s", sc->module, call));
    json_t *out = json_array();
    if (key->has || !paths || !paths->n) {
        tf_scope in = {sgr_arena_printf(tf->a, "%smodule.%s%s", prefix, call, key_text(tf->a, key)), *key};
        append_flat(out, from_expr(tf, &in, expr));
    } else {
        for (uint32_t i = 0; i < paths->n; i++) {
            tf_scope in = {paths->items[i], {0}};
            const char *parent, *c;
            module_last(tf->a, paths->items[i], &parent, &c, &in.index);
            append_flat(out, from_expr(tf, &in, expr));
        }
    }
    return out;
}

/* Resolves a `references` list to the values it names: one value, or an array. */
static json_t *resolve_refs(sgr_tf *tf, const tf_scope *sc, const json_t *refs)
{
    json_t *out = json_array();
    size_t i;
    const json_t *r;
    json_array_foreach(refs, i, r) {
        if (!json_is_string(r))
            continue;
        const char *s = json_string_value(r);
        size_t len = strlen(s);
        bool covered = false;
        for (size_t j = 0; j < i && !covered; j++) {
            const char *t = json_string_value(json_array_get(refs, j));
            covered = t && strncmp(t, s, len) == 0 && (t[len] == '.' || t[len] == '[');
        }
        if (covered)
            continue;
        tf_part parts[16];
        uint32_t n = parse_ref(tf->a, s, parts, 16);
        if (!n || !parts[0].name)
            continue;
        const char *root = parts[0].name;
        if (!strcmp(root, "count") || !strcmp(root, "each") || !strcmp(root, "path") ||
            !strcmp(root, "terraform") || !strcmp(root, "self"))
            continue;
        json_t *v = NULL;
        if (!strcmp(root, "var") && n >= 2 && parts[1].name) {
            v = traverse(resolve_var(tf, sc, parts[1].name), parts + 2, n - 2);
        } else if (!strcmp(root, "module") && n >= 3 && parts[1].name) {
            tf_key none = {0};
            uint32_t k = 2;
            const tf_key *key = &none;
            if (!parts[2].name)
                key = &parts[2].key, k = 3;
            if (k < n && parts[k].name)
                v = traverse(resolve_output(tf, sc, parts[1].name, key, parts[k].name), parts + k + 1,
                             n - k - 1);
        } else if (!strcmp(root, "data") && n >= 3 && parts[1].name && parts[2].name) {
            const char *base = sgr_arena_printf(tf->a, "data.%s.%s", parts[1].name, parts[2].name);
            v = resolve_resource(tf, sc, base, parts + 3, n - 3, refs);
        } else if (strcmp(root, "local") != 0 && n >= 2 && parts[1].name) {
            const char *base = sgr_arena_printf(tf->a, "%s.%s", root, parts[1].name);
            v = resolve_resource(tf, sc, base, parts + 2, n - 2, refs);
        }
        if (!v)
            v = marker(sc, s);
        append_flat(out, v);
    }
    if (json_array_size(out) == 0) {
        json_decref(out);
        /* Only the instance's own key (name = each.key, port = 8000 + count.index
         * would not get here: Terraform knows such values at plan time). */
        if (sc->index.has && refs_have(refs, sc->index.is_int ? "count.index" : "each.key"))
            return sc->index.is_int ? json_integer(sc->index.i) : json_string(sc->index.s);
        return json_null();
    }
    if (json_array_size(out) == 1) {
        json_t *one = json_incref(json_array_get(out, 0));
        json_decref(out);
        return one;
    }
    return out;
}

/* Deeper than any real configuration: module outputs and variables that
 * refer to each other in a cycle (hostile input) stop here, unresolved. */
#define MAX_DEPTH 64

static json_t *from_expr_inner(sgr_tf *tf, const tf_scope *sc, const json_t *expr);

static json_t *from_expr(sgr_tf *tf, const tf_scope *sc, const json_t *expr)
{
    if (tf->depth >= MAX_DEPTH)
        return marker(sc, "expression nested too deep (a cycle?)");
    tf->depth++;
    json_t *v = from_expr_inner(tf, sc, expr);
    tf->depth--;
    return v;
}

static json_t *from_expr_inner(sgr_tf *tf, const tf_scope *sc, const json_t *expr)
{
    if (!expr)
        return json_null();
    if (json_is_array(expr)) { /* nested blocks */
        json_t *out = json_array();
        size_t i;
        const json_t *b;
        json_array_foreach(expr, i, b)
            json_array_append_new(out, from_expr(tf, sc, b));
        return out;
    }
    if (!json_is_object(expr))
        return json_null();
    const json_t *cv = json_object_get(expr, "constant_value");
    if (cv)
        return json_incref((json_t *)cv);
    const json_t *refs = json_object_get(expr, "references");
    if (json_is_array(refs))
        return resolve_refs(tf, sc, refs);
    /* A single nested block: an object of expressions. */
    json_t *out = json_object();
    const char *k;
    const json_t *e;
    json_object_foreach((json_t *)expr, k, e)
        json_object_set_new(out, k, from_expr(tf, sc, e));
    return out;
}

static bool is_wrapper(const json_t *expr)
{
    return json_object_get(expr, "constant_value") || json_object_get(expr, "references");
}

static const json_t *expr_child(const json_t *expr, const char *key)
{
    if (!json_is_object(expr) || is_wrapper(expr))
        return NULL;
    return json_object_get(expr, key);
}

static bool has_unknown(const json_t *unk)
{
    if (json_is_true(unk))
        return true;
    size_t i;
    const char *k;
    const json_t *e;
    if (json_is_array(unk))
        json_array_foreach(unk, i, e) if (has_unknown(e)) return true;
    if (json_is_object(unk))
        json_object_foreach((json_t *)unk, k, e) if (has_unknown(e)) return true;
    return false;
}

/* Where resolve() is in a resource's values: for the marker and warning of a
 * value that stays unknown. */
typedef struct tf_at {
    sgr_tf_res *r;
    const char *path; /* ".network_configuration[0].security_groups" */
    bool shown;       /* the configuration shows the enclosing block (or resource) */
} tf_at;

/* A value known only at apply that the configuration does not show how to
 * build: a value no dump describes (a group, a subnet, a CIDR), so what it
 * decides is unknown, never "none" (issue 16). Warned where it is. */
static json_t *unknown_value(sgr_tf *tf, const tf_at *at, const char *how)
{
    sgr_tf_res *r = at->r;
    char p[512];
    snprintf(p, sizeof p, "%s%s", r->path, at->path);
    /* Without configuration every computed attribute is such a value: one
     * warning for the resource says it. */
    const char *once = r->config ? NULL : sgr_arena_printf(tf->a, "no configuration|%s", r->address);
    if (!once || !sgr_strmap_get(tf->map, SGR_TFM_WARNED, once)) {
        if (once)
            sgr_strmap_put(tf->map, SGR_TFM_WARNED, once, (void *)once);
        sgr_import_warn(tf->ctx, r->node, p, "%s: %s is known only at apply and %s: what it decides is unknown",
                        r->address, at->path + 1, how);
    }
    return json_string(sgr_arena_printf(tf->a, "%s%s%s (known only at apply)", SGR_TF_UNRESOLVED, r->address, at->path));
}

/* An unknown leaf: what its expression names. With no expression, an
 * attribute the configuration leaves out of a block (or resource) it shows is
 * the provider's default to compute (an instance's groups: the VPC's default
 * group), but a leaf inside a block the configuration does not show (a
 * dynamic block), or of a resource without configuration, or an expression
 * that names nothing Terraform knows now, is unknown. */
static json_t *resolve_leaf(sgr_tf *tf, const tf_scope *sc, const json_t *expr, const tf_at *at)
{
    json_t *v = expr ? from_expr(tf, sc, expr) : NULL;
    if (v && !json_is_null(v))
        return v;
    json_decref(v);
    if (expr)
        return unknown_value(tf, at, "its expression names nothing the plan knows");
    if (at->shown)
        return json_null();
    return unknown_value(tf, at, at->r->config ? "the configuration does not show its block (a dynamic block?)"
                                               : "the plan has no configuration for the resource");
}

/* Planned value `after` with its unknown leaves (`unk`) filled from `expr`. */
static json_t *resolve(sgr_tf *tf, const tf_scope *sc, const json_t *after, const json_t *unk,
                       const json_t *expr, const tf_at *at)
{
    if (!has_unknown(unk))
        return after ? json_incref((json_t *)after) : json_null();
    if (json_is_true(unk))
        return resolve_leaf(tf, sc, expr, at);
    if (json_is_object(unk)) {
        /* A resource's configuration shows it even with no expressions. */
        bool shown = expr != NULL || (!*at->path && at->r->config);
        json_t *out = json_object();
        const char *k;
        const json_t *v;
        if (json_is_object(after))
            json_object_foreach((json_t *)after, k, v) {
                tf_at in = {at->r, sgr_arena_printf(tf->a, "%s.%s", at->path, k), shown};
                json_object_set_new(out, k, resolve(tf, sc, v, json_object_get(unk, k), expr_child(expr, k), &in));
            }
        json_object_foreach((json_t *)unk, k, v)
            if (!json_object_get(out, k)) {
                tf_at in = {at->r, sgr_arena_printf(tf->a, "%s.%s", at->path, k), shown};
                json_object_set_new(out, k, resolve(tf, sc, NULL, v, expr_child(expr, k), &in));
            }
        return out;
    }
    if (json_is_array(unk)) {
        json_t *out = json_array();
        size_t n = json_array_size(after);
        if (json_object_get(expr, "references")) {
            /* A list attribute built from references: known elements plus what
             * the references name (the unknown elements among them). */
            for (size_t i = 0; i < n; i++) {
                const json_t *e = json_array_get(after, i);
                if (!json_is_true(json_array_get(unk, i)) && !json_is_null(e))
                    json_array_append(out, (json_t *)e);
            }
            append_flat(out, resolve_leaf(tf, sc, expr, at));
            return out;
        }
        size_t m = n > json_array_size(unk) ? n : json_array_size(unk);
        for (size_t i = 0; i < m; i++) {
            /* A block list shown element for element, or a single block shown
             * as an object; otherwise (a dynamic block) not shown. */
            const json_t *ei = json_is_array(expr) && json_array_size(expr) == m ? json_array_get(expr, i)
                               : m == 1 && json_is_object(expr) && !is_wrapper(expr) ? expr
                                                                                      : NULL;
            tf_at in = {at->r, sgr_arena_printf(tf->a, "%s[%zu]", at->path, i), ei != NULL};
            json_array_append_new(out, resolve(tf, sc, json_array_get(after, i), json_array_get(unk, i), ei, &in));
        }
        return out;
    }
    return after ? json_incref((json_t *)after) : json_null();
}

const json_t *sgr_tf_values(sgr_tf *tf, sgr_tf_res *r)
{
    if (r->v)
        return r->v;
    if (r->resolving)
        return json_is_object(r->after) ? r->after : json_object();
    r->resolving = true;
    tf_scope sc = {r->module, key_of_json(r->index)};
    const json_t *expr = json_object_get(r->config, "expressions");
    tf_at at = {r, "", true};
    json_t *v = resolve(tf, &sc, r->after, r->unknown, expr, &at);
    if (!json_is_object(v)) {
        json_decref(v);
        v = json_object();
    }
    r->v = v;
    r->resolving = false;
    return v;
}
