#include "queries/policy.h"

#include "queries/findings.h"
#include "graph/strmap.h"
#include "load/json_printable.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ------------------------------------------------------------------ locating
 * jansson keeps no position per value, so errors find their line by walking
 * the (already valid) text along the JSON path of the value. */

typedef struct loc_step {
    const char *key;            /* object member, or NULL for an array index */
    size_t index;
} loc_step;

typedef struct scan {
    const char *p, *end;
    uint32_t line;
} scan;

static void skip_ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r')) {
        if (*s->p == '\n')
            s->line++;
        s->p++;
    }
}

/* Skips a string starting at '"'; returns its raw contents' start and length. */
static const char *skip_string(scan *s, size_t *len)
{
    const char *start = ++s->p;
    while (s->p < s->end && *s->p != '"') {
        if (*s->p == '\\' && s->p + 1 < s->end)
            s->p++;
        s->p++;
    }
    *len = (size_t)(s->p - start);
    if (s->p < s->end)
        s->p++;
    return start;
}

static void skip_value(scan *s)
{
    skip_ws(s);
    if (s->p >= s->end)
        return;
    char c = *s->p;
    if (c == '"') {
        size_t n;
        skip_string(s, &n);
        return;
    }
    if (c == '{' || c == '[') {
        int depth = 0;
        while (s->p < s->end) {
            c = *s->p;
            if (c == '"') {
                size_t n;
                skip_string(s, &n);
                continue;
            }
            if (c == '\n')
                s->line++;
            s->p++;
            if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0)
                return;
        }
        return;
    }
    while (s->p < s->end && !strchr(",]} \t\r\n", *s->p))
        s->p++;
}

/* Past the value at s->p and the comma after it: false when no comma
 * follows (the object or array ends, or the text is cut short). */
static bool skip_to_next(scan *s)
{
    skip_value(s);
    skip_ws(s);
    if (s->p >= s->end || *s->p != ',')
        return false;
    s->p++;
    return true;
}

/* Line of the value at steps[0..n) below the value at s->p; the deepest line
 * reached when the path cannot be followed (escaped keys). */
static uint32_t locate(scan *s, const loc_step *steps, size_t n)
{
    skip_ws(s);
    if (n == 0 || s->p >= s->end)
        return s->line;
    uint32_t here = s->line;
    if (steps[0].key && *s->p == '{') {
        s->p++;
        for (;;) {
            skip_ws(s);
            if (s->p >= s->end || *s->p != '"')
                return here;
            size_t klen;
            const char *k = skip_string(s, &klen);
            skip_ws(s);
            if (s->p < s->end && *s->p == ':')
                s->p++;
            if (klen == strlen(steps[0].key) && memcmp(k, steps[0].key, klen) == 0)
                return locate(s, steps + 1, n - 1);
            if (!skip_to_next(s))
                return here;
        }
    }
    if (!steps[0].key && *s->p == '[') {
        s->p++;
        for (size_t i = 0;; i++) {
            skip_ws(s);
            if (i == steps[0].index)
                return locate(s, steps + 1, n - 1);
            if (!skip_to_next(s))
                return here;
        }
    }
    return here;
}

/* ------------------------------------------------------------------ context */

typedef struct pctx {
    sgr_arena *a;
    const char *file;
    const char *text;
    size_t len;
    const sgr_policy_options *opts;
    const char *err;            /* first error */
    loc_step steps[4];
    size_t n_steps;
    uint32_t item_line;         /* line of the array item being parsed */
    sgr_strmap *names;          /* entry name → entry (duplicates, waivers) */
} pctx;

static void push_key(pctx *c, const char *key)
{
    c->steps[c->n_steps].key = key;
    c->steps[c->n_steps++].index = 0;
}

static void push_index(pctx *c, size_t i)
{
    c->steps[c->n_steps].key = NULL;
    c->steps[c->n_steps++].index = i;
}

static const char *path_text(pctx *c)
{
    char buf[512];
    size_t n = (size_t)snprintf(buf, sizeof buf, "$");
    for (size_t i = 0; i < c->n_steps && n < sizeof buf; i++) {
        if (c->steps[i].key)
            n += (size_t)snprintf(buf + n, sizeof buf - n, ".%s", c->steps[i].key);
        else
            n += (size_t)snprintf(buf + n, sizeof buf - n, "[%zu]", c->steps[i].index);
    }
    return sgr_arena_strdup(c->a, buf);
}

static uint32_t path_line(pctx *c)
{
    scan s = {c->text, c->text + c->len, 1};
    return locate(&s, c->steps, c->n_steps);
}

