/*
 * PrivateLink: an interface endpoint in the consumer's VPC leads to the
 * Network (or Gateway) Load Balancer of an endpoint service, whatever routes
 * or peerings join the two VPCs ("Share your services through AWS
 * PrivateLink"). The path is consumer → the endpoint's interface (its groups,
 * the consumer subnet's ACLs and routes) → the endpoint's and the provider's
 * acceptance of the connection → the load balancer's groups, when it has
 * some and EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is on (they
 * see the client's private address) → the targets, which see the load
 * balancer's own address (client IP preservation does not apply to
 * PrivateLink traffic). Endpoint interfaces never start a connection: the
 * provider cannot reach the consumer through them (sgr_endpoint_initiates).
 */
#include "engine.h"

#include <string.h>

/* A VPC endpoint that leads to a load balancer; `unresolved`: its service is
 * not in the snapshot, so it only may. */
typedef struct pl_ctx {
    const sgr_graph *g;
    const sgr_vpc_endpoint *ve;
    const sgr_epx *from;
    const sgr_ip *from_addr;
    const sgr_lb *lb;
    bool unresolved;
} pl_ctx;

static bool streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* An AWS service's endpoint (com.amazonaws.REGION.SERVICE) leads to the
 * service, never to a load balancer of the estate; endpoint services are
 * com.amazonaws.vpce.REGION.vpce-svc-… (and Marketplace names). */
static bool aws_service_name(const char *n)
{
    return n && strncmp(n, "com.amazonaws.", 14) == 0 && strncmp(n, "com.amazonaws.vpce.", 19) != 0;
}

static bool leads_to_lbs(const sgr_vpc_endpoint *ve)
{
    return streq(ve->type, "Interface") || streq(ve->type, "GatewayLoadBalancer");
}

/* The region and account of an ELB ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:…),
 * as "REGION:ACCOUNT:": endpoint services are regional, so the configurations
 * collected in one region say nothing of the account's load balancers in another */
static const char *arn_region_account(sgr_arena *a, const char *arn)
{
    const char *p = arn;
    for (int i = 0; p && i < 3; i++) {
        p = strchr(p, ':');
        if (p)
            p++;
    }
    const char *mid = p ? strchr(p, ':') : NULL;
    const char *end = mid ? strchr(mid + 1, ':') : NULL;
    return end ? sgr_arena_printf(a, "%.*s:", (int)(end - p), p) : NULL;
}

static void list_add(sgr_graph *g, const char *key, const void *v)
{
    sgr_ep_list *l = sgr_ep_list_for(g, TAG_IDX_PL, key);
    for (uint32_t i = 0; i < l->n; i++)
        if (l->v[i] == v)
            return;
    sgr_ep_list_push(g->arena, l, v, 0);
}

void sgr_privatelink_index(sgr_graph *g)
{
    const sgr_snapshot *s = g->snap;
    for (uint32_t i = 0; i < s->n_vpc_endpoints; i++) {
        const sgr_vpc_endpoint *ve = s->vpc_endpoints[i];
        for (uint32_t k = 0; leads_to_lbs(ve) && k < ve->eni_ids.count; k++)
            sgr_strmap_put(g->map, TAG_IDX_PL, sgr_arena_printf(g->arena, "eni:%s", ve->eni_ids.items[k]), (void *)ve);
        if (!leads_to_lbs(ve) || aws_service_name(ve->service_name))
            continue;
        sgr_strmap_put(g->map, TAG_IDX_PL, "*", (void *)ve);
        if (!ve->service) {
            list_add(g, "", ve);
            continue;
        }
        const sgr_strs *arns[2] = {&ve->service->nlb_arns, &ve->service->gwlb_arns};
        for (int k = 0; k < 2; k++)
            for (uint32_t j = 0; j < arns[k]->count; j++)
                list_add(g, arns[k]->items[j], ve);
    }
    /* the accounts (per region) whose endpoint services the snapshot holds: an
     * endpoint whose service is not among them cannot lead to their load balancers */
    for (uint32_t i = 0; i < s->n_endpoint_services; i++) {
        const sgr_endpoint_service *es = s->endpoint_services[i];
        const sgr_strs *arns[2] = {&es->nlb_arns, &es->gwlb_arns};
        for (int k = 0; k < 2; k++)
            for (uint32_t j = 0; j < arns[k]->count; j++) {
                const char *acct = arn_region_account(g->arena, arns[k]->items[j]);
                if (acct)
                    sgr_strmap_put(g->map, TAG_IDX_PL, acct, (void *)es);
            }
    }
}

/* An unresolved service may lead to lb: an NLB or GWLB of an account whose
 * endpoint services in lb's region are not in the snapshot. */
static bool maybe_unresolved_target(const sgr_graph *g, sgr_arena *a, const sgr_lb *lb)
{
    if ((lb->type != SGR_LB_NETWORK && lb->type != SGR_LB_GATEWAY) || !lb->arn)
        return false;
    const char *acct = arn_region_account(a, lb->arn);
    return acct && !sgr_strmap_get(g->map, TAG_IDX_PL, acct);
}

