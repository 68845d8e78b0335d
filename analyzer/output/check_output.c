/* `check` results: ordering, fingerprints, the baseline, text and JSON output. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "queries/check.h"

static int cmp_violation(const void *x, const void *y)
{
    const sgr_violation *a = x, *b = y;
    if (a->entry != b->entry) /* entries are one array: file order */
        return a->entry < b->entry ? -1 : 1;
    int c = strcmp(a->from, b->from);
    if (!c)
        c = strcmp(a->to, b->to);
    if (!c)
        c = (a->protocol > b->protocol) - (a->protocol < b->protocol);
    return c;
}

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    h ^= 0x1f; /* field separator */
    return h * 1099511628211ull;
}

const char *sgr_violation_key(sgr_arena *a, const char *entry, const char *from, const char *to,
                              const char *protocol)
{
    uint64_t h = 14695981039346656037ull;
    h = fnv1a(h, entry);
    h = fnv1a(h, from);
    h = fnv1a(h, to);
    h = fnv1a(h, protocol);
    return sgr_arena_printf(a, "%016llx", (unsigned long long)h);
}

void sgr_check_finish(sgr_arena *a, sgr_check_result *r)
{
    if (r->n > 1)
        qsort(r->v, r->n, sizeof *r->v, cmp_violation);
    for (uint32_t i = 0; i < r->n; i++)
        r->v[i].fingerprint = sgr_violation_key(a, r->v[i].entry->name, r->v[i].from, r->v[i].to,
                                                r->v[i].protocol_name);
}

/* First index whose entry is at or after `en` (strictly after when `after`). */
static uint32_t first_at(const sgr_check_result *r, const sgr_policy_entry *en, bool after)
{
    uint32_t lo = 0, hi = r->n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (r->v[mid].entry < en || (after && r->v[mid].entry == en))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

void sgr_check_entry_span(const sgr_check_result *r, uint32_t e, uint32_t *lo, uint32_t *hi)
{
    const sgr_policy_entry *en = &r->policy->entries[e];
    *lo = first_at(r, en, false);
    *hi = first_at(r, en, true);
}

bool sgr_violation_fails(const sgr_violation *v)
{
    return !v->waived && v->baseline != SGR_BASELINE_KNOWN;
}

uint32_t sgr_check_failures(const sgr_check_result *r)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->n; i++)
        n += sgr_violation_fails(&r->v[i]);
    return n;
}

bool sgr_check_apply_baseline(sgr_arena *a, sgr_check_result *r, const char *file, const char **err)
{
    json_error_t je;
    json_t *root = json_load_file(file, 0, &je);
    if (!root) {
        if (je.line <= 0)
            *err = sgr_arena_printf(a, "%s: %s", file, je.text);
        else
            *err = sgr_arena_printf(a, "%s:%d:%d: %s", file, je.line, je.column, je.text);
        return false;
    }
    json_t *arr = json_object_get(root, "violations");
    if (!json_is_array(arr)) {
        *err = sgr_arena_printf(a, "%s: $.violations: missing, or not an array (is it `check --format json` output?)", file);
        json_decref(root);
        return false;
    }
    size_t n = json_array_size(arr);
    const char **keys = SGR_NEW_N(a, const char *, n + 1);
    for (size_t i = 0; i < n; i++) {
        json_t *v = json_array_get(arr, i);
        const char *f[4] = {"entry", "from", "to", "protocol"};
        const char *s[4];
        for (int k = 0; k < 4; k++) {
            s[k] = json_string_value(json_object_get(v, f[k]));
            if (!s[k]) {
                *err = sgr_arena_printf(a, "%s: $.violations[%zu].%s: missing, or not a string", file, i, f[k]);
                json_decref(root);
                return false;
            }
        }
        keys[i] = sgr_violation_key(a, s[0], s[1], s[2], s[3]);
    }
    json_decref(root);
    r->baseline_file = sgr_arena_strdup(a, file);
    for (uint32_t i = 0; i < r->n; i++) {
        r->v[i].baseline = SGR_BASELINE_NEW;
        for (size_t k = 0; k < n; k++)
            if (strcmp(keys[k], r->v[i].fingerprint) == 0)
                r->v[i].baseline = SGR_BASELINE_KNOWN;
    }
    return true;
}

static bool has_id(const char *const *ids, uint32_t n, const char *id)
{
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(ids[i], id) == 0)
            return true;
    return false;
}

