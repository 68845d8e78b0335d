/* Network ACLs and managed prefix lists (with their entries). */
#include <stdio.h>
#include <string.h>

#include "load/import_ec2.h"
#include "load/snapshot_int.h"

#define PATH_LEN 512

static bool read_entry(sgr_import_ctx *ctx, const json_t *e, const char *path, sgr_nacl_entry *out)
{
    memset(out, 0, sizeof *out);
    if (!json_is_object(e)) {
        sgr_import_warn(ctx, ctx->doc, path, "expected an entry object; skipped");
        return false;
    }
    out->origin = sgr_import_origin(ctx, e, "%s", path);
    bool ok;
    out->rule_number = (int32_t)sgr_json_int(ctx, e, "RuleNumber", path, 1, 32768, -1, &ok);
    if (!ok)
        return false;
    if (out->rule_number < 0) {
        sgr_import_warn(ctx, e, path, "no RuleNumber; entry skipped");
        return false;
    }
    /* Which direction the entry filters decides everything it does: a value
     * that is not a boolean makes the entry unreadable, not an ingress one. */
    const json_t *eg = json_object_get(e, "Egress");
    if (eg && !json_is_boolean(eg)) {
        sgr_import_warn(ctx, e, path, "Egress is %s, not a boolean; entry skipped", sgr_json_kind(eg));
        return false;
    }
    out->egress = json_is_true(eg);
    const json_t *pv = json_object_get(e, "Protocol");
    char ptxt[32] = "";
    if (json_is_string(pv))
        snprintf(ptxt, sizeof ptxt, "%s", json_string_value(pv));
    else if (json_is_integer(pv))
        snprintf(ptxt, sizeof ptxt, "%lld", (long long)json_integer_value(pv));
    out->protocol = sgr_parse_protocol(ptxt);
    if (out->protocol == -2) {
        sgr_import_warn(ctx, e, path, "invalid or missing Protocol \"%s\"; entry skipped", ptxt);
        return false;
    }
    const char *action = sgr_json_str(ctx, e, "RuleAction", path);
    if (!action || (strcmp(action, "allow") != 0 && strcmp(action, "deny") != 0)) {
        sgr_import_warn(ctx, e, path, "RuleAction must be allow or deny; entry skipped");
        return false;
    }
    out->allow = strcmp(action, "allow") == 0;
    int cidr = sgr_json_family_prefix(ctx, e, "CidrBlock", "Ipv6CidrBlock", path, &out->cidr);
    if (!cidr)
        sgr_import_warn(ctx, e, path, "no CidrBlock or Ipv6CidrBlock; entry skipped");
    if (cidr <= 0)
        return false;
    out->port_from = out->port_to = -1;
    out->icmp_type = out->icmp_code = -1;
    char p[PATH_LEN];
    const json_t *pr = json_object_get(e, "PortRange");
    if (out->protocol == SGR_PROTO_TCP || out->protocol == SGR_PROTO_UDP) {
        /* AWS requires a port range for TCP and UDP entries: one without it
         * (or without From or To) is damaged, not an entry for every port. */
        sgr_pathf(p, sizeof p, "%s.PortRange", path);
        if (!json_is_object(pr)) {
            sgr_import_warn(ctx, e, p, "%s for a TCP or UDP entry, which needs a port range; entry skipped",
                            pr ? sgr_json_kind(pr) : "missing");
            return false;
        }
        bool ok1, ok2;
        out->port_from = (int32_t)sgr_json_int(ctx, pr, "From", p, 0, 65535, -1, &ok1);
        out->port_to = (int32_t)sgr_json_int(ctx, pr, "To", p, 0, 65535, -1, &ok2);
        if (!ok1 || !ok2)
            return false;
        if (out->port_from < 0 || out->port_to < 0) {
            sgr_import_warn(ctx, pr, p, "no From or To; entry skipped");
            return false;
        }
        if (out->port_from > out->port_to) {
            sgr_import_warn(ctx, pr, p, "From %d > To %d; entry skipped", out->port_from, out->port_to);
            return false;
        }
    }
    const json_t *ic = json_object_get(e, "IcmpTypeCode");
    if ((out->protocol == SGR_PROTO_ICMP || out->protocol == SGR_PROTO_ICMPV6) && json_is_object(ic)) {
        sgr_pathf(p, sizeof p, "%s.IcmpTypeCode", path);
        bool ok1, ok2;
        out->icmp_type = (int32_t)sgr_json_int(ctx, ic, "Type", p, -1, 255, -1, &ok1);
        out->icmp_code = (int32_t)sgr_json_int(ctx, ic, "Code", p, -1, 255, -1, &ok2);
        if (!ok1 || !ok2)
            return false;
    }
    return true;
}

