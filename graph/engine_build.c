/*
 * Building the graph: indexes, security groups compiled into address sets,
 * and one endpoint per interface, task, load balancer and database.
 */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct members {
    const sgr_eni **v;
    uint32_t n, cap;
} members;

static const char *pair_key(sgr_arena *a, const char *x, const char *y)
{
    return strcmp(x, y) < 0 ? sgr_arena_printf(a, "%s|%s", x, y) : sgr_arena_printf(a, "%s|%s", y, x);
}

/* A group as the graph knows it; groups only referenced get an entry without rules. */
static sgr_csg *csg_get(sgr_graph *g, const char *id)
{
    sgr_csg *c = sgr_strmap_get(g->map, TAG_SG, id);
    if (!c) {
        c = SGR_NEW(g->arena, sgr_csg);
        c->id = sgr_arena_strdup(g->arena, id);
        sgr_strmap_put(g->map, TAG_SG, c->id, c);
    }
    return c;
}

/* Groups are usable across VPCs only within one VPC or an active peering in
 * one region: "You can't reference the security group of a peer VPC that's in
 * a different Region" (VPC Peering "Update your security groups to reference
 * peer security groups"). */
static bool vpcs_connected(const sgr_graph *g, const char *a, const char *b)
{
    if (!a || !b || strcmp(a, b) == 0)
        return true;
    const sgr_peering *p = sgr_engine_peering(g, a, b);
    return p && !sgr_peering_cross_region(p);
}

enum { TGW_REF_NO = 1, TGW_REF_MAYBE, TGW_REF_YES };

/* A VPC attachment that carries traffic (as engine_tgw.c routes it). */
static bool tgw_attachment_live(const sgr_tgw_attachment *x)
{
    return (!x->resource_type || strcmp(x->resource_type, "vpc") == 0) &&
           (!x->state || strcmp(x->state, "available") == 0 || strcmp(x->state, "modifying") == 0);
}

static int flag_ref(int8_t f)
{
    return f == 1 ? TGW_REF_YES : f == 0 ? TGW_REF_NO : TGW_REF_MAYBE;
}

/* Whether an inbound rule of a group in VPC `a` may reference a group's member
 * in VPC `b` across a transit gateway both are attached to (TGW "Security
 * group referencing"): only when the gateway and both VPC attachments have
 * SecurityGroupReferencingSupport enabled; an option the snapshot lacks (or an
 * undescribed gateway) leaves it possible. Cached per pair of VPCs. */
static int tgw_reference(sgr_graph *g, const char *a, const char *b, const char **why)
{
    const sgr_snapshot *s = g->snap;
    *why = NULL;
    if (!s->n_tgw_attachments || !a || !b)
        return TGW_REF_NO;
    const char *key = sgr_arena_printf(g->arena, "%s|%s", a, b);
    const char *cached = sgr_strmap_get(g->map, TAG_TGW_REF, key);
    if (cached) {
        *why = cached[1] ? cached + 1 : NULL;
        return cached[0] - '0';
    }
    int best = TGW_REF_NO;
    const char *best_why = NULL;
    for (uint32_t i = 0; i < s->n_tgw_attachments && best != TGW_REF_YES; i++) {
        const sgr_tgw_attachment *x = s->tgw_attachments[i];
        if (!x->tgw_id || !x->resource_id || strcmp(x->resource_id, a) != 0 || !tgw_attachment_live(x))
            continue;
        for (uint32_t k = 0; k < s->n_tgw_attachments && best != TGW_REF_YES; k++) {
            const sgr_tgw_attachment *y = s->tgw_attachments[k];
            if (!y->tgw_id || strcmp(y->tgw_id, x->tgw_id) != 0 || !y->resource_id || strcmp(y->resource_id, b) != 0 ||
                !tgw_attachment_live(y))
                continue;
            const sgr_tgw *t = sgr_strmap_get(g->map, TAG_TGW, x->tgw_id);
            int v = flag_ref(t ? t->sg_referencing : -1), vx = flag_ref(x->sg_referencing), vy = flag_ref(y->sg_referencing);
            int r = v < vx ? v : vx;
            r = r < vy ? r : vy;
            if (r > best) {
                best = r;
                best_why = r != TGW_REF_MAYBE ? NULL
                           : sgr_arena_printf(g->arena, "whether security group referencing is enabled on transit gateway %s "
                                                        "and its attachments %s and %s is not in the snapshot "
                                                        "(describe-transit-gateways, describe-transit-gateway-vpc-attachments)",
                                              x->tgw_id, x->id, y->id);
            }
        }
    }
    sgr_strmap_put(g->map, TAG_TGW_REF, key, (void *)sgr_arena_printf(g->arena, "%c%s", '0' + best, best_why ? best_why : ""));
    *why = best_why;
    return best;
}

