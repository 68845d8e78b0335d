/*
 * Security groups: describe-security-groups (IpPermissions / IpPermissionsEgress)
 * and describe-security-group-rules (one rule per item). Both may describe the
 * same rule; rules are deduplicated by content (direction, protocol, ports,
 * peer) per group, so neither overlapping pages nor the two dumps double them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/import_ec2.h"
#include "load/snapshot_int.h"

#define PATH_LEN 512

typedef struct rule_buf {
    sgr_sg_rule *items;
    uint32_t n, cap;
} rule_buf;

static void buf_push(rule_buf *b, const sgr_sg_rule *r)
{
    if (b->n == b->cap) {
        b->cap = b->cap ? b->cap * 2 : 16;
        b->items = sgr_xrealloc(b->items, b->cap * sizeof *b->items);
    }
    b->items[b->n++] = *r;
}

/* A rule of g that the dump holds but that could not be read (already warned). */
static void note_unreadable(sgr_import_ctx *ctx, sgr_sg *g, bool egress, const json_t *at, const char *path)
{
    if (!g->n_unreadable_in && !g->n_unreadable_out)
        g->unreadable_origin = sgr_import_origin(ctx, json_is_object(at) ? at : ctx->doc, "%s", path);
    if (egress)
        g->n_unreadable_out++;
    else
        g->n_unreadable_in++;
}

static const char *rule_key(const sgr_sg *g, const sgr_sg_rule *r, char *buf, size_t len)
{
    char peer[80];
    if (r->peer_kind == SGR_PEER_CIDR)
        sgr_format_prefix(&r->cidr, peer, sizeof peer);
    else if (r->peer_kind == SGR_PEER_GROUP && !r->group_id)
        snprintf(peer, sizeof peer, "name:%s", r->group_name ? r->group_name : "");
    else
        snprintf(peer, sizeof peer, "%s", r->peer_kind == SGR_PEER_GROUP ? r->group_id : r->prefix_list_id);
    snprintf(buf, len, "%s|%d|%d|%d|%d|%d|%s", g->id, r->egress, r->protocol, r->from_port, r->to_port,
             (int)r->peer_kind, peer);
    return buf;
}

/* Appends the rules not yet in g (by content). A rule already present gains
 * the rule id the new copy carries, if it had none. */
static void add_rules(sgr_snapshot *snap, sgr_sg *g, const rule_buf *b)
{
    if (!b->n)
        return;
    /* Amortised growth: a group described again and again (pages, hostile
     * input) appends without copying its rules each time. */
    sgr_sg_rule *all = sgr_snap_reserve(snap, 1, g->id, g->rules, g->n_rules, b->n, sizeof *all);
    uint32_t n = g->n_rules;
    char key[512];
    for (uint32_t i = 0; i < b->n; i++) {
        const sgr_sg_rule *r = &b->items[i];
        rule_key(g, r, key, sizeof key);
        uintptr_t at = (uintptr_t)sgr_strmap_get(snap->index->rule_keys, 0, key);
        if (at) {
            sgr_sg_rule *old = &all[at - 1];
            if (!old->rule_id && r->rule_id)
                old->rule_id = r->rule_id;
            if (!old->description && r->description)
                old->description = r->description;
            continue;
        }
        all[n] = *r;
        sgr_strmap_put(snap->index->rule_keys, 0, sgr_arena_strdup(snap->arena, key), (void *)(uintptr_t)(n + 1));
        n++;
    }
    g->rules = all;
    g->n_rules = n;
}

