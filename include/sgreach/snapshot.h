/*
 * Loading a snapshot: any mix of files and directories of AWS CLI output
 * (and, later, Terraform JSON), merged into one sgr_snapshot.
 *
 * Every pointer reachable from the returned snapshot is valid until
 * sgr_snapshot_free(). Out of memory is fatal (message, exit 4): callers never
 * see a NULL from an allocation.
 */
#ifndef SGREACH_SNAPSHOT_H
#define SGREACH_SNAPSHOT_H

#include "sgreach/model.h"

typedef enum sgr_kind {
    SGR_KIND_VPC,
    SGR_KIND_SUBNET,
    SGR_KIND_ROUTE_TABLE,
    SGR_KIND_IGW,
    SGR_KIND_NAT,
    SGR_KIND_PEERING,
    SGR_KIND_NACL,
    SGR_KIND_PREFIX_LIST,
    SGR_KIND_SG,
    SGR_KIND_ENI,
    SGR_KIND_INSTANCE,
    SGR_KIND_VPC_ENDPOINT,
    SGR_KIND_TGW_ATTACHMENT,
    SGR_KIND_TGW_ROUTE_TABLE,
    SGR_KIND_TGW,
    SGR_KIND_DB,
    SGR_KIND_TASK_DEF,
    SGR_KIND_TASK,
    SGR_KIND_CONTAINER_INSTANCE,
    SGR_KIND_SERVICE,
    SGR_KIND_LB,            /* keyed by ARN, and by "name:NAME" */
    SGR_KIND_TARGET_GROUP,
    SGR_KIND_LISTENER,
    SGR_KIND_ENDPOINT_SERVICE,  /* keyed by ServiceId, and by "name:SERVICENAME" */
    SGR_KIND_ENDPOINT_CONNECTION, /* keyed "SERVICE_ID|VPCE_ID" */
    SGR_KIND_CACHE,         /* ElastiCache CacheClusterId */
    SGR_KIND_FUNCTION,      /* Lambda FunctionName */
    SGR_KIND_COUNT
} sgr_kind;

typedef struct sgr_load_options {
    int32_t ephemeral_from, ephemeral_to; /* client ephemeral ports, default 1024-65535 */
    bool quiet;
    bool split_all; /* split every document that can be split, however small (for tests) */
} sgr_load_options;

/* Result of a load. SGR_LOAD_ERROR: a fatal input error (malformed JSON, an
 * unreadable path, no JSON at all); its diagnostics are in the snapshot. */
typedef enum sgr_load_status { SGR_LOAD_OK = 0, SGR_LOAD_ERROR = 2 } sgr_load_status;

/* A path of "-" is one dump read from standard input (`aws ec2
 * describe-security-groups | sgreach summary -`); diagnostics name it "-". */
#define SGR_STDIN_PATH "-"

/* Reads every path (file or directory; every *.json below a directory, or
 * SGR_STDIN_PATH), merges them, resolves links. Always returns a snapshot (possibly partial) in *out,
 * which the caller frees with sgr_snapshot_free(). */
sgr_load_status sgr_snapshot_load(const char *const *paths, size_t n_paths,
                                  const sgr_load_options *opts, sgr_snapshot **out);

void sgr_snapshot_free(sgr_snapshot *snap);

/* Looks an object up by kind and id (ARN for ECS/ELBv2 objects). NULL if absent. */
void *sgr_snapshot_find(const sgr_snapshot *snap, sgr_kind kind, const char *id);

/* Number of objects of a kind in the snapshot. */
uint32_t sgr_snapshot_count(const sgr_snapshot *snap, sgr_kind kind);

/* Name of a kind as used in JSON output: "vpcs", "network_interfaces", … */
const char *sgr_kind_name(sgr_kind kind);

/* A collection call's status as the manifest and outputs spell it: "ok",
 * "denied", "throttled", "failed", "absent" (docs/coverage.md). */
const char *sgr_call_status_name(sgr_call_status status);

#endif
