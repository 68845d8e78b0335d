/*
 * What the engine's files share about paths and verdicts: the worse of two
 * verdicts, the better of two paths, a trace appended to another, an endpoint
 * side's address of a family, and which ports a destination serves. One file of
 * its own so that engine_can.c, engine_lb.c and engine_leg.c do not call each
 * other for them.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

#define DYN_LO 32768
#define DYN_HI 65535

/* Whether a task answers on `port` of its host's interface: a host-mode
 * task on its container ports (host port = container port), a bridge task
 * on the host ports its bindings (else static mappings) publish. */
static bool task_answers_on_host(const sgr_task *t, sgr_net_mode mode, int32_t proto, int32_t port)
{
    bool host = mode == SGR_NET_HOST, bound = false;
    for (uint32_t c = 0; c < t->n_containers; c++)
        for (uint32_t b = 0; b < t->containers[c].n_bindings; b++) {
            const sgr_network_binding *nb = &t->containers[c].bindings[b];
            int32_t lo = host ? nb->container_port : nb->host_port;
            int32_t hi = host ? nb->container_port_end : nb->host_port_end;
            bound = true;
            if ((nb->protocol ? nb->protocol : SGR_PROTO_TCP) == proto && lo > 0 && port >= lo && port <= (hi > lo ? hi : lo))
                return true;
        }
    if (bound)
        return false;
    const sgr_task_def *td = t->task_def;
    for (uint32_t c = 0; td && c < td->n_containers; c++)
        for (uint32_t k = 0; k < td->containers[c].n_ports; k++) {
            const sgr_port_mapping *pm = &td->containers[c].ports[k];
            int32_t lo = host ? pm->container_port : pm->host_port;
            int32_t hi = host ? pm->container_port_end : pm->host_port_end;
            if ((pm->protocol ? pm->protocol : SGR_PROTO_TCP) == proto && lo > 0 && port >= lo && port <= (hi > lo ? hi : lo))
                return true;
        }
    return false;
}

/* ": PROTO/PORT on that host is served by task NAME" for the first other task
 * bound to the same interface that answers there, else "". */
static const char *served_elsewhere(const sgr_graph *g, const sgr_epx *x, int32_t proto, int32_t port, sgr_arena *a)
{
    const sgr_ep_list *on_host = x->pub.eni ? sgr_engine_eni_tasks(g, x->pub.eni) : NULL;
    for (uint32_t i = 0; on_host && i < on_host->n; i++) {
        const sgr_epx *o = on_host->v[i];
        if (o != x && o->pub.task && task_answers_on_host(o->pub.task, o->pub.mode, proto, port))
            return sgr_arena_printf(a, "; %s/%d on that host is served by task %s (%s)", sgr_proto_name(a, proto), port,
                                    o->pub.name, o->pub.id);
    }
    return "";
}

bool sgr_eni_holds(const sgr_eni *e, const sgr_ip *ip)
{
    for (uint32_t i = 0; e && i < e->n_private_ips; i++)
        if (memcmp(&e->private_ips[i], ip, sizeof *ip) == 0)
            return true;
    for (uint32_t i = 0; e && i < e->n_ipv6; i++)
        if (memcmp(&e->ipv6[i], ip, sizeof *ip) == 0)
            return true;
    return false;
}

bool sgr_binding_listens(const sgr_epx *x, const sgr_network_binding *nb)
{
    static const uint8_t zero[16] = {0};
    if (!nb->bind_ip.family || memcmp(nb->bind_ip.b, zero, sizeof zero) == 0)
        return true; /* 0.0.0.0, ::: every interface of the host */
    if (sgr_eni_holds(x->pub.eni, &nb->bind_ip))
        return true;
    const sgr_instance *in = x->pub.instance;
    for (uint32_t k = 0; in && k < in->n_enis; k++)
        if (in->enis[k].eni && sgr_eni_holds(in->enis[k].eni, &nb->bind_ip))
            return false; /* another interface's address */
    return true;
}

/* A binding's ports on the host: host ports (bridge), or the container
 * ports, which are the host's (host mode). */
static void binding_host_ports(const sgr_epx *x, const sgr_network_binding *nb, int32_t *lo, int32_t *hi)
{
    bool host = x->pub.mode == SGR_NET_HOST;
    *lo = host && nb->host_port <= 0 ? nb->container_port : nb->host_port;
    *hi = host && nb->host_port <= 0 ? nb->container_port_end : nb->host_port_end;
    if (*hi < *lo)
        *hi = *lo;
}