bool sgr_privatelink_any(const sgr_graph *g)
{
    return sgr_strmap_get(g->map, TAG_IDX_PL, "*") != NULL;
}

bool sgr_privatelink_leads(const sgr_graph *g, const sgr_epx *lbx)
{
    const sgr_lb *lb = lbx->pub.lb;
    if (!lb || !lb->arn)
        return false;
    if (sgr_strmap_get(g->map, TAG_IDX_PL, lb->arn))
        return true;
    const sgr_ep_list *u = sgr_strmap_get(g->map, TAG_IDX_PL, "");
    if (!u || !u->n)
        return false;
    sgr_arena *tmp = sgr_arena_new();
    bool r = maybe_unresolved_target(g, tmp, lb);
    sgr_arena_free(tmp);
    return r;
}

/* Whether the endpoint's connection carries traffic: the consumer's State
 * and the provider's VpcEndpointState must both be available where the
 * snapshot has them ("Accept or reject connection requests"). */
static void state_gate(sgr_trace *t, sgr_arena *a, const sgr_vpc_endpoint *ve)
{
    const char *svc = ve->service_name ? ve->service_name : "?";
    if (ve->state && strcmp(ve->state, "available") != 0) {
        sgr_trace_gate(t, GATE_BLOCK);
        sgr_trace_block(t, ve->id, "endpoint state",
                        sgr_arena_printf(a, "%s is %s: an endpoint carries traffic to %s only when available", ve->id,
                                         ve->state, svc),
                        &ve->origin);
        return;
    }
    const sgr_endpoint_connection *c = ve->connection;
    if (c && c->state && strcmp(c->state, "available") != 0) {
        sgr_trace_gate(t, GATE_BLOCK);
        sgr_trace_block(t, c->service_id, "endpoint connection",
                        sgr_arena_printf(a, "the provider's connection of %s to %s is %s: it carries no traffic",
                                         ve->id, c->service_id, c->state),
                        &c->origin);
        return;
    }
    sgr_trace_allow(t, ve->id, "endpoint state",
                        c ? sgr_arena_printf(a, "%s available; connection to %s available", ve->id, c->service_id)
                          : sgr_arena_printf(a, "%s %s", ve->id, ve->state ? "available" : "(state not in the snapshot)"),
                        c ? &c->origin : &ve->origin);
    if (!ve->state && !c)
        sgr_trace_assume(t, sgr_arena_printf(a, "the state of %s is not in the snapshot: it is assumed available", ve->id));
}

/* The consumer's way to one node of the load balancer for listener `port`:
 * to the best of the endpoint's interfaces, then across PrivateLink. */
