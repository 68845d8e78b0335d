/*
 * Findings: what an auditor should fix, computed from the model alone (no graph).
 *
 * Each finding names a check from the catalogue (sgr_findings_catalogue()), a
 * severity, the resources involved, the deciding rules with their origin
 * (file:line in the dump) and one sentence saying how to fix it. Every string
 * and array of a finding lives in the arena given to sgr_findings_run(); the
 * strings may point into the snapshot (so the snapshot must outlive them).
 *
 * Output is deterministic: findings are sorted by severity (critical first),
 * then by id; ids are stable for the same input ("open-admin-port:sg-1:ingress#2").
 */
#ifndef SGREACH_FINDINGS_H
#define SGREACH_FINDINGS_H

#include "graph/arena.h"
#include "sgreach/model.h"

typedef enum sgr_fsev {
    SGR_FSEV_CRITICAL,
    SGR_FSEV_HIGH,
    SGR_FSEV_MEDIUM,
    SGR_FSEV_LOW,
    SGR_FSEV_INFO
} sgr_fsev;

/* "critical", "high", "medium", "low", "info". */
const char *sgr_fsev_name(sgr_fsev s);

/* A deciding rule: an SG rule, a task definition's networkMode, a service's
 * awsvpcConfiguration, a subnet's AvailableIpAddressCount, … */
typedef struct sgr_frule {
    const char *component;      /* sg-…, service ARN, subnet-…, task definition ARN */
    const char *text;           /* "ingress tcp/22 from 0.0.0.0/0" */
    sgr_origin origin;
} sgr_frule;

typedef struct sgr_finding {
    const char *id;             /* check ":" discriminator; unique within a run */
    const char *check;          /* catalogue code, e.g. "open-admin-port" */
    sgr_fsev severity;
    const char *title;          /* one sentence: what is wrong, with the resources named */
    const char **resources;     /* ids (or ARNs) of the resources involved */
    uint32_t n_resources, cap_resources;
    sgr_frule *rules;
    uint32_t n_rules, cap_rules;
    const char *fix;            /* one sentence */
} sgr_finding;

typedef struct sgr_findings {
    sgr_finding *items;         /* sorted: severity, then id */
    uint32_t count, cap;
} sgr_findings;

/* One entry of the catalogue, for docs and the report's legend. */
typedef struct sgr_fcheck {
    const char *code;
    sgr_fsev severity;          /* the usual severity; a finding may raise or lower it */
    const char *name;           /* short title */
    const char *rationale;      /* why it matters */
    const char *source;         /* where the fact comes from */
} sgr_fcheck;

/* The catalogue, in a fixed order. */
const sgr_fcheck *sgr_findings_catalogue(uint32_t *n);

/* Runs every check over the snapshot. Never fails (out of memory exits). */
void sgr_findings_run(const sgr_snapshot *snap, sgr_arena *a, sgr_findings *out);

/* Counts per severity (array of 5, indexed by sgr_fsev). */
void sgr_findings_count(const sgr_findings *f, uint32_t counts[5]);

/* "tcp/22", "tcp/1024-65535", "all", "icmp type 8", "proto 50" for an SG rule. */
const char *sgr_frule_ports(sgr_arena *a, const sgr_sg_rule *r);
/* "ingress tcp/22 from 0.0.0.0/0" / "egress all to sg-1" (with the description). */
const char *sgr_frule_text(sgr_arena *a, const sgr_sg_rule *r);
/* Prefix text without libcidr ("10.0.0.0/16", "::/0"). */
const char *sgr_fprefix(sgr_arena *a, const sgr_prefix *p);

#endif
