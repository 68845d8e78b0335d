/* `sgreach summary`: counts per kind and every load warning (docs/summary.md). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "cli/open.h"
#include "output/report_escape.h"
#include "output/writer_lib.h"
#include "sgreach/exit.h"
#include "sgreach/snapshot.h"

/* The kinds in output order; transit-gateway route tables come last (added later). */
static const sgr_kind ORDER[] = {
    SGR_KIND_VPC,          SGR_KIND_SUBNET,       SGR_KIND_ROUTE_TABLE,  SGR_KIND_IGW,
    SGR_KIND_NAT,          SGR_KIND_PEERING,      SGR_KIND_NACL,         SGR_KIND_PREFIX_LIST,
    SGR_KIND_SG,           SGR_KIND_ENI,          SGR_KIND_INSTANCE,     SGR_KIND_VPC_ENDPOINT,
    SGR_KIND_TGW_ATTACHMENT, SGR_KIND_DB,         SGR_KIND_TASK_DEF,     SGR_KIND_TASK,
    SGR_KIND_CONTAINER_INSTANCE, SGR_KIND_SERVICE, SGR_KIND_LB,          SGR_KIND_TARGET_GROUP,
    SGR_KIND_LISTENER,     SGR_KIND_TGW_ROUTE_TABLE, SGR_KIND_TGW,
};
#define N_ORDER (sizeof ORDER / sizeof ORDER[0])

static uint32_t count_rules(const sgr_snapshot *snap)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < snap->n_sgs; i++)
        n += snap->sgs[i]->n_rules;
    return n;
}

static void counts_json(json_t *o, const sgr_snapshot *snap)
{
    for (size_t i = 0; i < N_ORDER; i++) {
        json_object_set_new(o, sgr_kind_name(ORDER[i]), json_integer(sgr_snapshot_count(snap, ORDER[i])));
        if (ORDER[i] == SGR_KIND_SG)
            json_object_set_new(o, "security_group_rules", json_integer(count_rules(snap)));
    }
    json_object_set_new(o, "files", json_integer(snap->n_files));
}

/* Regions (with account) as the coverage entries name them, in order. */
static bool same_place(const sgr_coverage *a, const sgr_coverage *b)
{
    return strcmp(a->account ? a->account : "", b->account ? b->account : "") == 0 &&
           strcmp(a->region ? a->region : "", b->region ? b->region : "") == 0;
}

static bool has_manifest(const sgr_snapshot *snap)
{
    for (uint32_t i = 0; i < snap->n_inputs; i++)
        if (snap->inputs[i]->what & SGR_INPUT_MANIFEST)
            return true;
    return false;
}

static json_t *coverage_json(const sgr_snapshot *snap)
{
    uint32_t not_read = 0;
    for (uint32_t i = 0; i < snap->n_coverage; i++)
        not_read += snap->coverage[i]->status != SGR_CALL_OK;
    json_t *cov = json_object();
    json_object_set_new(cov, "manifest", json_boolean(has_manifest(snap)));
    json_object_set_new(cov, "not_read", json_integer(not_read));
    json_t *calls = json_array();
    for (uint32_t i = 0; i < snap->n_coverage; i++) {
        const sgr_coverage *c = snap->coverage[i];
        json_t *o = json_object();
        json_object_set_new(o, "account", sgr_json_text(c->account));
        json_object_set_new(o, "region", sgr_json_text(c->region));
        json_object_set_new(o, "call", sgr_json_text(c->call));
        json_object_set_new(o, "status", sgr_json_text(sgr_call_status_name(c->status)));
        json_object_set_new(o, "calls", json_integer(c->n_calls));
        json_object_set_new(o, "failed", json_integer(c->n_failed));
        json_object_set_new(o, "error", sgr_json_text(c->error));
        json_object_set_new(o, "describes", sgr_json_text(c->describes));
        json_object_set_new(o, "unknown", sgr_json_text(c->unknown));
        json_object_set_new(o, "file", sgr_json_text(c->origin.file));
        json_object_set_new(o, "line", json_integer(c->origin.line));
        json_array_append_new(calls, o);
    }
    json_object_set_new(cov, "calls", calls);
    return cov;
}

/* What was read and what was not, per region; the calls not read with what
 * they leave unknown (docs/coverage.md). */
static void coverage_text(FILE *out, const sgr_snapshot *snap)
{
    uint32_t calls = 0, not_read = 0, places = 0;
    for (uint32_t i = 0; i < snap->n_coverage; i++) {
        calls += snap->coverage[i]->n_calls;
        not_read += snap->coverage[i]->status != SGR_CALL_OK;
        places += i == 0 || !same_place(snap->coverage[i - 1], snap->coverage[i]);
    }
    if (!snap->n_coverage) {
        fprintf(out, "%-30s %s\n", "coverage", "no collection manifest: what was not collected cannot be told");
        return;
    }
    fprintf(out, "%-30s %u region%s, %u call%s, %u not read%s\n", "coverage", places, places == 1 ? "" : "s", calls,
            calls == 1 ? "" : "s", not_read, has_manifest(snap) ? "" : " (no collection manifest)");
    for (uint32_t i = 0; i < snap->n_coverage;) {
        uint32_t end = i, n = 0, bad = 0;
        for (; end < snap->n_coverage && same_place(snap->coverage[i], snap->coverage[end]); end++) {
            n += snap->coverage[end]->n_calls;
            bad += snap->coverage[end]->status != SGR_CALL_OK;
        }
        const sgr_coverage *f = snap->coverage[i];
        fprintf(out, "  %s%s%s: ", f->account ? f->account : "", f->account ? " " : "", f->region ? f->region : "(no region)");
        if (n)
            fprintf(out, "%u call%s, ", n, n == 1 ? "" : "s");
        if (bad)
            fprintf(out, "%u not read\n", bad);
        else
            fputs("all read\n", out);
        for (; i < end; i++) {
            const sgr_coverage *c = snap->coverage[i];
            if (c->status == SGR_CALL_OK)
                continue;
            if (c->status == SGR_CALL_ABSENT)
                fprintf(out, "    %s: not in the snapshot\n", c->call);
            else
                fprintf(out, "    %s: %s (%u of %u call%s): %s\n", c->call, sgr_call_status_name(c->status), c->n_failed,
                        c->n_calls, c->n_calls == 1 ? "" : "s", c->error ? c->error : "no error text");
            fprintf(out, "      unknown: %s\n", c->unknown ? c->unknown : "what it describes");
        }
    }
}

