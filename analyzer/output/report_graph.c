/*
 * The reachability picture of one VPC as DOT (for Graphviz) and as Mermaid
 * (for Markdown). Node keys are generated ("n0", "n1", …); every label comes
 * from the input and goes through the language's escaper.
 */
#include "queries/report.h"

#include "output/report_escape.h"

/* Each way an edge is opened: its name, and its colour in the pictures and
 * the HTML legend. */
static const struct {
    const char *name;
    const char *color;
} HOW[] = {
    [SGR_REP_HOW_PUBLIC] = {"public address", "#c0392b"},
    [SGR_REP_HOW_ALB] = {"ALB", "#2471a3"},
    [SGR_REP_HOW_NLB] = {"NLB", "#7d3c98"},
    [SGR_REP_HOW_GROUP] = {"group reference", "#1e8449"},
    [SGR_REP_HOW_CIDR] = {"CIDR", "#b9770e"},
    [SGR_REP_HOW_BRIDGE] = {"docker bridge", "#7f8c8d"},
};

const char *sgr_rep_how_name(sgr_rep_how h)
{
    return (unsigned)h <= SGR_REP_HOW_BRIDGE ? HOW[h].name : "?";
}

const char *sgr_rep_how_color(sgr_rep_how h)
{
    return (unsigned)h <= SGR_REP_HOW_BRIDGE ? HOW[h].color : "#000000";
}

/* Each kind of node: its name in JSON, its DOT shape and fill, and the
 * brackets of its Mermaid shape (a stadium for the internet, a hexagon for
 * LBs, a subroutine for grouped tasks, a cylinder for databases, rectangles
 * otherwise). */
static const struct {
    const char *name, *dot_shape, *fill, *mermaid_open, *mermaid_close;
} NODE[] = {
    [SGR_NODE_INTERNET] = {"internet", "ellipse", "#fdecea", "([\"", "\"])"},
    [SGR_NODE_LB] = {"lb", "hexagon", "#eaf2fb", "{{\"", "\"}}"},
    [SGR_NODE_SERVICE] = {"service", "box3d", "#eafaf1", "[[\"", "\"]]"},
    [SGR_NODE_DB] = {"db", "cylinder", "#fef5e7", "[(\"", "\")]"},
    [SGR_NODE_INSTANCE] = {"instance", "box", "#f4f6f7", "[\"", "\"]"},
    [SGR_NODE_ENI] = {"eni", "note", "#ffffff", "[\"", "\"]"},
};

/* An unknown kind is drawn as an interface. */
static unsigned node_style(sgr_rep_node_kind k)
{
    return (unsigned)k <= SGR_NODE_ENI ? (unsigned)k : SGR_NODE_ENI;
}

const char *sgr_rep_node_kind_name(sgr_rep_node_kind k)
{
    return NODE[node_style(k)].name;
}

void sgr_graph_dot(const sgr_rep_graph *g, FILE *out)
{
    fputs("digraph G {\n", out);
    fputs("  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, labelloc=t, label=\"", out);
    sgr_esc_dot(out, g->label ? g->label : g->vpc);
    fputs("\"];\n", out);
    fputs("  node [fontname=\"Helvetica\", fontsize=10, style=filled, color=\"#555555\"];\n", out);
    fputs("  edge [fontname=\"Helvetica\", fontsize=9];\n", out);
    for (uint32_t i = 0; i < g->n_nodes; i++) {
        const sgr_rep_node *n = &g->nodes[i];
        unsigned k = node_style(n->kind);
        fprintf(out, "  %s [shape=%s, fillcolor=\"%s\", label=\"", n->key, NODE[k].dot_shape, NODE[k].fill);
        sgr_esc_dot(out, n->label);
        if (n->detail) {
            fputs("\\n", out);
            sgr_esc_dot(out, n->detail);
        }
        fputs("\"];\n", out);
    }
    for (uint32_t i = 0; i < g->n_edges; i++) {
        const sgr_rep_edge *e = &g->edges[i];
        const char *c = sgr_rep_how_color(e->how);
        fprintf(out, "  %s -> %s [color=\"%s\", fontcolor=\"%s\"%s, label=\"", g->nodes[e->from].key,
                g->nodes[e->to].key, c, c, e->unknown ? ", style=dashed" : "");
        sgr_esc_dot(out, e->ports);
        if (e->unknown)
            fputs(" (unknown)", out);
        fputs("\"];\n", out);
    }
    fputs("}\n", out);
}

char *sgr_graph_dot_string(const sgr_rep_graph *g, size_t *len)
{
    char *dot = NULL;
    FILE *m = open_memstream(&dot, len);
    if (!m)
        sgr_oom();
    sgr_graph_dot(g, m);
    if (fclose(m) != 0)
        sgr_oom();
    return dot;
}

static void mermaid_node(FILE *out, const sgr_rep_node *n)
{
    unsigned k = node_style(n->kind);
    fprintf(out, "  %s%s", n->key, NODE[k].mermaid_open);
    sgr_esc_mermaid(out, n->label);
    if (n->detail) {
        fputs("<br/>", out);
        sgr_esc_mermaid(out, n->detail);
    }
    fprintf(out, "%s\n", NODE[k].mermaid_close);
}

void sgr_graph_mermaid(const sgr_rep_graph *g, FILE *out)
{
    fputs("flowchart LR\n", out);
    for (uint32_t i = 0; i < g->n_nodes; i++)
        mermaid_node(out, &g->nodes[i]);
    for (uint32_t i = 0; i < g->n_edges; i++) {
        const sgr_rep_edge *e = &g->edges[i];
        fprintf(out, "  %s %s|\"", g->nodes[e->from].key, e->unknown ? "-.->" : "-->");
        sgr_esc_mermaid(out, e->ports);
        if (e->unknown)
            fputs(" #40;unknown#41;", out);
        fprintf(out, "\"| %s\n", g->nodes[e->to].key);
    }
    for (uint32_t i = 0; i < g->n_edges; i++)
        fprintf(out, "  linkStyle %u stroke:%s,color:%s\n", (unsigned)i, sgr_rep_how_color(g->edges[i].how),
                sgr_rep_how_color(g->edges[i].how));
}
