/*
 * What the report's builders share (report_int.h): an endpoint's kind, label
 * and VPC, a port set as text, a load balancer's type, and one hop asked of
 * the engine with its memo. The driver (report_build.c) calls the builders
 * (report_exposure.c, report_build_graph.c), they call these; nothing calls back.
 */
#include "queries/report_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ endpoints */

uint32_t sgr_rctx_reach(sgr_rctx *c, const sgr_endpoint *ep, sgr_arena *scratch, sgr_reach **out)
{
    return sgr_reach_from(c->g, ep, out, scratch);
}

const char *sgr_rep_ep_vpc(const sgr_endpoint *ep)
{
    if (ep->eni && ep->eni->vpc_id)
        return ep->eni->vpc_id;
    if (ep->lb && ep->lb->vpc_id)
        return ep->lb->vpc_id;
    if (ep->db && ep->db->vpc_id)
        return ep->db->vpc_id;
    if (ep->instance && ep->instance->vpc_id)
        return ep->instance->vpc_id;
    return NULL;
}

const sgr_lb *sgr_rep_via_lb(const sgr_snapshot *s, const char *via)
{
    if (!via || strncmp(via, "lb:", 3) != 0)
        return NULL;
    for (uint32_t i = 0; i < s->n_lbs; i++)
        if (s->lbs[i]->name && strcmp(s->lbs[i]->name, via + 3) == 0)
            return s->lbs[i];
    return NULL;
}

const char *sgr_rep_ep_kind(const sgr_endpoint *ep)
{
    switch (ep->kind) {
    case SGR_EP_INTERNET: return "internet";
    case SGR_EP_CIDR: return "cidr";
    case SGR_EP_TASK: return "task";
    case SGR_EP_LB: return "lb";
    case SGR_EP_DB: return "db";
    case SGR_EP_ENI:
        if (ep->eni && ep->eni->owner_kind == SGR_ENI_OWNER_RDS)
            return "db";
        if (ep->instance || (ep->eni && ep->eni->owner_kind == SGR_ENI_OWNER_INSTANCE))
            return "instance";
        return "eni";
    }
    return "eni";
}

const char *sgr_rep_ep_label(sgr_arena *a, const sgr_endpoint *ep)
{
    switch (ep->kind) {
    case SGR_EP_INTERNET: return "internet";
    case SGR_EP_CIDR: return ep->id;
    case SGR_EP_TASK: {
        const char *tid = ep->task && ep->task->id ? ep->task->id : ep->id;
        if (ep->service)
            return sgr_arena_printf(a, "service %s task %s", ep->service, tid);
        return sgr_arena_printf(a, "task %s", tid);
    }
    case SGR_EP_LB: return sgr_arena_printf(a, "lb %s", ep->lb && ep->lb->name ? ep->lb->name : ep->id);
    case SGR_EP_DB: return sgr_arena_printf(a, "db %s", ep->id);
    case SGR_EP_ENI: break;
    }
    const sgr_eni *e = ep->eni;
    const sgr_instance *in = ep->instance ? ep->instance : e ? e->instance : NULL;
    if (in)
        return in->name ? sgr_arena_printf(a, "%s (%s)", in->id, in->name) : in->id;
    if (e && e->owner_kind == SGR_ENI_OWNER_RDS)
        return sgr_arena_printf(a, "db %s (%s)", e->id, e->description ? e->description : "RDS");
    if (e && e->name)
        return sgr_arena_printf(a, "%s (%s)", e->id, e->name);
    if (e && e->description && *e->description)
        return sgr_arena_printf(a, "%s (%s)", e->id, e->description);
    return ep->name ? ep->name : ep->id;
}

/* A host-mode task serves only the ports its definition declares (the rest of
 * the host's open ports, and ICMP, are the host's). Unchanged when it declares none. */
sgr_portset sgr_rep_host_declared(sgr_arena *a, const sgr_endpoint *to, const sgr_portset *served)
{
    const sgr_task_def *td = to->task ? to->task->task_def : NULL;
    if (!td || td->network_mode != SGR_NET_HOST)
        return *served;
    sgr_portset declared = {0};
    for (uint32_t i = 0; i < td->n_containers; i++)
        for (uint32_t k = 0; k < td->containers[i].n_ports; k++) {
            const sgr_port_mapping *pm = &td->containers[i].ports[k];
            int32_t hi = pm->container_port_end >= pm->container_port ? pm->container_port_end : pm->container_port;
            if (pm->container_port >= 0 && hi <= 65535 && pm->protocol > 0 && pm->protocol < 256)
                sgr_portset_add(a, &declared, SGR_PS_CODE(pm->protocol, pm->container_port),
                                SGR_PS_CODE(pm->protocol, hi));
        }
    if (sgr_portset_empty(&declared))
        return *served;
    return sgr_portset_intersect(a, served, &declared);
}

const char *sgr_rep_lb_type_name(const sgr_lb *lb)
{
    switch (lb->type) {
    case SGR_LB_APPLICATION: return "ALB";
    case SGR_LB_NETWORK: return "NLB";
    case SGR_LB_GATEWAY: return "GWLB";
    case SGR_LB_CLASSIC: return "classic ELB";
    }
    return "LB";
}

const char *sgr_rep_portset_text(sgr_arena *a, const sgr_portset *ps)
{
    sgr_arena *scratch = sgr_arena_new();
    const char *t = sgr_arena_strdup(a, sgr_portset_format(scratch, ps));
    sgr_arena_free(scratch);
    return t;
}

const char *sgr_rep_next_group_id(const char *text, size_t *pos, size_t *len)
{
    for (const char *p = text ? strstr(text + *pos, "sg-") : NULL; p; p = strstr(p + 3, "sg-")) {
        size_t n = 3;
        while (p[n] && strchr("0123456789abcdef", p[n]))
            n++;
        bool word_before = p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '-');
        bool word_after = isalnum((unsigned char)p[n]) || p[n] == '-';
        if (n > 3 && !word_before && !word_after) {
            *len = n;
            *pos = (size_t)(p - text) + n;
            return p;
        }
    }
    return NULL;
}