/* An entry the dump holds but that could not be read (already warned). */
static void note_unreadable(sgr_import_ctx *ctx, sgr_nacl *a, const json_t *at, const char *path)
{
    if (a->n_unreadable++ == 0)
        a->unreadable_origin = sgr_import_origin(ctx, at, "%s", path);
}

static bool same_entry(const sgr_nacl_entry *x, const sgr_nacl_entry *y)
{
    return x->rule_number == y->rule_number && x->egress == y->egress && x->protocol == y->protocol &&
           x->allow == y->allow && x->cidr.len == y->cidr.len && memcmp(&x->cidr.ip, &y->cidr.ip, sizeof x->cidr.ip) == 0 &&
           x->port_from == y->port_from && x->port_to == y->port_to && x->icmp_type == y->icmp_type &&
           x->icmp_code == y->icmp_code;
}

/* Equal as sets: entries are keyed by (direction, rule number), whatever the order printed. */
static bool same_entries(const sgr_nacl_entry *a, uint32_t na, const sgr_nacl_entry *b, uint32_t nb)
{
    if (na != nb)
        return false;
    if (na > 256) { /* AWS allows 40 per direction: a huge list is compared in order, not squared */
        for (uint32_t i = 0; i < na; i++)
            if (!same_entry(&a[i], &b[i]))
                return false;
        return true;
    }
    for (uint32_t i = 0; i < na; i++) {
        bool found = false;
        for (uint32_t k = 0; k < nb && !found; k++)
            found = same_entry(&a[i], &b[k]);
        if (!found)
            return false;
    }
    return true;
}

void sgr_import_nacl(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_nacl *a = SGR_IMPORT_OBJECT(ctx, o, path, "NetworkAclId", SGR_KIND_NACL, sgr_nacl, NULL);
    if (!a)
        return;
    sgr_json_set_str(ctx, o, "VpcId", path, &a->vpc_id);
    a->is_default = sgr_json_bool(ctx, o, "IsDefault", path, a->is_default);
    char p[PATH_LEN];
    if (json_object_get(o, "Associations") &&
        !sgr_json_member_strs_read(ctx, o, "Associations", "SubnetId", path, NULL, NULL, &a->subnet_ids) &&
        !a->associations_unknown_why) {
        sgr_pathf(p, sizeof p, "%s.Associations", path);
        a->associations_unknown_why = sgr_import_why(ctx, o, p, "the subnets associated with network ACL %s could not all be read", a->id);
    }
    const json_t *entries;
    if (!sgr_json_list_field(ctx, o, "Entries", path, &entries)) {
        sgr_pathf(p, sizeof p, "%s.Entries", path);
        note_unreadable(ctx, a, o, p);
    }
    if (entries) {
        size_t n = json_array_size(entries);
        sgr_nacl_entry *before = a->entries;
        uint32_t n_before = a->n_entries;
        bool described_before = a->entries_read;
        a->entries = SGR_NEW_N(ctx->snap->arena, sgr_nacl_entry, n + 1);
        a->n_entries = 0;
        a->entries_read = true;
        for (size_t i = 0; i < n; i++) {
            sgr_pathf(p, sizeof p, "%s.Entries[%zu]", path, i);
            const json_t *e = json_array_get(entries, i);
            if (read_entry(ctx, e, p, &a->entries[a->n_entries]))
                a->n_entries++;
            else
                note_unreadable(ctx, a, json_is_object(e) ? e : o, p);
        }
        /* The same ACL twice with different entries: which version holds is
         * unknown, so nothing it decides is definite. */
        if (described_before && !same_entries(before, n_before, a->entries, a->n_entries)) {
            sgr_import_warn(ctx, o, path, "%s is described again with different entries; what it lets through is unknown",
                            a->id);
            note_unreadable(ctx, a, o, path);
        }
    }
}

