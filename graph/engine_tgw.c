/*
 * Transit gateways, when the snapshot holds their route tables (Batfish's
 * collector dumps them): a VPC's traffic enters the TGW through its VPC
 * attachment, only from Availability Zones that have a subnet in the
 * attachment; the route table associated with that attachment (static routes
 * plus the CIDRs of propagating VPC attachments, longest prefix) picks the
 * attachment it leaves by. Without the route tables a TGW path is unknown.
 */
#include "engine.h"

#include <string.h>

static bool strs_has(const sgr_strs *s, const char *v)
{
    for (uint32_t i = 0; v && i < s->count; i++)
        if (s->items[i] && strcmp(s->items[i], v) == 0)
            return true;
    return false;
}

static bool att_live(const sgr_tgw_attachment *a)
{
    return !a->state || strcmp(a->state, "available") == 0 || strcmp(a->state, "modifying") == 0;
}

static const sgr_tgw_attachment *vpc_attachment(const sgr_snapshot *s, const char *tgw, const char *vpc)
{
    for (uint32_t i = 0; i < s->n_tgw_attachments; i++) {
        const sgr_tgw_attachment *a = s->tgw_attachments[i];
        if (a->tgw_id && tgw && strcmp(a->tgw_id, tgw) == 0 && a->resource_id && vpc &&
            strcmp(a->resource_id, vpc) == 0 && att_live(a) &&
            (!a->resource_type || strcmp(a->resource_type, "vpc") == 0))
            return a;
    }
    return NULL;
}

static const sgr_tgw_attachment *attachment(const sgr_snapshot *s, const char *id)
{
    for (uint32_t i = 0; id && i < s->n_tgw_attachments; i++)
        if (s->tgw_attachments[i]->id && strcmp(s->tgw_attachments[i]->id, id) == 0)
            return s->tgw_attachments[i];
    return NULL;
}

bool sgr_tgw_known(const sgr_graph *g, const char *tgw_id)
{
    const sgr_snapshot *s = g->snap;
    for (uint32_t i = 0; tgw_id && i < s->n_tgw_route_tables; i++)
        if (s->tgw_route_tables[i]->tgw_id && strcmp(s->tgw_route_tables[i]->tgw_id, tgw_id) == 0)
            return true;
    return false;
}

/* A damaged attachment (a field that places it could not be read) that may be
 * the one of `vpc` on `tgw`: its transit gateway and VPC are each that one or
 * unknown. */
static const sgr_tgw_attachment *damaged_attachment(const sgr_snapshot *s, const char *tgw, const char *vpc)
{
    for (uint32_t i = 0; i < s->n_tgw_attachments; i++) {
        const sgr_tgw_attachment *a = s->tgw_attachments[i];
        if (a->damaged_why && (!a->tgw_id || (tgw && strcmp(a->tgw_id, tgw) == 0)) &&
            (!a->resource_id || (vpc && strcmp(a->resource_id, vpc) == 0)))
            return a;
    }
    return NULL;
}

static void unknown(sgr_trace *t, const char *why)
{
    sgr_trace_gate(t, GATE_UNKNOWN);
    sgr_trace_missing(t, why);
}

static void block(sgr_trace *t, const char *component, const char *why, const sgr_origin *o)
{
    sgr_trace_gate(t, GATE_BLOCK);
    sgr_trace_block(t, component, "route", why, o);
}

