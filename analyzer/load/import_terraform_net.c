/*
 * Terraform network resources → model: VPCs, subnets, gateways, route tables,
 * routes and their associations, network ACLs and their rules, peerings; and
 * AWS's defaults for a VPC known only from Terraform (default network ACL that
 * allows all, main route table with only the local route, default group),
 * which the answer reports as assumed.
 */
#include <stdint.h>
#include <string.h>

#include "load/import_terraform.h"

static void add_prefix(sgr_tf *tf, sgr_prefix **arr, uint32_t *n, const char *text)
{
    sgr_prefix p;
    if (!text || !sgr_parse_prefix(text, &p))
        return;
    for (uint32_t i = 0; i < *n; i++)
        if (!memcmp(&(*arr)[i], &p, sizeof p))
            return;
    uint32_t cap = *n;
    *arr = sgr_arena_grow(tf->a, *arr, &cap, *n + 1, sizeof **arr);
    (*arr)[(*n)++] = p;
}

void sgr_tf_vpc(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_vpc *vpc = sgr_tf_intern(tf, SGR_KIND_VPC, r->id, sizeof *vpc, NULL);
    const char *owner = sgr_tf_str(tf, v, "owner_id");
    if (owner)
        vpc->owner = owner;
    vpc->is_default = !strcmp(r->type, "aws_default_vpc");
    sgr_prefix *cidrs = NULL;
    uint32_t n = 0;
    add_prefix(tf, &cidrs, &n, sgr_tf_str(tf, v, "cidr_block"));
    add_prefix(tf, &cidrs, &n, sgr_tf_str(tf, v, "ipv6_cidr_block"));
    if (n || !vpc->n_cidrs) {
        vpc->cidrs = cidrs;
        vpc->n_cidrs = n;
    }
    if (!sgr_tf_str(tf, v, "cidr_block"))
        sgr_tf_warn(tf, r, "cidr_block is not known: verdicts inside this VPC may be unknown");
    vpc->tags = sgr_tf_tags(tf, v, &vpc->name);
    vpc->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
}

void sgr_tf_subnet(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_subnet *s = sgr_tf_intern(tf, SGR_KIND_SUBNET, r->id, sizeof *s, NULL);
    s->vpc_id = sgr_tf_str(tf, v, "vpc_id");
    s->owner = sgr_tf_str(tf, v, "owner_id");
    s->az = sgr_tf_str(tf, v, "availability_zone");
    const char *c4 = sgr_tf_str(tf, v, "cidr_block");
    memset(&s->cidr4, 0, sizeof s->cidr4);
    if (c4 && !sgr_parse_prefix(c4, &s->cidr4))
        sgr_tf_warn(tf, r, "cidr_block %s is not a CIDR", c4);
    s->cidrs6 = NULL;
    s->n_cidrs6 = 0;
    add_prefix(tf, &s->cidrs6, &s->n_cidrs6, sgr_tf_str(tf, v, "ipv6_cidr_block"));
    s->map_public_ip = sgr_tf_bool(v, "map_public_ip_on_launch") == 1 || !strcmp(r->type, "aws_default_subnet");
    s->available_ips = -1;
    s->tags = sgr_tf_tags(tf, v, &s->name);
    s->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
}

void sgr_tf_igw(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_igw *g = sgr_tf_intern(tf, SGR_KIND_IGW, r->id, sizeof *g, NULL);
    g->vpc_ids = sgr_tf_strs(tf, v, "vpc_id");
    g->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
}

void sgr_tf_nat(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_nat *n = sgr_tf_intern(tf, SGR_KIND_NAT, r->id, sizeof *n, NULL);
    n->subnet_id = sgr_tf_str(tf, v, "subnet_id");
    sgr_subnet *s = n->subnet_id ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SUBNET, n->subnet_id) : NULL;
    if (s)
        n->vpc_id = s->vpc_id;
    const char *ct = sgr_tf_str(tf, v, "connectivity_type");
    n->is_private = ct && !strcmp(ct, "private");
    n->state = "available";
    sgr_ip ip;
    const char *pub = sgr_tf_str(tf, v, "public_ip");
    if (pub && sgr_parse_ip(pub, &ip)) {
        n->public_ips = sgr_arena_memdup(tf->a, &ip, sizeof ip);
        n->n_public_ips = 1;
    }
    const char *priv = sgr_tf_str(tf, v, "private_ip");
    if (priv && sgr_parse_ip(priv, &ip)) {
        n->private_ips = sgr_arena_memdup(tf->a, &ip, sizeof ip);
        n->n_private_ips = 1;
    }
    n->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
}

