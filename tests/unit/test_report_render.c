/* The report writers on a hand-built report full of hostile strings: every
 * language keeps them inert, JSON round-trips them exactly, Graphviz renders
 * the escaped DOT, and the output is byte-identical across runs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "queries/report.h"
#include "output/report_svg.h"

static const char EVIL[] = "<script>alert(\"x\")</script> ]]> --> `tick` |pipe| 'q' & \\N";

typedef struct fixture {
    sgr_arena *a;
    sgr_report r;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    fx->a = sgr_arena_new();
    sgr_report *r = &fx->r;
    sgr_arena *a = fx->a;
    r->title = "sgreach report";
    r->inputs = SGR_NEW_N(a, const char *, 1);
    r->inputs[0] = EVIL;
    r->n_inputs = 1;
    r->estate = SGR_NEW_N(a, sgr_rep_count, 2);
    r->estate[0] = (sgr_rep_count){"VPCs", 1};
    r->estate[1] = (sgr_rep_count){"services (awsvpc)", 1};
    r->n_estate = 2;
    r->exposure = SGR_NEW(a, sgr_rep_exposure);
    r->n_exposure = 1;
    sgr_rep_exposure *e = &r->exposure[0];
    e->target = EVIL;
    e->target_id = "eni-1";
    e->kind = "eni";
    e->service = EVIL;
    e->ports = "tcp:22";
    e->way_in = "public address";
    e->verdict = "reachable";
    e->rules = SGR_NEW(a, sgr_rep_rule);
    e->rules[0] = (sgr_rep_rule){"sg-1", EVIL, "dump.json", 12};
    e->n_rules = 1;
    r->blast = SGR_NEW(a, sgr_rep_blast);
    r->n_blast = 1;
    r->blast[0] = (sgr_rep_blast){.service = EVIL, .service_id = "arn:svc", .mode = "awsvpc", .n_tasks = 2};
    r->blast[0].reached = SGR_NEW(a, sgr_rep_reached);
    r->blast[0].reached[0] = (sgr_rep_reached){SGR_REP_DATABASE, EVIL, "eni-db", "eni", "tcp:5432", "reachable"};
    r->blast[0].n_reached = 1;
    r->findings.items = SGR_NEW(a, sgr_finding);
    r->findings.count = 1;
    sgr_finding *f = &r->findings.items[0];
    f->id = "open-admin-port:sg-1:ingress#0";
    f->check = "open-admin-port";
    f->severity = SGR_FSEV_HIGH;
    f->title = EVIL;
    f->resources = SGR_NEW(a, const char *);
    f->resources[0] = EVIL;
    f->n_resources = 1;
    f->rules = SGR_NEW(a, sgr_frule);
    f->rules[0] = (sgr_frule){.component = "sg-1", .text = EVIL, .origin = {.file = EVIL, .line = 3}};
    f->n_rules = 1;
    f->fix = "Close it.";
    r->graphs = SGR_NEW(a, sgr_rep_graph);
    r->n_graphs = 1;
    sgr_rep_graph *g = &r->graphs[0];
    g->vpc = "vpc-1";
    g->label = EVIL;
    g->nodes = SGR_NEW_N(a, sgr_rep_node, 3);
    g->nodes[0] = (sgr_rep_node){"n0", "Internet", NULL, SGR_NODE_INTERNET};
    g->nodes[1] = (sgr_rep_node){"n1", EVIL, EVIL, SGR_NODE_SERVICE};
    g->nodes[2] = (sgr_rep_node){"n2", "db", NULL, SGR_NODE_DB};
    g->n_nodes = 3;
    g->edges = SGR_NEW_N(a, sgr_rep_edge, 2);
    g->edges[0] = (sgr_rep_edge){0, 1, "tcp:22", SGR_REP_HOW_PUBLIC, false};
    g->edges[1] = (sgr_rep_edge){1, 2, EVIL, SGR_REP_HOW_GROUP, true};
    g->n_edges = 2;
    r->notes = SGR_NEW(a, const char *);
    r->notes[0] = EVIL;
    r->n_notes = 1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    sgr_arena_free(fx->a);
    free(fx);
    return 0;
}

typedef enum { W_MD, W_JSON, W_HTML, W_DOT, W_MERMAID } writer;

static char *render(const sgr_report *r, writer w, const char *const *svgs)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    switch (w) {
    case W_MD: assert_int_equal(sgr_report_md(r, f), 0); break;
    case W_JSON: assert_int_equal(sgr_report_json(r, f), 0); break;
    case W_HTML: assert_int_equal(sgr_report_html(r, svgs, "Graphviz `dot` was not found", f), 0); break;
    case W_DOT: sgr_graph_dot(&r->graphs[0], f); break;
    case W_MERMAID: sgr_graph_mermaid(&r->graphs[0], f); break;
    }
    fclose(f);
    return buf;
}

static void assert_absent(const char *hay, const char *needle)
{
    if (strstr(hay, needle)) {
        fprintf(stderr, "unexpected %s in:\n%s\n", needle, hay);
        fail();
    }
}

/* The HTML's one script is the report's own table script (allowed by its
 * CSP hash): no other "<script" may appear. */
