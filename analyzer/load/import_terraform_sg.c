/*
 * Terraform security groups → model: aws_security_group (inline ingress and
 * egress), aws_default_security_group, aws_security_group_rule and
 * aws_vpc_security_group_{ingress,egress}_rule.
 *
 * Terraform's semantics, not AWS's defaults: a group holds exactly the inline
 * rules the plan shows; without an egress block it has no egress rule at all
 * (Terraform removes AWS's allow-all, even though after_unknown marks egress
 * unknown); aws_default_security_group replaces the default group's rules.
 * Rule resources add to their group. A peer the plan cannot resolve becomes a
 * reference to a group no dump describes, so what depends on it is unknown.
 */
#include <stdint.h>
#include <string.h>

#include "load/import_terraform.h"

typedef struct rule_vec {
    sgr_sg_rule *items;
    uint32_t n, cap;
} rule_vec;

static void push(sgr_tf *tf, rule_vec *v, const sgr_sg_rule *r)
{
    if (v->n == v->cap)
        v->items = sgr_arena_grow(tf->a, v->items, &v->cap, v->n + 1, sizeof *v->items);
    v->items[v->n++] = *r;
}

typedef struct rule_peers {
    sgr_strs cidrs;   /* IPv4 and IPv6 */
    sgr_strs lists;   /* prefix lists */
    sgr_strs groups;
    bool self;
} rule_peers;

/* The CIDRs of obj.key: one that is not a CIDR (a number, a word) is damage,
 * warned, and left out; the caller counts the rule unreadable. */
static void read_cidrs(sgr_tf *tf, const sgr_tf_res *res, const json_t *obj, const char *key, sgr_strs *out)
{
    sgr_strs c = sgr_tf_strs(tf, obj, key);
    for (uint32_t i = 0; i < c.count; i++) {
        sgr_prefix pfx;
        if (!sgr_tf_unresolved(c.items[i]) && !sgr_parse_prefix(c.items[i], &pfx)) {
            sgr_tf_warn_field(tf, res, obj, key, "%s is not a CIDR: what the rule allows is unknown", c.items[i]);
            c.items[i] = sgr_arena_printf(tf->a, "%s%s.%s (not readable)", SGR_TF_UNRESOLVED, res->address, key);
        }
    }
    sgr_strs_append(tf->a, out, c);
}

/* Leaves out of s the peers the plan does not say (values known only at
 * apply, values of the wrong type): any group or address could be one, so
 * the rule counts as unreadable. The first such peer, or NULL. */
static const char *drop_unsaid(sgr_strs *s)
{
    const char *first = NULL;
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->count; i++) {
        if (sgr_tf_unresolved(s->items[i])) {
            if (!first)
                first = s->items[i];
            continue;
        }
        s->items[n++] = s->items[i];
    }
    s->count = n;
    return first;
}

/* The first peer of p the plan does not say (left out of p), or NULL. */
static const char *peers_unsaid(rule_peers *p)
{
    const char *a = drop_unsaid(&p->cidrs), *b = drop_unsaid(&p->lists), *c = drop_unsaid(&p->groups);
    return a ? a : b ? b : c;
}

/* obj.key (self): true, false or absent; anything else is damage, and the
 * rule may name its own group: a peer no dump describes stands for it. */
static void read_self(sgr_tf *tf, const sgr_tf_res *res, const json_t *obj, const char *key, rule_peers *p)
{
    int b = sgr_tf_bool(obj, key);
    p->self = b == 1;
    const json_t *v = json_object_get(obj, key);
    if (b != -1 || !v || json_is_null(v))
        return;
    const char *s = json_string_value(v);
    if (sgr_tf_unresolved(s)) {
        sgr_strs_add_unique(tf->a, &p->groups, s);
        return;
    }
    sgr_tf_warn_field(tf, res, obj, key, "expected true or false, found %s: whether the rule admits its own group is unknown",
                      sgr_json_kind(v));
    sgr_strs_add_unique(tf->a, &p->groups,
                        sgr_arena_printf(tf->a, "%s%s.%s (not readable)", SGR_TF_UNRESOLVED, res->address, key));
}

