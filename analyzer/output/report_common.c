/* Small helpers the report writers share. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/report_common.h"

const char *sgr_rep_class_name(sgr_rep_class c)
{
    static const char *const NAMES[] = {"database", "admin port", "other service", "internet", "other"};
    return (unsigned)c <= SGR_REP_OTHER ? NAMES[c] : "other";
}

const char *sgr_rep_where(sgr_arena *a, const char *file, uint32_t line)
{
    if (!file)
        return "";
    if (!line)
        return file;
    return sgr_arena_printf(a, "%s:%u", file, (unsigned)line);
}

const char *sgr_rep_blast_selector(const sgr_rep_blast *b)
{
    return b->service_id && strstr(b->service_id, ":service/") ? b->service_id : NULL;
}

static int cmp_group_id(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const sgr_rep_group_name *)elem)->id);
}

void sgr_rep_id_with_names(FILE *out, const sgr_report *r, const char *id, void (*esc)(FILE *, const char *))
{
    char buf[512];
    const char *names = sgr_rep_group_names(r, id, buf, sizeof buf);
    esc(out, id);
    if (names) {
        fputs(" (", out);
        esc(out, names);
        fputc(')', out);
    }
}

void sgr_rep_text_with_groups(FILE *out, const sgr_report *r, const char *text, void (*esc)(FILE *, const char *))
{
    esc(out, text);
    const char *shown[16]; /* the ids named so far: each once, at its first mention */
    size_t shown_len[16], n_shown = 0, pos = 0, len;
    for (const char *p; n_shown < 16 && (p = sgr_rep_next_group_id(text, &pos, &len));) {
        bool again = false;
        for (size_t i = 0; i < n_shown && !again; i++)
            again = shown_len[i] == len && memcmp(shown[i], p, len) == 0;
        char id[64], buf[512];
        if (again || len >= sizeof id)
            continue;
        memcpy(id, p, len);
        id[len] = '\0';
        const char *names = sgr_rep_group_names(r, id, buf, sizeof buf);
        if (!names)
            continue;
        fputs(n_shown ? ", " : " (groups: ", out);
        esc(out, id);
        fputc(' ', out);
        esc(out, names);
        shown[n_shown] = p;
        shown_len[n_shown++] = len;
    }
    if (n_shown)
        fputc(')', out);
}

const char *sgr_rep_group_names(const sgr_report *r, const char *id, char *buf, size_t size)
{
    if (!id || !r->n_groups)
        return NULL;
    const sgr_rep_group_name *g = bsearch(id, r->groups, r->n_groups, sizeof *r->groups, cmp_group_id);
    if (!g || (!g->name && !g->name_tag))
        return NULL;
    if (g->name && g->name_tag)
        snprintf(buf, size, "%s, Name tag: %s", g->name, g->name_tag);
    else
        snprintf(buf, size, "%s", g->name ? g->name : g->name_tag);
    return buf;
}

/* ------------------------------------------------ what both markups print alike */

bool sgr_rep_section(FILE *out, const sgr_rep_markup *m, const char *id, const char *title, uint32_t n,
                     const char *none)
{
    m->heading(out, id, title);
    if (n)
        return true;
    fputs(m->none_open, out);
    fputs(none, out);
    fputs(m->none_close, out);
    return false;
}

void sgr_rep_provenance(FILE *out, const sgr_report *r, const sgr_rep_markup *m)
{
    if (r->generated) {
        fputs("Generated ", out);
        m->esc(out, r->generated);
        fputs(". ", out);
    }
    fputs("Inputs: ", out);
    for (uint32_t i = 0; i < r->n_inputs; i++) {
        if (i)
            fputs(", ", out);
        m->esc(out, r->inputs[i]);
    }
    fputs(".", out);
}

void sgr_rep_list(FILE *out, const sgr_rep_markup *m, const char *const *items, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        fputs(m->item_open, out);
        m->esc(out, items[i]);
        fputs(m->item_close, out);
    }
}

