/*
 * Batfish's collector shapes (corpus/batfish-aws/README.md): load-balancer
 * wrappers, transit-gateway tables, RDS DBInstances; and the plain AWS CLI
 * outputs of the same form (a top-level array of objects) that name
 * interfaces, CacheClusters and Functions (import_services.c). Plain AWS CLI
 * shapes under the same keys are handled by import_ec2.c / import_elb.c.
 */
#include <stdio.h>
#include <string.h>

#include "load/import.h"
#include "load/import_elb.h"

#define PATH_LEN 512

static sgr_tgw_route_table *tgw_table(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_tgw_route_table *t = SGR_IMPORT_OBJECT(ctx, o, path, "TransitGatewayRouteTableId", SGR_KIND_TGW_ROUTE_TABLE, sgr_tgw_route_table, NULL);
    if (!t)
        return NULL;
    sgr_json_set_str(ctx, o, "TransitGatewayId", path, &t->tgw_id);
    return t;
}

/* A static route the dump holds but that could not be read: the route it would
 * have been may be the most specific one, so the table decides nothing. */
static void routes_unreadable(sgr_import_ctx *ctx, sgr_tgw_route_table *t, const json_t *v, const char *path)
{
    if (!t->routes_unknown_why)
        t->routes_unknown_why = sgr_import_why(ctx, v, path, "a static route of %s could not be read", t->id);
}

