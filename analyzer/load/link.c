/*
 * Links: every id the dumps name is resolved to its object once, after all
 * documents are read. Ids that no dump describes stay as ids with a NULL
 * pointer (→ `unknown` verdicts downstream), and are reported once each.
 * Every pass walks the snapshot's vectors in order, so results and
 * diagnostics are deterministic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/addrset.h"
#include "load/import.h"
#include "load/snapshot_int.h"

#define FIND(snap, kind, id) sgr_snapshot_find((snap), (kind), (id))

/* Reports a security group that no dump describes, once per id, at its first reference. */
static void missing_group(sgr_snapshot *snap, const char *gid, const sgr_origin *at)
{
    if (sgr_snap_once(snap, 10, gid))
        sgr_snapshot_diag(snap, SGR_SEV_WARNING, at->file, at->line, 0, at->path,
                          "%s is referenced but no dump describes it", gid);
}

/* The peering between two VPCs when it joins two different regions, else NULL. */
static const sgr_peering *cross_region_peering(const sgr_snapshot *snap, const char *vpc_a, const char *vpc_b)
{
    for (uint32_t i = 0; vpc_a && vpc_b && i < snap->n_peerings; i++) {
        const sgr_peering *p = snap->peerings[i];
        const char *r = p->requester.vpc_id, *c = p->accepter.vpc_id;
        if (!r || !c || !p->requester.region || !p->accepter.region ||
            strcmp(p->requester.region, p->accepter.region) == 0)
            continue;
        if ((!strcmp(r, vpc_a) && !strcmp(c, vpc_b)) || (!strcmp(r, vpc_b) && !strcmp(c, vpc_a)))
            return p;
    }
    return NULL;
}

/* A rule referencing a group of a VPC peered from another region: AWS matches
 * nothing by it ("You can't reference the security group of a peer VPC that's
 * in a different Region", VPC Peering "Update your security groups to
 * reference peer security groups"); the engine does not expand it, say so. */
static void warn_cross_region_reference(sgr_snapshot *snap, const sgr_sg *g, const sgr_sg_rule *r)
{
    const char *ref_vpc = r->group && r->group->vpc_id ? r->group->vpc_id : r->group_vpc;
    if (!g->vpc_id || !ref_vpc || strcmp(g->vpc_id, ref_vpc) == 0)
        return;
    const sgr_peering *p = cross_region_peering(snap, g->vpc_id, ref_vpc);
    if (p)
        sgr_snapshot_diag(snap, SGR_SEV_WARNING, r->origin.file, r->origin.line, 0, r->origin.path,
                          "%s references %s of %s across the cross-region peering %s (%s, %s): a reference "
                          "to a group in another region matches nothing (use the peer VPC's CIDR)",
                          g->id, r->group_id, ref_vpc, p->id ? p->id : "?", p->requester.region, p->accepter.region);
}

/* A pair that names its group by GroupName only: the group of that name in the
 * VPC of the rule's own group (names are unique per VPC), of the pair's UserId
 * when it gives one. Not exactly one such group: the rule stays unresolved. */
static void resolve_group_name(sgr_snapshot *snap, const sgr_sg *owner, sgr_sg_rule *r)
{
    sgr_sg *found = NULL;
    uint32_t n_found = 0;
    for (uint32_t i = 0; i < snap->n_sgs && r->group_name; i++) {
        sgr_sg *c = snap->sgs[i];
        if (!c->described || !c->name || strcmp(c->name, r->group_name) != 0 || !c->vpc_id || !owner->vpc_id ||
            strcmp(c->vpc_id, owner->vpc_id) != 0 || (r->group_owner && c->owner && strcmp(r->group_owner, c->owner) != 0))
            continue;
        found = c;
        n_found++;
    }
    if (n_found == 1) {
        r->group_id = found->id;
        r->group = found;
        return;
    }
    sgr_snapshot_diag(snap, SGR_SEV_WARNING, r->origin.file, r->origin.line, 0, r->origin.path,
                      "the rule names group \"%s\" without GroupId and %s in %s: the rule's peers are unknown",
                      r->group_name ? r->group_name : "", n_found ? "several groups have that name" : "no described group has that name",
                      owner->vpc_id ? owner->vpc_id : "its VPC");
}