void sgr_route_tgw(const sgr_graph *g, sgr_trace *t, const sgr_route_table *rt, const sgr_route *r,
                   const sgr_side *from, const sgr_side *to, const sgr_ip *dst, const char *dst_label)
{
    sgr_arena *a = t->a;
    const sgr_snapshot *s = g->snap;
    const char *tgw = r->target_id;
    const sgr_tgw_attachment *in = vpc_attachment(s, tgw, from->vpc_id);
    if (!in && (in = damaged_attachment(s, tgw, from->vpc_id)) != NULL) {
        unknown(t, in->damaged_why);
        return;
    }
    if (in && in->damaged_why) {
        /* its subnets, association or state may not be what was read */
        unknown(t, in->damaged_why);
        return;
    }
    if (!in) {
        block(t, tgw, sgr_arena_printf(a, "%s has no available attachment to %s", from->vpc_id ? from->vpc_id : "the VPC", tgw),
              &r->origin);
        return;
    }
    /* the AZ of the source subnet must have a subnet in the attachment */
    if (in->subnet_ids.count && from->subnet && from->subnet->az) {
        bool az_ok = false, az_known = false;
        for (uint32_t i = 0; i < in->subnet_ids.count && !az_ok; i++) {
            const sgr_subnet *sn = sgr_engine_subnet(g, in->subnet_ids.items[i]);
            if (sn && sn->az) {
                az_known = true;
                az_ok = strcmp(sn->az, from->subnet->az) == 0;
            }
        }
        if (az_known && !az_ok) {
            block(t, in->id,
                  sgr_arena_printf(a, "%s has no subnet in %s: traffic from %s cannot enter %s", in->id, from->subnet->az,
                                   from->subnet->id, tgw),
                  &in->origin);
            return;
        }
    }
    const sgr_tgw_route_table *trt = NULL;
    for (uint32_t i = 0; i < s->n_tgw_route_tables && !trt; i++)
        if (strs_has(&s->tgw_route_tables[i]->associated_attachments, in->id))
            trt = s->tgw_route_tables[i];
    if (!trt) {
        block(t, in->id, sgr_arena_printf(a, "%s is associated with no route table of %s", in->id, tgw), &in->origin);
        return;
    }
    if (trt->propagations_unknown_why || trt->routes_unknown_why) {
        /* a route the dump holds but could not be read may be the most specific */
        unknown(t, trt->propagations_unknown_why ? trt->propagations_unknown_why : trt->routes_unknown_why);
        return;
    }
    /* longest prefix over static routes and propagated VPC CIDRs */
    int best_len = -1;
    const char *best_att = NULL;
    bool best_blackhole = false;
    const char *best_unknown = NULL;
    const sgr_origin *best_origin = &trt->origin;
    for (uint32_t i = 0; i < trt->n_routes; i++) {
        const sgr_tgw_route *tr = &trt->routes[i];
        /* of two routes to one prefix (the table described twice), the one
         * that could not be read wins: the answer then does not depend on
         * the order the files load in */
        if (sgr_prefix_contains(&tr->dest, dst) &&
            (tr->dest.len > best_len || (tr->dest.len == best_len && tr->unknown_why && !best_unknown))) {
            best_len = tr->dest.len;
            best_att = tr->attachment_id;
            best_blackhole = tr->blackhole || !tr->attachment_id;
            best_unknown = tr->unknown_why;
            best_origin = &tr->origin;
        }
    }
    const char *unseen = NULL; /* a propagation whose CIDRs the snapshot does not hold */
    for (uint32_t i = 0; i < trt->propagated_attachments.count; i++) {
        const sgr_tgw_attachment *pa = attachment(s, trt->propagated_attachments.items[i]);
        if (pa && pa->damaged_why) {
            /* its VPC, and so the CIDRs it propagates, may not be what was read */
            unknown(t, pa->damaged_why);
            return;
        }
        const sgr_vpc *v = pa && pa->resource_id ? sgr_strmap_get(g->map, TAG_VPC, pa->resource_id) : NULL;
        if (!v && !unseen)
            unseen = sgr_arena_printf(a, "%s propagates %s, whose %s is not in the snapshot: the CIDRs it propagates are unknown",
                                      trt->id, trt->propagated_attachments.items[i], pa ? "VPC" : "attachment");
        for (uint32_t k = 0; v && att_live(pa) && k < v->n_cidrs; k++)
            if (sgr_prefix_contains(&v->cidrs[k], dst) && v->cidrs[k].len > best_len) {
                best_len = v->cidrs[k].len;
                best_att = pa->id;
                best_blackhole = false;
                best_unknown = NULL;
                best_origin = &trt->origin;
            }
    }
    if (best_unknown) {
        unknown(t, best_unknown);
        return;
    }
    if ((best_len < 0 || best_blackhole) && unseen) {
        unknown(t, unseen);
        return;
    }
    if (best_len < 0 || best_blackhole) {
        block(t, trt->id,
              best_len < 0 ? sgr_arena_printf(a, "%s has no route to %s", trt->id, dst_label)
                           : sgr_arena_printf(a, "%s's route to %s is a blackhole", trt->id, dst_label),
              best_origin);
        return;
    }
    const sgr_tgw_attachment *out = attachment(s, best_att);
    if (out && out->damaged_why) {
        unknown(t, out->damaged_why);
        return;
    }
    if (!out || !out->resource_id || !to->vpc_id || strcmp(out->resource_id, to->vpc_id) != 0) {
        sgr_trace_gate(t, GATE_UNKNOWN);
        sgr_trace_missing(t, sgr_arena_printf(a, "%s sends %s to %s (%s %s), outside what the snapshot connects", trt->id,
                                              dst_label, best_att, out && out->resource_type ? out->resource_type : "attachment",
                                              out && out->resource_id ? out->resource_id : "?"));
        return;
    }
    sgr_trace_hop(t, "transit-gateway", tgw, sgr_arena_printf(a, "%s -> %s", trt->id, out->id));
    if (t->explain)
        sgr_trace_allow(t, rt->id, "route", sgr_route_text(a, r), &r->origin);
    sgr_trace_allow(t, trt->id, "tgw-route", sgr_arena_printf(a, "%s -> %s (%s)", dst_label, out->id, out->resource_id),
                    best_origin);
}
