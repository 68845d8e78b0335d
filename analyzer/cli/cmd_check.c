/* `sgreach check --policy FILE | --findings [--fail-on SEV] [--baseline FILE] [--allow-unknown] SNAPSHOT...`: the CI gate. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "queries/check.h"
#include "cli/diag_print.h"
#include "queries/findings.h"
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

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Where SARIF and Code Quality paths are relative to: --source-root, else
 * the enclosing git work tree (the directory holding .git, as code scanning
 * and GitLab resolve paths from the repository root whatever directory the
 * job ran in), else the working directory. */
static const char *source_root(const sgr_cli *cli, sgr_arena *a)
{
    if (cli->source_root)
        return cli->source_root;
    char dir[PATH_MAX];
    if (!getcwd(dir, sizeof dir))
        return NULL;
    for (;;) {
        struct stat st;
        if (stat(sgr_arena_printf(a, "%s/.git", dir), &st) == 0)
            return sgr_arena_strdup(a, dir);
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir)
            return NULL;
        *slash = '\0';
    }
}

/* --fail-on: a finding severity name, or SGR_FAIL_ON_NONE when absent; -2 when invalid. */
static int parse_fail_on(const char *text)
{
    if (!text)
        return SGR_FAIL_ON_NONE;
    for (int s = SGR_FSEV_CRITICAL; s <= SGR_FSEV_INFO; s++)
        if (strcmp(text, sgr_fsev_name((sgr_fsev)s)) == 0)
            return s;
    return -2;
}

static void warn_expired(const sgr_check_result *r)
{
    for (uint32_t i = 0; i < r->n; i++)
        if (r->v[i].waiver_expired)
            sgr_eprintf("sgreach: warning: %s: a waiver of \"%s\" expired on %s (%s -> %s)", r->policy->file,
                    r->v[i].entry->name, r->v[i].waiver_expired, r->v[i].from, r->v[i].to);
    for (uint32_t i = 0; i < r->n_findings; i++)
        if (r->findings[i].waiver_expired)
            sgr_eprintf("sgreach: warning: %s: a waiver of the finding %s expired on %s", r->policy->file,
                    r->findings[i].f->id, r->findings[i].waiver_expired);
}

static int run(const sgr_cli *cli, FILE *out, sgr_arena *a, sgr_snapshot **snap, sgr_graph **g)
{
    const char *err = NULL;
    sgr_policy *p;
    if (cli->policy) {
        sgr_policy_options po = {.check_selector = selector_ok};
        p = sgr_policy_load(a, cli->policy, &po, &err);
        if (!p) {
            sgr_eprintf("sgreach: %s", err);
            return SGR_EXIT_USAGE;
        }
    } else { /* --findings alone: a policy of no entries and no waivers */
        p = SGR_NEW(a, sgr_policy);
        p->today = "";
    }
    int rc = sgr_cli_load_paths(cli, cli->paths, cli->n_paths, true, snap);
    if (rc)
        return rc;
    sgr_check_result r = {.policy = p};
    if (p->n_entries) {
        sgr_graph_options go;
        sgr_cli_graph_options(cli, &go);
        *g = sgr_graph_build(*snap, &go);
        sgr_check_options co = {.allow_unknown = cli->allow_unknown, .quiet = cli->quiet};
        rc = sgr_check_evaluate(*g, *snap, p, &co, a, &r, &err);
        if (rc) {
            sgr_eprintf("sgreach: %s", err);
            return rc;
        }
    }
    r.allow_unknown = cli->allow_unknown;
    r.fail_on = parse_fail_on(cli->fail_on);
    r.source_root = source_root(cli, a);
    r.color = cli->color;
    if (cli->findings) {
        sgr_findings *fs = SGR_NEW(a, sgr_findings);
        sgr_findings_run(*snap, a, fs);
        sgr_check_add_findings(&r, fs, a);
    }
    if (cli->baseline && !sgr_check_apply_baseline(a, &r, cli->baseline, &err)) {
        sgr_eprintf("sgreach: %s", err);
        return SGR_EXIT_USAGE;
    }
    if (!cli->quiet)
        warn_expired(&r);
    static const struct {
        const char *name;
        void (*write)(FILE *, const sgr_check_result *, sgr_arena *);
    } WRITERS[] = {
        {"json", sgr_check_write_json},   {"sarif", sgr_check_write_sarif},
        {"junit", sgr_check_write_junit}, {"codequality", sgr_check_write_codequality},
    };
    const char *fmt = sgr_cli_format(cli);
    void (*write)(FILE *, const sgr_check_result *, sgr_arena *) = sgr_check_write_text;
    for (size_t i = 0; i < sizeof WRITERS / sizeof WRITERS[0]; i++)
        if (strcmp(fmt, WRITERS[i].name) == 0)
            write = WRITERS[i].write;
    write(out, &r, a);
    return sgr_check_failures(&r) ? SGR_EXIT_NO : SGR_EXIT_YES;
}

int sgr_cmd_check(const sgr_cli *cli, FILE *out)
{
    if (!cli->policy && !cli->findings) {
        sgr_eprintf("sgreach: check: --policy FILE or --findings is required");
        return SGR_EXIT_USAGE;
    }
    if (parse_fail_on(cli->fail_on) == -2) {
        sgr_eprintf("sgreach: check: --fail-on must be one of critical|high|medium|low|info, not '%s'", cli->fail_on);
        return SGR_EXIT_USAGE;
    }
    if (cli->fail_on && !cli->findings) {
        sgr_eprintf("sgreach: check: --fail-on applies to findings: add --findings");
        return SGR_EXIT_USAGE;
    }
    if (cli->source_root && !is_dir(cli->source_root)) {
        sgr_eprintf("sgreach: check: --source-root %s: not a directory", cli->source_root);
        return SGR_EXIT_USAGE;
    }
    if (cli->n_paths == 0) {
        sgr_eprintf("sgreach: check: no SNAPSHOT given (files or directories of describe-* output)");
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