/* Protocols beyond the four the engine always evaluates (sgr_graph.other_protos). */
static void note_protocol(sgr_graph *g, int32_t proto)
{
    if (proto < 0 || proto == SGR_PROTO_TCP || proto == SGR_PROTO_UDP || proto == SGR_PROTO_ICMP ||
        proto == SGR_PROTO_ICMPV6)
        return;
    for (uint32_t i = 0; i < g->n_other_protos; i++)
        if (g->other_protos[i] == proto)
            return;
    if (g->n_other_protos == sizeof g->other_protos / sizeof g->other_protos[0])
        g->many_other_protos = true;
    else
        g->other_protos[g->n_other_protos++] = proto;
}

/* The ports a compiled rule opens, as pair answers name them: every protocol
 * for -1, else its range, and an ICMPv6 rule under ICMP too (answers report
 * IPv6 ICMP as ICMP). The rule is not moved after this: opens point into it. */
static void opens_of(sgr_crule *c)
{
    if (c->proto == SGR_PROTO_ALL) {
        c->opens[0].protocol = SGR_PROTO_ALL;
        c->n_opens = 1;
        return;
    }
    int32_t protos[2] = {c->proto, SGR_PROTO_ICMP};
    c->n_opens = c->proto == SGR_PROTO_ICMPV6 ? 2 : 1;
    for (uint32_t i = 0; i < c->n_opens; i++) {
        c->opens_ranges[i] = (sgr_portrange){c->lo, c->hi};
        c->opens[i] = (sgr_proto_ports){protos[i], &c->opens_ranges[i], 1};
    }
}

/* Interface e's addresses a reference from group sg can match: private ones
 * only (a reference never matches a public or Elastic IP), and only when the
 * two VPCs are connected. */
/* A member's addresses as a reference matches them: private addresses only (a
 * reference never matches a public or Elastic IP). */
static void add_member_addrs(sgr_addrset_builder *b, const sgr_eni *e)
{
    for (uint32_t k = 0; k < e->n_private_ips; k++)
        sgr_asb_add_ip(b, &e->private_ips[k]);
    for (uint32_t k = 0; k < e->n_ipv6; k++)
        sgr_asb_add_ip(b, &e->ipv6[k]);
    /* delegated prefixes (pods, tasks) are the interface's own addresses:
     * traffic from them carries its groups */
    for (uint32_t k = 0; k < e->n_prefixes; k++)
        sgr_asb_add_prefix(b, &e->prefixes[k]);
}

/* The same for a member in this VPC or one peered within the region. */
static void add_private_addrs(sgr_addrset_builder *b, const sgr_eni *e, const sgr_graph *g, const sgr_sg *sg)
{
    if (vpcs_connected(g, sg->vpc_id, e->vpc_id))
        add_member_addrs(b, e);
}