static sgr_path lead(const sgr_graph *g, sgr_arena *a, bool explain, const void *vctx, int32_t proto, int32_t port,
                     const sgr_side *node)
{
    const pl_ctx *c = vctx;
    const sgr_vpc_endpoint *ve = c->ve;
    const sgr_lb *lb = c->lb;
    const char *lbname = lb->name ? lb->name : lb->arn;
    sgr_path best;
    bool have = false;
    const char *absent = NULL; /* an interface of the endpoint the snapshot does not describe */
    for (uint32_t i = 0; i < ve->eni_ids.count; i++) {
        const sgr_epx *ex = sgr_engine_ep(g, TAG_EP_ENI, ve->eni_ids.items[i]);
        if (!ex) {
            absent = ve->eni_ids.items[i];
            continue;
        }
        const sgr_ip *ea = sgr_side_addr(&ex->side, c->from_addr->family == SGR_AF_INET6 ? 6 : 4);
        sgr_ip none;
        memset(&none, 0, sizeof none);
        sgr_path p;
        memset(&p, 0, sizeof p);
        sgr_trace_init(&p.t, a, explain, proto, port, port, false);
        sgr_leg(g, &p.t, &c->from->side, c->from_addr, &ex->side, ea ? ea : &none, NULL);
        sgr_trace_hop(&p.t, "vpc-endpoint", ve->id,
                      sgr_arena_printf(a, "%s endpoint interface %s to %s", ve->type ? ve->type : "?", ex->pub.id,
                                       ve->service_name ? ve->service_name : "?"));
        state_gate(&p.t, a, ve);
        if (c->unresolved) {
            sgr_trace_gate(&p.t, GATE_UNKNOWN);
            sgr_trace_missing(&p.t, sgr_arena_printf(a, "%s leads to endpoint service %s, not in the snapshot "
                                                        "(describe-vpc-endpoint-service-configurations of its provider): "
                                                        "whether it is %s's is unknown",
                                                     ve->id, ve->service_name ? ve->service_name : "?", lbname));
        } else {
            const sgr_endpoint_service *es = ve->service;
            sgr_trace_hop(&p.t, "endpoint-service", es->id, sgr_arena_printf(a, "%s -> %s", es->name ? es->name : es->id, lbname));
            sgr_trace_allow(&p.t, es->id, "endpoint service",
                            sgr_arena_printf(a, "%s is served by %s", es->name ? es->name : es->id, lbname), &es->origin);
        }
        /* "Network Load Balancer security groups": with inbound rules
         * enforced on PrivateLink traffic, its source is the client's
         * private address, not the endpoint's interface */
        if (lb->group_ids.count && lb->enforce_privatelink == 3) {
            sgr_trace_gate(&p.t, GATE_UNKNOWN);
            sgr_trace_missing(&p.t, sgr_arena_printf(a, "%s: EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic could not "
                                                        "be read: whether its groups filter PrivateLink traffic is unknown",
                                                     lbname));
        } else if (lb->group_ids.count && lb->enforce_privatelink != 2) {
            if (lb->enforce_privatelink == 0)
                sgr_trace_assume(&p.t, sgr_arena_printf(a, "%s: EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic is not "
                                                            "in the snapshot; AWS's default (on) is assumed", lbname));
            sgr_check_groups(g, &p.t, node, false, c->from_addr, NULL, c->from->pub.id, NULL, true);
        } else if (lb->group_ids.count) {
            sgr_trace_allow(&p.t, lbname, "ingress",
                            sgr_arena_printf(a, "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic off: the groups of "
                                                "%s do not filter PrivateLink traffic", lbname),
                            &lb->origin);
        }
        p.v = sgr_trace_verdict(&p.t);
        if (!have || sgr_path_better(&p, &best)) {
            best = p;
            have = true;
        }
    }
    if (!have) {
        memset(&best, 0, sizeof best);
        sgr_trace_init(&best.t, a, explain, proto, port, port, false);
        sgr_trace_hop(&best.t, "vpc-endpoint", ve->id, NULL);
        sgr_trace_gate(&best.t, GATE_UNKNOWN);
        sgr_trace_missing(&best.t, sgr_arena_printf(a, "no network interface of %s is in the snapshot", ve->id));
        best.v = SGR_UNKNOWN;
    } else if (absent && best.v == SGR_UNREACHABLE) {
        /* the interface not described, in its own subnet, may pass where these do not */
        sgr_trace_gate(&best.t, GATE_UNKNOWN);
        sgr_trace_missing(&best.t, sgr_arena_printf(a, "network interface %s of %s is not in the snapshot", absent, ve->id));
        best.v = SGR_UNKNOWN; /* the block stands in the trace, as it was found; the verdict may not */
    }
    return best;
}

sgr_path sgr_path_via_privatelink(const sgr_graph *g, sgr_arena *a, bool explain, const sgr_epx *from,
                                  const sgr_ip *from_addr, const sgr_epx *lbx, int32_t proto, int32_t listener_port,
                                  const sgr_epx *target, int32_t target_port)
{
    sgr_path best;
    memset(&best, 0, sizeof best);
    best.v = SGR_UNREACHABLE;
    best.irrelevant = true;
    const sgr_lb *lb = lbx->pub.lb;
    if (!lb || !lb->arn || from->side.external)
        return best;
    const sgr_ep_list *lists[2] = {sgr_strmap_get(g->map, TAG_IDX_PL, lb->arn), NULL};
    if (maybe_unresolved_target(g, a, lb))
        lists[1] = sgr_strmap_get(g->map, TAG_IDX_PL, "");
    bool have = false;
    for (int k = 0; k < 2; k++)
        for (uint32_t i = 0; lists[k] && i < lists[k]->n; i++) {
            pl_ctx c = {g, (const sgr_vpc_endpoint *)lists[k]->v[i], from, from_addr, lb, k == 1};
            sgr_lb_entry e = {lead, &c,
                              ", from the load balancer's address (PrivateLink traffic: the client's address is not "
                              "preserved)"};
            sgr_path p = sgr_path_via_lb_entry(g, a, explain, from, from_addr, lbx, proto, listener_port, target,
                                               target_port, &e, NULL);
            if (p.irrelevant)
                continue;
            p.via = sgr_arena_printf(a, "privatelink:%s", c.ve->id);
            if (!have || sgr_path_better(&p, &best)) {
                best = p;
                have = true;
            }
        }
    return best;
}

const char *sgr_endpoint_eni_detail(const sgr_graph *g, sgr_arena *a, const sgr_epx *x)
{
    if (x->pub.kind != SGR_EP_ENI || !x->pub.eni)
        return NULL;
    const sgr_vpc_endpoint *ve = sgr_strmap_get(g->map, TAG_IDX_PL, sgr_arena_printf(a, "eni:%s", x->pub.eni->id));
    return ve ? sgr_arena_printf(a, "%s endpoint %s to %s", ve->type ? ve->type : "?", ve->id,
                                 ve->service_name ? ve->service_name : "?")
              : NULL;
}
