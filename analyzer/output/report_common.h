/*
 * What the HTML and the Markdown report print alike: the same sections,
 * rows, rules and lists, in two markups. A writer describes its markup once
 * (sgr_rep_markup: the escaper, a section's heading, what opens and closes a
 * row, a cell, a rule, a list item) and these helpers walk the report with it,
 * so that a row of the exposure, say, is one function for both languages.
 * (The older helpers of report_common.c, which take only an escaper, are
 * declared in queries/report.h.)
 */
#ifndef SGREACH_REPORT_COMMON_H
#define SGREACH_REPORT_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include "queries/report.h"

/* The kinds of table cell: text, text that must not wrap (ports, verdicts),
 * a number (right-aligned). */
typedef enum sgr_rep_cell { SGR_CELL_TEXT, SGR_CELL_NOWRAP, SGR_CELL_NUMBER, SGR_CELL_KINDS } sgr_rep_cell;

typedef struct sgr_rep_markup {
    void (*esc)(FILE *out, const char *s);
    /* A section's heading (id: its anchor, where the markup has them). */
    void (*heading)(FILE *out, const char *id, const char *title);
    const char *none_open, *none_close;   /* the sentence of a section with nothing in it; closes the section */
    const char *row_open, *row_close;
    const char *cell_open[SGR_CELL_KINDS], *cell_close;
    const char *rule_open, *rule_close;   /* around a rule's component and text */
    const char *where_open, *where_close; /* around the file:line it comes from */
    const char *item_open, *item_close;   /* an item of a list */
    const char *sub_open, *sub_close;     /* an item of a list in a list */
} sgr_rep_markup;

/* The heading; when n is 0, the `none` sentence too, and false: the section
 * has nothing more to show. */
bool sgr_rep_section(FILE *out, const sgr_rep_markup *m, const char *id, const char *title, uint32_t n,
                     const char *none);

/* "Generated DATE. Inputs: A, B." */
void sgr_rep_provenance(FILE *out, const sgr_report *r, const sgr_rep_markup *m);

/* One item per string. */
void sgr_rep_list(FILE *out, const sgr_rep_markup *m, const char *const *items, uint32_t n);

/* A deciding rule: its component (with the group's names), text, and file:line. */
void sgr_rep_deciding_rule(FILE *out, const sgr_report *r, const sgr_rep_markup *m, const char *component,
                           const char *text, const char *file, uint32_t line);

/* The rows of the estate, the exposure and a service's first targets. */
void sgr_rep_estate_row(FILE *out, const sgr_rep_markup *m, const sgr_rep_count *c);
void sgr_rep_exposure_row(FILE *out, const sgr_report *r, const sgr_rep_markup *m, const sgr_rep_exposure *e);
void sgr_rep_reached_row(FILE *out, const sgr_rep_markup *m, const sgr_rep_reached *t);

/* A finding's resources ("ID (names), …") and its deciding rules (one sub-item each). */
void sgr_rep_finding_resources(FILE *out, const sgr_report *r, const sgr_rep_markup *m, const sgr_finding *f);
void sgr_rep_finding_rules(FILE *out, const sgr_report *r, const sgr_rep_markup *m, const sgr_finding *f);

#endif