void sgr_tf_peering(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_peering *p = sgr_tf_intern(tf, SGR_KIND_PEERING, r->id, sizeof *p, NULL);
    p->requester.vpc_id = sgr_tf_str(tf, v, "vpc_id");
    p->accepter.vpc_id = sgr_tf_str(tf, v, "peer_vpc_id");
    p->accepter.owner = sgr_tf_str(tf, v, "peer_owner_id");
    p->accepter.region = sgr_tf_str(tf, v, "peer_region");
    const char *st = sgr_tf_str(tf, v, "accept_status");
    /* A planned peering is active once accepted: auto_accept (same account and
     * region) does it at creation; otherwise the status is not known yet. */
    if (st)
        p->status = st;
    else if (sgr_tf_bool(v, "auto_accept") == 1)
        p->status = "active";
    else
        p->status = "pending-acceptance";
    p->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
}

/* ---------------------------------------------------------------- routes */

static const char *const TARGETS[][2] = {
    {"gateway_id", "gw"},
    {"nat_gateway_id", "nat"},
    {"vpc_peering_connection_id", "pcx"},
    {"transit_gateway_id", "tgw"},
    {"network_interface_id", "eni"},
    {"instance_id", "eni"},
    {"egress_only_gateway_id", "eigw"},
    {"vpc_endpoint_id", "vpce"},
    {"local_gateway_id", "other"},
    {"carrier_gateway_id", "other"},
    {"core_network_arn", "other"},
};

static bool route_from(sgr_tf *tf, const sgr_tf_res *r, const json_t *e, bool standalone, sgr_route *rt)
{
    memset(rt, 0, sizeof *rt);
    /* A destination or target of the wrong type is damage: where the route
     * leads, or what it matches, is unknown. */
    static const char *const DESTS[2][3] = {{"cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"},
                                            {"destination_cidr_block", "destination_ipv6_cidr_block",
                                             "destination_prefix_list_id"}};
    for (size_t i = 0; i < 3 + sizeof TARGETS / sizeof *TARGETS; i++) {
        const char *k = i < 3 ? DESTS[standalone][i] : TARGETS[i - 3][0];
        const json_t *x = json_object_get(e, k);
        if (x && !json_is_null(x) && !json_is_string(x) && !(json_is_array(x) && json_array_size(x) <= 1)) {
            sgr_tf_warn_field(tf, r, e, k, "expected a string, found %s: the route is unreadable", sgr_json_kind(x));
            return false;
        }
    }
    const char *d4 = sgr_tf_str(tf, e, standalone ? "destination_cidr_block" : "cidr_block");
    const char *d6 = sgr_tf_str(tf, e, standalone ? "destination_ipv6_cidr_block" : "ipv6_cidr_block");
    const char *pl = sgr_tf_str(tf, e, "destination_prefix_list_id");
    if (d4 && !sgr_parse_prefix(d4, &rt->dest))
        return false;
    if (!d4 && d6 && !sgr_parse_prefix(d6, &rt->dest))
        return false;
    if (!d4 && !d6) {
        if (!pl)
            return false;
        rt->dest_prefix_list = pl;
    }
    rt->target = SGR_RT_OTHER;
    for (size_t i = 0; i < sizeof TARGETS / sizeof *TARGETS; i++) {
        const char *t = sgr_tf_str(tf, e, TARGETS[i][0]);
        if (!t)
            continue;
        if (sgr_tf_unresolved(t))
            return false; /* where it leads is known only at apply: unreadable */
        rt->target_id = t;
        const char *k = TARGETS[i][1];
        sgr_tf_res *ref = sgr_tf_by_id(tf, t);
        if (!strcmp(k, "gw")) {
            if (!strcmp(t, "local"))
                rt->target = SGR_RT_LOCAL;
            else if (!strncmp(t, "vgw-", 4) || (ref && !strcmp(ref->type, "aws_vpn_gateway")))
                rt->target = SGR_RT_VGW;
            else if (!strncmp(t, "vpce-", 5))
                rt->target = SGR_RT_VPCE;
            else
                rt->target = SGR_RT_IGW;
        } else if (!strcmp(k, "nat")) {
            rt->target = SGR_RT_NAT;
        } else if (!strcmp(k, "pcx")) {
            rt->target = SGR_RT_PEERING;
        } else if (!strcmp(k, "tgw")) {
            rt->target = SGR_RT_TGW;
        } else if (!strcmp(k, "eni")) {
            rt->target = SGR_RT_ENI;
        } else if (!strcmp(k, "eigw")) {
            rt->target = SGR_RT_EIGW;
        } else if (!strcmp(k, "vpce")) {
            rt->target = SGR_RT_VPCE;
        }
        break;
    }
    return true;
}

