/*
 * Elastic Load Balancing: elbv2 describe-load-balancers, describe-target-groups,
 * describe-target-health and describe-target-group-attributes (wrapped with
 * their TargetGroupArn), describe-listeners; classic elb describe-load-balancers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load/import_elb.h"
#include "load/snapshot_int.h"

#define PATH_LEN 512

/* The load balancer's groups, when o lists them (else those another
 * description gave stay); when they cannot be read, which groups filter it
 * (or whether an NLB has none) is unknown. */
static void read_lb_groups(sgr_import_ctx *ctx, sgr_lb *lb, const json_t *o, const char *path)
{
    if (!json_object_get(o, "SecurityGroups") || sgr_json_strs_read(ctx, o, "SecurityGroups", path, &lb->group_ids) ||
        lb->groups_unknown_why)
        return;
    char p[PATH_LEN];
    sgr_pathf(p, sizeof p, "%s.SecurityGroups", path);
    lb->groups_unknown_why = sgr_import_why(ctx, o, p, "the security groups of %s are unknown: its SecurityGroups could not be read",
                                            lb->name ? lb->name : "a load balancer");
}

/* Whether o's Scheme is internet-facing (rather than internal); was when o
 * does not say. */
static bool internet_facing(sgr_import_ctx *ctx, const json_t *o, const char *path, bool was)
{
    const char *scheme = sgr_json_str(ctx, o, "Scheme", path);
    return scheme ? strcmp(scheme, "internet-facing") == 0 : was;
}

/* The transport protocol of an ELB protocol name; 0 when unknown. */
static int32_t transport(const char *name)
{
    if (!name)
        return 0;
    if (!strcmp(name, "UDP") || !strcmp(name, "GENEVE"))
        return SGR_PROTO_UDP;
    if (!strcmp(name, "HTTP") || !strcmp(name, "HTTPS") || !strcmp(name, "TCP") || !strcmp(name, "TLS") ||
        !strcmp(name, "SSL") || !strcmp(name, "TCP_UDP"))
        return SGR_PROTO_TCP;
    return 0;
}

