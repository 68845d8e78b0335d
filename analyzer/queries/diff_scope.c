/*
 * Which endpoints a change can affect, so that `diff` recomputes only their
 * rows and columns of the reach matrix instead of all N² pairs.
 *
 * A one-flow path f → t depends on f's and t's own interfaces (addresses,
 * groups, subnet), the rules of their groups, the members of every group
 * those rules reference, their subnets' ACLs, and on things shared by many
 * paths: route tables, VPCs, peerings, gateways, prefix lists, load
 * balancers, target groups, listeners, ECS services and task definitions.
 * Each of those is hashed on both sides:
 *  - a shared thing that differs → every pair is compared (the full diff);
 *  - a group whose rules or members differ is dirty, and so is every group
 *    with a rule referencing a group whose members differ;
 *  - a subnet whose ACL differs is dirty;
 *  - an endpoint is dirty when it exists on one side only, when its own
 *    hash differs, or when it carries a dirty group or sits in a dirty subnet.
 * A dirty load balancer or NAT interface relays paths between clean
 * endpoints: full diff. The dirty endpoints' identities are the scope.
 */
#include <stdlib.h>
#include <string.h>

#include "queries/diff.h"
#include "queries/endpoint_key.h"
#include "graph/strmap.h"
#include "sgreach/snapshot.h"

typedef uint64_t hash;

static hash h_bytes(hash h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h ^= b[i];
        h *= 1099511628211ull;
    }
    return h;
}

static hash h_str(hash h, const char *s)
{
    h = s ? h_bytes(h, s, strlen(s)) : h_bytes(h, "\x01", 1);
    return h_bytes(h, "\x1f", 1);
}

static hash h_int(hash h, int64_t v) { return h_bytes(h, &v, sizeof v); }

static hash h_ip(hash h, const sgr_ip *ip)
{
    h = h_int(h, ip->family);
    return h_bytes(h, ip->b, ip->family == SGR_AF_INET ? 4 : ip->family ? 16 : 0);
}

static hash h_prefix(hash h, const sgr_prefix *p) { return h_int(h_ip(h, &p->ip), p->len); }

static hash h_strs(hash h, const sgr_strs *s)
{
    h = h_int(h, s->count);
    for (uint32_t i = 0; i < s->count; i++)
        h = h_str(h, s->items[i]);
    return h;
}

#define H0 14695981039346656037ull

/* ------------------------------------------------------------------ shared things */

static hash h_lbs(hash h, const sgr_snapshot *s)
{
    for (uint32_t i = 0; i < s->n_lbs; i++) {
        const sgr_lb *lb = s->lbs[i];
        h = h_str(h_str(h_int(h_int(h, lb->type), lb->internet_facing), lb->arn), lb->name);
        h = h_strs(h_strs(h_strs(h, &lb->subnet_ids), &lb->group_ids), &lb->classic_instances);
        for (uint32_t k = 0; k < lb->n_addresses; k++)
            h = h_ip(h, &lb->addresses[k]);
        for (uint32_t k = 0; k < lb->n_classic_listeners; k++)
            h = h_int(h_int(h_int(h, lb->classic_listeners[k].protocol), lb->classic_listeners[k].lb_port),
                      lb->classic_listeners[k].instance_port);
        for (uint32_t k = 0; k < lb->n_enis; k++)
            h = h_str(h, lb->enis[k] ? lb->enis[k]->id : NULL);
    }
    for (uint32_t i = 0; i < s->n_target_groups; i++) {
        const sgr_target_group *tg = s->target_groups[i];
        h = h_str(h_int(h_int(h_str(h, tg->arn), tg->protocol), tg->port), tg->target_type);
        /* the targets themselves: target_changes() */
        h = h_int(h_int(h_int(h_strs(h, &tg->lb_arns), tg->preserve_client_ip), tg->attributes_known), tg->targets_known);
    }
    for (uint32_t i = 0; i < s->n_listeners; i++) {
        const sgr_listener *l = s->listeners[i];
        h = h_strs(h_int(h_int(h_str(h_str(h, l->arn), l->lb_arn), l->port), l->protocol), &l->target_group_arns);
    }
    return h;
}