static void add_route(sgr_tf *tf, sgr_route_table *t, const sgr_route *rt)
{
    uint32_t cap = t->n_routes;
    t->routes = sgr_arena_grow(tf->a, t->routes, &cap, t->n_routes + 1, sizeof *t->routes);
    t->routes[t->n_routes++] = *rt;
}

void sgr_tf_route_table(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_route_table *t = sgr_tf_intern(tf, SGR_KIND_ROUTE_TABLE, r->id, sizeof *t, NULL);
    t->vpc_id = sgr_tf_str(tf, v, "vpc_id");
    if (!strcmp(r->type, "aws_default_route_table")) {
        t->is_main = true;
        const char *hash = strstr(r->id, "#main_route_table");
        if (!t->vpc_id && hash)
            t->vpc_id = sgr_arena_strndup(tf->a, r->id, (size_t)(hash - r->id));
    }
    t->routes = NULL;
    t->n_routes = 0;
    t->n_unreadable = 0;
    /* routes the plan does not show, or not a list: one of them may match */
    const json_t *routes;
    if (!sgr_tf_blocks(tf, r, v, "route", "route", &routes, "a lookup no route decides is unknown"))
        t->n_unreadable++;
    size_t i;
    const json_t *e;
    json_array_foreach(routes, i, e) {
        sgr_route rt;
        if (!json_is_object(e) || !route_from(tf, r, e, false, &rt)) {
            /* a route skipped could be the one a lookup takes: unknown, never "no route" */
            sgr_tf_warn(tf, r, "route[%zu] has no usable destination or target (not known until apply?): "
                               "a lookup it could decide is unknown",
                        i);
            t->n_unreadable++;
            continue;
        }
        rt.origin = sgr_tf_origin(tf, r, e, ".route[%zu]", i);
        rt.origin.tf_address = sgr_arena_printf(tf->a, "%s route[%zu]", r->address, i);
        add_route(tf, t, &rt);
    }
    t->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
}

void sgr_tf_route(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_route_table *t = sgr_tf_adds_to(tf, r, v, "route_table_id", SGR_KIND_ROUTE_TABLE, true, "route table", "route");
    if (!t)
        return;
    sgr_route rt;
    if (!route_from(tf, r, v, true, &rt)) {
        sgr_tf_warn(tf, r, "route without a usable destination or target (not known until apply?): "
                           "a lookup it could decide in %s is unknown",
                    t->id);
        t->n_unreadable++;
        return;
    }
    rt.origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    add_route(tf, t, &rt);
}

void sgr_tf_route_assoc(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    const char *subnet = sgr_tf_str(tf, v, "subnet_id");
    if (!subnet)
        return; /* a gateway (edge) association: no subnet routing */
    sgr_route_table *t =
        sgr_tf_adds_to(tf, r, v, "route_table_id", SGR_KIND_ROUTE_TABLE, true, "route table", "association");
    if (!t)
        return;
    /* A subnet has one explicit association: the plan's replaces any other. */
    sgr_snapshot *snap = tf->ctx->snap;
    for (uint32_t i = 0; i < snap->n_route_tables; i++)
        sgr_strs_remove(&snap->route_tables[i]->subnet_ids, subnet);
    sgr_strs_add_unique(tf->a, &t->subnet_ids, subnet);
}