/* Records an error at the current path (the first one wins). Returns false. */
static bool fail(pctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool fail(pctx *c, const char *fmt, ...)
{
    if (c->err)
        return false;
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    c->err = sgr_arena_printf(c->a, "%s: %s (line %u): %s", c->file, path_text(c), path_line(c), msg);
    return false;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* ------------------------------------------------------------------ fields */

/* A string member (required or not). *out = NULL when absent and optional. */
static bool get_string(pctx *c, json_t *obj, const char *key, bool required, const char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v) {
        if (required)
            return fail(c, "missing \"%s\"", key);
        return true;
    }
    push_key(c, key);
    bool ok = json_is_string(v) ? true : fail(c, "must be a string, not %s", type_name(v));
    if (ok && json_string_length(v) == 0)
        ok = fail(c, "must not be empty");
    if (ok && strlen(json_string_value(v)) != json_string_length(v))
        ok = fail(c, "must not contain NUL characters");
    if (ok)
        *out = sgr_arena_strdup(c->a, json_string_value(v));
    c->n_steps--;
    return ok;
}

static bool check_selector(pctx *c, const char *key, const char *text)
{
    if (!text || !c->opts->check_selector)
        return true;
    const char *why = NULL;
    if (c->opts->check_selector(c->a, text, &why))
        return true;
    push_key(c, key);
    fail(c, "bad selector \"%s\": %s", text, why ? why : "invalid");
    c->n_steps--;
    return false;
}

/* "ports": a spec string or a non-empty array of them. */
static bool get_ports(pctx *c, json_t *obj, bool required, bool *present, sgr_portset *out, const char **text)
{
    json_t *v = json_object_get(obj, "ports");
    *present = v != NULL;
    memset(out, 0, sizeof *out);
    if (!v)
        return required ? fail(c, "missing \"ports\"") : true;
    push_key(c, "ports");
    bool ok = true;
    const char *why = NULL;
    if (json_is_string(v)) {
        if (!sgr_portset_parse(c->a, json_string_value(v), out, &why))
            ok = fail(c, "bad port spec \"%s\": %s", json_string_value(v), why);
    } else if (json_is_array(v) && json_array_size(v) > 0) {
        size_t i;
        json_t *item;
        json_array_foreach(v, i, item) {
            push_index(c, i);
            sgr_portset one;
            if (!json_is_string(item))
                ok = fail(c, "must be a port spec string, not %s", type_name(item));
            else if (!sgr_portset_parse(c->a, json_string_value(item), &one, &why))
                ok = fail(c, "bad port spec \"%s\": %s", json_string_value(item), why);
            else
                sgr_portset_union(c->a, out, &one);
            c->n_steps--;
            if (!ok)
                break;
        }
    } else if (json_is_array(v)) {
        ok = fail(c, "must not be an empty list");
    } else {
        ok = fail(c, "must be a port spec string or a list of them, not %s", type_name(v));
    }
    c->n_steps--;
    if (ok)
        *text = sgr_portset_format(c->a, out);
    return ok;
}

static bool check_keys(pctx *c, json_t *obj, const char *const *allowed, const char *expected)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        bool known = false;
        for (size_t i = 0; allowed[i]; i++)
            known = known || strcmp(key, allowed[i]) == 0;
        if (!known) {
            push_key(c, key);
            fail(c, "unknown key \"%s\" (expected %s)", key, expected);
            c->n_steps--;
            return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------------ entries */

static bool parse_severity(pctx *c, json_t *obj, sgr_policy_entry *e)
{
    static const struct { const char *name; sgr_level level; } LEVELS[] = {
        {"error", SGR_LEVEL_ERROR},   {"warning", SGR_LEVEL_WARNING}, {"note", SGR_LEVEL_NOTE},
        {"critical", SGR_LEVEL_ERROR}, {"high", SGR_LEVEL_ERROR},     {"medium", SGR_LEVEL_WARNING},
        {"low", SGR_LEVEL_NOTE},
    };
    const char *sev;
    if (!get_string(c, obj, "severity", false, &sev))
        return false;
    e->severity = "error";
    e->level = SGR_LEVEL_ERROR;
    if (!sev)
        return true;
    for (size_t i = 0; i < sizeof LEVELS / sizeof LEVELS[0]; i++) {
        if (strcmp(sev, LEVELS[i].name) == 0) {
            e->severity = sev;
            e->level = LEVELS[i].level;
            return true;
        }
    }
    push_key(c, "severity");
    fail(c, "unknown severity \"%s\" (expected error, warning, note, critical, high, medium or low)", sev);
    c->n_steps--;
    return false;
}

static bool parse_entry(pctx *c, json_t *obj, sgr_policy_kind kind, sgr_policy_entry *e)
{
    static const char *const KEYS[] = {"name", "from", "to", "ports", "severity", "description", NULL};
    if (!json_is_object(obj))
        return fail(c, "an entry must be an object, not %s", type_name(obj));
    e->kind = kind;
    e->path = path_text(c);
    e->line = c->item_line;
    bool present;
    return check_keys(c, obj, KEYS, "name, from, to, ports, severity, description") &&
           get_string(c, obj, "name", true, &e->name) && get_string(c, obj, "from", true, &e->from) &&
           get_string(c, obj, "to", true, &e->to) &&
           get_ports(c, obj, true, &present, &e->ports, &e->ports_text) && parse_severity(c, obj, e) &&
           get_string(c, obj, "description", false, &e->description) &&
           check_selector(c, "from", e->from) && check_selector(c, "to", e->to);
}

/* A finding's check ("open-admin-port") or one finding's id ("open-admin-port:sg-1:ingress#2"). */
static bool names_finding(const char *name)
{
    uint32_t n;
    const sgr_fcheck *cat = sgr_findings_catalogue(&n);
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strlen(cat[i].code);
        if (strncmp(name, cat[i].code, len) == 0 && (name[len] == '\0' || name[len] == ':'))
            return true;
    }
    return false;
}

static bool parse_waiver(pctx *c, sgr_policy *p, json_t *obj, sgr_waiver *w)
{
    static const char *const KEYS[] = {"name", "from", "to", "ports", "reason", "expires", NULL};
    if (!json_is_object(obj))
        return fail(c, "a waiver must be an object, not %s", type_name(obj));
    w->path = path_text(c);
    w->line = c->item_line;
    const char *ptext;
    if (!check_keys(c, obj, KEYS, "name, from, to, ports, reason, expires") ||
        !get_string(c, obj, "name", true, &w->name) || !get_string(c, obj, "from", false, &w->from) ||
        !get_string(c, obj, "to", false, &w->to) ||
        !get_ports(c, obj, false, &w->has_ports, &w->ports, &ptext) ||
        !get_string(c, obj, "reason", true, &w->reason) ||
        !get_string(c, obj, "expires", false, &w->expires) || !check_selector(c, "from", w->from) ||
        !check_selector(c, "to", w->to))
        return false;
    bool ok = true;
    w->finding = !sgr_strmap_get(c->names, 1, w->name) && names_finding(w->name);
    if (!w->finding && !sgr_strmap_get(c->names, 1, w->name)) {
        push_key(c, "name");
        ok = fail(c, "no forbid or require entry, and no finding check, is named \"%s\"", w->name);
        c->n_steps--;
    } else if (w->finding && (w->from || w->to || w->has_ports)) {
        push_key(c, w->from ? "from" : w->to ? "to" : "ports");
        ok = fail(c, "a waiver of the finding \"%s\" names it by check or id only (from, to and ports are for policy entries)",
                  w->name);
        c->n_steps--;
    } else if (w->expires && !sgr_policy_valid_date(w->expires)) {
        push_key(c, "expires");
        ok = fail(c, "\"%s\" is not a date YYYY-MM-DD", w->expires);
        c->n_steps--;
    }
    w->expired = w->expires && strcmp(p->today, w->expires) > 0;
    return ok;
}

/* The line of each of the n items of the array at the current path, in one
 * pass (asking path_line() per item would rescan the text each time). */
static uint32_t *item_lines(pctx *c, size_t n)
{
    uint32_t *lines = SGR_NEW_N(c->a, uint32_t, n ? n : 1);
    scan s = {c->text, c->text + c->len, 1};
    locate(&s, c->steps, c->n_steps);
    if (s.p >= s.end || *s.p != '[')
        return lines; /* unknown: 0 */
    s.p++;
    for (size_t i = 0; i < n; i++) {
        skip_ws(&s);
        lines[i] = s.line;
        skip_value(&s);
        skip_ws(&s);
        if (s.p >= s.end || *s.p != ',')
            break;
        s.p++;
    }
    return lines;
}

static bool parse_list(pctx *c, sgr_policy *p, json_t *root, const char *key, sgr_policy_kind kind)
{
    json_t *arr = json_object_get(root, key);
    if (!arr)
        return true;
    push_key(c, key);
    bool ok = json_is_array(arr) ? true : fail(c, "must be an array, not %s", type_name(arr));
    size_t i;
    json_t *item;
    if (ok) {
        uint32_t *lines = item_lines(c, json_array_size(arr));
        json_array_foreach(arr, i, item) {
            c->item_line = lines[i];
            push_index(c, i);
            if (strcmp(key, "waivers") == 0) {
                sgr_waiver *w = &p->waivers[p->n_waivers];
                ok = parse_waiver(c, p, item, w);
                p->n_waivers++;
            } else {
                sgr_policy_entry *e = &p->entries[p->n_entries];
                ok = parse_entry(c, item, kind, e);
                const sgr_policy_entry *prev = ok ? sgr_strmap_get(c->names, 1, e->name) : NULL;
                if (ok && !prev)
                    sgr_strmap_put(c->names, 1, e->name, e);
                if (prev) {
                    push_key(c, "name");
                    ok = fail(c, "duplicate entry name \"%s\" (first at %s)", e->name, prev->path);
                    c->n_steps--;
                }
                p->n_entries++;
            }
            c->n_steps--;
            if (!ok)
                break;
        }
    }
    c->n_steps--;
    return ok;
}

static size_t array_len(json_t *root, const char *key)
{
    json_t *v = json_object_get(root, key);
    return json_is_array(v) ? json_array_size(v) : 0;
}

/* Today's date for waiver expiry: the option, else $SGREACH_TODAY, else UTC. */
static const char *today(pctx *c)
{
    const char *t = c->opts->today ? c->opts->today : getenv("SGREACH_TODAY");
    if (t && *t) {
        if (!sgr_policy_valid_date(t)) {
            c->err = sgr_arena_printf(c->a, "SGREACH_TODAY=\"%s\" is not a date YYYY-MM-DD", t);
            return NULL;
        }
        return sgr_arena_strdup(c->a, t);
    }
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    return sgr_arena_printf(c->a, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

sgr_policy *sgr_policy_parse(sgr_arena *a, const char *file, const char *text, size_t len,
                             const sgr_policy_options *opts, const char **err)
{
    static const sgr_policy_options none = {0};
    pctx c = {.a = a, .file = file, .text = text, .len = len, .opts = opts ? opts : &none, .names = sgr_strmap_new(a)};
    *err = NULL;
    sgr_policy *p = SGR_NEW(a, sgr_policy);
    p->file = sgr_arena_strdup(a, file);
    p->today = today(&c);
    if (!p->today) {
        *err = c.err;
        return NULL;
    }
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        *err = sgr_arena_printf(a, "%s:%d:%d: %s", file, je.line, je.column, je.text);
        return NULL;
    }
    sgr_json_make_printable(root, text, len); /* entry names become SARIF rule ids */
    static const char *const KEYS[] = {"forbid", "require", "waivers", "description", NULL};
    if (!json_is_object(root)) {
        fail(&c, "a policy must be a JSON object, not %s", type_name(root));
    } else if (check_keys(&c, root, KEYS, "forbid, require, waivers, description")) {
        size_t n = array_len(root, "forbid") + array_len(root, "require");
        p->entries = SGR_NEW_N(a, sgr_policy_entry, n ? n : 1);
        p->waivers = SGR_NEW_N(a, sgr_waiver, array_len(root, "waivers") + 1);
        const char *desc;
        if (parse_list(&c, p, root, "forbid", SGR_POLICY_FORBID) &&
            parse_list(&c, p, root, "require", SGR_POLICY_REQUIRE) &&
            parse_list(&c, p, root, "waivers", SGR_POLICY_FORBID))
            get_string(&c, root, "description", false, &desc);
    }
    json_decref(root);
    if (c.err) {
        *err = c.err;
        return NULL;
    }
    return p;
}

sgr_policy *sgr_policy_load(sgr_arena *a, const char *file, const sgr_policy_options *opts, const char **err)
{
    FILE *f = fopen(file, "rb");
    if (!f) {
        *err = sgr_arena_printf(a, "%s: %s", file, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = sgr_xmalloc(cap);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap) {
            if (cap > ((size_t)1 << 30))
                break;
            cap *= 2;
            buf = sgr_xrealloc(buf, cap);
        }
    }
    bool bad = ferror(f) != 0;
    fclose(f);
    sgr_policy *p = NULL;
    if (bad)
        *err = sgr_arena_printf(a, "%s: read error", file);
    else
        p = sgr_policy_parse(a, file, buf, len, opts, err);
    free(buf);
    return p;
}

bool sgr_policy_valid_date(const char *s)
{
    static const int DAYS[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    if (m < 1 || m > 12 || d < 1 || d > DAYS[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

const char *sgr_policy_kind_name(sgr_policy_kind k)
{
    return k == SGR_POLICY_FORBID ? "forbid" : "require";
}

const char *sgr_level_name(sgr_level l)
{
    return l == SGR_LEVEL_ERROR ? "error" : l == SGR_LEVEL_WARNING ? "warning" : "note";
}

const sgr_policy_entry *sgr_policy_find(const sgr_policy *p, const char *name)
{
    for (uint32_t i = 0; i < p->n_entries; i++)
        if (p->entries[i].name && strcmp(p->entries[i].name, name) == 0)
            return &p->entries[i];
    return NULL;
}
