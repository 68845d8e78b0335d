/*
 * Terraform load balancers → model: aws_lb / aws_alb, classic aws_elb, target
 * groups, listeners and target group attachments.
 *
 * A load balancer the plan creates has no interfaces yet: one planned
 * interface per subnet is synthesized, carrying the balancer's groups and
 * described as AWS describes a balancer's interfaces ("ELB app/NAME/ID"), so
 * the balancer's hops work as for a dumped one. A target group's
 * preserve_client_ip, usually unknown in a plan, stays -1: the engine applies
 * AWS's default by target type and protocol.
 */
#include <string.h>

#include "load/import_terraform.h"

static int32_t transport(const char *proto)
{
    if (!proto)
        return SGR_PROTO_TCP;
    if (!strcmp(proto, "UDP") || !strcmp(proto, "GENEVE"))
        return SGR_PROTO_UDP;
    return SGR_PROTO_TCP;
}

/* The last component of an ARN ("…/app/web/50dc6c495c0c9188" → "50dc6c495c0c9188"). */
static const char *arn_tail(const char *arn)
{
    const char *slash = strrchr(arn, '/');
    return slash ? slash + 1 : arn;
}

/* Interfaces of a balancer the plan creates, one per subnet. */
static void lb_enis(sgr_tf *tf, sgr_tf_res *r, sgr_lb *lb, const char *desc, const char *itype,
                    const json_t *mappings)
{
    for (uint32_t i = 0; i < lb->subnet_ids.count; i++) {
        const char *id = sgr_arena_printf(tf->a, "%s#eni/%u", r->id, i);
        sgr_eni *e = sgr_tf_planned_eni(tf, r, id, lb->subnet_ids.items[i], lb->group_ids, lb->origin);
        e->description = desc;
        e->interface_type = itype;
        e->requester_managed = true;
        e->requester_id = "amazon-elb";
        size_t k;
        const json_t *m;
        json_array_foreach(mappings, k, m) {
            const char *sid = sgr_tf_str(tf, m, "subnet_id");
            const char *ip = sgr_tf_str(tf, m, "private_ipv4_address");
            sgr_ip addr;
            if (sid && ip && !strcmp(sid, lb->subnet_ids.items[i]) && sgr_parse_ip(ip, &addr)) {
                e->private_ips = sgr_arena_memdup(tf->a, &addr, sizeof addr);
                e->n_private_ips = 1;
                e->address_planned = false;
            }
        }
        if (lb->internet_facing) {
            /* An internet-facing balancer's nodes get public addresses; which
             * ones is not known at plan time (family 0 = planned). */
            e->public_ips = SGR_NEW(tf->a, sgr_public_ip);
            e->n_public_ips = 1;
        }
    }
}

/* A live balancer the plan updates: its dumped interfaces take the new groups. */
static void live_lb_groups(sgr_tf *tf, const char *desc_prefix, sgr_strs groups)
{
    sgr_snapshot *snap = tf->ctx->snap;
    size_t n = strlen(desc_prefix);
    for (uint32_t i = 0; i < snap->n_enis; i++)
        if (snap->enis[i]->description && !strncmp(snap->enis[i]->description, desc_prefix, n))
            snap->enis[i]->group_ids = groups;
}