static void import_lb(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    sgr_lb *lb = SGR_IMPORT_OBJECT(ctx, o, path, "LoadBalancerArn", SGR_KIND_LB, sgr_lb, NULL);
    if (!lb)
        return;
    const char *x;
    if ((x = sgr_json_str(ctx, o, "LoadBalancerName", path))) {
        lb->name = x;
        char key[300];
        sgr_pathf(key, sizeof key, "name:%s", x);
        sgr_snap_alias(ctx->snap, SGR_KIND_LB, key, lb);
    }
    const char *type = sgr_json_str(ctx, o, "Type", path);
    if (type) {
        if (!strcmp(type, "network"))
            lb->type = SGR_LB_NETWORK;
        else if (!strcmp(type, "gateway"))
            lb->type = SGR_LB_GATEWAY;
        else
            lb->type = SGR_LB_APPLICATION;
    } else if (strstr(lb->arn, ":loadbalancer/net/")) {
        lb->type = SGR_LB_NETWORK;
    } else if (strstr(lb->arn, ":loadbalancer/gwy/")) {
        lb->type = SGR_LB_GATEWAY;
    }
    lb->internet_facing = internet_facing(ctx, o, path, lb->internet_facing);
    sgr_json_set_str(ctx, o, "VpcId", path, &lb->vpc_id);
    sgr_json_set_str(ctx, o, "IpAddressType", path, &lb->ip_address_type);
    read_lb_groups(ctx, lb, o, path);
    /* "on" or "off" (describe-load-balancers prints it for an NLB with groups);
     * a value that cannot be read decides nothing, and stays so */
    x = NULL;
    if (!sgr_json_str_read(ctx, o, "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", path, &x)) {
        lb->enforce_privatelink = 3;
    } else if (x && lb->enforce_privatelink != 3) {
        if (strcmp(x, "on") == 0 || strcmp(x, "off") == 0) {
            lb->enforce_privatelink = strcmp(x, "on") == 0 ? 1 : 2;
        } else {
            sgr_import_warn(ctx, o, path, "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic \"%s\" is neither on nor off: "
                                          "whether its groups filter PrivateLink traffic is unknown", x);
            lb->enforce_privatelink = 3;
        }
    }
    const json_t *azs = json_object_get(o, "AvailabilityZones");
    if (!json_is_array(azs))
        return;
    size_t n = json_array_size(azs), n_addr = 0;
    for (size_t i = 0; i < n; i++)
        n_addr += json_array_size(json_object_get(json_array_get(azs, i), "LoadBalancerAddresses")) * 3;
    sgr_strs subnets = {SGR_NEW_N(ctx->snap->arena, const char *, n + 1), 0};
    lb->addresses = SGR_NEW_N(ctx->snap->arena, sgr_ip, n_addr + 1);
    lb->n_addresses = 0;
    char p[PATH_LEN], ap[PATH_LEN];
    for (size_t i = 0; i < n; i++) {
        const json_t *az = json_array_get(azs, i);
        sgr_pathf(p, sizeof p, "%s.AvailabilityZones[%zu]", path, i);
        const char *sn = sgr_json_str(ctx, az, "SubnetId", p);
        if (sn)
            subnets.items[subnets.count++] = sn;
        const json_t *addrs = json_object_get(az, "LoadBalancerAddresses");
        for (size_t k = 0; k < json_array_size(addrs); k++) {
            const json_t *a = json_array_get(addrs, k);
            sgr_pathf(ap, sizeof ap, "%s.LoadBalancerAddresses[%zu]", p, k);
            static const char *const KEYS[] = {"IpAddress", "PrivateIPv4Address", "IPv6Address"};
            for (size_t j = 0; j < 3; j++) {
                sgr_ip ip;
                if (sgr_json_ip(ctx, a, KEYS[j], ap, &ip))
                    lb->addresses[lb->n_addresses++] = ip;
            }
        }
    }
    lb->subnet_ids = subnets;
}

static void import_classic(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    const char *name = sgr_json_str(ctx, o, "LoadBalancerName", path);
    if (!name) {
        sgr_import_warn(ctx, json_is_object(o) ? o : ctx->doc, path, "no LoadBalancerName; skipped");
        return;
    }
    char key[300];
    sgr_pathf(key, sizeof key, "name:%s", name);
    bool is_new;
    sgr_lb *lb = sgr_snap_intern(ctx->snap, SGR_KIND_LB, key, sizeof *lb, &is_new);
    if (is_new)
        lb->origin = sgr_import_origin(ctx, o, "%s", path);
    lb->name = name;
    lb->type = SGR_LB_CLASSIC;
    lb->internet_facing = internet_facing(ctx, o, path, lb->internet_facing);
    sgr_json_set_str(ctx, o, "VPCId", path, &lb->vpc_id);
    sgr_json_set_strs(ctx, o, "Subnets", path, &lb->subnet_ids);
    read_lb_groups(ctx, lb, o, path);
    char p[PATH_LEN];
    const json_t *lds = json_object_get(o, "ListenerDescriptions");
    if (json_is_array(lds)) {
        lb->classic_listeners = SGR_NEW_N(ctx->snap->arena, sgr_classic_listener, json_array_size(lds) + 1);
        lb->n_classic_listeners = 0;
        for (size_t i = 0; i < json_array_size(lds); i++) {
            sgr_pathf(p, sizeof p, "%s.ListenerDescriptions[%zu].Listener", path, i);
            const json_t *l = json_object_get(json_array_get(lds, i), "Listener");
            if (!json_is_object(l))
                continue;
            bool ok1, ok2;
            sgr_classic_listener cl = {0};
            const char *proto = sgr_json_str(ctx, l, "Protocol", p);
            cl.protocol = transport(proto ? proto : "TCP");
            if (!cl.protocol)
                cl.protocol = SGR_PROTO_TCP;
            cl.lb_port = (int32_t)sgr_json_int(ctx, l, "LoadBalancerPort", p, 1, 65535, -1, &ok1);
            cl.instance_port = (int32_t)sgr_json_int(ctx, l, "InstancePort", p, 1, 65535, -1, &ok2);
            if (ok1 && ok2 && cl.lb_port > 0)
                lb->classic_listeners[lb->n_classic_listeners++] = cl;
        }
    }
    if (json_object_get(o, "Instances") &&
        !sgr_json_member_strs_read(ctx, o, "Instances", "InstanceId", path, NULL, NULL, &lb->classic_instances) &&
        !lb->instances_unknown_why) {
        sgr_pathf(p, sizeof p, "%s.Instances", path);
        lb->instances_unknown_why = sgr_import_why(ctx, o, p, "the instances registered with %s could not all be read",
                                                   lb->name ? lb->name : "a classic load balancer");
    }
}