static void static_routes(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_tgw_route_table *t = tgw_table(ctx, o, path);
    if (!t)
        return;
    char p[PATH_LEN];
    const json_t *routes;
    if (!sgr_json_list_field(ctx, o, "Routes", path, &routes)) {
        sgr_pathf(p, sizeof p, "%s.Routes", path);
        routes_unreadable(ctx, t, o, p);
        return;
    }
    size_t n = json_array_size(routes);
    if (!n)
        return;
    sgr_tgw_route *all = SGR_NEW_N(ctx->snap->arena, sgr_tgw_route, t->n_routes + n + 1);
    if (t->n_routes)
        memcpy(all, t->routes, t->n_routes * sizeof *all);
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(routes, i);
        sgr_pathf(p, sizeof p, "%s.Routes[%zu]", path, i);
        if (!json_is_object(r)) {
            sgr_import_warn(ctx, routes, p, "expected an object, found %s; route unread", sgr_json_kind(r));
            routes_unreadable(ctx, t, routes, p);
            continue;
        }
        sgr_tgw_route tr = {0};
        if (!sgr_json_prefix(ctx, r, "DestinationCidrBlock", p, &tr.dest)) {
            /* a prefix-list destination (PrefixListId) is not modelled either */
            if (!json_object_get(r, "DestinationCidrBlock"))
                sgr_import_warn(ctx, r, p, "no DestinationCidrBlock; route unread");
            routes_unreadable(ctx, t, r, p);
            continue;
        }
        const char *state = NULL;
        bool ok = sgr_json_str_read(ctx, r, "State", p, &state);
        tr.blackhole = state && strcmp(state, "blackhole") == 0;
        const json_t *atts;
        if (!sgr_json_list_field(ctx, r, "TransitGatewayAttachments", p, &atts))
            ok = false;
        else if (json_array_size(atts)) {
            char ap[PATH_LEN];
            sgr_pathf(ap, sizeof ap, "%s.TransitGatewayAttachments[0]", p);
            const json_t *a0 = json_array_get(atts, 0);
            if (!json_is_object(a0)) {
                sgr_import_warn(ctx, atts, ap, "expected an object, found %s", sgr_json_kind(a0));
                ok = false;
            } else if (!sgr_json_str_read(ctx, a0, "TransitGatewayAttachmentId", ap, &tr.attachment_id))
                ok = false;
        }
        if (ok && !tr.blackhole && !tr.attachment_id) {
            /* active (or of no state) yet leading nowhere the dump names */
            sgr_import_warn(ctx, r, p, "neither a blackhole nor an attachment: where it sends traffic is unknown");
            ok = false;
        }
        tr.origin = sgr_import_origin(ctx, r, "%s", p);
        if (!ok)
            tr.unknown_why = sgr_import_why(ctx, r, p, "the static route to %s of %s could not all be read",
                                            sgr_prefix_str(ctx->snap->arena, &tr.dest), t->id);
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

/* "enable" 1, "disable" 0, absent keeps `old` (-1 when never given),
 * anything else -2: not readable, and it stays so whatever another
 * description of the object says, so the answer does not depend on the order
 * the files load in (the engine takes any value but 0 and 1 as "maybe"). */
#define OPTION_UNREADABLE (-2)
static int8_t option_flag(sgr_import_ctx *ctx, const json_t *o, const char *key, const char *path, int8_t old)
{
    char p[PATH_LEN];
    sgr_pathf(p, sizeof p, "%s.Options", path);
    const json_t *opts;
    const char *v = NULL;
    if (!sgr_json_object_field(ctx, o, "Options", path, &opts) || !sgr_json_str_read(ctx, opts, key, p, &v))
        return OPTION_UNREADABLE;
    if (old == OPTION_UNREADABLE || !v)
        return old;
    return strcmp(v, "enable") == 0 ? 1 : strcmp(v, "disable") == 0 ? 0 : OPTION_UNREADABLE;
}

static void transit_gateway(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_tgw *t = SGR_IMPORT_OBJECT(ctx, o, path, "TransitGatewayId", SGR_KIND_TGW, sgr_tgw, NULL);
    if (!t)
        return;
    sgr_json_set_str(ctx, o, "State", path, &t->state);
    sgr_json_set_str(ctx, o, "OwnerId", path, &t->owner);
    t->sg_referencing = option_flag(ctx, o, "SecurityGroupReferencingSupport", path, t->sg_referencing);
}

static void vpc_attachment(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_tgw_attachment *t = SGR_IMPORT_OBJECT(ctx, o, path, "TransitGatewayAttachmentId", SGR_KIND_TGW_ATTACHMENT, sgr_tgw_attachment, NULL);
    if (!t)
        return;
    /* each field places the attachment on a path: one unread leaves it damaged */
    bool ok = sgr_json_str_read(ctx, o, "TransitGatewayId", path, &t->tgw_id);
    t->sg_referencing = option_flag(ctx, o, "SecurityGroupReferencingSupport", path, t->sg_referencing);
    const char *vpc = NULL;
    if (!sgr_json_str_read(ctx, o, "VpcId", path, &vpc))
        ok = false;
    else if (vpc) {
        t->resource_id = vpc;
        t->resource_type = "vpc";
    }
    ok = sgr_json_str_read(ctx, o, "State", path, &t->state) && ok;
    if (json_object_get(o, "SubnetIds"))
        ok = sgr_json_strs_read(ctx, o, "SubnetIds", path, &t->subnet_ids) && ok;
    if (!ok && !t->damaged_why)
        t->damaged_why = sgr_import_why(ctx, o, path, "transit gateway attachment %s could not all be read", t->id);
}

static void db_instance(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_db *db = SGR_IMPORT_OBJECT(ctx, o, path, "DBInstanceIdentifier", SGR_KIND_DB, sgr_db, NULL);
    if (!db)
        return;
    sgr_json_set_str(ctx, o, "Engine", path, &db->engine);
    db->publicly_accessible = sgr_json_bool(ctx, o, "PubliclyAccessible", path, db->publicly_accessible);
    char p[PATH_LEN];
    bool ok;
    /* a database without a readable address or subnet group is placed
     * nowhere: its paths are unknown (engine), so a warning is enough here */
    const json_t *ep;
    (void)sgr_json_object_field(ctx, o, "Endpoint", path, &ep);
    if (ep) {
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
    const json_t *sg;
    (void)sgr_json_object_field(ctx, o, "DBSubnetGroup", path, &sg);
    if (sg) {
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
        const json_t *ls;
        (void)sgr_json_list_field(ctx, o, "Listeners", path, &ls);
        sgr_import_listeners(ctx, ls, p, json_string_value(json_object_get(o, "LoadBalancerArn")));
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

/* Each element of a transit gateway route table array is a table. */
static void tgw_table_element(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    (void)tgw_table(ctx, o, path);
}

/* The importer of one element of each array; the others' keys are wrappers
 * of load balancers' parts (lb_wrapper). */
static const struct {
    const char *key;
    sgr_element_importer fn;
} BATFISH[] = {
    {"TransitGatewayRouteTables", tgw_table_element},
    {"TransitGatewayStaticRoutes", static_routes},
    {"TransitGatewayPropagations", propagations},
    {"TransitGatewayVpcAttachments", vpc_attachment},
    {"DBInstances", db_instance},
    {"CacheClusters", sgr_import_cache_cluster},
    {"Functions", sgr_import_function},
    {"TransitGateways", transit_gateway},
};

void sgr_import_batfish(sgr_import_ctx *ctx, const char *key, json_t *value)
{
    char path[PATH_LEN];
    sgr_pathf(path, sizeof path, "$.%s", key);
    if (!sgr_json_expect_array(ctx, value, path))
        return;
    sgr_element_importer fn = NULL;
    for (size_t k = 0; k < sizeof BATFISH / sizeof BATFISH[0]; k++)
        if (!strcmp(BATFISH[k].key, key))
            fn = BATFISH[k].fn;
    for (size_t i = 0; i < json_array_size(value); i++) {
        const json_t *o = json_array_get(value, i);
        sgr_pathf(path, sizeof path, "$.%s[%zu]", key, i);
        if (fn)
            fn(ctx, o, path);
        else
            lb_wrapper(ctx, key, o, path);
    }
}