static sgr_sg **resolve_groups(sgr_snapshot *snap, const sgr_strs *ids, const sgr_origin *at)
{
    if (!ids->count)
        return NULL;
    sgr_sg **out = SGR_NEW_N(snap->arena, sgr_sg *, ids->count);
    for (uint32_t i = 0; i < ids->count; i++) {
        out[i] = FIND(snap, SGR_KIND_SG, ids->items[i]);
        if (!out[i])
            missing_group(snap, ids->items[i], at);
    }
    return out;
}

static int cmp_entry(const void *a, const void *b)
{
    const sgr_nacl_entry *x = a, *y = b;
    if (x->egress != y->egress)
        return x->egress ? 1 : -1;
    if (x->rule_number != y->rule_number)
        return x->rule_number < y->rule_number ? -1 : 1;
    /* Equal keys (IPv4 and IPv6 rules cannot share a number, but be total): file order. */
    return x->origin.line < y->origin.line ? -1 : x->origin.line > y->origin.line;
}

/* Files owner (a route table, an ACL) under each subnet it lists in `of`,
 * unless an earlier one has the subnet: the first association read wins. */
static void index_subnets(sgr_strmap *of, const sgr_strs *subnets, void *owner)
{
    for (uint32_t k = 0; k < subnets->count; k++)
        if (!sgr_strmap_get(of, 0, subnets->items[k]))
            sgr_strmap_put(of, 0, subnets->items[k], owner);
}

static void link_network(sgr_snapshot *snap)
{
    for (uint32_t i = 0; i < snap->n_igws; i++) {
        sgr_igw *g = snap->igws[i];
        for (uint32_t k = 0; k < g->vpc_ids.count; k++) {
            sgr_vpc *v = FIND(snap, SGR_KIND_VPC, g->vpc_ids.items[k]);
            if (v && !v->has_igw) {
                v->has_igw = true;
                v->igw_id = g->id;
            }
        }
    }
    sgr_strmap *rt_of = sgr_strmap_new(snap->arena), *acl_of = sgr_strmap_new(snap->arena);
    for (uint32_t i = 0; i < snap->n_route_tables; i++) {
        sgr_route_table *t = snap->route_tables[i];
        t->vpc = FIND(snap, SGR_KIND_VPC, t->vpc_id);
        if (t->is_main && t->vpc && !t->vpc->main_table)
            t->vpc->main_table = t;
        index_subnets(rt_of, &t->subnet_ids, t);
    }
    for (uint32_t i = 0; i < snap->n_nacls; i++) {
        sgr_nacl *a = snap->nacls[i];
        a->vpc = FIND(snap, SGR_KIND_VPC, a->vpc_id);
        if (a->is_default && a->vpc && !a->vpc->default_nacl)
            a->vpc->default_nacl = a;
        if (a->n_entries > 1)
            qsort(a->entries, a->n_entries, sizeof *a->entries, cmp_entry);
        index_subnets(acl_of, &a->subnet_ids, a);
    }
    for (uint32_t i = 0; i < snap->n_subnets; i++) {
        sgr_subnet *s = snap->subnets[i];
        s->vpc = FIND(snap, SGR_KIND_VPC, s->vpc_id);
        s->route_table = sgr_strmap_get(rt_of, 0, s->id);
        s->route_table_is_main = false;
        if (!s->route_table && s->vpc) {
            s->route_table = s->vpc->main_table;
            s->route_table_is_main = s->route_table != NULL;
        }
        s->nacl = sgr_strmap_get(acl_of, 0, s->id);
        if (!s->nacl && s->vpc)
            s->nacl = s->vpc->default_nacl;
        /* No ACL names it, but one of its VPC's lists could not be read: it may
         * be that ACL's subnet, not the default ACL's. */
        for (uint32_t k = 0; k < snap->n_nacls && !sgr_strmap_get(acl_of, 0, s->id) && !s->nacl_unknown_why; k++)
            if (snap->nacls[k]->associations_unknown_why && snap->nacls[k]->vpc_id && s->vpc_id &&
                strcmp(snap->nacls[k]->vpc_id, s->vpc_id) == 0)
                s->nacl_unknown_why = snap->nacls[k]->associations_unknown_why;
    }
    for (uint32_t i = 0; i < snap->n_sgs; i++) {
        sgr_sg *g = snap->sgs[i];
        g->vpc = FIND(snap, SGR_KIND_VPC, g->vpc_id);
        for (uint32_t k = 0; k < g->n_rules; k++) {
            sgr_sg_rule *r = &g->rules[k];
            if (r->peer_kind == SGR_PEER_GROUP && !r->group_id) {
                resolve_group_name(snap, g, r);
            } else if (r->peer_kind == SGR_PEER_GROUP) {
                r->group = FIND(snap, SGR_KIND_SG, r->group_id);
                if (!r->group)
                    missing_group(snap, r->group_id, &r->origin);
                warn_cross_region_reference(snap, g, r);
            } else if (r->peer_kind == SGR_PEER_PREFIX_LIST) {
                r->prefix_list = FIND(snap, SGR_KIND_PREFIX_LIST, r->prefix_list_id);
            }
        }
    }
    for (uint32_t i = 0; i < snap->n_tgw_attachments; i++) {
        sgr_tgw_attachment *a = snap->tgw_attachments[i];
        sgr_tgw_route_table *t = FIND(snap, SGR_KIND_TGW_ROUTE_TABLE, a->route_table_id);
        if (!t)
            continue;
        const char **items = SGR_NEW_N(snap->arena, const char *, t->associated_attachments.count + 1);
        if (t->associated_attachments.count)
            memcpy(items, t->associated_attachments.items, t->associated_attachments.count * sizeof *items);
        items[t->associated_attachments.count++] = a->id;
        t->associated_attachments.items = items;
    }
}

