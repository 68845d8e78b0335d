/*
 * Batfish's collector shapes (corpus/batfish-aws/README.md): load-balancer
 * wrappers, transit-gateway tables, RDS DBInstances. Plain AWS CLI shapes
 * under the same keys are handled by import_ec2.c / import_elb.c.
 */
#include <stdio.h>
#include <string.h>

#include "load/import.h"
#include "load/import_elb.h"

#define PATH_LEN 512

static sgr_tgw_route_table *tgw_table(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    bool is_new;
    sgr_tgw_route_table *t = SGR_IMPORT_OBJECT(ctx, o, path, "TransitGatewayRouteTableId", SGR_KIND_TGW_ROUTE_TABLE, sgr_tgw_route_table, &is_new);
    if (!t)
        return NULL;
    sgr_json_set_str(ctx, o, "TransitGatewayId", path, &t->tgw_id);
    return t;
}

static void static_routes(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_tgw_route_table *t = tgw_table(ctx, o, path);
    const json_t *routes = json_object_get(o, "Routes");
    if (!t || !json_is_array(routes))
        return;
    size_t n = json_array_size(routes);
    sgr_tgw_route *all = SGR_NEW_N(ctx->snap->arena, sgr_tgw_route, t->n_routes + n + 1);
    if (t->n_routes)
        memcpy(all, t->routes, t->n_routes * sizeof *all);
    char p[PATH_LEN];
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(routes, i);
        sgr_pathf(p, sizeof p, "%s.Routes[%zu]", path, i);
        sgr_tgw_route tr = {0};
        if (!sgr_json_prefix(ctx, r, "DestinationCidrBlock", p, &tr.dest)) {
            if (!json_object_get(r, "DestinationCidrBlock"))
                sgr_import_warn(ctx, json_is_object(r) ? r : routes, p, "no DestinationCidrBlock; route skipped");
            continue;
        }
        const char *state = sgr_json_str(ctx, r, "State", p);
        tr.blackhole = state && strcmp(state, "blackhole") == 0;
        const json_t *atts = json_object_get(r, "TransitGatewayAttachments");
        if (json_array_size(atts))
            tr.attachment_id = sgr_json_str(ctx, json_array_get(atts, 0), "TransitGatewayAttachmentId", p);
        tr.origin = sgr_import_origin(ctx, r, "%s", p);
        all[t->n_routes++] = tr;
    }
    t->routes = all;
}

static void propagations(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_tgw_route_table *t = tgw_table(ctx, o, path);
    if (!t)
        return;
    static const char *const enabled[] = {"enabled", NULL};
    sgr_strs more;
    if (!sgr_json_member_strs_read(ctx, o, "TransitGatewayRouteTablePropagations", "TransitGatewayAttachmentId", path,
                                   "State", enabled, &more) && !t->propagations_unknown_why) {
        char p[PATH_LEN];
        sgr_pathf(p, sizeof p, "%s.TransitGatewayRouteTablePropagations", path);
        t->propagations_unknown_why = sgr_import_why(ctx, o, p, "the propagations of %s could not all be read", t->id);
    }
    sgr_strs_append(ctx->snap->arena, &t->propagated_attachments, more);
}

/* "enable" 1, "disable" 0, absent or anything else -1 (not known). */
static int8_t option_flag(sgr_import_ctx *ctx, const json_t *o, const char *key, const char *path, int8_t old)
{
    char p[PATH_LEN];
    sgr_pathf(p, sizeof p, "%s.Options", path);
    const char *v = sgr_json_str(ctx, json_object_get(o, "Options"), key, p);
    return !v ? old : strcmp(v, "enable") == 0 ? 1 : strcmp(v, "disable") == 0 ? 0 : -1;
}

static void transit_gateway(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    bool is_new;
    sgr_tgw *t = SGR_IMPORT_OBJECT(ctx, o, path, "TransitGatewayId", SGR_KIND_TGW, sgr_tgw, &is_new);
    if (!t)
        return;
    if (is_new)
        t->sg_referencing = -1;
    sgr_json_set_str(ctx, o, "State", path, &t->state);
    sgr_json_set_str(ctx, o, "OwnerId", path, &t->owner);
    t->sg_referencing = option_flag(ctx, o, "SecurityGroupReferencingSupport", path, t->sg_referencing);
}

static void vpc_attachment(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    bool is_new;
    sgr_tgw_attachment *t = SGR_IMPORT_OBJECT(ctx, o, path, "TransitGatewayAttachmentId", SGR_KIND_TGW_ATTACHMENT, sgr_tgw_attachment, &is_new);
    if (!t)
        return;
    if (is_new)
        t->sg_referencing = -1;
    const char *x;
    sgr_json_set_str(ctx, o, "TransitGatewayId", path, &t->tgw_id);
    t->sg_referencing = option_flag(ctx, o, "SecurityGroupReferencingSupport", path, t->sg_referencing);
    if ((x = sgr_json_str(ctx, o, "VpcId", path))) {
        t->resource_id = x;
        t->resource_type = "vpc";
    }
    sgr_json_set_str(ctx, o, "State", path, &t->state);
    if (json_object_get(o, "SubnetIds"))
        t->subnet_ids = sgr_json_strs(ctx, o, "SubnetIds", path);
}

