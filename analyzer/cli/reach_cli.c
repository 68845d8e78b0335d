#include "cli/reach_cli.h"

#include <stdlib.h>
#include <string.h>

#include "cli/diag_print.h"
#include "output/writer_lib.h"
#include "queries/endpoint_key.h"
#include "sgreach/selector.h"

static int cmp_ep(const void *x, const void *y)
{
    const sgr_endpoint *a = *(const sgr_endpoint *const *)x, *b = *(const sgr_endpoint *const *)y;
    return strcmp(a->id, b->id);
}

uint32_t sgr_endpoints_sort_unique(const sgr_endpoint **v, uint32_t n)
{
    if (n < 2)
        return n; /* v may be NULL when there is none */
    qsort(v, n, sizeof *v, cmp_ep);
    uint32_t m = 0;
    for (uint32_t i = 0; i < n; i++)
        if (m == 0 || v[m - 1] != v[i])
            v[m++] = v[i];
    return m;
}

uint32_t sgr_reach_select(sgr_reach_env *env, const char *cmd, const char *option, const char *text,
                          const sgr_endpoint ***out)
{
    sgr_arena *a = env->a;
    const char *perr = NULL;
    sgr_selector *s = sgr_selector_parse(a, text, &perr);
    if (!s) {
        sgr_eprintf("sgreach: %s: %s: selector '%s': %s", cmd, option, text, perr ? perr : "invalid");
        return 0;
    }
    sgr_selection sel;
    const char *suggest = NULL;
    uint32_t n = sgr_selector_resolve(s, env->snap, a, &sel, &suggest);
    sgr_selector_free(s);
    if (n == 0) {
        sgr_eprintf("sgreach: %s: %s: selector '%s' %s%s%s", cmd, option, text,
                sel.error ? sel.error : "matches nothing", suggest ? "; " : "", suggest ? suggest : "");
        return 0;
    }
    n = sgr_policy_endpoints(env->g, &sel, a, out);
    n = sgr_endpoints_sort_unique(*out, n);
    if (n == 0)
        sgr_eprintf("sgreach: %s: %s: selector '%s' names nothing with a network endpoint (stopped tasks?)",
                cmd, option, text);
    return n;
}

const char *sgr_ep_kind_name(sgr_endpoint_kind k)
{
    switch (k) {
    case SGR_EP_INTERNET: return "internet";
    case SGR_EP_CIDR: return "cidr";
    case SGR_EP_ENI: return "eni";
    case SGR_EP_TASK: return "task";
    case SGR_EP_LB: return "lb";
    case SGR_EP_DB: return "db";
    }
    return "endpoint";
}

const char *sgr_ep_label(sgr_arena *a, const sgr_endpoint *e)
{
    if (e->kind == SGR_EP_INTERNET)
        return "internet";
    const char *name = e->name && strcmp(e->name, e->id) != 0 ? e->name : NULL;
    if (e->kind == SGR_EP_TASK && e->service)
        return sgr_arena_printf(a, "%s (service %s)", name ? name : e->id, e->service);
    if (name)
        return sgr_arena_printf(a, "%s (%s)", e->id, name);
    return e->id;
}

const char *sgr_ports_text(sgr_arena *a, const sgr_proto_ports *p, uint32_t n)
{
    return n ? sgr_format_ports(p, n, a) : "";
}

const char *sgr_origin_or_null(sgr_arena *a, const sgr_origin *o)
{
    if (!o || !o->file)
        return NULL;
    return sgr_origin_text(a, o);
}

const char *sgr_rules_text(sgr_arena *a, const sgr_rule_ref *rules, uint32_t n)
{
    const char *t = "";
    for (uint32_t k = 0; k < n; k++) {
        const sgr_rule_ref *r = &rules[k];
        const char *o = sgr_origin_or_null(a, &r->origin);
        t = sgr_arena_printf(a, "%s%s%s%s%s%s", t, k ? "; " : "", r->component ? r->component : "",
                             r->text ? ": " : "", r->text ? r->text : "", o ? sgr_arena_printf(a, " (%s)", o) : "");
    }
    return t;
}