static hash h_ecs(hash h, const sgr_snapshot *s)
{
    for (uint32_t i = 0; i < s->n_services; i++) {
        const sgr_service *sv = s->services[i];
        /* a new task definition shows in the new tasks (endpoint_hash) */
        h = h_strs(h_strs(h_str(h, sv->arn), &sv->subnet_ids), &sv->group_ids);
        for (uint32_t k = 0; k < sv->n_lbs; k++)
            h = h_int(h_str(h_str(h_str(h, sv->lbs[k].target_group_arn), sv->lbs[k].lb_name), sv->lbs[k].container_name),
                      sv->lbs[k].container_port);
    }
    for (uint32_t i = 0; i < s->n_container_instances; i++) {
        const sgr_container_instance *ci = s->container_instances[i];
        h = h_str(h_str(h_str(h, ci->arn), ci->ec2_instance_id), ci->trunk_eni_id);
    }
    return h;
}

static hash h_shared(const sgr_snapshot *s)
{
    hash h = H0;
    for (uint32_t i = 0; i < s->n_vpcs; i++) {
        const sgr_vpc *v = s->vpcs[i];
        h = h_str(h_int(h_str(h, v->id), v->has_igw), v->igw_id);
        for (uint32_t k = 0; k < v->n_cidrs; k++)
            h = h_prefix(h, &v->cidrs[k]);
    }
    for (uint32_t i = 0; i < s->n_route_tables; i++) {
        const sgr_route_table *rt = s->route_tables[i];
        h = h_strs(h_int(h_str(h, rt->id), rt->is_main), &rt->subnet_ids);
        for (uint32_t k = 0; k < rt->n_routes; k++) {
            const sgr_route *r = &rt->routes[k];
            h = h_int(h_str(h_int(h_str(h_prefix(h, &r->dest), r->dest_prefix_list), r->target), r->target_id), r->blackhole);
        }
    }
    for (uint32_t i = 0; i < s->n_subnets; i++) {
        const sgr_subnet *sn = s->subnets[i];
        h = h_int(h_prefix(h_str(h_str(h, sn->id), sn->vpc_id), &sn->cidr4), sn->map_public_ip);
        for (uint32_t k = 0; k < sn->n_cidrs6; k++)
            h = h_prefix(h, &sn->cidrs6[k]);
        h = h_str(h_str(h, sn->route_table ? sn->route_table->id : NULL), sn->nacl ? sn->nacl->id : NULL);
    }
    for (uint32_t i = 0; i < s->n_peerings; i++) {
        const sgr_peering *p = s->peerings[i];
        h = h_str(h_str(h_str(h_str(h, p->id), p->status), p->requester.vpc_id), p->accepter.vpc_id);
        for (uint32_t k = 0; k < p->requester.n_cidrs; k++)
            h = h_prefix(h, &p->requester.cidrs[k]);
        for (uint32_t k = 0; k < p->accepter.n_cidrs; k++)
            h = h_prefix(h, &p->accepter.cidrs[k]);
    }
    for (uint32_t i = 0; i < s->n_igws; i++)
        h = h_strs(h_str(h, s->igws[i]->id), &s->igws[i]->vpc_ids);
    for (uint32_t i = 0; i < s->n_nats; i++) {
        const sgr_nat *n = s->nats[i];
        h = h_int(h_str(h_str(h_str(h, n->id), n->subnet_id), n->state), n->is_private);
        for (uint32_t k = 0; k < n->n_public_ips; k++)
            h = h_ip(h, &n->public_ips[k]);
    }
    for (uint32_t i = 0; i < s->n_prefix_lists; i++) {
        const sgr_prefix_list *pl = s->prefix_lists[i];
        h = h_int(h_str(h, pl->id), pl->entries_known);
        for (uint32_t k = 0; k < pl->n_entries; k++)
            h = h_prefix(h, &pl->entries[k]);
    }
    for (uint32_t i = 0; i < s->n_vpc_endpoints; i++) {
        const sgr_vpc_endpoint *e = s->vpc_endpoints[i];
        h = h_strs(h_strs(h_str(h_str(h, e->id), e->type), &e->eni_ids), &e->route_table_ids);
    }
    for (uint32_t i = 0; i < s->n_tgw_attachments; i++)
        h = h_str(h_str(h_str(h, s->tgw_attachments[i]->id), s->tgw_attachments[i]->state), s->tgw_attachments[i]->resource_id);
    for (uint32_t i = 0; i < s->n_tgw_route_tables; i++) {
        const sgr_tgw_route_table *t = s->tgw_route_tables[i];
        h = h_strs(h_strs(h_str(h, t->id), &t->associated_attachments), &t->propagated_attachments);
        for (uint32_t k = 0; k < t->n_routes; k++)
            h = h_int(h_str(h_prefix(h, &t->routes[k].dest), t->routes[k].attachment_id), t->routes[k].blackhole);
    }
    for (uint32_t i = 0; i < s->n_dbs; i++) {
        const sgr_db *d = s->dbs[i];
        h = h_ip(h_int(h_strs(h_strs(h_int(h_str(h, d->id), d->port), &d->subnet_ids), &d->group_ids), d->publicly_accessible),
                 &d->address);
    }
    return h_ecs(h_lbs(h, s), s);
}

