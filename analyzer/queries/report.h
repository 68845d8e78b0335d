/*
 * The auditor's report as data: built once from a snapshot and its graph
 * (report_build.c), then written as Markdown, JSON or HTML (report_md.c,
 * report_json.c, report_html.c). Pictures: one reachability graph per VPC,
 * written as DOT or Mermaid (report_graph.c) and rendered to SVG by Graphviz's
 * `dot` (report_svg.c).
 *
 * Every string and array lives in the arena the report was built in; strings
 * may point into the snapshot, which must outlive the report. Every list is
 * sorted, so the same input gives byte-identical output.
 */
#ifndef SGREACH_REPORT_H
#define SGREACH_REPORT_H

#include <stdio.h>

#include "queries/findings.h"
#include "graph/arena.h"
#include "sgreach/model.h"

/* A deciding rule with its origin: "sg-1 ingress tcp/443 from 0.0.0.0/0", dump.json:12. */
typedef struct sgr_rep_rule {
    const char *component;
    const char *text;
    const char *file;           /* may be NULL */
    uint32_t line;              /* 0 = unknown */
} sgr_rep_rule;

typedef struct sgr_rep_count {
    const char *label;          /* "VPCs", "services (awsvpc)", … */
    uint32_t n;
} sgr_rep_count;

/* One thing reachable from the internet. */
typedef struct sgr_rep_exposure {
    const char *target;         /* for people: "service api (task 1f2e)", "lb web-alb", "i-0abc (bastion)" */
    const char *target_id;
    const char *kind;           /* task, lb, eni, db */
    const char *service;        /* ECS service name, or NULL */
    const char *vpc;            /* VPC id, or NULL */
    const char *ports;          /* "tcp:443,8080": as the target serves them (docs/selectors.md#ports) */
    const char *host_ports;     /* a bridge task reached on its host: those host ports; else NULL */
    const char *way_in;         /* "public address", "ALB web-alb", "NLB edge" */
    const char *verdict;        /* "reachable" or "unknown" */
    sgr_rep_rule *rules;
    uint32_t n_rules;
} sgr_rep_exposure;

typedef enum sgr_rep_class {
    SGR_REP_DATABASE,           /* a database, or a datastore port */
    SGR_REP_ADMIN,              /* an administration port (22, 3389, 2375, …) */
    SGR_REP_SERVICE,            /* another service's tasks */
    SGR_REP_INTERNET,           /* the internet */
    SGR_REP_OTHER
} sgr_rep_class;

const char *sgr_rep_class_name(sgr_rep_class c);

typedef struct sgr_rep_reached {
    sgr_rep_class cls;
    const char *target;
    const char *target_id;
    const char *kind;
    const char *ports;
    const char *verdict;
} sgr_rep_reached;

enum { SGR_REP_N_CLASSES = SGR_REP_OTHER + 1 };

/* The rows a service's blast entry keeps: the rest are counted (by_class)
 * and listed by `sgreach blast --from SERVICE --format csv`. */
enum { SGR_REP_BLAST_TOP = 10 };

/* What a compromised task of one service reaches (one hop), sensitive targets first. */
typedef struct sgr_rep_blast {
    const char *service;        /* service name (or task definition family for standalone tasks) */
    const char *service_id;     /* ARN */
    const char *mode;           /* awsvpc, bridge, host, none */
    uint32_t n_tasks;
    uint32_t n_targets;         /* every row: targets reached (another service's tasks on the same ports: one) */
    uint32_t by_class[SGR_REP_N_CLASSES]; /* rows per class */
    sgr_rep_reached *reached;   /* the first SGR_REP_BLAST_TOP rows at most, sensitive targets first */
    uint32_t n_reached;
} sgr_rep_blast;

typedef enum sgr_rep_node_kind {
    SGR_NODE_INTERNET,
    SGR_NODE_LB,
    SGR_NODE_SERVICE,           /* tasks of one ECS service, grouped */
    SGR_NODE_DB,
    SGR_NODE_INSTANCE,
    SGR_NODE_ENI
} sgr_rep_node_kind;

/* "internet", "lb", "service", "db", "instance", "eni" (the report's JSON). */
const char *sgr_rep_node_kind_name(sgr_rep_node_kind k);

typedef enum sgr_rep_how {
    SGR_REP_HOW_PUBLIC,             /* a public address on the interface */
    SGR_REP_HOW_ALB,                /* through an ALB or classic ELB (a proxy) */
    SGR_REP_HOW_NLB,                /* through an NLB (transparent) */
    SGR_REP_HOW_GROUP,              /* an ingress rule naming a group of the source */
    SGR_REP_HOW_CIDR,               /* an ingress rule naming an address range */
    SGR_REP_HOW_BRIDGE              /* the docker bridge on one host (no group applies) */
} sgr_rep_how;

const char *sgr_rep_how_name(sgr_rep_how h);
/* The colour of the edges opened this way ("#c0392b"), in every picture and legend. */
const char *sgr_rep_how_color(sgr_rep_how h);

typedef struct sgr_rep_node {
    const char *key;            /* generated, never from input: "n0", "n1", … */
    const char *label;          /* from input: escaped by every writer */
    const char *detail;         /* second line ("3 tasks, awsvpc"), may be NULL */
    sgr_rep_node_kind kind;
} sgr_rep_node;

