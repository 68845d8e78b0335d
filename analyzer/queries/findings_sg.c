/*
 * Security-group findings: admin/database ports open to the world, shadowed
 * rules, references to groups no dump describes, groups attached to nothing.
 */
#include "queries/findings_int.h"

#include <stdio.h>
#include <string.h>

#include "graph/addrset.h"
#include "queries/admin_ports.h"


static void mark_public(sgr_fctx *c, const sgr_strs *ids)
{
    for (uint32_t i = 0; i < ids->count; i++)
        sgr_strmap_put(c->map, FTAG_PUBLIC, ids->items[i], (void *)1);
}

static void index_public(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    for (uint32_t i = 0; i < s->n_enis; i++)
        if (sgr_feni_public(s->enis[i]))
            mark_public(c, &s->enis[i]->group_ids);
    for (uint32_t i = 0; i < s->n_instances; i++)
        if (sgr_finstance_public(s->instances[i]))
            mark_public(c, &s->instances[i]->group_ids);
    for (uint32_t i = 0; i < s->n_services; i++)
        if (s->services[i]->assign_public_ip)
            mark_public(c, &s->services[i]->group_ids);
}

static const char *rule_key(sgr_fctx *c, const sgr_sg_rule *r, uint32_t index)
{
    if (r->rule_id)
        return r->rule_id;
    return sgr_arena_printf(c->a, "%s#%u", r->egress ? "egress" : "ingress", index);
}

static const char *group_label(sgr_fctx *c, const sgr_sg *g)
{
    if (g->name && *g->name)
        return sgr_arena_printf(c->a, "%s (%s)", g->id, g->name);
    return g->id;
}

static void open_admin_ports(sgr_fctx *c, const sgr_sg *g)
{
    for (uint32_t i = 0; i < g->n_rules; i++) {
        const sgr_sg_rule *r = &g->rules[i];
        if (r->egress || !sgr_frule_world(r))
            continue;
        char list[512] = "";
        size_t len = 0;
        uint32_t hit = 0;
        size_t n_admin;
        const sgr_admin_port *admin = sgr_admin_ports(&n_admin);
        for (size_t k = 0; k < n_admin; k++) {
            if (!sgr_frule_covers(r, SGR_PROTO_TCP, admin[k].port))
                continue;
            if (hit < 6)
                len += (size_t)snprintf(list + len, sizeof list - len, "%stcp/%d (%s)", hit ? ", " : "",
                                        admin[k].port, admin[k].name);
            hit++;
        }
        if (!hit)
            continue;
        if (hit > 6)
            snprintf(list + len, sizeof list - len, " and %u more", hit - 6);
        bool pub = sgr_strmap_get(c->map, FTAG_PUBLIC, g->id) != NULL;
        sgr_finding *f = sgr_fadd(c, "open-admin-port", pub ? SGR_FSEV_CRITICAL : SGR_FSEV_HIGH,
                                  "Replace the world-open rule with one that admits only the administrators' "
                                  "ranges or a bastion's group, or reach the service through SSM Session Manager.",
                                  "%s:%s", g->id, rule_key(c, r, i));
        sgr_ftitle(c, f, "%s admits %s on %s%s", group_label(c, g), sgr_fprefix(c->a, &r->cidr), list,
                   pub ? "; an interface carrying it has a public address" : "");
        sgr_fres(c, f, g->id);
        sgr_frule_add_sg(c, f, g, r);
    }
}