/* ------------------------------------------------------------------ groups, subnets */

typedef struct sg_hash {
    hash rules, members;
} sg_hash;

static hash h_eni_addrs(hash h, const sgr_eni *e)
{
    h = h_int(h_str(h, e->id), e->address_planned);
    for (uint32_t k = 0; k < e->n_private_ips; k++)
        h = h_ip(h, &e->private_ips[k]);
    for (uint32_t k = 0; k < e->n_ipv6; k++)
        h = h_ip(h, &e->ipv6[k]);
    for (uint32_t k = 0; k < e->n_public_ips; k++)
        h = h_ip(h_ip(h, &e->public_ips[k].ip), &e->public_ips[k].private_ip);
    return h_str(h_str(h, e->subnet_id), e->vpc_id);
}

/* Group id → rules hash and members hash (a sum of the members' hashes: order-free). */
static sgr_strmap *group_hashes(const sgr_snapshot *s, sgr_arena *a)
{
    sgr_strmap *m = sgr_strmap_new(a);
    for (uint32_t i = 0; i < s->n_sgs; i++) {
        const sgr_sg *g = s->sgs[i];
        sg_hash *gh = SGR_NEW(a, sg_hash);
        hash h = h_int(h_str(H0, g->vpc_id), g->described);
        for (uint32_t k = 0; k < g->n_rules; k++) {
            const sgr_sg_rule *r = &g->rules[k];
            h = h_int(h_int(h_int(h_int(h_int(h, r->egress), r->protocol), r->from_port), r->to_port), r->peer_kind);
            h = h_str(h_str(h_str(h_prefix(h, &r->cidr), r->prefix_list_id), r->group_id), r->peering_id);
        }
        gh->rules = h;
        sgr_strmap_put(m, 1, g->id, gh);
    }
    for (uint32_t i = 0; i < s->n_enis; i++) {
        const sgr_eni *e = s->enis[i];
        hash eh = h_eni_addrs(H0, e);
        for (uint32_t k = 0; k < e->group_ids.count; k++) {
            sg_hash *gh = sgr_strmap_get(m, 1, e->group_ids.items[k]);
            if (!gh) { /* referenced by an interface, never described */
                gh = SGR_NEW(a, sg_hash);
                sgr_strmap_put(m, 1, e->group_ids.items[k], gh);
            }
            gh->members += eh;
        }
    }
    return m;
}

static hash nacl_hash(const sgr_nacl *n)
{
    hash h = H0;
    if (!n)
        return h;
    h = h_str(h, n->id);
    for (uint32_t k = 0; k < n->n_entries; k++) {
        const sgr_nacl_entry *e = &n->entries[k];
        h = h_int(h_int(h_int(h_int(h_prefix(h_int(h_int(h_int(h, e->rule_number), e->egress), e->protocol), &e->cidr), e->allow),
                                  e->port_from), e->port_to), e->icmp_type);
        h = h_int(h, e->icmp_code);
    }
    return h;
}

/* ------------------------------------------------------------------ endpoints */

static hash endpoint_hash(sgr_arena *a, const sgr_endpoint *e)
{
    hash h = h_str(h_str(h_int(H0, e->kind), e->id), sgr_endpoint_key(a, e));
    h = h_int(h, e->mode);
    if (e->instance)
        h = h_str(h_str(h, e->instance->id), e->instance->state);
    if (e->eni)
        h = h_int(h_strs(h_eni_addrs(h, e->eni), &e->eni->group_ids), e->eni->source_dest_check);
    for (uint32_t k = 0; k < e->n_also_enis; k++) { /* a bridge or host task's other ways in */
        const sgr_eni *o = e->also_enis[k];
        h = h_int(h_strs(h_eni_addrs(h_str(h_str(h, o->id), o->subnet_id), o), &o->group_ids), o->source_dest_check);
    }
    if (e->task) {
        h = h_str(h_str(h, e->task->last_status), e->task->container_instance_arn);
        const sgr_task_def *td = e->task->task_def;
        for (uint32_t c = 0; td && c < td->n_containers; c++)
            for (uint32_t k = 0; k < td->containers[c].n_ports; k++) {
                const sgr_port_mapping *m = &td->containers[c].ports[k];
                h = h_int(h_int(h_int(h_int(h_int(h, m->container_port), m->container_port_end), m->host_port),
                                m->host_port_end), m->protocol);
            }
        for (uint32_t c = 0; c < e->task->n_containers; c++) {
            const sgr_task_container *tc = &e->task->containers[c];
            h = h_ip(h_str(h, tc->name), &tc->private_ip);
            for (uint32_t k = 0; k < tc->n_bindings; k++)
                h = h_ip(h_int(h_int(h_int(h_int(h_int(h, tc->bindings[k].container_port), tc->bindings[k].container_port_end),
                                           tc->bindings[k].host_port), tc->bindings[k].host_port_end), tc->bindings[k].protocol),
                         &tc->bindings[k].bind_ip);
        }
    }
    return h;
}