/* "ELB app/NAME/ID" → the load balancer whose ARN ends in loadbalancer/app/NAME/ID;
 * "ELB NAME" → the classic load balancer NAME. */
static sgr_lb *lb_of_description(sgr_snapshot *snap, sgr_strmap *by_suffix, const char *desc)
{
    if (!desc || strncmp(desc, "ELB ", 4) != 0)
        return NULL;
    const char *rest = desc + 4;
    if (!strncmp(rest, "app/", 4) || !strncmp(rest, "net/", 4) || !strncmp(rest, "gwy/", 4))
        return sgr_strmap_get(by_suffix, 0, rest);
    char key[300];
    snprintf(key, sizeof key, "name:%s", rest);
    sgr_lb *lb = FIND(snap, SGR_KIND_LB, key);
    return lb && lb->type == SGR_LB_CLASSIC ? lb : NULL;
}

static bool type_is(const char *t, const char *a, const char *b)
{
    return t && (!strcmp(t, a) || (b && !strcmp(t, b)));
}

/* A back-pointer list (a balancer's interfaces, a service's tasks) whose
 * members a first pass counted in *n: the array for a second pass to fill,
 * with *n back to 0. */
static void *members(sgr_snapshot *snap, uint32_t *n)
{
    void *v = *n ? sgr_arena_alloc_array(snap->arena, *n, sizeof(void *)) : NULL;
    *n = 0;
    return v;
}