static bool same_str(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Does rule s allow everything rule r allows? Peers are compared within their
 * kind only: a CIDR is not taken to cover a group reference (the group's
 * members may hold IPv6 addresses, or lie across a peering). */
static bool rule_covers(const sgr_sg_rule *s, const sgr_sg_rule *r)
{
    if (s->egress != r->egress || s->peer_kind != r->peer_kind)
        return false;
    switch (s->peer_kind) {
    case SGR_PEER_CIDR:
        if (!sgr_prefix_covers(&s->cidr, &r->cidr))
            return false;
        break;
    case SGR_PEER_PREFIX_LIST:
        if (!same_str(s->prefix_list_id, r->prefix_list_id))
            return false;
        break;
    case SGR_PEER_GROUP:
        if (!same_str(s->group_id, r->group_id))
            return false;
        break;
    }
    if (s->protocol == SGR_PROTO_ALL)
        return true;
    if (s->protocol != r->protocol)
        return false;
    if (s->protocol == SGR_PROTO_TCP || s->protocol == SGR_PROTO_UDP) {
        int32_t slo, shi, rlo, rhi;
        sgr_frule_range(s, s->protocol, &slo, &shi);
        sgr_frule_range(r, r->protocol, &rlo, &rhi);
        return slo <= rlo && rhi <= shi;
    }
    if (s->protocol == SGR_PROTO_ICMP || s->protocol == SGR_PROTO_ICMPV6) {
        if (s->from_port < 0)
            return true;
        return s->from_port == r->from_port && (s->to_port < 0 || s->to_port == r->to_port);
    }
    return true; /* another protocol number: all of its traffic */
}

static void shadowed_rules(sgr_fctx *c, const sgr_sg *g)
{
    for (uint32_t i = 0; i < g->n_rules; i++) {
        const sgr_sg_rule *r = &g->rules[i];
        for (uint32_t j = 0; j < g->n_rules; j++) {
            const sgr_sg_rule *s = &g->rules[j];
            if (i == j || !rule_covers(s, r))
                continue;
            /* Two identical rules shadow each other: report only the later one. */
            if (rule_covers(r, s) && j > i)
                continue;
            sgr_finding *f = sgr_fadd(c, "shadowed-rule", SGR_FSEV_LOW,
                                      "Delete the shadowed rule, or narrow the broader rule if the narrow one "
                                      "states the intent.",
                                      "%s:%s", g->id, rule_key(c, r, i));
            const char *rt = sgr_frule_text(c->a, r), *st = sgr_frule_text(c->a, s);
            sgr_ftitle(c, f, "In %s the rule \"%s\" is covered by \"%s\" and has no effect", group_label(c, g),
                       rt, st);
            sgr_fres(c, f, g->id);
            sgr_frule_add(c, f, g->id, rt, &r->origin);
            sgr_frule_add(c, f, g->id, st, &s->origin);
            break;
        }
    }
}

static bool described(const sgr_fctx *c, const sgr_sg *resolved, const char *id)
{
    const sgr_sg *g = resolved ? resolved : sgr_fgroup(c, id);
    return g && g->described;
}

static sgr_finding *unknown_finding(sgr_fctx *c, const char *id, const char *owner)
{
    uintptr_t idx = (uintptr_t)sgr_strmap_get(c->map, FTAG_UNKNOWN, id);
    if (idx)
        return &c->out->items[idx - 1];
    sgr_finding *f = sgr_fadd(c, "unknown-group", SGR_FSEV_MEDIUM,
                              "Add the describe-security-groups output of the account and region that own the "
                              "group to the snapshot, or remove the stale reference.",
                              "%s", id);
    if (owner)
        sgr_ftitle(c, f, "%s (owned by account %s) is referenced but no dump describes it; "
                         "paths that depend on it are unknown", id, owner);
    else
        sgr_ftitle(c, f, "%s is referenced but no dump describes it; paths that depend on it are unknown", id);
    sgr_fres(c, f, id);
    sgr_strmap_put(c->map, FTAG_UNKNOWN, id, (void *)(uintptr_t)c->out->count);
    return f;
}

static void unknown_refs_strs(sgr_fctx *c, const sgr_strs *ids, const char *holder, const char *what,
                              const sgr_origin *origin)
{
    for (uint32_t i = 0; i < ids->count; i++) {
        if (described(c, NULL, ids->items[i]))
            continue;
        sgr_finding *f = unknown_finding(c, ids->items[i], NULL);
        sgr_fres(c, f, holder);
        sgr_frule_add(c, f, holder, sgr_arena_printf(c->a, "%s carries %s", what, ids->items[i]), origin);
    }
}

static void unknown_groups(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    for (uint32_t k = 0; k < s->n_sgs; k++) {
        const sgr_sg *g = s->sgs[k];
        for (uint32_t i = 0; i < g->n_rules; i++) {
            const sgr_sg_rule *r = &g->rules[i];
            if (r->peer_kind != SGR_PEER_GROUP || !r->group_id || described(c, r->group, r->group_id))
                continue;
            const char *owner = r->group_owner && g->owner && strcmp(r->group_owner, g->owner) != 0
                                    ? r->group_owner : NULL;
            sgr_finding *f = unknown_finding(c, r->group_id, owner);
            sgr_fres(c, f, g->id);
            sgr_frule_add_sg(c, f, g, r);
        }
    }
    for (uint32_t k = 0; k < s->n_enis; k++)
        unknown_refs_strs(c, &s->enis[k]->group_ids, s->enis[k]->id, "interface", &s->enis[k]->origin);
    for (uint32_t k = 0; k < s->n_services; k++) {
        const sgr_service *sv = s->services[k];
        unknown_refs_strs(c, &sv->group_ids, sv->arn ? sv->arn : sv->name, "service", &sv->origin);
    }
    for (uint32_t k = 0; k < s->n_lbs; k++) {
        const sgr_lb *lb = s->lbs[k];
        unknown_refs_strs(c, &lb->group_ids, lb->arn ? lb->arn : lb->name, "load balancer", &lb->origin);
    }
}

static void unattached_groups(sgr_fctx *c)
{
    const sgr_snapshot *s = c->snap;
    /* Without any interface or instance dump, attachments are unknown: say nothing. */
    if (s->n_enis == 0 && s->n_instances == 0)
        return;
    for (uint32_t k = 0; k < s->n_sgs; k++) {
        const sgr_sg *g = s->sgs[k];
        for (uint32_t i = 0; i < g->n_rules; i++) {
            const char *ref = g->rules[i].group_id;
            if (g->rules[i].peer_kind == SGR_PEER_GROUP && ref && strcmp(ref, g->id) != 0) {
                uintptr_t n = (uintptr_t)sgr_strmap_get(c->map, FTAG_REF, ref);
                sgr_strmap_put(c->map, FTAG_REF, ref, (void *)(n + 1));
            }
        }
    }
    for (uint32_t k = 0; k < s->n_sgs; k++) {
        const sgr_sg *g = s->sgs[k];
        if (!g->described || !g->id || sgr_fattached(c, g->id) > 0)
            continue;
        if (g->name && strcmp(g->name, "default") == 0)
            continue; /* every VPC has one; it cannot be deleted */
        uintptr_t refs = (uintptr_t)sgr_strmap_get(c->map, FTAG_REF, g->id);
        sgr_finding *f = sgr_fadd(c, "unattached-group", SGR_FSEV_LOW,
                                  "Delete the group (and the rules that reference it), or attach it where it was "
                                  "meant to be.",
                                  "%s", g->id);
        if (refs)
            sgr_ftitle(c, f, "%s is attached to nothing (no interface, instance, service, load balancer, "
                             "database or endpoint); %u rule(s) of other groups reference it",
                       group_label(c, g), (unsigned)refs);
        else
            sgr_ftitle(c, f, "%s is attached to nothing (no interface, instance, service, load balancer, "
                             "database or endpoint)", group_label(c, g));
        sgr_fres(c, f, g->id);
        sgr_frule_add(c, f, g->id, "security group definition", &g->origin);
    }
}

void sgr_findings_sg(sgr_fctx *c)
{
    index_public(c);
    const sgr_snapshot *s = c->snap;
    for (uint32_t k = 0; k < s->n_sgs; k++) {
        const sgr_sg *g = s->sgs[k];
        if (!g->described || !g->id)
            continue;
        open_admin_ports(c, g);
        shadowed_rules(c, g);
    }
    unknown_groups(c);
    unattached_groups(c);
}
