/*
 * Building model objects directly in C for the engine's unit tests, without
 * the loader: every function pushes one object into the snapshot and sets the
 * resolved pointers the loader's link step would set. Everything lives in the
 * snapshot's arena; mb_free() releases it.
 */
#ifndef SGREACH_TEST_MODEL_BUILDER_H
#define SGREACH_TEST_MODEL_BUILDER_H

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph/arena.h"
#include "sgreach/model.h"
#include "sgreach/query.h"
#include "sgreach/snapshot.h"

#define MB_PUSH(m, vec, obj)                                                                                    \
    do {                                                                                                        \
        if ((m)->n_##vec == (m)->cap_##vec)                                                                     \
            (m)->vec = sgr_arena_grow((m)->arena, (m)->vec, &(m)->cap_##vec, (m)->n_##vec + 1, sizeof *(m)->vec); \
        (m)->vec[(m)->n_##vec++] = (obj);                                                                       \
    } while (0)

static inline sgr_snapshot *mb_new(void)
{
    sgr_snapshot *s = sgr_xcalloc(1, sizeof *s);
    s->arena = sgr_arena_new();
    return s;
}

static inline sgr_ip mb_ip(const char *text)
{
    sgr_ip ip;
    memset(&ip, 0, sizeof ip);
    if (inet_pton(AF_INET, text, ip.b) == 1)
        ip.family = SGR_AF_INET;
    else if (inet_pton(AF_INET6, text, ip.b) == 1)
        ip.family = SGR_AF_INET6;
    return ip;
}

static inline sgr_prefix mb_cidr(const char *text)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", text);
    char *slash = strchr(buf, '/');
    sgr_prefix p;
    memset(&p, 0, sizeof p);
    if (slash)
        *slash = '\0';
    p.ip = mb_ip(buf);
    p.len = slash ? (uint8_t)atoi(slash + 1) : (p.ip.family == SGR_AF_INET ? 32 : 128);
    return p;
}

static inline sgr_origin mb_origin(sgr_snapshot *s, const char *what, uint32_t line)
{
    sgr_origin o = {sgr_arena_printf(s->arena, "%s.json", what), "$", line, NULL};
    return o;
}

static inline sgr_vpc *mb_vpc(sgr_snapshot *s, const char *id, const char *cidr)
{
    sgr_vpc *v = SGR_NEW(s->arena, sgr_vpc);
    v->id = id;
    v->cidrs = SGR_NEW(s->arena, sgr_prefix);
    v->cidrs[0] = mb_cidr(cidr);
    v->n_cidrs = 1;
    v->origin = mb_origin(s, "vpcs", 1);
    MB_PUSH(s, vpcs, v);
    return v;
}

static inline void mb_route(sgr_snapshot *s, sgr_route_table *rt, const char *dest, sgr_route_target kind,
                            const char *target)
{
    sgr_route *r = sgr_arena_grow(s->arena, rt->routes, &(uint32_t){rt->n_routes}, rt->n_routes + 1, sizeof *r);
    rt->routes = r;
    sgr_route *n = &rt->routes[rt->n_routes++];
    memset(n, 0, sizeof *n);
    n->dest = mb_cidr(dest);
    n->target = kind;
    n->target_id = target;
    n->origin = mb_origin(s, "route-tables", 10 + rt->n_routes);
}

/* A route table with the local route; main = the VPC's main table. */
static inline sgr_route_table *mb_rt(sgr_snapshot *s, sgr_vpc *v, const char *id, bool main)
{
    sgr_route_table *rt = SGR_NEW(s->arena, sgr_route_table);
    rt->id = id;
    rt->vpc_id = v->id;
    rt->vpc = v;
    rt->is_main = main;
    rt->origin = mb_origin(s, "route-tables", 1);
    for (uint32_t i = 0; i < v->n_cidrs; i++)
        mb_route(s, rt, sgr_arena_printf(s->arena, "%u.%u.%u.%u/%u", v->cidrs[i].ip.b[0], v->cidrs[i].ip.b[1],
                                         v->cidrs[i].ip.b[2], v->cidrs[i].ip.b[3], v->cidrs[i].len),
                 SGR_RT_LOCAL, "local");
    if (main)
        v->main_table = rt;
    MB_PUSH(s, route_tables, rt);
    return rt;
}

/* Inserts an entry keeping (egress, rule number) order, as the loader's link step does. */
static inline void mb_nacl_entry(sgr_snapshot *s, sgr_nacl *n, int32_t num, bool egress, int32_t proto, bool allow,
                                 const char *cidr, int32_t from, int32_t to)
{
    sgr_nacl_entry *e = sgr_arena_grow(s->arena, n->entries, &(uint32_t){n->n_entries}, n->n_entries + 1, sizeof *e);
    n->entries = e;
    uint32_t pos = 0;
    while (pos < n->n_entries && (n->entries[pos].egress < egress ||
                                  (n->entries[pos].egress == egress && n->entries[pos].rule_number < num)))
        pos++;
    memmove(&n->entries[pos + 1], &n->entries[pos], (n->n_entries - pos) * sizeof *e);
    n->n_entries++;
    sgr_nacl_entry *x = &n->entries[pos];
    memset(x, 0, sizeof *x);
    x->rule_number = num;
    x->egress = egress;
    x->protocol = proto;
    x->allow = allow;
    x->cidr = mb_cidr(cidr);
    x->port_from = from;
    x->port_to = to;
    x->icmp_type = x->icmp_code = -1;
    x->origin = mb_origin(s, "network-acls", 100 + (uint32_t)num);
}

/* A NACL: allow_all gives the default NACL's rules 100 allow all (IPv4, IPv6). */
static inline sgr_nacl *mb_nacl(sgr_snapshot *s, sgr_vpc *v, const char *id, bool allow_all)
{
    sgr_nacl *n = SGR_NEW(s->arena, sgr_nacl);
    n->id = id;
    n->vpc_id = v->id;
    n->vpc = v;
    n->is_default = allow_all;
    n->origin = mb_origin(s, "network-acls", 1);
    for (int eg = 0; eg < 2; eg++) {
        if (allow_all) {
            mb_nacl_entry(s, n, 100, eg, -1, true, "0.0.0.0/0", -1, -1);
            mb_nacl_entry(s, n, 101, eg, -1, true, "::/0", -1, -1);
        }
        mb_nacl_entry(s, n, 32767, eg, -1, false, "0.0.0.0/0", -1, -1);
        mb_nacl_entry(s, n, 32768, eg, -1, false, "::/0", -1, -1);
    }
    if (allow_all)
        v->default_nacl = n;
    MB_PUSH(s, nacls, n);
    return n;
}

static inline sgr_subnet *mb_subnet(sgr_snapshot *s, sgr_vpc *v, const char *id, const char *cidr,
                                    sgr_route_table *rt, sgr_nacl *nacl)
{
    sgr_subnet *sn = SGR_NEW(s->arena, sgr_subnet);
    sn->id = id;
    sn->vpc_id = v->id;
    sn->vpc = v;
    sn->cidr4 = mb_cidr(cidr);
    sn->route_table = rt ? rt : v->main_table;
    sn->route_table_is_main = !rt;
    sn->nacl = nacl ? nacl : v->default_nacl;
    sn->available_ips = -1;
    sn->origin = mb_origin(s, "subnets", 1);
    MB_PUSH(s, subnets, sn);
    return sn;
}

static inline sgr_sg *mb_sg(sgr_snapshot *s, sgr_vpc *v, const char *id)
{
    sgr_sg *g = SGR_NEW(s->arena, sgr_sg);
    g->id = id;
    g->name = id;
    g->vpc_id = v ? v->id : NULL;
    g->vpc = v;
    g->described = true;
    g->origin = mb_origin(s, "security-groups", 1);
    MB_PUSH(s, sgs, g);
    return g;
}

static inline sgr_sg_rule *mb_rule(sgr_snapshot *s, sgr_sg *g, bool egress, int32_t proto, int32_t from, int32_t to)
{
    g->rules = sgr_arena_grow(s->arena, g->rules, &(uint32_t){g->n_rules}, g->n_rules + 1, sizeof *g->rules);
    sgr_sg_rule *r = &g->rules[g->n_rules++];
    memset(r, 0, sizeof *r);
    r->egress = egress;
    r->protocol = proto;
    r->from_port = from;
    r->to_port = to;
    r->origin = mb_origin(s, "security-groups", 20 + g->n_rules);
    return r;
}

static inline sgr_sg_rule *mb_rule_cidr(sgr_snapshot *s, sgr_sg *g, bool egress, int32_t proto, int32_t from,
                                        int32_t to, const char *cidr)
{
    sgr_sg_rule *r = mb_rule(s, g, egress, proto, from, to);
    r->peer_kind = SGR_PEER_CIDR;
    r->cidr = mb_cidr(cidr);
    return r;
}

static inline sgr_sg_rule *mb_rule_sg(sgr_snapshot *s, sgr_sg *g, bool egress, int32_t proto, int32_t from,
                                      int32_t to, sgr_sg *ref)
{
    sgr_sg_rule *r = mb_rule(s, g, egress, proto, from, to);
    r->peer_kind = SGR_PEER_GROUP;
    r->group_id = ref->id;
    r->group = ref;
    return r;
}

static inline sgr_sg_rule *mb_rule_pl(sgr_snapshot *s, sgr_sg *g, bool egress, int32_t proto, int32_t from,
                                      int32_t to, sgr_prefix_list *pl)
{
    sgr_sg_rule *r = mb_rule(s, g, egress, proto, from, to);
    r->peer_kind = SGR_PEER_PREFIX_LIST;
    r->prefix_list_id = pl->id;
    r->prefix_list = pl;
    return r;
}

/* A prefix list; entries NULL-terminated, or no entries at all (unknown) when first is NULL. */
static inline sgr_prefix_list *mb_pl(sgr_snapshot *s, const char *id, const char *first, ...)
{
    sgr_prefix_list *pl = SGR_NEW(s->arena, sgr_prefix_list);
    pl->id = id;
    pl->max_entries = -1;
    pl->entries_known = first != NULL;
    pl->entries = SGR_NEW_N(s->arena, sgr_prefix, 16);
    va_list ap;
    va_start(ap, first);
    for (const char *c = first; c && pl->n_entries < 16; c = va_arg(ap, const char *))
        pl->entries[pl->n_entries++] = mb_cidr(c);
    va_end(ap);
    MB_PUSH(s, prefix_lists, pl);
    return pl;
}

/* An interface in a subnet with one private address and the groups given (NULL-terminated). */
static inline sgr_eni *mb_eni(sgr_snapshot *s, sgr_subnet *sn, const char *id, const char *ip, ...)
{
    sgr_eni *e = SGR_NEW(s->arena, sgr_eni);
    e->id = id;
    e->subnet_id = sn->id;
    e->subnet = sn;
    e->vpc_id = sn->vpc_id;
    e->vpc = sn->vpc;
    e->device_index = -1;
    e->source_dest_check = true;
    e->private_ips = SGR_NEW_N(s->arena, sgr_ip, 2);
    e->private_ips[0] = mb_ip(ip);
    e->n_private_ips = e->private_ips[0].family == SGR_AF_INET ? 1 : 0;
    if (e->private_ips[0].family == SGR_AF_INET6) {
        e->ipv6 = e->private_ips;
        e->n_ipv6 = 1;
        e->private_ips = NULL;
    }
    e->group_ids.items = SGR_NEW_N(s->arena, const char *, 8);
    e->groups = SGR_NEW_N(s->arena, sgr_sg *, 8);
    va_list ap;
    va_start(ap, ip);
    for (sgr_sg *g = va_arg(ap, sgr_sg *); g && e->group_ids.count < 8; g = va_arg(ap, sgr_sg *)) {
        e->groups[e->group_ids.count] = g;
        e->group_ids.items[e->group_ids.count++] = g->id;
    }
    va_end(ap);
    e->origin = mb_origin(s, "network-interfaces", 1);
    MB_PUSH(s, enis, e);
    return e;
}

static inline void mb_eni_ipv6(sgr_snapshot *s, sgr_eni *e, const char *ip)
{
    e->ipv6 = SGR_NEW(s->arena, sgr_ip);
    e->ipv6[0] = mb_ip(ip);
    e->n_ipv6 = 1;
}

static inline void mb_eni_public(sgr_snapshot *s, sgr_eni *e, const char *ip)
{
    e->public_ips = SGR_NEW(s->arena, sgr_public_ip);
    e->public_ips[0].ip = mb_ip(ip);
    e->public_ips[0].private_ip = e->private_ips[0];
    e->n_public_ips = 1;
}

static inline sgr_instance *mb_instance(sgr_snapshot *s, const char *id, sgr_eni *primary)
{
    sgr_instance *in = SGR_NEW(s->arena, sgr_instance);
    in->id = id;
    in->state = "running";
    in->primary_eni = primary;
    in->private_ip = primary->private_ips ? primary->private_ips[0] : in->private_ip;
    primary->instance = in;
    primary->attached_instance = id;
    primary->owner_kind = SGR_ENI_OWNER_INSTANCE;
    primary->device_index = 0;
    in->origin = mb_origin(s, "instances", 1);
    MB_PUSH(s, instances, in);
    return in;
}

/* Attaches e to instance `in` at device_index (0: the primary, as
 * mb_instance made it); in->enis lists every interface attached so far. */
static inline void mb_instance_attach(sgr_snapshot *s, sgr_instance *in, sgr_eni *e, int32_t device_index)
{
    sgr_instance_eni *v = SGR_NEW_N(s->arena, sgr_instance_eni, in->n_enis + 2);
    uint32_t n = 0;
    if (!in->n_enis && in->primary_eni && in->primary_eni != e)
        v[n++] = (sgr_instance_eni){in->primary_eni->id, 0, in->primary_eni};
    for (uint32_t k = 0; k < in->n_enis; k++)
        v[n++] = in->enis[k];
    v[n++] = (sgr_instance_eni){e->id, device_index, e};
    in->enis = v;
    in->n_enis = n;
    e->instance = in;
    e->attached_instance = in->id;
    e->owner_kind = SGR_ENI_OWNER_INSTANCE;
    e->device_index = device_index;
}

/* A task definition with one container publishing container_port (host_port:
 * 0 dynamic, -1 absent); port 0 = no mapping. */
static inline sgr_task_def *mb_taskdef(sgr_snapshot *s, const char *arn, sgr_net_mode mode, int32_t container_port,
                                       int32_t host_port)
{
    sgr_task_def *td = SGR_NEW(s->arena, sgr_task_def);
    td->arn = arn;
    td->family = arn;
    td->network_mode = mode;
    td->network_mode_given = true;
    td->containers = SGR_NEW(s->arena, sgr_container_def);
    td->n_containers = 1;
    td->containers[0].name = "app";
    if (container_port > 0) {
        td->containers[0].ports = SGR_NEW(s->arena, sgr_port_mapping);
        td->containers[0].n_ports = 1;
        sgr_port_mapping *pm = &td->containers[0].ports[0];
        pm->container_port = pm->container_port_end = container_port;
        pm->host_port = pm->host_port_end = host_port;
        pm->protocol = SGR_PROTO_TCP;
    }
    MB_PUSH(s, task_defs, td);
    return td;
}

/* A running task: awsvpc on `eni`, else on `host` (bridge/host/none); a bridge
 * binding container_port → host_port when host_port > 0. */
static inline sgr_task *mb_task(sgr_snapshot *s, const char *arn, sgr_task_def *td, sgr_eni *eni, sgr_instance *host,
                                int32_t host_port)
{
    sgr_task *t = SGR_NEW(s->arena, sgr_task);
    t->arn = arn;
    const char *slash = strrchr(arn, '/');
    t->id = slash ? slash + 1 : arn;
    t->task_def_arn = td->arn;
    t->task_def = td;
    t->last_status = "RUNNING";
    t->origin = mb_origin(s, "tasks", 1);
    if (eni) {
        t->eni_id = eni->id;
        t->eni = eni;
        t->subnet_id = eni->subnet_id;
        t->private_ip = eni->private_ips ? eni->private_ips[0] : t->private_ip;
        eni->task = t;
        eni->owner_kind = SGR_ENI_OWNER_TASK;
    }
    if (host) {
        t->instance = host;
        sgr_container_instance *ci = SGR_NEW(s->arena, sgr_container_instance);
        ci->arn = sgr_arena_printf(s->arena, "ci-%s", host->id);
        ci->ec2_instance_id = host->id;
        ci->instance = host;
        host->container_instance = ci;
        t->container_instance = ci;
        t->container_instance_arn = ci->arn;
        MB_PUSH(s, container_instances, ci);
    }
    if (host_port > 0 && td->n_containers && td->containers[0].n_ports) {
        t->containers = SGR_NEW(s->arena, sgr_task_container);
        t->n_containers = 1;
        t->containers[0].name = "app";
        t->containers[0].bindings = SGR_NEW(s->arena, sgr_network_binding);
        t->containers[0].n_bindings = 1;
        sgr_network_binding *b = &t->containers[0].bindings[0];
        b->container_port = b->container_port_end = td->containers[0].ports[0].container_port;
        b->host_port = b->host_port_end = host_port;
        b->protocol = SGR_PROTO_TCP;
    }
    MB_PUSH(s, tasks, t);
    return t;
}

/* A load balancer with its node interfaces (NULL-terminated); groups set with mb_lb_group. */
static inline sgr_lb *mb_lb(sgr_snapshot *s, const char *name, sgr_lb_type type, bool internet_facing, ...)
{
    sgr_lb *lb = SGR_NEW(s->arena, sgr_lb);
    lb->name = name;
    lb->arn = sgr_arena_printf(s->arena, "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/%s/%s/1",
                               type == SGR_LB_NETWORK ? "net" : "app", name);
    lb->type = type;
    lb->internet_facing = internet_facing;
    lb->enis = SGR_NEW_N(s->arena, sgr_eni *, 8);
    lb->group_ids.items = SGR_NEW_N(s->arena, const char *, 8);
    lb->groups = SGR_NEW_N(s->arena, sgr_sg *, 8);
    lb->subnet_ids.items = SGR_NEW_N(s->arena, const char *, 8);
    va_list ap;
    va_start(ap, internet_facing);
    for (sgr_eni *e = va_arg(ap, sgr_eni *); e && lb->n_enis < 8; e = va_arg(ap, sgr_eni *)) {
        lb->enis[lb->n_enis++] = e;
        lb->subnet_ids.items[lb->subnet_ids.count++] = e->subnet_id;
        e->lb = lb;
        e->owner_kind = SGR_ENI_OWNER_LB;
        lb->vpc_id = e->vpc_id;
    }
    va_end(ap);
    lb->origin = mb_origin(s, "load-balancers", 1);
    MB_PUSH(s, lbs, lb);
    return lb;
}

static inline void mb_lb_group(sgr_lb *lb, sgr_sg *g)
{
    lb->groups[lb->group_ids.count] = g;
    lb->group_ids.items[lb->group_ids.count++] = g->id;
    for (uint32_t i = 0; i < lb->n_enis; i++) {
        sgr_eni *e = lb->enis[i];
        e->groups[e->group_ids.count] = g;
        e->group_ids.items[e->group_ids.count++] = g->id;
    }
}

static inline sgr_target_group *mb_tg(sgr_snapshot *s, const char *name, const char *target_type, int32_t port,
                                      sgr_lb *lb)
{
    sgr_target_group *tg = SGR_NEW(s->arena, sgr_target_group);
    tg->name = name;
    tg->arn = sgr_arena_printf(s->arena, "arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/%s/1", name);
    tg->protocol = SGR_PROTO_TCP;
    tg->protocol_name = "TCP";
    tg->port = port;
    tg->target_type = target_type;
    tg->preserve_client_ip = -1;
    tg->targets_known = true;
    tg->targets = SGR_NEW_N(s->arena, sgr_target, 8);
    tg->lb_arns.items = SGR_NEW(s->arena, const char *);
    tg->lb_arns.items[0] = lb->arn;
    tg->lb_arns.count = 1;
    tg->lbs = SGR_NEW(s->arena, sgr_lb *);
    tg->lbs[0] = lb;
    tg->n_lbs = 1;
    tg->origin = mb_origin(s, "target-groups", 1);
    MB_PUSH(s, target_groups, tg);
    return tg;
}

static inline void mb_target(sgr_target_group *tg, sgr_instance *in, sgr_eni *eni, int32_t port)
{
    sgr_target *t = &tg->targets[tg->n_targets++];
    memset(t, 0, sizeof *t);
    t->id = in ? in->id : eni->id;
    t->instance = in;
    t->eni = eni;
    t->port = port;
    t->state = "healthy";
}

static inline sgr_listener *mb_listener(sgr_snapshot *s, sgr_lb *lb, int32_t proto, int32_t port, sgr_target_group *tg)
{
    sgr_listener *l = SGR_NEW(s->arena, sgr_listener);
    l->arn = sgr_arena_printf(s->arena, "%s/listener/%d", lb->arn, port);
    l->lb_arn = lb->arn;
    l->lb = lb;
    l->port = port;
    l->protocol = proto;
    l->protocol_name = proto == SGR_PROTO_UDP ? "UDP" : "TCP";
    if (tg) {
        l->target_group_arns.items = SGR_NEW(s->arena, const char *);
        l->target_group_arns.items[0] = tg->arn;
        l->target_group_arns.count = 1;
    }
    MB_PUSH(s, listeners, l);
    return l;
}

/* ---- a small estate most tests start from:
 * vpc-1 10.0.0.0/16 with an internet gateway; subnet-a 10.0.1.0/24 and
 * subnet-b 10.0.2.0/24 on the main table (local + 0.0.0.0/0 → nat-1),
 * subnet-pub 10.0.100.0/24 on rtb-pub (local + 0.0.0.0/0, ::/0 → igw-1); all on
 * the default NACL (allow all). */
typedef struct mb_base {
    sgr_snapshot *s;
    sgr_vpc *vpc;
    sgr_route_table *rt_main, *rt_pub;
    sgr_nacl *nacl;
    sgr_subnet *a, *b, *pub;
} mb_base;

static inline mb_base mb_base_new(void)
{
    mb_base m;
    m.s = mb_new();
    m.vpc = mb_vpc(m.s, "vpc-1", "10.0.0.0/16");
    m.vpc->has_igw = true;
    m.vpc->igw_id = "igw-1";
    m.rt_main = mb_rt(m.s, m.vpc, "rtb-main", true);
    mb_route(m.s, m.rt_main, "0.0.0.0/0", SGR_RT_NAT, "nat-1");
    m.rt_pub = mb_rt(m.s, m.vpc, "rtb-pub", false);
    mb_route(m.s, m.rt_pub, "0.0.0.0/0", SGR_RT_IGW, "igw-1");
    mb_route(m.s, m.rt_pub, "::/0", SGR_RT_IGW, "igw-1");
    m.nacl = mb_nacl(m.s, m.vpc, "acl-default", true);
    m.a = mb_subnet(m.s, m.vpc, "subnet-a", "10.0.1.0/24", NULL, NULL);
    m.b = mb_subnet(m.s, m.vpc, "subnet-b", "10.0.2.0/24", NULL, NULL);
    m.pub = mb_subnet(m.s, m.vpc, "subnet-pub", "10.0.100.0/24", m.rt_pub, NULL);
    return m;
}

/* A group allowing all outbound traffic (as AWS creates them). */
static inline sgr_sg *mb_sg_out_all(sgr_snapshot *s, sgr_vpc *v, const char *id)
{
    sgr_sg *g = mb_sg(s, v, id);
    mb_rule_cidr(s, g, true, -1, -1, -1, "0.0.0.0/0");
    return g;
}

/* ---- querying */

static inline const sgr_endpoint *mb_ep_eni(const sgr_graph *g, const sgr_eni *e)
{
    return sgr_graph_endpoint_for(g, SGR_EP_ENI, e);
}

static inline sgr_verdict mb_can(sgr_graph *g, const sgr_endpoint *from, const sgr_endpoint *to, int32_t proto,
                                 int32_t port, sgr_answer *ans, sgr_arena *a)
{
    sgr_query q = {from, to, proto, port};
    return sgr_can(g, &q, ans, a);
}


/* A test environment: the base estate, its graph, a scratch arena, an answer. */
typedef struct mb_env {
    mb_base m;
    sgr_graph *g;
    sgr_arena *a;
    sgr_answer ans;
} mb_env;

static inline mb_env mb_env_new(void)
{
    mb_env e;
    memset(&e, 0, sizeof e);
    e.m = mb_base_new();
    return e;
}

static inline void mb_env_build(mb_env *e)
{
    e->g = sgr_graph_build(e->m.s, NULL);
    e->a = sgr_arena_new();
}

static inline void mb_env_done(mb_env *e)
{
    sgr_arena_free(e->a);
    sgr_graph_free(e->g);
    sgr_snapshot_free(e->m.s);
}

static inline sgr_verdict mb_env_can(mb_env *e, const sgr_eni *from, const sgr_eni *to, int32_t proto, int32_t port)
{
    return mb_can(e->g, mb_ep_eni(e->g, from), mb_ep_eni(e->g, to), proto, port, &e->ans, e->a);
}

static inline sgr_verdict mb_env_can_ep(mb_env *e, const sgr_endpoint *from, const sgr_endpoint *to, int32_t proto,
                                        int32_t port)
{
    return mb_can(e->g, from, to, proto, port, &e->ans, e->a);
}

/* True when some blocking component's id contains `component` and its reason `needle` (NULL: any). */
static inline bool mb_blocked_by(const sgr_answer *a, const char *component, const char *needle)
{
    for (uint32_t i = 0; i < a->n_blocked; i++)
        if (strstr(a->blocked_by[i].component, component) && (!needle || strstr(a->blocked_by[i].reason, needle)))
            return true;
    return false;
}

static inline bool mb_missing_has(const sgr_answer *a, const char *needle)
{
    for (uint32_t i = 0; i < a->n_missing; i++)
        if (strstr(a->missing[i], needle))
            return true;
    return false;
}

static inline bool mb_path_has(const sgr_answer *a, const char *kind, const char *id)
{
    for (uint32_t i = 0; i < a->n_path; i++)
        if (strcmp(a->path[i].kind, kind) == 0 && (!id || strcmp(a->path[i].id, id) == 0))
            return true;
    return false;
}

#endif
