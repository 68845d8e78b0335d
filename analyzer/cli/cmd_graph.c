/* `sgreach graph`: the reachability graph of the estate (or of what --focus
 * reaches and is reached by) as DOT (default), Mermaid or SVG (docs/report.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/diag_print.h"
#include "cli/open.h"
#include "queries/endpoint_key.h"
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
    /* An address outside the estate is no node of its graph: left out (the
     * graph would make an endpoint for it). */
    s.n_cidrs = 0;
    return sgr_policy_endpoints(g, &s, a, out);
}

/* The graph in the format asked for (checked against the command's formats,
 * cli.c); SVG through Graphviz. Returns the exit code. */
static int write_graph(const sgr_rep_graph *rg, const char *fmt, FILE *out)
{
    if (strcmp(fmt, "mermaid") == 0) {
        sgr_graph_mermaid(rg, out);
        return SGR_EXIT_YES;
    }
    if (strcmp(fmt, "dot") == 0) {
        sgr_graph_dot(rg, out);
        return SGR_EXIT_YES;
    }
    const char *err = NULL;
    char *svg = sgr_graph_svg(rg, SGR_DOT_TIMEOUT_MS, &err);
    if (!svg) {
        sgr_eprintf("sgreach: graph: %s", err);
        return SGR_EXIT_INTERNAL;
    }
    fputs(svg, out);
    fputc('\n', out);
    free(svg);
    return SGR_EXIT_YES;
}

int sgr_cmd_graph(const sgr_cli *cli, FILE *out)
{
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
        rc = write_graph(&rg, sgr_cli_format(cli), out);
    }
    sgr_reach_env_free(&env);
    return rc;
}
