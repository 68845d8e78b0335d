/*
 * What a path through a proxy load balancer reads of its client: how the
 * client reaches each listener (query.h, sgr_reach_lb_leads). Whole-estate
 * commands key their memo of load-balancer hops by it.
 */
#include "engine.h"

#include <string.h>

/* sgr_path_via_lb's lead (engine_lb.c): per listener of the protocol (as
 * lb_listeners lists them, at most 64), the best leg over the nodes. */
const char *sgr_reach_lb_leads(sgr_graph *g, const sgr_endpoint *client, const sgr_endpoint *lb,
                               const sgr_endpoint *target, sgr_arena *scratch)
{
    static const int32_t protos[] = {SGR_PROTO_TCP, SGR_PROTO_UDP};
    const sgr_epx *from = (const sgr_epx *)client, *lbx = (const sgr_epx *)lb, *to = (const sgr_epx *)target;
    const sgr_lb *l = lbx->pub.lb;
    if (lbx->pub.kind != SGR_EP_LB || l->type == SGR_LB_NETWORK || from->side.external || from->side.planned ||
        from->nowhere || !from->side.addr4.family || !to->side.addr4.family || to->side.external || to->nowhere ||
        (from->pub.kind == SGR_EP_TASK && from->pub.mode == SGR_NET_NONE))
        return NULL;
    const sgr_ip *fa = &from->side.addr4; /* pick_family(from, to): both have IPv4 */
    sgr_ip none;
    memset(&none, 0, sizeof none);
    char *key = sgr_arena_alloc(scratch, 2 * (64 + 1) + 1);
    uint32_t n = 0;
    for (int pi = 0; pi < 2; pi++) {
        int32_t proto = protos[pi];
        int32_t ports[64];
        uint32_t nl = 0;
        if (l->type == SGR_LB_CLASSIC) {
            for (uint32_t i = 0; i < l->n_classic_listeners && nl < 64; i++)
                if (proto == SGR_PROTO_TCP)
                    ports[nl++] = l->classic_listeners[i].lb_port;
        } else {
            const sgr_ep_list *ls = sgr_engine_lb_listeners(g, l);
            for (uint32_t i = 0; ls && i < ls->n && nl < 64; i++) {
                const sgr_listener *li = (const sgr_listener *)ls->v[i];
                bool mine = li->lb == l || (li->lb_arn && l->arn && strcmp(li->lb_arn, l->arn) == 0);
                bool both = li->protocol_name && strcmp(li->protocol_name, "TCP_UDP") == 0;
                bool proto_ok = both ? (proto == SGR_PROTO_TCP || proto == SGR_PROTO_UDP)
                                     : (li->protocol == proto || (li->protocol == 0 && proto == SGR_PROTO_TCP));
                if (mine && proto_ok)
                    ports[nl++] = li->port; /* SGR_LISTENER_PORT_UNKNOWN: any port, below */
            }
        }
        for (uint32_t i = 0; i < nl; i++) {
            int best = 0; /* 0 none, 1 unreachable, 2 unknown, 3 reachable */
            for (uint32_t ni = 0; ni < lbx->n_nodes && best < 3; ni++) { /* no node does better than reachable */
                const sgr_ip *naddr = sgr_side_addr(&lbx->nodes[ni], 4);
                sgr_trace t;
                sgr_portrange u = sgr_proto_universe(proto);
                bool any = ports[i] == SGR_LISTENER_PORT_UNKNOWN;
                sgr_trace_init(&t, scratch, false, proto, any ? u.lo : ports[i], any ? u.hi : ports[i], false);
                sgr_leg(g, &t, &from->side, fa, &lbx->nodes[ni], naddr ? naddr : &none, NULL);
                sgr_verdict v = sgr_trace_verdict(&t);
                int r = v == SGR_REACHABLE ? 3 : v == SGR_UNKNOWN ? 2 : 1;
                if (r > best)
                    best = r;
            }
            key[n++] = (char)('0' + best);
        }
        key[n++] = '|';
    }
    key[n] = 0;
    return key;
}