sgr_pset sgr_ports_bound_elsewhere(sgr_arena *a, const sgr_epx *x, int32_t proto)
{
    sgr_pset away = {0}, here = {0};
    const sgr_task *t = x->pub.task;
    if (x->pub.kind != SGR_EP_TASK || !t || x->pub.mode == SGR_NET_AWSVPC || x->pub.mode == SGR_NET_NONE)
        return away;
    for (uint32_t c = 0; c < t->n_containers; c++)
        for (uint32_t b = 0; b < t->containers[c].n_bindings; b++) {
            const sgr_network_binding *nb = &t->containers[c].bindings[b];
            int32_t lo, hi;
            binding_host_ports(x, nb, &lo, &hi);
            if ((nb->protocol ? nb->protocol : SGR_PROTO_TCP) != proto || lo <= 0 || hi > 65535)
                continue;
            sgr_pset_add(a, sgr_binding_listens(x, nb) ? &here : &away, lo, hi);
        }
    if (!away.n)
        return away;
    sgr_pset_norm(&away);
    sgr_pset_norm(&here);
    return sgr_pset_subtract(a, &away, &here);
}

/* The address a binding of x's task for proto/port (container port, and
 * host port in host mode) is bound to when no such binding listens on x's
 * interface, else NULL. */
static const sgr_ip *bound_elsewhere(const sgr_epx *x, int32_t proto, int32_t port)
{
    const sgr_task *t = x->pub.task;
    const sgr_ip *away = NULL;
    for (uint32_t c = 0; c < t->n_containers; c++)
        for (uint32_t b = 0; b < t->containers[c].n_bindings; b++) {
            const sgr_network_binding *nb = &t->containers[c].bindings[b];
            int32_t end = nb->container_port_end > nb->container_port ? nb->container_port_end : nb->container_port;
            if ((nb->protocol ? nb->protocol : SGR_PROTO_TCP) != proto || port < nb->container_port || port > end)
                continue;
            if (sgr_binding_listens(x, nb))
                return NULL;
            away = &nb->bind_ip;
        }
    return away;
}

static const char *bound_elsewhere_why(const sgr_epx *x, int32_t proto, int32_t port, const sgr_ip *ip, sgr_arena *a)
{
    return sgr_arena_printf(a, "%s/%d of task %s is bound to %s only (networkBindings bindIP), not to an address of %s",
                            sgr_proto_name(a, proto), port, x->pub.name, sgr_ip_str(a, ip),
                            x->pub.eni ? x->pub.eni->id : "its host's interface");
}

static int rank(sgr_verdict v)
{
    return v == SGR_REACHABLE ? 0 : v == SGR_UNKNOWN ? 1 : 2;
}


/* Whether a host-mode task says which ports it serves: its bindings, else its
 * task definition's mappings. One that says nothing may listen anywhere. */
static bool host_task_declares(const sgr_task *t)
{
    for (uint32_t c = 0; c < t->n_containers; c++)
        if (t->containers[c].n_bindings)
            return true;
    const sgr_task_def *td = t->task_def;
    if (td && td->ports_unknown_why)
        return false; /* an unread mapping may be the port asked */
    for (uint32_t c = 0; td && c < td->n_containers; c++)
        if (td->containers[c].n_ports)
            return true;
    return false;
}


static bool host_task_serves(const sgr_task *t, int32_t proto, int32_t port)
{
    return task_answers_on_host(t, SGR_NET_HOST, proto, port);
}


static const char *not_served_why(const sgr_graph *g, const sgr_epx *x, int32_t proto, int32_t port, sgr_arena *a)
{
    return sgr_arena_printf(a, "task %s (host mode) does not serve %s/%d: no container port of it is %d%s", x->pub.name,
                            sgr_proto_name(a, proto), port, port, served_elsewhere(g, x, proto, port, a));
}


void sgr_trace_concat(sgr_trace *d, const sgr_trace *s)
{
    for (uint32_t i = 0; i < s->n_hops; i++)
        sgr_trace_hop(d, s->hops[i].kind, s->hops[i].id, s->hops[i].detail);
    for (uint32_t i = 0; i < s->n_allowed; i++)
        sgr_trace_allow(d, s->allowed[i].component, s->allowed[i].direction, s->allowed[i].text, &s->allowed[i].origin);
    for (uint32_t i = 0; i < s->n_blocks; i++)
        sgr_trace_block(d, s->blocks[i].component, s->blocks[i].direction, s->blocks[i].reason, &s->blocks[i].origin);
    for (uint32_t i = 0; i < s->n_missing; i++)
        sgr_trace_missing(d, s->missing[i]);
    for (uint32_t i = 0; i < s->n_assumptions; i++)
        sgr_trace_assume(d, s->assumptions[i]);
}