static void link_enis(sgr_snapshot *snap)
{
    sgr_strmap *by_suffix = sgr_strmap_new(snap->arena);
    for (uint32_t i = 0; i < snap->n_lbs; i++) {
        sgr_lb *lb = snap->lbs[i];
        const char *s = lb->arn ? strstr(lb->arn, ":loadbalancer/") : NULL;
        if (s)
            sgr_strmap_put(by_suffix, 0, s + strlen(":loadbalancer/"), lb);
    }
    sgr_strmap *owned = sgr_strmap_new(snap->arena); /* eni id → kind + 1 */
    for (uint32_t i = 0; i < snap->n_nats; i++)
        for (uint32_t k = 0; k < snap->nats[i]->eni_ids.count; k++)
            sgr_strmap_put(owned, 0, snap->nats[i]->eni_ids.items[k], (void *)(uintptr_t)(SGR_ENI_OWNER_NAT + 1));
    for (uint32_t i = 0; i < snap->n_vpc_endpoints; i++)
        for (uint32_t k = 0; k < snap->vpc_endpoints[i]->eni_ids.count; k++)
            sgr_strmap_put(owned, 0, snap->vpc_endpoints[i]->eni_ids.items[k],
                           (void *)(uintptr_t)(SGR_ENI_OWNER_VPCE + 1));
    /* n_enis first counts each load balancer's interfaces, then fills. */
    for (uint32_t i = 0; i < snap->n_lbs; i++)
        snap->lbs[i]->n_enis = 0;
    for (uint32_t i = 0; i < snap->n_enis; i++) {
        sgr_eni *e = snap->enis[i];
        e->subnet = FIND(snap, SGR_KIND_SUBNET, e->subnet_id);
        e->vpc = FIND(snap, SGR_KIND_VPC, e->vpc_id);
        if (!e->vpc && e->subnet)
            e->vpc = e->subnet->vpc;
        e->groups = resolve_groups(snap, &e->group_ids, &e->origin);
        e->instance = FIND(snap, SGR_KIND_INSTANCE, e->attached_instance);
        e->owner_kind = SGR_ENI_OWNER_NONE;
        e->lb = lb_of_description(snap, by_suffix, e->description);
        uintptr_t own = (uintptr_t)sgr_strmap_get(owned, 0, e->id);
        const char *t = e->interface_type;
        if (e->lb) {
            e->owner_kind = SGR_ENI_OWNER_LB;
        } else if (own) {
            e->owner_kind = (sgr_eni_owner)(own - 1);
        } else if (type_is(t, "nat_gateway", "natGateway")) {
            e->owner_kind = SGR_ENI_OWNER_NAT;
        } else if (type_is(t, "vpc_endpoint", "gateway_load_balancer_endpoint")) {
            e->owner_kind = SGR_ENI_OWNER_VPCE;
        } else if ((e->description && !strcmp(e->description, "RDSNetworkInterface")) ||
                   (e->requester_id && !strcmp(e->requester_id, "amazon-rds"))) {
            e->owner_kind = SGR_ENI_OWNER_RDS;
        } else if (e->instance) {
            e->owner_kind = SGR_ENI_OWNER_INSTANCE;
        } else if ((t && !type_is(t, "interface", "trunk") && strcmp(t, "branch") != 0) ||
                   e->requester_managed) {
            e->owner_kind = SGR_ENI_OWNER_OTHER;
        }
        if (e->lb)
            e->lb->n_enis++;
    }
    for (uint32_t i = 0; i < snap->n_lbs; i++)
        snap->lbs[i]->enis = members(snap, &snap->lbs[i]->n_enis);
    for (uint32_t i = 0; i < snap->n_enis; i++)
        if (snap->enis[i]->lb)
            snap->enis[i]->lb->enis[snap->enis[i]->lb->n_enis++] = snap->enis[i];
    for (uint32_t i = 0; i < snap->n_instances; i++) {
        sgr_instance *in = snap->instances[i];
        in->primary_eni = NULL;
        for (uint32_t k = 0; k < in->n_enis; k++) {
            in->enis[k].eni = FIND(snap, SGR_KIND_ENI, in->enis[k].eni_id);
            if (in->enis[k].device_index == 0 && !in->primary_eni)
                in->primary_eni = in->enis[k].eni;
        }
    }
    /* Interfaces only describe-network-interfaces attaches to an instance. */
    for (uint32_t i = 0; i < snap->n_enis; i++) {
        sgr_eni *e = snap->enis[i];
        if (e->instance && e->device_index == 0 && !e->instance->primary_eni)
            e->instance->primary_eni = e;
    }
}