/* One model rule per peer, as AWS expands a permission. */
static void expand(sgr_tf *tf, const char *group_id, const sgr_sg_rule *tmpl, const rule_peers *p, rule_vec *out)
{
    for (uint32_t i = 0; i < p->cidrs.count; i++) {
        sgr_sg_rule r = *tmpl;
        if (sgr_parse_prefix(p->cidrs.items[i], &r.cidr)) {
            r.peer_kind = SGR_PEER_CIDR;
        } else {
            /* Not known at plan time: a group nobody describes keeps it unknown. */
            r.peer_kind = SGR_PEER_GROUP;
            r.group_id = sgr_tf_unresolved(p->cidrs.items[i])
                             ? p->cidrs.items[i]
                             : sgr_arena_printf(tf->a, "%scidr %s", SGR_TF_UNRESOLVED, p->cidrs.items[i]);
        }
        push(tf, out, &r);
    }
    for (uint32_t i = 0; i < p->lists.count; i++) {
        sgr_sg_rule r = *tmpl;
        r.peer_kind = SGR_PEER_PREFIX_LIST;
        r.prefix_list_id = p->lists.items[i];
        push(tf, out, &r);
    }
    for (uint32_t i = 0; i < p->groups.count; i++) {
        sgr_sg_rule r = *tmpl;
        r.peer_kind = SGR_PEER_GROUP;
        r.group_id = p->groups.items[i];
        push(tf, out, &r);
    }
    if (p->self) {
        sgr_sg_rule r = *tmpl;
        r.peer_kind = SGR_PEER_GROUP;
        r.group_id = group_id;
        push(tf, out, &r);
    }
}

/* Protocol and ports of a rule; false (warned) when the protocol is invalid. */
static bool rule_head(sgr_tf *tf, const sgr_tf_res *res, const json_t *e, const char *proto_key, bool egress,
                      sgr_sg_rule *tmpl)
{
    memset(tmpl, 0, sizeof *tmpl);
    tmpl->egress = egress;
    const char *proto = sgr_tf_str(tf, e, proto_key);
    tmpl->protocol = proto ? sgr_parse_protocol(proto) : -2;
    if (tmpl->protocol == -2) {
        sgr_tf_warn_field(tf, res, e, proto_key, "rule protocol %s is not valid or not known: what the rule allows is unknown",
                          proto ? proto : "(none)");
        return false;
    }
    if (tmpl->protocol == SGR_PROTO_ALL) {
        tmpl->from_port = tmpl->to_port = -1;
    } else {
        /* A port not known until apply (or not a number) is not "every
         * port": the rule is unreadable. */
        int64_t from = sgr_tf_int(e, "from_port", INT64_MIN), to = sgr_tf_int(e, "to_port", INT64_MIN);
        if (from == INT64_MIN || to == INT64_MIN || from < -1 || to < -1 || from > 65535 || to > 65535) {
            sgr_tf_warn_field(tf, res, e, from == INT64_MIN || from < -1 || from > 65535 ? "from_port" : "to_port",
                              "rule ports are not known or not valid: what the rule allows is unknown");
            return false;
        }
        tmpl->from_port = (int32_t)from;
        tmpl->to_port = (int32_t)to;
        if (tmpl->protocol != SGR_PROTO_ICMP && tmpl->protocol != SGR_PROTO_ICMPV6 &&
            (tmpl->from_port < 0 || tmpl->to_port < 0))
            tmpl->from_port = tmpl->to_port = -1;
    }
    tmpl->description = sgr_tf_str(tf, e, "description");
    return true;
}

/* An inline ingress/egress element (aws_security_group, aws_default_security_group). */
/* A rule of g the plan holds but that could not be read: g may allow more
 * than its readable rules say. */
static void unreadable_rule(sgr_tf *tf, const sgr_tf_res *res, sgr_sg *g, bool egress, const json_t *e)
{
    if (!g->n_unreadable_in && !g->n_unreadable_out) {
        g->unreadable_origin = sgr_tf_origin(tf, res, e, "%s", "");
        g->unreadable_why = NULL;
    }
    if (egress)
        g->n_unreadable_out++;
    else
        g->n_unreadable_in++;
}

