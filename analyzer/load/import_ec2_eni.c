/*
 * Network interfaces (describe-network-interfaces) and instances
 * (describe-instances, whose Instances[].NetworkInterfaces[] are the same
 * interfaces). Both dumps merge into one sgr_eni per id: the fields each dump
 * prints replace the older ones, nothing is doubled.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "load/import_ec2.h"
#include "load/snapshot_int.h"

#define PATH_LEN 512

typedef struct ip_acc {
    sgr_ip *ips;
    uint32_t n, cap;
} ip_acc;

static void ip_add(sgr_arena *a, ip_acc *acc, const sgr_ip *ip, bool first)
{
    for (uint32_t i = 0; i < acc->n && (i < SGR_DEDUPE_SCAN || first); i++) {
        if (memcmp(&acc->ips[i], ip, sizeof *ip) == 0) {
            if (first && i > 0) { /* the primary address moves to the front */
                memmove(&acc->ips[1], &acc->ips[0], i * sizeof *acc->ips);
                acc->ips[0] = *ip;
            }
            return;
        }
    }
    if (acc->n == acc->cap)
        acc->ips = sgr_arena_grow(a, acc->ips, &acc->cap, acc->n + 1, sizeof *acc->ips);
    if (first) {
        memmove(&acc->ips[1], &acc->ips[0], acc->n * sizeof *acc->ips);
        acc->ips[0] = *ip;
    } else {
        acc->ips[acc->n] = *ip;
    }
    acc->n++;
}