static void import_target_group(sgr_import_ctx *ctx, const json_t *o, const char *path)
{
    bool is_new;
    sgr_target_group *tg = SGR_IMPORT_OBJECT(ctx, o, path, "TargetGroupArn", SGR_KIND_TARGET_GROUP, sgr_target_group, &is_new);
    if (!tg)
        return;
    if (!is_new && (!tg->origin.path || strcmp(tg->origin.path, "$") == 0))
        tg->origin = sgr_import_origin(ctx, o, "%s", path); /* first seen through a wrapper */
    const char *x;
    sgr_json_set_str(ctx, o, "TargetGroupName", path, &tg->name);
    if ((x = sgr_json_str(ctx, o, "Protocol", path))) {
        tg->protocol_name = x;
        tg->protocol = transport(x);
    }
    bool ok;
    int64_t port = sgr_json_int(ctx, o, "Port", path, 1, 65535, -1, &ok);
    if (port > 0)
        tg->port = (int32_t)port;
    sgr_json_set_str(ctx, o, "VpcId", path, &tg->vpc_id);
    sgr_json_set_str(ctx, o, "TargetType", path, &tg->target_type);
    sgr_json_set_str(ctx, o, "IpAddressType", path, &tg->ip_address_type);
    sgr_json_set_str(ctx, o, "HealthCheckPort", path, &tg->health_check_port);
    sgr_json_set_strs(ctx, o, "LoadBalancerArns", path, &tg->lb_arns);
}

static sgr_target_group *tg_for(sgr_import_ctx *ctx, const char *arn, const json_t *at)
{
    bool is_new;
    sgr_target_group *tg = sgr_snap_intern(ctx->snap, SGR_KIND_TARGET_GROUP, arn, sizeof *tg, &is_new);
    if (is_new)
        tg->origin = sgr_import_origin(ctx, at, "$");
    return tg;
}