static bool waiver_covers(const sgr_waiver_scope *s, const sgr_violation *v)
{
    if (strcmp(s->w->name, v->entry->name) != 0)
        return false;
    if (s->w->has_ports && !sgr_portset_subset(&v->portset, &s->w->ports))
        return false;
    for (uint32_t k = 0; k < v->n_pairs; k++) {
        const sgr_check_pair *p = &v->pairs[k];
        if (!s->any_from && !has_id(s->from_ids, s->n_from, p->from) && !has_id(s->from_ids, s->n_from, v->from))
            return false;
        if (!s->any_to && !has_id(s->to_ids, s->n_to, p->to) && !has_id(s->to_ids, s->n_to, v->to))
            return false;
    }
    return true;
}

void sgr_check_apply_waivers(sgr_check_result *r, const sgr_waiver_scope *s, uint32_t n)
{
    for (uint32_t i = 0; i < r->n; i++) {
        sgr_violation *v = &r->v[i];
        for (uint32_t k = 0; k < n && !v->waived; k++) {
            if (!waiver_covers(&s[k], v))
                continue;
            if (s[k].w->expired) {
                if (!v->waiver_expired || strcmp(s[k].w->expires, v->waiver_expired) > 0)
                    v->waiver_expired = s[k].w->expires;
            } else {
                v->waived = true;
                v->waiver_reason = s[k].w->reason;
                v->waiver_expired = NULL;
            }
        }
    }
}

const char *sgr_origin_text(sgr_arena *a, const sgr_origin *o)
{
    if (!o->file)
        return "";
    if (!o->line)
        return o->file;
    return sgr_arena_printf(a, "%s:%u", o->file, o->line);
}

/* ------------------------------------------------------------------ text */

static const char *endpoint_text(sgr_arena *a, const char *id, const char *name)
{
    if (!name || strcmp(name, id) == 0)
        return id;
    return sgr_arena_printf(a, "%s (%s)", id, name);
}

static const char *port_text(sgr_arena *a, const sgr_violation *v)
{
    if (v->protocol < 0)
        return "all";
    if (strcmp(v->ports, "all") == 0)
        return v->protocol_name;
    return sgr_arena_printf(a, "%s:%s", v->protocol_name, v->ports);
}

static const char *state_text(sgr_arena *a, const sgr_violation *v)
{
    if (v->waived)
        return sgr_arena_printf(a, " [waived: %s]", v->waiver_reason);
    if (v->baseline == SGR_BASELINE_KNOWN)
        return " [known: in the baseline]";
    if (v->baseline == SGR_BASELINE_NEW)
        return " [new]";
    return "";
}

void sgr_check_write_text(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    const sgr_policy *p = r->policy;
    uint32_t failing_entries = 0, waived = 0, known = 0;
    for (uint32_t e = 0; e < p->n_entries; e++) {
        const sgr_policy_entry *en = &p->entries[e];
        uint32_t nv = 0, nf = 0, lo, hi;
        sgr_check_entry_span(r, e, &lo, &hi);
        for (uint32_t i = lo; i < hi; i++)
            if (r->v[i].entry == en) {
                nv++;
                nf += sgr_violation_fails(&r->v[i]);
            }
        failing_entries += nf > 0;
        fprintf(out, "%s  %s %s [%s]: %s -> %s on %s\n", nf ? "FAIL" : nv ? "OK* " : "PASS",
                sgr_policy_kind_name(en->kind), en->name, en->severity, en->from, en->to, en->ports_text);
        for (uint32_t i = lo; i < hi; i++) {
            const sgr_violation *v = &r->v[i];
            if (v->entry != en)
                continue;
            waived += v->waived;
            known += !v->waived && v->baseline == SGR_BASELINE_KNOWN;
            fprintf(out, "  %s -> %s  %s  %s%s%s\n", endpoint_text(a, v->from, v->from_name),
                    endpoint_text(a, v->to, v->to_name), port_text(a, v), v->verdict,
                    v->possible ? " (possible violation: the data is incomplete)" : "", state_text(a, v));
            if (v->waiver_expired)
                fprintf(out, "    waiver expired on %s\n", v->waiver_expired);
            if (v->n_pairs > 1 || (v->n_pairs == 1 && strcmp(v->pairs[0].from, v->from) != 0))
                for (uint32_t k = 0; k < v->n_pairs; k++)
                    fprintf(out, "    pair: %s -> %s  %s\n", endpoint_text(a, v->pairs[k].from, v->pairs[k].from_name),
                            endpoint_text(a, v->pairs[k].to, v->pairs[k].to_name), v->pairs[k].verdict);
            if (v->n_path) {
                fprintf(out, "    path:");
                for (uint32_t k = 0; k < v->n_path; k++)
                    fprintf(out, "%s %s %s", k ? " ->" : "", v->path[k].kind, v->path[k].id ? v->path[k].id : "");
                fprintf(out, "\n");
            }
            for (uint32_t k = 0; k < v->n_rules; k++)
                fprintf(out, "    allowed by: %s %s %s  %s\n", v->rules[k].component ? v->rules[k].component : "",
                        v->rules[k].direction ? v->rules[k].direction : "", v->rules[k].text ? v->rules[k].text : "",
                        sgr_origin_text(a, &v->rules[k].origin));
            for (uint32_t k = 0; k < v->n_blocks; k++)
                fprintf(out, "    blocked by: %s: %s  %s\n", v->blocks[k].component ? v->blocks[k].component : "",
                        v->blocks[k].reason ? v->blocks[k].reason : "", sgr_origin_text(a, &v->blocks[k].origin));
            for (uint32_t k = 0; k < v->n_missing; k++)
                fprintf(out, "    missing: %s\n", v->missing[k]);
        }
    }
    uint32_t fails = sgr_check_failures(r);
    fprintf(out, "\n%s: %u entries, %u failing; %u violations (%u failing, %u known in the baseline, %u waived)\n",
            fails ? "FAIL" : "PASS", p->n_entries, failing_entries, r->n, fails, known, waived);
}