void sgr_tf_main_route_assoc(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    const char *vpc = sgr_tf_str(tf, v, "vpc_id");
    const char *tid = sgr_tf_str(tf, v, "route_table_id");
    sgr_route_table *t = tid ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_ROUTE_TABLE, tid) : NULL;
    if (!t || !vpc) {
        sgr_tf_warn(tf, r, "route table or VPC not in the snapshot: main association skipped");
        return;
    }
    sgr_snapshot *snap = tf->ctx->snap;
    for (uint32_t i = 0; i < snap->n_route_tables; i++)
        if (snap->route_tables[i]->vpc_id && !strcmp(snap->route_tables[i]->vpc_id, vpc))
            snap->route_tables[i]->is_main = false;
    t->is_main = true;
}

/* ---------------------------------------------------------------- network ACLs */

static bool nacl_entry(sgr_tf *tf, const json_t *e, bool egress, bool standalone, sgr_nacl_entry *out)
{
    memset(out, 0, sizeof *out);
    out->egress = egress;
    out->rule_number = (int32_t)sgr_tf_int(e, standalone ? "rule_number" : "rule_no", -1);
    const char *action = sgr_tf_str(tf, e, standalone ? "rule_action" : "action");
    if (action && strcmp(action, "allow") != 0 && strcmp(action, "deny") != 0) {
        sgr_tf_warn_field(tf, tf->cur, e, standalone ? "rule_action" : "action",
                          "%s is neither allow nor deny: what the entry decides is unknown", action);
        return false;
    }
    const char *proto = sgr_tf_str(tf, e, "protocol");
    out->protocol = proto ? sgr_parse_protocol(proto) : -2;
    const char *c4 = sgr_tf_str(tf, e, "cidr_block");
    const char *c6 = sgr_tf_str(tf, e, "ipv6_cidr_block");
    if (out->rule_number < 0 || !action || out->protocol == -2)
        return false;
    if (!((c4 && sgr_parse_prefix(c4, &out->cidr)) || (!c4 && c6 && sgr_parse_prefix(c6, &out->cidr))))
        return false;
    out->allow = !strcmp(action, "allow");
    out->port_from = out->port_to = -1;
    out->icmp_type = out->icmp_code = -1;
    if (out->protocol == SGR_PROTO_TCP || out->protocol == SGR_PROTO_UDP) {
        /* Ports not known (or not numbers) are not "every port". */
        int64_t from = sgr_tf_int(e, "from_port", INT64_MIN), to = sgr_tf_int(e, "to_port", INT64_MIN);
        if (from < 0 || from > 65535 || to < from || to > 65535) {
            sgr_tf_warn_field(tf, tf->cur, e, from < 0 || from > 65535 ? "from_port" : "to_port",
                              "ports not known or not valid: what the entry decides is unknown");
            return false;
        }
        out->port_from = (int32_t)from;
        out->port_to = (int32_t)to;
    } else if (out->protocol == SGR_PROTO_ICMP || out->protocol == SGR_PROTO_ICMPV6) {
        out->icmp_type = (int32_t)sgr_tf_int(e, "icmp_type", -1);
        out->icmp_code = (int32_t)sgr_tf_int(e, "icmp_code", -1);
    }
    return true;
}

static void nacl_add(sgr_tf *tf, sgr_nacl *n, const sgr_nacl_entry *e)
{
    uint32_t cap = n->n_entries;
    n->entries = sgr_arena_grow(tf->a, n->entries, &cap, n->n_entries + 1, sizeof *n->entries);
    n->entries[n->n_entries++] = *e;
}

/* An entry of n the plan holds but that could not be read. */
static void nacl_unreadable(sgr_tf *tf, const sgr_tf_res *r, sgr_nacl *n, const json_t *e)
{
    if (n->n_unreadable++ == 0)
        n->unreadable_origin = sgr_tf_origin(tf, r, json_is_object(e) ? e : NULL, "%s", "");
}

