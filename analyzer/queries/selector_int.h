/*
 * Private to selector_*.c: the parsed form of a selector, and the helpers the
 * parser, the resolver and the suggester share. docs/selectors.md describes
 * every form and what it selects.
 */
#ifndef SGREACH_SELECTOR_INT_H
#define SGREACH_SELECTOR_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "graph/arena.h"
#include "sgreach/selector.h"

typedef enum sgr_sel_form {
    SGR_SEL_INTERNET,
    SGR_SEL_ADDR,     /* address or CIDR: prefix, host */
    SGR_SEL_ENI,      /* arg: eni-… */
    SGR_SEL_INSTANCE, /* arg: i-… */
    SGR_SEL_SG,       /* arg: sg-… */
    SGR_SEL_SUBNET,   /* arg: subnet-… */
    SGR_SEL_VPC,      /* arg: vpc-… */
    SGR_SEL_TASK,     /* arg: task id or ARN */
    SGR_SEL_SERVICE,  /* arg: name or ARN; arg2: cluster name or ARN, or NULL */
    SGR_SEL_LB,       /* arg: name or ARN */
    SGR_SEL_TG,       /* arg: target group ARN */
    SGR_SEL_DB,       /* arg: database identifier (db:, rds:) */
    SGR_SEL_CACHE,    /* arg: ElastiCache cache cluster or replication group id (elasticache:) */
    SGR_SEL_FUNCTION, /* arg: Lambda function name or ARN (lambda:) */
    SGR_SEL_ENDPOINT, /* arg: VPC endpoint service name, its last part(s), or vpce- id */
    SGR_SEL_PREFIX_LIST, /* arg: pl-… (its entries) */
    SGR_SEL_AWS,      /* arg: an AWS service (s3, dynamodb): its prefix lists' entries */
    SGR_SEL_TAG_EQ,   /* arg: key, arg2: value */
    SGR_SEL_TAG_RE,   /* arg: key, re */
    SGR_SEL_NAME_EQ,  /* arg: name */
    SGR_SEL_NAME_RE,  /* re */
    SGR_SEL_TF        /* arg: Terraform address */
} sgr_sel_form;

struct sgr_selector {
    const char *text;  /* as given */
    sgr_sel_form form;
    const char *arg;
    const char *arg2;
    sgr_prefix prefix; /* SGR_SEL_ADDR */
    bool host;         /* SGR_SEL_ADDR: a single address (no length, /32 or /128) */
    pcre2_code *re;    /* the *_RE forms; freed by sgr_selector_free */
};

/* Regex matching with the selector's limits. Returns 1 match, 0 no match,
 * -1 error (message in *err, allocated in a). NULL subject: no match. */
int sgr_sel_match(const sgr_selector *s, pcre2_match_data *md, pcre2_match_context *mc,
                  const char *subject, sgr_arena *a, const char **err);
pcre2_match_context *sgr_sel_match_context(void);

/* The "did you mean" text for a selector that matched nothing, or NULL when
 * nothing in the snapshot is close. Allocated in a. */
const char *sgr_sel_suggest(const sgr_selector *s, const sgr_snapshot *snap, sgr_arena *a);

/* Case-insensitive Levenshtein distance (strings longer than 256 bytes are
 * compared on their first 256). */
uint32_t sgr_sel_distance(const char *x, const char *y);

/* Cluster name from a cluster ARN ("arn:…:cluster/NAME" → NAME); the text itself otherwise. */
const char *sgr_sel_cluster_name(const char *cluster_arn);

#endif