static void add_entry(sgr_import_ctx *ctx, sgr_prefix_list *pl, const sgr_prefix *pf, uint32_t *cap)
{
    for (uint32_t i = 0; i < pl->n_entries && i < SGR_DEDUPE_SCAN; i++)
        if (pl->entries[i].len == pf->len && memcmp(&pl->entries[i].ip, &pf->ip, sizeof pf->ip) == 0)
            return;
    (void)cap;
    pl->entries = sgr_snap_reserve(ctx->snap, 3, pl->id, pl->entries, pl->n_entries, 1, sizeof *pl->entries);
    pl->entries[pl->n_entries++] = *pf;
}

void sgr_import_prefix_list(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_prefix_list *pl = SGR_IMPORT_OBJECT(ctx, o, path, "PrefixListId", SGR_KIND_PREFIX_LIST, sgr_prefix_list, NULL);
    if (!pl)
        return;
    const char *x;
    sgr_json_set_str(ctx, o, "PrefixListName", path, &pl->name);
    sgr_json_set_str(ctx, o, "OwnerId", path, &pl->owner);
    if ((x = sgr_json_str(ctx, o, "AddressFamily", path)))
        pl->family = strcmp(x, "IPv6") == 0 ? SGR_AF_INET6 : strcmp(x, "IPv4") == 0 ? SGR_AF_INET : 0;
    bool ok;
    int64_t m = sgr_json_int(ctx, o, "MaxEntries", path, 0, INT32_MAX, -1, &ok);
    if (m >= 0)
        pl->max_entries = m;
    /* Batfish's describe-prefix-lists shape: the entries are inline. */
    const json_t *cidrs = json_object_get(o, "Cidrs");
    if (json_is_array(cidrs)) {
        pl->entries_known = true;
        uint32_t cap = pl->n_entries;
        char p[PATH_LEN];
        for (size_t i = 0; i < json_array_size(cidrs); i++) {
            sgr_pathf(p, sizeof p, "%s.Cidrs[%zu]", path, i);
            sgr_prefix pf;
            const char *t = json_string_value(json_array_get(cidrs, i));
            if (!t || !sgr_parse_prefix(t, &pf)) {
                sgr_import_warn(ctx, cidrs, p, "invalid CIDR \"%.100s\"; ignored", t ? t : "(not a string)");
                continue;
            }
            add_entry(ctx, pl, &pf, &cap);
        }
    }
}

void sgr_import_prefix_list_entries(sgr_import_ctx *ctx, const json_t *entries)
{
    const char *id = json_string_value(json_object_get(ctx->doc, "PrefixListId"));
    if (!id) {
        sgr_import_warn(ctx, ctx->doc, "$.Entries",
                        "get-managed-prefix-list-entries output without its PrefixListId wrapper "
                        "({\"PrefixListId\": ..., \"Entries\": ...}); ignored");
        return;
    }
    bool is_new;
    sgr_prefix_list *pl = sgr_snap_intern(ctx->snap, SGR_KIND_PREFIX_LIST, id, sizeof *pl, &is_new);
    if (is_new)
        pl->origin = sgr_import_origin(ctx, ctx->doc, "$");
    pl->entries_known = true;
    uint32_t cap = pl->n_entries;
    char p[PATH_LEN];
    for (size_t i = 0; i < json_array_size(entries); i++) {
        sgr_pathf(p, sizeof p, "$.Entries[%zu]", i);
        sgr_prefix pf;
        const json_t *e = json_array_get(entries, i);
        if (!json_object_get(e, "Cidr")) {
            sgr_import_warn(ctx, json_is_object(e) ? e : entries, p, "no Cidr; entry skipped");
            continue;
        }
        if (sgr_json_prefix(ctx, e, "Cidr", p, &pf))
            add_entry(ctx, pl, &pf, &cap);
    }
}