void sgr_tf_lb(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    bool fresh;
    sgr_lb *lb = sgr_tf_intern(tf, SGR_KIND_LB, r->id, sizeof *lb, &fresh);
    lb->name = sgr_tf_res_name(tf, r, v);
    sgr_snap_alias(tf->ctx->snap, SGR_KIND_LB, sgr_arena_printf(tf->a, "name:%s", lb->name), lb);
    const char *type = sgr_tf_str(tf, v, "load_balancer_type");
    lb->type = type && !strcmp(type, "network")   ? SGR_LB_NETWORK
               : type && !strcmp(type, "gateway") ? SGR_LB_GATEWAY
                                                  : SGR_LB_APPLICATION;
    lb->internet_facing = sgr_tf_bool(v, "internal") != 1; /* AWS's default scheme */
    lb->ip_address_type = sgr_tf_str(tf, v, "ip_address_type");
    sgr_strs subnets = sgr_tf_strs(tf, v, "subnets");
    const json_t *mappings = json_object_get(v, "subnet_mapping");
    size_t i;
    const json_t *m;
    json_array_foreach(mappings, i, m) {
        const char *sid = sgr_tf_str(tf, m, "subnet_id");
        if (sid)
            sgr_strs_add_unique(tf->a, &subnets, sid);
    }
    lb->subnet_ids = subnets;
    lb->group_ids = sgr_tf_strs(tf, v, "security_groups");
    lb->groups_unknown_why = sgr_tf_strs_why(tf, &lb->group_ids, v, "security_groups",
                                             sgr_arena_printf(tf->a, "the security groups of %s are unknown", r->address));
    sgr_subnet *s = subnets.count ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SUBNET, subnets.items[0]) : NULL;
    lb->vpc_id = s ? s->vpc_id : sgr_tf_str(tf, v, "vpc_id");
    lb->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    const char *kind = lb->type == SGR_LB_NETWORK ? "net" : lb->type == SGR_LB_GATEWAY ? "gwy" : "app";
    const char *sfx = strstr(r->id, ":loadbalancer/");
    const char *desc = sfx ? sgr_arena_printf(tf->a, "ELB %s", sfx + strlen(":loadbalancer/"))
                           : sgr_arena_printf(tf->a, "ELB %s/%s/%s", kind, lb->name, arn_tail(r->id));
    if (fresh || r->id_synthetic)
        lb_enis(tf, r, lb, desc, lb->type == SGR_LB_NETWORK ? "network_load_balancer" : NULL, mappings);
    else
        live_lb_groups(tf, sgr_arena_printf(tf->a, "ELB %s/%s/", kind, lb->name), lb->group_ids);
}

void sgr_tf_elb(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    const char *name = sgr_tf_name(tf, v, "name");
    if (!name)
        name = r->id;
    bool fresh;
    sgr_lb *lb = sgr_tf_intern(tf, SGR_KIND_LB, sgr_arena_printf(tf->a, "name:%s", name), sizeof *lb, &fresh);
    lb->name = name;
    lb->type = SGR_LB_CLASSIC;
    lb->internet_facing = sgr_tf_bool(v, "internal") != 1;
    lb->subnet_ids = sgr_tf_strs(tf, v, "subnets");
    lb->group_ids = sgr_tf_strs(tf, v, "security_groups");
    lb->groups_unknown_why = sgr_tf_strs_why(tf, &lb->group_ids, v, "security_groups",
                                             sgr_arena_printf(tf->a, "the security groups of %s are unknown", r->address));
    sgr_subnet *s = lb->subnet_ids.count ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SUBNET, lb->subnet_ids.items[0]) : NULL;
    lb->vpc_id = s ? s->vpc_id : NULL;
    lb->classic_instances = sgr_tf_strs(tf, v, "instances");
    lb->instances_unknown_why = sgr_tf_strs_why(
        tf, &lb->classic_instances, v, "instances",
        sgr_arena_printf(tf->a, "which instances are registered with %s is unknown", r->address));
    const json_t *ls = json_object_get(v, "listener");
    lb->classic_listeners = SGR_NEW_N(tf->a, sgr_classic_listener, json_array_size(ls) + 1);
    lb->n_classic_listeners = 0;
    size_t i;
    const json_t *l;
    json_array_foreach(ls, i, l) {
        sgr_classic_listener *cl = &lb->classic_listeners[lb->n_classic_listeners];
        cl->lb_port = (int32_t)sgr_tf_int(l, "lb_port", -1);
        cl->instance_port = (int32_t)sgr_tf_int(l, "instance_port", -1);
        const char *p = sgr_tf_str(tf, l, "lb_protocol");
        cl->protocol = p && (!strcmp(p, "udp") || !strcmp(p, "UDP")) ? SGR_PROTO_UDP : SGR_PROTO_TCP;
        if (cl->lb_port > 0 && cl->instance_port > 0)
            lb->n_classic_listeners++;
    }
    lb->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    const char *desc = sgr_arena_printf(tf->a, "ELB %s", name);
    if (fresh)
        lb_enis(tf, r, lb, desc, NULL, NULL);
    else
        live_lb_groups(tf, desc, lb->group_ids);
}