static void inline_rules(sgr_tf *tf, sgr_tf_res *res, sgr_sg *g, const json_t *e, bool egress, size_t i,
                         rule_vec *out)
{
    const char *group_id = g->id;
    sgr_sg_rule tmpl;
    if (!json_is_object(e)) {
        sgr_tf_warn_field(tf, res, json_object_get(sgr_tf_values(tf, res), egress ? "egress" : "ingress"),
                          sgr_arena_printf(tf->a, "%s[%zu]", egress ? "egress" : "ingress", i),
                          "expected a rule block, found %s: what it allows is unknown", sgr_json_kind(e));
        unreadable_rule(tf, res, g, egress, NULL);
        return;
    }
    if (!rule_head(tf, res, e, "protocol", egress, &tmpl)) {
        unreadable_rule(tf, res, g, egress, e);
        return;
    }
    tmpl.origin = sgr_tf_origin(tf, res, e, ".%s[%zu]", egress ? "egress" : "ingress", i);
    /* cited by the resource and its rule block: "aws_security_group.db ingress[1]" */
    tmpl.origin.tf_address = sgr_arena_printf(tf->a, "%s %s[%zu]", res->address, egress ? "egress" : "ingress", i);
    rule_peers p = {0};
    read_cidrs(tf, res, e, "cidr_blocks", &p.cidrs);
    read_cidrs(tf, res, e, "ipv6_cidr_blocks", &p.cidrs);
    p.lists = sgr_tf_strs(tf, e, "prefix_list_ids");
    p.groups = sgr_tf_strs(tf, e, "security_groups");
    read_self(tf, res, e, "self", &p);
    const char *unsaid = peers_unsaid(&p);
    if (unsaid) {
        /* what it allows there is unknown; the peers it does say still count */
        bool first = !g->n_unreadable_in && !g->n_unreadable_out;
        unreadable_rule(tf, res, g, egress, e);
        if (!sgr_tf_damaged(unsaid)) {
            /* known only at apply: a group any interface may have, any address */
            sgr_tf_warn_field(tf, res, e, "", "a peer of the rule is known only at apply (%s): what the rule allows is unknown",
                              unsaid);
            if (first)
                g->unreadable_why = sgr_arena_printf(tf->a, "the plan does not say a peer of its rule %s (%s)",
                                                     tmpl.origin.tf_address, unsaid);
        }
    }
    expand(tf, group_id, &tmpl, &p, out);
}

static void set_rules(sgr_sg *g, const rule_vec *v)
{
    g->rules = v->items;
    g->n_rules = v->n;
}

static bool same_rule(const sgr_sg_rule *a, const sgr_sg_rule *b);

/* A rule resource's rules join its group's. A state or refreshed plan lists
 * them among the group's inline rules too: such a duplicate is cited by the
 * rule resource, which is what a reviewer changes. */
static void append_rules(sgr_tf *tf, sgr_sg *g, const rule_vec *v)
{
    rule_vec all = {0};
    for (uint32_t i = 0; i < g->n_rules; i++)
        push(tf, &all, &g->rules[i]);
    for (uint32_t i = 0; i < v->n; i++) {
        bool dup = false;
        for (uint32_t k = 0; k < all.n && !dup; k++)
            if (same_rule(&all.items[k], &v->items[i])) {
                all.items[k].origin = v->items[i].origin;
                dup = true;
            }
        if (!dup)
            push(tf, &all, &v->items[i]);
    }
    set_rules(g, &all);
}

