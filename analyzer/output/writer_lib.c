/* writer_lib.h: what several writers print the same way. */
#include "output/writer_lib.h"

#include <stdlib.h>
#include <string.h>

#include "output/report_escape.h"

/* ------------------------------------------------------------------ text */

const char *sgr_origin_text(sgr_arena *a, const sgr_origin *o)
{
    if (!o->file)
        return "";
    if (!o->line)
        return o->file;
    return sgr_arena_printf(a, "%s:%u", o->file, o->line);
}

const char *sgr_name_label(sgr_arena *a, const char *id, const char *name)
{
    return (!name || strcmp(id, name) == 0) ? id : sgr_arena_printf(a, "%s (%s)", id, name);
}

const char *sgr_ports_label(sgr_arena *a, int32_t protocol, const char *protocol_name, const char *ports,
                            const char *every)
{
    if (protocol < 0)
        return every;
    if (strcmp(ports, "all") == 0)
        return protocol_name;
    return sgr_arena_printf(a, "%s:%s", protocol_name, ports);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

void sgr_write_rule_lines(FILE *out, sgr_arena *a, const sgr_rule_ref *rules, uint32_t n_rules,
                          const sgr_block *blocks, uint32_t n_blocks)
{
    for (uint32_t k = 0; k < n_rules; k++)
        fprintf(out, "    allowed by: %s %s %s  %s\n", or_empty(rules[k].component), or_empty(rules[k].direction),
                or_empty(rules[k].text), sgr_origin_text(a, &rules[k].origin));
    for (uint32_t k = 0; k < n_blocks; k++)
        fprintf(out, "    blocked by: %s: %s  %s\n", or_empty(blocks[k].component), or_empty(blocks[k].reason),
                sgr_origin_text(a, &blocks[k].origin));
}

/* ------------------------------------------------------------------ JSON */

void sgr_json_print(FILE *out, json_t *v)
{
    json_dumpf(v, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(v);
}

json_t *sgr_json_texts(const char *const *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, sgr_json_text(v[i]));
    return arr;
}

void sgr_json_ends(json_t *o, const char *from, const char *from_name, const char *to, const char *to_name)
{
    json_object_set_new(o, "from", sgr_json_text(from));
    json_object_set_new(o, "from_name", sgr_json_text(from_name));
    json_object_set_new(o, "to", sgr_json_text(to));
    json_object_set_new(o, "to_name", sgr_json_text(to_name));
}

json_t *sgr_json_hops(const sgr_hop *path, uint32_t n, bool with_detail)
{
    json_t *arr = json_array();
    for (uint32_t k = 0; k < n; k++) {
        json_t *h = json_object();
        json_object_set_new(h, "kind", sgr_json_text(path[k].kind));
        json_object_set_new(h, "id", sgr_json_text(path[k].id));
        if (with_detail && path[k].detail)
            json_object_set_new(h, "detail", sgr_json_text(path[k].detail));
        json_array_append_new(arr, h);
    }
    return arr;
}

/* "file:line", "file", or (no file) "" or null. Writers without an arena
 * call this too, so the text is built in a buffer of its own. */
static json_t *location_json(const sgr_origin *o, bool null_when_unknown)
{
    if (!o->file)
        return null_when_unknown ? json_null() : sgr_json_text("");
    if (!o->line)
        return sgr_json_text(o->file);
    size_t n = strlen(o->file);
    char *loc = sgr_xmalloc(n + 16);
    snprintf(loc, n + 16, "%s:%u", o->file, o->line);
    json_t *j = sgr_json_text(loc);
    free(loc);
    return j;
}

static json_t *with_origin(json_t *o, const sgr_origin *or, unsigned origin)
{
    json_object_set_new(o, "file", sgr_json_text(or->file));
    json_object_set_new(o, "line", json_integer(or->line));
    if (origin & SGR_ORIGIN_WITH_PATH)
        json_object_set_new(o, "json_path", sgr_json_text(or->path));
    json_object_set_new(o, "location", location_json(or, origin & SGR_ORIGIN_NULL_LOCATION));
    if ((origin & SGR_ORIGIN_WITH_TF) && or->tf_address)
        json_object_set_new(o, "tf_address", sgr_json_text(or->tf_address));
    return o;
}

json_t *sgr_json_rule_refs(const sgr_rule_ref *rules, uint32_t n, const char *text_key, unsigned origin)
{
    json_t *arr = json_array();
    for (uint32_t k = 0; k < n; k++) {
        json_t *o = json_object();
        json_object_set_new(o, "component", sgr_json_text(rules[k].component));
        json_object_set_new(o, "direction", sgr_json_text(rules[k].direction));
        json_object_set_new(o, text_key, sgr_json_text(rules[k].text));
        json_array_append_new(arr, with_origin(o, &rules[k].origin, origin));
    }
    return arr;
}

json_t *sgr_json_blocks(const sgr_block *blocks, uint32_t n, bool with_direction, unsigned origin)
{
    json_t *arr = json_array();
    for (uint32_t k = 0; k < n; k++) {
        json_t *o = json_object();
        json_object_set_new(o, "component", sgr_json_text(blocks[k].component));
        if (with_direction)
            json_object_set_new(o, "direction", sgr_json_text(blocks[k].direction));
        json_object_set_new(o, "reason", sgr_json_text(blocks[k].reason));
        json_array_append_new(arr, with_origin(o, &blocks[k].origin, origin));
    }
    return arr;
}

json_t *sgr_json_finding(const sgr_finding *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", sgr_json_text(f->id));
    json_object_set_new(o, "check", sgr_json_text(f->check));
    json_object_set_new(o, "severity", sgr_json_text(sgr_fsev_name(f->severity)));
    json_object_set_new(o, "title", sgr_json_text(f->title));
    json_object_set_new(o, "resources", sgr_json_texts(f->resources, f->n_resources));
    return o;
}

/* ------------------------------------------------------------------ check */

void sgr_check_entry_tally(const sgr_check_result *r, uint32_t e, uint32_t *lo, uint32_t *hi, uint32_t *nv,
                           uint32_t *nf)
{
    const sgr_policy_entry *en = &r->policy->entries[e];
    sgr_check_entry_span(r, e, lo, hi);
    *nv = *nf = 0;
    for (uint32_t i = *lo; i < *hi; i++)
        if (r->v[i].entry == en) {
            ++*nv;
            *nf += sgr_violation_fails(&r->v[i]);
        }
}