static void db_instance(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    bool is_new;
    sgr_db *db = SGR_IMPORT_OBJECT(ctx, o, path, "DBInstanceIdentifier", SGR_KIND_DB, sgr_db, &is_new);
    if (!db)
        return;
    if (is_new) {
        db->port = -1;
    }
    sgr_json_set_str(ctx, o, "Engine", path, &db->engine);
    db->publicly_accessible = sgr_json_bool(ctx, o, "PubliclyAccessible", path, db->publicly_accessible);
    char p[PATH_LEN];
    bool ok;
    const json_t *ep = json_object_get(o, "Endpoint");
    if (json_is_object(ep)) {
        sgr_pathf(p, sizeof p, "%s.Endpoint", path);
        int64_t port = sgr_json_int(ctx, ep, "Port", p, 1, 65535, -1, &ok);
        if (port > 0)
            db->port = (int32_t)port;
        const char *addr = sgr_json_str(ctx, ep, "Address", p);
        sgr_ip ip;
        if (addr && sgr_parse_ip(addr, &ip))
            db->address = ip; /* usually a DNS name: then the address stays unknown */
    }
    if (db->port < 0) {
        int64_t port = sgr_json_int(ctx, o, "DbInstancePort", path, 0, 65535, -1, &ok);
        if (port > 0)
            db->port = (int32_t)port;
    }
    const json_t *sg = json_object_get(o, "DBSubnetGroup");
    if (json_is_object(sg)) {
        sgr_pathf(p, sizeof p, "%s.DBSubnetGroup", path);
        sgr_json_set_str(ctx, sg, "VpcId", p, &db->vpc_id);
        /* the subnets only place a database whose address is a DNS name */
        (void)sgr_json_member_strs_read(ctx, sg, "Subnets", "SubnetIdentifier", p, NULL, NULL, &db->subnet_ids);
    }
    static const char *const in_use[] = {"active", "adding", NULL};
    if (json_object_get(o, "VpcSecurityGroups") &&
        !sgr_json_member_strs_read(ctx, o, "VpcSecurityGroups", "VpcSecurityGroupId", path, "Status", in_use,
                                   &db->group_ids) && !db->groups_unknown_why) {
        sgr_pathf(p, sizeof p, "%s.VpcSecurityGroups", path);
        db->groups_unknown_why = sgr_import_why(ctx, o, p, "the security groups of database %s could not all be read", db->id);
    }
}

static void lb_wrapper(sgr_import_ctx *ctx, const char *key, const json_t *o, const char *path)
{
    char p[PATH_LEN];
    if (!strcmp(key, "LoadBalancerListeners")) {
        sgr_pathf(p, sizeof p, "%s.Listeners", path);
        sgr_import_listeners(ctx, json_object_get(o, "Listeners"), p,
                             json_string_value(json_object_get(o, "LoadBalancerArn")));
    } else if (!strcmp(key, "LoadBalancerTargetHealth")) {
        const char *tg = json_string_value(json_object_get(o, "TargetGroupArn"));
        if (!tg) {
            sgr_import_warn(ctx, json_is_object(o) ? o : ctx->doc, path, "no TargetGroupArn; skipped");
            return;
        }
        sgr_pathf(p, sizeof p, "%s.TargetHealthDescriptions", path);
        sgr_import_target_health(ctx, json_object_get(o, "TargetHealthDescriptions"), p, tg, o);
    }
    /* LoadBalancerAttributes: load-balancer attributes (cross-zone, logs, …)
     * do not change who reaches what; read and dropped. */
}

void sgr_import_batfish(sgr_import_ctx *ctx, const char *key, json_t *value)
{
    char path[PATH_LEN];
    sgr_pathf(path, sizeof path, "$.%s", key);
    if (!sgr_json_expect_array(ctx, value, path))
        return;
    for (size_t i = 0; i < json_array_size(value); i++) {
        const json_t *o = json_array_get(value, i);
        sgr_pathf(path, sizeof path, "$.%s[%zu]", key, i);
        if (!strcmp(key, "TransitGatewayRouteTables"))
            tgw_table(ctx, o, path);
        else if (!strcmp(key, "TransitGatewayStaticRoutes"))
            static_routes(ctx, o, path);
        else if (!strcmp(key, "TransitGatewayPropagations"))
            propagations(ctx, o, path);
        else if (!strcmp(key, "TransitGatewayVpcAttachments"))
            vpc_attachment(ctx, o, path);
        else if (!strcmp(key, "DBInstances"))
            db_instance(ctx, o, path);
        else if (!strcmp(key, "TransitGateways"))
            transit_gateway(ctx, o, path);
        else
            lb_wrapper(ctx, key, o, path);
    }
}
