/*
 * The report as Markdown (GFM): tables for the estate, exposure and blast
 * radius, one block per finding, Mermaid diagrams for the graphs. Every input
 * string goes through sgr_esc_md (or sgr_esc_mermaid inside diagrams), and no
 * escaped string ever starts a line.
 */
#include "output/report_common.h"
#include "output/report_escape.h"

static void md_heading(FILE *out, const char *id, const char *title)
{
    (void)id; /* renderers make a heading's anchor themselves */
    fprintf(out, "## %s\n\n", title);
}

static const sgr_rep_markup MD = {
    .esc = sgr_esc_md,
    .heading = md_heading,
    .none_open = "",
    .none_close = "\n\n",
    .row_open = "|",
    .row_close = "\n",
    .cell_open = {" ", " ", " "},
    .cell_close = " |",
    .rule_open = "",
    .rule_close = "",
    .where_open = " (",
    .where_close = ")",
    .item_open = "- ",
    .item_close = "\n",
    .sub_open = "  - ",
    .sub_close = "\n",
};

static void md_estate(const sgr_report *r, FILE *out)
{
    MD.heading(out, "estate", "Estate");
    fputs("| resource | count |\n|---|---:|\n", out);
    for (uint32_t i = 0; i < r->n_estate; i++)
        sgr_rep_estate_row(out, &MD, &r->estate[i]);
    fputs("\n", out);
}

static void md_exposure(const sgr_report *r, FILE *out)
{
    if (!sgr_rep_section(out, &MD, "exposure", "Exposure to the internet", r->n_exposure,
                         "Nothing in the estate is reachable from the internet."))
        return;
    fputs("| target | service | ports | way in | verdict | deciding rules |\n|---|---|---|---|---|---|\n", out);
    for (uint32_t i = 0; i < r->n_exposure; i++)
        sgr_rep_exposure_row(out, r, &MD, &r->exposure[i]);
    fputs("\n", out);
}

static void md_blast(const sgr_report *r, FILE *out)
{
    if (!sgr_rep_section(out, &MD, "blast", "Blast radius per service", r->n_blast, "The estate has no ECS services."))
        return;
    fputs("What a compromised task of each service reaches in one hop, sensitive targets first.\n\n", out);
    for (uint32_t i = 0; i < r->n_blast; i++) {
        const sgr_rep_blast *b = &r->blast[i];
        fputs("### ", out);
        sgr_esc_md(out, b->service);
        fprintf(out, " (%s, %u task%s)\n\n", b->mode ? b->mode : "?", (unsigned)b->n_tasks, b->n_tasks == 1 ? "" : "s");
        if (!b->n_targets) {
            fputs("Reaches nothing.\n\n", out);
            continue;
        }
        fprintf(out, "%u target%s:", (unsigned)b->n_targets, b->n_targets == 1 ? "" : "s");
        for (int k = 0, first = 1; k < SGR_REP_N_CLASSES; k++)
            if (b->by_class[k]) {
                fprintf(out, "%s %u %s", first ? "" : ",", (unsigned)b->by_class[k], sgr_rep_class_name((sgr_rep_class)k));
                first = 0;
            }
        fputs(".", out);
        if (b->n_targets > b->n_reached) {
            fprintf(out, " The first %u below", (unsigned)b->n_reached);
            if (sgr_rep_blast_selector(b)) {
                fputs("; every one: `sgreach blast --from ", out);
                sgr_esc_md(out, sgr_rep_blast_selector(b));
                fputs(" --format csv`", out);
            }
            fputs(".", out);
        }
        fputs("\n\n", out);
        fputs("| class | target | ports | verdict |\n|---|---|---|---|\n", out);
        for (uint32_t k = 0; k < b->n_reached; k++)
            sgr_rep_reached_row(out, &MD, &b->reached[k]);
        fputs("\n", out);
    }
}

static void md_findings(const sgr_report *r, FILE *out)
{
    uint32_t counts[5];
    sgr_findings_count(&r->findings, counts);
    MD.heading(out, "findings", "Findings");
    fprintf(out, "%u finding%s: %u critical, %u high, %u medium, %u low, %u info.\n\n",
            (unsigned)r->findings.count, r->findings.count == 1 ? "" : "s", (unsigned)counts[0],
            (unsigned)counts[1], (unsigned)counts[2], (unsigned)counts[3], (unsigned)counts[4]);
    for (uint32_t i = 0; i < r->findings.count; i++) {
        const sgr_finding *f = &r->findings.items[i];
        fprintf(out, "### %u. [%s] ", (unsigned)i + 1, sgr_fsev_name(f->severity));
        sgr_esc_md(out, f->check);
        fputs("\n\n", out);
        fputs("> ", out);
        sgr_rep_text_with_groups(out, r, f->title, sgr_esc_md);
        fputs("\n\n- id: ", out);
        sgr_esc_md(out, f->id);
        fputs("\n- resources: ", out);
        sgr_rep_finding_resources(out, r, &MD, f);
        fputs("\n- deciding rules:\n", out);
        sgr_rep_finding_rules(out, r, &MD, f);
        fputs("- fix: ", out);
        sgr_esc_md(out, f->fix);
        fputs("\n\n", out);
    }
}

static void md_graphs(const sgr_report *r, FILE *out)
{
    MD.heading(out, "graphs", "Reachability graphs");
    if (!r->n_graphs) {
        fputs(r->n_vpcs ? "No VPC could be drawn: the notes below say why for each.\n\n" : "No VPC in the snapshot.\n\n", out);
        return;
    }
    fputs("Edges are labelled by ports and coloured by how they are opened: ", out);
    for (int h = SGR_REP_HOW_PUBLIC; h <= SGR_REP_HOW_BRIDGE; h++)
        fprintf(out, "%s%s", h ? ", " : "", sgr_rep_how_name((sgr_rep_how)h));
    fputs("; dashed edges depend on missing data.\n\n", out);
    for (uint32_t i = 0; i < r->n_graphs; i++) {
        fputs("### ", out);
        sgr_esc_md(out, r->graphs[i].label ? r->graphs[i].label : r->graphs[i].vpc);
        fputs("\n\n```mermaid\n", out);
        sgr_graph_mermaid(&r->graphs[i], out);
        fputs("```\n\n", out);
    }
}

int sgr_report_md(const sgr_report *r, FILE *out)
{
    fputs("# ", out);
    sgr_esc_md(out, r->title ? r->title : "sgreach report");
    fputs("\n\n", out);
    sgr_rep_provenance(out, r, &MD);
    fputs("\n\n", out);
    md_estate(r, out);
    md_exposure(r, out);
    md_blast(r, out);
    md_findings(r, out);
    md_graphs(r, out);
    if (r->n_notes) {
        MD.heading(out, "notes", "Notes");
        sgr_rep_list(out, &MD, r->notes, r->n_notes);
        fputs("\n", out);
    }
    return ferror(out) ? -1 : 0;
}