static void link_ecs(sgr_snapshot *snap)
{
    for (uint32_t i = 0; i < snap->n_container_instances; i++) {
        sgr_container_instance *ci = snap->container_instances[i];
        ci->instance = FIND(snap, SGR_KIND_INSTANCE, ci->ec2_instance_id);
        if (ci->instance && !ci->instance->container_instance)
            ci->instance->container_instance = ci;
    }
    sgr_strmap *svc = sgr_strmap_new(snap->arena); /* "cluster|name" and "|name" → service */
    char key[1024];
    for (uint32_t i = 0; i < snap->n_services; i++) {
        sgr_service *s = snap->services[i];
        s->task_def = FIND(snap, SGR_KIND_TASK_DEF, s->task_def_arn);
        s->n_tasks = 0;
        snprintf(key, sizeof key, "%s|%s", s->cluster_arn ? s->cluster_arn : "", s->name ? s->name : "");
        sgr_strmap_put(svc, 0, sgr_arena_strdup(snap->arena, key), s);
        snprintf(key, sizeof key, "|%s", s->name ? s->name : "");
        if (!sgr_strmap_get(svc, 0, key))
            sgr_strmap_put(svc, 0, sgr_arena_strdup(snap->arena, key), s);
        for (uint32_t k = 0; k < s->n_lbs; k++) {
            sgr_service_lb *l = &s->lbs[k];
            l->target_group = FIND(snap, SGR_KIND_TARGET_GROUP, l->target_group_arn);
            if (l->lb_name) {
                snprintf(key, sizeof key, "name:%s", l->lb_name);
                l->lb = FIND(snap, SGR_KIND_LB, key);
            }
        }
    }
    for (uint32_t i = 0; i < snap->n_tasks; i++) {
        sgr_task *t = snap->tasks[i];
        t->task_def = FIND(snap, SGR_KIND_TASK_DEF, t->task_def_arn);
        t->service = NULL;
        if (t->group && !strncmp(t->group, "service:", 8)) {
            snprintf(key, sizeof key, "%s|%s", t->cluster_arn ? t->cluster_arn : "", t->group + 8);
            t->service = sgr_strmap_get(svc, 0, key);
            if (!t->service && !t->cluster_arn) {
                snprintf(key, sizeof key, "|%s", t->group + 8);
                t->service = sgr_strmap_get(svc, 0, key);
            }
            if (t->service)
                t->service->n_tasks++;
        }
        if (t->eni_id) {
            t->eni = FIND(snap, SGR_KIND_ENI, t->eni_id);
            if (t->eni) {
                t->eni->owner_kind = SGR_ENI_OWNER_TASK;
                t->eni->task = t;
            } else {
                sgr_snapshot_diag(snap, SGR_SEV_WARNING, t->origin.file, t->origin.line, 0, t->origin.path,
                                  "task %s: its network interface %s is in no dump", t->id, t->eni_id);
            }
        }
        if (t->container_instance_arn) {
            t->container_instance = FIND(snap, SGR_KIND_CONTAINER_INSTANCE, t->container_instance_arn);
            if (t->container_instance)
                t->instance = t->container_instance->instance;
            else
                sgr_snapshot_diag(snap, SGR_SEV_WARNING, t->origin.file, t->origin.line, 0, t->origin.path,
                                  "task %s: its container instance %s is in no dump", t->id,
                                  t->container_instance_arn);
        }
    }
    for (uint32_t i = 0; i < snap->n_services; i++)
        snap->services[i]->tasks = members(snap, &snap->services[i]->n_tasks);
    for (uint32_t i = 0; i < snap->n_tasks; i++)
        if (snap->tasks[i]->service)
            snap->tasks[i]->service->tasks[snap->tasks[i]->service->n_tasks++] = snap->tasks[i];
}

static void add_tg_lb(sgr_snapshot *snap, sgr_target_group *tg, sgr_lb *lb, uint32_t *cap)
{
    for (uint32_t i = 0; i < tg->n_lbs && i < SGR_DEDUPE_SCAN; i++)
        if (tg->lbs[i] == lb)
            return;
    if (tg->n_lbs == *cap)
        tg->lbs = sgr_arena_grow(snap->arena, tg->lbs, cap, tg->n_lbs + 1, sizeof *tg->lbs);
    tg->lbs[tg->n_lbs++] = lb;
}

/* The interface of `vpc_id` one of whose delegated prefixes (Ipv4Prefixes,
 * Ipv6Prefixes: pods, tasks) holds the address `text`, or NULL. */
static sgr_eni *eni_with_prefix_of(const sgr_snapshot *snap, const char *vpc_id, const char *text)
{
    sgr_ip at;
    if (!text || !sgr_parse_ip(text, &at))
        return NULL;
    for (uint32_t i = 0; i < snap->n_enis; i++) {
        sgr_eni *e = snap->enis[i];
        if (vpc_id && e->vpc_id && strcmp(vpc_id, e->vpc_id) != 0)
            continue;
        for (uint32_t k = 0; k < e->n_prefixes; k++)
            if (sgr_prefix_contains(&e->prefixes[k], &at))
                return e;
    }
    return NULL;
}