/* A subnet is associated with exactly one ACL: the plan's replaces any other. */
static void nacl_take_subnet(sgr_tf *tf, sgr_nacl *n, const char *subnet)
{
    sgr_snapshot *snap = tf->ctx->snap;
    for (uint32_t i = 0; i < snap->n_nacls; i++)
        sgr_strs_remove(&snap->nacls[i]->subnet_ids, subnet);
    sgr_strs_add_unique(tf->a, &n->subnet_ids, subnet);
}

/* The plan's subnet_ids of n could not be read (warned where they were):
 * which subnets n filters is unknown. A subnet n has now may go back to its
 * VPC's default ACL, and link marks a subnet of its VPC that no ACL names as
 * possibly n's. */
static void nacl_subnets_unknown(sgr_tf *tf, const sgr_tf_res *r, sgr_nacl *n, const json_t *v)
{
    if (n->associations_unknown_why)
        return;
    n->associations_unknown_why =
        sgr_import_why(tf->ctx, sgr_import_line(tf->ctx, v) ? v : r->node, r->path,
                       "the subnets associated with network ACL %s could not all be read (%s subnet_ids)", n->id,
                       r->address);
    for (uint32_t i = 0; i < n->subnet_ids.count; i++) {
        sgr_subnet *s = sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SUBNET, n->subnet_ids.items[i]);
        if (s && !s->nacl_unknown_why)
            s->nacl_unknown_why = n->associations_unknown_why;
    }
}

void sgr_tf_nacl(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_nacl *n = sgr_tf_intern(tf, SGR_KIND_NACL, r->id, sizeof *n, NULL);
    const char *vpc = sgr_tf_str(tf, v, "vpc_id");
    n->is_default = !strcmp(r->type, "aws_default_network_acl");
    if (vpc)
        n->vpc_id = vpc;
    else if (n->is_default && strstr(r->id, "#default_network_acl"))
        n->vpc_id = sgr_arena_strndup(tf->a, r->id, (size_t)(strstr(r->id, "#default_network_acl") - r->id));
    /* The plan's rules replace the ACL's (aws_default_network_acl too). */
    n->entries = NULL;
    n->n_entries = 0;
    n->n_unreadable = 0;
    static const char *const DIRS[] = {"ingress", "egress"};
    for (int d = 0; d < 2; d++) {
        size_t i;
        const json_t *e;
        const json_t *list;
        if (!sgr_tf_blocks(tf, r, v, DIRS[d], "entry", &list, "what its %s entries decide is unknown", DIRS[d]))
            nacl_unreadable(tf, r, n, NULL);
        json_array_foreach(list, i, e) {
            sgr_nacl_entry ent;
            if (!json_is_object(e) || !nacl_entry(tf, e, d == 1, false, &ent)) {
                /* a skipped allow could let a flow through, a skipped deny stop it */
                sgr_tf_warn_field(tf, r, list, sgr_arena_printf(tf->a, "[%zu]", i),
                                  "%s entry %zu is incomplete, of the wrong type or not known until apply: what it "
                                  "decides is unknown",
                                  DIRS[d], i);
                nacl_unreadable(tf, r, n, e);
                continue;
            }
            ent.origin = sgr_tf_origin(tf, r, e, ".%s[%zu]", DIRS[d], i);
            ent.origin.tf_address = sgr_arena_printf(tf->a, "%s %s[%zu]", r->address, DIRS[d], i);
            nacl_add(tf, n, &ent);
        }
    }
    n->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    sgr_strs subnets = sgr_tf_strs(tf, v, "subnet_ids");
    for (uint32_t i = 0; i < subnets.count; i++) {
        if (sgr_tf_damaged(subnets.items[i])) {
            nacl_subnets_unknown(tf, r, n, v);
            continue;
        }
        nacl_take_subnet(tf, n, subnets.items[i]);
    }
}

void sgr_tf_nacl_rule(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_nacl *n = sgr_tf_adds_to(tf, r, v, "network_acl_id", SGR_KIND_NACL, true, "network ACL", "rule");
    if (!n)
        return;
    sgr_nacl_entry ent;
    if (!nacl_entry(tf, v, sgr_tf_bool(v, "egress") == 1, true, &ent)) {
        sgr_tf_warn(tf, r, "rule is incomplete or not known until apply: what it decides in %s is unknown", n->id);
        nacl_unreadable(tf, r, n, NULL);
        return;
    }
    ent.origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    nacl_add(tf, n, &ent);
}

