/*
 * Selectors (SPEC section 3): `internet`; an address or CIDR; an AWS id
 * (eni-, i-, sg- = every interface carrying the group, subnet-, vpc-); an ARN
 * (task, service, load balancer, target group); task:ID; service:NAME or
 * service:CLUSTER/NAME; lb:NAME; tag:KEY=VALUE; tag:KEY~REGEX; name~REGEX
 * (PCRE2); tf:ADDRESS.
 *
 * A selector resolves against the model (not the graph) to the objects it
 * names; the engine turns them into endpoints. Everything is allocated in the
 * arena given; regexes are compiled once per parse.
 */
#ifndef SGREACH_SELECTOR_H
#define SGREACH_SELECTOR_H

#include "sgreach/model.h"

typedef struct sgr_selector sgr_selector;

/* Parses `text`. On a syntax error (bad regex, bad CIDR, unknown prefix)
 * returns NULL and sets *err (arena string, err may be NULL): what is wrong,
 * without the selector's text, which the caller prints ("selector 'X': …"). */
sgr_selector *sgr_selector_parse(sgr_arena *a, const char *text, const char **err);

/* Frees the compiled regexes (the rest lives in the arena). */
void sgr_selector_free(sgr_selector *s);

typedef struct sgr_selection {
    bool internet;
    /* aws:SERVICE without the service's public ranges in the snapshot: the
     * internet stands for them (`internet` is set); `can` asks for every
     * public address (sgr_graph_aws_public_endpoint), other commands for any */
    const char *aws_service;
    /* the things selected are alternative ways to one destination (aws:SERVICE:
     * its endpoints' interfaces and its public addresses): reaching any of
     * them reaches it (a policy's require holds when one is reached) */
    bool alternatives;
    sgr_prefix *cidrs;          /* addresses/CIDRs that name no interface of the estate */
    uint32_t n_cidrs;
    sgr_eni **enis;             /* interfaces that are not a task's or an LB's */
    uint32_t n_enis;
    sgr_task **tasks;
    uint32_t n_tasks;
    sgr_lb **lbs;
    uint32_t n_lbs;
    sgr_db **dbs;
    uint32_t n_dbs;
    const char *error;          /* non-NULL: resolving failed (a regex hit its match
                                 * limit); resolve then returns 0. An input error, exit 2. */
} sgr_selection;

/* Resolves against the snapshot. Returns the number of things selected; 0 means
 * the selector matches nothing (or out->error is set), and then *suggest (arena
 * string, may be NULL) holds the closest names ("did you mean: lb:web-alb,
 * lb:web-nlb") or says why a named object selects nothing ("service api has no
 * tasks in the snapshot"). Every array is sorted by id and free of duplicates.
 * Interfaces owned by a task or a load balancer are returned as that task or LB. */
uint32_t sgr_selector_resolve(const sgr_selector *s, const sgr_snapshot *snap, sgr_arena *a,
                              sgr_selection *out, const char **suggest);

/* The selector's text as given. */
const char *sgr_selector_text(const sgr_selector *s);

#endif