typedef struct sgr_rep_edge {
    uint32_t from, to;          /* node indices */
    const char *ports;
    sgr_rep_how how;
    bool unknown;               /* the verdict depends on missing data */
} sgr_rep_edge;

typedef struct sgr_rep_graph {
    const char *vpc;            /* VPC id; the graph's title */
    const char *label;          /* "vpc-1 (prod)" */
    sgr_rep_node *nodes;
    uint32_t n_nodes, cap_nodes;
    sgr_rep_edge *edges;        /* sorted by (from label, to label) */
    uint32_t n_edges, cap_edges;
    uint32_t n_endpoints;       /* endpoints in its scope (the internet aside) */
    uint32_t max_endpoints;     /* beyond, no picture is drawn (0: no cap) */
    uint32_t n_edges_undrawn;   /* edges of a picture not drawn for having more than max_edges */
    uint32_t max_edges;
} sgr_rep_graph;

/* A security group cited by the report, with its names. */
typedef struct sgr_rep_group_name {
    const char *id;
    const char *name;           /* GroupName, or NULL */
    const char *name_tag;       /* the Name tag when it differs from GroupName, or NULL */
} sgr_rep_group_name;

typedef struct sgr_report {
    const char *title;
    const char *generated;      /* from SOURCE_DATE_EPOCH, else NULL (no timestamp) */
    const char **inputs;        /* the snapshot paths as given */
    uint32_t n_inputs;
    sgr_rep_count *estate;
    uint32_t n_estate;
    sgr_rep_exposure *exposure;
    uint32_t n_exposure;
    sgr_rep_blast *blast;
    uint32_t n_blast;
    sgr_findings findings;
    sgr_rep_graph *graphs;      /* one per VPC, sorted by VPC id */
    uint32_t n_graphs;
    uint32_t n_vpcs;            /* VPCs in the snapshot: those without a graph are in the notes */
    const char **notes;         /* what the report could not decide (warnings), sorted */
    uint32_t n_notes;
    sgr_rep_group_name *groups; /* every group a deciding rule cites, sorted by id */
    uint32_t n_groups;
} sgr_report;

typedef struct sgr_graph sgr_graph;
typedef struct sgr_endpoint sgr_endpoint;

/* Told how far a long build is: the phase, done of total (0: no count). */
typedef void (*sgr_progress_fn)(void *ctx, const char *phase, uint32_t done, uint32_t total);

typedef struct sgr_report_options {
    const char *title;          /* NULL: "sgreach report" */
    sgr_progress_fn progress;   /* NULL: nobody asks */
    void *progress_ctx;
} sgr_report_options;

/* Builds the report from a snapshot and the graph built from it. inputs are
 * the snapshot paths as given (shown, never opened); opts may be NULL.
 * Never fails. */
void sgr_report_build(const sgr_snapshot *snap, sgr_graph *g, sgr_arena *a, const char *const *inputs,
                      uint32_t n_inputs, const sgr_report_options *opts, sgr_report *out);

/* One graph of the whole estate (every VPC, one internet node). With focus
 * (n_focus > 0), only the nodes of those endpoints and their neighbours. */
void sgr_report_estate_graph(const sgr_snapshot *snap, sgr_graph *g, sgr_arena *a,
                             const sgr_endpoint *const *focus, uint32_t n_focus, sgr_rep_graph *out);

/* The selector of a blast entry's tasks for `sgreach blast --from` (the
 * service's ARN), or NULL (standalone tasks of one family). */
const char *sgr_rep_blast_selector(const sgr_rep_blast *b);

/* The names of group `id` as the report shows them beside its id ("web",
 * "web, Name tag: Web servers"), or NULL when it has none or is not a group. */
const char *sgr_rep_group_names(const sgr_report *r, const char *id, char *buf, size_t size);

/* The next group id ("sg-" and hex digits, a whole word) in text at or after
 * *pos: its start, its length in *len, *pos moved past it; NULL when none. */
const char *sgr_rep_next_group_id(const char *text, size_t *pos, size_t *len);

/* Writes id through esc, then " (NAMES)" when it is a group with names. */
void sgr_rep_id_with_names(FILE *out, const sgr_report *r, const char *id, void (*esc)(FILE *, const char *));

/* Writes text through esc, then the names of the groups it names by id, as
 * " (groups: sg-1 web, sg-2 db)": a finding's title cites groups by id. */
void sgr_rep_text_with_groups(FILE *out, const sgr_report *r, const char *text, void (*esc)(FILE *, const char *));

/* Writers. Each returns 0, or -1 on a write error. */
int sgr_report_md(const sgr_report *r, FILE *out);
int sgr_report_json(const sgr_report *r, FILE *out);
/* html: svgs[i] is graph i rendered (inline <svg>…</svg>) or NULL; svg_error says
 * why there is no picture (e.g. "Graphviz `dot` not found"). */
int sgr_report_html(const sgr_report *r, const char *const *svgs, const char *svg_error, FILE *out);

/* Pictures: DOT and Mermaid of one graph. */
void sgr_graph_dot(const sgr_rep_graph *g, FILE *out);
/* The DOT as one malloc'd string (the caller frees), its length in *len. */
char *sgr_graph_dot_string(const sgr_rep_graph *g, size_t *len);
void sgr_graph_mermaid(const sgr_rep_graph *g, FILE *out);

/* "dump.json:12" or "dump.json" or "" (arena string). */
const char *sgr_rep_where(sgr_arena *a, const char *file, uint32_t line);

#endif