void sgr_import_target_health(sgr_import_ctx *ctx, const json_t *arr, const char *path,
                              const char *tg_arn, const json_t *at)
{
    sgr_target_group *tg = tg_for(ctx, tg_arn, at);
    tg->targets_known = true;
    if (!json_is_array(arr)) {
        /* not "no target": which targets are registered is unknown */
        const json_t *where = arr ? arr : at;
        sgr_import_warn(ctx, where, path, "expected an array, found %s; the targets of %s are unknown",
                        arr ? sgr_json_kind(arr) : "nothing", tg->arn);
        if (!tg->targets_unknown_why)
            tg->targets_unknown_why = sgr_import_why(ctx, where, path, "the targets of %s could not be read", tg->arn);
        return;
    }
    size_t n = json_array_size(arr);
    sgr_target *all = sgr_snap_reserve(ctx->snap, 2, tg->arn, tg->targets, tg->n_targets, (uint32_t)n + 1,
                                       sizeof *all);
    char p[PATH_LEN], tp[PATH_LEN], key[600];
    for (size_t i = 0; i < n; i++) {
        const json_t *d = json_array_get(arr, i);
        sgr_pathf(p, sizeof p, "%s[%zu]", path, i);
        sgr_pathf(tp, sizeof tp, "%s.Target", p);
        const json_t *t = json_object_get(d, "Target");
        const char *id = sgr_json_str(ctx, t, "Id", tp);
        bool ok = true;
        int32_t port = id ? (int32_t)sgr_json_int(ctx, t, "Port", tp, 1, 65535, -1, &ok) : -1;
        if (!id || !ok) {
            /* a registration the dump holds but that could not be read */
            if (!id)
                sgr_import_warn(ctx, json_is_object(d) ? d : arr, p, "no Target.Id; target unread");
            if (!tg->targets_unknown_why)
                tg->targets_unknown_why =
                    sgr_import_why(ctx, json_is_object(d) ? d : arr, p, "a target of %s could not be read", tg->arn);
            continue;
        }
        /* Pages and repeated dumps name the same target again: once is enough. */
        sgr_pathf(key, sizeof key, "%s|%s|%d", tg->arn, id, port);
        if (!sgr_snap_once(ctx->snap, 2, key))
            continue;
        sgr_target *tgt = &all[tg->n_targets++];
        memset(tgt, 0, sizeof *tgt);
        tgt->id = id;
        tgt->port = port;
        tgt->az = sgr_json_str(ctx, t, "AvailabilityZone", tp);
        sgr_pathf(tp, sizeof tp, "%s.TargetHealth", p);
        tgt->state = sgr_json_str(ctx, json_object_get(d, "TargetHealth"), "State", tp);
        tgt->origin = sgr_import_origin(ctx, d, "%s", p);
    }
    tg->targets = all;
}

static void import_tg_attributes(sgr_import_ctx *ctx, const json_t *arr, const char *tg_arn)
{
    sgr_target_group *tg = tg_for(ctx, tg_arn, ctx->doc);
    tg->attributes_known = true;
    tg->attributes_origin = sgr_import_origin(ctx, arr, "$.Attributes");
    char p[PATH_LEN];
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *a = json_array_get(arr, i);
        sgr_pathf(p, sizeof p, "$.Attributes[%zu]", i);
        const char *k = sgr_json_str(ctx, a, "Key", p);
        if (!k || strcmp(k, "preserve_client_ip.enabled") != 0)
            continue;
        const char *v = sgr_json_str(ctx, a, "Value", p);
        if (v && (!strcmp(v, "true") || !strcmp(v, "false")))
            tg->preserve_client_ip = !strcmp(v, "true");
        else
            sgr_import_warn(ctx, a, p, "preserve_client_ip.enabled must be \"true\" or \"false\"");
        tg->attributes_origin = sgr_import_origin(ctx, a, "%s", p);
    }
}

