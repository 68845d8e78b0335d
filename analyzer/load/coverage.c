/*
 * Coverage: what the snapshot read and what it could not (docs/coverage.md).
 *
 * scripts/collect-aws writes, beside each region's dumps, a manifest of every
 * call it made and how it ended ({"SgreachCollection": {...}}). Read here into
 * one sgr_coverage entry per (account, region, call). After the links, every
 * call that did not end well is warned with what it leaves unknown, and the
 * model records the unknowns the engine must honour: a load balancer whose
 * listeners were not read has unknown listeners, never none. Without a
 * manifest the same holds for load balancers described with no listener dump
 * in the snapshot at all.
 */
#include <stdlib.h>
#include <string.h>

#include "load/import.h"
#include "load/snapshot_int.h"

/* Tag of the "top-level key seen" set (sgr_snap_once), shared with snapshot.c. */
#define TAG_KEY_SEEN 30u

/* Every call the collector makes: what it describes and what its failure
 * leaves unknown. A call not listed here is recorded with neither. */
static const struct call_info {
    const char *call, *describes, *unknown;
} CALLS[] = {
    {"ec2 describe-regions", "the regions to collect (--all-regions)", "which regions exist: regions not collected are not in the snapshot"},
    {"ec2 describe-vpcs", "VPCs", "the region's VPCs (an address may belong to a VPC not described)"},
    {"ec2 describe-subnets", "subnets", "the region's subnets, hence their route tables and network ACLs"},
    {"ec2 describe-security-groups", "security groups and their rules", "rules of groups that describe-security-group-rules does not list either"},
    {"ec2 describe-security-group-rules", "security-group rules", "rules of groups that describe-security-groups does not list either"},
    {"ec2 describe-network-interfaces", "network interfaces (addresses, groups, owners)", "the region's interfaces: tasks, load-balancer nodes and endpoints without them"},
    {"ec2 describe-instances", "instances and their interfaces", "instances: container instances and instance targets"},
    {"ec2 describe-network-acls", "network ACLs", "the region's network ACLs: subnets without one are unknown"},
    {"ec2 describe-route-tables", "route tables", "the region's routes: subnets without a table are unknown"},
    {"ec2 describe-internet-gateways", "internet gateways", "internet gateways that routes name"},
    {"ec2 describe-nat-gateways", "NAT gateways", "NAT gateways that routes name"},
    {"ec2 describe-vpc-peering-connections", "VPC peering connections", "peerings that routes name"},
    {"ec2 describe-vpc-endpoints", "VPC endpoints", "endpoints that routes and interfaces name"},
    {"ec2 describe-vpc-endpoint-service-configurations", "endpoint services this account provides", "the provider side of PrivateLink services"},
    {"ec2 describe-vpc-endpoint-connections", "connections to this account's endpoint services", "which consumers an endpoint service accepts"},
    {"ec2 describe-managed-prefix-lists", "prefix lists", "prefix lists that rules and routes name"},
    {"ec2 get-managed-prefix-list-entries", "prefix-list entries", "the entries of prefix lists whose call failed"},
    {"ec2 describe-transit-gateways", "transit gateways", "transit gateways that routes name"},
    {"ec2 describe-transit-gateway-attachments", "transit-gateway attachments", "where transit gateways lead"},
    {"ec2 describe-transit-gateway-vpc-attachments", "transit-gateway VPC attachments", "which VPCs transit gateways reach"},
    {"ec2 describe-transit-gateway-route-tables", "transit-gateway route tables", "transit-gateway routes"},
    {"ec2 search-transit-gateway-routes", "transit-gateway routes", "routes of transit-gateway route tables whose call failed"},
    {"ecs list-clusters", "ECS clusters", "the region's tasks, services and container instances"},
    {"ecs list-services", "ECS services", "the services of clusters whose call failed"},
    {"ecs describe-services", "ECS services", "the services of clusters whose call failed"},
    {"ecs list-tasks", "ECS tasks", "the tasks of clusters whose call failed"},
    {"ecs describe-tasks", "ECS tasks", "the tasks of clusters whose call failed"},
    {"ecs list-container-instances", "ECS container instances", "the container instances of clusters whose call failed"},
    {"ecs describe-container-instances", "ECS container instances", "the container instances of clusters whose call failed"},
    {"ecs describe-task-definition", "task definitions (ports, network mode)", "the ports of tasks whose definition could not be read"},
    {"elbv2 describe-load-balancers", "load balancers", "the region's load balancers: their interfaces read as unowned"},
    {"elbv2 describe-listeners", "listeners of load balancers", "paths through the load balancers whose listeners could not be read"},
    {"elbv2 describe-target-groups", "target groups", "the targets behind the region's load balancers"},
    {"elbv2 describe-target-health", "registered targets", "the targets of groups whose call failed"},
    {"elbv2 describe-target-group-attributes", "target-group attributes (client IP preservation)", "client IP preservation: AWS's default is assumed"},
    {"elb describe-load-balancers", "classic load balancers", "the region's classic load balancers"},
    {"rds describe-db-instances", "databases", "which interfaces are databases (names only)"},
    {"elasticache describe-cache-clusters", "cache clusters", "which interfaces are caches (names only)"},
    {"lambda list-functions", "Lambda functions", "which interfaces are Lambda functions (names only)"},
};