/* Files of the load that gave nothing to the model, by why (one file counts
 * once, under its first reason). */
enum { SKIP_NOT_JSON, SKIP_TF_LOG, SKIP_AWS_UNUSED, SKIP_NOTHING, N_SKIP };
static const struct {
    const char *key, *why;
} SKIP_REASONS[N_SKIP] = {
    {"not_json", "not JSON (content, not name, decides)"},
    {"terraform_log", "a `terraform plan -json` log stream, not a plan"},
    {"aws_unused", "AWS output of nothing sgreach models"},
    {"recognised_as_nothing", "JSON sgreach does not recognise"},
};

static uint32_t count_skipped(const sgr_snapshot *snap, uint32_t by_reason[N_SKIP])
{
    const uint32_t used = SGR_INPUT_AWS | SGR_INPUT_TF_PLAN | SGR_INPUT_TF_STATE | SGR_INPUT_MANIFEST;
    uint32_t total = 0;
    memset(by_reason, 0, N_SKIP * sizeof *by_reason);
    for (uint32_t i = 0; i < snap->n_inputs; i++) {
        uint32_t what = snap->inputs[i]->what;
        if (what & used)
            continue;
        total++;
        by_reason[what & SGR_INPUT_NOT_JSON   ? SKIP_NOT_JSON
                  : what & SGR_INPUT_TF_LOG   ? SKIP_TF_LOG
                  : what & SGR_INPUT_AWS_UNUSED ? SKIP_AWS_UNUSED
                                              : SKIP_NOTHING]++;
    }
    return total;
}

static json_t *skipped_json(const sgr_snapshot *snap)
{
    uint32_t by[N_SKIP];
    json_t *o = json_object();
    json_object_set_new(o, "files", json_integer(count_skipped(snap, by)));
    for (int k = 0; k < N_SKIP; k++)
        json_object_set_new(o, SKIP_REASONS[k].key, json_integer(by[k]));
    return o;
}

static void skipped_text(FILE *out, const sgr_snapshot *snap)
{
    uint32_t by[N_SKIP];
    uint32_t total = count_skipped(snap, by);
    fprintf(out, "%-30s %u", "skipped_files", total);
    const char *sep = " (";
    for (int k = 0; k < N_SKIP; k++)
        if (by[k]) {
            fprintf(out, "%s%u %s", sep, by[k], SKIP_REASONS[k].why);
            sep = "; ";
        }
    fputs(total ? ")\n" : "\n", out);
}

static void print_json(FILE *out, const sgr_snapshot *snap)
{
    json_t *root = json_object();
    /* Counts twice: at the top level (keys named after the kinds) and grouped. */
    counts_json(root, snap);
    json_t *counts = json_object();
    counts_json(counts, snap);
    json_object_set_new(root, "counts", counts);
    json_t *warnings = json_array();
    for (uint32_t i = 0; i < snap->n_diags; i++) {
        const sgr_diag *d = snap->diags[i];
        if (d->severity != SGR_SEV_WARNING)
            continue;
        json_t *w = json_object();
        json_object_set_new(w, "file", sgr_json_text(d->file));
        json_object_set_new(w, "path", sgr_json_text(d->path));
        json_object_set_new(w, "line", json_integer(d->line));
        json_object_set_new(w, "message", sgr_json_text(d->message));
        json_array_append_new(warnings, w);
    }
    json_object_set_new(root, "warnings", warnings);
    json_object_set_new(root, "skipped", skipped_json(snap));
    json_object_set_new(root, "coverage", coverage_json(snap));
    sgr_json_print(out, root);
}

static void print_text(FILE *out, const sgr_snapshot *snap)
{
    fprintf(out, "%-30s %u\n", "files", snap->n_files);
    skipped_text(out, snap);
    for (size_t i = 0; i < N_ORDER; i++) {
        fprintf(out, "%-30s %u\n", sgr_kind_name(ORDER[i]), sgr_snapshot_count(snap, ORDER[i]));
        if (ORDER[i] == SGR_KIND_SG)
            fprintf(out, "%-30s %u\n", "security_group_rules", count_rules(snap));
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < snap->n_diags; i++)
        n += snap->diags[i]->severity == SGR_SEV_WARNING;
    coverage_text(out, snap);
    fprintf(out, "%-30s %u\n", "warnings", n);
}

int sgr_cmd_summary(const sgr_cli *cli, FILE *out)
{
    sgr_snapshot *snap;
    bool json = strcmp(sgr_cli_format(cli), "json") == 0;
    /* Warnings go to stderr, as for every command (issue 15 §3); the JSON
     * document carries them as data instead. */
    int rc = sgr_cli_load(cli, !json, &snap);
    if (rc)
        return rc;
    if (json)
        print_json(out, snap);
    else
        print_text(out, snap);
    sgr_snapshot_free(snap);
    return SGR_EXIT_YES;
}
