/*
 * `sgreach check`: the result of evaluating a policy, and its writers.
 *
 * Flow: policy.c parses the policy → check_eval.c evaluates every entry on the
 * graph into violations (one per entry, source, destination and protocol,
 * endpoints named by their stable identity, see endpoint_key.h) → check_finish.c
 * sorts them, fingerprints them, and applies the waivers and the baseline that
 * accept some → output/check_output.c (text, JSON) and output/check_sarif.c
 * (SARIF 2.1.0, JUnit XML) write them.
 *
 * Memory: a result and everything it points to live in one arena.
 */
#ifndef SGREACH_CHECK_H
#define SGREACH_CHECK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "graph/arena.h"
#include "queries/findings.h"
#include "queries/policy.h"
#include "graph/portspace.h"
#include "sgreach/query.h"

/* One concrete endpoint pair behind a violation. */
typedef struct sgr_check_pair {
    const char *from, *to;          /* endpoint ids */
    const char *from_name, *to_name;
    const char *verdict;            /* "reachable", "unknown", "unreachable" */
} sgr_check_pair;

typedef enum sgr_baseline_state { SGR_BASELINE_NONE, SGR_BASELINE_NEW, SGR_BASELINE_KNOWN } sgr_baseline_state;

typedef struct sgr_violation {
    const sgr_policy_entry *entry;
    const char *from, *to;          /* stable identity ("service:prod/payment", "eni-…", "internet") */
    const char *from_name, *to_name; /* for people, may equal from/to */
    int32_t protocol;               /* -1 = every protocol */
    const char *protocol_name;      /* "tcp", "udp", "icmp", "all", "47" */
    const char *ports;              /* of that protocol: "5432,8080-8090", "all" */
    sgr_portset portset;            /* the same ports as a set */
    const char *verdict;            /* forbid: "reachable" | "unknown"; require: "unreachable" | "unknown" */
    bool possible;                  /* verdict unknown: a possible violation */
    sgr_check_pair *pairs;          /* sorted */
    uint32_t n_pairs;
    /* the representative question's answer (first pair, lowest port) */
    int32_t sample_protocol, sample_port;
    const sgr_hop *path;
    uint32_t n_path;
    const sgr_rule_ref *rules;      /* forbid: the rules that open the path */
    uint32_t n_rules;
    const sgr_block *blocks;        /* require: what blocks it */
    uint32_t n_blocks;
    const char *const *missing;     /* unknown: what the decision needed */
    uint32_t n_missing;
    /* where SARIF points: the deciding rule's file and line, else the policy entry */
    const char *loc_file;
    uint32_t loc_line;
    const char *loc_tf_address;     /* the deciding rule's Terraform address ("aws_security_group.db ingress[0]"), or NULL */
    /* acceptance */
    bool waived;
    const char *waiver_reason;
    const char *waiver_expired;     /* a waiver matched but expired on this date */
    sgr_baseline_state baseline;
    const char *fingerprint;        /* stable: entry, from, to, protocol */
} sgr_violation;

/* A built-in finding taken into the gate (`check --findings`). */
typedef struct sgr_check_finding {
    const sgr_finding *f;
    bool waived;
    const char *waiver_reason;
    const char *waiver_expired;     /* a waiver matched but expired on this date */
    sgr_baseline_state baseline;
    const char *fingerprint;        /* stable: a hash of the finding's id */
} sgr_check_finding;

/* --fail-on absent: findings are reported and never fail the gate. */
#define SGR_FAIL_ON_NONE (-1)

typedef struct sgr_check_result {
    const sgr_policy *policy;       /* never NULL; no entries when `check --findings` runs without a policy */
    sgr_violation *v;
    uint32_t n;
    bool allow_unknown;
    const char *baseline_file;      /* NULL: no baseline */
    /* built-in findings (check --findings); with_findings false: none asked */
    bool with_findings;
    sgr_check_finding *findings;    /* sorted as sgr_findings_run sorts: severity, then id */
    uint32_t n_findings;
    int fail_on;                    /* an sgr_fsev: findings this severe or more fail; SGR_FAIL_ON_NONE */
    /* where SARIF and Code Quality locations are relative to: an absolute
     * directory (the repository root); NULL = the working directory */
    const char *source_root;
    bool color;                     /* text: ANSI colours (a terminal without NO_COLOR) */
} sgr_check_result;