static const struct call_info *call_info(const char *call)
{
    for (size_t i = 0; i < sizeof CALLS / sizeof CALLS[0]; i++)
        if (strcmp(CALLS[i].call, call) == 0)
            return &CALLS[i];
    return NULL;
}

static sgr_call_status parse_status(const char *s)
{
    if (!s)
        return SGR_CALL_FAILED;
    if (!strcmp(s, "ok"))
        return SGR_CALL_OK;
    if (!strcmp(s, "denied"))
        return SGR_CALL_DENIED;
    if (!strcmp(s, "throttled"))
        return SGR_CALL_THROTTLED;
    return SGR_CALL_FAILED;
}

const char *sgr_call_status_name(sgr_call_status st)
{
    switch (st) {
    case SGR_CALL_OK:
        return "ok";
    case SGR_CALL_DENIED:
        return "denied";
    case SGR_CALL_THROTTLED:
        return "throttled";
    case SGR_CALL_FAILED:
        return "failed";
    case SGR_CALL_ABSENT:
        return "absent";
    }
    return "failed";
}

/* The entry of (account, region, call), created on first use. */
static sgr_coverage *coverage_entry(sgr_snapshot *snap, const char *account, const char *region, const char *call)
{
    struct sgr_index *ix = snap->index;
    if (!ix->coverage_of)
        ix->coverage_of = sgr_strmap_new(snap->arena);
    const char *key = sgr_arena_printf(snap->arena, "%s|%s|%s", account ? account : "", region ? region : "", call);
    sgr_coverage *c = sgr_strmap_get(ix->coverage_of, 0, key);
    if (c)
        return c;
    c = SGR_NEW(snap->arena, sgr_coverage);
    memset(c, 0, sizeof *c);
    c->account = account;
    c->region = region;
    c->call = sgr_intern(snap, call);
    const struct call_info *info = call_info(call);
    c->describes = info ? info->describes : NULL;
    sgr_strmap_put(ix->coverage_of, 0, key, c);
    snap->coverage = sgr_arena_grow(snap->arena, snap->coverage, &snap->cap_coverage, snap->n_coverage + 1,
                                    sizeof *snap->coverage);
    snap->coverage[snap->n_coverage++] = c;
    return c;
}

static void add_target(sgr_snapshot *snap, sgr_coverage *c, const char *target)
{
    const char *owner = sgr_arena_printf(snap->arena, "coverage %p", (void *)c);
    c->failed_targets.items = sgr_snap_reserve(snap, TAG_KEY_SEEN, owner, c->failed_targets.items,
                                               c->failed_targets.count, 1, sizeof *c->failed_targets.items);
    c->failed_targets.items[c->failed_targets.count++] = target;
}