typedef struct ep_state {
    hash h;
    bool dirty;
} ep_state;

static bool group_dirty(const char *id, sgr_strmap *mine, sgr_strmap *other, sgr_strmap *members_changed)
{
    const sg_hash *x = sgr_strmap_get(mine, 1, id), *y = sgr_strmap_get(other, 1, id);
    if (!x || !y || x->rules != y->rules || x->members != y->members)
        return true;
    return sgr_strmap_get(members_changed, 2, id) != NULL;
}

/* Marks the dirty endpoints of one side; false when one of them relays others' paths. */
static bool mark_side(sgr_graph *g, const sgr_snapshot *s, sgr_strmap *own_groups, sgr_strmap *other_groups,
                      sgr_strmap *refs_changed, sgr_strmap *other_eps, sgr_strmap *own_eps, sgr_strmap *dirty_subnets,
                      sgr_arena *a, sgr_strmap *scope, uint32_t *n_dirty)
{
    (void)s;
    const sgr_endpoint *const *eps;
    uint32_t n = sgr_graph_endpoints(g, &eps);
    for (uint32_t i = 0; i < n; i++) {
        const sgr_endpoint *e = eps[i];
        if (e->kind == SGR_EP_INTERNET || e->kind == SGR_EP_CIDR)
            continue;
        const ep_state *mine = sgr_strmap_get(own_eps, 1, e->id);
        const ep_state *theirs = sgr_strmap_get(other_eps, 1, e->id);
        bool dirty = !theirs || !mine || theirs->h != mine->h;
        /* its interface, and a bridge or host task's other ways in */
        for (uint32_t d = 0; !dirty && e->eni && d <= e->n_also_enis; d++) {
            const sgr_eni *x = d ? e->also_enis[d - 1] : e->eni;
            for (uint32_t k = 0; k < x->group_ids.count && !dirty; k++)
                dirty = group_dirty(x->group_ids.items[k], own_groups, other_groups, refs_changed);
            dirty = dirty || (x->subnet_id && sgr_strmap_get(dirty_subnets, 1, x->subnet_id));
            dirty = dirty || (x->id && sgr_strmap_get(dirty_subnets, 2, x->id));
        }
        if (!dirty)
            continue;
        if (e->kind == SGR_EP_LB || (e->eni && (e->eni->owner_kind == SGR_ENI_OWNER_NAT || e->eni->owner_kind == SGR_ENI_OWNER_LB)))
            return false;
        sgr_strmap_put(scope, 1, sgr_endpoint_key(a, e), (void *)e);
        (*n_dirty)++;
    }
    return true;
}

static sgr_strmap *endpoint_hashes(sgr_graph *g, sgr_arena *a)
{
    sgr_strmap *m = sgr_strmap_new(a);
    const sgr_endpoint *const *eps;
    uint32_t n = sgr_graph_endpoints(g, &eps);
    for (uint32_t i = 0; i < n; i++) {
        ep_state *st = SGR_NEW(a, ep_state);
        st->h = endpoint_hash(a, eps[i]);
        sgr_strmap_put(m, 1, eps[i]->id, st);
    }
    return m;
}

