#include "queries/endpoint_key.h"

#include <string.h>

/* "prod" from "arn:aws:ecs:us-east-1:123456789012:cluster/prod"; NULL if none. */
static const char *cluster_name(const char *arn)
{
    if (!arn)
        return NULL;
    const char *slash = strrchr(arn, '/');
    return slash ? slash + 1 : arn;
}

static const char *task_key(sgr_arena *a, const sgr_endpoint *e)
{
    const sgr_task *t = e->task;
    const char *cluster = cluster_name(t->cluster_arn);
    const char *service = t->service ? t->service->name : e->service;
    if (!service && t->group && strncmp(t->group, "service:", 8) == 0)
        service = t->group + 8;
    if (service)
        return cluster ? sgr_arena_printf(a, "service:%s/%s", cluster, service) : sgr_arena_printf(a, "service:%s", service);
    const char *family = t->task_def ? t->task_def->family : NULL;
    if (!family && t->group && strncmp(t->group, "family:", 7) == 0)
        family = t->group + 7;
    if (family)
        return cluster ? sgr_arena_printf(a, "family:%s/%s", cluster, family) : sgr_arena_printf(a, "family:%s", family);
    return e->id;
}

const char *sgr_endpoint_key(sgr_arena *a, const sgr_endpoint *e)
{
    switch (e->kind) {
    case SGR_EP_INTERNET:
        return "internet";
    case SGR_EP_TASK:
        return e->task ? task_key(a, e) : e->id;
    case SGR_EP_LB:
        return e->lb && e->lb->name ? sgr_arena_printf(a, "lb:%s", e->lb->name) : e->id;
    case SGR_EP_ENI:
        return e->eni && e->eni->id ? e->eni->id : e->id;
    default:
        return e->id;
    }
}

/* Appends ep to v[0..*n) unless it is NULL (not in the graph). */
static void push(const sgr_endpoint **v, uint32_t *n, const sgr_endpoint *ep)
{
    if (ep)
        v[(*n)++] = ep;
}

uint32_t sgr_policy_endpoints(sgr_graph *g, const sgr_selection *s, sgr_arena *a,
                                 const sgr_endpoint ***out)
{
    uint32_t max = (s->internet ? 1 : 0) + s->n_cidrs + s->n_enis + s->n_tasks + s->n_lbs + s->n_dbs;
    const sgr_endpoint **v = SGR_NEW_N(a, const sgr_endpoint *, max ? max : 1);
    uint32_t n = 0;
    if (s->internet)
        push(v, &n, sgr_graph_internet(g));
    for (uint32_t i = 0; i < s->n_cidrs; i++)
        push(v, &n, sgr_graph_cidr_endpoint(g, &s->cidrs[i]));
    for (uint32_t i = 0; i < s->n_enis; i++)
        push(v, &n, sgr_graph_endpoint_for(g, SGR_EP_ENI, s->enis[i]));
    for (uint32_t i = 0; i < s->n_tasks; i++)
        push(v, &n, sgr_graph_endpoint_for(g, SGR_EP_TASK, s->tasks[i]));
    for (uint32_t i = 0; i < s->n_lbs; i++)
        push(v, &n, sgr_graph_endpoint_for(g, SGR_EP_LB, s->lbs[i]));
    for (uint32_t i = 0; i < s->n_dbs; i++)
        push(v, &n, sgr_graph_endpoint_for(g, SGR_EP_DB, s->dbs[i]));
    *out = v;
    return n;
}