static void compile_rule(sgr_graph *g, const sgr_sg *sg, const sgr_sg_rule *r, sgr_crule *c)
{
    sgr_arena *a = g->arena;
    memset(c, 0, sizeof *c);
    c->sg = sg;
    c->rule = r;
    c->proto = r->protocol < 0 ? SGR_PROTO_ALL : r->protocol;
    note_protocol(g, c->proto);
    sgr_portrange u = sgr_proto_universe(c->proto);
    c->lo = 0;
    c->hi = c->proto == SGR_PROTO_ALL ? 65535 : u.hi;
    if (c->proto == SGR_PROTO_TCP || c->proto == SGR_PROTO_UDP) {
        if (r->from_port >= 0 && r->to_port >= 0) {
            c->lo = r->from_port > 65535 ? 65535 : r->from_port;
            c->hi = r->to_port > 65535 ? 65535 : r->to_port;
        }
    } else if (c->proto == SGR_PROTO_ICMP || c->proto == SGR_PROTO_ICMPV6) {
        if (r->from_port >= 0 && r->from_port <= 255)
            c->lo = c->hi = r->from_port; /* FromPort is the ICMP type */
    }
    opens_of(c);
    switch (r->peer_kind) {
    case SGR_PEER_CIDR:
        c->addrs = sgr_addrset_prefix(a, &r->cidr);
        c->peer_text = sgr_prefix_str(a, &r->cidr);
        break;
    case SGR_PEER_PREFIX_LIST: {
        const sgr_prefix_list *pl = r->prefix_list;
        if (!pl && r->prefix_list_id)
            pl = sgr_strmap_get(g->map, TAG_PL, r->prefix_list_id);
        c->peer_text = r->prefix_list_id ? r->prefix_list_id : "a prefix list";
        if (pl && pl->entries_known) {
            sgr_addrset_builder b;
            sgr_asb_init(&b, a);
            for (uint32_t i = 0; i < pl->n_entries; i++)
                sgr_asb_add_prefix(&b, &pl->entries[i]);
            c->addrs = sgr_asb_build(&b);
        } else {
            c->unknown = true;
            c->unknown_why = sgr_arena_printf(a, "the entries of prefix list %s are not in the snapshot", c->peer_text);
        }
        break;
    }
    case SGR_PEER_GROUP: {
        c->ref_group = r->group_id;
        c->peer_text = r->group_id ? r->group_id
                       : r->group_name ? sgr_arena_printf(a, "group named %s", r->group_name) : "a group";
        members *m = r->group_id ? sgr_strmap_get(g->map, TAG_MEMBERS, r->group_id) : NULL;
        bool known = (r->group && r->group->described) || m != NULL;
        if (r->group_id && !known) {
            const sgr_csg *ref = sgr_engine_csg(g, r->group_id);
            known = ref && ref->described;
        }
        sgr_addrset_builder b, maybe;
        sgr_asb_init(&b, a);
        sgr_asb_init(&maybe, a);
        for (uint32_t i = 0; m && i < m->n; i++) {
            const sgr_eni *e = m->v[i];
            if (!vpcs_connected(g, sg->vpc_id, e->vpc_id)) {
                /* across a transit gateway: inbound rules only ("you can't
                 * reference a security group across a transit gateway in an
                 * outbound rule") */
                const char *why;
                int t = r->egress ? TGW_REF_NO : tgw_reference(g, sg->vpc_id, e->vpc_id, &why);
                if (t == TGW_REF_NO)
                    continue;
                if (t == TGW_REF_MAYBE) {
                    add_member_addrs(&maybe, e);
                    if (!c->tgw_maybe_why)
                        c->tgw_maybe_why = why;
                }
            }
            add_member_addrs(&b, e);
        }
        c->addrs = sgr_asb_build(&b);
        c->tgw_maybe = sgr_asb_build(&maybe);
        c->any_peers = c->addrs;
        const members *unknown_groups = sgr_strmap_get(g->map, TAG_GROUPS_UNKNOWN, "");
        if (unknown_groups) {
            sgr_addrset_builder mb, all;
            sgr_asb_init(&mb, a);
            sgr_asb_init(&all, a);
            for (uint32_t i = 0; m && i < m->n; i++)
                add_private_addrs(&all, m->v[i], g, sg);
            for (uint32_t i = 0; i < unknown_groups->n; i++) {
                add_private_addrs(&mb, unknown_groups->v[i], g, sg);
                add_private_addrs(&all, unknown_groups->v[i], g, sg);
            }
            c->maybe_members = sgr_asb_build(&mb);
            c->any_peers = sgr_asb_build(&all);
        }
        if (!known) {
            c->unknown = true;
            c->unknown_why = r->group_id ? sgr_arena_printf(a, "group %s (referenced by %s) is not in the snapshot: its members are unknown",
                                                            c->peer_text, sg->id)
                                         : sgr_arena_printf(a, "the %s (referenced by %s without GroupId) is not exactly one described group of %s: its members are unknown",
                                                            c->peer_text, sg->id, sg->vpc_id ? sg->vpc_id : "its VPC");
        }
        break;
    }
    }
    if (r->peer_kind != SGR_PEER_GROUP)
        c->any_peers = c->addrs;
}

static void compile_sg(sgr_graph *g, const sgr_sg *sg)
{
    sgr_csg *c = csg_get(g, sg->id);
    c->sg = sg;
    c->described = sg->described;
    uint32_t n_in = 0, n_out = 0;
    for (uint32_t i = 0; i < sg->n_rules; i++)
        sg->rules[i].egress ? n_out++ : n_in++;
    c->in = SGR_NEW_N(g->arena, sgr_crule, n_in ? n_in : 1);
    c->out = SGR_NEW_N(g->arena, sgr_crule, n_out ? n_out : 1);
    for (uint32_t i = 0; i < sg->n_rules; i++) {
        const sgr_sg_rule *r = &sg->rules[i];
        if (r->egress)
            compile_rule(g, sg, r, &c->out[c->n_out++]);
        else
            compile_rule(g, sg, r, &c->in[c->n_in++]);
    }
}

/* Appends interface e to the members list of (tag, key). */
static void add_member(sgr_graph *g, uint32_t tag, const char *key, const sgr_eni *e)
{
    members *m = sgr_strmap_get(g->map, tag, key);
    if (!m) {
        m = SGR_NEW(g->arena, members);
        sgr_strmap_put(g->map, tag, key, m);
    }
    if (m->n == m->cap)
        m->v = sgr_arena_grow(g->arena, m->v, &m->cap, m->n + 1, sizeof *m->v);
    m->v[m->n++] = e;
}