typedef struct sgr_check_options {
    bool allow_unknown;         /* an unknown verdict does not fail a forbid entry */
    bool quiet;                 /* no warnings on stderr */
} sgr_check_options;

/* Evaluates every entry of the policy on the graph into *out (check_eval.c),
 * applies the waivers and sorts. Returns 0, or 2 with *err set (a selector
 * that is invalid or matches nothing: "FILE: $.forbid[0].to (line N): …"). */
int sgr_check_evaluate(sgr_graph *g, const sgr_snapshot *snap, const sgr_policy *p,
                       const sgr_check_options *o, sgr_arena *a, sgr_check_result *out, const char **err);

/* Sorts violations (entry order, from, to, protocol) and computes fingerprints. */
void sgr_check_finish(sgr_arena *a, sgr_check_result *r);

/* The stable identity of a violation (16 hex digits): a hash of the entry
 * name, the endpoints' stable identities and the protocol, not of the ports,
 * so that widening a known opening stays the same finding. Shared by SARIF's
 * partialFingerprints and the baseline. */
const char *sgr_violation_key(sgr_arena *a, const char *entry, const char *from, const char *to,
                              const char *protocol);

/* The violations of entry e are r->v[*lo .. *hi) (after sgr_check_finish, which sorts them by entry). */
void sgr_check_entry_span(const sgr_check_result *r, uint32_t e, uint32_t *lo, uint32_t *hi);

/* A violation fails the gate unless waived or known in the baseline. */
bool sgr_violation_fails(const sgr_violation *v);
/* A finding fails when --fail-on reaches its severity, unless waived or known. */
bool sgr_check_finding_fails(const sgr_check_result *r, const sgr_check_finding *cf);
/* Failing violations plus failing findings: the gate fails when this is not 0. */
uint32_t sgr_check_failures(const sgr_check_result *r);

/* Takes the findings into the result (check_finish.c): fingerprints, and
 * the policy's waivers that name a finding's check ("open-admin-port") or
 * its id ("open-admin-port:sg-1:ingress#2"). */
void sgr_check_add_findings(sgr_check_result *r, const sgr_findings *fs, sgr_arena *a);

/* The SARIF rule id of a finding's check: "finding/open-admin-port" (a
 * prefix, so that no policy entry can share it). */
const char *sgr_check_finding_rule(sgr_arena *a, const char *check);

/* Where a finding points: its first rule with a file, else NULL. */
const sgr_origin *sgr_check_finding_origin(const sgr_finding *f);

/* Marks every violation and finding new or known from an earlier `check --format json`
 * output. Returns false with *err (located, arena) when it cannot be read. */
bool sgr_check_apply_baseline(sgr_arena *a, sgr_check_result *r, const char *file, const char **err);

/* What a waiver covers, its selectors resolved to endpoint ids (concrete ids
 * and stable identities both count). any_from/any_to: the waiver names no
 * selector on that side. */
typedef struct sgr_waiver_scope {
    const sgr_waiver *w;
    bool any_from, any_to;
    const char **from_ids, **to_ids;
    uint32_t n_from, n_to;
} sgr_waiver_scope;

/* Marks waived every violation that some unexpired waiver of its entry covers
 * entirely (every pair's source and destination, every port); records the
 * expiry date on violations that only an expired waiver covers. */
void sgr_check_apply_waivers(sgr_check_result *r, const sgr_waiver_scope *s, uint32_t n);

void sgr_check_write_text(FILE *out, const sgr_check_result *r, sgr_arena *a);
void sgr_check_write_json(FILE *out, const sgr_check_result *r, sgr_arena *a);
void sgr_check_write_sarif(FILE *out, const sgr_check_result *r, sgr_arena *a);
void sgr_check_write_junit(FILE *out, const sgr_check_result *r, sgr_arena *a);
/* GitLab's Code Quality report (a JSON array of issues), check_codequality.c. */
void sgr_check_write_codequality(FILE *out, const sgr_check_result *r, sgr_arena *a);

/* A location's file relative to r->source_root (or the working directory):
 * "snapshot/sgs.json"; NULL when it lies outside the root. Existing files
 * are compared by their real paths, so "../x" and symbolic links work. */
const char *sgr_check_relative_path(sgr_arena *a, const sgr_check_result *r, const char *path);

#endif