/* ------------------------------------------------------------------ JSON */

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *origin_json(sgr_arena *a, json_t *o, const sgr_origin *or)
{
    json_object_set_new(o, "file", jstr(or->file));
    json_object_set_new(o, "line", json_integer(or->line));
    json_object_set_new(o, "json_path", jstr(or->path));
    json_object_set_new(o, "location", json_string(sgr_origin_text(a, or)));
    if (or->tf_address)
        json_object_set_new(o, "tf_address", json_string(or->tf_address));
    return o;
}

static json_t *violation_json(sgr_arena *a, const sgr_violation *v)
{
    json_t *o = json_object();
    const sgr_policy_entry *e = v->entry;
    json_object_set_new(o, "entry", json_string(e->name));
    json_object_set_new(o, "kind", json_string(sgr_policy_kind_name(e->kind)));
    json_object_set_new(o, "severity", json_string(e->severity));
    json_object_set_new(o, "level", json_string(sgr_level_name(e->level)));
    json_object_set_new(o, "from", json_string(v->from));
    json_object_set_new(o, "from_name", jstr(v->from_name));
    json_object_set_new(o, "to", json_string(v->to));
    json_object_set_new(o, "to_name", jstr(v->to_name));
    json_object_set_new(o, "protocol", json_string(v->protocol_name));
    json_object_set_new(o, "ports", json_string(v->ports));
    json_object_set_new(o, "verdict", json_string(v->verdict));
    json_object_set_new(o, "possible", json_boolean(v->possible));
    json_t *pairs = json_array();
    for (uint32_t k = 0; k < v->n_pairs; k++) {
        json_t *p = json_object();
        json_object_set_new(p, "from", json_string(v->pairs[k].from));
        json_object_set_new(p, "from_name", jstr(v->pairs[k].from_name));
        json_object_set_new(p, "to", json_string(v->pairs[k].to));
        json_object_set_new(p, "to_name", jstr(v->pairs[k].to_name));
        json_object_set_new(p, "verdict", json_string(v->pairs[k].verdict));
        json_array_append_new(pairs, p);
    }
    json_object_set_new(o, "pairs", pairs);
    json_t *path = json_array();
    for (uint32_t k = 0; k < v->n_path; k++) {
        json_t *h = json_object();
        json_object_set_new(h, "kind", jstr(v->path[k].kind));
        json_object_set_new(h, "id", jstr(v->path[k].id));
        if (v->path[k].detail)
            json_object_set_new(h, "detail", json_string(v->path[k].detail));
        json_array_append_new(path, h);
    }
    json_object_set_new(o, "path", path);
    json_t *rules = json_array();
    for (uint32_t k = 0; k < v->n_rules; k++) {
        json_t *ru = json_object();
        json_object_set_new(ru, "component", jstr(v->rules[k].component));
        json_object_set_new(ru, "direction", jstr(v->rules[k].direction));
        json_object_set_new(ru, "text", jstr(v->rules[k].text));
        json_array_append_new(rules, origin_json(a, ru, &v->rules[k].origin));
    }
    json_object_set_new(o, "allowed_by", rules);
    json_t *blocks = json_array();
    for (uint32_t k = 0; k < v->n_blocks; k++) {
        json_t *b = json_object();
        json_object_set_new(b, "component", jstr(v->blocks[k].component));
        json_object_set_new(b, "reason", jstr(v->blocks[k].reason));
        json_array_append_new(blocks, origin_json(a, b, &v->blocks[k].origin));
    }
    json_object_set_new(o, "blocked_by", blocks);
    json_t *missing = json_array();
    for (uint32_t k = 0; k < v->n_missing; k++)
        json_array_append_new(missing, json_string(v->missing[k]));
    json_object_set_new(o, "missing", missing);
    json_object_set_new(o, "location", json_string(v->loc_line ? sgr_arena_printf(a, "%s:%u", v->loc_file, v->loc_line)
                                                               : (v->loc_file ? v->loc_file : "")));
    json_object_set_new(o, "waived", json_boolean(v->waived));
    json_object_set_new(o, "waiver_reason", jstr(v->waiver_reason));
    if (v->waiver_expired)
        json_object_set_new(o, "waiver_expired", json_string(v->waiver_expired));
    json_object_set_new(o, "baseline", json_string(v->baseline == SGR_BASELINE_KNOWN ? "known" : "new"));
    json_object_set_new(o, "fails", json_boolean(sgr_violation_fails(v)));
    json_object_set_new(o, "fingerprint", json_string(v->fingerprint));
    return o;
}

