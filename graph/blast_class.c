/*
 * Behaviour classes of endpoints for blast's closure (docs/performance.md).
 */
#include "blast_class.h"
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgreach/snapshot.h"

enum { TAG_ENI_EPS = 0x424e, TAG_ADDR, TAG_MATES };


static void kb_add(sgr_blast_keyer *k, const sgr_prefix *p)
{
    if (!p || p->ip.family != SGR_AF_INET || p->len > 32)
        return;
    uint64_t lo = ((uint64_t)p->ip.b[0] << 24) | ((uint64_t)p->ip.b[1] << 16) | ((uint64_t)p->ip.b[2] << 8) | p->ip.b[3];
    uint64_t size = (uint64_t)1 << (32 - p->len);
    lo &= ~(size - 1);
    if (k->n + 2 > k->cap)
        k->b = sgr_arena_grow(k->a, k->b, &k->cap, k->n + 2, sizeof *k->b);
    k->b[k->n++] = lo;
    k->b[k->n++] = lo + size;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static const char *addr_text(sgr_arena *a, const sgr_ip *ip)
{
    return sgr_arena_printf(a, "%u.%u.%u.%u", ip->b[0], ip->b[1], ip->b[2], ip->b[3]);
}

void sgr_blast_keyer_init(sgr_blast_keyer *k, sgr_graph *g, const sgr_snapshot *s, sgr_arena *a)
{
    memset(k, 0, sizeof *k);
    k->a = a;
    static const uint8_t priv[][5] = {{10, 0, 0, 0, 8}, {172, 16, 0, 0, 12}, {192, 168, 0, 0, 16},
                                      {100, 64, 0, 0, 10}, {127, 0, 0, 0, 8}, {169, 254, 0, 0, 16}};
    for (size_t i = 0; i < sizeof priv / sizeof priv[0]; i++) {
        sgr_prefix p = {.ip = {.family = SGR_AF_INET, .b = {priv[i][0], priv[i][1], priv[i][2], priv[i][3]}},
                        .len = priv[i][4]};
        kb_add(k, &p);
    }
    for (uint32_t i = 0; i < s->n_sgs; i++)
        for (uint32_t r = 0; r < s->sgs[i]->n_rules; r++)
            if (s->sgs[i]->rules[r].peer_kind == SGR_PEER_CIDR)
                kb_add(k, &s->sgs[i]->rules[r].cidr);
    for (uint32_t i = 0; i < s->n_prefix_lists; i++)
        for (uint32_t e = 0; e < s->prefix_lists[i]->n_entries; e++)
            kb_add(k, &s->prefix_lists[i]->entries[e]);
    for (uint32_t i = 0; i < s->n_nacls; i++)
        for (uint32_t e = 0; e < s->nacls[i]->n_entries; e++)
            kb_add(k, &s->nacls[i]->entries[e].cidr);
    for (uint32_t i = 0; i < s->n_route_tables; i++)
        for (uint32_t r = 0; r < s->route_tables[i]->n_routes; r++)
            kb_add(k, &s->route_tables[i]->routes[r].dest);
    for (uint32_t i = 0; i < s->n_tgw_route_tables; i++)
        for (uint32_t r = 0; r < s->tgw_route_tables[i]->n_routes; r++)
            kb_add(k, &s->tgw_route_tables[i]->routes[r].dest);
    for (uint32_t i = 0; i < s->n_vpcs; i++)
        for (uint32_t c = 0; c < s->vpcs[i]->n_cidrs; c++)
            kb_add(k, &s->vpcs[i]->cidrs[c]);
    for (uint32_t i = 0; i < s->n_subnets; i++)
        kb_add(k, &s->subnets[i]->cidr4);
    for (uint32_t i = 0; i < s->n_peerings; i++) {
        for (uint32_t c = 0; c < s->peerings[i]->requester.n_cidrs; c++)
            kb_add(k, &s->peerings[i]->requester.cidrs[c]);
        for (uint32_t c = 0; c < s->peerings[i]->accepter.n_cidrs; c++)
            kb_add(k, &s->peerings[i]->accepter.cidrs[c]);
    }
    qsort(k->b, k->n, sizeof *k->b, cmp_u64);
    k->eni_eps = sgr_strmap_new(a);
    const sgr_endpoint *const *eps;
    uint32_t n = sgr_graph_endpoints(g, &eps);
    for (uint32_t i = 0; i < n; i++)
        if (eps[i]->eni) {
            uintptr_t c = (uintptr_t)sgr_strmap_get(k->eni_eps, TAG_ENI_EPS, eps[i]->eni->id);
            sgr_strmap_put(k->eni_eps, TAG_ENI_EPS, eps[i]->eni->id, (void *)(c + 1));
        }
    k->addrs = sgr_strmap_new(a);
    for (uint32_t i = 0; i < s->n_enis; i++)
        for (uint32_t p = 0; p < s->enis[i]->n_private_ips; p++) {
            const sgr_ip *ip = &s->enis[i]->private_ips[p];
            if (ip->family != SGR_AF_INET)
                continue;
            const char *t = addr_text(a, ip);
            uintptr_t c = (uintptr_t)sgr_strmap_get(k->addrs, TAG_ADDR, t);
            sgr_strmap_put(k->addrs, TAG_ADDR, t, (void *)(c + 1));
        }
}

const char *sgr_blast_class_key(const sgr_blast_keyer *k, const sgr_endpoint *ep, bool pairs, sgr_arena *a)
{
    const sgr_eni *e = ep->eni;
    if ((ep->kind != SGR_EP_ENI && ep->kind != SGR_EP_TASK) || !e || !e->subnet_id || e->address_planned ||
        e->n_private_ips == 0 || e->private_ips[0].family != SGR_AF_INET || e->n_ipv6 || e->n_prefixes)
        return NULL; /* delegated prefixes: more addresses than the one the key places */
    if (e->instance && e->instance->state && strcmp(e->instance->state, "running") != 0)
        return NULL; /* an instance not running answers nothing: not like its neighbours */
    if (((const sgr_epx *)ep)->n_ifaces)
        return NULL; /* a task reached on its host's other interfaces too */
    if (!pairs && (uintptr_t)sgr_strmap_get(k->eni_eps, TAG_ENI_EPS, e->id) > 1)
        return NULL; /* shares its interface: the docker bridge is per host */
    bool public4 = false; /* as the engine's side sees it: a public IPv4, or one planned */
    for (uint32_t i = 0; pairs && i < e->n_public_ips; i++)
        public4 |= e->public_ips[i].ip.family == SGR_AF_INET || e->public_ips[i].ip.family == 0;
    for (uint32_t i = 1; pairs && i < e->n_private_ips; i++)
        if (e->private_ips[i].family != SGR_AF_INET)
            return NULL; /* an IPv6 address among the private ones */
    const sgr_ip *ip = &e->private_ips[0];
    if ((uintptr_t)sgr_strmap_get(k->addrs, TAG_ADDR, addr_text(a, ip)) > 1)
        return NULL; /* another interface has its address: references may match either */
    uint64_t v = ((uint64_t)ip->b[0] << 24) | ((uint64_t)ip->b[1] << 16) | ((uint64_t)ip->b[2] << 8) | ip->b[3];
    uint32_t lo = 0, hi = k->n; /* atom = number of boundaries <= v */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (k->b[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t len = 64 + strlen(e->subnet_id) + (e->vpc_id ? strlen(e->vpc_id) : 0);
    for (uint32_t i = 0; i < e->group_ids.count; i++)
        len += strlen(e->group_ids.items[i]) + 1;
    char *key = sgr_arena_alloc(a, len);
    /* an endpoint that starts no connection is never a source: its own class */
    int n = snprintf(key, len, "%d|%d|%d|%s|%s|%d|%u|", (int)ep->kind, (int)ep->mode, (int)sgr_endpoint_initiates(ep), e->subnet_id,
                     e->vpc_id ? e->vpc_id : "", pairs ? public4 : e->n_public_ips > 0, lo);
    /* group ids in sorted order: the same set is the same class */
    const char **ids = SGR_NEW_N(a, const char *, e->group_ids.count + 1);
    if (e->group_ids.count)
        memcpy(ids, e->group_ids.items, e->group_ids.count * sizeof *ids);
    for (uint32_t i = 1; i < e->group_ids.count; i++)
        for (uint32_t j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
            const char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    for (uint32_t i = 0; i < e->group_ids.count; i++)
        n += snprintf(key + n, len - (size_t)n, "%s,", ids[i]);
    return key;
}

void sgr_blast_mates(const sgr_endpoint ***mates, const sgr_endpoint *const *eps, uint32_t n, bool others, sgr_arena *a,
                     sgr_arena *tmp)
{
    typedef struct on_eni {
        const sgr_endpoint **v;
        uint32_t n, cap;
    } on_eni;
    sgr_strmap *by_eni = sgr_strmap_new(tmp);
    for (uint32_t i = 0; i < n; i++) {
        const sgr_endpoint *ep = eps[i];
        if (!ep->eni || !ep->eni->id)
            continue;
        on_eni *o = sgr_strmap_get(by_eni, TAG_MATES, ep->eni->id);
        if (!o) {
            o = SGR_NEW(tmp, on_eni);
            sgr_strmap_put(by_eni, TAG_MATES, ep->eni->id, o);
        }
        if (o->n == o->cap)
            o->v = sgr_arena_grow(tmp, o->v, &o->cap, o->n + 1, sizeof *o->v);
        o->v[o->n++] = ep;
    }
    for (uint32_t i = 0; i < n; i++) {
        const sgr_endpoint *ep = eps[i];
        on_eni *o = ep->eni && ep->eni->id ? sgr_strmap_get(by_eni, TAG_MATES, ep->eni->id) : NULL;
        if (!o || (others && o->n < 2))
            continue;
        const sgr_endpoint **v = SGR_NEW_N(a, const sgr_endpoint *, o->n + 1);
        uint32_t k = 0;
        for (uint32_t j = 0; j < o->n; j++)
            if (o->v[j]->eni == ep->eni && !(others && o->v[j] == ep))
                v[k++] = o->v[j];
        mates[i] = k ? v : NULL;
    }
}
