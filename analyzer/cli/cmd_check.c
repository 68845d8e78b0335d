/* `sgreach check --policy FILE [--baseline FILE] [--allow-unknown] SNAPSHOT...`: the CI gate. */
#include <stdio.h>
#include <string.h>

#include "queries/check.h"
#include "cli/commands.h"
#include "cli/open.h"
#include "sgreach/exit.h"
#include "sgreach/selector.h"

/* Policy validation checks selector syntax with the real parser. */
static bool selector_ok(sgr_arena *a, const char *text, const char **err)
{
    sgr_selector *s = sgr_selector_parse(a, text, err);
    if (!s)
        return false;
    sgr_selector_free(s);
    return true;
}

static int run(const sgr_cli *cli, FILE *out, sgr_arena *a, sgr_snapshot **snap, sgr_graph **g)
{
    const char *err = NULL;
    sgr_policy_options po = {.check_selector = selector_ok};
    sgr_policy *p = sgr_policy_load(a, cli->policy, &po, &err);
    if (!p) {
        fprintf(stderr, "sgreach: %s\n", err);
        return SGR_EXIT_USAGE;
    }
    int rc = sgr_cli_load_paths(cli, cli->paths, cli->n_paths, true, snap);
    if (rc)
        return rc;
    sgr_graph_options go;
    sgr_cli_graph_options(cli, &go);
    *g = sgr_graph_build(*snap, &go);
    sgr_check_options co = {.allow_unknown = cli->allow_unknown, .quiet = cli->quiet};
    sgr_check_result r;
    rc = sgr_check_evaluate(*g, *snap, p, &co, a, &r, &err);
    if (rc) {
        fprintf(stderr, "sgreach: %s\n", err);
        return rc;
    }
    if (cli->baseline && !sgr_check_apply_baseline(a, &r, cli->baseline, &err)) {
        fprintf(stderr, "sgreach: %s\n", err);
        return SGR_EXIT_USAGE;
    }
    if (!cli->quiet)
        for (uint32_t i = 0; i < r.n; i++)
            if (r.v[i].waiver_expired)
                fprintf(stderr, "sgreach: warning: %s: a waiver of \"%s\" expired on %s (%s -> %s)\n", p->file,
                        r.v[i].entry->name, r.v[i].waiver_expired, r.v[i].from, r.v[i].to);
    const char *fmt = sgr_cli_format(cli);
    if (strcmp(fmt, "json") == 0)
        sgr_check_write_json(out, &r, a);
    else if (strcmp(fmt, "sarif") == 0)
        sgr_check_write_sarif(out, &r, a);
    else if (strcmp(fmt, "junit") == 0)
        sgr_check_write_junit(out, &r, a);
    else
        sgr_check_write_text(out, &r, a);
    return sgr_check_failures(&r) ? SGR_EXIT_NO : SGR_EXIT_YES;
}

int sgr_cmd_check(const sgr_cli *cli, FILE *out)
{
    if (!sgr_cli_format_ok(cli, "text|json|sarif|junit"))
        return SGR_EXIT_USAGE;
    if (!cli->policy) {
        fprintf(stderr, "sgreach: check: --policy FILE is required\n");
        return SGR_EXIT_USAGE;
    }
    if (cli->n_paths == 0) {
        fprintf(stderr, "sgreach: check: no SNAPSHOT given (files or directories of describe-* output)\n");
        return SGR_EXIT_USAGE;
    }
    sgr_arena *a = sgr_arena_new();
    sgr_snapshot *snap = NULL;
    sgr_graph *g = NULL;
    int rc = run(cli, out, a, &snap, &g);
    if (g)
        sgr_graph_free(g);
    if (snap)
        sgr_snapshot_free(snap);
    sgr_arena_free(a);
    return rc;
}