static bool all_digits(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

/* Association{PublicIp, IpOwnerId, AllocationId} mapped to private address priv. */
static void read_assoc(sgr_import_ctx *ctx, const json_t *assoc, const char *path, const sgr_ip *priv,
                       sgr_public_ip **arr, uint32_t *n, uint32_t *cap)
{
    if (!json_is_object(assoc))
        return;
    sgr_public_ip pub = {0};
    if (!sgr_json_ip(ctx, assoc, "PublicIp", path, &pub.ip))
        return;
    for (uint32_t i = 0; i < *n && i < SGR_DEDUPE_SCAN; i++)
        if (memcmp(&(*arr)[i].ip, &pub.ip, sizeof pub.ip) == 0)
            return;
    const char *owner = json_string_value(json_object_get(assoc, "IpOwnerId"));
    pub.elastic = all_digits(owner) || json_is_string(json_object_get(assoc, "AllocationId"));
    if (priv)
        pub.private_ip = *priv;
    if (*n == *cap)
        *arr = sgr_arena_grow(ctx->snap->arena, *arr, cap, *n + 1, sizeof **arr);
    (*arr)[(*n)++] = pub;
}

/* The interface's groups; false (warned) when the list or one of its items
 * could not be read, so which groups filter the interface is unknown. */
static bool read_group_ids(sgr_import_ctx *ctx, const json_t *o, const char *key, const char *path, sgr_strs *out)
{
    sgr_strs s = {0};
    *out = s;
    const json_t *groups;
    if (!sgr_json_list_field(ctx, o, key, path, &groups))
        return false;
    if (!groups)
        return true;
    s.items = SGR_NEW_N(ctx->snap->arena, const char *, json_array_size(groups) + 1);
    char p[PATH_LEN];
    bool readable = true;
    for (size_t i = 0; i < json_array_size(groups); i++) {
        sgr_pathf(p, sizeof p, "%s.%s[%zu]", path, key, i);
        const json_t *it = json_array_get(groups, i);
        const char *g = sgr_json_str(ctx, it, "GroupId", p);
        if (g)
            s.items[s.count++] = g;
        else {
            if (!json_is_object(it) || !json_object_get(it, "GroupId"))
                sgr_import_warn(ctx, json_is_object(it) ? it : groups, p, "no GroupId");
            readable = false;
        }
    }
    *out = s;
    return readable;
}

static bool same_ids(const sgr_strs *a, const sgr_strs *b)
{
    if (a->count != b->count)
        return false;
    for (uint32_t i = 0; i < a->count; i++) {
        bool found = false;
        for (uint32_t k = 0; k < b->count && !found; k++)
            found = strcmp(a->items[i], b->items[k]) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* The interface is damaged where its groups are concerned: which groups
 * filter it is unknown (the first reason is kept, with where it was found). */
static void groups_damaged(sgr_import_ctx *ctx, sgr_eni *e, const json_t *at, const char *path, const char *why)
{
    if (e->groups_unknown_why)
        return;
    e->groups_unknown_why = sgr_import_why(ctx, at, path, "the security groups of %s are unknown: %s", e->id, why);
}

/* A field printed by two descriptions of the same interface with different
 * values: a warning, and the value kept is flagged as one of two. */
static void check_same(sgr_import_ctx *ctx, const json_t *o, const char *path, const char *id, const char *key,
                       const char *before, const char *now, bool *disagree)
{
    if (before && now && strcmp(before, now) != 0) {
        sgr_import_warn(ctx, o, path, "%s is described again with a different %s (%s, then %s)", id, key, before, now);
        *disagree = true;
    }
}

/* One interface; instance_id is set when it comes from describe-instances. */
static sgr_eni *import_eni(sgr_import_ctx *ctx, const json_t *o, const char *path, const char *instance_id,
                           const char *owner)
{
    sgr_eni *e = SGR_IMPORT_OBJECT(ctx, o, path, "NetworkInterfaceId", SGR_KIND_ENI, sgr_eni, NULL);
    if (!e)
        return NULL;
    const char *vpc_before = e->vpc_id, *subnet_before = e->subnet_id;
    sgr_json_set_str(ctx, o, "VpcId", path, &e->vpc_id);
    sgr_json_set_str(ctx, o, "SubnetId", path, &e->subnet_id);
    bool disagree = false;
    check_same(ctx, o, path, e->id, "VpcId", vpc_before, e->vpc_id, &disagree);
    check_same(ctx, o, path, e->id, "SubnetId", subnet_before, e->subnet_id, &disagree);
    /* Where it sits decides its routes, ACLs and addresses: unknown. */
    if (disagree)
        groups_damaged(ctx, e, o, path, "two descriptions of it place it in different subnets or VPCs");
    sgr_json_set_str(ctx, o, "Description", path, &e->description);
    sgr_json_set_str(ctx, o, "InterfaceType", path, &e->interface_type);
    sgr_json_set_str(ctx, o, "RequesterId", path, &e->requester_id);
    sgr_json_set_str(ctx, o, "Status", path, &e->status);
    sgr_json_set_str(ctx, o, "OwnerId", path, &e->owner);
    if (!e->owner)
        e->owner = owner ? owner : ctx->account;
    e->requester_managed = sgr_json_bool(ctx, o, "RequesterManaged", path, e->requester_managed);
    e->source_dest_check = sgr_json_bool(ctx, o, "SourceDestCheck", path, e->source_dest_check);
    e->deny_all_igw_traffic = sgr_json_bool(ctx, o, "DenyAllIgwTraffic", path, e->deny_all_igw_traffic);
    if (json_object_get(o, "Groups")) {
        sgr_strs ids;
        char gp[PATH_LEN];
        sgr_pathf(gp, sizeof gp, "%s.Groups", path);
        if (!read_group_ids(ctx, o, "Groups", path, &ids))
            groups_damaged(ctx, e, o, gp, "its Groups could not be read");
        else if (e->groups_read && !same_ids(&e->group_ids, &ids)) {
            sgr_import_warn(ctx, o, gp, "%s is described again with different security groups", e->id);
            groups_damaged(ctx, e, o, gp, "two descriptions of it list different groups");
        }
        if (!e->groups_read || ids.count)
            e->group_ids = ids;
        e->groups_read = true;
    }
    char p[PATH_LEN];
    const char *instance_before = e->attached_instance;
    const json_t *att = json_object_get(o, "Attachment");
    if (json_is_object(att)) {
        sgr_pathf(p, sizeof p, "%s.Attachment", path);
        sgr_json_set_str(ctx, att, "InstanceId", p, &e->attached_instance);
        bool ok;
        int64_t di = sgr_json_int(ctx, att, "DeviceIndex", p, 0, 1 << 20, -1, &ok);
        if (di >= 0)
            e->device_index = (int32_t)di;
    }
    if (instance_id)
        e->attached_instance = instance_id;
    /* Two descriptions that attach it to different instances (CloudMapper's
     * demo data lists one interface id under three instances): which
     * instance it belongs to, and so what reaches that instance, is unknown. */
    bool moved = false;
    check_same(ctx, o, path, e->id, "instance", instance_before, e->attached_instance, &moved);
    if (moved)
        groups_damaged(ctx, e, o, path, "two descriptions of it attach it to different instances");

    /* Addresses: the union of what every dump of this interface lists (the
     * per-instance copy in describe-instances is often shorter). */
    ip_acc priv = {e->private_ips, e->n_private_ips, e->n_private_ips};
    sgr_public_ip *pubs = e->public_ips;
    uint32_t n_pubs = e->n_public_ips, cap_pubs = e->n_public_ips;
    sgr_ip primary = {0};
    bool have_primary = sgr_json_ip(ctx, o, "PrivateIpAddress", path, &primary);
    /* Two descriptions with different primary addresses: the union of the
     * addresses would answer for an address the interface may not hold. */
    if (have_primary && e->primary_read && memcmp(&priv.ips[0], &primary, sizeof primary) != 0) {
        char was[64], now[64];
        bool differ = false;
        check_same(ctx, o, path, e->id, "PrivateIpAddress", sgr_format_ip(&priv.ips[0], was, sizeof was),
                   sgr_format_ip(&primary, now, sizeof now), &differ);
        groups_damaged(ctx, e, o, path, "two descriptions of it give different primary addresses");
    }
    if (have_primary) {
        ip_add(ctx->snap->arena, &priv, &primary, true);
        e->primary_read = true;
    }
    const json_t *pips = json_object_get(o, "PrivateIpAddresses");
    if (json_is_array(pips)) {
        for (size_t i = 0; i < json_array_size(pips); i++) {
            const json_t *pi = json_array_get(pips, i);
            sgr_pathf(p, sizeof p, "%s.PrivateIpAddresses[%zu]", path, i);
            sgr_ip ip;
            if (!sgr_json_ip(ctx, pi, "PrivateIpAddress", p, &ip))
                continue;
            bool is_primary = sgr_json_bool(ctx, pi, "Primary", p, false);
            ip_add(ctx->snap->arena, &priv, &ip, is_primary && !have_primary);
            if (is_primary && !have_primary) {
                primary = ip;
                have_primary = true;
            }
            sgr_pathf(p, sizeof p, "%s.PrivateIpAddresses[%zu].Association", path, i);
            read_assoc(ctx, json_object_get(pi, "Association"), p, &ip, &pubs, &n_pubs, &cap_pubs);
        }
    }
    sgr_pathf(p, sizeof p, "%s.Association", path);
    read_assoc(ctx, json_object_get(o, "Association"), p, have_primary ? &primary : NULL, &pubs, &n_pubs,
               &cap_pubs);
    e->private_ips = priv.ips;
    e->n_private_ips = priv.n;
    e->public_ips = pubs;
    e->n_public_ips = n_pubs;
    const json_t *v6 = json_object_get(o, "Ipv6Addresses");
    if (json_is_array(v6)) {
        ip_acc acc = {e->ipv6, e->n_ipv6, e->n_ipv6};
        for (size_t i = 0; i < json_array_size(v6); i++) {
            sgr_pathf(p, sizeof p, "%s.Ipv6Addresses[%zu]", path, i);
            sgr_ip ip;
            if (sgr_json_ip(ctx, json_array_get(v6, i), "Ipv6Address", p, &ip))
                ip_add(ctx->snap->arena, &acc, &ip, false);
        }
        e->ipv6 = acc.ips;
        e->n_ipv6 = acc.n;
    }
    static const char *const PFX[2][2] = {{"Ipv4Prefixes", "Ipv4Prefix"}, {"Ipv6Prefixes", "Ipv6Prefix"}};
    for (int f = 0; f < 2; f++) {
        const json_t *arr = json_object_get(o, PFX[f][0]);
        if (!json_array_size(arr))
            continue;
        uint32_t cap = e->n_prefixes;
        for (size_t i = 0; i < json_array_size(arr); i++) {
            sgr_pathf(p, sizeof p, "%s.%s[%zu]", path, PFX[f][0], i);
            sgr_prefix pf;
            if (!sgr_json_prefix(ctx, json_array_get(arr, i), PFX[f][1], p, &pf))
                continue;
            bool dup = false;
            for (uint32_t k = 0; k < e->n_prefixes && k < SGR_DEDUPE_SCAN && !dup; k++)
                dup = memcmp(&e->prefixes[k], &pf, sizeof pf) == 0;
            if (dup)
                continue;
            if (e->n_prefixes == cap)
                e->prefixes = sgr_arena_grow(ctx->snap->arena, e->prefixes, &cap, e->n_prefixes + 1, sizeof pf);
            e->prefixes[e->n_prefixes++] = pf;
        }
    }
    const char *tag_key = json_object_get(o, "TagSet") ? "TagSet" : "Tags";
    if (json_object_get(o, tag_key))
        e->tags = sgr_json_tags(ctx, o, tag_key, path, &e->name);
    return e;
}

void sgr_import_eni(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    import_eni(ctx, o, path, NULL, NULL);
}

static void import_instance(sgr_import_ctx *ctx, const json_t *o, const char *path, const char *owner)
{
    sgr_instance *in = SGR_IMPORT_OBJECT(ctx, o, path, "InstanceId", SGR_KIND_INSTANCE, sgr_instance, NULL);
    if (!in)
        return;
    const char *x;
    char p[PATH_LEN];
    sgr_pathf(p, sizeof p, "%s.State", path);
    if ((x = sgr_json_str(ctx, json_object_get(o, "State"), "Name", p)))
        in->state = x;
    sgr_json_set_str(ctx, o, "InstanceType", path, &in->instance_type);
    sgr_json_set_str(ctx, o, "VpcId", path, &in->vpc_id);
    sgr_json_set_str(ctx, o, "SubnetId", path, &in->subnet_id);
    in->owner = owner ? owner : in->owner ? in->owner : ctx->account;
    sgr_ip ip;
    if (sgr_json_ip(ctx, o, "PrivateIpAddress", path, &ip))
        in->private_ip = ip;
    if (sgr_json_ip(ctx, o, "PublicIpAddress", path, &ip))
        in->public_ip = ip;
    /* The instance's own list only names groups for findings; what filters
     * traffic is each interface's Groups, which decide verdicts. */
    if (json_object_get(o, "SecurityGroups"))
        (void)sgr_json_member_strs_read(ctx, o, "SecurityGroups", "GroupId", path, NULL, NULL, &in->group_ids);
    sgr_json_set_tags(ctx, o, "Tags", path, &in->tags, &in->name);
    const json_t *enis = json_object_get(o, "NetworkInterfaces");
    if (!json_is_array(enis))
        return;
    size_t n = json_array_size(enis);
    in->enis = SGR_NEW_N(ctx->snap->arena, sgr_instance_eni, n + 1);
    in->n_enis = 0;
    for (size_t i = 0; i < n; i++) {
        sgr_pathf(p, sizeof p, "%s.NetworkInterfaces[%zu]", path, i);
        sgr_eni *e = import_eni(ctx, json_array_get(enis, i), p, in->id, owner);
        if (!e)
            continue;
        in->enis[in->n_enis].eni_id = e->id;
        in->enis[in->n_enis].device_index = e->device_index;
        in->n_enis++;
    }
}

void sgr_import_reservation(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    if (!json_is_object(o)) {
        sgr_import_warn(ctx, ctx->doc, path, "expected a reservation object; skipped");
        return;
    }
    const char *owner = sgr_json_str(ctx, o, "OwnerId", path);
    const json_t *insts = json_object_get(o, "Instances");
    char p[PATH_LEN];
    sgr_pathf(p, sizeof p, "%s.Instances", path);
    if (!json_is_array(insts)) {
        if (insts)
            sgr_import_warn(ctx, o, p, "expected an array; ignored");
        return;
    }
    for (size_t i = 0; i < json_array_size(insts); i++) {
        sgr_pathf(p, sizeof p, "%s.Instances[%zu]", path, i);
        import_instance(ctx, json_array_get(insts, i), p, owner);
    }
}