void sgr_import_manifest(sgr_import_ctx *ctx, json_t *value)
{
    if (!json_is_object(value)) {
        sgr_import_warn(ctx, value, "$.SgreachCollection", "expected an object; ignored");
        return;
    }
    const char *account = sgr_json_str(ctx, value, "Account", "$.SgreachCollection");
    const char *doc_region = sgr_json_str(ctx, value, "Region", "$.SgreachCollection");
    if (account && !*account)
        account = NULL;
    if (doc_region && !*doc_region)
        doc_region = NULL; /* the account's own calls (sts, describe-regions) */
    json_t *calls = json_object_get(value, "Calls");
    if (!sgr_json_expect_array(ctx, calls, "$.SgreachCollection.Calls"))
        return;
    if (!account)
        account = ctx->account;
    for (size_t i = 0; i < json_array_size(calls); i++) {
        json_t *e = json_array_get(calls, i);
        char path[96];
        sgr_pathf(path, sizeof path, "$.SgreachCollection.Calls[%zu]", i);
        if (!json_is_object(e)) {
            sgr_import_warn(ctx, e, path, "expected an object; ignored");
            continue;
        }
        const char *call = sgr_json_str(ctx, e, "Call", path);
        if (!call) {
            sgr_import_warn(ctx, e, path, "no Call; ignored");
            continue;
        }
        const char *region = sgr_json_str(ctx, e, "Region", path);
        if (!region || !*region)
            region = doc_region ? doc_region : ctx->region;
        const char *status_text = sgr_json_str(ctx, e, "Status", path);
        sgr_call_status st = parse_status(status_text);
        if (status_text && st == SGR_CALL_FAILED && strcmp(status_text, "failed") != 0)
            sgr_import_warn(ctx, e, path, "unknown Status \"%.40s\": taken as failed", status_text);
        sgr_coverage *c = coverage_entry(ctx->snap, account, region, call);
        if (!c->n_calls)
            c->origin = sgr_import_origin(ctx, e, "%s", path);
        c->n_calls++;
        if (st == SGR_CALL_OK)
            continue;
        if (!c->n_failed) {
            c->status = st;
            c->error = sgr_json_str(ctx, e, "Error", path);
            c->origin = sgr_import_origin(ctx, e, "%s", path);
        }
        c->n_failed++;
        const char *target = sgr_json_str(ctx, e, "Target", path);
        if (target)
            add_target(ctx->snap, c, target);
    }
}

void sgr_coverage_key_seen(sgr_snapshot *snap, const char *key)
{
    sgr_snap_once(snap, TAG_KEY_SEEN, key);
}

static bool key_seen(const sgr_snapshot *snap, const char *key)
{
    return sgr_strmap_get(snap->index->once, TAG_KEY_SEEN, key) != NULL;
}

/* The region of an ARN ("arn:aws:elasticloadbalancing:REGION:..."), in buf. */
static const char *arn_region(const char *arn, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!arn || strncmp(arn, "arn:", 4) != 0)
        return buf;
    const char *p = strchr(arn + 4, ':');
    p = p ? strchr(p + 1, ':') : NULL;
    const char *end = p ? strchr(p + 1, ':') : NULL;
    if (end && (size_t)(end - p - 1) < len) {
        memcpy(buf, p + 1, (size_t)(end - p - 1));
        buf[end - p - 1] = '\0';
    }
    return buf;
}

static bool in_strs(const sgr_strs *s, const char *x)
{
    for (uint32_t i = 0; i < s->count; i++)
        if (strcmp(s->items[i], x) == 0)
            return true;
    return false;
}

static bool has_listener(const sgr_snapshot *snap, const sgr_lb *lb)
{
    for (uint32_t i = 0; i < snap->n_listeners; i++)
        if (snap->listeners[i]->lb == lb)
            return true;
    return false;
}

/* Load balancers whose listeners a failed describe-listeners (or a failed
 * listing of the load balancers themselves) left unread. */