void sgr_tf_sg(sgr_tf *tf, sgr_tf_res *r)
{
    const json_t *v = sgr_tf_values(tf, r);
    sgr_sg *g = sgr_tf_intern(tf, SGR_KIND_SG, r->id, sizeof *g, NULL);
    bool dflt = !strcmp(r->type, "aws_default_security_group");
    const char *name = sgr_tf_name(tf, v, "name");
    g->name = name ? name : dflt ? "default" : g->name;
    const char *desc = sgr_tf_name(tf, v, "description");
    if (desc)
        g->description = desc;
    const char *vpc = sgr_tf_str(tf, v, "vpc_id");
    if (vpc)
        g->vpc_id = vpc;
    const char *owner = sgr_tf_str(tf, v, "owner_id");
    if (owner)
        g->owner = owner;
    g->tags = sgr_tf_tags(tf, v, NULL);
    g->described = true;
    g->origin = sgr_tf_origin(tf, r, NULL, "%s", "");
    /* Exactly the plan's inline rules: absent/unknown blocks mean none. */
    rule_vec rules = {0};
    g->n_unreadable_in = g->n_unreadable_out = 0;
    static const char *const DIRS[] = {"ingress", "egress"};
    for (int d = 0; d < 2; d++) {
        size_t i;
        const json_t *e;
        const json_t *list;
        /* a block the plan does not show or that is not a list */
        if (!sgr_tf_blocks(tf, r, v, DIRS[d], "rule", &list, "what its %s rules allow is unknown", DIRS[d]))
            unreadable_rule(tf, r, g, d == 1, NULL);
        json_array_foreach(list, i, e)
            inline_rules(tf, r, g, e, d == 1, i, &rules);
    }
    set_rules(g, &rules);
    /* An update whose inline rules the plan cannot show (after_unknown.ingress
     * or .egress: a dynamic block over values known only at apply) has unknown
     * rules in that direction, never none: what the shown rules do not allow
     * is unknown. (On a create an absent block looks the same, and means no
     * rule: Terraform removes AWS's default ones; see docs/terraform.md.) */
    for (int d = 0; d < 2 && r->action == SGR_TF_UPDATE; d++) {
        if (!r->unknown || !json_is_true(json_object_get(r->unknown, DIRS[d])))
            continue;
        if (d == 1)
            g->n_unreadable_out++;
        else
            g->n_unreadable_in++;
        g->unreadable_origin = g->origin;
        g->unreadable_why = sgr_arena_printf(tf->a, "the plan does not show its %s rules (after_unknown.%s on an update "
                                                    "of %s): they are known only at apply",
                                             DIRS[d], DIRS[d], r->address);
        sgr_tf_warn(tf, r, "its %s rules are not known until apply (after_unknown.%s, a dynamic block?): "
                           "what they may allow is unknown",
                    DIRS[d], DIRS[d]);
    }
}

/* The rules one rule resource stands for, read from `vals`. */
static const char *rule_resource(sgr_tf *tf, sgr_tf_res *r, const json_t *vals, bool resolved, rule_vec *out,
                                 const char **unsaid)
{
    *unsaid = NULL;
    const char *gid = sgr_tf_str(tf, vals, "security_group_id");
    if (!gid)
        return NULL;
    bool vpc_rule = !strncmp(r->type, "aws_vpc_security_group_", 23);
    bool egress;
    if (vpc_rule) {
        egress = strstr(r->type, "egress") != NULL;
    } else {
        const char *type = sgr_tf_str(tf, vals, "type");
        if (!type)
            return NULL;
        egress = !strcmp(type, "egress");
    }
    sgr_sg_rule tmpl;
    if (!rule_head(tf, r, vals, vpc_rule ? "ip_protocol" : "protocol", egress, &tmpl))
        return NULL;
    tmpl.origin = resolved ? sgr_tf_origin(tf, r, NULL, "%s", "") : (sgr_origin){0};
    rule_peers p = {0};
    if (vpc_rule) {
        read_cidrs(tf, r, vals, "cidr_ipv4", &p.cidrs);
        read_cidrs(tf, r, vals, "cidr_ipv6", &p.cidrs);
        p.lists = sgr_tf_strs(tf, vals, "prefix_list_id");
        p.groups = sgr_tf_strs(tf, vals, "referenced_security_group_id");
        tmpl.rule_id = sgr_tf_str(tf, vals, "security_group_rule_id");
    } else {
        read_cidrs(tf, r, vals, "cidr_blocks", &p.cidrs);
        read_cidrs(tf, r, vals, "ipv6_cidr_blocks", &p.cidrs);
        p.lists = sgr_tf_strs(tf, vals, "prefix_list_ids");
        p.groups = sgr_tf_strs(tf, vals, "source_security_group_id");
        read_self(tf, r, vals, "self", &p);
    }
    *unsaid = peers_unsaid(&p);
    expand(tf, gid, &tmpl, &p, out);
    return gid;
}

