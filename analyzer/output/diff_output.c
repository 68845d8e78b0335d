/* Writers for `sgreach diff`: the text list of changes and the JSON
 * document (docs/ci.md), every string through sgr_json_text. */
#include "output/diff_output.h"

#include <jansson.h>
#include <string.h>

#include "output/report_escape.h"
#include "queries/check.h"

static const char *ep_text(sgr_arena *a, const char *id, const char *name)
{
    return (!name || strcmp(id, name) == 0) ? id : sgr_arena_printf(a, "%s (%s)", id, name);
}

static const char *ports_text(sgr_arena *a, const sgr_change *c)
{
    if (c->protocol < 0)
        return "all";
    if (strcmp(c->ports, "all") == 0)
        return c->protocol_name;
    return sgr_arena_printf(a, "%s:%s", c->protocol_name, c->ports);
}

void sgr_diff_write_text(FILE *out, const sgr_diff *d, sgr_arena *a)
{
    for (uint32_t i = 0; i < d->n; i++) {
        const sgr_change *c = &d->c[i];
        fprintf(out, "%s %s %s -> %s  %s%s\n", c->opened ? "+" : "-", c->opened ? "opened" : "closed",
                ep_text(a, c->from, c->from_name), ep_text(a, c->to, c->to_name), ports_text(a, c),
                c->possible ? (c->opened ? "  (possible: unknown in NEW)" : "  (was unknown in OLD)") : "");
        for (uint32_t k = 0; k < c->n_rules; k++)
            fprintf(out, "    allowed by: %s %s %s  %s\n", c->rules[k].component ? c->rules[k].component : "",
                    c->rules[k].direction ? c->rules[k].direction : "", c->rules[k].text ? c->rules[k].text : "",
                    sgr_origin_text(a, &c->rules[k].origin));
        for (uint32_t k = 0; k < c->n_blocks; k++)
            fprintf(out, "    blocked by: %s: %s  %s\n", c->blocks[k].component ? c->blocks[k].component : "",
                    c->blocks[k].reason ? c->blocks[k].reason : "", sgr_origin_text(a, &c->blocks[k].origin));
        if (c->note)
            fprintf(out, "    %s\n", c->note);
    }
    if (d->n == 0)
        fprintf(out, "no change: NEW opens and closes no path\n");
    else
        fprintf(out, "\n%u change%s: %u opened, %u closed\n", d->n, d->n == 1 ? "" : "s", d->n_opened, d->n_closed);
}

static json_t *origin_fields(sgr_arena *a, json_t *o, const sgr_origin *or)
{
    json_object_set_new(o, "file", sgr_json_text(or->file));
    json_object_set_new(o, "line", json_integer(or->line));
    json_object_set_new(o, "location", sgr_json_text(sgr_origin_text(a, or)));
    return o;
}

static json_t *change_json(sgr_arena *a, const sgr_change *c)
{
    json_t *o = json_object();
    json_object_set_new(o, "from", sgr_json_text(c->from));
    json_object_set_new(o, "from_name", sgr_json_text(c->from_name));
    json_object_set_new(o, "to", sgr_json_text(c->to));
    json_object_set_new(o, "to_name", sgr_json_text(c->to_name));
    json_object_set_new(o, "protocol", sgr_json_text(c->protocol_name));
    json_object_set_new(o, "ports", sgr_json_text(c->ports));
    json_object_set_new(o, "possible", json_boolean(c->possible));
    json_t *path = json_array();
    for (uint32_t k = 0; k < c->n_path; k++) {
        json_t *h = json_object();
        json_object_set_new(h, "kind", sgr_json_text(c->path[k].kind));
        json_object_set_new(h, "id", sgr_json_text(c->path[k].id));
        json_array_append_new(path, h);
    }
    json_object_set_new(o, "path", path);
    json_t *why = json_array();
    for (uint32_t k = 0; c->opened && k < c->n_rules; k++) {
        json_t *r = json_object();
        json_object_set_new(r, "component", sgr_json_text(c->rules[k].component));
        json_object_set_new(r, "direction", sgr_json_text(c->rules[k].direction));
        json_object_set_new(r, "text", sgr_json_text(c->rules[k].text));
        json_array_append_new(why, origin_fields(a, r, &c->rules[k].origin));
    }
    for (uint32_t k = 0; !c->opened && k < c->n_blocks; k++) {
        json_t *b = json_object();
        json_object_set_new(b, "component", sgr_json_text(c->blocks[k].component));
        json_object_set_new(b, "reason", sgr_json_text(c->blocks[k].reason));
        json_array_append_new(why, origin_fields(a, b, &c->blocks[k].origin));
    }
    json_object_set_new(o, c->opened ? "allowed_by" : "blocked_by", why);
    if (c->note)
        json_object_set_new(o, "note", sgr_json_text(c->note));
    return o;
}

static json_t *paths_json(const char *const *p, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, sgr_json_text(p[i]));
    return arr;
}

void sgr_diff_write_json(FILE *out, const sgr_diff *d, const char *const *old_paths, size_t n_old,
                         const char *const *new_paths, size_t n_new, sgr_arena *a)
{
    json_t *root = json_object();
    json_object_set_new(root, "old", paths_json(old_paths, n_old));
    json_object_set_new(root, "new", paths_json(new_paths, n_new));
    json_object_set_new(root, "changed", json_boolean(d->n > 0));
    json_object_set_new(root, "compared", sgr_json_text(d->incremental ? "affected pairs" : "all pairs"));
    json_t *sum = json_object();
    json_object_set_new(sum, "opened", json_integer(d->n_opened));
    json_object_set_new(sum, "closed", json_integer(d->n_closed));
    json_object_set_new(root, "summary", sum);
    json_t *opened = json_array(), *closed = json_array();
    for (uint32_t i = 0; i < d->n; i++)
        json_array_append_new(d->c[i].opened ? opened : closed, change_json(a, &d->c[i]));
    json_object_set_new(root, "opened", opened);
    json_object_set_new(root, "closed", closed);
    json_dumpf(root, out, JSON_INDENT(2));
    fputc('\n', out);
    json_decref(root);
}
