#include "served_ports.h"

#include "portset.h"

#include <string.h>

/* Adds to out the part of `sent` that falls in host ports [h, h + (c_end - c)]
 * of `proto`, shifted to container ports starting at c; to *hits (when not
 * NULL) that part as it is (the host ports), and to *cports (when not NULL)
 * the container ports [c, c_end]. */
static void map_range(sgr_arena *a, const sgr_portset *sent, int32_t proto, int32_t c, int32_t c_end, int32_t h,
                      sgr_portset *out, sgr_portset *hits, sgr_portset *cports)
{
    if (c < 0 || proto < 0 || proto > 255)
        return;
    if (c_end < c)
        c_end = c;
    if (cports && c_end <= 65535)
        sgr_portset_add(a, cports, SGR_PS_CODE(proto, c), SGR_PS_CODE(proto, c_end));
    if (h <= 0)
        return;
    int64_t h_end = (int64_t)h + (c_end - c);
    if (h_end > 65535)
        return;
    sgr_portset host = {0};
    sgr_portset_add(a, &host, SGR_PS_CODE(proto, h), SGR_PS_CODE(proto, h_end));
    sgr_portset hit = sgr_portset_intersect(a, sent, &host);
    if (hits)
        sgr_portset_union(a, hits, &hit);
    for (uint32_t i = 0; i < hit.n; i++) {
        int32_t lo = (int32_t)(hit.iv[i].lo & 0xFFFF) - h + c, hi = (int32_t)(hit.iv[i].hi & 0xFFFF) - h + c;
        sgr_portset_add(a, out, SGR_PS_CODE(proto, lo), SGR_PS_CODE(proto, hi));
    }
}

/* The host ports of bridge task t in `sent`, as container ports: through its
 * networkBindings, else its task definition's static host ports (see
 * sgr_reach_served_ports). *hits and *cports as map_range's (may be NULL). */
static sgr_portset bridge_served(sgr_arena *a, const sgr_task *t, const sgr_portset *sent, sgr_portset *possible,
                                 sgr_portset *hits, sgr_portset *cports)
{
    sgr_portset out = {0};
    bool bound = false;
    for (uint32_t c = 0; c < t->n_containers; c++)
        for (uint32_t b = 0; b < t->containers[c].n_bindings; b++) {
            const sgr_network_binding *nb = &t->containers[c].bindings[b];
            map_range(a, sent, nb->protocol ? nb->protocol : SGR_PROTO_TCP, nb->container_port, nb->container_port_end,
                      nb->host_port, &out, hits, cports);
            bound = true;
        }
    /* Without recorded bindings, the task definition's static host ports. */
    const sgr_task_def *td = t->task_def;
    for (uint32_t c = 0; !bound && td && c < td->n_containers; c++)
        for (uint32_t k = 0; k < td->containers[c].n_ports; k++) {
            const sgr_port_mapping *pm = &td->containers[c].ports[k];
            int32_t proto = pm->protocol ? pm->protocol : SGR_PROTO_TCP;
            if (pm->host_port > 0) {
                map_range(a, sent, proto, pm->container_port, pm->container_port_end, pm->host_port, &out, hits, cports);
                continue;
            }
            if (cports && pm->container_port >= 0)
                map_range(a, sent, proto, pm->container_port, pm->container_port_end, 0, &out, NULL, cports);
            /* A dynamic host port the dump does not record: any open high
             * port may be it, so the container port is possibly reached. */
            sgr_portset high = {0};
            sgr_portset_add(a, &high, SGR_PS_CODE(proto, 1024), SGR_PS_CODE(proto, 65535));
            sgr_portset hit = sgr_portset_intersect(a, sent, &high);
            if (!sgr_portset_empty(&hit) && pm->container_port >= 0)
                sgr_portset_add(a, possible, SGR_PS_CODE(proto, pm->container_port),
                                SGR_PS_CODE(proto, pm->container_port_end > pm->container_port ? pm->container_port_end
                                                                                               : pm->container_port));
        }
    return out;
}

static bool is_bridge_task(const sgr_endpoint *to)
{
    return to->kind == SGR_EP_TASK && to->task && (to->mode == SGR_NET_BRIDGE || to->mode == SGR_NET_DEFAULT);
}

