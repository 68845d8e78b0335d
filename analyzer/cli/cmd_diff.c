/*
 * `sgreach diff OLD NEW`: the paths NEW opens and closes relative to OLD
 * (one snapshot path each; a directory holds a whole snapshot).
 * `sgreach diff --plan PLAN [LIVE...]`: OLD = LIVE, NEW = LIVE with the
 * Terraform plan laid over it; without LIVE, OLD is the plan's prior state
 * and NEW the plan alone (prior state plus its changes).
 * Exit: 0 nothing changed, 1 something did, 2 bad input (like diff(1)).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/commands.h"
#include "cli/diag_print.h"
#include "output/diff_output.h"
#include "queries/diff.h"
#include "cli/open.h"
#include "graph/arena.h"
#include "sgreach/exit.h"

/* Without LIVE dumps, the state before a plan is its prior_state: written as
 * a state document (`terraform show -json` of a state) to a temporary file,
 * loaded like any snapshot. Returns the file's path (to unlink), or NULL when
 * the plan has no prior state (then nothing existed before). */
static char *prior_state_file(const char *plan)
{
    json_error_t err;
    json_t *doc = json_load_file(plan, 0, &err);
    json_t *prior = json_object_get(doc, "prior_state");
    json_t *values = json_object_get(prior, "values");
    char *path = NULL;
    if (json_is_object(values)) {
        const char *dir = getenv("TMPDIR");
        path = sgr_xmalloc(strlen(dir && *dir ? dir : "/tmp") + 32);
        sprintf(path, "%s/sgreach-prior-XXXXXX", dir && *dir ? dir : "/tmp");
        int fd = mkstemp(path);
        json_t *state = json_object();
        json_t *fv = json_object_get(prior, "format_version");
        json_object_set_new(state, "format_version", fv ? json_incref(fv) : json_string("1.0"));
        json_object_set(state, "values", values);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f || !state || json_dumpf(state, f, JSON_COMPACT) != 0) {
            if (fd >= 0)
                unlink(path);
            free(path);
            path = NULL;
        }
        if (f)
            fclose(f);
        json_decref(state);
    }
    json_decref(doc);
    return path;
}

/* What a file was recognised as, in words, for the errors below. */
static const char *what_words(uint32_t what)
{
    if (what & SGR_INPUT_TF_PLAN)
        return "a Terraform plan";
    if (what & SGR_INPUT_AWS)
        return "AWS CLI output";
    if (what & SGR_INPUT_TF_STATE)
        return "a Terraform state";
    if (what & SGR_INPUT_TF_LOG)
        return "the `terraform plan -json` log stream";
    if (what & SGR_INPUT_MANIFEST)
        return "a collection manifest";
    return "nothing sgreach reads";
}

static const sgr_input *input_named(const sgr_snapshot *s, const char *path)
{
    for (uint32_t i = 0; i < s->n_inputs; i++)
        if (strcmp(s->inputs[i]->path, path) == 0)
            return s->inputs[i];
    return NULL;
}

/* `diff --plan PLAN`: PLAN must hold a plan, or the diff would compare the
 * live estate with itself and find "no change". */
static bool plan_is_plan(const sgr_snapshot *new_s, const char *plan)
{
    const sgr_input *in = input_named(new_s, plan);
    if (in && (in->what & SGR_INPUT_TF_PLAN))
        return true;
    sgr_eprintf("sgreach: diff --plan: %s is not a Terraform plan (it holds %s): give the output of "
                "`terraform show -json tfplan` for a plan saved with `terraform plan -out=tfplan`",
            plan, in ? what_words(in->what) : "nothing");
    return false;
}

/* `diff OLD NEW` compares two estates; a side that is a plan and nothing
 * else is a plan given to the wrong form of the command. (A side of live
 * dumps with a plan among them is an estate with the plan laid over it.) */
static bool holds_no_plan(const sgr_snapshot *s, const char *side)
{
    for (uint32_t i = 0; i < s->n_inputs; i++)
        if (s->inputs[i]->what & (SGR_INPUT_AWS | SGR_INPUT_TF_STATE))
            return true;
    for (uint32_t i = 0; i < s->n_inputs; i++)
        if (s->inputs[i]->what & SGR_INPUT_TF_PLAN) {
            sgr_eprintf("sgreach: diff: %s (%s) is a Terraform plan, and diff OLD NEW compares two snapshots: "
                        "use `sgreach diff --plan %s [LIVE...]`",
                    side, s->inputs[i]->path, s->inputs[i]->path);
            return false;
        }
    return true;
}

int sgr_cmd_diff(const sgr_cli *cli, FILE *out)
{
    const char *const *old_paths = cli->paths, *const *new_paths;
    size_t n_old, n_new;
    const char **with_plan = NULL;
    if (cli->plan) {
        n_old = cli->n_paths;
        with_plan = sgr_xcalloc(cli->n_paths + 1, sizeof *with_plan);
        for (size_t i = 0; i < cli->n_paths; i++)
            with_plan[i] = cli->paths[i];
        with_plan[cli->n_paths] = cli->plan;
        new_paths = with_plan;
        n_new = cli->n_paths + 1;
    } else {
        if (cli->n_paths != 2) {
            sgr_eprintf("sgreach: diff: give OLD and NEW (one snapshot each, a file or a directory), or --plan PLAN [LIVE...]");
            return SGR_EXIT_USAGE;
        }
        n_old = n_new = 1;
        new_paths = cli->paths + 1;
    }
    char *prior = NULL;
    const char *prior_paths[1];
    if (cli->plan && !cli->n_paths && (prior = prior_state_file(cli->plan))) {
        prior_paths[0] = prior;
        old_paths = prior_paths;
        n_old = 1;
    }
    sgr_snapshot *old_s = NULL, *new_s = NULL;
    int rc = n_old ? sgr_cli_load_paths(cli, old_paths, n_old, true, &old_s) : 0;
    if (!rc)
        rc = sgr_cli_load_paths(cli, new_paths, n_new, true, &new_s);
    if (!rc && cli->plan && !plan_is_plan(new_s, cli->plan))
        rc = SGR_EXIT_USAGE;
    if (!rc && !cli->plan && (!holds_no_plan(old_s, "OLD") || !holds_no_plan(new_s, "NEW")))
        rc = SGR_EXIT_USAGE;
    if (!rc) {
        sgr_graph_options go;
        sgr_cli_graph_options(cli, &go);
        sgr_graph *old_g = old_s ? sgr_graph_build(old_s, &go) : NULL;
        sgr_graph *new_g = sgr_graph_build(new_s, &go);
        sgr_arena *a = sgr_arena_new();
        sgr_diff d;
        /* --debug-reference compares every pair (tests check both ways agree). */
        sgr_diff_compute(old_s, old_g, new_s, new_g, go.reference, a, &d);
        if (strcmp(sgr_cli_format(cli), "json") == 0)
            sgr_diff_write_json(out, &d, old_paths, n_old, new_paths, n_new);
        else
            sgr_diff_write_text(out, &d, a);
        rc = d.n ? SGR_EXIT_NO : SGR_EXIT_YES;
        sgr_arena_free(a);
        if (old_g)
            sgr_graph_free(old_g);
        sgr_graph_free(new_g);
    }
    if (old_s)
        sgr_snapshot_free(old_s);
    if (new_s)
        sgr_snapshot_free(new_s);
    free(with_plan);
    if (prior) {
        unlink(prior);
        free(prior);
    }
    return rc;
}