static void index_snapshot(sgr_graph *g)
{
    const sgr_snapshot *s = g->snap;
    for (uint32_t i = 0; i < s->n_subnets; i++)
        sgr_strmap_put(g->map, TAG_SUBNET, s->subnets[i]->id, s->subnets[i]);
    for (uint32_t i = 0; i < s->n_vpcs; i++)
        sgr_strmap_put(g->map, TAG_VPC, s->vpcs[i]->id, s->vpcs[i]);
    for (uint32_t i = 0; i < s->n_target_groups; i++)
        sgr_strmap_put(g->map, TAG_TG, s->target_groups[i]->arn, s->target_groups[i]);
    for (uint32_t i = 0; i < s->n_prefix_lists; i++)
        sgr_strmap_put(g->map, TAG_PL, s->prefix_lists[i]->id, s->prefix_lists[i]);
    for (uint32_t i = 0; i < s->n_nats; i++)
        sgr_strmap_put(g->map, TAG_NAT, s->nats[i]->id, s->nats[i]);
    for (uint32_t i = 0; i < s->n_tgws; i++)
        sgr_strmap_put(g->map, TAG_TGW, s->tgws[i]->id, s->tgws[i]);
    for (uint32_t i = 0; i < s->n_instances; i++)
        sgr_strmap_put(g->map, TAG_INSTANCE, s->instances[i]->id, s->instances[i]);
    for (uint32_t i = 0; i < s->n_enis; i++)
        sgr_strmap_put(g->map, TAG_ENI, s->enis[i]->id, s->enis[i]);
    for (uint32_t i = 0; i < s->n_peerings; i++) {
        const sgr_peering *p = s->peerings[i];
        if (!p->status || strcmp(p->status, "active") != 0 || !p->requester.vpc_id || !p->accepter.vpc_id)
            continue;
        sgr_strmap_put(g->map, TAG_PEER, pair_key(g->arena, p->requester.vpc_id, p->accepter.vpc_id), (void *)p);
    }
    /* group membership: every interface carrying a group, for references */
    for (uint32_t i = 0; i < s->n_enis; i++) {
        const sgr_eni *e = s->enis[i];
        for (uint32_t k = 0; k < e->group_ids.count; k++)
            add_member(g, TAG_MEMBERS, e->group_ids.items[k], e);
    }
    /* interfaces whose groups are unknown may be members of any group */
    for (uint32_t i = 0; i < s->n_enis; i++)
        if (s->enis[i]->groups_unknown_why)
            add_member(g, TAG_GROUPS_UNKNOWN, "", s->enis[i]);
    /* described groups first, so that references know which groups exist */
    for (uint32_t i = 0; i < s->n_sgs; i++) {
        sgr_csg *c = csg_get(g, s->sgs[i]->id);
        c->sg = s->sgs[i];
        c->described = s->sgs[i]->described;
    }
    for (uint32_t i = 0; i < s->n_sgs; i++)
        compile_sg(g, s->sgs[i]);
}

/* ---------------------------------------------------------------- sides and endpoints */

/* The groups that filter a side; `unknown_why` (the model's reason its list
 * could not be read, or NULL) makes what they decide unknown. */
static void side_groups(sgr_graph *g, sgr_side *sd, const sgr_strs *ids, const char *unknown_why)
{
    sd->n_groups = ids->count;
    sd->groups = SGR_NEW_N(g->arena, sgr_csg *, ids->count ? ids->count : 1);
    for (uint32_t k = 0; k < ids->count; k++)
        sd->groups[k] = csg_get(g, ids->items[k]);
    if (unknown_why) {
        sd->groups_unknown = true;
        sd->groups_unknown_why = unknown_why;
    }
}

/* An interface stays when its instance stops, but nothing on it sends or
 * answers: a stopped, stopping, shutting-down or terminated instance serves
 * and starts nothing; a pending one may or may not be up when asked. Any
 * other state (running, or none given) is taken as running. */
static void instance_state(sgr_graph *g, sgr_side *sd, const sgr_instance *in)
{
    static const char *const DOWN[] = {"stopped", "stopping", "shutting-down", "terminated"};
    if (!in || !in->state)
        return;
    for (size_t i = 0; i < sizeof DOWN / sizeof DOWN[0]; i++)
        if (strcmp(in->state, DOWN[i]) == 0)
            sd->down = sgr_arena_printf(g->arena, "instance %s is %s: nothing on it sends or answers", in->id, in->state);
    if (strcmp(in->state, "pending") == 0) {
        sd->down_unknown = true;
        sd->down = sgr_arena_printf(g->arena, "instance %s is pending: whether it is running when traffic comes is unknown", in->id);
    }
    sd->down_origin = &in->origin;
}