static void link_elb(sgr_snapshot *snap)
{
    for (uint32_t i = 0; i < snap->n_lbs; i++) {
        sgr_lb *lb = snap->lbs[i];
        lb->groups = resolve_groups(snap, &lb->group_ids, &lb->origin);
    }
    /* ip targets: the interface holding that private address in the group's VPC. */
    sgr_strmap *by_ip = sgr_strmap_new(snap->arena);
    bool any_ip_targets = false;
    for (uint32_t i = 0; i < snap->n_target_groups && !any_ip_targets; i++)
        any_ip_targets = snap->target_groups[i]->target_type &&
                         !strcmp(snap->target_groups[i]->target_type, "ip");
    char key[256], ip[64];
    if (any_ip_targets) {
        for (uint32_t i = 0; i < snap->n_enis; i++) {
            sgr_eni *e = snap->enis[i];
            for (uint32_t k = 0; k < e->n_private_ips + e->n_ipv6; k++) {
                const sgr_ip *at = k < e->n_private_ips ? &e->private_ips[k] : &e->ipv6[k - e->n_private_ips];
                snprintf(key, sizeof key, "%s|%s", e->vpc_id ? e->vpc_id : "", sgr_format_ip(at, ip, sizeof ip));
                if (!sgr_strmap_get(by_ip, 0, key))
                    sgr_strmap_put(by_ip, 0, sgr_arena_strdup(snap->arena, key), e);
            }
        }
    }
    uint32_t *caps = sgr_xcalloc(snap->n_target_groups + 1, sizeof *caps);
    sgr_strmap *tg_pos = sgr_strmap_new(snap->arena);
    for (uint32_t i = 0; i < snap->n_target_groups; i++) {
        sgr_target_group *tg = snap->target_groups[i];
        sgr_strmap_put(tg_pos, 0, tg->arn, (void *)(uintptr_t)(i + 1));
        tg->lbs = NULL;
        tg->n_lbs = 0;
        for (uint32_t k = 0; k < tg->lb_arns.count; k++) {
            sgr_lb *lb = FIND(snap, SGR_KIND_LB, tg->lb_arns.items[k]);
            if (lb)
                add_tg_lb(snap, tg, lb, &caps[i]);
        }
        for (uint32_t k = 0; k < tg->n_targets; k++) {
            sgr_target *t = &tg->targets[k];
            t->instance = FIND(snap, SGR_KIND_INSTANCE, t->id);
            if (!t->instance && t->id && !sgr_parse_ip(t->id, &t->addr))
                memset(&t->addr, 0, sizeof t->addr);
            if (!t->instance && any_ip_targets) {
                snprintf(key, sizeof key, "%s|%s", tg->vpc_id ? tg->vpc_id : "", t->id);
                t->eni = sgr_strmap_get(by_ip, 0, key);
                if (!t->eni)
                    t->eni = eni_with_prefix_of(snap, tg->vpc_id, t->id);
            }
        }
    }
    /* each load balancer's listeners, so that a question about one does not
     * pass over every listener of the snapshot (at a million interfaces that
     * was the exposure's largest cost) */
    for (uint32_t i = 0; i < snap->n_listeners; i++) {
        sgr_listener *l = snap->listeners[i];
        l->lb = FIND(snap, SGR_KIND_LB, l->lb_arn);
        if (l->lb) {
            l->lb->listeners = NULL;
            l->lb->n_listeners = 0;
        }
    }
    for (uint32_t i = 0; i < snap->n_listeners; i++)
        if (snap->listeners[i]->lb)
            snap->listeners[i]->lb->n_listeners++;
    for (uint32_t i = 0; i < snap->n_listeners; i++) {
        sgr_listener *l = snap->listeners[i];
        if (!l->lb)
            continue;
        if (!l->lb->listeners) { /* its first: room for the count, then filled */
            l->lb->listeners = SGR_NEW_N(snap->arena, sgr_listener *, l->lb->n_listeners);
            l->lb->n_listeners = 0;
        }
        l->lb->listeners[l->lb->n_listeners++] = l;
        for (uint32_t k = 0; k < l->target_group_arns.count; k++) {
            uintptr_t at = (uintptr_t)sgr_strmap_get(tg_pos, 0, l->target_group_arns.items[k]);
            if (at)
                add_tg_lb(snap, snap->target_groups[at - 1], l->lb, &caps[at - 1]);
        }
    }
    free(caps);
}

/* An interface endpoint → the endpoint service its ServiceName names (when
 * the provider's configuration is in the snapshot), and the provider's record
 * of the connection. */
static void link_privatelink(sgr_snapshot *snap)
{
    for (uint32_t i = 0; i < snap->n_vpc_endpoints; i++) {
        sgr_vpc_endpoint *e = snap->vpc_endpoints[i];
        e->service = NULL;
        e->connection = NULL;
        if (!e->service_name)
            continue;
        char key[600];
        snprintf(key, sizeof key, "name:%s", e->service_name);
        e->service = FIND(snap, SGR_KIND_ENDPOINT_SERVICE, key);
        if (!e->service)
            continue;
        snprintf(key, sizeof key, "%s|%s", e->service->id, e->id);
        e->connection = FIND(snap, SGR_KIND_ENDPOINT_CONNECTION, key);
    }
}

void sgr_link(sgr_snapshot *snap)
{
    link_privatelink(snap);
    link_network(snap);
    link_enis(snap);
    link_ecs(snap);
    link_elb(snap);
    sgr_coverage_resolve(snap);
}
