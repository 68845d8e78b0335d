/*
 * The report as Markdown (GFM): tables for the estate, exposure and blast
 * radius, one block per finding, Mermaid diagrams for the graphs. Every input
 * string goes through sgr_esc_md (or sgr_esc_mermaid inside diagrams), and no
 * escaped string ever starts a line.
 */
#include "queries/report.h"

#include "output/report_escape.h"

static void md_rule(const sgr_report *r, FILE *out, const char *component, const char *text, const char *file,
                    uint32_t line)
{
    if (component && *component) {
        sgr_rep_id_with_names(out, r, component, sgr_esc_md);
        fputs(" ", out);
    }
    sgr_esc_md(out, text);
    if (file) {
        fputs(" (", out);
        sgr_esc_md(out, file);
        if (line)
            fprintf(out, ":%u", (unsigned)line);
        fputs(")", out);
    }
}

static void md_estate(const sgr_report *r, FILE *out)
{
    fputs("## Estate\n\n| resource | count |\n|---|---:|\n", out);
    for (uint32_t i = 0; i < r->n_estate; i++) {
        fputs("| ", out);
        sgr_esc_md(out, r->estate[i].label);
        fprintf(out, " | %u |\n", (unsigned)r->estate[i].n);
    }
    fputs("\n", out);
}

static void md_exposure(const sgr_report *r, FILE *out)
{
    fputs("## Exposure to the internet\n\n", out);
    if (!r->n_exposure) {
        fputs("Nothing in the estate is reachable from the internet.\n\n", out);
        return;
    }
    fputs("| target | service | ports | way in | verdict | deciding rules |\n|---|---|---|---|---|---|\n", out);
    for (uint32_t i = 0; i < r->n_exposure; i++) {
        const sgr_rep_exposure *e = &r->exposure[i];
        fputs("| ", out);
        sgr_esc_md(out, e->target);
        fputs(" | ", out);
        sgr_esc_md(out, e->service ? e->service : "");
        fputs(" | ", out);
        sgr_esc_md(out, e->ports);
        if (e->host_ports) {
            fputs(" (host ", out);
            sgr_esc_md(out, e->host_ports);
            fputs(")", out);
        }
        fputs(" | ", out);
        sgr_esc_md(out, e->way_in);
        fputs(" | ", out);
        sgr_esc_md(out, e->verdict);
        fputs(" | ", out);
        for (uint32_t k = 0; k < e->n_rules; k++) {
            if (k)
                fputs("<br>", out);
            md_rule(r, out, e->rules[k].component, e->rules[k].text, e->rules[k].file, e->rules[k].line);
        }
        fputs(" |\n", out);
    }
    fputs("\n", out);
}

static void md_blast(const sgr_report *r, FILE *out)
{
    fputs("## Blast radius per service\n\n", out);
    if (!r->n_blast) {
        fputs("The estate has no ECS services.\n\n", out);
        return;
    }
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
        for (uint32_t k = 0; k < b->n_reached; k++) {
            const sgr_rep_reached *t = &b->reached[k];
            fprintf(out, "| %s | ", sgr_rep_class_name(t->cls));
            sgr_esc_md(out, t->target);
            fputs(" | ", out);
            sgr_esc_md(out, t->ports);
            fputs(" | ", out);
            sgr_esc_md(out, t->verdict);
            fputs(" |\n", out);
        }
        fputs("\n", out);
    }
}

static void md_findings(const sgr_report *r, FILE *out)
{
    uint32_t counts[5];
    sgr_findings_count(&r->findings, counts);
    fputs("## Findings\n\n", out);
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
        for (uint32_t k = 0; k < f->n_resources; k++) {
            if (k)
                fputs(", ", out);
            sgr_rep_id_with_names(out, r, f->resources[k], sgr_esc_md);
        }
        fputs("\n- deciding rules:\n", out);
        for (uint32_t k = 0; k < f->n_rules; k++) {
            fputs("  - ", out);
            md_rule(r, out, f->rules[k].component, f->rules[k].text, f->rules[k].origin.file, f->rules[k].origin.line);
            fputs("\n", out);
        }
        fputs("- fix: ", out);
        sgr_esc_md(out, f->fix);
        fputs("\n\n", out);
    }
}

static void md_graphs(const sgr_report *r, FILE *out)
{
    fputs("## Reachability graphs\n\n", out);
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
    if (r->generated) {
        fputs("Generated ", out);
        sgr_esc_md(out, r->generated);
        fputs(". ", out);
    }
    fputs("Inputs: ", out);
    for (uint32_t i = 0; i < r->n_inputs; i++) {
        if (i)
            fputs(", ", out);
        sgr_esc_md(out, r->inputs[i]);
    }
    fputs(".\n\n", out);
    md_estate(r, out);
    md_exposure(r, out);
    md_blast(r, out);
    md_findings(r, out);
    md_graphs(r, out);
    if (r->n_notes) {
        fputs("## Notes\n\n", out);
        for (uint32_t i = 0; i < r->n_notes; i++) {
            fputs("- ", out);
            sgr_esc_md(out, r->notes[i]);
            fputs("\n", out);
        }
        fputs("\n", out);
    }
    return ferror(out) ? -1 : 0;
}