void sgr_tf_nacl_assoc(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    const char *id = sgr_tf_str(tf, v, "network_acl_id");
    const char *subnet = sgr_tf_str(tf, v, "subnet_id");
    sgr_nacl *n = id ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_NACL, id) : NULL;
    if (!n || !subnet) {
        sgr_tf_warn(tf, r, "network ACL or subnet not in the snapshot: association skipped");
        return;
    }
    nacl_take_subnet(tf, n, subnet);
}

/* ---------------------------------------------------------------- AWS defaults */

static sgr_origin assumed(sgr_tf *tf, const sgr_vpc *vpc, const char *what)
{
    sgr_origin o = vpc->origin;
    o.path = sgr_arena_printf(tf->a, "%s (assumed: %s)", vpc->origin.path ? vpc->origin.path : "$", what);
    return o;
}

static void default_nacl(sgr_tf *tf, sgr_vpc *vpc)
{
    const char *id = sgr_arena_printf(tf->a, "%s#default_network_acl", vpc->id);
    sgr_nacl *n = sgr_tf_intern(tf, SGR_KIND_NACL, id, sizeof *n, NULL);
    n->vpc_id = vpc->id;
    n->is_default = true;
    n->origin = assumed(tf, vpc, "AWS's default network ACL of a new VPC, allowing all traffic");
    for (uint32_t c = 0; c < vpc->n_cidrs; c++) {
        bool v6 = vpc->cidrs[c].ip.family == SGR_AF_INET6;
        for (int eg = 0; eg < 2; eg++) {
            sgr_nacl_entry e = {0};
            e.rule_number = v6 ? 101 : 100;
            e.egress = eg == 1;
            e.protocol = SGR_PROTO_ALL;
            e.allow = true;
            e.port_from = e.port_to = e.icmp_type = e.icmp_code = -1;
            sgr_parse_prefix(v6 ? "::/0" : "0.0.0.0/0", &e.cidr);
            e.origin = n->origin;
            bool dup = false;
            for (uint32_t k = 0; k < n->n_entries; k++)
                dup |= n->entries[k].egress == e.egress && n->entries[k].rule_number == e.rule_number;
            if (!dup)
                nacl_add(tf, n, &e);
        }
    }
}

static void add_local_routes(sgr_tf *tf, sgr_route_table *t, const sgr_vpc *vpc)
{
    for (uint32_t c = 0; c < vpc->n_cidrs; c++) {
        bool have = false;
        for (uint32_t k = 0; k < t->n_routes; k++)
            have |= t->routes[k].target == SGR_RT_LOCAL &&
                    !memcmp(&t->routes[k].dest, &vpc->cidrs[c], sizeof vpc->cidrs[c]);
        if (have)
            continue;
        sgr_route rt = {0};
        rt.dest = vpc->cidrs[c];
        rt.target = SGR_RT_LOCAL;
        rt.target_id = "local";
        rt.origin = t->origin;
        add_route(tf, t, &rt);
    }
}

static void default_sg(sgr_tf *tf, sgr_vpc *vpc)
{
    const char *id = sgr_arena_printf(tf->a, "%s#default_security_group", vpc->id);
    bool fresh;
    sgr_sg *g = sgr_tf_intern(tf, SGR_KIND_SG, id, sizeof *g, &fresh);
    if (!fresh)
        return;
    g->name = "default";
    g->vpc_id = vpc->id;
    g->described = true;
    g->origin = assumed(tf, vpc, "AWS's default security group of a new VPC");
    bool v6 = false;
    for (uint32_t c = 0; c < vpc->n_cidrs; c++)
        v6 |= vpc->cidrs[c].ip.family == SGR_AF_INET6;
    g->rules = SGR_NEW_N(tf->a, sgr_sg_rule, 3);
    sgr_sg_rule *in = &g->rules[g->n_rules++];
    in->protocol = SGR_PROTO_ALL;
    in->from_port = in->to_port = -1;
    in->peer_kind = SGR_PEER_GROUP;
    in->group_id = id;
    in->origin = g->origin;
    for (int k = 0; k < (v6 ? 2 : 1); k++) {
        sgr_sg_rule *out = &g->rules[g->n_rules++];
        out->egress = true;
        out->protocol = SGR_PROTO_ALL;
        out->from_port = out->to_port = -1;
        out->peer_kind = SGR_PEER_CIDR;
        sgr_parse_prefix(k ? "::/0" : "0.0.0.0/0", &out->cidr);
        out->origin = g->origin;
    }
}