/* Target registrations (group, target, port, state) on one side, as a set. */
static sgr_strmap *target_set(const sgr_snapshot *s, sgr_arena *a)
{
    sgr_strmap *m = sgr_strmap_new(a);
    for (uint32_t i = 0; i < s->n_target_groups; i++) {
        const sgr_target_group *tg = s->target_groups[i];
        for (uint32_t k = 0; k < tg->n_targets; k++) {
            const sgr_target *t = &tg->targets[k];
            const char *key = sgr_arena_printf(a, "%s|%s|%d|%s", tg->arn ? tg->arn : "", t->id ? t->id : "", (int)t->port,
                                               t->state ? t->state : "");
            sgr_strmap_put(m, 1, key, (void *)t);
        }
    }
    return m;
}

/* A registration on one side only: the interface behind it is dirty (every
 * endpoint it carries: an ip target's task, an instance's bridge tasks).
 * False when the target is no interface of the snapshot (full diff). */
static bool target_changes(sgr_strmap *mine, sgr_strmap *theirs, sgr_strmap *dirty_enis)
{
    size_t pos = 0;
    const char *key;
    void *v;
    while (sgr_strmap_next(mine, &pos, NULL, &key, &v)) {
        if (sgr_strmap_get(theirs, 1, key))
            continue;
        const sgr_target *t = v;
        const sgr_eni *eni = t->eni ? t->eni : t->instance ? t->instance->primary_eni : NULL;
        if (!eni || !eni->id)
            return false;
        sgr_strmap_put(dirty_enis, 2, eni->id, (void *)eni);
    }
    return true;
}

/* Groups one of whose rules references a group whose members changed. */
static void mark_referrers(const sgr_snapshot *s, sgr_strmap *own, sgr_strmap *other, sgr_strmap *out)
{
    for (uint32_t i = 0; i < s->n_sgs; i++)
        for (uint32_t k = 0; k < s->sgs[i]->n_rules; k++) {
            const char *ref = s->sgs[i]->rules[k].group_id;
            if (!ref)
                continue;
            const sg_hash *x = sgr_strmap_get(own, 1, ref), *y = sgr_strmap_get(other, 1, ref);
            if ((x == NULL) != (y == NULL) || (x && x->members != y->members))
                sgr_strmap_put(out, 2, s->sgs[i]->id, (void *)s->sgs[i]);
        }
}

sgr_strmap *sgr_diff_scope(const sgr_snapshot *old_s, sgr_graph *old_g, const sgr_snapshot *new_s, sgr_graph *new_g,
                           sgr_arena *a)
{
    if (!old_s || !new_s || !old_g || !new_g || h_shared(old_s) != h_shared(new_s))
        return NULL;
    sgr_strmap *og = group_hashes(old_s, a), *ng = group_hashes(new_s, a);
    sgr_strmap *refs = sgr_strmap_new(a);
    mark_referrers(old_s, og, ng, refs);
    mark_referrers(new_s, ng, og, refs);
    sgr_strmap *dirty_subnets = sgr_strmap_new(a);
    for (int side = 0; side < 2; side++) {
        const sgr_snapshot *s = side ? new_s : old_s, *o = side ? old_s : new_s;
        for (uint32_t i = 0; i < s->n_subnets; i++) {
            const sgr_subnet *sn = s->subnets[i];
            const sgr_subnet *other = sgr_snapshot_find(o, SGR_KIND_SUBNET, sn->id);
            if (!other || nacl_hash(sn->nacl) != nacl_hash(other->nacl))
                sgr_strmap_put(dirty_subnets, 1, sn->id, (void *)sn);
        }
    }
    /* Interfaces behind changed target registrations share the subnets' map (tag 2). */
    sgr_strmap *ot = target_set(old_s, a), *nt = target_set(new_s, a);
    if (!target_changes(ot, nt, dirty_subnets) || !target_changes(nt, ot, dirty_subnets))
        return NULL;
    sgr_strmap *oe = endpoint_hashes(old_g, a), *ne = endpoint_hashes(new_g, a);
    sgr_strmap *scope = sgr_strmap_new(a);
    uint32_t n_dirty = 0;
    if (!mark_side(old_g, old_s, og, ng, refs, ne, oe, dirty_subnets, a, scope, &n_dirty) ||
        !mark_side(new_g, new_s, ng, og, refs, oe, ne, dirty_subnets, a, scope, &n_dirty))
        return NULL;
    /* A dirty endpoint costs a row and a column: past half of a large estate
     * the full matrix is as cheap (small estates stay incremental: cheap either way). */
    const sgr_endpoint *const *eps;
    uint32_t total = sgr_graph_endpoints(new_g, &eps) + sgr_graph_endpoints(old_g, &eps);
    if (total >= 200 && (uint64_t)n_dirty * 2 > total)
        return NULL;
    return scope;
}