void sgr_import_listeners(sgr_import_ctx *ctx, const json_t *arr, const char *path, const char *lb_arn)
{
    char p[PATH_LEN], ap[PATH_LEN];
    for (size_t i = 0; i < json_array_size(arr); i++) {
        const json_t *o = json_array_get(arr, i);
        sgr_pathf(p, sizeof p, "%s[%zu]", path, i);
        const char *arn = sgr_json_str(ctx, o, "ListenerArn", p);
        if (!arn) {
            sgr_import_warn(ctx, json_is_object(o) ? o : arr, p, "no ListenerArn; skipped");
            continue;
        }
        bool ok;
        int32_t port = (int32_t)sgr_json_int(ctx, o, "Port", p, 1, 65535, -1, &ok);
        if (!ok)
            continue; /* warned: a listener without a valid port serves nothing */
        bool is_new;
        sgr_listener *l = sgr_snap_intern(ctx->snap, SGR_KIND_LISTENER, arn, sizeof *l, &is_new);
        if (is_new)
            l->origin = sgr_import_origin(ctx, o, "%s", p);
        const char *x = sgr_json_str(ctx, o, "LoadBalancerArn", p);
        l->lb_arn = x ? x : lb_arn ? sgr_intern(ctx->snap, lb_arn) : l->lb_arn;
        if (port > 0 || is_new)
            l->port = port;
        if ((x = sgr_json_str(ctx, o, "Protocol", p))) {
            l->protocol_name = x;
            l->protocol = transport(x);
        }
        const json_t *acts = json_object_get(o, "DefaultActions");
        size_t cap = 1;
        for (size_t k = 0; k < json_array_size(acts); k++)
            cap += 1 + json_array_size(json_object_get(json_object_get(json_array_get(acts, k), "ForwardConfig"),
                                                       "TargetGroups"));
        sgr_strs tgs = {SGR_NEW_N(ctx->snap->arena, const char *, cap), 0};
        for (size_t k = 0; k < json_array_size(acts); k++) {
            const json_t *a = json_array_get(acts, k);
            sgr_pathf(ap, sizeof ap, "%s.DefaultActions[%zu]", p, k);
            const char *type = sgr_json_str(ctx, a, "Type", ap);
            if (type && strcmp(type, "forward") != 0)
                continue;
            const char *tga = sgr_json_str(ctx, a, "TargetGroupArn", ap);
            const json_t *fwd = json_object_get(json_object_get(a, "ForwardConfig"), "TargetGroups");
            for (size_t j = 0; j <= json_array_size(fwd); j++) {
                const char *t = j == 0 ? tga : json_string_value(json_object_get(json_array_get(fwd, j - 1), "TargetGroupArn"));
                if (!t)
                    continue;
                bool dup = false;
                for (uint32_t m = 0; m < tgs.count && m < SGR_DEDUPE_SCAN && !dup; m++)
                    dup = strcmp(tgs.items[m], t) == 0;
                if (!dup)
                    tgs.items[tgs.count++] = sgr_intern(ctx->snap, t);
            }
        }
        l->target_group_arns = tgs;
    }
}

sgr_element_importer sgr_elb_element_importer(const char *key)
{
    return !strcmp(key, "LoadBalancers")               ? import_lb
           : !strcmp(key, "TargetGroups")              ? import_target_group
           : !strcmp(key, "LoadBalancerDescriptions") ? import_classic
                                                       : NULL;
}

void sgr_import_elb(sgr_import_ctx *ctx, const char *key, json_t *value, json_t *doc)
{
    char path[PATH_LEN];
    sgr_pathf(path, sizeof path, "$.%s", key);
    if (!sgr_json_expect_array(ctx, value, path))
        return;
    if (!strcmp(key, "TargetHealthDescriptions") || !strcmp(key, "Attributes")) {
        const char *tg = json_string_value(json_object_get(doc, "TargetGroupArn"));
        if (!tg) {
            if (!strcmp(key, "Attributes") && json_object_get(doc, "LoadBalancerArn"))
                return; /* load balancer attributes: nothing sgreach uses */
            sgr_import_warn(ctx, doc, path,
                            "%s output without its TargetGroupArn wrapper "
                            "({\"TargetGroupArn\": ..., \"%s\": ...}); ignored",
                            !strcmp(key, "Attributes") ? "describe-target-group-attributes"
                                                       : "describe-target-health",
                            key);
            return;
        }
        if (!strcmp(key, "Attributes"))
            import_tg_attributes(ctx, value, tg);
        else
            sgr_import_target_health(ctx, value, path, tg, doc);
        return;
    }
    if (!strcmp(key, "Listeners")) {
        sgr_import_listeners(ctx, value, path, json_string_value(json_object_get(doc, "LoadBalancerArn")));
        return;
    }
    sgr_element_importer fn = sgr_elb_element_importer(key);
    if (!fn)
        return;
    for (size_t i = 0; i < json_array_size(value); i++) {
        sgr_pathf(path, sizeof path, "$.%s[%zu]", key, i);
        fn(ctx, json_array_get(value, i), path);
    }
}