void sgr_tf_sg_rule(sgr_tf *tf, sgr_tf_res *r)
{
    rule_vec rules = {0};
    const json_t *v = sgr_tf_values(tf, r);
    const char *unsaid;
    const char *gid = rule_resource(tf, r, v, true, &rules, &unsaid);
    if (!gid) {
        /* Its group, when known, may allow more than its readable rules say. */
        const char *g_id = sgr_tf_str(tf, v, "security_group_id");
        sgr_sg *g = g_id ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SG, g_id) : NULL;
        const char *type = sgr_tf_str(tf, v, "type");
        bool egress = strstr(r->type, "egress") || (type && !strcmp(type, "egress"));
        sgr_tf_warn(tf, r, "rule without a known group, type, protocol or ports: %s",
                    g ? "what it allows in its group is unknown" : "skipped");
        if (g)
            unreadable_rule(tf, r, g, egress, NULL);
        return;
    }
    bool fresh;
    sgr_sg *g = sgr_tf_intern(tf, SGR_KIND_SG, gid, sizeof *g, &fresh);
    if (fresh)
        g->origin = sgr_tf_origin(tf, r, NULL, "%s", ""); /* referenced only: rules stay unknown */
    append_rules(tf, g, &rules);
    if (unsaid) {
        bool first = !g->n_unreadable_in && !g->n_unreadable_out;
        const char *type = sgr_tf_str(tf, v, "type");
        unreadable_rule(tf, r, g, strstr(r->type, "egress") || (type && !strcmp(type, "egress")), NULL);
        if (!sgr_tf_damaged(unsaid)) {
            sgr_tf_warn(tf, r, "a peer of the rule is known only at apply (%s): what it allows in %s is unknown", unsaid,
                        gid);
            if (first)
                g->unreadable_why = sgr_arena_printf(tf->a, "the plan does not say a peer of %s (%s)", r->address, unsaid);
        }
    }
}

void sgr_tf_vpc_sg_rule(sgr_tf *tf, sgr_tf_res *r)
{
    sgr_tf_sg_rule(tf, r);
}

static bool same_rule(const sgr_sg_rule *a, const sgr_sg_rule *b)
{
    if (a->egress != b->egress || a->protocol != b->protocol || a->from_port != b->from_port ||
        a->to_port != b->to_port || a->peer_kind != b->peer_kind)
        return false;
    switch (a->peer_kind) {
    case SGR_PEER_CIDR:
        return !memcmp(&a->cidr, &b->cidr, sizeof a->cidr);
    case SGR_PEER_PREFIX_LIST:
        return a->prefix_list_id && b->prefix_list_id && !strcmp(a->prefix_list_id, b->prefix_list_id);
    case SGR_PEER_GROUP:
        return a->group_id && b->group_id && !strcmp(a->group_id, b->group_id);
    }
    return false;
}

void sgr_tf_sg_rule_unapply(sgr_tf *tf, sgr_tf_res *r)
{
    if (!r->before)
        return;
    rule_vec old = {0};
    const char *unsaid;
    const char *gid = rule_resource(tf, r, r->before, false, &old, &unsaid);
    sgr_sg *g = gid ? sgr_snapshot_find(tf->ctx->snap, SGR_KIND_SG, gid) : NULL;
    if (!g)
        return;
    rule_vec keep = {0};
    for (uint32_t i = 0; i < g->n_rules; i++) {
        bool gone = false;
        for (uint32_t k = 0; k < old.n && !gone; k++)
            gone = same_rule(&g->rules[i], &old.items[k]);
        if (!gone)
            push(tf, &keep, &g->rules[i]);
    }
    set_rules(g, &keep);
}