static void side_from_eni(sgr_graph *g, sgr_side *sd, const sgr_eni *e)
{
    memset(sd, 0, sizeof *sd);
    sd->label = e->id;
    sd->eni = e;
    sd->subnet = e->subnet ? e->subnet : sgr_engine_subnet(g, e->subnet_id);
    sd->vpc_id = e->vpc_id ? e->vpc_id : sd->subnet ? sd->subnet->vpc_id : NULL;
    sd->vpc = e->vpc ? e->vpc : sd->subnet ? sd->subnet->vpc : NULL;
    side_groups(g, sd, &e->group_ids, e->groups_unknown_why);
    for (uint32_t k = 0; k < e->n_private_ips && !sd->addr4.family; k++)
        if (e->private_ips[k].family == SGR_AF_INET)
            sd->addr4 = e->private_ips[k];
    for (uint32_t k = 0; k < e->n_private_ips && !sd->addr6.family; k++)
        if (e->private_ips[k].family == SGR_AF_INET6)
            sd->addr6 = e->private_ips[k];
    if (e->n_ipv6 && !sd->addr6.family)
        sd->addr6 = e->ipv6[0];
    for (uint32_t k = 0; k < e->n_public_ips; k++)
        if (e->public_ips[k].ip.family == SGR_AF_INET || e->public_ips[k].ip.family == 0) {
            /* family 0: a planned public address (Terraform), not assigned yet */
            sd->has_public4 = true;
            sd->public4 = e->public_ips[k].ip;
            if (sd->public4.family)
                break;
        }
    sd->deny_igw6 = e->deny_all_igw_traffic;
    instance_state(g, sd, e->instance);
    if (e->address_planned && !sd->addr4.family && sd->subnet && sd->subnet->cidr4.ip.family) {
        sd->planned = &sd->subnet->cidr4;
        sd->addr4 = sd->subnet->cidr4.ip;
        sd->assumption = sgr_arena_printf(g->arena, "%s is planned and has no address yet: it will get one of %s (%s)",
                                          e->origin.tf_address ? e->origin.tf_address : e->id, sd->subnet->id,
                                          sgr_prefix_str(g->arena, &sd->subnet->cidr4));
    }
}

static sgr_epx *new_ep(sgr_graph *g, sgr_endpoint_kind kind, const char *id, uint32_t tag)
{
    sgr_epx *x = SGR_NEW(g->arena, sgr_epx);
    x->pub.kind = kind;
    x->pub.id = id;
    sgr_strmap_put(g->map, tag, id, x);
    if (g->n_eps % 64 == 0)
        g->eps = sgr_xrealloc(g->eps, (g->n_eps + 64) * sizeof *g->eps);
    g->eps[g->n_eps++] = x;
    return x;
}

static sgr_net_mode task_mode(const sgr_task *t)
{
    if (t->task_def)
        return t->task_def->network_mode;
    return t->eni_id ? SGR_NET_AWSVPC : SGR_NET_BRIDGE;
}

static const sgr_instance *task_instance(const sgr_task *t)
{
    if (t->instance)
        return t->instance;
    if (t->container_instance && t->container_instance->instance)
        return t->container_instance->instance;
    return NULL;
}

/* Whether interface e of instance `in` takes traffic for the host's own
 * ports besides the primary one: any other attached interface of it, but a
 * trunk (awsvpc trunking: ECS attaches its tasks' branch interfaces to it,
 * ECS "Elastic network interface trunking"; the task endpoints own those) and
 * an interface without an address. */
static bool host_iface(const sgr_eni *e, const sgr_instance *in, const sgr_task *t)
{
    if (!e || !e->id || e == in->primary_eni || e->task || e->owner_kind == SGR_ENI_OWNER_TASK)
        return false;
    if (e->interface_type && strcmp(e->interface_type, "trunk") == 0)
        return false;
    const sgr_container_instance *ci = t->container_instance;
    if (ci && ci->trunk_eni_id && strcmp(ci->trunk_eni_id, e->id) == 0)
        return false;
    return e->n_private_ips > 0 || e->n_ipv6 > 0;
}

/* A bridge or host task's other ways in (sgr_epx.ifaces): the host's other
 * interfaces in device-index order, each a copy of x with that interface's
 * side. A published port bound to 0.0.0.0 or :: listens on every interface
 * of the host (ECS API NetworkBinding.bindIP; EC2 "Elastic network
 * interfaces": each interface has its own subnet and security groups). */
static void task_ifaces(sgr_graph *g, sgr_epx *x, const sgr_instance *in, const sgr_task *t)
{
    uint32_t n = 0;
    for (uint32_t k = 0; k < in->n_enis; k++)
        n += host_iface(in->enis[k].eni, in, t);
    if (!n)
        return;
    x->ifaces = SGR_NEW_N(g->arena, sgr_epx, n);
    int32_t last = INT32_MIN;
    while (x->n_ifaces < n) {
        /* the next device index (ties: dump order) */
        int32_t next = INT32_MAX;
        for (uint32_t k = 0; k < in->n_enis; k++)
            if (host_iface(in->enis[k].eni, in, t) && in->enis[k].device_index > last && in->enis[k].device_index < next)
                next = in->enis[k].device_index;
        if (next == INT32_MAX)
            break;
        for (uint32_t k = 0; k < in->n_enis && x->n_ifaces < n; k++) {
            const sgr_eni *e = in->enis[k].eni;
            if (in->enis[k].device_index != next || !host_iface(e, in, t))
                continue;
            sgr_epx *s = &x->ifaces[x->n_ifaces++];
            *s = *x;
            s->ifaces = NULL;
            s->n_ifaces = 0;
            s->home = x;
            side_from_eni(g, &s->side, e);
            s->side.label = x->side.label;
            s->pub.eni = e;
            s->addr_unknown = !s->side.addr4.family && !s->side.addr6.family;
        }
        last = next;
    }
    const sgr_eni **also = SGR_NEW_N(g->arena, const sgr_eni *, x->n_ifaces ? x->n_ifaces : 1);
    for (uint32_t k = 0; k < x->n_ifaces; k++)
        also[k] = x->ifaces[k].pub.eni;
    x->pub.also_enis = also;
    x->pub.n_also_enis = x->n_ifaces;
}