void sgr_check_write_json(FILE *out, const sgr_check_result *r, sgr_arena *a)
{
    const sgr_policy *p = r->policy;
    json_t *root = json_object();
    uint32_t fails = sgr_check_failures(r), waived = 0, known = 0;
    for (uint32_t i = 0; i < r->n; i++) {
        waived += r->v[i].waived;
        known += !r->v[i].waived && r->v[i].baseline == SGR_BASELINE_KNOWN;
    }
    json_object_set_new(root, "policy", json_string(p->file));
    json_object_set_new(root, "result", json_string(fails ? "fail" : "pass"));
    json_object_set_new(root, "today", json_string(p->today));
    json_object_set_new(root, "allow_unknown", json_boolean(r->allow_unknown));
    json_object_set_new(root, "baseline", jstr(r->baseline_file));
    json_t *sum = json_object();
    json_object_set_new(sum, "entries", json_integer(p->n_entries));
    json_object_set_new(sum, "violations", json_integer(r->n));
    json_object_set_new(sum, "failing", json_integer(fails));
    json_object_set_new(sum, "known", json_integer(known));
    json_object_set_new(sum, "waived", json_integer(waived));
    json_object_set_new(root, "summary", sum);
    json_t *entries = json_array();
    for (uint32_t e = 0; e < p->n_entries; e++) {
        const sgr_policy_entry *en = &p->entries[e];
        uint32_t nv = 0, nf = 0, lo, hi;
        sgr_check_entry_span(r, e, &lo, &hi);
        for (uint32_t i = lo; i < hi; i++)
            if (r->v[i].entry == en) {
                nv++;
                nf += sgr_violation_fails(&r->v[i]);
            }
        json_t *o = json_object();
        json_object_set_new(o, "name", json_string(en->name));
        json_object_set_new(o, "kind", json_string(sgr_policy_kind_name(en->kind)));
        json_object_set_new(o, "from", json_string(en->from));
        json_object_set_new(o, "to", json_string(en->to));
        json_object_set_new(o, "ports", json_string(en->ports_text));
        json_object_set_new(o, "severity", json_string(en->severity));
        json_object_set_new(o, "status", json_string(nf ? "fail" : "pass"));
        json_object_set_new(o, "violations", json_integer(nv));
        json_object_set_new(o, "failing", json_integer(nf));
        json_array_append_new(entries, o);
    }
    json_object_set_new(root, "entries", entries);
    json_t *vs = json_array();
    for (uint32_t i = 0; i < r->n; i++)
        json_array_append_new(vs, violation_json(a, &r->v[i]));
    json_object_set_new(root, "violations", vs);
    json_dumpf(root, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(root);
}
