/* `sgreach graph`: the reachability graph of the estate (or of what --focus
 * reaches and is reached by) as DOT (default), Mermaid or SVG (docs/report.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/diag_print.h"
#include "cli/open.h"
#include "queries/report.h"
#include "output/report_svg.h"
#include "sgreach/exit.h"
#include "sgreach/query.h"
#include "sgreach/selector.h"
#include "sgreach/snapshot.h"

/* The endpoints a selector names; returns their count, or -1 after printing a usage error. */
static int64_t focus_endpoints(const char *text, const sgr_snapshot *snap, sgr_graph *g, sgr_arena *a,
                               const sgr_endpoint ***out)
{
    const char *err = NULL, *suggest = NULL;
    sgr_selector *sel = sgr_selector_parse(a, text, &err);
    if (!sel) {
        sgr_eprintf("sgreach: graph: --focus %s: %s", text, err ? err : "invalid selector");
        return -1;
    }
    sgr_selection s;
    memset(&s, 0, sizeof s);
    uint32_t n = sgr_selector_resolve(sel, snap, a, &s, &suggest);
    sgr_selector_free(sel);
    if (s.error) {
        sgr_eprintf("sgreach: graph: --focus %s: %s", text, s.error);
        return -1;
    }
    if (!n) {
        sgr_eprintf("sgreach: graph: --focus %s matches nothing%s%s", text, suggest ? "; " : "",
                suggest ? suggest : "");
        return -1;
    }
    uint32_t cap = 1 + s.n_cidrs + s.n_enis + s.n_tasks + s.n_lbs + s.n_dbs, k = 0;
    const sgr_endpoint **eps = SGR_NEW_N(a, const sgr_endpoint *, cap);
    if (s.internet && sgr_graph_internet(g))
        eps[k++] = sgr_graph_internet(g);
    for (uint32_t i = 0; i < s.n_enis; i++)
        if ((eps[k] = sgr_graph_endpoint_for(g, SGR_EP_ENI, s.enis[i])))
            k++;
    for (uint32_t i = 0; i < s.n_tasks; i++)
        if ((eps[k] = sgr_graph_endpoint_for(g, SGR_EP_TASK, s.tasks[i])))
            k++;
    for (uint32_t i = 0; i < s.n_lbs; i++)
        if ((eps[k] = sgr_graph_endpoint_for(g, SGR_EP_LB, s.lbs[i])))
            k++;
    for (uint32_t i = 0; i < s.n_dbs; i++)
        if ((eps[k] = sgr_graph_endpoint_for(g, SGR_EP_DB, s.dbs[i])))
            k++;
    *out = eps;
    return k;
}

int sgr_cmd_graph(const sgr_cli *cli, FILE *out)
{
    const char *fmt = sgr_cli_format(cli); /* checked against the command's formats (cli.c) */
    sgr_reach_env env;
    int rc = sgr_reach_env_open(cli, &env);
    if (rc)
        return rc;
    const sgr_endpoint **focus = NULL;
    int64_t n_focus = 0;
    if (cli->focus)
        n_focus = focus_endpoints(cli->focus, env.snap, env.g, env.a, &focus);
    if (n_focus < 0) {
        rc = SGR_EXIT_USAGE;
    } else {
        sgr_rep_graph rg;
        sgr_report_estate_graph(env.snap, env.g, env.a, focus, (uint32_t)n_focus, &rg);
        if (strcmp(fmt, "mermaid") == 0) {
            sgr_graph_mermaid(&rg, out);
        } else if (strcmp(fmt, "dot") == 0) {
            sgr_graph_dot(&rg, out);
        } else {
            char *dot = NULL;
            size_t len = 0;
            FILE *m = open_memstream(&dot, &len);
            if (!m)
                sgr_oom();
            sgr_graph_dot(&rg, m);
            fclose(m);
            const char *err = NULL;
            char *svg = sgr_svg_render(dot, len, 60000, &err);
            free(dot);
            if (svg) {
                fputs(svg, out);
                fputc('\n', out);
                free(svg);
            } else {
                sgr_eprintf("sgreach: graph: %s", err);
                rc = SGR_EXIT_INTERNAL;
            }
        }
    }
    sgr_reach_env_free(&env);
    return rc;
}