static void add_task(sgr_graph *g, const sgr_task *t)
{
    sgr_epx *x = new_ep(g, SGR_EP_TASK, t->arn, TAG_EP_TASK);
    x->pub.task = t;
    x->pub.mode = task_mode(t);
    const char *svc = t->service ? t->service->name : NULL;
    if (!svc && t->group && strncmp(t->group, "service:", 8) == 0)
        svc = t->group + 8;
    x->pub.service = svc;
    const char *tid = t->id ? t->id : t->arn;
    x->pub.name = svc ? sgr_arena_printf(g->arena, "%s/%s", svc, tid) : tid;
    if (x->pub.mode == SGR_NET_AWSVPC) {
        const sgr_eni *e = t->eni ? t->eni : sgr_strmap_get(g->map, TAG_ENI, t->eni_id ? t->eni_id : "");
        if (e) {
            side_from_eni(g, &x->side, e);
            x->pub.eni = e;
            sgr_strmap_put(g->map, TAG_TASK_ENI, e->id, x);
        } else {
            /* the task's interface was not described: subnet and address from the task */
            x->side.subnet = sgr_engine_subnet(g, t->subnet_id);
            x->side.vpc = x->side.subnet ? x->side.subnet->vpc : NULL;
            x->side.vpc_id = x->side.subnet ? x->side.subnet->vpc_id : NULL;
            x->side.addr4 = t->private_ip;
            if (t->service && (t->service->group_ids.count || t->service->groups_unknown_why)) {
                side_groups(g, &x->side, &t->service->group_ids, t->service->groups_unknown_why);
            } else {
                x->side.groups_unknown = true;
                x->side.groups_unknown_why =
                    sgr_arena_printf(g->arena, "interface %s of task %s is not in the snapshot: its security groups are unknown",
                                     t->eni_id ? t->eni_id : "(none)", tid);
            }
            if (!t->private_ip.family)
                x->addr_unknown = true;
        }
        x->side.label = t->arn;
    } else if (x->pub.mode != SGR_NET_NONE) {
        const sgr_instance *in = task_instance(t);
        x->pub.instance = in;
        if (in && in->primary_eni) {
            side_from_eni(g, &x->side, in->primary_eni);
            x->pub.eni = in->primary_eni;
            x->side.label = t->arn;
            task_ifaces(g, x, in, t);
        } else {
            x->addr_unknown = true;
            x->side.groups_unknown = true;
            x->side.groups_unknown_why =
                sgr_arena_printf(g->arena, "the container instance of task %s (or its instance's interface) is not in the snapshot", tid);
        }
        x->side.label = t->arn;
    }
}

static void add_lb(sgr_graph *g, const sgr_lb *lb)
{
    const char *key = lb->arn ? lb->arn : lb->name;
    sgr_epx *x = new_ep(g, SGR_EP_LB, key, TAG_EP_LB);
    /* printed ids are selectors: a classic ELB has no ARN in describe output */
    const char *id = lb->arn ? lb->arn : sgr_arena_printf(g->arena, "lb:%s", lb->name);
    x->pub.id = id;
    if (lb->name)
        sgr_strmap_put(g->map, TAG_LB_NAME, lb->name, x);
    x->pub.lb = lb;
    x->pub.name = lb->name;
    uint32_t n = lb->n_enis ? lb->n_enis : lb->subnet_ids.count;
    x->nodes = SGR_NEW_N(g->arena, sgr_side, n ? n : 1);
    for (uint32_t i = 0; i < n; i++) {
        sgr_side *sd = &x->nodes[x->n_nodes++];
        if (lb->n_enis) {
            side_from_eni(g, sd, lb->enis[i]);
        } else {
            /* no interface described: the node's subnet is known, its address is not */
            sd->subnet = sgr_engine_subnet(g, lb->subnet_ids.items[i]);
            sd->vpc = sd->subnet ? sd->subnet->vpc : NULL;
            sd->vpc_id = lb->vpc_id;
            sd->label = lb->subnet_ids.items[i];
            for (uint32_t k = 0; k < lb->n_addresses && sd->subnet; k++)
                if (sgr_prefix_contains(&sd->subnet->cidr4, &lb->addresses[k]))
                    sd->addr4 = lb->addresses[k];
            if (!sd->addr4.family && sd->subnet && sd->subnet->cidr4.ip.family) {
                sd->addr4 = sd->subnet->cidr4.ip;
                sd->assumption = sgr_arena_printf(g->arena, "the interface of load balancer %s in %s is not in the snapshot: "
                                                  "its address is assumed to be in %s", lb->name ? lb->name : id,
                                                  sd->subnet->id, sgr_prefix_str(g->arena, &sd->subnet->cidr4));
            }
        }
        /* the load balancer's groups, not whatever the interface dump says */
        side_groups(g, sd, &lb->group_ids, lb->groups_unknown_why);
        sd->no_filter = lb->group_ids.count == 0 && lb->type == SGR_LB_NETWORK && !lb->groups_unknown_why;
        sd->internet_facing = lb->internet_facing;
    }
    if (x->n_nodes)
        x->side = x->nodes[0];
    x->side.label = id;
}

