/*
 * What `check` does with its violations once the policy is evaluated: their
 * order and fingerprints, and the baseline and waivers that accept some of
 * them. The writers (output/check_output.c, output/check_sarif.c) only print
 * what this decided.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "queries/check.h"

#include "load/json_printable.h"

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
    for (uint32_t i = 0; i < r->n_findings; i++)
        n += sgr_check_finding_fails(r, &r->findings[i]);
    return n;
}

/* The fingerprints of a baseline's violations, or (findings) of its findings,
 * from the string members that make them; NULL with *err when an entry
 * lacks one. */
static const char **fingerprints(sgr_arena *a, const char *file, json_t *arr, bool findings, size_t *n,
                                 const char **err)
{
    static const struct {
        const char *name, *fields[4];
        int n_fields;
    } KIND[2] = {{"violations", {"entry", "from", "to", "protocol"}, 4}, {"findings", {"check", "id"}, 2}};
    const char *name = KIND[findings].name, *const *fields = KIND[findings].fields;
    *n = json_array_size(arr);
    const char **keys = SGR_NEW_N(a, const char *, *n + 1);
    for (size_t i = 0; i < *n; i++) {
        const char *s[4] = {0};
        for (int k = 0; k < KIND[findings].n_fields; k++) {
            s[k] = json_string_value(json_object_get(json_array_get(arr, i), fields[k]));
            if (!s[k]) {
                *err = sgr_arena_printf(a, "%s: $.%s[%zu].%s: missing, or not a string", file, name, i, fields[k]);
                return NULL;
            }
        }
        keys[i] = findings ? sgr_violation_key(a, sgr_check_finding_rule(a, s[0]), s[1], "", "")
                           : sgr_violation_key(a, s[0], s[1], s[2], s[3]);
    }
    return keys;
}

/* The fingerprints of a baseline (`check --format json` output): of its
 * violations, and of its findings (optional: a baseline written without
 * --findings has none). False with *err when it is not such output. */
static bool baseline_keys(sgr_arena *a, const char *file, json_t *root, const char ***keys, size_t *n,
                          const char ***fkeys, size_t *nf, const char **err)
{
    json_t *arr = json_object_get(root, "violations");
    if (!json_is_array(arr)) {
        *err = sgr_arena_printf(a, "%s: $.violations: missing, or not an array (is it `check --format json` output?)", file);
        return false;
    }
    if (!(*keys = fingerprints(a, file, arr, false, n, err)))
        return false;
    json_t *farr = json_object_get(root, "findings");
    if (farr && !json_is_array(farr)) {
        *err = sgr_arena_printf(a, "%s: $.findings: not an array", file);
        return false;
    }
    return (*fkeys = fingerprints(a, file, farr, true, nf, err)) != NULL;
}

bool sgr_check_apply_baseline(sgr_arena *a, sgr_check_result *r, const char *file, const char **err)
{
    json_error_t je;
    json_t *root = json_load_file(file, 0, &je);
    sgr_json_make_printable(root, NULL, 0);
    if (!root) {
        if (je.line <= 0)
            *err = sgr_arena_printf(a, "%s: %s", file, je.text);
        else
            *err = sgr_arena_printf(a, "%s:%d:%d: %s", file, je.line, je.column, je.text);
        return false;
    }
    const char **keys, **fkeys;
    size_t n, nf;
    bool ok = baseline_keys(a, file, root, &keys, &n, &fkeys, &nf, err);
    json_decref(root);
    if (!ok)
        return false;
    r->baseline_file = sgr_arena_strdup(a, file);
    for (uint32_t i = 0; i < r->n; i++) {
        r->v[i].baseline = SGR_BASELINE_NEW;
        for (size_t k = 0; k < n; k++)
            if (strcmp(keys[k], r->v[i].fingerprint) == 0)
                r->v[i].baseline = SGR_BASELINE_KNOWN;
    }
    for (uint32_t i = 0; i < r->n_findings; i++) {
        sgr_check_finding *cf = &r->findings[i];
        cf->baseline = SGR_BASELINE_NEW;
        for (size_t k = 0; k < nf; k++)
            if (strcmp(fkeys[k], cf->fingerprint) == 0)
                cf->baseline = SGR_BASELINE_KNOWN;
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

/* ---------------------------------------------------------------- check --findings:
 * the built-in findings taken into the gate, with the policy's waivers applied
 * (a waiver names a finding's check or its id) */

const char *sgr_check_finding_rule(sgr_arena *a, const char *check)
{
    return sgr_arena_printf(a, "finding/%s", check);
}

const sgr_origin *sgr_check_finding_origin(const sgr_finding *f)
{
    for (uint32_t k = 0; k < f->n_rules; k++)
        if (f->rules[k].origin.file)
            return &f->rules[k].origin;
    return NULL;
}

bool sgr_check_finding_fails(const sgr_check_result *r, const sgr_check_finding *cf)
{
    return !cf->waived && cf->baseline != SGR_BASELINE_KNOWN && r->fail_on != SGR_FAIL_ON_NONE &&
           (int)cf->f->severity <= r->fail_on;
}

static bool waiver_names(const sgr_waiver *w, const sgr_finding *f)
{
    return w->finding && (strcmp(w->name, f->check) == 0 || strcmp(w->name, f->id) == 0);
}

void sgr_check_add_findings(sgr_check_result *r, const sgr_findings *fs, sgr_arena *a)
{
    const sgr_policy *p = r->policy;
    r->with_findings = true;
    r->n_findings = fs->count;
    r->findings = SGR_NEW_N(a, sgr_check_finding, fs->count ? fs->count : 1);
    for (uint32_t i = 0; i < fs->count; i++) {
        sgr_check_finding *cf = &r->findings[i];
        cf->f = &fs->items[i];
        /* the id is already stable ("check:resource:rule"); the hash keeps
         * the fingerprint the same shape as a violation's */
        cf->fingerprint = sgr_violation_key(a, sgr_check_finding_rule(a, cf->f->check), cf->f->id, "", "");
        for (uint32_t k = 0; k < p->n_waivers && !cf->waived; k++) {
            const sgr_waiver *w = &p->waivers[k];
            if (!waiver_names(w, cf->f))
                continue;
            if (w->expired) {
                if (!cf->waiver_expired || strcmp(w->expires, cf->waiver_expired) > 0)
                    cf->waiver_expired = w->expires;
            } else {
                cf->waived = true;
                cf->waiver_reason = w->reason;
                cf->waiver_expired = NULL;
            }
        }
    }
}
