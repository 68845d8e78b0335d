/*
 * Names for interfaces that AWS services own: ElastiCache cache clusters
 * (`aws elasticache describe-cache-clusters`, CacheClusters) and Lambda
 * functions (`aws lambda list-functions`, Functions). Neither output gives an
 * address (a cache node's endpoint is a DNS name; a function has no address
 * of its own), so they change no verdict: the selectors elasticache:ID and
 * lambda:NAME find the interfaces through them (docs/selectors.md). Each
 * takes one element of the document's array (import_batfish.c walks it).
 */
#include <stdio.h>
#include <string.h>

#include "load/import.h"

#define PATH_LEN 512

void sgr_import_cache_cluster(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_cache *c = SGR_IMPORT_OBJECT(ctx, o, path, "CacheClusterId", SGR_KIND_CACHE, sgr_cache, NULL);
    if (!c)
        return;
    sgr_json_set_str(ctx, o, "ReplicationGroupId", path, &c->replication_group_id);
    sgr_json_set_str(ctx, o, "Engine", path, &c->engine);
    /* informational: the interfaces carry the groups that filter the cache */
    if (json_object_get(o, "SecurityGroups"))
        (void)sgr_json_member_strs_read(ctx, o, "SecurityGroups", "SecurityGroupId", path, NULL, NULL, &c->group_ids);
}

void sgr_import_function(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_function *f = SGR_IMPORT_OBJECT(ctx, o, path, "FunctionName", SGR_KIND_FUNCTION, sgr_function, NULL);
    if (!f)
        return;
    sgr_json_set_str(ctx, o, "FunctionArn", path, &f->arn);
    const json_t *vc;
    char p[PATH_LEN];
    sgr_pathf(p, sizeof p, "%s.VpcConfig", path);
    /* absent or null: not attached to a VPC, no interface; of the wrong type:
     * warned, and the function's interfaces are found by their description only */
    if (!sgr_json_object_field(ctx, o, "VpcConfig", path, &vc) || !vc)
        return;
    sgr_json_set_str(ctx, vc, "VpcId", p, &f->vpc_id);
    sgr_json_set_strs(ctx, vc, "SubnetIds", p, &f->subnet_ids);
    sgr_json_set_strs(ctx, vc, "SecurityGroupIds", p, &f->group_ids);
}