void sgr_tf_target_group(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    bool fresh;
    sgr_target_group *tg = sgr_tf_intern(tf, SGR_KIND_TARGET_GROUP, r->id, sizeof *tg, &fresh);
    tg->name = sgr_tf_res_name(tf, r, v);
    tg->protocol_name = sgr_tf_str(tf, v, "protocol");
    tg->protocol = transport(tg->protocol_name);
    tg->port = (int32_t)sgr_tf_int(v, "port", -1);
    tg->vpc_id = sgr_tf_str(tf, v, "vpc_id");
    const char *tt = sgr_tf_str(tf, v, "target_type");
    tg->target_type = tt ? tt : "instance";
    tg->ip_address_type = sgr_tf_str(tf, v, "ip_address_type");
    const json_t *hc = json_array_get(json_object_get(v, "health_check"), 0);
    const char *hcp = sgr_tf_str(tf, hc, "port");
    tg->health_check_port = hcp ? hcp : "traffic-port";
    int pci = sgr_tf_bool(v, "preserve_client_ip");
    tg->preserve_client_ip = (int8_t)pci; /* -1: AWS's default, applied by the engine */
    tg->attributes_known = pci >= 0;
    tg->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    if (pci >= 0)
        tg->attributes_origin = tg->origin;
    if (fresh) {
        /* A new group's registrations are exactly the plan's (attachments,
         * autoscaling groups, ECS services): none so far. */
        tg->targets_known = true;
        tg->n_targets = 0;
    }
}

static void tg_add_lb(sgr_tf *tf, const char *tg_arn, const char *lb_arn)
{
    sgr_target_group *tg = sgr_snapshot_find(tf->ctx->snap, SGR_KIND_TARGET_GROUP, tg_arn);
    if (tg && lb_arn)
        sgr_strs_add_unique(tf->a, &tg->lb_arns, lb_arn);
}

void sgr_tf_listener(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_listener *l = sgr_tf_intern(tf, SGR_KIND_LISTENER, r->id, sizeof *l, NULL);
    l->lb_arn = sgr_tf_str(tf, v, "load_balancer_arn");
    l->port = (int32_t)sgr_tf_int(v, "port", -1);
    l->protocol_name = sgr_tf_str(tf, v, "protocol");
    l->protocol = transport(l->protocol_name);
    sgr_strs tgs = {0};
    size_t i, k;
    const json_t *a, *f, *t;
    json_array_foreach(json_object_get(v, "default_action"), i, a) {
        const char *type = sgr_tf_str(tf, a, "type");
        if (type && strcmp(type, "forward") != 0)
            continue;
        const char *arn = sgr_tf_str(tf, a, "target_group_arn");
        if (arn)
            sgr_strs_add_unique(tf->a, &tgs, arn);
        json_array_foreach(json_object_get(a, "forward"), k, f) {
            size_t j;
            json_array_foreach(json_object_get(f, "target_group"), j, t) {
                const char *tarn = sgr_tf_str(tf, t, "arn");
                if (tarn)
                    sgr_strs_add_unique(tf->a, &tgs, tarn);
            }
        }
    }
    l->target_group_arns = tgs;
    for (uint32_t j = 0; j < tgs.count; j++)
        tg_add_lb(tf, tgs.items[j], l->lb_arn);
    l->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
}

void sgr_tf_tg_attachment(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    const char *target = sgr_tf_str(tf, v, "target_id");
    sgr_target_group *tg = sgr_tf_adds_to(tf, r, v, "target_group_arn", SGR_KIND_TARGET_GROUP, target != NULL,
                                          "target group", "attachment");
    if (!tg)
        return;
    sgr_target *t = sgr_tf_add_target(tf, tg, target, sgr_tf_origin(tf, r, NULL, "%s", ""));
    t->port = (int32_t)sgr_tf_int(v, "port", -1);
    t->az = sgr_tf_str(tf, v, "availability_zone");
}

/* A listener rule forwarding to target groups: they are attached to the
 * listener's balancer (the engine treats them as behind any of its listeners,
 * as for groups dumps show attached by rules). */
void sgr_tf_listener_rule(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_listener *l = sgr_tf_adds_to(tf, r, v, "listener_arn", SGR_KIND_LISTENER, true, "listener", "rule");
    if (!l)
        return;
    size_t i, k, j;
    const json_t *a, *f, *t;
    json_array_foreach(json_object_get(v, "action"), i, a) {
        const char *arn = sgr_tf_str(tf, a, "target_group_arn");
        if (arn)
            tg_add_lb(tf, arn, l->lb_arn);
        json_array_foreach(json_object_get(a, "forward"), k, f) {
            json_array_foreach(json_object_get(f, "target_group"), j, t) {
                const char *tarn = sgr_tf_str(tf, t, "arn");
                if (tarn)
                    tg_add_lb(tf, tarn, l->lb_arn);
            }
        }
    }
}