void sgr_tf_vpc_defaults(sgr_tf *tf)
{
    sgr_snapshot *snap = tf->ctx->snap;
    for (uint32_t i = 0; i < snap->n_vpcs; i++) {
        sgr_vpc *vpc = snap->vpcs[i];
        if (!sgr_tf_created(tf, SGR_KIND_VPC, vpc->id))
            continue;
        bool nacl = false, main = false;
        for (uint32_t k = 0; k < snap->n_nacls; k++)
            nacl |= snap->nacls[k]->is_default && snap->nacls[k]->vpc_id && !strcmp(snap->nacls[k]->vpc_id, vpc->id);
        for (uint32_t k = 0; k < snap->n_route_tables; k++) {
            sgr_route_table *t = snap->route_tables[k];
            main |= t->is_main && t->vpc_id && !strcmp(t->vpc_id, vpc->id);
        }
        if (!nacl)
            default_nacl(tf, vpc);
        if (!main) {
            const char *id = sgr_arena_printf(tf->a, "%s#main_route_table", vpc->id);
            sgr_route_table *t = sgr_tf_intern(tf, SGR_KIND_ROUTE_TABLE, id, sizeof *t, NULL);
            t->vpc_id = vpc->id;
            t->is_main = true;
            t->origin = assumed(tf, vpc, "AWS's main route table of a new VPC, with only the local route");
        }
        default_sg(tf, vpc);
        if (!nacl || !main)
            sgr_snapshot_diag(snap, SGR_SEV_WARNING, tf->ctx->file, vpc->origin.line, 0, vpc->origin.path,
                              "VPC %s is known only from Terraform: assumed AWS's defaults for what the plan "
                              "does not manage (%s%s%s)",
                              vpc->origin.tf_address ? vpc->origin.tf_address : vpc->id,
                              nacl ? "" : "default network ACL allowing all traffic",
                              !nacl && !main ? ", " : "", main ? "" : "main route table with only the local route");
    }
    /* Tables the plan made get the implicit local route that dumps list. */
    for (uint32_t k = 0; k < snap->n_route_tables; k++) {
        sgr_route_table *t = snap->route_tables[k];
        sgr_vpc *vpc = t->vpc_id ? sgr_snapshot_find(snap, SGR_KIND_VPC, t->vpc_id) : NULL;
        if (vpc && sgr_tf_created(tf, SGR_KIND_ROUTE_TABLE, t->id))
            add_local_routes(tf, t, vpc);
    }
    /* Peerings: each side's CIDRs from its VPC. */
    for (uint32_t k = 0; k < snap->n_peerings; k++) {
        sgr_peering *p = snap->peerings[k];
        if (!sgr_tf_created(tf, SGR_KIND_PEERING, p->id))
            continue;
        sgr_peer_side *sides[2] = {&p->requester, &p->accepter};
        for (int s = 0; s < 2; s++) {
            sgr_vpc *vpc = sides[s]->vpc_id ? sgr_snapshot_find(snap, SGR_KIND_VPC, sides[s]->vpc_id) : NULL;
            if (vpc && !sides[s]->n_cidrs) {
                sides[s]->cidrs = vpc->cidrs;
                sides[s]->n_cidrs = vpc->n_cidrs;
                if (!sides[s]->owner)
                    sides[s]->owner = vpc->owner;
            }
        }
    }
    /* Interfaces the plan made: their VPC from their subnet. */
    for (uint32_t k = 0; k < snap->n_enis; k++) {
        sgr_eni *e = snap->enis[k];
        if (e->vpc_id || !e->subnet_id || !sgr_tf_created(tf, SGR_KIND_ENI, e->id))
            continue;
        sgr_subnet *s = sgr_snapshot_find(snap, SGR_KIND_SUBNET, e->subnet_id);
        if (s)
            e->vpc_id = s->vpc_id;
    }
}