/* Protocol and port range of a permission or rule; false (warned) if invalid. */
static bool read_proto_ports(sgr_import_ctx *ctx, const json_t *o, const char *path, sgr_sg_rule *r)
{
    const json_t *pv = json_object_get(o, "IpProtocol");
    char ptxt[32];
    if (json_is_string(pv))
        snprintf(ptxt, sizeof ptxt, "%s", json_string_value(pv));
    else if (json_is_integer(pv))
        snprintf(ptxt, sizeof ptxt, "%lld", (long long)json_integer_value(pv));
    else {
        sgr_import_warn(ctx, o, path, "no valid IpProtocol; rule skipped");
        return false;
    }
    r->protocol = sgr_parse_protocol(ptxt);
    if (r->protocol == -2) {
        sgr_import_warn(ctx, o, path, "invalid IpProtocol \"%s\"; rule skipped", ptxt);
        return false;
    }
    r->from_port = r->to_port = -1;
    bool ok1, ok2;
    if (r->protocol == SGR_PROTO_TCP || r->protocol == SGR_PROTO_UDP) {
        r->from_port = (int32_t)sgr_json_int(ctx, o, "FromPort", path, -1, 65535, -1, &ok1);
        r->to_port = (int32_t)sgr_json_int(ctx, o, "ToPort", path, -1, 65535, -1, &ok2);
        if (!ok1 || !ok2)
            return false;
        if (r->from_port == -1 || r->to_port == -1)
            r->from_port = r->to_port = -1; /* no range printed: every port */
        else if (r->from_port > r->to_port) {
            sgr_import_warn(ctx, o, path, "FromPort %d > ToPort %d; rule skipped", r->from_port, r->to_port);
            return false;
        }
    } else if (r->protocol == SGR_PROTO_ICMP || r->protocol == SGR_PROTO_ICMPV6) {
        r->from_port = (int32_t)sgr_json_int(ctx, o, "FromPort", path, -1, 255, -1, &ok1);
        r->to_port = (int32_t)sgr_json_int(ctx, o, "ToPort", path, -1, 255, -1, &ok2);
        if (!ok1 || !ok2)
            return false;
    }
    /* -1 and any other protocol number: all ports, whatever range is printed. */
    return true;
}

/* The lists a permission names its peers in, read in this order. */
typedef struct peer_list {
    const char *key;    /* the list */
    const char *member; /* the field of an item that names the peer */
    sgr_peer_kind kind;
} peer_list;

static const peer_list PEER_LISTS[] = {
    {"IpRanges", "CidrIp", SGR_PEER_CIDR},
    {"Ipv6Ranges", "CidrIpv6", SGR_PEER_CIDR},
    {"PrefixListIds", "PrefixListId", SGR_PEER_PREFIX_LIST},
    {"UserIdGroupPairs", "GroupId", SGR_PEER_GROUP},
};

/* Sets r's peer from item `it` of list l; false (warned) when it names none. */
static bool read_peer(sgr_import_ctx *ctx, const peer_list *l, const json_t *it, const char *p, sgr_sg_rule *r)
{
    r->peer_kind = l->kind;
    switch (l->kind) {
    case SGR_PEER_CIDR:
        if (sgr_json_prefix(ctx, it, l->member, p, &r->cidr))
            return true;
        if (!json_object_get(it, l->member))
            sgr_import_warn(ctx, it, p, "no %s; rule skipped", l->member);
        return false;
    case SGR_PEER_PREFIX_LIST:
        r->prefix_list_id = sgr_json_str(ctx, it, l->member, p);
        if (!r->prefix_list_id)
            sgr_import_warn(ctx, it, p, "no %s; rule skipped", l->member);
        return r->prefix_list_id != NULL;
    case SGR_PEER_GROUP:
        r->group_id = sgr_json_str(ctx, it, l->member, p);
        if (!r->group_id)
            r->group_name = sgr_json_str(ctx, it, "GroupName", p);
        if (!r->group_id && !r->group_name) {
            sgr_import_warn(ctx, it, p, "no GroupId or GroupName; rule skipped");
            return false;
        }
        r->group_owner = sgr_json_str(ctx, it, "UserId", p);
        r->group_vpc = sgr_json_str(ctx, it, "VpcId", p);
        r->peering_id = sgr_json_str(ctx, it, "VpcPeeringConnectionId", p);
        return true;
    }
    return false;
}