static void add_db(sgr_graph *g, const sgr_db *db)
{
    sgr_epx *x = new_ep(g, SGR_EP_DB, db->id, TAG_EP_DB);
    x->pub.id = sgr_arena_printf(g->arena, "db:%s", db->id); /* printed ids are selectors */
    x->pub.db = db;
    x->pub.name = db->id;
    x->side.label = x->pub.id;
    x->side.vpc_id = db->vpc_id;
    side_groups(g, &x->side, &db->group_ids, db->groups_unknown_why);
    if (db->address.family) {
        x->side.addr4 = db->address;
        x->side.subnet = sgr_engine_subnet_of(g, db->vpc_id, &db->address);
    }
    if (!x->side.subnet && db->subnet_ids.count)
        x->side.subnet = sgr_engine_subnet(g, db->subnet_ids.items[0]);
    x->side.vpc = x->side.subnet ? x->side.subnet->vpc : NULL;
    if (!db->address.family && x->side.subnet && x->side.subnet->cidr4.ip.family && db->origin.tf_address) {
        /* a planned database (Terraform): an address of its (first) subnet */
        x->side.planned = &x->side.subnet->cidr4;
        x->side.addr4 = x->side.subnet->cidr4.ip;
        x->side.assumption = sgr_arena_printf(g->arena, "%s is planned and has no address yet: it will get one of %s (%s)%s",
                                              db->origin.tf_address, x->side.subnet->id,
                                              sgr_prefix_str(g->arena, &x->side.subnet->cidr4),
                                              db->subnet_ids.count > 1 ? ", the first subnet of its subnet group" : "");
    }
    if (!db->address.family)
        x->addr_unknown = true;
}

/* ip targets whose address no interface of the snapshot has (on premises, a
 * VPC not collected): each is the address, as `can` names one, built here so
 * that queries, to which the graph is const, only look it up (engine_lb.c:
 * tg_targets). */
static void outside_targets(sgr_graph *g)
{
    for (uint32_t i = 0; i < g->snap->n_target_groups; i++) {
        const sgr_target_group *tg = g->snap->target_groups[i];
        if (!tg->target_type || strcmp(tg->target_type, "ip") != 0)
            continue;
        for (uint32_t k = 0; k < tg->n_targets; k++) {
            sgr_prefix pf = {0};
            if (sgr_lb_ip_target_eni(g, tg, &tg->targets[k]) || !sgr_lb_target_addr(&tg->targets[k], &pf.ip))
                continue;
            pf.len = pf.ip.family == SGR_AF_INET ? 32 : 128;
            sgr_graph_cidr_endpoint(g, &pf);
        }
    }
}

static int cmp_ep(const void *a, const void *b)
{
    const sgr_epx *x = *(sgr_epx *const *)a, *y = *(sgr_epx *const *)b;
    return strcmp(x->pub.id, y->pub.id);
}