static void assert_only_own_script(const char *html)
{
    const char *own = strstr(html, "<script>document.querySelectorAll('table.sortable')");
    assert_non_null(own);
    assert_null(strstr(own + 1, "<script"));
    const char *first = strstr(html, "<script");
    assert_ptr_equal(first, own);
}

static void html_escapes_everything(void **state)
{
    fixture *fx = *state;
    char *html = render(&fx->r, W_HTML, NULL);
    assert_only_own_script(html);
    assert_absent(html, "]]>");
    assert_absent(html, "-->");
    assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; ]]&gt; --&gt;"));
    assert_non_null(strstr(html, "Content-Security-Policy"));
    assert_non_null(strstr(html, "No picture: Graphviz `dot` was not found"));
    assert_absent(html, "http://");
    assert_absent(html, "https://");
    char *again = render(&fx->r, W_HTML, NULL);
    assert_string_equal(html, again);
    free(html);
    free(again);
}

static void markdown_and_mermaid_escape(void **state)
{
    fixture *fx = *state;
    char *md = render(&fx->r, W_MD, NULL);
    assert_absent(md, "<script");
    assert_absent(md, "|pipe|");
    assert_non_null(strstr(md, "```mermaid\nflowchart LR\n"));
    /* Exactly two fences (open, close): no label closes the diagram early. */
    int fences = 0;
    for (const char *p = md; (p = strstr(p, "```")); p += 3)
        fences++;
    assert_int_equal(fences, 2);
    char *mm = render(&fx->r, W_MERMAID, NULL);
    assert_absent(mm, "<script");
    assert_absent(mm, "`");
    /* Inside labels, no raw quote: every label is "…" with only #34; inside. */
    for (const char *line = mm; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) : strlen(line);
        size_t quotes = 0;
        for (size_t i = 0; i < n; i++)
            quotes += line[i] == '"';
        assert_true(quotes == 0 || quotes == 2);
        line += n + (nl ? 1 : 0);
    }
    assert_non_null(strstr(mm, "n1[[\"#60;script#62;"));
    assert_non_null(strstr(mm, "n1 -.->|\""));
    free(md);
    free(mm);
}

static void json_round_trips(void **state)
{
    fixture *fx = *state;
    char *js = render(&fx->r, W_JSON, NULL);
    json_error_t err;
    json_t *root = json_loads(js, 0, &err);
    assert_non_null(root);
    json_t *fnd = json_array_get(json_object_get(root, "findings"), 0);
    assert_string_equal(json_string_value(json_object_get(fnd, "title")), EVIL);
    json_t *rule = json_array_get(json_object_get(fnd, "rules"), 0);
    assert_int_equal(json_integer_value(json_object_get(rule, "line")), 3);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "findings_by_severity"), "high")), 1);
    json_decref(root);
    free(js);
}

static void dot_renders_inert_svg(void **state)
{
    fixture *fx = *state;
    char *dot = render(&fx->r, W_DOT, NULL);
    assert_absent(dot, "<script");
    const char *err = NULL;
    char *svg = sgr_svg_render(dot, strlen(dot), 20000, &err);
    if (!svg) {
        /* Graphviz is a declared dependency (scripts/setup-deps): its absence is a failure here. */
        fprintf(stderr, "svg: %s\n", err);
        fail();
    }
    assert_true(strncmp(svg, "<svg", 4) == 0);
    assert_absent(svg, "<script");
    assert_absent(svg, "<?xml");
    assert_absent(svg, "<!--");
    assert_non_null(strstr(svg, "&lt;script&gt;"));
    char *svg2 = sgr_svg_render(dot, strlen(dot), 20000, &err);
    assert_string_equal(svg, svg2);
    const char *svgs[1] = {svg};
    char *html = render(&fx->r, W_HTML, svgs);
    assert_non_null(strstr(html, "<svg"));
    assert_absent(html, "No picture");
    assert_only_own_script(html);
    free(html);
    free(svg);
    free(svg2);
    free(dot);
}

static void missing_dot_is_reported(void **state)
{
    (void)state;
    setenv("SGREACH_DOT", "/nonexistent/dot", 1);
    const char *err = NULL;
    char *svg = sgr_svg_render("digraph G {}", 12, 5000, &err);
    unsetenv("SGREACH_DOT");
    assert_null(svg);
    assert_non_null(strstr(err, "not found"));
    /* A program that is not dot and prints nothing: no SVG, no crash, no hang. */
    setenv("SGREACH_DOT", "/bin/true", 1);
    svg = sgr_svg_render("digraph G {}", 12, 5000, &err);
    unsetenv("SGREACH_DOT");
    assert_null(svg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(html_escapes_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(markdown_and_mermaid_escape, setup, teardown),
        cmocka_unit_test_setup_teardown(json_round_trips, setup, teardown),
        cmocka_unit_test_setup_teardown(dot_renders_inert_svg, setup, teardown),
        cmocka_unit_test(missing_dot_is_reported),
    };
    return cmocka_run_group_tests_name("report_render", tests, NULL, NULL);
}