static void read_permission(sgr_import_ctx *ctx, sgr_sg *g, const json_t *perm, const char *path, bool egress,
                            rule_buf *out)
{
    if (!json_is_object(perm)) {
        sgr_import_warn(ctx, ctx->doc, path, "expected a permission object; skipped");
        note_unreadable(ctx, g, egress, perm, path);
        return;
    }
    sgr_sg_rule base = {0};
    base.egress = egress;
    if (!read_proto_ports(ctx, perm, path, &base)) {
        note_unreadable(ctx, g, egress, perm, path);
        return;
    }
    char p[PATH_LEN];
    for (size_t l = 0; l < sizeof PEER_LISTS / sizeof *PEER_LISTS; l++) {
        const json_t *arr;
        if (!sgr_json_list_field(ctx, perm, PEER_LISTS[l].key, path, &arr))
            note_unreadable(ctx, g, egress, perm, path);
        size_t i;
        const json_t *it;
        json_array_foreach (arr, i, it) {
            sgr_pathf(p, sizeof p, "%s.%s[%zu]", path, PEER_LISTS[l].key, i);
            sgr_sg_rule r = base;
            if (!read_peer(ctx, &PEER_LISTS[l], it, p, &r)) {
                note_unreadable(ctx, g, egress, it, p);
                continue;
            }
            r.description = sgr_json_str(ctx, it, "Description", p);
            r.origin = sgr_import_origin(ctx, it, "%s", p);
            buf_push(out, &r);
        }
    }
}

void sgr_import_sg(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    const char *id = sgr_json_str(ctx, o, "GroupId", path);
    if (!id) {
        sgr_import_warn(ctx, json_is_object(o) ? o : ctx->doc, path, "no GroupId; group skipped");
        return;
    }
    bool is_new;
    sgr_sg *g = sgr_snap_intern(ctx->snap, SGR_KIND_SG, id, sizeof *g, &is_new);
    /* The group's own description is its origin, even when a rules dump
     * created the group first. */
    /* Described before by describe-security-groups (another page, file or account dump)? */
    bool described_before = !is_new && g->described && g->origin.path &&
                            strncmp(g->origin.path, "$.SecurityGroupRules", 20) != 0;
    sgr_origin first = g->origin;
    if (is_new || !g->origin.path || strncmp(g->origin.path, "$.SecurityGroupRules", 20) == 0)
        g->origin = sgr_import_origin(ctx, o, "%s", path);
    g->described = true;
    const char *x;
    sgr_json_set_str(ctx, o, "GroupName", path, &g->name);
    sgr_json_set_str(ctx, o, "Description", path, &g->description);
    sgr_json_set_str(ctx, o, "VpcId", path, &g->vpc_id);
    if ((x = sgr_json_str(ctx, o, "OwnerId", path)) || !g->owner)
        g->owner = x ? x : ctx->account;
    sgr_json_set_tags(ctx, o, "Tags", path, &g->tags, NULL);
    rule_buf b = {0};
    char p[PATH_LEN];
    static const char *const DIRS[2] = {"IpPermissions", "IpPermissionsEgress"};
    for (int d = 0; d < 2; d++) {
        const json_t *perms = json_object_get(o, DIRS[d]);
        if (!perms)
            continue;
        sgr_pathf(p, sizeof p, "%s.%s", path, DIRS[d]);
        if (!json_is_array(perms)) {
            sgr_import_warn(ctx, o, p, "expected an array; ignored");
            note_unreadable(ctx, g, d == 1, o, p);
            continue;
        }
        size_t i;
        const json_t *perm;
        json_array_foreach (perms, i, perm) {
            sgr_pathf(p, sizeof p, "%s.%s[%zu]", path, DIRS[d], i);
            read_permission(ctx, g, perm, p, d == 1, &b);
        }
    }
    uint32_t n_before = g->n_rules;
    add_rules(ctx->snap, g, &b);
    /* The same group twice with different rules (dumps taken at different
     * times, or tampered with): keep the union — more rules can only turn a
     * "no" into a "yes", never hide a path — and say so. */
    if (described_before && (g->n_rules > n_before || b.n < n_before))
        sgr_import_warn(ctx, o, path,
                        "%s is described again with different rules (first at %s:%u); the union of both is kept",
                        id, first.file ? first.file : "?", first.line);
    free(b.items);
}

/* describe-security-group-rules: rules are gathered per group (in order of
 * first appearance) and appended once per group, so a group with many rules
 * costs linear time. */