sgr_graph *sgr_graph_build(const sgr_snapshot *snap, const sgr_graph_options *opts)
{
    sgr_graph *g = sgr_xcalloc(1, sizeof *g);
    g->arena = sgr_arena_new();
    g->snap = snap;
    g->opts.ephemeral_from = 1024;
    g->opts.ephemeral_to = 65535;
    if (opts && opts->ephemeral_from > 0 && opts->ephemeral_to >= opts->ephemeral_from) {
        g->opts.ephemeral_from = opts->ephemeral_from;
        g->opts.ephemeral_to = opts->ephemeral_to > 65535 ? 65535 : opts->ephemeral_to;
    }
    g->opts.reference = opts && opts->reference;
    g->map = sgr_strmap_new(g->arena);
    g->public_set = sgr_addrset_public(g->arena);
    g->internet_set = sgr_addrset_internet(g->arena);
    index_snapshot(g);

    g->internet = new_ep(g, SGR_EP_INTERNET, "internet", TAG_EP_ENI);
    g->internet->pub.name = "internet";
    g->internet->side.label = "internet";
    g->internet->side.external = true;

    for (uint32_t i = 0; i < snap->n_tasks; i++) {
        const sgr_task *t = snap->tasks[i];
        if (!t->arn || (t->last_status && strcmp(t->last_status, "STOPPED") == 0))
            continue;
        add_task(g, t);
    }
    for (uint32_t i = 0; i < snap->n_lbs; i++)
        if (snap->lbs[i]->arn || snap->lbs[i]->name)
            add_lb(g, snap->lbs[i]);
    for (uint32_t i = 0; i < snap->n_enis; i++) {
        const sgr_eni *e = snap->enis[i];
        if (e->owner_kind == SGR_ENI_OWNER_TASK || e->task || e->owner_kind == SGR_ENI_OWNER_LB || e->lb)
            continue;
        /* a task's interface may lack the owner mark: the task endpoint owns it */
        if (!e->id || sgr_strmap_get(g->map, TAG_TASK_ENI, e->id))
            continue;
        sgr_epx *x = new_ep(g, SGR_EP_ENI, e->id, TAG_EP_ENI);
        x->pub.eni = e;
        x->pub.instance = e->instance;
        x->pub.name = e->name ? e->name : e->instance && e->instance->name ? e->instance->name : e->id;
        side_from_eni(g, &x->side, e);
        if (!x->side.addr4.family && !x->side.addr6.family)
            x->addr_unknown = true;
    }
    for (uint32_t i = 0; i < snap->n_dbs; i++)
        if (snap->dbs[i]->id)
            add_db(g, snap->dbs[i]);

    qsort(g->eps, g->n_eps, sizeof *g->eps, cmp_ep);
    for (uint32_t i = 0; i < g->n_eps; i++) {
        g->eps[i]->pub.index = i;
        for (uint32_t k = 0; k < g->eps[i]->n_ifaces; k++)
            g->eps[i]->ifaces[k].pub.index = i;
    }
    sgr_engine_index(g);
    outside_targets(g);
    sgr_lb_relays_index(g);
    sgr_privatelink_index(g);
    return g;
}

void sgr_graph_free(sgr_graph *g)
{
    if (!g)
        return;
    free(g->eps);
    sgr_arena_free(g->arena);
    free(g);
}

uint32_t sgr_graph_endpoints(const sgr_graph *g, const sgr_endpoint *const **out)
{
    *out = (const sgr_endpoint *const *)g->eps;
    return g->n_eps;
}

const sgr_endpoint *sgr_graph_internet(const sgr_graph *g)
{
    return &g->internet->pub;
}

const sgr_endpoint *sgr_graph_cidr_endpoint(sgr_graph *g, const sgr_prefix *p)
{
    const char *id = sgr_prefix_str(g->arena, p);
    bool made;
    sgr_epx *x = sgr_engine_ep_on_demand(g, id, NULL, &made);
    if (!made)
        return &x->pub;
    x->pub.kind = SGR_EP_CIDR;
    x->pub.cidr = *p;
    x->side.label = id;
    /* an address inside a subnet of the estate is an unknown host of that subnet */
    x->side.subnet = sgr_engine_subnet_of(g, NULL, &p->ip);
    if (x->side.subnet) {
        x->side.vpc = x->side.subnet->vpc;
        x->side.vpc_id = x->side.subnet->vpc_id;
        x->side.groups_unknown = true;
        x->side.groups_unknown_why =
            sgr_arena_printf(g->arena, "%s is inside %s but no interface of the snapshot has it: its security groups are unknown",
                             id, x->side.subnet->id);
    } else {
        x->side.external = true;
        /* inside a VPC of the snapshot but in none of its subnets: no host can have it */
        for (uint32_t i = 0; i < g->snap->n_vpcs && !x->nowhere; i++)
            for (uint32_t k = 0; k < g->snap->vpcs[i]->n_cidrs; k++)
                if (sgr_prefix_contains(&g->snap->vpcs[i]->cidrs[k], &p->ip)) {
                    x->nowhere = sgr_arena_printf(g->arena, "%s is inside %s but in none of its subnets: no host has it",
                                                  id, g->snap->vpcs[i]->id);
                    break;
                }
    }
    if (p->ip.family == SGR_AF_INET)
        x->side.addr4 = p->ip;
    else
        x->side.addr6 = p->ip;
    return &x->pub;
}

const char *sgr_verdict_name(sgr_verdict v)
{
    switch (v) {
    case SGR_REACHABLE: return "reachable";
    case SGR_UNREACHABLE: return "unreachable";
    default: return "unknown";
    }
}

bool sgr_graph_reference(const sgr_graph *g)
{
    return g->opts.reference;
}
