/*
 * The report as JSON (stable; documented in docs/report.md). Keys keep the
 * order they are added in; jansson escapes the strings.
 */
#include "queries/report.h"
#include "output/report_escape.h"
#include "output/writer_lib.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *jrule(const sgr_report *r, const char *component, const char *text, const char *file, uint32_t line)
{
    json_t *o = json_object();
    json_object_set_new(o, "component", sgr_json_text(component));
    char buf[512];
    const char *names = sgr_rep_group_names(r, component, buf, sizeof buf);
    if (names)
        json_object_set_new(o, "component_name", sgr_json_text(names));
    json_object_set_new(o, "text", sgr_json_text(text));
    json_object_set_new(o, "file", sgr_json_text(file));
    json_object_set_new(o, "line", line ? json_integer(line) : json_null());
    return o;
}

static json_t *j_estate(const sgr_report *r)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < r->n_estate; i++) {
        json_t *o = json_object();
        json_object_set_new(o, "resource", sgr_json_text(r->estate[i].label));
        json_object_set_new(o, "count", json_integer(r->estate[i].n));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *j_exposure(const sgr_report *r)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < r->n_exposure; i++) {
        const sgr_rep_exposure *e = &r->exposure[i];
        json_t *o = json_object();
        json_object_set_new(o, "target", sgr_json_text(e->target));
        json_object_set_new(o, "id", sgr_json_text(e->target_id));
        json_object_set_new(o, "kind", sgr_json_text(e->kind));
        json_object_set_new(o, "service", sgr_json_text(e->service));
        json_object_set_new(o, "vpc", sgr_json_text(e->vpc));
        json_object_set_new(o, "ports", sgr_json_text(e->ports));
        if (e->host_ports)
            json_object_set_new(o, "host_ports", sgr_json_text(e->host_ports));
        json_object_set_new(o, "way_in", sgr_json_text(e->way_in));
        json_object_set_new(o, "verdict", sgr_json_text(e->verdict));
        json_t *rules = json_array();
        for (uint32_t k = 0; k < e->n_rules; k++)
            json_array_append_new(rules, jrule(r, e->rules[k].component, e->rules[k].text, e->rules[k].file,
                                               e->rules[k].line));
        json_object_set_new(o, "rules", rules);
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *j_blast(const sgr_report *r)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < r->n_blast; i++) {
        const sgr_rep_blast *b = &r->blast[i];
        json_t *o = json_object();
        json_object_set_new(o, "service", sgr_json_text(b->service));
        json_object_set_new(o, "id", sgr_json_text(b->service_id));
        json_object_set_new(o, "mode", sgr_json_text(b->mode));
        json_object_set_new(o, "tasks", json_integer(b->n_tasks));
        json_object_set_new(o, "targets", json_integer(b->n_targets));
        json_t *by_class = json_object();
        for (int k = 0; k < SGR_REP_N_CLASSES; k++)
            json_object_set_new(by_class, sgr_rep_class_name((sgr_rep_class)k), json_integer(b->by_class[k]));
        json_object_set_new(o, "targets_by_class", by_class);
        json_t *reached = json_array();
        for (uint32_t k = 0; k < b->n_reached; k++) {
            const sgr_rep_reached *t = &b->reached[k];
            json_t *x = json_object();
            json_object_set_new(x, "class", sgr_json_text(sgr_rep_class_name(t->cls)));
            json_object_set_new(x, "target", sgr_json_text(t->target));
            json_object_set_new(x, "id", sgr_json_text(t->target_id));
            json_object_set_new(x, "kind", sgr_json_text(t->kind));
            json_object_set_new(x, "ports", sgr_json_text(t->ports));
            json_object_set_new(x, "verdict", sgr_json_text(t->verdict));
            json_array_append_new(reached, x);
        }
        json_object_set_new(o, "reached", reached);
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *j_findings(const sgr_report *r)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < r->findings.count; i++) {
        const sgr_finding *f = &r->findings.items[i];
        json_t *o = sgr_json_finding(f);
        json_t *rules = json_array();
        for (uint32_t k = 0; k < f->n_rules; k++)
            json_array_append_new(rules, jrule(r, f->rules[k].component, f->rules[k].text, f->rules[k].origin.file,
                                               f->rules[k].origin.line));
        json_object_set_new(o, "rules", rules);
        json_object_set_new(o, "fix", sgr_json_text(f->fix));
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *j_graphs(const sgr_report *r)
{
    json_t *a = json_array();
    for (uint32_t i = 0; i < r->n_graphs; i++) {
        const sgr_rep_graph *g = &r->graphs[i];
        json_t *o = json_object();
        json_object_set_new(o, "vpc", sgr_json_text(g->vpc));
        json_t *nodes = json_array();
        for (uint32_t k = 0; k < g->n_nodes; k++) {
            json_t *n = json_object();
            json_object_set_new(n, "key", sgr_json_text(g->nodes[k].key));
            json_object_set_new(n, "kind", sgr_json_text(sgr_rep_node_kind_name(g->nodes[k].kind)));
            json_object_set_new(n, "label", sgr_json_text(g->nodes[k].label));
            json_object_set_new(n, "detail", sgr_json_text(g->nodes[k].detail));
            json_array_append_new(nodes, n);
        }
        json_object_set_new(o, "nodes", nodes);
        json_t *edges = json_array();
        for (uint32_t k = 0; k < g->n_edges; k++) {
            const sgr_rep_edge *e = &g->edges[k];
            json_t *x = json_object();
            json_object_set_new(x, "from", sgr_json_text(g->nodes[e->from].key));
            json_object_set_new(x, "to", sgr_json_text(g->nodes[e->to].key));
            json_object_set_new(x, "ports", sgr_json_text(e->ports));
            json_object_set_new(x, "how", sgr_json_text(sgr_rep_how_name(e->how)));
            json_object_set_new(x, "verdict", sgr_json_text(e->unknown ? "unknown" : "reachable"));
            json_array_append_new(edges, x);
        }
        json_object_set_new(o, "edges", edges);
        json_array_append_new(a, o);
    }
    return a;
}

int sgr_report_json(const sgr_report *r, FILE *out)
{
    json_t *root = json_object();
    json_object_set_new(root, "report", sgr_json_text(r->title ? r->title : "sgreach report"));
    json_object_set_new(root, "generated", sgr_json_text(r->generated));
    json_object_set_new(root, "inputs", sgr_json_texts(r->inputs, r->n_inputs));
    json_object_set_new(root, "estate", j_estate(r));
    json_object_set_new(root, "exposure", j_exposure(r));
    json_object_set_new(root, "blast", j_blast(r));
    uint32_t counts[5];
    sgr_findings_count(&r->findings, counts);
    json_t *sum = json_object();
    for (int s = 0; s < 5; s++)
        json_object_set_new(sum, sgr_fsev_name((sgr_fsev)s), json_integer(counts[s]));
    json_object_set_new(root, "findings_by_severity", sum);
    json_object_set_new(root, "findings", j_findings(r));
    json_object_set_new(root, "graphs", j_graphs(r));
    json_object_set_new(root, "notes", sgr_json_texts(r->notes, r->n_notes));
    int rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(root);
    fputc('\n', out);
    return rc != 0 || ferror(out) ? -1 : 0;
}