void sgr_import_sg_rules(sgr_import_ctx *ctx, const json_t *rules)
{
    sgr_snapshot *snap = ctx->snap;
    size_t n = json_array_size(rules);
    sgr_sg **groups = sgr_xcalloc(n + 1, sizeof *groups);
    rule_buf *bufs = sgr_xcalloc(n + 1, sizeof *bufs);
    size_t n_groups = 0;
    sgr_strmap *slot = sgr_strmap_new(snap->arena); /* group id → index + 1 */
    char p[PATH_LEN];
    size_t i;
    const json_t *it;
    json_array_foreach (rules, i, it) {
        sgr_pathf(p, sizeof p, "$.SecurityGroupRules[%zu]", i);
        const char *gid = sgr_json_str(ctx, it, "GroupId", p);
        if (!gid) {
            sgr_import_warn(ctx, json_is_object(it) ? it : ctx->doc, p, "no GroupId; rule skipped");
            continue;
        }
        sgr_sg_rule r = {0};
        r.egress = sgr_json_bool(ctx, it, "IsEgress", p, false);
        if (!read_proto_ports(ctx, it, p, &r))
            goto unreadable;
        const json_t *ref = json_object_get(it, "ReferencedGroupInfo");
        int cidr = sgr_json_family_prefix(ctx, it, "CidrIpv4", "CidrIpv6", p, &r.cidr);
        if (cidr) {
            r.peer_kind = SGR_PEER_CIDR;
            if (cidr < 0)
                goto unreadable;
        } else if (json_object_get(it, "PrefixListId")) {
            r.peer_kind = SGR_PEER_PREFIX_LIST;
            if (!(r.prefix_list_id = sgr_json_str(ctx, it, "PrefixListId", p)))
                goto unreadable;
        } else if (json_is_object(ref)) {
            char rp[PATH_LEN];
            sgr_pathf(rp, sizeof rp, "%s.ReferencedGroupInfo", p);
            r.peer_kind = SGR_PEER_GROUP;
            if (!(r.group_id = sgr_json_str(ctx, ref, "GroupId", rp))) {
                sgr_import_warn(ctx, ref, rp, "no GroupId; rule skipped");
                goto unreadable;
            }
            r.group_owner = sgr_json_str(ctx, ref, "UserId", rp);
            r.group_vpc = sgr_json_str(ctx, ref, "VpcId", rp);
            r.peering_id = sgr_json_str(ctx, ref, "VpcPeeringConnectionId", rp);
        } else {
            sgr_import_warn(ctx, it, p, "rule without CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupInfo; skipped");
            goto unreadable;
        }
        r.rule_id = sgr_json_str(ctx, it, "SecurityGroupRuleId", p);
        r.description = sgr_json_str(ctx, it, "Description", p);
        r.origin = sgr_import_origin(ctx, it, "%s", p);
        uintptr_t at = (uintptr_t)sgr_strmap_get(slot, 0, gid);
        if (!at) {
            bool is_new;
            sgr_sg *g = sgr_snap_intern(snap, SGR_KIND_SG, gid, sizeof *g, &is_new);
            if (is_new) {
                g->origin = r.origin;
                g->owner = sgr_json_str(ctx, it, "GroupOwnerId", p);
            }
            /* The rules dump lists every rule of the group: its rules are known. */
            g->described = true;
            groups[n_groups] = g;
            at = ++n_groups;
            sgr_strmap_put(slot, 0, gid, (void *)at);
        }
        buf_push(&bufs[at - 1], &r);
        continue;
    unreadable: {
        /* The group has a rule we could not read: it may allow more than we know. */
        bool is_new;
        sgr_sg *g = sgr_snap_intern(snap, SGR_KIND_SG, gid, sizeof *g, &is_new);
        if (is_new)
            g->origin = sgr_import_origin(ctx, it, "%s", p);
        note_unreadable(ctx, g, r.egress, it, p);
    }
    }
    for (size_t k = 0; k < n_groups; k++) {
        add_rules(snap, groups[k], &bufs[k]);
        free(bufs[k].items);
    }
    free(bufs);
    free(groups);
}