void sgr_rep_deciding_rule(FILE *out, const sgr_report *r, const sgr_rep_markup *m, const char *component,
                           const char *text, const char *file, uint32_t line)
{
    fputs(m->rule_open, out);
    if (component && *component) {
        sgr_rep_id_with_names(out, r, component, m->esc);
        fputs(" ", out);
    }
    m->esc(out, text);
    fputs(m->rule_close, out);
    if (file) {
        fputs(m->where_open, out);
        m->esc(out, file);
        if (line)
            fprintf(out, ":%u", (unsigned)line);
        fputs(m->where_close, out);
    }
}

static void cell(FILE *out, const sgr_rep_markup *m, sgr_rep_cell kind, const char *text)
{
    fputs(m->cell_open[kind], out);
    m->esc(out, text);
    fputs(m->cell_close, out);
}

void sgr_rep_estate_row(FILE *out, const sgr_rep_markup *m, const sgr_rep_count *c)
{
    fputs(m->row_open, out);
    cell(out, m, SGR_CELL_TEXT, c->label);
    fprintf(out, "%s%u%s", m->cell_open[SGR_CELL_NUMBER], (unsigned)c->n, m->cell_close);
    fputs(m->row_close, out);
}

void sgr_rep_exposure_row(FILE *out, const sgr_report *r, const sgr_rep_markup *m, const sgr_rep_exposure *e)
{
    fputs(m->row_open, out);
    cell(out, m, SGR_CELL_TEXT, e->target);
    cell(out, m, SGR_CELL_TEXT, e->service);
    fputs(m->cell_open[SGR_CELL_NOWRAP], out);
    m->esc(out, e->ports);
    if (e->host_ports) {
        fputs(" (host ", out);
        m->esc(out, e->host_ports);
        fputs(")", out);
    }
    fputs(m->cell_close, out);
    cell(out, m, SGR_CELL_TEXT, e->way_in);
    cell(out, m, SGR_CELL_NOWRAP, e->verdict);
    fputs(m->cell_open[SGR_CELL_TEXT], out);
    for (uint32_t k = 0; k < e->n_rules; k++) {
        if (k)
            fputs("<br>", out);
        sgr_rep_deciding_rule(out, r, m, e->rules[k].component, e->rules[k].text, e->rules[k].file,
                              e->rules[k].line);
    }
    fputs(m->cell_close, out);
    fputs(m->row_close, out);
}

void sgr_rep_reached_row(FILE *out, const sgr_rep_markup *m, const sgr_rep_reached *t)
{
    fputs(m->row_open, out);
    /* the class's name is ours, not the input's: as it is */
    fprintf(out, "%s%s%s", m->cell_open[SGR_CELL_NOWRAP], sgr_rep_class_name(t->cls), m->cell_close);
    cell(out, m, SGR_CELL_TEXT, t->target);
    cell(out, m, SGR_CELL_NOWRAP, t->ports);
    cell(out, m, SGR_CELL_NOWRAP, t->verdict);
    fputs(m->row_close, out);
}

void sgr_rep_finding_resources(FILE *out, const sgr_report *r, const sgr_rep_markup *m, const sgr_finding *f)
{
    for (uint32_t k = 0; k < f->n_resources; k++) {
        if (k)
            fputs(", ", out);
        fputs(m->rule_open, out);
        sgr_rep_id_with_names(out, r, f->resources[k], m->esc);
        fputs(m->rule_close, out);
    }
}

void sgr_rep_finding_rules(FILE *out, const sgr_report *r, const sgr_rep_markup *m, const sgr_finding *f)
{
    for (uint32_t k = 0; k < f->n_rules; k++) {
        fputs(m->sub_open, out);
        sgr_rep_deciding_rule(out, r, m, f->rules[k].component, f->rules[k].text, f->rules[k].origin.file,
                              f->rules[k].origin.line);
        fputs(m->sub_close, out);
    }
}