static bool inside_host(const char *via)
{
    return via && (strcmp(via, "docker-bridge") == 0 || strcmp(via, "loopback") == 0);
}

sgr_portset sgr_reach_served_ports(sgr_arena *a, const sgr_reach *r, sgr_portset *possible)
{
    memset(possible, 0, sizeof *possible);
    sgr_portset sent = {0};
    for (uint32_t k = 0; k < r->n_ports; k++)
        sgr_portset_add_proto_ports(a, &sent, &r->ports[k]);
    /* Over the docker bridge (same host) containers meet on their own ports. */
    if (!is_bridge_task(r->to) || inside_host(r->via))
        return sent;
    return bridge_served(a, r->to->task, &sent, possible, NULL, NULL);
}

sgr_proto_ports *sgr_portset_to_proto_ports(sgr_arena *a, const sgr_portset *s, uint32_t *n)
{
    *n = 0;
    if (s->n == 1 && s->iv[0].lo == 0 && s->iv[0].hi == SGR_PS_MAX) {
        sgr_proto_ports *all = SGR_NEW(a, sgr_proto_ports);
        all->protocol = SGR_PROTO_ALL;
        *n = 1;
        return all;
    }
    /* an interval may span protocol blocks: at most one piece per block it touches */
    uint32_t pieces = 0;
    for (uint32_t i = 0; i < s->n; i++)
        pieces += (s->iv[i].hi >> 16) - (s->iv[i].lo >> 16) + 1;
    sgr_proto_ports *out = SGR_NEW_N(a, sgr_proto_ports, pieces ? pieces : 1);
    sgr_portrange *ranges = SGR_NEW_N(a, sgr_portrange, pieces ? pieces : 1);
    uint32_t nr = 0;
    for (uint32_t i = 0; i < s->n; i++)
        for (uint32_t proto = s->iv[i].lo >> 16; proto <= s->iv[i].hi >> 16; proto++) {
            uint32_t lo = proto == s->iv[i].lo >> 16 ? s->iv[i].lo & 0xFFFF : 0;
            uint32_t hi = proto == s->iv[i].hi >> 16 ? s->iv[i].hi & 0xFFFF : 0xFFFF;
            sgr_portrange u = sgr_proto_universe((int32_t)proto);
            sgr_proto_ports *last = *n ? &out[*n - 1] : NULL;
            if (!last || last->protocol != (int32_t)proto) {
                last = &out[(*n)++];
                last->protocol = (int32_t)proto;
                last->ranges = &ranges[nr];
                last->n_ranges = 0;
            }
            ranges[nr++] = (sgr_portrange){(int32_t)lo, (int32_t)hi};
            last->n_ranges++;
            /* the whole block of a protocol: every port (or type) of it */
            if (last->n_ranges == 1 && (int32_t)lo <= u.lo && (int32_t)hi >= u.hi)
                last->n_ranges = 0;
        }
    return out;
}

bool sgr_served_view(sgr_arena *a, const sgr_endpoint *to, const char *via, bool mixed, const sgr_proto_ports *sent,
                     uint32_t n_sent, sgr_proto_ports **served, uint32_t *n_served, sgr_proto_ports **host,
                     uint32_t *n_host)
{
    if (!is_bridge_task(to) || (inside_host(via) && !mixed))
        return false;
    sgr_portset in = {0}, possible = {0}, hits = {0}, cports = {0};
    for (uint32_t k = 0; k < n_sent; k++)
        sgr_portset_add_proto_ports(a, &in, &sent[k]);
    sgr_portset ps = bridge_served(a, to->task, &in, &possible, &hits, &cports);
    if (sgr_portset_empty(&hits))
        return false;
    if (mixed) {
        /* what the engine let through that is no host port of the task came over the docker bridge */
        sgr_portset rest = sgr_portset_subtract(a, &in, &hits);
        sgr_portset bridged = sgr_portset_intersect(a, &rest, &cports);
        sgr_portset_union(a, &ps, &bridged);
    }
    *served = sgr_portset_to_proto_ports(a, &ps, n_served);
    *host = sgr_portset_to_proto_ports(a, &hits, n_host);
    return true;
}