sgr_verdict sgr_verdict_worst(sgr_verdict a, sgr_verdict b)
{
    if (a == SGR_UNREACHABLE || b == SGR_UNREACHABLE)
        return SGR_UNREACHABLE;
    if (a == SGR_UNKNOWN || b == SGR_UNKNOWN)
        return SGR_UNKNOWN;
    return SGR_REACHABLE;
}

bool sgr_path_better(const sgr_path *a, const sgr_path *b)
{
    if (rank(a->v) != rank(b->v))
        return rank(a->v) < rank(b->v);
    return a->t.n_blocks < b->t.n_blocks;
}

const sgr_ip *sgr_side_addr(const sgr_side *s, int fam)
{
    const sgr_ip *ip = fam == 6 ? &s->addr6 : &s->addr4;
    return ip->family ? ip : NULL;
}

bool sgr_served_ports(const sgr_graph *g, const sgr_epx *x, int32_t proto, int32_t port, int32_t *lo, int32_t *hi,
                      bool *forall, const char **why, sgr_arena *a)
{
    sgr_portrange u = sgr_proto_universe(proto);
    *forall = false;
    *why = NULL;
    *lo = port < 0 ? u.lo : port;
    *hi = port < 0 ? u.hi : port;
    (void)g;
    if (x->pub.kind != SGR_EP_TASK)
        return true;
    if (x->pub.mode == SGR_NET_NONE) {
        *why = sgr_arena_printf(a, "task %s uses network mode none: it has no network path", x->pub.name);
        return false;
    }
    if (port < 0 || u.hi == 0)
        return true;
    const sgr_task *t = x->pub.task;
    const sgr_ip *away = x->pub.mode == SGR_NET_AWSVPC ? NULL : bound_elsewhere(x, proto, port);
    if (away) {
        *why = bound_elsewhere_why(x, proto, port, away, a);
        return false;
    }
    if (x->pub.mode == SGR_NET_HOST) {
        if (!host_task_declares(t) || host_task_serves(t, proto, port))
            return true;
        *why = not_served_why(g, x, proto, port, a);
        return false;
    }
    if (x->pub.mode != SGR_NET_BRIDGE && x->pub.mode != SGR_NET_DEFAULT)
        return true;
    for (uint32_t c = 0; c < t->n_containers; c++)
        for (uint32_t b = 0; b < t->containers[c].n_bindings; b++) {
            const sgr_network_binding *nb = &t->containers[c].bindings[b];
            int32_t end = nb->container_port_end > nb->container_port ? nb->container_port_end : nb->container_port;
            int32_t bp = nb->protocol ? nb->protocol : SGR_PROTO_TCP;
            if (bp == proto && port >= nb->container_port && port <= end && nb->host_port > 0 && sgr_binding_listens(x, nb)) {
                *lo = *hi = nb->host_port + (port - nb->container_port);
                return true;
            }
        }
    const sgr_task_def *td = t->task_def;
    for (uint32_t c = 0; td && c < td->n_containers; c++)
        for (uint32_t k = 0; k < td->containers[c].n_ports; k++) {
            const sgr_port_mapping *pm = &td->containers[c].ports[k];
            int32_t end = pm->container_port_end > pm->container_port ? pm->container_port_end : pm->container_port;
            int32_t pp = pm->protocol ? pm->protocol : SGR_PROTO_TCP;
            if (pp != proto || port < pm->container_port || port > end)
                continue;
            if (pm->host_port > 0) {
                *lo = *hi = pm->host_port + (port - pm->container_port);
            } else {
                /* dynamic: some port of the agent's range, not recorded in the dump */
                *lo = DYN_LO;
                *hi = DYN_HI;
                *forall = true;
            }
            return true;
        }
    if (!td || td->ports_unknown_why) {
        *why = td ? sgr_arena_printf(a, "the host port of %s for %d is unknown: %s", x->pub.name, port, td->ports_unknown_why)
                  : sgr_arena_printf(a, "the task definition of %s is not in the snapshot: its host port for %d is unknown",
                                     x->pub.name, port);
        *lo = DYN_LO;
        *hi = DYN_HI;
        *forall = true;
        return true;
    }
    *why = sgr_arena_printf(a, "container port %d of task %s is not published on the host (bridge mode, no port mapping)%s",
                            port, x->pub.name, served_elsewhere(g, x, proto, port, a));
    return false;
}