static void listeners_from_manifest(sgr_snapshot *snap, const sgr_coverage *c)
{
    bool per_lb = strcmp(c->call, "elbv2 describe-listeners") == 0;
    for (uint32_t i = 0; i < snap->n_lbs; i++) {
        sgr_lb *lb = snap->lbs[i];
        char region[64];
        if (lb->type == SGR_LB_CLASSIC || lb->listeners_unknown)
            continue;
        if (c->region && strcmp(arn_region(lb->arn, region, sizeof region), c->region) != 0)
            continue;
        if (per_lb && c->failed_targets.count && !in_strs(&c->failed_targets, lb->arn))
            continue;
        lb->listeners_unknown =
            sgr_arena_printf(snap->arena, "the listeners of %s were not read (%s %s in %s: %s)", lb->name ? lb->name : lb->arn,
                             c->call, sgr_call_status_name(c->status), c->region ? c->region : "the snapshot",
                             c->error ? c->error : "no error text");
    }
}

/* No manifest needed: load balancers from describe-load-balancers with no
 * listener anywhere and no listener dump in the snapshot. One coverage entry
 * (status absent) per region they are in. */
static void listeners_absent(sgr_snapshot *snap)
{
    if (key_seen(snap, "Listeners") || key_seen(snap, "LoadBalancerListeners"))
        return;
    const sgr_lb *first = NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < snap->n_lbs; i++) {
        sgr_lb *lb = snap->lbs[i];
        if (lb->type == SGR_LB_CLASSIC || lb->listeners_unknown || !lb->origin.path ||
            strncmp(lb->origin.path, "$.LoadBalancers[", 16) != 0 || has_listener(snap, lb))
            continue;
        lb->listeners_unknown = sgr_arena_printf(
            snap->arena, "the listeners of %s are not in the snapshot (no describe-listeners output)", lb->name ? lb->name : lb->arn);
        char region[64];
        arn_region(lb->arn, region, sizeof region);
        sgr_coverage *c = coverage_entry(snap, NULL, region[0] ? sgr_intern(snap, region) : NULL, "elbv2 describe-listeners");
        if (!c->n_failed)
            c->origin = lb->origin;
        if (c->status == SGR_CALL_OK)
            c->status = SGR_CALL_ABSENT;
        c->n_failed++;
        if (lb->arn)
            add_target(snap, c, lb->arn);
        if (!first)
            first = lb;
        n++;
    }
    if (first)
        sgr_snapshot_diag(snap, SGR_SEV_WARNING, first->origin.file, first->origin.line, 0, first->origin.path,
                          "%u load balancer%s described but no describe-listeners output is in the snapshot: paths "
                          "through %s are unknown",
                          n, n == 1 ? " is" : "s are", n == 1 ? "it" : "them");
}

static int cmp_str0(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int cmp_coverage(const void *pa, const void *pb)
{
    const sgr_coverage *a = *(const sgr_coverage *const *)pa, *b = *(const sgr_coverage *const *)pb;
    int k = cmp_str0(a->account, b->account);
    if (!k)
        k = cmp_str0(a->region, b->region);
    return k ? k : strcmp(a->call, b->call);
}

void sgr_coverage_resolve(sgr_snapshot *snap)
{
    for (uint32_t i = 0; i < snap->n_coverage; i++) {
        sgr_coverage *c = snap->coverage[i];
        if (c->status == SGR_CALL_OK)
            continue;
        const struct call_info *info = call_info(c->call);
        c->unknown = info ? info->unknown : "what this call describes";
        sgr_snapshot_diag(snap, SGR_SEV_WARNING, c->origin.file, c->origin.line, 0, c->origin.path,
                          "%s %s in %s (%u of %u call%s): %s; unknown: %s", c->call, sgr_call_status_name(c->status),
                          c->region ? c->region : "an unnamed region", c->n_failed, c->n_calls, c->n_calls == 1 ? "" : "s",
                          c->error ? c->error : "no error text", c->unknown);
        if (!strcmp(c->call, "elbv2 describe-listeners") || !strcmp(c->call, "elbv2 describe-load-balancers"))
            listeners_from_manifest(snap, c);
    }
    listeners_absent(snap);
    for (uint32_t i = 0; i < snap->n_coverage; i++) {
        sgr_coverage *c = snap->coverage[i];
        if (c->status == SGR_CALL_ABSENT && !c->unknown)
            c->unknown = call_info(c->call)->unknown;
    }
    if (snap->n_coverage > 1)
        qsort(snap->coverage, snap->n_coverage, sizeof *snap->coverage, cmp_coverage);
}
