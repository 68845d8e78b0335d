/* Writers for `sgreach diff`: the text list of changes and the JSON
 * document (docs/ci.md), every string through sgr_json_text. */
#include "output/diff_output.h"

#include <jansson.h>
#include <string.h>

#include "output/report_escape.h"
#include "output/writer_lib.h"

void sgr_diff_write_text(FILE *out, const sgr_diff *d, sgr_arena *a)
{
    for (uint32_t i = 0; i < d->n; i++) {
        const sgr_change *c = &d->c[i];
        fprintf(out, "%s %s %s -> %s  %s%s\n", c->opened ? "+" : "-", c->opened ? "opened" : "closed",
                sgr_name_label(a, c->from, c->from_name), sgr_name_label(a, c->to, c->to_name),
                sgr_ports_label(a, c->protocol, c->protocol_name, c->ports, "all"),
                c->possible ? (c->opened ? "  (possible: unknown in NEW)" : "  (was unknown in OLD)") : "");
        sgr_write_rule_lines(out, a, c->rules, c->n_rules, c->blocks, c->n_blocks);
        if (c->note)
            fprintf(out, "    %s\n", c->note);
    }
    if (d->n == 0)
        fprintf(out, "no change: NEW opens and closes no path\n");
    else
        fprintf(out, "\n%u change%s: %u opened, %u closed\n", d->n, d->n == 1 ? "" : "s", d->n_opened, d->n_closed);
}

static json_t *change_json(const sgr_change *c)
{
    json_t *o = json_object();
    sgr_json_ends(o, c->from, c->from_name, c->to, c->to_name);
    json_object_set_new(o, "protocol", sgr_json_text(c->protocol_name));
    json_object_set_new(o, "ports", sgr_json_text(c->ports));
    json_object_set_new(o, "possible", json_boolean(c->possible));
    json_object_set_new(o, "path", sgr_json_hops(c->path, c->n_path, false));
    /* an opened path with the rules that open it in NEW, a closed one with what blocks it there */
    if (c->opened)
        json_object_set_new(o, "allowed_by", sgr_json_rule_refs(c->rules, c->n_rules, "text", 0));
    else
        json_object_set_new(o, "blocked_by", sgr_json_blocks(c->blocks, c->n_blocks, false, 0));
    if (c->note)
        json_object_set_new(o, "note", sgr_json_text(c->note));
    return o;
}

void sgr_diff_write_json(FILE *out, const sgr_diff *d, const char *const *old_paths, size_t n_old,
                         const char *const *new_paths, size_t n_new)
{
    json_t *root = json_object();
    json_object_set_new(root, "old", sgr_json_texts(old_paths, n_old));
    json_object_set_new(root, "new", sgr_json_texts(new_paths, n_new));
    json_object_set_new(root, "changed", json_boolean(d->n > 0));
    json_object_set_new(root, "compared", sgr_json_text(d->incremental ? "affected pairs" : "all pairs"));
    json_t *sum = json_object();
    json_object_set_new(sum, "opened", json_integer(d->n_opened));
    json_object_set_new(sum, "closed", json_integer(d->n_closed));
    json_object_set_new(root, "summary", sum);
    json_t *opened = json_array(), *closed = json_array();
    for (uint32_t i = 0; i < d->n; i++)
        json_array_append_new(d->c[i].opened ? opened : closed, change_json(&d->c[i]));
    json_object_set_new(root, "opened", opened);
    json_object_set_new(root, "closed", closed);
    sgr_json_print(out, root);
}
