/* `sgreach report`: the auditor's report as Markdown (default), JSON or HTML (docs/report.md). */
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
#include "sgreach/snapshot.h"

/* Renders every graph to SVG; *err says why a picture is missing. svgs[i] may be NULL. */
static char **render_svgs(const sgr_report *r, const char **err)
{
    char **svgs = sgr_xcalloc(r->n_graphs ? r->n_graphs : 1, sizeof *svgs);
    *err = NULL;
    for (uint32_t i = 0; i < r->n_graphs; i++) {
        const char *e = NULL;
        svgs[i] = sgr_graph_svg(&r->graphs[i], SGR_DOT_TIMEOUT_MS, &e);
        if (!svgs[i] && !*err)
            *err = e;
        if (!svgs[i] && e && strstr(e, "not found"))
            break; /* no dot at all: do not try the others */
    }
    return svgs;
}

int sgr_cmd_report(const sgr_cli *cli, FILE *out)
{
    const char *fmt = sgr_cli_format(cli); /* checked against the command's formats (cli.c) */
    sgr_reach_env env;
    int rc = sgr_reach_env_open(cli, &env);
    if (rc)
        return rc;
    sgr_report_options opts = {.title = cli->title, .progress = sgr_progress_step, .progress_ctx = &env.progress};
    sgr_report r;
    sgr_report_build(env.snap, env.g, env.a, (const char *const *)cli->paths, (uint32_t)cli->n_paths, &opts, &r);
    if (strcmp(fmt, "html") == 0 && r.n_graphs)
        sgr_progress_step(&env.progress, "drawing the graphs", 0, 0);
    sgr_progress_done(&env.progress);
    int wr;
    if (strcmp(fmt, "md") == 0) {
        wr = sgr_report_md(&r, out);
    } else if (strcmp(fmt, "json") == 0) {
        wr = sgr_report_json(&r, out);
    } else {
        const char *err;
        char **svgs = render_svgs(&r, &err);
        if (err && !cli->quiet)
            sgr_eprintf("sgreach: report: warning: %s; the HTML report shows the DOT source instead", err);
        wr = sgr_report_html(&r, (const char *const *)svgs, err, out);
        for (uint32_t i = 0; i < r.n_graphs; i++)
            free(svgs[i]);
        free(svgs);
    }
    sgr_reach_env_free(&env);
    return wr ? SGR_EXIT_INTERNAL : SGR_EXIT_YES;
}
